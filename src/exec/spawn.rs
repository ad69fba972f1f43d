//! Spawning without `fork()`: `clone(CLONE_VM | CLONE_VFORK | CLONE_PIDFD)`, the way
//! `posix_spawn` works, with our own steps between clone and exec.
//!
//! Why: a `pre_exec` hook forces the standard library to `fork()`, which copies the server's
//! page tables and then makes the server take a copy-on-write fault for every page it touches
//! until the child has exec'd. That dominated the cost of a short command. With `CLONE_VM` the
//! child shares the parent's memory (the parent is suspended until the child execs or exits),
//! so nothing is copied.
//!
//! Rules for the child function (it runs on the parent's memory, on its own stack):
//! only raw syscalls; no allocation, no locks, no unwinding; every value it needs is prepared
//! by the parent beforehand. All signals are blocked in the parent around the clone, and the
//! child resets every signal (caught or ignored) to its default before unblocking them, so no
//! handler of the server can run on the shared memory and no ignored disposition (SIGPIPE)
//! reaches the program. The parent-death signal is armed again after the jail changed the
//! child's credentials, which clears it. Exec failures travel back over a close-on-exec pipe.
//! The jail's namespace flags (`CLONE_NEWPID` and friends) are added to the clone itself,
//! since a pid namespace cannot be entered later.
//!
//! Reaping uses the pidfd: readable when the child exits, then `waitid(P_PIDFD)`.

use std::ffi::{CString, OsStr};
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use tokio::io::unix::AsyncFd;
use tokio::io::Interest;

use super::Jail;

/// Stack for the child between clone and exec: the pre-exec steps are raw syscalls.
const CHILD_STACK: usize = 256 * 1024;
const GUARD: usize = 4096;

/// The top of this thread's child stack: mapped once per thread with a guard page below it
/// (an overflow faults instead of writing into the server's heap). One per thread is enough:
/// `CLONE_VFORK` suspends the thread until its child has exec'd or exited.
fn child_stack() -> io::Result<usize> {
    thread_local! {
        static TOP: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }
    TOP.with(|top| {
        if top.get() == 0 {
            // SAFETY: a fresh anonymous mapping; the guard page is made inaccessible.
            unsafe {
                let base = libc::mmap(
                    std::ptr::null_mut(),
                    CHILD_STACK + GUARD,
                    libc::PROT_READ | libc::PROT_WRITE,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_STACK,
                    -1,
                    0,
                );
                if base == libc::MAP_FAILED {
                    return Err(io::Error::last_os_error());
                }
                if libc::mprotect(base, GUARD, libc::PROT_NONE) != 0 {
                    let e = io::Error::last_os_error();
                    libc::munmap(base, CHILD_STACK + GUARD);
                    return Err(e);
                }
                // Kept for the thread's life (threads are long-lived workers).
                top.set(base as usize + GUARD + CHILD_STACK);
            }
        }
        Ok(top.get())
    })
}

/// A started child: its pid, a pidfd, and the parent's ends of its pipes.
pub struct Child {
    pub pid: i32,
    pidfd: Option<AsyncFd<OwnedFd>>,
    pub stdin: Option<OwnedFd>,
    pub stdout: Option<OwnedFd>,
    pub stderr: Option<OwnedFd>,
    reaped: bool,
}

/// How a child ended: an exit code or a signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status {
    pub code: Option<i32>,
    pub signal: Option<i32>,
}

/// Everything the child function reads. Built by the parent; the child only reads it.
struct ChildArgs<'a> {
    program: &'a CString,
    argv: &'a [*const libc::c_char],
    envp: &'a [*const libc::c_char],
    cwd: &'a CString,
    stdin: RawFd,
    stdout: RawFd,
    stderr: RawFd,
    err_pipe: RawFd,
    /// A pidfd of the server: readable once it has exited.
    parent: RawFd,
    jail: &'a dyn Jail,
    /// The kernel created the child in the jail's cgroup (`clone3(CLONE_INTO_CGROUP)`).
    placed: bool,
}

