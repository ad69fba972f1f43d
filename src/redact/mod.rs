//! Secret redaction: owns turning every byte that leaves shellwise into bytes with credentials
//! replaced by `[REDACTED:<rule-id>]`, while ordinary output comes back byte-for-byte unchanged.
//!
//! # Architecture
//!
//! ## Pipeline
//! 1. **Segmentation** ([`segment`]). Input is cut into segments: lines ending at `\n` or `\r`;
//!    a line longer than 8 KiB is cut after its last separator (space, tab, quote, `,;&|`) in the
//!    first 8 KiB, or after the first separator up to 32 KiB, or hard at 32 KiB (never inside a
//!    UTF-8 character); a line that opens a `-----BEGIN ... PRIVATE KEY-----` block (END not on
//!    the same line) extends the segment through the matching END marker, capped at 16 KiB.
//!    Every rule matches within one segment only (a context rule, step 3, reads one earlier
//!    segment as its context). Cut points depend only on the bytes from the segment start up
//!    to a bounded distance ahead, never on how the input was chunked.
//! 2. **Keyword prefilter.** Every built-in rule (data: `rules.toml`, loaded by [`rules`])
//!    names literal keywords (`ghp_`, `akia`, `password`, `://`, ...); exact configured values
//!    and the literal prefixes of user regexes join them in one ASCII-case-insensitive
//!    Aho-Corasick automaton. The whole buffer is scanned once; only segments containing a
//!    hit are examined further, so logs without credentials cost one automaton pass.
//! 3. **Regex per candidate rule.** In a hit segment, the automaton runs again over just that
//!    segment to collect the candidate rules, and only their regexes run. Named groups `s`,
//!    `s1`.. mark the secret; the rest (key, scheme, user, host) is context that stays.
//!    A context rule (`after` in the table) is told where to look by an earlier line: its
//!    keywords find an opening line (`- name: DD_APP_KEY`, `$ gh auth token`) and its regex
//!    runs on the next `within` non-blank lines, keyword or not; an opening line whose name is
//!    no secret (`variable "region" {` after `variable "db_password" {`) ends it. While a
//!    context is open the scan examines every segment.
//! 4. **Validation** ([`check`]). Prefixed tokens reject documentation fakes (`EXAMPLE`, long
//!    runs, low entropy). Free-form values (`password=`, `token:`, `--api-key`) reject
//!    placeholders (`${VAR}`, `$VAR`, `****`, `<token>`, `changeme`, `null`, `your-api-key`, all
//!    caps env names, empty), code (`config.password`, `Foo::bar`), paths and URLs, then apply
//!    length and Shannon-entropy thresholds per kind; a free-form value that is a name called
//!    right after it (`let token = lookup_token(line)?`) is code, and one that runs into a
//!    `<placeholder>` (`xnd_production_<your-secret-key>`) is a template. Generic keys naming metadata
//!    (`PASSWORD_FILE`, `token_type`, `max_tokens`) are skipped. An `encoded` candidate (a
//!    base64 value) is decoded and its text scanned by the same redactor, once and never
//!    recursively: it is a secret when that text holds one.
//! 5. **Allow-list.** A candidate inside a public or non-secret blob (data URIs `base64,`,
//!    lockfile `sha512-` integrity, `ssh-rsa AAAA...` public keys) is dropped. Certificates and
//!    public keys never trigger the private-key block, nor does a whole block whose body holds
//!    no run of 16 base64 characters (a placeholder such as `...`).
//! 6. **Merge and replace.** Overlapping findings merge into one span named after the
//!    highest-priority member (exact value > user rule > prefixed token > vendor context >
//!    URL/header/flag > generic assignment), so a longer generic match never leaks the tail of
//!    a shorter specific one. Each merged span becomes `[REDACTED:<id>]` and counts once.
//!
//! ## Hold-back invariant (streaming)
//! [`StreamRedactor`] appends pushed bytes to a buffer and emits every *complete* segment, so it
//! holds at most the trailing partial line (bounded by 32 KiB) or an open private-key block
//! (bounded by 16 KiB). Because cut points are a pure function of the bytes, and redaction is a
//! pure function of each segment and of the contexts the segments before it opened (carried
//! from push to push, like an open key block), the concatenation of all `push` outputs plus
//! the final `flush` equals [`Redactor::redact`] of the whole input for every way of splitting
//! it. An idle-timer `flush` emits everything held: it is the one place a new segment boundary
//! is introduced (a secret split exactly there is redacted only in the part that still
//! matches).
//! A private-key block cut by an idle flush stays open: the following bytes up to the END
//! marker (within the 16 KiB budget) are redacted as key material too.
//!
//! ## Precision
//! Keywords before regexes, structured prefixes before generic keys, validators before
//! acceptance, and allow-lists for the encodings that look random but are public. Git SHAs,
//! sha256/sha512 sums, UUIDs and file paths carry no keyword and no secret-shaped key, so they
//! never reach a regex; where they sit after a secret-named key they fail the metadata-key
//! filter or the validators.

mod check;
pub mod global;
mod rules;
mod segment;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_negative;
#[cfg(test)]
mod tests_positive;
#[cfg(test)]
mod tests_stream;
#[cfg(test)]
mod tests_table;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::bytes::{Regex, RegexBuilder};
use serde::{Deserialize, Serialize};

use self::check::Check;
use self::segment::SegKind;

/// Rule id reported for configured exact values.
pub const EXACT_VALUE_ID: &str = "exact-value";
/// Exact values shorter than this are ignored (too likely to occur by chance).
pub const MIN_EXACT_LEN: usize = 6;
/// Largest compiled size of one user regex.
const USER_REGEX_SIZE_LIMIT: usize = 1 << 20;
/// A user regex whose literal prefixes exceed this count is run on every segment instead.
const MAX_USER_LITERALS: usize = 64;

