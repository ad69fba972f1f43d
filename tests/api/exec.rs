use std::time::Duration;

use base64::Engine as _;
use serde_json::json;

use crate::helpers::{spawn_app, spawn_app_with, wait_none_running};

#[tokio::test]
async fn a_failing_shell_command_is_a_200_with_its_exit_code_and_both_streams() {
    let app = spawn_app().await;
    let r = app
        .exec(json!({"command": "echo out; echo err >&2; exit 3"}))
        .await;
    assert_eq!(r["exitCode"], 3);
    assert_eq!(r["signal"], json!(null));
    assert_eq!(r["timedOut"], false);
    assert_eq!(r["limit"], json!(null));
    assert_eq!(r["stdout"], "out\n");
    assert_eq!(r["stderr"], "err\n");
    assert_eq!(r["stdoutBytes"], 4);
    assert_eq!(r["stderrBytes"], 4);
    assert_eq!(r["stdoutTruncated"], false);
    assert_eq!(r["outputEncoding"], "text");
    assert!(r["id"].as_str().unwrap().starts_with("ex_"));
    let enforced = r["limitsEnforced"].as_array().unwrap();
    assert_eq!(
        enforced[..3],
        [
            json!({"limit": "process_group", "value": null, "by": "supervisor"}),
            json!({"limit": "wall_time", "value": 30000, "by": "supervisor"}),
            json!({"limit": "output", "value": 8388608, "by": "supervisor"}),
        ]
    );
}

#[tokio::test]
async fn argv_runs_without_a_shell_so_metacharacters_are_literal() {
    let app = spawn_app().await;
    let r = app
        .exec(json!({"argv": ["printf", "%s|", "a b", "$HOME; rm -rf /", "c"]}))
        .await;
    assert_eq!(r["exitCode"], 0);
    assert_eq!(r["stdout"], "a b|$HOME; rm -rf /|c|");
}

#[tokio::test]
async fn a_missing_program_reports_127_like_a_shell() {
    let app = spawn_app().await;
    let r = app
        .exec(json!({"argv": ["no-such-program-xyz", "--help"]}))
        .await;
    assert_eq!(r["exitCode"], 127);
    assert_eq!(
        r["stderr"],
        "shellwise: no-such-program-xyz: command not found\n"
    );
    let dir = tempfile::tempdir().unwrap();
    for (name, mode) in [("plain.txt", 0o644)] {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.path().join(name);
        std::fs::write(&path, "just text\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        let r = app.exec(json!({"argv": [path.to_str().unwrap()]})).await;
        assert_eq!(r["exitCode"], 126, "{name}: {r}");
        assert_eq!(
            r["stderr"],
            format!("shellwise: {}: permission denied\n", path.display())
        );
    }
}

#[tokio::test]
async fn code_runs_with_the_named_interpreter() {
    let app = spawn_app().await;
    let r = app
        .exec(json!({"code": "echo $((6*7))", "language": "sh"}))
        .await;
    assert_eq!(r["stdout"], "42\n");
    let r = app
        .exec(json!({"code": "for i in 1 2; do echo \"n$i\"; done", "language": "bash"}))
        .await;
    assert_eq!(r["stdout"], "n1\nn2\n");
    if app
        .service
        .interpreters()
        .iter()
        .any(|i| i.language == "python")
    {
        let r = app
            .exec(json!({"code": "print(sum(range(10)))", "language": "python"}))
            .await;
        assert_eq!(r["stdout"], "45\n", "{r}");
    }
}

#[tokio::test]
async fn stdin_cwd_and_env_reach_the_child() {
    let app = spawn_app_with(|s| {
        s.workspace.roots = vec![
            "/tmp".into(),
            std::env::current_dir().unwrap().display().to_string(),
        ]
    })
    .await;
    let r = app
        .exec(json!({"command": "wc -l", "stdin": "a\nb\nc\n"}))
        .await;
    assert_eq!(r["stdout"].as_str().unwrap().trim(), "3");
    let r = app.exec(json!({"command": "pwd", "cwd": "/tmp"})).await;
    assert_eq!(r["stdout"], "/tmp\n");
    let r = app
        .exec(json!({"command": "printf %s \"$GREETING\"", "env": {"GREETING": "hello there"}}))
        .await;
    assert_eq!(r["stdout"], "hello there");
    let r = app.exec(json!({"command": "cat"})).await;
    assert_eq!(r["stdout"], "", "stdin is /dev/null when none is given");
}

#[tokio::test]
async fn the_servers_own_secrets_never_reach_a_child() {
    // SAFETY of the test: the variable is unique to this test; readers only look it up.
    std::env::set_var("SHELLWISE_TEST_CANARY_TOKEN", "canary-9f8e7d");
    let app = spawn_app_with(|s| {
        s.exec
            .env_passthrough
            .push("SHELLWISE_TEST_CANARY_TOKEN".into());
    })
    .await;
    let r = app.exec(json!({"command": "env"})).await;
    let out = r["stdout"].as_str().unwrap();
    assert!(!out.contains("canary-9f8e7d"), "{out}");
    let mut names: Vec<&str> = out
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, _)| k)
        .collect();
    names.sort();
    names.retain(|n| !["PWD", "SHLVL", "_", "OLDPWD"].contains(n));
    let allowed = [
        "PATH", "HOME", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "TERM", "TZ", "USER", "LOGNAME",
        "TMPDIR",
    ];
    for name in names {
        assert!(
            allowed.contains(&name),
            "unexpected variable {name} in child env"
        );
    }
}

