//! Formulations that have been replaced: 三个自信 → 四个自信, 两个坚决维护 → 两个维护,
//! 八个明确 → 十个明确, 山水林田湖草 → 山水林田湖草沙, and item lists in their old form
//! (“四个全面” with 全面建成小康社会 as an item).

use super::enumeration::{continued_as_other_formula, is_complete_former, ListMatch};
use super::{inside_quotes, Diagnostic, Fix, LineCtx, Rule, RuleDoc};
use crate::config::RuleLevel;
use crate::knowledge::Status;
use crate::text::date::year_at;
use crate::text::{Date, Span};

pub struct Superseded;

/// The quotes hold the term alone (“三个自信”), as writers mark a formula: that is the
/// writer's own wording, not a quotation of an older text.
fn bare_term(ctx: &LineCtx, hit: &crate::knowledge::TermHit) -> bool {
    let (s, e) = (hit.start as usize, hit.end as usize);
    s > 0 && ctx.chars.get(s - 1) == Some(&'“') && ctx.chars.get(e) == Some(&'”')
}

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
            description: "A term or item list that has been replaced by a newer formulation. The message names the current form and since when; the fix rewrites it (not applied by fix-all, since a historical account may quote the old form on purpose). A sentence that tells the formula's history is left alone: one that names the current formula too (党的十八大进一步拓展为“五位一体”), or one dated before the change by a year or a party congress written before the old form (2015年2月，……首次提出; 党的十七大将……拓展为“四位一体”; not 党的十八大以来, which reaches the present). A former wording that is still written correctly in some texts (山水林田湖草, which 2026 provincial reports still write; names of projects set up under it) is a hint.",
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
            if told_as_history(ctx.chars, (hit.start, hit.end), f.superseded_since, new)
                || names_the_list_before(ctx.chars, hit.start as usize, &f.items)
            {
                continue;
            }
            let since = f
                .superseded_since
                .map(|s| format!("更新时间：{}。", s.chinese()))
                .unwrap_or_default();
            let span = Span::on_line(0, hit.start, hit.end);
            let quoted = inside_quotes(ctx.chars, hit.start, hit.end) && !bare_term(ctx, hit);
            let level = if quoted || f.still_used.is_some() {
                RuleLevel::Hint
            } else {
                self.default_level()
            };
            let mut d = Diagnostic::new(
                self.code(),
                level,
                span,
                format!("“{matched}”是旧提法，已更新为“{new}”。{since}"),
            )
            .with_fix(Fix::replace(span, new, false));
            d.valid.from = f.superseded_since;
            out.push(d);
        }
        let enumerations = ctx.enumerations();
        for (k, (e, matches)) in enumerations.iter().enumerate() {
            if let Some(d) = matches
                .iter()
                .filter(|m| is_complete_former(ctx.kb, e, m, matches))
                .filter(|m| !continued_as_other_formula(ctx.kb, enumerations, k, m))
                .filter(|m| !segment_of_another(ctx, matches, m))
                .find_map(|m| former_list(ctx, m))
            {
                out.push(d);
            }
        }
    }
}

/// Whether the sentence goes on to name the items the current list adds to the former
/// list `m`: 坚定道路自信、理论自信、制度自信，更要坚定文化自信 names the four.
fn rest_named_after(chars: &[char], m: &ListMatch, former: &[String], current: &[String]) -> bool {
    let (_, to) = super::formula_list::sentence_bounds(chars, m.start, m.end);
    let after: String = chars[m.end as usize..to].iter().collect();
    let mut added = current.iter().filter(|i| !former.contains(i)).peekable();
    added.peek().is_some() && added.all(|item| after.contains(item.as_str()))
}

/// Whether former list `m` is also, item for item and in order, a part of another
/// current formula's list that is not followed by 的: 富强、民主、文明、和谐，是国家层面
/// 的价值目标 names the core values' first level, while 建成富强、民主、文明、和谐的社会
/// 主义现代化国家 is the former goal.
fn segment_of_another(ctx: &LineCtx, matches: &[ListMatch], m: &ListMatch) -> bool {
    let segment = matches.iter().any(|o| {
        o.formula != m.formula
            && o.version == 0
            && !super::enumeration::same_family(ctx.kb, o.formula, m.formula)
            && o.distinct_items() == m.distinct_items()
            && super::enumeration::consecutive_end(o).is_some()
    });
    segment && ctx.chars.get(m.end as usize) != Some(&'的')
}

/// Whether the term at `start` names the list its clause ends with right before it
/// (创业培训、融资、孵化、服务“四位一体”扶持体系): a name of the writer's own for
/// those items, whatever the formula of that name was. Not when two of the list are
/// the formula's own `items` (经济建设、政治建设、文化建设、社会建设“四位一体”总体布局
/// is the former formula, items and name).
fn names_the_list_before(chars: &[char], start: usize, items: &[String]) -> bool {
    let end = if start > 0 && chars[start - 1] == '“' {
        start - 1
    } else {
        start
    };
    let clause = super::clause_start(chars, end);
    let listed = chars[clause..end].iter().filter(|&&c| c == '、').count() >= 2;
    let list: String = chars[clause..end].iter().collect();
    let its_own = items.iter().filter(|i| list.contains(i.as_str())).count() >= 2;
    listed && !its_own && end > 0 && crate::text::is_han(chars[end - 1])
}

