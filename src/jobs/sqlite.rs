//! The embedded job store: one SQLite file (WAL mode) in the state dir, no server to run.
//!
//! One connection writes, another reads (WAL lets a replay read while a job appends); both
//! sit behind mutexes, and every call blocks, so the service calls them off its async
//! workers. The bytes stored are counted in memory from the start (a `SUM` at open), so the
//! `jobs.max_store_bytes` check costs nothing per append.

use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{
    Finish, JobRecord, JobStatus, JobStore, ListQuery, Recovered, StoreError, StoredEvent, Usage,
};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    role TEXT NOT NULL,
    status TEXT NOT NULL,
    command TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    started_ms INTEGER,
    finished_ms INTEGER,
    request TEXT,
    result TEXT,
    error TEXT,
    stdout_bytes INTEGER NOT NULL DEFAULT 0,
    stderr_bytes INTEGER NOT NULL DEFAULT 0,
    output_truncated INTEGER NOT NULL DEFAULT 0,
    last_seq INTEGER,
    stored_bytes INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS jobs_by_owner ON jobs(owner, created_ms, id);
CREATE INDEX IF NOT EXISTS jobs_by_created ON jobs(created_ms, id);
CREATE INDEX IF NOT EXISTS jobs_by_status ON jobs(status);
CREATE TABLE IF NOT EXISTS events (
    job_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    off INTEGER NOT NULL,
    PRIMARY KEY (job_id, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS events_by_output ON events(job_id, kind, off);
";

/// Bytes a job's row costs before any event (id, command, result are added to it).
const ROW_COST: u64 = 256;

pub struct SqliteStore {
    path: PathBuf,
    writer: Mutex<Connection>,
    reader: Mutex<Connection>,
    used: AtomicU64,
    max_bytes: u64,
}

impl SqliteStore {
    /// Open (or create, 0600) the store at `path`, holding at most `max_bytes`. A file that
    /// is not a healthy SQLite database is refused with a message naming it.
    pub fn open(path: &Path, max_bytes: u64) -> Result<SqliteStore, StoreError> {
        let io = |e: &dyn std::fmt::Display| StoreError::Io {
            path: path.display().to_string(),
            message: format!(
                "{e}. If the file is damaged, move it aside (mv {p} {p}.corrupt; the jobs in it \
                 are lost to this server) and start again; a new store is created.",
                p = path.display()
            ),
        };
        // Created private before SQLite opens it (its -wal and -shm files copy the mode).
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(path)
            .map_err(|e| io(&e))?;
        let writer = Connection::open(path).map_err(|e| io(&e))?;
        let check = (|| -> rusqlite::Result<String> {
            writer.busy_timeout(std::time::Duration::from_secs(5))?;
            let mode: String = writer.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
            writer.pragma_update(None, "synchronous", "NORMAL")?;
            // Page cache per connection: 1 MiB (the default 2 MB each would let the store
            // grow the server's memory more than its jobs do).
            writer.pragma_update(None, "cache_size", -1024)?;
            writer.execute_batch(SCHEMA)?;
            let ok: String = writer.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
            Ok(if ok == "ok" { mode } else { ok })
        })()
        .map_err(|e| io(&e))?;
        if check != "wal" {
            return Err(io(&format!("not usable as a job store: {check}")));
        }
        let reader = Connection::open(path).map_err(|e| io(&e))?;
        reader
            .busy_timeout(std::time::Duration::from_secs(5))
            .and_then(|()| reader.pragma_update(None, "cache_size", -1024))
            .map_err(|e| io(&e))?;
        let used: i64 = writer
            .query_row("SELECT COALESCE(SUM(stored_bytes), 0) FROM jobs", [], |r| {
                r.get(0)
            })
            .map_err(|e| io(&e))?;
        Ok(SqliteStore {
            path: path.to_path_buf(),
            writer: Mutex::new(writer),
            reader: Mutex::new(reader),
            used: AtomicU64::new(used.max(0) as u64),
            max_bytes,
        })
    }

    fn err(&self, e: rusqlite::Error) -> StoreError {
        StoreError::Io {
            path: self.path.display().to_string(),
            message: e.to_string(),
        }
    }

    fn write<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        let mut conn = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut conn).map_err(|e| self.err(e))
    }

    fn read<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T, StoreError> {
        let conn = self.reader.lock().unwrap_or_else(|e| e.into_inner());
        f(&conn).map_err(|e| self.err(e))
    }

    fn room_for(&self, cost: u64) -> Result<(), StoreError> {
        let used = self.used.load(Ordering::Relaxed);
        if used.saturating_add(cost) > self.max_bytes {
            return Err(StoreError::Full {
                used,
                max: self.max_bytes,
            });
        }
        Ok(())
    }
}

