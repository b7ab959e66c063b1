//! The stdio transport in front of tower-lsp.
//!
//! tower-lsp reads stdin through tokio-util's `FramedRead`, which stops for good after
//! the first frame it cannot decode (tokio-rs/tokio#3976): one malformed message would
//! end the session. The same holds for its fork tower-lsp-server. So the server reads
//! frames itself, answers a frame that is not a JSON-RPC message with the error the
//! specification prescribes (-32700 parse error, -32600 invalid request), and hands
//! only well-formed messages to tower-lsp through an in-memory pipe. It also drops a
//! `"params": null` on requests without parameters (Eglot and LSP4IJ send it for
//! `shutdown`), which tower-lsp 0.20 would refuse.
//!
//! Responses from tower-lsp and from this module share one writer task, and every
//! write carries a whole frame, so frames never interleave. The frames on their way to
//! it are counted (`Outbox`): the server holds its diagnostics back while the client
//! has not read what it was sent.

use super::parking::{ParkingLot, SyncKind};
use super::sandbox::Filtered;
use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::{json, Value};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc::{error::SendError, UnboundedReceiver, UnboundedSender};
use tokio::sync::Notify;

/// Frames with a larger declared body are refused (and their body skipped).
pub const MAX_BODY_BYTES: usize = 256 * 1024 * 1024;
/// Bodies up to this size are parsed fully so `"params": null` can be normalised.
const NORMALISE_BELOW: usize = 4096;

/// The session's output on its way to the writer: whole frames, and how many bytes of
/// them the writer has not taken yet. The writer takes a frame when the last one is
/// written, so these bytes are what the client has yet to read (less the pipe's buffer).
#[derive(Clone)]
pub struct Outbox {
    frames: UnboundedSender<Vec<u8>>,
    queued: Arc<Queued>,
}

/// The writer's end of an `Outbox`.
pub struct OutboxReceiver {
    frames: UnboundedReceiver<Vec<u8>>,
    queued: Arc<Queued>,
}

#[derive(Default)]
struct Queued {
    bytes: AtomicUsize,
    /// Woken whenever the writer takes a frame or goes away.
    taken: Notify,
}

impl Outbox {
    pub fn channel() -> (Outbox, OutboxReceiver) {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let queued = Arc::new(Queued::default());
        let outbox = Outbox {
            frames: tx,
            queued: queued.clone(),
        };
        (outbox, OutboxReceiver { frames: rx, queued })
    }

    /// Queues a frame (an empty one ends the session).
    pub fn send(&self, frame: Vec<u8>) -> Result<(), SendError<Vec<u8>>> {
        let len = frame.len();
        self.queued.bytes.fetch_add(len, Ordering::SeqCst);
        self.frames.send(frame).inspect_err(|_| {
            self.queued.bytes.fetch_sub(len, Ordering::SeqCst);
        })
    }

    /// The bytes queued that the writer has not taken.
    pub fn backlog(&self) -> usize {
        self.queued.bytes.load(Ordering::SeqCst)
    }

    /// Returns once fewer than `bytes` are queued, or the writer is gone.
    pub async fn drained_below(&self, bytes: usize) {
        loop {
            let taken = self.queued.taken.notified();
            tokio::pin!(taken);
            taken.as_mut().enable();
            if self.backlog() < bytes || self.frames.is_closed() {
                return;
            }
            taken.await;
        }
    }
}

impl OutboxReceiver {
    pub async fn recv(&mut self) -> Option<Vec<u8>> {
        let frame = self.frames.recv().await?;
        self.took(frame.len());
        Some(frame)
    }

    /// `recv` for the writer thread of stdio sessions.
    pub fn blocking_recv(&mut self) -> Option<Vec<u8>> {
        let frame = self.frames.blocking_recv()?;
        self.took(frame.len());
        Some(frame)
    }

