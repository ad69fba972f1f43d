//! Per-exec cgroups: the pool, limit writes, kill, report and cleanup.

use std::collections::VecDeque;
use std::fs;
use std::io;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub(super) use super::control::keyed_value;
use super::control::{read_control, read_pids, write_control};
use super::counters::{GroupFiles, Raw};
use super::detect::{start_time, CgroupMode, RunOwner};
use super::{Limits, SandboxError};

/// Fresh groups kept ready by default.
pub const DEFAULT_POOL_SIZE: usize = 16;
/// Longest time `kill_all` keeps killing before giving up.
const KILL_DEADLINE: Duration = Duration::from_secs(2);
/// Longest wait for a freeze to settle before killing anyway.
const FREEZE_WAIT: Duration = Duration::from_millis(50);
/// Removal attempts for a busy group before the janitor gives up (shutdown/reap retry later).
const MAX_REMOVE_ATTEMPTS: u32 = 12;
/// CFS period written on v1 and v2 (µs).
const CPU_PERIOD_US: u64 = 100_000;
/// Largest CFS quota the kernel takes (µs; `MAX_BW` in kernel/sched/core.c): a larger one is
/// ERANGE/EINVAL, and it already means more CPU than any host has.
const CPU_QUOTA_MAX_US: u64 = (1 << 44) - 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    V1,
    V2,
}

/// The directories of one group (or of a run directory). On v2 every field is the same
/// directory and `freezer` is it too (`cgroup.freeze`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct GroupDirs {
    pub memory: PathBuf,
    pub pids: PathBuf,
    pub cpu: PathBuf,
    pub cpuacct: PathBuf,
    pub freezer: Option<PathBuf>,
}

impl GroupDirs {
    fn from_mode(mode: &CgroupMode) -> Option<(Kind, GroupDirs)> {
        match mode {
            CgroupMode::V2 { base } => Some((
                Kind::V2,
                GroupDirs {
                    memory: base.clone(),
                    pids: base.clone(),
                    cpu: base.clone(),
                    cpuacct: base.clone(),
                    freezer: Some(base.clone()),
                },
            )),
            CgroupMode::V1 {
                memory,
                pids,
                cpu,
                cpuacct,
                freezer,
            } => Some((
                Kind::V1,
                GroupDirs {
                    memory: memory.clone(),
                    pids: pids.clone(),
                    cpu: cpu.clone(),
                    cpuacct: cpuacct.clone(),
                    freezer: freezer.clone(),
                },
            )),
            CgroupMode::Unavailable { .. } => None,
        }
    }

    fn join(&self, name: &str) -> GroupDirs {
        GroupDirs {
            memory: self.memory.join(name),
            pids: self.pids.join(name),
            cpu: self.cpu.join(name),
            cpuacct: self.cpuacct.join(name),
            freezer: self.freezer.as_ref().map(|f| f.join(name)),
        }
    }

    fn parents(&self) -> Option<GroupDirs> {
        Some(GroupDirs {
            memory: self.memory.parent()?.to_path_buf(),
            pids: self.pids.parent()?.to_path_buf(),
            cpu: self.cpu.parent()?.to_path_buf(),
            cpuacct: self.cpuacct.parent()?.to_path_buf(),
            freezer: match &self.freezer {
                Some(f) => Some(f.parent()?.to_path_buf()),
                None => None,
            },
        })
    }

    /// Distinct directories, in a stable order (memory, pids, cpu, cpuacct, freezer).
    pub fn unique(&self) -> Vec<&Path> {
        let mut out: Vec<&Path> = Vec::with_capacity(5);
        let all = [
            Some(self.memory.as_path()),
            Some(self.pids.as_path()),
            Some(self.cpu.as_path()),
            Some(self.cpuacct.as_path()),
            self.freezer.as_deref(),
        ];
        for d in all.into_iter().flatten() {
            if !out.contains(&d) {
                out.push(d);
            }
        }
        out
    }
}

