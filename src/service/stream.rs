//! Recorded runs: one command driven to its end with every event numbered, sent to a live
//! client if there is one, and kept as a job ([`Recorder`]). `POST /v1/exec/stream` is such a
//! run with a live client whose hang-up kills the command; `POST /v1/jobs` is one without.

use std::sync::Arc;

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::record::{Frame, Jobs, Recorder};
use super::run::Slot;
use super::shape::{encode_output, merge_counts, StreamShaper, IDLE_FLUSH};
use super::types::{ExecResult, StreamEvent};
use super::{ExecService, Prepared, ServiceError};
use crate::exec::{ExecEvent, ExitInfo, Stream};
use crate::jobs::{Finish, JobRecord, JobStatus};

/// What ends a recorded run early.
pub(super) struct Stops {
    /// Cancelled by its owner (`POST /v1/jobs/{id}/cancel`).
    pub(super) cancel: CancellationToken,
    /// Whether the live client going away kills the command (`/v1/exec/stream`).
    pub(super) hangup_kills: bool,
}

impl ExecService {
    /// Start a streaming run, recorded as a job: frames arrive on the returned channel, and
    /// dropping the receiver kills the command (its job ends `cancelled`, its events so far
    /// stay replayable). `gone` is the client hanging up while the request waits for a slot.
    pub async fn run_stream(
        self: &Arc<Self>,
        prepared: Prepared,
        gone: &CancellationToken,
    ) -> Result<mpsc::Receiver<Frame>, ServiceError> {
        let permit = self.acquire(&prepared.caller, gone).await?;
        let jobs = self.jobs.clone();
        let record = job_record(
            &prepared,
            self.filter_text(&prepared.display),
            JobStatus::Running,
            None,
        );
        jobs.call(move |s| s.create(&record)).await?;
        tracing::info!(exec_id = %prepared.id, caller = %prepared.caller.name,
            command = %prepared.display, "exec stream");
        let (tx, rx) = mpsc::channel(16);
        let cancel = CancellationToken::new();
        let live = jobs.add_live(&prepared.id, &prepared.caller.name, cancel.clone());
        let base64 = prepared.encoding == super::types::OutputEncoding::Base64;
        let recorder = Recorder::new(jobs, live, &prepared.id, Some(tx), base64);
        let this = self.clone();
        let stops = Stops {
            cancel,
            hangup_kills: true,
        };
        tokio::spawn(async move { this.drive(prepared, permit, recorder, stops).await });
        Ok(rx)
    }

