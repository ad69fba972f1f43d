//! Output shaping: every byte passes the output filter, then is collected head + tail for a
//! buffered result, or decoded (UTF-8-safe, or base64) for a live stream. The streaming shaper
//! is also the one place that decides when held-back text may leave a quiet stream.
//!
//! Filtering (redaction) is CPU work on bytes a command chose, so it must not run on the async
//! workers that answer every other request. [`Filtering`] keeps the first bytes of a stream
//! inline (a typical command's whole output: no thread hop), sends every later or larger call
//! to the blocking pool, and charges the CPU time of those calls to the request's [`Budget`].
//! A request over its budget has the rest of its output withheld — never passed unfiltered —
//! and says so in the output and its truncation fields.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;

use super::seams::StreamFilter;
use super::types::{OmittedRange, OutputEncoding};
use crate::exec::output::{Collector, Utf8Decoder};

/// How long a live stream may be quiet before text the filter holds back (a partial line) is
/// released, up to its last blank (see `StreamFilter::idle_flush`).
pub const IDLE_FLUSH: Duration = Duration::from_millis(50);

fn encode(bytes: &[u8], encoding: OutputEncoding) -> String {
    match encoding {
        OutputEncoding::Text => String::from_utf8_lossy(bytes).into_owned(),
        OutputEncoding::Base64 => base64::engine::general_purpose::STANDARD.encode(bytes),
    }
}

/// How much of each streamed output (head + tail) is kept for the final analysis.
const ANALYSIS_STREAM_BYTES: usize = 64 * 1024;

/// Bytes of a stream filtered inline on the async worker before every further call goes to
/// the blocking pool: at the redactor's slowest measured rate (~50 MB/s, `cargo bench --bench
/// redact`) this is about a millisecond per stream, and it is all an `echo` ever costs.
const INLINE_STREAM_BYTES: u64 = 64 * 1024;

/// A single call that may examine more than this (a long held-back line completing, a big
/// chunk) goes to the blocking pool even early in a stream.
const INLINE_CALL_BYTES: usize = 16 * 1024;

/// Put at the point where a stream's output stops because its request used up its filtering
/// CPU budget.
const WITHHELD_MARKER: &[u8] =
    b"\n[shellwise: the rest of this output is withheld: redacting it exceeded this request's CPU budget (redaction.cpu_budget_ms)]\n";

/// CPU time a request's output filtering may use, shared by all of its streams.
#[derive(Clone, Debug)]
pub(crate) struct Budget(Arc<BudgetState>);

#[derive(Debug)]
struct BudgetState {
    spent_us: AtomicU64,
    /// Zero: no limit.
    limit_us: u64,
}

impl Budget {
    pub(crate) fn new(limit: Duration) -> Self {
        let limit_us = u64::try_from(limit.as_micros()).unwrap_or(u64::MAX);
        Self(Arc::new(BudgetState {
            spent_us: AtomicU64::new(0),
            limit_us,
        }))
    }

    fn charge(&self, spent_us: u64) {
        self.0.spent_us.fetch_add(spent_us, Ordering::Relaxed);
    }

    fn exceeded(&self) -> bool {
        self.0.limit_us != 0 && self.0.spent_us.load(Ordering::Relaxed) > self.0.limit_us
    }
}

/// CPU time the calling thread has used, in microseconds (the scheduler's exact runtime;
/// `getrusage` counts in ticks and sees nothing of a call shorter than one).
fn thread_cpu_us() -> u64 {
    use nix::time::{clock_gettime, ClockId};
    clock_gettime(ClockId::CLOCK_THREAD_CPUTIME_ID).map_or(0, |t| {
        u64::try_from(t.tv_sec()).unwrap_or(0) * 1_000_000
            + u64::try_from(t.tv_nsec()).unwrap_or(0) / 1_000
    })
}

/// One call on a stream filter.
enum Op {
    Push(Bytes),
    IdleFlush,
    Flush,
}

impl Op {
    fn apply(&self, filter: &mut dyn StreamFilter) -> Vec<u8> {
        match self {
            Op::Push(chunk) => filter.push(chunk),
            Op::IdleFlush => filter.idle_flush(),
            Op::Flush => filter.flush(),
        }
    }
}

