//! The exec engine: spawns one command under supervision and turns it into a stream of events.
//!
//! Knows nothing about HTTP. A caller builds an [`ExecSpec`], hands it to [`Engine::start`]
//! together with a [`Jail`] (the [limits] seam: cgroups, rlimits, namespaces) and receives an
//! [`Execution`]: a channel of [`ExecEvent`]s — `Started`, `Stdout`/`Stderr` chunks, and a final
//! `Exit`. Buffered execution is a fold over that stream (see [`output::Collector`]).
//!
//! Invariants (who kills):
//! - Every child is the leader of its own process group, has a parent-death signal (SIGKILL),
//!   and is killed on drop of the supervising task.
//! - When the leader exits, whatever is left in its group (e.g. `sleep 100 &`) is SIGKILLed and
//!   the pipes are drained for at most `drain` — a grandchild cannot hold the request open.
//! - On timeout: SIGTERM to the group, `kill_grace`, then SIGKILL.
//! - If the event receiver is dropped (client gone), the group is SIGKILLed at once.
//! - Every live group is registered in the [`Engine`], so shutdown can kill what remains.

mod clone3;
pub mod env;
pub mod interp;
pub mod output;
mod run;
mod spawn;
mod spawner;

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use nix::sys::signal::Signal;
use serde::Serialize;
use tokio::sync::mpsc;
use utoipa::ToSchema;

/// Everything needed to run one command. Built by the service layer from a validated request.
#[derive(Debug, Clone)]
pub struct ExecSpec {
    /// Program to execute (absolute path or a name looked up in the child's `PATH`).
    pub program: String,
    /// Arguments after the program name.
    pub args: Vec<String>,
    pub cwd: PathBuf,
    /// The complete child environment (nothing else is inherited).
    pub env: Vec<(String, String)>,
    /// Bytes written to the child's stdin, which is then closed; `None` = /dev/null.
    pub stdin: Option<Vec<u8>>,
    /// Wall-clock limit.
    pub timeout: Duration,
    /// Between SIGTERM and SIGKILL on timeout.
    pub kill_grace: Duration,
    /// How long pipes are read after the leader exited.
    pub drain: Duration,
    /// Total bytes of output (both streams) after which the command is stopped.
    pub max_output_bytes: u64,
}

/// Which limit stopped a command. The [limits] work adds memory, pids, cpu_time, file_size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LimitHit {
    /// The memory limit (OOM kill in the command's cgroup).
    Memory,
    /// The process-count limit.
    Pids,
    /// The CPU-seconds limit.
    CpuTime,
    /// The wall-clock limit (`timeoutMs`).
    WallTime,
    /// The total-output limit.
    Output,
    /// The file-size limit.
    FileSize,
}

impl LimitHit {
    /// The snake_case wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            LimitHit::Memory => "memory",
            LimitHit::Pids => "pids",
            LimitHit::CpuTime => "cpu_time",
            LimitHit::WallTime => "wall_time",
            LimitHit::Output => "output",
            LimitHit::FileSize => "file_size",
        }
    }
}

/// How a command ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExitInfo {
    /// Shell convention: the exit status, or 128+n when killed by signal n, or 124 on timeout.
    pub exit_code: i32,
    /// The signal that ended the leader, if any.
    pub signal: Option<i32>,
    pub timed_out: bool,
    pub limit: Option<LimitHit>,
    pub duration: Duration,
    /// The client went away and the command was killed.
    pub cancelled: bool,
    /// What the jail measured, if it could.
    pub resources: Option<Resources>,
}

/// One event of an execution, in order: `Started`, output chunks, `Exit`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExecEvent {
    Started {
        pid: u32,
    },
    Stdout(Bytes),
    Stderr(Bytes),
    /// Boxed: the event queue holds many `Stdout` chunks and one exit; slots are sized for the largest.
    Exit(Box<ExitInfo>),
}

