//! Every problem code, produced by a real request, in the one problem shape.

use serde_json::{json, Value};

use crate::helpers::{spawn_app, spawn_app_with, ADMIN, OPERATOR, VIEWER};

fn assert_problem(
    status: u16,
    headers: &reqwest::header::HeaderMap,
    body: &Value,
    code: &str,
    want_status: u16,
) {
    assert_eq!(status, want_status, "{code}: {body}");
    assert_eq!(
        headers["content-type"], "application/problem+json",
        "{code}"
    );
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["status"], want_status);
    assert_eq!(body["type"], format!("urn:shellwise:problem:{code}"));
    assert!(!body["title"].as_str().unwrap().is_empty());
    assert!(!body["detail"].as_str().unwrap().is_empty());
    let request_id = headers["x-request-id"].to_str().unwrap();
    assert_eq!(body["requestId"], request_id, "{code}");
}

async fn send(req: reqwest::RequestBuilder) -> (u16, reqwest::header::HeaderMap, Value) {
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    (status, headers, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn every_client_mistake_is_a_4xx_problem_with_a_stable_code() {
    // A workspace with a symlink that points out of it.
    let ws = tempfile::tempdir().unwrap();
    std::fs::copy("Cargo.toml", ws.path().join("Cargo.toml")).unwrap();
    std::os::unix::fs::symlink("/etc", ws.path().join("escape-link")).unwrap();
    let root = ws.path().display().to_string();
    let app = spawn_app_with(|s| {
        s.server.max_body_bytes = 4096;
        s.workspace.roots = vec![root.clone()];
        s.exec.default_cwd = root;
        s.limits.network_host_roles = vec![shellwise::auth::Role::Admin];
    })
    .await;
    let exec = app.url("/v1/exec");
    let op = |b: reqwest::RequestBuilder| b.bearer_auth(OPERATOR);
    let raw = |body: &'static str| {
        op(app.client.post(&exec))
            .header("content-type", "application/json")
            .body(body)
    };
    let cases: Vec<(&str, u16, reqwest::RequestBuilder)> = vec![
        ("malformed_json", 400, raw("{\"command\": ")),
        ("invalid_type", 400, raw("{\"command\": 5}")),
        // Valid JSON of the wrong type is a type error, also where an enum belongs.
        (
            "invalid_type",
            400,
            raw(r#"{"command": "x", "analyze": 5}"#),
        ),
        (
            "invalid_type",
            400,
            raw(r#"{"command": "x", "outputEncoding": [], "network": 1}"#),
        ),
        (
            "invalid_type",
            400,
            raw(r#"{"command": "x", "command": "y"}"#),
        ),
        (
            "invalid_type",
            400,
            raw(r#"{"command": "x", "limits": {"addressSpaceBytes": 9223372036854775808}}"#),
        ),
        ("malformed_json", 400, raw(r#"{"command": "x",}"#)),
        (
            "malformed_json",
            400,
            raw(r#"{"command": "x", "analyze": au}"#),
        ),
        ("malformed_json", 400, raw(r#"{"command": "x"} trailing"#)),
        (
            "invalid_type",
            400,
            raw("{\"command\": \"x\", \"timeoutMs\": 1.5}"),
        ),
        (
            "unknown_field",
            400,
            raw("{\"command\": \"x\", \"comand\": \"y\"}"),
        ),
        ("invalid_request", 400, raw("{}")),
        (
            "invalid_request",
            400,
            raw("{\"command\": \"x\", \"argv\": [\"y\"]}"),
        ),
        (
            "invalid_request",
            400,
            raw("{\"command\": \"x\", \"timeoutMs\": 0}"),
        ),
        (
            "invalid_request",
            400,
            raw("{\"command\": \"x\", \"timeoutMs\": 99999999}"),
        ),
        ("invalid_request", 400, raw("{\"argv\": []}")),
        (
            "invalid_request",
            400,
            raw("{\"command\": \"x\", \"env\": {\"A=B\": \"1\"}}"),
        ),
        (
            "unsupported_language",
            400,
            raw("{\"code\": \"x\", \"language\": \"cobol\"}"),
        ),
        (
            "unsupported_shell",
            400,
            raw("{\"command\": \"x\", \"shell\": \"/usr/bin/python3\"}"),
        ),
        (
            "invalid_cwd",
            400,
            raw("{\"command\": \"x\", \"cwd\": \"/no/such/dir\"}"),
        ),
        (
            "cwd_outside_workspace",
            403,
            raw(r#"{"command": "x", "cwd": "/etc"}"#),
        ),
        (
            "cwd_outside_workspace",
            403,
            raw(r#"{"command": "x", "cwd": "../../../../../.."}"#),
        ),
        (
            "cwd_outside_workspace",
            403,
            raw(r#"{"command": "x", "cwd": "escape-link"}"#),
        ),
        (
            "invalid_cwd",
            400,
            raw(r#"{"command": "x", "cwd": "Cargo.toml"}"#),
        ),
        (
            "limit_not_allowed",
            403,
            raw(r#"{"command": "x", "limits": {"memoryBytes": 1073741824}}"#),
        ),
        (
            "invalid_request",
            400,
            raw(r#"{"command": "x", "limits": {"pids": 0}}"#),
        ),
        (
            "unknown_field",
            400,
            raw(r#"{"command": "x", "limits": {"ram": 5}}"#),
        ),
        (
            "invalid_type",
            400,
            raw(r#"{"command": "x", "network": "wifi"}"#),
        ),
        (
            "invalid_type",
            400,
            raw(r#"{"command": "x", "limits": [1, 2]}"#),
        ),
        ("invalid_type", 400, raw(r#"["echo hi"]"#)),
        (
            "network_not_allowed",
            403,
            raw(r#"{"command": "x", "network": "host"}"#),
        ),
        (
            "unauthorized",
            401,
            app.client.post(&exec).json(&json!({"command": "x"})),
        ),
        (
            "unauthorized",
            401,
            app.client
                .post(&exec)
                .header("authorization", "Basic Zm9vOmJhcg=="),
        ),
        (
            "invalid_token",
            403,
            app.client
                .post(&exec)
                .bearer_auth("wrong")
                .json(&json!({"command": "x"})),
        ),
        (
            "insufficient_role",
            403,
            app.client
                .post(&exec)
                .bearer_auth(VIEWER)
                .json(&json!({"command": "x"})),
        ),
        ("not_found", 404, app.client.get(app.url("/v1/nope"))),
        ("method_not_allowed", 405, op(app.client.get(&exec))),
        (
            "method_not_allowed",
            405,
            op(app.client.delete(app.url("/v1/exec/stream"))),
        ),
        (
            "method_not_allowed",
            405,
            app.client.post(app.url("/healthz")),
        ),
        (
            "payload_too_large",
            413,
            op(app.client.post(&exec)).json(&json!({"command": "x".repeat(8000)})),
        ),
        (
            "unsupported_media_type",
            415,
            op(app.client.post(&exec))
                .header("content-type", "text/plain")
                .body("{\"command\":\"x\"}"),
        ),
        (
            "unsupported_media_type",
            415,
            op(app.client.post(&exec)).body("{\"command\":\"x\"}"),
        ),
    ];
    for (code, status, req) in cases {
        let (got, headers, body) = send(req).await;
        assert_problem(got, &headers, &body, code, status);
        if status == 405 {
            assert!(headers.contains_key("allow"), "{code} needs Allow");
        }
        if status == 401 {
            assert_eq!(headers["www-authenticate"], "Bearer realm=\"shellwise\"");
        }
    }
}

#[tokio::test]
async fn unsupported_language_lists_the_available_ones() {
    let app = spawn_app().await;
    let (status, body) = app
        .post(
            "/v1/exec",
            OPERATOR,
            &json!({"code": "x", "language": "cobol"}),
        )
        .await;
    assert_eq!(status, 400);
    let available: Vec<&str> = body["available"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let expected: Vec<&str> = app
        .service
        .interpreters()
        .iter()
        .map(|i| i.language)
        .collect();
    assert_eq!(available, expected);
    assert!(available.contains(&"sh"));
}

#[tokio::test]
async fn a_full_server_says_capacity_exceeded_with_retry_after() {
    let app = spawn_app_with(|s| {
        s.exec.max_concurrent = 1;
        s.exec.queue_timeout_ms = 200;
    })
    .await;
    let slow = app.exec(json!({"command": "sleep 1"}));
    let refused = async {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        send(
            app.client
                .post(app.url("/v1/exec"))
                .bearer_auth(ADMIN)
                .json(&json!({"command": "true"})),
        )
        .await
    };
    let (slow, (status, headers, body)) = tokio::join!(slow, refused);
    assert_eq!(slow["exitCode"], 0);
    assert_problem(status, &headers, &body, "capacity_exceeded", 503);
    assert_eq!(headers["retry-after"], "1");
}

#[tokio::test]
async fn a_server_shutting_down_refuses_new_work() {
    let app = spawn_app().await;
    app.service.begin_shutdown();
    let (status, headers, body) = send(
        app.client
            .post(app.url("/v1/exec"))
            .bearer_auth(OPERATOR)
            .json(&json!({"command": "true"})),
    )
    .await;
    assert_problem(status, &headers, &body, "shutting_down", 503);
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 503);
}

#[test]
fn internal_errors_hide_their_cause() {
    let err = shellwise::error::ApiError::internal(&anyhow::anyhow!("disk /var/secret exploded"));
    let problem = err.problem();
    assert_eq!(problem.status, 500);
    assert_eq!(problem.code, shellwise::error::Code::InternalError);
    assert!(!problem.detail.contains("secret"));
}

#[test]
fn every_code_is_exercised_by_these_tests() {
    let source = [
        include_str!("errors.rs"),
        include_str!("policy.rs"),
        include_str!("jobs.rs"),
        include_str!("actions.rs"),
        include_str!("files.rs"),
        include_str!("approvals.rs"),
    ]
    .concat();
    for code in shellwise::error::Code::ALL {
        let quoted = format!("\"{}\"", code.as_str());
        let named = format!("Code::{code:?}");
        assert!(
            source.contains(&quoted) || source.contains(&named),
            "no test produces {}",
            code.as_str()
        );
    }
}

#[test]
fn a_client_that_left_is_told_408_if_anything_is_still_listening() {
    // `client_gone` ends requests whose client hung up while queued (jobs.rs shows nothing
    // ran); it is the client's doing, so it is a 4xx, never a server fault in the metrics.
    let code = shellwise::error::Code::ClientGone;
    assert_eq!(code.status().as_u16(), 408);
}

#[test]
fn llm_router_errors_map_to_their_own_codes() {
    use shellwise::api::chat::llm_code;
    use shellwise::error::Code;
    use shellwise::llm::LlmError;
    let p = || "local".to_string();
    let cases = [
        (LlmError::NoProviders, Code::LlmUnavailable, 503),
        (
            LlmError::CircuitOpen { provider: p() },
            Code::LlmUnavailable,
            503,
        ),
        (LlmError::UnknownProvider(p()), Code::UnknownProvider, 404),
        (
            LlmError::ModelNotFound {
                provider: p(),
                model: "nope".into(),
            },
            Code::ModelNotFound,
            404,
        ),
        (LlmError::Timeout { provider: p() }, Code::LlmTimeout, 504),
        (
            LlmError::Upstream {
                provider: p(),
                status: Some(500),
                message: "boom".into(),
            },
            Code::LlmUpstreamError,
            502,
        ),
        (
            LlmError::AllFailed(vec![
                LlmError::Timeout { provider: p() },
                LlmError::CircuitOpen { provider: p() },
            ]),
            Code::LlmUpstreamError,
            502,
        ),
    ];
    for (err, code, status) in cases {
        let got = llm_code(&err);
        assert_eq!(got, code, "{err}");
        assert_eq!(got.status().as_u16(), status, "{err}");
    }
    let wire: Vec<&str> = [
        Code::ModelNotFound,
        Code::LlmUnavailable,
        Code::LlmUpstreamError,
        Code::LlmTimeout,
        Code::UnknownProvider,
    ]
    .iter()
    .map(|c| c.as_str())
    .collect();
    assert_eq!(
        wire,
        [
            "model_not_found",
            "llm_unavailable",
            "llm_upstream_error",
            "llm_timeout",
            "unknown_provider"
        ]
    );
}

#[tokio::test]
async fn one_tokens_flood_waits_for_its_own_slots_and_leaves_the_rest_to_others() {
    // Two slots per token, four in all. The operator fills its two with sleeps; its third
    // request waits for one of its own slots and gets 429 when none frees in time, while the
    // admin, another caller, is served at once.
    let app = spawn_app_with(|s| {
        s.exec.max_concurrent = 4;
        s.exec.max_concurrent_per_token = 2;
        s.exec.queue_timeout_ms = 300;
    })
    .await;
    let sleep = json!({"command": "sleep 1.5"});
    let third = async {
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        let res = app
            .client
            .post(app.url("/v1/exec"))
            .bearer_auth(OPERATOR)
            .json(&json!({"command": "echo third"}))
            .send()
            .await
            .unwrap();
        let retry = res
            .headers()
            .get("retry-after")
            .map(|v| v.to_str().unwrap().to_string());
        let status = res.status().as_u16();
        let body: serde_json::Value = res.json().await.unwrap();
        (status, body["code"].clone(), retry)
    };
    let admin = async {
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        app.post("/v1/exec", ADMIN, &json!({"command": "echo admin"}))
            .await
    };
    let ((s1, _), (s2, _), third, (admin_status, admin_body)) = tokio::join!(
        app.post("/v1/exec", OPERATOR, &sleep),
        app.post("/v1/exec", OPERATOR, &sleep),
        third,
        admin
    );
    assert_eq!((s1, s2), (200, 200));
    assert_eq!(third, (429, json!("quota_exceeded"), Some("1".to_string())));
    assert_eq!(
        (admin_status, admin_body["stdout"].clone()),
        (200, json!("admin\n"))
    );
}

#[tokio::test]
async fn with_audit_required_nothing_runs_unrecorded() {
    use std::os::unix::fs::PermissionsExt;
    let marker_dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(marker_dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let marker = marker_dir.path().join("ran");
    let app = spawn_app_with(|s| {
        s.audit.file = "/proc/shellwise-no-such-dir/audit.log".into();
        s.audit.required = true;
    })
    .await;
    let (status, body) = app
        .post(
            "/v1/exec",
            OPERATOR,
            &json!({"argv": ["touch", marker.display().to_string()]}),
        )
        .await;
    assert_eq!(
        (status, body["code"].clone()),
        (503, json!("audit_unavailable")),
        "{body}"
    );
    assert!(!marker.exists(), "the command ran without its audit record");
    let (status, ready) = app.get_public("/readyz").await;
    assert_eq!(
        (status, ready["status"].clone()),
        (503, json!("audit_unavailable"))
    );
}

#[tokio::test]
async fn a_limit_the_host_cannot_enforce_is_refused_unless_best_effort() {
    // Without cgroups a memory limit used to be accepted and silently not applied.
    let app = spawn_app_with(|s| s.limits.cgroups = shellwise::config::CgroupsSetting::Off).await;
    let body = json!({"command": "echo ran", "limits": {"memoryBytes": 67108864, "pids": 10}});
    let (status, p) = app.post("/v1/exec", OPERATOR, &body).await;
    assert_eq!(
        (status, p["code"].as_str()),
        (422, Some("limit_unenforceable")),
        "{p}"
    );
    let detail = p["detail"].as_str().unwrap();
    assert!(
        detail.contains("limits.memoryBytes") && detail.contains("limits.pids"),
        "{detail}"
    );
    assert!(
        detail.contains("cgroups") && detail.contains("bestEffort"),
        "{detail}"
    );

    let mut anyway = body.clone();
    anyway["bestEffort"] = json!(true);
    let r = app.exec(anyway).await;
    assert_eq!(r["stdout"], "ran\n");
    let enforced: Vec<&str> = r["limitsEnforced"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["limit"].as_str())
        .collect();
    assert!(
        !enforced.contains(&"memory") && !enforced.contains(&"pids"),
        "{r}"
    );
    // Limits the host can apply (rlimits) need no opt-in.
    let r = app
        .exec(json!({"command": "ulimit -n", "limits": {"openFiles": 64}}))
        .await;
    assert_eq!(r["stdout"], "64\n");
}

#[tokio::test]
async fn a_trickled_body_gets_408_and_a_flood_of_them_leaves_healthz_answering() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app_with(|s| s.server.body_timeout_ms = 300).await;
    let host = app.address.trim_start_matches("http://").to_string();
    let head = format!(
        "POST /v1/exec HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {OPERATOR}\r\n\
         Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"comm"
    );
    // A flood of connections that send headers and then trickle nothing more.
    let mut flood = Vec::new();
    for _ in 0..300 {
        let mut s = tokio::net::TcpStream::connect(&host).await.unwrap();
        s.write_all(head.as_bytes()).await.unwrap();
        flood.push(s);
    }
    let started = std::time::Instant::now();
    let (status, _) = app.get_public("/healthz").await;
    assert_eq!(status, 200);
    assert!(started.elapsed() < std::time::Duration::from_secs(2));

    // Each is answered 408 body_timeout once its deadline passes, and closed.
    let mut answer = String::new();
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        flood[0].read_to_string(&mut answer),
    )
    .await;
    assert!(read.is_ok(), "no answer within 5 s");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    let code = format!("\"code\":\"{}\"", "body_timeout");
    assert!(answer.contains(&code), "{answer}");
    assert!(answer.contains("server.body_timeout_ms"), "{answer}");
}

#[tokio::test]
async fn a_token_over_its_rate_gets_429_with_retry_after_and_others_are_still_served() {
    let app = spawn_app_with(|s| s.exec.max_per_token_per_minute = 2).await;
    let body = json!({"command": "true"});
    for _ in 0..2 {
        assert_eq!(app.post("/v1/exec", OPERATOR, &body).await.0, 200);
    }
    let (status, headers, p) = send(
        app.client
            .post(app.url("/v1/exec"))
            .bearer_auth(OPERATOR)
            .json(&body),
    )
    .await;
    assert_eq!(
        (status, p["code"].as_str()),
        (429, Some("rate_limited")),
        "{p}"
    );
    let retry: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=30).contains(&retry), "Retry-After {retry}");
    assert!(p["detail"]
        .as_str()
        .unwrap()
        .contains("max_per_token_per_minute"));
    // Another token has its own bucket.
    assert_eq!(app.post("/v1/exec", ADMIN, &body).await.0, 200);
}
