//! The language server: document sync and request handlers over the core.
//!
//! tower-lsp runs handlers concurrently, so every handler that mutates text does so
//! synchronously, under a `std::sync::Mutex`, before its first `.await`; diagnostics
//! are published for the version that was analysed, and a publish for a version that
//! is no longer current is dropped. Analysis runs inside `guard`, which turns a panic
//! into an error response and a log line.

use super::convert;
use super::workspace::WorkspaceIndex;
use crate::analysis::{stats, Analysis, NodeKind};
use crate::config::Settings;
use crate::document::{ClientRange, Document};
use crate::features::{self, completion, FormulaRef};
use crate::knowledge::glossary::{self, Glossary};
use crate::knowledge::Knowledge;
use crate::rules::Edit;
use crate::text::{Encoding, Pos, Span};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use tower_lsp::jsonrpc::{Error, Result};
use tower_lsp::lsp_types::*;
use tower_lsp::{Client, LanguageServer};

pub const FIX_ALL_KIND: &str = "source.fixAll.jianggao";
pub const RENUMBER_KIND: &str = "refactor.rewrite.jianggao.renumber";
pub const STATISTICS_COMMAND: &str = "jianggao.statistics";
pub const APPLY_EDIT_COMMAND: &str = "jianggao.applyEdit";

struct DocState {
    doc: Document,
    version: i32,
    analysis: Arc<Analysis>,
    /// Line diagnostics already converted and serialised, by line facts and line.
    json_cache: Mutex<JsonCache>,
}

/// Serialised LSP diagnostics of unchanged lines are reused: a keystroke then costs
/// work for the lines it touched, not for every diagnostic of the document.
#[derive(Default)]
struct JsonCache {
    /// Encoding, settings generation and document date the entries were made for.
    context: (u8, u64, Option<u32>),
    /// (line facts pointer, line) → the line's diagnostics as JSON objects joined by ','
    lines: HashMap<(usize, u32), Arc<str>>,
}

impl DocState {
    fn new(doc: Document, version: i32) -> DocState {
        let analysis = Arc::new(doc.analyze());
        DocState {
            doc,
            version,
            analysis,
            json_cache: Mutex::new(JsonCache::default()),
        }
    }

