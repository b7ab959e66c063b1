//! Text synchronisation and diagnostics: open, change, close, and publishing the
//! diagnostics of the version that was analysed.

use super::backend::{guard, lock, Backend, Diagnostics, DocumentParams};
use super::convert;
use crate::config::Settings;
use crate::document::{Analysis, ClientRange, Document};
use crate::text::Encoding;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tower_lsp::jsonrpc::Result;
use tower_lsp::lsp_types::*;

pub(super) struct DocState {
    pub(super) doc: Document,
    pub(super) version: i32,
    pub(super) analysis: Arc<Analysis>,
    /// Line diagnostics already converted and serialised, by line facts and line.
    json_cache: Mutex<JsonCache>,
}

/// Serialised LSP diagnostics of unchanged lines are reused: a keystroke then costs
/// work for the lines it touched, not for every diagnostic of the document.
#[derive(Default)]
struct JsonCache {
    /// Encoding, settings generation and document date the entries were made for.
    context: (u8, u64, crate::text::Date),
    /// (line findings pointer, line) → the line's diagnostics as JSON objects joined
    /// by ','
    lines: HashMap<(usize, u32), Arc<str>>,
}

impl DocState {
    pub(super) fn new(doc: Document, version: i32) -> DocState {
        let analysis = Arc::new(doc.analyze());
        DocState {
            doc,
            version,
            analysis,
            json_cache: Mutex::new(JsonCache::default()),
        }
    }

    /// The document's visible diagnostics as the body of a JSON array.
    pub(super) fn diagnostics_json(
        &self,
        enc: Encoding,
        settings: &Settings,
        generation: u64,
    ) -> String {
        let mut cache = lock(&self.json_cache);
        let context = (enc as u8, generation, self.analysis.date);
        if cache.context != context {
            cache.context = context;
            cache.lines.clear();
        }
        let rope = self.doc.rope();
        let mut cursor = crate::text::PositionCursor::new(rope, enc);
        let mut fresh = HashMap::new();
        let mut parts: Vec<Arc<str>> = Vec::new();
        let visible = |d: &crate::rules::Diagnostic| crate::rules::visible_level(d, settings);
        let date = self.analysis.date;
        for i in 0..self.doc.lines().len() {
            let found = self.doc.line_diagnostics(i);
            if found.is_empty() {
                continue;
            }
            let key = (Arc::as_ptr(found) as *const () as usize, i as u32);
            let json = cache.lines.get(&key).cloned().unwrap_or_else(|| {
                let items: Vec<String> = found
                    .iter()
                    .filter(|d| d.valid.applies(date))
                    .filter_map(|d| {
                        let level = visible(d)?;
                        let d = d.clone().on_line(i as u32);
                        serde_json::to_string(&convert::diagnostic_with(&mut cursor, &d, level))
                            .ok()
                    })
                    .collect();
                Arc::from(items.join(","))
            });
            if !json.is_empty() {
                parts.push(json.clone());
            }
            fresh.insert(key, json);
        }
        cache.lines = fresh;
        for d in &self.analysis.document_diagnostics {
            if let Some(level) = visible(d) {
                if let Ok(j) = serde_json::to_string(&convert::diagnostic(rope, d, level, enc)) {
                    parts.push(Arc::from(j));
                }
            }
        }
        parts.iter().map(|p| &**p).collect::<Vec<&str>>().join(",")
    }
}

impl Backend {
    /// Converted diagnostics of the current version (computed under the lock).
    pub(super) fn diagnostics_of(
        state: &DocState,
        enc: Encoding,
        settings: &Settings,
    ) -> Vec<Diagnostic> {
        let mut cursor = crate::text::PositionCursor::new(state.doc.rope(), enc);
        crate::rules::visible(&state.analysis.diagnostics, settings)
            .iter()
            .map(|(level, d)| convert::diagnostic_with(&mut cursor, d, *level))
            .collect()
    }