fn insert_events(
    tx: &rusqlite::Transaction<'_>,
    id: &str,
    events: &[StoredEvent],
) -> rusqlite::Result<(u64, u64, u64)> {
    let (mut out, mut err, mut cost) = (0, 0, 0);
    let mut insert = tx.prepare_cached(
        "INSERT OR REPLACE INTO events (job_id, seq, kind, data, off) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for e in events {
        insert.execute(params![id, e.seq as i64, e.kind, e.data, e.offset as i64])?;
        match e.kind.as_str() {
            "stdout" => out += e.data.len() as u64,
            "stderr" => err += e.data.len() as u64,
            _ => {}
        }
        cost += e.cost();
    }
    Ok((out, err, cost))
}

fn update_counts(
    tx: &rusqlite::Transaction<'_>,
    id: &str,
    events: &[StoredEvent],
    (out, err, cost): (u64, u64, u64),
    truncated: bool,
) -> rusqlite::Result<()> {
    let last = events.last().map(|e| e.seq as i64);
    tx.prepare_cached(
        "UPDATE jobs SET stdout_bytes = stdout_bytes + ?2, stderr_bytes = stderr_bytes + ?3,
             stored_bytes = stored_bytes + ?4, last_seq = COALESCE(?5, last_seq),
             output_truncated = output_truncated OR ?6
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        out as i64,
        err as i64,
        cost as i64,
        last,
        truncated
    ])?;
    Ok(())
}

const COLUMNS: &str = "id, owner, role, status, command, created_ms, started_ms, finished_ms, \
    request, result, error, stdout_bytes, stderr_bytes, output_truncated, last_seq, stored_bytes";

fn record(r: &Row<'_>) -> rusqlite::Result<JobRecord> {
    let status: String = r.get(3)?;
    let opt_u64 = |i: usize| -> rusqlite::Result<Option<u64>> {
        Ok(r.get::<_, Option<i64>>(i)?.map(|v| v.max(0) as u64))
    };
    Ok(JobRecord {
        id: r.get(0)?,
        owner: r.get(1)?,
        role: r.get(2)?,
        status: JobStatus::parse(&status).unwrap_or(JobStatus::Lost),
        command: r.get(4)?,
        created_ms: r.get::<_, i64>(5)?.max(0) as u64,
        started_ms: opt_u64(6)?,
        finished_ms: opt_u64(7)?,
        request: r.get(8)?,
        result: r.get(9)?,
        error: r.get(10)?,
        stdout_bytes: r.get::<_, i64>(11)?.max(0) as u64,
        stderr_bytes: r.get::<_, i64>(12)?.max(0) as u64,
        output_truncated: r.get(13)?,
        last_seq: opt_u64(14)?,
        stored_bytes: r.get::<_, i64>(15)?.max(0) as u64,
    })
}

fn event(r: &Row<'_>) -> rusqlite::Result<StoredEvent> {
    Ok(StoredEvent {
        seq: r.get::<_, i64>(0)?.max(0) as u64,
        kind: r.get(1)?,
        data: r.get(2)?,
        offset: r.get::<_, i64>(3)?.max(0) as u64,
    })
}

fn delete_jobs(tx: &rusqlite::Transaction<'_>, ids: &[(String, u64)]) -> rusqlite::Result<()> {
    let mut events = tx.prepare_cached("DELETE FROM events WHERE job_id = ?1")?;
    let mut jobs = tx.prepare_cached("DELETE FROM jobs WHERE id = ?1")?;
    for (id, _) in ids {
        events.execute([id])?;
        jobs.execute([id])?;
    }
    Ok(())
}

