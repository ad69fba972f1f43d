//! The data of each event a run's stream sends (`/v1/exec/stream`, `/v1/jobs/{id}/events`).
//! Every payload names its own event in `event`, so a client that only sees `data` (as
//! generated SSE clients do) can tell a `stdout` chunk from a `stderr` one; the schemas
//! are what the OpenAPI document declares for the stream.

use serde::Serialize;
use utoipa::ToSchema;

use super::types::ExitSummary;
use crate::analysis::Analysis;
use crate::jobs::JobStatus;

// `rename_all` on the enum, not `rename` on the variant: utoipa does not see a `rename`
// whose value comes from a macro argument, and the schema then said `Start` while the wire
// said `start` (the generated Python client refused every real event).
macro_rules! tag {
    ($name:ident, $variant:ident) => {
        #[derive(Debug, Clone, Copy, Serialize, ToSchema)]
        #[serde(rename_all = "lowercase")]
        pub enum $name {
            $variant,
        }
    };
}

tag!(StartTag, Start);
tag!(ExitTag, Exit);
tag!(AnalysisTag, Analysis);
tag!(EndTag, End);

/// `stdout` or `stderr`.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum OutputTag {
    Stdout,
    Stderr,
}

/// `start`: the command started (`pid` is its host pid; `null` if it could not be executed).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StreamStartEvent {
    pub event: StartTag,
    pub id: String,
    /// The job this stream belongs to (its events URL is `/v1/jobs/{jobId}/events`).
    pub job_id: String,
    pub pid: Option<u32>,
}

/// `stdout` / `stderr`: a chunk of output, redacted, in the request's `outputEncoding`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StreamOutputEvent {
    pub event: OutputTag,
    pub data: String,
}

/// `exit`: how the command ended (the result without its output).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StreamExitEvent {
    pub event: ExitTag,
    #[serde(flatten)]
    pub exit: ExitSummary,
}

/// `analysis`: why it failed (after `exit`, when the request's `analyze` asks for one).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StreamAnalysisEvent {
    pub event: AnalysisTag,
    #[serde(flatten)]
    pub analysis: Analysis,
}

/// `end`: the last event of every run's stream: the job's final status.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StreamEndEvent {
    pub event: EndTag,
    pub id: String,
    pub status: JobStatus,
    /// Why it did not run or was lost, if so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}
