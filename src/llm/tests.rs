//! Router tests against fake Ollama, OpenAI-compatible and Anthropic servers speaking the real
//! wire formats over 127.0.0.1 sockets.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::{json, Value};

use super::*;
use shellwise_testkit::http::{split_at_bytes, FakeServer, Part, Reply};

fn cfg(
    name: &str,
    kind: ProviderKind,
    server: &FakeServer,
    models: &[&str],
    priority: i32,
) -> ProviderConfig {
    ProviderConfig {
        name: name.to_string(),
        kind,
        base_url: Some(match kind {
            ProviderKind::Openai => format!("{}/v1", server.base_url()),
            _ => server.base_url(),
        }),
        api_key_env: Some(format!("{}_KEY", name.to_uppercase())),
        models: models.iter().map(|m| m.to_string()).collect(),
        priority,
        timeout_ms: Some(3_000),
        connect_timeout_ms: Some(1_000),
        max_retries: None,
    }
}

fn opts() -> RouterOptions {
    RouterOptions {
        breaker_cooldown: Duration::from_millis(300),
        backoff_base: Duration::from_millis(5),
        backoff_max: Duration::from_millis(20),
        ..RouterOptions::default()
    }
}

fn router(cfgs: Vec<ProviderConfig>) -> Router {
    Router::with_options(cfgs, |var| Some(format!("secret-for-{var}")), opts()).unwrap()
}

fn ask(text: &str) -> ChatRequest {
    ChatRequest {
        messages: vec![
            ChatMessage::new(Role::System, "Be brief."),
            ChatMessage::new(Role::User, text),
        ],
        ..ChatRequest::default()
    }
}

async fn collect(stream: ChatStream) -> Vec<Result<ChatDelta, LlmError>> {
    stream.collect().await
}

fn text(s: &str) -> Result<ChatDelta, LlmError> {
    Ok(ChatDelta::Text(s.to_string()))
}

fn done(reason: &str, input: u64, output: u64) -> Result<ChatDelta, LlmError> {
    Ok(ChatDelta::Done {
        finish_reason: Some(reason.to_string()),
        usage: Usage {
            input_tokens: Some(input),
            output_tokens: Some(output),
        },
    })
}

fn ndjson(lines: &[Value]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

fn sse_data(events: &[Value]) -> String {
    let mut s: String = events.iter().map(|e| format!("data: {e}\n\n")).collect();
    s.push_str("data: [DONE]\n\n");
    s
}

fn sse_typed(events: &[(&str, Value)]) -> String {
    events
        .iter()
        .map(|(name, data)| format!("event: {name}\ndata: {data}\n\n"))
        .collect()
}

/// Byte offsets strictly inside the first occurrence of each multi-byte character.
fn mid_char_cuts(s: &str, chars: &[char]) -> Vec<usize> {
    let mut cuts: Vec<usize> = chars.iter().map(|c| s.find(*c).unwrap() + 1).collect();
    cuts.sort();
    cuts
}

#[tokio::test]
async fn ollama_stream_keeps_characters_split_across_chunks_intact() {
    let body = ndjson(&[
        json!({"model":"llama3","message":{"role":"assistant","content":"café "},"done":false}),
        json!({"model":"llama3","message":{"role":"assistant","content":"🦀 ok"},"done":false}),
        json!({"model":"llama3","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","prompt_eval_count":12,"eval_count":5}),
    ]);
    let cuts = mid_char_cuts(&body, &['é', '🦀']);
    let mut parts = split_at_bytes(&body, &cuts);
    parts.insert(1, Part::Sleep(Duration::from_millis(30)));
    let server = FakeServer::always(Reply::chunks(200, "application/x-ndjson", parts)).await;
    let r = router(vec![cfg(
        "local",
        ProviderKind::Ollama,
        &server,
        &["llama3"],
        0,
    )]);

    let items = collect(r.chat_stream(&ask("hi")).await.unwrap()).await;

    assert_eq!(
        items,
        vec![text("café "), text("🦀 ok"), done("stop", 12, 5)]
    );
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].path, "/api/chat");
    assert_eq!(
        reqs[0].json(),
        json!({"model":"llama3","stream":true,"messages":[
            {"role":"system","content":"Be brief."},{"role":"user","content":"hi"}]})
    );
}

