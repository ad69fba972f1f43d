//! Allow/deny policy engine: decides whether a shell command, argv or code snippet may run.
//!
//! Pure: no I/O except [`Policy::load`], no HTTP. A [`Policy`] is immutable and `Send + Sync`;
//! the server keeps it in an `Arc` and swaps the `Arc` on reload.
//!
//! # Module map
//! - `mod.rs` — public API ([`Policy`], [`CheckInput`], [`Decision`]), policy-file loading,
//!   and the decision procedure.
//! - `shell.rs` — our own shell parser: words, quoting (`'..'`, `".."`, `$'..'`, `\`),
//!   operators, subshells, groups, functions, `$( )`/backticks (parsed recursively),
//!   `${..}`, redirections, here-documents, brace expansion, `VAR=x` prefixes, `cd` and
//!   variable tracking. Produces the flat list of every simple command.
//! - `unwrap.rs` — what wrappers run: `sudo`, `doas`, `su -c`, `env`, `nice`, `nohup`,
//!   `timeout`, `time`, `exec`, `command`, `builtin`, `stdbuf`, `setsid`, `chroot`, `xargs`,
//!   `find -exec/-execdir/-ok`, `sh|bash|zsh -c`, `eval`, shells fed by a pipe or here-doc,
//!   and interpreters given inline code.
//! - `code.rs` — visible commands inside python/perl/ruby/node/php code
//!   (`os.system("..")`, `subprocess.run([..])`, `shutil.rmtree('/')`, backticks).
//! - `rules.rs` — the rule format, compiled matchers, and per-command match views.
//!
//! # Policy file format (TOML)
//! ```toml
//! name = "default"                 # shown in decisions and logs
//! default = "allow"                # action when no rule matches a command (rule id "default")
//! default_reason = "no rule matched"
//!
//! [unparseable]                    # input the parser cannot follow (rule id "unparseable")
//! action = "confirm"
//! reason = "..."
//!
//! [limits]
//! max_input_bytes = 65536          # longer shell text or argv -> rule id "input-too-large" (deny)
//!
//! [code]                           # Subject::Code
//! languages = ["bash", "python"]   # others -> rule id "code-language" (deny)
//! max_bytes = 65536                # larger -> rule id "code-too-large" (deny)
//!
//! [[rule]]
//! id = "rm-recursive-system"       # required, unique
//! action = "deny"                  # allow | deny | confirm
//! reason = "..."                   # required, shown to the caller
//! roles = ["viewer"]               # optional: the rule applies only to these roles
//! program = ["rm", "/usr/bin/rm", "mkfs*"]   # basename, absolute path, or basename glob
//! not_program = ["echo"]
//! subcommand = ["status"]          # first operand (non-option argument)
//! flags = [["r", "R", "recursive"]]          # every group must be present; one char = short
//!                                  # flag in any bundle (-rf, -fr, -r -f), longer = long
//!                                  # option, abbreviations accepted (--recur, but not a
//!                                  # prefix ending at a `-`: --export != export-secret-keys)
//! not_flags = ["n"]
//! args = ["^-delete$"]             # regex: some argument (after argv[0]) matches
//! args_glob = ["of=/dev/sd*"]      # glob: some argument matches
//! not_args = ["^-n$"]
//! paths = ["^/$"]                  # regex on operands normalised as paths: `$HOME` -> `~`,
//!                                  # `.`/`..`/`//` resolved, relative joined to the tracked cwd
//! not_paths = ['\.pub$']             # with `paths`: such paths do not count; alone: veto
//! text = ["^systemctl .*poweroff"] # regex on "basename arg1 arg2 ..." (quotes removed)
//! not_text = []
//! stdin = ["curl .*\\| *sh"]      # regex on text the command reads on stdin when it is
//!                                  # spelled out (here-doc, here-string, `echo …|`, `printf …|`)
//!                                  # or decoded on the way (`echo … | base64 -d |`)
//! not_stdin = ['']                 # rule skipped when the stdin text is known and matches
//! writes = ["^/dev/sd"]            # regex on written files: `>`, `>>`, `&>`, `<>`, tee, cp/mv
//!                                  # destination, dd of=, sed -i, truncate, shred ...
//! not_writes = ["^/dev/null$"]     # rule skipped when every written file matches
//! reads = ["^/etc/shadow$"]        # regex on files arriving on stdin: `<` sources, and files
//!                                  # an earlier pipeline stage read (`cat f |`, `base64 f |`)
//! not_reads = ['\.pub$']             # ...a file that matches `reads` and this does not count;
//!                                  # without `reads`: no such file may be read at all
//! env = { LD_PRELOAD = ".+" }      # every named variable (input env or prefix) matches;
//!                                  # `"LD_AUDIT|RUBYOPT" = …` names alternatives
//! cwd = ["^/$"]                    # regex on the working directory in effect
//! piped_from = ["curl", "wget"]    # an earlier command in the same pipeline is one of these
//! not_piped_from = ["ssh-agent"]  # rule skipped when every program the input comes from
//!                                  # (pipeline or `$(...)`) is one of these
//! recursive_call = true            # the command re-invokes its enclosing forking function
//! dynamic_program = true           # the program name is only known at run time
//! match = ["rm -rf /"]             # examples the rule must match, checked at load
//! not_match = ["rm -rf ./build"]   # near-misses it must not match, checked at load
//! ```
//! All matchers given in a rule must match (AND); within one matcher any entry may match (OR).
//! `not_*` matchers veto the rule when any entry matches (`not_writes`: when every written
//! file matches). `$(...)` in an argument stands for a value only known at run time
//! (command substitution, backticks, xargs input).
//!
//! # Bounds
//! Shell text, argv and code are capped by `limits.max_input_bytes` / `code.max_bytes`;
//! nesting depth is capped at [`shell::MAX_NESTING`], wrapper depth at [`shell::MAX_UNWRAP`],
//! commands per input at [`shell::MAX_COMMANDS`]; hitting a cap makes the input unparseable.
//!
//! # Precedence
//! 1. Every simple command found anywhere in the input — pipelines, lists, subshells,
//!    substitutions, and what wrappers run — is checked on its own.
//! 2. For one command, among the rules that match: **deny beats confirm beats allow**; among
//!    equal actions the first rule in the file wins. No match -> the file's `default`.
//! 3. The overall decision is the most severe per-command decision (its rule id and reason
//!    are those of the first command with that action). If the input could not be parsed
//!    completely, the `unparseable` action joins in with the same severity order; on a tie a
//!    command's own rule is reported.

