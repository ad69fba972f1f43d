//! Recording a run as a job: every event a run emits becomes one numbered [`Frame`], sent to
//! the live client (if there is one) and kept in the job store in small batches, so a
//! dropped client can replay it from any event id. Also the jobs' shared state: the store,
//! which jobs are live here, and their progress for waiting readers.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, watch};
use tokio_util::sync::CancellationToken;

use super::types::StreamEvent;
use crate::config::JobSettings;
use crate::jobs::{JobStore, StoreError, StoredEvent};

/// One event of a job, numbered: its SSE `id:` is `<job>:<seq>`.
#[derive(Debug, Clone)]
pub struct Frame {
    pub job: Arc<str>,
    pub seq: u64,
    pub kind: &'static str,
    /// The event's JSON.
    pub data: String,
}

impl Frame {
    /// The SSE event id: the job and the position in it, so a reconnect can name both.
    pub fn event_id(&self) -> String {
        format!("{}:{}", self.job, self.seq)
    }

    /// Whether a stream may end after this frame.
    pub fn is_final(&self) -> bool {
        self.kind == "end"
    }
}

/// The event names a job stream uses, as stored.
pub(crate) fn kind_of(stored: &str) -> &'static str {
    match stored {
        "start" => "start",
        "stdout" => "stdout",
        "stderr" => "stderr",
        "exit" => "exit",
        "analysis" => "analysis",
        "error" => "error",
        _ => "end",
    }
}

/// How far a live job got: the last event stored, and whether it is over.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Progress {
    pub(crate) stored: Option<u64>,
    pub(crate) done: bool,
}

/// A job running (or queued) in this process.
pub(crate) struct Live {
    pub(crate) owner: String,
    pub(crate) progress: watch::Sender<Progress>,
    pub(crate) cancel: CancellationToken,
}

/// The jobs' shared state.
pub(crate) struct Jobs {
    pub(crate) store: Arc<dyn JobStore>,
    pub(crate) live: Mutex<HashMap<String, Arc<Live>>>,
    pub(crate) settings: JobSettings,
    calls: StoreThreads,
}

/// A store call, boxed for the store threads.
type StoreCall = Box<dyn FnOnce(&dyn JobStore) + Send>;

/// A few threads of our own that run every store call. The store has one writer and one
/// reader connection behind locks, so more threads only wait; tokio's blocking pool would
/// start one per waiting call (about 150 of them with 1,000 streams starting together, each
/// with its own stack and allocator cache, ~4 KiB of resident memory per stream).
struct StoreThreads {
    queue: std::sync::mpsc::Sender<StoreCall>,
}

/// Enough for a long read (a replay), a write and one more read to proceed at once.
const STORE_THREADS: usize = 3;

impl StoreThreads {
    fn start(store: &Arc<dyn JobStore>) -> StoreThreads {
        let (queue, calls) = std::sync::mpsc::channel::<StoreCall>();
        let calls = Arc::new(Mutex::new(calls));
        for n in 0..STORE_THREADS {
            let calls = Arc::clone(&calls);
            let store = Arc::clone(store);
            let started = std::thread::Builder::new()
                .name(format!("job-store-{n}"))
                .spawn(move || loop {
                    // One thread at a time waits for the next call (the others wait for the
                    // lock); all end when the jobs' state (the sender) is dropped.
                    let next = calls.lock().unwrap_or_else(|e| e.into_inner()).recv();
                    let Ok(call) = next else { return };
                    // A panicking call loses only its own answer (its caller sees an error).
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        call(store.as_ref())
                    }));
                });
            if let Err(e) = started {
                tracing::error!(error = %e, "cannot start a job store thread");
            }
        }
        StoreThreads { queue }
    }
}

impl Jobs {
    pub(crate) fn new(store: Arc<dyn JobStore>, settings: JobSettings) -> Jobs {
        Jobs {
            calls: StoreThreads::start(&store),
            store,
            live: Mutex::default(),
            settings,
        }
    }

    pub(crate) fn live(&self, id: &str) -> Option<Arc<Live>> {
        self.live
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(id)
            .cloned()
    }

    pub(crate) fn add_live(&self, id: &str, owner: &str, cancel: CancellationToken) -> Arc<Live> {
        let live = Arc::new(Live {
            owner: owner.to_string(),
            progress: watch::Sender::new(Progress::default()),
            cancel,
        });
        self.live
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id.to_string(), live.clone());
        live
    }

    pub(crate) fn remove_live(&self, id: &str) {
        self.live
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(id);
    }

    /// How many of `owner`'s jobs are live here.
    pub(crate) fn live_of(&self, owner: &str) -> usize {
        self.live
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .values()
            .filter(|l| l.owner == owner)
            .count()
    }

    /// Run a store call off the async workers, on the store threads.
    pub(crate) async fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn JobStore) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let (answer, answered) = tokio::sync::oneshot::channel();
        let call: StoreCall = Box::new(move |store| {
            let _ = answer.send(f(store));
        });
        let failed = |why: &str| StoreError::Io {
            path: "job store".into(),
            message: format!("store call failed: {why}"),
        };
        if self.calls.queue.send(call).is_err() {
            return Err(failed("the store threads have stopped"));
        }
        answered
            .await
            .unwrap_or_else(|_| Err(failed("the call panicked")))
    }
}