/// What the kernel recorded for one exec group.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CgroupReport {
    /// The OOM killer killed a member (v2 `memory.events` oom_kill, v1 `memory.oom_control`).
    pub oom_killed: bool,
    /// A fork failed because `pids.max` was reached (`pids.events` max).
    pub pids_limit_hit: bool,
    /// User CPU time of all members, in ms.
    pub user_ms: Option<u64>,
    /// System CPU time of all members, in ms.
    pub system_ms: Option<u64>,
    /// Peak memory of the group, in bytes (v2 `memory.peak`, v1 `memory.max_usage_in_bytes`).
    pub peak_memory_bytes: Option<u64>,
}

/// A fresh group with its `cgroup.procs` files and counter files open.
struct Prepared {
    dirs: GroupDirs,
    procs: Arc<[OwnedFd]>,
    files: Arc<GroupFiles>,
    /// v2: the group's directory, for `clone3(CLONE_INTO_CGROUP)`.
    dir: Option<Arc<OwnedFd>>,
    /// Limits already written (the server defaults, or a recycled group's last ones).
    applied: Option<Limits>,
    /// Counter values a recycled group carries over; reports subtract them.
    baseline: Baseline,
    /// How many execs used this group before.
    uses: u32,
}

/// Cumulative cgroup counters that cannot be reset (v1), read when a group is recycled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Baseline {
    oom_kill: u64,
    pids_max: u64,
    user_ms: u64,
    system_ms: u64,
}

/// A v1 group is recycled at most this many times: it keeps the page cache its users charged.
const MAX_USES: u32 = 64;

/// Most memory a v1 group may still have charged to go back to the pool. Page cache its last
/// user's writes left stays charged to the group, not to a process: more than this and the
/// next caller would start with it counted against its limit and in its reported peak.
const MAX_CARRIED_CHARGE: u64 = 2 << 20;

struct Retired {
    dirs: GroupDirs,
    attempts: u32,
    not_before: Instant,
}

struct State {
    pool: Vec<Prepared>,
    retired: VecDeque<Retired>,
    stopping: bool,
    working: bool,
    refill_paused_until: Option<Instant>,
}

struct Shared {
    kind: Kind,
    base: GroupDirs,
    pool_target: usize,
    /// Limits written to pooled groups ahead of time (see `set_default_limits`).
    defaults: Mutex<Option<Limits>>,
    seq: AtomicU64,
    state: Mutex<State>,
    /// Wakes the janitor.
    work: Condvar,
    /// Wakes `wait_idle` callers.
    idle: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves plain data behind; keep going.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn prepare(&self) -> Result<Prepared, SandboxError> {
        let name = format!("g{}", self.seq.fetch_add(1, Ordering::Relaxed));
        let dirs = self.base.join(&name);
        let unique = dirs.unique();
        let mut procs = Vec::with_capacity(unique.len());
        for (i, dir) in unique.iter().enumerate() {
            let opened = fs::create_dir(dir)
                .map_err(|source| SandboxError::Io {
                    op: "mkdir",
                    path: dir.to_path_buf(),
                    source,
                })
                .and_then(|()| {
                    let path = dir.join("cgroup.procs");
                    fs::OpenOptions::new()
                        .write(true)
                        .open(&path)
                        .map(OwnedFd::from)
                        .map_err(|source| SandboxError::Io {
                            op: "open",
                            path,
                            source,
                        })
                });
            match opened {
                Ok(fd) => procs.push(fd),
                Err(e) => {
                    for d in unique.iter().take(i + 1).rev() {
                        let _ = fs::remove_dir(d);
                    }
                    return Err(e);
                }
            }
        }
        let files = Arc::new(group_files(self.kind, &dirs));
        let dir = match self.kind {
            Kind::V2 => fs::File::open(&dirs.pids)
                .ok()
                .map(|f| Arc::new(OwnedFd::from(f))),
            Kind::V1 => None,
        };
        Ok(Prepared {
            dirs,
            procs: procs.into(),
            files,
            dir,
            applied: None,
            baseline: Baseline::default(),
            uses: 0,
        })
    }

    fn retire(&self, dirs: GroupDirs) {
        let mut st = self.lock();
        if st.stopping {
            drop(st);
            remove_dirs_bounded(&dirs, Duration::from_millis(500));
            return;
        }
        st.retired.push_back(Retired {
            dirs,
            attempts: 0,
            not_before: Instant::now(),
        });
        drop(st);
        self.work.notify_one();
    }
}

