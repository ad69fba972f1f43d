//! The one error wire shape: RFC 9457 `application/problem+json` with a stable `code`.
//!
//! Every error the API returns is built here from a [`Code`]; one table (`problem_codes!`)
//! declares each code with its HTTP status, wire name and title. 5xx bodies never carry internals: the cause
//! chain goes to the log, the client gets a request id to quote.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::telemetry::current_request_id;

/// Media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Declares [`Code`] from one table: each row is a variant with its doc, HTTP status, wire
/// name, title and a realistic `detail` for the documentation's examples. The enum,
/// [`Code::status_and_title`], [`Code::as_str`], [`Code::example_detail`] and [`Code::ALL`]
/// all come from these rows, so a code cannot exist in one place and be missing in another.
macro_rules! problem_codes {
    ($( $(#[$doc:meta])* $variant:ident = ($status:ident, $wire:literal, $title:literal, $example:literal), )+) => {
        /// Stable machine-readable error codes. Clients switch on these, never on `title` or `detail`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum Code {
            $( $(#[$doc])* $variant, )+
        }

        impl Code {
            /// Every code, for documentation and tests.
            pub const ALL: [Code; [$(Code::$variant),+].len()] = [$(Code::$variant),+];

            /// The code's HTTP status and title.
            pub fn status_and_title(self) -> (StatusCode, &'static str) {
                match self {
                    $( Code::$variant => (StatusCode::$status, $title), )+
                }
            }

            /// A `detail` such as the server writes for this code (for documentation examples).
            pub fn example_detail(self) -> &'static str {
                match self {
                    $( Code::$variant => $example, )+
                }
            }

            /// The snake_case wire name of the code.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( Code::$variant => $wire, )+
                }
            }
        }
    };
}

