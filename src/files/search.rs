//! Search a workspace tree with ripgrep's searcher: regex or literal, optional case folding,
//! globs, context lines, and caps on matches, line length and file size. Files are found by
//! the confined walk and opened relative to their directory's descriptor with `O_NOFOLLOW`,
//! so a search never reads outside the workspace whatever the tree does meanwhile. Binary
//! files (a NUL byte) are skipped, as ripgrep does by default.

use grep_matcher::Matcher;
use grep_regex::{RegexMatcher, RegexMatcherBuilder};
use grep_searcher::{
    BinaryDetection, Searcher, SearcherBuilder, Sink, SinkContext, SinkContextKind, SinkMatch,
};

use super::root::openat;
use super::walk::{glob_matches, globs, walk, Control, WalkOpts};
use super::{FileCode, FileError, Kind, RelPath, Root};

#[derive(Debug, Clone)]
pub struct SearchOpts {
    pub pattern: String,
    /// The pattern is text, not a regex.
    pub literal: bool,
    pub case_insensitive: bool,
    /// Only files whose path matches one of these.
    pub globs: Vec<String>,
    /// Where to start (a directory or one file).
    pub start: RelPath,
    /// Lines before and after each match.
    pub context: usize,
    pub max_matches: usize,
    /// Larger files are skipped (counted in `files_skipped`).
    pub max_file_bytes: u64,
    /// A matched or context line longer than this is cut (and says so).
    pub max_line_bytes: usize,
    pub hidden: bool,
    pub gitignore: bool,
    pub max_depth: usize,
}

/// One matching line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub path: RelPath,
    /// 1-based.
    pub line: u64,
    /// 1-based byte column of the first match on the line.
    pub column: u64,
    pub text: Vec<u8>,
    pub before: Vec<(u64, Vec<u8>)>,
    pub after: Vec<(u64, Vec<u8>)>,
}

#[derive(Debug, Clone, Default)]
pub struct SearchOut {
    pub hits: Vec<Hit>,
    pub files_searched: u64,
    pub files_matched: u64,
    /// Binary, too large, or unreadable with the owner's identity.
    pub files_skipped: u64,
    /// `max_matches` was reached; more may exist.
    pub truncated: bool,
}

/// Run a search.
pub fn search(root: &Root, opts: &SearchOpts) -> Result<SearchOut, FileError> {
    let matcher = RegexMatcherBuilder::new()
        .case_insensitive(opts.case_insensitive)
        .fixed_strings(opts.literal)
        .line_terminator(Some(b'\n'))
        .build(&opts.pattern)
        .map_err(|e| FileError::new(FileCode::PathInvalid, format!("pattern: {e}")))?;
    let globs = globs(&opts.globs)?;
    let mut searcher = SearcherBuilder::new()
        .line_number(true)
        .before_context(opts.context)
        .after_context(opts.context)
        .binary_detection(BinaryDetection::quit(0))
        .build();
    let mut out = SearchOut::default();
    let mut search_one = |path: &RelPath, file: std::fs::File, out: &mut SearchOut| {
        let before = out.hits.len();
        let mut sink = Collect {
            path,
            matcher: &matcher,
            out,
            pending: Vec::new(),
            max: opts.max_matches,
            max_line: opts.max_line_bytes,
            binary: false,
        };
        let result = searcher.search_file(&matcher, &file, &mut sink);
        let binary = sink.binary;
        out.files_searched += 1;
        if result.is_err() || binary {
            out.hits.truncate(before);
            out.files_skipped += 1;
        } else if out.hits.len() > before {
            out.files_matched += 1;
        }
    };
    let stat = root.stat(&opts.start)?;
    if stat.kind == Kind::File {
        let (file, _) = root.open_file(&opts.start)?;
        search_one(&opts.start, file, &mut out);
        return Ok(out);
    }
    let walk_opts = WalkOpts {
        max_depth: opts.max_depth,
        hidden: opts.hidden,
        gitignore: opts.gitignore,
        ..WalkOpts::default()
    };
    walk(root, &opts.start, &walk_opts, &mut |entry| {
        if out.truncated {
            return Control::Stop;
        }
        if entry.stat.kind != Kind::File || !glob_matches(globs.as_ref(), &entry.path) {
            return Control::Continue;
        }
        if entry.stat.size > opts.max_file_bytes {
            out.files_skipped += 1;
            return Control::Continue;
        }
        match openat(
            entry.dir,
            entry.name,
            libc::O_RDONLY | libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY,
            0,
        ) {
            Ok(fd) if super::root::fstat(&fd).is_ok_and(|s| s.kind == Kind::File) => {
                search_one(&entry.path, std::fs::File::from(fd), &mut out)
            }
            _ => out.files_skipped += 1,
        }
        Control::Continue
    })?;
    Ok(out)
}

