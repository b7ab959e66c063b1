//! Recognition of point markers (序号): 一、 （一） 1. （1） ① 第一， 一是 一要
//! 首先 其一 一方面, at paragraph start and at clause starts inside a paragraph.

use crate::text::numerals::{self, han_numeral, parse_han_numeral};
use serde::Serialize;

/// A numbering series. Levels are not tied to a family: the outline assigns them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// 一、
    HanDun,
    /// （一）
    HanParen,
    /// 1. 1． 1、
    Arabic,
    /// （1） (1)
    ArabicParen,
    /// ① ②
    Circled,
    /// 第一， 第一、
    Di,
    /// 一是
    Shi,
    /// 一要
    Yao,
    /// 首先 其次 再次 最后
    Shouxian,
    /// 其一 其二
    Qi,
    /// 一方面 另一方面
    Fangmian,
}

impl Family {
    /// The level GB/T 9704 gives the style (一、 above （一） above 1. above （1）), for
    /// the styles it ranks.
    pub fn rank(self) -> Option<u8> {
        match self {
            Family::HanDun => Some(0),
            Family::HanParen => Some(1),
            Family::Arabic => Some(2),
            Family::ArabicParen => Some(3),
            Family::Circled => Some(4),
            _ => None,
        }
    }

    /// The ordinal series 第一/首先/其一 that a writer may confuse with each other.
    pub fn is_ordinal(self) -> bool {
        matches!(self, Family::Di | Family::Shouxian | Family::Qi)
    }

    /// 一是 and 一要: two spellings of one kind of point, which a writer may switch
    /// between inside a list (一要……二是要……).
    pub fn is_shi_or_yao(self) -> bool {
        matches!(self, Family::Shi | Family::Yao)
    }

    /// The marker text of number `n` in this family, in its standard punctuation.
    pub fn marker(self, n: u32) -> String {
        let han = han_numeral(n);
        match self {
            Family::HanDun => format!("{han}、"),
            Family::HanParen => format!("（{han}）"),
            Family::Arabic => format!("{n}."),
            Family::ArabicParen => format!("（{n}）"),
            Family::Circled => char::from_u32(0x2460 + n.clamp(1, 20) - 1)
                .map(String::from)
                .unwrap_or_default(),
            Family::Di => format!("第{han}，"),
            Family::Shi => format!("{han}是"),
            Family::Yao => format!("{han}要"),
            Family::Shouxian => match n {
                1 => "首先，".into(),
                2 => "其次，".into(),
                3 => "再次，".into(),
                _ => "最后，".into(),
            },
            Family::Qi => format!("其{han}，"),
            Family::Fangmian => if n <= 1 { "一方面" } else { "另一方面" }.into(),
        }
    }

    /// The marker without punctuation, for messages (三要, 第三, （三）).
    pub fn label(self, n: u32) -> String {
        let m = self.marker(n);
        m.trim_end_matches(['，', '、', '.']).to_string()
    }
}

/// Punctuation that follows a marker, for the GB/T 15834 check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MarkerPunct {
    /// The standard form for the family.
    Standard,
    /// 1、 (should be 1.)
    ArabicDun,
    /// 1． full-width point: accepted (common in print), standard is the ASCII-width point.
    FullStop,
    /// （一）、 or （1）、 or ①、: nothing may follow a bracket.
    AfterBracket,
    /// 第一、 首先、 (should be a comma)
    OrdinalDun,
    /// half-width brackets (1)
    HalfBrackets,
    /// 一. 一． 一， (should be 一、)
    HanNotDun,
}

/// A marker found in a line. Columns are chars within the line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MarkerHit {
    pub family: Family,
    /// 1-based number; 0 for 最后 (the last of a 首先 series, number unknown).
    pub number: u32,
    pub start: u32,
    /// End of the marker including its punctuation.
    pub end: u32,
    /// End of the headline: the first 。！？； after the marker, or the line end.
    pub headline_end: u32,
    /// The punctuation that follows the marker (span `punct_start..end`).
    pub punct: MarkerPunct,
    pub punct_start: u32,
    pub inline: bool,
    /// For an inline marker: the clause boundary it follows (。；：！？ or ，).
    pub after: Option<char>,
    /// For an inline marker: where the clause before it starts (after the last 。！？；
    /// before it; None: at the paragraph's start). The text between is what introduces
    /// a list the marker opens.
    pub clause_start: Option<u32>,
    /// 字数 of the line before the marker (section lengths are sums of these).
    pub counted_before: u32,
    /// Marker + headline, shortened: the outline name.
    pub name: String,
}

