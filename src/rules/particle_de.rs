//! 的, 地 and 得 confused: 的 before a verb after a word of manner (认真的抓好, 如实的报告),
//! where the verb is told by its result, by a word that is only ever an adverb, or by
//! its object (认真的查摆问题); 的 before a complement of degree (开的很成功。); and
//! 地 before a noun of state (正确地权力观, 良好地氛围). All are told only where no
//! other reading is possible: 的 before a verb used as a noun (得到有效的落实, 工作的
//! 推进) and the nouns that end in 地 (各地, 基地, 阵地) are left alone.

use super::{Diagnostic, Fix, LineCtx, Rule, RuleDoc};
use crate::config::RuleLevel;
use crate::text::{word_at, word_ends_at, Span};

pub struct ParticleDe;

/// Words that say how something is done and, before 的, make a verb phrase of what
/// follows when that is a verb with its result (认真的抓好: 认真地抓好).
const MANNER: &[&str] = &[
    "认真",
    "较好",
    "很好",
    "自觉",
    "主动",
    "积极",
    "扎实",
    "坚决",
    "严格",
    "高标准",
    "高质量",
    "全面",
    "深入",
    "努力",
    "及时",
    "充分",
    "更好",
    "更加自觉",
    "更加主动",
    "更加积极",
    "更加扎实",
    "扎扎实实",
    "认认真真",
    "实实在在",
    "切实",
    "有效",
];

/// Words of manner that are only ever adverbs: before 的, any verb after them is the
/// one they modify (如实的报告, 因地制宜的推进).
const ONLY_ADVERBS: &[&str] = &[
    "如实",
    "因地制宜",
    "全力以赴",
    "千方百计",
    "坚定不移",
    "毫不动摇",
];

/// Verbs that carry their result or aspect (抓好, 做到, 完成了) or are never used as
/// nouns (靠前): after 的 they are predicates, so the 的 is a 地.
const VERB_WITH_RESULT: &[&str] = &[
    "抓好",
    "做好",
    "办好",
    "管好",
    "用好",
    "守好",
    "干好",
    "建好",
    "做到",
    "做实",
    "抓实",
    "落实好",
    "谋划好",
    "履行好",
    "完成了",
    "完成好",
    "推进了",
    "落实了",
    "靠前",
    "担起",
    "扛起",
];

/// Verbs an adverb of `ONLY_ADVERBS` is found with before 的 in drafts, besides those of
/// `TRANSITIVE`.
const VERB: &[&str] = &["报告", "抓", "做", "干", "完成", "开展", "反映", "填报"];

/// Verbs that take an object, found after both kinds of manner words.
const TRANSITIVE: &[&str] = &[
    "推进", "推动", "落实", "履行", "执行", "贯彻", "解决", "处理", "加强", "提高", "提升",
];

/// Words of manner that modify verbs far more often than nouns: before 的, a verb of
/// `VERB_WITH_OBJECT` with its object after it is the one they modify (认真的查摆问题,
/// 切实的克服麻痹思想).
const ADVERBIAL: &[&str] = &[
    "认真",
    "自觉",
    "切实",
    "经常",
    "主动",
    "提前",
    "带头",
    "稳妥",
    "深入",
    "有序",
    "依法",
    "更加自觉",
    "更加主动",
];

/// Verbs that, with an object after them, are predicates (the object is no part of a
/// noun: 认真的查摆问题), besides those of `TRANSITIVE`; and words that only ever begin
/// a predicate after 的: 把 and 加以 (切实的把问题当成事故, 切实的加以解决).
const VERB_WITH_OBJECT: &[&str] = &[
    "查摆", "化解", "克服", "研判", "提醒", "参加", "办理", "关心", "学习", "剖析", "组织", "排查",
    "整改", "检查", "领会", "宣传",
];
const PREDICATE_ONLY: &[&str] = &["把", "加以", "予以"];

/// Verbs of perceiving with their result 到 (清醒地看到, 深刻地认识到): a verb whatever
/// stands before 的, as no noun ends so (but 认识到位 is a noun and its state).
const PERCEIVING: &[&str] = &[
    "看到",
    "认识到",
    "意识到",
    "感受到",
    "体会到",
    "觉察到",
    "察觉到",
];

