//! A space (or a few) between two Chinese characters inside a sentence (总结工作 情况), or
//! beside a full-width mark between them (读原著、 学原文): a typing or conversion slip.
//! Headings, titles, signatures and name lists, where spaces align or separate on
//! purpose (讲  话, 王　伟　李　明), are left alone: only prose paragraphs that end
//! a sentence are read. A space between the parts of a date in digits
//! (2026年 4月23日) is a slip on any line.

use super::{Diagnostic, Edit, Fix, LineCtx, Rule, RuleDoc};
use crate::analysis::line::LineKind;
use crate::config::RuleLevel;
use crate::text::{is_han, Span};

/// Paragraphs shorter than this (in 字) are not taken for prose.
const MIN_PROSE_CHARS: u32 = 15;
/// The longest run of spaces taken for a slip; longer runs align on purpose.
const MAX_RUN: usize = 3;
/// The shortest phrase of a quoted title that a space may set apart (不忘初心 牢记使命).
const MIN_PHRASE: usize = 3;

pub struct StraySpace;

impl Rule for StraySpace {
    fn code(&self) -> &'static str {
        "stray-space"
    }
    fn default_level(&self) -> RuleLevel {
        RuleLevel::Warning
    }
    fn doc(&self) -> RuleDoc {
        RuleDoc {
            title: "汉字间多余空格 (a stray space between Chinese characters)",
            description: "A space (half- or full-width), or a run of up to three, between two Chinese characters in a prose paragraph is a slip: Chinese text has no word spaces. So is one between a Chinese character and a full-width mark of the sentence (读原著、 学原文; 工作 ，). Headings, titles, salutations, signatures and name lists, which use spaces on purpose, are not checked, nor is a news byline in brackets ((记者 张慧), (吕超 诸葛明明)); nor are paragraphs that do not end a sentence; nor a space that sets apart two phrases of a title quoted in 《》, “” or ‘’ (《勇担新使命 开启新征程》, ‘学宪法 讲宪法’活动), while one that splits a word of it (“三 会一课”) or falls in a quotation of prose is reported. A space between the parts of a date in digits (2026年 4月23日) is reported on any line, date lines included. The fix removes the space.",
            bad: "认真总结工作 情况，查找存在的不足，明确今后的努力方向。",
            good: "认真总结工作情况，查找存在的不足，明确今后的努力方向。",
        }
    }
    fn check_line(&self, ctx: &LineCtx, out: &mut Vec<Diagnostic>) {
        let f = ctx.facts;
        if !f.marks.has_any(&[' ', '　']) {
            return;
        }
        for (start, end) in spaces_inside_dates(ctx.chars, ctx.others()) {
            out.push(report(self, start, end, "日期中间多了空格。"));
        }
        let prose = f.kind() == LineKind::Text
            && f.ends_sentence()
            && f.counted >= MIN_PROSE_CHARS
            && !f.title_like
            && !f.salutation
            && f.start_marker.as_ref().is_none_or(|m| m.end < f.len);
        if !prose {
            return;
        }
        let chars = ctx.chars;
        let from = f.indent as usize;
        // Paragraphs open with full-width spaces: look for a space after them.
        if !ctx
            .others()
            .iter()
            .any(|&at| at as usize >= from && is_space(chars[at as usize]))
        {
            return;
        }
        // Titles quoted in 《》 or “” space their phrases apart on purpose (《勇担新使命
        // 开启新征程》); a quotation of prose (“……不怕困难，前赴后继……”) does not.
        let titles = quoted_titles(chars);
        let between_phrases = |i: usize, end: usize| {
            titles.iter().any(|&(s, e)| {
                let book = chars[s] == '《';
                s < i
                    && end < e
                    && separates_phrases(&chars[s + 1..e], i - s - 1, end - s - 1, book)
            })
        };
        let mut i = from;
        while i + 1 < chars.len() {
            // A space, or a few (提  高站位): a run typed or pasted in, never a word break.
            let run = chars[i..]
                .iter()
                .take(MAX_RUN + 1)
                .take_while(|&&c| is_space(c))
                .count();
            let end = i + run;
            let (before, after) = (i.checked_sub(1).map(|k| chars[k]), chars.get(end).copied());
            let stray = run > 0
                && run <= MAX_RUN
                && before.zip(after).is_some_and(|(b, a)| {
                    is_han(b) && (is_han(a) || is_sentence_mark(a))
                        || is_sentence_mark(b) && is_han(a)
                })
                && !between_phrases(i, end)
                && !after_dateline(&chars[from..i])
                && !beside_article_marker(chars, i, end)
                && !in_byline(chars, i, end)
                && !between_issuers(chars, i, end);
            if !stray {
                i += run.max(1);
                continue;
            }
            let message = match (
                before.is_some_and(is_sentence_mark),
                after.is_some_and(is_sentence_mark),
            ) {
                (true, _) => "标点之后多了空格。",
                (_, true) => "标点之前多了空格。",
                _ if run == 1 => "汉字之间多了一个空格。",
                _ => "汉字之间多了空格。",
            };
            out.push(report(self, i, end, message));
            i = end;
        }
    }
}

