//! `shellwise ci`: the real binary running real failing steps (a compiler error, a failing
//! test, a missing module, a signal), its reports compared with snapshots in
//! `tests/data/ci/` (`SHELLWISE_UPDATE_SNAPSHOTS=1` rewrites them), exit codes, redaction,
//! live pass-through, signals, and analysis by a live server.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use shellwise::llm::ProviderKind;

use crate::fake_llm::{self, FakeLlm, FakeLlmExt};
use crate::helpers::*;

const BIN: &str = env!("CARGO_BIN_EXE_shellwise");

/// `shellwise ci <args>` in `dir`, outside any CI (the variables a hosted runner would set are
/// removed, so the tests do not depend on where they run).
fn ci(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    c.arg("ci")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITLAB_CI")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("SHELLWISE_CI_FORMAT")
        .env_remove("SHELLWISE_SERVER")
        .env_remove("SHELLWISE_TOKEN");
    c
}

fn run(dir: &Path, args: &[&str]) -> Output {
    ci(dir, args).output().expect("run shellwise ci")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Makes a report comparable across runs: the temp dir, GitLab's section timestamps and the
/// control characters of its section markers.
fn normalize(s: &str, dir: &Path) -> String {
    let mut out = s.replace(&dir.display().to_string(), "<dir>");
    for marker in ["section_start:", "section_end:"] {
        let mut rest = out.as_str();
        let mut done = String::new();
        while let Some(at) = rest.find(marker) {
            let (head, tail) = rest.split_at(at + marker.len());
            done.push_str(head);
            let digits = tail.bytes().take_while(u8::is_ascii_digit).count();
            done.push_str("<time>");
            rest = &tail[digits..];
        }
        done.push_str(rest);
        out = done;
    }
    out.replace('\x1b', "\\e").replace('\r', "\\r")
}

fn snapshot(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/ci")
        .join(name);
    if std::env::var_os("SHELLWISE_UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run with SHELLWISE_UPDATE_SNAPSHOTS=1 to write it",
            path.display()
        )
    });
    assert_eq!(
        actual,
        expected,
        "{} differs (SHELLWISE_UPDATE_SNAPSHOTS=1 rewrites it)",
        path.display()
    );
}

/// One failing step in every format: the report each prints (for plain, stderr from our
/// headline on; the step's own output comes first), the GitHub job summary and the GitLab
/// Code Quality file, in one snapshot.
fn every_format(dir: &Path, step: &[&str], expect_exit: i32) -> String {
    let mut snap = String::new();
    for format in ["github", "gitlab", "plain"] {
        let summary = dir.join("summary.md");
        let quality = dir.join("quality.json");
        let _ = std::fs::remove_file(&summary);
        let _ = std::fs::remove_file(&quality);
        let mut args = vec![
            "--format",
            format,
            "--step-summary",
            "summary.md",
            "--code-quality",
            "quality.json",
            "--",
        ];
        args.extend_from_slice(step);
        let out = run(dir, &args);
        assert_eq!(out.status.code(), Some(expect_exit), "{format}: {out:?}");
        let report = match format {
            "plain" => {
                let err = text(&out.stderr);
                let at = err.find("shellwise: ").expect("a plain report");
                err[at..].to_string()
            }
            _ => text(&out.stdout),
        };
        snap.push_str(&format!("===== {format}\n{report}"));
        if format == "github" {
            let md = std::fs::read_to_string(&summary).expect("the job summary");
            snap.push_str(&format!("===== github job summary\n{md}"));
        }
        if format == "gitlab" {
            let q = std::fs::read_to_string(&quality).expect("the code quality report");
            let parsed: Value = serde_json::from_str(&q).expect("code quality is JSON");
            assert!(parsed.is_array(), "{q}");
            snap.push_str(&format!("===== gitlab code quality\n{q}"));
        }
    }
    normalize(&snap, dir)
}

#[test]
fn a_compiler_error_is_annotated_at_its_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("broken.rs"),
        "fn main() {\n    let total = 1;\n    println!(\"{}\", totl);\n}\n",
    )
    .unwrap();
    let snap = every_format(dir.path(), &["rustc", "--edition", "2021", "broken.rs"], 1);
    snapshot("compile-error.txt", &snap);
    assert!(snap.contains("::error file=broken.rs,line=3,"), "{snap}");
}

#[test]
fn a_failing_test_points_at_the_failing_assertion() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("test_calc.py"),
        "import unittest\n\n\ndef add(a, b):\n    return a - b\n\n\nclass AddTest(unittest.TestCase):\n    def test_two_and_two(self):\n        self.assertEqual(add(2, 2), 4)\n",
    )
    .unwrap();
    let snap = every_format(
        dir.path(),
        &["python3", "-B", "-m", "unittest", "test_calc"],
        1,
    );
    snapshot("failing-test.txt", &snap);
    assert!(snap.contains("file=test_calc.py,line=10,"), "{snap}");
}

