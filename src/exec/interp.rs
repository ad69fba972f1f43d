//! Interpreters for `code` + `language` requests, found on `PATH` once at start.

use std::path::{Path, PathBuf};

/// A language the server can run, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interpreter {
    /// The request's `language` value.
    pub language: &'static str,
    /// Absolute path of the interpreter.
    pub path: PathBuf,
    /// The flag that takes inline code.
    pub inline_flag: &'static str,
}

/// Languages we know, with candidate executables in order of preference.
const KNOWN: &[(&str, &[&str], &str)] = &[
    ("python", &["python3", "python"], "-c"),
    ("node", &["node", "nodejs"], "-e"),
    ("bash", &["bash"], "-c"),
    ("sh", &["sh", "dash"], "-c"),
];

/// Every known language whose interpreter exists on `path_var` (a `PATH` value).
pub fn detect(path_var: &str) -> Vec<Interpreter> {
    KNOWN
        .iter()
        .filter_map(|(language, candidates, flag)| {
            candidates
                .iter()
                .find_map(|c| which(c, path_var))
                .map(|path| Interpreter {
                    language,
                    path,
                    inline_flag: flag,
                })
        })
        .collect()
}

/// Resolve `program` against `path_var` like a shell would.
pub fn which(program: &str, path_var: &str) -> Option<PathBuf> {
    if program.contains('/') {
        let p = Path::new(program);
        return is_executable(p).then(|| p.to_path_buf());
    }
    path_var
        .split(':')
        .filter(|d| !d.is_empty())
        .map(|d| Path::new(d).join(program))
        .find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p)
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_sh_on_a_normal_path_and_nothing_on_an_empty_one() {
        let found = detect("/usr/local/bin:/usr/bin:/bin");
        assert!(found
            .iter()
            .any(|i| i.language == "sh" && i.inline_flag == "-c"));
        assert_eq!(detect(""), Vec::new());
    }

    #[test]
    fn which_handles_paths_and_missing_programs() {
        assert_eq!(which("/bin/sh", ""), Some(PathBuf::from("/bin/sh")));
        assert_eq!(which("definitely-not-a-program-xyz", "/usr/bin:/bin"), None);
        assert_eq!(which("/etc/passwd", ""), None);
    }
}
