//! Pure predicates that decide whether a regex candidate is a real secret: entropy, placeholder,
//! code and path detection, and the encoded-blob allow-list.

/// How a rule's candidate value is validated after its regex matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Check {
    /// The pattern alone is precise enough (structured prefixes, markers).
    Any,
    /// A prefixed random token: reject documentation fakes (`EXAMPLE`, runs, low entropy).
    Random,
    /// A free-form value after a key or flag: placeholder filter plus thresholds per kind.
    Value(ValueKind),
    /// A Discord-style token found by its shape alone: its first dot-separated part is the
    /// base64 of a numeric account id (17-20 digits), and the whole passes [`Check::Random`].
    Snowflake,
    /// A base64 value that is a secret when its decoding holds one: the engine decodes it and
    /// scans the text (see `Redactor::encodes_secret`); here only its shape is checked.
    Encoded,
}

/// Thresholds for free-form values, from lenient (URL passwords) to strict (generic secrets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ValueKind {
    /// `password=` style: people choose low-entropy passwords, so only length 6 and entropy 2.
    Password,
    /// `token=`/`secret:`/`api_key:`: must look random (length, entropy, character mix).
    Secret,
    /// Header values and config-file auth fields: length 8, entropy 2.5.
    Header,
    /// Password part of `scheme://user:pass@host` and explicit CLI flags: length 3.
    Loose,
}

/// Shannon entropy of `v` in bits per byte.
pub(super) fn shannon_entropy(v: &[u8]) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    let mut freq = [0u32; 256];
    for &b in v {
        freq[usize::from(b)] += 1;
    }
    let len = v.len() as f64;
    freq.iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / len;
            -p * p.log2()
        })
        .sum()
}

/// Words that stand for a secret in docs, templates and help text rather than being one.
const PLACEHOLDER_WORDS: &[&str] = &[
    "changeme",
    "change_me",
    "change-me",
    "changeit",
    "password",
    "passwd",
    "pass",
    "secret",
    "token",
    "null",
    "nil",
    "none",
    "undefined",
    "true",
    "false",
    "yes",
    "no",
    "on",
    "off",
    "empty",
    "blank",
    "todo",
    "tbd",
    "fixme",
    "example",
    "sample",
    "test",
    "testing",
    "dummy",
    "placeholder",
    "redacted",
    "hidden",
    "masked",
    "default",
    "string",
    "str",
    "int",
    "bool",
    "value",
    "required",
    "optional",
    "api_key",
    "apikey",
    "api-key",
    "bearer",
    "basic",
    "secret_value",
    "notsecret",
    "not-a-secret",
    "prompt",
    "stdin",
    "env",
    "file",
    "keyring",
];

/// Substrings that mark a template or an already-masked value.
const PLACEHOLDER_MARKERS: &[&str] = &[
    "${",
    // Ruby interpolation and Octopus Deploy / Azure Pipelines token substitution (`#{ApiSecret}#`).
    "#{",
    "{{",
    "}}",
    "***",
    "...",
    "\u{2026}",
    "xxxx",
    "example",
    "placeholder",
    "changeme",
    "redacted",
    "your-",
    "your_",
    "insert",
    "replace",
    "dummy",
];

