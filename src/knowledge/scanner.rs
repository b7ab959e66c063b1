//! A dictionary scanner for short Chinese strings: every occurrence of every pattern
//! in a line (overlapping), found by looking up each pair of adjacent chars.
//!
//! Why not Aho-Corasick: its automata step byte by byte through the UTF-8 of a
//! line, and every pattern here starts with a common lead byte (E4–E9), so no
//! prefilter helps: a contiguous NFA scanned about 180 MB/s and was the largest single
//! part of the line pass. Here each pair of adjacent chars is one probe of a bit
//! filter (8 KB, in L1), and only a pair that may start a pattern (a few in a hundred
//! on real text) is looked up in a hash map; the patterns that start with it are told
//! apart by their third char before their bytes are compared. Patterns are terms,
//! wrong forms and list items: a few thousand strings of 1–20 chars. Some patterns
//! are *optional* (list items, wanted only on lines that may hold a list): a scan
//! without them neither probes nor compares them.

use rustc_hash::FxHashMap;

/// Bits of the pair filters (a power of two).
const FILTER_BITS: usize = 1 << 16;

#[derive(Debug, Default)]
pub struct PairScanner {
    patterns: Vec<Box<str>>,
    /// (first char, second char) → `entries[start..end]`: the patterns of two chars or
    /// more that start with them, the required ones in `entries[start..required_end]`.
    pairs: FxHashMap<u64, Bucket>,
    entries: Vec<Entry>,
    /// The bytes of every pattern after its first two chars, one after the other.
    tails: Vec<u8>,
    /// Patterns of one char, and whether each is optional.
    singles: FxHashMap<char, (u32, bool)>,
    /// Where patterns may start, for scans with and without the optional ones.
    required: Starts,
    all: Starts,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    start: u32,
    required_end: u32,
    end: u32,
}

/// A pattern of two chars or more, after the pair it starts with.
#[derive(Debug, Clone, Copy)]
struct Entry {
    id: u32,
    /// Its third char, or `NO_CHAR` for a pattern of two chars.
    third: u32,
    /// Its bytes after the pair: `tails[tail..tail + tail_len]`.
    tail: u32,
    tail_len: u32,
    /// Its length in chars.
    chars: u32,
}

const NO_CHAR: u32 = u32::MAX;

/// Bit h(a, b): some pattern starts with the pair (a, b) (hashed: a bit may stand for
/// other pairs too); bit c of `single`: some pattern is c alone (chars beyond the
/// filter's size share bits).
#[derive(Debug, Default)]
struct Starts {
    pair: Bitmap,
    single: Bitmap,
}

/// Where a pattern may start: the column of a char (with `SINGLE` set: a pattern of
/// that char alone; clear: of two chars or more) and its byte offset.
#[derive(Debug, Clone, Copy)]
pub struct Start {
    col: usize,
    byte: usize,
}

const SINGLE: usize = 1 << (usize::BITS - 1);

/// Finds where patterns may start (the optional ones too) while a line is decoded,
/// fed one char at a time: the filters' probes then cost no second pass over the
/// chars, and the byte offsets come with the chars.
pub struct StartFinder<'s> {
    starts: &'s Starts,
    found: &'s mut Vec<Start>,
    /// The char before, and its byte offset.
    prev: (char, usize),
    col: usize,
}

impl StartFinder<'_> {
    /// The next char `c` of the line, at byte `byte`.
    #[inline(always)]
    pub fn push(&mut self, byte: usize, c: char) {
        let (prev, prev_byte) = self.prev;
        if self.col > 0 && self.starts.pair.get(pair_bit(prev, c)) {
            self.found.push(Start {
                col: self.col - 1,
                byte: prev_byte,
            });
        }
        if self.starts.single.get(c as usize) {
            self.found.push(Start {
                col: self.col | SINGLE,
                byte,
            });
        }
        self.prev = (c, byte);
        self.col += 1;
    }
}

/// A fixed size, so that the index of a bit, taken modulo the size, needs no bounds
/// check.
#[derive(Debug)]
struct Bitmap(Box<[u64; FILTER_BITS / 64]>);

impl Default for Bitmap {
    fn default() -> Self {
        Bitmap(Box::new([0; FILTER_BITS / 64]))
    }
}

impl Bitmap {
    fn set(&mut self, bit: usize) {
        let bit = bit % FILTER_BITS;
        self.0[bit / 64] |= 1 << (bit % 64);
    }

