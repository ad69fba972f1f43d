//! LLM chat, model discovery and selection, and LLM failure analysis, against fake
//! OpenAI-compatible and Ollama servers on 127.0.0.1.

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::{json, Value};
use shellwise::llm::ProviderKind;
use shellwise::service::redaction::RedactFilter;

use crate::fake_llm::{self, FakeLlm, FakeLlmExt, Part, Reply};
use crate::helpers::{parse_sse, spawn_app_with, Sse, TestApp, ADMIN, ANALYST, VIEWER};

async fn app_with_openai(fake: &FakeLlm) -> TestApp {
    let p = fake.provider("fake-openai", ProviderKind::Openai, &["gpt-test"]);
    spawn_app_with(move |s| s.llm.providers = vec![p]).await
}

async fn app_with_ollama(fake: &FakeLlm) -> TestApp {
    let p = fake.provider("fake-ollama", ProviderKind::Ollama, &["llama-test:latest"]);
    spawn_app_with(move |s| s.llm.providers = vec![p]).await
}

/// An OpenAI-compatible fake that never answers a chat completion (model discovery works).
async fn hanging_openai() -> FakeLlm {
    FakeLlm::answering(|req| {
        if req.path == "/v1/chat/completions" {
            Reply::hang()
        } else {
            fake_llm::openai(req)
        }
    })
    .await
}

fn without_latency(mut v: Value) -> Value {
    assert!(v["latencyMs"].is_u64(), "{v}");
    v.as_object_mut().unwrap().remove("latencyMs");
    v
}

/// Reads a whole SSE response into events.
/// The text of every `delta` event, in order.
fn delta_text(events: &[Sse]) -> String {
    events
        .iter()
        .filter(|e| e.event == "delta")
        .map(|e| e.data["text"].as_str().unwrap().to_string())
        .collect()
}

async fn read_events(res: reqwest::Response) -> Vec<Sse> {
    let text = res.text().await.unwrap();
    let mut buf = text;
    parse_sse(&mut buf)
}

