//! Chinese and Arabic numerals as they occur in markers, counts and dates.

const HAN_DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// Chinese numeral for 1..=99 (十, 十一, 二十三).
pub fn han_numeral(n: u32) -> String {
    match n {
        0 => "〇".into(),
        1..=9 => HAN_DIGITS[n as usize].to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", HAN_DIGITS[(n % 10) as usize]),
        20..=99 => {
            let tens = HAN_DIGITS[(n / 10) as usize];
            if n % 10 == 0 {
                format!("{tens}十")
            } else {
                format!("{tens}十{}", HAN_DIGITS[(n % 10) as usize])
            }
        }
        _ => n.to_string(),
    }
}

/// A count as it is written before a classifier: 两 for 2 (两点, 两项), else the
/// numeral (三点, 十二条).
pub fn count_numeral(n: u32) -> String {
    if n == 2 {
        "两".into()
    } else {
        han_numeral(n)
    }
}

/// The value of one Chinese digit (〇 and ○ and 零 are zero).
pub fn han_digit(c: char) -> Option<u32> {
    match c {
        '○' | '零' => Some(0),
        _ => HAN_DIGITS.iter().position(|&d| d == c).map(|i| i as u32),
    }
}

/// A char of a Chinese numeral: a digit (〇, ○ and 零 too) or 十, 百, 千, 万, 两.
pub fn is_han_numeral(c: char) -> bool {
    han_digit(c).is_some() || matches!(c, '十' | '百' | '千' | '万' | '两')
}

/// Parses a Chinese numeral 1..=99 at the start of `chars`; returns (value, chars used).
pub fn parse_han_numeral(chars: &[char]) -> Option<(u32, usize)> {
    let first = *chars.first()?;
    if first == '十' {
        return match chars.get(1).and_then(|&c| han_digit(c)) {
            Some(d) if d > 0 => Some((10 + d, 2)),
            _ => Some((10, 1)),
        };
    }
    let d = han_digit(first).filter(|&d| d > 0)?;
    if chars.get(1) == Some(&'十') {
        return match chars.get(2).and_then(|&c| han_digit(c)) {
            Some(u) if u > 0 => Some((d * 10 + u, 3)),
            _ => Some((d * 10, 2)),
        };
    }
    Some((d, 1))
}

/// The value of an ASCII or full-width digit.
pub fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// Parses up to `max` Arabic digits (ASCII or full-width) at the start of `chars`.
pub fn parse_arabic(chars: &[char], max: usize) -> Option<(u32, usize)> {
    let digits = chars
        .iter()
        .take_while(|&&c| digit_value(c).is_some())
        .count();
    if digits == 0 || digits > max {
        return None;
    }
    let value = chars[..digits]
        .iter()
        .fold(0u32, |acc, &c| acc * 10 + digit_value(c).unwrap_or(0));
    Some((value, digits))
}

/// The count `s` opens with (四个意识 → 4, 五位一体 → 5, 两个维护 → 2), read from its
/// first three chars without collecting the rest: `parse_count` uses no more.
pub fn count_at_start(s: &str) -> Option<u32> {
    let mut head = ['\0'; 3];
    let mut len = 0;
    for (slot, c) in head.iter_mut().zip(s.chars()) {
        *slot = c;
        len += 1;
    }
    parse_count(&head[..len]).map(|(n, _)| n)
}

/// Parses a count written in Chinese or Arabic numerals (讲四点 / 讲4点), also 两.
pub fn parse_count(chars: &[char]) -> Option<(u32, usize)> {
    if chars.first() == Some(&'两') {
        return Some((2, 1));
    }
    parse_arabic(chars, 2).or_else(|| parse_han_numeral(chars))
}

/// Chinese numeral for 1..=999 (七十七, 一百零五, 一百一十); `han_numeral` below 100.
pub fn han_number(n: u32) -> String {
    if !(100..1000).contains(&n) {
        return han_numeral(n);
    }
    let (hundreds, rest) = (n / 100, n % 100);
    let head = format!("{}百", HAN_DIGITS[hundreds as usize]);
    match rest {
        0 => head,
        1..=9 => format!("{head}零{}", HAN_DIGITS[rest as usize]),
        10..=19 => format!("{head}一{}", han_numeral(rest)),
        _ => format!("{head}{}", han_numeral(rest)),
    }
}

/// All of `chars` as one number: Arabic digits (ASCII or full-width), or Chinese up to
/// 九百九十九 (七十七, 一百零五); None for anything else or zero.
pub fn parse_whole(chars: &[char]) -> Option<u32> {
    if chars.is_empty() {
        return None;
    }
    if chars.iter().all(|&c| digit_value(c).is_some()) {
        return chars
            .iter()
            .try_fold(0u32, |n, &c| {
                n.checked_mul(10)?.checked_add(digit_value(c)?)
            })
            .filter(|&n| n > 0);
    }
    let (hundreds, rest) = match chars {
        [h, '百', rest @ ..] => (han_digit(*h).filter(|&d| d > 0)?, rest),
        _ => (0, chars),
    };
    let rest = match rest {
        ['零', rest @ ..] if hundreds > 0 => rest,
        _ => rest,
    };
    let below = if rest.is_empty() {
        0
    } else {
        let (value, used) = parse_han_numeral(rest)?;
        if used != rest.len() {
            return None;
        }
        value
    };
    Some(hundreds * 100 + below).filter(|&n| n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn numerals_parse_up_to_ninety_nine() {
        for n in 1..=99 {
            let s = han_numeral(n);
            assert_eq!(
                parse_han_numeral(&chars(&s)),
                Some((n, s.chars().count())),
                "{s}"
            );
        }
        assert_eq!(parse_count(&chars("4点")), Some((4, 1)));
        assert_eq!(parse_count(&chars("１２条")), Some((12, 2)));
        assert_eq!(parse_count(&chars("两点")), Some((2, 1)));
        assert_eq!(parse_count(&chars("123")), None);
    }

    #[test]
    fn whole_numbers_up_to_nine_hundred_and_ninety_nine() {
        let whole = |s: &str| parse_whole(&chars(s));
        assert_eq!(whole("七十七"), Some(77));
        assert_eq!(whole("一百"), Some(100));
        assert_eq!(whole("一百零五"), Some(105));
        assert_eq!(whole("一百三十"), Some(130));
        assert_eq!(whole("105"), Some(105));
        assert_eq!(whole("十"), Some(10));
        assert_eq!(han_number(77), "七十七");
        assert_eq!(han_number(105), "一百零五");
        assert_eq!(han_number(110), "一百一十");
        assert_eq!(han_number(130), "一百三十");
    }
}
