//! Inline-code scanning: finds the shell commands and tree deletions visible in python, perl,
//! ruby, node, php and awk snippets (`os.system("...")`, `subprocess.run([...])`,
//! `shutil.rmtree('/')`, `child_process.execSync(...)`, backticks, `qx{..}`).
//!
//! It sees only literal strings; computed strings are invisible, which is why `Subject::Code`
//! also has a language allow-list and size cap in the policy file.

use std::sync::LazyLock;

use regex::Regex;

use super::command::{Inner, DYNAMIC};

/// Most findings taken from one snippet.
const MAX_FINDINGS: usize = 64;

static CALL: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"\b(system|popen[23]?|getoutput|getstatusoutput|check_output|check_call|call|run|Popen|spawn[a-z]*|spawnSync|exec[lv]p?e?|execSync|execFile|execFileSync|exec|eval|instance_eval|shell_exec|passthru|proc_open|capture[23]e?|ProcessBuilder|execute|rmtree|rmSync|rmdirSync|rm|rmdir|rm_rf|rm_r|remove_dir|remove_tree|remove_dir_all)(?:\s*\(|\s+)",
    )
    .ok()
});

/// Calls that open or write a file, whose first literal is the path: what they write is
/// checked as `tee PATH` would be (`open('/dev/sda','wb')` writes the disk).
static WRITE_CALL: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"\b(open|io\.open|fopen|File\.open|File\.write|IO\.write|File\.binwrite|writeFileSync|appendFileSync|createWriteStream|writeFile|appendFile|file_put_contents|sysopen)\s*\(",
    )
    .ok()
});

