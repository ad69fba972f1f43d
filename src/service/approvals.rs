//! Confirm tokens and their approvals: a `confirm` verdict issues a single-use token bound to
//! the exact request and caller; with `policy.approver_role` set, the token is honoured only
//! after a different token holding at least that role approves it. In memory, bounded
//! (`policy.max_pending`), every entry expiring after `policy.confirm_ttl_secs`.
//!
//! Everything stored here that an approver sees (reason, command display) is already redacted
//! by the caller of [`Approvals::confirm`].

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::domain::{ApprovalMode, Role};

/// Where an approval stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ApprovalStatus {
    /// Waiting for an approver.
    Pending,
    /// Approved: the requester's next identical request with this token runs (once).
    Approved,
    /// Rejected: the requester's next request with this token is refused.
    Rejected,
}

/// One confirm token as an approver sees it. The command and reason are redacted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "token": "cf_4f1c9a0b2d3e5f60", "status": "pending", "ruleId": "git-push-force",
    "reason": "a force push rewrites shared history", "requester": "ci",
    "requesterRole": "operator", "command": "git push --force origin main",
    "approvalMode": "on-request", "requestedAtMs": 1767225600000_u64, "expiresInSecs": 284
}))]
pub struct Approval {
    /// The confirm token: approve or reject it with `/v1/approvals/{token}`.
    pub token: String,
    pub status: ApprovalStatus,
    /// The policy rule that asked for confirmation (`protected-path` for a file change).
    pub rule_id: String,
    /// Why the rule asks, redacted.
    pub reason: String,
    /// The name of the token that asked (never its value).
    pub requester: String,
    pub requester_role: Role,
    /// What would run (or which file change), redacted.
    pub command: String,
    /// The requester's approval mode when it asked.
    pub approval_mode: ApprovalMode,
    /// When it was asked for, in milliseconds since the Unix epoch.
    pub requested_at_ms: u64,
    /// Seconds until the token expires.
    pub expires_in_secs: u64,
    /// The approver who approved or rejected it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
}

/// What a request needing confirmation asks for; text already redacted.
pub struct Ask<'a> {
    pub requester: &'a Caller,
    pub rule_id: &'a str,
    pub reason: &'a str,
    pub display: &'a str,
    pub mode: ApprovalMode,
}

/// Why a request needing confirmation does not run (yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Resubmit with `token` — after `approver` approved it, when one is configured.
    Required {
        token: String,
        expires_in_secs: u64,
        approver: Option<Role>,
    },
    /// `token` is valid but nobody approved it yet.
    Awaiting {
        token: String,
        expires_in_secs: u64,
        approver: Role,
    },
    /// An approver rejected `token`; it is spent.
    Rejected { by: String },
}

/// Why an approver's action was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApprovalError {
    #[error(
        "no approver is configured (policy.approver_role): confirm tokens are confirmed by \
         resubmitting the request"
    )]
    NotConfigured,
    #[error("approving needs the {need} role (policy.approver_role); token `{who}` has {has}")]
    InsufficientRole {
        need: &'static str,
        who: String,
        has: &'static str,
    },
    #[error("no pending approval {0} (unknown, used or expired)")]
    NotFound(String),
    #[error(
        "token `{0}` asked for this confirmation and cannot approve it itself: another token \
         with the approver role must"
    )]
    SelfApproval(String),
    #[error("approval {token} was already rejected by `{by}`")]
    AlreadyRejected { token: String, by: String },
}

#[derive(Debug, Clone)]
enum State {
    Pending,
    Approved(String),
    Rejected(String),
}

struct Entry {
    binding: [u8; 32],
    expires: Instant,
    requested_at_ms: u64,
    requester: Caller,
    rule_id: String,
    reason: String,
    display: String,
    mode: ApprovalMode,
    state: State,
}

/// The confirm tokens in flight.
pub struct Approvals {
    entries: Mutex<HashMap<String, Entry>>,
    ttl: Duration,
    max: usize,
    approver: Option<Role>,
}

