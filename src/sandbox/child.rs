//! What the child does between fork and exec: attach, rlimits, namespaces, privilege drop.

use std::ffi::{CString, OsString};
use std::io;
use std::os::fd::{AsRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use nix::sys::resource::{setrlimit, Resource};

use super::cgroup::ExecCgroup;
use super::{Limits, SandboxError};

/// What to apply to one child besides its cgroup.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChildPlan {
    /// Limits; the rlimit ones are applied by [`PreExec`], the cgroup ones by
    /// [`CgroupManager::create`](super::CgroupManager::create).
    pub limits: Limits,
    /// New network namespace: only a `lo` that is down, so no network at all.
    pub network_none: bool,
    /// New mount namespace with a fresh tmpfs on `/tmp` (sized to `limits.memory_bytes`).
    pub private_tmp: bool,
    /// New pid namespace via util-linux `unshare` (see [`PreExec::new_with_argv`]).
    pub pid_namespace: bool,
    /// Drop to this `(uid, gid)` with no supplementary groups.
    pub run_as: Option<(u32, u32)>,
}

/// Everything the child must do between fork and exec. Built in the parent (allocation
/// allowed there), executed by [`run`](Self::run) in `pre_exec` (no allocation, no locks).
pub struct PreExec {
    attach: Option<Arc<[OwnedFd]>>,
    parent_pid: libc::pid_t,
    rlimits: Vec<(Resource, u64, u64)>,
    network_none: bool,
    tmp: Option<TmpMount>,
    drop_to: Option<(libc::uid_t, libc::gid_t)>,
}

struct TmpMount {
    source: CString,
    target: CString,
    fstype: CString,
    data: CString,
    root: CString,
}

impl std::fmt::Debug for PreExec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreExec")
            .field("attach_fds", &self.attach.as_ref().map(|a| a.len()))
            .field("rlimits", &self.rlimits)
            .field("network_none", &self.network_none)
            .field("private_tmp", &self.tmp.is_some())
            .field("drop_to", &self.drop_to)
            .finish()
    }
}

const CAP_SYS_ADMIN: u32 = 21;
/// `close_range` flag: mark as close-on-exec instead of closing.
const CLOSE_RANGE_CLOEXEC: libc::c_uint = 1 << 2;

impl PreExec {
    /// Prepares the child's steps for `plan`, attaching to `cgroup` when given.
    /// Refuses `plan.pid_namespace` (use [`new_with_argv`](Self::new_with_argv), which also
    /// rewrites the command line) and namespaces/uid changes this process cannot perform.
    pub fn new(plan: &ChildPlan, cgroup: Option<&ExecCgroup>) -> Result<Self, SandboxError> {
        if plan.pid_namespace {
            return Err(SandboxError::Invalid(
                "pid_namespace needs PreExec::new_with_argv, which rewrites the command".into(),
            ));
        }
        Self::build(plan, cgroup, plan.run_as)
    }

    /// Like [`new`](Self::new) and also returns the argv to spawn: unchanged, or for
    /// `plan.pid_namespace` wrapped in `unshare --pid --fork --mount-proc --kill-child`, which
    /// then performs the uid/gid drop itself (after mounting `/proc`).
    pub fn new_with_argv(
        plan: &ChildPlan,
        cgroup: Option<&ExecCgroup>,
        argv: &[OsString],
    ) -> Result<(Self, Vec<OsString>), SandboxError> {
        if argv.is_empty() {
            return Err(SandboxError::Invalid("empty argv".into()));
        }
        if !plan.pid_namespace {
            return Ok((Self::build(plan, cgroup, plan.run_as)?, argv.to_vec()));
        }
        require_cap_sys_admin("pid_namespace")?;
        let unshare = unshare_binary().ok_or_else(|| {
            SandboxError::Unsupported(
                "pid_namespace needs util-linux unshare with --kill-child and --setuid".into(),
            )
        })?;
        let pre = Self::build(plan, cgroup, None)?;
        Ok((pre, pid_namespace_argv(unshare, plan.run_as, argv)))
    }

