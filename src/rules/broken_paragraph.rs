//! A paragraph that ends mid-sentence while the next line continues it (a line break
//! typed or pasted into a sentence): “…做合格党员” / “演讲比赛、…”.

use super::{Diagnostic, DocCtx, Edit, Fix, Rule, RuleDoc};
use crate::analysis::line::{LineFacts, LineKind};
use crate::analysis::outline::starts_afresh;
use crate::config::RuleLevel;
use crate::text::{Pos, Span};
use std::sync::Arc;

pub struct BrokenParagraph;

/// Paragraphs shorter than this are headings, list items or signatures, not prose.
const MIN_PROSE_CHARS: u32 = 40;
/// The longest numbered heading: a numbered line without a stop this long is prose.
const MAX_HEADING_CHARS: u32 = 60;
/// The same for a paragraph in which a sentence ends: it is prose from this length.
const MIN_STOPPED_CHARS: u32 = 10;

impl Rule for BrokenParagraph {
    fn code(&self) -> &'static str {
        "broken-paragraph"
    }
    fn default_level(&self) -> RuleLevel {
        RuleLevel::Warning
    }
    fn doc(&self) -> RuleDoc {
        RuleDoc {
            title: "段落在句中断开 (a paragraph broken mid-sentence)",
            description: "A prose paragraph that ends without sentence-ending punctuation while the next line is ordinary prose (no marker, no title) usually is one sentence split by a stray line break. Across a blank line (texts that leave one between paragraphs, page breaks of scans) only when the first part stops after a comma or 顿号 or ends a sentence inside it: long headings without punctuation stand before blank lines. A numbered heading without a stop (二、坚持……为指导，全面推进……) is no first half for its length alone, nor is a line of two short phrases joined by one comma (五年接续奋斗，成都发展迈上新台阶), the way reports word unnumbered headings. A short first half that may be a heading counts when the next line starts at the margin in a text that indents its paragraphs. The fix joins the two lines. A point whose last sentence stops at a comma right before the next point (……。要加大招商引资力度， / 二是……) is cut too; the fix there is a full stop.",
            bad: "　　三要搭建载体抓落实。着眼于“四个结合”，切实把意识形态工作落实到机关党建各项具体任务之中，组织开展知识竞赛、\n　　演讲比赛等一系列活动，展示市直机关党员风采。",
            good: "　　三要搭建载体抓落实。着眼于“四个结合”，切实把意识形态工作落实到机关党建各项具体任务之中，组织开展知识竞赛、演讲比赛等一系列活动，展示市直机关党员风采。",
        }
    }
    fn check_document(&self, ctx: &DocCtx, out: &mut Vec<Diagnostic>) {
        let mut indents = Indentation::default();
        for (i, cur) in ctx.lines.iter().enumerate() {
            let Some(next_line) = continuation(ctx, i, &mut indents) else {
                continue;
            };
            let next = &ctx.lines[next_line];
            let last = last_char(i, cur);
            // Join: drop the line break (and a blank line) and the next line's indentation.
            let join = Span::new(last.end, Pos::new(next_line as u32, next.indent));
            let shown: String = (ctx.line_text)(next_line as u32)
                .chars()
                .skip(next.indent as usize)
                .take(6)
                .collect();
            out.push(
                Diagnostic::new(self.code(), self.default_level(), last, format!("段落在句中断开：本段末尾没有句末标点，下一段“{shown}……”似乎是同一句的后半部分。"))
                    .with_fix(Fix { title: "与下一段合并".into(), edits: vec![Edit { span: join, new_text: String::new() }], certain: false }),
            );
        }
        for i in 0..ctx.lines.len() {
            if cut_before_next_point(ctx, i) {
                let last = last_char(i, &ctx.lines[i]);
                out.push(
                    Diagnostic::new(self.code(), self.default_level(), last, "段落在句中断开：本段以逗号结尾，句子没有写完，下一段却已另起一条；请补全句子，或改为句号。".to_string())
                        .with_fix(Fix { title: "改为句号".into(), edits: vec![Edit { span: last, new_text: "。".into() }], certain: false }),
                );
            }
        }
    }
}

