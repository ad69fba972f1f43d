//! Wrapper unwrapping: finds the command that `sudo`, `env`, `xargs`, `find -exec`, `bash -c`,
//! `python -c` and friends would run on behalf of an outer command.
//!
//! Pure and table-driven: given one [`SimpleCommand`], return the argument vectors or shell
//! scripts it starts. The parser feeds the results back through itself, so wrappers nest
//! (bounded by [`super::shell::MAX_UNWRAP`]).

use super::code;
use super::command::{basename, Inner, SimpleCommand, DYNAMIC};

fn argv(v: &[String]) -> Vec<Inner> {
    if v.is_empty() {
        return Vec::new();
    }
    vec![Inner::Argv {
        argv: v.to_vec(),
        assigns: Vec::new(),
    }]
}

/// Option spec: short options that take a value, long options that take a value.
struct Opts<'a> {
    short_val: &'a str,
    long_val: &'a [&'a str],
}

/// Index of the first operand after the options described by `o` (handles `--`, bundles,
/// attached values `-uroot`, `--user=root`).
fn skip_opts(args: &[String], o: &Opts<'_>) -> usize {
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if a == "--" {
            return i + 1;
        }
        if let Some(long) = a.strip_prefix("--") {
            if !long.contains('=') && o.long_val.contains(&long) {
                i += 1;
            }
            i += 1;
            continue;
        }
        if a.len() > 1 && a.starts_with('-') {
            for (j, c) in a[1..].char_indices() {
                if o.short_val.contains(c) {
                    if j + c.len_utf8() == a.len() - 1 {
                        i += 1;
                    }
                    break;
                }
            }
            i += 1;
            continue;
        }
        return i;
    }
    i.min(args.len())
}

/// Single-quotes a word for re-parsing by the shell parser.
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
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
        "node" | "nodejs" | "deno" | "bun" => Some("node"),
        "php" => Some("php"),
        _ => None,
    }
}

