//! Enumerations in a paragraph (pieces joined by 、, the last possibly by 和/及/以及/与,
//! items possibly in quotes) and how each compares with the item lists of known
//! formulas. Shared by `formula-list` and `superseded-formula`, which decide what is
//! worth reporting.

use crate::knowledge::{Formula, Knowledge, Status, Verified};
use crate::text::ColCounter;
use std::collections::HashMap;

/// One piece of an enumeration: its columns, its text, and the items it may carry.
#[derive(Debug, Clone)]
pub struct Piece {
    pub start: u32,
    pub end: u32,
    pub text: String,
    /// The piece as an item, else the items it ends or starts with.
    pub candidates: Vec<Candidate>,
}

/// An item a piece may carry, and where.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub item: String,
    pub side: Side,
    /// Columns of the item (quotes aside).
    pub start: u32,
    pub end: u32,
}

/// Where an item lies in its piece. Two lists often share a clause (获得感、幸福感、
/// 安全感更加充实、更有保障、更可持续): a list may start with the end of a piece and end
/// with the start of one, wherever that piece stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The piece is the item (quotes aside).
    Whole,
    /// The item ends the piece, after other words: only a list's first item.
    Tail,
    /// The item starts the piece, and other words follow: only a list's last item.
    Head,
}

/// A clause with at least two 顿号-separated pieces.
#[derive(Debug, Clone)]
pub struct Enumeration {
    pub pieces: Vec<Piece>,
    /// The word joining the last piece (和/及/以及/与), if any.
    pub joiner: Option<String>,
}

/// An enumeration compared with one version of one formula's items.
#[derive(Debug, Clone)]
pub struct ListMatch {
    pub formula: u32,
    /// 0: the current items; k: the k-th former wording.
    pub version: u16,
    /// (piece index, item index) of each piece that carries an item of the list.
    pub hits: Vec<(usize, u32)>,
    /// Columns from the first to the last matched piece.
    pub start: u32,
    pub end: u32,
    /// Items of the list the enumeration does not name.
    pub missing: Vec<String>,
    /// Pieces between matched ones that are not items of the list.
    pub foreign: Vec<String>,
    /// Pieces that name no item at all (candidates for a near miss).
    pub unmatched: Vec<usize>,
    pub out_of_order: bool,
    pub last_joiner: Option<String>,
    pub quoted: bool,
    /// The words each piece after the first repeats before its item (坚持 in
    /// 坚持人民至上、坚持自信自立、坚持守正创新), see `shared_lead`.
    pub lead: Option<String>,
}

impl ListMatch {
    pub fn distinct_items(&self) -> usize {
        let mut items: Vec<u32> = self.hits.iter().map(|h| h.1).collect();
        items.sort_unstable();
        items.dedup();
        items.len()
    }

    pub fn exact(&self) -> bool {
        self.missing.is_empty() && self.foreign.is_empty() && !self.out_of_order
    }

    /// The canonical list in the writer's joining and quoting style.
    pub fn canonical(&self, items: &[String]) -> String {
        let mut out = String::new();
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                match (&self.last_joiner, i + 1 == items.len()) {
                    (Some(j), true) => out.push_str(j),
                    _ => out.push('、'),
                }
                out.push_str(self.lead.as_deref().unwrap_or_default());
            }
            if self.quoted {
                out.push_str(&format!("“{}”", item.trim_matches(['“', '”'])));
            } else {
                out.push_str(item);
            }
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

fn is_clause_boundary(c: char) -> bool {
    matches!(
        c,
        '，' | '。' | '；' | '：' | '！' | '？' | ',' | ';' | '（' | '）' | '(' | ')'
    )
}

/// The clauses of `text` that hold a 、, as byte ranges without the marks around
/// them, in order. Found from the 、s (a SIMD search), so the chars of the other
/// clauses, most of a paragraph, are not decoded.
fn list_clauses(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        let at = from + crate::text::positions(&text[from..], "、").next()?;
        let start = text[..at]
            .char_indices()
            .rev()
            .find(|&(_, c)| is_clause_boundary(c))
            .map_or(0, |(b, c)| b + c.len_utf8());
        let end = text[at..]
            .find(is_clause_boundary)
            .map_or(text.len(), |b| at + b);
        from = end;
        Some((start, end))
    })
}