    fn took(&self, len: usize) {
        self.queued.bytes.fetch_sub(len, Ordering::SeqCst);
        self.queued.taken.notify_waiters();
    }
}

impl Drop for OutboxReceiver {
    fn drop(&mut self) {
        // Nothing will be taken any more: wake those waiting (they see the channel closed).
        self.frames.close();
        self.queued.taken.notify_waiters();
    }
}

/// Stdin, read by a thread of its own with blocking reads. tokio's stdin hands every
/// read to its blocking pool and the result back to the task; a pipe gives at most
/// 64 KiB a read, so a 1 MB didOpen took sixteen such round trips (1 to 2 ms). The
/// thread reads on as soon as a chunk is passed on; at most `STDIN_CHUNKS` chunks of
/// at most `STDIN_CHUNK_BYTES` wait (read ahead of a server that is behind, input
/// would only add to its memory).
pub struct ThreadedStdin {
    chunks: tokio::sync::mpsc::Receiver<Vec<u8>>,
    pending: Vec<u8>,
    at: usize,
}

const STDIN_CHUNKS: usize = 8;
const STDIN_CHUNK_BYTES: usize = 64 * 1024;

impl ThreadedStdin {
    pub fn spawn() -> std::io::Result<ThreadedStdin> {
        let (tx, chunks) = tokio::sync::mpsc::channel(STDIN_CHUNKS);
        widen_stdin_pipe();
        std::thread::Builder::new()
            .name("stdin".into())
            .spawn(move || {
                use std::io::Read;
                let mut stdin = std::io::stdin().lock();
                let mut buf = vec![0u8; STDIN_CHUNK_BYTES];
                loop {
                    match stdin.read(&mut buf) {
                        Ok(0) => break,
                        Ok(n) => {
                            if tx.blocking_send(buf[..n].to_vec()).is_err() {
                                break;
                            }
                        }
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(e) => {
                            tracing::error!("reading stdin: {e}");
                            break;
                        }
                    }
                }
                // Dropping the sender ends the input (EOF).
            })?;
        Ok(ThreadedStdin {
            chunks,
            pending: Vec::new(),
            at: 0,
        })
    }
}

/// Asks Linux for a larger buffer on stdin when it is a pipe (64 KiB by default):
/// with 64 KiB, a client writing a 1 MB draft waits for this thread to empty the pipe
/// sixteen times (about 0.2 ms of a 1 MB open here). Tries 1 MiB, then smaller sizes
/// down to 256 KiB (the system's limit, `fs.pipe-max-size`, may be lower for a user);
/// when all are refused, or stdin is no pipe, it stays as it is.
fn widen_stdin_pipe() {
    #[cfg(target_os = "linux")]
    {
        extern "C" {
            fn fcntl(fd: std::ffi::c_int, cmd: std::ffi::c_int, ...) -> std::ffi::c_int;
        }
        const F_SETPIPE_SZ: std::ffi::c_int = 1031;
        for size in [1 << 20, 1 << 19, 1 << 18] {
            // SAFETY: fcntl on fd 0 with an int argument: it changes only the buffer
            // size of the pipe, or fails (fd 0 not a pipe, size over the limit).
            let got = unsafe { fcntl(0, F_SETPIPE_SZ, size as std::ffi::c_int) };
            if got >= size {
                tracing::debug!("stdin pipe buffer: {got} bytes");
                return;
            }
        }
    }
}

