//! Patch parsing and application: unified diffs (`diff -u`, `git diff`) and the
//! `*** Begin Patch` envelope that coding agents emit, applied all-or-nothing with a conflict
//! report that a person (or a model) can act on.
//!
//! This module never touches the filesystem. It takes text and returns text: the caller reads
//! each file, confines every path to the workspace, and writes results only once every file's
//! hunks applied. Keeping I/O out makes "does this patch fit?" a pure decision that tests can
//! feed with real patches, and means a half-applied patch cannot reach the disk from here.

use std::cmp::Reverse;
use std::collections::HashSet;
use std::fmt;

const BEGIN_PATCH: &str = "*** Begin Patch";
const END_PATCH: &str = "*** End Patch";
const ADD_FILE: &str = "*** Add File:";
const DELETE_FILE: &str = "*** Delete File:";
const UPDATE_FILE: &str = "*** Update File:";
const MOVE_TO: &str = "*** Move to:";
const END_OF_FILE: &str = "*** End of File";

/// Above this many line comparisons (file lines × expected lines) a conflict report skips its
/// "closest place" hint: the hint is a courtesy and must not make a failure slow.
const HINT_BUDGET: usize = 4_000_000;

/// Which patch syntax the text is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PatchFormat {
    /// The envelope if the first non-blank line (after an optional heredoc line) is
    /// `*** Begin Patch`, otherwise a unified diff.
    #[default]
    Auto,
    /// `diff -u` / `git diff` output.
    Unified,
    /// The `*** Begin Patch` … `*** End Patch` envelope.
    Envelope,
}

/// What a patch does to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilePatch {
    /// The file as the patch names it (trimmed, `a/`/`b/` prefix removed); the caller confines
    /// it to the workspace.
    pub path: String,
    pub op: PatchOp,
}

/// The change to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatchOp {
    /// Create a file that must not exist yet, with this content.
    Add { content: String },
    /// Remove a file that must exist.
    Delete,
    /// Change an existing file, optionally renaming it.
    Update {
        hunks: Vec<Hunk>,
        move_to: Option<String>,
    },
}

/// One contiguous change: the lines expected in the file and the lines that replace them.
///
/// Lines carry no terminator; a trailing CR (a diff of a CRLF file) is ignored when applying,
/// because the file's own line ending decides what is written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Hunk {
    /// 1-based line where the old lines begin in the original file, as a unified hunk header
    /// states it (for a pure insertion: the line the new lines go before). `None` for
    /// envelope chunks, which are found by searching instead.
    pub old_start: Option<usize>,
    /// Envelope `@@ text` header: the search first moves past the first line equal to it.
    pub context: Option<String>,
    /// Context and removed lines, in order.
    pub old_lines: Vec<String>,
    /// Context and added lines, in order.
    pub new_lines: Vec<String>,
    /// The old lines must end at the end of the file (envelope `*** End of File`; a missing
    /// newline marker implies it too).
    pub end_of_file: bool,
    /// The old side's last line has no newline (`\ No newline at end of file`).
    pub old_missing_newline: bool,
    /// The new side's last line has no newline: the result ends without one.
    pub new_missing_newline: bool,
}

/// A patch text that cannot be understood; `line` is 1-based in the patch text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

impl ParseError {
    fn new(line: usize, message: impl Into<String>) -> Self {
        Self {
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "patch line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

/// A hunk that does not apply to the file's current content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// 1-based index of the hunk in this file's patch.
    pub hunk: usize,
    /// 1-based line in the file where the hunk was expected (its stated start, or where the
    /// search began).
    pub line: usize,
    /// The lines the hunk expected to find (context and removed lines).
    pub expected: Vec<String>,
    /// What the file has there instead (same number of lines or fewer at EOF).
    pub found: Vec<String>,
    /// A sentence saying what did not match, and where the closest candidate is.
    pub message: String,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Conflict {}

/// How one file's hunks applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The file's new content.
    pub content: String,
    /// Per hunk: line offset from its stated position (0 for envelope chunks found where
    /// searched).
    pub offsets: Vec<isize>,
    /// Whether a whitespace-tolerant match was needed for any hunk.
    pub fuzzy: bool,
}

/// Parse a patch into per-file operations, checking paths (non-empty, no NUL, each named once).
pub fn parse(text: &str, format: PatchFormat) -> Result<Vec<FilePatch>, ParseError> {
    let lines = split_patch_lines(text);
    let envelope = match format {
        PatchFormat::Auto => looks_like_envelope(&lines),
        PatchFormat::Unified => false,
        PatchFormat::Envelope => true,
    };
    let files = if envelope {
        parse_envelope(&lines)?
    } else {
        parse_unified(&lines)?
    };
    validate(files)
}

/// Apply one file's hunks to its current content (all hunks or none).
///
/// Every hunk is located in the original text before anything is changed, so a later hunk
/// that does not fit leaves no partial result behind.
pub fn apply(original: &str, hunks: &[Hunk]) -> Result<Applied, Conflict> {
    let file = FileText::split(original);
    let texts: Vec<&str> = file.lines.iter().map(|&(text, _)| text).collect();
    let mut placements = Vec::with_capacity(hunks.len());
    let mut floor = 0;
    for (index, hunk) in hunks.iter().enumerate() {
        let placed = match hunk.old_start {
            Some(stated) => locate_numbered(&texts, hunk, stated, floor, index + 1)?,
            None => locate_searched(&texts, hunk, floor, index + 1)?,
        };
        floor = placed.start + hunk.old_lines.len();
        placements.push(placed);
    }
    Ok(Applied {
        content: assemble(&file, hunks, &placements),
        offsets: placements.iter().map(|p| p.offset).collect(),
        fuzzy: placements.iter().any(|p| p.fuzzy),
    })
}

// ---------------------------------------------------------------------------------------------
// Shared parsing helpers
// ---------------------------------------------------------------------------------------------

/// A parsed file operation and the patch line that introduced it, for error messages.
struct Located {
    line: usize,
    patch: FilePatch,
}

impl Located {
    fn new(line: usize, path: impl Into<String>, op: PatchOp) -> Self {
        Self {
            line,
            patch: FilePatch {
                path: path.into(),
                op,
            },
        }
    }
}

/// Splits the patch into lines. A CR before each LF is dropped only when the patch itself
/// travelled with CRLF endings (its first line has one): otherwise a CR belongs to the content
/// of a CRLF file and an added file must keep it.
fn split_patch_lines(text: &str) -> Vec<&str> {
    let body = text.strip_suffix('\n').unwrap_or(text);
    if body.is_empty() {
        return Vec::new();
    }
    let crlf = body
        .split('\n')
        .find(|line| !line.is_empty())
        .is_some_and(|line| line.ends_with('\r'));
    body.split('\n')
        .map(|line| if crlf { strip_cr(line) } else { line })
        .collect()
}

fn strip_cr(line: &str) -> &str {
    line.strip_suffix('\r').unwrap_or(line)
}

fn next_non_blank(lines: &[&str], from: usize) -> Option<usize> {
    (from..lines.len()).find(|&i| !lines[i].trim().is_empty())
}

/// Trims paths, rejects empty ones and NUL bytes, drops a rename onto the same name, and
/// refuses a patch that names one file twice (the result would depend on the order).
fn validate(files: Vec<Located>) -> Result<Vec<FilePatch>, ParseError> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(files.len());
    for Located { line, mut patch } in files {
        patch.path = checked_path(&patch.path, line)?;
        if let PatchOp::Update { move_to, .. } = &mut patch.op {
            if let Some(target) = move_to.as_deref() {
                let target = checked_path(target, line)?;
                *move_to = (target != patch.path).then_some(target);
            }
        }
        for path in touched_paths(&patch) {
            if !seen.insert(path.to_string()) {
                return Err(ParseError::new(
                    line,
                    format!("`{path}` appears more than once in this patch"),
                ));
            }
        }
        out.push(patch);
    }
    Ok(out)
}

fn checked_path(raw: &str, line: usize) -> Result<String, ParseError> {
    let path = raw.trim();
    if path.is_empty() {
        return Err(ParseError::new(line, "empty file path"));
    }
    if path.contains('\0') {
        return Err(ParseError::new(line, "file path contains a NUL byte"));
    }
    Ok(path.to_string())
}

fn touched_paths(patch: &FilePatch) -> Vec<&str> {
    let mut paths = vec![patch.path.as_str()];
    if let PatchOp::Update {
        move_to: Some(target),
        ..
    } = &patch.op
    {
        paths.push(target);
    }
    paths
}

// ---------------------------------------------------------------------------------------------
// Envelope (`*** Begin Patch`)
// ---------------------------------------------------------------------------------------------

/// The index of the first significant line and the heredoc delimiter, if an
/// `apply_patch <<'EOF'` line comes first.
fn envelope_opening<'a>(lines: &[&'a str]) -> Option<(usize, Option<&'a str>)> {
    let first = next_non_blank(lines, 0)?;
    match heredoc_delimiter(lines[first]) {
        Some(delimiter) => Some((next_non_blank(lines, first + 1)?, Some(delimiter))),
        None => Some((first, None)),
    }
}

fn looks_like_envelope(lines: &[&str]) -> bool {
    envelope_opening(lines).is_some_and(|(at, _)| lines[at].trim() == BEGIN_PATCH)
}

/// The word after `<<` (`<<EOF`, `<<'EOF'`, `<<-"EOF"`), which the heredoc's last line repeats.
fn heredoc_delimiter(line: &str) -> Option<&str> {
    let (_, rest) = line.split_once("<<")?;
    let word = rest
        .trim_start()
        .trim_start_matches('-')
        .split_whitespace()
        .next()?
        .trim_matches(|c| c == '\'' || c == '"');
    let plain = word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    (!word.is_empty() && plain).then_some(word)
}

fn parse_envelope(lines: &[&str]) -> Result<Vec<Located>, ParseError> {
    let (begin, delimiter) = envelope_opening(lines)
        .ok_or_else(|| ParseError::new(1, format!("empty patch: no `{BEGIN_PATCH}`")))?;
    let first = lines[begin].trim();
    if first != BEGIN_PATCH {
        return Err(ParseError::new(
            begin + 1,
            format!("expected `{BEGIN_PATCH}`, found `{first}`"),
        ));
    }
    let (files, end) = parse_envelope_body(lines, begin + 1)?;
    reject_text_after_end(lines, end, delimiter)?;
    if files.is_empty() {
        return Err(ParseError::new(
            begin + 1,
            format!("empty patch: no file operations between `{BEGIN_PATCH}` and `{END_PATCH}`"),
        ));
    }
    Ok(files)
}

/// Reads file sections up to `*** End Patch`; returns them and the index of that line.
fn parse_envelope_body(lines: &[&str], from: usize) -> Result<(Vec<Located>, usize), ParseError> {
    let mut files = Vec::new();
    let mut at = from;
    while let Some(line) = lines.get(at) {
        let line = line.trim_end();
        if line == END_PATCH {
            return Ok((files, at));
        }
        if line.is_empty() {
            at += 1;
            continue;
        }
        let (file, next) = parse_envelope_file(lines, at)?;
        files.push(file);
        at = next;
    }
    Err(ParseError::new(
        lines.len().max(1),
        format!("missing `{END_PATCH}`: the patch ends without it"),
    ))
}

/// Text after the end marker may be a half-pasted second patch: refuse rather than guess.
fn reject_text_after_end(
    lines: &[&str],
    end: usize,
    delimiter: Option<&str>,
) -> Result<(), ParseError> {
    for (at, line) in lines.iter().enumerate().skip(end + 1) {
        let line = line.trim();
        if line.is_empty() || delimiter == Some(line) {
            continue;
        }
        return Err(ParseError::new(
            at + 1,
            format!("unexpected text after `{END_PATCH}`: `{line}`"),
        ));
    }
    Ok(())
}