    /// The document's visible diagnostics as the body of a JSON array.
    fn diagnostics_json(&self, enc: Encoding, settings: &Settings, generation: u64) -> String {
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
        let visible = |d: &crate::rules::Diagnostic| crate::cli::visible_level(d, settings);
        for (i, facts) in self.doc.lines().iter().enumerate() {
            if facts.diagnostics.is_empty() {
                continue;
            }
            let key = (Arc::as_ptr(facts) as usize, i as u32);
            let json = cache.lines.get(&key).cloned().unwrap_or_else(|| {
                let items: Vec<String> = facts
                    .diagnostics
                    .iter()
                    .filter(|d| self.analysis.applies(d))
                    .filter_map(|d| {
                        let level = visible(d)?;
                        let mut d = d.clone();
                        d.span = d.span.with_line(i as u32);
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

/// Server-wide state set at initialize and by configuration.
struct Config {
    encoding: Encoding,
    settings: Settings,
    /// Settings from the editor (JSON), re-applied over the glossary's.
    editor_settings: Value,
    kb: Arc<Knowledge>,
    root: Option<PathBuf>,
    glossary_path: Option<PathBuf>,
    /// The glossary as last loaded (None: no file), whether it was, and its error.
    glossary_text: Option<String>,
    glossary_loaded: bool,
    glossary_error: Option<String>,
    snippets: bool,
    pull_configuration: bool,
    watch_registration: bool,
    work_done_progress: bool,
    hierarchical_symbols: bool,
    hover_markdown: bool,
    completion_markdown: bool,
    code_action_literals: bool,
    /// Bumped whenever `settings` change (invalidates cached diagnostics).
    settings_generation: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            encoding: Encoding::Utf16,
            settings: Settings::default(),
            editor_settings: Value::Null,
            kb: Knowledge::builtin(),
            root: None,
            glossary_path: None,
            glossary_text: None,
            glossary_loaded: false,
            glossary_error: None,
            snippets: false,
            pull_configuration: false,
            watch_registration: false,
            work_done_progress: false,
            hierarchical_symbols: true,
            hover_markdown: false,
            completion_markdown: false,
            code_action_literals: false,
            settings_generation: 0,
        }
    }
}

/// Diagnostics ready to publish: serialised (direct output) or as protocol values.
enum Diagnostics {
    Json(String),
    List(Vec<Diagnostic>),
}

pub struct Backend {
    client: Client,
    /// The output stream, for notifications the server serialises itself.
    out: Option<tokio::sync::mpsc::UnboundedSender<Vec<u8>>>,
    docs: Mutex<HashMap<Url, DocState>>,
    config: RwLock<Config>,
    shutdown: Arc<AtomicBool>,
    publish: tokio::sync::Mutex<()>,
    index: Arc<WorkspaceIndex>,
}

/// Runs analysis code, turning a panic into an internal error (the server stays up).
fn guard<T>(what: &str, f: impl FnOnce() -> T) -> Result<T> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|panic| {
        let msg = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        tracing::error!("panic in {what}: {msg}");
        let mut e = Error::internal_error();
        e.message = format!("internal error in {what}: {msg}").into();
        e
    })
}

/// Logs how long a handler took (at debug level) when dropped.
struct Timing(&'static str, std::time::Instant);

impl Drop for Timing {
    fn drop(&mut self) {
        tracing::debug!("{} in {:?}", self.0, self.1.elapsed());
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentParams {
    pub text_document: TextDocumentIdentifier,
}

impl Backend {
    pub fn new(
        client: Client,
        shutdown: Arc<AtomicBool>,
        out: Option<tokio::sync::mpsc::UnboundedSender<Vec<u8>>>,
    ) -> Backend {
        Backend {
            client,
            out,
            docs: Mutex::new(HashMap::new()),
            config: RwLock::new(Config::default()),
            shutdown,
            publish: tokio::sync::Mutex::new(()),
            index: Arc::new(WorkspaceIndex::default()),
        }
    }

    fn cfg(&self) -> std::sync::RwLockReadGuard<'_, Config> {
        self.config.read().unwrap_or_else(|p| p.into_inner())
    }

    fn cfg_mut(&self) -> std::sync::RwLockWriteGuard<'_, Config> {
        self.config.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` on an open document and its current analysis.
    fn with_doc<T>(
        &self,
        uri: &Url,
        what: &str,
        f: impl FnOnce(&DocState, Encoding, &Settings) -> T,
    ) -> Result<Option<T>> {
        let docs = lock(&self.docs);
        let Some(state) = docs.get(uri) else {
            tracing::debug!("{what}: unknown document {uri}");
            return Ok(None);
        };
        let cfg = self.cfg();
        let (enc, settings) = (cfg.encoding, cfg.settings.clone());
        drop(cfg);
        guard(what, || f(state, enc, &settings)).map(Some)
    }

    /// Converted diagnostics of the current version (computed under the lock).
    fn diagnostics_of(state: &DocState, enc: Encoding, settings: &Settings) -> Vec<Diagnostic> {
        let mut cursor = crate::text::PositionCursor::new(state.doc.rope(), enc);
        crate::cli::visible(&state.analysis, settings)
            .iter()
            .map(|(level, d)| convert::diagnostic_with(&mut cursor, d, *level))
            .collect()
    }

    /// Publishes diagnostics for `version` unless a newer version was analysed since.
    async fn publish(&self, uri: Url, version: i32, diagnostics: Diagnostics) {
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

    async fn analyse_and_publish(&self, uri: &Url) {
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

    async fn republish_all(&self) {
        let uris: Vec<Url> = lock(&self.docs).keys().cloned().collect();
        for uri in uris {
            self.analyse_and_publish(&uri).await;
        }
    }

    async fn log(&self, typ: MessageType, msg: impl Into<String>) {
        let msg = msg.into();
        match typ {
            MessageType::ERROR => tracing::error!("{msg}"),
            MessageType::WARNING => tracing::warn!("{msg}"),
            _ => tracing::info!("{msg}"),
        }
        self.client.log_message(typ, msg).await;
    }

    /// Reads the glossary and installs its knowledge and settings (no messages: the
    /// asynchronous reload reports problems).
    fn load_glossary_now(&self) {
        let path = self.cfg().glossary_path.clone();
        let Some(path) = path else { return };
        let (text, parsed) = Glossary::read(&path);
        let Ok(glossary) = parsed else { return }; // reported by the reload in `initialized`
        let mut cfg = self.cfg_mut();
        cfg.kb = Knowledge::with_glossary(&glossary);
        cfg.settings = settings_from(&glossary, &cfg.editor_settings).0;
        cfg.settings_generation += 1;
        cfg.glossary_text = text;
        cfg.glossary_loaded = true;
    }

    /// Loads the glossary, rebuilds the knowledge, re-analyses open documents.
    async fn reload_glossary(&self) {
        let (path, enc) = {
            let cfg = self.cfg();
            (cfg.glossary_path.clone(), cfg.encoding)
        };
        let (text, parsed) = match &path {
            Some(p) => Glossary::read(p),
            None => (None, Ok(Glossary::default())),
        };
        let (glossary, error) = match parsed {
            Ok(g) => (g, None),
            Err(e) => (Glossary::default(), Some(e)),
        };
        let (settings, problems) = settings_from(&glossary, &self.cfg().editor_settings);
        if !problems.is_empty() {
            tracing::warn!("settings: {}", problems.join("; "));
        }
        let error_text = error.as_ref().map(|e| e.to_string());
        // Nothing changed (same file, same settings, same error): no re-analysis.
        let unchanged = {
            let cfg = self.cfg();
            cfg.glossary_loaded
                && cfg.glossary_text == text
                && cfg.settings == settings
                && cfg.glossary_error == error_text
        };
        if unchanged {
            return;
        }
        let kb = Knowledge::with_glossary(&glossary);
        let had_error = {
            let mut cfg = self.cfg_mut();
            cfg.kb = kb.clone();
            cfg.settings = settings;
            cfg.settings_generation += 1;
            cfg.glossary_text = text.clone();
            cfg.glossary_loaded = true;
            std::mem::replace(&mut cfg.glossary_error, error_text).is_some()
        };
        let result = guard("glossary reload", || {
            let mut docs = lock(&self.docs);
            for state in docs.values_mut() {
                state.doc.set_knowledge(kb.clone());
                state.analysis = Arc::new(state.doc.analyze());
            }
        });
        if result.is_err() {
            return;
        }
        let uri = path.as_deref().and_then(|p| Url::from_file_path(p).ok());
        match (&error, uri) {
            (Some(e), Some(uri)) => {
                let rope = ropey::Rope::from_str(text.as_deref().unwrap_or(""));
                let at = crate::text::Pos::new(e.line, e.col);
                let start = convert::to_position(&rope, at, enc);
                let end =
                    convert::to_position(&rope, crate::text::Pos::new(e.line, e.col + 1), enc);
                let diag = Diagnostic {
                    range: Range::new(start, end),
                    severity: Some(DiagnosticSeverity::ERROR),
                    code: Some(NumberOrString::String("glossary-invalid".into())),
                    source: Some("jianggao".into()),
                    message: e.message.clone(),
                    ..Default::default()
                };
                self.client.publish_diagnostics(uri, vec![diag], None).await;
            }
            // Clear an earlier error once the file is right again.
            (None, Some(uri)) if had_error => {
                self.client.publish_diagnostics(uri, Vec::new(), None).await
            }
            _ => {}
        }
        match error {
            Some(e) => {
                self.client
                    .show_message(
                        MessageType::ERROR,
                        format!("jianggao.toml 有误，已忽略其中的词条和设置：{e}"),
                    )
                    .await;
                self.log(MessageType::ERROR, format!("glossary: {e}")).await;
            }
            None => {
                let n = kb.formulas.len();
                let from = path
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| "none".into());
                self.log(
                    MessageType::INFO,
                    format!("knowledge: {n} formulas (glossary: {from})"),
                )
                .await;
            }
        }
        self.republish_all().await;
    }

    /// Pulls `jianggao` settings from the client (when it supports it).
    async fn pull_configuration(&self) {
        if !self.cfg().pull_configuration {
            return;
        }
        let item = ConfigurationItem {
            scope_uri: None,
            section: Some("jianggao".into()),
        };
        match self.client.configuration(vec![item]).await {
            Ok(values) => {
                let value = values.into_iter().next().unwrap_or(Value::Null);
                self.apply_editor_settings(value).await;
            }
            Err(e) => tracing::warn!("workspace/configuration failed: {e}"),
        }
    }

    async fn apply_editor_settings(&self, value: Value) {
        // Accept both the flat section and a wrapper { "jianggao": { … } }.
        let value = match value.get("jianggao") {
            Some(inner) => inner.clone(),
            None => value,
        };
        let mut probe = Settings::default();
        let problems = probe.apply_json(&value);
        for p in &problems {
            self.log(MessageType::WARNING, p.clone()).await;
        }
        {
            let mut cfg = self.cfg_mut();
            cfg.editor_settings = value;
            if let Some(p) = probe.glossary_path {
                let p = PathBuf::from(p);
                let root = cfg.root.clone().unwrap_or_default();
                cfg.glossary_path = Some(if p.is_relative() { root.join(p) } else { p });
            }
        }
        self.reload_glossary().await;
    }

    fn is_glossary(&self, uri: &Url) -> bool {
        let cfg = self.cfg();
        match (uri.to_file_path().ok(), &cfg.glossary_path) {
            (Some(p), Some(g)) => &p == g,
            (Some(p), None) => p.file_name().is_some_and(|n| n == glossary::FILE_NAME),
            _ => false,
        }
    }

    // ----- custom requests -----

    pub async fn statistics(&self, params: DocumentParams) -> Result<Option<Value>> {
        self.with_doc(&params.text_document.uri, "statistics", |state, _, settings| {
            let rate = settings.speaking_rate;
            let a = &state.analysis;
            let sections: Vec<Value> = a
                .outline
                .roots
                .iter()
                .map(|&n| {
                    let node = &a.outline.nodes[n];
                    json!({ "name": node.name, "chars": node.chars, "minutes": stats::minutes(node.chars, rate), "line": node.marker.start.line })
                })
                .collect();
            let words: Vec<Value> = features::words::get()
                .map(|j| features::words::top_words(j, &state.doc.text(), 20))
                .unwrap_or_default()
                .into_iter()
                .map(|(w, n)| json!([w, n]))
                .collect();
            json!({ "chars": a.total_chars, "minutes": stats::minutes(a.total_chars, rate), "rate": rate, "sections": sections, "words": words })
        })
    }

    /// The server's copy of a document (used by tests to check synchronisation).
    pub async fn debug_text(&self, params: DocumentParams) -> Result<Option<Value>> {
        self.with_doc(
            &params.text_document.uri,
            "debugText",
            |state, _, _| json!({ "text": state.doc.text(), "version": state.version }),
        )
    }

    /// Panics inside a handler; only with JIANGGAO_TEST_HOOKS=1 (tests of panic isolation).
    pub async fn debug_panic(&self, _params: Value) -> Result<Value> {
        if std::env::var_os("JIANGGAO_TEST_HOOKS").is_none() {
            return Err(Error::method_not_found());
        }
        guard("debugPanic", || -> Value { panic!("test hook panic") })
    }

    fn code_actions(
        state: &DocState,
        uri: &Url,
        range: Span,
        only: Option<&Vec<CodeActionKind>>,
        enc: Encoding,
        settings: &Settings,
    ) -> Vec<CodeActionOrCommand> {
        let wants =
            |kind: &str| only.is_none_or(|o| o.iter().any(|k| kind.starts_with(k.as_str())));
        let rope = state.doc.rope();
        let visible = crate::cli::visible(&state.analysis, settings);
        let mut out = Vec::new();
        if wants("quickfix") {
            for (level, d) in visible
                .iter()
                .filter(|(_, d)| d.span.start <= range.end && range.start <= d.span.end)
            {
                for fix in &d.fixes {
                    out.push(CodeActionOrCommand::CodeAction(CodeAction {
                        title: fix.title.clone(),
                        kind: Some(CodeActionKind::QUICKFIX),
                        diagnostics: Some(vec![convert::diagnostic(rope, d, *level, enc)]),
                        edit: Some(convert::workspace_edit(rope, uri, &fix.edits, enc)),
                        is_preferred: Some(fix.certain),
                        ..Default::default()
                    }));
                }
            }
        }
        if wants(FIX_ALL_KIND) {
            let edits: Vec<Edit> = visible
                .iter()
                .filter_map(|(_, d)| d.fixes.iter().find(|f| f.certain))
                .flat_map(|f| f.edits.clone())
                .collect();
            if !edits.is_empty() {
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("修正全部确定的问题（{} 处）", edits.len()),
                    kind: Some(CodeActionKind::new(FIX_ALL_KIND)),
                    edit: Some(convert::workspace_edit(rope, uri, &edits, enc)),
                    ..Default::default()
                }));
            }
        }
        if wants(RENUMBER_KIND) {
            let outline = &state.analysis.outline;
            if let Some(node) = outline
                .innermost_at(range.start)
                .filter(|&n| !outline.nodes[n].is_heading())
            {
                let list = outline.list_with_mixed(node);
                let edits = outline.renumber_edits(list[0], 1);
                if !edits.is_empty() {
                    out.push(CodeActionOrCommand::CodeAction(CodeAction {
                        title: format!("重新编号本组序号（{} 项）", list.len()),
                        kind: Some(CodeActionKind::new(RENUMBER_KIND)),
                        edit: Some(convert::workspace_edit(rope, uri, &edits, enc)),
                        ..Default::default()
                    }));
                }
            }
        }
        out
    }
}

/// Settings from defaults, then the glossary, then the editor's settings (with the
/// complaints about editor fields that were ignored).
fn settings_from(glossary: &Glossary, editor: &Value) -> (Settings, Vec<String>) {
    let mut settings = Settings::default();
    settings.apply_glossary(glossary);
    let problems = settings.apply_json(editor);
    (settings, problems)
}

/// Markdown for clients that render it, plain text for the others.
fn markup(md: String, markdown: bool) -> MarkupContent {
    if markdown {
        MarkupContent {
            kind: MarkupKind::Markdown,
            value: md,
        }
    } else {
        MarkupContent {
            kind: MarkupKind::PlainText,
            value: features::markdown_to_plain(&md),
        }
    }
}

fn symbol_kind(kind: NodeKind) -> SymbolKind {
    match kind {
        NodeKind::Heading { .. } => SymbolKind::NAMESPACE,
        NodeKind::Point { inline: false, .. } => SymbolKind::STRUCT,
        NodeKind::Point { inline: true, .. } => SymbolKind::FIELD,
    }
}

#[allow(deprecated)] // DocumentSymbol::deprecated is a required field in lsp-types
fn document_symbols(state: &DocState, enc: Encoding, rate: f64) -> Vec<DocumentSymbol> {
    let a = &state.analysis;
    let rope = state.doc.rope();
    fn build(
        a: &Analysis,
        rope: &ropey::Rope,
        nodes: &[usize],
        enc: Encoding,
        rate: f64,
    ) -> Vec<DocumentSymbol> {
        nodes
            .iter()
            .map(|&n| {
                let node = &a.outline.nodes[n];
                let range = convert::to_range(rope, node.range, enc);
                let mut selection = convert::to_range(rope, node.headline, enc);
                // selectionRange must be contained in range.
                if selection.end > range.end {
                    selection.end = range.end;
                }
                DocumentSymbol {
                    name: if node.name.is_empty() {
                        "（空）".into()
                    } else {
                        node.name.clone()
                    },
                    detail: Some(stats::describe(node.chars, rate)),
                    kind: symbol_kind(node.kind),
                    tags: None,
                    deprecated: None,
                    range,
                    selection_range: selection,
                    children: Some(build(a, rope, &node.children, enc, rate)),
                }
            })
            .collect()
    }
    build(a, rope, &a.outline.roots, enc, rate)
}

#[allow(deprecated)]
fn flat_symbols(state: &DocState, uri: &Url, enc: Encoding) -> Vec<SymbolInformation> {
    let a = &state.analysis;
    a.outline
        .nodes
        .iter()
        .map(|node| SymbolInformation {
            name: node.name.clone(),
            kind: symbol_kind(node.kind),
            tags: None,
            deprecated: None,
            location: Location {
                uri: uri.clone(),
                range: convert::to_range(state.doc.rope(), node.range, enc),
            },
            container_name: node.parent.map(|p| a.outline.nodes[p].name.clone()),
        })
        .collect()
}

pub const TOKEN_TYPES: [SemanticTokenType; 3] = [
    SemanticTokenType::KEYWORD,
    SemanticTokenType::MACRO,
    SemanticTokenType::ENUM_MEMBER,
];
pub const TOKEN_MODIFIERS: [SemanticTokenModifier; 3] = [
    SemanticTokenModifier::DEFAULT_LIBRARY,
    SemanticTokenModifier::DEPRECATED,
    SemanticTokenModifier::DEFINITION,
];

fn semantic_tokens(state: &DocState, enc: Encoding) -> Vec<SemanticToken> {
    let doc = &state.doc;
    let a = &state.analysis;
    // (line, start col, end col, type, modifiers)
    let mut raw: Vec<(u32, u32, u32, u32, u32)> = Vec::new();
    for node in a.outline.nodes.iter().filter(|n| !n.is_heading()) {
        raw.push((
            node.marker.start.line,
            node.marker.start.col,
            node.marker.end.col,
            0,
            0,
        ));
    }
    for (i, facts) in doc.lines().iter().enumerate() {
        for h in &facts.terms {
            let f = doc.knowledge().formula(h.entry);
            let mut mods = 0;
            if matches!(f.provenance, crate::knowledge::Provenance::Builtin) {
                mods |= 1;
            }
            if f.status == crate::knowledge::Status::Superseded {
                mods |= 2;
            }
            raw.push((i as u32, h.start, h.end, 1, mods));
        }
    }
    for l in &a.learned {
        for span in features::occurrences(doc, a, &FormulaRef::Learned(l.term.clone())) {
            let mods = if span == l.span { 4 } else { 0 };
            raw.push((span.start.line, span.start.col, span.end.col, 2, mods));
        }
    }
    raw.sort();
    let mut out = Vec::new();
    let (mut prev_line, mut prev_start) = (0u32, 0u32);
    let mut last_end: Option<(u32, u32)> = None;
    for (line, s, e, typ, mods) in raw {
        if last_end.is_some_and(|(l, end)| l == line && s < end) {
            continue; // no overlapping tokens
        }
        let start = convert::to_position(doc.rope(), Pos::new(line, s), enc);
        let end = convert::to_position(doc.rope(), Pos::new(line, e), enc);
        let delta_line = line - prev_line;
        let delta_start = if delta_line == 0 {
            start.character - prev_start
        } else {
            start.character
        };
        out.push(SemanticToken {
            delta_line,
            delta_start,
            length: end.character - start.character,
            token_type: typ,
            token_modifiers_bitset: mods,
        });
        prev_line = line;
        prev_start = start.character;
        last_end = Some((line, e));
    }
    out
}

#[tower_lsp::async_trait]
impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let caps = &params.capabilities;
        let encoding = convert::negotiate(
            caps.general
                .as_ref()
                .and_then(|g| g.position_encodings.as_deref()),
        );
        let root = params
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first())
            .and_then(|f| f.uri.to_file_path().ok())
            .or_else(|| {
                #[allow(deprecated)]
                params.root_uri.as_ref().and_then(|u| u.to_file_path().ok())
            });
        {
            let mut cfg = self.cfg_mut();
            cfg.encoding = encoding;
            cfg.root = root.clone();
            cfg.glossary_path = root.as_ref().map(|r| r.join(glossary::FILE_NAME));
            let td = caps.text_document.as_ref();
            cfg.snippets = td
                .and_then(|t| t.completion.as_ref())
                .and_then(|c| c.completion_item.as_ref())
                .and_then(|i| i.snippet_support)
                .unwrap_or(false);
            cfg.hierarchical_symbols = td
                .and_then(|t| t.document_symbol.as_ref())
                .and_then(|d| d.hierarchical_document_symbol_support)
                .unwrap_or(false);
            let markdown = |formats: Option<&Vec<MarkupKind>>| {
                formats.is_some_and(|f| f.contains(&MarkupKind::Markdown))
            };
            cfg.hover_markdown = markdown(
                td.and_then(|t| t.hover.as_ref())
                    .and_then(|h| h.content_format.as_ref()),
            );
            cfg.completion_markdown = markdown(
                td.and_then(|t| t.completion.as_ref())
                    .and_then(|c| c.completion_item.as_ref())
                    .and_then(|i| i.documentation_format.as_ref()),
            );
            cfg.code_action_literals = td
                .and_then(|t| t.code_action.as_ref())
                .is_some_and(|c| c.code_action_literal_support.is_some());
            let ws = caps.workspace.as_ref();
            cfg.pull_configuration = ws.and_then(|w| w.configuration).unwrap_or(false);
            cfg.watch_registration = ws
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false);
            cfg.work_done_progress = caps
                .window
                .as_ref()
                .and_then(|w| w.work_done_progress)
                .unwrap_or(false);
            if let Some(opts) = params.initialization_options.clone() {
                let opts = opts.get("jianggao").cloned().unwrap_or(opts);
                cfg.editor_settings = opts;
            }
        }
        // The glossary is read now, so documents opened right after `initialized` are
        // analysed with it; editor settings pulled later re-apply it.
        self.load_glossary_now();
        features::words::start_loading(Knowledge::builtin());
        let legend = SemanticTokensLegend {
            token_types: TOKEN_TYPES.to_vec(),
            token_modifiers: TOKEN_MODIFIERS.to_vec(),
        };
        Ok(InitializeResult {
            server_info: Some(ServerInfo {
                name: "jianggao".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            capabilities: ServerCapabilities {
                position_encoding: Some(convert::encoding_kind(encoding)),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                            include_text: Some(false),
                        })),
                        ..Default::default()
                    },
                )),
                document_symbol_provider: Some(OneOf::Left(true)),
                folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
                code_lens_provider: Some(CodeLensOptions {
                    resolve_provider: Some(false),
                }),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                completion_provider: Some(CompletionOptions {
                    resolve_provider: Some(false),
                    ..Default::default()
                }),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::new(FIX_ALL_KIND),
                            CodeActionKind::new(RENUMBER_KIND),
                        ]),
                        resolve_provider: Some(false),
                        ..Default::default()
                    },
                )),
                document_formatting_provider: Some(OneOf::Left(true)),
                semantic_tokens_provider: Some(
                    SemanticTokensServerCapabilities::SemanticTokensOptions(
                        SemanticTokensOptions {
                            legend,
                            full: Some(SemanticTokensFullOptions::Bool(true)),
                            range: Some(false),
                            ..Default::default()
                        },
                    ),
                ),
                document_highlight_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
                definition_provider: Some(OneOf::Left(true)),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                inlay_hint_provider: Some(OneOf::Left(true)),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: vec![STATISTICS_COMMAND.into(), APPLY_EDIT_COMMAND.into()],
                    ..Default::default()
                }),
                ..Default::default()
            },
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let (watch, root, progress) = {
            let cfg = self.cfg();
            (
                cfg.watch_registration,
                cfg.root.clone(),
                cfg.work_done_progress,
            )
        };
        if watch {
            let options = DidChangeWatchedFilesRegistrationOptions {
                watchers: vec![FileSystemWatcher {
                    glob_pattern: GlobPattern::String(format!("**/{}", glossary::FILE_NAME)),
                    kind: None,
                }],
            };
            let registration = Registration {
                id: "jianggao-glossary".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: serde_json::to_value(options).ok(),
            };
            if let Err(e) = self.client.register_capability(vec![registration]).await {
                tracing::warn!("could not register the glossary watcher: {e}");
            }
        }
        let editor = self.cfg().editor_settings.clone();
        if !editor.is_null() {
            self.apply_editor_settings(editor).await;
        }
        self.pull_configuration().await;
        // Reports a broken glossary; does nothing when the state is already current.
        self.reload_glossary().await;
        if let Some(root) = root {
            let index = self.index.clone();
            let client = self.client.clone();
            let kb = self.cfg().kb.clone();
            tokio::spawn(async move { index.build(root, kb, client, progress).await });
        }
    }

    async fn shutdown(&self) -> Result<()> {
        self.shutdown.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let uri = params.text_document.uri;
        let kb = self.cfg().kb.clone();
        let opened = guard("didOpen", || {
            let doc = Document::new(&params.text_document.text, kb);
            let state = DocState::new(doc, params.text_document.version);
            lock(&self.docs).insert(uri.clone(), state);
        });
        if opened.is_ok() {
            self.analyse_and_publish(&uri).await;
        }
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
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

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        if self.is_glossary(&params.text_document.uri) {
            self.reload_glossary().await;
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        lock(&self.docs).remove(&uri);
        self.client.publish_diagnostics(uri, Vec::new(), None).await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        if self.cfg().pull_configuration {
            self.pull_configuration().await;
        } else {
            self.apply_editor_settings(params.settings).await;
        }
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        if params
            .changes
            .iter()
            .any(|c| self.is_glossary(&c.uri) || c.uri.path().ends_with(glossary::FILE_NAME))
        {
            self.reload_glossary().await;
        }
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let _timing = Timing("documentSymbol", std::time::Instant::now());
        let hierarchical = self.cfg().hierarchical_symbols;
        let uri = params.text_document.uri;
        Ok(
            self.with_doc(&uri, "documentSymbol", |state, enc, settings| {
                if hierarchical {
                    DocumentSymbolResponse::Nested(document_symbols(
                        state,
                        enc,
                        settings.speaking_rate,
                    ))
                } else {
                    DocumentSymbolResponse::Flat(flat_symbols(state, &uri, enc))
                }
            })?,
        )
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        self.with_doc(&params.text_document.uri, "foldingRange", |state, _, _| {
            state
                .analysis
                .outline
                .nodes
                .iter()
                .filter(|n| n.range.end.line > n.range.start.line)
                .map(|n| FoldingRange {
                    start_line: n.range.start.line,
                    end_line: n.range.end.line,
                    kind: Some(FoldingRangeKind::Region),
                    ..Default::default()
                })
                .collect()
        })
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        self.with_doc(
            &params.text_document.uri,
            "codeLens",
            |state, enc, settings| {
                let rate = settings.speaking_rate;
                let a = &state.analysis;
                let lens = |line: u32, title: String| CodeLens {
                    range: convert::to_range(state.doc.rope(), Span::on_line(line, 0, 0), enc),
                    command: Some(Command {
                        title,
                        command: STATISTICS_COMMAND.into(),
                        arguments: None,
                    }),
                    data: None,
                };
                let mut out = vec![lens(
                    0,
                    format!("全文 {}", stats::describe(a.total_chars, rate)),
                )];
                for &n in &a.outline.roots {
                    let node = &a.outline.nodes[n];
                    out.push(lens(
                        node.marker.start.line,
                        format!("本节 {}", stats::describe(node.chars, rate)),
                    ));
                }
                out
            },
        )
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<Value>> {
        if params.command == APPLY_EDIT_COMMAND {
            let edit = params
                .arguments
                .into_iter()
                .next()
                .and_then(|v| serde_json::from_value::<WorkspaceEdit>(v).ok())
                .ok_or_else(|| {
                    Error::invalid_params("jianggao.applyEdit expects a WorkspaceEdit")
                })?;
            if let Err(e) = self.client.apply_edit(edit).await {
                tracing::warn!("workspace/applyEdit failed: {e}");
            }
            return Ok(None);
        }
        if params.command != STATISTICS_COMMAND {
            return Err(Error::invalid_params(format!(
                "unknown command {}",
                params.command
            )));
        }
        let uri = params
            .arguments
            .first()
            .and_then(|a| a.get("uri").or(Some(a)))
            .and_then(|u| u.as_str())
            .and_then(|u| Url::parse(u).ok());
        let docs: Vec<Url> = match uri {
            Some(u) => vec![u],
            None => lock(&self.docs).keys().cloned().collect(),
        };
        let mut lines = Vec::new();
        for uri in docs {
            if let Some(v) = self
                .statistics(DocumentParams {
                    text_document: TextDocumentIdentifier { uri: uri.clone() },
                })
                .await?
            {
                let chars = v["chars"].as_u64().unwrap_or(0) as u32;
                let minutes = v["minutes"].as_f64().unwrap_or(0.0);
                lines.push(format!(
                    "{}：{} 字，{}",
                    uri.path().rsplit('/').next().unwrap_or(""),
                    stats::group_thousands(chars),
                    stats::describe_minutes(minutes)
                ));
            }
        }
        if !lines.is_empty() {
            self.client
                .show_message(MessageType::INFO, lines.join("；"))
                .await;
        }
        Ok(None)
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        let markdown = self.cfg().hover_markdown;
        Ok(self
            .with_doc(&p.text_document.uri, "hover", |state, enc, settings| {
                let pos = convert::to_pos(state.doc.rope(), p.position, enc);
                features::hover(&state.doc, &state.analysis, pos, settings.speaking_rate).map(
                    |(md, span)| Hover {
                        contents: HoverContents::Markup(markup(md, markdown)),
                        range: Some(convert::to_range(state.doc.rope(), span, enc)),
                    },
                )
            })?
            .flatten())
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let p = params.text_document_position;
        let markdown = self.cfg().completion_markdown;
        let workspace = self.index.term_counts();
        let snippets = self.cfg().snippets;
        Ok(
            self.with_doc(&p.text_document.uri, "completion", |state, enc, _| {
                let rope = state.doc.rope();
                let pos = convert::to_pos(rope, p.position, enc);
                let items = completion::complete_with(
                    &state.doc,
                    &state.analysis,
                    pos,
                    snippets,
                    &workspace,
                );
                let items: Vec<CompletionItem> = items
                    .into_iter()
                    .map(|i| CompletionItem {
                        label: i.label,
                        kind: Some(match i.kind {
                            completion::ItemKind::Formula => CompletionItemKind::CONSTANT,
                            completion::ItemKind::Point => CompletionItemKind::ENUM_MEMBER,
                            completion::ItemKind::Snippet => CompletionItemKind::SNIPPET,
                        }),
                        detail: i.detail,
                        // Without a declared documentation format, plain strings only.
                        documentation: i.documentation.map(|d| {
                            if markdown {
                                Documentation::MarkupContent(markup(d, true))
                            } else {
                                Documentation::String(features::markdown_to_plain(&d))
                            }
                        }),
                        sort_text: Some(i.sort),
                        filter_text: (!i.filter.is_empty()).then_some(i.filter),
                        insert_text_format: Some(if i.snippet {
                            InsertTextFormat::SNIPPET
                        } else {
                            InsertTextFormat::PLAIN_TEXT
                        }),
                        text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                            range: convert::to_range(rope, i.replace, enc),
                            new_text: i.insert,
                        })),
                        ..Default::default()
                    })
                    .collect();
                CompletionResponse::List(CompletionList {
                    is_incomplete: true,
                    items,
                })
            })?,
        )
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri.clone();
        let literals = self.cfg().code_action_literals;
        let actions = self.with_doc(&uri, "codeAction", |state, enc, settings| {
            let range = convert::to_span(state.doc.rope(), params.range, enc);
            Self::code_actions(
                state,
                &uri,
                range,
                params.context.only.as_ref(),
                enc,
                settings,
            )
        })?;
        // Clients without code action literals get commands the server carries out.
        Ok(actions.map(|list| {
            if literals {
                return list;
            }
            list.into_iter()
                .filter_map(|a| match a {
                    CodeActionOrCommand::CodeAction(action) => {
                        Some(CodeActionOrCommand::Command(Command {
                            title: action.title,
                            command: APPLY_EDIT_COMMAND.into(),
                            arguments: Some(vec![serde_json::to_value(action.edit?).ok()?]),
                        }))
                    }
                    command => Some(command),
                })
                .collect()
        }))
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        self.with_doc(
            &params.text_document.uri,
            "formatting",
            |state, enc, settings| {
                crate::format::format_edits(&state.doc, settings.indent)
                    .iter()
                    .map(|e| convert::text_edit(state.doc.rope(), e, enc))
                    .collect()
            },
        )
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        Ok(self.with_doc(
            &params.text_document.uri,
            "semanticTokens",
            |state, enc, _| {
                SemanticTokensResult::Tokens(SemanticTokens {
                    result_id: None,
                    data: semantic_tokens(state, enc),
                })
            },
        )?)
    }

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        let p = params.text_document_position_params;
        Ok(self
            .with_doc(
                &p.text_document.uri,
                "documentHighlight",
                |state, enc, _| {
                    let rope = state.doc.rope();
                    let pos = convert::to_pos(rope, p.position, enc);
                    let (f, _) = features::formula_at(&state.doc, &state.analysis, pos)?;
                    Some(
                        features::occurrences(&state.doc, &state.analysis, &f)
                            .into_iter()
                            .map(|s| DocumentHighlight {
                                range: convert::to_range(rope, s, enc),
                                kind: Some(DocumentHighlightKind::TEXT),
                            })
                            .collect(),
                    )
                },
            )?
            .flatten())
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let p = params.text_document_position;
        let target = self
            .with_doc(&p.text_document.uri, "references", |state, enc, _| {
                let pos = convert::to_pos(state.doc.rope(), p.position, enc);
                features::formula_at(&state.doc, &state.analysis, pos).map(|(f, _)| match f {
                    FormulaRef::Known(i) => {
                        (f, Some(state.doc.knowledge().formula(i).term.clone()))
                    }
                    FormulaRef::Learned(_) => (f, None),
                })
            })?
            .flatten();
        let Some((formula, term)) = target else {
            return Ok(None);
        };
        let enc = self.cfg().encoding;
        let out = guard("references", || {
            let docs = lock(&self.docs);
            let mut out = Vec::new();
            for (uri, state) in docs.iter() {
                // A known formula is found in every open document; a learned one only where defined.
                let f = match (&formula, &term) {
                    (FormulaRef::Known(_), Some(t)) => match state.doc.knowledge().lookup(t) {
                        Some((i, _)) => FormulaRef::Known(i),
                        None => continue,
                    },
                    _ if uri != &p.text_document.uri => continue,
                    _ => formula.clone(),
                };
                for s in features::occurrences(&state.doc, &state.analysis, &f) {
                    out.push(Location {
                        uri: uri.clone(),
                        range: convert::to_range(state.doc.rope(), s, enc),
                    });
                }
            }
            out
        })?;
        Ok(Some(out))
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let p = params.text_document_position_params;
        let uri = p.text_document.uri.clone();
        Ok(self
            .with_doc(&uri, "definition", |state, enc, _| {
                let rope = state.doc.rope();
                let pos = convert::to_pos(rope, p.position, enc);
                match features::definition(&state.doc, &state.analysis, pos)? {
                    features::Definition::InDocument(span) => {
                        Some(GotoDefinitionResponse::Scalar(Location {
                            uri: uri.clone(),
                            range: convert::to_range(rope, span, enc),
                        }))
                    }
                    features::Definition::InFile { path, line } => {
                        let target = Url::from_file_path(&path).ok()?;
                        Some(GotoDefinitionResponse::Scalar(Location {
                            uri: target,
                            range: Range::new(Position::new(line, 0), Position::new(line, 0)),
                        }))
                    }
                }
            })?
            .flatten())
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<Vec<SymbolInformation>>> {
        let open: Vec<(Url, Vec<SymbolInformation>)> = {
            let docs = lock(&self.docs);
            let enc = self.cfg().encoding;
            docs.iter()
                .map(|(u, s)| (u.clone(), flat_symbols(s, u, enc)))
                .collect()
        };
        Ok(Some(self.index.query(&params.query, open)))
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        if !self.cfg().settings.inlay_hints {
            return Ok(Some(Vec::new()));
        }
        self.with_doc(&params.text_document.uri, "inlayHint", |state, enc, _| {
            let rope = state.doc.rope();
            let range = convert::to_span(rope, params.range, enc);
            features::inlay_hints(&state.doc, range.start.line..range.end.line + 1)
                .into_iter()
                .map(|(pos, label)| InlayHint {
                    position: convert::to_position(rope, pos, enc),
                    label: InlayHintLabel::String(label),
                    kind: None,
                    text_edits: None,
                    tooltip: None,
                    padding_left: Some(false),
                    padding_right: Some(false),
                    data: None,
                })
                .collect()
        })
    }
}
