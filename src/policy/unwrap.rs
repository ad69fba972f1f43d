//! Wrapper unwrapping: finds the command that `sudo`, `env`, `xargs`, `find -exec`, `bash -c`,
//! `python -c` and friends would run on behalf of an outer command.
//!
//! Pure and table-driven: given one [`SimpleCommand`], return the argument vectors or shell
//! scripts it starts. The parser feeds the results back through itself, so wrappers nest
//! (bounded by [`super::shell::MAX_UNWRAP`]).

use super::code;
use super::command::{basename, find_name_test, Inner, SimpleCommand, DYNAMIC};
pub use super::command::{interpreter, is_shell};

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

impl<'a> Opts<'a> {
    const fn new(short_val: &'a str, long_val: &'a [&'a str]) -> Self {
        Self {
            short_val,
            long_val,
        }
    }
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
pub(super) fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// What `cmd` runs on its behalf. Empty when it is not a wrapper (or the inner part is hidden).
///
/// One row per wrapper family. A row is either a plain option spec (the inner command starts
/// at the first operand, or after one operand such as `timeout`'s duration) or a helper for
/// a wrapper whose syntax needs more than that.
pub fn inner_of(cmd: &SimpleCommand) -> Vec<Inner> {
    let Some(prog) = cmd.argv.first() else {
        return Vec::new();
    };
    let name = basename(prog);
    let args = &cmd.argv[1..];
    let mut hooks = hook_vars(cmd);
    hooks.extend(hook_options(name, args));
    hooks.extend(named_hook_options(args));
    let mut inner = wrapped(name, args, cmd);
    if inner.is_empty() {
        // Not a wrapper: a command embedded in its arguments is the general hook.
        inner.extend(super::embedded::embedded(cmd));
    }
    inner.extend(hooks);
    inner
}

/// The command a wrapper runs (see [`inner_of`]).
fn wrapped(name: &str, args: &[String], cmd: &SimpleCommand) -> Vec<Inner> {
    match name {
        "sudo" => unwrap_sudo(args),
        "doas" => after_opts(args, &Opts::new("uC", &[])),
        "pkexec" => after_opts(args, &Opts::new("", &["user"])),
        "su" | "runuser" | "sg" => unwrap_su(name, args),
        "env" => unwrap_env(args),
        "nice" => after_opts(args, &Opts::new("n", &["adjustment"])),
        "ionice" => after_opts(args, &Opts::new("cnpPut", &[])),
        "nohup" | "builtin" | "unbuffer" | "catchsegv" | "proxychains" | "proxychains4"
        | "torsocks" | "tsocks" | "chronic" | "ifne" | "sem" | "doit" | "setsid" | "firejail"
        | "unshare" => after_opts(args, &NO_VALUES),
        // Sandbox exits: they run the rest of the line on the host, outside the sandbox.
        "flatpak-spawn" | "host-spawn" | "distrobox-host-exec" => after_opts(args, &NO_VALUES),
        // `screen -dmS NAME CMD …` runs CMD in a detached session.
        "screen" => after_opts(args, &Opts::new("ScTtpeLlh", &[])),
        "tmux" => unwrap_tmux(args),
        "busybox" | "toybox" => unwrap_multicall(args),
        "timeout" => after_operand(args, &Opts::new("sk", &["signal", "kill-after"])),
        "time" => after_opts(args, &Opts::new("fo", &["format", "output"])),
        "exec" => after_opts(args, &Opts::new("a", &[])),
        "command" => unwrap_command(args),
        "stdbuf" => after_opts(args, &Opts::new("ioe", &["input", "output", "error"])),
        "strace" => after_opts(args, &Opts::new("abeEoOpPsSuUX", &[])),
        "ltrace" => after_opts(args, &Opts::new("aAeEfFlnopsSuUwX", &[])),
        "nsenter" => after_opts(args, &Opts::new("tSG", &["target", "setuid", "setgid"])),
        "systemd-run" => after_opts(args, &Opts::new("", SYSTEMD_RUN_VALUES)),
        "taskset" => after_operand(args, &NO_VALUES),
        // `chrt -i 0 CMD`: the priority is an operand; `faketime 'yesterday' CMD` a time.
        "chrt" => after_operand(
            args,
            &Opts::new("TPD", &["sched-runtime", "sched-period", "sched-deadline"]),
        ),
        "faketime" => after_operand(args, &Opts::new("mf", &[])),
        "cgexec" => after_opts(args, &Opts::new("g", &[])),
        "trickle" => after_opts(args, &Opts::new("dulwtn", &[])),
        "chpst" => after_opts(args, &Opts::new("ugUeln", &[])),
        "eatmydata" | "fakeroot" | "nocache" | "dbus-run-session" | "tini" | "dumb-init"
        | "setpriv" | "prlimit" | "catatonit" => after_opts(args, &NO_VALUES),
        "xvfb-run" => after_opts(args, &Opts::new("nsfep", &["server-num", "server-args"])),
        "chroot" => after_operand(args, &Opts::new("", &["userspec", "groups"])),
        "flock" => unwrap_flock(args),
        "watch" => unwrap_watch(args),
        "xargs" => unwrap_xargs(args, cmd),
        "parallel" => unwrap_parallel(args, cmd),
        "cmake" => unwrap_cmake(args, cmd),
        // `script -c CMD [FILE]` runs CMD in a new pseudo-terminal.
        "script" => option_values(args, &["-c"], &["command"])
            .into_iter()
            .filter_map(hook_script)
            .collect(),
        "ansible" => unwrap_ansible(args),
        "salt" | "salt-ssh" => unwrap_salt(args),
        "pdsh" | "clush" | "pssh" | "parallel-ssh" => unwrap_fan_out(args),
        "find" => unwrap_find(args),
        "fd" | "fdfind" => unwrap_fd(args, cmd),
        "awk" | "gawk" | "mawk" | "nawk" | "busybox-awk" => unwrap_awk(args),
        "ssh" => unwrap_ssh(args),
        "npx" | "bunx" => after_opts(args, &Opts::new("p", &["package"])),
        "kubectl" | "oc" => unwrap_after_dashes(args),
        "eval" => joined_script(args),
        // at and batch run the script they read on stdin (later, as the caller).
        "at" | "batch"
            if !args.iter().any(|a| {
                a.starts_with('-')
                    && a[1..]
                        .chars()
                        .any(|c| matches!(c, 'f' | 'l' | 'r' | 'd' | 'c'))
            }) =>
        {
            cmd.stdin_text
                .iter()
                .map(|s| Inner::Script(s.clone()))
                .collect()
        }
        "powershell" | "powershell.exe" | "pwsh" | "pwsh.exe" => {
            let mut out = encoded_powershell(name, args);
            out.extend(powershell_hidden(name, args));
            out.extend(powershell_statements(args));
            out
        }
        "cmd" | "cmd.exe" => cmd_exe_line(args).into_iter().collect(),
        // ed reads its commands on stdin; `!cmd` among them runs a shell command.
        "ed" | "red" => cmd
            .stdin_text
            .iter()
            .flat_map(|t| t.lines())
            .filter_map(|l| l.trim_start().strip_prefix('!'))
            .filter_map(hook_script)
            .collect(),
        // A database client reading its commands on stdin runs `\!`/`system` among them too.
        "mysql" | "mariadb" | "psql" => {
            client_shell_escapes(cmd.stdin_text.iter().map(String::as_str).collect())
        }
        n if is_shell(n) => unwrap_shell(args, cmd),
        n => match interpreter(n) {
            Some(lang) => unwrap_interpreter(lang, args, cmd),
            None => Vec::new(),
        },
    }
}

/// Variables through which a program runs a command of the caller's choosing: pagers,
/// editors, less's input preprocessor, git's ssh. `LESSOPEN='|cmd %s' less file` runs `cmd`.
const HOOK_VARS: &[&str] = &[
    "LESSOPEN",
    "LESSCLOSE",
    "PAGER",
    "MANPAGER",
    "GIT_PAGER",
    "GIT_EDITOR",
    "GIT_SSH_COMMAND",
    "EDITOR",
    "VISUAL",
    "SYSTEMD_PAGER",
    "BROWSER",
    "GIT_EXTERNAL_DIFF",
    "GIT_SEQUENCE_EDITOR",
    "GIT_ASKPASS",
    "SSH_ASKPASS",
    "SUDO_ASKPASS",
    "GIT_PROXY_COMMAND",
];

fn hook_script(value: &str) -> Option<Inner> {
    let v = value.trim_start_matches(['|', '-']).trim();
    (!v.is_empty()).then(|| Inner::Script(v.replace("%s", "FILE")))
}

/// Whether a variable's name says its value is a command: the list above, and every
/// `…EDITOR`, `…PAGER`, `…ASKPASS` or `…_COMMAND` (`KUBE_EDITOR`, `SVN_EDITOR`,
/// `SYSTEMD_PAGER`, `GIT_SSH_COMMAND`).
fn is_hook_var(name: &str) -> bool {
    HOOK_VARS.contains(&name)
        || ["EDITOR", "PAGER", "ASKPASS", "_COMMAND"]
            .iter()
            .any(|s| name.ends_with(s))
}

fn hook_vars(cmd: &SimpleCommand) -> Vec<Inner> {
    cmd.assigns
        .iter()
        .filter(|(k, _)| is_hook_var(k))
        .filter_map(|(_, v)| hook_script(v))
        .collect()
}

/// The value of `-X value`, `-Xvalue`, `--long value` or `--long=value` options of `args`.
fn option_values<'a>(args: &'a [String], short: &[&str], long: &[&str]) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if a == "--" {
            break;
        }
        let next = || args.get(i + 1).map(String::as_str);
        if let Some(l) = a.strip_prefix("--") {
            match l.split_once('=') {
                Some((k, v)) if long.contains(&k) => out.push(v),
                None if long.contains(&l) => {
                    out.extend(next());
                    i += 1;
                }
                _ => {}
            }
        } else {
            for s in short {
                if a == *s {
                    out.extend(next());
                    i += 1;
                    break;
                }
                if let Some(v) = a.strip_prefix(s).filter(|v| !v.is_empty() && s.len() == 2) {
                    out.push(v);
                    break;
                }
                // A bundle of flags ending in the option: `script -qc CMD`, `mysql -Ne SQL`.
                let bundled = s.len() == 2
                    && a.len() > 2
                    && a.starts_with('-')
                    && a[1..].bytes().all(|c| c.is_ascii_alphabetic())
                    && a.ends_with(&s[1..]);
                if bundled {
                    out.extend(next());
                    i += 1;
                    break;
                }
            }
        }
        i += 1;
    }
    out
}

