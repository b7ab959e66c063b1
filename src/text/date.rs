//! Calendar dates as drafts and the knowledge base write them: “2007年10月15日”,
//! “一九八二年九月一日”, “1995年”, and ISO forms (“2016-07”, “2016-07-01”) in data.

use super::numerals::{digit_value, han_digit};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A date whose month or day may be unknown (0). Unknown parts order first, so a date
/// known only to its year compares as the earliest day of that year: judgements that
/// depend on a date are lenient towards a draft whose date is vague.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub const fn new(year: u16, month: u8, day: u8) -> Date {
        Date { year, month, day }
    }

    /// “2016-07-01”, “2016-07” or “2016”.
    pub fn parse_iso(s: &str) -> Option<Date> {
        let mut parts = s.trim().split('-');
        let year: u16 = parts.next()?.parse().ok()?;
        let month: u8 = parts.next().map(str::parse).transpose().ok()?.unwrap_or(0);
        let day: u8 = parts.next().map(str::parse).transpose().ok()?.unwrap_or(0);
        if parts.next().is_some() || !(1000..=9999).contains(&year) || month > 12 || day > 31 {
            return None;
        }
        if month == 0 && day != 0 {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Today's date (UTC) from the system clock.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Date::from_days((secs / 86_400) as i64)
    }

    /// The civil date of a day count since 1970-01-01 (H. Hinnant's algorithm).
    pub fn from_days(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        Date { year, month, day }
    }

    /// The latest day this date may stand for (unknown parts at their maximum).
    pub fn latest(self) -> Date {
        Date {
            year: self.year,
            month: if self.month == 0 { 12 } else { self.month },
            day: if self.day == 0 { 31 } else { self.day },
        }
    }

    /// The date as a writer reads it: “2016年7月1日”, “2016年7月”, “2016年”.
    pub fn chinese(&self) -> String {
        match (self.month, self.day) {
            (0, _) => format!("{}年", self.year),
            (m, 0) => format!("{}年{m}月", self.year),
            (m, d) => format!("{}年{m}月{d}日", self.year),
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.month, self.day) {
            (0, _) => write!(f, "{:04}", self.year),
            (m, 0) => write!(f, "{:04}-{m:02}", self.year),
            (m, d) => write!(f, "{:04}-{m:02}-{d:02}", self.year),
        }
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse_iso(&s).ok_or_else(|| {
            serde::de::Error::custom(format!("“{s}” is not a date (YYYY-MM or YYYY-MM-DD)"))
        })
    }
}

/// A year written with four digits from `at`, Arabic or Chinese (一九八二, 二〇二四).
pub fn year_at(chars: &[char], at: usize) -> Option<u16> {
    let digits = chars.get(at..at + 4)?;
    let arabic: Option<Vec<u32>> = digits.iter().map(|&c| digit_value(c)).collect();
    let values = arabic.or_else(|| digits.iter().map(|&c| han_digit(c)).collect())?;
    let year = values.iter().fold(0u32, |acc, d| acc * 10 + d);
    (1900..=2100).contains(&year).then_some(year as u16)
}

/// A month or day number after a year: 1–2 Arabic digits, or a Chinese numeral
/// (九, 十, 十二, 二十三, 三十一). Returns (value, chars used).
fn small_number_at(chars: &[char], at: usize) -> Option<(u32, usize)> {
    let rest = chars.get(at..)?;
    super::numerals::parse_arabic(rest, 2).or_else(|| super::numerals::parse_han_numeral(rest))
}

/// The first date in a line: “（2007年10月15日）”, “——2010年3月5日在……”,
/// “——1995年在全国人民代表大会上”, “一九八二年九月一日”. A year alone counts.
pub fn find_date(text: &str) -> Option<Date> {
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len()).find_map(|i| {
        // A year must not continue a longer number (12024年).
        if i > 0 && (digit_value(chars[i - 1]).is_some() || han_digit(chars[i - 1]).is_some()) {
            return None;
        }
        let year = year_at(&chars, i)?;
        if chars.get(i + 4) != Some(&'年') {
            return None;
        }
        let mut date = Date::new(year, 0, 0);
        let Some((month, used)) = small_number_at(&chars, i + 5) else {
            return Some(date);
        };
        if !(1..=12).contains(&month) || chars.get(i + 5 + used) != Some(&'月') {
            return Some(date);
        }
        date.month = month as u8;
        let at = i + 6 + used;
        if let Some((day, used)) = small_number_at(&chars, at) {
            if (1..=31).contains(&day) && matches!(chars.get(at + used), Some('日' | '号')) {
                date.day = day as u8;
            }
        }
        Some(date)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_title_blocks() {
        assert_eq!(
            find_date("（2007年10月15日）"),
            Some(Date::new(2007, 10, 15))
        );
        assert_eq!(
            find_date("——2010年3月5日在第十一届全国人民代表大会"),
            Some(Date::new(2010, 3, 5))
        );
        assert_eq!(
            find_date("——1995年在全国人民代表大会上"),
            Some(Date::new(1995, 0, 0))
        );
        assert_eq!(
            find_date("（一九八二年九月一日）"),
            Some(Date::new(1982, 9, 1))
        );
        assert_eq!(find_date("二〇二四年三月"), Some(Date::new(2024, 3, 0)));
        assert_eq!(
            find_date("（２０２４年６月１日）"),
            Some(Date::new(2024, 6, 1))
        );
        assert_eq!(find_date("第12024年"), None);
        assert_eq!(find_date("在会上的讲话"), None);
    }

    #[test]
    fn iso_dates_and_order() {
        assert_eq!(Date::parse_iso("2016-07"), Some(Date::new(2016, 7, 0)));
        assert_eq!(Date::parse_iso("2016-07-01"), Some(Date::new(2016, 7, 1)));
        assert_eq!(Date::parse_iso("2016-13"), None);
        assert_eq!(Date::parse_iso("二〇一六"), None);
        // A year alone is earlier than any month of it: vague dates are judged leniently.
        assert!(Date::new(1995, 0, 0) < Date::new(1995, 1, 0));
        assert_eq!(Date::from_days(0), Date::new(1970, 1, 1));
        assert_eq!(Date::from_days(20_788), Date::new(2026, 12, 1));
        assert_eq!(Date::new(2016, 7, 0).to_string(), "2016-07");
        assert_eq!(Date::new(2016, 7, 1).chinese(), "2016年7月1日");
    }
}
