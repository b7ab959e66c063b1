//! Word segmentation with jieba. Building jieba's dictionary takes a few hundred
//! milliseconds and about 35 MB, so it is built once, in the background, when first
//! asked for (completion, word statistics: diagnostics and the outline never need it),
//! with every formula term added as a user word (so 四个意识 stays whole). Callers on
//! the request path use [`get`], which never blocks, and degrade when the segmenter is
//! not ready yet.

use crate::knowledge::Knowledge;
use jieba_rs::Jieba;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

static JIEBA: OnceLock<Jieba> = OnceLock::new();
static LOADING: std::sync::Once = std::sync::Once::new();

fn build(kb: &Knowledge) -> Jieba {
    let mut jieba = Jieba::new();
    for f in &kb.formulas {
        for name in std::iter::once(&f.term).chain(&f.aliases) {
            jieba.add_word(name, Some(100_000), None);
        }
    }
    jieba
}

/// Starts building the segmenter on a background thread (idempotent).
pub fn start_loading(kb: Arc<Knowledge>) {
    LOADING.call_once(|| {
        std::thread::Builder::new()
            .name("jieba".into())
            .spawn(move || {
                let started = std::time::Instant::now();
                let _ = JIEBA.get_or_init(|| build(&kb));
                tracing::info!("jieba dictionary ready in {:?}", started.elapsed());
            })
            .ok();
    });
}

/// The segmenter if it is ready; the first call starts building it.
pub fn get() -> Option<&'static Jieba> {
    let ready = JIEBA.get();
    if ready.is_none() {
        start_loading(Knowledge::builtin());
    }
    ready
}

/// The segmenter, building it now if needed (CLI and tests).
pub fn wait(kb: &Knowledge) -> &'static Jieba {
    JIEBA.get_or_init(|| build(kb))
}

/// Char offsets where words start in `text`.
pub fn word_starts(jieba: &Jieba, text: &str) -> Vec<usize> {
    jieba.cut(text, false).iter().map(|t| t.start).collect()
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
        assert_eq!(word_starts(jieba, "增强四个意识"), vec![0, 2]);
        let top = top_words(jieba, "增强四个意识。增强四个意识。意识形态", 2);
        assert_eq!(top[0], ("四个意识".to_string(), 2));
    }
}
