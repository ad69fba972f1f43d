//! Text hidden in a snippet's literals by an encoding: a command in base64, base85 or hex, in
//! rot13, written backwards, compressed, or spelled as character codes
//! (`[114,109,32,…]`, `string.char(…)`, `sprintf("%c%c", …)`, `[char[]](…)`).
//!
//! Each language has its own decoder calls, and [`super::code`] follows the common ones by
//! name. This pass is the general case for a snippet that runs something (it has a `system`,
//! `exec`, `eval`, `iex`, …): every literal that decodes, with any decoder the snippet
//! mentions, into readable text is handed back, so the caller checks it as a command and as
//! code. The decoders are chosen by the words the snippet uses (`rot13` only where `rot`
//! appears, base85 only where `85` does), so ordinary strings are not read as cipher text.

use base64::Engine as _;

/// Most decoded texts taken from one snippet (a bound on hostile input).
const MAX_TEXTS: usize = 8;
/// Snippets longer than this are not searched (a bound on the work per check).
const MAX_CODE: usize = 64 * 1024;
/// Longest text a decompressed literal may grow to.
const MAX_INFLATED: u64 = 64 * 1024;
/// Shortest literal worth decoding, and shortest run of character codes.
const MIN_LITERAL: usize = 8;
const MIN_CODES: usize = 4;

/// Words that show a snippet runs code or a command line.
const SINKS: &[&str] = &[
    "system",
    "exec",
    "eval",
    "popen",
    "spawn",
    "execute",
    "passthru",
    "shell",
    "proc_open",
    "iex",
    "invoke-expression",
    "load(",
    "loadstring",
    "getline",
    "\"sh\"",
    "'sh'",
    "| sh",
    "|sh",
    "bash",
    "subprocess",
    "child_process",
    "runtime",
];

/// The decoded texts of `code`'s literals, when `code` runs something (see the module docs).
pub(super) fn decoded(code: &str) -> Vec<String> {
    if code.len() > MAX_CODE {
        return Vec::new();
    }
    let lower = code.to_ascii_lowercase();
    if !SINKS.iter().any(|s| lower.contains(s)) {
        return Vec::new();
    }
    let hints = Hints::of(&lower);
    let mut out = Vec::new();
    for lit in literals(code) {
        if out.len() >= MAX_TEXTS {
            break;
        }
        decode_literal(lit, &hints, 0, &mut out);
    }
    if hints.codes {
        for text in code_runs(code) {
            if out.len() >= MAX_TEXTS {
                break;
            }
            push_text(text, &mut out);
        }
    }
    out.truncate(MAX_TEXTS);
    out
}

/// Which decoders a snippet's words call for.
struct Hints {
    hex: bool,
    base85: bool,
    rot13: bool,
    reversed: bool,
    inflate: bool,
    codes: bool,
}

impl Hints {
    fn of(lower: &str) -> Hints {
        let any = |words: &[&str]| words.iter().any(|w| lower.contains(w));
        Hints {
            // `tonumber(h,16)`, `parseInt(x, 16)`, `int(x,16)`: pairs read in base 16.
            hex: any(&[
                "hex",
                "h*",
                "unhexlify",
                "fromhex",
                "pack",
                "x2",
                ",16)",
                ", 16)",
            ]),
            base85: any(&["85"]),
            rot13: any(&["rot13", "rot_13", "rot-13"]),
            reversed: any(&["reverse", "[::-1]", "strrev", "rev("]),
            inflate: any(&["zlib", "gzip", "inflate", "decompress", "gunzip", "zcat"]),
            codes: any(&[
                "chr",
                "char",
                "%c",
                "fromcharcode",
                "pack",
                "[byte[]]",
                "bytes(",
            ]),
        }
    }
}

