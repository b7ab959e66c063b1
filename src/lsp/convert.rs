//! Core ↔ LSP types. Column arithmetic is delegated to `crate::text`, the one place
//! that knows encodings.

use crate::config::RuleLevel;
use crate::rules::Edit;
use crate::text::{self, Encoding, Pos, Span};
use ropey::Rope;
use tower_lsp::lsp_types as lsp;

pub fn encoding_of(kind: &lsp::PositionEncodingKind) -> Option<Encoding> {
    match kind.as_str() {
        "utf-8" => Some(Encoding::Utf8),
        "utf-16" => Some(Encoding::Utf16),
        "utf-32" => Some(Encoding::Utf32),
        _ => None,
    }
}

pub fn encoding_kind(enc: Encoding) -> lsp::PositionEncodingKind {
    match enc {
        Encoding::Utf8 => lsp::PositionEncodingKind::UTF8,
        Encoding::Utf16 => lsp::PositionEncodingKind::UTF16,
        Encoding::Utf32 => lsp::PositionEncodingKind::UTF32,
    }
}

/// The first encoding the client offers that the server speaks; UTF-16 when it says
/// nothing (the protocol's default).
pub fn negotiate(offered: Option<&[lsp::PositionEncodingKind]>) -> Encoding {
    offered
        .unwrap_or_default()
        .iter()
        .find_map(encoding_of)
        .unwrap_or(Encoding::Utf16)
}

pub fn to_pos(rope: &Rope, p: lsp::Position, enc: Encoding) -> Pos {
    text::position_to_pos(rope, p.line, p.character, enc)
}

pub fn to_position(rope: &Rope, p: Pos, enc: Encoding) -> lsp::Position {
    let (line, character) = text::pos_to_position(rope, p, enc);
    lsp::Position { line, character }
}

pub fn to_range(rope: &Rope, s: Span, enc: Encoding) -> lsp::Range {
    lsp::Range {
        start: to_position(rope, s.start, enc),
        end: to_position(rope, s.end, enc),
    }
}

pub fn to_span(rope: &Rope, r: lsp::Range, enc: Encoding) -> Span {
    Span::new(to_pos(rope, r.start, enc), to_pos(rope, r.end, enc))
}

/// The number LSP gives `severity(level)` (for JSON written directly).
pub fn severity_number(level: RuleLevel) -> u32 {
    match level {
        RuleLevel::Error => 1,
        RuleLevel::Warning => 2,
        RuleLevel::Info => 3,
        RuleLevel::Hint | RuleLevel::Off => 4,
    }
}

pub fn severity(level: RuleLevel) -> lsp::DiagnosticSeverity {
    match level {
        RuleLevel::Error => lsp::DiagnosticSeverity::ERROR,
        RuleLevel::Warning => lsp::DiagnosticSeverity::WARNING,
        RuleLevel::Info => lsp::DiagnosticSeverity::INFORMATION,
        RuleLevel::Hint | RuleLevel::Off => lsp::DiagnosticSeverity::HINT,
    }
}

pub fn diagnostic(
    rope: &Rope,
    d: &crate::rules::Diagnostic,
    level: RuleLevel,
    enc: Encoding,
) -> lsp::Diagnostic {
    diagnostic_with(&mut text::PositionCursor::new(rope, enc), d, level)
}

/// Converts with a shared cursor (for many diagnostics in document order).
pub fn diagnostic_with(
    cursor: &mut text::PositionCursor,
    d: &crate::rules::Diagnostic,
    level: RuleLevel,
) -> lsp::Diagnostic {
    let mut position = |p: Pos| {
        let (line, character) = cursor.convert(p);
        lsp::Position { line, character }
    };
    lsp::Diagnostic {
        range: lsp::Range {
            start: position(d.span.start),
            end: position(d.span.end),
        },
        severity: Some(severity(level)),
        code: Some(lsp::NumberOrString::String(d.code.to_string())),
        source: Some("jianggao".into()),
        message: d.message.clone(),
        ..Default::default()
    }
}

pub fn text_edit(rope: &Rope, e: &Edit, enc: Encoding) -> lsp::TextEdit {
    lsp::TextEdit {
        range: to_range(rope, e.span, enc),
        new_text: e.new_text.clone(),
    }
}

/// A workspace edit on one document from core edits (overlapping edits dropped).
pub fn workspace_edit(
    rope: &Rope,
    uri: &lsp::Url,
    edits: &[Edit],
    enc: Encoding,
) -> lsp::WorkspaceEdit {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| e.span.start);
    let mut kept: Vec<&Edit> = Vec::new();
    for e in sorted {
        if kept.last().is_none_or(|k| k.span.end <= e.span.start) {
            kept.push(e);
        }
    }
    let changes = kept.into_iter().map(|e| text_edit(rope, e, enc)).collect();
    lsp::WorkspaceEdit {
        changes: Some([(uri.clone(), changes)].into_iter().collect()),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation_takes_the_first_supported_encoding() {
        use lsp::PositionEncodingKind as K;
        assert_eq!(negotiate(None), Encoding::Utf16);
        assert_eq!(
            negotiate(Some(&[K::new("utf-7"), K::UTF8, K::UTF16])),
            Encoding::Utf8
        );
        assert_eq!(negotiate(Some(&[K::UTF32])), Encoding::Utf32);
        assert_eq!(negotiate(Some(&[])), Encoding::Utf16);
    }
}
