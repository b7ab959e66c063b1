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

/// A char of a number in Chinese numerals, places up to 亿 included.
fn han_number_char(c: char) -> bool {
    crate::text::numerals::is_han_numeral(c) || c == '亿'
}

/// What 千 after digits is a prefix of (5千米, 3千瓦): a unit, not the number's place.
const KILO_UNITS: &str = "米克瓦伏帕焦卡赫兆";

/// Numbers written partly in Arabic digits, partly in Chinese numerals (四十5个, 八百62
/// 毫米, 3百亿元, 1千8百家, 2万3千860元): a Chinese run with a place (十, 百, 千, 零) right
/// before a digit, or a digit right before 百 or 千. Digits before 万 and 亿 alone are
/// the standard's own way (3万, 2.5亿); 5千米 and 3千瓦 are units; 百分 a fraction's.
fn mixed_numbers(chars: &[char], others: &[u32]) -> Vec<Mixed> {
    let mut out = Vec::new();
    let mut next = 0;
    for &i in others {
        let i = i as usize;
        let in_number = |c: char| arabic(c) || matches!(c, '.' | '．');
        if i < next || !arabic(chars[i]) || i > 0 && in_number(chars[i - 1]) {
            continue;
        }
        let start = run_back(chars, i, |c| han_number_char(c) || arabic(c));
        let mut end = run_on(chars, i, |c| han_number_char(c) || in_number(c));
        next = end;
        // A decimal before 百 or 千 counts in a unit (10.36百亿亿次/秒, 1.5千米).
        if chars[start..end].iter().any(|&c| matches!(c, '.' | '．')) {
            continue;
        }
        let han_then_digit = (start + 1..end).any(|k| {
            arabic(chars[k]) && matches!(chars[k - 1], '十' | '百' | '千' | '零' | '〇' | '○')
        });
        let digit_then_place = (start..end - 1).any(|k| {
            let after = chars.get(k + 2).copied().unwrap_or(' ');
            arabic(chars[k])
                && match chars[k + 1] {
                    '百' => after != '分',
                    '千' => !KILO_UNITS.contains(after),
                    _ => false,
                }
        });
        if !han_then_digit && !digit_then_place {
            continue;
        }
        // 万 or 亿 at the end is the unit the number counts in (3百亿元 → 300亿元).
        if matches!(chars[end - 1], '万' | '亿') {
            end -= 1;
        }
        if let Some(value) = mixed_value(&chars[start..end]) {
            out.push(((start, end), (start, end), value.to_string()));
        }
    }
    out
}

/// The value of a number mixing Arabic digits and Chinese numerals (1千8百 → 1800,
/// 2万3千860 → 23860, 四十5 → 45); a lone digit right after a place counts the place
/// below it (1千8 → 1800); a year is read digit by digit (二〇25 → 2025). None for what
/// is no such number.
fn mixed_value(chars: &[char]) -> Option<u64> {
    if chars.iter().any(|&c| matches!(c, '〇' | '○')) {
        return chars.iter().try_fold(0u64, |n, &c| {
            let d = digit_value(c).or_else(|| han_digit(c))?;
            n.checked_mul(10)?.checked_add(d as u64)
        });
    }
    let (mut total, mut section, mut number) = (0u64, 0u64, None::<u64>);
    let mut last_place = 0u64;
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k];
        let place = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            '万' => 10_000,
            '亿' => 100_000_000,
            _ => 0,
        };
        if arabic(c) {
            let end = run_on(chars, k, arabic);
            let digits = &chars[k..end];
            let value = digits.iter().try_fold(0u64, |n, &d| {
                n.checked_mul(10)?.checked_add(digit_value(d)? as u64)
            })?;
            // 1千8: the 8 is of the hundreds.
            let lone = digits.len() == 1 && end == chars.len() && last_place >= 100;
            number = Some(if lone { value * last_place / 10 } else { value });
            k = end;
            continue;
        }
        match place {
            10..=1000 => {
                section += number.unwrap_or(1) * place;
                number = None;
                last_place = place;
            }
            // 一百零5: the digit after 零 is a unit's.
            0 if c == '零' => last_place = 0,
            0 => {
                let digit = if c == '两' { 2 } else { han_digit(c)? as u64 };
                let lone = k + 1 == chars.len() && last_place >= 100;
                number = Some(if lone { digit * last_place / 10 } else { digit });
            }
            _ => {
                total += (section + number.unwrap_or(0)) * place;
                section = 0;
                number = None;
                last_place = place;
            }
        }
        k += 1;
    }
    Some(total + section + number.unwrap_or(0))
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
            description: "A number is written either in Chinese numerals or in Arabic ones (GB/T 15835-2011): 百分之5.2 is 5.2% (or 百分之五点二), 三分之1 is 三分之一 or 1/3, the zero of a year in Chinese numerals is 〇, not the digit 0 or the letter O (二0二五年 → 二〇二五年), and the two ends of a range, or a date's year and month, are written alike (三至5家 → 3至5家, 二〇二五年7月 → 2025年7月), and so is one number (四十5个 → 45个, 3百亿元 → 300亿元, 1千8百家 → 1800家; the standard writes 万 and 亿 after digits, 3万, 2.5亿, but not 百 or 千; 5千米 is a unit).",
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
            let mixed = mixed_ranges(chars, ctx.others());
            let numbers = mixed_numbers(chars, ctx.others());
            for ((start, end), (from, to), digits) in mixed.into_iter().chain(numbers) {
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
    fn one_number_in_both_kinds_of_numerals() {
        for (text, fixed) in [
            ("全年降水八百62毫米。", "全年降水862毫米。"),
            ("新建四十5个站点。", "新建45个站点。"),
            ("投资3百亿元。", "投资300亿元。"),
            ("培育1千8百家企业。", "培育1800家企业。"),
            ("人均增收2万3千860元。", "人均增收23860元。"),
            ("今年是建党一百零5周年。", "今年是建党105周年。"),
            ("新增8百60名教师。", "新增860名教师。"),
            ("完成9千亿元。", "完成9000亿元。"),
            ("又增1千8人。", "又增1800人。"),
            ("二〇25年是收官之年。", "2025年是收官之年。"),
        ] {
            let d = diags("numeral-mix", text);
            assert_eq!(d.len(), 1, "{text}: {d:?}");
            assert_eq!(apply_first_fixes(text, &d), fixed);
        }
        for text in [
            "增长3万人，投资2.5亿元。",
            "全长5千米，装机3千瓦。",
            "统一5月底前完成。",
            "十四五时期新增12个。",
            "提高3个百分点。",
            "第一5G基站。",
            "算力总规模达到10.36百亿亿次/秒。",
        ] {
            assert!(diags("numeral-mix", text).is_empty(), "{text}");
        }
    }

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
