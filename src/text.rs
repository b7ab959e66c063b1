//! Positions and their encodings. This is the only module that converts between
//! the core's positions (line + column counted in Unicode scalar values) and the
//! column units a client speaks (UTF-8 bytes, UTF-16 code units, UTF-32 = chars).
//!
//! Lines end at LF, CRLF or a lone CR, as the LSP specification defines them; the
//! rope is built with exactly those line breaks (see `Cargo.toml`).

pub mod date;
pub mod numerals;

pub use date::Date;

use ropey::{Rope, RopeSlice};
use serde::Serialize;

/// A position in the core: zero-based line, column in chars (Unicode scalar values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl Pos {
    pub const fn new(line: u32, col: u32) -> Self {
        Pos { line, col }
    }
}

/// A half-open range of core positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    pub start: Pos,
    pub end: Pos,
}

impl Span {
    pub const fn new(start: Pos, end: Pos) -> Self {
        Span { start, end }
    }
    /// A span within one line.
    pub const fn on_line(line: u32, start: u32, end: u32) -> Self {
        Span {
            start: Pos::new(line, start),
            end: Pos::new(line, end),
        }
    }
    pub fn contains(&self, pos: Pos) -> bool {
        self.start <= pos && pos <= self.end
    }
    /// The span moved down by `lines` lines (up when negative; clamped at line 0).
    pub fn moved(self, lines: i64) -> Self {
        let line = |l: u32| (l as i64 + lines).max(0) as u32;
        Span {
            start: Pos::new(line(self.start.line), self.start.col),
            end: Pos::new(line(self.end.line), self.end.col),
        }
    }
    /// The same columns moved to another line (line-local results carry line 0).
    pub fn with_line(self, line: u32) -> Self {
        let delta = self.end.line - self.start.line;
        Span {
            start: Pos::new(line, self.start.col),
            end: Pos::new(line + delta, self.end.col),
        }
    }
}

/// A text replacement in core positions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub span: Span,
    pub new_text: String,
}

/// Applies non-overlapping edits to a text (later edits first). Overlapping edits after
/// the first are dropped.
pub fn apply_edits(text: &str, edits: &mut [Edit]) -> String {
    let mut doc = Rope::from_str(text);
    edits.sort_by_key(|e| std::cmp::Reverse(e.span.start));
    let mut floor: Option<Pos> = None;
    for e in edits.iter() {
        if floor.is_some_and(|f| e.span.end > f) {
            continue;
        }
        let start = pos_to_char(&doc, e.span.start);
        let end = pos_to_char(&doc, e.span.end).max(start);
        doc.remove(start..end);
        doc.insert(start, &e.new_text);
        floor = Some(e.span.start);
    }
    doc.to_string()
}

/// The column unit negotiated with a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
    Utf32,
}

impl Encoding {
    fn units(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf32 => 1,
        }
    }
}

/// Number of chars of a rope line without its line break.
pub fn line_len_chars(line: RopeSlice) -> usize {
    let n = line.len_chars();
    let mut end = n;
    if end > 0 && line.char(end - 1) == '\n' {
        end -= 1;
    }
    if end > 0 && line.char(end - 1) == '\r' {
        end -= 1;
    }
    end
}

/// The text of a line without its line break.
pub fn line_content(rope: &Rope, line: usize) -> RopeSlice<'_> {
    let slice = rope.line(line);
    slice.slice(..line_len_chars(slice))
}

