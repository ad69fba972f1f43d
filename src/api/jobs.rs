//! The job operations: start (waiting up to a bound), get (long-poll), list, cancel, output
//! ranges, and the event stream that replays from `Last-Event-ID` and then follows live.

use std::sync::Arc;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::routes::{Access, Feature, Route};
use super::sse::{self, SseEvent};
use super::HttpSettings;
use crate::auth::Caller;
use crate::domain::Role;
use crate::error::{ApiError, Code, Problem};
use crate::jobs::JobStatus;
use crate::service::types::{ExecRequest, Job, JobList, JobOutput, OutputStream};
use crate::service::{ExecService, Frame};

/// The `data` of one event of a run's stream; `event` says which (it repeats the SSE
/// `event:` line, for clients that only see `data`). Ids are `<job>:<n>`.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum StreamEventData {
    Start(crate::service::events::StreamStartEvent),
    Output(crate::service::events::StreamOutputEvent),
    Exit(crate::service::events::StreamExitEvent),
    Analysis(crate::service::events::StreamAnalysisEvent),
    End(crate::service::events::StreamEndEvent),
    Error(super::sse::StreamErrorEvent),
}

impl SseEvent for Frame {
    fn into_frame(self) -> (&'static str, String) {
        (self.kind, self.data)
    }

    fn event_id(&self) -> Option<String> {
        Some(Frame::event_id(self))
    }

    /// Every job stream ends with `end` (after `exit` and any `analysis`).
    fn is_final(&self) -> bool {
        Frame::is_final(self)
    }
}

/// A `Last-Event-ID` (or `after`): `<job>:<seq>` as sent, or a bare `<seq>`. The job, if
/// named, must be `job` (when given).
/// Exactly what the contract's pattern allows (`^([A-Za-z0-9_-]+:)?[0-9]{1,19}$`).
pub(super) fn parse_event_id(value: &str) -> Option<(Option<&str>, u64)> {
    let (job, seq) = match value.split_once(':') {
        Some((job, seq)) => (Some(job), seq),
        None => (None, value),
    };
    let job_ok = job.is_none_or(|j| {
        !j.is_empty()
            && j.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    });
    let seq_ok = (1..=19).contains(&seq.len()) && seq.bytes().all(|b| b.is_ascii_digit());
    (job_ok && seq_ok).then(|| seq.parse().ok().map(|s| (job, s)))?
}

/// How long to wait for a job.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct WaitQuery {
    /// Milliseconds to wait for the job to finish before answering (a longer wait is cut to
    /// `jobs.max_wait_ms`, 30000 by default; default `jobs.default_wait_ms` when starting, 0
    /// when getting).
    #[param(minimum = 0, example = 20000)]
    pub wait_ms: Option<u64>,
    /// The most characters this response may have (see runCommand).
    #[param(minimum = 1000, maximum = 16777216, example = 90000)]
    pub max_response_chars: Option<u64>,
}

