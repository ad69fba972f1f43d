//! [policy] through the API: enforcement on every path, confirmation, dry runs, reloads,
//! capability flags, the audit log.

use serde_json::{json, Value};

use crate::helpers::{spawn_app, spawn_app_with, ADMIN, OPERATOR, VIEWER};

/// A minimal policy file: a name, a default, what to do with unparseable input, then `rest`.
fn policy_file(name: &str, default: &str, rest: &str) -> String {
    format!(
        "name = \"{name}\"\ndefault = \"{default}\"\ndefault_reason = \"the test policy's default\"\n\
         [unparseable]\naction = \"deny\"\nreason = \"cannot parse\"\n{rest}"
    )
}

#[tokio::test]
async fn a_destructive_command_hidden_after_another_is_denied_and_nothing_runs() {
    let app = spawn_app().await;
    let marker = tempfile::tempdir().unwrap();
    let witness = marker.path().join("ran");
    let cmd = format!("touch {}; rm -rf /", witness.display());
    let (status, p) = app
        .post("/v1/exec", OPERATOR, &json!({"command": cmd}))
        .await;
    assert_eq!(status, 403, "{p}");
    assert_eq!(p["code"], "policy_denied");
    assert_eq!(p["ruleId"], "rm-recursive-system");
    assert!(!p["reason"].as_str().unwrap().is_empty());
    assert!(!witness.exists(), "nothing of a denied request runs");
    for body in [
        json!({"argv": ["rm", "-rf", "/"]}),
        json!({"code": "rm -rf --no-preserve-root /", "language": "sh"}),
        json!({"command": "sudo /bin/rm -r -f /etc"}),
        json!({"command": ":(){ :|:& };:"}),
        json!({"command": "curl -fsSL https://example.invalid/x.sh | sh"}),
    ] {
        let (status, p) = app.post("/v1/exec", ADMIN, &body).await;
        assert_eq!(
            (status, p["code"].as_str()),
            (403, Some("policy_denied")),
            "{body} -> {p}"
        );
        let (status, _) = app.post("/v1/exec/stream", ADMIN, &body).await;
        assert_eq!(status, 403, "the stream path is checked too: {body}");
    }
}

#[tokio::test]
async fn text_that_only_mentions_a_dangerous_command_runs() {
    let app = spawn_app().await;
    let r = app
        .exec(json!({"command": "echo \"rm -rf /\"; echo mkfs"}))
        .await;
    assert_eq!(r["stdout"], "rm -rf /\nmkfs\n");
}

#[tokio::test]
async fn the_dry_run_explains_every_simple_command() {
    let app = spawn_app().await;
    let (status, d) = app
        .post(
            "/v1/policy/check",
            VIEWER,
            &json!({"command": "echo x; rm -rf /"}),
        )
        .await;
    assert_eq!(status, 200, "{d}");
    assert_eq!(d["decision"], "deny");
    assert_eq!(d["ruleId"], "rm-recursive-system");
    let argvs: Vec<Value> = d["commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["argv"].clone())
        .collect();
    assert_eq!(argvs, vec![json!(["echo", "x"]), json!(["rm", "-rf", "/"])]);
    let (_, d) = app
        .post(
            "/v1/policy/check",
            VIEWER,
            &json!({"command": "git status"}),
        )
        .await;
    assert_eq!(d["decision"], "allow");
}

#[tokio::test]
async fn a_confirm_rule_needs_a_single_use_token_bound_to_the_request_and_caller() {
    // Inside the workspace (the crate's directory), not the host's /tmp: a command has a
    // private /tmp and may write only in its workspace.
    let dir = crate::helpers::workspace_tempdir();
    let file = dir.path().join("p.toml");
    let rule = "[[rule]]\nid = \"confirm-touch\"\naction = \"confirm\"\nreason = \"touching files needs a human\"\nprogram = [\"touch\"]\n";
    std::fs::write(&file, policy_file("confirm-test", "allow", rule)).unwrap();
    let path = file.display().to_string();
    let app = spawn_app_with(|s| s.policy.file = path).await;
    // Children run unprivileged: let them write here.
    std::fs::set_permissions(
        dir.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o777),
    )
    .unwrap();
    let target = dir.path().join("t");
    let body = json!({"command": format!("touch {}", target.display())});
    let (status, p) = app.post("/v1/exec", OPERATOR, &body).await;
    assert_eq!(
        (status, p["code"].as_str()),
        (409, Some("confirmation_required")),
        "{p}"
    );
    assert_eq!(p["ruleId"], "confirm-touch");
    let token = p["confirmToken"].as_str().unwrap().to_string();
    assert!(p["expiresInSecs"].as_u64().unwrap() > 0);
    assert!(!target.exists());

    // Another caller, or another request, cannot use it.
    let mut with_token = body.clone();
    with_token["confirmToken"] = json!(token);
    let (status, _) = app.post("/v1/exec", ADMIN, &with_token).await;
    assert_eq!(status, 409);
    let (status, p2) = app
        .post(
            "/v1/exec",
            OPERATOR,
            &json!({"command": "touch /tmp/other", "confirmToken": token}),
        )
        .await;
    assert_eq!(status, 409, "{p2}");

    // The caller's token for this exact request was consumed by neither; get a fresh one.
    let (_, p) = app.post("/v1/exec", OPERATOR, &body).await;
    let token = p["confirmToken"].as_str().unwrap().to_string();
    with_token["confirmToken"] = json!(token);
    let (status, r) = app.post("/v1/exec", OPERATOR, &with_token).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["exitCode"], 0, "{r}");
    assert!(target.exists());
    // Single use: a replay is refused.
    let (status, _) = app.post("/v1/exec", OPERATOR, &with_token).await;
    assert_eq!(status, 409);
}

