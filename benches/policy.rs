//! Policy check latency: a realistic ~200-character compound command against the default
//! policy, reported as p50/p99 over many iterations. Run with `cargo bench --bench policy`.

use std::path::Path;
use std::time::{Duration, Instant};

use shellwise::policy::{Action, CheckInput, Policy, Subject};

const COMMAND: &str = "cd /home/dev/project && RUST_LOG=debug cargo build --release 2>&1 | tee build.log; \
if [ -f target/release/app ]; then sudo -u dev ./target/release/app --config ./conf/app.toml > out.txt; fi; \
git status --short | grep -v '^??' || echo \"clean: $(date +%s)\"";

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

fn main() {
    let policy = Policy::permissive();
    let iterations: usize = std::env::var("POLICY_BENCH_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let input = CheckInput {
        subject: Subject::Shell {
            text: COMMAND,
            shell: "/bin/bash",
        },
        cwd: Some(Path::new("/home/dev/project")),
        env: &[],
        role: "operator",
    };
    let first = policy.check(&input);
    assert_eq!(first.decision, Action::Allow, "{first:?}");
    for _ in 0..2_000 {
        std::hint::black_box(policy.check(std::hint::black_box(&input)));
    }
    let mut times = Vec::with_capacity(iterations);
    let start = Instant::now();
    for _ in 0..iterations {
        let t = Instant::now();
        std::hint::black_box(policy.check(std::hint::black_box(&input)));
        times.push(t.elapsed());
    }
    let total = start.elapsed();
    times.sort_unstable();
    println!(
        "policy check: {} chars, {} commands, {iterations} iterations in {total:?}",
        COMMAND.len(),
        first.commands.len()
    );
    println!(
        "p50 {:?}  p90 {:?}  p99 {:?}  max {:?}",
        percentile(&times, 0.50),
        percentile(&times, 0.90),
        percentile(&times, 0.99),
        percentile(&times, 1.0)
    );
    let p99 = percentile(&times, 0.99);
    println!(
        "target p99 < 50µs: {}",
        if p99 < Duration::from_micros(50) {
            "met"
        } else {
            "MISSED"
        }
    );

    // Parser alone, to see how the time splits between parsing and rule matching.
    let ctx = shellwise::policy::shell::Context {
        cwd: Some("/home/dev/project".to_string()),
        env: Vec::new(),
    };
    let mut parse_times = Vec::with_capacity(iterations / 4);
    for _ in 0..iterations / 4 {
        let t = Instant::now();
        std::hint::black_box(shellwise::policy::shell::parse(
            std::hint::black_box(COMMAND),
            &ctx,
        ));
        parse_times.push(t.elapsed());
    }
    parse_times.sort_unstable();
    println!(
        "parse only: p50 {:?}  p99 {:?}",
        percentile(&parse_times, 0.50),
        percentile(&parse_times, 0.99)
    );
}