/// A redaction rule supplied in configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserRule {
    /// Rule id, reported in `[REDACTED:<id>]` and in counts.
    pub id: String,
    /// Regex (Rust `regex` syntax). A named group `secret` (or `s`) limits what is replaced;
    /// without one the whole match is replaced.
    pub regex: String,
}

/// What the redactor is built from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RedactConfig {
    /// Secret values redacted verbatim wherever they appear (rule id `exact-value`): the
    /// server's own secret environment values plus configured extras. Values shorter than
    /// 6 bytes are ignored; multi-line values are matched line by line.
    pub exact_values: Vec<String>,
    /// Extra regex rules.
    pub user_rules: Vec<UserRule>,
    /// Built-in rule ids to switch off.
    pub disabled_rules: Vec<String>,
}

/// Why a [`Redactor`] could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RedactError {
    /// A user rule's regex does not compile.
    #[error("redaction rule `{id}` has an invalid regex: {message}")]
    InvalidUserRule {
        /// The offending rule's id.
        id: String,
        /// The compiler's message.
        message: String,
    },
    /// A user rule id is empty or not made of `[A-Za-z0-9._-]`.
    #[error("redaction rule id `{id}` is invalid: use 1-64 characters from A-Z a-z 0-9 . _ -")]
    InvalidRuleId {
        /// The offending id.
        id: String,
    },
    /// A disabled rule id names no built-in rule.
    #[error("cannot disable unknown redaction rule `{id}`")]
    UnknownDisabledRule {
        /// The unknown id.
        id: String,
    },
    /// The keyword automaton could not be built (too many or too large patterns).
    #[error("cannot build the redaction keyword prefilter: {message}")]
    Prefilter {
        /// The builder's message.
        message: String,
    },
}

/// How many secrets each rule redacted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RedactionCounts(pub BTreeMap<String, u64>);

impl RedactionCounts {
    /// Adds `other`'s counts into `self`.
    pub fn merge(&mut self, other: &RedactionCounts) {
        for (id, n) in &other.0 {
            *self.0.entry(id.clone()).or_insert(0) += n;
        }
    }

    /// Total number of redactions.
    pub fn total(&self) -> u64 {
        self.0.values().sum()
    }

    /// True when nothing was redacted.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn add(&mut self, id: &str) {
        *self.0.entry(id.to_owned()).or_insert(0) += 1;
    }
}

/// Redacted bytes plus what was redacted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redacted<'a> {
    /// The output: borrowed from the input when nothing changed.
    pub bytes: Cow<'a, [u8]>,
    /// Redactions per rule id.
    pub counts: RedactionCounts,
}

/// A regex compiled on first use. Most rules never fire on a given server, and each compiled
/// regex costs tens of KiB (≈5 MiB for the built-in table), so only the pattern is kept until a
/// keyword sends a segment to the rule.
#[derive(Debug, Clone)]
struct LazyRegex {
    pattern: Box<str>,
    size_limit: Option<usize>,
    cell: std::sync::OnceLock<Option<Regex>>,
}

impl LazyRegex {
    fn new(pattern: String, size_limit: Option<usize>) -> Self {
        Self {
            pattern: pattern.into_boxed_str(),
            size_limit,
            cell: std::sync::OnceLock::new(),
        }
    }

    fn build(&self) -> Result<Regex, regex::Error> {
        let mut b = RegexBuilder::new(&self.pattern);
        if let Some(limit) = self.size_limit {
            b.size_limit(limit);
        }
        b.build()
    }

    /// The compiled regex (`None` only if the pattern does not compile, which start-up and the
    /// table test rule out).
    fn get(&self) -> Option<&Regex> {
        self.cell.get_or_init(|| self.build().ok()).as_ref()
    }
}

/// Capture-group names by index, from the pattern's syntax tree (without compiling it).
fn capture_names(pattern: &str) -> Result<Vec<Option<String>>, String> {
    use regex_syntax::hir::{Hir, HirKind};
    fn walk(h: &Hir, out: &mut Vec<Option<String>>) {
        match h.kind() {
            HirKind::Capture(c) => {
                let i = c.index as usize;
                if out.len() <= i {
                    out.resize(i + 1, None);
                }
                out[i] = c.name.as_deref().map(str::to_string);
                walk(&c.sub, out);
            }
            HirKind::Concat(hs) | HirKind::Alternation(hs) => hs.iter().for_each(|h| walk(h, out)),
            HirKind::Repetition(r) => walk(&r.sub, out),
            _ => {}
        }
    }
    let hir = regex_syntax::ParserBuilder::new()
        .utf8(false)
        .build()
        .parse(pattern)
        .map_err(|e| e.to_string())?;
    let mut names = vec![None];
    walk(&hir, &mut names);
    Ok(names)
}

/// A compiled rule.
#[derive(Debug, Clone)]
struct Rule {
    id: Arc<str>,
    regex: LazyRegex,
    /// Capture groups holding the secret; the first that participates wins. Empty: group 0.
    secret_groups: Vec<usize>,
    /// Capture group holding a generic key name, checked against the metadata deny-list.
    key_group: Option<usize>,
    /// Capture group `n`: a name the regex found without a keyword of its own (`setenv NAME
    /// value`), which must name a secret (see [`rules::names_secret`]) for the match to count.
    name_group: Option<usize>,
    check: Check,
    priority: u8,
    /// Member of the shared generic-assignment family (see [`rules::GenericClass`]).
    generic: Option<rules::GenericClass>,
    /// A byte the segment must contain before the regex runs.
    needs: Option<u8>,
    /// Least entropy of the secret, on top of `check`.
    entropy: Option<f64>,
    /// Secrets this rule matches that are known not to be secrets.
    allowlist: rules::Allowlist,
    /// Set for a context rule: the line that opens it (its keywords find that line).
    after: Option<After>,
}

