//! The [`Router`]: provider runtime state, attempts with retries, fallback, streams.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use reqwest::Method;
use serde_json::{json, Value};

use super::breaker::{Admission, Breaker};
use super::classify::{backoff, classify_status, jitter, parse_retry_after, retryable_status};
use super::config::ApiKey;
use super::plan::{plan, Candidate, Step};
use super::structured::{repair_prompt, validate};
use super::wire::{BodyParams, Completion, Ctx, StreamDecoder, StreamItem, StructuredOutput};
use super::{
    anthropic, ollama, openai, ChatDelta, ChatMessage, ChatRequest, ChatResponse, LlmError,
    ModelInfo, ProviderConfig, ProviderHealth, ProviderKind, ProviderModels, Role, RouterOptions,
    StructuredResponse, Usage,
};

/// A chat stream: text deltas, then one [`ChatDelta::Done`]; an `Err` item ends it.
/// Dropping it closes the upstream connection.
pub type ChatStream = Pin<Box<dyn Stream<Item = Result<ChatDelta, LlmError>> + Send>>;

/// Cap on how long model discovery waits for one provider.
const MODELS_TIMEOUT: Duration = Duration::from_secs(15);
/// Concurrent `/api/show` calls per Ollama provider during discovery.
const SHOW_CONCURRENCY: usize = 4;
/// Longest invalid output echoed back in a repair attempt.
const MAX_REPAIR_ECHO_CHARS: usize = 8_000;

/// One configured provider with its client and breaker.
#[derive(Debug)]
pub(crate) struct Provider {
    pub name: String,
    pub kind: ProviderKind,
    base_url: String,
    api_key: Option<ApiKey>,
    pub models: Vec<String>,
    pub priority: i32,
    timeout: Duration,
    max_retries: u32,
    client: reqwest::Client,
    breaker: Mutex<Breaker>,
}

impl Provider {
    fn breaker(&self) -> MutexGuard<'_, Breaker> {
        self.breaker.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let rb = self
            .client
            .request(method, format!("{}{path}", self.base_url));
        match (self.kind, &self.api_key) {
            (ProviderKind::Anthropic, key) => {
                let rb = rb.header("anthropic-version", anthropic::VERSION);
                match key {
                    Some(k) => rb.header("x-api-key", k.expose()),
                    None => rb,
                }
            }
            (_, Some(k)) => rb.bearer_auth(k.expose()),
            (_, None) => rb,
        }
    }

    fn chat_path(&self) -> &'static str {
        match self.kind {
            ProviderKind::Ollama => ollama::CHAT_PATH,
            ProviderKind::Openai => openai::CHAT_PATH,
            ProviderKind::Anthropic => anthropic::CHAT_PATH,
        }
    }

    fn ctx<'a>(&'a self, model: &'a str) -> Ctx<'a> {
        Ctx {
            provider: &self.name,
            model,
        }
    }
}

/// Routes chat, streaming and structured-output requests across the configured providers.
/// `Send + Sync`; share it in an `Arc`.
#[derive(Debug)]
pub struct Router {
    providers: Vec<Arc<Provider>>,
    selected: RwLock<Option<(String, String)>>,
    opts: RouterOptions,
}

fn ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// The transport error and its causes, without the URL.
fn transport_message(e: &reqwest::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        src = s.source();
    }
    super::classify::truncate_message(&parts.join(": "))
}

fn transport_error(p: &Provider, e: reqwest::Error) -> LlmError {
    if e.is_timeout() {
        LlmError::Timeout {
            provider: p.name.clone(),
        }
    } else {
        LlmError::Connect {
            provider: p.name.clone(),
            message: transport_message(&e.without_url()),
        }
    }
}

