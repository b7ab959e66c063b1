//! An open document: the text as a rope, with cached facts and line-rule findings per
//! line. Edits re-analyse only the lines they touch; the document pass and the
//! document rules then run over the cached facts. This is where the core's layers
//! meet: `analysis` finds the structure, `rules` judge it.

use crate::analysis::{self, line::LineFacts, Structure};
use crate::knowledge::Knowledge;
use crate::rules::{self, Diagnostic, DocCtx, LineCtx};
use crate::text::{self, Date, Encoding};
use ropey::Rope;
use std::sync::Arc;

/// A client range: (line, column in the client's units) at both ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientRange {
    pub start: (u32, u32),
    pub end: (u32, u32),
}

/// Where the date a draft is judged at comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateSource {
    /// Its title block or closing date line.
    Draft,
    /// The `date` setting.
    Setting,
    /// No date given: today.
    Today,
}

/// The findings on a document at one version.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub structure: Structure,
    /// Every diagnostic that applies at the draft's date, in document order.
    pub diagnostics: Vec<Diagnostic>,
    /// The document rules' findings among them (line findings live in the line cache,
    /// where adapters cache their conversion).
    pub document_diagnostics: Vec<Diagnostic>,
    /// The date the draft is judged at.
    pub date: Date,
    pub date_source: Option<DateSource>,
}

/// One cached line: its facts and its line rules' findings (spans on line 0).
pub struct Line {
    pub facts: Arc<LineFacts>,
    pub diagnostics: Arc<[Diagnostic]>,
}

pub struct Document {
    rope: Rope,
    facts: Vec<Arc<LineFacts>>,
    diagnostics: Vec<Arc<[Diagnostic]>>,
    kb: Arc<Knowledge>,
    /// The `date` setting, used when the draft has no date of its own.
    date_setting: Option<Date>,
}

impl Document {
    pub fn new(text: &str, kb: Arc<Knowledge>) -> Document {
        let rope = Rope::from_str(text);
        let mut doc = Document {
            rope,
            facts: Vec::new(),
            diagnostics: Vec::new(),
            kb,
            date_setting: None,
        };
        doc.analyze_all_lines(text);
        doc
    }

    pub fn rope(&self) -> &Rope {
        &self.rope
    }

    pub fn text(&self) -> String {
        self.rope.to_string()
    }

    pub fn knowledge(&self) -> &Arc<Knowledge> {
        &self.kb
    }

    /// Facts of every line.
    pub fn lines(&self) -> &[Arc<LineFacts>] {
        &self.facts
    }

    /// The line rules' findings on line `i` (spans on line 0), shared while the line
    /// is unchanged: adapters key caches on the pointer.
    pub fn line_diagnostics(&self, i: usize) -> &Arc<[Diagnostic]> {
        &self.diagnostics[i]
    }

    /// The text of a line without its line break ("" past the end).
    pub fn line_text(&self, line: u32) -> String {
        if (line as usize) < self.rope.len_lines() {
            text::line_content(&self.rope, line as usize).to_string()
        } else {
            String::new()
        }
    }

    /// Replaces the knowledge (glossary changed): every line is re-analysed.
    pub fn set_knowledge(&mut self, kb: Arc<Knowledge>) {
        self.kb = kb;
        self.reanalyze_all();
    }

    /// Sets the date used when the draft has no date of its own.
    pub fn set_date_setting(&mut self, date: Option<Date>) {
        self.date_setting = date;
    }

    fn reanalyze_all(&mut self) {
        let text = self.rope.to_string();
        self.analyze_all_lines(&text);
    }