/// Creates, hands out and cleans up per-exec cgroups. `Send + Sync`; create one at start.
pub struct CgroupManager {
    mode: CgroupMode,
    shared: Option<Arc<Shared>>,
    janitor: Mutex<Option<JoinHandle<()>>>,
}

impl CgroupManager {
    /// A manager with [`DEFAULT_POOL_SIZE`] pre-created groups.
    pub fn new(mode: CgroupMode) -> Self {
        Self::with_pool_size(mode, DEFAULT_POOL_SIZE)
    }

    /// A manager keeping `pool_size` fresh groups ready (0 disables the pool: every
    /// [`create`](Self::create) makes its group inline).
    pub fn with_pool_size(mode: CgroupMode, pool_size: usize) -> Self {
        let Some((kind, base)) = GroupDirs::from_mode(&mode) else {
            return Self {
                mode,
                shared: None,
                janitor: Mutex::new(None),
            };
        };
        for d in base.unique() {
            if let Err(e) = fs::create_dir_all(d) {
                tracing::warn!(dir = %d.display(), error = %e, "cannot create cgroup run directory");
            }
        }
        let shared = Arc::new(Shared {
            kind,
            base,
            pool_target: pool_size.min(1024),
            defaults: Mutex::new(None),
            seq: AtomicU64::new(0),
            state: Mutex::new(State {
                pool: Vec::new(),
                retired: VecDeque::new(),
                stopping: false,
                working: false,
                refill_paused_until: None,
            }),
            work: Condvar::new(),
            idle: Condvar::new(),
        });
        let for_thread = Arc::clone(&shared);
        let janitor = std::thread::Builder::new()
            .name("shellwise-cgroup-janitor".to_string())
            .spawn(move || janitor_loop(&for_thread))
            .map_err(|e| tracing::warn!(error = %e, "cannot start cgroup janitor thread"))
            .ok();
        Self {
            mode,
            shared: Some(shared),
            janitor: Mutex::new(janitor),
        }
    }

    /// The mode this manager was created with.
    pub fn mode(&self) -> &CgroupMode {
        &self.mode
    }

    /// Removes `shellwise-<pid>-*` run directories next to ours whose process no longer
    /// exists (a crashed earlier run), killing their members first. Returns how many run
    /// directories were removed (one per run, however many hierarchies it spanned).
    pub fn reap_stale(&self) -> io::Result<usize> {
        let Some(shared) = &self.shared else {
            return Ok(0);
        };
        let Some(parents) = shared.base.parents() else {
            return Ok(0);
        };
        let me = RunOwner::me();
        let mut names: Vec<String> = Vec::new();
        for parent in parents.unique() {
            for entry in fs::read_dir(parent)?.take(MAX_LINES_DIR) {
                let entry = entry?;
                let name = entry.file_name().to_string_lossy().into_owned();
                let Some(owner) = RunOwner::parse(&name) else {
                    continue;
                };
                if names.contains(&name) {
                    continue;
                }
                // Only a run of our own pid namespace whose process is gone (or whose pid was
                // reused) is stale: a live one may be another shellwise or a test binary
                // sharing this parent cgroup, and one of another namespace we cannot judge.
                if owner.is_stale(&me, start_time) {
                    names.push(name);
                }
            }
        }
        let mut reaped = 0;
        for name in &names {
            let root = parents.join(name);
            if remove_run_dir(shared.kind, &root) {
                reaped += 1;
            } else {
                tracing::warn!(run = %name, "stale cgroup run directory could not be removed");
            }
        }
        Ok(reaped)
    }

