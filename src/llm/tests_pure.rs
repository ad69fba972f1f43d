//! Table tests for the pure parts: framing, error mapping, backoff, breaker, planning,
//! structured-output checks.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use serde_json::json;

use super::breaker::{Admission, Breaker};
use super::classify::{
    backoff, classify_status, retryable_status, sanitize_name, says_model_not_found,
    truncate_message,
};
use super::framing::{FrameError, LineSplitter, SseAssembler, SseEvent};
use super::plan::{plan, Candidate, Step};
use super::structured::{extract_json_object, validate};
use super::wire::StructuredOutput;
use super::*;

#[test]
fn line_splitter_joins_a_character_split_at_every_byte_offset() {
    let text = "a é 🦀 z\n{\"x\":\"ü\"}\r\n";
    for cut in 0..=text.len() {
        let mut s = LineSplitter::new(1024);
        let mut lines = s.push(&text.as_bytes()[..cut]).unwrap();
        lines.extend(s.push(&text.as_bytes()[cut..]).unwrap());
        assert_eq!(
            lines,
            vec!["a é 🦀 z".to_string(), "{\"x\":\"ü\"}".to_string()],
            "cut at {cut}"
        );
        assert_eq!(s.finish(), Ok(None));
    }
}

#[test]
fn line_splitter_caps_lines_and_rejects_invalid_utf8() {
    let mut s = LineSplitter::new(4);
    assert_eq!(s.push(b"abcd\n"), Ok(vec!["abcd".to_string()]));
    assert_eq!(s.push(b"abc"), Ok(vec![]));
    assert_eq!(s.push(b"de"), Err(FrameError::LineTooLong(4)));
    let mut s = LineSplitter::new(16);
    assert_eq!(s.push(b"\xff\xfe\n"), Err(FrameError::InvalidUtf8));
    let mut s = LineSplitter::new(16);
    assert_eq!(s.push(b"tail"), Ok(vec![]));
    assert_eq!(s.finish(), Ok(Some("tail".to_string())));
}

#[test]
fn sse_assembler_follows_the_event_stream_rules() {
    let input = ": comment\nevent: message_start\ndata: {\"a\":1}\n\ndata:x\ndata: y\n\nid: 7\n\nevent: ping\n";
    let mut a = SseAssembler::default();
    let events: Vec<SseEvent> = input.split('\n').filter_map(|l| a.line(l)).collect();
    assert_eq!(
        events,
        vec![
            SseEvent {
                event: Some("message_start".into()),
                data: "{\"a\":1}".into()
            },
            SseEvent {
                event: None,
                data: "x\ny".into()
            },
        ]
    );
    // An event with no data is not dispatched; trailing data without a blank line is.
    assert_eq!(a.finish(), None);
    a.line("data: last");
    assert_eq!(
        a.finish(),
        Some(SseEvent {
            event: None,
            data: "last".into()
        })
    );
}

