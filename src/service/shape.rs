//! Output shaping: every byte passes the output filter, then is collected head + tail for a
//! buffered result, or decoded (UTF-8-safe, or base64) for a live stream.

use std::collections::BTreeMap;

use base64::Engine as _;

use super::seams::StreamFilter;
use super::types::{OmittedRange, OutputEncoding};
use crate::exec::output::{Collector, Utf8Decoder};

fn encode(bytes: &[u8], encoding: OutputEncoding) -> String {
    match encoding {
        OutputEncoding::Text => String::from_utf8_lossy(bytes).into_owned(),
        OutputEncoding::Base64 => base64::engine::general_purpose::STANDARD.encode(bytes),
    }
}

/// How much of each streamed output (head + tail) is kept for the final analysis.
const ANALYSIS_STREAM_BYTES: usize = 64 * 1024;

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

/// Streaming path for one stream: filter, then UTF-8-safe decoding (or base64).
pub(super) struct StreamShaper {
    pub(super) filter: Box<dyn StreamFilter>,
    /// What was sent, head and tail, for the analysis at the end.
    seen: Collector,
    decoder: Utf8Decoder,
    encoding: OutputEncoding,
    pub(super) total: u64,
}

impl StreamShaper {
    pub(super) fn new(filter: Box<dyn StreamFilter>, encoding: OutputEncoding) -> Self {
        Self {
            filter,
            seen: Collector::new(ANALYSIS_STREAM_BYTES),
            decoder: Utf8Decoder::default(),
            encoding,
            total: 0,
        }
    }

    pub(super) fn holding(&self) -> bool {
        self.filter.held() > 0
    }

    pub(super) fn push(&mut self, chunk: &[u8]) -> String {
        self.total += chunk.len() as u64;
        let filtered = self.filter.push(chunk);
        self.encode(&filtered)
    }

    fn flush(&mut self) -> String {
        let filtered = self.filter.flush();
        self.encode(&filtered)
    }

    pub(super) fn idle_flush(&mut self) -> String {
        let filtered = self.filter.idle_flush();
        self.encode(&filtered)
    }

    pub(super) fn finish(&mut self) -> String {
        let mut text = self.flush();
        if self.encoding == OutputEncoding::Text {
            text.push_str(&self.decoder.finish());
        }
        text
    }

    pub(super) fn seen_text(&mut self) -> String {
        let seen = std::mem::replace(&mut self.seen, Collector::new(1));
        String::from_utf8_lossy(&seen.finish().bytes).into_owned()
    }

    fn encode(&mut self, bytes: &[u8]) -> String {
        self.seen.push(bytes);
        match self.encoding {
            OutputEncoding::Text => self.decoder.push(bytes),
            OutputEncoding::Base64 => encode(bytes, OutputEncoding::Base64),
        }
    }
}
