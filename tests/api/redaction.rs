//! Secrets never leave the process: responses, SSE events, problem details, logs.

use std::io::Write;
use std::sync::{Arc, Mutex};

use serde_json::json;

use crate::helpers::{parse_sse, spawn_app, spawn_app_with, OPERATOR};

const CANARY: &str = "canary-5f0c1e9a7b3d42e8";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A fake GitHub token built at run time, so no token-shaped string sits in the repository.
fn fake_github_token() -> String {
    format!("ghp_{}", "Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0LmNbVc")
}

#[tokio::test]
async fn a_canary_secret_in_the_server_environment_appears_in_no_response_event_or_log() {
    // The server's own secret: redacted verbatim wherever it shows up.
    std::env::set_var("SHELLWISE_TEST_CANARY_API_KEY", CANARY);
    let logs = Captured::default();
    let sink = logs.clone();
    let _ = tracing_subscriber::fmt()
        .with_writer(move || shellwise::redact::global::RedactingWriter::new(sink.clone()))
        .with_ansi(false)
        .try_init();
    let app = spawn_app().await;

    // The child cannot read the server's environment, so the caller hands it the value.
    let r = app
        .exec(json!({"command": format!("echo start; echo \"$V\"; echo {CANARY} >&2; exit 1"), "env": {"V": CANARY}}))
        .await;
    let body = r.to_string();
    assert!(!body.contains(CANARY), "{body}");
    assert_eq!(r["stdout"], "start\n[REDACTED:exact-value]\n");
    assert_eq!(r["stderr"], "[REDACTED:exact-value]\n");
    assert_eq!(r["redactions"], json!({"exact-value": 2}));

    let res = app
        .client
        .post(app.url("/v1/exec/stream"))
        .bearer_auth(OPERATOR)
        .json(&json!({"command": format!("printf '%s' {}; sleep 0.3; printf '%s\\n' {}", &CANARY[..9], &CANARY[9..])}))
        .send()
        .await
        .unwrap();
    let mut text = res.text().await.unwrap();
    assert!(
        !text.contains(CANARY) && !text.contains(&CANARY[9..]),
        "{text}"
    );
    let events = parse_sse(&mut text);
    let streamed: String = events
        .iter()
        .filter(|e| e.event == "stdout")
        .map(|e| e.data["data"].as_str().unwrap())
        .collect();
    assert_eq!(
        streamed, "[REDACTED:exact-value]\n",
        "a secret split across reads is still caught"
    );

    let (status, problem) = app
        .post(
            "/v1/exec",
            OPERATOR,
            &json!({"command": "true", "cwd": format!("/nowhere/{CANARY}")}),
        )
        .await;
    assert_eq!(status, 400);
    assert!(!problem.to_string().contains(CANARY), "{problem}");

    let captured = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        captured.contains("exec"),
        "the logs were captured: {captured}"
    );
    assert!(!captured.contains(CANARY), "{captured}");
}