/// Start a job.
#[utoipa::path(
    post,
    path = "/v1/jobs",
    operation_id = "startJob",
    extensions(("x-openai-isConsequential" = json!(true))),
    tag = "jobs",
    params(WaitQuery),
    summary = "Run a command as a job: result inline if it ends within waitMs, else 202 and poll",
    description = "Same body as runCommand. Waits up to `waitMs` (below the 45 s Actions limit): a \
finished job comes back with `result` (200); one still running comes back as 202 with its `id` and \
`Location`: poll getJob with `waitMs`, or follow its events. Output is kept redacted.",
    request_body(content = ExecRequest, examples(
        ("quick" = (summary = "Done within the wait", value = json!({"command": "echo hi"}))),
        ("long" = (summary = "A build that outlives a request", value = json!({"command": "make -j2 all", "timeoutMs": 600000})))
    )),
    responses(
        (status = 200, description = "The job finished within `waitMs`: `result` holds the outcome.", body = Job),
        (status = 202, description = "The job is queued or running; `Location` is its URL.", body = Job,
            headers(("Location" = String, description = "The job's URL"))),
        (status = 400, description = "Invalid request (see runCommand): `invalid_request`, \
`unsupported_language`, `unsupported_shell`, `invalid_cwd`.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid token, role below operator, `policy_denied`, \
`approval_rejected`, `cwd_outside_workspace`, `limit_not_allowed`, `network_not_allowed` or \
`feature_disabled`.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The `workspace` named does not exist or is another token's (`workspace_not_found`).", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The policy asks a person to confirm \
(`confirmation_required`; resubmit with `confirmToken`, approved first when `approverRole` is \
named), or the token awaits approval (`approval_pending`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A limit this host cannot enforce (`limit_unenforceable`).", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over server.max_body_bytes.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json.", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many jobs queued or running for this token \
(`quota_exceeded`, jobs.max_queued_per_token), or its rate limit (`rate_limited`).", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Shutting down (`shutting_down`), or the audit log cannot be \
written (`audit_unavailable`).", body = Problem, content_type = "application/problem+json"),
        (status = 507, description = "The job store is full (`store_full`): raise jobs.max_store_bytes.", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(skip_all, fields(caller = %caller.name))]
pub async fn start_job(
    caller: Caller,
    service: web::Data<ExecService>,
    query: web::Query<WaitQuery>,
    body: web::Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    let raw = body.into_inner().to_string();
    let request: crate::lenient::Object<ExecRequest> =
        serde_json::from_str(&raw).map_err(|e| super::problems::classify_serde(&e))?;
    int64("waitMs", query.wait_ms)?;
    let budget = service.response_budget(query.max_response_chars)?;
    let prepared = service.prepare(request.0, &caller)?;
    let wait = service.job_wait(query.wait_ms);
    let service: Arc<ExecService> = service.into_inner();
    let mut job = service.submit_job(prepared, raw, wait).await?;
    fit_job(&service, &mut job, budget);
    Ok(job_response(job))
}

/// Fit a job's inline result into the response budget (what the job's own fields take
/// counted too).
fn fit_job(service: &ExecService, job: &mut Job, budget: usize) {
    let Some(mut result) = job.result.take() else {
        return;
    };
    let wrapper = serde_json::to_string(&*job).map_or(0, |s| s.len());
    service.fit_response(&mut result, budget.saturating_sub(wrapper + 16).max(1000));
    job.result = Some(result);
}

/// Integer parameters are `int64` in the contract: a larger value is refused, not wrapped.
fn int64(name: &str, value: Option<u64>) -> Result<(), ApiError> {
    match value {
        Some(v) if v > i64::MAX as u64 => Err(ApiError::new(
            Code::InvalidRequest,
            format!("{name}: must be at most {}", i64::MAX),
        )),
        _ => Ok(()),
    }
}

fn job_response(job: Job) -> HttpResponse {
    if job.status.is_final() {
        HttpResponse::Ok().json(job)
    } else {
        HttpResponse::Accepted()
            .insert_header((header::LOCATION, job.links.this.clone()))
            .json(job)
    }
}

/// Get a job.
#[utoipa::path(
    get,
    path = "/v1/jobs/{id}",
    operation_id = "getJob",
    extensions(("x-openai-isConsequential" = json!(false))),
    tag = "jobs",
    params(("id" = String, Path, description = "The job's id."), WaitQuery),
    summary = "Get a job's status, and its result once finished (long-poll with waitMs)",
    description = "Status (`queued`, `running`, `succeeded`, `failed`, `cancelled`, `lost`), stored \
output sizes, the last event id, and `result` (as runCommand returns it, with `aiAnalysis` on \
failure) once it finished. With `waitMs`, answers as soon as it finishes or when the wait ends.",
    responses(
        (status = 200, description = "The job.", body = Job),
        (status = 400, description = "A bad query parameter (`invalid_request`).", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid token or role below operator.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such job, or another token's (`job_not_found`).", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn get_job(
    caller: Caller,
    service: web::Data<ExecService>,
    id: web::Path<String>,
    query: web::Query<WaitQuery>,
) -> Result<web::Json<Job>, ApiError> {
    int64("waitMs", query.wait_ms)?;
    let budget = service.response_budget(query.max_response_chars)?;
    let wait = query.wait_ms.map(|w| service.job_wait(Some(w)));
    let mut job = service.job(&caller, &id, wait).await?;
    fit_job(&service, &mut job, budget);
    Ok(web::Json(job))
}

/// Which jobs to list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only jobs with this status.
    pub status: Option<JobStatus>,
    /// The `nextBefore` of the previous page.
    pub before: Option<String>,
    /// Jobs per page (1–100, default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<usize>,
}

/// List the caller's jobs.
#[utoipa::path(
    get,
    path = "/v1/jobs",
    operation_id = "listJobs",
    extensions(("x-openai-isConsequential" = json!(false))),
    tag = "jobs",
    params(ListQuery),
    summary = "List this token's jobs, newest first",
    description = "Jobs of the calling token (an admin sees every token's), newest first, optionally \
by status, a page at a time (`before` = the previous page's `nextBefore`). Results are left out: \
get a job for its result.",
    responses(
        (status = 200, description = "A page of jobs.", body = JobList),
        (status = 400, description = "A bad query parameter (`invalid_request`).", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid token or role below operator.", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn list_jobs(
    caller: Caller,
    service: web::Data<ExecService>,
    query: web::Query<ListQuery>,
) -> Result<web::Json<JobList>, ApiError> {
    let q = query.into_inner();
    let limit = q.limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::new(
            Code::InvalidRequest,
            "limit: must be between 1 and 100",
        ));
    }
    Ok(web::Json(
        service
            .list_jobs(&caller, q.status, q.before, limit)
            .await?,
    ))
}

/// Cancel a job.
#[utoipa::path(
    post,
    path = "/v1/jobs/{id}/cancel",
    operation_id = "cancelJob",
    extensions(("x-openai-isConsequential" = json!(true))),
    tag = "jobs",
    params(("id" = String, Path, description = "The job's id.")),
    summary = "Cancel a queued or running job (its process tree is killed)",
    description = "A queued job never starts; a running one is killed (its whole process tree) and \
ends `cancelled`, with its output up to then kept. Answers with the job once it stopped.",
    responses(
        (status = 200, description = "The job, now `cancelled`.", body = Job),
        (status = 401, description = "No bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid token or role below operator.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such job, or another token's (`job_not_found`).", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The job already finished (`job_finished`; `detail` says how).", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn cancel_job(
    caller: Caller,
    service: web::Data<ExecService>,
    id: web::Path<String>,
) -> Result<web::Json<Job>, ApiError> {
    Ok(web::Json(service.cancel_job(&caller, &id).await?))
}

/// Which part of the output.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OutputQuery {
    /// `stdout` (default) or `stderr`.
    pub stream: Option<OutputStream>,
    /// First byte (of the stored, redacted output).
    #[param(minimum = 0)]
    pub offset: Option<u64>,
    /// Most bytes to return (default and maximum 65536).
    #[param(minimum = 1, maximum = 65536)]
    pub length: Option<u64>,
}

/// Read a job's output.
#[utoipa::path(
    get,
    path = "/v1/jobs/{id}/output",
    operation_id = "getJobOutput",
    extensions(("x-openai-isConsequential" = json!(false))),
    tag = "jobs",
    params(("id" = String, Path, description = "The job's id."), OutputQuery),
    summary = "Read a byte range of a job's stored (redacted) stdout or stderr",
    description = "Output is stored redacted as it arrives, so a running job can be read too. Page \
with `nextOffset`; `complete` says whether more can come.",
    responses(
        (status = 200, description = "The range.", body = JobOutput),
        (status = 400, description = "A bad query parameter (`invalid_request`).", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid token or role below operator.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such job, or another token's (`job_not_found`).", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn get_job_output(
    caller: Caller,
    service: web::Data<ExecService>,
    id: web::Path<String>,
    query: web::Query<OutputQuery>,
) -> Result<web::Json<JobOutput>, ApiError> {
    int64("offset", query.offset)?;
    let length = query.length.unwrap_or(65_536);
    if !(1..=65_536).contains(&length) {
        return Err(ApiError::new(
            Code::InvalidRequest,
            "length: must be between 1 and 65536",
        ));
    }
    let stream = query.stream.unwrap_or(OutputStream::Stdout);
    let out = service
        .job_output(&caller, &id, stream, query.offset.unwrap_or(0), length)
        .await?;
    Ok(web::Json(out))
}

/// Where a replay starts.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EventsQuery {
    /// Resume after this event id (what `Last-Event-ID` carries; the header wins).
    #[param(
        pattern = "^([A-Za-z0-9_-]+:)?[0-9]{1,19}$",
        example = "ex_4f1c9a0b2d3e5f60:3"
    )]
    pub after: Option<String>,
}

