//! Turns a [`Verdict`] into the human-facing [`Analysis`]: summary, root cause, evidence,
//! fixes and next steps, naming the specifics the rules extracted.

use super::catalog::{catalog, fill, Builtins};
use super::input::{cut, Line};
use super::rules::{effective_signal, Hit, Kind, Verdict};
use super::tables;
use super::text::{
    base_name, command_host, command_port, find_port, main_program, osa_distance, parent_dir,
    quoted, shell_quote, signal_name, url_authority,
};
use super::{
    Analysis, Category, FailureContext, Fix, Risk, Source, MAX_EVIDENCE, MAX_EVIDENCE_LINE,
};

/// Words that prefix a shell's own messages ("bash: line 1: …").
const SHELL_WORDS: [&str; 7] = ["bash", "sh", "dash", "zsh", "ksh", "-c", "/bin/sh"];

/// Longest extracted message quoted inside a summary.
const MAX_MESSAGE: usize = 160;

#[derive(Default)]
struct Text {
    summary: String,
    root_cause: String,
    fixes: Vec<Fix>,
    next: Vec<String>,
}

fn fix(description: impl Into<String>, command: Option<String>, risk: Risk) -> Fix {
    Fix {
        description: description.into(),
        command,
        risk,
        policy_decision: None,
    }
}

fn apt_fix(pkg: &str, what: &str) -> Fix {
    fix(
        format!("Install the `{pkg}` package (Debian/Ubuntu), which provides {what}"),
        Some(format!("apt-get install -y {pkg}")),
        Risk::Medium,
    )
}

/// Everything `describe` needs about the failure, computed once.
struct Facts<'a> {
    ctx: &'a FailureContext<'a>,
    lines: &'a [Line<'a>],
    primary: &'a Hit,
    hits: &'a [Hit],
    prog: &'a str,
    status: String,
}

impl<'a> Facts<'a> {
    fn subject(&self) -> Option<&'a str> {
        self.primary.subject.as_deref()
    }
    fn detail(&self) -> Option<&'a str> {
        self.primary.detail.as_deref()
    }
    fn line(&self) -> Option<&'a str> {
        self.primary
            .line
            .and_then(|i| self.lines.get(i))
            .map(|l| l.text.as_ref())
    }
    fn line_at(&self, i: usize) -> Option<&'a str> {
        self.lines.get(i).map(|l| l.text.as_ref())
    }
    /// A `subject` from any hit of `kind` (the winner may lack it; a sibling line has it).
    fn any_subject(&self, kinds: &[Kind]) -> Option<&'a str> {
        let own = self
            .subject()
            .filter(|_| kinds.contains(&self.primary.kind));
        own.or_else(|| {
            self.hits
                .iter()
                .filter(|h| kinds.contains(&h.kind))
                .find_map(|h| h.subject.as_deref())
        })
    }
    /// The tool that printed the primary line ("cat" in "cat: x: No such file…", "cd" in
    /// "bash: line 1: cd: x: …"), else the command's program.
    fn tool(&self) -> &'a str {
        let from_line = self.line().and_then(|l| {
            l.split(": ")
                .filter(|s| {
                    !SHELL_WORDS.contains(s)
                        && !s.starts_with("line ")
                        && !s.bytes().all(|b| b.is_ascii_digit())
                })
                .take(1)
                .find(|s| {
                    !s.is_empty()
                        && s.len() < 24
                        && !s.contains([' ', '/', '.', '\'', '"', '‘'])
                        && !s.ends_with("Error")
                        && !s.ends_with("Exception")
                        && !["fatal", "error", "warning", "Error", "E"].contains(s)
                })
        });
        from_line.unwrap_or(self.prog)
    }
    fn cwd(&self) -> &str {
        self.ctx.cwd.unwrap_or("the working directory")
    }
}

pub(super) fn describe(
    ctx: &FailureContext<'_>,
    lines: &[Line<'_>],
    verdict: &Verdict,
) -> Analysis {
    let prog = main_program(ctx.command)
        .map(base_name)
        .unwrap_or("the command");
    let facts = Facts {
        ctx,
        lines,
        primary: &verdict.primary,
        hits: &verdict.hits,
        prog,
        status: status_text(ctx),
    };
    let category = verdict.category();
    let mut text = match category {
        _ if verdict.learned.is_some() => learned(&facts, category, verdict.learned),
        // An HTTP 5xx is told with its endpoint, as the network failures are.
        _ if verdict.primary.kind == Kind::ServerError => network(&facts),
        Category::CommandNotFound => command_not_found(&facts),
        Category::PermissionDenied => permission(&facts),
        Category::FileNotFound => file_not_found(&facts),
        Category::MissingDependency => dependency(&facts),
        Category::Network => network(&facts),
        Category::AuthFailure => auth(&facts),
        Category::SyntaxError => syntax(&facts),
        Category::UsageError => usage(&facts),
        Category::CompileError => compile(&facts),
        Category::TestFailure => tests(&facts),
        Category::RuntimeError => runtime(&facts),
        Category::OutOfMemory => memory(&facts),
        Category::DiskFull => disk(&facts),
        Category::PortInUse => port(&facts),
        Category::Timeout => timeout(&facts),
        Category::Killed => killed(&facts),
        Category::ResourceLimit => resource(&facts),
        Category::Unknown => unknown(&facts),
    };
    apply_catalog(&facts, &mut text);
    text.summary = cut(&text.summary, 300).to_string();
    Analysis {
        category,
        summary: text.summary,
        root_cause: text.root_cause,
        confidence: verdict.confidence,
        evidence: evidence(lines, verdict),
        fixes: text.fixes,
        next_steps: text.next,
        source: Source::Heuristic,
        provider: None,
        model: None,
        latency_ms: None,
    }
}

/// The wording of the catalog entry behind the winning hit, where it has its own: each of
/// its templates replaces the text the kind would give.
fn apply_catalog(f: &Facts<'_>, text: &mut Text) {
    let Some(found) = &f.primary.found else {
        return;
    };
    let Some(entry) = catalog().entry(found.entry) else {
        return;
    };
    let builtins = Builtins {
        program: f.prog,
        status: &f.status,
        line: f.line().unwrap_or(""),
    };
    let fill_in = |t: &str| fill(t, &found.captures, &builtins, false);
    if let Some(t) = &entry.summary {
        text.summary = fill_in(t);
    }
    if let Some(t) = &entry.root_cause {
        text.root_cause = fill_in(t);
    }
    if !entry.fixes.is_empty() {
        text.fixes = entry
            .fixes
            .iter()
            .map(|x| {
                let command = x
                    .command
                    .as_deref()
                    .map(|c| fill(c, &found.captures, &builtins, true));
                fix(fill_in(&x.description), command, x.risk)
            })
            .collect();
    }
    if !entry.next_steps.is_empty() {
        text.next = entry.next_steps.iter().map(|t| fill_in(t)).collect();
    }
}

fn status_text(ctx: &FailureContext<'_>) -> String {
    match (ctx.signal, ctx.exit_code) {
        (Some(s), _) => format!("signal {s} ({})", signal_name(s)),
        (None, Some(c)) => format!("exit code {c}"),
        (None, None) if ctx.timed_out => "a timeout".to_string(),
        (None, None) => "no exit status".to_string(),
    }
}

fn short(msg: &str) -> String {
    let m = cut(msg.trim(), MAX_MESSAGE);
    if m.len() < msg.trim().len() {
        format!("{m}…")
    } else {
        m.to_string()
    }
}

/// The command with its program word replaced by `replacement`.
fn replace_program(command: &str, old: &str, replacement: &str) -> Option<String> {
    let trimmed = command.trim_start();
    let rest = trimmed.strip_prefix(old)?;
    (rest.is_empty() || rest.starts_with(char::is_whitespace))
        .then(|| format!("{replacement}{rest}"))
}

fn typo_of(name: &str) -> Option<&'static str> {
    // A real tool (one we know a package for) is not a typo, and `python2` is not a typo of
    // `python3`: only the version differs.
    if name.chars().count() < 3 || tables::apt_for_command(name).is_some() {
        return None;
    }
    let stem = |s: &str| {
        s.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.')
            .to_string()
    };
    tables::KNOWN_COMMANDS
        .iter()
        .copied()
        .filter(|k| *k != name && osa_distance(name, k) == 1 && stem(k) != stem(name))
        .min_by_key(|k| k.len().abs_diff(name.len()))
}

/// make's "make: X: No such file or directory", which names the recipe command that could
/// not be executed when make also reports "Error 127".
fn make_exec_failure<'a>(f: &Facts<'a>) -> Option<&'a Hit> {
    f.hits.iter().find(|h| {
        h.kind == Kind::MissingPath
            && h.line
                .and_then(|i| f.line_at(i))
                .is_some_and(|l| l.starts_with("make: "))
    })
}

fn command_not_found(f: &Facts<'_>) -> Text {
    let name = f
        .any_subject(&[Kind::MissingCommand, Kind::MissingInterpreter])
        .or_else(|| make_exec_failure(f).and_then(|h| h.subject.as_deref()))
        .unwrap_or(f.prog);
    let name = base_name(name.trim());
    let mut t = Text::default();
    if f.primary.kind == Kind::MissingInterpreter {
        t.summary = format!("Interpreter `{name}` not found");
        t.root_cause = format!(
            "The script's `#!` line asks for `{name}`, which is not installed or not on PATH, so the script could not start."
        );
        if let Some(pkg) = tables::apt_for_command(name) {
            t.fixes.push(apt_fix(pkg, &format!("`{name}`")));
        }
        t.next.push(format!(
            "Show which interpreter the script requests: `head -n 1 {}`",
            shell_quote(f.prog)
        ));
        t.next.push(format!(
            "Check for an installed `{name}`: `command -v {}`",
            shell_quote(name)
        ));
        return t;
    }
    t.summary = format!("Command `{name}` not found");
    let typo = typo_of(name);
    t.root_cause = match typo {
        Some(k) => format!(
            "The shell found no executable named `{name}` on PATH, so nothing ran. `{name}` looks like a typo of `{k}`."
        ),
        None => format!(
            "The shell found no executable named `{name}` on PATH, so nothing ran: it is not installed, or it is installed in a directory that is not on PATH."
        ),
    };
    if let Some(k) = typo {
        if let Some(corrected) = replace_program(f.ctx.command, name, k) {
            t.fixes.push(fix(
                format!("Did you mean `{k}`? Run the command with the name corrected"),
                Some(corrected),
                Risk::Medium,
            ));
        }
    }
    if name == "python" || name == "pip" {
        let repl = if name == "python" { "python3" } else { "pip3" };
        if let Some(corrected) = replace_program(f.ctx.command, name, repl) {
            t.fixes.push(fix(
                format!("Most systems name it `{repl}`: run the command with `{repl}`"),
                Some(corrected),
                Risk::Medium,
            ));
        }
    }
    if typo.is_none() {
        if let Some(pkg) = tables::apt_for_command(name) {
            t.fixes.push(apt_fix(pkg, &format!("`{name}`")));
        }
    }
    t.next.push(format!(
        "Check whether `{name}` exists anywhere on PATH: `type -a {}`",
        shell_quote(name)
    ));
    t.next
        .push("Show the search path: `echo \"$PATH\"`".to_string());
    t
}

