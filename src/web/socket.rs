//! `/lsp`: one WebSocket, one language server session. A text message is one JSON-RPC
//! message; the session is the same tower-lsp service editors get over stdio, sandboxed
//! so the page cannot make it read files.

use crate::lsp::{self, SessionOptions};
use axum::extract::ws::{Message, WebSocket};

/// Messages larger than this close the connection (a draft of several MB fits easily).
pub const MAX_MESSAGE_BYTES: usize = 32 * 1024 * 1024;

pub async fn run(mut socket: WebSocket) {
    // Bounded queues both ways: a client that floods waits for the server, and a page
    // that reads slowly makes the session's output wait, so that the server holds back
    // publishes of superseded versions instead of queueing them here (the server's
    // handlers never wait on output, so reading goes on).
    let (in_tx, in_rx) = tokio::sync::mpsc::channel::<Vec<u8>>(256);
    let (out_tx, mut out_rx) = tokio::sync::mpsc::channel::<Vec<u8>>(16);
    let session = tokio::spawn(lsp::serve_messages(
        in_rx,
        out_tx,
        SessionOptions { sandboxed: true },
    ));
    loop {
        tokio::select! {
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Text(text))) => {
                    if in_tx.send(text.as_bytes().to_vec()).await.is_err() {
                        break;
                    }
                }
                Some(Ok(Message::Binary(bytes))) => {
                    if in_tx.send(bytes.to_vec()).await.is_err() {
                        break;
                    }
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                Some(Ok(Message::Close(_))) | None => break,
                Some(Err(e)) => {
                    // A malformed frame ends this connection only.
                    tracing::warn!("websocket closed on a bad frame: {e}");
                    break;
                }
            },
            outgoing = out_rx.recv() => match outgoing {
                Some(body) => {
                    // The server writes UTF-8 JSON; the lossy path is never taken.
                    let text = String::from_utf8(body)
                        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
                    if socket.send(Message::Text(text.into())).await.is_err() {
                        break;
                    }
                }
                // The session ended (the client sent `exit`).
                None => break,
            },
        }
    }
    drop(in_tx);
    let _ = session.await;
    let _ = socket.send(Message::Close(None)).await;
}
