//! A minimal scripted HTTP/1.1 server on 127.0.0.1: records every request and writes scripted
//! replies part by part — bytes, a UTF-8 character split across chunks, a pause, a hang, an
//! endless trickle — so a test decides exactly where bytes split and when they arrive.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    /// The body as JSON (`null` when it is not JSON, e.g. a GET).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A piece of a chunked reply.
#[derive(Debug, Clone)]
pub enum Part {
    /// One HTTP chunk with exactly these bytes.
    Data(Vec<u8>),
    /// Wait before the next part.
    Sleep(Duration),
    /// Never send anything more.
    Hang,
    /// Send this chunk every interval until the client goes away.
    Endless(Vec<u8>, Duration),
}

/// A scripted reply.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub chunked: bool,
    pub parts: Vec<Part>,
}

impl Reply {
    pub fn json(status: u16, v: &Value) -> Reply {
        Reply::body(status, "application/json", v.to_string().as_bytes())
    }

    pub fn body(status: u16, content_type: &str, body: &[u8]) -> Reply {
        Reply {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            chunked: false,
            parts: vec![Part::Data(body.to_vec())],
        }
    }

    pub fn chunks(status: u16, content_type: &str, parts: Vec<Part>) -> Reply {
        Reply {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            chunked: true,
            parts,
        }
    }

    /// No status line at all: the server reads the request and never answers.
    pub fn hang() -> Reply {
        Reply {
            status: 0,
            headers: vec![],
            chunked: false,
            parts: vec![Part::Hang],
        }
    }

    pub fn with_header(mut self, k: &str, v: &str) -> Reply {
        self.headers.push((k.into(), v.into()));
        self
    }
}

/// Splits text into chunk parts at the given byte offsets (which may fall inside a UTF-8
/// character).
pub fn split_at_bytes(text: &str, cuts: &[usize]) -> Vec<Part> {
    let bytes = text.as_bytes();
    let mut parts = Vec::new();
    let mut last = 0;
    for &c in cuts {
        parts.push(Part::Data(bytes[last..c].to_vec()));
        last = c;
    }
    parts.push(Part::Data(bytes[last..].to_vec()));
    parts
}

type Handler = Arc<dyn Fn(&Recorded, usize) -> Reply + Send + Sync>;

/// The running server.
pub struct FakeServer {
    pub addr: std::net::SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
    disconnects: Arc<AtomicUsize>,
    disconnected: Arc<Notify>,
}

impl FakeServer {
    /// Starts a server answering with `handler(request, index_of_request)`.
    pub async fn start(
        handler: impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static,
    ) -> FakeServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let addr = listener.local_addr().expect("a bound address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let disconnects = Arc::new(AtomicUsize::new(0));
        let disconnected = Arc::new(Notify::new());
        let handler: Handler = Arc::new(handler);
        let (r, d, n) = (requests.clone(), disconnects.clone(), disconnected.clone());
        tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                let (h, r, d, n) = (handler.clone(), r.clone(), d.clone(), n.clone());
                tokio::spawn(async move { serve(sock, h, r, d, n).await });
            }
        });
        FakeServer {
            addr,
            requests,
            disconnects,
            disconnected,
        }
    }

    /// Starts a server answering with `handler(request)`.
    pub async fn answering(
        handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static,
    ) -> FakeServer {
        FakeServer::start(move |req, _| handler(req)).await
    }

    /// Answers every request with the same reply.
    pub async fn always(reply: Reply) -> FakeServer {
        FakeServer::start(move |_, _| reply.clone()).await
    }

    /// Answers the n-th request with the n-th reply (the last one repeats).
    pub async fn sequence(replies: Vec<Reply>) -> FakeServer {
        FakeServer::start(move |_, i| replies[i.min(replies.len() - 1)].clone()).await
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// Requests to one path.
    pub fn requests_to(&self, path: &str) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.path == path)
            .collect()
    }

    /// How many times an endless reply saw its client go away.
    pub fn disconnects(&self) -> usize {
        self.disconnects.load(Ordering::SeqCst)
    }

    /// Waits until an endless reply sees its client go away.
    pub async fn wait_disconnect(&self, within: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            if self.disconnects() > 0 {
                return true;
            }
            let notified = self.disconnected.notified();
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return self.disconnects() > 0;
            }
        }
    }
}

async fn read_request(sock: &mut TcpStream, buf: &mut Vec<u8>) -> Option<Recorded> {
    let head_end = loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos;
        }
        let mut tmp = [0u8; 4096];
        let n = sock.read(&mut tmp).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&tmp[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let path = first.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let body_start = head_end + 4;
    while buf.len() < body_start + len {
        let mut tmp = [0u8; 4096];
        let n = sock.read(&mut tmp).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&tmp[..n]);
    }
    let body = buf[body_start..body_start + len].to_vec();
    buf.drain(..body_start + len);
    Some(Recorded {
        method,
        path,
        headers,
        body,
    })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

async fn serve(
    mut sock: TcpStream,
    handler: Handler,
    requests: Arc<Mutex<Vec<Recorded>>>,
    disconnects: Arc<AtomicUsize>,
    disconnected: Arc<Notify>,
) {
    let mut buf = Vec::new();
    while let Some(req) = read_request(&mut sock, &mut buf).await {
        let index = match requests.lock() {
            Ok(mut all) => {
                all.push(req.clone());
                all.len() - 1
            }
            Err(_) => return,
        };
        let reply = handler(&req, index);
        if reply.status == 0 {
            tokio::time::sleep(Duration::from_secs(600)).await;
            return;
        }
        let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
        for (k, v) in &reply.headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        if reply.chunked {
            head.push_str("transfer-encoding: chunked\r\n\r\n");
        } else {
            let len: usize = reply
                .parts
                .iter()
                .map(|p| match p {
                    Part::Data(d) => d.len(),
                    _ => 0,
                })
                .sum();
            head.push_str(&format!("content-length: {len}\r\n\r\n"));
        }
        if sock.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        for part in &reply.parts {
            match part {
                Part::Data(d) => {
                    let ok = if reply.chunked {
                        write_chunk(&mut sock, d).await
                    } else {
                        sock.write_all(d).await.is_ok()
                    };
                    if !ok {
                        return;
                    }
                    let _ = sock.flush().await;
                    // Let each chunk leave on its own, so the client really sees the split.
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                Part::Sleep(t) => tokio::time::sleep(*t).await,
                Part::Hang => {
                    tokio::time::sleep(Duration::from_secs(600)).await;
                    return;
                }
                Part::Endless(d, every) => loop {
                    let mut tmp = [0u8; 1024];
                    tokio::select! {
                        r = sock.read(&mut tmp) => {
                            if matches!(r, Ok(0) | Err(_)) {
                                disconnects.fetch_add(1, Ordering::SeqCst);
                                disconnected.notify_waiters();
                                return;
                            }
                        }
                        _ = tokio::time::sleep(*every) => {
                            if !write_chunk(&mut sock, d).await {
                                disconnects.fetch_add(1, Ordering::SeqCst);
                                disconnected.notify_waiters();
                                return;
                            }
                        }
                    }
                },
            }
        }
        if reply.chunked && sock.write_all(b"0\r\n\r\n").await.is_err() {
            return;
        }
    }
}

async fn write_chunk(sock: &mut TcpStream, data: &[u8]) -> bool {
    if data.is_empty() {
        return true;
    }
    let mut out = format!("{:x}\r\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\r\n");
    sock.write_all(&out).await.is_ok() && sock.flush().await.is_ok()
}