/// (e) The complete item list of a former wording (in any order), reported for drafts
/// dated after the change.
fn former_list(ctx: &LineCtx, m: &ListMatch) -> Option<Diagnostic> {
    let f = ctx.kb.formula(m.formula);
    let (current, since) = if m.version > 0 {
        (f, f.version_dates(m.version).1)
    } else if f.status == Status::Superseded {
        let (_, cur) = f.superseded_by.as_deref().and_then(|t| ctx.kb.lookup(t))?;
        (cur, f.superseded_since)
    } else {
        return None;
    };
    let items = current.checked_items();
    // A former version of one formula goes by the same name: only another formula's
    // name tells a change.
    let other = if m.version == 0 {
        current.term.as_str()
    } else {
        ""
    };
    if items.is_empty()
        || told_as_history(ctx.chars, (m.start, m.end), since, other)
        || rest_named_after(ctx.chars, m, f.version_items(m.version), items)
    {
        return None;
    }
    let when = since
        .map(|s| format!("更新时间：{}。", s.chinese()))
        .unwrap_or_default();
    let order = if m.out_of_order && f.ordered {
        "（顺序也与原表述不同）"
    } else {
        ""
    };
    let message = if m.version > 0 {
        format!(
            "这是“{}”的旧列举{order}，现行表述为：{}。{when}",
            current.term,
            items.join("、")
        )
    } else {
        format!(
            "这是“{}”的列举{order}，已发展为“{}”：{}。{when}",
            f.term,
            current.term,
            items.join("、")
        )
    };
    let span = Span::on_line(0, m.start, m.end);
    let quoted = inside_quotes(ctx.chars, m.start, m.end);
    let level = if quoted || m.version == 0 && f.still_used.is_some() {
        RuleLevel::Hint
    } else {
        RuleLevel::Warning
    };
    let mut d = Diagnostic::new("superseded-formula", level, span, message).with_fix(Fix::replace(
        span,
        m.canonical(items),
        false,
    ));
    d.valid.from = since;
    Some(d)
}

/// Words before an old form that set the sentence in a past time (当时的社会主要矛盾,
/// 改革开放之初, 曾经提出).
const PAST_TIMES: [&str; 8] = [
    "当时",
    "那时",
    "彼时",
    "之初",
    "曾经",
    "曾把",
    "曾将",
    "曾提出",
];

/// The sentence around chars `start..end` tells the formula's history: it names the
/// current formula too (党的十八大进一步拓展为“五位一体”), or it is dated before the
/// update, by a year (2015年2月，……首次提出; 2018年以前), a congress (党的十七大将……
/// 拓展为“四位一体”) or words of a past time (当时, 之初) written before the old form. A
/// date with 以来 reaches the present.
pub(super) fn told_as_history(
    chars: &[char],
    (start, end): (u32, u32),
    since: Option<Date>,
    current: &str,
) -> bool {
    let (from, to) = super::formula_list::sentence_bounds(chars, start, end);
    let (start, end) = (start as usize, end as usize);
    // The current form written apart from the old one: not inside it (苏联 in 前苏联)
    // nor starting where it starts.
    let current: Vec<char> = current.chars().collect();
    let apart = |k: usize| k + current.len() <= start || k >= end;
    let names_current =
        !current.is_empty() && (from..to).any(|k| chars[k..to].starts_with(&current) && apart(k));
    if names_current {
        return true;
    }
    let Some(since) = since else {
        return false;
    };
    let before = &chars[from..start];
    // 改革开放之初，我们党把当时的社会主要矛盾概括为……: words of a past time.
    let told: String = before.iter().collect();
    if PAST_TIMES.iter().any(|w| told.contains(w)) {
        return true;
    }
    let reaches_now = |at: usize| {
        let rest: String = before[at..].iter().take(3).collect();
        rest.starts_with("以来") || rest.starts_with("至今")
    };
    // 2018年以前, 2018年之前: up to the year of the change.
    let up_to = |at: usize| {
        let rest: String = before[at..].iter().take(2).collect();
        rest == "以前" || rest == "之前"
    };
    (0..before.len()).any(|i| match before[i] {
        '年' if i >= 4 => year_at(before, i - 4).is_some_and(|y| {
            (y < since.year || y == since.year && up_to(i + 1)) && !reaches_now(i + 1)
        }),
        '大' | '届' => party_congress_year(before, i).is_some_and(|y| {
            // A term's plenums run until the next congress, five years on.
            let last = if before[i] == '届' { y + 5 } else { y };
            last < since.year && !reaches_now(i + 1)
        }),
        _ => false,
    })
}

