//! Validation and planning: an API request becomes an [`ExecSpec`] that passed the policy, or
//! (for a dry run) the policy's decision.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::Duration;

use super::approvals::{self, Refusal};
use super::seams::{self, Confinement, PolicyVerdict};
use super::types::ExecRequest;
use super::{audit, ExecService, Prepared, ServiceError};
use crate::auth::Caller;
use crate::domain::limits::{self, Network};
use crate::domain::{ApprovalMode, ModeSource, Role};
use crate::exec::{env, ExecSpec};

/// The request's inputs besides what runs, checked.
struct Inputs {
    env: BTreeMap<String, String>,
    stdin: Option<Vec<u8>>,
    timeout_ms: u64,
}

/// What the policy decided: the audit word (`allow`, `deny`, `confirm`, `confirmed`), the
/// deciding rule, and the problem to return when the request is refused.
struct Decided {
    word: &'static str,
    rule_id: String,
    refused: Option<ServiceError>,
}

pub(super) enum Planned {
    Run(Box<Prepared>),
    Checked(crate::policy::Decision),
}

impl ExecService {
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
    ) -> Result<super::types::PolicyCheck, ServiceError> {
        match self.plan(req, caller, true)? {
            // Everything that leaves is redacted, the parsed words too.
            Planned::Checked(mut d) => {
                for c in &mut d.commands {
                    for word in &mut c.argv {
                        *word = self.filter_text(word);
                    }
                }
                let (approval_mode, approval_mode_source) = self.approval_mode(caller);
                let approver_role = self
                    .approver_role()
                    .filter(|_| d.decision == crate::policy::Action::Confirm);
                Ok(super::types::PolicyCheck {
                    decision: d.decision,
                    rule_id: d.rule_id,
                    reason: self.filter_text(&d.reason),
                    commands: d.commands,
                    approval_mode,
                    approval_mode_source,
                    approver_role,
                })
            }
            Planned::Run(_) => Err(ServiceError::Internal(anyhow::anyhow!("not a dry run"))),
        }
    }

    pub(super) fn plan(
        &self,
        req: ExecRequest,
        caller: &Caller,
        dry_run: bool,
    ) -> Result<Planned, ServiceError> {
        self.admit(&req, dry_run)?;
        let (program, args, display) = self.program_of(&req)?;
        let inputs = self.inputs_of(&req, &program, &args)?;
        let mut run_as = self
            .identities
            .for_caller(caller, self.limits.root_for_admin)?;
        let area = match req.workspace.as_deref() {
            None | Some(super::workspaces::DEFAULT_ID) => self.workspace.area(caller, run_as)?,
            Some(id) => {
                // A named workspace: its commands run as its owner, whoever asks (admin).
                let t = self.target(caller, id)?;
                self.check_not_over_quota(&t.path)?;
                run_as = t.ids;
                super::workspace::Area::own(t.path)
            }
        };
        let cwd = area.resolve(req.cwd.as_deref())?;
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
        if !req.best_effort {
            self.enforceable(&request_limits, network)?;
        }
        let child_env = self.child_env(&inputs.env, area.home(self.sandbox.private_tmp()));
        let argv: Vec<&str> = std::iter::once(program.as_str())
            .chain(args.iter().map(String::as_str))
            .collect();
        env::fits_exec(&argv, &child_env, arg_max()).map_err(ServiceError::Invalid)?;

        // The policy judges languages, not the names a request used for them.
        let language = req
            .language
            .as_deref()
            .map(|l| crate::exec::interp::canonical(l).unwrap_or(l));
        let (mode, _) = self.approval_mode(caller);
        let subject = seams::PolicySubject {
            program: &program,
            args: &args,
            command: req.command.as_deref(),
            code: req.code.as_deref().zip(language),
            cwd: &cwd,
            env: &child_env,
            caller,
            mode,
        };
        if dry_run {
            return Ok(Planned::Checked(self.explain(&subject)));
        }
        let exec_id = format!("ex_{}", crate::telemetry::new_id());
        let display = self.filter_text(&display);
        // A confirm token is bound to everything that decides what runs, including stdin,
        // limits and the timeout.
        let bound = format!(
            "{:?}|{:?}|{}|{:?}|{:?}",
            inputs.stdin, req.limits, inputs.timeout_ms, req.network, req.shell
        );
        let decided = self.decide(&subject, &bound, &display, req.confirm_token.as_deref());
        let recorded = self.audit_decision(&exec_id, caller, &display, &cwd, &decided);
        if let Some(refused) = decided.refused {
            return Err(refused);
        }
        if !recorded && self.audit_required {
            return Err(ServiceError::AuditUnavailable);
        }

        let s = &self.settings;
        let spec = ExecSpec {
            program,
            args,
            cwd,
            env: child_env,
            stdin: inputs.stdin,
            timeout: Duration::from_millis(inputs.timeout_ms),
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
                run_as,
                writable: area.writable,
            },
            analyze: req.analyze.unwrap_or_default(),
            enforced: Vec::new(),
            caller: caller.clone(),
        })))
    }

    /// Refuse a request for a limit this host cannot apply: it would silently run unlimited.
    fn enforceable(
        &self,
        requested: &limits::RequestLimits,
        network: crate::domain::limits::Network,
    ) -> Result<(), ServiceError> {
        let asked: Vec<&str> = [
            ("memoryBytes", requested.memory_bytes),
            ("pids", requested.pids),
            ("cpuMillis", requested.cpu_millis),
        ]
        .into_iter()
        .filter_map(|(name, v)| v.map(|_| name))
        .collect();
        if !asked.is_empty() {
            if let Some(why) = self.sandbox.cgroup_limits_missing() {
                return Err(ServiceError::LimitUnenforceable(format!(
                    "`limits.{}` cannot be enforced: {why}. Send \"bestEffort\": true to run \
                     without it (limitsEnforced then shows what applied).",
                    asked.join("`, `limits.")
                )));
            }
        }
        if network == crate::domain::limits::Network::None {
            if let Some(why) = self.sandbox.network_none_missing() {
                return Err(ServiceError::LimitUnenforceable(format!(
                    "`network: none` cannot be enforced: {why}. Send \"bestEffort\": true to \
                     run with the host network."
                )));
            }
        }
        Ok(())
    }

    /// Refuse work while shutting down or when the feature is switched off (a dry run is
    /// still answered for a server that does not run commands).
    fn admit(&self, req: &ExecRequest, dry_run: bool) -> Result<(), ServiceError> {
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
        Ok(())
    }

    /// What runs: the program, its arguments, and a display form for logs — from exactly one
    /// of `command` (through an allowed shell), `argv`, or `code` (through its interpreter).
    fn program_of(&self, req: &ExecRequest) -> Result<(String, Vec<String>, String), ServiceError> {
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
        if let Some(command) = &req.command {
            if super::types::is_blank(command) {
                return invalid("`command` is empty".into());
            }
            let shell = self.resolve_shell(req.shell.as_deref())?;
            return Ok((
                shell,
                vec!["-c".to_string(), command.clone()],
                command.clone(),
            ));
        }
        if let Some(argv) = &req.argv {
            let Some((first, rest)) = argv.split_first() else {
                return invalid("`argv` must name a program".into());
            };
            if first.is_empty() {
                return invalid("`argv[0]` (the program) is empty".into());
            }
            return Ok((first.clone(), rest.to_vec(), argv.join(" ")));
        }
        let code = req.code.clone().unwrap_or_default();
        let Some(language) = req.language.as_deref() else {
            return invalid("`code` needs `language`".into());
        };
        let max = self.settings.max_code_bytes;
        if code.len() > max {
            return invalid(format!(
                "`code` is {} bytes; the limit is {max} (exec.max_code_bytes)",
                code.len()
            ));
        }
        let known = crate::exec::interp::canonical(language);
        let Some(interp) = self.interpreters.iter().find(|i| Some(i.language) == known) else {
            return Err(ServiceError::UnsupportedLanguage {
                message: format!("no interpreter for language `{language}` on this server"),
                available: self.languages(),
            });
        };
        let program = interp.path.to_string_lossy().into_owned();
        let display = format!("<{} code, {} bytes>", interp.language, code.len());
        Ok((program, vec![interp.inline_flag.to_string(), code], display))
    }

    /// The request's environment, stdin and timeout, checked against the caps.
    fn inputs_of(
        &self,
        req: &ExecRequest,
        program: &str,
        args: &[String],
    ) -> Result<Inputs, ServiceError> {
        let s = &self.settings;
        let invalid = |m: String| Err(ServiceError::Invalid(m));
        let nul = |s: &str| s.contains('\0');
        if nul(program) || args.iter().any(|a| nul(a)) {
            return invalid("command text must not contain NUL bytes".into());
        }
        let env = req.env.clone().unwrap_or_default();
        for (k, v) in &env {
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
        Ok(Inputs {
            env,
            stdin,
            timeout_ms,
        })
    }

    /// The child's environment: the scrubbed server environment plus the request's, with a
    /// PATH an unprivileged child can search and a `HOME` of its own (never the server's),
    /// unless the request sets one.
    fn child_env(
        &self,
        request_env: &BTreeMap<String, String>,
        home: Option<String>,
    ) -> Vec<(String, String)> {
        let s = &self.settings;
        let mut child_env = env::build(
            std::env::vars(),
            &s.env_passthrough,
            &s.env_set,
            request_env,
        );
        let drops = self.identities.drops_privileges();
        if drops {
            for (k, v) in child_env.iter_mut() {
                if k == "PATH" {
                    *v = env::world_searchable_path_cached(v);
                }
            }
        }
        if !request_env.contains_key("HOME") && !s.env_set.contains_key("HOME") {
            if let Some(home) = home.or_else(|| drops.then(|| "/nonexistent".to_string())) {
                child_env.retain(|(k, _)| k != "HOME");
                child_env.push(("HOME".to_string(), home));
            }
        }
        child_env
    }

    /// The dry run's answer: the policy's decision for every simple command.
    fn explain(&self, subject: &seams::PolicySubject<'_>) -> crate::policy::Decision {
        self.policy
            .explain(subject)
            .unwrap_or_else(|| crate::policy::Decision {
                decision: crate::policy::Action::Allow,
                rule_id: "no-policy".into(),
                reason: self.policy.describe(),
                commands: Vec::new(),
            })
    }

    /// Ask the policy (under the caller's approval mode). A confirm verdict is satisfied by a
    /// valid token bound to `bound` — approved first, when an approver is configured.
    fn decide(
        &self,
        subject: &seams::PolicySubject<'_>,
        bound: &str,
        display: &str,
        confirm_token: Option<&str>,
    ) -> Decided {
        let decided = |word, rule_id: &str, refused| Decided {
            word,
            rule_id: rule_id.to_string(),
            refused,
        };
        match self.policy.check(subject) {
            PolicyVerdict::Allow => decided("allow", "", None),
            PolicyVerdict::Deny { rule_id, reason } => {
                let id = rule_id.clone();
                // Only `never` turns a verdict into a denial; name it then.
                let mode = (subject.mode == ApprovalMode::Never
                    && reason.ends_with(super::policy_gate::NEVER_NOTE))
                .then_some(ApprovalMode::Never);
                decided(
                    "deny",
                    &id,
                    Some(ServiceError::PolicyDenied {
                        rule_id,
                        reason,
                        mode,
                    }),
                )
            }
            PolicyVerdict::Confirm { rule_id, reason } => {
                let binding = crate::service::policy_gate::binding(subject, bound);
                match self.confirm_with(subject, binding, &rule_id, reason, display, confirm_token)
                {
                    Ok(()) => decided("confirmed", &rule_id, None),
                    Err(refused) => {
                        let word = match refused {
                            ServiceError::AwaitingApproval { .. } => "awaiting-approval",
                            ServiceError::ApprovalRejected { .. } => "rejected",
                            _ => "confirm",
                        };
                        decided(word, &rule_id, Some(refused))
                    }
                }
            }
        }
    }

    /// The confirm tier, shared by commands and protected file changes: `Ok` when
    /// `confirm_token` confirms exactly `binding` (approved first, with an approver), else
    /// the problem to answer with. `display` is already redacted; `reason` is redacted here.
    pub(super) fn confirm_with(
        &self,
        subject: &seams::PolicySubject<'_>,
        binding: [u8; 32],
        rule_id: &str,
        reason: String,
        display: &str,
        confirm_token: Option<&str>,
    ) -> Result<(), ServiceError> {
        let reason = self.filter_text(&reason);
        let ask = approvals::Ask {
            requester: subject.caller,
            rule_id,
            reason: &reason,
            display,
            mode: subject.mode,
        };
        let refusal = match self.approvals.confirm(binding, confirm_token, ask) {
            Ok(()) => return Ok(()),
            Err(r) => r,
        };
        Err(match refusal {
            Refusal::Required {
                token,
                expires_in_secs,
                approver,
            } => ServiceError::ConfirmationRequired {
                rule_id: rule_id.to_string(),
                reason,
                token,
                ttl_secs: expires_in_secs,
                approver,
                mode: subject.mode,
            },
            Refusal::Awaiting {
                token,
                expires_in_secs,
                approver,
            } => ServiceError::AwaitingApproval {
                rule_id: rule_id.to_string(),
                reason,
                token,
                expires_in_secs,
                approver,
            },
            Refusal::Rejected { by } => ServiceError::ApprovalRejected {
                rule_id: rule_id.to_string(),
                by,
            },
        })
    }

    /// The caller's approval mode and which setting gave it.
    pub fn approval_mode(&self, caller: &Caller) -> (ApprovalMode, ModeSource) {
        self.modes.of(caller)
    }

    /// The role that approves confirm tokens, if one is configured.
    pub fn approver_role(&self) -> Option<Role> {
        self.approvals.approver()
    }

    /// `GET /v1/approvals`: every live confirm token, for an approver.
    pub fn approvals(&self, caller: &Caller) -> Result<Vec<approvals::Approval>, ServiceError> {
        Ok(self.approvals.list(caller)?)
    }

    /// An approver approves (or rejects) a confirm token; either is audited.
    pub fn decide_approval(
        &self,
        caller: &Caller,
        token: &str,
        approve: bool,
    ) -> Result<approvals::Approval, ServiceError> {
        self.refuse_over_audit()?;
        let done = if approve {
            self.approvals.approve(token, caller)
        } else {
            self.approvals.reject(token, caller)
        }?;
        let decision = if approve { "approved" } else { "rejected" };
        metrics::counter!("shellwise_approvals_total", "decision" => decision).increment(1);
        let what = format!(
            "{} (asked by `{}`): {}",
            done.rule_id, done.requester, done.command
        );
        let recorded = self.audit(audit::AuditRecord {
            ts_ms: audit::AuditLog::now_ms(),
            kind: "approval",
            request_id: &crate::telemetry::current_request_id().unwrap_or_default(),
            exec_id: "",
            who: &caller.name,
            role: caller.role.as_str(),
            what: &what,
            cwd: "",
            decision,
            rule_id: &done.rule_id,
            exit_code: None,
            limit: None,
            duration_ms: None,
        });
        if !recorded && self.audit_required {
            tracing::warn!("an approval was recorded in memory but not in the audit log");
        }
        Ok(done)
    }

    /// Every decision is audited, whatever it was.
    fn audit_decision(
        &self,
        exec_id: &str,
        caller: &Caller,
        display: &str,
        cwd: &Path,
        decided: &Decided,
    ) -> bool {
        self.audit(audit::AuditRecord {
            ts_ms: audit::AuditLog::now_ms(),
            kind: "decision",
            request_id: &crate::telemetry::current_request_id().unwrap_or_default(),
            exec_id,
            who: &caller.name,
            role: caller.role.as_str(),
            what: display,
            cwd: &cwd.display().to_string(),
            decision: decided.word,
            rule_id: &decided.rule_id,
            exit_code: None,
            limit: None,
            duration_ms: None,
        })
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

/// What execve accepts for arguments plus environment on this host (`sysconf(_SC_ARG_MAX)`,
/// a quarter of the stack limit), with the kernel's floor when it cannot say.
fn arg_max() -> usize {
    // SAFETY: sysconf has no preconditions.
    let n = unsafe { libc::sysconf(libc::_SC_ARG_MAX) };
    usize::try_from(n)
        .ok()
        .filter(|n| *n > 0)
        .unwrap_or(128 * 1024)
}
