//! The shape of a compiler's, checker's or parser's diagnostic line: where it points, how
//! severe it says it is, and its message. Pure and tool-agnostic; `rules` reads the message
//! and the file's kind to decide the class.

use super::tables::{file_kind, FileKind};

/// How a diagnostic marks itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Severity {
    /// `error`, `fatal error`, `Fatal`, `[error]`.
    Error,
    /// A linter's rule code (`F401`, `E501`, `SIM102`) or eslint's `error` column.
    Lint,
    /// A location and a message with no severity word (`api.proto:5:3: Expected ";".`).
    Unmarked,
}

/// One diagnostic line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Diagnostic<'a> {
    /// The source position (`src/a.c:3:5`, `app.ts(4,2)`), when the line has one.
    pub loc: Option<&'a str>,
    pub severity: Severity,
    /// The message; empty when it follows on the next lines (GHC's `Main.hs:4:15: error:`).
    pub msg: &'a str,
}

/// The diagnostic `raw` is, if any. Warnings, notes and hints are not: they never explain a
/// failure on their own.
pub(super) fn parse(raw: &str) -> Option<Diagnostic<'_>> {
    stylish(raw)
        .or_else(|| prefixed(raw))
        .or_else(|| located(raw))
}

/// eslint's stylish rows under a file name: `2:20  error  Parsing error: …  rule-id`.
fn stylish(raw: &str) -> Option<Diagnostic<'_>> {
    let (pos, rest) = raw.split_once(char::is_whitespace)?;
    let (l, c) = pos.split_once(':')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(l) || !digits(c) {
        return None;
    }
    let msg = rest.trim_start().strip_prefix("error")?;
    msg.starts_with(char::is_whitespace).then(|| Diagnostic {
        loc: None,
        severity: Severity::Lint,
        msg: msg.trim(),
    })
}

/// A severity first, then the location: `ERROR: /x/rules.pl:2:17: Syntax error: …`,
/// `error: logrotate.conf:3 bad rotation count 'seven'`.
fn prefixed(raw: &str) -> Option<Diagnostic<'_>> {
    let (head, rest) = raw.split_once(": ")?;
    if !matches!(head, "error" | "ERROR" | "Error" | "fatal" | "FATAL") {
        return None;
    }
    let end = rest.find([' ', '\t']).unwrap_or(rest.len());
    let token = rest.get(..end)?;
    let loc = token.trim_end_matches(':');
    if !looks_like_location(loc) {
        return None;
    }
    Some(Diagnostic {
        loc: Some(loc),
        severity: Severity::Error,
        msg: rest.get(end..).unwrap_or("").trim(),
    })
}

/// The location first: `a.c:3:5: error: …`, `Main.hs:4:15: error:`, `env.ts:2:14 - error
/// TS2322: …`, `report.pas(5,3) Fatal: …`, `rules.nft:4:25-30: Error: …`, `ci.yml:10:8:
/// [error] …`, `tasks.py:5:12: F821 …`, `api.proto:5:3: Expected ";".`.
fn located(raw: &str) -> Option<Diagnostic<'_>> {
    let end = raw.find([' ', '\t']).unwrap_or(raw.len());
    let head = raw.get(..end)?;
    let loc = head.trim_end_matches(':');
    if !looks_like_location(loc) {
        return None;
    }
    let tail = raw.get(end..).unwrap_or("").trim_start();
    let tail = tail.strip_prefix("- ").unwrap_or(tail);
    if tail.is_empty() {
        // A bare location: the message is on a later line (`bare_location` reads those).
        return None;
    }
    let lower = tail.to_ascii_lowercase();
    for quiet in [
        "warning",
        "[warning]",
        "note",
        "info",
        "[info]",
        "hint",
        "remark",
    ] {
        if lower.starts_with(quiet) {
            return None;
        }
    }
    for marker in ["fatal error", "error", "fatal", "[error]"] {
        if let Some(rest) = lower.strip_prefix(marker) {
            // "error:" / "error TS2322:" / "Fatal:", not a word that merely begins so.
            if rest.is_empty() || rest.starts_with([':', ' ']) {
                // "error: msg" gives "msg"; "error TS2322: msg" keeps its code's word.
                let msg = if marker == "error" && rest.starts_with(' ') {
                    tail
                } else {
                    tail.get(marker.len()..).unwrap_or("")
                };
                return Some(Diagnostic {
                    loc: Some(loc),
                    severity: Severity::Error,
                    msg: msg.trim_start_matches(':').trim(),
                });
            }
        }
    }
    let (code, rest) = tail.split_once(' ').unwrap_or((tail, ""));
    if is_rule_code(code) {
        let rest = rest.trim_start();
        let rest = rest.strip_prefix("[*]").unwrap_or(rest);
        return Some(Diagnostic {
            loc: Some(loc),
            severity: Severity::Lint,
            msg: rest.trim(),
        });
    }
    Some(Diagnostic {
        loc: Some(loc),
        severity: Severity::Unmarked,
        msg: tail,
    })
}

