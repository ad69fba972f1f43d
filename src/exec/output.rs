//! Output shaping: head+tail capping for buffered results and UTF-8-safe chunk decoding for
//! streams.
//!
//! How bytes are carried: in `text` encoding, output is decoded as UTF-8 and every maximal
//! invalid byte sequence becomes one U+FFFD (exactly `String::from_utf8_lossy`); a stream is
//! never split inside a multi-byte character, so the streamed text of a command equals its
//! buffered text. In `base64` encoding the exact bytes are carried.

/// Keeps the first and last `cap / 2` bytes of a stream and counts the rest.
#[derive(Debug, Clone)]
pub struct Collector {
    head: Vec<u8>,
    tail: Vec<u8>,
    half: usize,
    total: u64,
}

/// A finished, possibly truncated, stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collected {
    /// The kept bytes, with an omission marker in the middle when truncated.
    pub bytes: Vec<u8>,
    /// Bytes the command wrote to this stream.
    pub total: u64,
    /// Where bytes were cut out: `(offset, length)` in the original stream.
    pub omitted: Option<(u64, u64)>,
}

impl Collector {
    /// `cap` is the most bytes kept inline (head + tail), excluding the marker.
    pub fn new(cap: usize) -> Self {
        let half = (cap / 2).max(1);
        Self {
            head: Vec::new(),
            tail: Vec::new(),
            half,
            total: 0,
        }
    }

    pub fn push(&mut self, mut chunk: &[u8]) {
        self.total += chunk.len() as u64;
        if self.head.len() < self.half {
            let take = (self.half - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..take]);
            chunk = &chunk[take..];
        }
        if chunk.is_empty() {
            return;
        }
        self.tail.extend_from_slice(chunk);
        // Amortised: trim only when twice the window has piled up.
        if self.tail.len() > 2 * self.half {
            let excess = self.tail.len() - self.half;
            self.tail.drain(..excess);
        }
    }

    pub fn total(&self) -> u64 {
        self.total
    }

    pub fn finish(mut self) -> Collected {
        let kept_tail = self.tail.len().min(self.half);
        let kept = self.head.len() as u64 + kept_tail as u64;
        if kept == self.total {
            self.head.extend_from_slice(&self.tail);
            return Collected {
                bytes: self.head,
                total: self.total,
                omitted: None,
            };
        }
        let tail_start = self.tail.len() - kept_tail;
        let mut tail = &self.tail[tail_start..];
        // Cut on character boundaries so the marker never splits a UTF-8 character.
        let head_end = utf8_safe_end(&self.head);
        let skip = utf8_continuation_prefix(tail);
        tail = &tail[skip..];
        let omitted_from = head_end as u64;
        let omitted_len = self.total - head_end as u64 - tail.len() as u64;
        let marker = format!(
            "\n[... shellwise: {omitted_len} bytes omitted (bytes {omitted_from}..{}) ...]\n",
            omitted_from + omitted_len
        );
        let mut bytes = Vec::with_capacity(head_end + marker.len() + tail.len());
        bytes.extend_from_slice(&self.head[..head_end]);
        bytes.extend_from_slice(marker.as_bytes());
        bytes.extend_from_slice(tail);
        Collected {
            bytes,
            total: self.total,
            omitted: Some((omitted_from, omitted_len)),
        }
    }

    /// The stream stopped being collected with `withheld` more bytes to come: keep what
    /// leads up to the first gap (everything, or just the head when the middle was already
    /// cut), then `marker`; the one omitted range runs from there to the end.
    pub fn finish_withheld(self, withheld: u64, marker: &[u8]) -> Collected {
        let kept_tail = self.tail.len().min(self.half);
        let uncut = self.head.len() as u64 + kept_tail as u64 == self.total;
        let mut bytes = self.head;
        if uncut {
            bytes.extend_from_slice(&self.tail);
        } else {
            bytes.truncate(utf8_safe_end(&bytes));
        }
        let kept = bytes.len() as u64;
        bytes.extend_from_slice(marker);
        Collected {
            bytes,
            total: self.total,
            omitted: Some((kept, self.total - kept + withheld)),
        }
    }
}

