//! Length and speaking time. What counts as one 字: each Han character, and each run of
//! Latin letters or digits (a word or a number such as “2024” or “QQ”) counts once.
//! Punctuation, spaces and Markdown syntax are not spoken and do not count.

/// 字数 of a text.
pub fn count_chars(text: &str) -> u32 {
    count(text.chars())
}

/// 字数 of a text given as chars.
pub fn count_chars_in(chars: &[char]) -> u32 {
    count(chars.iter().copied())
}

/// `count_chars_in` of a whole line, given where its chars other than Han ideographs
/// are (`text::LineIndex`): each Han char counts, and each run of letters or digits
/// counts once.
pub fn count_chars_indexed(chars: &[char], others: &[u32]) -> u32 {
    let han = chars.len() - others.len();
    let mut words = 0;
    let mut prev: Option<(u32, bool)> = None;
    for &at in others {
        let alnum = is_alphanumeric(chars[at as usize]);
        let continues = prev.is_some_and(|(p, was)| was && p + 1 == at);
        if alnum && !continues {
            words += 1;
        }
        prev = Some((at, alnum));
    }
    (han + words) as u32
}

fn count(chars: impl Iterator<Item = char>) -> u32 {
    let mut count = 0;
    let mut in_word = false;
    for c in chars {
        if crate::text::is_han(c) {
            count += 1;
            in_word = false;
        } else if is_alphanumeric(c) {
            if !in_word {
                count += 1;
            }
            in_word = true;
        } else {
            in_word = false;
        }
    }
    count
}

/// `char::is_alphanumeric`, answered without the Unicode tables for ASCII and for the
/// Chinese punctuation that fills a speech.
fn is_alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    if crate::text::is_cjk_punct(c) || c == '\u{3000}' {
        return false;
    }
    c.is_alphanumeric()
}

/// Speaking time in minutes at `rate` 字/分钟.
pub fn minutes(chars: u32, rate: f64) -> f64 {
    if rate > 0.0 {
        chars as f64 / rate
    } else {
        0.0
    }
}

/// “1,234 字 · 约 6 分钟” (minutes rounded; “不足 1 分钟” below half a minute).
pub fn describe(chars: u32, rate: f64) -> String {
    let mut out = String::new();
    describe_into(&mut out, chars, rate);
    out
}

/// `describe`, written at the end of `out`.
pub fn describe_into(out: &mut String, chars: u32, rate: f64) {
    use std::fmt::Write as _;
    let digits = chars.to_string();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out.push_str(" 字 · ");
    let m = minutes(chars, rate);
    if m < 0.5 {
        out.push_str("不足 1 分钟");
    } else {
        let _ = write!(out, "约 {} 分钟", m.round() as u64);
    }
}

pub fn describe_minutes(m: f64) -> String {
    if m < 0.5 {
        "不足 1 分钟".to_string()
    } else {
        format!("约 {} 分钟", m.round() as u64)
    }
}

pub fn group_thousands(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_han_and_words_not_punctuation() {
        assert_eq!(count_chars("　　同志们：今年2024年，QQ群、微信群。"), 12);
        assert_eq!(count_chars("𠮷野家"), 3);
        assert_eq!(count_chars("## 标题"), 2);
    }

    #[test]
    fn counting_by_the_line_index_counts_the_same() {
        for line in [
            "　　同志们：今年2024年，QQ群、微信群。",
            "𠮷野家",
            "ABC def，1.5倍 x2y 2024年",
            "",
            "数字123和abc相连",
        ] {
            let chars: Vec<char> = line.chars().collect();
            let index = crate::text::LineIndex::of(&chars);
            assert_eq!(
                count_chars_indexed(&chars, &index.others),
                count_chars_in(&chars),
                "{line}"
            );
        }
    }

    #[test]
    fn describes_length_and_time() {
        assert_eq!(group_thousands(12345), "12,345");
        assert_eq!(describe(12345, 220.0), "12,345 字 · 约 56 分钟");
        assert_eq!(describe(50, 220.0), "50 字 · 不足 1 分钟");
    }
}