/// Parses one `*** Add/Delete/Update File:` section starting at `at`; returns it and the
/// index of the next section's first line.
fn parse_envelope_file(lines: &[&str], at: usize) -> Result<(Located, usize), ParseError> {
    let line = lines[at].trim_end();
    if let Some(path) = line.strip_prefix(ADD_FILE) {
        let end = section_end(lines, at + 1);
        let content = added_content(lines, at + 1, end)?;
        return Ok((Located::new(at + 1, path, PatchOp::Add { content }), end));
    }
    if let Some(path) = line.strip_prefix(DELETE_FILE) {
        let end = section_end(lines, at + 1);
        if let Some(stray) = (at + 1..end).find(|&i| !lines[i].trim().is_empty()) {
            return Err(ParseError::new(
                stray + 1,
                format!("`{DELETE_FILE}` takes no lines; found `{}`", lines[stray]),
            ));
        }
        return Ok((Located::new(at + 1, path, PatchOp::Delete), end));
    }
    if let Some(path) = line.strip_prefix(UPDATE_FILE) {
        return parse_envelope_update(lines, at, path);
    }
    if line.starts_with(MOVE_TO) {
        return Err(ParseError::new(
            at + 1,
            format!("`{MOVE_TO}` must directly follow `{UPDATE_FILE}`"),
        ));
    }
    Err(ParseError::new(
        at + 1,
        format!(
            "expected `{ADD_FILE}`, `{UPDATE_FILE}`, `{DELETE_FILE}` or `{END_PATCH}`, \
             found `{line}`"
        ),
    ))
}

/// The index of the next `*** ` directive that starts a section (or ends the patch).
fn section_end(lines: &[&str], from: usize) -> usize {
    (from..lines.len())
        .find(|&i| lines[i].starts_with("*** ") && lines[i].trim_end() != END_OF_FILE)
        .unwrap_or(lines.len())
}

/// An added file's text: every line ends with a newline. A blank line without its `+` is
/// taken as an empty line, except at the end of the section, where it is spacing.
fn added_content(lines: &[&str], from: usize, to: usize) -> Result<String, ParseError> {
    let last = (from..to)
        .rev()
        .find(|&i| !lines[i].trim().is_empty())
        .map_or(from, |i| i + 1);
    let mut content = String::new();
    for (at, line) in lines.iter().enumerate().take(last).skip(from) {
        let text = match line.strip_prefix('+') {
            Some(text) => text,
            None if line.trim().is_empty() => "",
            None => {
                return Err(ParseError::new(
                    at + 1,
                    format!("lines of an added file must start with '+', found `{line}`"),
                ))
            }
        };
        content.push_str(text);
        content.push('\n');
    }
    Ok(content)
}

fn parse_envelope_update(
    lines: &[&str],
    at: usize,
    path: &str,
) -> Result<(Located, usize), ParseError> {
    let mut from = at + 1;
    let mut move_to = None;
    if let Some(target) = lines
        .get(from)
        .and_then(|line| line.trim_end().strip_prefix(MOVE_TO))
    {
        move_to = Some(target.to_string());
        from += 1;
    }
    let end = section_end(lines, from);
    let hunks = parse_chunks(lines, from, end)?;
    if hunks.is_empty() && move_to.is_none() {
        return Err(ParseError::new(
            at + 1,
            format!("`{UPDATE_FILE} {}` has no changes", path.trim()),
        ));
    }
    let op = PatchOp::Update { hunks, move_to };
    Ok((Located::new(at + 1, path, op), end))
}

/// Which sides of a hunk a line belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Both,
    Old,
    New,
}

impl Side {
    fn noun(self) -> &'static str {
        match self {
            Side::Both => "context",
            Side::Old => "removed",
            Side::New => "added",
        }
    }
}

/// An envelope chunk being read. Blank lines are held back until a real line follows, so
/// spacing before the next `@@` or directive is not mistaken for empty context lines.
#[derive(Default)]
struct ChunkBuilder {
    hunk: Hunk,
    pending_blank: usize,
}

impl ChunkBuilder {
    fn anchored(context: Option<String>) -> Self {
        Self {
            hunk: Hunk {
                context,
                ..Hunk::default()
            },
            pending_blank: 0,
        }
    }

    fn push(&mut self, side: Side, text: &str) {
        for _ in 0..std::mem::take(&mut self.pending_blank) {
            self.hunk.old_lines.push(String::new());
            self.hunk.new_lines.push(String::new());
        }
        if side != Side::New {
            self.hunk.old_lines.push(text.to_string());
        }
        if side != Side::Old {
            self.hunk.new_lines.push(text.to_string());
        }
    }

    /// A chunk with only a header still counts: it narrows where later chunks are searched.
    fn finish(self) -> Option<Hunk> {
        let hunk = self.hunk;
        let empty = hunk.old_lines.is_empty() && hunk.new_lines.is_empty();
        (!empty || hunk.context.is_some()).then_some(hunk)
    }
}

fn parse_chunks(lines: &[&str], from: usize, to: usize) -> Result<Vec<Hunk>, ParseError> {
    let mut hunks = Vec::new();
    let mut current: Option<ChunkBuilder> = None;
    for (at, &line) in lines.iter().enumerate().take(to).skip(from) {
        if let Some(context) = chunk_header(line) {
            hunks.extend(current.take().and_then(ChunkBuilder::finish));
            current = Some(ChunkBuilder::anchored(context));
        } else if line.trim_end() == END_OF_FILE {
            let mut hunk = current
                .take()
                .and_then(ChunkBuilder::finish)
                .filter(|h| !h.old_lines.is_empty() || !h.new_lines.is_empty())
                .ok_or_else(|| {
                    ParseError::new(
                        at + 1,
                        format!("`{END_OF_FILE}` must close a chunk of lines"),
                    )
                })?;
            hunk.end_of_file = true;
            hunks.push(hunk);
        } else if strip_cr(line).is_empty() {
            if let Some(chunk) = current.as_mut() {
                chunk.pending_blank += 1;
            }
        } else {
            let (side, text) = chunk_line(line).ok_or_else(|| {
                ParseError::new(
                    at + 1,
                    format!("expected a line starting with ' ', '-', '+' or `@@`, found `{line}`"),
                )
            })?;
            current
                .get_or_insert_with(ChunkBuilder::default)
                .push(side, text);
        }
    }
    hunks.extend(current.and_then(ChunkBuilder::finish));
    Ok(hunks)
}

/// `@@` or `@@ text`: `Some(context)` for a chunk header. Models sometimes write a unified
/// range header (`@@ -12,3 +12,4 @@ fn run`) here; its numbers are dropped and only the
/// section text after it is kept, as the envelope has no line numbers.
fn chunk_header(line: &str) -> Option<Option<String>> {
    let rest = line.trim_end().strip_prefix("@@")?;
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    let rest = rest.trim();
    let text = match rest.split_once(" @@") {
        Some((ranges, section)) if parse_ranges(ranges).is_some() => section.trim(),
        _ if rest.ends_with("@@") && parse_ranges(rest.trim_end_matches('@').trim()).is_some() => {
            ""
        }
        _ => rest,
    };
    Some((!text.is_empty()).then(|| text.to_string()))
}

fn chunk_line(line: &str) -> Option<(Side, &str)> {
    let side = match line.as_bytes().first()? {
        b' ' => Side::Both,
        b'-' => Side::Old,
        b'+' => Side::New,
        _ => return None,
    };
    Some((side, &line[1..]))
}

// ---------------------------------------------------------------------------------------------
// Unified diff
// ---------------------------------------------------------------------------------------------

fn parse_unified(lines: &[&str]) -> Result<Vec<Located>, ParseError> {
    let mut files = Vec::new();
    let mut at = 0;
    while let Some(&line) = lines.get(at) {
        if line.starts_with("diff --git ") {
            let (file, next) = parse_git_section(lines, at)?;
            files.extend(file);
            at = next;
        } else if starts_file_header(lines, at) {
            let (sides, hunks, next) = parse_sides_and_hunks(lines, at)?;
            files.extend(plain_section_patch(at + 1, sides, hunks)?);
            at = next;
        } else if line.starts_with("@@") {
            return Err(ParseError::new(
                at + 1,
                "hunk header before any `--- `/`+++ ` file header",
            ));
        } else {
            reject_binary(line, at + 1)?;
            at += 1;
        }
    }
    if files.is_empty() {
        return Err(ParseError::new(
            1,
            format!(
                "empty patch: no `--- `/`+++ ` file headers, `diff --git` sections \
                 or `{BEGIN_PATCH}` found"
            ),
        ));
    }
    Ok(files)
}

fn is_binary_marker(line: &str) -> bool {
    let line = line.trim_end();
    (line.starts_with("Binary files ") && line.ends_with(" differ")) || line == "GIT binary patch"
}

fn reject_binary(line: &str, number: usize) -> Result<(), ParseError> {
    if is_binary_marker(line) {
        return Err(ParseError::new(number, "binary patches are not supported"));
    }
    Ok(())
}

fn starts_file_header(lines: &[&str], at: usize) -> bool {
    lines.get(at).is_some_and(|l| l.starts_with("--- "))
        && lines.get(at + 1).is_some_and(|l| l.starts_with("+++ "))
}

/// The `---` and `+++` paths; `None` stands for `/dev/null`.
struct Sides {
    old: Option<String>,
    new: Option<String>,
}

impl Sides {
    /// `a/` on the old side and `b/` on the new (a `/dev/null` side does not object).
    fn consistently_prefixed(&self) -> bool {
        (self.old.is_some() || self.new.is_some())
            && self.old.as_deref().is_none_or(|p| p.starts_with("a/"))
            && self.new.as_deref().is_none_or(|p| p.starts_with("b/"))
    }

    fn stripped(self, strip: bool) -> Self {
        Self {
            old: self.old.map(|p| strip_prefix_if(p, "a/", strip)),
            new: self.new.map(|p| strip_prefix_if(p, "b/", strip)),
        }
    }
}

fn strip_prefix_if(path: String, prefix: &str, strip: bool) -> String {
    match path.strip_prefix(prefix) {
        Some(rest) if strip => rest.to_string(),
        _ => path,
    }
}

/// Parses a `---`/`+++` pair at `at` and the hunks after it.
fn parse_sides_and_hunks(
    lines: &[&str],
    at: usize,
) -> Result<(Sides, Vec<Hunk>, usize), ParseError> {
    let old = header_path(lines[at].get(4..).unwrap_or(""), at + 1)?;
    let new = header_path(lines[at + 1].get(4..).unwrap_or(""), at + 2)?;
    if old.is_none() && new.is_none() {
        return Err(ParseError::new(
            at + 1,
            "both sides of the diff are /dev/null",
        ));
    }
    let mut hunks = Vec::new();
    let mut next = at + 2;
    loop {
        let candidate = next_non_blank(lines, next).unwrap_or(lines.len());
        if !lines.get(candidate).is_some_and(|l| l.starts_with("@@")) {
            break;
        }
        let (hunk, after) = parse_hunk(lines, candidate)?;
        hunks.push(hunk);
        next = after;
    }
    if hunks.is_empty() {
        return Err(ParseError::new(
            (at + 3).min(lines.len()),
            "expected a hunk header `@@ -start,count +start,count @@` after the `+++ ` line",
        ));
    }
    Ok((Sides { old, new }, hunks, next))
}

