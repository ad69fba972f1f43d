//! The LLM-backed [`Analyzer`]: the heuristic first, then an LLM's structured analysis merged
//! into it, within a time budget, with a cache of identical failures.
//!
//! What the provider receives is built here and only here ([`build_prompt`]): the command,
//! the exit facts, the working directory, OS facts, and the head and tail of stdout and
//! stderr, capped at `llm.max_prompt_bytes` in total. The text is the [`AnalysisInput`], which
//! the exec service has already passed through the output filter (redaction) and capped.
//! Prompts are never logged.
//!
//! Whatever goes wrong with the LLM (no answer within `llm.analysis_timeout_ms`, a provider
//! error, an answer that does not fit the schema) the caller gets the heuristic analysis with
//! one more next step saying why. Outcomes are counted in
//! `shellwise_analyses_llm_total{outcome=ok|timeout|error|cache_hit}`.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::analyze::{AnalysisFuture, AnalysisInput, Analyzer};
use crate::analysis::{self, Analysis, Category, Fix, Risk, Source};
use crate::config::LlmSettings;
use crate::llm::{ChatMessage, ChatRequest, Role, Router};

/// Longest command text put into a prompt (head and tail kept).
const MAX_COMMAND_BYTES: usize = 2048;
/// Caps on what an LLM answer may contribute.
const MAX_SUMMARY_CHARS: usize = 500;
const MAX_ROOT_CAUSE_CHARS: usize = 2000;
const MAX_ITEMS: usize = 8;
const MAX_ITEM_CHARS: usize = 1000;
/// Name of the JSON Schema sent with the request.
const SCHEMA_NAME: &str = "failure_analysis";

const SYSTEM_PROMPT: &str = "You diagnose failed shell commands. You receive the command, \
how it ended, where it ran, the OS, and the tail of its output (secrets were replaced by \
placeholders; some output may be cut, marked by [... N bytes omitted ...]). Answer with one \
JSON object: category (one of the listed values), summary (one line), rootCause (why it \
failed, specifically), confidence (0 to 1), evidence (lines copied verbatim from the output \
that support the diagnosis), fixes (each with a description, a shell command or null, and a \
risk: low for read-only or trivially undone, medium for installs or config changes, high for \
destructive), nextSteps (read-only commands or checks to confirm the diagnosis). Never invent \
output that is not shown.";

/// Analyses failures with the heuristic and, when providers are configured, an LLM.
pub struct LlmAnalyzer {
    router: Arc<Router>,
    budget: Duration,
    max_prompt_bytes: usize,
    os: String,
    cache: Mutex<Cache>,
    slots: tokio::sync::Semaphore,
    max_in_flight: usize,
}

impl LlmAnalyzer {
    /// An analyzer asking `router`, with the budgets and cache size from `settings`. OS facts
    /// are read once, here.
    pub fn new(router: Arc<Router>, settings: &LlmSettings) -> Self {
        LlmAnalyzer {
            router,
            budget: Duration::from_millis(settings.analysis_timeout_ms),
            max_prompt_bytes: settings.max_prompt_bytes,
            os: os_facts(),
            cache: Mutex::new(Cache::new(
                settings.cache_entries,
                Duration::from_secs(settings.cache_ttl_secs),
            )),
            slots: tokio::sync::Semaphore::new(settings.max_concurrent_analyses.max(1)),
            max_in_flight: settings.max_concurrent_analyses.max(1),
        }
    }

    /// Who is asked, for notes: the selected `provider/model`, else the provider names.
    fn target(&self) -> String {
        match self.router.selected() {
            Some((p, m)) => format!("{p}/{m}"),
            None => self.router.provider_names().join(", "),
        }
    }

