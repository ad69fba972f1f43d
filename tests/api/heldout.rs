//! [judgement]: the held-out batches in `tests/heldout/` (written without looking at the
//! engines), scored against the built-in policy and redactor. The scores are printed (run with
//! `--no-capture`) and written to `target/heldout-scores.txt`; each is held to a floor — the
//! score measured when the batch was first run, raised as rules improve — so a change that
//! makes the engines worse on cases nobody tuned them to fails here.

use std::collections::BTreeMap;

use shellwise::policy::{Action, CheckInput, Policy, Subject};
use shellwise::redact::Redactor;

const POLICY: &str = include_str!("../heldout/policy.tsv");
const REDACTION: &str = include_str!("../heldout/redaction.tsv");
/// Batch 2: written after batch 1 was used for tuning, without looking at it or the engines.
const POLICY_2: &str = include_str!("../heldout/policy-2.tsv");
const REDACTION_2: &str = include_str!("../heldout/redaction-2.tsv");
/// Batch 3: written after batch 2 was used for tuning, without looking at any batch or the
/// engines.
const POLICY_3: &str = include_str!("../heldout/policy-3.tsv");
const REDACTION_3: &str = include_str!("../heldout/redaction-3.tsv");
/// Batch 4: written after batch 3 was used for tuning, blind like the others.
const POLICY_4: &str = include_str!("../heldout/policy-4.tsv");
const REDACTION_4: &str = include_str!("../heldout/redaction-4.tsv");
/// Batch 5: written after batch 4 was used for tuning, blind like the others.
const POLICY_5: &str = include_str!("../heldout/policy-5.tsv");
const REDACTION_5: &str = include_str!("../heldout/redaction-5.tsv");
const POLICY_6: &str = include_str!("../heldout/policy-6.tsv");
const REDACTION_6: &str = include_str!("../heldout/redaction-6.tsv");
/// Batch 7: written blind after batch 6 was used for tuning; the evidence for that tuning.
const POLICY_7: &str = include_str!("../heldout/policy-7.tsv");
const REDACTION_7: &str = include_str!("../heldout/redaction-7.tsv");
/// Batch 8: written blind after batch 7 was used for tuning; the evidence for that tuning.
const POLICY_8: &str = include_str!("../heldout/policy-8.tsv");
const REDACTION_8: &str = include_str!("../heldout/redaction-8.tsv");
/// Batch 9: written blind after batch 8 was scored; the evidence for the batch-8 tuning.
const POLICY_9: &str = include_str!("../heldout/policy-9.tsv");
const REDACTION_9: &str = include_str!("../heldout/redaction-9.tsv");
/// Batch 10: written blind after batch 9 was scored; the evidence for the batch-9 tuning.
const POLICY_10: &str = include_str!("../heldout/policy-10.tsv");
const REDACTION_10: &str = include_str!("../heldout/redaction-10.tsv");
/// Batch 11: written blind after batch 10 was scored; the evidence for the batch-10 tuning.
const POLICY_11: &str = include_str!("../heldout/policy-11.tsv");
const REDACTION_11: &str = include_str!("../heldout/redaction-11.tsv");
/// Batch 12: written blind after batch 11 was scored; the evidence for the batch-11 tuning.
const POLICY_12: &str = include_str!("../heldout/policy-12.tsv");
const REDACTION_12: &str = include_str!("../heldout/redaction-12.tsv");
/// Batch 13: written blind after batch 12 was scored; the evidence for the batch-12 tuning.
const POLICY_13: &str = include_str!("../heldout/policy-13.tsv");
const REDACTION_13: &str = include_str!("../heldout/redaction-13.tsv");
/// Batch 14: written blind after batch 13 was scored; the evidence for the batch-13 tuning.
const POLICY_14: &str = include_str!("../heldout/policy-14.tsv");
const REDACTION_14: &str = include_str!("../heldout/redaction-14.tsv");
const POLICY_15: &str = include_str!("../heldout/policy-15.tsv");
const REDACTION_15: &str = include_str!("../heldout/redaction-15.tsv");
const POLICY_16: &str = include_str!("../heldout/policy-16.tsv");
const REDACTION_16: &str = include_str!("../heldout/redaction-16.tsv");
const POLICY_17: &str = include_str!("../heldout/policy-17.tsv");
const REDACTION_17: &str = include_str!("../heldout/redaction-17.tsv");
const POLICY_18: &str = include_str!("../heldout/policy-18.tsv");
const REDACTION_18: &str = include_str!("../heldout/redaction-18.tsv");

