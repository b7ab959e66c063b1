//! A list that shares items with a formula is not automatically that formula: writers
//! name subsets all the time (全面加强党的思想建设、组织建设、作风建设). A list is
//! reported only when
//! (a) the formula is named next to it (增强“四个意识”……) and its items differ from the
//!     formula's at the draft's date — a missing item is then an error, since the name
//!     says how many items there are;
//! (b) all items are there, in an order that a primary text fixes;
//! (c) a subset is out of that fixed order in a way only that formula explains
//!     (牢固树立政治意识、核心意识、大局意识);
//! (d) one item of an otherwise complete list is a near miss (有扎实知识 for 有扎实学识);
//! (e) all items but one of a closed list, without its name (牢固树立政治意识、大局意识、
//!     看齐意识);
//! (f) a closed list with another word in the place of one item (政治意识、大局意识、
//!     责任意识、看齐意识);
//! (g) a list of three items or more, each in its place, one of them typed with a char
//!     of the same sound (获得感、幸服感、安全感).
//! (h) an ordered formula's whole list spread over the clauses of one sentence (倡导富强、
//!     民主、文明、和谐，倡导自由……; 是人口规模巨大的现代化，是……): see `spread_list`.
//! A list that ends with the formula's name has its last item in the words before it
//! (创新、协调、绿色、开放、共赢的新发展理念: 共赢 for 共享).
//! A complete former wording after its change is `superseded-formula`'s (e).
//! Each finding holds for the drafts dated while the wording compared was in force.

use super::enumeration::{
    is_complete_former, near_miss, near_miss_window, one_difference, one_off_window, same_family,
    typed_one_off, Enumeration, ListMatch,
};
use super::{Diagnostic, Edit, Fix, LineCtx, Rule, RuleDoc, Validity};
use crate::config::RuleLevel;
use crate::knowledge::homophones::typed_for;
use crate::knowledge::{Formula, Status};
use crate::text::Span;

pub struct FormulaList;

/// What makes a list worth reporting, in the order of the module doc.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ground {
    Named,
    Reordered,
    BotchedSubset,
    NearMiss(usize),
    /// A named list's one missing item, typed one char off in another clause of the
    /// sentence (……，对党忠诚、不服人民): the columns of those words.
    SlipInSentence(u32, u32),
    Incomplete,
    Replaced(usize),
}

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
            description: "An enumeration (items joined by 、, the last possibly by 和/及/以及/与, items possibly in quotes) is compared with a formula (built-in, glossary or learned) only when: (a) the formula is named in the same sentence and the items differ from its wording at the draft's date (a missing item is then an error); (b) all items are there but out of an order that a primary text fixes; (c) a subset is out of that fixed order in a way only that formula explains; (d) one item of an otherwise complete list is one character off; (e) all items but one of a formula with a name of its own are there, in order, as a list of their own (four items or more, or three that texts always name together; not after 特别是/重点 and the like); (f) such a list has as many pieces as items, each in its place but one inside the list, which is another word; (g) a list of three items or more has every item in its place but one, typed with a char of the same sound (获得感、幸服感、安全感); (h) an ordered formula's whole list is spread over the clauses of one sentence, each clause a list of its items alone, led in alike (倡导富强、民主、文明、和谐，倡导自由、平等、公正、法治，倡导爱国、诚信、敬业、友善; not 严查享乐主义、奢靡之风，重拳纠治形式主义、官僚主义, which pairs each part with its verb) or one item (中国式现代化是人口规模巨大的现代化，是……), and the items are out of order, or all but one are there in order, the missing one typed one char off in a clause of its own, or missing from a list of five or more. Where the formula's name ends the list (……开放、共赢的新发展理念), the words before it take the last item's place. Lists that merely share items with a formula are not reported. The fix writes the canonical list; it is applied by fix-all only where a primary source backs it. A complete superseded list is reported by `superseded-formula` instead.",
            bad: "牢固树立政治意识、核心意识、大局意识、看齐意识。",
            good: "牢固树立政治意识、大局意识、核心意识、看齐意识。",
        }
    }
    fn check_line(&self, ctx: &LineCtx, out: &mut Vec<Diagnostic>) {
        // Items already reported as miswritten in the line (法制 for 法治 in one clause
        // of the core values): a named list in the next clause lacks them for that reason.
        let mut mended: Vec<String> = Vec::new();
        let before = out.len();
        for (e, matches) in ctx.enumerations() {
            // A complete former wording is `superseded-formula`'s from its change on.
            let mut taken: Vec<Validity> = matches
                .iter()
                .filter(|m| is_complete_former(ctx.kb, e, m, matches))
                .filter_map(|m| former_wording_since(ctx, m))
                .map(|from| Validity {
                    from: Some(from),
                    until: None,
                })
                .collect();
            for m in matches {
                let f = ctx.kb.formula(m.formula);
                let valid = validity(f, m.version);
                if taken.iter().any(|t| overlaps(t, &valid)) {
                    continue;
                }
                let Some((ground, missing)) = ground(ctx, e, m, matches) else {
                    continue;
                };
                if let Ground::NearMiss(_) | Ground::SlipInSentence(..) = ground {
                    mended.extend(missing.iter().cloned());
                } else if m.foreign.is_empty()
                    && !missing.is_empty()
                    && missing.iter().all(|item| mended.contains(item))
                {
                    continue;
                }
                let mut d = report(ctx, e, m, ground, &missing);
                d.valid = valid;
                taken.push(valid);
                out.push(d);
            }
        }
        if out.len() == before {
            super::spread_list::check(ctx, out);
        }
    }
}

/// The dates the compared wording was in force: from the formula's origin (or the
/// previous wording's end) until the next wording or the formula's replacement.
pub(super) fn validity(f: &Formula, version: u16) -> Validity {
    let (from, until) = f.version_dates(version);
    let until = until.or(if version == 0 && f.status == Status::Superseded {
        f.superseded_since
    } else {
        None
    });
    Validity { from, until }
}

/// When a former wording went out of use.
fn former_wording_since(ctx: &LineCtx, m: &ListMatch) -> Option<crate::text::Date> {
    let f = ctx.kb.formula(m.formula);
    if m.version > 0 {
        f.version_dates(m.version).1
    } else if f.status == Status::Superseded {
        f.superseded_since
    } else {
        None
    }
}

fn overlaps(a: &Validity, b: &Validity) -> bool {
    let before = |until: Option<crate::text::Date>, from: Option<crate::text::Date>| matches!((until, from), (Some(u), Some(f)) if u <= f);
    !before(a.until, b.from) && !before(b.until, a.from)
}