#[test]
fn status_classification_table() {
    let mnf = LlmError::ModelNotFound {
        provider: "p".into(),
        model: "m".into(),
    };
    let up = |status: u16, message: &str| LlmError::Upstream {
        provider: "p".into(),
        status: Some(status),
        message: message.into(),
    };
    let cases: Vec<(u16, &[u8], LlmError)> = vec![
        (404, br#"{"error":"model 'm' not found"}"#, mnf.clone()),
        (404, br#"{"error":{"message":"x","type":"invalid_request_error","code":null}}"#, mnf.clone()),
        (404, br#"{"type":"error","error":{"type":"not_found_error","message":"model: m"}}"#, mnf.clone()),
        (400, br#"{"error":{"message":"x","code":"model_not_found"}}"#, mnf.clone()),
        (400, b"The model m does not exist", mnf.clone()),
        (422, br#"{"detail":"Unknown model: m"}"#, mnf.clone()),
        (404, b"404 page not found", up(404, "404 page not found (check base_url)")),
        (404, b"", up(404, "endpoint not found (check base_url)")),
        (400, br#"{"error":{"message":"max_tokens too large","code":null}}"#, up(400, "max_tokens too large")),
        (401, br#"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"#, up(401, "invalid x-api-key")),
        (500, b"<html>oops</html>", up(500, "<html>oops</html>")),
        (503, br#"{"message":"loading"}"#, up(503, "loading")),
        (429, br#"{"error":"slow"}"#, LlmError::RateLimited { provider: "p".into() }),
    ];
    for (status, body, want) in cases {
        assert_eq!(
            classify_status("p", "m", status, body),
            want,
            "{status} {}",
            String::from_utf8_lossy(body)
        );
    }
}

#[test]
fn model_not_found_wording_table() {
    let yes = [
        "model 'llama9' not found",
        "The model `gpt-9` does not exist or you do not have access to it.",
        "gpt-9 is not a valid model ID",
        "Unknown model: foo",
        "No such model",
    ];
    let no = [
        "not found",
        "context length exceeded for model",
        "Invalid API key",
        "model is loading",
    ];
    for m in yes {
        assert!(says_model_not_found(m), "{m}");
    }
    for m in no {
        assert!(!says_model_not_found(m), "{m}");
    }
}

#[test]
fn retryable_statuses_are_429_and_5xx_only() {
    let got: Vec<u16> = [
        200, 400, 401, 403, 404, 408, 409, 422, 429, 500, 502, 503, 529,
    ]
    .into_iter()
    .filter(|s| retryable_status(*s))
    .collect();
    assert_eq!(got, vec![429, 500, 502, 503, 529]);
}

#[test]
fn backoff_doubles_with_jitter_and_respects_caps() {
    let base = Duration::from_millis(100);
    let max = Duration::from_secs(1);
    let ms = |d: Duration| d.as_millis();
    assert_eq!(
        (0..6)
            .map(|r| ms(backoff(r, base, max, 0.0, None)))
            .collect::<Vec<_>>(),
        vec![100, 200, 400, 800, 1000, 1000]
    );
    assert_eq!(ms(backoff(0, base, max, 0.5, None)), 150);
    assert_eq!(ms(backoff(2, base, max, 1.0, None)), 800);
    assert_eq!(ms(backoff(3, base, max, 1.0, None)), 1000);
    assert_eq!(
        ms(backoff(0, base, max, 0.0, Some(Duration::from_secs(30)))),
        1000
    );
    assert_eq!(
        ms(backoff(0, base, max, 0.9, Some(Duration::from_millis(20)))),
        20
    );
    assert_eq!(ms(backoff(u32::MAX, base, max, 0.0, None)), 1000);
}

#[test]
fn breaker_state_machine() {
    let t0 = Instant::now();
    let cool = Duration::from_secs(30);
    let mut b = Breaker::new(3, cool);
    assert_eq!(b.try_acquire(t0), Some(Admission::Closed));
    assert!(!b.on_failure(t0, "timeout"));
    assert!(!b.on_failure(t0, "timeout"));
    b.on_success();
    assert!(!b.on_failure(t0, "timeout"));
    assert!(!b.on_failure(t0, "timeout"));
    assert!(b.on_failure(t0, "connect"));
    assert_eq!(b.state(t0), BreakerState::Open);
    assert_eq!(b.try_acquire(t0 + Duration::from_secs(29)), None);
    let t1 = t0 + cool;
    assert_eq!(b.state(t1), BreakerState::HalfOpen);
    assert_eq!(b.try_acquire(t1), Some(Admission::Probe));
    assert_eq!(b.try_acquire(t1), None, "one probe at a time");
    assert!(b.on_failure(t1, "timeout"), "failed probe reopens");
    assert_eq!(b.state(t1 + Duration::from_secs(1)), BreakerState::Open);
    let t2 = t1 + cool;
    assert_eq!(b.try_acquire(t2), Some(Admission::Probe));
    b.on_neutral();
    assert_eq!(
        b.try_acquire(t2),
        Some(Admission::Probe),
        "abandoned probe frees the slot"
    );
    b.on_success();
    assert_eq!(
        (b.state(t2), b.consecutive_failures()),
        (BreakerState::Closed, 0)
    );
}

#[test]
fn plan_table() {
    let m = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let (ma, mb, mc, none) = (m(&["a1", "a2"]), m(&["b1"]), m(&["c1"]), m(&[]));
    let cands = |avail: [bool; 4]| {
        vec![
            Candidate {
                name: "a",
                priority: 1,
                models: &ma,
                available: avail[0],
            },
            Candidate {
                name: "b",
                priority: 5,
                models: &mb,
                available: avail[1],
            },
            Candidate {
                name: "c",
                priority: 5,
                models: &mc,
                available: avail[2],
            },
            Candidate {
                name: "d",
                priority: 9,
                models: &none,
                available: avail[3],
            },
        ]
    };
    let step = |index, model: Option<&str>, explicit_model| Step {
        index,
        model: model.map(str::to_string),
        explicit_model,
    };
    let all = [true; 4];
    // Nothing named: best priority first (d has no model), ties in configuration order.
    assert_eq!(
        plan(&cands(all), None, None, None).unwrap(),
        vec![
            step(3, None, false),
            step(1, Some("b1"), false),
            step(2, Some("c1"), false),
            step(0, Some("a1"), false)
        ]
    );
    // Open breakers are skipped.
    assert_eq!(
        plan(&cands([true, false, true, false]), None, None, None).unwrap(),
        vec![step(2, Some("c1"), false), step(0, Some("a1"), false)]
    );
    // Named provider and model.
    assert_eq!(
        plan(&cands(all), Some("a"), Some("a2"), None).unwrap(),
        vec![
            step(0, Some("a2"), true),
            step(1, Some("b1"), false),
            step(2, Some("c1"), false)
        ]
    );
    // Model alone finds the provider that lists it.
    assert_eq!(
        plan(&cands(all), None, Some("c1"), None).unwrap()[0],
        step(2, Some("c1"), true)
    );
    // Selected default; a named provider uses the selected model only if it is selected.
    assert_eq!(
        plan(&cands(all), None, None, Some(("a", "zz"))).unwrap()[0],
        step(0, Some("zz"), false)
    );
    assert_eq!(
        plan(&cands(all), Some("a"), None, Some(("a", "zz"))).unwrap()[0],
        step(0, Some("zz"), false)
    );
    assert_eq!(
        plan(&cands(all), Some("b"), None, Some(("a", "zz"))).unwrap()[0],
        step(1, Some("b1"), false)
    );
    assert_eq!(
        plan(&cands(all), Some("x"), None, None),
        Err(LlmError::UnknownProvider("x".into()))
    );
    assert_eq!(plan(&[], None, None, None), Err(LlmError::NoProviders));
}

#[test]
fn json_object_extraction_table() {
    let want = json!({"a": 1});
    for text in [
        r#"{"a":1}"#,
        "  {\"a\": 1}\n",
        "```json\n{\"a\":1}\n```",
        "```\n{\"a\":1}\n```\n",
        "Here it is: {\"a\":1} hope that helps",
    ] {
        assert_eq!(extract_json_object(text), Ok(want.clone()), "{text}");
    }
    assert_eq!(
        extract_json_object("[1,2]"),
        Err("the answer is JSON but not an object".into())
    );
    assert_eq!(
        extract_json_object("   "),
        Err("the answer is empty".into())
    );
    assert!(extract_json_object("no json")
        .unwrap_err()
        .starts_with("the answer is not valid JSON"));
}

#[test]
fn validation_checks_required_keys_and_objects() {
    let schema = json!({"type":"object","required":["a","b"]});
    assert_eq!(
        validate(StructuredOutput::Value(json!({"a":1,"b":null})), &schema),
        Ok(json!({"a":1,"b":null}))
    );
    let err = validate(StructuredOutput::Text(r#"{"a":1}"#.into()), &schema).unwrap_err();
    assert_eq!(
        (err.text.as_str(), err.reason.as_str()),
        (r#"{"a":1}"#, "required keys are missing: b")
    );
    let err = validate(StructuredOutput::Value(json!("str")), &schema).unwrap_err();
    assert_eq!(err.reason, "the answer is JSON but not an object");
}

#[test]
fn names_and_messages_are_sanitized_and_capped() {
    assert_eq!(sanitize_name("failure analysis/v1"), "failure_analysis_v1");
    assert_eq!(sanitize_name(""), "result");
    assert_eq!(sanitize_name(&"x".repeat(100)).len(), 64);
    let long = "é".repeat(600);
    let cut = truncate_message(&long);
    assert_eq!(cut.chars().count(), 501);
    assert!(cut.ends_with('…'));
}

#[test]
fn error_kinds_are_stable() {
    let p = || "p".to_string();
    let kinds: Vec<&str> = [
        LlmError::NoProviders,
        LlmError::UnknownProvider(p()),
        LlmError::ModelNotFound {
            provider: p(),
            model: p(),
        },
        LlmError::NoModel { provider: p() },
        LlmError::Upstream {
            provider: p(),
            status: None,
            message: p(),
        },
        LlmError::Timeout { provider: p() },
        LlmError::Connect {
            provider: p(),
            message: p(),
        },
        LlmError::RateLimited { provider: p() },
        LlmError::CircuitOpen { provider: p() },
        LlmError::Malformed {
            provider: p(),
            message: p(),
        },
        LlmError::InvalidConfig {
            provider: p(),
            message: p(),
        },
        LlmError::AllFailed(vec![]),
    ]
    .iter()
    .map(LlmError::kind)
    .collect();
    assert_eq!(
        kinds,
        vec![
            "no_providers",
            "unknown_provider",
            "model_not_found",
            "no_model",
            "upstream",
            "timeout",
            "connect",
            "rate_limited",
            "circuit_open",
            "malformed",
            "invalid_config",
            "all_failed"
        ]
    );
}