#[tokio::test]
async fn openai_stream_ends_at_done_and_reports_usage_from_the_last_chunk() {
    let body = sse_data(&[
        json!({"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}),
        json!({"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"naïve "},"finish_reason":null}]}),
        json!({"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"👍"},"finish_reason":null}]}),
        json!({"object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}),
        json!({"object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12}}),
    ]);
    let cuts = mid_char_cuts(&body, &['ï', '👍']);
    let server = FakeServer::always(Reply::chunks(
        200,
        "text/event-stream",
        split_at_bytes(&body, &cuts),
    ))
    .await;
    let r = router(vec![cfg(
        "oai",
        ProviderKind::Openai,
        &server,
        &["gpt-x"],
        0,
    )]);

    let items = collect(r.chat_stream(&ask("hi")).await.unwrap()).await;

    assert_eq!(items, vec![text("naïve "), text("👍"), done("stop", 9, 3)]);
    let req = &server.requests()[0];
    assert_eq!(req.path, "/v1/chat/completions");
    assert_eq!(
        req.header("authorization"),
        Some("Bearer secret-for-OAI_KEY")
    );
    assert_eq!(
        req.json(),
        json!({"model":"gpt-x","stream":true,"stream_options":{"include_usage":true},"messages":[
            {"role":"system","content":"Be brief."},{"role":"user","content":"hi"}]})
    );
}

#[tokio::test]
async fn anthropic_stream_decodes_typed_events_and_sends_its_headers() {
    let body = sse_typed(&[
        (
            "message_start",
            json!({"type":"message_start","message":{"id":"m1","usage":{"input_tokens":21,"output_tokens":1}}}),
        ),
        (
            "content_block_start",
            json!({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}),
        ),
        ("ping", json!({"type":"ping"})),
        (
            "content_block_delta",
            json!({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Grüße"}}),
        ),
        (
            "content_block_delta",
            json!({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" 🎉"}}),
        ),
        (
            "content_block_stop",
            json!({"type":"content_block_stop","index":0}),
        ),
        (
            "message_delta",
            json!({"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":7}}),
        ),
        ("message_stop", json!({"type":"message_stop"})),
    ]);
    let cuts = mid_char_cuts(&body, &['ü', '🎉']);
    let server = FakeServer::always(Reply::chunks(
        200,
        "text/event-stream",
        split_at_bytes(&body, &cuts),
    ))
    .await;
    let r = router(vec![cfg(
        "claude",
        ProviderKind::Anthropic,
        &server,
        &["claude-x"],
        0,
    )]);

    let items = collect(r.chat_stream(&ask("hi")).await.unwrap()).await;

    assert_eq!(
        items,
        vec![text("Grüße"), text(" 🎉"), done("end_turn", 21, 7)]
    );
    let req = &server.requests()[0];
    assert_eq!(req.path, "/v1/messages");
    assert_eq!(req.header("x-api-key"), Some("secret-for-CLAUDE_KEY"));
    assert_eq!(req.header("anthropic-version"), Some("2023-06-01"));
    assert_eq!(req.header("authorization"), None);
    assert_eq!(
        req.json(),
        json!({"model":"claude-x","max_tokens":4096,"stream":true,"system":"Be brief.",
               "messages":[{"role":"user","content":"hi"}]})
    );
}

#[tokio::test]
async fn errors_inside_a_started_stream_become_err_items_not_text() {
    let ollama_body = ndjson(&[
        json!({"message":{"content":"partial"},"done":false}),
        json!({"error":"an unexpected error occurred while generating"}),
    ]);
    let openai_body = format!(
        "data: {}\n\ndata: {}\n\n",
        json!({"choices":[{"delta":{"content":"partial"}}]}),
        json!({"error":{"message":"upstream overloaded","type":"server_error","code":null}})
    );
    let anthropic_body = sse_typed(&[
        (
            "message_start",
            json!({"type":"message_start","message":{"usage":{"input_tokens":3}}}),
        ),
        (
            "content_block_delta",
            json!({"type":"content_block_delta","delta":{"type":"text_delta","text":"partial"}}),
        ),
        (
            "error",
            json!({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}),
        ),
    ]);
    let cases = [
        (
            ProviderKind::Ollama,
            ollama_body,
            "an unexpected error occurred while generating",
        ),
        (
            ProviderKind::Openai,
            openai_body,
            "server_error: upstream overloaded",
        ),
        (
            ProviderKind::Anthropic,
            anthropic_body,
            "overloaded_error: Overloaded",
        ),
    ];
    for (kind, body, message) in cases {
        let server = FakeServer::always(Reply::chunks(
            200,
            "text/event-stream",
            vec![Part::Data(body.into_bytes())],
        ))
        .await;
        let r = router(vec![cfg("p", kind, &server, &["m"], 0)]);
        let items = collect(r.chat_stream(&ask("hi")).await.unwrap()).await;
        assert_eq!(
            items,
            vec![
                text("partial"),
                Err(LlmError::Upstream {
                    provider: "p".into(),
                    status: None,
                    message: message.into()
                })
            ],
            "{kind:?}"
        );
    }
}

#[tokio::test]
async fn every_model_not_found_shape_maps_to_model_not_found() {
    let cases: Vec<(ProviderKind, Reply)> = vec![
        (
            ProviderKind::Ollama,
            Reply::json(404, &json!({"error":"model 'nope' not found"})),
        ),
        (
            ProviderKind::Ollama,
            Reply::json(
                404,
                &json!({"error":"model \"nope\" not found, try pulling it first"}),
            ),
        ),
        (
            ProviderKind::Openai,
            Reply::json(
                404,
                &json!({"error":{"message":"The model `nope` does not exist or you do not have access to it.","type":"invalid_request_error","param":null,"code":"model_not_found"}}),
            ),
        ),
        (
            ProviderKind::Openai,
            Reply::json(
                404,
                &json!({"error":{"message":"Not found","type":"invalid_request_error","code":null}}),
            ),
        ),
        (
            ProviderKind::Openai,
            Reply::json(
                400,
                &json!({"error":{"message":"bad","type":"invalid_request_error","code":"model_not_found"}}),
            ),
        ),
        (
            ProviderKind::Openai,
            Reply::body(400, "text/plain", b"Model nope does not exist"),
        ),
        (
            ProviderKind::Openai,
            Reply::json(400, &json!({"error":"Model with key 'nope' not found."})),
        ),
        (
            ProviderKind::Openai,
            Reply::json(
                400,
                &json!({"error":{"message":"nope is not a valid model ID","code":400}}),
            ),
        ),
        (
            ProviderKind::Anthropic,
            Reply::json(
                404,
                &json!({"type":"error","error":{"type":"not_found_error","message":"model: nope"}}),
            ),
        ),
    ];
    for (kind, reply) in cases {
        let server = FakeServer::always(reply.clone()).await;
        let r = router(vec![cfg("p", kind, &server, &["nope"], 0)]);
        let err = r.chat(&ask("hi")).await.unwrap_err();
        assert_eq!(
            err,
            LlmError::ModelNotFound {
                provider: "p".into(),
                model: "nope".into()
            },
            "{kind:?} {reply:?}"
        );
        assert_eq!(server.requests().len(), 1, "not retried: {reply:?}");
    }
}

#[tokio::test]
async fn model_not_found_as_the_first_stream_line_is_an_error_from_chat_stream() {
    let body = ndjson(&[json!({"error":"model 'nope' not found"})]);
    let server = FakeServer::always(Reply::chunks(
        200,
        "application/x-ndjson",
        vec![Part::Data(body.into_bytes())],
    ))
    .await;
    let r = router(vec![cfg("p", ProviderKind::Ollama, &server, &["nope"], 0)]);
    let err = r.chat_stream(&ask("hi")).await.err().unwrap();
    assert_eq!(
        err,
        LlmError::ModelNotFound {
            provider: "p".into(),
            model: "nope".into()
        }
    );
}

#[tokio::test]
async fn a_plain_404_page_means_a_wrong_base_url_not_a_missing_model() {
    let server = FakeServer::always(Reply::body(404, "text/plain", b"404 page not found")).await;
    let r = router(vec![cfg("p", ProviderKind::Ollama, &server, &["m"], 0)]);
    assert_eq!(
        r.chat(&ask("hi")).await.unwrap_err(),
        LlmError::Upstream {
            provider: "p".into(),
            status: Some(404),
            message: "404 page not found (check base_url)".into()
        }
    );
}

fn openai_ok(content: &str) -> Reply {
    Reply::json(
        200,
        &json!({"id":"c1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":content},"finish_reason":"stop"}],
                "usage":{"prompt_tokens":4,"completion_tokens":2,"total_tokens":6}}),
    )
}

#[tokio::test]
async fn rate_limits_and_server_errors_are_retried_then_succeed() {
    let server = FakeServer::sequence(vec![
        Reply::json(
            429,
            &json!({"error":{"message":"slow down","type":"rate_limit","code":null}}),
        )
        .with_header("retry-after", "0"),
        Reply::json(
            503,
            &json!({"error":{"message":"busy","type":"server_error","code":null}}),
        ),
        openai_ok("hello"),
    ])
    .await;
    let r = router(vec![cfg(
        "oai",
        ProviderKind::Openai,
        &server,
        &["gpt-x"],
        0,
    )]);
    let resp = r.chat(&ask("hi")).await.unwrap();
    assert_eq!(
        resp,
        ChatResponse {
            provider: "oai".into(),
            model: "gpt-x".into(),
            content: "hello".into(),
            finish_reason: Some("stop".into()),
            usage: Usage {
                input_tokens: Some(4),
                output_tokens: Some(2)
            },
            latency_ms: resp.latency_ms,
        }
    );
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_400_is_not_retried() {
    let server = FakeServer::always(Reply::json(400, &json!({"error":{"message":"messages must not be empty","type":"invalid_request_error","code":null}}))).await;
    let r = router(vec![cfg(
        "oai",
        ProviderKind::Openai,
        &server,
        &["gpt-x"],
        0,
    )]);
    assert_eq!(
        r.chat(&ask("hi")).await.unwrap_err(),
        LlmError::Upstream {
            provider: "oai".into(),
            status: Some(400),
            message: "messages must not be empty".into()
        }
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn retries_are_bounded_and_end_in_the_last_error() {
    let server = FakeServer::always(Reply::json(429, &json!({"error":"busy"}))).await;
    let mut c = cfg("o", ProviderKind::Ollama, &server, &["m"], 0);
    c.max_retries = Some(1);
    let r = router(vec![c]);
    assert_eq!(
        r.chat(&ask("hi")).await.unwrap_err(),
        LlmError::RateLimited {
            provider: "o".into()
        }
    );
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn connection_refused_is_retried_and_reported_as_connect() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let r = router(vec![ProviderConfig {
        name: "gone".into(),
        kind: ProviderKind::Ollama,
        base_url: Some(format!("http://{addr}")),
        api_key_env: None,
        models: vec!["m".into()],
        priority: 0,
        timeout_ms: Some(2_000),
        connect_timeout_ms: Some(500),
        max_retries: Some(1),
    }]);
    let err = r.chat(&ask("hi")).await.unwrap_err();
    assert_eq!(err.kind(), "connect", "{err:?}");
}

#[tokio::test]
async fn a_hanging_server_hits_the_request_timeout() {
    let server = FakeServer::always(Reply::hang()).await;
    let r = router(vec![cfg("o", ProviderKind::Ollama, &server, &["m"], 0)]);
    let mut req = ask("hi");
    req.timeout = Some(Duration::from_millis(200));
    let start = Instant::now();
    assert_eq!(
        r.chat(&req).await.unwrap_err(),
        LlmError::Timeout {
            provider: "o".into()
        }
    );
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(server.requests().len(), 1, "timeouts are not retried");
}

#[tokio::test]
async fn a_stream_that_goes_idle_ends_with_a_timeout() {
    let first = ndjson(&[json!({"message":{"content":"a"},"done":false})]);
    let server = FakeServer::always(Reply::chunks(
        200,
        "application/x-ndjson",
        vec![Part::Data(first.into_bytes()), Part::Hang],
    ))
    .await;
    let r = router(vec![cfg("o", ProviderKind::Ollama, &server, &["m"], 0)]);
    let mut req = ask("hi");
    req.timeout = Some(Duration::from_millis(200));
    let items = collect(r.chat_stream(&req).await.unwrap()).await;
    assert_eq!(
        items,
        vec![
            text("a"),
            Err(LlmError::Timeout {
                provider: "o".into()
            })
        ]
    );
}

#[tokio::test]
async fn malformed_bodies_are_malformed() {
    let cases = [
        (
            ProviderKind::Ollama,
            Reply::body(200, "application/json", b"{not json"),
        ),
        (
            ProviderKind::Openai,
            Reply::json(200, &json!({"choices":[]})),
        ),
        (
            ProviderKind::Anthropic,
            Reply::json(200, &json!({"id":"x"})),
        ),
    ];
    for (kind, reply) in cases {
        let server = FakeServer::always(reply).await;
        let r = router(vec![cfg("p", kind, &server, &["m"], 0)]);
        let err = r.chat(&ask("hi")).await.unwrap_err();
        assert_eq!(err.kind(), "malformed", "{kind:?}: {err:?}");
        assert_eq!(server.requests().len(), 1);
    }
}

#[tokio::test]
async fn a_failing_provider_falls_back_to_the_next_by_priority() {
    let bad = FakeServer::always(Reply::json(500, &json!({"error":"boom"}))).await;
    let good = FakeServer::always(openai_ok("from backup")).await;
    let mut first = cfg("primary", ProviderKind::Ollama, &bad, &["m1"], 10);
    first.max_retries = Some(0);
    let r = router(vec![
        cfg("backup", ProviderKind::Openai, &good, &["m2"], 1),
        first,
    ]);
    let resp = r.chat(&ask("hi")).await.unwrap();
    assert_eq!(
        (
            resp.provider.as_str(),
            resp.model.as_str(),
            resp.content.as_str()
        ),
        ("backup", "m2", "from backup")
    );
    assert_eq!(bad.requests().len(), 1);
    assert_eq!(good.requests().len(), 1);
}

#[tokio::test]
async fn when_every_provider_fails_all_errors_are_reported_in_order() {
    let a = FakeServer::always(Reply::json(500, &json!({"error":"boom"}))).await;
    let b = FakeServer::always(Reply::json(
        400,
        &json!({"error":{"message":"bad request","code":null}}),
    ))
    .await;
    let mut ca = cfg("a", ProviderKind::Ollama, &a, &["m"], 5);
    ca.max_retries = Some(0);
    let r = router(vec![ca, cfg("b", ProviderKind::Openai, &b, &["m"], 1)]);
    assert_eq!(
        r.chat(&ask("hi")).await.unwrap_err(),
        LlmError::AllFailed(vec![
            LlmError::Upstream {
                provider: "a".into(),
                status: Some(500),
                message: "boom".into()
            },
            LlmError::Upstream {
                provider: "b".into(),
                status: Some(400),
                message: "bad request".into()
            },
        ])
    );
}

#[tokio::test]
async fn an_explicit_model_that_is_not_found_does_not_fall_back() {
    let a = FakeServer::always(Reply::json(
        404,
        &json!({"error":"model 'special' not found"}),
    ))
    .await;
    let b = FakeServer::always(openai_ok("other")).await;
    let r = router(vec![
        cfg("a", ProviderKind::Ollama, &a, &["special"], 5),
        cfg("b", ProviderKind::Openai, &b, &["m"], 1),
    ]);
    let mut req = ask("hi");
    req.model = Some("special".into());
    assert_eq!(
        r.chat(&req).await.unwrap_err(),
        LlmError::ModelNotFound {
            provider: "a".into(),
            model: "special".into()
        }
    );
    assert_eq!(b.requests().len(), 0);

    // Without an explicit model, a missing default model does fall back.
    let resp = r.chat(&ask("hi")).await.unwrap();
    assert_eq!(resp.provider, "b");
}

#[tokio::test]
async fn the_breaker_opens_after_three_failures_and_half_opens_after_the_cooldown() {
    let server = FakeServer::sequence(vec![
        Reply::json(500, &json!({"error":"down"})),
        Reply::json(500, &json!({"error":"down"})),
        Reply::json(500, &json!({"error":"down"})),
        Reply::json(200, &json!({"message":{"role":"assistant","content":"back"},"done":true,"done_reason":"stop"})),
    ])
    .await;
    let mut c = cfg("o", ProviderKind::Ollama, &server, &["m"], 0);
    c.max_retries = Some(0);
    let r = router(vec![c]);
    for _ in 0..3 {
        assert_eq!(r.chat(&ask("hi")).await.unwrap_err().kind(), "upstream");
    }
    assert_eq!(
        r.chat(&ask("hi")).await.unwrap_err(),
        LlmError::CircuitOpen {
            provider: "o".into()
        }
    );
    assert_eq!(server.requests().len(), 3, "an open breaker sends nothing");
    assert_eq!(
        r.health(),
        vec![ProviderHealth {
            provider: "o".into(),
            kind: ProviderKind::Ollama,
            priority: 0,
            state: BreakerState::Open,
            consecutive_failures: 3,
            last_error: Some("upstream".into()),
        }]
    );
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert_eq!(r.health()[0].state, BreakerState::HalfOpen);
    assert_eq!(r.chat(&ask("hi")).await.unwrap().content, "back");
    assert_eq!(
        r.health()[0],
        ProviderHealth {
            provider: "o".into(),
            kind: ProviderKind::Ollama,
            priority: 0,
            state: BreakerState::Closed,
            consecutive_failures: 0,
            last_error: Some("upstream".into()),
        }
    );
}

#[tokio::test]
async fn routing_skips_a_provider_whose_breaker_is_open() {
    let a = FakeServer::always(Reply::json(503, &json!({"error":"down"}))).await;
    let b = FakeServer::always(openai_ok("b")).await;
    let mut ca = cfg("a", ProviderKind::Ollama, &a, &["m"], 5);
    ca.max_retries = Some(0);
    let r = router(vec![ca, cfg("b", ProviderKind::Openai, &b, &["m"], 1)]);
    for _ in 0..3 {
        assert_eq!(r.chat(&ask("hi")).await.unwrap().provider, "b");
    }
    assert_eq!(a.requests().len(), 3);
    assert_eq!(r.health()[0].state, BreakerState::Open);
    assert_eq!(r.chat(&ask("hi")).await.unwrap().provider, "b");
    assert_eq!(a.requests().len(), 3, "open provider skipped");
}

#[tokio::test]
async fn dropping_a_stream_closes_the_upstream_connection() {
    let line = ndjson(&[json!({"message":{"content":"tick "},"done":false})]).into_bytes();
    let server = FakeServer::always(Reply::chunks(
        200,
        "application/x-ndjson",
        vec![Part::Endless(line, Duration::from_millis(10))],
    ))
    .await;
    let r = router(vec![cfg("o", ProviderKind::Ollama, &server, &["m"], 0)]);
    let mut stream = r.chat_stream(&ask("hi")).await.unwrap();
    assert_eq!(stream.next().await, Some(text("tick ")));
    assert_eq!(stream.next().await, Some(text("tick ")));
    assert_eq!(server.disconnects(), 0);
    drop(stream);
    assert!(
        server.wait_disconnect(Duration::from_secs(3)).await,
        "server never saw the client go away"
    );
}

#[tokio::test]
async fn selected_default_routes_requests_that_name_nothing() {
    let a = FakeServer::always(openai_ok("a")).await;
    let b = FakeServer::always(openai_ok("b")).await;
    let r = router(vec![
        cfg("a", ProviderKind::Openai, &a, &["a1"], 5),
        cfg("b", ProviderKind::Openai, &b, &["b1"], 1),
    ]);
    assert_eq!(r.selected(), None);
    assert_eq!(r.chat(&ask("hi")).await.unwrap().provider, "a");
    r.select_default("b", "b-large").unwrap();
    assert_eq!(r.selected(), Some(("b".into(), "b-large".into())));
    let resp = r.chat(&ask("hi")).await.unwrap();
    assert_eq!(
        (resp.provider.as_str(), resp.model.as_str()),
        ("b", "b-large")
    );
    assert_eq!(b.requests()[0].json()["model"], json!("b-large"));
    assert_eq!(
        r.select_default("zzz", "m"),
        Err(LlmError::UnknownProvider("zzz".into()))
    );
    let mut req = ask("hi");
    req.provider = Some("zzz".into());
    assert_eq!(
        r.chat(&req).await.unwrap_err(),
        LlmError::UnknownProvider("zzz".into())
    );
}

#[tokio::test]
async fn non_streamed_chat_parses_each_provider() {
    let ollama = FakeServer::always(Reply::json(200, &json!({"model":"m","message":{"role":"assistant","content":"from ollama"},"done":true,"done_reason":"stop","prompt_eval_count":7,"eval_count":3}))).await;
    let anthropic = FakeServer::always(Reply::json(200, &json!({"id":"msg","type":"message","role":"assistant","content":[{"type":"text","text":"from "},{"type":"text","text":"claude"}],"stop_reason":"end_turn","usage":{"input_tokens":8,"output_tokens":2}}))).await;
    let r = router(vec![
        cfg("o", ProviderKind::Ollama, &ollama, &["m"], 0),
        cfg("c", ProviderKind::Anthropic, &anthropic, &["claude"], 0),
    ]);
    let mut req = ask("hi");
    req.max_tokens = Some(100);
    req.temperature = Some(0.5);
    req.provider = Some("o".into());
    let resp = r.chat(&req).await.unwrap();
    assert_eq!(
        resp,
        ChatResponse {
            provider: "o".into(),
            model: "m".into(),
            content: "from ollama".into(),
            finish_reason: Some("stop".into()),
            usage: Usage {
                input_tokens: Some(7),
                output_tokens: Some(3)
            },
            latency_ms: resp.latency_ms,
        }
    );
    assert_eq!(
        ollama.requests()[0].json(),
        json!({"model":"m","stream":false,"options":{"num_predict":100,"temperature":0.5},
               "messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"hi"}]})
    );
    req.provider = Some("c".into());
    let resp = r.chat(&req).await.unwrap();
    assert_eq!(
        resp,
        ChatResponse {
            provider: "c".into(),
            model: "claude".into(),
            content: "from claude".into(),
            finish_reason: Some("end_turn".into()),
            usage: Usage {
                input_tokens: Some(8),
                output_tokens: Some(2)
            },
            latency_ms: resp.latency_ms,
        }
    );
    assert_eq!(
        anthropic.requests()[0].json(),
        json!({"model":"claude","max_tokens":100,"temperature":0.5,"stream":false,"system":"Be brief.",
               "messages":[{"role":"user","content":"hi"}]})
    );
}

fn schema() -> Value {
    json!({"type":"object","properties":{"category":{"type":"string"},"confidence":{"type":"number"}},
           "required":["category","confidence"],"additionalProperties":false})
}

#[tokio::test]
async fn structured_output_uses_each_providers_schema_field() {
    let answer = json!({"category":"timeout","confidence":0.9});
    let ollama = FakeServer::always(Reply::json(200, &json!({"message":{"role":"assistant","content":answer.to_string()},"done":true,"done_reason":"stop"}))).await;
    let openai = FakeServer::always(openai_ok(&answer.to_string())).await;
    let anthropic = FakeServer::always(Reply::json(200, &json!({"content":[{"type":"tool_use","id":"t1","name":"failure_analysis","input":answer}],"stop_reason":"tool_use","usage":{"input_tokens":30,"output_tokens":10}}))).await;
    let r = router(vec![
        cfg("o", ProviderKind::Ollama, &ollama, &["m"], 0),
        cfg("oai", ProviderKind::Openai, &openai, &["g"], 0),
        cfg("c", ProviderKind::Anthropic, &anthropic, &["claude"], 0),
    ]);
    for name in ["o", "oai", "c"] {
        let mut req = ask("why did it fail?");
        req.provider = Some(name.into());
        let resp = r
            .structured(&req, &schema(), "failure analysis")
            .await
            .unwrap();
        assert_eq!(
            (resp.value.clone(), resp.provider.as_str(), resp.repaired),
            (answer.clone(), name, false)
        );
    }
    let body = ollama.requests()[0].json();
    assert_eq!(body["format"], schema());
    assert_eq!(body["stream"], json!(false));
    let body = openai.requests()[0].json();
    assert_eq!(
        body["response_format"],
        json!({"type":"json_schema","json_schema":{"name":"failure_analysis","schema":schema(),"strict":true}})
    );
    let body = anthropic.requests()[0].json();
    assert_eq!(
        body["tools"],
        json!([{"name":"failure_analysis","description":"Record the answer as structured data matching the input schema.","input_schema":schema()}])
    );
    assert_eq!(
        body["tool_choice"],
        json!({"type":"tool","name":"failure_analysis"})
    );
}

#[tokio::test]
async fn invalid_structured_output_gets_exactly_one_repair_attempt() {
    let good = json!({"category":"timeout","confidence":0.5});
    let server = FakeServer::sequence(vec![
        openai_ok("Sure! The category is timeout."),
        openai_ok(&good.to_string()),
    ])
    .await;
    let r = router(vec![cfg("oai", ProviderKind::Openai, &server, &["g"], 0)]);
    let resp = r
        .structured(&ask("why?"), &schema(), "analysis")
        .await
        .unwrap();
    assert_eq!((resp.value, resp.repaired), (good, true));
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    let messages = reqs[1].json()["messages"].clone();
    assert_eq!(messages.as_array().unwrap().len(), 4);
    assert_eq!(
        messages[2],
        json!({"role":"assistant","content":"Sure! The category is timeout."})
    );
    assert_eq!(messages[3]["role"], json!("user"));
    assert!(messages[3]["content"]
        .as_str()
        .unwrap()
        .starts_with("Your previous answer could not be used: the answer is not valid JSON"));

    let missing = json!({"category":"timeout"}).to_string();
    let server = FakeServer::always(openai_ok(&missing)).await;
    let r = router(vec![cfg("oai", ProviderKind::Openai, &server, &["g"], 0)]);
    assert_eq!(
        r.structured(&ask("why?"), &schema(), "analysis")
            .await
            .unwrap_err(),
        LlmError::Malformed {
            provider: "oai".into(),
            message:
                "structured output invalid after one repair: required keys are missing: confidence"
                    .into()
        }
    );
    assert_eq!(server.requests().len(), 2, "one repair, no more");
}

#[tokio::test]
async fn models_reports_capabilities_from_each_providers_discovery() {
    let ollama = FakeServer::start(|req, _| match (req.method.as_str(), req.path.as_str()) {
        ("GET", "/api/tags") => Reply::json(200, &json!({"models":[{"name":"llama3.2:latest","model":"llama3.2:latest"},{"name":"llava:7b"},{"name":"nomic-embed-text:latest"}]})),
        ("POST", "/api/show") => match req.json()["model"].as_str().unwrap() {
            "llama3.2:latest" => Reply::json(200, &json!({"capabilities":["completion","tools"],"model_info":{"general.architecture":"llama","llama.context_length":131072}})),
            "llava:7b" => Reply::json(200, &json!({"capabilities":["completion","vision"],"model_info":{"llama.context_length":4096}})),
            _ => Reply::json(200, &json!({"capabilities":["embedding"],"model_info":{"nomic-bert.context_length":2048}})),
        },
        _ => Reply::body(404, "text/plain", b"404 page not found"),
    })
    .await;
    let openai = FakeServer::always(Reply::json(200, &json!({"object":"list","data":[
        {"id":"plain-model","object":"model"},
        {"id":"router/model","context_length":200000,"supported_parameters":["tools","structured_outputs"],"architecture":{"input_modalities":["text","image"]}},
        {"id":"text-embedding-3-small","object":"model"}]}))).await;
    let anthropic = FakeServer::always(Reply::json(200, &json!({"data":[{"type":"model","id":"claude-x","display_name":"Claude X"}],"has_more":false}))).await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_addr = closed.local_addr().unwrap();
    drop(closed);
    let r = router(vec![
        cfg("o", ProviderKind::Ollama, &ollama, &[], 0),
        cfg("oai", ProviderKind::Openai, &openai, &[], 0),
        cfg("c", ProviderKind::Anthropic, &anthropic, &[], 0),
        ProviderConfig {
            name: "dead".into(),
            kind: ProviderKind::Openai,
            base_url: Some(format!("http://{dead_addr}/v1")),
            api_key_env: None,
            models: vec!["configured".into()],
            priority: 0,
            timeout_ms: Some(1000),
            connect_timeout_ms: Some(500),
            max_retries: None,
        },
    ]);
    let caps = |chat, tools, json_schema, vision, context_length| Capabilities {
        chat,
        streaming: chat,
        tools,
        json_schema,
        vision,
        context_length,
    };
    let mut got = r.models().await;
    let dead_error = got[3].error.take();
    assert!(
        dead_error
            .as_deref()
            .unwrap_or_default()
            .starts_with("cannot connect to provider `dead`"),
        "{dead_error:?}"
    );
    let model = |id: &str, c| ModelInfo {
        id: id.into(),
        capabilities: c,
    };
    let entry = |provider: &str, kind, reachable, models| ProviderModels {
        provider: provider.into(),
        kind,
        reachable,
        error: None,
        models,
        breaker: BreakerState::Closed,
    };
    assert_eq!(
        got,
        vec![
            entry(
                "o",
                ProviderKind::Ollama,
                true,
                vec![
                    model(
                        "llama3.2:latest",
                        caps(true, true, true, false, Some(131072))
                    ),
                    model("llava:7b", caps(true, false, true, true, Some(4096))),
                    model(
                        "nomic-embed-text:latest",
                        caps(false, false, false, false, Some(2048))
                    ),
                ]
            ),
            entry(
                "oai",
                ProviderKind::Openai,
                true,
                vec![
                    model("plain-model", caps(true, false, true, false, None)),
                    model("router/model", caps(true, true, true, true, Some(200000))),
                    model(
                        "text-embedding-3-small",
                        caps(false, false, false, false, None)
                    ),
                ]
            ),
            entry(
                "c",
                ProviderKind::Anthropic,
                true,
                vec![model("claude-x", caps(true, true, true, true, None))]
            ),
            entry(
                "dead",
                ProviderKind::Openai,
                false,
                vec![model("configured", caps(true, false, true, false, None))]
            ),
        ]
    );
    assert_eq!(openai.requests()[0].path, "/v1/models");
    assert_eq!(anthropic.requests()[0].path, "/v1/models?limit=1000");
    assert_eq!(
        anthropic.requests()[0].header("anthropic-version"),
        Some("2023-06-01")
    );
}

#[test]
fn router_construction_validates_configuration() {
    let base = |name: &str| ProviderConfig {
        name: name.into(),
        kind: ProviderKind::Ollama,
        base_url: None,
        api_key_env: None,
        models: vec![],
        priority: 0,
        timeout_ms: None,
        connect_timeout_ms: None,
        max_retries: None,
    };
    assert!(Router::new(vec![], |_| None).unwrap().is_empty());
    assert_eq!(
        Router::new(vec![base("a"), base("a")], |_| None)
            .unwrap_err()
            .to_string(),
        "invalid configuration for LLM provider `a`: duplicate provider name"
    );
    let mut bad = base("b");
    bad.base_url = Some("ftp://x".into());
    assert_eq!(
        Router::new(vec![bad], |_| None).unwrap_err(),
        LlmError::InvalidConfig {
            provider: "b".into(),
            message: "base_url `ftp://x` is not an http(s) URL".into()
        }
    );
    let parsed: Result<ProviderConfig, _> =
        serde_json::from_value(json!({"name":"x","kind":"anthropic","bogus":1}));
    assert!(parsed
        .unwrap_err()
        .to_string()
        .contains("unknown field `bogus`"));
    let parsed: ProviderConfig =
        serde_json::from_value(json!({"name":"x","kind":"openai","models":["a","b"],"priority":3}))
            .unwrap();
    assert_eq!(
        (parsed.kind, parsed.models.len(), parsed.priority),
        (ProviderKind::Openai, 2, 3)
    );
}

#[tokio::test]
async fn no_providers_is_an_error_not_a_panic() {
    let r = Router::new(vec![], |_| None).unwrap();
    assert_eq!(r.chat(&ask("hi")).await.unwrap_err(), LlmError::NoProviders);
    assert_eq!(
        r.chat_stream(&ask("hi")).await.err(),
        Some(LlmError::NoProviders)
    );
    assert_eq!(r.models().await, vec![]);
}

#[test]
fn api_keys_never_show_in_debug_output() {
    let r = Router::new(
        vec![ProviderConfig {
            name: "k".into(),
            kind: ProviderKind::Openai,
            base_url: None,
            api_key_env: Some("K".into()),
            models: vec![],
            priority: 0,
            timeout_ms: None,
            connect_timeout_ms: None,
            max_retries: None,
        }],
        |_| Some("sk-very-secret".into()),
    )
    .unwrap();
    let dbg = format!("{r:?}");
    assert!(!dbg.contains("sk-very-secret"));
    assert!(dbg.contains("ApiKey(<redacted>)"));
}

fn assert_send<T: Send>(_: &T) {}

#[test]
fn the_router_and_its_futures_can_cross_threads() {
    fn shared<T: Send + Sync + 'static>() {}
    shared::<Router>();
    let r = Router::new(vec![], |_| None).unwrap();
    let req = ask("hi");
    let schema = schema();
    assert_send(&r.chat(&req));
    assert_send(&r.chat_stream(&req));
    assert_send(&r.structured(&req, &schema, "s"));
    assert_send(&r.models());
}

#[tokio::test]
async fn a_stream_that_fails_before_its_first_piece_falls_back_to_the_next_provider() {
    let body = ndjson(&[
        json!({"error":"model requires more system memory (12 GiB) than is available (4 GiB)"}),
    ]);
    let ollama = FakeServer::always(Reply::chunks(
        200,
        "application/x-ndjson",
        vec![Part::Data(body.into_bytes())],
    ))
    .await;
    let openai = FakeServer::always(Reply::chunks(
        200,
        "text/event-stream",
        vec![Part::Data(
            sse_data(&[json!({"choices":[{"delta":{"content":"backup"},"finish_reason":"stop"}]})])
                .into_bytes(),
        )],
    ))
    .await;
    let r = router(vec![
        cfg("local", ProviderKind::Ollama, &ollama, &["big"], 10),
        cfg("cloud", ProviderKind::Openai, &openai, &["small"], 1),
    ]);
    let items = collect(r.chat_stream(&ask("hi")).await.unwrap()).await;
    assert_eq!(
        items,
        vec![
            text("backup"),
            Ok(ChatDelta::Done {
                finish_reason: Some("stop".into()),
                usage: Usage::default()
            })
        ]
    );
    assert_eq!(r.health()[0].consecutive_failures, 1);
}