/// Batches that are still evidence (no rule has been tuned on them): their misses are counted
/// but not written out, so nobody tunes on them by reading the report. Set
/// `SHELLWISE_HELD_OUT_MISSES=1` to see them once they are to be fitted.
const EVIDENCE: &[&str] = &["batch18"];

/// Whether `batch`'s miss lines may be shown.
fn show_misses(batch: &str) -> bool {
    !EVIDENCE.contains(&batch) || std::env::var_os("SHELLWISE_HELD_OUT_MISSES").is_some()
}

fn rows(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').collect())
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Share of `hits` over `n`, as a percentage with one decimal.
fn pct(hits: usize, n: usize) -> f64 {
    if n == 0 {
        return 100.0;
    }
    (hits as f64 * 1000.0 / n as f64).round() / 10.0
}

struct Scores {
    lines: Vec<String>,
}

impl Scores {
    fn report(&mut self, line: String) {
        println!("{line}");
        self.lines.push(line);
    }
}

/// `(label, class) -> (hits, total)` plus the misses, for the report.
type Tally = BTreeMap<(String, String), (usize, usize)>;

fn policy_scores(scores: &mut Scores, batch: &str, cases: &str) -> BTreeMap<&'static str, f64> {
    let policy = Policy::from_toml(
        include_str!("../../policies/default.toml"),
        "policies/default.toml",
    )
    .expect("default policy");
    let mut tally: Tally = BTreeMap::new();
    let mut misses = Vec::new();
    let (mut by_label, mut stopped_confirm) = (BTreeMap::<&str, (usize, usize)>::new(), 0);
    for r in rows(cases) {
        assert_eq!(r.len(), 3, "policy.tsv row {r:?}");
        let (want, class, command) = (r[0], r[1], r[2]);
        let d = policy.check(&CheckInput {
            subject: Subject::Shell {
                text: command,
                shell: "/bin/sh",
            },
            cwd: None,
            env: &[],
            role: "operator",
        });
        let got = match d.decision {
            Action::Allow => "allow",
            Action::Confirm => "confirm",
            Action::Deny => "deny",
        };
        let hit = got == want;
        if want == "confirm" && got == "deny" {
            stopped_confirm += 1;
        }
        let e = tally.entry((want.into(), class.into())).or_default();
        e.0 += usize::from(hit);
        e.1 += 1;
        let l = by_label.entry(match want {
            "deny" => "deny",
            "confirm" => "confirm",
            _ => "allow",
        });
        let l = l.or_default();
        l.0 += usize::from(hit);
        l.1 += 1;
        if !hit {
            misses.push(format!("  {want:>7} got {got:<7} [{class}] {command}"));
        }
    }
    let mut out = BTreeMap::new();
    for (label, (hits, n)) in &by_label {
        let p = pct(*hits, *n);
        scores.report(format!("{batch} policy {label:<8} {hits}/{n} = {p}%"));
        out.insert(*label, p);
    }
    let confirm_n = by_label.get("confirm").map_or(0, |c| c.1);
    let confirm_hits = by_label.get("confirm").map_or(0, |c| c.0);
    scores.report(format!(
        "{batch} policy confirm stopped (confirm or deny) {}/{confirm_n} = {}%",
        confirm_hits + stopped_confirm,
        pct(confirm_hits + stopped_confirm, confirm_n)
    ));
    for ((label, class), (hits, n)) in &tally {
        if hits < n {
            scores.report(format!("{batch} policy   {label}/{class}: {hits}/{n}"));
        }
    }
    scores.report(format!("{batch} policy misses ({}):", misses.len()));
    if show_misses(batch) {
        for m in misses {
            scores.report(m);
        }
    }
    out
}

/// A secret case passes when no 16-character piece of the secret (or the whole of a shorter
/// one) is left in the output.
fn leaked(output: &str, secret: &str) -> bool {
    let chars: Vec<char> = secret.chars().collect();
    if chars.len() <= 16 {
        return output.contains(secret);
    }
    chars
        .windows(16)
        .any(|w| output.contains(&w.iter().collect::<String>()))
}