    /// A fresh group with `limits` written. Takes one from the pool when it can.
    pub fn create(&self, limits: &Limits) -> Result<ExecCgroup, SandboxError> {
        let Some(shared) = &self.shared else {
            return Err(SandboxError::Unavailable(match &self.mode {
                CgroupMode::Unavailable { reason } => reason.clone(),
                _ => "no cgroup mode".to_string(),
            }));
        };
        let pooled = {
            let mut st = shared.lock();
            if st.stopping {
                return Err(SandboxError::Unavailable(
                    "cgroup manager is shutting down".to_string(),
                ));
            }
            st.pool.pop()
        };
        shared.work.notify_one();
        let prepared = match pooled {
            Some(p) => p,
            None => shared.prepare()?,
        };
        let already = prepared.applied.as_ref() == Some(limits);
        let recycled = prepared.uses > 0;
        let mut group = ExecCgroup {
            kind: shared.kind,
            dirs: prepared.dirs,
            procs: prepared.procs,
            files: prepared.files,
            dir: prepared.dir,
            shared: Arc::clone(shared),
            applied: Some(limits.clone()),
            baseline: prepared.baseline,
            uses: prepared.uses + 1,
        };
        if !already {
            if let Err(e) = group.apply(limits) {
                if !recycled {
                    return Err(e);
                }
                // A recycled group may refuse a lower memory limit than the cache it holds:
                // retire it and take a fresh one.
                group.uses = MAX_USES;
                drop(group);
                let fresh = shared.prepare()?;
                group = ExecCgroup {
                    kind: shared.kind,
                    dirs: fresh.dirs,
                    procs: fresh.procs,
                    files: fresh.files,
                    dir: fresh.dir,
                    shared: Arc::clone(shared),
                    applied: Some(limits.clone()),
                    baseline: Baseline::default(),
                    uses: 1,
                };
                group.apply(limits)?;
            }
        }
        Ok(group)
    }

    /// Limits most execs will ask for: pooled groups get them written ahead of time, so
    /// [`create`](Self::create) with the same limits writes nothing on the request path.
    pub fn set_default_limits(&self, limits: Limits) {
        if let Some(shared) = &self.shared {
            if let Ok(mut d) = shared.defaults.lock() {
                *d = Some(limits);
            }
        }
    }

    /// Waits until the janitor has removed every retired group and refilled the pool, or
    /// `timeout` passed. Returns whether it became idle (for tests and graceful shutdown).
    pub fn wait_idle(&self, timeout: Duration) -> bool {
        let Some(shared) = &self.shared else {
            return true;
        };
        let deadline = Instant::now() + timeout;
        let mut st = shared.lock();
        loop {
            let refill_done = st.pool.len() >= shared.pool_target
                || st.refill_paused_until.is_some()
                || st.stopping;
            if st.retired.is_empty() && refill_done && !st.working {
                return true;
            }
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            st = match shared.idle.wait_timeout(st, deadline - now) {
                Ok((g, _)) => g,
                Err(p) => p.into_inner().0,
            };
        }
    }

    /// Stops the janitor, kills every member of every group this manager created and removes
    /// the groups and this run's directory. Idempotent; later `create` calls fail.
    pub fn shutdown(&self) {
        let Some(shared) = &self.shared else {
            return;
        };
        let (pool, retired) = {
            let mut st = shared.lock();
            st.stopping = true;
            (
                std::mem::take(&mut st.pool),
                std::mem::take(&mut st.retired),
            )
        };
        shared.work.notify_all();
        shared.idle.notify_all();
        let handle = self
            .janitor
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some(h) = handle {
            let _ = h.join();
        }
        drop(pool);
        drop(retired);
        if !remove_run_dir(shared.kind, &shared.base) {
            tracing::warn!(base = %shared.base.pids.display(), "cgroup run directory not fully removed at shutdown");
        }
    }
}

impl Drop for CgroupManager {
    fn drop(&mut self) {
        self.shutdown();
    }
}

const MAX_LINES_DIR: usize = 100_000;