/// A paragraph of sentences whose last one stops at a comma, right before a line that
/// opens the next point or heading of a series (一是……。要加大招商引资力度， / 二是……): the rest of
/// the sentence is missing, or its full stop typed as a comma. A single clause ending
/// in a comma before a point is a list set line by line (一是……，/ 二是……), not this.
fn cut_before_next_point(ctx: &DocCtx, i: usize) -> bool {
    let cur = &ctx.lines[i];
    if cur.kind() != LineKind::Text
        || !cur.has_stop
        || cur.counted < MIN_STOPPED_CHARS
        || !ends_at_comma(ctx, i, cur)
    {
        return false;
    }
    // The next point goes on with a series (二是, （三）): a first one (一是) may be
    // introduced by a comma (……。具体来说， / 一是……).
    ctx.lines.get(i + 1).is_some_and(|next| {
        next.kind() == LineKind::Text
            && next.start_marker.as_ref().is_some_and(|m| m.number >= 2)
            && !starts_afresh(ctx.lines, i + 1)
    })
}

/// The line that goes on with the sentence line `i` leaves unfinished, if any: the next
/// line, or the one after a blank line where a text leaves one between paragraphs (a
/// break typed there is doubled too, and a page break of a scan becomes one). After a
/// blank line only a paragraph that stops after a comma or 顿号, or that ends a sentence
/// inside it, counts: long headings without punctuation (五年来，……日益显示出重大作用)
/// stand before a blank line in reports that leave one, and they end no sentence
/// inside.
///
/// A short paragraph without a sentence in it may be a heading; it is the first half of
/// a sentence when the next line lacks the indentation the text gives its paragraphs
/// (`indents`): a heading's paragraph has it, a line break typed into a sentence does
/// not.
fn continuation(ctx: &DocCtx, i: usize, indents: &mut Indentation) -> Option<usize> {
    let cur = &ctx.lines[i];
    if cur.kind() != LineKind::Text
        || cur.ends_sentence()
        || in_list_set_line_by_line(ctx.lines, i)
        || is_bracketed_note(ctx, i, cur)
        || is_address(ctx, i, cur)
        || names_a_document(ctx, i, cur)
    {
        return None;
    }
    // A paragraph ending in a 顿号 or comma stops inside a clause, whatever its length;
    // otherwise only prose counts: long enough not to be a heading, or with a sentence
    // ended inside it (（二）压实工作责任。各级党委要认真落实意识).
    let mid_clause = cur.last_char == Some('、') || ends_at_comma(ctx, i, cur);
    // ……推进经济社会发展的 / 各项工作: a paragraph ending in 的 or 和 waits for its word,
    // however short; a title may be split so (在……会议上的 / 讲话), but the next line
    // is a title's too then.
    // A point's line too, once a comma shows it is a sentence and not a heading (首先，
    // 欢迎……，感谢……的设立者和 / 所有支持……).
    let dangling = cur.dangling
        && cur.counted >= 4
        && cur
            .start_marker
            .as_ref()
            .is_none_or(|m| comma_after(ctx, i, m.end as usize));
    // A numbered heading (二、坚持……为指导，全面推进……新的伟大工程) may run long
    // without a stop: its length does not make it prose.
    let heading = cur
        .start_marker
        .as_ref()
        .is_some_and(|m| m.family.rank().is_some())
        && !cur.has_stop
        && cur.counted < MAX_HEADING_CHARS;
    let prose = cur.counted >= MIN_PROSE_CHARS && !heading;
    let stopped = cur.has_stop && cur.counted >= MIN_STOPPED_CHARS;
    let (next_line, after_blank) = match ctx.lines.get(i + 1)? {
        l if l.kind() == LineKind::Blank => (i + 2, true),
        _ => (i + 1, false),
    };
    let next = ctx.lines.get(next_line)?;
    let in_quotes = !after_blank && ends_inside_quotes(ctx, i, cur);
    let starts = in_quotes
        || if after_blank {
            (mid_clause || stopped) && cur.start_marker.is_none()
        } else {
            mid_clause
            || dangling
            || prose
            || stopped
            || (cur.start_marker.is_none() && !cur.title_like && cur.counted >= 15)
            || (loses_indentation(ctx, cur, next_line) && indents.at(ctx.lines, i))
            // Where paragraphs are indented (or a text is wrapped by hand), a line that
            // starts a paragraph is told by its indentation, which `loses_indentation`
            // reads: 坚持稳中求进，推动高质量发展 / 　　各级党委要…… is a heading.
            || (next.kind() == LineKind::Text
                && indents.flush(ctx.lines, i)
                && ends_a_clause_inside(ctx, i, cur, next_line))
        };
    // A title laid out on two lines (在……会议上的 / 讲话) stands first or after a blank
    // line; after prose, a line ending in 的 goes on into the short line after it.
    let split_title = dangling && !crate::analysis::outline::follows_prose(ctx.lines, i);
    // Inside a quotation the next line's look says nothing (……执行“和平统 / 一、一国
    // 两制”的方针: no marker); but no check looks across a line that opens a speech
    // (`starts_afresh`), and the document pass is redone per speech on an edit.
    let goes_on = next.kind() == LineKind::Text
        && (in_quotes || next.start_marker.is_none())
        && (in_quotes || !next.title_like || dangling && !split_title)
        && !starts_afresh(ctx.lines, next_line)
        // （2023年10月18日，北京） under a title: a note, not a sentence's second half.
        && !is_bracketed_note(ctx, next_line, next)
        // A salutation (同志们：) opens the body: what stands before it is a title or a
        // note, not the first half of its sentence.
        && !next.salutation;
    // Read from the lines' text, so looked at last: 6-1.……告知书 / 6-2.……告知单 are the
    // parts of an attachment list's item; and a line in another language (a bilingual
    // text's English) is no half of a Chinese sentence.
    let stands_apart = |l: usize| {
        let text = (ctx.line_text)(l as u32);
        let chars: Vec<char> = text.chars().collect();
        let from = (ctx.lines[l].indent as usize).min(chars.len());
        crate::analysis::line::sub_numbered(&chars[from..]) || opens_in_latin(&text)
    };
    (starts && goes_on && !stands_apart(i) && !stands_apart(next_line)).then_some(next_line)
}

