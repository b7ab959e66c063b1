//! An announced count must match the list it announces: “讲四点意见” the points that
//! follow, “重点抓好四件事：” the run after the colon, “以上四点意见” a list that ends
//! before it. No number (几点, 以下几个方面) → no check.

use super::{Diagnostic, DocCtx, Fix, Rule, RuleDoc};
use crate::analysis::line::{Announcement, LineFacts, LineKind};
use crate::analysis::markers::Family;
use crate::analysis::outline::{starts_afresh, List, Outline};
use crate::config::RuleLevel;
use crate::text::numerals::count_numeral;
use crate::text::{Pos, Span};

pub struct AnnouncedCount;

/// How far (in non-blank paragraphs) the first point may follow a speech announcement.
const SPEECH_REACH: u32 = 3;

/// The list a forward announcement introduces, and whether it follows right after it.
fn announced_list<'o>(ctx: &DocCtx<'o>, line: u32, a: &Announcement) -> Option<(&'o List, bool)> {
    let outline = &ctx.structure.outline;
    let l = outline.first_list_after(Pos::new(line, a.end))?;
    let list = &outline.lists[l];
    let first = outline.nodes[list.items[0]].marker.start;
    // Nothing else may start between the announcement and the list.
    if outline
        .first_after(Pos::new(line, a.end))
        .is_some_and(|n| outline.nodes[n].marker.start < first)
    {
        return None;
    }
    // A nearer announcement introduces the list (……毛主席提出的六条政治标准……。\n今年要
    // 抓好四件事：一是……): a count further back names something else.
    if (line..=first.line).any(|i| announces_between(ctx, i, Pos::new(line, a.end), first)) {
        return None;
    }
    // 讲三个问题 followed by 第一个问题：……: the announcement counts headings the outline
    // does not take for points, and the first list is one inside the first of them.
    if (line + 1..=first.line).any(|i| opens_with_ordinal_heading(&(ctx.line_text)(i))) {
        return None;
    }
    let paragraphs_between = (line + 1..first.line)
        .filter(|&i| ctx.lines[i as usize].kind() != LineKind::Blank)
        .count() as u32;
    let same_paragraph = first.line == line;
    // 讲三件事：为什么抓、抓什么、怎么抓。 The run after the colon is written out in
    // the same sentence; the points of the next paragraph are not it.
    if a.before_colon && !same_paragraph && run_follows_colon_inline(&(ctx.line_text)(line), a.end)
    {
        return None;
    }
    // 提出6种方式，即……、……、……。 The items follow 即 in the same sentence.
    if !same_paragraph && list_follows_ji(&(ctx.line_text)(line), a.end) {
        return None;
    }
    // A run that starts inside a later paragraph, after its own prose (……明确提出12个方面
    // 主要内容。 / 要大力改进作风，……。首先，……第二，……), is that paragraph's.
    let opens_its_paragraph = first.col <= ctx.lines[first.line as usize].indent + 1;
    if !same_paragraph && !opens_its_paragraph {
        return None;
    }
    if a.before_colon {
        // The run after the colon: in the same paragraph or opening the next one.
        let right_after = same_paragraph || paragraphs_between == 0;
        return right_after.then_some((list, true));
    }
    let near = same_paragraph || paragraphs_between < SPEECH_REACH;
    near.then_some((list, same_paragraph || paragraphs_between == 0))
}

/// Line `i` announces something forward (with a count or without) after `from` and
/// before `to`.
fn announces_between(ctx: &DocCtx, i: u32, from: Pos, to: Pos) -> bool {
    ctx.lines[i as usize]
        .announcements
        .iter()
        .any(|b| !b.backward && from <= Pos::new(i, b.start) && Pos::new(i, b.end) <= to)
}

/// After the count at `end` (a column), 即, 就是 or 包括 opens a list of items joined by 、 in the
/// same sentence (提出6种方式，即事关全局的战略性调研、……): the announcement is met there.
fn list_follows_ji(text: &str, end: u32) -> bool {
    after_introducer(text, end, &["，即", "，就是", "，包括"]).is_some_and(|after| {
        let sentence = after.split(['。', '；']).next().unwrap_or("");
        sentence.contains('、')
    })
}

