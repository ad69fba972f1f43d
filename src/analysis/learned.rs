//! The learned second opinion: a multinomial naive Bayes model over features of a failure
//! (tokens of its telling lines, the program, the exit status), consulted only when the rules
//! are unsure, and allowed to name the category only when it is confident.
//!
//! The model is data: `model.tsv` (embedded, parsed on first use) holds per-class document
//! counts, per-feature counts by class and the combination's thresholds. It is written by
//! `learned_tests::train` from the labelled corpora alone, and a drift test fails when the
//! committed file differs from what the trainer produces. The thresholds were chosen by
//! leave-one-batch-out cross-validation (tests/heldout/SCORES.md).
//!
//! Every feature is a string: `w:` a token, `b:` two adjacent tokens of one line, `p:` the
//! program, `x:` the exit-code bucket, `g:` the signal, `t:`/`l:` the runner's timeout and
//! limit. The rules' own verdict is deliberately not a feature: the rules were fitted to the
//! training batches, so a model would learn to trust them far more than fresh output deserves.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::input::Line;
use super::rules::{effective_signal, is_noise, reports_child_status, Basis, Hit, Kind, Verdict};
use super::text::{base_name, main_program};
use super::{Category, FailureContext};

/// The confidence of a category the model chose: a plausible lead, not a diagnosis (the
/// scale's 0.50 step; see the module docs of `analysis`).
pub(super) const LEARNED_CONFIDENCE: f32 = 0.5;

/// Words that make a line worth reading for its cause (lowercase).
const TELLING: [&str; 38] = [
    "error",
    "fail",
    "fatal",
    "denied",
    "invalid",
    "cannot",
    "can't",
    "could not",
    "couldn't",
    "unable",
    "not found",
    "no such",
    "refused",
    "unknown",
    "missing",
    "killed",
    "timed out",
    "timeout",
    "exception",
    "panic",
    "abort",
    "unexpected",
    "unrecognized",
    "usage",
    "not permitted",
    "in use",
    "segmentation",
    "no space",
    "out of memory",
    "too many",
    "exceeded",
    "limit",
    "forbidden",
    "unauthorized",
    "expected",
    "incorrect",
    "reset",
    "errno",
];
/// Telling lines read from each end of the output, and the last lines.
const TELLING_EACH_END: usize = 5;
const TAIL_LINES: usize = 3;
/// Tokens longer than this are paths, hashes or identifiers, not words.
const MAX_TOKEN: usize = 24;

/// One feature of a failure, with the collected line it came from (none for the status) and
/// whether that line is a message that may be quoted as the reason (not a stack frame, a
/// caret marker or a traceback's header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Feature {
    pub line: Option<usize>,
    pub quotable: bool,
    pub name: String,
}

/// The lines the features are read from: the telling lines (cut at both ends) and the last
/// lines, in output order. The rules' hits are not used: the model reads the output on its
/// own, so nothing the rules were fitted to leaks into it.
fn read_lines(lines: &[Line<'_>]) -> Vec<usize> {
    let mut telling: Vec<usize> = Vec::new();
    let mut lower = String::new();
    for (i, l) in lines.iter().enumerate() {
        lower.clear();
        lower.extend(l.text.chars().map(|c| c.to_ascii_lowercase()));
        if TELLING.iter().any(|w| lower.contains(w)) {
            telling.push(i);
        }
    }
    let mut picked = Vec::new();
    if telling.len() <= 2 * TELLING_EACH_END {
        picked.extend_from_slice(&telling);
    } else {
        picked.extend_from_slice(&telling[..TELLING_EACH_END]);
        picked.extend_from_slice(&telling[telling.len() - TELLING_EACH_END..]);
    }
    picked.extend(lines.len().saturating_sub(TAIL_LINES)..lines.len());
    picked.sort_unstable();
    picked.dedup();
    picked
}

/// Whether a line is a message that can say why, rather than the frames and markers around
/// one or a wrapper's report that its child exited non-zero (make's `*** [x] Error 1`,
/// "… exited with code 2"), which names no cause.
fn quotable(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let make_report =
        lower.starts_with("make") && lower.contains("*** [") && lower.contains("] error ");
    !is_noise(text)
        && !text.starts_with("Traceback (most recent call last)")
        && !make_report
        && !reports_child_status(&lower)
}

/// The words of a line: lowercase ASCII runs of letters, digits and `_`; numbers longer than
/// three digits and long or digit-laden runs (hashes, addresses) are dropped, short codes
/// (`e0308`, `sc2086`, `404`) kept.
fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|t| (2..=MAX_TOKEN).contains(&t.len()))
        .filter(|t| {
            let digits = t.bytes().filter(u8::is_ascii_digit).count();
            match digits {
                0 => true,
                _ if digits == t.len() => t.len() <= 3,
                _ => t.len() <= 8 && t.as_bytes()[0].is_ascii_alphabetic(),
            }
        })
        .map(str::to_ascii_lowercase)
}

