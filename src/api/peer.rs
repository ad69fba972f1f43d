//! Noticing that a client hung up: actix notices a disconnect only when it writes, and a
//! request that waits (for a slot, for a quiet command, for a job) writes nothing for
//! minutes. A duplicate of the connection's socket is kept per connection and polled.

use std::sync::Arc;
use std::time::Duration;

use actix_web::HttpRequest;
use tokio_util::sync::CancellationToken;

/// How often a waiting request checks whether its client is still there.
pub(super) const PEER_CHECK: Duration = Duration::from_millis(200);

/// A duplicate of the connection's socket, used only to notice that the client hung up: actix
/// notices a disconnect only when it writes, and a quiet command writes nothing for minutes.
#[derive(Clone)]
pub struct PeerSocket(Arc<std::os::fd::OwnedFd>);

/// `HttpServer::on_connect` hook: keep a [`PeerSocket`] in the connection's data.
pub fn remember_peer_socket(conn: &dyn std::any::Any, data: &mut actix_web::dev::Extensions) {
    use std::os::fd::AsFd;
    if let Some(tcp) = conn.downcast_ref::<actix_web::rt::net::TcpStream>() {
        if let Ok(fd) = tcp.as_fd().try_clone_to_owned() {
            data.insert(PeerSocket(Arc::new(fd)));
        }
    }
}

impl PeerSocket {
    /// Whether the peer closed or reset the connection (non-blocking, consumes nothing).
    pub(super) fn hung_up(&self) -> bool {
        use std::os::fd::AsRawFd;
        let mut pfd = libc::pollfd {
            fd: self.0.as_raw_fd(),
            events: libc::POLLRDHUP,
            revents: 0,
        };
        // SAFETY: one valid pollfd, zero timeout.
        let n = unsafe { libc::poll(&mut pfd, 1, 0) };
        n > 0 && pfd.revents & (libc::POLLRDHUP | libc::POLLHUP | libc::POLLERR) != 0
    }
}

/// Cancelled when the request's client hangs up (or when the guard is dropped: the handler
/// is gone too). Without a known socket (another transport) it never fires.
pub(super) fn hangup(req: &HttpRequest) -> (CancellationToken, tokio_util::sync::DropGuard) {
    let gone = CancellationToken::new();
    let guard = gone.clone().drop_guard();
    if let Some(peer) = req.conn_data::<PeerSocket>().cloned() {
        let token = gone.clone();
        actix_web::rt::spawn(async move {
            let mut every = tokio::time::interval(PEER_CHECK);
            loop {
                tokio::select! {
                    _ = every.tick() => {
                        if peer.hung_up() {
                            token.cancel();
                            return;
                        }
                    }
                    _ = token.cancelled() => return,
                }
            }
        });
    }
    (gone, guard)
}