/// The operation the server's seccomp filter refuses that an `Operation not permitted` line
/// names (`unshare: unshare failed`, `swapon failed`, `dmesg: read kernel buffer failed`, …).
fn filtered_operation(line: Option<&str>) -> Option<&'static str> {
    let lower = line?.to_ascii_lowercase();
    const OPS: &[(&str, &str)] = &[
        ("unshare", "unshare"),
        ("setns", "setns"),
        ("namespace", "a new namespace"),
        ("pivot_root", "pivot_root"),
        ("mount", "mount"),
        ("keyctl", "keyctl"),
        ("add_key", "add_key"),
        ("request_key", "request_key"),
        ("keyring", "keyctl"),
        ("bpf", "bpf"),
        ("perf_event", "perf_event_open"),
        ("userfaultfd", "userfaultfd"),
        ("io_uring", "io_uring"),
        ("init_module", "init_module"),
        ("insert module", "init_module"),
        ("kexec", "kexec"),
        ("reboot", "reboot"),
        ("swapon", "swapon"),
        ("swapoff", "swapoff"),
        ("settimeofday", "settimeofday"),
        ("clock_settime", "clock_settime"),
        ("cannot set date", "clock_settime"),
        ("adjtimex", "adjtimex"),
        ("quotactl", "quotactl"),
        ("open_by_handle", "open_by_handle_at"),
        ("kernel buffer", "syslog"),
        ("klogctl", "syslog"),
        ("iopl", "iopl"),
        ("ioperm", "ioperm"),
    ];
    if !lower.contains("operation not permitted") {
        return None;
    }
    OPS.iter()
        .find(|(k, _)| lower.contains(k))
        .map(|(_, op)| *op)
}

fn permission(f: &Facts<'_>) -> Text {
    let path = f.subject();
    let mut t = Text::default();
    match f.primary.kind {
        Kind::NotExecutable => {
            let p = path.unwrap_or(f.prog);
            t.summary = format!("`{p}` is not executable");
            t.root_cause = format!(
                "`{p}` exists but has no execute permission (or sits on a filesystem mounted noexec), so the shell refused to run it ({}).",
                f.status
            );
            t.fixes.push(fix(
                format!("Make `{p}` executable"),
                Some(format!("chmod +x {}", shell_quote(p))),
                Risk::Low,
            ));
            t.next
                .push(format!("Show its permissions: `ls -l {}`", shell_quote(p)));
            t.next.push(format!(
                "Check the mount options (noexec): `findmnt -T {}`",
                shell_quote(p)
            ));
        }
        Kind::ReadOnlyFs => {
            let p = path.unwrap_or("the target path");
            t.summary = format!("Cannot write `{p}`: read-only file system");
            t.root_cause = format!("The filesystem that holds `{p}` is mounted read-only, so no user (not even root) can write there.");
            t.fixes.push(fix(
                "Write to a writable location instead (e.g. /tmp or a mounted volume)",
                None,
                Risk::Low,
            ));
            t.next.push(format!(
                "Show the mount and its options: `findmnt -T {}`",
                shell_quote(parent_dir(p).unwrap_or("."))
            ));
        }
        Kind::NeedRoot => {
            t.summary = format!("`{}` needs root privileges", f.prog);
            t.root_cause = format!(
                "`{}` must change system state (such as the package database or its lock) that only root may change, and the command ran as an unprivileged user.",
                f.prog
            );
            t.fixes.push(fix(
                "Re-run the command with root privileges",
                Some(format!("sudo {}", f.ctx.command.trim())),
                Risk::Medium,
            ));
            t.next.push("Show the current user: `id`".to_string());
        }
        Kind::DockerSocket => {
            t.summary = "No permission to use the Docker daemon socket".to_string();
            t.root_cause = "The Docker daemon socket is owned by root and the `docker` group; the current user is in neither, so the client cannot talk to the daemon.".to_string();
            t.fixes.push(fix(
                "Add the user to the `docker` group (takes effect at the next login; note that docker group membership is root-equivalent)",
                Some("sudo usermod -aG docker \"$USER\"".to_string()),
                Risk::Medium,
            ));
            t.next
                .push("Show the socket's owner and mode: `ls -l /var/run/docker.sock`".to_string());
            t.next.push("Show the user's groups: `id`".to_string());
        }
        Kind::NpmGlobal => {
            t.summary = "npm cannot write to the global package directory".to_string();
            t.root_cause = "A global install (`-g`) writes into a root-owned prefix such as /usr/lib/node_modules, and npm runs as a user without write access there.".to_string();
            t.fixes.push(fix(
                "Use a user-owned prefix for global packages (add $HOME/.npm-global/bin to PATH)",
                Some("npm config set prefix \"$HOME/.npm-global\"".to_string()),
                Risk::Medium,
            ));
            t.next
                .push("Show the global prefix: `npm config get prefix`".to_string());
        }
        Kind::NotPermitted if f.ctx.sandboxed && filtered_operation(f.line()).is_some() => {
            let op = filtered_operation(f.line()).unwrap_or("it");
            t.summary = format!("The sandbox refused `{op}`");
            t.root_cause = format!(
                "This server runs every command under a seccomp filter that refuses what could undo its box — new namespaces, mounts, kernel keyrings, bpf, perf events, io_uring, module loading, kexec, reboot, swap, clock setting, the kernel log — and `{op}` is one of them, so the kernel answered EPERM ({}). No permission inside the command can allow it.",
                f.status
            );
            t.fixes.push(fix(
                "Run this step outside the server's box (a host or VM where it is allowed), or leave it out; an admin of a trusted deployment can turn the filter off (`limits.seccomp = false`)",
                None,
                Risk::Medium,
            ));
            t.next.push(
                "See which layers this command ran under: `limitsEnforced` in the result (`syscalls` by `seccomp`)"
                    .to_string(),
            );
        }
        Kind::NotPermitted => {
            t.summary = match path {
                Some(p) => format!("Operation not permitted on `{p}`"),
                None => format!("`{}`: operation not permitted", f.tool()),
            };
            t.root_cause = "The kernel refused the operation (EPERM): it needs ownership of the target or a privilege (capability) the process does not have; file permissions alone would give \"Permission denied\".".to_string();
            t.next
                .push("Show the current user and groups: `id`".to_string());
        }
        _ => {
            t.summary = match path {
                Some(p) => format!("Permission denied: `{p}`"),
                None => format!("`{}`: permission denied", f.tool()),
            };
            let target = path.map_or("the file or directory".to_string(), |p| format!("`{p}`"));
            t.root_cause = format!(
                "The user running the command may not access {target}: its owner, group or mode (or a parent directory's) does not grant this user the needed read/write/execute permission."
            );
            t.fixes.push(fix(
                "Run as a user that may access it, or have the owner grant access (e.g. group membership)",
                None,
                Risk::Medium,
            ));
            if let Some(p) = path {
                t.next
                    .push(format!("Show owner and mode: `ls -ld {}`", shell_quote(p)));
            }
            t.next
                .push("Show the current user and groups: `id`".to_string());
        }
    }
    t
}

/// Whether the failing line or the command shows `path` was being created or written.
fn is_write_target(f: &Facts<'_>, path: &str) -> bool {
    let line = f.line().unwrap_or("").to_ascii_lowercase();
    if [
        "cannot create",
        "cannot touch",
        "for writing",
        "cannot open '",
        "tee: ",
    ]
    .iter()
    .any(|w| line.contains(w))
    {
        return true;
    }
    let cmd = f.ctx.command;
    [">", ">>", "tee", "-o", "--output"]
        .iter()
        .any(|op| cmd.contains(&format!("{op} {path}")) || cmd.contains(&format!("{op}{path}")))
}

