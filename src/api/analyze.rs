//! `POST /v1/analyze`: explain a failure the caller already has (a CI log, a failed step).

use actix_web::web;
use serde::Deserialize;
use utoipa::ToSchema;

use super::routes::{Access, Route};
use crate::analysis::Analysis;
use crate::auth::Caller;
use crate::domain::Role;
use crate::error::{ApiError, Problem};
use crate::exec::LimitHit;
use crate::lenient;
use crate::service::ExecService;

/// A failure to explain.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({
    "command": "python3 train.py", "exitCode": 1,
    "stderr": "Traceback (most recent call last):\n  File \"train.py\", line 1, in <module>\n    import yaml\nModuleNotFoundError: No module named 'yaml'\n"
}))]
pub struct AnalyzeRequest {
    /// The command that failed, as it was run.
    pub command: String,
    /// Its exit code (128+n if it was killed by signal n).
    #[serde(deserialize_with = "lenient::i32_from_number")]
    #[schema(value_type = i32)]
    pub exit_code: i32,
    /// The signal that killed it (number, e.g. 9), if known.
    #[serde(default, deserialize_with = "lenient::opt_i32")]
    #[schema(value_type = Option<i32>)]
    pub signal: Option<i32>,
    #[serde(default)]
    pub stdout: String,
    #[serde(default)]
    pub stderr: String,
    /// Where it ran.
    pub cwd: Option<String>,
    /// Whether a wall-clock timeout stopped it.
    #[serde(default)]
    pub timed_out: bool,
    /// A limit that stopped it, if the caller knows.
    pub limit: Option<LimitHit>,
}

#[utoipa::path(
    post,
    path = "/v1/analyze",
    operation_id = "analyzeFailure",
    extensions(("x-openai-isConsequential" = json!(false))),
    tag = "analysis",
    summary = "Explain why a command failed, from its exit code and output",
    description = "Takes a failure the caller already has (e.g. a CI step's log) and returns a \
structured analysis: category, root cause, evidence lines quoted from the output, a confidence, \
and fixes as commands checked against the policy. Output is redacted before analysis. Needs the \
analyst role.",
    request_body(content = AnalyzeRequest, examples(
        ("missing module" = (summary = "A Python import error", value = json!({
            "command": "python3 app.py", "exitCode": 1,
            "stderr": "ModuleNotFoundError: No module named 'requests'\n"}))),
        ("port in use" = (summary = "A server that cannot bind", value = json!({
            "command": "npm start", "exitCode": 1,
            "stderr": "Error: listen EADDRINUSE: address already in use :::3000\n"})))
    )),
    responses(
        (status = 200, description = "The analysis.", body = Analysis),
        (status = 400, description = "Invalid body.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid token or a role below analyst.", body = Problem,
            content_type = "application/problem+json"),
        (status = 405, description = "Wrong method.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON.", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(skip_all, fields(caller = %caller.name))]
pub async fn analyze_failure(
    caller: Caller,
    service: web::Data<ExecService>,
    body: web::Json<crate::lenient::Object<AnalyzeRequest>>,
) -> Result<web::Json<Analysis>, ApiError> {
    let r = body.into_inner().0;
    let analysis = service
        .analyze_failure(
            &caller,
            crate::service::analyze::AnalysisInput {
                command: r.command,
                exit_code: if r.signal.is_some() {
                    None
                } else {
                    Some(r.exit_code)
                },
                signal: r.signal,
                timed_out: r.timed_out,
                limit: r.limit,
                stdout: r.stdout,
                stderr: r.stderr,
                cwd: r.cwd,
            },
        )
        .await;
    Ok(web::Json(analysis))
}

/// The analysis operation.
pub(super) fn routes() -> Vec<Route> {
    vec![Route::of::<__path_analyze_failure, _, _>(
        Access::Role(Role::Analyst),
        analyze_failure,
    )]
}
