//! Wrong forms written once for a whole family of names. A slip in a party meeting's
//! name (党的二十届四中精神, 十一大三中全会) is the same slip whatever the congress or
//! plenum, so `data/wrong_forms.toml` writes it as a `[[pattern]]` over named ordinal
//! sets (`[ordinals]`) instead of one entry per meeting:
//!
//! ```toml
//! [ordinals]
//! congress = ["十一", "十二"]
//! [[pattern]]
//! wrong = "党的{congress}精神"      # {congress#} is the same ordinal in Arabic digits
//! right = "党的{congress}大精神"
//! ```
//!
//! Each pattern expands to one ordinary wrong form per combination of the sets its
//! `wrong` names, with every placeholder of `right` and `message` filled in alike.

use super::WrongForm;
use crate::text::numerals::parse_whole;
use std::collections::BTreeMap;

/// The wrong forms of `patterns`, in order: for each pattern, every combination of the
/// values of the sets it names (the first set varying slowest).
pub fn expand(
    ordinals: &BTreeMap<String, Vec<String>>,
    patterns: &[WrongForm],
) -> Result<Vec<WrongForm>, String> {
    let mut out = Vec::new();
    for pattern in patterns {
        let names = placeholders(&pattern.wrong)?;
        if names.is_empty() {
            return Err(format!("pattern {} names no ordinal set", pattern.wrong));
        }
        for field in [&pattern.right, &pattern.message] {
            if let Some(extra) = placeholders(field)?.iter().find(|n| !names.contains(n)) {
                return Err(format!(
                    "pattern {}: {{{extra}}} is not in its wrong form",
                    pattern.wrong
                ));
            }
        }
        let sets = names
            .iter()
            .map(|name| {
                ordinals
                    .get(name.as_str())
                    .filter(|values| !values.is_empty())
                    .ok_or_else(|| format!("pattern {}: no ordinal set {name}", pattern.wrong))
                    .and_then(|values| values.iter().map(|v| Ordinal::new(v)).collect())
            })
            .collect::<Result<Vec<Vec<Ordinal>>, String>>()?;
        for choice in combinations(&sets) {
            let fill = |s: &str| fill(s, &names, &choice);
            out.push(WrongForm {
                wrong: fill(&pattern.wrong),
                right: fill(&pattern.right),
                message: fill(&pattern.message),
                source: pattern.source.clone(),
                basis: pattern.basis.clone(),
                certain: pattern.certain,
                category: pattern.category.clone(),
                since: pattern.since,
                not_before: pattern.not_before.clone(),
                not_after: pattern.not_after.clone(),
                wrong_after: pattern.wrong_after.clone(),
            });
        }
    }
    Ok(out)
}

/// A value of an ordinal set, in Chinese and in Arabic digits.
struct Ordinal<'a> {
    han: &'a str,
    arabic: String,
}

impl<'a> Ordinal<'a> {
    fn new(han: &'a str) -> Result<Ordinal<'a>, String> {
        let chars: Vec<char> = han.chars().collect();
        let n = parse_whole(&chars).ok_or_else(|| format!("{han} is not a numeral"))?;
        Ok(Ordinal {
            han,
            arabic: n.to_string(),
        })
    }
}

/// The set names of the `{name}` and `{name#}` placeholders in `s`, each once, in
/// order of first use.
fn placeholders(s: &str) -> Result<Vec<String>, String> {
    let mut names: Vec<String> = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        let close = rest[open..]
            .find('}')
            .ok_or_else(|| format!("unclosed placeholder in {s}"))?;
        let name = rest[open + 1..open + close].trim_end_matches('#');
        if !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
        rest = &rest[open + close + 1..];
    }
    Ok(names)
}

/// Every choice of one value from each set.
fn combinations<'s, 'a>(sets: &'s [Vec<Ordinal<'a>>]) -> Vec<Vec<&'s Ordinal<'a>>> {
    sets.iter().fold(vec![Vec::new()], |acc, set| {
        acc.iter()
            .flat_map(|prefix| {
                set.iter().map(move |value| {
                    let mut next = prefix.clone();
                    next.push(value);
                    next
                })
            })
            .collect()
    })
}

/// `s` with `{name}` replaced by the chosen value and `{name#}` by its Arabic digits,
/// in one pass (the placeholders were checked by `placeholders`).
fn fill(s: &str, names: &[String], choice: &[&Ordinal]) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = open + rest[open..].find('}').unwrap_or(rest.len() - open - 1);
        let key = &rest[open + 1..close];
        let (name, arabic) = key.strip_suffix('#').map_or((key, false), |n| (n, true));
        if let Some(k) = names.iter().position(|n| n == name) {
            out.push_str(if arabic {
                &choice[k].arabic
            } else {
                choice[k].han
            });
        }
        rest = &rest[(close + 1).min(rest.len())..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(wrong: &str, right: &str, message: &str) -> WrongForm {
        WrongForm {
            wrong: wrong.into(),
            right: right.into(),
            message: message.into(),
            certain: true,
            ..WrongForm::default()
        }
    }

    fn sets() -> BTreeMap<String, Vec<String>> {
        BTreeMap::from([
            ("congress".into(), vec!["十九".into(), "二十".into()]),
            ("plenum".into(), vec!["一".into(), "四".into()]),
        ])
    }

    #[test]
    fn a_pattern_expands_over_every_set_it_names() {
        let pattern = form(
            "{congress}大{plenum}中全会",
            "{congress}届{plenum}中全会",
            "应为“{congress}届{plenum}中全会”。",
        );
        let forms = expand(&sets(), &[pattern]).unwrap();
        let pairs: Vec<_> = forms
            .iter()
            .map(|w| (w.wrong.as_str(), w.right.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("十九大一中全会", "十九届一中全会"),
                ("十九大四中全会", "十九届四中全会"),
                ("二十大一中全会", "二十届一中全会"),
                ("二十大四中全会", "二十届四中全会"),
            ]
        );
        assert_eq!(forms[3].message, "应为“二十届四中全会”。");
        assert!(forms.iter().all(|w| w.certain));
    }

    #[test]
    fn arabic_placeholders_write_the_same_ordinal_in_digits() {
        let forms = expand(
            &sets(),
            &[form("党的{congress#}大", "党的{congress}大", "m")],
        )
        .unwrap();
        let wrong: Vec<_> = forms.iter().map(|w| w.wrong.as_str()).collect();
        assert_eq!(wrong, ["党的19大", "党的20大"]);
        assert_eq!(forms[1].right, "党的二十大");
    }

    #[test]
    fn malformed_patterns_are_refused() {
        for (wrong, right) in [
            ("党的十九精神", "党的十九大精神"),
            ("党的{session}精神", "党的{session}大精神"),
            ("党的{congress}精神", "党的{congress}届{plenum}中全会精神"),
            ("党的{congress精神", "党的大精神"),
        ] {
            assert!(
                expand(&sets(), &[form(wrong, right, "m")]).is_err(),
                "{wrong}"
            );
        }
    }
}
