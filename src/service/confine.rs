//! The kernel sandbox behind the [`Sandbox`] seam: a cgroup per exec (v1 or v2), rlimits,
//! optional network/pid/mount namespaces and an unprivileged user, via [`crate::sandbox`].
//!
//! On a host without cgroup permission it falls back honestly: rlimits and the supervisor's
//! wall-time and output limits only, and each response's `limitsEnforced` says so.

use std::ffi::OsString;

use crate::domain::limits::{LimitSet, Network};
use crate::exec::{Enforced, ExecSpec, Jail, JailReport, LimitHit, Resources};
use crate::sandbox::{self, CgroupManager, CgroupMode, ChildPlan, ExecCgroup, PreExec};
use crate::service::seams::{Confinement, Sandbox};

/// Cgroups, rlimits, namespaces and privilege drop.
pub struct KernelSandbox {
    manager: Option<CgroupManager>,
    describe: String,
    by: &'static str,
    run_as: Option<(u32, u32)>,
    run_as_name: String,
    root_for_admin: bool,
    pid_namespace: bool,
    private_tmp: bool,
}

/// What [`KernelSandbox::new`] needs from settings.
pub struct KernelSandboxOptions {
    /// The server's default limits, written to pooled groups ahead of time.
    pub default_limits: LimitSet,
    /// Use cgroups when the host allows it.
    pub cgroups: bool,
    /// User to run children as when the server is root ("" = stay root).
    pub run_as: String,
    pub root_for_admin: bool,
    pub pid_namespace: bool,
    pub private_tmp: bool,
}

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
        let root = nix::unistd::geteuid().is_root();
        let (run_as, run_as_name) = if root && !opts.run_as.is_empty() {
            match sandbox::resolve_user(&opts.run_as) {
                Some(ids) => (Some(ids), opts.run_as.clone()),
                None => {
                    tracing::warn!(user = %opts.run_as, "user not found; children run as nobody");
                    (sandbox::resolve_user("nobody"), "nobody".to_string())
                }
            }
        } else {
            (None, String::new())
        };
        Self {
            manager,
            describe,
            by,
            run_as,
            run_as_name,
            root_for_admin: opts.root_for_admin,
            pid_namespace: opts.pid_namespace,
            private_tmp: opts.private_tmp,
        }
    }

    /// The user children run as, if not the server's own.
    pub fn run_as(&self) -> Option<(&str, u32)> {
        self.run_as.map(|(uid, _)| (self.run_as_name.as_str(), uid))
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
    fn jail(&self, spec: &mut ExecSpec, c: &Confinement) -> anyhow::Result<Box<dyn Jail>> {
        let limits = kernel_limits(&c.limits);
        let cgroup = match &self.manager {
            Some(m) => Some(m.create(&limits)?),
            None => None,
        };
        let run_as = if c.admin && self.root_for_admin {
            None
        } else {
            self.run_as
        };
        let plan = ChildPlan {
            limits: limits.clone(),
            network_none: c.network == Network::None,
            private_tmp: self.private_tmp,
            pid_namespace: self.pid_namespace,
            run_as,
        };
        let argv: Vec<OsString> = std::iter::once(&spec.program)
            .chain(spec.args.iter())
            .map(OsString::from)
            .collect();
        let (pre, argv) = PreExec::new_with_argv(&plan, cgroup.as_ref(), &argv)?;
        let mut argv = argv.into_iter().map(|a| a.to_string_lossy().into_owned());
        if let Some(program) = argv.next() {
            spec.program = program;
            spec.args = argv.collect();
        }

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
        if plan.private_tmp {
            enforced.push(Enforced::new("private_tmp", None, "mountns"));
        }
        if let Some((uid, _)) = run_as {
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

    fn child_owner(&self) -> Option<(u32, u32)> {
        self.run_as
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
    fn pre_exec(&self) -> std::io::Result<()> {
        self.pre.run()
    }

    fn kill_all(&self) {
        if let Some(cg) = &self.cgroup {
            cg.kill_all();
        }
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
