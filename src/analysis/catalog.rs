//! The data catalog of tool messages (`catalog.toml`, embedded): each entry names a message
//! family of one toolchain, how to recognise it on a line, what class of failure it is, how
//! heavily it weighs, and how to word it. The format is documented at the top of the file;
//! this module loads and validates it once, and matches lines against it.

use std::collections::HashSet;
use std::sync::{LazyLock, OnceLock};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;
use serde::Deserialize;

use super::kinds::{Kind, W_CONTEXT, W_DOMINANT, W_PATTERN, W_SPECIFIC, W_STRONG, W_TEST};
use super::text::{base_name, shell_quote};
use super::{Category, Risk};

/// The catalog shipped with the analyzer.
const CATALOG_TOML: &str = include_str!("catalog.toml");

/// Names a template may use besides the entry's own captures.
const BUILTINS: [&str; 3] = ["program", "status", "line"];

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| {
    // The shipped entries are proven by `catalog_tests` (every regex, template and sample);
    // at run time only their structure is checked and each regex compiles when a line first
    // contains its literal, so the first analysis does not pay for 200-odd regexes.
    Catalog::parse_with(CATALOG_TOML, Checks::Structure).unwrap_or_else(|e| {
        // A test proves the shipped file loads; this only guards a broken build.
        tracing::error!(error = %e, "the analysis catalog did not load; it is ignored");
        Catalog::default()
    })
});

/// The shipped catalog, parsed and validated on first use.
pub(super) fn catalog() -> &'static Catalog {
    &CATALOG
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(rename = "entry")]
    entries: Vec<RawEntry>,
    /// Exit statuses that speak for themselves (documented per tool), read when no line
    /// explains the failure better.
    #[serde(rename = "exit", default)]
    exits: Vec<RawExit>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExit {
    id: String,
    toolchain: String,
    programs: Vec<String>,
    codes: Vec<i32>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    category: Option<Category>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    root_cause: Option<String>,
    #[serde(default)]
    fixes: Vec<RawFix>,
    #[serde(default)]
    next_steps: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    id: String,
    toolchain: String,
    #[serde(default)]
    programs: Vec<String>,
    contains: String,
    #[serde(default)]
    regex: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    category: Option<Category>,
    weight: String,
    #[serde(default)]
    subject: Option<String>,
    #[serde(default)]
    detail: Option<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    root_cause: Option<String>,
    #[serde(default)]
    fixes: Vec<RawFix>,
    #[serde(default)]
    next_steps: Vec<String>,
    samples: Vec<String>,
    #[serde(default)]
    not_samples: Vec<String>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawFix {
    description: String,
    #[serde(default)]
    command: Option<String>,
    risk: Risk,
}

/// A suggested fix as written in the catalog (templates not yet filled in).
#[derive(Debug)]
pub(super) struct FixTemplate {
    pub description: String,
    pub command: Option<String>,
    pub risk: Risk,
}

impl From<RawFix> for FixTemplate {
    fn from(f: RawFix) -> Self {
        FixTemplate {
            description: f.description,
            command: f.command,
            risk: f.risk,
        }
    }
}

/// An entry's kind: a named `kind`, or a category with its own wording (`worded`: both a
/// summary and a root cause are given).
fn entry_kind(
    kind: Option<&str>,
    category: Option<Category>,
    worded: bool,
) -> Result<Kind, String> {
    match (kind, category) {
        (Some(k), None) => Kind::parse(k).ok_or_else(|| format!("unknown kind `{k}`")),
        (None, Some(c)) if worded => Ok(Kind::Cataloged(c)),
        (None, Some(_)) => {
            Err("an entry naming a category needs a summary and a root_cause".into())
        }
        _ => Err("exactly one of `kind` and `category` is needed".into()),
    }
}

/// One validated entry.
#[derive(Debug)]
pub(super) struct Entry {
    pub id: String,
    /// Which toolchain the message comes from (the tests check every entry names one).
    #[cfg_attr(not(test), allow(dead_code))]
    pub toolchain: String,
    contains: String,
    programs: Vec<String>,
    regex_src: Option<String>,
    /// Compiled on first use (or at load, when the catalog is fully checked).
    regex: OnceLock<Option<Regex>>,
    pub kind: Kind,
    pub weight: u8,
    subject: Option<String>,
    detail: Option<String>,
    pub summary: Option<String>,
    pub root_cause: Option<String>,
    pub fixes: Vec<FixTemplate>,
    pub next_steps: Vec<String>,
    pub samples: Vec<String>,
    pub not_samples: Vec<String>,
}

/// How much `Catalog::parse_with` checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Checks {
    /// Structure only (ids, kinds, weights, literals); regexes compile on first use.
    Structure,
    /// Everything: regexes compile, templates name captures, samples are matched and won
    /// (what the tests prove of the shipped file).
    #[cfg_attr(not(test), allow(dead_code))]
    Full,
}

