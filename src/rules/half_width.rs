//! Half-width punctuation in Chinese text (工作,关乎 → 工作，关乎), and the opt-in hint
//! about 顿号 between quoted items.

use super::{Diagnostic, Fix, LineCtx, Rule, RuleDoc};
use crate::analysis::markers::MarkerPunct;
use crate::config::RuleLevel;
use crate::text::{is_cjk_punct, is_han, Span};

fn full_width(c: char) -> Option<char> {
    Some(match c {
        ',' => '，',
        '.' => '。',
        ';' => '；',
        ':' => '：',
        '?' => '？',
        '!' => '！',
        '(' => '（',
        ')' => '）',
        _ => return None,
    })
}

/// Whether `text` holds any mark `half_width_in_chinese` looks at (those `full_width`
/// converts and the straight double quote): three vectorised searches of the bytes,
/// where most Chinese paragraphs have none, instead of a match on every char.
fn has_half_width_mark(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr3(b',', b'.', b';', b).is_some()
        || memchr::memchr3(b':', b'?', b'!', b).is_some()
        || memchr::memchr3(b'(', b')', b'"', b).is_some()
        || memchr::memchr(b'\'', b).is_some()
}

fn chinese(c: Option<&char>) -> bool {
    c.is_some_and(|&c| is_han(c) || is_cjk_punct(c))
}

/// Chinese text ends right before the mark: a Han char, or a closing quote or bracket
/// after one (“两个维护”. / 同志们:).
fn after_chinese(prev: Option<&char>) -> bool {
    prev.is_some_and(|&p| is_han(p) || matches!(p, '”' | '’' | '）' | '》' | '」' | '』' | '】'))
}

/// A number ends right before the mark (增长7.9%,财政收入 / 共5,其中): with Chinese after
/// it, the mark is a sentence's, not a number's (1,000 and 15:40 have digits after).
fn after_number(prev: Option<&char>, c: char) -> bool {
    prev.is_some_and(|&p| matches!(p, '%' | '％') || p.is_ascii_digit() && matches!(c, ',' | ';'))
}

/// After a number, the mark ends a Chinese clause: Chinese follows, or the line ends
/// (增长5.2%; at a paragraph's end; a colon there may be a time's, 15:).
fn ends_clause(next: Option<&char>, c: char) -> bool {
    next.map_or(c != ':', |&n| is_han(n))
}

/// Columns of half-width punctuation that sits in Chinese context, with its
/// full-width form. Used by the rule and by formatting.
pub fn half_width_in_chinese(chars: &[char]) -> Vec<(usize, char)> {
    half_width_at(chars, &crate::text::LineIndex::of(chars).others)
}

