//! A space (or a few) between two Chinese characters inside a sentence (总结工作 情况): a typing or
//! conversion slip. Headings, titles, signatures and name lists, where spaces align or
//! separate on purpose (讲  话, 王　伟　李　明), are left alone: only prose paragraphs
//! that end a sentence are read.

use super::{Diagnostic, Edit, Fix, LineCtx, Rule, RuleDoc};
use crate::analysis::line::LineKind;
use crate::config::RuleLevel;
use crate::text::{is_han, Span};

/// Paragraphs shorter than this (in 字) are not taken for prose.
const MIN_PROSE_CHARS: u32 = 15;
/// The longest run of spaces taken for a slip; longer runs align on purpose.
const MAX_RUN: usize = 3;

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
            description: "A space (half- or full-width), or a run of up to three, between two Chinese characters in a prose paragraph is a slip: Chinese text has no word spaces. Headings, titles, salutations, signatures and name lists, which use spaces on purpose, are not checked; nor are paragraphs that do not end a sentence. The fix removes the space.",
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
        if !prose {
            return;
        }
        if !f.marks.has_any(&[' ', '　']) {
            return;
        }
        let chars = ctx.chars;
        let from = f.indent as usize;
        let is_space = |c: char| matches!(c, ' ' | '　');
        // Paragraphs open with full-width spaces: look for a space after them.
        if !ctx
            .others()
            .iter()
            .any(|&at| at as usize >= from && is_space(chars[at as usize]))
        {
            return;
        }
        // Titles quoted in 《》 or “” space their phrases apart on purpose (《勇担新使命
        // 开启新征程》).
        let mut quoted = 0i32;
        let mut i = from;
        while i + 1 < chars.len() {
            match chars[i] {
                '《' | '“' => quoted += 1,
                '》' | '”' => quoted -= 1,
                _ => {}
            }
            // A space, or a few (提  高站位): a run typed or pasted in, never a word break.
            let run = chars[i..]
                .iter()
                .take(MAX_RUN + 1)
                .take_while(|&&c| is_space(c))
                .count();
            let end = i + run;
            let stray = run > 0
                && run <= MAX_RUN
                && i > 0
                && quoted <= 0
                && is_han(chars[i - 1])
                && chars.get(end).is_some_and(|&c| is_han(c));
            if !stray {
                i += run.max(1);
                continue;
            }
            let span = Span::on_line(0, i as u32, end as u32);
            let message = if run == 1 {
                "汉字之间多了一个空格。"
            } else {
                "汉字之间多了空格。"
            };
            out.push(
                Diagnostic::new(self.code(), self.default_level(), span, message).with_fix(Fix {
                    title: "删除空格".into(),
                    edits: vec![Edit {
                        span,
                        new_text: String::new(),
                    }],
                    certain: false,
                }),
            );
            i = end;
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
    fn a_few_spaces_inside_a_sentence() {
        let text = "　　大家要进一步解放思想，提  高站位，充分认识优化营商环境的　重要性。";
        let d = diags("stray-space", text);
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(
            apply_first_fixes(text, &d),
            "　　大家要进一步解放思想，提高站位，充分认识优化营商环境的重要性。"
        );
        // A wide gap lays out a line on purpose.
        assert!(diags("stray-space", "　　主持人：张三        记录人：李四。").is_empty());
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