/// The opening line of a context rule, compiled (see [`rules::After`]).
#[derive(Debug, Clone)]
struct After {
    regex: LazyRegex,
    /// Capture groups `k`, `k1`.. holding a name that must name a secret; the first that takes
    /// part is checked.
    key_groups: Vec<usize>,
    within: u8,
}

/// What an automaton pattern points at.
#[derive(Debug, Clone)]
enum Target {
    /// Run these rules on the segment.
    Rules(Vec<usize>),
    /// Exact secret values sharing this case-insensitive spelling.
    Exact(Vec<usize>),
}

/// A secret found in a segment (offsets relative to the segment).
#[derive(Debug, Clone, Copy)]
struct Finding {
    start: usize,
    end: usize,
    /// Index into `rules`, or `usize::MAX` for exact values.
    rule: usize,
    priority: u8,
}

const EXACT_RULE: usize = usize::MAX;

/// The redaction engine: immutable, `Send + Sync`, built once and shared via `Arc`.
#[derive(Debug, Clone)]
pub struct Redactor {
    rules: Vec<Rule>,
    exact: Vec<Vec<u8>>,
    ac: Option<AhoCorasick>,
    targets: Vec<Target>,
    /// Rules with no usable keyword: tried on every segment (disables the whole-buffer skip).
    always: Vec<usize>,
    private_key_rule: Option<usize>,
    /// Enabled generic classes and their rule indices, in classification order.
    generic_rules: Vec<(rules::GenericClass, usize)>,
}

/// Accumulates output for one call: copies unchanged input lazily and writes replacements.
struct Emitter {
    out: Option<Vec<u8>>,
    copied: usize,
    counts: RedactionCounts,
}

impl Emitter {
    fn new() -> Self {
        Self {
            out: None,
            copied: 0,
            counts: RedactionCounts::default(),
        }
    }

    fn replace(&mut self, buf: &[u8], start: usize, end: usize, id: &str) {
        let out = self
            .out
            .get_or_insert_with(|| Vec::with_capacity(buf.len() + 64));
        out.extend_from_slice(&buf[self.copied..start]);
        out.extend_from_slice(b"[REDACTED:");
        out.extend_from_slice(id.as_bytes());
        out.push(b']');
        self.copied = end;
        self.counts.add(id);
    }

    fn finish(self, buf: &[u8], consumed: usize) -> Redacted<'_> {
        match self.out {
            None => Redacted {
                bytes: Cow::Borrowed(&buf[..consumed]),
                counts: self.counts,
            },
            Some(mut out) => {
                out.extend_from_slice(&buf[self.copied..consumed]);
                Redacted {
                    bytes: Cow::Owned(out),
                    counts: self.counts,
                }
            }
        }
    }
}

/// Per-stream state carried across `scan` calls.
#[derive(Debug, Default, Clone)]
struct ScanState {
    /// A private-key block was cut by an idle flush: budget left for its continuation.
    open_block: Option<usize>,
    /// Context rules opened by a line already scanned: (rule index, non-blank lines left).
    /// While one is open every line is examined, keyword or not.
    open_contexts: Vec<(usize, u8)>,
}

impl ScanState {
    /// Moves the open contexts past one segment: a blank line (or the `\n` of a `\r\n`) leaves
    /// them as they are, any other line uses one line of each, a private-key block closes
    /// them; then the contexts this segment opened start afresh, and those it closed (an entry
    /// of 0 lines) end.
    fn advance_contexts(&mut self, seg: &[u8], kind: SegKind, opened: &[(usize, u8)]) {
        if kind != SegKind::Line {
            self.open_contexts.clear();
            return;
        }
        if seg.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        self.open_contexts.retain_mut(|(_, left)| {
            *left -= 1;
            *left > 0
        });
        for &(rule, within) in opened {
            match self.open_contexts.iter_mut().find(|(r, _)| *r == rule) {
                Some(open) => open.1 = within,
                None if within > 0 => self.open_contexts.push((rule, within)),
                None => {}
            }
        }
        self.open_contexts.retain(|(_, left)| *left > 0);
    }
}

