//! The date of a draft, from its title block (“（2007年10月15日）”, “——2010年3月5日在……”,
//! “——1995年在全国人民代表大会上”) or, failing that, from a date line that closes it.

use super::line::{LineFacts, LineKind};
use crate::text::date::{find_date, year_at, Date};
use std::sync::Arc;

/// Lines at the head of a draft searched for its date.
const HEAD_LINES: usize = 12;
/// Lines at its end searched for a closing date line (落款).
const TAIL_LINES: usize = 4;

pub fn title_date(lines: &[Arc<LineFacts>], line_text: &dyn Fn(u32) -> String) -> Option<Date> {
    let date_of = |i: usize, f: &LineFacts| {
        if !(f.title_block_like || f.title_like || f.date_line) {
            return None;
        }
        let text = line_text(i as u32);
        find_date(&text).filter(|d| f.date_line || !names_a_period(&text, d))
    };
    // The title block ends where the body starts: at the salutation (同志们：) or the
    // first sentence.
    // A title may carry the year alone (2024年政府工作报告) above the line that dates the
    // speech (——2024年3月5日在……): a more precise date of the same year wins.
    let head = lines
        .iter()
        .enumerate()
        .filter(|(_, f)| f.kind() != LineKind::Blank)
        .take(HEAD_LINES)
        .take_while(|(_, f)| !f.ends_sentence() && f.last_char != Some('：'))
        .filter_map(|(i, f)| date_of(i, f))
        .reduce(|first, later| {
            let finer = (later.month, later.day) > (first.month, first.day);
            if later.year == first.year && first.day == 0 && finer {
                later
            } else {
                first
            }
        });
    let closing = || {
        lines
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, f)| f.kind() != LineKind::Blank)
            .take(TAIL_LINES)
            .find_map(|(i, f)| f.date_line.then(|| date_of(i, f)).flatten())
    };
    match head {
        // A year alone at the head (2025年工作报告) is the year the draft speaks of; a
        // closing date line with its month says when it was written.
        Some(year) if year.month == 0 => Some(closing().filter(|d| d.month > 0).unwrap_or(year)),
        Some(date) => Some(date),
        None => closing(),
    }
}

/// Whether a title's year alone names the period the draft reports on, not its date:
/// 关于2025年度……的报告, 2025年工作总结和2026年工作打算 (a second year).
fn names_a_period(text: &str, date: &Date) -> bool {
    if date.month != 0 {
        return false;
    }
    let chars: Vec<char> = text.chars().collect();
    let mut years =
        (4..chars.len()).filter(|&i| chars[i] == '年' && year_at(&chars, i - 4).is_some());
    let first = years.next();
    first.is_some_and(|at| chars.get(at + 1) == Some(&'度')) || years.next().is_some()
}

#[cfg(test)]
mod tests {
    use crate::analysis::structure_of;
    use crate::knowledge::Knowledge;
    use crate::text::Date;

    fn date(text: &str) -> Option<Date> {
        structure_of(text, &Knowledge::builtin()).title_date
    }

    #[test]
    fn dates_from_title_blocks_and_closing_lines() {
        assert_eq!(
            date("在庆祝大会上的讲话\n（2015年7月1日）\n同志们：\n今天我们在这里集会。"),
            Some(Date::new(2015, 7, 1))
        );
        assert_eq!(
            date("政府工作报告\n——1995年在全国人民代表大会上\n各位代表：\n现在作报告。"),
            Some(Date::new(1995, 0, 0))
        );
        assert_eq!(
            date("关于做好工作的通知\n各单位：\n请认真落实。\n××局办公室\n2024年6月3日"),
            Some(Date::new(2024, 6, 3))
        );
        // The year in a title gives way to the full date below it.
        assert_eq!(
            date("2024年政府工作报告\n政府工作报告\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n各位代表：\n现在作报告。"),
            Some(Date::new(2024, 3, 5))
        );
        // A year that names the period reported on gives way to the closing date line,
        // or is no date at all.
        for title in [
            "关于2025年度履行全面从严治党主体责任情况的报告",
            "2025年工作总结和2026年工作打算",
        ] {
            assert_eq!(
                date(&format!(
                    "{title}\n市委：\n今年是开局之年。\n特此报告。\n中共某某党组\n2026年1月6日"
                )),
                Some(Date::new(2026, 1, 6)),
                "{title}"
            );
            assert_eq!(
                date(&format!("{title}\n市委：\n今年是开局之年。")),
                None,
                "{title}"
            );
        }
        // A year alone in the title, with a closing date of the year after.
        assert_eq!(
            date("2025年工作报告\n市委：\n今年是开局之年。\n中共某某党组\n2026年1月6日"),
            Some(Date::new(2026, 1, 6))
        );
        // A year inside the body is not the draft's date.
        assert_eq!(date("同志们：\n2019年我们取得了很大成绩。"), None);
    }
}
