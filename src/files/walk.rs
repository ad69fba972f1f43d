//! A confined, ordered walk of a workspace tree: each directory is opened relative to its
//! parent's descriptor with `O_NOFOLLOW`, so a directory swapped for a symlink mid-walk is
//! seen as a symlink and never entered; entries come sorted by name, depth first, which
//! makes paging by "the last path you saw" exact. `.gitignore` files are honoured the way git
//! reads them (a deeper file wins; `!` re-includes), and `.git` itself is skipped with them.

use std::ffi::{CStr, CString, OsStr};
use std::io::Read;
use std::os::fd::OwnedFd;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use super::root::{dup, fstatat, openat};
use super::{FileCode, FileError, Kind, RelPath, Root, Stat};

/// How far and what to walk.
#[derive(Debug, Clone)]
pub struct WalkOpts {
    /// 1 = the directory's own entries.
    pub max_depth: usize,
    /// Include names starting with `.`.
    pub hidden: bool,
    /// Skip what `.gitignore` files ignore, and `.git`.
    pub gitignore: bool,
    /// A directory with more entries than this is refused (`too_large`), not read into
    /// memory.
    pub max_dir_entries: usize,
}

impl Default for WalkOpts {
    fn default() -> Self {
        WalkOpts {
            max_depth: 1,
            hidden: true,
            gitignore: true,
            max_dir_entries: 100_000,
        }
    }
}

/// One entry met on the walk.
pub struct Entry<'a> {
    pub path: RelPath,
    pub name: &'a CStr,
    pub stat: Stat,
    /// 1 for the start directory's own entries.
    pub depth: usize,
    /// The directory holding the entry, for opening it without another path lookup.
    pub dir: &'a OwnedFd,
}

/// What the visitor wants next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    Continue,
    /// Do not enter this directory.
    Skip,
    Stop,
}