/// What an entry found on a line: which entry, and its captures.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Found {
    pub entry: usize,
    pub captures: Vec<(String, String)>,
}

/// The loaded catalog: entries and the literal prefilter over their `contains` texts.
/// Exit-status entries come after the line entries in `entries` and are found by
/// program and code only (`exit_entry`), never by the prefilter.
#[derive(Debug, Default)]
pub(super) struct Catalog {
    pub entries: Vec<Entry>,
    /// For each exit-status entry: its index in `entries` and its codes.
    exits: Vec<(usize, Vec<i32>)>,
    /// Entry indexes by literal (pattern id of `prefilter`).
    by_literal: Vec<Vec<usize>>,
    prefilter: Option<AhoCorasick>,
}

/// The weight a catalog name stands for (the same scale as the hand-written rules).
fn weight(name: &str) -> Option<u8> {
    Some(match name {
        "dominant" => W_DOMINANT,
        "test" => W_TEST,
        "specific" => W_SPECIFIC,
        "strong" => W_STRONG,
        "pattern" => W_PATTERN,
        "context" => W_CONTEXT,
        _ => return None,
    })
}

/// Whether `{s}` is a placeholder: other braces (`jsonpath='{.items}'`) are literal text.
fn is_name(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// The `{name}` placeholders of a template.
fn placeholders(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        let Some(after) = rest.get(i + 1..) else {
            break;
        };
        match after.find('}') {
            Some(j) => {
                out.extend(after.get(..j).filter(|n| is_name(n)));
                rest = after.get(j + 1..).unwrap_or("");
            }
            None => break,
        }
    }
    out
}

impl Catalog {
    /// Parses and validates catalog text: every entry must have a unique id, a known kind or
    /// a category (with a summary), a known weight, a regex that compiles, templates that only
    /// name its captures or the built-ins, and samples it matches (and not-samples it does not).
    #[cfg(test)]
    pub(super) fn parse(text: &str) -> Result<Catalog, String> {
        Catalog::parse_with(text, Checks::Full)
    }

