//! `POST /v1/chat` (a whole answer as JSON) and `POST /v1/chat/stream` (Server-Sent Events).
//!
//! Every message passes the output filter (redaction) before it is sent to a provider, and
//! every answer passes it before it is returned. A client that disconnects from the stream
//! cancels the upstream request (the stream is dropped, which closes its connection).

use std::sync::Arc;

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use super::routes::{Access, Feature, Route};
use super::sse::{self, SseEvent};
use super::HttpSettings;
use crate::auth::Caller;
use crate::domain::Role;
use crate::error::{ApiError, Code, Problem};
use crate::llm::{ChatMessage, ChatRequest, ChatResponse, LlmError, Router};
use crate::service::{ChatEvent, ExecService};

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
    #[serde(default, deserialize_with = "crate::lenient::opt_u32")]
    #[schema(value_type = Option<u64>, maximum = 4294967295_u64)]
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
    extensions(("x-openai-isConsequential" = json!(false))),
    tag = "llm",
    summary = "Send a conversation to an LLM provider and return its answer",
    description = "Sends the messages to the configured LLM providers (the named provider or \
model, else the selected default, else by priority, with fallback) and returns the whole answer \
with token usage. Messages and answer are redacted. Needs the analyst role.",
    request_body(content = ChatBody, examples(
        ("question" = (summary = "One question", value = json!({"messages": [{"role": "user", "content": "Why would `npm ci` fail with EUSAGE?"}]}))),
        ("named model" = (summary = "A provider and model", value = json!({"provider": "local", "model": "llama3.2", "maxTokens": 200, "temperature": 0.2,
            "messages": [{"role": "system", "content": "Answer in one sentence."}, {"role": "user", "content": "What is SIGPIPE?"}]})))
    )),
    responses(
        (status = 200, description = "The answer.", body = ChatResponse, example = json!({
            "provider": "local", "model": "llama3.2", "content": "SIGPIPE is sent to a process that writes to a pipe nobody reads.",
            "finishReason": "stop", "usage": {"inputTokens": 24, "outputTokens": 15}, "latencyMs": 812})),
        (status = 400, description = "Invalid body or no messages (`invalid_request`).", body = Problem,
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
    extensions(("x-openai-isConsequential" = json!(false))),
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
        (status = 400, description = "Invalid body or no messages (`invalid_request`).", body = Problem,
            content_type = "application/problem+json"),
        (status = 401, description = "No bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid token or a role below analyst.", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such provider (`unknown_provider`), or the provider does not \
have the model (`model_not_found`).", body = Problem,
            content_type = "application/problem+json"),
        (status = 405, description = "Wrong method.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "Server fault.", body = Problem, content_type = "application/problem+json"),
        (status = 502, description = "The provider failed before the stream started \
(`llm_upstream_error`).", body = Problem,
            content_type = "application/problem+json"),
        (status = 503, description = "No provider configured or all disabled (`llm_unavailable`).", body = Problem,
            content_type = "application/problem+json"),
        (status = 504, description = "The provider did not start answering in time (`llm_timeout`).", body = Problem,
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
    let (provider, model, upstream) = router
        .chat_stream_routed(&chat)
        .await
        .map_err(|e| llm_problem(&service, e))?;
    let service: Arc<ExecService> = service.into_inner();
    let events = service.relay_chat(upstream, provider, model);
    Ok(sse::respond(&req, &http, events))
}

impl SseEvent for ChatEvent {
    fn into_frame(self) -> (&'static str, String) {
        match self {
            ChatEvent::Delta(text) => ("delta", json!({"text": text}).to_string()),
            ChatEvent::Done {
                finish_reason,
                usage,
                provider,
                model,
            } => {
                let data = json!({
                    "finishReason": finish_reason,
                    "usage": usage,
                    "provider": provider,
                    "model": model,
                });
                ("done", data.to_string())
            }
            ChatEvent::Failed { error, detail } => {
                let mut e = ApiError::from(error);
                if e.code != Code::InternalError {
                    e.detail = detail;
                }
                (
                    "error",
                    serde_json::to_string(&e.problem()).unwrap_or_default(),
                )
            }
        }
    }

    fn is_final(&self) -> bool {
        !matches!(self, ChatEvent::Delta(_))
    }
}

/// The chat operations.
pub(super) fn routes() -> Vec<Route> {
    let analyst = Access::Role(Role::Analyst);
    vec![
        Route::of::<__path_chat_with_model, _, _>(analyst, chat_with_model).feature(Feature::Chat),
        Route::of::<__path_stream_chat, _, _>(analyst, stream_chat).feature(Feature::Chat),
    ]
}
