//! Full-width digits and Latin letters (１７, ｓ６) in a paragraph that writes its other
//! numbers or letters half-width (17, C9): text typed with the input method left in
//! full-width mode, or pasted from elsewhere. GB/T 15835-2011 asks for numbers written
//! alike within one context (局部体例一致); a paragraph written in full-width forms
//! throughout, as older texts on the web are, is consistent and left alone, unless the
//! draft around it writes its numbers half-width (`check_document`).

use super::{Diagnostic, DocCtx, Fix, LineCtx, Rule, RuleDoc};
use crate::config::RuleLevel;
use crate::text::{LineIndex, Span};

fn is_full_width_alnum(c: char) -> bool {
    matches!(c, '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ')
}

fn is_full_width_digit(c: char) -> bool {
    matches!(c, '０'..='９')
}

/// The half-width form of a full-width digit, letter or decimal point.
fn half_width(c: char) -> char {
    match c {
        '．' => '.',
        _ if is_full_width_alnum(c) => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// The runs of full-width digits and letters among the line's chars that are not Han
/// (`others`), as char ranges; a full-width point between two full-width digits
/// (６．４) belongs to its number.
fn full_width_runs(chars: &[char], others: &[u32]) -> Vec<(usize, usize)> {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &i in others {
        let i = i as usize;
        let c = chars[i];
        let in_number = c == '．'
            && i > 0
            && is_full_width_digit(chars[i - 1])
            && chars.get(i + 1).copied().is_some_and(is_full_width_digit);
        if !is_full_width_alnum(c) && !in_number {
            continue;
        }
        match runs.last_mut() {
            Some(run) if run.1 == i => run.1 = i + 1,
            _ => runs.push((i, i + 1)),
        }
    }
    runs
}

/// How many runs of ASCII digits and letters the line holds (`others` as above).
fn half_width_runs(chars: &[char], others: &[u32]) -> usize {
    let mut runs = 0;
    let mut last: Option<usize> = None;
    for &i in others {
        let i = i as usize;
        if chars[i].is_ascii_alphanumeric() {
            if last.is_none_or(|l| l + 1 != i) {
                runs += 1;
            }
            last = Some(i);
        }
    }
    runs
}

pub struct FullWidthAlnum;

impl Rule for FullWidthAlnum {
    fn code(&self) -> &'static str {
        "full-width-alnum"
    }
    fn default_level(&self) -> RuleLevel {
        RuleLevel::Warning
    }
    fn doc(&self) -> RuleDoc {
        RuleDoc {
            title: "全角数字、字母与半角混用 (full-width digits or letters among half-width ones)",
            description: "A paragraph that writes numbers half-width (2024届, C9) should not switch to full-width forms (第１７届, ｓ６级): numbers of one context are written alike (GB/T 15835-2011), and full-width forms are usually an input method left in full-width mode or text pasted from elsewhere. The fix writes them half-width. A paragraph in full-width forms throughout, or mostly, is left alone, except for one number typed in both forms (３.２%, ５.3%), and except in a draft that writes its numbers half-width (in three or more paragraphs, and three times as many as those with full-width forms): there a full-width number is the odd one out wherever it stands (新增１５家), unless it is a typeset list's marker in full-width brackets (（１）) or a ０ among Chinese numerals. So is a full-width percent sign (％), unless the paragraph writes % as often or more.",
            bad: "2024届高考最高分709分，在第１７届国际天文学奥林匹克竞赛中获得银牌。",
            good: "2024届高考最高分709分，在第17届国际天文学奥林匹克竞赛中获得银牌。",
        }
    }
    fn reads_whole_document(&self) -> bool {
        true // a paragraph's full-width numbers are a slip in a draft that writes its own half-width
    }
    fn check_document(&self, ctx: &DocCtx, out: &mut Vec<Diagnostic>) {
        let marks = || ctx.lines.iter().map(|f| f.marks);
        let full = marks().filter(|m| m.has_full_width_alnum()).count();
        let half = marks().filter(|m| m.has_ascii_digit()).count();
        if full == 0 || half < DRAFT_HALF_WIDTH_LINES_MIN || half < 3 * full {
            return;
        }
        for (line, facts) in ctx.lines.iter().enumerate() {
            if facts.marks.has_full_width_alnum() {
                let chars: Vec<char> = (ctx.line_text)(line as u32).chars().collect();
                let at = out.len();
                self.full_width_paragraph(&chars, out);
                for d in &mut out[at..] {
                    d.move_by(line as i64);
                }
            }
        }
    }
    fn check_line(&self, ctx: &LineCtx, out: &mut Vec<Diagnostic>) {
        if !ctx.facts.marks.has_full_width_alnum() {
            return;
        }
        let (chars, others) = (ctx.chars, ctx.others());
        let runs = full_width_runs(chars, others);
        // The paragraph's usual form is the one most of its numbers and words take: a
        // paragraph mostly in full-width forms (（１）…（５） beside one 第11次) is left
        // alone rather than told to change five numbers for one. But one number typed
        // in both forms (３.２, ５.3) is a slip in any paragraph.
        if half_width_runs(chars, others) < runs.len() {
            for &run in runs.iter().filter(|&&run| half_width_beside(chars, run)) {
                self.report(chars, run, "数字中全角、半角混用", out);
            }
            return;
        }
        percent_signs(self, chars, others, out);
        for run in runs {
            self.report(chars, run, "本段其他数字、字母用半角", out);
        }
    }
}

/// How many paragraphs with half-width digits make a draft one that writes its numbers
/// half-width, with three times as many as those with full-width forms: then a
/// paragraph's full-width numbers are the odd ones out even where the paragraph has no
/// other number (新增１５家 in a report that writes 15 everywhere else).
const DRAFT_HALF_WIDTH_LINES_MIN: usize = 3;

impl FullWidthAlnum {
    /// In a draft that writes its numbers half-width: the full-width numbers of a
    /// paragraph that the line rule leaves alone (it writes them mostly or only
    /// full-width). Digits only, not a ０ among Chinese numerals (二０二六年, which
    /// `numeral-mix` reads), and not a number in full-width brackets: a full-width
    /// letter may be a symbol of its own, and （１）…（５） a typeset list's style.
    fn full_width_paragraph(&self, chars: &[char], out: &mut Vec<Diagnostic>) {
        let index = LineIndex::of(chars);
        let runs = full_width_runs(chars, &index.others);
        if half_width_runs(chars, &index.others) >= runs.len() {
            return; // the line rule's
        }
        let numeral =
            |c: Option<&char>| c.is_some_and(|&c| "〇○零一二三四五六七八九十".contains(c));
        for run @ (start, end) in runs {
            let digits = chars[start..end]
                .iter()
                .all(|&c| is_full_width_digit(c) || c == '．');
            let before = start.checked_sub(1).map(|i| &chars[i]);
            let among_numerals = numeral(before) || numeral(chars.get(end));
            let bracketed = before == Some(&'（') && chars.get(end) == Some(&'）');
            if digits && !among_numerals && !bracketed && !half_width_beside(chars, run) {
                self.report(chars, run, "全文其他数字用半角", out);
            }
        }
    }

    fn report(&self, chars: &[char], run: (usize, usize), why: &str, out: &mut Vec<Diagnostic>) {
        out.push(super::rewrite_chars(
            self,
            chars,
            run,
            half_width,
            |typed, fixed| format!("{why}，此处全角“{typed}”应统一为半角“{fixed}”。"),
        ));
    }
}

/// Whether a run of full-width digits has a half-width digit or decimal point right
/// beside it: one number typed in both forms (３.２%, ５.3%).
fn half_width_beside(chars: &[char], (start, end): (usize, usize)) -> bool {
    let digit_or_point = |c: Option<&char>| c.is_some_and(|c| c.is_ascii_digit() || *c == '.');
    let digits = chars[start..end]
        .iter()
        .all(|&c| is_full_width_digit(c) || c == '．');
    let before = start.checked_sub(1).map(|i| &chars[i]);
    digits && (digit_or_point(before) || digit_or_point(chars.get(end)))
}

/// Full-width percent signs after half-width digits in a line that writes % as often
/// or more (下降12.6％和9.8%). Texts that write ％ throughout, as many official ones do,
/// are consistent and left alone.
fn percent_signs(rule: &FullWidthAlnum, chars: &[char], others: &[u32], out: &mut Vec<Diagnostic>) {
    let count = |sign: char| {
        others
            .iter()
            .filter(|&&i| chars[i as usize] == sign)
            .count()
    };
    let full = count('％');
    if full == 0 || count('%') < full {
        return;
    }
    for &i in others {
        let i = i as usize;
        if chars[i] != '％' || !(i > 0 && chars[i - 1].is_ascii_digit()) {
            continue;
        }
        let span = Span::on_line(0, i as u32, i as u32 + 1);
        out.push(
            Diagnostic::new(
                rule.code(),
                rule.default_level(),
                span,
                "本段其他百分号用半角“%”，此处全角“％”应统一为半角。".to_string(),
            )
            .with_fix(Fix::replace(span, "%".to_string(), true)),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{apply_first_fixes, diags};

    const CODE: &str = "full-width-alnum";

    #[test]
    fn a_full_width_percent_sign_among_half_width_ones() {
        let d = diags(CODE, "事故起数和死亡人数分别下降12.6％和9.8%。");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].span.start.col, 17);
        for text in ["分别下降12.6％和9.8％。", "增长5.2％，高于3%和4％。"] {
            assert!(diags(CODE, text).is_empty(), "{text}");
        }
    }

    #[test]
    fn full_width_forms_among_half_width_ones() {
        let d = diags(
            CODE,
            "2024届毕业生C9在５０米自由泳ｓ６级决赛中增长６．４％，共3人。",
        );
        let typed: Vec<_> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(d.len(), 3, "{typed:?}");
        assert!(typed[0].contains("“５０”应统一为半角“50”"), "{}", typed[0]);
        assert!(typed[1].contains("“ｓ６”"), "{}", typed[1]);
        assert!(
            typed[2].contains("“６．４”应统一为半角“6.4”"),
            "{}",
            typed[2]
        );
    }

    #[test]
    fn a_paragraph_in_full_width_throughout_is_consistent() {
        assert!(diags(
            CODE,
            "１９５５年国家决算收入合计２７，２０３，３１９，０００元。"
        )
        .is_empty());
        assert!(diags(CODE, "2024年增长5.2%，第17届。").is_empty());
        // Mostly full-width: the one half-width number is the odd one out.
        assert!(diags(CODE, "第11次会议：（１）关于；（２）关于；（３）关于。").is_empty());
    }

    #[test]
    fn one_number_typed_in_both_forms() {
        for (text, typed) in [
            ("研发投入强度达到３.２%以上。", &["“３”", "“２”"][..]),
            ("增长５.3%。", &["“５”"]),
            ("同比增长１１.４%。", &["“１１”", "“４”"]),
        ] {
            let d = diags(CODE, text);
            assert_eq!(d.len(), typed.len(), "{text}: {d:?}");
            for (d, typed) in d.iter().zip(typed) {
                assert!(d.message.contains(typed), "{}", d.message);
            }
        }
    }

    #[test]
    fn full_width_numbers_in_a_draft_that_writes_them_half_width() {
        let draft = |paragraph: &str| {
            format!("全年新增企业1200家。\n投资增长8.5%。\n建成项目36个。\n{paragraph}")
        };
        let text = draft("今年新增１５家，建成１号工程。");
        let d = diags(CODE, &text);
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(
            d[0].message.contains("全文其他数字用半角"),
            "{}",
            d[0].message
        );
        assert_eq!(d[0].span.start.line, 3);
        assert_eq!(
            apply_first_fixes(&text, &d),
            draft("今年新增15家，建成1号工程。")
        );
        // Among Chinese numerals (numeral-mix reads them), full-width letters, a
        // typeset list's markers.
        assert!(diags(CODE, &draft("二０二六年，ＡＢ类：（１）关于；（２）关于。")).is_empty());
        // A draft that writes its numbers full-width, or has too few to tell.
        for text in [
            "全年新增企业１２００家。\n投资增长8.5%。\n今年新增１５家。",
            "投资增长8.5%。\n今年新增１５家。",
        ] {
            assert!(diags(CODE, text).is_empty(), "{text}");
        }
    }
}