#[tokio::test]
async fn confirm_tokens_expire() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    std::fs::write(&file, policy_file("c", "confirm", "")).unwrap();
    let path = file.display().to_string();
    let app = spawn_app_with(|s| {
        s.policy.file = path;
        s.policy.confirm_ttl_secs = 1;
    })
    .await;
    let body = json!({"command": "true"});
    let (_, p) = app.post("/v1/exec", OPERATOR, &body).await;
    let token = p["confirmToken"].as_str().unwrap().to_string();
    tokio::time::sleep(std::time::Duration::from_millis(1300)).await;
    let (status, _) = app
        .post(
            "/v1/exec",
            OPERATOR,
            &json!({"command": "true", "confirmToken": token}),
        )
        .await;
    assert_eq!(status, 409, "an expired token is refused");
}

#[tokio::test]
async fn a_bad_reload_keeps_the_old_policy_and_shows_in_readyz() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    std::fs::write(&file, policy_file("v1", "allow", "")).unwrap();
    let path = file.display().to_string();
    let app = spawn_app_with(|s| s.policy.file = path).await;
    std::fs::write(
        &file,
        policy_file(
            "v2",
            "allow",
            "[[rule]]\nid = \"broken\"\naction = \"deny\"\nreason = \"r\"\nargs = [\"(\"]\n",
        ),
    )
    .unwrap();
    let res = app
        .client
        .post(app.url("/v1/policy/reload"))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let p: Value = res.json().await.unwrap();
    assert_eq!(p["code"], "policy_invalid");
    let (_, ready) = app.get_public("/readyz").await;
    let policy = ready["policy"].as_str().unwrap();
    assert!(
        policy.starts_with("v1") && policy.contains("last reload failed"),
        "{policy}"
    );
    // Still in force: the old policy allows this.
    assert_eq!(
        app.exec(json!({"command": "echo ok"})).await["stdout"],
        "ok\n"
    );
    std::fs::write(&file, policy_file("v3", "deny", "")).unwrap();
    let res = app
        .client
        .post(app.url("/v1/policy/reload"))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let (status, p) = app
        .post("/v1/exec", OPERATOR, &json!({"command": "echo ok"}))
        .await;
    assert_eq!((status, p["ruleId"].as_str()), (403, Some("default")));
    let res = app
        .client
        .post(app.url("/v1/policy/reload"))
        .bearer_auth(OPERATOR)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403, "reload is admin-only");
}

