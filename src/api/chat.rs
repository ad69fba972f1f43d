//! `POST /v1/chat` (a whole answer as JSON) and `POST /v1/chat/stream` (Server-Sent Events).
//!
//! Every message passes the output filter (redaction) before it is sent to a provider, and
//! every answer passes it before it is returned. A client that disconnects from the stream
//! cancels the upstream request (the stream is dropped, which closes its connection).

use std::sync::Arc;
use std::time::Duration;

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use bytes::Bytes;
use futures_util::StreamExt;
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use super::exec::{PeerSocket, PEER_CHECK};
use crate::auth::Caller;
use crate::error::{ApiError, Code, Problem};
use crate::exec::output::Utf8Decoder;
use crate::llm::{ChatDelta, ChatMessage, ChatRequest, ChatResponse, ChatStream, LlmError, Router};
use crate::service::seams::StreamFilter;
use crate::service::ExecService;
use super::HttpSettings;

/// The problem for a router error, its detail passed through redaction (an upstream message
/// may quote what it was sent).
pub fn llm_problem(service: &ExecService, e: LlmError) -> ApiError {
    let mut err = ApiError::from(e);
    err.detail = service.filter_text(&err.detail);
    err
}

impl From<LlmError> for ApiError {
    fn from(e: LlmError) -> Self {
        let code = llm_code(&e);
        if code == Code::InternalError {
            return ApiError::internal(&anyhow::anyhow!(e));
        }
        ApiError::new(code, e.to_string())
    }
}

/// The problem code for a router error.
pub fn llm_code(e: &LlmError) -> Code {
    match e {
        LlmError::NoProviders | LlmError::CircuitOpen { .. } => Code::LlmUnavailable,
        LlmError::UnknownProvider(_) => Code::UnknownProvider,
        LlmError::ModelNotFound { .. } => Code::ModelNotFound,
        LlmError::NoModel { .. } => Code::InvalidRequest,
        LlmError::Timeout { .. } => Code::LlmTimeout,
        LlmError::Upstream { .. }
        | LlmError::Connect { .. }
        | LlmError::RateLimited { .. }
        | LlmError::Malformed { .. } => Code::LlmUpstreamError,
        LlmError::InvalidConfig { .. } => Code::InternalError,
        LlmError::AllFailed(all) => {
            let codes: Vec<Code> = all.iter().map(llm_code).collect();
            match codes.first() {
                Some(first) if codes.iter().all(|c| c == first) => *first,
                _ if codes.contains(&Code::ModelNotFound) => Code::ModelNotFound,
                _ => Code::LlmUpstreamError,
            }
        }
    }
}

/// A chat request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"messages": [{"role": "user", "content": "What does `set -euo pipefail` do?"}]}))]
pub struct ChatBody {
    /// The conversation, oldest first (at least one message).
    #[schema(min_items = 1)]
    pub messages: Vec<ChatMessage>,
    /// A configured provider to ask first (default: the selected model's, else by priority).
    pub provider: Option<String>,
    /// The model to use; when given, another model is never substituted.
    pub model: Option<String>,
    /// Most tokens to generate.
    pub max_tokens: Option<u32>,
    /// Sampling temperature.
    pub temperature: Option<f32>,
}

impl ChatBody {
    /// The router request, with every message redacted.
    fn into_request(self, service: &ExecService) -> Result<ChatRequest, ApiError> {
        if self.messages.is_empty() {
            return Err(ApiError::new(
                Code::InvalidRequest,
                "`messages` must hold at least one message",
            ));
        }
        let messages = self
            .messages
            .into_iter()
            .map(|m| ChatMessage::new(m.role, service.filter_text(&m.content)))
            .collect();
        Ok(ChatRequest {
            provider: self.provider.filter(|p| !p.is_empty()),
            model: self.model.filter(|m| !m.is_empty()),
            messages,
            max_tokens: self.max_tokens,
            temperature: self.temperature,
            timeout: None,
        })
    }
}

