//! The policy engine behind the [`PolicyGate`] seam: the policy file in force, atomic reloads
//! (SIGHUP or the admin endpoint) that keep the old policy when the new file is bad, and the
//! caller's approval mode applied to each decision ([`apply_mode`], pure). Confirm tokens and
//! their approvals are `approvals.rs`'s.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use sha2::{Digest, Sha256};

use crate::domain::ApprovalMode;
use crate::policy::{Action, CheckInput, CommandDecision, Decision, Policy, Subject};
use crate::service::seams::{PolicyGate, PolicySubject, PolicyVerdict};

const DEFAULT_TOML: &str = include_str!("../../policies/default.toml");
const STRICT_TOML: &str = include_str!("../../policies/strict.toml");
/// What the `untrusted` mode runs unasked when the policy in force has no allow rules.
const READ_ONLY_TOML: &str = include_str!("../../policies/read-only.toml");

/// What the `never` mode adds to the reason of a confirm it turned into a denial.
pub const NEVER_NOTE: &str =
    "; approval mode `never` has no confirm tier, so what would need confirmation is denied";

/// The rule id of a decision the `untrusted` mode turned into `confirm`.
pub const UNTRUSTED_RULE: &str = "approval-untrusted";

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

/// Checks one ordinary command on a background thread, so the patterns every command meets
/// (the rules by mechanism, which no program name or gate set filters) are compiled before
/// the first request rather than during it.
fn warm(policy: &Arc<Policy>) {
    let policy = Arc::clone(policy);
    let spawned = std::thread::Builder::new()
        .name("policy-warm".into())
        .spawn(move || {
            policy.check(&CheckInput {
                subject: Subject::Shell {
                    text: "true",
                    shell: "/bin/sh",
                },
                cwd: None,
                env: &[],
                role: "admin",
            });
        });
    if let Err(e) = spawned {
        tracing::debug!(error = %e, "no thread to warm the policy; its patterns compile on first use");
    }
}

/// The policy in force and what happened at the last reload.
pub struct PolicyEngine {
    source: PolicySource,
    current: RwLock<Arc<Policy>>,
    last_error: RwLock<Option<String>>,
    /// The built-in read-only set (`policies/read-only.toml`).
    read_only: Policy,
}

