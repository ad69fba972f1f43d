//! Policy rules: the TOML rule format, its compilation into matchers, and matching one command.

use std::cell::OnceCell;
use std::collections::{BTreeMap, HashSet};

use regex::{Regex, RegexSet};
use serde::Deserialize;
use std::sync::OnceLock;

use super::command::{basename, normalize_path, RedirKind, SimpleCommand};
use super::{Action, PolicyError};

/// One rule as written in the policy file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RuleSpec {
    pub id: String,
    pub action: Action,
    pub reason: String,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub program: Vec<String>,
    #[serde(default)]
    pub not_program: Vec<String>,
    #[serde(default)]
    pub subcommand: Vec<String>,
    #[serde(default)]
    pub flags: Vec<Vec<String>>,
    #[serde(default)]
    pub not_flags: Vec<String>,
    #[serde(default)]
    pub args: Vec<String>,
    #[serde(default)]
    pub args_glob: Vec<String>,
    #[serde(default)]
    pub not_args: Vec<String>,
    #[serde(default)]
    pub paths: Vec<String>,
    #[serde(default)]
    pub not_paths: Vec<String>,
    #[serde(default)]
    pub text: Vec<String>,
    #[serde(default)]
    pub not_text: Vec<String>,
    #[serde(default)]
    pub stdin: Vec<String>,
    #[serde(default)]
    pub not_stdin: Vec<String>,
    #[serde(default)]
    pub writes: Vec<String>,
    #[serde(default)]
    pub not_writes: Vec<String>,
    #[serde(default)]
    pub reads: Vec<String>,
    #[serde(default)]
    pub not_reads: Vec<String>,
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    #[serde(default)]
    pub cwd: Vec<String>,
    #[serde(default)]
    pub piped_from: Vec<String>,
    #[serde(default)]
    pub not_piped_from: Vec<String>,
    pub recursive_call: Option<bool>,
    pub dynamic_program: Option<bool>,
    /// A rule by mechanism, true of any tool or language (`reverse-shell-code`): when another
    /// command of the same input is judged as severely by a rule of its own, that rule's id
    /// and reason are the ones reported.
    #[serde(default)]
    pub fallback: bool,
    /// Commands this rule must match (each checked when the policy loads).
    #[serde(default, rename = "match")]
    pub examples: Vec<String>,
    /// Near-misses this rule must not match (each checked when the policy loads).
    #[serde(default)]
    pub not_match: Vec<String>,
}

/// Program-name matcher: exact basenames, exact absolute paths, and `*` globs on basenames.
#[derive(Debug, Default)]
struct Programs {
    names: HashSet<String>,
    paths: HashSet<String>,
    globs: Option<Pats>,
    /// `*` globs on the absolute path (`/dev/shm/*`), for programs named by where they are.
    path_globs: Option<Pats>,
}

impl Programs {
    fn is_empty(&self) -> bool {
        self.names.is_empty()
            && self.paths.is_empty()
            && self.globs.is_none()
            && self.path_globs.is_none()
    }

    fn matches(&self, view: &View<'_>) -> bool {
        self.names.contains(view.program)
            || view.abs.as_ref().is_some_and(|a| {
                self.paths.contains(a) || self.path_globs.as_ref().is_some_and(|g| g.is_match(a))
            })
            || self
                .globs
                .as_ref()
                .is_some_and(|g| g.is_match(view.program))
    }
}

/// A compiled rule.
#[derive(Debug)]
pub(super) struct Rule {
    pub id: String,
    pub action: Action,
    pub reason: String,
    /// See [`RuleSpec::fallback`].
    pub fallback: bool,
    roles: Vec<String>,
    program: Programs,
    not_program: Programs,
    subcommand: HashSet<String>,
    flags: Vec<Vec<String>>,
    not_flags: Vec<String>,
    args: Option<Pats>,
    not_args: Option<Pats>,
    paths: Option<Pats>,
    not_paths: Option<Pats>,
    text: Option<Pats>,
    not_text: Option<Pats>,
    stdin: Option<Pats>,
    not_stdin: Option<Pats>,
    writes: Option<Pats>,
    not_writes: Option<Pats>,
    reads: Option<Pats>,
    not_reads: Option<Pats>,
    /// Each entry: the variable's alternative names (`A|B` in the file) and its pattern.
    env: Vec<(Vec<String>, Regex)>,
    cwd: Option<Pats>,
    piped_from: Programs,
    not_piped_from: Programs,
    recursive_call: Option<bool>,
    dynamic_program: Option<bool>,
}

