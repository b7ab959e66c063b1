//! Dates that do not exist (2026年2月30日, 6月31日, 2025年13月) and weekdays that do not
//! match their date (2026年12月4日（星期四）): a slip in a date is read aloud and printed
//! on the programme, and no list of phrases catches it.

use super::{Diagnostic, DocCtx, LineCtx, Rule, RuleDoc};
use crate::config::RuleLevel;
use crate::text::numerals::{digit_value, han_digit, parse_arabic, parse_han_numeral};
use crate::text::{Date, Span};

pub struct ImpossibleDate;

impl Rule for ImpossibleDate {
    fn code(&self) -> &'static str {
        "impossible-date"
    }
    fn default_level(&self) -> RuleLevel {
        RuleLevel::Error
    }
    fn doc(&self) -> RuleDoc {
        RuleDoc {
            title: "日期不存在 (a date that does not exist, or a wrong weekday)",
            description: "A month and day (Arabic numerals; Chinese ones in a date line, or after a year of four Chinese digits in prose: 二〇二六年二月三十日) that no calendar has: a day past the month's end (6月31日, 2月30日; 2月29日 in a year that is not a leap year), a month past 12 after a year (2025年13月). A weekday written after a full date (2026年12月4日（星期四）, 周四; after a comma only in a bracket that holds both: （2026年2月24日，星期二）) that is not that date's; after a date without its year (3月6日（星期四）, 3月6日（周四）) or before it in brackets (下周四（3月6日））, in a draft with a date of its own or set, one that is not the date's in the draft's year nor, for a day more than four months from the draft's date, in the year on its other side (a draft of March may speak of last October or the coming one; a warning). Lunar dates (农历, 正月, 腊月) are left alone: their months have 30 days.",
            bad: "会议定于2026年2月30日（星期一）召开。",
            good: "会议定于2026年3月2日（星期一）召开。",
        }
    }
    /// A weekday after a date without its year (3月6日（星期五）) is held against the
    /// years the draft's date gives it: its own, and for a day months away, the year
    /// on the day's other side (a draft of December announces a meeting of January).
    /// Only in a draft with a date of its own or set: today's may not be the draft's.
    fn check_document(&self, ctx: &DocCtx, out: &mut Vec<Diagnostic>) {
        if !ctx.date_given {
            return;
        }
        for (line, facts) in ctx.lines.iter().enumerate() {
            // A weekday: 星 of 星期, or 周 (周四), which shares its bit.
            if !facts.marks.has('星') {
                continue;
            }
            let chars: Vec<char> = (ctx.line_text)(line as u32).chars().collect();
            let months = (1..chars.len()).filter(|&at| chars[at] == '月');
            for at in months {
                if let Some(d) = weekday_without_year(&chars, at, ctx.date) {
                    out.push(d.on_line(line as u32));
                }
            }
        }
    }

    fn check_line(&self, ctx: &LineCtx, out: &mut Vec<Diagnostic>) {
        let chars = ctx.chars;
        let mut check = |at: usize| {
            if let Some(d) = check_month_at(chars, at) {
                out.push(d);
            }
        };
        if ctx.facts.date_line || ctx.facts.title_block_like {
            // A date line may write its numbers in Chinese (二〇二六年一月二十七日).
            for at in (0..chars.len()).filter(|&i| chars[i] == '月') {
                check(at);
            }
        } else {
            // In prose, a 月 after an Arabic digit: the digits are among the chars that
            // are not Han, a few of a paragraph's, where a search for 月 walks them all.
            let months =
                ctx.others().iter().map(|&i| i as usize + 1).filter(|&at| {
                    chars.get(at) == Some(&'月') && digit_value(chars[at - 1]).is_some()
                });
            for at in months {
                check(at);
            }
            if ctx.facts.marks.has('年') {
                for at in han_dates_in_prose(ctx.text, chars) {
                    check(at);
                }
            }
        }
    }
}