/// Line `i` ends amid the words of a quotation or a title it opened (……坚定不移地执行
/// “和平统): no heading does, and a quotation over several paragraphs ends each of them
/// with its stop. A line that ends with the opening mark itself (他指出：“) sets the
/// quotation apart on purpose.
fn ends_inside_quotes(ctx: &DocCtx, i: usize, cur: &LineFacts) -> bool {
    if !cur.last_char.is_some_and(crate::text::is_han) || !cur.marks.has_any(&['“', '《']) {
        return false;
    }
    let text = (ctx.line_text)(i as u32);
    let count = |marks: [char; 2]| text.chars().filter(|c| marks.contains(c)).count();
    count(['“', '《']) > count(['”', '》'])
}

/// Whether line `i` holds a comma after char `from` (a marker's end).
fn comma_after(ctx: &DocCtx, i: usize, from: usize) -> bool {
    (ctx.line_text)(i as u32)
        .chars()
        .skip(from)
        .any(|c| matches!(c, '，' | '；'))
}

/// Line `i` is an item of a list a colon opens and that is set one short line to an
/// item, each ending in a comma (现在，我提议： / 为……， / 为……， / 干杯！): a toast or
/// a litany laid out so on purpose, not a sentence broken by mistake.
fn in_list_set_line_by_line(lines: &[Arc<LineFacts>], i: usize) -> bool {
    let item = |l: &LineFacts| {
        l.kind() == LineKind::Text
            && l.counted < MIN_PROSE_CHARS
            && matches!(l.last_char, Some('，' | '、' | '；'))
    };
    if !item(&lines[i]) {
        return false;
    }
    // Back over the items before it to the line that opens the list.
    for l in lines[..i].iter().rev().take(LIST_ITEMS_MAX) {
        if item(l) {
            continue;
        }
        return l.kind() == LineKind::Text && l.last_char == Some('：');
    }
    false
}

/// The most items `in_list_set_line_by_line` walks back over.
const LIST_ITEMS_MAX: usize = 20;

/// The paragraph is a note wholly in brackets, such as the line under a communiqué's
/// title (（2019年10月31日……全体会议通过）): complete as it stands.
/// So is a line that ends with such a note, a date or an adoption, after a title run
/// into it (……全体会议公报（2025年1月8日……全体会议通过）).
fn is_bracketed_note(ctx: &DocCtx, i: usize, cur: &LineFacts) -> bool {
    if !matches!(cur.last_char, Some('）' | ')')) {
        return false;
    }
    let text = (ctx.line_text)(i as u32);
    let text = text.trim_start();
    if text.starts_with(['（', '(']) {
        return true;
    }
    let Some(open) = text.rfind(['（', '(']) else {
        return false;
    };
    let note = text[open..].trim_end_matches(['）', ')']);
    let dated = note.contains('年') && note.contains('日');
    dated || note.ends_with("通过") || note.ends_with("批准")
}

/// A short paragraph without a marker that ends a clause inside (从国际看，……国际竞争越来越
/// 体现为), below the speech's title, before a line of prose: a sentence under way, since
/// headings without a marker hardly hold a comma (2 such lines in 85 real texts, one of
/// them a broken paragraph). News headlines do (……会议强调，……), so not in a title
/// block, where no sentence has ended yet.
fn ends_a_clause_inside(ctx: &DocCtx, i: usize, cur: &LineFacts, next: usize) -> bool {
    const MIN_CHARS: u32 = 12;
    if cur.start_marker.is_some() || cur.counted < MIN_CHARS {
        return false;
    }
    let text = (ctx.line_text)(i as u32);
    if !cur.dangling && heading_shaped(text.trim()) {
        return false;
    }
    let starts_prose = (ctx.line_text)(next as u32)
        .trim_start()
        .starts_with(|c: char| crate::text::is_han(c) || c == '“');
    has_clause_comma(&text) && starts_prose && below_the_title(ctx.lines, i)
}

