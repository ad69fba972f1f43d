//! Approval modes: how much a token may run without a person saying yes (after codex's
//! approval policy).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How the policy's `confirm` tier applies to a token.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ApprovalMode {
    /// Only explicitly allow-listed commands run unasked: what the policy would allow only by
    /// its `default` needs confirmation too.
    Untrusted,
    /// The policy decides: `confirm` rules ask, everything else is as the policy says.
    #[default]
    OnRequest,
    /// No confirm tier: what would need confirmation is denied (for unattended callers).
    Never,
}

impl ApprovalMode {
    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalMode::Untrusted => "untrusted",
            ApprovalMode::OnRequest => "on-request",
            ApprovalMode::Never => "never",
        }
    }
}

/// Which setting gave a caller its mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ModeSource {
    /// The token's own `approval` (`[[auth.tokens]]`).
    Token,
    /// Its role's entry in `policy.approval_roles`.
    Role,
    /// `policy.approval`, the server's default.
    Default,
}
