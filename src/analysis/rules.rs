//! The classification rules: line patterns, process status conventions, and how they are
//! weighed against each other into a [`Verdict`].

use super::catalog::{catalog, command_programs, Found};
use super::diagnostic::{self, looks_like_location, Diagnostic, Severity};
use super::input::Line;
pub(super) use super::kinds::Kind;
use super::kinds::{W_CONTEXT, W_DOMINANT, W_PATTERN, W_SPECIFIC, W_STRONG, W_TEST};
use super::tables::FileKind;
use super::text::{
    after, any, base_name, find, first_word, has, last_segment, main_program, number_before,
    quoted, quoted_after, segment_before, uses_timeout, word_after,
};
use super::{Category, FailureContext};

/// What a conclusion rests on; it sets the confidence (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Basis {
    /// Nothing recognised.
    Nothing,
    /// A bare SIGKILL.
    Weak,
    /// An exit-code or signal convention.
    Convention,
    /// A recognised but generic message.
    Pattern,
    /// An unambiguous tool message.
    Specific,
    /// The runner reported it.
    Reported,
}

/// One piece of evidence for a failure class.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Hit {
    pub kind: Kind,
    pub weight: u8,
    pub basis: Basis,
    /// The extracted name: module, command, path, host, port, exception…
    pub subject: Option<String>,
    /// A second detail: the message, the endpoint, the location…
    pub detail: Option<String>,
    /// Index into the collected lines, when the hit came from a line.
    pub line: Option<usize>,
    /// The catalog entry that made this hit, with its captures.
    pub found: Option<Found>,
}

/// The outcome of weighing all hits.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Verdict {
    pub primary: Hit,
    pub hits: Vec<Hit>,
    pub confidence: f32,
    /// The learned model's probability, when it chose the category because the rules were
    /// unsure (`learned::second_opinion`).
    pub learned: Option<f32>,
}

impl Verdict {
    pub(super) fn category(&self) -> Category {
        self.primary.kind.category()
    }
}

// Ranking weights. Higher wins; equal weights keep the earliest line. The named weights the
// catalog also uses live in `kinds`.
const W_REPORTED: u8 = 250;
const W_TEST_NAME: u8 = 96;
const W_TIMEOUT_CMD: u8 = 98;
const W_CONVENTION: u8 = 70;
const W_WEAK: u8 = 50;
const W_REPORTED_ERROR: u8 = 30;

fn hit(kind: Kind, weight: u8, subject: Option<&str>) -> Hit {
    let basis = if weight >= W_SPECIFIC {
        Basis::Specific
    } else {
        Basis::Pattern
    };
    Hit {
        kind,
        weight,
        basis,
        subject: subject
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        detail: None,
        line: None,
        found: None,
    }
}

fn hit_basis(kind: Kind, weight: u8, basis: Basis, subject: Option<&str>) -> Hit {
    Hit {
        basis,
        ..hit(kind, weight, subject)
    }
}

fn with_detail(mut h: Hit, detail: Option<&str>) -> Hit {
    h.detail = detail
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    h
}

fn status_hit(kind: Kind, weight: u8, basis: Basis, subject: Option<String>) -> Hit {
    Hit {
        kind,
        weight,
        basis,
        subject,
        detail: None,
        line: None,
        found: None,
    }
}

/// Weighs the process status and every line, and picks the conclusion.
pub(super) fn judge(ctx: &FailureContext<'_>, lines: &[Line<'_>]) -> Verdict {
    let mut hits = status_hits(ctx);
    let programs = command_programs(ctx.command);
    let mut lower = String::new();
    // A bare source location (gfortran, OCaml) whose `Error: …` follows within a few lines.
    let mut pending: Option<(String, usize)> = None;
    let mut in_traceback = false;
    for (i, line) in lines.iter().enumerate() {
        // The line after a Python `File "…", line N` frame is source code, not a message.
        if line.indented && i > 0 && lines[i - 1].text.starts_with("File \"") {
            continue;
        }
        lower.clear();
        lower.extend(line.text.chars().map(|c| c.to_ascii_lowercase()));
        let mut best = classified(&line.text, &lower, ctx, &programs);
        if line.text.starts_with("Traceback (most recent call last)") {
            in_traceback = true;
        } else if in_traceback && !line.indented && !line.text.starts_with("File \"") {
            // A traceback ends with its exception, whatever it is called
            // (`zipfile.BadZipFile: …`, `KeyError: 'x'`).
            in_traceback = false;
            if best.is_none() {
                best = traceback_exception(&line.text);
            }
        }
        let diag = diagnostic::parse(&line.text).or_else(|| {
            let (loc, at) = pending.as_ref()?;
            let msg = line.text.strip_prefix("Error: ")?;
            (i <= at + 8).then_some(Diagnostic {
                loc: Some(loc.as_str()),
                severity: Severity::Error,
                msg,
            })
        });
        if let Some(d) = diag {
            let next = lines.get(i + 1).map(|l| l.text.as_ref());
            if let Some(h) = diagnosed(&d, next, ctx, &programs) {
                best = Some(heavier(best, h));
            }
        }
        if let Some(loc) = diagnostic::bare_location(&line.text) {
            pending = Some((loc, i));
        }
        if let Some(mut h) = best {
            h.line = Some(i);
            hits.push(h);
        }
    }
    let primary = hits
        .iter()
        .enumerate()
        .max_by(|(ia, a), (ib, b)| a.weight.cmp(&b.weight).then(ib.cmp(ia)))
        .map(|(_, h)| h.clone());
    let primary = match primary {
        Some(p) => p,
        None => status_hit(Kind::Unknown, 0, Basis::Nothing, None),
    };
    let primary = refine(primary, ctx);
    let confidence = confidence(&primary, ctx);
    Verdict {
        primary,
        hits,
        confidence,
        learned: None,
    }
}

/// The line's hit from the rules and the catalog: the heavier of the two, the catalog's on
/// a tie (its entries name one tool's message, the hand-written rules are shared by many) —
/// except that a connection failure named in a dependency's message is the deeper cause
/// ("could not resolve plugin X: … Unknown host repo.example.org").
fn classified(raw: &str, lower: &str, ctx: &FailureContext<'_>, programs: &[&str]) -> Option<Hit> {
    let hand = classify_line(raw, lower, ctx);
    let data = if is_noise(raw) {
        None
    } else {
        cataloged(raw, lower, programs)
    };
    match (hand, data) {
        (Some(h), Some(d)) => Some(
            if deeper(&h, &d) || (h.weight > d.weight && !deeper(&d, &h)) {
                h
            } else {
                d
            },
        ),
        (h, d) => d.or(h),
    }
}

/// Whether `a` is the cause of `b` when one line says both: the network failed, so a
/// dependency could not be fetched.
fn deeper(a: &Hit, b: &Hit) -> bool {
    matches!(
        a.kind,
        Kind::Dns | Kind::ConnRefused | Kind::Unreachable | Kind::NetTimeout | Kind::Tls
    ) && b.kind.category() == Category::MissingDependency
}

/// `h` unless `best` weighs more. A diagnostic's reading wins a tie against the shared rules
/// (it saw the location), not against a catalog entry (that names this very tool's message).
fn heavier(best: Option<Hit>, h: Hit) -> Hit {
    match best {
        Some(b) if b.weight > h.weight || (b.weight == h.weight && b.found.is_some()) => b,
        _ => h,
    }
}

/// The hit a diagnostic makes. Its message is read first for a cause of its own (a module
/// that is not installed); otherwise the severity and the kind of file it points into
/// decide: a parse error in a compiled language's source is the compiler rejecting it, in a
/// configuration file or a script it is a syntax error; a linter's rule is its finding. A
/// message on the lines after the location (GHC) is read from the next line.
fn diagnosed(
    d: &Diagnostic<'_>,
    next: Option<&str>,
    ctx: &FailureContext<'_>,
    programs: &[&str],
) -> Option<Hit> {
    let msg = if d.msg.is_empty() {
        next.unwrap_or("")
    } else {
        d.msg
    };
    let lower = msg.to_ascii_lowercase();
    let nested = classified(msg, &lower, ctx, programs);
    if let Some(n) = nested
        .as_ref()
        .filter(|n| n.kind.category() == Category::MissingDependency)
    {
        return Some(Hit {
            weight: n.weight.max(W_SPECIFIC),
            ..n.clone()
        });
    }
    let parse = nested
        .as_ref()
        .is_some_and(|n| n.kind.category() == Category::SyntaxError)
        || diagnostic::says_parse_error(&lower, true);
    let file = diagnostic::kind_of(d.loc);
    let kind = match (d.severity, file) {
        (Severity::Unmarked, _) if !parse => return None,
        (Severity::Lint, _) if !parse => Kind::LintFindings,
        (_, FileKind::Config) => Kind::ConfigSyntax,
        (_, FileKind::Compiled) => Kind::CompilerError,
        _ if parse => Kind::ParseError,
        _ => Kind::CompilerError,
    };
    let weight = match d.severity {
        Severity::Error => W_SPECIFIC,
        Severity::Lint | Severity::Unmarked => W_STRONG,
    };
    let detail = (!msg.is_empty()).then_some(msg);
    Some(with_detail(hit(kind, weight, d.loc), detail))
}