    #[inline]
    fn get(&self, bit: usize) -> bool {
        let bit = bit % FILTER_BITS;
        self.0[bit / 64] & (1 << (bit % 64)) != 0
    }
}

fn pair_key(a: char, b: char) -> u64 {
    (a as u64) << 32 | b as u64
}

/// The filter bit of a pair: common CJK chars differ in their low bits.
#[inline]
fn pair_bit(a: char, b: char) -> usize {
    ((a as usize).wrapping_mul(0x9E37) ^ (b as usize)) % FILTER_BITS
}

impl PairScanner {
    /// A scanner over `patterns` (non-empty, distinct; each with whether it is
    /// optional); matches report a pattern's index in this list.
    pub fn new<S: AsRef<str>>(patterns: &[(S, bool)]) -> PairScanner {
        let mut scanner = PairScanner::default();
        let mut by_pair: FxHashMap<u64, Vec<(bool, u32)>> = FxHashMap::default();
        for (i, (p, optional)) in patterns.iter().enumerate() {
            let p = p.as_ref();
            scanner.patterns.push(p.into());
            let mut chars = p.chars();
            let (Some(a), b) = (chars.next(), chars.next()) else {
                continue;
            };
            let starts: &mut [&mut Starts] = if *optional {
                &mut [&mut scanner.all]
            } else {
                &mut [&mut scanner.all, &mut scanner.required]
            };
            match b {
                None => {
                    scanner.singles.insert(a, (i as u32, *optional));
                    starts.iter_mut().for_each(|s| s.single.set(a as usize));
                }
                Some(b) => {
                    by_pair
                        .entry(pair_key(a, b))
                        .or_default()
                        .push((*optional, i as u32));
                    starts.iter_mut().for_each(|s| s.pair.set(pair_bit(a, b)));
                }
            }
        }
        for (key, mut ids) in by_pair {
            ids.sort(); // required ones first
            let start = scanner.entries.len() as u32;
            let required = ids.iter().filter(|(optional, _)| !optional).count() as u32;
            for &(_, id) in &ids {
                let entry = scanner.entry(id);
                scanner.entries.push(entry);
            }
            let bucket = Bucket {
                start,
                required_end: start + required,
                end: scanner.entries.len() as u32,
            };
            scanner.pairs.insert(key, bucket);
        }
        scanner
    }

    /// The entry of pattern `id` (two chars or more), its tail appended to `tails`.
    fn entry(&mut self, id: u32) -> Entry {
        let p = &self.patterns[id as usize];
        let pair_len: usize = p.chars().take(2).map(char::len_utf8).sum();
        let tail = &p.as_bytes()[pair_len..];
        let entry = Entry {
            id,
            third: p[pair_len..].chars().next().map_or(NO_CHAR, |c| c as u32),
            tail: self.tails.len() as u32,
            tail_len: tail.len() as u32,
            chars: p.chars().count() as u32,
        };
        self.tails.extend_from_slice(tail);
        entry
    }

    /// The pattern `id` stands for.
    #[cfg(test)]
    pub fn pattern(&self, id: u32) -> &str {
        &self.patterns[id as usize]
    }

    /// Calls `found(cols, bytes, pattern)` for every occurrence in `text` (by start;
    /// its columns and byte offsets, each as start and end) of every pattern, the
    /// optional ones only `with_optional`. `chars`: the chars of `text`. (The line
    /// pass finds the starts as it decodes, see `start_finder`.)
    #[cfg(test)]
    pub fn for_each_match(
        &self,
        text: &str,
        chars: &[char],
        with_optional: bool,
        found: impl FnMut((usize, usize), (usize, usize), u32),
    ) {
        let starts = self.starts_in(text);
        self.for_each_match_at(text, chars, with_optional, &starts, found);
    }

    /// Where patterns may start in `text`, for a caller that has not fed a
    /// `StartFinder` while decoding it.
    pub fn starts_in(&self, text: &str) -> Vec<Start> {
        let mut starts = Vec::new();
        let mut finder = self.start_finder(&mut starts);
        for (byte, c) in text.char_indices() {
            finder.push(byte, c);
        }
        starts
    }

    /// A `StartFinder` for a line, to be fed its chars.
    pub fn start_finder<'s>(&'s self, found: &'s mut Vec<Start>) -> StartFinder<'s> {
        found.clear();
        StartFinder {
            starts: &self.all,
            found,
            prev: ('\0', 0),
            col: 0,
        }
    }

