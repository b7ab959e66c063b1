//! Reading features: outline (document and workspace symbols), folding, code lens,
//! hover, highlights, references, definitions, semantic tokens, inlay hints and the
//! statistics request.

use super::backend::{guard, lock, markup, Backend, DocumentParams, Timing};
use super::convert;
use super::editing::STATISTICS_COMMAND;
use super::sync::DocState;
use crate::analysis::{stats, NodeKind};
use crate::document::Analysis;
use crate::features::{self, FormulaRef};
use crate::text::{Encoding, Pos, Span};
use serde_json::{json, Value};
use tower_lsp::jsonrpc::Result;
use tower_lsp::lsp_types::*;

pub(super) fn symbol_kind(kind: NodeKind) -> SymbolKind {
    match kind {
        NodeKind::Heading { .. } => SymbolKind::NAMESPACE,
        NodeKind::Point { inline: false, .. } => SymbolKind::STRUCT,
        NodeKind::Point { inline: true, .. } => SymbolKind::FIELD,
    }
}

/// The outline as the JSON of a `textDocument/documentSymbol` result: nested
/// `DocumentSymbol`s, or flat `SymbolInformation`s for clients without hierarchy.
/// Written directly (see `direct`); equal to serialising `document_symbols` /
/// `flat_symbols` (a test checks it).
pub(super) fn document_symbols_json(
    state: &DocState,
    uri: &Url,
    enc: Encoding,
    rate: f64,
    hierarchical: bool,
) -> String {
    let outline = &state.analysis.structure.outline;
    // Every position, converted in document order with one cursor.
    let mut spots: Vec<Pos> = Vec::with_capacity(outline.nodes.len() * 4);
    for node in &outline.nodes {
        spots.extend([
            node.range.start,
            node.range.end,
            node.headline.start,
            node.headline.end,
        ]);
    }
    let shapes = |i: usize| state.doc.line_shape(i);
    let converted = crate::text::positions_to_client(state.doc.rope(), &spots, enc, &shapes);
    let mut out = String::with_capacity(outline.nodes.len() * 256 + 2);
    let w = SymbolWriter {
        a: &state.analysis,
        positions: &converted,
        rate,
    };
    if hierarchical {
        w.nested(&mut out, &outline.roots);
    } else {
        w.flat(&mut out, uri);
    }
    out
}

struct SymbolWriter<'a> {
    a: &'a Analysis,
    /// Client positions of each node's range start, end, headline start, end.
    positions: &'a [(u32, u32)],
    rate: f64,
}

/// Appends a number in decimal (without `fmt`: outlines and findings have many).
pub(super) fn push_number(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&digits[i..]).unwrap_or("0"));
}

/// `s` as a JSON string (escaped as serde_json escapes it).
pub(super) fn json_string(out: &mut String, s: &str) {
    use std::fmt::Write as _;
    out.push('"');
    let mut rest = s;
    while let Some(at) = rest.find(|c: char| c == '"' || c == '\\' || c < ' ') {
        out.push_str(&rest[..at]);
        let c = rest[at..].chars().next().unwrap_or(' ');
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
        }
        rest = &rest[at + c.len_utf8()..];
    }
    out.push_str(rest);
    out.push('"');
}

