//! The language server: document sync and request handlers over the core.
//!
//! tower-lsp runs handlers concurrently, so every handler that mutates text does so
//! synchronously, under a `std::sync::Mutex`, before its first `.await`; diagnostics
//! are published for the version that was analysed, and a publish for a version that
//! is no longer current is dropped. Analysis runs inside `guard`, which turns a panic
//! into an error response and a log line.

use super::convert;
use super::editing::{APPLY_EDIT_COMMAND, FIX_ALL_KIND, RENUMBER_KIND, STATISTICS_COMMAND};
use super::navigation::{TOKEN_MODIFIERS, TOKEN_TYPES};
use super::sync::DocState;
use super::workspace::WorkspaceIndex;
use crate::config::Settings;
use crate::features;
use crate::knowledge::glossary;
use crate::knowledge::Knowledge;
use crate::text::Encoding;
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use tower_lsp::jsonrpc::{Error, Result};
use tower_lsp::lsp_types::*;
use tower_lsp::{Client, LanguageServer};

/// Server-wide state set at initialize and by configuration.
pub(super) struct Config {
    pub(super) encoding: Encoding,
    pub(super) settings: Settings,
    /// Settings from the editor (JSON), re-applied over the glossary's.
    pub(super) editor_settings: Value,
    pub(super) kb: Arc<Knowledge>,
    pub(super) root: Option<PathBuf>,
    pub(super) glossary_path: Option<PathBuf>,
    /// The glossary as last loaded (None: no file), whether it was, and its error.
    pub(super) glossary_text: Option<String>,
    pub(super) glossary_loaded: bool,
    pub(super) glossary_error: Option<String>,
    pub(super) snippets: bool,
    pub(super) pull_configuration: bool,
    pub(super) watch_registration: bool,
    pub(super) work_done_progress: bool,
    pub(super) hierarchical_symbols: bool,
    pub(super) hover_markdown: bool,
    pub(super) completion_markdown: bool,
    /// The client resolves a completion item's documentation when it shows the item
    /// (`completionItem/resolve`): the list is sent without it, a tenth of the bytes.
    pub(super) completion_resolves_documentation: bool,
    pub(super) code_action_literals: bool,
    /// The client resolves a code action's edit (`codeAction/resolve`) and sends its
    /// `data` back: fix-all can be offered without its edit (`editing`).
    pub(super) code_action_resolves_edit: bool,
    /// The client can pull diagnostics (LSP 3.17 `textDocument/diagnostic`): the server
    /// offers them.
    pub(super) pull_diagnostics: bool,
    /// The client has pulled: from then on the server publishes nothing. Until then it
    /// publishes, since some clients declare pull support and never pull (a web page's
    /// CodeMirror client, test harnesses).
    pub(super) client_pulled: bool,
    /// The client accepts `workspace/diagnostic/refresh`.
    pub(super) diagnostic_refresh: bool,
    /// Bumped whenever `settings` change (invalidates cached diagnostics).
    pub(super) settings_generation: u64,
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
            completion_resolves_documentation: false,
            code_action_literals: false,
            code_action_resolves_edit: false,
            pull_diagnostics: false,
            client_pulled: false,
            diagnostic_refresh: false,
            settings_generation: 0,
        }
    }
}

/// Diagnostics ready to publish: serialised (direct output) or as protocol values.
pub(super) enum Diagnostics {
    Json(String),
    List(Vec<Diagnostic>),
}

pub struct Backend {
    pub(super) client: Client,
    /// The output stream, for notifications the server serialises itself.
    pub(super) out: Option<super::transport::Outbox>,
    /// Shared with the requests answered outside tower-lsp (`direct`).
    pub(super) docs: Arc<Mutex<HashMap<Url, DocState>>>,
    /// The document closed last, for a didOpen of the same text (`sync`).
    pub(super) closed: Mutex<Option<DocState>>,
    pub(super) config: Arc<RwLock<Config>>,
    pub(super) shutdown: Arc<AtomicBool>,
    /// `initialize` has been answered.
    pub(super) initialized: Arc<AtomicBool>,
    pub(super) publish: tokio::sync::Mutex<()>,
    /// Documents whose diagnostics wait for the client to read its output (`sync`).
    pub(super) held_back: Mutex<super::sync::HeldBack>,
    pub(super) index: Arc<WorkspaceIndex>,
    /// Text sync parsed by the pump, waiting for its stub (`parking`).
    pub(super) parking: super::parking::ParkingLot,
}

