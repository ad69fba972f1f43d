//! The kernel sandbox behind the [`Sandbox`] seam: a cgroup per exec (v1 or v2), rlimits,
//! pid/mount/IPC (and for `network: none` network) namespaces with a private `/tmp` and
//! `/dev/shm`, the caller's own uid, Landlock and seccomp, via [`crate::sandbox`].
//! A layer the host cannot provide is left out, logged, and listed in `/readyz`
//! (`isolation.missing`); each response's `limitsEnforced` says what applied.
//!
//! On a host without cgroup permission it falls back honestly: rlimits and the supervisor's
//! wall-time and output limits only, and each response's `limitsEnforced` says so.

use std::sync::Arc;

use crate::domain::limits::{LimitSet, Network};
use crate::exec::{Enforced, Jail, JailReport, LimitHit, Resources};
use crate::sandbox::landlock::{self, LandlockPlan};
use crate::sandbox::seccomp::SeccompFilter;
use crate::sandbox::{self, CgroupManager, CgroupMode, ChildPlan, ExecCgroup, PreExec};
use crate::service::seams::{Confinement, IsolationReport, Sandbox};

/// Cgroups, rlimits, namespaces, privilege drop, Landlock and seccomp.
pub struct KernelSandbox {
    manager: Option<CgroupManager>,
    describe: String,
    by: &'static str,
    pid_namespace: bool,
    ipc_namespace: bool,
    private_tmp: bool,
    tmp_size_bytes: Option<u64>,
    landlock: Option<Landlock>,
    seccomp: Option<(Arc<SeccompFilter>, Arc<SeccompFilter>)>,
    missing: Vec<String>,
}

/// The Landlock paths of every exec (the caller's writable ones are added per exec).
struct Landlock {
    read_only: Vec<String>,
    read_write: Vec<String>,
}

/// What [`KernelSandbox::new`] needs from settings.
pub struct KernelSandboxOptions {
    /// The server's default limits, written to pooled groups ahead of time.
    pub default_limits: LimitSet,
    /// Use cgroups when the host allows it.
    pub cgroups: bool,
    pub pid_namespace: bool,
    pub ipc_namespace: bool,
    pub private_tmp: bool,
    /// Size of each private `/tmp` and `/dev/shm`; 0 = the exec's memory limit.
    pub tmp_size_bytes: u64,
    pub landlock: bool,
    /// Paths readable (and executable) beneath, besides the caller's writable ones.
    pub landlock_read_only: Vec<String>,
    /// Extra paths writable beneath for every caller.
    pub landlock_read_write: Vec<String>,
    pub seccomp: bool,
}

/// Device files every command may read and write (directories: beneath).
const DEVICES: [&str; 8] = [
    "/dev/null",
    "/dev/zero",
    "/dev/full",
    "/dev/random",
    "/dev/urandom",
    "/dev/tty",
    "/dev/ptmx",
    "/dev/pts",
];

