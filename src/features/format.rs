//! Formatting and fix-all: full-width punctuation in Chinese context and paragraph
//! indentation; nothing else changes. Idempotent.

use crate::config::{IndentStyle, Settings};
use crate::document::Document;
use crate::knowledge::Knowledge;
use crate::rules::Fix;
use crate::text::Edit;
use crate::text::{Pos, Span};
use std::sync::Arc;

/// Formatting edits for a document.
pub fn format_edits(doc: &Document, indent: IndentStyle) -> Vec<Edit> {
    let mut edits = Vec::new();
    let headings: std::collections::HashSet<u32> = if indent == IndentStyle::Keep {
        Default::default()
    } else {
        let analysis = doc.analyze();
        analysis
            .structure
            .outline
            .nodes
            .iter()
            .filter(|n| n.is_heading())
            .map(|n| n.marker.start.line)
            .collect()
    };
    for (i, facts) in doc.lines().iter().enumerate() {
        if !facts.is_prose() {
            continue;
        }
        let line = i as u32;
        let text = doc.line_text(line);
        let chars: Vec<char> = text.chars().collect();
        for (col, full) in crate::rules::half_width_in_chinese(&chars) {
            edits.push(Edit {
                span: Span::on_line(line, col as u32, col as u32 + 1),
                new_text: full.to_string(),
            });
        }
        let wanted = match indent {
            IndentStyle::Keep => None,
            IndentStyle::Fullwidth => Some("\u{3000}\u{3000}"),
            IndentStyle::None => Some(""),
        };
        if let Some(wanted) = wanted {
            let current: String = chars[..facts.indent as usize].iter().collect();
            // Headings, title lines and salutations (同志们：, flush left in print)
            // keep their own indentation.
            if current != wanted && !headings.contains(&line) && !facts.salutation {
                edits.push(Edit {
                    span: Span::new(Pos::new(line, 0), Pos::new(line, facts.indent)),
                    new_text: wanted.to_string(),
                });
            }
        }
    }
    edits
}

/// Applies every certain fix and formatting until nothing changes (at most a few passes).
pub fn fix_all(text: &str, kb: &Arc<Knowledge>, settings: &Settings) -> String {
    let mut current = text.to_string();
    for _ in 0..4 {
        let mut doc = Document::new(&current, kb.clone());
        doc.set_date_setting(settings.date);
        let analysis = doc.analyze();
        let mut edits: Vec<Edit> = crate::rules::visible(&analysis.diagnostics, settings)
            .iter()
            .flat_map(|(_, d)| {
                d.fixes
                    .iter()
                    .filter(|f| f.certain)
                    .take(1)
                    .cloned()
                    .collect::<Vec<Fix>>()
            })
            .flat_map(|f| f.edits)
            .collect();
        edits.extend(format_edits(&doc, settings.indent));
        if edits.is_empty() {
            break;
        }
        let next = crate::text::apply_edits(&current, &mut edits);
        if next == current {
            break;
        }
        current = next;
    }
    current
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_is_idempotent_and_changes_only_punctuation_and_indent() {
        let text =
            "  意识形态发言稿\n同志们：\n 工作,关乎旗帜;要落实(部门)责任.\r\n\t3.5亿元, Word文档\n";
        let kb = Knowledge::builtin();
        let doc = Document::new(text, kb.clone());
        let mut edits = format_edits(&doc, IndentStyle::Fullwidth);
        let once = crate::text::apply_edits(text, &mut edits);
        assert_eq!(
            once,
            "  意识形态发言稿\n同志们：\n　　工作，关乎旗帜；要落实（部门）责任。\r\n　　3.5亿元, Word文档\n"
        );
        let doc2 = Document::new(&once, kb);
        assert!(format_edits(&doc2, IndentStyle::Fullwidth).is_empty());
    }
}