/// A `---`/`+++` path: C-quoted as git writes unusual names, or bare up to a tab (after which
/// `diff -u` puts a timestamp).
fn header_path(rest: &str, number: usize) -> Result<Option<String>, ParseError> {
    let rest = rest.trim_start();
    let path = if rest.starts_with('"') {
        c_unquote(rest)
            .ok_or_else(|| ParseError::new(number, "malformed quoted path"))?
            .0
    } else {
        rest.split('\t').next().unwrap_or("").trim().to_string()
    };
    Ok((path != "/dev/null").then_some(path))
}

fn unquote_path(raw: &str, number: usize) -> Result<String, ParseError> {
    let raw = raw.trim();
    if raw.starts_with('"') {
        return c_unquote(raw)
            .map(|(path, _)| path)
            .ok_or_else(|| ParseError::new(number, "malformed quoted path"));
    }
    Ok(raw.to_string())
}

/// Decodes a C-style quoted string as git writes it (`"sp ace \303\251.txt"`); returns it and
/// the text after the closing quote.
fn c_unquote(s: &str) -> Option<(String, &str)> {
    let body = s.strip_prefix('"')?;
    let bytes = body.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'"' => return Some((String::from_utf8(out).ok()?, &body[i + 1..])),
            b'\\' => {
                let (decoded, used) = c_escape(bytes.get(i + 1..)?)?;
                out.push(decoded);
                i += 1 + used;
            }
            _ => {
                out.push(byte);
                i += 1;
            }
        }
    }
    None
}

/// One escape after a backslash: the byte it stands for and how many bytes it used.
fn c_escape(rest: &[u8]) -> Option<(u8, usize)> {
    let simple = match rest.first()? {
        b'n' => b'\n',
        b't' => b'\t',
        b'r' => b'\r',
        b'a' => 0x07,
        b'b' => 0x08,
        b'f' => 0x0c,
        b'v' => 0x0b,
        b'\\' => b'\\',
        b'"' => b'"',
        b'0'..=b'7' => {
            let digits = rest.get(..3)?;
            let mut value: u16 = 0;
            for &d in digits {
                if !(b'0'..=b'7').contains(&d) {
                    return None;
                }
                value = value * 8 + u16::from(d - b'0');
            }
            return Some((u8::try_from(value).ok()?, 3));
        }
        _ => return None,
    };
    Some((simple, 1))
}

/// What a `diff --git` section's extended header lines said.
#[derive(Default)]
struct GitHeader {
    /// The two paths on the `diff --git` line, prefixes still on.
    paths: Option<(String, String)>,
    new_file: bool,
    deleted: bool,
    rename_from: Option<String>,
    rename_to: Option<String>,
}

impl GitHeader {
    /// Takes one extended header line; `false` when the line is not one.
    fn absorb(&mut self, line: &str, number: usize) -> Result<bool, ParseError> {
        const IGNORED: [&str; 5] = [
            "index ",
            "old mode ",
            "new mode ",
            "similarity index ",
            "dissimilarity index ",
        ];
        if line.starts_with("new file mode ") {
            self.new_file = true;
        } else if line.starts_with("deleted file mode ") {
            self.deleted = true;
        } else if let Some(rest) = line.strip_prefix("rename from ") {
            self.rename_from = Some(unquote_path(rest, number)?);
        } else if let Some(rest) = line.strip_prefix("rename to ") {
            self.rename_to = Some(unquote_path(rest, number)?);
        } else if line.starts_with("copy from ") || line.starts_with("copy to ") {
            return Err(ParseError::new(number, "copied files are not supported"));
        } else if is_binary_marker(line) {
            return Err(ParseError::new(number, "binary patches are not supported"));
        } else if !IGNORED.iter().any(|prefix| line.starts_with(prefix)) {
            return Ok(false);
        }
        Ok(true)
    }

    /// Whether the `diff --git` line used git's `a/` and `b/` prefixes.
    fn prefixed(&self) -> Option<bool> {
        self.paths
            .as_ref()
            .map(|(a, b)| a.starts_with("a/") && b.starts_with("b/"))
    }
}

/// The two paths of `diff --git A B`. Unquoted names may contain spaces, so the split chosen
/// is the one where both sides name the same file; a rename falls back to ` b/`.
fn split_git_paths(rest: &str) -> Option<(String, String)> {
    if rest.starts_with('"') {
        let (a, tail) = c_unquote(rest)?;
        let tail = tail.strip_prefix(' ')?;
        let b = match c_unquote(tail) {
            Some((b, _)) => b,
            None => tail.to_string(),
        };
        return Some((a, b));
    }
    if rest.ends_with('"') {
        let at = rest.find(" \"")?;
        return Some((rest[..at].to_string(), c_unquote(&rest[at + 1..])?.0));
    }
    for (at, _) in rest.match_indices(' ') {
        let (a, b) = (&rest[..at], &rest[at + 1..]);
        if a.strip_prefix("a/").unwrap_or(a) == b.strip_prefix("b/").unwrap_or(b) {
            return Some((a.to_string(), b.to_string()));
        }
    }
    let at = rest.find(" b/")?;
    Some((rest[..at].to_string(), rest[at + 1..].to_string()))
}

fn parse_git_section(lines: &[&str], at: usize) -> Result<(Option<Located>, usize), ParseError> {
    let mut git = GitHeader {
        paths: split_git_paths(lines[at].get("diff --git ".len()..).unwrap_or("")),
        ..GitHeader::default()
    };
    let mut next = at + 1;
    while let Some(&line) = lines.get(next) {
        if !git.absorb(line, next + 1)? {
            break;
        }
        next += 1;
    }
    let (sides, hunks) = if starts_file_header(lines, next) {
        let (sides, hunks, after) = parse_sides_and_hunks(lines, next)?;
        next = after;
        (Some(sides), hunks)
    } else {
        (None, Vec::new())
    };
    Ok((git_section_patch(at + 1, git, sides, hunks)?, next))
}

/// What one diff section does, gathered from whichever headers it had.
struct Change {
    line: usize,
    adds: bool,
    deletes: bool,
    old_path: Option<String>,
    new_path: Option<String>,
    hunks: Vec<Hunk>,
}

fn git_section_patch(
    line: usize,
    git: GitHeader,
    sides: Option<Sides>,
    hunks: Vec<Hunk>,
) -> Result<Option<Located>, ParseError> {
    let strip = git
        .prefixed()
        .unwrap_or_else(|| sides.as_ref().is_some_and(Sides::consistently_prefixed));
    let sides = sides.map(|s| s.stripped(strip));
    let (header_old, header_new) = match git.paths {
        Some((a, b)) => (
            Some(strip_prefix_if(a, "a/", strip)),
            Some(strip_prefix_if(b, "b/", strip)),
        ),
        None => (None, None),
    };
    let adds = git.new_file || sides.as_ref().is_some_and(|s| s.old.is_none());
    let deletes = git.deleted || sides.as_ref().is_some_and(|s| s.new.is_none());
    let (side_old, side_new) = match sides {
        Some(s) => (s.old, s.new),
        None => (None, None),
    };
    section_patch(Change {
        line,
        adds,
        deletes,
        old_path: git.rename_from.or(side_old).or(header_old),
        new_path: git.rename_to.or(side_new).or(header_new),
        hunks,
    })
}

/// A section without `diff --git`: differing names (`diff -u x.orig x`) are not a rename but
/// two names for one target, chosen as GNU patch does when neither file is known.
fn plain_section_patch(
    line: usize,
    sides: Sides,
    hunks: Vec<Hunk>,
) -> Result<Option<Located>, ParseError> {
    let strip = sides.consistently_prefixed();
    let Sides { old, new } = sides.stripped(strip);
    let (adds, deletes) = (old.is_none(), new.is_none());
    let (old_path, new_path) = match (old, new) {
        (Some(old), Some(new)) => {
            let target = pick_target(old, new);
            (Some(target.clone()), Some(target))
        }
        other => other,
    };
    section_patch(Change {
        line,
        adds,
        deletes,
        old_path,
        new_path,
        hunks,
    })
}

/// Fewest path components, then shortest base name, then shortest name; the old name on ties.
fn pick_target(old: String, new: String) -> String {
    let key = |p: &str| {
        let components = p.split('/').filter(|c| !c.is_empty()).count();
        let base = p.rsplit('/').next().map_or(0, str::len);
        (components, base, p.len())
    };
    if key(&new) < key(&old) {
        new
    } else {
        old
    }
}

/// Turns a section into a file operation; `None` for sections that change nothing this
/// module models (a mode change only).
fn section_patch(change: Change) -> Result<Option<Located>, ParseError> {
    let Change {
        line,
        adds,
        deletes,
        old_path,
        new_path,
        hunks,
    } = change;
    let unknown = || ParseError::new(line, "cannot tell which file this section changes");
    let located = match (adds, deletes) {
        (true, true) => {
            return Err(ParseError::new(
                line,
                "a section cannot both create and delete a file",
            ))
        }
        (true, false) => {
            let path = new_path.ok_or_else(unknown)?;
            let content = added_file_content(&hunks, line)?;
            Located::new(line, path, PatchOp::Add { content })
        }
        (false, true) => Located::new(line, old_path.ok_or_else(unknown)?, PatchOp::Delete),
        (false, false) => {
            let path = old_path.or_else(|| new_path.clone()).ok_or_else(unknown)?;
            let move_to = new_path.filter(|target| *target != path);
            if hunks.is_empty() && move_to.is_none() {
                return Ok(None);
            }
            Located::new(line, path, PatchOp::Update { hunks, move_to })
        }
    };
    Ok(Some(located))
}

fn added_file_content(hunks: &[Hunk], line: usize) -> Result<String, ParseError> {
    if hunks.iter().any(|h| !h.old_lines.is_empty()) {
        return Err(ParseError::new(
            line,
            "a new file's hunks can only add lines (found context or removed lines)",
        ));
    }
    let mut content = String::new();
    for text in hunks.iter().flat_map(|h| &h.new_lines) {
        content.push_str(text);
        content.push('\n');
    }
    if hunks.last().is_some_and(|h| h.new_missing_newline) {
        content.pop();
    }
    Ok(content)
}

/// The numbers of `@@ -a,b +c,d @@`.
#[derive(Debug, Clone, Copy)]
struct Ranges {
    old_start: usize,
    old_count: usize,
    new_count: usize,
}

/// `-a[,b] +c[,d]`; a start of 0 is only valid with a count of 0.
fn parse_ranges(text: &str) -> Option<Ranges> {
    let (old, new) = text.trim().split_once(' ')?;
    let (old_start, old_count) = parse_range(old.strip_prefix('-')?)?;
    let (new_start, new_count) = parse_range(new.trim_start().strip_prefix('+')?)?;
    if (old_start == 0 && old_count > 0) || (new_start == 0 && new_count > 0) {
        return None;
    }
    Some(Ranges {
        old_start,
        old_count,
        new_count,
    })
}

fn parse_range(text: &str) -> Option<(usize, usize)> {
    let number = |s: &str| {
        let digits = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        digits.then(|| s.parse().ok()).flatten()
    };
    match text.split_once(',') {
        Some((start, count)) => Some((number(start)?, number(count)?)),
        None => Some((number(text)?, 1)),
    }
}

fn parse_hunk_header(line: &str) -> Option<Ranges> {
    let (ranges, _section) = line.strip_prefix("@@ ")?.split_once(" @@")?;
    parse_ranges(ranges)
}

/// A unified hunk body being read against the counts its header promised.
struct HunkBody<'a> {
    header: &'a str,
    at: usize,
    ranges: Ranges,
    hunk: Hunk,
    last: Option<Side>,
    old_marked_at: Option<usize>,
    new_marked_at: Option<usize>,
}