/// Converts a shell glob (`*`, `?`, `[..]`) into an anchored regex.
pub(super) fn glob_to_regex(glob: &str) -> String {
    let mut re = String::from("^");
    let mut chars = glob.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' => re.push_str(".*"),
            '?' => re.push('.'),
            '[' => {
                re.push('[');
                if chars.peek() == Some(&'!') {
                    chars.next();
                    re.push('^');
                }
                for d in chars.by_ref() {
                    if d == ']' {
                        break;
                    }
                    if d == '\\' || d == '[' {
                        re.push('\\');
                    }
                    re.push(d);
                }
                re.push(']');
            }
            other => re.push_str(&regex::escape(&other.to_string())),
        }
    }
    re.push('$');
    re
}

/// Several patterns compiled into one alternation (faster than a `RegexSet` when only
/// "does any match" is asked). Compiled when first asked: most rules name a program, so an
/// idle server (or one that only ever runs `make` and `git`) never holds the automata of the
/// rest. The pattern was compiled once at load, so an error is still reported there.
#[derive(Debug)]
pub(super) struct Pats {
    re: OnceLock<Option<Regex>>,
    /// The joined pattern, for a policy's [`Gates`] and the lazy compile.
    source: String,
}

impl Pats {
    fn is_match(&self, s: &str) -> bool {
        let re = self.re.get_or_init(|| match Regex::new(&self.source) {
            Ok(re) => Some(re),
            Err(e) => {
                // Unreachable in practice: the same pattern compiled when the policy loaded.
                tracing::error!(error = %e, "a policy pattern that compiled at load failed to compile");
                None
            }
        });
        re.as_ref().is_some_and(|re| re.is_match(s))
    }
}

fn set(source: &str, id: &str, field: &str, pats: &[String]) -> Result<Option<Pats>, PolicyError> {
    if pats.is_empty() {
        return Ok(None);
    }
    let err = |e: regex::Error| PolicyError::Rule {
        source_name: source.to_string(),
        rule_id: id.to_string(),
        field: field.to_string(),
        message: format!("invalid regex: {e}"),
    };
    // Each pattern alone first, so an error points at the pattern that is wrong.
    for p in pats {
        Regex::new(p).map_err(err)?;
    }
    let joined: Vec<String> = pats
        .iter()
        .map(|p| format!("(?:{})", without_captures(p)))
        .collect();
    let source = joined.join("|");
    Regex::new(&source).map_err(err)?;
    Ok(Some(Pats {
        re: OnceLock::new(),
        source,
    }))
}

/// `pattern` with every capture group made non-capturing: a rule only asks whether it
/// matches, and each group kept costs memory (and a one-pass DFA per pattern that has one,
/// most of a policy's resident size). The pattern as written when it cannot be rewritten.
fn without_captures(pattern: &str) -> String {
    use regex_syntax::ast::{self, Ast, GroupKind};
    fn strip(node: &mut Ast) {
        match node {
            Ast::Group(g) => {
                if !matches!(g.kind, GroupKind::NonCapturing(_)) {
                    g.kind = GroupKind::NonCapturing(ast::Flags {
                        span: g.span,
                        items: Vec::new(),
                    });
                }
                strip(&mut g.ast);
            }
            Ast::Alternation(a) => a.asts.iter_mut().for_each(strip),
            Ast::Concat(c) => c.asts.iter_mut().for_each(strip),
            Ast::Repetition(r) => strip(&mut r.ast),
            _ => {}
        }
    }
    let Ok(mut tree) = ast::parse::Parser::new().parse(pattern) else {
        return pattern.to_string();
    };
    strip(&mut tree);
    let mut out = String::new();
    match ast::print::Printer::new().print(&tree, &mut out) {
        Ok(()) => out,
        Err(_) => pattern.to_string(),
    }
}