/// The text after one of `introducers` (，即, ，就是) where the words of the count at
/// `end` (a column) run on to their first comma or stop (提出三点要求，即……).
fn after_introducer<'t>(text: &'t str, end: u32, introducers: &[&str]) -> Option<&'t str> {
    let from = text
        .char_indices()
        .nth(end as usize)
        .map_or(text.len(), |(b, _)| b);
    let rest = text[from..].trim_start_matches(|c: char| !matches!(c, '，' | '。' | '；' | '：'));
    introducers.iter().find_map(|w| rest.strip_prefix(w))
}

/// After the colon at `end` (a column) the sentence goes on: at least two Han
/// characters before the paragraph or the sentence ends.
fn run_follows_colon_inline(text: &str, end: u32) -> bool {
    text.chars()
        .skip(end as usize)
        .take_while(|&c| !matches!(c, '。' | '！' | '？'))
        .filter(|&c| crate::text::is_han(c))
        .nth(1)
        .is_some()
}

/// The text stops in the list's last item: in the middle of a sentence (or right after
/// its heading), or in the first point of several announced. An excerpt cut off, or a
/// draft not finished, before the points it announced: the points missing may simply
/// not be written yet. "The text" is the run of lines up to the next speech, so the
/// answer depends on that run alone.
fn cut_off_in_last_item(ctx: &DocCtx, outline: &Outline, list: &List) -> bool {
    let last = *list.items.last().unwrap();
    let from = outline.nodes[last].marker.start.line as usize;
    let end = (from + 1..ctx.lines.len())
        .find(|&i| starts_afresh(ctx.lines, i))
        .unwrap_or(ctx.lines.len());
    let goes_on_outside = outline.nodes[last + 1..]
        .iter()
        .enumerate()
        .take_while(|(_, n)| (n.marker.start.line as usize) < end)
        .any(|(k, _)| !outline.path(last + 1 + k).contains(&last));
    if goes_on_outside {
        return false;
    }
    let tail = (from..end)
        .rev()
        .find(|&i| ctx.lines[i].kind() != LineKind::Blank);
    tail.is_some_and(|i| {
        let l = &ctx.lines[i];
        // Stopping mid-sentence is stopping in the item's own line or in prose; a short
        // line that ends no sentence at the end of a text is a note, a signature or a
        // source line (责任编辑：……), not a sentence cut off.
        let in_progress = !l.ends_sentence() && (i == from || l.counted >= MIN_CUT_PROSE);
        l.kind() == LineKind::Text
            && !l.title_block_like
            && !l.date_line
            && (list.items.len() == 1 || in_progress)
    })
}

/// The shortest paragraph (in 字) taken for a sentence cut off at the end of a text.
const MIN_CUT_PROSE: u32 = 10;

/// A paragraph that opens with 第一个问题, 第二部分, 第三个方面 ….
fn opens_with_ordinal_heading(text: &str) -> bool {
    let rest = text.trim_start_matches(crate::text::is_indent);
    let Some(rest) = rest.strip_prefix('第') else {
        return false;
    };
    let after = rest.trim_start_matches(|c: char| "一二三四五六七八九十".contains(c));
    after.len() < rest.len()
        && ["个问题", "个方面", "部分", "方面", "个部分"]
            .iter()
            .any(|unit| after.starts_with(unit))
}

/// The lists that end before a backward announcement (以上N点): the list of the last
/// point before it and the lists enclosing that point, innermost first.
fn summarised_lists(outline: &Outline, pos: Pos) -> Vec<&List> {
    let next = outline.first_after(pos).unwrap_or(outline.nodes.len());
    let Some(mut node) = next.checked_sub(1) else {
        return Vec::new();
    };
    let mut lists = Vec::new();
    while let Some(l) = outline.nodes[node].list {
        lists.push(&outline.lists[l]);
        match outline.nodes[node].parent {
            Some(p) => node = p,
            None => break,
        }
    }
    lists
}

/// The list's last point goes on up to the summary on line `line` (its section ends
/// there or on the line before, blank lines aside): “以上十个方面” after ten clauses of
/// prose sums those up, not a run of points ten paragraphs earlier.
/// A summary inside a paragraph, after prose of its own (……坚持自我革命。以上十个方面，
/// ……), sums up what that paragraph lists: only a list that goes on into the paragraph.
fn reaches(outline: &Outline, list: &List, line: u32, inside_paragraph: bool) -> bool {
    let last = &outline.nodes[*list.items.last().unwrap()];
    if inside_paragraph {
        return last.range.end.line >= line;
    }
    last.range.end.line + 2 >= line
}