fn exit_bucket(code: Option<i32>) -> String {
    match code {
        None => "x:none".to_string(),
        Some(c @ (0..=2 | 124..=128)) => format!("x:{c}"),
        Some(129..=159) => "x:signal".to_string(),
        Some(3..=123) => "x:other".to_string(),
        Some(_) => "x:high".to_string(),
    }
}

/// Every feature of a failure, in reading order; a feature may repeat (the model counts
/// each once per failure).
pub(super) fn features(ctx: &FailureContext<'_>, lines: &[Line<'_>]) -> Vec<Feature> {
    let mut out = Vec::new();
    let mut status = |name: String| {
        out.push(Feature {
            line: None,
            quotable: false,
            name,
        })
    };
    if let Some(p) = main_program(ctx.command).map(base_name) {
        let p: String = p.chars().take(MAX_TOKEN).collect();
        status(format!("p:{}", p.to_ascii_lowercase()));
    }
    status(exit_bucket(ctx.exit_code));
    if let Some(s) = effective_signal(ctx) {
        status(format!("g:{s}"));
    }
    if ctx.timed_out {
        status("t:timed_out".to_string());
    }
    if let Some(l) = ctx.limit {
        status(format!("l:{l}"));
    }
    if lines.is_empty() {
        status("o:silent".to_string());
    }
    for i in read_lines(lines) {
        let Some(line) = lines.get(i) else { continue };
        let quotable = quotable(&line.text);
        let mut prev: Option<String> = None;
        for t in tokens(&line.text) {
            if let Some(p) = prev.take() {
                out.push(Feature {
                    line: Some(i),
                    quotable,
                    name: format!("b:{p} {t}"),
                });
            }
            out.push(Feature {
                line: Some(i),
                quotable,
                name: format!("w:{t}"),
            });
            prev = Some(t);
        }
    }
    out
}

/// A trained model: per feature, the log-likelihood of seeing it in a failure of each class.
pub(super) struct Model {
    index: HashMap<&'static str, usize>,
    /// Per feature, the classes it was seen in with their log-likelihood.
    seen: Vec<Vec<(usize, f32)>>,
    /// The log-likelihood of a feature never seen with the class.
    unseen: Vec<f32>,
    /// The log prior of each class; `None` for classes absent from the training data.
    prior: Vec<Option<f32>>,
    /// The rules are overruled only when their confidence is at most this …
    pub consult_at_most: f32,
    /// … and the model's probability for another category is at least this.
    pub min_probability: f32,
}

/// What the model says about one failure.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Opinion {
    pub category: Category,
    pub probability: f32,
}

