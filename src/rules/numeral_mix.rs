//! Chinese and Arabic numerals mixed in one number (GB/T 15835-2011): 百分之5.2 for 5.2%,
//! 三分之1, and a year in Chinese numerals typed with a digit or letter zero (二0二五年,
//! 二O二五年 for 二〇二五年).

use super::{Diagnostic, Fix, LineCtx, Rule, RuleDoc};
use crate::config::RuleLevel;
use crate::text::numerals::{digit_value, han_digit, parse_whole};
use crate::text::Span;

/// `numerals::han_digit(c).is_some()` as a match: it runs on every zero or O of a line,
/// and han_digit's search of its table cost a million instructions per MB.
fn chinese_digit(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '〇' | '○' | '零'
    )
}

/// A zero typed with the wrong key: the digit, or the letter O, half- or full-width.
fn typed_zero(c: char) -> bool {
    matches!(c, '0' | 'O' | 'o' | '０' | 'Ｏ' | 'ｏ')
}

fn arabic(c: char) -> bool {
    digit_value(c).is_some()
}

/// The end of a run of Chinese digits and typed zeros starting at `start`.
fn numeral_run_end(chars: &[char], start: usize) -> usize {
    start
        + chars[start..]
            .iter()
            .take_while(|&&c| chinese_digit(c) || typed_zero(c))
            .count()
}

/// Whether a typed zero follows a Chinese digit somewhere in `text`: a byte search for
/// the half-width ones, the line's `Marks` for the full-width ones; cheaper than walking
/// the line's chars (digits are in many lines, such zeros in few).
fn may_hold_zero_slip(text: &str, marks: crate::text::Marks) -> bool {
    let after_digit = |at: usize| {
        text.get(..at)
            .and_then(|before| before.chars().next_back())
            .is_some_and(chinese_digit)
    };
    marks.has_any(&['０', 'Ｏ', 'ｏ'])
        || memchr::memchr3_iter(b'0', b'O', b'o', text.as_bytes()).any(after_digit)
}

/// Years and dates in Chinese numerals with a typed zero (二0二五年): the run must hold
/// two Chinese digits and be followed by 年, as a year is, so that CO二 or Q二 is not one.
fn zero_slips(chars: &[char], others: &[u32], out: &mut Vec<(usize, usize)>) {
    let mut next = 0;
    for &i in others {
        let i = i as usize;
        if i < next || !typed_zero(chars[i]) || i == 0 || !chinese_digit(chars[i - 1]) {
            continue;
        }
        let start = i - chars[..i]
            .iter()
            .rev()
            .take_while(|&&c| chinese_digit(c))
            .count();
        let end = numeral_run_end(chars, start);
        next = end;
        let digits = chars[start..end]
            .iter()
            .filter(|&&c| chinese_digit(c))
            .count();
        if digits >= 2 && chars.get(end) == Some(&'年') {
            out.push((start, end));
        }
    }
}

/// 百分之5.2, 千分之3, 三分之1: a fraction's words with an Arabic number. Returns the
/// span, and the Arabic form where it is plain (百分之 → %, 千分之 → ‰).
fn fraction_slips(text: &str, chars: &[char]) -> Vec<(usize, usize, Option<String>)> {
    let mut out = Vec::new();
    // One searcher for all lines: `text::positions` suits marks, whose lead byte leads
    // no Han char, while 分 shares its lead byte with a sixth of them.
    static FEN_ZHI: std::sync::OnceLock<memchr::memmem::Finder<'static>> =
        std::sync::OnceLock::new();
    let finder = FEN_ZHI.get_or_init(|| memchr::memmem::Finder::new("分之".as_bytes()));
    if finder.find(text.as_bytes()).is_none() {
        return out;
    }
    for i in 1..chars.len().saturating_sub(2) {
        if chars[i] != '分'
            || chars[i + 1] != '之'
            || !chars.get(i + 2).copied().is_some_and(arabic)
        {
            continue;
        }
        let num_end = i
            + 2
            + chars[i + 2..]
                .iter()
                .take_while(|&&c| arabic(c) || matches!(c, '.' | '．'))
                .count();
        let number: String = chars[i + 2..num_end]
            .iter()
            .map(|&c| match c {
                '．' => '.',
                c => digit_value(c)
                    .and_then(|d| char::from_digit(d, 10))
                    .unwrap_or(c),
            })
            .collect();
        let (start, arabic_form) = match chars[i - 1] {
            '百' => (i - 1, Some(format!("{number}%"))),
            '千' => (i - 1, Some(format!("{number}‰"))),
            c if chinese_digit(c) || c == '十' => (i - 1, None),
            _ => continue,
        };
        out.push((start, num_end, arabic_form));
    }
    out
}

