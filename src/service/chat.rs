//! Relaying an LLM's streamed answer: every delta passes the same streaming output filter as
//! command output (one filter per stream, released on quiet by the same idle flush), so a
//! secret a model streams slowly leaves redacted, like one a command prints slowly.

use std::sync::Arc;

use futures_util::StreamExt;
use tokio::sync::mpsc;

use super::shape::{StreamShaper, IDLE_FLUSH};
use super::types::OutputEncoding;
use super::ExecService;
use crate::llm::{ChatDelta, ChatStream, LlmError, Usage};

/// One event of a relayed chat answer.
#[derive(Debug)]
pub enum ChatEvent {
    /// Filtered text, whole characters only (never empty).
    Delta(String),
    /// Generation finished.
    Done {
        finish_reason: Option<String>,
        usage: Usage,
        provider: String,
        model: String,
    },
    /// The provider failed mid-stream; `detail` is the error's text, filtered.
    Failed { error: LlmError, detail: String },
}

impl ExecService {
    /// Relay `upstream` (answered by `provider`/`model`) as filtered [`ChatEvent`]s. The
    /// stream ends after `Done` or `Failed`; it ends without either if the provider closed
    /// early. Dropping the receiver drops `upstream`, which cancels the provider's request.
    pub fn relay_chat(
        self: &Arc<Self>,
        upstream: ChatStream,
        provider: String,
        model: String,
    ) -> mpsc::Receiver<ChatEvent> {
        let (tx, rx) = mpsc::channel(16);
        let text = StreamShaper::new(self.filtering(&self.filter_budget()), OutputEncoding::Text);
        let this = self.clone();
        tokio::spawn(async move {
            this.pump_chat(upstream, text, (provider, model), tx).await;
        });
        rx
    }

    async fn pump_chat(
        &self,
        mut upstream: ChatStream,
        mut text: StreamShaper,
        (provider, model): (String, String),
        tx: mpsc::Sender<ChatEvent>,
    ) {
        loop {
            let item = tokio::select! {
                // The client is gone: returning drops `upstream`, which closes its connection.
                _ = tx.closed() => return,
                item = upstream.next() => item,
                _ = tokio::time::sleep(IDLE_FLUSH), if text.wants_idle_flush() => {
                    if !send_text(&tx, text.idle_flush().await).await {
                        return;
                    }
                    continue;
                }
            };
            let last = match item {
                Some(Ok(ChatDelta::Text(t))) => {
                    if !send_text(&tx, text.push(t.into()).await).await {
                        return;
                    }
                    continue;
                }
                Some(Ok(ChatDelta::Done {
                    finish_reason,
                    usage,
                })) => Some(ChatEvent::Done {
                    finish_reason,
                    usage,
                    provider: provider.clone(),
                    model: model.clone(),
                }),
                Some(Err(error)) => {
                    tracing::warn!(kind = error.kind(), "chat stream failed upstream");
                    let detail = self.filter_text(&error.to_string());
                    Some(ChatEvent::Failed { error, detail })
                }
                None => None,
            };
            if send_text(&tx, text.finish().await).await {
                if let Some(event) = last {
                    let _ = tx.send(event).await;
                }
            }
            return;
        }
    }
}

/// Send a delta unless it is empty; false when the client is gone.
async fn send_text(tx: &mpsc::Sender<ChatEvent>, text: String) -> bool {
    text.is_empty() || tx.send(ChatEvent::Delta(text)).await.is_ok()
}
