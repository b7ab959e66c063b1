//! Facts about one line (= one paragraph in a speech draft), computed from the line's
//! text alone and cached per line, so an edit re-analyses only the lines it touches.

use super::learned::{self, LearnedCandidate};
use super::markers::{self, MarkerHit};
use super::stats;
use crate::knowledge::{Knowledge, TermHit};
use crate::text::{LineIndex, Marks};
use regex::Regex;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Blank,
    /// A Markdown ATX heading with its level.
    MdHeading(u8),
    /// A Markdown structure that is not prose (fence, table row, rule, list bullet).
    MdOther,
    Text,
}

/// A count the draft announces for a list: “讲四点意见” and “重点抓好四件事：”
/// (forward), or “以上四点意见” (backward); `count` is None for 几点.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Announcement {
    pub start: u32,
    pub end: u32,
    /// The numeral (讲“四”点).
    pub num_start: u32,
    pub num_end: u32,
    pub count: Option<u32>,
    pub backward: bool,
    /// The count introduces what follows a colon (“四件事：”) or right after it (以下
    /// 五项工作。, 从四个方面谈, a numbered heading's count), not a speech's points.
    pub before_colon: bool,
}

#[derive(Debug, Clone, Default)]
pub struct LineFacts {
    pub kind: Option<LineKind>,
    /// First column after the indentation.
    pub indent: u32,
    pub len: u32,
    /// The line has characters beyond the BMP (two UTF-16 units each, as 𠮷 or 😀):
    /// without them a column in chars is a column in UTF-16 units.
    pub wide: bool,
    /// 字数 of the line (see `stats`).
    pub counted: u32,
    /// The marker that opens the paragraph.
    pub start_marker: Option<MarkerHit>,
    /// Candidate markers at clause starts inside the paragraph.
    pub inline_markers: Vec<MarkerHit>,
    /// Without a marker: the paragraph opens with a number and a marker's mark before a
    /// digit (20.2026年…), a point only where a list expects the number.
    pub number_led: Option<Box<MarkerHit>>,
    /// Last non-space char.
    pub last_char: Option<char>,
    /// The paragraph ends with sentence-ending punctuation (a closing quote or bracket
    /// counts only after such punctuation: ……。” but not ……党员”).
    pub ends_sentence: bool,
    /// A sentence ends somewhere in the paragraph (。！？): it is prose, whatever its
    /// length, not a heading.
    pub has_stop: bool,
    /// A short standalone line without sentence punctuation: a possible title.
    pub title_like: bool,
    /// The paragraph ends in a word that waits for more (……发展的, ……改革和).
    pub dangling: bool,
    /// A line that belongs to a title block: subtitle, speaker, date.
    pub title_block_like: bool,
    pub terms: Vec<TermHit>,
    pub announcements: Vec<Announcement>,
    pub learned: Vec<LearnedCandidate>,
    /// The line is a date alone (“2024年6月3日”, “（2007年10月15日）”).
    pub date_line: bool,
    /// A salutation standing alone (同志们：, 各位代表：).
    pub salutation: bool,
    /// Which of the marks prechecks ask about the line holds.
    pub marks: Marks,
    /// The column of the one “ the paragraph leaves open, when every other double
    /// quote in it pairs: a quotation that may go on in the next paragraph (see
    /// `open_quote`).
    pub open_quote: Option<u32>,
    /// What the line says of the year it speaks of (今年是新中国成立77周年).
    pub year_claims: Box<[super::year_claim::YearClaim]>,
}

impl LineFacts {
    pub fn kind(&self) -> LineKind {
        self.kind.unwrap_or(LineKind::Blank)
    }
    pub fn is_prose(&self) -> bool {
        self.kind() == LineKind::Text
    }
    pub fn ends_sentence(&self) -> bool {
        self.ends_sentence
    }
    /// A short line ending with a colon (a salutation: 同志们：).
    pub fn colon_short(&self) -> bool {
        self.last_char == Some('：') && self.len - self.indent <= 12
    }
}

/// What the search for where the document pass starts afresh reads of a line, and
/// what `Document::update` sums, packed in a few bytes: a dense array of these is
/// scanned on every keystroke, where touching every line's facts would not stay in
/// the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineSummary {
    kind: LineKind,
    flags: u8,
    /// 字数 of the line.
    pub counted: u32,
}

const MARKER: u8 = 1;
const TITLE_LIKE: u8 = 2;
const TITLE_BLOCK_LIKE: u8 = 4;
const ENDS_SENTENCE: u8 = 8;
const COLON_SHORT: u8 = 16;
const ANNOUNCES: u8 = 32;
const LEARNS: u8 = 64;
const DANGLING: u8 = 128;

impl LineSummary {
    pub fn of(f: &LineFacts) -> LineSummary {
        let flag = |on: bool, bit: u8| if on { bit } else { 0 };
        LineSummary {
            kind: f.kind(),
            flags: flag(f.start_marker.is_some(), MARKER)
                | flag(f.title_like, TITLE_LIKE)
                | flag(f.title_block_like, TITLE_BLOCK_LIKE)
                | flag(f.ends_sentence, ENDS_SENTENCE)
                | flag(f.colon_short(), COLON_SHORT)
                | flag(!f.announcements.is_empty(), ANNOUNCES)
                | flag(!f.learned.is_empty(), LEARNS)
                | flag(f.dangling, DANGLING),
            counted: f.counted,
        }
    }

    /// The line has definitions of its own (`LineFacts::learned`).
    pub fn learns(&self) -> bool {
        self.flags & LEARNS != 0
    }
}

