//! Accuracy of the analyzer on real failures captured by tests/data/failures/collect.sh.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{analyze, Category, FailureContext, Risk};

pub(super) const CORPUS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/failures");
/// The second collection (`collect-2.sh`): 419 cases over 29 toolchains.
pub(super) const CORPUS_V2_DIR: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/failures/v2");
/// Held out (`tests/heldout/analysis-1/collect.sh`), labelled before the analyzer saw it.
pub(super) const HELD_OUT_DIR: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/heldout/analysis-1");
/// Held out (`tests/heldout/analysis-2/collect.sh`), labelled before the analyzer saw it; the
/// evidence for tuning on analysis-1's misses.
pub(super) const HELD_OUT_2_DIR: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/heldout/analysis-2");
/// Held out (`tests/heldout/analysis-3/collect.sh`), labelled before the analyzer saw it; the
/// evidence for tuning on analysis-2's misses.
pub(super) const HELD_OUT_3_DIR: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/heldout/analysis-3");
/// Held out (`tests/heldout/analysis-4/collect.sh`), labelled before the analyzer saw it; the
/// evidence for tuning on analysis-3's misses.
pub(super) const HELD_OUT_4_DIR: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/heldout/analysis-4");
const HELD_OUT_5_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/heldout/analysis-5");
const HELD_OUT_6_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/heldout/analysis-6");

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Case {
    name: String,
    command: String,
    exit_code: Option<i32>,
    signal: Option<i32>,
    timed_out: bool,
    limit: Option<String>,
    stdout: String,
    stderr: String,
    pub(super) expected_category: Category,
    #[serde(default)]
    toolchain: String,
}

impl Case {
    pub(super) fn ctx(&self) -> FailureContext<'_> {
        FailureContext {
            command: &self.command,
            exit_code: self.exit_code,
            signal: self.signal,
            timed_out: self.timed_out,
            limit: self.limit.as_deref(),
            stdout: &self.stdout,
            stderr: &self.stderr,
            cwd: None,
            sandboxed: false,
        }
    }
}

/// Both corpus collections (not the held-out batch).
fn load() -> Vec<Case> {
    let mut cases = load_dir(CORPUS_DIR);
    cases.extend(load_dir(CORPUS_V2_DIR));
    cases
}

pub(super) fn load_dir(dir: &str) -> Vec<Case> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{dir} is readable: {e}"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        })
        .collect()
}

#[test]
fn corpus_has_at_least_sixty_real_failures_covering_most_categories() {
    let cases = load();
    assert!(cases.len() >= 60, "only {} cases", cases.len());
    let categories: std::collections::BTreeSet<&str> =
        cases.iter().map(|c| c.expected_category.as_str()).collect();
    assert!(categories.len() >= 16, "categories covered: {categories:?}");
}

#[test]
fn corpus_accuracy_is_at_least_ninety_percent() {
    // The first collection, which the rules were written against.
    let cases = load_dir(CORPUS_DIR);
    let mut table: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut misses = Vec::new();
    for case in &cases {
        let got = analyze(&case.ctx());
        let row = table.entry(case.expected_category.as_str()).or_default();
        row.0 += 1;
        if got.category == case.expected_category {
            row.1 += 1;
        } else {
            misses.push(format!(
                "  {:32} expected {:18} got {:18} ({}) {}",
                case.name,
                case.expected_category.as_str(),
                got.category.as_str(),
                got.confidence,
                got.summary
            ));
        }
    }
    let correct: usize = table.values().map(|r| r.1).sum();
    let accuracy = correct as f64 / cases.len() as f64;
    println!(
        "{:20} {:>5} {:>7} {:>8}",
        "category", "cases", "correct", "accuracy"
    );
    for (cat, (n, ok)) in &table {
        println!("{cat:20} {n:>5} {ok:>7} {:>8.2}", *ok as f64 / *n as f64);
    }
    println!(
        "{:20} {:>5} {correct:>7} {accuracy:>8.3}",
        "TOTAL",
        cases.len()
    );
    let held_out: Vec<&Case> = cases.iter().filter(|c| c.name.starts_with("ho_")).collect();
    let held_out_ok = held_out
        .iter()
        .filter(|c| analyze(&c.ctx()).category == c.expected_category)
        .count();
    println!(
        "held-out batch (ho_*, added after the rules were written): {held_out_ok}/{}",
        held_out.len()
    );
    for m in &misses {
        println!("{m}");
    }
    assert!(accuracy >= 0.9, "accuracy {accuracy:.3} < 0.9");
}

