//! Fake LLM providers for the HTTP tests: a minimal HTTP/1.1 server on 127.0.0.1 that records
//! every request and answers with scripted replies, chunk by chunk, so a test decides where
//! bytes split and when they arrive; plus canned OpenAI-compatible and Ollama replies.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
use shellwise::llm::{ProviderConfig, ProviderKind};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One request as the fake saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

/// A piece of a reply body.
#[derive(Debug, Clone)]
pub enum Part {
    /// One HTTP chunk with exactly these bytes.
    Data(Vec<u8>),
    /// Send this chunk every interval until the client goes away.
    Endless(Vec<u8>, Duration),
}

/// A scripted reply; `status == 0` means: read the request, then never answer.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub chunked: bool,
    pub parts: Vec<Part>,
}

impl Reply {
    pub fn json(status: u16, v: &Value) -> Reply {
        Reply {
            status,
            content_type: "application/json",
            chunked: false,
            parts: vec![Part::Data(v.to_string().into_bytes())],
        }
    }

    pub fn chunks(content_type: &'static str, parts: Vec<Part>) -> Reply {
        Reply {
            status: 200,
            content_type,
            chunked: true,
            parts,
        }
    }

    pub fn hang() -> Reply {
        Reply {
            status: 0,
            content_type: "",
            chunked: false,
            parts: vec![],
        }
    }
}

/// Chunk parts of `text` cut at the given byte offsets (which may fall inside a character).
pub fn split_at_bytes(text: &str, cuts: &[usize]) -> Vec<Part> {
    let bytes = text.as_bytes();
    let mut parts = Vec::new();
    let mut last = 0;
    for &c in cuts {
        parts.push(Part::Data(bytes[last..c].to_vec()));
        last = c;
    }
    parts.push(Part::Data(bytes[last..].to_vec()));
    parts
}

type Handler = Arc<dyn Fn(&Recorded) -> Reply + Send + Sync>;

/// A running fake.
pub struct FakeLlm {
    pub addr: std::net::SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
    disconnects: Arc<AtomicUsize>,
}

impl FakeLlm {
    pub async fn start(handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> FakeLlm {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let disconnects = Arc::new(AtomicUsize::new(0));
        let handler: Handler = Arc::new(handler);
        let (r, d) = (requests.clone(), disconnects.clone());
        tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                let (h, r, d) = (handler.clone(), r.clone(), d.clone());
                tokio::spawn(async move { serve(sock, h, r, d).await });
            }
        });
        FakeLlm {
            addr,
            requests,
            disconnects,
        }
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    /// Chat requests only (not model discovery).
    pub fn chats(&self) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.path.ends_with("/chat/completions") || r.path == "/api/chat")
            .collect()
    }

    /// Requests to one path.
    pub fn chats_at(&self, path: &str) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.path == path)
            .collect()
    }

    /// Waits until an endless reply sees its client go away.
    pub async fn wait_disconnect(&self, within: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + within;
        while tokio::time::Instant::now() < deadline {
            if self.disconnects.load(Ordering::SeqCst) > 0 {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        self.disconnects.load(Ordering::SeqCst) > 0
    }

    /// A provider entry pointing at this fake.
    pub fn provider(&self, name: &str, kind: ProviderKind, models: &[&str]) -> ProviderConfig {
        let base = match kind {
            ProviderKind::Openai => format!("{}/v1", self.base_url()),
            _ => self.base_url(),
        };
        ProviderConfig {
            name: name.into(),
            kind,
            base_url: Some(base),
            api_key_env: None,
            models: models.iter().map(|m| m.to_string()).collect(),
            priority: 0,
            timeout_ms: Some(10_000),
            connect_timeout_ms: Some(1_000),
            max_retries: Some(0),
        }
    }
}

async fn read_request(sock: &mut TcpStream, buf: &mut Vec<u8>) -> Option<Recorded> {
    let head_end = loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos;
        }
        let mut tmp = [0u8; 4096];
        let n = sock.read(&mut tmp).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&tmp[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let path = first.next()?.to_string();
    let len: usize = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(0);
    let body_start = head_end + 4;
    while buf.len() < body_start + len {
        let mut tmp = [0u8; 4096];
        let n = sock.read(&mut tmp).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&tmp[..n]);
    }
    let body = buf[body_start..body_start + len].to_vec();
    buf.drain(..body_start + len);
    Some(Recorded { method, path, body })
}

async fn serve(
    mut sock: TcpStream,
    handler: Handler,
    requests: Arc<Mutex<Vec<Recorded>>>,
    disconnects: Arc<AtomicUsize>,
) {
    let mut buf = Vec::new();
    while let Some(req) = read_request(&mut sock, &mut buf).await {
        requests.lock().unwrap().push(req.clone());
        let reply = handler(&req);
        if reply.status == 0 {
            tokio::time::sleep(Duration::from_secs(600)).await;
            return;
        }
        let reason = match reply.status {
            200 => "OK",
            404 => "Not Found",
            _ => "Status",
        };
        let mut head = format!(
            "HTTP/1.1 {} {reason}\r\ncontent-type: {}\r\n",
            reply.status, reply.content_type
        );
        if reply.chunked {
            head.push_str("transfer-encoding: chunked\r\n\r\n");
        } else {
            let len: usize = reply
                .parts
                .iter()
                .map(|p| match p {
                    Part::Data(d) => d.len(),
                    Part::Endless(..) => 0,
                })
                .sum();
            head.push_str(&format!("content-length: {len}\r\n\r\n"));
        }
        if sock.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        for part in &reply.parts {
            match part {
                Part::Data(d) => {
                    let ok = if reply.chunked {
                        write_chunk(&mut sock, d).await
                    } else {
                        sock.write_all(d).await.is_ok()
                    };
                    if !ok {
                        return;
                    }
                    // Let each chunk leave on its own, so the client really sees the split.
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                Part::Endless(d, every) => loop {
                    let mut tmp = [0u8; 1024];
                    tokio::select! {
                        r = sock.read(&mut tmp) => {
                            if matches!(r, Ok(0) | Err(_)) {
                                disconnects.fetch_add(1, Ordering::SeqCst);
                                return;
                            }
                        }
                        _ = tokio::time::sleep(*every) => {
                            if !write_chunk(&mut sock, d).await {
                                disconnects.fetch_add(1, Ordering::SeqCst);
                                return;
                            }
                        }
                    }
                },
            }
        }
        if reply.chunked && sock.write_all(b"0\r\n\r\n").await.is_err() {
            return;
        }
    }
}

async fn write_chunk(sock: &mut TcpStream, data: &[u8]) -> bool {
    if data.is_empty() {
        return true;
    }
    let mut out = format!("{:x}\r\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\r\n");
    sock.write_all(&out).await.is_ok() && sock.flush().await.is_ok()
}

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
                return Reply::chunks("text/event-stream", split_at_bytes(&sse, &[first, check]));
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
                return Reply::chunks("application/x-ndjson", split_at_bytes(&nd, &[cut]));
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
                return Reply::chunks("text/event-stream", split_at_bytes(&sse, &[cut]));
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
