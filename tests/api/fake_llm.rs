//! Fake LLM providers for the HTTP tests: the test kit's scripted server and canned
//! provider replies, plus what only the API tests need (provider entries pointing at a fake).

use shellwise::llm::{ProviderConfig, ProviderKind};
pub use shellwise_testkit::http::{FakeServer, Part, Recorded, Reply};
pub use shellwise_testkit::llm::{anthropic, ollama, openai, openai_sse};

/// The API tests call the scripted server a fake LLM.
pub type FakeLlm = FakeServer;

/// What the API tests ask of a fake LLM beyond the generic server.
pub trait FakeLlmExt {
    /// Chat requests only (not model discovery).
    fn chats(&self) -> Vec<Recorded>;
    /// Requests to one path.
    fn chats_at(&self, path: &str) -> Vec<Recorded>;
    /// A provider entry pointing at this fake.
    fn provider(&self, name: &str, kind: ProviderKind, models: &[&str]) -> ProviderConfig;
}

impl FakeLlmExt for FakeServer {
    fn chats(&self) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.path.ends_with("/chat/completions") || r.path == "/api/chat")
            .collect()
    }

    fn chats_at(&self, path: &str) -> Vec<Recorded> {
        self.requests_to(path)
    }

    fn provider(&self, name: &str, kind: ProviderKind, models: &[&str]) -> ProviderConfig {
        let base = match kind {
            ProviderKind::Openai => format!("{}/v1", self.base_url()),
            _ => self.base_url(),
        };
        ProviderConfig {
            name: name.into(),
            kind,
            base_url: Some(base),
            api_key_env: None,
            models: models.iter().map(|m| m.to_string()).collect(),
            priority: 0,
            timeout_ms: Some(10_000),
            connect_timeout_ms: Some(1_000),
            max_retries: Some(0),
        }
    }
}