impl SymbolWriter<'_> {
    fn range(out: &mut String, start: (u32, u32), end: (u32, u32)) {
        out.push_str(r#"{"start":{"line":"#);
        push_number(out, start.0);
        out.push_str(r#","character":"#);
        push_number(out, start.1);
        out.push_str(r#"},"end":{"line":"#);
        push_number(out, end.0);
        out.push_str(r#","character":"#);
        push_number(out, end.1);
        out.push_str("}}");
    }

    fn kind(out: &mut String, kind: NodeKind) {
        let number = |k: SymbolKind| serde_json::to_string(&k).unwrap_or_default();
        static KINDS: std::sync::OnceLock<[String; 3]> = std::sync::OnceLock::new();
        let kinds = KINDS.get_or_init(|| {
            [
                number(SymbolKind::NAMESPACE),
                number(SymbolKind::STRUCT),
                number(SymbolKind::FIELD),
            ]
        });
        let k = symbol_kind(kind);
        let i = if k == SymbolKind::NAMESPACE {
            0
        } else if k == SymbolKind::STRUCT {
            1
        } else {
            2
        };
        debug_assert_eq!(kinds[i], number(k));
        out.push_str(&kinds[i]);
    }

    fn nested(&self, out: &mut String, nodes: &[usize]) {
        out.push('[');
        for (k, &n) in nodes.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            let node = &self.a.structure.outline.nodes[n];
            let p = &self.positions[n * 4..n * 4 + 4];
            let (start, end) = (p[0], p[1]);
            // selectionRange must be contained in range.
            let selection_end = p[3].min(end);
            out.push_str(r#"{"name":"#);
            json_string(
                out,
                if node.name.is_empty() {
                    "（空）"
                } else {
                    &node.name
                },
            );
            out.push_str(r#","detail":""#);
            stats::describe_into(out, node.chars, self.rate);
            out.push_str(r#"","kind":"#);
            Self::kind(out, node.kind);
            out.push_str(r#","range":"#);
            Self::range(out, start, end);
            out.push_str(r#","selectionRange":"#);
            Self::range(out, p[2], selection_end);
            out.push_str(r#","children":"#);
            self.nested(out, &node.children);
            out.push('}');
        }
        out.push(']');
    }

    fn flat(&self, out: &mut String, uri: &Url) {
        let outline = &self.a.structure.outline;
        let mut uri_json = String::new();
        json_string(&mut uri_json, uri.as_str());
        out.push('[');
        for (n, node) in outline.nodes.iter().enumerate() {
            if n > 0 {
                out.push(',');
            }
            let p = &self.positions[n * 4..n * 4 + 2];
            out.push_str(r#"{"name":"#);
            json_string(out, &node.name);
            out.push_str(r#","kind":"#);
            Self::kind(out, node.kind);
            out.push_str(r#","location":{"uri":"#);
            out.push_str(&uri_json);
            out.push_str(r#","range":"#);
            Self::range(out, p[0], p[1]);
            out.push('}');
            if let Some(parent) = node.parent {
                out.push_str(r#","containerName":"#);
                json_string(out, &outline.nodes[parent].name);
            }
            out.push('}');
        }
        out.push(']');
    }
}

#[cfg(test)]
#[allow(deprecated)] // DocumentSymbol::deprecated is a required field in lsp-types
pub(super) fn document_symbols(state: &DocState, enc: Encoding, rate: f64) -> Vec<DocumentSymbol> {
    let a = &state.analysis;
    let rope = state.doc.rope();
    pub(super) fn build(
        a: &Analysis,
        rope: &ropey::Rope,
        nodes: &[usize],
        enc: Encoding,
        rate: f64,
    ) -> Vec<DocumentSymbol> {
        nodes
            .iter()
            .map(|&n| {
                let node = &a.structure.outline.nodes[n];
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
    build(a, rope, &a.structure.outline.roots, enc, rate)
}

#[allow(deprecated)]
pub(super) fn flat_symbols(state: &DocState, uri: &Url, enc: Encoding) -> Vec<SymbolInformation> {
    let a = &state.analysis;
    a.structure
        .outline
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
            container_name: node
                .parent
                .map(|p| a.structure.outline.nodes[p].name.clone()),
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

pub(super) fn semantic_tokens(state: &DocState, enc: Encoding) -> Vec<SemanticToken> {
    let doc = &state.doc;
    let a = &state.analysis;
    // (line, start col, end col, type, modifiers)
    let mut raw: Vec<(u32, u32, u32, u32, u32)> = Vec::new();
    for node in a.structure.outline.nodes.iter().filter(|n| !n.is_heading()) {
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
    for l in &a.structure.learned {
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

impl Backend {
    pub async fn statistics(&self, params: DocumentParams) -> Result<Option<Value>> {
        let found = self.with_doc(&params.text_document.uri, "statistics", |state, _, settings| {
            let rate = settings.speaking_rate;
            let a = &state.analysis;
            let sections: Vec<Value> = a
                .structure
                .outline
                .roots
                .iter()
                .map(|&n| {
                    let node = &a.structure.outline.nodes[n];
                    json!({ "name": node.name, "chars": node.chars, "minutes": stats::minutes(node.chars, rate), "line": node.marker.start.line })
                })
                .collect();
            let stats = json!({ "chars": a.structure.total_chars, "minutes": stats::minutes(a.structure.total_chars, rate), "rate": rate, "sections": sections });
            (stats, state.doc.text())
        })?;
        let Some((mut stats, text)) = found else {
            return Ok(None);
        };
        // The frequent words need the word segmenter (the first request waits for it to
        // be built) and take time on a long draft: off the async workers, without the
        // documents lock.
        let words = tokio::task::spawn_blocking(move || {
            let jieba = features::words::wait(&crate::knowledge::Knowledge::builtin());
            features::words::top_words(jieba, &text, 20)
        })
        .await
        .unwrap_or_default();
        stats["words"] = words.into_iter().map(|(w, n)| json!([w, n])).collect();
        Ok(Some(stats))
    }

    pub(super) async fn on_document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let _timing = Timing("documentSymbol", std::time::Instant::now());
        let hierarchical = self.cfg().hierarchical_symbols;
        let uri = params.text_document.uri;
        // Normally answered by `direct`; this path serves a server without direct output.
        let json = self.with_doc(&uri, "documentSymbol", |state, enc, settings| {
            document_symbols_json(state, &uri, enc, settings.speaking_rate, hierarchical)
        })?;
        Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
    }

    pub(super) async fn on_folding_range(
        &self,
        params: FoldingRangeParams,
    ) -> Result<Option<Vec<FoldingRange>>> {
        self.with_doc(&params.text_document.uri, "foldingRange", |state, _, _| {
            state
                .analysis
                .structure
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

    pub(super) async fn on_code_lens(
        &self,
        params: CodeLensParams,
    ) -> Result<Option<Vec<CodeLens>>> {
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
                    format!("全文 {}", stats::describe(a.structure.total_chars, rate)),
                )];
                for &n in &a.structure.outline.roots {
                    let node = &a.structure.outline.nodes[n];
                    out.push(lens(
                        node.marker.start.line,
                        format!("本节 {}", stats::describe(node.chars, rate)),
                    ));
                }
                out
            },
        )
    }

    pub(super) async fn on_hover(&self, params: HoverParams) -> Result<Option<Hover>> {
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

    pub(super) async fn on_semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        self.with_doc(
            &params.text_document.uri,
            "semanticTokens",
            |state, enc, _| {
                SemanticTokensResult::Tokens(SemanticTokens {
                    result_id: None,
                    data: semantic_tokens(state, enc),
                })
            },
        )
    }

    pub(super) async fn on_document_highlight(
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

    pub(super) async fn on_references(
        &self,
        params: ReferenceParams,
    ) -> Result<Option<Vec<Location>>> {
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

    pub(super) async fn on_goto_definition(
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

    pub(super) async fn on_symbol(
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

    pub(super) async fn on_inlay_hint(
        &self,
        params: InlayHintParams,
    ) -> Result<Option<Vec<InlayHint>>> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;
    use crate::knowledge::Knowledge;

    /// The outline written directly is the JSON lsp-types would write, nested and flat,
    /// in every encoding, with non-BMP characters before points and CRLF line breaks.
    #[test]
    fn direct_symbols_equal_typed_ones() {
        let root = env!("CARGO_MANIFEST_DIR");
        let text = std::fs::read_to_string(format!("{root}/tests/fixtures/markers.txt"))
            .unwrap()
            .replace('\n', "\r\n")
            .replace("（一）", "𠮷（一）")
            + &std::fs::read_to_string(format!("{root}/examples/讲话稿示例.txt")).unwrap();
        let state = DocState::opened(Document::new(&text, Knowledge::builtin()), 1, None);
        let uri = Url::parse("file:///tmp/a.txt").unwrap();
        assert!(state.analysis.structure.outline.nodes.len() > 20);
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let direct: Value =
                serde_json::from_str(&document_symbols_json(&state, &uri, enc, 220.0, true))
                    .unwrap();
            let typed = serde_json::to_value(document_symbols(&state, enc, 220.0)).unwrap();
            assert_eq!(direct, typed, "{enc:?}");
            let direct: Value =
                serde_json::from_str(&document_symbols_json(&state, &uri, enc, 220.0, false))
                    .unwrap();
            let typed = serde_json::to_value(flat_symbols(&state, &uri, enc)).unwrap();
            assert_eq!(direct, typed, "{enc:?}");
        }
    }
}