impl PolicyEngine {
    /// Load the policy; a bad file here is a start-up error (naming the file and rule).
    pub fn new(source: PolicySource) -> anyhow::Result<Self> {
        let policy = source
            .load()
            .map_err(|e| anyhow::anyhow!("policy.file: {e}"))?;
        let read_only = Policy::from_toml(READ_ONLY_TOML, "builtin:read-only")
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let policy = Arc::new(policy);
        warm(&policy);
        Ok(Self {
            source,
            current: RwLock::new(policy),
            last_error: RwLock::new(None),
            read_only,
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
                warm(&policy);
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
        let policy = self.current();
        let decision = apply_mode(s.mode, policy.check(&input), || {
            if policy.has_allow_rules() {
                AllowList::Rules(policy.name().to_string())
            } else {
                AllowList::ReadOnly(self.read_only.check(&input))
            }
        });
        metrics::counter!("shellwise_policy_decisions_total", "decision" => action_str(decision.decision))
            .increment(1);
        decision
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

/// What counts as explicitly allowed for the `untrusted` mode.
pub enum AllowList {
    /// The policy's own allow rules (named policy): a command it allows only by its default
    /// is not on the list.
    Rules(String),
    /// The policy has none: the built-in read-only set's decision for the same input.
    ReadOnly(Decision),
}

/// The decision `d` under the caller's approval `mode` (pure). `on-request` leaves it;
/// `never` turns `confirm` into `deny`; `untrusted` turns `allow` into `confirm` for every
/// command that only the policy's `default` allowed and `allow_list` (asked only then) does
/// not allow. Deny always stays deny.
pub fn apply_mode(
    mode: ApprovalMode,
    mut d: Decision,
    allow_list: impl FnOnce() -> AllowList,
) -> Decision {
    match mode {
        ApprovalMode::OnRequest => d,
        ApprovalMode::Never => {
            if d.decision != Action::Confirm {
                return d;
            }
            for c in &mut d.commands {
                if c.decision == Action::Confirm {
                    c.decision = Action::Deny;
                }
            }
            d.decision = Action::Deny;
            d.reason = format!("{}{NEVER_NOTE}", d.reason);
            d
        }
        ApprovalMode::Untrusted => {
            let implicit =
                |c: &CommandDecision| c.decision == Action::Allow && c.rule_id == "default";
            let unparseable = d.rule_id == "unparseable";
            if d.decision != Action::Allow || (!unparseable && !d.commands.iter().any(implicit)) {
                return d;
            }
            let list = allow_list();
            let (listed, source) = match &list {
                AllowList::Rules(name) => (None, format!("policy `{name}`'s allow rules")),
                AllowList::ReadOnly(ro) => (Some(ro), "the built-in read-only set".to_string()),
            };
            let mut unlisted: Option<String> = None;
            for (i, c) in d.commands.iter_mut().enumerate() {
                if !implicit(c) {
                    continue;
                }
                let verdict = listed
                    .and_then(|ro| ro.commands.get(i))
                    .filter(|r| r.argv == c.argv);
                match verdict {
                    Some(r) if r.decision == Action::Allow => c.rule_id = r.rule_id.clone(),
                    other => {
                        let program = c.argv.first().cloned().unwrap_or_default();
                        let why = match other {
                            Some(r) if r.rule_id != "default" => format!(" ({})", r.rule_id),
                            _ => String::new(),
                        };
                        unlisted.get_or_insert(format!("`{program}` is not on {source}{why}"));
                        c.decision = Action::Confirm;
                        c.rule_id = UNTRUSTED_RULE.to_string();
                    }
                }
            }
            if unparseable {
                unlisted.get_or_insert("the input could not be fully parsed".to_string());
            }
            match unlisted {
                Some(why) => {
                    d.decision = Action::Confirm;
                    d.rule_id = UNTRUSTED_RULE.to_string();
                    d.reason = format!(
                        "approval mode `untrusted` runs only allow-listed commands unasked: {why}"
                    );
                }
                None if d.rule_id == "default" => {
                    if let Some(first) = d.commands.first() {
                        d.rule_id = first.rule_id.clone();
                    }
                    d.reason = format!("every command is on {source}");
                }
                None => {}
            }
            d
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::auth::Caller;
    use crate::domain::Role;

    fn decide(engine: &PolicyEngine, mode: ApprovalMode, command: &str) -> (Action, String) {
        let caller = Caller {
            name: "t".into(),
            role: Role::Operator,
        };
        let args = vec!["-c".to_string(), command.to_string()];
        let d = engine.decide(&PolicySubject {
            program: "/bin/sh",
            args: &args,
            command: Some(command),
            code: None,
            cwd: std::path::Path::new("/srv/app"),
            env: &[],
            caller: &caller,
            mode,
        });
        (d.decision, d.rule_id)
    }

    #[test]
    fn each_mode_moves_only_its_own_tier() {
        use Action::{Allow, Confirm, Deny};
        use ApprovalMode::{Never, OnRequest, Untrusted};
        let default = PolicyEngine::new(PolicySource::Builtin("default")).unwrap();
        let strict = PolicyEngine::new(PolicySource::Builtin("strict")).unwrap();
        let cases: &[(&PolicyEngine, ApprovalMode, &str, Action, &str)] = &[
            (&default, OnRequest, "touch x", Allow, "default"),
            (
                &default,
                OnRequest,
                "terraform destroy",
                Confirm,
                "iac-destroy",
            ),
            (&default, Never, "terraform destroy", Deny, "iac-destroy"),
            (&default, Never, "touch x", Allow, "default"),
            (&default, Never, "rm -rf /", Deny, "rm-recursive-system"),
            // The default policy has no allow rules: the read-only set decides.
            (&default, Untrusted, "ls -la", Allow, "read-only-command"),
            (
                &default,
                Untrusted,
                "git status && cat README.md",
                Allow,
                "read-only-git",
            ),
            (&default, Untrusted, "touch x", Confirm, UNTRUSTED_RULE),
            (
                &default,
                Untrusted,
                "echo hi > out.txt",
                Confirm,
                UNTRUSTED_RULE,
            ),
            (&default, Untrusted, "ls; touch x", Confirm, UNTRUSTED_RULE),
            (
                &default,
                Untrusted,
                "sort -o out in",
                Confirm,
                UNTRUSTED_RULE,
            ),
            (
                &default,
                Untrusted,
                "terraform destroy",
                Confirm,
                "iac-destroy",
            ),
            (
                &default,
                Untrusted,
                "ls; rm -rf /",
                Deny,
                "rm-recursive-system",
            ),
            // strict has its own allow-list; its default already denies.
            (&strict, Untrusted, "cargo test", Allow, "strict-cargo"),
            (&strict, Untrusted, "make install", Allow, "strict-make"),
            (&strict, Untrusted, "npm install x", Deny, "default"),
        ];
        for (engine, mode, command, want, rule) in cases {
            assert_eq!(
                decide(engine, *mode, command),
                (*want, rule.to_string()),
                "{mode:?} {command}"
            );
        }
    }

    #[test]
    fn never_says_why_and_untrusted_names_the_program_it_asks_about() {
        let default = PolicyEngine::new(PolicySource::Builtin("default")).unwrap();
        let caller = Caller {
            name: "t".into(),
            role: Role::Operator,
        };
        let subject = |command: &'static str, mode| PolicySubject {
            program: "/bin/sh",
            args: &[],
            command: Some(command),
            code: None,
            cwd: std::path::Path::new("/srv/app"),
            env: &[],
            caller: &caller,
            mode,
        };
        let d = default.decide(&subject("terraform destroy", ApprovalMode::Never));
        assert!(d.reason.ends_with(NEVER_NOTE), "{}", d.reason);
        assert_eq!(d.commands[0].decision, Action::Deny);
        let d = default.decide(&subject("ls; make", ApprovalMode::Untrusted));
        assert_eq!(
            d.reason,
            "approval mode `untrusted` runs only allow-listed commands unasked: `make` is not \
             on the built-in read-only set"
        );
        let w = default.decide(&subject("touch x", ApprovalMode::Untrusted));
        assert!(w.reason.ends_with("(read-only-file-write)"), "{}", w.reason);
        assert_eq!(
            d.commands
                .iter()
                .map(|c| (c.decision, c.rule_id.as_str()))
                .collect::<Vec<_>>(),
            vec![
                (Action::Allow, "read-only-command"),
                (Action::Confirm, UNTRUSTED_RULE)
            ]
        );
    }

    #[test]
    fn untrusted_under_a_policy_with_allow_rules_asks_for_what_only_its_default_allows() {
        let d = Decision {
            decision: Action::Allow,
            rule_id: "default".into(),
            reason: "no rule matched".into(),
            commands: vec![
                CommandDecision {
                    argv: vec!["echo".into()],
                    decision: Action::Allow,
                    rule_id: "echo-ok".into(),
                },
                CommandDecision {
                    argv: vec!["make".into()],
                    decision: Action::Allow,
                    rule_id: "default".into(),
                },
            ],
        };
        let out = apply_mode(ApprovalMode::Untrusted, d, || {
            AllowList::Rules("team".into())
        });
        assert_eq!(out.decision, Action::Confirm);
        assert_eq!(
            out.reason,
            "approval mode `untrusted` runs only allow-listed commands unasked: `make` is not on \
             policy `team`'s allow rules"
        );
        assert_eq!(out.commands[0].rule_id, "echo-ok");
    }
}