/// Words that make a noun of a verb before them (推进机制, 解决办法, 落实情况): the
/// verb and the word are one noun, which a manner word before 的 may describe.
const NOUN_HEADS: &[&str] = &[
    "机制", "办法", "方案", "措施", "举措", "作用", "情况", "工作", "能力", "水平", "效果", "成效",
    "质量", "空间", "路径", "途径", "思路", "力度", "进度", "过程", "步伐", "速度", "意识", "态度",
    "精神", "体系", "方式", "形式", "模式", "作风", "习惯", "氛围", "活动", "经验", "成果", "制度",
    // Another verb makes a noun of two (深入的学习思考, 认真的检查督促).
    "思考", "研究", "交流", "讨论", "教育", "培训", "调研", "督促",
];

/// Chars after such a verb that are no object: joiners (进行认真的处理和研究) and the
/// suffixes that make a noun of the verb (自觉的执行者, 切实的执行力, 办理率).
const NO_OBJECT: &str = "的和与及或等者人力性率度量员";

/// Words after 把 that make a noun or another verb of it (充分的把握, 严格的把关).
const BA_WORDS: &str = "握关手柄式戏持脉控";

/// Words before the manner word that make the verb after 的 a noun (得到有效的落实,
/// 进行认真的学习, 取得较好的完成).
const NOMINALISERS: &[&str] = &[
    "得到", "受到", "进行", "加以", "给予", "取得", "实现", "作出", "做出", "开展", "有",
];

/// Nouns of state or view that take 的, not 地, after the words that describe them
/// (正确的权力观, 浓厚的氛围, 合理合法的利益诉求).
const STATE_NOUNS: &[&str] = &[
    "氛围",
    "局面",
    "态势",
    "环境",
    "权力观",
    "政绩观",
    "事业观",
    "价值观",
    "利益诉求",
    "诉求",
    "作风",
    "形象",
    "格局",
    "风气",
    // Nouns that are never verbs (有力的举措, 健康的体魄, 品牌的知名度).
    "举措",
    "措施",
    "体魄",
    "知名度",
    "美誉度",
    "影响力",
    "竞争力",
    "成效",
    "成果",
    "基础",
];

/// Words that may stand between 地 and such a noun (良好地氛围 has none).
const STATE_ADJECTIVES: &[&str] = &[
    "良好", "浓厚", "浓郁", "强大", "健康", "清朗", "优良", "崭新", "全新",
];

/// Chars before 地 that make a noun of it (各地, 基地, 阵地, 属地, 落地, 目的地, 发源地),
/// so that 地 there is no particle.
const NOUN_DI: &str =
    "各当本外基阵属土用园高洼耕林湿产腹内天境实就异两驻场绿落此该原山田草陆领福胜重要盆墓圣宝遍满一大荒旱宅营工源在散据集验载发出的民范";