    /// Analyses every line of `text` (the rope's content), in parallel on large texts.
    fn analyze_all_lines(&mut self, text: &str) {
        let lines = text::split_lines(text);
        if lines.len() != self.rope.len_lines() {
            // Cannot happen (both split at LF, CRLF and CR); the rope decides.
            tracing::warn!("line split disagrees with the rope; analysing line by line");
            let n = self.rope.len_lines();
            (self.facts, self.diagnostics) = (0..n).map(|i| self.analyze_line(i)).unzip();
            return;
        }
        let kb = &*self.kb;
        let results = parallel_map(&lines, text.len(), |line| analyze_line(line, kb));
        (self.facts, self.diagnostics) = results.into_iter().unzip();
    }

    fn analyze_line(&self, i: usize) -> (Arc<LineFacts>, Arc<[Diagnostic]>) {
        let content = text::line_content(&self.rope, i);
        let s: std::borrow::Cow<str> = content.into();
        analyze_line(&s, &self.kb)
    }

    /// Applies one content change: a range replacement, or the whole text when `range`
    /// is None. Positions out of range are clamped.
    pub fn apply_change(&mut self, range: Option<ClientRange>, new_text: &str, enc: Encoding) {
        let Some(range) = range else {
            self.rope = Rope::from_str(new_text);
            self.reanalyze_all();
            return;
        };
        let a = text::position_to_char(&self.rope, range.start.0, range.start.1, enc);
        let b = text::position_to_char(&self.rope, range.end.0, range.end.1, enc);
        let (start, end) = (a.min(b), a.max(b));
        let first_line = self.rope.char_to_line(start).saturating_sub(1);
        let old_last_line = self.rope.char_to_line(end);
        self.rope.remove(start..end);
        self.rope.insert(start, new_text);
        let inserted = new_text.chars().count();
        let new_last_line =
            (self.rope.char_to_line(start + inserted) + 1).min(self.rope.len_lines() - 1);
        let old_last_line = (old_last_line + 1).min(self.facts.len().saturating_sub(1));
        // Lines before first_line and after the edited region keep their content; the
        // old region [first_line, old_last_line] becomes [first_line, new_last_line].
        let (facts, diagnostics): (Vec<_>, Vec<_>) = (first_line..=new_last_line)
            .map(|i| self.analyze_line(i))
            .unzip();
        if first_line <= old_last_line && old_last_line < self.facts.len() {
            self.facts.splice(first_line..=old_last_line, facts);
            self.diagnostics
                .splice(first_line..=old_last_line, diagnostics);
        } else {
            self.facts.clear();
        }
        if self.facts.len() != self.rope.len_lines() {
            tracing::warn!("line cache out of step after an edit; re-analysing the document");
            self.reanalyze_all();
        }
    }

    /// Runs the document pass and the document rules on the current text, and keeps
    /// the findings that apply at the draft's date.
    pub fn analyze(&self) -> Analysis {
        let line_text = |l: u32| self.line_text(l);
        let structure = analysis::run(&self.facts, &line_text);
        let (date, date_source) = match (structure.title_date, self.date_setting) {
            (Some(d), _) => (d, DateSource::Draft),
            (None, Some(d)) => (d, DateSource::Setting),
            (None, None) => (Date::today(), DateSource::Today),
        };
        let ctx = DocCtx {
            lines: &self.facts,
            line_text: &line_text,
            structure: &structure,
            kb: &self.kb,
            date,
        };
        let mut document_diagnostics = rules::check_document(&ctx);
        document_diagnostics.retain(|d| d.valid.applies(date));
        let mut diagnostics: Vec<Diagnostic> = self
            .diagnostics
            .iter()
            .enumerate()
            .flat_map(|(i, ds)| {
                ds.iter()
                    .filter(|d| d.valid.applies(date))
                    .map(move |d| d.clone().on_line(i as u32))
            })
            .collect();
        diagnostics.extend(document_diagnostics.iter().cloned());
        diagnostics.sort_by(|a, b| a.span.start.cmp(&b.span.start).then(a.code.cmp(b.code)));
        Analysis {
            structure,
            diagnostics,
            document_diagnostics,
            date,
            date_source: Some(date_source),
        }
    }

