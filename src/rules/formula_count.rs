//! A formula's name with the wrong number: “三个意识” where the knowledge base knows
//! only “四个意识”. Numeric abbreviations are coined all the time (“四个一批” for a
//! county's projects), so a quoted name is reported only when its words after the count
//! name exactly one known formula, that formula is verified and unambiguous, no known
//! entry carries the written count, and the draft does not define the name where it
//! writes it (a run of points, a colon, a note mark, items listed right before it, a
//! definition on the line). Names of 一 and a measure word (一批, 一流) are a pattern.
//! Unquoted, a name is judged only among other numbered formulas' names (增强三个意识、
//! 坚定四个自信). A known 两个 name written 二个 (二个维护) is reported wherever it stands.

use super::{Diagnostic, Fix, LineCtx, Rule, RuleDoc, Validity};
use crate::analysis::markers::Family;
use crate::config::RuleLevel;
use crate::knowledge::{split_counted_name, Formula, Knowledge, Status, Verified};
use crate::text::numerals::han_numeral;
use crate::text::Span;

pub struct FormulaCount;

/// The longest name looked at inside quotes.
const NAME_MAX: usize = 12;
/// The chars a count before 个 is written in (三个, 十四个, 两个).
const COUNT_NUMERALS: &str = "一二三四五六七八九十两";

impl Rule for FormulaCount {
    fn code(&self) -> &'static str {
        "formula-count"
    }
    fn default_level(&self) -> RuleLevel {
        RuleLevel::Warning
    }
    fn doc(&self) -> RuleDoc {
        RuleDoc {
            title: "提法数字有误 (a formula's name with the wrong number)",
            description: "A quoted numeric abbreviation (“三个意识”) that is not a known formula, while a known, verified formula has the same words with another number (“四个意识”), is most likely that formula miswritten. Not reported when the words after the number are used by several known formulas with different numbers (个坚持, 个必须), or when the draft may define the name in its paragraph: items or a colon after it (also its items after ，即 or ，就是: 牢固树立“五个意识”，即……), a run of points after it, or a run of as many points as the name counts (一是……三是……，这就是“三个……”); a 一方面……另一方面 pair counts nothing; items listed right before the name (新建布局、优化提升、整合重组、调整淘汰“四个一批”); a note mark after it (［17］, ①). Nor are names of 一 and a measure word (“六个一批”), a pattern plans coin names with, nor is the name of a campaign or programme (开展“三个意识”教育, “五个一”工程), which local and sectoral work gives numeric names of its own. Without quotes, such a name is reported only among other numbered formulas' names in its sentence (增强三个意识、坚定四个自信、做到两个维护), ending before a mark, 的 or words that follow such names (战略布局, 重要思想): alone, unquoted words after a count are as often a count of things (两个代表). A known name counted 两个 written with 二 (二个维护, quoted or not) is reported too: before the measure word 个 a lone 2 is 两; 十二个, 第二个 and 一二个 are other numbers.",
            bad: "各级党组织要增强“三个意识”、坚定“四个自信”。",
            good: "各级党组织要增强“四个意识”、坚定“四个自信”。",
        }
    }
    fn check_line(&self, ctx: &LineCtx, out: &mut Vec<Diagnostic>) {
        if !ctx.facts.marks.has('个') {
            return;
        }
        self.check_counts(ctx, out);
        if !ctx.facts.marks.has('“') {
            return;
        }
        let chars = ctx.chars;
        // Quotes are among the chars that are not Han.
        let opens = ctx.others().iter().map(|&i| i as usize);
        for open in opens.filter(|&i| chars[i] == '“') {
            let Some(name) = quoted_count_name(chars, open + 1) else {
                continue;
            };
            let Some(((n, used), tail)) = split_counted_name(&name) else {
                continue;
            };
            let end = open + 1 + name.chars().count();
            if coined_pattern(&tail)
                || defined_here(ctx, &name, &tail, n, (open, end))
                || spelled_before(chars, open, n)
            {
                continue;
            }
            let Some(f) = the_formula_with_tail(ctx.kb, &tail, n) else {
                continue;
            };
            let d = self.wrong_number(&name, f, (open + 1, open + 1 + used));
            out.push(d);
        }
    }
}

