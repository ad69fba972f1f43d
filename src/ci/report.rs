//! Renders a failed step's analysis in a CI system's own format: GitHub Actions workflow
//! commands and a job-summary section, GitLab collapsible sections and a Code Quality report,
//! or plain text. Pure functions of an already redacted [`Failure`].

use std::fmt::Write as _;

use serde_json::json;
use sha2::{Digest, Sha256};

use super::locate::Location;
use crate::analysis::{Analysis, Risk};

/// Everything a report says; every string is already redacted.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The step as the user would recognise it: its command line or `--name`.
    pub step: String,
    /// How it ended.
    pub exit: Exit,
    /// Why.
    pub analysis: Analysis,
    /// Where, when the output names project files.
    pub locations: Vec<Location>,
    /// Set when a requested server analysis failed and the built-in one was used instead.
    pub note: Option<String>,
}

/// How a step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exit {
    /// The exit code the step reports to the CI (128+n for signal n).
    pub code: i32,
    /// The signal that killed it, if one did.
    pub signal: Option<i32>,
}

impl Exit {
    /// `exit 2`, or `killed by SIGKILL, exit 137`.
    pub fn describe(&self) -> String {
        match self.signal {
            Some(n) => format!(
                "killed by {}, exit {}",
                crate::exec::signal_name(n),
                self.code
            ),
            None => format!("exit {}", self.code),
        }
    }
}

fn headline(f: &Failure) -> String {
    format!(
        "{} failed ({}): {}",
        f.step,
        f.exit.describe(),
        f.analysis.category.as_str()
    )
}

fn risk(r: Risk) -> &'static str {
    match r {
        Risk::Low => "low risk",
        Risk::Medium => "medium risk",
        Risk::High => "high risk",
    }
}

/// `path:line:col: message` for a diagnostic; a frame's line only repeats the place.
fn located(l: &Location) -> String {
    match l.kind {
        super::locate::Kind::Diagnostic => format!("{}: {}", place(l), l.message),
        _ => format!("{} (innermost stack frame in the project)", place(l)),
    }
}

fn place(l: &Location) -> String {
    match l.col {
        Some(c) => format!("{}:{}:{c}", l.path, l.line),
        None => format!("{}:{}", l.path, l.line),
    }
}

/// The body every text format shares: summary, cause, locations, evidence, fixes, next
/// steps. Each line starts with `prefix`; quoted output lines start with `> ` so nothing a
/// step printed can begin a line of ours (a CI reads workflow commands at line starts).
fn body(f: &Failure, prefix: &str) -> String {
    let a = &f.analysis;
    let mut out = String::new();
    let mut line = |s: &str| {
        let _ = writeln!(out, "{prefix}{s}");
    };
    line(&format!("summary: {}", a.summary));
    line(&format!("cause: {}", a.root_cause));
    line(&format!(
        "confidence: {:.2} ({})",
        a.confidence,
        a.source.as_str()
    ));
    for l in &f.locations {
        line(&format!("at {}", located(l)));
    }
    if !a.evidence.is_empty() {
        line("evidence:");
        for e in &a.evidence {
            line(&format!("  > {e}"));
        }
    }
    if !a.fixes.is_empty() {
        line("fixes:");
        for fix in &a.fixes {
            match &fix.command {
                Some(c) => line(&format!(
                    "  - {} ({}): {c}",
                    fix.description,
                    risk(fix.risk)
                )),
                None => line(&format!("  - {} ({})", fix.description, risk(fix.risk))),
            }
        }
    }
    if !a.next_steps.is_empty() {
        line("next steps:");
        for s in &a.next_steps {
            line(&format!("  - {s}"));
        }
    }
    if let Some(note) = &f.note {
        line(&format!("note: {note}"));
    }
    out
}

/// Plain text, for stderr of any other CI or a terminal.
pub fn plain(f: &Failure) -> String {
    format!("shellwise: {}\n{}", headline(f), body(f, "  "))
}

/// GitHub Actions: the step's log lines (annotations, then the details in a folded group)
/// and the markdown section appended to `$GITHUB_STEP_SUMMARY`.
pub fn github(f: &Failure) -> (String, String) {
    let mut log = String::new();
    for l in f
        .locations
        .iter()
        .filter(|l| l.kind == super::locate::Kind::Diagnostic)
    {
        let _ = writeln!(
            log,
            "::error {}title={}::{}",
            gh_position(l),
            gh_property(&f.step),
            gh_data(&l.message)
        );
    }
    // The overall annotation points at a stack frame when that is all the output names.
    let frame = f
        .locations
        .iter()
        .find(|l| l.kind != super::locate::Kind::Diagnostic);
    let _ = writeln!(
        log,
        "::error {}title={}::{}",
        frame.map(gh_position).unwrap_or_default(),
        gh_property(&headline(f)),
        gh_data(&format!(
            "{}\n{}",
            f.analysis.summary, f.analysis.root_cause
        ))
    );
    let _ = writeln!(log, "::group::shellwise analysis of {}", gh_data(&f.step));
    log.push_str(&body(f, ""));
    log.push_str("::endgroup::\n");
    (log, github_summary(f))
}

