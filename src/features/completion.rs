//! Completion: formula terms by Chinese prefix, pinyin initials (sgys) or full pinyin
//! (sigeyishi); the next point marker at a paragraph start (after 二要 → 三要); and
//! skeleton snippets (“下面，我讲三点意见。” with three points).

use crate::analysis::markers::Family;
use crate::analysis::NodeKind;
use crate::document::Analysis;
use crate::document::Document;
use crate::knowledge::{Knowledge, Status, Verified};
use crate::text::{Pos, Span};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Formula,
    Point,
    Snippet,
}

#[derive(Debug, Clone)]
pub struct Item {
    pub label: String,
    pub kind: ItemKind,
    pub detail: Option<String>,
    /// Markdown.
    pub documentation: Option<String>,
    /// The formula the item inserts, whose card `documentation` is (adapters may send
    /// it later: `formula_documentation`).
    pub formula: Option<u32>,
    pub insert: String,
    /// `insert` uses snippet syntax ($1, ${1:…}).
    pub snippet: bool,
    /// The text the item replaces (the typed prefix).
    pub replace: Span,
    pub filter: String,
    pub sort: String,
}

const MAX_PREFIX: usize = 10;

/// The typed prefix before `col`: a run of Han chars (“四个”) or ASCII letters (“sgys”).
fn prefix_before(chars: &[char], col: usize) -> (usize, bool) {
    let col = col.min(chars.len());
    let ascii = chars[..col]
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    if ascii > 0 {
        return (col - ascii, true);
    }
    let han = chars[..col]
        .iter()
        .rev()
        .take_while(|&&c| crate::text::is_han(c))
        .take(MAX_PREFIX)
        .count();
    (col - han, false)
}

/// How often the draft uses each of the formulas `wanted`, indexed by formula (0 for
/// the others). Asked on every completion and proportional to the draft: a flag per
/// formula instead of a hash map entry per term found.
fn usage_counts(doc: &Document, wanted: impl Iterator<Item = u32>) -> Vec<usize> {
    let n = doc.knowledge().formulas.len();
    let mut is_wanted = vec![false; n];
    for i in wanted {
        if let Some(w) = is_wanted.get_mut(i as usize) {
            *w = true;
        }
    }
    let mut counts = vec![0; n];
    for facts in doc.lines() {
        for h in &facts.terms {
            if is_wanted.get(h.entry as usize) == Some(&true) {
                counts[h.entry as usize] += 1;
            }
        }
    }
    counts
}

