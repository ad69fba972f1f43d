//! Approval modes (`untrusted`, `on-request`, `never`, per role and per token) and the
//! approver (`policy.approver_role`, `/v1/approvals`) through the real server.

use serde_json::{json, Value};
use shellwise::config::TokenSettings;
use shellwise::domain::{ApprovalMode, Role};

use crate::helpers::{
    spawn_app_with, TestApp, ADMIN, OPERATOR, OTHER_ADMIN, OTHER_OPERATOR, VIEWER,
};

/// A policy that allows by default and asks before `touch`; the built-in deny set applies.
const CONFIRM_TOUCH: &str = "name = \"approvals-test\"\ndefault = \"allow\"\n\
    [unparseable]\naction = \"deny\"\nreason = \"cannot parse\"\n\
    [[rule]]\nid = \"confirm-touch\"\naction = \"confirm\"\nreason = \"touching files needs a human\"\n\
    program = [\"touch\"]\n";

/// A workspace-backed directory children may write, and the policy file inside it.
fn setup() -> (tempfile::TempDir, String) {
    let dir = crate::helpers::workspace_tempdir();
    std::fs::set_permissions(
        dir.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o777),
    )
    .unwrap();
    let file = dir.path().join("p.toml");
    std::fs::write(&file, CONFIRM_TOUCH).unwrap();
    let path = file.display().to_string();
    (dir, path)
}

fn token_entry(name: &str, role: Role, approval: ApprovalMode) -> TokenSettings {
    TokenSettings {
        name: name.into(),
        role,
        approval: Some(approval),
        value_env: None,
        sha256: None,
        value: Some(format!("unused-{name}")),
    }
}

