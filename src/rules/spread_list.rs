//! A formula's whole list spread over the clauses of one sentence, for `formula-list`.
//! Each clause alone is only a part of the list, so the per-clause comparison
//! (`enumeration`) says nothing about it; taken together, in the order written, the
//! clauses are the list. Two shapes:
//! - clauses that are each a list of some items (倡导富强、民主、文明、和谐，倡导自由、
//!   平等、公正、法治，倡导爱国、敬业、诚信、友善);
//! - clauses that are each one item, the first possibly after a lead-in (中国式现代化是
//!   人口规模巨大的现代化，是全体人民共同富裕的现代化，……; 本质要求是：坚持中国共产党
//!   领导，坚持中国特色社会主义，……).
//!
//! Items of two chars are not looked for as clauses (富强，民主 is no writer's list).
//!
//! Reported: all items there but out of the formula's order; all but one in order, the
//! missing one typed one char off in a clause of its own (……，是走和平发展道理的现代化);
//! all but one of five or more in order. Only formulas whose order a text fixes, with a
//! name of their own, verified and current.

use super::enumeration::{typed_one_off, Enumeration, ListMatch};
use super::formula_list::{keeps_order, list_message, sentence_bounds, validity};
use super::{Diagnostic, Edit, Fix, LineCtx};
use crate::config::RuleLevel;
use crate::knowledge::{Formula, Status, Verified};
use crate::text::{is_han, Span};

/// One item's place in the line: its columns and its index in the formula's list.
type Occurrence = (u32, u32, u32);

/// The fewest clauses of one item each that are taken for a list.
const MIN_CLAUSES: usize = 3;
/// The most chars at the end of a clause looked up as an item: items are short.
const MAX_CLAUSE: usize = 40;
/// The fewest items of a formula whose list, in order with one missing, is reported:
/// four in a row of five (中国式现代化是……的现代化，是……) leave little doubt, while
/// two or three of a short list are often quoted on purpose.
const MIN_ITEMS_FOR_ONE_MISSING: usize = 5;

/// Findings for lists spread over clauses, in a line where `formula-list` found
/// nothing else.
pub fn check(ctx: &LineCtx, out: &mut Vec<Diagnostic>) {
    let before = out.len();
    if ctx.enumerations().len() >= 2 {
        split_enumerations(ctx, out);
    }
    if out.len() == before {
        clause_items(ctx, out);
    }
}

/// A formula whose items keep an order a text fixes, three or more of them, with a
/// name of its own (not its items joined), verified and current.
fn orders_its_items(f: &Formula) -> bool {
    keeps_order(f, f.items.len())
        && !f.ambiguous
        && f.status == Status::Current
        && f.verified != Verified::Unverified
}

/// The clauses of one sentence listing one formula's items: (formula, sentence start),
/// the items' places, the clauses, whether they are led in alike.
type ClauseGroup = ((u32, usize), Vec<Occurrence>, usize, bool);

/// Clauses that are each a list of some of a formula's items and nothing else, led in
/// alike (倡导富强、民主、文明、和谐，倡导自由、平等、公正、法治……): clauses led by
/// other verbs pair their items with them (严查享乐主义、奢靡之风，重拳纠治形式主义、
/// 官僚主义问题), in the order the sentence needs.
fn split_enumerations(ctx: &LineCtx, out: &mut Vec<Diagnostic>) {
    let mut groups: Vec<ClauseGroup> = Vec::new();
    let lead = |start: u32| {
        let start = start as usize;
        &ctx.chars[super::clause_start(ctx.chars, start)..start]
    };
    for (e, matches) in ctx.enumerations() {
        for m in matches
            .iter()
            .filter(|m| m.version == 0 && m.foreign.is_empty())
        {
            if m.hits.len() != e.pieces.len() || !orders_its_items(ctx.kb.formula(m.formula)) {
                continue;
            }
            let Some(found) = occurrences(ctx, e, m) else {
                continue;
            };
            let key = (m.formula, sentence_bounds(ctx.chars, m.start, m.end).0);
            let first = found.iter().map(|o| o.0).min().unwrap_or(m.start);
            match groups.iter_mut().find(|g| g.0 == key) {
                Some(g) => {
                    let alike = g.1.iter().map(|o| o.0).min().map(lead) == Some(lead(first));
                    g.1.extend(found);
                    g.2 += 1;
                    g.3 &= alike;
                }
                None => groups.push((key, found, 1, true)),
            }
        }
    }
    for ((formula, _), mut found, clauses, alike) in groups {
        if clauses < 2 || !alike {
            continue;
        }
        found.sort_unstable();
        out.extend(judge(ctx, formula, &found, &[]));
    }
}

