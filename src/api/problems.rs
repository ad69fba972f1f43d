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
        other => ApiError::new(
            Code::MalformedJson,
            format!("could not read the body: {other}"),
        ),
    }
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
