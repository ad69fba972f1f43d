//! What ChatGPT Actions need: a document the importer accepts, and responses under its
//! 100,000-character limit whatever the command printed.

use base64::Engine as _;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, spawn_app_with, OPERATOR};

async fn raw_post(app: &crate::helpers::TestApp, path: &str, body: Value) -> (u16, String) {
    let res = app
        .client
        .post(app.url(path))
        .bearer_auth(OPERATOR)
        .json(&body)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn a_result_with_both_streams_full_stays_under_the_budget_and_says_what_it_cut() {
    let app = spawn_app().await;
    let cmd = "seq 1 20000; seq 1 20000 >&2";
    let (status, text) = raw_post(
        &app,
        "/v1/exec",
        json!({"command": cmd, "analyze": "never"}),
    )
    .await;
    assert_eq!(status, 200);
    assert!(text.chars().count() <= 90_000, "{} chars", text.len());
    let r: Value = serde_json::from_str(&text).unwrap();
    let all: String = (1..=20000).map(|i| format!("{i}\n")).collect();
    for s in ["stdout", "stderr"] {
        let kept = r[s].as_str().unwrap();
        let omitted = &r[format!("{s}Omitted")];
        assert_eq!(r[format!("{s}Truncated")], true);
        assert_eq!(r[format!("{s}Bytes")], all.len());
        let (off, len) = (
            omitted["offset"].as_u64().unwrap() as usize,
            omitted["length"].as_u64().unwrap() as usize,
        );
        // What is kept is exactly the stream without the omitted range.
        assert_eq!(kept, format!("{}{}", &all[..off], &all[off + len..]), "{s}");
    }
}

#[tokio::test]
async fn control_bytes_that_escape_six_fold_still_fit_and_the_command_is_not_killed() {
    let app = spawn_app().await;
    let cmd = "head -c 500000 /dev/zero | tr '\\0' '\\001'; echo; echo finished";
    let (status, text) = raw_post(
        &app,
        "/v1/exec",
        json!({"command": cmd, "analyze": "never"}),
    )
    .await;
    assert_eq!(status, 200);
    assert!(text.len() <= 90_000, "{} chars", text.len());
    let r: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        (r["exitCode"].as_i64(), r["limit"].as_str()),
        (Some(0), None)
    );
    assert_eq!(r["stdoutBytes"], 500_000 + 1 + 9);
    assert!(r["stdout"].as_str().unwrap().ends_with("finished\n"));
}

#[tokio::test]
async fn a_request_may_ask_for_a_smaller_or_larger_budget_within_bounds() {
    let app = spawn_app().await;
    // 48,894 bytes: inside the 64 KiB inline cap, so only the budget can cut it.
    let body = json!({"command": "seq 1 10000", "analyze": "never"});
    let truncated =
        |text: &str| serde_json::from_str::<Value>(text).unwrap()["stdoutTruncated"].clone();
    let (_, default) = raw_post(&app, "/v1/exec", body.clone()).await;
    assert_eq!(truncated(&default), false);
    let (status, small) = raw_post(&app, "/v1/exec?maxResponseChars=5000", body.clone()).await;
    assert_eq!(status, 200);
    assert!(small.len() <= 5000, "{}", small.len());
    assert_eq!(truncated(&small), true);
    let (_, large) = raw_post(&app, "/v1/exec?maxResponseChars=1000000", body.clone()).await;
    assert_eq!(truncated(&large), false);
    for bad in ["10", "99999999999", "lots"] {
        let (status, problem) = raw_post(
            &app,
            &format!("/v1/exec?maxResponseChars={bad}"),
            body.clone(),
        )
        .await;
        assert_eq!(status, 400, "{bad}: {problem}");
    }
}

#[tokio::test]
async fn a_cut_base64_result_still_decodes_and_its_ranges_add_up() {
    let app = spawn_app().await;
    let body = json!({"command": "head -c 60000 /dev/urandom", "outputEncoding": "base64", "analyze": "never"});
    let (status, text) = raw_post(&app, "/v1/exec?maxResponseChars=20000", body).await;
    assert_eq!(status, 200);
    assert!(text.len() <= 20_000);
    let r: Value = serde_json::from_str(&text).unwrap();
    let kept = base64::engine::general_purpose::STANDARD
        .decode(r["stdout"].as_str().unwrap())
        .expect("valid base64 after the cut");
    let omitted = r["stdoutOmitted"]["length"].as_u64().unwrap();
    assert_eq!(kept.len() as u64 + omitted, 60_000);
}