/// The hit a catalog entry makes on a line, if any.
fn cataloged(raw: &str, lower: &str, programs: &[&str]) -> Option<Hit> {
    let cat = catalog();
    let found = cat.classify(raw, lower, programs)?;
    let entry = cat.entry(found.entry)?;
    let mut h = hit(entry.kind, entry.weight, None);
    h.subject = entry.subject(&found);
    h.detail = entry.detail(&found);
    h.found = Some(found);
    Some(h)
}

/// Adjusts the winning hit with status information the line alone could not see.
fn refine(mut primary: Hit, ctx: &FailureContext<'_>) -> Hit {
    if primary.kind == Kind::AccessDenied && ctx.exit_code == Some(126) {
        primary.kind = Kind::NotExecutable;
        primary.basis = Basis::Specific;
    }
    // "No such file or directory: 'ffmpeg'" about a name the command runs as a program
    // (find -exec, xargs, subprocess/child_process argument lists): the program is missing.
    if primary.kind == Kind::MissingPath
        && primary
            .subject
            .as_deref()
            .is_some_and(|s| super::text::runs_as_program(ctx.command, s))
    {
        primary.kind = Kind::MissingCommand;
    }
    primary
}

fn confidence(h: &Hit, ctx: &FailureContext<'_>) -> f32 {
    let agrees = status_agrees(h.kind, ctx);
    match h.basis {
        Basis::Reported => 0.95,
        Basis::Specific if agrees => 0.95,
        Basis::Specific => 0.85,
        Basis::Pattern if agrees => 0.7,
        Basis::Pattern => 0.6,
        Basis::Convention => 0.6,
        Basis::Weak => 0.5,
        Basis::Nothing if h.kind == Kind::BenignExit => 0.3,
        Basis::Nothing => 0.2,
    }
}

/// The signal that ended the process: reported, or encoded as exit code 128+n by a shell.
pub(super) fn effective_signal(ctx: &FailureContext<'_>) -> Option<i32> {
    ctx.signal.or(match ctx.exit_code {
        Some(c @ 129..=159) => Some(c - 128),
        _ => None,
    })
}

/// Whether the exit status is what this kind of failure normally produces.
fn status_agrees(kind: Kind, ctx: &FailureContext<'_>) -> bool {
    let code = ctx.exit_code;
    let sig = effective_signal(ctx);
    let ordinary = matches!(code, Some(c) if c != 0 && c != 124 && c != 126 && c != 127 && !(129..=159).contains(&c));
    match kind.category() {
        Category::CommandNotFound => code == Some(127),
        Category::PermissionDenied => ordinary || code == Some(126),
        Category::Timeout => code == Some(124) || matches!(sig, Some(9 | 15)) || ctx.timed_out,
        Category::Killed => sig.is_some(),
        Category::OutOfMemory => ordinary || matches!(sig, Some(6 | 9)),
        Category::RuntimeError => ordinary || matches!(sig, Some(4 | 6 | 7 | 8 | 11)),
        Category::ResourceLimit => code != Some(0),
        Category::MissingDependency => ordinary || code == Some(127),
        Category::Unknown => false,
        _ => ordinary,
    }
}

/// Hits from the runner's report and the exit status conventions.
fn status_hits(ctx: &FailureContext<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    if let Some(limit) = ctx.limit {
        let kind = match limit {
            "memory" => Some(Kind::MemoryLimit),
            "wall_time" => Some(Kind::WallLimit),
            "pids" => Some(Kind::PidsLimit),
            "cpu_time" => Some(Kind::CpuLimit),
            "file_size" => Some(Kind::FileSizeLimit),
            "output" => Some(Kind::OutputLimit),
            _ => None,
        };
        if let Some(kind) = kind {
            hits.push(status_hit(
                kind,
                W_REPORTED,
                Basis::Reported,
                Some(limit.to_string()),
            ));
        }
    }
    if ctx.timed_out && hits.is_empty() {
        hits.push(status_hit(
            Kind::WallLimit,
            W_REPORTED,
            Basis::Reported,
            None,
        ));
    }
    let prog = main_program(ctx.command).map(str::to_string);
    let sig = effective_signal(ctx);
    if uses_timeout(last_segment(ctx.command))
        && (ctx.exit_code == Some(124) || matches!(sig, Some(9 | 15)))
    {
        hits.push(status_hit(
            Kind::TimeoutCommand,
            W_TIMEOUT_CMD,
            Basis::Specific,
            prog.clone(),
        ));
    }
    match ctx.exit_code {
        Some(127) => hits.push(status_hit(
            Kind::MissingCommand,
            W_CONVENTION,
            Basis::Convention,
            prog.clone(),
        )),
        Some(126) => hits.push(status_hit(
            Kind::NotExecutable,
            W_CONVENTION,
            Basis::Convention,
            prog.clone(),
        )),
        Some(124) => hits.push(status_hit(
            Kind::TimeoutExit,
            W_CONVENTION,
            Basis::Convention,
            None,
        )),
        _ => {}
    }
    if let (Some(code), Some(p)) = (ctx.exit_code, prog.as_deref().map(base_name)) {
        // Documented exit codes (curl(1), wget(1), unzip(1), …): they speak even with -s/-q.
        if let Some(i) = catalog().exit_entry(p, code) {
            let kind = catalog().entry(i).map_or(Kind::Unknown, |e| e.kind);
            // Only endpoint-shaped kinds take the host as their subject.
            let subject = match kind {
                Kind::Dns | Kind::ConnRefused | Kind::NetTimeout | Kind::Tls => {
                    super::text::command_host(ctx.command).map(str::to_string)
                }
                _ => None,
            };
            let mut h = status_hit(kind, W_CONVENTION, Basis::Convention, subject);
            h.found = Some(Found {
                entry: i,
                captures: Vec::new(),
            });
            hits.push(h);
        }
    }
    if let Some(s) = sig {
        let cpu_ulimit = ctx.command.contains("ulimit -t");
        let outside = super::text::sends_signal(ctx.command, s, super::text::signal_name(s));
        let hit = match s {
            // The command line sent it: a kill from outside, not a crash or a limit.
            _ if outside => status_hit(Kind::Signaled, W_STRONG, Basis::Convention, None),
            24 => status_hit(Kind::CpuLimit, W_SPECIFIC, Basis::Convention, None),
            25 => status_hit(Kind::FileSizeLimit, W_SPECIFIC, Basis::Convention, None),
            9 if cpu_ulimit => status_hit(Kind::CpuLimit, W_STRONG, Basis::Convention, None),
            9 => status_hit(Kind::Signaled, W_WEAK, Basis::Weak, None),
            // SIGALRM is how alarm(2)-based timeouts end a process.
            14 => status_hit(
                Kind::TimeoutException,
                W_CONVENTION,
                Basis::Convention,
                Some("SIGALRM".to_string()),
            ),
            4 | 6 | 7 | 8 | 11 => status_hit(Kind::Crash, W_CONVENTION, Basis::Convention, None),
            _ => status_hit(Kind::Signaled, W_CONVENTION, Basis::Convention, None),
        };
        hits.push(Hit {
            detail: Some(s.to_string()),
            ..hit
        });
    }
    if hits.is_empty() && ctx.exit_code == Some(1) {
        let benign = prog.as_deref().map(base_name).is_some_and(|p| {
            matches!(
                p,
                "grep" | "egrep" | "fgrep" | "rg" | "diff" | "cmp" | "test" | "[" | "[[" | "false"
            )
        });
        if benign && ctx.stderr.trim().is_empty() {
            hits.push(status_hit(Kind::BenignExit, 1, Basis::Nothing, prog));
        }
    }
    hits
}

/// Lines that never carry a failure class on their own (stack frames, source excerpts).
/// shellcheck's `^-- SC1234 (error): …` markers are messages, not excerpts.
pub(super) fn is_noise(raw: &str) -> bool {
    raw.starts_with("at ")
        || (raw.starts_with("File \"") && raw.contains("\", line "))
        || (raw.starts_with('^') && !raw.starts_with("^-- SC"))
        || raw.starts_with('~')
        || raw.starts_with("...")
}