impl FormulaCount {
    /// The counts before 个 in the line, found once for both passes that read them.
    fn check_counts(&self, ctx: &LineCtx, out: &mut Vec<Diagnostic>) {
        static GE: std::sync::OnceLock<memchr::memmem::Finder<'static>> =
            std::sync::OnceLock::new();
        let finder = GE.get_or_init(|| memchr::memmem::Finder::new("个"));
        // A numbered name opens with its count (四个意识, 五位一体, 三农).
        let numbered =
            |h: &&crate::knowledge::TermHit| ctx.kb.formula(h.entry).announced_count().is_some();
        let names = ctx.facts.terms.iter().any(|h| numbered(&h));
        let text = ctx.text;
        for byte in finder.find_iter(text.as_bytes()) {
            // The char before 个, read from the bytes: the column is counted only after
            // a numeral.
            let before = text[..byte].chars().next_back();
            let er = before == Some('二');
            let counted = names && before.is_some_and(|c| COUNT_NUMERALS.contains(c));
            if !er && !counted {
                continue;
            }
            let at = crate::text::byte_to_col(text, byte) as usize;
            if er {
                self.check_er_ge(ctx, at - 1, out);
            }
            if counted {
                self.check_unquoted(ctx, at, &numbered, out);
            }
        }
    }

    /// A name written without quotes among other numbered formulas' names (增强三个意识、
    /// 坚定四个自信、做到两个维护), its 个 at `at`: in such a list the writer names
    /// formulas, so a known name's words with another number are that name miswritten.
    /// Alone, unquoted words after a count are too often a count of things (两个代表,
    /// 三个结合).
    fn check_unquoted(
        &self,
        ctx: &LineCtx,
        at: usize,
        numbered: &dyn Fn(&&crate::knowledge::TermHit) -> bool,
        out: &mut Vec<Diagnostic>,
    ) {
        let chars = ctx.chars;
        let Some((start, n)) = count_before(chars, at) else {
            return;
        };
        if start > 0 && chars[start - 1] == '“' {
            return; // quoted: the quoted pass judges it
        }
        let Some((tail, f)) = unquoted_name(ctx.kb, chars, at + 1, n) else {
            return;
        };
        let end = at + 1 + tail.chars().count();
        let name: String = chars[start..end].iter().collect();
        let beside = ctx.facts.terms.iter().filter(|h| numbered(h)).any(|h| {
            let (hs, he) = (h.start as usize, h.end as usize);
            (he <= start || hs >= end) && same_sentence(chars, hs.min(start), he.max(end))
        });
        if !beside
            || coined_pattern(&tail)
            || defined_here(ctx, &name, &tail, n, (start, end))
            || spelled_before(chars, start, n)
        {
            return;
        }
        out.push(self.wrong_number(&name, f, (start, at)));
    }

    /// The finding for `name` (the count from `start` to `count_end`) that miswrites
    /// formula `f`'s number.
    fn wrong_number(
        &self,
        name: &str,
        f: &Formula,
        (start, count_end): (usize, usize),
    ) -> Diagnostic {
        let right = f.announced_count().unwrap_or(0);
        let span = Span::on_line(0, start as u32, count_end as u32);
        let message = format!(
            "“{name}”不是已知提法；已知的是“{}”（{}）。请核对数字。",
            f.term, f.definition
        );
        // The count as the formula's name writes it (两个维护, not 二个).
        let written = split_counted_name(&f.term)
            .map(|((_, used), _)| f.term.chars().take(used).collect())
            .unwrap_or_else(|| han_numeral(right));
        self.finding(f, message, Fix::replace(span, written, false))
    }

    /// A finding on formula `f`'s name, with its fix's span, held from the formula's
    /// date on.
    fn finding(&self, f: &Formula, message: String, fix: Fix) -> Diagnostic {
        let span = fix.edits[0].span;
        let mut d = Diagnostic::new(self.code(), self.default_level(), span, message).with_fix(fix);
        d.valid = Validity {
            from: f.since,
            until: None,
        };
        d
    }