impl<'a> HunkBody<'a> {
    fn new(header: &'a str, at: usize, ranges: Ranges) -> Self {
        // A pure insertion's header names the line *after which* it inserts.
        let stated = if ranges.old_count == 0 {
            ranges.old_start + 1
        } else {
            ranges.old_start
        };
        Self {
            header,
            at,
            ranges,
            hunk: Hunk {
                old_start: Some(stated),
                ..Hunk::default()
            },
            last: None,
            old_marked_at: None,
            new_marked_at: None,
        }
    }

    fn old_full(&self) -> bool {
        self.hunk.old_lines.len() >= self.ranges.old_count
    }

    fn new_full(&self) -> bool {
        self.hunk.new_lines.len() >= self.ranges.new_count
    }

    fn wants_more(&self) -> bool {
        !self.old_full() || !self.new_full()
    }

    fn mismatch(&self, what: &str) -> ParseError {
        ParseError::new(
            self.at + 1,
            format!(
                "hunk header `{}` promises {} old and {} new lines, but {what}",
                self.header, self.ranges.old_count, self.ranges.new_count
            ),
        )
    }

    fn short(&self, ending: &str) -> ParseError {
        self.mismatch(&format!(
            "{ending} after {} old and {} new",
            self.hunk.old_lines.len(),
            self.hunk.new_lines.len()
        ))
    }

    fn take(&mut self, side: Side, text: &str, number: usize) -> Result<(), ParseError> {
        let overflow = match side {
            Side::Both => self.old_full() || self.new_full(),
            Side::Old => self.old_full(),
            Side::New => self.new_full(),
        };
        if overflow {
            return Err(self.mismatch(&format!(
                "line {number} is one {} line more than that",
                side.noun()
            )));
        }
        if side != Side::New {
            self.hunk.old_lines.push(text.to_string());
        }
        if side != Side::Old {
            self.hunk.new_lines.push(text.to_string());
        }
        self.last = Some(side);
        Ok(())
    }

    /// `\ No newline at end of file` speaks of the line just before it.
    fn mark(&mut self, number: usize) -> Result<(), ParseError> {
        let side = self.last.ok_or_else(|| {
            ParseError::new(
                number,
                "`\\ No newline at end of file` must follow a hunk line",
            )
        })?;
        if side != Side::New {
            self.old_marked_at = Some(self.hunk.old_lines.len());
        }
        if side != Side::Old {
            self.new_marked_at = Some(self.hunk.new_lines.len());
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Hunk, ParseError> {
        let old_len = self.hunk.old_lines.len();
        let new_len = self.hunk.new_lines.len();
        if self.old_marked_at.is_some_and(|n| n != old_len)
            || self.new_marked_at.is_some_and(|n| n != new_len)
        {
            return Err(ParseError::new(
                self.at + 1,
                "`\\ No newline at end of file` must follow the last line of its side",
            ));
        }
        self.hunk.old_missing_newline = self.old_marked_at.is_some();
        self.hunk.new_missing_newline = self.new_marked_at.is_some();
        Ok(self.hunk)
    }
}

/// A unified hunk line: its side and text. Some tools strip the lone space of an empty
/// context line, so an empty line is empty context.
fn hunk_line(line: &str) -> Option<(Side, &str)> {
    match strip_cr(line).as_bytes().first() {
        None => Some((Side::Both, "")),
        Some(b' ') => Some((Side::Both, &line[1..])),
        Some(b'-') => Some((Side::Old, &line[1..])),
        Some(b'+') => Some((Side::New, &line[1..])),
        _ => None,
    }
}

/// Parses the hunk whose header is at `at`; returns it and the index after its body.
fn parse_hunk(lines: &[&str], at: usize) -> Result<(Hunk, usize), ParseError> {
    let header = lines[at];
    let ranges = parse_hunk_header(header).ok_or_else(|| {
        ParseError::new(
            at + 1,
            format!(
                "malformed hunk header `{header}`: expected `@@ -start[,count] +start[,count] @@`"
            ),
        )
    })?;
    let mut body = HunkBody::new(header, at, ranges);
    let mut next = at + 1;
    while body.wants_more() {
        let Some(&line) = lines.get(next) else {
            return Err(body.short("the patch ends"));
        };
        if line.starts_with('\\') {
            body.mark(next + 1)?;
        } else {
            let Some((side, text)) = hunk_line(line) else {
                return Err(body.short(&format!("line {} ends the hunk", next + 1)));
            };
            body.take(side, text, next + 1)?;
        }
        next += 1;
    }
    if lines.get(next).is_some_and(|l| l.starts_with('\\')) {
        body.mark(next + 1)?;
        next += 1;
    }
    if continues_hunk(lines, next) {
        return Err(body.mismatch(&format!("line {} continues the hunk past them", next + 1)));
    }
    Ok((body.finish()?, next))
}

/// Whether the line after a complete hunk still looks like hunk content: wrong counts would
/// otherwise drop the rest of the change without a word.
fn continues_hunk(lines: &[&str], at: usize) -> bool {
    let Some(&line) = lines.get(at) else {
        return false;
    };
    match line.as_bytes().first() {
        Some(b' ' | b'+' | b'\\') => true,
        // `--- `/`+++ ` starts the next file; `-- ` is an email signature.
        Some(b'-') => !starts_file_header(lines, at) && line.trim_end() != "--",
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Applying
// ---------------------------------------------------------------------------------------------

/// The original file split into lines, each with its own terminator.
struct FileText<'a> {
    /// Text without terminator, and the terminator (`"\r\n"`, `"\n"`, or `""` for a last line
    /// without one).
    lines: Vec<(&'a str, &'a str)>,
    /// The terminator for lines the patch inserts: the file's majority ending.
    eol: &'static str,
    missing_final_newline: bool,
}

impl<'a> FileText<'a> {
    fn split(text: &'a str) -> Self {
        let mut lines = Vec::new();
        let (mut crlf, mut lf) = (0usize, 0usize);
        for segment in text.split_inclusive('\n') {
            if let Some(body) = segment.strip_suffix("\r\n") {
                crlf += 1;
                lines.push((body, "\r\n"));
            } else if let Some(body) = segment.strip_suffix('\n') {
                lf += 1;
                lines.push((body, "\n"));
            } else {
                lines.push((segment, ""));
            }
        }
        let missing_final_newline = lines.last().is_some_and(|&(_, eol)| eol.is_empty());
        Self {
            lines,
            eol: if crlf > lf { "\r\n" } else { "\n" },
            missing_final_newline,
        }
    }
}

/// Where a hunk was found in the original.
#[derive(Debug, Clone, Copy)]
struct Placement {
    start: usize,
    offset: isize,
    fuzzy: bool,
}

/// How loosely a file line may equal a patch line; tried from strictest to loosest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tolerance {
    Exact,
    TrailingSpace,
    SurroundingSpace,
}

impl Tolerance {
    fn same(self, file: &str, patch: &str) -> bool {
        let patch = strip_cr(patch);
        match self {
            Tolerance::Exact => file == patch,
            Tolerance::TrailingSpace => file.trim_end() == patch.trim_end(),
            Tolerance::SurroundingSpace => file.trim() == patch.trim(),
        }
    }
}

fn matches_at(file: &[&str], start: usize, pattern: &[String], tolerance: Tolerance) -> bool {
    file.get(start..start + pattern.len())
        .is_some_and(|window| {
            window
                .iter()
                .zip(pattern)
                .all(|(f, p)| tolerance.same(f, p))
        })
}

/// A missing final newline on either side only makes sense at the end of the file.
fn must_end_at_eof(hunk: &Hunk) -> bool {
    hunk.end_of_file || hunk.old_missing_newline || hunk.new_missing_newline
}

fn signed_distance(to: usize, from: usize) -> isize {
    if to >= from {
        isize::try_from(to - from).unwrap_or(isize::MAX)
    } else {
        isize::try_from(from - to).map_or(isize::MIN, |d| -d)
    }
}

/// A unified hunk: at its stated line if it fits there, else the nearest fit, exact before
/// trailing-whitespace-insensitive. Leading whitespace is never ignored here: in a numbered
/// diff it is meaningful (Python, YAML) and the numbers already say where to look.
fn locate_numbered(
    file: &[&str],
    hunk: &Hunk,
    stated_line: usize,
    floor: usize,
    number: usize,
) -> Result<Placement, Conflict> {
    let stated = stated_line.saturating_sub(1);
    let at_end = must_end_at_eof(hunk);
    for tolerance in [Tolerance::Exact, Tolerance::TrailingSpace] {
        if let Some(start) = nearest_match(file, &hunk.old_lines, stated, floor, at_end, tolerance)
        {
            return Ok(Placement {
                start,
                offset: signed_distance(start, stated),
                fuzzy: tolerance != Tolerance::Exact,
            });
        }
    }
    let count = hunk.old_lines.len();
    let reason = if at_end {
        format!(
            "hunk {number} does not apply: its {count} expected lines must end the file \
             but do not, even ignoring trailing whitespace"
        )
    } else {
        let scope = if floor == 0 {
            "else in the file".to_string()
        } else {
            format!("after line {floor}, where the previous hunk ends")
        };
        format!(
            "hunk {number} does not apply: its {count} expected lines are not at line \
             {stated_line} or anywhere {scope}, even ignoring trailing whitespace"
        )
    };
    Err(conflict(file, hunk, number, stated, floor, reason))
}

/// The start nearest `stated` (at or after `floor`) where `pattern` fits; at equal distance
/// the later line wins, as lines are more often added above a hunk than removed.
fn nearest_match(
    file: &[&str],
    pattern: &[String],
    stated: usize,
    floor: usize,
    at_end: bool,
    tolerance: Tolerance,
) -> Option<usize> {
    let last_start = file.len().checked_sub(pattern.len())?;
    if floor > last_start {
        return None;
    }
    if at_end {
        return matches_at(file, last_start, pattern, tolerance).then_some(last_start);
    }
    let centre = stated.clamp(floor, last_start);
    (0..=last_start - floor)
        .flat_map(|d| {
            [
                centre.checked_add(d),
                centre.checked_sub(d).filter(|_| d > 0),
            ]
        })
        .flatten()
        .filter(|start| (floor..=last_start).contains(start))
        .find(|&start| matches_at(file, start, pattern, tolerance))
}

/// An envelope chunk: after its `@@` header line if it has one, then the first fit at or after
/// the search position, exact, then ignoring trailing, then surrounding whitespace (models
/// often re-indent context they quote).
fn locate_searched(
    file: &[&str],
    hunk: &Hunk,
    floor: usize,
    number: usize,
) -> Result<Placement, Conflict> {
    let from = match hunk.context.as_deref() {
        Some(context) => search_start_after(file, hunk, context, floor)
            .ok_or_else(|| context_conflict(file, hunk, number, context, floor))?,
        None => floor,
    };
    let at_end = must_end_at_eof(hunk);
    if hunk.old_lines.is_empty() {
        // Pure additions go after their header line, or at the end of the file without one.
        let start = if hunk.context.is_some() && !at_end {
            from
        } else {
            file.len()
        };
        return Ok(Placement {
            start,
            offset: 0,
            fuzzy: false,
        });
    }
    let tolerances = [
        Tolerance::Exact,
        Tolerance::TrailingSpace,
        Tolerance::SurroundingSpace,
    ];
    for tolerance in tolerances {
        if let Some(start) = first_match(file, &hunk.old_lines, from, at_end, tolerance) {
            return Ok(Placement {
                start,
                offset: signed_distance(start, from),
                fuzzy: tolerance != Tolerance::Exact,
            });
        }
    }
    let count = hunk.old_lines.len();
    let (at, reason) = if at_end {
        let tail = file.len().saturating_sub(count).max(from);
        let reason = format!(
            "hunk {number} does not apply: its {count} expected lines do not end the file, \
             even ignoring whitespace"
        );
        (tail, reason)
    } else {
        let reason = format!(
            "hunk {number} does not apply: its {count} expected lines are not at or after \
             line {}, even ignoring whitespace",
            from + 1
        );
        (from, reason)
    };
    Err(conflict(file, hunk, number, at, from, reason))
}

/// Just after the header line; or at it when the chunk's first line repeats the header, since
/// models often quote the `def`/`class` line both as header and as context.
fn search_start_after(file: &[&str], hunk: &Hunk, context: &str, floor: usize) -> Option<usize> {
    let at = find_context(file, context, floor)?;
    let repeats_header = hunk
        .old_lines
        .first()
        .is_some_and(|first| strip_cr(first).trim() == strip_cr(context).trim());
    Some(if repeats_header { at } else { at + 1 })
}

fn context_conflict(
    file: &[&str],
    hunk: &Hunk,
    number: usize,
    context: &str,
    floor: usize,
) -> Conflict {
    let reason = format!(
        "hunk {number} does not apply: its context line `{}` is not at or after line {}",
        strip_cr(context).trim(),
        floor + 1
    );
    conflict(file, hunk, number, floor, floor, reason)
}

fn first_match(
    file: &[&str],
    pattern: &[String],
    from: usize,
    at_end: bool,
    tolerance: Tolerance,
) -> Option<usize> {
    let last_start = file.len().checked_sub(pattern.len())?;
    if from > last_start {
        return None;
    }
    if at_end {
        return matches_at(file, last_start, pattern, tolerance).then_some(last_start);
    }
    (from..=last_start).find(|&start| matches_at(file, start, pattern, tolerance))
}

fn find_context(file: &[&str], context: &str, floor: usize) -> Option<usize> {
    let wanted = strip_cr(context).trim();
    (floor..file.len()).find(|&i| file[i].trim() == wanted)
}

/// The report for a hunk that did not fit: what it expected, what is at `at` instead, and
/// the closest candidate so the reader knows where to look.
fn conflict(
    file: &[&str],
    hunk: &Hunk,
    number: usize,
    at: usize,
    floor: usize,
    reason: String,
) -> Conflict {
    let start = at.min(file.len());
    let end = (start + hunk.old_lines.len()).min(file.len());
    Conflict {
        hunk: number,
        line: at + 1,
        expected: hunk
            .old_lines
            .iter()
            .map(|l| strip_cr(l).to_string())
            .collect(),
        found: file[start..end].iter().map(|l| l.to_string()).collect(),
        message: format!("{reason}{}", closest_hint(file, &hunk.old_lines, floor)),
    }
}

fn closest_hint(file: &[&str], pattern: &[String], floor: usize) -> String {
    if pattern.is_empty() || file.len().saturating_mul(pattern.len()) > HINT_BUDGET {
        return String::new();
    }
    let score = |start: usize| {
        pattern
            .iter()
            .zip(&file[start..])
            .filter(|(p, f)| strip_cr(p).trim() == f.trim())
            .count()
    };
    let best = (floor..file.len())
        .map(|start| (start, score(start)))
        .max_by_key(|&(start, score)| (score, Reverse(start)));
    match best {
        Some((start, score)) if score > 0 => format!(
            "; the closest place is line {}, where {score} of {} lines match ignoring whitespace",
            start + 1,
            pattern.len()
        ),
        _ => "; none of its lines appear in that part of the file".to_string(),
    }
}

/// Builds the new text: untouched lines keep their own endings, inserted lines take the
/// file's, and the final newline stays as it was unless a hunk at the end says otherwise.
fn assemble<'a>(file: &FileText<'a>, hunks: &'a [Hunk], placements: &[Placement]) -> String {
    let eol = file.eol;
    let terminated = |&(text, own): &(&'a str, &'a str)| -> (&'a str, &'a str) {
        (text, if own.is_empty() { eol } else { own })
    };
    let mut out: Vec<(&'a str, &'a str)> = Vec::with_capacity(file.lines.len());
    let mut cursor = 0;
    let mut missing_final_newline = file.missing_final_newline;
    for (hunk, placed) in hunks.iter().zip(placements) {
        out.extend(file.lines[cursor..placed.start].iter().map(terminated));
        out.extend(hunk.new_lines.iter().map(|line| (strip_cr(line), file.eol)));
        cursor = placed.start + hunk.old_lines.len();
        if hunk.old_missing_newline || hunk.new_missing_newline {
            missing_final_newline = hunk.new_missing_newline;
        }
    }
    out.extend(file.lines[cursor..].iter().map(terminated));
    if missing_final_newline {
        if let Some(last) = out.last_mut() {
            last.1 = "";
        }
    }
    out.iter().flat_map(|&(text, eol)| [text, eol]).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Joins lines with LF and ends with one, as tools write patches.
    fn text(lines: &[&str]) -> String {
        let mut out = lines.join("\n");
        out.push('\n');
        out
    }

    fn update(path: &str, hunks: Vec<Hunk>, move_to: Option<&str>) -> FilePatch {
        FilePatch {
            path: path.to_string(),
            op: PatchOp::Update {
                hunks,
                move_to: move_to.map(str::to_string),
            },
        }
    }

    fn hunks_of(patch: &FilePatch) -> &[Hunk] {
        match &patch.op {
            PatchOp::Update { hunks, .. } => hunks,
            other => panic!("expected an update, got {other:?}"),
        }
    }

    fn strings(lines: &[&str]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    fn numbered(start: usize, old: &[&str], new: &[&str]) -> Hunk {
        Hunk {
            old_start: Some(start),
            old_lines: strings(old),
            new_lines: strings(new),
            ..Hunk::default()
        }
    }

    fn parse_err(patch: &str, format: PatchFormat) -> ParseError {
        parse(patch, format).unwrap_err()
    }

    /// `git diff --cached` output (git 2.47) for: a changed line plus a dropped final newline,
    /// a CRLF file, an empty new file, a rename with a change, a gained final newline, a
    /// deletion and a quoted non-ASCII name.
    fn real_git_diff() -> String {
        text(&[
            "diff --git a/a.txt b/a.txt",
            "index 4cb29ea..a623a0b 100644",
            "--- a/a.txt",
            "+++ b/a.txt",
            "@@ -1,3 +1,3 @@",
            " one",
            "-two",
            "-three",
            "+2",
            "+three",
            "\\ No newline at end of file",
            "diff --git a/crlf.txt b/crlf.txt",
            "index 0aa0f34..a092d71 100644",
            "--- a/crlf.txt",
            "+++ b/crlf.txt",
            "@@ -1,2 +1,2 @@",
            " x\r",
            "-y\r",
            "+Y\r",
            "diff --git a/empty b/empty",
            "new file mode 100644",
            "index 0000000..e69de29",
            "diff --git a/mv.txt b/moved.txt",
            "similarity index 92%",
            "rename from mv.txt",
            "rename to moved.txt",
            "index 0ff3bbb..6c69c71 100644",
            "--- a/mv.txt",
            "+++ b/moved.txt",
            "@@ -7,7 +7,7 @@",
            " 7",
            " 8",
            " 9",
            "-10",
            "+ten",
            " 11",
            " 12",
            " 13",
            "diff --git a/nonl.txt b/nonl.txt",
            "index 1c1206e..b25fa3f 100644",
            "--- a/nonl.txt",
            "+++ b/nonl.txt",
            "@@ -1 +1 @@",
            "-last",
            "\\ No newline at end of file",
            "+last",
            "diff --git a/old.txt b/old.txt",
            "deleted file mode 100644",
            "index 286c5f5..0000000",
            "--- a/old.txt",
            "+++ /dev/null",
            "@@ -1 +0,0 @@",
            "-gone",
            "diff --git \"a/sp ace \\303\\251.txt\" \"b/sp ace \\303\\251.txt\"",
            "new file mode 100644",
            "index 0000000..3e75765",
            "--- /dev/null",
            "+++ \"b/sp ace \\303\\251.txt\"\t",
            "@@ -0,0 +1 @@",
            "+new",
        ])
    }

    fn twenty_lines() -> String {
        (1..=20).map(|n| format!("{n}\n")).collect()
    }

    // --- unified: parsing -------------------------------------------------------------------

    #[test]
    fn a_real_git_diff_parses_into_one_operation_per_file() {
        let files = parse(&real_git_diff(), PatchFormat::Auto).unwrap();
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "a.txt",
                "crlf.txt",
                "empty",
                "mv.txt",
                "nonl.txt",
                "old.txt",
                "sp ace é.txt"
            ]
        );
        assert_eq!(
            files[0],
            update(
                "a.txt",
                vec![Hunk {
                    old_start: Some(1),
                    old_lines: strings(&["one", "two", "three"]),
                    new_lines: strings(&["one", "2", "three"]),
                    new_missing_newline: true,
                    ..Hunk::default()
                }],
                None
            )
        );
        assert_eq!(
            files[2].op,
            PatchOp::Add {
                content: String::new()
            }
        );
        assert!(
            matches!(&files[3].op, PatchOp::Update { move_to: Some(t), hunks }
                if t == "moved.txt" && hunks.len() == 1)
        );
        assert_eq!(files[5].op, PatchOp::Delete);
        assert_eq!(
            files[6].op,
            PatchOp::Add {
                content: "new\n".to_string()
            }
        );
    }

