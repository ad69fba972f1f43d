//! Wire types of the exec operations (documented: they become the OpenAPI schemas).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::analysis::Analysis;
use crate::domain::limits::{Network, RequestLimits};
use crate::exec::{Enforced, LimitHit, Resources};
use crate::lenient;
use crate::service::analyze::AnalyzeMode;

/// How output bytes are carried in JSON strings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum OutputEncoding {
    /// UTF-8 text; each invalid byte sequence becomes U+FFFD.
    #[default]
    Text,
    /// Standard base64 of the exact bytes.
    Base64,
}

/// The characters a `command` needs one besides to be more than blank: ASCII whitespace,
/// which every schema regex dialect agrees on (Unicode "whitespace" differs between them).
const BLANK: &[char] = &[' ', '\t', '\n', '\u{b}', '\u{c}', '\r'];

/// A blank `command` (nothing but [`BLANK`]) is refused.
pub fn is_blank(command: &str) -> bool {
    command.chars().all(|c| BLANK.contains(&c))
}

/// `command` in the schema: no NUL (execve cannot carry one) and not [`is_blank`].
pub const COMMAND_PATTERN: &str = "^[^\\u0000]*[^\\u0000 \\t\\n\\x0b\\x0c\\r][^\\u0000]*$";

/// What to run. Give exactly one of `command`, `argv`, or `code` with `language`. A member
/// sent as `null` counts as left out.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"command": "echo hello && ls /nonexistent", "timeoutMs": 10000}))]
pub struct ExecRequest {
    /// A shell command line, run with `/bin/sh -c` (or `shell`); not blank.
    #[schema(example = "ls -la | head -n 5")]
    pub command: Option<String>,
    /// Which allowed shell runs `command` (only with `command`): a path or a name from
    /// `/readyz` `shells`.
    #[schema(example = "/bin/bash")]
    pub shell: Option<String>,
    /// A program and its arguments, run without a shell. The program (`argv[0]`) must not be
    /// empty; later arguments may be.
    #[schema(example = json!(["git", "status", "--short"]), min_items = 1)]
    pub argv: Option<Vec<String>>,
    /// Source code to run with `language`'s interpreter.
    #[schema(example = "print(sum(range(10)))")]
    pub code: Option<String>,
    /// `python` (or `python3`, `py`), `node` (or `nodejs`, `js`, `javascript`), `bash` or
    /// `sh` — whichever `/readyz` lists as available.
    #[schema(example = "python")]
    pub language: Option<String>,
    /// Working directory: absolute, or relative to the server's default.
    #[schema(example = "/tmp")]
    pub cwd: Option<String>,
    /// The workspace to run in (`default`, or an id from createWorkspace); `cwd` is then
    /// resolved inside it, and the command runs as the workspace owner's identity.
    #[schema(example = "ws_4f1c9a0b2d3e5f60", pattern = "^(default|ws_[0-9a-f]+)$")]
    pub workspace: Option<String>,
    /// Extra environment variables, set over a scrubbed base environment. Names are not
    /// empty and have no `=`; names and values have no NUL.
    pub env: Option<BTreeMap<String, String>>,
    /// Text written to the command's standard input (otherwise stdin is /dev/null).
    pub stdin: Option<String>,
    /// Wall-clock limit in milliseconds (default 30000; maximum `exec.max_timeout_ms`). On
    /// expiry the process group gets SIGTERM, then SIGKILL after a grace period.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    #[schema(value_type = Option<u64>, minimum = 1, example = 30000)]
    pub timeout_ms: Option<u64>,
    /// How `stdout`/`stderr` are carried: `text` (default) or `base64`.
    pub output_encoding: Option<OutputEncoding>,
    /// Lower any limit (raising above the server default needs the admin role).
    #[serde(default, deserialize_with = "lenient::opt_object")]
    pub limits: Option<RequestLimits>,
    /// `none` (no network at all) or `host`; the default and who may choose `host` are set in
    /// the server's config.
    pub network: Option<Network>,
    /// When to attach `aiAnalysis`: `auto` (on failure, the default), `always`, `never`.
    pub analyze: Option<AnalyzeMode>,
    /// The token from a `409 confirmation_required` answer, to run this exact request once.
    pub confirm_token: Option<String>,
    /// Run even if a limit asked for in `limits` cannot be enforced on this host (then
    /// `limitsEnforced` shows what did apply). Default `false`: such a request is refused with
    /// 422 `limit_unenforceable`.
    #[serde(default)]
    pub best_effort: bool,
}