impl Rule for ParticleDe {
    fn code(&self) -> &'static str {
        "particle-de"
    }
    fn default_level(&self) -> RuleLevel {
        RuleLevel::Warning
    }
    fn doc(&self) -> RuleDoc {
        RuleDoc {
            title: "“的”“地”“得”误用 (的, 地 and 得 confused)",
            description: "的 where 地 belongs: after a word of manner (认真, 较好, 高标准, 更加自觉) before a verb that carries its result (认真的抓好, 较好的完成了, 更加自觉的做到), or after a word that is only ever an adverb (如实, 因地制宜, 全力以赴) before a verb (如实的报告), or after a word that mostly modifies verbs (认真, 切实, 经常, 稳妥, 深入, 有序) or one doubled char by char (原原本本) before 把, 加以 or a verb with its object (认真的查摆问题, 切实的把隐患当成事故, 稳妥的化解风险, 原原本本的学习讲话; not 切实的解决办法 or 深入的学习思考, whose verb and noun make one noun). 地 where 的 belongs: before a noun of state or view (正确地权力观, 尊师重教地浓厚氛围, 宽容失败地良好氛围). 的 where 得 belongs: between a verb and a word of degree (很, 非常, 更, 更加, 越来越) with how well it went, at the clause's end (会议开的很成功。, 做的更扎实、), or between a one-char verb and its result alone (干的好、, 查的清，); not after a pronoun (我们的很好) nor before a noun (存在的很大问题, 做的好事). A verb used as a noun (得到有效的落实, 进行认真的学习, 工作的推进) and the nouns that end in 地 (各地, 基地, 阵地, 落地) are left alone. The fix swaps the particle.",
            bad: "大家要认真的抓好落实，营造宽容失败地良好氛围。",
            good: "大家要认真地抓好落实，营造宽容失败的良好氛围。",
        }
    }
    fn check_line(&self, ctx: &LineCtx, out: &mut Vec<Diagnostic>) {
        static FINDERS: std::sync::OnceLock<[memchr::memmem::Finder<'static>; 2]> =
            std::sync::OnceLock::new();
        let [de, di] = FINDERS.get_or_init(|| {
            [
                memchr::memmem::Finder::new("的"),
                memchr::memmem::Finder::new("地"),
            ]
        });
        let bytes = ctx.text.as_bytes();
        // A vectorised search for each particle; the chars are looked at only where
        // the one after a particle may start a verb or noun the rule knows.
        // (The line's findings are sorted after its rules have run.)
        let particles = de.find_iter(bytes).map(|b| (b, '的'));
        let particles = particles.chain(di.find_iter(bytes).map(|b| (b, '地')));
        let chars = ctx.chars;
        let mut cols = crate::text::ColCounter::new(ctx.text);
        for (byte, written) in particles {
            let Some(next) = ctx.text[byte + '的'.len_utf8()..].chars().next() else {
                continue;
            };
            let known = match written {
                '的' => VERB_FIRSTS.contains(next) || DEGREES.contains(next),
                _ => STATE_FIRSTS.contains(next),
            };
            if !known {
                continue;
            }
            let at = cols.col(byte) as usize;
            let wrong = match written {
                '的' if DEGREES.contains(next) => de_before_degree(chars, at).then_some('得'),
                '的' => de_before_verb(chars, at).then_some('地'),
                _ => di_before_noun(chars, at).then_some('的'),
            };
            let Some(wrong) = wrong else {
                continue;
            };
            let span = Span::on_line(0, at as u32, at as u32 + 1);
            let message = match wrong {
                '地' => "“的”“地”误用：修饰动词用“地”，此处应为“地”。",
                '得' => "“的”“得”误用：动词后补充程度用“得”，此处应为“得”。",
                _ => "“的”“地”误用：修饰名词用“的”，此处应为“的”。",
            };
            out.push(
                Diagnostic::new(self.code(), self.default_level(), span, message)
                    .with_fix(Fix::replace(span, wrong.to_string(), false)),
            );
        }
    }
}

/// The first chars of the words of degree in `DEGREE_WORDS`, of the results in
/// `RESULTS`, and 都 and 也, which may come before a word of degree.
const DEGREES: &str = "很非十更越特比好清住准透牢稳都也";
const DEGREE_WORDS: &[&str] = &["很", "非常", "十分", "更加", "更", "越来越", "特别", "比较"];

/// What a one-char verb's complement says of how it went, alone (干得好, 查得清, 留得住).
const RESULTS: &[&str] = &["好", "清", "住", "准", "透", "牢", "稳"];

/// One-char verbs that take a complement with 得 (干得好, 讲得很实在, 查得清).
const ONE_CHAR_VERBS: &str = "干做抓查管留讲说写办用守看听学记稳落";

/// Words that say how well something went, which a word of degree and 得 put after a
/// verb (开得很成功, 落实得非常到位).
const OUTCOMES: &[&str] = &[
    "成功", "顺利", "圆满", "扎实", "到位", "出色", "精彩", "及时", "充分", "有效", "好", "快",
    "热烈", "深入", "认真", "突出", "明显", "实在", "便利", "清楚", "透彻", "精准", "细致", "具体",
    "规范", "牢固", "红火", "美好", "幸福", "稳", "实", "细", "准", "牢",
];

