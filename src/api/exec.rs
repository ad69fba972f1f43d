//! `POST /v1/exec` (buffered JSON) and `POST /v1/exec/stream` (Server-Sent Events).

use std::sync::Arc;

use actix_web::{web, HttpResponse};
use serde_json::json;

use super::routes::{Access, Feature, Route};
use super::sse::{self, SseEvent};
use super::HttpSettings;
use crate::auth::Caller;
use crate::domain::Role;
use crate::error::{ApiError, Code, Problem};
use crate::service::types::{ExecRequest, ExecResult, StreamEvent};
use crate::service::{ExecService, ServiceError};

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Invalid(m) => ApiError::new(Code::InvalidRequest, m),
            ServiceError::UnsupportedLanguage { message, available } => {
                ApiError::new(Code::UnsupportedLanguage, message).with_available(available)
            }
            ServiceError::UnsupportedShell { message, available } => {
                ApiError::new(Code::UnsupportedShell, message).with_available(available)
            }
            ServiceError::InvalidCwd(m) => ApiError::new(Code::InvalidCwd, m),
            ServiceError::CwdOutsideWorkspace(m) => ApiError::new(Code::CwdOutsideWorkspace, m),
            ServiceError::LimitNotAllowed(m) => ApiError::new(Code::LimitNotAllowed, m),
            ServiceError::LimitUnenforceable(m) => ApiError::new(Code::LimitUnenforceable, m),
            ServiceError::NetworkNotAllowed(m) => ApiError::new(Code::NetworkNotAllowed, m),
            ServiceError::PolicyDenied { rule_id, reason } => ApiError::new(
                Code::PolicyDenied,
                format!("policy rule `{rule_id}` denies this: {reason}"),
            )
            .with_rule(rule_id, reason),
            ServiceError::ConfirmationRequired {
                rule_id,
                reason,
                token,
                ttl_secs,
            } => ApiError::new(
                Code::ConfirmationRequired,
                format!(
                    "policy rule `{rule_id}` asks a person to confirm: {reason}. Resubmit the same \
                     request with \"confirmToken\" to run it once."
                ),
            )
            .with_rule(rule_id, reason)
            .with_confirm_token(token, ttl_secs),
            ServiceError::FeatureDisabled(m) => ApiError::new(Code::FeatureDisabled, m),
            e @ ServiceError::QuotaExceeded(_) => {
                ApiError::new(Code::QuotaExceeded, e.to_string()).with_retry_after(1)
            }
            e @ ServiceError::RateLimited {
                retry_after_secs, ..
            } => ApiError::new(Code::RateLimited, e.to_string()).with_retry_after(retry_after_secs),
            e @ ServiceError::Busy(_) => {
                ApiError::new(Code::CapacityExceeded, e.to_string()).with_retry_after(1)
            }
            e @ ServiceError::AuditUnavailable => {
                ApiError::new(Code::AuditUnavailable, e.to_string())
            }
            ServiceError::ShuttingDown => {
                ApiError::new(Code::ShuttingDown, "the server is shutting down")
            }
            ServiceError::Internal(cause) => ApiError::internal(&cause),
        }
    }
}