/// What `cmd` runs on its behalf. Empty when it is not a wrapper (or the inner part is hidden).
pub fn inner_of(cmd: &SimpleCommand) -> Vec<Inner> {
    let Some(prog) = cmd.argv.first() else {
        return Vec::new();
    };
    let name = basename(prog);
    let args = &cmd.argv[1..];
    match name {
        "sudo" => {
            if args
                .iter()
                .take_while(|a| a.starts_with('-'))
                .any(|a| a == "-e" || a == "--edit")
            {
                return Vec::new();
            }
            let i = skip_opts(
                args,
                &Opts {
                    short_val: "ughpCDrtUTR",
                    long_val: &[
                        "user",
                        "group",
                        "host",
                        "prompt",
                        "close-from",
                        "chdir",
                        "role",
                        "type",
                        "other-user",
                        "command-timeout",
                        "chroot",
                    ],
                },
            );
            argv(&args[i..])
        }
        "doas" => argv(
            &args[skip_opts(
                args,
                &Opts {
                    short_val: "uC",
                    long_val: &[],
                },
            )..],
        ),
        "pkexec" => argv(
            &args[skip_opts(
                args,
                &Opts {
                    short_val: "",
                    long_val: &["user"],
                },
            )..],
        ),
        "su" | "runuser" | "sg" => {
            let mut out = Vec::new();
            let mut i = 0;
            while i < args.len() {
                let a = args[i].as_str();
                if a == "-c" || a == "--command" || a == "--session-command" {
                    if let Some(c) = args.get(i + 1) {
                        out.push(Inner::Script(c.clone()));
                    }
                    i += 1;
                } else if let Some(c) = a
                    .strip_prefix("--command=")
                    .or_else(|| a.strip_prefix("--session-command="))
                {
                    out.push(Inner::Script(c.to_string()));
                } else if a.len() > 2
                    && a.starts_with('-')
                    && !a.starts_with("--")
                    && a.ends_with('c')
                {
                    if let Some(c) = args.get(i + 1) {
                        out.push(Inner::Script(c.clone()));
                    }
                    i += 1;
                }
                i += 1;
            }
            if out.is_empty() && name == "sg" && args.len() > 1 && !args[0].starts_with('-') {
                out.push(Inner::Script(args[1..].join(" ")));
            }
            if out.is_empty() && name == "runuser" {
                if let Some(p) = args.iter().position(|a| a == "--") {
                    return argv(&args[p + 1..]);
                }
            }
            out
        }
        "env" => unwrap_env(args),
        "nice" => argv(
            &args[skip_opts(
                args,
                &Opts {
                    short_val: "n",
                    long_val: &["adjustment"],
                },
            )..],
        ),
        "ionice" => argv(
            &args[skip_opts(
                args,
                &Opts {
                    short_val: "cnpPut",
                    long_val: &[],
                },
            )..],
        ),
        "nohup" | "builtin" | "unbuffer" | "catchsegv" | "proxychains" | "proxychains4"
        | "torsocks" | "tsocks" | "chronic" | "ifne" | "sem" | "doit" => argv(
            &args[skip_opts(
                args,
                &Opts {
                    short_val: "",
                    long_val: &[],
                },
            )..],
        ),
        "busybox" | "toybox" => {
            if args.first().is_some_and(|a| !a.starts_with('-')) {
                argv(args)
            } else {
                Vec::new()
            }
        }
        "timeout" => {
            let i = skip_opts(
                args,
                &Opts {
                    short_val: "sk",
                    long_val: &["signal", "kill-after"],
                },
            );
            argv(args.get(i + 1..).unwrap_or(&[]))
        }
        "time" => argv(
            &args[skip_opts(
                args,
                &Opts {
                    short_val: "fo",
                    long_val: &["format", "output"],
                },
            )..],
        ),
        "exec" => argv(
            &args[skip_opts(
                args,
                &Opts {
                    short_val: "a",
                    long_val: &[],
                },
            )..],
        ),
        "command" => {
            if args
                .iter()
                .take_while(|a| a.starts_with('-'))
                .any(|a| a.contains('v') || a.contains('V'))
            {
                return Vec::new();
            }
            argv(
                &args[skip_opts(
                    args,
                    &Opts {
                        short_val: "",
                        long_val: &[],
                    },
                )..],
            )
        }
        "stdbuf" => argv(
            &args[skip_opts(
                args,
                &Opts {
                    short_val: "ioe",
                    long_val: &["input", "output", "error"],
                },
            )..],
        ),
        "setsid" | "strace" | "ltrace" | "firejail" | "systemd-run" | "nsenter" | "unshare" => {
            let sv = match name {
                "strace" => "abeEoOpPsSuUX",
                "ltrace" => "aAeEfFlnopsSuUwX",
                "nsenter" => "tSG",
                _ => "",
            };
            let lv: &[&str] = match name {
                "systemd-run" => &[
                    "unit",
                    "property",
                    "description",
                    "slice",
                    "uid",
                    "gid",
                    "nice",
                    "working-directory",
                    "setenv",
                    "machine",
                    "host",
                    "on-calendar",
                    "on-active",
                ],
                _ => &[],
            };
            argv(
                &args[skip_opts(
                    args,
                    &Opts {
                        short_val: sv,
                        long_val: lv,
                    },
                )..],
            )
        }
        "taskset" => {
            let i = skip_opts(
                args,
                &Opts {
                    short_val: "",
                    long_val: &[],
                },
            );
            argv(args.get(i + 1..).unwrap_or(&[]))
        }
        "chroot" => {
            let i = skip_opts(
                args,
                &Opts {
                    short_val: "",
                    long_val: &["userspec", "groups"],
                },
            );
            argv(args.get(i + 1..).unwrap_or(&[]))
        }
        "flock" => {
            if let Some(p) = args.iter().position(|a| a == "-c" || a == "--command") {
                return args
                    .get(p + 1)
                    .map(|c| vec![Inner::Script(c.clone())])
                    .unwrap_or_default();
            }
            let i = skip_opts(
                args,
                &Opts {
                    short_val: "wE",
                    long_val: &["timeout", "conflict-exit-code"],
                },
            );
            argv(args.get(i + 1..).unwrap_or(&[]))
        }
        "watch" => {
            let i = skip_opts(
                args,
                &Opts {
                    short_val: "nq",
                    long_val: &["interval", "equexit"],
                },
            );
            let rest = &args[i..];
            if rest.is_empty() {
                Vec::new()
            } else {
                vec![Inner::Script(rest.join(" "))]
            }
        }
        "xargs" => {
            let i = skip_opts(
                args,
                &Opts {
                    short_val: "ILnPdEsa",
                    long_val: &[
                        "arg-file",
                        "delimiter",
                        "eof",
                        "replace",
                        "max-lines",
                        "max-args",
                        "max-procs",
                        "max-chars",
                        "process-slot-var",
                    ],
                },
            );
            let replace = args[..i]
                .iter()
                .any(|a| a.starts_with("-I") || a.starts_with("-i") || a.starts_with("--replace"));
            let mut v: Vec<String> = args[i..].to_vec();
            if v.is_empty() {
                v.push("echo".to_string());
            }
            if !replace {
                v.push(DYNAMIC.to_string());
            }
            argv(&v)
        }
        "find" => unwrap_find(args),
        "awk" | "gawk" | "mawk" | "nawk" | "busybox-awk" => {
            // The first operand after options is the awk program, unless -f names a file.
            if args.iter().any(|a| a == "-f" || a.starts_with("--file")) {
                return Vec::new();
            }
            let i = skip_opts(
                args,
                &Opts {
                    short_val: "vFf",
                    long_val: &["assign", "field-separator"],
                },
            );
            args.get(i)
                .map(|prog| code::scan("awk", prog))
                .unwrap_or_default()
        }
        "ssh" => {
            // `ssh host cmd...`: the remote side runs the words as a shell command.
            let i = skip_opts(
                args,
                &Opts {
                    short_val: "BbcDEeFIiJLlmOopQRSWw",
                    long_val: &[],
                },
            );
            match args.get(i + 1..) {
                Some(rest) if !rest.is_empty() => vec![Inner::Script(rest.join(" "))],
                _ => Vec::new(),
            }
        }
        "eval" => {
            if args.is_empty() {
                Vec::new()
            } else {
                vec![Inner::Script(args.join(" "))]
            }
        }
        n if is_shell(n) => unwrap_shell(args, cmd),
        n => match interpreter(n) {
            Some(lang) => unwrap_interpreter(lang, args, cmd),
            None => Vec::new(),
        },
    }
}

