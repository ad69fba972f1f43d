//! The exec service: turns a validated API request into a supervised execution and its result.
//!
//! This is where the seams meet, in this order for every request:
//! 1. validation and planning ([`ExecService::prepare`]) — request → [`ExecSpec`];
//! 2. **policy** ([`seams::PolicyGate`]) — may refuse before anything is spawned;
//! 3. **sandbox** ([`seams::Sandbox`]) — builds the [`Jail`](crate::exec::Jail) for the child;
//! 4. the engine runs the child and emits events;
//! 5. **output filter** ([`seams::OutputFilter`]) — every output byte passes it before it is
//!    collected, streamed or logged (redaction plugs in here);
//! 6. **analysis** — after exit, on the filtered output ([analysis] plugs in here: see
//!    `ARCHITECTURE.md`).
//!
//! The service knows nothing about actix; the HTTP layer maps [`ServiceError`] to problems.

pub mod analyze;
pub mod audit;
pub mod confine;
pub mod llm_analyzer;
pub mod policy_gate;
pub mod redaction;
pub mod seams;
pub mod selection;
pub mod types;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};

use crate::auth::Caller;
use crate::domain::Role;
use crate::config::{ExecSettings, LimitsSettings, Settings, WorkspaceSettings};
use crate::exec::interp::{self, Interpreter};
use crate::exec::output::{Collector, Utf8Decoder};
use crate::exec::{env, signal_name, Enforced, Engine, ExecEvent, ExecSpec, ExitInfo};
use crate::exec::{SpawnError, Stream};
use analyze::{AnalysisInput, AnalyzeMode, Analyzer};
use crate::domain::limits::{self, Network};
use seams::{Confinement, OutputFilter, PolicyGate, PolicyVerdict, Sandbox, StreamFilter};
use types::{ExecRequest, ExecResult, ExitSummary, OmittedRange, OutputEncoding, StreamEvent};

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
    #[error("{0}")]
    NetworkNotAllowed(String),
    #[error("denied by policy rule {rule_id}: {reason}")]
    PolicyDenied { rule_id: String, reason: String },
    #[error("policy rule {rule_id} needs a person to confirm: {reason}")]
    ConfirmationRequired {
        rule_id: String,
        reason: String,
        token: String,
        ttl_secs: u64,
    },
    #[error("{0}")]
    FeatureDisabled(String),
    #[error("{0} commands are running; none finished within the queue timeout")]
    Busy(usize),
    #[error("the server is shutting down")]
    ShuttingDown,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

enum Planned {
    Run(Box<Prepared>),
    Checked(crate::policy::Decision),
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
    enforced: Vec<Enforced>,
    caller: Caller,
}

/// Shared exec state: engine, limits, seams.
pub struct ExecService {
    engine: Arc<Engine>,
    settings: ExecSettings,
    limits: LimitsSettings,
    workspace: Workspace,
    interpreters: Vec<Interpreter>,
    slots: Arc<Semaphore>,
    shutting_down: AtomicBool,
    features: crate::config::FeatureSettings,
    audit: Option<audit::AuditLog>,
    confirm_ttl_secs: u64,
    policy: Arc<dyn PolicyGate>,
    sandbox: Arc<dyn Sandbox>,
    filter: Arc<dyn OutputFilter>,
    analyzer: Arc<dyn Analyzer>,
    idle_flush: Duration,
}

/// The seams an [`ExecService`] is built with.
pub struct Seams {
    pub policy: Arc<dyn PolicyGate>,
    pub sandbox: Arc<dyn Sandbox>,
    pub filter: Arc<dyn OutputFilter>,
    pub analyzer: Arc<dyn Analyzer>,
    /// The LLM provider router, shared by the analyzer and the chat/model endpoints.
    pub router: Arc<crate::llm::Router>,
}