/// Arabic marker numbers: one or two digits, not zero.
fn parse_arabic(chars: &[char]) -> Option<(u32, usize)> {
    numerals::parse_arabic(chars, 2).filter(|&(n, _)| n > 0)
}

const CLAUSE_END: [char; 4] = ['。', '！', '？', '；'];

/// Sentence-level punctuation after which an inline marker may start a clause; also
/// half-width, as texts copied from web pages write it (关键词:一是……).
fn is_clause_boundary(c: char) -> bool {
    matches!(c, '。' | '；' | '：' | '！' | '？' | ';' | ':' | '!' | '?')
}

fn headline_end(chars: &[char], from: usize) -> u32 {
    chars[from..]
        .iter()
        .position(|c| CLAUSE_END.contains(c))
        .map(|p| from + p)
        .unwrap_or(chars.len()) as u32
}

/// A marker shape recognised at `at` (without position context).
struct Shape {
    family: Family,
    number: u32,
    /// chars of the marker proper
    body: usize,
    /// chars of punctuation after it
    punct_len: usize,
    punct: MarkerPunct,
}

fn ordinal_punct(c: Option<&char>) -> Option<(usize, MarkerPunct)> {
    match c {
        Some('，') | Some(',') | Some('：') => Some((1, MarkerPunct::Standard)),
        Some('、') => Some((1, MarkerPunct::OrdinalDun)),
        _ => None,
    }
}

fn bracket_suffix(chars: &[char], at: usize) -> (usize, MarkerPunct) {
    match chars.get(at) {
        Some('、') | Some('.') | Some('．') | Some('，') => (1, MarkerPunct::AfterBracket),
        _ => (0, MarkerPunct::Standard),
    }
}

#[inline(always)]
fn shape_at(chars: &[char], at: usize, paragraph_start: bool) -> Option<Shape> {
    // Most clauses start with no marker: told here, inlined into the callers, without
    // the call of `shape_of`.
    if !may_start_marker(*chars.get(at)?) {
        return None;
    }
    shape_of(chars, at, paragraph_start)
}