impl KernelSandbox {
    pub fn new(opts: KernelSandboxOptions) -> Self {
        let (manager, describe, by) = if !opts.cgroups {
            (None, "off (limits.cgroups = \"off\")".to_string(), "")
        } else {
            let mode = sandbox::detect();
            let describe = mode.describe();
            let by = match mode {
                CgroupMode::V1 { .. } => "cgroup_v1",
                CgroupMode::V2 { .. } => "cgroup_v2",
                CgroupMode::Unavailable { .. } => "",
            };
            if mode.is_available() {
                let manager = CgroupManager::new(mode);
                manager.set_default_limits(kernel_limits(&opts.default_limits));
                match manager.reap_stale() {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(reaped = n, "removed cgroups left by an earlier run"),
                    Err(e) => tracing::warn!(error = %e, "could not reap stale cgroups"),
                }
                (Some(manager), describe, by)
            } else {
                tracing::warn!(cgroups = %describe, "running without cgroups: limits fall back to rlimits and wall time");
                (None, describe, by)
            }
        };
        let mut missing = Vec::new();
        let ns = sandbox::has_cap_sys_admin();
        for (wanted, what) in [
            (opts.pid_namespace, "pid namespace"),
            (opts.ipc_namespace, "IPC namespace"),
            (opts.private_tmp, "private /tmp and /dev/shm"),
        ] {
            if wanted && !ns {
                missing.push(format!(
                    "{what}: needs CAP_SYS_ADMIN (run the server as root)"
                ));
            }
        }
        let landlock = if !opts.landlock {
            None
        } else if sandbox::landlock::abi() == 0 {
            missing.push("landlock: this kernel has no Landlock (or it is disabled)".into());
            None
        } else {
            Some(Landlock {
                read_only: opts.landlock_read_only,
                read_write: opts.landlock_read_write,
            })
        };
        let seccomp = if !opts.seccomp {
            None
        } else if !sandbox::seccomp::available() {
            missing.push("seccomp: this kernel has no seccomp filters".into());
            None
        } else {
            Some((
                Arc::new(SeccompFilter::new(false)),
                Arc::new(SeccompFilter::new(true)),
            ))
        };
        for m in &missing {
            tracing::warn!(missing = %m, "isolation layer unavailable");
        }
        Self {
            manager,
            describe,
            by,
            pid_namespace: opts.pid_namespace && ns,
            ipc_namespace: opts.ipc_namespace && ns,
            private_tmp: opts.private_tmp && ns,
            tmp_size_bytes: nz(opts.tmp_size_bytes),
            landlock,
            seccomp,
            missing,
        }
    }

    /// The layers every exec gets, for `/readyz`.
    fn active(&self) -> Vec<String> {
        let mut on = Vec::new();
        if self.pid_namespace {
            on.push("pid namespace".to_string());
        }
        if self.ipc_namespace {
            on.push("IPC namespace".to_string());
        }
        if self.private_tmp {
            on.push("private /tmp and /dev/shm".to_string());
        }
        if self.landlock.is_some() {
            on.push(format!("landlock (ABI {})", sandbox::landlock::abi()));
        }
        if self.seccomp.is_some() {
            on.push("seccomp".to_string());
        }
        on
    }

    /// The Landlock plan of one exec: the system read-only, the caller's areas, devices and
    /// its private `/tmp` writable.
    fn landlock_plan(&self, c: &Confinement) -> anyhow::Result<Option<LandlockPlan>> {
        let Some(l) = &self.landlock else {
            return Ok(None);
        };
        let Some(mut plan) = LandlockPlan::new() else {
            return Ok(None);
        };
        // The system as the command will see it (its own /proc), so opened after the mounts;
        // the workspace before them, so one under the host's /tmp is still the host's.
        for p in &l.read_only {
            plan.allow(p, landlock::READ_ONLY, true)?;
        }
        for p in DEVICES.iter().copied() {
            plan.allow(p, landlock::READ_WRITE, true)?;
        }
        for p in l.read_write.iter() {
            plan.allow(p, landlock::READ_WRITE, false)?;
        }
        for p in &c.writable {
            plan.allow(&p.to_string_lossy(), landlock::READ_WRITE, false)?;
        }
        for p in ["/tmp", "/dev/shm"] {
            // Its own tmpfs (opened after the mounts), or the host's when there is none.
            plan.allow(p, landlock::READ_WRITE, self.private_tmp)?;
        }
        Ok(Some(plan))
    }
}

fn nz(v: u64) -> Option<u64> {
    (v != 0).then_some(v)
}

fn kernel_limits(l: &LimitSet) -> sandbox::Limits {
    sandbox::Limits {
        memory_bytes: nz(l.memory_bytes),
        pids: nz(l.pids),
        cpu_millis_per_sec: nz(l.cpu_millis),
        cpu_time_secs: nz(l.cpu_time_secs),
        file_size_bytes: nz(l.file_size_bytes),
        open_files: nz(l.open_files),
        address_space_bytes: nz(l.address_space_bytes),
    }
}

