//! Jobs: wait-or-detach, polling, replay and resume, cancel, visibility, output ranges, the
//! store's limits, restarts; and runs that end because their client went away.

use std::time::Duration;

use futures_util::StreamExt;
use serde_json::{json, Value};

use crate::helpers::{
    parse_sse, spawn_app, spawn_app_with, wait_none_running, wait_running, workspace_tempdir, Sse,
    ADMIN, OPERATOR, OTHER_OPERATOR,
};

async fn events(app: &crate::helpers::TestApp, id: &str, last: Option<&str>) -> Vec<Sse> {
    let mut req = app
        .client
        .get(app.url(&format!("/v1/jobs/{id}/events")))
        .bearer_auth(OPERATOR);
    if let Some(last) = last {
        req = req.header("Last-Event-ID", last);
    }
    let res = req.send().await.unwrap();
    assert_eq!(res.status(), 200);
    let mut text = res.text().await.unwrap();
    parse_sse(&mut text)
}

/// A directory inside the workspace that any command's identity may write to.
fn writable_tempdir() -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    let dir = workspace_tempdir();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    dir
}

fn names(events: &[Sse]) -> Vec<&str> {
    events.iter().map(|e| e.event.as_str()).collect()
}

#[tokio::test]
async fn a_job_that_finishes_within_its_wait_answers_200_with_its_result() {
    let app = spawn_app().await;
    let (status, job) = app
        .post("/v1/jobs", OPERATOR, &json!({"command": "echo hi"}))
        .await;
    assert_eq!(status, 200, "{job}");
    assert_eq!(job["status"], "succeeded");
    assert_eq!(job["result"]["stdout"], "hi\n");
    assert_eq!(job["result"]["exitCode"], 0);
    let id = job["id"].as_str().unwrap();
    assert_eq!(job["links"]["events"], format!("/v1/jobs/{id}/events"));
    assert_eq!(job["command"], "echo hi");
    assert!(job["finishedAt"].as_str().unwrap().ends_with('Z'));
    // The same job, read again.
    let (status, again) = app.get(&format!("/v1/jobs/{id}"), OPERATOR).await;
    assert_eq!(status, 200);
    assert_eq!(again, job);
}