/// The header an SSE client sends when it reconnects.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
pub struct EventsHeader {
    /// Resume after this event id (`<job>:<n>` as the stream sent it, or `<n>`).
    #[serde(rename = "Last-Event-ID")]
    #[param(value_type = String, required = false, pattern = "^([A-Za-z0-9_-]+:)?[0-9]{1,19}$", example = "ex_4f1c9a0b2d3e5f60:3")]
    pub last_event_id: Option<String>,
}

/// Follow a job's events.
#[utoipa::path(
    get,
    path = "/v1/jobs/{id}/events",
    operation_id = "streamJobEvents",
    extensions(("x-openai-isConsequential" = json!(false))),
    tag = "jobs",
    params(
        ("id" = String, Path, description = "The job's id."),
        EventsHeader,
        EventsQuery
    ),
    summary = "Replay a job's events, then follow it live (Server-Sent Events)",
    description = "The same events streamCommand sends (`start`, `stdout`, `stderr`, `exit`, \
`analysis`), each with `id: <job>:<n>`, ending with `end` `{id, status}`. From the start, or after \
`Last-Event-ID` (an id past the end gives only `end`). Hanging up does not stop the job.",
    responses(
        (status = 200, description = "An event stream: each event's `data` is one of \
StreamEventData.", content_type = "text/event-stream", body = StreamEventData,
            example = json!("id: ex_4f1c9a0b2d3e5f60:3\nevent: stdout\ndata: {\"event\":\"stdout\",\"data\":\"step 2\\n\"}\n\n")),
        (status = 400, description = "A `Last-Event-ID` of another job (`invalid_request`).", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid token or role below operator.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such job, or another token's (`job_not_found`).", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn stream_job_events(
    req: HttpRequest,
    caller: Caller,
    service: web::Data<ExecService>,
    http: web::Data<HttpSettings>,
    id: web::Path<String>,
    query: web::Query<EventsQuery>,
) -> Result<HttpResponse, ApiError> {
    let header = req
        .headers()
        .get("Last-Event-ID")
        .and_then(|v| v.to_str().ok());
    // Both must be event ids, even the one the header overrides: a malformed value is the
    // caller's mistake whichever place it came in.
    for v in [header, query.after.as_deref()].into_iter().flatten() {
        if parse_event_id(v).is_none() {
            return Err(ApiError::new(
                Code::InvalidRequest,
                format!("`{v}` is not an event id (`<job>:<n>` or `<n>`)"),
            ));
        }
    }
    let after = match header.or(query.after.as_deref()) {
        None => None,
        Some(v) => match parse_event_id(v) {
            Some((job, seq)) if job.is_none_or(|j| j == id.as_str()) => Some(seq),
            _ => {
                return Err(ApiError::new(
                    Code::InvalidRequest,
                    format!("Last-Event-ID `{v}` is not an event id of job {id}"),
                ))
            }
        },
    };
    let service: Arc<ExecService> = service.into_inner();
    let events = service.job_events(&caller, &id, after).await?;
    Ok(sse::respond(&req, &http, events))
}

/// The job operations.
pub(super) fn routes() -> Vec<Route> {
    let operator = Access::Role(Role::Operator);
    vec![
        Route::of::<__path_start_job, _, _>(operator, start_job).feature(Feature::Exec),
        Route::of::<__path_list_jobs, _, _>(operator, list_jobs).feature(Feature::Exec),
        Route::of::<__path_get_job, _, _>(operator, get_job).feature(Feature::Exec),
        Route::of::<__path_get_job_output, _, _>(operator, get_job_output).feature(Feature::Exec),
        Route::of::<__path_stream_job_events, _, _>(operator, stream_job_events)
            .feature(Feature::Exec),
        Route::of::<__path_cancel_job, _, _>(operator, cancel_job).feature(Feature::Exec),
    ]
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::parse_event_id;

    #[test]
    fn an_event_id_is_read_exactly_as_the_contract_pattern_says() {
        let pattern = regex::Regex::new(super::super::openapi::EVENT_ID_PATTERN).unwrap();
        for id in [
            "ex_4f1c9a0b2d3e5f60:3",
            "3",
            "0",
            "a-b_c:12",
            "ex:",
            ":3",
            " 3",
            "3 ",
            "a b:3",
            "a:b:3",
            "x:12345678901234567890",
            "1234567890123456789",
            "ex:-1",
            "ex:+1",
            "",
            "é:1",
            "ex:1\n",
        ] {
            assert_eq!(parse_event_id(id).is_some(), pattern.is_match(id), "{id:?}");
        }
        assert_eq!(parse_event_id("ex_1:7"), Some((Some("ex_1"), 7)));
        assert_eq!(parse_event_id("7"), Some((None, 7)));
    }
}