/// Whether an item occurs inside bytes `start..end`, by `spans` (see
/// `LineScan::item_spans`; None: it may).
fn item_within(spans: Option<&[(usize, usize)]>, start: usize, end: usize) -> bool {
    spans.is_none_or(|spans| spans.iter().any(|&(s, e)| start <= s && e <= end))
}

/// Splits a paragraph into enumerations, where `spans` tells where items occur: a clause without one cannot
/// match a formula's list and is left out, and a piece without one has no item.
/// `marker_dun`: the byte after the 、 of the paragraph's marker (第五、, 三、), which
/// parts no items.
pub fn enumerations_near(
    text: &str,
    kb: &Knowledge,
    spans: Option<&[(usize, usize)]>,
    marker_dun: Option<usize>,
) -> Vec<Enumeration> {
    let mut out = Vec::new();
    let mut cols = ColCounter::new(text);
    let mut rest = spans;
    for (clause_start, b) in list_clauses(text) {
        // 第五、中国信守A、B、C: the clause's list starts after the marker.
        let after_marker = marker_dun.filter(|&end| clause_start < end && end <= b);
        let clause_start = after_marker.unwrap_or(clause_start);
        if after_marker.is_some() && !text[clause_start..b].contains('、') {
            continue;
        }
        let clause = &text[clause_start..b];
        // The items that start in this clause (spans come by start): a piece looks
        // only at those inside it.
        let spans = rest.map(|all| {
            let from = all.partition_point(|&(s, _)| s < clause_start);
            let to = from + all[from..].partition_point(|&(s, _)| s < b);
            rest = Some(&all[to..]);
            &all[from..to]
        });
        if item_within(spans, clause_start, b) {
            if !may_match_a_list(text, kb, spans, clause_start, b) {
                // Kept in its place, for the rules that look at the next enumeration.
                out.push(Enumeration {
                    pieces: Vec::new(),
                    joiner: None,
                });
                continue;
            }
            out.push(split_clause(
                text,
                clause_start,
                clause,
                kb,
                spans,
                &mut cols,
            ));
        }
    }
    out
}

/// Whether the items in bytes `start..end` (by `spans`; None: any text may hold one)
/// include two of one comparable list: `compare` finds nothing in a clause without, as
/// every item a piece carries occurs in the clause. Most clauses with a 、 have none,
/// and this costs a look-up per item instead of splitting and comparing.
fn may_match_a_list(
    text: &str,
    kb: &Knowledge,
    spans: Option<&[(usize, usize)]>,
    start: usize,
    end: usize,
) -> bool {
    let Some(spans) = spans else {
        return true;
    };
    let mut seen: Vec<(u32, u16, u32)> = Vec::new();
    for &(s, e) in spans.iter().filter(|&&(s, e)| start <= s && e <= end) {
        for r in kb.item_owners(&text[s..e]) {
            if !comparable(kb.formula(r.formula)) {
                continue;
            }
            let other_item =
                |&(f, v, i): &(u32, u16, u32)| f == r.formula && v == r.version && i != r.index;
            if seen.iter().any(other_item) {
                return true;
            }
            seen.push((r.formula, r.version, r.index));
        }
    }
    false
}

fn split_clause(
    text: &str,
    clause_start: usize,
    clause: &str,
    kb: &Knowledge,
    spans: Option<&[(usize, usize)]>,
    cols: &mut ColCounter,
) -> Enumeration {
    let mut pieces = Vec::new();
    let mut offset = clause_start;
    let raw: Vec<&str> = clause.split('、').collect();
    let n = raw.len();
    let mut joiner = None;
    for (k, piece) in raw.iter().enumerate() {
        let start = offset;
        let end = offset + piece.len();
        offset = end + '、'.len_utf8();
        // Without an item inside, a piece is looked up in vain.
        let kb = if item_within(spans, start, end) {
            Some(kb)
        } else {
            None
        };
        if k + 1 == n {
            // The last piece may be “A和B”: split off the joined item.
            if let Some((a, j, _)) = kb.and_then(|kb| split_joined(piece, kb, n >= 3)) {
                let a_end = start + a.len();
                let b_start = a_end + j.len();
                pieces.push(make_piece(text, start, a_end, kb, spans, cols));
                pieces.push(make_piece(text, b_start, end, kb, spans, cols));
                joiner = Some(j.to_string());
                continue;
            }
        }
        pieces.push(make_piece(text, start, end, kb, spans, cols));
    }
    Enumeration { pieces, joiner }
}