/// Candidate formulas for a Han prefix: the longest suffix of the run before the cursor
/// that starts some term and is shorter than it. No word segmenter is consulted: jieba's
/// dictionary costs about 40 MB resident, and a longer suffix that crosses a word
/// boundary and still begins a formula term is rare enough not to pay for.
fn han_matches<'k>(kb: &'k Knowledge, run: &[char]) -> Option<(usize, Vec<(u32, &'k str)>)> {
    (1..=run.len()).rev().find_map(|k| {
        let suffix: String = run[run.len() - k..].iter().collect();
        let found: Vec<(u32, &str)> = kb
            .formulas
            .iter()
            .enumerate()
            .flat_map(|(i, f)| {
                std::iter::once(&f.term)
                    .chain(&f.aliases)
                    .map(move |n| (i as u32, n.as_str()))
            })
            .filter(|(_, n)| n.starts_with(&suffix) && n.chars().count() > k)
            .collect();
        (!found.is_empty()).then_some((k, found))
    })
}

/// The card of formula `index` (what `Item::documentation` holds for it).
pub fn formula_documentation(kb: &Knowledge, index: u32) -> Option<String> {
    let f = kb.formulas.get(index as usize)?;
    Some(crate::features::formula_markdown(f, None))
}

fn formula_items(
    doc: &Document,
    replace: Span,
    matches: Vec<(u32, &str)>,
    typed: &str,
    workspace: &HashMap<String, usize>,
) -> Vec<Item> {
    let kb = doc.knowledge();
    let counts = usage_counts(doc, matches.iter().map(|&(i, _)| i));
    let mut seen = std::collections::HashSet::new();
    let mut ranked: Vec<(u32, &str)> = matches
        .into_iter()
        .filter(|(i, _)| seen.insert(*i))
        .collect();
    ranked.sort_by_key(|&(i, name)| {
        let f = kb.formula(i);
        (
            std::cmp::Reverse(counts.get(i as usize).copied().unwrap_or(0)),
            std::cmp::Reverse(workspace.get(&f.term).copied().unwrap_or(0)),
            f.status == Status::Superseded,
            f.verified != Verified::Items,
            name.chars().count(),
            i,
        )
    });
    let mut out = Vec::new();
    for (rank, (i, name)) in ranked.into_iter().enumerate().take(50) {
        let f = kb.formula(i);
        let items = f.checked_items();
        let detail = if items.is_empty() {
            f.definition.clone()
        } else {
            items.join("、")
        };
        let doc_md = crate::features::formula_markdown(f, None);
        let label = if f.status == Status::Superseded {
            format!("{name}（旧提法）")
        } else {
            name.to_string()
        };
        let base = Item {
            label,
            kind: ItemKind::Formula,
            detail: Some(detail),
            documentation: Some(doc_md),
            formula: Some(i),
            insert: name.to_string(),
            snippet: false,
            replace,
            filter: typed.to_string(),
            sort: format!("{rank:03}a"),
        };
        if !items.is_empty() {
            let mut with = base.clone();
            with.label = format!("{name}（{}）", items.join("、"));
            with.insert = with.label.clone();
            with.detail = Some("词条＋展开".into());
            with.sort = format!("{rank:03}b");
            let mut bare = base.clone();
            bare.label = items.join("、");
            bare.insert = bare.label.clone();
            bare.detail = Some(format!("“{name}”的各项"));
            bare.sort = format!("{rank:03}c");
            out.push(base);
            out.push(with);
            out.push(bare);
        } else {
            out.push(base);
        }
    }
    out
}

/// Abbreviations the draft defines (“四不”, “三化”), completed like known formulas.
fn learned_items(analysis: &Analysis, run: &[char], line: u32, col: usize) -> Vec<Item> {
    let mut out = Vec::new();
    for l in &analysis.structure.learned {
        let term: Vec<char> = l.term.chars().collect();
        let Some(k) = (1..=run.len().min(term.len() - 1))
            .rev()
            .find(|&k| term.starts_with(&run[run.len() - k..]))
        else {
            continue;
        };
        let replace = Span::on_line(line, (col - k) as u32, col as u32);
        out.push(Item {
            label: l.term.clone(),
            kind: ItemKind::Formula,
            detail: Some(if l.items.is_empty() {
                "本文定义".to_string()
            } else {
                l.items.join("、")
            }),
            documentation: Some(format!(
                "**{}**（本文第 {} 行定义）\n\n{}",
                l.term,
                l.span.start.line + 1,
                l.items.join("、")
            )),
            formula: None,
            insert: l.term.clone(),
            snippet: false,
            replace,
            filter: run[run.len() - k..].iter().collect(),
            sort: "000".into(),
        });
    }
    out
}

/// Next markers offered at a paragraph start: continue the deepest list first, then
/// each enclosing list.
fn next_points(analysis: &Analysis, line: u32, replace: Span) -> Vec<Item> {
    let outline = &analysis.structure.outline;
    let Some(last) = outline
        .nodes
        .iter()
        .rposition(|n| n.marker.start.line < line && !n.is_heading())
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut node = Some(last);
    let mut rank = 0;
    while let Some(n) = node {
        let x = &outline.nodes[n];
        if let NodeKind::Point { family, number, .. } = x.kind {
            if number > 0
                && !matches!(family, Family::Fangmian)
                && !(family == Family::Shouxian && number >= 3)
            {
                let marker = family.marker(number + 1);
                out.push(Item {
                    label: marker.clone(),
                    kind: ItemKind::Point,
                    detail: Some(format!("接续“{}”", family.label(number))),
                    documentation: None,
                    formula: None,
                    insert: marker,
                    snippet: false,
                    replace,
                    filter: String::new(),
                    sort: format!("0{rank}"),
                });
                rank += 1;
            }
        }
        node = x.parent;
    }
    out
}

const SKELETON_STYLES: [Family; 4] = [Family::Yao, Family::Di, Family::HanDun, Family::Shi];

fn skeletons(replace: Span, snippets: bool) -> Vec<Item> {
    let mut out = Vec::new();
    for n in 2..=5u32 {
        for family in SKELETON_STYLES {
            let han = crate::text::numerals::han_numeral(n);
            let mut body = format!("下面，我讲{han}点意见。");
            for k in 1..=n {
                let marker = family.marker(k);
                let end = if family == Family::HanDun { "" } else { "。" };
                if snippets {
                    body.push_str(&format!(
                        "\n\u{3000}\u{3000}{marker}${{{k}:要点{}}}{end}",
                        crate::text::numerals::han_numeral(k)
                    ));
                } else {
                    body.push_str(&format!("\n\u{3000}\u{3000}{marker}{end}"));
                }
            }
            if snippets {
                body.push_str("\n\u{3000}\u{3000}$0");
            }
            out.push(Item {
                label: format!("讲{han}点意见（{}…{}）", family.label(1), family.label(n)),
                kind: ItemKind::Snippet,
                detail: Some("讲话稿骨架".into()),
                documentation: None,
                formula: None,
                insert: body,
                snippet: snippets,
                replace,
                filter: format!("讲{han}点意见 jiang{n}dianyijian jdyj"),
                sort: format!("9{n}{}", family as u8),
            });
        }
    }
    out
}

/// Completion items at `pos`.
pub fn complete(doc: &Document, analysis: &Analysis, pos: Pos, snippets: bool) -> Vec<Item> {
    complete_with(doc, analysis, pos, snippets, &HashMap::new())
}

/// Completion items at `pos`, ranking formulas by their use in this document, then in
/// the workspace (`workspace`: term → occurrences in the workspace's drafts).
pub fn complete_with(
    doc: &Document,
    analysis: &Analysis,
    pos: Pos,
    snippets: bool,
    workspace: &HashMap<String, usize>,
) -> Vec<Item> {
    let text = doc.line_text(pos.line);
    let chars: Vec<char> = text.chars().collect();
    let col = (pos.col as usize).min(chars.len());
    let (start, ascii) = prefix_before(&chars, col);
    let typed: String = chars[start..col].iter().collect();
    let indent = chars
        .iter()
        .take_while(|&&c| crate::text::is_indent(c))
        .count();
    let mut out = Vec::new();
    if ascii {
        let matches: Vec<(u32, &str)> = doc.knowledge().pinyin().matches(&typed).collect();
        let replace = Span::on_line(pos.line, start as u32, col as u32);
        out.extend(formula_items(doc, replace, matches, &typed, workspace));
        if start == indent && "jiang".starts_with(&typed.to_ascii_lowercase()[..typed.len().min(5)])
        {
            out.extend(skeletons(replace, snippets));
        }
    } else if col > start {
        if let Some((k, matches)) = han_matches(doc.knowledge(), &chars[start..col]) {
            let from = col - k;
            let typed: String = chars[from..col].iter().collect();
            let replace = Span::on_line(pos.line, from as u32, col as u32);
            out.extend(formula_items(doc, replace, matches, &typed, workspace));
        }
        out.extend(learned_items(analysis, &chars[start..col], pos.line, col));
        if start == indent && chars[start..col].starts_with(&['讲']) {
            out.extend(skeletons(
                Span::on_line(pos.line, start as u32, col as u32),
                snippets,
            ));
        }
    }
    if col == indent {
        let replace = Span::on_line(pos.line, col as u32, col as u32);
        let mut points = next_points(analysis, pos.line, replace);
        points.extend(out);
        out = points;
        if col == chars.len() {
            out.extend(skeletons(replace, snippets));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::Knowledge;

    fn labels(text: &str, pos: Pos) -> Vec<String> {
        let doc = Document::new(text, Knowledge::builtin());
        let a = doc.analyze();
        complete(&doc, &a, pos, true)
            .into_iter()
            .map(|i| i.label)
            .collect()
    }

    #[test]
    fn prefix_initials_and_full_pinyin_complete_the_same_term() {
        for (text, col) in [
            ("𠮷要增强四个", 6),
            ("要增强sgys", 7),
            ("要增强sigeyishi", 12),
        ] {
            let l = labels(text, Pos::new(0, col));
            assert!(l.iter().any(|x| x == "四个意识"), "{text}: {l:?}");
        }
        let l = labels("增强四个", Pos::new(0, 4));
        assert!(l.contains(&"四个自信".to_string()) && l.contains(&"四个全面".to_string()));
        assert!(l.iter().any(|x| x.starts_with("四个意识（政治意识")));
    }

    #[test]
    fn ranking_prefers_terms_used_in_the_document() {
        let l = labels("坚定四个自信。\n四个", Pos::new(1, 2));
        assert_eq!(l[0], "四个自信");
    }

    #[test]
    fn learned_abbreviations_complete() {
        let l = labels(
            "坚持不推、不拖、不等、不躲的“四不”态度。\n践行四",
            Pos::new(1, 3),
        );
        assert!(l.contains(&"四不".to_string()), "{l:?}");
    }

    #[test]
    fn next_point_is_offered_first() {
        assert_eq!(
            labels("一要统一思想。\n二要强化责任。\n　　", Pos::new(2, 2))[0],
            "三要"
        );
        assert_eq!(
            labels("第二，要聚焦重点。\n（二）守好阵地。\n", Pos::new(2, 0))[..2],
            ["（三）".to_string(), "第三，".to_string()]
        );
    }

    #[test]
    fn skeleton_snippets_follow_snippet_support() {
        let doc = Document::new("讲", Knowledge::builtin());
        let a = doc.analyze();
        let with = complete(&doc, &a, Pos::new(0, 1), true);
        let s = with
            .iter()
            .find(|i| i.label.starts_with("讲三点意见（一要"))
            .unwrap();
        assert!(s.snippet && s.insert.contains("${3:要点三}"));
        let without = complete(&doc, &a, Pos::new(0, 1), false);
        let s = without
            .iter()
            .find(|i| i.label.starts_with("讲三点意见（一要"))
            .unwrap();
        assert!(!s.snippet && !s.insert.contains('$') && s.insert.contains("三要"));
    }
}
