//! The one Server-Sent Events relay every streaming endpoint uses (exec, chat, and what comes
//! next): event ids, heartbeat comments, `X-Accel-Buffering: no`, hang-up detection through
//! the peer socket, and an `error` event when a producer stops without its final event.
//!
//! What the events carry is already filtered by the service (redaction with the
//! streaming-safe idle flush happens where the text is produced, in `service::shape`); the
//! relay only frames it. Ending the stream (client gone) drops the receiver, and producers
//! stop when their sender fails: a command is killed, an upstream request cancelled.

use std::time::Duration;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use bytes::Bytes;
use tokio::sync::mpsc;

use super::HttpSettings;
use crate::error::ApiError;

/// `error`: the server failed mid-stream (a problem; the stream ends after it).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct StreamErrorEvent {
    event: ErrorTag,
    #[serde(flatten)]
    problem: crate::error::Problem,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
enum ErrorTag {
    #[serde(rename = "error")]
    Error,
}

/// An event a streaming endpoint sends.
pub trait SseEvent: Send + 'static {
    /// The event's name and its JSON data.
    fn into_frame(self) -> (&'static str, String);
    /// Its `id:`; `None` = the relay numbers events itself from 0.
    fn event_id(&self) -> Option<String> {
        None
    }
    /// Whether the stream may end after this event (an exit, a done, an error): a channel
    /// that closes before such an event means the producer failed.
    fn is_final(&self) -> bool;
}

use super::peer::{PeerSocket, PEER_CHECK};

/// The `200 text/event-stream` response relaying `events`.
pub fn respond<E: SseEvent>(
    req: &HttpRequest,
    http: &HttpSettings,
    events: mpsc::Receiver<E>,
) -> HttpResponse {
    let relay = Relay {
        events,
        heartbeat: interval_after(Duration::from_millis(http.sse_heartbeat_ms)),
        peer: req.conn_data::<PeerSocket>().cloned(),
        peer_check: interval_after(PEER_CHECK),
        next_id: 0,
        saw_final: false,
        done: false,
    };
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/event-stream"))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(relay.into_stream())
}

fn interval_after(every: Duration) -> tokio::time::Interval {
    let mut i = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    i.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    i
}

struct Relay<E> {
    events: mpsc::Receiver<E>,
    heartbeat: tokio::time::Interval,
    peer: Option<PeerSocket>,
    peer_check: tokio::time::Interval,
    next_id: u64,
    saw_final: bool,
    done: bool,
}

impl<E: SseEvent> Relay<E> {
    fn frame(&mut self, id: Option<String>, name: &str, data: &str) -> String {
        let id = id.unwrap_or_else(|| self.next_id.to_string());
        self.next_id += 1;
        format!("id: {id}\nevent: {name}\ndata: {data}\n\n")
    }

    /// The next frame, or `None` when the stream is over (or the client is gone).
    async fn next_frame(&mut self) -> Option<String> {
        if self.done {
            return None;
        }
        loop {
            tokio::select! {
                _ = self.peer_check.tick(), if self.peer.is_some() => {
                    if self.peer.as_ref().is_some_and(PeerSocket::hung_up) {
                        return None;
                    }
                }
                ev = self.events.recv() => match ev {
                    Some(ev) => {
                        self.saw_final |= ev.is_final();
                        let id = ev.event_id();
                        let (name, data) = ev.into_frame();
                        return Some(self.frame(id, name, &data));
                    }
                    None if self.saw_final => return None,
                    None => {
                        self.done = true;
                        let cause = anyhow::anyhow!("stream ended without its final event");
                        let problem = ApiError::internal(&cause).problem();
                        let event = StreamErrorEvent {
                            event: ErrorTag::Error,
                            problem,
                        };
                        let data = serde_json::to_string(&event).unwrap_or_default();
                        return Some(self.frame(None, "error", &data));
                    }
                },
                _ = self.heartbeat.tick() => return Some(": heartbeat\n\n".to_string()),
            }
        }
    }

    fn into_stream(
        self,
    ) -> impl futures_util::Stream<Item = Result<Bytes, std::convert::Infallible>> {
        futures_util::stream::unfold(self, |mut relay| async move {
            let frame = relay.next_frame().await?;
            Some((Ok(Bytes::from(frame)), relay))
        })
    }
}