impl JobStore for SqliteStore {
    fn create(&self, job: &JobRecord) -> Result<(), StoreError> {
        let cost = ROW_COST
            + job.command.len() as u64
            + job.request.as_ref().map_or(0, |r| r.len() as u64);
        // A new job needs room for some output too, not just its row.
        let reserve = (self.max_bytes / 16).min(64 * 1024);
        self.room_for(cost + reserve)?;
        self.write(|c| {
            c.prepare_cached(
                "INSERT INTO jobs (id, owner, role, status, command, created_ms, started_ms,
                     request, stored_bytes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                job.id,
                job.owner,
                job.role,
                job.status.as_str(),
                job.command,
                job.created_ms as i64,
                job.started_ms.map(|v| v as i64),
                job.request,
                cost as i64
            ])
        })?;
        self.used.fetch_add(cost, Ordering::Relaxed);
        Ok(())
    }

    fn mark_running(&self, id: &str, started_ms: u64) -> Result<(), StoreError> {
        let n = self.write(|c| {
            c.prepare_cached(
                "UPDATE jobs SET status = 'running', started_ms = ?2, request = NULL WHERE id = ?1",
            )?
            .execute(params![id, started_ms as i64])
        })?;
        if n == 0 {
            return Err(StoreError::NotFound(id.to_string()));
        }
        Ok(())
    }

    fn append(&self, id: &str, events: &[StoredEvent], truncated: bool) -> Result<(), StoreError> {
        let cost: u64 = events.iter().map(StoredEvent::cost).sum();
        self.room_for(cost)?;
        self.write(|c| {
            let tx = c.transaction()?;
            let counts = insert_events(&tx, id, events)?;
            update_counts(&tx, id, events, counts, truncated)?;
            tx.commit()
        })?;
        self.used.fetch_add(cost, Ordering::Relaxed);
        Ok(())
    }

    fn finish(&self, id: &str, events: &[StoredEvent], finish: &Finish) -> Result<(), StoreError> {
        // The end of a job is always written, even past the cap: it is small, and a job
        // without its status would be worse than a store a little over its size.
        let result_cost = finish.result.as_ref().map_or(0, |r| r.len() as u64)
            + finish.error.as_ref().map_or(0, |r| r.len() as u64);
        let cost = self.write(|c| {
            let tx = c.transaction()?;
            let counts = insert_events(&tx, id, events)?;
            let cost = counts.2 + result_cost;
            update_counts(&tx, id, events, (counts.0, counts.1, cost), false)?;
            tx.prepare_cached(
                "UPDATE jobs SET status = ?2, finished_ms = ?3, result = ?4, error = ?5,
                     request = NULL
                 WHERE id = ?1",
            )?
            .execute(params![
                id,
                finish.status.as_str(),
                finish.finished_ms as i64,
                finish.result,
                finish.error
            ])?;
            tx.commit()?;
            Ok(cost)
        })?;
        self.used.fetch_add(cost, Ordering::Relaxed);
        Ok(())
    }

    fn get(&self, id: &str) -> Result<Option<JobRecord>, StoreError> {
        self.read(|c| {
            c.prepare_cached(&format!("SELECT {COLUMNS} FROM jobs WHERE id = ?1"))?
                .query_row([id], record)
                .optional()
        })
    }

    fn list(&self, q: &ListQuery) -> Result<Vec<JobRecord>, StoreError> {
        self.read(|c| {
            let before: Option<(i64, String)> = match &q.before {
                Some(id) => c
                    .prepare_cached("SELECT created_ms, id FROM jobs WHERE id = ?1")?
                    .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()?,
                None => None,
            };
            let mut sql = format!("SELECT {COLUMNS} FROM jobs WHERE 1 = 1");
            let mut args: Vec<Box<dyn rusqlite::ToSql>> = Vec::new();
            if let Some(owner) = &q.owner {
                args.push(Box::new(owner.clone()));
                sql.push_str(&format!(" AND owner = ?{}", args.len()));
            }
            if let Some(status) = q.status {
                args.push(Box::new(status.as_str()));
                sql.push_str(&format!(" AND status = ?{}", args.len()));
            }
            if let Some((ms, id)) = before {
                args.push(Box::new(ms));
                args.push(Box::new(id));
                let n = args.len();
                sql.push_str(&format!(" AND (created_ms, id) < (?{}, ?{n})", n - 1));
            }
            args.push(Box::new(q.limit as i64));
            sql.push_str(&format!(
                " ORDER BY created_ms DESC, id DESC LIMIT ?{}",
                args.len()
            ));
            let mut stmt = c.prepare_cached(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), record)?;
            rows.collect()
        })
    }

    fn events_after(
        &self,
        id: &str,
        after: Option<u64>,
        max: usize,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        let after = after.map_or(-1, |a| a.min(i64::MAX as u64) as i64);
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT seq, kind, data, off FROM events WHERE job_id = ?1 AND seq > ?2
                 ORDER BY seq LIMIT ?3",
            )?;
            let rows = stmt.query_map(params![id, after, max as i64], event)?;
            rows.collect()
        })
    }

    fn output_chunks(
        &self,
        id: &str,
        stream: &str,
        offset: u64,
        len: u64,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        let end = offset.saturating_add(len).min(i64::MAX as u64) as i64;
        self.read(|c| {
            // The chunk that starts at or before `offset`, then every one that starts inside
            // the range.
            let mut stmt = c.prepare_cached(
                "SELECT seq, kind, data, off FROM events
                 WHERE job_id = ?1 AND kind = ?2 AND off >= COALESCE(
                     (SELECT MAX(off) FROM events WHERE job_id = ?1 AND kind = ?2 AND off <= ?3),
                     0)
                   AND off < ?4
                 ORDER BY off",
            )?;
            let rows = stmt.query_map(params![id, stream, offset as i64, end], event)?;
            rows.collect()
        })
    }

    fn recover(&self, now_ms: u64) -> Result<Recovered, StoreError> {
        let lost = self.write(|c| {
            c.execute(
                "UPDATE jobs SET status = 'lost', finished_ms = ?1, request = NULL,
                     error = 'the server stopped while this job ran; its output up to then is kept'
                 WHERE status = 'running'",
                [now_ms as i64],
            )
        })?;
        let queued = self.read(|c| {
            let mut stmt = c.prepare(&format!(
                "SELECT {COLUMNS} FROM jobs WHERE status = 'queued' ORDER BY created_ms, id"
            ))?;
            let rows = stmt.query_map([], record)?;
            rows.collect()
        })?;
        Ok(Recovered { lost, queued })
    }

    fn prune(&self, older_than_ms: u64, max_bytes: u64) -> Result<usize, StoreError> {
        let finished = "status NOT IN ('queued', 'running')";
        let mut doomed: Vec<(String, u64)> = self.read(|c| {
            let mut stmt = c.prepare(&format!(
                "SELECT id, stored_bytes FROM jobs WHERE {finished} AND created_ms < ?1"
            ))?;
            let rows = stmt.query_map([older_than_ms as i64], |r| {
                Ok((r.get(0)?, r.get::<_, i64>(1)?.max(0) as u64))
            })?;
            rows.collect()
        })?;
        let aged: u64 = doomed.iter().map(|d| d.1).sum();
        let mut left = self.used.load(Ordering::Relaxed).saturating_sub(aged);
        if left > max_bytes {
            let oldest: Vec<(String, u64)> = self.read(|c| {
                let mut stmt = c.prepare(&format!(
                    "SELECT id, stored_bytes FROM jobs WHERE {finished} AND created_ms >= ?1
                     ORDER BY created_ms, id"
                ))?;
                let rows = stmt.query_map([older_than_ms as i64], |r| {
                    Ok((r.get(0)?, r.get::<_, i64>(1)?.max(0) as u64))
                })?;
                rows.collect()
            })?;
            for job in oldest {
                if left <= max_bytes {
                    break;
                }
                left = left.saturating_sub(job.1);
                doomed.push(job);
            }
        }
        if doomed.is_empty() {
            return Ok(0);
        }
        self.write(|c| {
            let tx = c.transaction()?;
            delete_jobs(&tx, &doomed)?;
            tx.commit()
        })?;
        let freed: u64 = doomed.iter().map(|d| d.1).sum();
        let _ = self
            .used
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |u| {
                Some(u.saturating_sub(freed))
            });
        Ok(doomed.len())
    }

    fn usage(&self) -> Result<Usage, StoreError> {
        let by_status = self.read(|c| {
            let mut stmt = c.prepare_cached("SELECT status, COUNT(*) FROM jobs GROUP BY status")?;
            let rows = stmt.query_map([], |r| {
                let s: String = r.get(0)?;
                Ok((
                    JobStatus::parse(&s).unwrap_or(JobStatus::Lost),
                    r.get::<_, i64>(1)?.max(0) as u64,
                ))
            })?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
        })?;
        Ok(Usage {
            bytes: self.used.load(Ordering::Relaxed),
            by_status,
        })
    }
}