/// Why the list is reported, if it is, and the items really missing (an item named
/// elsewhere in the sentence is not missing: 推进伟大工程，要结合伟大斗争、伟大事业、
/// 伟大梦想).
fn ground(
    ctx: &LineCtx,
    e: &super::enumeration::Enumeration,
    m: &ListMatch,
    all: &[ListMatch],
) -> Option<(Ground, Vec<String>)> {
    let f = ctx.kb.formula(m.formula);
    let items = f.version_items(m.version);
    let superseded = m.version > 0 || f.status == Status::Superseded;
    if m.exact() && superseded {
        return None; // the former wording itself: `superseded-formula`
    }
    let (from, to) = sentence_bounds(ctx.chars, m.start, m.end);
    // The formula's own name in the sentence: a term such as 打虎拍蝇猎狐 spells its
    // items, and names the formula rather than the items.
    let naming: Vec<(usize, usize)> = ctx
        .facts
        .terms
        .iter()
        .filter(|h| {
            (h.start as usize) >= from
                && (h.end as usize) <= to
                && same_family(ctx.kb, h.entry, m.formula)
        })
        .map(|h| (h.start as usize, h.end as usize))
        .collect();
    // Named by its own term: a predecessor's name (四位一体 before 五位一体) names the
    // older list, which `superseded-formula` judges.
    let lead = lead_pieces(e, m);
    let named = ctx
        .facts
        .terms
        .iter()
        .any(|h| h.entry == m.formula && names_list(ctx.chars, (h.start, h.end), m, &lead));
    let outside: String = (from..to)
        .filter(|&c| !(m.start as usize..m.end as usize).contains(&c))
        .filter(|&c| !naming.iter().any(|&(s, e)| (s..e).contains(&c)))
        .map(|c| ctx.chars[c])
        .collect();
    let missing: Vec<String> = m
        .missing
        .iter()
        .filter(|item| !mentions(&outside, item))
        .cloned()
        .collect();
    let ordered = f.ordered;
    if let Some((k, (start, end))) = slot_before_name(ctx, e, m) {
        if let [item] = missing.as_slice() {
            let in_place = slot_of(m, k).and_then(|i| items.get(i)) == Some(item);
            if in_place && m.foreign.is_empty() && !m.out_of_order {
                let words = &ctx.chars[start as usize..end as usize];
                let want: Vec<char> = item.chars().collect();
                let ground = if one_difference(words, &want).is_some() {
                    Ground::NearMiss(k)
                } else {
                    Ground::Replaced(k)
                };
                return Some((ground, missing));
            }
        }
    }
    if named {
        // A piece one character off a missing item is a reworded item, not a missing one.
        if let [item] = missing.as_slice() {
            if let Some(k) = m
                .unmatched
                .iter()
                .copied()
                .find(|&k| near_miss(&e.pieces[k].text, item))
            {
                if m.foreign.len() <= 1 && !m.out_of_order {
                    return Some((Ground::NearMiss(k), missing));
                }
            }
            if m.foreign.is_empty() && !m.out_of_order {
                if let Some((start, end)) = slip_in_sentence(ctx.chars, (from, to), m, item) {
                    return Some((Ground::SlipInSentence(start, end), missing));
                }
            }
        }
        let differs = !missing.is_empty() || !m.foreign.is_empty() || (m.out_of_order && ordered);
        return differs.then_some((Ground::Named, missing));
    }
    if let Some((k, item)) = slip_in_run(e, m, f, items).or_else(|| typed_in_slot(e, m, items)) {
        return Some((Ground::NearMiss(k), vec![item]));
    }
    if f.partial_ok && !m.out_of_order {
        return None;
    }
    let n = items.len();
    let distinct = m.distinct_items();
    // Two-item lists are swapped in authoritative texts too (为社会主义服务、为人民服务):
    // order counts from three items on. A list whose only name is its items (天更蓝、
    // 山更绿、水更清) is wording, not a formula with a name: official texts order it
    // either way (山更绿、水更清、天更蓝; 减污、降碳、扩绿、增长), so only a named
    // formula's items keep an order without the name.
    let ordered = keeps_order(f, n);
    // A longer list that holds the formula's items is another list (理论创新、实践创新、
    // 制度创新、文化创新以及其他各方面创新); a list that shares a clause with another
    // (获得感、幸福感、安全感更加充实、更有保障、更可持续) is whole on its side of it.
    let whole_list = stands_alone(e, m, f, items);
    if m.missing.is_empty() && m.foreign.is_empty() && m.out_of_order && ordered && whole_list {
        return Some((Ground::Reordered, missing));
    }
    // A subset out of order is told from the formula's name only: the items of a
    // formula whose name is ambiguous are common words (协调、创新、共享的原则).
    if m.out_of_order
        && ordered
        && !f.ambiguous
        && whole_list
        && distinct >= 3
        && distinct * 5 >= n * 3
        && only_this(ctx, m)
    {
        return Some((Ground::BotchedSubset, missing));
    }
    if whole_list && incomplete(ctx, e, m, f, &missing) && !another_is_whole(ctx, m, all) {
        return Some((Ground::Incomplete, missing));
    }
    if m.missing.len() == 1 && m.foreign.len() <= 1 && distinct + 1 == n && !m.out_of_order {
        let near = m
            .unmatched
            .iter()
            .copied()
            .find(|&k| near_miss(&e.pieces[k].text, &m.missing[0]));
        let others_unmatched = m.unmatched.len() == 1;
        if let (Some(k), true) = (near, others_unmatched) {
            return Some((Ground::NearMiss(k), missing));
        }
    }
    // The item the piece stands for is missing from the whole sentence, too.
    let replaced = replaced(ctx, e, m, f).filter(|_| missing.len() == 1);
    if let Some(k) = replaced.filter(|_| !another_is_whole(ctx, m, all)) {
        return Some((Ground::Replaced(k), missing));
    }
    None
}

/// Whether the `n` items of formula `f` keep an order a text fixes. Two-item lists
/// are swapped in authoritative texts too, and a list whose only name is its items is
/// ordered either way (see `ground`).
pub(super) fn keeps_order(f: &Formula, n: usize) -> bool {
    f.ordered && n >= 3 && !f.term.contains('、')
}

/// The message of a finding on formula `f`'s list (`when`: the date its wording
/// held until, if not the current one): its wording, then what is wrong here.
pub(super) fn list_message(f: &Formula, when: &str, items: &[String], problem: &str) -> String {
    format!(
        "“{}”{when}的规范表述是：{}。此处{problem}。",
        f.term,
        items.join("、")
    )
}