#[test]
fn corpus_analyses_quote_real_lines_and_suggest_no_risky_fixes() {
    for case in load() {
        let a = analyze(&case.ctx());
        assert!(
            !a.summary.is_empty() && !a.root_cause.is_empty(),
            "{}",
            case.name
        );
        assert!((0.0..=1.0).contains(&a.confidence), "{}", case.name);
        assert!(a.evidence.len() <= 5, "{}", case.name);
        for e in &a.evidence {
            assert!(e.len() <= 300, "{}: {e}", case.name);
            // Verbatim from the output as a reader sees it (terminal escapes removed).
            assert!(
                plain(&case.stderr).contains(e.as_str())
                    || plain(&case.stdout).contains(e.as_str()),
                "{}: evidence not verbatim: {e}",
                case.name
            );
        }
        for f in &a.fixes {
            assert!(f.risk != Risk::High, "{}: {f:?}", case.name);
            assert!(
                f.command.as_deref().is_none_or(|c| !c.trim().is_empty()),
                "{}",
                case.name
            );
        }
    }
}

#[test]
fn corpus_confidence_is_low_exactly_when_the_cause_is_unknown() {
    for case in load() {
        let a = analyze(&case.ctx());
        if a.category == Category::Unknown {
            assert!(a.confidence <= 0.3, "{}: {}", case.name, a.confidence);
        } else {
            assert!(a.confidence >= 0.5, "{}: {}", case.name, a.confidence);
        }
    }
}