/// The last piece of a list as “A和B”: A an item, and B one's start, or (`in_a_run`:
/// after two pieces or more) words of A's length, the item a writer put in the place
/// of one (形式主义、官僚主义、享乐主义和奢侈之风).
fn split_joined<'a>(
    piece: &'a str,
    kb: &Knowledge,
    in_a_run: bool,
) -> Option<(&'a str, &'static str, &'a str)> {
    let (whole, _) = strip_quotes(piece);
    if !kb.item_owners(whole).is_empty() {
        return None;
    }
    for j in JOINERS {
        for (pos, _) in piece.match_indices(j) {
            let (a, b) = (&piece[..pos], &piece[pos + j.len()..]);
            let a = strip_quotes(a).0;
            if kb.item_owners(a).is_empty() {
                continue;
            }
            let b_words = strip_quotes(b).0;
            let like_a = || {
                let (la, lb) = (a.chars().count(), b_words.chars().count());
                la.abs_diff(lb) <= 1 && b_words.chars().all(crate::text::is_han)
            };
            if kb.item_prefix_of(b_words).is_some() || in_a_run && like_a() {
                return Some((&piece[..pos], j, b));
            }
        }
    }
    None
}

/// The piece at bytes `start..end` of `text` and the items it may carry (`kb` None:
/// none; `spans`: where items occur, see `LineScan::item_spans`).
fn make_piece(
    text: &str,
    start: usize,
    end: usize,
    kb: Option<&Knowledge>,
    spans: Option<&[(usize, usize)]>,
    cols: &mut ColCounter,
) -> Piece {
    let piece = &text[start..end];
    // An item that ends or starts the piece is one of those found in it.
    let inside = |s: &usize, e: &usize| start <= *s && *e <= end;
    let starts_at =
        |b: usize| spans.is_none_or(|sp| sp.iter().any(|(s, e)| inside(s, e) && *s == start + b));
    let (inner, _) = strip_quotes(piece);
    let mut found: Vec<(&str, Side, usize)> = Vec::new(); // (item, side, byte start)
    if let Some(kb) = kb {
        // A piece that is an item may end or start with another formula's item too:
        // 坚持党的领导 (an item itself) ends with 党的领导 of 党的领导、人民当家作主、依法治国.
        let whole = !kb.item_owners(inner).is_empty();
        if whole {
            let at = piece.find(inner).map_or(start, |p| start + p);
            found.push((inner, Side::Whole, at));
            // Only where another item occurs inside it (most whole items hold none).
            let other_inside = spans.is_none_or(|sp| {
                sp.iter()
                    .any(|&(s, e)| inside(&s, &e) && e - s < inner.len())
            });
            if !other_inside {
                return finish(text, start, end, inner, found, cols);
            }
        }
        for s in kb.item_suffixes_of(piece, starts_at) {
            let item = strip_quotes(s).0;
            if item != inner {
                let at = end - s.len() + s.find(item).unwrap_or(0);
                found.push((item, Side::Tail, at));
            }
        }
        let unquoted = piece.trim_start_matches('“');
        let base = end - unquoted.len();
        let ends_at = |b: usize| {
            spans.is_none_or(|sp| sp.iter().any(|(s, e)| inside(s, e) && *e == base + b))
        };
        for s in kb.item_prefixes_of(unquoted, ends_at) {
            let item = strip_quotes(s).0;
            if item != inner {
                found.push((item, Side::Head, base + s.find(item).unwrap_or(0)));
            }
        }
    }
    finish(text, start, end, inner, found, cols)
}

/// The piece at bytes `start..end` of `text`, `inner` its words without quotes, with
/// the items `found` in it: (item, side, byte start).
fn finish(
    text: &str,
    start: usize,
    end: usize,
    inner: &str,
    found: Vec<(&str, Side, usize)>,
    cols: &mut ColCounter,
) -> Piece {
    let piece = &text[start..end];
    let candidates = found
        .into_iter()
        .map(|(item, side, at)| Candidate {
            item: item.to_string(),
            side,
            start: cols.col(at),
            end: cols.col(at + item.len()),
        })
        .collect();
    let lead = piece.len() - piece.trim_start().len();
    Piece {
        start: cols.col(start + lead),
        end: cols.col(end),
        text: inner.to_string(),
        candidates,
    }
}