/// Where the 月 of a date written in Chinese numerals with its full year stands in
/// prose (会议于二〇二六年二月三十日召开): the year's four digits (二〇二六) make it a
/// date, where 二月 alone may be a lunar month or a count.
fn han_dates_in_prose(text: &str, chars: &[char]) -> Vec<usize> {
    static NIAN: std::sync::OnceLock<memchr::memmem::Finder<'static>> = std::sync::OnceLock::new();
    let finder = NIAN.get_or_init(|| memchr::memmem::Finder::new("年"));
    let mut out = Vec::new();
    for byte in finder.find_iter(text.as_bytes()) {
        // The four chars before 年, read from the bytes (a Chinese digit takes three):
        // the column is counted only for a year so written, which is rare.
        let digits = byte >= 12
            && text
                .get(byte - 12..byte)
                .is_some_and(|y| y.chars().all(|c| han_digit(c).is_some()));
        if !digits {
            continue;
        }
        let nian = crate::text::byte_to_col(text, byte) as usize;
        let month_len = chars[nian + 1..]
            .iter()
            .take(3)
            .take_while(|&&c| han_digit(c).is_some() || c == '十')
            .count();
        let at = nian + 1 + month_len;
        if month_len > 0 && chars.get(at) == Some(&'月') {
            out.push(at);
        }
    }
    out
}

/// The finding for the date whose 月 is at `at`, if it is wrong.
fn check_month_at(chars: &[char], at: usize) -> Option<Diagnostic> {
    let (month, month_start) = number_before(chars, at)?;
    let year = year_before(chars, month_start);
    let (year_start, year) = match year {
        Some((start, y)) => (start, Some(y)),
        None => (month_start, None),
    };
    if lunar(&chars[..month_start]) {
        return None;
    }
    let day = day_after(chars, at + 1);
    let end = day.map_or(at + 1, |(_, end)| end);
    let span = Span::on_line(0, year_start as u32, end as u32);
    let written: String = chars[year_start..end].iter().collect();
    let wrong = |message: String| {
        Some(Diagnostic::new(
            "impossible-date",
            RuleLevel::Error,
            span,
            message,
        ))
    };
    if !(1..=12).contains(&month) {
        // Without a year, 13月 is hardly a date at all.
        return year.and_then(|_| {
            wrong(format!(
                "日期有误：“{written}”中没有{month}月，一年只有12个月。"
            ))
        });
    }
    let (day, day_end) = day?;
    let last = days_in_month(year, month);
    if day == 0 || day > last {
        let why = if month == 2 && day == 29 {
            format!("{}年不是闰年，2月只有28天", year.unwrap_or(0))
        } else {
            format!("{month}月只有{last}天")
        };
        return wrong(format!("日期有误：“{written}”不存在，{why}。"));
    }
    let year = year?;
    let (weekday, weekday_end) = weekday_after(chars, day_end)?;
    let date = Date::new(year, month as u8, day as u8);
    let span = (year_start, weekday_end);
    wrong_weekday(date, weekday, span, RuleLevel::Error, "")
}

/// The finding for `weekday` (0 = Monday) written at chars `start..end` after `date`,
/// if it is not that date's. `basis` says where the year came from, for the message.
fn wrong_weekday(
    date: Date,
    weekday: usize,
    (start, end): (usize, usize),
    level: RuleLevel,
    basis: &str,
) -> Option<Diagnostic> {
    let actual = weekday_of(date);
    (weekday != actual).then(|| {
        let span = Span::on_line(0, start as u32, end as u32);
        let message = format!(
            "星期有误：{basis}{}是星期{}，不是星期{}。",
            date.chinese(),
            WEEKDAYS[actual],
            WEEKDAYS[weekday]
        );
        Diagnostic::new("impossible-date", level, span, message)
    })
}

/// Monday first, as 星期一 … 星期日.
const WEEKDAYS: [char; 7] = ['一', '二', '三', '四', '五', '六', '日'];

