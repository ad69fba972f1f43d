//! Kernel-enforced limits for one exec: per-exec cgroups (v2 and v1/hybrid), rlimits,
//! network/mount/pid/IPC namespaces, privilege drop, Landlock and seccomp.
//!
//! The exec engine calls this module at three points:
//! 1. **before spawn** (parent, allocation allowed): [`CgroupManager::create`] hands out an
//!    [`ExecCgroup`] with the limits written, and [`PreExec::new`] prepares everything the
//!    child needs, including the clone flags of its namespaces;
//! 2. **inside `pre_exec`** (child, between fork and exec): [`PreExec::run`];
//! 3. **after exit**: [`ExecCgroup::report`] says which limit was hit, then dropping the
//!    [`ExecCgroup`] kills whatever is left and removes the group.
//!
//! # Why not the `cgroups-rs` crate
//! It pulls in zbus (systemd over D-Bus), creates a group in all nine v1 hierarchies for every
//! exec, has no v1 "kill everything" and no race-free attach. The files we need are few and
//! documented by the kernel (`Documentation/admin-guide/cgroup-v2.rst`, `cgroup-v1/*.rst`), so
//! they are written directly with `std::fs`, `libc` and `nix`.
//!
//! # Layout: where groups live
//! [`detect`] reads `/proc/self/mountinfo` and `/proc/self/cgroup` and places every group
//! **under the server's own cgroup**, inside one per-run directory `shellwise-<pid>-<seq>`:
//! - **v2** (one unified tree): `<own>/shellwise-<pid>-<seq>/g<n>`. The controllers `memory`,
//!   `pids` and `cpu` must be listed in `<own>/cgroup.controllers`; they are enabled in
//!   `<own>/cgroup.subtree_control` and in the run directory's. Because of the "no internal
//!   processes" rule, enabling them fails with `EBUSY` while `<own>` holds processes; when
//!   the only one is the server itself it moves into a leaf `<own>/shellwise-server` and the
//!   write is retried (the same move container inits do). A cgroup that also holds processes
//!   the server did not start (a login session, a shared unit) is refused, naming the systemd
//!   setting, and never touched: run the service with systemd `Delegate=yes`
//!   (`contrib/shellwise.service`) or under `systemd-run --scope -p Delegate=yes`.
//! - **v1 / hybrid** (one tree per controller): the same relative path in each of the
//!   `memory`, `pids`, `cpu`, `cpuacct` hierarchies (which may be co-mounted as `cpu,cpuacct`)
//!   and, when mounted, `freezer` (used only to kill race-free). Nothing else is touched.
//!   On a hybrid host whose cgroup2 mount has no controllers (like the development machine),
//!   v1 is used.
//!
//! [`CgroupManager::reap_stale`] removes `shellwise-<pid>-*` directories whose process no longer
//! exists (left by a crashed run), killing their members first.
//!
//! # The pool
//! Creating and removing a group costs a `mkdir`/`rmdir` per hierarchy (≈1 ms on v1 with
//! RCU synchronisation). A background thread (`shellwise-cgroup-janitor`) keeps a small pool of
//! fresh groups with their `cgroup.procs` files already open (and the server's default limits
//! already written, see [`CgroupManager::set_default_limits`]), and removes retired groups.
//! [`CgroupManager::create`] pops one (or creates one inline when the pool is empty) and writes
//! the limits only if they differ from what the group has.
//!
//! On v1, a group that is empty after its exec is **recycled** into the pool (up to twice the
//! pool size, at most 64 uses): its peak-memory mark is reset, and its cumulative counters
//! (`oom_kill`, `pids.events` max, CPU usage), which v1 cannot reset, become the next user's
//! baseline so reports only show what happened since. A recycled group that refuses new limits
//! (a lower memory limit than the cache it still holds) is retired and a fresh one taken.
//! Recycling removed the janitor's mkdir/rmdir from the steady state (≈16% of the CPU of a
//! short-command load test). v2 groups are always fresh.

