//! What a sentence says of the year it speaks of: 今年是新中国成立77周年 makes this
//! year 1949 + 77; 今年是“十五五”开局之年 makes it the plan's first year. A draft
//! copied from last year's keeps such claims unchanged; `rules::year_mismatch` holds
//! them against the draft's date.
//!
//! A claim is read only where a sentence says which year it means (今年, 明年, 去年,
//! 今天, or the year itself: 2025年, 二〇二五年) and the clause of the claim states it
//! (是, 恰逢, 适逢, 正值, 迎来): 今年要谋划好“十五五”开局之年的工作 or 今年学习……在
//! 庆祝建党100周年大会上的讲话 claim nothing about this year. A claim about a year
//! written out is checked against that year, whatever the draft's date. A plan's
//! opening set as a goal (为“十五五”开好局) speaks of its year without naming it
//! (`find_ahead`), and so does a yearly day ahead (在第40个教师节到来之际,
//! `find_upcoming`).

use crate::knowledge::events::events;
use crate::text::date::year_at;
use crate::text::numerals::{digit_value, han_digit, parse_whole};
use crate::text::{word_at, word_ends_at};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimKind {
    /// `years` after event `event` of `knowledge::events` (N周年).
    Anniversary { event: u16, years: u32 },
    /// Year `position` (1 to 5) of plan `plan` (the plan's number, 14 for “十四五”).
    Plan { plan: u32, position: u32 },
    /// The `nth` of yearly day `observance` of `knowledge::events` (第40个教师节).
    Observance { observance: u16, nth: u32 },
}

/// A claim about a year, in columns (chars) of its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearClaim {
    /// From the event's name to 周年, or from the plan's name to the position's word.
    pub start: u32,
    pub end: u32,
    /// The count of years, or the plan's name: what a fix replaces.
    pub number_start: u32,
    pub number_end: u32,
    /// The year the sentence speaks of.
    pub anchor: Anchor,
    pub kind: ClaimKind,
}

/// How a sentence names the year it speaks of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// From the draft's year: 0 for 今年 (and 今天), 1 for 明年, -1 for 去年.
    Relative(i8),
    /// The year written out: 2025年, 二〇二五年.
    Year(u16),
    /// A plan's opening as a goal (确保“十五五”开好局): the draft's year, or the next
    /// one for a draft written at the end of the year before.
    Ahead,
    /// A yearly day about to come (在第40个教师节到来之际): the next one after the
    /// draft's date, judged only in a draft dated shortly before it.
    Next,
}

impl YearClaim {
    /// The year this claim gives the year the sentence speaks of, where its data is
    /// known.
    pub fn claimed_year(&self) -> Option<i32> {
        let year = match self.kind {
            ClaimKind::Anniversary { event, years } => {
                events().event.get(event as usize)?.year + years as i32
            }
            ClaimKind::Plan { plan, position } => {
                events().plan(plan)?.first_year + position as i32 - 1
            }
            ClaimKind::Observance { observance, nth } => {
                events().observance.get(observance as usize)?.first_year + nth as i32 - 1
            }
        };
        Some(year)
    }
}

/// The sentence ends that end what a 今年 speaks of.
fn ends_sentence(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';')
}

/// The clause boundaries a claim's verb is looked for back to.
fn ends_clause(c: char) -> bool {
    ends_sentence(c) || matches!(c, '，' | ',' | '：' | ':')
}

/// Words that say which year a sentence speaks of, with the offset from the draft's.
const ANCHORS: [(&str, i8); 3] = [("今年", 0), ("明年", 1), ("去年", -1)];

/// Words that say a sentence speaks of the day of the speech or one beside it, so of its
/// year (今天是中国共产党成立105周年纪念日, 明天是……胜利80周年纪念日).
const DAY_ANCHORS: [&str; 6] = ["今天", "今日", "明天", "明日", "昨天", "昨日"];

/// Words after which a sentence no longer speaks of the year its 今年 named.
const OTHER_YEARS: [&str; 7] = ["当年", "那年", "同年", "前年", "后年", "上年", "每年"];

/// The verbs that state a claim of the year (今年是……, 今年恰逢……, 今年我们迎来……).
const STATING: [&str; 5] = ["是", "恰逢", "适逢", "正值", "迎来"];