impl Router {
    /// Builds a router with default [`RouterOptions`]. API keys are read once through `env`
    /// from the variables named by `api_key_env`, and never logged.
    pub fn new(
        providers: Vec<ProviderConfig>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Router, LlmError> {
        Router::with_options(providers, env, RouterOptions::default())
    }

    /// Builds a router with explicit tuning (tests use short cooldowns and backoffs).
    pub fn with_options(
        providers: Vec<ProviderConfig>,
        env: impl Fn(&str) -> Option<String>,
        opts: RouterOptions,
    ) -> Result<Router, LlmError> {
        let mut built: Vec<Arc<Provider>> = Vec::with_capacity(providers.len());
        for cfg in providers {
            let invalid = |message: String| LlmError::InvalidConfig {
                provider: cfg.name.clone(),
                message,
            };
            if cfg.name.trim().is_empty() {
                return Err(invalid("provider name is empty".to_string()));
            }
            if built.iter().any(|p| p.name == cfg.name) {
                return Err(invalid("duplicate provider name".to_string()));
            }
            let base = cfg
                .base_url
                .clone()
                .unwrap_or_else(|| cfg.kind.default_base_url().to_string());
            let base = base.trim_end_matches('/').to_string();
            match reqwest::Url::parse(&base) {
                Ok(u) if u.scheme() == "http" || u.scheme() == "https" => {}
                _ => return Err(invalid(format!("base_url `{base}` is not an http(s) URL"))),
            }
            let api_key = match &cfg.api_key_env {
                None => None,
                Some(var) => match env(var).filter(|v| !v.trim().is_empty()) {
                    Some(v) => Some(ApiKey::new(v.trim().to_string())),
                    None => {
                        tracing::warn!(provider = %cfg.name, env_var = %var, "API key environment variable is unset; requests go without a key");
                        None
                    }
                },
            };
            let connect = cfg
                .connect_timeout_ms
                .map_or(opts.default_connect_timeout, Duration::from_millis);
            let client = reqwest::Client::builder()
                .connect_timeout(connect)
                .user_agent(concat!("shellwise/", env!("CARGO_PKG_VERSION")))
                .build()
                .map_err(|e| invalid(format!("cannot build HTTP client: {e}")))?;
            built.push(Arc::new(Provider {
                name: cfg.name.clone(),
                kind: cfg.kind,
                base_url: base,
                api_key,
                models: cfg.models.clone(),
                priority: cfg.priority,
                timeout: cfg
                    .timeout_ms
                    .map_or(opts.default_timeout, Duration::from_millis),
                max_retries: cfg.max_retries.unwrap_or(opts.default_max_retries),
                client,
                breaker: Mutex::new(Breaker::new(opts.breaker_threshold, opts.breaker_cooldown)),
            }));
        }
        for p in &built {
            metrics::gauge!("shellwise_llm_breaker_open", "provider" => p.name.clone()).set(0.0);
        }
        Ok(Router {
            providers: built,
            selected: RwLock::new(None),
            opts,
        })
    }

    /// A router with no providers: every request fails with [`LlmError::NoProviders`].
    pub fn empty() -> Router {
        Router {
            providers: Vec::new(),
            selected: RwLock::new(None),
            opts: RouterOptions::default(),
        }
    }

    /// Whether no provider is configured.
    pub fn is_empty(&self) -> bool {
        self.providers.is_empty()
    }

    /// Configured provider names, in configuration order.
    pub fn provider_names(&self) -> Vec<String> {
        self.providers.iter().map(|p| p.name.clone()).collect()
    }

    /// Sets the default provider and model used when a request names neither.
    pub fn select_default(&self, provider: &str, model: &str) -> Result<(), LlmError> {
        if !self.providers.iter().any(|p| p.name == provider) {
            return Err(LlmError::UnknownProvider(provider.to_string()));
        }
        if model.trim().is_empty() {
            return Err(LlmError::ModelNotFound {
                provider: provider.to_string(),
                model: model.to_string(),
            });
        }
        let mut sel = self.selected.write().unwrap_or_else(|e| e.into_inner());
        *sel = Some((provider.to_string(), model.to_string()));
        Ok(())
    }

    /// Forgets the selected default.
    pub fn clear_selected(&self) {
        let mut sel = self.selected.write().unwrap_or_else(|e| e.into_inner());
        *sel = None;
    }

    /// The selected default `(provider, model)`, if any.
    pub fn selected(&self) -> Option<(String, String)> {
        self.selected
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Circuit-breaker state of every provider, in configuration order.
    pub fn health(&self) -> Vec<ProviderHealth> {
        let now = Instant::now();
        self.providers
            .iter()
            .map(|p| {
                let b = p.breaker();
                ProviderHealth {
                    provider: p.name.clone(),
                    kind: p.kind,
                    priority: p.priority,
                    state: b.state(now),
                    consecutive_failures: b.consecutive_failures(),
                    last_error: b.last_error.map(str::to_string),
                }
            })
            .collect()
    }

    fn plan(&self, req: &ChatRequest) -> Result<Vec<Step>, LlmError> {
        let now = Instant::now();
        let candidates: Vec<Candidate<'_>> = self
            .providers
            .iter()
            .map(|p| Candidate {
                name: &p.name,
                priority: p.priority,
                models: &p.models,
                available: p.breaker().is_available(now),
            })
            .collect();
        let selected = self.selected();
        plan(
            &candidates,
            req.provider.as_deref(),
            req.model.as_deref(),
            selected.as_ref().map(|(p, m)| (p.as_str(), m.as_str())),
        )
    }

    /// Runs `attempt` along the fallback chain, with breaker admission and bookkeeping.
    async fn run_chain<T, F, Fut>(&self, req: &ChatRequest, mut attempt: F) -> Result<T, LlmError>
    where
        F: FnMut(Arc<Provider>, String) -> Fut,
        Fut: Future<Output = Result<T, LlmError>>,
    {
        let steps = self.plan(req)?;
        let mut errors = Vec::new();
        for step in steps {
            let Some(p) = self.providers.get(step.index).cloned() else {
                continue;
            };
            let Some(model) = step.model.clone() else {
                errors.push(LlmError::NoModel {
                    provider: p.name.clone(),
                });
                continue;
            };
            let admission = p.breaker().try_acquire(Instant::now());
            if admission.is_none() {
                errors.push(LlmError::CircuitOpen {
                    provider: p.name.clone(),
                });
                continue;
            }
            let start = Instant::now();
            let mut guard = ProbeGuard {
                provider: Some(&p),
                admission,
            };
            let result = attempt(p.clone(), model.clone()).await;
            guard.provider = None;
            match result {
                Ok(v) => {
                    self.on_success(&p);
                    return Ok(v);
                }
                Err(e) => {
                    self.on_failure(&p, &e, start.elapsed());
                    tracing::warn!(provider = %p.name, model = %model, kind = e.kind(), error = %e, "LLM attempt failed");
                    if step.explicit_model && matches!(e, LlmError::ModelNotFound { .. }) {
                        // The caller named this model: another model would not be an answer.
                        return Err(e);
                    }
                    errors.push(e);
                }
            }
        }
        match errors.len() {
            0 => Err(LlmError::NoProviders),
            1 => Err(errors.remove(0)),
            _ => Err(LlmError::AllFailed(errors)),
        }
    }

    fn on_success(&self, p: &Provider) {
        p.breaker().on_success();
        metrics::gauge!("shellwise_llm_breaker_open", "provider" => p.name.clone()).set(0.0);
    }

    fn on_failure(&self, p: &Provider, e: &LlmError, elapsed: Duration) {
        record_request(p, Err(e), elapsed, Usage::default());
        if e.counts_against_provider() {
            let open = p.breaker().on_failure(Instant::now(), e.kind());
            if open {
                tracing::warn!(provider = %p.name, "LLM provider circuit breaker open");
            }
            metrics::gauge!("shellwise_llm_breaker_open", "provider" => p.name.clone())
                .set(if open { 1.0 } else { 0.0 });
        } else {
            // The provider answered: it is up, the request was the problem.
            self.on_success(p);
        }
    }

    fn timeout_for(&self, p: &Provider, req: &ChatRequest) -> Duration {
        req.timeout.unwrap_or(p.timeout)
    }

    fn body_params<'a>(
        &self,
        model: &'a str,
        req: &'a ChatRequest,
        stream: bool,
    ) -> BodyParams<'a> {
        BodyParams {
            model,
            req,
            stream,
            default_max_tokens: self.opts.anthropic_default_max_tokens,
        }
    }