/// A copy of a line's text without its line break. Found by bytes and copied chunk by
/// chunk: `Rope::line` slices by chars, which counts the chars of the chunks around
/// the line (several thousand instructions a call, several times the copy).
pub fn line_string(rope: &Rope, line: usize) -> String {
    if line >= rope.len_lines() {
        return String::new();
    }
    // One descent to the chunk that holds the break before the line, then a scan of
    // the chunks for the breaks: the document pass reads whole paragraphs, and a
    // descent for each end (and one more for the chunks) cost more than the copy.
    let (chunks, _, _, chunk_line) = rope.chunks_at_line_break(line);
    let mut to_skip = line - chunk_line;
    let mut out = String::new();
    // A CR that ended the previous chunk: an LF right after it is part of its break.
    let mut after_cr = false;
    for chunk in chunks {
        let mut rest = chunk;
        if after_cr {
            rest = rest.strip_prefix('\n').unwrap_or(rest);
            after_cr = false;
        }
        while to_skip > 0 {
            let Some(k) = first_break(rest.as_bytes()) else {
                rest = "";
                break;
            };
            let crlf = rest[k..].starts_with("\r\n");
            after_cr = !crlf && rest.as_bytes()[k] == b'\r' && k + 1 == rest.len();
            rest = &rest[k + if crlf { 2 } else { 1 }..];
            to_skip -= 1;
        }
        if to_skip > 0 {
            continue;
        }
        match first_break(rest.as_bytes()) {
            Some(k) => {
                out.push_str(&rest[..k]);
                return out;
            }
            None => out.push_str(rest),
        }
    }
    out
}

/// The lines of a text without their line breaks, split where the rope splits them (LF,
/// CRLF, CR): a text with n breaks has n + 1 lines.
pub fn split_lines(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len() / 64 + 1);
    let mut start = 0;
    let mut i = 0;
    while let Some(k) = first_break(&bytes[i..]) {
        let at = i + k;
        out.push(&text[start..at]);
        let crlf = bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n');
        i = at + if crlf { 2 } else { 1 };
        start = i;
    }
    out.push(&text[start..]);
    out
}

/// The first LF or CR in `bytes`.
fn first_break(bytes: &[u8]) -> Option<usize> {
    memchr::memchr2(b'\n', b'\r', bytes)
}

/// Converts a column in `enc` units to a char column on `line`, clamping a column past
/// the end of the line to its end and a column inside a character to its start.
pub fn units_to_col(line: RopeSlice, units: u32, enc: Encoding) -> u32 {
    let len = line_len_chars(line);
    if enc == Encoding::Utf32 {
        return (units as usize).min(len) as u32;
    }
    let mut used = 0usize;
    for (i, c) in line.chars().take(len).enumerate() {
        let next = used + enc.units(c);
        if next > units as usize {
            return i as u32;
        }
        used = next;
    }
    len as u32
}

/// Converts a char column on `line` to `enc` units (clamped to the line's end).
pub fn col_to_units(line: RopeSlice, col: u32, enc: Encoding) -> u32 {
    let len = line_len_chars(line);
    let col = (col as usize).min(len);
    match enc {
        Encoding::Utf32 => col as u32,
        Encoding::Utf8 => line.char_to_byte(col) as u32,
        Encoding::Utf16 => line.char_to_utf16_cu(col) as u32,
    }
}

/// Clamps a client position (line, column in `enc` units) to a char index in the rope.
/// A line past the end maps to the end of the document.
pub fn position_to_char(rope: &Rope, line: u32, units: u32, enc: Encoding) -> usize {
    let line = line as usize;
    if line >= rope.len_lines() {
        return rope.len_chars();
    }
    let slice = rope.line(line);
    rope.line_to_char(line) + units_to_col(slice, units, enc) as usize
}

/// A clamped core position for a client position.
pub fn position_to_pos(rope: &Rope, line: u32, units: u32, enc: Encoding) -> Pos {
    let char_idx = position_to_char(rope, line, units, enc);
    char_to_pos(rope, char_idx)
}

/// The core position of a char index (clamped).
pub fn char_to_pos(rope: &Rope, char_idx: usize) -> Pos {
    let char_idx = char_idx.min(rope.len_chars());
    let line = rope.char_to_line(char_idx);
    let col = char_idx - rope.line_to_char(line);
    // A char index between CR and LF belongs to the line; clamp it to the content end.
    let col = col.min(line_len_chars(rope.line(line)));
    Pos::new(line as u32, col as u32)
}

/// The client position (line, units) of a core position.
pub fn pos_to_position(rope: &Rope, pos: Pos, enc: Encoding) -> (u32, u32) {
    let line = (pos.line as usize).min(rope.len_lines().saturating_sub(1));
    let units = col_to_units(rope.line(line), pos.col, enc);
    (line as u32, units)
}