/// Whether a configuration key's last part names a command by the way git spells such keys
/// (`sendemail.sendmailCmd`, `gpg.ssh.defaultKeyCommand`, `diff.<driver>.textconv`,
/// `core.askPass`, `interactive.diffFilter`): keys git adds later follow the same words.
fn command_suffix(key: &str) -> bool {
    let last = key.rsplit('.').next().unwrap_or(key);
    [
        "cmd", "command", "program", "editor", "pager", "proxy", "textconv", "askpass", "filter",
        "tunnel",
    ]
    .iter()
    .any(|w| last.ends_with(w))
}

/// Words that, as the last part of a long option's name, say its value is a command the
/// tool runs, in any tool: `--to-cmd`, `--receive-pack`, `--diff-cmd`, `--editor-cmd`,
/// `--script-shell`, `--rsh`-like `--ssh-program`, `--linker`, `--wrapper`.
const COMMAND_OPTION_WORDS: &[&str] = &[
    "cmd", "command", "program", "editor", "pager", "proxy", "hook", "exec", "shell", "wrapper",
    "tunnel", "linker", "askpass", "runner", "pack",
];

/// Most option values read as commands from one command (a bound on hostile input).
const MAX_NAMED_HOOKS: usize = 8;

/// Long options of any program whose name says they take a command (see
/// [`COMMAND_OPTION_WORDS`]), and event options (`--on-download-complete=CMD`): each value is
/// read as a script, so `git send-email --to-cmd='rm -rf ~'` or `svn diff --diff-cmd
/// /tmp/.x/run` is judged by what it runs.
fn named_hook_options(args: &[String]) -> Vec<Inner> {
    let mut out = Vec::new();
    for (i, a) in args.iter().enumerate() {
        if a == "--" || out.len() >= MAX_NAMED_HOOKS {
            break;
        }
        let Some(long) = a.strip_prefix("--") else {
            continue;
        };
        let (name, value) = match long.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (long, None),
        };
        let name = name.to_ascii_lowercase();
        let last = name.rsplit(['-', '.', '_']).next().unwrap_or(&name);
        let names_command = name.starts_with("on-") || COMMAND_OPTION_WORDS.contains(&last);
        if !names_command {
            continue;
        }
        let value = value.or_else(|| {
            args.get(i + 1)
                .map(String::as_str)
                .filter(|v| !v.starts_with('-'))
        });
        out.extend(value.and_then(hook_script));
    }
    out
}

/// git configuration keys whose value is a command (`!cmd` for aliases and helpers).
fn git_hook(key_value: &str) -> Option<Inner> {
    let (key, value) = key_value.split_once('=')?;
    let key = key.to_ascii_lowercase();
    let command_key = matches!(
        key.as_str(),
        "core.pager"
            | "core.sshcommand"
            | "core.fsmonitor"
            | "core.editor"
            | "core.gitproxy"
            | "sequence.editor"
            | "diff.external"
            | "gpg.program"
            | "uploadpack.packobjectshook"
    ) || key.starts_with("pager.")
        || command_suffix(&key)
        || key.starts_with("difftool.")
        || key.starts_with("mergetool.")
        || key.starts_with("filter.");
    // `!CMD` is how git spells "run this" in any key that takes one (aliases, credential
    // helpers, `submodule.<name>.update`).
    let bang = value.starts_with('!');
    // A custom transfer agent's arguments go to the program its `path` names: `-c …` is a
    // shell's script.
    let agent_args = key.starts_with("lfs.customtransfer.")
        && key.ends_with(".args")
        && value.trim_start().starts_with("-c ");
    if command_key {
        hook_script(value)
    } else if bang {
        value.strip_prefix('!').and_then(hook_script)
    } else if agent_args {
        hook_script(&format!("sh {value}"))
    } else {
        None
    }
}

