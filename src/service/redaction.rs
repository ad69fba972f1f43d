//! The redaction stage behind the [`OutputFilter`] seam, and how the redactor is built from
//! settings.
//!
//! Every output byte of a command passes a `RedactStream` before it is collected, streamed,
//! analyzed or sent to an LLM. Log lines and problem details use the process-wide redactor in
//! [`crate::redact::global`]. The redactor knows the built-in rules, the values of the
//! server's own secret-looking environment variables, configured extra values and user rules.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::config::RedactionSettings;
use crate::exec::env::secret_values;
use crate::redact::{RedactConfig, Redactor, StreamRedactor, UserRule};
use crate::service::seams::{OutputFilter, StreamFilter};

/// Build the redactor from settings and the server's environment (injected for tests).
pub fn build(
    settings: &RedactionSettings,
    server_env: impl IntoIterator<Item = (String, String)>,
) -> anyhow::Result<Redactor> {
    let mut exact_values: Vec<String> = settings.extra_values.clone();
    if settings.server_secrets {
        exact_values.extend(secret_values(server_env, crate::redact::MIN_EXACT_LEN));
    }
    let cfg = RedactConfig {
        exact_values,
        user_rules: settings
            .rules
            .iter()
            .map(|r| UserRule {
                id: r.id.clone(),
                regex: r.regex.clone(),
            })
            .collect(),
        disabled_rules: settings.disabled_rules.clone(),
    };
    Redactor::new(&cfg).map_err(|e| anyhow::anyhow!("redaction: {e}"))
}

/// The redaction [`OutputFilter`].
pub struct RedactFilter {
    redactor: Arc<Redactor>,
}

impl RedactFilter {
    pub fn new(redactor: Arc<Redactor>) -> Self {
        Self { redactor }
    }
}

struct RedactStream {
    inner: StreamRedactor,
    counts: BTreeMap<String, u64>,
}

impl RedactStream {
    fn take(&mut self, r: crate::redact::Redacted<'static>) -> Vec<u8> {
        for (rule, n) in &r.counts.0 {
            *self.counts.entry(rule.clone()).or_default() += n;
            metrics::counter!("shellwise_redactions_total", "rule" => rule.clone()).increment(*n);
        }
        r.bytes.into_owned()
    }
}

impl StreamFilter for RedactStream {
    fn push(&mut self, chunk: &[u8]) -> Vec<u8> {
        let r = self.inner.push(chunk);
        self.take(r)
    }
    fn flush(&mut self) -> Vec<u8> {
        let r = self.inner.flush();
        self.take(r)
    }
    fn idle_flush(&mut self) -> Vec<u8> {
        self.inner.idle_flush().bytes.into_owned()
    }
    fn held(&self) -> usize {
        self.inner.held()
    }
    fn counts(&self) -> BTreeMap<String, u64> {
        self.counts.clone()
    }
}

impl OutputFilter for RedactFilter {
    fn stream(&self) -> Box<dyn StreamFilter> {
        Box::new(RedactStream {
            inner: self.redactor.stream(),
            counts: BTreeMap::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::config::RedactionSettings;

    fn settings() -> RedactionSettings {
        RedactionSettings {
            enabled: true,
            server_secrets: true,
            extra_values: vec!["extra-value-123456".into()],
            rules: vec![],
            disabled_rules: vec![],
            cpu_budget_ms: 0,
        }
    }

    #[test]
    fn server_secret_values_and_extra_values_are_redacted_exactly() {
        let env = vec![
            ("MY_API_TOKEN".to_string(), "tok-abcdef-987654".to_string()),
            ("HOME".to_string(), "/home/someone".to_string()),
            ("SHORT_KEY".to_string(), "abc".to_string()),
        ];
        let r = build(&settings(), env).unwrap();
        let (out, counts) =
            r.redact_str("a tok-abcdef-987654 b extra-value-123456 c /home/someone abc\n");
        assert_eq!(
            out,
            "a [REDACTED:exact-value] b [REDACTED:exact-value] c /home/someone abc\n"
        );
        assert_eq!(counts.0.get("exact-value"), Some(&2));
    }

    #[test]
    fn the_stream_filter_counts_what_it_redacted() {
        let env = vec![(
            "DB_PASSWORD".to_string(),
            "correct-horse-battery".to_string(),
        )];
        let filter = RedactFilter::new(Arc::new(build(&settings(), env).unwrap()));
        let mut s = filter.stream();
        let mut out = s.push(b"pw is correct-horse-");
        out.extend(s.push(b"battery here\n"));
        out.extend(s.flush());
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "pw is [REDACTED:exact-value] here\n"
        );
        assert_eq!(s.counts(), BTreeMap::from([("exact-value".to_string(), 1)]));
    }
}