/// True when `v` is a placeholder: empty, a variable reference, a mask, or a template word.
pub(super) fn is_placeholder(v: &[u8]) -> bool {
    let Some(&first) = v.first() else {
        return true;
    };
    if matches!(first, b'$' | b'{' | b'<' | b'[' | b'`') {
        return true;
    }
    if matches!(first, b'@' | b'!') && is_reference_tail(&v[1..]) {
        return true;
    }
    if first == b'%' && is_percent_placeholder(v) {
        return true;
    }
    if v.iter().all(|&b| b == first) {
        return true;
    }
    if is_masked_word(v) || is_store_reference(v) {
        return true;
    }
    if v.iter()
        .all(|&b| matches!(b, b'x' | b'X' | b'*' | b'.' | b'_' | b'-' | b'#' | b'0'))
    {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    if PLACEHOLDER_WORDS
        .iter()
        .any(|w| w.as_bytes() == lower.as_slice())
    {
        return true;
    }
    if PLACEHOLDER_MARKERS
        .iter()
        .any(|m| memchr::memmem::find(&lower, m.as_bytes()).is_some())
    {
        return true;
    }
    // An all-caps identifier names an environment variable (`PASSWORD`, `DB_PASS`, `API_KEY`).
    v.first().is_some_and(u8::is_ascii_uppercase)
        && v.iter().all(|&b| b.is_ascii_uppercase() || b == b'_')
}

/// True when `v` is a word in parentheses, the mask a tool prints in place of a value it will not
/// show (`(protected)` from `npm config list`, `(sensitive value)`, `(hidden)`). A password that
/// merely starts with `(` holds other bytes.
fn is_masked_word(v: &[u8]) -> bool {
    v.len() > 2
        && v.starts_with(b"(")
        && v.ends_with(b")")
        && v[1..v.len() - 1]
            .iter()
            .all(|&b| b.is_ascii_alphabetic() || matches!(b, b' ' | b'-' | b'_'))
}

/// Prefixes of a reference to a value kept in a secret store, which an injector resolves at run
/// time: Bank-Vaults' `vault:secret/data/app#password`, vals' `ref+vault://...`, and the
/// `awssm:` / `azkv:` / `gcpsm:` spellings of the same idea.
const STORE_REFERENCES: &[&[u8]] = &[b"vault:", b"ref+", b"awssm:", b"azkv:", b"gcpsm:"];

/// True when `v` is a secret-store reference (see [`STORE_REFERENCES`]) naming a path: the
/// prefix, then a path with a `/`.
fn is_store_reference(v: &[u8]) -> bool {
    STORE_REFERENCES.iter().any(|p| {
        v.len() > p.len()
            && v[..p.len()].eq_ignore_ascii_case(p)
            && v[p.len()..].contains(&b'/')
            && !v[p.len()..].iter().any(u8::is_ascii_whitespace)
    })
}

/// True when what follows a leading `@` or `!` reads as a name: a YAML tag (`!vault`, `!Ref`),
/// a file or variable reference (`@secrets.txt`, `@/run/pw`, `@@session_var`), a decorator. A
/// password that merely starts with one (`@q7Lm#x2Vt9Rw`, `!Kd8=v#pQ2z`) holds other bytes, or
/// words that switch case like random text (`!Qm4TzeRb81XaKwLp.J`).
fn is_reference_tail(rest: &[u8]) -> bool {
    rest.iter().all(|&b| {
        b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'/' | b'-' | b'@' | b'!' | b':')
    }) && !rest
        .split(|&b| !b.is_ascii_alphanumeric())
        .any(reads_random)
}

/// True when a value starting with `%` is a template rather than a literal: a printf
/// conversion (`%s`, `%-12s`), a Python/Ruby/Sass interpolation (`%(pw)s`, `%{pw}`) or a
/// Windows variable (`%DB_PASS%`). A password that merely starts with `%` is a password.
fn is_percent_placeholder(v: &[u8]) -> bool {
    let rest = &v[1..];
    if rest.first().is_some_and(|&b| b == b'(' || b == b'{') {
        return true;
    }
    if rest.len() >= 2
        && rest.ends_with(b"%")
        && rest[..rest.len() - 1]
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'_')
    {
        return true;
    }
    let spec = rest
        .iter()
        .position(|b| !matches!(b, b'-' | b'+' | b' ' | b'#' | b'.' | b'0'..=b'9'))
        .unwrap_or(rest.len());
    spec + 1 == rest.len() && rest[spec].is_ascii_alphabetic()
}