/// The contents of the quoted literals in `code` (`'…'`, `"…"`, `` `…` ``), escapes kept.
fn literals(code: &str) -> impl Iterator<Item = &str> {
    let b = code.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() {
            let q = b[i];
            if !matches!(q, b'\'' | b'"' | b'`') {
                i += 1;
                continue;
            }
            let start = i + 1;
            let mut j = start;
            while j < b.len() && b[j] != q {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            let end = j.min(b.len());
            i = end + 1;
            if end - start >= MIN_LITERAL {
                return code.get(start..end);
            }
        }
        None
    })
}

/// Tries every decoder the hints allow on one literal; a decoded text that is itself encoded
/// (base64 of base64) is followed once more.
fn decode_literal(lit: &str, hints: &Hints, depth: usize, out: &mut Vec<String>) {
    let unescaped = unescape(lit);
    let lit = unescaped.as_deref().unwrap_or(lit);
    if unescaped.is_some() {
        push_text(lit.to_string(), out);
    }
    let compact: String = lit.chars().filter(|c| !c.is_whitespace()).collect();
    let mut texts: Vec<String> = Vec::new();
    let mut bytes: Vec<Vec<u8>> = Vec::new();
    if let Some(b) = base64_bytes(&compact) {
        bytes.push(b);
    }
    if hints.hex {
        bytes.extend(hex_bytes(&compact));
    }
    if hints.base85 {
        bytes.extend(base85(&compact, B85_ALPHABET));
        bytes.extend(ascii85(&compact));
    }
    if hints.inflate {
        let inflated: Vec<Vec<u8>> = bytes.iter().filter_map(|b| inflate(b)).collect();
        bytes.extend(inflated);
    }
    for b in bytes {
        if let Ok(t) = String::from_utf8(b) {
            texts.push(t);
        }
    }
    if hints.rot13 {
        texts.extend(String::from_utf8(rot13(lit.as_bytes())).ok());
    }
    if hints.reversed {
        let rev: String = lit.chars().rev().collect();
        if let Some(b) = base64_bytes(
            &rev.chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>(),
        ) {
            texts.extend(String::from_utf8(b).ok());
        }
        texts.push(rev);
    }
    for t in texts {
        if depth == 0 && base64_bytes(t.trim()).is_some() {
            decode_literal(t.trim(), hints, depth + 1, out);
        }
        push_text(t, out);
    }
}

/// Keeps `text` when it reads as a command or code: printable, with a space or a slash.
fn push_text(text: String, out: &mut Vec<String>) {
    if out.len() < MAX_TEXTS && readable(&text) && !out.contains(&text) {
        out.push(text);
    }
}

fn readable(text: &str) -> bool {
    let t = text.trim();
    t.len() >= 4
        && t.contains([' ', '/'])
        && t.chars()
            .all(|c| !c.is_control() || c == '\n' || c == '\t' || c == '\r')
}

/// `\x72`, `\u0072`, `\162` and `\n` escapes in a literal, when it has any of the first three.
fn unescape(lit: &str) -> Option<String> {
    if !(lit.contains("\\x") || lit.contains("\\u") || lit.contains("\\0") || lit.contains("\\1")) {
        return None;
    }
    let mut out = String::new();
    let mut chars = lit.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(kind) = chars.next() else { break };
        let (radix, len) = match kind {
            'x' => (16, 2),
            'u' => (16, 4),
            '0'..='7' => (8, 2),
            'n' => {
                out.push('\n');
                continue;
            }
            't' => {
                out.push('\t');
                continue;
            }
            other => {
                out.push(other);
                continue;
            }
        };
        let mut digits = String::new();
        if radix == 8 {
            digits.push(kind);
        }
        while digits.len() < len + usize::from(radix == 8) {
            match chars.peek() {
                Some(d) if d.is_digit(radix) => digits.push(*d),
                _ => break,
            }
            chars.next();
        }
        out.push(
            u32::from_str_radix(&digits, radix)
                .ok()
                .and_then(char::from_u32)?,
        );
    }
    Some(out)
}