fn file_not_found(f: &Facts<'_>) -> Text {
    let s = f.subject();
    let mut t = Text::default();
    match f.primary.kind {
        Kind::MissingCargoManifest => {
            t.summary = format!("No Cargo.toml in {} or any parent directory", f.cwd());
            t.root_cause = "cargo was run outside a Cargo project: it looks for Cargo.toml in the working directory and its parents and found none.".to_string();
            t.fixes.push(fix("Run cargo from the project's directory; or, to start a new project here, create one", Some("cargo init".to_string()), Risk::Medium));
            t.next.push(
                "Look for manifests below: `find . -maxdepth 3 -name Cargo.toml`".to_string(),
            );
        }
        Kind::NoMakefile => {
            t.summary = format!("No Makefile in {}", f.cwd());
            t.root_cause = "make was run in a directory without a Makefile (or makefile/GNUmakefile) and no target was given.".to_string();
            t.next
                .push("Look for makefiles below: `find . -maxdepth 2 -iname makefile`".to_string());
        }
        Kind::MakeMissingPrerequisite => {
            let target = s.unwrap_or("a prerequisite");
            t.summary = format!("make cannot build `{target}`: file missing and no rule");
            t.root_cause = format!("`{target}` does not exist and no rule can produce it: a missing source file or makefile, or a typo in the Makefile or command.");
            t.next
                .push(format!("Check the file: `ls -l {}`", shell_quote(target)));
        }
        Kind::RemoteNotFound => {
            let host = command_host(f.ctx.command);
            t.summary = match host {
                Some(h) => format!("HTTP 404 Not Found from {h}"),
                None => "HTTP 404 Not Found".to_string(),
            };
            t.root_cause = "The server is reachable but has nothing at the requested URL: a wrong path, version or name, or the resource was removed.".to_string();
            t.next.push(
                "Check the URL's path and spelling against the service's documentation".to_string(),
            );
        }
        Kind::ImageNotFound => {
            let image = s.unwrap_or("the requested image");
            t.summary = format!("Container image {image} not found");
            t.root_cause = "The registry has no such image or tag (typo, removed tag, or a private repository that needs login).".to_string();
            t.next
                .push("Check the image name and tag on the registry".to_string());
        }
        Kind::MissingDatabase => {
            let db = s.unwrap_or("the requested database");
            t.summary = format!("Database `{db}` does not exist");
            t.root_cause =
                format!("The server accepted the connection but has no database named `{db}`.");
            t.fixes.push(fix(
                format!("Create the database `{db}` (with the same connection options)"),
                Some(format!("createdb {}", shell_quote(db))),
                Risk::Medium,
            ));
            t.next.push(
                "List the server's databases: `psql -l` (same connection options)".to_string(),
            );
        }
        Kind::JavaMainClass => {
            let class = s.unwrap_or("the main class");
            t.summary = format!("Java main class `{class}` not found");
            t.root_cause = format!("The JVM found no `{class}.class` on the classpath: not compiled yet, run from the wrong directory, or the class is in a package and needs its full name.");
            t.next
                .push("List compiled classes here: `find . -name '*.class' | head`".to_string());
        }
        _ => {
            let s = f.any_subject(&[Kind::MissingPath]);
            t.summary = match s {
                Some(p) => format!("`{p}` does not exist"),
                None => "A file or directory does not exist".to_string(),
            };
            t.root_cause = match s {
                Some(p) if !p.starts_with('/') => format!(
                    "`{}` tried to use `{p}`, which does not exist relative to {}.",
                    f.tool(),
                    f.cwd()
                ),
                Some(p) => format!("`{}` tried to use `{p}`, which does not exist.", f.tool()),
                None => format!("`{}` tried to open a path that does not exist.", f.tool()),
            };
            if let Some(p) = s {
                if is_write_target(f, p) {
                    let dir = if f
                        .line()
                        .is_some_and(|l| l.contains("cannot create directory"))
                    {
                        Some(p)
                    } else {
                        parent_dir(p)
                    };
                    if let Some(dir) = dir {
                        t.fixes.push(fix(
                            format!("Create the missing directory `{dir}`"),
                            Some(format!("mkdir -p {}", shell_quote(dir))),
                            Risk::Low,
                        ));
                    }
                }
                let dir = parent_dir(p).unwrap_or(".");
                t.next
                    .push(format!("List what is there: `ls -la {}`", shell_quote(dir)));
                if let Some(name) = p.rsplit('/').next().filter(|n| !n.is_empty()) {
                    t.next.push(format!(
                        "Search for it nearby: `find . -maxdepth 4 -name {}`",
                        shell_quote(name)
                    ));
                }
            }
            if f.ctx.cwd.is_none() {
                t.next
                    .push("Confirm the working directory: `pwd`".to_string());
            }
        }
    }
    t
}

