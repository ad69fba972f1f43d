//! The built-in rule table: loads `rules.toml` (embedded at build time, parsed on first use)
//! into one [`Spec`] per credential kind — the keywords that must appear for it to be tried, a
//! pattern whose `s*` groups mark the secret, and a validator — and rejects a broken table.
//!
//! The file follows gitleaks' rule shape (`[[rules]]` with `id`, `description`, `regex`,
//! `keywords`, `entropy`, `allowlist`) plus our extensions: `check`, `priority`, `boost`,
//! `class`, `needs`, `after`/`within` (a rule that matches on the lines after an opening line),
//! and `gitleaks` (the gitleaks rule ids a rule stands in for). Regexes may use `{{name}}` to
//! splice a shared piece from `[fragments]`; a keyword may hold `[...]` byte classes, expanded
//! into every literal they spell.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use regex::bytes::Regex;
use serde::Deserialize;

use super::check::{Check, ValueKind};

/// Priority of an exact configured value: known secrets win every overlap.
pub(super) const P_EXACT: u8 = 100;
/// Priority of user rules from config.
pub(super) const P_USER: u8 = 60;
/// Structured, prefixed tokens.
const P_SPECIFIC: u8 = 50;
/// Keyed on a vendor name plus a value shape.
const P_CONTEXT: u8 = 40;
/// URLs, headers, flags.
const P_STRUCT: u8 = 30;
/// Generic `key = value` assignments.
const P_GENERIC: u8 = 10;

/// The rule table, embedded so a binary always carries the table its tests ran against.
const RULES_TOML: &str = include_str!("rules.toml");

/// The id of the multi-line/single-line PEM private-key rule (also used for held blocks).
pub(super) const PRIVATE_KEY_ID: &str = "private-key";
/// Most literals one keyword's `[...]` classes may expand into.
const MAX_KEYWORD_EXPANSION: usize = 2048;
/// Most lines a context rule may look ahead (`within`): enough for the 28 private lines of a
/// PuTTY RSA-4096 key.
const MAX_WITHIN: u8 = 32;

/// One built-in rule, ready to compile.
#[derive(Debug)]
pub(super) struct Spec {
    pub id: String,
    pub keywords: Vec<String>,
    /// The regex with every `{{fragment}}` spliced in.
    pub pattern: String,
    pub check: Check,
    pub priority: u8,
    /// Set for the generic `key = value` family, which shares one regex and is told apart by
    /// the key name.
    pub generic: Option<GenericClass>,
    /// A byte the segment must contain for the regex to be worth running (`@` for URL
    /// credentials, whose `://` keyword is common in ordinary logs).
    pub needs: Option<u8>,
    /// Least Shannon entropy (bits per byte) of the secret, on top of `check`.
    pub entropy: Option<f64>,
    pub allowlist: Allowlist,
    /// Set for a context rule: its keywords find the opening line, and its pattern runs on the
    /// lines after it.
    pub after: Option<After>,
    /// Gitleaks rule ids this rule covers besides its own id (read by the parity test).
    #[cfg_attr(not(test), allow(dead_code))]
    pub gitleaks: Vec<String>,
}

/// The opening line of a context rule, whose secret sits on one of the next lines (the value
/// line under `- name: DD_APP_KEY`, the output line under `$ gh auth token`).
#[derive(Debug)]
pub(super) struct After {
    /// The opening line's regex, fragments spliced in. Groups `k`, `k1`.. hold a name: the
    /// first that takes part must name a secret (see [`names_secret`]).
    pub pattern: String,
    /// How many non-blank lines after the opening line the rule's pattern runs on.
    pub within: u8,
}

/// Secrets a rule's regex matches but that are known not to be secrets.
#[derive(Debug, Clone, Default)]
pub(super) struct Allowlist {
    /// A secret matching one of these is dropped.
    pub regexes: Vec<Regex>,
    /// A secret containing one of these (ASCII case-insensitive, stored lower-case) is dropped.
    pub stopwords: Vec<Vec<u8>>,
}

