//! OpenAI-compatible API: `/chat/completions` (SSE streaming) and `/models`.

use serde_json::{json, Value};

use super::classify::{classify_stream_error, sanitize_name};
use super::wire::{
    parse_json, plain_messages, str_at, u64_at, BodyParams, Completion, Ctx, EventDecoder, Frame,
    StreamItem, StructuredOutput,
};
use super::{Capabilities, ChatDelta, LlmError, ModelInfo, Usage};

pub(crate) const CHAT_PATH: &str = "/chat/completions";
pub(crate) const MODELS_PATH: &str = "/models";

pub(crate) fn chat_body(p: BodyParams<'_>) -> Value {
    let mut body = json!({
        "model": p.model,
        "messages": plain_messages(p.req),
        "stream": p.stream,
    });
    if p.stream {
        body["stream_options"] = json!({"include_usage": true});
    }
    if let Some(n) = p.req.max_tokens {
        body["max_tokens"] = json!(n);
    }
    if let Some(t) = p.req.temperature {
        body["temperature"] = json!(t);
    }
    body
}

pub(crate) fn structured_body(p: BodyParams<'_>, schema: &Value, name: &str) -> Value {
    let mut body = chat_body(p);
    body["response_format"] = json!({
        "type": "json_schema",
        "json_schema": {"name": sanitize_name(name), "schema": schema, "strict": true},
    });
    body
}

fn usage(v: &Value) -> Usage {
    Usage {
        input_tokens: u64_at(v, &["usage", "prompt_tokens"]),
        output_tokens: u64_at(v, &["usage", "completion_tokens"]),
    }
}

pub(crate) fn parse_chat(ctx: Ctx<'_>, body: &[u8]) -> Result<Completion, LlmError> {
    let v = parse_json(ctx, body)?;
    // OpenRouter may answer 200 with an error object.
    if v.get("error").is_some_and(|e| !e.is_null()) {
        return Err(classify_stream_error(ctx.provider, ctx.model, &v));
    }
    let choice = v
        .get("choices")
        .and_then(|c| c.get(0))
        .ok_or_else(|| ctx.malformed("missing choices[0]"))?;
    let message = choice
        .get("message")
        .ok_or_else(|| ctx.malformed("missing choices[0].message"))?;
    // `content` is null for a refusal or a tool call; that is an empty answer, not a crash.
    let content = match message.get("content") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(_) => return Err(ctx.malformed("choices[0].message.content is not a string")),
    };
    Ok(Completion {
        content,
        finish_reason: str_at(choice, &["finish_reason"]).map(str::to_string),
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

/// SSE: `data: {chat.completion.chunk}` … `data: [DONE]`; usage may come in a last chunk
/// with no choices; `data: {"error":...}` is an error.
#[derive(Debug, Default)]
pub(crate) struct Events {
    finish_reason: Option<String>,
    usage: Usage,
}

impl Events {
    fn done(&mut self) -> StreamItem {
        Ok(ChatDelta::Done {
            finish_reason: self.finish_reason.take(),
            usage: self.usage,
        })
    }
}

impl EventDecoder for Events {
    fn frame(&mut self, ctx: Ctx<'_>, frame: Frame<'_>, out: &mut Vec<StreamItem>) {
        let Frame::Event(ev) = frame else { return };
        let data = ev.data.trim();
        if data == "[DONE]" {
            out.push(self.done());
            return;
        }
        if data.is_empty() {
            return;
        }
        let v: Value = match serde_json::from_str(data) {
            Ok(v) => v,
            Err(e) => {
                out.push(Err(ctx.malformed(format!("invalid SSE data: {e}"))));
                return;
            }
        };
        if v.get("error").is_some_and(|e| !e.is_null()) || ev.event.as_deref() == Some("error") {
            out.push(Err(classify_stream_error(ctx.provider, ctx.model, &v)));
            return;
        }
        let u = usage(&v);
        if u.input_tokens.is_some() {
            self.usage.input_tokens = u.input_tokens;
        }
        if u.output_tokens.is_some() {
            self.usage.output_tokens = u.output_tokens;
        }
        if let Some(choice) = v.get("choices").and_then(|c| c.get(0)) {
            if let Some(text) = str_at(choice, &["delta", "content"]) {
                if !text.is_empty() {
                    out.push(Ok(ChatDelta::Text(text.to_string())));
                }
            }
            if let Some(reason) = str_at(choice, &["finish_reason"]) {
                self.finish_reason = Some(reason.to_string());
            }
        }
    }

    fn eof(&mut self, ctx: Ctx<'_>, out: &mut Vec<StreamItem>) {
        // Some compatible servers omit `[DONE]`; a finish reason is as good an end.
        if self.finish_reason.is_some() {
            out.push(self.done());
        } else {
            out.push(Err(ctx.malformed("stream ended before `[DONE]`")));
        }
    }
}

/// Models from `/models`. Plain OpenAI gives only ids; OpenRouter adds `context_length`,
/// `supported_parameters` and `architecture.input_modalities`; vLLM adds `max_model_len`.
pub(crate) fn parse_models(ctx: Ctx<'_>, body: &[u8]) -> Result<Vec<ModelInfo>, LlmError> {
    let v = parse_json(ctx, body)?;
    let data = v
        .get("data")
        .and_then(Value::as_array)
        .ok_or_else(|| ctx.malformed("missing data"))?;
    Ok(data
        .iter()
        .filter_map(|m| {
            let id = str_at(m, &["id"])?;
            Some(ModelInfo {
                id: id.to_string(),
                capabilities: capabilities(id, m),
            })
        })
        .collect())
}

pub(crate) fn capabilities(id: &str, m: &Value) -> Capabilities {
    let lower = id.to_ascii_lowercase();
    let chat = !["embed", "whisper", "tts", "dall-e", "moderation"]
        .iter()
        .any(|p| lower.contains(p));
    let params: Option<Vec<&str>> = m
        .get("supported_parameters")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect());
    let has_param = |p: &str| params.as_ref().is_some_and(|ps| ps.contains(&p));
    let vision = m
        .get("architecture")
        .and_then(|a| a.get("input_modalities"))
        .and_then(Value::as_array)
        .is_some_and(|a| a.iter().any(|x| x.as_str() == Some("image")));
    Capabilities {
        chat,
        streaming: chat,
        tools: has_param("tools"),
        // Without a parameter list we cannot know; `response_format` is what we send.
        json_schema: chat
            && (params.is_none()
                || has_param("structured_outputs")
                || has_param("response_format")),
        vision,
        context_length: u64_at(m, &["context_length"]).or_else(|| u64_at(m, &["max_model_len"])),
    }
}