#[test]
fn a_missing_module_names_the_module_and_the_install_command() {
    let dir = tempfile::tempdir().unwrap();
    let snap = every_format(
        dir.path(),
        &["python3", "-c", "import shellwise_no_such_module"],
        1,
    );
    snapshot("missing-module.txt", &snap);
}

#[test]
fn a_step_killed_by_a_signal_exits_128_plus_its_number() {
    let dir = tempfile::tempdir().unwrap();
    let snap = every_format(dir.path(), &["sh", "-c", "kill -9 $$"], 137);
    snapshot("killed.txt", &snap);
}

#[test]
fn a_passing_step_prints_only_its_own_output_and_keeps_every_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    for format in ["github", "gitlab", "plain"] {
        let out = run(
            dir.path(),
            &[
                "--format",
                format,
                "--",
                "sh",
                "-c",
                "echo out; echo err >&2",
            ],
        );
        assert_eq!(
            (out.status.code(), text(&out.stdout), text(&out.stderr)),
            (Some(0), "out\n".to_string(), "err\n".to_string()),
            "{format}"
        );
    }
    // GitLab's artifact upload expects its report even when nothing failed.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("gl-code-quality-report.json")).unwrap(),
        "[]\n"
    );
    for code in [1, 3, 42, 255] {
        let out = run(
            dir.path(),
            &[
                "--format",
                "plain",
                "--",
                "sh",
                "-c",
                &format!("exit {code}"),
            ],
        );
        assert_eq!(out.status.code(), Some(code));
    }
}

#[test]
fn a_missing_command_exits_127_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["--", "shellwise-no-such-program", "x"]);
    assert_eq!(
        (out.status.code(), text(&out.stderr)),
        (
            Some(127),
            "shellwise ci: command not found: shellwise-no-such-program\n".to_string()
        )
    );
    let none = run(dir.path(), &[]);
    assert_eq!(none.status.code(), Some(127));
    assert!(text(&none.stderr).contains("no command given"), "{none:?}");
    std::fs::write(dir.path().join("script.sh"), "#!/bin/sh\necho hi\n").unwrap();
    let not_executable = run(dir.path(), &["--", "./script.sh"]);
    assert_eq!(
        (not_executable.status.code(), text(&not_executable.stderr)),
        (
            Some(126),
            "shellwise ci: permission denied: ./script.sh\n".to_string()
        )
    );
}

#[test]
fn secrets_are_redacted_from_the_passed_through_output_and_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let env_secret = "s3cr3t-value-from-the-ci";
    let pat = "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789";
    let script = format!(
        "echo \"deploying with $DEPLOY_TOKEN\"; echo \"error: token {pat} rejected\" >&2; exit 2"
    );
    let out = ci(
        dir.path(),
        &[
            "--format",
            "github",
            "--step-summary",
            "s.md",
            "--",
            "sh",
            "-c",
            &script,
        ],
    )
    .env("DEPLOY_TOKEN", env_secret)
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let everything = format!(
        "{}{}{}",
        text(&out.stdout),
        text(&out.stderr),
        std::fs::read_to_string(dir.path().join("s.md")).unwrap()
    );
    assert!(!everything.contains(env_secret), "{everything}");
    assert!(!everything.contains(pat), "{everything}");
    assert!(
        text(&out.stdout).starts_with("deploying with [REDACTED:exact-value]\n"),
        "{everything}"
    );
    assert!(
        text(&out.stderr).starts_with("error: token [REDACTED:github-pat] rejected\n"),
        "{everything}"
    );
}

#[test]
fn output_is_passed_through_while_the_step_still_runs() {
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let mut child = ci(
        dir.path(),
        &[
            "--format",
            "plain",
            "--",
            "sh",
            "-c",
            "echo first; printf 'working... '; sleep 3; echo done",
        ],
    )
    .stdout(Stdio::piped())
    .spawn()
    .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert_eq!(line, "first\n");
    // The partial line (no newline yet) is shown once the stream is quiet.
    let mut partial = [0u8; 11];
    std::io::Read::read_exact(&mut reader, &mut partial).unwrap();
    assert_eq!(&partial, b"working... ");
    let seen_while_running = started.elapsed();
    let status = child.wait().unwrap();
    assert!(status.success());
    assert!(
        seen_while_running < Duration::from_millis(2500),
        "output arrived only after the step ended ({seen_while_running:?})"
    );
}

