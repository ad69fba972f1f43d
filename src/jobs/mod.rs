//! Durable jobs: the record of a command that may outlive the request that started it — its
//! status, its redacted events (the same frames a live stream sends, so a replay is the
//! stream again) and its final result — behind a small [`JobStore`] trait.
//!
//! The store only keeps what it is given: it never sees an unredacted byte (the service
//! filters output before recording it) and never runs anything. `sqlite.rs` is the embedded
//! default (one WAL-mode file in the state dir); the trait is what a shared database would
//! implement to back several replicas, so nothing here assumes one process beyond the
//! recovery step a starting server runs on its own store.

mod sqlite;
#[cfg(test)]
mod tests;

pub use sqlite::SqliteStore;

use serde::{Deserialize, Serialize};

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum JobStatus {
    /// Waiting for a free slot.
    Queued,
    Running,
    /// Exited 0, no signal, no limit hit.
    Succeeded,
    /// A non-zero exit, a signal, a timeout or a limit; or it could not start.
    Failed,
    /// Cancelled by its caller (or its live stream's client went away).
    Cancelled,
    /// The server stopped while it ran; what was stored is kept.
    Lost,
}

impl JobStatus {
    pub const ALL: [JobStatus; 6] = [
        JobStatus::Queued,
        JobStatus::Running,
        JobStatus::Succeeded,
        JobStatus::Failed,
        JobStatus::Cancelled,
        JobStatus::Lost,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Running => "running",
            JobStatus::Succeeded => "succeeded",
            JobStatus::Failed => "failed",
            JobStatus::Cancelled => "cancelled",
            JobStatus::Lost => "lost",
        }
    }

    pub fn parse(s: &str) -> Option<JobStatus> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Whether nothing more will happen to the job.
    pub fn is_final(self) -> bool {
        !matches!(self, JobStatus::Queued | JobStatus::Running)
    }
}

impl std::fmt::Display for JobStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One job as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct JobRecord {
    pub id: String,
    /// The token name that made it: only it (and admins) may see it.
    pub owner: String,
    /// The owner's role when it was made (to run a queued job after a restart).
    pub role: String,
    pub status: JobStatus,
    /// What runs, redacted (for lists and audits; never the environment or stdin).
    pub command: String,
    pub created_ms: u64,
    pub started_ms: Option<u64>,
    pub finished_ms: Option<u64>,
    /// The request (JSON) while the job is queued, so it can run after a restart; cleared
    /// when it starts, so environment values and stdin are not kept longer than needed.
    pub request: Option<String>,
    /// The final result (JSON), once finished.
    pub result: Option<String>,
    /// Why it did not run or was lost.
    pub error: Option<String>,
    /// Output bytes stored (after redaction), per stream.
    pub stdout_bytes: u64,
    pub stderr_bytes: u64,
    /// Whether output stopped being stored (the per-job or the store cap was reached).
    pub output_truncated: bool,
    /// The last event stored, if any.
    pub last_seq: Option<u64>,
    /// Everything stored for this job, in bytes (its row, events and result).
    pub stored_bytes: u64,
}

/// One stored event: what a stream sent, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    pub seq: u64,
    /// `start`, `stdout`, `stderr`, `exit`, `analysis`, `error`.
    pub kind: String,
    /// For `stdout`/`stderr` the chunk as sent (text, or base64); else the event's JSON.
    pub data: String,
    /// For `stdout`/`stderr`: offset of this chunk in its stream's stored output.
    pub offset: u64,
}

impl StoredEvent {
    /// Bytes this event costs in the store (roughly: its data plus a fixed overhead).
    pub fn cost(&self) -> u64 {
        self.data.len() as u64 + 48
    }
}

/// What changes when a job finishes.
#[derive(Debug, Clone)]
pub struct Finish {
    pub status: JobStatus,
    pub finished_ms: u64,
    pub result: Option<String>,
    pub error: Option<String>,
}

/// Which jobs a list returns.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// Only this owner's jobs (`None` = everyone's, for admins).
    pub owner: Option<String>,
    pub status: Option<JobStatus>,
    /// Jobs created before this one (paging: newest first).
    pub before: Option<String>,
    pub limit: usize,
}

/// What a starting server found in its store.
#[derive(Debug, Default)]
pub struct Recovered {
    /// Jobs that were running when the server stopped; now `lost`.
    pub lost: usize,
    /// Jobs still queued, oldest first, to run again.
    pub queued: Vec<JobRecord>,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("job {0} does not exist")]
    NotFound(String),
    #[error("the job store is full ({used} of {max} bytes, jobs.max_store_bytes)")]
    Full { used: u64, max: u64 },
    #[error("job store {path}: {message}")]
    Io { path: String, message: String },
}

/// Where jobs are kept. Calls block (a local file, or a network round trip): the service
/// calls them off its async workers.
pub trait JobStore: Send + Sync + 'static {
    /// Record a new job (queued, or running when it starts at once).
    fn create(&self, job: &JobRecord) -> Result<(), StoreError>;
    /// The job started: clear its stored request.
    fn mark_running(&self, id: &str, started_ms: u64) -> Result<(), StoreError>;
    /// Append events in order, with the stream byte counts they bring.
    fn append(&self, id: &str, events: &[StoredEvent], truncated: bool) -> Result<(), StoreError>;
    /// Set the final status, and append the last events in the same transaction.
    fn finish(&self, id: &str, events: &[StoredEvent], finish: &Finish) -> Result<(), StoreError>;
    fn get(&self, id: &str) -> Result<Option<JobRecord>, StoreError>;
    fn list(&self, query: &ListQuery) -> Result<Vec<JobRecord>, StoreError>;
    /// Events after `after` (all when `None`), at most `max`.
    fn events_after(
        &self,
        id: &str,
        after: Option<u64>,
        max: usize,
    ) -> Result<Vec<StoredEvent>, StoreError>;
    /// The `stdout`/`stderr` chunks that overlap `[offset, offset + len)`, in order.
    fn output_chunks(
        &self,
        id: &str,
        stream: &str,
        offset: u64,
        len: u64,
    ) -> Result<Vec<StoredEvent>, StoreError>;
    /// Mark running jobs `lost`, return the queued ones. Run once by a server that owns the
    /// store alone (a shared store would scope this to its replica).
    fn recover(&self, now_ms: u64) -> Result<Recovered, StoreError>;
    /// Delete finished jobs older than `older_than_ms`, then the oldest finished ones until
    /// the store holds at most `max_bytes`. Returns how many were deleted.
    fn prune(&self, older_than_ms: u64, max_bytes: u64) -> Result<usize, StoreError>;
    /// Bytes stored, and jobs per status.
    fn usage(&self) -> Result<Usage, StoreError>;
}

/// How much the store holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Usage {
    pub bytes: u64,
    pub by_status: Vec<(JobStatus, u64)>,
}
