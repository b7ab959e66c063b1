//! Numbering under one parent: gaps, duplicates, numbers out of order, and ordinal
//! series mixed in one list (首先…第二). Found by the outline builder; these rules
//! turn its findings into diagnostics with a renumbering fix.

use super::{Diagnostic, DocCtx, Fix, Rule, RuleDoc};
use crate::analysis::markers::Family;
use crate::analysis::outline::{NumberingIssue, NumberingProblem, Outline};
use crate::config::RuleLevel;
use crate::text::{Date, Span};

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

/// A point written in another style where a list expects its number: （一）、（二）、3.、
/// （四） under one heading. The outline sees a list 3. that skips 1 and 2, and a （四）
/// that skips （三）; the writer slipped once, on the style of （三）.
struct StyleSlip {
    /// The point in the other style (3.).
    node: usize,
    /// The list's next point (（四）), whose gap the slip explains.
    next: usize,
    family: Family,
    expected: u32,
}

fn style_slips(outline: &Outline) -> Vec<StyleSlip> {
    let mut slips = Vec::new();
    for issue in &outline.issues {
        let NumberingProblem::Gap { expected } = issue.problem else {
            continue;
        };
        let next = &outline.nodes[issue.node];
        let (Some(list), Some(family)) = (next.list, next.family()) else {
            continue;
        };
        let items = &outline.lists[list].items;
        let before = items
            .iter()
            .position(|&n| n == issue.node)
            .and_then(|k| k.checked_sub(1))
            .map(|k| items[k]);
        let (Some(before), true) = (before, next.number() == expected + 1) else {
            continue;
        };
        let (from, to) = (outline.nodes[before].headline.start, next.headline.start);
        let alone_in_other_style = |y: &usize| {
            let n = &outline.nodes[*y];
            n.number() == expected
                && n.family().is_some_and(|g| g != family)
                && n.list
                    .is_some_and(|l| l != list && outline.lists[l].items.len() == 1)
                && from < n.headline.start
                && n.headline.start < to
        };
        // Nodes are in the order of the text: the slip lies between the two points.
        if let Some(node) = (before + 1..issue.node).find(alone_in_other_style) {
            slips.push(StyleSlip {
                node,
                next: issue.node,
                family,
                expected,
            });
        }
    }
    slips
}

