//! Writing features: completion, code actions (quick fixes, fix-all, renumber),
//! formatting, and the commands the server carries out.

use super::backend::{lock, markup, Backend, DocumentParams};
use super::sync::DocState;

pub const FIX_ALL_KIND: &str = "source.fixAll.jianggao";
pub const RENUMBER_KIND: &str = "refactor.rewrite.jianggao.renumber";
pub const STATISTICS_COMMAND: &str = "jianggao.statistics";
pub const APPLY_EDIT_COMMAND: &str = "jianggao.applyEdit";
use super::convert;
use crate::analysis::stats;
use crate::config::Settings;
use crate::features::{self, completion};
use crate::text::{Edit, Encoding, Span};
use serde_json::Value;
use tower_lsp::jsonrpc::{Error, Result};
use tower_lsp::lsp_types::*;

impl Backend {
    pub(super) fn code_actions(
        state: &DocState,
        uri: &Url,
        range: Span,
        only: Option<&Vec<CodeActionKind>>,
        enc: Encoding,
        settings: &Settings,
        lazy_fix_all: bool,
    ) -> Vec<CodeActionOrCommand> {
        let wants =
            |kind: &str| only.is_none_or(|o| o.iter().any(|k| kind.starts_with(k.as_str())));
        let rope = state.doc.rope();
        let visible = crate::rules::visible(&state.analysis.diagnostics, settings);
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
            let action = if lazy_fix_all {
                // The edit is made when the action is chosen (`codeAction/resolve`).
                let count = certain_fixes(&visible).map(|f| f.edits.len()).sum();
                (count > 0).then(|| CodeAction {
                    data: Some(serde_json::json!({ "uri": uri })),
                    ..fix_all_action(count)
                })
            } else {
                fix_all_with_edit(rope, uri, &visible, enc)
            };
            out.extend(action.map(CodeActionOrCommand::CodeAction));
        }
        if wants(RENUMBER_KIND) {
            let outline = &state.analysis.structure.outline;
            if let Some(node) = outline
                .innermost_at(range.start)
                .filter(|&n| !outline.nodes[n].is_heading())
            {
                let list = outline.list_of(node);
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

    /// Makes the edit of a fix-all action sent without it, from the document as it is
    /// now (the light bulb may have been asked before the last edits). Other actions
    /// come back as they are: they were sent complete.
    pub(super) fn on_code_action_resolve(&self, mut action: CodeAction) -> Result<CodeAction> {
        let unresolved_fix_all =
            action.edit.is_none() && action.kind.as_ref().map(|k| k.as_str()) == Some(FIX_ALL_KIND);
        let uri = action
            .data
            .as_ref()
            .and_then(|d| d.get("uri")?.as_str())
            .and_then(|u| Url::parse(u).ok());
        let Some(uri) = uri.filter(|_| unresolved_fix_all) else {
            return Ok(action);
        };
        let resolved = self.with_doc(&uri, "codeAction/resolve", |state, enc, settings| {
            let visible = crate::rules::visible(&state.analysis.diagnostics, settings);
            fix_all_with_edit(state.doc.rope(), &uri, &visible, enc)
        })?;
        if let Some(full) = resolved.flatten() {
            action.title = full.title;
            action.edit = full.edit;
        }
        Ok(action)
    }

    pub(super) async fn on_execute_command(
        &self,
        params: ExecuteCommandParams,
    ) -> Result<Option<Value>> {
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
                    file_name(&uri),
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

    pub(super) async fn on_completion(
        &self,
        params: CompletionParams,
    ) -> Result<Option<CompletionResponse>> {
        let p = params.text_document_position;
        let markdown = self.cfg().completion_markdown;
        let lazy = self.cfg().completion_resolves_documentation;
        let workspace = self.index.term_counts();
        let snippets = self.cfg().snippets;
        self.with_doc(&p.text_document.uri, "completion", |state, enc, _| {
            let rope = state.doc.rope();
            let pos = convert::to_pos(rope, p.position, enc);
            let items =
                completion::complete_with(&state.doc, &state.analysis, pos, snippets, &workspace);
            let kb = state.doc.knowledge();
            let items: Vec<CompletionItem> = items
                .into_iter()
                .map(|mut i| {
                    // A formula's card is sent when the client shows the item.
                    let data = match i.formula {
                        Some(f) if lazy => {
                            i.documentation = None;
                            Some(serde_json::json!({ "formula": f, "term": kb.formula(f).term }))
                        }
                        _ => None,
                    };
                    (i, data)
                })
                .map(|(i, data)| CompletionItem {
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
                    data,
                    ..Default::default()
                })
                .collect();
            CompletionResponse::List(CompletionList {
                is_incomplete: true,
                items,
            })
        })
    }

    /// Fills in the documentation left out of a completion item (see
    /// `Config::completion_resolves_documentation`).
    pub(super) fn on_completion_resolve(&self, mut item: CompletionItem) -> CompletionItem {
        let cfg = self.cfg();
        let data = item.data.as_ref();
        let index = data.and_then(|d| d["formula"].as_u64()).map(|i| i as u32);
        let term = data.and_then(|d| d["term"].as_str());
        // The knowledge base may have been reloaded since: the term must still match.
        let found = index
            .filter(|&i| cfg.kb.formulas.get(i as usize).map(|f| f.term.as_str()) == term)
            .or_else(|| term.and_then(|t| cfg.kb.lookup(t)).map(|(i, _)| i));
        if item.documentation.is_none() {
            if let Some(doc) = found.and_then(|i| completion::formula_documentation(&cfg.kb, i)) {
                item.documentation = Some(if cfg.completion_markdown {
                    Documentation::MarkupContent(markup(doc, true))
                } else {
                    Documentation::String(features::markdown_to_plain(&doc))
                });
            }
        }
        item
    }

    pub(super) async fn on_code_action(
        &self,
        params: CodeActionParams,
    ) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri.clone();
        let (literals, resolves) = {
            let cfg = self.cfg();
            (cfg.code_action_literals, cfg.code_action_resolves_edit)
        };
        // Asked for no kind in particular (a light bulb's request, on every move of the
        // cursor in VS Code), a client that resolves edits gets fix-all without its
        // edit: on a 10 MB draft that is some 190 KB and several milliseconds saved per
        // request. Asked for it by kind, it comes whole.
        let lazy_fix_all = resolves && params.context.only.is_none();
        let actions = self.with_doc(&uri, "codeAction", |state, enc, settings| {
            let range = convert::to_span(state.doc.rope(), params.range, enc);
            Self::code_actions(
                state,
                &uri,
                range,
                params.context.only.as_ref(),
                enc,
                settings,
                lazy_fix_all,
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

    pub(super) async fn on_formatting(
        &self,
        params: DocumentFormattingParams,
    ) -> Result<Option<Vec<TextEdit>>> {
        self.with_doc(
            &params.text_document.uri,
            "formatting",
            |state, enc, settings| {
                crate::features::format::format_edits(&state.doc, settings.indent)
                    .iter()
                    .map(|e| convert::text_edit(state.doc.rope(), e, enc))
                    .collect()
            },
        )
    }
}

/// For each visible finding, its first certain fix: what fix-all applies.
fn certain_fixes<'a>(
    visible: &'a [(crate::config::RuleLevel, &crate::rules::Diagnostic)],
) -> impl Iterator<Item = &'a crate::rules::Fix> {
    visible
        .iter()
        .filter_map(|(_, d)| d.fixes.iter().find(|f| f.certain))
}

/// The fix-all action of `count` edits, without its edit.
fn fix_all_action(count: usize) -> CodeAction {
    CodeAction {
        title: format!("修正全部确定的问题（{count} 处）"),
        kind: Some(CodeActionKind::new(FIX_ALL_KIND)),
        ..Default::default()
    }
}

/// The fix-all action with its edit; None when nothing is certain to fix.
fn fix_all_with_edit(
    rope: &ropey::Rope,
    uri: &Url,
    visible: &[(crate::config::RuleLevel, &crate::rules::Diagnostic)],
    enc: Encoding,
) -> Option<CodeAction> {
    let edits: Vec<Edit> = certain_fixes(visible)
        .flat_map(|f| f.edits.iter().cloned())
        .collect();
    (!edits.is_empty()).then(|| CodeAction {
        edit: Some(convert::workspace_edit(rope, uri, &edits, enc)),
        ..fix_all_action(edits.len())
    })
}

/// The file name of a document for messages: 讲稿.txt, not %E8%AE%B2%E7%A8%BF.txt.
fn file_name(uri: &Url) -> String {
    let last = uri
        .path_segments()
        .and_then(|mut s| s.next_back())
        .unwrap_or("");
    percent_decode(last)
}

/// Decodes %XX escapes (as UTF-8); a malformed escape is kept as written.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_decoded() {
        let uri = Url::parse("file:///tmp/%E8%AE%B2%E7%A8%BF.txt").unwrap();
        assert_eq!(file_name(&uri), "讲稿.txt");
        assert_eq!(percent_decode("a%2"), "a%2");
    }
}
