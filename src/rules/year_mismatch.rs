//! A sentence's claim about its year against the draft's date: 今年是新中国成立76周年
//! in a draft of 2026 (77), 今年是“十四五”开局之年 in a speech written from one of 2021,
//! 在第40个教师节到来之际 in a greeting of 2025 (41).
//! The claims are the line pass's (`analysis::year_claim`); the years of events and
//! plans are data (`data/events.toml`).

use super::{Diagnostic, DocCtx, Fix, Rule, RuleDoc};
use crate::analysis::line::LineKind;
use crate::analysis::year_claim::{Anchor, ClaimKind, YearClaim};
use crate::config::RuleLevel;
use crate::knowledge::events::events;
use crate::text::date::{find_date, Date};
use crate::text::numerals::han_number;
use crate::text::Span;

pub struct YearMismatch;

impl Rule for YearMismatch {
    fn code(&self) -> &'static str {
        "year-mismatch"
    }
    fn default_level(&self) -> RuleLevel {
        RuleLevel::Warning
    }
    fn doc(&self) -> RuleDoc {
        RuleDoc {
            title: "年份说法与文稿日期不符 (an anniversary or a plan's year that is not the draft's)",
            description: "A title that names its occasion (在庆祝中国共产党成立105周年大会上的讲话), or a sentence that names its year (今年, 明年, 去年, 今天, or the year itself: 2025年, 二〇二五年) and states what that year is (是, 恰逢, 适逢, 正值, 迎来): the anniversary of a dated event (今年是新中国成立77周年, 建党105周年, 改革开放48周年) or a year of a five-year plan (今年是“十五五”开局之年, 收官之年, 第二年), or the count of a day held every year (今天是第十一个全民国家安全教育日). A day about to come (在第41个教师节到来之际, 我们将迎来第41个教师节) needs no 今年 either: it is judged in a draft dated in the two months before it (or in December, for January's), not further off, where a report may look back. A plan's opening or close set as a goal (为“十五五”开好局、起好步, 确保“十五五”实现良好开局, 为“十四五”圆满收官) needs no 今年: it is said in that year of the plan or at the end of the year before, not in a sentence that names another year (2021年, 去年) or looks back (确保了). A year written out is held against what the claim makes it (2026年是建党104周年 is wrong in any draft). Otherwise the year the claim implies is held against the draft's date, from its title block or date line, or the `date` setting: a draft copied from last year's keeps last year's count. Without a date of its own the draft is judged at today's, and only a claim two years or more away is reported, as a draft may be written for next year's meeting. A meeting named after an anniversary (在庆祝建党100周年大会上), a title in 《》 and a clause that does not state the year (要谋划好“十五五”开局之年的工作) are left alone. The fix writes the count, or the plan, that fits the date. The years of events, plans and yearly days are data with sources (`data/events.toml`).",
            bad: "（2026年1月20日）……今年是新中国成立76周年，也是“十四五”开局之年。",
            good: "（2026年1月20日）……今年是新中国成立77周年，也是“十五五”开局之年。",
        }
    }
    fn check_document(&self, ctx: &DocCtx, out: &mut Vec<Diagnostic>) {
        let mut speeches: Option<Vec<(u32, Option<Date>)>> = None;
        for (line, facts) in ctx.lines.iter().enumerate() {
            for claim in facts.year_claims.iter() {
                let Some(claimed) = claim.claimed_year() else {
                    continue;
                };
                let ahead = claim.anchor == Anchor::Ahead;
                // In a collection, each speech is judged at the date of its own title
                // block; the draft's date is its first speech's. None: undated.
                let mut date = || {
                    let own = speeches
                        .get_or_insert_with(|| speech_dates(ctx))
                        .iter()
                        .rev()
                        .find(|&&(title, _)| title <= line as u32)
                        .and_then(|&(title, date)| date.filter(|_| same_run(ctx, title, line)));
                    own.or(ctx.date_given.then_some(ctx.date))
                };
                let dated = |date: Option<Date>, offset: i8| match date {
                    Some(date) => Basis::Dated(date.year as i32, offset),
                    None => Basis::Today(ctx.date.year as i32, offset),
                };
                let basis = match claim.anchor {
                    Anchor::Year(year) => Basis::Written(year as i32),
                    Anchor::Relative(offset) => dated(date(), offset),
                    Anchor::Ahead => dated(date(), 0),
                    Anchor::Next => {
                        let date = date();
                        let Some(offset) = date.and_then(|d| next_offset(claim, d)) else {
                            continue;
                        };
                        dated(date, offset)
                    }
                };
                // A goal: this year or the next. Undated: today's year, or one year
                // more on either side.
                let (mut low, mut high) = (0, i32::from(ahead));
                if matches!(basis, Basis::Today(..)) {
                    (low, high) = (low - 1, high + 1);
                }
                if (low..=high).contains(&(claimed - basis.meant())) {
                    continue;
                }
                let text: Vec<char> = (ctx.line_text)(line as u32).chars().collect();
                out.push(finding(claim, &text, basis).on_line(line as u32));
            }
        }
    }
}

