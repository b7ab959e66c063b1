//! An open document: the text as a rope, with cached facts per line. Edits re-analyse
//! only the lines they touch; the document-level passes run over the cached facts.

use crate::analysis::{self, line::LineFacts, Analysis};
use crate::knowledge::Knowledge;
use crate::text::{self, Encoding};
use ropey::Rope;
use std::sync::Arc;

/// A client range: (line, column in the client's units) at both ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientRange {
    pub start: (u32, u32),
    pub end: (u32, u32),
}

pub struct Document {
    rope: Rope,
    lines: Vec<Arc<LineFacts>>,
    kb: Arc<Knowledge>,
}

impl Document {
    pub fn new(text: &str, kb: Arc<Knowledge>) -> Document {
        let rope = Rope::from_str(text);
        let mut doc = Document {
            rope,
            lines: Vec::new(),
            kb,
        };
        doc.reanalyze_all();
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

    pub fn lines(&self) -> &[Arc<LineFacts>] {
        &self.lines
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

    fn reanalyze_all(&mut self) {
        let n = self.rope.len_lines();
        self.lines = (0..n).map(|i| self.analyze_line(i)).collect();
    }

    fn analyze_line(&self, i: usize) -> Arc<LineFacts> {
        let content = text::line_content(&self.rope, i);
        let s: std::borrow::Cow<str> = content.into();
        Arc::new(analysis::line::analyze_line(&s, &self.kb))
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
        let old_last_line = (old_last_line + 1).min(self.lines.len().saturating_sub(1));
        // Lines before first_line and after the edited region keep their content; the
        // old region [first_line, old_last_line] becomes [first_line, new_last_line].
        let fresh: Vec<Arc<LineFacts>> = (first_line..=new_last_line)
            .map(|i| self.analyze_line(i))
            .collect();
        if first_line <= old_last_line && old_last_line < self.lines.len() {
            self.lines.splice(first_line..=old_last_line, fresh);
        } else {
            self.lines.clear();
        }
        if self.lines.len() != self.rope.len_lines() {
            tracing::warn!("line cache out of step after an edit; re-analysing the document");
            self.reanalyze_all();
        }
    }

    /// Runs the document-level analysis on the current text.
    pub fn analyze(&self) -> Analysis {
        let line_text = |l: u32| self.line_text(l);
        analysis::run(&self.lines, &line_text, &self.kb)
    }

    /// Line facts computed from scratch (for tests of the incremental cache).
    #[doc(hidden)]
    pub fn fresh_lines(&self) -> Vec<Arc<LineFacts>> {
        (0..self.rope.len_lines())
            .map(|i| self.analyze_line(i))
            .collect()
    }
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
            assert_eq!(doc.lines.len(), fresh.len());
            for (a, b) in doc.lines.iter().zip(&fresh) {
                assert!(facts_equal(a, b));
            }
        }
    }
}

/// A reference model of LSP edits, written independently of `crate::text`, and a
/// checker that drives a `Document` and the model side by side. Used by the property
/// test below and by the cargo-fuzz target in `fuzz/`.
#[doc(hidden)]
pub mod reference {
    use super::*;
    use crate::text::Pos;

    /// One edit: replace (l1, c1)..(l2, c2), columns in `enc` units, by `text`.
    #[derive(Debug, Clone)]
    pub struct Op {
        pub l1: u32,
        pub c1: u32,
        pub l2: u32,
        pub c2: u32,
        pub text: String,
        pub enc: Encoding,
    }