/// `shape_at`, for a first char that `may_start_marker` (a call of its own: inlined,
/// it made its callers' rejections dearer).
#[inline(never)]
fn shape_of(chars: &[char], at: usize, paragraph_start: bool) -> Option<Shape> {
    let rest = &chars[at..];
    let first = *rest.first()?;
    // 第一，
    if first == '第' {
        let (n, len) = parse_han_numeral(&rest[1..])?;
        let (punct_len, punct) = ordinal_punct(rest.get(1 + len))?;
        // 第一、第三产业, 第二、三产业: ordinals joined in a phrase, the later one
        // higher, not a point (第二、一定要 is one).
        let after = rest.get(2 + len..).unwrap_or(&[]);
        let ordinal = after.strip_prefix(&['第']).unwrap_or(after);
        if punct == MarkerPunct::OrdinalDun
            && parse_han_numeral(ordinal).is_some_and(|(m, _)| m > n)
        {
            return None;
        }
        return Some(Shape {
            family: Family::Di,
            number: n,
            body: 1 + len,
            punct_len,
            punct,
        });
    }
    // 其一，
    if first == '其' {
        if let Some((n, len)) = parse_han_numeral(&rest[1..]).filter(|&(_, len)| len == 1) {
            let (punct_len, punct) = ordinal_punct(rest.get(1 + len))?;
            return Some(Shape {
                family: Family::Qi,
                number: n,
                body: 1 + len,
                punct_len,
                punct,
            });
        }
    }
    // 首先， 其次， 再次， 最后，
    for (word, n) in [
        (['首', '先'], 1),
        (['其', '次'], 2),
        (['再', '次'], 3),
        (['最', '后'], 0),
    ] {
        if rest.starts_with(&word) {
            let (punct_len, punct) = ordinal_punct(rest.get(2))?;
            return Some(Shape {
                family: Family::Shouxian,
                number: n,
                body: 2,
                punct_len,
                punct,
            });
        }
    }
    // 一方面 / 另一方面
    if rest.starts_with(&['一', '方', '面']) {
        return Some(Shape {
            family: Family::Fangmian,
            number: 1,
            body: 3,
            punct_len: 0,
            punct: MarkerPunct::Standard,
        });
    }
    if rest.starts_with(&['另', '一', '方', '面']) {
        return Some(Shape {
            family: Family::Fangmian,
            number: 2,
            body: 4,
            punct_len: 0,
            punct: MarkerPunct::Standard,
        });
    }
    // （一） （1） (1)
    if first == '（' || first == '(' {
        let close = if first == '（' { '）' } else { ')' };
        let inner = &rest[1..];
        let (family, n, len) = if let Some((n, len)) = parse_han_numeral(inner) {
            (Family::HanParen, n, len)
        } else {
            let (n, len) = parse_arabic(inner)?;
            (Family::ArabicParen, n, len)
        };
        if inner.get(len) != Some(&close) {
            return None;
        }
        let body = len + 2;
        let (punct_len, mut punct) = bracket_suffix(rest, body);
        if first == '(' && punct == MarkerPunct::Standard {
            punct = MarkerPunct::HalfBrackets;
        }
        return Some(Shape {
            family,
            number: n,
            body,
            punct_len,
            punct,
        });
    }
    // ①..⑳
    if ('\u{2460}'..='\u{2473}').contains(&first) {
        let n = first as u32 - 0x2460 + 1;
        let (punct_len, punct) = bracket_suffix(rest, 1);
        return Some(Shape {
            family: Family::Circled,
            number: n,
            body: 1,
            punct_len,
            punct,
        });
    }
    // 1. 1． 1、 (paragraph start only; not a decimal like 1.5)
    if let Some((shape, next)) = arabic_shape(rest) {
        if !paragraph_start || next.is_none_or(is_digit) {
            return None;
        }
        return Some(shape);
    }
    // 一、 一是 一要
    let (n, len) = parse_han_numeral(rest)?;
    match rest.get(len) {
        Some('、') if paragraph_start => Some(Shape {
            family: Family::HanDun,
            number: n,
            body: len,
            punct_len: 1,
            punct: MarkerPunct::Standard,
        }),
        // 一. 一． 一，: a heading typed with the wrong mark (一.5 is no number a draft
        // writes, so 二.2024年工作任务 is a heading too).
        Some('.' | '．' | '，') if paragraph_start && rest.len() > len + 1 => Some(Shape {
            family: Family::HanDun,
            number: n,
            body: len,
            punct_len: 1,
            punct: MarkerPunct::HanNotDun,
        }),
        // Not 是否, 是非, nor the idiom 一是一，二是二 (its numeral again, then no word
        // goes on); 二是一以贯之 and 三是一体推进 are points.
        Some('是') => (!followed_by_word(rest, len + 1, &["否", "非"])
            && !repeats_its_numeral(rest, len))
        .then_some(Shape {
            family: Family::Shi,
            number: n,
            body: len + 1,
            punct_len: 0,
            punct: MarkerPunct::Standard,
        }),
        Some('要') => (!followed_by_word(
            rest,
            len + 1,
            // 一要紧扣 is a point; 要紧 as a word only as in 一要紧的事.
            &["素", "求", "点", "件", "务", "害", "紧的", "的", "么"],
        ))
        .then_some(Shape {
            family: Family::Yao,
            number: n,
            body: len + 1,
            punct_len: 0,
            punct: MarkerPunct::Standard,
        }),
        _ => None,
    }
}