    #[test]
    fn a_real_git_diff_applies_to_the_files_it_was_made_from() {
        let files = parse(&real_git_diff(), PatchFormat::Unified).unwrap();
        let cases = [
            (0, "one\ntwo\nthree\n", "one\n2\nthree"),
            (1, "x\r\ny\r\n", "x\r\nY\r\n"),
            (4, "last", "last\n"),
        ];
        for (index, before, after) in cases {
            let applied = apply(before, hunks_of(&files[index])).unwrap();
            assert_eq!(applied.content, after, "{}", files[index].path);
            assert!(!applied.fuzzy, "{}", files[index].path);
        }
        let renamed = apply(&twenty_lines(), hunks_of(&files[3])).unwrap();
        assert_eq!(renamed.content, twenty_lines().replace("\n10\n", "\nten\n"));
    }

    #[test]
    fn several_hunks_in_one_file_apply_in_order_with_their_offsets() {
        let patch = text(&[
            "--- a/n.txt",
            "+++ b/n.txt",
            "@@ -2,3 +2,3 @@",
            " 2",
            "-3",
            "+three",
            " 4",
            "@@ -15,3 +15,4 @@",
            " 15",
            " 16",
            "+16.5",
            " 17",
        ]);
        let files = parse(&patch, PatchFormat::Auto).unwrap();
        assert_eq!(files[0].path, "n.txt");
        let applied = apply(&twenty_lines(), hunks_of(&files[0])).unwrap();
        let expected = twenty_lines()
            .replace("\n3\n", "\nthree\n")
            .replace("\n16\n", "\n16\n16.5\n");
        assert_eq!(
            applied,
            Applied {
                content: expected,
                offsets: vec![0, 0],
                fuzzy: false
            }
        );
    }

    #[test]
    fn a_hunk_moved_down_by_three_lines_applies_with_offset_3() {
        let hunk = numbered(5, &["5", "6", "7"], &["5", "six", "7"]);
        let original = format!("a\nb\nc\n{}", twenty_lines());
        let applied = apply(&original, &[hunk]).unwrap();
        assert_eq!(applied.offsets, vec![3]);
        assert_eq!(applied.content, original.replace("\n6\n", "\nsix\n"));
        assert!(!applied.fuzzy);
    }