/// Formulas whose items a checker may compare: verified item lists (built-in or
/// glossary), current or former.
fn comparable(f: &Formula) -> bool {
    f.verified == Verified::Items
}

/// Compares an enumeration with every formula version it shares at least two items
/// with.
pub fn compare(chars: &[char], e: &Enumeration, kb: &Knowledge) -> Vec<ListMatch> {
    let mut votes: HashMap<(u32, u16), Vec<Hit>> = HashMap::new();
    for (k, p) in e.pieces.iter().enumerate() {
        for (c, candidate) in p.candidates.iter().enumerate() {
            for r in kb.item_owners(&candidate.item) {
                if comparable(kb.formula(r.formula)) {
                    votes
                        .entry((r.formula, r.version))
                        .or_default()
                        .push((k, r.index, c));
                }
            }
        }
    }
    let mut out: Vec<ListMatch> = votes
        .into_iter()
        .filter_map(|(key, hits)| {
            let (hits, lead) = one_per_piece(chars, e, hits);
            let mut m = evaluate(chars, e, key, hits, kb)?;
            m.lead = lead;
            (m.distinct_items() >= 2).then_some(m)
        })
        .collect();
    out.sort_by_key(|m| (std::cmp::Reverse(m.distinct_items()), m.formula, m.version));
    out
}

/// A piece carrying an item of a formula version: (piece, item index, candidate).
type Hit = (usize, u32, usize);

/// One item per piece (the piece itself before the items it ends or starts with, the
/// longer before the shorter), in piece order; then an item that ends a piece only
/// first and one that starts a piece only last, since other words lie between it and
/// the rest of the list; unless every piece says the same words before its item
/// (`shared_lead`), which are returned with the hits.
fn one_per_piece(
    chars: &[char],
    e: &Enumeration,
    mut hits: Vec<Hit>,
) -> (Vec<Hit>, Option<String>) {
    hits.sort_by_key(|&(k, _, c)| (k, c));
    hits.dedup_by_key(|h| h.0);
    if let Some(lead) = shared_lead(chars, e, &hits) {
        return (hits, Some(lead));
    }
    (one_whole_run(e, hits), None)
}

/// The words that each piece after the first says before its item, when they are one
/// short run of Han chars (坚持, 加快推进) and the first piece's item follows them too
/// (要坚持人民至上、坚持自信自立、坚持守正创新): a verb repeated for each item, which
/// leaves the pieces a list as much as the items alone would be.
fn shared_lead(chars: &[char], e: &Enumeration, hits: &[Hit]) -> Option<String> {
    const MAX_LEAD_CHARS: usize = 4;
    if hits.len() < 3 {
        return None;
    }
    let lead_of = |&(k, _, c): &Hit| {
        let candidate = &e.pieces[k].candidates[c];
        let start = e.pieces[k].start as usize;
        (candidate.side == Side::Tail)
            .then(|| chars.get(start..candidate.start as usize))
            .flatten()
    };
    let lead = lead_of(&hits[1])?;
    let shared = (1..=MAX_LEAD_CHARS).contains(&lead.len())
        && lead.iter().all(|&c| crate::text::is_han(c))
        && hits[2..].iter().all(|h| lead_of(h) == Some(lead))
        && lead_of(&hits[0]).is_some_and(|first| first.ends_with(lead));
    shared.then(|| lead.iter().collect())
}

/// `one_per_piece` for pieces that are items but for the first and the last.
fn one_whole_run(e: &Enumeration, mut hits: Vec<Hit>) -> Vec<Hit> {
    let side = |h: &Hit| e.pieces[h.0].candidates[h.2].side;
    loop {
        let n = hits.len();
        if let Some(i) = (1..n).find(|&i| side(&hits[i]) == Side::Tail) {
            hits.remove(i);
        } else if let Some(i) = (0..n.saturating_sub(1)).find(|&i| side(&hits[i]) == Side::Head) {
            hits.remove(i);
        } else {
            return hits;
        }
    }
}