#[tokio::test]
async fn a_long_job_answers_202_with_its_location_and_can_be_long_polled() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url("/v1/jobs?waitMs=100"))
        .bearer_auth(OPERATOR)
        .json(&json!({"command": "sleep 1; echo done; exit 3"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 202);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let job: Value = res.json().await.unwrap();
    assert_eq!(job["status"], "running");
    assert_eq!(job["result"], Value::Null);
    assert_eq!(
        location,
        format!("/v1/jobs/{}", job["id"].as_str().unwrap())
    );
    let (status, done) = app.get(&format!("{location}?waitMs=10000"), OPERATOR).await;
    assert_eq!(status, 200);
    assert_eq!(done["status"], "failed");
    assert_eq!(done["result"]["exitCode"], 3);
    assert_eq!(done["result"]["stdout"], "done\n");
    assert!(
        done["result"]["aiAnalysis"]["category"].is_string(),
        "{done}"
    );
}

#[tokio::test]
async fn events_replay_from_the_start_or_resume_after_a_last_event_id() {
    let app = spawn_app().await;
    let (_, job) = app
        .post(
            "/v1/jobs",
            OPERATOR,
            &json!({"command": "echo one; sleep 0.1; echo two; sleep 0.1; echo three", "analyze": "never"}),
        )
        .await;
    assert_eq!(job["status"], "succeeded", "{job}");
    let id = job["id"].as_str().unwrap();
    let all = events(&app, id, None).await;
    assert_eq!(
        names(&all),
        ["start", "stdout", "stdout", "stdout", "exit", "end"]
    );
    let ids: Vec<String> = all.iter().map(|e| e.id.clone().unwrap()).collect();
    assert_eq!(ids, (0..6).map(|i| format!("{id}:{i}")).collect::<Vec<_>>());
    assert_eq!(
        all[5].data,
        json!({"event": "end", "id": id, "status": "succeeded"})
    );
    // Each payload names its event, for clients that only see `data`.
    for e in &all {
        assert_eq!(e.data["event"], e.event.as_str());
    }
    // Resume after the first stdout: the rest, nothing twice.
    let rest = events(&app, id, Some(&format!("{id}:1"))).await;
    assert_eq!(names(&rest), ["stdout", "stdout", "exit", "end"]);
    assert_eq!(rest[0].data["data"], "two\n");
    // An id past the end: only the end.
    let tail = events(&app, id, Some(&format!("{id}:999"))).await;
    assert_eq!(names(&tail), ["end"]);
    // Another job's id is refused.
    let res = app
        .client
        .get(app.url(&format!("/v1/jobs/{id}/events")))
        .bearer_auth(OPERATOR)
        .header("Last-Event-ID", "ex_other:1")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    // A malformed `after` is refused even when a valid header wins over it (schemathesis).
    let res = app
        .client
        .get(app.url(&format!("/v1/jobs/{id}/events?after=%C2%BB%3Ag")))
        .bearer_auth(OPERATOR)
        .header("Last-Event-ID", format!("{id}:1"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
}

#[tokio::test]
async fn a_running_jobs_events_are_followed_live_and_hanging_up_does_not_stop_it() {
    let app = spawn_app().await;
    let (status, job) = app
        .post(
            "/v1/jobs?waitMs=300",
            OPERATOR,
            &json!({"command": "echo first; sleep 1.5; echo second", "analyze": "never"}),
        )
        .await;
    assert_eq!(status, 202, "{job}");
    // A running job shows the end of what it printed so far.
    assert_eq!(
        job["tail"],
        json!({"stdout": "first\n", "stderr": "", "encoding": "text"})
    );
    let id = job["id"].as_str().unwrap().to_string();
    // A reader that leaves after the first line.
    let res = app
        .client
        .get(app.url(&format!("/v1/jobs/{id}/events")))
        .bearer_auth(OPERATOR)
        .send()
        .await
        .unwrap();
    let mut body = res.bytes_stream();
    let mut buf = String::new();
    let mut seen = Vec::new();
    while !seen.iter().any(|e: &Sse| e.event == "stdout") {
        let chunk = tokio::time::timeout(Duration::from_secs(5), body.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        buf.push_str(std::str::from_utf8(&chunk).unwrap());
        seen.extend(parse_sse(&mut buf));
    }
    assert_eq!(seen.last().unwrap().data["data"], "first\n");
    drop(body);
    // The job goes on; a second reader sees it to its end, live.
    let all = events(&app, &id, Some(&seen.last().unwrap().id.clone().unwrap())).await;
    assert_eq!(names(&all), ["stdout", "exit", "end"]);
    assert_eq!(all[0].data["data"], "second\n");
}

#[tokio::test]
async fn cancel_kills_a_running_job_and_a_finished_job_answers_409() {
    let app = spawn_app().await;
    let (status, job) = app
        .post(
            "/v1/jobs?waitMs=0",
            OPERATOR,
            &json!({"command": "sleep 100.431 & sleep 100.432"}),
        )
        .await;
    assert_eq!(status, 202);
    let id = job["id"].as_str().unwrap();
    wait_running(&["sleep", "100.431"], 1).await;
    let (status, cancelled) = app
        .post(&format!("/v1/jobs/{id}/cancel"), OPERATOR, &json!({}))
        .await;
    assert_eq!(status, 200, "{cancelled}");
    assert_eq!(cancelled["status"], "cancelled");
    for m in ["100.431", "100.432"] {
        assert_eq!(
            wait_none_running(&["sleep", m], Duration::from_secs(2)).await,
            Vec::<u32>::new()
        );
    }
    let (status, again) = app
        .post(&format!("/v1/jobs/{id}/cancel"), OPERATOR, &json!({}))
        .await;
    assert_eq!(status, 409);
    assert_eq!(again["code"], "job_finished");
    assert!(
        again["detail"].as_str().unwrap().contains("cancelled"),
        "{again}"
    );
}

#[tokio::test]
async fn a_job_is_visible_only_to_its_token_and_to_admins() {
    let app = spawn_app().await;
    let (_, job) = app
        .post("/v1/jobs", OPERATOR, &json!({"command": "echo mine"}))
        .await;
    let id = job["id"].as_str().unwrap();
    for path in [
        format!("/v1/jobs/{id}"),
        format!("/v1/jobs/{id}/output"),
        format!("/v1/jobs/{id}/events"),
    ] {
        let (status, problem) = app.get(&path, OTHER_OPERATOR).await;
        assert_eq!(status, 404, "{path}");
        assert_eq!(problem["code"], "job_not_found");
    }
    let (status, _) = app
        .post(&format!("/v1/jobs/{id}/cancel"), OTHER_OPERATOR, &json!({}))
        .await;
    assert_eq!(status, 404);
    let (status, theirs) = app.get("/v1/jobs", OTHER_OPERATOR).await;
    assert_eq!((status, theirs["jobs"].as_array().unwrap().len()), (200, 0));
    let (status, seen) = app.get(&format!("/v1/jobs/{id}"), ADMIN).await;
    assert_eq!((status, seen["status"].as_str()), (200, Some("succeeded")));
    let (status, unknown) = app.get("/v1/jobs/ex_0000000000000000", OPERATOR).await;
    assert_eq!(
        (status, unknown["code"].as_str()),
        (404, Some("job_not_found"))
    );
}

#[tokio::test]
async fn the_job_list_pages_newest_first_and_filters_by_status() {
    let app = spawn_app().await;
    let mut ids = Vec::new();
    for cmd in ["true", "false", "true", "exit 2", "true"] {
        let (_, job) = app
            .post("/v1/jobs", OPERATOR, &json!({"command": cmd}))
            .await;
        ids.push(job["id"].as_str().unwrap().to_string());
        // Distinct creation times keep "newest first" unambiguous.
        tokio::time::sleep(Duration::from_millis(3)).await;
    }
    ids.reverse();
    let (status, page) = app.get("/v1/jobs?limit=2", OPERATOR).await;
    assert_eq!(status, 200);
    let got = |p: &Value| -> Vec<String> {
        p["jobs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|j| j["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(got(&page), ids[..2]);
    assert_eq!(
        page["jobs"][0]["result"],
        Value::Null,
        "lists leave results out"
    );
    let next = page["nextBefore"].as_str().unwrap();
    let (_, page2) = app
        .get(&format!("/v1/jobs?limit=2&before={next}"), OPERATOR)
        .await;
    assert_eq!(got(&page2), ids[2..4]);
    let (_, page3) = app
        .get(
            &format!(
                "/v1/jobs?limit=2&before={}",
                page2["nextBefore"].as_str().unwrap()
            ),
            OPERATOR,
        )
        .await;
    assert_eq!(got(&page3), ids[4..]);
    assert_eq!(page3["nextBefore"], Value::Null);
    let (_, failed) = app.get("/v1/jobs?status=failed", OPERATOR).await;
    assert_eq!(got(&failed), [ids[1].clone(), ids[3].clone()]);
    let (status, bad) = app.get("/v1/jobs?status=sleeping", OPERATOR).await;
    assert_eq!(
        (status, bad["code"].as_str()),
        (400, Some("invalid_request"))
    );
    let (status, _) = app.get("/v1/jobs?limit=0", OPERATOR).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn output_ranges_page_through_a_jobs_stored_output() {
    let app = spawn_app().await;
    let (_, job) = app
        .post(
            "/v1/jobs",
            OPERATOR,
            &json!({"command": "seq 1 30000", "analyze": "never"}),
        )
        .await;
    let id = job["id"].as_str().unwrap();
    let expected: String = (1..=30000).map(|i| format!("{i}\n")).collect();
    let mut offset = 0;
    let mut got = String::new();
    let mut pages = 0;
    loop {
        let (status, out) = app
            .get(
                &format!("/v1/jobs/{id}/output?offset={offset}&length=50000"),
                OPERATOR,
            )
            .await;
        assert_eq!(status, 200, "{out}");
        assert_eq!(out["offset"], offset);
        assert_eq!(out["totalBytes"], expected.len());
        assert_eq!(out["complete"], true);
        got.push_str(out["data"].as_str().unwrap());
        pages += 1;
        match out["nextOffset"].as_u64() {
            Some(next) => offset = next,
            None => break,
        }
    }
    assert_eq!(pages, expected.len().div_ceil(50000));
    assert_eq!(got, expected);
    let (_, stderr) = app
        .get(&format!("/v1/jobs/{id}/output?stream=stderr"), OPERATOR)
        .await;
    assert_eq!(
        (stderr["length"].as_u64(), stderr["data"].as_str()),
        (Some(0), Some(""))
    );
    let (status, _) = app
        .get(&format!("/v1/jobs/{id}/output?length=70000"), OPERATOR)
        .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn a_full_store_refuses_new_jobs_with_507_and_the_key_to_raise() {
    let app = spawn_app_with(|s| {
        s.jobs.max_store_bytes = 1 << 20;
        s.jobs.max_output_bytes = 1 << 20;
    })
    .await;
    let (status, hog) = app
        .post(
            "/v1/jobs?waitMs=0",
            OPERATOR,
            &json!({"command": "yes 0123456789abcdef0123456789abcdef | head -c 1200000; sleep 100.447"}),
        )
        .await;
    assert_eq!(status, 202, "{hog}");
    wait_running(&["sleep", "100.447"], 1).await;
    let id = hog["id"].as_str().unwrap();
    // Its output fills the store (and is cut there, the command runs on).
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let (_, j) = app.get(&format!("/v1/jobs/{id}"), OPERATOR).await;
        if j["outputTruncated"] == true {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{j}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (status, problem) = app
        .post("/v1/jobs", OPERATOR, &json!({"command": "echo one more"}))
        .await;
    assert_eq!(status, 507, "{problem}");
    assert_eq!(problem["code"], "store_full");
    assert!(problem["detail"]
        .as_str()
        .unwrap()
        .contains("jobs.max_store_bytes"));
    let (_, listed) = app.get("/v1/jobs", OPERATOR).await;
    assert_eq!(
        listed["jobs"].as_array().unwrap().len(),
        1,
        "nothing half-written"
    );
    let (status, _) = app
        .post(&format!("/v1/jobs/{id}/cancel"), OPERATOR, &json!({}))
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_damaged_store_file_stops_the_server_with_its_name() {
    let state = tempfile::tempdir().unwrap();
    let file = state.path().join("jobs.sqlite3");
    std::fs::write(&file, vec![0x42; 4096]).unwrap();
    let mut settings = shellwise::config::Settings::load_from(None, Vec::new()).unwrap();
    settings.state_dir = state.path().display().to_string();
    let Err(e) = shellwise::startup::seams_from_settings(&settings) else {
        panic!("a damaged store was accepted");
    };
    let msg = format!("{e:#}");
    assert!(msg.contains(&file.display().to_string()), "{msg}");
    assert!(msg.contains("move it aside"), "{msg}");
}

#[tokio::test]
async fn a_buffered_exec_is_killed_within_a_second_of_its_client_hanging_up() {
    let dir = workspace_tempdir();
    let audit = dir.path().join("audit.log");
    let audit_file = audit.display().to_string();
    let app = spawn_app_with(|s| s.audit.file = audit_file).await;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_millis(400))
        .build()
        .unwrap();
    let sent = client
        .post(app.url("/v1/exec"))
        .bearer_auth(OPERATOR)
        .json(&json!({"command": "sleep 100.457"}))
        .send()
        .await;
    assert!(sent.is_err(), "the client gave up first");
    // Killed within a second of the hang-up (the 400 ms client timeout came first).
    assert_eq!(
        wait_none_running(&["sleep", "100.457"], Duration::from_millis(1000)).await,
        Vec::<u32>::new()
    );
    // Its outcome is audited.
    let deadline = std::time::Instant::now() + Duration::from_secs(3);
    loop {
        let log = std::fs::read_to_string(&audit).unwrap_or_default();
        let outcome = log
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .find(|r| r["kind"] == "outcome" && r["what"] == "sleep 100.457");
        if let Some(r) = outcome {
            assert_eq!(r["decision"], "cancelled");
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{log}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_request_queued_for_a_slot_is_dropped_when_its_client_hangs_up() {
    let dir = writable_tempdir();
    let marker = dir.path().join("ran");
    let app = spawn_app_with(|s| {
        s.exec.max_concurrent = 1;
        s.exec.max_concurrent_per_token = 1;
    })
    .await;
    let (status, hog) = app
        .post(
            "/v1/jobs?waitMs=0",
            OPERATOR,
            &json!({"command": "sleep 100.463"}),
        )
        .await;
    assert_eq!(status, 202);
    wait_running(&["sleep", "100.463"], 1).await;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    for path in ["/v1/exec", "/v1/exec/stream"] {
        let cmd = format!("echo {path} >> {}", marker.display());
        let sent = client
            .post(app.url(path))
            .bearer_auth(OPERATOR)
            .json(&json!({"command": cmd}))
            .send()
            .await;
        assert!(sent.is_err(), "{path} should still be queued");
    }
    // Let the hang-ups be noticed, then free the slot.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let id = hog["id"].as_str().unwrap();
    let (status, _) = app
        .post(&format!("/v1/jobs/{id}/cancel"), OPERATOR, &json!({}))
        .await;
    assert_eq!(status, 200);
    // Anything still queued would run now; this one does, and can write there.
    let control = dir.path().join("control");
    let after = app
        .exec(json!({"command": format!("echo later | tee {}", control.display())}))
        .await;
    assert_eq!(after["stdout"], "later\n", "{after}");
    assert_eq!(std::fs::read_to_string(&control).unwrap(), "later\n");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !marker.exists(),
        "{}",
        std::fs::read_to_string(&marker).unwrap_or_default()
    );
}

#[tokio::test]
async fn a_stream_reconnect_with_last_event_id_resumes_and_does_not_run_again() {
    let dir = writable_tempdir();
    let count = dir.path().join("count");
    let app = spawn_app().await;
    let body = json!({
        "command": format!("echo run >> {}; echo a; sleep 0.3; echo b", count.display()),
        "analyze": "never",
    });
    let res = app
        .client
        .post(app.url("/v1/exec/stream"))
        .bearer_auth(OPERATOR)
        .json(&body)
        .send()
        .await
        .unwrap();
    let mut text = res.text().await.unwrap();
    let first = parse_sse(&mut text);
    assert_eq!(names(&first), ["start", "stdout", "stdout", "exit", "end"]);
    // A generic SSE client reconnects with the same POST and the last id it saw.
    let res = app
        .client
        .post(app.url("/v1/exec/stream"))
        .bearer_auth(OPERATOR)
        .header("Last-Event-ID", first[1].id.clone().unwrap())
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let mut text = res.text().await.unwrap();
    let resumed = parse_sse(&mut text);
    assert_eq!(names(&resumed), ["stdout", "exit", "end"]);
    assert_eq!(resumed[0].data["data"], "b\n");
    assert_eq!(
        std::fs::read_to_string(&count).unwrap(),
        "run\n",
        "ran once"
    );
}

#[tokio::test]
async fn a_stream_whose_client_leaves_is_a_cancelled_job_with_its_events_kept() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url("/v1/exec/stream"))
        .bearer_auth(OPERATOR)
        .json(&json!({"command": "echo early; sleep 100.479", "analyze": "never"}))
        .send()
        .await
        .unwrap();
    let mut body = res.bytes_stream();
    let mut buf = String::new();
    let mut seen: Vec<Sse> = Vec::new();
    while !seen.iter().any(|e| e.event == "stdout") {
        let chunk = body.next().await.unwrap().unwrap();
        buf.push_str(std::str::from_utf8(&chunk).unwrap());
        seen.extend(parse_sse(&mut buf));
    }
    let id = seen[0].data["jobId"].as_str().unwrap().to_string();
    drop(body);
    assert_eq!(
        wait_none_running(&["sleep", "100.479"], Duration::from_secs(2)).await,
        Vec::<u32>::new()
    );
    let (_, job) = app
        .get(&format!("/v1/jobs/{id}?waitMs=3000"), OPERATOR)
        .await;
    assert_eq!(job["status"], "cancelled", "{job}");
    let replay = events(&app, &id, None).await;
    assert_eq!(names(&replay), ["start", "stdout", "exit", "end"]);
    assert_eq!(replay[1].data["data"], "early\n");
}

/// A real server process, killed with SIGKILL and started again on the same state dir.
struct Server {
    child: std::process::Child,
    base: String,
}

impl Server {
    async fn start(state: &std::path::Path, extra: &[(&str, &str)]) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_shellwise"));
        cmd.args(["serve", "--bind", &format!("127.0.0.1:{port}")])
            .env("SHELLWISE_TOKEN", "restart-test-token")
            .env("SHELLWISE__STATE_DIR", state)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        for (k, v) in extra {
            cmd.env(k, v);
        }
        let child = cmd.spawn().unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while reqwest::get(format!("{base}/healthz")).await.is_err() {
            assert!(std::time::Instant::now() < deadline, "server did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Server { child, base }
    }

    async fn call(&self, post: Option<Value>, path: &str) -> (u16, Value) {
        let client = reqwest::Client::new();
        let url = format!("{}{path}", self.base);
        let req = match post {
            Some(body) => client.post(url).json(&body),
            None => client.get(url),
        };
        let res = req.bearer_auth("restart-test-token").send().await.unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }
}

#[tokio::test]
async fn after_a_crash_running_jobs_are_lost_with_their_output_and_queued_ones_run() {
    let state = tempfile::tempdir().unwrap();
    let dir = writable_tempdir();
    let marker = dir.path().join("queued-ran");
    let one_slot = [
        ("SHELLWISE__EXEC__MAX_CONCURRENT", "1"),
        ("SHELLWISE__EXEC__MAX_CONCURRENT_PER_TOKEN", "1"),
    ];
    let mut server = Server::start(state.path(), &one_slot).await;
    let (status, running_job) = server
        .call(
            Some(json!({"command": "echo before-crash; sleep 100.491"})),
            "/v1/jobs?waitMs=0",
        )
        .await;
    assert_eq!(status, 202, "{running_job}");
    let cmd = format!("echo done > {}", marker.display());
    let (status, queued) = server
        .call(Some(json!({"command": cmd})), "/v1/jobs?waitMs=0")
        .await;
    assert_eq!((status, queued["status"].as_str()), (202, Some("queued")));
    wait_running(&["sleep", "100.491"], 1).await;
    // Its first line is stored (within the flush interval).
    tokio::time::sleep(Duration::from_millis(300)).await;
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    assert_eq!(
        wait_none_running(&["sleep", "100.491"], Duration::from_secs(2)).await,
        Vec::<u32>::new(),
        "the crash took its commands along"
    );
    let mut server = Server::start(state.path(), &[]).await;
    let id = running_job["id"].as_str().unwrap();
    let (_, lost) = server.call(None, &format!("/v1/jobs/{id}")).await;
    assert_eq!(lost["status"], "lost", "{lost}");
    assert!(lost["error"].as_str().unwrap().contains("server stopped"));
    let (_, out) = server.call(None, &format!("/v1/jobs/{id}/output")).await;
    assert_eq!(out["data"], "before-crash\n");
    let qid = queued["id"].as_str().unwrap();
    let (_, ran) = server
        .call(None, &format!("/v1/jobs/{qid}?waitMs=10000"))
        .await;
    assert_eq!(ran["status"], "succeeded", "{ran}");
    assert_eq!(std::fs::read_to_string(&marker).unwrap(), "done\n");
    server.child.kill().unwrap();
    server.child.wait().unwrap();
}

#[tokio::test]
async fn jobs_are_counted_in_metrics_and_their_start_cancel_and_outcome_audited() {
    let dir = workspace_tempdir();
    let audit = dir.path().join("audit.log");
    let audit_file = audit.display().to_string();
    let app = spawn_app_with(|s| s.audit.file = audit_file).await;
    let (_, done) = app
        .post("/v1/jobs", OPERATOR, &json!({"command": "true"}))
        .await;
    let (_, long) = app
        .post(
            "/v1/jobs?waitMs=0",
            OPERATOR,
            &json!({"command": "sleep 100.509"}),
        )
        .await;
    wait_running(&["sleep", "100.509"], 1).await;
    let id = long["id"].as_str().unwrap();
    let (status, _) = app
        .post(&format!("/v1/jobs/{id}/cancel"), OPERATOR, &json!({}))
        .await;
    assert_eq!(status, 200);
    let _ = events(&app, done["id"].as_str().unwrap(), None).await;
    let metrics = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth(crate::helpers::VIEWER)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let value = |name: &str| -> Option<f64> {
        metrics
            .lines()
            .find(|l| l.starts_with(name) && l[name.len()..].starts_with(' '))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse().ok())
    };
    assert_eq!(
        value("shellwise_jobs{status=\"succeeded\"}"),
        Some(1.0),
        "{metrics}"
    );
    assert_eq!(value("shellwise_jobs{status=\"cancelled\"}"), Some(1.0));
    assert_eq!(value("shellwise_jobs{status=\"running\"}"), Some(0.0));
    assert_eq!(value("shellwise_jobs_submitted_total"), Some(2.0));
    assert_eq!(value("shellwise_job_replays_total"), Some(1.0));
    assert_eq!(value("shellwise_jobs_queued"), Some(0.0));
    assert!(value("shellwise_job_store_bytes").unwrap() > 0.0);
    let log = std::fs::read_to_string(&audit).unwrap();
    let records: Vec<Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let of = |id: &str| -> Vec<(String, String)> {
        records
            .iter()
            .filter(|r| r["execId"] == id || r["exec_id"] == id)
            .map(|r| {
                (
                    r["kind"].as_str().unwrap().to_string(),
                    r["decision"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let kinds = of(id);
    assert!(
        kinds.contains(&("job".into(), "submitted".into())),
        "{kinds:?}\n{log}"
    );
    assert!(
        kinds.contains(&("job".into(), "cancel".into())),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("outcome".into(), "cancelled".into())),
        "{kinds:?}"
    );
}

#[tokio::test]
async fn output_offsets_at_the_end_of_the_integer_range_are_an_empty_range_not_a_crash() {
    let app = spawn_app().await;
    let (_, job) = app
        .post("/v1/jobs", OPERATOR, &json!({"command": "echo hi"}))
        .await;
    let id = job["id"].as_str().unwrap();
    for offset in [i64::MAX as u64, 3] {
        let (status, out) = app
            .get(&format!("/v1/jobs/{id}/output?offset={offset}"), OPERATOR)
            .await;
        assert_eq!(status, 200, "{offset}: {out}");
        assert_eq!(
            (out["length"].as_u64(), out["data"].as_str()),
            (Some(0), Some(""))
        );
        assert_eq!(out["nextOffset"], Value::Null);
    }
    // Past int64, as the contract says: refused.
    let (status, problem) = app
        .get(
            &format!("/v1/jobs/{id}/output?offset={}", u64::MAX),
            OPERATOR,
        )
        .await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (400, Some("invalid_request"))
    );
}

/// A live stream sends an event before the store has it (stored in 40 ms batches): a client
/// that drops and resumes at once names an id the store does not hold yet, and must get
/// what follows it, not the stored events again.
#[tokio::test]
async fn resuming_right_after_an_event_not_stored_yet_sends_nothing_twice() {
    let app = spawn_app().await;
    for _ in 0..3 {
        let mut res = app
            .client
            .post(app.url("/v1/exec/stream"))
            .bearer_auth(OPERATOR)
            .json(&json!({"command": "echo a; sleep 0.5; echo b", "analyze": "never"}))
            .send()
            .await
            .unwrap();
        let (mut buf, mut seen) = (String::new(), Vec::<Sse>::new());
        while !seen.iter().any(|e| e.event == "stdout") {
            let chunk = res.chunk().await.unwrap().expect("the stream went on");
            buf.push_str(std::str::from_utf8(&chunk).unwrap());
            seen.extend(parse_sse(&mut buf));
        }
        drop(res);
        let last = seen.last().unwrap().id.clone().unwrap();
        let (job, n) = last.rsplit_once(':').unwrap();
        let n: u64 = n.parse().unwrap();
        let rest = events(&app, job, Some(&last)).await;
        let seqs: Vec<u64> = rest
            .iter()
            .map(|e| {
                e.id.as_ref()
                    .unwrap()
                    .rsplit_once(':')
                    .unwrap()
                    .1
                    .parse()
                    .unwrap()
            })
            .collect();
        assert!(
            seqs.iter().all(|s| *s > n),
            "after {last}: {seqs:?} {:?}",
            names(&rest)
        );
        assert_eq!(names(&rest).last(), Some(&"end"));
    }
}