/// How many years after a draft dated `date` the yearly day of `claim` (about to come)
/// falls: 0 in the weeks before it that year, 1 in those before January's or
/// February's next year. None further from it: a report of the year after looks back
/// (在第40个教师节到来之际，我们走访慰问了……) and is not judged.
fn next_offset(claim: &YearClaim, date: Date) -> Option<i8> {
    /// How long before the day a speech or greeting speaks of it as coming.
    const DAYS_BEFORE: i32 = 62;
    let ClaimKind::Observance { observance, .. } = claim.kind else {
        return None;
    };
    let (month, day) = events().observance.get(observance as usize)?.month_day()?;
    // Days since the year's start, months as 31 days: the window is rough anyway.
    let of = |m: u8, d: u8| (m as i32 - 1) * 31 + d as i32;
    let (first, last) = match day {
        Some(day) => (of(month, day), of(month, day)),
        None => (of(month, 1), of(month, 31)),
    };
    let today = of(date.month, date.day);
    if (first - DAYS_BEFORE..=last).contains(&today) {
        Some(0)
    } else if (first + 12 * 31 - DAYS_BEFORE..=last + 12 * 31).contains(&today) {
        Some(1)
    } else {
        None
    }
}

/// What a claim's year is held against.
#[derive(Debug, Clone, Copy)]
enum Basis {
    /// The year the sentence writes out (2025年是……).
    Written(i32),
    /// The draft's year from its date, with the sentence's offset from it (明年 is 1).
    Dated(i32, i8),
    /// Today's year, for a draft without a date, with the sentence's offset.
    Today(i32, i8),
}

impl Basis {
    /// The year the sentence speaks of.
    fn meant(self) -> i32 {
        match self {
            Basis::Written(year) => year,
            Basis::Dated(year, offset) | Basis::Today(year, offset) => year + offset as i32,
        }
    }

    /// How the message names that year (今年, 2025年).
    fn which(self) -> String {
        match self {
            Basis::Written(year) => format!("{year}年"),
            Basis::Dated(_, 1) | Basis::Today(_, 1) => "明年".into(),
            Basis::Dated(_, -1) | Basis::Today(_, -1) => "去年".into(),
            _ => "今年".into(),
        }
    }

    /// The year the sentence speaks of in brackets, after 今年 or 明年 in the message
    /// (今年（2026年）); nothing for a year written out.
    fn year_in_brackets(self) -> String {
        match self {
            Basis::Written(_) => String::new(),
            _ => format!("（{}年）", self.meant()),
        }
    }

    /// Where the year comes from, for the message: nothing for a year written out.
    fn source(self) -> String {
        match self {
            Basis::Written(_) => String::new(),
            Basis::Dated(year, _) => format!("（文稿日期为{year}年）"),
            Basis::Today(year, _) => format!("（文稿未注明日期，按今天的日期为{year}年）"),
        }
    }
}

/// The title line of each speech (a title with its title block), in order, with the
/// date its block gives.
fn speech_dates(ctx: &DocCtx) -> Vec<(u32, Option<Date>)> {
    let outline = &ctx.structure.outline;
    outline
        .title_blocks
        .iter()
        .map(|block| {
            let title = outline.nodes[block.heading].marker.start.line;
            let date = block
                .lines
                .iter()
                .find_map(|&l| find_date(&(ctx.line_text)(l)));
            (title, date)
        })
        .collect()
}

/// Whether no level-1 heading lies between a speech's title and `line`: the document
/// pass starts afresh at both, and a run of it sees no title before its start.
fn same_run(ctx: &DocCtx, title: u32, line: usize) -> bool {
    !ctx.lines[title as usize + 1..=line]
        .iter()
        .any(|f| f.kind() == LineKind::MdHeading(1))
}

/// The words of `claim` in its line.
fn words(text: &[char], start: u32, end: u32) -> String {
    text.get(start as usize..end as usize)
        .map(|s| s.iter().collect())
        .unwrap_or_default()
}

/// Count `n` written as the claim writes its count (77 or 七十七), for the fix; None
/// for no count.
fn count_as_written(text: &[char], claim: &YearClaim, n: i32) -> Option<String> {
    let in_han = text
        .get(claim.number_start as usize)
        .is_some_and(|c| !c.is_ascii_digit());
    (n > 0).then(|| {
        if in_han {
            han_number(n as u32)
        } else {
            n.to_string()
        }
    })
}

