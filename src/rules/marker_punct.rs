//! Punctuation after point markers (GB/T 15834-2011 as summarised in
//! `numbering.md`): 一、 第一， 1. and nothing after a bracketed marker.

use super::{Diagnostic, Fix, LineCtx, Rule, RuleDoc};
use crate::analysis::markers::{Family, MarkerHit, MarkerPunct};
use crate::config::RuleLevel;
use crate::text::numerals::han_numeral;
use crate::text::Span;

pub struct MarkerPunctuation;

impl Rule for MarkerPunctuation {
    fn code(&self) -> &'static str {
        "marker-punctuation"
    }
    fn default_level(&self) -> RuleLevel {
        RuleLevel::Warning
    }
    fn doc(&self) -> RuleDoc {
        RuleDoc {
            title: "序号后标点不规范 (punctuation after a marker)",
            description: "一、 takes a 顿号 (一. 一， are warnings); 第一 and 首先 take a comma; Arabic numbers take a point (1.); nothing follows a bracketed marker such as （一） or （1） or ①. “（一）、” is a warning; “1、”, “第一、” and half-width “(1)” or “(一)” are hints, since they are common in real drafts; the half-width brackets of a marker are this rule's alone (`half-width-punctuation` leaves them), so a marker gets one finding with one fix.",
            bad: "（一）、加强领导。\n（二）、压实责任。",
            good: "（一）加强领导。\n（二）压实责任。",
        }
    }
    fn check_line(&self, ctx: &LineCtx, out: &mut Vec<Diagnostic>) {
        let markers = ctx
            .facts
            .start_marker
            .iter()
            .chain(&ctx.facts.inline_markers);
        // Most markers are punctuated as they should be: nothing is built for those.
        let wrong =
            |m: &&MarkerHit| !matches!(m.punct, MarkerPunct::Standard | MarkerPunct::FullStop);
        for m in markers.filter(wrong) {
            let punct_span = Span::on_line(0, m.punct_start, m.end);
            let marker: String = ctx.chars[m.start as usize..m.end as usize].iter().collect();
            let (level, message, fix) = match m.punct {
                MarkerPunct::Standard | MarkerPunct::FullStop => continue,
                MarkerPunct::AfterBracket => (
                    RuleLevel::Warning,
                    format!("“{marker}”：带括号的序号后不再加标点。"),
                    Fix {
                        title: "删除序号后的标点".into(),
                        edits: vec![super::Edit {
                            span: punct_span,
                            new_text: String::new(),
                        }],
                        certain: true,
                    },
                ),
                MarkerPunct::ArabicDun => (
                    RuleLevel::Hint,
                    format!(
                        "“{marker}”：阿拉伯数字序号后应用下脚点，写作“{}.”。",
                        m.number
                    ),
                    Fix::replace(punct_span, ".", true),
                ),
                MarkerPunct::OrdinalDun => {
                    let label = Family::label(m.family, m.number);
                    (
                        RuleLevel::Hint,
                        format!("“{marker}”：“{label}”作序次语时后面用逗号，不用顿号。"),
                        Fix::replace(punct_span, "，", true),
                    )
                }
                MarkerPunct::HanNotDun => (
                    RuleLevel::Warning,
                    format!(
                        "“{marker}”：汉字数字序号后用顿号，写作“{}、”。",
                        han_numeral(m.number)
                    ),
                    // 一， may also be a count in prose: not for fix-all.
                    Fix::replace(punct_span, "、", ctx.chars[m.punct_start as usize] != '，'),
                ),
                MarkerPunct::HalfBrackets => {
                    let span = Span::on_line(0, m.start, m.punct_start);
                    // The number as written: (一) becomes （一）, (1) becomes （1）.
                    let number: String = ctx.chars
                        [m.start as usize + 1..m.punct_start as usize - 1]
                        .iter()
                        .collect();
                    (
                        RuleLevel::Hint,
                        format!("“{marker}”：中文正文中的序号用全角括号，写作“（{number}）”。"),
                        Fix::replace(span, format!("（{number}）"), true),
                    )
                }
            };
            let span = fix.edits[0].span;
            out.push(Diagnostic::new(self.code(), level, span, message).with_fix(fix));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::config::RuleLevel;
    use crate::rules::testing::{apply_first_fixes, diags};

    #[test]
    fn each_wrong_punctuation_gets_its_fix() {
        let text = "1、抓统筹。\n2、抓落实。\n第一、要统一思想。\n(1)政策倾斜。\n①、小项。\n(二)加强领导。";
        let d = diags("marker-punctuation", text);
        assert_eq!(d.len(), 6);
        assert_eq!(d[0].level, RuleLevel::Hint);
        assert_eq!(d[4].level, RuleLevel::Warning);
        assert_eq!(
            apply_first_fixes(text, &d),
            "1.抓统筹。\n2.抓落实。\n第一，要统一思想。\n（1）政策倾斜。\n①小项。\n（二）加强领导。"
        );
    }

    #[test]
    fn a_han_numeral_heading_takes_a_dun() {
        let text = "一、总体要求\n二.主要任务\n三，保障措施\n四．工作要求";
        let d = diags("marker-punctuation", text);
        assert_eq!(d.len(), 3, "{d:?}");
        assert!(d.iter().all(|d| d.level == RuleLevel::Warning));
        assert_eq!(
            apply_first_fixes(text, &d),
            "一、总体要求\n二、主要任务\n三、保障措施\n四、工作要求"
        );
        // Not a count inside prose.
        assert!(diags("marker-punctuation", "我们一，二，三地数。").is_empty());
    }

    #[test]
    fn standard_forms_pass() {
        assert!(diags("marker-punctuation", "一、总体要求\n（一）加强领导。\n1.抓统筹。\n2．抓落实。\n（1）政策。\n第一，统一思想。").is_empty());
    }
}
