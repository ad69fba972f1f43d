#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The rule table as data: it loads, a broken table is rejected at start-up, and its coverage
//! of gitleaks' rule list is accounted for rule by rule.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use super::rules::{self, load, load_or_panic};

/// The smallest valid table: just the private-key rule the engine relies on.
const MINIMAL: &str = r#"
[fragments]
sep = '''\s*=\s*'''

[[rules]]
id = "private-key"
description = "PEM private key block"
regex = '''-----BEGIN PRIVATE KEY-----(?P<s>.+?)-----END PRIVATE KEY-----'''
keywords = ["private key"]
priority = "specific"
check = "any"
"#;

fn with_rule(body: &str) -> String {
    format!("{MINIMAL}\n[[rules]]\n{body}")
}

fn load_err(text: &str) -> String {
    match load(text) {
        Ok(_) => panic!("table was accepted:\n{text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn builtin_table_loads() {
    let specs = rules::specs();
    assert!(specs.len() >= 200, "{} rules", specs.len());
    assert!(specs.iter().any(|s| s.id == rules::PRIVATE_KEY_ID));
}

#[test]
fn minimal_table_loads_and_splices_fragments() {
    let text = with_rule(
        r#"id = "demo"
description = "demo"
regex = '''demo{{sep}}(?P<s>[a-z]{8})'''
keywords = ["demo"]
priority = "context"
boost = 3
check = "secret"
entropy = 2.5
allowlist = { regexes = ['''^abc'''], stopwords = ["Sample"] }
gitleaks = ["demo-token"]"#,
    );
    let specs = load(&text).unwrap();
    let demo = specs.iter().find(|s| s.id == "demo").unwrap();
    assert_eq!(demo.pattern, r"demo\s*=\s*(?P<s>[a-z]{8})");
    assert_eq!(demo.priority, 43);
    assert_eq!(demo.entropy, Some(2.5));
    assert_eq!(demo.gitleaks, ["demo-token"]);
    assert!(demo.allowlist.allows(b"abcdefgh"));
    assert!(demo.allowlist.allows(b"a-SAMPLE-value"));
    assert!(!demo.allowlist.allows(b"qzmxnwbv"));
}

#[test]
#[should_panic(expected = "rules.toml does not parse")]
fn a_table_that_does_not_parse_panics_at_start_up() {
    load_or_panic("[[rules]\nid = ");
}

#[test]
#[should_panic(expected = "regex does not parse")]
fn an_invalid_regex_panics_at_start_up() {
    load_or_panic(&with_rule(
        r#"id = "broken"
description = "unclosed group"
regex = '''(?P<s>abc'''
keywords = ["abc"]
priority = "specific"
check = "random""#,
    ));
}

#[test]
fn invalid_tables_name_the_rule_and_the_reason() {
    let rule = |extra: &str| {
        with_rule(&format!(
            "id = \"bad\"\ndescription = \"d\"\nregex = '''x(?P<s>y)'''\nkeywords = [\"x\"]\n\
             priority = \"specific\"\ncheck = \"random\"\n{extra}"
        ))
    };
    let cases = [
        (
            rule("").replace("keywords = [\"x\"]", "keywords = []"),
            "rule `bad`: needs at least one non-empty keyword",
        ),
        (
            rule("").replace("x(?P<s>y)", "x{{nope}}"),
            "rule `bad`: unknown fragment `{{nope}}`",
        ),
        (
            rule("needs = \"@@\""),
            "rule `bad`: `needs` must be one ASCII",
        ),
        (
            rule("entropy = 9.0"),
            "rule `bad`: `entropy` must be between",
        ),
        (
            rule("allowlist = { regexes = ['''(''']}"),
            "rule `bad`: allowlist regex does not compile",
        ),
        (rule("colour = \"red\""), "does not parse"),
        (
            rule("check = \"maybe\"").replace("check = \"random\"\n", ""),
            "does not parse",
        ),
        (
            rule("") + &rule("").replacen(MINIMAL, "", 1),
            "rule `bad`: duplicate id",
        ),
        (
            rule("").replace("id = \"bad\"", "id = \"Bad Id\""),
            "rule `Bad Id`: id must be",
        ),
        (
            MINIMAL.replace("private-key", "pem"),
            "rule `private-key`: missing",
        ),
    ];
    for (text, want) in cases {
        let got = load_err(&text);
        assert!(got.contains(want), "want {want:?}, got {got:?}");
    }
}

#[test]
fn keyword_classes_expand_into_every_literal() {
    let text = with_rule(
        r#"id = "demo"
description = "demo"
regex = '''x(?P<s>y)'''
keywords = ["[MN][a-c]x", "plain"]
priority = "specific"
check = "random""#,
    );
    let specs = load(&text).unwrap();
    let demo = specs.iter().find(|s| s.id == "demo").unwrap();
    assert_eq!(
        demo.keywords,
        ["Max", "Mbx", "Mcx", "Nax", "Nbx", "Ncx", "plain"]
    );
    let discord = rules::specs()
        .iter()
        .find(|s| s.id == "discord-token")
        .unwrap();
    assert_eq!(discord.keywords.len(), 3 * 4 * 10 * 10);
    let huge = text.replace("[MN][a-c]x", "[a-z][a-z][a-z]");
    assert!(load_err(&huge).contains("expands to more than"));
    let open = text.replace("[MN][a-c]x", "[MN");
    assert!(load_err(&open).contains("empty or unclosed"));
}

#[test]
fn context_rules_are_checked_when_they_load() {
    let rule = |extra: &str| {
        with_rule(&format!(
            "id = \"ctx\"\ndescription = \"d\"\nregex = '''^v: (?P<s>\\S+)'''\nkeywords = [\"n:\"]\n\
             priority = \"structural\"\ncheck = \"password\"\n{extra}"
        ))
    };
    let specs = load(&rule("after = '''^n: (?P<k>\\S+)'''\nwithin = 3")).unwrap();
    let ctx = specs.iter().find(|s| s.id == "ctx").unwrap();
    let after = ctx.after.as_ref().unwrap();
    assert_eq!(
        (after.pattern.as_str(), after.within),
        (r"^n: (?P<k>\S+)", 3)
    );
    let one = load(&rule("after = '''^n:'''")).unwrap();
    assert_eq!(
        one.iter()
            .find(|s| s.id == "ctx")
            .unwrap()
            .after
            .as_ref()
            .unwrap()
            .within,
        1
    );
    for (extra, want) in [
        ("within = 2", "`within` needs `after`"),
        ("after = '''^n:'''\nwithin = 33", "`within` must be 1 to 32"),
        ("after = '''^n:'''\nwithin = 0", "`within` must be 1 to 32"),
        ("after = '''(n'''", "`after` regex does not parse"),
    ] {
        let got = load_err(&rule(extra));
        assert!(got.contains(want), "want {want:?}, got {got:?}");
    }
}

#[test]
fn names_of_secrets_are_told_from_metadata() {
    for yes in [
        "DD_APP_KEY",
        "STRIPE_KEY",
        "tls\\.key",
        "db_password",
        "GITHUB_TOKEN",
        // A label's words: `Your new API key (shown once):`.
        "Your new API key",
        "master.key",
        // `TF_VAR_` only introduces the Terraform variable's name.
        "TF_VAR_db_password",
        // Keys named for what they let a holder do, and PAM / SSSD's authentication token.
        "analytics.write_key",
        "INGEST_KEY",
        "fcm_server_key",
        "ldap_default_authtok",
    ] {
        assert!(rules::names_secret(yes.as_bytes()), "{yes}");
    }
    for no in [
        "LOG_LEVEL",
        "SSH_PUBLIC_KEY",
        "API_TOKEN_TTL",
        "aws_access_key_id",
        "username",
        "ca.crt",
        "Token fingerprint",
        "public.key",
        "TF_VAR_region",
        "deploy_key_id",
        "ldap_default_authtok_type",
    ] {
        assert!(!rules::names_secret(no.as_bytes()), "{no}");
    }
    // The last dotted segment names the value; the rest is its path.
    assert!(!rules::key_is_metadata(b"process.env.API_TOKEN"));
    assert!(rules::key_is_metadata(b"vault.token.path"));
    // Published keys, and Postfix's lookup tables only as the last part.
    assert!(rules::key_is_metadata(b"STRIPE_PUBLISHABLE_KEY"));
    assert!(rules::key_is_metadata(b"NEXT_PUBLIC_MAPS_KEY"));
    assert!(rules::key_is_metadata(b"smtp_sasl_password_maps"));
    assert!(!rules::key_is_metadata(b"MAPS_API_KEY"));
}

#[test]
fn generic_class_rules_must_share_one_regex() {
    let class = |id: &str, regex: &str| {
        format!(
            "\n[[rules]]\nid = \"{id}\"\ndescription = \"d\"\nregex = '''{regex}'''\n\
             keywords = [\"{id}\"]\npriority = \"generic\"\ncheck = \"secret\"\nclass = \"token\"\n"
        )
    };
    let same = format!(
        "{MINIMAL}{}{}",
        class("a", "(?P<k>a)=(?P<s>b)"),
        class("b", "(?P<k>a)=(?P<s>b)")
    );
    assert!(load(&same).is_ok());
    let differ = format!(
        "{MINIMAL}{}{}",
        class("a", "(?P<k>a)=(?P<s>b)"),
        class("b", "(?P<k>a):(?P<s>b)")
    );
    assert!(load_err(&differ).contains("rule `b`: every `class` rule must use the same regex"));
}

/// `gitleaks-skips.toml`: gitleaks rules we leave out, each with its reason.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Skips {
    skip: Vec<Skip>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Skip {
    id: String,
    reason: String,
}

#[test]
fn every_gitleaks_rule_is_covered_or_skipped_with_a_reason() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/gitleaks/rules.txt");
    let pinned = std::fs::read_to_string(path).unwrap();
    let gitleaks: BTreeSet<&str> = pinned
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    assert!(gitleaks.len() >= 200, "{} gitleaks ids", gitleaks.len());

    // Which of our rules covers each gitleaks id.
    let mut covered: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut stale = Vec::new();
    for spec in rules::specs() {
        if gitleaks.contains(spec.id.as_str()) {
            covered.entry(&spec.id).or_default().push(&spec.id);
        }
        for g in &spec.gitleaks {
            if gitleaks.contains(g.as_str()) {
                covered.entry(g).or_default().push(&spec.id);
            } else {
                stale.push(format!("{} maps unknown gitleaks id {g}", spec.id));
            }
        }
    }
    let skips: Skips = toml::from_str(include_str!("gitleaks-skips.toml")).unwrap();
    let mut skipped = BTreeSet::new();
    for s in &skips.skip {
        assert!(!s.reason.trim().is_empty(), "skip {} has no reason", s.id);
        if !gitleaks.contains(s.id.as_str()) {
            stale.push(format!("skip of unknown gitleaks id {}", s.id));
        }
        if let Some(by) = covered.get(s.id.as_str()) {
            stale.push(format!("{} is skipped but covered by {by:?}", s.id));
        }
        assert!(skipped.insert(s.id.as_str()), "{} skipped twice", s.id);
    }
    let missing: Vec<&str> = gitleaks
        .iter()
        .copied()
        .filter(|g| !covered.contains_key(g) && !skipped.contains(g))
        .collect();
    assert!(
        missing.is_empty(),
        "gitleaks rules neither covered (a rule's id or its `gitleaks = [...]` in rules.toml) \
         nor skipped (gitleaks-skips.toml): {missing:?}"
    );
    assert!(stale.is_empty(), "stale parity entries: {stale:?}");
}
