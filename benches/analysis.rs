//! Heuristic analysis time per failure, over the committed real-failure corpora
//! (`tests/data/failures/`, `tests/data/failures/v2/`), reported as p50/p90/p99 per case.
//! Run with `cargo bench --bench analysis`; `ANALYSIS_BENCH_ROUNDS` sets how many times each
//! case is analysed (default 20). The first analysis of a process loads the catalog and is
//! reported on its own.

use std::path::Path;
use std::time::{Duration, Instant};

use serde::Deserialize;
use shellwise::analysis::{analyze, FailureContext};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Case {
    command: String,
    exit_code: Option<i32>,
    signal: Option<i32>,
    timed_out: bool,
    limit: Option<String>,
    stdout: String,
    stderr: String,
}

fn load(dir: &Path) -> Vec<Case> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{p:?}: {e}"));
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{p:?}: {e}"))
        })
        .collect()
}

fn ctx(c: &Case) -> FailureContext<'_> {
    FailureContext {
        command: &c.command,
        exit_code: c.exit_code,
        signal: c.signal,
        timed_out: c.timed_out,
        limit: c.limit.as_deref(),
        stdout: &c.stdout,
        stderr: &c.stderr,
        cwd: None,
        sandboxed: false,
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/failures");
    let mut cases = load(&root);
    cases.extend(load(&root.join("v2")));
    let rounds: usize = std::env::var("ANALYSIS_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let first = Instant::now();
    std::hint::black_box(analyze(&ctx(&cases[0])));
    let first = first.elapsed();
    let mut times = Vec::with_capacity(cases.len() * rounds);
    for _ in 0..rounds {
        for c in &cases {
            let input = ctx(c);
            let t = Instant::now();
            std::hint::black_box(analyze(std::hint::black_box(&input)));
            times.push(t.elapsed());
        }
    }
    times.sort_unstable();
    let bytes: usize = cases.iter().map(|c| c.stdout.len() + c.stderr.len()).sum();
    println!(
        "analysis: {} cases ({} KiB of output), {rounds} rounds; first call (catalog load) {first:?}",
        cases.len(),
        bytes / 1024
    );
    println!(
        "per case: p50 {:?}  p90 {:?}  p99 {:?}  max {:?}",
        percentile(&times, 0.50),
        percentile(&times, 0.90),
        percentile(&times, 0.99),
        percentile(&times, 1.0)
    );
}
