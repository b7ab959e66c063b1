//! Formula names and items read as syllables, to find one typed with another char of
//! the same sound (两个确力 for 两个确立, 稳中求近 for 稳中求进, 政知意识 for 政治意识):
//! what a pinyin input method gives when the writer picks the wrong candidate. The
//! places where a phrase's first three sounds begin are also where it may stand with
//! one of its chars left out or typed twice further on (`HomophoneIndex::typo_at`).
//!
//! A phrase is looked for only where its chars could be typed so: four Han chars or
//! more (shorter ones sound like too many ordinary words: 在分配, 法制化), one char
//! replaced by another of the same syllable, and that char a common simplified one
//! (GB 2312), since a traditional text writes 官僚主義 on purpose, and not one that
//! stands for the other in many words (做主, 作主). An input method ignores tones, but
//! a phrase's first or last char may be the next or the previous word's instead
//! (改革开放是 is no 改革开放史), and so may a function word inside (以共产党为领导 is
//! no 党委领导): there the chars must have the same tone too, unless the clause ends
//! beside the phrase (新质生产理。): no word lies there.

use crate::text::numerals::is_han_numeral;
use pinyin::ToPinyin;
use rustc_hash::FxHashMap;

/// The shortest phrase (in chars) that is looked for.
const MIN_PHRASE_CHARS: usize = 4;

/// The unified ideographs of the Basic Multilingual Plane, where every phrase char and
/// every char an input method offers for it lie.
const FIRST: u32 = 0x4E00;
const CHARS: usize = 0x9FFF - 0x4E00 + 1;

/// Where a phrase is looked for: the line's chars are read as the ids of their sounds
/// (syllables without tone) among those of the phrases' first three chars, and the
/// places where three ids in a row begin a phrase are compared with it.
#[derive(Debug)]
pub struct HomophoneIndex {
    /// The id of the sound of each char from `FIRST` on, among the sounds of the
    /// phrases' first three chars (0: none). A fixed size, so that an index below it
    /// needs no bounds check.
    ids: Box<[u16; CHARS]>,
    /// Bit `b % 64` of entry `a`: some phrase may begin with sounds `a`, `b` (a
    /// filter small enough to stay in the cache: most places in a line are passed over
    /// after one look at it; id 0 sets no bit).
    follows: Vec<u64>,
    /// Bit `triple_bit(a, b, c)`: some phrase may begin with sounds `a`, `b`, `c`
    /// (the filter of the places that pass `pairs`).
    triples: Box<[u64; TRIPLE_BITS / 64]>,
    /// The phrases that begin with three sounds.
    by_start: FxHashMap<(u16, u16, u16), Vec<u32>>,
    phrases: Vec<Phrase>,
    /// The first two and the last two chars of every phrase: words of two chars the
    /// phrases show to be words (新型 of 新型工业化).
    edge_words: rustc_hash::FxHashSet<[char; 2]>,
}

#[derive(Debug)]
struct Phrase {
    chars: Vec<char>,
    /// The phrase without its first char, or without its last, is a phrase of its own
    /// (改革开放史 ends in 改革开放, 爱社会主义 begins with 社会主义): a char that
    /// differs there may belong to the next or the previous word instead.
    head_stands_alone: bool,
    tail_stands_alone: bool,
    /// The phrase is a name (a formula's term or alias, 习近平新时代中国特色社会主义思想),
    /// whose every word belongs to it; an item or slogan may drop a word and read on
    /// (坚持党对军队的绝对领导). A phrase with a function word reads as a clause.
    name: bool,
}

/// One phrase found with one char of the same sound in the place of its own, or with
/// one of its chars left out or typed twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HomophoneHit {
    /// The phrase's first char in the line (a char index).
    pub start: usize,
    /// Where the differing chars begin in the line (a char index); for a char left
    /// out, the char written in its place.
    pub at: usize,
    /// How many differ: one, or two in a row (a word the input method offered whole);
    /// for chars left out, how many (one, or a word of two).
    pub len: usize,
    pub phrase: u32,
    pub slip: Slip,
}

