//! Ellipses, dashes and quotes typed with the wrong marks: …… typed as ...... or 。。。
//! or a lone …, —— typed as -- (GB/T 15834-2011 4.11 and 4.9: both are two-char marks),
//! and the corner quotes 「」『』 of vertical or traditional-script text in place of
//! “”‘’ (4.1: horizontal text quotes with “” and, inside them, ‘’).

use super::{Diagnostic, DocCtx, Fix, LineCtx, Rule, RuleDoc};
use crate::config::RuleLevel;
use crate::text::{is_cjk_punct, is_han, Span};

fn chinese(c: Option<char>) -> bool {
    c.is_some_and(|c| is_han(c) || is_cjk_punct(c) && c != '…')
}

/// What a run of `len` copies of `c` should be, whether the fix is certain, and the
/// name of the mark; `None` if the run is right or not one of these slips.
/// `in_chinese`: Chinese text touches the run (a path's .. or a Markdown rule's ---
/// does not).
fn wanted(c: char, len: usize, in_chinese: bool) -> Option<(&'static str, bool, &'static str)> {
    match (c, len) {
        // Two dots may be a full stop typed twice; three or more are an ellipsis.
        ('.', n) if n >= 2 && in_chinese => Some(("……", n >= 3, "省略号")),
        // 。。 is a doubled full stop (doubled-punctuation); three make an ellipsis.
        ('。', n) if n >= 3 => Some(("……", false, "省略号")),
        // …… is one mark of two chars; four are two marks (omitted paragraphs).
        ('…', 1 | 3) if in_chinese => Some(("……", true, "省略号")),
        ('-' | '－', 2 | 3) if in_chinese => Some(("——", true, "破折号")),
        _ => None,
    }
}

/// Whether a line can hold a slip. The line's `Marks` say whether it has a lone mark
/// of one (a decimal point or a hyphen alone is in many lines), and only then is the
/// text searched for a run: cheaper than walking its chars.
fn may_hold_slip(text: &str, marks: crate::text::Marks) -> bool {
    let has = |run: &'static str| crate::text::positions(text, run).next().is_some();
    marks.has('…')
        || marks.has('－')
        || marks.has('.') && has("..")
        || marks.has('-') && has("--")
        || has("。。。")
}

pub struct IrregularMark;

impl Rule for IrregularMark {
    fn code(&self) -> &'static str {
        "irregular-mark"
    }
    fn default_level(&self) -> RuleLevel {
        RuleLevel::Warning
    }
    fn doc(&self) -> RuleDoc {
        RuleDoc {
            title: "省略号、破折号、引号写法不规范 (ellipsis, dash or quotes typed wrong)",
            description: "The Chinese ellipsis is ……, six dots in two chars, and the dash is ——, two chars (GB/T 15834-2011). Dots typed on the keyboard (... or ......), three or more full stops (。。。), a lone … and a double hyphen (--) next to Chinese text are typing slips. A path's .. or a Markdown rule (---) is left alone. Corner quotes 「」『』 belong to vertical or traditional-script text: horizontal text quotes with “” and, inside them, ‘’ (GB/T 15834-2011 4.1); 『』 without 「」 around them become “”. They are reported only in a draft that quotes with “” in as many lines or more: a transcription quoted with 「」 keeps its style.",
            bad: "要以钉钉子精神抓好落实...确保取得实效--这是我们的经验。",
            good: "要以钉钉子精神抓好落实……确保取得实效——这是我们的经验。",
        }
    }
    fn reads_whole_document(&self) -> bool {
        true // corner quotes are a slip only in a draft that quotes mostly with “”
    }
    fn check_document(&self, ctx: &DocCtx, out: &mut Vec<Diagnostic>) {
        let marks = || ctx.lines.iter().map(|f| f.marks);
        let cornered = marks().filter(|m| m.has_corner_quote()).count();
        if cornered == 0 || marks().filter(|m| m.has_any(&['“', '”'])).count() < cornered {
            return;
        }
        for (line, facts) in ctx.lines.iter().enumerate() {
            if facts.marks.has_corner_quote() {
                let chars: Vec<char> = (ctx.line_text)(line as u32).chars().collect();
                corner_quotes(self, &chars, line as u32, out);
            }
        }
    }
    fn check_line(&self, ctx: &LineCtx, out: &mut Vec<Diagnostic>) {
        if !may_hold_slip(ctx.text, ctx.facts.marks) {
            return;
        }
        let chars = ctx.chars;
        let mut next = 0;
        for &i in ctx.others() {
            let i = i as usize;
            let c = chars[i];
            if i < next || !matches!(c, '.' | '…' | '。' | '-' | '－') {
                continue;
            }
            let end = i + chars[i..].iter().take_while(|&&x| x == c).count();
            next = end;
            let before = i.checked_sub(1).map(|p| chars[p]);
            let in_chinese = chinese(before) || chinese(chars.get(end).copied());
            let Some((mark, certain, name)) = wanted(c, end - i, in_chinese) else {
                continue;
            };
            let typed: String = chars[i..end].iter().collect();
            let span = Span::on_line(0, i as u32, end as u32);
            out.push(
                Diagnostic::new(
                    self.code(),
                    self.default_level(),
                    span,
                    format!("{name}应写作“{mark}”，而不是“{typed}”。"),
                )
                .with_fix(Fix::replace(span, mark.to_string(), certain)),
            );
        }
    }
}

