//! An explicit enumeration that matches most items of a known formula must match it
//! entirely: no missing or extra items, canonical order, canonical wording.
//! “理论自信、道路自信、制度自信” → 道路自信、理论自信、制度自信、文化自信.

use super::{Diagnostic, Fix, LineCtx, Rule, RuleDoc};
use crate::config::RuleLevel;
use crate::knowledge::{Knowledge, Status};
use crate::text::Span;
use std::collections::HashMap;

/// One piece of an enumeration: its columns and the item text it carries.
#[derive(Debug, Clone)]
struct Piece {
    start: u32,
    end: u32,
    item: Option<String>,
    quoted: bool,
}

/// An enumeration matched against one formula's (current or former) item list.
#[derive(Debug, Clone)]
pub struct ListMatch {
    pub formula: u32,
    /// The version of the formula's item list matched (0: current; k: k-th former).
    pub version: u16,
    /// Columns from the first to the last matched item.
    pub start: u32,
    pub end: u32,
    pub missing: Vec<String>,
    /// Pieces between matched items that are not items of the formula.
    pub foreign: Vec<String>,
    pub out_of_order: bool,
    /// The writer joined the last item with this word (和/及/以及/与), if any.
    pub last_joiner: Option<String>,
    pub quoted: bool,
}

impl ListMatch {
    pub fn exact(&self) -> bool {
        self.missing.is_empty() && self.foreign.is_empty() && !self.out_of_order
    }

    /// The canonical list in the writer's joining style.
    pub fn canonical(&self, items: &[String]) -> String {
        let q = |s: &String| {
            if self.quoted {
                format!("“{s}”")
            } else {
                s.clone()
            }
        };
        let mut out = String::new();
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                match (&self.last_joiner, i + 1 == items.len()) {
                    (Some(j), true) => out.push_str(j),
                    _ => out.push('、'),
                }
            }
            out.push_str(&q(item));
        }
        out
    }
}

const JOINERS: [&str; 4] = ["以及", "和", "及", "与"];

/// Drops quotes that wrap the whole piece (“四个意识”), not quotes inside it
/// (“三个代表”重要思想 stays as written).
fn strip_quotes(s: &str) -> (&str, bool) {
    let t = s.trim();
    let wrapped = (t.starts_with('“') && t.ends_with('”'))
        || (t.len() > 1 && t.starts_with('"') && t.ends_with('"'));
    if !wrapped {
        return (t, false);
    }
    let inner = t
        .trim_start_matches(['“', '"'])
        .trim_end_matches(['”', '"']);
    if inner.contains(['“', '”']) {
        (t, false)
    } else {
        (inner, true)
    }
}

/// Splits a line into enumerations (clauses with at least two 顿号-separated pieces).
fn enumerations(text: &str, kb: &Knowledge) -> Vec<(Vec<Piece>, Option<String>)> {
    let mut out = Vec::new();
    let mut clause_start = 0usize; // byte
    let mut col_of = crate::text::ColCounter::new(text);
    let boundaries: Vec<usize> = text
        .char_indices()
        .filter(|(_, c)| {
            matches!(
                c,
                '，' | '。' | '；' | '：' | '！' | '？' | ',' | ';' | '（' | '）' | '(' | ')'
            )
        })
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .collect();
    for b in boundaries {
        let clause = &text[clause_start..b];
        if clause.contains('、') {
            let mut pieces = Vec::new();
            let mut offset = clause_start;
            let raw: Vec<&str> = clause.split('、').collect();
            let n = raw.len();
            let mut joiner = None;
            for (k, piece) in raw.iter().enumerate() {
                let start = offset;
                let end = offset + piece.len();
                offset = end + '、'.len_utf8();
                if k + 1 == n {
                    // The last piece may be “A和B”: split off the joined item.
                    if let Some((a, j, b)) = split_joined(piece, kb) {
                        let a_end = start + a.len();
                        let b_start = a_end + j.len();
                        pieces.push(make_piece(
                            text,
                            start,
                            a_end,
                            a,
                            Edge::Middle,
                            kb,
                            &mut col_of,
                        ));
                        pieces.push(make_piece(
                            text,
                            b_start,
                            end,
                            b,
                            Edge::Last,
                            kb,
                            &mut col_of,
                        ));
                        joiner = Some(j.to_string());
                        continue;
                    }
                }
                let edge = if k == 0 {
                    Edge::First
                } else if k + 1 == n {
                    Edge::Last
                } else {
                    Edge::Middle
                };
                pieces.push(make_piece(text, start, end, piece, edge, kb, &mut col_of));
            }
            out.push((pieces, joiner));
        }
        clause_start = b + text[b..].chars().next().map(char::len_utf8).unwrap_or(0);
    }
    out
}

