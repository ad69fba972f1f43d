//! Jobs: start a command that may outlive its request, wait for it up to a bound, look at it,
//! list, cancel, replay its events from any id and then follow it live, read ranges of its
//! output; run what was queued when the server stopped; prune the store.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::record::{frame_from_stored, Frame, Progress};
use super::stream::{finished, job_record, Stops};
use super::types::{Job, JobLinks, JobList, JobOutput, JobTail, OutputEncoding, OutputStream};
use super::{audit, ExecService, Prepared, ServiceError};
use crate::auth::Caller;
use crate::domain::Role;
use crate::jobs::{JobRecord, JobStatus, ListQuery, StoredEvent};

/// How much of each stream a running job's view shows.
const TAIL_BYTES: u64 = 2048;

/// Events read from the store per page of a replay.
const REPLAY_PAGE: usize = 256;

impl ExecService {
    /// The wait `POST /v1/jobs` uses for `wait_ms` (capped at `jobs.max_wait_ms`).
    pub fn job_wait(&self, wait_ms: Option<u64>) -> Duration {
        let s = &self.jobs().settings;
        Duration::from_millis(wait_ms.unwrap_or(s.default_wait_ms).min(s.max_wait_ms))
    }

    pub fn max_job_wait_ms(&self) -> u64 {
        self.jobs().settings.max_wait_ms
    }

    /// Queue `prepared` as a job, then wait up to `wait` for it to finish. `request` is the
    /// request's JSON, kept only while the job is queued (to run it after a restart).
    #[tracing::instrument(skip_all, fields(job = %prepared.id, caller = %prepared.caller.name))]
    pub async fn submit_job(
        self: &Arc<Self>,
        prepared: Prepared,
        request: String,
        wait: Duration,
    ) -> Result<Job, ServiceError> {
        let jobs = self.jobs().clone();
        let max = jobs.settings.max_queued_per_token;
        if jobs.live_of(&prepared.caller.name) >= max {
            return Err(ServiceError::TooManyJobs(max));
        }
        self.take_rate(&prepared.caller.name)?;
        // A free slot now: the job is recorded running (no request kept, no second write).
        let slot = self.slot_now(&prepared.caller);
        let (status, kept) = match slot {
            Some(_) => (JobStatus::Running, None),
            None => (JobStatus::Queued, Some(request.clone())),
        };
        let record = job_record(&prepared, self.filter_text(&prepared.display), status, kept);
        let created = jobs.call(move |s| s.create(&record)).await;
        if let Err(crate::jobs::StoreError::Full { .. }) = created {
            // Room may come from pruning what retention allows; else the caller is told.
            self.prune_jobs().await;
            let kept = slot.is_none().then_some(request);
            let record = job_record(&prepared, self.filter_text(&prepared.display), status, kept);
            jobs.call(move |s| s.create(&record)).await?;
        } else {
            created?;
        }
        self.audit_job(
            &prepared.id,
            &prepared.caller,
            &prepared.display,
            "submitted",
        );
        metrics::counter!("shellwise_jobs_submitted_total").increment(1);
        let id = prepared.id.clone();
        let job_owner = prepared.caller.name.clone();
        let cancel = CancellationToken::new();
        let live = jobs.add_live(&id, &prepared.caller.name, cancel.clone());
        let mut progress = live.progress.subscribe();
        let this = self.clone();
        tokio::spawn(async move { this.run_job(prepared, cancel, slot).await });
        let _ = tokio::time::timeout(wait, progress.wait_for(|p| p.done)).await;
        let mut job = self.job_view(&id).await?;
        if !job.status.is_final() {
            let caller = Caller {
                name: job_owner.clone(),
                role: Role::Operator,
            };
            self.add_tail(&caller, &mut job).await;
        }
        Ok(job)
    }

