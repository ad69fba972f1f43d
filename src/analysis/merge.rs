//! Combines the heuristic analysis with an LLM's into one `source: combined` result.

use super::{Analysis, Category, FailureContext, Fix, Source, MAX_EVIDENCE, MAX_EVIDENCE_LINE};

/// Most fixes kept after merging.
const MAX_FIXES: usize = 6;
/// Most next steps kept after merging.
const MAX_NEXT_STEPS: usize = 6;
/// A heuristic conclusion at least this sure keeps its category when the LLM disagrees.
const HEURISTIC_WINS_AT: f32 = 0.85;
/// An LLM conclusion nothing deterministic corroborates is never reported surer than this.
const LLM_ALONE_CAP: f32 = 0.85;

/// Merges `llm` into `heuristic` (see the module docs for the rules). `ctx` is the same
/// failure both analysed; it is used to keep only evidence lines that really occur in the
/// output.
pub fn merge(ctx: &FailureContext<'_>, heuristic: Analysis, llm: Analysis) -> Analysis {
    let verified: Vec<String> = llm
        .evidence
        .iter()
        .map(|e| e.trim())
        .filter(|e| !e.is_empty() && (ctx.stderr.contains(e) || ctx.stdout.contains(e)))
        .map(|e| super::input::cut(e, MAX_EVIDENCE_LINE).to_string())
        .collect();
    let agree = heuristic.category == llm.category;
    let heuristic_unknown = heuristic.category == Category::Unknown;
    let keep_heuristic = !agree && !heuristic_unknown && heuristic.confidence >= HEURISTIC_WINS_AT;

    let (category, summary, root_cause, confidence, fixes, next_steps) = if agree {
        (
            heuristic.category,
            non_empty_or(llm.summary, heuristic.summary),
            non_empty_or(llm.root_cause, heuristic.root_cause),
            heuristic.confidence.max(llm.confidence.clamp(0.0, 1.0)),
            union_fixes(heuristic.fixes, llm.fixes),
            union(heuristic.next_steps, llm.next_steps, MAX_NEXT_STEPS),
        )
    } else if keep_heuristic {
        (
            heuristic.category,
            heuristic.summary,
            heuristic.root_cause,
            heuristic.confidence,
            heuristic.fixes,
            union(heuristic.next_steps, llm.next_steps, MAX_NEXT_STEPS),
        )
    } else {
        (
            llm.category,
            llm.summary,
            llm.root_cause,
            llm.confidence.clamp(0.0, 1.0).min(LLM_ALONE_CAP),
            llm.fixes.into_iter().take(MAX_FIXES).collect(),
            llm.next_steps.into_iter().take(MAX_NEXT_STEPS).collect(),
        )
    };
    let evidence = if keep_heuristic || agree {
        union(heuristic.evidence, verified, MAX_EVIDENCE)
    } else {
        union(verified, heuristic.evidence, MAX_EVIDENCE)
    };
    Analysis {
        category,
        summary,
        root_cause,
        confidence,
        evidence,
        fixes,
        next_steps,
        source: Source::Combined,
        provider: llm.provider,
        model: llm.model,
        latency_ms: llm.latency_ms,
    }
}

fn non_empty_or(preferred: String, fallback: String) -> String {
    if preferred.trim().is_empty() {
        fallback
    } else {
        preferred
    }
}

fn union(first: Vec<String>, second: Vec<String>, cap: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in first.into_iter().chain(second) {
        if out.len() == cap {
            break;
        }
        if !s.trim().is_empty() && !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

fn union_fixes(first: Vec<Fix>, second: Vec<Fix>) -> Vec<Fix> {
    let mut out: Vec<Fix> = Vec::new();
    for f in first.into_iter().chain(second) {
        if out.len() == MAX_FIXES {
            break;
        }
        let dup = out.iter().any(|o| match (&o.command, &f.command) {
            (Some(a), Some(b)) => a.trim() == b.trim(),
            (None, None) => o.description == f.description,
            _ => false,
        });
        if !dup {
            out.push(f);
        }
    }
    out
}