/// How a phrase was mistyped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slip {
    /// Chars of the same sound in the place of its own.
    Sound,
    /// One of its chars, or a word of two, left out (党的十九精神, 中国特色社会思想).
    LeftOut,
    /// One of its chars typed twice (中国式现代代化).
    Doubled,
}

impl HomophoneHit {
    /// How many chars of the line the phrase takes as written.
    pub fn written_len(&self, phrase_len: usize) -> usize {
        match self.slip {
            Slip::Sound => phrase_len,
            Slip::LeftOut => phrase_len - self.len,
            Slip::Doubled => phrase_len + 1,
        }
    }
}

impl HomophoneIndex {
    /// The index of `phrases` (any text; those that are not four Han chars or more are
    /// left out), where `stands_alone` tells whether a string is a phrase of its own and
    /// `is_name` whether it is a name.
    pub fn new<'a>(
        phrases: impl Iterator<Item = &'a str>,
        stands_alone: impl Fn(&str) -> bool,
        is_name: impl Fn(&str) -> bool,
    ) -> Self {
        let mut kept: Vec<Phrase> = Vec::new();
        let mut seen: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
        for p in phrases {
            // Every char of the block takes three bytes in UTF-8.
            let in_block =
                |c: char| ((c as u32).wrapping_sub(FIRST) as usize) < CHARS && sound(c).is_some();
            if p.len() < 3 * MIN_PHRASE_CHARS || !p.chars().all(in_block) || !seen.insert(p) {
                continue;
            }
            kept.push(Phrase {
                head_stands_alone: stands_alone(&p[3..]),
                tail_stands_alone: stands_alone(&p[..p.len() - 3]),
                name: is_name(p) && !p.chars().any(|c| FUNCTION_CHARS.contains(c)),
                chars: p.chars().collect(),
            });
        }
        // Ids for the sounds of the phrases' first three chars; then every char's.
        let mut by_sound: FxHashMap<&'static str, u16> = FxHashMap::default();
        for c in kept.iter().flat_map(|p| &p.chars[..3]) {
            let next = by_sound.len() as u16 + 1;
            by_sound
                .entry(sound(*c).unwrap_or_default())
                .or_insert(next);
        }
        let mut ids = Box::new([0u16; CHARS]);
        for (k, id) in ids.iter_mut().enumerate() {
            let c = char::from_u32(FIRST + k as u32);
            *id = c
                .and_then(sound)
                .and_then(|s| by_sound.get(s).copied())
                .unwrap_or(0);
        }
        let mut follows = vec![0u64; by_sound.len() + 1];
        let mut triples = Box::new([0u64; TRIPLE_BITS / 64]);
        let mut by_start: FxHashMap<(u16, u16, u16), Vec<u32>> = FxHashMap::default();
        for (i, p) in kept.iter().enumerate() {
            let id = |k: usize| ids[(p.chars[k] as u32 - FIRST) as usize];
            let (a, b, c) = (id(0), id(1), id(2));
            follows[a as usize] |= 1 << (b % 64);
            let bit = triple_bit(a, b, c);
            triples[bit / 64] |= 1 << (bit % 64);
            by_start.entry((a, b, c)).or_default().push(i as u32);
        }
        let edge_words = kept
            .iter()
            .flat_map(|p| {
                [
                    [p.chars[0], p.chars[1]],
                    [p.chars[p.chars.len() - 2], p.chars[p.chars.len() - 1]],
                ]
            })
            .collect();
        HomophoneIndex {
            ids,
            follows,
            triples,
            by_start,
            phrases: kept,
            edge_words,
        }
    }

    pub fn phrase(&self, i: u32) -> &[char] {
        &self.phrases[i as usize].chars
    }

    #[inline(always)]
    fn id(&self, c: char) -> u16 {
        let k = (c as u32).wrapping_sub(FIRST) as usize;
        if k < CHARS {
            self.ids[k]
        } else {
            0
        }
    }

    /// A finder of the places where a phrase may start, to be fed a line's chars in
    /// order (while they are decoded for the other checks of the line pass).
    pub fn start_finder<'s>(&'s self, found: &'s mut Vec<u32>) -> StartFinder<'s> {
        found.clear();
        StartFinder {
            index: self,
            found,
            before: (0, 0),
            col: 0,
        }
    }

    /// The phrases that `chars` holds with one char of the same sound in the place of
    /// its own: for each such char, the longest phrase (the first of equals).
    pub fn find(&self, chars: &[char]) -> Vec<HomophoneHit> {
        let mut starts = Vec::new();
        let mut finder = self.start_finder(&mut starts);
        for &c in chars {
            finder.push(c);
        }
        self.find_at(chars, &starts)
    }

    /// `find`, where a `StartFinder` fed `chars` found `starts`.
    pub fn find_at(&self, chars: &[char], starts: &[u32]) -> Vec<HomophoneHit> {
        let mut out: Vec<HomophoneHit> = Vec::new();
        for &start in starts {
            let start = start as usize;
            let Some(&[first, second, third]) = chars.get(start..start + 3) else {
                continue;
            };
            let key = (self.id(first), self.id(second), self.id(third));
            for &p in self.by_start.get(&key).into_iter().flatten() {
                let hit = self.slip_at(chars, start, p);
                if let Some(hit) = hit.or_else(|| self.typo_at(chars, start, p)) {
                    self.keep_longest(&mut out, hit);
                }
            }
        }
        out
    }

    /// Phrase `p` at char `start`, read with exactly one char of the same sound in the
    /// place of its own, where that char is a slip (see the module doc); or with two in
    /// a row inside a long phrase (see `word_slip`).
    fn slip_at(&self, chars: &[char], start: usize, p: u32) -> Option<HomophoneHit> {
        let phrase = &self.phrases[p as usize];
        let window = chars.get(start..start + phrase.chars.len())?;
        let mut differs = None;
        let mut second = None;
        // Phrases that begin alike mostly end otherwise: compare from the end.
        for (k, (&c, &own)) in window.iter().zip(&phrase.chars).enumerate().rev() {
            if c == own {
                continue;
            }
            if second.is_some() || !self.sounds_alike(c, own) {
                return None;
            }
            if let Some(later) = differs {
                // Two differ: only as one word, the two chars side by side.
                if later != k + 1 {
                    return None;
                }
                second = Some(later);
            }
            differs = Some(k);
        }
        let k = differs?;
        if second.is_some() {
            return word_slip(window, phrase, k).then_some(HomophoneHit {
                start,
                at: start + k,
                len: 2,
                phrase: p,
                slip: Slip::Sound,
            });
        }
        let (written, own) = (window[k], phrase.chars[k]);
        let last = phrase.chars.len() - 1;
        if self.another_word(window, k) {
            return None;
        }
        let edge = k == 0 || k == last;
        let may_belong_elsewhere =
            k == 0 && phrase.head_stands_alone || k == last && phrase.tail_stands_alone;
        // An input method offers chars by sound without tone; but where the char may
        // belong to a word beside the phrase, or is a function word (以共产党为领导 is
        // no 党委领导), only one of the same tone is taken for the phrase's.
        let same_tone = syllable(written) == syllable(own);
        // At the phrase's edge the char may belong to the word beside it, unless the
        // clause ends there (新质生产理。, ，发展思相) or 的 follows: no word lies beside it.
        let beside = if k == 0 {
            start.checked_sub(1).and_then(|b| chars.get(b))
        } else {
            chars.get(start + phrase.chars.len())
        };
        // After the last char, 的 ends the word too (全面从严治档的“切入口”).
        let alone_at_edge =
            edge && !beside.is_some_and(|&c| crate::text::is_han(c) && !(k == last && c == '的'));
        let slip = !may_belong_elsewhere
            && (same_tone || (!edge || alone_at_edge) && !FUNCTION_CHARS.contains(written))
            && !is_variant_pair(written, own)
            && is_common_simplified(written);
        slip.then_some(HomophoneHit {
            start,
            at: start + k,
            len: 1,
            phrase: p,
            slip: Slip::Sound,
        })
    }

    /// Whether the char typed at `k` of a short phrase, with the phrase's char beside it
    /// at its edge, is a word other phrases begin or end with: 新型领域 is a phrase of
    /// its own, not a slip in 新兴领域 (新型 begins 新型工业化). A short phrase is two
    /// words at most; a longer one reads as a name (see `word_slip`).
    fn another_word(&self, window: &[char], k: usize) -> bool {
        const MAX_SHORT_PHRASE_CHARS: usize = 5;
        let n = window.len();
        n <= MAX_SHORT_PHRASE_CHARS
            && (k <= 1 && self.edge_words.contains(&[window[0], window[1]])
                || k + 2 >= n && self.edge_words.contains(&[window[n - 2], window[n - 1]]))
    }

    /// Phrase `p` at char `start` with one char of its own left out (党的十九精神 for
    /// 党的十九大精神) or typed twice (中国式现代代化), inside it: its first three chars
    /// are as written, and so are, after a char left out, two chars or more (where
    /// only one followed, the phrase ends as another word may begin: 社会主义现代化国家
    /// is no 社会主义现代化强国 short of 强), after a doubled char one or more. A char
    /// is left out only of a phrase of six chars or more, and never a function word
    /// (以人民为中心发展思想 is a style, not a slip); no numeral is left out or
    /// doubled. A word of two chars is left out only of a name of ten chars or more,
    /// with two chars or more as written after it (习近平新时代中国特色社会思想).
    fn typo_at(&self, chars: &[char], start: usize, p: u32) -> Option<HomophoneHit> {
        const MIN_LEFT_OUT_PHRASE_CHARS: usize = 6;
        const MIN_WORD_LEFT_OUT_PHRASE_CHARS: usize = 10;
        const KEPT_BEFORE: usize = 3;
        const KEPT_AFTER_WORD: usize = 2;
        let name = self.phrases[p as usize].name;
        let phrase = &self.phrases[p as usize].chars;
        let n = phrase.len();
        let written = &chars[start..];
        let same = written
            .iter()
            .zip(phrase)
            .take_while(|(a, b)| a == b)
            .count();
        if same < KEPT_BEFORE || same >= n {
            return None;
        }
        let hit = |at: usize, len: usize, slip: Slip| HomophoneHit {
            start,
            at: start + at,
            len,
            phrase: p,
            slip,
        };
        // The comparisons first: most places are neither, and the char classes are
        // searches.
        let own = phrase[same];
        let left_out = n >= MIN_LEFT_OUT_PHRASE_CHARS
            && n - 1 - same >= 2
            && written.get(same..n - 1) == Some(&phrase[same + 1..])
            && !FUNCTION_CHARS.contains(own);
        let word_left_out = !left_out
            && name
            && n >= MIN_WORD_LEFT_OUT_PHRASE_CHARS
            && n - 2 - same >= KEPT_AFTER_WORD
            && written.get(same..n - 2) == Some(&phrase[same + 2..])
            && !phrase[same..same + 2]
                .iter()
                .any(|&c| FUNCTION_CHARS.contains(c) || is_han_numeral(c));
        let doubled = !left_out
            && !word_left_out
            && written.get(same) == Some(&phrase[same - 1])
            && written.get(same + 1..n + 1) == Some(&phrase[same..]);
        // A numeral more or less is another number (党的二十大 is no 党的二十一大).
        if !(left_out || word_left_out || doubled)
            || is_han_numeral(own)
            || is_han_numeral(phrase[same - 1])
        {
            return None;
        }
        if left_out || word_left_out {
            return Some(hit(same, if left_out { 1 } else { 2 }, Slip::LeftOut));
        }
        Some(hit(same, 1, Slip::Doubled))
    }

    /// Whether two chars have one sound: told by their ids where both have one (most
    /// sounds begin a phrase's chars), else looked up.
    fn sounds_alike(&self, a: char, b: char) -> bool {
        match (self.id(a), self.id(b)) {
            (0, _) | (_, 0) => sound(a) == sound(b),
            (x, y) => x == y,
        }
    }

    fn keep_longest(&self, out: &mut Vec<HomophoneHit>, hit: HomophoneHit) {
        let len = |h: &HomophoneHit| self.phrases[h.phrase as usize].chars.len();
        // A char left out takes the place of the char written where it belongs.
        let end = |h: &HomophoneHit| h.at + h.len.max(1);
        let overlap = |h: &&mut HomophoneHit| h.at < end(&hit) && hit.at < end(h);
        match out.iter_mut().find(overlap) {
            Some(h) if len(h) < len(&hit) => *h = hit,
            Some(_) => {}
            None => out.push(hit),
        }
    }
}