    /// Parses catalog text with the given depth of checks.
    pub(super) fn parse_with(text: &str, checks: Checks) -> Result<Catalog, String> {
        let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut entries = Vec::with_capacity(file.entries.len());
        let mut ids = HashSet::new();
        for raw in file.entries {
            let id = raw.id.clone();
            if !ids.insert(id.clone()) {
                return Err(format!("{id}: the id is used twice"));
            }
            entries.push(Entry::build(raw, checks).map_err(|e| format!("{id}: {e}"))?);
        }
        let mut literals: Vec<String> = Vec::new();
        let mut by_literal: Vec<Vec<usize>> = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            let lit = e.literal().to_string();
            match literals.iter().position(|l| *l == lit) {
                Some(p) => by_literal.get_mut(p).into_iter().for_each(|v| v.push(i)),
                None => {
                    literals.push(lit);
                    by_literal.push(vec![i]);
                }
            }
        }
        let prefilter = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(&literals)
            .map_err(|e| e.to_string())?;
        let lines = entries.len();
        let mut exits = Vec::with_capacity(file.exits.len());
        let mut claimed: HashSet<(String, i32)> = HashSet::new();
        for raw in file.exits {
            let id = raw.id.clone();
            if !ids.insert(id.clone()) {
                return Err(format!("{id}: the id is used twice"));
            }
            for p in &raw.programs {
                for &c in &raw.codes {
                    if !claimed.insert((p.clone(), c)) {
                        return Err(format!("{id}: `{p}` exit {c} has another entry"));
                    }
                }
            }
            let codes = raw.codes.clone();
            exits.push((entries.len(), codes));
            entries.push(Entry::from_exit(raw).map_err(|e| format!("{id}: {e}"))?);
        }
        let catalog = Catalog {
            entries,
            exits,
            by_literal,
            prefilter: Some(prefilter),
        };
        if checks == Checks::Structure {
            return Ok(catalog);
        }
        for (i, e) in catalog.entries.iter().enumerate().take(lines) {
            for s in &e.samples {
                let got = catalog.classify(s, &s.to_ascii_lowercase(), &e.programs);
                if got.as_ref().map(|f| f.entry) != Some(i) {
                    let other = got.map(|f| catalog.entries[f.entry].id.as_str());
                    return Err(format!(
                        "{}: sample {s:?} is not matched by it (winner: {other:?})",
                        e.id
                    ));
                }
            }
            for s in &e.not_samples {
                if e.matches(s, &s.to_ascii_lowercase()).is_some() {
                    return Err(format!("{}: not-sample {s:?} is matched", e.id));
                }
            }
        }
        Ok(catalog)
    }

    /// The heaviest entry (first in file order among equals) that matches `raw` for a
    /// command running `programs` (base names). `lower` is `raw` ASCII-lowercased.
    pub(super) fn classify<S: AsRef<str>>(
        &self,
        raw: &str,
        lower: &str,
        programs: &[S],
    ) -> Option<Found> {
        let pre = self.prefilter.as_ref()?;
        let mut best: Option<(usize, Vec<(String, String)>)> = None;
        let mut seen: Vec<usize> = Vec::new();
        for m in pre.find_overlapping_iter(lower) {
            let Some(cands) = self.by_literal.get(m.pattern().as_usize()) else {
                continue;
            };
            if seen.contains(&m.pattern().as_usize()) {
                continue;
            }
            seen.push(m.pattern().as_usize());
            for &i in cands {
                let Some(e) = self.entries.get(i) else {
                    continue;
                };
                let better = best.as_ref().is_none_or(|(b, _)| {
                    let bw = self.entries.get(*b).map_or(0, |b| b.weight);
                    e.weight > bw || (e.weight == bw && i < *b)
                });
                if !better || !e.applies_to(programs) {
                    continue;
                }
                if let Some(caps) = e.matches(raw, lower) {
                    best = Some((i, caps));
                }
            }
        }
        best.map(|(entry, captures)| Found { entry, captures })
    }

    pub(super) fn entry(&self, i: usize) -> Option<&Entry> {
        self.entries.get(i)
    }

    /// The exit-status entry for `program` (a base name) ending with `code`, if any.
    pub(super) fn exit_entry(&self, program: &str, code: i32) -> Option<usize> {
        self.exits
            .iter()
            .find(|(i, codes)| {
                codes.contains(&code)
                    && self
                        .entries
                        .get(*i)
                        .is_some_and(|e| e.programs.iter().any(|p| p == program))
            })
            .map(|(i, _)| *i)
    }
}