/// Length of the longest prefix of `b` that does not end inside an incomplete (but so far
/// valid) UTF-8 sequence.
pub fn utf8_safe_end(b: &[u8]) -> usize {
    // Look at most 3 bytes back for the start of a multi-byte sequence.
    let start = b.len().saturating_sub(3);
    for i in (start..b.len()).rev() {
        let byte = b[i];
        if byte & 0b1100_0000 == 0b1000_0000 {
            continue; // continuation byte
        }
        let need = match byte {
            0x00..=0x7F => 1,
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => return b.len(), // invalid lead byte: it decodes the same wherever we cut
        };
        let have = b.len() - i;
        if have >= need {
            return b.len();
        }
        // Incomplete: only hold it back if the partial sequence is valid so far.
        return if std::str::from_utf8(&b[i..])
            .err()
            .is_some_and(|e| e.error_len().is_none())
        {
            i
        } else {
            b.len()
        };
    }
    b.len()
}

/// Number of leading continuation bytes (at most 3) — bytes that cannot start a character.
fn utf8_continuation_prefix(b: &[u8]) -> usize {
    b.iter()
        .take(3)
        .take_while(|&&c| c & 0b1100_0000 == 0b1000_0000)
        .count()
}

/// Decodes a byte stream chunk by chunk, holding back an incomplete trailing character.
#[derive(Debug, Default)]
pub struct Utf8Decoder {
    pending: Vec<u8>,
}

impl Utf8Decoder {
    pub fn push(&mut self, chunk: &[u8]) -> String {
        self.pending.extend_from_slice(chunk);
        let end = utf8_safe_end(&self.pending);
        let text = String::from_utf8_lossy(&self.pending[..end]).into_owned();
        self.pending.drain(..end);
        text
    }

    pub fn finish(&mut self) -> String {
        let text = String::from_utf8_lossy(&self.pending).into_owned();
        self.pending.clear();
        text
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn small_output_is_kept_whole() {
        let mut c = Collector::new(16);
        c.push(b"hello ");
        c.push(b"world");
        assert_eq!(
            c.finish(),
            Collected {
                bytes: b"hello world".to_vec(),
                total: 11,
                omitted: None
            }
        );
    }

    #[test]
    fn output_exactly_at_the_cap_is_not_truncated() {
        let mut c = Collector::new(8);
        c.push(b"abcd");
        c.push(b"efgh");
        assert_eq!(c.finish().omitted, None);
    }

    #[test]
    fn large_output_keeps_head_and_tail_and_says_what_was_cut() {
        let mut c = Collector::new(8);
        for chunk in [b"0123".as_slice(), b"456789", b"ABCDEFGHIJ"] {
            c.push(chunk);
        }
        let got = c.finish();
        assert_eq!(got.total, 20);
        assert_eq!(got.omitted, Some((4, 12)));
        assert_eq!(
            String::from_utf8(got.bytes).unwrap(),
            "0123\n[... shellwise: 12 bytes omitted (bytes 4..16) ...]\nGHIJ"
        );
    }

    #[test]
    fn truncation_never_splits_a_character() {
        // "é" is two bytes. A cap of 4 keeps 2 head bytes ("a" + half an "é") and 2 tail bytes
        // (half an "é" + "z"); both halves are moved into the omitted range.
        let text = "aéééééééééééz".as_bytes();
        let mut c = Collector::new(4);
        c.push(text);
        let got = c.finish();
        let omitted = text.len() as u64 - 2;
        assert_eq!(got.omitted, Some((1, omitted)));
        assert_eq!(
            String::from_utf8(got.bytes).unwrap(),
            format!(
                "a\n[... shellwise: {omitted} bytes omitted (bytes 1..{}) ...]\nz",
                1 + omitted
            )
        );
    }

    #[test]
    fn decoder_matches_lossy_decoding_at_every_split() {
        let input: Vec<u8> = [
            "héllo ".as_bytes(),
            &[0xF0, 0x9F, 0x98, 0x80],
            b" bad:",
            &[0xE2, 0x82],
            b"x",
            &[0xFF, 0xC0],
            " 日本".as_bytes(),
            &[0xE6, 0x97],
        ]
        .concat();
        let whole = String::from_utf8_lossy(&input).into_owned();
        for i in 0..=input.len() {
            for j in i..=input.len() {
                let mut d = Utf8Decoder::default();
                let mut got = d.push(&input[..i]);
                got.push_str(&d.push(&input[i..j]));
                got.push_str(&d.push(&input[j..]));
                got.push_str(&d.finish());
                assert_eq!(got, whole, "split at {i},{j}");
            }
        }
    }

    #[test]
    fn collector_matches_input_at_every_chunking_when_not_truncated() {
        let input = b"line one\nline two\n".to_vec();
        for i in 0..=input.len() {
            let mut c = Collector::new(64);
            c.push(&input[..i]);
            c.push(&input[i..]);
            assert_eq!(c.finish().bytes, input);
        }
    }
}