static QUOTED_EXEC: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?:\bqx|%x)\s*([({\[</|!])").ok());

/// How deep code evaluated by code (`exec(b64decode('…'))` inside that) is followed.
const MAX_EVAL_DEPTH: usize = 3;

/// Commands visible in `code` written in `lang` (a family from
/// [`super::unwrap::interpreter`]: python, perl, ruby, node, php).
pub fn scan(lang: &str, code: &str) -> Vec<Inner> {
    scan_at(lang, code, 0)
}

fn scan_at(lang: &str, code: &str, depth: usize) -> Vec<Inner> {
    let mut out = Vec::new();
    let b = code.as_bytes();
    let spans = if lang == "python" {
        string_spans(b)
    } else {
        Vec::new()
    };
    if let Some(re) = CALL.as_ref() {
        for m in re.captures_iter(code) {
            if out.len() >= MAX_FINDINGS {
                break;
            }
            let (Some(whole), Some(name)) = (m.get(0), m.get(1)) else {
                continue;
            };
            let name = name.as_str();
            // `os.execute("cmd")` runs a shell command in Lua; elsewhere `execute` is SQL.
            if name == "execute" && lang != "lua" {
                continue;
            }
            // Python code that only prints or stores code as text (`print('os.system(..)')`)
            // runs nothing; what `exec`/`eval` of a string runs is read from the call itself.
            if lang == "python" && inside_string(&spans, whole.start()) {
                continue;
            }
            if name.ends_with("eval") || (lang == "python" && name == "exec") {
                // Code that runs code of its own language: what it runs, when it is a literal
                // or a decoded literal, is scanned the same way.
                if depth < MAX_EVAL_DEPTH {
                    if let Some(inner) = evaluated_code(b, whole.end(), lang) {
                        let room = MAX_FINDINGS.saturating_sub(out.len());
                        out.extend(scan_at(lang, &inner, depth + 1).into_iter().take(room));
                        // The code itself, as a one-liner of the same interpreter, so what
                        // the rules read in inline code (sockets, dup2, setuid) is seen too.
                        if out.len() < MAX_FINDINGS {
                            out.push(one_liner(lang, inner));
                        }
                    }
                }
                continue;
            }
            let (strings, list) = literals(b, whole.end(), lang);
            if strings.is_empty() {
                continue;
            }
            out.push(finding(name, strings, list));
        }
    }
    if let Some(re) = WRITE_CALL.as_ref() {
        for m in re.captures_iter(code) {
            if out.len() >= MAX_FINDINGS {
                break;
            }
            let (Some(whole), Some(name)) = (m.get(0), m.get(1)) else {
                continue;
            };
            if lang == "python" && inside_string(&spans, whole.start()) {
                continue;
            }
            if let Some(path) = written_path(name.as_str(), b, whole.end(), lang) {
                out.push(Inner::Argv {
                    argv: vec!["tee".to_string(), path],
                    assigns: Vec::new(),
                });
            }
        }
    }
    if lang == "awk" {
        out.extend(awk_pipes(code));
    }
    // Literals whose command is hidden by an encoding no decoder call above names.
    if depth == 0 {
        for text in super::hidden::decoded(code) {
            if out.len() + 2 > MAX_FINDINGS {
                break;
            }
            // As shell text only when it reads as shell: decoded code is read as code.
            out.push(Inner::Guess(text.clone()));
            out.push(one_liner(lang, text));
        }
    }
    if matches!(lang, "perl" | "ruby" | "php") {
        let mut i = 0;
        while i < b.len() && out.len() < MAX_FINDINGS {
            if b[i] == b'`' {
                let Some(len) = b[i + 1..].iter().position(|&c| c == b'`') else {
                    break;
                };
                out.push(Inner::Script(
                    String::from_utf8_lossy(&b[i + 1..i + 1 + len]).into_owned(),
                ));
                i += len + 2;
            } else {
                i += 1;
            }
        }
        if let Some(re) = QUOTED_EXEC.as_ref() {
            for m in re.captures_iter(code) {
                if out.len() >= MAX_FINDINGS {
                    break;
                }
                let Some(open) = m.get(1) else { continue };
                let close = match open.as_str() {
                    "(" => b')',
                    "{" => b'}',
                    "[" => b']',
                    "<" => b'>',
                    other => other.as_bytes().first().copied().unwrap_or(b'/'),
                };
                let start = open.end();
                if let Some(len) = b[start..].iter().position(|&c| c == close) {
                    out.push(Inner::Script(
                        String::from_utf8_lossy(&b[start..start + len]).into_owned(),
                    ));
                }
            }
        }
    }
    out
}

static AWK_GETLINE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#""([^"]*)"\s*\|\s*getline"#).ok());
static AWK_PRINT_PIPE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"\bprintf?\b[^|;}]*\|\s*"([^"]*)""#).ok());

/// awk's command pipes: `"CMD" | getline` runs CMD and reads its output, `print … | "CMD"`
/// runs CMD fed with what is printed. Output read from one command and printed into a shell
/// is that command piped into the shell (`"curl -s URL" | getline l; print l | "sh"`).
fn awk_pipes(code: &str) -> Vec<Inner> {
    let grab = |re: &LazyLock<Option<Regex>>| -> Vec<String> {
        re.as_ref()
            .map(|re| {
                re.captures_iter(code)
                    .filter_map(|c| c.get(1).map(|m| m.as_str().to_string()))
                    .take(MAX_FINDINGS / 4)
                    .collect()
            })
            .unwrap_or_default()
    };
    let (reads, writes) = (grab(&AWK_GETLINE), grab(&AWK_PRINT_PIPE));
    let mut out: Vec<Inner> = Vec::new();
    for w in &writes {
        let shell = super::command::is_shell(super::command::basename(
            w.split_whitespace().next().unwrap_or(""),
        ));
        if shell && !reads.is_empty() {
            out.extend(reads.iter().map(|r| Inner::Script(format!("{r} | {w}"))));
        }
        out.push(Inner::Script(w.clone()));
    }
    out.extend(reads.into_iter().map(Inner::Script));
    out
}

/// The spans of Python code that are string literals or comments (quotes, triple quotes and
/// backslash escapes followed from the start), in order; an unterminated one runs to the end.
/// Computed once per snippet, so testing many calls stays linear.
fn string_spans(b: &[u8]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let end = match b[i] {
            b'#' => b[i..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(b.len(), |n| i + n + 1),
            b'\'' | b'"' => string_literal(b, i, "python").map_or(b.len(), |(_, end)| end),
            _ => {
                i += 1;
                continue;
            }
        };
        spans.push((i, end));
        i = end;
    }
    spans
}

/// Whether byte `at` lies inside one of `spans` (from [`string_spans`]).
fn inside_string(spans: &[(usize, usize)], at: usize) -> bool {
    let k = spans.partition_point(|&(start, _)| start <= at);
    k > 0 && spans[k - 1].1 > at
}

/// The path a write call at `i` (just after its `(`) writes, when it is a literal and the
/// call writes: `open(p, 'w'|'a'|'x'|'+')`, `fopen`, `File.open` likewise, perl's
/// `open(FH, '>', p)` / `open(FH, ">p")`, and the always-writing calls (`File.write`,
/// `writeFileSync`, `file_put_contents` ...).
fn written_path(name: &str, b: &[u8], i: usize, lang: &str) -> Option<String> {
    let always = !matches!(name, "open" | "io.open" | "fopen" | "File.open" | "sysopen");
    if lang == "perl" && name == "open" {
        // open(my $fh, '>', '/dev/sda') or open(FH, '>/dev/sda')
        let comma = b[i..call_end(b, i)].iter().position(|&c| c == b',')?;
        let (args, _) = literals(b, i + comma + 1, lang);
        return match args.as_slice() {
            [mode, path, ..] if mode.trim().starts_with(['>', '+']) => Some(path.clone()),
            [spec, ..] if spec.trim_start().starts_with(['>', '+']) => Some(
                spec.trim_start()
                    .trim_start_matches(['>', '+', '&'])
                    .trim()
                    .to_string(),
            ),
            _ => None,
        };
    }
    let (args, _) = literals(b, i, lang);
    let path = args.first()?.clone();
    let writes = always
        || args
            .get(1)
            .is_some_and(|mode| mode.contains(['w', 'a', 'x', '+']) || mode.contains("O_WRONLY"));
    (writes && !path.is_empty() && !path.contains(DYNAMIC)).then_some(path)
}

/// A character written as its code, `chr(114)` (python, perl, ruby's `114.chr`, php) or
/// `String.fromCharCode(114, 109)` (node), at `i`: its text and the index after it.
fn char_codes(b: &[u8], i: usize, lang: &str) -> Option<(String, usize)> {
    let rest = b.get(i..)?;
    let open = match lang {
        "node" => "String.fromCharCode(",
        "lua" => "string.char(",
        _ => "chr(",
    };
    if !rest.starts_with(open.as_bytes())
        || (i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
    {
        return None;
    }
    let start = i + open.len();
    let end = call_end(b, start);
    let inner = std::str::from_utf8(b.get(start..end.checked_sub(1)?)?).ok()?;
    let mut text = String::new();
    for part in inner.split(',') {
        let part = part.trim();
        let code = match part.strip_prefix("0x").or_else(|| part.strip_prefix("0X")) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => part.parse::<u32>().ok()?,
        };
        text.push(char::from_u32(code)?);
    }
    (!text.is_empty()).then_some((text, end))
}

/// `os.path.join('/', d)` (or node's `path.join`, ruby's `File.join`) at `i`: its literal
/// parts joined, a computed part after a literal one standing for every entry (`*`), so
/// `rmtree(os.path.join('/', d))` removes `/*`.
fn joined_path(b: &[u8], i: usize, lang: &str) -> Option<(String, usize)> {
    let rest = b.get(i..)?;
    let open = [
        "os.path.join(",
        "path.join(",
        "File.join(",
        "posixpath.join(",
    ]
    .into_iter()
    .find(|o| rest.starts_with(o.as_bytes()))?;
    let start = i + open.len();
    let end = call_end(b, start);
    let mut parts: Vec<String> = Vec::new();
    let mut k = start;
    while k < end {
        while k < end && (b[k].is_ascii_whitespace() || b[k] == b',') {
            k += 1;
        }
        if k >= end.saturating_sub(1) {
            break;
        }
        match string_literal(b, k, lang) {
            Some((s, after)) => {
                parts.push(String::from_utf8_lossy(&s).into_owned());
                k = after;
            }
            None if parts.is_empty() => return None,
            None => {
                parts.push("*".to_string());
                while k < end && b[k] != b',' {
                    k += 1;
                }
            }
        }
    }
    let mut path = String::new();
    for p in parts {
        if p.starts_with('/') {
            path = p;
        } else {
            if !path.is_empty() && !path.ends_with('/') {
                path.push('/');
            }
            path.push_str(&p);
        }
    }
    (!path.is_empty()).then_some((path, end))
}

fn finding(name: &str, strings: Vec<String>, list: bool) -> Inner {
    let rm_like = matches!(
        name,
        "rmtree"
            | "rmSync"
            | "rmdirSync"
            | "rm"
            | "rmdir"
            | "rm_rf"
            | "rm_r"
            | "remove_dir"
            | "remove_tree"
            | "remove_dir_all"
    );
    if rm_like {
        let mut argv = vec!["rm".to_string(), "-r".to_string()];
        argv.extend(strings);
        return Inner::Argv {
            argv,
            assigns: Vec::new(),
        };
    }
    let exec_family = name.starts_with("exec") && !matches!(name, "exec" | "execSync");
    if exec_family && name != "execFile" && name != "execFileSync" && strings.len() >= 2 {
        // os.execv("/bin/rm", ["rm", "-rf", "/"]): path, then argv[0], then arguments.
        let mut argv = vec![strings[0].clone()];
        argv.extend(strings.into_iter().skip(2));
        return Inner::Argv {
            argv,
            assigns: Vec::new(),
        };
    }
    if list || strings.len() >= 2 {
        return Inner::Argv {
            argv: strings,
            assigns: Vec::new(),
        };
    }
    Inner::Script(strings.into_iter().next().unwrap_or_default())
}

/// Reads comma-separated string literals (flattening `[..]`/`(..)` lists) starting at `i`.
/// Returns the strings and whether a list bracket was seen.
/// Calls that expand a glob pattern, looked through when they wrap a literal argument.
const GLOB_CALLS: &[&str] = &["Dir.glob(", "Dir[", "glob.glob(", "glob.iglob(", "glob("];

/// Expressions whose value is the home directory, in the languages scanned.
const HOME_EXPRESSIONS: &[&str] = &[
    "ENVIRON[\"HOME\"]",
    "require(\"os\").homedir()",
    "require('os').homedir()",
    "os.homedir()",
    "process.env.HOME",
    "process.env[\"HOME\"]",
    "process.env['HOME']",
    "Deno.env.get(\"HOME\")",
    "pathlib.Path.home()",
    "Path.home()",
    "os.path.expanduser(\"~\")",
    "os.path.expanduser('~')",
    "os.environ[\"HOME\"]",
    "os.environ['HOME']",
    "os.getenv(\"HOME\")",
    "os.getenv('HOME')",
    "Dir.home",
    "ENV[\"HOME\"]",
    "ENV['HOME']",
    "$ENV{HOME}",
    "$ENV{'HOME'}",
    "getenv(\"HOME\")",
    "getenv('HOME')",
    "$_SERVER['HOME']",
    "$_ENV['HOME']",
];

fn literals(b: &[u8], mut i: usize, lang: &str) -> (Vec<String>, bool) {
    let mut out = Vec::new();
    let mut list = false;
    // Java's `exec(new String[]{"bash", "-c", "…"})` (jshell code reads as `node`).
    if lang == "node" {
        let at = b[i.min(b.len())..]
            .iter()
            .position(|c| !c.is_ascii_whitespace())
            .map_or(b.len(), |n| i + n);
        if b[at..].starts_with(b"new String[]") {
            i = at + "new String[]".len();
            while b
                .get(i)
                .is_some_and(|c| c.is_ascii_whitespace() || *c == b'{')
            {
                i += 1;
            }
            list = true;
        }
    }
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'[' || b[i] == b'(') {
            // `["726d…"].pack("H*")`: the bracket belongs to the decoder call.
            if lang == "ruby" && b[i] == b'[' && ruby_packed_literal(b, i).is_some() {
                break;
            }
            if b[i] == b'[' || b[i] == b'(' {
                list = true;
            }
            i += 1;
        }
        // A glob of a literal pattern stands for what it matches (`rm_rf(Dir.glob("/srv/*"))`).
        if let Some(g) = GLOB_CALLS
            .iter()
            .find(|g| b[i.min(b.len())..].starts_with(g.as_bytes()))
        {
            i += g.len();
            list = true;
            continue;
        }
        // The home directory spelled as an expression (`os.homedir()`, `Path.home()`,
        // `process.env.HOME`) stands for `~` when it is the whole argument.
        if let Some(h) = HOME_EXPRESSIONS
            .iter()
            .find(|h| b[i.min(b.len())..].starts_with(h.as_bytes()))
        {
            let mut k = i + h.len();
            while k < b.len() && b[k].is_ascii_whitespace() {
                k += 1;
            }
            if !matches!(b.get(k), Some(b',' | b')' | b']') | None) {
                break;
            }
            out.push("~".to_string());
            i = k;
            while i < b.len() && (b[i] == b']' || b[i] == b')' || b[i].is_ascii_whitespace()) {
                i += 1;
            }
            if b.get(i) == Some(&b',') {
                i += 1;
                continue;
            }
            break;
        }
        // String prefixes: r'', b'', f'', u''.
        let mut j = i;
        while j < b.len()
            && j - i < 2
            && matches!(b[j], b'r' | b'R' | b'b' | b'B' | b'u' | b'U' | b'f' | b'F')
        {
            j += 1;
        }
        let (s, k) = if let Some(found) = decoded_literal(b, i, lang) {
            found
        } else if let Some((text, end)) = char_codes(b, i, lang).or_else(|| joined_path(b, i, lang))
        {
            (text.into_bytes(), end)
        } else {
            let Some(found) = string_literal(b, j, lang) else {
                break;
            };
            found
        };
        let (s, k) = match reversal(b, k, lang) {
            Some(end) => (s.into_iter().rev().collect(), end),
            None => (s, k),
        };
        let mut text = String::from_utf8_lossy(&s).into_owned();
        i = concatenation(b, k, lang, &mut text);
        out.push(text);
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b']' || b[i] == b')') {
            i += 1;
        }
        if b.get(i) == Some(&b',') {
            i += 1;
            continue;
        }
        break;
    }
    (out, list)
}

/// Follows `"rm -rf " + more` after a string literal: another literal is appended, the home
/// directory expression as `~`, and any other value as run-time text ([`DYNAMIC`]), which
/// ends the string (`system("rm -rf " . getenv("HOME"))` runs `rm -rf ~`). Returns where the
/// caller goes on reading.
fn concatenation(b: &[u8], mut i: usize, lang: &str, text: &mut String) -> usize {
    let skip_ws = |mut k: usize| {
        while k < b.len() && b[k].is_ascii_whitespace() {
            k += 1;
        }
        k
    };
    loop {
        let k = skip_ws(i);
        let op = match (b.get(k), b.get(k + 1)) {
            (Some(b'+'), next) if next != Some(&b'=') && lang != "awk" => 1,
            (Some(b'.'), Some(b'.')) if lang == "lua" => 2,
            (Some(b'.'), next) if matches!(lang, "php" | "perl") && next != Some(&b'=') => 1,
            // awk joins strings written side by side (`"rm -rf " ENVIRON["HOME"]`).
            (Some(b'"'), _) if lang == "awk" && k > i => 0,
            (Some(b'E'), _)
                if lang == "awk" && k > i && b[k..].starts_with(b"ENVIRON[\"HOME\"]") =>
            {
                0
            }
            _ => return i,
        };
        let k = skip_ws(k + op);
        if let Some(h) = HOME_EXPRESSIONS
            .iter()
            .find(|h| b[k.min(b.len())..].starts_with(h.as_bytes()))
        {
            text.push('~');
            i = k + h.len();
            continue;
        }
        if let Some((s, end)) = string_literal(b, k, lang) {
            text.push_str(&String::from_utf8_lossy(&s));
            i = end;
            continue;
        }
        if let Some((s, end)) = char_codes(b, k, lang) {
            text.push_str(&s);
            i = end;
            continue;
        }
        text.push_str(DYNAMIC);
        return k;
    }
}

/// The string literal whose opening quote is at `j`: its unescaped bytes and the index after
/// its closing quote.
fn string_literal(b: &[u8], j: usize, lang: &str) -> Option<(Vec<u8>, usize)> {
    if let Some(found) = quote_operator(b, j, lang) {
        return Some(found);
    }
    let &q = b.get(j)?;
    let is_quote = q == b'\'' || q == b'"' || (q == b'`' && lang == "node");
    if !is_quote {
        return None;
    }
    let triple = b.get(j..j + 3).is_some_and(|t| t == [q, q, q]);
    let mut k = if triple { j + 3 } else { j + 1 };
    let mut s = Vec::new();
    while k < b.len() {
        let c = b[k];
        if c == b'\\' && k + 1 < b.len() {
            s.push(match b[k + 1] {
                b'n' => b'\n',
                b't' => b'\t',
                other => other,
            });
            k += 2;
            continue;
        }
        if c == q && (!triple || b.get(k..k + 3).is_some_and(|t| t == [q, q, q])) {
            if lang == "ruby" && q == b'"' {
                s = ruby_interpolated(&s);
            }
            if matches!(lang, "perl" | "php") && q == b'"' {
                s = env_interpolated(&s);
            }
            return Some((s, k + if triple { 3 } else { 1 }));
        }
        s.push(c);
        k += 1;
    }
    None
}

/// A reversal written after a literal that ends at `k`: python's `[::-1]`, ruby's
/// `.reverse`, node's `.split("").reverse().join("")`. The index after it.
fn reversal(b: &[u8], k: usize, lang: &str) -> Option<usize> {
    let rest = b.get(k..)?;
    let suffixes: &[&str] = match lang {
        "python" => &["[::-1]"],
        "ruby" => &[".reverse"],
        "node" => &[
            ".split(\"\").reverse().join(\"\")",
            ".split('').reverse().join('')",
        ],
        _ => &[],
    };
    suffixes
        .iter()
        .find(|s| rest.starts_with(s.as_bytes()))
        .map(|s| k + s.len())
}

/// Perl's `q{…}`/`qq{…}` (any bracket or delimiter) and ruby's `%q{…}`/`%Q{…}`/`%{…}` at
/// `j`: the text and the index after the closing delimiter.
fn quote_operator(b: &[u8], j: usize, lang: &str) -> Option<(Vec<u8>, usize)> {
    let rest = b.get(j..)?;
    let prefix = match lang {
        "perl" if rest.starts_with(b"qq") => 2,
        "perl" if rest.starts_with(b"q") => 1,
        "ruby" if rest.starts_with(b"%q") || rest.starts_with(b"%Q") => 2,
        "ruby" if rest.starts_with(b"%{") => 1,
        _ => return None,
    };
    if j > 0 && (b[j - 1].is_ascii_alphanumeric() || b[j - 1] == b'_') {
        return None;
    }
    let &open = b.get(j + prefix)?;
    let close = match open {
        b'{' => b'}',
        b'(' => b')',
        b'[' => b']',
        b'<' => b'>',
        c if c.is_ascii_punctuation() => c,
        _ => return None,
    };
    let mut depth = 0usize;
    let mut s = Vec::new();
    let mut k = j + prefix + 1;
    while k < b.len() {
        let c = b[k];
        if c == b'\\' && k + 1 < b.len() {
            s.push(b[k + 1]);
            k += 2;
            continue;
        }
        if c == close && depth == 0 {
            return Some((s, k + 1));
        }
        if open != close {
            if c == open {
                depth += 1;
            } else if c == close {
                depth -= 1;
            }
        }
        s.push(c);
        k += 1;
    }
    None
}

/// The code an `exec(`/`eval(` call at `i` (just after its opening) runs, when it can be
/// read: a string literal, or a decoder call on a literal anywhere in its argument
/// (`exec(__import__('base64').b64decode('…'))`).
/// A Ruby double-quoted string with its `#{…}` parts filled in: the home directory
/// (`#{Dir.home}`, `#{ENV["HOME"]}`) as `~`, anything else as known only at run time.
fn ruby_interpolated(s: &[u8]) -> Vec<u8> {
    if !s.windows(2).any(|w| w == b"#{") {
        return s.to_vec();
    }
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i..].starts_with(b"#{") {
            if let Some(len) = s[i + 2..].iter().position(|&c| c == b'}') {
                let expr = &s[i + 2..i + 2 + len];
                let home = matches!(
                    expr,
                    b"Dir.home"
                        | b"Dir.home()"
                        | b"ENV[\"HOME\"]"
                        | b"ENV['HOME']"
                        | b"Etc.getpwuid.dir"
                );
                out.extend_from_slice(if home { b"~" } else { DYNAMIC.as_bytes() });
                i += len + 3;
                continue;
            }
        }
        out.push(s[i]);
        i += 1;
    }
    out
}