/// 的 at `at` stands between a verb and its complement of degree, which ends the
/// clause (会议开的很成功。): 得. Not before a noun (存在的很大问题) nor a quantity
/// (我们的很多同志).
fn de_before_degree(chars: &[char], at: usize) -> bool {
    let ends_clause = |end: usize| chars.get(end).is_some_and(|&c| "，。！；、".contains(c));
    let complement = if let Some(result) = RESULTS.iter().find(|w| word_at(chars, at + 1, w)) {
        // A one-char verb with its result alone (干的好、, 原因查的清，).
        let one_char_verb = at > 0 && ONE_CHAR_VERBS.contains(chars[at - 1]);
        one_char_verb && ends_clause(at + 1 + result.chars().count())
    } else {
        // Not after a pronoun or a demonstrative, whose 的 makes a noun (我们的很好,
        // 这样的很好).
        let verb_before = at > 0
            && crate::text::is_han(chars[at - 1])
            && !"他她我你它们样种些".contains(chars[at - 1]);
        // 讲的都很好: 都 or 也 may stand before the word of degree.
        let from = at + 1 + usize::from(matches!(chars.get(at + 1), Some('都' | '也')));
        let outcome = DEGREE_WORDS
            .iter()
            .find(|w| word_at(chars, from, w))
            .map(|degree| from + degree.chars().count())
            .and_then(|from| {
                let outcome = OUTCOMES.iter().find(|w| word_at(chars, from, w))?;
                Some(from + outcome.chars().count())
            });
        verb_before && outcome.is_some_and(ends_clause)
    };
    // A comparison names what it compares with 的 (比预想的好, 比去年的更加便利).
    let clause = chars[..at]
        .iter()
        .rposition(|&c| "，。！；：".contains(c))
        .map_or(0, |p| p + 1);
    complement && !chars[clause..at].contains(&'比')
}

/// The word of `list` that ends right before char `at`.
fn word_before<'a>(chars: &[char], at: usize, list: &[&'a str]) -> Option<&'a str> {
    list.iter().copied().find(|w| word_ends_at(chars, at, w))
}

/// Whether a word of `list` starts at char `at`.
fn word_after(chars: &[char], at: usize, list: &[&str]) -> bool {
    list.iter().any(|w| word_at(chars, at, w))
}

/// The first chars of `VERB` and `VERB_WITH_RESULT`, and of `STATE_ADJECTIVES` and
/// `STATE_NOUNS` (a test keeps them so): most 的 and 地 are passed over on the char
/// after them.
const VERB_FIRSTS: &str =
    "报推落抓做干完履开反填执贯解处加提办管用守建谋靠担扛查化克研参关把予学剖组排整检领宣看认意感体觉察";
const STATE_FIRSTS: &str = "氛局态环权政事价利诉作形格风良浓强健清优崭全举措体知美影竞成基";

/// 的 at `at` stands between a word of manner and the verb it modifies.
fn de_before_verb(chars: &[char], at: usize) -> bool {
    let after = at + 1;
    let len = |w: &str| w.chars().count();
    if let Some(w) = PERCEIVING.iter().find(|w| word_at(chars, after, w)) {
        // After a word that describes (清醒的看到), not a pronoun (我们的看到) nor
        // before 位 (对问题的认识到位).
        let describes = at >= 2
            && chars[at - 2..at].iter().all(|&c| crate::text::is_han(c))
            && !"他她我你它们".contains(chars[at - 1]);
        return describes && chars.get(after + len(w)) != Some(&'位');
    }
    // The length of the manner word before 的.
    let manner = if let Some(w) = word_before(chars, at, ONLY_ADVERBS) {
        Some(len(w)).filter(|_| {
            [VERB, TRANSITIVE, VERB_WITH_RESULT]
                .iter()
                .any(|list| word_after(chars, after, list))
        })
    } else {
        word_before(chars, at, MANNER)
            .filter(|_| word_after(chars, after, VERB_WITH_RESULT))
            .map(len)
            .or_else(|| {
                word_before(chars, at, ADVERBIAL)
                    .map(len)
                    .or_else(|| doubled_manner(chars, at))
                    .filter(|_| predicate_after(chars, after))
            })
    };
    let Some(manner) = manner else {
        return false;
    };
    let before = at - manner;
    word_before(chars, before, NOMINALISERS).is_none()
}