/// The number written right before `at` (1–2 Arabic digits, or a Chinese numeral up to
/// 十二) and where it starts.
fn number_before(chars: &[char], at: usize) -> Option<(u32, usize)> {
    let numeral = |c: char| digit_value(c).is_some() || han_digit(c).is_some() || c == '十';
    let run = chars[..at]
        .iter()
        .rev()
        .take_while(|&&c| numeral(c))
        .count();
    if run == 0 || run > 3 {
        return None;
    }
    let start = at - run;
    let (value, used) =
        parse_arabic(&chars[start..at], 2).or_else(|| parse_han_numeral(&chars[start..at]))?;
    (used == run).then_some((value, start))
}

/// A four-digit year and 年 right before `month_start`: (where the year starts, year).
fn year_before(chars: &[char], month_start: usize) -> Option<(usize, u16)> {
    if month_start < 5 || chars[month_start - 1] != '年' {
        return None;
    }
    let start = month_start - 5;
    let digits = &chars[start..month_start - 1];
    let arabic: Option<Vec<u32>> = digits.iter().map(|&c| digit_value(c)).collect();
    let values = arabic.or_else(|| digits.iter().map(|&c| han_digit(c)).collect())?;
    let longer = start > 0
        && (digit_value(chars[start - 1]).is_some() || han_digit(chars[start - 1]).is_some());
    let year = values.iter().fold(0, |acc, d| acc * 10 + d);
    (!longer && (1000..=2999).contains(&year)).then_some((start, year as u16))
}

/// The day written after a 月 (its number, then 日 or 号): (day, end of 日).
fn day_after(chars: &[char], from: usize) -> Option<(u32, usize)> {
    let rest = chars.get(from..)?;
    let (day, used) = parse_arabic(rest, 2).or_else(|| parse_han_numeral(rest))?;
    matches!(rest.get(used), Some('日' | '号')).then_some((day, from + used + 1))
}

/// A weekday right after a date, in brackets or after a space: （星期四）, 星期四, （周四）.
/// Returns (0 = Monday, end of the weekday). Not after a comma (but in a bracket with
/// the date), nor one that opens a
/// range or list (2026年3月4日起，周一至周五开放: office days, not the date's).
fn weekday_after(chars: &[char], from: usize) -> Option<(usize, usize)> {
    let mut at = from;
    let comma = matches!(chars.get(at), Some('，' | ','));
    if comma || matches!(chars.get(at), Some('（' | '(' | ' ' | '　')) {
        at += 1;
    }
    let rest = chars.get(at..)?;
    let used = if rest.starts_with(&['星', '期']) || rest.starts_with(&['礼', '拜']) {
        2
    } else if rest.first() == Some(&'周') {
        1
    } else {
        return None;
    };
    let day = weekday_named(*rest.get(used)?)?;
    let end = at + used + 1;
    let opens_a_range = matches!(
        chars.get(end),
        Some('至' | '到' | '、' | '和' | '或' | '—' | '-')
    );
    // After a comma only in a bracket that holds the date and its weekday alone
    // (（2026年2月24日，星期二）): in prose the day after a comma may be another.
    let closes_bracket = matches!(chars.get(end), Some('）' | ')'));
    (!opens_a_range && (!comma || closes_bracket)).then_some((day, end))
}

/// The weekday (0 for Monday) a char after 星期 or 周 names: 天 and 日 are Sunday.
fn weekday_named(c: char) -> Option<usize> {
    match c {
        '天' => Some(6),
        c => WEEKDAYS.iter().position(|&w| w == c),
    }
}

/// A weekday written before a date in brackets (下周四（11月21日）), the date from
/// `month_start` to `day_end`: the weekday and the span from it to the bracket's end.
fn weekday_before(
    chars: &[char],
    month_start: usize,
    day_end: usize,
) -> Option<(usize, (usize, usize))> {
    let open = month_start.checked_sub(1)?;
    if !matches!(chars[open], '（' | '(') || !matches!(chars.get(day_end), Some('）' | ')')) {
        return None;
    }
    let day = weekday_named(*chars.get(open.checked_sub(1)?)?)?;
    let name = open - 1;
    let start = if name >= 2 && chars[name - 2..name] == ['星', '期'] {
        name - 2
    } else if name >= 1 && chars[name - 1] == '周' {
        name - 1
    } else {
        return None;
    };
    Some((day, (start, day_end + 1)))
}

