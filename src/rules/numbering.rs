//! Numbering under one parent: gaps, duplicates, numbers out of order, and ordinal
//! series mixed in one list (首先…第二). Found by the outline builder; these rules
//! turn its findings into diagnostics with a renumbering fix.

use super::{Diagnostic, DocCtx, Fix, Rule, RuleDoc};
use crate::analysis::outline::NumberingProblem;
use crate::config::RuleLevel;
use crate::text::Date;

/// GB/T 15834-2011 took effect on 2012-06-01.
const MIXED_SERIES_NORM: Date = Date::new(2012, 6, 1);

fn renumber_fix(ctx: &DocCtx, node: usize, expected: u32) -> Option<Fix> {
    let edits = ctx.structure.outline.renumber_edits(node, expected);
    (!edits.is_empty()).then(|| Fix {
        title: "重新编号此后各项".into(),
        edits,
        certain: false,
    })
}

fn emit(
    ctx: &DocCtx,
    out: &mut Vec<Diagnostic>,
    code: &'static str,
    level: RuleLevel,
    pick: fn(&NumberingProblem) -> bool,
) {
    for issue in ctx
        .structure
        .outline
        .issues
        .iter()
        .filter(|i| pick(&i.problem))
    {
        let node = &ctx.structure.outline.nodes[issue.node];
        let Some(family) = node.family() else {
            continue;
        };
        let here = family.label(node.number());
        let message = match issue.problem {
            NumberingProblem::Gap { expected } => {
                let missing: Vec<String> = (expected..node.number())
                    .map(|n| format!("“{}”", family.label(n)))
                    .collect();
                format!("序号不连续：“{here}”之前缺少{}。", missing.join("、"))
            }
            NumberingProblem::Duplicate { expected } => format!(
                "序号重复：“{here}”已经用过，此处应为“{}”。",
                family.label(expected)
            ),
            NumberingProblem::Order { expected } => format!(
                "序号顺序错误：此处应为“{}”，而不是“{here}”。",
                family.label(expected)
            ),
            NumberingProblem::Mixed { open, expected } => format!(
                "序次语混用：本组以“{}”开头，此处却用“{here}”，应统一为“{}”。",
                open.label(1),
                open.label(expected)
            ),
        };
        let expected = match issue.problem {
            NumberingProblem::Gap { expected }
            | NumberingProblem::Duplicate { expected }
            | NumberingProblem::Order { expected }
            | NumberingProblem::Mixed { expected, .. } => expected,
        };
        let mut d = Diagnostic::new(code, level, node.number_span, message);
        if let NumberingProblem::Mixed { open, expected } = issue.problem {
            if open != crate::analysis::markers::Family::Shouxian || expected <= 3 {
                d = d.with_fix(Fix::replace(node.number_span, open.label(expected), true));
            }
            // Keeping ordinal series apart is a norm of today's usage guides (after
            // GB/T 15834-2011); older drafts get a hint.
            if ctx.date < MIXED_SERIES_NORM {
                d.level = RuleLevel::Hint;
            }
        } else if let Some(fix) = renumber_fix(ctx, issue.node, expected) {
            d = d.with_fix(fix);
        }
        out.push(d);
    }
}

pub struct Gap;
impl Rule for Gap {
    fn code(&self) -> &'static str {
        "numbering-gap"
    }
    fn default_level(&self) -> RuleLevel {
        RuleLevel::Warning
    }
    fn doc(&self) -> RuleDoc {
        RuleDoc {
            title: "序号不连续 (a number is skipped)",
            description: "Under one parent, markers of one style must count up by one: 一要、二要、四要 is missing 三要. Reported on the first marker after the gap; the fix renumbers the rest of the list (not applied by fix-all: the point may really be missing).",
            bad: "一要统一思想。\n二要强化责任。\n四要督办考核。",
            good: "一要统一思想。\n二要强化责任。\n三要督办考核。",
        }
    }
    fn check_document(&self, ctx: &DocCtx, out: &mut Vec<Diagnostic>) {
        emit(ctx, out, self.code(), self.default_level(), |p| {
            matches!(p, NumberingProblem::Gap { .. })
        });
    }
}

