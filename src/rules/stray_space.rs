//! A space between two Chinese characters inside a sentence (总结工作 情况): a typing or
//! conversion slip. Headings, titles, signatures and name lists, where spaces align or
//! separate on purpose (讲  话, 王　伟　李　明), are left alone: only prose paragraphs
//! that end a sentence are read.

use super::{Diagnostic, Edit, Fix, LineCtx, Rule, RuleDoc};
use crate::analysis::line::LineKind;
use crate::config::RuleLevel;
use crate::text::{is_han, Span};

/// Paragraphs shorter than this (in 字) are not taken for prose.
const MIN_PROSE_CHARS: u32 = 15;

pub struct StraySpace;

impl Rule for StraySpace {
    fn code(&self) -> &'static str {
        "stray-space"
    }
    fn default_level(&self) -> RuleLevel {
        RuleLevel::Warning
    }
    fn doc(&self) -> RuleDoc {
        RuleDoc {
            title: "汉字间多余空格 (a stray space between Chinese characters)",
            description: "A single space (half- or full-width) between two Chinese characters in a prose paragraph is a slip: Chinese text has no word spaces. Headings, titles, salutations, signatures and name lists, which use spaces on purpose, are not checked; nor are paragraphs that do not end a sentence. The fix removes the space.",
            bad: "认真总结工作 情况，查找存在的不足，明确今后的努力方向。",
            good: "认真总结工作情况，查找存在的不足，明确今后的努力方向。",
        }
    }
    fn check_line(&self, ctx: &LineCtx, out: &mut Vec<Diagnostic>) {
        let f = ctx.facts;
        let prose = f.kind() == LineKind::Text
            && f.ends_sentence()
            && f.counted >= MIN_PROSE_CHARS
            && !f.title_like
            && !f.salutation
            && f.start_marker.as_ref().is_none_or(|m| m.end < f.len);
        if !prose || !ctx.text.contains([' ', '　']) {
            return;
        }
        let chars = ctx.chars;
        let from = f.indent as usize;
        // Titles quoted in 《》 or “” space their phrases apart on purpose (《勇担新使命
        // 开启新征程》).
        let mut quoted = 0i32;
        for i in from..chars.len().saturating_sub(1) {
            match chars[i] {
                '《' | '“' => quoted += 1,
                '》' | '”' => quoted -= 1,
                _ => {}
            }
            let space = matches!(chars[i], ' ' | '　');
            if i > 0 && space && quoted <= 0 && is_han(chars[i - 1]) && is_han(chars[i + 1]) {
                let span = Span::on_line(0, i as u32, i as u32 + 1);
                out.push(
                    Diagnostic::new(
                        self.code(),
                        self.default_level(),
                        span,
                        "汉字之间多了一个空格。",
                    )
                    .with_fix(Fix {
                        title: "删除空格".into(),
                        edits: vec![Edit {
                            span,
                            new_text: String::new(),
                        }],
                        certain: false,
                    }),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{apply_first_fixes, diags};

    #[test]
    fn a_space_inside_a_sentence() {
        let text = "　　认真总结工作 情况，查找不足，明确下一步努力方向。";
        let d = diags("stray-space", text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            apply_first_fixes(text, &d),
            "　　认真总结工作情况，查找不足，明确下一步努力方向。"
        );
    }

    #[test]
    fn spaces_on_purpose_pass() {
        for text in [
            "讲　　话",
            "汉滨区人民政府代区长 向诗兵",
            "出席：王　伟　李　明　张　强　赵　军",
            "　　同志们：",
            "一、总体 要求",
            "　　使用 Word 文档编辑，注意保存。",
            "　　林刚作题为《勇担新使命 开启新征程 奋力夺取新胜利》的工作报告。",
        ] {
            assert!(diags("stray-space", text).is_empty(), "{text}");
        }
    }
}
