//! Streaming runs: the same start as a buffered run, with filtered output forwarded as
//! [`StreamEvent`]s while the command runs. Dropping the receiver kills the command.

use std::sync::Arc;

use tokio::sync::mpsc;

use super::run::Slot;

use super::shape::{merge_counts, Shaper, StreamShaper, IDLE_FLUSH};
use super::types::{ExecResult, ExitSummary, StreamEvent};
use super::{ExecService, Prepared, ServiceError};
use crate::exec::output::Collector;
use crate::exec::{ExecEvent, Stream};

impl ExecService {
    /// Start a streaming run. Events arrive on the returned channel; dropping the receiver
    /// kills the command.
    pub async fn run_stream(
        self: &Arc<Self>,
        mut prepared: Prepared,
    ) -> Result<mpsc::Receiver<StreamEvent>, ServiceError> {
        let permit = self.acquire(&prepared.caller).await?;
        tracing::info!(exec_id = %prepared.id, caller = %prepared.caller.name,
            command = %prepared.display, "exec stream");
        let execution = self.start(&mut prepared)?;
        let (tx, rx) = mpsc::channel(16);
        let this = self.clone();
        tokio::spawn(async move {
            this.forward(prepared, execution, tx, permit).await;
        });
        Ok(rx)
    }

    async fn forward(
        &self,
        prepared: Prepared,
        execution: Option<crate::exec::Execution>,
        tx: mpsc::Sender<StreamEvent>,
        permit: Slot,
    ) {
        let Some(mut execution) = execution else {
            return self.forward_unstartable(prepared, tx, permit).await;
        };
        // Streams are not capped inline (that is what streaming is for); totals still count.
        let mut out = StreamShaper::new(self.filter.stream(), prepared.encoding);
        let mut err = StreamShaper::new(self.filter.stream(), prepared.encoding);
        loop {
            let event = tokio::select! {
                ev = execution.events.recv() => ev,
                // The client is gone; dropping `execution` kills the command.
                _ = tx.closed() => return,
                // Output held back by the filter (e.g. a partial line) must not stall a live
                // stream: release what is safe after a short quiet period.
                _ = tokio::time::sleep(IDLE_FLUSH), if out.wants_idle_flush() || err.wants_idle_flush() => {
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
                    drop(execution);
                    return self
                        .forward_exit(&prepared, info, (out, err), &tx, permit)
                        .await;
                }
            };
            if sent.is_err() {
                // The client is gone; dropping `execution` kills the command.
                return;
            }
        }
    }

    /// The end of a live stream: what the filters held, the exit summary, then the analysis.
    async fn forward_exit(
        &self,
        prepared: &Prepared,
        info: crate::exec::ExitInfo,
        (mut out, mut err): (StreamShaper, StreamShaper),
        tx: &mpsc::Sender<StreamEvent>,
        permit: Slot,
    ) {
        for (shaper, stream) in [(&mut out, Stream::Stdout), (&mut err, Stream::Stderr)] {
            let data = shaper.finish();
            if !data.is_empty() && tx.send(chunk_event(stream, data)).await.is_err() {
                return;
            }
        }
        self.audit_outcome(prepared, &info);
        let mut redactions = out.counts();
        merge_counts(&mut redactions, err.counts());
        let summary = self.summary(prepared, &info, out.total(), err.total(), redactions);
        if tx.send(StreamEvent::Exit(summary)).await.is_err() {
            return;
        }
        // The command is over: its slot goes to the next caller while the analysis is written.
        drop(permit);
        let input = self.analysis_input(prepared, &info, out.seen_text(), err.seen_text());
        if let Some(a) = self.analysis_for(prepared, input).await {
            let _ = tx.send(StreamEvent::Analysis(Box::new(a))).await;
        }
    }

    /// A program that could not be executed still streams like a command that failed (127/126).
    async fn forward_unstartable(
        &self,
        prepared: Prepared,
        tx: mpsc::Sender<StreamEvent>,
        permit: Slot,
    ) {
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
        drop(permit);
        if let Some(a) = self.analysis_for(&prepared, input).await {
            let _ = tx.send(StreamEvent::Analysis(Box::new(a))).await;
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