/// What follows N周年 when it names a meeting held then (在庆祝……100周年大会上).
const MEETINGS: [&str; 7] = [
    "大会",
    "会上",
    "座谈会",
    "纪念会",
    "招待会",
    "报告会",
    "讲话",
];

/// A plan's year by the words for it: 开局之年 is its first, 收官之年 its fifth.
const POSITIONS: [(&str, u32); 13] = [
    ("开局起步之年", 1),
    ("开局之年", 1),
    ("起步之年", 1),
    ("开局年", 1),
    ("头一年", 1),
    ("第一年", 1),
    ("第二年", 2),
    ("第三年", 3),
    ("第四年", 4),
    ("第五年", 5),
    ("收官之年", 5),
    ("收官年", 5),
    ("最后一年", 5),
];

/// Words that may stand between a plan's name and its year (“十五五”规划实施的开局之年).
const PLAN_WORDS: &str = "规划计划时期实施目标任务的”’\"";

/// The words that make a plan's opening or close a goal when they follow its name
/// (“十五五”开好局、起好步, 实现良好开局; “十四五”圆满收官), with the plan's year they
/// speak of.
const GOALS: [(&str, u32); 6] = [
    ("开好局", 1),
    ("起好步", 1),
    ("良好开局", 1),
    ("开局起步", 1),
    ("圆满收官", 5),
    ("收好官", 5),
];

/// The words in the clause before a plan's name that strive for its opening (确保
/// “十五五”实现良好开局); not with 了 after them (确保了, a look back). 为 too, right
/// before the name (为“十五五”开好局).
const STRIVING: [&str; 7] = ["确保", "力争", "奋力", "推动", "努力", "全力", "保障"];

/// Words between a plan's name and its opening's words (“十五五”规划实现良好开局).
const OPENING_BEFORE: [&str; 2] = ["实现", "赢得"];