fn programs(source: &str, id: &str, field: &str, list: &[String]) -> Result<Programs, PolicyError> {
    let mut p = Programs::default();
    let mut globs = Vec::new();
    let mut path_globs = Vec::new();
    for item in list {
        if item.is_empty() {
            return Err(PolicyError::Rule {
                source_name: source.to_string(),
                rule_id: id.to_string(),
                field: field.to_string(),
                message: "empty program name".to_string(),
            });
        }
        if item.starts_with('/') && item.contains(['*', '?']) {
            path_globs.push(glob_to_regex(item));
        } else if item.contains(['*', '?']) {
            globs.push(glob_to_regex(item));
        } else if item.starts_with('/') {
            p.paths.insert(normalize_path(item, None));
        } else {
            p.names.insert(item.clone());
        }
    }
    p.globs = set(source, id, field, &globs)?;
    p.path_globs = set(source, id, field, &path_globs)?;
    Ok(p)
}

impl Rule {
    pub(super) fn compile(mut spec: RuleSpec, source: &str) -> Result<Rule, PolicyError> {
        let id = spec.id.clone();
        let err = |field: &str, message: &str| PolicyError::Rule {
            source_name: source.to_string(),
            rule_id: id.clone(),
            field: field.to_string(),
            message: message.to_string(),
        };
        if id.trim().is_empty() {
            return Err(err("id", "must not be empty"));
        }
        if spec.reason.trim().is_empty() {
            return Err(err("reason", "must not be empty"));
        }
        for g in &spec.flags {
            if g.is_empty() || g.iter().any(|f| f.is_empty() || f.starts_with('-')) {
                return Err(err(
                    "flags",
                    "each group lists flag names without dashes, e.g. [\"r\", \"recursive\"]",
                ));
            }
        }
        if spec
            .not_flags
            .iter()
            .any(|f| f.is_empty() || f.starts_with('-'))
        {
            return Err(err("not_flags", "flag names are written without dashes"));
        }
        for r in &spec.roles {
            if !super::ROLES.contains(&r.as_str()) {
                return Err(err(
                    "roles",
                    &format!("unknown role `{r}` (expected one of {:?})", super::ROLES),
                ));
            }
        }
        let mut args = spec.args.clone();
        args.extend(spec.args_glob.iter().map(|g| glob_to_regex(g)));
        let mut env = Vec::new();
        for (k, v) in &spec.env {
            let re = Regex::new(v).map_err(|e| err("env", &format!("invalid regex: {e}")))?;
            env.push((k.split('|').map(str::to_string).collect(), re));
        }
        let has_matcher = !spec.program.is_empty()
            || !spec.subcommand.is_empty()
            || !spec.flags.is_empty()
            || !args.is_empty()
            || !spec.paths.is_empty()
            || !spec.text.is_empty()
            || !spec.stdin.is_empty()
            || !spec.writes.is_empty()
            || !spec.reads.is_empty()
            || !spec.env.is_empty()
            || !spec.cwd.is_empty()
            || !spec.piped_from.is_empty()
            || spec.recursive_call.is_some()
            || spec.dynamic_program.is_some()
            || !spec.not_program.is_empty();
        if !has_matcher {
            return Err(err(
                "program",
                "rule has no matcher and would match every command",
            ));
        }
        let examples = std::mem::take(&mut spec.examples);
        let not_match = std::mem::take(&mut spec.not_match);
        let rule = Rule {
            program: programs(source, &id, "program", &spec.program)?,
            not_program: programs(source, &id, "not_program", &spec.not_program)?,
            piped_from: programs(source, &id, "piped_from", &spec.piped_from)?,
            not_piped_from: programs(source, &id, "not_piped_from", &spec.not_piped_from)?,
            subcommand: spec.subcommand.into_iter().collect(),
            flags: spec.flags,
            not_flags: spec.not_flags,
            args: set(source, &id, "args", &args)?,
            not_args: set(source, &id, "not_args", &spec.not_args)?,
            paths: set(source, &id, "paths", &spec.paths)?,
            not_paths: set(source, &id, "not_paths", &spec.not_paths)?,
            text: set(source, &id, "text", &spec.text)?,
            not_text: set(source, &id, "not_text", &spec.not_text)?,
            stdin: set(source, &id, "stdin", &spec.stdin)?,
            not_stdin: set(source, &id, "not_stdin", &spec.not_stdin)?,
            writes: set(source, &id, "writes", &spec.writes)?,
            not_writes: set(source, &id, "not_writes", &spec.not_writes)?,
            reads: set(source, &id, "reads", &spec.reads)?,
            not_reads: set(source, &id, "not_reads", &spec.not_reads)?,
            cwd: set(source, &id, "cwd", &spec.cwd)?,
            env,
            roles: spec.roles,
            recursive_call: spec.recursive_call,
            dynamic_program: spec.dynamic_program,
            fallback: spec.fallback,
            action: spec.action,
            reason: spec.reason,
            id: id.clone(),
        };
        let (examples, not_match) = if source == super::BASE_SOURCE {
            (Vec::new(), Vec::new())
        } else {
            (examples, not_match)
        };
        for example in &examples {
            if !rule.matches_example(example) {
                return Err(err(
                    "match",
                    &format!("the rule does not match its example {example:?}"),
                ));
            }
        }
        for example in &not_match {
            if rule.matches_example(example) {
                return Err(err(
                    "not_match",
                    &format!("the rule matches {example:?}, which it lists as a non-match"),
                ));
            }
        }
        // The examples compiled the patterns they reached; drop those automata again so
        // a custom policy, like the built-in one, holds only what its traffic uses (a copy
        // of the default file held ≈ 20 MB more at idle).
        let mut rule = rule;
        rule.forget_compiled();
        Ok(rule)
    }