/// A pidfd of this process (close-on-exec), opened once: the child polls it to learn whether
/// the server died before the parent-death signal was armed. `getppid()` cannot tell inside a
/// new pid namespace, where the parent is outside and reads as 0.
fn server_pidfd() -> io::Result<RawFd> {
    static FD: std::sync::OnceLock<Option<OwnedFd>> = std::sync::OnceLock::new();
    FD.get_or_init(|| {
        // SAFETY: pidfd_open of our own pid; a fresh fd we then own.
        let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, libc::getpid(), 0) };
        (fd >= 0).then(|| unsafe { OwnedFd::from_raw_fd(fd as RawFd) })
    })
    .as_ref()
    .map(|fd| fd.as_raw_fd())
    .ok_or_else(|| io::Error::other("pidfd_open of the server failed (Linux >= 5.3 needed)"))
}

/// Whether the process behind `pidfd` has exited. Raw syscall, async-signal-safe.
fn exited(pidfd: RawFd) -> bool {
    let mut p = libc::pollfd {
        fd: pidfd,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd, no timeout.
    unsafe { libc::poll(&mut p, 1, 0) != 0 }
}

fn cstring(s: &OsStr) -> io::Result<CString> {
    CString::new(s.as_bytes()).map_err(|_| io::Error::from_raw_os_error(libc::EINVAL))
}

fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0; 2];
    // SAFETY: fds is a valid array of two ints.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: pipe2 returned two fresh descriptors we now own.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// Find `program` on `path_var` (the child's PATH) like `execvp` would, in the parent.
pub fn resolve(program: &str, path_var: &str) -> Option<std::path::PathBuf> {
    super::interp::which(program, path_var)
}

/// A child that has exec'd, not yet registered with the async runtime: made on a spawner
/// thread (see [`super::spawner`]), turned into a [`Child`] on the runtime. Dropped
/// unregistered, it is killed and reaped.
pub struct Spawned {
    pub pid: i32,
    pidfd: Option<OwnedFd>,
    stdin: Option<OwnedFd>,
    stdout: Option<OwnedFd>,
    stderr: Option<OwnedFd>,
}

impl Spawned {
    /// Registers the pidfd with the current tokio runtime.
    pub fn register(mut self) -> io::Result<Child> {
        let Some(pidfd) = self.pidfd.take() else {
            return Err(io::Error::from_raw_os_error(libc::ECHILD));
        };
        let mut child = Child {
            pid: self.pid,
            pidfd: None,
            stdin: self.stdin.take(),
            stdout: self.stdout.take(),
            stderr: self.stderr.take(),
            reaped: false,
        };
        // SAFETY: the pidfd is owned by the AsyncFd and neither replaced nor closed while owned.
        match unsafe { AsyncFd::register_with_interest(pidfd, Interest::READABLE) } {
            Ok(registered) => {
                child.pidfd = Some(registered);
                Ok(child)
            }
            Err(e) => Err(io::Error::other(e.to_string())),
        }
    }
}

impl Drop for Spawned {
    fn drop(&mut self) {
        if let Some(fd) = &self.pidfd {
            kill_and_reap(fd);
        }
    }
}

/// SIGKILL through the pidfd, then reap (blocking: a killed child exits at once).
fn kill_and_reap(fd: &OwnedFd) {
    // SAFETY: pidfd_send_signal on our own pidfd.
    unsafe {
        libc::syscall(
            libc::SYS_pidfd_send_signal,
            fd.as_raw_fd(),
            libc::SIGKILL,
            std::ptr::null::<libc::siginfo_t>(),
            0,
        );
    }
    let _ = wait_blocking(fd);
}