/// True when `v` reads as source code or a reference rather than a literal value:
/// `config.password`, `os.environ`, `Foo::bar`, `String`.
pub(super) fn looks_like_code(v: &[u8]) -> bool {
    // A path `Foo::bar` joins names; a part that reads as random (`K10f93...::server:2379...`, a
    // k3s/RKE2 join token) is no name.
    if memchr::memmem::find(v, b"::").is_some()
        && !v
            .split(|&b| b == b':')
            .any(|p| p.len() >= 16 && reads_random(p))
    {
        return true;
    }
    // Dotted identifier chain (attribute access or a file name such as `secret.txt`), unless a
    // part reads as random rather than as a name (`NrH4Hw70TQL.M3`, `NbxZmec7.wFYjvh0FN` are
    // passwords).
    let mut parts = v.split(|&b| b == b'.');
    let dotted = v.contains(&b'.')
        && parts.all(|p| {
            p.first()
                .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'_')
                && p.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'_')
                && !reads_random(p)
                && !strands_lower(p)
        });
    if dotted {
        return true;
    }
    // A lone CamelCase type name without digits. Its words hold two or more lower-case letters
    // each (`SetUpIOHandler` has one short word); a generated all-letter password
    // (`KenVYUcHmabLUEZVfAMO`) strands single lower-case letters between capitals.
    v.len() < 24
        && v.first().is_some_and(u8::is_ascii_uppercase)
        && v.iter().all(u8::is_ascii_alphabetic)
        && v.iter().skip(1).any(u8::is_ascii_lowercase)
        && single_lower_runs(v) < 2
}

/// Whether a lower-case letter stands alone between capitals (`_TSbF`): names spell their words
/// with two or more lower-case letters (`getHTTPResponse`, `ApiToken`), random text strands them.
fn strands_lower(part: &[u8]) -> bool {
    part.windows(3).any(|w| {
        w[0].is_ascii_uppercase() && w[1].is_ascii_lowercase() && w[2].is_ascii_uppercase()
    })
}

/// How many lower-case letters stand alone between upper-case ones (`KenVYUcHmab`: one, `c`).
fn single_lower_runs(v: &[u8]) -> usize {
    v.windows(3)
        .filter(|w| {
            w[0].is_ascii_uppercase() && w[1].is_ascii_lowercase() && w[2].is_ascii_uppercase()
        })
        .count()
        + usize::from(
            v.len() >= 2
                && v[v.len() - 2].is_ascii_uppercase()
                && v[v.len() - 1].is_ascii_lowercase(),
        )
}

/// A name switches between lower case, upper case and digits a few times (`apiToken`: 2,
/// `oauth2Token`: 3, `getHTTPResponse2xx`: 4); a random string switches at almost every byte.
const RANDOM_SWITCHES: usize = 5;

/// Whether a name-shaped `part` switches class too often to be a name: many switches overall, or
/// a short part that switches at every third byte or more (`NbxZmec7`: 4 in 8; `oauth2Token`:
/// 3 in 11 and `getHTTPResponse2xx`: 4 in 18 read as names).
fn reads_random(part: &[u8]) -> bool {
    let switches = class_switches(part);
    switches >= RANDOM_SWITCHES || (switches >= 4 && 3 * switches >= part.len())
}

/// How often the letters and digits of `part` switch class (lower, upper, digit); other bytes
/// are skipped.
fn class_switches(part: &[u8]) -> usize {
    let class = |b: u8| {
        if b.is_ascii_lowercase() {
            Some(0u8)
        } else if b.is_ascii_uppercase() {
            Some(1)
        } else if b.is_ascii_digit() {
            Some(2)
        } else {
            None
        }
    };
    let classes: Vec<u8> = part.iter().filter_map(|&b| class(b)).collect();
    classes.windows(2).filter(|w| w[0] != w[1]).count()
}

/// True when `v` is the name of a function called right after it (`lookup_token(line)?`,
/// `read_token()`, `self.read_secret(path)`): source code shown by a compiler, `git blame` or
/// `grep`, not a literal. `rest` is what follows `v` on its line. A "name" that switches case and
/// digits like random text (`HK8iAsFJk4XpJe(VI7...`) is a generated secret holding a `(`.
pub(super) fn is_call(v: &[u8], rest: &[u8]) -> bool {
    rest.first() == Some(&b'(')
        && v.first()
            .is_some_and(|&b| b.is_ascii_alphabetic() || b == b'_')
        && v.iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
        && !v.split(|&b| b == b'.').any(reads_random)
}

