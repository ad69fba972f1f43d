//! [limits] through the API, with real hostile programs. These need root and cgroups; on a host
//! without them each test prints why it skipped — unless SHELLWISE_REQUIRE_CGROUPS=1 (CI).

use std::time::Duration;

use serde_json::{json, Value};

use crate::helpers::{spawn_app, spawn_app_with, wait_none_running, TestApp, ADMIN, OPERATOR};

/// Whether this host can run the cgroup tests; prints the reason when it cannot.
fn cgroups_here(test: &str) -> bool {
    let mode = detected_mode();
    let root = nix::unistd::geteuid().is_root();
    if root && mode.is_available() {
        return true;
    }
    let why = if root {
        mode.describe()
    } else {
        "not root".to_string()
    };
    if std::env::var("SHELLWISE_REQUIRE_CGROUPS").as_deref() == Ok("1") {
        panic!("{test}: cgroups required (SHELLWISE_REQUIRE_CGROUPS=1) but unavailable: {why}");
    }
    eprintln!("SKIP {test}: {why}");
    false
}

/// The host's cgroup mode. Detection prepares a run directory; the manager's drop removes it.
fn detected_mode() -> shellwise::sandbox::CgroupMode {
    let manager =
        shellwise::sandbox::CgroupManager::with_pool_size(shellwise::sandbox::detect(), 0);
    manager.mode().clone()
}

fn enforced_by(r: &Value, limit: &str) -> Option<String> {
    r["limitsEnforced"]
        .as_array()?
        .iter()
        .find(|e| e["limit"] == limit)
        .and_then(|e| e["by"].as_str().map(str::to_string))
}

#[tokio::test]
async fn a_memory_hog_is_oom_killed_and_reported_as_memory() {
    if !cgroups_here("memory hog") {
        return;
    }
    let app = spawn_app().await;
    let r = app
        .exec(json!({
            "code": "b = bytearray(1 << 30)\nprint('allocated')",
            "language": "python",
            "limits": {"memoryBytes": 64 * 1024 * 1024}
        }))
        .await;
    assert_eq!(r["limit"], "memory", "{r}");
    assert_eq!(r["signal"], "SIGKILL");
    assert_eq!(r["exitCode"], 137);
    assert_eq!(r["stdout"], "");
    assert!(enforced_by(&r, "memory").unwrap().starts_with("cgroup_v"));
    let peak = r["resources"]["peakMemoryBytes"].as_u64().unwrap();
    assert!(peak <= 64 * 1024 * 1024 + (1 << 20), "peak {peak}");
    // The server is healthy afterwards, and the next commands (which may get a recycled
    // group) inherit neither the OOM kill nor the peak.
    for _ in 0..20 {
        let next = app.exec(json!({"command": "echo ok"})).await;
        assert_eq!(next["stdout"], "ok\n");
        assert_eq!(next["limit"], json!(null), "{next}");
        let peak = next["resources"]["peakMemoryBytes"].as_u64().unwrap();
        assert!(peak < 32 * 1024 * 1024, "peak {peak} carried over");
    }
}