/// `shellwise-<pid>` or `shellwise-<pid>-<seq>` → pid. The server leaf is not a run dir.
/// Kills everything under a run directory and removes it with its groups. True if gone.
fn remove_run_dir(kind: Kind, root: &GroupDirs) -> bool {
    if kind == Kind::V2 {
        // Kills the whole subtree at once on kernels with cgroup.kill.
        let _ = write_control(&root.pids.join("cgroup.kill"), "1");
    }
    let mut children: Vec<String> = Vec::new();
    for dir in root.unique() {
        if let Ok(rd) = fs::read_dir(dir) {
            for e in rd.take(MAX_LINES_DIR).flatten() {
                if e.file_type().map(|t| t.is_dir()).unwrap_or(false) {
                    let n = e.file_name().to_string_lossy().into_owned();
                    if !children.contains(&n) {
                        children.push(n);
                    }
                }
            }
        }
    }
    for name in &children {
        let g = root.join(name);
        kill_group(kind, &g);
    }
    kill_group(kind, root);
    let deadline = Duration::from_secs(2);
    let mut ok = true;
    for name in &children {
        ok &= remove_dirs_bounded(&root.join(name), deadline);
    }
    ok & remove_dirs_bounded(root, deadline)
}

/// Removes each directory of a group, retrying `EBUSY` with backoff until `budget` is spent.
/// Missing directories count as removed.
fn remove_dirs_bounded(dirs: &GroupDirs, budget: Duration) -> bool {
    let deadline = Instant::now() + budget;
    let mut delay = Duration::from_micros(200);
    loop {
        if try_remove(dirs) {
            return true;
        }
        if Instant::now() + delay > deadline {
            return false;
        }
        std::thread::sleep(delay);
        delay = (delay * 2).min(Duration::from_millis(50));
    }
}

/// One removal pass over every directory; true when none is left.
fn try_remove(dirs: &GroupDirs) -> bool {
    let mut all = true;
    for d in dirs.unique() {
        match fs::remove_dir(d) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(_) => all = false,
        }
    }
    all
}

fn janitor_loop(shared: &Shared) {
    let mut st = shared.lock();
    loop {
        if st.stopping {
            st.working = false;
            shared.idle.notify_all();
            return;
        }
        let now = Instant::now();
        if st.refill_paused_until.is_some_and(|t| t <= now) {
            st.refill_paused_until = None;
        }
        let due = st.retired.iter().position(|r| r.not_before <= now);
        let needs_refill = st.pool.len() < shared.pool_target && st.refill_paused_until.is_none();
        if let Some(i) = due {
            let Some(mut r) = st.retired.remove(i) else {
                continue;
            };
            st.working = true;
            drop(st);
            kill_group(shared.kind, &r.dirs);
            let gone = try_remove(&r.dirs);
            st = shared.lock();
            if !gone {
                r.attempts += 1;
                if r.attempts < MAX_REMOVE_ATTEMPTS {
                    let backoff = Duration::from_millis(2u64 << r.attempts.min(9));
                    r.not_before = Instant::now() + backoff;
                    st.retired.push_back(r);
                } else {
                    tracing::warn!(group = %r.dirs.pids.display(), "cgroup still busy; left for shutdown or reap_stale");
                }
            }
            continue;
        }
        if needs_refill {
            st.working = true;
            drop(st);
            let made = shared.prepare().map(|mut p| {
                // Write the common case's limits off the request path.
                let defaults = shared.defaults.lock().ok().and_then(|d| d.clone());
                if let Some(l) = defaults {
                    if apply_writes(&p.dirs, &plan_limit_writes(shared.kind, &l)).is_ok() {
                        p.applied = Some(l);
                    }
                }
                p
            });
            st = shared.lock();
            match made {
                Ok(p) if !st.stopping => st.pool.push(p),
                Ok(p) => {
                    drop(st);
                    remove_dirs_bounded(&p.dirs, Duration::from_millis(500));
                    st = shared.lock();
                }
                Err(e) => {
                    tracing::warn!(error = %e, "cannot pre-create cgroup; pausing refill");
                    st.refill_paused_until = Some(Instant::now() + Duration::from_secs(1));
                }
            }
            continue;
        }
        st.working = false;
        shared.idle.notify_all();
        let next_due = st.retired.iter().map(|r| r.not_before).min();
        let next = [next_due, st.refill_paused_until]
            .into_iter()
            .flatten()
            .min();
        st = match next {
            Some(t) => {
                let wait = t.saturating_duration_since(Instant::now());
                match shared.work.wait_timeout(st, wait) {
                    Ok((g, _)) => g,
                    Err(p) => p.into_inner().0,
                }
            }
            None => match shared.work.wait(st) {
                Ok(g) => g,
                Err(p) => p.into_inner(),
            },
        };
    }
}