/// Commands a program runs through one of its own options: `git -c core.pager=cmd`,
/// `tar --checkpoint-action=exec=cmd` / `--to-command` / `-I`, `ssh -o ProxyCommand=cmd`,
/// `rsync -e cmd` / `--rsync-path`, `man -P cmd`, `zip -TT cmd`, `vim -c ':!cmd'`, `gdb -ex
/// '!cmd'` (and `-ex 'python …'`), `git config alias.x '!cmd'`, `make --eval='$(shell cmd)'`,
/// `npm pkg set scripts.x=cmd`, sqlite3 `.shell cmd`, `tcpdump -z cmd`.
fn hook_options(name: &str, args: &[String]) -> Vec<Inner> {
    let scripts =
        |values: Vec<&str>| -> Vec<Inner> { values.into_iter().filter_map(hook_script).collect() };
    match name {
        // A file-transfer client's command list (`-c 'put FILE'`, `-e 'put FILE; bye'`):
        // each upload reads as the client sending that file.
        "smbclient" | "lftp" | "ftp" | "tftp" | "ncftp" | "yafc" => {
            transfer_uploads(name, option_values(args, &["-c", "-e"], &["command"]))
        }
        "git" => option_values(args, &["-c"], &["config-env"])
            .into_iter()
            .chain(option_values(args, &[], &["config"]))
            .map(str::to_string)
            .chain(git_config_set(args))
            .filter_map(|kv| git_hook(&kv))
            .chain(git_runs(args))
            .collect(),
        "tar" | "gtar" | "bsdtar" => {
            let mut out = scripts(option_values(
                args,
                &["-I", "-F"],
                &[
                    "to-command",
                    "use-compress-program",
                    "info-script",
                    "new-volume-script",
                ],
            ));
            for v in option_values(args, &[], &["checkpoint-action"]) {
                if let Some(cmd) = v.strip_prefix("exec=") {
                    out.extend(hook_script(cmd));
                }
            }
            out
        }
        "ssh" | "scp" | "sftp" => option_values(args, &["-o"], &[])
            .into_iter()
            .filter_map(|o| {
                let (k, v) = o.split_once(['=', ' '])?;
                matches!(
                    k.to_ascii_lowercase().as_str(),
                    "proxycommand" | "localcommand" | "knownhostscommand"
                )
                .then(|| hook_script(v))
                .flatten()
            })
            .collect(),
        "rsync" => scripts(option_values(args, &["-e"], &["rsh", "rsync-path"])),
        "man" => scripts(option_values(args, &["-P"], &["pager"])),
        "zip" => scripts(option_values(args, &["-TT"], &["unzip-command"])),
        "vim" | "vi" | "nvim" | "ex" | "view" | "gvim" => option_values(args, &["-c"], &["cmd"])
            .into_iter()
            .chain(args.iter().filter_map(|a| a.strip_prefix('+')))
            .flat_map(vim_command)
            .collect(),
        // `less +cmd` runs a less command at start; `!cmd` in less runs a shell command.
        "less" | "more" | "most" => args
            .iter()
            .filter_map(|a| a.strip_prefix('+'))
            .filter_map(|c| c.trim_start_matches(':').strip_prefix('!'))
            .filter_map(hook_script)
            .collect(),
        "apt" | "apt-get" | "aptitude" => option_values(args, &["-o"], &["option"])
            .into_iter()
            .filter_map(apt_hook)
            .collect(),
        "sed" | "gsed" => sed_commands(args),
        "gdb" => option_values(args, &["-ex"], &["eval-command"])
            .into_iter()
            .flat_map(
                |c| match c.strip_prefix("python ").or_else(|| c.strip_prefix("py ")) {
                    Some(text) => code::scan("python", text),
                    None => c
                        .strip_prefix('!')
                        .or_else(|| c.strip_prefix("shell "))
                        .and_then(hook_script)
                        .into_iter()
                        .collect(),
                },
            )
            .collect(),
        // `make --eval='$(shell cmd)'` runs cmd while the makefile is read; the recipe lines
        // of a rule it defines (`all:\n\tcmd`) run when that target is built.
        "make" | "gmake" => option_values(args, &["-E"], &["eval"])
            .into_iter()
            .flat_map(|text| {
                make_shell_calls(text)
                    .into_iter()
                    .map(str::to_string)
                    .chain(make_recipes(text).into_iter().map(make_expanded))
                    .collect::<Vec<_>>()
            })
            .filter_map(|t| hook_script(&t))
            .collect(),
        // `strace -o '|cmd'` (or `!cmd`) pipes the trace into cmd.
        "strace" => option_values(args, &["-o"], &["output"])
            .into_iter()
            .filter(|o| o.starts_with(['|', '!']))
            .filter_map(hook_script)
            .collect(),
        // The `\!` (and mysql's `system`) client command runs a shell command.
        "mysql" | "mariadb" => {
            let mut out = client_shell_escapes(option_values(args, &["-e"], &["execute"]));
            out.extend(scripts(option_values(args, &[], &["pager"])));
            out
        }
        // dpkg runs these around every package operation.
        "dpkg" => scripts(option_values(args, &[], &["pre-invoke", "post-invoke"])),
        "npx" => scripts(option_values(args, &["-c"], &["call"])),
        "wget" => scripts(option_values(args, &[], &["use-askpass"])),
        // rpm macros: `%(cmd)` expands to cmd's output.
        "rpm" | "rpmbuild" | "rpmspec" => option_values(args, &["-E"], &["eval"])
            .into_iter()
            .flat_map(rpm_shell_macros)
            .filter_map(hook_script)
            .collect(),
        // Mercurial hooks not written in Python (`python:`) are shell commands.
        "hg" => option_values(args, &[], &["config"])
            .into_iter()
            .filter_map(|kv| kv.split_once('='))
            .filter(|(k, v)| {
                (k.starts_with("hooks.") || *k == "pager.pager" || *k == "ui.editor")
                    && !v.starts_with("python:")
            })
            .filter_map(|(_, v)| hook_script(v))
            .collect(),
        // `gcc -wrapper prog,arg,…` runs each compiler pass under prog.
        "gcc" | "g++" | "cc" | "c++" | "clang" | "clang++" => {
            option_values(args, &["-wrapper"], &[])
                .into_iter()
                .map(|w| Inner::Argv {
                    argv: w.split(',').map(str::to_string).collect(),
                    assigns: Vec::new(),
                })
                .collect()
        }
        // `mvn exec:exec -Dexec.executable=sh -Dexec.args='-c "…"'` runs that command.
        "mvn" | "mvnw" => {
            let prop = |name: &str| {
                args.iter()
                    .find_map(|a| a.strip_prefix(&format!("-D{name}=")))
                    .map(str::to_string)
            };
            match prop("exec.executable") {
                Some(exe) if args.iter().any(|a| a.starts_with("exec:")) => {
                    let line = format!("{exe} {}", prop("exec.args").unwrap_or_default());
                    hook_script(&line).into_iter().collect()
                }
                _ => Vec::new(),
            }
        }
        // websocat's `sh-c:CMD` and `exec:PROG` addresses run a command on the connection.
        "websocat" => args
            .iter()
            .filter_map(|a| {
                a.strip_prefix("sh-c:")
                    .or_else(|| a.strip_prefix("cmd:"))
                    .or_else(|| a.strip_prefix("exec:"))
            })
            .filter_map(hook_script)
            .collect(),
        "psql" => {
            let sql = option_values(args, &["-c"], &["command"]);
            let mut out: Vec<Inner> = sql
                .iter()
                .flat_map(|q| copy_programs(q))
                .filter_map(hook_script)
                .collect();
            out.extend(client_shell_escapes(sql));
            out
        }
        // `npm pkg set scripts.postinstall='cmd'` stores a command the next install runs.
        "npm" | "pnpm" | "yarn" => npm_script_values(args)
            .into_iter()
            .filter_map(hook_script)
            .collect(),
        // sqlite3's `.shell` and `.system` dot-commands run a shell command.
        "sqlite3" => args
            .iter()
            .filter_map(|a| {
                let a = a.trim_start();
                a.strip_prefix(".shell ")
                    .or_else(|| a.strip_prefix(".system "))
            })
            .filter_map(hook_script)
            .collect(),
        // `tcpdump -z cmd` runs cmd on every saved file.
        "tcpdump" => option_values(args, &["-z"], &[])
            .into_iter()
            .map(|c| Inner::Argv {
                argv: vec![c.to_string(), "FILE".to_string()],
                assigns: Vec::new(),
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// What git subcommands run on the caller's behalf: `submodule foreach CMD` (in every
/// submodule), `rebase --exec CMD` / `-x CMD` (after each commit), `bisect run CMD ARGS`.
fn git_runs(args: &[String]) -> Vec<Inner> {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    let Some(at) = words.iter().position(|w| {
        matches!(
            *w,
            "submodule" | "rebase" | "bisect" | "difftool" | "filter-branch"
        )
    }) else {
        return Vec::new();
    };
    let rest = &words[at + 1..];
    match words[at] {
        "submodule" => {
            let Some(f) = rest.iter().position(|w| *w == "foreach") else {
                return Vec::new();
            };
            let script: Vec<&str> = rest[f + 1..]
                .iter()
                .copied()
                .skip_while(|w| w.starts_with("--") || *w == "-q")
                .collect();
            hook_script(&script.join(" ")).into_iter().collect()
        }
        "rebase" => option_values(args, &["-x"], &["exec"])
            .into_iter()
            .filter_map(hook_script)
            .collect(),
        // `difftool -x CMD` runs CMD on each changed file pair.
        "difftool" => option_values(args, &["-x"], &["extcmd"])
            .into_iter()
            .filter_map(hook_script)
            .collect(),
        // filter-branch runs its filters as shell commands on every commit.
        "filter-branch" => option_values(
            args,
            &[],
            &[
                "tree-filter",
                "index-filter",
                "msg-filter",
                "env-filter",
                "commit-filter",
                "parent-filter",
                "tag-name-filter",
            ],
        )
        .into_iter()
        .filter_map(hook_script)
        .collect(),
        _ if rest.first() == Some(&"run") && rest.len() > 1 => argv(&args[at + 2..]),
        _ => Vec::new(),
    }
}

/// `KEY=VALUE` of `git config [--global|--system|--local|--file F] KEY VALUE`, the way an
/// alias or helper is stored for later (`git config alias.st '!curl … | sh'`).
fn git_config_set(args: &[String]) -> Option<String> {
    let at = args.iter().position(|a| a == "config")?;
    let mut operands = Vec::new();
    let mut i = at + 1;
    while i < args.len() && operands.len() < 2 {
        let a = args[i].as_str();
        if matches!(a, "-f" | "--file" | "--blob" | "--type") {
            i += 2;
            continue;
        }
        if a.starts_with('-') {
            i += 1;
            continue;
        }
        operands.push(a);
        i += 1;
    }
    match operands.as_slice() {
        [key, value] => Some(format!("{key}={value}")),
        _ => None,
    }
}

/// The commands inside `$(shell …)` calls of make text (parentheses balanced).
fn make_shell_calls(text: &str) -> Vec<&str> {
    paren_bodies(text, "$(shell ")
}

/// The bodies of every `OPEN…)` in `text`, with nested parentheses kept (`$(shell …)` of
/// make, `%(…)` of rpm).
fn paren_bodies<'a>(text: &'a str, open: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(open) {
        let body = &rest[at + open.len()..];
        let mut depth = 1usize;
        let mut end = body.len();
        for (i, b) in body.bytes().enumerate() {
            match b {
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i;
                        break;
                    }
                }
                _ => {}
            }
        }
        out.push(&body[..end]);
        rest = &body[end..];
    }
    out
}

/// A recipe line as the shell gets it: make expands `$$` to `$`, `$(NAME)` / `${NAME}` to
/// a variable (read here as the shell variable of that name) and automatic or computed ones
/// (`$@`, `$*`, `$($*)`) to text the recipe does not spell out.
fn make_expanded(line: &str) -> String {
    let b = line.as_bytes();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'$' || i + 1 >= b.len() {
            out.push(b[i] as char);
            i += 1;
            continue;
        }
        match b[i + 1] {
            b'$' => {
                out.push('$');
                i += 2;
            }
            open @ (b'(' | b'{') => {
                let close = if open == b'(' { b')' } else { b'}' };
                let mut depth = 1usize;
                let mut k = i + 2;
                while k < b.len() && depth > 0 {
                    if b[k] == open {
                        depth += 1;
                    } else if b[k] == close {
                        depth -= 1;
                    }
                    k += 1;
                }
                let inner = &line[i + 2..k.saturating_sub(1).max(i + 2)];
                if !inner.is_empty()
                    && inner
                        .bytes()
                        .all(|c| c.is_ascii_alphanumeric() || c == b'_')
                {
                    out.push_str(&format!("${{{inner}}}"));
                } else {
                    out.push_str("MAKEVALUE");
                }
                i = k;
            }
            _ => {
                out.push_str("MAKEVALUE");
                i += 2;
            }
        }
    }
    out
}