    fn build(
        plan: &ChildPlan,
        cgroup: Option<&ExecCgroup>,
        drop_to: Option<(u32, u32)>,
    ) -> Result<Self, SandboxError> {
        if plan.network_none {
            require_cap_sys_admin("network_none")?;
        }
        if plan.private_tmp {
            require_cap_sys_admin("private_tmp")?;
        }
        if let Some((uid, gid)) = drop_to {
            let same =
                nix::unistd::geteuid().as_raw() == uid && nix::unistd::getegid().as_raw() == gid;
            if !same && !nix::unistd::geteuid().is_root() {
                return Err(SandboxError::Unsupported(format!(
                    "run_as {uid}:{gid} needs root"
                )));
            }
        }
        let l = &plan.limits;
        let mut rlimits = vec![(Resource::RLIMIT_CORE, 0, 0)];
        if let Some(s) = l.cpu_time_secs {
            // SIGXCPU at the soft limit, SIGKILL one second later.
            rlimits.push((Resource::RLIMIT_CPU, s, s.saturating_add(1)));
        }
        if let Some(b) = l.file_size_bytes {
            rlimits.push((Resource::RLIMIT_FSIZE, b, b));
        }
        if let Some(n) = l.open_files {
            rlimits.push((Resource::RLIMIT_NOFILE, n, n));
        }
        if let Some(b) = l.address_space_bytes {
            rlimits.push((Resource::RLIMIT_AS, b, b));
        }
        let tmp = if plan.private_tmp {
            let mut data = "mode=1777".to_string();
            if let Some(m) = l.memory_bytes {
                data.push_str(&format!(",size={m}"));
            }
            Some(TmpMount {
                source: c("tmpfs")?,
                target: c("/tmp")?,
                fstype: c("tmpfs")?,
                data: c(&data)?,
                root: c("/")?,
            })
        } else {
            None
        };
        Ok(Self {
            attach: cgroup.map(ExecCgroup::shared_fds),
            parent_pid: nix::unistd::getpid().as_raw(),
            rlimits,
            network_none: plan.network_none,
            tmp,
            drop_to,
        })
    }

    /// Runs in the child inside `pre_exec` (the caller already did `setpgid(0, 0)`):
    /// attach to the cgroup, parent-death signal, rlimits, network namespace, private `/tmp`,
    /// mark inherited fds close-on-exec, drop privileges, `no_new_privs`.
    /// Async-signal-safe: raw syscalls only, no allocation.
    ///
    /// The parent-death signal fires when the *thread* that cloned the child exits, not the process:
    /// spawn from long-lived threads (tokio workers), not from short-lived blocking threads.
    pub fn run(&self) -> io::Result<()> {
        if let Some(fds) = &self.attach {
            for fd in fds.iter() {
                write_all_raw(fd.as_raw_fd(), b"0")?;
            }
        }
        // SAFETY (all blocks below): plain syscalls on values prepared in the parent; the
        // child has a single thread, so per-thread syscalls act on the whole process.
        check(unsafe {
            libc::prctl(
                libc::PR_SET_PDEATHSIG,
                libc::SIGKILL as libc::c_ulong,
                0,
                0,
                0,
            )
        })?;
        // The parent may have died before the prctl above took effect.
        if unsafe { libc::getppid() } != self.parent_pid {
            return Err(io::Error::from_raw_os_error(libc::ESRCH));
        }
        for (res, soft, hard) in &self.rlimits {
            setrlimit(*res, *soft, *hard).map_err(|e| io::Error::from_raw_os_error(e as i32))?;
        }
        if self.network_none {
            check(unsafe { libc::unshare(libc::CLONE_NEWNET) })?;
        }
        if let Some(t) = &self.tmp {
            check(unsafe { libc::unshare(libc::CLONE_NEWNS) })?;
            // Our mounts must not propagate back to the host; host mounts may still arrive.
            check(unsafe {
                libc::mount(
                    std::ptr::null(),
                    t.root.as_ptr(),
                    std::ptr::null(),
                    libc::MS_REC | libc::MS_SLAVE,
                    std::ptr::null(),
                )
            })?;
            check(unsafe {
                libc::mount(
                    t.source.as_ptr(),
                    t.target.as_ptr(),
                    t.fstype.as_ptr(),
                    libc::MS_NOSUID | libc::MS_NODEV,
                    t.data.as_ptr().cast(),
                )
            })?;
        }
        // Server fds that lack O_CLOEXEC must not reach the program; old kernels lack the
        // syscall, which is then skipped.
        unsafe {
            libc::syscall(
                libc::SYS_close_range,
                3 as libc::c_uint,
                libc::c_uint::MAX,
                CLOSE_RANGE_CLOEXEC,
            );
        }
        if let Some((uid, gid)) = self.drop_to {
            check_long(unsafe {
                libc::syscall(
                    libc::SYS_setgroups,
                    0 as libc::size_t,
                    std::ptr::null::<libc::gid_t>(),
                )
            })?;
            check_long(unsafe { libc::syscall(libc::SYS_setresgid, gid, gid, gid) })?;
            check_long(unsafe { libc::syscall(libc::SYS_setresuid, uid, uid, uid) })?;
            if unsafe { libc::geteuid() } != uid || unsafe { libc::getegid() } != gid {
                return Err(io::Error::from_raw_os_error(libc::EPERM));
            }
        }
        check(unsafe { libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1 as libc::c_ulong, 0, 0, 0) })?;
        Ok(())
    }
}