impl Redactor {
    /// Builds a redactor from configuration.
    ///
    /// # Errors
    /// A user rule with a bad id or regex, an unknown disabled rule id, or an automaton that
    /// cannot be built.
    pub fn new(cfg: &RedactConfig) -> Result<Self, RedactError> {
        for id in &cfg.disabled_rules {
            if !rules::specs().iter().any(|s| s.id == *id) {
                return Err(RedactError::UnknownDisabledRule { id: id.clone() });
            }
        }
        let mut rules_out = Vec::new();
        let mut keywords: BTreeMap<Vec<u8>, Target> = BTreeMap::new();
        let mut always = Vec::new();
        for spec in rules::specs() {
            if cfg.disabled_rules.contains(&spec.id) {
                continue;
            }
            // The table is static and covered by a test that every entry compiles; skipping a
            // broken entry keeps `builtin()` infallible.
            let Ok(rule) = compile_builtin(spec) else {
                continue;
            };
            let idx = rules_out.len();
            rules_out.push(rule);
            for kw in &spec.keywords {
                add_rule_keyword(&mut keywords, kw.as_bytes(), idx);
            }
        }
        for user in &cfg.user_rules {
            validate_id(&user.id)?;
            let (rule, literals) = compile_user(user)?;
            let idx = rules_out.len();
            rules_out.push(rule);
            match literals {
                Some(lits) => {
                    for lit in lits {
                        add_rule_keyword(&mut keywords, &lit, idx);
                    }
                }
                None => always.push(idx),
            }
        }
        let mut exact: Vec<Vec<u8>> = Vec::new();
        for value in &cfg.exact_values {
            for part in value.as_bytes().split(|&b| b == b'\n' || b == b'\r') {
                if part.len() >= MIN_EXACT_LEN && !exact.iter().any(|e| e == part) {
                    let idx = exact.len();
                    exact.push(part.to_vec());
                    match keywords
                        .entry(part.to_ascii_lowercase())
                        .or_insert_with(|| Target::Exact(Vec::new()))
                    {
                        Target::Exact(v) => v.push(idx),
                        // A value that spells a keyword: keep the keyword's rules and add a
                        // separate case-sensitive pattern for the value below.
                        Target::Rules(_) => {}
                    }
                }
            }
        }
        // Exact values that collided with a keyword get their own pattern entries.
        let mut patterns: Vec<Vec<u8>> = Vec::new();
        let mut targets: Vec<Target> = Vec::new();
        for (kw, target) in keywords {
            patterns.push(kw);
            targets.push(target);
        }
        for (idx, value) in exact.iter().enumerate() {
            let covered = targets
                .iter()
                .any(|t| matches!(t, Target::Exact(v) if v.contains(&idx)));
            if !covered {
                patterns.push(value.to_ascii_lowercase());
                targets.push(Target::Exact(vec![idx]));
            }
        }
        let ac = if patterns.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .kind(Some(AhoCorasickKind::DFA))
                    .build(&patterns)
                    .map_err(|e| RedactError::Prefilter {
                        message: e.to_string(),
                    })?,
            )
        };
        let private_key_rule = rules_out
            .iter()
            .position(|r| &*r.id == rules::PRIVATE_KEY_ID);
        let generic_rules = generic_map(&rules_out);
        Ok(Self {
            rules: rules_out,
            exact,
            ac,
            targets,
            always,
            private_key_rule,
            generic_rules,
        })
    }

    /// The built-in rules only: no exact values, no user rules, nothing disabled.
    pub fn builtin() -> Self {
        static BUILTIN: OnceLock<Redactor> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                Self::new(&RedactConfig::default()).unwrap_or_else(|_| Self::fallback())
            })
            .clone()
    }

    /// Used only if the automaton cannot be built for the static table (covered by tests):
    /// runs every built-in rule on every segment.
    fn fallback() -> Self {
        let rules: Vec<Rule> = rules::specs()
            .iter()
            .filter_map(|s| compile_builtin(s).ok())
            .collect();
        let always = (0..rules.len()).collect();
        let private_key_rule = rules.iter().position(|r| &*r.id == rules::PRIVATE_KEY_ID);
        let generic_rules = generic_map(&rules);
        Self {
            rules,
            exact: Vec::new(),
            ac: None,
            targets: Vec::new(),
            always,
            private_key_rule,
            generic_rules,
        }
    }

    /// Ids of all active rules (built-in, user, and `exact-value` when values are configured).
    pub fn rule_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.rules.iter().map(|r| &*r.id).collect();
        if !self.exact.is_empty() {
            ids.push(EXACT_VALUE_ID);
        }
        ids
    }

    /// Redacts a complete buffer. Returns the input borrowed when nothing was found.
    pub fn redact<'a>(&self, input: &'a [u8]) -> Redacted<'a> {
        self.redact_from(input, ScanState::default())
    }

    /// Redacts a complete buffer that follows what `state` was left by (a stream's held line).
    fn redact_from<'a>(&self, input: &'a [u8], mut state: ScanState) -> Redacted<'a> {
        let mut em = Emitter::new();
        let consumed = self.scan(input, true, &mut state, &mut em);
        em.finish(input, consumed)
    }

    /// Redacts a string; the output stays valid UTF-8.
    pub fn redact_str(&self, input: &str) -> (String, RedactionCounts) {
        let r = self.redact(input.as_bytes());
        let text = match r.bytes {
            Cow::Borrowed(_) => input.to_owned(),
            Cow::Owned(v) => String::from_utf8(v)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        };
        (text, r.counts)
    }

    /// A streaming redactor for one output stream (stdout or stderr).
    pub fn stream(self: &Arc<Self>) -> StreamRedactor {
        StreamRedactor {
            inner: Arc::clone(self),
            pending: Vec::new(),
            state: ScanState::default(),
            emitted: Vec::new(),
        }
    }

    /// Processes complete segments at the front of `buf`, writing replacements into `em`;
    /// returns how many bytes were consumed (all of them when `eof`).
    fn scan(&self, buf: &[u8], eof: bool, state: &mut ScanState, em: &mut Emitter) -> usize {
        let mut pos = 0;
        if let Some(budget) = state.open_block {
            match segment::next_segment(buf, eof, Some(budget)) {
                Some((n, kind)) => {
                    self.apply(buf, 0, n, kind, em, state);
                    state.open_block = match kind {
                        SegKind::BlockCont { open: true, .. } => {
                            Some(budget.saturating_sub(n)).filter(|&b| b > 0)
                        }
                        _ => None,
                    };
                    pos = n;
                }
                None => return 0,
            }
        }
        if !self.always.is_empty() {
            while let Some((n, kind)) = segment::next_segment(&buf[pos..], eof, None) {
                self.apply(buf, pos, n, kind, em, state);
                self.note_open_block(kind, n, state);
                pos += n;
            }
            return pos;
        }
        let Some(ac) = &self.ac else {
            return self.skip_clean(buf, pos, eof);
        };
        // The lines after a context rule's opening line are examined whether or not they hold
        // a keyword (the value under `- name: DD_APP_KEY` has none).
        while !state.open_contexts.is_empty() {
            let Some((n, kind)) = segment::next_segment(&buf[pos..], eof, None) else {
                return pos;
            };
            self.apply(buf, pos, n, kind, em, state);
            self.note_open_block(kind, n, state);
            pos += n;
        }
        while pos < buf.len() {
            let Some(m) = ac.find(&buf[pos..]) else { break };
            let (hs, he) = (pos + m.start(), pos + m.end());
            // Whole lines before the hit's line hold no keyword: they pass through untouched.
            pos = memchr::memrchr2(b'\n', b'\r', &buf[pos..hs]).map_or(pos, |i| pos + i + 1);
            loop {
                match segment::next_segment(&buf[pos..], eof, None) {
                    Some((n, kind)) => {
                        self.apply(buf, pos, n, kind, em, state);
                        self.note_open_block(kind, n, state);
                        pos += n;
                        if pos > hs && pos >= he && state.open_contexts.is_empty() {
                            break;
                        }
                    }
                    None => return pos,
                }
            }
        }
        self.skip_clean(buf, pos, eof)
    }

    /// Consumes keyword-free bytes from `pos`: all of them at eof, else every complete segment.
    fn skip_clean(&self, buf: &[u8], mut pos: usize, eof: bool) -> usize {
        if eof {
            return buf.len();
        }
        if let Some(i) = memchr::memrchr2(b'\n', b'\r', &buf[pos..]) {
            pos += i + 1;
        }
        while let Some((n, _)) = segment::next_segment(&buf[pos..], false, None) {
            pos += n;
        }
        pos
    }

    fn note_open_block(&self, kind: SegKind, n: usize, state: &mut ScanState) {
        if let SegKind::Block { open: true, .. } = kind {
            state.open_block = Some(segment::BLOCK_MAX.saturating_sub(n)).filter(|&b| b > 0);
        }
    }

    /// Redacts one segment `buf[start..start + len]` and moves the open contexts past it.
    fn apply(
        &self,
        buf: &[u8],
        start: usize,
        len: usize,
        kind: SegKind,
        em: &mut Emitter,
        state: &mut ScanState,
    ) {
        let seg = &buf[start..start + len];
        let (findings, opened) = self.find(seg, kind, &state.open_contexts);
        state.advance_contexts(seg, kind, &opened);
        for f in merge(findings) {
            let id = if f.rule == EXACT_RULE {
                EXACT_VALUE_ID
            } else {
                self.rules
                    .get(f.rule)
                    .map_or(rules::PRIVATE_KEY_ID, |r| &*r.id)
            };
            em.replace(buf, start + f.start, start + f.end, id);
        }
    }

    /// All candidate secrets in one segment, and the context rules it opens (rule index,
    /// lines); `open` are the contexts earlier lines opened.
    fn find(
        &self,
        seg: &[u8],
        kind: SegKind,
        open: &[(usize, u8)],
    ) -> (Vec<Finding>, Vec<(usize, u8)>) {
        match kind {
            SegKind::Line => self.find_in_line(seg, open),
            SegKind::Block { terminated, .. } => {
                let body_from = segment::find_pem_begin(seg).unwrap_or(0);
                let found = self
                    .block_finding(seg, body_from, terminated)
                    // A whole block whose body is a placeholder (`...`, `<your key>`) holds no
                    // key. A continuation is always redacted: its start went out earlier.
                    .filter(|f| !terminated || check::holds_key_material(&seg[f.start..f.end]));
                (found.into_iter().collect(), Vec::new())
            }
            SegKind::BlockCont { terminated, .. } => {
                let found = self.block_finding(seg, 0, terminated);
                (found.into_iter().collect(), Vec::new())
            }
        }
    }

    /// The key material of a private-key block: from after the BEGIN marker to before the END
    /// marker (or to the end when unterminated), trimmed of surrounding whitespace.
    fn block_finding(&self, seg: &[u8], body_from: usize, terminated: bool) -> Option<Finding> {
        let rule = self.private_key_rule?;
        let body_to = if terminated {
            segment::find_pem_end(&seg[body_from..]).map_or(seg.len(), |(s, _)| body_from + s)
        } else {
            seg.len()
        };
        let body = &seg[body_from..body_to];
        let lead = body.iter().position(|b| !b.is_ascii_whitespace())?;
        let trail = body.iter().rposition(|b| !b.is_ascii_whitespace())?;
        Some(Finding {
            start: body_from + lead,
            end: body_from + trail + 1,
            rule,
            priority: rules::P_EXACT,
        })
    }

    fn find_in_line(&self, seg: &[u8], open: &[(usize, u8)]) -> (Vec<Finding>, Vec<(usize, u8)>) {
        let mut findings = Vec::new();
        let mut opened = Vec::new();
        let mut candidates: Vec<usize> = Vec::new();
        if let Some(ac) = &self.ac {
            // A keyword-dense line hits the same few keywords hundreds of times: add each
            // keyword's rules once.
            let mut seen = vec![0u64; self.targets.len().div_ceil(64)];
            for m in ac.find_overlapping_iter(seg) {
                let pid = m.pattern().as_usize();
                match self.targets.get(pid) {
                    Some(Target::Rules(rs)) => {
                        let (word, bit) = (pid / 64, 1u64 << (pid % 64));
                        if let Some(w) = seen.get_mut(word).filter(|w| **w & bit == 0) {
                            *w |= bit;
                            candidates.extend_from_slice(rs);
                        }
                    }
                    Some(Target::Exact(vs)) => {
                        for &v in vs {
                            if self
                                .exact
                                .get(v)
                                .is_some_and(|e| e.as_slice() == &seg[m.range()])
                            {
                                findings.push(Finding {
                                    start: m.start(),
                                    end: m.end(),
                                    rule: EXACT_RULE,
                                    priority: rules::P_EXACT,
                                });
                            }
                        }
                    }
                    None => {}
                }
            }
        }
        candidates.extend_from_slice(&self.always);
        candidates.sort_unstable();
        candidates.dedup();
        let mut generic_ran = false;
        for idx in candidates {
            let Some(rule) = self.rules.get(idx) else {
                continue;
            };
            if rule.needs.is_some_and(|b| memchr::memchr(b, seg).is_none()) {
                continue;
            }
            if let Some(after) = &rule.after {
                // A context rule's keywords find its opening line; its own regex runs only on
                // the lines after one. An opening line whose name is no secret (`variable "region" {` after
                // `variable "db_password" {`) starts an entry of its own: it ends the open one.
                match after.opening(seg) {
                    Opening::Secret => opened.push((idx, after.within)),
                    Opening::Other => opened.push((idx, 0)),
                    Opening::No => {}
                }
                continue;
            }
            if rule.generic.is_some() {
                // One pass of the shared regex serves every generic class.
                // Every member needs `=` or `:` after its key.
                if !generic_ran && memchr::memchr2(b'=', b':', seg).is_some() {
                    generic_ran = true;
                    self.generic_findings(rule, seg, &mut findings);
                }
                continue;
            }
            rule_findings(self, rule, idx, seg, &mut findings);
        }
        for &(idx, _) in open {
            if let Some(rule) = self.rules.get(idx) {
                rule_findings(self, rule, idx, seg, &mut findings);
            }
        }
        (findings, opened)
    }
}