impl Approvals {
    pub fn new(ttl: Duration, max: usize, approver: Option<Role>) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            ttl,
            max: max.max(1),
            approver,
        }
    }

    pub fn approver(&self) -> Option<Role> {
        self.approver
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        // A panic while holding the lock leaves plain data behind; keep using it.
        let mut map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        map.retain(|_, e| e.expires > now);
        map
    }

    /// `Ok` when `token` confirms exactly `binding` (and, with an approver, was approved); the
    /// token is then spent. Otherwise why not, with the token to use: the same one while it
    /// waits for approval, else a fresh one.
    pub fn confirm(
        &self,
        binding: [u8; 32],
        token: Option<&str>,
        ask: Ask<'_>,
    ) -> Result<(), Refusal> {
        let mut map = self.lock();
        let left = |e: &Entry| {
            e.expires
                .saturating_duration_since(Instant::now())
                .as_secs()
        };
        if let Some(t) = token {
            if let Some(e) = map.get(t).filter(|e| e.binding == binding) {
                match (&e.state, self.approver) {
                    (_, None) | (State::Approved(_), Some(_)) => {
                        map.remove(t);
                        return Ok(());
                    }
                    (State::Pending, Some(approver)) => {
                        return Err(Refusal::Awaiting {
                            token: t.to_string(),
                            expires_in_secs: left(e),
                            approver,
                        })
                    }
                    (State::Rejected(by), Some(_)) => {
                        let by = by.clone();
                        map.remove(t);
                        return Err(Refusal::Rejected { by });
                    }
                }
            }
        }
        if let Some(approver) = self.approver {
            // One token per request while it waits: resubmitting does not flood approvers.
            let waiting = map
                .iter()
                .filter(|(_, e)| e.binding == binding)
                .find(|(_, e)| !matches!(e.state, State::Rejected(_)));
            if let Some((t, e)) = waiting {
                return Err(match e.state {
                    State::Pending => Refusal::Awaiting {
                        token: t.clone(),
                        expires_in_secs: left(e),
                        approver,
                    },
                    // Already approved: only the token is missing, nobody needs asking.
                    _ => Refusal::Required {
                        token: t.clone(),
                        expires_in_secs: left(e),
                        approver: None,
                    },
                });
            }
        }
        if map.len() >= self.max {
            // Full: the requester's own oldest goes first, so one caller asking in a loop
            // cannot push other callers' requests out of an approver's list.
            let own = |e: &&Entry| e.requester.name == ask.requester.name;
            let oldest = |only_own: bool| {
                map.iter()
                    .filter(|(_, e)| !only_own || own(e))
                    .min_by_key(|(_, e)| e.expires)
                    .map(|(k, _)| k.clone())
            };
            if let Some(victim) = oldest(true).or_else(|| oldest(false)) {
                map.remove(&victim);
            }
        }
        let token = format!("cf_{}", crate::telemetry::new_id());
        map.insert(
            token.clone(),
            Entry {
                binding,
                expires: Instant::now() + self.ttl,
                requested_at_ms: now_ms(),
                requester: ask.requester.clone(),
                rule_id: ask.rule_id.to_string(),
                reason: ask.reason.to_string(),
                display: ask.display.to_string(),
                mode: ask.mode,
                state: State::Pending,
            },
        );
        Err(Refusal::Required {
            token,
            expires_in_secs: self.ttl.as_secs(),
            approver: self.approver,
        })
    }

    fn may_approve(&self, who: &Caller) -> Result<(), ApprovalError> {
        let need = self.approver.ok_or(ApprovalError::NotConfigured)?;
        if who.role < need {
            return Err(ApprovalError::InsufficientRole {
                need: need.as_str(),
                who: who.name.clone(),
                has: who.role.as_str(),
            });
        }
        Ok(())
    }

    /// Every live confirm token, oldest first, for an approver.
    pub fn list(&self, who: &Caller) -> Result<Vec<Approval>, ApprovalError> {
        self.may_approve(who)?;
        let map = self.lock();
        let mut all: Vec<Approval> = map.iter().map(|(t, e)| view(t, e)).collect();
        all.sort_by(|a, b| (a.requested_at_ms, &a.token).cmp(&(b.requested_at_ms, &b.token)));
        Ok(all)
    }

    /// `who` approves `token`: the requester's next identical request with it runs once.
    pub fn approve(&self, token: &str, who: &Caller) -> Result<Approval, ApprovalError> {
        self.decide(token, who, true)
    }

    /// `who` rejects `token` (the requester may withdraw its own): the requester's next
    /// request with it is refused.
    pub fn reject(&self, token: &str, who: &Caller) -> Result<Approval, ApprovalError> {
        self.decide(token, who, false)
    }

    fn decide(&self, token: &str, who: &Caller, approve: bool) -> Result<Approval, ApprovalError> {
        self.may_approve(who)?;
        let mut map = self.lock();
        let e = map
            .get_mut(token)
            .ok_or_else(|| ApprovalError::NotFound(token.to_string()))?;
        if approve {
            if e.requester.name == who.name {
                return Err(ApprovalError::SelfApproval(who.name.clone()));
            }
            if let State::Rejected(by) = &e.state {
                return Err(ApprovalError::AlreadyRejected {
                    token: token.to_string(),
                    by: by.clone(),
                });
            }
            e.state = State::Approved(who.name.clone());
        } else {
            e.state = State::Rejected(who.name.clone());
        }
        Ok(view(token, e))
    }
}

