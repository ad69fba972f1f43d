//! `POST /v1/analyze`: explain a failure the caller already has (a CI log, a failed step).

use actix_web::web;
use serde::Deserialize;
use utoipa::ToSchema;

use super::routes::{Access, Route};
use crate::analysis::Analysis;
use crate::auth::Caller;
use crate::domain::Role;
use crate::error::{ApiError, Code, Problem};
use crate::exec::{self, LimitHit};
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
    /// Its exit code (a shell reports 128+n for a child killed by signal n). `null` or left
    /// out when a signal killed it and there is no exit code: then give `signal`.
    #[serde(default, deserialize_with = "lenient::opt_i32")]
    #[schema(value_type = Option<i32>)]
    pub exit_code: Option<i32>,
    /// The signal that killed it: a name as runCommand reports it (`SIGKILL`) or its number
    /// (9). When given, the analysis goes by the signal rather than `exitCode`.
    #[serde(default, deserialize_with = "opt_signal")]
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

/// `null`, a signal number (1–64, integral floats too) or a name as [`exec::signal_name`]
/// writes it.
fn opt_signal<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i32>, D::Error> {
    use serde_json::Value;
    let Some(given) = Option::<Value>::deserialize(d)? else {
        return Ok(None);
    };
    let number = match &given {
        Value::String(name) => exec::signal_number(name),
        Value::Number(n) => n
            .as_f64()
            .filter(|f| f.fract() == 0.0 && (1.0..=f64::from(exec::SIGNAL_MAX)).contains(f))
            .map(|f| f as i32),
        _ => None,
    };
    number.map(Some).ok_or_else(|| {
        serde::de::Error::custom(format!(
            "invalid type: `signal` {given} is neither a signal number (1-{}) nor a name such as \"SIGKILL\"",
            exec::SIGNAL_MAX
        ))
    })
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
        (status = 400, description = "Invalid body, or neither `exitCode` nor `signal` (`invalid_request`).", body = Problem, content_type = "application/problem+json"),
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
    if r.exit_code.is_none() && r.signal.is_none() {
        return Err(ApiError::new(
            Code::InvalidRequest,
            "give `exitCode` (how the command exited) or `signal` (what killed it)",
        ));
    }
    let analysis = service
        .analyze_failure(
            &caller,
            crate::service::analyze::AnalysisInput {
                command: r.command,
                exit_code: if r.signal.is_some() {
                    None
                } else {
                    r.exit_code
                },
                signal: r.signal,
                timed_out: r.timed_out,
                limit: r.limit,
                stdout: r.stdout,
                stderr: r.stderr,
                cwd: r.cwd,
                // A log sent in was not necessarily run here: nothing is known of its box.
                sandboxed: false,
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