/// Where each hit of `m` lies: the columns of the item within its piece.
fn occurrences(ctx: &LineCtx, e: &Enumeration, m: &ListMatch) -> Option<Vec<Occurrence>> {
    let items = &ctx.kb.formula(m.formula).items;
    m.hits
        .iter()
        .map(|&(k, i)| {
            let item = items.get(i as usize)?;
            let c = e.pieces[k].candidates.iter().find(|c| &c.item == item)?;
            Some((c.start, c.end, i))
        })
        .collect()
}

/// A clause of a sentence: its columns, and the item it ends with, if any.
struct Clause {
    start: u32,
    end: u32,
    /// The index of the item it ends with, in the formula's list.
    item: Option<u32>,
}

/// Clauses that are each one item of a formula, the first possibly after a lead-in.
/// The marks that end clauses are among the chars that are not Han (`others`), so
/// only those are looked at; a sentence is looked up only when two clauses in a row
/// may end with an item (their last three chars), since most sentences have none.
fn clause_items(ctx: &LineCtx, out: &mut Vec<Diagnostic>) {
    let chars = ctx.chars;
    let may_end = |s: usize, e: usize| {
        e >= s + 3
            && ctx
                .kb
                .may_end_ordered_item([chars[e - 3], chars[e - 2], chars[e - 1]])
    };
    // The sentence's start, its clause count, and the state of the test; clauses are
    // listed only for a sentence that passes it (nothing is allocated for the others).
    let (mut sentence, mut count) = (0, 0);
    let (mut start, mut previous, mut two_in_a_row) = (0, false, false);
    let ends = ctx
        .others()
        .iter()
        .map(|&at| at as usize)
        .filter(|&at| matches!(chars[at], '，' | '；' | '：' | '。' | '！' | '？'))
        .chain(std::iter::once(chars.len()));
    for at in ends {
        if at <= start && at == chars.len() {
            break; // the line ended with a mark
        }
        let may = may_end(start, at);
        two_in_a_row |= previous && may;
        previous = may;
        count += 1;
        start = at + 1;
        if at == chars.len() || matches!(chars[at], '。' | '！' | '？') {
            if two_in_a_row && count >= MIN_CLAUSES {
                sentence_clause_items(ctx, &clauses_of(chars, sentence, at), out);
            }
            (sentence, count, previous, two_in_a_row) = (start, 0, false, false);
        }
    }
}

/// The clauses of the sentence `from..to`: the columns between its marks.
fn clauses_of(chars: &[char], from: usize, to: usize) -> Vec<(usize, usize)> {
    let mut clauses = Vec::new();
    let mut start = from;
    for (at, c) in chars.iter().enumerate().take(to).skip(from) {
        if matches!(c, '，' | '；' | '：') {
            clauses.push((start, at));
            start = at + 1;
        }
    }
    clauses.push((start, to));
    clauses
}

/// `clause_items` in the clauses of one sentence.
fn sentence_clause_items(ctx: &LineCtx, clauses: &[(usize, usize)], out: &mut Vec<Diagnostic>) {
    let mut formulas: Vec<u32> = Vec::new();
    let read: Vec<Vec<(u32, u32)>> = clauses
        .iter()
        .map(|&(s, e)| clause_item_refs(ctx, s, e))
        .collect();
    for refs in &read {
        for &(f, _) in refs {
            if !formulas.contains(&f) {
                formulas.push(f);
            }
        }
    }
    for f in formulas {
        let marked: Vec<Clause> = clauses
            .iter()
            .zip(&read)
            .map(|(&(s, e), refs)| Clause {
                start: s as u32,
                end: e as u32,
                item: refs.iter().find(|r| r.0 == f).map(|r| r.1),
            })
            .collect();
        if let Some(d) = judge_clause_run(ctx, f, &marked) {
            out.push(d);
            return;
        }
    }
}

/// The formulas' items clause `s..e` ends with (the longest for each formula):
/// (formula, item index), for formulas that `orders_its_items`.
fn clause_item_refs(ctx: &LineCtx, s: usize, e: usize) -> Vec<(u32, u32)> {
    // Items are Han: the Han chars that end the clause, a lead-in's last ones at most.
    let from = e.saturating_sub(MAX_CLAUSE).max(s);
    let han = ctx.chars[from..e]
        .iter()
        .rev()
        .take_while(|&&c| is_han(c))
        .count();
    if han == 0 {
        return Vec::new();
    }
    let text: String = ctx.chars[e - han..e].iter().collect();
    let kb = ctx.kb;
    // The whole text first, then the items it ends with, longest first.
    let keys = std::iter::once(text.as_str()).chain(kb.item_suffixes_of(&text, |_| true));
    let mut refs = Vec::new();
    for key in keys {
        for r in kb.item_owners(key) {
            let ok = r.version == 0 && orders_its_items(kb.formula(r.formula));
            if ok && !refs.iter().any(|x: &(u32, u32)| x.0 == r.formula) {
                refs.push((r.formula, r.index));
            }
        }
    }
    refs
}