/// What the outline reads of a line to find titles and where the pass starts afresh:
/// the same for a line's facts and for its summary.
pub trait LineView {
    fn line_kind(&self) -> LineKind;
    fn has_marker(&self) -> bool;
    fn is_title_like(&self) -> bool;
    fn is_title_block_like(&self) -> bool;
    fn is_sentence_end(&self) -> bool;
    /// A short line ending with a colon (a salutation: 同志们：).
    fn is_colon_short(&self) -> bool;
    fn announces(&self) -> bool;
    /// The line ends in a word that waits for more (`LineFacts::dangling`).
    fn is_dangling(&self) -> bool;
}

/// For the document's lines as it stores them.
impl LineView for std::sync::Arc<LineFacts> {
    fn line_kind(&self) -> LineKind {
        self.kind()
    }
    fn has_marker(&self) -> bool {
        self.start_marker.is_some()
    }
    fn is_title_like(&self) -> bool {
        self.title_like
    }
    fn is_title_block_like(&self) -> bool {
        self.title_block_like
    }
    fn is_sentence_end(&self) -> bool {
        self.ends_sentence
    }
    fn is_colon_short(&self) -> bool {
        self.colon_short()
    }
    fn announces(&self) -> bool {
        !self.announcements.is_empty()
    }
    fn is_dangling(&self) -> bool {
        self.dangling
    }
}

impl LineView for LineSummary {
    fn line_kind(&self) -> LineKind {
        self.kind
    }
    fn has_marker(&self) -> bool {
        self.flags & MARKER != 0
    }
    fn is_title_like(&self) -> bool {
        self.flags & TITLE_LIKE != 0
    }
    fn is_title_block_like(&self) -> bool {
        self.flags & TITLE_BLOCK_LIKE != 0
    }
    fn is_sentence_end(&self) -> bool {
        self.flags & ENDS_SENTENCE != 0
    }
    fn is_colon_short(&self) -> bool {
        self.flags & COLON_SHORT != 0
    }
    fn announces(&self) -> bool {
        self.flags & ANNOUNCES != 0
    }
    fn is_dangling(&self) -> bool {
        self.flags & DANGLING != 0
    }
}

/// The paragraph ends in a word that ends no sentence: it waits for what it joins or
/// qualifies (……推进经济社会发展的 / 各项工作), or for its object (……取得 / 新进展). A 的 after a 是 in the last clause ends a
/// sentence (总的形势是很好的), and so do words ending in 的 (目的, 有的, 似的). A title may
/// end so where it goes on in the next line (在……会议上的 / 讲话), so this does not make a
/// line less of a title.
fn dangles(trimmed: &str, last: char) -> bool {
    match last {
        // Conjunctions, and prepositions and particles that govern what follows (把,
        // 被, 于, 以; 而, 且), end no sentence and no heading: ……安全体系建设取得 / 新进展.
        '和' | '与' | '及' | '或' | '把' | '被' | '于' | '以' | '而' | '且' => true,
        '得' | '步' | '加' => ["取得", "进一步", "更加"]
            .iter()
            .any(|w| trimmed.ends_with(w)),
        '的' => {
            let clause = trimmed
                .rsplit(['，', '。', '；', '：'])
                .next()
                .unwrap_or(trimmed);
            let word = [
                "目的", "有的", "似的", "标的", "端的", "别的", "真的", "对的",
            ];
            !clause.contains('是') && !word.iter().any(|w| clause.ends_with(w))
        }
        _ => false,
    }
}

/// Punctuation that may end a paragraph.
pub fn is_terminal(c: char) -> bool {
    matches!(
        c,
        '。' | '！'
            | '？'
            | '；'
            | '：'
            | '…'
            | '”'
            | '’'
            | '）'
            | '》'
            | '」'
            | '』'
            | '】'
            | '.'
            | '!'
            | '?'
            | ':'
            | ';'
            | ')'
            | '—'
            | '"'
    )
}

fn is_closing(c: char) -> bool {
    matches!(c, '”' | '’' | '）' | '》' | '」' | '』' | '】' | ')' | '"')
}

const TITLE_MAX_CHARS: usize = 40;

/// A bracketed note closing the line (讲话（节选）, 致辞。（鼓掌）): the character
/// before its opening bracket (None when the note opens the line) and its length in
/// characters.
fn trailing_note(trimmed: &str) -> Option<(Option<char>, usize)> {
    let body = trimmed.strip_suffix(['）', ')'])?;
    let open = body.rfind(['（', '('])?;
    let inside = &body[open + body[open..].chars().next()?.len_utf8()..];
    if inside.contains(['（', '(', '）', ')']) {
        return None;
    }
    Some((body[..open].chars().next_back(), inside.chars().count()))
}

/// A title may close with a short note in brackets (（节选）, （含案例）, （高校）,
/// （2024年6月1日）) or a book title (学习《……》): the closing bracket ends no sentence.
fn ends_in_title_note(trimmed: &str) -> bool {
    if trimmed.ends_with(['》', '〉']) {
        return !trimmed.starts_with(['《', '〈']);
    }
    trailing_note(trimmed).is_some_and(|(before, len)| {
        before.is_some_and(|c| !is_terminal(c) && !matches!(c, '，' | '、' | ',')) && len <= 12
    })
}

fn md_kind(trimmed: &str) -> Option<LineKind> {
    let hashes = trimmed.chars().take_while(|&c| c == '#').count();
    if (1..=6).contains(&hashes) && trimmed[hashes..].starts_with([' ', '\t']) {
        return Some(LineKind::MdHeading(hashes as u8));
    }
    let md_other = trimmed.starts_with("```")
        || trimmed.starts_with('|')
        || trimmed.starts_with("- ")
        || trimmed.starts_with("* ")
        || trimmed.starts_with("> ")
        || (trimmed.len() >= 3 && trimmed.chars().all(|c| matches!(c, '-' | '*' | '_' | ' ')));
    md_other.then_some(LineKind::MdOther)
}

