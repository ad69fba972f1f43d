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
    parent: libc::pid_t,
    jail: &'a dyn Jail,
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

/// Start `program` with `args`, `env` (complete), `cwd`, stdin from a pipe (when `pipe_stdin`)
/// or /dev/null, stdout/stderr to pipes, in its own process group, confined by `jail`.
pub fn spawn(
    program: &Path,
    argv0: &str,
    args: &[String],
    env: &[(String, String)],
    cwd: &Path,
    pipe_stdin: bool,
    jail: &dyn Jail,
) -> io::Result<Child> {
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

    let args = ChildArgs {
        program: &c_program,
        argv: &argv,
        envp: &envp,
        cwd: &c_cwd,
        stdin: stdin_read.as_raw_fd(),
        stdout: stdout_write.as_raw_fd(),
        stderr: stderr_write.as_raw_fd(),
        err_pipe: err_write.as_raw_fd(),
        // SAFETY: getpid has no preconditions.
        parent: unsafe { libc::getpid() },
        jail,
    };
    let mut stack = vec![0u8; CHILD_STACK];
    let mut pidfd: libc::c_int = -1;

    // Block every signal so no handler runs in the child on our memory; restored below.
    // SAFETY: plain signal-mask calls on local sigset_t values.
    let mut all: libc::sigset_t = unsafe { std::mem::zeroed() };
    let mut old: libc::sigset_t = unsafe { std::mem::zeroed() };
    unsafe {
        libc::sigfillset(&mut all);
        libc::pthread_sigmask(libc::SIG_SETMASK, &all, &mut old);
    }
    // SAFETY: the stack grows down, so pass its top. `child` only performs raw syscalls on
    // data borrowed from this frame, which outlives the child's use of it: CLONE_VFORK
    // suspends us until the child has exec'd or exited.
    let pid = unsafe {
        let end = stack.as_mut_ptr().add(CHILD_STACK) as usize;
        let top = (end & !0xF) as *mut libc::c_void;
        libc::clone(
            child,
            top,
            libc::CLONE_VM | libc::CLONE_VFORK | libc::CLONE_PIDFD | libc::SIGCHLD,
            &args as *const ChildArgs as *mut libc::c_void,
            &mut pidfd as *mut libc::c_int,
        )
    };
    let clone_err = io::Error::last_os_error();
    // SAFETY: restores the mask saved above.
    unsafe {
        libc::pthread_sigmask(libc::SIG_SETMASK, &old, std::ptr::null_mut());
    }
    drop(stack);
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
    let mut child = Child {
        pid,
        pidfd: None,
        stdin: stdin_write,
        stdout: Some(stdout_read),
        stderr: Some(stderr_read),
        reaped: false,
    };
    if n == 4 {
        // Reap the failed child before reporting.
        let _ = wait_blocking(&pidfd);
        child.reaped = true;
        return Err(io::Error::from_raw_os_error(i32::from_ne_bytes(errno)));
    }
    // SAFETY: the pidfd is owned by the AsyncFd and neither replaced nor closed while owned.
    let registered = unsafe { AsyncFd::register_with_interest(pidfd, Interest::READABLE) }
        .map_err(|e| io::Error::other(e.to_string()))?;
    child.pidfd = Some(registered);
    Ok(child)
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
        for (from, to) in [(a.stdin, 0), (a.stdout, 1), (a.stderr, 2)] {
            if libc::dup2(from, to) < 0 {
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
        if libc::getppid() != a.parent {
            return fail(libc::ESRCH);
        }
        if let Err(e) = a.jail.pre_exec() {
            return fail(e.raw_os_error().unwrap_or(libc::EPERM));
        }
        // The kernel clears the parent-death signal when the jail changes credentials
        // (prctl(2)): arm it again as the program's own user, and check once more that the
        // server did not die meanwhile.
        if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0) != 0 {
            return fail(last());
        }
        if libc::getppid() != a.parent {
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
    /// Wait for the child to exit and reap it.
    pub async fn wait(&mut self) -> io::Result<Status> {
        let Some(fd) = &self.pidfd else {
            return Err(io::Error::from_raw_os_error(libc::ECHILD));
        };
        loop {
            let mut guard = fd.readable().await?;
            match waitid(fd.get_ref(), libc::WNOHANG)? {
                Some(status) => {
                    self.reaped = true;
                    return Ok(status);
                }
                None => guard.clear_ready(),
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
            // SAFETY: pidfd_send_signal on our own pidfd.
            unsafe {
                libc::syscall(
                    libc::SYS_pidfd_send_signal,
                    fd.get_ref().as_raw_fd(),
                    libc::SIGKILL,
                    std::ptr::null::<libc::siginfo_t>(),
                    0,
                );
            }
            let _ = wait_blocking(fd.get_ref());
        }
    }
}