fn evaluate(
    chars: &[char],
    e: &Enumeration,
    (f, version): (u32, u16),
    hits: Vec<Hit>,
    kb: &Knowledge,
) -> Option<ListMatch> {
    let items = kb.formula(f).version_items(version);
    let pieces = &e.pieces;
    let (first, last) = (*hits.first()?, *hits.last()?);
    let (first_k, last_k) = (first.0, last.0);
    let order: Vec<u32> = hits.iter().map(|h| h.1).collect();
    let out_of_order = order.windows(2).any(|w| w[0] >= w[1]);
    let missing = items
        .iter()
        .enumerate()
        .filter(|(i, _)| !order.contains(&(*i as u32)))
        .map(|(_, s)| s.clone())
        .collect();
    let is_hit = |k: usize| hits.iter().any(|h| h.0 == k);
    let foreign = (first_k..=last_k)
        .filter(|&k| !is_hit(k))
        .map(|k| pieces[k].text.clone())
        .collect();
    let unmatched = (0..pieces.len()).filter(|&k| !is_hit(k)).collect();
    let candidate = |h: &Hit| &pieces[h.0].candidates[h.2];
    let in_quotes = |c: &Candidate| {
        c.start > 0
            && chars.get(c.start as usize - 1) == Some(&'“')
            && chars.get(c.end as usize) == Some(&'”')
    };
    let quoted = hits.iter().all(|h| in_quotes(candidate(h)));
    let (first_item, last_item) = (candidate(&first), candidate(&last));
    // Quoted items: cover the quotes too.
    let start = first_item.start - u32::from(in_quotes(first_item));
    let end = last_item.end + u32::from(in_quotes(last_item));
    Some(ListMatch {
        formula: f,
        version,
        hits: hits.iter().map(|&(k, index, _)| (k, index)).collect(),
        start,
        end,
        missing,
        foreign,
        unmatched,
        out_of_order,
        last_joiner: e.joiner.clone(),
        quoted,
        lead: None,
    })
}

/// A piece that differs from an item by one character, for short items only (有扎实知识
/// for 有扎实学识): long clause-like items are paraphrased in authoritative texts too.
pub fn near_miss(piece: &str, item: &str) -> bool {
    near_miss_window(piece, item).is_some()
}

/// The words of `piece` that are one character off `item`: the piece may carry leading
/// words (做有扎实知识, 坚持依法冶国) or trailing ones.
pub fn near_miss_window(piece: &str, item: &str) -> Option<String> {
    let len = item.chars().count();
    if !(4..=8).contains(&len) {
        return None;
    }
    one_off_window(piece, item)
}

/// The words at the end or the start of `piece` that are one character off `item`,
/// whatever its length (where a list is already known to be wrong there).
pub fn one_off_window(piece: &str, item: &str) -> Option<String> {
    let (a, b): (Vec<char>, Vec<char>) = (piece.chars().collect(), item.chars().collect());
    if a.len() < b.len() {
        return None;
    }
    let windows = [&a[a.len() - b.len()..], &a[..b.len()]];
    let found = windows
        .into_iter()
        .find(|w| one_difference(w, &b).is_some())
        .map(|w| w.iter().collect());
    found
}

/// `window` is `item` typed one char off, as an input method slips: items of four
/// chars or more, or of three with a char of the same sound.
pub fn typed_one_off(window: &[char], item: &[char]) -> bool {
    item.len() >= 3
        && match one_difference(window, item) {
            Some((written, own)) => {
                item.len() >= 4 || crate::knowledge::homophones::typed_for(written, own)
            }
            None => false,
        }
}

/// Where `written` and `own`, of one length, differ in exactly one char: that char of
/// each.
pub fn one_difference(written: &[char], own: &[char]) -> Option<(char, char)> {
    if written.len() != own.len() {
        return None;
    }
    let mut differing = written.iter().zip(own).filter(|(a, b)| a != b);
    match (differing.next(), differing.next()) {
        (Some((&a, &b)), None) => Some((a, b)),
        _ => None,
    }
}