/// Words that go on counting after a run in another form: “在这两大类之间，还有两类：
/// 一类是……另一类是……”.
const MORE_ITEMS: [&str; 6] = ["另一类", "一类是", "还有", "此外", "另外", "再一个"];

/// The paragraph of the run's last item goes on counting in words after the item.
fn continued_in_words(ctx: &DocCtx, outline: &Outline, list: &List) -> bool {
    let last = &outline.nodes[*list.items.last().unwrap()];
    let line = last.headline.end.line;
    let rest: String = (ctx.line_text)(line)
        .chars()
        .skip(last.headline.end.col as usize)
        .collect();
    MORE_ITEMS.iter().any(|w| rest.contains(w))
}

/// Numbers 1, 2, … in order with no problem reported on any item.
fn is_clean(outline: &Outline, list: &List) -> bool {
    list.items.iter().enumerate().all(|(i, &n)| {
        outline.nodes[n].number() == i as u32 + 1 && !outline.issues.iter().any(|x| x.node == n)
    })
}

impl Rule for AnnouncedCount {
    fn code(&self) -> &'static str {
        "announced-count"
    }
    fn default_level(&self) -> RuleLevel {
        RuleLevel::Error
    }
    fn doc(&self) -> RuleDoc {
        RuleDoc {
            title: "宣告条数与实际不符 (announced count differs from the points)",
            description: "A count the draft announces (讲四点意见, 提三点要求, 重点抓好四件事：, 以上四点意见) must match the list it announces: the run after the colon, the points that follow the announcement, or (for 以上) a list that ends before it. It is not matched against other lists of the section. Announcements without a number (几点, 以下几个方面) are not checked, nor a count the text cannot have met yet: fewer points when the text stops inside the last of them (mid-sentence, or in the first of several: an excerpt cut off or a draft not finished); nor is a run that starts inside a later paragraph, after its own prose, taken for the announced list. Error when the list follows right after and is numbered cleanly; warning when the list is further away or has numbering problems of its own. A list written out after the colon, as the whole rest of the sentence (抓好四项工作：抓项目、抓招商、抓环境。), is counted by its pieces (a warning); not when it is open (……等), joins its last piece with 和/及/与, or holds other punctuation; so is a list after ，即 or ，就是 (提出三点要求，即讲政治、顾大局、守规矩。). A count in quotes counts the same way (做到“三个到位”：责任到位、措施到位。), also with a word for what it counts after the quote (落实“四个一”工作机制：……). A count that names a formula of the knowledge base (四个意识：……) is left to `formula-list`, which names what is missing. A count the points follow right after, without a colon, is read as one before a colon: a numbered heading that ends in it (二、今年重点抓好五项工作, over （一）……（四）), 从四个方面谈, 抓好以下五项重点工作。, a sentence that ends in the count (重点做到三个方面。); points joined by pause marks (一是……、二是……) are a run.",
            bad: "下面，我讲三点意见。\n一要统一思想。\n二要强化责任。",
            good: "下面，我讲两点意见。\n一要统一思想。\n二要强化责任。",
        }
    }
    fn check_document(&self, ctx: &DocCtx, out: &mut Vec<Diagnostic>) {
        let outline = &ctx.structure.outline;
        for (i, facts) in ctx.lines.iter().enumerate() {
            for a in &facts.announcements {
                let Some(count) = a.count else { continue };
                let line = i as u32;
                let text = (ctx.line_text)(line);
                let unit = unit_of(&text, a);
                if !a.backward {
                    if let Some(items) = items_written_out(&text, a) {
                        // A formula's list is `formula-list`'s, which names what is missing.
                        if items.len() as u32 != count && !names_a_formula(ctx, facts, a) {
                            out.push(report_items(self.code(), (line, unit), a, count, &items));
                        }
                        continue;
                    }
                }
                let (list, certain) = if a.backward {
                    let lists: Vec<&List> = summarised_lists(outline, Pos::new(line, a.start))
                        .into_iter()
                        .filter(|l| reaches(outline, l, line, a.start > facts.indent + 2))
                        .collect();
                    if lists.iter().any(|l| l.items.len() as u32 == count) {
                        continue;
                    }
                    // Reported against the outermost list, at warning level: which list
                    // a summary means is a guess.
                    match lists.last() {
                        Some(l) => (*l, false),
                        None => continue,
                    }
                } else {
                    match announced_list(ctx, line, a) {
                        Some(found) => found,
                        None => continue,
                    }
                };
                let actual = list.items.len() as u32;
                if actual == count {
                    continue;
                }
                // A lone 首先 is an adverb (首先，进行第一项议程), not a series; a 最后
                // one past the count closes the speech (最后，再强调一下……), not a point.
                if list.family == Family::Shouxian
                    && (actual == 1 || actual == count + 1 && ends_with_zuihou(outline, list))
                {
                    continue;
                }
                if !a.backward
                    && actual < count
                    && (continued_in_words(ctx, outline, list)
                        || cut_off_in_last_item(ctx, outline, list))
                {
                    continue;
                }
                // A count before a colon may be met by items written otherwise (一类……
                // 另一类……): never more than a warning.
                let level = if certain && !a.before_colon && is_clean(outline, list) {
                    self.default_level()
                } else {
                    RuleLevel::Warning
                };
                out.push(report(
                    self.code(),
                    level,
                    outline,
                    list,
                    (line, unit),
                    a,
                    count,
                ));
            }
        }
    }
}