    /// Sends `body` to the chat endpoint, retrying 429/5xx/connect failures with backoff.
    /// Returns a 2xx response and the attempt's deadline.
    async fn send(
        &self,
        p: &Provider,
        model: &str,
        body: &Value,
        timeout: Duration,
    ) -> Result<(reqwest::Response, tokio::time::Instant), LlmError> {
        let mut retry = 0u32;
        loop {
            let deadline = tokio::time::Instant::now() + timeout;
            let sent = tokio::time::timeout_at(
                deadline,
                p.request(Method::POST, p.chat_path()).json(body).send(),
            )
            .await;
            let (err, retry_after) = match sent {
                Err(_) => {
                    return Err(LlmError::Timeout {
                        provider: p.name.clone(),
                    })
                }
                Ok(Err(e)) => {
                    let connect = e.is_connect();
                    let err = transport_error(p, e);
                    if !connect {
                        return Err(err);
                    }
                    (err, None)
                }
                Ok(Ok(resp)) if resp.status().is_success() => return Ok((resp, deadline)),
                Ok(Ok(resp)) => {
                    let status = resp.status().as_u16();
                    let retry_after = parse_retry_after(
                        resp.headers()
                            .get(reqwest::header::RETRY_AFTER)
                            .and_then(|v| v.to_str().ok()),
                    );
                    // The error body is only for the message; a short cap is plenty.
                    let body = read_body(p, resp, deadline, 64 * 1024)
                        .await
                        .unwrap_or_default();
                    let err = classify_status(&p.name, model, status, &body);
                    if !retryable_status(status) {
                        return Err(err);
                    }
                    (err, retry_after)
                }
            };
            if retry >= p.max_retries {
                return Err(err);
            }
            let delay = backoff(
                retry,
                self.opts.backoff_base,
                self.opts.backoff_max,
                jitter(),
                retry_after,
            );
            tracing::debug!(provider = %p.name, retry, delay_ms = ms(delay), kind = err.kind(), "retrying LLM request");
            metrics::counter!("shellwise_llm_errors_total", "provider" => p.name.clone(), "kind" => err.kind()).increment(1);
            tokio::time::sleep(delay).await;
            retry += 1;
        }
    }

