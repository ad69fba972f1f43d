//! Logs, metrics and the request id that ties them together.
//!
//! Every request gets an id (a valid incoming `X-Request-Id` or a fresh one); it is echoed in the
//! response header, in every problem body (through a task-local, so errors built deep inside a
//! handler still carry it) and in every log line of the request's span. Request bodies are never
//! logged.

use std::sync::OnceLock;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::HttpMessage;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tracing::Instrument;
use tracing_subscriber::EnvFilter;

use crate::config::{LogFormat, TelemetrySettings};

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

tokio::task_local! {
    static TASK_REQUEST_ID: String;
}

/// The id of the request the current task serves, if any.
pub fn current_request_id() -> Option<String> {
    TASK_REQUEST_ID.try_with(|id| id.clone()).ok()
}

/// The request id as stored in request extensions.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Install the global tracing subscriber (once; later calls are ignored).
pub fn init_tracing(settings: &TelemetrySettings) {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(&settings.log_level))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    // Every log line passes redaction on its way out.
    let writer = || crate::redact::global::RedactingWriter::new(std::io::stderr());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    let _ = match settings.log_format {
        LogFormat::Json => builder.json().with_current_span(true).try_init(),
        LogFormat::Human => builder.with_target(false).try_init(),
    };
}

/// The process-wide Prometheus handle. The recorder is global, so every app in a process (tests
/// start many) shares it.
pub fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Full("shellwise_http_request_duration_seconds".into()),
                    &[
                        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
                        5.0, 10.0, 30.0, 60.0,
                    ],
                )
                .and_then(|b| {
                    b.set_buckets_for_metric(
                        Matcher::Full("shellwise_exec_duration_seconds".into()),
                        &[
                            0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
                            10.0, 30.0, 60.0, 300.0,
                        ],
                    )
                });
            let builder = match builder {
                Ok(b) => b,
                Err(_) => PrometheusBuilder::new(),
            };
            let recorder = builder.build_recorder();
            let handle = recorder.handle();
            if metrics::set_global_recorder(recorder).is_err() {
                tracing::warn!("a metrics recorder was already installed");
            }
            describe_metrics();
            handle
        })
        .clone()
}

fn describe_metrics() {
    metrics::describe_counter!(
        "shellwise_http_requests_total",
        "HTTP requests by route pattern, method and status"
    );
    metrics::describe_histogram!(
        "shellwise_http_request_duration_seconds",
        metrics::Unit::Seconds,
        "HTTP request latency by route pattern"
    );
    metrics::describe_counter!(
        "shellwise_execs_total",
        "Finished executions by outcome (success, failure, timeout, limit, spawn_error, cancelled)"
    );
    metrics::describe_histogram!(
        "shellwise_exec_duration_seconds",
        metrics::Unit::Seconds,
        "Wall time of executions"
    );
    metrics::describe_gauge!("shellwise_running_children", "Commands running right now");
}

fn valid_incoming_id(v: &HeaderValue) -> Option<String> {
    let s = v.to_str().ok()?;
    let ok = !s.is_empty()
        && s.len() <= 128
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b));
    ok.then(|| s.to_string())
}

/// A fresh 16-hex-character request id.
pub fn new_id() -> String {
    let mut bytes = [0u8; 8];
    if getrandom::fill(&mut bytes).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or_default();
        bytes = nanos.to_le_bytes();
    }
    hex::encode(bytes)
}

/// Outermost middleware: request id, span, access log, HTTP metrics.
pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(valid_incoming_id)
        .unwrap_or_else(new_id);
    req.extensions_mut().insert(RequestId(id.clone()));
    let method = req.method().to_string();
    let path = req.path().to_string();
    let span = tracing::info_span!("request", request_id = %id, %method, %path);
    let call_span = span.clone();
    let started = Instant::now();
    // Errors are rendered inside the scope so their problem body carries the request id.
    let result = TASK_REQUEST_ID
        .scope(id.clone(), async move {
            next.call(req).instrument(call_span).await.map_err(|err| {
                let response = err.error_response();
                (err, response)
            })
        })
        .await;
    let mut res = match result {
        Ok(res) => res,
        Err((err, mut response)) => {
            if let Ok(value) = HeaderValue::from_str(&id) {
                response.headers_mut().insert(REQUEST_ID, value);
            }
            return Err(actix_web::error::InternalError::from_response(err, response).into());
        }
    };
    let route = res
        .request()
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_string());
    let status = res.status().as_u16();
    let elapsed = started.elapsed().as_secs_f64();
    metrics::counter!(
        "shellwise_http_requests_total",
        "route" => route.clone(),
        "method" => method.clone(),
        "status" => status.to_string()
    )
    .increment(1);
    metrics::histogram!("shellwise_http_request_duration_seconds", "route" => route)
        .record(elapsed);
    if let Ok(value) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(REQUEST_ID, value);
    }
    span.in_scope(|| {
        tracing::info!(
            status,
            latency_ms = format!("{:.2}", elapsed * 1000.0),
            "handled"
        )
    });
    Ok(res)
}
