//! The exec service: turns a validated API request into a supervised execution and its result.
//!
//! This is where the seams meet, in this order for every request:
//! 1. validation and planning ([`ExecService::prepare`], `plan.rs`) — request → [`ExecSpec`];
//! 2. **policy** ([`seams::PolicyGate`]) — may refuse before anything is spawned;
//! 3. **sandbox** ([`seams::Sandbox`]) — builds the [`Jail`](crate::exec::Jail) for the child;
//! 4. the engine runs the child and emits events (`run.rs` buffered, `stream.rs` live);
//! 5. **output filter** ([`seams::OutputFilter`], `shape.rs`) — every output byte passes it
//!    before it is collected, streamed or logged (redaction plugs in here);
//! 6. **analysis** ([`analyze::Analyzer`]) — after exit, on the filtered output.
//!
//! | file | owns |
//! |---|---|
//! | `plan.rs` | validation and planning, the policy decision, the decision audit record |
//! | `run.rs` | buffered runs, results, the analysis stage, text filtering for other routes |
//! | `stream.rs` | streaming runs: events forwarded while the command runs |
//! | `chat.rs` | relaying an LLM's streamed answer through the same filter |
//! | `shape.rs` | output shaping: filter, caps (head + tail), UTF-8/base64, the idle flush |
//! | `workspace.rs` | workspace roots, per-token directories, `cwd` resolution |
//!
//! The service knows nothing about actix; the HTTP layer maps [`ServiceError`] to problems.
//! It is composed in `startup` from the seams it is given; it does not build its peers.

pub mod analyze;
pub mod approvals;
pub mod audit;
mod chat;
pub mod confine;
pub mod events;
pub mod file_types;
mod files;
mod identity;
mod jobs;
pub mod llm_analyzer;
mod plan;
pub mod policy_gate;
mod record;
pub mod redaction;
mod run;
pub mod seams;
pub mod selection;
mod shape;
mod stream;
pub mod types;
mod workspace;
mod workspaces;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tokio::sync::Semaphore;

use crate::auth::Caller;
use crate::config::{ExecSettings, LimitsSettings, Settings};
use crate::domain::{ApprovalMode, ModeSource, Role};
use crate::exec::interp::{self, Interpreter};
use crate::exec::{Enforced, Engine, ExecSpec};
use analyze::{AnalyzeMode, Analyzer};
pub use chat::ChatEvent;
pub use record::Frame;
use seams::{Confinement, OutputFilter, PolicyGate, Sandbox};
pub use shape::surely_fits;
use types::OutputEncoding;
use workspace::Workspace;