    /// How many of the rule's patterns are compiled now.
    #[cfg(test)]
    pub(super) fn compiled_patterns(&self) -> usize {
        [
            &self.args,
            &self.not_args,
            &self.paths,
            &self.not_paths,
            &self.text,
            &self.not_text,
            &self.stdin,
            &self.not_stdin,
            &self.writes,
            &self.not_writes,
            &self.reads,
            &self.not_reads,
            &self.cwd,
        ]
        .into_iter()
        .flatten()
        .filter(|p| p.re.get().is_some())
        .count()
    }

    /// Drops every lazily compiled pattern (each compiles again when next asked).
    fn forget_compiled(&mut self) {
        for pats in [
            &mut self.args,
            &mut self.not_args,
            &mut self.paths,
            &mut self.not_paths,
            &mut self.text,
            &mut self.not_text,
            &mut self.stdin,
            &mut self.not_stdin,
            &mut self.writes,
            &mut self.not_writes,
            &mut self.reads,
            &mut self.not_reads,
            &mut self.cwd,
        ]
        .into_iter()
        .flatten()
        {
            pats.re.take();
        }
    }

    /// Whether any simple command of `example` (parsed as shell, no cwd, no request
    /// environment, the rule's first role) matches this rule.
    fn matches_example(&self, example: &str) -> bool {
        let parsed = super::shell::parse(example, &super::shell::Context::default());
        let role = self.roles.first().map_or("operator", String::as_str);
        parsed
            .commands
            .iter()
            .any(|c| self.matches(&View::new(c), role, &[]))
    }

    /// The program names this rule is limited to, when that is its whole program matcher
    /// (lets the policy index rules by program and skip the rest).
    pub(super) fn indexed_names(&self) -> Option<&HashSet<String>> {
        let p = &self.program;
        (!p.names.is_empty() && p.paths.is_empty() && p.globs.is_none() && p.path_globs.is_none())
            .then_some(&p.names)
    }

    /// One matcher every command this rule accepts must pass, and its pattern: a necessary
    /// condition [`Gates`] can test for many rules in one pass. Lists that are usually empty
    /// (written and read files) come first, then the command text, its arguments, its paths.
    fn gate(&self) -> Option<(GateField, &str)> {
        [
            (GateField::Writes, &self.writes),
            (GateField::Reads, &self.reads),
            (GateField::Text, &self.text),
            (GateField::Args, &self.args),
            (GateField::Paths, &self.paths),
        ]
        .into_iter()
        .find_map(|(field, pats)| pats.as_ref().map(|p| (field, p.source.as_str())))
    }

