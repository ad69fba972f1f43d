//! The process-wide redactor that log lines and problem details pass, and the redacting log
//! writer. It lives beside the engine so that `error` and `telemetry` reach it without
//! depending on the service layer.

use std::io::Write;
use std::sync::{Arc, OnceLock};

use super::Redactor;

static GLOBAL: OnceLock<Arc<Redactor>> = OnceLock::new();

/// Make `redactor` the one logs and problem details use. The first call wins (tests start
/// many apps in one process; they share the first).
pub fn install_global(redactor: Arc<Redactor>) -> Arc<Redactor> {
    GLOBAL.get_or_init(|| redactor).clone()
}

/// Redact text with the global redactor (built-in rules only until one is installed).
pub fn redact_text(text: &str) -> String {
    match GLOBAL.get() {
        Some(r) => r.redact_str(text).0,
        None => Redactor::builtin().redact_str(text).0,
    }
}

/// A log writer that redacts each formatted line before it reaches stderr.
pub struct RedactingWriter<W: Write> {
    inner: W,
}

impl<W: Write> RedactingWriter<W> {
    pub fn new(inner: W) -> Self {
        Self { inner }
    }
}

impl<W: Write> Write for RedactingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        self.inner.write_all(redact_text(&text).as_bytes())?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn log_lines_are_redacted_before_they_are_written() {
        let mut buf = Vec::new();
        {
            let mut w = RedactingWriter::new(&mut buf);
            let token = format!("ghp_{}", "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8");
            writeln!(w, "command=curl -H 'Authorization: token {token}'").unwrap();
        }
        let line = String::from_utf8(buf).unwrap();
        assert!(!line.contains("ghp_A1b2"), "{line}");
        assert!(line.contains("[REDACTED:"), "{line}");
    }
}