/// Converts many core positions, in roughly increasing order, to client positions:
/// looks each line up once, and on a line whose characters all take one unit (every
/// line in UTF-32; in UTF-16 a line without characters beyond the BMP, as Chinese text
/// is) a column is its own unit count.
pub struct PositionCursor<'r> {
    rope: &'r Rope,
    enc: Encoding,
    line: usize,
    len: u32,
    slice: Option<RopeSlice<'r>>,
    /// Every char of the line is one unit in `enc`.
    one_unit_chars: bool,
    /// What the caller knows of each line, sparing the rope.
    shapes: Option<&'r dyn Fn(usize) -> LineShape>,
}

/// A line's length in chars, and whether it has chars beyond the BMP.
#[derive(Debug, Clone, Copy)]
pub struct LineShape {
    pub len: u32,
    pub wide: bool,
}

impl<'r> PositionCursor<'r> {
    pub fn new(rope: &'r Rope, enc: Encoding) -> Self {
        PositionCursor {
            rope,
            enc,
            line: usize::MAX,
            len: 0,
            slice: None,
            one_unit_chars: false,
            shapes: None,
        }
    }

    /// A cursor told each line's shape (which must be the rope's), so that UTF-16 and
    /// UTF-32 columns of lines without wide chars need no look-up in the rope.
    pub fn with_shapes(
        rope: &'r Rope,
        enc: Encoding,
        shapes: &'r dyn Fn(usize) -> LineShape,
    ) -> Self {
        PositionCursor {
            shapes: Some(shapes),
            ..PositionCursor::new(rope, enc)
        }
    }

    pub fn convert(&mut self, pos: Pos) -> (u32, u32) {
        let line = (pos.line as usize).min(self.rope.len_lines().saturating_sub(1));
        if let (Some(shapes), Encoding::Utf16 | Encoding::Utf32) = (self.shapes, self.enc) {
            let shape = shapes(line);
            if self.enc == Encoding::Utf32 || !shape.wide {
                return (line as u32, pos.col.min(shape.len));
            }
        }
        if line != self.line {
            let slice = self.rope.line(line);
            self.line = line;
            self.len = line_len_chars(slice) as u32;
            self.one_unit_chars = match self.enc {
                Encoding::Utf32 => true,
                Encoding::Utf16 => slice.len_utf16_cu() == slice.len_chars(),
                Encoding::Utf8 => slice.len_bytes() == slice.len_chars(),
            };
            self.slice = Some(slice);
        }
        let col = pos.col.min(self.len);
        if self.one_unit_chars {
            return (line as u32, col);
        }
        let units = match (self.slice, self.enc) {
            (Some(slice), Encoding::Utf16) => slice.char_to_utf16_cu(col as usize),
            (Some(slice), Encoding::Utf8) => slice.char_to_byte(col as usize),
            _ => col as usize,
        };
        (line as u32, units as u32)
    }
}

/// Client positions (line, units) of many core positions in any order: converted in
/// document order with one cursor, returned in the order given.
pub fn positions_to_client(
    rope: &Rope,
    positions: &[Pos],
    enc: Encoding,
    shapes: &dyn Fn(usize) -> LineShape,
) -> Vec<(u32, u32)> {
    let mut order: Vec<u32> = (0..positions.len() as u32).collect();
    order.sort_unstable_by_key(|&i| positions[i as usize]);
    let mut cursor = PositionCursor::with_shapes(rope, enc, shapes);
    let mut out = vec![(0, 0); positions.len()];
    for i in order {
        out[i as usize] = cursor.convert(positions[i as usize]);
    }
    out
}

/// The char index of a core position (clamped).
pub fn pos_to_char(rope: &Rope, pos: Pos) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_chars();
    }
    let slice = rope.line(line);
    rope.line_to_char(line) + (pos.col as usize).min(line_len_chars(slice))
}

/// Column in chars of a byte offset within a string (for regex and scanner
/// matches, which report bytes).
pub fn byte_to_col(s: &str, byte: usize) -> u32 {
    s[..byte.min(s.len())].chars().count() as u32
}