/// A linter's rule code: one to four capitals, then two to four digits (`F401`, `E501`,
/// `W0612`, `SIM102`, `I001`).
fn is_rule_code(s: &str) -> bool {
    let letters = s.bytes().take_while(u8::is_ascii_uppercase).count();
    let digits = s.len() - letters;
    (1..=4).contains(&letters)
        && (2..=4).contains(&digits)
        && s.bytes().skip(letters).all(|b| b.is_ascii_digit())
}

/// A line that is only a source location, whose message follows a few lines later
/// (gfortran's `solver.f90:5:3:`, OCaml's `File "x.ml", line 1, characters 17-23:`), as
/// `file:line`.
pub(super) fn bare_location(raw: &str) -> Option<String> {
    if let Some(rest) = raw.strip_prefix("File \"") {
        let (file, rest) = rest.split_once("\", line ")?;
        if !raw.ends_with(':') || !rest.contains("characters") {
            return None;
        }
        let line: String = rest.chars().take_while(char::is_ascii_digit).collect();
        return (!line.is_empty()).then(|| format!("{file}:{line}"));
    }
    let loc = raw.strip_suffix(':')?;
    looks_like_location(loc).then(|| loc.to_string())
}

/// "main.c:4:5", "src/app.ts(3,5)", "Calc.java:4", "rules.nft:4:25-30": a source position
/// (a file name with an extension, then a line number).
pub(super) fn looks_like_location(loc: &str) -> bool {
    let loc = loc.trim();
    if loc.is_empty() || loc.contains(' ') {
        return false;
    }
    let has_ext = loc
        .split([':', '('])
        .next()
        .is_some_and(|f| f.contains('.'));
    let has_num = loc
        .split([':', '(', ',', ')'])
        .skip(1)
        .any(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    has_ext && has_num
}

/// Whether a message says its input did not parse, in any tool's words. `loose` also takes
/// a parser's bare "expected …" (`Expected ";".`, `'}' expected.`), which only a line already
/// known to be a diagnostic may use: elsewhere "expected 4, got 5" is a test's output.
pub(super) fn says_parse_error(lower: &str, loose: bool) -> bool {
    if !(lower.contains("pars") || lower.contains("syntax") || lower.contains("expected")) {
        return false;
    }
    const PHRASES: [&str; 14] = [
        "syntax error",
        "parse error",
        "parsing error",
        "invalid syntax",
        "invalid-syntax",
        "unexpected token",
        "unexpected end of",
        "unexpected eof",
        "unexpected closing",
        "unexpected character",
        "cannot parse",
        "could not parse",
        "failed to parse",
        "unable to parse",
    ];
    let expected_token = lower
        .strip_prefix("expected ")
        .and_then(|r| r.chars().next())
        .is_some_and(super::text::is_quote);
    PHRASES.iter().any(|p| lower.contains(p))
        || unexpected_quoted(lower)
        || (loose && (expected_token || lower.trim_end_matches('.').ends_with(" expected")))
}

/// "unexpected '}'", `unexpected "}"`, "unexpected `fi'": a parser naming the token it
/// did not expect.
pub(super) fn unexpected_quoted(lower: &str) -> bool {
    lower.match_indices("unexpected ").any(|(i, m)| {
        lower
            .get(i + m.len()..)
            .and_then(|r| r.chars().next())
            .is_some_and(super::text::is_quote)
    })
}

/// The kind of file a diagnostic points into (see [`file_kind`]).
pub(super) fn kind_of(loc: Option<&str>) -> FileKind {
    loc.map_or(FileKind::Other, file_kind)
}