/// Which output stream a chunk came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// Resources a command used, measured by its cgroup.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Resources {
    /// User CPU time of the whole process tree, ms.
    pub user_ms: Option<u64>,
    /// System CPU time of the whole process tree, ms.
    pub system_ms: Option<u64>,
    /// Peak memory of the process tree, bytes.
    pub peak_memory_bytes: Option<u64>,
}

/// One limit that was enforced on a command, and by what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Enforced {
    /// `wall_time`, `output`, `memory`, `pids`, `cpu`, `cpu_time`, `file_size`, `open_files`,
    /// `address_space`, `network`, `user`, `process_group`, `pid_namespace`, `private_tmp`.
    pub limit: String,
    /// The value in the limit's unit (ms, bytes, count, milli-CPUs, seconds, uid), if any.
    pub value: Option<u64>,
    /// What enforces it: `supervisor`, `cgroup_v1`, `cgroup_v2`, `rlimit`, `netns`, `setuid`,
    /// `pidns`, `mountns`.
    pub by: String,
}

impl Enforced {
    pub fn new(limit: &str, value: Option<u64>, by: &str) -> Self {
        Self {
            limit: limit.to_string(),
            value,
            by: by.to_string(),
        }
    }
}

/// What a jail measured after the command ended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JailReport {
    /// A limit the jail saw hit (OOM kill, pids.max, RLIMIT_CPU, RLIMIT_FSIZE).
    pub limit: Option<LimitHit>,
    pub resources: Option<Resources>,
}

/// The [limits] seam: confinement applied to one child.
///
/// `pre_exec` runs in the cloned child (`clone(CLONE_VM | CLONE_VFORK)`: it shares the
/// server's memory until `exec`) and must be async-signal-safe (no allocation, no locks). `kill_all` must kill every process the jail contains, including ones
/// that left the process group. The jail is dropped after the command ended and its pipes were
/// drained; dropping releases what it holds (e.g. removes the cgroup).
pub trait Jail: Send + Sync + 'static {
    /// `CLONE_NEW*` flags the child is created with (namespaces that cannot be entered later).
    fn clone_flags(&self) -> libc::c_int {
        0
    }
    fn pre_exec(&self) -> std::io::Result<()>;
    /// A cgroup v2 directory to create the child in with `clone3(CLONE_INTO_CGROUP)`, when the
    /// jail has one (then [`pre_exec_placed`](Self::pre_exec_placed) runs instead of
    /// `pre_exec`; a kernel without it falls back to `pre_exec`).
    fn cgroup_dir_fd(&self) -> Option<std::os::fd::RawFd> {
        None
    }
    /// `pre_exec` for a child the kernel already created in [`cgroup_dir_fd`](Self::cgroup_dir_fd).
    fn pre_exec_placed(&self) -> std::io::Result<()> {
        self.pre_exec()
    }
    fn kill_all(&self);
    /// Whether the jail certainly holds no process any more, by a quick read that never
    /// sleeps. When it does not know, `false`: [`kill_all`](Self::kill_all) (which may wait
    /// for members to die) then runs on a blocking thread, not on an async worker.
    fn drained(&self) -> bool {
        true
    }
    /// Called once after exit with the signal that ended the leader, if any.
    fn report(&self, exit_signal: Option<i32>) -> JailReport;
    /// What the jail enforces.
    fn enforced(&self) -> Vec<Enforced>;
}

/// No confinement beyond the engine's own process group, timeout and output cap.
pub struct NoJail;

impl Jail for NoJail {
    fn pre_exec(&self) -> std::io::Result<()> {
        Ok(())
    }
    fn kill_all(&self) {}
    fn report(&self, _: Option<i32>) -> JailReport {
        JailReport::default()
    }
    fn enforced(&self) -> Vec<Enforced> {
        Vec::new()
    }
}

/// Why a command could not be started.
#[derive(Debug, thiserror::Error)]
pub enum SpawnError {
    #[error("program not found: {0}")]
    NotFound(String),
    #[error("permission denied executing {0}")]
    PermissionDenied(String),
    #[error("failed to start {program}: {source}")]
    Io {
        program: String,
        #[source]
        source: std::io::Error,
    },
}