#[tokio::test]
async fn built_in_rules_redact_credentials_and_leave_ordinary_output_alone() {
    let app = spawn_app().await;
    let token = fake_github_token();
    let sha = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    let r = app
        .exec(json!({"command": format!("echo GITHUB_TOKEN={token}; echo {sha}  empty.txt; git --version >/dev/null 2>&1; echo done")}))
        .await;
    let out = r["stdout"].as_str().unwrap();
    assert!(!out.contains(&token), "{out}");
    assert!(out.starts_with("GITHUB_TOKEN=[REDACTED:"), "{out}");
    assert!(
        out.contains(&format!("{sha} empty.txt\n")),
        "hashes pass unchanged: {out}"
    );
    assert!(out.ends_with("done\n"));
    assert_eq!(
        r["redactions"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum::<u64>(),
        1
    );
}

#[tokio::test]
async fn buffered_and_streamed_output_are_identical_after_redaction() {
    let app = spawn_app().await;
    let token = fake_github_token();
    let cmd = format!("for i in 1 2 3; do echo line $i {token}; done; printf 'tail {}'; sleep 0.2; printf '{}\\n'", &token[..10], &token[10..]);
    let buffered = app.exec(json!({"command": cmd})).await;
    let res = app
        .client
        .post(app.url("/v1/exec/stream"))
        .bearer_auth(OPERATOR)
        .json(&json!({"command": cmd}))
        .send()
        .await
        .unwrap();
    let mut text = res.text().await.unwrap();
    let events = parse_sse(&mut text);
    let streamed: String = events
        .iter()
        .filter(|e| e.event == "stdout")
        .map(|e| e.data["data"].as_str().unwrap())
        .collect();
    assert_eq!(streamed, buffered["stdout"].as_str().unwrap());
    assert!(!streamed.contains(&token[10..]));
    let exit = events.iter().find(|e| e.event == "exit").unwrap();
    assert_eq!(exit.data["redactions"], buffered["redactions"]);
}

/// The inline part of a truncated stream: head and tail around the collector's marker.
fn kept_bytes(text: &str) -> u64 {
    let marker = text.find("\n[... shellwise: ").expect("an omission marker");
    let end = text[marker + 1..].find("...]\n").expect("marker end") + marker + 1 + 5;
    (marker + text.len() - end) as u64
}

#[tokio::test]
async fn truncation_fields_index_the_output_the_caller_was_given_after_redaction() {
    // Short secrets under a long rule id: redaction makes the stream longer than the command
    // wrote it, which once made `stdoutOmitted.length` exceed `stdoutBytes`.
    let app = spawn_app_with(|s| s.exec.inline_output_bytes = 256).await;
    let r = app
        .exec(json!({"command": "for i in $(seq 1 300); do echo \"password=Qx7$i#vR\"; done"}))
        .await;
    let written = r["stdoutBytes"].as_u64().unwrap();
    let redacted = r["stdoutRedactedBytes"].as_u64().unwrap();
    assert!(redacted > written, "{r}");
    assert_eq!(r["stdoutTruncated"], true);
    let omitted = &r["stdoutOmitted"];
    let (offset, length) = (
        omitted["offset"].as_u64().unwrap(),
        omitted["length"].as_u64().unwrap(),
    );
    let text = r["stdout"].as_str().unwrap();
    assert!(!text.contains("Qx71#vR"), "{text}");
    assert_eq!(
        offset,
        text.find("\n[... shellwise: ").unwrap() as u64,
        "{r}"
    );
    assert_eq!(kept_bytes(text) + length, redacted, "{r}");
    assert_eq!(
        r["redactions"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum::<u64>(),
        300
    );

    // Nothing redacted: both lengths agree.
    let plain = app.exec(json!({"command": "seq 1 5"})).await;
    assert_eq!(plain["stdoutBytes"], plain["stdoutRedactedBytes"]);
    assert_eq!(plain["stdoutTruncated"], false);
}

#[tokio::test]
async fn output_whose_redaction_exceeds_the_cpu_budget_is_withheld_never_passed_unredacted() {
    let app = spawn_app_with(|s| s.redaction.cpu_budget_ms = 1).await;
    let token = fake_github_token();
    // Keyword-dense lines for a few MiB, then a secret: the budget runs out before the
    // secret arrives, and what follows must be dropped, not sent through unfiltered.
    let cmd = format!(
        "yes 'token password secret apikey auth bearer x' | head -c 6000000; echo; echo {token}"
    );
    for path in ["/v1/exec", "/v1/exec/stream"] {
        let res = app
            .client
            .post(app.url(path))
            .bearer_auth(OPERATOR)
            .json(&json!({"command": cmd}))
            .send()
            .await
            .unwrap();
        let mut text = res.text().await.unwrap();
        assert!(!text.contains(&token[4..]), "{path} leaked the secret");
        let result = if path == "/v1/exec" {
            serde_json::from_str::<serde_json::Value>(&text).unwrap()
        } else {
            let events = parse_sse(&mut text);
            let streamed: String = events
                .iter()
                .filter(|e| e.event == "stdout")
                .map(|e| e.data["data"].as_str().unwrap())
                .collect();
            assert!(
                streamed.contains("withheld"),
                "{path}: no marker in the stream"
            );
            assert!(streamed.len() < 6_000_000, "{path}: nothing was withheld");
            let exit = events.iter().find(|e| e.event == "exit").unwrap();
            assert_eq!(exit.data["exitCode"], 0, "{path}");
            continue;
        };
        assert_eq!(result["exitCode"], 0, "{result}");
        let stdout = result["stdout"].as_str().unwrap();
        assert!(stdout.ends_with("redaction.cpu_budget_ms)]\n"), "{stdout}");
        assert_eq!(result["stdoutTruncated"], true);
        let omitted = &result["stdoutOmitted"];
        let end = omitted["offset"].as_u64().unwrap() + omitted["length"].as_u64().unwrap();
        assert_eq!(
            end,
            result["stdoutRedactedBytes"].as_u64().unwrap(),
            "{result}"
        );
    }
}