/// Ask a model and return its whole answer.
#[utoipa::path(
    post,
    path = "/v1/chat",
    operation_id = "chatWithModel",
    tag = "llm",
    summary = "Send a conversation to an LLM provider and return its answer",
    description = "Sends the messages to the configured LLM providers (the named provider or \
model, else the selected default, else by priority, falling back on failure) and returns the \
whole answer with token usage. Messages are redacted before they are sent and the answer before \
it is returned. Needs the analyst role.",
    request_body(content = ChatBody, examples(
        ("question" = (summary = "One question", value = json!({"messages": [{"role": "user", "content": "Why would `npm ci` fail with EUSAGE?"}]}))),
        ("named model" = (summary = "A provider and model", value = json!({"provider": "local", "model": "llama3.2", "maxTokens": 200, "temperature": 0.2,
            "messages": [{"role": "system", "content": "Answer in one sentence."}, {"role": "user", "content": "What is SIGPIPE?"}]})))
    )),
    responses(
        (status = 200, description = "The answer.", body = ChatResponse, example = json!({
            "provider": "local", "model": "llama3.2", "content": "SIGPIPE is sent to a process that writes to a pipe nobody reads.",
            "finishReason": "stop", "usage": {"inputTokens": 24, "outputTokens": 15}, "latencyMs": 812})),
        (status = 400, description = "Invalid body or no messages.", body = Problem,
            content_type = "application/problem+json"),
        (status = 401, description = "No bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid token or a role below analyst.", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such provider (`unknown_provider`), or the provider does not have \
the model (`model_not_found`).", body = Problem,
            content_type = "application/problem+json"),
        (status = 405, description = "Wrong method.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "Server fault.", body = Problem, content_type = "application/problem+json"),
        (status = 502, description = "The provider failed (`llm_upstream_error`).", body = Problem,
            content_type = "application/problem+json"),
        (status = 503, description = "No provider configured or all disabled (`llm_unavailable`).", body = Problem,
            content_type = "application/problem+json"),
        (status = 504, description = "The provider did not answer in time (`llm_timeout`).", body = Problem,
            content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(skip_all, fields(caller = %caller.name))]
pub async fn chat_with_model(
    caller: Caller,
    service: web::Data<ExecService>,
    router: web::Data<Router>,
    http: web::Data<HttpSettings>,
    body: web::Json<crate::lenient::Object<ChatBody>>,
) -> Result<web::Json<ChatResponse>, ApiError> {
    let req = body.into_inner().0.into_request(&service)?;
    let deadline = std::time::Duration::from_millis(http.chat_timeout_ms);
    let mut answer = match tokio::time::timeout(deadline, router.chat(&req)).await {
        Ok(answer) => answer.map_err(|e| llm_problem(&service, e))?,
        Err(_) => {
            return Err(ApiError::new(
                crate::error::Code::LlmTimeout,
                format!(
                    "no answer within {} ms (llm.chat_timeout_ms)",
                    http.chat_timeout_ms
                ),
            ))
        }
    };
    answer.content = service.filter_text(&answer.content);
    Ok(web::Json(answer))
}

/// Ask a model and stream its answer as Server-Sent Events.
#[utoipa::path(
    post,
    path = "/v1/chat/stream",
    operation_id = "streamChat",
    tag = "llm",
    summary = "Send a conversation to an LLM provider and stream its answer as Server-Sent Events",
    description = "Same request as chatWithModel. The response is `text/event-stream` with \
`delta` events `{text}`, a final `done` `{finishReason, usage, provider, model}`, or an `error` \
event (a problem) if the provider fails mid-stream; every event has an `id:`, and a comment line \
is sent as heartbeat. Disconnecting cancels the upstream request. Not for ChatGPT Actions: use \
chatWithModel.",
    request_body(content = ChatBody, examples(
        ("question" = (summary = "One question", value = json!({"messages": [{"role": "user", "content": "Explain exit code 137."}]})))
    )),
    responses(
        (status = 200, description = "An event stream. Example:\n\n```\nid: 0\nevent: delta\n\
data: {\"text\":\"Exit code 137 \"}\n\nid: 1\nevent: done\ndata: {\"finishReason\":\"stop\",...}\n```",
            content_type = "text/event-stream", body = String,
            example = json!("id: 0\nevent: delta\ndata: {\"text\":\"Exit code 137 \"}\n\n")),
        (status = 400, description = "Invalid body, no messages, or an unknown provider.", body = Problem,
            content_type = "application/problem+json"),
        (status = 401, description = "No bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid token or a role below analyst.", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "The provider does not have the model.", body = Problem,
            content_type = "application/problem+json"),
        (status = 405, description = "Wrong method.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "Server fault.", body = Problem, content_type = "application/problem+json"),
        (status = 502, description = "The provider failed before the stream started.", body = Problem,
            content_type = "application/problem+json"),
        (status = 503, description = "No provider configured or all disabled.", body = Problem,
            content_type = "application/problem+json"),
        (status = 504, description = "The provider did not start answering in time.", body = Problem,
            content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(skip_all, fields(caller = %caller.name))]
pub async fn stream_chat(
    req: actix_web::HttpRequest,
    caller: Caller,
    service: web::Data<ExecService>,
    router: web::Data<Router>,
    http: web::Data<HttpSettings>,
    body: web::Json<crate::lenient::Object<ChatBody>>,
) -> Result<HttpResponse, ApiError> {
    let chat = body.into_inner().0.into_request(&service)?;
    let router: Arc<Router> = router.into_inner();
    let (provider, model, upstream) = router
        .chat_stream_routed(&chat)
        .await
        .map_err(|e| llm_problem(&service, e))?;
    let heartbeat = Duration::from_millis(http.sse_heartbeat_ms);
    let state = ChatSse {
        upstream,
        filter: service.text_filter(),
        service: service.clone().into_inner(),
        decoder: Utf8Decoder::default(),
        heartbeat: interval_after(heartbeat),
        peer: req.conn_data::<PeerSocket>().cloned(),
        peer_check: interval_after(PEER_CHECK),
        next_id: 0,
        provider,
        model,
        done: false,
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/event-stream"))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(chat_sse(state)))
}

/// How long the redaction filter may hold a partial line back while the provider is quiet
/// (the same trade-off as exec output: a quiet stream is flushed, a busy one scanned whole).
const IDLE_FLUSH: Duration = Duration::from_millis(50);

fn interval_after(every: Duration) -> tokio::time::Interval {
    let mut i = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    i.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    i
}

/// One chat stream being relayed. Dropping it drops `upstream`, which closes the provider
/// connection.
struct ChatSse {
    upstream: ChatStream,
    filter: Box<dyn StreamFilter>,
    service: Arc<ExecService>,
    decoder: Utf8Decoder,
    heartbeat: tokio::time::Interval,
    peer: Option<PeerSocket>,
    peer_check: tokio::time::Interval,
    next_id: u64,
    provider: String,
    model: String,
    done: bool,
}

impl ChatSse {
    fn frame(&mut self, event: &str, data: &serde_json::Value) -> String {
        let f = format!("id: {}\nevent: {event}\ndata: {data}\n\n", self.next_id);
        self.next_id += 1;
        f
    }

    /// Text through the redaction filter, then whole characters only.
    fn filtered(&mut self, text: &str) -> String {
        let bytes = self.filter.push(text.as_bytes());
        self.decoder.push(&bytes)
    }

    /// What the filter holds (and, at the end, the decoder too) as a delta frame, or nothing.
    /// Mid-stream an incomplete character stays in the decoder.
    fn drain(&mut self, end: bool) -> String {
        let bytes = self.filter.flush();
        let mut text = self.decoder.push(&bytes);
        if end {
            text.push_str(&self.decoder.finish());
        }
        if text.is_empty() {
            String::new()
        } else {
            self.frame("delta", &json!({"text": text}))
        }
    }

    fn error(&mut self, e: ApiError) -> String {
        let mut out = self.drain(true);
        let problem = serde_json::to_value(e.problem()).unwrap_or_default();
        out.push_str(&self.frame("error", &problem));
        self.done = true;
        out
    }
}

fn chat_sse(
    state: ChatSse,
) -> impl futures_util::Stream<Item = Result<Bytes, std::convert::Infallible>> {
    futures_util::stream::unfold(state, |mut st| async move {
        if st.done {
            return None;
        }
        let frame = loop {
            tokio::select! {
                _ = st.peer_check.tick(), if st.peer.is_some() => {
                    if st.peer.as_ref().is_some_and(PeerSocket::hung_up) {
                        // Ending the stream drops the upstream, which cancels the request.
                        return None;
                    }
                }
                item = st.upstream.next() => match item {
                    Some(Ok(ChatDelta::Text(t))) => {
                        let text = st.filtered(&t);
                        if !text.is_empty() {
                            break st.frame("delta", &json!({"text": text}));
                        }
                    }
                    Some(Ok(ChatDelta::Done { finish_reason, usage })) => {
                        let mut out = st.drain(true);
                        let data = json!({
                            "finishReason": finish_reason,
                            "usage": usage,
                            "provider": st.provider,
                            "model": st.model,
                        });
                        out.push_str(&st.frame("done", &data));
                        st.done = true;
                        break out;
                    }
                    Some(Err(e)) => {
                        tracing::warn!(kind = e.kind(), "chat stream failed upstream");
                        let e = llm_problem(&st.service, e);
                        break st.error(e);
                    }
                    None => {
                        let e = ApiError::internal(&anyhow::anyhow!("chat stream ended without done"));
                        break st.error(e);
                    }
                },
                _ = tokio::time::sleep(IDLE_FLUSH), if st.filter.held() > 0 => {
                    let out = st.drain(false);
                    if !out.is_empty() {
                        break out;
                    }
                }
                _ = st.heartbeat.tick() => break ": heartbeat\n\n".to_string(),
            }
        };
        Some((Ok(Bytes::from(frame)), st))
    })
}