/// Byte offset of column `col` in a line decoded to `chars` (the inverse of
/// `byte_to_col`, for a rule that found a column and slices the text).
pub fn col_to_byte(chars: &[char], col: usize) -> usize {
    chars[..col.min(chars.len())]
        .iter()
        .map(|c| c.len_utf8())
        .sum()
}

/// Incremental byte→char conversion for many nearby offsets in one string: each call
/// counts the chars between the previous offset and this one, in either direction.
pub struct ColCounter<'a> {
    s: &'a str,
    byte: usize,
    col: u32,
}

impl<'a> ColCounter<'a> {
    pub fn new(s: &'a str) -> Self {
        ColCounter { s, byte: 0, col: 0 }
    }
    /// Column of `byte` (a char boundary). Going back counts back from the previous
    /// offset: the items of a piece come before its end (`enumeration::make_piece`),
    /// and counting again from the start of a long paragraph was most of a piece's cost.
    pub fn col(&mut self, byte: usize) -> u32 {
        if byte < self.byte {
            self.col -= self.s[byte..self.byte].chars().count() as u32;
        } else {
            self.col += self.s[self.byte..byte].chars().count() as u32;
        }
        self.byte = byte;
        self.col
    }
}

/// Which of the marks the line pass's prechecks ask about (`MARKED`) occur in a line,
/// found with the rest of its `LineIndex`. A search of the text per question costs more: a
/// Chinese mark's last byte is a continuation byte, as frequent in Chinese text as any
/// other, so a byte search for it stops at many places that are not the mark.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Marks(u64);

/// The chars `Marks` records, by bit.
const MARKED: [char; 29] = [
    '“', '”', '‘', '’', '《', '》', '（', '）', '(', ')', '【', '[', '［', ' ', '　', '：', ':',
    '、', '点', '条', '个', '.', '-', '…', '－', '０', 'Ｏ', 'ｏ', '年',
];

/// The bit of `Marks` for full-width digits and Latin letters other than ０, Ｏ and ｏ,
/// and the full-width percent sign ％.
const FULL_WIDTH_ALNUM_BIT: u32 = 29;
/// The bit of `Marks` for the corner quotes 「」『』.
const CORNER_QUOTE_BIT: u32 = 30;
/// The bit of `Marks` for the ASCII digits.
const ASCII_DIGIT_BIT: u32 = 31;
/// The bit of `Marks` for the closing lenticular bracket 】.
const CLOSING_LENTICULAR_BIT: u32 = 32;
/// The bit of `Marks` for 星 and 周, of 星期 and 周四 (a weekday beside a date).
const XING_BIT: u32 = 33;

impl Marks {
    #[inline]
    fn bit(c: char) -> u64 {
        // A match compiles to a few comparisons; MARKED.iter().position would be a loop.
        let i = match c {
            '“' => 0,
            '”' => 1,
            '‘' => 2,
            '’' => 3,
            '《' => 4,
            '》' => 5,
            '（' => 6,
            '）' => 7,
            '(' => 8,
            ')' => 9,
            '【' => 10,
            '[' => 11,
            '［' => 12,
            ' ' => 13,
            '　' => 14,
            '：' => 15,
            ':' => 16,
            '、' => 17,
            '点' => 18,
            '条' => 19,
            '个' => 20,
            '.' => 21,
            '-' => 22,
            '…' => 23,
            '－' => 24,
            '０' => 25,
            'Ｏ' => 26,
            'ｏ' => 27,
            '年' => 28,
            // Any other full-width digit or Latin letter (the three above have bits of
            // their own): one bit for the class, see `has_full_width_alnum`.
            '１'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '％' => FULL_WIDTH_ALNUM_BIT,
            '「' | '」' | '『' | '』' => CORNER_QUOTE_BIT,
            '0'..='9' => ASCII_DIGIT_BIT,
            '】' => CLOSING_LENTICULAR_BIT,
            '星' | '周' => XING_BIT,
            _ => return 0,
        };
        1u64 << i
    }