//! # Attach before exec
//! [`ExecCgroup`] holds `cgroup.procs` of each hierarchy open (`O_WRONLY|O_CLOEXEC`).
//! In the child, [`PreExec::run`] writes `"0"` (meaning "the writing process") to each fd before
//! anything else, so the program is inside its group from its first instruction and every
//! descendant is born inside it. No pid is passed around, so there is no pid-reuse race.
//!
//! # Kill and cleanup order
//! On timeout or drop, [`ExecCgroup::kill_all`]: v2 writes `1` to `cgroup.kill` (kernel ≥ 5.14);
//! otherwise (v1, old v2) it freezes the group if it can (`freezer.state` / `cgroup.freeze`),
//! sends SIGKILL to every pid in `cgroup.procs`, thaws, and repeats until the group is empty
//! (bounded to about 2 s). [`ExecCgroup`]'s `Drop` kills, then hands the directories to the
//! janitor, which removes them, retrying `EBUSY` with backoff (a zombie keeps a v1 group busy
//! until it is reaped). [`CgroupManager::shutdown`] kills and removes everything it created.
//! Call [`ExecCgroup::report`] before dropping, and drop after the child was waited for.
//!
//! # Namespaces
//! A pid namespace can only be entered when a process is created (`unshare(CLONE_NEWPID)`
//! affects the caller's *children*), so [`PreExec::clone_flags`] gives the `CLONE_NEW*` flags
//! the spawner passes to `clone(2)`: pid, mount, IPC and (for `network: none`) network. The
//! program is then pid 1 of its namespace: `kill(-1)` reaches only its own processes, `/proc`
//! (mounted fresh) shows only them, and when it exits the kernel kills every process left in
//! the namespace — including a `setsid`/double-forked grandchild, and including when the
//! server dies (the parent-death signal kills pid 1). Like any init, pid 1 only receives the
//! signals it handles: a timeout's SIGTERM is then followed by SIGKILL after the grace period.
//! [`PreExec::run_unshared`] serves `fork`-based callers (tests) for the other namespaces.
//!
//! # Landlock and seccomp
//! After the privilege drop and `no_new_privs`, the child restricts its filesystem view with
//! Landlock (see `landlock.rs`: built in the child, since rules name inodes and its `/tmp` is
//! new) and installs the seccomp filter (see `seccomp.rs`: built once in the parent).

//! # Async-signal safety
//! [`PreExec::run`] runs in a child cloned with `CLONE_VM | CLONE_VFORK` from a multi-threaded
//! process: it shares the server's memory until `exec`, so it must not allocate, lock or touch
//! anything another thread may hold. Everything it needs
//! (fds, C strings, rlimit values, ids) is prepared in [`PreExec::new`]; `run` only issues raw
//! syscalls: `write`, `prctl`, `getppid`, `setrlimit`, `mount`, `open`, `fstat`, `close`,
//! `close_range`, `landlock_*`, `seccomp`,
//! `setgroups`/`setresgid`/`setresuid` (raw `syscall(2)`: only one thread exists in the child,
//! so glibc's all-threads set*id broadcast is not needed). Errors are `io::Error` from raw OS
//! codes, which do not allocate.

mod cgroup;
mod child;
mod control;
mod counters;
mod detect;
pub mod landlock;
pub mod seccomp;

pub use cgroup::{CgroupManager, CgroupReport, ExecCgroup, DEFAULT_POOL_SIZE};
pub use child::{has_cap_sys_admin, resolve_user, ChildPlan, PreExec};
pub use detect::{
    detect, parse_mountinfo, parse_proc_cgroup, resolve_cgroup_dir, CgroupMode, MountEntry,
    ProcCgroup,
};

use std::io;
use std::path::PathBuf;

/// Resource limits for one exec. `None` leaves the resource unlimited.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Limits {
    /// Memory (RAM; swap is forbidden when set) for the whole group: cgroup `memory.max` /
    /// `memory.limit_in_bytes`. Exceeding it OOM-kills a member.
    pub memory_bytes: Option<u64>,
    /// Processes + threads in the group: cgroup `pids.max`. Forks beyond it fail with `EAGAIN`.
    pub pids: Option<u64>,
    /// CPU bandwidth in milli-CPUs per second (1000 = one full CPU): cgroup `cpu.max` /
    /// `cpu.cfs_quota_us` over a 100 ms period. Minimum effective value is 10 (1 ms / 100 ms).
    pub cpu_millis_per_sec: Option<u64>,
    /// CPU seconds per process (`RLIMIT_CPU`): SIGXCPU at the limit, SIGKILL one second later.
    pub cpu_time_secs: Option<u64>,
    /// Largest file a process may write (`RLIMIT_FSIZE`): SIGXFSZ / `EFBIG` beyond it.
    pub file_size_bytes: Option<u64>,
    /// Open file descriptors per process (`RLIMIT_NOFILE`).
    pub open_files: Option<u64>,
    /// Virtual address space per process (`RLIMIT_AS`); breaks some runtimes (JVM, Go), so
    /// prefer `memory_bytes`.
    pub address_space_bytes: Option<u64>,
}

/// Why the sandbox could not prepare an exec.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// cgroups cannot be used on this host (the reason says why).
    #[error("cgroups unavailable: {0}")]
    Unavailable(String),
    /// A cgroup or proc file operation failed.
    #[error("{op} {}: {source}", path.display())]
    Io {
        /// What was being done, e.g. "mkdir" or "write".
        op: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: io::Error,
    },
    /// The request needs a capability or tool this host or process does not have.
    #[error("not supported here: {0}")]
    Unsupported(String),
    /// The request is inconsistent (a programming error in the caller).
    #[error("invalid sandbox request: {0}")]
    Invalid(String),
}

#[cfg(test)]
mod tests;
