//! The counter files of one exec group, opened once and re-read with `pread` at offset 0.
//!
//! A short command's group is read twice (its report, then the baseline the next user of a
//! recycled v1 group starts from) and checked for members twice: opening a dozen kernfs files
//! per exec was the largest cost of cgroup bookkeeping on the request path. The files are
//! opened when the group is prepared (in the pool, off the request path) and live as long as
//! the group. Each is a `seq_file` the kernel regenerates at offset 0, so a `pread` at 0
//! always reads the current value. `cgroup.procs` is deliberately not among them: v1 caches
//! its pid list per open file for a second, so it is opened fresh whenever pids are needed.
//! A leaf of `sandbox/`.

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::path::Path;

use super::control::keyed_value;

/// Every counter a report needs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Raw {
    pub oom_kill: u64,
    pub pids_max: u64,
    pub user_ms: Option<u64>,
    pub system_ms: Option<u64>,
    pub peak_memory_bytes: Option<u64>,
}

/// The group's counter files; a file this kernel lacks is `None`.
#[derive(Debug)]
pub(super) struct GroupFiles {
    v2: bool,
    pids_current: Option<File>,
    pids_events: Option<File>,
    /// v2 `memory.events`, v1 `memory.oom_control`.
    oom: Option<File>,
    /// v2 `memory.peak`, v1 `memory.max_usage_in_bytes` (opened read-write: it is reset).
    peak: Option<File>,
    /// v2 `cpu.stat`, v1 `cpuacct.usage_user`.
    cpu: Option<File>,
    /// v1 `cpuacct.usage_sys`.
    cpu_sys: Option<File>,
    /// v1 `cpuacct.stat`, only when `usage_user`/`usage_sys` are missing (kernels < 4.6).
    cpu_ticks: Option<File>,
}

fn open(path: &Path, write: bool) -> Option<File> {
    std::fs::OpenOptions::new()
        .read(true)
        .write(write)
        .open(path)
        .ok()
}

/// Longest counter file read (`cpu.stat` is the longest, well under 1 KiB).
const READ_CAP: usize = 4096;

fn read_text(f: &Option<File>, buf: &mut [u8; READ_CAP]) -> Option<usize> {
    let n = f.as_ref()?.read_at(buf, 0).ok()?;
    Some(n)
}

fn text(buf: &[u8]) -> &str {
    std::str::from_utf8(buf).unwrap_or("")
}

fn keyed(f: &Option<File>, key: &str) -> Option<u64> {
    let mut buf = [0u8; READ_CAP];
    let n = read_text(f, &mut buf)?;
    keyed_value(text(&buf[..n]), key)
}

fn single(f: &Option<File>) -> Option<u64> {
    let mut buf = [0u8; READ_CAP];
    let n = read_text(f, &mut buf)?;
    text(&buf[..n]).trim().parse().ok()
}

impl GroupFiles {
    /// Opens the counter files of a v2 group. Works on any directory with those files (the
    /// tests use plain files).
    pub fn open_v2(dir: &Path) -> Self {
        let at = |file: &str| open(&dir.join(file), false);
        Self {
            v2: true,
            pids_current: at("pids.current"),
            pids_events: at("pids.events"),
            oom: at("memory.events"),
            peak: at("memory.peak"),
            cpu: at("cpu.stat"),
            cpu_sys: None,
            cpu_ticks: None,
        }
    }

    /// Opens the counter files of a v1 group, in its memory, pids and cpuacct directories.
    pub fn open_v1(memory: &Path, pids: &Path, cpuacct: &Path) -> Self {
        let at = |dir: &Path, file: &str, write: bool| open(&dir.join(file), write);
        let cpu = at(cpuacct, "cpuacct.usage_user", false);
        let cpu_sys = at(cpuacct, "cpuacct.usage_sys", false);
        let cpu_ticks = if cpu.is_none() || cpu_sys.is_none() {
            at(cpuacct, "cpuacct.stat", false)
        } else {
            None
        };
        Self {
            v2: false,
            pids_current: at(pids, "pids.current", false),
            pids_events: at(pids, "pids.events", false),
            oom: at(memory, "memory.oom_control", false),
            peak: at(memory, "memory.max_usage_in_bytes", true),
            cpu,
            cpu_sys,
            cpu_ticks,
        }
    }

    /// Whether the group has no task, by `pids.current` (which also counts a zombie not yet
    /// reaped: then the caller looks at `cgroup.procs`). `None` when the file is missing.
    pub fn is_empty(&self) -> Option<bool> {
        single(&self.pids_current).map(|n| n == 0)
    }

    /// Resets the v1 peak-memory mark (what a recycled group's next user starts from).
    pub fn reset_peak(&self) -> io::Result<()> {
        let f = self
            .peak
            .as_ref()
            .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))?;
        f.write_at(b"0", 0).map(|_| ())
    }

    /// Every counter, each file read once.
    pub fn read(&self) -> Raw {
        let pids_max = keyed(&self.pids_events, "max").unwrap_or(0);
        let oom_kill = keyed(&self.oom, "oom_kill").unwrap_or(0);
        let peak_memory_bytes = single(&self.peak);
        let (user_ms, system_ms) = if self.v2 {
            let mut buf = [0u8; READ_CAP];
            let cpu = read_text(&self.cpu, &mut buf).map(|n| text(&buf[..n]));
            let usec = |k: &str| cpu.and_then(|t| keyed_value(t, k)).map(|u| u / 1000);
            (usec("user_usec"), usec("system_usec"))
        } else {
            let ns = |f: &Option<File>| single(f).map(|n| n / 1_000_000);
            match (ns(&self.cpu), ns(&self.cpu_sys)) {
                (Some(u), Some(s)) => (Some(u), Some(s)),
                _ => {
                    let hz = clock_ticks_per_sec();
                    let ticks =
                        |k: &str| keyed(&self.cpu_ticks, k).map(|t| t.saturating_mul(1000) / hz);
                    (ticks("user"), ticks("system"))
                }
            }
        };
        Raw {
            oom_kill,
            pids_max,
            user_ms,
            system_ms,
            peak_memory_bytes,
        }
    }
}

fn clock_ticks_per_sec() -> u64 {
    // SAFETY: sysconf has no preconditions.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    u64::try_from(hz).ok().filter(|h| *h > 0).unwrap_or(100)
}
