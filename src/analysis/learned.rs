//! Abbreviations a draft defines for itself: “三化”（“沙化”“阿化”“清真”概念泛指）,
//! 不推、不拖、不等、不躲的“四不”态度, and a quoted “四个结合” followed by a run of
//! 一是…四是. They become document-local formulas (hover, navigation, completion)
//! and their item count feeds the `learned-count` check.

use super::line::LineFacts;
use super::{outline, Learned, Outline};
use crate::knowledge::Knowledge;
use crate::text::{Marks, Span};
use regex::Regex;
use std::sync::Arc;
use std::sync::OnceLock;

/// A definition found in one line. `items` is empty for the run form, whose items are
/// the headlines of the run found by the outline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LearnedCandidate {
    pub term: String,
    /// Columns of the term inside its quotes.
    pub start: u32,
    pub end: u32,
    pub items: Vec<String>,
    /// The number the term announces (四不 → 4).
    pub count: u32,
    /// Items come from the run of points that follows in the paragraph.
    pub from_run: bool,
}

const TERM: &str = r"[一二三四五六七八九十两]{1,2}个?[\p{Han}]{1,6}";

/// Compiles the patterns of the definition forms (see `line::compile_patterns`).
pub(super) fn compile_patterns() {
    for re in [paren_form, list_form, quoted_items] {
        re();
    }
}

fn paren_form() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(&format!(r"“(?P<term>{TERM})”[（(](?P<body>[^）)]+)[）)]")).unwrap()
    })
}

fn list_form() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(&format!(
            r"(?P<list>(?:[\p{{Han}}]{{1,8}}、)+[\p{{Han}}]{{1,8}})的“(?P<term>{TERM})”"
        ))
        .unwrap()
    })
}

/// The matches of `paren_form` whose body has 2 to 80 chars, as the pattern with
/// `{2,80}` would find them. The bound is checked here: repeating a class that holds
/// nearly every char 80 times made the pattern the costliest of all to compile. A body
/// runs to the first closing bracket, so a match with a body out of bounds means none
/// starts there: the search goes on from its next char.
fn paren_definitions(text: &str) -> Vec<regex::Captures<'_>> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(c) = paren_form().captures_at(text, at) {
        let whole = c.get(0).expect("group 0 is the match");
        let body = c.name("body").map_or(0, |b| b.as_str().chars().count());
        if (2..=80).contains(&body) {
            at = whole.end();
            out.push(c);
        } else {
            at = whole.start() + '“'.len_utf8();
        }
    }
    out
}

/// The quoted terms of `text` (`“TERM”`, see `TERM`): byte ranges with the quotes.
/// A term holds only Han chars and no quote, so the first ” after each “ closes it;
/// checked by hand, as a regex search here costs more than the rest of the line's facts.
fn quoted_terms(text: &str) -> Vec<(usize, usize)> {
    let open = '“'.len_utf8();
    let mut out = Vec::new();
    for at in crate::text::positions(text, "“") {
        let inner = &text[at + open..];
        let Some(len) = inner
            .char_indices()
            .take(10)
            .find(|&(_, c)| c == '”')
            .map(|(b, _)| b)
        else {
            continue;
        };
        if is_counted_term(&inner[..len]) {
            out.push((at, at + open + len + '”'.len_utf8()));
        }
    }
    out
}

/// Whether `s` is a whole `TERM`: one or two numerals, an optional 个, one to six Han
/// chars (numerals and 个 are Han chars too).
fn is_counted_term(s: &str) -> bool {
    // Asked of every quotation: its first three chars and its length, without
    // collecting its chars.
    let numeral = |c: char| "一二三四五六七八九十两".contains(c);
    let mut chars = s.chars();
    let (Some(first), Some(second)) = (chars.next(), chars.next()) else {
        return false;
    };
    let third = chars.next();
    if !numeral(first) || !s.chars().all(crate::text::is_han_script) {
        return false;
    }
    match s.chars().count() {
        ..=7 => true,
        8 => numeral(second) || second == '个',
        9 => numeral(second) && third == Some('个'),
        _ => false,
    }
}

fn quoted_items() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"“([^”]{1,12})”").unwrap())
}

/// The count a term announces: 四个结合 → 4. Plan periods (十二五, 十四五) and
/// numbers (四千四万, 三十年) announce no count.
fn term_count(term: &str) -> Option<u32> {
    let chars: Vec<char> = term.chars().collect();
    let (n, used) = crate::text::numerals::parse_count(&chars)?;
    let next = *chars.get(used)?;
    let numeric = |c: char| "〇一二三四五六七八九十百千万亿两年月日".contains(c);
    (n >= 2 && !numeric(next)).then_some(n)
}

