//! Small, allocation-light string helpers used to pull names, paths, hosts and ports out of
//! tool messages. All of them work on byte offsets found in an ASCII-lowercased copy of the
//! line, which has the same byte layout as the original.

/// Byte offset of `needle` in `hay`. For the short lines analysed here a first-byte scan
/// beats `str::find`, whose per-call needle preprocessing dominates on 100-byte haystacks.
pub(super) fn find(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let Some(&first) = n.first() else {
        return Some(0);
    };
    let rest = n.get(1..).unwrap_or(&[]);
    let last = h.len().checked_sub(n.len())?;
    let mut i = 0;
    while i <= last {
        i += h.get(i..=last)?.iter().position(|&b| b == first)?;
        // Compare inline: most candidates fail on the next byte, and a memcmp call per
        // candidate costs more than the comparison.
        let tail = h.get(i + 1..i + n.len())?;
        if tail.iter().zip(rest).all(|(a, b)| a == b) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Whether `hay` contains `needle` (see [`find`]).
pub(super) fn has(hay: &str, needle: &str) -> bool {
    find(hay, needle).is_some()
}

/// Whether `hay` contains any of `needles`.
pub(super) fn any(hay: &str, needles: &[&str]) -> bool {
    needles.iter().any(|n| has(hay, n))
}

/// The text of `raw` after the first occurrence of `pat` in `lower`.
pub(super) fn after<'a>(raw: &'a str, lower: &str, pat: &str) -> Option<&'a str> {
    let i = find(lower, pat)?;
    raw.get(i + pat.len()..)
}

/// The text of `raw` before the first occurrence of `pat` in `lower`.
pub(super) fn before<'a>(raw: &'a str, lower: &str, pat: &str) -> Option<&'a str> {
    let i = find(lower, pat)?;
    raw.get(..i)
}

const QUOTES: [(char, char); 7] = [
    ('\'', '\''),
    ('"', '"'),
    ('`', '`'),
    ('‘', '’'),
    ('“', '”'),
    ('«', '»'),
    ('`', '\''),
];

/// The content of the first quoted span in `s` ('x', "x", `x`, ‘x’, “x”, `x').
pub(super) fn quoted(s: &str) -> Option<&str> {
    let (start, open) = s
        .char_indices()
        .find(|(_, c)| QUOTES.iter().any(|(o, _)| o == c))?;
    let body = s.get(start + open.len_utf8()..)?;
    let end = QUOTES
        .iter()
        .filter(|(o, _)| *o == open)
        .filter_map(|(_, close)| body.find(*close))
        .min()?;
    let q = body.get(..end)?;
    (!q.is_empty()).then_some(q)
}

/// The first quoted span after `pat`.
pub(super) fn quoted_after<'a>(raw: &'a str, lower: &str, pat: &str) -> Option<&'a str> {
    quoted(after(raw, lower, pat)?)
}

/// The first whitespace-delimited word of `s`, without surrounding punctuation.
pub(super) fn first_word(s: &str) -> Option<&str> {
    let w = s.split_whitespace().next()?;
    let w = w.trim_matches(|c: char| {
        matches!(c, ':' | ',' | ';' | '.' | '(' | ')' | '[' | ']' | '{' | '}') || is_quote(c)
    });
    (!w.is_empty()).then_some(w)
}

/// The first word after `pat`.
pub(super) fn word_after<'a>(raw: &'a str, lower: &str, pat: &str) -> Option<&'a str> {
    first_word(after(raw, lower, pat)?)
}

pub(super) fn is_quote(c: char) -> bool {
    QUOTES.iter().any(|(o, cl)| *o == c || *cl == c)
}

/// The `: `-separated segment of `raw` just before `pat` ("bash: line 1: cd: /x: No such…"
/// gives "/x"), unquoted.
pub(super) fn segment_before<'a>(raw: &'a str, lower: &str, pat: &str) -> Option<&'a str> {
    let head = before(raw, lower, pat)?;
    let seg = match head.rfind(": ") {
        Some(i) => head.get(i + 2..)?,
        None => head,
    };
    let seg = seg.trim();
    let seg = quoted(seg).unwrap_or(seg);
    (!seg.is_empty()).then_some(seg)
}