    /// Whether the line holds a full-width digit or Latin letter (０–９, Ａ–Ｚ, ａ–ｚ) or
    /// the full-width percent sign.
    pub fn has_full_width_alnum(self) -> bool {
        let any =
            1u64 << FULL_WIDTH_ALNUM_BIT | Self::bit('０') | Self::bit('Ｏ') | Self::bit('ｏ');
        self.0 & any != 0
    }

    /// Whether the line holds a corner quote (「」『』).
    pub fn has_corner_quote(self) -> bool {
        self.0 & 1u64 << CORNER_QUOTE_BIT != 0
    }

    /// Whether the line holds an ASCII digit.
    pub fn has_ascii_digit(self) -> bool {
        self.0 & 1u64 << ASCII_DIGIT_BIT != 0
    }

    /// Whether the line holds `c`, which must be one of `MARKED`, 】 or 星 (星 also
    /// answers for 周).
    pub fn has(self, c: char) -> bool {
        debug_assert!(
            MARKED.contains(&c) || matches!(c, '】' | '星'),
            "{c:?} is not recorded by Marks"
        );
        self.0 & Self::bit(c) != 0
    }

    /// Whether the line holds any of `chars` (each one of `MARKED`).
    pub fn has_any(self, chars: &[char]) -> bool {
        chars.iter().any(|&c| self.has(c))
    }
}

/// What the per-char checks of the line pass need besides a line's chars, found in
/// one pass over them: its `Marks`, and where its chars other than Han ideographs
/// (`is_han`) are: punctuation, digits, letters, spaces, a fifth or less of a
/// Chinese line. A check for punctuation walks these instead of every char.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    pub marks: Marks,
    pub others: Vec<u32>,
}

impl LineIndex {
    /// The chars of `s` and their index, in one pass: the line pass decodes every
    /// line. Room for half as many chars as bytes: a Chinese char takes three bytes,
    /// so only a line mostly of ASCII grows the vector. Room for a non-Han char in
    /// every four of a Chinese line (punctuation and digits are about one in five),
    /// so the positions are not reallocated as they are found.
    pub fn decode(s: &str) -> (Vec<char>, LineIndex) {
        let (mut chars, mut index) = (Vec::new(), LineIndex::default());
        index.decode_into(s, &mut chars);
        (chars, index)
    }

    /// `decode` into a vector and an index the caller reuses, both refilled: the line
    /// pass decodes line after line.
    pub fn decode_into(&mut self, s: &str, chars: &mut Vec<char>) {
        self.decode_into_with(s, chars, |_, _| {});
    }

    /// `decode_into`, calling `each(byte offset, char)` for each char in turn: a
    /// caller that looks at every char (the knowledge scanner's filters) does it in
    /// this pass instead of a second one.
    #[inline]
    pub fn decode_into_with(
        &mut self,
        s: &str,
        chars: &mut Vec<char>,
        mut each: impl FnMut(usize, char),
    ) {
        chars.clear();
        chars.reserve(s.len() / 2 + 8);
        self.marks = Marks::default();
        self.others.clear();
        self.others.reserve(s.len() / 12 + 4);
        for (byte, c) in s.char_indices() {
            self.record(chars.len(), c);
            chars.push(c);
            each(byte, c);
        }
    }

    pub fn of(chars: &[char]) -> LineIndex {
        let mut index = LineIndex {
            marks: Marks::default(),
            others: Vec::with_capacity(chars.len() / 4),
        };
        for (at, &c) in chars.iter().enumerate() {
            index.record(at, c);
        }
        index
    }

    #[inline(always)] // once per char of every line: a call cost a third of it
    fn record(&mut self, at: usize, c: char) {
        // Most chars are CJK unified ideographs, and only six of those are marks.
        if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
            if matches!(c, '点' | '条' | '个' | '年' | '星' | '周') {
                self.marks.0 |= Marks::bit(c);
            }
            return;
        }
        if !is_han(c) {
            self.others.push(at as u32);
        }
        self.marks.0 |= Marks::bit(c);
    }
}

