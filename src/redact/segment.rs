//! Segmentation: cuts a byte stream into the units that rules match within. The cut points
//! depend only on the bytes from the start of a segment up to a bounded distance ahead, so a
//! streaming caller and a whole-buffer caller cut at exactly the same places.

use memchr::memmem;

/// A line longer than this without a terminator is cut at its last separator in the window.
pub(super) const LINE_MAX: usize = 8 * 1024;
/// A run with no separator at all is cut hard here (never inside a UTF-8 character).
pub(super) const HARD_MAX: usize = 32 * 1024;
/// A private-key block is held at most this long waiting for its END marker.
pub(super) const BLOCK_MAX: usize = 16 * 1024;

/// What kind of unit a segment is, which decides how it is redacted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SegKind {
    /// A line (ending at `\n` or `\r`), or a piece of an over-long line.
    Line,
    /// A line holding a `BEGIN ... PRIVATE KEY` marker plus everything up to the END marker.
    Block {
        /// The END marker was found.
        terminated: bool,
        /// The block ended only because input ended (not at the cap): a stream may resume it.
        open: bool,
    },
    /// The rest of a block that a stream's idle flush cut before its END marker.
    BlockCont {
        /// The END marker was found.
        terminated: bool,
        /// Input ended before END or the budget: the block is still open.
        open: bool,
    },
}

fn is_terminator(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

pub(super) fn is_separator(b: u8) -> bool {
    matches!(
        b,
        b'\n' | b'\r' | b' ' | b'\t' | b',' | b';' | b'"' | b'\'' | b'&' | b'|'
    )
}

/// Returns the end of the first `-----BEGIN ... PRIVATE KEY-----` marker in `buf`.
pub(super) fn find_pem_begin(buf: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = memmem::find(&buf[from..], b"-----BEGIN ") {
        let at = from + i;
        if let Some(end) = parse_marker(buf, at + b"-----BEGIN ".len()) {
            return Some(end);
        }
        from = at + 1;
    }
    None
}

/// Returns the end of a `-----BEGIN ... PRIVATE KEY-----` marker in `line` when the line opens a
/// multi-line block (the matching END marker is not on the same line).
pub(super) fn pem_begin_open(line: &[u8]) -> Option<usize> {
    let end = find_pem_begin(line)?;
    match find_pem_end(&line[end..]) {
        Some(_) => None,
        None => Some(end),
    }
}

/// Finds the first `-----END ... PRIVATE KEY-----` marker: (start, end).
pub(super) fn find_pem_end(buf: &[u8]) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(i) = memmem::find(&buf[from..], b"-----END ") {
        let at = from + i;
        if let Some(end) = parse_marker(buf, at + b"-----END ".len()) {
            return Some((at, end));
        }
        from = at + 1;
    }
    None
}

/// Parses `[A-Z0-9 ]{0,40}PRIVATE KEY( BLOCK)?-----` starting at `at`; returns the end offset.
fn parse_marker(buf: &[u8], at: usize) -> Option<usize> {
    let rest = buf.get(at..)?;
    let window = &rest[..rest.len().min(48 + 11)];
    let k = memmem::find(window, b"PRIVATE KEY")?;
    if k > 40
        || !window[..k]
            .iter()
            .all(|&b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b' ')
    {
        return None;
    }
    let mut end = at + k + b"PRIVATE KEY".len();
    if buf[end..].starts_with(b" BLOCK") {
        end += b" BLOCK".len();
    }
    if buf[end..].starts_with(b"-----") {
        Some(end + 5)
    } else {
        None
    }
}

/// Cuts the next segment off the front of `buf`.
///
/// `eof` says no more bytes will follow; `cont` is `Some(budget)` when a stream resumes a
/// private-key block that an idle flush cut. Returns `None` when more input is needed; otherwise
/// the segment's length (always at least 1) and kind.
pub(super) fn next_segment(buf: &[u8], eof: bool, cont: Option<usize>) -> Option<(usize, SegKind)> {
    if buf.is_empty() {
        return None;
    }
    if let Some(budget) = cont {
        return block_tail(buf, 0, budget.max(1), eof, true);
    }
    let win = buf.len().min(LINE_MAX);
    if let Some(i) = buf[..win].iter().position(|&b| is_terminator(b)) {
        let line = &buf[..=i];
        if pem_begin_open(line).is_some() {
            return block_tail(buf, i + 1, BLOCK_MAX, eof, false);
        }
        return Some((i + 1, SegKind::Line));
    }
    if buf.len() < LINE_MAX {
        return eof.then_some((buf.len(), SegKind::Line));
    }
    if let Some(c) = buf[..LINE_MAX].iter().rposition(|&b| is_separator(b)) {
        return Some((c + 1, SegKind::Line));
    }
    let w2 = buf.len().min(HARD_MAX);
    if let Some(c) = buf[LINE_MAX..w2].iter().position(|&b| is_separator(b)) {
        return Some((LINE_MAX + c + 1, SegKind::Line));
    }
    if buf.len() >= HARD_MAX {
        return Some((utf8_floor(buf, HARD_MAX), SegKind::Line));
    }
    eof.then_some((buf.len(), SegKind::Line))
}

/// The rest of a private-key block: up to the END marker, the cap, or the end of input.
fn block_tail(
    buf: &[u8],
    body_from: usize,
    cap: usize,
    eof: bool,
    cont: bool,
) -> Option<(usize, SegKind)> {
    let kind = |terminated, open| {
        if cont {
            SegKind::BlockCont { terminated, open }
        } else {
            SegKind::Block { terminated, open }
        }
    };
    let window = buf.len().min(cap);
    let from = body_from.min(window);
    if let Some((_, end)) = find_pem_end(&buf[from..window]) {
        return Some((from + end, kind(true, false)));
    }
    if buf.len() >= cap {
        // Cap reached: end at the last line break inside the cap so the cut stays tidy.
        let cut = buf[from..cap]
            .iter()
            .rposition(|&b| is_terminator(b))
            .map_or(cap, |i| from + i + 1);
        return Some((cut.max(1), kind(false, false)));
    }
    eof.then_some((buf.len(), kind(false, true)))
}

/// Largest index `<= at` that does not split a UTF-8 character (looks back at most 3 bytes).
fn utf8_floor(buf: &[u8], at: usize) -> usize {
    let mut i = at.min(buf.len());
    let lowest = i.saturating_sub(3);
    while i > lowest && i < buf.len() && (buf[i] & 0xC0) == 0x80 {
        i -= 1;
    }
    if i == 0 {
        at
    } else {
        i
    }
}