/// The announced words name a formula of the knowledge base (四个意识：, “四个最严”：).
fn names_a_formula(ctx: &DocCtx, facts: &LineFacts, a: &Announcement) -> bool {
    facts.terms.iter().any(|t| {
        t.start < a.end && a.num_start < t.end && !ctx.kb.formula(t.entry).items.is_empty()
    })
}

/// The items of a list written out right after a count (抓好四项工作：抓项目、抓招商、
/// 抓环境。; 提出三点要求，即讲政治、顾大局、守规矩。; 做到“三个到位”，即……), when the
/// rest of the sentence is nothing but that list: short pieces joined by 、, the last
/// possibly by 和/及/与/以及 (which may also join words inside an item, so the list is then
/// not judged), no 等 (an open list), no other punctuation. None when the count
/// introduces anything else.
fn items_written_out(text: &str, a: &Announcement) -> Option<Vec<String>> {
    const MAX_ITEM_CHARS: usize = 12;
    let chars: Vec<char> = text.chars().collect();
    let end = a.end as usize;
    let start = if a.before_colon {
        // The announcement ends with its colon (四项工作：) or with 即 (“三个到位”，即).
        if end < 2 || !matches!(chars.get(end - 1), Some('：' | ':' | '即')) {
            return None;
        }
        end
    } else {
        // 提出三点要求，即……: the words of the count may run on to the comma.
        let after = after_introducer(text, a.end, &["，即", "，就是"])?;
        chars.len() - after.chars().count()
    };
    let after = &chars[start..];
    let stop = after
        .iter()
        .position(|&c| matches!(c, '。' | '！' | '？' | '；'))?;
    // Clauses after a semicolon: the count's items are those clauses (四项议程：一是……、
    // ……；二是……), not the pieces of the first.
    if after[stop] == '；' {
        return None;
    }
    let sentence: String = after[..stop].iter().collect();
    let sentence = sentence.trim();
    // Numbered points (一是……、……) are a run of their own, counted as such.
    let opening: Vec<char> = sentence.chars().take(8).collect();
    if crate::analysis::markers::paragraph_marker(&opening, 0).is_some() {
        return None;
    }
    let closed = !sentence.contains(['，', '：', ',', '（', '(', '“', '”'])
        && !sentence.ends_with('等')
        && !sentence.ends_with("等等");
    if !closed || !sentence.contains('、') {
        return None;
    }
    let items: Vec<String> = sentence.split('、').map(str::to_string).collect();
    let joined_last = items
        .last()
        .is_some_and(|l| ["和", "及", "与"].iter().any(|j| l.contains(j)));
    let short = items
        .iter()
        .all(|p| (1..=MAX_ITEM_CHARS).contains(&p.chars().count()));
    (short && !joined_last).then_some(items)
}

/// Whether a 首先 series' last point is 最后 (number 0 of the family) that closes the
/// speech with a word of its own (最后，再强调一下; 最后，我还想讲一点): one that goes on
/// as the points before it do (最后，要压实整改责任) is a point of the count.
fn ends_with_zuihou(outline: &Outline, list: &List) -> bool {
    const CLOSING: [&str; 9] = ["再", "还", "我", "简单", "强调", "说", "讲", "提", "顺便"];
    list.items.last().is_some_and(|&i| {
        let node = &outline.nodes[i];
        let words = node
            .name
            .trim_start_matches("最后")
            .trim_start_matches(['，', ',', '、', ' ']);
        node.number() == 0 && CLOSING.iter().any(|w| words.starts_with(w))
    })
}

