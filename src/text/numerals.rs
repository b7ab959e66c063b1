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

/// Parses a count written in Chinese or Arabic numerals (讲四点 / 讲4点), also 两.
pub fn parse_count(chars: &[char]) -> Option<(u32, usize)> {
    if chars.first() == Some(&'两') {
        return Some((2, 1));
    }
    parse_arabic(chars, 2).or_else(|| parse_han_numeral(chars))
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
}