/// Compiles the patterns of the line analysis now rather than on the first line that
/// needs them (a few milliseconds, see `document::warm_up`).
pub fn compile_patterns() {
    for re in [
        title_block_re,
        year_start_re,
        announcement_re,
        colon_count_re,
        date_line_re,
        heading_count_re,
        near_announcement_re,
    ] {
        re();
    }
    super::learned::compile_patterns();
}

/// How a salutation starts. (A list of prefixes: the anchored regex it was cost some
/// 800 instructions a short line, and most short lines are asked.)
const SALUTATION_STARTS: [&str; 10] = [
    "同志们",
    "各位",
    "尊敬的",
    "亲爱的",
    "女士们",
    "朋友们",
    "老师们",
    "同学们",
    "大家好",
    "谢谢",
];

pub fn starts_as_salutation(trimmed: &str) -> bool {
    SALUTATION_STARTS.iter().any(|p| trimmed.starts_with(p))
}

/// A salutation standing alone: 同志们：, 各位代表：, 尊敬的各位领导：.
pub fn is_salutation(trimmed: &str) -> bool {
    // The last char first: counting the chars of every paragraph cost more.
    trimmed.ends_with(['：', '！', ':'])
        && trimmed.chars().count() <= 20
        && starts_as_salutation(trimmed)
}

/// A line of a title block: a subtitle (——……), a line about a speech (讲话, 报告), a
/// date, a note in brackets, a short run of Han chars (a name), or the speaker.
fn is_title_block_line(trimmed: &str) -> bool {
    title_block_re().is_match(trimmed) && !dash_led_label(trimmed)
        || starts_with_a_date(trimmed)
        || is_short_han_run(trimmed)
        || is_speaker(trimmed)
}

/// A paragraph numbered as a part of a point (6-1.受理告知书, as attachment lists
/// number the parts of one item): an item of the list, not a title.
pub fn sub_numbered(chars: &[char]) -> bool {
    let digits = |from: usize| {
        chars[from.min(chars.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let first = digits(0);
    first > 0 && matches!(chars.get(first), Some('-' | '－' | '—')) && {
        let second = digits(first + 1);
        second > 0 && matches!(chars.get(first + 1 + second), Some('.' | '．' | '、'))
    }
}

/// A dash-led line with a label before a colon inside it (——任务4：推动重点地区更新提升):
/// an item of a plan, not a subtitle, which names a meeting or a theme without a colon.
fn dash_led_label(trimmed: &str) -> bool {
    trimmed.starts_with(['—', '－', '-']) && trimmed.trim_end_matches('：').contains('：')
}

/// A date line or a dated subtitle (2025年3月5日在……会议上, 2024年政府工作报告): a year
/// first and no comma after it. A sentence may start with a year too (110年前，以……;
/// 1949年以来，我们……), and goes on after a comma.
fn starts_with_a_date(trimmed: &str) -> bool {
    let numeral =
        |c: char| c.is_ascii_digit() || "０１２３４５６７８９〇○零一二三四五六七八九十".contains(c);
    trimmed.starts_with(numeral)
        && year_start_re().is_match(trimmed)
        && !trimmed.contains(['，', ','])
}

fn year_start_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^\s*[0-9０-９〇○零一二三四五六七八九十]{2,4}\s*年").unwrap())
}

/// Two to six Han chars, spaces or ·: a name (张  三, 欧阳·某).
fn is_short_han_run(trimmed: &str) -> bool {
    let n = trimmed.chars().count();
    (2..=6).contains(&n)
        && trimmed
            .chars()
            .all(|c| crate::text::is_han_script(c) || matches!(c, '·' | '　' | ' '))
}

/// The speaker: an office (Han chars, 、 and ·, at most 24 before its title), a title
/// (长, 书记, 主任 …), spaces and a name of two to four Han chars, maybe spaced out:
/// 上海市市长 龚正, 局长  杜  宇. (As a regex with `{0,24}` this took a quarter of all
/// the patterns' compile time.)
fn is_speaker(trimmed: &str) -> bool {
    const TITLES: [&str; 10] = [
        "长", "书记", "主任", "主席", "委员", "经理", "总理", "组长", "代表", "总监",
    ];
    let is_space = |c: char| matches!(c, ' ' | '　');
    let Some((head, name)) = trimmed.split_once(is_space) else {
        return false;
    };
    let office_ok = head
        .chars()
        .all(|c| crate::text::is_han_script(c) || matches!(c, '、' | '·'))
        && TITLES.iter().any(|t| {
            head.strip_suffix(t)
                .is_some_and(|office| office.chars().count() <= 24)
        });
    let name = name.trim_start_matches(is_space);
    let name_chars = name.chars().filter(|&c| !is_space(c)).count();
    office_ok
        && (2..=4).contains(&name_chars)
        && name
            .chars()
            .all(|c| is_space(c) || crate::text::is_han_script(c))
        && !name.ends_with(is_space)
}

fn title_block_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"^(——|—|－－|--)|讲话|发言|致辞|报告$|会议上$|大会上$",
            r"|^[（(].*[)）]$",
        ))
        .unwrap()
    })
}