fn c(s: &str) -> Result<CString, SandboxError> {
    CString::new(s).map_err(|_| SandboxError::Invalid(format!("NUL byte in {s:?}")))
}

fn check(rc: libc::c_int) -> io::Result<()> {
    if rc < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

fn check_long(rc: libc::c_long) -> io::Result<()> {
    if rc < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

fn write_all_raw(fd: libc::c_int, buf: &[u8]) -> io::Result<()> {
    loop {
        // SAFETY: buf is valid for buf.len() bytes.
        let n = unsafe { libc::write(fd, buf.as_ptr().cast(), buf.len()) };
        if n >= 0 && n as usize == buf.len() {
            return Ok(());
        }
        if n >= 0 {
            return Err(io::Error::from_raw_os_error(libc::EIO));
        }
        let e = io::Error::last_os_error();
        if e.raw_os_error() != Some(libc::EINTR) {
            return Err(e);
        }
    }
}

fn has_cap_sys_admin() -> bool {
    static CAP: OnceLock<bool> = OnceLock::new();
    *CAP.get_or_init(|| {
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("CapEff:"))
                    .and_then(|v| u64::from_str_radix(v.trim(), 16).ok())
            })
            .is_some_and(|caps| caps & (1 << CAP_SYS_ADMIN) != 0)
    })
}

fn require_cap_sys_admin(what: &str) -> Result<(), SandboxError> {
    if has_cap_sys_admin() {
        Ok(())
    } else {
        Err(SandboxError::Unsupported(format!(
            "{what} needs CAP_SYS_ADMIN (run as root)"
        )))
    }
}

/// `(uid, gid)` of a local user, e.g. `"nobody"` → `(65534, 65534)`.
pub fn resolve_user(name: &str) -> Option<(u32, u32)> {
    nix::unistd::User::from_name(name)
        .ok()
        .flatten()
        .map(|u| (u.uid.as_raw(), u.gid.as_raw()))
}

/// Path of a util-linux `unshare` that supports `--kill-child` and `--setuid` (checked once).
pub fn unshare_binary() -> Option<&'static Path> {
    static FOUND: OnceLock<Option<PathBuf>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            ["/usr/bin/unshare", "/bin/unshare", "/usr/sbin/unshare"]
                .iter()
                .map(PathBuf::from)
                .find(|p| {
                    p.is_file()
                        && std::process::Command::new(p)
                            .arg("--help")
                            .stdin(std::process::Stdio::null())
                            .stderr(std::process::Stdio::null())
                            .output()
                            .ok()
                            .is_some_and(|o| {
                                let help = String::from_utf8_lossy(&o.stdout);
                                help.contains("--kill-child") && help.contains("--setuid")
                            })
                })
        })
        .as_deref()
}

/// The argv that runs `argv` as pid 1 of a new pid namespace with its own `/proc`, killed
/// when `unshare` dies, with privileges dropped to `run_as` by `unshare`. Pure.
pub fn pid_namespace_argv(
    unshare: &Path,
    run_as: Option<(u32, u32)>,
    argv: &[OsString],
) -> Vec<OsString> {
    let mut out: Vec<OsString> = vec![
        unshare.as_os_str().to_owned(),
        "--pid".into(),
        "--fork".into(),
        "--mount-proc".into(),
        "--kill-child".into(),
    ];
    if let Some((uid, gid)) = run_as {
        out.push("--setgid".into());
        out.push(gid.to_string().into());
        out.push("--setuid".into());
        out.push(uid.to_string().into());
    }
    out.push("--".into());
    out.extend(argv.iter().cloned());
    out
}