/// The run of clauses, each one item of formula `f` (one clause of the run may be
/// another's words, a slip's candidate), judged as one list.
fn judge_clause_run(ctx: &LineCtx, f: u32, clauses: &[Clause]) -> Option<Diagnostic> {
    let n = ctx.kb.formula(f).items.len();
    let mut best: Option<(usize, usize)> = None;
    let mut i = 0;
    while i < clauses.len() {
        if clauses[i].item.is_none() {
            i += 1;
            continue;
        }
        // A run: item clauses, with at most one clause of other words inside it.
        let mut j = i;
        let mut gaps = 0;
        while j + 1 < clauses.len() && (clauses[j + 1].item.is_some() || gaps == 0) {
            if clauses[j + 1].item.is_none() {
                if clauses.get(j + 2).is_none_or(|c| c.item.is_none()) {
                    break;
                }
                gaps += 1;
            }
            j += 1;
        }
        let items = clauses[i..=j].iter().filter(|c| c.item.is_some()).count();
        if items + 1 >= n && items >= MIN_CLAUSES - 1 && best.is_none_or(|b| b.1 - b.0 < j - i) {
            best = Some((i, j));
        }
        i = j + 1;
    }
    let (i, j) = best?;
    // The clause just before or after the run may hold the slip.
    let lo = i.saturating_sub(1);
    let hi = (j + 1).min(clauses.len() - 1);
    let found: Vec<Occurrence> = clauses[i..=j]
        .iter()
        .filter_map(|c| {
            let index = c.item?;
            let len = ctx.kb.formula(f).items[index as usize].chars().count() as u32;
            Some((c.end - len, c.end, index))
        })
        .collect();
    if found.len() < MIN_CLAUSES - 1 {
        return None;
    }
    let others: Vec<(u32, u32)> = clauses[lo..=hi]
        .iter()
        .filter(|c| c.item.is_none())
        .map(|c| (c.start, c.end))
        .collect();
    judge(ctx, f, &found, &others)
}

/// The finding for a formula's items found in the clauses of one sentence, in the
/// order written (`found`), with the clauses of other words beside them (`others`):
/// all items out of order; all but one in order, the missing one typed one char off in
/// one of `others`; all but one of five or more in order.
fn judge(
    ctx: &LineCtx,
    formula: u32,
    found: &[Occurrence],
    others: &[(u32, u32)],
) -> Option<Diagnostic> {
    let f = ctx.kb.formula(formula);
    let items = &f.items;
    let mut seen: Vec<u32> = found.iter().map(|o| o.2).collect();
    let in_order = seen.windows(2).all(|w| w[0] < w[1]);
    seen.sort_unstable();
    seen.dedup();
    if seen.len() != found.len() {
        return None; // an item twice: another kind of text
    }
    let (first, last) = (found.first()?, found.last()?);
    let finding = |span: Span, problem: &str, fix: Fix| {
        let message = list_message(f, "", items, problem);
        let mut d =
            Diagnostic::new("formula-list", RuleLevel::Warning, span, message).with_fix(fix);
        d.valid = validity(f, 0);
        d
    };
    if seen.len() == items.len() {
        if in_order {
            return None;
        }
        let edits = found
            .iter()
            .zip(items)
            .map(|(o, item)| Edit {
                span: Span::on_line(0, o.0, o.1),
                new_text: item.clone(),
            })
            .collect();
        let backed = f.has_primary_source() && f.has_primary_order_source();
        let fix = Fix {
            title: "按规范顺序排列各项".to_string(),
            edits,
            certain: backed,
        };
        let span = Span::on_line(0, first.0, last.1);
        return Some(finding(span, "顺序有误", fix));
    }
    if !in_order || seen.len() + 1 != items.len() {
        return None;
    }
    let gap = (0..items.len() as u32).find(|i| !seen.contains(i))?;
    let item = &items[gap as usize];
    if let Some((start, end)) = slip_of(ctx.chars, others, item) {
        let wrong: String = ctx.chars[start as usize..end as usize].iter().collect();
        let span = Span::on_line(0, start, end);
        let fix = Fix::replace(span, item.clone(), f.has_primary_source());
        return Some(finding(span, &format!("“{wrong}”应为“{item}”"), fix));
    }
    if items.len() < MIN_ITEMS_FOR_ONE_MISSING {
        return None;
    }
    // The words between two items as written (、 or ，是) join the missing one.
    let joint: String = match found.windows(2).next() {
        Some(w) => ctx.chars[w[0].1 as usize..w[1].0 as usize].iter().collect(),
        None => "、".to_string(),
    };
    let edit = match found.iter().find(|o| o.2 + 1 == gap) {
        Some(before) => (before.1, format!("{joint}{item}")),
        None => (first.0, format!("{item}{joint}")),
    };
    let fix = Fix {
        title: format!("补上“{item}”"),
        edits: vec![Edit {
            span: Span::on_line(0, edit.0, edit.0),
            new_text: edit.1,
        }],
        certain: false,
    };
    let span = Span::on_line(0, first.0, last.1);
    Some(finding(span, &format!("缺少“{item}”"), fix))
}

