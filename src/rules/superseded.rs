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
                .as_deref()
                .map(|s| format!("更新时间：{s}。"))
                .unwrap_or_default();
            let span = Span::on_line(0, hit.start, hit.end);
            let mut d = Diagnostic::new(
                self.code(),
                self.default_level(),
                span,
                format!("“{matched}”是旧提法，已更新为“{new}”。{since}"),
            )
            .with_fix(Fix::replace(span, new, false));
            d.applies_after = f.superseded_since.as_deref().and_then(year_month);
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
            let (current_term, current_items, since) = if m.former {
                (f.term.as_str(), f.checked_items(), f.former_until.clone())
            } else if f.status == Status::Superseded {
                let Some((_, cur)) = f.superseded_by.as_deref().and_then(|t| ctx.kb.lookup(t))
                else {
                    continue;
                };
                (
                    cur.term.as_str(),
                    cur.checked_items(),
                    f.superseded_since.clone(),
                )
            } else {
                continue;
            };
            if current_items.is_empty() {
                continue;
            }
            let applies_after = since.as_deref().and_then(year_month);
            let since = since
                .map(|s| format!("更新时间：{s}。"))
                .unwrap_or_default();
            let canonical = m.canonical(current_items);
            let span = Span::on_line(0, m.start, m.end);
            let message = if m.former {
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
            d.applies_after = applies_after;
            out.push(d);
        }
    }
}

/// “2016年7月（增加文化自信）” → 201607; a bare year counts from its January.
pub fn year_month(s: &str) -> Option<u32> {
    let chars: Vec<char> = s.chars().collect();
    let start = chars
        .windows(5)
        .position(|w| w[..4].iter().all(|c| c.is_ascii_digit()) && w[4] == '年')?;
    let year: u32 = chars[start..start + 4]
        .iter()
        .collect::<String>()
        .parse()
        .ok()?;
    let month_digits: String = chars[start + 5..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let month = match month_digits.parse::<u32>() {
        Ok(m)
            if (1..=12).contains(&m)
                && chars.get(start + 5 + month_digits.len()) == Some(&'月') =>
        {
            m
        }
        _ => 1,
    };
    Some(year * 100 + month)
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
        assert_eq!(super::year_month("2016年7月（增加文化自信）"), Some(201607));
        assert_eq!(super::year_month("2021年前后"), Some(202101));
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