/// The two chars from `k` on, in `window` where `phrase` was expected, are a word an
/// input method offered for the phrase's word of the same sound (社会注意思想 for
/// 社会主义思想, 政治仪式 for 政治意识). Only inside a phrase of six chars or more, with
/// two chars on each side as written: a shorter phrase so written is often right
/// (引起社会注意, 举行政治仪式), and a word at a phrase's edge may be the next one's.
/// Each char must be one the input method offers (see `typed_for`).
fn word_slip(window: &[char], phrase: &Phrase, k: usize) -> bool {
    const MIN_WORD_SLIP_PHRASE_CHARS: usize = 6;
    let n = phrase.chars.len();
    n >= MIN_WORD_SLIP_PHRASE_CHARS
        && k >= 2
        && k + 2 <= n - 2
        && (k..k + 2).all(|i| typed_for(window[i], phrase.chars[i]))
}

/// Finds where a phrase may start in a line fed to it char by char (see
/// `HomophoneIndex::start_finder`).
pub struct StartFinder<'s> {
    index: &'s HomophoneIndex,
    found: &'s mut Vec<u32>,
    /// The ids of the two chars before.
    before: (u16, u16),
    col: u32,
}

impl StartFinder<'_> {
    /// The next char of the line.
    #[inline(always)]
    pub fn push(&mut self, c: char) {
        let (a, b) = self.before;
        let id = self.index.id(c);
        // `ids` are below `follows.len()` by construction.
        let follows = self.index.follows.get(a as usize).copied().unwrap_or(0);
        if follows & (1 << (b % 64)) != 0 && id != 0 {
            let bit = triple_bit(a, b, id);
            if self.index.triples[bit / 64] & (1 << (bit % 64)) != 0 {
                self.found.push(self.col - 2);
            }
        }
        self.before = (b, id);
        self.col += 1;
    }
}

