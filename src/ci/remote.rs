//! Asks a shellwise server to analyse a failed step (`POST /v1/analyze`), so a pipeline gets
//! the server's LLM analysis when it has one.

use std::time::Duration;

use serde_json::json;

use crate::analysis::{Analysis, FailureContext};

/// How long the server may take: an LLM answer can take a while, a CI step should not hang.
const TIMEOUT: Duration = Duration::from_secs(60);

/// The server's analysis of `ctx` (already redacted text), or why there is none.
pub fn analyze(
    server: &str,
    token: Option<&str>,
    ctx: &FailureContext<'_>,
) -> anyhow::Result<Analysis> {
    let url = format!("{}/v1/analyze", server.trim_end_matches('/'));
    let body = json!({
        "command": ctx.command,
        "exitCode": ctx.exit_code,
        "signal": ctx.signal,
        "stdout": ctx.stdout,
        "stderr": ctx.stderr,
        "cwd": ctx.cwd,
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let client = reqwest::Client::builder().timeout(TIMEOUT).build()?;
        let mut req = client.post(&url).json(&body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await?;
        let status = resp.status();
        if !status.is_success() {
            let problem: serde_json::Value = resp.json().await.unwrap_or_default();
            let code = problem["code"].as_str().unwrap_or("no problem code");
            anyhow::bail!("{url} answered {status} ({code})");
        }
        Ok(resp.json::<Analysis>().await?)
    })
}