/// Two short phrases of Han chars joined by one comma and nothing else (五年接续奋斗，
/// 成都发展迈上新台阶): the heading of a part, as party congress reports and speeches
/// word them without a number, not a sentence's first half.
fn heading_shaped(text: &str) -> bool {
    const PHRASE: std::ops::RangeInclusive<usize> = 4..=14;
    let mut parts = text.split('，');
    let phrase = |p: Option<&str>| {
        p.is_some_and(|p| PHRASE.contains(&p.chars().count()) && p.chars().all(crate::text::is_han))
    };
    phrase(parts.next()) && phrase(parts.next()) && parts.next().is_none()
}

/// The line starts with a Latin letter: English, in a bilingual text.
fn opens_in_latin(text: &str) -> bool {
    text.trim_start()
        .starts_with(|c: char| c.is_ascii_alphabetic())
}

/// The line ends with a comma: full-width, or half-width after a Chinese char
/// (……大调整时代,), as texts copied from web pages write it; an English line's comma
/// is not one. The line's text is read only for a half-width comma.
fn ends_at_comma(ctx: &DocCtx, i: usize, cur: &LineFacts) -> bool {
    cur.last_char == Some('，')
        || cur.last_char == Some(',') && {
            let text = (ctx.line_text)(i as u32);
            let before = text.trim_end().trim_end_matches(',').chars().next_back();
            before.is_some_and(|c| !c.is_ascii())
        }
}

/// The span of line `i`'s last char, where both of the rule's findings stand.
fn last_char(i: usize, cur: &LineFacts) -> Span {
    let line = i as u32;
    Span::new(
        Pos::new(line, cur.len.saturating_sub(1)),
        Pos::new(line, cur.len),
    )
}

/// A comma between clauses: full-width, or half-width after a Chinese char as texts
/// copied from web pages write it (……大调整时代,世界); not one in a number (1,000) or
/// in English.
fn has_clause_comma(text: &str) -> bool {
    text.contains('，')
        || text
            .match_indices(',')
            .any(|(at, _)| text[..at].ends_with(|c: char| !c.is_ascii()))
}

/// A sentence has ended (or the salutation stands) above line `i` in its speech.
fn below_the_title(lines: &[Arc<LineFacts>], i: usize) -> bool {
    (0..i)
        .rev()
        .take_while(|&j| !starts_afresh(lines, j + 1))
        .any(|j| lines[j].ends_sentence() || lines[j].salutation)
}

/// One line of a speech's address (尊敬的各位国家元首、政府首脑， / 各国代表， / 各位来宾，
/// / 女士们，先生们，朋友们：): short, ending in a comma, and it or the next line opened
/// by a form of address.
fn is_address(ctx: &DocCtx, i: usize, cur: &LineFacts) -> bool {
    let addresses = |k: usize| {
        crate::analysis::line::starts_as_salutation((ctx.line_text)(k as u32).trim_start())
    };
    matches!(cur.last_char, Some('，' | ','))
        && cur.counted <= 20
        && (addresses(i) || addresses(i + 1))
}

/// The line is a document's or a speech's name, too long for a title-like line:
/// 中共中央关于在全党深入开展……主题教育的意见. No comma or sentence inside, and it ends
/// with the kind of document after 的, or is a name with 关于.
fn names_a_document(ctx: &DocCtx, i: usize, cur: &LineFacts) -> bool {
    use crate::text::DOCUMENT_KINDS as KINDS;
    let last_of_a_kind = cur
        .last_char
        .is_some_and(|c| KINDS.iter().any(|k| k.ends_with(c)));
    if cur.has_stop || cur.start_marker.is_some() || !last_of_a_kind {
        return false;
    }
    let text = (ctx.line_text)(i as u32);
    let text = text.trim();
    // ……的意见, or a name with 关于 (安徽省关于……扎实推进高水平开放实施意见).
    !text.contains(['，', ',', '；'])
        && KINDS.iter().any(|k| {
            text.strip_suffix(k)
                .is_some_and(|rest| rest.ends_with('的') || rest.contains("关于"))
        })
}

