//! The workspace glossary (`jianggao.toml`) and the editor's settings: loading,
//! reloading on change, and re-analysing open documents with them.

use super::backend::{guard, lock, Backend};
use super::convert;
use crate::config::Settings;
use crate::knowledge::glossary::{self, Glossary};
use crate::knowledge::Knowledge;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::Arc;
use tower_lsp::lsp_types::*;

/// Settings from defaults, then the glossary, then the editor's settings (with the
/// complaints about editor fields that were ignored).
pub(super) fn settings_from(glossary: &Glossary, editor: &Value) -> (Settings, Vec<String>) {
    let mut settings = Settings::default();
    glossary.apply_settings(&mut settings);
    let problems = settings.apply_json(editor);
    (settings, problems)
}

impl Backend {
    /// Reads the glossary and installs its knowledge and settings (no messages: the
    /// asynchronous reload reports problems).
    pub(super) fn load_glossary_now(&self) {
        let editor = self.cfg().editor_settings.clone();
        self.set_glossary_path_from(&editor);
        let path = self.cfg().glossary_path.clone();
        let (text, glossary, loaded) = match path.as_deref().map(Glossary::read) {
            Some((text, Ok(g))) => (text, g, true),
            // Reported by the reload in `initialized`; the editor's settings apply now.
            Some((_, Err(_))) => (None, Glossary::default(), false),
            None => (None, Glossary::default(), true),
        };
        let mut cfg = self.cfg_mut();
        cfg.kb = Knowledge::with_glossary(&glossary);
        cfg.settings = settings_from(&glossary, &cfg.editor_settings).0;
        cfg.settings_generation += 1;
        cfg.glossary_text = text;
        cfg.glossary_loaded = loaded;
    }

    /// The glossary path the editor's settings give, relative to the workspace root.
    fn set_glossary_path_from(&self, editor: &Value) {
        let mut probe = Settings::default();
        probe.apply_json(editor);
        if let Some(p) = probe.glossary_path {
            let mut cfg = self.cfg_mut();
            let p = PathBuf::from(p);
            let root = cfg.root.clone().unwrap_or_default();
            cfg.glossary_path = Some(if p.is_relative() { root.join(p) } else { p });
        }
    }

    /// Loads the glossary, rebuilds the knowledge, re-analyses open documents.
    pub(super) async fn reload_glossary(&self) {
        self.reload_glossary_with(false).await;
    }

    /// The reload at the end of start-up: it also says which knowledge is in force when
    /// nothing changed, so clients can tell the settings have been applied.
    pub(super) async fn reload_glossary_announcing(&self) {
        self.reload_glossary_with(true).await;
    }

    async fn log_knowledge(&self, kb: &Knowledge, path: Option<PathBuf>) {
        let from = path
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "none".into());
        let n = kb.formulas.len();
        self.log(
            MessageType::INFO,
            format!("knowledge: {n} formulas (glossary: {from})"),
        )
        .await;
    }

    async fn reload_glossary_with(&self, announce: bool) {
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
            if announce && error_text.is_none() {
                let kb = self.cfg().kb.clone();
                self.log_knowledge(&kb, path).await;
            }
            return;
        }
        let kb = Knowledge::with_glossary(&glossary);
        let date = settings.date;
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
            // The document closed last was analysed with the old knowledge.
            lock(&self.closed).take();
            let mut docs = lock(&self.docs);
            for state in docs.values_mut() {
                state.doc.set_date_setting(date);
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
            None => self.log_knowledge(&kb, path).await,
        }
        self.republish_all().await;
    }

    /// Pulls `jianggao` settings from the client (when it supports it).
    pub(super) async fn pull_configuration(&self) {
        if !self.cfg().pull_configuration {
            return;
        }
        let item = ConfigurationItem {
            scope_uri: None,
            section: Some("jianggao".into()),
        };
        match self.client.configuration(vec![item]).await {
            // null: the client has no value for the section; the settings given at
            // initialize stay.
            Ok(values) => match values.into_iter().next() {
                Some(value) if !value.is_null() => self.apply_editor_settings(value).await,
                _ => self.reload_glossary().await,
            },
            Err(e) => tracing::warn!("workspace/configuration failed: {e}"),
        }
    }

    pub(super) async fn apply_editor_settings(&self, value: Value) {
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
        self.set_glossary_path_from(&value);
        self.cfg_mut().editor_settings = value;
        self.reload_glossary().await;
    }

    pub(super) fn is_glossary(&self, uri: &Url) -> bool {
        let cfg = self.cfg();
        match (uri.to_file_path().ok(), &cfg.glossary_path) {
            (Some(p), Some(g)) => &p == g,
            (Some(p), None) => p.file_name().is_some_and(|n| n == glossary::FILE_NAME),
            _ => false,
        }
    }

    // ----- custom requests -----

    pub(super) async fn on_did_save(&self, params: DidSaveTextDocumentParams) {
        if self.is_glossary(&params.text_document.uri) {
            self.reload_glossary().await;
        }
    }

    pub(super) async fn on_did_change_configuration(&self, params: DidChangeConfigurationParams) {
        if self.cfg().pull_configuration {
            self.pull_configuration().await;
        } else {
            self.apply_editor_settings(params.settings).await;
        }
    }

    pub(super) async fn on_did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        if params
            .changes
            .iter()
            .any(|c| self.is_glossary(&c.uri) || c.uri.path().ends_with(glossary::FILE_NAME))
        {
            self.reload_glossary().await;
        }
    }
}