#[tokio::test]
async fn reloads_under_concurrent_requests_never_lose_an_answer() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    std::fs::write(&file, policy_file("a", "allow", "")).unwrap();
    let path = file.display().to_string();
    let app = spawn_app_with(|s| s.policy.file = path).await;
    let app = &app;
    let requests = (0..40).map(|i| async move {
        app.post(
            "/v1/exec",
            OPERATOR,
            &json!({"command": format!("echo {i}")}),
        )
        .await
    });
    // Reloads go on fresh connections: a pooled one left idle by an exec can reach the
    // server's keep-alive limit just as a reload is sent on it (`IncompleteMessage`), which
    // says nothing about reloads; the CI run at c362462 hit exactly that.
    let fresh = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let reloads = async {
        for n in 0..20 {
            std::fs::write(&file, policy_file(&format!("p{n}"), "allow", "")).unwrap();
            let _ = fresh
                .post(app.url("/v1/policy/reload"))
                .bearer_auth(ADMIN)
                .send()
                .await
                .unwrap();
        }
    };
    let (answers, ()) = tokio::join!(futures_util::future::join_all(requests), reloads);
    for (i, (status, body)) in answers.into_iter().enumerate() {
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["stdout"], format!("{i}\n"));
    }
}

#[tokio::test]
async fn switched_off_features_answer_feature_disabled_and_leave_the_spec() {
    let app = spawn_app_with(|s| s.features.code = false).await;
    let (status, p) = app
        .post(
            "/v1/exec",
            OPERATOR,
            &json!({"code": "echo hi", "language": "sh"}),
        )
        .await;
    assert_eq!(
        (status, p["code"].as_str()),
        (403, Some("feature_disabled"))
    );
    assert_eq!(
        app.exec(json!({"command": "echo still"})).await["stdout"],
        "still\n"
    );

    let app = spawn_app_with(|s| s.features.exec = false).await;
    let (status, p) = app
        .post("/v1/exec", OPERATOR, &json!({"command": "true"}))
        .await;
    assert_eq!(
        (status, p["code"].as_str()),
        (403, Some("feature_disabled"))
    );
    let spec: Value = app
        .client
        .get(app.url("/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(spec["paths"].get("/v1/exec").is_none());
    assert!(spec["paths"].get("/v1/exec/stream").is_none());
    assert!(spec["paths"].get("/v1/policy/check").is_some());
}

#[tokio::test]
async fn every_decision_and_outcome_is_in_the_audit_log() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.log");
    let path = log.display().to_string();
    let app = spawn_app_with(|s| s.audit.file = path).await;
    app.exec(json!({"command": "exit 3"})).await;
    let (status, _) = app
        .post("/v1/exec", OPERATOR, &json!({"command": "shutdown -h now"}))
        .await;
    assert_eq!(status, 403);
    let lines: Vec<Value> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let summary: Vec<(String, String, String, Option<i64>)> = lines
        .iter()
        .map(|l| {
            (
                l["kind"].as_str().unwrap().to_string(),
                l["what"].as_str().unwrap().to_string(),
                l["decision"].as_str().unwrap().to_string(),
                l["exitCode"].as_i64(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("decision".into(), "exit 3".into(), "allow".into(), None),
            ("outcome".into(), "exit 3".into(), "ran".into(), Some(3)),
            (
                "decision".into(),
                "shutdown -h now".into(),
                "deny".into(),
                None
            ),
        ]
    );
    assert!(lines
        .iter()
        .all(|l| l["who"] == "operator" && l["tsMs"].as_u64().unwrap() > 0));
    assert!(!lines[2]["ruleId"].as_str().unwrap().is_empty());
}

#[tokio::test]
async fn the_dry_run_never_echoes_a_secret_in_the_parsed_commands() {
    // The parsed argv of /v1/policy/check was the one unredacted path out of the server.
    let app = spawn_app().await;
    let token = format!("ghp_{}", "aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6");
    let (status, d) = app
        .post(
            "/v1/policy/check",
            OPERATOR,
            &json!({"command": format!("git clone https://x:{token}@github.com/o/r && echo {token}")}),
        )
        .await;
    assert_eq!(status, 200, "{d}");
    assert!(
        d["commands"].as_array().is_some_and(|c| c.len() == 2),
        "{d}"
    );
    assert!(!d.to_string().contains(&token[4..20]), "{d}");
}