    /// A queued job: wait for a slot (or its cancel), then run it without a live client.
    async fn run_job(
        self: Arc<Self>,
        prepared: Prepared,
        cancel: CancellationToken,
        slot: Option<super::run::Slot>,
    ) {
        let jobs = self.jobs().clone();
        let Some(live) = jobs.live(&prepared.id) else {
            return;
        };
        if let Some(permit) = slot {
            let base64 = prepared.encoding == OutputEncoding::Base64;
            let recorder =
                super::record::Recorder::new(jobs.clone(), live, &prepared.id, None, base64);
            let stops = Stops {
                cancel,
                hangup_kills: false,
            };
            return self.drive(prepared, permit, recorder, stops).await;
        }
        let deadline =
            tokio::time::Instant::now() + Duration::from_millis(jobs.settings.queue_timeout_ms);
        let slot = tokio::select! {
            slot = self.acquire_until(&prepared.caller, deadline) => slot,
            _ = cancel.cancelled() => Err(ServiceError::ClientGone),
        };
        let base64 = prepared.encoding == OutputEncoding::Base64;
        let recorder = super::record::Recorder::new(jobs.clone(), live, &prepared.id, None, base64);
        let permit = match slot {
            Ok(permit) => permit,
            // The server is stopping: the job stays queued in the store (with its request)
            // and the next start runs it.
            Err(ServiceError::ShuttingDown) => {
                jobs.remove_live(&prepared.id);
                return;
            }
            Err(e) => {
                let (status, error) = match e {
                    ServiceError::ClientGone => {
                        (JobStatus::Cancelled, "cancelled while queued".into())
                    }
                    e => (JobStatus::Failed, format!("it never started: {e}")),
                };
                return recorder.finish(finished(status, None, Some(error))).await;
            }
        };
        let id = prepared.id.clone();
        let now = audit::AuditLog::now_ms();
        if let Err(e) = jobs.call(move |s| s.mark_running(&id, now)).await {
            tracing::warn!(job = %prepared.id, error = %e, "job start not stored");
        }
        let stops = Stops {
            cancel,
            hangup_kills: false,
        };
        self.drive(prepared, permit, recorder, stops).await;
    }

    /// A job its caller may see: its own, or any for an admin. Another token's job is "not
    /// found", not "forbidden": its existence is not confirmed.
    async fn visible(&self, caller: &Caller, id: &str) -> Result<JobRecord, ServiceError> {
        let key = id.to_string();
        let record = self.jobs().call(move |s| s.get(&key)).await?;
        match record {
            Some(r) if r.owner == caller.name || caller.role == Role::Admin => Ok(r),
            _ => Err(ServiceError::JobNotFound(id.to_string())),
        }
    }

    async fn job_view(&self, id: &str) -> Result<Job, ServiceError> {
        let key = id.to_string();
        let record = self.jobs().call(move |s| s.get(&key)).await?;
        record
            .map(|r| view(r, true))
            .ok_or_else(|| ServiceError::JobNotFound(id.to_string()))
    }

    /// A job, after waiting up to `wait` for it to finish.
    pub async fn job(
        &self,
        caller: &Caller,
        id: &str,
        wait: Option<Duration>,
    ) -> Result<Job, ServiceError> {
        let mut record = self.visible(caller, id).await?;
        if let Some(wait) = wait {
            let deadline = tokio::time::Instant::now() + wait;
            // A job recovered after a restart is marked in the store a moment before its
            // run is registered: until then, look again rather than answer at once.
            while !record.status.is_final() {
                if let Some(live) = self.jobs().live(id) {
                    let mut progress = live.progress.subscribe();
                    let _ = tokio::time::timeout_at(deadline, progress.wait_for(|p| p.done)).await;
                    record = self.visible(caller, id).await?;
                    break;
                }
                if tokio::time::Instant::now() >= deadline {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(20).min(wait)).await;
                record = self.visible(caller, id).await?;
            }
        }
        let running = !record.status.is_final();
        let mut job = view(record, true);
        if running {
            self.add_tail(caller, &mut job).await;
        }
        Ok(job)
    }

    /// The last bytes each stream stored, for a job that has no result yet.
    async fn add_tail(&self, caller: &Caller, job: &mut Job) {
        let tail = |stored: u64| stored.saturating_sub(TAIL_BYTES);
        let (out_at, err_at) = (tail(job.stdout_bytes), tail(job.stderr_bytes));
        let out = self
            .job_output(caller, &job.id, OutputStream::Stdout, out_at, TAIL_BYTES)
            .await;
        let err = self
            .job_output(caller, &job.id, OutputStream::Stderr, err_at, TAIL_BYTES)
            .await;
        if let (Ok(out), Ok(err)) = (out, err) {
            job.tail = Some(JobTail {
                stdout: out.data,
                stderr: err.data,
                encoding: out.encoding,
            });
        }
    }