    async fn run(&self, input: &AnalysisInput) -> Analysis {
        let ctx = input.context();
        let heuristic = analysis::analyze(&ctx);
        if self.router.is_empty() {
            return heuristic;
        }
        let prompt = build_prompt(input, &self.os, self.max_prompt_bytes);
        let key = cache_key(&prompt, self.router.selected());
        let cached = self
            .cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key, Instant::now());
        if let Some(llm) = cached {
            count("cache_hit");
            return analysis::merge(&ctx, heuristic, llm);
        }
        let Ok(_slot) = self.slots.try_acquire() else {
            count("busy");
            let mut out = heuristic;
            out.next_steps.push(format!(
                "LLM analysis skipped: {} already running (llm.max_concurrent_analyses); this is \
                 the heuristic result",
                self.max_in_flight
            ));
            return out;
        };
        let req = ChatRequest {
            messages: vec![
                ChatMessage::new(Role::System, SYSTEM_PROMPT),
                ChatMessage::new(Role::User, prompt),
            ],
            temperature: Some(0.0),
            timeout: Some(self.budget),
            ..ChatRequest::default()
        };
        let schema = analysis_schema();
        let answer = tokio::time::timeout(
            self.budget,
            self.router.structured(&req, &schema, SCHEMA_NAME),
        )
        .await;
        let failure = match answer {
            Err(_) => format!("timed out after {}", human(self.budget)),
            Ok(Err(e)) => {
                let kind = match &e {
                    crate::llm::LlmError::Timeout { .. } => {
                        format!("timed out after {}", human(self.budget))
                    }
                    e => format!("failed ({})", e.kind()),
                };
                tracing::warn!(kind = e.kind(), "LLM analysis failed; using the heuristic");
                kind
            }
            Ok(Ok(resp)) => match from_answer(&resp.value) {
                Ok(mut llm) => {
                    llm.provider = Some(resp.provider);
                    llm.model = Some(resp.model);
                    llm.latency_ms = Some(resp.latency_ms);
                    self.cache.lock().unwrap_or_else(|e| e.into_inner()).put(
                        key,
                        llm.clone(),
                        Instant::now(),
                    );
                    count("ok");
                    return analysis::merge(&ctx, heuristic, llm);
                }
                Err(why) => {
                    tracing::warn!(provider = %resp.provider, model = %resp.model, reason = %why, "LLM analysis unusable; using the heuristic");
                    format!("answered something unusable ({why})")
                }
            },
        };
        count(if failure.starts_with("timed out") {
            "timeout"
        } else {
            "error"
        });
        let mut out = heuristic;
        out.next_steps.push(format!(
            "LLM analysis ({}) {failure}; this is the heuristic result",
            self.target()
        ));
        out
    }
}

impl Analyzer for LlmAnalyzer {
    fn analyze<'a>(&'a self, input: &'a AnalysisInput) -> AnalysisFuture<'a> {
        Box::pin(self.run(input))
    }

    fn describe(&self) -> String {
        if self.router.is_empty() {
            return "heuristic (no LLM configured)".to_string();
        }
        format!(
            "llm (providers: {}) with heuristic fallback",
            self.router.provider_names().join(", ")
        )
    }
}

fn count(outcome: &'static str) {
    metrics::counter!("shellwise_analyses_llm_total", "outcome" => outcome).increment(1);
}

/// `15 s` for whole seconds, else `1500 ms`.
fn human(d: Duration) -> String {
    let ms = d.as_millis();
    if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{ms} ms")
    }
}

