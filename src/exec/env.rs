//! The child environment: a scrubbed allow-list of the server's own variables, fixed values from
//! config, then the request's variables on top. The server's secrets never reach a child.

use std::collections::BTreeMap;

/// Name fragments that mark a variable as secret; such server variables are never passed on,
/// even when listed in `exec.env_passthrough`.
const SECRET_MARKERS: &[&str] = &[
    "KEY",
    "SECRET",
    "TOKEN",
    "PASSWORD",
    "PASSWD",
    "CREDENTIAL",
    "AUTH",
    "PRIVATE",
    "SESSION",
    "COOKIE",
];

/// Whether a variable name looks like it holds a secret.
pub fn looks_secret(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    SECRET_MARKERS.iter().any(|m| upper.contains(m))
}

/// The values of the secret-looking variables in `env` at least `min_len` bytes long (what
/// the redactor's exact-value rule is built from).
pub fn secret_values(
    env: impl IntoIterator<Item = (String, String)>,
    min_len: usize,
) -> Vec<String> {
    env.into_iter()
        .filter(|(k, v)| looks_secret(k) && v.len() >= min_len)
        .map(|(_, v)| v)
        .collect()
}

/// [`valid_name`] as a regular expression (ECMA-262, Python and the `regex` crate read it
/// alike), for the OpenAPI schema of `env`.
pub const NAME_PATTERN: &str = "^[^=\\u0000]+$";

/// Whether `name` may be set in a child's environment: not empty, no `=`, no NUL.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty() && !name.contains('=') && !name.contains('\0')
}

/// Build the child environment. `server_env` is the server's own environment (injected for
/// tests); later layers win. Returns variables sorted by name.
pub fn build(
    server_env: impl IntoIterator<Item = (String, String)>,
    passthrough: &[String],
    fixed: &BTreeMap<String, String>,
    request: &BTreeMap<String, String>,
) -> Vec<(String, String)> {
    let mut out: BTreeMap<String, String> = server_env
        .into_iter()
        .filter(|(k, _)| passthrough.iter().any(|p| p == k) && !looks_secret(k))
        .collect();
    out.entry("PATH".to_string())
        .or_insert_with(|| "/usr/local/bin:/usr/bin:/bin".to_string());
    for (k, v) in fixed.iter().chain(request.iter()) {
        out.insert(k.clone(), v.clone());
    }
    out.into_iter().collect()
}

/// [`world_searchable_path`], remembered for a second: the server's `PATH` is the same for
/// nearly every request, and checking each entry and its ancestors cost about 30 `stat`s per
/// exec. A permission change shows within [`SEARCHABLE_TTL`].
pub fn world_searchable_path_cached(path: &str) -> String {
    use std::sync::Mutex;
    use std::time::Instant;
    static LAST: Mutex<Option<(String, String, Instant)>> = Mutex::new(None);
    let mut last = LAST.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((input, output, at)) = last.as_ref() {
        if input == path && at.elapsed() < SEARCHABLE_TTL {
            return output.clone();
        }
    }
    let output = world_searchable_path(path);
    *last = Some((path.to_string(), output.clone(), Instant::now()));
    output
}

/// How long [`world_searchable_path_cached`] trusts an answer.
pub const SEARCHABLE_TTL: std::time::Duration = std::time::Duration::from_secs(1);

/// Keep only the `PATH` entries every user can search, for children that run unprivileged
/// (an unreachable entry makes shells report "Permission denied" instead of "not found").
pub fn world_searchable_path(path: &str) -> String {
    use std::os::unix::fs::PermissionsExt;
    let searchable = |dir: &std::path::Path| {
        dir.ancestors().all(|d| {
            d.as_os_str().is_empty()
                || std::fs::metadata(d)
                    .map(|m| m.is_dir() && m.permissions().mode() & 0o001 != 0)
                    .unwrap_or(false)
        })
    };
    path.split(':')
        .filter(|d| !d.is_empty() && searchable(std::path::Path::new(d)))
        .collect::<Vec<_>>()
        .join(":")
}

/// Longest single argument or `NAME=value` string execve accepts (`MAX_ARG_STRLEN`, 32
/// pages), counting its NUL.
pub const MAX_ARG_STRLEN: usize = 32 * 4096;