impl TestApp {
    async fn send_as(&self, method: reqwest::Method, path: &str, token: &str) -> (u16, Value) {
        let res = self
            .client
            .request(method, self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    async fn approve(&self, confirm_token: &str, as_token: &str) -> (u16, Value) {
        self.send_as(
            reqwest::Method::POST,
            &format!("/v1/approvals/{confirm_token}"),
            as_token,
        )
        .await
    }

    async fn reject(&self, confirm_token: &str, as_token: &str) -> (u16, Value) {
        self.send_as(
            reqwest::Method::DELETE,
            &format!("/v1/approvals/{confirm_token}"),
            as_token,
        )
        .await
    }
}

fn code(answer: &(u16, Value)) -> (u16, Option<&str>) {
    (answer.0, answer.1["code"].as_str())
}

#[tokio::test]
async fn each_mode_moves_only_its_own_tier_and_a_token_beats_its_role() {
    let (dir, policy) = setup();
    let root = crate::helpers::workspace_tempdir();
    let root_path = root.path().display().to_string();
    let app = spawn_app_with(move |s| {
        s.policy.file = policy;
        // Operators never confirm; the other operator's own entry makes it untrusted.
        s.policy.approval_roles = [(Role::Operator, ApprovalMode::Never)].into();
        s.auth.tokens = vec![token_entry(
            "other-operator",
            Role::Operator,
            ApprovalMode::Untrusted,
        )];
        s.workspace.per_token = true;
        s.workspace.roots = vec![root_path];
    })
    .await;
    let touch = json!({"command": format!("touch {}", dir.path().join("t").display())});
    let denied = json!({"command": "rm -rf /"});

    // never (the operator role): allow stays allow, confirm becomes deny and says so.
    let r = app
        .post("/v1/exec", OPERATOR, &json!({"command": "echo hi"}))
        .await;
    assert_eq!(
        (r.0, r.1["stdout"].as_str()),
        (200, Some("hi\n")),
        "{}",
        r.1
    );
    let r = app.post("/v1/exec", OPERATOR, &touch).await;
    assert_eq!(code(&r), (403, Some("policy_denied")), "{}", r.1);
    assert_eq!(r.1["ruleId"], "confirm-touch");
    assert_eq!(r.1["approvalMode"], "never");
    assert!(
        r.1["detail"]
            .as_str()
            .unwrap()
            .contains("approval mode `never`"),
        "{}",
        r.1
    );
    assert!(r.1.get("confirmToken").is_none());
    let r = app.post("/v1/exec", OPERATOR, &denied).await;
    assert_eq!(code(&r), (403, Some("policy_denied")));
    assert!(
        r.1.get("approvalMode").is_none(),
        "the policy denied it, not the mode"
    );
    // Jobs and protected file paths consult the same mode.
    let r = app.post("/v1/jobs", OPERATOR, &touch).await;
    assert_eq!(code(&r), (403, Some("policy_denied")), "{}", r.1);
    let put = app
        .client
        .put(app.url("/v1/workspaces/default/files"))
        .bearer_auth(OPERATOR)
        .json(&json!({"path": ".env", "content": "MODE=dev\n"}))
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 403);
    let p: Value = put.json().await.unwrap();
    assert_eq!(
        (
            p["code"].as_str(),
            p["ruleId"].as_str(),
            p["approvalMode"].as_str()
        ),
        (Some("policy_denied"), Some("protected-path"), Some("never"))
    );

    // untrusted (the other operator's own setting beats its role's never).
    let r = app
        .post(
            "/v1/exec",
            OTHER_OPERATOR,
            &json!({"command": "ls -d / && pwd >/dev/null"}),
        )
        .await;
    assert_eq!((r.0, r.1["stdout"].as_str()), (200, Some("/\n")), "{}", r.1);
    let r = app
        .post("/v1/exec", OTHER_OPERATOR, &json!({"command": "ls; make"}))
        .await;
    assert_eq!(code(&r), (409, Some("confirmation_required")), "{}", r.1);
    assert_eq!(r.1["ruleId"], "approval-untrusted");
    assert_eq!(r.1["approvalMode"], "untrusted");
    let r = app.post("/v1/exec", OTHER_OPERATOR, &touch).await;
    assert_eq!(code(&r), (409, Some("confirmation_required")));
    assert_eq!(
        r.1["ruleId"], "confirm-touch",
        "the policy's own rule is named"
    );
    let r = app.post("/v1/exec", OTHER_OPERATOR, &denied).await;
    assert_eq!(code(&r), (403, Some("policy_denied")));

    // on-request (the admin: the server default) is today's behaviour.
    let r = app
        .post("/v1/exec", ADMIN, &json!({"command": "ls; true"}))
        .await;
    assert_eq!(r.0, 200, "{}", r.1);
    let r = app.post("/v1/exec", ADMIN, &touch).await;
    assert_eq!(code(&r), (409, Some("confirmation_required")));
    assert_eq!(r.1["approvalMode"], "on-request");
    let r = app.post("/v1/exec", ADMIN, &denied).await;
    assert_eq!(code(&r), (403, Some("policy_denied")));

    // The dry run reports the effective decision and which mode applied, from where.
    let mut seen = Vec::new();
    for token in [OPERATOR, OTHER_OPERATOR, ADMIN, VIEWER] {
        let (status, d) = app.post("/v1/policy/check", token, &touch).await;
        assert_eq!(status, 200, "{d}");
        let (_, m) = app
            .post("/v1/policy/check", token, &json!({"command": "make"}))
            .await;
        seen.push((
            d["approvalMode"].as_str().unwrap().to_string(),
            d["approvalModeSource"].as_str().unwrap().to_string(),
            d["decision"].as_str().unwrap().to_string(),
            m["decision"].as_str().unwrap().to_string(),
        ));
    }
    let want = |a: &str, b: &str, c: &str, d: &str| {
        (a.to_string(), b.to_string(), c.to_string(), d.to_string())
    };
    assert_eq!(
        seen,
        vec![
            want("never", "role", "deny", "allow"),
            want("untrusted", "token", "confirm", "confirm"),
            want("on-request", "default", "confirm", "allow"),
            want("on-request", "default", "confirm", "allow"),
        ]
    );
}

#[tokio::test]
async fn an_approver_must_approve_a_confirm_token_before_it_runs() {
    let (dir, policy) = setup();
    let audit = dir.path().join("audit.log");
    let audit_path = audit.display().to_string();
    let app = spawn_app_with(move |s| {
        s.policy.file = policy;
        s.policy.approver_role = "admin".into();
        s.audit.file = audit_path;
    })
    .await;
    let target = dir.path().join("t");
    let secret = "ghp_0123456789abcdefghijABCDEFGHIJ012345";
    let body = json!({"command": format!("touch {} # {secret}", target.display())});

    let (status, p) = app.post("/v1/exec", OPERATOR, &body).await;
    assert_eq!(
        (status, p["code"].as_str()),
        (409, Some("confirmation_required")),
        "{p}"
    );
    assert_eq!(p["approverRole"], "admin");
    assert!(
        p["detail"].as_str().unwrap().contains("/v1/approvals/"),
        "{p}"
    );
    let token = p["confirmToken"].as_str().unwrap().to_string();

    // Before approval: a resubmission says it waits, with the same token, with or without it.
    let mut with_token = body.clone();
    with_token["confirmToken"] = json!(token);
    for b in [&with_token, &body] {
        let (status, p) = app.post("/v1/exec", OPERATOR, b).await;
        assert_eq!(
            (status, p["code"].as_str()),
            (409, Some("approval_pending")),
            "{p}"
        );
        assert_eq!(
            p["confirmToken"],
            token.as_str(),
            "no new token while it waits"
        );
        assert_eq!(p["type"], "urn:shellwise:problem:approval_pending");
    }
    assert!(!target.exists());

    // A lower role may neither list nor approve; the list shows the request redacted.
    let r = app.approve(&token, OPERATOR).await;
    assert_eq!(code(&r), (403, Some("insufficient_role")), "{}", r.1);
    let r = app
        .send_as(reqwest::Method::GET, "/v1/approvals", OTHER_OPERATOR)
        .await;
    assert_eq!(code(&r), (403, Some("insufficient_role")));
    let (status, list) = app.get("/v1/approvals", ADMIN).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["approverRole"], "admin");
    let entries = list["approvals"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{list}");
    let e = &entries[0];
    assert_eq!(
        (
            e["token"].as_str(),
            e["status"].as_str(),
            e["ruleId"].as_str(),
            e["requester"].as_str(),
            e["requesterRole"].as_str(),
            e["reason"].as_str(),
            e["approvalMode"].as_str(),
        ),
        (
            Some(token.as_str()),
            Some("pending"),
            Some("confirm-touch"),
            Some("operator"),
            Some("operator"),
            Some("touching files needs a human"),
            Some("on-request"),
        )
    );
    let shown = e["command"].as_str().unwrap();
    assert!(
        shown.starts_with("touch ") && shown.contains("[REDACTED"),
        "{shown}"
    );
    assert!(!list.to_string().contains(secret));
    assert!(e["expiresInSecs"].as_u64().unwrap() > 0);

    // The requester cannot approve its own; another admin can.
    let (_, own) = app
        .post(
            "/v1/exec",
            ADMIN,
            &json!({"command": "touch /nonexistent/x"}),
        )
        .await;
    let own = own["confirmToken"].as_str().unwrap().to_string();
    let r = app.approve(&own, ADMIN).await;
    assert_eq!(code(&r), (403, Some("self_approval_forbidden")), "{}", r.1);
    assert_eq!(r.1["type"], "urn:shellwise:problem:self_approval_forbidden");
    let r = app.approve(&own, OTHER_ADMIN).await;
    assert_eq!(
        (r.0, r.1["status"].as_str()),
        (200, Some("approved")),
        "{}",
        r.1
    );

    let r = app.approve(&token, ADMIN).await;
    assert_eq!(r.0, 200, "{}", r.1);
    assert_eq!(
        (r.1["status"].as_str(), r.1["decidedBy"].as_str()),
        (Some("approved"), Some("admin"))
    );
    let (status, ran) = app.post("/v1/exec", OPERATOR, &with_token).await;
    assert_eq!((status, ran["exitCode"].as_i64()), (200, Some(0)), "{ran}");
    assert!(target.exists());
    // Single use: the replay asks again, with a new token.
    let (status, again) = app.post("/v1/exec", OPERATOR, &with_token).await;
    assert_eq!(
        (status, again["code"].as_str()),
        (409, Some("confirmation_required"))
    );
    assert_ne!(again["confirmToken"], token.as_str());

    // A rejected token is refused, and nothing runs.
    let other = dir.path().join("u");
    let body = json!({"command": format!("touch {}", other.display())});
    let (_, p) = app.post("/v1/exec", OPERATOR, &body).await;
    let rejected = p["confirmToken"].as_str().unwrap().to_string();
    let r = app.reject(&rejected, OTHER_ADMIN).await;
    assert_eq!(
        (r.0, r.1["status"].as_str(), r.1["decidedBy"].as_str()),
        (200, Some("rejected"), Some("other-admin")),
        "{}",
        r.1
    );
    let r = app.approve(&rejected, ADMIN).await;
    assert_eq!(code(&r), (403, Some("approval_rejected")), "{}", r.1);
    let mut b = body.clone();
    b["confirmToken"] = json!(rejected);
    let r = app.post("/v1/exec", OPERATOR, &b).await;
    assert_eq!(code(&r), (403, Some("approval_rejected")), "{}", r.1);
    assert!(r.1["detail"].as_str().unwrap().contains("other-admin"));
    assert!(!other.exists());
    let r = app.approve("cf_nope", ADMIN).await;
    assert_eq!(code(&r), (404, Some("approval_not_found")));

    // Every approval and rejection is in the audit log, redacted.
    let log = std::fs::read_to_string(&audit).unwrap();
    let approvals: Vec<Value> = log
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|r| r["kind"] == "approval")
        .collect();
    let summary: Vec<(String, String)> = approvals
        .iter()
        .map(|r| {
            (
                r["who"].as_str().unwrap().to_string(),
                r["decision"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("other-admin".to_string(), "approved".to_string()),
            ("admin".to_string(), "approved".to_string()),
            ("other-admin".to_string(), "rejected".to_string()),
        ]
    );
    assert!(
        !log.contains(secret),
        "the audit log holds the command redacted"
    );
}

#[tokio::test]
async fn an_approved_token_still_expires() {
    let (_dir, policy) = setup();
    let app = spawn_app_with(move |s| {
        s.policy.file = policy;
        s.policy.approver_role = "admin".into();
        s.policy.confirm_ttl_secs = 1;
    })
    .await;
    let body = json!({"command": "touch /nonexistent/x"});
    let (_, p) = app.post("/v1/exec", OPERATOR, &body).await;
    let token = p["confirmToken"].as_str().unwrap().to_string();
    assert_eq!(app.approve(&token, ADMIN).await.0, 200);
    tokio::time::sleep(std::time::Duration::from_millis(1300)).await;
    let mut b = body.clone();
    b["confirmToken"] = json!(token);
    let (status, p) = app.post("/v1/exec", OPERATOR, &b).await;
    assert_eq!(
        (status, p["code"].as_str()),
        (409, Some("confirmation_required")),
        "{p}"
    );
    assert_ne!(
        p["confirmToken"],
        token.as_str(),
        "an expired token is not honoured"
    );
    let r = app.approve(&token, ADMIN).await;
    assert_eq!(code(&r), (404, Some("approval_not_found")));
}

#[tokio::test]
async fn without_an_approver_the_approval_routes_say_so() {
    let app = spawn_app_with(|_| {}).await;
    let r = app
        .send_as(reqwest::Method::GET, "/v1/approvals", ADMIN)
        .await;
    assert_eq!(code(&r), (404, Some("approvals_not_configured")), "{}", r.1);
    let r = app.approve("cf_x", ADMIN).await;
    assert_eq!(code(&r), (404, Some("approvals_not_configured")));
}