problem_codes! {
    /// The body is not well-formed JSON.
    MalformedJson = (BAD_REQUEST, "malformed_json", "Malformed JSON body",
        "the body is not valid JSON: expected `,` or `}` at line 1 column 24"),
    /// A field has the wrong JSON type (e.g. a string where an integer belongs).
    InvalidType = (BAD_REQUEST, "invalid_type", "A field has the wrong type",
        "invalid type: string \"5s\", expected a non-negative integer or null at line 1 column 38"),
    /// The body has a field this operation does not know.
    UnknownField = (BAD_REQUEST, "unknown_field", "Unknown field",
        "unknown field `comand`, expected one of `command`, `shell`, `argv`, `code`, `language`, … at line 1 column 9"),
    /// The body is well-formed but its values are not acceptable (see `detail`).
    InvalidRequest = (BAD_REQUEST, "invalid_request", "Invalid request",
        "give exactly one of `command` (a shell string), `argv` (a program and its arguments) or `code` with `language`"),
    /// `language` names an interpreter this server does not have.
    UnsupportedLanguage = (BAD_REQUEST, "unsupported_language", "Unsupported language",
        "no interpreter for language `cobol` on this server"),
    /// `shell` names a shell that is not allowed.
    UnsupportedShell = (BAD_REQUEST, "unsupported_shell", "Unsupported shell",
        "shell `zsh` is not allowed (exec.shells)"),
    /// `cwd` does not exist or is not a directory.
    InvalidCwd = (BAD_REQUEST, "invalid_cwd", "Invalid working directory",
        "`cwd` /srv/app/build: No such file or directory (os error 2)"),
    /// `cwd` resolves (symlinks followed) to a place outside the workspace roots.
    CwdOutsideWorkspace = (FORBIDDEN, "cwd_outside_workspace", "Working directory outside the workspace",
        "`cwd` /etc is outside the workspace roots"),
    /// A requested limit is above the server default and the token is not admin.
    LimitNotAllowed = (FORBIDDEN, "limit_not_allowed", "Limit above the default needs admin",
        "`limits.memoryBytes` 4294967296 is above the default 536870912; raising a limit needs the admin role"),
    /// The request asks for a limit this host cannot enforce (e.g. `memoryBytes` on a server
    /// without cgroups); `detail` names what is missing. Send `bestEffort: true` to run anyway.
    LimitUnenforceable = (UNPROCESSABLE_ENTITY, "limit_unenforceable", "Limit cannot be enforced here",
        "`limits.memoryBytes` cannot be enforced: no cgroup memory controller. Send \"bestEffort\": true to run without it (limitsEnforced then shows what applied)."),
    /// The token's role may not use the host network.
    NetworkNotAllowed = (FORBIDDEN, "network_not_allowed", "Host network not allowed",
        "the operator role may not use the host network (limits.network_host_roles)"),
    /// The policy denies this command (`ruleId`, `reason` say which rule and why).
    PolicyDenied = (FORBIDDEN, "policy_denied", "Denied by policy",
        "policy rule `rm-recursive-system` denies this: recursive deletion of / or a system directory"),
    /// The policy needs a person to confirm: resubmit the same request with `confirmToken`.
    ConfirmationRequired = (CONFLICT, "confirmation_required", "Confirmation required",
        "policy rule `git-push-force` asks a person to confirm: a force push rewrites shared history. Resubmit the same request with \"confirmToken\" to run it once."),
    /// The confirm token is valid, but `policy.approver_role` is set and no approver has
    /// approved it yet: resubmit the same request with the same token once one has.
    ApprovalPending = (CONFLICT, "approval_pending", "Awaiting approval",
        "confirm token cf_4f1c9a0b2d3e5f60 awaits approval by another token with the admin role (POST /v1/approvals/cf_4f1c9a0b2d3e5f60); resubmit the same request with it once approved"),
    /// An approver rejected this confirm token; it is spent and nothing ran.
    ApprovalRejected = (FORBIDDEN, "approval_rejected", "Confirmation rejected",
        "the confirmation for policy rule `git-push-force` was rejected by `lead`; nothing ran"),
    /// The token that asked for a confirmation cannot approve it: another approver must.
    SelfApprovalForbidden = (FORBIDDEN, "self_approval_forbidden", "Self-approval not allowed",
        "token `ci` asked for this confirmation and cannot approve it itself: another token with the approver role must"),
    /// No live confirm token with this value (unknown, already used, or expired).
    ApprovalNotFound = (NOT_FOUND, "approval_not_found", "Approval not found",
        "no pending approval cf_4f1c9a0b2d3e5f60 (unknown, used or expired)"),
    /// `policy.approver_role` is not set: callers confirm by resubmitting, nobody approves.
    ApprovalsNotConfigured = (NOT_FOUND, "approvals_not_configured", "No approver configured",
        "no approver is configured (policy.approver_role): confirm tokens are confirmed by resubmitting the request"),
    /// The feature is switched off on this server.
    FeatureDisabled = (FORBIDDEN, "feature_disabled", "Feature disabled",
        "running code snippets is switched off on this server (features.code)"),
    /// The policy file could not be loaded; the previous policy stays in force.
    PolicyInvalid = (UNPROCESSABLE_ENTITY, "policy_invalid", "Policy file invalid",
        "/etc/shellwise/policy.toml: rule `deploy` has no match; the previous policy stays in force"),
    /// No `Authorization: Bearer` token was sent.
    Unauthorized = (UNAUTHORIZED, "unauthorized", "Authentication required",
        "send `Authorization: Bearer <token>`"),
    /// The token is unknown.
    InvalidToken = (FORBIDDEN, "invalid_token", "Invalid token",
        "the token is not valid"),
    /// The token is valid but its role may not use this operation.
    InsufficientRole = (FORBIDDEN, "insufficient_role", "Insufficient role",
        "this operation needs the operator role; token `ci` has viewer"),
    /// No such route.
    NotFound = (NOT_FOUND, "not_found", "Not found",
        "no route for GET /v1/nope; see /openapi.json"),
    /// `/openapi-actions.json` needs `server.public_url` (the https URL ChatGPT calls).
    ActionsNotConfigured = (NOT_FOUND, "actions_not_configured", "Actions document not configured",
        "no server.public_url is set: ChatGPT Actions need the https URL they reach this server at (set server.public_url, or SHELLWISE__SERVER__PUBLIC_URL)"),
    /// No job with this id that this token may see (another token's job is not confirmed to
    /// exist).
    JobNotFound = (NOT_FOUND, "job_not_found", "Job not found",
        "no job ex_4f1c9a0b2d3e5f60 (or not yours)"),
    /// The job already finished; `detail` says how.
    JobFinished = (CONFLICT, "job_finished", "Job already finished",
        "job ex_4f1c9a0b2d3e5f60 is already succeeded"),
    /// The job store holds `jobs.max_store_bytes` in running jobs; nothing was written.
    StoreFull = (INSUFFICIENT_STORAGE, "store_full", "Job store full",
        "the job store is full (2147420160 of 2147483648 bytes, jobs.max_store_bytes); raise jobs.max_store_bytes or lower jobs.retention_secs"),
    /// The client went away before its command started; nothing ran (only logs see this).
    ClientGone = (REQUEST_TIMEOUT, "client_gone", "Client went away",
        "the client closed the connection before the command started"),
    /// The route exists but not with this method; see the `Allow` header.
    MethodNotAllowed = (METHOD_NOT_ALLOWED, "method_not_allowed", "Method not allowed",
        "/v1/exec does not accept GET; use POST"),
    /// The body is larger than `server.max_body_bytes`.
    PayloadTooLarge = (PAYLOAD_TOO_LARGE, "payload_too_large", "Request body too large",
        "the body is 2097152 bytes; the limit is 1048576 (server.max_body_bytes)"),
    /// The body did not arrive within `server.body_timeout_ms` of the headers.
    BodyTimeout = (REQUEST_TIMEOUT, "body_timeout", "Request body too slow",
        "the body did not arrive within 10000 ms (server.body_timeout_ms)"),
    /// The body is not `application/json`.
    UnsupportedMediaType = (UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", "Unsupported media type",
        "send the body as `Content-Type: application/json`"),
    /// This token already runs as many commands as its quota allows
    /// (`exec.max_concurrent_per_token`); retry after the `Retry-After` seconds.
    QuotaExceeded = (TOO_MANY_REQUESTS, "quota_exceeded", "Per-token quota exceeded",
        "token `ci` already runs 4 commands (exec.max_concurrent_per_token)"),
    /// This token started as many commands as `exec.max_per_token_per_minute` allows; retry
    /// after the `Retry-After` seconds.
    RateLimited = (TOO_MANY_REQUESTS, "rate_limited", "Per-token rate exceeded",
        "token `ci` started 120 commands in the last minute (exec.max_per_token_per_minute)"),
    /// Too many commands are running; retry after the `Retry-After` seconds.
    CapacityExceeded = (SERVICE_UNAVAILABLE, "capacity_exceeded", "Server at capacity",
        "64 commands are running; none finished within the queue timeout"),
    /// `audit.required` is set and the audit log cannot be written: nothing runs unrecorded.
    AuditUnavailable = (SERVICE_UNAVAILABLE, "audit_unavailable", "Audit log unavailable",
        "the audit log cannot be written and audit.required is set: nothing runs unrecorded"),
    /// The server is shutting down and takes no new work.
    ShuttingDown = (SERVICE_UNAVAILABLE, "shutting_down", "Server shutting down",
        "the server is shutting down"),
    /// Something failed on the server; quote `requestId` when reporting it.
    InternalError = (INTERNAL_SERVER_ERROR, "internal_error", "Internal server error",
        "the server failed to handle this request; quote the requestId when reporting it"),
    /// The LLM provider does not have the requested model.
    ModelNotFound = (NOT_FOUND, "model_not_found", "Model not found",
        "provider `local` has no model `llama9:70b`"),
    /// A file path is not acceptable: a NUL byte, an overlong path or name, a bad glob.
    PathInvalid = (BAD_REQUEST, "path_invalid", "Invalid path",
        "the path contains a NUL byte"),
    /// `..`, an absolute path, a symlink or a `/proc` magic link leads outside the workspace.
    PathOutsideWorkspace = (FORBIDDEN, "path_outside_workspace", "Path outside the workspace",
        "`logs/current` leads outside the workspace (a symlink or magic link)"),
    /// No such file or directory in the workspace.
    FileNotFound = (NOT_FOUND, "file_not_found", "File not found",
        "`src/mian.rs` does not exist"),
    /// Something already exists where the operation needs nothing (`mode: create`, a move
    /// without `overwrite`, a patch adding a file).
    FileExists = (CONFLICT, "file_exists", "File already exists",
        "`src/new.rs` already exists (mode create)"),
    /// The path is a directory where a file is needed.
    NotAFile = (CONFLICT, "not_a_file", "Not a file",
        "`src` is a directory"),
    /// The path (or one on the way to it) is not a directory.
    NotADirectory = (CONFLICT, "not_a_directory", "Not a directory",
        "`README.md` is not a directory"),
    /// A FIFO, socket or device: never opened or written.
    UnsupportedFileType = (CONFLICT, "unsupported_file_type", "Unsupported file type",
        "`pipe` is not a regular file (a FIFO, socket or device)"),
    /// The path cannot be used this way: it is the workspace root (delete the workspace
    /// instead), or a move into itself.
    PathConflict = (CONFLICT, "path_conflict", "Path cannot be used this way",
        "the workspace root itself cannot be deleted, moved or written; delete the workspace instead"),
    /// A directory with entries was deleted without `recursive=true`.
    DirectoryNotEmpty = (CONFLICT, "directory_not_empty", "Directory not empty",
        "`build` is a directory with entries; send recursive=true to delete it and everything in it"),
    /// `If-Match` names a version other than the file's current one: read it again.
    PreconditionFailed = (PRECONDITION_FAILED, "precondition_failed", "File changed",
        "`src/app.py` changed: If-Match \"1a2b.40.3c\" but the file is now \"1a2b.44.3d\"; read it again"),
    /// The workspace owner's identity may not do this (the kernel said so).
    PermissionDenied = (FORBIDDEN, "permission_denied", "Permission denied",
        "`vendor/lib.so` Permission denied (os error 13)"),
    /// The file or upload is larger than the operation accepts.
    FileTooLarge = (PAYLOAD_TOO_LARGE, "file_too_large", "File too large",
        "the upload is over 1073741824 bytes (files.max_upload_bytes)"),
    /// The workspace is at its byte or file quota; nothing was written.
    WorkspaceFull = (INSUFFICIENT_STORAGE, "workspace_full", "Workspace quota exceeded",
        "workspace ws_4f1c9a0b holds 1073000000 of 1073741824 bytes; this write needs 2000000 more"),
    /// The patch text cannot be understood (`detail` names its line).
    PatchInvalid = (BAD_REQUEST, "patch_invalid", "Patch not understood",
        "patch line 7: hunk header `@@ -3,4 +3,5` is not `@@ -l,s +l,s @@`"),
    /// A hunk does not apply to the file as it is now; nothing was changed (`conflicts`).
    PatchConflict = (CONFLICT, "patch_conflict", "Patch does not apply",
        "1 hunk does not apply to `src/app.py`; nothing was changed"),
    /// The content holds a `[REDACTED:…]` marker copied from a read; writing it would
    /// replace a real secret. Send `force: true` if it is meant.
    RedactionMarker = (UNPROCESSABLE_ENTITY, "redaction_marker", "Content holds a redaction marker",
        "line 3 holds `[REDACTED:aws-access-key]`: it came from a read and would overwrite the real secret; send \"force\": true if it is meant"),
    /// No workspace with this id that this token may see.
    WorkspaceNotFound = (NOT_FOUND, "workspace_not_found", "Workspace not found",
        "no workspace ws_4f1c9a0b2d3e5f60 (or not yours)"),
    /// The token has as many named workspaces as `workspace.max_per_token` allows.
    TooManyWorkspaces = (CONFLICT, "too_many_workspaces", "Too many workspaces",
        "token `ci` already has 16 workspaces (workspace.max_per_token); delete one first"),
    /// No LLM provider is configured, or every provider is disabled after repeated failures.
    LlmUnavailable = (SERVICE_UNAVAILABLE, "llm_unavailable", "No LLM provider available",
        "no LLM provider is configured"),
    /// The LLM provider failed or answered something unusable.
    LlmUpstreamError = (BAD_GATEWAY, "llm_upstream_error", "LLM provider failed",
        "provider `openrouter` answered 502 Bad Gateway"),
    /// The LLM provider did not answer in time.
    LlmTimeout = (GATEWAY_TIMEOUT, "llm_timeout", "LLM provider timed out",
        "provider `local` did not answer within 15000 ms"),
    /// `provider` names an LLM provider that is not configured.
    UnknownProvider = (NOT_FOUND, "unknown_provider", "Unknown LLM provider",
        "no LLM provider named `openai2` is configured"),
}

