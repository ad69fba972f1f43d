//! The analysis stage: after a command ends, explain a failure as a structured `aiAnalysis`.
//!
//! The [`Analyzer`] seam receives only filtered (redacted) and capped text. The built-in
//! [`HeuristicAnalyzer`] needs no network; an LLM-backed analyzer wraps it (see `ARCHITECTURE.md`).

use std::future::Future;
use std::pin::Pin;

use serde::Deserialize;
use utoipa::ToSchema;

use crate::analysis::{self, Analysis, FailureContext};
use crate::exec::LimitHit;

/// When `/v1/exec` attaches an analysis.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum AnalyzeMode {
    /// On a non-zero exit, a signal, a timeout or a limit hit (default).
    #[default]
    Auto,
    /// Always, even on success.
    Always,
    /// Never.
    Never,
}

/// What the analyzer sees of a finished command: redacted, capped text and the exit facts.
#[derive(Debug, Clone, Default)]
pub struct AnalysisInput {
    pub command: String,
    /// The exit status when the command exited normally.
    pub exit_code: Option<i32>,
    pub signal: Option<i32>,
    pub timed_out: bool,
    pub limit: Option<LimitHit>,
    pub stdout: String,
    pub stderr: String,
    pub cwd: Option<String>,
    /// The command ran under the seccomp filter (see `FailureContext::sandboxed`).
    pub sandboxed: bool,
}

impl AnalysisInput {
    pub fn context(&self) -> FailureContext<'_> {
        FailureContext {
            command: &self.command,
            exit_code: self.exit_code,
            signal: self.signal,
            timed_out: self.timed_out,
            limit: self.limit.map(LimitHit::as_str),
            stdout: &self.stdout,
            stderr: &self.stderr,
            cwd: self.cwd.as_deref(),
            sandboxed: self.sandboxed,
        }
    }

    /// Whether `mode` asks for an analysis of this outcome.
    pub fn wanted(&self, mode: AnalyzeMode) -> bool {
        match mode {
            AnalyzeMode::Never => false,
            AnalyzeMode::Always => true,
            AnalyzeMode::Auto => analysis::should_analyze(
                if self.signal.is_some() {
                    None
                } else {
                    self.exit_code
                },
                self.timed_out,
                self.limit.map(LimitHit::as_str),
            ),
        }
    }
}

pub type AnalysisFuture<'a> = Pin<Box<dyn Future<Output = Analysis> + Send + 'a>>;

/// The analysis seam.
pub trait Analyzer: Send + Sync {
    fn analyze<'a>(&'a self, input: &'a AnalysisInput) -> AnalysisFuture<'a>;
    /// One line for `/readyz`.
    fn describe(&self) -> String;
}

/// The built-in analyzer: pattern rules over the output, exit codes, signals and limits.
pub struct HeuristicAnalyzer;

impl Analyzer for HeuristicAnalyzer {
    fn analyze<'a>(&'a self, input: &'a AnalysisInput) -> AnalysisFuture<'a> {
        Box::pin(std::future::ready(analysis::analyze(&input.context())))
    }

    fn describe(&self) -> String {
        "heuristic (no LLM configured)".to_string()
    }
}