/// The length (4) of a word of manner doubled char by char (原原本本, 扎扎实实, 认认真真)
/// that ends before char `at`: before a verb with its object it says how it is done.
fn doubled_manner(chars: &[char], at: usize) -> Option<usize> {
    let w = chars.get(at.checked_sub(4)?..at)?;
    let doubled = w[0] == w[1] && w[2] == w[3] && w[0] != w[2];
    (doubled && w.iter().all(|&c| crate::text::is_han(c))).then_some(w.len())
}

/// A predicate begins at char `at`: 把 or 加以, or a verb of `VERB_WITH_OBJECT` with
/// an object after it that makes no noun with it.
fn predicate_after(chars: &[char], at: usize) -> bool {
    if chars.get(at) == Some(&'把') {
        return chars
            .get(at + 1)
            .is_some_and(|&c| crate::text::is_han(c) && !BA_WORDS.contains(c));
    }
    if word_after(chars, at, PREDICATE_ONLY) {
        return true;
    }
    let mut verbs = TRANSITIVE.iter().chain(VERB_WITH_OBJECT);
    let Some(verb) = verbs.find(|w| word_at(chars, at, w)) else {
        return false;
    };
    let object = at + verb.chars().count();
    chars
        .get(object)
        .is_some_and(|&c| crate::text::is_han(c) && !NO_OBJECT.contains(c))
        && !word_after(chars, object, NOUN_HEADS)
}

