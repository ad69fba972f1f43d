//! The learned model's trainer, its drift test, and the leave-one-batch-out cross-validation
//! that chose its hyperparameters. Training reads the labelled corpora and held-out batches
//! 1–4 only; analysis-5 is the evidence and is never read here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::corpus_tests::{
    load_dir, CORPUS_DIR, CORPUS_V2_DIR, HELD_OUT_2_DIR, HELD_OUT_3_DIR, HELD_OUT_4_DIR,
    HELD_OUT_DIR,
};
use super::learned::{self, Feature, Model};
use super::{input, rules, AnalyzerLimits, Category};

/// The training sets, each a fold of the cross-validation.
const SETS: [(&str, &str); 6] = [
    ("corpus v1", CORPUS_DIR),
    ("corpus v2", CORPUS_V2_DIR),
    ("analysis-1", HELD_OUT_DIR),
    ("analysis-2", HELD_OUT_2_DIR),
    ("analysis-3", HELD_OUT_3_DIR),
    ("analysis-4", HELD_OUT_4_DIR),
];

/// The hyperparameters of a model: the first two shape the counts, the last two the
/// combination with the rules.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Params {
    /// Additive (Lidstone) smoothing of every feature count.
    alpha: f64,
    /// Features seen in fewer training failures than this are dropped.
    min_df: u32,
    consult_at_most: f32,
    min_probability: f32,
}

/// The shipped hyperparameters, chosen by `cross_validation_is_printed_on_request`.
const SHIPPED: Params = Params {
    alpha: 1.0,
    min_df: 2,
    consult_at_most: 0.5,
    min_probability: 0.6,
};

/// One labelled failure as the trainer sees it: its features, its label, and the rules'
/// verdict (for scoring the combination).
struct Example {
    set: usize,
    features: Vec<Feature>,
    label: Category,
    rules: Category,
    confidence: f32,
}

fn examples() -> Vec<Example> {
    let mut out = Vec::new();
    for (set, (_, dir)) in SETS.iter().enumerate() {
        for case in load_dir(dir) {
            let ctx = case.ctx();
            let lines = input::collect(&ctx, &AnalyzerLimits::default());
            let verdict = rules::judge(&ctx, &lines);
            out.push(Example {
                set,
                features: learned::features(&ctx, &lines),
                label: case.expected_category,
                rules: verdict.category(),
                confidence: verdict.confidence,
            });
        }
    }
    out
}

fn class_index(c: Category) -> usize {
    Category::ALL.iter().position(|x| *x == c).unwrap()
}

/// Builds `model.tsv` from `examples`: per class its failures and feature occurrences, per
/// kept feature the failures of each class it occurs in. Sorted, integers only: the same
/// examples always give the same bytes.
fn train<'a>(examples: impl Iterator<Item = &'a Example>, p: &Params) -> String {
    let mut docs = [0u64; 18];
    let mut df: BTreeMap<&str, [u64; 18]> = BTreeMap::new();
    let mut per_case: Vec<(usize, Vec<&str>)> = Vec::new();
    for e in examples {
        let c = class_index(e.label);
        docs[c] += 1;
        let mut names: Vec<&str> = e.features.iter().map(|f| f.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        for n in &names {
            df.entry(n).or_insert([0; 18])[c] += 1;
        }
        per_case.push((c, names));
    }
    df.retain(|_, row| row.iter().sum::<u64>() >= u64::from(p.min_df));
    let mut totals = [0u64; 18];
    for (c, names) in &per_case {
        totals[*c] += names.iter().filter(|n| df.contains_key(*n)).count() as u64;
    }
    let mut out = String::new();
    out.push_str(
        "# The learned failure model (src/analysis/learned.rs): multinomial naive Bayes over\n",
    );
    out.push_str("# binary features of a failure. Written by learned_tests::train from the labelled corpora\n");
    out.push_str("# and held-out batches 1-4; regenerate with SHELLWISE_WRITE_MODEL=1 (see learned_tests.rs).\n");
    out.push_str(
        "# class: name, failures, feature occurrences; feature: name, class:failures ...\n",
    );
    writeln!(out, "alpha\t{}", p.alpha).unwrap();
    writeln!(out, "consult_at_most\t{}", p.consult_at_most).unwrap();
    writeln!(out, "min_probability\t{}", p.min_probability).unwrap();
    for (c, cat) in Category::ALL.iter().enumerate() {
        if docs[c] > 0 {
            writeln!(out, "class\t{}\t{}\t{}", cat.as_str(), docs[c], totals[c]).unwrap();
        }
    }
    for (name, row) in &df {
        let list: Vec<String> = row
            .iter()
            .enumerate()
            .filter(|(_, k)| **k > 0)
            .map(|(c, k)| format!("{c}:{k}"))
            .collect();
        writeln!(out, "feature\t{name}\t{}", list.join(" ")).unwrap();
    }
    out
}

fn model_of(text: String) -> Model {
    Model::parse(Box::leak(text.into_boxed_str())).unwrap()
}

#[test]
fn the_committed_model_is_what_the_trainer_builds_from_the_corpora() {
    let examples = examples();
    let text = train(examples.iter(), &SHIPPED);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/analysis/model.tsv");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    if committed != text && std::env::var("SHELLWISE_WRITE_MODEL").is_ok_and(|v| v == "1") {
        std::fs::write(path, &text).unwrap();
        return;
    }
    assert!(
        committed == text,
        "src/analysis/model.tsv is not what the trainer builds from the corpora; regenerate it with SHELLWISE_WRITE_MODEL=1 cargo test --lib learned_tests"
    );
    assert!(learned::model().is_some(), "the shipped model parses");
}

