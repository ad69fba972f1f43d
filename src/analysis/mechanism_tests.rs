//! Cross-tool mechanisms, each on small synthetic outputs: the shapes of diagnostics and the
//! file kind behind them, the line that is the cause, and the generic phrase families.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::diagnostic::{self, Diagnostic, Severity};
use super::tables::{file_kind, FileKind};
use super::{analyze, Category, FailureContext};

/// The category `analyze` gives a command that exited `exit` with `stderr` and `stdout`.
fn category(command: &str, exit: i32, stderr: &str, stdout: &str) -> Category {
    analyze(&FailureContext {
        command,
        exit_code: Some(exit),
        stderr,
        stdout,
        ..Default::default()
    })
    .category
}

#[test]
fn diagnostics_are_read_in_every_common_shape() {
    let d = |loc: Option<&'static str>, severity, msg: &'static str| {
        Some(Diagnostic { loc, severity, msg })
    };
    let cases = [
        (
            "a.c:3:5: error: expected ';'",
            d(Some("a.c:3:5"), Severity::Error, "expected ';'"),
        ),
        (
            "Mod.hs:4:15: error:",
            d(Some("Mod.hs:4:15"), Severity::Error, ""),
        ),
        (
            "lib/x.ts:2:14 - error TS2322: Nope.",
            d(
                Some("lib/x.ts:2:14"),
                Severity::Error,
                "error TS2322: Nope.",
            ),
        ),
        (
            "x.pas(5,3) Fatal: Syntax error",
            d(Some("x.pas(5,3)"), Severity::Error, "Syntax error"),
        ),
        (
            "r.nft:4:25-30: Error: syntax error",
            d(Some("r.nft:4:25-30"), Severity::Error, "syntax error"),
        ),
        (
            "c.yml:9:8: [error] syntax error",
            d(Some("c.yml:9:8"), Severity::Error, "syntax error"),
        ),
        (
            "t.py:5:12: F821 undefined name 'q'",
            d(Some("t.py:5:12"), Severity::Lint, "undefined name 'q'"),
        ),
        (
            "t.py:1:8: F401 [*] `os` imported",
            d(Some("t.py:1:8"), Severity::Lint, "`os` imported"),
        ),
        ("  3:15  error  'q' is not defined  no-undef", None),
        (
            "3:15  error  'q' is not defined  no-undef",
            d(None, Severity::Lint, "'q' is not defined  no-undef"),
        ),
        (
            "ERROR: /w/r.pl:2:17: Syntax error: x",
            d(Some("/w/r.pl:2:17"), Severity::Error, "Syntax error: x"),
        ),
        (
            "error: app.conf:3 bad count 'x'",
            d(Some("app.conf:3"), Severity::Error, "bad count 'x'"),
        ),
        (
            "s.proto:5:3: Expected \";\".",
            d(Some("s.proto:5:3"), Severity::Unmarked, "Expected \";\"."),
        ),
        ("c.yml:1:1: [warning] missing document start", None),
        ("a.c:7:2: warning: unused variable", None),
        ("m.py:1: note: see the docs", None),
        ("error: something broke", None),
        ("Makefile:5: *** missing separator.  Stop.", None),
    ];
    for (line, want) in cases {
        // The indented eslint row is trimmed by `input` before it gets here.
        assert_eq!(diagnostic::parse(line), want, "{line}");
    }
}

#[test]
fn bare_locations_are_read_from_gfortran_and_ocaml_shapes() {
    let got: Vec<Option<String>> = [
        "solver.f90:5:3:",
        "File \"cfg.ml\", line 1, characters 17-23:",
        "File \"run.py\", line 3, in <module>",
        "Compiling:",
    ]
    .iter()
    .map(|l| diagnostic::bare_location(l))
    .collect();
    assert_eq!(
        got,
        [
            Some("solver.f90:5:3".to_string()),
            Some("cfg.ml:1".to_string()),
            None,
            None
        ]
    );
}

#[test]
fn a_files_extension_says_what_kind_of_source_it_is() {
    let got: Vec<FileKind> = [
        "src/a.rs:3",
        "x.proto:1:2",
        "deploy.ksh",
        "app.R",
        "conf/site.conf:7",
        "tsconfig.json(4,20)",
        ".env",
        "justfile:5:1",
        "data.bin",
    ]
    .iter()
    .map(|l| file_kind(l))
    .collect();
    use FileKind::*;
    assert_eq!(
        got,
        [Compiled, Compiled, Script, Script, Config, Config, Config, Other, Other]
    );
}

