//! Spawning and supervising one child: pipes, timeout, output cap, cancellation, cleanup.

use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use nix::sys::signal::Signal;
use tokio::io::AsyncWriteExt;
use tokio::net::unix::pipe;

use super::spawn::{self, Child, Status};
use super::spawner;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::{kill_group, Engine, ExecEvent, ExecSpec, Execution, ExitInfo, Jail, LimitHit};
use super::{SpawnError, Stream};

/// Events buffered between the supervisor and the consumer; a slow consumer back-pressures the
/// pipes (and so the child), never memory.
const EVENT_QUEUE: usize = 64;
const READ_CHUNK: usize = 32 * 1024;

/// Kills the group and releases the jail however supervision ends (normal exit, panic, abort,
/// runtime shutdown).
struct GroupGuard {
    engine: Arc<Engine>,
    pgid: i32,
    jail: Arc<dyn Jail>,
    /// Set once the group is killed, the jail emptied and the leader reaped: its pid, the
    /// group's number, may be another process's now, so the group is never signalled again.
    leader_reaped: bool,
}

impl Drop for GroupGuard {
    fn drop(&mut self) {
        // Supervision that ran to the end already killed the group and emptied the jail.
        if !self.leader_reaped {
            kill_group(self.pgid, Signal::SIGKILL);
            if !self.jail.drained() {
                self.jail.kill_all();
            }
        }
        self.engine.unregister(self.pgid);
    }
}

pub(super) async fn start(
    engine: Arc<Engine>,
    spec: ExecSpec,
    jail: Box<dyn Jail>,
) -> Result<Execution, SpawnError> {
    let started = Instant::now();
    let jail: Arc<dyn Jail> = Arc::from(jail);
    let path_var = spec
        .env
        .iter()
        .find(|(k, _)| k == "PATH")
        .map(|(_, v)| v.as_str())
        .unwrap_or("/usr/local/bin:/usr/bin:/bin");
    let program = spawn::resolve(&spec.program, path_var)
        .ok_or_else(|| SpawnError::NotFound(spec.program.clone()))?;
    // The clone happens on a spawner thread (CLONE_VFORK blocks its caller while the child
    // sets up its box); the child is registered with this runtime afterwards.
    let for_spawner = Arc::clone(&jail);
    let (spec, spawned) = spawner::run(move || {
        let spawned = spawn::spawn(
            &program,
            &spec.program,
            &spec.args,
            &spec.env,
            &spec.cwd,
            spec.stdin.is_some(),
            for_spawner.as_ref(),
        );
        (spec, spawned)
    })
    .await
    .ok_or_else(|| SpawnError::Io {
        program: "(spawner)".to_string(),
        source: io::Error::other("the spawner thread panicked"),
    })?;
    let mut child = spawned
        .and_then(spawn::Spawned::register)
        .map_err(|source| match source.raw_os_error() {
            Some(libc::ENOENT) => SpawnError::NotFound(spec.program.clone()),
            Some(libc::EACCES | libc::ENOEXEC | libc::EISDIR) => {
                SpawnError::PermissionDenied(spec.program.clone())
            }
            _ => SpawnError::Io {
                program: spec.program.clone(),
                source,
            },
        })?;
    let pid = child.pid as u32;
    let pgid = child.pid;
    engine.register(pgid);
    let guard = GroupGuard {
        engine,
        pgid,
        jail,
        leader_reaped: false,
    };
    let io_err = |source| SpawnError::Io {
        program: spec.program.clone(),
        source,
    };
    let receiver = |fd: Option<std::os::fd::OwnedFd>| {
        fd.map(pipe::Receiver::from_owned_fd)
            .transpose()
            .map_err(io_err)
    };
    let stdout = receiver(child.stdout.take())?;
    let stderr = receiver(child.stderr.take())?;
    let (tx, rx) = mpsc::channel(EVENT_QUEUE);
    let _ = tx.try_send(ExecEvent::Started { pid });
    if let (Some(fd), Some(data)) = (child.stdin.take(), spec.stdin.clone()) {
        let mut stdin = pipe::Sender::from_owned_fd(fd).map_err(io_err)?;
        tokio::spawn(async move {
            // EPIPE (the child did not read it all) is normal and not an error of the request.
            let _ = stdin.write_all(&data).await;
            let _ = stdin.shutdown().await;
        });
    }
    let cancel = CancellationToken::new();
    tokio::spawn(supervise(
        child,
        (stdout, stderr),
        tx,
        spec,
        guard,
        (started, cancel.clone()),
    ));
    Ok(Execution {
        pid,
        events: rx,
        cancel,
    })
}

/// Shared between the two pumps: total bytes seen and the signal that the cap was crossed.
struct OutputBudget {
    seen: AtomicU64,
    max: u64,
    exceeded: CancellationToken,
}

