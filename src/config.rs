//! Settings shared by the CLI and the server: defaults, then `jianggao.toml`, then the
//! editor's settings (LSP `workspace/configuration`), later ones winning.

use crate::text::Date;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Default speaking rate in 字/分钟. Formal speeches are read more slowly than news
/// (broadcast news runs at roughly 250–300 字/分钟); 220 sits in the 200–250 range that
/// writing guides give for a speech read from a script.
pub const DEFAULT_SPEAKING_RATE: f64 = 220.0;

/// A configured severity for a rule, or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleLevel {
    Error,
    Warning,
    #[serde(alias = "information")]
    Info,
    Hint,
    Off,
}

/// Paragraph indentation produced by formatting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IndentStyle {
    /// Leave indentation alone.
    #[default]
    Keep,
    /// Two ideographic spaces (　　), as in printed speeches.
    Fullwidth,
    /// No indentation.
    None,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub speaking_rate: f64,
    pub rules: HashMap<String, RuleLevel>,
    pub indent: IndentStyle,
    pub inlay_hints: bool,
    pub glossary_path: Option<String>,
    /// The date drafts are judged at when their title block gives none (default:
    /// today).
    pub date: Option<Date>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            speaking_rate: DEFAULT_SPEAKING_RATE,
            rules: HashMap::new(),
            indent: IndentStyle::Keep,
            inlay_hints: false,
            glossary_path: None,
            date: None,
        }
    }
}

/// The editor's `jianggao` settings section. Every field is optional and a field of the
/// wrong type is ignored (reported by `from_json`), never fatal.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct EditorSettings {
    speaking_rate: Option<f64>,
    rules: Option<HashMap<String, RuleLevel>>,
    indent: Option<IndentStyle>,
    inlay_hints: Option<InlayHints>,
    glossary_path: Option<String>,
    /// "" (the editors' default) means unset.
    #[serde(default, deserialize_with = "optional_date")]
    date: Option<Date>,
}

fn optional_date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
    let s = String::deserialize(d)?;
    if s.trim().is_empty() {
        return Ok(None);
    }
    Date::parse_iso(&s)
        .map(Some)
        .ok_or_else(|| serde::de::Error::custom(format!("“{s}” is not a date (YYYY-MM-DD)")))
}

#[derive(Debug, Default, Deserialize)]
struct InlayHints {
    enable: Option<bool>,
}

impl Settings {
    /// Applies the editor's settings (JSON). Returns complaints about fields it ignored.
    pub fn apply_json(&mut self, value: &serde_json::Value) -> Vec<String> {
        let mut problems = Vec::new();
        let Some(obj) = value.as_object() else {
            if !value.is_null() {
                problems.push("jianggao 设置应为对象，已忽略".to_string());
            }
            return problems;
        };
        // Parse field by field so one bad field does not discard the others.
        let mut parsed = EditorSettings::default();
        for (key, v) in obj {
            let single = serde_json::json!({ key: v });
            match serde_json::from_value::<EditorSettings>(single) {
                Ok(s) => merge(&mut parsed, s),
                Err(e) => problems.push(format!("设置 jianggao.{key} 无效（{e}），已忽略")),
            }
        }
        if let Some(rate) = parsed.speaking_rate {
            if rate.is_finite() && rate > 0.0 {
                self.speaking_rate = rate;
            } else {
                problems.push(format!("设置 jianggao.speakingRate 应为正数，收到 {rate}"));
            }
        }
        if let Some(rules) = parsed.rules {
            self.rules.extend(rules);
        }
        if let Some(indent) = parsed.indent {
            self.indent = indent;
        }
        if let Some(enable) = parsed.inlay_hints.and_then(|h| h.enable) {
            self.inlay_hints = enable;
        }
        if let Some(path) = parsed.glossary_path.filter(|p| !p.is_empty()) {
            self.glossary_path = Some(path);
        }
        if let Some(date) = parsed.date {
            self.date = Some(date);
        }
        problems
    }

    pub fn level_of(&self, code: &str) -> Option<RuleLevel> {
        self.rules.get(code).copied()
    }

    /// The date a draft without a title-block date is judged at.
    pub fn fallback_date(&self) -> Date {
        self.date.unwrap_or_else(Date::today)
    }
}

fn merge(into: &mut EditorSettings, from: EditorSettings) {
    into.speaking_rate = from.speaking_rate.or(into.speaking_rate.take());
    into.rules = from.rules.or(into.rules.take());
    into.indent = from.indent.or(into.indent.take());
    into.inlay_hints = from.inlay_hints.or(into.inlay_hints.take());
    into.glossary_path = from.glossary_path.or(into.glossary_path.take());
    into.date = from.date.or(into.date.take());
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bad_fields_are_reported_and_ignored() {
        let mut s = Settings::default();
        let problems = s.apply_json(&json!({
            "speakingRate": "fast",
            "rules": { "placeholder": "off" },
            "inlayHints": { "enable": true },
            "date": "2017-10"
        }));
        assert_eq!(problems.len(), 1);
        assert_eq!(s.date, Some(Date::new(2017, 10, 0)));
        assert!(s.apply_json(&json!({ "date": "" })).is_empty());
        assert_eq!(s.apply_json(&json!({ "date": "去年" })).len(), 1);
        assert_eq!(s.speaking_rate, DEFAULT_SPEAKING_RATE);
        assert_eq!(s.level_of("placeholder"), Some(RuleLevel::Off));
        assert!(s.inlay_hints);
        assert_eq!(s.apply_json(&json!(3)).len(), 1);
    }
}
