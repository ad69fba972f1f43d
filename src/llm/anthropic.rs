//! Anthropic Messages API: `/v1/messages` (typed SSE events) and `/v1/models`.

use serde_json::{json, Value};

use super::classify::{classify_stream_error, sanitize_name};
use super::wire::{
    parse_json, str_at, u64_at, BodyParams, Completion, Ctx, EventDecoder, Frame, StreamItem,
    StructuredOutput,
};
use super::{Capabilities, ChatDelta, LlmError, ModelInfo, Role, Usage};

pub(crate) const CHAT_PATH: &str = "/v1/messages";
pub(crate) const MODELS_PATH: &str = "/v1/models?limit=1000";
pub(crate) const VERSION: &str = "2023-06-01";

/// System messages go to the top-level `system` (joined by blank lines); the rest stay in
/// order. `max_tokens` is mandatory here.
pub(crate) fn chat_body(p: BodyParams<'_>) -> Value {
    let system: Vec<&str> = p
        .req
        .messages
        .iter()
        .filter(|m| m.role == Role::System)
        .map(|m| m.content.as_str())
        .collect();
    let messages: Vec<Value> = p
        .req
        .messages
        .iter()
        .filter(|m| m.role != Role::System)
        .map(|m| json!({"role": m.role.as_str(), "content": m.content}))
        .collect();
    let mut body = json!({
        "model": p.model,
        "max_tokens": p.req.max_tokens.unwrap_or(p.default_max_tokens),
        "messages": messages,
        "stream": p.stream,
    });
    if !system.is_empty() {
        body["system"] = json!(system.join("\n\n"));
    }
    if let Some(t) = p.req.temperature {
        body["temperature"] = json!(t);
    }
    body
}

/// One tool whose `input_schema` is the schema, and `tool_choice` forcing it.
pub(crate) fn structured_body(p: BodyParams<'_>, schema: &Value, name: &str) -> Value {
    let name = sanitize_name(name);
    let mut body = chat_body(p);
    body["tools"] = json!([{
        "name": name,
        "description": "Record the answer as structured data matching the input schema.",
        "input_schema": schema,
    }]);
    body["tool_choice"] = json!({"type": "tool", "name": name});
    body
}

fn usage(v: &Value) -> Usage {
    Usage {
        input_tokens: u64_at(v, &["usage", "input_tokens"]),
        output_tokens: u64_at(v, &["usage", "output_tokens"]),
    }
}

fn content_blocks<'v>(ctx: Ctx<'_>, v: &'v Value) -> Result<&'v Vec<Value>, LlmError> {
    if v.get("type").and_then(Value::as_str) == Some("error") {
        return Err(classify_stream_error(ctx.provider, ctx.model, v));
    }
    v.get("content")
        .and_then(Value::as_array)
        .ok_or_else(|| ctx.malformed("missing content"))
}

pub(crate) fn parse_chat(ctx: Ctx<'_>, body: &[u8]) -> Result<Completion, LlmError> {
    let v = parse_json(ctx, body)?;
    let content = content_blocks(ctx, &v)?
        .iter()
        .filter(|b| str_at(b, &["type"]) == Some("text"))
        .filter_map(|b| str_at(b, &["text"]))
        .collect::<String>();
    Ok(Completion {
        content,
        finish_reason: str_at(&v, &["stop_reason"]).map(str::to_string),
        usage: usage(&v),
    })
}

/// The forced tool call's `input`; if the model wrote text instead, that text.
pub(crate) fn parse_structured(
    ctx: Ctx<'_>,
    body: &[u8],
) -> Result<(StructuredOutput, Usage), LlmError> {
    let v = parse_json(ctx, body)?;
    let blocks = content_blocks(ctx, &v)?;
    let out = match blocks
        .iter()
        .find(|b| str_at(b, &["type"]) == Some("tool_use"))
        .and_then(|b| b.get("input"))
    {
        Some(input) => StructuredOutput::Value(input.clone()),
        None => StructuredOutput::Text(
            blocks
                .iter()
                .filter_map(|b| str_at(b, &["text"]))
                .collect::<String>(),
        ),
    };
    Ok((out, usage(&v)))
}

/// Typed SSE: `message_start` (input tokens), `content_block_delta` (`text_delta`),
/// `message_delta` (stop reason, output tokens), `message_stop`, `ping`, `error`.
#[derive(Debug, Default)]
pub(crate) struct Events {
    finish_reason: Option<String>,
    usage: Usage,
}

impl EventDecoder for Events {
    fn frame(&mut self, ctx: Ctx<'_>, frame: Frame<'_>, out: &mut Vec<StreamItem>) {
        let Frame::Event(ev) = frame else { return };
        let v: Value = match serde_json::from_str(&ev.data) {
            Ok(v) => v,
            Err(e) => {
                out.push(Err(ctx.malformed(format!("invalid SSE data: {e}"))));
                return;
            }
        };
        let kind = ev
            .event
            .as_deref()
            .or_else(|| str_at(&v, &["type"]))
            .unwrap_or_default();
        match kind {
            "message_start" => {
                let u = u64_at(&v, &["message", "usage", "input_tokens"]);
                self.usage.input_tokens = u;
                if let Some(o) = u64_at(&v, &["message", "usage", "output_tokens"]) {
                    self.usage.output_tokens = Some(o);
                }
            }
            // Other delta types (tool input JSON, thinking) carry no answer text.
            "content_block_delta" if str_at(&v, &["delta", "type"]) == Some("text_delta") => {
                if let Some(text) = str_at(&v, &["delta", "text"]).filter(|t| !t.is_empty()) {
                    out.push(Ok(ChatDelta::Text(text.to_string())));
                }
            }
            "message_delta" => {
                if let Some(r) = str_at(&v, &["delta", "stop_reason"]) {
                    self.finish_reason = Some(r.to_string());
                }
                if let Some(o) = u64_at(&v, &["usage", "output_tokens"]) {
                    self.usage.output_tokens = Some(o);
                }
                if let Some(i) = u64_at(&v, &["usage", "input_tokens"]) {
                    self.usage.input_tokens = Some(i);
                }
            }
            "message_stop" => out.push(Ok(ChatDelta::Done {
                finish_reason: self.finish_reason.take(),
                usage: self.usage,
            })),
            "error" => out.push(Err(classify_stream_error(ctx.provider, ctx.model, &v))),
            // ping, content_block_start/stop and future event types carry no text.
            _ => {}
        }
    }

    fn eof(&mut self, ctx: Ctx<'_>, out: &mut Vec<StreamItem>) {
        out.push(Err(ctx.malformed("stream ended before `message_stop`")));
    }
}

pub(crate) fn parse_models(ctx: Ctx<'_>, body: &[u8]) -> Result<Vec<ModelInfo>, LlmError> {
    let v = parse_json(ctx, body)?;
    let data = v
        .get("data")
        .and_then(Value::as_array)
        .ok_or_else(|| ctx.malformed("missing data"))?;
    Ok(data
        .iter()
        .filter_map(|m| {
            Some(ModelInfo {
                id: str_at(m, &["id"])?.to_string(),
                capabilities: capabilities(Some(m)),
            })
        })
        .collect())
}

/// Every current Claude model chats, streams, calls tools (our structured output) and
/// reads images.
pub(crate) fn capabilities(m: Option<&Value>) -> Capabilities {
    Capabilities {
        chat: true,
        streaming: true,
        tools: true,
        json_schema: true,
        vision: true,
        context_length: m.and_then(|m| u64_at(m, &["max_input_tokens"])),
    }
}
