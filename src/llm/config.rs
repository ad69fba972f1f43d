//! Provider configuration, presets and router tuning knobs.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Which wire format a provider speaks.
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    /// Ollama's native API (`/api/chat`, NDJSON streaming).
    Ollama,
    /// OpenAI-compatible (`/chat/completions`, SSE): OpenAI, LM Studio, vLLM, OpenRouter, Ollama `/v1`.
    Openai,
    /// Anthropic Messages API.
    Anthropic,
}

impl ProviderKind {
    /// The base URL used when none is configured.
    pub fn default_base_url(self) -> &'static str {
        match self {
            ProviderKind::Ollama => "http://localhost:11434",
            ProviderKind::Openai => "https://api.openai.com/v1",
            ProviderKind::Anthropic => "https://api.anthropic.com",
        }
    }

    /// Lowercase name (as in configuration).
    pub fn as_str(self) -> &'static str {
        match self {
            ProviderKind::Ollama => "ollama",
            ProviderKind::Openai => "openai",
            ProviderKind::Anthropic => "anthropic",
        }
    }
}

/// One configured provider (a `[[llm.providers]]` table).
#[derive(Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct ProviderConfig {
    /// Unique name used in requests, metrics and logs.
    pub name: String,
    /// Wire format.
    pub kind: ProviderKind,
    /// Base URL; defaults per kind (see [`ProviderKind::default_base_url`]).
    #[serde(default)]
    pub base_url: Option<String>,
    /// Name of the environment variable holding the API key (read once at start).
    #[serde(default)]
    pub api_key_env: Option<String>,
    /// Known models; the first is the provider's default.
    #[serde(default)]
    pub models: Vec<String>,
    /// Routing priority; higher is tried first.
    #[serde(default)]
    pub priority: i32,
    /// Per-attempt timeout in milliseconds (default [`RouterOptions::default_timeout`]).
    #[serde(default)]
    pub timeout_ms: Option<u64>,
    /// TCP/TLS connect timeout in milliseconds (default [`RouterOptions::default_connect_timeout`]).
    #[serde(default)]
    pub connect_timeout_ms: Option<u64>,
    /// Retries after the first attempt on 429/5xx/connect errors (default 2).
    #[serde(default)]
    pub max_retries: Option<u32>,
}

/// Router-wide tuning. The defaults suit production; tests shorten the delays.
#[derive(Debug, Clone, PartialEq)]
pub struct RouterOptions {
    /// Consecutive failures that open a provider's breaker.
    pub breaker_threshold: u32,
    /// How long an open breaker refuses requests before one probe is let through.
    pub breaker_cooldown: Duration,
    /// First retry delay; doubles per retry, plus up to 100% jitter.
    pub backoff_base: Duration,
    /// Upper bound for one retry delay (also caps an upstream `Retry-After`).
    pub backoff_max: Duration,
    /// Per-attempt timeout when neither the request nor the provider sets one.
    pub default_timeout: Duration,
    /// Connect timeout when the provider does not set one.
    pub default_connect_timeout: Duration,
    /// Retries when the provider does not set `max_retries`.
    pub default_max_retries: u32,
    /// `max_tokens` sent to Anthropic (where it is mandatory) when the request has none.
    pub anthropic_default_max_tokens: u32,
    /// Cap on a non-streamed response body, in bytes.
    pub max_body_bytes: usize,
    /// Cap on one NDJSON/SSE line, in bytes.
    pub max_line_bytes: usize,
    /// Cap on the bytes one stream may deliver.
    pub max_stream_bytes: usize,
    /// Cap on the models listed per provider by [`super::Router::models`].
    pub max_models: usize,
}

impl Default for RouterOptions {
    fn default() -> Self {
        RouterOptions {
            breaker_threshold: 3,
            breaker_cooldown: Duration::from_secs(30),
            backoff_base: Duration::from_millis(250),
            backoff_max: Duration::from_secs(5),
            default_timeout: Duration::from_secs(120),
            default_connect_timeout: Duration::from_secs(5),
            default_max_retries: 2,
            anthropic_default_max_tokens: 4096,
            max_body_bytes: 8 * 1024 * 1024,
            max_line_bytes: 1024 * 1024,
            max_stream_bytes: 16 * 1024 * 1024,
            max_models: 200,
        }
    }
}

/// An API key; its `Debug` never shows the value.
#[derive(Clone)]
pub(crate) struct ApiKey(String);

impl ApiKey {
    pub(crate) fn new(value: String) -> Self {
        ApiKey(value)
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}
