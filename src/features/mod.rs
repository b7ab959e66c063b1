//! Editor features computed by the core (hover, completion, navigation, hints). The LSP
//! layer only converts their results to protocol types.

pub mod completion;
pub mod format;
pub mod reference;
pub mod words;

use crate::analysis::{stats, Learned, NodeKind};
use crate::document::{Analysis, Document};
use crate::knowledge::{Formula, Provenance, Status, Verified};
use crate::text::{Pos, Span};

/// A formula occurrence: a knowledge-base entry or a formula the draft defines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormulaRef {
    Known(u32),
    Learned(String),
}

/// The formula occurrence at `pos`, if any.
pub fn formula_at(doc: &Document, analysis: &Analysis, pos: Pos) -> Option<(FormulaRef, Span)> {
    let facts = doc.lines().get(pos.line as usize)?;
    if let Some(hit) = facts
        .terms
        .iter()
        .find(|h| h.start <= pos.col && pos.col <= h.end)
    {
        return Some((
            FormulaRef::Known(hit.entry),
            Span::on_line(pos.line, hit.start, hit.end),
        ));
    }
    let text = doc.line_text(pos.line);
    let found = learned_occurrences_in_line(&text, analysis)
        .find(|(_, s, e)| *s <= pos.col && pos.col <= *e)
        .map(|(l, s, e)| {
            (
                FormulaRef::Learned(l.term.clone()),
                Span::on_line(pos.line, s, e),
            )
        });
    found
}