    /// “二个维护” for “两个维护”, its 二 at `at`: the count is right, but before the
    /// measure word 个 a lone 2 is written 两. Only names of known formulas counted 两个 are reported,
    /// quoted or not; 十二个, 第二个 and 一二个 are numbers of their own.
    fn check_er_ge(&self, ctx: &LineCtx, at: usize, out: &mut Vec<Diagnostic>) {
        let chars = ctx.chars;
        if at > 0 && part_of_a_number(chars[at - 1]) {
            return;
        }
        let Some((tail, f)) = two_formula_named_after(ctx.kb, &chars[at + 2..]) else {
            return;
        };
        let span = Span::on_line(0, at as u32, at as u32 + 1);
        let message = format!("“二个{tail}”应为“{}”：量词“个”前的“二”写作“两”。", f.term);
        let d = self.finding(f, message, Fix::replace(span, "两".to_string(), true));
        out.push(d);
    }
}

/// The Chinese count right before the measure word at `at` (三个, 十四个, 两个): where it
/// starts and its value; None when it is part of a longer number or an ordinal.
fn count_before(chars: &[char], at: usize) -> Option<(usize, u32)> {
    let len = chars[..at]
        .iter()
        .rev()
        .take(3)
        .take_while(|&&c| COUNT_NUMERALS.contains(c))
        .count();
    let start = at - len;
    if len == 0 || start > 0 && part_of_a_number(chars[start - 1]) {
        return None;
    }
    match crate::text::numerals::parse_count(&chars[start..at]) {
        Some((n, used)) if used == len => Some((start, n)),
        _ => None,
    }
}

/// The words from `from` that, after a count `n`, name a known formula with another
/// number, and end where a name ends: before a mark, 的, or words that follow formula
/// names (战略布局, 重要思想 …). The longest such words, with the formula.
fn unquoted_name<'k>(
    kb: &'k Knowledge,
    chars: &[char],
    from: usize,
    n: u32,
) -> Option<(String, &'k Formula)> {
    const FOLLOWERS: [&[char]; 6] = [
        &['的'],
        &['战', '略', '布', '局'],
        &['总', '体', '布', '局'],
        &['奋', '斗', '目', '标'],
        &['重', '要', '思', '想'],
        &['精', '神'],
    ];
    let ends = |next: &[char]| {
        next.first().is_none_or(|&c| !crate::text::is_han(c))
            || FOLLOWERS.iter().any(|w| next.starts_with(w))
    };
    longest_name(&chars[from..], ends, |tail| {
        the_formula_with_tail(kb, tail, n)
    })
}

/// The longest run of Han chars (two or more, at most `NAME_MAX`) at the start of
/// `after` that `ends` where the chars after it allow and for which `find` gives a
/// formula. Only a run that may end is made into a key.
fn longest_name<'k>(
    after: &[char],
    ends: impl Fn(&[char]) -> bool,
    find: impl Fn(&str) -> Option<&'k Formula>,
) -> Option<(String, &'k Formula)> {
    let han = after
        .iter()
        .take(NAME_MAX)
        .take_while(|&&c| crate::text::is_han(c))
        .count();
    (2..=han)
        .rev()
        .filter(|&len| ends(&after[len..]))
        .find_map(|len| {
            let tail: String = after[..len].iter().collect();
            let f = find(&tail)?;
            Some((tail, f))
        })
}

/// No sentence ends between columns `from` and `to`.
fn same_sentence(chars: &[char], from: usize, to: usize) -> bool {
    !chars[from..to]
        .iter()
        .any(|&c| matches!(c, '。' | '！' | '？' | '；'))
}

/// A char that makes the 二 after it part of a longer number or an ordinal (十二个,
/// 第二个, 一二个, 2二).
fn part_of_a_number(c: char) -> bool {
    use crate::text::numerals::{digit_value, han_digit};
    matches!(c, '第' | '十' | '百' | '千' | '万' | '两')
        || digit_value(c).is_some()
        || han_digit(c).is_some()
}

/// The longest run of Han chars at the start of `after` that names a known, verified,
/// current formula “两个<run>” (two chars or more), with that formula.
fn two_formula_named_after<'k>(kb: &'k Knowledge, after: &[char]) -> Option<(String, &'k Formula)> {
    longest_name(
        after,
        |_| true,
        |tail| {
            kb.counted_names(tail).iter().find_map(|&(m, f)| {
                let f = kb.formula(f);
                (m == 2
                    && f.term.starts_with('两')
                    && f.verified != Verified::Unverified
                    && f.status == Status::Current)
                    .then_some(f)
            })
        },
    )
}