/// Stored output is written at least this often while a job runs (a replay or a waiting
/// reader sees it this late at most), or sooner when this much is pending.
const FLUSH_EVERY: Duration = Duration::from_millis(40);
const FLUSH_BYTES: usize = 256 * 1024;

/// Where a run's events go: numbered, to the live client, and into the store.
pub(crate) struct Recorder {
    jobs: Arc<Jobs>,
    live_job: Arc<Live>,
    job: Arc<str>,
    next: u64,
    client: Option<mpsc::Sender<Frame>>,
    pending: Vec<StoredEvent>,
    pending_bytes: usize,
    first_pending: Option<Instant>,
    /// Raw bytes kept per stream (for output offsets), and whether output stopped being kept.
    offsets: [u64; 2],
    stored_output: u64,
    truncated: bool,
    truncation_unsaved: bool,
    base64: bool,
}

impl Recorder {
    pub(crate) fn new(
        jobs: Arc<Jobs>,
        live_job: Arc<Live>,
        job: &str,
        client: Option<mpsc::Sender<Frame>>,
        base64: bool,
    ) -> Recorder {
        Recorder {
            jobs,
            live_job,
            job: Arc::from(job),
            next: 0,
            client,
            pending: Vec::new(),
            pending_bytes: 0,
            first_pending: None,
            offsets: [0, 0],
            stored_output: 0,
            truncated: false,
            truncation_unsaved: false,
            base64,
        }
    }

    /// The live client's sender, to notice when it goes away.
    pub(crate) fn client(&self) -> Option<mpsc::Sender<Frame>> {
        self.client.clone()
    }

    /// When pending events should be written.
    pub(crate) fn flush_due(&self) -> Option<tokio::time::Instant> {
        self.first_pending
            .map(|t| tokio::time::Instant::from_std(t + FLUSH_EVERY))
    }

    /// Number the event, send it to the client, keep it for the store.
    pub(crate) async fn emit(&mut self, event: StreamEvent) {
        match event {
            StreamEvent::Stdout { data } => self.output("stdout", data).await,
            StreamEvent::Stderr { data } => self.output("stderr", data).await,
            other => {
                let (kind, data) = frame_of(&self.job, other);
                self.emit_raw(kind, data, None).await;
            }
        }
    }

    async fn output(&mut self, kind: &'static str, text: String) {
        let tag = if kind == "stderr" {
            super::events::OutputTag::Stderr
        } else {
            super::events::OutputTag::Stdout
        };
        let data = output_json(tag, &text);
        self.emit_raw(kind, data, Some(text)).await;
    }

    /// `text` is an output chunk's text (what the store keeps of a `stdout`/`stderr` event).
    async fn emit_raw(&mut self, kind: &'static str, data: String, text: Option<String>) {
        let seq = self.next;
        self.next += 1;
        if let Some(client) = &self.client {
            let frame = Frame {
                job: self.job.clone(),
                seq,
                kind,
                data: data.clone(),
            };
            if client.send(frame).await.is_err() {
                self.client = None;
            }
        }
        let stored = match text {
            Some(text) => {
                let i = usize::from(kind == "stderr");
                let len = raw_len(&text, self.base64);
                let offset = self.offsets[i];
                self.offsets[i] += len;
                if self.truncated {
                    return;
                }
                let room = self.jobs.settings.max_output_bytes - self.stored_output;
                let text = if len > room {
                    // Keep what fits of this chunk, then no more; say so in the store soon,
                    // even if nothing else comes.
                    self.truncated = true;
                    self.truncation_unsaved = true;
                    self.first_pending.get_or_insert_with(Instant::now);
                    let fits = prefix_within(&text, room, self.base64);
                    if fits.is_empty() {
                        return;
                    }
                    fits.to_string()
                } else {
                    text
                };
                self.stored_output += raw_len(&text, self.base64);
                StoredEvent {
                    seq,
                    kind: kind.to_string(),
                    data: text,
                    offset,
                }
            }
            None => StoredEvent {
                seq,
                kind: kind.to_string(),
                data,
                offset: 0,
            },
        };
        self.pending_bytes += stored.data.len();
        self.pending.push(stored);
        self.first_pending.get_or_insert_with(Instant::now);
        if self.pending_bytes >= FLUSH_BYTES {
            self.flush().await;
        }
    }

