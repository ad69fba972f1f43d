//! `POST /v1/exec` (buffered JSON) and `POST /v1/exec/stream` (Server-Sent Events).

use std::sync::Arc;

use actix_web::{web, HttpResponse};

use super::routes::{Access, Feature, Route};
use super::sse;
use super::HttpSettings;
use crate::auth::Caller;
use crate::domain::{ApprovalMode, Role};
use crate::error::{ApiError, Code, Problem};
use crate::service::types::{ExecRequest, ExecResult};
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
            ServiceError::PolicyDenied {
                rule_id,
                reason,
                mode,
            } => ApiError::new(
                Code::PolicyDenied,
                format!("policy rule `{rule_id}` denies this: {reason}"),
            )
            .with_rule(rule_id, reason)
            .with_approval_mode(mode.map(|m| m.as_str())),
            ServiceError::ConfirmationRequired {
                rule_id,
                reason,
                token,
                ttl_secs,
                approver,
                mode,
            } => {
                let how = match approver {
                    Some(role) => format!(
                        "Another token with the {} role must approve it (POST \
                         /v1/approvals/{token}); then resubmit the same request with \
                         \"confirmToken\" to run it once.",
                        role.as_str()
                    ),
                    None => "Resubmit the same request with \"confirmToken\" to run it once."
                        .to_string(),
                };
                let asked = match mode {
                    ApprovalMode::Untrusted => " (approval mode untrusted)",
                    _ => "",
                };
                ApiError::new(
                    Code::ConfirmationRequired,
                    format!(
                        "policy rule `{rule_id}` asks a person to confirm{asked}: {reason}. {how}"
                    ),
                )
                .with_rule(rule_id, reason)
                .with_confirm_token(token, ttl_secs)
                .with_approver_role(approver.map(|r| r.as_str()))
                .with_approval_mode(Some(mode.as_str()))
            }
            ServiceError::AwaitingApproval {
                rule_id,
                reason,
                token,
                expires_in_secs,
                approver,
            } => ApiError::new(
                Code::ApprovalPending,
                format!(
                    "confirm token {token} awaits approval by another token with the {} role \
                     (POST /v1/approvals/{token}); resubmit the same request with it once \
                     approved",
                    approver.as_str()
                ),
            )
            .with_rule(rule_id, reason)
            .with_confirm_token(token, expires_in_secs)
            .with_approver_role(Some(approver.as_str())),
            e @ ServiceError::ApprovalRejected { .. } => {
                ApiError::new(Code::ApprovalRejected, format!("{e}; nothing ran"))
            }
            ServiceError::Approval(e) => {
                use crate::service::approvals::ApprovalError as A;
                let code = match &e {
                    A::NotConfigured => Code::ApprovalsNotConfigured,
                    A::InsufficientRole { .. } => Code::InsufficientRole,
                    A::NotFound(_) => Code::ApprovalNotFound,
                    A::SelfApproval(_) => Code::SelfApprovalForbidden,
                    A::AlreadyRejected { .. } => Code::ApprovalRejected,
                };
                ApiError::new(code, e.to_string())
            }
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
            e @ ServiceError::ClientGone => ApiError::new(Code::ClientGone, e.to_string()),
            e @ ServiceError::JobNotFound(_) => ApiError::new(Code::JobNotFound, e.to_string()),
            e @ ServiceError::JobFinished { .. } => ApiError::new(Code::JobFinished, e.to_string()),
            e @ ServiceError::TooManyJobs(_) => {
                ApiError::new(Code::QuotaExceeded, e.to_string()).with_retry_after(1)
            }
            e @ ServiceError::StoreFull(_) => ApiError::new(Code::StoreFull, e.to_string()),
            ServiceError::Files(e) => {
                use crate::files::FileCode as F;
                let code = match e.code {
                    F::PathInvalid => Code::PathInvalid,
                    F::PathOutsideWorkspace => Code::PathOutsideWorkspace,
                    F::NotFound => Code::FileNotFound,
                    F::AlreadyExists => Code::FileExists,
                    F::NotAFile => Code::NotAFile,
                    F::NotADirectory => Code::NotADirectory,
                    F::UnsupportedType => Code::UnsupportedFileType,
                    F::DirectoryNotEmpty => Code::DirectoryNotEmpty,
                    F::RootOrSelf => Code::PathConflict,
                    F::PreconditionFailed => Code::PreconditionFailed,
                    F::PermissionDenied => Code::PermissionDenied,
                    F::TooLarge => Code::FileTooLarge,
                    F::QuotaExceeded => Code::WorkspaceFull,
                    F::PatchInvalid => Code::PatchInvalid,
                    F::PatchConflict => Code::PatchConflict,
                };
                ApiError::new(code, e.message)
            }
            e @ ServiceError::WorkspaceNotFound(_) => {
                ApiError::new(Code::WorkspaceNotFound, e.to_string())
            }
            ServiceError::TooManyWorkspaces(m) => ApiError::new(Code::TooManyWorkspaces, m),
            ServiceError::Forbidden(m) => ApiError::new(Code::InsufficientRole, m),
            ServiceError::RedactionMarker(m) => ApiError::new(Code::RedactionMarker, m),
            ServiceError::PatchInvalid(m) => ApiError::new(Code::PatchInvalid, m),
            ServiceError::PatchConflict(conflicts) => {
                let files: std::collections::BTreeSet<&str> =
                    conflicts.iter().map(|c| c.path.as_str()).collect();
                let detail = format!(
                    "{} hunk(s) do not apply to {}; nothing was changed",
                    conflicts.len(),
                    files.into_iter().collect::<Vec<_>>().join(", ")
                );
                ApiError::new(Code::PatchConflict, detail).with_conflicts(conflicts)
            }
            ServiceError::TooLarge(m) => ApiError::new(Code::FileTooLarge, m),
            ServiceError::Internal(cause) => ApiError::internal(&cause),
        }
    }
}