fn gh_position(l: &Location) -> String {
    let mut s = format!("file={},line={},", gh_property(&l.path), l.line);
    if let Some(c) = l.col {
        let _ = write!(s, "col={c},");
    }
    s
}

/// Escaping of a workflow command's message (GitHub's `escapeData`).
fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping of a workflow command's property value (GitHub's `escapeProperty`).
fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn github_summary(f: &Failure) -> String {
    let a = &f.analysis;
    let mut md = String::new();
    let _ = writeln!(
        md,
        "### ❌ `{}` failed ({})\n",
        md_code(&f.step),
        f.exit.describe()
    );
    let _ = writeln!(
        md,
        "**{}** — {} (confidence {:.2}, {})\n",
        a.category.as_str(),
        md_text(&a.summary),
        a.confidence,
        a.source.as_str()
    );
    let _ = writeln!(md, "{}\n", md_text(&a.root_cause));
    if !f.locations.is_empty() {
        for l in &f.locations {
            let _ = writeln!(md, "- {}", md_text(&located(l)));
        }
        md.push('\n');
    }
    if !a.evidence.is_empty() {
        md.push_str("<details><summary>Evidence</summary>\n\n```text\n");
        for e in &a.evidence {
            let _ = writeln!(md, "{}", e.replace("```", "'''"));
        }
        md.push_str("```\n</details>\n\n");
    }
    if !a.fixes.is_empty() {
        md.push_str("**Fixes**\n\n");
        for fix in &a.fixes {
            let _ = write!(md, "- {} ({})", md_text(&fix.description), risk(fix.risk));
            if let Some(c) = &fix.command {
                let _ = write!(md, ": `{}`", md_code(c));
            }
            md.push('\n');
        }
        md.push('\n');
    }
    if !a.next_steps.is_empty() {
        md.push_str("**Next steps**\n\n");
        for s in &a.next_steps {
            let _ = writeln!(md, "- {}", md_text(s));
        }
        md.push('\n');
    }
    if let Some(note) = &f.note {
        let _ = writeln!(md, "_{}_\n", md_text(note));
    }
    md
}

/// Text inside a markdown paragraph: HTML and line breaks neutralised, so step output
/// quoted in an analysis cannot inject markup into the summary page.
fn md_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace(['\n', '\r'], " ")
}

/// Text inside a backtick code span.
fn md_code(s: &str) -> String {
    s.replace('`', "'").replace(['\n', '\r'], " ")
}

/// GitLab: the log lines (a collapsible section holding the details) and the Code Quality
/// report (JSON array) listing each location.
pub fn gitlab(f: &Failure, now_unix: u64) -> (String, String) {
    let mut log = String::new();
    let _ = writeln!(log, "\x1b[31;1mshellwise: {}\x1b[0m", gl_line(&headline(f)));
    let _ = write!(
        log,
        "\x1b[0Ksection_start:{now_unix}:shellwise_analysis[collapsed=true]\r\x1b[0Kshellwise analysis of {}\n",
        gl_line(&f.step)
    );
    log.push_str(&body(f, "  "));
    let _ = writeln!(
        log,
        "\x1b[0Ksection_end:{now_unix}:shellwise_analysis\r\x1b[0K"
    );
    (log, code_quality(f))
}

/// One line: no carriage return or escape that could end our section early.
fn gl_line(s: &str) -> String {
    s.replace(['\r', '\n', '\x1b'], " ")
}

/// GitLab's Code Quality format (a subset of Code Climate's): one issue per location.
pub fn code_quality(f: &Failure) -> String {
    let check = format!("shellwise/{}", f.analysis.category.as_str());
    let issues: Vec<serde_json::Value> = f
        .locations
        .iter()
        .map(|l| {
            let description = match l.kind {
                super::locate::Kind::Diagnostic => format!("{}: {}", f.analysis.summary, l.message),
                _ => f.analysis.summary.clone(),
            };
            // Stable across runners and runs (no absolute paths, no times), so GitLab can
            // tell a new problem from one that was already there.
            let mut h = Sha256::new();
            for part in [check.as_str(), &l.path, &l.line.to_string()] {
                h.update(part.as_bytes());
                h.update([0]);
            }
            json!({
                "description": description,
                "check_name": check,
                "fingerprint": hex::encode(h.finalize()),
                "severity": "major",
                "location": { "path": l.path, "lines": { "begin": l.line } },
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".to_string());
    s.push('\n');
    s
}
