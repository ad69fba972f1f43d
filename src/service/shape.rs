//! Output shaping: every byte passes the output filter, then is collected head + tail for a
//! buffered result, or decoded (UTF-8-safe, or base64) for a live stream. The streaming shaper
//! is also the one place that decides when held-back text may leave a quiet stream.

use std::collections::BTreeMap;
use std::time::Duration;

use base64::Engine as _;

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

pub(crate) fn encode_output(bytes: &[u8], encoding: OutputEncoding) -> String {
    encode(bytes, encoding)
}

pub(crate) struct Finished {
    pub(crate) encoded: String,
    pub(crate) omitted: Option<OmittedRange>,
    pub(crate) text: String,
    pub(crate) counts: BTreeMap<String, u64>,
}

pub(crate) fn merge_counts(a: &mut BTreeMap<String, u64>, b: BTreeMap<String, u64>) {
    for (k, v) in b {
        *a.entry(k).or_default() += v;
    }
}

/// Buffered path for one stream: filter, then head+tail collection.
pub(crate) struct Shaper {
    filter: Box<dyn StreamFilter>,
    collector: Collector,
    raw_total: u64,
}

impl Shaper {
    pub(crate) fn new(filter: Box<dyn StreamFilter>, collector: Collector) -> Self {
        Self {
            filter,
            collector,
            raw_total: 0,
        }
    }

    pub(crate) fn push(&mut self, chunk: &[u8]) {
        self.raw_total += chunk.len() as u64;
        let filtered = self.filter.push(chunk);
        self.collector.push(&filtered);
    }

    /// Bytes the command wrote (before filtering).
    pub(crate) fn total(&self) -> u64 {
        self.raw_total
    }

    /// The encoded output, what was omitted, the text form for analysis, and what the filter
    /// changed.
    pub(crate) fn finish(mut self, encoding: OutputEncoding) -> Finished {
        let rest = self.filter.flush();
        self.collector.push(&rest);
        let done = self.collector.finish();
        let omitted = done
            .omitted
            .map(|(offset, length)| OmittedRange { offset, length });
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
        }
    }
}

/// Streaming path for one stream: filter, then UTF-8-safe decoding (or base64). Used by every
/// live stream (exec output, chat deltas), so they release held-back text the same way.
pub(crate) struct StreamShaper {
    filter: Box<dyn StreamFilter>,
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
    pub(crate) fn new(filter: Box<dyn StreamFilter>, encoding: OutputEncoding) -> Self {
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

    /// What was sent (head + tail), and the range cut out of it.
    pub(crate) fn take_seen(&mut self) -> (Vec<u8>, Option<OmittedRange>) {
        let seen = std::mem::replace(&mut self.seen, Collector::new(1));
        let done = seen.finish();
        let omitted = done
            .omitted
            .map(|(offset, length)| OmittedRange { offset, length });
        (done.bytes, omitted)
    }

    /// Whether a quiet period of [`IDLE_FLUSH`] should call [`Self::idle_flush`].
    pub(crate) fn wants_idle_flush(&self) -> bool {
        !self.idle_flushed && self.filter.held() > 0
    }

    pub(crate) fn push(&mut self, chunk: &[u8]) -> String {
        self.idle_flushed = false;
        self.total += chunk.len() as u64;
        let filtered = self.filter.push(chunk);
        self.encode(&filtered)
    }

    /// Release what a quiet stream may show: never the whole held-back line (a secret may
    /// still be arriving), only what the filter's streaming-safe idle flush gives up.
    pub(crate) fn idle_flush(&mut self) -> String {
        self.idle_flushed = true;
        let filtered = self.filter.idle_flush();
        self.encode(&filtered)
    }

    /// The end of the stream: everything held back, and any incomplete character.
    pub(crate) fn finish(&mut self) -> String {
        let filtered = self.filter.flush();
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
        self.seen.push(bytes);
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
    let total = result[format!("{name}Bytes")]
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