/// How big a JSON result may be.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ResponseQuery {
    /// The most characters this response may have (default `exec.max_response_chars`, 90000,
    /// under the Actions limit): inline output is cut from the middle to fit, and
    /// `stdoutOmitted`/`stderrOmitted` say what was left out. The command is not affected.
    #[param(minimum = 1000, maximum = 16777216, example = 90000)]
    pub max_response_chars: Option<u64>,
}

/// Run a command and return its complete result.
#[utoipa::path(
    post,
    path = "/v1/exec",
    operation_id = "runCommand",
    extensions(("x-openai-isConsequential" = json!(true))),
    tag = "exec",
    params(ResponseQuery),
    summary = "Run a command, program or code snippet and return its output",
    description = "Runs exactly one of `command` (a shell string), `argv` (no shell) or `code` + \
`language` in a sandbox under a wall-clock limit, and returns exit code, signal, timing and output \
(head and tail kept). A non-zero exit is a 200 with data. Work that may take over 40 s: use \
startJob.",
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
the policy denies (`policy_denied` with `ruleId` and `reason`; `approvalMode` when the `never` \
mode denied a confirm), a confirm token an approver rejected (`approval_rejected`), or a \
disabled feature (`feature_disabled`).", body = Problem,
            content_type = "application/problem+json"),
        (status = 405, description = "Wrong method.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The `workspace` named does not exist or is another token's (`workspace_not_found`).", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The policy asks a person to confirm (`confirmation_required`): \
resubmit the same request with `confirmToken` (single use, expires) — once another token with \
`approverRole` approved it, when one is named; until then `approval_pending`.", body = Problem, content_type = "application/problem+json"),
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
    req: actix_web::HttpRequest,
    caller: Caller,
    service: web::Data<ExecService>,
    query: web::Query<ResponseQuery>,
    body: web::Json<crate::lenient::Object<ExecRequest>>,
) -> Result<HttpResponse, ApiError> {
    let budget = service.response_budget(query.max_response_chars)?;
    let prepared = service.prepare(body.into_inner().0, &caller)?;
    // A client that hangs up gets nothing run for it (queued) or its command killed.
    let (gone, _guard) = super::peer::hangup(&req);
    let result: ExecResult = service.run(prepared, &gone).await?;
    if crate::service::surely_fits(&result, budget) {
        return Ok(HttpResponse::Ok().json(result));
    }
    let mut json = serde_json::to_value(&result).map_err(|e| ApiError::internal(&e.into()))?;
    service.fit_response(&mut json, budget);
    Ok(HttpResponse::Ok().json(json))
}

