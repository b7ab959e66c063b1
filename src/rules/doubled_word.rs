//! Doubled function words: 的的, 了了, 是是, 在在 — typing slips, never legitimate
//! reduplications. Words that contain the pair (目的的, 的的确确, 有的的确, 不了了之, 是是非非,
//! 但是是否, 实事求是是, 比比皆是是, 实实在在, 现在在) are excepted.

use super::{Diagnostic, Edit, Fix, LineCtx, Rule, RuleDoc};
use crate::config::RuleLevel;
use crate::text::Span;

/// Characters that, before the pair, form a word with its first character.
fn word_before(c: char, before: Option<char>) -> bool {
    match c {
        // Not 有: 有的 (some) takes no 的 after it, and 原有的的, 应有的的 are slips; only
        // 有的的确 (some indeed) is a word boundary, which `word_after` knows.
        '的' => matches!(before, Some('目' | '端' | '标')),
        '了' => matches!(
            before,
            Some('不' | '小' | '时' | '为' | '除' | '罢' | '得' | '受' | '明' | '未')
        ),
        '是' => matches!(
            before,
            Some(
                '但' | '可'
                    | '还'
                    | '就'
                    | '总'
                    | '只'
                    | '不'
                    | '要'
                    | '于'
                    | '或'
                    | '凡'
                    | '正'
                    | '即'
                    | '若'
                    | '倒'
                    | '硬'
                    | '老'
                    | '真'
                    | '便'
                    | '乃'
                    | '都'
                    | '也'
                    | '更'
                    | '实'
                    | '求'
                    | '皆'
                    | '其'
                    | '算'
                    | '像'
                    | '而'
                    | '特'
                    | '尤'
                    | '光'
                    | '自'
                    | '确'
                    | '怕'
                    | '竟'
            )
        ),
        '在' => matches!(
            before,
            Some(
                '现' | '正'
                    | '实'
                    | '存'
                    | '所'
                    | '自'
                    | '内'
                    | '外'
                    | '潜'
                    | '好'
                    | '健'
                    | '旨'
                    | '意'
                    | '志'
                    | '重'
                    | '难'
                    | '关'
                    | '贵'
                    | '妙'
                    | '乐'
            )
        ),
        _ => false,
    }
}

/// Characters that, after the pair, form a word with its second character.
fn word_after(c: char, after: Option<char>) -> bool {
    match c {
        '的' => matches!(after, Some('确')),
        '了' => matches!(
            after,
            Some('之' | '解' | '如' | '然' | '结' | '却' | '无' | '不' | '得')
        ),
        '是' => matches!(after, Some('否' | '非')),
        '在' => matches!(
            after,
            Some(
                '于' | '乎'
                    | '场'
                    | '职'
                    | '岗'
                    | '线'
                    | '建'
                    | '读'
                    | '编'
                    | '家'
                    | '这'
                    | '那'
                    | '此'
                    | '哪'
            )
        ),
        _ => false,
    }
}

pub struct DoubledWord;

impl Rule for DoubledWord {
    fn code(&self) -> &'static str {
        "doubled-word"
    }
    fn default_level(&self) -> RuleLevel {
        RuleLevel::Warning
    }
    fn doc(&self) -> RuleDoc {
        RuleDoc {
            title: "虚词重复 (a doubled function word)",
            description: "的的, 了了, 是是, 在在 and 们们 are typing slips unless they belong to a word on either side (目的的, 的的确确, 不了了之, 是是非非, 但是是否, 实实在在, 现在在家); such words are excepted. Genuine reduplications (常常, 谢谢, 研究研究) are never flagged.",
            bad: "这是我们的的责任。",
            good: "这是我们的责任，我们要常常研究研究。",
        }
    }
    fn check_line(&self, ctx: &LineCtx, out: &mut Vec<Diagnostic>) {
        let chars = ctx.chars;
        // Equal neighbours first: almost every char has none.
        for i in crate::text::equal_neighbours(chars) {
            let c = chars[i];
            // 们 is a suffix that never doubles (我们们); the others form words.
            if !matches!(c, '的' | '了' | '是' | '在' | '们') {
                continue;
            }
            let before = i.checked_sub(1).map(|j| chars[j]);
            let after = chars.get(i + 2).copied();
            if before == Some(c)
                || after == Some(c)
                || word_before(c, before)
                || word_after(c, after)
            {
                continue;
            }
            let span = Span::on_line(0, i as u32, i as u32 + 2);
            let extra = Span::on_line(0, i as u32 + 1, i as u32 + 2);
            out.push(
                Diagnostic::new(
                    self.code(),
                    self.default_level(),
                    span,
                    format!("“{c}{c}”重复，疑为多打了一个“{c}”。"),
                )
                .with_fix(Fix {
                    title: format!("删除多余的“{c}”"),
                    edits: vec![Edit {
                        span: extra,
                        new_text: String::new(),
                    }],
                    certain: false,
                }),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::diags;

    #[test]
    fn slips_are_found_words_are_not() {
        for bad in [
            "我们的的责任",
            "完成了了任务",
            "这是是一个",
            "在在会上",
            "我们们要抓好落实",
            "台湾保持原有的的资本主义制度",
            "作出应有的的贡献",
        ] {
            assert_eq!(diags("doubled-word", bad).len(), 1, "{bad}");
        }
        for good in [
            "目的的实现",
            "的的确确",
            "有的的确很好",
            "不了了之",
            "是是非非",
            "但是是否",
            "解放思想同实事求是是统一的",
            "问题比比皆是是事实",
            "实实在在",
            "现在在家",
            "常常谢谢看看",
        ] {
            assert!(diags("doubled-word", good).is_empty(), "{good}");
        }
    }
}