fn split_joined<'a>(piece: &'a str, kb: &Knowledge) -> Option<(&'a str, &'static str, &'a str)> {
    let (whole, _) = strip_quotes(piece);
    if !kb.item_owners(whole).is_empty() {
        return None;
    }
    for j in JOINERS {
        for (pos, _) in piece.match_indices(j) {
            let (a, b) = (&piece[..pos], &piece[pos + j.len()..]);
            let a_ok = !kb.item_owners(strip_quotes(a).0).is_empty();
            if a_ok && kb.item_prefix_of(strip_quotes(b).0).is_some() {
                return Some((a, j, b));
            }
        }
    }
    None
}

#[derive(Clone, Copy, PartialEq)]
enum Edge {
    First,
    Middle,
    Last,
}

fn make_piece(
    text: &str,
    start: usize,
    end: usize,
    piece: &str,
    edge: Edge,
    kb: &Knowledge,
    cols: &mut crate::text::ColCounter,
) -> Piece {
    let (inner, quoted) = strip_quotes(piece);
    let exact = (!kb.item_owners(inner).is_empty()).then_some(inner);
    let item = exact.or_else(|| match edge {
        Edge::First => kb.item_suffix_of(piece).map(|s| strip_quotes(s).0),
        Edge::Last => kb
            .item_prefix_of(piece.trim_start_matches('“'))
            .map(|s| strip_quotes(s).0),
        Edge::Middle => None,
    });
    // Columns of the item inside the piece (first/last pieces carry other words).
    let (s, e) = match item {
        Some(it) => {
            let at = text[start..end]
                .find(it)
                .map(|p| start + p)
                .unwrap_or(start);
            (at, at + it.len())
        }
        None => {
            let lead = piece.len() - piece.trim_start().len();
            (start + lead, end)
        }
    };
    let s_col = cols.col(s);
    let e_col = cols.col(e);
    Piece {
        start: s_col,
        end: e_col,
        item: item.map(str::to_string),
        quoted,
    }
}

/// Matches every enumeration of a line against the knowledge base.
pub fn list_matches(text: &str, kb: &Knowledge) -> Vec<ListMatch> {
    let mut out = Vec::new();
    for (pieces, joiner) in enumerations(text, kb) {
        if pieces.len() < 3 {
            continue;
        }
        // Vote: formula (and list kind) → matched item indices in text order.
        let mut votes: HashMap<(u32, u16), Vec<(usize, u32)>> = HashMap::new();
        for (k, p) in pieces.iter().enumerate() {
            let Some(item) = &p.item else { continue };
            for r in kb.item_owners(item) {
                votes
                    .entry((r.formula, r.version))
                    .or_default()
                    .push((k, r.index));
            }
        }
        let enough = |(f, version): (u32, u16), hits: &Vec<(usize, u32)>| {
            let n = kb.formula(f).version_items(version).len();
            let mut distinct: Vec<u32> = hits.iter().map(|&(_, i)| i).collect();
            distinct.sort_unstable();
            distinct.dedup();
            let m = distinct.len();
            ((m == n && n >= 3) || (m >= 3 && m * 5 >= n * 3)).then_some((m, n))
        };
        // Most items matched; then the fullest coverage; then current formulas.
        let best = votes
            .iter()
            .filter_map(|(&key, hits)| enough(key, hits).map(|(m, n)| (key, m, n)))
            .max_by_key(|&((f, version), m, n)| {
                let current = kb.formula(f).status == Status::Current && version == 0;
                (m, (m * 1000) / n.max(1), current, std::cmp::Reverse(f))
            });
        let Some((key, _, _)) = best else { continue };
        let mut lm = evaluate(text, &pieces, &joiner, key, &votes[&key], kb);
        // A near miss of an old list is measured against the list that replaced it.
        let formula = kb.formula(key.0);
        if !lm.exact() && (key.1 > 0 || formula.status == Status::Superseded) {
            let target = if key.1 > 0 {
                Some(key.0)
            } else {
                formula
                    .superseded_by
                    .as_deref()
                    .and_then(|t| kb.lookup(t))
                    .map(|(i, _)| i)
            };
            if let Some(hits) = target.and_then(|t| votes.get(&(t, 0))) {
                lm = evaluate(text, &pieces, &joiner, (target.unwrap(), 0), hits, kb);
            }
        }
        out.push(lm);
    }
    out
}

