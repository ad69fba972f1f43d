//! `shellwise ci`, the pipeline hook: runs one CI step (or reads the log of one that already
//! ran), passes its output through redacted, keeps its exit status, and when it fails prints
//! why — the built-in heuristic analysis, or the server's — in the CI's own format.
//!
//! Nothing here can change a step's exit status except a step that could not start (127/126,
//! as a shell reports it): an analysis or report that fails is a warning on stderr.

mod locate;
mod remote;
mod report;
mod step;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use locate::{locate, Kind as LocationKind, Location};
pub use report::{Exit, Failure};

use crate::analysis::{self, Analysis, FailureContext};
use crate::redact::{RedactConfig, Redactor};

/// Which CI's conventions to print in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// GitHub Actions when `GITHUB_ACTIONS=true`, GitLab when `GITLAB_CI=true`, else plain.
    Auto,
    /// Workflow-command annotations, a folded group, a job-summary section.
    Github,
    /// A collapsible log section and a Code Quality report.
    Gitlab,
    /// Plain text on stderr.
    Plain,
}

impl Format {
    /// `Auto` resolved against the environment `var` reads.
    pub fn resolve(self, var: impl Fn(&str) -> Option<String>) -> Format {
        if self != Format::Auto {
            return self;
        }
        if var("GITHUB_ACTIONS").as_deref() == Some("true") {
            Format::Github
        } else if var("GITLAB_CI").as_deref() == Some("true") {
            Format::Gitlab
        } else {
            Format::Plain
        }
    }
}

/// What to analyze.
#[derive(Debug, Clone)]
pub enum Input {
    /// Run this command (program and arguments, no shell).
    Run(Vec<String>),
    /// A log a step already wrote, and how that step ended.
    Log {
        /// The log file (its last 1 MiB is read).
        path: PathBuf,
        /// The step's exit code.
        exit_code: i32,
    },
}

/// `shellwise ci`'s options.
#[derive(Debug, Clone)]
pub struct Options {
    /// The step.
    pub input: Input,
    /// Output conventions.
    pub format: Format,
    /// The step's name in reports (default: its command line).
    pub name: Option<String>,
    /// A shellwise server whose `/v1/analyze` analyses the failure (LLM when it has one).
    pub server: Option<String>,
    /// The bearer token for `server`.
    pub token: Option<String>,
    /// Where GitLab's Code Quality report goes.
    pub code_quality: PathBuf,
    /// Where GitHub's job summary goes (`$GITHUB_STEP_SUMMARY`).
    pub step_summary: Option<PathBuf>,
    /// The step's working directory (locations are reported relative to it).
    pub cwd: PathBuf,
}

/// Bytes of a `--log` file read (from its end).
const LOG_TAIL: u64 = 1024 * 1024;

/// Runs `shellwise ci` and returns the exit code the process should exit with.
pub fn main(opts: &Options, env: &[(String, String)]) -> i32 {
    let redactor = Arc::new(build_redactor(env));
    let (command_line, finished) = match &opts.input {
        Input::Run(argv) => {
            let line = shell_words(argv);
            match step::run(argv, &redactor) {
                Ok(f) => (line, f),
                Err(e) => {
                    let msg = redactor.redact_str(&e.to_string()).0;
                    eprintln!("shellwise ci: {msg}");
                    return e.exit_code();
                }
            }
        }
        Input::Log { path, exit_code } => match read_tail(path, LOG_TAIL) {
            Ok(text) => (
                format!("the step logged in {}", path.display()),
                step::Finished {
                    code: Some(*exit_code),
                    signal: None,
                    stdout: String::new(),
                    stderr: redactor.redact_str(&text).0,
                },
            ),
            Err(e) => {
                eprintln!(
                    "shellwise ci: cannot read the log {}: {e}; no analysis",
                    path.display()
                );
                return *exit_code;
            }
        },
    };
    let exit = exit_of(&finished);
    if !analysis::should_analyze(finished.code, false, None) {
        if opts.format.resolve(|k| lookup(env, k)) == Format::Gitlab {
            write_file(&opts.code_quality, "[]\n");
        }
        return exit.code;
    }
    let step_name = redactor
        .redact_str(opts.name.as_deref().unwrap_or(&command_line))
        .0;
    let ctx = FailureContext {
        command: &command_line,
        exit_code: finished.code,
        signal: finished.signal,
        timed_out: false,
        limit: None,
        stdout: &finished.stdout,
        stderr: &finished.stderr,
        cwd: opts.cwd.to_str(),
        sandboxed: false,
    };
    let (analysis, note) = match (&opts.server, &opts.token) {
        (Some(server), token) => match remote::analyze(server, token.as_deref(), &ctx) {
            Ok(a) => (a, None),
            Err(e) => (
                analysis::analyze(&ctx),
                Some(format!(
                    "the server's analysis failed ({e}); this is the built-in one"
                )),
            ),
        },
        (None, _) => (analysis::analyze(&ctx), None),
    };
    let lines = finished.stderr.lines().chain(finished.stdout.lines());
    let cwd = opts.cwd.clone();
    let exists = move |p: &str| cwd.join(p).is_file();
    let failure = Failure {
        step: step_name,
        exit,
        analysis: redact_analysis(&redactor, analysis),
        locations: locate(lines, &opts.cwd, &exists),
        note,
    };
    report(&failure, opts, env);
    exit.code
}