/// The marks between the two ends of a range (三至五, 3—5, 3~5).
fn range_mark(c: char) -> bool {
    matches!(c, '至' | '—' | '～' | '~')
}

/// A Chinese numeral's char, as a range's end or a count has it.
fn han_count_char(c: char) -> bool {
    chinese_digit(c) || matches!(c, '十' | '两')
}

/// What a range or a count counts, right after it (三至5家, 一至4月).
const UNITS: &str = "家个人名位次项件条年月日天周岁元万亿千百%％倍批届期户所座台辆套处";

/// A slip found: the chars of the whole, the chars of its Chinese part, and that part
/// in Arabic digits (the fix).
type Mixed = ((usize, usize), (usize, usize), String);

/// A range whose ends are written one in Chinese numerals and one in Arabic (三至5家,
/// 3至五家), and a date whose year is in Chinese numerals and its month in Arabic
/// (二〇二五年7月15日).
///
/// `others`: the positions of the chars that are not Han, among them every digit: the
/// search starts from the Arabic digits, a few of a line's chars.
fn mixed_ranges(chars: &[char], others: &[u32]) -> Vec<Mixed> {
    let mut out = Vec::new();
    for &i in others {
        let i = i as usize;
        if !arabic(chars[i]) {
            continue;
        }
        let before = i.checked_sub(1).map(|k| chars[k]);
        // A run of digits that starts after 年 or a range's mark, or ends before a mark.
        if before.is_some_and(|c| !arabic(c)) {
            out.extend(match before {
                Some('年') => mixed_date_at(chars, i - 1),
                Some(c) if range_mark(c) => mixed_range_at(chars, i - 1),
                _ => None,
            });
        }
        if chars.get(i + 1).copied().is_some_and(range_mark) {
            out.extend(mixed_range_at(chars, i + 1));
        }
    }
    out
}

/// The start of the run of chars `f` takes that ends at `end`.
fn run_back(chars: &[char], end: usize, f: impl Fn(char) -> bool) -> usize {
    end - chars[..end].iter().rev().take_while(|&&c| f(c)).count()
}

/// The end of the run of chars `f` takes from `start`.
fn run_on(chars: &[char], start: usize, f: impl Fn(char) -> bool) -> usize {
    start + chars[start..].iter().take_while(|&&c| f(c)).count()
}

/// The range around the mark at `at`, one end Chinese and one Arabic, before a unit.
/// 一 alone is taken for a number only where no Han char makes a word of it (统一至4月底
/// is no range).
fn mixed_range_at(chars: &[char], at: usize) -> Option<Mixed> {
    let ends = [
        (
            run_back(chars, at, han_count_char),
            run_on(chars, at + 1, arabic),
        ),
        (
            run_back(chars, at, arabic),
            run_on(chars, at + 1, han_count_char),
        ),
    ];
    ends.into_iter().enumerate().find_map(|(k, (start, end))| {
        let chinese = if k == 0 { (start, at) } else { (at + 1, end) };
        let whole = start < at && end > at + 1;
        let counted = chars.get(end).is_some_and(|&c| UNITS.contains(c));
        let lone_one = chars[chinese.0..chinese.1] == ['一']
            && start > 0
            && crate::text::is_han(chars[start - 1]);
        let value = parse_whole(&chars[chinese.0..chinese.1])?;
        (whole && counted && !lone_one).then(|| ((start, end), chinese, value.to_string()))
    })
}

/// A year of four Chinese digits whose 年 at `at` is followed by a month in Arabic
/// digits (二〇二五年7月).
fn mixed_date_at(chars: &[char], at: usize) -> Option<Mixed> {
    let start = run_back(chars, at, chinese_digit);
    let month_end = run_on(chars, at + 1, arabic);
    if at - start != 4 || month_end == at + 1 || chars.get(month_end) != Some(&'月') {
        return None;
    }
    let year = chars[start..at]
        .iter()
        .try_fold(0u32, |n, &c| Some(n * 10 + han_digit(c)?))?;
    Some(((start, month_end + 1), (start, at), year.to_string()))
}

pub struct NumeralMix;