fn evaluate(
    text: &str,
    pieces: &[Piece],
    joiner: &Option<String>,
    (f, version): (u32, u16),
    hits: &[(usize, u32)],
    kb: &Knowledge,
) -> ListMatch {
    let formula = kb.formula(f);
    let items = formula.version_items(version);
    let first_k = hits.iter().map(|h| h.0).min().unwrap_or(0);
    let last_k = hits.iter().map(|h| h.0).max().unwrap_or(0);
    let order: Vec<u32> = hits.iter().map(|h| h.1).collect();
    let out_of_order = order.windows(2).any(|w| w[0] >= w[1]);
    let missing = items
        .iter()
        .enumerate()
        .filter(|(i, _)| !order.contains(&(*i as u32)))
        .map(|(_, s)| s.clone())
        .collect();
    let foreign = pieces[first_k..=last_k]
        .iter()
        .enumerate()
        .filter(|(k, _)| !hits.iter().any(|h| h.0 == first_k + k))
        .map(|(_, p)| {
            text.chars()
                .skip(p.start as usize)
                .take((p.end - p.start) as usize)
                .collect()
        })
        .collect();
    let quoted = pieces[first_k..=last_k].iter().all(|p| p.quoted);
    let (start, end) = (pieces[first_k].start, pieces[last_k].end);
    // Quoted items: cover the quotes too.
    let chars: Vec<char> = text.chars().collect();
    let start = if quoted && start > 0 && chars[start as usize - 1] == '“' {
        start - 1
    } else {
        start
    };
    let end = if quoted && chars.get(end as usize) == Some(&'”') {
        end + 1
    } else {
        end
    };
    ListMatch {
        formula: f,
        version,
        start,
        end,
        missing,
        foreign,
        out_of_order,
        last_joiner: joiner.clone(),
        quoted,
    }
}

pub struct FormulaList;

impl Rule for FormulaList {
    fn code(&self) -> &'static str {
        "formula-list"
    }
    fn default_level(&self) -> RuleLevel {
        RuleLevel::Warning
    }
    fn doc(&self) -> RuleDoc {
        RuleDoc {
            title: "固定提法列举有误 (a formula's items missing, extra, reordered or reworded)",
            description: "When an enumeration (items joined by 、, the last possibly by 和/及/以及/与, items possibly in quotes) contains most items of a known formula (built-in, glossary or learned), it must list exactly the formula's items in canonical order. The fix replaces the list with the canonical one. Lists matching a superseded formula exactly are reported by `superseded-formula` instead.",
            bad: "进一步坚定党员干部的理论自信、道路自信、制度自信。",
            good: "进一步坚定党员干部的道路自信、理论自信、制度自信、文化自信。",
        }
    }
    fn check_line(&self, ctx: &LineCtx, out: &mut Vec<Diagnostic>) {
        if !ctx.text.contains('、') {
            return;
        }
        for mut m in list_matches(ctx.text, ctx.kb) {
            let formula = ctx.kb.formula(m.formula);
            let old = m.version > 0 || formula.status == Status::Superseded;
            if m.exact() && old {
                continue; // reported by `superseded-formula`
            }
            // An item named elsewhere in the same sentence is not missing (推进伟大工程，
            // 要结合伟大斗争、伟大事业、伟大梦想); lists that are often quoted in part
            // are only checked for order and wording.
            let sentence = sentence_around(ctx.chars, m.start, m.end);
            let list: String = ctx.chars[m.start as usize..m.end as usize].iter().collect();
            let outside = sentence.replacen(&list, "", 1);
            m.missing
                .retain(|item| !formula.partial_ok && !mentions(&outside, item));
            if !m.exact() {
                let items = formula.version_items(m.version);
                out.push(report(self.code(), &m, &formula.term, items));
            }
        }
    }
}