    /// The caller's jobs (an admin's: everyone's), newest first.
    pub async fn list_jobs(
        &self,
        caller: &Caller,
        status: Option<JobStatus>,
        before: Option<String>,
        limit: usize,
    ) -> Result<JobList, ServiceError> {
        let query = ListQuery {
            owner: (caller.role != Role::Admin).then(|| caller.name.clone()),
            status,
            before,
            limit: limit + 1,
        };
        let mut records = self.jobs().call(move |s| s.list(&query)).await?;
        let next_before = (records.len() > limit).then(|| {
            records.truncate(limit);
            records.last().map(|r| r.id.clone())
        });
        Ok(JobList {
            jobs: records.into_iter().map(|r| view(r, false)).collect(),
            next_before: next_before.flatten(),
        })
    }

    /// Cancel a queued or running job; answers with it once it stopped (or after 5 s).
    pub async fn cancel_job(&self, caller: &Caller, id: &str) -> Result<Job, ServiceError> {
        let record = self.visible(caller, id).await?;
        let Some(live) = self.jobs().live(id).filter(|_| !record.status.is_final()) else {
            return Err(ServiceError::JobFinished {
                id: id.to_string(),
                status: record.status,
            });
        };
        self.audit_job(id, caller, &record.command, "cancel");
        let mut progress = live.progress.subscribe();
        live.cancel.cancel();
        let _ = tokio::time::timeout(Duration::from_secs(5), progress.wait_for(|p| p.done)).await;
        self.job_view(id).await
    }

    /// The job's events after `after` (from the start when `None`), then live ones until it
    /// ends with an `end` event. `after` is kept even when the store does not hold that event
    /// yet: a live client sees events before their batch is stored, and one that resumes at
    /// once must not get the stored ones again. An id past the job's end gives only `end`.
    pub async fn job_events(
        self: &Arc<Self>,
        caller: &Caller,
        id: &str,
        after: Option<u64>,
    ) -> Result<mpsc::Receiver<Frame>, ServiceError> {
        let record = self.visible(caller, id).await?;
        metrics::counter!("shellwise_job_replays_total").increment(1);
        let progress = self.jobs().live(id).map(|l| l.progress.subscribe());
        let (tx, rx) = mpsc::channel(16);
        let this = self.clone();
        tokio::spawn(async move { this.replay(record, after, progress, tx).await });
        Ok(rx)
    }

    async fn replay(
        &self,
        record: JobRecord,
        mut cursor: Option<u64>,
        mut progress: Option<tokio::sync::watch::Receiver<Progress>>,
        tx: mpsc::Sender<Frame>,
    ) {
        let job: Arc<str> = Arc::from(record.id.as_str());
        let mut saw_end = false;
        loop {
            let done_before_read = match &progress {
                Some(p) => p.borrow().done,
                None => true,
            };
            let id = record.id.clone();
            let page = self
                .jobs()
                .call(move |s| s.events_after(&id, cursor, REPLAY_PAGE))
                .await;
            let page = match page {
                Ok(page) => page,
                Err(e) => {
                    tracing::warn!(job = %job, error = %e, "job replay failed");
                    return;
                }
            };
            let full = page.len() == REPLAY_PAGE;
            for event in page {
                cursor = Some(event.seq);
                saw_end |= event.kind == "end";
                if tx.send(frame_from_stored(&job, event)).await.is_err() {
                    return;
                }
            }
            if full {
                continue;
            }
            if done_before_read {
                break;
            }
            if let Some(p) = progress.as_mut() {
                if p.changed().await.is_err() {
                    // The run ended and its state went away: read what it stored last.
                    progress = None;
                }
            }
        }
        if !saw_end {
            // A job that ended without its own `end` (lost in a restart, or never started)
            // still ends its stream with one.
            let key = record.id.clone();
            let now = self.jobs().call(move |s| s.get(&key)).await.ok().flatten();
            let now = now.unwrap_or(record);
            let end = StoredEvent {
                seq: cursor.map_or(0, |c| c + 1),
                kind: "end".into(),
                data: super::record::end_json(&now.id, now.status, now.error),
                offset: 0,
            };
            let _ = tx.send(frame_from_stored(&job, end)).await;
        }
    }

