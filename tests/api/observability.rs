use serde_json::json;

use crate::helpers::{spawn_app, VIEWER};

#[tokio::test]
async fn request_ids_are_echoed_or_generated() {
    let app = spawn_app().await;
    let res = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "my-trace-123")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["x-request-id"], "my-trace-123");
    let res = app.client.get(app.url("/healthz")).send().await.unwrap();
    let id = res.headers()["x-request-id"].to_str().unwrap().to_string();
    assert_eq!(id.len(), 16);
    // An id that could break logs is replaced, not echoed.
    let res = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "bad id\twith spaces")
        .send()
        .await
        .unwrap();
    assert_ne!(res.headers()["x-request-id"], "bad id\twith spaces");
}

#[tokio::test]
async fn metrics_count_requests_and_executions() {
    let app = spawn_app().await;
    app.exec(json!({"command": "exit 1"})).await;
    app.exec(json!({"command": "true"})).await;
    let text = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth(VIEWER)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for needle in [
        "shellwise_http_requests_total{route=\"/v1/exec\",method=\"POST\",status=\"200\"}",
        "shellwise_execs_total{outcome=\"success\"}",
        "shellwise_execs_total{outcome=\"failure\"}",
        "shellwise_http_request_duration_seconds_bucket{route=\"/v1/exec\"",
        "shellwise_exec_duration_seconds_bucket",
        "shellwise_running_children",
    ] {
        assert!(text.contains(needle), "missing {needle} in\n{text}");
    }
}

#[tokio::test]
async fn readiness_reports_what_is_active() {
    let app = spawn_app().await;
    let (_, body) = app.get_public("/readyz").await;
    assert_eq!(body["status"], "ready");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(body["shells"], json!(["/bin/sh", "/bin/bash"]));
    assert_eq!(body["running"], 0);
    let languages: Vec<&str> = body["interpreters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["language"].as_str().unwrap())
        .collect();
    assert!(languages.contains(&"sh"));
    assert!(body["sandbox"].is_string() && body["policy"].is_string());
}