    /// One non-streamed call: send, read the capped body, parse it with `parse`.
    async fn call<T>(
        &self,
        p: &Provider,
        model: &str,
        body: &Value,
        timeout: Duration,
        parse: impl FnOnce(Ctx<'_>, &[u8]) -> Result<T, LlmError>,
    ) -> Result<T, LlmError> {
        let (resp, deadline) = self.send(p, model, body, timeout).await?;
        let bytes = read_body(p, resp, deadline, self.opts.max_body_bytes).await?;
        parse(p.ctx(model), &bytes)
    }

    /// Sends a chat request along the fallback chain and returns the whole answer.
    pub async fn chat(&self, req: &ChatRequest) -> Result<ChatResponse, LlmError> {
        self.run_chain(req, |p, model| async move {
            let start = Instant::now();
            let body = match p.kind {
                ProviderKind::Ollama => ollama::chat_body(self.body_params(&model, req, false)),
                ProviderKind::Openai => openai::chat_body(self.body_params(&model, req, false)),
                ProviderKind::Anthropic => {
                    anthropic::chat_body(self.body_params(&model, req, false))
                }
            };
            let parse = match p.kind {
                ProviderKind::Ollama => ollama::parse_chat,
                ProviderKind::Openai => openai::parse_chat,
                ProviderKind::Anthropic => anthropic::parse_chat,
            };
            let c: Completion = self
                .call(&p, &model, &body, self.timeout_for(&p, req), parse)
                .await?;
            let elapsed = start.elapsed();
            record_request(&p, Ok(()), elapsed, c.usage);
            Ok(ChatResponse {
                provider: p.name.clone(),
                model,
                content: c.content,
                finish_reason: c.finish_reason,
                usage: c.usage,
                latency_ms: ms(elapsed),
            })
        })
        .await
    }

    /// Starts a streamed chat along the fallback chain. Falls back while nothing has been
    /// delivered: on an error status and on an error as the stream's first item. Once
    /// returned, errors arrive as `Err` items. Dropping the stream cancels the upstream.
    pub async fn chat_stream(&self, req: &ChatRequest) -> Result<ChatStream, LlmError> {
        self.chat_stream_routed(req).await.map(|(_, _, s)| s)
    }

    /// Like [`Router::chat_stream`], also naming the provider and model that answer.
    pub async fn chat_stream_routed(
        &self,
        req: &ChatRequest,
    ) -> Result<(String, String, ChatStream), LlmError> {
        self.run_chain(req, |p, model| async move {
            let start = Instant::now();
            let params = self.body_params(&model, req, true);
            let (body, decoder) = match p.kind {
                ProviderKind::Ollama => (
                    ollama::chat_body(params),
                    StreamDecoder::ndjson(self.opts.max_line_bytes, Box::new(ollama::Events)),
                ),
                ProviderKind::Openai => (
                    openai::chat_body(params),
                    StreamDecoder::sse(
                        self.opts.max_line_bytes,
                        Box::new(openai::Events::default()),
                    ),
                ),
                ProviderKind::Anthropic => (
                    anthropic::chat_body(params),
                    StreamDecoder::sse(
                        self.opts.max_line_bytes,
                        Box::new(anthropic::Events::default()),
                    ),
                ),
            };
            let idle = self.timeout_for(&p, req);
            let (resp, deadline) = self.send(&p, &model, &body, idle).await?;
            let mut state = StreamState {
                provider: p.clone(),
                model: model.clone(),
                bytes: Box::pin(resp.bytes_stream()),
                decoder,
                pending: VecDeque::new(),
                idle,
                first_deadline: Some(deadline),
                received: 0,
                max_bytes: self.opts.max_stream_bytes,
                start,
                finished: false,
                handed_out: false,
                usage: Usage::default(),
            };
            match state.produce().await {
                Some(Ok(first)) => state.pending.push_front(Ok(first)),
                Some(Err(e)) => {
                    state.finished = true;
                    return Err(e);
                }
                None => {
                    state.finished = true;
                    return Err(p.ctx(&model).malformed("empty stream"));
                }
            }
            state.handed_out = true;
            let stream = futures_util::stream::unfold(state, |mut s| async move {
                let item = s.next_item().await?;
                Some((item, s))
            });
            Ok((p.name.clone(), model, Box::pin(stream) as ChatStream))
        })
        .await
    }

    /// Asks for a JSON object matching `schema` (named `schema_name`), along the fallback
    /// chain. Ollama gets `format: <schema>`, OpenAI-compatible servers `response_format:
    /// json_schema` (strict), Anthropic a single forced tool. An answer that is not a JSON
    /// object with the schema's top-level `required` keys gets one repair attempt on the same
    /// provider; if that fails too the provider counts as failed (`Malformed`).
    pub async fn structured(
        &self,
        req: &ChatRequest,
        schema: &Value,
        schema_name: &str,
    ) -> Result<StructuredResponse, LlmError> {
        self.run_chain(req, |p, model| async move {
            let start = Instant::now();
            let timeout = self.timeout_for(&p, req);
            let first = self
                .structured_call(&p, &model, req, schema, schema_name, timeout)
                .await?;
            let (value, usage, repaired) = match validate(first.0, schema) {
                Ok(v) => (v, first.1, false),
                Err(bad) => {
                    tracing::info!(provider = %p.name, model = %model, reason = %bad.reason, "structured output invalid; one repair attempt");
                    let mut repair = req.clone();
                    let echo: String = bad.text.chars().take(MAX_REPAIR_ECHO_CHARS).collect();
                    repair.messages.push(ChatMessage::new(Role::Assistant, echo));
                    repair
                        .messages
                        .push(ChatMessage::new(Role::User, repair_prompt(&bad.reason)));
                    let second = self
                        .structured_call(&p, &model, &repair, schema, schema_name, timeout)
                        .await?;
                    match validate(second.0, schema) {
                        Ok(v) => (v, second.1, true),
                        Err(bad) => {
                            return Err(p.ctx(&model).malformed(format!(
                                "structured output invalid after one repair: {}",
                                bad.reason
                            )))
                        }
                    }
                }
            };
            let elapsed = start.elapsed();
            record_request(&p, Ok(()), elapsed, usage);
            Ok(StructuredResponse {
                value,
                provider: p.name.clone(),
                model,
                latency_ms: ms(elapsed),
                repaired,
                usage,
            })
        })
        .await
    }

    async fn structured_call(
        &self,
        p: &Provider,
        model: &str,
        req: &ChatRequest,
        schema: &Value,
        name: &str,
        timeout: Duration,
    ) -> Result<(StructuredOutput, Usage), LlmError> {
        let params = self.body_params(model, req, false);
        let (body, parse): (Value, fn(Ctx<'_>, &[u8]) -> _) = match p.kind {
            ProviderKind::Ollama => (
                ollama::structured_body(params, schema),
                ollama::parse_structured,
            ),
            ProviderKind::Openai => (
                openai::structured_body(params, schema, name),
                openai::parse_structured,
            ),
            ProviderKind::Anthropic => (
                anthropic::structured_body(params, schema, name),
                anthropic::parse_structured,
            ),
        };
        self.call(p, model, &body, timeout, parse).await
    }

    /// Lists every provider's models with capabilities, concurrently. Does not touch the
    /// breakers. An unreachable provider is reported with its configured models.
    pub async fn models(&self) -> Vec<ProviderModels> {
        let futures = self.providers.iter().map(|p| self.provider_models(p));
        futures_util::future::join_all(futures).await
    }

    async fn provider_models(&self, p: &Provider) -> ProviderModels {
        let timeout = p.timeout.min(MODELS_TIMEOUT);
        let listed = tokio::time::timeout(timeout, self.discover(p, timeout)).await;
        let listed = listed.unwrap_or_else(|_| {
            Err(LlmError::Timeout {
                provider: p.name.clone(),
            })
        });
        let breaker = p.breaker().state(Instant::now());
        match listed {
            Ok(mut models) => {
                models.truncate(self.opts.max_models);
                ProviderModels {
                    provider: p.name.clone(),
                    kind: p.kind,
                    reachable: true,
                    error: None,
                    models,
                    breaker,
                }
            }
            Err(e) => ProviderModels {
                provider: p.name.clone(),
                kind: p.kind,
                reachable: false,
                error: Some(e.to_string()),
                models: p
                    .models
                    .iter()
                    .map(|id| ModelInfo {
                        id: id.clone(),
                        capabilities: default_capabilities(p.kind, id),
                    })
                    .collect(),
                breaker,
            },
        }
    }

    async fn get_json(
        &self,
        p: &Provider,
        method: Method,
        path: &str,
        body: Option<&Value>,
        timeout: Duration,
    ) -> Result<Vec<u8>, LlmError> {
        let mut rb = p.request(method, path);
        if let Some(b) = body {
            rb = rb.json(b);
        }
        let deadline = tokio::time::Instant::now() + timeout;
        let resp = match tokio::time::timeout_at(deadline, rb.send()).await {
            Err(_) => {
                return Err(LlmError::Timeout {
                    provider: p.name.clone(),
                })
            }
            Ok(Err(e)) => return Err(transport_error(p, e)),
            Ok(Ok(r)) => r,
        };
        let status = resp.status().as_u16();
        let bytes = read_body(p, resp, deadline, self.opts.max_body_bytes).await?;
        if !(200..300).contains(&status) {
            let parsed = super::classify::parse_error_body(&bytes);
            return Err(LlmError::Upstream {
                provider: p.name.clone(),
                status: Some(status),
                message: parsed.message,
            });
        }
        Ok(bytes)
    }

    async fn discover(&self, p: &Provider, timeout: Duration) -> Result<Vec<ModelInfo>, LlmError> {
        let ctx = p.ctx("");
        match p.kind {
            ProviderKind::Ollama => {
                let tags = self
                    .get_json(p, Method::GET, ollama::TAGS_PATH, None, timeout)
                    .await?;
                let mut names = ollama::parse_tags(ctx, &tags)?;
                names.truncate(self.opts.max_models);
                let infos = futures_util::stream::iter(names)
                    .map(|name| async move {
                        let shown = self
                            .get_json(
                                p,
                                Method::POST,
                                ollama::SHOW_PATH,
                                Some(&json!({"model": name})),
                                timeout,
                            )
                            .await
                            .ok()
                            .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
                            .unwrap_or(Value::Null);
                        ModelInfo {
                            capabilities: ollama::parse_show(&shown),
                            id: name,
                        }
                    })
                    .buffered(SHOW_CONCURRENCY)
                    .collect::<Vec<_>>()
                    .await;
                Ok(infos)
            }
            ProviderKind::Openai => {
                let b = self
                    .get_json(p, Method::GET, openai::MODELS_PATH, None, timeout)
                    .await?;
                openai::parse_models(ctx, &b)
            }
            ProviderKind::Anthropic => {
                let b = self
                    .get_json(p, Method::GET, anthropic::MODELS_PATH, None, timeout)
                    .await?;
                anthropic::parse_models(ctx, &b)
            }
        }
    }
}

/// What a provider's models can do when discovery cannot tell.
fn default_capabilities(kind: ProviderKind, id: &str) -> super::Capabilities {
    match kind {
        ProviderKind::Ollama => ollama::parse_show(&Value::Null),
        ProviderKind::Openai => openai::capabilities(id, &Value::Null),
        ProviderKind::Anthropic => anthropic::capabilities(None),
    }
}

/// Reads a body up to `cap` bytes before `deadline`.
async fn read_body(
    p: &Provider,
    mut resp: reqwest::Response,
    deadline: tokio::time::Instant,
    cap: usize,
) -> Result<Vec<u8>, LlmError> {
    let mut out = Vec::new();
    loop {
        match tokio::time::timeout_at(deadline, resp.chunk()).await {
            Err(_) => {
                return Err(LlmError::Timeout {
                    provider: p.name.clone(),
                })
            }
            Ok(Err(e)) => return Err(transport_error(p, e)),
            Ok(Ok(None)) => return Ok(out),
            Ok(Ok(Some(chunk))) => {
                if out.len() + chunk.len() > cap {
                    return Err(LlmError::Malformed {
                        provider: p.name.clone(),
                        message: format!("response body exceeds {cap} bytes"),
                    });
                }
                out.extend_from_slice(&chunk);
            }
        }
    }
}

/// Records request metrics for one finished attempt or stream.
fn record_request(p: &Provider, outcome: Result<(), &LlmError>, elapsed: Duration, usage: Usage) {
    let name = p.name.clone();
    let label = match outcome {
        Ok(()) => "success",
        Err(_) => "error",
    };
    metrics::counter!("shellwise_llm_requests_total", "provider" => name.clone(), "outcome" => label)
        .increment(1);
    metrics::histogram!("shellwise_llm_latency_seconds", "provider" => name.clone())
        .record(elapsed.as_secs_f64());
    if let Err(e) = outcome {
        metrics::counter!("shellwise_llm_errors_total", "provider" => name.clone(), "kind" => e.kind())
            .increment(1);
    }
    if let Some(n) = usage.input_tokens {
        metrics::counter!("shellwise_llm_tokens_total", "provider" => name.clone(), "direction" => "in")
            .increment(n);
    }
    if let Some(n) = usage.output_tokens {
        metrics::counter!("shellwise_llm_tokens_total", "provider" => name, "direction" => "out")
            .increment(n);
    }
}

/// Frees a half-open probe slot if an attempt is abandoned (its future dropped).
struct ProbeGuard<'a> {
    provider: Option<&'a Provider>,
    admission: Option<Admission>,
}

impl Drop for ProbeGuard<'_> {
    fn drop(&mut self) {
        if let (Some(p), Some(Admission::Probe)) = (self.provider, self.admission) {
            p.breaker().on_neutral();
        }
    }
}