#[test]
fn parse_phrases_need_a_diagnostic_before_a_bare_expected_counts() {
    let got: Vec<(bool, bool)> = [
        "syntax error in line 4 near '->'",
        "unexpected '}' in:",
        "expected \";\".",
        "property assignment expected.",
        "expected 4, got 5",
        "all good",
    ]
    .iter()
    .map(|l| {
        (
            diagnostic::says_parse_error(l, false),
            diagnostic::says_parse_error(l, true),
        )
    })
    .collect();
    assert_eq!(
        got,
        [
            (true, true),
            (true, true),
            (false, true),
            (false, true),
            (false, false),
            (false, false)
        ]
    );
}

#[test]
fn a_parse_error_is_a_compile_error_in_compiled_source_and_a_syntax_error_elsewhere() {
    let cases = [
        (
            "cc x.c",
            "x.c:3:1: error: expected ';' before '}' token\n",
            Category::CompileError,
        ),
        (
            "protoc a.proto",
            "a.proto:5:3: Expected \";\".\n",
            Category::CompileError,
        ),
        (
            "tool -c t.cfg",
            "t.cfg:4:25: Error: syntax error, unexpected accept\n",
            Category::SyntaxError,
        ),
        (
            "tsc -p cfg.json",
            "cfg.json(4,20): error TS1136: Property assignment expected.\n",
            Category::SyntaxError,
        ),
        (
            "zsh run.zsh",
            "run.zsh:4: parse error near `\\n'\n",
            Category::SyntaxError,
        ),
        (
            "checker src/x.py",
            "src/x.py:3: error: Incompatible types in assignment\n",
            Category::CompileError,
        ),
    ];
    for (command, stderr, want) in cases {
        assert_eq!(category(command, 1, stderr, ""), want, "{stderr}");
    }
}

#[test]
fn an_error_line_after_a_bare_location_is_that_locations_diagnostic() {
    let gfortran = "s.f90:5:3:\n\n    5 |   y = x * 2\n      |   1\nError: Symbol 'y' at (1) has no IMPLICIT type\n";
    assert_eq!(
        category("gfortran s.f90", 1, gfortran, ""),
        Category::CompileError
    );
    let ocaml = "File \"c.ml\", line 1, characters 17-23:\n1 | let p : int = \"80\"\n                     ^^^^\nError: This expression has type string\n";
    assert_eq!(
        category("ocamlc -c c.ml", 2, ocaml, ""),
        Category::CompileError
    );
    // Without a location before it, `Error: …` is a program's own error.
    assert_eq!(
        category("./run", 1, "Error: the frobnicator failed\n", ""),
        Category::RuntimeError
    );
}

#[test]
fn linter_findings_are_compile_errors_and_their_parse_errors_syntax_errors() {
    let findings =
        "t.py:1:1: F401 'json' imported but unused\nt.py:5:12: F821 undefined name 'x'\n";
    assert_eq!(
        category("lint t.py", 1, "", findings),
        Category::CompileError
    );
}

#[test]
fn a_network_failure_inside_a_dependency_message_is_the_cause() {
    let line = "[ERROR] Plugin org.x:y:1.0 or one of its dependencies could not be resolved: Could not transfer artifact org.x:y:pom:1.0: Unknown host repo.example.org: Temporary failure in name resolution -> [Help 1]\n";
    assert_eq!(category("mvn -q package", 1, "", line), Category::Network);
}

#[test]
fn drawn_prefixes_and_pytests_error_marker_are_not_part_of_the_message() {
    let got: Vec<&str> = [
        "E   ValueError: bad",
        "E       assert 1 == 2",
        "——▶ recipes:5:17",
        "╭─[conf.kdl:3:1]",
        "│ let x = 1",
        "Exit 1",
        "plain line",
    ]
    .iter()
    .map(|l| super::input::undecorated(l))
    .collect();
    assert_eq!(
        got,
        [
            "ValueError: bad",
            "assert 1 == 2",
            "recipes:5:17",
            "conf.kdl:3:1]",
            "let x = 1",
            "Exit 1",
            "plain line"
        ]
    );
}

#[test]
fn an_error_inside_a_test_runners_marked_lines_outweighs_the_runners_count() {
    let stdout = "____ ERROR collecting t/test_a.py ____\nE     File \"/w/t/test_a.py\", line 2\nE       x = (1,\nE           ^\nE   SyntaxError: '(' was never closed\n=== short test summary info ===\nERROR t/test_a.py\n1 error in 0.05s\n";
    assert_eq!(
        category("python3 -m pytest -q t", 2, "", stdout),
        Category::SyntaxError
    );
}

