//! A reference model of LSP edits, written independently of `crate::text`, and a
//! checker that drives a `Document` and the model side by side, then runs the editor
//! features everywhere. Used by the property test below and by the cargo-fuzz target
//! in `fuzz/`.

pub use model::*;

mod model {
    use crate::document::{ClientRange, Document};
    use crate::knowledge::Knowledge;
    use crate::text::{Encoding, Pos};

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
        let mut updated = doc.analyze();
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
            if !doc.cache_is_fresh() {
                return Err(format!(
                    "line cache differs from a fresh analysis after {op:?}"
                ));
            }
            doc.update(&mut updated);
            crate::document::compare_analyses(&updated, &doc.analyze())
                .map_err(|e| format!("after {op:?}: {e}"))?;
        }
        let analysis = doc.analyze();
        for line in 0..doc.lines().len() as u32 + 1 {
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
    use super::{run, Op};
    use crate::text::Encoding;
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
                "\n会议讲话\n——在会议上的讲话\n同志们：\n",
                "\n# 题\n",
                "二、",
                "讲三点意见。",
                "以上三点",
                "“四不”",
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
