//! The structure model: text in, facts out. Line facts (`line`, cached per line by
//! `document`), then the document pass over them: points and their lists (`outline`),
//! definitions the draft makes (`learned`), and the document's date (`date`). Knows
//! nothing of diagnostics, LSP or files; positions are core positions.

pub mod date;
pub mod learned;
pub mod line;
pub mod markers;
pub mod outline;
pub mod stats;
pub mod year_claim;

pub use outline::{Node, NodeKind, Outline};

use crate::text::{Date, Span};
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

/// What the document pass finds over the cached line facts.
#[derive(Debug, Clone, Default)]
pub struct Structure {
    pub outline: Outline,
    pub learned: Vec<Learned>,
    /// The date in the title block (or the closing date line), if any.
    pub title_date: Option<Date>,
    pub total_chars: u32,
}

impl Structure {
    pub fn learned_named(&self, term: &str) -> Option<&Learned> {
        self.learned.iter().find(|l| l.term == term)
    }
}

/// Runs the document pass over cached line facts.
pub fn run(lines: &[Arc<LineFacts>], line_text: &dyn Fn(u32) -> String) -> Structure {
    run_recording(lines, line_text).0
}

/// `run`, with the title lines whose treatment turned on the titles before them (see
/// `outline::Segment::queried`).
pub fn run_recording(
    lines: &[Arc<LineFacts>],
    line_text: &dyn Fn(u32) -> String,
) -> (Structure, Vec<(u32, String)>) {
    let segment = outline::build_segment(lines, lines.len(), line_text, &Default::default());
    let outline = segment.outline;
    let learned = learned::collect(lines, &outline, line_text);
    let structure = Structure {
        total_chars: lines.iter().map(|l| l.counted).sum(),
        title_date: date::title_date(lines, line_text),
        outline,
        learned,
    };
    (structure, segment.queried)
}

/// Line facts of a whole text, for tests of the document pass.
#[cfg(test)]
pub(crate) fn structure_of(text: &str, kb: &crate::knowledge::Knowledge) -> Structure {
    let lines: Vec<Arc<LineFacts>> = text
        .split('\n')
        .map(|l| Arc::new(line::analyze_line(l.trim_end_matches('\r'), kb)))
        .collect();
    let texts: Vec<&str> = text.split('\n').collect();
    run(&lines, &|i| {
        texts
            .get(i as usize)
            .map(|t| t.trim_end_matches('\r').to_string())
            .unwrap_or_default()
    })
}