/// A port number: ":8080" at the end of a token, "port 8080", "port: 8080", "port=8080".
pub(super) fn find_port(s: &str) -> Option<u16> {
    let lower = s.to_ascii_lowercase();
    for pat in ["port: ", "port=", "port ", ":::"] {
        let mut from = 0;
        while let Some(i) = lower.get(from..).and_then(|t| t.find(pat)) {
            let at = from + i + pat.len();
            if let Some(p) = leading_port(lower.get(at..).unwrap_or("")) {
                return Some(p);
            }
            from = at;
        }
    }
    for token in s.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')')) {
        let token = token.trim_matches(|c: char| is_quote(c) || matches!(c, '/' | ':' | '.' | ','));
        if let Some((_, port)) = token.rsplit_once(':') {
            if let Some(p) = leading_port(port).filter(|_| port.bytes().all(|b| b.is_ascii_digit()))
            {
                return Some(p);
            }
        }
    }
    None
}

fn leading_port(s: &str) -> Option<u16> {
    let digits: &str = s.get(..s.bytes().take_while(u8::is_ascii_digit).count())?;
    if digits.is_empty() || digits.len() > 5 {
        return None;
    }
    digits.parse::<u16>().ok().filter(|p| *p > 0)
}

/// A port named by a command line: a `--port`/`-p`/`:PORT` argument or a bare number.
pub(super) fn command_port(command: &str) -> Option<u16> {
    if let Some(p) = find_port(command) {
        return Some(p);
    }
    let tokens: Vec<&str> = command.split_whitespace().collect();
    for (i, t) in tokens.iter().enumerate() {
        if matches!(*t, "-p" | "--port" | "-P") {
            if let Some(p) = tokens.get(i + 1).and_then(|n| leading_port(n)) {
                return Some(p);
            }
        }
        if let Some(v) = t.strip_prefix("--port=") {
            return leading_port(v);
        }
    }
    // A bare number that is not part of an IP address or version ("8000", "bind(('', 5000))").
    let bytes = command.as_bytes();
    let mut best = None;
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let dotted = (start > 0 && bytes[start - 1] == b'.') || bytes.get(i) == Some(&b'.');
        let word = (start > 0 && bytes[start - 1].is_ascii_alphabetic())
            || bytes.get(i).is_some_and(u8::is_ascii_alphabetic);
        if !dotted && !word && i - start >= 2 {
            if let Some(p) = command
                .get(start..i)
                .and_then(leading_port)
                .filter(|p| *p >= 80)
            {
                best = Some(p);
            }
        }
    }
    best
}

/// The host (and port, if given) of the first URL in `s`.
pub(super) fn url_authority(s: &str) -> Option<&str> {
    let i = s.find("://")?;
    let rest = s.get(i + 3..)?;
    let end = rest
        .find(['/', '?', '#', '\'', '"', ' ', ')'])
        .unwrap_or(rest.len());
    let auth = rest.get(..end)?;
    let auth = auth.rsplit_once('@').map_or(auth, |(_, h)| h);
    (!auth.is_empty()).then_some(auth)
}

/// The host of the first URL in `s`, or of a `user@host` argument.
pub(super) fn command_host(s: &str) -> Option<&str> {
    if let Some(auth) = url_authority(s) {
        return Some(auth.rsplit_once(':').map_or(auth, |(h, _)| h));
    }
    s.split_whitespace()
        .filter(|t| !t.starts_with('-'))
        .find_map(|t| t.split_once('@').map(|(_, h)| h))
        .map(|h| h.split(':').next().unwrap_or(h))
        .filter(|h| !h.is_empty())
}

