#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Shared fakes plus unit tests of the validators, the segmenter and the public API.

use super::check::{self, Check, ValueKind};
use super::segment::{self, SegKind};
use super::*;

/// Tiny deterministic PRNG (xorshift64*), so fakes and split positions are reproducible.
pub(super) struct Rng(u64);

impl Rng {
    pub(super) fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub(super) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

pub(super) const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
pub(super) const HEX: &str = "0123456789abcdef";
pub(super) const B64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
pub(super) const B64URL: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
pub(super) const UPPER32: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
pub(super) const UPPERNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
pub(super) const LOWERNUM: &str = "abcdefghijklmnopqrstuvwxyz0123456789";
pub(super) const LETTERS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `n` characters drawn from `alphabet`, seeded by `seed` (fakes are built, never stored).
pub(super) fn rand(seed: u64, n: usize, alphabet: &str) -> String {
    let mut rng = Rng::new(seed);
    let chars: Vec<char> = alphabet.chars().collect();
    (0..n).map(|_| chars[rng.below(chars.len())]).collect()
}

pub(super) fn uuid(seed: u64) -> String {
    format!(
        "{}-{}-{}-{}-{}",
        rand(seed, 8, HEX),
        rand(seed + 1, 4, HEX),
        rand(seed + 2, 4, HEX),
        rand(seed + 3, 4, HEX),
        rand(seed + 4, 12, HEX)
    )
}

/// Standard base64 (with padding).
pub(super) fn base64(data: &[u8]) -> String {
    let t = B64.as_bytes();
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(t[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A fake PEM private key body: `lines` lines of 64 base64 characters.
pub(super) fn pem_body(seed: u64, lines: usize) -> String {
    (0..lines)
        .map(|i| rand(seed + i as u64, 64, B64))
        .collect::<Vec<_>>()
        .join("\n")
}

pub(super) fn counts(pairs: &[(&str, u64)]) -> RedactionCounts {
    RedactionCounts(pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect())
}

#[test]
fn shannon_entropy_of_known_strings() {
    assert_eq!(check::shannon_entropy(b""), 0.0);
    assert_eq!(check::shannon_entropy(b"aaaa"), 0.0);
    assert_eq!(check::shannon_entropy(b"abab"), 1.0);
    assert_eq!(check::shannon_entropy(b"abcdefgh"), 3.0);
}

#[test]
fn placeholders_are_recognised() {
    let yes: &[&[u8]] = &[
        b"",
        b"${DB_PASSWORD}",
        b"$TOKEN",
        b"$(cat /run/secret)",
        b"****",
        b"<token>",
        b"changeme",
        b"xxx",
        b"null",
        b"true",
        b"your-api-key",
        b"PASSWORD",
        b"DB_PASS",
        b"%API_KEY%",
        b"%s",
        b"%-12s",
        b"%(password)s",
        b"%{db_pass}",
        b"{{ .Values.token }}",
        b"xxxxxxxxxxxxxxxx",
        b"REPLACE_WITH_YOUR_TOKEN",
        b"!vault",
        b"!Ref",
        b"@secrets.txt",
        b"@/run/secrets/db",
        b"@@session_token",
        b"(protected)",
        b"(sensitive value)",
        b"vault:secret/data/app#password",
        b"ref+vault://kv/app#/token",
    ];
    for v in yes {
        assert!(check::is_placeholder(v), "{:?}", String::from_utf8_lossy(v));
    }
    let no: &[&[u8]] = &[
        b"hunter2!",
        b"S3cr3tP4ss",
        b"f3a9c1d2e4b5",
        b"Tr0ub4dor&3",
        b"%nT4k#qP2w",
        b"%20sk3y!",
        b"@q7Lm#x2Vt9Rw",
        b"!Kd8=v#pQ2z@Wn",
        b"!Qm4TzeRb81XaKwLp.J",
        b"(q7Lm#x2Vt9Rw)",
        b"vault:",
    ];
    for v in no {
        assert!(
            !check::is_placeholder(v),
            "{:?}",
            String::from_utf8_lossy(v)
        );
    }
}

#[test]
fn value_kinds_apply_their_thresholds() {
    let table: &[(ValueKind, &[u8], bool)] = &[
        (ValueKind::Password, b"hunter2", true),
        (ValueKind::Password, b"abc", false),
        (ValueKind::Password, b"config.password", false),
        (ValueKind::Password, b"config.oauth2Token", false),
        (
            ValueKind::Password,
            b"Rails.application.credentials.secret_key_base",
            false,
        ),
        // A part that switches case and digits at almost every byte is no attribute name.
        (ValueKind::Password, b"NrH4Hw70TQL.M3", true),
        (ValueKind::Password, b"vv_wV_2Tj9.vqg", true),
        // A short part that switches class at every other byte or so is random too.
        (ValueKind::Password, b"NbxZmec7.wFYjvh0FN", true),
        (ValueKind::Password, b"settings.oauth2Client", false),
        (ValueKind::Password, b"digest.md5Hash", false),
        // A lone lower-case letter between capitals is no word of a name (session 21).
        (ValueKind::Password, b"Wkdhtrpaz4QLMV._RXnC", true),
        (
            ValueKind::Password,
            b"config.AuthSettings.TokenIssuer",
            false,
        ),
        // `::` joins names in code; a random part makes it a join token.
        (ValueKind::Password, b"Foo::bar_token", false),
        (
            ValueKind::Password,
            b"K10a7f3c9e21b4d8f6a0c5e7b9d2f4a6c8e::node:b3f9e1c7a5d2f8b4",
            true,
        ),
        // `name:/path` names a file; `name://host` and a random tail are no such thing.
        (
            ValueKind::Password,
            b"db-password:/etc/credstore/db-password",
            false,
        ),
        (ValueKind::Secret, b"tls-key:/run/keys/tls.pem", false),
        (ValueKind::Password, b"/run/secrets/db", false),
        // Base64 of random bytes may start with `/`; a path with a `+` still reads as a path.
        (
            ValueKind::Secret,
            b"/p9Kx2LmQ7vTn4Rw8Zb3Yc6Hd1Fg5Js0Ae+Uk=",
            true,
        ),
        (
            ValueKind::Secret,
            b"/usr/include/c++/13/bits/stl_algo.h",
            false,
        ),
        (ValueKind::Password, b"/opt/tools/g++-13/bin/g++", false),
        // A CamelCase type name is code; letters that strand single lower-case ones between
        // capitals are a generated password.
        (ValueKind::Password, b"SymmetricSecurityKey", false),
        (ValueKind::Password, b"SetUpIOHandler", false),
        (ValueKind::Password, b"KenVYUcHmabLUEZVfAMO", true),
        (ValueKind::Secret, b"a8F3kLm2Qx9Zt7Wp", true),
        (ValueKind::Secret, b"1234567890123", false),
        (ValueKind::Secret, b"bearer", false),
        (ValueKind::Secret, b"abcdefgh", false),
        (ValueKind::Header, b"dXNlcjpwYXNzd29yZA==", true),
        (ValueKind::Header, b"$TOKEN", false),
        (ValueKind::Loose, b"pw1", true),
        (ValueKind::Loose, b"****", false),
    ];
    for (kind, v, want) in table {
        assert_eq!(
            check::accepts(Check::Value(*kind), v),
            *want,
            "{kind:?} {:?}",
            String::from_utf8_lossy(v)
        );
    }
    assert!(!check::accepts(Check::Random, b"AKIAIOSFODNN7EXAMPLE"));
    // `snowflake`: the first part must be the base64 of a 17-20 digit id.
    let id = base64(b"381870553235193858");
    let tail = ".GxLrZq.h4PvW8sTmYc2KbN0dQeR7uJfA9iXoE1gHyV3";
    assert!(check::accepts(
        Check::Snowflake,
        format!("{id}{tail}").as_bytes()
    ));
    for first in [
        base64(b"0381870553235193858"),
        base64(b"3818705532351938"),
        base64(b"38187055323519385a"),
        "MTIzNDU2Nzg5MDEyMzQ1Njc4!".to_owned(),
    ] {
        assert!(
            !check::accepts(Check::Snowflake, format!("{first}{tail}").as_bytes()),
            "{first}"
        );
    }
    assert!(!check::accepts(
        Check::Random,
        b"ghp_000000000000000000000000000000000000"
    ));
}

#[test]
fn a_name_called_right_after_it_is_code() {
    let table: &[(&[u8], &[u8], bool)] = &[
        (b"lookup_token", b"(line)?;", true),
        (b"self.read_secret", b"(path)", true),
        (b"read_token", b"()?;\n", true),
        (b"lookup_token", b";", false),
        (b"Xk9#q2Lm.z", b"(x", false),
        (b"9fA2kLm3Qx", b"(", false),
        // A generated secret holding a `(` (`/proc/*/environ`) is no function name.
        (b"HK8iAsFJk4XpJe", b"(VI7qViaE9T0g", false),
    ];
    for (v, rest, want) in table {
        assert_eq!(
            check::is_call(v, rest),
            *want,
            "{:?}",
            String::from_utf8_lossy(v)
        );
    }
}

#[test]
fn a_value_running_into_a_placeholder_is_a_template() {
    let table: &[(&[u8], bool)] = &[
        (b"<your-secret-key>", true),
        (b"<token-secret-uuid>\n", true),
        (b"<API key>", true),
        (b"", false),
        (b"<", false),
        (b"<>", false),
        (b"<9x>", false),
        (b"<script>alert(1)</script>", true),
        (b"<q#7Lm>", false),
        (b" <your-key>", false),
    ];
    for (rest, want) in table {
        assert_eq!(
            check::runs_into_placeholder(rest),
            *want,
            "{:?}",
            String::from_utf8_lossy(rest)
        );
    }
}

#[test]
fn public_blobs_are_allow_listed() {
    let seg = b"\"integrity\": \"sha512-AbC+dEf/ghp_x==\"";
    let at = seg.windows(4).position(|w| w == b"ghp_").unwrap();
    assert!(check::inside_public_blob(seg, at));
    let seg = b"token=ghp_abc";
    assert!(!check::inside_public_blob(seg, 6));
    let seg = b"<img src=\"data:image/png;base64,iVBORw0KGgoAIza\">";
    let at = seg.windows(4).position(|w| w == b"AIza").unwrap();
    assert!(check::inside_public_blob(seg, at));
}

#[test]
fn segments_are_lines_and_carriage_returns() {
    assert_eq!(
        segment::next_segment(b"ab\ncd", true, None),
        Some((3, SegKind::Line))
    );
    assert_eq!(
        segment::next_segment(b"ab\rcd", false, None),
        Some((3, SegKind::Line))
    );
    assert_eq!(segment::next_segment(b"abcd", false, None), None);
    assert_eq!(
        segment::next_segment(b"abcd", true, None),
        Some((4, SegKind::Line))
    );
    assert_eq!(segment::next_segment(b"", true, None), None);
}

#[test]
fn long_lines_are_cut_after_the_last_separator_in_the_window() {
    let mut line = vec![b'a'; segment::LINE_MAX - 100];
    line.push(b' ');
    line.extend(vec![b'b'; 200]);
    assert_eq!(
        segment::next_segment(&line, false, None),
        Some((segment::LINE_MAX - 99, SegKind::Line))
    );
    let run = vec![b'z'; segment::HARD_MAX + 10];
    assert_eq!(
        segment::next_segment(&run, false, None),
        Some((segment::HARD_MAX, SegKind::Line))
    );
    assert_eq!(
        segment::next_segment(&run[..segment::HARD_MAX - 1], false, None),
        None
    );
}

#[test]
fn hard_cut_never_splits_a_utf8_character() {
    let mut run = vec![b'z'; segment::HARD_MAX - 1];
    run.extend("é".as_bytes());
    run.extend(vec![b'z'; 10]);
    let (n, _) = segment::next_segment(&run, false, None).unwrap();
    assert_eq!(n, segment::HARD_MAX - 1);
}

#[test]
fn private_key_blocks_extend_to_the_end_marker() {
    let text = "-----BEGIN RSA PRIVATE KEY-----\nAAAA\nBBBB\n-----END RSA PRIVATE KEY-----\nnext\n";
    let end = text.find("\nnext").unwrap();
    assert_eq!(
        segment::next_segment(text.as_bytes(), true, None),
        Some((
            end,
            SegKind::Block {
                terminated: true,
                open: false
            }
        ))
    );
    assert_eq!(
        segment::next_segment(&text.as_bytes()[..40], false, None),
        None
    );
    assert_eq!(
        segment::next_segment(&text.as_bytes()[..40], true, None),
        Some((
            40,
            SegKind::Block {
                terminated: false,
                open: true
            }
        ))
    );
    let cert = "-----BEGIN CERTIFICATE-----\nAAAA\n";
    assert_eq!(
        segment::next_segment(cert.as_bytes(), true, None),
        Some((28, SegKind::Line))
    );
}

#[test]
fn unterminated_block_is_capped_and_redacted_whole() {
    let body = pem_body(7, 300);
    let text = format!("-----BEGIN OPENSSH PRIVATE KEY-----\n{body}\n");
    let r = Redactor::builtin();
    let (out, c) = r.redact_str(&text);
    assert!(out.starts_with("-----BEGIN OPENSSH PRIVATE KEY-----\n[REDACTED:private-key]\n"));
    // Beyond the 16 KiB cap the remaining lines are plain base64 and pass (documented bound).
    assert!(out.len() < text.len());
    assert_eq!(c.0.get("private-key").copied(), Some(1));
}

#[test]
fn builtin_table_compiles_completely_with_unique_ids() {
    let specs = rules::specs();
    let r = Redactor::builtin();
    assert_eq!(r.rule_ids().len(), specs.len());
    let mut ids: Vec<&str> = specs.iter().map(|s| s.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), specs.len());
    assert!(ids.len() >= 60, "only {} rule kinds", ids.len());
    assert!(r.always.is_empty());
    assert!(r.ac.is_some());
    // Rules compile lazily at run time; loading only parses them. Prove here that every one
    // of them compiles.
    for rule in &r.rules {
        assert!(rule.regex.build().is_ok(), "{} does not compile", rule.id);
        if let Some(after) = &rule.after {
            assert!(
                after.regex.build().is_ok(),
                "{}'s `after` does not compile",
                rule.id
            );
        }
    }
}

/// Redacts `input` with the built-in rules and returns the text.
fn redacted(input: &str) -> String {
    Redactor::builtin().redact_str(input).0
}

#[test]
fn a_context_rule_matches_only_within_its_lines_after_the_opening_line() {
    let value = rand(90, 32, ALNUM);
    let open = "        - name: API_TOKEN\n";
    let at = |gap: &str| format!("{open}{gap}          value: \"{value}\"\n");
    let hidden = "        - name: API_TOKEN\n          value: \"[REDACTED:named-env-value]\"\n";
    assert_eq!(redacted(&at("")), hidden);
    // Blank lines and the `\n` of a `\r\n` do not use up the window.
    assert_eq!(
        redacted(&at("\n  \n")),
        hidden.replacen("\n", "\n\n  \n", 1)
    );
    // The window is one line: a line in between closes it.
    let late = at("          # comment\n");
    assert_eq!(redacted(&late), late);
    // The value line alone, or under a name that is no secret, stays.
    let alone = format!("          value: \"{value}\"\n");
    assert_eq!(redacted(&alone), alone);
    let plain = at("").replace("API_TOKEN", "LOG_LEVEL");
    assert_eq!(redacted(&plain), plain);
}

#[test]
fn an_opening_line_naming_no_secret_ends_the_open_context() {
    let value = rand(93, 24, ALNUM);
    let secret_first = format!("{{\n  \"db_password\": {{\n    \"value\": \"{value}\"\n  }},\n");
    let text = format!("{secret_first}  \"db_host\": {{\n    \"value\": \"{value}\"\n  }}\n}}\n");
    let hidden = format!(
        "{{\n  \"db_password\": {{\n    \"value\": \"[REDACTED:json-named-value]\"\n  }},\n  \"db_host\": {{\n    \"value\": \"{value}\"\n  }}\n}}\n"
    );
    assert_eq!(redacted(&text), hidden);
    // Streamed a byte at a time, the context ends at the same line.
    let r = std::sync::Arc::new(Redactor::builtin());
    let mut s = r.stream();
    let mut out = Vec::new();
    for b in text.as_bytes() {
        out.extend_from_slice(&s.push(std::slice::from_ref(b)).bytes);
    }
    out.extend_from_slice(&s.flush().bytes);
    assert_eq!(String::from_utf8(out).unwrap(), hidden);
}

#[test]
fn a_private_key_block_closes_an_open_context() {
    let value = rand(91, 32, ALNUM);
    let text = format!(
        "$ kubectl get secret tls -o jsonpath='{{.data.tls\\.key}}' | base64 -d\n\
         -----BEGIN EC PRIVATE KEY-----\n{}\n-----END EC PRIVATE KEY-----\n{value}\n",
        pem_body(92, 2)
    );
    let out = redacted(&text);
    assert!(out.contains("[REDACTED:private-key]"), "{out}");
    assert!(out.ends_with(&format!("\n{value}\n")), "{out}");
}

#[test]
fn an_opening_line_in_one_push_opens_the_next_push_and_idle_flush_keeps_it() {
    let r = std::sync::Arc::new(Redactor::builtin());
    let value = rand(93, 40, HEX);
    let mut s = r.stream();
    let a = s.push(b"        - name: DD_APP_KEY\n");
    assert_eq!(a.bytes.as_ref(), b"        - name: DD_APP_KEY\n");
    let b = s.push(b"          value: ");
    assert_eq!(b.bytes.as_ref(), b"");
    // An idle flush emits the held line up to its last blank, redacted in the open context.
    let idle = s.idle_flush();
    assert_eq!(idle.bytes.as_ref(), b"          value: ");
    let c = s.push(format!("{value}\n").as_bytes());
    assert_eq!(c.bytes.as_ref(), b"[REDACTED:named-env-value]\n");
    assert_eq!(c.counts, counts(&[("named-env-value", 1)]));
}

#[test]
fn base64_private_key_keywords_are_encodings_of_the_markers() {
    for (marker, kw) in [
        (
            "-----BEGIN RSA PRIVATE KEY-----",
            "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0t",
        ),
        (
            "-----BEGIN PRIVATE KEY-----",
            "LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t",
        ),
        (
            "-----BEGIN OPENSSH PRIVATE KEY-----",
            "LS0tLS1CRUdJTiBPUEVOU1NIIFBSSVZBVEUgS0VZLS0t",
        ),
        (
            "-----BEGIN EC PRIVATE KEY-----",
            "LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0t",
        ),
    ] {
        let n = marker.len() / 3 * 3;
        assert_eq!(base64(&marker.as_bytes()[..n]), kw);
    }
}

#[test]
fn unchanged_input_is_borrowed() {
    let r = Redactor::builtin();
    let input = b"   Compiling serde v1.0.200\n    Finished `dev` profile in 3.2s\n";
    let out = r.redact(input);
    assert!(matches!(out.bytes, Cow::Borrowed(_)));
    assert_eq!(out.bytes.as_ref(), input);
    assert!(out.counts.is_empty());
}

#[test]
fn exact_values_are_redacted_verbatim_and_short_ones_ignored() {
    let secret = format!("Zq{}", rand(91, 14, ALNUM));
    let cfg = RedactConfig {
        exact_values: vec![
            secret.clone(),
            "abc".into(),
            format!("line1-{}\nline2-{}", rand(92, 8, ALNUM), rand(93, 8, ALNUM)),
        ],
        ..RedactConfig::default()
    };
    let r = Redactor::new(&cfg).unwrap();
    let input = format!(
        "echo {secret} > out.txt\nabc is fine\n{}\n",
        secret.to_lowercase()
    );
    let (out, c) = r.redact_str(&input);
    assert_eq!(
        out,
        format!(
            "echo [REDACTED:exact-value] > out.txt\nabc is fine\n{}\n",
            secret.to_lowercase()
        )
    );
    assert_eq!(c, counts(&[("exact-value", 1)]));
    let multi = format!("x line1-{} y\n", rand(92, 8, ALNUM));
    assert_eq!(r.redact_str(&multi).0, "x [REDACTED:exact-value] y\n");
    assert!(r.rule_ids().contains(&"exact-value"));
}

#[test]
fn exact_value_that_spells_a_keyword_still_matches() {
    let cfg = RedactConfig {
        exact_values: vec!["password".into()],
        ..RedactConfig::default()
    };
    let r = Redactor::new(&cfg).unwrap();
    assert_eq!(
        r.redact_str("my password is here\n").0,
        "my [REDACTED:exact-value] is here\n"
    );
}

#[test]
fn user_rules_with_and_without_literal_prefix() {
    let cfg = RedactConfig {
        user_rules: vec![
            UserRule {
                id: "acme-key".into(),
                regex: r"acme_[a-z0-9]{12}".into(),
            },
            UserRule {
                id: "badge".into(),
                regex: r"badge=(?P<secret>\d{6})\b".into(),
            },
            UserRule {
                id: "any-digits".into(),
                regex: r"[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{4}".into(),
            },
        ],
        ..RedactConfig::default()
    };
    let r = Redactor::new(&cfg).unwrap();
    assert_eq!(r.always.len(), 1);
    let (out, c) = r.redact_str("k=acme_ab12cd34ef56 badge=123456 card 4111-1111-1111-1111\n");
    assert_eq!(
        out,
        "k=[REDACTED:acme-key] badge=[REDACTED:badge] card [REDACTED:any-digits]\n"
    );
    assert_eq!(
        c,
        counts(&[("acme-key", 1), ("badge", 1), ("any-digits", 1)])
    );
}

#[test]
fn bad_user_regex_names_the_rule() {
    let cfg = RedactConfig {
        user_rules: vec![UserRule {
            id: "broken".into(),
            regex: "(unclosed".into(),
        }],
        ..RedactConfig::default()
    };
    match Redactor::new(&cfg) {
        Err(RedactError::InvalidUserRule { id, .. }) => assert_eq!(id, "broken"),
        other => panic!("unexpected {other:?}"),
    }
    let cfg = RedactConfig {
        user_rules: vec![UserRule {
            id: "has space".into(),
            regex: "x".into(),
        }],
        ..RedactConfig::default()
    };
    assert_eq!(
        Redactor::new(&cfg).unwrap_err(),
        RedactError::InvalidRuleId {
            id: "has space".into()
        }
    );
}

#[test]
fn disabled_rules_are_switched_off_and_unknown_ones_rejected() {
    let cfg = RedactConfig {
        disabled_rules: vec!["jwt".into()],
        ..RedactConfig::default()
    };
    let r = Redactor::new(&cfg).unwrap();
    assert!(!r.rule_ids().contains(&"jwt"));
    let jwt = format!(
        "eyJ{}.eyJ{}.{}",
        rand(1, 20, B64URL),
        rand(2, 30, B64URL),
        rand(3, 43, B64URL)
    );
    let line = format!("id_jwt {jwt}\n");
    assert_eq!(r.redact_str(&line).0, line);
    let cfg = RedactConfig {
        disabled_rules: vec!["nope".into()],
        ..RedactConfig::default()
    };
    assert_eq!(
        Redactor::new(&cfg).unwrap_err(),
        RedactError::UnknownDisabledRule { id: "nope".into() }
    );
}

#[test]
fn counts_merge_adds_per_rule() {
    let mut a = counts(&[("jwt", 1), ("github-pat", 2)]);
    a.merge(&counts(&[("jwt", 3), ("private-key", 1)]));
    assert_eq!(
        a,
        counts(&[("jwt", 4), ("github-pat", 2), ("private-key", 1)])
    );
    assert_eq!(a.total(), 7);
}

#[test]
fn redact_str_keeps_utf8_around_secrets() {
    let tok = format!("ghp_{}", rand(5, 36, ALNUM));
    let (out, _) = Redactor::builtin().redact_str(&format!("clé→{tok}←fin ✓\n"));
    assert_eq!(out, "clé→[REDACTED:github-pat]←fin ✓\n");
}

#[test]
fn redactor_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Redactor>();
    assert_send_sync::<StreamRedactor>();
}

#[test]
fn invalid_utf8_is_handled_as_bytes() {
    let r = Redactor::builtin();
    let mut input = vec![0xff, 0xfe, b'\n'];
    input.extend(b"password=\xff\xfehunter22\n");
    let out = r.redact(&input);
    let mut want = vec![0xff, 0xfe, b'\n'];
    want.extend(b"password=[REDACTED:password-assignment]\n");
    assert_eq!(out.bytes.as_ref(), want.as_slice());
}