fn python_cmd(f: &Facts<'_>) -> &'static str {
    if f.prog == "python" {
        "python"
    } else {
        "python3"
    }
}

/// A missing library, module or package. Each kind has its own text: the tool that complained,
/// where it looked and how to install the thing differ per ecosystem.
fn dependency(f: &Facts<'_>) -> Text {
    match f.primary.kind {
        Kind::PythonModule => missing_python_module(f),
        Kind::NodeModule => missing_node_module(f),
        Kind::CHeader => missing_c_header(f),
        Kind::LinkLib => missing_link_lib(f),
        Kind::SharedLib => missing_shared_lib(f),
        Kind::PkgConfig => missing_pkg_config(f),
        Kind::JavaPackage => missing_java_package(f),
        Kind::JavaClass => missing_java_class(f),
        Kind::RustCrate => undeclared_rust_crate(f),
        Kind::CargoPackage => unknown_cargo_package(f),
        Kind::Linker => missing_linker(f),
        Kind::GoPackage => missing_go_package(f),
        Kind::BuildDeps => unresolved_build_deps(f),
        Kind::NpmPackage => unknown_npm_package(f),
        Kind::NpmResolve => npm_peer_conflict(),
        Kind::PipDistribution => no_pip_distribution(f),
        Kind::AptPackage => unknown_apt_package(f),
        _ => missing_python_name(f),
    }
}

/// `import m` failed. The PyPI name often differs from the import name (`yaml` is `PyYAML`), so
/// the fix installs the mapped package, into the interpreter that actually ran.
fn missing_python_module(f: &Facts<'_>) -> Text {
    let m = f.subject().unwrap_or("?");
    let top = m.split('.').next().unwrap_or(m);
    let py = python_cmd(f);
    let mapped = tables::pypi_package(m);
    let pkg = mapped.unwrap_or(top);
    Text {
        summary: format!("Python module `{m}` is not installed"),
        root_cause: match mapped {
            Some(p) if p != top => format!("`import {m}` failed: no installed distribution in this Python environment provides it. `{top}` is provided by the PyPI package `{p}`."),
            _ => format!("`import {m}` failed: no installed distribution in this Python environment provides it. If `{top}` is a third-party package it is on PyPI as `{top}`; if it is your own module, the working directory or PYTHONPATH is wrong."),
        },
        fixes: vec![fix(
            format!("Install `{pkg}` into the environment of the Python that ran the command"),
            Some(format!("{py} -m pip install {}", shell_quote(pkg))),
            Risk::Medium,
        )],
        next: vec![
            format!(
                "Check whether it is installed for this interpreter: `{py} -m pip show {}`",
                shell_quote(pkg)
            ),
            format!("Show which interpreter runs: `{py} -c 'import sys; print(sys.executable)'`"),
        ],
    }
}

/// `require`/`import` of a module no `node_modules` provides; the fix names the package, not the
/// deep import path.
fn missing_node_module(f: &Facts<'_>) -> Text {
    let m = f.subject().unwrap_or("?");
    let pkg = node_package(m);
    Text {
        summary: format!("Node module `{m}` is not installed"),
        root_cause: format!(
            "`require`/`import` of `{m}` failed: no node_modules directory from {} upwards contains the package `{pkg}`.",
            f.cwd()
        ),
        fixes: vec![fix(
            format!("Install `{pkg}` into the project"),
            Some(format!("npm install {}", shell_quote(pkg))),
            Risk::Medium,
        )],
        next: vec![
            format!("Check the installed tree: `npm ls {}`", shell_quote(pkg)),
            "Check that package.json is in this directory: `ls package.json node_modules`"
                .to_string(),
        ],
    }
}

/// A `#include` the compiler could not find: usually a missing `-dev` package.
fn missing_c_header(f: &Facts<'_>) -> Text {
    let h = f.subject().unwrap_or("?");
    let base = h.rsplit('/').next().unwrap_or(h);
    Text {
        summary: format!("C/C++ header `{h}` not found"),
        root_cause: format!("The compiler found no `{h}` on its include path: the library's development package is not installed, or an `-I` flag is missing."),
        fixes: tables::apt_for_header(h)
            .map(|pkg| apt_fix(pkg, &format!("`{h}`")))
            .into_iter()
            .collect(),
        next: vec![format!(
            "Look for the header: `find /usr/include /usr/local/include -name {}`",
            shell_quote(base)
        )],
    }
}

/// `ld: cannot find -lfoo`: the library or its development package is missing at link time.
fn missing_link_lib(f: &Facts<'_>) -> Text {
    let lib = f.subject().unwrap_or("?");
    Text {
        summary: format!("Linker cannot find library `-l{lib}`"),
        root_cause: format!("ld searched its library path for `lib{lib}.so`/`lib{lib}.a` and found neither: the library (or its development package) is not installed, or an `-L` flag is missing."),
        fixes: tables::apt_for_lib(lib)
            .map(|pkg| apt_fix(pkg, &format!("`lib{lib}`")))
            .into_iter()
            .collect(),
        next: vec![format!(
            "Check what the loader knows: `ldconfig -p | grep {}`",
            shell_quote(&format!("lib{lib}"))
        )],
    }
}

/// The program built fine but the dynamic loader cannot find one of its `.so` files at run time.
fn missing_shared_lib(f: &Facts<'_>) -> Text {
    let so = f.subject().unwrap_or("a shared library");
    let stem = so.split(".so").next().unwrap_or(so);
    Text {
        summary: format!("Shared library `{so}` not found at run time"),
        root_cause: format!(
            "`{}` was linked against `{so}`, but the dynamic loader cannot find it on this machine: it is not installed, was removed, or lives outside the loader's search path.",
            f.prog
        ),
        fixes: vec![fix(
            "If the library is installed in a non-standard directory, add that directory to LD_LIBRARY_PATH when running the program",
            None,
            Risk::Medium,
        )],
        next: vec![
            format!(
                "List the program's libraries and which are missing: `ldd {}`",
                shell_quote(f.prog)
            ),
            format!(
                "Check what the loader knows: `ldconfig -p | grep {}`",
                shell_quote(stem)
            ),
        ],
    }
}

/// A build asked pkg-config for a module whose `.pc` file is not installed.
fn missing_pkg_config(f: &Facts<'_>) -> Text {
    let m = f.subject().unwrap_or("?");
    Text {
        summary: format!("pkg-config module `{m}` not found"),
        root_cause: format!("No `{m}.pc` file is on PKG_CONFIG_PATH: the library's development package is not installed."),
        fixes: tables::apt_for_pkg_config(m)
            .map(|pkg| apt_fix(pkg, &format!("`{m}.pc`")))
            .into_iter()
            .collect(),
        next: vec![format!(
            "List similar modules: `pkg-config --list-all | grep -i {}`",
            shell_quote(m)
        )],
    }
}

/// javac found no library providing an imported package on the compile classpath.
fn missing_java_package(f: &Facts<'_>) -> Text {
    let p = f.subject().unwrap_or("?");
    Text {
        summary: format!("Java package `{p}` not found"),
        root_cause: format!("The compile classpath has no library providing `{p}`: the dependency is not declared in pom.xml/build.gradle, or javac ran without the jar on `-cp`."),
        fixes: vec![fix(
            format!(
                "Declare the library that provides `{p}` in the build file, or pass its jar with -cp"
            ),
            None,
            Risk::Medium,
        )],
        next: Vec::new(),
    }
}

/// A class present at compile time is missing from the runtime classpath.
fn missing_java_class(f: &Facts<'_>) -> Text {
    let c = f.subject().unwrap_or("?");
    Text {
        summary: format!("Java class `{c}` not found at run time"),
        root_cause: format!("`{c}` was available when compiling but is not on the runtime classpath (missing jar or .class file, or a different -cp)."),
        fixes: Vec::new(),
        next: vec!["Check the classpath passed to `java -cp`".to_string()],
    }
}

/// The code uses a crate that Cargo.toml does not declare.
fn undeclared_rust_crate(f: &Facts<'_>) -> Text {
    let c = f.subject().unwrap_or("?");
    Text {
        summary: format!("Rust crate `{c}` is not a dependency"),
        root_cause: format!(
            "The code uses `{c}`, but Cargo.toml does not declare it, so rustc cannot link it."
        ),
        fixes: vec![fix(
            format!("Add `{c}` to Cargo.toml"),
            Some(format!("cargo add {}", shell_quote(c))),
            Risk::Medium,
        )],
        next: vec!["Show the declared dependencies: `cargo tree --depth 1`".to_string()],
    }
}

/// Cargo could not find a package by that name in the registry index.
fn unknown_cargo_package(f: &Facts<'_>) -> Text {
    let c = f.subject().unwrap_or("?");
    Text {
        summary: format!("Cargo cannot find the package `{c}`"),
        root_cause: format!("No crate named `{c}` is in the registry index that cargo could read: the name is misspelled, or the index is unavailable (offline)."),
        fixes: Vec::new(),
        next: vec![format!(
            "Check the name on crates.io: `cargo search {}`",
            shell_quote(c)
        )],
    }
}

/// rustc needs the system C toolchain to link, and it is not installed.
fn missing_linker(f: &Facts<'_>) -> Text {
    let l = f.subject().unwrap_or("cc");
    Text {
        summary: format!("Linker `{l}` not found"),
        root_cause: format!(
            "Rust links binaries with the system C toolchain, and no `{l}` is installed or on PATH."
        ),
        fixes: vec![apt_fix("build-essential", "the C compiler and linker")],
        next: vec!["Check for a C compiler: `command -v cc gcc clang`".to_string()],
    }
}

/// An imported Go package that no module in go.mod provides.
fn missing_go_package(f: &Facts<'_>) -> Text {
    let p = f.subject().unwrap_or("?");
    Text {
        summary: format!("Go package `{p}` not found"),
        root_cause: format!("No module in go.mod provides `{p}`."),
        fixes: vec![fix(
            format!("Add the module that provides `{p}`"),
            Some(format!("go get {}", shell_quote(p))),
            Risk::Medium,
        )],
        next: vec!["List the modules in use: `go list -m all`".to_string()],
    }
}

/// Maven/Gradle-style resolution failure; the text cannot tell a wrong coordinate from missing
/// credentials or no network, so it names all three.
fn unresolved_build_deps(f: &Facts<'_>) -> Text {
    Text {
        summary: match f.subject() {
            Some(a) => format!("Build dependency `{a}` could not be resolved"),
            None => "Build dependencies could not be resolved".to_string(),
        },
        root_cause: "The build tool could not download or find a declared dependency: a wrong coordinate/version, a private repository without credentials, or no network.".to_string(),
        fixes: Vec::new(),
        next: Vec::new(),
    }
}

/// The npm registry answered 404 for a package name.
fn unknown_npm_package(f: &Facts<'_>) -> Text {
    let p = f.any_subject(&[Kind::NpmPackage]).unwrap_or("?");
    Text {
        summary: format!("npm package `{p}` is not in the registry"),
        root_cause: format!("The registry answered 404 for `{p}`: the name is misspelled, the package is private, or it was unpublished."),
        fixes: Vec::new(),
        next: vec![format!(
            "Look the name up: `npm view {} name`",
            shell_quote(p)
        )],
    }
}

/// npm's resolver (ERESOLVE) found conflicting (peer) dependency versions.
fn npm_peer_conflict() -> Text {
    Text {
        summary: "npm could not resolve a compatible dependency tree".to_string(),
        root_cause: "Packages require conflicting versions of a (peer) dependency.".to_string(),
        fixes: vec![fix(
            "Install while ignoring peer-dependency conflicts (the npm 6 behaviour)",
            Some("npm install --legacy-peer-deps".to_string()),
            Risk::Medium,
        )],
        next: Vec::new(),
    }
}

/// pip found no release that fits this Python and platform (or no package by that name).
fn no_pip_distribution(f: &Facts<'_>) -> Text {
    let p = f.subject().unwrap_or("?");
    Text {
        summary: format!("pip found no installable distribution for `{p}`"),
        root_cause: format!("No release of `{p}` matches this Python version and platform, the name is misspelled, or the package index is unreachable."),
        fixes: Vec::new(),
        next: vec![
            "Check the Python version: `python3 --version`".to_string(),
            format!(
                "List available versions: `python3 -m pip index versions {}`",
                shell_quote(p)
            ),
        ],
    }
}

/// apt has no package by that name in its current lists.
fn unknown_apt_package(f: &Facts<'_>) -> Text {
    let p = f.subject().unwrap_or("?");
    Text {
        summary: format!("apt cannot find package `{p}`"),
        root_cause: format!("No package named `{p}` is in the package lists: the name is wrong, the lists are stale (no `apt-get update` yet), or the repository that has it is not enabled."),
        fixes: vec![fix(
            "Refresh the package lists, then retry",
            Some("apt-get update".to_string()),
            Risk::Medium,
        )],
        next: vec![format!(
            "Search for the right name: `apt-cache search {}`",
            shell_quote(p)
        )],
    }
}

/// `from x import y` where `x` is installed but lacks `y` (`Kind::PythonImportName`, the only
/// other missing-dependency kind).
fn missing_python_name(f: &Facts<'_>) -> Text {
    let name = f.subject().unwrap_or("?");
    let from = f.detail().unwrap_or("the module");
    Text {
        summary: format!("Cannot import `{name}` from `{from}`"),
        root_cause: format!("`{from}` is installed but does not define `{name}`: usually a version mismatch (the name was added, renamed or removed), sometimes a circular import."),
        fixes: Vec::new(),
        next: vec![format!(
            "Show the installed version: `python3 -m pip show {}`",
            shell_quote(from.split('.').next().unwrap_or(from))
        )],
    }
}

/// The npm package name for a module specifier: `@scope/pkg/sub` → `@scope/pkg`, `a/b` → `a`.
fn node_package(spec: &str) -> &str {
    let mut parts = spec.splitn(3, '/');
    match (parts.next(), parts.next()) {
        (Some(scope), Some(name)) if scope.starts_with('@') => {
            spec.get(..scope.len() + 1 + name.len()).unwrap_or(spec)
        }
        (Some(first), _) => first,
        _ => spec,
    }
}

fn endpoint(f: &Facts<'_>) -> Option<String> {
    f.any_subject(&[
        Kind::ConnRefused,
        Kind::NetTimeout,
        Kind::Unreachable,
        Kind::Dns,
    ])
    .map(str::to_string)
    .or_else(|| url_authority(f.ctx.command).map(str::to_string))
    .or_else(|| command_host(f.ctx.command).map(str::to_string))
}

fn is_local(host: &str) -> bool {
    let h = host.rsplit_once(':').map_or(host, |(h, _)| h);
    matches!(
        h.trim_matches(['[', ']']),
        "127.0.0.1" | "localhost" | "::1" | "0.0.0.0"
    )
}

fn network(f: &Facts<'_>) -> Text {
    let ep = endpoint(f);
    let at = ep.as_deref().map(|e| format!(" {e}")).unwrap_or_default();
    let mut t = Text::default();
    match f.primary.kind {
        Kind::ConnRefused => {
            t.summary = format!(
                "Connection refused by{}",
                if at.is_empty() {
                    " the server".to_string()
                } else {
                    at.clone()
                }
            );
            t.root_cause = "Nothing is listening at that address and port: the service is not running, still starting, or on another host/port (or a firewall actively rejected the connection).".to_string();
            match ep.as_deref().and_then(find_port) {
                Some(p) if ep.as_deref().is_some_and(is_local) => {
                    t.next.push(format!(
                        "Check for a listener on port {p}: `ss -ltnp 'sport = :{p}'`"
                    ));
                }
                _ => t.next.push(
                    "Check that the service is running and that the host and port are right"
                        .to_string(),
                ),
            }
        }
        Kind::Dns => {
            let host = f
                .any_subject(&[Kind::Dns])
                .map(str::to_string)
                .or_else(|| command_host(f.ctx.command).map(str::to_string));
            let h = host.as_deref().unwrap_or("the host");
            t.summary = format!("Cannot resolve host `{h}`");
            t.root_cause = format!("The DNS lookup of `{h}` failed: the name is misspelled or does not exist, or this machine has no working resolver or network access.");
            t.next.push(format!(
                "Try the lookup directly: `getent hosts {}`",
                shell_quote(h)
            ));
            t.next
                .push("Show the resolver configuration: `cat /etc/resolv.conf`".to_string());
        }
        Kind::Tls => {
            t.summary = format!(
                "TLS handshake or certificate verification failed{}",
                if at.is_empty() {
                    String::new()
                } else {
                    format!(" with{at}")
                }
            );
            t.root_cause = "The server's certificate is not trusted (self-signed, expired, wrong host name, missing CA bundle), or the endpoint does not speak TLS at all (https:// to a plain-HTTP port). Do not disable verification to work around it.".to_string();
            if let Some(e) = ep.as_deref() {
                let target = if e.contains(':') {
                    e.to_string()
                } else {
                    format!("{e}:443")
                };
                t.next.push(format!(
                    "Inspect the handshake: `openssl s_client -connect {target} </dev/null`"
                ));
            }
        }
        Kind::NetTimeout => {
            t.summary = format!(
                "Network operation timed out{}",
                if at.is_empty() {
                    String::new()
                } else {
                    format!(" talking to{at}")
                }
            );
            t.root_cause = "The peer did not answer in time: it is overloaded or hung, a firewall drops the packets, or the address/port is wrong.".to_string();
            t.next.push(
                "Check that the service responds, and how long it takes, with a small request"
                    .to_string(),
            );
        }
        Kind::DockerDaemon => {
            t.summary = "The Docker daemon is not reachable".to_string();
            t.root_cause = "The docker client could not connect to the daemon's socket: the daemon is not running, or DOCKER_HOST points somewhere else.".to_string();
            t.fixes.push(fix(
                "Start the Docker daemon",
                Some("sudo systemctl start docker".to_string()),
                Risk::Medium,
            ));
            t.next
                .push("Check the daemon: `systemctl status docker`".to_string());
            t.next
                .push("Check where the client connects: `docker context ls`".to_string());
        }
        Kind::Unreachable => {
            t.summary = format!(
                "Network unreachable{}",
                if at.is_empty() {
                    String::new()
                } else {
                    format!(":{at}")
                }
            );
            t.root_cause = "There is no route to the destination: no network connection, a missing default route, or the host is down.".to_string();
            t.next.push("Show the routes: `ip route`".to_string());
        }
        Kind::ServerError => {
            let code = f.subject().unwrap_or("5xx");
            t.summary = format!(
                "Server error (HTTP {code}){}",
                if at.is_empty() {
                    String::new()
                } else {
                    format!(" from{at}")
                }
            );
            t.root_cause = "The server (or a proxy in front of it) failed to handle the request; the problem is on the server side.".to_string();
            t.next
                .push("Retry later, and check the service's status or logs".to_string());
        }
        _ => {
            t.summary = format!(
                "Network request failed{}",
                if at.is_empty() {
                    String::new()
                } else {
                    format!(":{at}")
                }
            );
            t.root_cause =
                "The connection failed or was reset before a response arrived.".to_string();
            t.next
                .push("Check connectivity to the host and that the service is up".to_string());
        }
    }
    t
}

fn auth(f: &Facts<'_>) -> Text {
    let s = f.subject();
    let host = command_host(f.ctx.command);
    let mut t = Text::default();
    match f.primary.kind {
        Kind::HttpAuth => {
            let code = s.unwrap_or("401");
            let from = host.map(|h| format!(" from {h}")).unwrap_or_default();
            if code == "403" {
                t.summary = format!("HTTP 403 Forbidden{from}");
                t.root_cause = "The server refuses access to this resource: the credentials sent (if any) lack permission for it, or the request needs credentials it did not carry.".to_string();
            } else {
                t.summary = format!("HTTP 401 Unauthorized{from}");
                t.root_cause = "The server requires authentication and the request carried no valid credentials (missing, wrong or expired token/password).".to_string();
            }
            t.next.push("Check that the credential (token, API key, password) is set where the command expects it and has not expired".to_string());
        }
        Kind::GitAuth => {
            let url = s.unwrap_or("the remote");
            t.summary = format!("Git authentication failed for {url}");
            t.root_cause = "The git server rejected the credentials, or none were available (terminal prompts are disabled in non-interactive runs).".to_string();
            t.fixes.push(fix("Provide credentials non-interactively: a credential helper, a token in the remote URL from a secret, or an SSH remote with a deploy key", None, Risk::Medium));
            t.next.push("Show the remotes: `git remote -v`".to_string());
            t.next.push(
                "Show the credential helper: `git config --get credential.helper`".to_string(),
            );
        }
        Kind::SshAuth => {
            t.summary = "SSH authentication failed".to_string();
            t.root_cause = "The server did not accept any offered key (no key loaded, wrong key, or the key is not in authorized_keys), or the host key is unknown/changed.".to_string();
            t.next
                .push("List the keys the agent offers: `ssh-add -l`".to_string());
        }
        Kind::DbAuth => {
            t.summary = match s {
                Some(user) => format!("Database authentication failed for user `{user}`"),
                None => "Database authentication failed".to_string(),
            };
            let who = s.map(|u| format!(" of `{u}`")).unwrap_or_default();
            t.root_cause = format!("The server rejected the login{who}: a wrong or missing password, or the server's access rules (pg_hba.conf / grants) reject this user or host.");
            t.next.push("Check where the password comes from (PGPASSWORD, ~/.pgpass, the connection string)".to_string());
        }
        Kind::SudoAuth => {
            t.summary = "sudo needs a password".to_string();
            t.root_cause =
                "sudo asked for a password, but the command runs non-interactively.".to_string();
            t.next
                .push("Check what the user may run without a password: `sudo -n -l`".to_string());
        }
        Kind::RegistryAuth => {
            t.summary = "The registry requires authentication".to_string();
            t.root_cause = "The package or image registry refused the request: not logged in, or the token lacks access to this repository.".to_string();
        }
        _ => {
            t.summary = "Authentication failed".to_string();
            t.root_cause = "The service rejected the credentials.".to_string();
        }
    }
    t
}

/// `(path, line, function)` from the nearest Python `File "…", line N, in f` line above `i`.
fn python_location<'a>(f: &Facts<'a>, i: usize) -> Option<(&'a str, &'a str)> {
    (i.saturating_sub(30)..i).rev().find_map(|j| {
        let l = f.line_at(j)?;
        let rest = l.strip_prefix("File \"")?;
        let (path, rest) = rest.split_once('"')?;
        let line = rest.strip_prefix(", line ")?.split(',').next()?;
        Some((path, line.trim()))
    })
}