#[tokio::test]
async fn integral_floats_are_accepted_for_integer_fields() {
    let app = spawn_app().await;
    let r = app
        .exec(json!({"command": "echo ok", "timeoutMs": 670.0}))
        .await;
    assert_eq!(r["stdout"], "ok\n");
}

#[tokio::test]
async fn a_timeout_kills_the_whole_group_including_a_grandchild() {
    let app = spawn_app_with(|s| s.exec.kill_grace_ms = 300).await;
    let started = std::time::Instant::now();
    let r = app
        .exec(json!({"command": "sleep 100.161 & echo $!; trap '' TERM; sleep 100", "timeoutMs": 400}))
        .await;
    let took = started.elapsed();
    assert_eq!(r["timedOut"], true);
    assert_eq!(r["limit"], "wall_time");
    assert_eq!(r["exitCode"], 124);
    assert_eq!(
        r["signal"], "SIGKILL",
        "SIGTERM was trapped, so SIGKILL ended it: {r}"
    );
    assert!(took < Duration::from_secs(5), "took {took:?}");
    // It was started (its pid, inside the command's namespace, was printed) and is gone.
    let _: u32 = r["stdout"].as_str().unwrap().trim().parse().unwrap();
    assert_eq!(
        wait_none_running(&["sleep", "100.161"], Duration::from_secs(1)).await,
        Vec::<u32>::new()
    );
}

#[tokio::test]
async fn a_background_grandchild_neither_holds_the_request_nor_outlives_it() {
    let app = spawn_app().await;
    let started = std::time::Instant::now();
    let r = app
        .exec(json!({"command": "sleep 100.187 & echo $!"}))
        .await;
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(r["exitCode"], 0);
    let _: u32 = r["stdout"].as_str().unwrap().trim().parse().unwrap();
    assert_eq!(
        wait_none_running(&["sleep", "100.187"], Duration::from_secs(1)).await,
        Vec::<u32>::new()
    );
    // A grandchild that keeps the pipes open is cut off after the drain period too.
    let r = app
        .exec(json!({"command": "(sleep 100.197; echo late) & echo $!"}))
        .await;
    let _: u32 = r["stdout"].as_str().unwrap().trim().parse().unwrap();
    assert_eq!(
        wait_none_running(&["sleep", "100.197"], Duration::from_secs(1)).await,
        Vec::<u32>::new()
    );
}

#[tokio::test]
async fn a_10_mb_flood_is_capped_inline_with_head_tail_and_exact_counts() {
    let app = spawn_app_with(|s| s.limits.default.output_bytes = 32 * 1024 * 1024).await;
    let r = app
        .exec(json!({"command": "echo START; head -c 10000000 /dev/zero | tr '\\0' x; echo; echo END"}))
        .await;
    assert_eq!(r["exitCode"], 0);
    assert_eq!(r["stdoutBytes"], 6 + 10_000_000 + 1 + 4);
    assert_eq!(r["stdoutTruncated"], true);
    let out = r["stdout"].as_str().unwrap();
    assert!(out.starts_with("START\nxxxx"));
    assert!(out.ends_with("xxxx\nEND\n"));
    let omitted = &r["stdoutOmitted"];
    let (offset, length) = (
        omitted["offset"].as_u64().unwrap(),
        omitted["length"].as_u64().unwrap(),
    );
    assert_eq!(offset, 32 * 1024);
    assert_eq!(offset + length + 32 * 1024, 10_000_011);
    let marker = format!(
        "[... shellwise: {length} bytes omitted (bytes {offset}..{}) ...]",
        offset + length
    );
    assert!(out.contains(&marker), "marker missing");
    assert_eq!(out.len(), 64 * 1024 + marker.len() + 2);
}

