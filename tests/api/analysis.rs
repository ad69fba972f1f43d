use serde_json::json;

use crate::helpers::{parse_sse, spawn_app, ANALYST, OPERATOR, VIEWER};

#[tokio::test]
async fn a_failed_command_comes_back_with_a_structured_analysis() {
    let app = spawn_app().await;
    let r = app
        .exec(json!({"command": "definitely-not-installed-xyz --version"}))
        .await;
    assert_eq!(r["exitCode"], 127);
    let a = &r["aiAnalysis"];
    assert_eq!(a["category"], "command_not_found", "{a}");
    assert_eq!(a["source"], "heuristic");
    assert!(
        a["summary"]
            .as_str()
            .unwrap()
            .contains("definitely-not-installed-xyz"),
        "{a}"
    );
    let evidence: Vec<&str> = a["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    assert!(
        evidence
            .iter()
            .all(|line| r["stderr"].as_str().unwrap().contains(line)),
        "evidence is quoted from stderr"
    );
    let confidence = a["confidence"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&confidence));
    for fix in a["fixes"].as_array().unwrap() {
        if fix.get("command").is_some_and(|c| c.is_string()) {
            assert_eq!(
                fix["policyDecision"], "allow",
                "every suggested command is checked: {fix}"
            );
        }
    }
}

#[tokio::test]
async fn analysis_follows_the_requested_mode() {
    let app = spawn_app().await;
    let ok = app.exec(json!({"command": "true"})).await;
    assert!(ok.get("aiAnalysis").is_none());
    let always = app
        .exec(json!({"command": "true", "analyze": "always"}))
        .await;
    assert!(always["aiAnalysis"].is_object());
    let never = app
        .exec(json!({"command": "exit 3", "analyze": "never"}))
        .await;
    assert!(never.get("aiAnalysis").is_none());
    let timeout = app
        .exec(json!({"command": "sleep 5", "timeoutMs": 200}))
        .await;
    assert_eq!(timeout["aiAnalysis"]["category"], "timeout");
}

#[tokio::test]
async fn a_failed_stream_ends_with_an_analysis_event() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url("/v1/exec/stream"))
        .bearer_auth(OPERATOR)
        .json(&json!({"command": "cat /no/such/file"}))
        .send()
        .await
        .unwrap();
    let mut text = res.text().await.unwrap();
    let events = parse_sse(&mut text);
    let names: Vec<&str> = events.iter().map(|e| e.event.as_str()).collect();
    assert_eq!(
        names[names.len() - 3..],
        ["exit", "analysis", "end"],
        "{names:?}"
    );
    assert_eq!(events[events.len() - 2].data["category"], "file_not_found");
}

#[tokio::test]
async fn a_ci_log_can_be_analyzed_without_running_anything() {
    let app = spawn_app().await;
    let body = json!({
        "command": "python3 app.py",
        "exitCode": 1.0,
        "stderr": "Traceback (most recent call last):\n  File \"app.py\", line 1, in <module>\n    import yaml\nModuleNotFoundError: No module named 'yaml'\n"
    });
    let (status, a) = app.post("/v1/analyze", ANALYST, &body).await;
    assert_eq!(status, 200, "{a}");
    assert_eq!(a["category"], "missing_dependency");
    let commands: Vec<&str> = a["fixes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["command"].as_str())
        .collect();
    assert!(
        commands.iter().any(|c| c.contains("PyYAML")),
        "{commands:?}"
    );
    let (status, p) = app.post("/v1/analyze", VIEWER, &body).await;
    assert_eq!(
        (status, p["code"].as_str()),
        (403, Some("insufficient_role"))
    );
    let (status, p) = app
        .post("/v1/analyze", ANALYST, &json!({"exitCode": 1}))
        .await;
    assert_eq!(
        (status, p["code"].as_str()),
        (400, Some("invalid_type")),
        "{p}"
    );
}

#[tokio::test]
async fn a_step_killed_by_a_signal_has_no_exit_code_and_is_analyzed_by_its_signal() {
    let app = spawn_app().await;
    let killed = |signal: serde_json::Value| json!({"command": "cargo build --release", "stderr": "   Compiling serde v1.0\n", "signal": signal});
    let (status, a) = app
        .post("/v1/analyze", ANALYST, &killed(json!("SIGKILL")))
        .await;
    assert_eq!(status, 200, "{a}");
    assert_eq!(a["category"], "killed", "{a}");
    assert!(a["summary"].as_str().unwrap().contains("SIGKILL"), "{a}");
    let mut explicit_null = killed(json!("SIGKILL"));
    explicit_null["exitCode"] = json!(null);
    for body in [explicit_null, killed(json!(9)), killed(json!(9.0))] {
        let (status, b) = app.post("/v1/analyze", ANALYST, &body).await;
        assert_eq!(status, 200, "{body}: {b}");
        assert_eq!(b["category"], a["category"], "{body}");
    }
    for (body, code) in [
        (json!({"command": "x", "exitCode": null}), "invalid_request"),
        (json!({"command": "x"}), "invalid_request"),
        (json!({"command": "x", "signal": "SIGNOPE"}), "invalid_type"),
        (json!({"command": "x", "signal": 0}), "invalid_type"),
        (json!({"command": "x", "signal": 65}), "invalid_type"),
    ] {
        let (status, p) = app.post("/v1/analyze", ANALYST, &body).await;
        assert_eq!(
            (status, p["code"].as_str()),
            (400, Some(code)),
            "{body}: {p}"
        );
    }
    let spec: serde_json::Value = serde_json::from_str(&shellwise::api::openapi_json()).unwrap();
    let schema = &spec["components"]["schemas"]["AnalyzeRequest"];
    let properties = &schema["allOf"][0]["properties"];
    assert_eq!(properties["exitCode"]["type"], json!(["integer", "null"]));
    let signal = properties["signal"]["oneOf"].as_array().unwrap();
    assert_eq!(
        signal[0],
        json!({"type": "integer", "minimum": 1, "maximum": 64})
    );
    assert!(signal[1]["enum"]
        .as_array()
        .unwrap()
        .contains(&json!("SIGKILL")));
    assert_eq!(signal[2], json!({"type": "null"}));
    assert_eq!(
        schema["allOf"][1]["anyOf"],
        json!([
            {"type": "object", "required": ["exitCode"], "properties": {"exitCode": {"type": "integer"}}},
            {"type": "object", "required": ["signal"], "properties": {"signal": {"type": ["integer", "string"]}}}
        ])
    );
}