/// Classifies one output line. `lower` is `raw` lowercased (same byte layout).
fn classify_line(raw: &str, lower: &str, ctx: &FailureContext<'_>) -> Option<Hit> {
    if is_noise(raw) {
        return None;
    }
    resources(raw, lower)
        .or_else(|| dependencies(raw, lower))
        .or_else(|| commands(raw, lower, ctx))
        .or_else(|| tests(raw, lower))
        .or_else(|| timeouts(raw, lower))
        .or_else(|| auth(raw, lower))
        .or_else(|| network(raw, lower))
        .or_else(|| permissions(raw, lower))
        .or_else(|| usage(raw, lower, ctx))
        .or_else(|| compile(raw, lower))
        .or_else(|| syntax(raw, lower))
        .or_else(|| files(raw, lower))
        .or_else(|| runtime(raw, lower))
        .or_else(|| timed_out(lower))
}

/// Anything else that says it ran out of time ("timed out waiting for the prompt"): after
/// the network rules, which claim a connection's or a read's time-out first.
fn timed_out(lower: &str) -> Option<Hit> {
    any(
        lower,
        &["timed out", "timeout expired", "deadline exceeded"],
    )
    .then(|| hit(Kind::TimeoutException, W_STRONG, None))
}

/// Port, disk, memory and process/file limits: when present they explain everything else.
fn resources(raw: &str, lower: &str) -> Option<Hit> {
    if any(
        lower,
        &[
            "address already in use",
            "eaddrinuse",
            "errno 98]",
            "port is already allocated",
            "only one usage of each socket address",
        ],
    ) || (has(lower, "port ") && has(lower, "is already in use"))
    {
        let port = super::text::find_port(raw).map(|p| p.to_string());
        return Some(hit(Kind::PortInUse, W_DOMINANT, port.as_deref()));
    }
    if any(
        lower,
        &[
            "no space left on device",
            "enospc",
            "errno 28]",
            "not enough space on the disk",
        ],
    ) {
        let path = quoted(raw)
            .or_else(|| segment_before(raw, lower, ": no space left"))
            .filter(|p| looks_like_path(p));
        return Some(hit(Kind::DiskFull, W_DOMINANT, path));
    }
    if any(lower, &["disk quota exceeded", "edquot", "errno 122]"]) {
        return Some(hit(Kind::QuotaExceeded, W_DOMINANT, quoted(raw)));
    }
    if any(
        lower,
        &[
            "javascript heap out of memory",
            "java heap space",
            "gc overhead limit exceeded",
            "reached heap limit",
        ],
    ) {
        return Some(hit(Kind::HeapLimit, W_DOMINANT, None));
    }
    if has(lower, "outofmemoryerror") {
        return Some(hit(
            Kind::HeapLimit,
            W_DOMINANT,
            after(raw, lower, "outofmemoryerror: "),
        ));
    }
    if any(
        lower,
        &[
            "std::bad_alloc",
            "cannot allocate memory",
            "out of memory",
            "memory exhausted",
            "errno 12]",
            "enomem",
            "failed to allocate memory",
            "unable to allocate",
            "could not reserve enough space",
        ],
    ) || lower.starts_with("memoryerror")
        || (has(lower, "memory allocation of") && has(lower, "failed"))
        || lower == "killed process"
    {
        return Some(hit(Kind::OutOfMemory, W_DOMINANT, None));
    }
    if any(lower, &["too many open files", "emfile", "errno 24]"]) {
        return Some(hit(Kind::TooManyFiles, W_DOMINANT, None));
    }
    if any(
        lower,
        &[
            "fork: retry",
            "fork: resource temporarily unavailable",
            "cannot fork",
            "can't start new thread",
            "fork failed",
            "unable to create native thread",
            "errno 11] resource temporarily unavailable",
        ],
    ) || (has(lower, "pthread_create") && has(lower, "resource temporarily unavailable"))
    {
        return Some(hit(Kind::ProcessLimit, W_DOMINANT, None));
    }
    if has(lower, "cpu time limit exceeded") {
        return Some(hit(Kind::CpuLimit, W_DOMINANT, None));
    }
    if has(lower, "file size limit exceeded") {
        return Some(hit(Kind::FileSizeLimit, W_DOMINANT, None));
    }
    if any(lower, &["argument list too long", "e2big"]) {
        return Some(hit(Kind::ArgListTooLong, W_DOMINANT, None));
    }
    None
}

/// Missing modules, packages, headers, libraries and toolchain parts.
fn dependencies(raw: &str, lower: &str) -> Option<Hit> {
    if let Some(rest) = after(raw, lower, "no module named ") {
        let name = quoted(rest).or_else(|| first_word(rest));
        return Some(hit(Kind::PythonModule, W_DOMINANT, name));
    }
    if has(lower, "cannot find module '") || has(lower, "cannot find package '") {
        let name = quoted_after(raw, lower, "cannot find module ")
            .or_else(|| quoted_after(raw, lower, "cannot find package "));
        let is_path = name.is_some_and(|n| n.starts_with('.') || n.starts_with('/'));
        return Some(if is_path {
            hit(Kind::MissingPath, W_SPECIFIC, name)
        } else {
            hit(Kind::NodeModule, W_DOMINANT, name)
        });
    }
    // gcc: "fatal error: x.h: No such file or directory"; clang: "fatal error: 'x.h' file
    // not found".
    if has(lower, "fatal error: ")
        && (has(lower, "no such file or directory") || has(lower, "' file not found"))
    {
        let name = after(raw, lower, "fatal error: ")
            .map(|r| quoted(r).unwrap_or_else(|| r.split(": ").next().unwrap_or(r)))
            .map(str::trim);
        let source = name.is_some_and(|n| {
            let n = n.to_ascii_lowercase();
            [
                ".c", ".cc", ".cpp", ".cxx", ".m", ".mm", ".s", ".f90", ".cu",
            ]
            .iter()
            .any(|e| n.ends_with(e))
        });
        return Some(if source {
            hit(Kind::MissingPath, W_SPECIFIC, name)
        } else {
            hit(Kind::CHeader, W_DOMINANT, name)
        });
    }
    if let Some(rest) = after(raw, lower, "cannot find -l") {
        let lib = rest.split([':', ' ']).next();
        return Some(hit(Kind::LinkLib, W_DOMINANT, lib));
    }
    if has(lower, "error while loading shared libraries")
        || has(lower, "cannot open shared object file")
    {
        let so = segment_before(raw, lower, ": cannot open shared object file");
        return Some(hit(Kind::SharedLib, W_DOMINANT, so));
    }
    if has(lower, "linker `") && has(lower, "not found") {
        return Some(hit(
            Kind::Linker,
            W_DOMINANT,
            quoted_after(raw, lower, "linker "),
        ));
    }
    if has(lower, "unlinked crate `") || has(lower, "can't find crate for `") {
        let name = quoted_after(raw, lower, "unlinked crate ")
            .or_else(|| quoted_after(raw, lower, "crate for "));
        return Some(hit(Kind::RustCrate, W_DOMINANT, name));
    }
    if has(lower, "use of undeclared crate or module `") {
        return Some(hit(
            Kind::RustCrate,
            W_STRONG,
            quoted_after(raw, lower, "crate or module "),
        ));
    }
    if has(lower, "no matching package named `") {
        return Some(hit(
            Kind::CargoPackage,
            W_SPECIFIC,
            quoted_after(raw, lower, "package named "),
        ));
    }
    if has(lower, "was not found in the pkg-config search path") {
        return Some(hit(
            Kind::PkgConfig,
            W_DOMINANT,
            word_after(raw, lower, "package "),
        ));
    }
    if has(lower, "error: package ") && has(lower, " does not exist") {
        let pkg = word_after(raw, lower, "error: package ");
        return Some(hit(Kind::JavaPackage, W_DOMINANT, pkg));
    }
    if has(lower, "classnotfoundexception") || has(lower, "noclassdeffounderror") {
        let class = after(raw, lower, "exception: ")
            .or_else(|| after(raw, lower, "noclassdeffounderror: "))
            .and_then(first_word);
        return Some(hit(Kind::JavaClass, W_DOMINANT, class));
    }
    if has(lower, "no required module provides package") || (has(lower, "cannot find package \"")) {
        let pkg = word_after(raw, lower, "provides package ")
            .or_else(|| quoted_after(raw, lower, "cannot find package "));
        return Some(hit(Kind::GoPackage, W_DOMINANT, pkg));
    }
    if any(
        lower,
        &[
            "could not resolve dependencies",
            "could not find artifact",
            "could not resolve all files for configuration",
            "could not resolve all dependencies",
        ],
    ) {
        let artifact = word_after(raw, lower, "could not find artifact ");
        return Some(hit(Kind::BuildDeps, W_SPECIFIC, artifact));
    }
    if (lower.starts_with("npm err!") || lower.starts_with("npm error"))
        && has(lower, "404")
        && (has(lower, "not in this registry")
            || has(lower, "could not be found or you do not have permission"))
    {
        return Some(hit(
            Kind::NpmPackage,
            W_SPECIFIC,
            quoted(raw).map(strip_version),
        ));
    }
    if (lower.starts_with("npm err!") || lower.starts_with("npm error"))
        && (lower.ends_with("code e404") || has(lower, "404 not found - get"))
    {
        let pkg = after(raw, lower, "- get ")
            .and_then(first_word)
            .and_then(registry_package);
        return Some(hit(Kind::NpmPackage, W_SPECIFIC, pkg.as_deref()));
    }
    if has(lower, "code eresolve") || has(lower, "unable to resolve dependency tree") {
        return Some(hit(Kind::NpmResolve, W_SPECIFIC, None));
    }
    if let Some(rest) = after(raw, lower, "no matching distribution found for ") {
        return Some(hit(Kind::PipDistribution, W_SPECIFIC, first_word(rest)));
    }
    if let Some(rest) = after(
        raw,
        lower,
        "could not find a version that satisfies the requirement ",
    ) {
        return Some(hit(Kind::PipDistribution, W_SPECIFIC, first_word(rest)));
    }
    if let Some(rest) = after(raw, lower, "unable to locate package ") {
        return Some(hit(Kind::AptPackage, W_SPECIFIC, first_word(rest)));
    }
    if has(lower, "has no installation candidate") {
        return Some(hit(Kind::AptPackage, W_SPECIFIC, quoted(raw)));
    }
    if has(lower, "importerror: cannot import name") {
        let name = quoted_after(raw, lower, "cannot import name ");
        let from = quoted_after(raw, lower, " from ");
        return Some(with_detail(
            hit(Kind::PythonImportName, W_PATTERN, name),
            from,
        ));
    }
    None
}