/// Walk `start` (a directory beneath `root`), calling `visit` for each entry in order.
pub fn walk(
    root: &Root,
    start: &RelPath,
    opts: &WalkOpts,
    visit: &mut dyn FnMut(&Entry<'_>) -> Control,
) -> Result<(), FileError> {
    let dir = root.open_dir(start)?;
    let mut ignores = Vec::new();
    if opts.gitignore {
        // The .gitignore files above the start apply to it as well.
        let mut at = RelPath::root();
        for part in start.components() {
            if let Ok(fd) = root.open_dir(&at) {
                if let Some(gi) = load_gitignore(&fd, &at) {
                    ignores.push(gi);
                }
            }
            at = at.join(part);
        }
    }
    walk_dir(dir, start, 1, opts, &mut ignores, visit).map(|_| ())
}

fn walk_dir(
    dir: OwnedFd,
    at: &RelPath,
    depth: usize,
    opts: &WalkOpts,
    ignores: &mut Vec<Gitignore>,
    visit: &mut dyn FnMut(&Entry<'_>) -> Control,
) -> Result<Control, FileError> {
    let own_ignore = if opts.gitignore {
        load_gitignore(&dir, at)
    } else {
        None
    };
    let pushed = own_ignore.is_some();
    if let Some(gi) = own_ignore {
        ignores.push(gi);
    }
    let result = walk_entries(&dir, at, depth, opts, ignores, visit);
    if pushed {
        ignores.pop();
    }
    result
}

fn walk_entries(
    dir: &OwnedFd,
    at: &RelPath,
    depth: usize,
    opts: &WalkOpts,
    ignores: &mut Vec<Gitignore>,
    visit: &mut dyn FnMut(&Entry<'_>) -> Control,
) -> Result<Control, FileError> {
    for name in read_names(dir, at, opts.max_dir_entries)? {
        let bytes = name.as_bytes();
        if !opts.hidden && bytes.first() == Some(&b'.') {
            continue;
        }
        let Ok(stat) = fstatat(dir, &name) else {
            continue; // gone since the directory was read
        };
        let path = at.join(bytes);
        if opts.gitignore && ignored(ignores, &path, bytes, stat.kind == Kind::Directory) {
            continue;
        }
        let entry = Entry {
            path,
            name: &name,
            stat,
            depth,
            dir,
        };
        match visit(&entry) {
            Control::Stop => return Ok(Control::Stop),
            Control::Skip => continue,
            Control::Continue => {}
        }
        if entry.stat.kind == Kind::Directory && depth < opts.max_depth {
            let Ok(sub) = openat(
                dir,
                &name,
                libc::O_RDONLY | libc::O_DIRECTORY | libc::O_NOFOLLOW,
                0,
            ) else {
                continue; // replaced by a symlink, or not ours to enter
            };
            let Entry { path, .. } = entry;
            if walk_dir(sub, &path, depth + 1, opts, ignores, visit)? == Control::Stop {
                return Ok(Control::Stop);
            }
        }
    }
    Ok(Control::Continue)
}

/// The names in a directory, sorted; refused past `max` entries.
fn read_names(dir: &OwnedFd, at: &RelPath, max: usize) -> Result<Vec<CString>, FileError> {
    let fd = dup(dir).map_err(|e| FileError::io(at, &e))?;
    let mut d = nix::dir::Dir::from_fd(fd).map_err(|e| FileError::io(at, &e.into()))?;
    let mut names = Vec::new();
    for entry in d.iter() {
        let entry = entry.map_err(|e| FileError::io(at, &e.into()))?;
        let name = entry.file_name();
        if name.to_bytes() == b"." || name.to_bytes() == b".." {
            continue;
        }
        if names.len() >= max {
            return Err(FileError::new(
                FileCode::TooLarge,
                format!(
                    "`{}` has more than {max} entries; list a sub-directory or use search",
                    if at.is_root() {
                        ".".to_string()
                    } else {
                        at.display()
                    }
                ),
            ));
        }
        names.push(name.to_owned());
    }
    names.sort();
    Ok(names)
}

/// Compile `patterns` (globs over the path from the workspace root; `*` also crosses `/`,
/// so `*.rs` finds every Rust file); empty = everything.
pub fn globs(patterns: &[String]) -> Result<Option<globset::GlobSet>, FileError> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut set = globset::GlobSetBuilder::new();
    for p in patterns {
        let glob = globset::GlobBuilder::new(p)
            .literal_separator(false)
            .backslash_escape(true)
            .build()
            .map_err(|e| FileError::new(FileCode::PathInvalid, format!("glob `{p}`: {e}")))?;
        set.add(glob);
    }
    set.build()
        .map(Some)
        .map_err(|e| FileError::new(FileCode::PathInvalid, format!("globs: {e}")))
}

/// Whether `path` matches the compiled globs (no globs = yes).
pub fn glob_matches(set: Option<&globset::GlobSet>, path: &RelPath) -> bool {
    set.is_none_or(|s| s.is_match(Path::new(OsStr::from_bytes(&path.to_bytes()))))
}

/// Whether git would ignore `path`: the deepest `.gitignore` with an opinion decides.
fn ignored(ignores: &[Gitignore], path: &RelPath, name: &[u8], is_dir: bool) -> bool {
    if is_dir && name == b".git" {
        return true;
    }
    let p = path.to_bytes();
    let p = Path::new(OsStr::from_bytes(&p));
    for gi in ignores.iter().rev() {
        let m = gi.matched(p, is_dir);
        if m.is_ignore() {
            return true;
        }
        if m.is_whitelist() {
            return false;
        }
    }
    false
}

/// The `.gitignore` of an open directory, if it has a readable one (at most 1 MiB).
fn load_gitignore(dir: &OwnedFd, at: &RelPath) -> Option<Gitignore> {
    let fd = openat(
        dir,
        c".gitignore",
        libc::O_RDONLY | libc::O_NOFOLLOW | libc::O_NONBLOCK,
        0,
    )
    .ok()?;
    if super::root::fstat(&fd).ok()?.kind != Kind::File {
        return None;
    }
    let mut text = String::new();
    std::fs::File::from(fd)
        .take(1 << 20)
        .read_to_string(&mut text)
        .ok()?;
    let base = at.to_bytes();
    let mut builder = GitignoreBuilder::new(Path::new(OsStr::from_bytes(&base)));
    for line in text.lines() {
        let _ = builder.add_line(None, line);
    }
    builder.build().ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn list(root: &Root, opts: &WalkOpts) -> Vec<String> {
        let mut out = Vec::new();
        walk(root, &RelPath::root(), opts, &mut |e| {
            out.push(e.path.display());
            Control::Continue
        })
        .unwrap();
        out
    }

    #[test]
    fn entries_come_sorted_depth_first_and_gitignore_is_honoured() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        std::fs::create_dir_all(p.join("src/gen")).unwrap();
        std::fs::create_dir_all(p.join(".git/objects")).unwrap();
        std::fs::create_dir_all(p.join("target")).unwrap();
        for f in [
            "b.txt",
            "a.txt",
            "src/main.rs",
            "src/gen/x.rs",
            "src/gen/keep.rs",
            "target/big",
        ] {
            std::fs::write(p.join(f), "x").unwrap();
        }
        std::fs::write(p.join(".gitignore"), "target/\ngen/\n").unwrap();
        std::fs::write(p.join("src/.gitignore"), "!gen/\ngen/x.rs\n").unwrap();
        let root = Root::open(&p.canonicalize().unwrap()).unwrap();
        let opts = WalkOpts {
            max_depth: 10,
            ..Default::default()
        };
        assert_eq!(
            list(&root, &opts),
            vec![
                ".gitignore",
                "a.txt",
                "b.txt",
                "src",
                "src/.gitignore",
                "src/gen",
                "src/gen/keep.rs",
                "src/main.rs"
            ]
        );
        let all = WalkOpts {
            max_depth: 10,
            gitignore: false,
            hidden: false,
            ..Default::default()
        };
        assert_eq!(
            list(&root, &all),
            vec![
                "a.txt",
                "b.txt",
                "src",
                "src/gen",
                "src/gen/keep.rs",
                "src/gen/x.rs",
                "src/main.rs",
                "target",
                "target/big"
            ]
        );
    }

    #[test]
    fn a_directory_over_the_entry_cap_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..20 {
            std::fs::write(dir.path().join(format!("f{i}")), "").unwrap();
        }
        let root = Root::open(&dir.path().canonicalize().unwrap()).unwrap();
        let opts = WalkOpts {
            max_dir_entries: 10,
            ..Default::default()
        };
        let err = walk(&root, &RelPath::root(), &opts, &mut |_| Control::Continue);
        assert_eq!(err.unwrap_err().code, FileCode::TooLarge);
    }
}