/// The size of the filter of three sounds: a few thousand phrases set few of its
/// bits.
const TRIPLE_BITS: usize = 1 << 16;

fn triple_bit(a: u16, b: u16, c: u16) -> usize {
    let h = ((a as u32) << 16 | b as u32).wrapping_mul(0x9E37_79B9) ^ c as u32;
    (h.wrapping_mul(0x85EB_CA6B) >> 16) as usize
}

/// The syllable of a Han char with its tone (its most common reading).
fn syllable(c: char) -> Option<&'static str> {
    c.to_pinyin().map(|p| p.with_tone())
}

/// The syllable of a Han char without its tone, as a pinyin input method reads it.
fn sound(c: char) -> Option<&'static str> {
    c.to_pinyin().map(|p| p.plain())
}

/// Chars that mostly stand as words of their own (particles, prepositions, the
/// copula): beside a phrase they belong to the sentence, not to it.
const FUNCTION_CHARS: &str =
    "的地得了着过之乎者也在是为以于与和及或而并把被对向从由将让给比就都又还再才";

/// Chars of one sound that stand for each other in many words (做主 and 作主, 形像 and
/// 形象, 账目 and 帐目, 唯一 and 惟一, 制订 and 制定, 糜费 and 靡费): a text that writes
/// the other one follows an older or another norm, which is no slip of the keyboard.
const VARIANT_PAIRS: [(char, char); 6] = [
    ('作', '做'),
    ('象', '像'),
    ('帐', '账'),
    ('唯', '惟'),
    ('订', '定'),
    ('糜', '靡'),
];

