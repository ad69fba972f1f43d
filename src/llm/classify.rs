//! Pure decisions: mapping upstream error responses to [`LlmError`], retryability, backoff.

use std::time::Duration;

use serde_json::Value;

use super::LlmError;

/// Longest upstream message kept in an error.
pub(crate) const MAX_MESSAGE_CHARS: usize = 500;

/// Cuts `s` to [`MAX_MESSAGE_CHARS`] characters, marking the cut.
pub(crate) fn truncate_message(s: &str) -> String {
    let s = s.trim();
    match s.char_indices().nth(MAX_MESSAGE_CHARS) {
        None => s.to_string(),
        Some((at, _)) => format!("{}…", &s[..at]),
    }
}

/// What an error body says, in every shape providers use:
/// `{"error":{"message","type","code"}}` (OpenAI, Anthropic), `{"error":"..."}` (Ollama,
/// some OpenAI-compatible servers), `{"message":...}`, `{"detail":...}`, or plain text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct ErrorBody {
    /// Whether the body was JSON.
    pub json: bool,
    pub message: String,
    /// `error.type` (OpenAI/Anthropic).
    pub r#type: Option<String>,
    /// `error.code` when a string.
    pub code: Option<String>,
}

fn str_field(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

pub(crate) fn parse_error_value(v: &Value) -> ErrorBody {
    let err = v.get("error");
    let (message, r#type, code) = match err {
        Some(Value::String(s)) => (s.clone(), None, None),
        Some(obj @ Value::Object(_)) => (
            str_field(obj, "message").unwrap_or_default(),
            str_field(obj, "type"),
            str_field(obj, "code"),
        ),
        _ => (
            str_field(v, "message")
                .or_else(|| str_field(v, "detail"))
                .unwrap_or_else(|| v.to_string()),
            None,
            None,
        ),
    };
    ErrorBody {
        json: true,
        message: truncate_message(&message),
        r#type,
        code,
    }
}

pub(crate) fn parse_error_body(body: &[u8]) -> ErrorBody {
    match serde_json::from_slice::<Value>(body) {
        Ok(v @ Value::Object(_)) => parse_error_value(&v),
        _ => ErrorBody {
            json: false,
            message: truncate_message(&String::from_utf8_lossy(body)),
            r#type: None,
            code: None,
        },
    }
}

/// Whether a message says the model does not exist ("model 'x' not found", "The model `x`
/// does not exist", "x is not a valid model ID", "unknown model", ...).
pub(crate) fn says_model_not_found(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    if !m.contains("model") {
        return false;
    }
    [
        "not found",
        "does not exist",
        "doesn't exist",
        "not exist",
        "no such model",
        "unknown model",
        "not a valid model",
        "invalid model",
        "model_not_found",
    ]
    .iter()
    .any(|p| m.contains(p))
}

/// Maps a non-success HTTP answer from a chat endpoint to an error.
///
/// Model-not-found shapes: any 404 whose body is JSON or mentions a model (a plain
/// `404 page not found` means a wrong `base_url` and stays `Upstream`), `code:
/// model_not_found` or `type: not_found_error` with any status, and a 400/422 whose message
/// (possibly a plain string body) says the model does not exist.
pub(crate) fn classify_status(provider: &str, model: &str, status: u16, body: &[u8]) -> LlmError {
    let parsed = parse_error_body(body);
    if status == 429 {
        return LlmError::RateLimited {
            provider: provider.to_string(),
        };
    }
    let mnf = LlmError::ModelNotFound {
        provider: provider.to_string(),
        model: model.to_string(),
    };
    let code_says = parsed.code.as_deref() == Some("model_not_found")
        || parsed.r#type.as_deref() == Some("not_found_error")
        || parsed.r#type.as_deref() == Some("model_not_found");
    if code_says {
        return mnf;
    }
    if status == 404 && (parsed.json || says_model_not_found(&parsed.message)) {
        return mnf;
    }
    if (400..500).contains(&status) && says_model_not_found(&parsed.message) {
        return mnf;
    }
    let message = if status == 404 && parsed.message.is_empty() {
        "endpoint not found (check base_url)".to_string()
    } else if status == 404 {
        format!("{} (check base_url)", parsed.message)
    } else {
        parsed.message
    };
    LlmError::Upstream {
        provider: provider.to_string(),
        status: Some(status),
        message,
    }
}

/// Maps an error that arrived inside a stream (after a 200) to an error.
pub(crate) fn classify_stream_error(provider: &str, model: &str, v: &Value) -> LlmError {
    let parsed = parse_error_value(v);
    if parsed.code.as_deref() == Some("model_not_found")
        || parsed.r#type.as_deref() == Some("not_found_error")
        || says_model_not_found(&parsed.message)
    {
        return LlmError::ModelNotFound {
            provider: provider.to_string(),
            model: model.to_string(),
        };
    }
    if parsed.r#type.as_deref() == Some("rate_limit_error") {
        return LlmError::RateLimited {
            provider: provider.to_string(),
        };
    }
    let message = match &parsed.r#type {
        Some(t) if !parsed.message.contains(t.as_str()) => format!("{t}: {}", parsed.message),
        _ => parsed.message,
    };
    LlmError::Upstream {
        provider: provider.to_string(),
        status: None,
        message,
    }
}

/// Whether an HTTP status is worth retrying (429 and 5xx; never other 4xx).
pub(crate) fn retryable_status(status: u16) -> bool {
    status == 429 || (500..600).contains(&status)
}

/// Delay before retry number `retry` (0-based): `base * 2^retry`, capped at `max`, plus a
/// jitter of up to the same amount again (`jitter` in `[0, 1]`), capped at `max` overall.
/// A `Retry-After` from the upstream wins when it is shorter than `max`.
pub(crate) fn backoff(
    retry: u32,
    base: Duration,
    max: Duration,
    jitter: f64,
    retry_after: Option<Duration>,
) -> Duration {
    if let Some(after) = retry_after {
        return after.min(max);
    }
    let exp = base.saturating_mul(1u32.checked_shl(retry.min(16)).unwrap_or(u32::MAX));
    let exp = exp.min(max);
    let extra = exp.mul_f64(jitter.clamp(0.0, 1.0));
    exp.saturating_add(extra).min(max)
}

/// A jitter fraction in `[0, 1)`.
pub(crate) fn jitter() -> f64 {
    match getrandom::u32() {
        Ok(n) => f64::from(n) / (f64::from(u32::MAX) + 1.0),
        Err(_) => 0.5,
    }
}

/// Parses a `Retry-After` header given in seconds (HTTP dates are ignored).
pub(crate) fn parse_retry_after(value: Option<&str>) -> Option<Duration> {
    value?.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// A 64-character-max name made of `[A-Za-z0-9_-]`, as OpenAI schema names and Anthropic
/// tool names require.
pub(crate) fn sanitize_name(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    if s.is_empty() {
        "result".to_string()
    } else {
        s
    }
}