    /// `length` bytes of a job's stored output from `offset`.
    pub async fn job_output(
        &self,
        caller: &Caller,
        id: &str,
        stream: OutputStream,
        offset: u64,
        length: u64,
    ) -> Result<JobOutput, ServiceError> {
        let record = self.visible(caller, id).await?;
        let encoding = record
            .result
            .as_deref()
            .and_then(|r| serde_json::from_str::<serde_json::Value>(r).ok())
            .and_then(|v| v.get("outputEncoding").cloned())
            .and_then(|v| serde_json::from_value::<OutputEncoding>(v).ok());
        let name = match stream {
            OutputStream::Stdout => "stdout",
            OutputStream::Stderr => "stderr",
        };
        let key = id.to_string();
        let chunks = self
            .jobs()
            .call(move |s| s.output_chunks(&key, name, offset, length))
            .await?;
        // A job's chunks are all text or all base64; a finished one says which, a running one
        // shows it in its chunks.
        let base64 = match encoding {
            Some(e) => e == OutputEncoding::Base64,
            None => chunks.iter().all(|c| looks_base64(&c.data)) && !chunks.is_empty(),
        };
        let mut bytes = Vec::new();
        let mut start = None;
        let mut end = 0;
        for c in &chunks {
            let raw = if base64 {
                use base64::Engine as _;
                base64::engine::general_purpose::STANDARD
                    .decode(&c.data)
                    .unwrap_or_default()
            } else {
                c.data.clone().into_bytes()
            };
            let from = offset.saturating_sub(c.offset) as usize;
            let to = offset
                .saturating_add(length)
                .saturating_sub(c.offset)
                .min(raw.len() as u64) as usize;
            if from < to {
                start.get_or_insert(c.offset + from as u64);
                bytes.extend_from_slice(&raw[from..to]);
            }
            end = end.max(c.offset + raw.len() as u64);
        }
        let total = match stream {
            OutputStream::Stdout => record.stdout_bytes,
            OutputStream::Stderr => record.stderr_bytes,
        };
        let total = if base64 {
            end.max(offset.min(end))
        } else {
            total.max(end)
        };
        let start = start.unwrap_or(offset.min(total));
        let next = start + bytes.len() as u64;
        let encoding = if base64 {
            OutputEncoding::Base64
        } else {
            OutputEncoding::Text
        };
        Ok(JobOutput {
            stream,
            offset: start,
            length: bytes.len() as u64,
            data: super::shape::encode_output(&bytes, encoding),
            encoding,
            total_bytes: total,
            next_offset: (next < total).then_some(next),
            complete: record.status.is_final(),
        })
    }

    /// At start, before the first request: mark jobs that were running `lost`; then, in the
    /// background, run the ones still queued and keep pruning the store.
    pub fn recover_jobs(self: &Arc<Self>) -> anyhow::Result<()> {
        let recovered = self.jobs().store.recover(audit::AuditLog::now_ms())?;
        if recovered.lost > 0 {
            tracing::warn!(
                lost = recovered.lost,
                "jobs that were running when the server stopped are marked lost"
            );
        }
        let this = Arc::downgrade(self);
        tokio::spawn(async move {
            if let Some(this) = this.upgrade() {
                for record in recovered.queued {
                    this.requeue(record).await;
                }
                this.prune_jobs().await;
            }
            let mut every = tokio::time::interval(Duration::from_secs(60));
            every.tick().await;
            loop {
                every.tick().await;
                let Some(this) = this.upgrade() else { return };
                this.prune_jobs().await;
            }
        });
        Ok(())
    }

    /// Run a job that was queued when the server stopped, as its owner, through the same
    /// checks as a new request (the policy may have changed since).
    async fn requeue(self: &Arc<Self>, record: JobRecord) {
        let caller = Caller {
            name: record.owner.clone(),
            role: Role::parse(&record.role).unwrap_or(Role::Viewer),
        };
        let parsed = record
            .request
            .as_deref()
            .map(serde_json::from_str::<crate::lenient::Object<super::types::ExecRequest>>);
        let prepared = match parsed {
            Some(Ok(req)) => self.prepare(req.0, &caller).map_err(|e| e.to_string()),
            Some(Err(e)) => Err(format!("its stored request is unreadable: {e}")),
            None => Err("its stored request is missing".to_string()),
        };
        let mut prepared = match prepared {
            Ok(p) => p,
            Err(why) => {
                let id = record.id.clone();
                let end = finished(
                    JobStatus::Failed,
                    None,
                    Some(format!("not run after a restart: {why}")),
                );
                let _ = self.jobs().call(move |s| s.finish(&id, &[], &end)).await;
                return;
            }
        };
        // The job keeps its id.
        prepared.id = record.id.clone();
        let cancel = CancellationToken::new();
        self.jobs()
            .add_live(&record.id, &record.owner, cancel.clone());
        let this = self.clone();
        tokio::spawn(async move { this.run_job(prepared, cancel, None).await });
    }