fn announcement_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"(?:(?P<back>以上)|(?:讲|谈|提|提出|强调|说|汇报|交流)(?:了|讲|谈)?(?:以下)?|以下)",
            r"(?P<n>[0-9０-９]{1,2}|[一二三四五六七八九十两]{1,3}|几)",
            r"(?P<unit>点|个方面|个问题|条)(?:意见|要求|希望|体会|建议|看法|认识|想法|工作|内容)?"
        ))
        .unwrap()
    })
}

/// “重点抓好四件事：”, “要采取三项措施：”, “以下三个方面：”, “做到‘三个到位’：”, “落实
/// ‘四个一’工作机制：”: a count and what it counts, right before a colon or a comma and
/// 即 (“三个到位”，即……). After a quoted count only a word that names what the count is
/// of may come (机制, 要求), not other words (“两个确立”的决定性意义：).
fn colon_count_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"(?P<n>[0-9０-９]{1,2}|[一二三四五六七八九十两]{1,3})",
            r"(?:个方面|个问题|个|项|件|点|条|方面|大|种)[\p{Han}]{0,6}",
            r"(?:”(?:工作机制|机制|要求|模式|工作法|原则|目标|任务|举措|行动|工程|标准)?)?",
            r"(?:[：:]|，即)"
        ))
        .unwrap()
    })
}

/// The longest match of `colon_count_re` in chars: a count of three, a unit of three,
/// six Han chars, the closing quote, a word of four and ，即.
const COLON_COUNT_MAX_CHARS: usize = 19;

/// A searcher for ，即 (built once: its set-up costs more than a line's search).
fn ji_finder() -> &'static memchr::memmem::Finder<'static> {
    static JI: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    JI.get_or_init(|| memchr::memmem::Finder::new("，即"))
}

/// What `colon_count_re().captures_iter(text)` finds. Each match ends at a colon (or
/// ，即) and holds no other, so it is searched for only in the chars before each, after
/// the one before it and at most `COLON_COUNT_MAX_CHARS` back: a paragraph's few
/// colons instead of all its text. `ji`: the text may hold ，即 (else only colons
/// are looked at).
fn colon_count_matches(text: &str, ji: bool) -> Vec<regex::Captures<'_>> {
    let bytes = text.as_bytes();
    let colons =
        memchr::memchr2_iter(b':', "：".as_bytes()[0], bytes).filter_map(|at| match bytes[at] {
            b':' => Some(at + 1),
            _ if text[at..].starts_with('：') => Some(at + '：'.len_utf8()),
            _ => None,
        });
    let mut ends: Vec<usize> = colons.collect();
    if ji {
        ends.extend(ji_finder().find_iter(bytes).map(|at| at + "，即".len()));
        ends.sort_unstable();
    }
    let mut out = Vec::new();
    let mut after_previous = 0;
    for end in ends {
        let window = &text[after_previous..end];
        let back = window
            .char_indices()
            .rev()
            .nth(COLON_COUNT_MAX_CHARS - 1)
            .map_or(0, |(b, _)| b);
        if let Some(c) = colon_count_re().captures_at(&text[..end], after_previous + back) {
            out.push(c);
        }
        after_previous = end;
    }
    out
}

fn find_announcements(text: &str, marks: Marks) -> Vec<Announcement> {
    // Both patterns need a counted unit (点, 个方面, 条 …) or a colon: most
    // paragraphs have neither, and these tests are cheaper than the regexes.
    let mut found = if marks.has_any(&['点', '条'])
        || marks.has('个') && (text.contains("个方面") || text.contains("个问题"))
    {
        speech_announcements(text)
    } else {
        Vec::new()
    };
    if marks.has('个') && (text.contains("个方面") || text.contains("个环节"))
        || text.contains("以下")
    {
        for a in near_announcements(text) {
            if found.iter().all(|b| b.end <= a.start || a.end <= b.start) {
                found.push(a);
            }
        }
    }
    // A list after ，即 needs a 、.
    let ji = marks.has('、') && ji_finder().find(text.as_bytes()).is_some();
    if !marks.has_any(&['：', ':']) && !ji {
        return found;
    }
    let taken: Vec<(u32, u32)> = found.iter().map(|a| (a.start, a.end)).collect();
    let mut cols = crate::text::ColCounter::new(text);
    for c in colon_count_matches(text, ji) {
        let (Some(whole), Some(n)) = (c.get(0), c.name("n")) else {
            continue;
        };
        // 第三项：, 十二五 and larger numbers are not counts.
        if ordinal_or_larger(text, n.start(), "") {
            continue;
        }
        let Some(mut a) = count_of_points(&mut cols, (whole.start(), whole.end()), n) else {
            continue;
        };
        if another_count_precedes(&text[..whole.start()]) {
            a.count = None;
        }
        if !taken.iter().any(|&(s, e)| s < a.end && a.start < e) {
            found.push(a);
        }
    }
    found.sort_by_key(|a| a.start);
    found
}

fn heading_count_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"(?P<n>[0-9０-９]{1,2}|[一二三四五六七八九十两]{1,3})",
            r"(?:项|件|个方面|方面|大|条)(?:重点|主要|具体|关键)?",
            r"(?:工作|任务|举措|措施|要求|事|大事|实事|行动|工程|攻坚战|重点任务|重点工作)\s*$"
        ))
        .unwrap()
    })
}

fn near_announcement_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"(?:从(?P<n>[0-9０-９]{1,2}|[一二三四五六七八九十两]{1,3})个方面",
            r"[\p{Han}]{0,2}?(?:谈|讲|进行|汇报|交流|作|说|阐述)",
            r"|以下(?P<m>[0-9０-９]{1,2}|[一二三四五六七八九十两]{1,3})(?:项|件)",
            // A sentence that ends in the count (重点做到三个方面。), see `near_announcements`.
            r"|(?P<k>[0-9０-９]{1,2}|[一二三四五六七八九十两]{1,3})个(?:方面|环节)",
            // To the sentence's end: what the count counts, not a run after a colon.
            r")[^。！？；：:]*",
        ))
        .unwrap()
    })
}