fn redaction_scores(scores: &mut Scores, batch: &str, cases: &str) -> BTreeMap<&'static str, f64> {
    let redactor = Redactor::builtin();
    let mut tally: Tally = BTreeMap::new();
    let mut misses = Vec::new();
    let (mut secret, mut clean) = ((0, 0), (0, 0));
    for r in rows(cases) {
        assert!(r.len() == 4 || r.len() == 3, "redaction.tsv row {r:?}");
        let (want, class, text) = (r[0], r[1], unescape(r[2]));
        let value = r.get(3).map(|v| unescape(v)).unwrap_or_default();
        let (out, _) = redactor.redact_str(&text);
        let hit = match want {
            "secret" => {
                assert!(text.contains(&value), "the secret is in its text: {r:?}");
                !leaked(&out, &value)
            }
            "clean" => out == text,
            other => panic!("unknown label {other}"),
        };
        let bucket = if want == "secret" {
            &mut secret
        } else {
            &mut clean
        };
        bucket.0 += usize::from(hit);
        bucket.1 += 1;
        let e = tally.entry((want.into(), class.into())).or_default();
        e.0 += usize::from(hit);
        e.1 += 1;
        if !hit {
            let shown: String = out.chars().take(110).collect();
            misses.push(format!("  {want:>6} [{class}] -> {shown:?}"));
        }
    }
    let mut out = BTreeMap::new();
    let (sp, cp) = (pct(secret.0, secret.1), pct(clean.0, clean.1));
    scores.report(format!(
        "{batch} redaction recall (secrets removed) {}/{} = {sp}%",
        secret.0, secret.1
    ));
    scores.report(format!(
        "{batch} redaction ordinary output intact {}/{} = {cp}%",
        clean.0, clean.1
    ));
    out.insert("recall", sp);
    out.insert("intact", cp);
    for ((label, class), (hits, n)) in &tally {
        if hits < n {
            scores.report(format!("{batch} redaction   {label}/{class}: {hits}/{n}"));
        }
    }
    scores.report(format!("{batch} redaction misses ({}):", misses.len()));
    if show_misses(batch) {
        for m in misses {
            scores.report(m);
        }
    }
    out
}