#[tokio::test]
async fn a_finished_jobs_result_fits_the_budget_too() {
    let app = spawn_app().await;
    let (status, text) = raw_post(
        &app,
        "/v1/jobs?maxResponseChars=8000",
        json!({"command": "seq 1 20000; seq 1 20000 >&2", "analyze": "never"}),
    )
    .await;
    assert_eq!(status, 200);
    assert!(text.len() <= 8000, "{}", text.len());
    let job: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(job["result"]["stdoutTruncated"], true);
    let id = job["id"].as_str().unwrap();
    let (_, full) = app.get(&format!("/v1/jobs/{id}"), OPERATOR).await;
    assert!(full.to_string().len() <= 90_000);
}

fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .iter()
                .map(move |(method, op)| (path.clone(), method.clone(), op))
        })
        .collect()
}

#[tokio::test]
async fn the_actions_document_passes_what_the_actions_importer_checks() {
    let app = spawn_app_with(|s| s.server.public_url = "https://shell.example.test".into()).await;
    let (status, doc) = app.get_public("/openapi-actions.json").await;
    assert_eq!(status, 200);
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(
        doc["servers"],
        json!([{"url": "https://shell.example.test"}])
    );
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    let ops = operations(&doc);
    assert!(
        !ops.is_empty() && ops.len() <= 30,
        "{} operations",
        ops.len()
    );
    let mut ids = std::collections::BTreeSet::new();
    for (path, method, op) in &ops {
        let id = op["operationId"]
            .as_str()
            .unwrap_or_else(|| panic!("{method} {path}: no operationId"));
        assert!(ids.insert(id.to_string()), "duplicate {id}");
        for field in ["summary", "description"] {
            let text = op[field].as_str().unwrap_or_default();
            assert!(
                !text.is_empty() && text.chars().count() <= 300,
                "{id}.{field}: {} chars",
                text.chars().count()
            );
        }
        for p in op["parameters"].as_array().into_iter().flatten() {
            let d = p["description"].as_str().unwrap_or_default();
            assert!(
                d.chars().count() <= 700,
                "{id} {}: {} chars",
                p["name"],
                d.len()
            );
        }
        assert!(
            op["x-openai-isConsequential"].is_boolean(),
            "{id}: isConsequential"
        );
        for (status, resp) in op["responses"].as_object().unwrap() {
            for media in resp["content"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, _)| k)
            {
                assert!(
                    media.ends_with("json"),
                    "{id} {status}: {media} (Actions read JSON only)"
                );
            }
        }
    }
    // Long work goes through jobs, bounded under the 45 s an Action may take.
    assert!(ids.contains("startJob") && ids.contains("getJob") && ids.contains("cancelJob"));
    assert!(!ids.contains("streamCommand") && !ids.contains("streamJobEvents"));
    let text = doc.to_string();
    assert!(!text.contains("text/event-stream"));
    let start = ops
        .iter()
        .find(|o| o.2["operationId"] == "startJob")
        .unwrap()
        .2;
    let wait = start["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "waitMs")
        .unwrap();
    assert!(wait["schema"]["maximum"].as_u64().unwrap() < 45_000);
    assert!(
        text.contains("\"maximum\":40000"),
        "timeoutMs is capped for inline runs"
    );
    // Consequential exactly where something runs or changes.
    let consequential: Vec<&str> = ops
        .iter()
        .filter(|o| o.2["x-openai-isConsequential"] == true)
        .map(|o| o.2["operationId"].as_str().unwrap())
        .collect();
    assert_eq!(
        consequential
            .iter()
            .copied()
            .collect::<std::collections::BTreeSet<_>>(),
        [
            "runCommand",
            "startJob",
            "cancelJob",
            "reloadPolicy",
            "selectModel",
            "createWorkspace",
            "deleteWorkspace",
            "writeFile",
            "deleteFile",
            "moveFile",
            "patchFiles",
            "approveConfirmation",
            "rejectConfirmation"
        ]
        .into_iter()
        .collect()
    );
}

#[tokio::test]
async fn without_a_public_url_the_actions_document_is_a_problem_naming_the_key() {
    let app = spawn_app().await;
    let (status, problem) = app.get_public("/openapi-actions.json").await;
    assert_eq!(status, 404);
    assert_eq!(problem["code"], "actions_not_configured");
    assert!(problem["detail"]
        .as_str()
        .unwrap()
        .contains("server.public_url"));
}

#[test]
fn a_public_url_that_is_not_an_https_url_stops_the_server_at_load() {
    for bad in ["not a url", "http://shell.example.com"] {
        let env = vec![("SHELLWISE__SERVER__PUBLIC_URL".to_string(), bad.to_string())];
        let err = shellwise::config::Settings::load_from(None, env).unwrap_err();
        assert!(
            format!("{err:#}").contains("server.public_url"),
            "{bad}: {err:#}"
        );
    }
}