/// Whether `argv` and `env` fit what execve accepts: each string within [`MAX_ARG_STRLEN`],
/// all strings and their pointers within `arg_max` (`sysconf(_SC_ARG_MAX)`). Checked before
/// spawning so that an oversized request is the caller's mistake (a 400 naming the part),
/// not an `E2BIG` from deep in the spawn. Pure.
pub fn fits_exec(argv: &[&str], env: &[(String, String)], arg_max: usize) -> Result<(), String> {
    let ptr = std::mem::size_of::<usize>();
    let mut total = 0usize;
    for (i, a) in argv.iter().enumerate() {
        let len = a.len() + 1;
        if len > MAX_ARG_STRLEN {
            return Err(format!(
                "argument {i} is {} bytes; one argument may be at most {} bytes (the kernel's \
                 MAX_ARG_STRLEN)",
                a.len(),
                MAX_ARG_STRLEN - 1
            ));
        }
        total += len + ptr;
    }
    for (k, v) in env {
        let len = k.len() + 1 + v.len() + 1;
        if len > MAX_ARG_STRLEN {
            return Err(format!(
                "`env.{k}` is {} bytes; one variable may be at most {} bytes (the kernel's \
                 MAX_ARG_STRLEN)",
                len - 1,
                MAX_ARG_STRLEN - 1
            ));
        }
        total += len + ptr;
    }
    if total > arg_max {
        return Err(format!(
            "the command and its environment take {total} bytes; the kernel accepts {arg_max} \
             (ARG_MAX)"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn secrets_are_dropped_even_when_listed() {
        let server = owned(&[
            ("PATH", "/usr/bin"),
            ("HOME", "/root"),
            ("OPENAI_API_KEY", "sk-x"),
            ("GITHUB_TOKEN", "ghp"),
            ("DB_PASSWORD", "pw"),
            ("UNLISTED", "1"),
            ("SHELLWISE_TOKEN", "adm"),
        ]);
        let pass: Vec<String> = [
            "PATH",
            "HOME",
            "OPENAI_API_KEY",
            "GITHUB_TOKEN",
            "DB_PASSWORD",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let env = build(server, &pass, &BTreeMap::new(), &BTreeMap::new());
        assert_eq!(env, owned(&[("HOME", "/root"), ("PATH", "/usr/bin")]));
    }

    #[test]
    fn request_values_override_fixed_and_server_values() {
        let server = owned(&[("PATH", "/usr/bin"), ("LANG", "C")]);
        let pass = vec!["PATH".to_string(), "LANG".to_string()];
        let fixed = BTreeMap::from([("LANG".to_string(), "C.UTF-8".to_string())]);
        let request = BTreeMap::from([
            ("PATH".to_string(), "/opt/bin".to_string()),
            ("MY_API_KEY".to_string(), "caller-chose-this".to_string()),
        ]);
        let env = build(server, &pass, &fixed, &request);
        assert_eq!(
            env,
            owned(&[
                ("LANG", "C.UTF-8"),
                ("MY_API_KEY", "caller-chose-this"),
                ("PATH", "/opt/bin"),
            ])
        );
    }

    #[test]
    fn a_missing_path_gets_a_safe_default() {
        let env = build(Vec::new(), &[], &BTreeMap::new(), &BTreeMap::new());
        assert_eq!(env, owned(&[("PATH", "/usr/local/bin:/usr/bin:/bin")]));
    }

    #[test]
    fn unreachable_path_entries_are_dropped_for_unprivileged_children() {
        let dir = tempfile::tempdir().unwrap();
        let private = dir.path().join("private");
        let inner = private.join("bin");
        std::fs::create_dir_all(&inner).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o700)).unwrap();
        let path = format!("{}:/usr/bin:/bin:/no/such/dir", inner.display());
        assert_eq!(world_searchable_path(&path), "/usr/bin:/bin");
    }

    #[test]
    fn the_remembered_searchable_path_follows_a_permission_change_within_its_ttl() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let path = format!("{}:/usr/bin", bin.display());
        assert_eq!(world_searchable_path_cached(&path), path);
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        std::thread::sleep(SEARCHABLE_TTL + std::time::Duration::from_millis(50));
        assert_eq!(world_searchable_path_cached(&path), "/usr/bin");
        // Another PATH is never answered from the first one's entry.
        assert_eq!(world_searchable_path_cached("/bin"), "/bin");
    }

    #[test]
    fn secret_name_detection() {
        for (name, secret) in [
            ("AWS_SECRET_ACCESS_KEY", true),
            ("npm_config__authToken", true),
            ("SSH_AUTH_SOCK", true),
            ("HOME", false),
            ("PATH", false),
            ("LANG", false),
            ("KEYBOARD", true),
        ] {
            assert_eq!(looks_secret(name), secret, "{name}");
        }
    }

    #[test]
    fn what_execve_accepts_is_checked_before_spawning() {
        let env = |n: usize| vec![("BIG".to_string(), "x".repeat(n))];
        let at_limit = MAX_ARG_STRLEN - "BIG=".len() - 1;
        type Case<'a> = (Vec<&'a str>, Vec<(String, String)>, usize, bool);
        let cases: Vec<Case> = vec![
            (vec!["sh", "-c", "echo hi"], env(10), 2 << 20, true),
            (vec!["sh"], env(at_limit), 2 << 20, true),
            (vec!["sh"], env(at_limit + 1), 2 << 20, false),
            (vec!["sh"], env(200 * 1024), 2 << 20, false),
            (vec!["sh", "-c", "echo hi"], env(100), 64, false),
        ];
        for (argv, env, max, ok) in cases {
            let got = fits_exec(&argv, &env, max);
            assert_eq!(
                got.is_ok(),
                ok,
                "{argv:?} {} {max}: {got:?}",
                env[0].1.len()
            );
        }
        let long = "y".repeat(MAX_ARG_STRLEN);
        assert_eq!(
            fits_exec(&["echo", &long], &[], usize::MAX),
            Err(format!(
                "argument 1 is {} bytes; one argument may be at most {} bytes (the kernel's \
                 MAX_ARG_STRLEN)",
                MAX_ARG_STRLEN,
                MAX_ARG_STRLEN - 1
            ))
        );
    }

    #[test]
    fn the_schema_pattern_for_names_is_the_rule_valid_name_applies() {
        let pattern = regex::Regex::new(NAME_PATTERN).unwrap();
        for name in [
            "PATH", "_x", "a.b", "A-B", "1X", "Ünï", " ", "", "A=B", "=", "A\0B", "\0",
        ] {
            assert_eq!(pattern.is_match(name), valid_name(name), "{name:?}");
        }
    }
}
