//! Buffered runs: acquire a slot, start the child in its jail, collect filtered output, build
//! the result, and attach the analysis. Also the analysis of failures a caller brings
//! (`/v1/analyze`) and the filter for text that leaves by other routes.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use std::sync::Arc;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_util::sync::CancellationToken;

use super::analyze::AnalysisInput;
use super::seams;
use super::shape::{merge_counts, Shaper};
use super::types::{ExecResult, ExitSummary, OutputEncoding};
use super::{audit, ExecService, Prepared, ServiceError};
use crate::auth::Caller;
use crate::exec::output::Collector;
use crate::exec::{signal_name, Enforced, ExecEvent, ExitInfo, SpawnError};

impl ExecService {
    /// One command from the token's rate bucket (`exec.max_per_token_per_minute`): it holds
    /// a minute's worth and refills evenly.
    pub(super) fn take_rate(&self, token: &str) -> Result<(), ServiceError> {
        let per_minute = self.settings.max_per_token_per_minute;
        if per_minute == 0 {
            return Ok(());
        }
        let capacity = per_minute as f64;
        let per_sec = capacity / 60.0;
        let now = std::time::Instant::now();
        let mut rates = self.token_rates.lock().unwrap_or_else(|e| e.into_inner());
        let (left, last) = rates.entry(token.to_string()).or_insert((capacity, now));
        *left = (*left + now.duration_since(*last).as_secs_f64() * per_sec).min(capacity);
        *last = now;
        if *left >= 1.0 {
            *left -= 1.0;
            return Ok(());
        }
        Err(ServiceError::RateLimited {
            per_minute,
            retry_after_secs: ((1.0 - *left) / per_sec).ceil().max(1.0) as u64,
        })
    }

    /// A slot to run one command: first one of the caller's own (its quota), then one of the
    /// server's, both within `exec.queue_timeout_ms` in all.
    /// A client that hangs up while it waits (`gone`) gets no slot: nothing runs for it later.
    pub(super) async fn acquire(
        &self,
        caller: &Caller,
        gone: &CancellationToken,
    ) -> Result<Slot, ServiceError> {
        self.take_rate(&caller.name)?;
        let deadline =
            tokio::time::Instant::now() + Duration::from_millis(self.settings.queue_timeout_ms);
        let slot = self.acquire_until(caller, deadline);
        tokio::select! {
            slot = slot => slot,
            _ = gone.cancelled() => {
                metrics::counter!("shellwise_dropped_queued_total").increment(1);
                Err(ServiceError::ClientGone)
            }
        }
    }

    /// A slot by `deadline` (the token's, then the server's).
    pub(super) async fn acquire_until(
        &self,
        caller: &Caller,
        deadline: tokio::time::Instant,
    ) -> Result<Slot, ServiceError> {
        let quota = self
            .settings
            .max_concurrent_per_token
            .min(self.settings.max_concurrent);
        let own = self.token_semaphore(&caller.name, quota);
        let token = match tokio::time::timeout_at(deadline, own.acquire_owned()).await {
            Ok(Ok(permit)) => permit,
            Ok(Err(_)) => return Err(ServiceError::ShuttingDown),
            Err(_) => return Err(ServiceError::QuotaExceeded(quota)),
        };
        match tokio::time::timeout_at(deadline, self.slots.clone().acquire_owned()).await {
            Ok(Ok(server)) => Ok(Slot {
                _server: server,
                _token: token,
            }),
            Ok(Err(_)) => Err(ServiceError::ShuttingDown),
            Err(_) => Err(ServiceError::Busy(self.settings.max_concurrent)),
        }
    }

    /// A slot if one is free right now (the token's and the server's), without waiting.
    pub(super) fn slot_now(&self, caller: &Caller) -> Option<Slot> {
        let quota = self
            .settings
            .max_concurrent_per_token
            .min(self.settings.max_concurrent);
        let token = self
            .token_semaphore(&caller.name, quota)
            .try_acquire_owned()
            .ok()?;
        let server = self.slots.clone().try_acquire_owned().ok()?;
        Some(Slot {
            _server: server,
            _token: token,
        })
    }

    fn token_semaphore(&self, name: &str, quota: usize) -> Arc<Semaphore> {
        match self.token_slots.lock() {
            Ok(mut map) => map
                .entry(name.to_string())
                .or_insert_with(|| Arc::new(Semaphore::new(quota)))
                .clone(),
            // A poisoned map only loses the quota, never the request.
            Err(_) => Arc::new(Semaphore::new(quota)),
        }
    }