/// Why a request could not be run. Each variant maps to one problem code in the HTTP layer.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{0}")]
    Invalid(String),
    #[error("{message}")]
    UnsupportedLanguage {
        message: String,
        available: Vec<String>,
    },
    #[error("{message}")]
    UnsupportedShell {
        message: String,
        available: Vec<String>,
    },
    #[error("{0}")]
    InvalidCwd(String),
    #[error("{0}")]
    CwdOutsideWorkspace(String),
    #[error("{0}")]
    LimitNotAllowed(String),
    /// A requested limit cannot be enforced on this host (and `bestEffort` was not set).
    #[error("{0}")]
    LimitUnenforceable(String),
    #[error("{0}")]
    NetworkNotAllowed(String),
    /// `mode` is set when the caller's approval mode made the denial (`never`).
    #[error("denied by policy rule {rule_id}: {reason}")]
    PolicyDenied {
        rule_id: String,
        reason: String,
        mode: Option<ApprovalMode>,
    },
    #[error("policy rule {rule_id} needs a person to confirm: {reason}")]
    ConfirmationRequired {
        rule_id: String,
        reason: String,
        token: String,
        ttl_secs: u64,
        /// Who must approve the token first, when `policy.approver_role` is set.
        approver: Option<Role>,
        mode: ApprovalMode,
    },
    /// The confirm token is valid but no approver has approved it yet.
    #[error("confirm token {token} awaits approval by a token with the {} role", approver.as_str())]
    AwaitingApproval {
        rule_id: String,
        reason: String,
        token: String,
        expires_in_secs: u64,
        approver: Role,
    },
    /// An approver rejected the confirm token.
    #[error("the confirmation for policy rule {rule_id} was rejected by `{by}`")]
    ApprovalRejected { rule_id: String, by: String },
    /// An approver's action was refused.
    #[error(transparent)]
    Approval(#[from] approvals::ApprovalError),
    #[error("{0}")]
    FeatureDisabled(String),
    #[error("{0} commands are running; none finished within the queue timeout")]
    Busy(usize),
    #[error(
        "this token already runs {0} commands (exec.max_concurrent_per_token); none finished \
         within the queue timeout"
    )]
    QuotaExceeded(usize),
    #[error(
        "this token may start {per_minute} commands per minute (exec.max_per_token_per_minute); \
         retry in {retry_after_secs} s"
    )]
    RateLimited {
        per_minute: u64,
        retry_after_secs: u64,
    },
    #[error("the audit log cannot be written and audit.required is set")]
    AuditUnavailable,
    #[error("the server is shutting down")]
    ShuttingDown,
    /// The client hung up before its command got a slot; nothing ran.
    #[error("the client closed the connection before the command started")]
    ClientGone,
    #[error("no job {0} (or not yours)")]
    JobNotFound(String),
    #[error("job {id} is already {status}")]
    JobFinished {
        id: String,
        status: crate::jobs::JobStatus,
    },
    #[error(
        "this token already has {0} jobs queued or running (jobs.max_queued_per_token); wait \
         for one to finish"
    )]
    TooManyJobs(usize),
    #[error("{0}; raise jobs.max_store_bytes or lower jobs.retention_secs")]
    StoreFull(String),
    /// A file operation the workspace refused (path, type, version, quota …).
    #[error(transparent)]
    Files(#[from] crate::files::FileError),
    #[error("no workspace {0} (or not yours)")]
    WorkspaceNotFound(String),
    #[error("{0}")]
    TooManyWorkspaces(String),
    /// The caller's role may not do this.
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    RedactionMarker(String),
    #[error("{0}")]
    PatchInvalid(String),
    /// Hunks that did not apply (already redacted); nothing changed.
    #[error("{} hunk(s) do not apply; nothing was changed", .0.len())]
    PatchConflict(Vec<crate::error::PatchConflict>),
    #[error("{0}")]
    TooLarge(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// A request that passed validation and policy, ready to run.
pub struct Prepared {
    pub id: String,
    pub spec: ExecSpec,
    pub encoding: OutputEncoding,
    /// A display form of what runs, for logs (never the environment or stdin).
    pub display: String,
    pub confinement: Confinement,
    pub analyze: AnalyzeMode,
    /// Filled in when the command starts: what confines it.
    pub(crate) enforced: Vec<Enforced>,
    pub(crate) caller: Caller,
}

/// Shared exec state: engine, limits, seams.
pub struct ExecService {
    engine: Arc<Engine>,
    settings: ExecSettings,
    limits: LimitsSettings,
    workspace: Workspace,
    identities: identity::Identities,
    interpreters: Vec<Interpreter>,
    slots: Arc<Semaphore>,
    /// Each token's own slots, made on its first request (tokens are configured, so few).
    token_slots: std::sync::Mutex<std::collections::HashMap<String, Arc<Semaphore>>>,
    /// Each token's rate bucket: (commands left, when it was last refilled).
    token_rates: std::sync::Mutex<std::collections::HashMap<String, (f64, std::time::Instant)>>,
    shutting_down: AtomicBool,
    features: crate::config::FeatureSettings,
    audit: Option<audit::AuditLog>,
    jobs: Arc<record::Jobs>,
    /// Refuse commands whose decision record cannot be written (`audit.required`).
    audit_required: bool,
    /// Confirm tokens in flight and their approvals.
    approvals: approvals::Approvals,
    /// Approval modes: the server default, by role, by token name.
    modes: Modes,
    policy: Arc<dyn PolicyGate>,
    sandbox: Arc<dyn Sandbox>,
    filter: Arc<dyn OutputFilter>,
    /// CPU time one request's output filtering may use (`redaction.cpu_budget_ms`; zero: no
    /// limit).
    filter_budget: std::time::Duration,
    analyzer: Arc<dyn Analyzer>,
    files: files::FilesState,
}

/// Who gets which approval mode.
struct Modes {
    default: ApprovalMode,
    roles: std::collections::BTreeMap<Role, ApprovalMode>,
    tokens: std::collections::HashMap<String, ApprovalMode>,
}

impl Modes {
    /// A token's own mode beats its role's, which beats the server default.
    fn of(&self, caller: &Caller) -> (ApprovalMode, ModeSource) {
        if let Some(m) = self.tokens.get(&caller.name) {
            (*m, ModeSource::Token)
        } else if let Some(m) = self.roles.get(&caller.role) {
            (*m, ModeSource::Role)
        } else {
            (self.default, ModeSource::Default)
        }
    }
}

/// The seams an [`ExecService`] is built with.
pub struct Seams {
    pub policy: Arc<dyn PolicyGate>,
    pub sandbox: Arc<dyn Sandbox>,
    pub filter: Arc<dyn OutputFilter>,
    pub analyzer: Arc<dyn Analyzer>,
    /// The LLM provider router, shared by the analyzer and the chat/model endpoints.
    pub router: Arc<crate::llm::Router>,
    /// Where jobs are kept.
    pub jobs: Arc<dyn crate::jobs::JobStore>,
}

impl ExecService {
    pub fn new(settings: &Settings, seams: Seams) -> anyhow::Result<Self> {
        let path = std::env::var("PATH").unwrap_or_else(|_| "/usr/local/bin:/usr/bin:/bin".into());
        let identities = identity::from_settings(&settings.limits, &settings.state_dir())?;
        // Children that run as another user need interpreters that user can reach.
        let interpreters = interp::detect(&path, identities.drops_privileges());
        let exec = settings.exec.clone();
        let workspace = Workspace::new(&exec, &settings.workspace)?;
        let first_root = workspace
            .roots
            .first()
            .cloned()
            .unwrap_or_else(|| workspace.default_cwd.clone());
        let files = files::FilesState::new(settings, &first_root)?;
        Ok(Self {
            engine: Engine::new(),
            slots: Arc::new(Semaphore::new(exec.max_concurrent)),
            token_slots: Default::default(),
            token_rates: Default::default(),
            interpreters,
            workspace,
            identities,
            limits: settings.limits.clone(),
            shutting_down: AtomicBool::new(false),
            features: settings.features,
            audit: settings.audit.enabled.then(|| {
                let path = if settings.audit.file.is_empty() {
                    settings.state_dir().join("audit.log")
                } else {
                    PathBuf::from(&settings.audit.file)
                };
                audit::AuditLog::new(path, settings.audit.max_bytes, settings.audit.keep)
            }),
            audit_required: settings.audit.enabled && settings.audit.required,
            approvals: approvals::Approvals::new(
                std::time::Duration::from_secs(settings.policy.confirm_ttl_secs),
                settings.policy.max_pending,
                settings.policy.approver(),
            ),
            modes: Modes {
                default: settings.policy.approval,
                roles: settings.policy.approval_roles.clone(),
                tokens: settings
                    .auth
                    .tokens
                    .iter()
                    .filter_map(|t| t.approval.map(|m| (t.name.clone(), m)))
                    .collect(),
            },
            jobs: Arc::new(record::Jobs::new(seams.jobs, settings.jobs.clone())),
            policy: seams.policy,
            sandbox: seams.sandbox,
            filter: seams.filter,
            filter_budget: std::time::Duration::from_millis(settings.redaction.cpu_budget_ms),
            analyzer: seams.analyzer,
            files,
            settings: exec,
        })
    }

    /// A fresh filtering budget for one request.
    fn filter_budget(&self) -> shape::Budget {
        shape::Budget::new(self.filter_budget)
    }

    /// The output filter for one stream of a request, charged to `budget`.
    fn filtering(&self, budget: &shape::Budget) -> shape::Filtering {
        shape::Filtering::new(self.filter.stream(), budget.clone())
    }

    pub fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }

    pub fn interpreters(&self) -> &[Interpreter] {
        &self.interpreters
    }

    pub fn shells(&self) -> &[String] {
        &self.settings.shells
    }

    pub fn max_concurrent(&self) -> usize {
        self.settings.max_concurrent
    }

    pub fn sandbox_description(&self) -> String {
        self.sandbox.describe()
    }

    /// Who commands run as and which isolation layers they get, for `/readyz`.
    pub fn isolation(&self) -> (String, seams::IsolationReport) {
        (self.identities.describe(), self.sandbox.isolation())
    }

    pub fn policy_description(&self) -> String {
        self.policy.describe()
    }

    /// The audit log's path and failed writes, or `None` when auditing is off.
    pub fn audit_health(&self) -> Option<audit::AuditHealth> {
        self.audit.as_ref().map(audit::AuditLog::health)
    }

    /// Whether commands are refused because their records cannot be written.
    pub fn audit_blocks(&self) -> bool {
        self.audit_required && self.audit_health().is_some_and(|h| !h.writable)
    }

    pub fn analyzer_description(&self) -> String {
        self.analyzer.describe()
    }

    pub fn workspace_roots(&self) -> Vec<String> {
        self.workspace
            .roots
            .iter()
            .map(|r| r.display().to_string())
            .collect()
    }

    pub fn limits_settings(&self) -> &LimitsSettings {
        &self.limits
    }

    /// Refuse new work and kill whatever still runs. Called once the HTTP server stopped.
    pub fn shutdown(&self) -> usize {
        self.shutting_down.store(true, Ordering::SeqCst);
        self.slots.close();
        if let Ok(map) = self.token_slots.lock() {
            map.values().for_each(|s| s.close());
        }
        let killed = self.engine.kill_all();
        self.sandbox.shutdown();
        killed
    }

    pub fn features(&self) -> crate::config::FeatureSettings {
        self.features
    }

    /// Re-read the policy (SIGHUP or the admin endpoint); the old one stays on error.
    pub fn reload_policy(&self) -> Result<String, String> {
        self.policy.reload()
    }

    pub fn is_shutting_down(&self) -> bool {
        self.shutting_down.load(Ordering::SeqCst)
    }

    pub fn begin_shutdown(&self) {
        self.shutting_down.store(true, Ordering::SeqCst);
    }
}

impl From<crate::jobs::StoreError> for ServiceError {
    fn from(e: crate::jobs::StoreError) -> Self {
        use crate::jobs::StoreError;
        match e {
            StoreError::NotFound(id) => ServiceError::JobNotFound(id),
            e @ StoreError::Full { .. } => ServiceError::StoreFull(e.to_string()),
            e @ StoreError::Io { .. } => ServiceError::Internal(anyhow::Error::new(e)),
        }
    }
}