impl Sandbox for KernelSandbox {
    fn jail(&self, c: &Confinement) -> anyhow::Result<Box<dyn Jail>> {
        let limits = kernel_limits(&c.limits);
        let cgroup = match &self.manager {
            Some(m) => Some(m.create(&limits)?),
            None => None,
        };
        let network_none = c.network == Network::None;
        let plan = ChildPlan {
            limits: limits.clone(),
            network_none,
            private_tmp: self.private_tmp,
            pid_namespace: self.pid_namespace,
            ipc_namespace: self.ipc_namespace,
            tmp_size_bytes: self.tmp_size_bytes,
            keep_visible: c.writable.clone(),
            run_as: c.run_as,
            landlock: self.landlock_plan(c)?,
            seccomp: self
                .seccomp
                .as_ref()
                .map(|(open, no_unix)| if network_none { no_unix } else { open }.clone()),
        };
        let pre = PreExec::new(&plan, cgroup.as_ref())?;

        let mut enforced = Vec::new();
        if cgroup.is_some() {
            for (name, v) in [
                ("memory", limits.memory_bytes),
                ("pids", limits.pids),
                ("cpu", limits.cpu_millis_per_sec),
            ] {
                if v.is_some() {
                    enforced.push(Enforced::new(name, v, self.by));
                }
            }
        }
        for (name, v) in [
            ("cpu_time", limits.cpu_time_secs),
            ("file_size", limits.file_size_bytes),
            ("open_files", limits.open_files),
            ("address_space", limits.address_space_bytes),
        ] {
            if v.is_some() {
                enforced.push(Enforced::new(name, v, "rlimit"));
            }
        }
        if plan.network_none {
            enforced.push(Enforced::new("network", None, "netns"));
        }
        if plan.pid_namespace {
            enforced.push(Enforced::new("pid_namespace", None, "pidns"));
        }
        if plan.ipc_namespace {
            enforced.push(Enforced::new("ipc_namespace", None, "ipcns"));
        }
        if plan.private_tmp {
            let size = plan.tmp_size_bytes.or(limits.memory_bytes);
            enforced.push(Enforced::new("private_tmp", size, "mountns"));
        }
        if let Some(l) = &plan.landlock {
            enforced.push(Enforced::new(
                "filesystem",
                Some(l.abi() as u64),
                "landlock",
            ));
        }
        if plan.seccomp.is_some() {
            enforced.push(Enforced::new("syscalls", None, "seccomp"));
        }
        if let Some((uid, _)) = c.run_as {
            enforced.push(Enforced::new("user", Some(u64::from(uid)), "setuid"));
        }
        Ok(Box::new(KernelJail {
            pre,
            cgroup,
            enforced,
            cpu_time_secs: limits.cpu_time_secs,
        }))
    }

    fn describe(&self) -> String {
        self.describe.clone()
    }

    fn isolation(&self) -> IsolationReport {
        IsolationReport {
            active: self.active(),
            missing: self.missing.clone(),
        }
    }

    fn private_tmp(&self) -> bool {
        self.private_tmp
    }

    fn cgroup_limits_missing(&self) -> Option<String> {
        self.manager
            .is_none()
            .then(|| format!("cgroups are unavailable here: {}", self.describe))
    }

    fn network_none_missing(&self) -> Option<String> {
        (!sandbox::has_cap_sys_admin())
            .then(|| "a network namespace needs CAP_SYS_ADMIN (run the server as root)".to_string())
    }

    fn shutdown(&self) {
        if let Some(m) = &self.manager {
            m.shutdown();
        }
    }
}

struct KernelJail {
    pre: PreExec,
    cgroup: Option<ExecCgroup>,
    enforced: Vec<Enforced>,
    cpu_time_secs: Option<u64>,
}