/// The items of `a、b、c` where the first piece may carry words before the item:
/// when the other items share one length, the first is cut to that length.
fn list_items(list: &str) -> Vec<String> {
    let mut items: Vec<String> = list.split('、').map(str::to_string).collect();
    let lens: Vec<usize> = items[1..].iter().map(|s| s.chars().count()).collect();
    if let Some(&len) = lens.first() {
        if lens.iter().all(|&l| l == len) {
            let first: Vec<char> = items[0].chars().collect();
            if first.len() > len {
                items[0] = first[first.len() - len..].iter().collect();
            }
        }
    }
    items
}

/// Where the words before byte `end` start: after the last char that cannot be in a
/// list form's list (which holds only Han chars and 、): ASCII, space, punctuation.
/// The window may hold more than the list (other scripts), never less.
fn list_window_start(text: &str, end: usize) -> usize {
    let may_be_in_list = |c: char| c == '、' || (c >= '\u{2E80}' && !is_punctuation(c));
    text[..end]
        .char_indices()
        .rev()
        .find(|&(_, c)| !may_be_in_list(c))
        .map_or(0, |(b, c)| b + c.len_utf8())
}

/// CJK symbols and punctuation and fullwidth forms, less the Han chars among them
/// (々 〇 〡–〩 〸–〻).
fn is_punctuation(c: char) -> bool {
    match c {
        '\u{3005}' | '\u{3007}' | '\u{3021}'..='\u{3029}' | '\u{3038}'..='\u{303B}' => false,
        '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FF65}' => true,
        _ => false,
    }
}

pub fn candidates(text: &str, marks: Marks, kb: &Knowledge) -> Vec<LearnedCandidate> {
    let mut out: Vec<LearnedCandidate> = Vec::new();
    let mut cols = crate::text::ColCounter::new(text);
    let mut taken: Vec<usize> = Vec::new();
    // (byte range of the term, its items, whether they come from a run)
    let mut found: Vec<((usize, usize), Vec<String>, bool)> = Vec::new();
    let range = |m: regex::Match| (m.start(), m.end());
    // Every form quotes a term that starts with a numeral (“四不”): most paragraphs
    // have none, and this test is cheaper than the regexes.
    let numeral_quoted = marks.has('“')
        && crate::text::positions(text, "“").any(|at| {
            text[at + '“'.len_utf8()..].starts_with([
                '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '两',
            ])
        });
    if !numeral_quoted {
        return out;
    }
    if marks.has_any(&['（', '(']) && (text.contains("”（") || text.contains("”(")) {
        for c in paren_definitions(text) {
            let body = c.name("body").map(|b| b.as_str()).unwrap_or("");
            let items = quoted_items()
                .captures_iter(body)
                .map(|q| q[1].to_string())
                .collect();
            found.push((range(c.name("term").unwrap()), items, false));
        }
    }
    let quote = '“'.len_utf8();
    let quoted = quoted_terms(text);
    // A list form ends in 的 and a quoted term: the list regex, which has no literal
    // to look for first, runs only on the words before such a term.
    for &(start, end) in &quoted {
        if !text[..start].ends_with('的') {
            continue;
        }
        let from = list_window_start(text, start);
        if let Some(c) = list_form().captures(&text[from..end]) {
            let term = c.name("term").unwrap();
            found.push((
                (from + term.start(), from + term.end()),
                list_items(&c["list"]),
                false,
            ));
        }
    }
    for (start, end) in quoted {
        let term = (start + quote, end - quote);
        let defined_in_parens = text[end..].starts_with(['（', '(']);
        if kb.lookup(&text[term.0..term.1]).is_none() && !defined_in_parens {
            found.push((term, Vec::new(), true));
        }
    }
    found.sort_by_key(|((start, _), _, run)| (*start, *run));
    for ((start, end), items, from_run) in found {
        if taken.contains(&start) {
            continue;
        }
        let term = &text[start..end];
        let Some(count) = term_count(term) else {
            continue;
        };
        // An inline definition must list as many items as its number says.
        if !from_run && items.len() as u32 != count {
            continue;
        }
        taken.push(start);
        out.push(LearnedCandidate {
            term: term.to_string(),
            start: cols.col(start),
            end: cols.col(end),
            items,
            count,
            from_run,
        });
    }
    out
}

/// The draft's own formulas, first definition of each term winning. A run form takes
/// its items from the run of points that follows in the same paragraph (or the next,
/// when this one breaks off mid-sentence).
pub fn collect(
    lines: &[Arc<LineFacts>],
    outline: &Outline,
    line_text: &dyn Fn(u32) -> String,
) -> Vec<Learned> {
    collect_from(lines, 0..lines.len(), outline, line_text)
}

