//! [isolation]: every command in its own box. Each test is an attack a hostile caller made
//! through the API on the earlier code (one uid for everyone, the host's /tmp, /dev/shm, IPC
//! and process table), run for real. They need a root server (namespaces, uids); elsewhere
//! they skip with the reason, which SHELLWISE_REQUIRE_CGROUPS=1 (CI) turns into a failure.

use std::time::Duration;

use futures_util::StreamExt;
use serde_json::{json, Value};

use crate::helpers::{
    parse_sse, running, spawn_app, spawn_app_with, wait_none_running, TestApp, ADMIN, OPERATOR,
};

fn root_here(test: &str) -> bool {
    if nix::unistd::geteuid().is_root() {
        return true;
    }
    let why = "not root: no namespaces and no uid per caller";
    if std::env::var("SHELLWISE_REQUIRE_CGROUPS").as_deref() == Ok("1") {
        panic!("{test}: {why}");
    }
    eprintln!("SKIP {test}: {why}");
    false
}

/// A streaming command of `token` that prints `ready` once running; returns its host pid and
/// the open stream (dropping it kills the command).
async fn start(
    app: &TestApp,
    token: &str,
    body: Value,
) -> (
    u32,
    impl futures_util::Stream<Item = reqwest::Result<bytes::Bytes>> + Unpin,
) {
    let res = app
        .client
        .post(app.url("/v1/exec/stream"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let mut stream = res.bytes_stream();
    let (mut buf, mut pid, mut ready) = (String::new(), None, false);
    while !ready {
        let chunk = stream.next().await.expect("stream open").unwrap();
        buf.push_str(std::str::from_utf8(&chunk).unwrap());
        for e in parse_sse(&mut buf) {
            match e.event.as_str() {
                "start" => pid = e.data["pid"].as_u64().map(|p| p as u32),
                "stdout" => ready |= e.data["data"].as_str().unwrap().contains("ready"),
                _ => {}
            }
        }
    }
    (pid.unwrap(), stream)
}

#[tokio::test]
async fn one_caller_cannot_kill_trace_or_read_the_environment_of_another() {
    if !root_here("cross-caller attacks") {
        return;
    }
    let app = spawn_app().await;
    let secret = "s3cr3t-Value-Of-The-Victim-7f1c";
    let (victim, _stream) = start(
        &app,
        ADMIN,
        json!({"command": "echo ready; sleep 30.417", "env": {"VICTIM_KEY": secret}}),
    )
    .await;
    // Forked before it printed, but maybe not yet exec'd as `sleep`.
    crate::helpers::wait_running(&["sleep", "30.417"], 1).await;

    // Everything the attacker can see, signal or trace is its own. The policy denies a
    // literal `os.kill(-1, …)` or a kill near a /proc listing (kill-all-processes-code); the
    // box must hold when a caller spells it past the policy, as this one does.
    let attack = format!(
        "import base64, ctypes, glob, os\n\
         libc = ctypes.CDLL(None, use_errno=True)\n\
         seen = b''\n\
         for p in glob.glob('/proc/[0-9]*/environ'):\n\
         \x20   try: seen += open(p, 'rb').read()\n\
         \x20   except OSError: pass\n\
         print('environ', base64.b64encode(seen).decode().count('{b64}'), b'VICTIM_KEY' in seen)\n\
         print('trace', libc.ptrace(16, {victim}, 0, 0), ctypes.get_errno())\n\
         print('pids', sorted(int(p[6:]) for p in glob.glob('/proc/[0-9]*'))[:3])\n\
         everyone = -1\n\
         try: os.kill(everyone, 9)\n\
         except OSError as e: print('kill', e.errno)\n",
        b64 = base64_of(secret),
    );
    let r = app
        .exec(json!({"code": attack, "language": "python"}))
        .await;
    let out = r["stdout"].as_str().unwrap_or_default();
    assert!(out.contains("environ 0 False\n"), "{r}");
    assert!(
        out.contains(&format!("trace -1 {}\n", libc::ESRCH)),
        "the victim's pid does not exist in the attacker's namespace: {r}"
    );
    assert!(out.contains("pids [1]"), "only itself is pid 1 there: {r}");
    // The victim survived kill(-1, SIGKILL).
    assert!(crate::helpers::alive(victim), "{r}");
    assert_eq!(running(&["sleep", "30.417"]).len(), 1);
}

fn base64_of(s: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(s)
}

#[tokio::test]
async fn callers_get_distinct_uids_and_private_workspaces() {
    if !root_here("per-caller identity") {
        return;
    }
    let root = crate::helpers::workspace_tempdir();
    let root_path = root.path().display().to_string();
    let app = spawn_app_with(move |s| {
        s.workspace.per_token = true;
        s.workspace.roots = vec![root_path];
    })
    .await;
    let who = "id -u; id -g; echo $HOME; pwd; echo mine > notes.txt; stat -c %a .";
    let a = app
        .post("/v1/exec", ADMIN, &json!({"command": who}))
        .await
        .1;
    let o = app
        .post("/v1/exec", OPERATOR, &json!({"command": who}))
        .await
        .1;
    let lines = |r: &Value| -> Vec<String> {
        r["stdout"]
            .as_str()
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect()
    };
    let (a, o) = (lines(&a), lines(&o));
    assert_eq!((a.len(), o.len()), (5, 5), "{a:?} {o:?}");
    assert_ne!(a[0], o[0], "one uid per caller");
    assert!(a[0].parse::<u32>().unwrap() >= 70000, "{a:?}");
    assert_eq!((a[0] == a[1], o[0] == o[1]), (true, true), "gid = uid");
    assert_eq!(
        (a[2] == a[3], o[2] == o[3]),
        (true, true),
        "HOME is the workspace"
    );
    assert_eq!((a[4].as_str(), o[4].as_str()), ("700", "700"));

    // The operator cannot read or append to the admin's files.
    let theirs = format!("{}/notes.txt", a[3]);
    let r = app
        .post(
            "/v1/exec",
            OPERATOR,
            &json!({"command": format!("cat {theirs}; echo more >> {theirs}; ls {}", a[3])}),
        )
        .await
        .1;
    assert_eq!(r["stdout"], "", "{r}");
    assert_eq!(
        std::fs::read_to_string(std::path::Path::new(&a[3]).join("notes.txt")).unwrap(),
        "mine\n"
    );
    // The same uid next time (and after a restart: it is recorded in the state dir).
    let again = app
        .post("/v1/exec", ADMIN, &json!({"command": "id -u"}))
        .await
        .1;
    assert_eq!(again["stdout"], format!("{}\n", a[0]));
}

#[tokio::test]
async fn tmp_shm_and_sysv_ipc_are_private_and_gone_when_the_command_ends() {
    if !root_here("private /tmp, /dev/shm, IPC") {
        return;
    }
    let app = spawn_app().await;
    let marker = format!("shellwise-box-{}", std::process::id());
    let r = app
        .exec(json!({"command": format!(
            "ls -A /tmp /dev/shm | grep -vc : ; echo x > /tmp/{marker} && echo x > /dev/shm/{marker} && \
             ipcmk -M 4096 >/dev/null && ipcs -m | grep -c '^0x'; df -k /tmp | tail -1 | awk '{{print $2}}'"
        )}))
        .await;
    let out: Vec<&str> = r["stdout"].as_str().unwrap().lines().collect();
    // Empty at start (blank lines only), the segment visible inside, /tmp capped at the
    // memory limit (512 MiB = 524288 KiB).
    assert_eq!(out.len(), 3, "{r}");
    assert_eq!(out[1], "1", "{r}");
    assert_eq!(out[2], "524288", "{r}");
    assert!(!std::path::Path::new("/tmp").join(&marker).exists());
    assert!(!std::path::Path::new("/dev/shm").join(&marker).exists());
    // No segment of a command's uid on the host.
    let host = std::fs::read_to_string("/proc/sysvipc/shm").unwrap();
    let ours = host
        .lines()
        .skip(1)
        .filter(|l| {
            let uid: u32 = l
                .split_whitespace()
                .nth(7)
                .unwrap_or("0")
                .parse()
                .unwrap_or(0);
            (70000..80000).contains(&uid)
        })
        .count();
    assert_eq!(ours, 0, "{host}");
}

#[tokio::test]
async fn network_none_cuts_host_unix_sockets_too() {
    if !root_here("AF_UNIX under network none") {
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    // Outside /tmp (which a command's private /tmp hides) and the workspace.
    let dir = tempfile::tempdir_in("/var/tmp").unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = dir.path().join("host.sock");
    let listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o777)).unwrap();
    listener.set_nonblocking(true).unwrap();
    let code = format!(
        "import socket\ntry:\n s = socket.socket(socket.AF_UNIX); s.connect('{}'); print('connected')\nexcept OSError as e: print('refused', e.errno)",
        path.display()
    );
    let app = spawn_app().await;
    let run = |network: &str| {
        let body = json!({"code": code, "language": "python", "network": network});
        let app = &app;
        async move { app.exec(body).await["stdout"].clone() }
    };
    assert_eq!(run("host").await, "connected\n");
    assert_eq!(run("none").await, format!("refused {}\n", libc::EACCES));
}

#[tokio::test]
async fn readyz_lists_the_isolation_layers_and_responses_what_applied() {
    let app = spawn_app().await;
    let (_, ready) = app.get_public("/readyz").await;
    let iso = &ready["isolation"];
    assert!(iso["identity"].is_string(), "{ready}");
    let r = app.exec(json!({"command": "true"})).await;
    let by: Vec<&str> = r["limitsEnforced"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["by"].as_str())
        .collect();
    if !nix::unistd::geteuid().is_root() {
        assert!(!iso["missing"].as_array().unwrap().is_empty(), "{ready}");
        return;
    }
    let active: Vec<&str> = iso["active"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for layer in [
        "pid namespace",
        "IPC namespace",
        "private /tmp and /dev/shm",
        "seccomp",
    ] {
        assert!(active.contains(&layer), "{layer}: {ready}");
    }
    assert!(iso["identity"]
        .as_str()
        .unwrap()
        .contains("a uid per token"));
    for layer in ["pidns", "ipcns", "mountns", "seccomp", "setuid"] {
        assert!(by.contains(&layer), "{layer}: {r}");
    }
    if sandbox_has_landlock() {
        assert!(by.contains(&"landlock"), "{r}");
    }
}

fn sandbox_has_landlock() -> bool {
    shellwise::sandbox::landlock::abi() > 0
}

#[tokio::test]
async fn landlock_hides_the_state_dir_and_the_server_config_from_a_root_admin() {
    if !root_here("landlock for root commands") || !sandbox_has_landlock() {
        return;
    }
    // Even a command that runs as root (root_for_admin) cannot read the state dir (here
    // outside both the workspace and /tmp, as in production).
    let state = tempfile::tempdir_in("/var/tmp").unwrap();
    let state_dir = state.path().display().to_string();
    let app = spawn_app_with(move |s| {
        s.limits.root_for_admin = true;
        s.state_dir = state_dir;
    })
    .await;
    let (_, ready) = app.get_public("/readyz").await;
    let audit = ready["audit"]["path"].as_str().unwrap().to_string();
    let r = app
        .post(
            "/v1/exec",
            ADMIN,
            &json!({"command": format!("id -u; cat {audit} | wc -c; ls /root >/dev/null && echo listed")}),
        )
        .await
        .1;
    assert_eq!(r["stdout"], "0\n0\n", "{r}");
    assert!(
        r["stderr"].as_str().unwrap().contains("Permission denied"),
        "{r}"
    );
}

#[tokio::test]
async fn a_server_killed_with_sigkill_leaves_no_command_running() {
    if !root_here("crash safety") {
        return;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let state = tempfile::tempdir().unwrap();
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_shellwise"))
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .env("SHELLWISE_TOKEN", "crash-test-token")
        .env("SHELLWISE__STATE_DIR", state.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while client.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(std::time::Instant::now() < deadline, "server did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // 20 commands, each with a backgrounded, session-detached grandchild.
    let mut streams = Vec::new();
    for _ in 0..20 {
        let res = client
            .post(format!("{base}/v1/exec/stream"))
            .bearer_auth("crash-test-token")
            .json(&json!({"command": "setsid sleep 300.913 & sleep 300.911 & echo up; sleep 300.917"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        streams.push(res.bytes_stream());
    }
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while ["300.913", "300.911", "300.917"]
        .iter()
        .any(|m| running(&["sleep", m]).len() < 20)
    {
        assert!(
            std::time::Instant::now() < deadline,
            "commands did not start"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    server.kill().unwrap();
    server.wait().unwrap();
    for m in ["300.913", "300.911", "300.917"] {
        assert_eq!(
            wait_none_running(&["sleep", m], Duration::from_secs(1)).await,
            Vec::<u32>::new(),
            "sleep {m} survived the server"
        );
    }
    drop(streams);
}

#[tokio::test]
async fn a_workspace_under_the_host_tmp_stays_visible_at_its_own_path() {
    if !root_here("workspace under /tmp") {
        return;
    }
    // The private /tmp would hide it; it is bind-mounted back over it.
    let root = tempfile::tempdir_in("/tmp").unwrap();
    let root_path = root.path().display().to_string();
    let app = spawn_app_with(move |s| {
        s.workspace.per_token = true;
        s.workspace.roots = vec![root_path];
    })
    .await;
    let r = app
        .exec(json!({"command": "echo hi > \"$(pwd)/abs.txt\" && cat \"$PWD/abs.txt\" && ls -A /tmp | wc -l"}))
        .await;
    assert_eq!(r["stdout"], "hi\n1\n", "{r}");
    assert_eq!(
        std::fs::read_to_string(root.path().join("operator/abs.txt")).unwrap(),
        "hi\n"
    );
}

#[tokio::test]
async fn a_syscall_the_seccomp_filter_refuses_is_explained_as_the_box() {
    if !root_here("seccomp refusal analysis") {
        return;
    }
    let app = spawn_app().await;
    // `unshare` needs a new namespace, which the filter refuses with EPERM.
    let r = app
        .exec(json!({"argv": ["unshare", "--user", "--map-root-user", "true"]}))
        .await;
    assert_ne!(r["exitCode"], 0, "{r}");
    assert!(
        r["stderr"]
            .as_str()
            .unwrap()
            .contains("Operation not permitted"),
        "{r}"
    );
    let a = &r["aiAnalysis"];
    assert_eq!(a["category"], "permission_denied", "{r}");
    assert_eq!(a["summary"], "The sandbox refused `unshare`", "{r}");
    assert!(a["rootCause"].as_str().unwrap().contains("seccomp"), "{r}");
}
