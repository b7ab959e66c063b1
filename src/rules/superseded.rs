//! Formulations that have been replaced: 三个自信 → 四个自信, 两个坚决维护 → 两个维护,
//! 八个明确 → 十个明确, 山水林田湖草 → 山水林田湖草沙, and item lists in their old form
//! (“四个全面” with 全面建成小康社会 as an item).

use super::formula_list::list_matches;
use super::{Diagnostic, Fix, LineCtx, Rule, RuleDoc};
use crate::config::RuleLevel;
use crate::knowledge::Status;
use crate::text::Span;

pub struct Superseded;

impl Rule for Superseded {
    fn code(&self) -> &'static str {
        "superseded-formula"
    }
    fn default_level(&self) -> RuleLevel {
        RuleLevel::Warning
    }
    fn doc(&self) -> RuleDoc {
        RuleDoc {
            title: "提法已更新 (a superseded formulation)",
            description: "A term or item list that has been replaced by a newer formulation. The message names the current form and since when; the fix rewrites it (not applied by fix-all, since a historical account may quote the old form on purpose).",
            bad: "坚定“三个自信”，做到“两个坚决维护”。",
            good: "坚定“四个自信”，做到“两个维护”。",
        }
    }
    fn check_line(&self, ctx: &LineCtx, out: &mut Vec<Diagnostic>) {
        for hit in &ctx.facts.terms {
            let f = ctx.kb.formula(hit.entry);
            if f.status != Status::Superseded {
                continue;
            }
            let Some(new) = f.superseded_by.as_deref() else {
                continue;
            };
            let matched: String = ctx.chars[hit.start as usize..hit.end as usize]
                .iter()
                .collect();
            // 山水林田湖草 inside 山水林田湖草沙 when the newer term is missing from the data.
            let rest: String = ctx.chars[hit.start as usize..].iter().collect();
            if new.starts_with(&matched) && rest.starts_with(new) {
                continue;
            }
            let since = f
                .superseded_since
                .map(|s| format!("更新时间：{}。", s.chinese()))
                .unwrap_or_default();
            let span = Span::on_line(0, hit.start, hit.end);
            let mut d = Diagnostic::new(
                self.code(),
                self.default_level(),
                span,
                format!("“{matched}”是旧提法，已更新为“{new}”。{since}"),
            )
            .with_fix(Fix::replace(span, new, false));
            d.valid.from = f.superseded_since;
            out.push(d);
        }
        if !ctx.text.contains('、') {
            return;
        }
        for m in list_matches(ctx.text, ctx.kb) {
            let f = ctx.kb.formula(m.formula);
            if !m.exact() {
                continue;
            }
            let (current_term, current_items, since) = if m.version > 0 {
                (
                    f.term.as_str(),
                    f.checked_items(),
                    f.version_dates(m.version).1,
                )
            } else if f.status == Status::Superseded {
                let Some((_, cur)) = f.superseded_by.as_deref().and_then(|t| ctx.kb.lookup(t))
                else {
                    continue;
                };
                (cur.term.as_str(), cur.checked_items(), f.superseded_since)
            } else {
                continue;
            };
            if current_items.is_empty() {
                continue;
            }
            let applies_from = since;
            let since = since
                .map(|s| format!("更新时间：{}。", s.chinese()))
                .unwrap_or_default();
            let canonical = m.canonical(current_items);
            let span = Span::on_line(0, m.start, m.end);
            let message = if m.version > 0 {
                format!(
                    "这是“{current_term}”的旧列举，现行表述为：{}。{since}",
                    current_items.join("、")
                )
            } else {
                format!(
                    "这是“{}”的列举，已发展为“{current_term}”：{}。{since}",
                    f.term,
                    current_items.join("、")
                )
            };
            let mut d = Diagnostic::new(self.code(), self.default_level(), span, message)
                .with_fix(Fix::replace(span, canonical, false));
            d.valid.from = applies_from;
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{apply_first_fixes, diags};

    #[test]
    fn superseded_terms_and_lists() {
        let text = "坚定“三个自信”，做到“两个坚决维护”。";
        let d = diags("superseded-formula", text);
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(d[0].message.contains("四个自信"));
        assert_eq!(
            apply_first_fixes(text, &d),
            "坚定“四个自信”，做到“两个维护”。"
        );

        let list = "坚定道路自信、理论自信、制度自信。";
        let d = diags("superseded-formula", list);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            apply_first_fixes(list, &d),
            "坚定道路自信、理论自信、制度自信、文化自信。"
        );
        assert!(crate::rules::testing::diags("formula-list", list).is_empty());
    }

    #[test]
    fn older_speeches_may_use_the_formulation_of_their_time() {
        let old = "在庆祝大会上的讲话\n（2015年7月1日）\n坚定“三个自信”，推进工作。";
        assert!(diags("superseded-formula", old).is_empty());
        let new = "在庆祝大会上的讲话\n（2024年7月1日）\n坚定“三个自信”，推进工作。";
        assert_eq!(diags("superseded-formula", new).len(), 1);
    }

    #[test]
    fn the_newer_form_is_not_flagged() {
        assert!(diags(
            "superseded-formula",
            "统筹山水林田湖草沙系统治理，坚定“四个自信”。"
        )
        .is_empty());
    }
}