    /// Whether every matcher of this rule accepts the command.
    pub(super) fn matches(&self, v: &View<'_>, role: &str, env: &[(String, String)]) -> bool {
        if !self.roles.is_empty() && !self.roles.iter().any(|r| r == role) {
            return false;
        }
        if !self.program.is_empty() && !self.program.matches(v) {
            return false;
        }
        if !self.not_program.is_empty() && self.not_program.matches(v) {
            return false;
        }
        if let Some(want) = self.recursive_call {
            if v.cmd.recursive_call != want {
                return false;
            }
        }
        if let Some(want) = self.dynamic_program {
            if v.cmd.dynamic_program != want {
                return false;
            }
        }
        if !self.subcommand.is_empty() && !v.subcommand.is_some_and(|s| self.subcommand.contains(s))
        {
            return false;
        }
        if !self.flags.iter().all(|g| g.iter().any(|f| v.has_flag(f))) {
            return false;
        }
        if self.not_flags.iter().any(|f| v.has_flag(f)) {
            return false;
        }
        let any = |s: &Option<Pats>, items: &[String]| {
            s.as_ref()
                .is_some_and(|s| items.iter().any(|i| s.is_match(i)))
        };
        let args = &v.cmd.argv[v.args_from..];
        if self.args.is_some() && !any(&self.args, args) {
            return false;
        }
        if any(&self.not_args, args) {
            return false;
        }
        if let Some(paths) = &self.paths {
            // A path counts when it matches `paths` and not `not_paths`.
            let excluded = |p: &String| self.not_paths.as_ref().is_some_and(|n| n.is_match(p));
            if !v.paths().iter().any(|p| paths.is_match(p) && !excluded(p)) {
                return false;
            }
        } else if self.not_paths.is_some() && any(&self.not_paths, v.paths()) {
            return false;
        }
        if let Some(t) = &self.text {
            if !t.is_match(v.text()) {
                return false;
            }
        }
        if let Some(t) = &self.not_text {
            if t.is_match(v.text()) {
                return false;
            }
        }
        if let Some(t) = &self.stdin {
            if !v.cmd.stdin_text.as_deref().is_some_and(|s| t.is_match(s)) {
                return false;
            }
        }
        if let Some(t) = &self.not_stdin {
            if v.cmd.stdin_text.as_deref().is_some_and(|s| t.is_match(s)) {
                return false;
            }
        }
        if self.writes.is_some() && !any(&self.writes, &v.files().0) {
            return false;
        }
        if self.not_writes.is_some() {
            let writes = &v.files().0;
            if !writes.is_empty()
                && writes
                    .iter()
                    .all(|w| any(&self.not_writes, std::slice::from_ref(w)))
            {
                return false;
            }
        }
        if let (None, Some(not_reads)) = (&self.reads, &self.not_reads) {
            // Alone, `not_reads` rules out a command that reads such a file at all
            // (`crontab - < /dev/null` reads empty input, not a download).
            if v.files().1.iter().any(|f| not_reads.is_match(f)) {
                return false;
            }
        }
        if let Some(reads) = &self.reads {
            // A file counts when it matches `reads` and not `not_reads`.
            let excluded = |f: &String| self.not_reads.as_ref().is_some_and(|n| n.is_match(f));
            if !v
                .files()
                .1
                .iter()
                .any(|f| reads.is_match(f) && !excluded(f))
            {
                return false;
            }
        }
        if let Some(c) = &self.cwd {
            if !v.cmd.cwd.as_ref().is_some_and(|d| c.is_match(d)) {
                return false;
            }
        }
        for (names, re) in &self.env {
            let found = env.iter().chain(v.cmd.assigns.iter()).any(|(k, val)| {
                let any = names.iter().any(|n| n == "*") && !BOX_VARS.contains(&k.as_str());
                (names.contains(k) || any) && re.is_match(val)
            });
            if !found {
                return false;
            }
        }
        if !self.piped_from.is_empty() {
            let hit = v.cmd.piped_from.iter().any(|p| {
                let pv = View::program_only(p);
                self.piped_from.matches(&pv)
            });
            if !hit {
                return false;
            }
        }
        // Every program the input comes from is a known one: the rule does not apply.
        if !self.not_piped_from.is_empty()
            && !v.cmd.piped_from.is_empty()
            && v.cmd.piped_from.iter().all(|p| {
                let pv = View::program_only(p);
                self.not_piped_from.matches(&pv)
            })
        {
            return false;
        }
        true
    }
}