/// The grids the cross-validation searches. Features seen once are never kept: they would
/// triple the model file (~190 KB at `min_df` 2) for a gain the folds put at two cases in
/// 867.
const ALPHAS: [f64; 4] = [0.1, 0.3, 1.0, 3.0];
const MIN_DFS: [u32; 2] = [2, 3];
const CONSULT: [f32; 6] = [0.2, 0.3, 0.5, 0.6, 0.7, 0.85];
const MIN_P: [f32; 9] = [0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99];

/// Earlier analyzers' verdicts on batches they had not seen, for the time-forward folds:
/// `tests/data/learned-cv/rules-<commit>.tsv` (set, file, category, confidence), each written
/// by that commit's `analyze` (see the README there). The rules of today were fitted to every
/// training batch, so only these show how the rules do on output they were not tuned to.
/// `(commit, how many of SETS that analyzer had seen)`.
const SNAPSHOTS: [(&str, usize); 3] = [("80ef456", 3), ("c9ec81a", 4), ("1d85f42", 5)];

type Verdicts = BTreeMap<(String, String), (Category, f32)>;

fn snapshot(commit: &str) -> Verdicts {
    let path = format!(
        "{}/tests/data/learned-cv/rules-{commit}.tsv",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    text.lines()
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            let cat = Category::ALL
                .into_iter()
                .find(|c| c.as_str() == cols[2])
                .unwrap();
            (
                (cols[0].to_string(), cols[1].to_string()),
                (cat, cols[3].parse().unwrap()),
            )
        })
        .collect()
}

/// The file names of a set's cases, in `load_dir`'s order.
fn file_names(dir: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    names
}

fn points() -> Vec<Params> {
    let mut points = Vec::new();
    for alpha in ALPHAS {
        for min_df in MIN_DFS {
            for consult_at_most in CONSULT {
                for min_probability in MIN_P {
                    points.push(Params {
                        alpha,
                        min_df,
                        consult_at_most,
                        min_probability,
                    });
                }
            }
        }
    }
    points
}

/// One scored fold: a model trained on `train_sets`, the failures of `test_set`, and the
/// rules' verdict on each (today's, or an earlier analyzer's).
struct Fold {
    label: String,
    test: Vec<(usize, Category, f32)>,
    train_sets: Vec<usize>,
}

/// For every fold and grid point: (cases, rules correct, model alone correct, combined correct).
fn score_folds(examples: &[Example], folds: &[Fold], points: &[Params]) -> Vec<Vec<[usize; 4]>> {
    let mut out = vec![vec![[0usize; 4]; points.len()]; folds.len()];
    for alpha in ALPHAS {
        for min_df in MIN_DFS {
            let shape = Params {
                alpha,
                min_df,
                ..SHIPPED
            };
            for (fi, fold) in folds.iter().enumerate() {
                let model = model_of(train(
                    examples.iter().filter(|e| fold.train_sets.contains(&e.set)),
                    &shape,
                ));
                let readings: Vec<_> = fold
                    .test
                    .iter()
                    .map(|(i, _, _)| model.read(&examples[*i].features))
                    .collect();
                for (pi, p) in points.iter().enumerate() {
                    if p.alpha != alpha || p.min_df != min_df {
                        continue;
                    }
                    let mut row = [fold.test.len(), 0, 0, 0];
                    for ((i, rules, conf), r) in fold.test.iter().zip(&readings) {
                        let label = examples[*i].label;
                        row[1] += usize::from(*rules == label);
                        row[2] += usize::from(r.opinion.category == label);
                        // A runner's report has confidence 0.95, above every bound of the
                        // grid (earlier analyzers' verdicts carry no basis).
                        let chosen = if learned::overrules(
                            r,
                            *rules,
                            *conf,
                            false,
                            p.consult_at_most,
                            p.min_probability,
                        ) {
                            r.opinion.category
                        } else {
                            *rules
                        };
                        row[3] += usize::from(chosen == label);
                    }
                    out[fi][pi] = row;
                }
            }
        }
    }
    out
}