/// Start `program` with `args`, `env` (complete), `cwd`, stdin from a pipe (when `pipe_stdin`)
/// or /dev/null, stdout/stderr to pipes, in its own process group, confined by `jail`.
/// Blocks the calling thread until the child has exec'd (or failed to); needs no runtime.
pub fn spawn(
    program: &Path,
    argv0: &str,
    args: &[String],
    env: &[(String, String)],
    cwd: &Path,
    pipe_stdin: bool,
    jail: &dyn Jail,
) -> io::Result<Spawned> {
    let c_program = cstring(program.as_os_str())?;
    let mut c_args = vec![cstring(OsStr::new(argv0))?];
    for a in args {
        c_args.push(cstring(OsStr::new(a))?);
    }
    let mut c_env = Vec::with_capacity(env.len());
    for (k, v) in env {
        c_env.push(cstring(OsStr::new(&format!("{k}={v}")))?);
    }
    let argv: Vec<*const libc::c_char> = c_args
        .iter()
        .map(|c| c.as_ptr())
        .chain(std::iter::once(std::ptr::null()))
        .collect();
    let envp: Vec<*const libc::c_char> = c_env
        .iter()
        .map(|c| c.as_ptr())
        .chain(std::iter::once(std::ptr::null()))
        .collect();
    let c_cwd = cstring(cwd.as_os_str())?;

    let (stdin_read, stdin_write) = if pipe_stdin {
        let (r, w) = pipe()?;
        (r, Some(w))
    } else {
        let null = std::fs::File::open("/dev/null")?;
        (OwnedFd::from(null), None)
    };
    let (stdout_read, stdout_write) = pipe()?;
    let (stderr_read, stderr_write) = pipe()?;
    let (err_read, err_write) = pipe()?;

    let mut args = ChildArgs {
        program: &c_program,
        argv: &argv,
        envp: &envp,
        cwd: &c_cwd,
        stdin: stdin_read.as_raw_fd(),
        stdout: stdout_write.as_raw_fd(),
        stderr: stderr_write.as_raw_fd(),
        err_pipe: err_write.as_raw_fd(),
        parent: server_pidfd()?,
        jail,
        placed: false,
    };
    let stack = child_stack()?;
    let mut pidfd: libc::c_int = -1;
    let into_cgroup = jail.cgroup_dir_fd().filter(|_| super::clone3::available());

    // Block every signal so no handler runs in the child on our memory; restored below.
    // SAFETY: plain signal-mask calls on local sigset_t values.
    let mut all: libc::sigset_t = unsafe { std::mem::zeroed() };
    let mut old: libc::sigset_t = unsafe { std::mem::zeroed() };
    unsafe {
        libc::sigfillset(&mut all);
        libc::pthread_sigmask(libc::SIG_SETMASK, &all, &mut old);
    }
    // The child is made by clone3 straight into its cgroup when the jail has a v2 group and
    // the kernel can, else by clone(2) (it then joins by writing cgroup.procs).
    let flags = libc::CLONE_VM | libc::CLONE_VFORK | libc::CLONE_PIDFD | jail.clone_flags();
    let top = stack & !0xF;
    let mut pid: libc::pid_t = -1;
    if let Some(cgroup_fd) = into_cgroup {
        args.placed = true;
        // SAFETY: as for clone below; the stack is this thread's (CHILD_STACK bytes below
        // `top`), `child` never returns into our frame, `pidfd` is ours to write.
        let r = unsafe {
            super::clone3::clone_into(
                flags as u64,
                cgroup_fd,
                top,
                CHILD_STACK - 64,
                &mut pidfd,
                child,
                &args as *const ChildArgs as *mut libc::c_void,
            )
        };
        if r >= 0 {
            pid = r as libc::pid_t;
        } else {
            // Not on this kernel or not for this group: the child joins by cgroup.procs.
            super::clone3::note_error(-r as i32);
            args.placed = false;
        }
    }
    let mut clone_err = io::Error::from_raw_os_error(0);
    if pid < 0 {
        // SAFETY: the stack grows down, so pass its top (a mapping of this thread's that
        // nothing else uses while the child runs). `child` only performs raw syscalls on
        // data borrowed from this frame, which outlives the child's use of it: CLONE_VFORK
        // suspends us until the child has exec'd or exited.
        pid = unsafe {
            libc::clone(
                child,
                top as *mut libc::c_void,
                flags | libc::SIGCHLD,
                &args as *const ChildArgs as *mut libc::c_void,
                &mut pidfd as *mut libc::c_int,
            )
        };
        clone_err = io::Error::last_os_error();
    }
    // SAFETY: restores the mask saved above.
    unsafe {
        libc::pthread_sigmask(libc::SIG_SETMASK, &old, std::ptr::null_mut());
    }
    if pid < 0 {
        return Err(clone_err);
    }
    // SAFETY: CLONE_PIDFD stored a fresh pidfd we now own.
    let pidfd = unsafe { OwnedFd::from_raw_fd(pidfd) };
    drop((stdin_read, stdout_write, stderr_write, err_write));

    // The child has exec'd (the pipe closed on exec: EOF) or failed (it wrote its errno).
    let mut errno = [0u8; 4];
    let n = loop {
        // SAFETY: reading into a 4-byte buffer from our own pipe.
        let n = unsafe { libc::read(err_read.as_raw_fd(), errno.as_mut_ptr().cast(), 4) };
        if n < 0 && io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) {
            continue;
        }
        break n;
    };
    if n == 4 {
        // Reap the failed child before reporting.
        let _ = wait_blocking(&pidfd);
        return Err(io::Error::from_raw_os_error(i32::from_ne_bytes(errno)));
    }
    Ok(Spawned {
        pid,
        pidfd: Some(pidfd),
        stdin: stdin_write,
        stdout: Some(stdout_read),
        stderr: Some(stderr_read),
    })
}