#[tokio::test]
async fn a_flood_past_the_total_output_limit_is_stopped_and_says_so() {
    let app = spawn_app_with(|s| s.limits.default.output_bytes = 1024 * 1024).await;
    let r = app.exec(json!({"command": "yes"})).await;
    assert_eq!(r["limit"], "output");
    assert_eq!(r["timedOut"], false);
    assert_eq!(r["stdoutBytes"], 1024 * 1024);
    assert_eq!(r["stdoutTruncated"], true);
    // The server is healthy afterwards.
    let r = app.exec(json!({"command": "echo still here"})).await;
    assert_eq!(r["stdout"], "still here\n");
}

#[tokio::test]
async fn invalid_utf8_is_replaced_in_text_and_exact_in_base64() {
    let app = spawn_app().await;
    let cmd = r"printf 'ok\377\376end \342\202\254'";
    let r = app.exec(json!({"command": cmd})).await;
    assert_eq!(r["stdout"], "ok\u{FFFD}\u{FFFD}end €");
    let r = app
        .exec(json!({"command": cmd, "outputEncoding": "base64"}))
        .await;
    assert_eq!(r["outputEncoding"], "base64");
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(r["stdout"].as_str().unwrap())
        .unwrap();
    assert_eq!(bytes, b"ok\xff\xfeend \xe2\x82\xac");
}

#[tokio::test]
async fn fifty_concurrent_requests_each_get_their_own_output() {
    let app = spawn_app().await;
    let futures = (0..50).map(|i| {
        let app = &app;
        async move {
            let r = app
                .exec(json!({"command": format!("echo request-{i}")}))
                .await;
            (i, r)
        }
    });
    let results = futures_util::future::join_all(futures).await;
    for (i, r) in results {
        assert_eq!(r["stdout"], format!("request-{i}\n"));
        assert_eq!(r["exitCode"], 0);
    }
    assert_eq!(app.service.engine().running(), 0);
}

#[tokio::test]
async fn a_shell_can_be_chosen_from_the_allowed_list() {
    let app = spawn_app().await;
    let r = app
        .exec(json!({"command": "echo ${BASH_VERSION:+bash}", "shell": "bash"}))
        .await;
    assert_eq!(r["stdout"], "bash\n");
}

#[tokio::test]
async fn a_timeout_reaches_a_sigterm_handler_and_does_not_wait_out_the_grace_for_a_lone_sleep() {
    // Each command is pid 1 of its own namespace, which only receives signals it handles.
    let app = spawn_app_with(|s| s.exec.kill_grace_ms = 5000).await;
    let code = "import signal, sys, time\n\
        signal.signal(signal.SIGTERM, lambda *a: (print('bye', flush=True), sys.exit(3)))\n\
        time.sleep(60)";
    let r = app
        .exec(json!({"code": code, "language": "python", "timeoutMs": 400}))
        .await;
    assert_eq!(
        (r["timedOut"].clone(), r["stdout"].clone()),
        (json!(true), json!("bye\n")),
        "{r}"
    );
    assert_eq!(r["exitCode"], 124, "{r}");

    let started = std::time::Instant::now();
    let r = app
        .exec(json!({"argv": ["sleep", "60"], "timeoutMs": 300}))
        .await;
    assert_eq!(
        (r["timedOut"].clone(), r["signal"].clone()),
        (json!(true), json!("SIGKILL")),
        "{r}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "waited out the 5 s grace for a SIGTERM that was dropped: {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn language_takes_the_usual_aliases_and_the_schema_lists_every_accepted_name() {
    let app = spawn_app().await;
    let have = |lang: &str| {
        app.service
            .interpreters()
            .iter()
            .any(|i| i.language == lang)
    };
    let mut cases = vec![("sh", "echo $((6*7))"), ("bash", "echo $((6*7))")];
    if have("python") {
        cases.extend([("python3", "print(6*7)"), ("py", "print(6*7)")]);
    }
    if have("node") {
        cases.extend([
            ("js", "console.log(6*7)"),
            ("javascript", "console.log(6*7)"),
            ("nodejs", "console.log(6*7)"),
        ]);
    }
    for (language, code) in cases {
        let r = app.exec(json!({"code": code, "language": language})).await;
        assert_eq!(r["stdout"], "42\n", "{language}: {r}");
    }
    // The policy judges the language an alias names, inline code included.
    let (status, body) = app
        .post(
            "/v1/exec",
            crate::helpers::OPERATOR,
            &json!({"code": "import os; os.system('rm -rf /')", "language": "py"}),
        )
        .await;
    assert_eq!(
        (status, &body["code"]),
        (403, &json!("policy_denied")),
        "{body}"
    );
    let spec: serde_json::Value = serde_json::from_str(&shellwise::api::openapi_json()).unwrap();
    let language =
        &spec["components"]["schemas"]["ExecRequest"]["allOf"][0]["properties"]["language"];
    assert_eq!(
        language["enum"],
        json!([
            "python",
            "python3",
            "py",
            "node",
            "nodejs",
            "js",
            "javascript",
            "bash",
            "sh",
            null
        ])
    );
}