    pub(super) async fn start(
        &self,
        prepared: &mut Prepared,
    ) -> Result<Option<crate::exec::Execution>, ServiceError> {
        let jail = self
            .sandbox
            .jail(&prepared.confinement)
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
        match self.engine.start(prepared.spec.clone(), jail).await {
            Ok(execution) => Ok(Some(execution)),
            // A program that cannot be executed is the command's failure, not the request's:
            // it is reported like a shell would (127 / 126).
            Err(SpawnError::NotFound(_) | SpawnError::PermissionDenied(_)) => Ok(None),
            Err(e) => Err(ServiceError::Internal(anyhow::Error::new(e))),
        }
    }

    /// Run to completion and return the buffered result. When `gone` fires (the client hung
    /// up) a queued request is dropped and a running command is killed; its outcome is still
    /// audited.
    #[tracing::instrument(skip_all, fields(exec_id = %prepared.id, caller = %prepared.caller.name))]
    pub async fn run(
        &self,
        mut prepared: Prepared,
        gone: &CancellationToken,
    ) -> Result<ExecResult, ServiceError> {
        let permit = match self.acquire(&prepared.caller, gone).await {
            Err(ServiceError::ClientGone) => {
                self.audit_dropped(&prepared);
                return Err(ServiceError::ClientGone);
            }
            other => other?,
        };
        tracing::info!(command = %prepared.display, "exec");
        let inline = self.settings.inline_output_bytes;
        let budget = self.filter_budget();
        let mut out = Shaper::new(self.filtering(&budget), Collector::new(inline));
        let mut err = Shaper::new(self.filtering(&budget), Collector::new(inline));
        let Some(mut execution) = self.start(&mut prepared).await? else {
            let (mut result, input) = self.unstartable(&prepared, out, err).await;
            drop(permit);
            result.ai_analysis = self.analysis_for(&prepared, input).await;
            return Ok(result);
        };
        let mut exit = None;
        let mut killed = false;
        loop {
            let event = tokio::select! {
                ev = execution.events.recv() => ev,
                _ = gone.cancelled(), if !killed => {
                    killed = true;
                    execution.cancel.cancel();
                    continue;
                }
            };
            let Some(event) = event else { break };
            match event {
                ExecEvent::Started { .. } => {}
                ExecEvent::Stdout(chunk) => out.push(chunk).await,
                ExecEvent::Stderr(chunk) => err.push(chunk).await,
                ExecEvent::Exit(info) => exit = Some(*info),
            }
        }
        let exit = exit.ok_or_else(|| anyhow::anyhow!("execution ended without an exit event"))?;
        let (mut result, input) = self.result(&prepared, exit, out, err).await;
        // The command is over: its jail and its slot go to the next caller while the analysis
        // (possibly an LLM taking seconds) is written.
        drop(execution);
        drop(permit);
        result.ai_analysis = self.analysis_for(&prepared, input).await;
        Ok(result)
    }

    pub(super) async fn unstartable(
        &self,
        prepared: &Prepared,
        out: Shaper,
        mut err: Shaper,
    ) -> (ExecResult, AnalysisInput) {
        let (code, why) = if Path::new(&prepared.spec.program).exists() {
            (126, "permission denied")
        } else {
            (127, "command not found")
        };
        err.push(format!("shellwise: {}: {why}\n", prepared.spec.program).into())
            .await;
        let exit = ExitInfo {
            exit_code: code,
            signal: None,
            timed_out: false,
            limit: None,
            duration: Duration::ZERO,
            cancelled: false,
            resources: None,
        };
        self.result(prepared, exit, out, err).await
    }