/// Variables that say where a command runs (its workspace, home and temporary directory):
/// an env key `"*"` does not match them, since a workspace may lie anywhere.
const BOX_VARS: &[&str] = &[
    "HOME",
    "PWD",
    "OLDPWD",
    "TMPDIR",
    "TMP",
    "TEMP",
    "XDG_RUNTIME_DIR",
];

/// Short flags present in a command, as a bitmask over ASCII.
#[derive(Debug, Default, Clone, Copy)]
struct Shorts(u128);

impl Shorts {
    fn insert(&mut self, c: char) {
        if (c as u32) < 128 {
            self.0 |= 1u128 << (c as u32);
        }
    }
    fn contains(&self, c: char) -> bool {
        (c as u32) < 128 && self.0 & (1u128 << (c as u32)) != 0
    }
}

/// Everything a rule looks at for one command. Costly parts (normalised paths, written files,
/// text) are computed on first use, so a command only pays for what its candidate rules ask.
pub(super) struct View<'a> {
    pub cmd: &'a SimpleCommand,
    pub program: &'a str,
    abs: Option<String>,
    args_from: usize,
    subcommand: Option<&'a str>,
    short: Shorts,
    long: Vec<&'a str>,
    positional: Vec<&'a str>,
    text: OnceCell<String>,
    paths: OnceCell<Vec<String>>,
    files: OnceCell<(Vec<String>, Vec<String>)>,
}

static EMPTY: SimpleCommand = SimpleCommand {
    assigns: Vec::new(),
    argv: Vec::new(),
    redirects: Vec::new(),
    piped_from: Vec::new(),
    piped_reads: Vec::new(),
    piped_listing: Vec::new(),
    stdin_text: None,
    fed_text: Vec::new(),
    cwd: None,
    recursive_call: false,
    dynamic_program: false,
    wrap_depth: 0,
};

