//! LLM provider router: sends chat, streaming chat and structured-output requests to Ollama,
//! OpenAI-compatible servers and Anthropic, with routing, retries, fallback and a circuit
//! breaker per provider. Pure client code (reqwest + tokio); it knows nothing about HTTP
//! serving, and it only ever receives text that the caller has already redacted and capped.
//!
//! # Routing
//! Each request is planned into a chain of `(provider, model)` attempts (see `plan.rs`):
//! 1. the request's `provider` (with its `model`, else the selected model when the selection
//!    is on that provider, else the provider's first configured model);
//! 2. else, for a `model` alone, the highest-priority provider that lists it;
//! 3. else the default chosen with [`Router::select_default`];
//! 4. else the highest-`priority` provider whose breaker admits requests (ties keep
//!    configuration order).
//!
//! After the primary come the other providers whose breaker admits requests, by priority,
//! each with its own first model (or the named model if it lists it). The chain moves on
//! after any failure, except that `ModelNotFound` for a model the caller named explicitly
//! ends it: a different model is not what was asked for. When one attempt was made its error
//! is returned as is; otherwise [`LlmError::AllFailed`] lists every attempt's error.
//!
//! # Retries and timeouts
//! Within one attempt, 429, 5xx and connection failures are retried up to `max_retries`
//! (default 2) times with exponential backoff (`backoff_base * 2^n`, plus up to 100% jitter,
//! capped at `backoff_max`; an upstream `Retry-After` in seconds is honoured up to the cap).
//! Other 4xx answers are never retried. A timeout is not retried either (it would multiply
//! the wait); the chain falls back instead. The timeout (request `timeout`, else the
//! provider's `timeout_ms`, else [`RouterOptions::default_timeout`]) bounds one whole
//! non-streamed attempt; for a stream it bounds the wait for the response and first bytes,
//! then each gap between pieces (an idle timeout), so long answers are not cut off.
//!
//! # Circuit breaker
//! Per provider: closed → open after `breaker_threshold` (default 3) consecutive failures
//! that say something about the provider (timeouts, connection errors, 429 after retries,
//! 5xx, 401/403, malformed answers, errors inside a stream). While open it refuses requests
//! (`CircuitOpen`) and routing skips it; after `breaker_cooldown` (default 30 s) it is
//! half-open and lets exactly one probe through: success closes it, failure reopens it for
//! another cooldown. Any answer that shows the provider is up (including a 400 or a model
//! not found) counts as success. The state is exported as `shellwise_llm_breaker_open`.
//!
//! # Error mapping
//! | upstream says | error |
//! |---|---|
//! | Ollama 404 `{"error":"model 'x' not found"}` | `ModelNotFound` |
//! | OpenAI 404; `error.code == "model_not_found"`; 400 whose message (JSON or a plain string) says the model does not exist | `ModelNotFound` |
//! | Anthropic 404 `not_found_error` | `ModelNotFound` |
//! | 404 with a non-JSON body not mentioning a model (wrong `base_url`) | `Upstream { status: 404 }` |
//! | 429 after the retries | `RateLimited` |
//! | other non-2xx | `Upstream { status, message }` (message from the body, ≤ 500 chars) |
//! | 200 with a body that is not the promised JSON, or an oversized body | `Malformed` |
//! | no answer in time | `Timeout` |
//! | DNS/TCP/TLS failure | `Connect` |
//! | an error line/event inside a 200 stream | `Upstream { status: None }` (or `ModelNotFound`/`RateLimited` by its content) |
//!
//! [`LlmError::kind`] gives a stable name for metrics and problem codes.
//!
//! # Streaming correctness
//! Bodies are read as raw bytes and split on `b'\n'` only; a line is decoded as UTF-8 once
//! complete, so a multi-byte character split across HTTP chunks arrives intact (the reason
//! this does not use ollama-rs). Ollama NDJSON, OpenAI SSE (`data: … [DONE]`, usage from a
//! final chunk requested with `stream_options.include_usage`) and Anthropic's typed events
//! are decoded into [`ChatDelta::Text`] items and exactly one [`ChatDelta::Done`]. An error
//! inside the stream (Ollama `{"error":…}` line, OpenAI `data: {"error":…}`, Anthropic
//! `event: error`) becomes an `Err` item, never text, and ends the stream; so does a stream
//! that ends without its terminal event. Until the first item is in hand the router can
//! still fall back to another provider. Lines, whole streams and non-streamed bodies are
//! capped ([`RouterOptions`]). Dropping a [`ChatStream`] drops the HTTP response and so
//! closes the upstream connection, which makes the provider stop generating.
//!
//! # Structured output
//! Ollama gets `format: <schema>`, OpenAI-compatible servers `response_format: {type:
//! "json_schema", json_schema: {name, schema, strict: true}}`, Anthropic one tool whose
//! `input_schema` is the schema plus `tool_choice` forcing it. The answer must be a JSON
//! object with the schema's top-level `required` keys (code fences and a leading sentence are
//! tolerated); otherwise the bad answer is sent back once asking for valid JSON, and a second
//! failure is `Malformed` (and the chain falls back).
//!
//! # Metrics
//! `shellwise_llm_requests_total{provider,outcome=success|error|cancelled}`,
//! `shellwise_llm_latency_seconds{provider}`, `shellwise_llm_errors_total{provider,kind}`
//! (including retried attempts), `shellwise_llm_tokens_total{provider,direction=in|out}`,
//! `shellwise_llm_breaker_open{provider}`.
//!
//! API keys are read once from the environment variables named by `api_key_env`, held in a
//! type whose `Debug` hides them, and sent only as the provider's auth header.

mod anthropic;
mod breaker;
mod classify;
mod config;
mod error;
mod framing;
mod ollama;
mod openai;
mod plan;
mod router;
mod structured;
mod types;
mod wire;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_metrics;
#[cfg(test)]
mod tests_pure;

pub use config::{ProviderConfig, ProviderKind, RouterOptions};
pub use error::LlmError;
pub use router::{ChatStream, Router};
pub use types::{
    BreakerState, Capabilities, ChatDelta, ChatMessage, ChatRequest, ChatResponse, ModelInfo,
    ProviderHealth, ProviderModels, Role, StructuredResponse, Usage,
};