/// The ends of the names of bodies that issue documents together.
const ISSUER_ENDS: [&str; 15] = [
    "中央",
    "国务院",
    "军委",
    "常委会",
    "委员会",
    "政府",
    "省委",
    "市委",
    "县委",
    "区委",
    "党委",
    "纪委",
    "监委",
    "办公厅",
    "办公室",
];
/// How the name of a body that issues with another begins.
const ISSUER_STARTS: [&str; 10] = [
    "中共",
    "中央",
    "国务院",
    "全国",
    "国家",
    "省",
    "市",
    "县",
    "区",
    "最高",
];

/// A space that separates bodies issuing together (中共中央 国务院印发, 省委办公厅
/// 省政府办公厅): written so in titles and in news of their documents.
fn between_issuers(chars: &[char], start: usize, end: usize) -> bool {
    ISSUER_ENDS
        .iter()
        .any(|w| crate::text::word_ends_at(chars, start, w))
        && ISSUER_STARTS
            .iter()
            .any(|w| crate::text::word_at(chars, end, w))
}

/// The full-width marks of a sentence, which take no space before or after them.
fn is_sentence_mark(c: char) -> bool {
    matches!(c, '，' | '、' | '。' | '；' | '：' | '！' | '？')
}

/// The finding for the spaces at chars `start..end`, with the fix that removes them.
fn report(rule: &StraySpace, start: usize, end: usize, message: &str) -> Diagnostic {
    let span = Span::on_line(0, start as u32, end as u32);
    Diagnostic::new(rule.code(), rule.default_level(), span, message).with_fix(Fix {
        title: "删除空格".into(),
        edits: vec![Edit {
            span,
            new_text: String::new(),
        }],
        certain: false,
    })
}

/// Runs of up to `MAX_RUN` spaces between the parts of a date written in digits
/// (2026年 4月23日, 4月 23日), on any line: a date line is where they are typed most.
/// A date with a part left empty (2026年 月 日) is a placeholder, not this.
fn spaces_inside_dates(chars: &[char], others: &[u32]) -> Vec<(usize, usize)> {
    let digit = |c: &char| c.is_ascii_digit() || ('０'..='９').contains(c);
    let mut out = Vec::new();
    // A space is no Han char: `others` holds where each is. Only the first space of a
    // run follows 年 or 月.
    for &at in others {
        let start = at as usize;
        if start < 2 || !is_space(chars[start]) {
            continue;
        }
        let next_unit = match chars[start - 1] {
            '年' => '月',
            '月' => '日',
            _ => continue,
        };
        if !digit(&chars[start - 2]) {
            continue;
        }
        let run = chars[start..].iter().take_while(|&&c| is_space(c)).count();
        let end = start + run;
        let digits = chars[end..].iter().take_while(|c| digit(c)).count();
        if run <= MAX_RUN
            && (1..=2).contains(&digits)
            && matches!(chars.get(end + digits), Some(&u) if u == next_unit || next_unit == '日' && u == '号')
        {
            out.push((start, end));
        }
    }
    out
}

/// The spans (opening and closing mark, as char indices) of what a line quotes in 《》,
/// “” or ‘’ that reads as a title or phrase: no sentence punctuation inside. A quotation left
/// open runs to the end of the line (a quotation over several paragraphs).
fn quoted_titles(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open: Vec<(char, usize)> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '《' | '“' | '‘' => open.push((c, i)),
            '》' | '”' | '’' => {
                let opener = match c {
                    '》' => '《',
                    '”' => '“',
                    _ => '‘',
                };
                if let Some(k) = open.iter().rposition(|&(o, _)| o == opener) {
                    let start = open[k].1;
                    open.truncate(k);
                    out.push((start, i));
                }
            }
            _ => {}
        }
    }
    out.extend(open.iter().map(|&(_, start)| (start, chars.len())));
    let is_prose = |&(s, e): &(usize, usize)| {
        chars[s + 1..e]
            .iter()
            .any(|c| matches!(c, '，' | '。' | '！' | '？' | '；'))
    };
    out.retain(|span| !is_prose(span));
    out
}