fn sed_excerpt(path: &str, line: &str) -> Option<String> {
    let n: u64 = line.parse().ok()?;
    Some(format!(
        "Show the code around it: `sed -n '{},{}p' {}`",
        n.saturating_sub(3).max(1),
        n + 3,
        shell_quote(path)
    ))
}

fn syntax(f: &Facts<'_>) -> Text {
    let mut t = Text::default();
    let line = f.line().unwrap_or("");
    let node = matches!(
        f.prog,
        "node" | "nodejs" | "npm" | "npx" | "deno" | "bun" | "tsx"
    );
    let kind = match f.primary.kind {
        Kind::PythonSyntax if node => Kind::JsSyntax,
        k => k,
    };
    match kind {
        Kind::PythonSyntax => {
            let name = f.subject().unwrap_or("SyntaxError");
            let msg = short(f.detail().unwrap_or(""));
            let loc = f.primary.line.and_then(|i| python_location(f, i));
            let at = loc.map(|(p, l)| format!(" in {p}:{l}")).unwrap_or_default();
            t.summary = format!("Python {name}{at}: {msg}");
            t.root_cause =
                format!("Python could not parse the source{at}, so none of it ran: {msg}.");
            if let Some((p, l)) = loc {
                t.next.extend(sed_excerpt(p, l));
            }
        }
        Kind::JsSyntax => {
            let msg = short(f.detail().unwrap_or(""));
            t.summary = format!("JavaScript SyntaxError: {msg}");
            t.root_cause = format!("Node could not parse the source, so none of it ran: {msg}.");
            if let Some(script) = f
                .ctx
                .command
                .split_whitespace()
                .find(|w| w.ends_with(".js") || w.ends_with(".mjs") || w.ends_with(".cjs"))
            {
                t.next.push(format!(
                    "Check the syntax without running it: `node --check {}`",
                    shell_quote(script)
                ));
            }
        }
        Kind::ShellSyntax => {
            let script = f.detail().filter(|d| d.ends_with(".sh"));
            t.summary = match script {
                Some(s) => format!("Shell syntax error in {s}"),
                None => "Shell syntax error".to_string(),
            };
            t.root_cause = format!("The shell could not parse the script, so it did not run: \"{}\". Check quoting and that every if/then/fi, do/done, case/esac and brace is balanced.", short(line));
            if let Some(s) = script {
                t.next.push(format!(
                    "Check the syntax without running it: `bash -n {}`",
                    shell_quote(s)
                ));
            }
        }
        Kind::MakefileSyntax => {
            let file = f.subject().unwrap_or("Makefile");
            let n = line
                .split(':')
                .nth(1)
                .filter(|n| n.bytes().all(|b| b.is_ascii_digit()));
            t.summary = format!(
                "Makefile syntax error in {file}{}: missing separator",
                n.map(|n| format!(" line {n}")).unwrap_or_default()
            );
            t.root_cause = "make could not parse the Makefile; recipe lines must begin with a TAB character, and this one most likely begins with spaces.".to_string();
            if let Some(n) = n {
                t.next.push(format!(
                    "Show whitespace on that line: `sed -n '{n}p' {} | cat -A`",
                    shell_quote(file)
                ));
            }
        }
        Kind::SqlSyntax => {
            t.summary = match f.subject() {
                Some(q) => format!("SQL syntax error near `{q}`"),
                None => "SQL syntax error".to_string(),
            };
            t.root_cause = format!(
                "The database could not parse the query: \"{}\".",
                short(line)
            );
        }
        Kind::ParseError => {
            let msg = short(f.detail().unwrap_or(line));
            let at = f.subject().map(|l| format!(" in {l}")).unwrap_or_default();
            t.summary = format!("Syntax error{at}: {msg}");
            t.root_cause = format!(
                "`{}` could not parse its input{at}, so it stopped there: {msg}.",
                f.prog
            );
            if let Some(loc) = f.subject() {
                let mut parts = loc.split([':', '(', ',']);
                if let (Some(p), Some(n)) = (parts.next(), parts.next()) {
                    t.next.extend(sed_excerpt(p, n));
                }
            }
        }
        Kind::DataSyntax => {
            let msg = f.detail().unwrap_or(line);
            t.summary = format!("Malformed input data: {}", short(msg));
            t.root_cause = "The program read data (JSON, YAML, TOML…) that is not well-formed; the error gives the position.".to_string();
        }
        _ => {
            t.summary = format!(
                "Configuration syntax error: {}",
                short(line.strip_prefix("Error: ").unwrap_or(line))
            );
            t.root_cause = format!("`{}` could not parse its configuration file.", f.prog);
        }
    }
    t
}

/// A tool's own "did you mean" suggestion, from the lines after the primary one.
fn suggested_subcommand<'a>(f: &Facts<'a>) -> Option<&'a str> {
    let start = f.primary.line?;
    for i in start..(start + 4).min(f.lines.len()) {
        let l = f.line_at(i)?;
        let lower = l.to_ascii_lowercase();
        if lower.contains("similar name exists") || lower.contains("did you mean") {
            return quoted(l).or_else(|| {
                l.rsplit(' ')
                    .next()
                    .map(|w| w.trim_matches(|c: char| c == '?' || c == '.'))
            });
        }
        if lower.starts_with("the most similar command") {
            return f.line_at(i + 1).and_then(|n| n.split_whitespace().next());
        }
    }
    None
}