/// True when a quoted value opens right after an empty pair of quotes (`PGPASSWORD='' psql -c
/// 'select 1'`): the key's value is the empty string, and what the regex took is the text
/// between that and the next quoted argument. `before` is the segment up to the value.
pub(super) fn follows_empty_quotes(before: &[u8]) -> bool {
    match before {
        [.., a, b] => a == b && matches!(a, b'\'' | b'"'),
        _ => false,
    }
}

/// True when what follows a free-form value is a `<placeholder>` the value runs into
/// (`xnd_production_<your-secret-key>`, `terraform@pve!ci=<token-secret-uuid>`): the value is the
/// fixed head of a template, not a secret. `rest` is what follows the value on its line.
pub(super) fn runs_into_placeholder(rest: &[u8]) -> bool {
    let Some(body) = rest.strip_prefix(b"<") else {
        return false;
    };
    let end = body.iter().take(64).position(|&b| b == b'>');
    end.is_some_and(|n| {
        n > 0
            && body[0].is_ascii_alphabetic()
            && body[..n]
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b' ' | b'.'))
    })
}

/// True when `v` is a path or a URL, which a secret-named key often holds (`TOKEN_FILE=/run/..`).
/// Base64 of random bytes that happens to start with `/` (a Tencent or AWS secret key) is none.
pub(super) fn looks_like_path_or_url(v: &[u8]) -> bool {
    (v.starts_with(b"/") && !is_random_base64(v))
        || is_named_path(v)
        || v.starts_with(b"./")
        || v.starts_with(b"../")
        || v.starts_with(b"~/")
        || (v.len() > 2 && v[1] == b':' && (v[2] == b'\\' || v[2] == b'/'))
        || memchr::memmem::find(v, b"://").is_some()
}

/// True when `v` is `name:/absolute/path`, how systemd's `LoadCredential=db-password:/etc/...`
/// and bind mounts name a file by an id: a name, a colon, then a path of two or more parts.
fn is_named_path(v: &[u8]) -> bool {
    let Some(colon) = v.iter().position(|&b| b == b':') else {
        return false;
    };
    let (name, path) = (&v[..colon], &v[colon + 1..]);
    !name.is_empty()
        && name
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        && path.starts_with(b"/")
        && !path.starts_with(b"//")
        && path[1..].contains(&b'/')
        && !is_random_base64(path)
}

/// True when `v` is base64 of random bytes rather than a path: only base64 characters, a `+`
/// or `=` padding (which paths seldom hold), and letters and digits that switch class at almost
/// every other byte, as random text does and names do not (`/usr/include/c++/13` switches twice).
fn is_random_base64(v: &[u8]) -> bool {
    v.len() >= 20
        && v.iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
        && (v.contains(&b'+') || v.ends_with(b"="))
        && class_switches(v) >= v.len() / 3
}

/// Longest base64 value an `encoded` check decodes (a credential URL or a small `.env`).
const MAX_ENCODED: usize = 8 * 1024;

/// Decides whether `secret` passes `check`.
pub(super) fn accepts(check: Check, secret: &[u8]) -> bool {
    match check {
        Check::Any => !secret.is_empty(),
        Check::Random => {
            !secret.is_empty()
                && memchr::memmem::find(secret, b"EXAMPLE").is_none()
                && !has_run(secret, 6)
                && shannon_entropy(secret) >= 2.5
        }
        Check::Value(kind) => accepts_value(kind, secret),
        Check::Snowflake => is_snowflake_token(secret) && accepts(Check::Random, secret),
        Check::Encoded => {
            (16..=MAX_ENCODED).contains(&secret.len()) && shannon_entropy(secret) >= 3.0
        }
    }
}