/// The package a registry URL fetches: its last path segment, or the last two for a scoped
/// name (`…/@scope/name`, or `…/@scope%2fname` as npm requests it).
fn registry_package(url: &str) -> Option<String> {
    let path = url.split_once("://").map_or(url, |(_, rest)| rest);
    let segments: Vec<&str> = path.split('/').skip(1).filter(|s| !s.is_empty()).collect();
    let last = *segments.last()?;
    let name = match segments.len().checked_sub(2).and_then(|i| segments.get(i)) {
        Some(scope) if scope.starts_with('@') => format!("{scope}/{last}"),
        _ => last.replace("%2f", "/").replace("%2F", "/"),
    };
    Some(name)
}

fn strip_version(pkg: &str) -> &str {
    match pkg.rfind('@') {
        Some(i) if i > 0 => pkg.get(..i).unwrap_or(pkg),
        _ => pkg,
    }
}

const SHELLS: [&str; 8] = [
    "sh", "dash", "bash", "ash", "ksh", "zsh", "/bin/sh", "busybox",
];

/// Commands and interpreters that could not be found, and shell-level errors.
fn commands(raw: &str, lower: &str, ctx: &FailureContext<'_>) -> Option<Hit> {
    if lower.ends_with(": command not found") {
        let name = segment_before(raw, lower, ": command not found");
        return Some(hit(Kind::MissingCommand, W_SPECIFIC, name));
    }
    if let Some(rest) = after(raw, lower, "command not found: ") {
        return Some(hit(Kind::MissingCommand, W_SPECIFIC, first_word(rest)));
    }
    if lower.ends_with(": not found") {
        let head = lower.split(':').next().unwrap_or("");
        let shell_like = SHELLS.contains(&head) || head.ends_with(".sh") || head.starts_with("./");
        if shell_like {
            return Some(hit(
                Kind::MissingCommand,
                W_SPECIFIC,
                segment_before(raw, lower, ": not found"),
            ));
        }
    }
    if has(
        lower,
        "is not recognized as an internal or external command",
    ) {
        return Some(hit(Kind::MissingCommand, W_SPECIFIC, quoted(raw)));
    }
    if has(lower, "executable file not found in $path") {
        return Some(hit(Kind::MissingCommand, W_SPECIFIC, quoted(raw)));
    }
    let no_such = lower.ends_with("no such file or directory");
    if no_such && (lower.starts_with("/usr/bin/env: ") || lower.starts_with("env: ")) {
        return Some(hit(Kind::MissingInterpreter, W_SPECIFIC, quoted(raw)));
    }
    if no_such && has(lower, "bad interpreter") {
        let interp = after(raw, lower, "bad interpreter: ").and_then(|r| r.split(':').next());
        return Some(hit(Kind::MissingInterpreter, W_SPECIFIC, interp));
    }
    if no_such
        && (lower.starts_with("xargs: ")
            || lower.starts_with("nohup: ")
            || lower.starts_with("timeout: failed to run command")
            || lower.starts_with("nice: ")
            || lower.starts_with("exec: "))
    {
        let name =
            quoted(raw).or_else(|| segment_before(raw, lower, ": no such file or directory"));
        return Some(hit(Kind::MissingCommand, W_SPECIFIC, name));
    }
    if no_such && lower.starts_with("make: ") && !has(lower, "*") {
        // make prints this both for a recipe command it cannot exec and for a makefile it
        // cannot read; only the former is followed by "Error 127" (which outweighs this).
        return Some(hit(
            Kind::MissingPath,
            W_STRONG,
            segment_before(raw, lower, ": no such file or directory"),
        ));
    }
    if lower.starts_with("make") && has(lower, "] error 127") {
        return Some(hit(Kind::MissingCommand, W_SPECIFIC, None));
    }
    if lower.ends_with("unbound variable") {
        return Some(hit(
            Kind::UnboundVariable,
            W_SPECIFIC,
            segment_before(raw, lower, ": unbound variable"),
        ));
    }
    if ctx.exit_code == Some(127) && no_such {
        let name = segment_before(raw, lower, ": no such file or directory");
        return Some(hit(Kind::MissingCommand, W_STRONG, name));
    }
    None
}

/// Test-run summaries and failing test names.
fn tests(raw: &str, lower: &str) -> Option<Hit> {
    let summary = lower.starts_with("test result: failed")
        || lower.starts_with("failed (failures=")
        || lower.starts_with("failed (errors=")
        || has(lower, "there are test failures")
        || has(lower, "there were failing tests")
        || lower.starts_with("failures!")
        || lower.starts_with("***test failed***")
        || (lower.starts_with("tests:") && has(lower, " failed"))
        || lower
            .strip_prefix("# fail ")
            .and_then(super::text::leading_number)
            .is_some_and(|n| n > 0)
        || (has(lower, " failing")
            && super::text::leading_number(lower).is_some_and(|n| n > 0)
            && lower.split_whitespace().count() == 2)
        || (has(lower, "tests run:")
            && (nonzero_after(lower, "failures: ") || nonzero_after(lower, "errors: ")))
        || (has(lower, " examples, ") && nonzero_before(lower, " failure"))
        || pytest_summary(lower);
    if summary {
        // pytest's "1 error in 0.1s" with nothing failed: a test could not be set up or
        // collected, so an unambiguous cause it printed (a refused connection, a missing
        // module) outweighs the count.
        let weight = if pytest_summary(lower) && !has(lower, " failed") {
            W_STRONG
        } else {
            W_TEST
        };
        return Some(hit(Kind::TestsFailed, weight, Some(&clean_summary(raw))));
    }
    if lower.starts_with("failed ") && has(lower, "::") {
        return Some(hit(
            Kind::FailingTest,
            W_CONTEXT,
            raw.get(7..).and_then(first_word),
        ));
    }
    if lower.starts_with("--- fail: ") {
        return Some(hit(
            Kind::FailingTest,
            W_TEST_NAME,
            word_after(raw, lower, "--- fail: "),
        ));
    }
    if has(lower, "[build failed]") || has(lower, "[setup failed]") {
        return Some(hit(Kind::BuildFailed, W_PATTERN, None));
    }
    if lower.starts_with("fail\t") || (lower.starts_with("fail ") && !lower.starts_with("fail: ")) {
        return Some(hit(
            Kind::FailingTest,
            W_TEST_NAME,
            first_word(raw.get(5..).unwrap_or("")),
        ));
    }
    if lower.starts_with("test ") && lower.ends_with("... failed") {
        return Some(hit(
            Kind::FailingTest,
            W_CONTEXT,
            word_after(raw, lower, "test "),
        ));
    }
    if lower.starts_with("fail: ") {
        return Some(hit(
            Kind::FailingTest,
            W_CONTEXT,
            word_after(raw, lower, ": "),
        ));
    }
    if lower.starts_with("not ok ") {
        let name = after(raw, lower, " - ");
        return Some(hit(Kind::FailingTest, W_CONTEXT, name));
    }
    if raw.starts_with('✕') || raw.starts_with('✖') || raw.starts_with("× ") {
        return Some(hit(
            Kind::FailingTest,
            W_CONTEXT,
            raw.get(raw.chars().next().map_or(0, char::len_utf8)..),
        ));
    }
    None
}