/// What a line is to a context rule (see [`After::opening`]).
enum Opening {
    /// Not an opening line.
    No,
    /// An opening line naming a secret (or naming nothing): the rule looks at the next lines.
    Secret,
    /// An opening line naming something else: an open context of the rule ends here.
    Other,
}

impl After {
    /// Whether `seg` is an opening line: the regex matches, and its name, if it has one, names a
    /// secret.
    fn opening(&self, seg: &[u8]) -> Opening {
        let Some(regex) = self.regex.get() else {
            return Opening::No;
        };
        if self.key_groups.is_empty() {
            return if regex.is_match(seg) {
                Opening::Secret
            } else {
                Opening::No
            };
        }
        let mut opening = Opening::No;
        for caps in regex.captures_iter(seg) {
            let names_secret = self
                .key_groups
                .iter()
                .find_map(|&g| caps.get(g))
                .is_none_or(|k| rules::names_secret(k.as_bytes()));
            if names_secret {
                return Opening::Secret;
            }
            opening = Opening::Other;
        }
        opening
    }
}

impl Redactor {
    /// Runs the shared generic-assignment regex once and files each match under the class its
    /// key names (password before AI provider before secret before API key before token).
    fn generic_findings(&self, any_generic: &Rule, seg: &[u8], out: &mut Vec<Finding>) {
        let Some(regex) = any_generic.regex.get() else {
            return;
        };
        let (mut at, mut rereads) = (0, 0);
        while let Some(caps) = regex.captures_at(seg, at) {
            let Some(whole) = caps.get(0) else { break };
            at = whole.end().max(at + 1);
            let (Some(k), Some(secret)) = (
                any_generic.key_group.and_then(|g| caps.get(g)),
                any_generic.secret_groups.iter().find_map(|&g| caps.get(g)),
            ) else {
                continue;
            };
            let squashed: Vec<u8> = k
                .as_bytes()
                .iter()
                .filter(|b| !matches!(b, b'_' | b'-' | b'.'))
                .map(u8::to_ascii_lowercase)
                .collect();
            let Some(class) = rules::GenericClass::ORDER
                .into_iter()
                .find(|c| c.matches(&squashed))
            else {
                // A label before an assignment (`restic: RESTIC_PASSWORD='...'`, `oci:
                // key_file=...`) takes the assignment as its value: read the value again as a
                // key of its own. A few times per line, so the work stays linear.
                if rereads < GENERIC_REREADS && secret.as_bytes().contains(&b'=') {
                    rereads += 1;
                    at = secret.start();
                }
                continue;
            };
            let Some(&(_, idx)) = self.generic_rules.iter().find(|(c, _)| *c == class) else {
                continue;
            };
            let Some(rule) = self.rules.get(idx) else {
                continue;
            };
            if let Some(f) = validate(self, rule, idx, seg, Some(k), secret) {
                out.push(f);
            }
        }
    }
}

