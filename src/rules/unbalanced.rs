//! Unbalanced paired punctuation within a paragraph: “” ‘’ 《》 （）.

use super::{Diagnostic, LineCtx, Rule, RuleDoc};
use crate::config::RuleLevel;
use crate::text::Span;

const PAIRS: [(char, char); 4] = [('“', '”'), ('‘', '’'), ('《', '》'), ('（', '）')];

pub struct Unbalanced;

impl Rule for Unbalanced {
    fn code(&self) -> &'static str {
        "unbalanced-pair"
    }
    fn default_level(&self) -> RuleLevel {
        RuleLevel::Warning
    }
    fn doc(&self) -> RuleDoc {
        RuleDoc {
            title: "成对标点不配对 (unbalanced quotes, title marks or brackets)",
            description: "Within a paragraph every “ needs its ”, 《 its 》, （ its ）, ‘ its ’. Reported on the mark left without a partner. (A quotation that spans paragraphs, with “ opening each paragraph and ” only at the end, is rare in speeches and will be reported.)",
            bad: "要增强“四个意识，坚定“四个自信”。",
            good: "要增强“四个意识”，坚定“四个自信”。",
        }
    }
    fn check_line(&self, ctx: &LineCtx, out: &mut Vec<Diagnostic>) {
        for (open, close) in PAIRS {
            let mut stack: Vec<usize> = Vec::new();
            let mut stray: Vec<usize> = Vec::new();
            for (i, &c) in ctx.chars.iter().enumerate() {
                if c == open {
                    stack.push(i);
                } else if c == close && stack.pop().is_none() {
                    stray.push(i);
                }
            }
            for i in stack.into_iter().chain(stray) {
                let c = ctx.chars[i];
                let partner = if c == open { close } else { open };
                let span = Span::on_line(0, i as u32, i as u32 + 1);
                out.push(Diagnostic::new(
                    self.code(),
                    self.default_level(),
                    span,
                    format!("“{c}”没有配对的“{partner}”。"),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::diags;

    #[test]
    fn reports_the_unpaired_mark() {
        let d = diags(
            "unbalanced-pair",
            "学习《决定》和《意见，落实（部门）责任）。",
        );
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].span.start.col, 7);
        assert!(diags("unbalanced-pair", "“‘四个意识’”与《（试行）》").is_empty());
    }
}