/// Byte offsets where `needle` (a mark such as “ or 、, not empty) occurs in `s`. A
/// vectorised search for its lead byte, each hit checked for the rest:
/// `str::match_indices(char)` looks for the char's last byte first, a continuation
/// byte as frequent in Chinese text as any other, while a mark's lead byte (E2 for “,
/// E3 for 、) leads no Han char (E4 to E9). A `memmem` searcher found the same but
/// cost some 280 instructions to build, once per call, per clause of a paragraph.
pub fn positions<'a>(s: &'a str, needle: &'static str) -> impl Iterator<Item = usize> + 'a {
    let (bytes, needle) = (s.as_bytes(), needle.as_bytes());
    let lead = needle.first().copied().unwrap_or_default();
    memchr::memchr_iter(lead, bytes).filter(move |&at| bytes[at..].starts_with(needle))
}

/// The positions `i` where `chars[i] == chars[i + 1]`, in order. Equal neighbours are
/// rare, so blocks of 16 pairs are compared without a branch between pairs and only a
/// block that holds one is looked at pair by pair.
pub fn equal_neighbours(chars: &[char]) -> Vec<usize> {
    const BLOCK: usize = 16;
    let mut out = Vec::new();
    let Some(n) = chars.len().checked_sub(1) else {
        return out;
    };
    let (firsts, seconds) = (&chars[..n], &chars[1..]);
    let mut scan = |from: usize, to: usize| {
        out.extend((from..to).filter(|&i| firsts[i] == seconds[i]));
    };
    let blocks = firsts.chunks_exact(BLOCK).zip(seconds.chunks_exact(BLOCK));
    for (k, (a, b)) in blocks.enumerate() {
        if a.iter().zip(b).fold(false, |any, (x, y)| any | (x == y)) {
            scan(k * BLOCK, (k + 1) * BLOCK);
        }
    }
    scan(n - n % BLOCK, n);
    out
}

/// Whether `word` is written at char `at` of `chars`.
pub fn word_at(chars: &[char], at: usize, word: &str) -> bool {
    (at..)
        .zip(word.chars())
        .all(|(k, w)| chars.get(k) == Some(&w))
}

/// Whether `word` is written right before char `end` of `chars`.
pub fn word_ends_at(chars: &[char], end: usize, word: &str) -> bool {
    let n = word.chars().count();
    end >= n && word_at(chars, end - n, word)
}

/// A Han ideograph (the characters counted as 字 and treated as Chinese context).
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2A6DF | 0x2A700..=0x2EBEF
        | 0x30000..=0x3134F | 0xF900..=0xFAFF | 0x3007)
}

/// Unicode's Han script, as the regexes' `\p{Han}` has it.
pub fn is_han_script(c: char) -> bool {
    is_han(c)
        || matches!(c as u32,
            0x2E80..=0x2E99 | 0x2E9B..=0x2EF3 | 0x2F00..=0x2FD5 | 0x3005 | 0x3021..=0x3029
            | 0x3038..=0x303B | 0x2F800..=0x2FA1D | 0x31350..=0x323AF)
}

/// Full-width CJK punctuation (Chinese context for the half-width punctuation rule).
pub fn is_cjk_punct(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '《'
            | '》'
            | '（'
            | '）'
            | '【'
            | '】'
            | '〔'
            | '〕'
            | '…'
            | '—'
            | '·'
    )
}

/// The kinds of document a name ends with (……的意见, ……规划纲要, ……大会上的讲话): a line
/// or a quoted title so ending names a document, which is neither prose nor a slogan.
/// Each is two chars.
pub const DOCUMENT_KINDS: [&str; 20] = [
    "意见", "决定", "通知", "决议", "建议", "方案", "公报", "纲要", "规划", "讲话", "报告", "发言",
    "致辞", "演讲", "说明", "规定", "办法", "细则", "计划", "条例",
];

/// Indentation characters at the start of a paragraph.
pub fn is_indent(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{3000}' | '\u{00A0}')
}