/// Where the sentence `from..to`, outside the list `m`, holds `item` typed one char
/// off: the words of a clause of its own when a named list is split by commas into
/// clauses (坚持真理、坚守理想，……，对党忠诚、不服人民). Items of four chars or more, or
/// of three with a char of the same sound; the window must hold Han chars only.
fn slip_in_sentence(
    chars: &[char],
    (from, to): (usize, usize),
    m: &ListMatch,
    item: &str,
) -> Option<(u32, u32)> {
    let want: Vec<char> = item.chars().collect();
    let n = want.len();
    if to < from + n {
        return None;
    }
    let inside = m.start as usize..m.end as usize;
    (from..=to - n)
        .filter(|&s| !inside.contains(&s) && !inside.contains(&(s + n - 1)))
        .find(|&s| {
            let window = &chars[s..s + n];
            window.iter().all(|&c| crate::text::is_han(c)) && typed_one_off(window, &want)
        })
        .map(|s| (s as u32, (s + n) as u32))
}

/// A run of at least three of an ordered formula's items, each in its place, with one
/// piece in the run one char off the item its place calls for (自由、平等、公正、法制 of
/// the core values, quoted in part as texts do): that piece and the item. A short item
/// must be the whole piece, so that a piece with other words (法制建设) is not one.
fn slip_in_run(
    e: &super::enumeration::Enumeration,
    m: &ListMatch,
    f: &Formula,
    items: &[String],
) -> Option<(usize, String)> {
    let [k] = m.unmatched.as_slice() else {
        return None;
    };
    // The piece itself is foreign when it lies inside the run (创新、协调、绿色、开发、共享).
    let only_the_piece = m.foreign.iter().all(|p| *p == e.pieces[*k].text);
    if !f.ordered || m.out_of_order || !only_the_piece || m.hits.len() < 3 {
        return None;
    }
    let slot = slot_of(m, *k)?;
    let (first, last) = (m.hits[0].0, m.hits[m.hits.len() - 1].0);
    if *k + 1 < first || *k > last + 1 {
        return None; // not in the run or right beside it
    }
    let item = items.get(slot)?;
    if !m.missing.contains(item) {
        return None;
    }
    let piece: Vec<char> = e.pieces[*k].text.chars().collect();
    let want: Vec<char> = item.chars().collect();
    let one_off = one_difference(&piece, &want).is_some();
    (one_off || near_miss(&e.pieces[*k].text, item)).then(|| (*k, item.clone()))
}

/// The item whose place piece `k` takes, where pieces and items advance together
/// (item = piece + offset for every hit).
fn slot_of(m: &ListMatch, k: usize) -> Option<usize> {
    let &(p0, i0) = m.hits.first()?;
    let offset = i0 as i64 - p0 as i64;
    if m.hits.iter().any(|&(p, i)| i as i64 - p as i64 != offset) {
        return None;
    }
    usize::try_from(k as i64 + offset).ok()
}

/// A list of three items or more with every item in its place but one, whose place
/// holds it typed with one char of the same sound (获得感、幸服感、安全感; 蓝天、碧水、
/// 静土保卫战): an input method's slip, in any formula's list. A piece that merely
/// differs from the item is left alone: writers vary lists.
fn typed_in_slot(e: &Enumeration, m: &ListMatch, items: &[String]) -> Option<(usize, String)> {
    let (&[k], [item]) = (m.unmatched.as_slice(), m.missing.as_slice()) else {
        return None;
    };
    if items.len() < 3 || m.out_of_order || m.hits.len() + 1 != items.len() {
        return None;
    }
    if slot_of(m, k).and_then(|i| items.get(i)) != Some(item) {
        return None;
    }
    let piece: Vec<char> = e.pieces[k].text.chars().collect();
    let want: Vec<char> = item.chars().collect();
    let n = want.len();
    // Inside the list the piece is the item; the first may start with other words
    // (推动产业高端化), the last end with them (净土保卫战).
    let window = match k {
        _ if piece.len() < n => return None,
        0 => &piece[piece.len() - n..],
        _ if k + 1 == e.pieces.len() => &piece[..n],
        _ if piece.len() == n => &piece[..],
        _ => return None,
    };
    // A piece that is the whole slot may hold a function word typed for the item's
    // char (明大德、守公得、严私德): no other word there could have it.
    let whole_slot = piece.len() == n;
    match one_difference(window, &want) {
        Some((written, own)) if typed_for(written, own) => Some((k, item.clone())),
        Some((written, own))
            if whole_slot && crate::knowledge::homophones::same_sound(written, own) =>
        {
            Some((k, item.clone()))
        }
        _ => None,
    }
}

/// The last piece of a list that ends with the formula's own name, in the place of
/// the last item (创新、协调、绿色、开放、共赢的新发展理念): the words before 的 and the
/// name stand for the item. That piece and the columns of those words.
fn slot_before_name(ctx: &LineCtx, e: &Enumeration, m: &ListMatch) -> Option<(usize, (u32, u32))> {
    let k = e.pieces.len().checked_sub(1)?;
    if m.unmatched != [k] || m.hits.last()?.0 + 1 != k {
        return None;
    }
    let (start, end) = slot_words(ctx, &e.pieces[k], m.formula);
    let named = end < e.pieces[k].end;
    (named && (1..=8).contains(&(end - start))).then_some((k, (start, end)))
}

/// The columns of the words of `piece` before a name of `formula`'s family that ends
/// it, or that follows them with 的 or a quote (共享的新发展理念贯穿始终, 生态文明建设
/// “五位一体”总体布局), and before the 的 and the quote in front of that name; the
/// whole piece when no such name is in it.
fn slot_words(ctx: &LineCtx, piece: &super::enumeration::Piece, formula: u32) -> (u32, u32) {
    let closing = |c: &char| matches!(c, '”' | '’' | '」');
    let names_the_words_before = |start: u32| {
        let before = &ctx.chars[piece.start as usize..start as usize];
        let unquoted = before.strip_suffix(&['“']);
        let before = unquoted.unwrap_or(before);
        before.len() > 1 && (unquoted.is_some() || before.ends_with(&['的']))
    };
    let name = ctx.facts.terms.iter().find(|h| {
        same_family(ctx.kb, h.entry, formula)
            && h.start > piece.start
            && h.end <= piece.end
            && (ctx.chars[h.end as usize..piece.end as usize]
                .iter()
                .all(closing)
                || names_the_words_before(h.start))
    });
    let Some(name) = name else {
        return (piece.start, piece.end);
    };
    let mut end = name.start;
    for opening in ['“', '的'] {
        if end > piece.start && ctx.chars[end as usize - 1] == opening {
            end -= 1;
        }
    }
    (piece.start, end)
}

