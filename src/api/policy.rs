//! `POST /v1/policy/check` (dry run) and `POST /v1/policy/reload` (admin).

use actix_web::web;
use serde::Serialize;
use utoipa::ToSchema;

use super::routes::{Access, Route};
use crate::auth::Caller;
use crate::domain::Role;
use crate::error::{ApiError, Code, Problem};
use crate::service::types::{ExecRequest, PolicyCheck};
use crate::service::ExecService;

#[utoipa::path(
    post,
    path = "/v1/policy/check",
    operation_id = "checkPolicy",
    extensions(("x-openai-isConsequential" = json!(false))),
    tag = "policy",
    summary = "Dry run: what would the policy decide for this command, and why",
    description = "Takes the same body as runCommand and returns the decision (`allow`, `deny`, \
`confirm`) under the caller's approval mode (and which mode, from where), the deciding rule and \
its reason, and the decision for every simple command found in it. Nothing runs. Viewer role.",
    request_body(content = ExecRequest, examples(
        ("denied" = (summary = "A destructive command hidden after another", value = json!({"command": "echo x; rm -rf /"}))),
        ("allowed" = (summary = "An ordinary command", value = json!({"command": "git status && cargo test"})))
    )),
    responses(
        (status = 200, description = "The decision under the caller's approval mode.", body = PolicyCheck, example = json!({
            "decision": "deny", "ruleId": "rm-recursive-system",
            "reason": "recursive deletion of / or a system directory",
            "commands": [
                {"argv": ["echo", "x"], "decision": "allow", "ruleId": "default"},
                {"argv": ["rm", "-rf", "/"], "decision": "deny", "ruleId": "rm-recursive-system"}
            ],
            "approvalMode": "on-request", "approvalModeSource": "default"})),
        (status = 400, description = "Invalid body (as for runCommand): `invalid_request`, \
`unsupported_language`, `unsupported_shell`, `invalid_cwd`.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid token, cwd outside the workspace \
(`cwd_outside_workspace`), a limit above the default without admin (`limit_not_allowed`), host \
network for a role without it (`network_not_allowed`), or a disabled feature \
(`feature_disabled`).", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "The `workspace` named does not exist or is another token's (`workspace_not_found`).", body = Problem, content_type = "application/problem+json"),
        (status = 405, description = "Wrong method.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A limit asked for cannot be enforced on this host \
(`limit_unenforceable`).", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(skip_all, fields(caller = %caller.name))]
pub async fn check_policy(
    caller: Caller,
    service: web::Data<ExecService>,
    body: web::Json<crate::lenient::Object<ExecRequest>>,
) -> Result<web::Json<PolicyCheck>, ApiError> {
    Ok(web::Json(
        service.check_policy(body.into_inner().0, &caller)?,
    ))
}

/// The policy now in force.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"policy": "default (39 rules)"}))]
pub struct Reloaded {
    /// Name and rule count of the policy in force after the reload.
    pub policy: String,
}

#[utoipa::path(
    post,
    path = "/v1/policy/reload",
    operation_id = "reloadPolicy",
    extensions(("x-openai-isConsequential" = json!(true))),
    tag = "policy",
    summary = "Re-read the policy file (same as SIGHUP)",
    description = "Loads the configured policy again and swaps it in atomically. If the file is \
invalid the previous policy stays in force, the error is returned (422 policy_invalid) and \
shown in /readyz. Admin role.",
    responses(
        (status = 200, description = "Reloaded.", body = Reloaded),
        (status = 401, description = "No bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid token or not admin.", body = Problem, content_type = "application/problem+json"),
        (status = 405, description = "Wrong method.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The policy file is invalid (`policy_invalid`); the previous \
policy stays.", body = Problem,
            content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(skip_all, fields(caller = %caller.name))]
pub async fn reload_policy(
    caller: Caller,
    service: web::Data<ExecService>,
) -> Result<web::Json<Reloaded>, ApiError> {
    service
        .reload_policy()
        .map(|policy| web::Json(Reloaded { policy }))
        .map_err(|e| {
            ApiError::new(
                Code::PolicyInvalid,
                format!("{e}; the previous policy stays in force"),
            )
        })
}

/// The policy operations.
pub(super) fn routes() -> Vec<Route> {
    vec![
        Route::of::<__path_check_policy, _, _>(Access::Role(Role::Viewer), check_policy),
        Route::of::<__path_reload_policy, _, _>(Access::Role(Role::Admin), reload_policy),
    ]
}