/// How many times per line a generic value that holds an assignment is read again as one.
const GENERIC_REREADS: usize = 8;

thread_local! {
    /// Set while [`Redactor::encodes_secret`] scans a decoded value, so a value encoded inside
    /// an encoded value is not decoded again: the work per byte stays bounded.
    static DECODING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

impl Redactor {
    /// Whether a base64 value decodes to text in which the redactor finds a secret (a
    /// credential URL, `password=...`): `check = "encoded"`. Decodes standard or URL-safe
    /// base64, wants UTF-8 text, and scans it with this same redactor, once, not recursively.
    fn encodes_secret(&self, value: &[u8]) -> bool {
        use base64::Engine as _;
        if DECODING.with(std::cell::Cell::get) {
            return false;
        }
        let engines = [
            base64::engine::general_purpose::STANDARD,
            base64::engine::general_purpose::URL_SAFE,
        ];
        let Some(decoded) = engines.iter().find_map(|e| e.decode(value).ok()) else {
            return false;
        };
        if std::str::from_utf8(&decoded).is_err() {
            return false;
        }
        DECODING.with(|d| d.set(true));
        let found = !self.redact(&decoded).counts.is_empty();
        DECODING.with(|d| d.set(false));
        found
    }
}

fn generic_map(rules: &[Rule]) -> Vec<(rules::GenericClass, usize)> {
    rules
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.generic.map(|c| (c, i)))
        .collect()
}

/// Runs one rule over a segment and keeps the validated matches.
fn rule_findings(r: &Redactor, rule: &Rule, idx: usize, seg: &[u8], out: &mut Vec<Finding>) {
    if rule.secret_groups.is_empty() && rule.key_group.is_none() && rule.name_group.is_none() {
        // No groups to extract: the match itself is the secret, and `find` skips the capture
        // engine entirely.
        let Some(regex) = rule.regex.get() else {
            return;
        };
        for secret in regex.find_iter(seg) {
            if let Some(f) = validate(r, rule, idx, seg, None, secret) {
                out.push(f);
            }
        }
        return;
    }
    let Some(regex) = rule.regex.get() else {
        return;
    };
    for caps in regex.captures_iter(seg) {
        let secret = if rule.secret_groups.is_empty() {
            caps.get(0)
        } else {
            rule.secret_groups.iter().find_map(|&g| caps.get(g))
        };
        let Some(secret) = secret else { continue };
        if rule
            .name_group
            .and_then(|g| caps.get(g))
            .is_some_and(|n| !rules::names_secret(n.as_bytes()))
        {
            continue;
        }
        let key = rule.key_group.and_then(|g| caps.get(g));
        if let Some(f) = validate(r, rule, idx, seg, key, secret) {
            out.push(f);
        }
    }
}