/// The recipe lines (tab-indented) of make text: each is a shell command.
fn make_recipes(text: &str) -> Vec<&str> {
    text.lines()
        .filter_map(|l| l.strip_prefix('\t').or_else(|| inline_recipe(l)))
        .map(|l| l.trim_start_matches(['@', '-', '+']))
        .collect()
}

/// The recipe written on a rule's own line, after `;` (`all: deps ; cmd`). Variable
/// assignments (`X := a;b`) are not rules.
fn inline_recipe(line: &str) -> Option<&str> {
    let colon = line.find(':')?;
    if line[colon + 1..].starts_with(['=', ':']) || line[..colon].contains('=') {
        return None;
    }
    let semi = line[colon..].find(';')? + colon;
    Some(line[semi + 1..].trim_start())
}

/// What a vim command line runs: `:!cmd`, `:call system('cmd')`, and `:lua`, `:py3`,
/// `:perl` or `:ruby` code.
fn vim_command(c: &str) -> Vec<Inner> {
    let c = c.trim_start_matches(':').trim_start();
    if let Some(cmd) = c.strip_prefix('!') {
        return hook_script(cmd).into_iter().collect();
    }
    for (prefix, lang) in [
        ("lua ", "lua"),
        ("py3 ", "python"),
        ("python3 ", "python"),
        ("py ", "python"),
        ("python ", "python"),
        ("perl ", "perl"),
        ("ruby ", "ruby"),
    ] {
        if let Some(code) = c.strip_prefix(prefix) {
            return code::scan(lang, code);
        }
    }
    for prefix in ["call system(", "call systemlist(", "silent !"] {
        if let Some(rest) = c.strip_prefix(prefix) {
            let inner = rest.trim_end_matches(')').trim();
            let inner = inner.trim_matches(|q| q == '\'' || q == '"');
            return hook_script(inner).into_iter().collect();
        }
    }
    Vec::new()
}

/// The commands of PostgreSQL's `COPY … TO PROGRAM 'cmd'` / `FROM PROGRAM 'cmd'`.
fn copy_programs(sql: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let upper = sql.to_ascii_uppercase();
    let mut from = 0;
    while let Some(at) = upper[from..].find("PROGRAM") {
        let start = from + at + "PROGRAM".len();
        let rest = sql[start..].trim_start();
        if let Some(body) = rest.strip_prefix('\'') {
            if let Some(end) = body.find('\'') {
                out.push(&body[..end]);
            }
        }
        from = start;
    }
    out
}

/// The commands inside rpm's `%(…)` shell macros.
fn rpm_shell_macros(text: &str) -> Vec<&str> {
    paren_bodies(text, "%(")
}

/// Shell commands a database client's `\!` or `system` meta-command runs, one per line of
/// the given command texts.
/// The uploads of a file-transfer client's command lists, each as `CLIENT put FILE`.
fn transfer_uploads(client: &str, scripts: Vec<&str>) -> Vec<Inner> {
    scripts
        .into_iter()
        .flat_map(|s| s.split([';', '\n']))
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            let verb = words.next()?;
            matches!(verb, "put" | "mput" | "reput" | "append" | "send")
                .then(|| words.next())
                .flatten()
                .map(|file| Inner::Argv {
                    argv: vec![client.to_string(), "put".to_string(), file.to_string()],
                    assigns: Vec::new(),
                })
        })
        .take(16)
        .collect()
}

fn client_shell_escapes(texts: Vec<&str>) -> Vec<Inner> {
    texts
        .into_iter()
        .flat_map(str::lines)
        .filter_map(|l| {
            let l = l.trim_start();
            l.strip_prefix("\\!").or_else(|| l.strip_prefix("system "))
        })
        .filter_map(hook_script)
        .collect()
}

/// Script values an npm-style `pkg set scripts.NAME=cmd` (or `set-script NAME cmd`) stores.
fn npm_script_values(args: &[String]) -> Vec<&str> {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["pkg", "set", rest @ ..] => rest
            .iter()
            .filter_map(|kv| kv.split_once('='))
            .filter(|(k, _)| k.starts_with("scripts."))
            .map(|(_, v)| v)
            .collect(),
        ["set-script", _, value, ..] => vec![*value],
        _ => Vec::new(),
    }
}

/// APT configuration items whose value is a shell command run around the operation:
/// `-o APT::Update::Pre-Invoke::=cmd`, `-o DPkg::Post-Invoke::=cmd`.
fn apt_hook(key_value: &str) -> Option<Inner> {
    let (key, value) = key_value.split_once('=')?;
    let key = key.trim_end_matches(':').to_ascii_lowercase();
    let hook = key.ends_with("::pre-invoke")
        || key.ends_with("::post-invoke")
        || key.ends_with("::post-invoke-success")
        || key.ends_with("::pre-install-pkgs");
    hook.then(|| hook_script(value)).flatten()
}

/// Commands a sed script runs: GNU sed's `e command` runs `command`, and a bare `e` or the
/// `e` flag of `s///e` runs text only known at run time. Scripts come from `-e`/
/// `--expression` or, without them, the first operand; `-f` files are not visible.
fn sed_commands(args: &[String]) -> Vec<Inner> {
    let mut scripts = option_values(args, &["-e"], &["expression"]);
    if scripts.is_empty() && !args.iter().any(|a| a == "-f" || a.starts_with("--file")) {
        let i = skip_opts(args, &Opts::new("lf", &["line-length", "file"]));
        scripts.extend(args.get(i).map(String::as_str));
    }
    let mut out = Vec::new();
    for script in scripts {
        sed_script(script.as_bytes(), &mut out);
    }
    out
}