pub(super) fn base64_bytes(s: &str) -> Option<Vec<u8>> {
    if s.len() < MIN_LITERAL
        || !s
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'=' | b'-' | b'_'))
    {
        return None;
    }
    // One alphabet and one padding rule, read off the text itself.
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    let url = s.contains(['-', '_']);
    let padded = s.ends_with('=');
    match (url, padded) {
        (false, true) => STANDARD.decode(s),
        (false, false) => STANDARD_NO_PAD.decode(s),
        (true, true) => URL_SAFE.decode(s),
        (true, false) => URL_SAFE_NO_PAD.decode(s),
    }
    .ok()
}

fn hex_bytes(s: &str) -> Option<Vec<u8>> {
    let s = s.strip_prefix("0x").unwrap_or(s);
    (s.len() >= MIN_LITERAL && s.len().is_multiple_of(2))
        .then(|| hex::decode(s).ok())
        .flatten()
}

/// The base85 alphabet of RFC 1924, git and python's `b85encode`.
const B85_ALPHABET: &[u8] =
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~";

/// Base85 with `alphabet`; a short last group is padded with the alphabet's last character.
fn base85(s: &str, alphabet: &[u8]) -> Option<Vec<u8>> {
    let digits: Vec<u32> = s
        .bytes()
        .map(|c| alphabet.iter().position(|&a| a == c).map(|p| p as u32))
        .collect::<Option<_>>()?;
    groups85(&digits, 84)
}

/// Ascii85 (Adobe, python's `a85encode`): `!`..`u`, `z` for four zero bytes, `<~ ~>` optional.
fn ascii85(s: &str) -> Option<Vec<u8>> {
    let s = s.strip_prefix("<~").unwrap_or(s);
    let s = s.strip_suffix("~>").unwrap_or(s);
    let mut digits = Vec::new();
    let mut out = Vec::new();
    for c in s.bytes() {
        match c {
            b'z' if digits.is_empty() => out.extend_from_slice(&[0; 4]),
            b'!'..=b'u' => digits.push(u32::from(c - b'!')),
            _ => return None,
        }
    }
    out.extend(groups85(&digits, 84)?);
    Some(out)
}

fn groups85(digits: &[u32], pad: u32) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    for chunk in digits.chunks(5) {
        let mut group = [pad; 5];
        group[..chunk.len()].copy_from_slice(chunk);
        let mut value: u64 = 0;
        for d in group {
            value = value * 85 + u64::from(d);
        }
        let value = u32::try_from(value).ok()?;
        let bytes = value.to_be_bytes();
        let keep = if chunk.len() == 5 {
            4
        } else {
            chunk.len().checked_sub(1)?
        };
        out.extend_from_slice(&bytes[..keep]);
    }
    Some(out)
}

/// A zlib or gzip stream, inflated (bounded).
fn inflate(b: &[u8]) -> Option<Vec<u8>> {
    use std::io::Read as _;
    let mut out = Vec::new();
    let read = match b {
        [0x1f, 0x8b, ..] => flate2::read::GzDecoder::new(b)
            .take(MAX_INFLATED)
            .read_to_end(&mut out),
        [0x78, ..] => flate2::read::ZlibDecoder::new(b)
            .take(MAX_INFLATED)
            .read_to_end(&mut out),
        _ => flate2::read::DeflateDecoder::new(b)
            .take(MAX_INFLATED)
            .read_to_end(&mut out),
    };
    read.ok().filter(|&n| n > 0).map(|_| out)
}

/// rot13 of ASCII letters; every other byte is kept (rot13 is its own inverse).
pub(super) fn rot13(text: &[u8]) -> Vec<u8> {
    text.iter()
        .map(|&c| match c {
            b'a'..=b'z' => b'a' + (c - b'a' + 13) % 26,
            b'A'..=b'Z' => b'A' + (c - b'A' + 13) % 26,
            _ => c,
        })
        .collect()
}

