//! The four seams later work plugs into, with their foundation defaults.
//!
//! - [`PolicyGate`]: [policy] — decides before spawn.
//! - [`Sandbox`]: [limits] — builds the child's [`Jail`].
//! - [`OutputFilter`]: [redaction] — every output byte passes through a [`StreamFilter`].
//! - analysis: [analysis] — runs on the filtered result after exit (wired in the service).

use std::path::{Path, PathBuf};

use crate::auth::Caller;
use crate::domain::limits::{LimitSet, Network};
use crate::exec::{Jail, NoJail};

/// What the policy sees of a request, after planning.
pub struct PolicySubject<'a> {
    /// The program that will be executed (a shell, an interpreter, or `argv[0]`).
    pub program: &'a str,
    pub args: &'a [String],
    /// The shell text, when the request was a `command`.
    pub command: Option<&'a str>,
    /// `(code, language)`, when the request was code.
    pub code: Option<(&'a str, &'a str)>,
    pub cwd: &'a Path,
    /// The child's final environment.
    pub env: &'a [(String, String)],
    pub caller: &'a Caller,
    /// The caller's approval mode, which the gate applies to its decision.
    pub mode: crate::domain::ApprovalMode,
}

/// A policy decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyVerdict {
    Allow,
    Deny {
        rule_id: String,
        reason: String,
    },
    /// Allowed once a person confirms (the service's confirm tokens and approvals).
    Confirm {
        rule_id: String,
        reason: String,
    },
}

pub trait PolicyGate: Send + Sync {
    /// The verdict under the subject's approval mode.
    fn check(&self, subject: &PolicySubject<'_>) -> PolicyVerdict;
    /// One line for `/readyz`.
    fn describe(&self) -> String;
    /// Re-read the policy; `Err` keeps the old one.
    fn reload(&self) -> Result<String, String> {
        Err("this server has no policy file to reload".to_string())
    }
    /// The full decision, for the dry run.
    fn explain(&self, _subject: &PolicySubject<'_>) -> Option<crate::policy::Decision> {
        None
    }
}

/// Foundation default: no policy file; everything a valid token asks for runs.
pub struct AllowAll;

impl PolicyGate for AllowAll {
    fn check(&self, _: &PolicySubject<'_>) -> PolicyVerdict {
        PolicyVerdict::Allow
    }
    fn describe(&self) -> String {
        "none (every authorized command runs)".to_string()
    }
}

/// What the sandbox must enforce for one request (validated by the service).
#[derive(Debug, Clone)]
pub struct Confinement {
    pub limits: LimitSet,
    pub network: Network,
    /// The `(uid, gid)` the command runs as; `None` = the server's own.
    pub run_as: Option<(u32, u32)>,
    /// Where the command may write besides its private `/tmp`: the caller's workspace.
    pub writable: Vec<PathBuf>,
}

/// Which isolation layers every command gets, and which the host cannot provide.
#[derive(Debug, Clone, Default)]
pub struct IsolationReport {
    pub active: Vec<String>,
    /// Each with the reason, e.g. "landlock: this kernel has no Landlock".
    pub missing: Vec<String>,
}

pub trait Sandbox: Send + Sync {
    /// Prepare confinement for one child.
    fn jail(&self, confinement: &Confinement) -> anyhow::Result<Box<dyn Jail>>;
    /// One line for `/readyz`, e.g. the detected cgroup mode.
    fn describe(&self) -> String;
    /// The isolation layers, for `/readyz`.
    fn isolation(&self) -> IsolationReport {
        IsolationReport::default()
    }
    /// Why the cgroup limits (`memory`, `pids`, `cpu`) cannot be enforced, if they cannot.
    fn cgroup_limits_missing(&self) -> Option<String> {
        Some("this sandbox has no cgroups".to_string())
    }
    /// Why `network: none` cannot be enforced, if it cannot.
    fn network_none_missing(&self) -> Option<String> {
        Some("this sandbox has no network namespaces".to_string())
    }
    /// Whether each command gets a private `/tmp` (then its `HOME` can be there).
    fn private_tmp(&self) -> bool {
        false
    }
    /// Kill and release everything (server shutdown).
    fn shutdown(&self) {}
}

/// No kernel confinement: process group, timeout and output cap only (tests and hosts where
/// `limits.cgroups = "off"` is wanted without rlimits either).
pub struct NoSandbox;

impl Sandbox for NoSandbox {
    fn jail(&self, _: &Confinement) -> anyhow::Result<Box<dyn Jail>> {
        Ok(Box::new(NoJail))
    }
    fn describe(&self) -> String {
        "none (process groups, wall-time and output limits only)".to_string()
    }
}

/// Per-stream output transformation. Implementations may hold bytes back (e.g. a partial line
/// that could be the start of a secret) but must release them on `flush`.
pub trait StreamFilter: Send {
    fn push(&mut self, chunk: &[u8]) -> Vec<u8>;
    fn flush(&mut self) -> Vec<u8>;
    /// What may go out now that the stream has been quiet for a while. No default: releasing
    /// everything here is how a secret arriving slowly leaves in pieces no rule matches, so
    /// each filter says what is safe.
    fn idle_flush(&mut self) -> Vec<u8>;
    /// Bytes currently held back.
    fn held(&self) -> usize;
    /// What this filter changed so far, by rule id (e.g. redactions).
    fn counts(&self) -> std::collections::BTreeMap<String, u64> {
        std::collections::BTreeMap::new()
    }
}

pub trait OutputFilter: Send + Sync {
    fn stream(&self) -> Box<dyn StreamFilter>;
}

/// Foundation default: bytes pass unchanged.
pub struct Passthrough;

struct PassthroughStream;

impl StreamFilter for PassthroughStream {
    fn push(&mut self, chunk: &[u8]) -> Vec<u8> {
        chunk.to_vec()
    }
    fn flush(&mut self) -> Vec<u8> {
        Vec::new()
    }
    fn idle_flush(&mut self) -> Vec<u8> {
        Vec::new()
    }
    fn held(&self) -> usize {
        0
    }
}

impl OutputFilter for Passthrough {
    fn stream(&self) -> Box<dyn StreamFilter> {
        Box::new(PassthroughStream)
    }
}