fn unwrap_env(args: &[String]) -> Vec<Inner> {
    let mut i = 0;
    let mut split: Option<String> = None;
    while i < args.len() {
        let a = args[i].as_str();
        if a == "--" {
            i += 1;
            break;
        }
        if a == "-S" || a == "--split-string" {
            split = args.get(i + 1).cloned();
            i += 2;
            continue;
        }
        if let Some(s) = a.strip_prefix("--split-string=") {
            split = Some(s.to_string());
            i += 1;
            continue;
        }
        if let Some(s) = a.strip_prefix("-S") {
            if !s.is_empty() && !s.starts_with('-') {
                split = Some(s.to_string());
                i += 1;
                continue;
            }
        }
        if matches!(a, "-u" | "-C" | "-P" | "--unset" | "--chdir") {
            i += 2;
            continue;
        }
        if a.len() > 1 && a.starts_with('-') {
            i += 1;
            continue;
        }
        break;
    }
    let mut assigns = Vec::new();
    while let Some(a) = args.get(i) {
        match a.split_once('=') {
            Some((k, v)) if !k.is_empty() && !k.contains('/') => {
                assigns.push((k.to_string(), v.to_string()));
                i += 1;
            }
            _ => break,
        }
    }
    let rest = &args[i.min(args.len())..];
    if let Some(s) = split {
        let mut text = s;
        for r in rest {
            text.push(' ');
            text.push_str(&quote(r));
        }
        return vec![Inner::Script(text)];
    }
    if rest.is_empty() {
        return Vec::new();
    }
    vec![Inner::Argv {
        argv: rest.to_vec(),
        assigns,
    }]
}

