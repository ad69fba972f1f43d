//! `GET /v1/approvals`, `POST /v1/approvals/{token}` (approve) and `DELETE
//! /v1/approvals/{token}` (reject): what an approver does with confirm tokens when
//! `policy.approver_role` is set. The gate lets any token in; the service checks the role.

use actix_web::web;
use serde::Serialize;
use utoipa::ToSchema;

use super::routes::{Access, Route};
use crate::auth::Caller;
use crate::domain::Role;
use crate::error::{ApiError, Problem};
use crate::service::approvals::Approval;
use crate::service::ExecService;

/// The confirm tokens an approver may act on.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"approverRole": "admin", "approvals": [{
    "token": "cf_4f1c9a0b2d3e5f60", "status": "pending", "ruleId": "git-push-force",
    "reason": "a force push rewrites shared history", "requester": "ci",
    "requesterRole": "operator", "command": "git push --force origin main",
    "approvalMode": "on-request", "requestedAtMs": 1767225600000_u64, "expiresInSecs": 284}]}))]
pub struct ApprovalList {
    /// The least role that approves (`policy.approver_role`).
    pub approver_role: Role,
    /// Every live confirm token (pending, approved but not yet used, rejected), oldest first.
    pub approvals: Vec<Approval>,
}

#[utoipa::path(
    get,
    path = "/v1/approvals",
    operation_id = "listApprovals",
    extensions(("x-openai-isConsequential" = json!(false))),
    tag = "policy",
    summary = "List the confirm tokens waiting for an approver",
    description = "With `policy.approver_role` set, a confirm token runs nothing until another \
token with at least that role approves it. Lists every live one: rule, reason, requester, the \
redacted command, status, expiry. Approver role.",
    responses(
        (status = 200, description = "The confirm tokens, oldest first.", body = ApprovalList),
        (status = 401, description = "No bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid token, or a role below `policy.approver_role` \
(`insufficient_role`).", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No approver is configured (`approvals_not_configured`).", body = Problem, content_type = "application/problem+json"),
        (status = 405, description = "Wrong method.", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(skip_all, fields(caller = %caller.name))]
pub async fn list_approvals(
    caller: Caller,
    service: web::Data<ExecService>,
) -> Result<web::Json<ApprovalList>, ApiError> {
    let approvals = service.approvals(&caller)?;
    let approver_role = service.approver_role().unwrap_or(Role::Admin);
    Ok(web::Json(ApprovalList {
        approver_role,
        approvals,
    }))
}

#[utoipa::path(
    post,
    path = "/v1/approvals/{token}",
    operation_id = "approveConfirmation",
    extensions(("x-openai-isConsequential" = json!(true))),
    tag = "policy",
    params(("token" = String, Path, description = "The `confirmToken` of a `confirmation_required` answer.")),
    summary = "Approve a confirm token so its requester can run the request once",
    description = "The requester then resubmits the same request with the token; it runs once. \
The token that asked cannot approve its own (403 `self_approval_forbidden`). Audited. Approver \
role (`policy.approver_role`).",
    responses(
        (status = 200, description = "Approved.", body = Approval, example = json!({
            "token": "cf_4f1c9a0b2d3e5f60", "status": "approved", "ruleId": "git-push-force",
            "reason": "a force push rewrites shared history", "requester": "ci",
            "requesterRole": "operator", "command": "git push --force origin main",
            "approvalMode": "on-request", "requestedAtMs": 1767225600000_u64,
            "expiresInSecs": 251, "decidedBy": "lead"})),
        (status = 401, description = "No bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid token, a role below `policy.approver_role` \
(`insufficient_role`), the requester approving its own token (`self_approval_forbidden`), or a \
token already rejected (`approval_rejected`).", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No live confirm token with this value \
(`approval_not_found`), or no approver configured (`approvals_not_configured`).", body = Problem, content_type = "application/problem+json"),
        (status = 405, description = "Wrong method.", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(skip_all, fields(caller = %caller.name))]
pub async fn approve_confirmation(
    caller: Caller,
    service: web::Data<ExecService>,
    token: web::Path<String>,
) -> Result<web::Json<Approval>, ApiError> {
    Ok(web::Json(service.decide_approval(&caller, &token, true)?))
}

#[utoipa::path(
    delete,
    path = "/v1/approvals/{token}",
    operation_id = "rejectConfirmation",
    extensions(("x-openai-isConsequential" = json!(true))),
    tag = "policy",
    params(("token" = String, Path, description = "The `confirmToken` of a `confirmation_required` answer.")),
    summary = "Reject a confirm token: its request will not run",
    description = "The requester's next request with the token gets 403 `approval_rejected`; a \
new request asks again. An approved token not yet used can still be rejected. Audited. Approver \
role (`policy.approver_role`).",
    responses(
        (status = 200, description = "Rejected.", body = Approval, example = json!({
            "token": "cf_4f1c9a0b2d3e5f60", "status": "rejected", "ruleId": "git-push-force",
            "reason": "a force push rewrites shared history", "requester": "ci",
            "requesterRole": "operator", "command": "git push --force origin main",
            "approvalMode": "on-request", "requestedAtMs": 1767225600000_u64,
            "expiresInSecs": 251, "decidedBy": "lead"})),
        (status = 401, description = "No bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid token, or a role below `policy.approver_role` \
(`insufficient_role`).", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No live confirm token with this value \
(`approval_not_found`), or no approver configured (`approvals_not_configured`).", body = Problem, content_type = "application/problem+json"),
        (status = 405, description = "Wrong method.", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(skip_all, fields(caller = %caller.name))]
pub async fn reject_confirmation(
    caller: Caller,
    service: web::Data<ExecService>,
    token: web::Path<String>,
) -> Result<web::Json<Approval>, ApiError> {
    Ok(web::Json(service.decide_approval(&caller, &token, false)?))
}

/// The approval operations: any token reaches them, the service checks the approver role.
pub(super) fn routes() -> Vec<Route> {
    let any = Access::Role(Role::Viewer);
    vec![
        Route::of::<__path_list_approvals, _, _>(any, list_approvals),
        Route::of::<__path_approve_confirmation, _, _>(any, approve_confirmation),
        Route::of::<__path_reject_confirmation, _, _>(any, reject_confirmation),
    ]
}
