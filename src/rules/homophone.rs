//! A formula's name or item typed with a char of the same sound (两个确力 for 两个确立,
//! 稳中求近 for 稳中求进, 政知意识 for 政治意识): the slip a pinyin input method
//! makes when the wrong candidate is picked; or with one of its chars left out or
//! typed twice (人类命共同体, 中国式现代代化). Every term, alias and item of the knowledge
//! base and the glossary, the idioms of the wrong-forms table and the set phrases of
//! data/phrases.toml (习近平总书记, 高质量发展) is looked for, four
//! chars or more; see
//! `knowledge::homophones` for what counts as the same sound.

use super::{Diagnostic, Fix, LineCtx, Rule, RuleDoc};
use crate::config::RuleLevel;
use crate::knowledge::homophones::Slip;
use crate::text::Span;

pub struct Homophone;

impl Rule for Homophone {
    fn code(&self) -> &'static str {
        "homophone-slip"
    }
    fn default_level(&self) -> RuleLevel {
        RuleLevel::Warning
    }
    fn doc(&self) -> RuleDoc {
        RuleDoc {
            title: "提法同音别字 (a formula's wording typed with a homophone)",
            description: "A term, alias or list item of the knowledge base or the glossary, the right form of a wrong form that holds in any context (an idiom such as 与时俱进, 一以贯之), or a set phrase of official texts (习近平总书记, 高质量发展, 真抓实干: data/phrases.toml, each cited to a primary text), four Han chars or more, written with one char replaced by another of the same syllable, as a pinyin input method offers it: 两个确力 for 两个确立, 稳中求近 for 稳中求进, 政知意识 for 政治意识. Inside a phrase of six chars or more, with two chars on each side as written, a word of two chars so replaced too (社会注意思想 for 社会主义思想); not in shorter phrases, where the other word is often right (引起社会注意). The other char must be a common simplified one (GB 2312), so traditional texts are left alone, and not one that stands for it in many words (做主 and 作主). A first or last char, which may belong to the word beside the term (unless the clause ends there, 新质生产理。, or 的 follows the last char), and a function word inside (以共产党为领导) must have the same tone too; a first or last char is not taken for a slip at all where the rest is a term of its own (妨碍社会主义 is no 爱社会主义). Such a phrase typed with one of its own chars left out (习近平新时代中国特色社会义思想, from six chars on) or typed twice (中国式现代代化) is reported too, where its first three chars and, after the gap, two more (after a doubled char, one more) are as written: a phrase's last chars may give way to the next word (社会主义现代化国家 is no 社会主义现代化强国 short of 强). A numeral is never taken for left out or doubled (党的二十大 is no 党的二十一大), nor a function word for left out (以人民为中心发展思想), nor a char where a known term ends or begins at the gap (山水林田湖草, the wording before 沙 was added). A slip the wrong-forms table names is reported by `wrong-form` alone, and one in a list that `formula-list` reports by that rule alone. The fix writes the term's own char, or the whole term.",
            bad: "深刻领悟“两个确力”的决定性意义。",
            good: "深刻领悟“两个确立”的决定性意义。",
        }
    }
    fn check_line(&self, ctx: &LineCtx, out: &mut Vec<Diagnostic>) {
        let index = ctx.kb.homophones();
        for hit in ctx.homophones() {
            let at = crate::text::col_to_byte(ctx.chars, hit.at);
            let named = ctx
                .wrong_forms()
                .iter()
                .any(|&(_, start, end)| start <= at && at < end);
            // `formula-list` runs first (`ALL`) and reports a list with one item a char
            // off (人材强国战略 among the three strategies) with the whole list's fix.
            let col = hit.at as u32;
            let listed = out.iter().any(|d| {
                d.code == "formula-list" && d.span.start.col <= col && col < d.span.end.col
            });
            if named || listed {
                continue;
            }
            let phrase = index.phrase(hit.phrase);
            let right: String = phrase.iter().collect();
            let end = hit.start + hit.written_len(phrase.len());
            let written: String = ctx.chars[hit.start..end].iter().collect();
            let (span, message, fix) = match hit.slip {
                // 生物智造谷: a park's name, coined on purpose.
                Slip::Sound if names_a_place(ctx.chars, end) => continue,
                Slip::Sound => {
                    let own: String = phrase[hit.at - hit.start..][..hit.len].iter().collect();
                    let typed: String = ctx.chars[hit.at..hit.at + hit.len].iter().collect();
                    let span = Span::on_line(0, col, col + hit.len as u32);
                    let message =
                        format!("疑似同音别字：“{written}”应为“{right}”（“{own}”误作“{typed}”）。");
                    (span, message, own)
                }
                // Where a known term ends, begins or lies at the gap, the shorter form
                // is a wording of its own (山水林田湖草 before 沙 was added).
                Slip::LeftOut if known_at_gap(ctx, hit.at as u32) => continue,
                Slip::LeftOut => {
                    let own: String = phrase[hit.at - hit.start..][..hit.len].iter().collect();
                    let span = Span::on_line(0, hit.start as u32, end as u32);
                    let message = format!("疑似漏字：“{written}”应为“{right}”（漏了“{own}”）。");
                    (span, message, right)
                }
                Slip::Doubled => {
                    let span = Span::on_line(0, col, col + 1);
                    let extra = ctx.chars[hit.at];
                    let message =
                        format!("疑似多字：“{written}”应为“{right}”（“{extra}”多打了一个）。");
                    (span, message, String::new())
                }
            };
            out.push(
                Diagnostic::new(self.code(), self.default_level(), span, message)
                    .with_fix(Fix::replace(span, fix, false)),
            );
        }
    }
}

