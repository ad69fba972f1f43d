//! Byte-level stream framing: NDJSON lines and Server-Sent Events.
//!
//! Both work on raw bytes and split only on `b'\n'`, decoding a line as UTF-8 once it is
//! complete, so a multi-byte character split across HTTP chunks is never damaged.

/// Splits a byte stream into complete lines (without `\n` or a trailing `\r`).
#[derive(Debug)]
pub(crate) struct LineSplitter {
    buf: Vec<u8>,
    max_line: usize,
}

/// A framing failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FrameError {
    /// A line exceeded the cap.
    LineTooLong(usize),
    /// A complete line was not valid UTF-8.
    InvalidUtf8,
}

impl std::fmt::Display for FrameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FrameError::LineTooLong(max) => write!(f, "a stream line exceeded {max} bytes"),
            FrameError::InvalidUtf8 => f.write_str("a stream line was not valid UTF-8"),
        }
    }
}

impl LineSplitter {
    pub(crate) fn new(max_line: usize) -> Self {
        LineSplitter {
            buf: Vec::new(),
            max_line,
        }
    }

    /// Appends `chunk` and returns every line it completed.
    pub(crate) fn push(&mut self, chunk: &[u8]) -> Result<Vec<String>, FrameError> {
        let mut lines = Vec::new();
        let mut rest = chunk;
        while let Some(pos) = rest.iter().position(|&b| b == b'\n') {
            let (head, tail) = rest.split_at(pos);
            if self.buf.len() + head.len() > self.max_line {
                return Err(FrameError::LineTooLong(self.max_line));
            }
            self.buf.extend_from_slice(head);
            lines.push(Self::decode(std::mem::take(&mut self.buf))?);
            rest = &tail[1..];
        }
        if self.buf.len() + rest.len() > self.max_line {
            return Err(FrameError::LineTooLong(self.max_line));
        }
        self.buf.extend_from_slice(rest);
        Ok(lines)
    }

    /// The unterminated last line, if any (at end of stream).
    pub(crate) fn finish(&mut self) -> Result<Option<String>, FrameError> {
        if self.buf.is_empty() {
            return Ok(None);
        }
        Self::decode(std::mem::take(&mut self.buf)).map(Some)
    }

    fn decode(mut line: Vec<u8>) -> Result<String, FrameError> {
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        String::from_utf8(line).map_err(|_| FrameError::InvalidUtf8)
    }
}

/// One Server-Sent Event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SseEvent {
    /// The `event:` field, if any.
    pub event: Option<String>,
    /// The `data:` lines joined with `\n`.
    pub data: String,
}

/// Assembles SSE events from lines (per the WHATWG rules: `field: value`, one optional
/// space after the colon, `:` comments, a blank line dispatches, data lines join with `\n`).
#[derive(Debug, Default)]
pub(crate) struct SseAssembler {
    event: Option<String>,
    data: Vec<String>,
    has_data: bool,
}

impl SseAssembler {
    /// Feeds one line; returns an event when the line dispatches one.
    pub(crate) fn line(&mut self, line: &str) -> Option<SseEvent> {
        if line.is_empty() {
            return self.dispatch();
        }
        if line.starts_with(':') {
            return None;
        }
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line, ""),
        };
        match field {
            "event" => self.event = Some(value.to_string()),
            "data" => {
                self.data.push(value.to_string());
                self.has_data = true;
            }
            _ => {}
        }
        None
    }

    /// Dispatches a pending event at end of stream (servers may omit the final blank line).
    pub(crate) fn finish(&mut self) -> Option<SseEvent> {
        self.dispatch()
    }

    fn dispatch(&mut self) -> Option<SseEvent> {
        let event = self.event.take();
        if !self.has_data {
            return None;
        }
        self.has_data = false;
        Some(SseEvent {
            event,
            data: std::mem::take(&mut self.data).join("\n"),
        })
    }
}