impl Entry {
    fn build(raw: RawEntry, checks: Checks) -> Result<Entry, String> {
        let kind = entry_kind(
            raw.kind.as_deref(),
            raw.category,
            raw.summary.is_some() && raw.root_cause.is_some(),
        )?;
        let weight =
            weight(&raw.weight).ok_or_else(|| format!("unknown weight `{}`", raw.weight))?;
        if raw.contains.is_empty() || raw.contains != raw.contains.to_ascii_lowercase() {
            return Err("`contains` must be non-empty lowercase text".into());
        }
        if raw.samples.is_empty() {
            return Err("an entry needs at least one sample line".into());
        }
        let regex = OnceLock::new();
        if checks == Checks::Structure {
            return Ok(Entry::assemble(raw, kind, weight, regex));
        }
        let compiled = raw
            .regex
            .as_deref()
            .map(Regex::new)
            .transpose()
            .map_err(|e| format!("regex: {e}"))?;
        let names: Vec<&str> = compiled
            .as_ref()
            .map(|r| r.capture_names().flatten().collect())
            .unwrap_or_default();
        let templates = [&raw.subject, &raw.detail, &raw.summary, &raw.root_cause]
            .into_iter()
            .flatten()
            .chain(&raw.next_steps)
            .chain(raw.fixes.iter().map(|f| &f.description))
            .chain(raw.fixes.iter().filter_map(|f| f.command.as_ref()));
        for t in templates {
            for p in placeholders(t) {
                if !names.contains(&p) && !BUILTINS.contains(&p) {
                    return Err(format!("template {t:?} names `{p}`, which is no capture"));
                }
            }
        }
        if raw.fixes.iter().any(|f| f.risk == Risk::High) {
            return Err("the heuristic never proposes a high-risk fix".into());
        }
        let _ = regex.set(compiled);
        Ok(Entry::assemble(raw, kind, weight, regex))
    }

    /// An exit-status entry: programs and codes are required, and its templates may only
    /// use `{program}` and `{status}` (there is no line and no capture).
    fn from_exit(raw: RawExit) -> Result<Entry, String> {
        let kind = entry_kind(
            raw.kind.as_deref(),
            raw.category,
            raw.summary.is_some() && raw.root_cause.is_some(),
        )?;
        if raw.programs.is_empty() || raw.codes.is_empty() {
            return Err("an exit entry needs programs and codes".into());
        }
        if let Some(c) = raw
            .codes
            .iter()
            .find(|c| matches!(c, 0 | 124 | 126 | 127 | 129..=159))
        {
            return Err(format!(
                "exit {c} is the shell's or a signal's, not a tool's"
            ));
        }
        let templates = [&raw.summary, &raw.root_cause]
            .into_iter()
            .flatten()
            .chain(&raw.next_steps)
            .chain(raw.fixes.iter().map(|f| &f.description))
            .chain(raw.fixes.iter().filter_map(|f| f.command.as_ref()));
        for t in templates {
            if let Some(p) = placeholders(t)
                .into_iter()
                .find(|p| !matches!(*p, "program" | "status"))
            {
                return Err(format!(
                    "template {t:?} names `{p}`; an exit entry has only {{program}} and {{status}}"
                ));
            }
        }
        if raw.fixes.iter().any(|f| f.risk == Risk::High) {
            return Err("the heuristic never proposes a high-risk fix".into());
        }
        Ok(Entry {
            id: raw.id,
            toolchain: raw.toolchain,
            contains: String::new(),
            programs: raw.programs,
            regex_src: None,
            regex: OnceLock::new(),
            kind,
            weight: 0,
            subject: None,
            detail: None,
            summary: raw.summary,
            root_cause: raw.root_cause,
            fixes: raw.fixes.into_iter().map(FixTemplate::from).collect(),
            next_steps: raw.next_steps,
            samples: Vec::new(),
            not_samples: Vec::new(),
        })
    }

    fn assemble(raw: RawEntry, kind: Kind, weight: u8, regex: OnceLock<Option<Regex>>) -> Entry {
        Entry {
            id: raw.id,
            toolchain: raw.toolchain,
            contains: raw.contains,
            programs: raw.programs,
            regex_src: raw.regex,
            regex,
            kind,
            weight,
            subject: raw.subject,
            detail: raw.detail,
            summary: raw.summary,
            root_cause: raw.root_cause,
            fixes: raw.fixes.into_iter().map(FixTemplate::from).collect(),
            next_steps: raw.next_steps,
            samples: raw.samples,
            not_samples: raw.not_samples,
        }
    }

    /// Whether this is an exit-status entry (found by program and code, not on a line).
    #[cfg_attr(not(test), allow(dead_code))]
    pub(super) fn is_exit(&self) -> bool {
        self.contains.is_empty()
    }

