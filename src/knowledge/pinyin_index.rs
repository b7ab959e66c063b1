//! Pinyin keys for completion: initials (sgys) and full pinyin without tones
//! (sigeyishi) of every term and alias, computed once when the knowledge is built.

use super::Formula;
use pinyin::ToPinyin;

#[derive(Debug, Default)]
pub struct PinyinIndex {
    /// (formula index, the term or alias, initials, full pinyin)
    keys: Vec<(u32, String, String, String)>,
}

/// Initials and full pinyin of `text`; non-Han characters are kept lowercased
/// (so “144”工作部署 has keys 144gzbs / 144gongzuobushu).
pub fn keys_of(text: &str) -> (String, String) {
    let mut initials = String::new();
    let mut full = String::new();
    for (c, py) in text.chars().zip(text.to_pinyin()) {
        match py {
            Some(p) => {
                initials.push_str(p.first_letter());
                full.push_str(p.plain());
            }
            None if c.is_ascii_alphanumeric() => {
                let lower = c.to_ascii_lowercase();
                initials.push(lower);
                full.push(lower);
            }
            None => {}
        }
    }
    (initials, full)
}

impl PinyinIndex {
    pub fn new(formulas: &[Formula]) -> Self {
        let mut keys = Vec::new();
        for (i, f) in formulas.iter().enumerate() {
            for name in std::iter::once(&f.term).chain(&f.aliases) {
                let (initials, full) = keys_of(name);
                if !initials.is_empty() {
                    keys.push((i as u32, name.clone(), initials, full));
                }
            }
        }
        PinyinIndex { keys }
    }

    /// Formulas whose initials or full pinyin start with `query` (ASCII, any case),
    /// with the matching term or alias.
    pub fn matches<'a>(&'a self, query: &str) -> impl Iterator<Item = (u32, &'a str)> + 'a {
        let q = query.to_ascii_lowercase();
        self.keys
            .iter()
            .filter(move |(_, _, ini, full)| ini.starts_with(&q) || full.starts_with(&q))
            .map(|(i, name, _, _)| (*i, name.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_and_full_pinyin() {
        assert_eq!(
            keys_of("四个意识"),
            ("sgys".to_string(), "sigeyishi".to_string())
        );
        assert_eq!(keys_of("“144”工作部署").0, "144gzbs");
    }
}
