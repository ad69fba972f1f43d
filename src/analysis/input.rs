//! Bounded, cleaned view of a command's output: the tail of each stream, split into lines.

use std::borrow::Cow;

use super::{AnalyzerLimits, FailureContext};

/// One non-empty output line, trimmed, without ANSI codes.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Line<'a> {
    pub text: Cow<'a, str>,
    /// Whether the raw line started with whitespace (source excerpts, stack frames).
    pub indented: bool,
}

/// Stderr lines first (errors usually live there), then stdout lines, each stream capped.
pub(super) fn collect<'a>(ctx: &FailureContext<'a>, limits: &AnalyzerLimits) -> Vec<Line<'a>> {
    let mut out = Vec::new();
    for stream in [ctx.stderr, ctx.stdout] {
        push_lines(&mut out, stream, limits);
    }
    out
}

fn push_lines<'a>(out: &mut Vec<Line<'a>>, stream: &'a str, limits: &AnalyzerLimits) {
    // Keep the head as well as the tail: some tools (the JVM, pytest's collection errors)
    // print the decisive line first and then pages of frames.
    let head_lines = limits.max_lines / 4;
    let (head, body) = if stream.len() > limits.max_stream_bytes {
        let head = head_part(stream, limits.max_stream_bytes / 4);
        let rest = limits.max_stream_bytes.saturating_sub(head.len());
        (head, tail(stream, rest))
    } else {
        ("", stream)
    };
    let mut raw: Vec<&'a str> = head.split('\n').take(head_lines).collect();
    if head.is_empty() && body.split('\n').count() > limits.max_lines {
        raw.extend(body.split('\n').take(head_lines));
    }
    let budget = limits.max_lines.saturating_sub(raw.len());
    let start = raw.len();
    raw.extend(body.rsplit('\n').take(budget));
    raw[start..].reverse();
    out.extend(
        raw.into_iter()
            .filter_map(|r| clean(r, limits.max_line_bytes)),
    );
}

/// The first `max` bytes of `s`, ending after the last complete line.
fn head_part(s: &str, max: usize) -> &str {
    let h = cut(s, max);
    match h.rfind('\n') {
        Some(i) => h.get(..i).unwrap_or(""),
        None => "",
    }
}

/// The last `max` bytes of `s`, starting at a character boundary and, when the cut falls
/// inside a line, at the next line start.
pub(super) fn tail(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut start = s.len() - max;
    while !s.is_char_boundary(start) {
        start += 1;
    }
    let rest = s.get(start..).unwrap_or("");
    match rest.find('\n') {
        Some(nl) if nl + 1 < rest.len() => rest.get(nl + 1..).unwrap_or(rest),
        _ => rest,
    }
}

/// `s` cut to at most `max` bytes at a character boundary.
pub(super) fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or("")
}

fn clean(raw: &str, max_line_bytes: usize) -> Option<Line<'_>> {
    let raw = raw.strip_suffix('\r').unwrap_or(raw);
    // A progress bar redraws with '\r': only the last redraw is what the user saw.
    let raw = match raw.rfind('\r') {
        Some(i) => raw.get(i + 1..).unwrap_or(raw),
        None => raw,
    };
    let indented = raw.starts_with(char::is_whitespace);
    let text: Cow<'_, str> = if raw.contains('\u{1b}') {
        Cow::Owned(strip_ansi(raw))
    } else {
        Cow::Borrowed(raw)
    };
    let trimmed_len = {
        let t = undecorated(text.trim());
        if t.is_empty() {
            return None;
        }
        cut(t, max_line_bytes).len()
    };
    let text = match text {
        Cow::Borrowed(b) => Cow::Borrowed(cut(undecorated(b.trim()), max_line_bytes)),
        Cow::Owned(o) => {
            let t = undecorated(o.trim());
            Cow::Owned(t.get(..trimmed_len).unwrap_or(t).to_string())
        }
    };
    Some(Line { text, indented })
}

/// `line` without what a tool draws in front of a message: box drawing and arrows
/// (`│ `, `╭─[`, `——▶ `, `➜ `) and pytest's `E   ` marker of an error's own lines, so that
/// the message is matched from its start (and stays a verbatim part of the output).
pub(super) fn undecorated(line: &str) -> &str {
    let line = match line.strip_prefix("E  ") {
        Some(rest) => rest.trim_start(),
        None => line,
    };
    let drawn = |c: char| matches!(c, '\u{2500}'..='\u{257f}' | '—' | '▶' | '►' | '→' | '➜');
    if !line.starts_with(drawn) {
        return line;
    }
    line.trim_start_matches(|c: char| drawn(c) || c == ' ' || c == '[')
}

/// Removes CSI (`ESC [ … final`) and OSC (`ESC ] … BEL|ESC \`) sequences.
pub(super) fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        match chars.peek() {
            Some('[') => {
                chars.next();
                for n in chars.by_ref() {
                    if ('@'..='~').contains(&n) {
                        break;
                    }
                }
            }
            Some(']') => {
                chars.next();
                while let Some(n) = chars.next() {
                    if n == '\u{7}' {
                        break;
                    }
                    if n == '\u{1b}' {
                        chars.next();
                        break;
                    }
                }
            }
            Some(_) => {
                chars.next();
            }
            None => {}
        }
    }
    out
}
