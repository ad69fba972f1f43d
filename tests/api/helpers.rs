//! `spawn_app()`: the real server on port 0, with one token per role, and small helpers.

use std::time::{Duration, Instant};

use actix_web::dev::ServerHandle;
use serde_json::Value;
use shellwise::auth::{Role, TokenStore};
use shellwise::config::Settings;
use shellwise::service::{ExecService, Seams};
use shellwise::startup::Application;

pub const ADMIN: &str = "test-admin-token";
pub const OPERATOR: &str = "test-operator-token";
pub const ANALYST: &str = "test-analyst-token";
pub const VIEWER: &str = "test-viewer-token";
/// A second operator: another tenant.
pub const OTHER_OPERATOR: &str = "test-other-operator-token";
/// A second admin: an approver other than the first.
pub const OTHER_ADMIN: &str = "test-other-admin-token";

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub handle: ServerHandle,
    pub service: std::sync::Arc<ExecService>,
    pub stopped: tokio::task::JoinHandle<anyhow::Result<()>>,
    _state: tempfile::TempDir,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(customise: impl FnOnce(&mut Settings)) -> TestApp {
    spawn_app_with_seams(customise, |_| {}).await
}

/// Like [`spawn_app_with`], also replacing seams (e.g. a real redaction filter).
pub async fn spawn_app_with_seams(
    customise: impl FnOnce(&mut Settings),
    replace: impl FnOnce(&mut Seams),
) -> TestApp {
    let state = tempfile::tempdir().expect("tempdir");
    let mut settings = Settings::load_from(None, Vec::new()).expect("default settings");
    settings.server.bind = "127.0.0.1:0".into();
    settings.server.workers = 2;
    settings.server.shutdown_grace_ms = 1000;
    settings.state_dir = state.path().display().to_string();
    customise(&mut settings);
    let tokens = TokenStore::from_values(&[
        ("admin".into(), Role::Admin, ADMIN.into()),
        ("operator".into(), Role::Operator, OPERATOR.into()),
        ("analyst".into(), Role::Analyst, ANALYST.into()),
        ("viewer".into(), Role::Viewer, VIEWER.into()),
        (
            "other-operator".into(),
            Role::Operator,
            OTHER_OPERATOR.into(),
        ),
        ("other-admin".into(), Role::Admin, OTHER_ADMIN.into()),
    ]);
    let mut seams = shellwise::startup::seams_from_settings(&settings).expect("seams");
    replace(&mut seams);
    let app = Application::build(settings, tokens, seams).expect("build app");
    let address = format!("http://127.0.0.1:{}", app.port());
    let handle = app.handle();
    let service = app.service();
    let stopped = tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: reqwest::Client::new(),
        handle,
        service,
        stopped,
        _state: state,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// POST JSON with a token; returns status and parsed body.
    pub async fn post(&self, path: &str, token: &str, body: &Value) -> (u16, Value) {
        let res = self
            .client
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("request");
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// GET with a token; returns status and parsed body.
    pub async fn get(&self, path: &str, token: &str) -> (u16, Value) {
        let res = self
            .client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request");
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// GET a public route; returns status and parsed body.
    pub async fn get_public(&self, path: &str) -> (u16, Value) {
        let res = self
            .client
            .get(self.url(path))
            .send()
            .await
            .expect("request");
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// POST /v1/exec as operator, expecting 200.
    pub async fn exec(&self, body: Value) -> Value {
        let (status, json) = self.post("/v1/exec", OPERATOR, &body).await;
        assert_eq!(status, 200, "{json}");
        json
    }
}

/// Whether a process is still running (a zombie is not: it is dead, awaiting its reaper).
pub fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => {
            let state = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.trim_start().chars().next());
            !matches!(state, Some('Z') | Some('X') | None)
        }
        Err(_) => false,
    }
}

/// Wait until none of `pids` is alive, or `within` passes. Returns the ones still alive.
/// A temporary directory a command can reach: inside the crate (the default workspace root),
/// never under the host's `/tmp`, which a command's private `/tmp` hides — wherever
/// `CARGO_TARGET_DIR` points.
pub fn workspace_tempdir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(".shellwise-test-")
        .tempdir_in(env!("CARGO_MANIFEST_DIR"))
        .expect("tempdir in the crate")
}

/// Host pids of live processes whose command line is exactly `argv`. A command runs in a pid
/// namespace of its own, so the pids it prints (`$!`) mean nothing out here: tests give their
/// processes a distinctive command line (`sleep 100.417`) and look for it instead.
pub fn running(argv: &[&str]) -> Vec<u32> {
    let want: Vec<u8> = argv
        .iter()
        .flat_map(|a| [a.as_bytes(), b"\0"].concat())
        .collect();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|c| c == want))
        .filter(|pid| alive(*pid))
        .collect()
}

/// Waits until `n` live processes have command line `argv` (a forked child may not have
/// exec'd yet when it printed its pid); panics after 2 s.
pub async fn wait_running(argv: &[&str], n: usize) {
    let deadline = Instant::now() + Duration::from_secs(2);
    while running(argv).len() != n {
        assert!(Instant::now() < deadline, "{argv:?} never ran {n} times");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Waits until no live process has command line `argv`; returns the pids still running.
pub async fn wait_none_running(argv: &[&str], within: Duration) -> Vec<u32> {
    let deadline = Instant::now() + within;
    loop {
        let left = running(argv);
        if left.is_empty() || Instant::now() > deadline {
            return left;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub async fn wait_gone(pids: &[u32], within: Duration) -> Vec<u32> {
    let deadline = Instant::now() + within;
    loop {
        let left: Vec<u32> = pids.iter().copied().filter(|p| alive(*p)).collect();
        if left.is_empty() || Instant::now() > deadline {
            return left;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// One parsed Server-Sent Event.
#[derive(Debug, Clone, PartialEq)]
pub struct Sse {
    pub id: Option<String>,
    pub event: String,
    pub data: Value,
}

/// Parse complete SSE frames from `buf`, leaving a partial frame in it. Comments are dropped.
pub fn parse_sse(buf: &mut String) -> Vec<Sse> {
    let mut out = Vec::new();
    while let Some(end) = buf.find("\n\n") {
        let frame: String = buf.drain(..end + 2).collect();
        let (mut id, mut event, mut data) = (None, String::new(), String::new());
        for line in frame.lines() {
            if let Some(v) = line.strip_prefix("id: ") {
                id = Some(v.to_string());
            } else if let Some(v) = line.strip_prefix("event: ") {
                event = v.to_string();
            } else if let Some(v) = line.strip_prefix("data: ") {
                data.push_str(v);
            }
        }
        if !event.is_empty() {
            out.push(Sse {
                id,
                event,
                data: serde_json::from_str(&data).unwrap_or(Value::Null),
            });
        }
    }
    out
}