/// The sentence (up to 。！？；) that holds columns `start..end`.
fn sentence_around(chars: &[char], start: u32, end: u32) -> String {
    let stop = |c: &char| matches!(c, '。' | '！' | '？' | '；');
    let from = chars[..start as usize]
        .iter()
        .rposition(stop)
        .map(|i| i + 1)
        .unwrap_or(0);
    let to = chars[end as usize..]
        .iter()
        .position(stop)
        .map(|i| end as usize + i)
        .unwrap_or(chars.len());
    chars[from..to].iter().collect()
}

/// The text names `item`, also in its short form without a leading name (习近平新时代
/// 中国特色社会主义思想 is often written 新时代中国特色社会主义思想 after its first use).
fn mentions(text: &str, item: &str) -> bool {
    text.contains(item)
        || item
            .strip_prefix("习近平")
            .is_some_and(|short| text.contains(short))
}

fn report(code: &'static str, m: &ListMatch, term: &str, items: &[String]) -> Diagnostic {
    let mut problems = Vec::new();
    if !m.missing.is_empty() && items.len() > m.missing.len() {
        let missing: Vec<String> = m
            .missing
            .iter()
            .filter(|s| items.contains(s))
            .map(|s| format!("“{s}”"))
            .collect();
        if !missing.is_empty() {
            problems.push(format!("缺少{}", missing.join("、")));
        }
    }
    if !m.foreign.is_empty() {
        let f: Vec<String> = m.foreign.iter().map(|s| format!("“{s}”")).collect();
        problems.push(format!("{}不是规范表述中的项", f.join("、")));
    }
    if m.out_of_order {
        problems.push("顺序有误".to_string());
    }
    let canonical = m.canonical(items);
    let message = format!(
        "“{term}”的规范表述是：{}。此处{}。",
        items.join("、"),
        problems.join("，")
    );
    let span = Span::on_line(0, m.start, m.end);
    Diagnostic::new(code, RuleLevel::Warning, span, message).with_fix(Fix {
        title: format!("改为规范表述“{canonical}”"),
        edits: vec![super::Edit {
            span,
            new_text: canonical,
        }],
        certain: m.foreign.is_empty(),
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{apply_first_fixes, diags};

    #[test]
    fn corpus_four_confidences_reordered_and_incomplete() {
        let text = "进一步坚定党员干部的理论自信、道路自信、制度自信。";
        let d = diags("formula-list", text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("缺少“文化自信”"), "{}", d[0].message);
        assert!(d[0].message.contains("顺序有误"));
        assert_eq!(
            apply_first_fixes(text, &d),
            "进一步坚定党员干部的道路自信、理论自信、制度自信、文化自信。"
        );
    }

    #[test]
    fn items_named_elsewhere_in_the_sentence_are_not_missing() {
        for text in [
            "推进伟大工程，要结合伟大斗争、伟大事业、伟大梦想的实践来进行。",
            "坚持以马克思列宁主义、毛泽东思想、邓小平理论、“三个代表”重要思想、科学发展观、习近平新时代中国特色社会主义思想为指导。",
        ] {
            assert!(diags("formula-list", text).is_empty(), "{text}");
        }
    }

    #[test]
    fn canonical_lists_with_joiners_pass() {
        for text in [
            "不断强化党员的政治意识、大局意识、核心意识和看齐意识，确保一致。",
            "增强“政治意识”、“大局意识”、“核心意识”、“看齐意识”。",
            "坚定道路自信、理论自信、制度自信、文化自信。",
        ] {
            assert!(diags("formula-list", text).is_empty(), "{text}");
        }
    }

    #[test]
    fn reordered_list_keeps_the_writers_joiner() {
        let text = "强化政治意识、核心意识、大局意识和看齐意识。";
        let d = diags("formula-list", text);
        assert_eq!(
            apply_first_fixes(text, &d),
            "强化政治意识、大局意识、核心意识和看齐意识。"
        );
    }
}