impl Code {
    pub fn status(self) -> StatusCode {
        self.status_and_title().0
    }
}

/// An RFC 9457 problem document.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "type": "urn:shellwise:problem:invalid_request",
    "title": "Invalid request",
    "status": 400,
    "detail": "exactly one of `command`, `argv` or `code` must be given",
    "code": "invalid_request",
    "requestId": "7f3c2a9e5b1d4c08"
}))]
pub struct Problem {
    /// A URI naming the problem type: `urn:shellwise:problem:<code>`.
    #[serde(rename = "type")]
    pub type_uri: String,
    /// Short human summary of the problem type.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong with this request, in words a person can act on.
    pub detail: String,
    /// Stable machine-readable code.
    pub code: Code,
    /// The request id (also in the `X-Request-Id` header).
    pub request_id: String,
    /// Allowed languages or shells, when the problem is about one of them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub available: Option<Vec<String>>,
    /// The policy rule that decided (`policy_denied`, `confirmation_required`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_id: Option<String>,
    /// Why the rule decided so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Resubmit the exact same request with this `confirmToken` to run it once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirm_token: Option<String>,
    /// Seconds the confirm token stays valid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_in_secs: Option<u64>,
    /// The role another token must hold to approve `confirmToken` (`confirmation_required`,
    /// `approval_pending`) when `policy.approver_role` is set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approver_role: Option<String>,
    /// The caller's approval mode, when it shaped the answer (`never` denies what would need
    /// confirmation; `untrusted` asks for what is not allow-listed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approval_mode: Option<String>,
    /// `patch_conflict`: each hunk that did not apply, where it was expected, and what the
    /// file has there (redacted).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conflicts: Option<Vec<PatchConflict>>,
}

