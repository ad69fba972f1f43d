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
}

impl Drop for GroupGuard {
    fn drop(&mut self) {
        kill_group(self.pgid, Signal::SIGKILL);
        self.jail.kill_all();
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
    let guard = GroupGuard { engine, pgid, jail };
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

async fn supervise(
    mut child: Child,
    (stdout, stderr): (Option<pipe::Receiver>, Option<pipe::Receiver>),
    tx: mpsc::Sender<ExecEvent>,
    spec: ExecSpec,
    guard: GroupGuard,
    (started, cancel): (Instant, CancellationToken),
) {
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
        status = child.wait() => status,
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
                status = child.wait() => status,
                _ = tokio::time::sleep(grace) => {
                    kill_group(pgid, Signal::SIGKILL);
                    guard.jail.kill_all();
                    child.wait().await
                }
            }
        }
        _ = budget.exceeded.cancelled() => {
            limit = Some(LimitHit::Output);
            kill_group(pgid, Signal::SIGKILL);
            guard.jail.kill_all();
            child.wait().await
        }
        // Cancelled by its owner (the exit is still reported), or nobody reads the events.
        _ = cancel.cancelled() => {
            cancelled = true;
            kill_group(pgid, Signal::SIGKILL);
            guard.jail.kill_all();
            child.wait().await
        }
        _ = tx.closed() => {
            cancelled = true;
            kill_group(pgid, Signal::SIGKILL);
            guard.jail.kill_all();
            child.wait().await
        }
    };
    // The leader is gone; nothing it left behind may outlive the request.
    kill_group(pgid, Signal::SIGKILL);
    guard.jail.kill_all();

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
