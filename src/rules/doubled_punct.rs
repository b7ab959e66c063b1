//! Doubled punctuation: ，， 、、 。。 ；。 and similar.

use super::{Diagnostic, Edit, Fix, LineCtx, Rule, RuleDoc};
use crate::config::RuleLevel;
use crate::text::Span;

fn point(c: char) -> bool {
    matches!(c, '，' | '、' | '。' | '；' | '：')
}

pub struct DoubledPunct;

impl Rule for DoubledPunct {
    fn code(&self) -> &'static str {
        "doubled-punctuation"
    }
    fn default_level(&self) -> RuleLevel {
        RuleLevel::Warning
    }
    fn doc(&self) -> RuleDoc {
        RuleDoc {
            title: "标点重复 (doubled punctuation)",
            description: "Two pause marks in a row (，， 、、 。。 ；。 ，。), or a pause mark after ！ or ？ (展现新作为！。). Identical pairs, and the mark after ！ or ？, are fixed by deleting one; mixed pairs need a decision. ？！ and ！！ are rhetorical and allowed; …… and —— are single marks, and 。。。 is an ellipsis typed wrong (irregular-mark).",
            bad: "要统一思想，，提高认识。。",
            good: "要统一思想，提高认识。",
        }
    }
    fn check_line(&self, ctx: &LineCtx, out: &mut Vec<Diagnostic>) {
        let chars = ctx.chars;
        // Pause marks are not Han chars: only the others can start a pair.
        let mut next = 0;
        for &i in ctx.others() {
            let i = i as usize;
            if i < next || i + 1 >= chars.len() {
                continue;
            }
            let (a, b) = (chars[i], chars[i + 1]);
            // 。。。 is an ellipsis typed wrong (irregular-mark), not a doubled stop.
            if a == '。' && b == '。' && chars.get(i + 2) == Some(&'。') {
                next = i + chars[i..].iter().take_while(|&&c| c == '。').count();
                continue;
            }
            // ！ and ？ end a sentence themselves: a pause mark after them is one too
            // many (展现新作为！。).
            let after_end = matches!(a, '！' | '？') && point(b);
            if after_end || point(a) && point(b) {
                let span = Span::on_line(0, i as u32, i as u32 + 2);
                let message = if after_end {
                    format!("标点重复：“{a}”之后不再用“{b}”。")
                } else {
                    format!("标点重复：“{a}{b}”。")
                };
                let d = Diagnostic::new(self.code(), self.default_level(), span, message);
                // One of two alike, or the mark after a sentence's end, goes.
                out.push(if a == b || after_end {
                    d.with_fix(delete_second(i, b))
                } else {
                    d
                });
                next = i + 2;
            }
        }
    }
}

/// The fix that deletes `b`, the second mark of the pair at `i`.
fn delete_second(i: usize, b: char) -> Fix {
    Fix {
        title: format!("删除多余的“{b}”"),
        edits: vec![Edit {
            span: Span::on_line(0, i as u32 + 1, i as u32 + 2),
            new_text: String::new(),
        }],
        certain: true,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{apply_first_fixes, diags};

    #[test]
    fn a_pause_mark_after_an_exclamation() {
        let text = "展现新作为！。真的吗？，热烈祝贺！！";
        let d = diags("doubled-punctuation", text);
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(
            apply_first_fixes(text, &d),
            "展现新作为！真的吗？热烈祝贺！！"
        );
    }

    #[test]
    fn identical_pairs_are_fixed_mixed_pairs_reported() {
        let text = "统一思想，，提高认识；。真的吗？！……——。。。";
        let d = diags("doubled-punctuation", text);
        assert_eq!(d.len(), 2);
        assert_eq!(
            apply_first_fixes(text, &d),
            "统一思想，提高认识；。真的吗？！……——。。。"
        );
    }
}