fn usage(f: &Facts<'_>) -> Text {
    let tool = f.detail().unwrap_or(f.prog);
    let s = f.subject();
    let mut t = Text::default();
    match f.primary.kind {
        Kind::BadValue => {
            let value = s.unwrap_or("?");
            t.summary = format!("`{tool}` rejected the value `{value}`");
            t.root_cause = format!(
                "`{tool}` expected a different kind of value: \"{}\".",
                short(f.line().unwrap_or(""))
            );
            t.next.push(format!(
                "Show the accepted values: `{} --help`",
                shell_quote(tool)
            ));
        }
        Kind::BadOption => {
            let opt = s.unwrap_or("?");
            let opt = if opt.chars().count() == 1 {
                format!("-{opt}")
            } else {
                opt.to_string()
            };
            t.summary = format!("`{tool}` does not accept the option `{opt}`");
            t.root_cause = format!(
                "The option `{opt}` is misspelled or not supported by this version of `{tool}`."
            );
            t.next.push(format!(
                "List the supported options: `{} --help`",
                shell_quote(tool)
            ));
        }
        Kind::MissingArgument => {
            t.summary = match s {
                Some(a) => format!("`{tool}` is missing a required argument: {a}"),
                None => format!("`{tool}` was called with missing or conflicting arguments"),
            };
            t.root_cause = format!(
                "`{tool}` rejected its arguments before doing anything: \"{}\".",
                short(f.line().unwrap_or(""))
            );
            t.next
                .push(format!("Show the usage: `{} --help`", shell_quote(tool)));
        }
        Kind::UnknownSubcommand => {
            let sub = s.unwrap_or("?");
            t.summary = format!("`{}` has no subcommand `{sub}`", f.prog);
            t.root_cause = format!(
                "`{sub}` is not a subcommand of `{}` (probably a typo).",
                f.prog
            );
            if let Some(sugg) = suggested_subcommand(f) {
                let corrected = f
                    .ctx
                    .command
                    .replacen(&format!(" {sub}"), &format!(" {sugg}"), 1);
                t.fixes.push(fix(
                    format!("Use the subcommand `{}` suggests: `{sugg}`", f.prog),
                    (corrected != f.ctx.command).then_some(corrected),
                    Risk::Medium,
                ));
            }
            t.next.push(format!(
                "List the subcommands: `{} --help`",
                shell_quote(f.prog)
            ));
        }
        Kind::NoMakeTarget => {
            let target = s.unwrap_or("?");
            t.summary = format!("The Makefile has no target `{target}`");
            t.root_cause = format!("make found a Makefile but no rule named `{target}`, and no file of that name exists.");
            t.next
                .push("List the targets: `grep -E '^[A-Za-z0-9_.-]+:' Makefile`".to_string());
        }
        Kind::NotGitRepo => {
            t.summary = format!("Not inside a git repository ({})", f.cwd());
            t.root_cause = "git ran in a directory that has no .git in it or any parent, so there is no repository to act on.".to_string();
            t.next
                .push("Confirm where the command ran: `pwd && ls -a`".to_string());
        }
        Kind::ExternallyManaged => {
            t.summary = "pip refuses to install into the system Python (PEP 668)".to_string();
            t.root_cause = "This Python is managed by the OS package manager, which marks it externally-managed so pip cannot break system packages.".to_string();
            let pkgs = f
                .ctx
                .command
                .split_once(" install ")
                .map(|(_, p)| p.trim())
                .filter(|p| !p.is_empty());
            t.fixes.push(fix(
                "Create a virtual environment and install into it",
                Some(format!(
                    "python3 -m venv .venv && .venv/bin/python -m pip install {}",
                    pkgs.unwrap_or("<packages>")
                )),
                Risk::Medium,
            ));
        }
        Kind::NpmMissingScript => {
            let name = s.unwrap_or("?");
            t.summary = format!("package.json has no script `{name}`");
            t.root_cause = format!(
                "`npm run {name}` needs a `{name}` entry under \"scripts\" in package.json."
            );
            t.next
                .push("List the defined scripts: `npm run`".to_string());
        }
        _ => {
            t.summary = format!("`{tool}` was called incorrectly");
            t.root_cause =
                format!("`{tool}` printed its usage: the arguments do not match what it expects.");
            t.next
                .push(format!("Show the usage: `{} --help`", shell_quote(tool)));
        }
    }
    t
}

fn compile(f: &Facts<'_>) -> Text {
    let mut t = Text::default();
    match f.primary.kind {
        Kind::RustError => {
            let code = f.subject().unwrap_or("");
            let msg = short(f.detail().unwrap_or(""));
            let loc = f.primary.line.and_then(|i| {
                (i + 1..(i + 4).min(f.lines.len()))
                    .find_map(|j| f.line_at(j)?.strip_prefix("--> ").map(str::trim))
            });
            let at = loc.map(|l| format!(" at {l}")).unwrap_or_default();
            t.summary = format!("Rust compile error {code}{at}: {msg}");
            t.root_cause = format!("rustc rejected the code{at}: {msg}. Fix the first error first; later ones often follow from it.");
            if !code.is_empty() {
                t.next
                    .push(format!("Read the explanation: `rustc --explain {code}`"));
            }
        }
        Kind::LinkError => {
            let sym = f.any_subject(&[Kind::LinkError]);
            t.summary = match sym {
                Some(s) => format!("Link error: undefined reference to `{s}`"),
                None => "Link error".to_string(),
            };
            t.root_cause = match sym {
                Some(s) => format!("`{s}` is declared and used, but no object file or library given to the linker defines it: a source file missing from the build, a missing `-l` flag, or a C/C++ name-mangling mismatch."),
                None => "The linker failed; the lines before this one name the missing or duplicate symbols.".to_string(),
            };
            if let Some(s) = sym {
                t.next.push(format!("Find where it should be defined: `grep -rn {} --include='*.c' --include='*.cpp' .`", shell_quote(s)));
            }
        }
        Kind::CompilerError => {
            let loc = f.subject().unwrap_or("");
            let msg = short(f.detail().unwrap_or(""));
            t.summary = format!("Compile error at {loc}: {msg}");
            t.root_cause = format!("The compiler rejected the source at {loc}: {msg}. Fix the first error first; later ones often follow from it.");
            let mut parts = loc.split([':', '(', ',']);
            if let (Some(p), Some(n)) = (parts.next(), parts.next()) {
                t.next.extend(sed_excerpt(p, n));
            }
        }
        Kind::LintFindings => {
            let msg = short(f.detail().unwrap_or(f.line().unwrap_or("")));
            let at = f.subject().map(|l| format!(" at {l}")).unwrap_or_default();
            t.summary = format!("`{}` reported findings{at}: {msg}", f.prog);
            t.root_cause = format!("The linter or type checker rejected the code{at}: {msg}. Fix what it lists (or change its configuration if the rule does not apply).");
        }
        _ => {
            t.summary = "The build failed".to_string();
            t.root_cause = "The build tool reported a failure; the first error message above it names the cause.".to_string();
        }
    }
    t
}

fn tests(f: &Facts<'_>) -> Text {
    let mut t = Text::default();
    let names: Vec<&str> = f
        .hits
        .iter()
        .filter(|h| h.kind == Kind::FailingTest)
        .filter_map(|h| h.subject.as_deref())
        .take(3)
        .collect();
    let counts = if f.primary.kind == Kind::TestsFailed {
        f.subject()
    } else {
        None
    };
    t.summary = match (counts, names.first()) {
        (Some(c), _) => format!("Tests failed: {}", short(c)),
        (None, Some(n)) => format!("Test `{n}` failed"),
        (None, None) => "Tests failed".to_string(),
    };
    t.root_cause = if names.is_empty() {
        "The test run finished and reported failing tests; the assertion messages above the summary say what differed.".to_string()
    } else {
        format!("The test run finished and reported failures in: {}. The assertion messages say what differed.", names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", "))
    };
    if let Some(first) = names.first() {
        t.next
            .push(format!("Re-run just `{first}` while fixing it"));
    }
    t.next
        .push("Read the first failure's assertion message and the code it points to".to_string());
    t
}