/// OS facts for the prompt: kernel (from /proc), distribution (os-release), architecture.
fn os_facts() -> String {
    let read = |p: &str| {
        std::fs::read_to_string(p)
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    let kernel = format!(
        "{} {}",
        read("/proc/sys/kernel/ostype"),
        read("/proc/sys/kernel/osrelease")
    );
    let release = std::fs::read_to_string("/etc/os-release")
        .or_else(|_| std::fs::read_to_string("/usr/lib/os-release"))
        .unwrap_or_default();
    let distro = release
        .lines()
        .find_map(|l| l.strip_prefix("PRETTY_NAME="))
        .map(|v| v.trim_matches('"').to_string())
        .unwrap_or_else(|| "unknown distribution".to_string());
    format!("{}; {distro}; {}", kernel.trim(), std::env::consts::ARCH)
}

/// The largest index `<= i` that is a character boundary of `s`.
fn floor_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest index `>= i` that is a character boundary of `s`.
fn ceil_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// `text` cut to at most about `budget` bytes, keeping its head (a third) and its tail (the
/// rest: the end of the output usually says why), with a marker naming what was omitted.
pub fn head_tail(text: &str, budget: usize) -> String {
    if text.len() <= budget {
        return text.to_string();
    }
    let head_end = floor_boundary(text, budget / 3);
    let tail_start = ceil_boundary(text, text.len() - (budget - budget / 3));
    let tail_start = tail_start.max(head_end);
    format!(
        "{}\n[... {} bytes omitted ...]\n{}",
        &text[..head_end],
        tail_start - head_end,
        &text[tail_start..]
    )
}

/// Splits `total` bytes between stdout and stderr: each gets what it needs if both fit,
/// otherwise stderr gets at least half and any share stdout does not need.
fn split_budget(out_len: usize, err_len: usize, total: usize) -> (usize, usize) {
    if out_len + err_len <= total {
        return (out_len, err_len);
    }
    let err = err_len.min((total / 2).max(total.saturating_sub(out_len)));
    (total - err, err)
}

/// The user message of an analysis request (see the module docs for what it contains).
pub fn build_prompt(input: &AnalysisInput, os: &str, max_output_bytes: usize) -> String {
    let (out_budget, err_budget) =
        split_budget(input.stdout.len(), input.stderr.len(), max_output_bytes);
    let status = match (input.exit_code, input.signal) {
        (_, Some(sig)) => format!("killed by signal {sig}"),
        (Some(code), None) => format!("exit code {code}"),
        (None, None) => "no exit status".to_string(),
    };
    let mut p = String::new();
    p.push_str(&format!(
        "Command: {}\n",
        head_tail(&input.command, MAX_COMMAND_BYTES)
    ));
    p.push_str(&format!("Status: {status}\n"));
    if input.timed_out {
        p.push_str("Timed out: yes (the runner's wall-clock limit stopped it)\n");
    }
    if let Some(limit) = input.limit {
        p.push_str(&format!("Limit hit: {}\n", limit.as_str()));
    }
    if let Some(cwd) = &input.cwd {
        p.push_str(&format!("Working directory: {cwd}\n"));
    }
    p.push_str(&format!("OS: {os}\n"));
    p.push_str(&format!(
        "\n--- stderr ({} bytes) ---\n{}\n",
        input.stderr.len(),
        head_tail(&input.stderr, err_budget)
    ));
    p.push_str(&format!(
        "--- stdout ({} bytes) ---\n{}\n",
        input.stdout.len(),
        head_tail(&input.stdout, out_budget)
    ));
    p
}

fn cache_key(prompt: &str, selected: Option<(String, String)>) -> [u8; 32] {
    let mut h = Sha256::new();
    if let Some((p, m)) = selected {
        h.update(p.as_bytes());
        h.update([0]);
        h.update(m.as_bytes());
        h.update([0]);
    }
    h.update(prompt.as_bytes());
    h.finalize().into()
}

/// The JSON Schema of an analysis answer, following OpenAI's strict-schema rules (every
/// property required, no additional properties, `null` for an absent command).
pub fn analysis_schema() -> Value {
    let categories: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
    let strings = json!({"type": "array", "items": {"type": "string"}});
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["category", "summary", "rootCause", "confidence", "evidence", "fixes", "nextSteps"],
        "properties": {
            "category": {"type": "string", "enum": categories},
            "summary": {"type": "string"},
            "rootCause": {"type": "string"},
            "confidence": {"type": "number"},
            "evidence": strings,
            "fixes": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["description", "command", "risk"],
                    "properties": {
                        "description": {"type": "string"},
                        "command": {"type": ["string", "null"]},
                        "risk": {"type": "string", "enum": ["low", "medium", "high"]}
                    }
                }
            },
            "nextSteps": strings
        }
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Answer {
    category: String,
    summary: String,
    root_cause: String,
    confidence: f64,
    #[serde(default)]
    evidence: Vec<String>,
    #[serde(default)]
    fixes: Vec<AnswerFix>,
    #[serde(default)]
    next_steps: Vec<String>,
}

#[derive(Deserialize)]
struct AnswerFix {
    description: String,
    #[serde(default)]
    command: Option<String>,
    risk: String,
}

fn cut(s: &str, max_chars: usize) -> String {
    s.trim().chars().take(max_chars).collect()
}

fn items(v: Vec<String>) -> Vec<String> {
    v.iter()
        .map(|s| cut(s, MAX_ITEM_CHARS))
        .filter(|s| !s.is_empty())
        .take(MAX_ITEMS)
        .collect()
}

/// Converts the model's JSON into an [`Analysis`] (`source: llm`), or says why it cannot.
/// An unknown category or risk is an error; lengths and counts are capped.
pub fn from_answer(value: &Value) -> Result<Analysis, String> {
    let a: Answer = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    let category = Category::ALL
        .into_iter()
        .find(|c| c.as_str() == a.category)
        .ok_or_else(|| format!("unknown category `{}`", cut(&a.category, 40)))?;
    let confidence = if a.confidence.is_finite() {
        a.confidence.clamp(0.0, 1.0) as f32
    } else {
        return Err("confidence is not a number".to_string());
    };
    let mut fixes = Vec::new();
    for f in a.fixes.into_iter().take(MAX_ITEMS) {
        let risk = match f.risk.as_str() {
            "low" => Risk::Low,
            "medium" => Risk::Medium,
            "high" => Risk::High,
            other => return Err(format!("unknown risk `{}`", cut(other, 40))),
        };
        let command = f
            .command
            .map(|c| cut(&c, MAX_ITEM_CHARS))
            .filter(|c| !c.is_empty());
        fixes.push(Fix {
            description: cut(&f.description, MAX_ITEM_CHARS),
            command,
            risk,
            policy_decision: None,
        });
    }
    let summary = cut(&a.summary, MAX_SUMMARY_CHARS);
    if summary.is_empty() {
        return Err("empty summary".to_string());
    }
    Ok(Analysis {
        category,
        summary,
        root_cause: cut(&a.root_cause, MAX_ROOT_CAUSE_CHARS),
        confidence,
        evidence: items(a.evidence),
        fixes,
        next_steps: items(a.next_steps),
        source: Source::Llm,
        provider: None,
        model: None,
        latency_ms: None,
    })
}