    /// Run `prepared` (holding `permit`) to its end through `rec`, and record how it ended.
    pub(super) async fn drive(
        &self,
        mut prepared: Prepared,
        permit: Slot,
        mut rec: Recorder,
        stops: Stops,
    ) {
        let execution = match self.start(&mut prepared).await {
            Ok(execution) => execution,
            Err(e) => {
                drop(permit);
                let error = format!("the command could not be started: {e}");
                tracing::error!(job = %prepared.id, %error);
                return rec
                    .finish(finished(JobStatus::Failed, None, Some(error)))
                    .await;
            }
        };
        let Some(mut execution) = execution else {
            return Box::pin(self.drive_unstartable(prepared, permit, rec)).await;
        };
        let inline = self.settings.inline_output_bytes;
        let budget = self.filter_budget();
        let mut out = StreamShaper::new(self.filtering(&budget), prepared.encoding).keeping(inline);
        let mut err = StreamShaper::new(self.filtering(&budget), prepared.encoding).keeping(inline);
        let client = rec.client();
        let mut hung_up = false;
        let mut cancelled = false;
        loop {
            let flush_at = rec.flush_due();
            let event = tokio::select! {
                ev = execution.events.recv() => ev,
                // The client is gone: kill the command, and still record how it ended.
                _ = closed(&client), if stops.hangup_kills && !hung_up => {
                    hung_up = true;
                    execution.cancel.cancel();
                    continue;
                }
                _ = stops.cancel.cancelled(), if !cancelled => {
                    cancelled = true;
                    execution.cancel.cancel();
                    continue;
                }
                _ = tokio::time::sleep_until(flush_at.unwrap_or_else(tokio::time::Instant::now)), if flush_at.is_some() => {
                    rec.flush().await;
                    continue;
                }
                // Output held back by the filter (e.g. a partial line) must not stall a live
                // stream: release what is safe after a short quiet period.
                _ = tokio::time::sleep(IDLE_FLUSH), if out.wants_idle_flush() || err.wants_idle_flush() => {
                    for (shaper, stream) in [(&mut out, Stream::Stdout), (&mut err, Stream::Stderr)] {
                        let data = shaper.idle_flush().await;
                        if !data.is_empty() {
                            rec.emit(chunk_event(stream, data)).await;
                        }
                    }
                    continue;
                }
            };
            let Some(event) = event else {
                let error = "the command's supervisor ended without an exit".to_string();
                return rec
                    .finish(finished(JobStatus::Failed, None, Some(error)))
                    .await;
            };
            match event {
                ExecEvent::Started { pid } => {
                    let start = StreamEvent::Start {
                        id: prepared.id.clone(),
                        pid: Some(pid),
                    };
                    rec.emit(start).await;
                }
                ExecEvent::Stdout(chunk) => match out.push(chunk).await {
                    data if data.is_empty() => {}
                    data => rec.emit(StreamEvent::Stdout { data }).await,
                },
                ExecEvent::Stderr(chunk) => match err.push(chunk).await {
                    data if data.is_empty() => {}
                    data => rec.emit(StreamEvent::Stderr { data }).await,
                },
                ExecEvent::Exit(info) => {
                    drop(execution);
                    // Boxed: the end of a run (result, analysis) needs far more state than
                    // the loop, and every running stream would otherwise carry it.
                    return Box::pin(self.drive_exit(&prepared, *info, (out, err), rec, permit))
                        .await;
                }
            }
        }
    }

    /// The end of a run: what the filters held, the exit summary, the analysis, the result.
    async fn drive_exit(
        &self,
        prepared: &Prepared,
        info: ExitInfo,
        (mut out, mut err): (StreamShaper, StreamShaper),
        mut rec: Recorder,
        permit: Slot,
    ) {
        for (shaper, stream) in [(&mut out, Stream::Stdout), (&mut err, Stream::Stderr)] {
            let data = shaper.finish().await;
            if !data.is_empty() {
                rec.emit(chunk_event(stream, data)).await;
            }
        }
        self.audit_outcome(prepared, &info);
        let mut redactions = out.counts();
        merge_counts(&mut redactions, err.counts());
        let summary = self.summary(prepared, &info, out.total(), err.total(), redactions);
        rec.emit(StreamEvent::Exit(summary.clone())).await;
        // The command is over: its slot goes to the next caller while the analysis is written.
        drop(permit);
        let (out_bytes, out_omitted, out_filtered) = out.take_seen();
        let (err_bytes, err_omitted, err_filtered) = err.take_seen();
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        let input = self.analysis_input(prepared, &info, text(&out_bytes), text(&err_bytes));
        let analysis = self.analysis_for(prepared, input).await;
        if let Some(a) = &analysis {
            rec.emit(StreamEvent::Analysis(Box::new(a.clone()))).await;
        }
        let result = ExecResult {
            id: summary.id,
            exit_code: summary.exit_code,
            signal: summary.signal,
            timed_out: summary.timed_out,
            limit: summary.limit,
            duration_ms: summary.duration_ms,
            stdout: encode_output(&out_bytes, prepared.encoding),
            stderr: encode_output(&err_bytes, prepared.encoding),
            output_encoding: prepared.encoding,
            stdout_truncated: out_omitted.is_some(),
            stderr_truncated: err_omitted.is_some(),
            stdout_bytes: summary.stdout_bytes,
            stderr_bytes: summary.stderr_bytes,
            stdout_redacted_bytes: out_filtered,
            stderr_redacted_bytes: err_filtered,
            stdout_omitted: out_omitted,
            stderr_omitted: err_omitted,
            limits_enforced: summary.limits_enforced,
            resources: summary.resources,
            redactions: summary.redactions,
            ai_analysis: analysis,
        };
        let json = serde_json::to_string(&result).ok();
        // Killed because the server is stopping: not the command's failure.
        let (status, error) = if self.is_shutting_down() && info.signal.is_some() {
            let why = "the server stopped while this job ran; its output up to then is kept";
            (JobStatus::Lost, Some(why.to_string()))
        } else {
            (status_of(&info), None)
        };
        rec.finish(finished(status, json, error)).await;
    }

