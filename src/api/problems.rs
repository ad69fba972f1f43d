//! Client mistakes that actix detects before a handler runs, rendered as problems: malformed or
//! mistyped JSON, oversize bodies, wrong media types, unknown routes and wrong methods.

use actix_web::error::{JsonPayloadError, PayloadError};
use actix_web::{web, HttpRequest, HttpResponse};

use crate::error::{ApiError, Code};

/// The JSON extractor config every route uses.
pub fn json_config(limit: usize) -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(limit)
        .content_type_required(true)
        .error_handler(move |err, _req: &HttpRequest| json_error(&err, limit).into())
}

fn json_error(err: &JsonPayloadError, limit: usize) -> ApiError {
    match err {
        JsonPayloadError::OverflowKnownLength { length, limit } => ApiError::new(
            Code::PayloadTooLarge,
            format!("the body is {length} bytes; the limit is {limit} (server.max_body_bytes)"),
        ),
        JsonPayloadError::Overflow { .. } | JsonPayloadError::Payload(PayloadError::Overflow) => {
            ApiError::new(
                Code::PayloadTooLarge,
                format!("the body exceeds {limit} bytes (server.max_body_bytes)"),
            )
        }
        JsonPayloadError::ContentType => ApiError::new(
            Code::UnsupportedMediaType,
            "send the body as `Content-Type: application/json`",
        ),
        JsonPayloadError::Deserialize(e) => classify_serde(e),
        JsonPayloadError::Payload(PayloadError::Io(e))
            if e.kind() == std::io::ErrorKind::TimedOut =>
        {
            ApiError::new(Code::BodyTimeout, e.to_string())
        }
        other => ApiError::new(
            Code::MalformedJson,
            format!("could not read the body: {other}"),
        ),
    }
}

/// The query-string extractor config every route uses: a bad parameter is a 400 problem.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _req: &HttpRequest| {
        ApiError::new(Code::InvalidRequest, format!("bad query parameter: {err}")).into()
    })
}

/// Map a serde_json error to the problem code a client can act on.
pub fn classify_serde(e: &serde_json::Error) -> ApiError {
    use serde_json::error::Category;
    let msg = e.to_string();
    match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => ApiError::new(
            Code::MalformedJson,
            format!("the body is not valid JSON: {msg}"),
        ),
        Category::Data if msg.starts_with("unknown field") => {
            ApiError::new(Code::UnknownField, msg)
        }
        Category::Data => ApiError::new(Code::InvalidType, msg),
    }
}

/// App default service: no such route.
pub async fn not_found(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    Err(ApiError::new(
        Code::NotFound,
        format!(
            "no route for {} {}; see /openapi.json",
            req.method(),
            req.path()
        ),
    ))
}

/// A resource's default service: the route exists but not with this method.
pub fn method_not_allowed(
    allow: String,
) -> impl Fn(HttpRequest) -> std::future::Ready<Result<HttpResponse, ApiError>> + Clone {
    move |req: HttpRequest| {
        std::future::ready(Err(ApiError::new(
            Code::MethodNotAllowed,
            format!(
                "{} does not accept {}; use {allow}",
                req.path(),
                req.method()
            ),
        )
        .with_allow(allow.clone())))
    }
}

/// Gives every request body a deadline (`server.body_timeout_ms` after the headers): past it
/// the body stream fails with `TimedOut`, which the JSON extractor turns into 408
/// `body_timeout`, and the connection is released.
pub async fn body_deadline(
    mut req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let ms = req
        .app_data::<web::Data<super::HttpSettings>>()
        .map_or(10_000, |h| h.body_timeout_ms);
    use actix_web::HttpMessage;
    // An upload may take longer than any fixed deadline; it must keep moving instead.
    let idle = req.method() == actix_web::http::Method::PUT && req.path().ends_with("/files/raw");
    let inner = req.take_payload();
    let timed: std::pin::Pin<Box<dyn futures_util::Stream<Item = _>>> = Box::pin(Deadline {
        inner,
        sleep: Box::pin(tokio::time::sleep(std::time::Duration::from_millis(ms))),
        ms,
        idle,
        done: false,
    });
    req.set_payload(actix_web::dev::Payload::Stream { payload: timed });
    next.call(req).await
}

struct Deadline {
    inner: actix_web::dev::Payload,
    sleep: std::pin::Pin<Box<tokio::time::Sleep>>,
    ms: u64,
    /// The deadline restarts with every chunk (uploads): it bounds silence, not size.
    idle: bool,
    done: bool,
}

impl futures_util::Stream for Deadline {
    type Item = Result<bytes::Bytes, PayloadError>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        use std::future::Future;
        use std::task::Poll;
        if self.done {
            return Poll::Ready(None);
        }
        if let Poll::Ready(item) = std::pin::Pin::new(&mut self.inner).poll_next(cx) {
            if self.idle && item.is_some() {
                let at = tokio::time::Instant::now() + std::time::Duration::from_millis(self.ms);
                self.sleep.as_mut().reset(at);
            }
            return Poll::Ready(item);
        }
        if self.sleep.as_mut().poll(cx).is_ready() {
            self.done = true;
            let ms = self.ms;
            return Poll::Ready(Some(Err(PayloadError::Io(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                format!("the body did not arrive within {ms} ms (server.body_timeout_ms)"),
            )))));
        }
        Poll::Pending
    }
}