/// A stream filter that runs where its cost cannot stall other requests (see the module
/// docs), within its request's [`Budget`].
pub(crate) struct Filtering {
    /// `None` only while a call runs on the blocking pool, or after that call was lost.
    filter: Option<Box<dyn StreamFilter>>,
    budget: Budget,
    /// Bytes pushed so far (before filtering).
    pushed: u64,
    /// Bytes dropped unfiltered since the budget ran out.
    withheld: u64,
    /// Counts of the filter as of its last call, kept when it is lost.
    counts: BTreeMap<String, u64>,
}

impl Filtering {
    pub(crate) fn new(filter: Box<dyn StreamFilter>, budget: Budget) -> Self {
        Self {
            filter: Some(filter),
            budget,
            pushed: 0,
            withheld: 0,
            counts: BTreeMap::new(),
        }
    }

    pub(crate) async fn push(&mut self, chunk: Bytes) -> Vec<u8> {
        let len = chunk.len() as u64;
        let out = self.call(Op::Push(chunk), len).await;
        self.pushed += len;
        out
    }

    pub(crate) async fn idle_flush(&mut self) -> Vec<u8> {
        self.call(Op::IdleFlush, 0).await
    }

    pub(crate) async fn flush(&mut self) -> Vec<u8> {
        self.call(Op::Flush, 0).await
    }

    pub(crate) fn held(&self) -> usize {
        self.filter.as_ref().map_or(0, |f| f.held())
    }

    pub(crate) fn counts(&self) -> BTreeMap<String, u64> {
        self.filter
            .as_ref()
            .map_or_else(|| self.counts.clone(), |f| f.counts())
    }

    /// Bytes dropped unfiltered because the request's budget ran out.
    pub(crate) fn withheld(&self) -> u64 {
        self.withheld
    }

    async fn call(&mut self, op: Op, incoming: u64) -> Vec<u8> {
        if self.withheld > 0 {
            self.withheld += incoming;
            return Vec::new();
        }
        let Some(filter) = self.filter.take() else {
            return self.withhold(incoming);
        };
        if self.budget.exceeded() {
            // Nothing more leaves, filtered or not.
            let dropped = incoming + filter.held() as u64;
            self.counts = filter.counts();
            self.filter = Some(filter);
            return if dropped == 0 {
                Vec::new()
            } else {
                self.withhold(dropped)
            };
        }
        let examined = filter.held().saturating_add(incoming as usize);
        if self.pushed + incoming <= INLINE_STREAM_BYTES && examined <= INLINE_CALL_BYTES {
            let mut filter = filter;
            let out = op.apply(filter.as_mut());
            self.filter = Some(filter);
            return out;
        }
        let budget = self.budget.clone();
        let ran = tokio::task::spawn_blocking(move || {
            let mut filter = filter;
            let start = thread_cpu_us();
            let out = op.apply(filter.as_mut());
            budget.charge(thread_cpu_us().saturating_sub(start));
            (filter, out)
        })
        .await;
        match ran {
            Ok((filter, out)) => {
                self.filter = Some(filter);
                out
            }
            // The filter panicked or the runtime is shutting down: fail closed.
            Err(_) => self.withhold(incoming),
        }
    }

    /// Start withholding: the marker goes out once, then nothing.
    fn withhold(&mut self, dropped: u64) -> Vec<u8> {
        self.withheld = dropped.max(1);
        WITHHELD_MARKER.to_vec()
    }
}

pub(crate) fn encode_output(bytes: &[u8], encoding: OutputEncoding) -> String {
    encode(bytes, encoding)
}

pub(crate) struct Finished {
    pub(crate) encoded: String,
    pub(crate) omitted: Option<OmittedRange>,
    pub(crate) text: String,
    pub(crate) counts: BTreeMap<String, u64>,
    /// Length of the stream as filtered (the one `omitted` indexes), withheld bytes counted as
    /// they were written.
    pub(crate) filtered_total: u64,
}

pub(crate) fn merge_counts(a: &mut BTreeMap<String, u64>, b: BTreeMap<String, u64>) {
    for (k, v) in b {
        *a.entry(k).or_default() += v;
    }
}