/// Walks one sed script command by command (addresses, `!`, `{`/`}`, `s`/`y` with their
/// delimiters, commands that take the rest of the line) and collects what `e` runs.
fn sed_script(b: &[u8], out: &mut Vec<Inner>) {
    let mut i = 0;
    // Skips a delimited part (`/re/`, the pieces of `s/a/b/`), honouring backslashes.
    let delimited = |mut i: usize, d: u8| -> usize {
        while i < b.len() && b[i] != d {
            i += if b[i] == b'\\' { 2 } else { 1 };
        }
        i + 1
    };
    let line_end = |i: usize| {
        b[i.min(b.len())..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(b.len(), |n| i + n)
    };
    while i < b.len() && out.len() < 16 {
        let c = b[i];
        if c.is_ascii_whitespace()
            || matches!(c, b';' | b'{' | b'}' | b'!' | b',' | b'~' | b'+' | b'$')
            || c.is_ascii_digit()
        {
            i += 1;
            continue;
        }
        match c {
            b'/' => i = delimited(i + 1, b'/'),
            b'\\' if i + 1 < b.len() => i = delimited(i + 2, b[i + 1]),
            b's' | b'y' if i + 1 < b.len() => {
                let d = b[i + 1];
                let mut j = delimited(i + 2, d);
                let replacement_at = j;
                j = delimited(j, d);
                let flags_end = b[j.min(b.len())..]
                    .iter()
                    .position(|&f| !f.is_ascii_alphanumeric())
                    .map_or(b.len(), |n| j + n);
                if c == b's' && b[j.min(b.len())..flags_end].contains(&b'e') {
                    // What runs is the line after the substitution; a replacement spelled
                    // out (`s/x/rm -rf ~\/.ssh/e`) is most of it.
                    let replacement = &b[replacement_at.min(b.len())
                        ..j.saturating_sub(1).max(replacement_at).min(b.len())];
                    let text = sed_unescape(replacement, d);
                    if !text.contains('&') && !text.trim().is_empty() {
                        out.extend(hook_script(&text));
                    }
                    out.extend(argv(&[DYNAMIC.to_string()]));
                }
                i = flags_end;
            }
            b'e' => {
                let end = line_end(i + 1);
                let text = String::from_utf8_lossy(&b[i + 1..end]);
                match hook_script(&text) {
                    Some(inner) => out.push(inner),
                    None => out.extend(argv(&[DYNAMIC.to_string()])),
                }
                i = end;
            }
            b'a' | b'i' | b'c' | b'r' | b'R' | b'w' | b'W' | b'b' | b't' | b'T' | b':' | b'#' => {
                i = line_end(i + 1);
            }
            _ => i += 1,
        }
    }
}

/// A sed replacement with its escaped delimiters and backslashes resolved.
fn sed_unescape(text: &[u8], delim: u8) -> String {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        if text[i] == b'\\' && i + 1 < text.len() && (text[i + 1] == delim || text[i + 1] == b'\\')
        {
            out.push(text[i + 1]);
            i += 2;
        } else {
            out.push(text[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Options of a wrapper whose options never take a separate value: the first word that is
/// not an option is the inner command.
const NO_VALUES: Opts<'static> = Opts::new("", &[]);

/// `systemd-run` long options that take a value (`--unit foo`), so `foo` is not the command.
const SYSTEMD_RUN_VALUES: &[&str] = &[
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
];

/// The command that starts at the first operand: `nice -n 5 make` runs `make`.
fn after_opts(args: &[String], o: &Opts<'_>) -> Vec<Inner> {
    argv(&args[skip_opts(args, o)..])
}

/// The command that starts after one operand the wrapper keeps for itself: the duration of
/// `timeout 5 make`, the new root of `chroot /srv make`, the mask of `taskset 0x1 make`.
fn after_operand(args: &[String], o: &Opts<'_>) -> Vec<Inner> {
    argv(args.get(skip_opts(args, o) + 1..).unwrap_or(&[]))
}

/// Words the wrapper hands to a shell as one command line (`eval`, `watch`, `ssh host …`):
/// the words are joined with spaces and re-parsed, as the shell on the other side would.
fn joined_script(words: &[String]) -> Vec<Inner> {
    if words.is_empty() {
        Vec::new()
    } else {
        vec![Inner::Script(words.join(" "))]
    }
}

/// `powershell -EncodedCommand <base64 of UTF-16LE text>` (any unambiguous prefix: `-e`,
/// `-enc`, `-ec`): the command it runs, decoded, as `powershell -Command <text>`.
fn encoded_powershell(name: &str, args: &[String]) -> Vec<Inner> {
    use base64::Engine as _;
    let is_flag = |a: &str| {
        let a = a.to_ascii_lowercase();
        let a = a.trim_start_matches(['-', '/']);
        a == "ec" || (!a.is_empty() && "encodedcommand".starts_with(a))
    };
    let Some(at) = args
        .iter()
        .position(|a| a.starts_with(['-', '/']) && is_flag(a))
    else {
        return Vec::new();
    };
    let Some(encoded) = args.get(at + 1) else {
        return Vec::new();
    };
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(encoded.trim()) else {
        return Vec::new();
    };
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    match String::from_utf16(&units) {
        Ok(text) => vec![Inner::Argv {
            argv: vec![name.to_string(), "-Command".to_string(), text],
            assigns: Vec::new(),
        }],
        Err(_) => Vec::new(),
    }
}

/// The statements of `powershell -Command TEXT` (or of the text after its options) that
/// call a command by name (`Add-LocalGroupMember -Group Administrators …`, `net user …`),
/// each a guess at a command line: PowerShell's own syntax (variables, expressions, script
/// blocks) is left out rather than read as POSIX shell.
fn powershell_statements(args: &[String]) -> Vec<Inner> {
    const VALUED: &[&str] = &[
        "-executionpolicy",
        "-ep",
        "-ex",
        "-exec",
        "-windowstyle",
        "-w",
        "-win",
        "-inputformat",
        "-outputformat",
        "-version",
        "-configurationname",
        "-workingdirectory",
        "-wd",
    ];
    let mut i = 0;
    let mut text = None;
    while i < args.len() {
        let a = args[i].to_ascii_lowercase();
        if a == "-file" || a == "-f" || a.starts_with("-e") && "-encodedcommand".starts_with(&a) {
            return Vec::new();
        }
        if a == "-c" || a == "-command" || a == "-com" {
            text = Some(args[i + 1..].join(" "));
            break;
        }
        if !a.starts_with('-') {
            text = Some(args[i..].join(" "));
            break;
        }
        i += if VALUED.contains(&a.as_str()) { 2 } else { 1 };
    }
    let Some(text) = text.filter(|t| t != "-") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let (mut quote, mut start) = (None, 0);
    let bytes = text.as_bytes();
    // The end of the text ends the last statement.
    for at in 0..=bytes.len() {
        let b = bytes.get(at).copied().unwrap_or(b';');
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'\'' || b == b'"' => quote = Some(b),
            None if b == b';' || b == b'\n' => {
                let stmt = text[start..at].trim().trim_start_matches(['&', '.']).trim();
                let first = stmt.split_whitespace().next().unwrap_or("");
                let named = !first.is_empty()
                    && first
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-_.:\\/".contains(c));
                if named && out.len() < 8 {
                    out.push(Inner::Guess(stmt.to_string()));
                }
                start = at + 1;
            }
            None => {}
        }
    }
    out
}

/// `cmd /c LINE` (or `/k`, `/r`): the line it runs, with cmd's `^` escapes taken out.
fn cmd_exe_line(args: &[String]) -> Option<Inner> {
    let at = args
        .iter()
        .position(|a| matches!(a.to_ascii_lowercase().as_str(), "/c" | "/k" | "/r"))?;
    let line = args[at + 1..].join(" ").replace('^', "");
    (!line.trim().is_empty()).then_some(Inner::Guess(line))
}

/// What a PowerShell command line hides in encoded literals
/// (`iex ([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('…')))`,
/// `iex (-join [char[]](…))`): each decoded text as the command PowerShell runs.
fn powershell_hidden(name: &str, args: &[String]) -> Vec<Inner> {
    let text = args.join(" ");
    super::hidden::decoded(&text)
        .into_iter()
        .map(|t| Inner::Argv {
            argv: vec![name.to_string(), "-Command".to_string(), t],
            assigns: Vec::new(),
        })
        .collect()
}

/// `sudo` options that take a value (`-u root`, `--chdir /srv`).
const SUDO_VALUES: &[&str] = &[
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
];

/// `sudo cmd…`. `sudo -e`/`--edit` (sudoedit) takes file names, not a command, so it runs
/// nothing we could see.
/// tmux subcommands whose last operand is a shell command (`new-session -d 'CMD'`,
/// `run-shell CMD`, `split-window CMD`, …).
fn unwrap_tmux(args: &[String]) -> Vec<Inner> {
    const RUNS: &[&str] = &[
        "new-session",
        "new",
        "new-window",
        "neww",
        "split-window",
        "splitw",
        "respawn-pane",
        "respawnp",
        "respawn-window",
        "respawnw",
        "run-shell",
        "run",
        "display-popup",
        "popup",
    ];
    const VALUED: &[&str] = &[
        "-s", "-n", "-t", "-c", "-e", "-F", "-l", "-x", "-y", "-T", "-S", "-L", "-f", "-w", "-h",
    ];
    let Some(at) = args.iter().position(|a| RUNS.contains(&a.as_str())) else {
        return Vec::new();
    };
    let rest = &args[at + 1..];
    match rest.split_last() {
        Some((last, before))
            if !last.starts_with('-')
                && !before.last().is_some_and(|p| VALUED.contains(&p.as_str())) =>
        {
            vec![Inner::Script(last.clone())]
        }
        _ => Vec::new(),
    }
}

fn unwrap_sudo(args: &[String]) -> Vec<Inner> {
    if args
        .iter()
        .take_while(|a| a.starts_with('-'))
        .any(|a| a == "-e" || a == "--edit")
    {
        return Vec::new();
    }
    after_opts(args, &Opts::new("ughpCDrtUTR", SUDO_VALUES))
}

/// `su`, `runuser` and `sg` run a shell command given with `-c` (also bundled, as in
/// `su -lc cmd`, or `--command=cmd`). Without one, `sg group cmd…` runs its remaining words
/// as a command line and `runuser -u user -- cmd…` runs an argument vector.
fn unwrap_su(name: &str, args: &[String]) -> Vec<Inner> {
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
        } else if a.len() > 2 && a.starts_with('-') && !a.starts_with("--") && a.ends_with('c') {
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

/// `busybox applet args…`: the applet name is the inner program. A leading option
/// (`busybox --list`) means busybox itself is doing the work.
fn unwrap_multicall(args: &[String]) -> Vec<Inner> {
    if args.first().is_some_and(|a| !a.starts_with('-')) {
        argv(args)
    } else {
        Vec::new()
    }
}

/// `command cmd…` runs `cmd`, but `command -v`/`-V` only looks it up.
fn unwrap_command(args: &[String]) -> Vec<Inner> {
    if args
        .iter()
        .take_while(|a| a.starts_with('-'))
        .any(|a| a.contains('v') || a.contains('V'))
    {
        return Vec::new();
    }
    after_opts(args, &NO_VALUES)
}

/// `flock lock -c 'script'` runs a shell command; otherwise `flock lock cmd…` runs the
/// command after the lock file.
fn unwrap_flock(args: &[String]) -> Vec<Inner> {
    if let Some(p) = args.iter().position(|a| a == "-c" || a == "--command") {
        return args
            .get(p + 1)
            .map(|c| vec![Inner::Script(c.clone())])
            .unwrap_or_default();
    }
    after_operand(args, &Opts::new("wE", &["timeout", "conflict-exit-code"]))
}

/// `watch cmd…` passes its words to `sh -c` as one command line.
fn unwrap_watch(args: &[String]) -> Vec<Inner> {
    let i = skip_opts(args, &Opts::new("nq", &["interval", "equexit"]));
    joined_script(&args[i..])
}

/// `xargs` options that take a value (`-n 1`, `--max-procs 4`).
const XARGS_VALUES: &[&str] = &[
    "arg-file",
    "delimiter",
    "eof",
    "replace",
    "max-lines",
    "max-args",
    "max-procs",
    "max-chars",
    "process-slot-var",
];

/// `xargs cmd…` runs `cmd` with words read from stdin appended, which we cannot see, so a
/// [`DYNAMIC`] word stands in for them; with `-I`/`-i`/`--replace` they are substituted
/// into the existing words instead. With no command xargs runs `echo`.
/// `kubectl exec|debug|run ... -- CMD ARGS`: what follows `--` runs in the pod or on the node.
fn unwrap_after_dashes(args: &[String]) -> Vec<Inner> {
    let Some(i) = args.iter().position(|a| a == "--") else {
        return Vec::new();
    };
    let runs = args[..i]
        .iter()
        .any(|a| matches!(a.as_str(), "exec" | "debug" | "run" | "attach"));
    if runs {
        argv(&args[i + 1..])
    } else {
        Vec::new()
    }
}

/// `xargs cmd` appends what arrives on stdin; `-I X` puts it where `X` stands. It is only
/// known at run time (`$(...)`), except for the entries of a listing upstream: after
/// `ls / |` the input names the entries of `/`, so `/*` is checked too.
fn unwrap_xargs(args: &[String], cmd: &SimpleCommand) -> Vec<Inner> {
    let i = skip_opts(args, &Opts::new("ILnPdEsa", XARGS_VALUES));
    let mut replace: Option<&str> = None;
    let mut k = 0;
    while k < i {
        let a = args[k].as_str();
        if a == "-I" {
            replace = args.get(k + 1).map(String::as_str);
            k += 1;
        } else if let Some(r) = a.strip_prefix("--replace=") {
            replace = Some(r);
        } else if a == "-i" || a == "--replace" {
            replace = Some("{}");
        } else if let Some(r) = a.strip_prefix("-I").or_else(|| a.strip_prefix("-i")) {
            replace = Some(r);
        }
        k += 1;
    }
    let mut v: Vec<String> = args[i..].to_vec();
    if v.is_empty() {
        v.push("echo".to_string());
    }
    // Input spelled out (`printf '%s\n' /etc /var | xargs rm -rf`) is known word by word.
    let spelled: Vec<String> = cmd
        .stdin_text
        .iter()
        .filter(|t| !t.contains(DYNAMIC))
        .flat_map(|t| {
            t.split(|c: char| c.is_whitespace() || c == '\0')
                .filter(|w| !w.is_empty())
                .map(str::to_string)
        })
        .take(64)
        .collect();
    let mut listed = cmd.piped_listing.clone();
    listed.extend(spelled.iter().cloned());
    let listed = &listed;
    match replace.filter(|r| !r.is_empty()) {
        Some(r) => {
            // Each input line replaces `r`. A whole argument, or the start of one
            // (`{}/*`), stands for what the listing names (`/usr/*`); inside a longer one
            // (`/{}`), for one entry's name (`*`).
            for a in v.iter_mut() {
                if a == r {
                    *a = listed.first().map_or(DYNAMIC, String::as_str).to_string();
                } else if let Some(full) = listed.first().filter(|l| l.starts_with('/')) {
                    *a = replace_words(a, r, full);
                } else if a.contains(r) {
                    *a = a.replace(r, if listed.is_empty() { DYNAMIC } else { "*" });
                }
            }
        }
        None => {
            if spelled.is_empty() {
                v.push(DYNAMIC.to_string());
            }
            v.extend(listed.iter().cloned());
        }
    }
    argv(&v)
}

/// `text` with each `r` that starts a word (`{}/*`, `rm -rf {}`) replaced by `full`, and
/// each inside a word (`/srv/{}`) by `*` (one entry's name).
fn replace_words(text: &str, r: &str, full: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(r) {
        out.push_str(&rest[..at]);
        let starts_word = out
            .chars()
            .last()
            .is_none_or(|c| c.is_whitespace() || matches!(c, '"' | '\'' | '=' | '@' | ':'));
        out.push_str(if starts_word { full } else { "*" });
        rest = &rest[at + r.len()..];
    }
    out.push_str(rest);
    out
}

/// GNU parallel's options that take a value (as a separate word).
const PARALLEL_VALUES: &[&str] = &[
    "jobs",
    "arg-file",
    "colsep",
    "delimiter",
    "eof",
    "delay",
    "timeout",
    "results",
    "joblog",
    "max-args",
    "max-replace-args",
    "sshlogin",
    "sshloginfile",
    "tmpdir",
    "workdir",
    "env",
    "halt",
    "retries",
    "load",
    "memfree",
    "basefile",
    "transfer-file",
    "return",
    "tag-string",
    "tagstring",
    "replace",
    "extensionreplace",
    "basenamereplace",
    "dirnamereplace",
    "basenameextensionreplace",
    "seqreplace",
    "slotreplace",
    "block",
    "recstart",
    "recend",
    "shebang-wrap",
    "max-chars",
    "nice",
    "progress-file",
    "limit",
    "sshdelay",
    "wd",
];

/// `parallel [opts] CMD [ARGS] [::: INPUTS]`: runs CMD once per input line (or per `:::`
/// input), with `{}` and its variants (`{.}`, `{/}`, `{//}`, `{/.}`) replaced by the input
/// and the input appended when no replacement string appears. A single word with spaces is
/// a command line, run by a shell. What the inputs are is known from `:::` or a listing
/// piped in (`ls /home | parallel rm -rf /home/{}`), else stands for run-time text.
fn unwrap_parallel(args: &[String], cmd: &SimpleCommand) -> Vec<Inner> {
    let i = skip_opts(args, &Opts::new("jaCdEIlLnNsSX", PARALLEL_VALUES));
    let rest = &args[i..];
    let end = rest
        .iter()
        .position(|a| a.starts_with(":::"))
        .unwrap_or(rest.len());
    let command = &rest[..end];
    if command.is_empty() {
        return Vec::new();
    }
    let given: Vec<&str> = rest[end..]
        .iter()
        .filter(|a| !a.starts_with(":::"))
        .map(String::as_str)
        .take(16)
        .collect();
    let inputs: Vec<&str> = if !given.is_empty() {
        given
    } else if cmd.piped_listing.is_empty() {
        vec![DYNAMIC]
    } else {
        cmd.piped_listing.iter().map(String::as_str).collect()
    };
    const REPLACEMENTS: [&str; 5] = ["{}", "{.}", "{/}", "{//}", "{/.}"];
    let has_replacement = command
        .iter()
        .any(|a| REPLACEMENTS.iter().any(|r| a.contains(r)));
    let script = command.len() == 1 && command[0].contains(char::is_whitespace);
    let mut out = Vec::new();
    for input in inputs {
        let value = if script && input == DYNAMIC {
            quote(DYNAMIC)
        } else {
            input.to_string()
        };
        let mut words: Vec<String> = command
            .iter()
            .map(|a| {
                REPLACEMENTS
                    .iter()
                    .fold(a.clone(), |a, r| a.replace(r, &value))
            })
            .collect();
        if !has_replacement {
            words.push(value);
        }
        if script {
            out.push(Inner::Script(words.join(" ")));
        } else {
            out.extend(argv(&words));
        }
    }
    out
}

/// `cmake -E TOOL …` runs one of cmake's portable tools (`rm`, `remove_directory`, `env`,
/// `chdir`, `time`), and `cmake -P /dev/stdin` runs the script on stdin, whose
/// `execute_process(COMMAND …)` calls start programs and `file(REMOVE_RECURSE …)` deletes
/// trees. A script file other than stdin is not visible here.
fn unwrap_cmake(args: &[String], cmd: &SimpleCommand) -> Vec<Inner> {
    let words = |w: &[&str], rest: &[String]| -> Vec<Inner> {
        let mut v: Vec<String> = w.iter().map(|s| (*s).to_string()).collect();
        v.extend(rest.iter().cloned());
        argv(&v)
    };
    if let Some(at) = args.iter().position(|a| a == "-E") {
        let rest = args.get(at + 2..).unwrap_or(&[]);
        return match args.get(at + 1).map(String::as_str) {
            Some("rm") => words(&["rm"], rest),
            Some("remove_directory") => words(&["rm", "-rf"], rest),
            Some("remove") => words(&["rm", "-f"], rest),
            Some("env") => words(&["env"], rest),
            Some("time") => argv(rest),
            Some("chdir") => argv(rest.get(1..).unwrap_or(&[])),
            _ => Vec::new(),
        };
    }
    let from_stdin = option_values(args, &["-P"], &[])
        .iter()
        .any(|f| matches!(*f, "-" | "/dev/stdin" | "/proc/self/fd/0"));
    match cmd.stdin_text.as_deref() {
        Some(text) if from_stdin => cmake_script(text),
        _ => Vec::new(),
    }
}

/// Keywords that end a `COMMAND` argument list of `execute_process`.
const CMAKE_KEYWORDS: &[&str] = &[
    "COMMAND",
    "WORKING_DIRECTORY",
    "TIMEOUT",
    "RESULT_VARIABLE",
    "RESULTS_VARIABLE",
    "OUTPUT_VARIABLE",
    "ERROR_VARIABLE",
    "INPUT_FILE",
    "OUTPUT_FILE",
    "ERROR_FILE",
    "OUTPUT_QUIET",
    "ERROR_QUIET",
    "COMMAND_ECHO",
    "OUTPUT_STRIP_TRAILING_WHITESPACE",
    "ERROR_STRIP_TRAILING_WHITESPACE",
    "ENCODING",
    "ECHO_OUTPUT_VARIABLE",
    "ECHO_ERROR_VARIABLE",
    "COMMAND_ERROR_IS_FATAL",
];

/// The commands of a CMake script: each `COMMAND` list of `execute_process(...)`, and
/// `file(REMOVE_RECURSE …)` as `rm -r …`. Arguments split on whitespace; `"…"` quoting kept.
/// Used for scripts on stdin (`cmake -P -`) and for script files a command runs.
pub(super) fn cmake_script(text: &str) -> Vec<Inner> {
    let mut out = Vec::new();
    let lower = text.to_ascii_lowercase();
    for (call, at) in ["execute_process(", "file("]
        .iter()
        .flat_map(|c| lower.match_indices(c).map(move |(at, _)| (*c, at)))
    {
        let body = &text[at + call.len()..];
        let body = &body[..body.find(')').unwrap_or(body.len())];
        let tokens = cmake_tokens(body);
        if call == "file(" {
            if tokens.first().map(String::as_str) == Some("REMOVE_RECURSE") {
                let mut v = vec!["rm".to_string(), "-r".to_string()];
                v.extend(tokens.into_iter().skip(1));
                out.extend(argv(&v));
            }
            continue;
        }
        let mut current: Option<Vec<String>> = None;
        for t in tokens {
            if CMAKE_KEYWORDS.contains(&t.as_str()) {
                out.extend(current.take().map(|v| argv(&v)).unwrap_or_default());
                if t == "COMMAND" {
                    current = Some(Vec::new());
                }
            } else if let Some(v) = current.as_mut() {
                v.push(t);
            }
        }
        out.extend(current.map(|v| argv(&v)).unwrap_or_default());
        if out.len() >= 16 {
            break;
        }
    }
    out
}

/// CMake argument words: whitespace separates, a `"…"` argument keeps its spaces.
fn cmake_tokens(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in body.chars() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    // `$ENV{HOME}` is the caller's home.
    for w in &mut out {
        if w.contains("$ENV{HOME}") {
            *w = w.replace("$ENV{HOME}", "~");
        }
    }
    out
}

/// `ansible HOSTS -m shell -a 'cmd'`: the `shell`, `command`, `raw` and `script` modules (and
/// no `-m`, which means `command`) run the `-a` text as a command on every host.
fn unwrap_ansible(args: &[String]) -> Vec<Inner> {
    let module = option_values(args, &["-m"], &["module-name"])
        .last()
        .map_or("command", |m| m.rsplit('.').next().unwrap_or(m));
    if !matches!(module, "shell" | "command" | "raw" | "script" | "win_shell") {
        return Vec::new();
    }
    option_values(args, &["-a"], &["args"])
        .into_iter()
        .filter_map(hook_script)
        .collect()
}

/// `salt TARGET cmd.run 'cmd'` (and `cmd.run_all`, `cmd.shell`, `cmd.script`): the text
/// after the function runs as a shell command on every minion.
fn unwrap_salt(args: &[String]) -> Vec<Inner> {
    let Some(at) = args.iter().position(|a| {
        matches!(
            a.as_str(),
            "cmd.run" | "cmd.run_all" | "cmd.run_stdout" | "cmd.shell" | "cmd.exec_code"
        )
    }) else {
        return Vec::new();
    };
    joined_script(
        &args[at + 1..]
            .iter()
            .filter(|a| !a.contains('=') || a.contains(' '))
            .cloned()
            .collect::<Vec<_>>(),
    )
}

/// `pdsh -w HOSTS cmd…`, `clush -w HOSTS cmd…`, `pssh -h FILE cmd…`: the words after the
/// options are one command line run by a shell on every host.
fn unwrap_fan_out(args: &[String]) -> Vec<Inner> {
    let i = skip_opts(
        args,
        &Opts::new(
            "wxgXhHlRtufpoOe",
            &["hosts", "host", "user", "outdir", "errdir"],
        ),
    );
    joined_script(&args[i..])
}

/// The first operand after options is the awk program, which can start commands
/// (`system()`, pipes). With `-f` the program is in a file we cannot see.
fn unwrap_awk(args: &[String]) -> Vec<Inner> {
    if args.iter().any(|a| a == "-f" || a.starts_with("--file")) {
        return Vec::new();
    }
    let i = skip_opts(args, &Opts::new("vFf", &["assign", "field-separator"]));
    args.get(i)
        .map(|prog| code::scan("awk", prog))
        .unwrap_or_default()
}

/// `ssh host cmd…`: the remote side runs the words as a shell command.
fn unwrap_ssh(args: &[String]) -> Vec<Inner> {
    let i = skip_opts(args, &Opts::new("BbcDEeFIiJLlmOopQRSWw", &[]));
    joined_script(args.get(i + 1..).unwrap_or(&[]))
}

/// `env [-u NAME] [NAME=value…] cmd…` runs `cmd` with the assignments; `env -S 'str'` splits
/// `str` like a shell would, so it is handed back as a script.
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

/// Each `-exec`/`-execdir`/`-ok` clause of `find` runs a command, with `{}` standing for
/// found paths: the first search root stands in for them, and with `-name PATTERN` (or
/// `-iname`) the command is checked a second time with `ROOT/**/PATTERN`, so
/// `find / -name 'id_rsa*' -exec curl -F x=@{} …` shows which files it uploads.
fn unwrap_find(args: &[String]) -> Vec<Inner> {
    let root = args
        .iter()
        .take_while(|a| !a.starts_with('-') && *a != "(" && *a != "!")
        .find(|a| !a.is_empty())
        .cloned()
        .unwrap_or_else(|| ".".to_string());
    let named = find_name_test(args)
        .filter(|n| n.chars().any(|c| c != '*'))
        .map(|n| format!("{}/**/{n}", root.trim_end_matches('/')));
    let mut out = Vec::new();
    let mut i = 0;
    while i < args.len() {
        if matches!(args[i].as_str(), "-exec" | "-execdir" | "-ok" | "-okdir") {
            let start = i + 1;
            let mut end = start;
            while end < args.len() && args[end] != ";" && args[end] != "+" {
                end += 1;
            }
            let clause = &args[start..end];
            let v: Vec<String> = clause.iter().map(|a| a.replace("{}", &root)).collect();
            out.extend(argv(&v));
            if clause.iter().any(|a| a.contains("{}")) {
                // Each file found: below a name test's pattern, or anything below the root.
                let every = format!("{}/**", root.trim_end_matches('/'));
                let found = named.as_deref().unwrap_or(&every);
                let v: Vec<String> = clause.iter().map(|a| a.replace("{}", found)).collect();
                out.extend(argv(&v));
            }
            i = end;
        }
        i += 1;
    }
    out
}

/// `fd … -x CMD` / `--exec CMD` (once per file) and `-X`/`--exec-batch CMD` (once for all):
/// CMD with each found path in place of `{}` (or after it, as fd appends it), the paths being
/// what the options before the exec list (`fd -t f . ~ -x rm -f` removes `~/**`).
fn unwrap_fd(args: &[String], cmd: &SimpleCommand) -> Vec<Inner> {
    let Some(at) = args
        .iter()
        .position(|a| matches!(a.as_str(), "-x" | "--exec" | "-X" | "--exec-batch"))
    else {
        return Vec::new();
    };
    let clause: Vec<&String> = args[at + 1..].iter().take_while(|a| *a != ";").collect();
    if clause.is_empty() {
        return Vec::new();
    }
    let lister = SimpleCommand {
        argv: std::iter::once("fd".to_string())
            .chain(args[..at].iter().cloned())
            .collect(),
        cwd: cmd.cwd.clone(),
        ..SimpleCommand::default()
    };
    super::command::listed_entries(&lister)
        .into_iter()
        .flat_map(|found| {
            let mut v: Vec<String> = clause.iter().map(|a| a.replace("{}", &found)).collect();
            if !clause.iter().any(|a| a.contains("{}")) {
                v.push(found);
            }
            argv(&v)
        })
        .collect()
}

/// `word` quoted for the shell, so that it reads back as one word with the same text.
fn single_quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', "'\\''"))
}

/// `sh -c 'script'` runs the script; `sh` or `sh -s` with no script file reads it from stdin,
/// which the parser may have seen as a here-document or here-string.
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
        // The words after the script are `$0`, `$1`, …: `sh -c 'rm -rf "$1"' _ /etc`.
        return rest
            .first()
            .map(|c| match rest.get(2..).filter(|p| !p.is_empty()) {
                Some(params) => {
                    let quoted: Vec<String> = params.iter().map(|p| single_quote(p)).collect();
                    vec![Inner::Script(format!("set -- {}\n{c}", quoted.join(" ")))]
                }
                None => vec![Inner::Script(c.clone())],
            })
            .unwrap_or_default();
    }
    if rest.is_empty() || stdin {
        if let Some(s) = &cmd.stdin_text {
            return vec![Inner::Script(s.clone())];
        }
    }
    Vec::new()
}

/// Inline code of an interpreter (`python -c`, `perl -e`, `node -e`, `php -r`, or code on
/// stdin), scanned for the commands it starts. A script file or `python -m` is not visible.
fn unwrap_interpreter(lang: &str, args: &[String], cmd: &SimpleCommand) -> Vec<Inner> {
    let code_flags: &[&str] = match lang {
        "python" => &["c"],
        "perl" | "ruby" => &["e", "E"],
        "node" => &["e", "p"],
        "php" => &["r"],
        "lua" => &["e"],
        _ => &[],
    };
    // Options whose value is attached to (or follows) the letter.
    let value_letters: &[char] = match lang {
        "perl" => &['M', 'm', 'I', 'x', 'd', 'D', 'i'],
        "ruby" => &['r', 'I', 'C', 'E', 'F', 'K', 'x', 'i'],
        "python" => &['W', 'X'],
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
            // An option that takes the rest of its bundle as a value (`-MFile::Path=rm`,
            // `-rfileutils`, `-i.bak`) ends the bundle: an `e` in its value is no code flag.
            let valued = body
                .char_indices()
                .find(|(_, c)| {
                    value_letters.contains(c) || code_flags.iter().any(|f| f.starts_with(*c))
                })
                .filter(|(_, c)| value_letters.contains(c));
            if let Some((pos, _)) = valued {
                let needs_next = body.len() == pos + 1 && &body[pos..] != "i";
                i += if needs_next { 2 } else { 1 };
                continue;
            }
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
        // The code itself too, as a one-liner, so the rules that read inline code (sockets,
        // dup2) see code that arrived on stdin.
        Some(s) => {
            let mut out = code::scan(lang, s);
            out.push(code::one_liner(lang, s.clone()));
            out
        }
        None => Vec::new(),
    }
}