/// The name inside quotes that open at `from`: “N个……”, up to the closing quote; None
/// for other quotations.
fn quoted_count_name(chars: &[char], from: usize) -> Option<String> {
    let len = chars[from..]
        .iter()
        .take(NAME_MAX + 1)
        .position(|&c| c == '”')?;
    let inner = &chars[from..from + len];
    // Only a name that starts with a count is made (most quotations do not).
    let (_, used) = crate::text::numerals::parse_count(inner)?;
    if inner.get(used) != Some(&'个') || !inner.iter().all(|&c| crate::text::is_han(c)) {
        return None;
    }
    Some(inner.iter().collect())
}

/// The draft defines the name (“N个……”, written from `start` to `end`) where it writes
/// it: items or a colon after it (after its closing quote, if quoted), items the line
/// analysis found, or a run of points that may spell out its N items
/// (`run_may_define`).
fn defined_here(
    ctx: &LineCtx,
    name: &str,
    tail: &str,
    n: u32,
    (start, end): (usize, usize),
) -> bool {
    let quoted = ctx.chars.get(end) == Some(&'”');
    let after_at = if quoted { end + 1 } else { end };
    let after = ctx.chars.get(after_at).copied();
    // A colon or bracket, or a note mark (“四个一批”［17］, ①) that points to the glossary.
    matches!(
        after,
        Some('：' | ':' | '（' | '(' | '［' | '[' | '〔' | '①'..='⑳')
    ) || spelled_after(ctx.chars.get(after_at..).unwrap_or(&[]))
        || names_a_campaign(ctx.chars.get(after_at..).unwrap_or(&[]))
        || ctx
            .facts
            .learned
            .iter()
            .any(|l| l.term == name && !l.from_run)
        || run_may_define(ctx, n, start, end, tail)
}

/// The name's items follow it after ，即 or ，就是 (牢固树立“五个意识”，即政治意识、
/// ……、责任意识): the draft defines the name, as a unit's own list may count more or
/// fewer than a known formula. Whether the items meet the count is announced-count's.
fn spelled_after(after: &[char]) -> bool {
    let rest = after.strip_prefix(&['，']).unwrap_or(after);
    let Some(list) = rest
        .strip_prefix(&['即'])
        .or_else(|| rest.strip_prefix(&['就', '是']))
        .or_else(|| rest.strip_prefix(&['也', '就', '是']))
    else {
        return false;
    };
    list.iter()
        .take_while(|&&c| !matches!(c, '。' | '；' | '！' | '？' | '，'))
        .any(|&c| c == '、')
}

/// Words after the count made of 一 and a measure word (一批, 一流, 一体): a pattern
/// plans coin names with at every level (“四个一批” of projects, “六个一批” of
/// platforms), not one formula's name.
fn coined_pattern(tail: &str) -> bool {
    let mut chars = tail.chars();
    chars.next() == Some('一') && chars.count() == 1
}

/// The clause before the quote that opens at `open` lists `n` items, which the name
/// sums up: 新建布局、优化提升、整合重组、调整淘汰“四个一批”. Not names quoted in
/// turn (增强“四个意识”、坚定“四个自信”、做到“三个维护”): each of those is its own.
fn spelled_before(chars: &[char], open: usize, n: u32) -> bool {
    let clause_start = super::clause_start(chars, open);
    if chars[clause_start..open].contains(&'”') {
        return false;
    }
    let items = 1 + chars[clause_start..open]
        .iter()
        .filter(|&&c| c == '、')
        .count();
    items >= 2 && items as u32 == n
}

/// The quoted name is that of a campaign or programme of its own (开展“三个意识”教育,
/// “五个一”工程): local and sectoral campaigns carry numeric names that need not be a
/// central formula's.
fn names_a_campaign(after_quote: &[char]) -> bool {
    const KINDS: [&[char]; 6] = [
        &['教', '育'],
        &['活', '动'],
        &['行', '动'],
        &['工', '程'],
        &['计', '划'],
        &['创', '建'],
    ];
    KINDS.iter().any(|k| after_quote.starts_with(k))
}