/// Run a command and return its complete result.
#[utoipa::path(
    post,
    path = "/v1/exec",
    operation_id = "runCommand",
    extensions(("x-openai-isConsequential" = json!(true))),
    tag = "exec",
    summary = "Run a command, program or code snippet and return its output",
    description = "Runs exactly one of `command` (a shell string), `argv` (a program without a \
shell) or `code` + `language` under a wall-clock limit, in its own process group, with a scrubbed \
environment. Waits for it to finish and returns exit code, signal, timing and output (head and \
tail kept when over the inline cap). A non-zero exit is a 200 with data, not an error. Whatever \
the command leaves running in the background is killed when it exits.",
    request_body(content = ExecRequest, examples(
        ("shell command" = (summary = "A shell pipeline", value = json!({"command": "echo hello | tr a-z A-Z"}))),
        ("argv" = (summary = "A program without a shell", value = json!({"argv": ["ls", "-la", "/tmp"], "timeoutMs": 5000}))),
        ("code" = (summary = "A Python snippet", value = json!({"code": "import sys; print(sys.version)", "language": "python"}))),
        ("stdin" = (summary = "Input on stdin", value = json!({"command": "wc -l", "stdin": "a\nb\nc\n"})))
    )),
    responses(
        (status = 200, description = "The command ran (whatever its exit code).", body = ExecResult),
        (status = 400, description = "Invalid request: malformed JSON, wrong types, unknown fields, \
not exactly one of command/argv/code (`invalid_request`), `unsupported_language`, \
`unsupported_shell`, a bad cwd (`invalid_cwd`).", body = Problem,
            content_type = "application/problem+json"),
        (status = 401, description = "No bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid token, a role below operator, a cwd outside the \
workspace (`cwd_outside_workspace`), a limit above the default without admin \
(`limit_not_allowed`), host network for a role without it (`network_not_allowed`), a command \
the policy denies (`policy_denied` with `ruleId` and `reason`), or a disabled feature \
(`feature_disabled`).", body = Problem,
            content_type = "application/problem+json"),
        (status = 405, description = "Wrong method.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The policy asks a person to confirm (`confirmation_required`): \
resubmit the same request with `confirmToken` (single use, expires).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A limit asked for cannot be enforced on this host \
(`limit_unenforceable`); send `bestEffort: true` to run anyway.", body = Problem,
            content_type = "application/problem+json"),
        (status = 413, description = "Body over server.max_body_bytes.", body = Problem,
            content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json.", body = Problem,
            content_type = "application/problem+json"),
        (status = 429, description = "This token already runs its quota of commands \
(`quota_exceeded`, exec.max_concurrent_per_token) or started its rate of them (`rate_limited`, \
exec.max_per_token_per_minute); retry after Retry-After.", body = Problem,
            content_type = "application/problem+json"),
        (status = 500, description = "Server fault.", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "At capacity (`capacity_exceeded`, retry after Retry-After), \
shutting down (`shutting_down`), or `audit_unavailable` (audit.required is set and the audit \
log cannot be written).", body = Problem,
            content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(skip_all, fields(caller = %caller.name))]
pub async fn run_command(
    caller: Caller,
    service: web::Data<ExecService>,
    body: web::Json<crate::lenient::Object<ExecRequest>>,
) -> Result<web::Json<ExecResult>, ApiError> {
    let prepared = service.prepare(body.into_inner().0, &caller)?;
    Ok(web::Json(service.run(prepared).await?))
}

/// Run a command and stream its output as Server-Sent Events.
#[utoipa::path(
    post,
    path = "/v1/exec/stream",
    operation_id = "streamCommand",
    extensions(("x-openai-isConsequential" = json!(true))),
    tag = "exec",
    summary = "Run a command and stream its output live as Server-Sent Events",
    description = "Same request as runCommand. The response is `text/event-stream` with events \
`start` `{id, pid}`, `stdout` / `stderr` `{data}`, a final `exit` (the result without output), \
and `error` (a problem) if the server fails mid-stream; every event has an `id:`, and a comment \
line is sent as heartbeat every few seconds. Disconnecting kills the command's process group. \
Not for ChatGPT Actions (no streaming there): use runCommand.",
    request_body(content = ExecRequest, examples(
        ("progress" = (summary = "Output over time", value = json!({"command": "for i in 1 2 3; do echo step $i; sleep 1; done"})))
    )),
    responses(
        (status = 200, description = "An event stream. Example:\n\n```\nid: 0\nevent: start\n\
data: {\"id\":\"ex_4f1c9a0b2d3e5f60\",\"pid\":4242}\n\nid: 1\nevent: stdout\ndata: {\"data\":\"step 1\\n\"}\n\n\
id: 2\nevent: exit\ndata: {\"id\":\"ex_4f1c9a0b2d3e5f60\",\"exitCode\":0,...}\n```",
            content_type = "text/event-stream", body = String,
            example = json!("id: 0\nevent: start\ndata: {\"id\":\"ex_4f1c9a0b2d3e5f60\",\"pid\":4242}\n\n")),
        (status = 400, description = "Invalid request (see runCommand): `invalid_request`, \
`unsupported_language`, `unsupported_shell`, `invalid_cwd`.", body = Problem,
            content_type = "application/problem+json"),
        (status = 401, description = "No bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid token, a role below operator, a cwd outside the \
workspace (`cwd_outside_workspace`), a limit above the default without admin \
(`limit_not_allowed`), host network for a role without it (`network_not_allowed`), a command \
the policy denies (`policy_denied` with `ruleId` and `reason`), or a disabled feature \
(`feature_disabled`).", body = Problem,
            content_type = "application/problem+json"),
        (status = 405, description = "Wrong method.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The policy asks a person to confirm (`confirmation_required`): \
resubmit the same request with `confirmToken` (single use, expires).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A limit asked for cannot be enforced on this host \
(`limit_unenforceable`); send `bestEffort: true` to run anyway.", body = Problem,
            content_type = "application/problem+json"),
        (status = 413, description = "Body over server.max_body_bytes.", body = Problem,
            content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json.", body = Problem,
            content_type = "application/problem+json"),
        (status = 429, description = "This token already runs its quota of commands \
(`quota_exceeded`, exec.max_concurrent_per_token) or started its rate of them (`rate_limited`, \
exec.max_per_token_per_minute); retry after Retry-After.", body = Problem,
            content_type = "application/problem+json"),
        (status = 500, description = "Server fault.", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "At capacity (`capacity_exceeded`), shutting down \
(`shutting_down`), or `audit_unavailable`.", body = Problem,
            content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(skip_all, fields(caller = %caller.name))]
pub async fn stream_command(
    req: actix_web::HttpRequest,
    caller: Caller,
    service: web::Data<ExecService>,
    http: web::Data<HttpSettings>,
    body: web::Json<crate::lenient::Object<ExecRequest>>,
) -> Result<HttpResponse, ApiError> {
    let prepared = service.prepare(body.into_inner().0, &caller)?;
    let service: Arc<ExecService> = service.into_inner();
    let events = service.run_stream(prepared).await?;
    Ok(sse::respond(&req, &http, events))
}

impl SseEvent for StreamEvent {
    fn into_frame(self) -> (&'static str, String) {
        match self {
            StreamEvent::Start { id, pid } => ("start", json!({"id": id, "pid": pid}).to_string()),
            StreamEvent::Stdout { data } => ("stdout", json!({"data": data}).to_string()),
            StreamEvent::Stderr { data } => ("stderr", json!({"data": data}).to_string()),
            StreamEvent::Exit(summary) => {
                ("exit", serde_json::to_string(&summary).unwrap_or_default())
            }
            StreamEvent::Analysis(a) => ("analysis", serde_json::to_string(&a).unwrap_or_default()),
        }
    }

    /// An `analysis` may follow the `exit`; the stream may end after either.
    fn is_final(&self) -> bool {
        matches!(self, StreamEvent::Exit(_) | StreamEvent::Analysis(_))
    }
}

/// The exec operations.
pub(super) fn routes() -> Vec<Route> {
    let operator = Access::Role(Role::Operator);
    vec![
        Route::of::<__path_run_command, _, _>(operator, run_command).feature(Feature::Exec),
        Route::of::<__path_stream_command, _, _>(operator, stream_command).feature(Feature::Exec),
    ]
}