/// Run a command and stream its output as Server-Sent Events.
#[utoipa::path(
    post,
    path = "/v1/exec/stream",
    operation_id = "streamCommand",
    extensions(("x-openai-isConsequential" = json!(true))),
    tag = "exec",
    summary = "Run a command and stream its output live as Server-Sent Events",
    description = "Same request as runCommand; the run is a job. Events: `start`, `stdout`, \
`stderr`, `exit`, `analysis`, then `end` (schemas: StreamEvent*). Ids are `<job>:<n>`: reconnect \
with `Last-Event-ID` (here or to streamJobEvents) to resume, never re-run. Hanging up kills the \
command.",
    request_body(content = ExecRequest, examples(
        ("progress" = (summary = "Output over time", value = json!({"command": "for i in 1 2 3; do echo step $i; sleep 0.2; done"})))
    )),
    responses(
        (status = 200, description = "An event stream; each event's `data` is one of \
StreamEventData. Example:\n\n```\nid: ex_4f1c9a0b2d3e5f60:0\nevent: start\n\
data: {\"event\":\"start\",\"id\":\"ex_4f1c9a0b2d3e5f60\",\"jobId\":\"ex_4f1c9a0b2d3e5f60\",\"pid\":4242}\n\n\
id: ex_4f1c9a0b2d3e5f60:1\nevent: stdout\ndata: {\"event\":\"stdout\",\"data\":\"step 1\\n\"}\n\n\
id: ex_4f1c9a0b2d3e5f60:2\nevent: exit\ndata: {\"event\":\"exit\",\"id\":\"ex_4f1c9a0b2d3e5f60\",\"exitCode\":0,...}\n\n\
id: ex_4f1c9a0b2d3e5f60:3\nevent: end\ndata: {\"event\":\"end\",\"id\":\"ex_4f1c9a0b2d3e5f60\",\"status\":\"succeeded\"}\n```",
            content_type = "text/event-stream", body = super::jobs::StreamEventData),
        (status = 400, description = "Invalid request (see runCommand): `invalid_request`, \
`unsupported_language`, `unsupported_shell`, `invalid_cwd`.", body = Problem,
            content_type = "application/problem+json"),
        (status = 401, description = "No bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid token, a role below operator, a cwd outside the \
workspace (`cwd_outside_workspace`), a limit above the default without admin \
(`limit_not_allowed`), host network for a role without it (`network_not_allowed`), a command \
the policy denies (`policy_denied` with `ruleId` and `reason`; `approvalMode` when the `never` \
mode denied a confirm), a confirm token an approver rejected (`approval_rejected`), or a \
disabled feature (`feature_disabled`).", body = Problem,
            content_type = "application/problem+json"),
        (status = 405, description = "Wrong method.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The `workspace` named does not exist or is another token's (`workspace_not_found`).", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The policy asks a person to confirm (`confirmation_required`): \
resubmit the same request with `confirmToken` (single use, expires) — once another token with \
`approverRole` approved it, when one is named; until then `approval_pending`.", body = Problem, content_type = "application/problem+json"),
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
    let service: Arc<ExecService> = service.into_inner();
    // An SSE client reconnecting (it re-sends the same POST with `Last-Event-ID`) resumes the
    // job it was following instead of running the command again.
    let resume = req
        .headers()
        .get("Last-Event-ID")
        .and_then(|v| v.to_str().ok())
        .and_then(super::jobs::parse_event_id);
    if let Some((Some(job), seq)) = resume {
        let events = service.job_events(&caller, job, Some(seq)).await?;
        return Ok(sse::respond(&req, &http, events));
    }
    let prepared = service.prepare(body.into_inner().0, &caller)?;
    let (gone, _guard) = super::peer::hangup(&req);
    let events = service.run_stream(prepared, &gone).await?;
    Ok(sse::respond(&req, &http, events))
}

/// The exec operations.
pub(super) fn routes() -> Vec<Route> {
    let operator = Access::Role(Role::Operator);
    vec![
        Route::of::<__path_run_command, _, _>(operator, run_command).feature(Feature::Exec),
        Route::of::<__path_stream_command, _, _>(operator, stream_command).feature(Feature::Exec),
    ]
}