/// [`env_interpolated`] for text that may be any language's string.
pub(super) fn env_lookups(s: &str) -> String {
    if !s.contains("ENV") && !s.contains("_SERVER") {
        return s.to_string();
    }
    String::from_utf8_lossy(&env_interpolated(s.as_bytes())).into_owned()
}

/// A Perl or PHP double-quoted string with its environment lookups (`$ENV{HOME}`,
/// `$ENV{'X'}`, `$_ENV['X']`, `{$_SERVER["X"]}`) written the way a shell reads them: `${X}`.
fn env_interpolated(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let braced = s[i..].starts_with(b"{$");
        let at = i + usize::from(braced);
        let open = [&b"$ENV{"[..], b"$_ENV[", b"$_SERVER["]
            .into_iter()
            .find(|p| s[at..].starts_with(p));
        if let Some(open) = open {
            let start = at + open.len();
            let close = if open.ends_with(b"{") { b'}' } else { b']' };
            if let Some(len) = s[start..].iter().position(|&c| c == close) {
                let name: Vec<u8> = s[start..start + len]
                    .iter()
                    .copied()
                    .filter(|c| !matches!(c, b'\'' | b'"'))
                    .collect();
                if !name.is_empty() && name.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
                {
                    let mut end = start + len + 1;
                    if braced && s.get(end) == Some(&b'}') {
                        end += 1;
                    }
                    out.extend_from_slice(b"${");
                    out.extend_from_slice(&name);
                    out.push(b'}');
                    i = end;
                    continue;
                }
            }
        }
        out.push(s[i]);
        i += 1;
    }
    out
}

