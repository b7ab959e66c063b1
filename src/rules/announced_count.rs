//! “讲四点意见” must be followed by four points at the next level; “以上四点意见” is
//! checked against the points before it. No number (几点, 以下几个方面) → no check.

use super::{Diagnostic, DocCtx, Fix, Rule, RuleDoc};
use crate::analysis::Outline;
use crate::config::RuleLevel;
use crate::text::numerals::han_numeral;
use crate::text::{Pos, Span};

pub struct AnnouncedCount;

/// The points a forward announcement at `pos` introduces.
fn following_list(outline: &Outline, pos: Pos) -> Option<Vec<usize>> {
    let first = outline.first_after(pos)?;
    if outline.nodes[first].is_heading() {
        return None;
    }
    Some(
        outline
            .list_with_mixed(first)
            .into_iter()
            .skip_while(|&n| n != first)
            .collect(),
    )
}

/// The lists that end before `pos` (for 以上N点): the list of the last point before
/// it and the lists of that point's ancestors, innermost first.
fn preceding_lists(outline: &Outline, pos: Pos) -> Vec<Vec<usize>> {
    let next = outline.first_after(pos).unwrap_or(outline.nodes.len());
    let Some(mut node) = next.checked_sub(1) else {
        return Vec::new();
    };
    let mut lists = Vec::new();
    loop {
        if outline.nodes[node].is_heading() {
            break;
        }
        lists.push(outline.list_with_mixed(node));
        match outline.nodes[node].parent {
            Some(p) => node = p,
            None => break,
        }
    }
    lists
}

impl Rule for AnnouncedCount {
    fn code(&self) -> &'static str {
        "announced-count"
    }
    fn default_level(&self) -> RuleLevel {
        RuleLevel::Error
    }
    fn doc(&self) -> RuleDoc {
        RuleDoc {
            title: "宣告条数与实际不符 (announced count differs from the points)",
            description: "An announcement with a number (讲四点意见, 提三点要求, 重点讲4点意见, 以上四点意见) must match the number of points at the next level that follow it (or, for 以上, precede it). Announcements without a number (几点, 以下几个方面) are not checked.",
            bad: "下面，我讲三点意见。\n一要统一思想。\n二要强化责任。",
            good: "下面，我讲两点意见。\n一要统一思想。\n二要强化责任。",
        }
    }
    fn check_document(&self, ctx: &DocCtx, out: &mut Vec<Diagnostic>) {
        for (i, facts) in ctx.lines.iter().enumerate() {
            for a in facts.announcements.iter() {
                let Some(count) = a.count else { continue };
                let line = i as u32;
                let list = if a.backward {
                    // Any enclosing list of the right length is the one meant; otherwise
                    // report against the outermost.
                    let lists = preceding_lists(&ctx.structure.outline, Pos::new(line, a.start));
                    if lists.iter().any(|l| l.len() as u32 == count) {
                        continue;
                    }
                    lists.into_iter().last()
                } else {
                    following_list(&ctx.structure.outline, Pos::new(line, a.end))
                };
                let Some(list) = list else { continue };
                let actual = list.len() as u32;
                if actual == count || actual == 0 {
                    continue;
                }
                let first = &ctx.structure.outline.nodes[list[0]];
                let last = &ctx.structure.outline.nodes[*list.last().unwrap()];
                let family = first.family().unwrap();
                let (from, to) = (
                    family.label(first.number().max(1)),
                    family.label(last.number().max(1)),
                );
                let direction = if a.backward { "前面" } else { "随后" };
                let message = format!(
                    "宣告“{}点”，但{direction}列出{}点（{from}……{to}），条数不一致。",
                    han_numeral(count),
                    han_numeral(actual)
                );
                let numeral_span = Span::on_line(line, a.num_start, a.num_end);
                out.push(
                    Diagnostic::new(
                        self.code(),
                        self.default_level(),
                        Span::on_line(line, a.start, a.end),
                        message,
                    )
                    .with_fix(Fix::replace(
                        numeral_span,
                        han_numeral(actual),
                        false,
                    )),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::diags;

    #[test]
    fn forward_and_backward_counts() {
        let text = "下面，讲四点意见。\n一要统一思想。\n二要强化责任。\n三要搭建载体。\n以上四点意见，供参考。";
        let d = diags("announced-count", text);
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(d[0].message.contains("随后列出三点"));
        assert!(d[1].message.contains("前面列出三点"));
    }

    #[test]
    fn right_counts_inline_runs_and_arabic_numbers_pass() {
        assert!(diags(
            "announced-count",
            "这里，我简单提三点要求：一要端正学风。二要加强思考。三要学以致用。"
        )
        .is_empty());
        assert!(diags(
            "announced-count",
            "重点讲2点意见。\n一、统一思想\n内容。\n二、强化责任\n内容。"
        )
        .is_empty());
        assert!(diags(
            "announced-count",
            "谈几点体会。\n一是学。\n二是思。\n三是用。"
        )
        .is_empty());
    }

    #[test]
    fn backward_count_matches_an_inner_list() {
        let text = "三、基本方略\n（一）坚持党对一切工作的领导。\n（二）坚持以人民为中心。\n（三）坚持全面深化改革。\n（四）坚持新发展理念。\n以上四条，构成基本方略。";
        assert!(diags("announced-count", text).is_empty());
        let ends = "一、总体要求\n二、主要任务\n（一）抓落实。\n（二）抓考核。\n以上四点意见，请认真落实。";
        assert_eq!(diags("announced-count", ends).len(), 1);
    }

    #[test]
    fn counts_points_of_the_next_level_only() {
        let text =
            "讲两点意见。\n第一，统一思想。\n（一）学。\n（二）思。\n（三）用。\n第二，强化责任。";
        assert!(diags("announced-count", text).is_empty());
    }
}
