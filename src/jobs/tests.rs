#![allow(clippy::unwrap_used)]

use super::*;

fn store(max: u64) -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let s = SqliteStore::open(&dir.path().join("jobs.sqlite3"), max).unwrap();
    (dir, s)
}

fn job(id: &str, owner: &str, created_ms: u64, status: JobStatus) -> JobRecord {
    JobRecord {
        id: id.into(),
        owner: owner.into(),
        role: "operator".into(),
        status,
        command: format!("echo {id}"),
        created_ms,
        started_ms: None,
        finished_ms: None,
        request: Some(r#"{"command":"echo"}"#.into()),
        result: None,
        error: None,
        stdout_bytes: 0,
        stderr_bytes: 0,
        output_truncated: false,
        last_seq: None,
        stored_bytes: 0,
    }
}

fn chunk(seq: u64, kind: &str, data: &str, offset: u64) -> StoredEvent {
    StoredEvent {
        seq,
        kind: kind.into(),
        data: data.into(),
        offset,
    }
}

fn done(status: JobStatus) -> Finish {
    Finish {
        status,
        finished_ms: 9,
        result: Some("{}".into()),
        error: None,
    }
}

#[test]
fn a_job_keeps_its_events_in_order_and_its_final_status() {
    let (_d, s) = store(u64::MAX);
    s.create(&job("a", "alice", 1, JobStatus::Queued)).unwrap();
    s.mark_running("a", 2).unwrap();
    let got = s.get("a").unwrap().unwrap();
    assert_eq!(
        (got.status, got.started_ms, got.request),
        (JobStatus::Running, Some(2), None)
    );
    s.append(
        "a",
        &[chunk(0, "start", "{}", 0), chunk(1, "stdout", "hello ", 0)],
        false,
    )
    .unwrap();
    s.append(
        "a",
        &[
            chunk(2, "stdout", "world\n", 6),
            chunk(3, "stderr", "oops\n", 0),
        ],
        false,
    )
    .unwrap();
    s.finish(
        "a",
        &[chunk(4, "exit", r#"{"exitCode":0}"#, 0)],
        &done(JobStatus::Succeeded),
    )
    .unwrap();
    let got = s.get("a").unwrap().unwrap();
    assert_eq!(
        (
            got.status,
            got.finished_ms,
            got.stdout_bytes,
            got.stderr_bytes,
            got.last_seq
        ),
        (JobStatus::Succeeded, Some(9), 12, 5, Some(4))
    );
    let seqs: Vec<u64> = s
        .events_after("a", None, 100)
        .unwrap()
        .iter()
        .map(|e| e.seq)
        .collect();
    assert_eq!(seqs, [0, 1, 2, 3, 4]);
    let after: Vec<u64> = s
        .events_after("a", Some(2), 100)
        .unwrap()
        .iter()
        .map(|e| e.seq)
        .collect();
    assert_eq!(after, [3, 4]);
    assert_eq!(s.events_after("a", Some(99), 100).unwrap(), []);
    let page: Vec<u64> = s
        .events_after("a", None, 2)
        .unwrap()
        .iter()
        .map(|e| e.seq)
        .collect();
    assert_eq!(page, [0, 1]);
}

#[test]
fn output_chunks_cover_a_byte_range_of_one_stream() {
    let (_d, s) = store(u64::MAX);
    s.create(&job("a", "alice", 1, JobStatus::Running)).unwrap();
    let events = [
        chunk(0, "stdout", "aaaa", 0),
        chunk(1, "stderr", "xx", 0),
        chunk(2, "stdout", "bbbb", 4),
        chunk(3, "stdout", "cccc", 8),
    ];
    s.append("a", &events, false).unwrap();
    let data = |off, len| -> Vec<String> {
        s.output_chunks("a", "stdout", off, len)
            .unwrap()
            .into_iter()
            .map(|e| e.data)
            .collect()
    };
    assert_eq!(data(0, 4), ["aaaa"]);
    assert_eq!(data(5, 4), ["bbbb", "cccc"]);
    assert_eq!(data(9, 100), ["cccc"]);
    assert_eq!(data(12, 4), ["cccc"]);
    assert_eq!(s.output_chunks("a", "stderr", 0, 10).unwrap().len(), 1);
}

#[test]
fn lists_are_per_owner_newest_first_and_page_by_the_last_id() {
    let (_d, s) = store(u64::MAX);
    for (i, owner) in ["alice", "bob", "alice", "alice"].iter().enumerate() {
        s.create(&job(&format!("j{i}"), owner, i as u64, JobStatus::Queued))
            .unwrap();
    }
    s.finish("j2", &[], &done(JobStatus::Failed)).unwrap();
    let ids =
        |q: ListQuery| -> Vec<String> { s.list(&q).unwrap().into_iter().map(|j| j.id).collect() };
    let alice = |limit, before: Option<&str>| ListQuery {
        owner: Some("alice".into()),
        status: None,
        before: before.map(String::from),
        limit,
    };
    assert_eq!(ids(alice(10, None)), ["j3", "j2", "j0"]);
    assert_eq!(ids(alice(2, None)), ["j3", "j2"]);
    assert_eq!(ids(alice(2, Some("j2"))), ["j0"]);
    assert_eq!(
        ids(ListQuery {
            limit: 10,
            ..Default::default()
        }),
        ["j3", "j2", "j1", "j0"]
    );
    let failed = ListQuery {
        status: Some(JobStatus::Failed),
        ..alice(10, None)
    };
    assert_eq!(ids(failed), ["j2"]);
}

#[test]
fn recovery_marks_running_jobs_lost_and_returns_queued_ones() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jobs.sqlite3");
    {
        let s = SqliteStore::open(&path, u64::MAX).unwrap();
        s.create(&job("run", "alice", 1, JobStatus::Running))
            .unwrap();
        s.append("run", &[chunk(0, "stdout", "partial", 0)], false)
            .unwrap();
        s.create(&job("wait", "alice", 2, JobStatus::Queued))
            .unwrap();
        s.create(&job("done", "alice", 3, JobStatus::Queued))
            .unwrap();
        s.finish("done", &[], &done(JobStatus::Succeeded)).unwrap();
    }
    let s = SqliteStore::open(&path, u64::MAX).unwrap();
    let r = s.recover(50).unwrap();
    assert_eq!(r.lost, 1);
    assert_eq!(
        r.queued.iter().map(|j| j.id.as_str()).collect::<Vec<_>>(),
        ["wait"]
    );
    assert!(r.queued[0].request.is_some());
    let lost = s.get("run").unwrap().unwrap();
    assert_eq!(
        (lost.status, lost.finished_ms, lost.stdout_bytes),
        (JobStatus::Lost, Some(50), 7)
    );
    assert_eq!(s.events_after("run", None, 10).unwrap().len(), 1);
    assert_eq!(s.get("done").unwrap().unwrap().status, JobStatus::Succeeded);
}

#[test]
fn a_full_store_refuses_new_jobs_and_output_but_still_records_an_end() {
    let (_d, s) = store(2_000);
    s.create(&job("a", "alice", 1, JobStatus::Running)).unwrap();
    let row = s.usage().unwrap().bytes;
    let big = "x".repeat((2_000 - row) as usize);
    let e = s
        .append("a", &[chunk(0, "stdout", &big, 0)], false)
        .unwrap_err();
    assert!(matches!(e, StoreError::Full { max: 2_000, .. }), "{e}");
    let a = s.get("a").unwrap().unwrap();
    assert_eq!(
        (a.stdout_bytes, a.last_seq),
        (0, None),
        "nothing half-written"
    );
    assert_eq!(s.usage().unwrap().bytes, row);
    s.append("a", &[chunk(0, "stdout", "small", 0)], true)
        .unwrap();
    let fill = 2_000 - s.usage().unwrap().bytes - 48;
    s.append(
        "a",
        &[chunk(1, "stdout", &"y".repeat(fill as usize), 5)],
        true,
    )
    .unwrap();
    assert_eq!(s.usage().unwrap().bytes, 2_000);
    assert!(matches!(
        s.create(&job("b", "alice", 2, JobStatus::Queued)),
        Err(StoreError::Full { .. })
    ));
    s.finish(
        "a",
        &[chunk(2, "exit", "{}", 0)],
        &done(JobStatus::Succeeded),
    )
    .unwrap();
    let a = s.get("a").unwrap().unwrap();
    assert_eq!(
        (a.status, a.output_truncated, a.last_seq),
        (JobStatus::Succeeded, true, Some(2))
    );
    assert!(s.get("b").unwrap().is_none());
}

#[test]
fn pruning_drops_old_finished_jobs_then_the_oldest_until_under_the_size() {
    let (_d, s) = store(u64::MAX);
    for i in 0..5u64 {
        let id = format!("j{i}");
        s.create(&job(&id, "alice", i * 10, JobStatus::Running))
            .unwrap();
        s.append(&id, &[chunk(0, "stdout", &"o".repeat(1_000), 0)], false)
            .unwrap();
        if i != 1 {
            s.finish(&id, &[], &done(JobStatus::Succeeded)).unwrap();
        }
    }
    // Older than 15 ms: j0 (j1 is still running, so it stays).
    assert_eq!(s.prune(15, u64::MAX).unwrap(), 1);
    assert!(s.get("j0").unwrap().is_none());
    assert!(s.get("j1").unwrap().is_some());
    assert_eq!(s.events_after("j0", None, 10).unwrap(), []);
    let before = s.usage().unwrap().bytes;
    // Then by size: the oldest finished go first.
    let n = s.prune(0, before - 1).unwrap();
    assert_eq!(n, 1);
    assert!(s.get("j2").unwrap().is_none());
    assert!(s.get("j3").unwrap().is_some());
    let usage = s.usage().unwrap();
    assert!(usage.bytes < before);
    let count: u64 = usage.by_status.iter().map(|(_, n)| n).sum();
    assert_eq!(count, 3);
}

#[test]
fn a_file_that_is_not_a_database_is_refused_with_its_name_and_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jobs.sqlite3");
    std::fs::write(&path, vec![0x5a; 8192]).unwrap();
    let Err(e) = SqliteStore::open(&path, u64::MAX) else {
        panic!("a corrupt file opened as a store");
    };
    let msg = e.to_string();
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    assert!(msg.contains("move it aside"), "{msg}");
}

#[test]
fn the_store_file_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jobs.sqlite3");
    let _s = SqliteStore::open(&path, u64::MAX).unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}