/// Whether `written` in the place of `own` is what a pinyin input method offers for
/// it: another common char of the same sound, not a variant that some norm writes
/// (the check of a known list's item, which is no phrase of the index).
pub fn typed_for(written: char, own: char) -> bool {
    same_sound(written, own) && !FUNCTION_CHARS.contains(written)
}

/// `typed_for` where a function word may be the one typed: where nothing but the
/// char it stands for could fill the place.
pub fn same_sound(written: char, own: char) -> bool {
    written != own
        && sound(own).is_some()
        && sound(written) == sound(own)
        && !is_variant_pair(written, own)
        && is_common_simplified(written)
}

fn is_variant_pair(a: char, b: char) -> bool {
    VARIANT_PAIRS
        .iter()
        .any(|&(x, y)| (a, b) == (x, y) || (a, b) == (y, x))
}

/// A char of GB 2312's ideographs: the simplified chars in common use, which a pinyin
/// input method offers first.
fn is_common_simplified(c: char) -> bool {
    let mut buf = [0u8; 4];
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(c.encode_utf8(&mut buf));
    !unmappable
        && bytes.len() == 2
        && (0xB0..=0xF7).contains(&bytes[0])
        && (0xA1..=0xFE).contains(&bytes[1])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(phrases: &[&str]) -> HomophoneIndex {
        let all: Vec<&str> = phrases.to_vec();
        HomophoneIndex::new(phrases.iter().copied(), |s| all.contains(&s), |_| true)
    }

    fn found(ix: &HomophoneIndex, text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        ix.find(&chars)
            .iter()
            .map(|h| ix.phrase(h.phrase).iter().collect())
            .collect()
    }

    #[test]
    fn a_char_of_the_same_syllable_and_tone() {
        let ix = index(&["两个确立", "稳中求进", "中国特色社会主义", "社会主义"]);
        assert_eq!(found(&ix, "深刻领悟“两个确力”的决定性意义"), ["两个确立"]);
        assert_eq!(found(&ix, "坚持稳中求近工作总基调"), ["稳中求进"]);
        // The longest phrase for one slip.
        assert_eq!(found(&ix, "坚持中国特色社会主意道路"), ["中国特色社会主义"]);
        assert!(found(&ix, "深刻领悟“两个确立”的决定性意义").is_empty());
        // 有 and 求 differ in sound: another phrase, not a slip.
        assert!(found(&ix, "坚持稳中有进").is_empty());
    }

    /// A char left out of a phrase of six chars or more, or one typed twice, inside it.
    #[test]
    fn a_char_left_out_or_typed_twice() {
        let ix = index(&[
            "党管意识形态",
            "不折不扣抓落实",
            "中国式现代化",
            "党的二十一大精神",
        ]);
        let slips = |text: &str| -> Vec<(String, Slip)> {
            let chars: Vec<char> = text.chars().collect();
            let hits = ix.find(&chars);
            hits.iter()
                .map(|h| (ix.phrase(h.phrase).iter().collect(), h.slip))
                .collect()
        };
        assert_eq!(
            slips("要坚持党管意形态。"),
            [("党管意识形态".into(), Slip::LeftOut)]
        );
        assert_eq!(
            slips("要不折不抓落实。"),
            [("不折不扣抓落实".into(), Slip::LeftOut)]
        );
        assert_eq!(
            slips("推进中国式现代代化。"),
            [("中国式现代化".into(), Slip::Doubled)]
        );
        // A numeral left out makes another number; the last char or two may end the
        // phrase where another word begins.
        assert!(slips("学习党的二十大精神。").is_empty());
        assert!(slips("坚持党管意识形。").is_empty());
    }

    #[test]
    fn what_is_no_slip() {
        let ix = index(&[
            "改革开放史",
            "改革开放",
            "爱社会主义",
            "社会主义",
            "官僚主义",
            "新发展格局",
        ]);
        // Another tone (史 shǐ, 是 shì), or a char that may end the word before
        // (妨碍 + 社会主义).
        assert!(found(&ix, "改革开放是党和人民事业大踏步赶上时代的重要法宝").is_empty());
        assert!(found(&ix, "改革一切妨碍社会主义现代化发展的旧事物").is_empty());
        // A traditional text.
        assert!(found(&ix, "這些都是官僚主義的表現").is_empty());
        // 局 jú, 句 jù: another tone, at the phrase's end, where a word goes on; but
        // where the clause ends, no word lies beside it.
        assert!(found(&ix, "加快构建新发展格句式").is_empty());
        assert_eq!(found(&ix, "加快构建新发展格句。"), ["新发展格局"]);
        assert_eq!(found(&ix, "加快构建新发展格句"), ["新发展格局"]);
        assert_eq!(found(&ix, "加快构建新发展格句的步伐"), ["新发展格局"]);
        // Inside a phrase a function word of another tone is no slip.
        let ix = index(&["党委领导", "政治意识"]);
        assert!(found(&ix, "以共产党为领导的人民民主统一战线").is_empty());
        assert_eq!(found(&ix, "牢固树立政知意识"), ["政治意识"]);
        // Chars that stand for each other (做主, 作主).
        let ix = index(&["人民当家作主"]);
        assert!(found(&ix, "保障全国各族人民当家做主的权利").is_empty());
        // In a short phrase, a word other phrases begin or end with: 新型 begins
        // 新型工业化, so 新型领域 is a phrase of its own.
        let ix = index(&["新兴领域", "新型工业化", "两个确立"]);
        assert!(found(&ix, "统筹传统安全和新型领域安全").is_empty());
        assert!(found(&ix, "加强新兴领域立法").is_empty());
        assert_eq!(found(&ix, "深刻领悟两个确力的决定性意义"), ["两个确立"]);
    }

    #[test]
    fn a_word_of_the_same_sound_inside_a_long_phrase() {
        let ix = index(&[
            "习近平新时代中国特色社会主义思想",
            "社会主义",
            "坚定政治意识",
        ]);
        assert_eq!(
            found(&ix, "坚持以习近平新时代中国特色社会注意思想为指导"),
            ["习近平新时代中国特色社会主义思想"]
        );
        let chars: Vec<char> = "习近平新时代中国特色社会注意思想".chars().collect();
        let hits = ix.find(&chars);
        assert_eq!((hits[0].at, hits[0].len), (12, 2), "{hits:?}");
        // A short phrase so written is often right; and so is a word at a long one's
        // edge (政治仪式 at the end of 坚定政治意识).
        assert!(found(&ix, "这一现象引起社会注意").is_empty());
        assert!(found(&ix, "要坚定政治仪式").is_empty());
        // Two chars apart are no word.
        assert!(found(&ix, "习近平新时代中国特色设会注义思想").is_empty());
    }

    #[test]
    fn common_simplified_chars() {
        assert!(is_common_simplified('义'));
        assert!(!is_common_simplified('義'));
        assert!(!is_common_simplified('a'));
    }
}
