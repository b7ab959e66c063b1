//! Requests answered with JSON the server writes itself: the outline
//! (`textDocument/documentSymbol`) and pulled diagnostics (`textDocument/diagnostic`).
//!
//! tower-lsp turns every result into a `serde_json::Value` tree before it writes it;
//! for the outline of a large draft that costs more than computing the outline. So these
//! responses are written straight into the output stream, as published diagnostics are
//! (`sync`). `DirectService` sits between tower-lsp's server loop and its service. A
//! request it takes is answered by a future that, like tower-lsp's own handlers, runs
//! when the loop first polls it, so it sees every change that arrived before it. Before
//! `initialize` and after `shutdown` every request goes on to tower-lsp, which answers
//! with the errors the protocol prescribes.

use super::backend::{guard, lock, Config};
use super::sync::DocState;
use super::{navigation, transport};
use serde_json::Value;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::task::{Context, Poll};
use tower_lsp::jsonrpc::{Id, Request, Response};
use tower_lsp::lsp_types::{DocumentDiagnosticParams, DocumentSymbolParams, Url};
use tower_lsp::ExitedError;
use tower_service::Service;

/// What the wrapper needs of the backend's state (shared with it).
#[derive(Clone)]
pub(super) struct Handle {
    pub(super) docs: Arc<Mutex<HashMap<Url, DocState>>>,
    pub(super) config: Arc<RwLock<Config>>,
    pub(super) initialized: Arc<AtomicBool>,
    pub(super) shutdown: Arc<AtomicBool>,
    pub(super) out: transport::Outbox,
}

#[derive(Clone, Copy)]
enum Method {
    DocumentSymbol,
    Diagnostic,
}

pub struct DirectService<S> {
    inner: S,
    /// None: everything goes to tower-lsp.
    handle: Option<Handle>,
}

impl<S> DirectService<S> {
    pub(super) fn new(inner: S, handle: Option<Handle>) -> Self {
        DirectService { inner, handle }
    }
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

impl<S> Service<Request> for DirectService<S>
where
    S: Service<Request, Response = Option<Response>, Error = ExitedError>,
    S::Future: Send + 'static,
{
    type Response = Option<Response>;
    type Error = ExitedError;
    type Future = BoxFuture<Result<Option<Response>, ExitedError>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), ExitedError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let method = match req.method() {
            "textDocument/documentSymbol" => Some(Method::DocumentSymbol),
            "textDocument/diagnostic" => Some(Method::Diagnostic),
            _ => None,
        };
        let handle = self
            .handle
            .as_ref()
            .filter(|h| h.initialized.load(Ordering::SeqCst) && !h.shutdown.load(Ordering::SeqCst));
        match (method, req.id().cloned(), handle) {
            (Some(method), Some(id), Some(handle)) => {
                let handle = handle.clone();
                let (_, _, params) = req.into_parts();
                Box::pin(async move {
                    handle.answer(method, id, params);
                    Ok(None)
                })
            }
            _ => Box::pin(self.inner.call(req)),
        }
    }
}

impl Handle {
    fn answer(&self, method: Method, id: Id, params: Option<Value>) {
        let started = std::time::Instant::now();
        let params = params.unwrap_or(Value::Null);
        let result = match method {
            Method::DocumentSymbol => serde_json::from_value::<DocumentSymbolParams>(params)
                .map_err(|e| e.to_string())
                .map(|p| self.document_symbols(&p.text_document.uri)),
            Method::Diagnostic => serde_json::from_value::<DocumentDiagnosticParams>(params)
                .map_err(|e| e.to_string())
                .map(|p| {
                    self.pulled_diagnostics(&p.text_document.uri, p.previous_result_id.as_deref())
                }),
        };
        let id = serde_json::to_string(&id).unwrap_or_else(|_| "null".into());
        // The result (megabytes of outline on a large draft) is copied once, into the frame.
        let frame = match result {
            Ok(Ok(json)) => transport::frame_of(&[
                br#"{"jsonrpc":"2.0","result":"#,
                json.as_bytes(),
                br#","id":"#,
                id.as_bytes(),
                b"}",
            ]),
            Ok(Err(internal)) => transport::frame(error_body(-32603, &internal, &id).as_bytes()),
            Err(invalid) => transport::frame(error_body(-32602, &invalid, &id).as_bytes()),
        };
        let _ = self.out.send(frame);
        tracing::debug!(
            "{} answered directly in {:?}",
            match method {
                Method::DocumentSymbol => "documentSymbol",
                Method::Diagnostic => "diagnostic",
            },
            started.elapsed()
        );
    }

    /// The outline as JSON (`null` for a document that is not open).
    fn document_symbols(&self, uri: &Url) -> Result<String, String> {
        let (enc, rate, hierarchical) = {
            let cfg = self.config.read().unwrap_or_else(|p| p.into_inner());
            (
                cfg.encoding,
                cfg.settings.speaking_rate,
                cfg.hierarchical_symbols,
            )
        };
        let docs = lock(&self.docs);
        let Some(state) = docs.get(uri) else {
            return Ok("null".into());
        };
        let _timing = super::backend::Timing("documentSymbol", std::time::Instant::now());
        guard("documentSymbol", || {
            navigation::document_symbols_json(state, uri, enc, rate, hierarchical)
        })
        .map_err(|e| e.message.into_owned())
    }

    /// A full or unchanged diagnostic report as JSON.
    /// The client's first pull: it pulls from now on, so the server stops publishing
    /// and clears what it published, which such clients keep apart from what they pull.
    fn switch_to_pulling(&self) {
        if self
            .config
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .client_pulled
        {
            return; // every later pull: no write lock
        }
        let mut cfg = self.config.write().unwrap_or_else(|p| p.into_inner());
        if cfg.client_pulled {
            return;
        }
        cfg.client_pulled = true;
        let uris: Vec<Url> = lock(&self.docs).keys().cloned().collect();
        for uri in uris {
            let uri = serde_json::to_string(uri.as_str()).unwrap_or_default();
            let body = format!(
                r#"{{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{{"uri":{uri},"diagnostics":[]}}}}"#
            );
            let _ = self.out.send(transport::frame(body.as_bytes()));
        }
    }

    fn pulled_diagnostics(&self, uri: &Url, previous: Option<&str>) -> Result<String, String> {
        self.switch_to_pulling();
        let (enc, settings, generation) = {
            let cfg = self.config.read().unwrap_or_else(|p| p.into_inner());
            (cfg.encoding, cfg.settings.clone(), cfg.settings_generation)
        };
        let docs = lock(&self.docs);
        let Some(state) = docs.get(uri) else {
            return Ok(r#"{"kind":"full","items":[]}"#.into());
        };
        guard("diagnostic", || {
            state.pull_report(enc, &settings, generation, previous)
        })
        .map_err(|e| e.message.into_owned())
    }
}

fn error_body(code: i64, message: &str, id: &str) -> String {
    let message = serde_json::to_string(message).unwrap_or_else(|_| "\"\"".into());
    format!(r#"{{"jsonrpc":"2.0","error":{{"code":{code},"message":{message}}},"id":{id}}}"#)
}
