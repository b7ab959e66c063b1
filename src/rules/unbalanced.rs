//! Unbalanced paired punctuation within a paragraph: “” ‘’ 《》 （） 【】. Quotes are paired
//! as writers slip with them: an opening “ closed by ’ (“六五’) is one slip with one fix,
//! and so is a closing ” typed where an opening one belongs (”五讲四美”). An apostrophe
//! before a year (’99) is not a quote. A paragraph's one open “ is judged with the
//! next paragraph (a quotation of several paragraphs closes only in the last).

use super::{Diagnostic, DocCtx, Fix, LineCtx, Rule, RuleDoc};
use crate::analysis::line::LineKind;
use crate::analysis::outline::starts_afresh;
use crate::config::RuleLevel;
use crate::text::Span;

const BRACKETS: [(char, char); 3] = [('《', '》'), ('（', '）'), ('【', '】')];

pub struct Unbalanced;

fn partner(c: char) -> char {
    match c {
        '“' => '”',
        '”' => '“',
        '‘' => '’',
        '’' => '‘',
        '《' => '》',
        '》' => '《',
        '（' => '）',
        '【' => '】',
        '】' => '【',
        _ => '（',
    }
}

fn report(span_col: usize, message: String, fix: Option<(char, bool)>) -> Diagnostic {
    let span = Span::on_line(0, span_col as u32, span_col as u32 + 1);
    let d = Diagnostic::new("unbalanced-pair", RuleLevel::Warning, span, message);
    match fix {
        Some((c, certain)) => d.with_fix(Fix::replace(span, c.to_string(), certain)),
        None => d,
    }
}

/// The mark at `col` pairs with nothing.
fn unpaired(col: usize, c: char) -> Diagnostic {
    report(col, format!("“{c}”没有配对的“{}”。", partner(c)), None)
}

/// ’ followed by two digits abbreviates a year (’99).
fn is_apostrophe(chars: &[char], i: usize) -> bool {
    chars[i] == '’'
        && chars
            .get(i + 1..i + 3)
            .is_some_and(|d| d.iter().all(|c| c.is_ascii_digit()))
}

/// A double quotation inside another takes single quotes (GB/T 15834-2011 4.6.3.2):
/// one finding on the inner opening quote, whose fix changes both of its quotes.
fn nested_quote(inner: usize, close: usize) -> Diagnostic {
    let span = Span::on_line(0, inner as u32, inner as u32 + 1);
    let edit = |at: usize, c: char| super::Edit {
        span: Span::on_line(0, at as u32, at as u32 + 1),
        new_text: c.to_string(),
    };
    Diagnostic::new(
        "unbalanced-pair",
        RuleLevel::Warning,
        span,
        "引号内再用引号时，里面一层应用单引号‘’。".to_string(),
    )
    .with_fix(Fix {
        title: "改为单引号‘’".into(),
        edits: vec![edit(inner, '‘'), edit(close, '’')],
        certain: true,
    })
}

