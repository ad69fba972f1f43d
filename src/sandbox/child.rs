//! What the child does between clone and exec: attach, rlimits, mounts in its namespaces,
//! privilege drop, Landlock, seccomp.

use std::ffi::CString;
use std::io;
use std::os::fd::{AsRawFd, OwnedFd};
use std::path::Path;
use std::sync::{Arc, OnceLock};

use nix::sys::resource::{setrlimit, Resource};

use super::cgroup::ExecCgroup;
use super::landlock::{self, LandlockPlan};
use super::seccomp::SeccompFilter;
use super::{Limits, SandboxError};

/// What to apply to one child besides its cgroup.
#[derive(Debug, Clone, Default)]
pub struct ChildPlan {
    /// Limits; the rlimit ones are applied by [`PreExec`], the cgroup ones by
    /// [`CgroupManager::create`](super::CgroupManager::create).
    pub limits: Limits,
    /// New network namespace: only a `lo` that is down, so no network at all.
    pub network_none: bool,
    /// New mount namespace with fresh, size-capped tmpfs mounts on `/tmp` and `/dev/shm`
    /// (charged to the exec's memory cgroup, gone when its last process ends).
    pub private_tmp: bool,
    /// New pid namespace (the program is its pid 1, with its own `/proc`). Needs the clone
    /// flags of [`PreExec::clone_flags`] at spawn; implies a mount namespace.
    pub pid_namespace: bool,
    /// New IPC namespace: SysV IPC and POSIX message queues of its own.
    pub ipc_namespace: bool,
    /// Size of the private `/tmp` and `/dev/shm` each (default: the memory limit).
    pub tmp_size_bytes: Option<u64>,
    /// Host directories under `/tmp` or `/dev/shm` (a workspace there) that must stay visible
    /// at their own path over the private mounts: bind-mounted back after them.
    pub keep_visible: Vec<std::path::PathBuf>,
    /// Drop to this `(uid, gid)` with no supplementary groups.
    pub run_as: Option<(u32, u32)>,
    /// Filesystem confinement, applied last but one.
    pub landlock: Option<LandlockPlan>,
    /// The syscall filter, installed last.
    pub seccomp: Option<Arc<SeccompFilter>>,
}

/// Everything the child must do between clone and exec. Built in the parent (allocation
/// allowed there), executed by [`run`](Self::run) (no allocation, no locks).
pub struct PreExec {
    attach: Option<Arc<[OwnedFd]>>,
    parent_pid: libc::pid_t,
    rlimits: Vec<(Resource, u64, u64)>,
    clone_flags: libc::c_int,
    mounts: Vec<Mount>,
    drop_to: Option<(libc::uid_t, libc::gid_t)>,
    landlock: Option<LandlockPlan>,
    seccomp: Option<Arc<SeccompFilter>>,
    binds: Vec<Bind>,
}

/// A host directory kept visible over the private `/tmp`: opened before the mounts, its path
/// re-created in the new tmpfs (`dirs`, outermost first), then bind-mounted from the fd.
struct Bind {
    source: CString,
    dirs: Vec<CString>,
}

/// Most directories kept visible (their fds live in a fixed array in the child).
const MAX_BINDS: usize = 8;

/// One `mount(2)` call, prepared.
struct Mount {
    source: Option<CString>,
    target: CString,
    fstype: Option<CString>,
    flags: libc::c_ulong,
    data: Option<CString>,
}

impl std::fmt::Debug for PreExec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreExec")
            .field("attach_fds", &self.attach.as_ref().map(|a| a.len()))
            .field("rlimits", &self.rlimits)
            .field("clone_flags", &format_args!("{:#x}", self.clone_flags))
            .field("mounts", &self.mounts.len())
            .field("drop_to", &self.drop_to)
            .field("landlock", &self.landlock.as_ref().map(LandlockPlan::abi))
            .field("seccomp", &self.seccomp.is_some())
            .finish()
    }
}

const CAP_SYS_ADMIN: u32 = 21;
/// `close_range` flag: mark as close-on-exec instead of closing.
const CLOSE_RANGE_CLOEXEC: libc::c_uint = 1 << 2;
/// Default size of a private `/tmp` without a memory limit.
const DEFAULT_TMP_BYTES: u64 = 256 << 20;