/// The text before a space is a news dateline that opens the paragraph (新华社北京12月31日电,
/// 本报讯): set apart from the story by spaces on purpose.
fn after_dateline(before: &[char]) -> bool {
    let opens = before.len() <= 30 && !before.iter().any(|&c| matches!(c, '，' | '。' | '；'));
    opens && (before.ends_with(&['日', '电']) || before.ends_with(&['讯']))
}

/// The space follows or precedes a regulation's article or chapter number (第一条　为规范……,
/// 第一章　总则): rules and regulations set them apart by spaces.
fn beside_article_marker(chars: &[char], start: usize, end: usize) -> bool {
    let numeral = |c: char| crate::text::numerals::is_han_numeral(c) || c.is_ascii_digit();
    let unit = |c: char| matches!(c, '条' | '章' | '节' | '编');
    // 第……条 ending right before the space.
    let before = &chars[..start];
    let ends_marker = before.last().copied().is_some_and(unit) && {
        let digits = before[..before.len() - 1]
            .iter()
            .rev()
            .take_while(|&&c| numeral(c))
            .count();
        digits > 0 && before.len() >= digits + 2 && before[before.len() - 2 - digits] == '第'
    };
    // 第……条 starting right after it.
    let after = &chars[end..];
    let starts_marker = after.first() == Some(&'第') && {
        let digits = after[1..].iter().take_while(|&&c| numeral(c)).count();
        digits > 0 && after.get(1 + digits).copied().is_some_and(unit)
    };
    ends_marker || starts_marker
}

/// The longest byline in brackets looked at, in chars.
const MAX_BYLINE: usize = 24;

/// The space falls inside a news byline in brackets, where papers set the reporters'
/// names apart by spaces: （记者 张慧）, （通讯员 李明 王芳）, （吕超 诸葛明明）.
fn in_byline(chars: &[char], start: usize, end: usize) -> bool {
    let open = chars[start.saturating_sub(MAX_BYLINE)..start]
        .iter()
        .rposition(|&c| matches!(c, '（' | '(' | '）' | ')'))
        .map(|p| start.saturating_sub(MAX_BYLINE) + p)
        .filter(|&p| matches!(chars[p], '（' | '('));
    let close = chars[end..(end + MAX_BYLINE).min(chars.len())]
        .iter()
        .position(|&c| matches!(c, '（' | '(' | '）' | ')'))
        .map(|p| end + p)
        .filter(|&p| matches!(chars[p], '）' | ')'));
    let (Some(open), Some(close)) = (open, close) else {
        return false;
    };
    let inside: String = chars[open + 1..close].iter().collect();
    let names: Vec<&str> = inside
        .split([' ', '　'])
        .filter(|w| !w.is_empty())
        .collect();
    let is_name = |w: &str| (2..=4).contains(&w.chars().count()) && w.chars().all(is_han);
    let role = [
        "记者",
        "本报记者",
        "特约记者",
        "见习记者",
        "通讯员",
        "特约通讯员",
        "实习生",
    ];
    match names.split_first() {
        Some((first, rest)) if role.contains(first) => rest.iter().all(|w| is_name(w)),
        _ => names.len() >= 2 && names.iter().all(|w| is_name(w)),
    }
}

/// The spaces a slip may leave between Chinese characters (half- and full-width).
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '　')
}

/// Whether the spaces at `start..end` of a quoted title separate two of its phrases
/// (勇担新使命 开启新征程: at least `MIN_PHRASE` chars on each side, up to the next space
/// or the quote) rather than split a word (三 会一课). A document's name (《中共中央关于
/// ……的建议》) is no slogan: it spaces nothing apart; nor is a law's or a plan's in 《》
/// (`book`), while a slogan in quotes may end as one does (‘学宪法 讲宪法’).
fn separates_phrases(title: &[char], start: usize, end: usize, book: bool) -> bool {
    if let Some(about) = title.windows(2).position(|w| w == ['关', '于']) {
        return end <= about && names_an_issuer(&title[..start]);
    }
    // 《河北省国民经济 和社会发展第十五个五年规划纲要》: a plan's or a rule's name is no
    // slogan either, and a phrase does not start with 和 or end with 的.
    let dash = title.iter().position(|&c| c == '—').unwrap_or(title.len());
    if start > dash || book && dash == title.len() && names_a_document_kind(title) {
        return names_an_issuer(&title[..start]);
    }
    let joins = |c: Option<&char>, words: &[char]| c.is_some_and(|c| words.contains(c));
    if joins(title[..start].last(), &['的', '和', '与', '及'])
        || joins(title.get(end), &['和', '与', '及', '的', '之'])
    {
        return false;
    }
    let before = title[..start]
        .iter()
        .rev()
        .take_while(|&&c| !is_space(c))
        .count();
    let after = title[end..].iter().take_while(|&&c| !is_space(c)).count();
    before >= MIN_PHRASE && after >= MIN_PHRASE
}