/// Kills what is left in the jail. Killing a group that still has members waits for them to
/// die (freezing, signalling, polling): that runs on a blocking thread, so an async worker
/// never sleeps in it; an already empty jail costs one quick read here.
async fn empty_jail(jail: &Arc<dyn Jail>) {
    if jail.drained() {
        return;
    }
    let jail = Arc::clone(jail);
    if tokio::task::spawn_blocking(move || jail.kill_all())
        .await
        .is_err()
    {
        tracing::warn!("the blocking thread emptying a jail failed");
    }
}

async fn supervise(
    child: Child,
    (stdout, stderr): (Option<pipe::Receiver>, Option<pipe::Receiver>),
    tx: mpsc::Sender<ExecEvent>,
    spec: ExecSpec,
    guard: GroupGuard,
    (started, cancel): (Instant, CancellationToken),
) {
    // Declared in this order so that, if supervision is cut short, the guard (dropped
    // first) signals the group while the child is still unreaped; then the child's drop
    // kills and reaps it.
    let mut child = child;
    let mut guard = guard;
    let stop_pumps = CancellationToken::new();
    let budget = Arc::new(OutputBudget {
        seen: AtomicU64::new(0),
        max: spec.max_output_bytes,
        exceeded: CancellationToken::new(),
    });
    let pumps = [
        stdout.map(|p| {
            tokio::spawn(pump(
                p,
                Stream::Stdout,
                tx.clone(),
                stop_pumps.clone(),
                budget.clone(),
            ))
        }),
        stderr.map(|p| {
            tokio::spawn(pump(
                p,
                Stream::Stderr,
                tx.clone(),
                stop_pumps.clone(),
                budget.clone(),
            ))
        }),
    ];

    let pgid = guard.pgid;
    let mut timed_out = false;
    let mut cancelled = false;
    let mut limit = None;
    let status: io::Result<Status> = tokio::select! {
        status = child.exited() => status,
        _ = tokio::time::sleep(spec.timeout) => {
            timed_out = true;
            limit = Some(LimitHit::WallTime);
            kill_group(pgid, Signal::SIGTERM);
            // pid 1 of a namespace drops a signal it has no handler for: a lone `sleep`
            // would only wait out the grace period.
            let grace = if super::sigterm_is_dropped(pgid) {
                std::time::Duration::ZERO
            } else {
                spec.kill_grace
            };
            tokio::select! {
                status = child.exited() => status,
                _ = tokio::time::sleep(grace) => {
                    kill_group(pgid, Signal::SIGKILL);
                    empty_jail(&guard.jail).await;
                    child.exited().await
                }
            }
        }
        _ = budget.exceeded.cancelled() => {
            limit = Some(LimitHit::Output);
            kill_group(pgid, Signal::SIGKILL);
            empty_jail(&guard.jail).await;
            child.exited().await
        }
        // Cancelled by its owner (the exit is still reported), or nobody reads the events.
        _ = cancel.cancelled() => {
            cancelled = true;
            kill_group(pgid, Signal::SIGKILL);
            empty_jail(&guard.jail).await;
            child.exited().await
        }
        _ = tx.closed() => {
            cancelled = true;
            kill_group(pgid, Signal::SIGKILL);
            empty_jail(&guard.jail).await;
            child.exited().await
        }
    };
    // The leader has exited but is not reaped: its pid, the group's number, is still its
    // own. Nothing it left behind may outlive the request; then reap it.
    kill_group(pgid, Signal::SIGKILL);
    empty_jail(&guard.jail).await;
    guard.engine.unregister(pgid);
    guard.leader_reaped = true;
    child.reap();
    #[cfg(test)]
    tests::after_leader_reaped(pgid);

    let drain_deadline = tokio::time::sleep(spec.drain);
    tokio::pin!(drain_deadline);
    for pump in pumps.into_iter().flatten() {
        tokio::pin!(pump);
        tokio::select! {
            _ = &mut pump => {}
            _ = &mut drain_deadline => {
                stop_pumps.cancel();
                let _ = pump.await;
            }
        }
    }
    if budget.exceeded.is_cancelled() && limit.is_none() {
        limit = Some(LimitHit::Output);
    }
    let (code, signal) = match &status {
        Ok(s) => (s.code, s.signal),
        Err(_) => (None, Some(libc::SIGKILL)),
    };
    let report = guard.jail.report(signal);
    // A kernel limit explains a kill better than the wall clock that followed it.
    if report.limit.is_some() && limit != Some(LimitHit::Output) {
        limit = report.limit;
    }
    let exit_code = if timed_out {
        124
    } else {
        code.unwrap_or_else(|| 128 + signal.unwrap_or(0))
    };
    let info = ExitInfo {
        exit_code,
        signal,
        timed_out,
        limit,
        duration: started.elapsed(),
        cancelled,
        resources: report.resources,
    };
    let outcome = if cancelled {
        "cancelled"
    } else if timed_out {
        "timeout"
    } else if limit.is_some() {
        "limit"
    } else if exit_code == 0 {
        "success"
    } else {
        "failure"
    };
    metrics::counter!("shellwise_execs_total", "outcome" => outcome).increment(1);
    metrics::histogram!("shellwise_exec_duration_seconds").record(info.duration.as_secs_f64());
    let _ = tx.send(ExecEvent::Exit(Box::new(info))).await;
    drop(guard);
}

