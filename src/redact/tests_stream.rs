#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Streaming: for every split of inputs containing secrets, push()+flush() output equals
//! redact(whole); hold-back stays bounded; complete lines are not stalled.

use std::sync::Arc;

use super::segment;
use super::tests::*;
use super::*;

fn stream_all(r: &Arc<Redactor>, chunks: &[&[u8]]) -> (Vec<u8>, RedactionCounts) {
    let mut s = r.stream();
    let mut out = Vec::new();
    let mut c = RedactionCounts::default();
    for chunk in chunks {
        let got = s.push(chunk);
        out.extend_from_slice(&got.bytes);
        c.merge(&got.counts);
    }
    let got = s.flush();
    out.extend_from_slice(&got.bytes);
    c.merge(&got.counts);
    assert_eq!(s.held(), 0);
    (out, c)
}

fn corpus() -> Vec<String> {
    let mut v: Vec<String> = super::tests_positive::samples()
        .iter()
        .map(|s| s.input())
        .collect();
    v.extend(
        super::tests_negative::samples()
            .into_iter()
            .map(|(_, s)| s)
            .filter(|s| s.len() < 5000),
    );
    v
}

#[test]
fn every_single_split_position_matches_whole_redaction() {
    let r = Arc::new(Redactor::builtin());
    for input in corpus() {
        let bytes = input.as_bytes();
        let whole = r.redact(bytes);
        for cut in 0..=bytes.len() {
            let (out, c) = stream_all(&r, &[&bytes[..cut], &bytes[cut..]]);
            assert_eq!(out, whole.bytes.as_ref(), "cut at {cut} of {input:?}");
            assert_eq!(c, whole.counts, "cut at {cut} of {input:?}");
        }
    }
}

#[test]
fn random_multi_splits_match_whole_redaction() {
    let r = Arc::new(Redactor::builtin());
    let mut all = corpus().concat();
    // Add an over-long line and an unterminated key to exercise the cut rules.
    all.push_str(&rand(40, segment::LINE_MAX + 500, ALNUM));
    all.push(' ');
    all.push_str(&format!("ghp_{} tail\n", rand(41, 36, ALNUM)));
    all.push_str(&format!(
        "-----BEGIN RSA PRIVATE KEY-----\n{}\n",
        pem_body(42, 5)
    ));
    let bytes = all.as_bytes();
    let whole = r.redact(bytes);
    assert!(whole.counts.total() > 150);
    let mut rng = Rng::new(2024);
    for round in 0..40 {
        let max = [1usize, 3, 17, 64, 500, 4096, 20_000][round % 7];
        let mut chunks = Vec::new();
        let mut at = 0;
        while at < bytes.len() {
            let n = 1 + rng.below(max);
            let end = (at + n).min(bytes.len());
            chunks.push(&bytes[at..end]);
            at = end;
        }
        let (out, c) = stream_all(&r, &chunks);
        assert!(
            out == whole.bytes.as_ref(),
            "round {round} (max chunk {max}) differs"
        );
        assert_eq!(c, whole.counts, "round {round}");
    }
}

#[test]
fn a_token_split_across_pushes_is_caught() {
    let r = Arc::new(Redactor::builtin());
    let tok = format!("ghp_{}", rand(50, 36, ALNUM));
    let mut s = r.stream();
    let a = s.push(format!("export GH={}", &tok[..10]).as_bytes());
    assert_eq!(a.bytes.as_ref(), b"");
    let b = s.push(format!("{}\nnext", &tok[10..]).as_bytes());
    assert_eq!(b.bytes.as_ref(), b"export GH=[REDACTED:github-pat]\n");
    assert_eq!(s.held(), 4);
    assert_eq!(s.flush().bytes.as_ref(), b"next");
}