/// A numbered heading that ends in a count of what its section holds (二、今年重点抓好
/// 五项工作, （三）实施三大行动): the points under it are announced as after a colon.
/// Only closed words for the things counted, and no quote (三、落实“四个一”, a name).
fn heading_count(text: &str) -> Option<Announcement> {
    let c = heading_count_re().captures(text)?;
    let (whole, n) = (c.get(0)?, c.name("n")?);
    if ordinal_or_larger(text, n.start(), "“\"") {
        return None;
    }
    let mut cols = crate::text::ColCounter::new(text);
    count_of_points(&mut cols, (whole.start(), text.trim_end().len()), n)
}

/// The numeral at byte `at` goes on from an ordinal's 第 or a larger number (第三项,
/// 十二五), or from one of `also` (an opening quote: a name's count).
fn ordinal_or_larger(text: &str, at: usize, also: &str) -> bool {
    text[..at].chars().next_back().is_some_and(|b| {
        b == '第'
            || b.is_ascii_digit()
            || "〇一二三四五六七八九十百千万".contains(b)
            || also.contains(b)
    })
}

/// The announcement of the points that follow the words at bytes `start..end`, counted
/// by the numeral `n` (as a count before a colon is); None for a count below two or
/// words after the numeral.
fn count_of_points(
    cols: &mut crate::text::ColCounter,
    (start, end): (usize, usize),
    n: regex::Match,
) -> Option<Announcement> {
    let chars: Vec<char> = n.as_str().chars().collect();
    let (count, used) = crate::text::numerals::parse_count(&chars)?;
    if used != chars.len() || count < 2 {
        return None;
    }
    Some(Announcement {
        start: cols.col(start),
        num_start: cols.col(n.start()),
        num_end: cols.col(n.end()),
        end: cols.col(end),
        count: Some(count),
        backward: false,
        before_colon: true,
    })
}

/// “我从四个方面谈一谈认识”, “着力抓好以下五项重点工作。”, “重点做到三个方面。”: a count
/// of the points that follow right after, with the verb after it or without a colon.
/// Taken as a count before a colon is: met only by a run that follows at once, and
/// never an error.
fn near_announcements(text: &str) -> Vec<Announcement> {
    let mut cols = crate::text::ColCounter::new(text);
    near_announcement_re()
        .captures_iter(text)
        .filter_map(|c| {
            let whole = c.get(0)?;
            // Before a colon the count is one of `colon_count_re`'s.
            if text[whole.end()..].starts_with(['：', ':']) {
                return None;
            }
            // A bare count of aspects or steps only where the sentence ends right after
            // it (体现在三个方面。, 重点抓好四个环节。), and not an ordinal (第三个方面).
            if let Some(k) = c.name("k") {
                let after = &text[k.end()..];
                let ends_sentence = ["个方面", "个环节"].iter().any(|unit| {
                    after
                        .strip_prefix(unit)
                        .is_some_and(|rest| rest.starts_with(['。', '；']))
                });
                if !ends_sentence || ordinal_or_larger(text, k.start(), "“\"") {
                    return None;
                }
            }
            let n = c
                .name("n")
                .or_else(|| c.name("m"))
                .or_else(|| c.name("k"))?;
            count_of_points(&mut cols, (whole.start(), whole.end()), n)
        })
        .collect()
}

fn speech_announcements(text: &str) -> Vec<Announcement> {
    let mut cols = crate::text::ColCounter::new(text);
    announcement_re()
        .captures_iter(text)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let n_match = c.name("n")?;
            let n = n_match.as_str();
            let count = if n == "几" {
                None
            } else {
                let chars: Vec<char> = n.chars().collect();
                let (value, used) = crate::text::numerals::parse_count(&chars)?;
                if used != chars.len() {
                    return None;
                }
                Some(value)
            };
            if count.is_some_and(|n| n < 2) {
                return None;
            }
            let backward = c.name("back").is_some();
            // 提出了15个方面的重点任务和4个方面的保障措施: two counts announced at once;
            // the run after them may be either's, or neither's, so neither is judged.
            let count = count.filter(|_| backward || !another_count_follows(&text[whole.end()..]));
            let start = cols.col(whole.start());
            let num_start = cols.col(n_match.start());
            let num_end = cols.col(n_match.end());
            Some(Announcement {
                start,
                end: cols.col(whole.end()),
                num_start,
                num_end,
                count,
                backward,
                before_colon: false,
            })
        })
        .collect()
}

/// The words before a count before a colon end with another count joined to it
/// (7个方面、25项具体工作：, 三大任务和12项举措：): as with `another_count_follows`,
/// the run after them may be either's, so neither is judged.
fn another_count_precedes(before: &str) -> bool {
    const UNITS: [&str; 9] = [
        "个方面",
        "个问题",
        "个领域",
        "点",
        "条",
        "项",
        "大",
        "类",
        "件",
    ];
    let joined = ["以及", "、", "和", "及", "与"]
        .iter()
        .find_map(|j| before.strip_suffix(j));
    let Some(rest) = joined else {
        return false;
    };
    let numeral = |c: char| {
        c.is_ascii_digit() || ('０'..='９').contains(&c) || "一二三四五六七八九十两".contains(c)
    };
    // What is counted may follow the unit (三大任务和): up to four chars.
    let ends = rest.char_indices().rev().map(|(at, _)| at).take(4);
    std::iter::once(rest.len()).chain(ends).any(|end| {
        UNITS
            .iter()
            .filter_map(|unit| rest[..end].strip_suffix(unit))
            .any(|counted| counted.chars().next_back().is_some_and(numeral))
    })
}