/// "= 1 failed, 2 passed in 0.1s =" → "1 failed, 2 passed in 0.1s"; drops runner prefixes
/// and runs of spaces.
fn clean_summary(raw: &str) -> String {
    let mut t = raw.trim_matches(|c| c == '=' || c == ' ');
    for prefix in [
        "[ERROR] ",
        "[INFO] ",
        "test result: FAILED. ",
        "test result: FAILED.",
        "Tests:",
        "# ",
    ] {
        t = t.strip_prefix(prefix).unwrap_or(t);
    }
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn nonzero_after(lower: &str, pat: &str) -> bool {
    lower
        .find(pat)
        .and_then(|i| lower.get(i + pat.len()..))
        .and_then(super::text::leading_number)
        .is_some_and(|n| n > 0)
}

fn nonzero_before(lower: &str, pat: &str) -> bool {
    number_before(lower, pat).is_some_and(|n| n > 0)
}

/// pytest's "= 2 failed, 3 passed in 0.12s =" and "1 failed in 0.1s".
fn pytest_summary(lower: &str) -> bool {
    let t = lower.trim_matches(|c| c == '=' || c == ' ');
    (t.contains(" failed,")
        || t.contains(" failed in ")
        || t.contains(" error in ")
        || t.contains(" errors in "))
        && t.split([',', ' '])
            .next()
            .and_then(|w| w.parse::<u64>().ok())
            .is_some_and(|n| n > 0)
        && (t.contains(" in ") && t.ends_with('s'))
}

fn timeouts(raw: &str, lower: &str) -> Option<Hit> {
    if has(lower, "timeoutexpired:") || (has(lower, "timed out after") && has(lower, "command")) {
        return Some(hit(Kind::TimeoutException, W_SPECIFIC, quoted(raw)));
    }
    if any(
        lower,
        &[
            "execution timed out",
            "command timed out",
            "job exceeded maximum execution time",
            "deadline exceeded while",
        ],
    ) {
        return Some(hit(Kind::TimeoutException, W_STRONG, None));
    }
    None
}

fn auth(raw: &str, lower: &str) -> Option<Hit> {
    if has(lower, "permission denied (publickey") || has(lower, "host key verification failed") {
        return Some(hit(Kind::SshAuth, W_SPECIFIC, None));
    }
    if has(lower, "authentication failed for '")
        || has(lower, "could not read username")
        || has(lower, "could not read password")
        || has(lower, "invalid username or password")
        || has(lower, "support for password authentication was removed")
    {
        let url = quoted(raw);
        return Some(hit(Kind::GitAuth, W_SPECIFIC, url));
    }
    if has(lower, "a password is required") || has(lower, "incorrect password attempt") {
        return Some(hit(Kind::SudoAuth, W_SPECIFIC, None));
    }
    if any(
        lower,
        &[
            "unauthorized: authentication required",
            "denied: requested access to the resource is denied",
            "pull access denied",
            "no basic auth credentials",
            "code e401",
            "eneedauth",
            "unable to authenticate",
        ],
    ) {
        return Some(hit(Kind::RegistryAuth, W_SPECIFIC, None));
    }
    for code in ["401", "403"] {
        let http = lower.contains(&format!("returned error: {code}"))
            || lower.contains(&format!("http error {code}"))
            || lower.contains(&format!("error {code}"))
            || lower.contains(&format!("{code} unauthorized"))
            || lower.contains(&format!("{code} forbidden"))
            || lower.contains(&format!("status code {code}"))
            || lower.contains(&format!("status {code}"));
        if http {
            return Some(hit(Kind::HttpAuth, W_SPECIFIC, Some(code)));
        }
    }
    if any(
        lower,
        &[
            "authentication failed",
            "bad credentials",
            "invalid api key",
            "invalid token",
            "invalid credentials",
            "login failed",
            "not authorized",
            "authorization failed",
        ],
    ) {
        return Some(hit(Kind::AuthGeneric, W_STRONG, None));
    }
    None
}

fn network(raw: &str, lower: &str) -> Option<Hit> {
    if let Some(host) = word_after(raw, lower, "could not resolve host: ")
        .or_else(|| word_after(raw, lower, "could not resolve hostname "))
        .or_else(|| word_after(raw, lower, "getaddrinfo enotfound "))
        .or_else(|| word_after(raw, lower, "unknownhostexception: "))
        .or_else(|| {
            if has(lower, "no such host") {
                word_after(raw, lower, "lookup ")
            } else {
                None
            }
        })
    {
        return Some(hit(Kind::Dns, W_SPECIFIC, Some(host)));
    }
    if any(
        lower,
        &[
            "temporary failure in name resolution",
            "name or service not known",
            "nodename nor servname",
            "no address associated with hostname",
            " enotfound",
            "'enotfound'",
            "failed to resolve",
            "could not resolve proxy",
            "name resolution failed",
            "server misbehaving",
            ": no such host",
        ],
    ) {
        return Some(hit(Kind::Dns, W_SPECIFIC, None));
    }
    if any(
        lower,
        &[
            "connection refused",
            "econnrefused",
            "errno 111]",
            "couldn't connect to server",
            "failed to connect to",
            "connectexception",
            "connect: connection refused",
        ],
    ) {
        return Some(hit(
            Kind::ConnRefused,
            W_SPECIFIC,
            endpoint(raw, lower).as_deref(),
        ));
    }
    if any(
        lower,
        &[
            "no route to host",
            "network is unreachable",
            "enetunreach",
            "ehostunreach",
            "errno 113]",
            "errno 101]",
        ],
    ) {
        return Some(hit(
            Kind::Unreachable,
            W_SPECIFIC,
            endpoint(raw, lower).as_deref(),
        ));
    }
    if any(
        lower,
        &[
            "certificate verify failed",
            "ssl certificate problem",
            "self signed certificate",
            "self-signed certificate",
            "unable to get local issuer certificate",
            "wrong version number",
            "tls handshake",
            "x509: ",
            "ssl routines",
            "sslerror",
            "ssl_error",
            "unable to verify the first certificate",
            "err_tls_cert",
            "certificate has expired",
            "sslhandshakeexception",
        ],
    ) {
        return Some(hit(Kind::Tls, W_SPECIFIC, None));
    }
    if any(
        lower,
        &[
            "operation timed out",
            "connection timed out",
            "etimedout",
            "connecttimeout",
            "readtimeout",
            "read timed out",
            "sockettimeoutexception",
            "i/o timeout",
            "errno 110]",
            "connection timeout",
        ],
    ) {
        return Some(hit(
            Kind::NetTimeout,
            W_SPECIFIC,
            endpoint(raw, lower).as_deref(),
        ));
    }
    if any(
        lower,
        &[
            "connection reset",
            "econnreset",
            "errno 104]",
            "remote end closed connection",
            "socket hang up",
            "unexpected eof while reading",
            "kex_exchange_identification",
            "connection closed by remote host",
            "ssh_exchange_identification",
        ],
    ) {
        return Some(hit(Kind::NetGeneric, W_STRONG, None));
    }
    for code in ["500", "502", "503", "504"] {
        if lower.contains(&format!("returned error: {code}"))
            || lower.contains(&format!("http error {code}"))
            || lower.contains(&format!("error {code}"))
        {
            return Some(hit(Kind::ServerError, W_STRONG, Some(code)));
        }
    }
    if has(lower, "returned error: 404")
        || has(lower, "http error 404")
        || has(lower, "error 404: not found")
    {
        return Some(hit(Kind::RemoteNotFound, W_STRONG, Some("404")));
    }
    if has(lower, "manifest unknown") || (has(lower, "manifest for ") && has(lower, "not found")) {
        return Some(hit(
            Kind::ImageNotFound,
            W_SPECIFIC,
            word_after(raw, lower, "manifest for "),
        ));
    }
    if has(lower, "fetch failed")
        || has(lower, "unable to access '")
        || has(lower, "urlerror")
        || has(lower, "connectionerror")
    {
        return Some(hit(Kind::NetGeneric, W_STRONG, quoted(raw)));
    }
    None
}

/// "host:port" named by a connection error line.
fn endpoint(raw: &str, lower: &str) -> Option<String> {
    let pair = |host: Option<&str>, port: Option<&str>| -> Option<String> {
        let host = host?.trim_matches(|c: char| c == '"' || c == '\'' || c == ',');
        let port = port.and_then(first_word).unwrap_or("");
        Some(if port.is_empty() {
            host.to_string()
        } else {
            format!("{host}:{port}")
        })
    };
    for pat in ["connect to host ", "failed to connect to "] {
        if let Some(rest) = after(raw, lower, pat) {
            let host = rest.split_whitespace().next();
            let port = rest.find(" port ").and_then(|i| rest.get(i + 6..));
            return pair(host, port);
        }
    }
    if let Some(rest) = after(raw, lower, "server at ") {
        let host = quoted(rest);
        let port = rest.find("port ").and_then(|i| rest.get(i + 5..));
        return pair(host, port);
    }
    if let (Some(host), Some(port)) = (
        quoted_after(raw, lower, "host="),
        after(raw, lower, "port="),
    ) {
        let port = port
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .unwrap_or("");
        return Some(if port.is_empty() {
            host.to_string()
        } else {
            format!("{host}:{port}")
        });
    }
    for pat in ["econnrefused ", "etimedout ", "dial tcp "] {
        if let Some(w) = word_after(raw, lower, pat) {
            return Some(w.to_string());
        }
    }
    None
}

fn permissions(raw: &str, lower: &str) -> Option<Hit> {
    if has(lower, "docker daemon socket")
        || (has(lower, "docker.sock") && has(lower, "permission denied"))
    {
        return Some(hit(Kind::DockerSocket, W_SPECIFIC, None));
    }
    if (has(lower, "could not open lock file")
        || has(lower, "unable to acquire the dpkg frontend lock"))
        && (has(lower, "permission denied") || has(lower, "are you root"))
    {
        return Some(hit(Kind::NeedRoot, W_SPECIFIC, None));
    }
    if any(
        lower,
        &[
            "are you root?",
            "must be run as root",
            "must be root",
            "only root can",
            "you need to be root",
            "requires superuser",
            "run as root",
            "is not in the sudoers file",
            "superuser privileges",
        ],
    ) {
        return Some(hit(Kind::NeedRoot, W_SPECIFIC, None));
    }
    if has(lower, "read-only file system") || has(lower, "erofs") || has(lower, "errno 30]") {
        let path = quoted(raw).or_else(|| segment_before(raw, lower, ": read-only file system"));
        return Some(hit(Kind::ReadOnlyFs, W_SPECIFIC, path));
    }
    if (lower.starts_with("npm err!") || lower.starts_with("npm error"))
        && lower.ends_with("code eacces")
    {
        return Some(hit(Kind::NpmGlobal, W_SPECIFIC, None));
    }
    if has(lower, "permission denied")
        || has(lower, "eacces")
        || has(lower, "errno 13]")
        || has(lower, "accessdeniedexception")
    {
        let path = permission_path(raw, lower);
        let mut h = hit(Kind::AccessDenied, W_STRONG, path);
        if path.is_some() {
            // "tool: path: Permission denied" / "EACCES … 'path'" names both parties.
            h.basis = Basis::Specific;
        }
        return Some(h);
    }
    if has(lower, "operation not permitted") || has(lower, "eperm:") || has(lower, "'eperm'") {
        let path = quoted(raw).or_else(|| segment_before(raw, lower, ": operation not permitted"));
        return Some(hit(Kind::NotPermitted, W_STRONG, path));
    }
    None
}

fn permission_path<'a>(raw: &'a str, lower: &str) -> Option<&'a str> {
    if let Some(q) = quoted_after(raw, lower, "permission denied") {
        return Some(q);
    }
    let seg = segment_before(raw, lower, ": permission denied")?;
    let seg = strip_action(seg);
    Some(quoted(seg).unwrap_or(seg))
}