mod code;
mod command;
mod embedded;
mod hidden;
mod rules;
pub mod shell;
mod unwrap;

#[cfg(test)]
mod fuzz_tests;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use self::rules::{Rule, RuleSpec, View};
use self::shell::{Context, Parsed};

/// Roles a token may carry, least to most privileged.
pub const ROLES: &[&str] = &["viewer", "analyst", "operator", "admin"];

/// Default cap on shell text / argv / code size.
const DEFAULT_MAX_INPUT: usize = 64 * 1024;

/// What the policy says about a command.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// The command may run.
    Allow,
    /// The command may run only after a person confirms it.
    Confirm,
    /// The command must not run.
    Deny,
}

impl Action {
    /// Ordering used for precedence: deny > confirm > allow.
    fn severity(self) -> u8 {
        match self {
            Action::Allow => 0,
            Action::Confirm => 1,
            Action::Deny => 2,
        }
    }
}

/// The decision for one simple command found in the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CommandDecision {
    /// The command's words after quote removal and expansion, program first.
    pub argv: Vec<String>,
    /// What the policy says about this command.
    pub decision: Action,
    /// The id of the rule that decided (`default` when none matched).
    pub rule_id: String,
}

/// The policy's answer for a whole input.
// Its schema is `PolicyDecision`: a schema named `Decision` with a `decision` property made
// generated Python classes fail `mypy --strict`. The wire JSON is the same.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = PolicyDecision)]
pub struct Decision {
    /// The most severe decision over all commands (deny > confirm > allow).
    pub decision: Action,
    /// The id of the rule behind `decision`.
    pub rule_id: String,
    /// Why, in words fit to show the caller.
    pub reason: String,
    /// Every simple command found, with its own decision.
    pub commands: Vec<CommandDecision>,
}