/// Whether a run of points in the paragraph may spell out the items of a name with
/// count `n` that closes at `close`: a run that starts after the name, or one of `n`
/// points before it (一是……三是……，这就是“三个……”). The line analysis learns from runs
/// every unknown quoted count, run or not (`from_run`): the run is the test here. A
/// 一方面……另一方面 pair counts nothing.
///
/// A run of `n` points before the name spells it out only in the name's sentence, in a
/// sentence that sums it up (这就是……), or if its points speak of the name's words
/// (一是政治意识……三是看齐意识……“三个意识”): three 大事 listed before “三个意识” in the
/// next sentence are not its items.
fn run_may_define(ctx: &LineCtx, n: u32, open: usize, close: usize, tail: &str) -> bool {
    let counting = || {
        ctx.facts
            .inline_markers
            .iter()
            .filter(|m| m.family != Family::Fangmian)
    };
    if counting().any(|m| m.start as usize > close) {
        return true;
    }
    if counting().map(|m| m.number).max() != Some(n) {
        return false;
    }
    let chars = ctx.chars;
    let first = counting().map(|m| m.start as usize).min().unwrap_or(open);
    let last = counting().map(|m| m.start as usize).max().unwrap_or(open);
    let sentence_start = chars[..open]
        .iter()
        .rposition(|&c| matches!(c, '。' | '！' | '？'))
        .map_or(0, |i| i + 1);
    let tail: Vec<char> = tail.chars().collect();
    let spoken = chars.get(first..open).unwrap_or(&[]);
    last >= sentence_start
        || sums_up(&chars[sentence_start..open])
        || tail.is_empty()
        || spoken.windows(tail.len()).any(|w| w == tail.as_slice())
}

/// A sentence that opens by summing up what came before (这就是……, 以上……, 即……).
fn sums_up(sentence: &[char]) -> bool {
    const OPENINGS: [&[char]; 6] = [
        &['这'],
        &['以', '上'],
        &['上', '述'],
        &['概', '括'],
        &['总', '之'],
        &['即'],
    ];
    OPENINGS.iter().any(|o| sentence.starts_with(o))
}

/// The one known formula named “M个<tail>” with M ≠ `n`, if exactly one count is known
/// for these words, the written count is not, and the formula is verified, current
/// and unambiguous.
fn the_formula_with_tail<'k>(kb: &'k Knowledge, tail: &str, n: u32) -> Option<&'k Formula> {
    let mut found: Option<&Formula> = None;
    let mut count = None;
    for &(m, f) in kb.counted_names(tail) {
        if m == n {
            return None; // the written count is known
        }
        let f = kb.formula(f);
        if f.status == Status::Superseded {
            continue; // 三个自信 beside 四个自信: one formula's history, not a pattern
        }
        if count.is_some_and(|c| c != m) {
            return None; // several formulas use the words: a pattern
        }
        count = Some(m);
        found = Some(f);
    }
    // A slip of the count is one or two off (三个意识, 三个维护); a name counting many
    // more is a coinage of its own (a province's “八个振兴” beside 五大振兴).
    let near = count.is_some_and(|m| m.abs_diff(n) <= MAX_SLIP);
    found.filter(|f| {
        near && f.verified != Verified::Unverified && !f.ambiguous && f.status == Status::Current
    })
}

/// How far a count written for a known formula's may be off to be a slip of it.
const MAX_SLIP: u32 = 2;

#[cfg(test)]
mod tests {
    use crate::rules::testing::{apply_first_fixes, diags};

    #[test]
    fn a_known_formula_with_another_number() {
        for (text, fixed) in [
            (
                "要增强“三个意识”、坚定“四个自信”、做到“两个维护”。",
                "要增强“四个意识”、坚定“四个自信”、做到“两个维护”。",
            ),
            ("坚定“五个自信”。", "坚定“四个自信”。"),
            (
                "增强“四个意识”、坚定“四个自信”、做到“三个维护”。",
                "增强“四个意识”、坚定“四个自信”、做到“两个维护”。",
            ),
            (
                "统筹推进“五位一体”总体布局，协调推进“三个全面”战略布局。",
                "统筹推进“五位一体”总体布局，协调推进“四个全面”战略布局。",
            ),
        ] {
            let d = diags("formula-count", text);
            assert_eq!(d.len(), 1, "{text}: {d:?}");
            assert_eq!(apply_first_fixes(text, &d), fixed);
        }
    }

