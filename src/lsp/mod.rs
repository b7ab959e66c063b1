//! The LSP adapter: the only module that knows tower-lsp and lsp-types.

mod backend;
mod convert;
mod direct;
mod editing;
mod navigation;
mod settings;
mod sync;
pub mod transport;
mod workspace;

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tower_lsp::{LspService, Server};

/// Serves LSP on stdin/stdout. Logs go to stderr (and `window/logMessage`). The exit
/// code is 0 when the client sent `shutdown` before `exit`, 1 otherwise.
pub fn serve() -> ExitCode {
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("jianggao: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let shutdown = Arc::new(AtomicBool::new(false));
    let flag = shutdown.clone();
    runtime.block_on(async move {
        let (out_tx, mut out_rx) = tokio::sync::mpsc::unbounded_channel::<Vec<u8>>();
        // One thread writes whole frames to stdout with blocking writes; an empty chunk
        // marks the end of the session.
        let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
        std::thread::spawn(move || {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            while let Some(chunk) = out_rx.blocking_recv() {
                if chunk.is_empty() || stdout.write_all(&chunk).and_then(|_| stdout.flush()).is_err() {
                    break;
                }
            }
            let _ = done_tx.send(());
        });
        let direct = out_tx.clone();
        let (service, socket) = LspService::build(|client| backend::Backend::new(client, flag, Some(direct)))
            .custom_method("jianggao/statistics", backend::Backend::statistics)
            .custom_method("jianggao/debugText", backend::Backend::debug_text)
            .custom_method("jianggao/debugPanic", backend::Backend::debug_panic)
            .finish();
        let (server_in, pump_out) = tokio::io::duplex(64 * 1024);
        let pump = tokio::spawn(transport::pump(tokio::io::stdin(), pump_out, out_tx.clone()));
        // The outline and pulled diagnostics are written without tower-lsp (`direct`).
        let handle = service.inner().direct_handle();
        let service = direct::DirectService::new(service, handle);
        let serve = Server::new(server_in, transport::ChannelWriter(out_tx.clone()), socket).serve(service);
        tokio::pin!(serve);
        // tower-lsp waits for every running handler before it returns, and a handler may
        // wait forever on a client that stopped answering: once the input is over
        // (EOF or `exit`), give handlers a moment, then end the session regardless.
        tokio::select! {
            _ = &mut serve => {}
            _ = pump => {
                let _ = tokio::time::timeout(std::time::Duration::from_millis(500), &mut serve).await;
            }
        }
        let _ = out_tx.send(Vec::new());
        let _ = done_rx.recv_timeout(std::time::Duration::from_secs(2));
    });
    // Background work (indexing, jieba) must not keep the process alive.
    runtime.shutdown_background();
    if shutdown.load(Ordering::SeqCst) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("JIANGGAO_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}