/// The child side: runs on its own stack in the parent's memory. Raw syscalls only.
extern "C" fn child(arg: *mut libc::c_void) -> libc::c_int {
    // SAFETY: `arg` points to the parent's ChildArgs, alive while the parent is suspended.
    let a = unsafe { &*(arg as *const ChildArgs) };
    let fail = |errno: i32| -> libc::c_int {
        let bytes = errno.to_ne_bytes();
        // SAFETY: raw write and _exit; nothing else is touched.
        unsafe {
            libc::write(a.err_pipe, bytes.as_ptr().cast(), 4);
            libc::_exit(127)
        }
    };
    let last = || {
        io::Error::last_os_error()
            .raw_os_error()
            .unwrap_or(libc::EIO)
    };
    // SAFETY (all blocks): raw syscalls on descriptors and C strings prepared by the parent.
    unsafe {
        // Every signal back to its default before anything can unblock them: caught ones (no
        // handler may run on the server's memory) and ignored ones too — an ignored
        // disposition survives execve, and the Rust runtime ignores SIGPIPE, so `yes | head`
        // would print "Broken pipe" instead of dying quietly.
        // The raw syscall reaches the signals glibc's wrapper refuses (32 and 33, which a
        // parent of the server may have left ignored). A zeroed kernel sigaction is SIG_DFL
        // with no flags whatever the struct's layout.
        let dfl = [0u64; 4];
        for sig in 1..=64 {
            if sig != libc::SIGKILL && sig != libc::SIGSTOP {
                libc::syscall(
                    libc::SYS_rt_sigaction,
                    sig,
                    dfl.as_ptr(),
                    std::ptr::null_mut::<u64>(),
                    8usize,
                );
            }
        }
        // A source already at 0..2 (a server started with a standard fd closed) is first
        // moved above them: `dup2` onto itself would keep its close-on-exec flag, and an
        // earlier `dup2` could overwrite a later source.
        let mut from = [a.stdin, a.stdout, a.stderr];
        for fd in from.iter_mut() {
            if *fd < 3 {
                let moved = libc::fcntl(*fd, libc::F_DUPFD_CLOEXEC, 3);
                if moved < 0 {
                    return fail(last());
                }
                *fd = moved;
            }
        }
        for (to, fd) in from.into_iter().enumerate() {
            if libc::dup2(fd, to as libc::c_int) < 0 {
                return fail(last());
            }
        }
        if libc::setpgid(0, 0) != 0 {
            return fail(last());
        }
        if libc::chdir(a.cwd.as_ptr()) != 0 {
            return fail(last());
        }
        // Die with the server (checked against a parent that died before the prctl).
        if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0) != 0 {
            return fail(last());
        }
        if exited(a.parent) {
            return fail(libc::ESRCH);
        }
        let set_up = if a.placed {
            a.jail.pre_exec_placed()
        } else {
            a.jail.pre_exec()
        };
        if let Err(e) = set_up {
            return fail(e.raw_os_error().unwrap_or(libc::EPERM));
        }
        // The kernel clears the parent-death signal when the jail changes credentials
        // (prctl(2)): arm it again as the program's own user, and check once more that the
        // server did not die meanwhile.
        if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0) != 0 {
            return fail(last());
        }
        if exited(a.parent) {
            return fail(libc::ESRCH);
        }
        let mut empty: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut empty);
        libc::sigprocmask(libc::SIG_SETMASK, &empty, std::ptr::null_mut());
        libc::execve(a.program.as_ptr(), a.argv.as_ptr(), a.envp.as_ptr());
        fail(last())
    }
}