/// LLM analyses by prompt digest: entries expire after the TTL; the oldest is evicted first.
struct Cache {
    entries: HashMap<[u8; 32], (Instant, Analysis)>,
    order: VecDeque<[u8; 32]>,
    capacity: usize,
    ttl: Duration,
}

impl Cache {
    fn new(capacity: usize, ttl: Duration) -> Self {
        Cache {
            entries: HashMap::new(),
            order: VecDeque::new(),
            capacity,
            ttl,
        }
    }

    fn get(&mut self, key: &[u8; 32], now: Instant) -> Option<Analysis> {
        let (at, value) = self.entries.get(key)?;
        if now.duration_since(*at) < self.ttl {
            return Some(value.clone());
        }
        self.entries.remove(key);
        self.order.retain(|k| k != key);
        None
    }

    fn put(&mut self, key: [u8; 32], value: Analysis, now: Instant) {
        if self.capacity == 0 || self.ttl.is_zero() {
            return;
        }
        if self.entries.insert(key, (now, value)).is_some() {
            self.order.retain(|k| *k != key);
        }
        self.order.push_back(key);
        while self.order.len() > self.capacity {
            if let Some(old) = self.order.pop_front() {
                self.entries.remove(&old);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn head_tail_keeps_both_ends_on_character_boundaries() {
        let text = format!("{}{}", "é".repeat(100), "z".repeat(100));
        let cut = head_tail(&text, 90);
        assert!(cut.starts_with(&"é".repeat(15)), "{cut}");
        assert!(cut.ends_with(&"z".repeat(60)), "{cut}");
        assert!(cut.contains("bytes omitted"), "{cut}");
        assert_eq!(head_tail("short", 90), "short");
    }

    #[test]
    fn the_output_budget_favours_stderr_and_gives_away_what_is_unused() {
        assert_eq!(split_budget(10, 20, 100), (10, 20));
        assert_eq!(split_budget(10, 500, 100), (10, 90));
        assert_eq!(split_budget(500, 10, 100), (90, 10));
        assert_eq!(split_budget(500, 500, 100), (50, 50));
    }

    #[test]
    fn the_prompt_stays_within_the_output_budget() {
        let input = AnalysisInput {
            command: "make".into(),
            exit_code: Some(2),
            stdout: "o".repeat(50_000),
            stderr: "e".repeat(50_000),
            ..AnalysisInput::default()
        };
        let p = build_prompt(&input, "Linux", 4096);
        assert!(p.len() < 4096 + 1024, "{}", p.len());
        assert!(p.contains("Status: exit code 2"));
    }

    #[test]
    fn the_schema_follows_the_strict_rules() {
        let s = analysis_schema();
        let props = s["properties"].as_object().unwrap();
        let required: Vec<&str> = s["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(props.len(), required.len());
        assert_eq!(s["additionalProperties"], false);
        assert_eq!(
            s["properties"]["category"]["enum"]
                .as_array()
                .unwrap()
                .len(),
            Category::ALL.len()
        );
    }

    #[test]
    fn answers_convert_or_say_why_not() {
        let ok = json!({"category": "missing_dependency", "summary": "no yaml", "rootCause": "x",
            "confidence": 1.7, "evidence": ["a"], "fixes": [{"description": "d", "command": null, "risk": "low"}],
            "nextSteps": []});
        let a = from_answer(&ok).unwrap();
        assert_eq!(a.category, Category::MissingDependency);
        assert_eq!(a.confidence, 1.0);
        assert_eq!(a.fixes[0].command, None);
        let mut bad = ok.clone();
        bad["category"] = json!("cosmic_rays");
        assert!(from_answer(&bad).unwrap_err().contains("cosmic_rays"));
    }

    #[test]
    fn the_cache_expires_and_evicts_the_oldest() {
        let a = from_answer(
            &json!({"category": "unknown", "summary": "s", "rootCause": "r",
            "confidence": 0.5, "evidence": [], "fixes": [], "nextSteps": []}),
        )
        .unwrap();
        let now = Instant::now();
        let mut c = Cache::new(2, Duration::from_secs(10));
        c.put([1; 32], a.clone(), now);
        c.put([2; 32], a.clone(), now);
        c.put([3; 32], a.clone(), now);
        assert!(c.get(&[1; 32], now).is_none());
        assert!(c.get(&[3; 32], now).is_some());
        assert!(c.get(&[3; 32], now + Duration::from_secs(11)).is_none());
    }
}