impl Allowlist {
    /// True when `secret` is allowed, i.e. must not be redacted.
    pub fn allows(&self, secret: &[u8]) -> bool {
        if self.regexes.iter().any(|r| r.is_match(secret)) {
            return true;
        }
        if self.stopwords.is_empty() {
            return false;
        }
        let lower = secret.to_ascii_lowercase();
        self.stopwords
            .iter()
            .any(|w| memchr::memmem::find(&lower, w).is_some())
    }
}

/// All built-in rules, loaded on first use.
///
/// # Panics
/// When the embedded table is invalid. `builtin_table_loads` runs this in the test suite, so a
/// broken table fails CI instead of shipping.
pub(super) fn specs() -> &'static [Spec] {
    static TABLE: OnceLock<Vec<Spec>> = OnceLock::new();
    TABLE.get_or_init(|| load_or_panic(RULES_TOML))
}

/// Loads a rule table, panicking with the reason when it is invalid.
pub(super) fn load_or_panic(text: &str) -> Vec<Spec> {
    match load(text) {
        Ok(specs) => specs,
        Err(e) => panic!("the built-in redaction rule table is invalid: {e}"),
    }
}

/// Why a rule table was rejected.
#[derive(Debug, thiserror::Error)]
pub(super) enum TableError {
    #[error("rules.toml does not parse: {0}")]
    Toml(String),
    #[error("rule `{id}`: {reason}")]
    Rule { id: String, reason: String },
}

/// The file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    #[serde(default)]
    fragments: BTreeMap<String, String>,
    rules: Vec<RuleEntry>,
}

/// One `[[rules]]` entry as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleEntry {
    id: String,
    description: String,
    regex: String,
    keywords: Vec<String>,
    priority: Tier,
    /// Added to the tier, to order rules within it.
    #[serde(default)]
    boost: u8,
    check: CheckName,
    #[serde(default)]
    class: Option<GenericClass>,
    #[serde(default)]
    needs: Option<String>,
    #[serde(default)]
    entropy: Option<f64>,
    #[serde(default)]
    allowlist: AllowlistEntry,
    #[serde(default)]
    after: Option<String>,
    #[serde(default)]
    within: Option<u8>,
    #[serde(default)]
    gitleaks: Vec<String>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct AllowlistEntry {
    #[serde(default)]
    regexes: Vec<String>,
    #[serde(default)]
    stopwords: Vec<String>,
}

/// Priority tiers, from the most to the least specific; overlaps are named after the highest.
#[derive(Clone, Copy, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Tier {
    Specific,
    Context,
    Structural,
    Generic,
}

impl Tier {
    fn priority(self) -> u8 {
        match self {
            Tier::Specific => P_SPECIFIC,
            Tier::Context => P_CONTEXT,
            Tier::Structural => P_STRUCT,
            Tier::Generic => P_GENERIC,
        }
    }
}

/// `check` as written: `any`, `random`, or the value kind of a free-form value.
#[derive(Clone, Copy, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum CheckName {
    Any,
    Random,
    Password,
    Secret,
    Header,
    Loose,
    Snowflake,
    Encoded,
}

impl From<CheckName> for Check {
    fn from(c: CheckName) -> Self {
        match c {
            CheckName::Any => Check::Any,
            CheckName::Random => Check::Random,
            CheckName::Password => Check::Value(ValueKind::Password),
            CheckName::Secret => Check::Value(ValueKind::Secret),
            CheckName::Header => Check::Value(ValueKind::Header),
            CheckName::Loose => Check::Value(ValueKind::Loose),
            CheckName::Snowflake => Check::Snowflake,
            CheckName::Encoded => Check::Encoded,
        }
    }
}