/// Applies the key filters, the rule's check and the blob allow-list to one candidate.
fn validate(
    r: &Redactor,
    rule: &Rule,
    idx: usize,
    seg: &[u8],
    key: Option<regex::bytes::Match<'_>>,
    secret: regex::bytes::Match<'_>,
) -> Option<Finding> {
    if secret.is_empty() {
        return None;
    }
    if let Some(k) = key {
        // A key right after a `/` that follows a non-blank byte is a path segment: URL
        // user-info (`https://x-access-token:...@host`, which the URL rules own) or a file name
        // (`/etc/passwd:1:root:x:0:0:...` from grep). After a blank, `/pass:` is a Windows flag.
        let before = &seg[..k.start()];
        let in_path = before.ends_with(b"/")
            && before
                .len()
                .checked_sub(2)
                .is_some_and(|i| !before[i].is_ascii_whitespace());
        if in_path
            || rules::key_is_metadata(k.as_bytes())
            || k.as_bytes().eq_ignore_ascii_case(secret.as_bytes())
        {
            return None;
        }
    }
    if !check::accepts(rule.check, secret.as_bytes())
        || (matches!(rule.check, Check::Value(_))
            && (check::is_call(secret.as_bytes(), &seg[secret.end()..])
                || check::runs_into_placeholder(&seg[secret.end()..])
                || check::follows_empty_quotes(&seg[..secret.start()])))
        || rule
            .entropy
            .is_some_and(|h| check::shannon_entropy(secret.as_bytes()) < h)
        || rule.allowlist.allows(secret.as_bytes())
        || check::inside_public_blob(seg, secret.start())
        || (rule.check == Check::Encoded && !r.encodes_secret(secret.as_bytes()))
    {
        return None;
    }
    // Byte classes may stop inside a UTF-8 character: extend to its end so the replacement
    // never leaves a dangling continuation byte.
    let mut end = secret.end();
    while end < seg.len() && (seg[end] & 0xC0) == 0x80 {
        end += 1;
    }
    Some(Finding {
        start: secret.start(),
        end,
        rule: idx,
        priority: rule.priority,
    })
}

/// Merges overlapping findings into disjoint spans named after the highest-priority member
/// (ties: the earliest-starting, then the lowest rule index).
fn merge(mut findings: Vec<Finding>) -> Vec<Finding> {
    findings.sort_by_key(|f| (f.start, f.end));
    let mut merged: Vec<Finding> = Vec::with_capacity(findings.len());
    for f in findings {
        match merged.last_mut() {
            Some(last) if f.start < last.end => {
                last.end = last.end.max(f.end);
                if f.priority > last.priority {
                    last.priority = f.priority;
                    last.rule = f.rule;
                }
            }
            _ => merged.push(f),
        }
    }
    merged
}

fn add_rule_keyword(keywords: &mut BTreeMap<Vec<u8>, Target>, kw: &[u8], idx: usize) {
    let key = kw.to_ascii_lowercase();
    match keywords
        .entry(key)
        .or_insert_with(|| Target::Rules(Vec::new()))
    {
        Target::Rules(v) => {
            if !v.contains(&idx) {
                v.push(idx);
            }
        }
        // Exact values are added after all keywords, so this arm is not reached.
        Target::Exact(_) => {}
    }
}

/// Indices of the capture groups called one of `names`, or a one-letter name of them followed
/// by digits (`s1`, `k2`), in order.
fn named_groups(capture_names: &[Option<String>], names: &[&str]) -> Vec<usize> {
    let mut groups = Vec::new();
    for (i, name) in capture_names.iter().enumerate() {
        if let Some(name) = name.as_deref() {
            if names
                .iter()
                .any(|n| name == *n || (n.len() == 1 && is_numbered(name, n)))
            {
                groups.push(i);
            }
        }
    }
    groups
}

fn is_numbered(name: &str, base: &str) -> bool {
    name.strip_prefix(base)
        .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()))
}

fn compile_builtin(spec: &rules::Spec) -> Result<Rule, regex::Error> {
    // Built-in patterns are ASCII by design: `(?-u)` keeps every class a byte class, which
    // keeps the lazy DFA small and fast on any input, including invalid UTF-8.
    let regex = LazyRegex::new(format!("(?-u){}", spec.pattern), None);
    let names = capture_names(&regex.pattern).map_err(|_| regex::Error::Syntax(spec.id.clone()))?;
    let secret_groups = named_groups(&names, &["s"]);
    let key_group = names.iter().position(|n| n.as_deref() == Some("k"));
    let name_group = names.iter().position(|n| n.as_deref() == Some("n"));
    let after = match &spec.after {
        None => None,
        Some(a) => {
            let regex = LazyRegex::new(format!("(?-u){}", a.pattern), None);
            let names =
                capture_names(&regex.pattern).map_err(|_| regex::Error::Syntax(spec.id.clone()))?;
            Some(After {
                regex,
                key_groups: named_groups(&names, &["k"]),
                within: a.within,
            })
        }
    };
    Ok(Rule {
        id: Arc::from(spec.id.as_str()),
        regex,
        secret_groups,
        key_group,
        name_group,
        check: spec.check,
        priority: spec.priority,
        generic: spec.generic,
        needs: spec.needs,
        entropy: spec.entropy,
        allowlist: spec.allowlist.clone(),
        after,
    })
}

fn validate_id(id: &str) -> Result<(), RedactError> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(RedactError::InvalidRuleId { id: id.to_owned() })
    }
}

/// Literal prefixes that every match of a user rule starts with.
type Literals = Vec<Vec<u8>>;