/// "cannot open 'x'" and friends: drop the verb phrase, keep the path.
fn strip_action(seg: &str) -> &str {
    for verb in [
        "cannot create directory ",
        "cannot create regular file ",
        "cannot touch ",
        "cannot stat ",
        "cannot access ",
        "cannot open ",
        "cannot remove ",
        "cannot read ",
        "can't open ",
        "can't create ",
        "could not open ",
    ] {
        if let Some(rest) = seg.strip_prefix(verb) {
            return quoted(rest).unwrap_or(rest);
        }
    }
    seg
}

fn usage(raw: &str, lower: &str, ctx: &FailureContext<'_>) -> Option<Hit> {
    let tool = tool_prefix(raw);
    if has(lower, "no rule to make target") {
        let target = quoted_after(raw, lower, "make target ");
        // `make -f build.mk` without build.mk reports the makefile as a missing target.
        let makefile = target.is_some_and(|t| {
            ctx.command.contains(&format!("-f {t}")) || ctx.command.contains(&format!("--file={t}"))
        });
        return Some(if has(lower, "needed by") || makefile {
            hit(Kind::MakeMissingPrerequisite, W_SPECIFIC, target)
        } else {
            hit(Kind::NoMakeTarget, W_SPECIFIC, target)
        });
    }
    if has(lower, "no targets specified and no makefile found") || has(lower, "no makefile found") {
        return Some(hit(Kind::NoMakefile, W_SPECIFIC, None));
    }
    if has(lower, "did not match any file(s) known to git") {
        return Some(hit(
            Kind::BadValue,
            W_SPECIFIC,
            quoted_after(raw, lower, "pathspec "),
        ));
    }
    if let Some(rest) = after(raw, lower, "no such command: ")
        .or_else(|| after(raw, lower, "unrecognized subcommand "))
        .or_else(|| after(raw, lower, "unknown command "))
    {
        let name = quoted(rest).or_else(|| first_word(rest));
        return Some(hit(Kind::UnknownSubcommand, W_SPECIFIC, name));
    }
    for pat in [
        "unrecognized option",
        "invalid option",
        "unknown option",
        "illegal option",
        "bad option",
        "unrecognized arguments",
        "unexpected argument",
        "unknown flag",
        "unknown shorthand flag",
        "flag provided but not defined",
        "no such option",
    ] {
        if let Some(rest) = after(raw, lower, pat) {
            let rest = rest.trim_start_matches([':', ' ']);
            let rest = rest.strip_prefix("-- ").unwrap_or(rest);
            let opt = quoted(rest).or_else(|| first_word(rest));
            return Some(with_detail(hit(Kind::BadOption, W_SPECIFIC, opt), tool));
        }
    }
    if let Some(opt) = unknown_option(raw, lower) {
        return Some(with_detail(hit(Kind::BadOption, W_SPECIFIC, opt), tool));
    }
    if any(
        lower,
        &[
            "use one of",
            "must be one of",
            "valid values are",
            "valid choices are",
            "possible values:",
        ],
    ) {
        return Some(with_detail(
            hit(Kind::BadValue, W_SPECIFIC, quoted(raw)),
            tool,
        ));
    }
    for pat in [
        "invalid number of",
        "invalid argument '",
        "invalid argument ‘",
        "invalid value '",
        "invalid value for",
        "invalid time interval",
        "invalid mode",
    ] {
        if let Some(rest) = after(raw, lower, pat) {
            let value = quoted(rest).or_else(|| rest.rsplit(": ").next().and_then(first_word));
            return Some(with_detail(hit(Kind::BadValue, W_SPECIFIC, value), tool));
        }
    }
    for pat in [
        "the following arguments are required",
        "missing operand",
        "missing argument",
        "requires an argument",
        "missing required argument",
        "too few arguments",
        "missing file operand",
        "you must specify one of the",
        "you may not specify more than one",
        "extra operand",
        "too many arguments",
        "missing destination file operand",
    ] {
        if lower.contains(pat) {
            let arg = after(raw, lower, "required: ");
            return Some(with_detail(
                hit(Kind::MissingArgument, W_SPECIFIC, arg),
                tool,
            ));
        }
    }
    if lower.starts_with("usage:") || (lower.starts_with("try '") && has(lower, "--help")) {
        return Some(with_detail(hit(Kind::UsageGeneric, W_PATTERN, None), tool));
    }
    None
}

/// An option refused in any tool's words, with up to two words between the refusal and
/// "option" ("Unknown compiler option '--strictt'", "unsupported build option -Q"): the
/// option named after it, if any.
fn unknown_option<'a>(raw: &'a str, lower: &str) -> Option<Option<&'a str>> {
    if !has(lower, "option") {
        return None;
    }
    const REFUSALS: [&str; 6] = [
        "unknown",
        "unrecognized",
        "unrecognised",
        "unsupported",
        "illegal",
        "invalid",
    ];
    let words: Vec<(usize, &str)> = lower
        .split(' ')
        .scan(0, |at, w| {
            let start = *at;
            *at += w.len() + 1;
            Some((start, w))
        })
        .collect();
    for (i, (at, w)) in words.iter().enumerate() {
        if !w.trim_end_matches([':', ',']).eq("option") {
            continue;
        }
        let refused = (1..=3).any(|back| {
            i.checked_sub(back)
                .and_then(|j| words.get(j))
                .is_some_and(|(_, p)| REFUSALS.contains(p))
        });
        if refused {
            let rest = raw.get(at + w.len()..).unwrap_or("");
            let rest = rest.trim_start_matches([':', ' ']);
            return Some(quoted(rest).or_else(|| first_word(rest)));
        }
    }
    None
}