/// The sentence that `rest` goes on with joins another count to the announced one:
/// 和4个方面的保障措施, 以及三条要求.
fn another_count_follows(rest: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let sentence = rest
        .split(['。', '；', '！', '？', '：'])
        .next()
        .unwrap_or("");
    RE.get_or_init(|| {
        Regex::new(
            r"(?:和|及|与|、)[0-9０-９一二三四五六七八九十两]{1,3}(?:个方面|个问题|点|条|项)",
        )
        .unwrap()
    })
    .is_match(sentence)
}

/// Analyses one line (without its line break).
pub fn analyze_line(text: &str, kb: &Knowledge) -> LineFacts {
    let (chars, index) = LineIndex::decode(text);
    let terms = kb.scan_chars(text, &chars, index.marks).terms;
    analyze_line_with_terms(text, &chars, &index, kb, terms)
}

/// The column of the one “ a paragraph leaves open, when every other “ and ” in it
/// pair. A quotation of several paragraphs opens each with “ and closes only the last
/// (GB/T 15834-2011, on quotation marks), so whether this one is left unpaired
/// depends on the next paragraph. None for a line with single or straight quotes,
/// whose pairing `unbalanced-pair` models on its own.
fn open_quote(text: &str, chars: &[char], others: &[u32], marks: Marks) -> Option<u32> {
    if !marks.has('“') || marks.has_any(&['‘', '’']) || text.contains('"') {
        return None;
    }
    let mut open = Vec::new();
    for &i in others {
        match chars[i as usize] {
            '“' => open.push(i),
            '”' => {
                open.pop()?;
            }
            _ => {}
        }
    }
    (open.len() == 1).then(|| open[0])
}

/// `analyze_line` for a caller that has decoded and indexed the line and found its
/// terms already (in the one scan of a line, `Knowledge::scan`).
pub fn analyze_line_with_terms(
    text: &str,
    chars: &[char],
    index: &LineIndex,
    kb: &Knowledge,
    terms: Vec<crate::knowledge::TermHit>,
) -> LineFacts {
    let indent = chars
        .iter()
        .take_while(|&&c| crate::text::is_indent(c))
        .count();
    let trimmed = text.trim();
    let mut facts = LineFacts {
        indent: indent as u32,
        len: chars.len() as u32,
        wide: text.len() > chars.len() * 3 || chars.iter().any(|&c| c as u32 > 0xFFFF),
        marks: index.marks,
        ..Default::default()
    };
    if trimmed.is_empty() {
        facts.kind = Some(LineKind::Blank);
        return facts;
    }
    let kind = md_kind(trimmed).unwrap_or(LineKind::Text);
    facts.kind = Some(kind);
    facts.counted = stats::count_chars_indexed(chars, &index.others);
    facts.last_char = trimmed.chars().last();
    let mut tail = trimmed.chars().rev().skip_while(|&c| is_closing(c));
    facts.ends_sentence = match facts.last_char {
        Some(c) if is_closing(c) => {
            tail.next()
                .is_some_and(|c| is_terminal(c) && !is_closing(c))
                || trailing_note(trimmed).is_some_and(|(before, _)| {
                    before.is_some_and(|c| is_terminal(c) && !is_closing(c))
                })
        }
        Some(c) => is_terminal(c),
        None => false,
    };
    facts.has_stop = index
        .others
        .iter()
        .any(|&i| matches!(chars[i as usize], '。' | '！' | '？'));
    facts.terms = terms;
    facts.open_quote = open_quote(text, chars, &index.others, index.marks);
    if kind == LineKind::Text {
        facts.start_marker = markers::paragraph_marker(chars, indent);
        if facts.start_marker.is_none() {
            facts.number_led = markers::number_led_marker(chars, indent).map(Box::new);
        }
        let inline_from = facts
            .start_marker
            .as_ref()
            .map(|m| m.end as usize)
            .unwrap_or(indent);
        facts.inline_markers = markers::inline_markers(chars, &index.others, inline_from);
        // `trimmed.chars().count()`, from the chars decoded already.
        let lead = chars.iter().take_while(|c| c.is_whitespace()).count();
        let trail = chars[lead..]
            .iter()
            .rev()
            .take_while(|c| c.is_whitespace())
            .count();
        let content_len = chars.len() - lead - trail;
        let has_han = trimmed.chars().any(crate::text::is_han);
        facts.dangling = facts.last_char.is_some_and(|c| dangles(trimmed, c));
        facts.title_like = has_han
            && content_len <= TITLE_MAX_CHARS
            && facts.start_marker.is_none()
            && facts.number_led.is_none()
            && !sub_numbered(&chars[indent.min(chars.len())..])
            && !facts.last_char.is_some_and(|c| {
                (is_terminal(c) && !ends_in_title_note(trimmed)) || matches!(c, '，' | '、' | ',')
            })
            && !starts_as_salutation(trimmed)
            // A semicolon parts the clauses of a sentence, never those of a heading
            // (……增长5%左右；城 / 镇调查失业率……: a sentence broken at a line end).
            && !trimmed.contains(['；', ';']);
        facts.title_block_like = content_len <= TITLE_MAX_CHARS && is_title_block_line(trimmed);
        facts.date_line = is_date_line(trimmed);
        facts.salutation = is_salutation(trimmed);
        facts.announcements = find_announcements(text, index.marks);
        if facts.start_marker.is_some() && !facts.last_char.is_some_and(is_terminal) {
            if let Some(h) = heading_count(text) {
                if facts.announcements.iter().all(|a| a.end <= h.start) {
                    facts.announcements.push(h);
                }
            }
        }
        facts.learned = learned::candidates(text, index.marks, kb);
        let mut claims = Vec::new();
        if index.marks.has('年') {
            claims.extend(
                facts
                    .title_like
                    .then(|| super::year_claim::find_in_title(chars))
                    .flatten(),
            );
            if super::year_claim::may_hold_claims(text) {
                claims.extend(super::year_claim::find(chars));
            }
        } else if index.marks.has('个') && super::year_claim::may_hold_day_claims(text) {
            claims.extend(super::year_claim::find(chars));
        }
        if super::year_claim::may_hold_goals(text) {
            claims.extend(super::year_claim::find_ahead(chars));
        }
        if index.marks.has('个') && super::year_claim::may_hold_upcoming(text) {
            claims.extend(super::year_claim::find_upcoming(chars));
        }
        // One claim per place: the title's, then the sentence's.
        let mut seen = Vec::new();
        claims.retain(|c: &super::year_claim::YearClaim| {
            let new = !seen.contains(&c.start);
            seen.push(c.start);
            new
        });
        facts.year_claims = claims.into_boxed_slice();
    }
    facts
}

