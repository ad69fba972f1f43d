//! Canned replies in the providers' real wire formats (OpenAI-compatible SSE, Ollama NDJSON,
//! Anthropic typed SSE), with UTF-8 characters split across chunks, for handlers of a
//! [`FakeServer`](crate::http::FakeServer).

use serde_json::{json, Value};

use crate::http::{split_at_bytes, Recorded, Reply};

/// An analysis answer that agrees with the heuristic on a missing Python module.
pub fn analysis_answer() -> Value {
    json!({
        "category": "missing_dependency",
        "summary": "Python cannot import yaml: PyYAML is not installed",
        "rootCause": "The script imports yaml, but the PyYAML package is not installed for this interpreter.",
        "confidence": 0.9,
        "evidence": ["ModuleNotFoundError: No module named 'yaml'"],
        "fixes": [{"description": "Install PyYAML for this interpreter", "command": "python3 -m pip install pyyaml", "risk": "medium"}],
        "nextSteps": ["python3 -c 'import sys; print(sys.path)'"]
    })
}

/// OpenAI-compatible: `/v1/models`, `/v1/chat/completions` (JSON, SSE, structured). A request
/// for model `nope` is answered like OpenAI answers an unknown model.
pub fn openai(req: &Recorded) -> Reply {
    match (req.method.as_str(), req.path.as_str()) {
        ("GET", "/v1/models") => Reply::json(
            200,
            &json!({"object": "list", "data": [{"id": "gpt-test", "object": "model"}]}),
        ),
        ("POST", "/v1/chat/completions") => {
            let body = req.json();
            if body["model"] == "nope" {
                return Reply::json(
                    404,
                    &json!({"error": {"message": "The model `nope` does not exist", "type": "invalid_request_error", "code": "model_not_found"}}),
                );
            }
            let content = if body.get("response_format").is_some() {
                analysis_answer().to_string()
            } else {
                "Hello from the fake.".to_string()
            };
            if body["stream"] == true {
                let sse = openai_sse(&["Héllo ", "wörld ✓"]);
                // Cut inside "é" (the first data line) and inside "✓".
                let first = sse.find('é').unwrap() + 1;
                let check = sse.find('✓').unwrap() + 2;
                return Reply::chunks(
                    200,
                    "text/event-stream",
                    split_at_bytes(&sse, &[first, check]),
                );
            }
            Reply::json(
                200,
                &json!({
                    "id": "chatcmpl-1", "object": "chat.completion", "model": body["model"],
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": 12, "completion_tokens": 5, "total_tokens": 17}
                }),
            )
        }
        _ => Reply::json(
            404,
            &json!({"error": {"message": "no route", "type": "x", "code": null}}),
        ),
    }
}

/// The SSE body of an OpenAI stream delivering `pieces`.
pub fn openai_sse(pieces: &[&str]) -> String {
    let mut s = String::new();
    for p in pieces {
        s.push_str(&format!(
            "data: {}\n\n",
            json!({"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"content": p}, "finish_reason": null}]})
        ));
    }
    s.push_str(&format!(
        "data: {}\n\n",
        json!({"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    ));
    s.push_str(&format!(
        "data: {}\n\n",
        json!({"object": "chat.completion.chunk", "choices": [], "usage": {"prompt_tokens": 9, "completion_tokens": 4}})
    ));
    s.push_str("data: [DONE]\n\n");
    s
}

/// Ollama native: `/api/tags`, `/api/show`, `/api/chat` (JSON, NDJSON, structured).
pub fn ollama(req: &Recorded) -> Reply {
    match (req.method.as_str(), req.path.as_str()) {
        ("GET", "/api/tags") => Reply::json(
            200,
            &json!({"models": [{"name": "llama-test:latest", "model": "llama-test:latest"}]}),
        ),
        ("POST", "/api/show") => Reply::json(
            200,
            &json!({"capabilities": ["completion", "tools"], "model_info": {"general.architecture": "llama", "llama.context_length": 8192}}),
        ),
        ("POST", "/api/chat") => {
            let body = req.json();
            if body["stream"] == true {
                let mut nd = String::new();
                for p in ["Bonjour ", "à ", "vous"] {
                    nd.push_str(&format!(
                        "{}\n",
                        json!({"model": body["model"], "message": {"role": "assistant", "content": p}, "done": false})
                    ));
                }
                nd.push_str(&format!(
                    "{}\n",
                    json!({"model": body["model"], "message": {"role": "assistant", "content": ""}, "done": true, "done_reason": "stop", "prompt_eval_count": 7, "eval_count": 3})
                ));
                let cut = nd.find('à').unwrap() + 1;
                return Reply::chunks(200, "application/x-ndjson", split_at_bytes(&nd, &[cut]));
            }
            let content = if body.get("format").is_some() {
                analysis_answer().to_string()
            } else {
                "Bonjour.".to_string()
            };
            Reply::json(
                200,
                &json!({"model": body["model"], "message": {"role": "assistant", "content": content},
                    "done": true, "done_reason": "stop", "prompt_eval_count": 11, "eval_count": 2}),
            )
        }
        _ => Reply::json(404, &json!({"error": "not found"})),
    }
}

/// Anthropic Messages: `/v1/models`, `/v1/messages` (JSON, typed SSE, a forced tool call).
pub fn anthropic(req: &Recorded) -> Reply {
    match (req.method.as_str(), req.path.as_str()) {
        ("GET", p) if p.starts_with("/v1/models") => Reply::json(
            200,
            &json!({"data": [{"id": "claude-test", "type": "model", "display_name": "Claude Test"}], "has_more": false}),
        ),
        ("POST", "/v1/messages") => {
            let body = req.json();
            let usage = json!({"input_tokens": 21, "output_tokens": 6});
            if let Some(tool) = body["tools"][0]["name"].as_str() {
                return Reply::json(
                    200,
                    &json!({"type": "message", "role": "assistant", "model": body["model"],
                        "content": [{"type": "tool_use", "id": "toolu_1", "name": tool, "input": analysis_answer()}],
                        "stop_reason": "tool_use", "usage": usage}),
                );
            }
            if body["stream"] == true {
                let ev = |name: &str, data: Value| format!("event: {name}\ndata: {data}\n\n");
                let mut sse = ev(
                    "message_start",
                    json!({"type": "message_start", "message": {"model": body["model"], "usage": {"input_tokens": 21, "output_tokens": 1}}}),
                );
                sse.push_str(&ev("ping", json!({"type": "ping"})));
                for t in ["Grüß ", "dich"] {
                    sse.push_str(&ev(
                        "content_block_delta",
                        json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": t}}),
                    ));
                }
                sse.push_str(&ev(
                    "message_delta",
                    json!({"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": 6}}),
                ));
                sse.push_str(&ev("message_stop", json!({"type": "message_stop"})));
                let cut = sse.find('ü').unwrap() + 1;
                return Reply::chunks(200, "text/event-stream", split_at_bytes(&sse, &[cut]));
            }
            Reply::json(
                200,
                &json!({"type": "message", "role": "assistant", "model": body["model"],
                    "content": [{"type": "text", "text": "Hallo."}], "stop_reason": "end_turn", "usage": usage}),
            )
        }
        _ => Reply::json(
            404,
            &json!({"type": "error", "error": {"type": "not_found_error", "message": "no route"}}),
        ),
    }
}