/// The program a command line runs, skipping `VAR=value`, `sudo`, `env`, `time`, `nice`,
/// `exec`, `command` and `timeout DURATION`.
pub(super) fn program(command: &str) -> Option<&str> {
    let mut tokens = command.split_whitespace().peekable();
    while let Some(t) = tokens.next() {
        let t = t.trim_start_matches('(');
        if t.contains('=') && !t.starts_with('-') && !t.starts_with('/') && !t.starts_with('.') {
            continue;
        }
        match t {
            "sudo" | "env" | "time" | "nice" | "exec" | "command" | "nohup" | "then" | "do" => {
                while tokens.peek().is_some_and(|n| n.starts_with('-')) {
                    tokens.next();
                }
                continue;
            }
            "timeout" => {
                while tokens.peek().is_some_and(|n| n.starts_with('-')) {
                    let flag = tokens.next();
                    if matches!(flag, Some("-s" | "-k" | "--signal" | "--kill-after")) {
                        tokens.next();
                    }
                }
                tokens.next();
                continue;
            }
            _ => return Some(t.trim_end_matches([';', ')'])).filter(|p| !p.is_empty()),
        }
    }
    None
}

/// The last command of a `;`/`&&`/`||`/`|` chain (outside quotes): the one whose exit
/// status the shell reports.
pub(super) fn last_segment(command: &str) -> &str {
    let bytes = command.as_bytes();
    let (mut quote, mut start, mut last) = (None::<u8>, 0usize, command);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'\'' || b == b'"' => quote = Some(b),
            None if b == b';' || b == b'|' || (b == b'&' && bytes.get(i + 1) == Some(&b'&')) => {
                if let Some(seg) = command.get(start..i).filter(|s| !s.trim().is_empty()) {
                    last = seg;
                }
                if bytes.get(i + 1) == Some(&b) {
                    i += 1;
                }
                start = i + 1;
            }
            None => {}
        }
        i += 1;
    }
    match command.get(start..).filter(|s| !s.trim().is_empty()) {
        Some(seg) => seg,
        None => last,
    }
}

/// The program that produced the exit status: that of the last command in a chain.
pub(super) fn main_program(command: &str) -> Option<&str> {
    program(last_segment(command))
}

/// The program's base name ("/usr/bin/python3" gives "python3").
pub(super) fn base_name(p: &str) -> &str {
    p.rsplit('/').next().unwrap_or(p)
}

/// Whether the command line is wrapped in coreutils `timeout`.
pub(super) fn uses_timeout(command: &str) -> bool {
    command
        .split_whitespace()
        .find(|t| (t.starts_with('-') || !t.contains('=')) && *t != "sudo" && *t != "env")
        .is_some_and(|t| base_name(t) == "timeout")
}

/// Optimal string alignment distance (edits incl. adjacent swaps), for short names only.
pub(super) fn osa_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().take(32).collect();
    let b: Vec<char> = b.chars().take(32).collect();
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    if let Some(first) = d.first_mut() {
        for (j, cell) in first.iter_mut().enumerate() {
            *cell = j;
        }
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[n][m]
}

/// The directory part of a path ("logs/app.log" gives "logs"), if it has one.
pub(super) fn parent_dir(path: &str) -> Option<&str> {
    let (dir, _) = path.trim_end_matches('/').rsplit_once('/')?;
    (!dir.is_empty()).then_some(dir)
}