impl Model {
    /// Parses `model.tsv` (see `learned_tests::train` for the format).
    pub(super) fn parse(text: &'static str) -> Result<Model, String> {
        let mut alpha: Option<f64> = None;
        let mut consult_at_most: Option<f32> = None;
        let mut min_probability: Option<f32> = None;
        let mut docs = vec![0u64; Category::ALL.len()];
        let mut totals = vec![0u64; Category::ALL.len()];
        let mut counts: Vec<Vec<(usize, u64)>> = Vec::new();
        let mut index = HashMap::new();
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            let bad = || format!("model.tsv line {}: {line}", n + 1);
            let mut cols = line.split('\t');
            match (cols.next(), cols.next(), cols.next(), cols.next()) {
                (Some("alpha"), Some(v), None, None) => alpha = v.parse().ok(),
                (Some("consult_at_most"), Some(v), None, None) => consult_at_most = v.parse().ok(),
                (Some("min_probability"), Some(v), None, None) => min_probability = v.parse().ok(),
                (Some("class"), Some(name), Some(d), Some(t)) => {
                    let c = class_index(name).ok_or_else(bad)?;
                    docs[c] = d.parse().map_err(|_| bad())?;
                    totals[c] = t.parse().map_err(|_| bad())?;
                }
                (Some("feature"), Some(name), Some(list), None) => {
                    let mut row = Vec::new();
                    for pair in list.split(' ') {
                        let (c, k) = pair.split_once(':').ok_or_else(bad)?;
                        let c: usize = c.parse().map_err(|_| bad())?;
                        let k: u64 = k.parse().map_err(|_| bad())?;
                        if c >= Category::ALL.len() {
                            return Err(bad());
                        }
                        row.push((c, k));
                    }
                    index.insert(name, counts.len());
                    counts.push(row);
                }
                _ => return Err(bad()),
            }
        }
        let (Some(alpha), Some(consult_at_most), Some(min_probability)) =
            (alpha, consult_at_most, min_probability)
        else {
            return Err("model.tsv lacks alpha, consult_at_most or min_probability".to_string());
        };
        let all_docs: u64 = docs.iter().sum();
        let vocabulary = counts.len() as f64;
        let denominator: Vec<f64> = totals
            .iter()
            .map(|t| *t as f64 + alpha * vocabulary)
            .collect();
        let unseen: Vec<f32> = denominator
            .iter()
            .map(|d| (alpha / d).ln() as f32)
            .collect();
        let seen = counts
            .iter()
            .map(|row| {
                row.iter()
                    .map(|(c, k)| (*c, ((*k as f64 + alpha) / denominator[*c]).ln() as f32))
                    .collect()
            })
            .collect();
        // Smoothed priors: a class the batches rarely show is not ruled out by its rarity.
        let classes = docs.iter().filter(|d| **d > 0).count() as f64;
        let prior = docs
            .iter()
            .map(|d| {
                (*d > 0).then(|| ((*d as f64 + 1.0) / (all_docs as f64 + classes)).ln() as f32)
            })
            .collect();
        Ok(Model {
            index,
            seen,
            unseen,
            prior,
            consult_at_most,
            min_probability,
        })
    }

    /// The log score of each class for a failure with these features (each counted once).
    fn scores(&self, features: &[Feature]) -> Vec<f32> {
        let mut known: Vec<usize> = features
            .iter()
            .filter_map(|f| self.index.get(f.name.as_str()).copied())
            .collect();
        known.sort_unstable();
        known.dedup();
        let mut scores: Vec<f32> = self
            .prior
            .iter()
            .map(|p| p.unwrap_or(f32::NEG_INFINITY))
            .collect();
        let unseen_sum = known.len() as f32;
        for (s, u) in scores.iter_mut().zip(&self.unseen) {
            *s += unseen_sum * u;
        }
        for f in known {
            for (c, lp) in &self.seen[f] {
                scores[*c] += lp - self.unseen[*c];
            }
        }
        scores
    }

    /// The most probable category and its probability.
    pub(super) fn opinion(&self, features: &[Feature]) -> Opinion {
        let scores = self.scores(features);
        let (best, top) = scores.iter().enumerate().fold(
            (Category::ALL.len() - 1, f32::NEG_INFINITY),
            |acc, (i, s)| {
                if *s > acc.1 {
                    (i, *s)
                } else {
                    acc
                }
            },
        );
        let sum: f32 = scores.iter().map(|s| (s - top).exp()).sum();
        Opinion {
            category: Category::ALL[best],
            probability: if sum > 0.0 { 1.0 / sum } else { 0.0 },
        }
    }

    /// The quotable line that speaks most for `category` against every other class, if one
    /// speaks for it at all (the sum of its features' log-likelihood ratios against the best
    /// rival is positive).
    fn telling_line(&self, features: &[Feature], category: Category) -> Option<usize> {
        let c = class_index(category.as_str())?;
        let mut by_line: Vec<(usize, f32)> = Vec::new();
        let mut seen_here: Vec<(usize, usize)> = Vec::new();
        for f in features {
            let (Some(line), true, Some(&k)) =
                (f.line, f.quotable, self.index.get(f.name.as_str()))
            else {
                continue;
            };
            if seen_here.contains(&(line, k)) {
                continue;
            }
            seen_here.push((line, k));
            let ll = |class: usize| {
                self.seen[k]
                    .iter()
                    .find(|(x, _)| *x == class)
                    .map_or(self.unseen[class], |(_, lp)| *lp)
            };
            let own = ll(c);
            let rival = (0..Category::ALL.len())
                .filter(|x| *x != c && self.prior[*x].is_some())
                .map(ll)
                .fold(f32::NEG_INFINITY, f32::max);
            match by_line.last_mut() {
                Some((l, s)) if *l == line => *s += own - rival,
                _ => by_line.push((line, own - rival)),
            }
        }
        by_line
            .into_iter()
            .filter(|(_, s)| *s > 0.0)
            .fold(None, |best: Option<(usize, f32)>, (l, s)| match best {
                Some((_, b)) if b >= s => best,
                _ => Some((l, s)),
            })
            .map(|(l, _)| l)
    }

    /// The model's reading of a failure: its category and the line that speaks for it.
    pub(super) fn read(&self, features: &[Feature]) -> Reading {
        let opinion = self.opinion(features);
        let line = self.telling_line(features, opinion.category);
        Reading { opinion, line }
    }
}