/// The items as the writer words them: where the list uses the variants of its items
/// and never their full wording (人民至上、自信自立…… for 必须坚持人民至上、……), every
/// item in its first variant, so that the fix keeps the sentence's words (要坚持人民至上、
/// ……, not 要坚持必须坚持人民至上).
fn in_writers_forms(
    f: &Formula,
    e: &super::enumeration::Enumeration,
    m: &ListMatch,
    items: &[String],
) -> Vec<String> {
    let full = |&(k, i): &(usize, u32)| {
        items
            .get(i as usize)
            .is_some_and(|item| e.pieces[k].text.contains(item.as_str()))
    };
    if f.variants.is_empty() || m.hits.is_empty() || m.hits.iter().any(full) {
        return items.to_vec();
    }
    items
        .iter()
        .map(|item| {
            f.variants
                .get(item)
                .and_then(|v| v.first())
                .unwrap_or(item)
                .clone()
        })
        .collect()
}

/// (e) All but one item of a formula with a name of its own and at least four items (or
/// three, where texts always name all three), in its order, as a list of their own:
/// 牢固树立政治意识、大局意识、看齐意识. Writers name two or three items of a long list on
/// purpose (全面加强党的思想建设、组织建设), and of a three-item list two (人民群众获得感、
/// 幸福感), but leaving out just one of four or more is a slip.
fn incomplete(
    ctx: &LineCtx,
    e: &super::enumeration::Enumeration,
    m: &ListMatch,
    f: &Formula,
    missing: &[String],
) -> bool {
    missing.len() == 1
        && m.missing.len() == 1
        && m.foreign.is_empty()
        && !m.out_of_order
        && m.distinct_items() + 1 == f.version_items(m.version).len()
        && m.unmatched.is_empty()
        && !joins_more(e, m)
        && closed_list(ctx, m, f)
        && !counts_itself(ctx, e, m, f)
}

/// (f) The list of such a formula with one item put in another's place: as many pieces
/// as items, each in its place but one inside the list (增强政治意识、大局意识、责任意识、
/// 看齐意识). Returns the piece that stands for the missing item. (The first and the last
/// piece may carry other words, 牢固树立…… or ……不断增强, so only a piece between them is
/// taken for an item.)
fn replaced(
    ctx: &LineCtx,
    e: &super::enumeration::Enumeration,
    m: &ListMatch,
    f: &Formula,
) -> Option<usize> {
    let n = f.version_items(m.version).len();
    let ([k], [missing]) = (m.unmatched.as_slice(), m.missing.as_slice()) else {
        return None;
    };
    let in_place = m.hits.iter().all(|&(k, index)| k == index as usize);
    let stands_for_it = !e.pieces[*k].text.contains(missing.as_str());
    (e.pieces.len() == n
        && *k > 0
        && *k + 1 < n
        && m.hits.len() + 1 == n
        && in_place
        && stands_for_it
        && closed_list(ctx, m, f)
        && !counts_itself(ctx, e, m, f))
    .then_some(*k)
}

/// A formula whose lists are closed: a name of its own, at least four items (or three
/// that texts always name together), not often quoted in part, and not after words that
/// single out a part (特别是政治意识、大局意识、核心意识).
fn closed_list(ctx: &LineCtx, m: &ListMatch, f: &Formula) -> bool {
    const SINGLING_OUT: [&str; 9] = [
        "特别是",
        "尤其是",
        "重点",
        "首先",
        "其中",
        "关键",
        "主要是",
        "包括",
        "着重",
    ];
    let n = f.version_items(m.version).len();
    let closed = (n >= 4 || n == 3 && f.always_whole) && !f.partial_ok && !f.term.contains('、');
    closed && {
        let from = leading_clauses(ctx.chars, m.start as usize);
        let before: String = ctx.chars[from..m.start as usize].iter().collect();
        !SINGLING_OUT.iter().any(|w| before.contains(w))
    }
}

/// Whether the list's last item is followed by a count of the list's own, other than
/// the formula's: the writer names the shorter list on purpose, as history tells it
/// (经济建设、政治建设、文化建设、社会建设“四位一体”的总体布局, before 生态文明建设 was
/// added).
fn counts_itself(ctx: &LineCtx, e: &Enumeration, m: &ListMatch, f: &Formula) -> bool {
    const COUNTED: [char; 8] = ['位', '个', '项', '大', '种', '条', '化', '者'];
    let Some(&(k, i)) = m.hits.last() else {
        return false;
    };
    let items = f.version_items(m.version);
    let item = &items[i as usize];
    let Some(candidate) = e.pieces[k].candidates.iter().find(|c| &c.item == item) else {
        return false;
    };
    let mut at = candidate.end as usize;
    while ctx
        .chars
        .get(at)
        .is_some_and(|&c| matches!(c, '“' | '的' | '等'))
    {
        at += 1;
    }
    let Some((count, len)) =
        crate::text::numerals::parse_count(ctx.chars.get(at..).unwrap_or_default())
    else {
        return false;
    };
    let listed = m.distinct_items() + m.unmatched.len();
    count as usize != items.len()
        && count as usize == listed
        && ctx.chars.get(at + len).is_some_and(|c| COUNTED.contains(c))
}

/// Where the words that lead to a list at `start` begin: its own clause, with the
/// clause before when that one introduces it (……重点是：A、B、C) or is a word or two
/// (其中，A、B、C). A 重点 further back qualifies something else (实施重点产业链……行动，
/// 促进创新链、产业链、人才链……).
fn leading_clauses(chars: &[char], start: usize) -> usize {
    let (sentence, _) = sentence_bounds(chars, start as u32, start as u32);
    let boundary = |c: &char| matches!(c, '，' | '：' | ',' | ':');
    let clause_start = |end: usize| {
        chars[sentence..end]
            .iter()
            .rposition(boundary)
            .map_or(sentence, |p| sentence + p + 1)
    };
    let own = clause_start(start);
    if own == sentence {
        return own;
    }
    let before = clause_start(own - 1);
    let introduces = chars[own - 1] == '：' || chars[own - 1] == ':';
    if introduces || own - 1 - before <= 4 {
        before
    } else {
        own
    }
}

/// Whether the enumeration is another formula's list, all its items and nothing else
/// (A、B、C for a three-item formula): then it is that list, not a slip of a longer one.
/// (形式主义、官僚主义 of a two-item formula inside 形式主义、官僚主义、奢靡之风 is not.)
fn another_is_whole(ctx: &LineCtx, m: &ListMatch, all: &[ListMatch]) -> bool {
    all.iter().any(|o| {
        !same_family(ctx.kb, o.formula, m.formula)
            && o.missing.is_empty()
            && o.foreign.is_empty()
            && o.unmatched.is_empty()
    })
}