/// A byte range cut out of a stream to keep the response small.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct OmittedRange {
    /// Offset of the first omitted byte in the stream after redaction.
    pub offset: u64,
    /// Number of omitted bytes.
    pub length: u64,
}

/// The outcome of a command. A non-zero exit is a normal result, not an error.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "id": "ex_4f1c9a0b2d3e5f60", "exitCode": 2, "signal": null, "timedOut": false,
    "limit": null, "durationMs": 3,
    "stdout": "hello\n", "stderr": "ls: cannot access '/nonexistent': No such file or directory\n",
    "outputEncoding": "text", "stdoutTruncated": false, "stderrTruncated": false,
    "stdoutBytes": 6, "stderrBytes": 61, "stdoutOmitted": null, "stderrOmitted": null,
    "limitsEnforced": [
        {"limit": "process_group", "value": null, "by": "supervisor"},
        {"limit": "wall_time", "value": 30000, "by": "supervisor"},
        {"limit": "output", "value": 8388608, "by": "supervisor"},
        {"limit": "memory", "value": 536870912, "by": "cgroup_v2"},
        {"limit": "pids", "value": 256, "by": "cgroup_v2"},
        {"limit": "cpu", "value": 1000, "by": "cgroup_v2"},
        {"limit": "user", "value": 998, "by": "setuid"}
    ],
    "resources": {"userMs": 1, "systemMs": 2, "peakMemoryBytes": 1540096},
    "redactions": {}
}))]
pub struct ExecResult {
    /// Identifier of this execution (also in logs).
    pub id: String,
    /// Shell convention: the exit status; 128+n if killed by signal n; 124 on timeout; 127 if
    /// the program was not found, 126 if it could not be executed.
    pub exit_code: i32,
    /// Name of the signal that ended the command (e.g. `SIGKILL`), if any.
    pub signal: Option<String>,
    /// The wall-clock limit was hit.
    pub timed_out: bool,
    /// Which limit stopped the command, if one did.
    pub limit: Option<LimitHit>,
    pub duration_ms: u64,
    /// Standard output (head and tail kept when over the inline cap, with a marker between).
    pub stdout: String,
    pub stderr: String,
    pub output_encoding: OutputEncoding,
    pub stdout_truncated: bool,
    pub stderr_truncated: bool,
    /// Bytes the command wrote to stdout, including omitted ones.
    pub stdout_bytes: u64,
    pub stderr_bytes: u64,
    /// Length of stdout after redaction: the stream `stdoutOmitted` indexes. It differs from
    /// `stdoutBytes` by what redaction markers replaced, and counts output withheld because
    /// its redaction ran out of CPU budget as it was written.
    pub stdout_redacted_bytes: u64,
    pub stderr_redacted_bytes: u64,
    /// Which bytes of stdout (after redaction) were cut out, if any.
    pub stdout_omitted: Option<OmittedRange>,
    pub stderr_omitted: Option<OmittedRange>,
    /// What actually confined this command, and by what mechanism.
    pub limits_enforced: Vec<Enforced>,
    /// CPU time and peak memory of the whole process tree, when a cgroup measured them.
    pub resources: Option<Resources>,
    /// Secrets redacted from the output, by rule id (`[REDACTED:<rule-id>]` marks each).
    pub redactions: BTreeMap<String, u64>,
    /// Why the command failed, when it did (see `analyze`); built from redacted output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ai_analysis: Option<Analysis>,
}

/// The final event of a stream: the result without the output.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExitSummary {
    pub id: String,
    pub exit_code: i32,
    pub signal: Option<String>,
    pub timed_out: bool,
    pub limit: Option<LimitHit>,
    pub duration_ms: u64,
    pub stdout_bytes: u64,
    pub stderr_bytes: u64,
    pub limits_enforced: Vec<Enforced>,
    pub resources: Option<Resources>,
    /// Secrets redacted from the output, by rule id.
    pub redactions: BTreeMap<String, u64>,
}

/// One event of `/v1/exec/stream`.
#[derive(Debug, Clone)]
pub enum StreamEvent {
    Start { id: String, pid: Option<u32> },
    Stdout { data: String },
    Stderr { data: String },
    Exit(ExitSummary),
    Analysis(Box<Analysis>),
}

