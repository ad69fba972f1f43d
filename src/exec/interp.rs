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

/// Languages we know: the name `/readyz` lists, the other names a request may use for it,
/// candidate executables in order of preference, and the flag that takes inline code.
const KNOWN: &[(&str, &[&str], &[&str], &str)] = &[
    ("python", &["python3", "py"], &["python3", "python"], "-c"),
    (
        "node",
        &["nodejs", "js", "javascript"],
        &["node", "nodejs"],
        "-e",
    ),
    ("bash", &[], &["bash"], "-c"),
    ("sh", &[], &["sh", "dash"], "-c"),
];

/// The language a request's `language` names (`python3` → `python`), if we know it.
pub fn canonical(name: &str) -> Option<&'static str> {
    KNOWN
        .iter()
        .find(|(language, aliases, _, _)| *language == name || aliases.contains(&name))
        .map(|(language, ..)| *language)
}

/// Every value `language` accepts: each language followed by its aliases.
pub fn accepted_names() -> Vec<&'static str> {
    KNOWN
        .iter()
        .flat_map(|(language, aliases, _, _)| {
            std::iter::once(*language).chain(aliases.iter().copied())
        })
        .collect()
}

/// Every known language whose interpreter exists on `path_var` (a `PATH` value). With
/// `world`, only interpreters every user can reach count (children may run unprivileged).
pub fn detect(path_var: &str, world: bool) -> Vec<Interpreter> {
    KNOWN
        .iter()
        .filter_map(|(language, _, candidates, flag)| {
            candidates
                .iter()
                .find_map(|c| which_for(c, path_var, world))
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
    which_for(program, path_var, false)
}

fn which_for(program: &str, path_var: &str, world: bool) -> Option<PathBuf> {
    if world {
        return path_var
            .split(':')
            .filter(|d| !d.is_empty())
            .map(|d| Path::new(d).join(program))
            .find(|p| world_executable(p));
    }
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

/// Executable by any user: the file (after symlinks) and every directory on its way are
/// world-executable.
fn world_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let Ok(real) = p.canonicalize() else {
        return false;
    };
    let mode = |q: &Path| {
        std::fs::metadata(q)
            .map(|m| m.permissions().mode())
            .unwrap_or(0)
    };
    let dirs_ok = p
        .ancestors()
        .skip(1)
        .chain(real.ancestors().skip(1))
        .all(|d| d.as_os_str().is_empty() || mode(d) & 0o001 != 0);
    dirs_ok && real.is_file() && mode(&real) & 0o001 != 0
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
        let found = detect("/usr/local/bin:/usr/bin:/bin", false);
        let world = detect("/usr/local/bin:/usr/bin:/bin", true);
        assert!(world.iter().any(|i| i.language == "sh"));
        assert!(found
            .iter()
            .any(|i| i.language == "sh" && i.inline_flag == "-c"));
        assert_eq!(detect("", false), Vec::new());
    }

    #[test]
    fn aliases_name_their_language_and_nothing_else_does() {
        for (name, language) in [
            ("python", Some("python")),
            ("python3", Some("python")),
            ("py", Some("python")),
            ("node", Some("node")),
            ("nodejs", Some("node")),
            ("js", Some("node")),
            ("javascript", Some("node")),
            ("bash", Some("bash")),
            ("sh", Some("sh")),
            ("Python", None),
            ("cobol", None),
            ("", None),
        ] {
            assert_eq!(canonical(name), language, "{name}");
        }
        assert!(accepted_names().iter().all(|n| canonical(n).is_some()));
    }

    #[test]
    fn which_handles_paths_and_missing_programs() {
        assert_eq!(which("/bin/sh", ""), Some(PathBuf::from("/bin/sh")));
        assert_eq!(which("definitely-not-a-program-xyz", "/usr/bin:/bin"), None);
        assert_eq!(which("/etc/passwd", ""), None);
    }
}
