//! Automatic numbering (`numbering.xml`): the marker Word displays in front of a
//! numbered paragraph, from the level's `lvlText` (“%1、”, “（%1）”) and `numFmt`
//! (chineseCounting, decimal, …), counted per list and level the way Word counts.

use super::package::{attr, MAX_DEPTH};
use super::DocxError;
use crate::text::numerals::han_numeral;
use quick_xml::events::Event;
use std::collections::HashMap;

#[derive(Debug, Clone, Default)]
struct Level {
    start: u32,
    format: String,
    text: Option<String>,
    /// `lvlRestart`: restart after a level at most this (1-based) is used; 0 = never.
    restart: Option<u32>,
    legal: bool,
}

#[derive(Debug, Clone, Default)]
struct Num {
    abstract_id: String,
    start_overrides: HashMap<u8, u32>,
    level_overrides: HashMap<u8, Level>,
}

/// The numbering definitions of a document and the counters of its lists.
#[derive(Debug, Default)]
pub struct Numbering {
    abstracts: HashMap<String, HashMap<u8, Level>>,
    nums: HashMap<String, Num>,
    /// Counters per list instance; a list is its abstract numbering unless its `num`
    /// overrides levels (then the `num` is a list of its own, as Word restarts it).
    counters: HashMap<String, [Option<u32>; 9]>,
}

impl Numbering {
    pub fn parse(xml: &[u8]) -> Result<Numbering, DocxError> {
        let mut out = Numbering::default();
        let mut reader = quick_xml::Reader::from_reader(xml);
        let mut stack: Vec<Vec<u8>> = Vec::new();
        let mut abstract_id: Option<String> = None;
        let mut num: Option<(String, Num)> = None;
        let mut level: Option<(u8, Level)> = None;
        let mut override_level: Option<u8> = None;
        loop {
            let event = reader
                .read_event()
                .map_err(|e| super::package::malformed("numbering.xml", &e.to_string()))?;
            let (e, empty) = match &event {
                Event::Start(e) => (e, false),
                Event::Empty(e) => (e, true),
                Event::End(_) => {
                    let name = stack.pop().unwrap_or_default();
                    match name.as_slice() {
                        b"abstractNum" => abstract_id = None,
                        b"lvl" => {
                            if let Some((ilvl, lvl)) = level.take() {
                                if let Some((_, n)) = num.as_mut() {
                                    if let Some(o) = override_level {
                                        n.level_overrides.insert(o, lvl);
                                    }
                                } else if let Some(a) = &abstract_id {
                                    out.abstracts
                                        .entry(a.clone())
                                        .or_default()
                                        .insert(ilvl, lvl);
                                }
                            }
                        }
                        b"lvlOverride" => override_level = None,
                        b"num" => {
                            if let Some((id, n)) = num.take() {
                                out.nums.insert(id, n);
                            }
                        }
                        _ => {}
                    }
                    continue;
                }
                Event::Eof => break,
                _ => continue,
            };
            let name = e.local_name().as_ref().to_vec();
            let val = || attr(e, "val");
            match name.as_slice() {
                b"abstractNum" => abstract_id = attr(e, "abstractNumId"),
                b"num" => num = attr(e, "numId").map(|id| (id, Num::default())),
                b"abstractNumId" => {
                    if let (Some((_, n)), Some(v)) = (num.as_mut(), val()) {
                        n.abstract_id = v;
                    }
                }
                b"lvlOverride" => override_level = attr(e, "ilvl").and_then(|v| v.parse().ok()),
                b"startOverride" => {
                    if let (Some((_, n)), Some(o), Some(v)) = (
                        num.as_mut(),
                        override_level,
                        val().and_then(|v| v.parse().ok()),
                    ) {
                        n.start_overrides.insert(o, v);
                    }
                }
                b"lvl" => {
                    let ilvl = attr(e, "ilvl").and_then(|v| v.parse().ok()).unwrap_or(0);
                    level = Some((
                        ilvl,
                        Level {
                            start: 1,
                            format: "decimal".into(),
                            ..Level::default()
                        },
                    ));
                }
                b"start" | b"numFmt" | b"lvlText" | b"lvlRestart" | b"isLgl" => {
                    if let Some((_, l)) = level.as_mut() {
                        match name.as_slice() {
                            b"start" => l.start = val().and_then(|v| v.parse().ok()).unwrap_or(1),
                            b"numFmt" => l.format = val().unwrap_or_default(),
                            b"lvlText" => l.text = val(),
                            b"lvlRestart" => l.restart = val().and_then(|v| v.parse().ok()),
                            _ => l.legal = val().is_none_or(|v| v != "0" && v != "false"),
                        }
                    }
                }
                _ => {}
            }
            if !empty {
                stack.push(name);
                if stack.len() > MAX_DEPTH {
                    return Err(DocxError::new("numbering.xml 嵌套过深，文件可能已损坏"));
                }
            }
        }
        Ok(out)
    }