impl ExecService {
    pub fn new(settings: &Settings, seams: Seams) -> anyhow::Result<Self> {
        let path = std::env::var("PATH").unwrap_or_else(|_| "/usr/local/bin:/usr/bin:/bin".into());
        // Children that run as another user need interpreters that user can reach.
        let world = seams.sandbox.child_owner().is_some();
        let interpreters = interp::detect(&path, world);
        let exec = settings.exec.clone();
        let workspace = Workspace::new(&exec, &settings.workspace, seams.sandbox.child_owner())?;
        Ok(Self {
            engine: Engine::new(),
            slots: Arc::new(Semaphore::new(exec.max_concurrent)),
            interpreters,
            workspace,
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
            confirm_ttl_secs: settings.policy.confirm_ttl_secs,
            policy: seams.policy,
            sandbox: seams.sandbox,
            filter: seams.filter,
            analyzer: seams.analyzer,
            idle_flush: Duration::from_millis(50),
            settings: exec,
        })
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

    pub fn policy_description(&self) -> String {
        self.policy.describe()
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
        let killed = self.engine.kill_all();
        self.sandbox.shutdown();
        killed
    }

    fn audit(&self, record: audit::AuditRecord<'_>) {
        if let Some(log) = &self.audit {
            log.write(&record);
        }
    }

    fn audit_outcome(&self, prepared: &Prepared, exit: &ExitInfo) {
        self.audit(audit::AuditRecord {
            ts_ms: audit::AuditLog::now_ms(),
            kind: "outcome",
            request_id: &crate::telemetry::current_request_id().unwrap_or_default(),
            exec_id: &prepared.id,
            who: &prepared.caller.name,
            role: prepared.caller.role.as_str(),
            what: &prepared.display,
            cwd: &prepared.spec.cwd.display().to_string(),
            decision: if exit.cancelled { "cancelled" } else { "ran" },
            rule_id: "",
            exit_code: Some(exit.exit_code),
            limit: exit.limit.map(crate::exec::LimitHit::as_str),
            duration_ms: Some(exit.duration.as_millis() as u64),
        });
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

    /// Validate, plan and policy-check a request.
    pub fn prepare(&self, req: ExecRequest, caller: &Caller) -> Result<Prepared, ServiceError> {
        match self.plan(req, caller, false)? {
            Planned::Run(p) => Ok(*p),
            Planned::Checked(_) => Err(ServiceError::Internal(anyhow::anyhow!("dry run planned"))),
        }
    }

    /// `/v1/policy/check`: plan the request like exec would and return the policy decision,
    /// without running anything.
    pub fn check_policy(
        &self,
        req: ExecRequest,
        caller: &Caller,
    ) -> Result<crate::policy::Decision, ServiceError> {
        match self.plan(req, caller, true)? {
            Planned::Checked(d) => Ok(d),
            Planned::Run(_) => Err(ServiceError::Internal(anyhow::anyhow!("not a dry run"))),
        }
    }

    fn plan(
        &self,
        req: ExecRequest,
        caller: &Caller,
        dry_run: bool,
    ) -> Result<Planned, ServiceError> {
        if self.shutting_down.load(Ordering::SeqCst) && !dry_run {
            return Err(ServiceError::ShuttingDown);
        }
        if !self.features.exec && !dry_run {
            return Err(ServiceError::FeatureDisabled(
                "running commands is switched off on this server (features.exec)".into(),
            ));
        }
        if req.code.is_some() && !self.features.code {
            return Err(ServiceError::FeatureDisabled(
                "running code snippets is switched off on this server (features.code)".into(),
            ));
        }
        let s = &self.settings;
        let invalid = |m: String| Err(ServiceError::Invalid(m));
        let given = [
            req.command.is_some(),
            req.argv.is_some(),
            req.code.is_some(),
        ];
        if given.iter().filter(|g| **g).count() != 1 {
            return invalid(
                "give exactly one of `command` (a shell string), `argv` (a program and its \
                 arguments) or `code` with `language`"
                    .into(),
            );
        }
        if req.shell.is_some() && req.command.is_none() {
            return invalid("`shell` applies only to `command`".into());
        }
        if req.language.is_some() && req.code.is_none() {
            return invalid("`language` applies only to `code`".into());
        }
        let (program, args, display) = if let Some(command) = &req.command {
            if command.trim().is_empty() {
                return invalid("`command` is empty".into());
            }
            let shell = self.resolve_shell(req.shell.as_deref())?;
            (
                shell,
                vec!["-c".to_string(), command.clone()],
                command.clone(),
            )
        } else if let Some(argv) = &req.argv {
            let Some((first, rest)) = argv.split_first() else {
                return invalid("`argv` must name a program".into());
            };
            if first.is_empty() {
                return invalid("`argv[0]` is empty".into());
            }
            (first.clone(), rest.to_vec(), argv.join(" "))
        } else {
            let code = req.code.clone().unwrap_or_default();
            let Some(language) = req.language.as_deref() else {
                return invalid("`code` needs `language`".into());
            };
            if code.len() > s.max_code_bytes {
                return invalid(format!(
                    "`code` is {} bytes; the limit is {} (exec.max_code_bytes)",
                    code.len(),
                    s.max_code_bytes
                ));
            }
            let Some(interp) = self.interpreters.iter().find(|i| i.language == language) else {
                return Err(ServiceError::UnsupportedLanguage {
                    message: format!("no interpreter for language `{language}` on this server"),
                    available: self.languages(),
                });
            };
            let program = interp.path.to_string_lossy().into_owned();
            let display = format!("<{language} code, {} bytes>", code.len());
            (program, vec![interp.inline_flag.to_string(), code], display)
        };
        let nul = |s: &str| s.contains('\0');
        if nul(&program) || args.iter().any(|a| nul(a)) {
            return invalid("command text must not contain NUL bytes".into());
        }
        let request_env = req.env.clone().unwrap_or_default();
        for (k, v) in &request_env {
            if !env::valid_name(k) {
                return invalid(format!("`env` has an invalid variable name {k:?}"));
            }
            if nul(v) {
                return invalid(format!("`env.{k}` contains a NUL byte"));
            }
        }
        let stdin = req.stdin.clone().map(String::into_bytes);
        if let Some(data) = &stdin {
            if data.len() > s.max_stdin_bytes {
                return invalid(format!(
                    "`stdin` is {} bytes; the limit is {} (exec.max_stdin_bytes)",
                    data.len(),
                    s.max_stdin_bytes
                ));
            }
        }
        let timeout_ms = req.timeout_ms.unwrap_or(s.default_timeout_ms);
        if timeout_ms == 0 || timeout_ms > s.max_timeout_ms {
            return invalid(format!(
                "`timeoutMs` must be between 1 and {} (exec.max_timeout_ms)",
                s.max_timeout_ms
            ));
        }
        let cwd = self.workspace.resolve(req.cwd.as_deref(), caller)?;
        let admin = caller.role == Role::Admin;
        let request_limits = req.limits.clone().unwrap_or_default();
        let limits = limits::effective(
            &self.limits.default,
            &self.limits.max,
            &request_limits,
            admin,
        )
        .map_err(|e| match e {
            limits::LimitError::RaiseForbidden { .. } => {
                ServiceError::LimitNotAllowed(e.to_string())
            }
            _ => ServiceError::Invalid(e.to_string()),
        })?;
        let network = self.network_for(req.network, caller.role)?;
        let mut child_env = env::build(
            std::env::vars(),
            &s.env_passthrough,
            &s.env_set,
            &request_env,
        );
        if self.sandbox.child_owner().is_some() {
            for (k, v) in child_env.iter_mut() {
                if k == "PATH" {
                    *v = env::world_searchable_path(v);
                }
            }
        }

        let subject = seams::PolicySubject {
            program: &program,
            args: &args,
            command: req.command.as_deref(),
            code: req.code.as_deref().zip(req.language.as_deref()),
            cwd: &cwd,
            env: &child_env,
            caller,
        };
        if dry_run {
            let decision =
                self.policy
                    .explain(&subject)
                    .unwrap_or_else(|| crate::policy::Decision {
                        decision: crate::policy::Action::Allow,
                        rule_id: "no-policy".into(),
                        reason: self.policy.describe(),
                        commands: Vec::new(),
                    });
            return Ok(Planned::Checked(decision));
        }
        let exec_id = format!("ex_{}", crate::telemetry::new_id());
        let display = self.filter_text(&display);
        let verdict = self.policy.check(&subject);
        let (decision, rule_id) = match &verdict {
            PolicyVerdict::Allow => ("allow", "".to_string()),
            PolicyVerdict::Deny { rule_id, .. } => ("deny", rule_id.clone()),
            PolicyVerdict::Confirm { rule_id, .. } => ("confirm", rule_id.clone()),
        };
        let mut decision = decision;
        let outcome = match verdict {
            PolicyVerdict::Allow => Ok(()),
            PolicyVerdict::Deny { rule_id, reason } => {
                Err(ServiceError::PolicyDenied { rule_id, reason })
            }
            PolicyVerdict::Confirm { rule_id, reason } => {
                // Bound to everything that decides what runs, including stdin, limits, timeout.
                let extra = format!(
                    "{:?}|{:?}|{timeout_ms}|{:?}|{:?}",
                    stdin, req.limits, req.network, req.shell
                );
                match self
                    .policy
                    .confirm(&subject, &extra, req.confirm_token.as_deref())
                {
                    Ok(()) => {
                        decision = "confirmed";
                        Ok(())
                    }
                    Err(token) => Err(ServiceError::ConfirmationRequired {
                        rule_id,
                        reason,
                        token,
                        ttl_secs: self.confirm_ttl_secs,
                    }),
                }
            }
        };
        self.audit(audit::AuditRecord {
            ts_ms: audit::AuditLog::now_ms(),
            kind: "decision",
            request_id: &crate::telemetry::current_request_id().unwrap_or_default(),
            exec_id: &exec_id,
            who: &caller.name,
            role: caller.role.as_str(),
            what: &display,
            cwd: &cwd.display().to_string(),
            decision,
            rule_id: &rule_id,
            exit_code: None,
            limit: None,
            duration_ms: None,
        });
        outcome?;

        let spec = ExecSpec {
            program,
            args,
            cwd,
            env: child_env,
            stdin,
            timeout: Duration::from_millis(timeout_ms),
            kill_grace: Duration::from_millis(s.kill_grace_ms),
            drain: Duration::from_millis(s.drain_ms),
            max_output_bytes: match limits.output_bytes {
                0 => u64::MAX,
                n => n,
            },
        };
        Ok(Planned::Run(Box::new(Prepared {
            id: exec_id,
            spec,
            encoding: req.output_encoding.unwrap_or_default(),
            display,
            confinement: Confinement {
                limits,
                network,
                admin,
            },
            analyze: req.analyze.unwrap_or_default(),
            enforced: Vec::new(),
            caller: caller.clone(),
        })))
    }

    fn network_for(&self, requested: Option<Network>, role: Role) -> Result<Network, ServiceError> {
        let may_use_host = self.limits.network_host_roles.contains(&role);
        match requested {
            Some(Network::Host) if !may_use_host => Err(ServiceError::NetworkNotAllowed(format!(
                "the {} role may not use the host network (limits.network_host_roles)",
                role.as_str()
            ))),
            Some(n) => Ok(n),
            None if self.limits.network_default == Network::Host && may_use_host => {
                Ok(Network::Host)
            }
            None => Ok(Network::None),
        }
    }

    fn languages(&self) -> Vec<String> {
        self.interpreters
            .iter()
            .map(|i| i.language.to_string())
            .collect()
    }

    fn resolve_shell(&self, requested: Option<&str>) -> Result<String, ServiceError> {
        let shells = &self.settings.shells;
        let Some(want) = requested else {
            return Ok(shells.first().cloned().unwrap_or_else(|| "/bin/sh".into()));
        };
        let found = shells.iter().find(|s| {
            s.as_str() == want || Path::new(s).file_name().and_then(|f| f.to_str()) == Some(want)
        });
        found
            .cloned()
            .ok_or_else(|| ServiceError::UnsupportedShell {
                message: format!("shell `{want}` is not allowed (exec.shells)"),
                available: shells.clone(),
            })
    }

    async fn acquire(&self) -> Result<OwnedSemaphorePermit, ServiceError> {
        let wait = Duration::from_millis(self.settings.queue_timeout_ms);
        match tokio::time::timeout(wait, self.slots.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            Ok(Err(_)) => Err(ServiceError::ShuttingDown),
            Err(_) => Err(ServiceError::Busy(self.settings.max_concurrent)),
        }
    }

    fn start(
        &self,
        prepared: &mut Prepared,
    ) -> Result<Option<crate::exec::Execution>, ServiceError> {
        let jail = self
            .sandbox
            .jail(&mut prepared.spec, &prepared.confinement)
            .map_err(ServiceError::Internal)?;
        let s = &prepared.spec;
        let mut enforced = vec![
            Enforced::new("process_group", None, "supervisor"),
            Enforced::new(
                "wall_time",
                Some(s.timeout.as_millis() as u64),
                "supervisor",
            ),
        ];
        if s.max_output_bytes != u64::MAX {
            enforced.push(Enforced::new(
                "output",
                Some(s.max_output_bytes),
                "supervisor",
            ));
        }
        enforced.extend(jail.enforced());
        prepared.enforced = enforced;
        match self.engine.start(prepared.spec.clone(), jail) {
            Ok(execution) => Ok(Some(execution)),
            // A program that cannot be executed is the command's failure, not the request's:
            // it is reported like a shell would (127 / 126).
            Err(SpawnError::NotFound(_) | SpawnError::PermissionDenied(_)) => Ok(None),
            Err(e) => Err(ServiceError::Internal(anyhow::Error::new(e))),
        }
    }

    /// Run to completion and return the buffered result.
    #[tracing::instrument(skip_all, fields(exec_id = %prepared.id, caller = %prepared.caller.name))]
    pub async fn run(&self, mut prepared: Prepared) -> Result<ExecResult, ServiceError> {
        let _permit = self.acquire().await?;
        tracing::info!(command = %prepared.display, "exec");
        let inline = self.settings.inline_output_bytes;
        let mut out = Shaper::new(self.filter.stream(), Collector::new(inline));
        let mut err = Shaper::new(self.filter.stream(), Collector::new(inline));
        let Some(mut execution) = self.start(&mut prepared)? else {
            let (mut result, input) = self.unstartable(&prepared, out, err);
            result.ai_analysis = self.analysis_for(&prepared, input).await;
            return Ok(result);
        };
        let mut exit = None;
        while let Some(event) = execution.events.recv().await {
            match event {
                ExecEvent::Started { .. } => {}
                ExecEvent::Stdout(chunk) => out.push(&chunk),
                ExecEvent::Stderr(chunk) => err.push(&chunk),
                ExecEvent::Exit(info) => exit = Some(info),
            }
        }
        let exit = exit.ok_or_else(|| anyhow::anyhow!("execution ended without an exit event"))?;
        let (mut result, input) = self.result(&prepared, exit, out, err);
        result.ai_analysis = self.analysis_for(&prepared, input).await;
        Ok(result)
    }

    fn unstartable(
        &self,
        prepared: &Prepared,
        mut out: Shaper,
        mut err: Shaper,
    ) -> (ExecResult, AnalysisInput) {
        let (code, why) = if Path::new(&prepared.spec.program).exists() {
            (126, "permission denied")
        } else {
            (127, "command not found")
        };
        err.push(format!("shellwise: {}: {why}\n", prepared.spec.program).as_bytes());
        out.push(b"");
        let exit = ExitInfo {
            exit_code: code,
            signal: None,
            timed_out: false,
            limit: None,
            duration: Duration::ZERO,
            cancelled: false,
            resources: None,
        };
        self.result(prepared, exit, out, err)
    }

    /// The result, and what the analyzer may see of it.
    fn result(
        &self,
        prepared: &Prepared,
        exit: ExitInfo,
        out: Shaper,
        err: Shaper,
    ) -> (ExecResult, AnalysisInput) {
        self.audit_outcome(prepared, &exit);
        let (out_total, err_total) = (out.total(), err.total());
        let o = out.finish(prepared.encoding);
        let e = err.finish(prepared.encoding);
        let mut redactions = o.counts;
        merge_counts(&mut redactions, e.counts);
        let summary = self.summary(prepared, &exit, out_total, err_total, redactions);
        let (stdout, stdout_omitted) = (o.encoded, o.omitted);
        let (stderr, stderr_omitted) = (e.encoded, e.omitted);
        let input = self.analysis_input(prepared, &exit, o.text, e.text);
        let result = ExecResult {
            id: summary.id,
            exit_code: summary.exit_code,
            signal: summary.signal,
            timed_out: summary.timed_out,
            limit: summary.limit,
            duration_ms: summary.duration_ms,
            stdout,
            stderr,
            output_encoding: prepared.encoding,
            stdout_truncated: stdout_omitted.is_some(),
            stderr_truncated: stderr_omitted.is_some(),
            stdout_bytes: summary.stdout_bytes,
            stderr_bytes: summary.stderr_bytes,
            stdout_omitted,
            stderr_omitted,
            limits_enforced: summary.limits_enforced,
            resources: summary.resources,
            redactions: summary.redactions,
            ai_analysis: None,
        };
        (result, input)
    }

    fn analysis_input(
        &self,
        prepared: &Prepared,
        exit: &ExitInfo,
        stdout: String,
        stderr: String,
    ) -> AnalysisInput {
        AnalysisInput {
            // The command text can hold a secret too, and it reaches an LLM prompt.
            command: self.filter_text(&prepared.display),
            exit_code: exit.signal.is_none().then_some(exit.exit_code),
            signal: exit.signal,
            timed_out: exit.timed_out,
            limit: exit.limit,
            stdout,
            stderr,
            cwd: Some(prepared.spec.cwd.display().to_string()),
        }
    }

    /// Pass text through the output filter (redaction): for chat messages, prompts and answers
    /// that leave the process by another route than exec output.
    pub fn filter_text(&self, text: &str) -> String {
        let mut filter = self.filter.stream();
        let mut bytes = filter.push(text.as_bytes());
        bytes.extend(filter.flush());
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// A fresh redaction filter for one stream of text leaving the process (chat deltas).
    pub fn text_filter(&self) -> Box<dyn StreamFilter> {
        self.filter.stream()
    }

    /// `/v1/analyze`: filter (redact) and cap the caller's output, then analyze it.
    pub async fn analyze_failure(
        &self,
        caller: &Caller,
        mut input: AnalysisInput,
    ) -> crate::analysis::Analysis {
        let inline = self.settings.inline_output_bytes;
        let shape = |text: &str| {
            let mut shaper = Shaper::new(self.filter.stream(), Collector::new(inline));
            shaper.push(text.as_bytes());
            shaper.finish(OutputEncoding::Text).text
        };
        input.stdout = shape(&input.stdout);
        input.stderr = shape(&input.stderr);
        input.command = shape(&input.command);
        let prepared_cwd = self.workspace.default_cwd.clone();
        let mut analysis = self.analyzer.analyze(&input).await;
        self.check_fixes(&mut analysis, &prepared_cwd, caller);
        analysis
    }

    fn check_fixes(&self, analysis: &mut crate::analysis::Analysis, cwd: &Path, caller: &Caller) {
        // Whatever wrote the analysis (an LLM may echo a secret), its text leaves redacted.
        self.filter_analysis(analysis);
        for fix in &mut analysis.fixes {
            let Some(command) = fix.command.as_deref() else {
                continue;
            };
            let shell = self.settings.shells.first().cloned().unwrap_or_default();
            let args = ["-c".to_string(), command.to_string()];
            let verdict = self.policy.check(&seams::PolicySubject {
                program: &shell,
                args: &args,
                command: Some(command),
                code: None,
                cwd,
                env: &[],
                caller,
            });
            fix.policy_decision = Some(verdict.as_str().to_string());
        }
        metrics::counter!(
            "shellwise_analyses_total",
            "category" => analysis.category.as_str(),
            "source" => analysis.source.as_str()
        )
        .increment(1);
    }

    /// An LLM wrote (part of) this analysis: its text leaves the process, so it passes the
    /// output filter like everything else (a model can repeat or invent a secret).
    fn filter_analysis(&self, a: &mut crate::analysis::Analysis) {
        let f = |t: &mut String| *t = self.filter_text(t);
        f(&mut a.summary);
        f(&mut a.root_cause);
        a.evidence.iter_mut().for_each(f);
        a.next_steps.iter_mut().for_each(f);
        for fix in &mut a.fixes {
            f(&mut fix.description);
            if let Some(c) = fix.command.as_mut() {
                f(c);
            }
        }
    }

    /// Run the analysis stage if the request's mode asks for it, and check every suggested
    /// command against the policy.
    async fn analysis_for(
        &self,
        prepared: &Prepared,
        input: AnalysisInput,
    ) -> Option<crate::analysis::Analysis> {
        if !input.wanted(prepared.analyze) {
            return None;
        }
        let mut analysis = self.analyzer.analyze(&input).await;
        self.check_fixes(&mut analysis, &prepared.spec.cwd, &prepared.caller);
        Some(analysis)
    }

    fn summary(
        &self,
        prepared: &Prepared,
        exit: &ExitInfo,
        out: u64,
        err: u64,
        redactions: BTreeMap<String, u64>,
    ) -> ExitSummary {
        ExitSummary {
            id: prepared.id.clone(),
            exit_code: exit.exit_code,
            signal: exit.signal.map(signal_name),
            timed_out: exit.timed_out,
            limit: exit.limit,
            duration_ms: exit.duration.as_millis() as u64,
            stdout_bytes: out,
            stderr_bytes: err,
            limits_enforced: prepared.enforced.clone(),
            resources: exit.resources,
            redactions,
        }
    }

    /// Start a streaming run. Events arrive on the returned channel; dropping the receiver
    /// kills the command.
    pub async fn run_stream(
        self: &Arc<Self>,
        mut prepared: Prepared,
    ) -> Result<mpsc::Receiver<StreamEvent>, ServiceError> {
        let permit = self.acquire().await?;
        tracing::info!(exec_id = %prepared.id, caller = %prepared.caller.name,
            command = %prepared.display, "exec stream");
        let execution = self.start(&mut prepared)?;
        let (tx, rx) = mpsc::channel(16);
        let this = self.clone();
        tokio::spawn(async move {
            let _permit = permit;
            this.forward(prepared, execution, tx).await;
        });
        Ok(rx)
    }

    async fn forward(
        &self,
        prepared: Prepared,
        execution: Option<crate::exec::Execution>,
        tx: mpsc::Sender<StreamEvent>,
    ) {
        // Streams are not capped inline (that is what streaming is for); totals still count.
        let mut out = StreamShaper::new(self.filter.stream(), prepared.encoding);
        let mut err = StreamShaper::new(self.filter.stream(), prepared.encoding);
        let Some(mut execution) = execution else {
            let inline = self.settings.inline_output_bytes;
            let (result, input) = self.unstartable(
                &prepared,
                Shaper::new(self.filter.stream(), Collector::new(inline)),
                Shaper::new(self.filter.stream(), Collector::new(inline)),
            );
            let start = StreamEvent::Start {
                id: prepared.id.clone(),
                pid: None,
            };
            let _ = tx.send(start).await;
            let _ = tx
                .send(StreamEvent::Stderr {
                    data: result.stderr.clone(),
                })
                .await;
            let _ = tx.send(StreamEvent::Exit(exit_summary_of(&result))).await;
            if let Some(a) = self.analysis_for(&prepared, input).await {
                let _ = tx.send(StreamEvent::Analysis(Box::new(a))).await;
            }
            return;
        };
        let mut idle_flushed = false;
        loop {
            let event = tokio::select! {
                ev = execution.events.recv() => ev,
                // The client is gone; dropping `execution` kills the command.
                _ = tx.closed() => return,
                // Output held back by the filter (e.g. a partial line) must not stall a live
                // stream: flush it after a short quiet period.
                _ = tokio::time::sleep(self.idle_flush), if !idle_flushed && (out.holding() || err.holding()) => {
                    idle_flushed = true;
                    for (shaper, stream) in [(&mut out, Stream::Stdout), (&mut err, Stream::Stderr)] {
                        let data = shaper.idle_flush();
                        if !data.is_empty() && tx.send(chunk_event(stream, data)).await.is_err() {
                            return;
                        }
                    }
                    continue;
                }
            };
            let Some(event) = event else { return };
            idle_flushed = false;
            let sent = match event {
                ExecEvent::Started { pid } => {
                    let start = StreamEvent::Start {
                        id: prepared.id.clone(),
                        pid: Some(pid),
                    };
                    tx.send(start).await
                }
                ExecEvent::Stdout(chunk) => match out.push(&chunk) {
                    data if data.is_empty() => Ok(()),
                    data => tx.send(StreamEvent::Stdout { data }).await,
                },
                ExecEvent::Stderr(chunk) => match err.push(&chunk) {
                    data if data.is_empty() => Ok(()),
                    data => tx.send(StreamEvent::Stderr { data }).await,
                },
                ExecEvent::Exit(info) => {
                    for (shaper, stream) in [(&mut out, Stream::Stdout), (&mut err, Stream::Stderr)]
                    {
                        let data = shaper.finish();
                        if !data.is_empty() && tx.send(chunk_event(stream, data)).await.is_err() {
                            return;
                        }
                    }
                    self.audit_outcome(&prepared, &info);
                    let mut redactions = out.filter.counts();
                    merge_counts(&mut redactions, err.filter.counts());
                    let summary = self.summary(&prepared, &info, out.total, err.total, redactions);
                    if tx.send(StreamEvent::Exit(summary)).await.is_err() {
                        return;
                    }
                    let input =
                        self.analysis_input(&prepared, &info, out.seen_text(), err.seen_text());
                    if let Some(a) = self.analysis_for(&prepared, input).await {
                        let _ = tx.send(StreamEvent::Analysis(Box::new(a))).await;
                    }
                    return;
                }
            };
            if sent.is_err() {
                // The client is gone; dropping `execution` kills the command.
                return;
            }
        }
    }
}

fn chunk_event(stream: Stream, data: String) -> StreamEvent {
    match stream {
        Stream::Stdout => StreamEvent::Stdout { data },
        Stream::Stderr => StreamEvent::Stderr { data },
    }
}

fn exit_summary_of(r: &ExecResult) -> ExitSummary {
    ExitSummary {
        id: r.id.clone(),
        exit_code: r.exit_code,
        signal: r.signal.clone(),
        timed_out: r.timed_out,
        limit: r.limit,
        duration_ms: r.duration_ms,
        stdout_bytes: r.stdout_bytes,
        stderr_bytes: r.stderr_bytes,
        limits_enforced: r.limits_enforced.clone(),
        resources: r.resources,
        redactions: r.redactions.clone(),
    }
}

impl PolicyVerdict {
    pub fn as_str(&self) -> &'static str {
        match self {
            PolicyVerdict::Allow => "allow",
            PolicyVerdict::Deny { .. } => "deny",
            PolicyVerdict::Confirm { .. } => "confirm",
        }
    }
}

fn encode(bytes: &[u8], encoding: OutputEncoding) -> String {
    match encoding {
        OutputEncoding::Text => String::from_utf8_lossy(bytes).into_owned(),
        OutputEncoding::Base64 => base64::engine::general_purpose::STANDARD.encode(bytes),
    }
}

/// How much of each streamed output (head + tail) is kept for the final analysis.
const ANALYSIS_STREAM_BYTES: usize = 64 * 1024;

struct Finished {
    encoded: String,
    omitted: Option<OmittedRange>,
    text: String,
    counts: BTreeMap<String, u64>,
}

fn merge_counts(a: &mut BTreeMap<String, u64>, b: BTreeMap<String, u64>) {
    for (k, v) in b {
        *a.entry(k).or_default() += v;
    }
}

/// Buffered path for one stream: filter, then head+tail collection.
struct Shaper {
    filter: Box<dyn StreamFilter>,
    collector: Collector,
    raw_total: u64,
}

impl Shaper {
    fn new(filter: Box<dyn StreamFilter>, collector: Collector) -> Self {
        Self {
            filter,
            collector,
            raw_total: 0,
        }
    }

    fn push(&mut self, chunk: &[u8]) {
        self.raw_total += chunk.len() as u64;
        let filtered = self.filter.push(chunk);
        self.collector.push(&filtered);
    }

    /// Bytes the command wrote (before filtering).
    fn total(&self) -> u64 {
        self.raw_total
    }

    /// The encoded output, what was omitted, the text form for analysis, and what the filter
    /// changed.
    fn finish(mut self, encoding: OutputEncoding) -> Finished {
        let rest = self.filter.flush();
        self.collector.push(&rest);
        let done = self.collector.finish();
        let omitted = done
            .omitted
            .map(|(offset, length)| OmittedRange { offset, length });
        let text = String::from_utf8_lossy(&done.bytes).into_owned();
        let encoded = match encoding {
            OutputEncoding::Text => text.clone(),
            OutputEncoding::Base64 => encode(&done.bytes, encoding),
        };
        Finished {
            encoded,
            omitted,
            text,
            counts: self.filter.counts(),
        }
    }
}

/// Streaming path for one stream: filter, then UTF-8-safe decoding (or base64).
struct StreamShaper {
    filter: Box<dyn StreamFilter>,
    /// What was sent, head and tail, for the analysis at the end.
    seen: Collector,
    decoder: Utf8Decoder,
    encoding: OutputEncoding,
    total: u64,
}

impl StreamShaper {
    fn new(filter: Box<dyn StreamFilter>, encoding: OutputEncoding) -> Self {
        Self {
            filter,
            seen: Collector::new(ANALYSIS_STREAM_BYTES),
            decoder: Utf8Decoder::default(),
            encoding,
            total: 0,
        }
    }

    fn holding(&self) -> bool {
        self.filter.held() > 0
    }

    fn push(&mut self, chunk: &[u8]) -> String {
        self.total += chunk.len() as u64;
        let filtered = self.filter.push(chunk);
        self.encode(&filtered)
    }

    fn flush(&mut self) -> String {
        let filtered = self.filter.flush();
        self.encode(&filtered)
    }

    fn idle_flush(&mut self) -> String {
        let filtered = self.filter.idle_flush();
        self.encode(&filtered)
    }

    fn finish(&mut self) -> String {
        let mut text = self.flush();
        if self.encoding == OutputEncoding::Text {
            text.push_str(&self.decoder.finish());
        }
        text
    }

    fn seen_text(&mut self) -> String {
        let seen = std::mem::replace(&mut self.seen, Collector::new(1));
        String::from_utf8_lossy(&seen.finish().bytes).into_owned()
    }

    fn encode(&mut self, bytes: &[u8]) -> String {
        self.seen.push(bytes);
        match self.encoding {
            OutputEncoding::Text => self.decoder.push(bytes),
            OutputEncoding::Base64 => encode(bytes, OutputEncoding::Base64),
        }
    }
}

/// Where commands may run: the configured roots (canonical), the default working directory,
/// and optionally one sub-directory per token.
struct Workspace {
    roots: Vec<PathBuf>,
    default_cwd: PathBuf,
    per_token: bool,
    owner: Option<(u32, u32)>,
}

impl Workspace {
    fn new(
        exec: &ExecSettings,
        ws: &WorkspaceSettings,
        owner: Option<(u32, u32)>,
    ) -> anyhow::Result<Self> {
        use anyhow::Context;
        let default_cwd = if exec.default_cwd.is_empty() {
            std::env::current_dir()?
        } else {
            PathBuf::from(&exec.default_cwd)
        };
        let default_cwd = default_cwd
            .canonicalize()
            .with_context(|| format!("exec.default_cwd {}", default_cwd.display()))?;
        let mut roots = Vec::new();
        for r in &ws.roots {
            roots.push(
                Path::new(r)
                    .canonicalize()
                    .with_context(|| format!("workspace.roots: {r}"))?,
            );
        }
        if roots.is_empty() {
            roots.push(default_cwd.clone());
        }
        if !ws.per_token && !roots.iter().any(|r| default_cwd.starts_with(r)) {
            anyhow::bail!(
                "exec.default_cwd {} is outside every workspace.roots entry",
                default_cwd.display()
            );
        }
        Ok(Self {
            roots,
            default_cwd,
            per_token: ws.per_token,
            owner,
        })
    }

    /// The per-token area, created (and given to the child user) on first use.
    fn token_dir(&self, caller: &Caller) -> Result<PathBuf, ServiceError> {
        let name: String = caller
            .name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let root = self
            .roots
            .first()
            .cloned()
            .unwrap_or_else(|| self.default_cwd.clone());
        let dir = root.join(name);
        if !dir.is_dir() {
            std::fs::create_dir_all(&dir).map_err(|e| {
                ServiceError::Internal(anyhow::anyhow!("create {}: {e}", dir.display()))
            })?;
            if let Some((uid, gid)) = self.owner {
                let _ = nix::unistd::chown(
                    &dir,
                    Some(nix::unistd::Uid::from_raw(uid)),
                    Some(nix::unistd::Gid::from_raw(gid)),
                );
            }
        }
        Ok(dir)
    }

    /// Resolve a request's `cwd` (symlinks followed) and check it stays inside the workspace.
    fn resolve(&self, requested: Option<&str>, caller: &Caller) -> Result<PathBuf, ServiceError> {
        let (base, allowed) = if self.per_token {
            let dir = self.token_dir(caller)?;
            (dir.clone(), vec![dir])
        } else {
            (self.default_cwd.clone(), self.roots.clone())
        };
        let path = match requested {
            None => base,
            Some(p) if p.contains('\0') => {
                return Err(ServiceError::InvalidCwd("`cwd` contains a NUL byte".into()))
            }
            Some(p) => base.join(p),
        };
        let real = path
            .canonicalize()
            .map_err(|e| ServiceError::InvalidCwd(format!("`cwd` {}: {e}", path.display())))?;
        if !allowed.iter().any(|root| real.starts_with(root)) {
            return Err(ServiceError::CwdOutsideWorkspace(format!(
                "`cwd` {} resolves to {}, outside the workspace ({})",
                path.display(),
                real.display(),
                allowed
                    .iter()
                    .map(|r| r.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        if !real.is_dir() {
            return Err(ServiceError::InvalidCwd(format!(
                "`cwd` {} is not a directory",
                real.display()
            )));
        }
        Ok(real)
    }
}