fn finding(claim: &YearClaim, text: &[char], basis: Basis) -> Diagnostic {
    // The claim's words, with the opening quote of a quoted plan (“十四五”开局之年).
    let quoted = claim.start > 0 && matches!(text.get(claim.start as usize - 1), Some('“' | '‘'));
    let start = claim.start - u32::from(quoted);
    let span = Span::on_line(0, start, claim.end);
    let number = Span::on_line(0, claim.number_start, claim.number_end);
    let said = words(text, start, claim.end);
    let which = basis.which();
    let meant = basis.meant();
    let (reason, right) = match claim.kind {
        ClaimKind::Anniversary { event, .. } => {
            let e = &events().event[event as usize];
            let name = words(text, claim.start, claim.number_start);
            let count = words(text, claim.number_start, claim.number_end);
            let right = meant - e.year;
            let meant_in = basis.year_in_brackets();
            let reason = format!(
                "{which}{meant_in}是{name}（{}年）{right}周年，不是{count}周年",
                e.year
            );
            (reason, count_as_written(text, claim, right))
        }
        ClaimKind::Observance { observance, .. } => {
            let o = &events().observance[observance as usize];
            let right = count_as_written(text, claim, meant - o.first_year + 1);
            let meant_in = basis.year_in_brackets();
            let reason = format!(
                "{which}{meant_in}的{}是第{}个（首个在{}年），不是第{}个",
                o.names[0],
                right.as_deref().unwrap_or("—"),
                o.first_year,
                words(text, claim.number_start, claim.number_end)
            );
            (reason, right)
        }
        // A plan's opening or close as a goal.
        ClaimKind::Plan { position, .. } if claim.anchor == Anchor::Ahead => {
            let held = claim.claimed_year().unwrap_or(0);
            let plan = words(text, claim.number_start, claim.number_end);
            let year = if position == 1 {
                "开局之年"
            } else {
                "收官之年"
            };
            let reason = format!("“{plan}”的{year}是{held}年，而{}是{meant}年", basis.which());
            // The plan whose year that is this year, or the next (a draft of December).
            let fitting = |y: i32| {
                let mut plans = events().plan.iter().filter(|q| q.verified);
                plans.find(|q| q.first_year + position as i32 - 1 == y)
            };
            let fits = fitting(meant).or_else(|| fitting(meant + 1));
            (reason, fits.map(|q| q.name.clone()))
        }
        ClaimKind::Plan { position, .. } => {
            let held = claim.claimed_year().unwrap_or(0);
            let reason = if matches!(basis, Basis::Written(_)) {
                format!("{said}是{held}年，不是{which}")
            } else {
                format!("{said}是{held}年，而{which}是{meant}年")
            };
            let fits = events()
                .plan
                .iter()
                .filter(|q| q.verified)
                .find(|q| q.first_year + position as i32 - 1 == meant);
            (reason, fits.map(|q| q.name.clone()))
        }
    };
    let message = match basis {
        Basis::Written(_) => format!("年份说法有误：{reason}。"),
        _ => format!(
            "年份与文稿日期不符：{reason}{}。是否沿用了旧稿？",
            basis.source()
        ),
    };
    let mut d = Diagnostic::new("year-mismatch", RuleLevel::Warning, span, message);
    if let Some(right) = right {
        d = d.with_fix(Fix::replace(number, right, false));
    }
    d
}

#[cfg(test)]
mod tests {
    use crate::knowledge::Knowledge;
    use crate::rules::check_text;
    use crate::text::Date;

    fn found(text: &str, date: Date) -> Vec<(String, Vec<String>)> {
        check_text(text, &Knowledge::builtin(), date)
            .into_iter()
            .filter(|d| d.code == "year-mismatch")
            .map(|d| {
                let fixes = d
                    .fixes
                    .iter()
                    .flat_map(|f| f.edits.iter().map(|e| e.new_text.clone()))
                    .collect();
                (d.message, fixes)
            })
            .collect()
    }

