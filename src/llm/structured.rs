//! Structured output checks: is the answer a JSON object with the schema's required keys.

use serde_json::Value;

use super::wire::StructuredOutput;

/// Why an answer was rejected, with the text to echo back in the repair attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Invalid {
    pub text: String,
    pub reason: String,
}

/// Finds the JSON object in a model's text: the whole text, else inside a Markdown code
/// fence, else from the first `{` to the last `}` (models like to add a sentence).
pub(crate) fn extract_json_object(text: &str) -> Result<Value, String> {
    let t = text.trim();
    let parse = |s: &str| serde_json::from_str::<Value>(s.trim());
    let mut first_error = match parse(t) {
        Ok(v @ Value::Object(_)) => return Ok(v),
        Ok(_) => "the answer is JSON but not an object".to_string(),
        Err(e) => format!("the answer is not valid JSON ({e})"),
    };
    if t.is_empty() {
        first_error = "the answer is empty".to_string();
    }
    if let Some(rest) = t.strip_prefix("```") {
        let body = rest.split_once('\n').map_or("", |(_, b)| b);
        let body = body.trim_end().strip_suffix("```").unwrap_or(body);
        if let Ok(v @ Value::Object(_)) = parse(body) {
            return Ok(v);
        }
    }
    if let (Some(a), Some(b)) = (t.find('{'), t.rfind('}')) {
        if a < b {
            if let Ok(v @ Value::Object(_)) = parse(&t[a..=b]) {
                return Ok(v);
            }
        }
    }
    Err(first_error)
}

/// Accepts an object that has every key in the schema's top-level `required`.
pub(crate) fn validate(out: StructuredOutput, schema: &Value) -> Result<Value, Invalid> {
    let (value, text) = match out {
        StructuredOutput::Text(t) => match extract_json_object(&t) {
            Ok(v) => (v, t),
            Err(reason) => return Err(Invalid { text: t, reason }),
        },
        StructuredOutput::Value(v) => {
            let text = v.to_string();
            if !v.is_object() {
                return Err(Invalid {
                    text,
                    reason: "the answer is JSON but not an object".to_string(),
                });
            }
            (v, text)
        }
    };
    let missing: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|req| {
            req.iter()
                .filter_map(Value::as_str)
                .filter(|k| value.get(k).is_none())
                .collect()
        })
        .unwrap_or_default();
    if missing.is_empty() {
        Ok(value)
    } else {
        Err(Invalid {
            text,
            reason: format!("required keys are missing: {}", missing.join(", ")),
        })
    }
}

/// The user turn that asks for a corrected answer.
pub(crate) fn repair_prompt(reason: &str) -> String {
    format!(
        "Your previous answer could not be used: {reason}. Reply again with only one valid \
         JSON object that matches the requested schema, with no text before or after it."
    )
}