    /// A program that could not be executed still runs its course like a command that failed
    /// (127/126).
    async fn drive_unstartable(&self, prepared: Prepared, permit: Slot, mut rec: Recorder) {
        let inline = self.settings.inline_output_bytes;
        let budget = self.filter_budget();
        let shaper = || {
            super::shape::Shaper::new(
                self.filtering(&budget),
                crate::exec::output::Collector::new(inline),
            )
        };
        let (mut result, input) = self.unstartable(&prepared, shaper(), shaper()).await;
        let start = StreamEvent::Start {
            id: prepared.id.clone(),
            pid: None,
        };
        rec.emit(start).await;
        let stderr = StreamEvent::Stderr {
            data: result.stderr.clone(),
        };
        rec.emit(stderr).await;
        rec.emit(StreamEvent::Exit(super::run::exit_summary_of(&result)))
            .await;
        drop(permit);
        result.ai_analysis = self.analysis_for(&prepared, input).await;
        if let Some(a) = &result.ai_analysis {
            rec.emit(StreamEvent::Analysis(Box::new(a.clone()))).await;
        }
        let json = serde_json::to_string(&result).ok();
        rec.finish(finished(JobStatus::Failed, json, None)).await;
    }

    pub(super) fn jobs(&self) -> &Arc<Jobs> {
        &self.jobs
    }
}

async fn closed(client: &Option<mpsc::Sender<Frame>>) {
    match client {
        Some(c) => c.closed().await,
        None => std::future::pending().await,
    }
}

/// How a run's exit reads as a job status.
pub(super) fn status_of(exit: &ExitInfo) -> JobStatus {
    if exit.cancelled {
        JobStatus::Cancelled
    } else if exit.exit_code == 0 && exit.signal.is_none() && exit.limit.is_none() {
        JobStatus::Succeeded
    } else {
        JobStatus::Failed
    }
}

pub(super) fn finished(status: JobStatus, result: Option<String>, error: Option<String>) -> Finish {
    Finish {
        status,
        finished_ms: super::audit::AuditLog::now_ms(),
        result,
        error,
    }
}

/// The store's record of a new job.
pub(super) fn job_record(
    prepared: &Prepared,
    command: String,
    status: JobStatus,
    request: Option<String>,
) -> JobRecord {
    let now = super::audit::AuditLog::now_ms();
    JobRecord {
        id: prepared.id.clone(),
        owner: prepared.caller.name.clone(),
        role: prepared.caller.role.as_str().to_string(),
        status,
        command,
        created_ms: now,
        started_ms: (status == JobStatus::Running).then_some(now),
        finished_ms: None,
        request,
        result: None,
        error: None,
        stdout_bytes: 0,
        stderr_bytes: 0,
        output_truncated: false,
        last_seq: None,
        stored_bytes: 0,
    }
}

fn chunk_event(stream: Stream, data: String) -> StreamEvent {
    match stream {
        Stream::Stdout => StreamEvent::Stdout { data },
        Stream::Stderr => StreamEvent::Stderr { data },
    }
}
