//! Roles: what a token may do.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a token may do. Each role includes the ones below it.
// Its schema is `TokenRole`: `Role` is the chat message's (system, user, assistant), and two
// schemas of one name silently collapse into the first one documented.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "lowercase")]
#[schema(as = TokenRole)]
pub enum Role {
    /// Reads: health, metrics, models, policy dry runs.
    Viewer,
    /// Analyzes failures and chats with the configured LLMs.
    Analyst,
    /// Runs commands and code.
    Operator,
    /// Everything, including raising limits and reloading policy.
    Admin,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        [Role::Viewer, Role::Analyst, Role::Operator, Role::Admin]
            .into_iter()
            .find(|r| r.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Analyst => "analyst",
            Role::Operator => "operator",
            Role::Admin => "admin",
        }
    }
}