/// `text` without ANSI escape sequences (CSI `ESC [ … final`, OSC `ESC ] … BEL|ESC \\`,
/// two-byte `ESC x`), written here independently of the analyzer's own stripping.
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('[') => {
                for d in chars.by_ref() {
                    if ('@'..='~').contains(&d) {
                        break;
                    }
                }
            }
            Some(']') => {
                while let Some(d) = chars.next() {
                    if d == '\u{7}' || (d == '\u{1b}' && chars.next_if_eq(&'\\').is_some()) {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Accuracy on `dir`. With `misses`, prints the score per toolchain and category and every
/// miss; without, only the total (the held-out batch is scored blind: its cases are not
/// shown while the analyzer is being tuned, see tests/heldout/SCORES.md).
fn score(label: &str, dir: &str, misses_shown: bool) -> f64 {
    let cases = load_dir(dir);
    let mut by_tool: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut by_cat: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut misses = Vec::new();
    for case in &cases {
        let got = analyze(&case.ctx());
        let ok = got.category == case.expected_category;
        for row in [
            by_tool.entry(case.toolchain.as_str()).or_default(),
            by_cat.entry(case.expected_category.as_str()).or_default(),
        ] {
            row.0 += 1;
            row.1 += usize::from(ok);
        }
        if !ok {
            misses.push(format!(
                "  [{}] {:32} expected {:18} got {:18} {}",
                case.toolchain,
                case.name,
                case.expected_category.as_str(),
                got.category.as_str(),
                got.summary
            ));
        }
    }
    let correct = cases.len() - misses.len();
    let accuracy = correct as f64 / cases.len() as f64;
    println!(
        "{label}: {correct}/{} = {:.1}%",
        cases.len(),
        accuracy * 100.0
    );
    if misses_shown {
        for (name, table) in [("toolchain", &by_tool), ("category", &by_cat)] {
            for (k, (n, ok)) in table {
                println!("  {name} {k:18} {ok}/{n}");
            }
        }
        for m in &misses {
            println!("{m}");
        }
    }
    accuracy
}

/// Whether an environment switch is set to `1`.
fn switch(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| v == "1")
}

/// The second corpus collection, held to a floor that only rises. It is the tuning set:
/// `--no-capture` prints per toolchain, per category and every miss.
#[test]
fn v2_corpus_stays_above_its_floor() {
    let v2 = score("corpus v2", CORPUS_V2_DIR, true);
    assert!(load_dir(CORPUS_DIR).len() + load_dir(CORPUS_V2_DIR).len() >= 400);
    assert!(v2 >= 0.976, "corpus v2 accuracy {v2:.3} is below its floor");
}

/// Holds a held-out batch of at least `min_cases` to its floor (tests/heldout/SCORES.md).
/// Only its total is printed; `SHELLWISE_HELD_OUT_MISSES=1` also prints its breakdown and
/// misses, which makes the batch fitted once anyone tunes on them.
fn hold_to_floor(label: &str, dir: &str, min_cases: usize, floor: f64) {
    assert!(
        load_dir(dir).len() >= min_cases,
        "{label} has too few cases"
    );
    let held_out = score(label, dir, switch("SHELLWISE_HELD_OUT_MISSES"));
    assert!(
        held_out >= floor,
        "{label} accuracy {held_out:.3} is below its floor {floor}"
    );
}

/// The first held-out batch (fitted since the round on its misses; 93.4% after the round on
/// analysis-3's, 94.0% after the round on analysis-4's).
#[test]
fn held_out_batch_stays_above_its_floor() {
    hold_to_floor("held-out analysis-1", HELD_OUT_DIR, 150, 0.939);
}

/// The second held-out batch (fitted since the round on its misses, 80.3% → 97.7%; 98.1% after
/// the round on analysis-3's).
#[test]
fn second_held_out_batch_stays_above_its_floor() {
    hold_to_floor("held-out analysis-2", HELD_OUT_2_DIR, 300, 0.98);
}

/// The third held-out batch (fitted since the round on its misses, 78.1% → 96.4%).
#[test]
fn third_held_out_batch_stays_above_its_floor() {
    hold_to_floor("held-out analysis-3", HELD_OUT_3_DIR, 150, 0.963);
}

/// The fourth held-out batch (the evidence for the round on analysis-3's misses, 68.4% → 69.1%;
/// fitted since the round on its own misses, 69.1% → 98.8%).
#[test]
fn fourth_held_out_batch_stays_above_its_floor() {
    hold_to_floor("held-out analysis-4", HELD_OUT_4_DIR, 200, 0.988);
}

/// The fifth held-out batch: the evidence for the round on analysis-4's misses (65.0% → 65.4%)
/// and for the learned second opinion (65.4% → 70.2%, scored once). Its misses are
/// never printed (`SHELLWISE_HELD_OUT_MISSES` does not apply), so nobody tunes on them by
/// reading a test run.
#[test]
fn fifth_held_out_batch_stays_above_its_floor() {
    let label = "held-out analysis-5";
    assert!(
        load_dir(HELD_OUT_5_DIR).len() >= 250,
        "{label} has too few cases"
    );
    let held_out = score(label, HELD_OUT_5_DIR, false);
    assert!(
        held_out >= 0.702,
        "{label} accuracy {held_out:.3} is below its floor 0.702"
    );
}

/// The sixth held-out batch (377 real failures over 167 toolchains, collected blind in
/// session 21), scored once before any tuning against it: 223/377 = 59.2% (rules alone,
/// the learned second opinion switched off by hand for one run: 210/377 = 55.7%). Its
/// misses are never printed.
#[test]
fn sixth_held_out_batch_stays_above_its_floor() {
    let label = "held-out analysis-6";
    assert!(
        load_dir(HELD_OUT_6_DIR).len() >= 300,
        "{label} has too few cases"
    );
    let held_out = score(label, HELD_OUT_6_DIR, false);
    assert!(
        held_out >= 0.591,
        "{label} accuracy {held_out:.3} is below its floor 0.591"
    );
}

/// `SHELLWISE_ANALYSIS_TIMING=1`: the median time to analyse one case of both corpus
/// collections (each case analysed 20 times, after a warm-up that loads the catalog), and
/// how long loading the catalog took. Prints only times, never the cases.
#[test]
fn median_time_per_case_is_printed_on_request() {
    if !switch("SHELLWISE_ANALYSIS_TIMING") {
        return;
    }
    let text = include_str!("catalog.toml");
    let started = std::time::Instant::now();
    let quick = super::catalog::Catalog::parse_with(text, super::catalog::Checks::Structure);
    let loaded_in = started.elapsed();
    assert!(quick.is_ok());
    let started = std::time::Instant::now();
    let catalog = super::catalog::Catalog::parse(text).unwrap();
    let parsed_in = started.elapsed();
    let cases = load();
    let _ = analyze(&cases[0].ctx());
    let mut times: Vec<std::time::Duration> = Vec::new();
    for case in &cases {
        for _ in 0..20 {
            let start = std::time::Instant::now();
            let a = analyze(&case.ctx());
            times.push(start.elapsed());
            std::hint::black_box(a);
        }
    }
    // The catalog's share: matching every collected line of a case against it.
    let mut matching: Vec<std::time::Duration> = Vec::new();
    for case in &cases {
        let ctx = case.ctx();
        let lines = super::input::collect(&ctx, &super::AnalyzerLimits::default());
        let programs = super::catalog::command_programs(ctx.command);
        let start = std::time::Instant::now();
        for line in &lines {
            let lower = line.text.to_ascii_lowercase();
            std::hint::black_box(catalog.classify(&line.text, &lower, &programs));
        }
        matching.push(start.elapsed());
    }
    times.sort_unstable();
    matching.sort_unstable();
    let median = times[times.len() / 2];
    let p90 = times[times.len() * 9 / 10];
    println!(
        "analysis timing: {} cases x 20, median {} µs, p90 {} µs (catalog matching alone: median {} µs); catalog of {} entries loaded in {} ms (run time: structure checks, regexes compiled on first use), fully checked in {} ms",
        cases.len(),
        median.as_micros(),
        p90.as_micros(),
        matching[matching.len() / 2].as_micros(),
        catalog.entries.len(),
        loaded_in.as_millis(),
        parsed_in.as_millis()
    );
}