impl<'a> View<'a> {
    fn program_only(p: &'a str) -> View<'a> {
        View {
            cmd: &EMPTY,
            program: basename(p),
            abs: None,
            args_from: 0,
            subcommand: None,
            short: Shorts::default(),
            long: Vec::new(),
            positional: Vec::new(),
            text: OnceCell::new(),
            paths: OnceCell::new(),
            files: OnceCell::new(),
        }
    }

    pub(super) fn new(cmd: &'a SimpleCommand) -> View<'a> {
        let prog = cmd.argv.first().map(String::as_str).unwrap_or("");
        let program = basename(prog);
        let abs = prog
            .contains('/')
            .then(|| normalize_path(prog, cmd.cwd.as_deref()));
        let args = cmd.argv.get(1..).unwrap_or(&[]);
        let mut short = Shorts::default();
        let mut long = Vec::new();
        let mut positional: Vec<&str> = Vec::new();
        let mut ended = false;
        for a in args {
            if !ended && a == "--" {
                ended = true;
            } else if !ended && a.len() > 2 && a.starts_with("--") {
                long.push(a[2..].split('=').next().unwrap_or(""));
            } else if !ended && a.len() > 1 && a.starts_with('-') {
                a[1..].chars().for_each(|c| short.insert(c));
            } else {
                positional.push(a);
            }
        }
        View {
            cmd,
            program,
            abs,
            args_from: 1.min(cmd.argv.len()),
            subcommand: positional.first().copied(),
            short,
            long,
            positional,
            text: OnceCell::new(),
            paths: OnceCell::new(),
            files: OnceCell::new(),
        }
    }

    fn args(&self) -> &'a [String] {
        self.cmd.argv.get(1..).unwrap_or(&[])
    }

    /// "basename arg1 arg2 ...".
    fn text(&self) -> &str {
        self.text.get_or_init(|| {
            let mut text = String::with_capacity(64);
            text.push_str(self.program);
            for a in self.args() {
                text.push(' ');
                text.push_str(a);
            }
            text
        })
    }

    /// Operands (and `key=value` values) normalised as paths.
    fn paths(&self) -> &[String] {
        self.paths.get_or_init(|| {
            let cwd = self.cmd.cwd.as_deref();
            let mut paths: Vec<String> = self
                .positional
                .iter()
                .filter(|p| !p.is_empty())
                .map(|p| normalize_path(p, cwd))
                .collect();
            for a in self.args() {
                if let Some((k, v)) = a.split_once('=') {
                    if !v.is_empty() && !k.is_empty() && k.bytes().all(|c| c.is_ascii_lowercase()) {
                        paths.push(normalize_path(v, cwd));
                    }
                }
            }
            paths
        })
    }

    /// (files written, files arriving on stdin: through `<`, or read by an earlier command
    /// of the pipeline).
    fn files(&self) -> &(Vec<String>, Vec<String>) {
        self.files.get_or_init(|| {
            let cwd = self.cmd.cwd.as_deref();
            let mut writes = Vec::new();
            let mut reads = Vec::new();
            for r in &self.cmd.redirects {
                let t = normalize_path(&r.target, cwd);
                match r.kind {
                    RedirKind::Read => reads.push(t),
                    RedirKind::ReadWrite => {
                        reads.push(t.clone());
                        writes.push(t);
                    }
                    RedirKind::Write | RedirKind::Append => writes.push(t),
                }
            }
            writes.extend(file_writes(self, cwd));
            // What earlier commands of the pipeline read arrives on stdin too.
            reads.extend(self.cmd.piped_reads.iter().cloned());
            (writes, reads)
        })
    }

    /// Flag test: one character means a short flag (in any bundle); longer means a long
    /// option, also when abbreviated (`--recur` for `--recursive`, as GNU getopt allows).
    /// A prefix that stops at a `-` of the name is not an abbreviation: it is nearly always
    /// an option of its own (`gpg --export` is not `--export-secret-keys`).
    fn has_flag(&self, f: &str) -> bool {
        let mut cs = f.chars();
        match (cs.next(), cs.next()) {
            (Some(c), None) => self.short.contains(c),
            _ => self.long.iter().any(|l| {
                !l.is_empty() && f.starts_with(l) && f.as_bytes().get(l.len()) != Some(&b'-')
            }),
        }
    }
}

/// Files a well-known writer program writes to (beyond redirections).
fn file_writes(v: &View<'_>, cwd: Option<&str>) -> Vec<String> {
    let norm = |p: &str| normalize_path(p, cwd);
    let args = v.args();
    let positional = &v.positional;
    match v.program {
        // `visudo -c` only checks the files it names.
        "visudo" if v.has_flag("c") || v.has_flag("check") => Vec::new(),
        "tee" | "truncate" | "touch" | "shred" | "sponge" | "vi" | "vim" | "nano" | "ed"
        | "emacs" | "sudoedit" | "visudo" | "vipw" => positional.iter().map(|p| norm(p)).collect(),
        "cp" | "mv" | "install" | "ln" | "rsync" | "scp" => {
            let t = args
                .iter()
                .position(|a| a == "-t")
                .and_then(|i| args.get(i + 1))
                .map(String::as_str);
            t.or_else(|| positional.last().copied())
                .map(|p| vec![norm(p)])
                .unwrap_or_default()
        }
        "dd" => args
            .iter()
            .filter_map(|a| a.strip_prefix("of="))
            .map(norm)
            .collect(),
        // find's `-fprint FILE`, `-fprint0 FILE`, `-fprintf FILE FORMAT` and `-fls FILE`.
        "find" => args
            .windows(2)
            .filter(|w| matches!(w[0].as_str(), "-fprint" | "-fprint0" | "-fprintf" | "-fls"))
            .map(|w| norm(&w[1]))
            .collect(),
        "sed" | "perl"
            if v.short.contains('i') || v.long.iter().any(|l| l.starts_with("in-place")) =>
        {
            positional.iter().skip(1).map(|p| norm(p)).collect()
        }
        "sudo" if v.short.contains('e') || v.long.contains(&"edit") => {
            positional.iter().map(|p| norm(p)).collect()
        }
        _ => Vec::new(),
    }
}

/// The part of a command a gate pattern is tested against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GateField {
    Writes,
    Reads,
    Text,
    Args,
    Paths,
}