/// A job: a command that may outlive the request that started it. Only its token (and admins)
/// can see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "id": "ex_4f1c9a0b2d3e5f60", "status": "running", "command": "make test",
    "createdAt": "2026-12-02T06:30:00.120Z", "startedAt": "2026-12-02T06:30:00.121Z",
    "finishedAt": null, "stdoutBytes": 5120, "stderrBytes": 0, "outputTruncated": false,
    "lastEventId": "ex_4f1c9a0b2d3e5f60:17", "error": null, "result": null,
    "links": {"self": "/v1/jobs/ex_4f1c9a0b2d3e5f60", "events": "/v1/jobs/ex_4f1c9a0b2d3e5f60/events",
        "output": "/v1/jobs/ex_4f1c9a0b2d3e5f60/output", "cancel": "/v1/jobs/ex_4f1c9a0b2d3e5f60/cancel"}
}))]
pub struct Job {
    pub id: String,
    pub status: crate::jobs::JobStatus,
    /// What runs (redacted; never its environment or stdin).
    pub command: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    /// Output stored so far (after redaction), per stream.
    pub stdout_bytes: u64,
    pub stderr_bytes: u64,
    /// Whether stored output stopped at `jobs.max_output_bytes` or a full store (the command
    /// ran on; the result's own totals count every byte).
    pub output_truncated: bool,
    /// The last stored event's id (`Last-Event-ID` to resume its events after it).
    pub last_event_id: Option<String>,
    /// Why it failed to run, or was lost.
    pub error: Option<String>,
    /// The full result (as `runCommand` returns it) once the job finished; `null` before.
    #[schema(value_type = Option<ExecResult>)]
    pub result: Option<serde_json::Value>,
    /// While it runs: the last 2 KiB each stream stored (the full output: getJobOutput).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tail: Option<JobTail>,
    pub links: JobLinks,
}

/// The end of a running job's stored output.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JobTail {
    pub stdout: String,
    pub stderr: String,
    pub encoding: OutputEncoding,
}

/// Where to follow a job.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JobLinks {
    #[serde(rename = "self")]
    pub this: String,
    pub events: String,
    pub output: String,
    pub cancel: String,
}

/// A page of jobs, newest first (without their results: get a job for its result).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct JobList {
    pub jobs: Vec<Job>,
    /// Pass as `before` for the next page; `null` on the last one.
    pub next_before: Option<String>,
}

/// A byte range of a job's stored (redacted) output.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct JobOutput {
    pub stream: OutputStream,
    /// Where `data` starts in the stream's stored bytes.
    pub offset: u64,
    /// Bytes in `data` (before base64).
    pub length: u64,
    pub data: String,
    pub encoding: OutputEncoding,
    /// Stored bytes of this stream so far.
    pub total_bytes: u64,
    /// `offset` for the next range, or `null` when this one reached the stored end.
    pub next_offset: Option<u64>,
    /// Whether the job is over (no more output will be stored).
    pub complete: bool,
}

/// Which output stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum OutputStream {
    Stdout,
    Stderr,
}

/// The policy's answer for a whole input under the caller's approval mode
/// (`POST /v1/policy/check`): what exec would do with the same request.
// Named `PolicyDecision` as before (the SDKs' type): it only gained the mode members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = PolicyDecision)]
pub struct PolicyCheck {
    /// The most severe decision over all commands (deny > confirm > allow), after the
    /// approval mode: `untrusted` asks for what only the policy's default allows, `never`
    /// denies what would need confirmation.
    pub decision: crate::policy::Action,
    /// The id of the rule behind `decision` (`approval-untrusted` when the mode asked).
    pub rule_id: String,
    /// Why, in words fit to show the caller.
    pub reason: String,
    /// Every simple command found, with its own decision (after the mode).
    pub commands: Vec<crate::policy::CommandDecision>,
    /// The caller's approval mode.
    pub approval_mode: crate::domain::ApprovalMode,
    /// Which setting gave it: the token's own, its role's, or the server default.
    pub approval_mode_source: crate::domain::ModeSource,
    /// With `decision: confirm` and `policy.approver_role` set: the role whose holder (another
    /// token) must approve the confirm token before it is honoured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approver_role: Option<crate::domain::Role>,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_command_pattern_is_the_rule_the_server_applies() {
        let pattern = regex::Regex::new(COMMAND_PATTERN).unwrap();
        for command in [
            "ls",
            " ls ",
            "\u{a0}",
            "\u{85}",
            "\u{feff}",
            "\u{1c}",
            "",
            " ",
            "\t\n\r",
            "\u{b}\u{c}",
            "ls\0",
            "\0",
        ] {
            let allowed = !is_blank(command) && !command.contains('\0');
            assert_eq!(pattern.is_match(command), allowed, "{command:?}");
        }
    }
}