/// Buffered path for one stream: filter, then head+tail collection.
pub(crate) struct Shaper {
    filter: Filtering,
    collector: Collector,
    raw_total: u64,
}

impl Shaper {
    pub(crate) fn new(filter: Filtering, collector: Collector) -> Self {
        Self {
            filter,
            collector,
            raw_total: 0,
        }
    }

    pub(crate) async fn push(&mut self, chunk: Bytes) {
        self.raw_total += chunk.len() as u64;
        let filtered = self.filter.push(chunk).await;
        self.collect(&filtered);
    }

    fn collect(&mut self, filtered: &[u8]) {
        // Once withholding began, what the filter returns is its marker; `finish` places it.
        if self.filter.withheld() == 0 {
            self.collector.push(filtered);
        }
    }

    /// Bytes the command wrote (before filtering).
    pub(crate) fn total(&self) -> u64 {
        self.raw_total
    }

    /// The encoded output, what was omitted, the text form for analysis, and what the filter
    /// changed.
    pub(crate) async fn finish(mut self, encoding: OutputEncoding) -> Finished {
        let rest = self.filter.flush().await;
        self.collect(&rest);
        let done = match self.filter.withheld() {
            0 => self.collector.finish(),
            withheld => self.collector.finish_withheld(withheld, WITHHELD_MARKER),
        };
        let omitted = done
            .omitted
            .map(|(offset, length)| OmittedRange { offset, length });
        let filtered_total = done.total + self.filter.withheld();
        let text = String::from_utf8_lossy(&done.bytes).into_owned();
        let encoded = match encoding {
            OutputEncoding::Text => text.clone(),
            OutputEncoding::Base64 => encode(&done.bytes, encoding),
        };
        Finished {
            encoded,
            omitted,
            text,
            counts: self.filter.counts(),
            filtered_total,
        }
    }
}

/// Streaming path for one stream: filter, then UTF-8-safe decoding (or base64). Used by every
/// live stream (exec output, chat deltas), so they release held-back text the same way.
pub(crate) struct StreamShaper {
    filter: Filtering,
    /// What was sent, head and tail, for the analysis at the end.
    seen: Collector,
    decoder: Utf8Decoder,
    encoding: OutputEncoding,
    total: u64,
    /// Whether the filter was idle-flushed since the last chunk arrived: one quiet period
    /// releases what it can once, and a stream that stays quiet does not spin.
    idle_flushed: bool,
}

impl StreamShaper {
    pub(crate) fn new(filter: Filtering, encoding: OutputEncoding) -> Self {
        Self {
            filter,
            seen: Collector::new(ANALYSIS_STREAM_BYTES),
            decoder: Utf8Decoder::default(),
            encoding,
            total: 0,
            idle_flushed: false,
        }
    }

    /// Keep `cap` bytes (head + tail) of what was sent, for a result built at the end.
    pub(crate) fn keeping(mut self, cap: usize) -> Self {
        self.seen = Collector::new(cap.max(ANALYSIS_STREAM_BYTES));
        self
    }

    /// What was sent (head + tail), the range cut out of it, and the length of the stream
    /// as filtered (withheld bytes counted as they were written).
    pub(crate) fn take_seen(&mut self) -> (Vec<u8>, Option<OmittedRange>, u64) {
        let seen = std::mem::replace(&mut self.seen, Collector::new(1));
        let withheld = self.filter.withheld();
        let done = match withheld {
            0 => seen.finish(),
            _ => seen.finish_withheld(withheld, WITHHELD_MARKER),
        };
        let omitted = done
            .omitted
            .map(|(offset, length)| OmittedRange { offset, length });
        (done.bytes, omitted, done.total + withheld)
    }

    /// Whether a quiet period of [`IDLE_FLUSH`] should call [`Self::idle_flush`].
    pub(crate) fn wants_idle_flush(&self) -> bool {
        !self.idle_flushed && self.filter.held() > 0
    }

    pub(crate) async fn push(&mut self, chunk: Bytes) -> String {
        self.idle_flushed = false;
        self.total += chunk.len() as u64;
        let filtered = self.filter.push(chunk).await;
        self.encode(&filtered)
    }