    /// Write what is pending. A full store stops keeping output (the job says so); the run
    /// goes on.
    pub(crate) async fn flush(&mut self) {
        if self.pending.is_empty() && !self.truncation_unsaved {
            self.first_pending = None;
            return;
        }
        self.truncation_unsaved = false;
        let events = std::mem::take(&mut self.pending);
        self.pending_bytes = 0;
        self.first_pending = None;
        let id = self.job.to_string();
        let truncated = self.truncated;
        // All of it, or (the store is nearly full) as much as fits, in order.
        let written = self
            .jobs
            .call(move |s| match s.append(&id, &events, truncated) {
                Ok(()) => Ok((events.last().map(|e| e.seq), false)),
                Err(StoreError::Full { used, max }) => {
                    let mut room = max.saturating_sub(used);
                    let fits = events
                        .iter()
                        .take_while(|e| {
                            let ok = e.cost() <= room;
                            room = room.saturating_sub(e.cost());
                            ok
                        })
                        .count();
                    s.append(&id, &events[..fits], true)?;
                    Ok((events[..fits].last().map(|e| e.seq), true))
                }
                Err(e) => Err(e),
            })
            .await;
        match written {
            Ok((last, cut)) => {
                self.live_job
                    .progress
                    .send_modify(|p| p.stored = last.or(p.stored));
                self.truncated |= cut;
            }
            Err(e) => {
                tracing::warn!(job = %self.job, error = %e, "job events not stored");
                if !self.truncated {
                    self.truncated = true;
                    self.truncation_unsaved = true;
                    self.first_pending.get_or_insert_with(Instant::now);
                }
            }
        }
    }

    /// The last events and the final state, in one write; then readers are told it is over.
    pub(crate) async fn finish(mut self, finish: crate::jobs::Finish) {
        let status = finish.status;
        let end = end_json(&self.job, status, finish.error.clone());
        self.emit_raw("end", end, None).await;
        let events = std::mem::take(&mut self.pending);
        let last = events.last().map(|e| e.seq);
        let id = self.job.to_string();
        let truncated = self.truncated;
        let written = self
            .jobs
            .call(move |s| {
                if truncated {
                    s.append(&id, &[], true).or(Ok::<(), StoreError>(()))?;
                }
                s.finish(&id, &events, &finish)
            })
            .await;
        if let Err(e) = written {
            tracing::error!(job = %self.job, error = %e, "job result not stored");
        }
        metrics::counter!("shellwise_jobs_finished_total", "status" => status.as_str())
            .increment(1);
        self.live_job.progress.send_modify(|p| {
            p.stored = last.or(p.stored);
            p.done = true;
        });
        self.jobs.remove_live(&self.job);
    }
}

/// The longest prefix of a chunk that stands for at most `room` bytes (whole characters, or
/// whole base64 quads).
fn prefix_within(text: &str, room: u64, base64: bool) -> &str {
    let room = room.min(text.len() as u64) as usize;
    if base64 {
        let quads = room / 3;
        return &text[..(quads * 4).min(text.len())];
    }
    let mut end = room;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The bytes a chunk stands for: its text, or what its base64 decodes to.
pub(crate) fn raw_len(text: &str, base64: bool) -> u64 {
    if !base64 {
        return text.len() as u64;
    }
    let pad = text.bytes().rev().take_while(|&b| b == b'=').count();
    (text.len() / 4 * 3).saturating_sub(pad) as u64
}

/// An event's name and JSON.
pub(crate) fn frame_of(job: &str, event: StreamEvent) -> (&'static str, String) {
    use super::events::*;
    let json = |v: Result<String, serde_json::Error>| v.unwrap_or_default();
    match event {
        StreamEvent::Start { id, pid } => (
            "start",
            json(serde_json::to_string(&StreamStartEvent {
                event: StartTag::Start,
                id,
                job_id: job.to_string(),
                pid,
            })),
        ),
        StreamEvent::Stdout { data } => ("stdout", output_json(OutputTag::Stdout, &data)),
        StreamEvent::Stderr { data } => ("stderr", output_json(OutputTag::Stderr, &data)),
        StreamEvent::Exit(exit) => (
            "exit",
            json(serde_json::to_string(&StreamExitEvent {
                event: ExitTag::Exit,
                exit,
            })),
        ),
        StreamEvent::Analysis(a) => (
            "analysis",
            json(serde_json::to_string(&StreamAnalysisEvent {
                event: AnalysisTag::Analysis,
                analysis: *a,
            })),
        ),
    }
}

fn output_json(event: super::events::OutputTag, data: &str) -> String {
    #[derive(serde::Serialize)]
    struct Chunk<'a> {
        event: super::events::OutputTag,
        data: &'a str,
    }
    serde_json::to_string(&Chunk { event, data }).unwrap_or_default()
}

/// The `end` event's JSON.
pub(crate) fn end_json(job: &str, status: crate::jobs::JobStatus, error: Option<String>) -> String {
    use super::events::{EndTag, StreamEndEvent};
    serde_json::to_string(&StreamEndEvent {
        event: EndTag::End,
        id: job.to_string(),
        status,
        error,
    })
    .unwrap_or_default()
}

/// A stored event as the frame a client gets.
pub(crate) fn frame_from_stored(job: &Arc<str>, e: StoredEvent) -> Frame {
    let kind = kind_of(&e.kind);
    let data = match kind {
        "stdout" => output_json(super::events::OutputTag::Stdout, &e.data),
        "stderr" => output_json(super::events::OutputTag::Stderr, &e.data),
        _ => e.data,
    };
    Frame {
        job: job.clone(),
        seq: e.seq,
        kind,
        data,
    }
}
