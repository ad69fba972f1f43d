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
