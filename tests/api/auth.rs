use serde_json::{json, Value};

use crate::helpers::{spawn_app, spawn_app_with, ADMIN, ANALYST, OPERATOR, VIEWER};

/// Every operation in the generated spec: method, path, whether it is public.
fn operations(spec: &Value) -> Vec<(String, String, bool)> {
    let mut ops = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let public = op["security"].as_array().is_some_and(|s| {
                s.iter()
                    .all(|r| r.as_object().is_some_and(|o| o.is_empty()))
            });
            ops.push((method.to_uppercase(), path.clone(), public));
        }
    }
    ops
}

#[tokio::test]
async fn every_non_public_operation_refuses_a_missing_token() {
    let app = spawn_app().await;
    let spec: Value = app
        .client
        .get(app.url("/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ops = operations(&spec);
    assert!(ops.len() >= 5);
    let mut protected = 0;
    for (method, path, public) in ops {
        let req = app
            .client
            .request(method.parse().unwrap(), app.url(&path))
            .json(&json!({"command": "true"}));
        let res = req.send().await.unwrap();
        if public {
            assert_eq!(res.status(), 200, "{method} {path} should be public");
        } else {
            protected += 1;
            assert_eq!(
                res.status(),
                401,
                "{method} {path} answered without a token"
            );
            let body: Value = res.json().await.unwrap();
            assert_eq!(body["code"], "unauthorized");
        }
    }
    assert!(protected >= 3);
}

#[tokio::test]
async fn public_routes_need_no_token() {
    let app = spawn_app().await;
    for path in ["/healthz", "/readyz", "/openapi.json", "/docs/"] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
    }
    let res = app.client.get(app.url("/docs")).send().await.unwrap();
    assert_eq!(res.status(), 200, "/docs redirects to the UI");
}

#[tokio::test]
async fn roles_gate_exec_and_metrics() {
    let app = spawn_app().await;
    for (token, status) in [(ADMIN, 200), (OPERATOR, 200), (ANALYST, 403), (VIEWER, 403)] {
        let (got, body) = app
            .post("/v1/exec", token, &json!({"command": "true"}))
            .await;
        assert_eq!(got, status, "{token}: {body}");
        if status == 403 {
            assert_eq!(body["code"], "insufficient_role");
        }
    }
    for token in [ADMIN, OPERATOR, ANALYST, VIEWER] {
        let res = app
            .client
            .get(app.url("/metrics"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{token}");
    }
    let res = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn metrics_can_be_made_public() {
    let app = spawn_app_with(|s| s.server.metrics_public = true).await;
    let res = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn head_answers_like_get_without_a_body_for_load_balancers() {
    let app = spawn_app().await;
    for path in ["/healthz", "/readyz"] {
        let get = app.client.get(app.url(path)).send().await.unwrap();
        let head = app.client.head(app.url(path)).send().await.unwrap();
        assert_eq!(head.status(), 200, "HEAD {path}");
        assert_eq!(
            head.headers()["content-type"],
            get.headers()["content-type"],
            "{path}"
        );
        if path == "/healthz" {
            assert_eq!(
                head.headers().get("content-length"),
                get.headers().get("content-length"),
                "HEAD says how long the GET body is"
            );
        }
        assert_eq!(
            head.bytes().await.unwrap().len(),
            0,
            "HEAD {path} has no body"
        );
    }
    let head = app.client.head(app.url("/metrics")).send().await.unwrap();
    assert_eq!(head.status(), 401, "HEAD is gated like GET");
    let post = app.client.post(app.url("/healthz")).send().await.unwrap();
    assert_eq!(post.status(), 405);
    assert_eq!(post.headers()["allow"], "GET, HEAD");
}