/// A live upstream stream being decoded.
struct StreamState {
    provider: Arc<Provider>,
    model: String,
    bytes: Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>,
    decoder: StreamDecoder,
    pending: VecDeque<StreamItem>,
    idle: Duration,
    /// The first piece must arrive within the request's own deadline.
    first_deadline: Option<tokio::time::Instant>,
    received: usize,
    max_bytes: usize,
    start: Instant,
    finished: bool,
    /// The stream was given to the caller; from then on it reports its own outcome.
    handed_out: bool,
    usage: Usage,
}

impl StreamState {
    /// The next decoded item, reading upstream as needed; `None` after the end.
    async fn produce(&mut self) -> Option<StreamItem> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(item);
            }
            if self.finished {
                return None;
            }
            let deadline = self
                .first_deadline
                .take()
                .unwrap_or_else(|| tokio::time::Instant::now() + self.idle);
            let ctx = self.provider.ctx(&self.model);
            match tokio::time::timeout_at(deadline, self.bytes.next()).await {
                Err(_) => {
                    return Some(Err(LlmError::Timeout {
                        provider: self.provider.name.clone(),
                    }))
                }
                Ok(Some(Ok(chunk))) => {
                    self.received += chunk.len();
                    if self.received > self.max_bytes {
                        return Some(Err(
                            ctx.malformed(format!("stream exceeds {} bytes", self.max_bytes))
                        ));
                    }
                    let items = self.decoder.push(ctx, &chunk);
                    self.pending.extend(items);
                }
                Ok(Some(Err(e))) => return Some(Err(transport_error(&self.provider, e))),
                Ok(None) => {
                    let items = self.decoder.finish(ctx);
                    self.pending.extend(items);
                    if self.pending.is_empty() {
                        return None;
                    }
                }
            }
        }
    }

    /// The next item for the caller; ends the stream after `Done` or an error.
    async fn next_item(&mut self) -> Option<StreamItem> {
        if self.finished {
            return None;
        }
        let item = self.produce().await;
        match &item {
            Some(Ok(ChatDelta::Text(_))) => {}
            Some(Ok(ChatDelta::Done { usage, .. })) => {
                self.usage = *usage;
                self.finish(Ok(()));
            }
            Some(Err(e)) => {
                let e = e.clone();
                self.finish(Err(&e));
            }
            None => {
                let e = self
                    .provider
                    .ctx(&self.model)
                    .malformed("stream ended early");
                self.finish(Err(&e));
                return Some(Err(e));
            }
        }
        item
    }

    fn finish(&mut self, outcome: Result<(), &LlmError>) {
        self.finished = true;
        self.pending.clear();
        let p = &self.provider;
        record_request(p, outcome, self.start.elapsed(), self.usage);
        if let Err(e) = outcome {
            tracing::warn!(provider = %p.name, model = %self.model, kind = e.kind(), error = %e, "LLM stream failed");
            if e.counts_against_provider() {
                let open = p.breaker().on_failure(Instant::now(), e.kind());
                metrics::gauge!("shellwise_llm_breaker_open", "provider" => p.name.clone())
                    .set(if open { 1.0 } else { 0.0 });
            }
        }
    }
}

impl Drop for StreamState {
    fn drop(&mut self) {
        if self.handed_out && !self.finished {
            tracing::debug!(provider = %self.provider.name, "LLM stream dropped by the caller; upstream closed");
            metrics::counter!("shellwise_llm_requests_total", "provider" => self.provider.name.clone(), "outcome" => "cancelled")
                .increment(1);
        }
    }
}