fn report(f: &Failure, opts: &Options, env: &[(String, String)]) {
    match opts.format.resolve(|k| lookup(env, k)) {
        Format::Github => {
            let (log, summary) = report::github(f);
            print_out(&log);
            let target = opts
                .step_summary
                .clone()
                .or_else(|| lookup(env, "GITHUB_STEP_SUMMARY").map(PathBuf::from));
            if let Some(path) = target {
                append_file(&path, &summary);
            }
        }
        Format::Gitlab => {
            let (log, quality) = report::gitlab(f, now_unix());
            print_out(&log);
            write_file(&opts.code_quality, &quality);
        }
        Format::Plain | Format::Auto => {
            eprint!("{}", report::plain(f));
        }
    }
}

/// The exit code a CI sees: the step's own, or 128+n for signal n (as a shell reports it).
fn exit_of(f: &step::Finished) -> Exit {
    match (f.code, f.signal) {
        (Some(code), _) => Exit { code, signal: None },
        (None, Some(sig)) => Exit {
            code: 128 + sig,
            signal: Some(sig),
        },
        (None, None) => Exit {
            code: 1,
            signal: None,
        },
    }
}

/// The built-in rules plus the exact values of the step's secret-looking environment
/// variables (`*TOKEN*`, `*SECRET*`, `*PASSWORD*`, …): a CI injects its secrets that way.
fn build_redactor(env: &[(String, String)]) -> Redactor {
    let exact_values =
        crate::exec::env::secret_values(env.iter().cloned(), crate::redact::MIN_EXACT_LEN);
    Redactor::new(&RedactConfig {
        exact_values,
        ..RedactConfig::default()
    })
    .unwrap_or_else(|_| Redactor::builtin())
}

/// A server's analysis quotes output and writes text: redact it again here, so what we print
/// never depends on the server's redaction settings.
fn redact_analysis(r: &Redactor, mut a: Analysis) -> Analysis {
    let red = |s: &mut String| *s = r.redact_str(s).0;
    red(&mut a.summary);
    red(&mut a.root_cause);
    a.evidence.iter_mut().for_each(red);
    a.next_steps.iter_mut().for_each(red);
    for fix in &mut a.fixes {
        red(&mut fix.description);
        if let Some(c) = &mut fix.command {
            red(c);
        }
    }
    a
}

fn lookup(env: &[(String, String)], key: &str) -> Option<String> {
    env.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
}

/// `argv` as a shell would need it typed, for titles.
fn shell_words(argv: &[String]) -> String {
    argv.iter()
        .map(|a| {
            let plain = !a.is_empty()
                && a.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_./=:@%+,".contains(&b));
            if plain {
                a.clone()
            } else {
                format!("'{}'", a.replace('\'', r"'\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn read_tail(path: &Path, max: u64) -> std::io::Result<String> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = std::fs::File::open(path)?;
    let len = f.metadata()?.len();
    if len > max {
        f.seek(SeekFrom::Start(len - max))?;
    }
    let mut bytes = Vec::new();
    f.read_to_end(&mut bytes)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn print_out(s: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(s.as_bytes()).and_then(|()| out.flush());
}

fn write_file(path: &Path, text: &str) {
    if let Err(e) = std::fs::write(path, text) {
        eprintln!("shellwise ci: cannot write {}: {e}", path.display());
    }
}

fn append_file(path: &Path, text: &str) {
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()));
    if let Err(e) = written {
        eprintln!("shellwise ci: cannot write {}: {e}", path.display());
    }
}

fn now_unix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_format_follows_the_ci_environment() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(
            Format::Auto.resolve(env(&[("GITHUB_ACTIONS", "true")])),
            Format::Github
        );
        assert_eq!(
            Format::Auto.resolve(env(&[("GITLAB_CI", "true")])),
            Format::Gitlab
        );
        assert_eq!(Format::Auto.resolve(env(&[("CI", "true")])), Format::Plain);
        assert_eq!(
            Format::Plain.resolve(env(&[("GITHUB_ACTIONS", "true")])),
            Format::Plain
        );
    }

    #[test]
    fn titles_quote_what_a_shell_would_need_quoted() {
        let argv: Vec<String> = ["cargo", "test", "--", "it's", "a b", ""]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(shell_words(&argv), r#"cargo test -- 'it'\''s' 'a b' ''"#);
    }

    #[test]
    fn a_signal_is_reported_as_a_shell_does() {
        let f = |code, signal| step::Finished {
            code,
            signal,
            stdout: String::new(),
            stderr: String::new(),
        };
        assert_eq!(
            exit_of(&f(Some(3), None)),
            Exit {
                code: 3,
                signal: None
            }
        );
        assert_eq!(
            exit_of(&f(None, Some(9))),
            Exit {
                code: 137,
                signal: Some(9)
            }
        );
    }
}
