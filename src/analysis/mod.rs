//! Failure analysis: turns a failed command's exit status and output into a structured
//! [`Analysis`] (category, root cause, evidence, confidence, fixes), with no network access.
//!
//! # How the heuristic analyzer works
//! [`analyze`] is a pure function of a [`FailureContext`]. It
//! 1. takes the tail of each stream (at most [`AnalyzerLimits::max_stream_bytes`] bytes and
//!    [`AnalyzerLimits::max_lines`] lines, each line cut to
//!    [`AnalyzerLimits::max_line_bytes`]), strips ANSI colour codes, keeps the last
//!    carriage-return segment of progress-bar lines and drops what tools draw before a
//!    message (box drawing, arrows, pytest's `E   ` marker);
//! 2. classifies every line twice: against the **catalog** of tool messages (below) and
//!    against the hand-written rules in `rules.rs` (the shared, cross-tool families: missing
//!    files, permissions, network errors, exceptions, test summaries, compiler locations).
//!    Each hit has a weight; the heaviest wins (the catalog's on a tie), so a specific message
//!    ("No module named 'cv2'", "Address already in use") outranks a generic one
//!    ("Traceback", "No such file or directory"), and a test-run summary outranks the
//!    assertion errors printed inside it;
//! 3. adds what the process status says: a reported limit (`memory` → out_of_memory,
//!    `wall_time` → timeout, `pids`/`cpu_time`/`file_size`/`output` → resource_limit) is
//!    authoritative and wins over any pattern; the runner's own timeout likewise. Exit codes
//!    126 (not executable), 127 (not found), 124 (`timeout`), 128+n and signals are
//!    conventions that decide only when no specific message does;
//! 4. when the rules are unsure (no report, and a confidence at or below the model's bound),
//!    asks the **learned model** (`learned.rs`, below) for a second opinion, and takes its
//!    category when it is confident and differs;
//! 5. extracts the specifics (module, command, file, port, host, package, exit code) and
//!    writes a summary, root cause, evidence lines quoted verbatim from the output, fixes
//!    with a risk level, and read-only next steps.
//!
//! # The catalog: knowledge as data
//! `src/analysis/catalog.toml` (embedded with `include_str!`, parsed once into a `LazyLock`)
//! holds the toolchain-specific message families — CMake, kubectl, Terraform, Lua, Redis,
//! PHP, Perl, Ruby, SQLite, PostgreSQL, MySQL, and parts of git, Go, the JVM, npm, pip,
//! coreutils, the shell, ssh/sudo, curl, apt, sanitizers, make and cargo — so adding a
//! toolchain is a data change. Each `[[entry]]` has:
//! - `id` (`toolchain.what`, unique) and `toolchain`; optional `programs`, limiting it to
//!   commands that run one of them;
//! - the match: `contains`, a lowercase literal the line must contain (all literals are found
//!   in one aho-corasick pass), and an optional `regex` on the original line whose named
//!   groups are captures;
//! - `kind` (a `Kind` variant of `kinds.rs`, whose wording and fixes come with it) or `category`
//!   (then `summary` and `root_cause` are required);
//! - `weight` (`dominant` 100, `test` 97, `specific` 95, `strong` 80, `pattern` 60,
//!   `context` 40: the same scale as the rules, and it sets the confidence below);
//! - templates `subject`, `detail`, `summary`, `root_cause`, `fixes` (`description`,
//!   `command`, `risk`), `next_steps`, with `{capture}`, `{program}`, `{status}`, `{line}`
//!   substituted (shell-quoted inside a fix command);
//! - `samples` it must match and win, and optional look-alike `not_samples` it must not match.
//!
//! A full load (`Catalog::parse`, what `catalog_tests.rs` does with the shipped file)
//! validates every entry — unique id, known kind and weight, regex compiles, templates name
//! only its captures, no high-risk fix, every sample matched and won by that very entry, no
//! not-sample matched — so an entry proves itself. At run time the proven file is loaded with
//! structure checks only (~30 ms in a debug build) and each regex compiles the first time a
//! line contains its entry's literal, as the built-in policy skips re-checking its examples.
//! The Rust keeps extraction of the shared families, the weighing and the confidence.
//!
//! # The learned model: a second opinion as data
//! `src/analysis/model.tsv` (embedded, parsed on first use) is a multinomial naive Bayes
//! model over binary features of a failure: the words and word pairs of its telling lines
//! (those with an error-like word, five from each end) and last three lines, the program, the
//! exit-code bucket, the signal, the runner's timeout and limit. It is trained from the
//! labelled corpora and held-out batches 1–4 by `learned_tests::train` (a drift test fails
//! when the committed file differs), and holds the combination's two thresholds, chosen by
//! cross-validation: the model is asked only when the rules' confidence is at most
//! `consult_at_most`, and names the category only when its probability is at least
//! `min_probability`. Its category then has confidence 0.50 and its own wording
//! (`describe::learned`): the summary quotes the line that speaks most for the category,
//! the root cause says it is a statistical guess, and there are no fixes, since no rule
//! extracted a specific to fix.
//!
//! # Confidence scale
//! | value | meaning |
//! |---|---|
//! | 0.95 | the runner reported the limit/timeout, or an unambiguous tool message agrees with the exit status (e.g. `command not found` + 127) |
//! | 0.85 | an unambiguous tool message, exit status neutral or contradicting |
//! | 0.70 | a recognised but generic pattern (a Python traceback's exception, "No such file or directory") that the exit status agrees with |
//! | 0.60 | a generic pattern alone, or an exit-code/signal convention alone (127, 126, 124, SIGSEGV) |
//! | 0.50 | a bare SIGKILL (something killed the process, the output does not say who), a program's own `error:` line that matches no known pattern, or the learned model's category where the rules were unsure |
//! | 0.30 | unknown, but the exit status has a benign conventional meaning (`grep` found nothing, `test` was false) |
//! | 0.20 | unknown: nothing recognisable in the output or the status |
//!
//! # Fix risk
//! `low`: read-only diagnosis, or a change confined to the named path and trivially undone
//! (`chmod +x`, `mkdir -p`). `medium`: installs packages or changes configuration or system
//! state. `high`: destructive or irreversible; the heuristic never proposes such commands.
//! The server later checks every fix command against its policy and fills
//! [`Fix::policy_decision`].
//!
//! # Merging an LLM result
//! When an LLM provider also analyses the failure, [`merge`] combines its answer with the
//! heuristic's into one `source: combined` analysis:
//! - evidence lines the LLM quotes are kept only if they really occur in the output, so the
//!   evidence stays verbatim;
//! - if both agree on the category, the LLM's (richer) summary and root cause are used, the
//!   heuristic's fixes come first (their risk is known) followed by the LLM's new ones, and
//!   the confidence is the higher of the two;
//! - if they disagree, a heuristic conclusion of at least 0.85 keeps its category, text and
//!   fixes (the LLM's next steps are appended); otherwise the LLM's diagnosis is used, with
//!   its confidence capped at 0.85 because nothing deterministic corroborates it;
//! - provider, model and latency always come from the LLM result.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