#[cfg(test)]
mod tests {
    /// `positions` finds what `match_indices` finds, also where the lead byte of the
    /// mark occurs in other chars (、 and 。 both lead with E3, “ and — with E2).
    #[test]
    fn positions_are_those_of_match_indices() {
        for text in [
            "",
            "、",
            "一、二、三",
            "。、。、、",
            "——“四个意识”、“四个自信”",
            "a、b",
        ] {
            for needle in ["、", "“", "，"] {
                let expected: Vec<usize> = text.match_indices(needle).map(|(i, _)| i).collect();
                let found: Vec<usize> = super::positions(text, needle).collect();
                assert_eq!(found, expected, "{needle} in {text}");
            }
        }
    }

    /// `equal_neighbours` finds the pairs a pair-by-pair search finds, in blocks and in
    /// the rest after them.
    #[test]
    fn equal_neighbours_are_those_found_pair_by_pair() {
        let base: Vec<char> = "我们的的责任是是在在一起。。".chars().collect();
        for len in 0..base.len() * 4 {
            let chars: Vec<char> = base.iter().cycle().take(len).copied().collect();
            let expected: Vec<usize> = (0..len.saturating_sub(1))
                .filter(|&i| chars[i] == chars[i + 1])
                .collect();
            assert_eq!(super::equal_neighbours(&chars), expected, "{len}");
        }
    }

    /// `line_string` copies what slicing the rope by lines gives, for lines in one
    /// chunk and across many, with each kind of line break, and past the end.
    #[test]
    fn line_string_is_the_line_without_its_break() {
        let long = "同志们，我讲四点意见。".repeat(400);
        let text = format!("一、总体要求\r\n{long}\n\r二\r\n\n{long}。\r三、结语");
        let rope = ropey::Rope::from_str(&text);
        assert!(rope.chunks().count() > 4);
        for line in 0..rope.len_lines() + 2 {
            let expected = if line < rope.len_lines() {
                super::line_content(&rope, line).to_string()
            } else {
                String::new()
            };
            assert_eq!(super::line_string(&rope, line), expected, "line {line}");
        }
    }

    /// The index lists exactly the chars that are not Han, and its marks are the marked
    /// chars the line holds, also among the Han chars (点, 条, 个) and beyond the BMP.
    #[test]
    fn line_index_lists_the_chars_that_are_not_han() {
        for line in [
            "",
            "讲四点意见：一是“四个意识”，二是（1）xx年 条款、个别《文件》。",
            "𠮷野家 2024年，ABC。。",
            "　　同志们：",
        ] {
            let chars: Vec<char> = line.chars().collect();
            let index = super::LineIndex::of(&chars);
            let (decoded, by_decoding) = super::LineIndex::decode(line);
            assert_eq!(decoded, chars, "{line}");
            assert_eq!(by_decoding.others, index.others, "{line}");
            assert_eq!(by_decoding.marks, index.marks, "{line}");
            let expected: Vec<u32> = (0..chars.len() as u32)
                .filter(|&i| !super::is_han(chars[i as usize]))
                .collect();
            assert_eq!(index.others, expected, "{line}");
            for m in super::MARKED {
                assert_eq!(index.marks.has(m), chars.contains(&m), "{m} in {line}");
            }
        }
    }

    #[test]
    fn marks_record_each_marked_char_and_nothing_else() {
        for (i, &c) in super::MARKED.iter().enumerate() {
            assert_eq!(super::Marks::bit(c), 1 << i, "{c}");
            let line: Vec<char> = format!("中{c}文").chars().collect();
            let marks = super::LineIndex::of(&line).marks;
            assert!(marks.has(c));
            assert!(super::MARKED
                .iter()
                .filter(|&&m| m != c)
                .all(|&m| !marks.has(m)));
        }
        let plain: Vec<char> = "我们要坚定信心，开拓进取。".chars().collect();
        assert_eq!(super::LineIndex::of(&plain).marks, super::Marks::default());
    }

    use super::*;