    #[test]
    fn an_unquoted_name_among_other_formula_names() {
        crate::rules::testing::assert_fixed_once(
            "formula-count",
            &[
                (
                    "要增强三个意识、坚定四个自信、做到两个维护。",
                    "要增强四个意识、坚定四个自信、做到两个维护。",
                ),
                (
                    "要增强四个意识、坚定五个自信、做到两个维护。",
                    "要增强四个意识、坚定四个自信、做到两个维护。",
                ),
                (
                    "统筹推进五位一体总体布局，协调推进三个全面战略布局。",
                    "统筹推进五位一体总体布局，协调推进四个全面战略布局。",
                ),
            ],
        );
        for text in [
            // Alone: a count of things as often as a name.
            "要增强三个意识。",
            "每个单位推选两个代表，坚定四个自信。",
            // In another sentence than the other names.
            "坚定四个自信。我们提出了三个意识。",
            // Defined where written.
            "坚定四个自信，树立三个意识：责任意识、服务意识、创新意识。",
            "局党组提出，全体干部要牢固树立“五个意识”，即政治意识、大局意识、核心意识、看齐意识、责任意识。",
            "要树立“三个意识”，就是责任意识、服务意识、创新意识。",
        ] {
            assert!(diags("formula-count", text).is_empty(), "{text}");
        }
    }

    #[test]
    fn a_formula_counted_two_with_er() {
        crate::rules::testing::assert_fixed_once(
            "formula-count",
            &[
                (
                    "坚定“四个自信”、做到“二个维护”。",
                    "坚定“四个自信”、做到“两个维护”。",
                ),
                (
                    "深刻领悟二个确立的决定性意义。",
                    "深刻领悟两个确立的决定性意义。",
                ),
                (
                    "为实现二个一百年奋斗目标而奋斗。",
                    "为实现两个一百年奋斗目标而奋斗。",
                ),
            ],
        );
        for text in [
            "向第二个百年奋斗目标进军，实现第二个一百年奋斗目标。",
            "建设十二个重点项目，一二个维护站点。",
            "五年内开始建设的二个重型机器制造厂。",
        ] {
            assert!(diags("formula-count", text).is_empty(), "{text}");
        }
    }

    #[test]
    fn a_run_that_cannot_define_the_name_does_not_excuse_it() {
        for text in [
            // A 一方面……另一方面 pair counts nothing.
            "一方面要加强学习，另一方面要改进作风。各级党组织要增强“三个意识”。",
            // Two points before a name of three.
            "首先，要统一思想；第二，要强化责任。各级党组织要增强“三个意识”。",
            // Three points of other things, in sentences before the name's.
            "我们经历了三件大事：一是迎来建党一百周年，二是进入新时代，三是完成脱贫攻坚。各级党组织要增强“三个意识”。",
        ] {
            assert_eq!(diags("formula-count", text).len(), 1, "{text}");
        }
    }

    #[test]
    fn coined_and_known_names_pass() {
        for text in [
            // Known names, also superseded ones (superseded-formula's).
            "增强“四个意识”，坚定“三个自信”。",
            // Words several known formulas use with different numbers.
            "坚持“三个必须”。",
            // Defined where written.
            "着眼于“四个结合”，抓好落实。一是结合学习。二是结合工作。三是结合考核。四是结合评议。",
            "做到“三个结合”：学习与工作结合、线上与线下结合、集中与分散结合。",
            // A run of as many points before it spells out the name.
            "一是讲政治，二是顾大局，三是守规矩，这就是我们说的“三个意识”。",
            "一是讲政治。二是顾大局。三是守规矩。这就是我们说的“三个意识”。",
            "一是增强政治意识。二是增强大局意识。三是增强看齐意识。要把“三个意识”落到实处。",
            // Not a count name.
            "他说“三个人就够了”。",
            // A campaign's own name.
            "在寺庙常态化开展“三个意识”教育。",
            // Names plans coin with 一 and a measure word; items spelled before the
            // name; a note mark that points to the glossary (2026 reports).
            "“六个一批”推动落实重点项目。",
            // 六个必须坚持 and 八个必须坚持（十八大）: a pattern (a province's own five).
            "着力强化“五个必须坚持”，全力推进“七大攻坚”。",
            "实施新建布局、优化提升、整合重组、调整淘汰“四个意识”，重塑平台体系。",
            "狠抓“三个意识”［17］项目攻坚。",
        ] {
            assert!(diags("formula-count", text).is_empty(), "{text}");
        }
    }
}