#[tokio::test]
async fn a_recycled_group_carries_no_earlier_callers_charge() {
    if !cgroups_here("recycled group charge") {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let path = root.path().display().to_string();
    let app = spawn_app_with(|s| {
        s.workspace.roots = vec![path.clone()];
        s.workspace.per_token = true;
    })
    .await;
    // Writing a file leaves its page cache charged to the writer's memory group after the
    // command ended (v1 keeps the charge with the group, not the process). A group that goes
    // back to the pool like that would start the next caller with that charge counted
    // against its limit and its reported peak.
    let w = app
        .exec(json!({"command": "head -c 100000000 /dev/zero > charge.bin && echo written"}))
        .await;
    assert_eq!(w["stdout"], "written\n", "{w}");
    for _ in 0..20 {
        let next = app.exec(json!({"command": "echo ok"})).await;
        assert_eq!(next["stdout"], "ok\n");
        let peak = next["resources"]["peakMemoryBytes"].as_u64().unwrap();
        assert!(
            peak < 32 * 1024 * 1024,
            "peak {peak}: an earlier charge carried over"
        );
    }
}

#[tokio::test]
async fn a_fork_bomb_is_bounded_by_pids_and_leaves_nothing_behind() {
    if !cgroups_here("fork bomb") {
        return;
    }
    let app = spawn_app().await;
    let r = app
        .exec(json!({
            // The classic `:(){ :|:& };:` is denied by the default policy before it can run;
            // this fork flood is not, so pids.max has to stop it.
            "command": "echo $$; for i in $(seq 200); do sleep 3.099 & done; wait",
            "limits": {"pids": 32},
            "timeoutMs": 5000
        }))
        .await;
    assert_eq!(r["limit"], "pids", "{r}");
    // Its own pid namespace: the leader is pid 1 there (so its pid says nothing out here);
    // the flood's sleepers are found by their command line.
    let leader: u32 = r["stdout"]
        .as_str()
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(leader, 1);
    assert_eq!(
        wait_none_running(&["sleep", "3.099"], Duration::from_secs(2)).await,
        Vec::<u32>::new()
    );
    for _ in 0..20 {
        let next = app.exec(json!({"command": "echo ok"})).await;
        assert_eq!(next["stdout"], "ok\n");
        assert_eq!(
            next["limit"],
            json!(null),
            "no old pids hit carried over: {next}"
        );
    }
}

#[tokio::test]
async fn a_cpu_spinner_stays_near_its_quota() {
    if !cgroups_here("cpu quota") {
        return;
    }
    let app = spawn_app().await;
    let r = app
        .exec(json!({
            "command": "timeout 1 sh -c 'while :; do :; done'; true",
            "limits": {"cpuMillis": 500}
        }))
        .await;
    let used =
        r["resources"]["userMs"].as_u64().unwrap() + r["resources"]["systemMs"].as_u64().unwrap();
    assert!(
        (300..=750).contains(&used),
        "used {used} ms of CPU in ~1 s at 50%: {r}"
    );
    assert_eq!(
        enforced_by(&r, "cpu")
            .as_deref()
            .map(|b| b.starts_with("cgroup_v")),
        Some(true)
    );
}

#[tokio::test]
async fn cpu_time_and_file_size_rlimits_say_which_limit_was_hit() {
    let app = spawn_app().await;
    let r = app
        .exec(json!({"command": "while :; do :; done", "limits": {"cpuTimeSecs": 1}, "timeoutMs": 10000}))
        .await;
    assert_eq!(r["limit"], "cpu_time", "{r}");
    let dir = tempfile::tempdir().unwrap();
    let r = app
        .exec(json!({
            "command": format!("head -c 100000 /dev/zero > {}/big", dir.path().display()),
            "limits": {"fileSizeBytes": 4096}
        }))
        .await;
    // The child may lack write access to the temp dir when it runs unprivileged; either way
    // it must not have written more than the limit.
    let size = std::fs::metadata(dir.path().join("big"))
        .map(|m| m.len())
        .unwrap_or(0);
    assert!(size <= 4096, "{size}");
    if size > 0 {
        assert_eq!(r["limit"], "file_size", "{r}");
    }
}

#[tokio::test]
async fn a_yes_flood_is_stopped_at_the_output_cap() {
    let app = spawn_app().await;
    let r = app
        .exec(json!({"command": "yes", "limits": {"outputBytes": 200000}}))
        .await;
    assert_eq!(r["limit"], "output");
    assert_eq!(r["stdoutBytes"], 200000);
}

async fn listener_probe(app: &TestApp, network: &str) -> Value {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let code = format!(
        "import socket\ns = socket.socket()\ns.settimeout(2)\ntry:\n    s.connect(('127.0.0.1', {port}))\n    print('connected')\nexcept OSError as e:\n    print('refused', e.errno)"
    );
    let r = app
        .exec(json!({"code": code, "language": "python", "network": network}))
        .await;
    drop(listener);
    r
}

#[tokio::test]
async fn network_none_cannot_reach_a_listener_on_loopback_outside() {
    if !cgroups_here("network none") {
        return;
    }
    let app = spawn_app().await;
    let host = listener_probe(&app, "host").await;
    assert_eq!(host["stdout"], "connected\n", "{host}");
    let none = listener_probe(&app, "none").await;
    assert!(
        none["stdout"].as_str().unwrap().starts_with("refused"),
        "{none}"
    );
    assert_eq!(enforced_by(&none, "network").as_deref(), Some("netns"));
}

#[tokio::test]
async fn children_of_a_root_server_do_not_run_as_root() {
    if !cgroups_here("unprivileged children") {
        return;
    }
    let app = spawn_app().await;
    let r = app
        .exec(json!({"command": "id -u; id -G; grep NoNewPrivs /proc/self/status"}))
        .await;
    let out = r["stdout"].as_str().unwrap();
    let mut lines = out.lines();
    let uid: u32 = lines.next().unwrap().parse().unwrap();
    assert_ne!(uid, 0, "{out}");
    assert!(
        !lines.next().unwrap().split(' ').any(|g| g == "0"),
        "no root group: {out}"
    );
    assert_eq!(
        lines.next().unwrap().split_whitespace().collect::<Vec<_>>(),
        ["NoNewPrivs:", "1"]
    );
}

#[tokio::test]
async fn only_admin_may_raise_a_limit_and_only_to_the_maximum() {
    let app = spawn_app().await;
    let raise = json!({"command": "true", "limits": {"pids": 1024}});
    let (status, body) = app.post("/v1/exec", OPERATOR, &raise).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("limit_not_allowed"))
    );
    let (status, body) = app.post("/v1/exec", ADMIN, &raise).await;
    assert_eq!(status, 200, "{body}");
    let too_far = json!({"command": "true", "limits": {"pids": 100000}});
    let (status, body) = app.post("/v1/exec", ADMIN, &too_far).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("invalid_request"))
    );
}