/// Line `next` starts flush with the margin after the indented paragraph `cur` that has
/// no marker and is no title-block line, and goes on with prose (a Han char or an
/// opening quote, not a dash, date or name).
fn loses_indentation(ctx: &DocCtx, cur: &LineFacts, next: usize) -> bool {
    let after = &ctx.lines[next];
    cur.indent > 0
        && after.indent == 0
        && cur.start_marker.is_none()
        && !cur.title_block_like
        && !cur.date_line
        && !after.title_block_like
        && !after.date_line
        && (ctx.line_text)(next as u32)
            .chars()
            .next()
            .is_some_and(|c| crate::text::is_han(c) || c == '“')
}

/// Whether the speech around a line indents its paragraphs, found once per speech (the
/// lines from one place where the document pass starts afresh to the next: a file of
/// several speeches may indent one and not another, and the document pass, which
/// re-runs one speech after an edit, must find what a run over the whole file finds).
#[derive(Default)]
struct Indentation {
    /// The last speech asked about: its lines, and its prose lines and how many of
    /// them are indented.
    known: Option<(std::ops::Range<usize>, (usize, usize))>,
}

impl Indentation {
    /// Whether the speech indents its paragraphs, leaving out line `i + 1`, the line
    /// asked about: a break typed into a short speech would otherwise count against
    /// the indentation it lost.
    fn at(&mut self, lines: &[Arc<LineFacts>], i: usize) -> bool {
        let (prose, indented) = self.counts(lines, i);
        prose >= 3 && indented * 5 >= prose * 4
    }

    /// Whether the speech sets its paragraphs flush: at most one in five prose lines is
    /// indented (line `i + 1` left out, as in `at`).
    fn flush(&mut self, lines: &[Arc<LineFacts>], i: usize) -> bool {
        let (prose, indented) = self.counts(lines, i);
        indented * 5 <= prose
    }

    /// The speech's prose lines and how many are indented, line `i + 1` left out.
    fn counts(&mut self, lines: &[Arc<LineFacts>], i: usize) -> (usize, usize) {
        let (prose, indented) = match &self.known {
            Some((range, counts)) if range.contains(&i) => *counts,
            _ => {
                let start = (1..=i)
                    .rev()
                    .find(|&j| starts_afresh(lines, j))
                    .unwrap_or(0);
                let end = (i + 1..lines.len())
                    .find(|&j| starts_afresh(lines, j))
                    .unwrap_or(lines.len());
                let counts = prose_indentation(&lines[start..end]);
                self.known = Some((start..end, counts));
                counts
            }
        };
        let next = lines.get(i + 1).filter(|l| is_prose(l));
        let prose = prose - usize::from(next.is_some());
        let indented = indented - usize::from(next.is_some_and(|l| l.indent > 0));
        (prose, indented)
    }
}

/// The lines' prose lines (not headings or titles) and how many of them are indented.
/// A speech indents its paragraphs when four in five of at least three are; a text
/// wrapped by hand, with only each paragraph's first line indented, does not.
fn prose_indentation(lines: &[Arc<LineFacts>]) -> (usize, usize) {
    let prose = lines.iter().filter(|l| is_prose(l));
    let indented = prose.clone().filter(|l| l.indent > 0).count();
    (prose.count(), indented)
}