/// One hunk of a patch that did not apply.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PatchConflict {
    /// The file the hunk is for.
    pub path: String,
    /// 1-based index of the hunk within that file's changes.
    pub hunk: usize,
    /// 1-based line where the hunk was expected.
    pub line: usize,
    /// The lines the hunk expected (context and removed lines).
    pub expected: Vec<String>,
    /// What the file has there instead.
    pub found: Vec<String>,
    pub message: String,
}

/// The error type every handler returns. Its `ResponseError` impl renders a [`Problem`].
#[derive(Debug, thiserror::Error)]
#[error("{code:?}: {detail}")]
pub struct ApiError {
    pub code: Code,
    pub detail: String,
    pub allow: Option<String>,
    pub retry_after_secs: Option<u64>,
    /// Problem members only some errors have (boxed: errors travel in every `Result`).
    pub extra: Box<Extra>,
}

/// Optional problem members.
#[derive(Debug, Default)]
pub struct Extra {
    pub available: Option<Vec<String>>,
    pub rule_id: Option<String>,
    pub reason: Option<String>,
    pub confirm_token: Option<String>,
    pub expires_in_secs: Option<u64>,
    pub approver_role: Option<String>,
    pub approval_mode: Option<String>,
    pub conflicts: Option<Vec<PatchConflict>>,
}