/// Whether `text` may hold a plan's opening as a goal (`find_ahead`): a vectorised
/// search for the words, most lines hold none.
pub fn may_hold_goals(text: &str) -> bool {
    // Every plan's name ends in 五 (十五五): one search first.
    static FIVE: std::sync::OnceLock<memchr::memmem::Finder<'static>> = std::sync::OnceLock::new();
    let five = FIVE.get_or_init(|| memchr::memmem::Finder::new("五"));
    if five.find(text.as_bytes()).is_none() {
        return false;
    }
    static FINDERS: std::sync::OnceLock<[memchr::memmem::Finder<'static>; GOALS.len()]> =
        std::sync::OnceLock::new();
    let finders =
        FINDERS.get_or_init(|| GOALS.map(|(w, _)| memchr::memmem::Finder::new(w.as_bytes())));
    finders.iter().any(|f| f.find(text.as_bytes()).is_some())
}

/// A plan's opening or close as a goal of the year (为“十五五”开好局、起好步, 确保“十五五”
/// 实现良好开局, 为“十四五”圆满收官): that year of the plan is the draft's or the next. Not in a sentence that names
/// another year (2021年, 去年, 当年: a look back), nor in quotes or a title.
pub fn find_ahead(chars: &[char]) -> Vec<YearClaim> {
    let mut out = Vec::new();
    let mut sentence_start = 0;
    let mut quote_depth = 0i32;
    for at in 0..chars.len() {
        match chars[at] {
            '《' => quote_depth += 1,
            '》' => quote_depth -= 1,
            c if ends_sentence(c) => sentence_start = at + 1,
            '六' | '七' | '八' | '九' | '十' if quote_depth <= 0 => {
                if let Some(claim) = plan_as_goal(chars, sentence_start, at) {
                    out.push(claim);
                }
            }
            _ => {}
        }
    }
    out
}

/// The plan named at `at` with its opening's words after it and a striving word before
/// it in its clause, in a sentence (from `sentence_start`) that names no other year.
fn plan_as_goal(chars: &[char], sentence_start: usize, at: usize) -> Option<YearClaim> {
    let (plan, len) = plan_name(chars, at)?;
    events().plan(plan)?;
    let mut k = at + len;
    // 实 of 实现 is also 实施's.
    let before_opening = |k: usize| OPENING_BEFORE.iter().find(|w| word_at(chars, k, w));
    while k < chars.len()
        && k < at + len + 4
        && before_opening(k).is_none()
        && PLAN_WORDS.contains(chars[k])
    {
        k += 1;
    }
    if let Some(w) = before_opening(k) {
        k += w.chars().count();
    }
    let &(goal, position) = GOALS.iter().find(|(w, _)| word_at(chars, k, w))?;
    let clause_start = chars[..at]
        .iter()
        .rposition(|&c| ends_clause(c))
        .map_or(0, |p| p + 1)
        .max(sentence_start);
    let quoted = at > 0 && matches!(chars[at - 1], '“' | '‘');
    let name_start = at - usize::from(quoted);
    let striving = name_start > clause_start && chars[name_start - 1] == '为'
        || (clause_start..name_start).any(|p| {
            STRIVING
                .iter()
                .any(|w| word_at(chars, p, w) && chars.get(p + w.chars().count()) != Some(&'了'))
        });
    let sentence_end = chars[at..]
        .iter()
        .position(|&c| ends_sentence(c))
        .map_or(chars.len(), |p| at + p);
    let goal_end = k + goal.chars().count();
    if !striving
        || names_another_year(&chars[sentence_start..sentence_end])
        || looks_back(chars, sentence_start, goal_end, sentence_end)
    {
        return None;
    }
    Some(YearClaim {
        start: at as u32,
        end: (k + goal.chars().count()) as u32,
        number_start: at as u32,
        number_end: (at + len) as u32,
        anchor: Anchor::Ahead,
        kind: ClaimKind::Plan { plan, position },
    })
}

/// Words that make a sentence a look back at a past year (过去的一年，我们……为“十四五”
/// 圆满收官贡献了力量).
const LOOKING_BACK: [&str; 3] = ["过去", "一年来", "回顾"];

/// Whether the sentence (from `start` to `end`) of a goal ending at `goal_end` looks
/// back: a word of the past, or a 了 in the goal's clause after it (为“十四五”圆满收官
/// 贡献了力量: the goal was reached).
fn looks_back(chars: &[char], start: usize, goal_end: usize, end: usize) -> bool {
    let clause_end = chars[goal_end..end]
        .iter()
        .position(|&c| ends_clause(c))
        .map_or(end, |p| goal_end + p);
    chars[goal_end..clause_end].contains(&'了')
        || (start..end).any(|k| LOOKING_BACK.iter().any(|w| word_at(chars, k, w)))
}

/// Whether a sentence names a year other than the draft's or the next: written out
/// (2021年), or 去年, 当年 and the like.
fn names_another_year(sentence: &[char]) -> bool {
    (0..sentence.len()).any(|i| {
        sentence[i] == '年'
            && (year_written_before(sentence, i).is_some()
                || word_ends_at(sentence, i + 1, "去年")
                || OTHER_YEARS.iter().any(|w| word_ends_at(sentence, i + 1, w)))
    })
}

/// The claims of one line. `chars` are the line's; the caller looks only at lines
/// holding 年 (`Marks`).
pub fn find(chars: &[char]) -> Vec<YearClaim> {
    let mut out = Vec::new();
    let mut anchor: Option<Anchor> = None;
    let mut quote_depth = 0i32;
    let mut i = 0;
    while i < chars.len() {
        if anchor.is_none() {
            // Nothing is read before a 今年: on to the next 年, 天, 日 or title mark.
            match chars[i..]
                .iter()
                .position(|&c| matches!(c, '年' | '天' | '日' | '《' | '》'))
            {
                Some(k) => i += k,
                None => break,
            }
        }
        let c = chars[i];
        match c {
            '《' => quote_depth += 1,
            '》' => quote_depth -= 1,
            _ if ends_sentence(c) => anchor = None,
            _ => {}
        }
        if c == '年' {
            if let Some(&(_, offset)) = ANCHORS.iter().find(|(w, _)| word_ends_at(chars, i + 1, w))
            {
                anchor = Some(Anchor::Relative(offset));
            } else if let Some(year) = year_written_before(chars, i) {
                anchor = year.map(Anchor::Year);
            } else if OTHER_YEARS.iter().any(|w| word_ends_at(chars, i + 1, w)) {
                anchor = None;
            }
        } else if matches!(c, '天' | '日')
            && DAY_ANCHORS.iter().any(|w| word_ends_at(chars, i + 1, w))
        {
            anchor = Some(Anchor::Relative(0));
        }
        if let (Some(anchor), true) = (anchor, quote_depth <= 0) {
            let claim = match c {
                '周' => anniversary_at(chars, i, anchor),
                '六' | '七' | '八' | '九' | '十' => plan_at(chars, i, anchor),
                '第' => observance_at(chars, i, anchor),
                _ => None,
            };
            if let Some(claim) = claim {
                // A yearly day's count needs no 是: 今年第40个教师节期间 says it too.
                let observance = matches!(claim.kind, ClaimKind::Observance { .. });
                if observance || stated(chars, claim.start as usize) {
                    out.push(claim);
                }
                i = claim.end as usize;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// The year written in the four digits before the 年 at `at` (2025年, 二〇二五年):
/// `Some(Some(year))`; `Some(None)` for four Arabic digits that are no year a claim may
/// be held against (a fifth digit before them); `None` for no four digits.
fn year_written_before(chars: &[char], at: usize) -> Option<Option<u16>> {
    let from = at.checked_sub(4)?;
    let longer = from > 0 && is_numeral(chars[from - 1]);
    if let Some(year) = year_at(chars, from) {
        return Some((!longer).then_some(year));
    }
    chars[from..at]
        .iter()
        .all(|&d| digit_value(d).is_some())
        .then_some(None)
}

/// Whether `text` names a year (今年, 明年, 去年, 2025年, 今天) and has a 年 of a claim
/// after it (周年, 开局之年): only then may it hold a claim. A vectorised search for 年,
/// as most lines of a report hold one (2026年).
pub fn may_hold_claims(text: &str) -> bool {
    static YEAR: std::sync::OnceLock<memchr::memmem::Finder<'static>> = std::sync::OnceLock::new();
    let bytes = text.as_bytes();
    // A year written out before, or a day named anywhere (looked for only when needed:
    // most 年 of a report follow digits).
    let mut year_before = false;
    let mut day_named: Option<bool> = None;
    YEAR.get_or_init(|| memchr::memmem::Finder::new("年"))
        .find_iter(bytes)
        .any(|at| {
            let through = &text[..at + '年'.len_utf8()];
            if ANCHORS.iter().any(|(w, _)| through.ends_with(w)) {
                return true;
            }
            // A year written out: 2025年, 二〇二五年.
            let digit = text[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_digit() || han_digit(c).is_some());
            if digit {
                year_before = true;
                return false;
            }
            year_before
                || *day_named.get_or_insert_with(|| {
                    DAY_ANCHORS
                        .iter()
                        .any(|w| memchr::memmem::find(bytes, w.as_bytes()).is_some())
                })
        })
}

/// Whether the clause before `start` states the claim (是, 恰逢 …).
fn stated(chars: &[char], start: usize) -> bool {
    let from = chars[..start]
        .iter()
        .rposition(|&c| ends_clause(c))
        .map_or(0, |p| p + 1);
    (from..start).any(|k| STATING.iter().any(|w| word_at(chars, k, w)))
}

/// The words a speech's title opens with when it names the occasion the speech is
/// given at (在庆祝中国共产党成立105周年大会上的讲话).
const OCCASIONS: [&str; 4] = ["在庆祝", "在纪念", "庆祝", "纪念"];

/// The anniversary or yearly day a title names as its occasion (在庆祝中国共产党成立
/// 105周年大会上的讲话, 在全市庆祝第40个教师节大会上的讲话): a claim about the year
/// the speech is given, as 今年是…… is. A title that opens otherwise (学习……在庆祝建党
/// 100周年大会上的重要讲话) names a past meeting, and so does one in 《》.
pub fn find_in_title(chars: &[char]) -> Option<YearClaim> {
    let from = chars.iter().position(|c| !c.is_whitespace())?;
    // 在 and who holds it may come first (在全市庆祝第40个教师节暨表彰大会上的讲话).
    let opens = |k: usize| OCCASIONS.iter().any(|w| word_at(chars, k, w));
    let host = chars[from] == '在' && (from + 1..from + 6).any(opens);
    if !opens(from) && !host {
        return None;
    }
    let quoted = chars.iter().position(|&c| c == '《').unwrap_or(chars.len());
    (from..quoted).find_map(|k| match chars[k] {
        '第' => observance_at(chars, k, Anchor::Relative(0)),
        '周' => event_anniversary(chars, k, Anchor::Relative(0)),
        _ => None,
    })
}

/// Words after a yearly day's name that speak of it as about to come (在第40个教师节
/// 到来之际, 值此第十个全民国家安全教育日来临之际, 第41个教师节即将到来, 前夕).
const UPCOMING: [&str; 5] = ["到来", "来临", "即将", "之际", "前夕"];

/// Whether `text` may hold a yearly day about to come (`find_upcoming`): a vectorised
/// search for 第 and for the words, which most lines lack.
pub fn may_hold_upcoming(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memmem::find(bytes, "第".as_bytes()).is_some()
        && UPCOMING
            .iter()
            .chain(&["迎来"])
            .any(|w| memchr::memmem::find(bytes, w.as_bytes()).is_some())
}

/// Whether `text`, which holds no 年, may still hold a claim: a day named (今天是第十个
/// 全民国家安全教育日) before a count of a yearly day.
pub fn may_hold_day_claims(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memmem::find(bytes, "第".as_bytes()).is_some()
        && DAY_ANCHORS
            .iter()
            .any(|w| memchr::memmem::find(bytes, w.as_bytes()).is_some())
}

/// Yearly days about to come (在第40个教师节到来之际), in a sentence that names no
/// year (2024年, 去年: `find` reads those) and outside titles in 《》.
pub fn find_upcoming(chars: &[char]) -> Vec<YearClaim> {
    let mut out = Vec::new();
    let mut sentence_start = 0;
    let mut quote_depth = 0i32;
    for at in 0..chars.len() {
        match chars[at] {
            '《' => quote_depth += 1,
            '》' => quote_depth -= 1,
            c if ends_sentence(c) => sentence_start = at + 1,
            '第' if quote_depth <= 0 => {
                let Some(claim) = observance_at(chars, at, Anchor::Next) else {
                    continue;
                };
                let end = claim.end as usize;
                // 在第40个教师节到来之际; 我们将迎来第40个教师节.
                let welcomed = word_ends_at(chars, at, "迎来");
                if !welcomed && !UPCOMING.iter().any(|w| word_at(chars, end, w)) {
                    continue;
                }
                let sentence_end = chars[at..]
                    .iter()
                    .position(|&c| ends_sentence(c))
                    .map_or(chars.len(), |p| at + p);
                if !names_another_year(&chars[sentence_start..sentence_end]) {
                    out.push(claim);
                }
            }
            _ => {}
        }
    }
    out
}

/// 第N个 and a yearly day's name at `at` (第40个教师节, 第十个全民国家安全教育日, 第24个
/// 全国“安全生产月”), with its closing quote.
fn observance_at(chars: &[char], at: usize, anchor: Anchor) -> Option<YearClaim> {
    if chars[at] != '第' {
        return None;
    }
    let number_start = at + 1;
    let digits = chars[number_start..]
        .iter()
        .take_while(|&&c| is_numeral(c))
        .count();
    let number_end = number_start + digits;
    if chars.get(number_end) != Some(&'个') {
        return None;
    }
    let nth = parse_whole(&chars[number_start..number_end])?;
    let mut name_at = number_end + 1;
    if word_at(chars, name_at, "全国") && events().observance_at(chars, name_at).is_none() {
        name_at += 2;
    }
    let quoted = matches!(chars.get(name_at), Some('“' | '"' | '‘'));
    name_at += usize::from(quoted);
    let (observance, len) = events().observance_at(chars, name_at)?;
    let mut end = name_at + len;
    if quoted && matches!(chars.get(end), Some('”' | '"' | '’')) {
        end += 1;
    }
    Some(YearClaim {
        start: at as u32,
        end: end as u32,
        number_start: number_start as u32,
        number_end: number_end as u32,
        anchor,
        kind: ClaimKind::Observance {
            observance: observance as u16,
            nth,
        },
    })
}

/// N周年 after an event's name, where 周 is at `at`, unless a meeting of that
/// anniversary follows (在庆祝建党100周年大会上 names a past meeting in prose).
fn anniversary_at(chars: &[char], at: usize, anchor: Anchor) -> Option<YearClaim> {
    let claim = event_anniversary(chars, at, anchor)?;
    (!MEETINGS
        .iter()
        .any(|w| word_at(chars, claim.end as usize, w)))
    .then_some(claim)
}

/// N周年 after an event's name, where 周 is at `at`.
fn event_anniversary(chars: &[char], at: usize, anchor: Anchor) -> Option<YearClaim> {
    if !(chars[at] == '周' && chars.get(at + 1) == Some(&'年')) {
        return None;
    }
    let number_start = chars[..at]
        .iter()
        .rposition(|&c| !is_numeral(c))
        .map_or(0, |p| p + 1);
    let years = parse_whole(&chars[number_start..at])?;
    let (event, name_len) = events().named_before(&chars[..number_start])?;
    // 建国, 建党 and 建军 are also other countries', parties' and armies' (新加坡建国60
    // 周年, 越南共产党建党95周年): only where nothing names whose.
    let name_start = number_start - name_len;
    if name_len <= 2 && name_start > 0 && !may_precede_bare_name(chars[name_start - 1]) {
        return None;
    }
    let end = at + 2;
    Some(YearClaim {
        start: name_start as u32,
        end: end as u32,
        number_start: number_start as u32,
        number_end: at as u32,
        anchor,
        kind: ClaimKind::Anniversary {
            event: event as u16,
            years,
        },
    })
}

/// A plan's name (十四五, with or without quotes) at `at`, followed by the words for
/// one of its years.
fn plan_at(chars: &[char], at: usize, anchor: Anchor) -> Option<YearClaim> {
    let (plan, len) = plan_name(chars, at)?;
    events().plan(plan)?;
    let mut k = at + len;
    let words_end = (k + 8).min(chars.len());
    while k < words_end && PLAN_WORDS.contains(chars[k]) {
        k += 1;
    }
    let &(word, position) = POSITIONS.iter().find(|(w, _)| word_at(chars, k, w))?;
    Some(YearClaim {
        start: at as u32,
        end: (k + word.chars().count()) as u32,
        number_start: at as u32,
        number_end: (at + len) as u32,
        anchor,
        kind: ClaimKind::Plan { plan, position },
    })
}

/// The plan named at `at` (六五 to 九五, 十一五 to 十九五; “十五” is also a number, so
/// the tenth is left out) and the name's length.
fn plan_name(chars: &[char], at: usize) -> Option<(u32, usize)> {
    if at > 0 && is_numeral(chars[at - 1]) {
        return None;
    }
    let digit = |k: usize| chars.get(k).and_then(|&c| han_digit(c)).filter(|&d| d > 0);
    let (number, len) = if chars[at] == '十' {
        (10 + digit(at + 1)?, 3)
    } else {
        (digit(at)?, 2)
    };
    let five = chars.get(at + len - 1) == Some(&'五');
    let after = chars.get(at + len).copied();
    let plain_end = after.is_none_or(|c| !is_numeral(c));
    (five && plain_end && ((6..=9).contains(&number) || number > 10)).then_some((number, len))
}

/// The chars a bare 建国 may follow: a stating verb's last, a conjunction, or no Han
/// char.
fn may_precede_bare_name(c: char) -> bool {
    !crate::text::is_han(c) || "是逢值来也又和及与暨".contains(c)
}

fn is_numeral(c: char) -> bool {
    digit_value(c).is_some() || han_digit(c).is_some() || matches!(c, '十' | '百')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(text: &str) -> Vec<(String, Option<i32>)> {
        claims_by(find, text)
    }

    /// The words and years of the claims `finder` finds in `text`.
    fn claims_by(finder: fn(&[char]) -> Vec<YearClaim>, text: &str) -> Vec<(String, Option<i32>)> {
        let chars: Vec<char> = text.chars().collect();
        finder(&chars)
            .iter()
            .map(|c| {
                let s: String = chars[c.start as usize..c.end as usize].iter().collect();
                (s, c.claimed_year())
            })
            .collect()
    }

    #[test]
    fn anniversaries_and_plans_name_a_year() {
        assert_eq!(
            claims("今年是新中国成立77周年，也是“十五五”开局之年。"),
            [
                ("新中国成立77周年".to_string(), Some(2026)),
                ("十五五”开局之年".to_string(), Some(2026))
            ]
        );
        assert_eq!(
            claims("今年是建国三十周年。"),
            [("建国三十周年".to_string(), Some(1979))]
        );
        assert_eq!(
            claims("明年是“十四五”规划的收官之年。"),
            [("十四五”规划的收官之年".to_string(), Some(2025))]
        );
        assert_eq!(
            claims("今年是实施“十三五”规划的最后一年。"),
            [("十三五”规划的最后一年".to_string(), Some(2020))]
        );
        assert_eq!(
            claims("今年是全面完成“十三五”规划目标任务的收官之年。"),
            [("十三五”规划目标任务的收官之年".to_string(), Some(2020))]
        );
    }

    #[test]
    fn only_a_stated_claim_of_the_year_the_sentence_names() {
        // No 今年, another year, a meeting of that anniversary, a clause that does not
        // state it, a title.
        for text in [
            "新中国成立77周年之际，我们相聚在这里。",
            "今年的任务很重。2021年我们隆重庆祝建党100周年。",
            "2019年是全面建成小康社会关键之年，今年是新加坡建国60周年。",
            "今年以来，我们认真学习在庆祝中国共产党成立100周年大会上的重要讲话。",
            "今年是“十四五”收官之年，也要谋划好“十五五”开局之年的工作。",
            "今年是学习《纪念新中国成立50周年》的一年。",
            "今年是十五年来发展最快的一年。",
            "今年是新加坡建国60周年。",
            "今天，我们在这里隆重集会。12345年是新中国成立77周年。",
        ] {
            let found = claims(text);
            assert!(found.len() <= 1, "{text}: {found:?}");
            assert!(
                found.iter().all(|(s, _)| s.starts_with("十四五")),
                "{text}: {found:?}"
            );
        }
    }

    #[test]
    fn a_plans_opening_as_a_goal_is_a_claim_of_the_year_or_the_next() {
        let ahead = |text: &str| {
            let chars: Vec<char> = text.chars().collect();
            assert!(find_ahead(&chars).iter().all(|c| c.anchor == Anchor::Ahead));
            claims_by(find_ahead, text)
        };
        assert_eq!(
            ahead("全力以赴为“十四五”开好局、起好步。"),
            [("十四五”开好局".to_string(), Some(2021))]
        );
        // A look back at the year the goal was reached.
        assert!(ahead("过去的一年，我们为“十四五”规划圆满收官贡献了政协力量。").is_empty());
        assert!(ahead("全市上下为“十四五”圆满收官作出了积极贡献。").is_empty());
        assert_eq!(
            ahead("确保“十五五”规划实现良好开局。"),
            [("十五五”规划实现良好开局".to_string(), Some(2026))]
        );
        // The line's precheck looks for every goal's words.
        for (goal, _) in GOALS {
            assert!(may_hold_goals(&format!("确保“十五五”{goal}。")), "{goal}");
        }
        assert_eq!(
            ahead("为“十三五”圆满收官作出积极贡献。"),
            [("十三五”圆满收官".to_string(), Some(2020))]
        );
        // A look back, another year, no striving, a title.
        for text in [
            "我们确保了“十四五”开好局。",
            "2021年，我们推动“十四五”实现良好开局。",
            "去年，全市上下为“十五五”开好局打下了基础。",
            "“十四五”实现良好开局。",
            "学习《为“十四五”开好局》一文。",
            "以“十五五”开好局的实际成效检验学习成果。",
        ] {
            assert!(ahead(text).is_empty(), "{text}: {:?}", ahead(text));
        }
    }

    #[test]
    fn a_year_written_out_or_the_day_names_the_year() {
        assert_eq!(
            claims("2021年是中国共产党成立100周年，也是“十四五”开局之年。"),
            [
                ("中国共产党成立100周年".to_string(), Some(2021)),
                ("十四五”开局之年".to_string(), Some(2021))
            ]
        );
        let found = "二〇二五年是抗战胜利80周年。"
            .chars()
            .collect::<Vec<char>>();
        let claim = find(&found)[0];
        assert_eq!(claim.anchor, Anchor::Year(2025));
        let found = "今天是中国共产党成立105周年纪念日。"
            .chars()
            .collect::<Vec<char>>();
        assert_eq!(find(&found)[0].anchor, Anchor::Relative(0));
        let found = "明天，是中国人民抗日战争暨世界反法西斯战争胜利80周年纪念日。"
            .chars()
            .collect::<Vec<char>>();
        assert_eq!(find(&found)[0].anchor, Anchor::Relative(0));
        // Another year written later in the sentence is the one it speaks of.
        let found = "1949年新中国成立，2019年是新中国成立70周年。"
            .chars()
            .collect::<Vec<char>>();
        assert_eq!(find(&found)[0].anchor, Anchor::Year(2019));
        for text in [
            "2021年是中国共产党成立100周年。",
            "二〇二五年是抗战胜利80周年。",
            "今天是中国共产党成立105周年纪念日。",
        ] {
            assert!(may_hold_claims(text), "{text}");
        }
        assert!(!may_hold_claims("2021年的工作很多。"));
    }

    #[test]
    fn a_title_that_names_its_occasion_names_its_year() {
        let claim = |text: &str| {
            let chars: Vec<char> = text.chars().collect();
            find_in_title(&chars).and_then(|c| c.claimed_year())
        };
        assert_eq!(
            claim("在庆祝中国共产党成立104周年暨“两优一先”表彰大会上的讲话"),
            Some(2025)
        );
        assert_eq!(claim("纪念毛泽东同志诞辰130周年座谈会讲话"), Some(2023));
        assert_eq!(
            claim("深入学习习近平总书记在庆祝中国共产党成立100周年大会上的重要讲话"),
            None
        );
        assert_eq!(claim("纪念《在延安文艺座谈会上的讲话》发表80周年"), None);
        assert_eq!(
            claim("在全市庆祝第40个教师节暨优秀教师表彰大会上的讲话"),
            Some(2024)
        );
        assert_eq!(
            claim("在庆祝第三次全县党代会召开暨中国共产党成立104周年大会上的讲话"),
            Some(2025)
        );
    }

    #[test]
    fn a_yearly_days_count_names_its_year() {
        // With the year named, with or without 是.
        assert_eq!(
            claims("今年是第十个全民国家安全教育日。"),
            [("第十个全民国家安全教育日".to_string(), Some(2025))]
        );
        assert_eq!(
            claims("2024年9月10日是第40个教师节，去年第38个教师节我们表彰了一批教师。"),
            [
                ("第40个教师节".to_string(), Some(2024)),
                ("第38个教师节".to_string(), Some(2022))
            ]
        );
        // The day named, with no 年 in the line.
        assert_eq!(
            claims("今天是第十个全民国家安全教育日。"),
            [("第十个全民国家安全教育日".to_string(), Some(2025))]
        );
        // A month in quotes, after 全国.
        assert_eq!(
            claims("今年6月是第24个全国“安全生产月”。"),
            [("第24个全国“安全生产月”".to_string(), Some(2025))]
        );
        // Not a yearly day, not a count of one.
        assert!(claims("今年是第3个五年规划，是第一个教师节。").len() == 1);
        assert!(claims("今年是第十个年头。").is_empty());
    }

    #[test]
    fn a_yearly_day_about_to_come() {
        let upcoming = |text: &str| {
            let chars: Vec<char> = text.chars().collect();
            assert!(find_upcoming(&chars)
                .iter()
                .all(|c| c.anchor == Anchor::Next));
            claims_by(find_upcoming, text)
        };
        for text in [
            "在第40个教师节到来之际，向全市教师致以节日的问候！",
            "值此第40个教师节来临之际，我代表市委向大家致敬。",
            "第40个教师节前夕，市领导走访慰问了优秀教师。",
            "再过十多天，我们将迎来第40个教师节。",
        ] {
            assert_eq!(
                upcoming(text),
                [("第40个教师节".to_string(), Some(2024))],
                "{text}"
            );
        }
        // In a sentence that names its year (`find` reads it), in a title, or with no
        // word of a day to come.
        for text in [
            "2023年第39个教师节到来之际，我们表彰了一批教师。",
            "学习《在第40个教师节到来之际的致信》。",
            "第40个教师节期间，全市表彰了一批优秀教师。",
        ] {
            assert!(upcoming(text).is_empty(), "{text}");
        }
    }
}