/// A lunar date: its months have 29 or 30 days and its own names.
fn lunar(before: &[char]) -> bool {
    let near: String = before
        .iter()
        .rev()
        .take(8)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    ["农历", "阴历", "旧历", "夏历"]
        .iter()
        .any(|w| near.contains(w))
}

fn days_in_month(year: Option<u16>, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        // Without a year, 2月29日 may be right.
        2 => match year {
            Some(y) if !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) => 28,
            _ => 29,
        },
        _ => 31,
    }
}

/// 0 = Monday (1970-01-01 was a Thursday).
fn weekday_of(date: Date) -> usize {
    (days_since_1970(date) + 3).rem_euclid(7) as usize
}

/// Days since 1970-01-01 (H. Hinnant's algorithm); a month or day of 0 (a date known
/// only to its year or month) is taken as its middle.
fn days_since_1970(date: Date) -> i64 {
    let m = if date.month == 0 {
        7
    } else {
        i64::from(date.month)
    };
    let d = if date.day == 0 {
        15
    } else {
        i64::from(date.day)
    };
    let y = i64::from(date.year) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The finding for a date without its year whose 月 is at `at` and whose weekday is
/// not the one it has in the year nearest the draft's date.
fn weekday_without_year(chars: &[char], at: usize, draft: Date) -> Option<Diagnostic> {
    let (month, month_start) = number_before(chars, at)?;
    if year_before(chars, month_start).is_some()
        || lunar(&chars[..month_start])
        || !(1..=12).contains(&month)
    {
        return None;
    }
    let (day, day_end) = day_after(chars, at + 1)?;
    let (weekday, span) = match weekday_after(chars, day_end) {
        Some((weekday, end)) => (weekday, (month_start, end)),
        None => weekday_before(chars, month_start, day_end)?,
    };
    let from_draft = |year: u16| {
        let date = Date::new(year, month as u8, day as u8);
        days_since_1970(date) - days_since_1970(draft)
    };
    // The draft's year; and for a day months away in it, the year on its other side
    // (a draft of March may speak of last October or of the coming one; one of
    // December of the coming January).
    let mut years = vec![draft.year];
    let away = from_draft(draft.year);
    if away.abs() > FAR_DAYS {
        years.push(if away > 0 {
            draft.year - 1
        } else {
            draft.year + 1
        });
    }
    years.sort_by_key(|&y| from_draft(y).abs());
    if day == 0 || years.iter().any(|&y| day > days_in_month(Some(y), month)) {
        return None; // the line rule's
    }
    // The year is the draft's guess: a warning, and only when no year it may be fits.
    let mut findings = years.iter().map(|&year| {
        let date = Date::new(year, month as u8, day as u8);
        wrong_weekday(date, weekday, span, RuleLevel::Warning, "按文稿日期，")
    });
    let nearest = findings.next()??;
    findings.all(|f| f.is_some()).then_some(nearest)
}

/// How many days from the draft's date a day without its year may lie before the year
/// on its other side is as likely.
const FAR_DAYS: i64 = 120;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::diags;

    #[test]
    fn days_past_the_month_s_end() {
        for (text, part) in [
            ("会议定于2026年2月30日召开。", "2月只有28天"),
            ("截至6月31日，全市完成投资。", "6月只有30天"),
            ("2025年2月29日起施行。", "2025年不是闰年"),
            ("二〇二六年四月三十一日", "4月只有30天"),
            ("会议于二〇二六年二月三十日召开。", "2月只有28天"),
            ("2025年13月", "没有13月"),
        ] {
            let d = diags("impossible-date", text);
            assert_eq!(d.len(), 1, "{text}: {d:?}");
            assert!(d[0].message.contains(part), "{}", d[0].message);
        }
    }

    #[test]
    fn real_dates_and_other_numbers_pass() {
        for text in [
            "2024年2月29日，会议召开。",
            "2月29日",
            "12月31日至1月1日",
            "农历八月三十日",
            "全年13个月",
            "今年1—12月，全市地区生产总值增长5%。",
            "二〇二六年十二月四日（星期五）",
            "会议于二〇二六年二月二十八日召开，一九八四年十月一日是国庆。",
            "一九九一年十二月三十一日",
            "2026年1月5日（星期一）上午",
            "统一月度考核",
        ] {
            assert!(diags("impossible-date", text).is_empty(), "{text}");
        }
    }

    #[test]
    fn a_weekday_without_a_year_is_held_against_the_drafts() {
        let draft = |date: &str, text: &str| format!("在会上的讲话\n（{date}）\n同志们：\n{text}");
        let text = "会议定于3月6日（星期四）召开，请于10月31日（星期五）前报送。";
        let d = diags("impossible-date", &draft("2026年3月1日", text));
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].message.contains("2026年3月6日是星期五"),
            "{}",
            d[0].message
        );
        // A draft of December announces January's meeting.
        let d = diags(
            "impossible-date",
            &draft("2025年12月20日", "会议定于1月5日（星期二）召开。"),
        );
        assert!(
            d[0].message.contains("2026年1月5日是星期一"),
            "{}",
            d[0].message
        );
        assert!(diags(
            "impossible-date",
            &draft("2025年12月20日", "会议定于1月5日（星期一）召开。")
        )
        .is_empty());
        // A draft of March speaks of the coming October (2026-10-01 is a Thursday, the
        // last one's a Wednesday) or of the last.
        for text in [
            "国庆节（10月1日，星期四）前，要完成安全检查。",
            "去年国庆节（10月1日，星期三）前，完成了安全检查。",
        ] {
            assert!(
                diags("impossible-date", &draft("2026年3月12日", text)).is_empty(),
                "{text}"
            );
        }
        let text = "国庆节（10月1日，星期五）前，要完成安全检查。";
        assert_eq!(
            diags("impossible-date", &draft("2026年3月12日", text)).len(),
            1
        );
        // The weekday before the date in brackets.
        let text = "定于下周四（11月21日）召开推进会。";
        let d = diags("impossible-date", &draft("2025年11月14日", text));
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("星期五"), "{}", d[0].message);
        let text = "定于下周五（11月21日）召开推进会，本周（11月14日）先行部署。";
        assert!(diags("impossible-date", &draft("2025年11月14日", text)).is_empty());
    }

    #[test]
    fn a_weekday_that_is_not_the_date_s() {
        let d = diags("impossible-date", "会议于2026年12月4日（星期四）召开。");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("是星期五"), "{}", d[0].message);
        assert_eq!(diags("impossible-date", "2026年12月6日（周日）").len(), 0);
        assert_eq!(diags("impossible-date", "2026年12月6日（周六）").len(), 1);
        // In a bracket with the date, after a comma too.
        assert_eq!(
            diags("impossible-date", "（2026年2月24日，星期三）").len(),
            1
        );
        assert!(diags("impossible-date", "（2026年2月24日，星期二）").is_empty());
        // Office days after the date, not its weekday.
        for text in [
            "2026年3月4日，星期五下午召开会议。",
            "自2026年3月4日起，周一至周五开放。",
            "2026年3月4日（周一至周五）",
        ] {
            assert!(diags("impossible-date", text).is_empty(), "{text}");
        }
    }

    #[test]
    fn weekdays_of_known_dates() {
        assert_eq!(weekday_of(Date::new(1970, 1, 1)), 3);
        assert_eq!(weekday_of(Date::new(2000, 2, 29)), 1);
        assert_eq!(weekday_of(Date::new(2026, 12, 4)), 4);
    }
}
