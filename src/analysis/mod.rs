//! The analysis core: text in, outline, diagnostics and facts out. Knows nothing of
//! LSP; positions are core positions (line, char column).

pub mod learned;
pub mod line;
pub mod markers;
pub mod outline;
pub mod stats;

pub use outline::{Node, NodeKind, Outline};

use crate::document::Document;
use crate::knowledge::Knowledge;
use crate::rules::{self, Diagnostic, DocCtx, Edit};
use crate::text::{Pos, Span};
use line::LineFacts;
use std::sync::Arc;

/// A formula the draft defines for itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Learned {
    pub term: String,
    pub items: Vec<String>,
    /// The number the term announces.
    pub count: u32,
    /// The defining occurrence (the term inside its quotes).
    pub span: Span,
    /// The run of points that lists the items (run form only).
    pub run: Vec<usize>,
}

#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub outline: Outline,
    /// Every diagnostic, in document order.
    pub diagnostics: Vec<Diagnostic>,
    /// The document-level ones among them (the others live in the line facts, where
    /// the LSP layer caches their conversion).
    pub document_diagnostics: Vec<Diagnostic>,
    /// The speech's date (yyyymm) from its title block, if any.
    pub date: Option<u32>,
    pub total_chars: u32,
    pub learned: Vec<Learned>,
}

impl Analysis {
    /// Whether a line-level diagnostic applies to this document (its date).
    pub fn applies(&self, d: &Diagnostic) -> bool {
        match (self.date, d.applies_after) {
            (Some(date), Some(after)) => after <= date,
            _ => true,
        }
    }
}

impl Analysis {
    /// The learned formula whose term is at `pos` or any of whose occurrences is.
    pub fn learned_named(&self, term: &str) -> Option<&Learned> {
        self.learned.iter().find(|l| l.term == term)
    }
}

/// Runs the document-level passes over cached line facts.
pub fn run(
    lines: &[Arc<LineFacts>],
    line_text: &dyn Fn(u32) -> String,
    kb: &Knowledge,
) -> Analysis {
    let outline = outline::build(lines, line_text);
    let learned = collect_learned(lines, &outline, line_text);
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    for (i, facts) in lines.iter().enumerate() {
        diagnostics.extend(facts.diagnostics.iter().map(|d| {
            let mut d = d.clone();
            d.span = d.span.with_line(i as u32);
            for fix in &mut d.fixes {
                for e in &mut fix.edits {
                    e.span = e.span.with_line(i as u32);
                }
            }
            d
        }));
    }
    let ctx = DocCtx {
        lines,
        line_text,
        outline: &outline,
        kb,
        learned: &learned,
    };
    let document_diagnostics = rules::check_document(&ctx);
    diagnostics.extend(document_diagnostics.iter().cloned());
    let date = document_date(lines, line_text);
    if let Some(date) = date {
        diagnostics.retain(|d| d.applies_after.is_none_or(|after| after <= date));
    }
    diagnostics.sort_by(|a, b| a.span.start.cmp(&b.span.start).then(a.code.cmp(b.code)));
    Analysis {
        total_chars: lines.iter().map(|l| l.counted).sum(),
        outline,
        diagnostics,
        document_diagnostics,
        date,
        learned,
    }
}

/// Lines at the head of a draft that are searched for its date.
const HEAD_LINES: usize = 12;

/// The date of the speech (yyyymm) from its title block: “（2017年10月18日）”,
/// “——2018年3月5日在……上”.
fn document_date(lines: &[Arc<LineFacts>], line_text: &dyn Fn(u32) -> String) -> Option<u32> {
    lines
        .iter()
        .take(HEAD_LINES)
        .enumerate()
        .find_map(|(i, f)| {
            if !f.title_block_like && !f.title_like {
                return None;
            }
            let text = line_text(i as u32);
            text.contains('月')
                .then(|| crate::rules::year_month(&text))
                .flatten()
        })
}

fn collect_learned(
    lines: &[Arc<LineFacts>],
    outline: &Outline,
    line_text: &dyn Fn(u32) -> String,
) -> Vec<Learned> {
    let mut out: Vec<Learned> = Vec::new();
    for (i, facts) in lines.iter().enumerate() {
        for c in &facts.learned {
            if out.iter().any(|l| l.term == c.term) {
                continue; // first definition wins
            }
            let span = Span::on_line(i as u32, c.start, c.end);
            if !c.from_run {
                out.push(Learned {
                    term: c.term.clone(),
                    items: c.items.clone(),
                    count: c.count,
                    span,
                    run: Vec::new(),
                });
                continue;
            }
            // The run that follows in the same paragraph or the next one.
            let Some(first) = outline.first_after(span.end) else {
                continue;
            };
            let node = &outline.nodes[first];
            if node.number() != 1
                || node.marker.start.line > span.end.line + 1
                || !node.is_inline() && node.marker.start.line != span.end.line
            {
                continue;
            }
            let run = outline.list_of(first);
            let run: Vec<usize> = run.into_iter().skip_while(|&n| n != first).collect();
            let items = run
                .iter()
                .map(|&n| {
                    let node = &outline.nodes[n];
                    let text = line_text(node.marker.start.line);
                    let headline: String = text
                        .chars()
                        .skip(node.marker.end.col as usize)
                        .take((node.headline.end.col - node.marker.end.col) as usize)
                        .collect();
                    outline::shorten(&headline, 20)
                })
                .collect();
            out.push(Learned {
                term: c.term.clone(),
                items,
                count: c.count,
                span,
                run,
            });
        }
    }
    out
}

/// Analyses a whole text with the built-in knowledge (CLI, tests).
pub fn analyze_text(text: &str) -> Analysis {
    Document::new(text, Knowledge::builtin()).analyze()
}

/// Applies non-overlapping edits to a text (later edits first). Overlapping edits after
/// the first are dropped.
pub fn apply_edits(text: &str, edits: &mut [Edit]) -> String {
    let mut doc = ropey::Rope::from_str(text);
    edits.sort_by_key(|e| std::cmp::Reverse(e.span.start));
    let mut floor: Option<Pos> = None;
    for e in edits.iter() {
        if floor.is_some_and(|f| e.span.end > f) {
            continue;
        }
        let start = crate::text::pos_to_char(&doc, e.span.start);
        let end = crate::text::pos_to_char(&doc, e.span.end).max(start);
        doc.remove(start..end);
        doc.insert(start, &e.new_text);
        floor = Some(e.span.start);
    }
    doc.to_string()
}
