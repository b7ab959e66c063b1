//! Dated events whose anniversaries speeches count (今年是新中国成立77周年), the
//! five-year plans whose years they name (今年是“十五五”开局之年) and the yearly days
//! they count (第40个教师节), from `data/events.toml`: what `analysis::year_claim`
//! reads a sentence's year from.

use serde::Deserialize;
use std::sync::OnceLock;

pub const EVENTS_TOML: &str = include_str!("../../data/events.toml");
const EVENTS_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/events.json"));

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// How texts write the event right before the count of years (新中国成立, 建国),
    /// longest first.
    pub names: Vec<String>,
    pub year: i32,
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub date: String,
    /// founding, victory, birth or other.
    pub kind: String,
    /// The first is a primary page that gives the date or an anniversary's year.
    pub sources: Vec<String>,
    pub verified: bool,
    pub checked: String,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// 14 for “十四五”.
    pub number: u32,
    /// As texts write it: 十四五, 七五.
    pub name: String,
    /// 计划 (up to the tenth) or 规划.
    pub kind: String,
    pub first_year: i32,
    pub last_year: i32,
    pub sources: Vec<String>,
    pub verified: bool,
    pub checked: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// A day (or month) held every year and counted from its first (第40个教师节).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Observance {
    /// How texts write it after 第N个 (全民国家安全教育日), longest first.
    pub names: Vec<String>,
    /// The year of the first.
    pub first_year: i32,
    /// `MM-DD`, or `MM` for a day that moves (秋分) or a month (安全生产月).
    pub date: String,
    /// The first is a primary page that states a count with its year, or the first.
    pub sources: Vec<String>,
    pub verified: bool,
    pub checked: String,
    #[serde(default)]
    pub note: Option<String>,
}

impl Observance {
    /// Its month and, where fixed, its day.
    pub fn month_day(&self) -> Option<(u8, Option<u8>)> {
        let mut parts = self.date.split('-');
        let month = parts.next()?.parse().ok()?;
        let day = parts.next().map(str::parse).transpose().ok()?;
        Some((month, day))
    }
}

#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Events {
    pub schema_version: u32,
    pub data_version: String,
    #[serde(default)]
    pub event: Vec<Event>,
    #[serde(default)]
    pub plan: Vec<Plan>,
    #[serde(default)]
    pub observance: Vec<Observance>,
}

impl Events {
    /// The event whose name `before` ends with (the longest such name), with that
    /// name's length in chars. Only verified entries are used.
    pub fn named_before(&self, before: &[char]) -> Option<(usize, usize)> {
        let mut best: Option<(usize, usize)> = None;
        for (i, e) in self.event.iter().enumerate().filter(|(_, e)| e.verified) {
            for name in &e.names {
                let n = name.chars().count();
                let ends = before.len() >= n
                    && name.chars().eq(before[before.len() - n..].iter().copied());
                if ends && best.is_none_or(|(_, len)| n > len) {
                    best = Some((i, n));
                }
            }
        }
        best
    }

    /// The verified observance whose name starts at char `at` of `chars` (the longest
    /// such name), with that name's length in chars.
    pub fn observance_at(&self, chars: &[char], at: usize) -> Option<(usize, usize)> {
        let rest = chars.get(at..)?;
        let mut best: Option<(usize, usize)> = None;
        let observances = self
            .observance
            .iter()
            .enumerate()
            .filter(|(_, o)| o.verified);
        for (i, o) in observances {
            for name in &o.names {
                let n = name.chars().count();
                let starts = rest.len() >= n && name.chars().eq(rest[..n].iter().copied());
                if starts && best.is_none_or(|(_, len)| n > len) {
                    best = Some((i, n));
                }
            }
        }
        best
    }

    /// The verified plan numbered `number`.
    pub fn plan(&self, number: u32) -> Option<&Plan> {
        self.plan.iter().find(|p| p.number == number && p.verified)
    }
}

/// The embedded data (parsed once per process).
pub fn events() -> &'static Events {
    static ALL: OnceLock<Events> = OnceLock::new();
    ALL.get_or_init(|| {
        serde_json::from_str(EVENTS_JSON).unwrap_or_else(|e| {
            tracing::error!("embedded events.toml is invalid: {e}");
            Events::default()
        })
    })
}

/// Parses an events file (the data tests read the TOML itself).
pub fn parse_events(text: &str) -> Result<Events, String> {
    toml::from_str(text).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded JSON (build.rs) holds exactly what the TOML says.
    #[test]
    fn builtin_events_are_the_toml_data() {
        assert_eq!(events(), &parse_events(EVENTS_TOML).unwrap());
    }

    #[test]
    fn the_longest_name_before_a_count() {
        let chars: Vec<char> = "今年是新中国成立".chars().collect();
        let (i, n) = events().named_before(&chars).unwrap();
        assert_eq!(events().event[i].year, 1949);
        assert_eq!(n, 5);
        let chars: Vec<char> = "今年是我县成立".chars().collect();
        assert!(events().named_before(&chars).is_none());
    }
}
