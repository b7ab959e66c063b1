//! The LSP adapter: the only module that knows tower-lsp and lsp-types.

mod backend;
mod convert;
mod direct;
mod editing;
mod navigation;
mod parking;
pub mod sandbox;
mod settings;
mod sync;
pub mod transport;
mod workspace;

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc::{Receiver, Sender};
use tower_lsp::{LspService, Server};
use transport::Outbox;

/// How a session treats its client.
#[derive(Debug, Clone, Copy, Default)]
pub struct SessionOptions {
    /// The client may not make the server read files (a web page): see `sandbox`.
    pub sandboxed: bool,
}

/// Serves LSP on stdin/stdout. Logs go to stderr (and `window/logMessage`). The exit
/// code is 0 when the client sent `shutdown` before `exit`, 1 otherwise.
pub fn serve() -> ExitCode {
    init_logging();
    let runtime = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let clean = runtime.block_on(async move {
        let (out_tx, mut out_rx) = Outbox::channel();
        // One thread writes whole frames to stdout with blocking writes; an empty chunk
        // marks the end of the session.
        let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
        std::thread::spawn(move || {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            while let Some(chunk) = out_rx.blocking_recv() {
                if chunk.is_empty()
                    || stdout
                        .write_all(&chunk)
                        .and_then(|_| stdout.flush())
                        .is_err()
                {
                    break;
                }
            }
            let _ = done_tx.send(());
        });
        let input: Box<dyn AsyncRead + Unpin + Send> = match transport::ThreadedStdin::spawn() {
            Ok(stdin) => Box::new(stdin),
            Err(e) => {
                tracing::warn!("no thread for stdin ({e}); reading it through tokio");
                Box::new(tokio::io::stdin())
            }
        };
        let clean = session(input, out_tx.clone(), SessionOptions::default()).await;
        let _ = out_tx.send(Vec::new());
        let _ = done_rx.recv_timeout(Duration::from_secs(2));
        clean
    });
    // Background work (indexing, jieba) must not keep the process alive.
    runtime.shutdown_background();
    if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// The async runtime of the language server and the web app (two workers: the cores
/// are for the analysis). On failure the message is printed and the exit code given.
pub fn runtime() -> Result<tokio::runtime::Runtime, ExitCode> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| {
            eprintln!("jianggao: 无法启动异步运行时：{e}");
            ExitCode::from(2)
        })
}

/// Runs one session of the same server over any byte stream pair carrying LSP frames
/// (`Content-Length` headers), inside the caller's tokio runtime. Returns whether the
/// client sent `shutdown` before the input ended.
pub async fn serve_stream(
    input: impl AsyncRead + Unpin + Send + 'static,
    mut output: impl AsyncWrite + Unpin + Send + 'static,
    options: SessionOptions,
) -> bool {
    let (out_tx, mut out_rx) = Outbox::channel();
    let writer = tokio::spawn(async move {
        while let Some(chunk) = out_rx.recv().await {
            if chunk.is_empty() || output.write_all(&chunk).await.is_err() {
                break;
            }
            let _ = output.flush().await;
        }
        let _ = output.shutdown().await;
    });
    let clean = session(input, out_tx.clone(), options).await;
    let _ = out_tx.send(Vec::new());
    let _ = tokio::time::timeout(Duration::from_secs(2), writer).await;
    clean
}

/// Runs one session over a message transport (a WebSocket): each item of `incoming` is
/// one JSON-RPC message without headers, and each item sent to `outgoing` is one too.
/// The session ends when `incoming` closes or the client sends `exit`. `outgoing` should
/// be bounded: while it is full, the session's output waits, and the server holds back
/// its publishes as it does for a slow editor on stdio (`transport::Outbox`).
pub async fn serve_messages(
    mut incoming: Receiver<Vec<u8>>,
    outgoing: Sender<Vec<u8>>,
    options: SessionOptions,
) -> bool {
    let (mut to_server, server_input) = tokio::io::duplex(64 * 1024);
    let (server_output, mut from_server) = tokio::io::duplex(64 * 1024);
    let feed = tokio::spawn(async move {
        while let Some(body) = incoming.recv().await {
            if to_server.write_all(&transport::frame(&body)).await.is_err() {
                break;
            }
        }
    });
    let drain = tokio::spawn(async move {
        let mut buf = Vec::new();
        let mut chunk = vec![0u8; 64 * 1024];
        while let Ok(n) = from_server.read(&mut chunk).await {
            if n == 0 {
                break;
            }
            buf.extend_from_slice(&chunk[..n]);
            for body in transport::take_bodies(&mut buf) {
                if outgoing.send(body).await.is_err() {
                    return;
                }
            }
        }
    });
    let clean = serve_stream(server_input, server_output, options).await;
    feed.abort();
    let _ = drain.await;
    clean
}

/// Bytes in flight between the framing pump and tower-lsp (only what is unread is
/// held).
const PUMP_BUFFER: usize = 4 << 20;

/// One session: the tower-lsp service behind the framing pump, with output to `out_tx`.
async fn session(
    input: impl AsyncRead + Unpin + Send + 'static,
    out_tx: Outbox,
    options: SessionOptions,
) -> bool {
    let shutdown = Arc::new(AtomicBool::new(false));
    let flag = shutdown.clone();
    let direct = out_tx.clone();
    let (service, socket) =
        LspService::build(|client| backend::Backend::new(client, flag, Some(direct)))
            .custom_method("jianggao/statistics", backend::Backend::statistics)
            .custom_method("jianggao/debugText", backend::Backend::debug_text)
            .custom_method("jianggao/debugPanic", backend::Backend::debug_panic)
            .custom_method(parking::METHOD, backend::Backend::parked)
            .finish();
    // Room for a whole large didOpen: with 64 KiB, a 1 MB draft crossed in sixteen
    // hand-overs between the pump and tower-lsp's reader (about a millisecond).
    let (server_in, pump_out) = tokio::io::duplex(PUMP_BUFFER);
    let pump = tokio::spawn(transport::pump(
        input,
        pump_out,
        out_tx.clone(),
        options.sandboxed,
        Some(service.inner().parking()),
    ));
    // The outline and pulled diagnostics are written without tower-lsp (`direct`).
    let handle = service.inner().direct_handle();
    let service = direct::DirectService::new(service, handle);
    let serve =
        Server::new(server_in, transport::ChannelWriter(out_tx.clone()), socket).serve(service);
    tokio::pin!(serve);
    // tower-lsp waits for every running handler before it returns, and a handler may
    // wait forever on a client that stopped answering: once the input is over
    // (EOF or `exit`), give handlers a moment, then end the session regardless.
    tokio::select! {
        _ = &mut serve => {}
        _ = pump => {
            let _ = tokio::time::timeout(Duration::from_millis(500), &mut serve).await;
        }
    }
    shutdown.load(Ordering::SeqCst)
}

pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("JIANGGAO_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}