/// The finding for a count that the list after its colon does not meet.
fn report_items(
    code: &'static str,
    (line, unit): (u32, &str),
    a: &Announcement,
    count: u32,
    items: &[String],
) -> Diagnostic {
    let last = &items[items.len() - 1];
    let listed = (items.len() as u32, items[0].as_str(), last.as_str());
    mismatch(code, RuleLevel::Warning, (line, unit), a, count, listed)
}

fn report(
    code: &'static str,
    level: RuleLevel,
    outline: &Outline,
    list: &List,
    (line, unit): (u32, &str),
    a: &Announcement,
    count: u32,
) -> Diagnostic {
    let first = &outline.nodes[list.items[0]];
    let last = &outline.nodes[*list.items.last().unwrap()];
    // 最后 is number 0 of its family.
    let label = |n: &crate::analysis::Node| {
        n.family()
            .map(|f| {
                f.label(if f == Family::Shouxian {
                    n.number()
                } else {
                    n.number().max(1)
                })
            })
            .unwrap_or_default()
    };
    let (first, last) = (label(first), label(last));
    let listed = (list.items.len() as u32, first.as_str(), last.as_str());
    mismatch(code, level, (line, unit), a, count, listed)
}

/// The unit the announcement counts in, as the text words it (四点, 三个方面, 三项,
/// 三个到位 → 个), for the message; 项 where the word is no unit of its own (三大任务).
fn unit_of(text: &str, a: &Announcement) -> &'static str {
    let after: String = text.chars().skip(a.num_end as usize).take(3).collect();
    const UNITS: [&str; 9] = [
        "个方面",
        "个问题",
        "方面",
        "点",
        "条",
        "项",
        "件",
        "种",
        "个",
    ];
    match UNITS.iter().find(|u| after.starts_with(**u)) {
        Some(&"方面") => "个方面",
        Some(u) => u,
        None => "项",
    }
}

/// The finding for announcement `a` of `count` on `line` whose list has `listed`: its
/// number of items and the first and the last item's label (一……三) or words. The fix
/// writes that number in place of the count.
fn mismatch(
    code: &'static str,
    level: RuleLevel,
    (line, unit): (u32, &str),
    a: &Announcement,
    count: u32,
    (actual, first, last): (u32, &str, &str),
) -> Diagnostic {
    let direction = if a.backward { "前面" } else { "随后" };
    let message = format!(
        "宣告“{}{unit}”，但{direction}列出{}{unit}（{}……{}），条数不一致。",
        count_numeral(count),
        count_numeral(actual),
        first,
        last
    );
    let numeral = Span::on_line(line, a.num_start, a.num_end);
    Diagnostic::new(code, level, Span::on_line(line, a.start, a.end), message)
        .with_fix(Fix::replace(numeral, count_numeral(actual), false))
}

#[cfg(test)]
mod tests {
    use crate::config::RuleLevel;
    use crate::rules::testing::diags;

    #[test]
    fn forward_and_backward_counts() {
        let text = "下面，讲四点意见。\n一要统一思想。\n二要强化责任。\n三要搭建载体。\n以上四点意见，供参考。";
        let d = diags("announced-count", text);
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(d[0].message.contains("随后列出三点"));
        assert_eq!(d[0].level, RuleLevel::Error);
        assert!(d[1].message.contains("前面列出三点"));
    }