    /// Release what a quiet stream may show: never the whole held-back line (a secret may
    /// still be arriving), only what the filter's streaming-safe idle flush gives up.
    pub(crate) async fn idle_flush(&mut self) -> String {
        self.idle_flushed = true;
        let filtered = self.filter.idle_flush().await;
        self.encode(&filtered)
    }

    /// The end of the stream: everything held back, and any incomplete character.
    pub(crate) async fn finish(&mut self) -> String {
        let filtered = self.filter.flush().await;
        let mut text = self.encode(&filtered);
        if self.encoding == OutputEncoding::Text {
            text.push_str(&self.decoder.finish());
        }
        text
    }

    /// Bytes that arrived (before filtering).
    pub(crate) fn total(&self) -> u64 {
        self.total
    }

    /// What the filter redacted, per rule.
    pub(crate) fn counts(&self) -> BTreeMap<String, u64> {
        self.filter.counts()
    }

    fn encode(&mut self, bytes: &[u8]) -> String {
        // Once withholding began, `bytes` is the marker: `take_seen` places it.
        if self.filter.withheld() == 0 {
            self.seen.push(bytes);
        }
        match self.encoding {
            OutputEncoding::Text => self.decoder.push(bytes),
            OutputEncoding::Base64 => encode(bytes, OutputEncoding::Base64),
        }
    }
}

/// Whether a result certainly serializes within `max_chars` without measuring it: no
/// analysis, and output small enough even if every byte were escaped six-fold (`\u0001`),
/// with room for the other fields. The common case skips the JSON round trip of
/// [`fit_result`].
pub fn surely_fits(result: &super::types::ExecResult, max_chars: usize) -> bool {
    let output = result.stdout.len() + result.stderr.len();
    result.ai_analysis.is_none() && output.saturating_mul(6) + 16 * 1024 <= max_chars
}

/// Shrink a result's inline `stdout`/`stderr` (JSON form) from the middle until the whole
/// result serializes to at most `max_chars`, counting JSON escaping; each cut widens the
/// stream's `*Omitted` range and sets `*Truncated`, so the response says what it left out.
/// The command is never affected: this is only what one response carries.
pub fn fit_result(result: &mut serde_json::Value, max_chars: usize) {
    let base64 = result["outputEncoding"] == "base64";
    for _ in 0..6 {
        let len = result.to_string().len();
        if len <= max_chars {
            return;
        }
        let escaped = |name: &str| {
            result[name]
                .as_str()
                .map_or(0, |s| serde_json::Value::from(s).to_string().len())
        };
        let (out, err) = (escaped("stdout"), escaped("stderr"));
        if out + err <= 4 {
            return;
        }
        let excess = len - max_chars + 64;
        for (name, size) in [("stdout", out), ("stderr", err)] {
            let share = (excess * size).div_ceil(out + err);
            if share > 0 {
                cut_middle(result, name, share, size, base64);
            }
        }
    }
}