/// Collects hits with their context for one file.
struct Collect<'a> {
    path: &'a RelPath,
    matcher: &'a RegexMatcher,
    out: &'a mut SearchOut,
    pending: Vec<(u64, Vec<u8>)>,
    max: usize,
    max_line: usize,
    binary: bool,
}

impl Collect<'_> {
    fn line(&self, bytes: &[u8]) -> Vec<u8> {
        let trimmed = bytes.strip_suffix(b"\n").unwrap_or(bytes);
        let trimmed = trimmed.strip_suffix(b"\r").unwrap_or(trimmed);
        let mut line = trimmed[..trimmed.len().min(self.max_line)].to_vec();
        if trimmed.len() > self.max_line {
            line.extend_from_slice("…".as_bytes());
        }
        line
    }
}

impl Sink for Collect<'_> {
    type Error = std::io::Error;

    fn matched(&mut self, _: &Searcher, mat: &SinkMatch<'_>) -> Result<bool, Self::Error> {
        if self.out.hits.len() >= self.max {
            self.out.truncated = true;
            return Ok(false);
        }
        let column = self
            .matcher
            .find(mat.bytes())
            .ok()
            .flatten()
            .map_or(1, |m| m.start() as u64 + 1);
        let text = self.line(mat.bytes());
        self.out.hits.push(Hit {
            path: self.path.clone(),
            line: mat.line_number().unwrap_or(0),
            column,
            text,
            before: std::mem::take(&mut self.pending),
            after: Vec::new(),
        });
        Ok(true)
    }

    fn context(&mut self, _: &Searcher, ctx: &SinkContext<'_>) -> Result<bool, Self::Error> {
        let line = (ctx.line_number().unwrap_or(0), self.line(ctx.bytes()));
        match ctx.kind() {
            SinkContextKind::After => {
                if let Some(last) = self.out.hits.last_mut() {
                    last.after.push(line);
                }
            }
            _ => self.pending.push(line),
        }
        Ok(true)
    }

    fn context_break(&mut self, _: &Searcher) -> Result<bool, Self::Error> {
        self.pending.clear();
        Ok(true)
    }

    fn binary_data(&mut self, _: &Searcher, _: u64) -> Result<bool, Self::Error> {
        self.binary = true;
        Ok(false)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn hits_carry_their_context_and_binary_files_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.rs"), "one\ntwo\nfn main() {}\nthree\n").unwrap();
        std::fs::write(dir.path().join("b.bin"), b"fn main\0binary").unwrap();
        std::fs::write(dir.path().join("c.txt"), "fn main in text\n").unwrap();
        let root = Root::open(&dir.path().canonicalize().unwrap()).unwrap();
        let opts = SearchOpts {
            pattern: "fn main".into(),
            literal: true,
            case_insensitive: false,
            globs: vec!["*.rs".into(), "*.bin".into()],
            start: RelPath::root(),
            context: 1,
            max_matches: 10,
            max_file_bytes: 1 << 20,
            max_line_bytes: 200,
            hidden: true,
            gitignore: true,
            max_depth: 32,
        };
        let out = search(&root, &opts).unwrap();
        assert_eq!(out.hits.len(), 1);
        let hit = &out.hits[0];
        assert_eq!(
            (hit.path.display(), hit.line, hit.column),
            ("a.rs".into(), 3, 1)
        );
        assert_eq!(hit.before, vec![(2, b"two".to_vec())]);
        assert_eq!(hit.after, vec![(4, b"three".to_vec())]);
        assert_eq!(
            (out.files_searched, out.files_matched, out.files_skipped),
            (2, 1, 1)
        );
    }
}