/// Parses and checks a rule table: unique well-formed ids, keywords on every rule (classes
/// expanded), known fragments, regexes that parse, one shared regex for the generic family,
/// `within` only on context rules, the private-key rule present.
pub(super) fn load(text: &str) -> Result<Vec<Spec>, TableError> {
    let file: TableFile = toml::from_str(text).map_err(|e| TableError::Toml(e.to_string()))?;
    let mut seen = BTreeSet::new();
    let mut generic_pattern: Option<String> = None;
    let mut specs = Vec::with_capacity(file.rules.len());
    for entry in file.rules {
        let id = entry.id.clone();
        let bad = |reason: String| TableError::Rule {
            id: id.clone(),
            reason,
        };
        if !is_rule_id(&entry.id) {
            return Err(bad("id must be 1-64 characters from a-z 0-9 . _ -".into()));
        }
        if !seen.insert(entry.id.clone()) {
            return Err(bad("duplicate id".into()));
        }
        if entry.description.trim().is_empty() {
            return Err(bad("empty description".into()));
        }
        if entry.keywords.is_empty() || entry.keywords.iter().any(String::is_empty) {
            return Err(bad(
                "needs at least one non-empty keyword for the prefilter".into(),
            ));
        }
        let mut keywords = Vec::with_capacity(entry.keywords.len());
        for kw in &entry.keywords {
            keywords.extend(expand_keyword(kw).map_err(bad)?);
        }
        let pattern = expand(&entry.regex, &file.fragments).map_err(bad)?;
        parse_regex(&pattern).map_err(|e| bad(format!("regex does not parse: {e}")))?;
        let after = match (&entry.after, entry.within) {
            (None, None) => None,
            (None, Some(_)) => return Err(bad("`within` needs `after`".into())),
            (Some(_), _) if entry.class.is_some() => {
                return Err(bad("a `class` rule cannot have `after`".into()));
            }
            (Some(opening), within) => {
                let within = within.unwrap_or(1);
                if !(1..=MAX_WITHIN).contains(&within) {
                    return Err(bad(format!("`within` must be 1 to {MAX_WITHIN} lines")));
                }
                let pattern = expand(opening, &file.fragments).map_err(bad)?;
                parse_regex(&pattern)
                    .map_err(|e| bad(format!("`after` regex does not parse: {e}")))?;
                Some(After { pattern, within })
            }
        };
        if entry.class.is_some() {
            match &generic_pattern {
                Some(p) if *p != pattern => {
                    return Err(bad("every `class` rule must use the same regex".into()));
                }
                Some(_) => {}
                None => generic_pattern = Some(pattern.clone()),
            }
        }
        let needs = match entry.needs.as_deref().map(str::as_bytes) {
            None => None,
            Some(&[b]) if b.is_ascii() => Some(b),
            Some(_) => return Err(bad("`needs` must be one ASCII character".into())),
        };
        if entry.entropy.is_some_and(|h| !(0.0..=8.0).contains(&h)) {
            return Err(bad("`entropy` must be between 0 and 8 bits per byte".into()));
        }
        if entry.gitleaks.iter().any(|g| !is_rule_id(g)) {
            return Err(bad("a `gitleaks` entry is not a rule id".into()));
        }
        let regexes = entry
            .allowlist
            .regexes
            .iter()
            .map(|r| Regex::new(&format!("(?-u){r}")))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| bad(format!("allowlist regex does not compile: {e}")))?;
        let stopwords = entry
            .allowlist
            .stopwords
            .iter()
            .map(|w| w.to_ascii_lowercase().into_bytes())
            .collect();
        specs.push(Spec {
            id: entry.id,
            keywords,
            pattern,
            check: entry.check.into(),
            priority: entry.priority.priority().saturating_add(entry.boost),
            generic: entry.class,
            needs,
            entropy: entry.entropy,
            allowlist: Allowlist { regexes, stopwords },
            after,
            gitleaks: entry.gitleaks,
        });
    }
    if !seen.contains(PRIVATE_KEY_ID) {
        return Err(TableError::Rule {
            id: PRIVATE_KEY_ID.into(),
            reason: "missing: private-key blocks are redacted under this id".into(),
        });
    }
    Ok(specs)
}