fn emit(
    ctx: &DocCtx,
    out: &mut Vec<Diagnostic>,
    code: &'static str,
    level: RuleLevel,
    pick: fn(&NumberingProblem) -> bool,
) {
    // Only gaps can be explained by a slip.
    let gaps = pick(&NumberingProblem::Gap { expected: 1 });
    let slips = if gaps {
        style_slips(&ctx.structure.outline)
    } else {
        Vec::new()
    };
    let explained = |node: usize| slips.iter().any(|s| s.node == node || s.next == node);
    for issue in ctx
        .structure
        .outline
        .issues
        .iter()
        .filter(|i| pick(&i.problem))
        .filter(|i| !(matches!(i.problem, NumberingProblem::Gap { .. }) && explained(i.node)))
        .filter(|i| !sub_numbered_gap(ctx, i) && !first_point_after_colon(ctx, i))
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
            if open != Family::Shouxian || expected <= 3 {
                let span = spelled_with_yao(ctx, node.number_span, family, open);
                d = d.with_fix(Fix::replace(span, open.label(expected), true));
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

/// The span a fix to the 要 spelling replaces: 二是要 becomes 二要, not 二要要.
fn spelled_with_yao(ctx: &DocCtx, span: Span, here: Family, open: Family) -> Span {
    if here != Family::Shi || open != Family::Yao || span.start.line != span.end.line {
        return span;
    }
    let text = (ctx.line_text)(span.end.line);
    let next = text.chars().nth(span.end.col as usize);
    if next == Some('要') {
        Span::on_line(span.start.line, span.start.col, span.end.col + 1)
    } else {
        span
    }
}

/// A gap whose missing number is there in sub-numbered points (6-1. 6-2. before 7.),
/// as attachment lists number the parts of one item: the lines before the point, back
/// to the previous number, hold “6-”.
fn sub_numbered_gap(ctx: &DocCtx, issue: &NumberingIssue) -> bool {
    let NumberingProblem::Gap { expected } = issue.problem else {
        return false;
    };
    let node = &ctx.structure.outline.nodes[issue.node];
    if node.number() != expected + 1 || node.family() != Some(Family::Arabic) {
        return false;
    }
    let line = node.marker.start.line;
    let sub = [
        format!("{expected}-"),
        format!("{expected}－"),
        format!("{expected}—"),
    ];
    (line.saturating_sub(200)..line).rev().any(|l| {
        let text = (ctx.line_text)(l);
        sub.iter().any(|p| {
            text.trim_start()
                .strip_prefix(p.as_str())
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
        })
    })
}

/// A list whose first point follows a label's colon on the line before (附件：1.……
/// then 2.……, as GB/T 9704 lays out attachments): 2. has its 1.
fn first_point_after_colon(ctx: &DocCtx, issue: &NumberingIssue) -> bool {
    let NumberingProblem::Gap { expected: 1 } = issue.problem else {
        return false;
    };
    let node = &ctx.structure.outline.nodes[issue.node];
    if node.number() != 2 || node.family() != Some(Family::Arabic) {
        return false;
    }
    let line = node.marker.start.line;
    let Some(before) = (line.saturating_sub(3)..line)
        .rev()
        .map(|l| (ctx.line_text)(l))
        .find(|t| !t.trim().is_empty())
    else {
        return false;
    };
    ["：1.", "：1．", "：1、", ":1.", "：１．"]
        .iter()
        .any(|p| before.contains(p))
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
            description: "第一/第二, 首先/其次/再次/最后 and 其一/其二 are separate series and are not mixed in one list (GB/T 15834-2011, as explained by 杜永道); nor are the spellings 一要 and 一是 among points that open paragraphs (一要……\n二是要……). The fix rewrites the marker in the series the list started with. Drafts dated before the standard took effect (2012-06) get a hint. A lone point in another style where a list expects its number (（一）（二）3.（四）) is reported here too, as one slip, not as two gaps.",
            bad: "首先，要统一思想。其次，要强化责任。第三，要督办考核。",
            good: "首先，要统一思想。其次，要强化责任。再次，要督办考核。",
        }
    }
    fn check_document(&self, ctx: &DocCtx, out: &mut Vec<Diagnostic>) {
        emit(ctx, out, self.code(), self.default_level(), |p| {
            matches!(p, NumberingProblem::Mixed { .. })
        });
        let outline = &ctx.structure.outline;
        for slip in style_slips(outline) {
            let node = &outline.nodes[slip.node];
            let Some(here) = node.family().map(|f| f.label(node.number())) else {
                continue;
            };
            let message = format!(
                "序号格式不一致：同一层次用“{}”“{}”……，此处“{here}”应为“{}”。",
                slip.family.label(1),
                slip.family.label(2),
                slip.family.label(slip.expected)
            );
            out.push(Diagnostic::new(
                self.code(),
                self.default_level(),
                node.number_span,
                message,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{apply_first_fixes, diags};

    #[test]
    fn a_point_in_another_style_where_the_list_expects_it() {
        let text = "一、提高站位\n（一）加强队伍建设\n要树立导向。\n（二）加强组织建设\n要全面进步。\n3.加强人才工作\n要深化改革。\n（四）强化责任担当\n要压实责任。\n二、突出重点\n要抓好重点。";
        assert!(
            diags("numbering-gap", text).is_empty(),
            "{:?}",
            diags("numbering-gap", text)
        );
        let d = diags("numbering-mixed-series", text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].message.contains("此处“3”应为“（三）”"),
            "{}",
            d[0].message
        );
    }

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
    fn parenthesised_points_run_on_inside_a_paragraph() {
        let text = "一、扎实做好今年工作\n（一）强化政治监督。（二）深化作风建设。（三）严惩腐败问题。（五）加强自身建设。";
        let d = diags("numbering-gap", text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("“（四）”"), "{}", d[0].message);
        // After a colon or a semicolon （二） cites a part of what is named before it.
        for text in [
            "一、扎实做好今年工作\n（一）强化政治监督。依照第三条：（三）款办理。",
            "一、扎实做好今年工作\n（一）强化政治监督；（三）项除外。",
        ] {
            assert!(diags("numbering-gap", text).is_empty(), "{text}");
        }
    }

    #[test]
    fn numbering_restarts_under_each_parent() {
        let text = "一、总体要求\n（一）加强领导。\n（二）压实责任。\n二、主要任务\n（一）抓落实。\n（二）抓考核。";
        for code in ["numbering-gap", "numbering-duplicate", "numbering-order"] {
            assert!(diags(code, text).is_empty(), "{code}");
        }
    }

    #[test]
    fn sub_numbered_points_fill_their_number() {
        let text = "一、其他\n1.本意见自发布之日起施行。\n2.本意见由镇规划办负责解释。\n3-1.受理告知书\n3-2.安全管理责任告知单\n4.施工备案表";
        assert!(diags("numbering-gap", text).is_empty());
        let text =
            "一、其他\n1.本意见自发布之日起施行。\n2.本意见由镇规划办负责解释。\n4.施工备案表";
        assert_eq!(diags("numbering-gap", text).len(), 1);
        // The first point after the label's colon.
        let text = "附件：1.领导小组人员名单\n2.建设工程项目监管流程图\n3.施工备案表";
        assert!(diags("numbering-gap", text).is_empty());
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

    #[test]
    fn yao_and_shi_spellings_mixed_in_one_list() {
        let text = "下面讲三点意见。\n一要锚定目标。\n二是要力学笃行。\n三是要品德高尚。";
        assert!(diags("numbering-gap", text).is_empty());
        let d = diags("numbering-mixed-series", text);
        // Reported where the spelling changes, as 首先…第二…第三 is.
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("“一要”开头"), "{}", d[0].message);
        assert_eq!(
            apply_first_fixes(text, &d),
            "下面讲三点意见。\n一要锚定目标。\n二要力学笃行。\n三是要品德高尚。"
        );
        // Inline, a 二是 after 一要 is a run of its own that lacks its 一是.
        let text = "一要锚定目标。二是要力学笃行。三是要品德高尚。";
        assert!(diags("numbering-mixed-series", text).is_empty());
        // Once two points are spelled alike, the third goes on with them.
        let text = "做好今年工作，一要坚定信心，二要真抓实干，三是加强作风建设。";
        let d = diags("numbering-mixed-series", text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            apply_first_fixes(text, &d),
            "做好今年工作，一要坚定信心，二要真抓实干，三要加强作风建设。"
        );
        let text = "一要坚定理想信念。学思用贯通。二要锤炼过硬作风。三是严守纪律规矩。";
        assert_eq!(diags("numbering-mixed-series", text).len(), 1);
        // A run of the next paragraph is a run of its own.
        let text = "一要控制总量。二要深化改革。\n首先要增加投入。二是保护耕地。三是搞好开发。";
        assert!(diags("numbering-mixed-series", text).is_empty());
        // A 一是 run under a 一要 point is nested, not mixed.
        let text = "一要锚定目标：\n一是学习。\n二是宣传。\n二要力学笃行。";
        for code in ["numbering-mixed-series", "numbering-gap"] {
            assert!(diags(code, text).is_empty(), "{code}");
        }
    }
}