/// A title that ends with the kind of a document (……规划纲要, ……实施方案, ……上的讲话,
/// a law's ……法),
/// before a note in brackets (……规划纲要（草案）, ……条例（试行）).
fn names_a_document_kind(title: &[char]) -> bool {
    let name = match title.last() {
        Some('）' | ')') => title
            .iter()
            .rposition(|&c| matches!(c, '（' | '('))
            .map_or(title, |open| &title[..open]),
        _ => title,
    };
    let end: String = name.iter().rev().take(2).rev().collect();
    // A law's name ends with 法 (……特别行政区基本法, ……民法典 aside).
    crate::text::DOCUMENT_KINDS.contains(&end.as_str()) || end.ends_with('法') || end == "法典"
}

/// Words before a space in a document's name that end with an issuing body's name
/// (自然资源部 住房城乡建设部关于……): joint issuers are set apart by spaces.
fn names_an_issuer(before: &[char]) -> bool {
    const BODIES: [char; 12] = [
        '部', '委', '局', '厅', '办', '院', '署', '会', '行', '府', '室', '省',
    ];
    before.last().is_some_and(|c| BODIES.contains(c)) && before.len() >= 2
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{apply_first_fixes, assert_fixed_once, diags};

    #[test]
    fn a_space_inside_a_date() {
        assert_fixed_once(
            "stray-space",
            &[
                ("（2026年 4月23日）", "（2026年4月23日）"),
                ("2025年12月　31日", "2025年12月31日"),
                (
                    "　　截至2025年  12月底，全市新增就业2.1万人。",
                    "　　截至2025年12月底，全市新增就业2.1万人。",
                ),
                (
                    "　　会议定于3月 5号召开，请各单位做好准备。",
                    "　　会议定于3月5号召开，请各单位做好准备。",
                ),
            ],
        );
        // An empty part is a placeholder's (2026年 月 日); a year before a count of
        // months is no date; a word after 月 is not a day.
        for text in [
            "2026年  月  日",
            "　　2025年 3个月内完成了全部任务，群众十分满意。",
            "　　今年1月 20家企业完成了技术改造，成效明显。",
        ] {
            assert!(diags("stray-space", text).is_empty(), "{text}");
        }
    }

    #[test]
    fn a_space_inside_a_sentence() {
        let text = "　　认真总结工作 情况，查找不足，明确下一步努力方向。";
        let d = diags("stray-space", text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            apply_first_fixes(text, &d),
            "　　认真总结工作情况，查找不足，明确下一步努力方向。"
        );
    }

    #[test]
    fn a_space_beside_a_full_width_mark() {
        let text = "　　要读原著、 学原文、悟原理，缅怀革命先烈， 致敬英雄模范 。";
        let d = diags("stray-space", text);
        assert_eq!(d.len(), 3, "{d:?}");
        assert!(d[0].message.contains("标点之后"), "{}", d[0].message);
        assert!(d[2].message.contains("标点之前"), "{}", d[2].message);
        assert_eq!(
            apply_first_fixes(text, &d),
            "　　要读原著、学原文、悟原理，缅怀革命先烈，致敬英雄模范。"
        );
        // A space between digits and a mark, or before a Latin word, is not this.
        for text in [
            "　　全年增长5.2% ，高于全国平均水平，总量达到新的水平。",
            "　　推广应用 AI 技术，加快发展新质生产力，推动产业升级。",
        ] {
            assert!(diags("stray-space", text).is_empty(), "{text}");
        }
    }

    #[test]
    fn a_few_spaces_inside_a_sentence() {
        let text = "　　大家要进一步解放思想，提  高站位，充分认识优化营商环境的　重要性。";
        let d = diags("stray-space", text);
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(
            apply_first_fixes(text, &d),
            "　　大家要进一步解放思想，提高站位，充分认识优化营商环境的重要性。"
        );
        // A wide gap lays out a line on purpose.
        assert!(diags("stray-space", "　　主持人：张三        记录人：李四。").is_empty());
    }

    /// News bylines set names apart by spaces; a space in other brackets is a slip.
    #[test]
    fn a_byline_in_brackets() {
        for text in [
            "　　本报讯 （记者 张慧）10月14日，全市基层治理论坛在菏泽举行，各地代表参会。",
            "　　全市上下认真收看大会盛况，大家表示备受鼓舞。（记者 李安敬）",
            "　　为乡村振兴创造良好的条件和环境。（吕超 诸葛明明）",
            "　　三峡秭归讯（通讯员 宋黎立 王芳）2月7日，全县召开党建工作会议。",
        ] {
            assert!(diags("stray-space", text).is_empty(), "{text}");
        }
        let slip = "　　要加强队伍建设（包括干部 队伍和人才队伍），提高工作水平。";
        assert_eq!(diags("stray-space", slip).len(), 1);
    }

    #[test]
    fn a_space_inside_a_quotation_of_prose() {
        let text = "　　他号召：“全世界人民要有勇气，敢于战斗，不怕困难，前 赴后继，那末，全世界就一定是人民的。”这些话鼓舞了大家。";
        assert_eq!(diags("stray-space", text).len(), 1);
        // Left open: the quotation goes on in the next paragraph.
        let open = "　　他指出：“我们要有勇气，不怕困难，前 赴后继。";
        assert_eq!(diags("stray-space", open).len(), 1);
        // A quoted name split inside a word.
        let split = "　　严格执行“三 会一课”制度，党组成员要履行“一岗双责”。";
        assert_eq!(diags("stray-space", split).len(), 1);
    }

    #[test]
    fn spaces_on_purpose_pass() {
        for text in [
            "讲　　话",
            "汉滨区人民政府代区长 向诗兵",
            "出席：王　伟　李　明　张　强　赵　军",
            "　　同志们：",
            "一、总体 要求",
            "　　使用 Word 文档编辑，注意保存。",
            "　　林刚作题为《勇担新使命 开启新征程 奋力夺取新胜利》的工作报告。",
            "　　会议以“勇担新使命 开启新征程”为主题，部署了全年工作。",
            "　　连续10年举办全国学生‘学宪法  讲宪法’活动，成效明显。",
            "　　他在《关于“不忘初心 牢记使命”的几点体会》一文中作了阐述。",
            "　　新华社北京12月31日电  新年前夕，国家主席习近平发表新年贺词。",
            "　　本报讯 全市宣传思想文化工作会议昨日召开，会议部署了全年工作。",
            "　　第二条 　本办法适用于全州行政区域内政务数据资源的管理，由州人民政府负责。",
            "　　第一章　总则　　第一条　为规范政务数据资源管理，推进政务信息系统互联互通。",
        ] {
            assert!(diags("stray-space", text).is_empty(), "{text}");
        }
        // Joint issuers in prose, and in a document's name, are set apart.
        for text in [
            "　　2025年1月，中共中央 国务院印发《教育强国建设规划纲要（2024—2035年）》。",
            "　　省委办公厅 省政府办公厅联合印发了实施意见，各地要抓好落实。",
        ] {
            assert!(diags("stray-space", text).is_empty(), "{text}");
        }
        let joint =
            "　　落实《自然资源部 住房城乡建设部关于进一步支持城市更新行动若干措施的通知》要求。";
        assert!(diags("stray-space", joint).is_empty());
        // A document's name spaces nothing apart.
        let name =
            "　　审议通过了《中共江西省委关于制定全省 国民经济和社会发展第十五个五年规划的建议》。";
        assert_eq!(diags("stray-space", name).len(), 1);
        for name in [
            "　　编制了《河北省国民经济 和社会发展第十五个五年规划纲要》，报请审议。",
            "　　编制了《河南省国民经济和社会发 展第十五个五年规划纲要》，报请审议。",
            "　　他在《勇担新使命 的几点体会》一文中作了阐述。",
            "　　这是《中华人民共和国澳 门特别行政区基本法》的规定。",
            // A speech is a document too (the list broken-paragraph knows them by).
            "　　认真学习《在全省经济工作会议 暨全面深化改革工作会议上的讲话》。",
            // A note after the kind (（草案）, （试行）).
            "　　省政府编制了《河南省国民经济和社会发 展第十五个五年规划纲要（草案）》。",
        ] {
            assert_eq!(diags("stray-space", name).len(), 1, "{name}");
        }
        // A slogan before the subtitle of a report's name.
        let report =
            "　　会议听取了《勇担新使命 开启新征程——在市第十次党代会上的报告》，表示赞同。";
        assert!(diags("stray-space", report).is_empty());
    }
}