fn print_table(title: &str, folds: &[Fold], scores: &[Vec<[usize; 4]>], pi: usize) {
    println!("{title}");
    println!("| held-out fold | cases | rules | model alone | combined |");
    println!("|---|---|---|---|---|");
    let mut sum = [0usize; 4];
    for (fold, s) in folds.iter().zip(scores) {
        let r = s[pi];
        for k in 0..4 {
            sum[k] += r[k];
        }
        println!(
            "| {} | {} | {} = {:.1}% | {} = {:.1}% | {} = {:.1}% |",
            fold.label,
            r[0],
            r[1],
            pct(r[1], r[0]),
            r[2],
            pct(r[2], r[0]),
            r[3],
            pct(r[3], r[0])
        );
    }
    println!(
        "| total | {} | {} = {:.1}% | {} = {:.1}% | {} = {:.1}% |",
        sum[0],
        sum[1],
        pct(sum[1], sum[0]),
        sum[2],
        pct(sum[2], sum[0]),
        sum[3],
        pct(sum[3], sum[0])
    );
}

/// The grid point with the most combined-correct over `folds` (the first, most cautious
/// one on a tie: points are ordered by rising threshold within a shape).
fn best_over(scores: &[Vec<[usize; 4]>], folds: &[usize], n_points: usize) -> usize {
    let total = |pi: usize| folds.iter().map(|f| scores[*f][pi][3]).sum::<usize>();
    (0..n_points).fold(0, |b, pi| if total(pi) > total(b) { pi } else { b })
}

/// Cases of the best total a point may give up for a smaller, more cautious model.
const TOLERANCE: usize = 2;

/// The point the model ships with: among those within [`TOLERANCE`] of the best total over
/// `folds`, the one with the fewest features kept (highest `min_df`), then the most cautious
/// (highest `min_probability`, lowest `consult_at_most`), then the best total.
fn chosen_point(scores: &[Vec<[usize; 4]>], folds: &[usize], points: &[Params]) -> usize {
    let total = |pi: usize| folds.iter().map(|f| scores[*f][pi][3]).sum::<usize>();
    let best = total(best_over(scores, folds, points.len()));
    let key = |pi: usize| {
        let p = points[pi];
        (
            p.min_df,
            (p.min_probability * 100.0) as i32,
            -((p.consult_at_most * 100.0) as i32),
            total(pi),
        )
    };
    (0..points.len())
        .filter(|pi| total(*pi) + TOLERANCE >= best)
        .fold(None, |b: Option<usize>, pi| match b {
            Some(b) if key(b) >= key(pi) => Some(b),
            _ => Some(pi),
        })
        .unwrap()
}