/// `half_width_in_chinese`, looking only at the chars at `positions` (in order): a
/// line's chars that are not Han (`LineCtx::others`) hold every mark it converts.
fn half_width_at(chars: &[char], positions: &[u32]) -> Vec<(usize, char)> {
    let mut out = Vec::new();
    for &i in positions {
        let i = i as usize;
        let c = chars[i];
        let Some(full) = full_width(c) else { continue };
        let prev = if i > 0 { chars.get(i - 1) } else { None };
        // Allow one space after the mark (工作, 关乎).
        let next_i = if chars.get(i + 1) == Some(&' ') {
            i + 2
        } else {
            i + 1
        };
        let next = chars.get(next_i);
        // A bracket pair whose content is Chinese, and that touches Chinese or is the
        // whole line ((2026年3月18日) under a title).
        let chinese_pair = |open: usize, close: usize| {
            let blank = |s: &[char]| s.iter().all(|c| c.is_whitespace());
            chars[open + 1..close].iter().any(|&x| is_han(x))
                && (open > 0 && is_han(chars[open - 1])
                    || chinese(chars.get(close + 1))
                    || blank(&chars[..open]) && blank(&chars[close + 1..]))
        };
        let hit = match c {
            '(' => chars[i + 1..]
                .iter()
                .position(|&x| x == ')')
                .is_some_and(|p| chinese_pair(i, i + 1 + p)),
            ')' => chars[..i]
                .iter()
                .rposition(|&x| x == '(')
                .is_some_and(|s| chinese_pair(s, i)),
            // 赞誉.170: a decimal point has a digit before it.
            '.' => {
                after_chinese(prev) && next.is_none_or(|&n| is_han(n) || n.is_ascii_digit())
                    || after_number(prev, c) && ends_clause(next, c)
            }
            _ => {
                // A straight quote beside the mark counts as the curly one it stands
                // for when Han is on its other side (他强调,"要抓好落实"; "两个维护",).
                let han_at =
                    |k: Option<usize>| k.and_then(|k| chars.get(k)).is_some_and(|&h| is_han(h));
                let straight = |q: Option<&char>| q.is_some_and(|&q| q == '"' || q == '\'');
                let after = after_chinese(prev) || straight(prev) && han_at(i.checked_sub(2));
                let before = next.is_none_or(|&n| is_han(n) || n == '“')
                    || straight(next) && han_at(Some(next_i + 1));
                after && before || after_number(prev, c) && ends_clause(next, c)
            }
        };
        if hit {
            out.push((i, full));
        }
    }
    out.extend(straight_quotes_in_chinese(chars, positions));
    out.extend(straight_single_quotes_in_chinese(chars, positions));
    out.sort_unstable();
    out
}

/// Straight double quotes around Chinese ("急难愁盼"), with the curly quote each stands
/// for. A straight quote may also close a curly one (“关怀模式") or open one that a curly
/// quote closes ("蒙速办”): quotes are paired in order as brackets are. Straight quotes
/// that pair with each other are left alone when one more is left over: which one is
/// missing is a guess.
fn straight_quotes_in_chinese(chars: &[char], positions: &[u32]) -> Vec<(usize, char)> {
    let roles = straight_quote_roles(chars, positions);
    let leftover = roles.iter().any(|r| r.partner.is_none());
    let mut out = Vec::new();
    for r in &roles {
        match r.partner {
            Some(Partner::Curly) => out.push((r.at, r.role)),
            Some(Partner::Straight(e)) if !leftover && r.role == '“' => {
                let s = r.at;
                let before = if s > 0 { chars.get(s - 1) } else { None };
                let touches_chinese = s == 0 || chinese(before) || chinese(chars.get(e + 1));
                if chars[s + 1..e].iter().any(|&c| is_han(c)) && touches_chinese {
                    out.push((s, '“'));
                    out.push((e, '”'));
                }
            }
            _ => {}
        }
    }
    out
}

/// Straight single quotes around Chinese ('要抓好落实'), paired in order, with the
/// curly quotes each pair stands for: single ones inside a double quotation (‘’), double
/// ones outside it (GB/T 15834-2011: a quotation takes double quotes, a quotation inside
/// it single ones). An apostrophe of Latin text (it's) touches no Chinese, and a line
/// with an odd number of them is left alone.
fn straight_single_quotes_in_chinese(chars: &[char], positions: &[u32]) -> Vec<(usize, char)> {
    let quotes: Vec<usize> = positions
        .iter()
        .map(|&i| i as usize)
        .filter(|&i| chars[i] == '\'')
        .collect();
    if quotes.len() % 2 != 0 {
        return Vec::new();
    }
    let mut out = Vec::new();
    for pair in quotes.chunks_exact(2) {
        let (s, e) = (pair[0], pair[1]);
        let inner_chinese = chinese(chars.get(s + 1)) && chinese(chars.get(e - 1));
        let before = if s > 0 { chars.get(s - 1) } else { None };
        let touches_chinese = s == 0 || chinese(before) || chinese(chars.get(e + 1));
        if e > s + 1 && inner_chinese && touches_chinese {
            // Inside a double quotation when more of them open than close before it.
            let depth = chars[..s].iter().fold(0i32, |d, &c| match c {
                '“' => d + 1,
                '”' => d - 1,
                _ => d,
            });
            let (open, close) = if depth > 0 {
                ('‘', '’')
            } else {
                ('“', '”')
            };
            out.push((s, open));
            out.push((e, close));
        }
    }
    out
}

