//! Request, response and discovery types shared by every provider (these go on the wire).

use std::time::Duration;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Who wrote a chat message.
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Instructions for the model.
    System,
    /// The person or program asking.
    User,
    /// The model's earlier answers.
    Assistant,
}

impl Role {
    /// The role's wire name (the same for every provider).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::System => "system",
            Role::User => "user",
            Role::Assistant => "assistant",
        }
    }
}

/// One message of a conversation.
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ChatMessage {
    /// Who wrote it.
    pub role: Role,
    /// The text.
    pub content: String,
}

impl ChatMessage {
    /// A message with the given role and text.
    pub fn new(role: Role, content: impl Into<String>) -> Self {
        ChatMessage {
            role,
            content: content.into(),
        }
    }
}

/// A chat request. `provider`/`model` override the selected default; anything left unset
/// uses the provider's defaults.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChatRequest {
    /// Provider to use first (its configured name).
    pub provider: Option<String>,
    /// Model to use; when set explicitly, "model not found" is not fallen back from.
    pub model: Option<String>,
    /// The conversation, oldest first.
    pub messages: Vec<ChatMessage>,
    /// Maximum tokens to generate.
    pub max_tokens: Option<u32>,
    /// Sampling temperature.
    pub temperature: Option<f32>,
    /// Per-attempt timeout (whole response; for streams, the wait for each piece).
    pub timeout: Option<Duration>,
}

/// Token counts as reported by the provider (absent when it does not say).
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone, Copy, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Usage {
    /// Prompt tokens.
    pub input_tokens: Option<u64>,
    /// Generated tokens.
    pub output_tokens: Option<u64>,
}

/// A complete (non-streamed) chat answer.
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ChatResponse {
    /// Provider that answered.
    pub provider: String,
    /// Model that answered.
    pub model: String,
    /// The generated text.
    pub content: String,
    /// Why generation stopped, in the provider's words (`stop`, `length`, `end_turn`, ...).
    pub finish_reason: Option<String>,
    /// Token counts.
    pub usage: Usage,
    /// Wall time of the successful attempt, in milliseconds.
    pub latency_ms: u64,
}

/// One item of a chat stream: text as it arrives, then exactly one `Done`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChatDelta {
    /// More generated text (never empty).
    Text(String),
    /// Generation finished.
    Done {
        /// Why generation stopped.
        finish_reason: Option<String>,
        /// Token counts.
        usage: Usage,
    },
}

/// A structured (JSON Schema constrained) answer.
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct StructuredResponse {
    /// The JSON object the model produced.
    pub value: serde_json::Value,
    /// Provider that answered.
    pub provider: String,
    /// Model that answered.
    pub model: String,
    /// Wall time for this provider, including a repair attempt, in milliseconds.
    pub latency_ms: u64,
    /// Whether the first answer was invalid and a repair attempt produced this one.
    pub repaired: bool,
    /// Token counts of the final attempt.
    pub usage: Usage,
}

/// What a model can do, as far as the provider tells us.
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Capabilities {
    /// Answers chat requests.
    pub chat: bool,
    /// Can stream its answer.
    pub streaming: bool,
    /// Supports tool calling.
    pub tools: bool,
    /// Supports JSON Schema constrained output.
    pub json_schema: bool,
    /// Accepts images.
    pub vision: bool,
    /// Context window in tokens, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context_length: Option<u64>,
}

/// A model a provider offers.
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ModelInfo {
    /// Model id as the provider spells it.
    pub id: String,
    /// What it can do.
    pub capabilities: Capabilities,
}

/// One provider's models and reachability.
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ProviderModels {
    /// Provider name.
    pub provider: String,
    /// Provider kind.
    pub kind: super::ProviderKind,
    /// Whether the model listing succeeded.
    pub reachable: bool,
    /// Why the listing failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Discovered models (or, when unreachable, the configured ones).
    pub models: Vec<ModelInfo>,
    /// The provider's circuit breaker.
    pub breaker: BreakerState,
}

/// Circuit breaker state.
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum BreakerState {
    /// Requests flow.
    Closed,
    /// Requests are refused until the cooldown ends.
    Open,
    /// The cooldown ended; one probe request decides.
    HalfOpen,
}

/// Health of one provider, from its circuit breaker.
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ProviderHealth {
    /// Provider name.
    pub provider: String,
    /// Provider kind.
    pub kind: super::ProviderKind,
    /// Routing priority (higher first).
    pub priority: i32,
    /// Breaker state.
    pub state: BreakerState,
    /// Failures since the last success.
    #[schema(value_type = u64, maximum = 4294967295_u64)]
    pub consecutive_failures: u32,
    /// The last failure's kind (see [`super::LlmError::kind`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
}