    #[test]
    fn a_count_of_years_copied_from_last_year() {
        let d = found(
            "今年是新中国成立76周年，也是中国共产党成立一百零四周年。",
            Date::new(2026, 3, 5),
        );
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0].1, ["77"]);
        assert_eq!(d[1].1, ["一百零五"]);
        assert!(
            d[0].0.contains(
                "今年（2026年）是新中国成立（1949年）77周年，不是76周年（文稿日期为2026年）"
            ),
            "{}",
            d[0].0
        );
        let d = found("今年恰逢我们党成立104周年。", Date::new(2026, 7, 1));
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].1, ["105"]);
        assert!(
            found(
                "今年是新中国成立77周年，明年是建党105周年。",
                Date::new(2026, 3, 5)
            )
            .len()
                == 1
        );
    }

    #[test]
    fn a_plan_year_copied_from_another_plan() {
        let d = found("今年是“十四五”开局之年。", Date::new(2026, 1, 20));
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].1, ["十五五"]);
        // 2026 closes no plan: no fix.
        let d = found("今年是“十四五”规划收官之年。", Date::new(2026, 1, 20));
        assert_eq!(d.len(), 1);
        assert!(d[0].1.is_empty());
        assert!(found("今年是实施“十五五”规划的开局之年。", Date::new(2026, 1, 20)).is_empty());
    }

    #[test]
    fn a_plans_opening_as_a_goal_in_another_plans_time() {
        let text = "全力以赴为“十四五”开好局、起好步。";
        let d = found(text, Date::new(2026, 1, 20));
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].1, ["十五五"]);
        assert!(
            d[0].0
                .contains("“十四五”的开局之年是2021年，而今年是2026年"),
            "{}",
            d[0].0
        );
        // The plan's first year, or the end of the year before.
        for date in [Date::new(2021, 3, 5), Date::new(2020, 12, 20)] {
            assert!(found(text, date).is_empty(), "{date:?}");
        }
        let d = found("为“十三五”圆满收官作出积极贡献。", Date::new(2025, 4, 1));
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].1, ["十四五"]);
        // Mid-plan: no plan opens this year or the next.
        let d = found(text, Date::new(2023, 3, 5));
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].1.is_empty());
    }

    #[test]
    fn a_draft_dated_in_its_title_block_is_judged_at_that_date() {
        let text = "在全县经济工作会议上的讲话\n（2025年2月10日）\n\n同志们：\n　　今年是“十四五”规划收官之年，也是新中国成立76周年。";
        assert!(found(text, Date::new(2026, 12, 4)).is_empty());
    }

    #[test]
    fn each_speech_of_a_collection_is_judged_at_its_own_date() {
        let text = "在全县工作会议上的讲话\n（2024年2月1日）\n\n同志们：\n　　今年是新中国成立75周年。\n\n在全县工作会议上的讲话\n（2025年2月1日）\n\n同志们：\n　　今年是“十四五”规划收官之年。\n　　今年是新中国成立75周年。";
        let d = found(text, Date::new(2026, 12, 4));
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].1, ["76"]);
    }

    #[test]
    fn a_claim_about_a_year_written_out_is_checked_whatever_the_date() {
        let d = found("2026年是中国共产党成立104周年。", Date::new(2024, 3, 5));
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].1, ["105"]);
        assert!(
            d[0].0
                .contains("2026年是中国共产党成立（1921年）105周年，不是104周年"),
            "{}",
            d[0].0
        );
        let d = found("二〇二六年是“十四五”开局之年。", Date::new(2026, 3, 5));
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].1, ["十五五"]);
        for good in [
            "2025年是“十四五”规划收官之年，也是抗战胜利80周年。",
            "2021年，我们迎来了中国共产党成立100周年。",
        ] {
            assert!(found(good, Date::new(2026, 3, 5)).is_empty(), "{good}");
        }
    }

    #[test]
    fn a_claim_about_today_is_held_against_the_date() {
        let d = found("今天是中国共产党成立104周年纪念日。", Date::new(2026, 7, 1));
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].1, ["105"]);
        assert!(found("今天是中国共产党成立105周年纪念日。", Date::new(2026, 7, 1)).is_empty());
    }

    #[test]
    fn a_yearly_days_count_copied_from_last_year() {
        let d = found(
            "在第40个教师节到来之际，向全市广大教师致以节日的问候！",
            Date::new(2025, 9, 8),
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].1, ["41"]);
        assert!(d[0].0.contains("第41个"), "{}", d[0].0);
        // The right count, a day far from the draft's date (a report looking back), or
        // January's day in a draft of December.
        assert!(found(
            "在第40个教师节到来之际，向全市广大教师致以节日的问候！",
            Date::new(2024, 9, 8)
        )
        .is_empty());
        assert!(found(
            "在第39个教师节到来之际，我们走访慰问了优秀教师。",
            Date::new(2024, 1, 20)
        )
        .is_empty());
        let d = found(
            "在第五个中国人民警察节到来之际，向全市公安民警致以问候。",
            Date::new(2025, 12, 30),
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].1, ["六"]);
        // With the year named.
        let d = found("今年是第九个全民国家安全教育日。", Date::new(2025, 4, 10));
        assert_eq!(d[0].1, ["十"]);
    }

    #[test]
    fn a_title_names_the_anniversary_of_its_occasion() {
        let text = "在庆祝中国共产党成立104周年暨“两优一先”表彰大会上的讲话\n（2026年6月30日）\n\n同志们：\n　　明天就是党的生日。";
        let d = found(text, Date::new(2026, 12, 4));
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].1, ["105"]);
        assert!(found(&text.replace("104", "105"), Date::new(2026, 12, 4)).is_empty());
    }
}