mod catalog;
mod describe;
mod diagnostic;
mod input;
mod kinds;
mod learned;
mod merge;
mod rules;
mod tables;
mod text;

#[cfg(test)]
mod catalog_tests;
#[cfg(test)]
mod corpus_tests;
#[cfg(test)]
mod learned_tests;
#[cfg(test)]
mod mechanism_tests;
#[cfg(test)]
mod tests;

pub use merge::merge;

/// The class of a failure.
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// The program (or a script's interpreter) does not exist or is not on `PATH`.
    CommandNotFound,
    /// The OS refused access: file permissions, not executable, read-only filesystem, root needed.
    PermissionDenied,
    /// A file, directory, manifest or remote resource named by the command does not exist.
    FileNotFound,
    /// A library, module, package, header or toolchain component is not installed.
    MissingDependency,
    /// A connection could not be made: refused, DNS, TLS, unreachable, network timeout.
    Network,
    /// Credentials were missing or rejected.
    AuthFailure,
    /// A shell script, interpreted program, query or config file did not parse.
    SyntaxError,
    /// The command was called wrongly: unknown option, missing argument, wrong directory.
    UsageError,
    /// A compiler or linker rejected the source.
    CompileError,
    /// A test runner reported failing tests.
    TestFailure,
    /// The program started and then failed: an exception, a panic, a crash, a conflict.
    RuntimeError,
    /// The program ran out of memory (or hit the memory limit).
    OutOfMemory,
    /// The filesystem or quota is full.
    DiskFull,
    /// The address/port to listen on is already taken.
    PortInUse,
    /// The command ran out of time (wall-clock limit, `timeout`, a timeout exception).
    Timeout,
    /// The process was killed by a signal with no further explanation.
    Killed,
    /// A resource limit other than memory or time: processes, open files, CPU time, file size, output.
    ResourceLimit,
    /// Nothing in the status or output identifies the cause.
    Unknown,
}

impl Category {
    /// The wire name (`snake_case`) of the category.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::CommandNotFound => "command_not_found",
            Category::PermissionDenied => "permission_denied",
            Category::FileNotFound => "file_not_found",
            Category::MissingDependency => "missing_dependency",
            Category::Network => "network",
            Category::AuthFailure => "auth_failure",
            Category::SyntaxError => "syntax_error",
            Category::UsageError => "usage_error",
            Category::CompileError => "compile_error",
            Category::TestFailure => "test_failure",
            Category::RuntimeError => "runtime_error",
            Category::OutOfMemory => "out_of_memory",
            Category::DiskFull => "disk_full",
            Category::PortInUse => "port_in_use",
            Category::Timeout => "timeout",
            Category::Killed => "killed",
            Category::ResourceLimit => "resource_limit",
            Category::Unknown => "unknown",
        }
    }

    /// Every category, in declaration order.
    pub const ALL: [Category; 18] = [
        Category::CommandNotFound,
        Category::PermissionDenied,
        Category::FileNotFound,
        Category::MissingDependency,
        Category::Network,
        Category::AuthFailure,
        Category::SyntaxError,
        Category::UsageError,
        Category::CompileError,
        Category::TestFailure,
        Category::RuntimeError,
        Category::OutOfMemory,
        Category::DiskFull,
        Category::PortInUse,
        Category::Timeout,
        Category::Killed,
        Category::ResourceLimit,
        Category::Unknown,
    ];
}