fn runtime(f: &Facts<'_>) -> Text {
    let mut t = Text::default();
    let line = f.line().unwrap_or("");
    match f.primary.kind {
        Kind::Exception => {
            let name = f.subject().unwrap_or("An exception");
            let msg = f.detail().filter(|m| !m.is_empty()).map(short);
            let loc = f.primary.line.and_then(|i| python_location(f, i));
            let at = loc.map(|(p, l)| format!(" at {p}:{l}")).unwrap_or_default();
            t.summary = match &msg {
                Some(m) => format!("Unhandled {name}{at}: {m}"),
                None => format!("Unhandled {name}{at}"),
            };
            t.root_cause = format!(
                "The program started and then raised `{name}`{at}, which nothing caught, so it exited with {}{}.",
                f.status,
                msg.as_ref().map(|m| format!(": {m}")).unwrap_or_default()
            );
            if let Some((p, l)) = loc {
                t.next.extend(sed_excerpt(p, l));
            }
        }
        Kind::Panic => {
            let loc = f.subject();
            let msg = f.detail().map(short).or_else(|| {
                f.primary
                    .line
                    .and_then(|i| f.line_at(i + 1))
                    .filter(|l| !l.starts_with("note:"))
                    .map(short)
            });
            t.summary = format!(
                "Panic{}{}",
                loc.map(|l| format!(" at {l}")).unwrap_or_default(),
                msg.as_ref().map(|m| format!(": {m}")).unwrap_or_default()
            );
            t.root_cause = format!("The program panicked (an unrecoverable error such as an out-of-bounds index, a failed unwrap or an explicit panic){}.", loc.map(|l| format!(" at {l}")).unwrap_or_default());
            t.next.push(
                "Re-run with a backtrace: set `RUST_BACKTRACE=1` (Go prints one by default)"
                    .to_string(),
            );
        }
        Kind::Crash => {
            let sig = effective_signal(f.ctx).unwrap_or(11);
            let what = match sig {
                4 => "executed an illegal instruction",
                6 => "aborted itself (abort(), often a failed assertion or a detected heap corruption)",
                7 => "hit a bus error (misaligned access or a truncated memory-mapped file)",
                8 => "did an invalid arithmetic operation (such as integer division by zero)",
                _ => "made an invalid memory access (null or dangling pointer, buffer overflow, or stack overflow)",
            };
            t.summary = format!("Crashed with {}", signal_name(sig));
            t.root_cause = format!(
                "`{}` {what}, and the kernel terminated it with {}.",
                f.prog,
                signal_name(sig)
            );
            t.next.push(format!(
                "Get a backtrace: `gdb -batch -ex run -ex bt --args {}`",
                f.ctx.command.trim()
            ));
        }
        Kind::AssertFailed => {
            let expr = f.subject().unwrap_or("an assertion");
            t.summary = format!("Assertion failed: {}", short(expr));
            t.root_cause = format!("A run-time check did not hold: \"{}\".", short(line));
        }
        Kind::UnboundVariable => {
            let var = f.subject().unwrap_or("a variable");
            t.summary = format!("Shell variable `{var}` is not set");
            t.root_cause = format!("The shell runs with `set -u` (nounset) and the script uses `${var}` before anything assigned it: an environment variable the script expects is missing.");
            t.next.push(format!(
                "Check whether it is in the environment: `printenv {}`",
                shell_quote(var)
            ));
        }
        Kind::DbLocked => {
            t.summary = "The database is locked".to_string();
            t.root_cause = "Another connection holds a lock the command needs (SQLite allows one writer at a time; a long transaction or a stuck process keeps it).".to_string();
            if let Some(db) = f.ctx.command.split_whitespace().find(|w| {
                [".db", ".sqlite", ".sqlite3"]
                    .iter()
                    .any(|e| w.ends_with(e))
            }) {
                t.next.push(format!(
                    "Find processes holding it open: `lsof {}`",
                    shell_quote(db)
                ));
            }
        }
        Kind::MergeConflict => {
            let files: Vec<&str> = f
                .hits
                .iter()
                .filter(|h| h.kind == Kind::MergeConflict)
                .filter_map(|h| h.subject.as_deref())
                .collect();
            t.summary = match files.first() {
                Some(file) => format!("Merge conflict in `{file}`"),
                None => "Merge conflict".to_string(),
            };
            t.root_cause = format!("Both sides changed the same lines{}; git stopped so a person can choose the result.", if files.is_empty() { String::new() } else { format!(" of {}", files.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")) });
            t.fixes.push(fix("Edit the conflicted files, mark them resolved with `git add <file>`, then `git commit`", None, Risk::Medium));
            t.next.push(
                "List the conflicted files: `git diff --name-only --diff-filter=U`".to_string(),
            );
        }
        Kind::PushRejected => {
            t.summary = "Push rejected: the remote has commits that are not in the local branch"
                .to_string();
            t.root_cause = "Someone pushed to the branch since it was last fetched; a plain push would discard their work, so the remote refused it.".to_string();
            t.fixes.push(fix(
                "Rebase the local commits on top of the remote branch, then push again",
                Some("git pull --rebase".to_string()),
                Risk::Medium,
            ));
        }
        Kind::ReportedError => {
            let msg = short(f.detail().unwrap_or(line));
            t.summary = format!("`{}` reported an error: {msg}", f.prog);
            t.root_cause = format!(
                "`{}` printed this error and exited with {}; it matches no known failure pattern, so the message itself is the best explanation.",
                f.prog, f.status
            );
            t.next.push(
                "Re-run with verbose or debug output (`-v`, `--verbose`, or `set -x` for scripts)"
                    .to_string(),
            );
        }
        _ => {
            t.summary = format!("`{}` failed at run time", f.prog);
            t.root_cause = format!("The program reported: \"{}\".", short(line));
        }
    }
    t
}

fn memory(f: &Facts<'_>) -> Text {
    let mut t = Text::default();
    let line = f.line().unwrap_or("").to_ascii_lowercase();
    match f.primary.kind {
        Kind::MemoryLimit => {
            t.summary = "Memory limit reached".to_string();
            t.root_cause = format!(
                "The command used all the memory its limit allows; the kernel stopped it ({}).",
                f.status
            );
            t.fixes.push(fix("Re-run with a higher memory limit, or reduce the working set (smaller batches, streaming instead of loading everything)", None, Risk::Medium));
        }
        Kind::HeapLimit
            if line.contains("javascript")
                || line.contains("reached heap limit")
                || f.prog == "node" =>
        {
            t.summary = "JavaScript heap out of memory".to_string();
            t.root_cause =
                "V8 reached its heap size limit (--max-old-space-size) and Node aborted."
                    .to_string();
            t.fixes.push(fix(
                "Give Node a bigger heap (in MiB), if the machine has the memory",
                Some(format!(
                    "NODE_OPTIONS=--max-old-space-size=4096 {}",
                    f.ctx.command.trim()
                )),
                Risk::Medium,
            ));
        }
        Kind::HeapLimit => {
            t.summary = "Java heap space exhausted (OutOfMemoryError)".to_string();
            t.root_cause = "The JVM's heap reached its maximum (-Xmx) and garbage collection could not free enough.".to_string();
            t.fixes.push(fix("Raise the maximum heap with -Xmx (e.g. -Xmx2g) if the machine has the memory, or reduce what is kept in memory", None, Risk::Medium));
        }
        _ => {
            t.summary = format!("`{}` ran out of memory", f.prog);
            t.root_cause = "A memory allocation failed: the process needed more memory than its limit (ulimit -v, a cgroup) or the machine allows.".to_string();
            t.fixes.push(fix(
                "Reduce the memory needed (smaller inputs or batches) or raise the limit",
                None,
                Risk::Medium,
            ));
        }
    }
    t.next.push("Show available memory: `free -m`".to_string());
    t.next
        .push("Show this shell's address-space limit: `ulimit -v`".to_string());
    t
}

fn disk(f: &Facts<'_>) -> Text {
    let mut t = Text::default();
    let path = f.any_subject(&[Kind::DiskFull, Kind::QuotaExceeded]);
    let dir = path.and_then(parent_dir).unwrap_or(".");
    if f.primary.kind == Kind::QuotaExceeded {
        t.summary = "Disk quota exceeded".to_string();
        t.root_cause =
            "The user's filesystem quota is used up, although the disk itself may have space."
                .to_string();
        t.next.push("Show the quota: `quota -s`".to_string());
        return t;
    }
    t.summary = match path {
        Some(p) => format!("No space left on device while writing `{p}`"),
        None => "No space left on device".to_string(),
    };
    t.root_cause = format!(
        "The filesystem holding {} is full (or out of inodes), so a write failed.",
        path.map_or("the output".to_string(), |p| format!("`{p}`"))
    );
    t.fixes.push(fix("Free space on that filesystem (old build artefacts, caches, logs you no longer need) or write somewhere else", None, Risk::Medium));
    t.next
        .push(format!("Show free space: `df -h {}`", shell_quote(dir)));
    t.next
        .push(format!("Show free inodes: `df -i {}`", shell_quote(dir)));
    t.next.push(format!(
        "Find what uses the space: `du -xsh {}/* 2>/dev/null | sort -h | tail`",
        dir.trim_end_matches('/')
    ));
    t
}

fn port(f: &Facts<'_>) -> Text {
    let mut t = Text::default();
    let port = f
        .any_subject(&[Kind::PortInUse])
        .and_then(|p| p.parse::<u16>().ok())
        .or_else(|| {
            f.lines.iter().find_map(|l| {
                let lower = l.text.to_ascii_lowercase();
                if lower.contains("port") {
                    find_port(&l.text)
                } else {
                    None
                }
            })
        })
        .or_else(|| command_port(f.ctx.command));
    match port {
        Some(p) => {
            t.summary = format!("Port {p} is already in use");
            t.root_cause = format!("Another process is already listening on port {p}, so this one could not bind to it.");
            t.fixes.push(fix(
                format!("Find the process listening on port {p}"),
                Some(format!("ss -ltnp 'sport = :{p}'")),
                Risk::Low,
            ));
            t.fixes.push(fix(
                format!("Or with lsof: show who holds port {p}"),
                Some(format!("lsof -nP -iTCP:{p} -sTCP:LISTEN")),
                Risk::Low,
            ));
            t.fixes.push(fix("Start this service on a free port instead, or stop the other listener if it is a stale copy", None, Risk::Low));
        }
        None => {
            t.summary = "The address/port is already in use".to_string();
            t.root_cause = "Another process is already listening on the requested address, so this one could not bind to it.".to_string();
            t.fixes.push(fix(
                "List listening sockets and their processes",
                Some("ss -ltnp".to_string()),
                Risk::Low,
            ));
        }
    }
    t
}

/// The duration argument of a `timeout` wrapper.
fn timeout_duration(command: &str) -> Option<&str> {
    let mut it = command
        .split_whitespace()
        .skip_while(|w| base_name(w) != "timeout")
        .skip(1);
    while let Some(w) = it.next() {
        if matches!(w, "-s" | "-k" | "--signal" | "--kill-after") {
            it.next();
            continue;
        }
        if w.starts_with('-') {
            continue;
        }
        return Some(w);
    }
    None
}

fn timeout(f: &Facts<'_>) -> Text {
    let mut t = Text::default();
    match f.primary.kind {
        Kind::WallLimit => {
            t.summary = "Wall-clock time limit reached".to_string();
            t.root_cause = format!("The command was still running when its time limit expired, so its process group was killed ({}).", f.status);
            t.next.push("Find the slow step: is it waiting for input, a lock or a network peer, or is the work just long?".to_string());
            t.next.push("If the work is legitimately long, run it with a longer timeout or as a background job".to_string());
        }
        Kind::TimeoutCommand | Kind::TimeoutExit => {
            let d = timeout_duration(f.ctx.command).map(|d| {
                if d.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
                    format!("{d}s")
                } else {
                    d.to_string()
                }
            });
            t.summary = match d {
                Some(d) => format!("Timed out: `timeout` stopped the command after {d}"),
                None => "Timed out (exit code 124)".to_string(),
            };
            t.root_cause = "The command ran longer than the `timeout` wrapper allows and was stopped (124 is the exit code `timeout` uses for this).".to_string();
            t.next
                .push("Find the slow step, or raise the duration given to `timeout`".to_string());
        }
        _ => {
            let what = f
                .subject()
                .map(|s| format!(" (`{}`)", short(s)))
                .unwrap_or_default();
            t.summary = format!("A timeout expired inside the program{what}");
            t.root_cause = match f.line() {
                Some(line) => format!("The program waited for something{what} longer than its own timeout allows: \"{}\".", short(line)),
                // SIGALRM with no message: an alarm(2) timer set by the program or its runner.
                None => format!("The process ended with {}, the signal an alarm(2) timer sends when the timeout the program (or its runner) set expires.", f.status),
            };
        }
    }
    t
}

fn killed(f: &Facts<'_>) -> Text {
    let mut t = Text::default();
    let sig = effective_signal(f.ctx)
        .or_else(|| f.detail().and_then(|d| d.parse().ok()))
        .unwrap_or(9);
    let name = signal_name(sig);
    t.summary = format!("Killed by {name} (signal {sig})");
    t.root_cause = match sig {
        9 => "SIGKILL cannot be caught or logged by the process: it came from another process, a supervisor or time limit, or the kernel's OOM killer. Nothing in the output says which.".to_string(),
        15 => "Another process (a supervisor, a timeout, a user) asked it to terminate.".to_string(),
        2 => "It was interrupted (Ctrl-C or SIGINT).".to_string(),
        1 => "Its controlling terminal went away, or something sent SIGHUP.".to_string(),
        13 => "It wrote to a pipe whose reading end had already exited (e.g. piped into `head`).".to_string(),
        3 => "It received SIGQUIT.".to_string(),
        14 => "An alarm timer (SIGALRM) fired, usually a self-imposed timeout.".to_string(),
        _ => format!("It received {name} (signal {sig}) and did not handle it."),
    };
    if sig == 9 {
        t.next.push("Check whether the kernel OOM killer did it: `dmesg | grep -i -E 'killed process|out of memory'`".to_string());
    }
    t.next.push("Check what else could have sent the signal (supervisor, CI step timeout, a `kill` in the script)".to_string());
    t
}

fn resource(f: &Facts<'_>) -> Text {
    let mut t = Text::default();
    match f.primary.kind {
        Kind::TooManyFiles => {
            t.summary = "Too many open files".to_string();
            t.root_cause = "The process reached its open-file-descriptor limit (ulimit -n), often because files or sockets are opened in a loop and never closed.".to_string();
            t.next.push("Show the limit: `ulimit -n`".to_string());
        }
        Kind::ProcessLimit | Kind::PidsLimit => {
            t.summary = "Cannot create more processes or threads".to_string();
            t.root_cause = "The process or user reached its process/thread limit (ulimit -u or the pids cgroup limit), so fork/thread creation failed.".to_string();
            t.next.push("Show the limit: `ulimit -u`".to_string());
        }
        Kind::CpuLimit => {
            t.summary = "CPU time limit exceeded".to_string();
            t.root_cause = format!("The command used all the CPU time it was allowed (RLIMIT_CPU / the cpu_time limit) and was stopped ({}). A busy loop or a much larger input than expected are common causes.", f.status);
        }
        Kind::FileSizeLimit => {
            t.summary = "File size limit exceeded".to_string();
            t.root_cause = format!("The command tried to write a file larger than its limit (RLIMIT_FSIZE / the file_size limit) and was stopped ({}).", f.status);
        }
        Kind::OutputLimit => {
            t.summary = "Output limit reached".to_string();
            t.root_cause = "The command printed more than the output limit allows, so it was stopped; output beyond the limit was not kept.".to_string();
            t.fixes.push(fix("Send bulky output to a file and inspect it with head/tail/grep, or make the command quieter", None, Risk::Low));
        }
        _ => {
            t.summary = "Argument list too long".to_string();
            t.root_cause = "The command line (usually a glob expansion) exceeds the kernel's argument size limit.".to_string();
            t.fixes.push(fix(
                "Pass the arguments in batches with `find … -exec … {} +` or `xargs`",
                None,
                Risk::Low,
            ));
        }
    }
    t
}

fn unknown(f: &Facts<'_>) -> Text {
    let mut t = Text::default();
    if f.primary.kind == Kind::BenignExit {
        let meaning = match f.prog {
            "grep" | "egrep" | "fgrep" | "rg" => "no line matched the pattern",
            "diff" | "cmp" => "the inputs differ",
            "false" => "`false` always exits 1",
            _ => "the tested condition was false",
        };
        t.summary = format!("`{}` exited 1: {meaning}", f.prog);
        t.root_cause = format!("For `{}`, exit code 1 is an answer rather than an error ({meaning}); nothing else went wrong.", f.prog);
        return t;
    }
    t.summary = format!(
        "`{}` failed with {} and no recognisable error message",
        f.prog, f.status
    );
    t.root_cause = "The output does not match any known failure pattern; the evidence shows its last error-like lines, if any.".to_string();
    t.next.push(
        "Re-run with verbose or debug output (`-v`, `--verbose`, or `set -x` for scripts)"
            .to_string(),
    );
    if let Some(c) = f.ctx.exit_code {
        t.next.push(format!(
            "Look up what exit code {c} means in `{}`'s documentation",
            f.prog
        ));
    }
    t
}

/// How a category is told when the learned model chose it: what it means in general, and a
/// read-only step that checks it. Nothing specific is claimed (no rule extracted a module,
/// path or host), so there are no fixes.
fn learned_wording(category: Category) -> (&'static str, &'static str) {
    match category {
        Category::CommandNotFound => ("a program that is not installed or not on PATH", "Check that every program the command runs is installed (`command -v <name>`)"),
        Category::PermissionDenied => ("access the system refused", "Check the owner and mode of the files the command touches (`ls -l`) and which user runs it (`id`)"),
        Category::FileNotFound => ("a file, directory or resource that does not exist", "Check that the paths and names in the command and the quoted line exist (`ls -l`)"),
        Category::MissingDependency => ("a library, module or package that is not installed", "Check which packages the project declares and which are installed"),
        Category::Network => ("a connection that could not be made", "Check that the host and port the command uses are reachable from here"),
        Category::AuthFailure => ("credentials that were missing or rejected", "Check which credentials the command uses and that they are still valid"),
        Category::SyntaxError => ("input that did not parse", "Open the file or expression the quoted line refers to and check its syntax"),
        Category::UsageError => ("a command called with wrong options or arguments", "Read the program's usage (`--help`) and compare it with the command line"),
        Category::CompileError => ("source that the compiler rejected", "Read the compiler's first error and the source it points to"),
        Category::TestFailure => ("failing tests", "Re-run the failing tests alone with verbose output"),
        Category::RuntimeError => ("an error the program met while running", "Read the lines around the quoted one for the operation that failed"),
        Category::OutOfMemory => ("a process that ran out of memory", "Check the process's memory use and limit (`free -m`, the cgroup's memory.max)"),
        Category::DiskFull => ("a full filesystem or quota", "Check free space where the command writes (`df -h`)"),
        Category::PortInUse => ("an address or port already taken", "List the listening sockets (`ss -ltnp`)"),
        Category::Timeout => ("a step that ran out of time", "Check how long the step took and which timeout applies"),
        Category::Killed => ("a process killed by a signal", "Check the kernel log and the supervisor for who sent the signal (`dmesg | tail`)"),
        Category::ResourceLimit => ("a resource limit other than memory or time", "Check the limits in force (`ulimit -a`)"),
        Category::Unknown => ("no recognisable cause", "Re-run with verbose or debug output"),
    }
}

/// A failure no rule recognised, named by the learned model (`learned.rs`): the summary
/// quotes the line that spoke most for the category and says the category is a guess.
fn learned(f: &Facts<'_>, category: Category, probability: Option<f32>) -> Text {
    let (meaning, step) = learned_wording(category);
    let summary = match f.line() {
        Some(l) => format!(
            "`{}` failed with {}, probably {meaning}: {}",
            f.prog,
            f.status,
            short(l)
        ),
        None => format!("`{}` failed with {}, probably {meaning}", f.prog, f.status),
    };
    // Naive Bayes is overconfident: never show a certainty it does not have.
    let p = probability.unwrap_or(0.0).min(0.99);
    Text {
        summary,
        root_cause: format!("No rule of the analyzer names a cause for this output with confidence. A statistical model trained on labelled real failures rates it as {} (probability {p:.2} by its own estimate, which runs high), chiefly because of the quoted line; treat it as a lead, not a diagnosis.", category.as_str()),
        fixes: Vec::new(),
        next: vec![
            step.to_string(),
            "Re-run with verbose or debug output (`-v`, `--verbose`, or `set -x` for scripts)"
                .to_string(),
        ],
    }
}

/// Lines supporting the verdict: the primary line first, then the other lines of the same
/// category in output order; otherwise the last error-like lines.
fn evidence(lines: &[Line<'_>], verdict: &Verdict) -> Vec<String> {
    let cat = verdict.category();
    let mut idx: Vec<usize> = Vec::new();
    // make's "make: X: No such file or directory" supports a command-not-found verdict.
    let supports = |h: &Hit| {
        cat == Category::CommandNotFound
            && h.kind == Kind::MissingPath
            && h.line
                .and_then(|i| lines.get(i))
                .is_some_and(|l| l.text.starts_with("make: "))
    };
    let mut rest: Vec<usize> = verdict
        .hits
        .iter()
        .filter(|h| h.kind.category() == cat || supports(h))
        .filter_map(|h| h.line)
        .collect();
    if let Some(i) = verdict.primary.line {
        idx.push(i);
        // A Rust panic's message is on the line after "panicked at".
        if verdict.primary.kind == Kind::Panic
            && lines
                .get(i + 1)
                .is_some_and(|l| !l.text.starts_with("note:"))
        {
            rest.push(i + 1);
        }
        // A Python error's location line is part of the evidence.
        if let Some(j) = (i.saturating_sub(30)..i)
            .rev()
            .find(|j| lines.get(*j).is_some_and(|l| l.text.starts_with("File \"")))
        {
            rest.push(j);
        }
    }
    rest.sort_unstable();
    rest.dedup();
    idx.extend(
        rest.into_iter()
            .filter(|i| Some(*i) != verdict.primary.line),
    );
    if idx.is_empty() {
        let errorish: Vec<usize> = (0..lines.len())
            .filter(|i| {
                let l = lines[*i].text.to_ascii_lowercase();
                [
                    "error",
                    "fail",
                    "fatal",
                    "denied",
                    "invalid",
                    "cannot",
                    "can't",
                    "unable",
                    "not found",
                    "killed",
                ]
                .iter()
                .any(|w| l.contains(w))
            })
            .collect();
        let pick = if errorish.is_empty() {
            (0..lines.len()).collect::<Vec<_>>()
        } else {
            errorish
        };
        idx = pick.into_iter().rev().take(3).collect();
        idx.reverse();
    }
    idx.into_iter()
        .take(MAX_EVIDENCE)
        .filter_map(|i| lines.get(i))
        .map(|l| cut(l.text.trim(), MAX_EVIDENCE_LINE).to_string())
        .collect()
}