/// Whether the last item's piece goes on with a joined word the lists of known formulas
/// do not hold (资源利用上线和环境准入负面清单管理): the missing item may be that word.
fn joins_more(e: &super::enumeration::Enumeration, m: &ListMatch) -> bool {
    let Some(&(k, _)) = m.hits.last() else {
        return false;
    };
    let piece = &e.pieces[k];
    piece.candidates.iter().any(|c| {
        let after: String = piece
            .text
            .chars()
            .skip((c.end - piece.start) as usize)
            .collect();
        c.side == super::enumeration::Side::Head
            && ["和", "及", "与", "以及", "同"]
                .iter()
                .any(|j| after.contains(j))
    })
}

/// Where `window` lies between columns `start` and `end` of the line: its columns and
/// text (the whole stretch if it is not found).
fn within(chars: &[char], start: u32, end: u32, window: &str) -> (u32, u32, String) {
    let stretch = &chars[start as usize..end as usize];
    let w: Vec<char> = window.chars().collect();
    match stretch
        .windows(w.len().max(1))
        .position(|s| s == w.as_slice())
    {
        Some(at) => (
            start + at as u32,
            start + (at + w.len()) as u32,
            window.to_string(),
        ),
        None => (start, end, stretch.iter().collect()),
    }
}

/// Whether the formula's name at columns `name` presents the list of `m` as the
/// formula: right before it (增强“四个意识”，即…；“四风”：…), or right after it (…看齐
/// 意识这“四个意识”). A name elsewhere in the sentence is often followed by a part of
/// the list on purpose (纠治“四风”，重点纠治形式主义、官僚主义), and a name that is the
/// list's own wording (踔厉奋发、勇毅前行) names nothing beside it.
/// The pieces before the list's first item, as written with their pause marks (即最严格
/// 的标准、最严谨的监管、 before 最严厉的处罚): the places of items written otherwise.
fn lead_pieces(e: &super::enumeration::Enumeration, m: &ListMatch) -> String {
    let first = m.hits.first().map_or(0, |&(k, _)| k);
    e.pieces[..first]
        .iter()
        .map(|p| format!("{}、", p.text))
        .collect()
}

/// The connectives after which the words spell out the name before them.
const SPELLING_OUT: [&str; 6] = ["即", "就是", "也就是", "亦即", "是指", "分别是"];
/// The longest head word between a name and its connective (“四个最严”要求，即……).
const MAX_HEAD_CHARS: usize = 4;

fn names_list(chars: &[char], (start, end): (u32, u32), m: &ListMatch, lead: &str) -> bool {
    const BEFORE: [&str; 9] = [
        "",
        "即",
        "就是",
        "也就是",
        "亦即",
        "是",
        "是指",
        "指",
        "分别是",
    ];
    // 创新、协调、绿色、开放、共享的新发展理念: a list before 的 and the name spells it.
    const AFTER: [&str; 6] = ["", "这", "这个", "这些", "即", "的"];
    let words = |from: u32, to: u32| -> String {
        chars[from as usize..to as usize]
            .iter()
            .filter(|c| {
                !matches!(
                    c,
                    '，' | ',' | '：' | ':' | '（' | '(' | '“' | '”' | ' ' | '　'
                )
            })
            .collect()
    };
    if end <= m.start {
        let between = words(end, m.start);
        if BEFORE.contains(&between.as_str()) {
            return true;
        }
        // A head word, the connective and the places of items written otherwise
        // (“四个最严”要求，即最严格的标准、最严谨的监管、最严厉的处罚……).
        let Some(head) = between.strip_suffix(lead) else {
            return false;
        };
        // The head word before the connective, or before pieces that open with it.
        let head_word = SPELLING_OUT
            .iter()
            .find_map(|c| head.strip_suffix(c))
            .or_else(|| {
                SPELLING_OUT
                    .iter()
                    .any(|c| lead.starts_with(c))
                    .then_some(head)
            });
        head_word.is_some_and(|h| {
            h.chars().count() <= MAX_HEAD_CHARS && h.chars().all(crate::text::is_han)
        })
    } else if m.end <= start {
        AFTER.contains(&words(m.end, start).as_str())
    } else {
        false
    }
}

/// Whether the list is the whole enumeration, or all of it on one side of a clause it
/// shares with another list: pieces before it are another list's when its first item
/// ends a piece after other words, pieces after it when its last item starts one.
fn stands_alone(
    e: &super::enumeration::Enumeration,
    m: &ListMatch,
    f: &crate::knowledge::Formula,
    items: &[String],
) -> bool {
    use super::enumeration::Side;
    let side = |&(k, index): &(usize, u32)| {
        e.pieces[k]
            .candidates
            .iter()
            .find(|c| f.words_item(&items[index as usize], &c.item))
            .map(|c| c.side)
    };
    let (Some(first), Some(last)) = (m.hits.first(), m.hits.last()) else {
        return false;
    };
    m.unmatched.iter().all(|&k| {
        (k < first.0 && side(first) == Some(Side::Tail))
            || (k > last.0 && side(last) == Some(Side::Head))
    })
}

/// Every matched item belongs to this formula (and the entries it replaced) alone.
fn only_this(ctx: &LineCtx, m: &ListMatch) -> bool {
    m.hits.iter().all(|&(_, index)| {
        let item = &ctx.kb.formula(m.formula).version_items(m.version)[index as usize];
        ctx.kb
            .item_owners(item)
            .iter()
            .all(|r| same_family(ctx.kb, r.formula, m.formula))
    })
}

/// Char bounds of the sentence (up to 。！？；) that holds columns `start..end`.
pub(super) fn sentence_bounds(chars: &[char], start: u32, end: u32) -> (usize, usize) {
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
    (from, to)
}

/// The text names `item`, also in its short form without a leading name (习近平新时代
/// 中国特色社会主义思想 is often written 新时代中国特色社会主义思想 after its first use).
fn mentions(text: &str, item: &str) -> bool {
    text.contains(item)
        || item
            .strip_prefix("习近平")
            .is_some_and(|short| text.contains(short))
}