#[test]
fn a_traceback_ends_with_its_exception_whatever_it_is_called() {
    let stderr = "Traceback (most recent call last):\n  File \"run.py\", line 3, in <module>\n    load()\npkg.archive.BadArchive: truncated header\n";
    assert_eq!(
        category("python3 run.py", 1, stderr, ""),
        Category::RuntimeError
    );
    // Outside a traceback such a line is not taken for an exception.
    assert_eq!(
        category("./run", 1, "pkg.archive.BadArchive: truncated header\n", ""),
        Category::Unknown
    );
}

#[test]
fn make_names_the_signal_that_ended_a_recipe() {
    for line in [
        "make: *** [Makefile:3: soak] Killed",
        "make: *** [Makefile:3: soak] Error 143",
        "make[1]: *** [sub.mk:9: all] Terminated",
    ] {
        assert_eq!(
            category("make soak", 2, line, ""),
            Category::Killed,
            "{line}"
        );
    }
    assert_eq!(
        category("make soak", 2, "make: *** [Makefile:3: soak] Error 1", ""),
        Category::Unknown
    );
}

#[test]
fn a_wrapper_reporting_its_childs_exit_code_names_no_cause() {
    let stderr = "error: recipe `lint` failed on line 4 with exit code 1\n";
    assert_eq!(category("just lint", 1, stderr, ""), Category::Unknown);
    let stderr = "Ran 3 checks\ncheck `env` exited with code 3\n";
    assert_eq!(category("runner check", 1, stderr, ""), Category::Unknown);
}

#[test]
fn timed_out_in_any_words_is_a_timeout_and_a_connections_is_network() {
    assert_eq!(
        category(
            "expect -f s.exp",
            3,
            "timed out waiting for the login banner\n",
            ""
        ),
        Category::Timeout
    );
    assert_eq!(
        category(
            "ssh h",
            255,
            "ssh: connect to host h port 22: Connection timed out\n",
            ""
        ),
        Category::Network
    );
}
#[test]
fn a_diagnostics_message_is_read_for_a_missing_module() {
    // The message names its own cause; the location alone would say compile error.
    let stderr = "Main.hs:2:1: error:\n    Could not find module ‘Data.Frob’\n";
    assert_eq!(
        category("ghc Main.hs", 1, stderr, ""),
        Category::MissingDependency
    );
    let stderr = "Main.hs:4:15: error:\n    • No instance for (Num String)\n";
    assert_eq!(
        category("ghc Main.hs", 1, stderr, ""),
        Category::CompileError
    );
}

#[test]
fn missing_things_are_recognised_in_the_words_many_tools_share() {
    let cases = [
        (
            "cc -c x.c",
            "x.c:1:10: fatal error: 'zstd/zstd.h' file not found\n",
            Category::MissingDependency,
        ),
        (
            "deploy",
            "ERROR! the role 'acme.web' was not found in /etc/ansible/roles\n",
            Category::MissingDependency,
        ),
        (
            "tool build",
            "error: couldn't find a widget.toml file in /w\n",
            Category::FileNotFound,
        ),
        (
            "tool build",
            "error: no buildfile found\n",
            Category::FileNotFound,
        ),
        (
            "sh -c '. ./vars'",
            "sh: 1: .: cannot open ./vars: No such file\n",
            Category::FileNotFound,
        ),
        (
            "fetch x",
            "File \"/srv/x.tar\" not found.\n",
            Category::FileNotFound,
        ),
        (
            "gen",
            "protoc-gen-foo: program not found or is not executable\n",
            Category::CommandNotFound,
        ),
        (
            "tool",
            "Could not reach host mirror.example.org. Check your network connection.\n",
            Category::Network,
        ),
    ];
    for (command, stderr, want) in cases {
        assert_eq!(category(command, 1, stderr, ""), want, "{stderr}");
    }
}

#[test]
fn a_python_frame_is_noise_but_a_file_message_is_not() {
    // `File "…", line N` is a traceback frame; `File "…" not found.` is a message.
    let frame = "Traceback (most recent call last):\n  File \"/w/x.py\", line 3, in <module>\nFile \"/w/x.py\", line 3, in <module>\n";
    assert_eq!(category("python3 x.py", 1, frame, ""), Category::Unknown);
}

#[test]
fn a_refused_option_or_value_is_a_usage_error_in_any_words() {
    let cases = [
        "error TS5025: Unknown compiler option '--strictt'.",
        "cc1: error: unrecognized command-line option '-Wfoo'",
        "tool: unsupported build option -Q",
        "Format: \"webp9\" not recognized. Use one of: png svg",
        "error: --level must be one of: low, high",
    ];
    for line in cases {
        assert_eq!(
            category("tool x", 1, line, ""),
            Category::UsageError,
            "{line}"
        );
    }
    assert_eq!(
        category("tool x", 1, "warning: option cache is deprecated\n", ""),
        Category::Unknown
    );
}