pub struct Duplicate;
impl Rule for Duplicate {
    fn code(&self) -> &'static str {
        "numbering-duplicate"
    }
    fn default_level(&self) -> RuleLevel {
        RuleLevel::Error
    }
    fn doc(&self) -> RuleDoc {
        RuleDoc {
            title: "序号重复 (a number is used twice)",
            description: "Two consecutive points of one list carry the same number.",
            bad: "（一）加强领导。\n（二）压实责任。\n（二）严明纪律。",
            good: "（一）加强领导。\n（二）压实责任。\n（三）严明纪律。",
        }
    }
    fn check_document(&self, ctx: &DocCtx, out: &mut Vec<Diagnostic>) {
        emit(ctx, out, self.code(), self.default_level(), |p| {
            matches!(p, NumberingProblem::Duplicate { .. })
        });
    }
}

pub struct Order;
impl Rule for Order {
    fn code(&self) -> &'static str {
        "numbering-order"
    }
    fn default_level(&self) -> RuleLevel {
        RuleLevel::Error
    }
    fn doc(&self) -> RuleDoc {
        RuleDoc {
            title: "序号顺序错误 (a number goes backwards)",
            description: "A point's number is lower than the one before it in the same list.",
            bad: "第一，统一思想。\n第三，强化责任。\n第二，督办考核。",
            good: "第一，统一思想。\n第二，强化责任。\n第三，督办考核。",
        }
    }
    fn check_document(&self, ctx: &DocCtx, out: &mut Vec<Diagnostic>) {
        emit(ctx, out, self.code(), self.default_level(), |p| {
            matches!(p, NumberingProblem::Order { .. })
        });
    }
}

pub struct MixedSeries;
impl Rule for MixedSeries {
    fn code(&self) -> &'static str {
        "numbering-mixed-series"
    }
    fn default_level(&self) -> RuleLevel {
        RuleLevel::Warning
    }
    fn doc(&self) -> RuleDoc {
        RuleDoc {
            title: "序次语混用 (ordinal series mixed in one list)",
            description: "第一/第二, 首先/其次/再次/最后 and 其一/其二 are separate series and are not mixed in one list (GB/T 15834-2011, as explained by 杜永道). The fix rewrites the marker in the series the list started with. Drafts dated before the standard took effect (2012-06) get a hint.",
            bad: "首先，要统一思想。其次，要强化责任。第三，要督办考核。",
            good: "首先，要统一思想。其次，要强化责任。再次，要督办考核。",
        }
    }
    fn check_document(&self, ctx: &DocCtx, out: &mut Vec<Diagnostic>) {
        emit(ctx, out, self.code(), self.default_level(), |p| {
            matches!(p, NumberingProblem::Mixed { .. })
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{apply_first_fixes, diags};

    #[test]
    fn gap_names_every_missing_marker_and_renumbers() {
        let text = "一、总体要求\n二、主要任务\n五、保障措施\n六、其他";
        let d = diags("numbering-gap", text);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("“三”、“四”"), "{}", d[0].message);
        assert_eq!(
            apply_first_fixes(text, &d),
            "一、总体要求\n二、主要任务\n三、保障措施\n四、其他"
        );
    }

    #[test]
    fn numbering_restarts_under_each_parent() {
        let text = "一、总体要求\n（一）加强领导。\n（二）压实责任。\n二、主要任务\n（一）抓落实。\n（二）抓考核。";
        for code in ["numbering-gap", "numbering-duplicate", "numbering-order"] {
            assert!(diags(code, text).is_empty(), "{code}");
        }
    }

    #[test]
    fn first_item_must_be_one() {
        let d = diags("numbering-gap", "同志们：\n二要强化责任。\n三要抓落实。");
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("一要"));
    }

    #[test]
    fn mixed_series_fix_uses_the_open_series() {
        let text = "首先，要统一思想。\n第二，要强化责任。";
        let d = diags("numbering-mixed-series", text);
        assert_eq!(d.len(), 1);
        assert_eq!(
            apply_first_fixes(text, &d),
            "首先，要统一思想。\n其次，要强化责任。"
        );
    }
}