impl PreExec {
    /// Prepares the child's steps for `plan`, attaching to `cgroup` when given. Refuses
    /// namespaces and uid changes this process cannot perform.
    pub fn new(plan: &ChildPlan, cgroup: Option<&ExecCgroup>) -> Result<Self, SandboxError> {
        let mut clone_flags = 0;
        for (wanted, flag, what) in [
            (plan.network_none, libc::CLONE_NEWNET, "network_none"),
            (plan.private_tmp, libc::CLONE_NEWNS, "private_tmp"),
            (
                plan.pid_namespace,
                libc::CLONE_NEWPID | libc::CLONE_NEWNS,
                "pid_namespace",
            ),
            (plan.ipc_namespace, libc::CLONE_NEWIPC, "ipc_namespace"),
        ] {
            if wanted {
                require_cap_sys_admin(what)?;
                clone_flags |= flag;
            }
        }
        if let Some((uid, gid)) = plan.run_as {
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
        Ok(Self {
            attach: cgroup.map(ExecCgroup::shared_fds),
            parent_pid: nix::unistd::getpid().as_raw(),
            rlimits,
            clone_flags,
            mounts: mounts(plan)?,
            binds: binds(plan)?,
            drop_to: plan.run_as,
            landlock: plan.landlock.clone(),
            seccomp: plan.seccomp.clone(),
        })
    }

    /// The namespace flags the child must be cloned with (`CLONE_NEW*`): a pid namespace
    /// can only be entered at clone time, so the spawner passes these to `clone(2)`.
    pub fn clone_flags(&self) -> libc::c_int {
        self.clone_flags
    }

    /// For a child made by `fork` (e.g. `std::process::Command::pre_exec`), which cannot get
    /// clone flags: creates the namespaces with `unshare(2)` and then does [`run`](Self::run).
    /// A pid namespace cannot be had this way (`EINVAL`).
    pub fn run_unshared(&self) -> io::Result<()> {
        if self.clone_flags & libc::CLONE_NEWPID != 0 {
            return Err(io::Error::from_raw_os_error(libc::EINVAL));
        }
        if self.clone_flags != 0 {
            // SAFETY: plain syscall.
            check(unsafe { libc::unshare(self.clone_flags) })?;
        }
        self.run()
    }

    /// Runs in the child, cloned with [`clone_flags`](Self::clone_flags), before exec (the
    /// caller already did `setpgid(0, 0)`): attach to the cgroup, parent-death signal,
    /// rlimits, private mounts, mark inherited fds close-on-exec, drop privileges,
    /// `no_new_privs`, Landlock, seccomp. Async-signal-safe: raw syscalls only, no allocation.
    ///
    /// The parent-death signal fires when the *thread* that cloned the child exits, not the process:
    /// spawn from long-lived threads (tokio workers), not from short-lived blocking threads.
    pub fn run(&self) -> io::Result<()> {
        if let Some(fds) = &self.attach {
            for fd in fds.iter() {
                write_all_raw(fd.as_raw_fd(), b"0")?;
            }
        }
        self.run_placed()
    }

    /// [`run`](Self::run) for a child the kernel created in its cgroup already
    /// (`clone3(CLONE_INTO_CGROUP)`): everything but the attach.
    pub fn run_placed(&self) -> io::Result<()> {
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
        // The parent may have died before the prctl above took effect. (In a new pid
        // namespace the parent is outside it and getppid() is 0; the spawner checks there.)
        let ppid = unsafe { libc::getppid() };
        if ppid != self.parent_pid && ppid != 0 {
            return Err(io::Error::from_raw_os_error(libc::ESRCH));
        }
        let mut rule_fds = [-1; landlock::MAX_RULES];
        if let Some(l) = &self.landlock {
            l.open_early(&mut rule_fds);
        }
        let mut bind_fds = [-1; MAX_BINDS];
        for (i, b) in self.binds.iter().enumerate() {
            bind_fds[i] = unsafe {
                libc::open(
                    b.source.as_ptr(),
                    libc::O_PATH | libc::O_DIRECTORY | libc::O_CLOEXEC,
                )
            };
        }
        for m in &self.mounts {
            let ptr = |c: &Option<CString>| c.as_ref().map_or(std::ptr::null(), |c| c.as_ptr());
            check(unsafe {
                libc::mount(
                    ptr(&m.source),
                    m.target.as_ptr(),
                    ptr(&m.fstype),
                    m.flags,
                    ptr(&m.data).cast(),
                )
            })?;
        }
        for (b, fd) in self.binds.iter().zip(bind_fds) {
            if fd < 0 {
                continue; // vanished meanwhile: nothing to keep
            }
            for d in &b.dirs {
                unsafe { libc::mkdir(d.as_ptr(), 0o755) };
            }
            let mut path = [0u8; 32];
            let from = fd_path(fd, &mut path);
            let rc = unsafe {
                libc::mount(
                    from,
                    b.source.as_ptr(),
                    std::ptr::null(),
                    libc::MS_BIND | libc::MS_REC,
                    std::ptr::null(),
                )
            };
            unsafe { libc::close(fd) };
            check(rc)?;
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
        if let Some(l) = &self.landlock {
            l.restrict(&mut rule_fds)?;
        }
        // Last but the filter: the child's fd table is a copy of the server's, whose
        // descriptors may number past the command's open-files limit; opening the Landlock
        // and bind paths after lowering it failed with EMFILE under load.
        for (res, soft, hard) in &self.rlimits {
            setrlimit(*res, *soft, *hard).map_err(|e| io::Error::from_raw_os_error(e as i32))?;
        }
        if let Some(f) = &self.seccomp {
            f.install()?;
        }
        Ok(())
    }
}

/// The mounts of a child's new mount namespace, in order: nothing propagates back to the host
/// (host mounts may still arrive), a `/proc` of its own pid namespace, private `/tmp` and
/// `/dev/shm`.
fn mounts(plan: &ChildPlan) -> Result<Vec<Mount>, SandboxError> {
    let mut out = Vec::new();
    if !(plan.private_tmp || plan.pid_namespace) {
        return Ok(out);
    }
    out.push(Mount {
        source: None,
        target: c("/")?,
        fstype: None,
        flags: libc::MS_REC | libc::MS_SLAVE,
        data: None,
    });
    if plan.pid_namespace {
        out.push(Mount {
            source: Some(c("proc")?),
            target: c("/proc")?,
            fstype: Some(c("proc")?),
            flags: libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC,
            data: None,
        });
    }
    if plan.private_tmp {
        let size = plan
            .tmp_size_bytes
            .or(plan.limits.memory_bytes)
            .unwrap_or(DEFAULT_TMP_BYTES);
        for (target, present) in ["/tmp", "/dev/shm"].into_iter().zip(private_mount_points()) {
            if !present {
                continue;
            }
            out.push(Mount {
                source: Some(c("tmpfs")?),
                target: c(target)?,
                fstype: Some(c("tmpfs")?),
                flags: libc::MS_NOSUID | libc::MS_NODEV,
                data: Some(c(&format!("mode=1777,size={size}"))?),
            });
        }
    }
    Ok(out)
}

/// Whether the host has `/tmp` and `/dev/shm` directories to mount over (looked up once:
/// the host's layout does not change under a running server).
fn private_mount_points() -> [bool; 2] {
    static PRESENT: OnceLock<[bool; 2]> = OnceLock::new();
    *PRESENT.get_or_init(|| ["/tmp", "/dev/shm"].map(|p| Path::new(p).is_dir()))
}

/// `/proc/self/fd/<fd>` written into `buf` (NUL-terminated), without allocating.
fn fd_path(fd: libc::c_int, buf: &mut [u8; 32]) -> *const libc::c_char {
    let prefix = b"/proc/self/fd/";
    buf[..prefix.len()].copy_from_slice(prefix);
    let mut digits = [0u8; 10];
    let (mut n, mut len) = (fd.unsigned_abs(), 0);
    loop {
        digits[len] = b'0' + (n % 10) as u8;
        len += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for i in 0..len {
        buf[prefix.len() + i] = digits[len - 1 - i];
    }
    buf[prefix.len() + len] = 0;
    buf.as_ptr().cast()
}

/// The host directories to bind back over the private `/tmp` and `/dev/shm`.
fn binds(plan: &ChildPlan) -> Result<Vec<Bind>, SandboxError> {
    if !plan.private_tmp {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for p in &plan.keep_visible {
        let hidden = ["/tmp", "/dev/shm"]
            .iter()
            .find(|m| p.starts_with(m) && p != Path::new(m));
        let Some(mount_point) = hidden else {
            continue;
        };
        if out.len() == MAX_BINDS {
            return Err(SandboxError::Invalid(format!(
                "more than {MAX_BINDS} workspaces under /tmp"
            )));
        }
        let mut dirs = Vec::new();
        let mut at = std::path::PathBuf::from(mount_point);
        if let Ok(rest) = p.strip_prefix(mount_point) {
            for part in rest.components() {
                at.push(part);
                dirs.push(c(&at.to_string_lossy())?);
            }
        }
        out.push(Bind {
            source: c(&p.to_string_lossy())?,
            dirs,
        });
    }
    Ok(out)
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

/// Whether this process may create namespaces and mount (checked once).
pub fn has_cap_sys_admin() -> bool {
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
