//! Word segmentation with jieba, for the word statistics of a draft
//! (`jianggao/statistics`). Building jieba's dictionary takes a few hundred
//! milliseconds and about 40 MB resident, so it is built only when statistics are
//! first asked for, off the async workers, and kept for later requests; diagnostics,
//! the outline and completion never need it. Every formula term is added as a user word
//! (so 四个意识 stays whole).

use crate::knowledge::Knowledge;
use jieba_rs::Jieba;
use std::collections::HashMap;
use std::sync::OnceLock;

static JIEBA: OnceLock<Jieba> = OnceLock::new();

fn build(kb: &Knowledge) -> Jieba {
    let started = std::time::Instant::now();
    let mut jieba = Jieba::new();
    for f in &kb.formulas {
        for name in std::iter::once(&f.term).chain(&f.aliases) {
            jieba.add_word(name, Some(100_000), None);
        }
    }
    tracing::info!("jieba dictionary ready in {:?}", started.elapsed());
    jieba
}

/// The segmenter, building it now if needed (blocks for the first build).
pub fn wait(kb: &Knowledge) -> &'static Jieba {
    JIEBA.get_or_init(|| build(kb))
}

const STOP_WORDS: &[&str] = &[
    "我们",
    "一个",
    "进一步",
    "工作",
    "要求",
    "以及",
    "没有",
    "这个",
    "一些",
    "同时",
    "通过",
    "进行",
    "已经",
    "可以",
];

/// The most frequent words of two or more Han characters, most frequent first.
pub fn top_words(jieba: &Jieba, text: &str, n: usize) -> Vec<(String, usize)> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for line in text.lines() {
        for t in jieba.cut(line, false) {
            let w = t.word;
            if w.chars().count() >= 2
                && w.chars().all(crate::text::is_han)
                && !STOP_WORDS.contains(&w)
            {
                *counts.entry(w).or_default() += 1;
            }
        }
    }
    let mut v: Vec<(String, usize)> = counts
        .into_iter()
        .map(|(w, c)| (w.to_string(), c))
        .collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v.truncate(n);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_terms_stay_whole() {
        let kb = Knowledge::builtin();
        let jieba = wait(&kb);
        let words: Vec<&str> = jieba
            .cut("增强四个意识坚定四个自信", false)
            .iter()
            .map(|t| t.word)
            .collect();
        assert!(
            words.contains(&"四个意识") && words.contains(&"四个自信"),
            "{words:?}"
        );
        let top = top_words(jieba, "增强四个意识。增强四个意识。意识形态", 2);
        assert_eq!(top[0], ("四个意识".to_string(), 2));
    }
}