/// Corner quotes on `line` of a draft that quotes with “” in as many lines or more: a
/// text copied from a vertical or traditional-script source. (A text quoted with 「」,
/// as transcriptions of old documents are, keeps its style.) 『』 stand for ‘’ inside
/// 「」, and for “” in a line that has no 「」 (『绿水青山就是金山银山』).
fn corner_quotes(rule: &IrregularMark, chars: &[char], line: u32, out: &mut Vec<Diagnostic>) {
    let outer = chars.iter().any(|&c| matches!(c, '「' | '」'));
    for (i, &c) in chars.iter().enumerate() {
        let right = match c {
            '「' => '“',
            '」' => '”',
            '『' if outer => '‘',
            '』' if outer => '’',
            '『' => '“',
            '』' => '”',
            _ => continue,
        };
        let span = Span::on_line(line, i as u32, i as u32 + 1);
        out.push(
            Diagnostic::new(
                rule.code(),
                rule.default_level(),
                span,
                format!("横排简体文稿的引号应写作“{right}”，而不是“{c}”。"),
            )
            .with_fix(Fix::replace(span, right.to_string(), false)),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{apply_first_fixes, diags};

    #[test]
    fn typed_ellipses_and_dashes_become_the_chinese_marks() {
        for (text, fixed) in [
            ("抓好落实......确保实效。", "抓好落实……确保实效。"),
            ("抓好落实...确保实效。", "抓好落实……确保实效。"),
            ("一是…，二是…。", "一是……，二是……。"),
            ("坚持问题导向--这是经验。", "坚持问题导向——这是经验。"),
            ("坚持问题导向－－这是经验。", "坚持问题导向——这是经验。"),
            ("抓好落实。。。确保实效。", "抓好落实……确保实效。"),
        ] {
            let d = diags("irregular-mark", text);
            assert!(!d.is_empty(), "{text}");
            assert_eq!(apply_first_fixes(text, &d), fixed, "{text}");
        }
    }

    #[test]
    fn corner_quotes_become_the_horizontal_ones() {
        for (bad, good) in [
            (
                "增强「四个意识」，坚定「四个自信」。",
                "增强“四个意识”，坚定“四个自信”。",
            ),
            (
                "践行『绿水青山就是金山银山』的理念。",
                "践行“绿水青山就是金山银山”的理念。",
            ),
            (
                "他说：「要牢记『两个务必』。」",
                "他说：“要牢记‘两个务必’。”",
            ),
        ] {
            // The draft quotes with “” elsewhere.
            let bad = format!("要牢记“国之大者”。\n{bad}");
            let d = diags("irregular-mark", &bad);
            assert_eq!(
                apply_first_fixes(&bad, &d),
                format!("要牢记“国之大者”。\n{good}")
            );
        }
        // Quoted with 「」 throughout: a style of its own.
        assert!(diags("irregular-mark", "增强「四个意识」。\n坚定「四个自信」。").is_empty());
    }

    #[test]
    fn right_marks_and_other_uses_are_left_alone() {
        for text in [
            "抓好落实……确保实效。",
            "此处从略。……………… 以下是附件。",
            "见 ../docs/a.md 和 v1.0...v2.0 的变更。",
            "---",
            "2025--2026 学年",
            "中国—东盟合作，1956—1967年。",
            "统一思想。。",
        ] {
            assert!(diags("irregular-mark", text).is_empty(), "{text}");
        }
    }

    #[test]
    fn two_dots_are_reported_but_not_fixed_by_fix_all() {
        let d = diags("irregular-mark", "抓好落实..确保实效。");
        assert_eq!(d.len(), 1);
        assert!(!d[0].fixes[0].certain);
    }
}
