//! The router's metrics, captured with a thread-local debugging recorder.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use metrics_util::debugging::{DebugValue, DebuggingRecorder};
use serde_json::json;

use super::*;
use shellwise_testkit::http::{FakeServer, Reply};

#[test]
fn a_retried_then_successful_request_emits_the_documented_metrics() {
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    metrics::with_local_recorder(&recorder, || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let server = FakeServer::sequence(vec![
                Reply::json(503, &json!({"error":"loading"})),
                Reply::json(
                    200,
                    &json!({"message":{"role":"assistant","content":"ok"},"done":true,
                            "done_reason":"stop","prompt_eval_count":7,"eval_count":3}),
                ),
            ])
            .await;
            let r = Router::with_options(
                vec![ProviderConfig {
                    name: "m".into(),
                    kind: ProviderKind::Ollama,
                    base_url: Some(server.base_url()),
                    api_key_env: None,
                    models: vec!["x".into()],
                    priority: 0,
                    timeout_ms: Some(2_000),
                    connect_timeout_ms: None,
                    max_retries: Some(1),
                }],
                |_| None,
                RouterOptions {
                    backoff_base: std::time::Duration::from_millis(1),
                    ..RouterOptions::default()
                },
            )
            .unwrap();
            let req = ChatRequest {
                messages: vec![ChatMessage::new(Role::User, "hi")],
                ..ChatRequest::default()
            };
            assert_eq!(r.chat(&req).await.unwrap().content, "ok");
        });
    });
    let got: BTreeMap<String, String> = snapshotter
        .snapshot()
        .into_vec()
        .into_iter()
        .map(|(key, _, _, value)| {
            let key = key.key();
            let labels: Vec<String> = key
                .labels()
                .map(|l| format!("{}={}", l.key(), l.value()))
                .collect();
            let value = match value {
                DebugValue::Counter(n) => n.to_string(),
                DebugValue::Gauge(g) => g.into_inner().to_string(),
                DebugValue::Histogram(h) => format!("{} samples", h.len()),
            };
            (format!("{}{{{}}}", key.name(), labels.join(",")), value)
        })
        .collect();
    let want: BTreeMap<String, String> = [
        ("shellwise_llm_breaker_open{provider=m}", "0"),
        ("shellwise_llm_errors_total{provider=m,kind=upstream}", "1"),
        ("shellwise_llm_latency_seconds{provider=m}", "1 samples"),
        (
            "shellwise_llm_requests_total{provider=m,outcome=success}",
            "1",
        ),
        ("shellwise_llm_tokens_total{provider=m,direction=in}", "7"),
        ("shellwise_llm_tokens_total{provider=m,direction=out}", "3"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(got, want);
}
