//! Runs one pipeline step as a child of `shellwise ci`: stdin inherited, stdout and stderr
//! passed through live — redacted — while the tail of each is kept for the analysis.

use std::io::{self, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use crate::redact::Redactor;

/// Bytes of each stream kept for the analysis (the analyzer reads no more).
pub const TAIL_BYTES: usize = 64 * 1024;
/// A quiet stream's held partial line (a progress bar, a prompt) is shown after this long.
const IDLE_FLUSH: Duration = Duration::from_millis(200);
/// After the step exits, how long its pipes are still read: a background grandchild may hold
/// them open, and a CI step must end when its command does.
const DRAIN: Duration = Duration::from_secs(2);

/// What a finished step left.
#[derive(Debug)]
pub struct Finished {
    /// The exit code, if it exited.
    pub code: Option<i32>,
    /// The signal that killed it, if one did.
    pub signal: Option<i32>,
    /// The last [`TAIL_BYTES`] of its stdout, redacted.
    pub stdout: String,
    /// The last [`TAIL_BYTES`] of its stderr, redacted.
    pub stderr: String,
}

/// Why a step could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// No such program (exit 127, as a shell reports it).
    #[error("command not found: {0}")]
    NotFound(String),
    /// Not executable (exit 126).
    #[error("permission denied: {0}")]
    NotExecutable(String),
    /// Anything else (exit 126).
    #[error("cannot run {0}: {1}")]
    Other(String, io::Error),
}

impl StartError {
    /// The exit code a shell would report.
    pub fn exit_code(&self) -> i32 {
        match self {
            StartError::NotFound(_) => 127,
            _ => 126,
        }
    }
}

/// The running step's pid, for the signal forwarder (0: none).
static CHILD: AtomicI32 = AtomicI32::new(0);

extern "C" fn forward(sig: libc::c_int) {
    let pid = CHILD.load(Ordering::Relaxed);
    if pid > 0 {
        // SAFETY: kill is async-signal-safe.
        unsafe {
            libc::kill(pid, sig);
        }
    }
}

/// SIGTERM and SIGHUP sent to `shellwise ci` (a CI runner cancelling the job, `timeout`) go
/// on to the step, and `shellwise ci` waits for it to end so its output and exit status are
/// not lost. SIGINT is only caught, not forwarded: a terminal's Ctrl-C reaches the whole
/// foreground process group, the step included, and a second copy would make some tools
/// abort without cleaning up. A caught signal is reset to its default in the child by exec.
fn catch_signals() {
    for (sig, handler) in [
        (
            libc::SIGTERM,
            forward as extern "C" fn(libc::c_int) as libc::sighandler_t,
        ),
        (
            libc::SIGHUP,
            forward as extern "C" fn(libc::c_int) as libc::sighandler_t,
        ),
        (
            libc::SIGINT,
            noop as extern "C" fn(libc::c_int) as libc::sighandler_t,
        ),
    ] {
        // SAFETY: installing a handler that only calls async-signal-safe functions.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = handler;
            action.sa_flags = libc::SA_RESTART;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(sig, &action, std::ptr::null_mut());
        }
    }
}

extern "C" fn noop(_: libc::c_int) {}

/// Runs `argv` to its end. Output goes to this process's stdout and stderr as it arrives,
/// through `redactor`.
pub fn run(argv: &[String], redactor: &Arc<Redactor>) -> Result<Finished, StartError> {
    let (program, args) = argv
        .split_first()
        .ok_or_else(|| StartError::NotFound(String::new()))?;
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::inherit())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => StartError::NotFound(program.clone()),
            io::ErrorKind::PermissionDenied => StartError::NotExecutable(program.clone()),
            _ => StartError::Other(program.clone(), e),
        })?;
    CHILD.store(i32::try_from(child.id()).unwrap_or(0), Ordering::Relaxed);
    catch_signals();

    let stop = Arc::new(AtomicBool::new(false));
    let (done_tx, done_rx) = mpsc::channel::<()>();
    let mut pumps = Vec::new();
    if let Some(out) = child.stdout.take() {
        pumps.push(spawn_pump(
            out,
            io::stdout(),
            redactor,
            &stop,
            done_tx.clone(),
        ));
    }
    if let Some(err) = child.stderr.take() {
        pumps.push(spawn_pump(
            err,
            io::stderr(),
            redactor,
            &stop,
            done_tx.clone(),
        ));
    }
    drop(done_tx);
    let status = child.wait();
    CHILD.store(0, Ordering::Relaxed);
    // Both pumps end at EOF; past the drain deadline they are told to stop.
    let deadline = std::time::Instant::now() + DRAIN;
    let mut ended = 0;
    while ended < pumps.len() {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match done_rx.recv_timeout(left) {
            Ok(()) => ended += 1,
            Err(_) => break,
        }
    }
    stop.store(true, Ordering::Relaxed);
    let mut tails = pumps.into_iter().map(|p| p.join().unwrap_or_default());
    let stdout = tails.next().unwrap_or_default();
    let stderr = tails.next().unwrap_or_default();
    let status = status.map_err(|e| StartError::Other(program.clone(), e))?;
    Ok(Finished {
        code: status.code(),
        signal: status.signal(),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    })
}

fn spawn_pump<R, W>(
    src: R,
    sink: W,
    redactor: &Arc<Redactor>,
    stop: &Arc<AtomicBool>,
    done: mpsc::Sender<()>,
) -> std::thread::JoinHandle<Vec<u8>>
where
    R: Read + AsRawFd + Send + 'static,
    W: Write + Send + 'static,
{
    let redactor = Arc::clone(redactor);
    let stop = Arc::clone(stop);
    std::thread::spawn(move || {
        let tail = pump(src, sink, &redactor, &stop);
        let _ = done.send(());
        tail
    })
}

/// Copies `src` to `sink` through a stream redactor; returns the last [`TAIL_BYTES`] written.
/// A sink that fails (our stdout closed) stops the copying but not the reading, so the step
/// never blocks on a full pipe.
fn pump(
    mut src: impl Read + AsRawFd,
    mut sink: impl Write,
    redactor: &Arc<Redactor>,
    stop: &AtomicBool,
) -> Vec<u8> {
    let mut filter = redactor.stream();
    let mut tail: Vec<u8> = Vec::new();
    let mut sink_ok = true;
    let mut emit = |bytes: &[u8], tail: &mut Vec<u8>| {
        if bytes.is_empty() {
            return;
        }
        if sink_ok {
            sink_ok = sink.write_all(bytes).and_then(|()| sink.flush()).is_ok();
        }
        tail.extend_from_slice(bytes);
        if tail.len() > 2 * TAIL_BYTES {
            tail.drain(..tail.len() - TAIL_BYTES);
        }
    };
    let mut buf = vec![0u8; 32 * 1024];
    let fd = src.as_raw_fd();
    loop {
        let mut pfd = libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd for the duration of the call.
        let ready = unsafe { libc::poll(&mut pfd, 1, IDLE_FLUSH.as_millis() as libc::c_int) };
        if ready == 0 {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            let held = filter.idle_flush();
            emit(&held.bytes, &mut tail);
            continue;
        }
        if ready < 0 && io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
            continue;
        }
        match src.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                let out = filter.push(&buf[..n]);
                emit(&out.bytes, &mut tail);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
        if stop.load(Ordering::Relaxed) {
            break;
        }
    }
    let rest = filter.flush();
    emit(&rest.bytes, &mut tail);
    if tail.len() > TAIL_BYTES {
        tail.drain(..tail.len() - TAIL_BYTES);
    }
    tail
}