const GATE_FIELDS: [GateField; 5] = [
    GateField::Writes,
    GateField::Reads,
    GateField::Text,
    GateField::Args,
    GateField::Paths,
];

/// A prefilter for the rules that may match any program, which every command would otherwise
/// try one by one: each such rule's [`Rule::gate`] pattern joins one `RegexSet` per field, so
/// a command's text (or its arguments, paths, files) is scanned once for all of them, and a
/// rule whose gate did not match is skipped without running its matchers. Gates only skip
/// rules that cannot match; a field whose set cannot be built is not gated.
#[derive(Debug, Default)]
pub(super) struct Gates {
    /// One set per field, in [`GATE_FIELDS`] order.
    pub(super) sets: [Option<RegexSet>; 5],
    /// Rule index → (field slot, pattern index in that field's set).
    of_rule: Vec<Option<(usize, usize)>>,
}

impl Gates {
    /// Gates for the rules at `indices` (the generic ones) of `rules`.
    pub(super) fn build(rules: &[Rule], indices: &[usize]) -> Gates {
        let mut patterns: [Vec<&str>; 5] = Default::default();
        let mut of_rule = vec![None; rules.len()];
        for &i in indices {
            // Fallback rules by mechanism have wide patterns (any tool, any language): in the
            // shared set they grew its automaton past the lazy DFA's cache, and a 100 KB
            // argument took seconds. Each is matched on its own instead.
            let Some((field, pattern)) = rules.get(i).filter(|r| !r.fallback).and_then(Rule::gate)
            else {
                continue;
            };
            let slot = GATE_FIELDS.iter().position(|f| *f == field).unwrap_or(0);
            if let (Some(list), Some(entry)) = (patterns.get_mut(slot), of_rule.get_mut(i)) {
                *entry = Some((slot, list.len()));
                list.push(pattern);
            }
        }
        let sets = patterns.map(|list| {
            (!list.is_empty())
                .then(|| RegexSet::new(&list).ok())
                .flatten()
        });
        // A field without a set gates nothing.
        for entry in &mut of_rule {
            if entry.is_some_and(|(slot, _)| sets.get(slot).is_none_or(Option::is_none)) {
                *entry = None;
            }
        }
        Gates { sets, of_rule }
    }

    /// The gates' answers for one command, computed per field on first use.
    pub(super) fn open<'g, 'v>(&'g self, view: &'g View<'v>) -> Opened<'g, 'v> {
        Opened {
            gates: self,
            view,
            hits: Default::default(),
        }
    }
}

/// [`Gates`] applied to one command.
pub(super) struct Opened<'g, 'v> {
    gates: &'g Gates,
    view: &'g View<'v>,
    hits: [OnceCell<Vec<bool>>; 5],
}

impl Opened<'_, '_> {
    /// False only when rule `index` certainly does not match this command.
    pub(super) fn allows(&self, index: usize) -> bool {
        let Some(Some((slot, pattern))) = self.gates.of_rule.get(index).copied() else {
            return true;
        };
        let (Some(Some(set)), Some(cell)) = (self.gates.sets.get(slot), self.hits.get(slot)) else {
            return true;
        };
        let hits = cell.get_or_init(|| {
            let mut hits = vec![false; set.len()];
            let mut mark = |item: &str| {
                for m in set.matches(item).iter() {
                    if let Some(h) = hits.get_mut(m) {
                        *h = true;
                    }
                }
            };
            let v = self.view;
            match GATE_FIELDS.get(slot) {
                Some(GateField::Writes) => v.files().0.iter().for_each(|w| mark(w)),
                Some(GateField::Reads) => v.files().1.iter().for_each(|r| mark(r)),
                Some(GateField::Text) => mark(v.text()),
                Some(GateField::Args) => v.cmd.argv[v.args_from..].iter().for_each(|a| mark(a)),
                Some(GateField::Paths) => v.paths().iter().for_each(|p| mark(p)),
                None => hits.iter_mut().for_each(|h| *h = true),
            }
            hits
        });
        hits.get(pattern).copied().unwrap_or(true)
    }
}