fn status_of(info: &libc::siginfo_t) -> Status {
    // SAFETY: waitid filled a SIGCHLD siginfo.
    let value = unsafe { info.si_status() };
    match info.si_code {
        libc::CLD_EXITED => Status {
            code: Some(value),
            signal: None,
        },
        _ => Status {
            code: None,
            signal: Some(value),
        },
    }
}

/// `waitid(P_PIDFD)`; `Ok(None)` when the child has not exited yet (with `WNOHANG`).
fn waitid(pidfd: &OwnedFd, flags: libc::c_int) -> io::Result<Option<Status>> {
    loop {
        // SAFETY: zeroed siginfo is valid output storage.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        // SAFETY: a valid pidfd and output pointer.
        let r = unsafe {
            libc::waitid(
                libc::P_PIDFD,
                pidfd.as_raw_fd() as libc::id_t,
                &mut info,
                libc::WEXITED | flags,
            )
        };
        if r < 0 {
            let e = io::Error::last_os_error();
            if e.raw_os_error() == Some(libc::EINTR) {
                continue;
            }
            return Err(e);
        }
        // SAFETY: as above.
        if unsafe { info.si_pid() } == 0 {
            return Ok(None);
        }
        return Ok(Some(status_of(&info)));
    }
}

fn wait_blocking(pidfd: &OwnedFd) -> io::Result<Status> {
    waitid(pidfd, 0)?.ok_or_else(|| io::Error::from_raw_os_error(libc::ECHILD))
}

impl Child {
    /// Wait for the child to exit, without reaping it: until [`reap`](Self::reap) it is a
    /// zombie that keeps its pid, so the number of the process group it leads cannot be
    /// handed to another process while the group is still being signalled.
    pub async fn exited(&mut self) -> io::Result<Status> {
        let Some(fd) = &self.pidfd else {
            return Err(io::Error::from_raw_os_error(libc::ECHILD));
        };
        loop {
            let mut guard = fd.readable().await?;
            match waitid(fd.get_ref(), libc::WNOHANG | libc::WNOWAIT)? {
                Some(status) => return Ok(status),
                None => guard.clear_ready(),
            }
        }
    }

    /// Reap a child that [`exited`](Self::exited) reported. From here on its pid (and the
    /// group number) may belong to any new process: never signal the group after this.
    pub fn reap(&mut self) {
        if let Some(fd) = &self.pidfd {
            if let Ok(Some(_)) = waitid(fd.get_ref(), libc::WNOHANG) {
                self.reaped = true;
            }
        }
    }
}