/// The year of the party congress whose ordinal ends before the 大 or 届 at `i`
/// (党的十七大 → 2007, 十八届三中全会 → 2012): the 11th met in 1977, and one has met
/// every five years since. None where the word is not the party's: a parliament's
/// term (十四届全国人大) or a count (十二大工程).
fn party_congress_year(chars: &[char], i: usize) -> Option<u16> {
    let digits = chars[..i]
        .iter()
        .rev()
        .take_while(|&&c| crate::text::numerals::is_han_numeral(c))
        .count();
    let after = &chars[i + 1..];
    let party = match chars[i] {
        '大' => {
            chars[..i - digits].ends_with(&['党', '的'])
                || after
                    .first()
                    .is_some_and(|c| "报提将把上强明后以".contains(*c))
        }
        _ => {
            after.starts_with(&['中', '央'])
                || after.len() >= 2
                    && crate::text::numerals::is_han_numeral(after[0])
                    && after[1] == '中'
        }
    };
    let (n, used) = crate::text::numerals::parse_han_numeral(&chars[i - digits..i])?;
    (party && used == digits && (11..=30).contains(&n)).then(|| 1977 + 5 * (n as u16 - 11))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{apply_first_fixes, diags};

    /// A sentence that tells how a formula changed, or is dated before the change,
    /// quotes the old form on purpose; a date that reaches the present does not.
    #[test]
    fn a_formula_told_as_history() {
        for text in [
            "党的十七大将中国特色社会主义事业总体布局拓展为“四位一体”，党的十八大进一步拓展为“五位一体”。",
            "党的十八大提出要坚定道路自信、理论自信、制度自信；2016年7月1日，习近平总书记把文化自信与之并列，形成了“四个自信”。",
            "2015年2月，习近平总书记首次完整提出“四个全面”战略布局，即全面建成小康社会、全面深化改革、全面依法治国、全面从严治党。",
        ] {
            assert!(diags("superseded-formula", text).is_empty(), "{text}");
        }
        for text in [
            "党的十八大以来，我们坚定“三个自信”，取得了历史性成就。",
            "十四届全国人大二次会议强调，要坚定“三个自信”。",
            "要协调推进“四个全面”战略布局，即全面建成小康社会、全面深化改革、全面依法治国、全面从严治党。",
            "2025年，我们要坚定“三个自信”，推动发展。",
        ] {
            assert_eq!(diags("superseded-formula", text).len(), 1, "{text}");
        }
    }

    #[test]
    fn a_list_the_next_clause_continues_as_another_formula_is_that_formula() {
        // The core values, clause by clause: not the former 富强民主文明和谐.
        let quoted =
            "倡导富强、民主、文明、和谐，倡导自由、平等、公正、法治，倡导爱国、敬业、诚信、友善。";
        assert!(diags("superseded-formula", quoted).is_empty());
        // The twelve values with 顿号 only, one of them a slip: not the former wording.
        for values in [
            "培育和践行社会主义核心价值观：富强、民主、文明、和谐、自由、平等、公正、法治、爱国、敬业、诚信、友善。",
            "培育和践行社会主义核心价值观：富强、民主、文明、和谐、自由、平等、公正、法制、爱国、敬业、诚信、友善。",
        ] {
            assert!(diags("superseded-formula", values).is_empty(), "{values}");
        }
        // Two of its three levels, the middle one left out.
        let levels = "富强、民主、文明、和谐是国家层面的价值目标，爱国、敬业、诚信、友善是公民个人层面的价值准则。";
        assert!(diags("superseded-formula", levels).is_empty());
        // One level alone, the four 自信 named in one sentence, a list of the writer's
        // own named with a former formula's name.
        for text in [
            "富强、民主、文明、和谐，是国家层面的价值目标。",
            "我们既要坚定道路自信、理论自信、制度自信，更要坚定文化自信。",
            "健全创业培训、融资、孵化、服务“四位一体”扶持体系。",
        ] {
            assert!(diags("superseded-formula", text).is_empty(), "{text}");
        }
        // The former wording on its own is still reported.
        for former in [
            "把我国建成富强、民主、文明、和谐的社会主义现代化国家。",
            "我们要坚定道路自信、理论自信、制度自信，推动发展。",
            "围绕统筹推进经济建设、政治建设、文化建设、社会建设“四位一体”总体布局。",
        ] {
            assert!(!diags("superseded-formula", former).is_empty(), "{former}");
        }
    }

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
    fn a_written_together_former_wording() {
        let text = "把我国建成富强民主文明和谐的社会主义现代化强国。";
        let d = diags("superseded-formula", text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].message.contains("富强民主文明和谐美丽"),
            "{}",
            d[0].message
        );
        for fine in [
            "把我国建成富强民主文明和谐美丽的社会主义现代化强国。",
            "党的十八大报告\n（2012年11月8日）\n建设富强民主文明和谐的社会主义现代化国家。",
        ] {
            assert!(diags("superseded-formula", fine).is_empty(), "{fine}");
        }
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