/// A date alone: “2024年6月3日”, “（2007年10月15日）”. The first and last char
/// decide for most lines, without the regex.
fn is_date_line(trimmed: &str) -> bool {
    let first_ok = trimmed.starts_with(|c: char| {
        matches!(c, '（' | '(' | '0'..='9' | '０'..='９' | '〇' | '○' | '零')
            || "一二三四五六七八九".contains(c)
    });
    let last_ok = trimmed.ends_with(['日', '号', '月', ')', '）']);
    first_ok && last_ok && date_line_re().is_match(trimmed)
}

fn date_line_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^[（(]?\s*[0-9０-９〇○零一二三四五六七八九]{4}\s*年[0-9０-９一二三四五六七八九十]{1,2}\s*月([0-9０-９一二三四五六七八九十]{1,3}\s*[日号])?\s*[)）]?$").unwrap()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `colon_count_matches` finds what the regex finds over the whole text.
    #[test]
    fn colon_counts_are_those_of_the_whole_text() {
        let texts = [
            "",
            "下面，我讲三点意见：",
            "讲三点：一是，二是：三是。我讲两个问题：",
            "一二三四五六七八九十两个方面的工作要点：a:b：",
            "重点抓好以下五项工作任务安排部署落实：第三项：12条:",
            "十二五时期主要有三大任务：：两种:",
            "做到“三个到位”：责任到位、措施到位，“两个维护”，即……两项，即：三种”，即",
            "落实“四个一”工作机制：一个专班、一套方案；“两个确立”的决定性意义：三项”要求，即",
            include_str!("../../tests/fixtures/errors.txt"),
            include_str!("../../tests/fixtures/central_style.txt"),
            include_str!("../../examples/讲话稿示例.txt"),
        ];
        let mut found = 0;
        for text in texts {
            for line in text.lines() {
                let whole: Vec<(usize, usize)> = colon_count_re()
                    .captures_iter(line)
                    .map(|c| (c.get(0).unwrap().start(), c["n"].len()))
                    .collect();
                let windowed: Vec<(usize, usize)> = colon_count_matches(line, true)
                    .iter()
                    .map(|c| (c.get(0).unwrap().start(), c["n"].len()))
                    .collect();
                assert_eq!(windowed, whole, "{line}");
                found += whole.len();
            }
        }
        assert!(found >= 8, "only {found} matches");
    }
    /// The title-block test as the one regex it was: the code finds what the regex
    /// found, on the bundled texts' lines and on generated ones around each boundary
    /// (24 chars of office, 组长 against 长, two to four chars of name, spacing).
    #[test]
    fn title_block_lines_as_the_regex_found_them() {
        let re = Regex::new(concat!(
            r"^(——|—|－－|--)|讲话|发言|致辞|报告$|会议上$|大会上$|^[（(]?\s*[0-9０-９〇○零一二三四五六七八九十]{2,4}\s*年",
            r"|^[（(].*[)）]$|^[\p{Han}·　 ]{2,6}$",
            r"|^[\p{Han}、·]{0,24}(?:长|书记|主任|主席|委员|经理|总理|组长|代表|总监)[ 　]+\p{Han}(?:[ 　]*\p{Han}){1,3}$"
        ))
        .unwrap();
        let mut lines: Vec<String> = [
            include_str!("../../examples/讲话稿示例.txt"),
            include_str!("../../tests/fixtures/errors.txt"),
            include_str!("../../tests/fixtures/central_style.txt"),
            include_str!("../../tests/fixtures/markers.txt"),
        ]
        .iter()
        .flat_map(|t| t.lines().map(|l| l.trim().to_string()))
        .collect();
        let office = |n: usize| "市".repeat(n);
        for n in [0, 23, 24, 25] {
            for title in ["长", "组长", "书记", "总监"] {
                for name in ["龚正", "杜  宇", "欧 阳 某 某", "张", "张三李四王", "张三 "]
                {
                    lines.push(format!("{}{title} {name}", office(n)));
                    lines.push(format!("{}{title}　　{name}", office(n)));
                }
            }
        }
        let alphabet = [
            '长', '组', '书', '记', '市', '、', '·', ' ', '　', '杜', '々', 'a', '（', '）', '年',
            '2', '—',
        ];
        let mut seed = 11u64;
        for _ in 0..30_000 {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
            let len = (seed >> 59) as usize;
            let mut line = String::new();
            for _ in 0..len {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
                line.push(alphabet[(seed >> 33) as usize % alphabet.len()]);
            }
            lines.push(line.trim().to_string());
        }
        for line in &lines {
            assert_eq!(is_title_block_line(line), re.is_match(line), "{line:?}");
        }
    }

    fn announcements_in(text: &str) -> Vec<super::Announcement> {
        let chars: Vec<char> = text.chars().collect();
        super::find_announcements(text, crate::text::LineIndex::of(&chars).marks)
    }

    fn kb() -> std::sync::Arc<Knowledge> {
        Knowledge::builtin()
    }

    #[test]
    fn titles_and_title_blocks() {
        let f = analyze_line("　　意识形态发言稿", &kb());
        assert!(f.title_like);
        for s in [
            "同志们：",
            "各位代表！",
            "谢谢大家！",
            "一、总体要求",
            "我们要统一思想，",
            "（鼓掌）",
            "请校长致辞。（鼓掌）",
            "《论持久战》",
        ] {
            assert!(!analyze_line(s, &kb()).title_like, "{s}");
        }
        for s in [
            "在表彰大会上的讲话（节选）",
            "镇党委领导班子2025年度民主生活会对照检查材料（含案例）",
            "学习《习近平谈治国理政》第五卷",
            "学习《习近平谈治国理政》",
        ] {
            assert!(analyze_line(s, &kb()).title_like, "{s}");
        }
        // Two slogans parted by a space are a title, not a speaker.
        assert!(!analyze_line("深化改革 推动发展", &kb()).title_block_like);
        for s in [
            "——在全市宣传思想工作会议上的讲话",
            "（2024年6月1日）",
            "张  三",
            "2024年6月1日",
            "上海市市长 龚正",
            "汉滨区人民政府代区长 向诗兵",
            "市城管局党组书记、局长  杜  宇",
            "人民代表大会第四次会议上",
        ] {
            assert!(analyze_line(s, &kb()).title_block_like, "{s}");
        }
    }

    #[test]
    fn a_note_after_a_full_stop_ends_the_sentence() {
        for s in [
            "接下来，请校长致辞。（鼓掌）",
            "谢谢大家！(掌声)",
            "这是对的。",
        ] {
            assert!(analyze_line(s, &kb()).ends_sentence(), "{s}");
        }
        for s in [
            "在座谈会上的讲话（2020年3月6日）",
            "组织开展（线上）",
            "（鼓掌）",
        ] {
            assert!(!analyze_line(s, &kb()).ends_sentence(), "{s}");
        }
    }

    #[test]
    fn announcements_with_and_without_numbers() {
        let a = announcements_in("下面，我就如何做好工作，讲三点意见。");
        assert_eq!(a[0].count, Some(3));
        assert_eq!(announcements_in("重点讲4点意见")[0].count, Some(4));
        assert_eq!(announcements_in("谈几点体会")[0].count, None);
        assert!(announcements_in("以上四点意见，供参考")[0].backward);
        assert!(announcements_in("强调以下几个方面")[0].count.is_none());
        assert!(announcements_in("讲一点").is_empty());
        let a = announcements_in("今年重点抓好四件事：一是抓学习；");
        assert_eq!((a[0].count, a[0].before_colon), (Some(4), true));
        assert_eq!(announcements_in("要采取三项措施：")[0].count, Some(3));
        for (s, n) in [
            ("下面，我从四个方面谈一谈认识。", 4),
            ("我从三个方面进行宣讲。", 3),
            ("着力抓好以下五项重点工作。", 5),
            ("必须加强组织保障，重点做到三个方面。", 3),
        ] {
            let a = announcements_in(s);
            assert_eq!(
                (a.len(), a[0].count, a[0].before_colon),
                (1, Some(n), true),
                "{s}"
            );
        }
        assert!(announcements_in("从三个方面入手抓落实。").is_empty());
        assert_eq!(announcements_in("重点抓好四个环节。")[0].count, Some(4));
        for s in ["这是第三个方面。", "三个方面的工作要统筹。", "“三个方面”。"]
        {
            assert!(announcements_in(s).is_empty(), "{s}");
        }
        let a = announcements_in("抓好以下三项工作：抓项目、抓招商、抓环境。");
        assert_eq!((a.len(), a[0].end), (1, 9));
        for s in ["第三项：", "“十二五”期间：", "2024年：", "抓好一件事："] {
            assert!(announcements_in(s).is_empty(), "{s}");
        }
        // Two counts announced at once: neither is judged against the run after them.
        let a = announcements_in(
            "《纲要》提出了15个方面的重点任务和4个方面的保障措施。一是突出了高质量发展要求。",
        );
        assert_eq!(a[0].count, None);
        for s in [
            "重点做好7个方面、25项具体工作：",
            "抓好三大任务和12项举措：",
        ] {
            let a = announcements_in(s);
            assert_eq!((a.len(), a[0].count), (1, None), "{s}");
        }
        assert_eq!(
            announcements_in("重点做好25项具体工作：")[0].count,
            Some(25)
        );
        assert_eq!(
            announcements_in("我讲三点意见。和大家交流两点体会。")[0].count,
            Some(3)
        );
    }

    #[test]
    fn markdown_lines() {
        assert_eq!(
            analyze_line("## 一、总体要求", &kb()).kind(),
            LineKind::MdHeading(2)
        );
        assert_eq!(analyze_line("| a | b |", &kb()).kind(), LineKind::MdOther);
        assert_eq!(analyze_line("#hashtag", &kb()).kind(), LineKind::Text);
    }
}
