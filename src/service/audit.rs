//! The audit log: one JSON line per decision and per outcome, in a size-capped file rotated
//! to `<file>.1` … `<file>.<keep>`. A failed write never fails the request; it is logged and
//! counted (`shellwise_audit_write_failures_total`).

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;
use std::sync::Mutex;

use serde::Serialize;

/// One audit record. `what` is the redacted display of the command, never its stdin or env.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditRecord<'a> {
    /// Milliseconds since the Unix epoch.
    pub ts_ms: u64,
    /// `decision` or `outcome`.
    pub kind: &'a str,
    pub request_id: &'a str,
    pub exec_id: &'a str,
    /// The token's name.
    pub who: &'a str,
    pub role: &'a str,
    pub what: &'a str,
    pub cwd: &'a str,
    pub decision: &'a str,
    pub rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
}

pub struct AuditLog {
    path: PathBuf,
    max_bytes: u64,
    keep: usize,
    file: Mutex<Option<(File, u64)>>,
    failed: std::sync::atomic::AtomicU64,
    last_error: Mutex<Option<String>>,
    writable: std::sync::atomic::AtomicBool,
}

/// What `/readyz` says of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditHealth {
    pub path: PathBuf,
    /// Records that could not be written since start.
    pub failed_writes: u64,
    /// Why the last write failed.
    pub last_error: Option<String>,
    /// Whether the last write succeeded (or none was tried yet).
    pub writable: bool,
}

impl AuditLog {
    pub fn new(path: PathBuf, max_bytes: u64, keep: usize) -> Self {
        Self {
            path,
            max_bytes,
            keep,
            file: Mutex::new(None),
            failed: std::sync::atomic::AtomicU64::new(0),
            last_error: Mutex::new(None),
            writable: std::sync::atomic::AtomicBool::new(true),
        }
    }

    /// Failed writes so far, so that an audit log nobody can write shows in `/readyz`.
    pub fn health(&self) -> AuditHealth {
        AuditHealth {
            path: self.path.clone(),
            failed_writes: self.failed.load(std::sync::atomic::Ordering::Relaxed),
            last_error: self.last_error.lock().ok().and_then(|e| e.clone()),
            writable: self.writable.load(std::sync::atomic::Ordering::Relaxed),
        }
    }

    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    pub fn now_ms() -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or_default()
    }

    /// Append a record; errors are counted and logged, and the result says whether it was
    /// written (the caller decides whether a lost record may cost the request).
    pub fn write(&self, record: &AuditRecord<'_>) -> bool {
        let result = self.try_write(record);
        self.writable
            .store(result.is_ok(), std::sync::atomic::Ordering::Relaxed);
        if let Err(e) = result {
            metrics::counter!("shellwise_audit_write_failures_total").increment(1);
            self.failed
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if let Ok(mut last) = self.last_error.lock() {
                *last = Some(e.to_string());
            }
            tracing::warn!(error = %e, path = %self.path.display(), "audit write failed");
            return false;
        }
        true
    }

    fn try_write(&self, record: &AuditRecord<'_>) -> std::io::Result<()> {
        let mut line = serde_json::to_vec(record).map_err(std::io::Error::other)?;
        line.push(b'\n');
        let mut guard = self
            .file
            .lock()
            .map_err(|_| std::io::Error::other("audit lock poisoned"))?;
        if guard
            .as_ref()
            .is_some_and(|(_, size)| size + line.len() as u64 > self.max_bytes)
        {
            *guard = None;
            self.rotate()?;
        }
        if guard.is_none() {
            if let Some(dir) = self.path.parent() {
                fs::create_dir_all(dir)?;
            }
            // Only the server may read what callers ran: 0600, and never through a symlink
            // a command planted in its place.
            let file = OpenOptions::new()
                .create(true)
                .append(true)
                .mode(0o600)
                .custom_flags(libc::O_NOFOLLOW)
                .open(&self.path)?;
            let size = file.metadata()?.len();
            *guard = Some((file, size));
        }
        if let Some((file, size)) = guard.as_mut() {
            file.write_all(&line)?;
            *size += line.len() as u64;
        }
        Ok(())
    }

    fn rotate(&self) -> std::io::Result<()> {
        let name = |i: usize| PathBuf::from(format!("{}.{i}", self.path.display()));
        if self.keep == 0 {
            return fs::remove_file(&self.path);
        }
        let _ = fs::remove_file(name(self.keep));
        for i in (1..self.keep).rev() {
            let _ = fs::rename(name(i), name(i + 1));
        }
        fs::rename(&self.path, name(1))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn record(n: u64) -> AuditRecord<'static> {
        AuditRecord {
            ts_ms: n,
            kind: "decision",
            request_id: "r",
            exec_id: "e",
            who: "ci",
            role: "operator",
            what: "echo hi",
            cwd: "/w",
            decision: "allow",
            rule_id: "default",
            exit_code: None,
            limit: None,
            duration_ms: None,
        }
    }

    #[test]
    fn records_are_json_lines_and_the_file_rotates_at_its_cap() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.log");
        let log = AuditLog::new(path.clone(), 600, 2);
        for n in 0..20 {
            log.write(&record(n));
        }
        let current = fs::read_to_string(&path).unwrap();
        assert!(current.len() <= 600);
        for line in current.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(v["who"], "ci");
        }
        assert!(dir.path().join("audit.log.1").exists());
        assert!(dir.path().join("audit.log.2").exists());
        assert!(!dir.path().join("audit.log.3").exists());
        let last: serde_json::Value =
            serde_json::from_str(current.lines().last().unwrap()).unwrap();
        assert_eq!(last["tsMs"], 19);
    }

    #[test]
    fn a_failed_write_is_swallowed_and_counted() {
        let log = AuditLog::new(
            PathBuf::from("/proc/shellwise-cannot-write/audit.log"),
            1000,
            1,
        );
        log.write(&record(1)); // must not panic or error
    }
}