/// What a straight quote pairs with: a curly quote, or another straight one (at).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Partner {
    Curly,
    Straight(usize),
}

/// A straight double quote, the curly quote it stands for, and its partner (None if
/// it has none).
#[derive(Debug, Clone, Copy)]
pub(super) struct StraightQuote {
    pub at: usize,
    pub role: char,
    pub partner: Option<Partner>,
}

/// The straight double quotes of a line (among `positions`), paired in order with the
/// curly and straight quotes around them. Shared with `unbalanced-pair`, which takes a
/// curly quote closed by a straight one as paired (the straight one is reported here).
pub(super) fn straight_quote_roles(chars: &[char], positions: &[u32]) -> Vec<StraightQuote> {
    // Open quotes: (position, straight?).
    let mut open: Vec<(usize, bool)> = Vec::new();
    let mut out: Vec<StraightQuote> = Vec::new();
    for &i in positions {
        let i = i as usize;
        match chars[i] {
            '“' => open.push((i, false)),
            '”' => {
                if let Some((o, straight)) = open.pop() {
                    if straight {
                        out.push(StraightQuote {
                            at: o,
                            role: '“',
                            partner: Some(Partner::Curly),
                        });
                    }
                }
            }
            '"' => match open.pop() {
                Some((o, straight)) => {
                    let partner = if straight {
                        out.push(StraightQuote {
                            at: o,
                            role: '“',
                            partner: Some(Partner::Straight(i)),
                        });
                        Partner::Straight(o)
                    } else {
                        Partner::Curly
                    };
                    out.push(StraightQuote {
                        at: i,
                        role: '”',
                        partner: Some(partner),
                    });
                }
                None => open.push((i, true)),
            },
            _ => {}
        }
    }
    out.extend(
        open.into_iter()
            .filter(|&(_, straight)| straight)
            .map(|(at, _)| StraightQuote {
                at,
                role: '“',
                partner: None,
            }),
    );
    out.sort_by_key(|r| r.at);
    out
}

pub struct HalfWidthPunct;

impl Rule for HalfWidthPunct {
    fn code(&self) -> &'static str {
        "half-width-punctuation"
    }
    fn default_level(&self) -> RuleLevel {
        RuleLevel::Warning
    }
    fn doc(&self) -> RuleDoc {
        RuleDoc {
            title: "中文中的半角标点 (half-width punctuation in Chinese text)",
            description: "Chinese text takes full-width punctuation (GB/T 15834-2011): a half-width , . ; : ? ! ( ) between Chinese characters is a typing slip, and so are straight quotes around Chinese (\"急难愁盼\" → “急难愁盼”; '要抓好落实' → “要抓好落实”, or ‘要抓好落实’ inside a double quotation). Numbers (3.5, 15:40), Latin text and URLs are left alone. The fix (also applied by formatting) makes it full-width.",
            bad: "意识形态工作是党的一项极端重要的工作,关乎旗帜。",
            good: "意识形态工作是党的一项极端重要的工作，关乎旗帜。",
        }
    }
    fn check_line(&self, ctx: &LineCtx, out: &mut Vec<Diagnostic>) {
        if !has_half_width_mark(ctx.text) {
            return;
        }
        // The brackets of a point's marker, (1) or (一), are `marker-punctuation`'s,
        // which mends the marker as a whole.
        let marker_brackets: Vec<usize> = ctx
            .facts
            .start_marker
            .iter()
            .chain(&ctx.facts.inline_markers)
            .filter(|m| m.punct == MarkerPunct::HalfBrackets)
            .flat_map(|m| [m.start as usize, m.punct_start as usize - 1])
            .collect();
        for (i, full) in half_width_at(ctx.chars, ctx.others()) {
            if marker_brackets.contains(&i) {
                continue;
            }
            let span = Span::on_line(0, i as u32, i as u32 + 1);
            out.push(
                Diagnostic::new(
                    self.code(),
                    self.default_level(),
                    span,
                    format!(
                        "中文语境中应使用全角标点“{full}”，而不是半角“{}”。",
                        ctx.chars[i]
                    ),
                )
                .with_fix(Fix::replace(span, full.to_string(), true)),
            );
        }
    }
}