/// The words at the end of one of the clauses `others` that are `item` typed one char
/// off (`typed_one_off`).
fn slip_of(chars: &[char], others: &[(u32, u32)], item: &str) -> Option<(u32, u32)> {
    let want: Vec<char> = item.chars().collect();
    let n = want.len() as u32;
    others.iter().find_map(|&(start, end)| {
        let from = end.checked_sub(n).filter(|&from| from >= start)?;
        typed_one_off(&chars[from as usize..end as usize], &want).then_some((from, end))
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{apply_first_fixes, diags};

    #[test]
    fn a_list_split_over_clauses_is_compared_whole() {
        for (text, problem, fixed) in [
            (
                "倡导富强、民主、文明、和谐，倡导自由、平等、公正、法治，倡导爱国、诚信、敬业、友善。",
                "顺序有误",
                "倡导富强、民主、文明、和谐，倡导自由、平等、公正、法治，倡导爱国、敬业、诚信、友善。",
            ),
            (
                "倡导富强、民主、文明、和谐，倡导自由、平等、公正，倡导爱国、敬业、诚信、友善。",
                "缺少“法治”",
                "倡导富强、民主、文明、和谐，倡导自由、平等、公正、法治，倡导爱国、敬业、诚信、友善。",
            ),
        ] {
            let d = diags("formula-list", text);
            assert_eq!(d.len(), 1, "{text}: {d:?}");
            assert!(d[0].message.contains(problem), "{}", d[0].message);
            assert_eq!(apply_first_fixes(text, &d), fixed);
        }
        for text in [
            "倡导富强、民主、文明、和谐，倡导自由、平等、公正、法治，倡导爱国、敬业、诚信、友善。",
            // A part of the list, in clauses of its own.
            "倡导富强、民主、文明、和谐，倡导爱国、敬业、诚信、友善。",
            "要坚持真理、坚守理想，践行初心、担当使命。",
            // Each pair with a verb of its own.
            "严查享乐主义、奢靡之风，重拳纠治形式主义、官僚主义问题。",
        ] {
            assert!(diags("formula-list", text).is_empty(), "{text}");
        }
    }

    const FEATURES: &str = "中国式现代化是人口规模巨大的现代化，是全体人民共同富裕的现代化，是物质文明和精神文明相协调的现代化，是人与自然和谐共生的现代化，是走和平发展道路的现代化。";

    #[test]
    fn a_list_of_one_item_a_clause_is_compared_whole() {
        let swap = FEATURES.replace(
            "是物质文明和精神文明相协调的现代化，是人与自然和谐共生的现代化",
            "是人与自然和谐共生的现代化，是物质文明和精神文明相协调的现代化",
        );
        let slip = FEATURES.replace("走和平发展道路", "走和平发展道理");
        // After a space, and after a long lead-in.
        let spaced = format!("致以诚挚的祝福！ {swap}");
        let spaced_right = format!("致以诚挚的祝福！ {FEATURES}");
        let lead = swap.replace(
            "中国式现代化是",
            "党的二十大报告深刻阐明的中国式现代化首先是",
        );
        let lead_right = FEATURES.replace(
            "中国式现代化是",
            "党的二十大报告深刻阐明的中国式现代化首先是",
        );
        for (text, problem, fixed) in [
            (swap.as_str(), "顺序有误", FEATURES),
            (spaced.as_str(), "顺序有误", spaced_right.as_str()),
            (lead.as_str(), "顺序有误", lead_right.as_str()),
            (
                slip.as_str(),
                "“走和平发展道理的现代化”应为“走和平发展道路的现代化”",
                FEATURES,
            ),
        ] {
            let d = diags("formula-list", text);
            assert_eq!(d.len(), 1, "{text}: {d:?}");
            assert!(d[0].message.contains(problem), "{}", d[0].message);
            assert_eq!(apply_first_fixes(text, &d), fixed);
        }
        for text in [
            FEATURES,
            // Two features, and others' words.
            "中国式现代化是人口规模巨大的现代化，是全体人民共同富裕的现代化，我们要坚定信心。",
            "要坚持中国共产党领导，坚持中国特色社会主义，实现高质量发展。",
        ] {
            assert!(diags("formula-list", text).is_empty(), "{text}");
        }
        // Four of the five in order: the fifth is missing.
        let short = FEATURES.replace("是人与自然和谐共生的现代化，", "");
        let d = diags("formula-list", &short);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(apply_first_fixes(&short, &d), FEATURES);
    }
}