/// How risky it is to run a suggested fix.
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Risk {
    /// Read-only, or a change confined to the named path that is trivially undone.
    Low,
    /// Installs software or changes configuration or system state.
    Medium,
    /// Destructive or irreversible.
    High,
}

/// Who wrote an analysis.
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// The built-in pattern analyzer.
    Heuristic,
    /// An LLM provider.
    Llm,
    /// The heuristic and an LLM, merged.
    Combined,
}

impl Source {
    /// The lowercase wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Heuristic => "heuristic",
            Source::Llm => "llm",
            Source::Combined => "combined",
        }
    }
}

/// A suggested fix.
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Fix {
    /// What the fix does and why it should help.
    pub description: String,
    /// A shell command that applies the fix, when one is safe to suggest.
    pub command: Option<String>,
    /// How risky running `command` is.
    pub risk: Risk,
    /// The server's policy verdict on `command`: `allow`, `deny` or `confirm`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_decision: Option<String>,
}

/// A structured explanation of why a command failed.
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Analysis {
    /// The class of the failure.
    pub category: Category,
    /// One line naming what went wrong (and the module, command, file, port or host involved).
    pub summary: String,
    /// Why it went wrong, as specifically as the output allows.
    pub root_cause: String,
    /// How sure the analysis is, from 0 to 1 (0.95: unambiguous; 0.6: plausible; 0.2: unknown).
    #[schema(minimum = 0.0, maximum = 1.0)]
    pub confidence: f32,
    /// Lines quoted verbatim (trimmed) from the command's output that support the diagnosis.
    pub evidence: Vec<String>,
    /// Suggested fixes, safest first.
    pub fixes: Vec<Fix>,
    /// Read-only diagnostic steps to confirm the diagnosis.
    pub next_steps: Vec<String>,
    /// Who wrote this analysis.
    pub source: Source,
    /// The LLM provider that contributed, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// The LLM model that contributed, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// How long the LLM took, in milliseconds, if one contributed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
}

/// Everything known about a failed command.
#[derive(Debug, Clone, Copy, Default)]
pub struct FailureContext<'a> {
    /// The command line as submitted.
    pub command: &'a str,
    /// The exit code, if the process exited normally.
    pub exit_code: Option<i32>,
    /// The signal that terminated the process, if any.
    pub signal: Option<i32>,
    /// Whether the runner's wall-clock timeout fired.
    pub timed_out: bool,
    /// The limit the runner saw hit: `memory`, `pids`, `cpu_time`, `wall_time`, `output`, `file_size`.
    pub limit: Option<&'a str>,
    /// Captured standard output (already redacted).
    pub stdout: &'a str,
    /// Captured standard error (already redacted).
    pub stderr: &'a str,
    /// The working directory the command ran in.
    pub cwd: Option<&'a str>,
    /// Whether the command ran under this server's seccomp filter (an `EPERM` from what it
    /// refuses is then the box, not missing privileges).
    pub sandboxed: bool,
}

/// Caps on how much output the analyzer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnalyzerLimits {
    /// Bytes read from the end of each stream.
    pub max_stream_bytes: usize,
    /// Lines read from the end of each stream.
    pub max_lines: usize,
    /// Bytes of each line that are matched against patterns.
    pub max_line_bytes: usize,
}

impl Default for AnalyzerLimits {
    fn default() -> Self {
        AnalyzerLimits {
            max_stream_bytes: 64 * 1024,
            max_lines: 400,
            max_line_bytes: 2048,
        }
    }
}

/// Most evidence lines returned.
pub const MAX_EVIDENCE: usize = 5;
/// Longest evidence line returned, in bytes (longer lines are cut at a character boundary).
pub const MAX_EVIDENCE_LINE: usize = 300;

/// Analyses a failed command with the default [`AnalyzerLimits`].
pub fn analyze(ctx: &FailureContext<'_>) -> Analysis {
    analyze_with_limits(ctx, &AnalyzerLimits::default())
}

/// Analyses a failed command, reading at most what `limits` allows.
pub fn analyze_with_limits(ctx: &FailureContext<'_>, limits: &AnalyzerLimits) -> Analysis {
    let lines = input::collect(ctx, limits);
    let verdict = rules::judge(ctx, &lines);
    let verdict = learned::second_opinion(ctx, &lines, verdict);
    describe::describe(ctx, &lines, &verdict)
}

/// Whether a finished command deserves an analysis in `auto` mode: it exited non-zero, was
/// killed by a signal (no exit code), timed out, or hit a limit.
pub fn should_analyze(exit_code: Option<i32>, timed_out: bool, limit: Option<&str>) -> bool {
    timed_out || limit.is_some() || exit_code != Some(0)
}