#[tokio::test]
async fn readiness_reports_the_cgroup_mode() {
    let app = spawn_app().await;
    let (_, body) = app.get_public("/readyz").await;
    assert_eq!(body["sandbox"], detected_mode().describe());
}

/// Count `shellwise-<pid>-*` run directories of this process, zombies among our children, fds.
fn leftovers() -> (usize, usize, usize) {
    let me = std::process::id();
    let groups = [
        "/sys/fs/cgroup/memory",
        "/sys/fs/cgroup/pids",
        "/sys/fs/cgroup/unified",
        "/sys/fs/cgroup",
    ]
    .iter()
    .flat_map(|root| walk_groups(std::path::Path::new(root), 3))
    .filter(|name| name.starts_with(&format!("shellwise-{me}-")))
    .count();
    let zombies = std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok())
        .filter_map(|e| std::fs::read_to_string(e.path().join("stat")).ok())
        .filter(|stat| {
            let after = stat
                .rsplit_once(')')
                .map(|(_, r)| r.trim_start().to_string())
                .unwrap_or_default();
            let mut f = after.split_whitespace();
            f.next() == Some("Z") && f.next() == Some(&me.to_string())
        })
        .count();
    let fds = std::fs::read_dir("/proc/self/fd").unwrap().count();
    (groups, zombies, fds)
}

fn walk_groups(dir: &std::path::Path, depth: usize) -> Vec<String> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        if e.file_type().map(|t| t.is_dir()).unwrap_or(false) {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with("shellwise-") {
                out.push(name);
            } else if depth > 0 {
                out.extend(walk_groups(&e.path(), depth - 1));
            }
        }
    }
    out
}

#[tokio::test]
async fn a_2000_exec_soak_leaves_no_cgroup_zombie_or_fd() {
    if !cgroups_here("soak") {
        return;
    }
    let before_fds = leftovers().2;
    let app = spawn_app().await;
    let started = std::time::Instant::now();
    for batch in 0..100 {
        let futures = (0..20).map(|i| app.exec(json!({"command": format!("echo {batch}-{i}")})));
        for r in futures_util::future::join_all(futures).await {
            assert_eq!(r["exitCode"], 0);
        }
    }
    eprintln!("2000 execs with limits in {:?}", started.elapsed());
    app.handle.stop(true).await;
    app.stopped.await.unwrap().unwrap();
    // The server's own files (its job store) close with it.
    drop(app.service);
    drop(app.client);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let (groups, zombies, fds) = leftovers();
        // The HTTP client's pooled sockets may still be open; allow a few.
        if groups == 0 && zombies == 0 && fds <= before_fds + 4 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "left: {groups} groups, {zombies} zombies, {fds} fds (before {before_fds})"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_per_token_workspace_is_created_and_confines_cwd() {
    let root = tempfile::tempdir().unwrap();
    let path = root.path().display().to_string();
    let app = spawn_app_with(|s| {
        s.workspace.roots = vec![path.clone()];
        s.workspace.per_token = true;
    })
    .await;
    let r = app.exec(json!({"command": "pwd"})).await;
    let own = root.path().canonicalize().unwrap().join("operator");
    assert_eq!(r["stdout"], format!("{}\n", own.display()));
    assert!(own.is_dir());
    let (status, body) = app
        .post(
            "/v1/exec",
            OPERATOR,
            &json!({"command": "pwd", "cwd": ".."}),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("cwd_outside_workspace"))
    );
}

/// A memory limit too small to load any program used to come back as exit 127 with an
/// analysis saying the command does not exist; it is refused up front instead.
#[tokio::test]
async fn a_memory_limit_too_small_to_load_a_program_is_refused_with_the_minimum() {
    let app = spawn_app().await;
    for tiny in [1u64, 4096, 1024 * 1024 - 1] {
        let (status, body) = app
            .post(
                "/v1/exec",
                crate::helpers::OPERATOR,
                &json!({"command": "echo hi", "limits": {"memoryBytes": tiny}}),
            )
            .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (400, Some("invalid_request")),
            "{body}"
        );
        assert_eq!(
            body["detail"],
            format!("`limits.memoryBytes` = {tiny} is below 1048576: too little to load a program")
        );
    }
    let smallest = app
        .exec(json!({"command": "echo hi", "limits": {"memoryBytes": 1024 * 1024}}))
        .await;
    assert_eq!(smallest["stdout"], "hi\n", "{smallest}");
}
