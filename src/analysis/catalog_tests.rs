//! The shipped catalog proves itself: it loads, every regex compiles, every entry matches
//! (and wins) each of its sample lines and none of its look-alikes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::catalog::{command_programs, fill, Builtins, Catalog};

const SHIPPED: &str = include_str!("catalog.toml");

#[test]
fn shipped_catalog_loads_and_every_entry_matches_its_samples() {
    let catalog = Catalog::parse(SHIPPED).unwrap();
    assert!(catalog.entries.len() >= 100, "{}", catalog.entries.len());
    for e in &catalog.entries {
        assert!(e.is_exit() || !e.samples.is_empty(), "{}", e.id);
        assert!(e.id.contains('.'), "{}: ids are `toolchain.what`", e.id);
        assert!(!e.toolchain.is_empty(), "{}", e.id);
    }
    assert!(catalog.entries.iter().filter(|e| e.is_exit()).count() >= 20);
}

#[test]
fn exit_entries_are_found_by_program_and_code_only() {
    let catalog = Catalog::parse(SHIPPED).unwrap();
    let unzip = catalog
        .exit_entry("unzip", 82)
        .expect("unzip 82 has an entry");
    assert_eq!(catalog.entries[unzip].id, "exit.unzip-bad-password");
    assert_eq!(catalog.exit_entry("zip", 82), None);
    assert_eq!(catalog.exit_entry("unzip", 3), None);
    // An exit entry never matches a line, whatever the line says.
    assert!(catalog
        .classify("unzip exit 82", "unzip exit 82", &["unzip"])
        .is_none_or(|f| !catalog.entries[f.entry].is_exit()));
}

#[test]
fn exit_entries_that_claim_a_shell_code_a_taken_code_or_a_capture_are_refused() {
    let line = r#"
[[entry]]
id = "x.line"
toolchain = "x"
contains = "frobnicated"
category = "runtime_error"
weight = "specific"
summary = "s"
root_cause = "r"
samples = ["frobnicated"]
"#;
    let exit = |codes: &str, programs: &str, summary: &str| {
        format!(
            "{line}\n[[exit]]\nid = \"exit.a\"\ntoolchain = \"x\"\nprograms = [{programs}]\ncodes = [{codes}]\ncategory = \"usage_error\"\nsummary = \"{summary}\"\nroot_cause = \"r\"\n"
        )
    };
    assert!(Catalog::parse(&exit("3", "\"tool\"", "s {status}")).is_ok());
    for (text, why) in [
        (exit("127", "\"tool\"", "s"), "the shell's"),
        (exit("137", "\"tool\"", "s"), "the shell's"),
        (exit("3", "", "s"), "needs programs"),
        (exit("3", "\"tool\"", "s {file}"), "names `file`"),
    ] {
        let err = Catalog::parse(&text).unwrap_err();
        assert!(err.contains(why), "{err}");
    }
    let twice = format!(
        "{}[[exit]]\nid = \"exit.b\"\ntoolchain = \"x\"\nprograms = [\"tool\"]\ncodes = [3]\nkind = \"BadOption\"\n",
        exit("3", "\"tool\"", "s")
    );
    let err = Catalog::parse(&twice).unwrap_err();
    assert!(err.contains("`tool` exit 3 has another entry"), "{err}");
}

#[test]
fn catalog_entries_that_do_not_match_their_samples_are_refused() {
    let bad = r#"
[[entry]]
id = "x.bad"
toolchain = "x"
contains = "frobnicated"
category = "runtime_error"
weight = "specific"
summary = "s"
root_cause = "r"
samples = ["nothing like it"]
"#;
    let err = Catalog::parse(bad).unwrap_err();
    assert!(err.contains("x.bad: sample"), "{err}");
}