    /// `line_string` reads each line as the rope's own line slice does, whatever the
    /// breaks (LF, CR, CRLF) and wherever the chunks end.
    #[test]
    fn line_strings_are_the_rope_s_lines() {
        let pieces = [
            "同志们",
            "\n",
            "\r",
            "\r\n",
            "a",
            "",
            "第一，加强学习。",
            "𠮷",
        ];
        let mut seed = 7u64;
        for round in 0..300 {
            let mut text = String::new();
            let len = [3, 40, 400, 3000][round % 4];
            for _ in 0..len {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            let rope = Rope::from_str(&text);
            for line in 0..rope.len_lines() + 1 {
                let want = if line < rope.len_lines() {
                    let slice = rope.line(line).to_string();
                    slice.trim_end_matches(['\n', '\r']).to_string()
                } else {
                    String::new()
                };
                assert_eq!(line_string(&rope, line), want, "line {line} of {text:?}");
            }
        }
    }

    #[test]
    fn utf16_columns_count_surrogate_pairs() {
        let rope = Rope::from_str("𠮷a中\r\nb");
        let line = rope.line(0);
        assert_eq!(line_len_chars(line), 3);
        assert_eq!(col_to_units(line, 1, Encoding::Utf16), 2);
        assert_eq!(col_to_units(line, 1, Encoding::Utf8), 4);
        assert_eq!(col_to_units(line, 3, Encoding::Utf8), 8);
        assert_eq!(units_to_col(line, 2, Encoding::Utf16), 1);
        // Inside a surrogate pair or a multi-byte char: the char's start.
        assert_eq!(units_to_col(line, 1, Encoding::Utf16), 0);
        assert_eq!(units_to_col(line, 6, Encoding::Utf8), 2);
        // Past the end of the line (into the CRLF): clamped.
        assert_eq!(units_to_col(line, 99, Encoding::Utf16), 3);
    }

    #[test]
    fn positions_round_trip_on_crlf_and_lone_cr() {
        let rope = Rope::from_str("一\r\n二\r三\n四");
        assert_eq!(rope.len_lines(), 4);
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            for line in 0..4u32 {
                let (l, u) = pos_to_position(&rope, Pos::new(line, 1), enc);
                assert_eq!(position_to_pos(&rope, l, u, enc), Pos::new(line, 1));
            }
        }
        assert_eq!(
            position_to_char(&rope, 9, 0, Encoding::Utf16),
            rope.len_chars()
        );
        assert_eq!(char_to_pos(&rope, 2), Pos::new(0, 1)); // between CR and LF
    }

    #[test]
    fn cursor_agrees_with_single_conversions() {
        let rope = Rope::from_str("𠮷a中\r\nb😀c\n中文\r");
        let shapes = |i: usize| {
            let line = rope.line(i);
            LineShape {
                len: line_len_chars(line) as u32,
                wide: line.chars().any(|c| c as u32 > 0xFFFF),
            }
        };
        for (enc, with_shapes) in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32]
            .into_iter()
            .flat_map(|e| [(e, false), (e, true)])
        {
            let mut cursor = if with_shapes {
                PositionCursor::with_shapes(&rope, enc, &shapes)
            } else {
                PositionCursor::new(&rope, enc)
            };
            for pos in [
                Pos::new(0, 1),
                Pos::new(0, 3),
                Pos::new(0, 0),
                Pos::new(1, 2),
                Pos::new(1, 9),
                Pos::new(2, 1),
                Pos::new(2, 5),
                Pos::new(7, 1),
            ] {
                assert_eq!(
                    cursor.convert(pos),
                    pos_to_position(&rope, pos, enc),
                    "{pos:?} {enc:?}"
                );
            }
        }
    }

    #[test]
    fn col_counter_matches_byte_to_col() {
        let s = "a中𠮷b";
        let mut counter = ColCounter::new(s);
        for (b, _) in s.char_indices() {
            assert_eq!(counter.col(b), byte_to_col(s, b));
        }
        // Back and forth, as the items of an enumeration's pieces are asked.
        let offsets: Vec<usize> = s.char_indices().map(|(b, _)| b).chain([s.len()]).collect();
        for &b in offsets.iter().rev().chain(&[0, 8, 4, 9, 1]) {
            assert_eq!(counter.col(b), byte_to_col(s, b), "at byte {b}");
        }
    }
}