    fn level<'a>(&'a self, num: &'a Num, ilvl: u8) -> Option<&'a Level> {
        num.level_overrides
            .get(&ilvl)
            .or_else(|| self.abstracts.get(&num.abstract_id)?.get(&ilvl))
    }

    /// Counts one more paragraph of list `num_id` at level `ilvl` and returns the marker
    /// Word shows for it (None when the paragraph is not numbered: numId 0 or unknown).
    pub fn next(&mut self, num_id: &str, ilvl: u8) -> Option<String> {
        let ilvl = ilvl.min(8);
        let num = self.nums.get(num_id)?.clone();
        let levels: Vec<Option<Level>> = (0..9).map(|l| self.level(&num, l).cloned()).collect();
        let this = levels[ilvl as usize].clone()?;
        let overridden = !num.start_overrides.is_empty() || !num.level_overrides.is_empty();
        let key = if overridden {
            format!("num:{num_id}")
        } else {
            format!("abstract:{}", num.abstract_id)
        };
        let start_of = |l: usize| {
            num.start_overrides
                .get(&(l as u8))
                .copied()
                .or(levels[l].as_ref().map(|lv| lv.start))
                .unwrap_or(1)
        };
        let counters = self.counters.entry(key).or_default();
        let i = ilvl as usize;
        counters[i] = Some(counters[i].map_or(start_of(i), |n| n + 1));
        // Deeper levels restart unless their lvlRestart says otherwise.
        for (deeper, level) in levels.iter().enumerate().skip(i + 1) {
            let restart = level.as_ref().and_then(|l| l.restart);
            let restarts = match restart {
                Some(0) => false,
                Some(r) => (r as usize) > i,
                None => true,
            };
            if restarts {
                counters[deeper] = None;
            }
        }
        let template = this.text.clone().unwrap_or_default();
        if this.format == "none" {
            return Some(strip_placeholders(&template));
        }
        if this.format == "bullet" {
            return Some(template);
        }
        let mut out = String::new();
        let mut chars = template.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%' {
                if let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                    chars.next();
                    let l = (d as usize).saturating_sub(1).min(8);
                    let n = counters[l].unwrap_or_else(|| start_of(l));
                    let format = match &levels[l] {
                        _ if this.legal => "decimal",
                        Some(lv) => lv.format.as_str(),
                        None => "decimal",
                    };
                    out.push_str(&format_number(n, format));
                    continue;
                }
            }
            out.push(c);
        }
        Some(out)
    }
}

fn strip_placeholders(template: &str) -> String {
    let mut out = String::new();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '%' && chars.peek().is_some_and(|d| d.is_ascii_digit()) {
            chars.next();
            continue;
        }
        out.push(c);
    }
    out
}

const TIANGAN: [char; 10] = ['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'];
const DIZHI: [char; 12] = [
    '子', '丑', '寅', '卯', '辰', '巳', '午', '未', '申', '酉', '戌', '亥',
];

/// A number in a `numFmt` (ST_NumberFormat). Formats without a Chinese reader's use
/// fall back to decimal digits.
pub fn format_number(n: u32, format: &str) -> String {
    match format {
        "chineseCounting"
        | "chineseCountingThousand"
        | "japaneseCounting"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand"
        | "koreanCounting" => chinese_counting(n),
        "ideographDigital" | "taiwaneseDigital" | "japaneseDigitalTenThousand" => n
            .to_string()
            .chars()
            .map(|d| {
                ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九']
                    [d as usize - '0' as usize]
            })
            .collect(),
        "chineseLegalSimplified" | "ideographLegalTraditional" | "japaneseLegal" => legal(n),
        "ideographTraditional" => cycle(&TIANGAN, n),
        "ideographZodiac" => cycle(&DIZHI, n),
        "decimalZero" if n < 10 => format!("0{n}"),
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|d| char::from_u32(d as u32 - '0' as u32 + 0xFF10).unwrap_or(d))
            .collect(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32(0x2460 + n - 1).map_or(n.to_string(), String::from)
        }
        "decimalEnclosedParen" if (1..=20).contains(&n) => {
            char::from_u32(0x2474 + n - 1).map_or(n.to_string(), String::from)
        }
        "decimalEnclosedFullstop" if (1..=20).contains(&n) => {
            char::from_u32(0x2488 + n - 1).map_or(n.to_string(), String::from)
        }
        "upperLetter" | "lowerLetter" => {
            let base = if format == "upperLetter" { b'A' } else { b'a' };
            // Word repeats the letter: A … Z, AA … ZZ.
            let n = n.max(1) - 1;
            let letter = (base + (n % 26) as u8) as char;
            letter.to_string().repeat(n as usize / 26 + 1)
        }
        "upperRoman" | "lowerRoman" => {
            let r = roman(n);
            if format == "lowerRoman" {
                r.to_lowercase()
            } else {
                r
            }
        }
        _ => n.to_string(),
    }
}