/// `collect`, told which lines have definitions (ascending; the others have none).
pub fn collect_from(
    lines: &[Arc<LineFacts>],
    which: impl Iterator<Item = usize>,
    outline: &Outline,
    line_text: &dyn Fn(u32) -> String,
) -> Vec<Learned> {
    let mut out: Vec<Learned> = Vec::new();
    for (i, facts) in which.map(|i| (i, &lines[i])) {
        for c in &facts.learned {
            if out.iter().any(|l| l.term == c.term) {
                continue; // first definition wins
            }
            let span = Span::on_line(i as u32, c.start, c.end);
            if !c.from_run {
                out.push(Learned {
                    term: c.term.clone(),
                    items: c.items.clone(),
                    count: c.count,
                    span,
                    run: Vec::new(),
                });
                continue;
            }
            // The run that follows in the same paragraph, or in the next one when this
            // one breaks off mid-sentence (a paragraph split by mistake): a finished
            // paragraph's term does not count the next paragraph's points.
            let Some(first) = outline.first_after(span.end) else {
                continue;
            };
            let node = &outline.nodes[first];
            // A heading ends no sentence either, but its term is not what a run in the
            // paragraph under it spells out (（四）用好“三师”联创工作机制).
            let next_allowed =
                !facts.ends_sentence() && facts.start_marker.is_none() && !facts.title_like;
            if node.number() != 1
                || node.marker.start.line > span.end.line + u32::from(next_allowed)
                || !node.is_inline() && node.marker.start.line != span.end.line
            {
                continue;
            }
            if introduced_later(line_text, span, node) {
                continue;
            }
            let run = outline.list_of(first);
            let run: Vec<usize> = run.into_iter().skip_while(|&n| n != first).collect();
            let items = run
                .iter()
                .map(|&n| {
                    let node = &outline.nodes[n];
                    let text = line_text(node.marker.start.line);
                    let headline: String = text
                        .chars()
                        .skip(node.marker.end.col as usize)
                        .take((node.headline.end.col - node.marker.end.col) as usize)
                        .collect();
                    outline::shorten(&headline, 20)
                })
                .collect();
            out.push(Learned {
                term: c.term.clone(),
                items,
                count: c.count,
                span,
                run,
            });
        }
    }
    out
}

/// The run opens after a colon of a later sentence than the term's (……“六个坚持”重要
/// 原则……。主要考虑：一是……), or two sentences or more after the term's: a later
/// sentence introduces it, not the term.
fn introduced_later(line_text: &dyn Fn(u32) -> String, term: Span, first: &outline::Node) -> bool {
    let start = first.marker.start;
    if start.line != term.end.line {
        return false;
    }
    let between: Vec<char> = line_text(start.line)
        .chars()
        .skip(term.end.col as usize)
        .take(start.col.saturating_sub(term.end.col) as usize)
        .collect();
    let sentence_ends = between
        .iter()
        .filter(|c| matches!(c, '。' | '！' | '？'))
        .count();
    // Two sentences or more between them: the run is the later text's (……兜牢基层“三保”
    // 底线。……会议确定，明年抓好以下重点任务。一是……). So is it when the term's sentence
    // goes on for long after it (以“四大建设”能级整体提升为牵引，……，构建……格局。一要……):
    // a term that the next sentence spells out closes its sentence, or nearly.
    sentence_ends >= 2
        || between.last() == Some(&'：') && sentence_ends > 0
        || sentence_ends == 1 && between.len() > SPELLED_OUT_WITHIN
        || counts_its_own(&between)
}

/// The most chars between a term and the end of its sentence for a run in the next
/// sentence to spell it out (着眼于“四个结合”，切实把意识形态工作落实到机关党建各项具体
/// 任务之中。一是……: 27; 以“四大建设”……构建“一湾引领、……”空间格局。一要……: 52).
const SPELLED_OUT_WITHIN: usize = 40;

/// The colon that opens the run ends a clause with a count of its own (推进“两个先行”，
/// ……，突出把握五大工作导向：一是……): the run is that count's, not the term's.
fn counts_its_own(between: &[char]) -> bool {
    let Some((&'：', body)) = between.split_last() else {
        return false;
    };
    let from = body
        .iter()
        .rposition(|c| matches!(c, '，' | '；' | '。' | '：' | '！' | '？'))
        .map_or(0, |p| p + 1);
    let clause = &body[from..];
    let numeral = |c: char| "两二三四五六七八九十".contains(c);
    let counter = |c: char| "大个项条点种类方".contains(c);
    clause
        .windows(2)
        .any(|w| numeral(w[0]) && counter(w[1]) || w == ['以', '下'] || w == ['如', '下'])
}