    #[test]
    fn a_hunk_moved_up_by_two_lines_applies_with_offset_minus_2() {
        let hunk = numbered(9, &["7", "8"], &["7", "eight"]);
        let applied = apply(&twenty_lines(), &[hunk]).unwrap();
        assert_eq!(applied.offsets, vec![-2]);
        assert_eq!(
            applied.content,
            twenty_lines().replace("\n8\n", "\neight\n")
        );
    }

    #[test]
    fn the_nearest_of_two_matching_places_wins() {
        let original = text(&["x", "a", "x", "b", "b", "b", "b", "x", "c"]);
        // Stated at line 7: the `x` at line 8 is 1 away, the one at line 3 is 4 away.
        let applied = apply(&original, &[numbered(7, &["x"], &["X"])]).unwrap();
        assert_eq!(applied.offsets, vec![1]);
        assert_eq!(
            applied.content,
            text(&["x", "a", "x", "b", "b", "b", "b", "X", "c"])
        );
    }

    #[test]
    fn trailing_whitespace_differences_apply_but_mark_the_result_fuzzy() {
        let original = "fn main() {   \n    run();\n}\n";
        let hunk = numbered(
            1,
            &["fn main() {", "    run();"],
            &["fn main() {", "    go();"],
        );
        let applied = apply(original, &[hunk]).unwrap();
        assert!(applied.fuzzy);
        assert_eq!(applied.content, "fn main() {\n    go();\n}\n");
    }

    #[test]
    fn a_unified_hunk_with_different_indentation_does_not_apply() {
        let original = "if x:\n    y()\n";
        let hunk = numbered(1, &["if x:", "  y()"], &["if x:", "  z()"]);
        let conflict = apply(original, &[hunk]).unwrap_err();
        assert_eq!(conflict.hunk, 1);
    }

    #[test]
    fn a_conflict_names_the_hunk_the_stated_line_and_what_the_file_has_there() {
        let first = numbered(2, &["2"], &["two"]);
        let second = numbered(10, &["10", "eleven", "12"], &["10", "11", "12"]);
        let conflict = apply(&twenty_lines(), &[first, second]).unwrap_err();
        assert_eq!(
            conflict,
            Conflict {
                hunk: 2,
                line: 10,
                expected: strings(&["10", "eleven", "12"]),
                found: strings(&["10", "11", "12"]),
                message: "hunk 2 does not apply: its 3 expected lines are not at line 10 or \
                          anywhere after line 2, where the previous hunk ends, even ignoring \
                          trailing whitespace; the closest place is line 10, where 2 of 3 lines \
                          match ignoring whitespace"
                    .to_string(),
            }
        );
        assert_eq!(conflict.to_string(), conflict.message);
    }

    #[test]
    fn a_conflict_near_the_end_of_the_file_shows_the_fewer_lines_that_are_there() {
        let conflict = apply("a\nb\n", &[numbered(2, &["b", "c", "d"], &["b"])]).unwrap_err();
        assert_eq!(conflict.line, 2);
        assert_eq!(conflict.found, strings(&["b"]));
    }

    #[test]
    fn a_failing_second_hunk_fails_the_whole_file() {
        let good = numbered(1, &["1"], &["one"]);
        let bad = numbered(5, &["not there"], &["x"]);
        let result = apply(&twenty_lines(), &[good, bad]);
        assert!(matches!(result, Err(Conflict { hunk: 2, .. })));
    }

    #[test]
    fn hunks_may_not_overlap_the_previous_hunk() {
        let first = numbered(3, &["3", "4"], &["3", "four"]);
        let second = numbered(4, &["4"], &["FOUR"]);
        let conflict = apply(&twenty_lines(), &[first, second]).unwrap_err();
        assert_eq!(conflict.hunk, 2);
    }

    #[test]
    fn a_pure_insertion_goes_after_the_line_its_header_names() {
        let patch = text(&["--- a/f", "+++ b/f", "@@ -2,0 +3,2 @@", "+x", "+y"]);
        let files = parse(&patch, PatchFormat::Unified).unwrap();
        assert_eq!(hunks_of(&files[0])[0].old_start, Some(3));
        let applied = apply("a\nb\nc\n", hunks_of(&files[0])).unwrap();
        assert_eq!(applied.content, "a\nb\nx\ny\nc\n");
        assert_eq!(applied.offsets, vec![0]);
    }

    #[test]
    fn adding_lines_to_an_empty_file_ends_them_with_a_newline() {
        let hunk = numbered(1, &[], &["first", "second"]);
        assert_eq!(apply("", &[hunk]).unwrap().content, "first\nsecond\n");
    }

    #[test]
    fn removing_every_line_leaves_an_empty_file() {
        let hunk = numbered(1, &["a", "b"], &[]);
        assert_eq!(apply("a\nb\n", &[hunk]).unwrap().content, "");
    }

    #[test]
    fn an_empty_line_inside_a_hunk_counts_as_empty_context() {
        let patch = text(&[
            "--- a/f",
            "+++ b/f",
            "@@ -1,3 +1,3 @@",
            " a",
            "",
            "-b",
            "+B",
        ]);
        let files = parse(&patch, PatchFormat::Unified).unwrap();
        let hunk = &hunks_of(&files[0])[0];
        assert_eq!(hunk.old_lines, strings(&["a", "", "b"]));
        assert_eq!(
            apply("a\n\nb\n", hunks_of(&files[0])).unwrap().content,
            "a\n\nB\n"
        );
    }

    // --- unified: newlines and line endings -------------------------------------------------

    #[test]
    fn removing_the_no_newline_marker_gives_the_file_a_final_newline() {
        let patch = text(&[
            "--- a/f",
            "+++ b/f",
            "@@ -1,2 +1,2 @@",
            " a",
            "-b",
            "\\ No newline at end of file",
            "+b",
        ]);
        let files = parse(&patch, PatchFormat::Unified).unwrap();
        assert_eq!(
            apply("a\nb", hunks_of(&files[0])).unwrap().content,
            "a\nb\n"
        );
    }

    #[test]
    fn a_no_newline_marker_on_the_new_side_drops_the_final_newline() {
        let patch = text(&[
            "--- a/f",
            "+++ b/f",
            "@@ -1,2 +1,2 @@",
            " a",
            "-b",
            "+c",
            "\\ No newline at end of file",
        ]);
        let files = parse(&patch, PatchFormat::Unified).unwrap();
        assert_eq!(
            apply("a\nb\n", hunks_of(&files[0])).unwrap().content,
            "a\nc"
        );
    }

    #[test]
    fn a_no_newline_marker_on_context_keeps_the_file_without_one() {
        let patch = text(&[
            "--- a/f",
            "+++ b/f",
            "@@ -1,2 +1,3 @@",
            "-a",
            "+A",
            "+A2",
            " b",
            "\\ No newline at end of file",
        ]);
        let files = parse(&patch, PatchFormat::Unified).unwrap();
        let hunk = &hunks_of(&files[0])[0];
        assert!(hunk.old_missing_newline && hunk.new_missing_newline);
        assert_eq!(
            apply("a\nb", hunks_of(&files[0])).unwrap().content,
            "A\nA2\nb"
        );
    }

    #[test]
    fn a_file_without_a_final_newline_keeps_it_missing_when_a_hunk_elsewhere_applies() {
        let hunk = numbered(1, &["a"], &["A"]);
        assert_eq!(apply("a\nb\nc", &[hunk]).unwrap().content, "A\nb\nc");
    }

    #[test]
    fn a_hunk_with_a_no_newline_marker_must_match_at_the_end_of_the_file() {
        let hunk = Hunk {
            old_missing_newline: true,
            ..numbered(1, &["x"], &["y"])
        };
        assert!(apply("x\nx", std::slice::from_ref(&hunk)).unwrap().content == "x\ny\n");
        assert!(apply("x\nz", &[hunk]).is_err());
    }

    #[test]
    fn an_added_file_with_a_no_newline_marker_has_no_final_newline() {
        let patch = text(&[
            "--- /dev/null",
            "+++ b/new.txt",
            "@@ -0,0 +1,2 @@",
            "+a",
            "+b",
            "\\ No newline at end of file",
        ]);
        let files = parse(&patch, PatchFormat::Unified).unwrap();
        assert_eq!(
            files,
            vec![FilePatch {
                path: "new.txt".to_string(),
                op: PatchOp::Add {
                    content: "a\nb".to_string()
                }
            }]
        );
    }

    #[test]
    fn a_crlf_file_keeps_crlf_for_inserted_lines() {
        let hunk = numbered(2, &["b"], &["B", "B2"]);
        let applied = apply("a\r\nb\r\nc\r\n", &[hunk]).unwrap();
        assert_eq!(applied.content, "a\r\nB\r\nB2\r\nc\r\n");
        assert!(!applied.fuzzy);
    }

    #[test]
    fn a_patch_sent_with_crlf_endings_applies_to_an_lf_file() {
        let patch = "--- a/f\r\n+++ b/f\r\n@@ -1 +1 @@\r\n-a\r\n+b\r\n";
        let files = parse(patch, PatchFormat::Unified).unwrap();
        assert_eq!(apply("a\n", hunks_of(&files[0])).unwrap().content, "b\n");
    }

    #[test]
    fn a_crlf_file_added_by_an_lf_patch_keeps_its_crs() {
        let patch = "--- /dev/null\n+++ b/w.txt\n@@ -0,0 +1,2 @@\n+a\r\n+b\r\n";
        let files = parse(patch, PatchFormat::Unified).unwrap();
        assert_eq!(
            files[0].op,
            PatchOp::Add {
                content: "a\r\nb\r\n".to_string()
            }
        );
    }

    // --- unified: headers and paths ---------------------------------------------------------

    #[test]
    fn a_git_pure_rename_is_an_update_with_no_hunks() {
        let patch = text(&[
            "diff --git a/src/old name.rs b/src/new name.rs",
            "similarity index 100%",
            "rename from src/old name.rs",
            "rename to src/new name.rs",
        ]);
        assert_eq!(
            parse(&patch, PatchFormat::Auto).unwrap(),
            vec![update("src/old name.rs", vec![], Some("src/new name.rs"))]
        );
    }