/// "ls: …" gives "ls" (a single word before the first colon).
fn tool_prefix(raw: &str) -> Option<&str> {
    let (head, _) = raw.split_once(": ")?;
    let generic = [
        "error", "fatal", "Error", "ERROR", "warning", "E", "Usage", "usage",
    ]
    .contains(&head);
    (!head.is_empty() && !generic && !head.contains(' ') && head.len() < 40).then_some(head)
}

fn compile(raw: &str, lower: &str) -> Option<Hit> {
    if has(lower, "could not find `cargo.toml`") {
        return Some(hit(
            Kind::MissingCargoManifest,
            W_SPECIFIC,
            Some("Cargo.toml"),
        ));
    }
    if let Some(rest) = lower.strip_prefix("error[e") {
        let code_len = rest.bytes().take_while(u8::is_ascii_digit).count();
        let code = raw.get(6..7 + code_len);
        let msg = raw.split_once("]: ").map(|(_, m)| m);
        return Some(with_detail(hit(Kind::RustError, W_SPECIFIC, code), msg));
    }
    if any(
        lower,
        &[
            "undefined reference to",
            "multiple definition of",
            "undefined symbols for architecture",
        ],
    ) {
        let sym = quoted_after(raw, lower, "undefined reference to ")
            .or_else(|| quoted_after(raw, lower, "multiple definition of "));
        return Some(hit(Kind::LinkError, W_SPECIFIC, sym));
    }
    if any(
        lower,
        &[
            "ld returned 1 exit status",
            "linker command failed",
            "error: linking with",
        ],
    ) {
        return Some(hit(Kind::LinkError, W_STRONG, None));
    }
    if lower.starts_with("undefined: ")
        || (has(lower, ".go:") && looks_like_location(raw.split(": ").next().unwrap_or("")))
    {
        let loc = raw.split(": ").next();
        return Some(with_detail(
            hit(Kind::CompilerError, W_STRONG, loc),
            raw.split_once(": ").map(|(_, m)| m),
        ));
    }
    if let Some(i) = find(lower, ".java:[") {
        let start = raw.get(..i).and_then(|h| h.rfind(' ')).map_or(0, |s| s + 1);
        let end = raw.get(i..).and_then(|t| t.find(']')).map(|e| i + e + 1);
        if let Some(end) = end {
            return Some(with_detail(
                hit(Kind::CompilerError, W_SPECIFIC, raw.get(start..end)),
                raw.get(end..),
            ));
        }
    }
    if any(
        lower,
        &[
            "could not compile `",
            "aborting due to",
            "compilation failed",
            "compilation failure",
            "compilation error",
            "build failure",
            "build failed",
            "compilation terminated",
        ],
    ) {
        return Some(hit(Kind::BuildFailed, W_PATTERN, None));
    }
    None
}

fn syntax(raw: &str, lower: &str) -> Option<Hit> {
    if any(
        lower,
        &[
            "syntax error near unexpected token",
            "syntax error: unexpected end of file",
            "unexpected eof while looking for matching",
            "bad substitution",
            "syntax error: unterminated quoted string",
            "syntax error: \"",
            "syntax error: word unexpected",
            "syntax error: end of file unexpected",
        ],
    ) || (has(lower, "syntax error")
        && lower
            .split(':')
            .next()
            .is_some_and(|h| SHELLS.contains(&h) || h.ends_with(".sh")))
    {
        return Some(with_detail(
            hit(Kind::ShellSyntax, W_SPECIFIC, None),
            tool_prefix(raw),
        ));
    }
    if let Some((name, msg)) = exception_line(raw) {
        let n = name.rsplit('.').next().unwrap_or(name);
        if matches!(n, "SyntaxError" | "IndentationError" | "TabError") {
            let js = raw.contains("Unexpected")
                || raw.contains("Invalid or unexpected token")
                || raw.contains("missing ) after");
            let kind = if js {
                Kind::JsSyntax
            } else {
                Kind::PythonSyntax
            };
            return Some(with_detail(hit(kind, W_SPECIFIC, Some(n)), Some(msg)));
        }
        if matches!(
            n,
            "JSONDecodeError"
                | "ScannerError"
                | "ParserError"
                | "TOMLDecodeError"
                | "ParseError"
                | "ConstructorError"
        ) {
            return Some(with_detail(
                hit(Kind::DataSyntax, W_SPECIFIC, Some(n)),
                Some(msg),
            ));
        }
    }
    if has(lower, "missing separator") && has(lower, "***") {
        return Some(hit(Kind::MakefileSyntax, W_SPECIFIC, raw.split(':').next()));
    }
    if lower.starts_with("parse error:")
        || lower.starts_with("jq: error: syntax error")
        || has(lower, "unexpected end of json input")
        || has(lower, "is not valid json")
    {
        return Some(hit(Kind::DataSyntax, W_SPECIFIC, None));
    }
    if (has(lower, ": syntax error") && has(lower, "near \""))
        || lower.starts_with("parse error: near")
    {
        return Some(hit(Kind::SqlSyntax, W_SPECIFIC, quoted(raw)));
    }
    if let Some(loc) = lower.strip_prefix("--> ") {
        let config = [".toml:", ".yaml:", ".yml:", ".json:", ".ini:", ".cfg:"];
        if config.iter().any(|e| loc.contains(e)) {
            return Some(hit(Kind::ConfigSyntax, W_STRONG, raw.get(4..)));
        }
    }
    if diagnostic::says_parse_error(lower, false) && !names_other_exception(raw) {
        // Any tool's parse error (dot, R, nginx, black, just, ksh…); the file it names, if
        // any, is read by `diagnosed` when the line is a diagnostic.
        // Only a pattern: a program's own message ("die 'cannot parse config'") can say it.
        return Some(with_detail(
            hit(Kind::ParseError, W_PATTERN, None),
            Some(raw),
        ));
    }
    if any(
        lower,
        &[
            "yaml: line ",
            "mapping values are not allowed",
            "did not find expected key",
            "found character that cannot start any token",
            "invalid yaml",
            "toml parse error",
            "unexpected character",
        ],
    ) {
        return Some(hit(Kind::ConfigSyntax, W_SPECIFIC, None));
    }
    None
}

fn files(raw: &str, lower: &str) -> Option<Hit> {
    if has(lower, "repository '") && has(lower, "does not exist") {
        return Some(hit(
            Kind::MissingPath,
            W_SPECIFIC,
            quoted_after(raw, lower, "repository "),
        ));
    }
    if let Some(rest) = after(raw, lower, "file not found: ") {
        return Some(hit(Kind::MissingPath, W_SPECIFIC, first_word(rest)));
    }
    if has(lower, "unable to open database") {
        let path = quoted_after(raw, lower, "unable to open database ");
        return Some(hit(Kind::MissingPath, W_STRONG, path));
    }
    if has(lower, "could not find or load main class") {
        return Some(hit(
            Kind::JavaMainClass,
            W_SPECIFIC,
            word_after(raw, lower, "main class "),
        ));
    }
    if has(lower, "can't open file") || has(lower, "cannot open file") {
        return Some(hit(
            Kind::MissingPath,
            W_SPECIFIC,
            quoted_after(raw, lower, "open file "),
        ));
    }
    if has(lower, "filenotfounderror")
        || has(lower, "filenotfoundexception")
        || has(lower, "nosuchfileexception")
        || has(lower, "enoent")
    {
        let path = quoted_after(raw, lower, "no such file or directory")
            .or_else(|| quoted(raw))
            .or_else(|| after(raw, lower, "exception: ").and_then(first_word));
        return Some(hit(Kind::MissingPath, W_SPECIFIC, path));
    }
    let file_words = has(lower, "does not exist") && any(lower, &["file", "directory", "path"]);
    if let Some(head) = super::text::before(raw, lower, ": no such file")
        .filter(|_| lower.ends_with(": no such file"))
    {
        // dash words ENOENT without "or directory": "sh: 1: .: cannot open ./x: No such file".
        let seg = head.rsplit(": ").next().unwrap_or(head);
        return Some(hit(
            Kind::MissingPath,
            W_STRONG,
            Some(strip_action(seg.trim())),
        ));
    }
    if has(lower, "no such file or directory")
        || has(lower, "cannot find the path")
        || has(lower, "cannot find the file")
        || file_words
    {
        let strong = tool_prefix(raw).is_some() || has(lower, "cannot change to");
        let weight = if strong { W_STRONG } else { W_PATTERN };
        let path = missing_path(raw, lower);
        let mut h = hit(Kind::MissingPath, weight, path);
        if strong && path.is_some() {
            h.basis = Basis::Specific;
        }
        return Some(h);
    }
    if lower.starts_with("tar") && has(lower, "cannot open") {
        return Some(hit(
            Kind::MissingPath,
            W_STRONG,
            segment_before(raw, lower, ": cannot open"),
        ));
    }
    None
}