/// One exec's cgroup. Dropping it kills every member and removes the group.
pub struct ExecCgroup {
    kind: Kind,
    dirs: GroupDirs,
    procs: Arc<[OwnedFd]>,
    files: Arc<GroupFiles>,
    dir: Option<Arc<OwnedFd>>,
    shared: Arc<Shared>,
    applied: Option<Limits>,
    baseline: Baseline,
    uses: u32,
}

impl std::fmt::Debug for ExecCgroup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExecCgroup")
            .field("kind", &self.kind)
            .field("dirs", &self.dirs)
            .finish_non_exhaustive()
    }
}

impl ExecCgroup {
    /// Raw `cgroup.procs` fds (one per distinct v1 hierarchy, one on v2), `O_WRONLY|O_CLOEXEC`.
    /// Valid while `self` lives; [`PreExec`](super::PreExec) keeps its own reference.
    pub fn attach_fds(&self) -> Vec<RawFd> {
        self.procs.iter().map(AsRawFd::as_raw_fd).collect()
    }

    /// v2: the group's directory (open while `self` lives), for creating the child in it
    /// with `clone3(CLONE_INTO_CGROUP)`.
    pub fn dir_fd(&self) -> Option<RawFd> {
        self.dir.as_ref().map(|d| d.as_raw_fd())
    }

    /// The shared fds, for [`PreExec`](super::PreExec).
    pub(super) fn shared_fds(&self) -> Arc<[OwnedFd]> {
        Arc::clone(&self.procs)
    }

    /// The group's distinct directories (memory, pids, cpu, cpuacct, freezer order on v1).
    pub fn paths(&self) -> Vec<PathBuf> {
        self.dirs
            .unique()
            .into_iter()
            .map(Path::to_path_buf)
            .collect()
    }

    /// Kills every member (see the module docs for the order). Bounded to about 2 s.
    pub fn kill_all(&self) {
        if self.files.is_empty() == Some(true) {
            return;
        }
        kill_group(self.kind, &self.dirs);
    }

    /// Whether the group has no live member: `pids.current` is 0, or it counts only a
    /// zombie not yet reaped (which `cgroup.procs` does not list). Never sleeps.
    pub fn is_drained(&self) -> bool {
        self.files.is_empty() == Some(true) || self.pids().is_empty()
    }

    /// Pids currently in the group (capped).
    pub fn pids(&self) -> Vec<i32> {
        read_pids(&self.dirs.pids.join("cgroup.procs"))
    }

    /// Counters the kernel kept for this group. Fields the kernel does not offer are `None`.
    pub fn report(&self) -> CgroupReport {
        report_since(self.files.read(), &self.baseline)
    }

    fn apply(&self, limits: &Limits) -> Result<(), SandboxError> {
        apply_writes(&self.dirs, &plan_limit_writes(self.kind, limits))
    }
}

impl Drop for ExecCgroup {
    fn drop(&mut self) {
        self.kill_all();
        if self.try_recycle() {
            return;
        }
        // The fds are closed when PreExec (if any) drops its reference; the dirs go now.
        self.shared.retire(self.dirs.clone());
    }
}

impl ExecCgroup {
    /// v1: an emptied group goes back to the pool instead of being removed and re-created
    /// (mkdir/rmdir across five hierarchies is the largest cost of a short command). Its
    /// peak-memory mark is reset and its cumulative counters become the next user's baseline;
    /// a group still charged with more than `MAX_CARRIED_CHARGE` is removed instead.
    /// v2 groups are always fresh (cgroup.kill and cheaper creation make reuse unnecessary).
    fn try_recycle(&self) -> bool {
        if self.kind != Kind::V1 || self.uses >= MAX_USES {
            return false;
        }
        if self.files.is_empty() != Some(true) && !self.pids().is_empty() {
            return false;
        }
        if self.files.reset_peak().is_err() {
            return false;
        }
        // Right after the reset the peak mark is the group's current charge.
        let raw = self.files.read();
        if raw.peak_memory_bytes.is_none_or(|b| b > MAX_CARRIED_CHARGE) {
            return false;
        }
        let baseline = counters_of(raw);
        let mut st = self.shared.lock();
        if st.stopping
            || self.shared.pool_target == 0
            || st.pool.len() >= 2 * self.shared.pool_target
        {
            return false;
        }
        st.pool.push(Prepared {
            dirs: self.dirs.clone(),
            procs: Arc::clone(&self.procs),
            files: Arc::clone(&self.files),
            dir: self.dir.clone(),
            applied: self.applied.clone(),
            baseline,
            uses: self.uses,
        });
        true
    }
}

