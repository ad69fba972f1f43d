//! The policy engine behind the [`PolicyGate`] seam: the policy file in force, atomic reloads
//! (SIGHUP or the admin endpoint) that keep the old policy when the new file is bad, and
//! single-use confirmation tokens for `confirm` decisions.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::policy::{Action, CheckInput, Decision, Policy, Subject};
use crate::service::seams::{PolicyGate, PolicySubject, PolicyVerdict};

const DEFAULT_TOML: &str = include_str!("../../policies/default.toml");
const STRICT_TOML: &str = include_str!("../../policies/strict.toml");

/// Where the policy comes from: a built-in (`default`, `strict`) or a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicySource {
    Builtin(&'static str),
    File(PathBuf),
}

impl PolicySource {
    pub fn parse(setting: &str) -> PolicySource {
        match setting {
            "" | "default" | "builtin:default" => PolicySource::Builtin("default"),
            "strict" | "builtin:strict" => PolicySource::Builtin("strict"),
            path => PolicySource::File(PathBuf::from(path)),
        }
    }

    fn load(&self) -> Result<Policy, String> {
        match self {
            PolicySource::Builtin("strict") => Policy::from_toml(STRICT_TOML, "builtin:strict"),
            PolicySource::Builtin(_) => Policy::from_toml(DEFAULT_TOML, "builtin:default"),
            PolicySource::File(p) => Policy::load(p),
        }
        .map_err(|e| e.to_string())
    }

    fn describe(&self) -> String {
        match self {
            PolicySource::Builtin(name) => format!("built-in {name}"),
            PolicySource::File(p) => p.display().to_string(),
        }
    }
}

/// The policy in force and what happened at the last reload.
pub struct PolicyEngine {
    source: PolicySource,
    current: RwLock<Arc<Policy>>,
    last_error: RwLock<Option<String>>,
    confirms: Mutex<HashMap<String, Pending>>,
    confirm_ttl: Duration,
}

struct Pending {
    binding: [u8; 32],
    expires: Instant,
}

/// The most pending confirmations kept; the oldest are dropped beyond it.
const MAX_PENDING: usize = 1024;

impl PolicyEngine {
    /// Load the policy; a bad file here is a start-up error (naming the file and rule).
    pub fn new(source: PolicySource, confirm_ttl: Duration) -> anyhow::Result<Self> {
        let policy = source
            .load()
            .map_err(|e| anyhow::anyhow!("policy.file: {e}"))?;
        Ok(Self {
            source,
            current: RwLock::new(Arc::new(policy)),
            last_error: RwLock::new(None),
            confirms: Mutex::new(HashMap::new()),
            confirm_ttl,
        })
    }