#[cfg(test)]
mod tests {
    fn candidates_in(text: &str, kb: &Knowledge) -> Vec<super::LearnedCandidate> {
        let chars: Vec<char> = text.chars().collect();
        super::candidates(text, crate::text::LineIndex::of(&chars).marks, kb)
    }

    use super::*;

    fn kb() -> std::sync::Arc<Knowledge> {
        Knowledge::builtin()
    }

    /// The hand-written matcher finds what the regex `“TERM”` finds, on every string
    /// of up to ten chars drawn from numerals, 个, Han chars, quotes and others.
    #[test]
    fn quoted_terms_match_the_term_pattern() {
        let re = Regex::new(&format!(r"“{TERM}”")).unwrap();
        let alphabet = ['“', '”', '三', '两', '个', '意', '々', 'a', '，'];
        let mut seed = 7u64;
        for _ in 0..20_000 {
            let mut text = String::new();
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
            let len = (seed >> 60) as usize;
            for k in 0..len {
                let pick = (seed >> (4 * k % 56)) as usize % alphabet.len();
                text.push(alphabet[pick]);
            }
            text = format!("“{text}”");
            let by_regex: Vec<(usize, usize)> =
                re.find_iter(&text).map(|m| (m.start(), m.end())).collect();
            assert_eq!(quoted_terms(&text), by_regex, "{text}");
        }
    }

    /// `paren_definitions` finds what `paren_form` with `{2,80}` found, on bodies
    /// around both bounds, nested and one after another.
    #[test]
    fn paren_definitions_bound_their_bodies_as_the_pattern_did() {
        let re = Regex::new(&format!(
            r"“(?P<term>{TERM})”[（(](?P<body>[^）)]{{2,80}})[）)]"
        ))
        .unwrap();
        let body = |n: usize| "甲".repeat(n);
        let mut texts = Vec::new();
        for n in [0, 1, 2, 3, 79, 80, 81, 200] {
            texts.push(format!("“四个结合”（{}）", body(n)));
            texts.push(format!(
                "“三化”（{}“两热”（乙乙）和“五项”（{}）",
                body(n),
                body(n)
            ));
            texts.push(format!("“三化”({}“两热”(乙乙丙）", body(n)));
        }
        for text in &texts {
            let found: Vec<(usize, usize, String)> = paren_definitions(text)
                .iter()
                .map(|c| {
                    (
                        c.get(0).unwrap().start(),
                        c.get(0).unwrap().end(),
                        c["body"].to_string(),
                    )
                })
                .collect();
            let by_regex: Vec<(usize, usize, String)> = re
                .captures_iter(text)
                .map(|c| {
                    (
                        c.get(0).unwrap().start(),
                        c.get(0).unwrap().end(),
                        c["body"].to_string(),
                    )
                })
                .collect();
            assert_eq!(found, by_regex, "{text}");
        }
    }

    #[test]
    fn learns_the_three_corpus_patterns() {
        let text = "面对“三化”（“沙化”“阿化”“清真”概念泛指）及“两热”（“朝觐热”“建寺热”）等现象";
        let c = candidates_in(text, &kb());
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].term, "三化");
        assert_eq!(c[0].items, vec!["沙化", "阿化", "清真"]);
        assert_eq!(c[1].items, vec!["朝觐热", "建寺热"]);

        let c = candidates_in("各单位要坚决遵守不推、不拖、不等、不躲的“四不”态度", &kb());
        assert_eq!(c[0].items, vec!["不推", "不拖", "不等", "不躲"]);
        assert_eq!((c[0].start, c[0].end), (21, 23));

        let c = candidates_in("着眼于“四个结合”，切实把工作落实。一是紧密结合", &kb());
        assert!(c[0].from_run && c[0].count == 4 && c[0].items.is_empty());
    }

    #[test]
    fn plan_periods_and_numbers_are_not_counts() {
        for term in ["十二五", "十四五", "四千四万", "三十年"] {
            assert_eq!(term_count(term), None, "{term}");
        }
        assert_eq!(term_count("四个结合"), Some(4));
        assert!(candidates_in("“十二五”期间，一是……二是……", &kb()).is_empty());
    }

    #[test]
    fn counts_must_agree_for_inline_lists() {
        assert!(candidates_in("“三化”（“沙化”“阿化”）", &kb()).is_empty());
    }
}