pub struct QuotedListComma;

impl Rule for QuotedListComma {
    fn code(&self) -> &'static str {
        "quoted-list-comma"
    }
    fn default_level(&self) -> RuleLevel {
        RuleLevel::Off
    }
    fn doc(&self) -> RuleDoc {
        RuleDoc {
            title: "引号并列成分间的顿号 (顿号 between quoted items; opt-in)",
            description: "GB/T 15834-2011 4.5.3.5 says quoted items in a series usually take no 顿号, but central documents write “一国两制”、“港人治港” throughout, so this is off by default; turn it on as a hint if your unit follows the standard strictly.",
            bad: "坚持“一国两制”、“港人治港”、“澳人治澳”。",
            good: "坚持“一国两制”“港人治港”“澳人治澳”。",
        }
    }
    fn check_line(&self, ctx: &LineCtx, out: &mut Vec<Diagnostic>) {
        let marks = ctx.facts.marks;
        if !marks.has('、') || !marks.has('“') {
            return;
        }
        let chars = ctx.chars;
        for &at in ctx.others() {
            let at = at as usize;
            if chars[at] == '、'
                && at > 0
                && chars[at - 1] == '”'
                && chars.get(at + 1) == Some(&'“')
            {
                let span = Span::on_line(0, at as u32, at as u32 + 1);
                out.push(
                    Diagnostic::new(
                        self.code(),
                        RuleLevel::Hint,
                        span,
                        "标有引号的并列成分之间通常不用顿号（GB/T 15834-2011 4.5.3.5）。",
                    )
                    .with_fix(Fix {
                        title: "删除顿号".into(),
                        edits: vec![super::Edit {
                            span,
                            new_text: String::new(),
                        }],
                        certain: false,
                    }),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{apply_first_fixes, diags};

    #[test]
    fn a_markers_brackets_are_left_to_marker_punctuation() {
        for text in ["(一)加强组织领导。", "一是加强领导。(二)压实责任。"] {
            assert!(diags("half-width-punctuation", text).is_empty(), "{text}");
            assert_eq!(diags("marker-punctuation", text).len(), 1, "{text}");
        }
        // Brackets that are no marker are still reported.
        assert_eq!(
            diags("half-width-punctuation", "要抓好落实(特别是基层)。").len(),
            2
        );
    }

    #[test]
    fn a_line_in_brackets_is_chinese_text() {
        let text = "在全市工作会议上的讲话\n(2026年3月18日)\n同志们：";
        let d = diags("half-width-punctuation", text);
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(
            apply_first_fixes(text, &d),
            "在全市工作会议上的讲话\n（2026年3月18日）\n同志们："
        );
        assert!(diags("half-width-punctuation", "(see page 3)\n(2026)").is_empty());
    }

    #[test]
    fn straight_single_quotes_around_chinese() {
        let text = "他说'要抓好落实'。";
        let d = diags("half-width-punctuation", text);
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(apply_first_fixes(text, &d), "他说“要抓好落实”。");
        let nested = "他强调：“要发扬'钉钉子'精神。”";
        let d = diags("half-width-punctuation", nested);
        assert_eq!(
            apply_first_fixes(nested, &d),
            "他强调：“要发扬‘钉钉子’精神。”"
        );
        for text in [
            "打开It's a test文档。",
            "他说'好。",
            "参见'Word'文档。",
            "要抓好落实，it's ok，don't worry。",
        ] {
            assert!(diags("half-width-punctuation", text).is_empty(), "{text}");
        }
    }

    #[test]
    fn straight_quotes_around_chinese() {
        let text = "解决群众\"急难愁盼\"问题，打开\"Word\"文档。";
        let d = diags("half-width-punctuation", text);
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(
            apply_first_fixes(text, &d),
            "解决群众“急难愁盼”问题，打开\"Word\"文档。"
        );
        // An odd number: nothing to pair.
        assert!(diags("half-width-punctuation", "他说\"好。").is_empty());
        // Straight quotes closing curly ones, or opening for them.
        let mixed = "推出“关怀模式\"“长辈模式\"，接入\"蒙速办”。";
        let d = diags("half-width-punctuation", mixed);
        assert_eq!(d.len(), 3, "{d:?}");
        assert_eq!(
            apply_first_fixes(mixed, &d),
            "推出“关怀模式”“长辈模式”，接入“蒙速办”。"
        );
        assert!(diags("unbalanced-pair", mixed).is_empty());
        // A curly quote left open is still unbalanced.
        assert_eq!(
            diags("unbalanced-pair", "推出“关怀模式\"“长辈模式。").len(),
            1
        );
    }

    #[test]
    fn marks_after_numbers_before_chinese() {
        let text = "增长7.9%,财政收入增长5,其中税收增长3%.高度赞誉.170多个国家";
        let d = diags("half-width-punctuation", text);
        assert_eq!(d.len(), 4, "{d:?}");
        assert_eq!(
            apply_first_fixes(text, &d),
            "增长7.9%，财政收入增长5，其中税收增长3%。高度赞誉。170多个国家"
        );
        // Numbers keep their own marks.
        assert!(diags(
            "half-width-punctuation",
            "共1,000人，增长3.5%，15:40开会，5.2亿元。"
        )
        .is_empty());
    }

    #[test]
    fn marks_at_a_paragraphs_end_and_after_closing_quotes() {
        for (text, fixed) in [
            ("同志们:", "同志们："),
            ("要做到“两个维护”.", "要做到“两个维护”。"),
            (
                "增强“四个意识”,坚定“四个自信”",
                "增强“四个意识”，坚定“四个自信”",
            ),
            ("地区生产总值增长5.2%;", "地区生产总值增长5.2%；"),
        ] {
            let d = diags("half-width-punctuation", text);
            assert_eq!(d.len(), 1, "{text}: {d:?}");
            assert_eq!(apply_first_fixes(text, &d), fixed);
        }
        for text in ["会议定于15:", "详见《通知》.docx", "版本为V2.0."] {
            assert!(diags("half-width-punctuation", text).is_empty(), "{text}");
        }
        // Beside straight quotes around Chinese, the marks are the sentence's too.
        for (text, fixed) in [
            ("他强调,\"要抓好落实\"。", "他强调，“要抓好落实”。"),
            ("做到\"两个维护\",坚定信心。", "做到“两个维护”，坚定信心。"),
        ] {
            let d = diags("half-width-punctuation", text);
            assert_eq!(d.len(), 3, "{text}: {d:?}");
            assert_eq!(apply_first_fixes(text, &d), fixed);
        }
        assert!(diags("half-width-punctuation", "He said, \"ok\", 然后走了。").is_empty());
    }

    #[test]
    fn flags_only_chinese_context() {
        let text = "工作,关乎旗帜;各单位(部门)要落实.同时 3.5亿元、15:40、QQ群, Word文档 (PDF)";
        let d = diags("half-width-punctuation", text);
        assert_eq!(d.len(), 5, "{d:?}");
        assert_eq!(
            apply_first_fixes(text, &d),
            "工作，关乎旗帜；各单位（部门）要落实。同时 3.5亿元、15:40、QQ群, Word文档 (PDF)"
        );
    }
}
