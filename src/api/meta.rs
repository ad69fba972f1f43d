//! Health, readiness and metrics.

use actix_web::{web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use super::routes::{Access, Route};
use crate::domain::Role;
use crate::error::Problem;
use crate::service::ExecService;

/// Liveness.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"status": "ok"}))]
pub struct Health {
    /// Always `ok` when the process answers.
    pub status: String,
}

/// An interpreter available for `code` + `language`.
#[derive(Serialize, ToSchema)]
pub struct InterpreterInfo {
    pub language: String,
    pub path: String,
}

/// The audit log's state. Writes that fail never fail a request, so they are reported here.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditInfo {
    pub path: String,
    /// Records that could not be written since the server started.
    pub failed_writes: u64,
    /// Why the last write failed (redacted), if one did.
    pub last_error: Option<String>,
}

/// How commands are isolated from each other and from the host.
#[derive(Serialize, ToSchema)]
pub struct IsolationInfo {
    /// Who commands run as, e.g. "a uid per token from 70000-79999 (3 assigned)".
    pub identity: String,
    /// The layers every command gets, e.g. "pid namespace", "landlock (ABI 7)", "seccomp".
    pub active: Vec<String>,
    /// Layers configured but unavailable on this host, each with the reason.
    pub missing: Vec<String>,
}

/// Readiness and what is active on this server.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "status": "ready", "version": "0.1.0",
    "sandbox": "none (process groups, wall-time and output limits only)",
    "policy": "none (every authorized command runs)",
    "analyzer": "heuristic (no LLM configured)",
    "interpreters": [{"language": "python", "path": "/usr/bin/python3"}, {"language": "sh", "path": "/usr/bin/sh"}],
    "shells": ["/bin/sh", "/bin/bash"],
    "audit": {"path": "/var/lib/shellwise/audit.log", "failedWrites": 0, "lastError": null},
    "isolation": {"identity": "a uid per token from 70000-79999 (3 assigned)",
        "active": ["pid namespace", "IPC namespace", "private /tmp and /dev/shm", "landlock (ABI 7)", "seccomp"],
        "missing": []},
    "running": 0, "maxConcurrent": 64
}))]
pub struct Readiness {
    /// `ready`, `shutting_down`, or `audit_unavailable` (audit.required is set and the last
    /// audit write failed).
    pub status: String,
    pub version: String,
    /// Confinement in force (e.g. the detected cgroup mode).
    pub sandbox: String,
    /// The policy in force.
    pub policy: String,
    /// Who writes `aiAnalysis`: the heuristic analyzer, or LLM providers with it.
    pub analyzer: String,
    pub interpreters: Vec<InterpreterInfo>,
    /// Shells a request may name in `shell`.
    pub shells: Vec<String>,
    /// The audit log, and whether records are being lost (`null` when auditing is off).
    pub audit: Option<AuditInfo>,
    pub isolation: IsolationInfo,
    /// Commands running now.
    pub running: usize,
    pub max_concurrent: usize,
}

#[utoipa::path(
    get,
    path = "/healthz",
    operation_id = "getHealth",
    extensions(("x-openai-isConsequential" = json!(false))),
    tag = "meta",
    summary = "Liveness: the process answers",
    description = "Returns 200 `{\"status\":\"ok\"}` while the process serves requests. No token needed.",
    responses((status = 200, description = "Alive.", body = Health)),
    security(())
)]
pub async fn healthz() -> web::Json<Health> {
    web::Json(Health {
        status: "ok".to_string(),
    })
}

#[utoipa::path(
    get,
    path = "/readyz",
    operation_id = "getReadiness",
    extensions(("x-openai-isConsequential" = json!(false))),
    tag = "meta",
    summary = "Readiness and what is active: sandbox, policy, interpreters, shells, load",
    description = "Returns 200 with what this server can do right now (the sandbox mode, the policy, \
which interpreters `language` may name, which shells `shell` may name, whether audit records \
are being lost, how many commands run) or \
503 with the same body while shutting down. No token needed.",
    responses(
        (status = 200, description = "Ready.", body = Readiness),
        (status = 503, description = "Shutting down, or audit.required is set and the audit log cannot be written.", body = Readiness),
    ),
    security(())
)]
pub async fn readyz(service: web::Data<ExecService>) -> HttpResponse {
    let shutting_down = service.is_shutting_down();
    let audit_blocks = service.audit_blocks();
    let (identity, layers) = service.isolation();
    let body = Readiness {
        status: if shutting_down {
            "shutting_down"
        } else if audit_blocks {
            "audit_unavailable"
        } else {
            "ready"
        }
        .to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        sandbox: service.sandbox_description(),
        policy: service.policy_description(),
        analyzer: service.analyzer_description(),
        interpreters: service
            .interpreters()
            .iter()
            .map(|i| InterpreterInfo {
                language: i.language.to_string(),
                path: i.path.display().to_string(),
            })
            .collect(),
        shells: service.shells().to_vec(),
        audit: service.audit_health().map(|h| AuditInfo {
            path: h.path.display().to_string(),
            failed_writes: h.failed_writes,
            last_error: h.last_error.map(|e| service.filter_text(&e)),
        }),
        isolation: IsolationInfo {
            identity,
            active: layers.active,
            missing: layers.missing,
        },
        running: service.engine().running(),
        max_concurrent: service.max_concurrent(),
    };
    if shutting_down || audit_blocks {
        HttpResponse::ServiceUnavailable().json(body)
    } else {
        HttpResponse::Ok().json(body)
    }
}

#[utoipa::path(
    get,
    path = "/metrics",
    operation_id = "getMetrics",
    extensions(("x-openai-isConsequential" = json!(false))),
    tag = "meta",
    summary = "Prometheus metrics: requests, latency, executions, running children",
    description = "Prometheus text exposition: `shellwise_http_requests_total` by route, method and \
status; `shellwise_http_request_duration_seconds`; `shellwise_execs_total` by outcome; \
`shellwise_exec_duration_seconds`; `shellwise_running_children`. Needs a viewer token unless \
`server.metrics_public` is set.",
    responses(
        (status = 200, description = "Metrics in Prometheus text format.", content_type = "text/plain",
            body = String, example = json!("# TYPE shellwise_execs_total counter\nshellwise_execs_total{outcome=\"success\"} 42\n")),
        (status = 401, description = "No bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid token.", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn metrics(service: web::Data<ExecService>) -> HttpResponse {
    service.refresh_job_metrics().await;
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(crate::telemetry::metrics_handle().render())
}

/// Health, readiness (public) and metrics (viewer, or public with `server.metrics_public`).
pub(super) fn routes(metrics_public: bool) -> Vec<Route> {
    let metrics_access = if metrics_public {
        Access::Public
    } else {
        Access::Role(Role::Viewer)
    };
    vec![
        Route::of::<__path_healthz, _, _>(Access::Public, healthz),
        Route::of::<__path_readyz, _, _>(Access::Public, readyz),
        Route::of::<__path_metrics, _, _>(metrics_access, metrics),
    ]
}