/// The words that make what comes before them a place's name (生物智造谷, 数智小镇).
const PLACES: [&str; 8] = ["谷", "园", "港", "湾", "岛", "小镇", "基地", "街区"];

/// Whether the name of a place ends with the phrase that ends before column `end`:
/// parks and towns are named with coinages (智造 for 制造) on purpose.
fn names_a_place(chars: &[char], end: usize) -> bool {
    PLACES.iter().any(|w| crate::text::word_at(chars, end, w))
}

/// Whether a term or alias of the knowledge base, as found in the line, ends right
/// before column `gap`, begins at it or spans it.
fn known_at_gap(ctx: &LineCtx, gap: u32) -> bool {
    ctx.facts
        .terms
        .iter()
        .any(|t| t.start <= gap && gap <= t.end)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_fixed_once, diags};

    #[test]
    fn a_formula_typed_with_a_homophone() {
        assert_fixed_once(
            "homophone-slip",
            &[
                (
                    "　　深刻领悟“两个确力”的决定性意义。",
                    "　　深刻领悟“两个确立”的决定性意义。",
                ),
                (
                    "　　坚持稳中求近工作总基调。",
                    "　　坚持稳中求进工作总基调。",
                ),
                // A set phrase (data/phrases.toml).
                (
                    "　　习近平总数记强调，要真抓实干。",
                    "　　习近平总书记强调，要真抓实干。",
                ),
                // A word of two chars inside a long phrase.
                (
                    "　　坚持以习近平新时代中国特色社会注意思想为指导。",
                    "　　坚持以习近平新时代中国特色社会主义思想为指导。",
                ),
            ],
        );
        assert!(diags(
            "homophone-slip",
            "　　深刻领悟“两个确立”的决定性意义，坚持稳中有进。"
        )
        .is_empty());
    }

    #[test]
    fn a_char_left_out_or_typed_twice() {
        assert_fixed_once(
            "homophone-slip",
            &[
                (
                    "　　坚持以习近平新时代中国特色社会义思想为指导。",
                    "　　坚持以习近平新时代中国特色社会主义思想为指导。",
                ),
                ("　　推动构建人类命共同体。", "　　推动构建人类命运共同体。"),
                (
                    "　　以中国式现代代化全面推进强国建设。",
                    "　　以中国式现代化全面推进强国建设。",
                ),
                // A word of two left out of a long phrase.
                (
                    "　　以习近平新时代中国特色社会思想为指导。",
                    "　　以习近平新时代中国特色社会主义思想为指导。",
                ),
            ],
        );
        let d = diags(
            "homophone-slip",
            "　　以习近平新时代中国特色社会思想为指导。",
        );
        assert!(d[0].message.contains("漏了“主义”"), "{}", d[0].message);
        for text in [
            // A numeral more or less: another congress.
            "　　深入学习贯彻党的二十大精神。",
            // The wording before 沙 was added, a term of its own.
            "　　实施山水林田湖草一体化保护和系统治理工程。",
            // A function word left out.
            "　　坚持以人民为中心发展思想。",
            // The phrase's last char may give way to the next word.
            "　　全面建设社会主义现代化国家。",
        ] {
            assert!(diags("homophone-slip", text).is_empty(), "{text}");
        }
    }

    #[test]
    fn a_place_named_with_a_coinage() {
        let text = "　　依托生物智造谷，推进生物智造产业发展。";
        let d = diags("homophone-slip", text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].span.start.col, 14);
    }

    #[test]
    fn a_slip_in_a_list_formula_list_reports_is_its() {
        let text = "　　深入实施科教兴国战略、人材强国战略、创新驱动发展战略。";
        assert!(diags("homophone-slip", text).is_empty());
        assert_eq!(diags("formula-list", text).len(), 1);
        // The same slip alone.
        assert_eq!(
            diags("homophone-slip", "　　深入实施人材强国战略。").len(),
            1
        );
    }

    #[test]
    fn an_idiom_the_wrong_forms_table_spells() {
        assert_eq!(
            diags("homophone-slip", "　　坚持与时聚进，保持一以灌之的定力。").len(),
            2
        );
        // 世界纪录 has guards in the table (记录 as a verb): the table's alone.
        assert!(diags("homophone-slip", "　　这一年，世界记录了中国发展的新高度。").is_empty());
    }

    #[test]
    fn a_slip_the_wrong_forms_name_is_theirs() {
        let text = "　　坚持和发展中国特色社会主意。";
        assert!(diags("homophone-slip", text).is_empty());
        assert_eq!(diags("wrong-form", text).len(), 1);
    }
}