/// Runs of at least [`MIN_CODES`] printable character codes separated by commas (decimal or
/// `0x` hex): `[114,109,32,45]`, `string.char(114, 109)`, `sprintf("%c%c", 114, 109)`.
fn code_runs(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut run = String::new();
    let mut count = 0;
    let flush = |run: &mut String, count: &mut usize, out: &mut Vec<String>| {
        if *count >= MIN_CODES {
            out.push(std::mem::take(run));
        }
        run.clear();
        *count = 0;
    };
    let mut rest = code;
    while !rest.is_empty() && out.len() < MAX_TEXTS {
        let start = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        // Anything but a comma (and spaces) between two numbers ends a run.
        if !rest[..start]
            .trim()
            .trim_start_matches(',')
            .trim()
            .is_empty()
            || !rest[..start].contains(',') && count > 0
        {
            flush(&mut run, &mut count, &mut out);
        }
        rest = &rest[start..];
        let len = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        let number = &rest[..len];
        rest = &rest[len..];
        let value = match number
            .strip_prefix("0x")
            .or_else(|| number.strip_prefix("0X"))
        {
            Some(h) => u32::from_str_radix(h, 16).ok(),
            None => number.parse::<u32>().ok(),
        };
        match value.and_then(char::from_u32) {
            Some(c) if c == '\n' || c == '\t' || (' '..='~').contains(&c) => {
                run.push(c);
                count += 1;
            }
            _ => flush(&mut run, &mut count, &mut out),
        }
    }
    flush(&mut run, &mut count, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(code: &str, want: &str) -> bool {
        decoded(code).iter().any(|t| t.contains(want))
    }

    #[test]
    fn encoded_commands_behind_a_sink_are_decoded() {
        for (code, want) in [
            // base64, base64url, double base64
            (
                "os.system(base64.b64decode('cm0gLXJmIH4=').decode())",
                "rm -rf ~",
            ),
            ("exec(d(d('Y20wZ0xYSm1JQzl6Y25ZPQ==')))", "rm -rf /srv"),
            // python base85 and ascii85
            (
                "subprocess.run(base64.b85decode('a%~_ja%Lbeb8>b'),shell=True)",
                "rm -rf /srv",
            ),
            (
                "os.system(base64.a85decode('EbupNEb6FIF)lF').decode())",
                "rm -rf /srv",
            ),
            // hex in node, rot13 in php, reversed base64
            (
                "execSync(Buffer.from('726d202d7266207e','hex').toString())",
                "rm -rf ~",
            ),
            ("system(str_rot13('ez -es ~'));", "rm -rf ~"),
            (
                "os.system(base64.b64decode('=Yncz9CImJXLg0mc'[::-1]))",
                "rm -rf /srv",
            ),
            // character codes in several spellings
            (
                "os.execute(string.char(114,109,32,45,114,102,32,126))",
                "rm -rf ~",
            ),
            (
                "BEGIN{system(sprintf(\"%c%c%c%c\",114,109,32,126))}",
                "rm ~",
            ),
            ("iex (-join [char[]](114, 109, 32, 45, 114, 102))", "rm -rf"),
            // escapes
            ("system(\"\\x72\\x6d\\x20\\x2d\\x72\\x66\")", "rm -rf"),
        ] {
            assert!(has(code, want), "{code}: {:?}", decoded(code));
        }
    }

    #[test]
    fn a_compressed_payload_is_inflated() {
        let code = "exec(zlib.decompress(base64.b64decode('eJzLzC3ILypRyC+2BmK94sriktRcDaWiXAXdojQF/eKiMiVNAOS5C/E=')))";
        assert!(has(code, "import os"), "{:?}", decoded(code));
    }

    #[test]
    fn snippets_that_run_nothing_or_plain_strings_decode_nothing() {
        for code in [
            "print(base64.b64decode('cm0gLXJmIH4='))",
            "import json; json.loads(data)",
            "os.system('make test')",
            "x = [1, 2, 3, 4, 5]; os.system('ls')",
        ] {
            let texts = decoded(code);
            assert!(texts.iter().all(|t| !t.contains("rm")), "{code}: {texts:?}");
        }
        assert!(decoded("print(base64.b64decode('cm0gLXJmIH4='))").is_empty());
    }
}