impl ApiError {
    pub fn new(code: Code, detail: impl Into<String>) -> Self {
        Self {
            code,
            detail: detail.into(),
            allow: None,
            retry_after_secs: None,
            extra: Box::default(),
        }
    }

    /// Name the policy rule that decided, and why.
    pub fn with_rule(mut self, rule_id: String, reason: String) -> Self {
        self.extra.rule_id = Some(rule_id);
        self.extra.reason = Some(reason);
        self
    }

    pub fn with_confirm_token(mut self, token: String, expires_in_secs: u64) -> Self {
        self.extra.confirm_token = Some(token);
        self.extra.expires_in_secs = Some(expires_in_secs);
        self
    }

    /// The role that must approve the confirm token first.
    pub fn with_approver_role(mut self, role: Option<&str>) -> Self {
        self.extra.approver_role = role.map(str::to_string);
        self
    }

    /// The approval mode that shaped this answer.
    pub fn with_approval_mode(mut self, mode: Option<&str>) -> Self {
        self.extra.approval_mode = mode.map(str::to_string);
        self
    }

    /// A 500 whose cause is logged (with the request id) and hidden from the client.
    pub fn internal(cause: &anyhow::Error) -> Self {
        tracing::error!(error = format!("{cause:#}"), "internal error");
        Self::new(
            Code::InternalError,
            "the server failed to handle this request; quote the requestId when reporting it",
        )
    }