fn view(token: &str, e: &Entry) -> Approval {
    let (status, decided_by) = match &e.state {
        State::Pending => (ApprovalStatus::Pending, None),
        State::Approved(by) => (ApprovalStatus::Approved, Some(by.clone())),
        State::Rejected(by) => (ApprovalStatus::Rejected, Some(by.clone())),
    };
    Approval {
        token: token.to_string(),
        status,
        rule_id: e.rule_id.clone(),
        reason: e.reason.clone(),
        requester: e.requester.name.clone(),
        requester_role: e.requester.role,
        command: e.display.clone(),
        approval_mode: e.mode,
        requested_at_ms: e.requested_at_ms,
        expires_in_secs: e
            .expires
            .saturating_duration_since(Instant::now())
            .as_secs(),
        decided_by,
    }
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn caller(name: &str, role: Role) -> Caller {
        Caller {
            name: name.into(),
            role,
        }
    }

    fn ask(c: &Caller) -> Ask<'_> {
        Ask {
            requester: c,
            rule_id: "r",
            reason: "why",
            display: "git push -f",
            mode: ApprovalMode::OnRequest,
        }
    }

    fn token_of(r: Result<(), Refusal>) -> String {
        match r {
            Err(Refusal::Required { token, .. }) | Err(Refusal::Awaiting { token, .. }) => token,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn without_an_approver_the_requester_confirms_once() {
        let a = Approvals::new(Duration::from_secs(60), 8, None);
        let op = caller("op", Role::Operator);
        let t = token_of(a.confirm([1; 32], None, ask(&op)));
        assert!(matches!(
            a.confirm([2; 32], Some(&t), ask(&op)),
            Err(Refusal::Required { .. })
        ));
        assert_eq!(a.confirm([1; 32], Some(&t), ask(&op)), Ok(()));
        assert!(
            a.confirm([1; 32], Some(&t), ask(&op)).is_err(),
            "single use"
        );
        assert_eq!(
            a.list(&caller("adm", Role::Admin)),
            Err(ApprovalError::NotConfigured)
        );
    }

    #[test]
    fn with_an_approver_a_token_waits_until_another_approves_it() {
        let a = Approvals::new(Duration::from_secs(60), 8, Some(Role::Admin));
        let op = caller("op", Role::Admin);
        let t = token_of(a.confirm([1; 32], None, ask(&op)));
        let waiting = a.confirm([1; 32], Some(&t), ask(&op));
        assert!(matches!(&waiting, Err(Refusal::Awaiting { token, .. }) if *token == t));
        assert_eq!(
            token_of(a.confirm([1; 32], None, ask(&op))),
            t,
            "no new token"
        );
        assert_eq!(
            a.approve(&t, &op),
            Err(ApprovalError::SelfApproval("op".into()))
        );
        assert!(matches!(
            a.approve(&t, &caller("lead", Role::Operator)),
            Err(ApprovalError::InsufficientRole { .. })
        ));
        let approved = a.approve(&t, &caller("boss", Role::Admin)).unwrap();
        assert_eq!(approved.status, ApprovalStatus::Approved);
        assert_eq!(approved.decided_by.as_deref(), Some("boss"));
        // Resubmitted without the token after approval: the same token, no approver to ask.
        assert!(matches!(
            a.confirm([1; 32], None, ask(&op)),
            Err(Refusal::Required { token, approver: None, .. }) if token == t
        ));
        assert_eq!(a.confirm([1; 32], Some(&t), ask(&op)), Ok(()));
        assert!(a.list(&caller("boss", Role::Admin)).unwrap().is_empty());
    }

    #[test]
    fn a_rejected_token_is_refused_once_then_a_new_request_asks_again() {
        let a = Approvals::new(Duration::from_secs(60), 8, Some(Role::Admin));
        let op = caller("op", Role::Operator);
        let t = token_of(a.confirm([1; 32], None, ask(&op)));
        a.reject(&t, &caller("boss", Role::Admin)).unwrap();
        assert_eq!(
            a.confirm([1; 32], Some(&t), ask(&op)),
            Err(Refusal::Rejected { by: "boss".into() })
        );
        assert_ne!(token_of(a.confirm([1; 32], None, ask(&op))), t);
    }

    #[test]
    fn the_store_keeps_at_most_max_pending_dropping_the_oldest() {
        let a = Approvals::new(Duration::from_secs(60), 2, Some(Role::Admin));
        let op = caller("op", Role::Operator);
        let first = token_of(a.confirm([1; 32], None, ask(&op)));
        std::thread::sleep(Duration::from_millis(5));
        token_of(a.confirm([2; 32], None, ask(&op)));
        token_of(a.confirm([3; 32], None, ask(&op)));
        let list = a.list(&caller("boss", Role::Admin)).unwrap();
        assert_eq!(list.len(), 2);
        assert!(list.iter().all(|e| e.token != first));
    }

    #[test]
    fn a_caller_asking_in_a_loop_pushes_out_only_its_own_requests() {
        let a = Approvals::new(Duration::from_secs(60), 3, Some(Role::Admin));
        let other = caller("other", Role::Operator);
        let kept = token_of(a.confirm([0; 32], None, ask(&other)));
        let flood = caller("flood", Role::Operator);
        for n in 1..=20u8 {
            token_of(a.confirm([n; 32], None, ask(&flood)));
        }
        let list = a.list(&caller("boss", Role::Admin)).unwrap();
        assert_eq!(list.len(), 3);
        assert!(list.iter().any(|e| e.token == kept), "{list:?}");
    }
}