    #[test]
    fn a_git_mode_change_alone_changes_nothing_and_is_skipped() {
        let patch = text(&[
            "diff --git a/run.sh b/run.sh",
            "old mode 100644",
            "new mode 100755",
            "diff --git a/f b/f",
            "--- a/f",
            "+++ b/f",
            "@@ -1 +1 @@",
            "-a",
            "+b",
        ]);
        let files = parse(&patch, PatchFormat::Auto).unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].path, "f");
    }

    #[test]
    fn a_git_diff_without_prefixes_keeps_paths_that_start_with_a_slash_dir() {
        let patch = text(&[
            "diff --git a/x.txt a/x.txt",
            "--- a/x.txt",
            "+++ a/x.txt",
            "@@ -1 +1 @@",
            "-1",
            "+2",
        ]);
        assert_eq!(parse(&patch, PatchFormat::Auto).unwrap()[0].path, "a/x.txt");
    }

    #[test]
    fn prefixes_are_stripped_only_when_both_sides_have_them() {
        let mixed = text(&["--- a/x", "+++ a/x", "@@ -1 +1 @@", "-1", "+2"]);
        assert_eq!(parse(&mixed, PatchFormat::Auto).unwrap()[0].path, "a/x");
        let both = text(&["--- a/src/x", "+++ b/src/x", "@@ -1 +1 @@", "-1", "+2"]);
        assert_eq!(parse(&both, PatchFormat::Auto).unwrap()[0].path, "src/x");
    }

    #[test]
    fn a_diff_u_with_timestamps_targets_the_shorter_of_two_names() {
        let patch = text(&[
            "--- lib/app.py.orig\t2024-05-01 10:00:00.000000000 +0200",
            "+++ lib/app.py\t2024-05-01 10:05:00.000000000 +0200",
            "@@ -1 +1 @@",
            "-a",
            "+b",
        ]);
        assert_eq!(
            parse(&patch, PatchFormat::Auto).unwrap(),
            vec![update(
                "lib/app.py",
                vec![numbered(1, &["a"], &["b"])],
                None
            )]
        );
    }

    #[test]
    fn a_plain_diff_against_dev_null_is_a_delete() {
        let patch = text(&[
            "--- a/gone.txt",
            "+++ /dev/null",
            "@@ -1,2 +0,0 @@",
            "-x",
            "-y",
        ]);
        assert_eq!(
            parse(&patch, PatchFormat::Auto).unwrap(),
            vec![FilePatch {
                path: "gone.txt".to_string(),
                op: PatchOp::Delete
            }]
        );
    }

    #[test]
    fn an_email_from_git_format_patch_parses_past_its_preamble_and_signature() {
        let patch = text(&[
            "From 1a2b3c Mon Sep 17 00:00:00 2001",
            "Subject: [PATCH] x",
            "",
            "---",
            " x.txt | 2 ++",
            " 1 file changed, 2 insertions(+)",
            "",
            "diff --git a/x.txt b/x.txt",
            "new file mode 100644",
            "index 0000000..422c2b7",
            "--- /dev/null",
            "+++ b/x.txt",
            "@@ -0,0 +1,2 @@",
            "+a",
            "+b",
            "-- ",
            "2.47.3",
        ]);
        assert_eq!(
            parse(&patch, PatchFormat::Auto).unwrap(),
            vec![FilePatch {
                path: "x.txt".to_string(),
                op: PatchOp::Add {
                    content: "a\nb\n".to_string()
                }
            }]
        );
    }

    // --- unified: malformed input -----------------------------------------------------------

    #[test]
    fn a_malformed_hunk_header_is_an_error_on_its_line() {
        let patch = text(&["--- a/f", "+++ b/f", "@@ -1,x +1 @@", "-a", "+b"]);
        let err = parse_err(&patch, PatchFormat::Unified);
        assert_eq!(err.line, 3);
        assert!(err
            .message
            .starts_with("malformed hunk header `@@ -1,x +1 @@`"));
    }

    #[test]
    fn a_hunk_shorter_than_its_header_is_an_error_naming_the_header_line() {
        let patch = text(&[
            "--- a/f",
            "+++ b/f",
            "@@ -1,3 +1,3 @@",
            " a",
            "-b",
            "+B",
            "diff --git a/g b/g",
        ]);
        assert_eq!(
            parse_err(&patch, PatchFormat::Unified),
            ParseError {
                line: 3,
                message: "hunk header `@@ -1,3 +1,3 @@` promises 3 old and 3 new lines, but \
                          line 7 ends the hunk after 2 old and 2 new"
                    .to_string()
            }
        );
    }

    #[test]
    fn a_hunk_cut_off_by_the_end_of_the_patch_is_an_error() {
        let patch = text(&["--- a/f", "+++ b/f", "@@ -1,2 +1,2 @@", " a"]);
        let err = parse_err(&patch, PatchFormat::Unified);
        assert_eq!(err.line, 3);
        assert!(err
            .message
            .ends_with("the patch ends after 1 old and 1 new"));
    }

    #[test]
    fn a_hunk_longer_than_its_header_is_an_error_naming_the_header_line() {
        let patch = text(&["--- a/f", "+++ b/f", "@@ -1 +1 @@", "-a", "+b", "+c"]);
        let err = parse_err(&patch, PatchFormat::Unified);
        assert_eq!(err.line, 3);
        assert!(
            err.message.ends_with("line 6 continues the hunk past them"),
            "{err}"
        );
    }

    #[test]
    fn an_extra_removed_line_inside_a_hunk_is_an_error() {
        let patch = text(&["--- a/f", "+++ b/f", "@@ -1 +1,2 @@", "-a", "-b", "+c"]);
        let err = parse_err(&patch, PatchFormat::Unified);
        assert_eq!(err.line, 3);
        assert!(err
            .message
            .ends_with("line 5 is one removed line more than that"));
    }

    #[test]
    fn a_binary_patch_is_refused_on_its_marker_line() {
        let patch = text(&[
            "diff --git a/logo.png b/logo.png",
            "index 1111111..2222222 100644",
            "Binary files a/logo.png and b/logo.png differ",
        ]);
        assert_eq!(
            parse_err(&patch, PatchFormat::Auto),
            ParseError::new(3, "binary patches are not supported")
        );
        let literal = text(&[
            "diff --git a/x b/x",
            "index 1..2",
            "GIT binary patch",
            "literal 5",
        ]);
        assert_eq!(parse_err(&literal, PatchFormat::Auto).line, 3);
    }

    #[test]
    fn a_hunk_before_any_file_header_is_an_error() {
        let patch = text(&["@@ -1 +1 @@", "-a", "+b"]);
        assert_eq!(parse_err(&patch, PatchFormat::Unified).line, 1);
    }

    #[test]
    fn a_file_header_without_hunks_is_an_error_on_the_next_line() {
        let patch = text(&["--- a/f", "+++ b/f", "some text"]);
        assert_eq!(parse_err(&patch, PatchFormat::Unified).line, 3);
    }

    #[test]
    fn a_patch_with_no_files_is_an_empty_patch_error() {
        for patch in ["", "\n\n", "just some words\n"] {
            let err = parse_err(patch, PatchFormat::Auto);
            assert_eq!(err.line, 1, "{patch:?}");
            assert!(err.message.starts_with("empty patch"), "{patch:?}");
        }
    }

    #[test]
    fn the_same_path_twice_is_an_error_on_the_second_section() {
        let patch = text(&[
            "--- a/f",
            "+++ b/f",
            "@@ -1 +1 @@",
            "-a",
            "+b",
            "--- a/f",
            "+++ b/f",
            "@@ -3 +3 @@",
            "-c",
            "+d",
        ]);
        assert_eq!(
            parse_err(&patch, PatchFormat::Unified),
            ParseError::new(6, "`f` appears more than once in this patch")
        );
    }

    #[test]
    fn a_path_with_a_nul_byte_is_an_error() {
        let patch = "--- a/x\0y\n+++ b/x\0y\n@@ -1 +1 @@\n-a\n+b\n";
        assert_eq!(
            parse_err(patch, PatchFormat::Unified),
            ParseError::new(1, "file path contains a NUL byte")
        );
    }

    #[test]
    fn copies_are_refused() {
        let patch = text(&[
            "diff --git a/x b/y",
            "similarity index 100%",
            "copy from x",
            "copy to y",
        ]);
        assert_eq!(parse_err(&patch, PatchFormat::Auto).line, 3);
    }

    #[test]
    fn a_parse_error_displays_its_line() {
        let err = ParseError::new(7, "bad");
        assert_eq!(err.to_string(), "patch line 7: bad");
    }

    // --- envelope ---------------------------------------------------------------------------

    fn envelope_example() -> String {
        text(&[
            "*** Begin Patch",
            "*** Add File: path/new.txt",
            "+first line",
            "+second line",
            "*** Update File: src/app.py",
            "*** Move to: src/main.py",
            "@@ def handler():",
            " context line",
            "-old line",
            "+new line",
            "*** Delete File: old.txt",
            "*** End Patch",
        ])
    }

    #[test]
    fn an_envelope_with_add_update_move_and_delete_parses() {
        let files = parse(&envelope_example(), PatchFormat::Auto).unwrap();
        assert_eq!(
            files,
            vec![
                FilePatch {
                    path: "path/new.txt".to_string(),
                    op: PatchOp::Add {
                        content: "first line\nsecond line\n".to_string()
                    }
                },
                update(
                    "src/app.py",
                    vec![Hunk {
                        context: Some("def handler():".to_string()),
                        old_lines: strings(&["context line", "old line"]),
                        new_lines: strings(&["context line", "new line"]),
                        ..Hunk::default()
                    }],
                    Some("src/main.py")
                ),
                FilePatch {
                    path: "old.txt".to_string(),
                    op: PatchOp::Delete
                },
            ]
        );
    }

    #[test]
    fn an_envelope_update_applies_its_chunks_in_order() {
        let patch = text(&[
            "*** Begin Patch",
            "*** Update File: app.py",
            " import os",
            "-import sys",
            "@@",
            " def main():",
            "-    pass",
            "+    run()",
            "*** End Patch",
        ]);
        let files = parse(&patch, PatchFormat::Envelope).unwrap();
        let original = "import os\nimport sys\n\ndef main():\n    pass\n";
        let applied = apply(original, hunks_of(&files[0])).unwrap();
        assert_eq!(
            applied,
            Applied {
                content: "import os\n\ndef main():\n    run()\n".to_string(),
                offsets: vec![0, 1],
                fuzzy: false
            }
        );
    }

    #[test]
    fn a_context_header_picks_the_second_of_two_identical_blocks() {
        let original = text(&[
            "def first():",
            "    return 1",
            "",
            "def second():",
            "    return 1",
        ]);
        let patch = text(&[
            "*** Begin Patch",
            "*** Update File: m.py",
            "@@ def second():",
            "-    return 1",
            "+    return 2",
            "*** End Patch",
        ]);
        let files = parse(&patch, PatchFormat::Auto).unwrap();
        let applied = apply(&original, hunks_of(&files[0])).unwrap();
        assert_eq!(
            applied.content,
            text(&[
                "def first():",
                "    return 1",
                "",
                "def second():",
                "    return 2",
            ])
        );
        assert_eq!(applied.offsets, vec![0]);
    }

    #[test]
    fn a_context_header_repeated_as_the_first_context_line_still_matches() {
        let original = text(&["def a():", "    pass", "def b():", "    pass"]);
        let hunk = Hunk {
            context: Some("def b():".to_string()),
            old_lines: strings(&["def b():", "    pass"]),
            new_lines: strings(&["def b():", "    return 1"]),
            ..Hunk::default()
        };
        let applied = apply(&original, &[hunk]).unwrap();
        assert_eq!(
            applied.content,
            text(&["def a():", "    pass", "def b():", "    return 1"])
        );
        assert_eq!(applied.offsets, vec![0]);
    }

    #[test]
    fn an_lf_patch_of_a_crlf_file_reads_a_lone_cr_as_empty_context() {
        let patch = "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\r\n\r\n-b\r\n+B\r\n";
        let files = parse(patch, PatchFormat::Unified).unwrap();
        let applied = apply("a\r\n\r\nb\r\n", hunks_of(&files[0])).unwrap();
        assert_eq!(applied.content, "a\r\n\r\nB\r\n");
        assert!(!applied.fuzzy);
    }

    #[test]
    fn stacked_context_headers_narrow_the_search_step_by_step() {
        let original = text(&[
            "class A:",
            "    def run(self):",
            "        pass",
            "class B:",
            "    def run(self):",
            "        pass",
        ]);
        let patch = text(&[
            "*** Begin Patch",
            "*** Update File: m.py",
            "@@ class B:",
            "@@     def run(self):",
            "-        pass",
            "+        return 2",
            "*** End Patch",
        ]);
        let files = parse(&patch, PatchFormat::Auto).unwrap();
        let content = apply(&original, hunks_of(&files[0])).unwrap().content;
        assert_eq!(
            content,
            text(&[
                "class A:",
                "    def run(self):",
                "        pass",
                "class B:",
                "    def run(self):",
                "        return 2",
            ])
        );
    }

    #[test]
    fn an_end_of_file_chunk_matches_the_last_occurrence() {
        let original = text(&["x = 1", "print(x)", "x = 1", "print(x)"]);
        let patch = text(&[
            "*** Begin Patch",
            "*** Update File: m.py",
            "@@",
            " x = 1",
            "-print(x)",
            "+print(x + 1)",
            "*** End of File",
            "*** End Patch",
        ]);
        let files = parse(&patch, PatchFormat::Auto).unwrap();
        assert!(hunks_of(&files[0])[0].end_of_file);
        let applied = apply(&original, hunks_of(&files[0])).unwrap();
        assert_eq!(
            applied.content,
            text(&["x = 1", "print(x)", "x = 1", "print(x + 1)"])
        );
        assert_eq!(applied.offsets, vec![2]);
    }

    #[test]
    fn an_end_of_file_chunk_that_is_not_at_the_end_conflicts() {
        let hunk = Hunk {
            old_lines: strings(&["a"]),
            new_lines: strings(&["b"]),
            end_of_file: true,
            ..Hunk::default()
        };
        let conflict = apply("a\nz\n", &[hunk]).unwrap_err();
        assert_eq!(conflict.line, 2);
        assert_eq!(conflict.found, strings(&["z"]));
    }

    #[test]
    fn re_indented_envelope_context_matches_and_is_marked_fuzzy() {
        let original = "def f():\n    a = 1\n    b = 2\n";
        let hunk = Hunk {
            old_lines: strings(&["  a = 1", "  b = 2"]),
            new_lines: strings(&["    a = 1", "    b = 3"]),
            ..Hunk::default()
        };
        let applied = apply(original, &[hunk]).unwrap();
        assert!(applied.fuzzy);
        assert_eq!(applied.content, "def f():\n    a = 1\n    b = 3\n");
    }

    #[test]
    fn an_exact_match_later_in_the_file_beats_a_fuzzy_one_earlier() {
        let original = "a  \nb\na\nb\n";
        let hunk = Hunk {
            old_lines: strings(&["a", "b"]),
            new_lines: strings(&["A", "b"]),
            ..Hunk::default()
        };
        let applied = apply(original, &[hunk]).unwrap();
        assert_eq!(applied.content, "a  \nb\nA\nb\n");
        assert!(!applied.fuzzy);
        assert_eq!(applied.offsets, vec![2]);
    }

    #[test]
    fn an_envelope_update_keeps_a_missing_final_newline() {
        let hunk = Hunk {
            old_lines: strings(&["b"]),
            new_lines: strings(&["B", "C"]),
            ..Hunk::default()
        };
        assert_eq!(apply("a\nb", &[hunk]).unwrap().content, "a\nB\nC");
    }

    #[test]
    fn an_envelope_chunk_of_only_added_lines_goes_after_its_header_or_at_the_end() {
        let anchored = Hunk {
            context: Some("[deps]".to_string()),
            new_lines: strings(&["serde = \"1\""]),
            ..Hunk::default()
        };
        let original = "[package]\nname = \"x\"\n[deps]\nlibc = \"0.2\"\n";
        assert_eq!(
            apply(original, &[anchored]).unwrap().content,
            "[package]\nname = \"x\"\n[deps]\nserde = \"1\"\nlibc = \"0.2\"\n"
        );
        let bare = Hunk {
            new_lines: strings(&["tail"]),
            ..Hunk::default()
        };
        assert_eq!(apply("a\n", &[bare]).unwrap().content, "a\ntail\n");
    }

    #[test]
    fn a_missing_context_header_is_a_conflict_naming_it() {
        let hunk = Hunk {
            context: Some("def nowhere():".to_string()),
            old_lines: strings(&["x"]),
            new_lines: strings(&["y"]),
            ..Hunk::default()
        };
        let conflict = apply("x\n", &[hunk]).unwrap_err();
        assert_eq!(conflict.line, 1);
        assert!(conflict.message.starts_with(
            "hunk 1 does not apply: its context line `def nowhere():` is not at or after line 1"
        ));
    }

    #[test]
    fn an_envelope_conflict_reports_where_the_search_began() {
        let hunks = vec![
            Hunk {
                old_lines: strings(&["2"]),
                new_lines: strings(&["two"]),
                ..Hunk::default()
            },
            Hunk {
                old_lines: strings(&["1"]),
                new_lines: strings(&["one"]),
                ..Hunk::default()
            },
        ];
        let conflict = apply("1\n2\n3\n", &hunks).unwrap_err();
        assert_eq!(
            conflict,
            Conflict {
                hunk: 2,
                line: 3,
                expected: strings(&["1"]),
                found: strings(&["3"]),
                message: "hunk 2 does not apply: its 1 expected lines are not at or after \
                          line 3, even ignoring whitespace; none of its lines appear in that \
                          part of the file"
                    .to_string(),
            }
        );
    }

    #[test]
    fn a_heredoc_wrapper_around_the_envelope_is_ignored() {
        let wrapped = format!("\napply_patch <<'EOF'\n{}EOF\n\n", envelope_example());
        assert_eq!(
            parse(&wrapped, PatchFormat::Auto).unwrap(),
            parse(&envelope_example(), PatchFormat::Envelope).unwrap()
        );
    }

    #[test]
    fn auto_detects_the_envelope_only_from_its_first_line() {
        assert!(looks_like_envelope(&split_patch_lines(&envelope_example())));
        assert!(!looks_like_envelope(&split_patch_lines(&real_git_diff())));
        let quoted = format!("Here is the patch:\n{}", envelope_example());
        assert!(!looks_like_envelope(&split_patch_lines(&quoted)));
    }

    #[test]
    fn an_envelope_without_end_patch_is_an_error_at_its_last_line() {
        let patch = text(&["*** Begin Patch", "*** Delete File: x"]);
        assert_eq!(
            parse_err(&patch, PatchFormat::Auto),
            ParseError::new(2, "missing `*** End Patch`: the patch ends without it")
        );
    }

    #[test]
    fn the_envelope_format_without_begin_patch_is_an_error_on_the_first_line() {
        let patch = text(&["", "*** Update File: x", "*** End Patch"]);
        assert_eq!(
            parse_err(&patch, PatchFormat::Envelope),
            ParseError::new(2, "expected `*** Begin Patch`, found `*** Update File: x`")
        );
    }

    #[test]
    fn text_after_end_patch_is_an_error() {
        let patch = format!("{}Hope this helps!\n", envelope_example());
        assert_eq!(parse_err(&patch, PatchFormat::Auto).line, 13);
    }

    #[test]
    fn an_empty_envelope_is_an_empty_patch_error() {
        let patch = text(&["*** Begin Patch", "*** End Patch"]);
        let err = parse_err(&patch, PatchFormat::Auto);
        assert_eq!(err.line, 1);
        assert!(err.message.starts_with("empty patch"));
    }

    #[test]
    fn an_unknown_envelope_directive_is_an_error_on_its_line() {
        let patch = text(&["*** Begin Patch", "*** Rename File: x", "*** End Patch"]);
        assert_eq!(parse_err(&patch, PatchFormat::Auto).line, 2);
    }

    #[test]
    fn an_update_line_without_a_prefix_is_an_error_on_its_line() {
        let patch = text(&[
            "*** Begin Patch",
            "*** Update File: x",
            "@@",
            "-a",
            "b",
            "*** End Patch",
        ]);
        assert_eq!(parse_err(&patch, PatchFormat::Auto).line, 5);
    }

    #[test]
    fn an_update_with_no_changes_is_an_error() {
        let patch = text(&["*** Begin Patch", "*** Update File: x", "*** End Patch"]);
        assert_eq!(
            parse_err(&patch, PatchFormat::Auto),
            ParseError::new(2, "`*** Update File: x` has no changes")
        );
    }

    #[test]
    fn a_move_to_away_from_its_update_is_an_error() {
        let patch = text(&[
            "*** Begin Patch",
            "*** Update File: x",
            "-a",
            "*** Move to: y",
            "*** End Patch",
        ]);
        assert_eq!(parse_err(&patch, PatchFormat::Auto).line, 4);
    }

    #[test]
    fn a_move_onto_a_file_the_patch_also_adds_is_an_error() {
        let patch = text(&[
            "*** Begin Patch",
            "*** Update File: x",
            "*** Move to: y",
            "*** Add File: y",
            "+hi",
            "*** End Patch",
        ]);
        assert_eq!(
            parse_err(&patch, PatchFormat::Auto),
            ParseError::new(4, "`y` appears more than once in this patch")
        );
    }

    #[test]
    fn an_empty_envelope_path_is_an_error() {
        let patch = text(&["*** Begin Patch", "*** Delete File:   ", "*** End Patch"]);
        assert_eq!(
            parse_err(&patch, PatchFormat::Auto),
            ParseError::new(2, "empty file path")
        );
    }

    #[test]
    fn blank_lines_inside_an_envelope_chunk_are_context_but_trailing_ones_are_spacing() {
        let patch = text(&[
            "*** Begin Patch",
            "*** Update File: x",
            "@@",
            " a",
            "",
            "-b",
            "+B",
            "",
            "*** Add File: y",
            "+one",
            "",
            "+three",
            "",
            "*** End Patch",
        ]);
        let files = parse(&patch, PatchFormat::Auto).unwrap();
        assert_eq!(hunks_of(&files[0])[0].old_lines, strings(&["a", "", "b"]));
        assert_eq!(
            files[1].op,
            PatchOp::Add {
                content: "one\n\nthree\n".to_string()
            }
        );
    }

    #[test]
    fn a_unified_range_header_inside_the_envelope_keeps_only_its_section_text() {
        assert_eq!(
            chunk_header("@@ -12,3 +12,4 @@ fn run()"),
            Some(Some("fn run()".to_string()))
        );
        assert_eq!(chunk_header("@@ -1 +1 @@"), Some(None));
        assert_eq!(
            chunk_header("@@ class Foo:"),
            Some(Some("class Foo:".to_string()))
        );
        assert_eq!(chunk_header("@@"), Some(None));
        assert_eq!(chunk_header("@@@ x"), None);
    }

    #[test]
    fn an_envelope_update_of_a_crlf_file_keeps_crlf() {
        let hunk = Hunk {
            old_lines: strings(&["b"]),
            new_lines: strings(&["B"]),
            ..Hunk::default()
        };
        assert_eq!(apply("a\r\nb\r\n", &[hunk]).unwrap().content, "a\r\nB\r\n");
    }

    #[test]
    fn heredoc_delimiters_are_read_in_their_usual_spellings() {
        let cases = [
            ("apply_patch <<'EOF'", Some("EOF")),
            ("apply_patch <<\"PATCH\"", Some("PATCH")),
            ("cat <<-END | apply_patch", Some("END")),
            ("apply_patch << EOF", Some("EOF")),
            ("*** Begin Patch", None),
            ("x <<< 'string'", None),
        ];
        for (line, expected) in cases {
            assert_eq!(heredoc_delimiter(line), expected, "{line}");
        }
    }

    #[test]
    fn git_quoted_paths_are_decoded() {
        assert_eq!(
            c_unquote("\"a\\tb \\\"c\\\" \\303\\251\" rest"),
            Some(("a\tb \"c\" é".to_string(), " rest"))
        );
        assert_eq!(c_unquote("\"unterminated"), None);
        assert_eq!(c_unquote("\"\\777\""), None);
    }
}