fn is_rule_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
        })
}

/// Splices `[fragments]` into a regex: `{{assign}}` becomes the `assign` fragment. A fragment may
/// splice others (`value` uses `fallback`), a few levels deep.
fn expand(regex: &str, fragments: &BTreeMap<String, String>) -> Result<String, String> {
    expand_at(regex, fragments, 0)
}

/// How deep fragments may splice fragments (a cycle stops here).
const MAX_FRAGMENT_DEPTH: usize = 4;

fn expand_at(
    regex: &str,
    fragments: &BTreeMap<String, String>,
    depth: usize,
) -> Result<String, String> {
    if depth > MAX_FRAGMENT_DEPTH {
        return Err("fragments splice each other too deeply (a cycle?)".into());
    }
    let mut out = String::with_capacity(regex.len());
    let mut rest = regex;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let close = after
            .find("}}")
            .ok_or_else(|| "unclosed `{{` in regex".to_string())?;
        let name = &after[..close];
        let fragment = fragments
            .get(name)
            .ok_or_else(|| format!("unknown fragment `{{{{{name}}}}}`"))?;
        out.push_str(&expand_at(fragment, fragments, depth + 1)?);
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Expands a keyword's `[...]` byte classes (`a-z` ranges allowed) into every literal it spells:
/// `[MN][Dj]` is `MD`, `Mj`, `ND`, `Nj`. A keyword without brackets is itself.
fn expand_keyword(kw: &str) -> Result<Vec<String>, String> {
    let mut out = vec![String::new()];
    let mut chars = kw.chars();
    while let Some(c) = chars.next() {
        let choices: Vec<char> = if c == '[' {
            let mut class = Vec::new();
            let mut body = Vec::new();
            let mut closed = false;
            for c in chars.by_ref() {
                if c == ']' {
                    closed = true;
                    break;
                }
                body.push(c);
            }
            if !closed {
                return Err(format!("keyword `{kw}` has an empty or unclosed `[`"));
            }
            let mut i = 0;
            while i < body.len() {
                if i + 2 < body.len() && body[i + 1] == '-' {
                    class.extend(body[i]..=body[i + 2]);
                    i += 3;
                } else {
                    class.push(body[i]);
                    i += 1;
                }
            }
            if class.is_empty() {
                return Err(format!("keyword `{kw}` has an empty or unclosed `[`"));
            }
            class
        } else {
            vec![c]
        };
        out = out
            .iter()
            .flat_map(|prefix| choices.iter().map(move |c| format!("{prefix}{c}")))
            .collect();
        if out.len() > MAX_KEYWORD_EXPANSION {
            return Err(format!(
                "keyword `{kw}` expands to more than {MAX_KEYWORD_EXPANSION} literals"
            ));
        }
    }
    Ok(out)
}

/// Parses a built-in pattern the way the engine compiles it (byte-oriented, `(?-u)`).
fn parse_regex(pattern: &str) -> Result<(), String> {
    regex_syntax::ParserBuilder::new()
        .utf8(false)
        .build()
        .parse(&format!("(?-u){pattern}"))
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Which generic assignment a key name belongs to, checked in declaration order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) enum GenericClass {
    Password,
    AiProvider,
    Secret,
    ApiKey,
    Token,
}

impl GenericClass {
    /// Classes in the order a key is tested against them.
    pub const ORDER: [GenericClass; 5] = [
        GenericClass::Password,
        GenericClass::AiProvider,
        GenericClass::Secret,
        GenericClass::ApiKey,
        GenericClass::Token,
    ];

    /// Whether a key, lower-cased with `_`, `-` and `.` removed, belongs to this class.
    pub fn matches(self, squashed: &[u8]) -> bool {
        let has = |w: &str| memchr::memmem::find(squashed, w.as_bytes()).is_some();
        match self {
            GenericClass::Password => {
                ["password", "passwd", "pwd", "passphrase", "pass"]
                    .iter()
                    .any(|w| has(w))
                    // A Wi-Fi pre-shared key (`psk=`, `wpa_psk=`) is a passphrase.
                    || squashed.ends_with(b"psk")
            }
            GenericClass::AiProvider => {
                has("key")
                    && [
                        "cohere",
                        "mistral",
                        "deepseek",
                        "together",
                        "fireworks",
                        "voyage",
                        "gemini",
                        "openai",
                        "anthropic",
                        "groq",
                    ]
                    .iter()
                    .any(|w| has(w))
            }
            GenericClass::Secret => [
                "secret",
                "privatekey",
                "signingkey",
                "encryptionkey",
                "masterkey",
                "credential",
                // PAM and SSSD's `ldap_default_authtok`, `auth_tok`: an authentication token.
                "authtok",
                // WireGuard's `PresharedKey`, IKE's `pre_shared_key`.
                "presharedkey",
            ]
            .iter()
            .any(|w| has(w)),
            GenericClass::ApiKey => [
                "apikey",
                "accesskey",
                "appkey",
                "authkey",
                "clientkey",
                "licensekey",
                "subscriptionkey",
                "consumerkey",
                "adminkey",
                // Backblaze B2 `applicationKey`, Azure `AZURE_STORAGE_KEY` / `accountKey`.
                "applicationkey",
                "storagekey",
                "accountkey",
                // Keys named for what they let a holder do: Segment's `write_key`, an ingest
                // key, Firebase's `server_key`, a deploy key.
                "writekey",
                "ingestkey",
                "serverkey",
                "deploykey",
            ]
            .iter()
            .any(|w| has(w)),
            // An LND macaroon is a bearer credential (`LND_MACAROON_HEX=...`).
            GenericClass::Token => has("token") || has("macaroon"),
        }
    }
}

/// Parts of a generic key name that mean the value is metadata about a secret, not the secret
/// (`PASSWORD_FILE`, `token_type`, `max_tokens`, `api_key_id`).
const KEY_DENY_PARTS: &[&str] = &[
    "file",
    "path",
    "dir",
    "url",
    "uri",
    "endpoint",
    "name",
    "type",
    "length",
    "len",
    "min",
    "max",
    "count",
    "size",
    "limit",
    "ttl",
    "timeout",
    "expiry",
    "expires",
    "expire",
    "expiration",
    "id",
    "ids",
    "policy",
    "reset",
    "hash",
    "hashed",
    // A hash function's name says the value is a stored hash (qBittorrent's
    // `Password_PBKDF2`, `ADMIN_PASSWORD_BCRYPT`), not the password.
    "pbkdf2",
    "bcrypt",
    "scrypt",
    "argon2",
    "argon2id",
    "sha1",
    "sha256",
    "sha512",
    "md5",
    "salt",
    "prompt",
    "field",
    "label",
    "hint",
    "format",
    "strength",
    "rotation",
    "age",
    "attempts",
    "history",
    "header",
    "env",
    "var",
    "ref",
    "kind",
    "mode",
    "enabled",
    "required",
    "changed",
    "manager",
    "helper",
    "store",
    "provider",
    // Helm's `existingSecret`: the name of a Secret that holds the value.
    "existing",
    "version",
    "no",
    "tokens",
    "tokenizer",
    "tokenize",
    "usage",
    "location",
    "arn",
    "source",
    "template",
    "fingerprint",
    "checksum",
    "digest",
    // Published by design: a VAPID, Stripe or Next.js public key (`VAPID_PUBLIC_KEY`,
    // `STRIPE_PUBLISHABLE_KEY`, `NEXT_PUBLIC_MAPS_KEY`).
    "public",
    "publishable",
    // Postfix's lookup tables (`smtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd`); last
    // part only: `MAPS_API_KEY` is a key.
    "map",
    "maps",
];

/// Parts of [`KEY_DENY_PARTS`] that mark metadata only as the last part of a key.
const HEAD_ONLY_PARTS: &[&[u8]] = &[
    b"store",
    b"manager",
    b"helper",
    b"provider",
    b"map",
    b"maps",
];

/// True when a generic key's name marks metadata (see [`KEY_DENY_PARTS`]). Only the last
/// dotted segment counts: it names the value, the rest is the path to it (`process.env.API_TOKEN`
/// is a token, `vault.token.path` a path).
pub(super) fn key_is_metadata(key: &[u8]) -> bool {
    let key = key.strip_prefix(b"--").unwrap_or(key);
    // `TF_VAR_` only tells Terraform that the variable's name follows (`TF_VAR_db_password`).
    let key = match key.get(..7) {
        Some(head) if head.eq_ignore_ascii_case(b"TF_VAR_") => &key[7..],
        _ => key,
    };
    let last = key
        .rsplit(|&b| b == b'.')
        .find(|p| !p.is_empty())
        .unwrap_or(key);
    let parts = key_parts(last);
    // `adminPasswordKey`, `userPasswordKey`: the key inside a Secret under which the password
    // is kept (Helm charts), not the password.
    if let [.., word, tail] = parts.as_slice() {
        let word = word.to_ascii_lowercase();
        if tail.eq_ignore_ascii_case(b"key") && matches!(word.as_slice(), b"password" | b"passwd") {
            return true;
        }
    }
    let n = parts.len();
    parts.into_iter().enumerate().any(|(i, p)| {
        let lower = p.to_ascii_lowercase();
        // A container word names the key only as its head, the last part: `password_store` is
        // a store, `storePassword` (a Java keystore's) a password.
        if i + 1 < n && HEAD_ONLY_PARTS.contains(&lower.as_slice()) {
            return false;
        }
        KEY_DENY_PARTS
            .iter()
            .any(|d| d.as_bytes() == lower.as_slice())
            || lower.ends_with(b"tokens")
            || lower.starts_with(b"tokeniz")
            || lower.starts_with(b"max")
            || lower.starts_with(b"num")
    })
}

/// Whether a name (an env entry's, an output's, a field's, a label's) says its value is a
/// secret: it falls in a generic class (`DB_PASSWORD`, `DD_APP_KEY`, `gh_token`, `new API key`),
/// or its last part is `key` (`STRIPE_KEY`, `tls.key`) and no part is `public`; and it does not
/// name metadata.
pub(super) fn names_secret(key: &[u8]) -> bool {
    if key_is_metadata(key) {
        return false;
    }
    let squashed: Vec<u8> = key
        .iter()
        .filter(|b| !matches!(b, b'_' | b'-' | b'.' | b'\\' | b' ' | b'\t'))
        .map(u8::to_ascii_lowercase)
        .collect();
    if GenericClass::ORDER.iter().any(|c| c.matches(&squashed)) {
        return true;
    }
    let parts = key_parts(key);
    parts.last().is_some_and(|p| p.eq_ignore_ascii_case(b"key"))
        && !parts.iter().any(|p| p.eq_ignore_ascii_case(b"public"))
}

/// Splits a key at `_`, `.`, `-`, blanks (a label's words) and at camelCase boundaries
/// (`accessKeyId` -> access, Key, Id).
fn key_parts(key: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut start = 0;
    for i in 0..key.len() {
        let b = key[i];
        if matches!(b, b'_' | b'.' | b'-' | b' ' | b'\t') {
            if i > start {
                parts.push(&key[start..i]);
            }
            start = i + 1;
        } else if i > start && b.is_ascii_uppercase() && key[i - 1].is_ascii_lowercase() {
            parts.push(&key[start..i]);
            start = i;
        }
    }
    if key.len() > start {
        parts.push(&key[start..]);
    }
    parts
}