    #[test]
    fn a_nearer_announcement_owns_the_list() {
        let text = "　　他说，这是以毛主席所提出六条政治标准作为共同准则的。\n　　今年要抓好四件事：一是抓学习；二是抓宣传；三是抓阵地；四是抓队伍。";
        assert!(diags("announced-count", text).is_empty());
        let three = text.replace("；四是抓队伍", "");
        let d = diags("announced-count", &three);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].span.start.line, 1);
    }

    /// A point that opens a paragraph goes on from the paragraphs' list, not from a
    /// run of the same style inside the last point's paragraph that expects the same
    /// number (the dev corpus's 1981 report with a run put into its 三是).
    #[test]
    fn a_run_inside_a_point_ends_with_its_paragraph() {
        let text = [
            "　　当前要特别注意做好以下四项工作：",
            "　　一是整顿经济责任制。",
            "　　二是整顿劳动组织。",
            "　　三是整顿劳动纪律。今年要抓好三件事：一是抓学习；二是抓宣传；三是抓阵地。",
            "　　四是整顿财经纪律。",
        ]
        .join("\n");
        assert!(diags("announced-count", &text).is_empty());
        let four = text.replace("三件事", "四件事");
        let d = diags("announced-count", &four);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].span.start.line, 3);
    }

    /// A numbered heading that ends in a count announces the points under it.
    #[test]
    fn a_heading_counts_its_points() {
        let text = [
            "二、2026年重点抓好五项工作",
            "（一）抓好项目建设。要坚持项目为王。",
            "（二）抓好产业升级。要推动产业转型。",
            "（三）抓好乡村振兴。要守牢底线。",
            "（四）抓好民生保障。要办好实事。",
            "三、切实加强组织领导",
        ]
        .join("\n");
        let d = diags("announced-count", &text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].span.start.line, d[0].level), (0, RuleLevel::Warning));
        assert!(diags("announced-count", &text.replace("五项", "四项")).is_empty());
        // A prose paragraph between the heading and its points, a quoted name, an
        // ordinal and a heading that goes on past the count are left alone.
        for other in [
            "二、2026年重点抓好五项工作\n今年的工作很多，要突出重点。",
            "二、落实“五项工作”",
            "二、第五项工作",
            "二、抓好五项工作，推动发展",
        ] {
            let t = text.replacen("二、2026年重点抓好五项工作", other, 1);
            assert!(diags("announced-count", &t).is_empty(), "{other}");
        }
    }

    /// A count met by points joined with pause marks in its own sentence is not
    /// judged against the run of the next paragraph.
    #[test]
    fn points_joined_by_pause_marks_meet_the_count() {
        let text = "全会《决定》有4个特点：一是坚持对标对表、二是坚持问题导向、三是坚持改革创新、四是坚持凝聚共识。\n《决定》从3个方面作出部署。一是抓发展。二是抓改革。三是抓民生。";
        assert!(diags("announced-count", text).is_empty());
        let d = diags("announced-count", &text.replace("4个特点", "5个特点"));
        assert_eq!(d.len(), 1, "{d:?}");
    }

    #[test]
    fn a_lone_shouxian_is_no_list() {
        let text = "会议共有四项议程：\n首先，进行第一项议程：通报情况。\n现在，进行第二项议程：总结工作。";
        assert!(diags("announced-count", text).is_empty());
    }

    #[test]
    fn a_closing_zuihou_past_the_count_is_no_point() {
        let text = "下面，我讲两点意见。\n首先，要提高认识。\n其次，要压实责任。\n最后，再强调一下安全生产问题。";
        assert!(diags("announced-count", text).is_empty());
        // 再次 is a point: three of them for two.
        let d = diags(
            "announced-count",
            &text.replace("最后，再强调一下", "再次，要抓好"),
        );
        assert_eq!(d.len(), 1, "{d:?}");
        // A 最后 that goes on as the points before it is a point.
        let d = diags(
            "announced-count",
            &text.replace("最后，再强调一下安全生产问题", "最后，要抓好安全生产"),
        );
        assert_eq!(d.len(), 1, "{d:?}");
        // Two past the count, or one short, is reported, and 最后 is named as such.
        let d = diags("announced-count", &text.replace("两点", "四点"));
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("（首先……最后）"), "{}", d[0].message);
    }

    #[test]
    fn questions_announced_are_not_the_points_inside_the_first() {
        let text = "下面，我讲点意见，讲3个问题。\n第一个问题：深刻认识取得的成就。\n第一，成绩最好。\n第二，发展加快。\n第三，合力构筑。\n第四，制度建立。\n第二个问题：清醒把握困难。\n第三个问题：全面打好攻坚战。";
        assert!(diags("announced-count", text).is_empty());
    }

    #[test]
    fn right_counts_inline_runs_and_arabic_numbers_pass() {
        assert!(diags(
            "announced-count",
            "这里，我简单提三点要求：一要端正学风。二要加强思考。三要学以致用。"
        )
        .is_empty());
        assert!(diags(
            "announced-count",
            "重点讲2点意见。\n一、统一思想\n内容。\n二、强化责任\n内容。"
        )
        .is_empty());
        assert!(diags(
            "announced-count",
            "谈几点体会。\n一是学。\n二是思。\n三是用。"
        )
        .is_empty());
    }

    #[test]
    fn a_count_before_a_colon_is_matched_against_the_list_after_it() {
        let text = "　　我们要重点抓好四项工作：抓项目、抓招商、抓环境。";
        let d = diags("announced-count", text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].message
                .contains("宣告“四项”，但随后列出三项（抓项目……抓环境）"),
            "{}",
            d[0].message
        );
        for text in [
            "　　我们要重点抓好三项工作：抓项目、抓招商、抓环境。",
            "　　我们要重点抓好四项工作：抓项目、抓招商、抓环境等。",
            "　　我们要重点抓好四项工作：抓项目、抓招商、抓环境和抓民生。",
            "　　要坚持两个原则：一方面要稳，另一方面要进。",
            // Clauses after a semicolon, numbered points: the count's items are those.
            "　　今天的会议共有四项议程：一是县委副书记、县长同志传达会议精神；二是表彰先进；三是代表发言；四是县委书记讲话。",
            "　　会议有两项议程：一是传达精神、部署工作。",
        ] {
            assert!(diags("announced-count", text).is_empty(), "{text}");
        }
    }

    #[test]
    fn a_count_in_quotes_or_before_ji_is_matched_against_its_list() {
        for (text, listed) in [
            (
                "　　各地要做到“三个到位”：责任到位、措施到位。",
                "两个（责任到位……措施到位）",
            ),
            (
                "　　各地要做到“三个到位”，即责任到位、措施到位。",
                "两个（责任到位……措施到位）",
            ),
            (
                "　　要落实“四个一”工作机制：一个专班、一套方案、一张清单。",
                "三个（一个专班……一张清单）",
            ),
            (
                "　　会议提出三点要求，即讲政治、顾大局。",
                "两点（讲政治……顾大局）",
            ),
            (
                "　　会议提出三点要求，就是讲政治、顾大局、守规矩、讲奉献。",
                "四点（讲政治……讲奉献）",
            ),
        ] {
            let d = diags("announced-count", text);
            assert_eq!(d.len(), 1, "{text}: {d:?}");
            assert!(d[0].message.contains(listed), "{}", d[0].message);
        }
        for text in [
            "　　各地要做到“三个到位”：责任到位、措施到位、保障到位。",
            "　　各地要做到“三个到位”，即责任到位、措施到位、保障到位。",
            "　　要落实“四个一”工作机制：一个专班、一套方案、一张清单、一抓到底。",
            // Other words after the quote: the colon does not introduce the count's list.
            "　　要深刻理解“三个转变”的深刻内涵：理念转变、方式转变。",
            "　　会议提出三点要求，即讲政治、顾大局、守规矩。",
            "　　会议提出三点要求，即讲政治、顾大局，还要守规矩。",
            // A formula's list is formula-list's, which names the missing item.
            "　　要增强四个意识：政治意识、大局意识、核心意识。",
            "　　要增强“四个意识”，即政治意识、大局意识、核心意识。",
        ] {
            assert!(diags("announced-count", text).is_empty(), "{text}");
        }
    }

    #[test]
    fn a_count_before_a_colon_is_matched_against_its_own_run() {
        let text = "二、主要任务\n今年重点抓好四件事：一是抓学习；二是抓宣传；三是抓阵地；四是抓队伍。\n要采取三项措施：一是建制度；二是强考核。";
        let d = diags("announced-count", text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].span.start.line, 2);
        assert!(
            d[0].message.contains("宣告“三项”，但随后列出两项"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn a_summary_sums_up_what_ends_right_before_it() {
        // The ten clauses of the summary's own paragraph, not a run paragraphs earlier
        // (十九届六中全会公报, 2021, with a run put into an earlier paragraph).
        let text = "全会指出，要抓好三件事：一是抓学习；二是抓宣传；三是抓阵地。\n全会认为，党的百年奋斗成就辉煌。\n全会强调，必须牢记初心使命。\n全会提出，积累了宝贵的历史经验，这就是：坚持党的领导，坚持人民至上，坚持理论创新，坚持独立自主，坚持中国道路，坚持胸怀天下，坚持开拓创新，坚持敢于斗争，坚持统一战线，坚持自我革命。以上十个方面，必须倍加珍惜。";
        assert!(diags("announced-count", text).is_empty());
    }

    #[test]
    fn items_after_ji_meet_the_count() {
        let text = "　　会议提出三点要求，即讲政治、顾大局、守规矩。\n　　首先，要统一思想。第二，要强化责任。";
        assert!(diags("announced-count", text).is_empty());
        let run = "　　下面，我讲三点意见。\n　　首先，要统一思想。第二，要强化责任。";
        assert_eq!(diags("announced-count", run).len(), 1);
        // A run inside a later paragraph, after its own prose.
        let later = "　　工作方案明确提出12个方面主要内容。\n　　要大力改进作风，多到基层去。首先，要统一思想。第二，要强化责任。";
        assert!(diags("announced-count", later).is_empty());
    }

    #[test]
    fn a_summary_inside_a_paragraph_sums_up_that_paragraph() {
        let text = "　　首先，要统一思想。第二，要强化责任。\n　　这就是：坚持党的领导，坚持人民至上，坚持理论创新。以上三个方面，是宝贵经验。";
        assert!(diags("announced-count", text).is_empty());
        let own = "　　首先，要统一思想。第二，要强化责任。以上三个方面，是宝贵经验。";
        assert_eq!(diags("announced-count", own).len(), 1);
    }

    #[test]
    fn backward_count_matches_an_inner_list() {
        let text = "三、基本方略\n（一）坚持党对一切工作的领导。\n（二）坚持以人民为中心。\n（三）坚持全面深化改革。\n（四）坚持新发展理念。\n以上四条，构成基本方略。";
        assert!(diags("announced-count", text).is_empty());
        let ends = "一、总体要求\n二、主要任务\n（一）抓落实。\n（二）抓考核。\n以上四点意见，请认真落实。";
        assert_eq!(diags("announced-count", ends).len(), 1);
    }

    #[test]
    fn a_text_cut_off_in_its_last_point_is_not_judged() {
        // An excerpt that stops mid-sentence in the first of four points.
        let cut = "下面，我讲四个方面的意见。\n一、把准政治方向\n政治监督是首要职责，必须摆在首位，确保决策部署";
        assert!(diags("announced-count", cut).is_empty());
        let heading_only = "下面，我讲三点意见。\n一要坚持对标对表。\n二要树立远大理想";
        assert!(diags("announced-count", heading_only).is_empty());
        // The text goes on after the list, or ends with a full sentence: judged.
        // Only the first point, ending with a full sentence: cut off after a paragraph.
        let first_only = "下面，我讲四个方面的意见。\n一、把准政治方向\n政治监督是首要职责。";
        assert!(diags("announced-count", first_only).is_empty());
        let ended =
            "下面，我讲四个方面的意见。\n一、把准政治方向\n要监督。\n二、强化责任\n要落实。";
        assert_eq!(diags("announced-count", ended).len(), 1);
        let more = "一、总体要求\n讲四点意见。\n一要统一思想。\n二要强化责任。\n二、保障措施\n要加强领导，确保";
        assert_eq!(diags("announced-count", more).len(), 1);
        // A short line at the end that ends no sentence is no sentence cut off.
        for note in ["责任编辑：张三", "＠①原字石右加安", "（来源：人民网）"]
        {
            let noted = format!(
                "下面，我讲四点意见。\n一要统一思想。\n二要强化责任。\n三要狠抓落实。\n{note}"
            );
            assert_eq!(diags("announced-count", &noted).len(), 1, "{note}");
        }
    }

    #[test]
    fn a_run_written_out_after_the_colon_is_not_the_next_list() {
        let text = "今天就讲三件事：为什么必须抓、重点抓什么、怎么抓到位。\n一、为什么必须抓？\n作风建设一刻也不能松劲。";
        assert!(diags("announced-count", text).is_empty());
        // The colon ends the paragraph: the run is the list that follows.
        let list = "今天就讲三件事：\n一、为什么必须抓？\n二、怎么抓？\n内容。";
        assert_eq!(diags("announced-count", list).len(), 1);
    }

    #[test]
    fn counts_points_of_the_next_level_only() {
        let text =
            "讲两点意见。\n第一，统一思想。\n（一）学。\n（二）思。\n（三）用。\n第二，强化责任。";
        assert!(diags("announced-count", text).is_empty());
    }
}