/// The columns and words of piece `k` that stand for `right`, for a near miss or a
/// replaced item: not the verb before them (坚持依法冶国). A slip of one char is the
/// window of the piece that holds it (静土 of 静土保卫战); another word, the piece,
/// without a name that ends it.
fn item_words(
    ctx: &LineCtx,
    e: &super::enumeration::Enumeration,
    m: &ListMatch,
    ground: Ground,
    k: usize,
    right: &str,
) -> (u32, u32, String) {
    let piece = &e.pieces[k];
    let window = near_miss_window(&piece.text, right).or_else(|| {
        matches!(ground, Ground::NearMiss(_))
            .then(|| one_off_window(&piece.text, right))
            .flatten()
    });
    match window {
        Some(window) => within(ctx.chars, piece.start, piece.end, &window),
        None => {
            let (start, end) = slot_words(ctx, piece, m.formula);
            let words = ctx.chars[start as usize..end as usize].iter().collect();
            (start, end, words)
        }
    }
}

fn report(
    ctx: &LineCtx,
    e: &super::enumeration::Enumeration,
    m: &ListMatch,
    ground: Ground,
    missing: &[String],
) -> Diagnostic {
    let f = ctx.kb.formula(m.formula);
    let items = f.version_items(m.version);
    let when = match m.version {
        0 => String::new(),
        v => f
            .version_dates(v)
            .1
            .map(|d| format!("（{}以前）", d.chinese()))
            .unwrap_or_default(),
    };
    let backed = f.has_primary_source();
    let right = missing.first().or(m.missing.first());
    // A near miss, a replaced item or a slip elsewhere in the sentence: the words
    // written for the item, and the item.
    let words = match (ground, right) {
        (Ground::NearMiss(k) | Ground::Replaced(k), Some(right)) => {
            Some(item_words(ctx, e, m, ground, k, right))
        }
        (Ground::SlipInSentence(start, end), Some(_)) => {
            let wrong = ctx.chars[start as usize..end as usize].iter().collect();
            Some((start, end, wrong))
        }
        _ => None,
    };
    if let (Some((start, end, wrong)), Some(right)) = (words, right) {
        // One char off is a slip the fix may mend; another item is the writer's to judge.
        let backed = backed && !matches!(ground, Ground::Replaced(_));
        let span = Span::on_line(0, start, end);
        let message = list_message(f, &when, items, &format!("“{wrong}”应为“{right}”"));
        return Diagnostic::new("formula-list", RuleLevel::Warning, span, message)
            .with_fix(Fix::replace(span, right.clone(), backed));
    }
    let mut problems = Vec::new();
    if !missing.is_empty() {
        let quoted: Vec<String> = missing.iter().map(|s| format!("“{s}”")).collect();
        problems.push(format!("缺少{}", quoted.join("、")));
    }
    if !m.foreign.is_empty() {
        let quoted: Vec<String> = m.foreign.iter().map(|s| format!("“{s}”")).collect();
        problems.push(format!("{}不是规范表述中的项", quoted.join("、")));
    }
    if m.out_of_order && f.ordered {
        problems.push("顺序有误".to_string());
    }
    let level = if ground == Ground::Named && !missing.is_empty() {
        RuleLevel::Error
    } else {
        RuleLevel::Warning
    };
    let canonical = m.canonical(&in_writers_forms(f, e, m, items));
    let message = list_message(f, &when, items, &problems.join("，"));
    // Only a primary text can back a fix applied without review; reordering needs the
    // text that fixes the order.
    let order_backed = !m.out_of_order || f.has_primary_order_source();
    let span = Span::on_line(0, m.start, m.end);
    Diagnostic::new("formula-list", level, span, message).with_fix(Fix {
        title: format!("改为规范表述“{canonical}”"),
        edits: vec![Edit {
            span,
            new_text: canonical,
        }],
        certain: backed && order_backed && m.foreign.is_empty(),
    })
}

#[cfg(test)]
mod tests {
    use crate::config::RuleLevel;
    use crate::rules::testing::{apply_first_fixes, diags};

    #[test]
    fn an_item_typed_with_a_char_of_its_sound_is_mended() {
        for (text, fixed) in [
            (
                "不断增强人民群众获得感、幸服感、安全感。",
                "不断增强人民群众获得感、幸福感、安全感。",
            ),
            (
                "深入打好蓝天、碧水、静土保卫战。",
                "深入打好蓝天、碧水、净土保卫战。",
            ),
            (
                "推进自治、法制、德治相结合。",
                "推进自治、法治、德治相结合。",
            ),
            // A function word typed for the char, in a place no other word fills.
            (
                "要坚持明大德、守公得、严私德。",
                "要坚持明大德、守公德、严私德。",
            ),
        ] {
            let d = diags("formula-list", text);
            assert_eq!(d.len(), 1, "{text}: {d:?}");
            assert_eq!(apply_first_fixes(text, &d), fixed);
        }
        // Another char, or another word, in an item's place is the writer's wording.
        for text in [
            "不断增强人民群众获得感、幸国感、安全感。",
            "不断增强人民群众获得感、幸福感、认同感。",
            "深入打好蓝天、碧水、净土保卫战。",
        ] {
            assert!(diags("formula-list", text).is_empty(), "{text}");
        }
        let without_count = "统筹推进经济建设、政治建设、文化建设、社会建设的总体布局。";
        assert_eq!(diags("formula-list", without_count).len(), 1);
    }

    #[test]
    fn a_slip_in_another_clause_of_a_named_list_is_mended_there() {
        for (text, wrong, right) in [
            (
                "大力弘扬伟大建党精神，坚持真理、坚守理想，践行初心、担当使命，不怕牺牲、英勇斗争，对党忠诚、不服人民。",
                "不服人民",
                "不负人民",
            ),
            (
                "大力弘扬伟大建党精神，坚持真理、坚守理想，践行初心、担当使命，不怕牺牲、英勇斗争，对党忠城、不负人民。",
                "对党忠城",
                "对党忠诚",
            ),
        ] {
            let d = diags("formula-list", text);
            assert_eq!(d.len(), 1, "{text}: {d:?}");
            let want = format!("此处“{wrong}”应为“{right}”");
            assert!(d[0].message.contains(&want), "{}", d[0].message);
            assert_eq!(d[0].level, RuleLevel::Warning);
        }
    }