/// Compiles a user rule and extracts the literal prefixes every match starts with (`None` when
/// there is no finite, non-empty set: the rule then runs on every segment).
fn compile_user(user: &UserRule) -> Result<(Rule, Option<Literals>), RedactError> {
    let err = |message: String| RedactError::InvalidUserRule {
        id: user.id.clone(),
        message,
    };
    let regex = LazyRegex::new(user.regex.clone(), Some(USER_REGEX_SIZE_LIMIT));
    // User rules are compiled now, so a bad one is a start-up error naming its id.
    regex.build().map_err(|e| err(e.to_string()))?;
    let names = capture_names(&user.regex).map_err(err)?;
    let hir = regex_syntax::ParserBuilder::new()
        .utf8(false)
        .build()
        .parse(&user.regex)
        .map_err(|e| err(e.to_string()))?;
    let seq = regex_syntax::hir::literal::Extractor::new().extract(&hir);
    let literals = seq.literals().and_then(|lits| {
        let usable = !lits.is_empty()
            && lits.len() <= MAX_USER_LITERALS
            && lits.iter().all(|l| !l.as_bytes().is_empty());
        usable.then(|| lits.iter().map(|l| l.as_bytes().to_vec()).collect())
    });
    let secret_groups = named_groups(&names, &["secret", "s"]);
    let rule = Rule {
        id: Arc::from(user.id.as_str()),
        regex,
        secret_groups,
        key_group: None,
        name_group: None,
        check: Check::Any,
        priority: rules::P_USER,
        generic: None,
        needs: None,
        entropy: None,
        allowlist: rules::Allowlist::default(),
        after: None,
    };
    Ok((rule, literals))
}

/// Redacts one output stream incrementally; see the module docs for the hold-back invariant.
#[derive(Debug)]
pub struct StreamRedactor {
    inner: Arc<Redactor>,
    pending: Vec<u8>,
    state: ScanState,
    /// Redacted bytes already emitted by [`StreamRedactor::idle_flush`] for the front of
    /// `pending` (which is kept as context until its line completes).
    emitted: Vec<u8>,
}

impl StreamRedactor {
    /// Accepts the next chunk and returns the bytes that are now safe to emit.
    pub fn push(&mut self, chunk: &[u8]) -> Redacted<'static> {
        let before = self.pending.len();
        self.pending.extend_from_slice(chunk);
        if before > 0 && !self.may_progress(before, chunk) {
            // The front segment was incomplete and nothing that can complete it arrived: skip
            // the rescan so a long line fed in small chunks stays linear.
            return Redacted {
                bytes: Cow::Owned(Vec::new()),
                counts: RedactionCounts::default(),
            };
        }
        self.drain(false)
    }

    /// Whether appending `chunk` to `before` held bytes can change where the next segment ends:
    /// only a line break, a separator past the line window, a dash (END marker) while a key
    /// block may be open, or crossing one of the size thresholds can.
    fn may_progress(&self, before: usize, chunk: &[u8]) -> bool {
        let after = self.pending.len();
        let crosses = |t: usize| before < t && after >= t;
        let budget = self.state.open_block;
        if crosses(segment::LINE_MAX)
            || crosses(segment::HARD_MAX)
            || crosses(segment::BLOCK_MAX)
            || budget.is_some_and(crosses)
        {
            return true;
        }
        let block_possible =
            budget.is_some() || memchr::memchr2(b'\n', b'\r', &self.pending[..before]).is_some();
        let wide = after >= segment::LINE_MAX;
        chunk.iter().any(|&b| {
            b == b'\n'
                || b == b'\r'
                || (block_possible && b == b'-')
                || (wide && segment::is_separator(b))
        })
    }

    /// Emits everything held (end of stream).
    pub fn flush(&mut self) -> Redacted<'static> {
        self.drain(true)
    }

    /// For a quiet stream: emits the held partial line up to its last space or tab, redacted,
    /// but keeps the whole partial line as context, so a secret that is still arriving is never
    /// cut (tokens contain no blanks) and `key: value` rules still see their key when the line
    /// completes. Holds everything inside an open private-key block. Counts are reported when
    /// the line completes, once.
    pub fn idle_flush(&mut self) -> Redacted<'static> {
        let nothing = || Redacted {
            bytes: Cow::Owned(Vec::new()),
            counts: RedactionCounts::default(),
        };
        if self.state.open_block.is_some() {
            return nothing();
        }
        let Some(cut) = self.pending.iter().rposition(|&b| b == b' ' || b == b'\t') else {
            return nothing();
        };
        let prefix = self
            .inner
            .redact_from(&self.pending[..=cut], self.state.clone())
            .bytes
            .into_owned();
        let new = prefix
            .get(self.emitted.len()..)
            .unwrap_or_default()
            .to_vec();
        if !prefix.starts_with(&self.emitted) {
            return nothing();
        }
        self.emitted = prefix;
        Redacted {
            bytes: Cow::Owned(new),
            counts: RedactionCounts::default(),
        }
    }

    /// Bytes currently held back.
    pub fn held(&self) -> usize {
        self.pending.len()
    }

    fn drain(&mut self, eof: bool) -> Redacted<'static> {
        let mut em = Emitter::new();
        let consumed = self
            .inner
            .scan(&self.pending, eof, &mut self.state, &mut em);
        let r = em.finish(&self.pending, consumed);
        let mut bytes = r.bytes.into_owned();
        if consumed > 0 && !self.emitted.is_empty() {
            // Part of the first segment went out on an idle flush: send only the rest.
            let common = bytes
                .iter()
                .zip(&self.emitted)
                .take_while(|(a, b)| a == b)
                .count();
            bytes.drain(..common);
            self.emitted.clear();
        }
        let out = Redacted {
            bytes: Cow::Owned(bytes),
            counts: r.counts,
        };
        self.pending.drain(..consumed);
        out
    }
}
