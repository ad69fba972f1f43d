//! Shared shapes between the router and the per-provider wire modules.

use serde_json::Value;

use super::framing::{FrameError, LineSplitter, SseAssembler, SseEvent};
use super::{ChatDelta, ChatRequest, LlmError, Usage};

/// A parsed non-streamed completion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Completion {
    pub content: String,
    pub finish_reason: Option<String>,
    pub usage: Usage,
}

/// What a structured-output call produced before validation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum StructuredOutput {
    /// Text that should be a JSON object (Ollama, OpenAI).
    Text(String),
    /// An already-parsed value (Anthropic tool input).
    Value(Value),
}

/// Everything a wire module needs to build a request body.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BodyParams<'a> {
    pub model: &'a str,
    pub req: &'a ChatRequest,
    pub stream: bool,
    /// `max_tokens` to use when the request has none and the provider requires one.
    pub default_max_tokens: u32,
}

/// Identifies the attempt in errors.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ctx<'a> {
    pub provider: &'a str,
    pub model: &'a str,
}

impl Ctx<'_> {
    pub(crate) fn malformed(&self, message: impl Into<String>) -> LlmError {
        LlmError::Malformed {
            provider: self.provider.to_string(),
            message: message.into(),
        }
    }

    pub(crate) fn frame_error(&self, e: FrameError) -> LlmError {
        self.malformed(e.to_string())
    }
}

/// Parses a JSON body, mapping failure to `Malformed`.
pub(crate) fn parse_json(ctx: Ctx<'_>, body: &[u8]) -> Result<Value, LlmError> {
    serde_json::from_slice(body).map_err(|e| ctx.malformed(format!("invalid JSON: {e}")))
}

pub(crate) fn u64_at(v: &Value, path: &[&str]) -> Option<u64> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    cur.as_u64()
}

pub(crate) fn str_at<'v>(v: &'v Value, path: &[&str]) -> Option<&'v str> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    cur.as_str()
}

/// One item out of a stream decoder; after `Done` or an error the stream ends.
pub(crate) type StreamItem = Result<ChatDelta, LlmError>;

/// Per-provider event interpretation for line- or SSE-framed streams.
pub(crate) trait EventDecoder: Send {
    /// Interprets one complete frame (an NDJSON line or an SSE event).
    fn frame(&mut self, ctx: Ctx<'_>, frame: Frame<'_>, out: &mut Vec<StreamItem>);
    /// The stream ended without a terminal event.
    fn eof(&mut self, ctx: Ctx<'_>, out: &mut Vec<StreamItem>);
}

/// A complete frame.
pub(crate) enum Frame<'a> {
    Line(&'a str),
    Event(SseEvent),
}

/// Bytes → frames → items, for either framing.
pub(crate) struct StreamDecoder {
    lines: LineSplitter,
    sse: Option<SseAssembler>,
    events: Box<dyn EventDecoder>,
}

impl StreamDecoder {
    pub(crate) fn ndjson(max_line: usize, events: Box<dyn EventDecoder>) -> Self {
        StreamDecoder {
            lines: LineSplitter::new(max_line),
            sse: None,
            events,
        }
    }

    pub(crate) fn sse(max_line: usize, events: Box<dyn EventDecoder>) -> Self {
        StreamDecoder {
            lines: LineSplitter::new(max_line),
            sse: Some(SseAssembler::default()),
            events,
        }
    }

    /// Feeds a chunk of bytes; returns the items it completed.
    pub(crate) fn push(&mut self, ctx: Ctx<'_>, chunk: &[u8]) -> Vec<StreamItem> {
        let mut out = Vec::new();
        match self.lines.push(chunk) {
            Ok(lines) => {
                for line in lines {
                    self.line(ctx, &line, &mut out);
                }
            }
            Err(e) => out.push(Err(ctx.frame_error(e))),
        }
        out
    }

    /// The byte stream ended.
    pub(crate) fn finish(&mut self, ctx: Ctx<'_>) -> Vec<StreamItem> {
        let mut out = Vec::new();
        match self.lines.finish() {
            Ok(Some(line)) => self.line(ctx, &line, &mut out),
            Ok(None) => {}
            Err(e) => out.push(Err(ctx.frame_error(e))),
        }
        if let Some(ev) = self.sse.as_mut().and_then(SseAssembler::finish) {
            self.events.frame(ctx, Frame::Event(ev), &mut out);
        }
        self.events.eof(ctx, &mut out);
        out
    }

    fn line(&mut self, ctx: Ctx<'_>, line: &str, out: &mut Vec<StreamItem>) {
        match self.sse.as_mut() {
            None => self.events.frame(ctx, Frame::Line(line), out),
            Some(sse) => {
                if let Some(ev) = sse.line(line) {
                    self.events.frame(ctx, Frame::Event(ev), out);
                }
            }
        }
    }
}

/// The messages as `[{role, content}]` (Ollama and OpenAI share this shape).
pub(crate) fn plain_messages(req: &ChatRequest) -> Value {
    Value::Array(
        req.messages
            .iter()
            .map(|m| serde_json::json!({"role": m.role.as_str(), "content": m.content}))
            .collect(),
    )
}
