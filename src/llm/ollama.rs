//! Ollama's native API: `/api/chat` (NDJSON streaming), `/api/tags`, `/api/show`.

use serde_json::{json, Map, Value};

use super::classify::classify_stream_error;
use super::wire::{
    parse_json, plain_messages, str_at, u64_at, BodyParams, Completion, Ctx, EventDecoder, Frame,
    StreamItem, StructuredOutput,
};
use super::{Capabilities, ChatDelta, LlmError, Usage};

pub(crate) const CHAT_PATH: &str = "/api/chat";
pub(crate) const TAGS_PATH: &str = "/api/tags";
pub(crate) const SHOW_PATH: &str = "/api/show";

pub(crate) fn chat_body(p: BodyParams<'_>) -> Value {
    let mut body = json!({
        "model": p.model,
        "messages": plain_messages(p.req),
        "stream": p.stream,
    });
    let mut options = Map::new();
    if let Some(n) = p.req.max_tokens {
        options.insert("num_predict".into(), json!(n));
    }
    if let Some(t) = p.req.temperature {
        options.insert("temperature".into(), json!(t));
    }
    if !options.is_empty() {
        body["options"] = Value::Object(options);
    }
    body
}

pub(crate) fn structured_body(p: BodyParams<'_>, schema: &Value) -> Value {
    let mut body = chat_body(p);
    body["format"] = schema.clone();
    body
}

fn usage(v: &Value) -> Usage {
    Usage {
        input_tokens: u64_at(v, &["prompt_eval_count"]),
        output_tokens: u64_at(v, &["eval_count"]),
    }
}

pub(crate) fn parse_chat(ctx: Ctx<'_>, body: &[u8]) -> Result<Completion, LlmError> {
    let v = parse_json(ctx, body)?;
    if v.get("error").is_some() {
        return Err(classify_stream_error(ctx.provider, ctx.model, &v));
    }
    let content = str_at(&v, &["message", "content"])
        .ok_or_else(|| ctx.malformed("missing message.content"))?;
    Ok(Completion {
        content: content.to_string(),
        finish_reason: str_at(&v, &["done_reason"]).map(str::to_string),
        usage: usage(&v),
    })
}

pub(crate) fn parse_structured(
    ctx: Ctx<'_>,
    body: &[u8],
) -> Result<(StructuredOutput, Usage), LlmError> {
    let c = parse_chat(ctx, body)?;
    Ok((StructuredOutput::Text(c.content), c.usage))
}

/// NDJSON: `{message:{content}, done:false}` … `{done:true, done_reason, ...}`, or an
/// `{"error":...}` line at any point.
#[derive(Debug, Default)]
pub(crate) struct Events;

impl EventDecoder for Events {
    fn frame(&mut self, ctx: Ctx<'_>, frame: Frame<'_>, out: &mut Vec<StreamItem>) {
        let Frame::Line(line) = frame else { return };
        if line.trim().is_empty() {
            return;
        }
        let v: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                out.push(Err(ctx.malformed(format!("invalid NDJSON line: {e}"))));
                return;
            }
        };
        if v.get("error").is_some() {
            out.push(Err(classify_stream_error(ctx.provider, ctx.model, &v)));
            return;
        }
        if let Some(text) = str_at(&v, &["message", "content"]) {
            if !text.is_empty() {
                out.push(Ok(ChatDelta::Text(text.to_string())));
            }
        }
        if v.get("done").and_then(Value::as_bool) == Some(true) {
            out.push(Ok(ChatDelta::Done {
                finish_reason: str_at(&v, &["done_reason"]).map(str::to_string),
                usage: usage(&v),
            }));
        }
    }

    fn eof(&mut self, ctx: Ctx<'_>, out: &mut Vec<StreamItem>) {
        out.push(Err(ctx.malformed("stream ended before `done: true`")));
    }
}

/// Model names from `/api/tags`.
pub(crate) fn parse_tags(ctx: Ctx<'_>, body: &[u8]) -> Result<Vec<String>, LlmError> {
    let v = parse_json(ctx, body)?;
    let models = v
        .get("models")
        .and_then(Value::as_array)
        .ok_or_else(|| ctx.malformed("missing models"))?;
    Ok(models
        .iter()
        .filter_map(|m| str_at(m, &["name"]).or_else(|| str_at(m, &["model"])))
        .map(str::to_string)
        .collect())
}

/// Capabilities from `/api/show`: its `capabilities` list (`completion`, `tools`, `vision`,
/// `embedding`, ...) and the `*.context_length` entry of `model_info`. Ollama versions
/// without `capabilities` are assumed to chat.
pub(crate) fn parse_show(v: &Value) -> Capabilities {
    let caps: Option<Vec<&str>> = v
        .get("capabilities")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect());
    let has = |name: &str| caps.as_ref().is_some_and(|c| c.contains(&name));
    let chat = caps.is_none() || has("completion");
    let context_length = v
        .get("model_info")
        .and_then(Value::as_object)
        .and_then(|info| {
            info.iter()
                .filter(|(k, _)| k.ends_with(".context_length"))
                .find_map(|(_, v)| v.as_u64())
        });
    Capabilities {
        chat,
        streaming: chat,
        tools: has("tools"),
        json_schema: chat,
        vision: has("vision"),
        context_length,
    }
}
