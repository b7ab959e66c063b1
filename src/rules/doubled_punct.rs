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
            // many (展现新作为！。), and the fix deletes it.
            if matches!(a, '！' | '？') && point(b) {
                let second = Span::on_line(0, i as u32 + 1, i as u32 + 2);
                out.push(
                    Diagnostic::new(
                        self.code(),
                        self.default_level(),
                        Span::on_line(0, i as u32, i as u32 + 2),
                        format!("标点重复：“{a}”之后不再用“{b}”。"),
                    )
                    .with_fix(Fix {
                        title: format!("删除多余的“{b}”"),
                        edits: vec![Edit {
                            span: second,
                            new_text: String::new(),
                        }],
                        certain: true,
                    }),
                );
                next = i + 2;
                continue;
            }
            if point(a) && point(b) {
                let span = Span::on_line(0, i as u32, i as u32 + 2);
                let mut d = Diagnostic::new(
                    self.code(),
                    self.default_level(),
                    span,
                    format!("标点重复：“{a}{b}”。"),
                );
                if a == b {
                    let second = Span::on_line(0, i as u32 + 1, i as u32 + 2);
                    d = d.with_fix(Fix {
                        title: format!("删除多余的“{b}”"),
                        edits: vec![Edit {
                            span: second,
                            new_text: String::new(),
                        }],
                        certain: true,
                    });
                }
                out.push(d);
                next = i + 2;
            }
        }
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