fn cut_middle(
    result: &mut serde_json::Value,
    name: &str,
    share: usize,
    escaped: usize,
    base64: bool,
) {
    let Some(text) = result[name].as_str().map(str::to_string) else {
        return;
    };
    if text.is_empty() {
        return;
    }
    // Escaped chars per byte of this text, to turn a JSON-length cut into a byte cut.
    let ratio = (escaped as f64 / text.len() as f64).max(1.0);
    let cut = ((share as f64 / ratio).ceil() as usize).min(text.len());
    let keep = text.len() - cut;
    let (mut head, mut tail_start) = (keep / 2, text.len() - (keep - keep / 2));
    if base64 {
        head -= head % 4;
        tail_start += (4 - tail_start % 4) % 4;
        tail_start = tail_start.min(text.len());
    } else {
        while !text.is_char_boundary(head) {
            head -= 1;
        }
        while !text.is_char_boundary(tail_start) {
            tail_start += 1;
        }
    }
    let tail = &text[tail_start..];
    let bytes = |part: &str| -> u64 {
        if base64 {
            super::record::raw_len(part, true)
        } else {
            part.len() as u64
        }
    };
    let (head_bytes, tail_bytes) = (bytes(&text[..head]), bytes(tail));
    // Offsets index the stream after redaction, like the collector's.
    let total = result[format!("{name}RedactedBytes")]
        .as_u64()
        .unwrap_or(0)
        .max(head_bytes + tail_bytes);
    result[name] = format!("{}{tail}", &text[..head]).into();
    result[format!("{name}Truncated")] = true.into();
    result[format!("{name}Omitted")] = serde_json::json!({
        "offset": head_bytes,
        "length": total - head_bytes - tail_bytes,
    });
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use std::sync::Mutex;
    use std::thread::ThreadId;

    /// Passes bytes through, noting the thread each push ran on and spinning `cost` per call.
    struct Probe {
        threads: Arc<Mutex<Vec<ThreadId>>>,
        cost: Duration,
    }

    impl StreamFilter for Probe {
        fn push(&mut self, chunk: &[u8]) -> Vec<u8> {
            self.threads
                .lock()
                .unwrap()
                .push(std::thread::current().id());
            let start = std::time::Instant::now();
            while start.elapsed() < self.cost {
                std::hint::spin_loop();
            }
            chunk.to_vec()
        }
        fn flush(&mut self) -> Vec<u8> {
            Vec::new()
        }
        fn idle_flush(&mut self) -> Vec<u8> {
            Vec::new()
        }
        fn held(&self) -> usize {
            0
        }
    }

    fn probe(cost: Duration, budget: Duration) -> (Filtering, Arc<Mutex<Vec<ThreadId>>>) {
        let threads = Arc::new(Mutex::new(Vec::new()));
        let filter = Probe {
            threads: threads.clone(),
            cost,
        };
        (
            Filtering::new(Box::new(filter), Budget::new(budget)),
            threads,
        )
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_small_output_is_filtered_inline_and_bulk_output_on_the_blocking_pool() {
        let (mut f, threads) = probe(Duration::ZERO, Duration::ZERO);
        let here = std::thread::current().id();
        assert_eq!(f.push(Bytes::from_static(b"hi\n")).await, b"hi\n");
        // One call larger than the inline call size leaves the worker at once.
        f.push(Bytes::from(vec![b'a'; INLINE_CALL_BYTES + 1])).await;
        // Small calls stay inline up to the stream's inline share, then leave too.
        let small = Bytes::from(vec![b'b'; 8 * 1024]);
        while f.pushed < INLINE_STREAM_BYTES + 2 * small.len() as u64 {
            f.push(small.clone()).await;
        }
        let threads = threads.lock().unwrap();
        assert_eq!(threads[0], here);
        assert_ne!(threads[1], here);
        assert_eq!(threads[2], here);
        assert_ne!(*threads.last().unwrap(), here);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn past_its_budget_a_stream_is_withheld_with_one_marker_and_reported_as_omitted() {
        let (f, _) = probe(Duration::from_millis(3), Duration::from_millis(5));
        let mut shaper = Shaper::new(f, Collector::new(1024));
        let chunk = Bytes::from(vec![b'x'; INLINE_CALL_BYTES + 1]);
        let mut written = 0u64;
        for _ in 0..6 {
            shaper.push(chunk.clone()).await;
            written += chunk.len() as u64;
        }
        let withheld = shaper.filter.withheld();
        assert!(withheld > 0, "the budget never ran out");
        let done = shaper.finish(OutputEncoding::Text).await;
        assert!(done
            .text
            .ends_with(std::str::from_utf8(WITHHELD_MARKER).unwrap()));
        assert_eq!(done.text.matches("withheld").count(), 1, "{}", done.text);
        let omitted = done.omitted.expect("an omitted range");
        assert_eq!(done.filtered_total, written);
        assert_eq!(omitted.offset + omitted.length, written);
        // The head that was kept is a prefix of what was written.
        assert_eq!(omitted.offset, 512);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn without_a_budget_nothing_is_withheld() {
        let (f, _) = probe(Duration::from_millis(1), Duration::ZERO);
        let mut shaper = Shaper::new(f, Collector::new(1 << 20));
        for _ in 0..4 {
            shaper
                .push(Bytes::from(vec![b'y'; INLINE_CALL_BYTES + 1]))
                .await;
        }
        let done = shaper.finish(OutputEncoding::Text).await;
        assert_eq!(done.omitted, None);
        assert_eq!(done.text.len(), 4 * (INLINE_CALL_BYTES + 1));
    }
}