#[test]
fn the_judging_engines_hold_on_the_held_out_batches() {
    let mut scores = Scores { lines: Vec::new() };
    let policy = policy_scores(&mut scores, "batch1", POLICY);
    let redaction = redaction_scores(&mut scores, "batch1", REDACTION);
    let policy_2 = policy_scores(&mut scores, "batch2", POLICY_2);
    let redaction_2 = redaction_scores(&mut scores, "batch2", REDACTION_2);
    let policy_3 = policy_scores(&mut scores, "batch3", POLICY_3);
    let redaction_3 = redaction_scores(&mut scores, "batch3", REDACTION_3);
    let policy_4 = policy_scores(&mut scores, "batch4", POLICY_4);
    let redaction_4 = redaction_scores(&mut scores, "batch4", REDACTION_4);
    let policy_5 = policy_scores(&mut scores, "batch5", POLICY_5);
    let redaction_5 = redaction_scores(&mut scores, "batch5", REDACTION_5);
    let policy_6 = policy_scores(&mut scores, "batch6", POLICY_6);
    let redaction_6 = redaction_scores(&mut scores, "batch6", REDACTION_6);
    let policy_7 = policy_scores(&mut scores, "batch7", POLICY_7);
    let redaction_7 = redaction_scores(&mut scores, "batch7", REDACTION_7);
    let policy_8 = policy_scores(&mut scores, "batch8", POLICY_8);
    let redaction_8 = redaction_scores(&mut scores, "batch8", REDACTION_8);
    let policy_9 = policy_scores(&mut scores, "batch9", POLICY_9);
    let redaction_9 = redaction_scores(&mut scores, "batch9", REDACTION_9);
    let policy_10 = policy_scores(&mut scores, "batch10", POLICY_10);
    let redaction_10 = redaction_scores(&mut scores, "batch10", REDACTION_10);
    let policy_11 = policy_scores(&mut scores, "batch11", POLICY_11);
    let redaction_11 = redaction_scores(&mut scores, "batch11", REDACTION_11);
    let policy_12 = policy_scores(&mut scores, "batch12", POLICY_12);
    let redaction_12 = redaction_scores(&mut scores, "batch12", REDACTION_12);
    let policy_13 = policy_scores(&mut scores, "batch13", POLICY_13);
    let redaction_13 = redaction_scores(&mut scores, "batch13", REDACTION_13);
    let policy_14 = policy_scores(&mut scores, "batch14", POLICY_14);
    let redaction_14 = redaction_scores(&mut scores, "batch14", REDACTION_14);
    let policy_15 = policy_scores(&mut scores, "batch15", POLICY_15);
    let redaction_15 = redaction_scores(&mut scores, "batch15", REDACTION_15);
    let policy_16 = policy_scores(&mut scores, "batch16", POLICY_16);
    let redaction_16 = redaction_scores(&mut scores, "batch16", REDACTION_16);
    let policy_17 = policy_scores(&mut scores, "batch17", POLICY_17);
    let redaction_17 = redaction_scores(&mut scores, "batch17", REDACTION_17);
    let policy_18 = policy_scores(&mut scores, "batch18", POLICY_18);
    let redaction_18 = redaction_scores(&mut scores, "batch18", REDACTION_18);
    let _ = std::fs::write(
        concat!(env!("CARGO_TARGET_TMPDIR"), "/../heldout-scores.txt"),
        scores.lines.join("\n") + "\n",
    );
    // Floors: the scores of the first run (see tests/heldout/SCORES.md), raised as rules
    // improve. Lowering one needs a reason in that file.
    let floors = [
        (policy["deny"], 97.4, "policy deny recall"),
        (policy["confirm"], 95.3, "policy confirm recall"),
        (policy["allow"], 100.0, "policy allow (no false alarm)"),
        (redaction["recall"], 99.2, "redaction recall"),
        (redaction["intact"], 100.0, "redaction intact"),
        (policy_2["deny"], 97.6, "batch 2 policy deny recall"),
        (policy_2["confirm"], 93.0, "batch 2 policy confirm recall"),
        (policy_2["allow"], 97.6, "batch 2 policy allow"),
        (redaction_2["recall"], 100.0, "batch 2 redaction recall"),
        (redaction_2["intact"], 98.6, "batch 2 redaction intact"),
        (policy_3["deny"], 96.8, "batch 3 policy deny recall"),
        (policy_3["confirm"], 100.0, "batch 3 policy confirm recall"),
        (policy_3["allow"], 100.0, "batch 3 policy allow"),
        (redaction_3["recall"], 97.8, "batch 3 redaction recall"),
        (redaction_3["intact"], 100.0, "batch 3 redaction intact"),
        (policy_4["deny"], 98.3, "batch 4 policy deny recall"),
        (policy_4["confirm"], 100.0, "batch 4 policy confirm recall"),
        (policy_4["allow"], 100.0, "batch 4 policy allow"),
        (redaction_4["recall"], 99.3, "batch 4 redaction recall"),
        (redaction_4["intact"], 98.8, "batch 4 redaction intact"),
        (policy_5["deny"], 100.0, "batch 5 policy deny recall"),
        (policy_5["confirm"], 95.6, "batch 5 policy confirm recall"),
        (policy_5["allow"], 100.0, "batch 5 policy allow"),
        (redaction_5["recall"], 100.0, "batch 5 redaction recall"),
        (redaction_5["intact"], 100.0, "batch 5 redaction intact"),
        (policy_6["deny"], 96.6, "batch 6 policy deny recall"),
        (policy_6["confirm"], 92.0, "batch 6 policy confirm recall"),
        (policy_6["allow"], 100.0, "batch 6 policy allow"),
        (redaction_6["recall"], 99.6, "batch 6 redaction recall"),
        (redaction_6["intact"], 99.2, "batch 6 redaction intact"),
        (policy_7["deny"], 97.7, "batch 7 policy deny recall"),
        (policy_7["confirm"], 85.4, "batch 7 policy confirm recall"),
        (policy_7["allow"], 100.0, "batch 7 policy allow"),
        (redaction_7["recall"], 100.0, "batch 7 redaction recall"),
        (redaction_7["intact"], 100.0, "batch 7 redaction intact"),
        (policy_8["deny"], 98.9, "batch 8 policy deny recall"),
        (policy_8["confirm"], 95.5, "batch 8 policy confirm recall"),
        (policy_8["allow"], 99.3, "batch 8 policy allow"),
        (redaction_8["recall"], 100.0, "batch 8 redaction recall"),
        (redaction_8["intact"], 100.0, "batch 8 redaction intact"),
        (policy_9["deny"], 98.6, "batch 9 policy deny recall"),
        (policy_9["confirm"], 98.7, "batch 9 policy confirm recall"),
        (policy_9["allow"], 100.0, "batch 9 policy allow"),
        (redaction_9["recall"], 100.0, "batch 9 redaction recall"),
        (redaction_9["intact"], 100.0, "batch 9 redaction intact"),
        (policy_10["deny"], 98.2, "batch 10 policy deny recall"),
        (
            policy_10["confirm"],
            100.0,
            "batch 10 policy confirm recall",
        ),
        (policy_10["allow"], 99.5, "batch 10 policy allow"),
        (redaction_10["recall"], 100.0, "batch 10 redaction recall"),
        (redaction_10["intact"], 100.0, "batch 10 redaction intact"),
        (policy_11["deny"], 99.6, "batch 11 policy deny recall"),
        (
            policy_11["confirm"],
            100.0,
            "batch 11 policy confirm recall",
        ),
        (policy_11["allow"], 99.6, "batch 11 policy allow"),
        (redaction_11["recall"], 99.7, "batch 11 redaction recall"),
        (redaction_11["intact"], 100.0, "batch 11 redaction intact"),
        (policy_12["deny"], 98.8, "batch 12 policy deny recall"),
        (policy_12["confirm"], 99.0, "batch 12 policy confirm recall"),
        (policy_12["allow"], 100.0, "batch 12 policy allow"),
        (redaction_12["recall"], 100.0, "batch 12 redaction recall"),
        (redaction_12["intact"], 100.0, "batch 12 redaction intact"),
        (policy_13["deny"], 92.0, "batch 13 policy deny recall"),
        (
            policy_13["confirm"],
            100.0,
            "batch 13 policy confirm recall",
        ),
        (policy_13["allow"], 99.1, "batch 13 policy allow"),
        (redaction_13["recall"], 99.7, "batch 13 redaction recall"),
        (redaction_13["intact"], 100.0, "batch 13 redaction intact"),
        (policy_14["deny"], 91.7, "batch 14 policy deny recall"),
        (policy_14["confirm"], 99.2, "batch 14 policy confirm recall"),
        (policy_14["allow"], 100.0, "batch 14 policy allow"),
        (redaction_14["recall"], 92.9, "batch 14 redaction recall"),
        (redaction_14["intact"], 100.0, "batch 14 redaction intact"),
        (policy_15["deny"], 96.2, "batch 15 policy deny recall"),
        (
            policy_15["confirm"],
            100.0,
            "batch 15 policy confirm recall",
        ),
        (policy_15["allow"], 99.6, "batch 15 policy allow"),
        (redaction_15["recall"], 88.8, "batch 15 redaction recall"),
        (redaction_15["intact"], 100.0, "batch 15 redaction intact"),
        (policy_16["deny"], 81.4, "batch 16 policy deny recall"),
        (policy_16["confirm"], 88.1, "batch 16 policy confirm recall"),
        (policy_16["allow"], 99.4, "batch 16 policy allow"),
        (redaction_16["recall"], 88.9, "batch 16 redaction recall"),
        (redaction_16["intact"], 99.1, "batch 16 redaction intact"),
        (policy_17["deny"], 80.6, "batch 17 policy deny recall"),
        (policy_17["confirm"], 92.5, "batch 17 policy confirm recall"),
        (policy_17["allow"], 98.1, "batch 17 policy allow"),
        (redaction_17["recall"], 98.1, "batch 17 redaction recall"),
        (redaction_17["intact"], 99.0, "batch 17 redaction intact"),
        (policy_18["deny"], 71.7, "batch 18 policy deny recall"),
        (policy_18["confirm"], 95.1, "batch 18 policy confirm recall"),
        (policy_18["allow"], 98.8, "batch 18 policy allow"),
        (redaction_18["recall"], 85.1, "batch 18 redaction recall"),
        (redaction_18["intact"], 98.1, "batch 18 redaction intact"),
    ];
    for (got, floor, what) in floors {
        assert!(got >= floor, "{what}: {got}% is below its floor {floor}%");
    }
}