impl AsyncRead for ThreadedStdin {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        loop {
            let this = &mut *self;
            if this.at < this.pending.len() {
                let n = buf.remaining().min(this.pending.len() - this.at);
                buf.put_slice(&this.pending[this.at..this.at + n]);
                this.at += n;
                return Poll::Ready(Ok(()));
            }
            match this.chunks.poll_recv(cx) {
                Poll::Ready(Some(chunk)) => {
                    this.pending = chunk;
                    this.at = 0;
                }
                // EOF: nothing put in `buf`.
                Poll::Ready(None) => return Poll::Ready(Ok(())),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

/// Where tower-lsp writes: each `poll_write` sends one chunk to the writer task.
pub struct ChannelWriter(pub Outbox);

impl AsyncWrite for ChannelWriter {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        match self.0.send(buf.to_vec()) {
            Ok(()) => Poll::Ready(Ok(buf.len())),
            Err(_) => Poll::Ready(Err(std::io::ErrorKind::BrokenPipe.into())),
        }
    }
    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// A frame whose body is `parts` one after the other, in one allocation: for bodies of
/// megabytes (the findings, the outline), which are then copied once. The capacity is
/// rounded up to a power of two: every keystroke makes such a buffer as long as the
/// document's findings, and glibc's allocator serves it from its heap once one has been
/// freed; buffers of a slightly different size each time left holes that the small,
/// long-lived allocations of later edits filled, so the heap grew with every edit
/// (20,000 edits on a 1 MB draft: about 10 MiB). Buffers of a few sizes reuse each
/// other's space.
pub fn frame_of(parts: &[&[u8]]) -> Vec<u8> {
    let length: usize = parts.iter().map(|p| p.len()).sum();
    let header = format!("Content-Length: {length}\r\n\r\n");
    let mut frame = Vec::with_capacity(transient_capacity(header.len() + length));
    frame.extend_from_slice(header.as_bytes());
    for part in parts {
        frame.extend_from_slice(part);
    }
    frame
}

/// The capacity for a large buffer that lives for one message (see `frame_of`).
pub fn transient_capacity(len: usize) -> usize {
    len.checked_next_power_of_two().unwrap_or(len)
}

pub fn frame(body: &[u8]) -> Vec<u8> {
    frame_of(&[body])
}

fn error_frame(code: i64, message: &str, id: Value) -> Vec<u8> {
    let body = json!({ "jsonrpc": "2.0", "error": { "code": code, "message": message }, "id": id });
    frame(body.to_string().as_bytes())
}

/// The shape tower-lsp's `Message` accepts, checked without building the params.
#[derive(Deserialize)]
struct Probe {
    jsonrpc: String,
    #[serde(default)]
    method: Option<String>,
    #[serde(default)]
    id: Option<Value>,
    #[serde(default)]
    #[allow(dead_code)]
    params: Option<IgnoredAny>,
    #[serde(default, deserialize_with = "present")]
    result: bool,
    #[serde(default, deserialize_with = "present")]
    error: bool,
}

/// True when the field is there at all (also when it is `null`, as in `"result": null`).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    IgnoredAny::deserialize(d).map(|_| true)
}

fn valid_id(id: &Value) -> bool {
    id.is_null() || id.is_string() || id.as_i64().is_some()
}

/// What to do with one frame's body.
#[derive(Debug, PartialEq)]
pub enum Verdict {
    Forward(Vec<u8>),
    /// A `didOpen` or `didChange` notification: forwarded, or parked (`parking`).
    TextSync(Vec<u8>, SyncKind),
    /// The `exit` notification: forward it, then stop reading.
    Exit(Vec<u8>),
    Reply(Vec<u8>),
}

pub fn check_body(body: Vec<u8>) -> Verdict {
    let probe: Probe = match serde_json::from_slice(&body) {
        Ok(p) => p,
        Err(e) if e.is_syntax() || e.is_eof() => {
            return Verdict::Reply(error_frame(-32700, "Parse error", Value::Null))
        }
        Err(_) => {
            let id = serde_json::from_slice::<Value>(&body)
                .ok()
                .and_then(|v| v.get("id").cloned())
                .filter(valid_id)
                .unwrap_or(Value::Null);
            return Verdict::Reply(error_frame(-32600, "Invalid Request", id));
        }
    };
    let id_ok = probe.id.as_ref().is_none_or(valid_id);
    let is_request = probe.method.is_some();
    let is_response = !is_request && probe.id.is_some() && (probe.result || probe.error);
    if probe.jsonrpc != "2.0" || !id_ok || !(is_request || is_response) {
        let id = probe.id.filter(valid_id).unwrap_or(Value::Null);
        return Verdict::Reply(error_frame(-32600, "Invalid Request", id));
    }
    // A `$/` request the server does not implement must get MethodNotFound (tower-lsp
    // would leave it unanswered).
    if let (Some(method), Some(id)) = (probe.method.as_deref(), probe.id.as_ref()) {
        if method.starts_with("$/") {
            return Verdict::Reply(error_frame(
                -32601,
                &format!("Method not found: {method}"),
                id.clone(),
            ));
        }
    }
    if probe.method.as_deref() == Some("exit") && probe.id.is_none() {
        return Verdict::Exit(body);
    }
    if let (Some(kind), None) = (probe.method.as_deref().and_then(SyncKind::of), &probe.id) {
        return Verdict::TextSync(body, kind);
    }
    if body.len() < NORMALISE_BELOW {
        if let Ok(Value::Object(mut map)) = serde_json::from_slice::<Value>(&body) {
            if map.get("params") == Some(&Value::Null) {
                map.remove("params");
                return Verdict::Forward(Value::Object(map).to_string().into_bytes());
            }
        }
    }
    Verdict::Forward(body)
}

/// The size from which a text sync message is parked in one pass
/// (`ParkingLot::park_whole`); smaller ones cost little either way.
const WHOLE_PARK_FROM_BYTES: usize = 1 << 16;

/// Reads frames from `input` until EOF or `exit`, forwarding good ones to `server` and
/// answering bad ones through `out`. Returns when the session's input is over. A
/// sandboxed session also passes each message through `sandbox::filter`. With a
/// `parking` lot, text sync is parked there and only a stub forwarded.
pub async fn pump(
    input: impl AsyncRead + Unpin,
    mut server: impl AsyncWrite + Unpin,
    out: Outbox,
    sandboxed: bool,
    parking: Option<ParkingLot>,
) {
    let mut reader = BufReader::with_capacity(64 * 1024, input);
    loop {
        // Header block: lines up to an empty line. Lines that are not headers are
        // skipped, so the reader finds the next frame after garbage.
        let mut length: Option<usize> = None;
        let mut saw_header = false;
        let mut started = None;
        loop {
            let mut line = Vec::new();
            match reader.read_until(b'\n', &mut line).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            started.get_or_insert_with(std::time::Instant::now);
            let text = String::from_utf8_lossy(&line);
            let text = text.trim_end_matches(['\r', '\n']);
            // Garbage left by a wrong Content-Length may run into the next header.
            let text = match text.find("Content-Length") {
                Some(at) if at > 0 => {
                    tracing::warn!("skipping {at} bytes before a header");
                    &text[at..]
                }
                _ => text,
            };
            if text.is_empty() {
                if saw_header {
                    break;
                }
                continue;
            }
            if let Some((name, value)) = text.split_once(':') {
                saw_header = true;
                if name.trim().eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().ok();
                }
            } else {
                tracing::warn!(
                    "skipping bytes that are not an LSP header: {:?}",
                    &text[..text.len().min(80)]
                );
            }
        }
        let Some(length) = length else {
            tracing::warn!("frame without a valid Content-Length");
            let _ = out.send(error_frame(
                -32700,
                "Parse error: missing or invalid Content-Length",
                Value::Null,
            ));
            continue;
        };
        if length > MAX_BODY_BYTES {
            tracing::error!("frame of {length} bytes refused");
            let mut skip = (&mut reader).take(length as u64);
            if tokio::io::copy(&mut skip, &mut tokio::io::sink())
                .await
                .is_err()
            {
                return;
            }
            let _ = out.send(error_frame(
                -32600,
                "Invalid Request: message too large",
                Value::Null,
            ));
            continue;
        }
        let mut body = vec![0u8; length];
        if reader.read_exact(&mut body).await.is_err() {
            return;
        }
        if length >= 1 << 16 {
            let read = started.map(|t| t.elapsed()).unwrap_or_default();
            tracing::debug!("read a frame of {length} bytes in {read:?}");
        }
        // A large draft's didOpen or didChange is read once, envelope and all, where it
        // can be (not through the sandbox, which reads it first).
        if !sandboxed && length >= WHOLE_PARK_FROM_BYTES {
            if let Some(stub) = parking.as_ref().and_then(|lot| lot.park_whole(&body)) {
                if server.write_all(&frame(&stub)).await.is_err() {
                    return;
                }
                continue;
            }
        }
        let verdict = match check_body(body) {
            Verdict::Forward(body) if sandboxed => through_sandbox(body, Verdict::Forward),
            Verdict::TextSync(body, kind) if sandboxed => {
                through_sandbox(body, |body| Verdict::TextSync(body, kind))
            }
            verdict => Some(verdict),
        };
        let body = match verdict {
            None => continue,
            Some(Verdict::Forward(body)) => body,
            Some(Verdict::TextSync(body, kind)) => parking
                .as_ref()
                .and_then(|lot| lot.park(kind, &body))
                .unwrap_or(body),
            Some(Verdict::Exit(body)) => {
                let _ = server.write_all(&frame(&body)).await;
                return;
            }
            Some(Verdict::Reply(reply)) => {
                tracing::warn!("answered an undecodable message");
                let _ = out.send(reply);
                continue;
            }
        };
        if server.write_all(&frame(&body)).await.is_err() {
            return;
        }
    }
}

/// `body` after the sandbox: `pass` rebuilds the verdict of a message it lets through;
/// `None` for one it swallows.
fn through_sandbox(body: Vec<u8>, pass: impl FnOnce(Vec<u8>) -> Verdict) -> Option<Verdict> {
    match super::sandbox::filter(body) {
        Filtered::Forward(body) => Some(pass(body)),
        Filtered::Reply(reply) => Some(Verdict::Reply(reply)),
        Filtered::Drop => None,
    }
}

/// Splits whole frames off the front of `buf` and returns their bodies; an incomplete
/// frame stays in `buf` for the next call. For the server's own output, which is always
/// well framed; a header block without a length is dropped.
pub fn take_bodies(buf: &mut Vec<u8>) -> Vec<Vec<u8>> {
    let mut bodies = Vec::new();
    let mut at = 0;
    while let Some(end) = find(&buf[at..], b"\r\n\r\n") {
        let headers = String::from_utf8_lossy(&buf[at..at + end]);
        let length = headers.lines().find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.trim()
                .eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        });
        let start = at + end + 4;
        let Some(length) = length else {
            at = start;
            continue;
        };
        if buf.len() < start + length {
            break;
        }
        bodies.push(buf[start..start + length].to_vec());
        at = start + length;
    }
    buf.drain(..at);
    bodies
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_whole_bodies_and_keeps_the_rest() {
        let mut buf = frame(b"{\"a\":1}");
        buf.extend(frame("{\"b\":\"二\"}".as_bytes()));
        let third = frame(b"{\"c\":3}");
        buf.extend(&third[..10]);
        let bodies = take_bodies(&mut buf);
        assert_eq!(
            bodies,
            vec![b"{\"a\":1}".to_vec(), "{\"b\":\"二\"}".as_bytes().to_vec()]
        );
        assert_eq!(buf, third[..10].to_vec());
        buf.extend(&third[10..]);
        assert_eq!(take_bodies(&mut buf), vec![b"{\"c\":3}".to_vec()]);
        assert!(buf.is_empty());
    }

    fn reply_code(v: Verdict) -> i64 {
        match v {
            Verdict::Reply(f) => {
                let s = String::from_utf8(f).unwrap();
                let body = s.split("\r\n\r\n").nth(1).unwrap();
                serde_json::from_str::<Value>(body).unwrap()["error"]["code"]
                    .as_i64()
                    .unwrap()
            }
            Verdict::Forward(_) | Verdict::TextSync(..) | Verdict::Exit(_) => 0,
        }
    }

    #[test]
    fn classifies_bodies() {
        assert_eq!(reply_code(check_body(b"{not json".to_vec())), -32700);
        assert_eq!(reply_code(check_body(b"[1,2]".to_vec())), -32600);
        assert_eq!(
            reply_code(check_body(br#"{"jsonrpc":"1.0","method":"x"}"#.to_vec())),
            -32600
        );
        assert_eq!(
            reply_code(check_body(
                br#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#.to_vec()
            )),
            -32600
        );
        assert_eq!(
            reply_code(check_body(
                br#"{"jsonrpc":"2.0","id":1,"method":"x","params":{}}"#.to_vec()
            )),
            0
        );
        assert_eq!(
            reply_code(check_body(
                br#"{"jsonrpc":"2.0","id":0,"result":null}"#.to_vec()
            )),
            0
        );
        assert_eq!(
            reply_code(check_body(br#"{"jsonrpc":"2.0","id":0}"#.to_vec())),
            -32600
        );
        // Text sync notifications are told apart (`parking`); a request of that name
        // is not one.
        let open = br#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{}}"#;
        assert_eq!(
            check_body(open.to_vec()),
            Verdict::TextSync(open.to_vec(), SyncKind::Open)
        );
        let change = br#"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{}}"#;
        assert_eq!(
            check_body(change.to_vec()),
            Verdict::TextSync(change.to_vec(), SyncKind::Change)
        );
        let request = br#"{"jsonrpc":"2.0","id":1,"method":"textDocument/didOpen","params":{}}"#;
        assert_eq!(
            check_body(request.to_vec()),
            Verdict::Forward(request.to_vec())
        );
        assert_eq!(
            check_body(br#"{"jsonrpc":"2.0","id":3,"method":"shutdown","params":null}"#.to_vec()),
            Verdict::Forward(br#"{"id":3,"jsonrpc":"2.0","method":"shutdown"}"#.to_vec())
        );
    }

    /// The outbox counts what the writer has not taken, and a publisher waiting for the
    /// client to catch up wakes when the writer takes enough, or goes away.
    #[tokio::test]
    async fn outbox_counts_untaken_bytes_and_wakes_waiters() {
        let (outbox, mut writer) = Outbox::channel();
        outbox.send(vec![b'a'; 300]).unwrap();
        outbox.send(vec![b'b'; 200]).unwrap();
        assert_eq!(outbox.backlog(), 500);
        let waiter = {
            let outbox = outbox.clone();
            tokio::spawn(async move { outbox.drained_below(250).await })
        };
        tokio::task::yield_now().await;
        assert!(!waiter.is_finished(), "500 bytes are not below 250");
        assert_eq!(writer.recv().await.unwrap().len(), 300);
        assert_eq!(outbox.backlog(), 200);
        let guard = std::time::Duration::from_secs(10);
        tokio::time::timeout(guard, waiter).await.unwrap().unwrap();
        // A writer that is gone takes nothing more: the waiter returns all the same.
        outbox.send(vec![b'c'; 300]).unwrap();
        let waiter = {
            let outbox = outbox.clone();
            tokio::spawn(async move { outbox.drained_below(250).await })
        };
        tokio::task::yield_now().await;
        assert!(!waiter.is_finished());
        drop(writer);
        tokio::time::timeout(guard, waiter).await.unwrap().unwrap();
        assert!(outbox.send(vec![b'd']).is_err());
        assert_eq!(
            outbox.backlog(),
            500,
            "a frame that could not be sent is not counted"
        );
    }
}