fn cycle(signs: &[char], n: u32) -> String {
    signs[(n.max(1) as usize - 1) % signs.len()].to_string()
}

/// 一 … 十 … 九十九, then 一百, 一百零一, 一百一十 … 九千九百九十九.
fn chinese_counting(n: u32) -> String {
    if n < 100 {
        return han_numeral(n);
    }
    if n >= 10_000 {
        return n.to_string();
    }
    let digits = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    let units = ['千', '百', '十', ' '];
    let s = format!("{n:04}");
    let mut out = String::new();
    let mut zero = false;
    for (i, d) in s.chars().enumerate() {
        let d = d as usize - '0' as usize;
        if d == 0 {
            zero = !out.is_empty();
            continue;
        }
        if zero {
            out.push('零');
            zero = false;
        }
        out.push(digits[d]);
        if units[i] != ' ' {
            out.push(units[i]);
        }
    }
    out
}

fn legal(n: u32) -> String {
    const UPPER: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
    chinese_counting(n)
        .chars()
        .map(|c| match c {
            '十' => '拾',
            '百' => '佰',
            '千' => '仟',
            '〇' => '零',
            c => crate::text::numerals::han_digit(c).map_or(c, |d| UPPER[d as usize]),
        })
        .collect()
}

fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, sign) in TABLE {
        while n >= value {
            out.push_str(sign);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const XML: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
  <w:abstractNum w:abstractNumId="0">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
    <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
    <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%4"/><w:isLgl/></w:lvl>
  </w:abstractNum>
  <w:abstractNum w:abstractNumId="1">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="ideographTraditional"/><w:lvlText w:val="%1、"/></w:lvl>
  </w:abstractNum>
  <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
  <w:num w:numId="2"><w:abstractNumId w:val="0"/></w:num>
  <w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="9"/></w:lvlOverride></w:num>
  <w:num w:numId="4"><w:abstractNumId w:val="1"/></w:num>
</w:numbering>"#;

    #[test]
    fn markers_are_counted_per_list_and_level_as_word_counts() {
        let mut n = Numbering::parse(XML.as_bytes()).unwrap();
        let mut seq = |id: &str, l: u8| n.next(id, l).unwrap();
        assert_eq!(seq("1", 0), "一、");
        assert_eq!(seq("1", 1), "（一）");
        assert_eq!(seq("1", 1), "（二）");
        assert_eq!(seq("1", 2), "1.");
        assert_eq!(seq("1", 2), "2.");
        assert_eq!(seq("1", 0), "二、");
        // A deeper level restarts under a new parent.
        assert_eq!(seq("1", 1), "（一）");
        // Another num of the same abstract numbering continues the list.
        assert_eq!(seq("2", 0), "三、");
        // isLgl renders every level in Arabic digits.
        assert_eq!(seq("2", 3), "3.1");
        // A start override makes a list of its own.
        assert_eq!(seq("3", 0), "九、");
        assert_eq!(seq("3", 0), "十、");
        assert_eq!(seq("4", 0), "甲、");
        assert_eq!(seq("4", 0), "乙、");
        assert_eq!(n.next("0", 0), None);
    }

    #[test]
    fn number_formats() {
        assert_eq!(format_number(11, "chineseCounting"), "十一");
        assert_eq!(format_number(21, "chineseCountingThousand"), "二十一");
        assert_eq!(format_number(105, "chineseCountingThousand"), "一百零五");
        assert_eq!(format_number(110, "chineseCounting"), "一百一十");
        assert_eq!(format_number(3, "chineseLegalSimplified"), "叁");
        assert_eq!(format_number(12, "ideographDigital"), "一二");
        assert_eq!(format_number(3, "decimalEnclosedCircleChinese"), "③");
        assert_eq!(format_number(2, "decimalEnclosedParen"), "⑵");
        assert_eq!(format_number(4, "upperRoman"), "IV");
        assert_eq!(format_number(28, "lowerLetter"), "bb");
        assert_eq!(format_number(7, "decimalZero"), "07");
        assert_eq!(format_number(13, "ideographZodiac"), "子");
    }
}
