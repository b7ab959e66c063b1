//! Known wrong forms from `data/wrong_forms.toml` (and the glossary's `[[wrong]]`):
//! 党的十九精神 → 党的十九大精神, 二十大三中全会 → 党的二十届三中全会, …

use super::{Diagnostic, Fix, LineCtx, Rule, RuleDoc};
use crate::config::RuleLevel;
use crate::text::{ColCounter, Span};

pub struct WrongFormRule;

impl Rule for WrongFormRule {
    fn code(&self) -> &'static str {
        "wrong-form"
    }
    fn default_level(&self) -> RuleLevel {
        RuleLevel::Error
    }
    fn doc(&self) -> RuleDoc {
        RuleDoc {
            title: "固有表述差错 (a known wrong form)",
            description: "A string from the wrong-forms table, each entry with its correction and a source or rule. Entries marked certain are errors with a fix applied by fix-all; the others are warnings to review. Guards (`not_before`, `not_after`) keep correct contexts clean; `wrong_after` names contexts where the form is wrong whatever follows.",
            bad: "以习近平新时代中国特色社会主义思想和党的十九精神为指导。",
            good: "以习近平新时代中国特色社会主义思想和党的十九大精神为指导。",
        }
    }
    fn check_line(&self, ctx: &LineCtx, out: &mut Vec<Diagnostic>) {
        let mut cols = ColCounter::new(ctx.text);
        for &(i, start, end) in ctx.wrong_forms() {
            let w = &ctx.kb.wrong_forms[i];
            let span = Span::on_line(0, cols.col(start), cols.col(end));
            let level = if w.certain {
                RuleLevel::Error
            } else {
                RuleLevel::Warning
            };
            // A form that was right before its norm took effect, quoted from an older
            // text, is only worth a hint.
            let dated = w.since.is_some();
            let quoted = dated && super::inside_quotes(ctx.chars, span.start.col, span.end.col);
            // 从“打铁还需自身硬”到“打铁必须自身硬”: the former wording set against the
            // current one in the same paragraph is cited on purpose.
            if quoted && ctx.text.contains(w.right.as_str()) {
                continue;
            }
            // 2018年以前，……德智体美全面发展: the sentence tells the time before the norm,
            // or the change itself (组建应急管理部，不再保留国家安全生产监督管理总局).
            // Not a norm of style, which holds for any time told (1955年……同前苏联).
            if dated
                && w.category != "media-style"
                && super::superseded::told_as_history(
                    ctx.chars,
                    (span.start.col, span.end.col),
                    w.since,
                    &w.right,
                )
            {
                continue;
            }
            let level = if quoted { RuleLevel::Hint } else { level };
            let mut d = Diagnostic::new(self.code(), level, span, w.message.clone())
                .with_fix(Fix::replace(span, w.right.clone(), w.certain && !quoted));
            d.valid.from = w.since;
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::config::RuleLevel;
    use crate::rules::testing::{apply_first_fixes, diags};

    #[test]
    fn changed_norms_are_judged_at_the_drafts_date() {
        let old =
            "政府工作报告\n——1985年在全国人民代表大会上\n各位代表：\n这是建国以来最好的时期之一。";
        assert!(diags("wrong-form", old).is_empty());
        let new = "在会上的讲话\n（2024年3月1日）\n同志们：\n这是建国以来最好的时期之一。";
        assert_eq!(diags("wrong-form", new).len(), 1);
        let quoted = "在会上的讲话\n（2024年3月1日）\n同志们：\n文件指出：“在以习近平同志为总书记的党中央坚强领导下”。";
        let d = diags("wrong-form", quoted);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].level, RuleLevel::Hint);
    }

    #[test]
    fn a_body_renamed_by_a_reform_is_judged_at_the_drafts_date() {
        let new = "在会上的讲话\n（2025年3月1日）\n同志们：\n要配合国土资源部做好确权登记，市卫计委牵头负责。";
        let d = diags("wrong-form", new);
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0].level, RuleLevel::Warning);
        assert_eq!(
            apply_first_fixes(new, &d),
            "在会上的讲话\n（2025年3月1日）\n同志们：\n要配合自然资源部做好确权登记，市卫健委牵头负责。"
        );
        let old = "在会上的讲话\n（2016年3月1日）\n同志们：\n要配合国土资源部做好确权登记。";
        assert!(diags("wrong-form", old).is_empty());
        // The former body named as such, a department in general, another country's.
        for text in [
            "原国土资源部、原国家林业局的有关职责划入新组建的部门。",
            "要加强与环保部门的协作。",
            "他会见了泰国国家旅游局代表团。",
        ] {
            let dated = format!("在会上的讲话\n（2025年3月1日）\n同志们：\n{text}");
            assert!(diags("wrong-form", &dated).is_empty(), "{text}");
        }
    }

    #[test]
    fn a_sentence_dated_before_the_norm_tells_history() {
        for text in [
            "2018年以前，党的教育方针中的表述是培养德智体美全面发展的社会主义建设者和接班人。",
            "2015年，我们提出培养德智体美全面发展的人才。",
            "改革开放之初，我们党把当时的社会主要矛盾概括为人民日益增长的物质文化需要同落后的社会生产之间的矛盾。",
        ] {
            let dated = format!("在会上的讲话\n（2025年7月1日）\n同志们：\n{text}");
            assert!(diags("wrong-form", &dated).is_empty(), "{text}");
        }
        let now = "在会上的讲话\n（2025年7月1日）\n同志们：\n2018年以来，我们培养德智体美全面发展的人才。";
        assert_eq!(diags("wrong-form", now).len(), 1);
        let style = "在会上的讲话\n（2025年7月1日）\n同志们：\n1955年，我国扩大了同前苏联的贸易。";
        assert_eq!(diags("wrong-form", style).len(), 1);
        // The change itself, told with the new name.
        let change = "在会上的讲话\n（2025年7月1日）\n同志们：\n2018年3月，根据国务院机构改革方案，组建应急管理部，不再保留国家安全生产监督管理总局。";
        assert!(diags("wrong-form", change).is_empty());
        let old_name =
            "在会上的讲话\n（2025年7月1日）\n同志们：\n国家安全生产监督管理总局要加强监管。";
        assert_eq!(diags("wrong-form", old_name).len(), 1);
    }

    #[test]
    fn a_former_wording_set_against_the_current_one_is_no_slip() {
        let text = "在会上的讲话\n（2025年7月1日）\n同志们：\n从“打铁还需自身硬”到“打铁必须自身硬”，一字之变意味深长。";
        assert!(diags("wrong-form", text).is_empty());
        let alone = "在会上的讲话\n（2025年7月1日）\n同志们：\n他说过“打铁还需自身硬”。";
        assert_eq!(diags("wrong-form", alone).len(), 1);
    }

    #[test]
    fn corpus_typo_is_fixed() {
        let text = "和党的十九精神为指导，学习党的十九大精神。";
        let d = diags("wrong-form", text);
        assert_eq!(d.len(), 1);
        assert_eq!(
            apply_first_fixes(text, &d),
            "和党的十九大精神为指导，学习党的十九大精神。"
        );
    }

    #[test]
    fn a_form_its_guard_excuses_hides_no_overlapping_one() {
        // 共建一带一路 is excused before 倡议, where 一带一路倡议 is the slip.
        let text = "今年是我提出共建一带一路倡议10周年。";
        let d = diags("wrong-form", text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            apply_first_fixes(text, &d),
            "今年是我提出共建“一带一路”倡议10周年。"
        );
    }
}