/// Which hierarchy a limit file lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Controller {
    Memory,
    Pids,
    Cpu,
}

/// One control-file write that applies a limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct LimitWrite {
    pub controller: Controller,
    pub file: &'static str,
    pub value: String,
    /// Missing file is an error (otherwise skipped: e.g. no swap accounting).
    pub required: bool,
}

fn write(controller: Controller, file: &'static str, value: String, required: bool) -> LimitWrite {
    LimitWrite {
        controller,
        file,
        value,
        required,
    }
}

/// The control writes for `limits` on a fresh group, in order. Pure.
pub(super) fn plan_limit_writes(kind: Kind, limits: &Limits) -> Vec<LimitWrite> {
    let mut out = Vec::new();
    let quota = limits.cpu_millis_per_sec.map(|m| {
        m.saturating_mul(CPU_PERIOD_US / 1000)
            .clamp(1000, CPU_QUOTA_MAX_US)
    });
    match kind {
        Kind::V2 => {
            if let Some(m) = limits.memory_bytes {
                out.push(write(Controller::Memory, "memory.max", m.to_string(), true));
                out.push(write(
                    Controller::Memory,
                    "memory.swap.max",
                    "0".into(),
                    false,
                ));
            }
            if let Some(p) = limits.pids {
                out.push(write(Controller::Pids, "pids.max", p.to_string(), true));
            }
            if let Some(q) = quota {
                out.push(write(
                    Controller::Cpu,
                    "cpu.max",
                    format!("{q} {CPU_PERIOD_US}"),
                    true,
                ));
            }
        }
        Kind::V1 => {
            if let Some(m) = limits.memory_bytes {
                out.push(write(
                    Controller::Memory,
                    "memory.limit_in_bytes",
                    m.to_string(),
                    true,
                ));
                // memsw (RAM+swap) must be >= the RAM limit, so it is written second.
                out.push(write(
                    Controller::Memory,
                    "memory.memsw.limit_in_bytes",
                    m.to_string(),
                    false,
                ));
                out.push(write(
                    Controller::Memory,
                    "memory.swappiness",
                    "0".into(),
                    false,
                ));
            }
            if let Some(p) = limits.pids {
                out.push(write(Controller::Pids, "pids.max", p.to_string(), true));
            }
            if let Some(q) = quota {
                out.push(write(
                    Controller::Cpu,
                    "cpu.cfs_period_us",
                    CPU_PERIOD_US.to_string(),
                    true,
                ));
                out.push(write(
                    Controller::Cpu,
                    "cpu.cfs_quota_us",
                    q.to_string(),
                    true,
                ));
            }
        }
    }
    out
}

pub(super) fn apply_writes(dirs: &GroupDirs, writes: &[LimitWrite]) -> Result<(), SandboxError> {
    for w in writes {
        let dir = match w.controller {
            Controller::Memory => &dirs.memory,
            Controller::Pids => &dirs.pids,
            Controller::Cpu => &dirs.cpu,
        };
        let path = dir.join(w.file);
        match write_control(&path, &w.value) {
            Ok(()) => {}
            Err(e) if !w.required && e.kind() == io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(SandboxError::Io {
                    op: "write",
                    path,
                    source,
                })
            }
        }
    }
    Ok(())
}

/// Opens the counter files of the group at `dirs`.
fn group_files(kind: Kind, dirs: &GroupDirs) -> GroupFiles {
    match kind {
        Kind::V2 => GroupFiles::open_v2(&dirs.memory),
        Kind::V1 => GroupFiles::open_v1(&dirs.memory, &dirs.pids, &dirs.cpuacct),
    }
}