#[test]
fn catalog_regexes_that_do_not_compile_are_refused() {
    let bad = r#"
[[entry]]
id = "x.regex"
toolchain = "x"
contains = "a"
regex = "(unclosed"
kind = "Exception"
weight = "specific"
samples = ["a"]
"#;
    let err = Catalog::parse(bad).unwrap_err();
    assert!(err.starts_with("x.regex: regex:"), "{err}");
}

#[test]
fn catalog_templates_may_name_only_captures_and_built_ins() {
    let bad = r#"
[[entry]]
id = "x.template"
toolchain = "x"
contains = "boom"
regex = "boom (?P<what>\\w+)"
category = "runtime_error"
weight = "specific"
summary = "{what} at {where}"
root_cause = "r"
samples = ["boom now"]
"#;
    let err = Catalog::parse(bad).unwrap_err();
    assert!(err.contains("`where`"), "{err}");
}

#[test]
fn catalog_refuses_unknown_kinds_weights_high_risk_fixes_and_missing_wording() {
    let entry = |extra: &str| {
        format!(
            "[[entry]]\nid = \"x.e\"\ntoolchain = \"x\"\ncontains = \"boom\"\nsamples = [\"boom\"]\n{extra}\n"
        )
    };
    for (extra, want) in [
        ("kind = \"Nope\"\nweight = \"specific\"", "unknown kind"),
        ("kind = \"Exception\"\nweight = \"heavy\"", "unknown weight"),
        ("category = \"runtime_error\"\nweight = \"specific\"", "needs a summary"),
        (
            "kind = \"Exception\"\nweight = \"specific\"\nfixes = [{ description = \"d\", command = \"rm -rf x\", risk = \"high\" }]",
            "high-risk",
        ),
        (
            "kind = \"Exception\"\ncategory = \"runtime_error\"\nweight = \"specific\"\nsummary = \"s\"\nroot_cause = \"r\"",
            "exactly one",
        ),
    ] {
        let err = Catalog::parse(&entry(extra)).unwrap_err();
        assert!(err.contains(want), "{extra}: {err}");
    }
}

#[test]
fn program_filters_limit_an_entry_to_commands_that_run_the_program() {
    let text = r#"
[[entry]]
id = "t.only"
toolchain = "t"
programs = ["tool"]
contains = "it broke"
category = "runtime_error"
weight = "specific"
summary = "s"
root_cause = "r"
samples = ["it broke"]
"#;
    let catalog = Catalog::parse(text).unwrap();
    let line = "it broke";
    assert!(catalog
        .classify(line, line, &command_programs("cd x && /usr/bin/tool run"))
        .is_some());
    assert!(catalog
        .classify(line, line, &command_programs("bash -c 'tool run'"))
        .is_some());
    assert!(catalog
        .classify(line, line, &command_programs("other run"))
        .is_none());
}

#[test]
fn templates_fill_captures_and_quote_them_in_commands() {
    let caps = vec![("module".to_string(), "a b".to_string())];
    let b = Builtins {
        program: "lua",
        status: "exit code 1",
        line: "l",
    };
    assert_eq!(
        fill(
            "install {module} for {program} ({status}) {gone}",
            &caps,
            &b,
            false
        ),
        "install a b for lua (exit code 1) ?"
    );
    assert_eq!(
        fill("luarocks install {module}", &caps, &b, true),
        "luarocks install 'a b'"
    );
}

#[test]
fn the_shipped_catalog_loads_the_same_entries_with_structure_checks_only() {
    use super::catalog::Checks;
    let full = Catalog::parse(SHIPPED).unwrap();
    let quick = Catalog::parse_with(SHIPPED, Checks::Structure).unwrap();
    let ids = |c: &Catalog| c.entries.iter().map(|e| e.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&full), ids(&quick));
    for e in &full.entries {
        for s in &e.samples {
            let lower = s.to_ascii_lowercase();
            let a = full.classify(s, &lower, &["any"]).map(|f| f.captures);
            let b = quick.classify(s, &lower, &["any"]).map(|f| f.captures);
            assert_eq!(a, b, "{}: {s}", e.id);
        }
    }
}