/// Perl's `pack 'H*', '726d…'` with any quoting of the two strings (`q/H*/`, `"H*"`).
fn perl_pack_hex(b: &[u8], i: usize) -> Option<(Vec<u8>, usize)> {
    let rest = b.get(i..)?;
    if !rest.starts_with(b"pack")
        || (i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
    {
        return None;
    }
    let skip = |mut k: usize| {
        while b
            .get(k)
            .is_some_and(|c| c.is_ascii_whitespace() || *c == b'(')
        {
            k += 1;
        }
        k
    };
    let (directive, k) = string_literal(b, skip(i + 4), "perl")?;
    if directive != b"H*" {
        return None;
    }
    let mut k = k;
    while b
        .get(k)
        .is_some_and(|c| c.is_ascii_whitespace() || *c == b',')
    {
        k += 1;
    }
    let (encoded, end) = string_literal(b, k, "perl")?;
    let decoded = hex::decode(&encoded).ok()?;
    std::str::from_utf8(&decoded).ok()?;
    Some((decoded, call_end(b, end)))
}

fn evaluated_code(b: &[u8], i: usize, lang: &str) -> Option<String> {
    let end = call_end(b, i);
    if let Some((code, _)) = (i..end).find_map(|p| decoded_literal(b, p, lang)) {
        return Some(String::from_utf8_lossy(&code).into_owned());
    }
    let start = (i..end).find(|&p| !b[p].is_ascii_whitespace())?;
    string_literal(b, start, lang).map(|(s, _)| String::from_utf8_lossy(&s).into_owned())
}

/// `code` as an inline program of `lang`'s interpreter (`python3 -c code`).
pub(super) fn one_liner(lang: &str, code: String) -> Inner {
    let (program, flag) = match lang {
        "python" => ("python3", "-c"),
        "tcl" => ("tclsh", "-e"),
        "php" => ("php", "-r"),
        "node" => ("node", "-e"),
        other => (other, "-e"),
    };
    Inner::Argv {
        argv: vec![program.to_string(), flag.to_string(), code],
        assigns: Vec::new(),
    }
}

/// Ruby's `['68657820'].pack('H*')` (hex) and `['aGk='].pack('m')` / `'aGk='.unpack1('m')`
/// (base64) at `i`: the decoded text and the index after the call.
fn ruby_packed_literal(b: &[u8], i: usize) -> Option<(Vec<u8>, usize)> {
    use base64::Engine as _;
    let (in_array, start) = match b.get(i)? {
        b'[' => (true, i + 1),
        b'\'' | b'"' => (false, i),
        _ => return None,
    };
    let (encoded, mut k) = string_literal(b, start, "ruby")?;
    if in_array {
        if b.get(k) != Some(&b']') {
            return None;
        }
        k += 1;
    }
    let rest = b.get(k..)?;
    let method = [".pack(", ".unpack1(", ".unpack("]
        .iter()
        .find(|m| rest.starts_with(m.as_bytes()))?;
    k += method.len();
    let (directive, after) = string_literal(b, k, "ruby")?;
    let compact: Vec<u8> = encoded
        .into_iter()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let decoded = match (method.starts_with(".pack"), directive.as_slice()) {
        (true, b"H*") if in_array => hex::decode(&compact).ok()?,
        (true, b"m" | b"m0") if in_array => base64::engine::general_purpose::STANDARD
            .decode(&compact)
            .ok()?,
        (false, b"m" | b"m0") if !in_array => base64::engine::general_purpose::STANDARD
            .decode(&compact)
            .ok()?,
        _ => return None,
    };
    std::str::from_utf8(&decoded).ok()?;
    Some((decoded, call_end(b, after)))
}

/// The index just after the `)` that closes a call whose arguments start at `i` (nested
/// parentheses counted), or the end of the code.
fn call_end(b: &[u8], mut i: usize) -> usize {
    let mut depth = 1usize;
    while i < b.len() && depth > 0 {
        match b[i] {
            b'(' => depth += 1,
            b')' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    i
}

/// Calls that turn a hex literal back into text, per language family.
const HEX_DECODERS: &[(&str, &[&str])] = &[
    (
        "python",
        &["bytes.fromhex(", "binascii.unhexlify(", "unhexlify("],
    ),
    (
        "perl",
        &["pack(\"H*\",", "pack('H*',", "pack \"H*\",", "pack 'H*',"],
    ),
    ("ruby", &[]),
    ("node", &[]),
    ("php", &["hex2bin("]),
];

/// Calls that turn a base64 literal back into text, per language family.
const BASE64_DECODERS: &[(&str, &[&str])] = &[
    (
        "python",
        &[
            "base64.b64decode(",
            "b64decode(",
            "base64.standard_b64decode(",
            "base64.urlsafe_b64decode(",
            "base64.decodebytes(",
        ],
    ),
    ("node", &["Buffer.from(", "atob(", "Buffer(", "new Buffer("]),
    (
        "perl",
        &[
            "decode_base64(",
            "MIME::Base64::decode(",
            "MIME::Base64::decode_base64(",
        ],
    ),
    (
        "ruby",
        &[
            "Base64.decode64(",
            "Base64.strict_decode64(",
            "Base64.urlsafe_decode64(",
        ],
    ),
    ("php", &["base64_decode("]),
];

/// `os.system(base64.b64decode('cm0gLXJmIC8=').decode())` hides its command in base64: a
/// decoder call around a literal at `i` yields the decoded text and the index after the call,
/// so the command is checked like any other literal. Not base64, or not text: `None`.
fn decoded_literal(b: &[u8], i: usize, lang: &str) -> Option<(Vec<u8>, usize)> {
    use base64::Engine as _;
    if lang == "ruby" {
        if let Some(found) = ruby_packed_literal(b, i) {
            return Some(found);
        }
    }
    if lang == "perl" {
        if let Some(found) = perl_pack_hex(b, i) {
            return Some(found);
        }
    }
    let rest = b.get(i..)?;
    // perl's `scalar reverse("…")` spells the text backwards (in list context `reverse`
    // reverses the list, and a one-string list is unchanged).
    if lang == "perl" {
        for name in ["scalar reverse(", "scalar reverse "] {
            if let Some(after) = rest.strip_prefix(name.as_bytes()) {
                let start = i + (rest.len() - after.len());
                let j = (start..b.len()).find(|&p| !b[p].is_ascii_whitespace())?;
                let (text, end) = string_literal(b, j, lang)?;
                let end = if name.ends_with('(') {
                    call_end(b, end)
                } else {
                    end
                };
                return Some((text.into_iter().rev().collect(), end));
            }
        }
    }
    // python's `codecs.decode('…', 'rot13')` (or encode: rot13 is its own inverse).
    if lang == "python" {
        for name in ["codecs.decode(", "codecs.encode("] {
            if rest.starts_with(name.as_bytes()) {
                let (text, end) = string_literal(b, i + name.len(), lang)?;
                let close = call_end(b, end);
                let tail = String::from_utf8_lossy(&b[end..close]).to_ascii_lowercase();
                if !tail.contains("rot") {
                    return None;
                }
                return Some((super::hidden::rot13(&text), close));
            }
        }
    }
    let named = |table: &[(&str, &'static [&'static str])]| {
        table
            .iter()
            .find(|(l, _)| *l == lang)
            .and_then(|(_, names)| names.iter().find(|n| rest.starts_with(n.as_bytes())))
            .map(|n| n.len())
    };
    let (name_len, hex) = match named(BASE64_DECODERS) {
        Some(n) => (n, false),
        None => (named(HEX_DECODERS)?, true),
    };
    let mut j = i + name_len;
    while b.get(j).is_some_and(u8::is_ascii_whitespace) {
        j += 1;
    }
    if matches!(b.get(j), Some(b'b' | b'B')) {
        j += 1;
    }
    let (encoded, mut k) = string_literal(b, j, lang)?;
    let compact: Vec<u8> = encoded
        .into_iter()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let decoded = if hex {
        hex::decode(&compact).ok()?
    } else {
        base64::engine::general_purpose::STANDARD
            .decode(&compact)
            .or_else(|_| base64::engine::general_purpose::URL_SAFE.decode(&compact))
            .ok()?
    };
    std::str::from_utf8(&decoded).ok()?;
    // Skip the rest of the call (`, 'base64')`) and a trailing `.decode()`/`.toString()`.
    k = call_end(b, k);
    for tail in [".decode(", ".toString(", ".force_encoding("] {
        if b.get(k..).is_some_and(|r| r.starts_with(tail.as_bytes())) {
            if let Some(close) = b[k..].iter().position(|&c| c == b')') {
                k += close + 1;
            }
        }
    }
    Some((decoded, k))
}