impl Jail for KernelJail {
    fn clone_flags(&self) -> libc::c_int {
        self.pre.clone_flags()
    }

    fn pre_exec(&self) -> std::io::Result<()> {
        self.pre.run()
    }

    fn cgroup_dir_fd(&self) -> Option<std::os::fd::RawFd> {
        self.cgroup.as_ref().and_then(ExecCgroup::dir_fd)
    }

    fn pre_exec_placed(&self) -> std::io::Result<()> {
        self.pre.run_placed()
    }

    fn kill_all(&self) {
        if let Some(cg) = &self.cgroup {
            cg.kill_all();
        }
    }

    fn drained(&self) -> bool {
        self.cgroup.as_ref().is_none_or(ExecCgroup::is_drained)
    }

    fn report(&self, exit_signal: Option<i32>) -> JailReport {
        let cg = self.cgroup.as_ref().map(ExecCgroup::report);
        let resources = cg.as_ref().map(|r| Resources {
            user_ms: r.user_ms,
            system_ms: r.system_ms,
            peak_memory_bytes: r.peak_memory_bytes,
        });
        let cpu_used_ms = resources
            .map(|r| r.user_ms.unwrap_or(0) + r.system_ms.unwrap_or(0))
            .unwrap_or(0);
        let limit = classify(
            cg.as_ref().is_some_and(|r| r.oom_killed),
            cg.as_ref().is_some_and(|r| r.pids_limit_hit),
            exit_signal,
            self.cpu_time_secs,
            cpu_used_ms,
        );
        JailReport { limit, resources }
    }

    fn enforced(&self) -> Vec<Enforced> {
        self.enforced.clone()
    }
}

/// Which kernel limit explains how a command ended (pure, table-tested).
pub fn classify(
    oom_killed: bool,
    pids_hit: bool,
    signal: Option<i32>,
    cpu_time_secs: Option<u64>,
    cpu_used_ms: u64,
) -> Option<LimitHit> {
    if oom_killed {
        return Some(LimitHit::Memory);
    }
    match signal {
        Some(libc::SIGXCPU) => return Some(LimitHit::CpuTime),
        Some(libc::SIGXFSZ) => return Some(LimitHit::FileSize),
        // RLIMIT_CPU sends SIGKILL at the hard limit (soft + 1 s) if SIGXCPU was ignored.
        Some(libc::SIGKILL) if cpu_time_secs.is_some_and(|s| cpu_used_ms >= s * 1000) => {
            return Some(LimitHit::CpuTime)
        }
        _ => {}
    }
    pids_hit.then_some(LimitHit::Pids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernel_limits_are_classified_from_cgroup_events_and_signals() {
        let cases = [
            (
                (true, false, Some(libc::SIGKILL), None, 0),
                Some(LimitHit::Memory),
            ),
            ((false, true, None, None, 0), Some(LimitHit::Pids)),
            (
                (false, false, Some(libc::SIGXCPU), Some(1), 1000),
                Some(LimitHit::CpuTime),
            ),
            (
                (false, false, Some(libc::SIGKILL), Some(1), 2010),
                Some(LimitHit::CpuTime),
            ),
            ((false, false, Some(libc::SIGKILL), Some(10), 2010), None),
            (
                (false, false, Some(libc::SIGXFSZ), None, 0),
                Some(LimitHit::FileSize),
            ),
            ((false, false, None, Some(1), 5000), None),
            (
                (true, true, Some(libc::SIGXCPU), Some(1), 9000),
                Some(LimitHit::Memory),
            ),
            ((false, false, None, None, 0), None),
        ];
        for ((oom, pids, sig, cpu, used), want) in cases {
            assert_eq!(
                classify(oom, pids, sig, cpu, used),
                want,
                "{oom} {pids} {sig:?} {cpu:?} {used}"
            );
        }
    }
}