fn class_index(name: &str) -> Option<usize> {
    Category::ALL.iter().position(|c| c.as_str() == name)
}

static MODEL: LazyLock<Option<Model>> = LazyLock::new(|| {
    Model::parse(include_str!("model.tsv"))
        .map_err(|e| tracing::error!(error = %e, "the learned analysis model did not load"))
        .ok()
});

/// The shipped model, parsed on first use (`None` if it does not parse, which its own test
/// rules out).
pub(super) fn model() -> Option<&'static Model> {
    MODEL.as_ref()
}

/// What the model makes of one failure.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Reading {
    pub opinion: Opinion,
    /// The quotable line that speaks most for the category, if any does.
    pub line: Option<usize>,
}

/// The combination rule: the model's category replaces the rules' only when the rules are
/// unsure (no runner report, confidence at most `consult_at_most`), the model names a cause
/// other than theirs with probability at least `min_probability`, and a line of the output
/// (a message, not a stack frame) speaks for it: a guess from the exit status or the program
/// alone is not enough.
pub(super) fn overrules(
    reading: &Reading,
    rules: Category,
    confidence: f32,
    reported: bool,
    consult_at_most: f32,
    min_probability: f32,
) -> bool {
    !reported
        && confidence <= consult_at_most
        && reading.line.is_some()
        && reading.opinion.category != Category::Unknown
        && reading.opinion.category != rules
        && reading.opinion.probability >= min_probability
}

/// `verdict`, or the model's category in its place when the rules are unsure and the model is
/// confident; the new verdict's primary line is the line that speaks most for it.
pub(super) fn second_opinion(
    ctx: &FailureContext<'_>,
    lines: &[Line<'_>],
    verdict: Verdict,
) -> Verdict {
    let Some(model) = model() else {
        return verdict;
    };
    let reported = verdict.primary.basis == Basis::Reported;
    if reported || verdict.confidence > model.consult_at_most {
        return verdict;
    }
    let reading = model.read(&features(ctx, lines));
    if !overrules(
        &reading,
        verdict.category(),
        verdict.confidence,
        reported,
        model.consult_at_most,
        model.min_probability,
    ) {
        return verdict;
    }
    let primary = Hit {
        kind: Kind::Cataloged(reading.opinion.category),
        weight: 0,
        basis: Basis::Pattern,
        subject: None,
        detail: None,
        line: reading.line,
        found: None,
    };
    Verdict {
        primary,
        hits: verdict.hits,
        confidence: LEARNED_CONFIDENCE,
        learned: Some(reading.opinion.probability),
    }
}