/// A group's cumulative counters (what a recycled group carries over to its next user).
fn counters_of(r: Raw) -> Baseline {
    Baseline {
        oom_kill: r.oom_kill,
        pids_max: r.pids_max,
        user_ms: r.user_ms.unwrap_or(0),
        system_ms: r.system_ms.unwrap_or(0),
    }
}

/// The report of what happened since `base` was read (a fresh group: since it was created).
fn report_since(r: Raw, base: &Baseline) -> CgroupReport {
    CgroupReport {
        oom_killed: r.oom_kill > base.oom_kill,
        pids_limit_hit: r.pids_max > base.pids_max,
        user_ms: r.user_ms.map(|u| u.saturating_sub(base.user_ms)),
        system_ms: r.system_ms.map(|u| u.saturating_sub(base.system_ms)),
        peak_memory_bytes: r.peak_memory_bytes,
    }
}

/// The report of a group's files read afresh (a fake tree in the tests).
#[cfg(test)]
pub(super) fn read_report(kind: Kind, dirs: &GroupDirs) -> CgroupReport {
    report_since(group_files(kind, dirs).read(), &Baseline::default())
}

/// Kills every member of a group. Fast path: an empty group costs one read.
pub(super) fn kill_group(kind: Kind, dirs: &GroupDirs) {
    let procs = dirs.pids.join("cgroup.procs");
    if read_pids(&procs).is_empty() {
        return;
    }
    let deadline = Instant::now() + KILL_DEADLINE;
    if kind == Kind::V2
        && write_control(&dirs.pids.join("cgroup.kill"), "1").is_ok()
        && wait_empty(&procs, deadline)
    {
        return;
    }
    let mut frozen = freeze(kind, dirs);
    let mut delay = Duration::from_micros(100);
    loop {
        let pids = read_pids(&procs);
        if pids.is_empty() {
            break;
        }
        for pid in pids {
            // SAFETY: kill(2) with a pid read from our own group's cgroup.procs.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
            }
        }
        if frozen {
            // SIGKILL is pending for every frozen member; thawing lets them all die at once.
            thaw(kind, dirs);
            frozen = false;
        }
        if Instant::now() >= deadline {
            tracing::warn!(group = %dirs.pids.display(), "cgroup members survived kill deadline");
            break;
        }
        std::thread::sleep(delay);
        delay = (delay * 2).min(Duration::from_millis(20));
    }
    if frozen {
        thaw(kind, dirs);
    }
}

fn wait_empty(procs: &Path, deadline: Instant) -> bool {
    let mut delay = Duration::from_micros(100);
    loop {
        if read_pids(procs).is_empty() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(delay);
        delay = (delay * 2).min(Duration::from_millis(20));
    }
}

/// Freezes the group and waits (briefly) until it is frozen. True if frozen.
fn freeze(kind: Kind, dirs: &GroupDirs) -> bool {
    let Some(dir) = &dirs.freezer else {
        return false;
    };
    let (file, value) = match kind {
        Kind::V1 => ("freezer.state", "FROZEN"),
        Kind::V2 => ("cgroup.freeze", "1"),
    };
    if write_control(&dir.join(file), value).is_err() {
        return false;
    }
    let deadline = Instant::now() + FREEZE_WAIT;
    loop {
        let done = match kind {
            Kind::V1 => {
                read_control(&dir.join("freezer.state")).is_some_and(|s| s.trim() == "FROZEN")
            }
            Kind::V2 => {
                read_control(&dir.join("cgroup.events")).and_then(|t| keyed_value(&t, "frozen"))
                    == Some(1)
            }
        };
        if done || Instant::now() >= deadline {
            // Even a partial freeze stops most forks; the kill loop handles the rest.
            return true;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
}

fn thaw(kind: Kind, dirs: &GroupDirs) {
    if let Some(dir) = &dirs.freezer {
        let _ = match kind {
            Kind::V1 => write_control(&dir.join("freezer.state"), "THAWED"),
            Kind::V2 => write_control(&dir.join("cgroup.freeze"), "0"),
        };
    }
}