    /// The hunks of a patch that did not apply (their text already redacted).
    pub fn with_conflicts(mut self, conflicts: Vec<PatchConflict>) -> Self {
        self.extra.conflicts = Some(conflicts);
        self
    }

    pub fn with_available(mut self, available: Vec<String>) -> Self {
        self.extra.available = Some(available);
        self
    }

    pub fn with_allow(mut self, allow: impl Into<String>) -> Self {
        self.allow = Some(allow.into());
        self
    }

    pub fn with_retry_after(mut self, secs: u64) -> Self {
        self.retry_after_secs = Some(secs);
        self
    }

    pub fn problem(&self) -> Problem {
        let (status, title) = self.code.status_and_title();
        Problem {
            type_uri: format!("urn:shellwise:problem:{}", self.code.as_str()),
            title: title.to_string(),
            status: status.as_u16(),
            detail: crate::redact::global::redact_text(&self.detail),
            code: self.code,
            request_id: current_request_id().unwrap_or_default(),
            available: self.extra.available.clone(),
            rule_id: self.extra.rule_id.clone(),
            reason: self
                .extra
                .reason
                .as_deref()
                .map(crate::redact::global::redact_text),
            confirm_token: self.extra.confirm_token.clone(),
            expires_in_secs: self.extra.expires_in_secs,
            approver_role: self.extra.approver_role.clone(),
            approval_mode: self.extra.approval_mode.clone(),
            conflicts: self.extra.conflicts.clone(),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.code.status()
    }

    fn error_response(&self) -> HttpResponse {
        let problem = self.problem();
        let mut builder = HttpResponse::build(self.code.status());
        builder.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
        if let Some(allow) = self
            .allow
            .as_deref()
            .and_then(|a| HeaderValue::from_str(a).ok())
        {
            builder.insert_header((header::ALLOW, allow));
        }
        if let Some(secs) = self.retry_after_secs {
            builder.insert_header((header::RETRY_AFTER, secs.to_string()));
        }
        if self.code == Code::Unauthorized {
            builder.insert_header((
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"shellwise\""),
            ));
        }
        match serde_json::to_vec(&problem) {
            Ok(body) => builder.body(body),
            Err(_) => builder.finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_distinct_wire_name_matching_serde() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            let json = serde_json::to_value(code).unwrap_or_default();
            assert_eq!(json, serde_json::Value::String(code.as_str().to_string()));
            assert!(seen.insert(code.as_str()), "duplicate {}", code.as_str());
        }
    }

    #[test]
    fn client_mistakes_are_4xx_and_server_faults_5xx() {
        for code in Code::ALL {
            let status = code.status();
            let server_side = matches!(
                code,
                Code::InternalError
                    | Code::CapacityExceeded
                    | Code::ShuttingDown
                    | Code::AuditUnavailable
                    | Code::LlmUnavailable
                    | Code::LlmUpstreamError
                    | Code::LlmTimeout
                    | Code::StoreFull
                    | Code::WorkspaceFull
            );
            assert_eq!(status.is_server_error(), server_side, "{code:?}");
            assert!(status.is_client_error() || status.is_server_error());
        }
    }
}