fn unwrap_find(args: &[String]) -> Vec<Inner> {
    let root = args
        .iter()
        .take_while(|a| !a.starts_with('-') && *a != "(" && *a != "!")
        .find(|a| !a.is_empty())
        .cloned()
        .unwrap_or_else(|| ".".to_string());
    let mut out = Vec::new();
    let mut i = 0;
    while i < args.len() {
        if matches!(args[i].as_str(), "-exec" | "-execdir" | "-ok" | "-okdir") {
            let start = i + 1;
            let mut end = start;
            while end < args.len() && args[end] != ";" && args[end] != "+" {
                end += 1;
            }
            let v: Vec<String> = args[start..end]
                .iter()
                .map(|a| a.replace("{}", &root))
                .collect();
            out.extend(argv(&v));
            i = end;
        }
        i += 1;
    }
    out
}

fn unwrap_shell(args: &[String], cmd: &SimpleCommand) -> Vec<Inner> {
    let mut i = 0;
    let mut has_c = false;
    let mut stdin = false;
    while i < args.len() {
        let a = args[i].as_str();
        if a == "--" {
            i += 1;
            break;
        }
        if matches!(a, "-o" | "+o" | "-O" | "+O" | "--rcfile" | "--init-file") {
            i += 2;
            continue;
        }
        if a.starts_with("--") {
            i += 1;
            continue;
        }
        if (a.starts_with('-') || a.starts_with('+')) && a.len() > 1 {
            if a[1..].contains('c') {
                has_c = true;
            }
            if a[1..].contains('s') {
                stdin = true;
            }
            i += 1;
            continue;
        }
        break;
    }
    let rest = &args[i.min(args.len())..];
    if has_c {
        return rest
            .first()
            .map(|c| vec![Inner::Script(c.clone())])
            .unwrap_or_default();
    }
    if rest.is_empty() || stdin {
        if let Some(s) = &cmd.stdin_text {
            return vec![Inner::Script(s.clone())];
        }
    }
    Vec::new()
}

fn unwrap_interpreter(lang: &str, args: &[String], cmd: &SimpleCommand) -> Vec<Inner> {
    let code_flags: &[&str] = match lang {
        "python" => &["c"],
        "perl" | "ruby" => &["e", "E"],
        "node" => &["e", "p"],
        "php" => &["r"],
        _ => &[],
    };
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if matches!(a, "--eval" | "--print") {
            return args
                .get(i + 1)
                .map(|c| code::scan(lang, c))
                .unwrap_or_default();
        }
        if let Some(c) = a.strip_prefix("--eval=") {
            return code::scan(lang, c);
        }
        if a.len() > 1 && a.starts_with('-') && !a.starts_with("--") {
            let body = &a[1..];
            if let Some((pos, f)) = body
                .char_indices()
                .find(|(_, c)| code_flags.iter().any(|f| f.starts_with(*c)))
            {
                let attached = &body[pos + f.len_utf8()..];
                if !attached.is_empty() && lang != "python" {
                    // perl -e'code' style: the rest of the bundle is the code only for -e.
                    return code::scan(lang, attached);
                }
                if !attached.is_empty() {
                    return code::scan(lang, attached);
                }
                return args
                    .get(i + 1)
                    .map(|c| code::scan(lang, c))
                    .unwrap_or_default();
            }
            if matches!(a, "-W" | "-X" | "-m" | "-I" | "-r") && lang != "php" {
                if a == "-m" {
                    return Vec::new();
                }
                i += 2;
                continue;
            }
            i += 1;
            continue;
        }
        if a == "-" {
            break;
        }
        // A script file: its contents are not visible.
        return Vec::new();
    }
    match &cmd.stdin_text {
        Some(s) => code::scan(lang, s),
        None => Vec::new(),
    }
}