    pub fn current(&self) -> Arc<Policy> {
        match self.current.read() {
            Ok(p) => p.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }

    /// Re-read the source. On error the old policy stays in force and the error is kept for
    /// `/readyz`. Returns the policy now in force, or the error.
    pub fn reload(&self) -> Result<Arc<Policy>, String> {
        match self.source.load() {
            Ok(policy) => {
                let policy = Arc::new(policy);
                if let Ok(mut cur) = self.current.write() {
                    *cur = policy.clone();
                }
                if let Ok(mut e) = self.last_error.write() {
                    *e = None;
                }
                tracing::info!(
                    policy = policy.name(),
                    rules = policy.rule_count(),
                    "policy reloaded"
                );
                metrics::counter!("shellwise_policy_reloads_total", "outcome" => "ok").increment(1);
                Ok(policy)
            }
            Err(e) => {
                tracing::error!(error = %e, "policy reload failed; the previous policy stays in force");
                metrics::counter!("shellwise_policy_reloads_total", "outcome" => "error")
                    .increment(1);
                if let Ok(mut last) = self.last_error.write() {
                    *last = Some(e.clone());
                }
                Err(e)
            }
        }
    }

    pub fn last_error(&self) -> Option<String> {
        self.last_error.read().ok().and_then(|e| e.clone())
    }

    /// The full decision, for the dry-run endpoint and for exec.
    pub fn decide(&self, s: &PolicySubject<'_>) -> Decision {
        let argv: Vec<String>;
        let subject = if let Some(text) = s.command {
            Subject::Shell {
                text,
                shell: s.program,
            }
        } else if let Some((code, language)) = s.code {
            Subject::Code { language, code }
        } else {
            argv = std::iter::once(s.program.to_string())
                .chain(s.args.iter().cloned())
                .collect();
            Subject::Argv(&argv)
        };
        let input = CheckInput {
            subject,
            cwd: Some(s.cwd),
            env: s.env,
            role: s.caller.role.as_str(),
        };
        let decision = self.current().check(&input);
        metrics::counter!("shellwise_policy_decisions_total", "decision" => action_str(decision.decision))
            .increment(1);
        decision
    }

    /// A fresh single-use token for `binding` (a digest of the exact request and caller).
    fn issue(&self, binding: [u8; 32]) -> String {
        let token = format!("cf_{}", crate::telemetry::new_id());
        if let Ok(mut map) = self.confirms.lock() {
            let now = Instant::now();
            map.retain(|_, p| p.expires > now);
            if map.len() >= MAX_PENDING {
                if let Some(oldest) = map
                    .iter()
                    .min_by_key(|(_, p)| p.expires)
                    .map(|(k, _)| k.clone())
                {
                    map.remove(&oldest);
                }
            }
            map.insert(
                token.clone(),
                Pending {
                    binding,
                    expires: now + self.confirm_ttl,
                },
            );
        }
        token
    }

    /// Consume `token` if it was issued for exactly `binding` and has not expired.
    fn redeem(&self, token: &str, binding: &[u8; 32]) -> bool {
        let Ok(mut map) = self.confirms.lock() else {
            return false;
        };
        match map.get(token) {
            Some(p) if p.binding == *binding && p.expires > Instant::now() => {
                map.remove(token);
                true
            }
            Some(p) if p.expires <= Instant::now() => {
                map.remove(token);
                false
            }
            _ => false,
        }
    }

    pub fn confirm_ttl(&self) -> Duration {
        self.confirm_ttl
    }
}

pub fn action_str(a: Action) -> &'static str {
    match a {
        Action::Allow => "allow",
        Action::Confirm => "confirm",
        Action::Deny => "deny",
    }
}

/// What a confirmation is bound to: the caller and everything that decides what runs.
pub fn binding(s: &PolicySubject<'_>, extra: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    for part in [
        s.caller.name.as_str(),
        s.program,
        s.command.unwrap_or_default(),
        extra,
    ] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    for a in s.args {
        h.update(a.as_bytes());
        h.update([0]);
    }
    h.update(s.cwd.as_os_str().as_encoded_bytes());
    for (k, v) in s.env {
        h.update(k.as_bytes());
        h.update([b'=']);
        h.update(v.as_bytes());
        h.update([0]);
    }
    h.finalize().into()
}

impl PolicyGate for PolicyEngine {
    fn check(&self, s: &PolicySubject<'_>) -> PolicyVerdict {
        let d = self.decide(s);
        match d.decision {
            Action::Allow => PolicyVerdict::Allow,
            Action::Deny => PolicyVerdict::Deny {
                rule_id: d.rule_id,
                reason: d.reason,
            },
            Action::Confirm => PolicyVerdict::Confirm {
                rule_id: d.rule_id,
                reason: d.reason,
            },
        }
    }

    fn confirm(
        &self,
        s: &PolicySubject<'_>,
        extra: &str,
        token: Option<&str>,
    ) -> Result<(), String> {
        let b = binding(s, extra);
        match token {
            Some(t) if self.redeem(t, &b) => Ok(()),
            _ => Err(self.issue(b)),
        }
    }

    fn describe(&self) -> String {
        let p = self.current();
        let mut s = format!(
            "{} ({} rules, from {})",
            p.name(),
            p.rule_count(),
            self.source.describe()
        );
        if let Some(e) = self.last_error() {
            s.push_str(&format!(
                "; last reload failed, previous policy in force: {e}"
            ));
        }
        s
    }

    fn reload(&self) -> Result<String, String> {
        PolicyEngine::reload(self).map(|p| format!("{} ({} rules)", p.name(), p.rule_count()))
    }

    fn explain(&self, s: &PolicySubject<'_>) -> Option<Decision> {
        Some(self.decide(s))
    }
}