impl Rule for NumeralMix {
    fn code(&self) -> &'static str {
        "numeral-mix"
    }
    fn default_level(&self) -> RuleLevel {
        RuleLevel::Warning
    }
    fn doc(&self) -> RuleDoc {
        RuleDoc {
            title: "汉字数字与阿拉伯数字混用 (Chinese and Arabic numerals mixed)",
            description: "A number is written either in Chinese numerals or in Arabic ones (GB/T 15835-2011): 百分之5.2 is 5.2% (or 百分之五点二), 三分之1 is 三分之一 or 1/3, the zero of a year in Chinese numerals is 〇, not the digit 0 or the letter O (二0二五年 → 二〇二五年), and the two ends of a range, or a date's year and month, are written alike (三至5家 → 3至5家, 二〇二五年7月 → 2025年7月).",
            bad: "增长百分之5.2。二0二五年十二月三十日",
            good: "增长5.2%。二〇二五年十二月三十日",
        }
    }
    fn check_line(&self, ctx: &LineCtx, out: &mut Vec<Diagnostic>) {
        let chars = ctx.chars;
        let mut zeros = Vec::new();
        if may_hold_zero_slip(ctx.text, ctx.facts.marks) {
            zero_slips(chars, ctx.others(), &mut zeros);
        }
        for run in zeros {
            let zero = |c| if typed_zero(c) { '〇' } else { c };
            out.push(super::rewrite_chars(
                self,
                chars,
                run,
                zero,
                |typed, fixed| format!("汉字数字中的零应写作“〇”：“{typed}”应为“{fixed}”。"),
            ));
        }
        if ctx.facts.marks.has_ascii_digit() {
            for ((start, end), (from, to), digits) in mixed_ranges(chars, ctx.others()) {
                let typed: String = chars[start..end].iter().collect();
                let span = Span::on_line(0, from as u32, to as u32);
                out.push(
                    Diagnostic::new(
                        self.code(),
                        self.default_level(),
                        Span::on_line(0, start as u32, end as u32),
                        format!("“{typed}”混用汉字与阿拉伯数字，应统一书写（GB/T 15835-2011）。"),
                    )
                    .with_fix(Fix::replace(span, digits, false)),
                );
            }
        }
        for (start, end, arabic_form) in fraction_slips(ctx.text, chars) {
            let typed: String = chars[start..end].iter().collect();
            let span = Span::on_line(0, start as u32, end as u32);
            let d = Diagnostic::new(
                self.code(),
                self.default_level(),
                span,
                match &arabic_form {
                    Some(form) => format!(
                        "“{typed}”混用汉字与阿拉伯数字，应写作“{form}”（GB/T 15835-2011）。"
                    ),
                    None => format!(
                        "“{typed}”混用汉字与阿拉伯数字，分数应统一用汉字或阿拉伯数字书写（GB/T 15835-2011）。"
                    ),
                },
            );
            out.push(match arabic_form {
                Some(form) => d.with_fix(Fix::replace(span, form, true)),
                None => d,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{apply_first_fixes, diags};

    #[test]
    fn mixed_numbers_are_reported_and_fixed_where_plain() {
        for (text, fixed) in [
            ("增长百分之5.2，高于全省。", "增长5.2%，高于全省。"),
            ("增长百分之１２。", "增长12%。"),
            ("下降千分之3。", "下降3‰。"),
            ("二0二五年十二月三十日", "二〇二五年十二月三十日"),
            ("二O二五年十二月三十日", "二〇二五年十二月三十日"),
            ("一九九0年", "一九九〇年"),
        ] {
            let d = diags("numeral-mix", text);
            assert_eq!(d.len(), 1, "{text}: {d:?}");
            assert_eq!(apply_first_fixes(text, &d), fixed, "{text}");
        }
        for (text, fixed) in [
            (
                "每位县级领导联系三至5家企业。",
                "每位县级领导联系3至5家企业。",
            ),
            ("一至4月城镇新增就业2186人。", "1至4月城镇新增就业2186人。"),
            ("提前3至五天报送。", "提前3至5天报送。"),
            ("（二〇二五年7月15日）", "（2025年7月15日）"),
        ] {
            let d = diags("numeral-mix", text);
            assert_eq!(d.len(), 1, "{text}: {d:?}");
            assert_eq!(apply_first_fixes(text, &d), fixed, "{text}");
        }
        let d = diags("numeral-mix", "占全市的三分之1。");
        assert_eq!(d.len(), 1);
        assert!(d[0].fixes.is_empty());
    }

    #[test]
    fn numbers_written_one_way_are_left_alone() {
        for text in [
            "增长百分之五点二，占三分之一，增长5.2%。",
            "二〇二五年十二月三十日，二○○八年",
            "排放CO二，编号Q二0。",
            "第二0号文件",
            "统一至4月底，三至五家，3至5家，二〇二五年七月，下沉5至一线，2025年7月。",
        ] {
            assert!(diags("numeral-mix", text).is_empty(), "{text}");
        }
    }
}