/// What is being checked.
#[derive(Debug, Clone, Copy)]
pub enum Subject<'a> {
    /// Shell text run by `shell` (e.g. "/bin/sh", "bash").
    Shell {
        /// The command text.
        text: &'a str,
        /// The shell that will run it.
        shell: &'a str,
    },
    /// An argument vector run directly, without a shell.
    Argv(&'a [String]),
    /// A code snippet in `language`.
    Code {
        /// Language name as given by the caller ("python", "bash", "node" ...).
        language: &'a str,
        /// The code.
        code: &'a str,
    },
}

/// Everything a check looks at.
#[derive(Debug, Clone, Copy)]
pub struct CheckInput<'a> {
    /// What would run.
    pub subject: Subject<'a>,
    /// Working directory it would run in.
    pub cwd: Option<&'a Path>,
    /// Extra environment it would get.
    pub env: &'a [(String, String)],
    /// Caller's role: "viewer" | "analyst" | "operator" | "admin".
    pub role: &'a str,
}

/// Why a policy file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// The file could not be read.
    #[error("{path}: cannot read policy file: {message}")]
    Io {
        /// The file.
        path: String,
        /// The OS error.
        message: String,
    },
    /// The file is not valid TOML or has a bad top-level field.
    #[error("{source_name}: {message}")]
    Parse {
        /// The file (or other source label).
        source_name: String,
        /// What is wrong, with the field when known.
        message: String,
    },
    /// One rule is invalid.
    #[error("{source_name}: rule `{rule_id}`: field `{field}`: {message}")]
    Rule {
        /// The file (or other source label).
        source_name: String,
        /// The rule's id (or `#n` when it has none).
        rule_id: String,
        /// The offending field.
        field: String,
        /// What is wrong.
        message: String,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Special {
    action: Action,
    reason: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Limits {
    max_input_bytes: Option<usize>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct CodeSpec {
    #[serde(default)]
    languages: Vec<String>,
    max_bytes: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSpec {
    name: String,
    #[serde(default)]
    description: Option<String>,
    /// `"default"` (the default): the built-in policy's deny rules apply too, so a custom
    /// file adds to the destructive set instead of silently dropping it; `"none"`: only this
    /// file's rules.
    #[serde(default)]
    base: Option<String>,
    default: Action,
    default_reason: Option<String>,
    unparseable: Special,
    #[serde(default)]
    limits: Limits,
    #[serde(default)]
    code: CodeSpec,
}

/// A compiled, immutable policy.
#[derive(Debug)]
pub struct Policy {
    name: String,
    description: String,
    default: Action,
    default_reason: String,
    unparseable: Special,
    max_input: usize,
    code_languages: Vec<String>,
    code_max: usize,
    rules: Vec<Rule>,
    /// Rule indices by program basename, for rules limited to named programs.
    by_program: HashMap<String, Vec<usize>>,
    /// Indices of rules that may match any program.
    generic: Vec<usize>,
    /// One-pass prefilter for the `generic` rules.
    gates: rules::Gates,
}

const DEFAULT_TOML: &str = include_str!("../../policies/default.toml");
/// Source label of the built-in deny set when another file builds on it. The examples
/// of its rules are not re-checked there: it is the embedded default file, whose examples are
/// checked when it loads as a policy of its own (and by the test suite).
const BASE_SOURCE: &str = "builtin:default";

impl Policy {
    /// Parses and compiles a policy from TOML text; `source` names it in errors.
    pub fn from_toml(text: &str, source: &str) -> Result<Policy, PolicyError> {
        let parse_err = |message: String| PolicyError::Parse {
            source_name: source.to_string(),
            message,
        };
        let mut table: toml::Table = toml::from_str(text).map_err(|e| parse_err(e.to_string()))?;
        let rule_values = match table.remove("rule") {
            None => Vec::new(),
            Some(toml::Value::Array(a)) => a,
            Some(_) => {
                return Err(parse_err(
                    "`rule` must be an array of tables ([[rule]])".into(),
                ))
            }
        };
        let spec: FileSpec = toml::Value::Table(table)
            .try_into()
            .map_err(|e: toml::de::Error| parse_err(e.to_string()))?;
        let mut rules = Vec::with_capacity(rule_values.len());
        let mut ids = std::collections::HashSet::new();
        for (n, v) in rule_values.into_iter().enumerate() {
            let id = v
                .get("id")
                .and_then(toml::Value::as_str)
                .map_or_else(|| format!("#{}", n + 1), str::to_string);
            let rs: RuleSpec = v.try_into().map_err(|e: toml::de::Error| {
                let msg = e.to_string();
                let field = msg
                    .split('`')
                    .nth(1)
                    .filter(|f| !f.is_empty())
                    .unwrap_or("?")
                    .to_string();
                PolicyError::Rule {
                    source_name: source.to_string(),
                    rule_id: id.clone(),
                    field,
                    message: msg.trim().to_string(),
                }
            })?;
            if !ids.insert(rs.id.clone()) {
                return Err(PolicyError::Rule {
                    source_name: source.to_string(),
                    rule_id: id,
                    field: "id".to_string(),
                    message: "duplicate rule id".to_string(),
                });
            }
            rules.push(Rule::compile(rs, source)?);
        }
        if spec.name.trim().is_empty() {
            return Err(parse_err("field `name` must not be empty".into()));
        }
        if spec.unparseable.reason.trim().is_empty() {
            return Err(parse_err(
                "field `unparseable.reason` must not be empty".into(),
            ));
        }
        match spec.base.as_deref() {
            Some("none") => {}
            None | Some("default") => {
                // The built-in deny set, except rules this file redefines by id.
                let base = Policy::from_toml(DEFAULT_TOML, BASE_SOURCE)?;
                rules.extend(
                    base.rules
                        .into_iter()
                        .filter(|r| r.action == Action::Deny && !ids.contains(&r.id)),
                );
            }
            Some(other) => {
                return Err(parse_err(format!(
                    "field `base` must be \"default\" or \"none\", not {other:?}"
                )))
            }
        }
        let (by_program, generic) = index_rules(&rules);
        let gates = rules::Gates::build(&rules, &generic);
        Ok(Policy {
            by_program,
            generic,
            gates,
            name: spec.name,
            description: spec.description.unwrap_or_default(),
            default: spec.default,
            default_reason: spec
                .default_reason
                .unwrap_or_else(|| "no rule matched; the policy default applies".to_string()),
            unparseable: spec.unparseable,
            max_input: spec.limits.max_input_bytes.unwrap_or(DEFAULT_MAX_INPUT),
            code_languages: spec
                .code
                .languages
                .iter()
                .map(|l| l.to_ascii_lowercase())
                .collect(),
            code_max: spec.code.max_bytes.unwrap_or(DEFAULT_MAX_INPUT),
            rules,
        })
    }

    /// Reads and compiles a policy file.
    pub fn load(path: &Path) -> Result<Policy, PolicyError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| PolicyError::Io {
            path: shown.clone(),
            message: e.to_string(),
        })?;
        Policy::from_toml(&text, &shown)
    }

    /// The built-in fallback: the contents of `policies/default.toml`.
    pub fn permissive() -> Policy {
        match Policy::from_toml(DEFAULT_TOML, "policies/default.toml") {
            Ok(p) => p,
            // Unreachable in practice (a test compiles the shipped file); never panic.
            Err(e) => Policy {
                name: "builtin-fallback".to_string(),
                description: format!("policies/default.toml failed to compile: {e}"),
                default: Action::Confirm,
                default_reason: "built-in policy failed to load; every command needs confirmation"
                    .to_string(),
                unparseable: Special {
                    action: Action::Deny,
                    reason: "input could not be parsed".to_string(),
                },
                max_input: DEFAULT_MAX_INPUT,
                code_languages: Vec::new(),
                code_max: DEFAULT_MAX_INPUT,
                rules: Vec::new(),
                by_program: HashMap::new(),
                generic: Vec::new(),
                gates: rules::Gates::default(),
            },
        }
    }

    /// The policy's name (from the file's `name`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The policy's description (from the file's `description`).
    pub fn description(&self) -> &str {
        &self.description
    }

    /// Number of rules.
    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }

    /// Whether the file has rules that allow explicitly (an allow-list), as opposed to
    /// allowing only by its `default`.
    pub fn has_allow_rules(&self) -> bool {
        self.rules.iter().any(|r| r.action == Action::Allow)
    }

    /// Decides whether `input` may run. Never panics; cost is linear-ish in the input size.
    pub fn check(&self, input: &CheckInput<'_>) -> Decision {
        let ctx = Context {
            cwd: input
                .cwd
                .and_then(Path::to_str)
                .filter(|c| c.starts_with('/'))
                .map(|c| shell::normalize_path(c, None)),
            env: input.env.to_vec(),
        };
        let parsed = match input.subject {
            Subject::Shell { text, shell: sh } => {
                if text.len() > self.max_input {
                    return self.fixed(
                        Action::Deny,
                        "input-too-large",
                        format!(
                            "command text is {} bytes; the limit is {}",
                            text.len(),
                            self.max_input
                        ),
                    );
                }
                let prog = shell::basename(sh);
                if unwrap::is_shell(prog) || sh.is_empty() {
                    shell::parse(text, &ctx)
                } else {
                    let argv = vec![sh.to_string(), "-c".to_string(), text.to_string()];
                    shell::parse_argv(&argv, &ctx)
                }
            }
            Subject::Argv(argv) => {
                let size: usize = argv.iter().map(|a| a.len() + 1).sum();
                if size > self.max_input {
                    return self.fixed(
                        Action::Deny,
                        "input-too-large",
                        format!("argv is {size} bytes; the limit is {}", self.max_input),
                    );
                }
                shell::parse_argv(argv, &ctx)
            }
            Subject::Code { language, code } => {
                let lang = language.trim().to_ascii_lowercase();
                if !self.code_languages.contains(&lang) {
                    return self.fixed(
                        Action::Deny,
                        "code-language",
                        format!("language `{lang}` is not allowed by policy `{}`", self.name),
                    );
                }
                if code.len() > self.code_max {
                    return self.fixed(
                        Action::Deny,
                        "code-too-large",
                        format!(
                            "code is {} bytes; the limit is {}",
                            code.len(),
                            self.code_max
                        ),
                    );
                }
                shell::parse_argv(&code_argv(&lang, code), &ctx)
            }
        };
        self.decide(&parsed, input)
    }

    fn fixed(&self, action: Action, rule_id: &str, reason: String) -> Decision {
        Decision {
            decision: action,
            rule_id: rule_id.to_string(),
            reason,
            commands: Vec::new(),
        }
    }

    fn decide_command(
        &self,
        cmd: &shell::SimpleCommand,
        input: &CheckInput<'_>,
    ) -> (Action, &str, &str, bool) {
        let view = View::new(cmd);
        let gates = self.gates.open(&view);
        let mut best: Option<&Rule> = None;
        let named = self
            .by_program
            .get(view.program)
            .map_or(&[][..], Vec::as_slice);
        for (i, r) in
            merge_sorted(named, &self.generic).filter_map(|i| self.rules.get(i).map(|r| (i, r)))
        {
            let outranked = best.is_some_and(|b| {
                b.action.severity() > r.action.severity()
                    || (b.action.severity() == r.action.severity() && (!b.fallback || r.fallback))
            });
            if outranked {
                continue;
            }
            if gates.allows(i) && r.matches(&view, input.role, input.env) {
                best = Some(r);
                if r.action == Action::Deny && !r.fallback {
                    break;
                }
            }
        }
        match best {
            Some(r) => (r.action, &r.id, &r.reason, r.fallback),
            None => (self.default, "default", &self.default_reason, false),
        }
    }

    fn decide(&self, parsed: &Parsed, input: &CheckInput<'_>) -> Decision {
        let mut commands = Vec::with_capacity(parsed.commands.len());
        let mut top: Option<(Action, String, String)> = None;
        // Whether `top` came from a fallback rule, which a rule of the tool's own at the same
        // severity replaces (see `RuleSpec::fallback`).
        let mut top_fallback = false;
        for cmd in &parsed.commands {
            let (action, id, reason, fallback) = self.decide_command(cmd, input);
            let replaces = top.as_ref().is_none_or(|t| {
                action.severity() > t.0.severity()
                    || (top_fallback && !fallback && action.severity() == t.0.severity())
            });
            if replaces {
                top = Some((action, id.to_string(), reason.to_string()));
                top_fallback = fallback;
            }
            commands.push(CommandDecision {
                argv: cmd.argv.clone(),
                decision: action,
                rule_id: id.to_string(),
            });
        }
        if let Some(err) = &parsed.error {
            let u = &self.unparseable;
            if top
                .as_ref()
                .is_none_or(|t| u.action.severity() > t.0.severity())
            {
                top = Some((
                    u.action,
                    "unparseable".to_string(),
                    format!("{} ({err})", u.reason),
                ));
            }
        }
        let (decision, rule_id, reason) = top.unwrap_or_else(|| {
            (
                self.default,
                "default".to_string(),
                format!("{} (no command found)", self.default_reason),
            )
        });
        Decision {
            decision,
            rule_id,
            reason,
            commands,
        }
    }
}

fn index_rules(rules: &[Rule]) -> (HashMap<String, Vec<usize>>, Vec<usize>) {
    let mut by_program: HashMap<String, Vec<usize>> = HashMap::new();
    let mut generic = Vec::new();
    for (i, r) in rules.iter().enumerate() {
        match r.indexed_names() {
            Some(names) => {
                for n in names {
                    by_program.entry(n.clone()).or_default().push(i);
                }
            }
            None => generic.push(i),
        }
    }
    (by_program, generic)
}

/// Merges two ascending index lists into one ascending sequence (file order is precedence
/// order among equal actions).
fn merge_sorted<'a>(a: &'a [usize], b: &'a [usize]) -> impl Iterator<Item = usize> + 'a {
    let (mut i, mut j) = (0, 0);
    std::iter::from_fn(move || match (a.get(i), b.get(j)) {
        (Some(&x), Some(&y)) if x <= y => {
            i += 1;
            Some(x)
        }
        (_, Some(&y)) => {
            j += 1;
            Some(y)
        }
        (Some(&x), None) => {
            i += 1;
            Some(x)
        }
        (None, None) => None,
    })
}

/// How a code snippet in `lang` is run, as an argv the parser can unwrap.
fn code_argv(lang: &str, code: &str) -> Vec<String> {
    let (prog, flag) = match lang {
        "python" | "python3" | "py" => ("python3", "-c"),
        "node" | "javascript" | "js" | "nodejs" => ("node", "-e"),
        "perl" => ("perl", "-e"),
        "ruby" => ("ruby", "-e"),
        "php" => ("php", "-r"),
        other => (other, "-c"),
    };
    vec![prog.to_string(), flag.to_string(), code.to_string()]
}