    /// Line facts computed from scratch (for tests of the incremental cache).
    #[doc(hidden)]
    pub fn fresh_lines(&self) -> Vec<Arc<LineFacts>> {
        (0..self.rope.len_lines())
            .map(|i| self.analyze_line(i).0)
            .collect()
    }

    /// Whether the line cache (facts and findings) equals a fresh analysis of every
    /// line (for tests and the fuzz target).
    #[doc(hidden)]
    pub fn cache_is_fresh(&self) -> bool {
        let n = self.rope.len_lines();
        self.facts.len() == n
            && self.diagnostics.len() == n
            && (0..n).all(|i| {
                let (facts, diagnostics) = self.analyze_line(i);
                format!("{facts:?}") == format!("{:?}", self.facts[i])
                    && *diagnostics == *self.diagnostics[i]
            })
    }
}

/// Facts and line-rule findings of one line.
fn analyze_line(s: &str, kb: &Knowledge) -> (Arc<LineFacts>, Arc<[Diagnostic]>) {
    let chars: Vec<char> = s.chars().collect();
    let facts = analysis::line::analyze_line_chars(s, &chars, kb);
    let diagnostics = rules::check_line(&LineCtx::new(s, &chars, &facts, kb));
    (Arc::new(facts), diagnostics.into())
}

/// Texts below this size are analysed on one thread (starting threads costs more).
const PARALLEL_FROM_BYTES: usize = 128 * 1024;

/// `f` over `items` in order; on several threads when the text (`bytes` long) is large.
/// Lines are independent, so each thread takes a contiguous run of about equal bytes.
fn parallel_map<T: Send>(
    items: &[&str],
    bytes: usize,
    f: impl Fn(&str) -> T + Sync,
) -> Vec<T> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || bytes < PARALLEL_FROM_BYTES {
        return items.iter().map(|s| f(s)).collect();
    }
    // Cut into runs of about bytes / threads.
    let target = bytes / threads + 1;
    let mut runs: Vec<&[&str]> = Vec::with_capacity(threads);
    let (mut start, mut size) = (0, 0);
    for (i, s) in items.iter().enumerate() {
        size += s.len() + 1;
        if size >= target {
            runs.push(&items[start..=i]);
            (start, size) = (i + 1, 0);
        }
    }
    runs.push(&items[start..]);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = runs
            .into_iter()
            .map(|run| scope.spawn(move || run.iter().map(|s| f(s)).collect::<Vec<T>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// Analyses a whole text with the built-in knowledge (CLI, tests).
pub fn analyze_text(text: &str) -> Analysis {
    Document::new(text, Knowledge::builtin()).analyze()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts_equal(a: &LineFacts, b: &LineFacts) -> bool {
        format!("{a:?}") == format!("{b:?}")
    }

    #[test]
    fn incremental_edits_keep_the_cache_equal_to_a_fresh_analysis() {
        let kb = Knowledge::builtin();
        let mut doc = Document::new("一要统一思想。\r\n二要强化责任。一是知责。\n\n𠮷三要", kb);
        type Edit<'a> = ((u32, u32), (u32, u32), &'a str);
        let edits: &[Edit] = &[
            ((0, 2), (0, 4), "提高认识"),
            ((1, 0), (2, 0), ""),
            ((0, 7), (0, 7), "\n（一）加强\r领导。\r\n"),
            ((3, 2), (9, 0), "四要"),
            ((0, 0), (0, 0), "\r"),
        ];
        for &(s, e, t) in edits {
            doc.apply_change(Some(ClientRange { start: s, end: e }), t, Encoding::Utf16);
            let fresh = doc.fresh_lines();
            assert_eq!(doc.facts.len(), fresh.len());
            for (a, b) in doc.facts.iter().zip(&fresh) {
                assert!(facts_equal(a, b));
            }
        }
    }
}