    #[test]
    fn the_last_item_before_the_name_is_compared_words_after_it_or_not() {
        let d = diags(
            "formula-list",
            "要把创新、协调、绿色、开放、共赢的新发展理念贯穿发展全过程。",
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].message.contains("“共赢”应为“共享”"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn the_last_item_before_the_name_is_compared() {
        let text = "坚持创新、协调、绿色、开放、共赢的新发展理念。";
        let d = diags("formula-list", text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].message.contains("此处“共赢”应为“共享”"),
            "{}",
            d[0].message
        );
        assert_eq!(
            apply_first_fixes(text, &d),
            "坚持创新、协调、绿色、开放、共享的新发展理念。"
        );
        let other = "坚持创新、协调、绿色、开放、安全的新发展理念。";
        let d = diags("formula-list", other);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].message.contains("此处“安全”应为“共享”"),
            "{}",
            d[0].message
        );
        assert!(diags(
            "formula-list",
            "坚持创新、协调、绿色、开放、共享的新发展理念。"
        )
        .is_empty());
    }

    #[test]
    fn subsets_without_the_name_are_not_reported() {
        for text in [
            "全面加强党的思想建设、组织建设、作风建设。",
            "促进学生德、智、体、美全面发展。",
            "推进伟大工程，要结合伟大斗争、伟大事业、伟大梦想的实践来进行。",
            "坚持以马克思列宁主义、毛泽东思想、邓小平理论、“三个代表”重要思想、科学发展观、习近平新时代中国特色社会主义思想为指导。",
            // The list counts itself: a shorter list named on purpose, as history.
            "党的十七大形成了经济建设、政治建设、文化建设、社会建设“四位一体”的总体布局。",
        ] {
            assert!(diags("formula-list", text).is_empty(), "{text}");
        }
    }

    #[test]
    fn the_current_list_with_a_slip_is_no_former_list() {
        let text = "在会上的讲话\n（2025年11月1日）\n同志们：\n要坚定道路自信、理论自信、制度自信、文明自信。";
        let d = diags("formula-list", text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].message.contains("“文明自信”应为“文化自信”"),
            "{}",
            d[0].message
        );
        assert!(diags("superseded-formula", text).is_empty());
        let former =
            "在会上的讲话\n（2025年11月1日）\n同志们：\n要坚定道路自信、理论自信、制度自信。";
        assert_eq!(diags("superseded-formula", former).len(), 1);
    }

    #[test]
    fn a_named_formula_with_a_missing_item_is_an_error() {
        let text = "增强“四个意识”，即政治意识、大局意识、看齐意识。";
        let d = diags("formula-list", text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].level, RuleLevel::Error);
        assert!(d[0].message.contains("缺少“核心意识”"), "{}", d[0].message);
    }

    #[test]
    fn an_items_variant_is_its_wording_too() {
        let text = "新能源汽车、光伏产品、锂电池“新三样”出口增长69.4%。";
        assert!(diags("formula-list", text).is_empty());
        let short = "新能源汽车、锂电池“新三样”出口增长。";
        let d = diags("formula-list", short);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("缺少“光伏产品”"), "{}", d[0].message);
    }

    #[test]
    fn a_botched_subset_only_one_formula_explains() {
        let text = "牢固树立政治意识、核心意识、大局意识。";
        let d = diags("formula-list", text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("顺序有误"), "{}", d[0].message);
    }

    #[test]
    fn a_complete_list_out_of_its_fixed_order() {
        let text = "强化政治意识、核心意识、大局意识和看齐意识。";
        let d = diags("formula-list", text);
        assert_eq!(
            apply_first_fixes(text, &d),
            "强化政治意识、大局意识、核心意识和看齐意识。"
        );
    }

    #[test]
    fn a_list_that_repeats_its_verb_before_each_item() {
        let text = "要坚持人民至上、坚持自信自立、坚持问题导向、坚持守正创新、坚持系统观念、坚持胸怀天下。";
        let d = diags("formula-list", text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("顺序有误"), "{}", d[0].message);
        assert_eq!(
            apply_first_fixes(text, &d),
            "要坚持人民至上、坚持自信自立、坚持守正创新、坚持问题导向、坚持系统观念、坚持胸怀天下。"
        );
        for text in [
            "要坚持人民至上、坚持自信自立、坚持守正创新、坚持问题导向、坚持系统观念、坚持胸怀天下。",
            // Two items, and other verbs: no list of one verb.
            "要坚持问题导向、坚持守正创新。",
            "要坚持人民至上、树牢自信自立、强化问题导向、推动守正创新。",
        ] {
            assert!(diags("formula-list", text).is_empty(), "{text}");
        }
    }

    /// Sentences of the 19th and 20th congress reports and recent government work
    /// reports (verbatim): lists that share a clause with another list, formulas whose
    /// wording is their name and holds a comma, a named formula followed by a part of
    /// it on purpose, a longer list holding a formula's items.
    #[test]
    fn authoritative_sentences_pass() {
        for text in [
            "我国国际影响力、感召力、塑造力显著提升。",
            "人民群众获得感、幸福感、安全感更加充实、更有保障、更可持续。",
            "教育、科技、人才是全面建设社会主义现代化国家的基础性、战略性支撑。",
            "文化自信是一个国家、一个民族发展中更基本、更深沉、更持久的力量。",
            "我们要全面准确、坚定不移贯彻“一国两制”、“港人治港”、“澳人治澳”、高度自治的方针。",
            "我们要自信自强、守正创新，踔厉奋发、勇毅前行。",
            "党中央审时度势、果敢抉择，锐意进取、攻坚克难。",
            "持续深化纠治“四风”，重点纠治形式主义、官僚主义，坚决破除特权思想和特权行为。",
            "不断推进理论创新、实践创新、制度创新、文化创新以及其他各方面创新。",
            "推动新型工业化、信息化、城镇化、农业现代化同步发展。",
        ] {
            let found = diags("formula-list", text);
            assert!(found.is_empty(), "{text}: {found:?}");
            assert!(diags("superseded-formula", text).is_empty(), "{text}");
        }
    }

    #[test]
    fn a_reordered_list_sharing_a_clause_is_reported() {
        let text = "使人民获得感、安全感、幸福感更加充实、更有保障、更可持续。";
        let d = diags("formula-list", text);
        assert_eq!(d.len(), 1, "{text}: {d:?}");
        assert_eq!(
            apply_first_fixes(text, &d),
            "使人民获得感、幸福感、安全感更加充实、更有保障、更可持续。"
        );
        // The other list has no name but its items: its order is wording.
        for text in [
            "使人民获得感、幸福感、安全感更有保障、更加充实、更可持续。",
            "让大美新疆山更绿、水更清、天更蓝！",
            "坚持生态优先、绿色发展，减污、降碳、扩绿、增长协同推进。",
        ] {
            assert!(diags("formula-list", text).is_empty(), "{text}");
        }
        // Pieces on the list's own side of the shared clause still make it another list.
        assert!(diags(
            "formula-list",
            "使人民更有保障、更加充实、更可持续、更加幸福。"
        )
        .is_empty());
    }

    #[test]
    fn a_list_after_other_words_is_still_compared() {
        // The first item ends a piece that starts with other words.
        let text = "要牢固树立政治意识、大局意识、看齐意识这“四个意识”。";
        let d = diags("formula-list", text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("缺少“核心意识”"), "{}", d[0].message);
        // A named list apart from its name by other words is not presented as it.
        assert!(diags("formula-list", "增强“四个意识”，特别是政治意识、大局意识。").is_empty());
    }

    #[test]
    fn all_but_one_item_of_a_closed_list_is_reported_without_the_name() {
        for (text, missing) in [
            ("牢固树立政治意识、大局意识、看齐意识。", "核心意识"),
            ("坚定道路自信、理论自信、文化自信。", "制度自信"),
            ("一体推进不敢腐、不想腐。", "不能腐"),
            // Two of the items are a two-item formula's whole list, the third is not.
            ("深化纠治形式主义、官僚主义、奢靡之风。", "享乐主义"),
            // The 、 of a paragraph's marker parts no items.
            (
                "第五、中国信守互相尊重主权和领土完整、互不侵犯、平等互利、和平共处五项原则。",
                "互不干涉内政",
            ),
            // A 重点 in an earlier clause qualifies something else.
            (
                "实施新一轮重点产业链高质量发展行动，促进创新链、产业链、人才链深度融合。",
                "资金链",
            ),
        ] {
            let d = diags("formula-list", text);
            assert_eq!(d.len(), 1, "{text}: {d:?}");
            assert_eq!(d[0].level, RuleLevel::Warning);
            assert!(
                d[0].message.contains(&format!("缺少“{missing}”")),
                "{}",
                d[0].message
            );
        }
        for text in [
            // Two of three items, where texts name two on purpose.
            "人民群众获得感、幸福感不断增强。",
            // A part singled out, and a list that goes on past the formula's items.
            "增强“四个意识”，特别是政治意识、大局意识、核心意识。",
            "增强“四个意识”，其中，政治意识、大局意识、核心意识最为根本。",
            "要着重强化以下几种意识：政治意识、大局意识、核心意识。",
            "增强政治意识、大局意识、核心意识和规矩意识。",
        ] {
            assert!(diags("formula-list", text).is_empty(), "{text}");
        }
    }

    #[test]
    fn another_item_in_the_place_of_one_is_reported() {
        let text = "牢固树立政治意识、大局意识、责任意识、看齐意识。";
        let d = diags("formula-list", text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].message.contains("“责任意识”应为“核心意识”"),
            "{}",
            d[0].message
        );
        assert!(!d[0].fixes[0].certain);
        for text in [
            // The first and last pieces may carry other words: not taken for items.
            "牢固树立政治意识、大局意识、核心意识、责任意识。",
            // One item more is another list.
            "强化政治意识、大局意识、责任意识、核心意识、看齐意识。",
        ] {
            assert!(diags("formula-list", text).is_empty(), "{text}");
        }
    }

    #[test]
    fn a_slip_in_a_run_of_an_ordered_formula_s_items() {
        for text in [
            "倡导富强、民主、文明、和谐，倡导自由、平等、公正、法制，倡导爱国、敬业、诚信、友善。",
            "培育和践行富强、民主、文明、和谐，自由、平等、公正、法制，爱国、敬业、诚信、友善的社会主义核心价值观。",
            "社会主义核心价值观中的自由、平等、公正、法制，是社会层面的价值取向。",
        ] {
            let d = diags("formula-list", text);
            assert_eq!(d.len(), 1, "{text}: {d:?}");
            assert!(d[0].message.contains("此处“法制”应为“法治”"), "{text}: {d:?}");
            assert!(apply_first_fixes(text, &d).contains("公正、法治"), "{text}");
        }
        // Inside the run, of a formula whose name is also another list's item (坚持新发展
        // 理念 is one of the 十四个坚持): the run of its items names it.
        let inner = "要坚持创新、协调、绿色、开发、共享的发展理念。";
        let d = diags("formula-list", inner);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("此处“开发”应为“开放”"), "{d:?}");
        assert!(apply_first_fixes(inner, &d).contains("绿色、开放、共享"));
        assert!(diags("formula-list", "要坚持协调、创新、共享的原则。").is_empty());
        let short = "要坚持创新、协调、绿色、共享的发展理念。";
        let d = diags("formula-list", short);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("缺少“开放”"), "{d:?}");
        // Another word in an inner item's place of the whole list.
        let d = diags("formula-list", "要坚持创新、协调、绿色、开发区、共享。");
        assert!(d[0].message.contains("此处“开发区”应为“开放”"), "{d:?}");
        for text in [
            // Other words in the piece, out of place, or a run of two.
            "要坚持自由、平等、公正、法制建设。",
            "推进平等、公正、自由、法制。",
            "实现平等、公正、法制。",
        ] {
            assert!(diags("formula-list", text).is_empty(), "{text}");
        }
    }

    #[test]
    fn a_list_in_its_items_short_forms_is_mended_in_them() {
        let text = "要坚持人民至上、自信自立、问题导向、守正创新、系统观念、胸怀天下。";
        let d = diags("formula-list", text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            apply_first_fixes(text, &d),
            "要坚持人民至上、自信自立、守正创新、问题导向、系统观念、胸怀天下。"
        );
        let left_out = "要坚持人民至上、自信自立、守正创新、问题导向、胸怀天下。";
        assert_eq!(diags("formula-list", left_out).len(), 1);
        for text in [
            "要坚持人民至上、坚持自信自立、坚持守正创新、坚持问题导向、坚持系统观念、坚持胸怀天下。",
            "坚持人民至上、生命至上，最大限度保护人民生命安全。",
        ] {
            assert!(diags("formula-list", text).is_empty(), "{text}");
        }
    }

    #[test]
    fn a_near_miss_after_a_verb_is_mended_in_place() {
        // The right item named earlier in the sentence (a 2021 speech, one char changed).
        let text = "坚持党的领导、人民当家作主、依法治国有机统一，坚持依法冶国、依法执政、依法行政共同推进。";
        let d = diags("formula-list", text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].message.contains("此处“依法冶国”应为“依法治国”"),
            "{}",
            d[0].message
        );
        assert!(apply_first_fixes(text, &d).contains("坚持依法治国、依法执政"));
    }

    #[test]
    fn a_piece_that_is_an_item_may_end_with_another_formula_s_item() {
        // 坚持党的领导 is an item of 十个坚持 and ends with 党的领导.
        let text = "坚持党的领导、依法治国、人民当家作主有机统一。";
        let d = diags("formula-list", text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("顺序有误"), "{}", d[0].message);
    }

    #[test]
    fn a_list_that_spells_the_name_after_it_names_it() {
        let d = diags("formula-list", "坚持创新、协调、绿色、共享的新发展理念。");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].level, RuleLevel::Error);
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
}