/// 1. 1． 1、 at the start of `rest`, and the char after it.
fn arabic_shape(rest: &[char]) -> Option<(Shape, Option<char>)> {
    let (n, len) = parse_arabic(rest)?;
    let punct = match rest.get(len)? {
        '.' => MarkerPunct::Standard,
        '．' => MarkerPunct::FullStop,
        '、' => MarkerPunct::ArabicDun,
        _ => return None,
    };
    let shape = Shape {
        family: Family::Arabic,
        number: n,
        body: len,
        punct_len: 1,
        punct,
    };
    Some((shape, rest.get(len + 1).copied()))
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// A paragraph that opens with a number and a marker's mark before a digit (20.2026年
/// 10件民生实事, 21.5+2就业之家): a decimal number to `paragraph_marker`, but a point
/// where a list of 1. 2. … expects that number (`outline` decides).
pub fn number_led_marker(chars: &[char], indent: usize) -> Option<MarkerHit> {
    let (shape, next) = arabic_shape(chars.get(indent..)?)?;
    next.filter(|&c| is_digit(c))?;
    Some(opening_hit(shape, chars, indent))
}

/// Whether a marker of any shape (`shape_at`) may start with `c`: most clauses start
/// with none of these, and one test rejects them.
fn may_start_marker(c: char) -> bool {
    matches!(c,
        '第' | '其' | '首' | '再' | '最' | '另' | '十' | '（' | '('
        | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九'
        | '\u{2460}'..='\u{2473}' | '0'..='9' | '０'..='９')
}

/// 一要素, 三要点, 二是否: words, not markers.
/// `rest` reads numeral, 是, the same numeral, then no Han char: 一是一，二是二.
fn repeats_its_numeral(rest: &[char], len: usize) -> bool {
    rest.get(len + 1..len + 1 + len) == Some(&rest[..len])
        && !rest
            .get(len * 2 + 1)
            .is_some_and(|&c| crate::text::is_han(c))
}

fn followed_by_word(rest: &[char], at: usize, words: &[&str]) -> bool {
    let tail = rest.get(at..).unwrap_or(&[]);
    words.iter().any(|w| {
        let mut t = tail.iter();
        w.chars().all(|c| t.next() == Some(&c))
    })
}

/// The marker of `shape` at `at`; `counted_before`: the counted chars before `at`.
fn hit(
    shape: Shape,
    chars: &[char],
    at: usize,
    after: Option<char>,
    counted_before: u32,
) -> MarkerHit {
    let inline = after.is_some();
    let clause_start = if inline {
        chars[..at.saturating_sub(1)]
            .iter()
            .rposition(|c| matches!(c, '。' | '！' | '？' | '；'))
            .map(|p| p as u32 + 1)
    } else {
        None
    };
    let punct_start = (at + shape.body) as u32;
    let end = punct_start + shape.punct_len as u32;
    let headline_end = headline_end(chars, end as usize).max(end);
    MarkerHit {
        family: shape.family,
        number: shape.number,
        start: at as u32,
        end,
        headline_end,
        punct: shape.punct,
        punct_start,
        inline,
        after,
        clause_start,
        counted_before,
        name: name(
            &chars[at..end as usize],
            &chars[end as usize..headline_end as usize],
        ),
    }
}

/// The outline name of a marker: `shorten(marker + headline.trim(), NAME_MAX)`,
/// copying no more of a long headline than the name keeps. A marker starts with no
/// space, so the name starts where the marker does.
fn name(marker: &[char], headline: &[char]) -> String {
    use super::outline::{shorten, NAME_MAX};
    debug_assert!(marker.first().is_none_or(|c| !c.is_whitespace()));
    let lead = headline.iter().take_while(|c| c.is_whitespace()).count();
    let headline = &headline[lead..];
    let trail = headline
        .iter()
        .rev()
        .take_while(|c| c.is_whitespace())
        .count();
    let headline = &headline[..headline.len() - trail];
    if headline.is_empty() {
        let marker: String = marker.iter().collect();
        return shorten(&marker, NAME_MAX);
    }
    if marker.len() + headline.len() <= NAME_MAX {
        // Starts and ends with a char that is not a space, and is short enough.
        return marker.iter().chain(headline).collect();
    }
    // Longer than a name, and ending in a char that is not a space.
    let mut out: String = marker.iter().chain(headline).take(NAME_MAX).collect();
    out.push('…');
    out
}

/// The marker that opens a paragraph (after its indentation), if any.
pub fn paragraph_marker(chars: &[char], indent: usize) -> Option<MarkerHit> {
    let shape = shape_at(chars, indent, true)?;
    // 一方面 opens clauses, not paragraphs, in real speeches; still accept it.
    Some(opening_hit(shape, chars, indent))
}

/// The marker of `shape` that opens the paragraph at `indent`.
fn opening_hit(shape: Shape, chars: &[char], indent: usize) -> MarkerHit {
    let counted_before = super::stats::count_chars_in(&chars[..indent]);
    hit(shape, chars, indent, None, counted_before)
}

/// Candidate markers at clause starts inside a paragraph (after `from`). The outline
/// decides which of them really continue or start a run. After a comma only the
/// markers of running enumerations count (“一是……，二是……”; “为了解决这个问题，第一，
/// ……”; 其一; 首先), and the outline takes them only to continue a run or to start one
/// at 1.
///
/// `others` are the positions of the chars that are not Han ideographs
/// (`text::LineIndex`): clause boundaries and commas are among them.
pub fn inline_markers(chars: &[char], others: &[u32], from: usize) -> Vec<MarkerHit> {
    let mut hits: Vec<MarkerHit> = Vec::new();
    // Boundaries before `next` are inside a marker found already.
    let mut next = from;
    // The counted chars before `counted_to`, carried from marker to marker.
    let (mut counted_to, mut counted) = (0, 0);
    for &i in others {
        let i = i as usize;
        if i < next {
            continue;
        }
        let comma = matches!(chars[i], '，' | ',');
        // 一是……、二是……、三是……: points of a run joined by pause marks, as local texts
        // often write them. Only a later point of the 是 family, which goes on with a run
        // (a pause mark before 一是 parts items, not points).
        let dun = chars[i] == '、';
        if !(is_clause_boundary(chars[i]) || comma || dun) {
            continue;
        }
        let mut at = i + 1;
        // A boundary followed by an opening quote does not start a marker clause.
        while at < chars.len() && chars[at].is_whitespace() {
            at += 1;
        }
        let Some(shape) = shape_at(chars, at, false) else {
            continue;
        };
        let family_ok = if dun {
            shape.family == Family::Shi && shape.number >= 2
        } else if comma {
            matches!(
                shape.family,
                Family::Shi | Family::Yao | Family::Di | Family::Qi | Family::Shouxian
            )
        } else {
            inline_family(shape.family, chars[i])
        };
        if family_ok {
            counted += super::stats::count_chars_in(&chars[counted_to..at]);
            counted_to = at;
            // Items joined by commas (一是…，二是…。): the one before ends at this comma,
            // not at the end of the sentence that holds them all.
            if let Some(before) = hits.last_mut().filter(|h| h.headline_end as usize > i) {
                end_headline_at(before, chars, i);
            }
            let h = hit(shape, chars, at, Some(chars[i]), counted);
            next = h.end as usize;
            hits.push(h);
        }
    }
    hits
}

/// Cuts a marker's headline (and its outline name) at char `at`.
fn end_headline_at(h: &mut MarkerHit, chars: &[char], at: usize) {
    h.headline_end = (at as u32).max(h.end);
    h.name = name(
        &chars[h.start as usize..h.end as usize],
        &chars[h.end as usize..h.headline_end as usize],
    );
}

/// The families a marker inside a paragraph may be of, after `boundary`.
fn inline_family(f: Family, boundary: char) -> bool {
    match f {
        Family::HanDun | Family::Arabic => false,
        // After a sentence's end the points of a paragraph run on (……。（二）深化作风
        // 建设。); after other marks （二） cites a part of something named before (第三
        // 条：（二）).
        Family::HanParen => matches!(boundary, '。' | '！' | '？'),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    /// Names as `shorten(marker + headline.trim())` made them, for headlines around the
    /// name's length, with spaces where the cut falls.
    #[test]
    fn names_are_the_shortened_marker_and_headline() {
        let long = "加强党的全面领导".repeat(10);
        let spaced: String = long.chars().take(59).chain("  甲乙".chars()).collect();
        for headline in [
            "",
            "  ",
            " 总体要求 ",
            "总体要求",
            &long,
            &spaced,
            &long[..long.len() - 3],
        ] {
            for marker in ["一、", "第一，", "（1）"] {
                let old = super::super::outline::shorten(
                    &format!("{marker}{}", headline.trim()),
                    super::super::outline::NAME_MAX,
                );
                assert_eq!(
                    name(&chars(marker), &chars(headline)),
                    old,
                    "{marker}{headline}"
                );
            }
        }
    }

    /// Every char that starts a marker passes `may_start_marker`.
    #[test]
    fn markers_start_with_the_chars_let_through() {
        for c in (0u32..0x3_0000).filter_map(char::from_u32) {
            for tail in [
                "、",
                "是",
                "要",
                "，",
                "）",
                ")",
                "．x",
                "先，",
                "次，",
                "后，",
                "一，",
                "方面",
                "一方面",
                "1）",
                "一）",
                "1)",
                "1．x",
                "十）",
            ] {
                let chars: Vec<char> = std::iter::once(c).chain(tail.chars()).collect();
                for paragraph_start in [true, false] {
                    if shape_at(&chars, 0, paragraph_start).is_some() {
                        assert!(may_start_marker(c), "{c}{tail}");
                    }
                }
            }
        }
    }

    fn others(chars: &[char]) -> Vec<u32> {
        crate::text::LineIndex::of(chars).others
    }

    fn para(s: &str) -> Option<(Family, u32, MarkerPunct)> {
        paragraph_marker(&chars(s), 0).map(|h| (h.family, h.number, h.punct))
    }

    #[test]
    fn paragraph_markers_of_every_style() {
        use Family::*;
        use MarkerPunct::*;
        assert_eq!(para("一、总体要求"), Some((HanDun, 1, Standard)));
        assert_eq!(para("二十三、其他"), Some((HanDun, 23, Standard)));
        assert_eq!(para("（十一）加强"), Some((HanParen, 11, Standard)));
        assert_eq!(para("（一）、加强"), Some((HanParen, 1, AfterBracket)));
        assert_eq!(para("1.抓统筹"), Some((Arabic, 1, Standard)));
        assert_eq!(para("12．抓统筹"), Some((Arabic, 12, FullStop)));
        assert_eq!(para("3、抓统筹"), Some((Arabic, 3, ArabicDun)));
        assert_eq!(para("（2）政策"), Some((ArabicParen, 2, Standard)));
        assert_eq!(para("(2)政策"), Some((ArabicParen, 2, HalfBrackets)));
        assert_eq!(para("③小项"), Some((Circled, 3, Standard)));
        assert_eq!(para("第一，要统一思想"), Some((Di, 1, Standard)));
        assert_eq!(para("第十二、要"), Some((Di, 12, OrdinalDun)));
        assert_eq!(para("一是知责。"), Some((Shi, 1, Standard)));
        assert_eq!(para("四要巩固"), Some((Yao, 4, Standard)));
        assert_eq!(para("首先，要"), Some((Shouxian, 1, Standard)));
        assert_eq!(para("最后，"), Some((Shouxian, 0, Standard)));
        assert_eq!(para("其二，"), Some((Qi, 2, Standard)));
    }

    #[test]
    fn words_are_not_markers() {
        for s in [
            "统一是前提",
            "唯一是",
            "统一要求",
            "进一步要求",
            "第一次会议",
            "第一书记讲话",
            "1.5亿元",
            "2024年",
            "一要素",
            "是否",
            "（2024）",
            "第一要务是发展",
            "第一、第三产业增加值分别增长3.1%、5.1%",
            "第二、三产业协调发展",
        ] {
            assert_eq!(para(s), None, "{s}");
        }
        assert!(para("第一、加强领导").is_some());
        assert!(para("第二、一定要用在生产建设上").is_some());
        // inline scan only at clause starts
        let line = chars("我们要统一思想，统一是关键。进一步要加强。第一次会议，第一、第三产业");
        assert!(inline_markers(&line, &others(&line), 0).is_empty());
    }

    #[test]
    fn inline_markers_at_clause_starts() {
        let line = chars("二要强化责任。一是知责。站在高度；二是明责：三是履责。");
        let hits = inline_markers(&line, &others(&line), 3);
        let got: Vec<_> = hits.iter().map(|h| (h.family, h.number)).collect();
        assert_eq!(
            got,
            vec![(Family::Shi, 1), (Family::Shi, 2), (Family::Shi, 3)]
        );
        assert_eq!(hits[0].headline_end, 11);
    }

    #[test]
    fn yao_before_a_verb_with_jin() {
        let hit = paragraph_marker(&chars("三要紧扣“深”字，突出剖根源。"), 0);
        assert_eq!(hit.map(|h| (h.family, h.number)), Some((Family::Yao, 3)));
        assert!(paragraph_marker(&chars("三要素齐备。"), 0).is_none());
    }

    #[test]
    fn items_joined_by_commas_end_at_the_next_item() {
        let line = chars("二、深化排查。一是抓好危化品安全，二是抓好矿山安全，做到不留死角。");
        let hits = inline_markers(&line, &others(&line), 3);
        let names: Vec<_> = hits.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(
            names,
            ["一是抓好危化品安全", "二是抓好矿山安全，做到不留死角"]
        );
        assert_eq!(hits[0].headline_end, 16);
    }
}