    /// The result, and what the analyzer may see of it.
    pub(super) async fn result(
        &self,
        prepared: &Prepared,
        exit: ExitInfo,
        out: Shaper,
        err: Shaper,
    ) -> (ExecResult, AnalysisInput) {
        self.audit_outcome(prepared, &exit);
        let (out_total, err_total) = (out.total(), err.total());
        let o = out.finish(prepared.encoding).await;
        let e = err.finish(prepared.encoding).await;
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
            stdout_redacted_bytes: o.filtered_total,
            stderr_redacted_bytes: e.filtered_total,
            stdout_omitted,
            stderr_omitted,
            limits_enforced: summary.limits_enforced,
            resources: summary.resources,
            redactions: summary.redactions,
            ai_analysis: None,
        };
        (result, input)
    }

    pub(super) fn analysis_input(
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
            sandboxed: prepared.enforced.iter().any(|e| e.by == "seccomp"),
        }
    }

    pub(super) fn summary(
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

    /// Write an audit record; false when auditing is on and the record was lost.
    pub(super) fn audit(&self, record: audit::AuditRecord<'_>) -> bool {
        self.audit.as_ref().is_none_or(|log| log.write(&record))
    }

    /// A request dropped while it waited for a slot (its client hung up): it never ran.
    pub(super) fn audit_dropped(&self, prepared: &Prepared) {
        self.write_outcome(prepared, "dropped", None);
    }

    pub(super) fn audit_outcome(&self, prepared: &Prepared, exit: &ExitInfo) {
        let decision = if exit.cancelled { "cancelled" } else { "ran" };
        self.write_outcome(prepared, decision, Some(exit));
    }

    fn write_outcome(&self, prepared: &Prepared, decision: &str, exit: Option<&ExitInfo>) {
        self.audit(audit::AuditRecord {
            ts_ms: audit::AuditLog::now_ms(),
            kind: "outcome",
            request_id: &crate::telemetry::current_request_id().unwrap_or_default(),
            exec_id: &prepared.id,
            who: &prepared.caller.name,
            role: prepared.caller.role.as_str(),
            what: &prepared.display,
            cwd: &prepared.spec.cwd.display().to_string(),
            decision,
            rule_id: "",
            exit_code: exit.map(|e| e.exit_code),
            limit: exit
                .and_then(|e| e.limit)
                .map(crate::exec::LimitHit::as_str),
            duration_ms: exit.map(|e| e.duration.as_millis() as u64),
        });
    }

    /// The response budget for a request: what it asked (`maxResponseChars`), else
    /// `exec.max_response_chars`.
    pub fn response_budget(&self, asked: Option<u64>) -> Result<usize, ServiceError> {
        let max = crate::config::MAX_RESPONSE_CHARS;
        match asked {
            None => Ok(self.settings.max_response_chars),
            Some(n) if (1000..=max as u64).contains(&n) => Ok(n as usize),
            Some(_) => Err(ServiceError::Invalid(format!(
                "maxResponseChars: must be between 1000 and {max}"
            ))),
        }
    }

    /// Cut a result's inline output (JSON form) to fit `budget` characters.
    pub fn fit_response(&self, result: &mut serde_json::Value, budget: usize) {
        super::shape::fit_result(result, budget);
    }

    /// Pass text through the output filter (redaction): for chat messages, prompts and answers
    /// that leave the process by another route than exec output.
    pub fn filter_text(&self, text: &str) -> String {
        let mut filter = self.filter.stream();
        let mut bytes = filter.push(text.as_bytes());
        bytes.extend(filter.flush());
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// `/v1/analyze`: filter (redact) and cap the caller's output, then analyze it.
    pub async fn analyze_failure(
        &self,
        caller: &Caller,
        mut input: AnalysisInput,
    ) -> crate::analysis::Analysis {
        let inline = self.settings.inline_output_bytes;
        let budget = self.filter_budget();
        let shape = |text: String| async {
            let mut shaper = Shaper::new(self.filtering(&budget), Collector::new(inline));
            shaper.push(text.into()).await;
            shaper.finish(OutputEncoding::Text).await.text
        };
        input.stdout = shape(std::mem::take(&mut input.stdout)).await;
        input.stderr = shape(std::mem::take(&mut input.stderr)).await;
        input.command = shape(std::mem::take(&mut input.command)).await;
        let prepared_cwd = self.workspace.default_cwd.clone();
        let mut analysis = self.analyzer.analyze(&input).await;
        self.check_fixes(&mut analysis, &prepared_cwd, caller);
        analysis
    }

    /// Run the analysis stage if the request's mode asks for it, and check every suggested
    /// command against the policy.
    pub(super) async fn analysis_for(
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
                mode: self.approval_mode(caller).0,
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
}

/// A command's right to run: one of its token's slots and one of the server's, released
/// together when dropped.
pub(super) struct Slot {
    _server: OwnedSemaphorePermit,
    _token: OwnedSemaphorePermit,
}

pub(super) fn exit_summary_of(r: &ExecResult) -> ExitSummary {
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