/// Runs analysis code, turning a panic into an internal error (the server stays up).
pub(super) fn guard<T>(what: &str, f: impl FnOnce() -> T) -> Result<T> {
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
pub(super) struct Timing(pub(super) &'static str, pub(super) std::time::Instant);

impl Drop for Timing {
    fn drop(&mut self) {
        tracing::debug!("{} in {:?}", self.0, self.1.elapsed());
    }
}

pub(super) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
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
        out: Option<super::transport::Outbox>,
    ) -> Backend {
        // The first document opened should not wait for the regexes to compile.
        static WARM_UP: std::sync::Once = std::sync::Once::new();
        WARM_UP.call_once(|| {
            let _ = std::thread::Builder::new()
                .name("warm-up".into())
                .spawn(crate::document::warm_up);
        });
        let initialized = Arc::new(AtomicBool::new(false));
        Backend {
            client,
            out,
            docs: Arc::new(Mutex::new(HashMap::new())),
            closed: Mutex::new(None),
            config: Arc::new(RwLock::new(Config::default())),
            parking: super::parking::ParkingLot::new(initialized.clone(), shutdown.clone()),
            shutdown,
            initialized,
            publish: tokio::sync::Mutex::new(()),
            held_back: Mutex::default(),
            index: Arc::new(WorkspaceIndex::default()),
        }
    }

    /// Where the pump parks text sync for this server (`parking`).
    pub(super) fn parking(&self) -> super::parking::ParkingLot {
        self.parking.clone()
    }

    /// The state the requests answered outside tower-lsp share (`direct`).
    pub(super) fn direct_handle(&self) -> Option<super::direct::Handle> {
        Some(super::direct::Handle {
            docs: self.docs.clone(),
            config: self.config.clone(),
            initialized: self.initialized.clone(),
            shutdown: self.shutdown.clone(),
            out: self.out.clone()?,
        })
    }

    pub(super) fn cfg(&self) -> std::sync::RwLockReadGuard<'_, Config> {
        self.config.read().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn cfg_mut(&self) -> std::sync::RwLockWriteGuard<'_, Config> {
        self.config.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` on an open document and its current analysis.
    pub(super) fn with_doc<T>(
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

    pub(super) async fn log(&self, typ: MessageType, msg: impl Into<String>) {
        let msg = msg.into();
        match typ {
            MessageType::ERROR => tracing::error!("{msg}"),
            MessageType::WARNING => tracing::warn!("{msg}"),
            _ => tracing::info!("{msg}"),
        }
        self.client.log_message(typ, msg).await;
    }

    /// Panics inside a handler; only with JIANGGAO_TEST_HOOKS=1 (tests of panic isolation).
    pub async fn debug_panic(&self, _params: Value) -> Result<Value> {
        if std::env::var_os("JIANGGAO_TEST_HOOKS").is_none() {
            return Err(Error::method_not_found());
        }
        guard("debugPanic", || -> Value { panic!("test hook panic") })
    }

    pub(super) async fn on_initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
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
            cfg.completion_resolves_documentation = td
                .and_then(|t| t.completion.as_ref())
                .and_then(|c| c.completion_item.as_ref())
                .and_then(|i| i.resolve_support.as_ref())
                .is_some_and(|r| r.properties.iter().any(|p| p == "documentation"));
            cfg.code_action_literals = td
                .and_then(|t| t.code_action.as_ref())
                .is_some_and(|c| c.code_action_literal_support.is_some());
            cfg.code_action_resolves_edit =
                td.and_then(|t| t.code_action.as_ref()).is_some_and(|c| {
                    c.data_support == Some(true)
                        && c.resolve_support
                            .as_ref()
                            .is_some_and(|r| r.properties.iter().any(|p| p == "edit"))
                });
            cfg.pull_diagnostics = td.is_some_and(|t| t.diagnostic.is_some());
            let ws = caps.workspace.as_ref();
            cfg.diagnostic_refresh = ws
                .and_then(|w| w.diagnostic.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false);
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
        let pull = self.cfg().pull_diagnostics;
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
                    resolve_provider: Some(true),
                    ..Default::default()
                }),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::new(FIX_ALL_KIND),
                            CodeActionKind::new(RENUMBER_KIND),
                        ]),
                        resolve_provider: Some(true),
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
                // Offered only to clients that pull; the others get published diagnostics.
                diagnostic_provider: pull.then(|| {
                    DiagnosticServerCapabilities::Options(DiagnosticOptions {
                        identifier: Some("jianggao".into()),
                        inter_file_dependencies: false,
                        workspace_diagnostics: false,
                        ..Default::default()
                    })
                }),
                ..Default::default()
            },
        })
    }

    pub(super) async fn on_initialized(&self, _: InitializedParams) {
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
        // Reports a broken glossary; re-analyses nothing when the state is already
        // current, but says which knowledge is in force.
        self.reload_glossary_announcing().await;
        if let Some(root) = root {
            let index = self.index.clone();
            let client = self.client.clone();
            let kb = self.cfg().kb.clone();
            tokio::spawn(async move { index.build(root, kb, client, progress).await });
        }
    }

    pub(super) async fn on_shutdown(&self) -> Result<()> {
        self.shutdown.store(true, Ordering::SeqCst);
        Ok(())
    }
}

/// Markdown for clients that render it, plain text for the others.
pub(super) fn markup(md: String, markdown: bool) -> MarkupContent {
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

#[tower_lsp::async_trait]
impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let result = self.on_initialize(params).await;
        self.initialized.store(result.is_ok(), Ordering::SeqCst);
        result
    }

    async fn initialized(&self, params: InitializedParams) {
        self.on_initialized(params).await
    }

    async fn shutdown(&self) -> Result<()> {
        self.on_shutdown().await
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        self.on_did_open(params).await
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        self.on_did_change(params).await
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        self.on_did_save(params).await
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        self.on_did_close(params).await
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        self.on_did_change_configuration(params).await
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        self.on_did_change_watched_files(params).await
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        self.on_document_symbol(params).await
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        self.on_folding_range(params).await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        self.on_code_lens(params).await
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<Value>> {
        self.on_execute_command(params).await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        self.on_hover(params).await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        self.on_completion(params).await
    }

    async fn completion_resolve(&self, item: CompletionItem) -> Result<CompletionItem> {
        Ok(self.on_completion_resolve(item))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        self.on_code_action(params).await
    }

    async fn code_action_resolve(&self, action: CodeAction) -> Result<CodeAction> {
        self.on_code_action_resolve(action)
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        self.on_formatting(params).await
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        self.on_semantic_tokens_full(params).await
    }

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        self.on_document_highlight(params).await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        self.on_references(params).await
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        self.on_goto_definition(params).await
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<Vec<SymbolInformation>>> {
        self.on_symbol(params).await
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        self.on_inlay_hint(params).await
    }
}