fn is_prose(l: &LineFacts) -> bool {
    l.kind() == LineKind::Text && l.start_marker.is_none() && !l.title_like && l.counted >= 10
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{apply_first_fixes, diags};

    #[test]
    fn a_point_cut_at_a_comma_before_the_next_point() {
        let text = "同志们：\n一是抓好项目建设。要加大招商引资力度，\n二是抓好改革创新。要深化重点领域改革。";
        let d = diags("broken-paragraph", text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("以逗号结尾"), "{d:?}");
        assert_eq!((d[0].span.start.line, d[0].span.start.col), (1, 18));
        for good in [
            // A list set line by line, each item a clause.
            "同志们：\n一是加强领导，\n二是完善制度，\n三是强化督查。",
            // A comma introducing the first point.
            "同志们：\n今年任务很重。具体来说，\n一是抓好项目建设。\n二是抓好改革创新。",
            // Salutations before the body.
            "女士们，先生们，\n同志们，朋友们：\n一、今天开会。",
        ] {
            assert!(diags("broken-paragraph", good).is_empty(), "{good}");
        }
    }

    #[test]
    fn joins_a_broken_paragraph_but_not_titles_or_salutations() {
        let text = "　　组织开展“两学一做”学习教育，开展知识竞赛、微党课、主题党日、专题研讨、做合格党员\n　　演讲比赛等活动。\n　　意识形态发言稿\n　　同志们：\n　　今天开会。";
        let d = diags("broken-paragraph", text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(apply_first_fixes(text, &d).starts_with("　　组织开展“两学一做”学习教育，开展知识竞赛、微党课、主题党日、专题研讨、做合格党员演讲比赛等活动。\n"));
        // A title with its date in brackets, then the salutation.
        let dated = "在决战决胜脱贫攻坚座谈会上的讲话（2020年3月6日）\n同志们：\n今天开会。";
        assert!(diags("broken-paragraph", dated).is_empty());
        // A title run into its adoption note.
        let run_in = "纪委全会公报（2025年1月8日中央纪律检查委员会第四次全体会议通过）\n中央纪律检查委员会第四次全体会议，于2025年1月6日至8日在北京举行。";
        assert!(diags("broken-paragraph", run_in).is_empty());
        // A short line ending in 的 waits for its noun on the next line.
        let dangling = "　　今年工作的总体要求是：稳中求进。\n要全力推进经济社会发展的\n各项工作，确保完成全年目标任务。";
        let d = diags("broken-paragraph", dangling);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].span.start.line, 1);
        // A point's line that ends on a verb waiting for its object (取得 / 新进展), though
        // a point's line without a stop may be a heading; one that ends so (步伐加快) is.
        let verb = "　　过去一年，我们做了以下工作。\n　　四是着力筑牢底线，安全体系建设取得\n新进展。全方位提高安全保障水平，社会大局保持和谐稳定。";
        let d = diags("broken-paragraph", verb);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].span.start.line, 1);
        let heading = "　　过去一年，我们做了以下工作。\n（一）着力推进向新向优发展，产业转型升级步伐加快\n新兴产业增加值增长12%，占规模以上工业的比重提高到30%。";
        assert!(diags("broken-paragraph", heading).is_empty());
        // A text copied from a web page, with half-width commas, set flush.
        let web = "同志们：\n今天是一个令人难忘的日子。\n当前,人类正处在大发展、大变革、大调整时代,世界\n格局、经济社会、科学技术的变化深刻影响了每一个人。";
        let d = diags("broken-paragraph", web);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].span.start.line, 2);
        // A bilingual text: a Chinese line and its English are no halves of a sentence.
        let bilingual = "同志们：\n今天是一个令人难忘的日子。\n在这辞旧迎新的美好时刻,\nAs we bid farewell to the old and usher in the new,\n我谨代表市人民政府,\nI, on behalf of the Municipal People's Government,";
        assert!(diags("broken-paragraph", bilingual).is_empty());
        // Words ending in 的 end a heading: 目的.
        let aim = "　　今年工作的总体要求是：稳中求进。\n达到学习教育的目的\n各级党组织要认真组织，确保取得实效。";
        assert!(diags("broken-paragraph", aim).is_empty());
        // A title split after its 的.
        let title = "在全市宣传思想文化工作会议上的\n讲话\n（2025年3月1日）\n同志们：\n今天开会。";
        assert!(diags("broken-paragraph", title).is_empty());
        // A communiqué's title, the note under it, then its first sentence.
        let note = "中国共产党第十九届中央委员会第四次全体会议公报\n（2019年10月31日中国共产党第十九届中央委员会第四次全体会议通过）\n中国共产党第十九届中央委员会第四次全体会议，于2019年10月28日至31日在北京举行。";
        assert!(diags("broken-paragraph", note).is_empty());
    }

    /// The opening of a keynote (2023) and of a central document (2023), as published.
    #[test]
    fn a_speech_s_address_and_a_long_document_name_are_complete() {
        let keynote = "建设开放包容、互联互通、共同发展的世界—\n（2023年10月18日，北京）\n中华人民共和国主席 习近平\n尊敬的各位国家元首、政府首脑，\n各位国际组织负责人，\n各国代表，\n各位来宾，\n女士们，先生们，朋友们：\n十年前，我提出共建“一带一路”倡议。";
        assert!(diags("broken-paragraph", keynote).is_empty());
        let opinion = "中共中央关于在全党深入开展学习贯彻习近平新时代中国特色社会主义思想主题教育的意见\n根据党的二十大部署，党中央决定，在全党深入开展主题教育。";
        assert!(diags("broken-paragraph", opinion).is_empty());
        let plan = "安徽省关于加快对接《区域全面经济伙伴关系协定》（RCEP）经贸新规则扎实推进高水平开放实施意见\n　　为加快全面对接RCEP经贸新规则，制定本实施意见。";
        assert!(diags("broken-paragraph", plan).is_empty());
        // A break after a form of address inside a sentence is still one.
        let broken = "各位代表，过去一年极不平凡，我们坚持稳中求进，全面完成了各项\n目标任务。";
        assert_eq!(diags("broken-paragraph", broken).len(), 1);
    }

    /// Texts that do not indent their paragraphs (2021 study-session speeches).
    #[test]
    fn a_long_numbered_heading_is_no_first_half() {
        let text = "一、提高政治站位，增强责任感\n要深刻认识做好工作的重要意义。\n二、坚持以习近平新时代中国特色社会主义思想为指导，全面推进新时代党的建设新的伟大工程\n党的建设是党领导的伟大社会革命取得胜利的根本保证。";
        assert!(diags("broken-paragraph", text).is_empty());
        // Ending at a comma, it is a point's sentence cut off.
        let cut = text.replace("伟大工程\n", "伟大工程，\n");
        assert_eq!(diags("broken-paragraph", &cut).len(), 1);
    }

    #[test]
    fn a_heading_of_two_phrases_is_no_first_half() {
        let text = "成都市党代会报告\n同志们：\n现在，我代表市委向大会作报告。\n五年接续奋斗，成都发展迈上新台阶\n过去五年，市委坚持以习近平新时代中国特色社会主义思想为指导，推动各项工作。";
        assert!(diags("broken-paragraph", text).is_empty());
        // Three phrases, or one that waits for its word, are a sentence under way.
        for cut in [
            "五年接续奋斗，成都发展迈上新台阶，各项事业",
            "五年接续奋斗，成都发展取得的",
        ] {
            let t = text.replace("五年接续奋斗，成都发展迈上新台阶", cut);
            assert_eq!(diags("broken-paragraph", &t).len(), 1, "{cut}");
        }
    }

    #[test]
    fn a_short_first_half_that_ends_a_clause_inside() {
        let text = "在集体学习时的讲话\n同志们：\n法治兴则民族兴，法治强则国家强。\n从国际看，世界进入动荡变革期，国际竞争越来越体现为\n制度、规则、法律之争。\n110年前，以孙中山先生为代表的革命党人发动了震惊世界的辛亥革\n命，推翻了清朝政府。";
        let d = diags("broken-paragraph", text);
        assert_eq!(d.len(), 2, "{d:?}");
        // A headline with a comma, in the title block.
        let headline = "全面总结2023年经济工作，部署2024年经济工作\n中央经济工作会议12月11日至12日在北京举行。";
        assert!(diags("broken-paragraph", headline).is_empty());
    }

    #[test]
    fn a_point_s_sentence_broken_after_he() {
        let text = "首先，欢迎今天到场的嘉宾，感谢所有奖学金的设立者和\n所有支持关心一中发展的各界人士！\n其次，向新同学表示祝贺。";
        assert_eq!(diags("broken-paragraph", text).len(), 1);
        // A heading that names its subject: no comma after the marker.
        let text = "（三）关于干部队伍建设和\n作风建设\n要抓好落实。";
        assert!(diags("broken-paragraph", text).is_empty());
    }

    #[test]
    fn a_short_first_half_with_a_semicolon_inside() {
        // A heading parts no clauses with a semicolon: this is half a sentence.
        let text = "　　今年发展主要预期目标是：国内生产总值增长5%左右；城\n　　镇调查失业率5.5%左右，城镇新增就业1200万人以上。";
        assert_eq!(diags("broken-paragraph", text).len(), 1);
        let heading = "　　二、坚持稳中求进，推动高质量发展\n　　要坚持稳中求进工作总基调。";
        assert!(diags("broken-paragraph", heading).is_empty());
    }

    #[test]
    fn a_break_inside_a_quotation() {
        let text =
            "　　我们要继续坚定不移地执行“和平统\n　　一、一国两制”的方针，积极推进祖国统一大业。";
        assert_eq!(diags("broken-paragraph", text).len(), 1);
        // A quotation set apart, and one over two paragraphs that each end a sentence.
        let apart = "　　他指出：“\n　　要坚持稳中求进。”";
        assert!(diags("broken-paragraph", apart).is_empty());
        let long = "　　他说：“我们要坚持稳中求进。\n　　“要推动高质量发展。”";
        assert!(diags("broken-paragraph", long).is_empty());
        // Nor into a line that opens a speech (a title with its title block).
        let title = "四个“四\n不”意识\n会议讲话\n——在会议上的讲话\n同志们：\n";
        assert!(diags("broken-paragraph", title).is_empty());
    }

    #[test]
    fn a_toast_set_line_by_line() {
        let text = "让我们更加紧密地团结起来，奋力谱写新篇章！\n现在，我提议：\n为中华人民共和国成立76周年，\n为中国繁荣富强和全国各族人民幸福安康，\n为在座各位来宾、各位同志、各位朋友的健康，\n干杯！";
        assert!(diags("broken-paragraph", text).is_empty());
        // Without the colon that opens the list, a short line ending in a comma goes on.
        let text =
            "　　我们要抓好三件事。会议强调，\n　　要以钉钉子精神抓好落实，确保各项任务落地见效。";
        assert_eq!(diags("broken-paragraph", text).len(), 1);
    }

    #[test]
    fn a_line_ending_in_de_after_prose_goes_on_into_a_short_line() {
        // A bold phrase of a web page set on a line of its own.
        let text = "一、主要目标\n按照全会部署，制定本规划。\n“十五五”时期经济社会发展的\n主要目标\n是：地区生产总值年均增长5%左右。\n二、重点任务\n要抓好落实。";
        let d = diags("broken-paragraph", text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].span.start.line, 2);
        assert!(diags("numbering-gap", text).is_empty());
        // A title laid out on two lines, first in the text or after a blank line.
        for text in [
            "在全县经济工作会议上的\n讲话\n同志们：\n今天开会。",
            "要抓好落实。\n\n在全县经济工作会议上的\n讲话\n同志们：\n今天开会。",
        ] {
            assert!(diags("broken-paragraph", text).is_empty(), "{text}");
        }
    }

    #[test]
    fn a_short_paragraph_with_a_sentence_in_it_is_prose() {
        let text = "（二）压实工作责任。各级党委要认真落实意识\n形态工作责任制。";
        let d = diags("broken-paragraph", text);
        assert_eq!(d.len(), 1, "{d:?}");
        // A short heading, then its paragraph.
        let heading = "（二）压实工作责任\n各级党委要认真落实意识形态工作责任制。";
        assert!(diags("broken-paragraph", heading).is_empty());
    }

    #[test]
    fn across_a_blank_line_after_a_comma_or_inside_prose() {
        let text = "　　组织开展知识竞赛、微党课、主题党日、专题研讨，\n\n　　演讲比赛等活动。";
        let d = diags("broken-paragraph", text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            apply_first_fixes(text, &d),
            "　　组织开展知识竞赛、微党课、主题党日、专题研讨，演讲比赛等活动。"
        );
        // A long heading without punctuation, then its paragraph.
        let heading = "五年来，在经济体制改革带动下，改革逐步在科技、教育、文化、政治等领域展开，日益显示出重大作用\n\n通过科技体制改革，科技和经济结合得更紧密了。";
        assert!(diags("broken-paragraph", heading).is_empty());
        // Prose with a sentence ended inside it, broken at a page: 我国|小学.
        let page = "　　这是一批有文化的知识青年。解放以来，我\n\n国小学、中学都有了很大的发展。";
        assert_eq!(diags("broken-paragraph", page).len(), 1);
    }

    #[test]
    fn a_short_first_half_is_found_by_the_indentation_it_lost() {
        let para = "　　各地区各部门要认真贯彻落实会议精神，结合实际抓好工作。\n";
        let body = para.repeat(3);
        // A line break typed into the first sentence: the second half starts at the margin.
        let broken = format!("{body}　　全国职工的劳动保险费用仍然由企业收入中支付，归中\n华全国总工会和各企业单位管理使用。\n{body}");
        let d = diags("broken-paragraph", &broken);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(apply_first_fixes(&broken, &d).contains("归中华全国总工会"));
        // A heading without punctuation, then its indented paragraph.
        let heading = format!(
            "{body}　　坚持稳中求进，推动高质量发展\n　　各级党委要认真落实工作责任制。\n{body}"
        );
        assert!(diags("broken-paragraph", &heading).is_empty());
        // A text wrapped by hand indents only each paragraph's first line.
        let wrapped =
            "　　各地区各部门要认真贯彻落实会议精神，\n结合实际抓好工作，推动各项任务落地见效。\n"
                .repeat(3)
                + "　　坚持稳中求进，推动高质量发展\n各级党委要认真落实工作责任制。\n";
        assert_eq!(
            diags("broken-paragraph", &wrapped).len(),
            3,
            "only the lines ending in a comma"
        );
        // Each speech of a file indents its paragraphs or not, whatever the others do.
        let flush = "各地区各部门要认真贯彻落实会议精神，结合实际抓好工作。\n".repeat(12);
        let two = format!("在甲会议上的讲话\n（2025年3月1日）\n同志们：\n{broken}在乙会议上的讲话\n（2025年4月1日）\n同志们：\n{flush}");
        assert_eq!(diags("broken-paragraph", &two).len(), 1, "{two}");
    }
}