/// The path a "No such file or directory" line is about.
fn missing_path<'a>(raw: &'a str, lower: &str) -> Option<&'a str> {
    if let Some(q) = quoted_after(raw, lower, "no such file or directory") {
        return Some(q);
    }
    let head = super::text::before(raw, lower, ": no such file or directory")?;
    let head = head
        .strip_suffix(": Cannot open")
        .or_else(|| head.strip_suffix(": cannot open"))
        .unwrap_or(head);
    let seg = match head.rfind(": ") {
        Some(i) => head.get(i + 2..)?,
        None => head,
    };
    let seg = strip_action(seg.trim());
    let seg = quoted(seg).unwrap_or(seg);
    (!seg.is_empty()).then_some(seg)
}

/// Whether `s` plausibly names a filesystem path.
fn looks_like_path(s: &str) -> bool {
    !s.contains(' ') && (s.contains('/') || s.contains('.'))
}

fn runtime(raw: &str, lower: &str) -> Option<Hit> {
    if has(lower, "panicked at") {
        let loc =
            after(raw, lower, "panicked at ").map(|r| r.trim_end_matches(':').trim_matches('\''));
        return Some(hit(Kind::Panic, W_SPECIFIC, loc));
    }
    if lower.starts_with("panic: ") {
        return Some(with_detail(
            hit(Kind::Panic, W_SPECIFIC, None),
            after(raw, lower, "panic: "),
        ));
    }
    if any(
        lower,
        &[
            "segmentation fault",
            "bus error",
            "floating point exception",
            "illegal instruction",
            "stack smashing detected",
            "double free",
            "free(): invalid",
            "corrupted size vs",
        ],
    ) {
        return Some(hit(Kind::Crash, W_SPECIFIC, None));
    }
    if has(lower, "assertion") && has(lower, "failed") {
        return Some(hit(Kind::AssertFailed, W_SPECIFIC, quoted(raw)));
    }
    if any(
        lower,
        &[
            "database is locked",
            "database table is locked",
            "sqlite_busy",
            "lock wait timeout exceeded",
            "deadlock detected",
        ],
    ) {
        return Some(hit(Kind::DbLocked, W_SPECIFIC, None));
    }
    if let Some(rest) = after(raw, lower, "merge conflict in ") {
        return Some(hit(Kind::MergeConflict, W_SPECIFIC, Some(rest)));
    }
    if has(lower, "automatic merge failed")
        || has(lower, "you have unmerged paths")
        || has(lower, "fix conflicts and then commit")
    {
        return Some(hit(Kind::MergeConflict, W_STRONG, None));
    }
    if let Some(rest) = after(raw, lower, "exception in thread \"") {
        let name = rest.split_once("\" ").map(|(_, r)| r).and_then(first_word);
        return Some(with_detail(
            hit(Kind::Exception, W_SPECIFIC, name),
            rest.split_once(": ").map(|(_, m)| m),
        ));
    }
    if let Some((name, msg)) = exception_line(raw) {
        let short = name.rsplit('.').next().unwrap_or(name);
        return Some(match short {
            "PermissionError" => hit(Kind::AccessDenied, W_SPECIFIC, quoted(msg)),
            "IsADirectoryError" | "NotADirectoryError" => {
                hit(Kind::MissingPath, W_STRONG, quoted(msg))
            }
            "ConnectionRefusedError" => hit(Kind::ConnRefused, W_SPECIFIC, None),
            "KeyboardInterrupt" => hit(Kind::Signaled, W_SPECIFIC, Some("SIGINT")),
            "CalledProcessError" => {
                with_detail(hit(Kind::Exception, W_STRONG, Some(name)), Some(msg))
            }
            "AssertionError" => {
                with_detail(hit(Kind::AssertFailed, W_STRONG, Some(name)), Some(msg))
            }
            "RecursionError" | "StackOverflowError" => {
                with_detail(hit(Kind::Exception, W_SPECIFIC, Some(name)), Some(msg))
            }
            "Error" => with_detail(hit(Kind::Exception, W_PATTERN, Some(name)), Some(msg)),
            _ => with_detail(hit(Kind::Exception, W_STRONG, Some(name)), Some(msg)),
        });
    }
    // A wrapper (just, a task runner) saying only that its child exited non-zero names no
    // cause, whatever the child printed before it does.
    if ["error: ", "error ", "fatal: ", "fatal error: "]
        .iter()
        .any(|p| lower.starts_with(p))
        && !reports_child_status(lower)
    {
        let h = hit_basis(Kind::ReportedError, W_REPORTED_ERROR, Basis::Weak, None);
        return Some(with_detail(h, Some(raw)));
    }
    if has(lower, "unhandledpromiserejection") || has(lower, "unhandled promise rejection") {
        return Some(hit(
            Kind::Exception,
            W_STRONG,
            Some("UnhandledPromiseRejection"),
        ));
    }
    if let Some((sig, name)) = make_recipe_signal(lower) {
        return Some(with_detail(
            hit(Kind::Signaled, W_STRONG, Some(name)),
            Some(sig),
        ));
    }
    if shell_job_status(lower, "killed") {
        return Some(with_detail(
            hit(Kind::Signaled, W_STRONG, Some("SIGKILL")),
            Some("9"),
        ));
    }
    if shell_job_status(lower, "terminated") {
        return Some(with_detail(
            hit(Kind::Signaled, W_STRONG, Some("SIGTERM")),
            Some("15"),
        ));
    }
    None
}

/// Whether the line only reports that a child process exited non-zero ("recipe `x` failed
/// on line 2 with exit code 1", "… exited with code 2").
pub(super) fn reports_child_status(lower: &str) -> bool {
    (has(lower, " failed") && has(lower, "with exit code")) || has(lower, "exited with code")
}

/// make's report of a recipe ended by a signal: `*** [Makefile:2: bench] Killed` (the
/// signal's description, as strsignal(3) words it) or `Error 137` (the shell's 128+n).
fn make_recipe_signal(lower: &str) -> Option<(&'static str, &'static str)> {
    if !lower.starts_with("make") || !has(lower, "*** [") {
        return None;
    }
    const SIGNALS: [(&str, &str, &str); 6] = [
        ("] killed", "9", "SIGKILL"),
        ("] error 137", "9", "SIGKILL"),
        ("] terminated", "15", "SIGTERM"),
        ("] error 143", "15", "SIGTERM"),
        ("] hangup", "1", "SIGHUP"),
        ("] interrupt", "2", "SIGINT"),
    ];
    SIGNALS
        .iter()
        .find(|(end, _, _)| lower.ends_with(end))
        .map(|(_, n, name)| (*n, *name))
}

/// "Killed" alone, or a shell job report "… 12345 Killed   cmd".
fn shell_job_status(lower: &str, word: &str) -> bool {
    if lower == word {
        return true;
    }
    let mut prev: Option<&str> = None;
    for t in lower.split_whitespace() {
        if t == word {
            return prev.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        }
        prev = Some(t);
    }
    false
}

/// The exception a Python traceback ends with: `dotted.Name: message` or `Name`.
fn traceback_exception(raw: &str) -> Option<Hit> {
    let (name, msg) = raw.split_once(':').unwrap_or((raw, ""));
    let last = name.rsplit('.').next().unwrap_or(name);
    let ident = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
    (ident && last.starts_with(|c: char| c.is_ascii_uppercase()))
        .then(|| with_detail(hit(Kind::Exception, W_STRONG, Some(name)), Some(msg)))
}

/// Whether the line is an exception other than a bare `Error: …` (whose message is all it
/// says): "AssertionError: unexpected token" is an assertion, not a parse error.
fn names_other_exception(raw: &str) -> bool {
    exception_line(raw).is_some_and(|(name, _)| !matches!(name, "Error" | "ERROR"))
}

/// "ValueError: bad", "json.decoder.JSONDecodeError: …", "TypeError: x is not a function",
/// "Error [ERR_X]: …", "MemoryError": an exception name and its message.
pub(super) fn exception_line(raw: &str) -> Option<(&str, &str)> {
    let raw = raw.strip_prefix("Uncaught ").unwrap_or(raw);
    let (name, msg) = match raw.find(':') {
        Some(i) => (raw.get(..i)?, raw.get(i + 1..)?.trim()),
        None => (raw, ""),
    };
    let name = name.split(" [").next().unwrap_or(name).trim();
    if name.is_empty() || name.len() > 80 || name.contains(' ') {
        return None;
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '$')
    {
        return None;
    }
    let last = name.rsplit('.').next().unwrap_or(name);
    let first = last.chars().next()?;
    let looks = first.is_ascii_uppercase()
        && [
            "Error",
            "Exception",
            "Exit",
            "Interrupt",
            "Expired",
            "Failure",
        ]
        .iter()
        .any(|s| last.ends_with(s));
    looks.then_some((name, msg))
}