#[test]
fn complete_lines_are_emitted_at_once() {
    let r = Arc::new(Redactor::builtin());
    let mut s = r.stream();
    let out = s.push(b"   Compiling foo v0.1.0\n   Compiling bar");
    assert_eq!(out.bytes.as_ref(), b"   Compiling foo v0.1.0\n");
    assert_eq!(s.held(), "   Compiling bar".len());
    let out = s.push(b" v0.2.0\r");
    assert_eq!(out.bytes.as_ref(), b"   Compiling bar v0.2.0\r");
    assert_eq!(s.held(), 0);
}

#[test]
fn hold_back_is_bounded_for_endless_lines() {
    let r = Arc::new(Redactor::builtin());
    let mut s = r.stream();
    let words = format!("{} ", rand(60, 30, ALNUM)).repeat(2000);
    let mut emitted = 0;
    for chunk in words.as_bytes().chunks(1000) {
        emitted += s.push(chunk).bytes.len();
        assert!(s.held() < segment::LINE_MAX + 1000, "held {}", s.held());
    }
    let run = rand(61, 100_000, ALNUM);
    for chunk in run.as_bytes().chunks(1000) {
        emitted += s.push(chunk).bytes.len();
        assert!(s.held() < segment::HARD_MAX + 1000, "held {}", s.held());
    }
    emitted += s.flush().bytes.len();
    assert_eq!(emitted, words.len() + run.len());
}

#[test]
fn private_key_is_held_until_its_end_marker() {
    let r = Arc::new(Redactor::builtin());
    let body = pem_body(70, 6);
    let mut s = r.stream();
    let first = s.push(b"-----BEGIN EC PRIVATE KEY-----\n");
    assert_eq!(first.bytes.as_ref(), b"");
    let mid = s.push(format!("{body}\n").as_bytes());
    assert_eq!(mid.bytes.as_ref(), b"");
    let end = s.push(b"-----END EC PRIVATE KEY-----\nok\n");
    assert_eq!(
        end.bytes.as_ref(),
        b"-----BEGIN EC PRIVATE KEY-----\n[REDACTED:private-key]\n-----END EC PRIVATE KEY-----\nok\n"
    );
}

#[test]
fn idle_flush_inside_a_private_key_keeps_redacting_until_end() {
    let r = Arc::new(Redactor::builtin());
    let mut s = r.stream();
    let l1 = rand(71, 64, B64);
    let l2 = rand(72, 64, B64);
    let a = s.push(format!("-----BEGIN RSA PRIVATE KEY-----\n{l1}\n").as_bytes());
    assert_eq!(a.bytes.as_ref(), b"");
    let idle = s.flush();
    assert_eq!(
        idle.bytes.as_ref(),
        b"-----BEGIN RSA PRIVATE KEY-----\n[REDACTED:private-key]\n"
    );
    let b = s.push(format!("{l2}\n-----END RSA PRIVATE KEY-----\nafter\n").as_bytes());
    assert_eq!(
        b.bytes.as_ref(),
        b"[REDACTED:private-key]\n-----END RSA PRIVATE KEY-----\nafter\n"
    );
    assert_eq!(s.held(), 0);
}

#[test]
fn stream_with_exact_values_and_user_rules_matches_whole() {
    let secret = format!("Qx{}", rand(80, 20, ALNUM));
    let cfg = RedactConfig {
        exact_values: vec![secret.clone()],
        user_rules: vec![UserRule {
            id: "ticket".into(),
            regex: r"[A-Z]{3}-\d{5}".into(),
        }],
        disabled_rules: vec![],
    };
    let r = Arc::new(Redactor::new(&cfg).unwrap());
    let input = format!("a {secret} b ABC-12345 c\nd {secret}\n");
    let whole = r.redact(input.as_bytes());
    assert_eq!(
        String::from_utf8(whole.bytes.to_vec()).unwrap(),
        "a [REDACTED:exact-value] b [REDACTED:ticket] c\nd [REDACTED:exact-value]\n"
    );
    for cut in 0..=input.len() {
        let (out, _) = stream_all(&r, &[&input.as_bytes()[..cut], &input.as_bytes()[cut..]]);
        assert_eq!(out, whole.bytes.as_ref(), "cut {cut}");
    }
}