/// True when the first dot-separated part of `token` is the unpadded base64 of a numeric id of
/// 17 to 20 digits, as in every Discord bot token (the bot's user id).
fn is_snowflake_token(token: &[u8]) -> bool {
    use base64::Engine as _;
    let first = token.split(|&b| b == b'.').next().unwrap_or_default();
    base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(first)
        .is_ok_and(|id| {
            (17..=20).contains(&id.len())
                && id.first().is_some_and(|&d| d != b'0')
                && id.iter().all(u8::is_ascii_digit)
        })
}

fn accepts_value(kind: ValueKind, v: &[u8]) -> bool {
    if is_placeholder(v) {
        return false;
    }
    let len = v.len();
    let h = shannon_entropy(v);
    match kind {
        ValueKind::Loose => len >= 3,
        ValueKind::Header => len >= 8 && h >= 2.5,
        ValueKind::Password => {
            len >= 6 && h >= 2.0 && !looks_like_code(v) && !looks_like_path_or_url(v)
        }
        ValueKind::Secret => {
            if len < 8 || looks_like_code(v) || looks_like_path_or_url(v) {
                return false;
            }
            if v.iter().all(u8::is_ascii_digit) {
                return false;
            }
            let has_digit = v.iter().any(u8::is_ascii_digit);
            let has_upper = v.iter().any(u8::is_ascii_uppercase);
            let has_lower = v.iter().any(u8::is_ascii_lowercase);
            let has_symbol = v.iter().any(|b| !b.is_ascii_alphanumeric());
            let mixed = has_digit || has_symbol || (has_upper && has_lower);
            (mixed && len >= 10 && h >= 3.0) || (len >= 20 && h >= 3.5)
        }
    }
}

/// Whether a private-key body holds key material: a run of 16 base64 characters, which every
/// encoded key has (64 to a line) and a placeholder body (`...`, `<paste key here>`) has not.
pub(super) fn holds_key_material(body: &[u8]) -> bool {
    body.split(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')))
        .any(|run| run.len() >= 16)
}

/// True when `v` contains `n` identical bytes in a row.
fn has_run(v: &[u8], n: usize) -> bool {
    let mut run = 0usize;
    let mut prev = None;
    for &b in v {
        if Some(b) == prev {
            run += 1;
        } else {
            run = 1;
            prev = Some(b);
        }
        if run >= n {
            return true;
        }
    }
    false
}

/// Prefixes after which a run of base64 is public or not a credential: data URIs, lockfile
/// integrity hashes, SSH public keys.
const BLOB_PREFIXES: &[&[u8]] = &[
    b"base64,",
    b"sha512-",
    b"sha384-",
    b"sha256-",
    b"sha1-",
    b"ssh-rsa ",
    b"ssh-ed25519 ",
    b"ssh-dss ",
    b"ecdsa-sha2-nistp256 ",
    b"ecdsa-sha2-nistp384 ",
    b"ecdsa-sha2-nistp521 ",
    b"sk-ssh-ed25519@openssh.com ",
];

/// Prefixes of tokens that are public by design: a Mapbox public token (`pk.eyJ...`, made to be
/// shipped in web pages; its secret counterpart starts `sk.`).
const PUBLIC_TOKEN_PREFIXES: &[&[u8]] = &[b"pk.eyJ"];

/// True when the span starting at `start` lies inside an encoded blob that is public or not a
/// credential (see [`BLOB_PREFIXES`]): walk back over base64 characters and look at what precedes.
/// A span that starts a public token (see [`PUBLIC_TOKEN_PREFIXES`]) is public too.
pub(super) fn inside_public_blob(seg: &[u8], start: usize) -> bool {
    let mut p = start.min(seg.len());
    if PUBLIC_TOKEN_PREFIXES
        .iter()
        .any(|pre| seg[p..].starts_with(pre))
    {
        return true;
    }
    loop {
        let head = &seg[..p];
        if BLOB_PREFIXES.iter().any(|pre| head.ends_with(pre)) {
            return true;
        }
        match head.last() {
            Some(&b) if is_b64(b) => p -= 1,
            _ => return false,
        }
    }
}

fn is_b64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'_' | b'-')
}