    /// Byte offset of (line, units) by the LSP rules (lines end at CRLF, LF or CR;
    /// columns past the end clamp to it; a column inside a character goes to its start).
    pub fn offset(text: &str, line: u32, units: u32, enc: Encoding) -> usize {
        let mut starts = vec![0usize];
        let b = text.as_bytes();
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'\r' if b.get(i + 1) == Some(&b'\n') => {
                    starts.push(i + 2);
                    i += 2;
                    continue;
                }
                b'\r' | b'\n' => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        let Some(&start) = starts.get(line as usize) else {
            return text.len();
        };
        let rest = &text[start..];
        let end = rest.find(['\r', '\n']).unwrap_or(rest.len());
        let mut used = 0u32;
        for (off, c) in rest[..end].char_indices() {
            let w = match enc {
                Encoding::Utf8 => c.len_utf8(),
                Encoding::Utf16 => c.len_utf16(),
                Encoding::Utf32 => 1,
            } as u32;
            if used + w > units {
                return start + off;
            }
            used += w;
        }
        start + end
    }

    /// Applies `ops` to a document and to the model, comparing text and line cache after
    /// every step; then runs the analysis, hover and completion everywhere.
    pub fn run(start: &str, ops: &[Op]) -> Result<(), String> {
        let mut model = start.to_string();
        let mut doc = Document::new(start, Knowledge::builtin());
        for op in ops {
            let a = offset(&model, op.l1, op.c1, op.enc);
            let b = offset(&model, op.l2, op.c2, op.enc);
            let (range, from, to) = if a <= b {
                (
                    ClientRange {
                        start: (op.l1, op.c1),
                        end: (op.l2, op.c2),
                    },
                    a,
                    b,
                )
            } else {
                (
                    ClientRange {
                        start: (op.l2, op.c2),
                        end: (op.l1, op.c1),
                    },
                    b,
                    a,
                )
            };
            model.replace_range(from..to, &op.text);
            doc.apply_change(Some(range), &op.text, op.enc);
            if doc.text() != model {
                return Err(format!(
                    "text differs after {op:?}: {:?} vs {model:?}",
                    doc.text()
                ));
            }
            let fresh = doc.fresh_lines();
            if doc.lines.len() != fresh.len()
                || doc
                    .lines
                    .iter()
                    .zip(&fresh)
                    .any(|(x, y)| format!("{x:?}") != format!("{y:?}"))
            {
                return Err(format!(
                    "line cache differs from a fresh analysis after {op:?}"
                ));
            }
        }
        let analysis = doc.analyze();
        for line in 0..doc.lines.len() as u32 + 1 {
            for col in [0, 1, 3, 99] {
                let pos = Pos::new(line, col);
                let _ = crate::features::hover(&doc, &analysis, pos, 220.0);
                let _ = crate::features::completion::complete(&doc, &analysis, pos, true);
            }
        }
        Ok(())
    }
}

/// Random edit sequences against the reference model (bounded so CI stays fast; the
/// cargo-fuzz target in `fuzz/` runs the same property for longer).
#[cfg(test)]
mod edit_properties {
    use super::reference::{run, Op};
    use super::*;
    use proptest::prelude::*;

    fn piece() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop::sample::select(vec![
                "一要",
                "𠮷",
                "😀",
                "\r\n",
                "\n",
                "\r",
                "，",
                "。",
                "a",
                "四个意识",
                "（一）",
                "xx",
                "”",
            ]),
            0..4,
        )
        .prop_map(|v| v.concat())
    }

    fn encoding() -> impl Strategy<Value = Encoding> {
        prop::sample::select(vec![Encoding::Utf8, Encoding::Utf16, Encoding::Utf32])
    }

    proptest! {
        // PROPTEST_CASES raises the bound for a longer local run.
        #![proptest_config(ProptestConfig {
            cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64),
            ..ProptestConfig::default()
        })]
        #[test]
        fn edits_match_the_reference(
            start in piece(),
            edits in prop::collection::vec((0u32..6, 0u32..12, 0u32..6, 0u32..12, piece(), encoding()), 1..20)
        ) {
            let ops: Vec<Op> = edits
                .into_iter()
                .map(|(l1, c1, l2, c2, text, enc)| Op { l1, c1, l2, c2, text, enc })
                .collect();
            if let Err(e) = run(&start, &ops) {
                prop_assert!(false, "{}", e);
            }
        }
    }
}