    /// The lowercase literal every matching line contains.
    fn literal(&self) -> &str {
        &self.contains
    }

    /// Whether the entry applies to a command running `programs` (base names).
    fn applies_to<S: AsRef<str>>(&self, programs: &[S]) -> bool {
        self.programs.is_empty()
            || programs
                .iter()
                .any(|p| self.programs.iter().any(|q| q == p.as_ref()))
    }

    /// The captures when the entry matches the line (its literal, then its regex if any).
    fn matches(&self, raw: &str, lower: &str) -> Option<Vec<(String, String)>> {
        if !lower.contains(self.contains.as_str()) {
            return None;
        }
        let Some(src) = &self.regex_src else {
            return Some(Vec::new());
        };
        // A regex that does not compile matches nothing (the tests prove none is shipped).
        let re = self.regex.get_or_init(|| Regex::new(src).ok()).as_ref()?;
        let caps = re.captures(raw)?;
        Some(
            re.capture_names()
                .flatten()
                .filter_map(|n| Some((n.to_string(), caps.name(n)?.as_str().trim().to_string())))
                .collect(),
        )
    }

    /// The subject the entry extracts (its `subject` template filled in), if any.
    pub(super) fn subject(&self, found: &Found) -> Option<String> {
        let t = self.subject.as_deref()?;
        Some(fill_with(
            t,
            &found.captures,
            &Builtins::default(),
            false,
            "",
        ))
        .filter(|s| !s.is_empty())
    }

    /// The detail the entry extracts, if any.
    pub(super) fn detail(&self, found: &Found) -> Option<String> {
        let t = self.detail.as_deref()?;
        Some(fill_with(
            t,
            &found.captures,
            &Builtins::default(),
            false,
            "",
        ))
        .filter(|s| !s.is_empty())
    }
}

/// The values of the built-in placeholders.
#[derive(Debug, Default)]
pub(super) struct Builtins<'a> {
    pub program: &'a str,
    pub status: &'a str,
    pub line: &'a str,
}

/// `template` with each `{name}` replaced by its capture or built-in; in a shell command
/// (`quote`) every substituted value is shell-quoted. A capture that did not take part is
/// left as `?`.
pub(super) fn fill(
    template: &str,
    captures: &[(String, String)],
    builtins: &Builtins<'_>,
    quote: bool,
) -> String {
    fill_with(template, captures, builtins, quote, "?")
}

/// [`fill`], writing `missing` for a capture that did not take part (a subject built from
/// alternatives, `{path}{abs}`, uses the empty string).
fn fill_with(
    template: &str,
    captures: &[(String, String)],
    builtins: &Builtins<'_>,
    quote: bool,
    missing: &str,
) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(rest.get(..i).unwrap_or(""));
        let after = rest.get(i + 1..).unwrap_or("");
        let Some(j) = after.find('}') else {
            out.push_str(rest.get(i..).unwrap_or(""));
            return out;
        };
        let name = after.get(..j).unwrap_or("");
        if !is_name(name) {
            out.push('{');
            rest = after;
            continue;
        }
        let value = match name {
            "program" => Some(builtins.program),
            "status" => Some(builtins.status),
            "line" => Some(builtins.line),
            _ => captures
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str()),
        };
        let value = value.filter(|v| !v.is_empty()).unwrap_or(missing);
        if value.is_empty() {
        } else if quote {
            out.push_str(&shell_quote(value));
        } else {
            out.push_str(value);
        }
        rest = after.get(j + 1..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// The base names of the programs a command line may run: every word, unquoted (a
/// program filter only needs to know whether `psql` appears as a word of the command).
pub(super) fn command_programs(command: &str) -> Vec<&str> {
    command
        .split(|c: char| c.is_whitespace() || matches!(c, ';' | '|' | '&' | '(' | ')' | '`'))
        .map(|w| w.trim_matches(|c: char| matches!(c, '\'' | '"' | '$')))
        .filter(|w| !w.is_empty() && !w.starts_with('-'))
        .map(base_name)
        .collect()
}