fn learned_occurrences_in_line<'a>(
    text: &'a str,
    analysis: &'a Analysis,
) -> impl Iterator<Item = (&'a Learned, u32, u32)> + 'a {
    analysis.structure.learned.iter().flat_map(move |l| {
        let mut cols = crate::text::ColCounter::new(text);
        let mut found = Vec::new();
        for (b, m) in text.match_indices(l.term.as_str()) {
            let s = cols.col(b);
            let e = cols.col(b + m.len());
            found.push((l, s, e));
        }
        found
    })
}

/// Every occurrence of a formula in a document (all aliases of a known formula).
pub fn occurrences(doc: &Document, analysis: &Analysis, formula: &FormulaRef) -> Vec<Span> {
    let mut out = Vec::new();
    match formula {
        FormulaRef::Known(entry) => {
            for (i, facts) in doc.lines().iter().enumerate() {
                out.extend(
                    facts
                        .terms
                        .iter()
                        .filter(|h| h.entry == *entry)
                        .map(|h| Span::on_line(i as u32, h.start, h.end)),
                );
            }
        }
        FormulaRef::Learned(term) => {
            for i in 0..doc.lines().len() as u32 {
                let text = doc.line_text(i);
                if !text.contains(term.as_str()) {
                    continue;
                }
                out.extend(
                    learned_occurrences_in_line(&text, analysis)
                        .filter(|(l, _, _)| &l.term == term)
                        .map(|(_, s, e)| Span::on_line(i, s, e)),
                );
            }
        }
    }
    out
}

/// Plain text for clients that do not render Markdown: emphasis markers dropped,
/// links written as “text：url”.
pub fn markdown_to_plain(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut rest = md;
    while let Some(open) = rest.find('[') {
        let (before, after) = rest.split_at(open);
        out.push_str(before);
        match after
            .find("](")
            .and_then(|m| after[m..].find(')').map(|c| (m, m + c)))
        {
            Some((mid, close)) => {
                out.push_str(&after[1..mid]);
                out.push('：');
                out.push_str(&after[mid + 2..close]);
                rest = &after[close + 1..];
            }
            None => {
                out.push('[');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out.replace("**", "").replace('`', "")
}

/// Markdown describing a known formula.
pub fn formula_markdown(f: &Formula, defined_at: Option<String>) -> String {
    let mut md = format!("**{}**", f.term);
    if f.status == Status::Superseded {
        md.push_str("　⚠️ 旧提法");
    }
    md.push_str("\n\n");
    if !f.items.is_empty() && f.verified == Verified::Items {
        for (i, item) in f.items.iter().enumerate() {
            md.push_str(&format!("{}. {}\n", i + 1, item));
        }
        md.push('\n');
    }
    if !f.definition.is_empty() {
        md.push_str(&format!("{}\n\n", f.definition));
    }
    if f.status == Status::Superseded {
        if let Some(new) = &f.superseded_by {
            let since = f
                .superseded_since
                .map(|s| format!("（{}起）", s.chinese()))
                .unwrap_or_default();
            md.push_str(&format!("现行表述：**{new}**{since}\n\n"));
        }
    }
    for former in &f.former {
        md.push_str(&format!(
            "旧表述（{}以前）：{}\n\n",
            former.until.chinese(),
            former.items.join("、")
        ));
    }
    if let Some(note) = &f.note {
        md.push_str(&format!("注：{note}\n\n"));
    }
    if !f.origin.is_empty() {
        md.push_str(&format!("提出：{}\n\n", f.origin));
    }
    match f.verified {
        Verified::TermOnly => md.push_str("（条目内容未逐项核实，只收录词条和释义）\n\n"),
        Verified::Unverified => md.push_str("（本条尚未与权威原文核对，不用于检查）\n\n"),
        Verified::Items => {}
    }
    let from = match (&f.provenance, defined_at) {
        (_, Some(at)) => at,
        (Provenance::Builtin, None) => "内置知识库".to_string(),
        (Provenance::Glossary { path, line }, None) => {
            format!("词表 `{}` 第 {} 行", path.display(), line + 1)
        }
    };
    md.push_str(&format!("来源：{from}"));
    // The primary text first, named by its publisher; other reading after it.
    for s in &f.sources {
        let name = crate::knowledge::sources::publisher_of(s)
            .map(|p| p.name.as_str())
            .unwrap_or("参考");
        md.push_str(&format!(" · [{name}]({s})"));
    }
    if let Some(since) = f.since {
        md.push_str(&format!("\n\n提出时间：{}", since.chinese()));
    }
    if f.ordered {
        md.push_str("（原文顺序固定）");
    }
    md
}

fn learned_markdown(l: &Learned) -> String {
    let mut md = format!("**{}**（本文定义）\n\n", l.term);
    for (i, item) in l.items.iter().enumerate() {
        md.push_str(&format!("{}. {}\n", i + 1, item));
    }
    md.push_str(&format!("\n来源：本文第 {} 行", l.span.start.line + 1));
    md
}

/// Hover text (Markdown) and the span it describes.
pub fn hover(doc: &Document, analysis: &Analysis, pos: Pos, rate: f64) -> Option<(String, Span)> {
    if let Some((f, span)) = formula_at(doc, analysis, pos) {
        let md = match f {
            FormulaRef::Known(i) => formula_markdown(doc.knowledge().formula(i), None),
            FormulaRef::Learned(term) => learned_markdown(analysis.structure.learned_named(&term)?),
        };
        return Some((md, span));
    }
    point_hover(analysis, pos, rate)
}

/// On a point's marker or headline: its path, its place among its siblings, its length.
fn point_hover(analysis: &Analysis, pos: Pos, rate: f64) -> Option<(String, Span)> {
    let outline = &analysis.structure.outline;
    let node = outline
        .nodes
        .iter()
        .position(|n| n.headline.contains(pos) && !n.is_heading())?;
    let n = &outline.nodes[node];
    let path: Vec<String> = outline
        .path(node)
        .iter()
        .map(|&p| {
            let x = &outline.nodes[p];
            match (x.kind, x.family()) {
                (NodeKind::Point { number, .. }, Some(f)) => f.label(number.max(1)),
                _ => x.name.clone(),
            }
        })
        .collect();
    let list = outline.list_of(node);
    let index = list.iter().position(|&x| x == node).unwrap_or(0) + 1;
    let md = format!(
        "**{}**\n\n位置：{}\n\n本组第 {index} 项，共 {} 项\n\n本节 {}",
        n.name,
        path.join(" › "),
        list.len(),
        stats::describe(n.chars, rate)
    );
    Some((md, n.headline))
}

/// Where a formula is defined: a learned term's first definition, or a glossary entry.
pub enum Definition {
    InDocument(Span),
    InFile { path: std::path::PathBuf, line: u32 },
}

pub fn definition(doc: &Document, analysis: &Analysis, pos: Pos) -> Option<Definition> {
    match formula_at(doc, analysis, pos)?.0 {
        FormulaRef::Learned(term) => Some(Definition::InDocument(
            analysis.structure.learned_named(&term)?.span,
        )),
        FormulaRef::Known(i) => match &doc.knowledge().formula(i).provenance {
            Provenance::Glossary { path, line } => Some(Definition::InFile {
                path: path.clone(),
                line: *line,
            }),
            Provenance::Builtin => None,
        },
    }
}

/// Inlay hints: the expansion after the first use of each abbreviation in `lines`.
pub fn inlay_hints(doc: &Document, lines: std::ops::Range<u32>) -> Vec<(Pos, String)> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (i, facts) in doc.lines().iter().enumerate() {
        for h in &facts.terms {
            if !seen.insert(h.entry) {
                continue;
            }
            let f = doc.knowledge().formula(h.entry);
            let items = f.checked_items();
            if items.is_empty() || !lines.contains(&(i as u32)) {
                continue;
            }
            let text = doc.line_text(i as u32);
            // After the closing quote when the term is quoted.
            let end = if text.chars().nth(h.end as usize) == Some('”') {
                h.end + 1
            } else {
                h.end
            };
            // Skip when the text itself already spells the items out right after.
            let after: String = text
                .chars()
                .skip(end as usize)
                .take(items[0].chars().count() + 2)
                .collect();
            if after.contains(items[0].as_str()) {
                continue;
            }
            out.push((Pos::new(i as u32, end), format!("（{}）", items.join("、"))));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::Knowledge;

    #[test]
    fn markdown_becomes_plain_text() {
        assert_eq!(
            markdown_to_plain("**四个意识**\n\n来源：内置知识库 · [出处](https://a.b/c) · `x`"),
            "四个意识\n\n来源：内置知识库 · 出处：https://a.b/c · x"
        );
    }

    #[test]
    fn hover_on_a_formula_a_learned_term_and_a_point() {
        let text = "二要强化责任。\n（一）增强“四个意识”，遵守“四不”要求。\n不推、不拖、不等、不躲的“四不”态度。";
        let doc = Document::new(text, Knowledge::builtin());
        let a = doc.analyze();
        let (md, span) = hover(&doc, &a, Pos::new(1, 7), 220.0).unwrap();
        assert!(
            md.contains("1. 政治意识") && md.contains("内置知识库"),
            "{md}"
        );
        assert_eq!(span, Span::on_line(1, 6, 10));
        let (md, _) = hover(&doc, &a, Pos::new(1, 15), 220.0).unwrap();
        assert!(md.contains("本文第 3 行") && md.contains("4. 不躲"), "{md}");
        let (md, _) = hover(&doc, &a, Pos::new(1, 1), 220.0).unwrap();
        assert!(md.contains("二要 › （一）"), "{md}");
        assert!(
            matches!(definition(&doc, &a, Pos::new(1, 15)), Some(Definition::InDocument(s)) if s.start.line == 2)
        );
        assert_eq!(
            occurrences(&doc, &a, &FormulaRef::Learned("四不".into())).len(),
            2
        );
    }
}