/// 地 at `at` stands between words that describe and a noun of state.
fn di_before_noun(chars: &[char], at: usize) -> bool {
    // Two Han chars before 地, the last not one that makes a noun of it.
    let describes = at >= 2
        && chars[at - 2..at].iter().all(|&c| crate::text::is_han(c))
        && !NOUN_DI.contains(chars[at - 1]);
    if !describes {
        return false;
    }
    let mut from = at + 1;
    if let Some(adjective) = STATE_ADJECTIVES
        .iter()
        .find(|a| word_after(chars, from, &[a]))
    {
        from += adjective.chars().count();
    }
    word_after(chars, from, STATE_NOUNS)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{apply_first_fixes, diags};

    #[test]
    fn first_chars_are_those_of_the_lists() {
        let firsts = |lists: &[&[&str]]| {
            let mut f: Vec<char> = lists
                .iter()
                .flat_map(|l| l.iter().filter_map(|w| w.chars().next()))
                .collect();
            f.sort_unstable();
            f.dedup();
            f
        };
        let sorted = |s: &str| {
            let mut f: Vec<char> = s.chars().collect();
            f.sort_unstable();
            f
        };
        assert_eq!(
            firsts(&[
                super::VERB,
                super::TRANSITIVE,
                super::VERB_WITH_RESULT,
                super::VERB_WITH_OBJECT,
                super::PREDICATE_ONLY,
                super::PERCEIVING
            ]),
            sorted(super::VERB_FIRSTS)
        );
        assert_eq!(
            firsts(&[super::STATE_ADJECTIVES, super::STATE_NOUNS]),
            sorted(super::STATE_FIRSTS)
        );
    }

    #[test]
    fn de_before_a_verb_and_di_before_a_noun() {
        for (bad, fixed) in [
            ("请大家认真的抓好落实。", "请大家认真地抓好落实。"),
            ("较好的完成了全年目标任务。", "较好地完成了全年目标任务。"),
            ("更加自觉的做到“两个维护”。", "更加自觉地做到“两个维护”。"),
            ("要如实的报告个人有关事项。", "要如实地报告个人有关事项。"),
            (
                "因地制宜的推进农村人居环境整治。",
                "因地制宜地推进农村人居环境整治。",
            ),
            ("全力以赴的做好各项工作。", "全力以赴地做好各项工作。"),
            (
                "既要主动的靠前服务，又要依法监管。",
                "既要主动地靠前服务，又要依法监管。",
            ),
            ("引导干部树立正确地权力观。", "引导干部树立正确的权力观。"),
            ("营造宽容失败地良好氛围。", "营造宽容失败的良好氛围。"),
            ("我们要清醒的看到差距。", "我们要清醒地看到差距。"),
            ("深刻的认识到肩负的责任。", "深刻地认识到肩负的责任。"),
            ("出台了一批有力地举措。", "出台了一批有力的举措。"),
            ("锻炼健康地体魄。", "锻炼健康的体魄。"),
            ("提升品牌地知名度和竞争力。", "提升品牌的知名度和竞争力。"),
            (
                "我认真的查摆问题、剖析根源。",
                "我认真地查摆问题、剖析根源。",
            ),
            (
                "切实的把问题隐患当成事故来对待。",
                "切实地把问题隐患当成事故来对待。",
            ),
            (
                "对群众反映的问题切实的加以解决。",
                "对群众反映的问题切实地加以解决。",
            ),
            ("要经常的提醒家属子女。", "要经常地提醒家属子女。"),
            (
                "稳妥的化解地方政府债务风险。",
                "稳妥地化解地方政府债务风险。",
            ),
            ("这次会议开的很成功。", "这次会议开得很成功。"),
            ("要认真的学习党章党规。", "要认真地学习党章党规。"),
            (
                "要原原本本的学习总书记重要讲话。",
                "要原原本本地学习总书记重要讲话。",
            ),
            ("深入的剖析问题产生的根源。", "深入地剖析问题产生的根源。"),
            ("有序的组织农民工外出务工。", "有序地组织农民工外出务工。"),
            ("让人才留得住、干的好。", "让人才留得住、干得好。"),
            (
                "做到事实查的清，责任分得明。",
                "做到事实查得清，责任分得明。",
            ),
            ("这番话讲的很实在。", "这番话讲得很实在。"),
            ("大家讲的都很好，", "大家讲得都很好，"),
            ("把工作做的更扎实、更有效。", "把工作做得更扎实、更有效。"),
            ("让老年人生活的更加便利。", "让老年人生活得更加便利。"),
            ("各项工作落实的非常到位，", "各项工作落实得非常到位，"),
            (
                "反映群众合理合法地利益诉求。",
                "反映群众合理合法的利益诉求。",
            ),
        ] {
            let d = diags("particle-de", bad);
            assert_eq!(d.len(), 1, "{bad}: {d:?}");
            assert_eq!(apply_first_fixes(bad, &d), fixed);
        }
        for good in [
            "各项政策得到有效的落实。",
            "要进行认真的学习和深入的研究。",
            "实施更加积极的财政政策和适度宽松的货币政策。",
            "工作的推进离不开大家的支持。",
            "认真的态度是做好工作的前提。",
            "推动各地形成良好氛围。",
            "加强阵地建设，营造清朗的网络环境。",
            "项目落地良好局面已经形成。",
            "我们说的做到了，定的办成了。",
            "取得了较好的完成度。",
            "认真地抓好落实，营造风清气正的良好氛围。",
            "提升旅游目的地形象，建设革命根据地环境。",
            "对形势要有充分的把握，进行严格的把关。",
            "认真的学习态度和切实的解决办法。",
            "这是经常的事，要有主动的推进机制。",
            "问题得到认真的处理和切实的解决。",
            "进行认真的查摆。",
            "对整改进行认真的研判，作出切实的落实部署。",
            "做党的路线方针政策的自觉的执行者，增强切实的执行力。",
            "发生了新老更替的很大变化。我们的很多同志。",
            "受到自然条件的很大限制，他的很好，我们的也很好，这样的很好。",
            "实实在在的成效，扎扎实实的作风，深入的研究，有序的组织体系。",
            "认真的学习态度，深入的学习思考和交流。",
            "这是我们要做的好事，看的准确性，说的清楚明白的道理，吃的好坏。",
            "形成更加完善的制度，更好的条件，特别的关爱，比较的优势。",
            "整个经济形势比预想的好。比去年做的更扎实。",
        ] {
            assert!(diags("particle-de", good).is_empty(), "{good}");
        }
    }
}
