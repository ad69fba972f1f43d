//! The router's error type and its stable metric/wire kinds.

/// Why an LLM call failed. Provider names are the configured `name`s; messages come from the
/// upstream (truncated) and never contain API keys.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum LlmError {
    /// No provider is configured.
    #[error("no LLM provider is configured")]
    NoProviders,
    /// The request named a provider that is not configured.
    #[error("unknown LLM provider `{0}`")]
    UnknownProvider(String),
    /// The provider does not know the model (every upstream shape of "model not found").
    #[error("model `{model}` not found on provider `{provider}`")]
    ModelNotFound {
        /// Provider name.
        provider: String,
        /// Model that was requested.
        model: String,
    },
    /// No model was named and the provider has no default model configured.
    #[error("no model given and provider `{provider}` has no default model")]
    NoModel {
        /// Provider name.
        provider: String,
    },
    /// The upstream answered with an error (HTTP status, or `None` for an error inside a
    /// stream that had already started).
    #[error("provider `{provider}` failed (status {}): {message}", status.map_or_else(|| "none".to_string(), |s| s.to_string()))]
    Upstream {
        /// Provider name.
        provider: String,
        /// HTTP status, if the error came with one.
        status: Option<u16>,
        /// The upstream's message, truncated.
        message: String,
    },
    /// The provider did not answer (or a stream went idle) within the timeout.
    #[error("provider `{provider}` timed out")]
    Timeout {
        /// Provider name.
        provider: String,
    },
    /// The provider could not be reached.
    #[error("cannot connect to provider `{provider}`: {message}")]
    Connect {
        /// Provider name.
        provider: String,
        /// Transport error, without credentials.
        message: String,
    },
    /// The provider kept answering 429 after the retries.
    #[error("provider `{provider}` is rate limiting requests")]
    RateLimited {
        /// Provider name.
        provider: String,
    },
    /// The provider's circuit breaker is open after repeated failures.
    #[error("provider `{provider}` is temporarily disabled after repeated failures")]
    CircuitOpen {
        /// Provider name.
        provider: String,
    },
    /// The provider answered something that is not what its wire format promises.
    #[error("provider `{provider}` sent a malformed response: {message}")]
    Malformed {
        /// Provider name.
        provider: String,
        /// What was wrong.
        message: String,
    },
    /// The provider configuration is invalid (empty or duplicate name, bad `base_url`).
    #[error("invalid configuration for LLM provider `{provider}`: {message}")]
    InvalidConfig {
        /// Provider name.
        provider: String,
        /// What is wrong.
        message: String,
    },
    /// Every provider in the fallback chain failed; one error per attempt, in order.
    #[error("all LLM providers failed: {}", join_errors(.0))]
    AllFailed(Vec<LlmError>),
}

fn join_errors(errors: &[LlmError]) -> String {
    errors
        .iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

impl LlmError {
    /// A stable snake_case name for metrics labels and error codes.
    pub fn kind(&self) -> &'static str {
        match self {
            LlmError::NoProviders => "no_providers",
            LlmError::UnknownProvider(_) => "unknown_provider",
            LlmError::ModelNotFound { .. } => "model_not_found",
            LlmError::NoModel { .. } => "no_model",
            LlmError::Upstream { .. } => "upstream",
            LlmError::Timeout { .. } => "timeout",
            LlmError::Connect { .. } => "connect",
            LlmError::RateLimited { .. } => "rate_limited",
            LlmError::CircuitOpen { .. } => "circuit_open",
            LlmError::Malformed { .. } => "malformed",
            LlmError::InvalidConfig { .. } => "invalid_config",
            LlmError::AllFailed(_) => "all_failed",
        }
    }

    /// Whether this failure says something about the provider's health (and so counts
    /// towards opening its circuit breaker). A missing model or a rejected request is the
    /// caller's problem, except 401/403, which mean the provider is unusable as configured.
    pub fn counts_against_provider(&self) -> bool {
        match self {
            LlmError::Timeout { .. }
            | LlmError::Connect { .. }
            | LlmError::RateLimited { .. }
            | LlmError::Malformed { .. } => true,
            LlmError::Upstream { status, .. } => match status {
                None => true,
                Some(s) => *s >= 500 || *s == 401 || *s == 403,
            },
            _ => false,
        }
    }
}