impl Drop for Child {
    /// A child that is dropped unreaped (supervision cancelled) is killed and reaped here, so
    /// it never lingers as a zombie.
    fn drop(&mut self) {
        if self.reaped {
            return;
        }
        if let Some(fd) = &self.pidfd {
            kill_and_reap(fd.get_ref());
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::sync::atomic::{AtomicBool, Ordering};

    /// A jail with a cgroup v2 directory and nothing else, recording which set-up ran.
    struct IntoGroup {
        dir: OwnedFd,
        placed: AtomicBool,
        unplaced: AtomicBool,
    }

    impl Jail for IntoGroup {
        fn pre_exec(&self) -> io::Result<()> {
            self.unplaced.store(true, Ordering::Relaxed);
            Ok(())
        }
        fn cgroup_dir_fd(&self) -> Option<RawFd> {
            Some(self.dir.as_raw_fd())
        }
        fn pre_exec_placed(&self) -> io::Result<()> {
            self.placed.store(true, Ordering::Relaxed);
            Ok(())
        }
        fn kill_all(&self) {}
        fn report(&self, _: Option<i32>) -> super::super::JailReport {
            super::super::JailReport::default()
        }
        fn enforced(&self) -> Vec<super::super::Enforced> {
            Vec::new()
        }
    }

    /// The cgroup2 mount of this host (pure v2 or the hybrid `unified` one).
    fn cgroup2_mount() -> Option<std::path::PathBuf> {
        let info = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
        info.lines().find_map(|l| {
            let (left, right) = l.split_once(" - ")?;
            right
                .starts_with("cgroup2 ")
                .then(|| left.split_whitespace().nth(4).map(std::path::PathBuf::from))?
        })
    }

    #[test]
    fn clone3_creates_the_child_inside_its_cgroup_v2_group_without_the_cgroup_procs_write() {
        let require = std::env::var("SHELLWISE_REQUIRE_CGROUPS").as_deref() == Ok("1");
        let skip = |why: &str| {
            assert!(!require, "cannot run: {why}");
            println!("SKIP: {why}");
        };
        if !nix::unistd::geteuid().is_root() {
            return skip("needs root to create a cgroup");
        }
        let Some(mount) = cgroup2_mount() else {
            return skip("no cgroup2 mount");
        };
        if !cfg!(target_arch = "x86_64") {
            return skip("the clone3 trampoline is x86-64 only");
        }
        // Our own v2 cgroup, so the group is where this process may create one.
        let own = std::fs::read_to_string("/proc/self/cgroup")
            .unwrap()
            .lines()
            .find_map(|l| l.strip_prefix("0::").map(str::to_string))
            .unwrap();
        let rel = format!(
            "{}/shellwise-clone3-test-{}",
            own.trim_end_matches('/'),
            std::process::id()
        );
        let group = mount.join(rel.trim_start_matches('/'));
        std::fs::create_dir(&group).unwrap();
        let jail = IntoGroup {
            dir: OwnedFd::from(std::fs::File::open(&group).unwrap()),
            placed: AtomicBool::new(false),
            unplaced: AtomicBool::new(false),
        };
        let spawned = spawn(
            Path::new("/bin/cat"),
            "cat",
            &["/proc/self/cgroup".to_string()],
            &[],
            Path::new("/"),
            false,
            &jail,
        )
        .unwrap();
        let mut out = String::new();
        let mut stdout = std::fs::File::from(spawned_stdout(&spawned));
        stdout.read_to_string(&mut out).unwrap();
        drop(spawned);
        let _ = std::fs::remove_dir(&group);
        assert!(
            out.lines().any(|l| l == format!("0::{rel}")),
            "the child's cgroups: {out}"
        );
        assert!(jail.placed.load(Ordering::Relaxed), "pre_exec_placed ran");
        assert!(
            !jail.unplaced.load(Ordering::Relaxed),
            "no cgroup.procs set-up"
        );
    }

    fn spawned_stdout(s: &Spawned) -> OwnedFd {
        s.stdout.as_ref().unwrap().try_clone().unwrap()
    }
}
