//! Reading and writing cgroup control files: one place for the caps and the write
//! discipline, shared by detection and per-exec groups. A leaf of `sandbox/`.

use std::fs;
use std::io::{self, Read};
use std::path::Path;

/// Cap on pids read from one `cgroup.procs`.
const MAX_PIDS: usize = 65_536;
/// Cap on bytes read from one control file.
const MAX_CONTROL_BYTES: u64 = 1 << 20;

/// Writes `value` to an existing control file in one `write(2)` (no create, no truncate).
pub(super) fn write_control(path: &Path, value: &str) -> io::Result<()> {
    use std::io::Write;
    let mut f = fs::OpenOptions::new().write(true).open(path)?;
    f.write_all(value.as_bytes())
}

/// Reads a control file, capped.
pub(super) fn read_control(path: &Path) -> Option<String> {
    let f = fs::File::open(path).ok()?;
    let mut s = String::new();
    f.take(MAX_CONTROL_BYTES).read_to_string(&mut s).ok()?;
    Some(s)
}

/// Pids listed in a `cgroup.procs` file (capped; unreadable = empty).
pub(super) fn read_pids(path: &Path) -> Vec<i32> {
    read_control(path)
        .map(|s| {
            s.lines()
                .filter_map(|l| l.trim().parse().ok())
                .filter(|p: &i32| *p > 0)
                .take(MAX_PIDS)
                .collect()
        })
        .unwrap_or_default()
}

/// Value of `key` in a flat-keyed file (`key value` per line). Pure.
pub(super) fn keyed_value(text: &str, key: &str) -> Option<u64> {
    text.lines().find_map(|l| {
        let mut it = l.split_whitespace();
        if it.next()? == key {
            it.next()?.parse().ok()
        } else {
            None
        }
    })
}