thread_local! {
    /// One read buffer per worker thread: a pump waits for its pipe to be readable without
    /// holding memory, then reads here and keeps only the bytes it got. (A buffer per pump
    /// cost 2 x 32 KiB of resident memory per command, mostly while it sat quiet.)
    static READ_BUF: std::cell::RefCell<Box<[u8]>> =
        std::cell::RefCell::new(vec![0u8; READ_CHUNK].into_boxed_slice());
}

/// What one non-blocking read gave.
enum Read {
    Data(Bytes),
    Again,
    End,
}

fn read_some(pipe: &pipe::Receiver) -> Read {
    READ_BUF.with_borrow_mut(|buf| match pipe.try_read(buf) {
        Ok(0) => Read::End,
        Ok(n) => Read::Data(Bytes::copy_from_slice(&buf[..n])),
        Err(e) if e.kind() == io::ErrorKind::WouldBlock => Read::Again,
        Err(e) if e.kind() == io::ErrorKind::Interrupted => Read::Again,
        Err(_) => Read::End,
    })
}

async fn pump(
    pipe: pipe::Receiver,
    stream: Stream,
    tx: mpsc::Sender<ExecEvent>,
    stop: CancellationToken,
    budget: Arc<OutputBudget>,
) {
    loop {
        let chunk = tokio::select! {
            r = pipe.readable() => match r {
                Ok(()) => match read_some(&pipe) {
                    Read::Data(chunk) => chunk,
                    Read::Again => continue,
                    Read::End => return,
                },
                Err(_) => return,
            },
            _ = stop.cancelled() => return,
        };
        let n = chunk.len();
        let before = budget.seen.fetch_add(n as u64, Ordering::Relaxed);
        let allowed = budget.max.saturating_sub(before).min(n as u64) as usize;
        let over = allowed < n;
        if allowed > 0 {
            let chunk = chunk.slice(..allowed);
            let event = match stream {
                Stream::Stdout => ExecEvent::Stdout(chunk),
                Stream::Stderr => ExecEvent::Stderr(chunk),
            };
            tokio::select! {
                r = tx.send(event) => if r.is_err() { return },
                _ = stop.cancelled() => return,
            }
        }
        if over {
            budget.exceeded.cancel();
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::sync::Mutex;
    use std::time::Duration;

    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    use std::time::Instant;

    use super::super::{Enforced, Engine, ExecEvent, ExecSpec, Jail, JailReport, NoJail};

    /// (the reaped leader's pid, the pid the test's stand-in got) for the current attempt.
    static TAKEN: Mutex<Option<(i32, i32)>> = Mutex::new(None);
    /// Only the pid-reuse test takes freed pids; every other exec of the test binary is left
    /// alone.
    static TAKE_REAPED_PIDS: AtomicBool = AtomicBool::new(false);

    /// Called by `supervise` once the leader has been reaped: a stand-in for an unrelated
    /// process (another caller's command) takes the freed pid and leads its own group, as a
    /// new command's leader does with `setsid`.
    pub(super) fn after_leader_reaped(pid: i32) {
        if !TAKE_REAPED_PIDS.load(Ordering::SeqCst) {
            return;
        }
        // The next pid the kernel hands out is `pid` (needs CAP_SYS_ADMIN or
        // CAP_CHECKPOINT_RESTORE; another process on the host may still get there first).
        if std::fs::write("/proc/sys/kernel/ns_last_pid", (pid - 1).to_string()).is_err() {
            return;
        }
        // SAFETY: the child only calls async-signal-safe functions (setsid, pause, _exit).
        let forked = unsafe { libc::fork() };
        if forked == 0 {
            unsafe {
                libc::setsid();
                loop {
                    libc::pause();
                }
            }
        }
        if forked > 0 {
            if let Ok(mut t) = TAKEN.lock() {
                *t = Some((pid, forked));
            }
        }
    }

    fn spec() -> ExecSpec {
        ExecSpec {
            program: "/bin/true".to_string(),
            args: Vec::new(),
            cwd: "/".into(),
            env: vec![("PATH".to_string(), "/usr/bin:/bin".to_string())],
            stdin: None,
            timeout: Duration::from_secs(10),
            kill_grace: Duration::from_millis(100),
            drain: Duration::from_millis(100),
            max_output_bytes: 1 << 20,
        }
    }

    /// Whether `pid` (our child) is still running: not exited, not killed.
    fn running(pid: i32) -> bool {
        let mut status = 0;
        // SAFETY: waitpid on our own child with WNOHANG.
        unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) == 0 }
    }

    fn stop(pid: i32) {
        // SAFETY: our own child.
        unsafe {
            libc::kill(pid, libc::SIGKILL);
            libc::waitpid(pid, std::ptr::null_mut(), 0);
        }
    }

    /// A jail whose members take a while to die: emptying it blocks for `KILL_TAKES`, the way
    /// a cgroup kill loop freezes, signals and polls until its group is empty.
    struct SlowToEmpty {
        emptied: AtomicBool,
    }

    const KILL_TAKES: Duration = Duration::from_millis(800);

    impl Jail for SlowToEmpty {
        fn pre_exec(&self) -> std::io::Result<()> {
            Ok(())
        }
        fn kill_all(&self) {
            if !self.emptied.swap(true, Ordering::SeqCst) {
                std::thread::sleep(KILL_TAKES);
            }
        }
        fn drained(&self) -> bool {
            self.emptied.load(Ordering::SeqCst)
        }
        fn report(&self, _: Option<i32>) -> JailReport {
            JailReport::default()
        }
        fn enforced(&self) -> Vec<Enforced> {
            Vec::new()
        }
    }

    /// Item 10 of #10: emptying a jail (a cgroup kill loop that sleeps between passes) must
    /// not run on an async worker. One worker here: a ticker on it keeps ticking while the
    /// command's jail is emptied.
    #[tokio::test(flavor = "multi_thread", worker_threads = 1)]
    async fn emptying_a_jail_does_not_stall_the_async_worker() {
        let ticks = Arc::new(std::sync::Mutex::new(Vec::<Instant>::new()));
        let ticker = {
            let ticks = Arc::clone(&ticks);
            tokio::spawn(async move {
                loop {
                    ticks.lock().unwrap().push(Instant::now());
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            })
        };
        let engine = Engine::new();
        let jail = SlowToEmpty {
            emptied: AtomicBool::new(false),
        };
        let started = Instant::now();
        let mut exec = engine.start(spec(), Box::new(jail)).await.unwrap();
        while let Some(event) = exec.events.recv().await {
            if matches!(event, ExecEvent::Exit(_)) {
                break;
            }
        }
        let took = started.elapsed();
        ticker.abort();
        assert!(
            took >= KILL_TAKES,
            "the jail was emptied before the exit ({took:?})"
        );
        let ticks = ticks.lock().unwrap();
        let longest = ticks
            .windows(2)
            .map(|w| w[1] - w[0])
            .max()
            .unwrap_or_default();
        assert!(
            longest < KILL_TAKES / 2,
            "the async worker stalled for {longest:?} while the jail was emptied"
        );
    }

    /// Item 10 of #10: once a leader is reaped its pid is free, and the process group number
    /// with it. A command's clean-up must not signal that group afterwards: by then it may be
    /// another caller's command.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_process_that_takes_a_reaped_leaders_pid_is_never_signalled_by_its_clean_up() {
        if !nix::unistd::geteuid().is_root() {
            assert!(
                std::env::var("SHELLWISE_REQUIRE_CGROUPS").as_deref() != Ok("1"),
                "cannot run: needs root to choose the next pid"
            );
            println!("SKIP: needs root to choose the next pid (/proc/sys/kernel/ns_last_pid)");
            return;
        }
        TAKE_REAPED_PIDS.store(true, Ordering::SeqCst);
        let engine = Engine::new();
        for _ in 0..50 {
            let mut exec = engine.start(spec(), Box::new(NoJail)).await.unwrap();
            while let Some(event) = exec.events.recv().await {
                if matches!(event, ExecEvent::Exit(_)) {
                    break;
                }
            }
            // Let everything the supervisor does after the exit event happen.
            drop(exec);
            tokio::time::sleep(Duration::from_millis(50)).await;
            let Some((leader, stand_in)) = TAKEN.lock().unwrap().take() else {
                continue;
            };
            let alive = running(stand_in);
            stop(stand_in);
            if stand_in != leader {
                continue; // another process took the pid first; try again
            }
            assert!(
                alive,
                "pid {leader}, reused after its leader was reaped, was killed by that leader's clean-up"
            );
            return;
        }
        panic!("no attempt got the reaped leader's pid for the stand-in");
    }
}