/// Whether `m` is a complete former wording (in any order) that no other wording of
/// its family covers better: 道路自信、理论自信、制度自信 is 三个自信's list, but with
/// 文化自信 after it the list is 四个自信's; and 新型工业化、信息化、城镇化、农业现代化
/// holds the former 工业化、… but is the current wording itself.
pub fn is_complete_former(
    kb: &Knowledge,
    e: &Enumeration,
    m: &ListMatch,
    all: &[ListMatch],
) -> bool {
    let f = kb.formula(m.formula);
    let former = m.version > 0 || f.status == Status::Superseded;
    let current =
        |o: &ListMatch| o.version == 0 && kb.formula(o.formula).status != Status::Superseded;
    // 道路自信、理论自信、制度自信、文明自信: the current list with an item one char
    // off, not the former list and a word after it.
    let slipped = |o: &ListMatch| {
        o.missing.len() == 1
            && o.unmatched
                .iter()
                .any(|&k| near_miss(&e.pieces[k].text, &o.missing[0]))
    };
    // 富强、民主、文明、和谐、自由、平等……: the former wording's pieces are the first of
    // a longer list of another formula (the core values), which the enumeration quotes.
    let within_longer = |o: &ListMatch| {
        !same_family(kb, o.formula, m.formula)
            && o.distinct_items() > m.distinct_items()
            && m.hits.iter().all(|h| o.hits.iter().any(|g| g.0 == h.0))
    };
    former
        && m.missing.is_empty()
        && m.foreign.is_empty()
        && !all.iter().any(within_longer)
        && !all.iter().any(|o| {
            same_family(kb, o.formula, m.formula)
                && (o.distinct_items() > m.distinct_items()
                    || (current(o)
                        && o.distinct_items() == m.distinct_items()
                        && (o.exact() || slipped(o))))
        })
}

/// Whether list `m` of the line's enumeration `k` is a part of another current
/// formula's list that a later enumeration of the line goes on with: 倡导富强、民主、
/// 文明、和谐，倡导自由、平等、公正、法治 quotes the core values, not the former wording
/// 富强民主文明和谐; so does 富强、民主、文明、和谐是国家层面的价值目标，爱国、敬业、诚信、
/// 友善是公民个人层面的价值准则, which skips the middle four.
pub fn continued_as_other_formula(
    kb: &Knowledge,
    enumerations: &[(Enumeration, Vec<ListMatch>)],
    k: usize,
    m: &ListMatch,
) -> bool {
    let later = &enumerations[k + 1..];
    enumerations[k].1.iter().any(|o| {
        let Some(last) = consecutive_end(o) else {
            return false;
        };
        !same_family(kb, o.formula, m.formula)
            && o.version == 0
            && later.iter().any(|(_, next)| {
                next.iter().any(|n| {
                    n.formula == o.formula
                        && n.version == 0
                        && consecutive_end(n).is_some()
                        && n.hits.first().is_some_and(|h| h.1 > last)
                })
            })
    })
}

/// The last item of `m` when its items follow one another in the formula's order
/// (3, 4, 5), nothing foreign between them.
pub fn consecutive_end(m: &ListMatch) -> Option<u32> {
    let first = m.hits.first()?.1;
    let in_row = m.foreign.is_empty()
        && !m.out_of_order
        && m.hits
            .iter()
            .enumerate()
            .all(|(i, h)| h.1 == first + i as u32);
    in_row.then(|| m.hits.last().map_or(first, |h| h.1))
}

/// The formula and the entries it replaced (三个自信 for 四个自信): one family for the
/// question whether items belong to nothing else.
pub fn same_family(kb: &Knowledge, a: u32, b: u32) -> bool {
    if a == b {
        return true;
    }
    let (fa, fb) = (kb.formula(a), kb.formula(b));
    let replaced = |old: &Formula, new: &Formula| {
        old.status == Status::Superseded && old.superseded_by.as_deref() == Some(new.term.as_str())
    };
    replaced(fa, fb) || replaced(fb, fa)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses_are_one_character_off_in_short_items() {
        assert!(near_miss("有扎实知识", "有扎实学识"));
        assert!(near_miss("做有扎实知识", "有扎实学识"));
        assert!(!near_miss("有理想", "有扎实学识"));
        assert!(near_miss("与不干涉内政", "互不干涉内政"));
        assert!(!near_miss("思想建设", "作风建设"));
        assert!(!near_miss(
            "全党各级组织和全体党员服从党的全国代表大会和中央委员会",
            "全党各个组织和全体党员服从党的全国代表大会和中央委员会"
        ));
    }
}