#[test]
fn sigterm_to_shellwise_ci_reaches_the_step_and_its_status_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    // A duration no other test uses, to find the step's process afterwards.
    let seconds = format!("30.{}", std::process::id());
    let mut child = ci(
        dir.path(),
        &[
            "--format",
            "plain",
            "--",
            "sh",
            "-c",
            &format!("echo ready; exec sleep {seconds}"),
        ],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line, "ready\n");
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(128 + libc::SIGTERM), "{out:?}");
    assert!(text(&out.stderr).contains("killed by SIGTERM"), "{out:?}");
    assert_eq!(running(&["sleep", &seconds]), Vec::<u32>::new());
}

#[test]
fn a_log_a_step_already_wrote_is_analyzed_and_its_exit_code_kept() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("build.log"),
        "Collecting deps\nTraceback (most recent call last):\n  File \"tool.py\", line 1, in <module>\nModuleNotFoundError: No module named 'yaml'\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("tool.py"), "import yaml\n").unwrap();
    let out = run(
        dir.path(),
        &[
            "--format",
            "plain",
            "--log",
            "build.log",
            "--exit-code",
            "3",
        ],
    );
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let report = text(&out.stderr);
    assert!(
        report.starts_with(
            "shellwise: the step logged in build.log failed (exit 3): missing_dependency\n"
        ),
        "{report}"
    );
    assert!(
        report.contains("  at tool.py:1 (innermost stack frame in the project)\n"),
        "{report}"
    );
    // The log itself was printed by the step already: it is not repeated.
    assert_eq!(text(&out.stdout), "");
    let missing = run(
        dir.path(),
        &["--format", "plain", "--log", "nope.log", "--exit-code", "5"],
    );
    assert_eq!(missing.status.code(), Some(5));
    assert!(
        text(&missing.stderr).contains("cannot read the log nope.log"),
        "{missing:?}"
    );
}

#[tokio::test]
async fn the_server_analyzes_the_failure_with_its_llm_when_asked() {
    let fake = FakeLlm::answering(fake_llm::openai).await;
    let p = fake.provider("fake-openai", ProviderKind::Openai, &["gpt-test"]);
    let app = spawn_app_with(move |s| s.llm.providers = vec![p]).await;
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = ci(
        dir.path(),
        &[
            "--format",
            "plain",
            "--server",
            &app.address,
            "--",
            "python3",
            "-c",
            "import yaml_shellwise_missing",
        ],
    );
    cmd.env("SHELLWISE_TOKEN", ANALYST);
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report = text(&out.stderr);
    assert!(report.contains("(combined)"), "{report}");
    assert!(report.contains("missing_dependency"), "{report}");
    assert_eq!(fake.chats().len(), 1, "{report}");
}

#[tokio::test]
async fn a_server_that_cannot_analyze_leaves_the_built_in_analysis_and_the_exit_code() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    for (server, token, why) in [
        (app.address.clone(), "not-a-token", "(invalid_token)"),
        (
            "http://127.0.0.1:9".to_string(),
            ANALYST,
            "error sending request",
        ),
    ] {
        let mut cmd = ci(
            dir.path(),
            &[
                "--format",
                "plain",
                "--server",
                &server,
                "--",
                "sh",
                "-c",
                "echo 'fatal: not a git repository' >&2; exit 128",
            ],
        );
        cmd.env("SHELLWISE_TOKEN", token);
        let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
            .await
            .unwrap();
        assert_eq!(out.status.code(), Some(128));
        let report = text(&out.stderr);
        assert!(report.contains("(heuristic)"), "{report}");
        assert!(
            report.contains("note: the server's analysis failed"),
            "{report}"
        );
        assert!(report.contains(why), "{why}: {report}");
    }
}

#[test]
fn the_github_action_installs_shellwise_and_runs_the_step_through_it() {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("clients/ci/github");
    let dir = tempfile::tempdir().unwrap();
    let github_env = dir.path().join("github_env");
    let install = Command::new(here.join("install.sh"))
        .current_dir(dir.path())
        .env("SHELLWISE_BIN", BIN)
        .env("GITHUB_ENV", &github_env)
        .output()
        .unwrap();
    assert!(install.status.success(), "{install:?}");
    assert_eq!(
        std::fs::read_to_string(&github_env).unwrap(),
        format!("SHELLWISE_CI_BIN={BIN}\n")
    );
    // What the action's last step runs, with the inputs it passes as variables.
    let step = Command::new(here.join("step.sh"))
        .current_dir(dir.path())
        .env_remove("GITHUB_STEP_SUMMARY")
        .env("SHELLWISE_CI_BIN", BIN)
        .env("SHELLWISE_STEP", "echo building\nfalse\necho not reached")
        .env("SHELLWISE_STEP_NAME", "unit tests")
        .env("SHELLWISE_SERVER", "")
        .output()
        .unwrap();
    assert_eq!(step.status.code(), Some(1), "{step:?}");
    let out = text(&step.stdout);
    assert!(
        out.starts_with("building\n::error title=unit tests failed (exit 1)%3A "),
        "{out}"
    );
    assert!(!out.contains("not reached"), "{out}");
}