    /// `for_each_match`, where a `StartFinder` fed the chars of `text` found
    /// `starts`.
    #[inline]
    pub fn for_each_match_at(
        &self,
        text: &str,
        chars: &[char],
        with_optional: bool,
        starts: &[Start],
        mut found: impl FnMut((usize, usize), (usize, usize), u32),
    ) {
        // The finder used the filters with the optional patterns: without them, a
        // start passes again through the filters of the required ones.
        let filters = if with_optional {
            &self.all
        } else {
            &self.required
        };
        for &Start { col, byte } in starts {
            let (k, at) = (col & !SINGLE, byte);
            if col & SINGLE != 0 {
                let a = chars[k];
                if with_optional || filters.single.get(a as usize) {
                    self.match_single(with_optional, (k, at), a, &mut found);
                }
            } else if with_optional || filters.pair.get(pair_bit(chars[k], chars[k + 1])) {
                self.match_pair(text, chars, with_optional, (k, at), &mut found);
            }
        }
    }

    /// The pattern that is the char `a` alone at column `k` (byte `at`), if any.
    #[inline]
    fn match_single(
        &self,
        with_optional: bool,
        (k, at): (usize, usize),
        a: char,
        mut found: impl FnMut((usize, usize), (usize, usize), u32),
    ) {
        match self.singles.get(&a) {
            Some(&(id, optional)) if with_optional || !optional => {
                found((k, k + 1), (at, at + a.len_utf8()), id)
            }
            _ => {}
        }
    }

    /// The patterns of two chars or more at column `k` (byte `at`), whose first two
    /// chars passed the filter.
    #[inline]
    fn match_pair(
        &self,
        text: &str,
        chars: &[char],
        with_optional: bool,
        (k, at): (usize, usize),
        mut found: impl FnMut((usize, usize), (usize, usize), u32),
    ) {
        let (a, b) = (chars[k], chars[k + 1]);
        let Some(bucket) = self.pairs.get(&pair_key(a, b)) else {
            return;
        };
        let end = if with_optional {
            bucket.end
        } else {
            bucket.required_end
        };
        let entries = &self.entries[bucket.start as usize..end as usize];
        let third = chars.get(k + 2).map_or(NO_CHAR - 1, |&c| c as u32);
        let after = at + a.len_utf8() + b.len_utf8();
        let rest = &text.as_bytes()[after..];
        for e in entries {
            let end = if e.third == NO_CHAR {
                after
            } else if e.third == third {
                let tail = &self.tails[e.tail as usize..(e.tail + e.tail_len) as usize];
                if !rest.starts_with(tail) {
                    continue;
                }
                after + tail.len()
            } else {
                continue;
            };
            found((k, k + e.chars as usize), (at, end), e.id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(s: &PairScanner, text: &str, optional: bool) -> Vec<(usize, usize, String)> {
        let mut out = Vec::new();
        let chars: Vec<char> = text.chars().collect();
        s.for_each_match(text, &chars, optional, |(c, d), (a, b), id| {
            assert_eq!(d - c, s.pattern(id).chars().count());
            out.push((a, b, s.pattern(id).to_string()))
        });
        out.sort();
        out
    }

    /// Every occurrence of every pattern, by brute force.
    fn naive(patterns: &[&str], text: &str) -> Vec<(usize, usize, String)> {
        let mut out = Vec::new();
        for p in patterns {
            for (at, _) in text.char_indices() {
                if text[at..].starts_with(p) {
                    out.push((at, at + p.len(), p.to_string()));
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn finds_overlapping_single_and_non_bmp_patterns() {
        let patterns = [
            "四个意识",
            "意识",
            "政治意识",
            "党",
            "党的建设",
            "“144”工作",
            "𠀀字",
            "ab",
            "a",
        ];
        // Every third one optional.
        let flagged: Vec<(&str, bool)> = patterns
            .iter()
            .enumerate()
            .map(|(i, p)| (*p, i % 3 == 1))
            .collect();
        let required: Vec<&str> = patterns
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 3 != 1)
            .map(|(_, p)| *p)
            .collect();
        let s = PairScanner::new(&flagged);
        for text in [
            "增强“四个意识”，政治意识、大局意识，加强党的建设",
            "围绕“144”工作部署，𠀀字𠀀字ab a",
            "",
            "党",
            "意识意识意",
        ] {
            assert_eq!(all(&s, text, true), naive(&patterns, text), "{text}");
            assert_eq!(all(&s, text, false), naive(&required, text), "{text}");
        }
    }
}
