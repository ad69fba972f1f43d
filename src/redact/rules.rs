//! The built-in rule table: loads `rules.toml` (embedded at build time, parsed on first use)
//! into one [`Spec`] per credential kind — the keywords that must appear for it to be tried, a
//! pattern whose `s*` groups mark the secret, and a validator — and rejects a broken table.
//!
//! The file follows gitleaks' rule shape (`[[rules]]` with `id`, `description`, `regex`,
//! `keywords`, `entropy`, `allowlist`) plus our extensions: `check`, `priority`, `boost`,
//! `class`, `needs`, and `gitleaks` (the gitleaks rule ids a rule stands in for). Regexes may
//! use `{{name}}` to splice a shared piece from `[fragments]`.

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
    /// Gitleaks rule ids this rule covers besides its own id (read by the parity test).
    #[cfg_attr(not(test), allow(dead_code))]
    pub gitleaks: Vec<String>,
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
        }
    }
}

/// Parses and checks a rule table: unique well-formed ids, keywords on every rule, known
/// fragments, regexes that parse, one shared regex for the generic family, the private-key
/// rule present.
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
        let pattern = expand(&entry.regex, &file.fragments).map_err(bad)?;
        parse_regex(&pattern).map_err(|e| bad(format!("regex does not parse: {e}")))?;
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
            keywords: entry.keywords,
            pattern,
            check: entry.check.into(),
            priority: entry.priority.priority().saturating_add(entry.boost),
            generic: entry.class,
            needs,
            entropy: entry.entropy,
            allowlist: Allowlist { regexes, stopwords },
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

/// Splices `[fragments]` into a regex: `{{assign}}` becomes the `assign` fragment.
fn expand(regex: &str, fragments: &BTreeMap<String, String>) -> Result<String, String> {
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
        out.push_str(fragment);
        rest = &after[close + 2..];
    }
    out.push_str(rest);
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
            ]
            .iter()
            .any(|w| has(w)),
            GenericClass::Token => has("token"),
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
];

/// True when a generic key's name marks metadata (see [`KEY_DENY_PARTS`]).
pub(super) fn key_is_metadata(key: &[u8]) -> bool {
    let key = key.strip_prefix(b"--").unwrap_or(key);
    key_parts(key).into_iter().any(|p| {
        let lower = p.to_ascii_lowercase();
        KEY_DENY_PARTS
            .iter()
            .any(|d| d.as_bytes() == lower.as_slice())
            || lower.ends_with(b"tokens")
            || lower.starts_with(b"tokeniz")
            || lower.starts_with(b"max")
            || lower.starts_with(b"num")
    })
}

/// Splits a key at `_`, `.`, `-` and at camelCase boundaries (`accessKeyId` -> access, Key, Id).
fn key_parts(key: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut start = 0;
    for i in 0..key.len() {
        let b = key[i];
        if matches!(b, b'_' | b'.' | b'-') {
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
