//! A path a caller names inside a workspace, checked before anything touches the disk: no
//! NUL, no overlong name, no `..` that climbs above the root. What it resolves to on disk
//! (symlinks a command planted) is checked again by the kernel when it is opened
//! (`openat2(RESOLVE_BENEATH)` in `root.rs`).

use std::ffi::CString;

use super::{FileCode, FileError};

/// Longest path accepted, in bytes (the kernel's `PATH_MAX`).
pub const MAX_PATH_BYTES: usize = 4096;
/// Longest single name accepted, in bytes (the kernel's `NAME_MAX`).
pub const MAX_NAME_BYTES: usize = 255;

/// A normalised path relative to a workspace root: components without `.`, `..` or empty
/// parts. The empty path is the root itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RelPath(Vec<Vec<u8>>);

impl RelPath {
    /// The root of the workspace.
    pub fn root() -> RelPath {
        RelPath(Vec::new())
    }

    /// Parse what a caller wrote. `base` is the workspace's absolute path: an absolute path
    /// inside it is accepted (agents copy paths from `pwd`), any other absolute path is
    /// outside the workspace.
    pub fn parse(raw: &[u8], base: &[u8]) -> Result<RelPath, FileError> {
        if raw.contains(&0) {
            return Err(FileError::new(
                FileCode::PathInvalid,
                "the path contains a NUL byte",
            ));
        }
        if raw.len() > MAX_PATH_BYTES {
            return Err(FileError::new(
                FileCode::PathInvalid,
                format!(
                    "the path is {} bytes; the limit is {MAX_PATH_BYTES}",
                    raw.len()
                ),
            ));
        }
        let rest = if raw.first() == Some(&b'/') {
            let base = trim_trailing_slashes(base);
            match raw.strip_prefix(base) {
                Some(r) if r.is_empty() || r.first() == Some(&b'/') => r,
                _ => {
                    return Err(FileError::new(
                        FileCode::PathOutsideWorkspace,
                        format!(
                            "`{}` is an absolute path outside the workspace ({}); give a path \
                             relative to the workspace root",
                            String::from_utf8_lossy(raw),
                            String::from_utf8_lossy(base)
                        ),
                    ))
                }
            }
        } else {
            raw
        };
        let mut parts: Vec<Vec<u8>> = Vec::new();
        for part in rest.split(|b| *b == b'/') {
            match part {
                b"" | b"." => {}
                b".." => {
                    if parts.pop().is_none() {
                        return Err(FileError::new(
                            FileCode::PathOutsideWorkspace,
                            format!(
                                "`{}` climbs above the workspace root",
                                String::from_utf8_lossy(raw)
                            ),
                        ));
                    }
                }
                name if name.len() > MAX_NAME_BYTES => {
                    return Err(FileError::new(
                        FileCode::PathInvalid,
                        format!(
                            "a name in the path is {} bytes; the limit is {MAX_NAME_BYTES}",
                            name.len()
                        ),
                    ))
                }
                name => parts.push(name.to_vec()),
            }
        }
        Ok(RelPath(parts))
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    pub fn components(&self) -> &[Vec<u8>] {
        &self.0
    }

    /// The last name and the path of the directory holding it (`None` for the root).
    pub fn split_last(&self) -> Option<(RelPath, &[u8])> {
        let (last, parent) = self.0.split_last()?;
        Some((RelPath(parent.to_vec()), last))
    }

    pub fn join(&self, name: &[u8]) -> RelPath {
        let mut parts = self.0.clone();
        parts.push(name.to_vec());
        RelPath(parts)
    }

    /// Whether `self` is `other` or lies inside it.
    pub fn starts_with(&self, other: &RelPath) -> bool {
        self.0.starts_with(&other.0)
    }

    /// The path as bytes, `a/b/c` (empty for the root).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.join(&b'/')
    }

    /// For `openat2`: `.` for the root.
    pub fn to_cstring(&self) -> CString {
        let bytes = if self.is_root() {
            b".".to_vec()
        } else {
            self.to_bytes()
        };
        // Parsing refused NUL bytes, so this cannot fail; an empty name is the fallback.
        CString::new(bytes).unwrap_or_default()
    }

    /// How the path is shown to callers: UTF-8 when it is, else lossy (see `Named`).
    pub fn display(&self) -> String {
        String::from_utf8_lossy(&self.to_bytes()).into_owned()
    }
}

fn trim_trailing_slashes(mut b: &[u8]) -> &[u8] {
    while b.len() > 1 && b.last() == Some(&b'/') {
        b = &b[..b.len() - 1];
    }
    b
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<String, FileCode> {
        RelPath::parse(s.as_bytes(), b"/srv/ws/alice")
            .map(|p| p.display())
            .map_err(|e| e.code)
    }

    #[test]
    fn paths_are_normalised_and_never_climb_above_the_root() {
        assert_eq!(parse("a/./b//c/"), Ok("a/b/c".into()));
        assert_eq!(parse("a/../b"), Ok("b".into()));
        assert_eq!(parse(""), Ok("".into()));
        assert_eq!(parse("."), Ok("".into()));
        assert_eq!(parse(".."), Err(FileCode::PathOutsideWorkspace));
        assert_eq!(parse("a/../../etc"), Err(FileCode::PathOutsideWorkspace));
    }

    #[test]
    fn an_absolute_path_is_accepted_only_inside_the_workspace() {
        assert_eq!(parse("/srv/ws/alice/src/x.rs"), Ok("src/x.rs".into()));
        assert_eq!(parse("/srv/ws/alice"), Ok("".into()));
        assert_eq!(
            parse("/srv/ws/alicebob/x"),
            Err(FileCode::PathOutsideWorkspace)
        );
        assert_eq!(parse("/etc/passwd"), Err(FileCode::PathOutsideWorkspace));
    }

    #[test]
    fn nul_bytes_and_overlong_names_are_invalid() {
        assert_eq!(parse("a\0b"), Err(FileCode::PathInvalid));
        assert_eq!(parse(&"x".repeat(256)), Err(FileCode::PathInvalid));
        assert_eq!(parse(&"x".repeat(255)), Ok("x".repeat(255)));
        assert_eq!(parse(&"a/".repeat(2049)), Err(FileCode::PathInvalid));
    }
}