/// Quotes `s` for a POSIX shell when it contains anything but safe characters.
pub(super) fn shell_quote(s: &str) -> String {
    let safe = !s.is_empty()
        && s.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '/' | '.' | '_' | '-' | '+' | ':' | '@' | '=' | ',')
        });
    if safe {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// The leading number of `s` (after optional spaces).
pub(super) fn leading_number(s: &str) -> Option<u64> {
    let s = s.trim_start();
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    s.get(..n)?.parse().ok()
}

/// The number just before `pat` ("3 failed" with pat " failed" gives 3).
pub(super) fn number_before(lower: &str, pat: &str) -> Option<u64> {
    let head = lower.get(..lower.find(pat)?)?;
    let digits = head.bytes().rev().take_while(u8::is_ascii_digit).count();
    head.get(head.len() - digits..)?.parse().ok()
}

/// Whether the command line itself sends signal `sig` with `kill`, `pkill` or `killall`
/// (`kill -SEGV $$`, `kill -s ABRT 42`, `kill -11 …`, `--signal=SIGTERM`): then a process
/// that ended on that signal was killed from outside, whatever the signal usually means.
pub(super) fn sends_signal(command: &str, sig: i32, name: &str) -> bool {
    let short = name.strip_prefix("SIG").unwrap_or(name);
    let names = |w: &str| {
        let w = w.trim_start_matches('-');
        let w = w.strip_prefix("signal=").unwrap_or(w);
        w.eq_ignore_ascii_case(short)
            || w.eq_ignore_ascii_case(name)
            || w.parse::<i32>().is_ok_and(|n| n == sig)
    };
    let words: Vec<&str> = command
        .split(|c: char| c.is_whitespace() || matches!(c, ';' | '&' | '|' | '(' | ')'))
        .filter(|w| !w.is_empty())
        .collect();
    words.iter().enumerate().any(|(i, w)| {
        if !matches!(base_name(w), "kill" | "pkill" | "killall") {
            return false;
        }
        match words.get(i + 1..i + 3) {
            Some([flag, value]) if matches!(*flag, "-s" | "--signal" | "-n") => names(value),
            _ => words
                .get(i + 1)
                .is_some_and(|f| f.starts_with('-') && names(f)),
        }
    })
}

/// Whether the command line hands `name` to something that runs it as a program: the first
/// element of an argument list (`['ffmpeg', …]`, `execFile("pandoc"`, `spawn('x'`), or the
/// word after `-exec`/`-execdir`/`-ok` of find or after `xargs`. A missing "file" of that
/// name is a missing command.
pub(super) fn runs_as_program(command: &str, name: &str) -> bool {
    if name.is_empty() || name.contains(['/', ' ', '\'', '"']) {
        return false;
    }
    let words: Vec<&str> = command.split_whitespace().collect();
    let after_runner = words
        .windows(2)
        .any(|w| matches!(w[0], "-exec" | "-execdir" | "-ok" | "-okdir" | "xargs") && w[1] == name);
    if after_runner {
        return true;
    }
    const SPAWNERS: [&str; 9] = [
        "execFile",
        "execFileSync",
        "spawn",
        "spawnSync",
        "Popen",
        "run",
        "call",
        "check_call",
        "check_output",
    ];
    for q in ['\'', '"'] {
        let needle = format!("{q}{name}{q}");
        let mut from = 0;
        while let Some(i) = command.get(from..).and_then(|s| s.find(&needle)) {
            let head = command.get(..from + i).unwrap_or("").trim_end();
            // A list literal, not an index (`env['x']`).
            if let Some(h) = head.strip_suffix('[') {
                if !h.ends_with(|c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | ']' | ')'))
                {
                    return true;
                }
            }
            if let Some(call) = head.strip_suffix('(') {
                let ident = call
                    .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .next()
                    .unwrap_or("");
                if SPAWNERS.contains(&ident) {
                    return true;
                }
            }
            from += i + needle.len();
        }
    }
    false
}

/// A signal's conventional name (`SIGKILL` for 9), for messages.
pub(super) fn signal_name(sig: i32) -> &'static str {
    match sig {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        4 => "SIGILL",
        5 => "SIGTRAP",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        10 => "SIGUSR1",
        11 => "SIGSEGV",
        12 => "SIGUSR2",
        13 => "SIGPIPE",
        14 => "SIGALRM",
        15 => "SIGTERM",
        24 => "SIGXCPU",
        25 => "SIGXFSZ",
        _ => "unknown signal",
    }
}