    /// Publishes diagnostics for `version` unless a newer version was analysed since.
    pub(super) async fn publish(&self, uri: Url, version: i32, diagnostics: Diagnostics) {
        let _order = self.publish.lock().await;
        let current = lock(&self.docs).get(&uri).map(|s| s.version);
        if current != Some(version) {
            return;
        }
        match (diagnostics, &self.out) {
            // Written straight into the output stream from cached per-line JSON.
            (Diagnostics::Json(items), Some(out)) => {
                let uri_json = serde_json::to_string(uri.as_str()).unwrap_or_default();
                let body = format!(
                    r#"{{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{{"uri":{uri_json},"version":{version},"diagnostics":[{items}]}}}}"#
                );
                let _ = out.send(super::transport::frame(body.as_bytes()));
            }
            (Diagnostics::List(list), _) => {
                self.client
                    .publish_diagnostics(uri, list, Some(version))
                    .await
            }
            (Diagnostics::Json(_), None) => {}
        }
    }

    pub(super) async fn analyse_and_publish(&self, uri: &Url) {
        let generation = self.cfg().settings_generation;
        let direct = self.out.is_some();
        let out = self.with_doc(uri, "diagnostics", |state, enc, settings| {
            let diags = if direct {
                Diagnostics::Json(state.diagnostics_json(enc, settings, generation))
            } else {
                Diagnostics::List(Self::diagnostics_of(state, enc, settings))
            };
            (state.version, diags)
        });
        if let Ok(Some((version, diags))) = out {
            self.publish(uri.clone(), version, diags).await;
        }
    }

    pub(super) async fn republish_all(&self) {
        let uris: Vec<Url> = lock(&self.docs).keys().cloned().collect();
        for uri in uris {
            self.analyse_and_publish(&uri).await;
        }
    }

    /// The server's copy of a document (used by tests to check synchronisation).
    pub async fn debug_text(&self, params: DocumentParams) -> Result<Option<Value>> {
        self.with_doc(
            &params.text_document.uri,
            "debugText",
            |state, _, _| json!({ "text": state.doc.text(), "version": state.version }),
        )
    }

    pub(super) async fn on_did_open(&self, params: DidOpenTextDocumentParams) {
        let uri = params.text_document.uri;
        let (kb, date) = {
            let cfg = self.cfg();
            (cfg.kb.clone(), cfg.settings.date)
        };
        let opened = guard("didOpen", || {
            let mut doc = Document::new(&params.text_document.text, kb);
            doc.set_date_setting(date);
            let state = DocState::new(doc, params.text_document.version);
            lock(&self.docs).insert(uri.clone(), state);
        });
        if opened.is_ok() {
            self.analyse_and_publish(&uri).await;
        }
    }

    pub(super) async fn on_did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        // Everything up to the publish is synchronous: edits apply in arrival order.
        let enc = self.cfg().encoding;
        let started = std::time::Instant::now();
        let outcome = guard("didChange", || {
            let mut docs = lock(&self.docs);
            let Some(state) = docs.get_mut(&uri) else {
                return Err(format!("didChange for a document that is not open: {uri}"));
            };
            if version <= state.version {
                return Err(format!(
                    "stale didChange for {uri}: version {version} after {}",
                    state.version
                ));
            }
            for change in &params.content_changes {
                let range = change.range.map(|r| ClientRange {
                    start: (r.start.line, r.start.character),
                    end: (r.end.line, r.end.character),
                });
                state.doc.apply_change(range, &change.text, enc);
            }
            state.version = version;
            state.analysis = Arc::new(state.doc.analyze());
            Ok(())
        });
        let analysed = started.elapsed();
        match outcome {
            Ok(Ok(())) => {
                self.analyse_and_publish(&uri).await;
                tracing::debug!(
                    "didChange v{version}: analysed in {analysed:?}, published after {:?}",
                    started.elapsed()
                );
            }
            Ok(Err(msg)) => self.log(MessageType::WARNING, msg).await,
            Err(_) => {
                self.log(
                    MessageType::ERROR,
                    format!("didChange failed for {uri}; the document may be out of sync"),
                )
                .await
            }
        }
    }

    pub(super) async fn on_did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        lock(&self.docs).remove(&uri);
        self.client.publish_diagnostics(uri, Vec::new(), None).await;
    }
}