/// `others`: the positions of the chars that are not Han ideographs, where every
/// quote and bracket is (`LineCtx::others`). `left_open`: the paragraph's one open
/// “ (`LineFacts::open_quote`), which the document pass judges with the next
/// paragraph.
fn check_quotes(
    text: &str,
    chars: &[char],
    others: &[u32],
    left_open: Option<u32>,
    out: &mut Vec<Diagnostic>,
) {
    let mut open: Vec<usize> = Vec::new();
    let mut skip: Option<usize> = None;
    // Double quotations inside another (inner open, inner close, outer open).
    let mut nested: Vec<(usize, usize, usize)> = Vec::new();
    // A straight quote that pairs with a curly one (“关怀模式") stands for the curly
    // quote it should be; half-width-punctuation reports it.
    let straight: Vec<(usize, char)> = if memchr::memchr(b'"', text.as_bytes()).is_some() {
        super::half_width::straight_quote_roles(chars, others)
            .into_iter()
            .filter(|r| r.partner == Some(super::half_width::Partner::Curly))
            .map(|r| (r.at, r.role))
            .collect()
    } else {
        Vec::new()
    };
    let effective = |i: usize| {
        straight
            .iter()
            .find(|&&(at, _)| at == i)
            .map_or(chars[i], |&(_, role)| role)
    };
    for &i in others {
        let i = i as usize;
        if skip == Some(i) {
            continue;
        }
        // A straight quote takes part only as the curly quote it stands for.
        let c = effective(i);
        if c == '"' {
            continue;
        }
        match c {
            '“' | '‘' => open.push(i),
            '”' | '’' if is_apostrophe(chars, i) => {}
            '”' | '’' => {
                let want = partner(c);
                match open.last().map(|&o| effective(o)) {
                    Some(o) if o == want => {
                        let inner = open.pop().unwrap_or(i);
                        // “……“两个维护”……”: a double quotation inside another.
                        let outer = open.iter().find(|&&k| effective(k) == '“');
                        if let (Some(&outer), true) = (outer, chars[inner] == '“' && c == '”') {
                            nested.push((inner, i, outer));
                        }
                    }
                    // “六五’: closed with the other kind of quote.
                    Some(o)
                        if (o == '“') != (c == '”')
                            && !open.iter().any(|&k| effective(k) == want) =>
                    {
                        open.pop();
                        let right = partner(o);
                        out.push(report(
                            i,
                            format!("引号前后不一致：以“{o}”开始，却以“{c}”结束，应为“{right}”。"),
                            Some((right, true)),
                        ));
                    }
                    _ => {
                        // ”五讲四美”: a closing quote where an opening one belongs.
                        let next = chars[i + 1..]
                            .iter()
                            .position(|&x| matches!(x, '“' | '”' | '‘' | '’'))
                            .map(|p| i + 1 + p);
                        if open.is_empty() && next.is_some_and(|n| chars[n] == c) {
                            skip = next;
                            out.push(report(
                                i,
                                format!("引号方向有误：此处应为前引号“{want}”。"),
                                Some((want, true)),
                            ));
                        } else {
                            out.push(unpaired(i, c));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    // Only inside a quotation that closes on the line: a quotation left open may be a
    // closing quote typed as an opening one.
    for &(inner, close, _) in nested.iter().filter(|n| !open.contains(&n.2)) {
        out.push(nested_quote(inner, close));
    }
    for i in open.into_iter().filter(|&i| Some(i as u32) != left_open) {
        let c = effective(i);
        out.push(unpaired(i, c));
    }
}

impl Rule for Unbalanced {
    fn code(&self) -> &'static str {
        "unbalanced-pair"
    }
    fn default_level(&self) -> RuleLevel {
        RuleLevel::Warning
    }
    fn doc(&self) -> RuleDoc {
        RuleDoc {
            title: "成对标点不配对 (unbalanced quotes, title marks or brackets)",
            description: "Within a paragraph every “ needs its ”, 《 its 》, （ its ）, 【 its 】, ‘ its ’. Reported on the mark left without a partner. A quotation closed with the other kind of quote (“六五’) and a closing quote typed for an opening one (”五讲四美”) are one slip each, with a certain fix. An apostrophe before a year (’99) is not a quote. A double quotation inside another (“……“两个维护”……”) takes single quotes; the fix changes both. A quotation of several paragraphs opens each paragraph with “ and closes only at the end of the last (GB/T 15834-2011): a paragraph that leaves one “ open is not reported when the next paragraph opens with “.",
            bad: "要增强“四个意识，坚定“四个自信”。",
            good: "要增强“四个意识”，坚定“四个自信”。",
        }
    }
    /// A paragraph's one open “ pairs with nothing unless the quotation goes on in
    /// the next paragraph, which then opens with “ (GB/T 15834-2011: a quotation of
    /// several paragraphs opens each with “ and closes only the last).
    fn check_document(&self, ctx: &DocCtx, out: &mut Vec<Diagnostic>) {
        let lines = ctx.lines;
        for (l, facts) in lines.iter().enumerate() {
            let Some(col) = facts.open_quote else {
                continue;
            };
            let next = (l + 1..lines.len()).find(|&n| lines[n].kind() != LineKind::Blank);
            // A new speech (see `starts_afresh`) goes on with no quotation.
            let goes_on = next.is_some_and(|n| {
                let indent = lines[n].indent as usize;
                (ctx.line_text)(n as u32).chars().nth(indent) == Some('“')
                    && !starts_afresh(lines, n)
            });
            if !goes_on {
                out.push(unpaired(col as usize, '“').on_line(l as u32));
            }
        }
    }

    fn check_line(&self, ctx: &LineCtx, out: &mut Vec<Diagnostic>) {
        // A search per mark is cheaper than a pass over the chars per pair.
        let marks = ctx.facts.marks;
        if marks.has_any(&['“', '”', '‘', '’']) {
            check_quotes(ctx.text, ctx.chars, ctx.others(), ctx.facts.open_quote, out);
        }
        for (open, close) in BRACKETS {
            if !marks.has_any(&[open, close]) {
                continue;
            }
            let mut stack: Vec<usize> = Vec::new();
            let mut stray: Vec<usize> = Vec::new();
            for &i in ctx.others() {
                let (i, c) = (i as usize, ctx.chars[i as usize]);
                if c == open {
                    stack.push(i);
                } else if c == close && stack.pop().is_none() {
                    stray.push(i);
                }
            }
            for i in stack.into_iter().chain(stray) {
                let c = ctx.chars[i];
                out.push(unpaired(i, c));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{apply_first_fixes, diags};

    #[test]
    fn reports_the_unpaired_mark() {
        let d = diags(
            "unbalanced-pair",
            "学习《决定》和《意见，落实（部门）责任）。",
        );
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].span.start.col, 7);
        assert!(diags("unbalanced-pair", "“‘四个意识’”与《（试行）》【注】").is_empty());
        let d = diags(
            "unbalanced-pair",
            "千万工程】即浙江“千村示范、万村整治”工程。",
        );
        assert_eq!((d.len(), d[0].span.start.col), (1, 4), "{d:?}");
    }

    /// A quotation of several paragraphs opens each with “ and closes only the last;
    /// a paragraph left open before one that does not open with “ is reported.
    #[test]
    fn a_quotation_may_go_on_over_several_paragraphs() {
        let quoted = [
            "　　总书记指出：“要坚持以人民为中心的发展思想。\n\n",
            "　　“要把“四个意识”落到实处。\n",
            "　　“要抓好落实。”\n",
        ]
        .concat();
        assert!(diags("unbalanced-pair", &quoted).is_empty());
        let unclosed = "　　总书记指出：“要坚持以人民为中心的发展思想。\n　　要抓好落实。\n";
        let d = diags("unbalanced-pair", unclosed);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].span.start.line, d[0].span.start.col), (0, 8));
        // The last paragraph, or one left open for a paragraph opening otherwise.
        for (text, lines) in [
            ("要增强“四个意识，坚定“四个自信”。", vec![0]),
            ("甲“乙。\n丙“丁”。\n“戊。", vec![0, 2]),
        ] {
            let d = diags("unbalanced-pair", text);
            let found: Vec<u32> = d.iter().map(|d| d.span.start.line).collect();
            assert_eq!(found, lines, "{text}: {d:?}");
        }
        // Its nested quotations are still judged on their line.
        let nested = "他说：“要“四个意识”。”又说：“要抓落实。\n“好。”";
        let d = diags("unbalanced-pair", nested);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("单引号"), "{d:?}");
    }

    #[test]
    fn mismatched_and_reversed_quotes_are_one_slip_each() {
        let text = "而“六五’时期增长最快，正在汇合成一个”五讲四美三热爱”的活动。";
        let d = diags("unbalanced-pair", text);
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(
            apply_first_fixes(text, &d),
            "而“六五”时期增长最快，正在汇合成一个“五讲四美三热爱”的活动。"
        );
    }

    #[test]
    fn a_double_quotation_inside_another_takes_single_quotes() {
        let text = "总书记强调：“要增强“四个意识”、做到“两个维护”。”我们要落实。";
        let d = diags("unbalanced-pair", text);
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(
            apply_first_fixes(text, &d),
            "总书记强调：“要增强‘四个意识’、做到‘两个维护’。”我们要落实。"
        );
        // Single quotes inside, or a quotation left open, are not nested ones.
        assert!(diags("unbalanced-pair", "总书记强调：“要增强‘四个意识’。”").is_empty());
        let open = diags("unbalanced-pair", "总书记强调：“要增强“四个意识”。");
        assert!(
            open.iter().all(|d| !d.message.contains("单引号")),
            "{open:?}"
        );
    }

    #[test]
    fn an_apostrophe_before_a_year_is_not_a_quote() {
        assert!(diags("unbalanced-pair", "办好“中国’99昆明世界园艺博览会”。").is_empty());
    }
}