#[tokio::test]
async fn chat_returns_the_openai_compatible_answer() {
    let fake = FakeLlm::answering(fake_llm::openai).await;
    let app = app_with_openai(&fake).await;
    let (status, body) = app
        .post(
            "/v1/chat",
            ANALYST,
            &json!({"messages": [{"role": "user", "content": "hi"}], "maxTokens": 20}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        without_latency(body),
        json!({"provider": "fake-openai", "model": "gpt-test", "content": "Hello from the fake.",
            "finishReason": "stop", "usage": {"inputTokens": 12, "outputTokens": 5}})
    );
    let sent = fake.chats()[0].json();
    assert_eq!(sent["messages"], json!([{"role": "user", "content": "hi"}]));
    assert_eq!(sent["max_tokens"], 20);
}

#[tokio::test]
async fn chat_returns_the_ollama_answer() {
    let fake = FakeLlm::answering(fake_llm::ollama).await;
    let app = app_with_ollama(&fake).await;
    let (status, body) = app
        .post(
            "/v1/chat",
            ANALYST,
            &json!({"messages": [{"role": "user", "content": "salut"}]}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        without_latency(body),
        json!({"provider": "fake-ollama", "model": "llama-test:latest", "content": "Bonjour.",
            "finishReason": "stop", "usage": {"inputTokens": 11, "outputTokens": 2}})
    );
}

#[tokio::test]
async fn chat_needs_the_analyst_role() {
    let fake = FakeLlm::answering(fake_llm::openai).await;
    let app = app_with_openai(&fake).await;
    let (status, body) = app
        .post(
            "/v1/chat",
            VIEWER,
            &json!({"messages": [{"role": "user", "content": "hi"}]}),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("insufficient_role"))
    );
    assert!(fake.chats().is_empty());
}

#[tokio::test]
async fn a_chat_stream_relays_deltas_split_mid_character_and_a_done_event() {
    let fake = FakeLlm::answering(fake_llm::openai).await;
    let app = app_with_openai(&fake).await;
    let res = app
        .client
        .post(app.url("/v1/chat/stream"))
        .bearer_auth(ANALYST)
        .json(&json!({"messages": [{"role": "user", "content": "hi"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/event-stream");
    assert_eq!(res.headers()["x-accel-buffering"], "no");
    let events = read_events(res).await;
    let ids: Vec<String> = events.iter().map(|e| e.id.clone().unwrap()).collect();
    let expected_ids: Vec<String> = (0..events.len()).map(|i| i.to_string()).collect();
    assert_eq!(ids, expected_ids);
    let (done, deltas) = events.split_last().unwrap();
    let text: String = deltas
        .iter()
        .map(|e| {
            assert_eq!(e.event, "delta");
            e.data["text"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(text, "Héllo wörld ✓");
    assert_eq!(done.event, "done");
    assert_eq!(
        done.data,
        json!({"finishReason": "stop", "usage": {"inputTokens": 9, "outputTokens": 4},
            "provider": "fake-openai", "model": "gpt-test"})
    );
}

#[tokio::test]
async fn an_ollama_chat_stream_relays_ndjson_deltas() {
    let fake = FakeLlm::answering(fake_llm::ollama).await;
    let app = app_with_ollama(&fake).await;
    let res = app
        .client
        .post(app.url("/v1/chat/stream"))
        .bearer_auth(ANALYST)
        .json(&json!({"messages": [{"role": "user", "content": "salut"}]}))
        .send()
        .await
        .unwrap();
    let events = read_events(res).await;
    let text = delta_text(&events);
    assert_eq!(text, "Bonjour à vous");
    assert_eq!(events.last().unwrap().event, "done");
    assert_eq!(events.last().unwrap().data["model"], "llama-test:latest");
}

#[tokio::test]
async fn a_client_leaving_a_chat_stream_closes_the_upstream_connection_within_a_second() {
    let chunk = format!(
        "data: {}\n\n",
        json!({"choices": [{"index": 0, "delta": {"content": "more "}, "finish_reason": null}]})
    );
    let fake = FakeLlm::answering(move |req| {
        if req.path == "/v1/chat/completions" {
            Reply::chunks(
                200,
                "text/event-stream",
                vec![Part::Endless(
                    chunk.clone().into_bytes(),
                    Duration::from_millis(100),
                )],
            )
        } else {
            fake_llm::openai(req)
        }
    })
    .await;
    let app = app_with_openai(&fake).await;
    let res = app
        .client
        .post(app.url("/v1/chat/stream"))
        .bearer_auth(ANALYST)
        .json(&json!({"messages": [{"role": "user", "content": "go on forever"}]}))
        .send()
        .await
        .unwrap();
    let mut body = res.bytes_stream();
    let first = body.next().await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&first).contains("event: delta"));
    drop(body);
    let left = Instant::now();
    assert!(
        fake.wait_disconnect(Duration::from_secs(1)).await,
        "the fake still streams to shellwise after the client left"
    );
    assert!(left.elapsed() < Duration::from_secs(1));
}

#[tokio::test]
async fn a_client_leaving_a_quiet_chat_stream_still_closes_the_upstream_connection() {
    // One delta, then the provider "thinks" for a long time: nothing is written to the
    // client, so only the hang-up check can notice it left.
    let chunk = format!(
        "data: {}\n\n",
        json!({"choices": [{"index": 0, "delta": {"content": "thinking…\n"}, "finish_reason": null}]})
    );
    let fake = FakeLlm::answering(move |req| {
        if req.path == "/v1/chat/completions" {
            Reply::chunks(
                200,
                "text/event-stream",
                vec![
                    Part::Data(chunk.clone().into_bytes()),
                    Part::Endless(chunk.clone().into_bytes(), Duration::from_secs(60)),
                ],
            )
        } else {
            fake_llm::openai(req)
        }
    })
    .await;
    let app = app_with_openai(&fake).await;
    let res = app
        .client
        .post(app.url("/v1/chat/stream"))
        .bearer_auth(ANALYST)
        .json(&json!({"messages": [{"role": "user", "content": "think hard"}]}))
        .send()
        .await
        .unwrap();
    let mut body = res.bytes_stream();
    let first = body.next().await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&first).contains("thinking"));
    drop(body);
    assert!(
        fake.wait_disconnect(Duration::from_secs(1)).await,
        "the upstream request outlived the client by more than a second"
    );
}

#[tokio::test]
async fn an_unknown_model_is_a_404_model_not_found_problem() {
    let fake = FakeLlm::answering(fake_llm::openai).await;
    let app = app_with_openai(&fake).await;
    let res = app
        .client
        .post(app.url("/v1/chat"))
        .bearer_auth(ANALYST)
        .json(&json!({"model": "nope", "messages": [{"role": "user", "content": "hi"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "model_not_found");
    assert_eq!(body["type"], "urn:shellwise:problem:model_not_found");
}

#[tokio::test]
async fn without_providers_chat_is_llm_unavailable_and_the_heuristic_analyzes() {
    let app = spawn_app_with(|_| {}).await;
    for path in ["/v1/chat", "/v1/chat/stream"] {
        let (status, body) = app
            .post(
                path,
                ANALYST,
                &json!({"messages": [{"role": "user", "content": "hi"}]}),
            )
            .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (503, Some("llm_unavailable")),
            "{path}"
        );
    }
    let (_, ready) = app.get_public("/readyz").await;
    assert_eq!(ready["analyzer"], "heuristic (no LLM configured)");
}

#[tokio::test]
async fn an_unknown_provider_is_a_404_problem() {
    let fake = FakeLlm::answering(fake_llm::openai).await;
    let app = app_with_openai(&fake).await;
    let (status, body) = app
        .post(
            "/v1/chat",
            ANALYST,
            &json!({"provider": "elsewhere", "messages": [{"role": "user", "content": "hi"}]}),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (404, Some("unknown_provider"))
    );
}

#[tokio::test]
async fn models_lists_each_providers_models_with_capabilities_and_health() {
    let fake = FakeLlm::answering(fake_llm::ollama).await;
    let app = app_with_ollama(&fake).await;
    let res = app
        .client
        .get(app.url("/v1/models"))
        .bearer_auth(VIEWER)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        body,
        json!({
            "providers": [{"provider": "fake-ollama", "kind": "ollama", "reachable": true, "breaker": "closed",
                "models": [{"id": "llama-test:latest", "capabilities": {"chat": true, "streaming": true,
                    "tools": true, "jsonSchema": true, "vision": false, "contextLength": 8192}}]}],
            "health": [{"provider": "fake-ollama", "kind": "ollama", "priority": 0, "state": "closed",
                "consecutiveFailures": 0}],
            "selected": null
        })
    );
}

#[tokio::test]
async fn a_selected_model_is_kept_across_a_restart() {
    let fake = FakeLlm::answering(fake_llm::openai).await;
    let state = tempfile::tempdir().unwrap();
    let dir = state.path().display().to_string();
    let provider = fake.provider("fake-openai", ProviderKind::Openai, &["other"]);
    let (d, p) = (dir.clone(), provider.clone());
    let app = spawn_app_with(move |s| {
        s.state_dir = d;
        s.llm.providers = vec![p];
    })
    .await;
    let put = |token: &'static str, body: Value| {
        let req = app
            .client
            .put(app.url("/v1/models/selected"))
            .bearer_auth(token)
            .json(&body);
        async move {
            let res = req.send().await.unwrap();
            (res.status().as_u16(), res.json::<Value>().await.unwrap())
        }
    };
    let choice = json!({"provider": "fake-openai", "model": "gpt-test"});
    let (status, body) = put(ANALYST, choice.clone()).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("insufficient_role"))
    );
    let (status, body) = put(
        ADMIN,
        json!({"provider": "fake-openai", "model": "missing"}),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (404, Some("model_not_found"))
    );
    let (status, body) = put(ADMIN, json!({"provider": "ghost", "model": "gpt-test"})).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (404, Some("unknown_provider"))
    );
    let (status, body) = put(ADMIN, choice.clone()).await;
    assert_eq!((status, body.clone()), (200, json!({"selected": choice})));
    app.handle.stop(true).await;

    let restarted = spawn_app_with(move |s| {
        s.state_dir = dir;
        s.llm.providers = vec![provider];
    })
    .await;
    let got: Value = restarted
        .client
        .get(restarted.url("/v1/models/selected"))
        .bearer_auth(VIEWER)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(got, json!({"selected": choice}));
    // The restored selection routes chat to it (the provider's own default is "other").
    let (status, body) = restarted
        .post(
            "/v1/chat",
            ANALYST,
            &json!({"messages": [{"role": "user", "content": "hi"}]}),
        )
        .await;
    assert_eq!((status, body["model"].as_str()), (200, Some("gpt-test")));
}

#[tokio::test]
async fn a_corrupt_selection_file_is_ignored() {
    let fake = FakeLlm::answering(fake_llm::openai).await;
    let state = tempfile::tempdir().unwrap();
    std::fs::write(state.path().join("selected-model.json"), "{not json").unwrap();
    let dir = state.path().display().to_string();
    let p = fake.provider("fake-openai", ProviderKind::Openai, &["gpt-test"]);
    let app = spawn_app_with(move |s| {
        s.state_dir = dir;
        s.llm.providers = vec![p];
    })
    .await;
    let got: Value = app
        .client
        .get(app.url("/v1/models/selected"))
        .bearer_auth(VIEWER)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(got, json!({"selected": null}));
}

const FAILING: &str = "echo 'Traceback (most recent call last):' >&2; \
echo \"ModuleNotFoundError: No module named 'yaml'\" >&2; exit 1";

#[tokio::test]
async fn a_failed_exec_gets_a_combined_analysis_from_the_llm() {
    let fake = FakeLlm::answering(fake_llm::openai).await;
    let app = app_with_openai(&fake).await;
    let result = app.exec(json!({"command": FAILING})).await;
    let a = &result["aiAnalysis"];
    assert_eq!(a["source"], "combined", "{a}");
    assert_eq!(a["provider"], "fake-openai");
    assert_eq!(a["model"], "gpt-test");
    assert_eq!(a["category"], "missing_dependency");
    assert!(a["latencyMs"].is_u64());
    let chats = fake.chats();
    assert_eq!(chats.len(), 1);
    let sent = chats[0].json();
    assert_eq!(
        sent["response_format"]["json_schema"]["name"],
        "failure_analysis"
    );
    let prompt = sent["messages"][1]["content"].as_str().unwrap();
    // The exec output filter is still a passthrough ([redaction] plugs in there), so this
    // checks what reaches the model: the failure's stderr tail and exit status.
    assert!(
        prompt.contains("ModuleNotFoundError: No module named 'yaml'"),
        "{prompt}"
    );
    assert!(prompt.contains("Status: exit code 1"), "{prompt}");
    let (_, ready) = app.get_public("/readyz").await;
    assert_eq!(
        ready["analyzer"],
        "llm (providers: fake-openai) with heuristic fallback"
    );
}

#[tokio::test]
async fn ollama_also_analyzes_failures_with_a_json_schema_format() {
    let fake = FakeLlm::answering(fake_llm::ollama).await;
    let app = app_with_ollama(&fake).await;
    let result = app.exec(json!({"command": FAILING})).await;
    assert_eq!(result["aiAnalysis"]["source"], "combined");
    assert_eq!(result["aiAnalysis"]["provider"], "fake-ollama");
    let sent = fake.chats()[0].json();
    assert_eq!(sent["format"]["type"], "object");
}

#[tokio::test]
async fn a_hanging_provider_costs_exec_at_most_the_analysis_budget() {
    let fake = hanging_openai().await;
    let p = fake.provider("fake-openai", ProviderKind::Openai, &["gpt-test"]);
    let app = spawn_app_with(move |s| {
        s.llm.providers = vec![p];
        s.llm.analysis_timeout_ms = 1000;
    })
    .await;
    let start = Instant::now();
    let result = app.exec(json!({"command": FAILING})).await;
    let took = start.elapsed();
    assert!(took < Duration::from_millis(1000 + 1500), "{took:?}");
    let a = &result["aiAnalysis"];
    assert_eq!(a["source"], "heuristic", "{a}");
    assert_eq!(a["category"], "missing_dependency");
    let steps = a["nextSteps"].as_array().unwrap();
    assert_eq!(
        steps.last().unwrap(),
        "LLM analysis (fake-openai) timed out after 1 s; this is the heuristic result"
    );
}

#[tokio::test]
async fn an_identical_failure_is_answered_from_the_cache() {
    let fake = FakeLlm::answering(fake_llm::openai).await;
    let app = app_with_openai(&fake).await;
    let first = app.exec(json!({"command": FAILING})).await;
    let second = app.exec(json!({"command": FAILING})).await;
    assert_eq!(fake.chats().len(), 1);
    assert_eq!(first["aiAnalysis"], second["aiAnalysis"]);
    let other = app
        .exec(json!({"command": "echo 'something else' >&2; exit 3"}))
        .await;
    assert_eq!(other["aiAnalysis"]["provider"], "fake-openai");
    assert_eq!(fake.chats().len(), 2);
    let metrics = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth(VIEWER)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for outcome in ["ok", "cache_hit"] {
        let line = format!("shellwise_analyses_llm_total{{outcome=\"{outcome}\"}}");
        assert!(metrics.contains(&line), "{line} missing");
    }
}

const CANARY: &str = "ghp_R8x2Kq9ZtLm4Vw7Yp3Nb6Hc1Jd5Fg0Se2UaQ7";

async fn redacting_app(fake: &FakeLlm) -> TestApp {
    let p = fake.provider("fake-openai", ProviderKind::Openai, &["gpt-test"]);
    crate::helpers::spawn_app_with_seams(
        move |s| s.llm.providers = vec![p],
        |seams| {
            seams.filter = std::sync::Arc::new(RedactFilter::new(std::sync::Arc::new(
                shellwise::redact::Redactor::builtin(),
            )))
        },
    )
    .await
}

#[tokio::test]
async fn with_a_redaction_filter_no_secret_reaches_the_provider_or_the_chat_client() {
    let fake = FakeLlm::answering(move |req| {
        if req.path == "/v1/chat/completions" && req.json()["stream"] == true {
            // The answer quotes a secret, split across deltas.
            let (a, b) = CANARY.split_at(10);
            let sse = fake_llm::openai_sse(&["your token is ", a, b, "\nbye"]);
            Reply::chunks(200, "text/event-stream", vec![Part::Data(sse.into_bytes())])
        } else {
            fake_llm::openai(req)
        }
    })
    .await;
    let app = redacting_app(&fake).await;
    let failing = format!("echo 'GITHUB_TOKEN={CANARY}' >&2; {FAILING}");
    let result = app.exec(json!({"command": failing})).await;
    assert_eq!(result["aiAnalysis"]["source"], "combined");
    assert!(!result.to_string().contains(CANARY), "{result}");
    let (status, _) = app
        .post(
            "/v1/chat",
            ANALYST,
            &json!({"messages": [{"role": "user", "content": format!("is {CANARY} valid?")}]}),
        )
        .await;
    assert_eq!(status, 200);
    for r in fake.requests() {
        let body = String::from_utf8_lossy(&r.body);
        assert!(!body.contains(CANARY), "{} {body}", r.path);
    }
    let res = app
        .client
        .post(app.url("/v1/chat/stream"))
        .bearer_auth(ANALYST)
        .json(&json!({"messages": [{"role": "user", "content": "hi"}]}))
        .send()
        .await
        .unwrap();
    let events = read_events(res).await;
    let text = delta_text(&events);
    assert!(!text.contains(CANARY), "{text}");
    assert!(text.starts_with("your token is [REDACTED:"), "{text}");
    assert!(text.ends_with("\nbye"), "{text}");
}

#[tokio::test]
async fn anthropic_chats_streams_and_analyzes_through_the_api() {
    let fake = FakeLlm::answering(fake_llm::anthropic).await;
    let p = fake.provider("fake-anthropic", ProviderKind::Anthropic, &["claude-test"]);
    let app = spawn_app_with(move |s| s.llm.providers = vec![p]).await;
    let (status, body) = app
        .post(
            "/v1/chat",
            ANALYST,
            &json!({"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hallo"}]}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        without_latency(body),
        json!({"provider": "fake-anthropic", "model": "claude-test", "content": "Hallo.",
            "finishReason": "end_turn", "usage": {"inputTokens": 21, "outputTokens": 6}})
    );
    assert_eq!(
        fake.chats_at("/v1/messages")[0].json()["system"],
        "Be brief."
    );

    let res = app
        .client
        .post(app.url("/v1/chat/stream"))
        .bearer_auth(ANALYST)
        .json(&json!({"messages": [{"role": "user", "content": "hallo"}]}))
        .send()
        .await
        .unwrap();
    let events = read_events(res).await;
    let text = delta_text(&events);
    assert_eq!(text, "Grüß dich");
    assert_eq!(
        events.last().unwrap().data,
        json!({"finishReason": "end_turn", "usage": {"inputTokens": 21, "outputTokens": 6},
            "provider": "fake-anthropic", "model": "claude-test"})
    );

    let result = app.exec(json!({"command": FAILING})).await;
    assert_eq!(result["aiAnalysis"]["source"], "combined");
    assert_eq!(result["aiAnalysis"]["provider"], "fake-anthropic");
    let sent = fake.chats_at("/v1/messages").last().unwrap().json();
    assert_eq!(sent["tool_choice"]["type"], "tool");
}

#[tokio::test]
async fn a_chat_answer_has_an_overall_deadline() {
    let fake = hanging_openai().await;
    let p = fake.provider("fake-openai", ProviderKind::Openai, &["gpt-test"]);
    let app = spawn_app_with(move |s| {
        s.llm.providers = vec![p];
        s.llm.chat_timeout_ms = 500;
    })
    .await;
    let start = Instant::now();
    let (status, body) = app
        .post(
            "/v1/chat",
            ANALYST,
            &json!({"messages": [{"role": "user", "content": "hi"}]}),
        )
        .await;
    let took = start.elapsed();
    assert_eq!(
        (status, body["code"].as_str()),
        (504, Some("llm_timeout")),
        "{body}"
    );
    assert!(took < Duration::from_millis(500 + 1500), "{took:?}");
}

#[tokio::test]
async fn llm_analyses_beyond_the_cap_get_the_heuristic_at_once() {
    let fake = hanging_openai().await;
    let p = fake.provider("fake-openai", ProviderKind::Openai, &["gpt-test"]);
    let app = spawn_app_with(move |s| {
        s.llm.providers = vec![p];
        s.llm.analysis_timeout_ms = 1500;
        s.llm.max_concurrent_analyses = 1;
    })
    .await;
    let slow = app.exec(json!({"command": FAILING}));
    let capped = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let start = Instant::now();
        let r = app
            .exec(json!({"command": "ls /definitely/not/here"}))
            .await;
        (r, start.elapsed())
    };
    let (slow, (capped, took)) = tokio::join!(slow, capped);
    let note = |r: &Value| r["aiAnalysis"]["nextSteps"].to_string();
    assert!(note(&slow).contains("timed out"), "{}", note(&slow));
    assert!(
        note(&capped).contains("max_concurrent_analyses"),
        "{}",
        note(&capped)
    );
    assert!(
        took < Duration::from_millis(1000),
        "the capped one did not wait: {took:?}"
    );
}

#[tokio::test]
async fn a_secret_a_model_streams_slowly_still_leaves_the_chat_stream_redacted() {
    // A local model on CPU easily pauses longer than the idle flush (50 ms) between deltas:
    // the first half of the token arrives, then nothing for 100 ms, then the second half.
    let fake = FakeLlm::answering(move |req| {
        if req.path == "/v1/chat/completions" && req.json()["stream"] == true {
            let (a, b) = CANARY.split_at(CANARY.len() / 2);
            let sse = fake_llm::openai_sse(&["your token is ", a, b, "\nbye"]);
            let pause_at = sse.find(b).unwrap() - "data: ".len();
            let pause_at = sse[..pause_at].rfind("data: ").unwrap();
            let (before, after) = sse.split_at(pause_at);
            Reply::chunks(
                200,
                "text/event-stream",
                vec![
                    Part::Data(before.as_bytes().to_vec()),
                    Part::Sleep(Duration::from_millis(100)),
                    Part::Data(after.as_bytes().to_vec()),
                ],
            )
        } else {
            fake_llm::openai(req)
        }
    })
    .await;
    let app = redacting_app(&fake).await;
    let res = app
        .client
        .post(app.url("/v1/chat/stream"))
        .bearer_auth(ANALYST)
        .json(&json!({"messages": [{"role": "user", "content": "hi"}]}))
        .send()
        .await
        .unwrap();
    let events = read_events(res).await;
    let text = delta_text(&events);
    assert_eq!(text, "your token is [REDACTED:github-pat]\nbye");
    assert_eq!(events.last().map(|e| e.event.as_str()), Some("done"));
}

#[tokio::test]
async fn a_command_slot_is_free_while_its_failure_is_still_being_analyzed() {
    // One slot; the first command fails and its LLM analysis hangs for the whole budget. The
    // second caller must get the slot as soon as the first command exited, not after the
    // analysis: it waits at most 300 ms for a slot, far less than the 2 s budget.
    let fake = hanging_openai().await;
    let p = fake.provider("fake-openai", ProviderKind::Openai, &["gpt-test"]);
    let app = spawn_app_with(move |s| {
        s.llm.providers = vec![p];
        s.llm.analysis_timeout_ms = 2000;
        s.exec.max_concurrent = 1;
        s.exec.queue_timeout_ms = 300;
    })
    .await;
    let first = app.exec(json!({"command": FAILING}));
    let second = async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        app.post(
            "/v1/exec",
            crate::helpers::OPERATOR,
            &json!({"command": "echo second"}),
        )
        .await
    };
    let (first, (status, second)) = tokio::join!(first, second);
    assert_eq!(first["aiAnalysis"]["source"], "heuristic");
    assert_eq!(
        (status, second["stdout"].as_str()),
        (200, Some("second\n")),
        "{second}"
    );
}