/// A started execution: its pid and the events that follow.
pub struct Execution {
    pub pid: u32,
    pub events: mpsc::Receiver<ExecEvent>,
    /// Kill the command and still get its `Exit` event (dropping `events` kills it too, but
    /// then nobody hears how it ended).
    pub cancel: tokio_util::sync::CancellationToken,
}

/// Process-wide supervisor state: live process groups and counters.
#[derive(Default)]
pub struct Engine {
    live: Mutex<HashSet<i32>>,
    started: AtomicU64,
}

impl Engine {
    pub fn new() -> Arc<Engine> {
        Arc::new(Engine::default())
    }

    /// Number of commands running now.
    pub fn running(&self) -> usize {
        self.live.lock().map(|l| l.len()).unwrap_or(0)
    }

    /// Total commands started since start-up.
    pub fn started_total(&self) -> u64 {
        self.started.load(Ordering::Relaxed)
    }

    /// SIGKILL every live process group (shutdown path). Returns how many were signalled.
    pub fn kill_all(&self) -> usize {
        let groups: Vec<i32> = match self.live.lock() {
            Ok(live) => live.iter().copied().collect(),
            Err(_) => return 0,
        };
        for pgid in &groups {
            kill_group(*pgid, Signal::SIGKILL);
        }
        groups.len()
    }

    fn register(&self, pgid: i32) {
        if let Ok(mut live) = self.live.lock() {
            live.insert(pgid);
        }
        self.started.fetch_add(1, Ordering::Relaxed);
        metrics::gauge!("shellwise_running_children").increment(1.0);
    }

    fn unregister(&self, pgid: i32) {
        if let Ok(mut live) = self.live.lock() {
            if live.remove(&pgid) {
                metrics::gauge!("shellwise_running_children").decrement(1.0);
            }
        }
    }

    /// Spawn `spec` in `jail` (on a spawner thread) and supervise it on the current tokio
    /// runtime.
    pub async fn start(
        self: &Arc<Self>,
        spec: ExecSpec,
        jail: Box<dyn Jail>,
    ) -> Result<Execution, SpawnError> {
        run::start(self.clone(), spec, jail).await
    }
}

/// Send `signal` to process group `pgid`, ignoring "no such process".
pub(crate) fn kill_group(pgid: i32, signal: Signal) {
    if pgid > 1 {
        let _ = nix::sys::signal::killpg(nix::unistd::Pid::from_raw(pgid), signal);
    }
}

/// Whether a SIGTERM to `pid` was certainly dropped and nothing else can end it: it is pid 1
/// of its own pid namespace (which receives only the signals it has a handler for,
/// pid_namespaces(7)), it has no SIGTERM handler, and it has no children that the SIGTERM
/// could have ended. Then waiting the grace period is pointless.
pub(crate) fn sigterm_is_dropped(pid: i32) -> bool {
    let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) else {
        return false;
    };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map(str::trim)
    };
    let init_of_its_namespace = field("NSpid:")
        .and_then(|v| v.split_whitespace().last())
        .is_some_and(|last| last == "1");
    let catches_term = field("SigCgt:")
        .and_then(|v| u64::from_str_radix(v, 16).ok())
        .is_none_or(|mask| mask & (1 << (libc::SIGTERM - 1)) != 0);
    let alone = std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children"))
        .is_ok_and(|c| c.trim().is_empty());
    init_of_its_namespace && !catches_term && alone
}

/// The highest signal number on Linux (`SIGRTMAX`).
pub const SIGNAL_MAX: i32 = 64;

/// The number of the signal [`signal_name`] calls `name` (`SIGKILL` → 9, `SIG34` → 34).
pub fn signal_number(name: &str) -> Option<i32> {
    (1..=SIGNAL_MAX).find(|n| signal_name(*n) == name)
}

/// `SIGKILL`-style name for signal number `n`.
pub fn signal_name(n: i32) -> String {
    match Signal::try_from(n) {
        Ok(s) => s.as_str().to_string(),
        Err(_) => format!("SIG{n}"),
    }
}