    /// Delete what retention and the size cap say must go; publish the store's usage.
    pub(super) async fn prune_jobs(&self) {
        let s = &self.jobs().settings;
        let older = audit::AuditLog::now_ms().saturating_sub(s.retention_secs.saturating_mul(1000));
        // Keep a tenth free, so new jobs do not wait for the next pass.
        let target = s.max_store_bytes / 10 * 9;
        let pruned = self
            .jobs()
            .call(move |st| {
                let n = st.prune(older, target)?;
                Ok((n, st.usage()?))
            })
            .await;
        match pruned {
            Ok((n, usage)) => {
                if n > 0 {
                    metrics::counter!("shellwise_jobs_pruned_total").increment(n as u64);
                }
                publish_usage(&usage);
            }
            Err(e) => tracing::warn!(error = %e, "job store pruning failed"),
        }
    }

    /// Refresh the store's gauges (jobs by status, bytes), for a `/metrics` scrape.
    pub async fn refresh_job_metrics(&self) {
        match self.jobs().call(|s| s.usage()).await {
            Ok(usage) => publish_usage(&usage),
            Err(e) => tracing::warn!(error = %e, "job store usage unavailable"),
        }
    }

    fn audit_job(&self, id: &str, caller: &Caller, what: &str, decision: &str) {
        self.audit(audit::AuditRecord {
            ts_ms: audit::AuditLog::now_ms(),
            kind: "job",
            request_id: &crate::telemetry::current_request_id().unwrap_or_default(),
            exec_id: id,
            who: &caller.name,
            role: caller.role.as_str(),
            what,
            cwd: "",
            decision,
            rule_id: "",
            exit_code: None,
            limit: None,
            duration_ms: None,
        });
    }
}

fn looks_base64(s: &str) -> bool {
    s.len().is_multiple_of(4)
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=')
}

fn publish_usage(usage: &crate::jobs::Usage) {
    metrics::gauge!("shellwise_job_store_bytes").set(usage.bytes as f64);
    for status in JobStatus::ALL {
        let count = usage
            .by_status
            .iter()
            .find(|(s, _)| *s == status)
            .map_or(0, |(_, n)| *n);
        metrics::gauge!("shellwise_jobs", "status" => status.as_str()).set(count as f64);
        if status == JobStatus::Queued {
            // The queue depth: jobs waiting for a slot.
            metrics::gauge!("shellwise_jobs_queued").set(count as f64);
        }
    }
}

/// A stored job as the API shows it.
fn view(r: JobRecord, with_result: bool) -> Job {
    let base = format!("/v1/jobs/{}", r.id);
    Job {
        last_event_id: r.last_seq.map(|s| format!("{}:{s}", r.id)),
        status: r.status,
        command: r.command,
        created_at: rfc3339(r.created_ms),
        started_at: r.started_ms.map(rfc3339),
        finished_at: r.finished_ms.map(rfc3339),
        stdout_bytes: r.stdout_bytes,
        stderr_bytes: r.stderr_bytes,
        output_truncated: r.output_truncated,
        error: r.error,
        result: r
            .result
            .filter(|_| with_result)
            .and_then(|j| serde_json::from_str(&j).ok()),
        tail: None,
        links: JobLinks {
            events: format!("{base}/events"),
            output: format!("{base}/output"),
            cancel: format!("{base}/cancel"),
            this: base,
        },
        id: r.id,
    }
}

/// Milliseconds since the epoch as RFC 3339 UTC (`2026-12-02T06:30:00.120Z`).
pub(crate) fn rfc3339(ms: u64) -> String {
    let secs = ms / 1000;
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        ms % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::rfc3339;

    #[test]
    fn timestamps_are_rfc3339_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(rfc3339(1_796_193_000_120), "2026-12-02T06:30:00.120Z");
    }
}