/// `SHELLWISE_LEARNED_CV=1`: the cross-validation that chose the shipped hyperparameters.
/// Time-forward folds: a model trained on the sets an earlier analyzer had seen scores the
/// next batch, combined with that analyzer's verdicts (the situation of a fresh batch).
/// Leave-one-batch-out folds: a model trained on the other sets scores each set, combined
/// with today's rules (which were fitted to every set, so they show harm more than gain).
#[test]
fn cross_validation_is_printed_on_request() {
    if !std::env::var("SHELLWISE_LEARNED_CV").is_ok_and(|v| v == "1") {
        return;
    }
    let examples = examples();
    let points = points();
    let mut index: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut next = 0;
    for (_, dir) in SETS {
        let set = dir.rsplit('/').next().unwrap().to_string();
        for name in file_names(dir) {
            index.insert((set.clone(), name), next);
            next += 1;
        }
    }
    assert_eq!(next, examples.len());
    let mut forward = Vec::new();
    for (commit, seen) in SNAPSHOTS {
        let verdicts = snapshot(commit);
        for (s, (label, dir)) in SETS.iter().enumerate().skip(seen) {
            let set = dir.rsplit('/').next().unwrap();
            let test: Vec<(usize, Category, f32)> = verdicts
                .iter()
                .filter(|((d, _), _)| d == set)
                .map(|(k, (c, conf))| (index[k], *c, *conf))
                .collect();
            if test.is_empty() {
                continue;
            }
            assert!(test.iter().all(|(i, _, _)| examples[*i].set == s));
            forward.push(Fold {
                label: format!("{label} (rules of {commit})"),
                test,
                train_sets: (0..seen).collect(),
            });
        }
    }
    // The fold of each analyzer's next batch: the situation the shipped model will face.
    let primary: Vec<usize> = SNAPSHOTS
        .iter()
        .map(|(commit, seen)| {
            forward
                .iter()
                .position(|f| f.label == format!("{} (rules of {commit})", SETS[*seen].0))
                .unwrap()
        })
        .collect();
    let lobo: Vec<Fold> = (0..SETS.len())
        .map(|s| Fold {
            label: SETS[s].0.to_string(),
            test: examples
                .iter()
                .enumerate()
                .filter(|(_, e)| e.set == s)
                .map(|(i, e)| (i, e.rules, e.confidence))
                .collect(),
            train_sets: (0..SETS.len()).filter(|x| *x != s).collect(),
        })
        .collect();
    let fwd = score_folds(&examples, &forward, &points);
    let lob = score_folds(&examples, &lobo, &points);
    let best = best_over(&fwd, &primary, points.len());
    let chosen = chosen_point(&fwd, &primary, &points);
    let mut ranked: Vec<usize> = (0..points.len()).collect();
    let total = |pi: usize| primary.iter().map(|f| fwd[*f][pi][3]).sum::<usize>();
    ranked.sort_by_key(|pi| std::cmp::Reverse(total(*pi)));
    println!("time-forward, next batches, best points:");
    for pi in ranked.iter().take(20) {
        let lt: usize = lob.iter().map(|f| f[*pi][3]).sum();
        println!("  {:?}: {} (leave-one-out {lt})", points[*pi], total(*pi));
    }
    let shipped = points.iter().position(|p| *p == SHIPPED).unwrap();
    println!(
        "best {:?} ({}); chosen {:?} ({}); shipped {SHIPPED:?}",
        points[best],
        total(best),
        points[chosen],
        total(chosen)
    );
    print_table("time-forward folds, shipped point", &forward, &fwd, shipped);
    print_table(
        "leave-one-batch-out folds (today's rules), shipped point",
        &lobo,
        &lob,
        shipped,
    );
    // Nested: each next-batch fold scored at the point chosen on the other two.
    for (k, f) in primary.iter().enumerate() {
        let others: Vec<usize> = primary
            .iter()
            .copied()
            .filter(|x| *x != primary[k])
            .collect();
        let chosen = best_over(&fwd, &others, points.len());
        let r = fwd[*f][chosen];
        println!(
            "nested: {} at {:?} (chosen on the other two): rules {}/{} -> combined {}",
            forward[*f].label, points[chosen], r[1], r[0], r[3]
        );
    }
    assert_eq!(
        points[chosen], SHIPPED,
        "the shipped hyperparameters are not the ones the cross-validation chooses"
    );
}

fn pct(k: usize, n: usize) -> f64 {
    100.0 * k as f64 / n as f64
}

#[test]
fn an_output_no_rule_names_is_classed_by_the_model_with_low_confidence_and_its_own_line() {
    let a = super::analyze(&super::FailureContext {
        command: "numfmt --from=iec 12XB",
        exit_code: Some(2),
        stderr: "numfmt: invalid suffix in input: \u{2018}12XB\u{2019}\n",
        ..Default::default()
    });
    let line = "numfmt: invalid suffix in input: \u{2018}12XB\u{2019}";
    assert_eq!(
        (a.category, a.confidence, a.evidence.clone(), a.fixes.len()),
        (
            Category::UsageError,
            learned::LEARNED_CONFIDENCE,
            vec![line.to_string()],
            0
        )
    );
    assert_eq!(
        a.summary,
        format!("`numfmt` failed with exit code 2, probably a command called with wrong options or arguments: {line}")
    );
    assert!(
        a.root_cause
            .starts_with("No rule of the analyzer names a cause"),
        "{}",
        a.root_cause
    );
}

#[test]
fn the_model_never_overrules_a_runners_report() {
    // A memory limit reported by the runner decides, whatever the output reads like.
    let a = super::analyze(&super::FailureContext {
        command: "numfmt --from=iec 12XB",
        exit_code: Some(2),
        limit: Some("memory"),
        stderr: "numfmt: invalid suffix in input: \u{2018}12XB\u{2019}\n",
        ..Default::default()
    });
    assert_eq!(a.category, Category::OutOfMemory);
}
