//! Doubled words: 的的, 了了, 是是, 在在, 进一步进一步 — typing slips, never legitimate
//! reduplications. Words that contain the pair (目的的, 的的确确, 有的的确, 不了了之, 是是非非,
//! 但是是否, 实事求是是, 比比皆是是, 实实在在, 现在在) are excepted.

use super::{Diagnostic, Edit, Fix, LineCtx, Rule, RuleDoc};
use crate::config::RuleLevel;
use crate::text::Span;

/// Characters that, before the pair, form a word with its first character. `two_before`
/// is the char before `before`.
fn word_before(c: char, before: Option<char>, two_before: Option<char>) -> bool {
    match c {
        // 人才才是第一资源, 刚才才说: words that end in 才.
        '才' => before.is_some_and(|b| {
            "人英天干将帅奇口文多鬼贤专成全通育选引用爱识聚留惜刚方适".contains(b)
        }),
        // 成就就是, 造就就要; 自我我们.
        '就' => before.is_some_and(|b| "成造迁将去屈俯".contains(b)),
        '我' => before.is_some_and(|b| "自忘无本大小真超".contains(b)),
        // Not 有: 有的 (some) takes no 的 after it, and 原有的的, 应有的的 are slips; only
        // 有的的确 (some indeed) is a word boundary, which `word_after` knows.
        '的' => matches!(before, Some('目' | '端' | '标')),
        // 得 before 了了 is a potential complement (受得了了, 办得了了) unless it ends a
        // verb of its own that takes the aspect 了 (取得了了, 获得了了 are slips).
        '了' => match before {
            Some('得') => !two_before.is_some_and(ends_verb_in_de),
            _ => matches!(
                before,
                Some('不' | '小' | '时' | '为' | '除' | '罢' | '受' | '明' | '未')
            ),
        },
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
        // 重要, 纲要, 摘要 … before 要要: the second 要 is the verb (纲要要求 is the
        // other way round, `word_after`).
        '要' => matches!(
            before,
            Some(
                '重' | '主'
                    | '纲'
                    | '需'
                    | '首'
                    | '紧'
                    | '摘'
                    | '纪'
                    | '提'
                    | '简'
                    | '概'
                    | '扼'
                    | '机'
                    | '险'
                    | '政'
                    | '必'
                    | '只'
            )
        ),
        '以' => matches!(
            before,
            Some(
                '可' | '所'
                    | '予'
                    | '加'
                    | '难'
                    | '借'
                    | '用'
                    | '得'
                    | '足'
                    | '赖'
                    | '据'
                    | '藉'
                    | '给'
                    | '是'
                    | '何'
                    | '无'
                    | '不'
                    | '聊'
            )
        ),
        '和' => matches!(
            before,
            Some(
                '温' | '平'
                    | '协'
                    | '缓'
                    | '饱'
                    | '调'
                    | '随'
                    | '祥'
                    | '柔'
                    | '谦'
                    | '暖'
                    | '讲'
                    | '总'
                    | '附'
                    | '应'
                    | '中'
                    | '共'
                    | '人'
                    | '政'
            )
        ),
        // A city or a capital (首都, 成都, 古都, 建都) before 都 (all): 首都都要…….
        '都' => matches!(
            before,
            Some(
                '首' | '成'
                    | '京'
                    | '古'
                    | '旧'
                    | '国'
                    | '建'
                    | '迁'
                    | '定'
                    | '陪'
                    | '帝'
                    | '故'
                    | '新'
                    | '东'
                    | '西'
                    | '南'
                    | '北'
                    | '中'
                    | '上'
                    | '商'
                    | '丰'
                    | '花'
                    | '魔'
                    | '江'
                    | '大'
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

/// Whether `c` and 得 make a verb (取得, 获得, 懂得), after which 了 is the aspect
/// particle and never the complement 了 (liǎo) of 受得了.
fn ends_verb_in_de(c: char) -> bool {
    "取获赢博夺求习换懂记觉显使值晓落".contains(c)
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
        '要' => matches!(
            after,
            Some(
                '求' | '素'
                    | '点'
                    | '害'
                    | '务'
                    | '领'
                    | '闻'
                    | '件'
                    | '义'
                    | '旨'
                    | '塞'
                    | '职'
                    | '员'
                    | '案'
                    | '略'
                    | '目'
                    | '端'
                    | '命'
                    | '紧'
                    | '道'
                    | '不'
                    | '么'
                    | '是'
            )
        ),
        '以' => matches!(
            after,
            Some(
                '此' | '及'
                    | '后'
                    | '前'
                    | '来'
                    | '上'
                    | '下'
                    | '外'
                    | '内'
                    | '便'
                    | '免'
                    | '为'
                    | '往'
                    | '致'
                    | '至'
                    | '期'
                    | '资'
                    | '东'
                    | '西'
                    | '南'
                    | '北'
            )
        ),
        '和' => matches!(
            after,
            Some(
                '平' | '谐'
                    | '睦'
                    | '解'
                    | '气'
                    | '美'
                    | '顺'
                    | '善'
                    | '约'
                    | '局'
                    | '声'
                    | '弦'
                    | '煦'
                    | '蔼'
                    | '缓'
                    | '风'
                    | '合'
                    | '衷'
                    | '好'
                    | '亲'
                    | '田'
                    | '服'
                    | '尚'
                    | '事'
                    | '为'
                    | '面'
                    | '盘'
                    | '乐'
                    | '谈'
                    | '议'
                    | '暖'
            )
        ),
        '都' => matches!(after, Some('市' | '会' | '城' | '督' | '江')),
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
            title: "字词重复 (a doubled word)",
            description: "的的, 了了, 是是, 在在, 要要, 以以, 和和, 都都, 很很 and 们们 are typing slips unless they belong to a word on either side (目的的, 的的确确, 不了了之, 受得了了, 是是非非, 但是是否, 实实在在, 现在在家, 重要要求, 纲要要明确, 可以以此, 和和平, 首都都市圈, 成都都是); such words are excepted. A word of three or four chars typed twice in a row (进一步进一步, 实事求是实事求是) is a slip too, and so is a two-char word that never reduplicates (我们我们, 必须必须, 坚持坚持, 接受接受). A sentence ending in 。 written twice in a row is reported too; exclamations may repeat for effect. Genuine reduplications (常常, 谢谢, 研究研究, 一步一步) are never flagged.",
            bad: "这是我们的的责任。",
            good: "这是我们的责任，我们要常常研究研究。",
        }
    }
    fn check_line(&self, ctx: &LineCtx, out: &mut Vec<Diagnostic>) {
        doubled_chars(self, ctx.chars, out);
        repeated_words(self, ctx.chars, out);
        repeated_sentences(self, ctx.chars, ctx.others(), out);
    }
}

/// Two-char words that never reduplicate (我们我们, 必须必须), unlike verbs of trying
/// (研究研究), adverbs (常常) and a numeral with its measure (一步一步) that do: pronouns,
/// conjunctions, prepositions, the adverbs and verbs of a speech's demands, and words
/// of scope. Each is one that cannot end a word and start the next one twice in a row
/// either (化文化文 in 深化文化文艺 is no slip; no text reads 必须 that way).
const NEVER_TWICE: &[&str] = &[
    "我们", "你们", "他们", "她们", "咱们", "大家", "各级", "已经", "进行", "通过", "对于", "关于",
    "以及", "并且", "而且", "但是", "因为", "所以", "同时", "不断", "切实", "必须", "务必", "应当",
    "应该", "能够", "如果", "虽然", "因此", "然而", "为了", "按照", "根据", "围绕", "坚持", "加强",
    "推进", "推动", "提高", "全面", "深入", "积极", "努力", "认真", "充分", "持续", "继续", "更加",
    "始终", "扎实", "着力", "大力", "坚决", "严格", "牢牢", "真正", "主动", "尤其", "特别", "这些",
    "那些", "目前", "当前", "今年", "去年", "全国", "全省", "全市", "全县", "全区", "各地", "各项",
    "各类", "广大", "只有", "只要", "不但", "无论", "尽管", "即使", "或者", "从而", "以便", "而是",
    "才能", "就是", "落实", "抓好", "一些", "行动", "上下",
    // Nouns and formal verbs of a speech, which reduplicate neither as nouns nor as verbs
    // of trying (研究研究, 审议审议 do).
    "工作", "发展", "建设", "改革", "创新", "经济", "社会", "人民", "群众", "干部", "企业", "项目",
    "政府", "国家", "我国", "问题", "任务", "要求", "目标", "重点", "报告", "全年", "构建", "实施",
    "完善", "强化", "深化", "优化", "提升", "促进", "统筹", "聚焦",
    // Formal verbs, adverbs and modals of a speech's demands. Not the intensifiers that
    // repeat for emphasis (非常非常, 一定一定), nor nouns that end one compound and start
    // the next (主导产业产业链, 大数据数据中心).
    "自觉", "仍需", "仍然", "依然", "成为", "增强", "确保", "实现", "保障", "形成", "建立", "健全",
    "开展", "引导", "保持", "巩固", "拓展", "激发", "维护", "贯彻", "坚定", "牢固", "树立", "取得",
    "发挥", "加快", "加大", "紧紧", "高度", "不仅", "还要", "需要", "不能", "不得", "严禁", "及时",
    "全力", "深刻", "准确", "依法", "稳步", "逐步", "有力", "正在",
    // Verbs of result or of a formal act, which no one does "a little" (接受接受), and
    // adverbs of manner. Not 作为 (把担当作为作为标准) nor the verbs of trying and
    // telling that do reduplicate (宣传宣传, 说明说明).
    "接受", "查处", "带来", "减轻", "有序", "学会", "防范", "化解", "提供", "解决", "面临", "具有",
    "制定", "召开", "举行", "部署", "强调", "指出", "认为", "希望", "相信", "迎来", "带动", "打造",
    "培育", "壮大", "筑牢", "守住", "严守", "坚守", "遵守", "有效", "高效", "得到", "完全", "没有",
    // Titles and the ends of names, which start no compound of their own.
    "书记", "进步",
];

/// Measure words that 一 takes in a phrase said twice for one at a time.
const MEASURES: &str = "个件项条步点天年月代级层笔户家村张次回遍批名位种类份环招桩块处所";

/// A word of two to four Han chars typed twice in a row (进一步进一步, 同志们同志们): from
/// three chars on, any word; two-char words only from `NEVER_TWICE`. A word that
/// repeats itself inside (一步一步一步一步, 哈哈哈) is a reduplication, not a slip.
fn repeated_words(rule: &DoubledWord, chars: &[char], out: &mut Vec<Diagnostic>) {
    let mut reported_to = 0;
    for (start, len) in pairs_repeated(chars) {
        let end = start + 2 * len;
        if start < reported_to
            || end > chars.len()
            || chars[start..start + len] != chars[start + len..end]
        {
            continue;
        }
        let word = &chars[start..start + len];
        let periodic = (1..len).any(|p| len % p == 0 && word[p..] == word[..len - p]);
        // 一 and a measure word, said twice for one at a time (一件事一件事抓, 一个问题
        // 一个问题地解决).
        let one_by_one = word[0] == '一' && MEASURES.contains(word[1]);
        let han = chars[start..end].iter().all(|&c| crate::text::is_han(c));
        let text: String = word.iter().collect();
        if periodic || one_by_one || !han || len == 2 && !NEVER_TWICE.contains(&text.as_str()) {
            continue;
        }
        reported_to = end;
        out.push(rule.slip(
            (start, end),
            start + len,
            format!("“{text}{text}”重复，疑为多打了一遍“{text}”。"),
            format!("删除重复的“{text}”"),
        ));
    }
}

/// The shortest sentence whose repeat is reported: shorter ones (好！好！, 同志们！同志们！)
/// are repeated for effect.
const MIN_REPEATED_SENTENCE: usize = 8;

/// A sentence ending in 。 written twice in a row (刚才几位同志的发言很好。刚才几位同志的
/// 发言很好。): a paste or an undo gone wrong. Exclamations may repeat for effect.
/// The marks that end sentences are among the chars that are not Han (`others`), so
/// only those are looked at.
fn repeated_sentences(
    rule: &DoubledWord,
    chars: &[char],
    others: &[u32],
    out: &mut Vec<Diagnostic>,
) {
    let mut start = 0;
    for end in others.iter().map(|&i| i as usize) {
        if !matches!(chars[end], '。' | '！' | '？') {
            continue;
        }
        // The indent of a paragraph is not its first sentence's.
        while start < end && chars[start].is_whitespace() {
            start += 1;
        }
        let (len, next) = (end + 1 - start, end + 1);
        if chars[end] == '。'
            && len >= MIN_REPEATED_SENTENCE
            && chars.get(next..next + len) == Some(&chars[start..next])
        {
            let text: String = chars[start..next].iter().collect();
            out.push(rule.slip(
                (start, next + len),
                next,
                format!("“{text}”连写了两遍。"),
                "删除重复的句子".to_string(),
            ));
        }
        start = next;
    }
}

/// Where a repeated word of two to four chars may start: the places `i` (with the
/// distance `len`) where two chars in a row equal the two `len` chars on, in order.
/// Such places are rare, so blocks of 16 places are compared at all three distances
/// without a branch, and only a block that holds one is looked at place by place.
fn pairs_repeated(chars: &[char]) -> Vec<(usize, usize)> {
    const BLOCK: usize = 16;
    let n = chars.len();
    let mut out = Vec::new();
    let at = |i: usize, out: &mut Vec<(usize, usize)>| {
        for len in 2..=4 {
            if i + len + 1 < n && chars[i] == chars[i + len] && chars[i + 1] == chars[i + len + 1] {
                out.push((i, len));
            }
        }
    };
    // Places i with i + 5 < n, so that all three distances can be compared.
    let m = n.saturating_sub(5);
    let blocks = m / BLOCK;
    for k in 0..blocks {
        let from = k * BLOCK;
        // A block and the five chars after it (from + BLOCK + 5 <= m + 5 = n).
        let Ok(c) = <&[char; BLOCK + 5]>::try_from(&chars[from..from + BLOCK + 5]) else {
            continue;
        };
        // As bytes, or'ed together, so that the block is compared with vector instructions.
        let mut hits = 0u8;
        for i in 0..BLOCK {
            let (a, b) = (c[i], c[i + 1]);
            hits |= u8::from(a == c[i + 2]) & u8::from(b == c[i + 3])
                | u8::from(a == c[i + 3]) & u8::from(b == c[i + 4])
                | u8::from(a == c[i + 4]) & u8::from(b == c[i + 5]);
        }
        if hits != 0 {
            (from..from + BLOCK).for_each(|i| at(i, &mut out));
        }
    }
    (blocks * BLOCK..n).for_each(|i| at(i, &mut out));
    out
}

/// A doubled function word (的的).
fn doubled_chars(rule: &DoubledWord, chars: &[char], out: &mut Vec<Diagnostic>) {
    // Equal neighbours first: almost every char has none.
    for i in crate::text::equal_neighbours(chars) {
        let c = chars[i];
        // 们 is a suffix that never doubles (我们们), nor does the adverb 很; the others
        // form words.
        if !matches!(
            c,
            '的' | '了'
                | '是'
                | '在'
                | '们'
                | '要'
                | '以'
                | '和'
                | '很'
                | '都'
                | '才'
                | '就'
                | '我'
        ) {
            continue;
        }
        let before = i.checked_sub(1).map(|j| chars[j]);
        let two_before = i.checked_sub(2).map(|j| chars[j]);
        let after = chars.get(i + 2).copied();
        if before == Some(c)
            || after == Some(c)
            || word_before(c, before, two_before)
            || word_after(c, after)
        {
            continue;
        }
        out.push(rule.slip(
            (i, i + 2),
            i + 1,
            format!("“{c}{c}”重复，疑为多打了一个“{c}”。"),
            format!("删除多余的“{c}”"),
        ));
    }
}

impl DoubledWord {
    /// A finding on chars `start..end` of the line whose fix (not certain) deletes
    /// the copy, from `copy` to the end.
    fn slip(
        &self,
        (start, end): (usize, usize),
        copy: usize,
        message: String,
        title: String,
    ) -> Diagnostic {
        let span = |from: usize| Span::on_line(0, from as u32, end as u32);
        Diagnostic::new(self.code(), self.default_level(), span(start), message).with_fix(Fix {
            title,
            edits: vec![Edit {
                span: span(copy),
                new_text: String::new(),
            }],
            certain: false,
        })
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
            "取得了了显著成效",
            "获得了了群众认可",
            "我们要要把安全放在首位",
            "坚持以以人民为中心的发展思想",
            "稳定和和发展",
            "这是是一个",
            "在在会上",
            "我们们要抓好落实",
            "台湾保持原有的的资本主义制度",
            "作出应有的的贡献",
            "大家都都很关心",
            "这个问题很很重要",
            "只有这样才才能取得实效",
            "这就就是我们的优势",
            "我我代表县委讲几点意见",
        ] {
            assert_eq!(diags("doubled-word", bad).len(), 1, "{bad}");
        }
        for good in [
            "目的的实现",
            "的的确确",
            "有的的确很好",
            "不了了之",
            "这样的苦谁受得了了",
            "这是党中央的重要要求",
            "达到纲要要求的水平",
            "纲要要明确目标",
            "我们要要求各级干部",
            "可以以此为鉴",
            "和平发展和和平共处",
            "和和美美一家人",
            "要以以往的经验为鉴",
            "这件事办得了了",
            "是是非非",
            "但是是否",
            "解放思想同实事求是是统一的",
            "问题比比皆是是事实",
            "实实在在",
            "现在在家",
            "常常谢谢看看",
            "建设现代化首都都市圈",
            "成都都是这样做的",
            "首都都要带头",
            "人才才是第一资源",
            "刚才才说过",
            "这些成就就是最好的证明",
            "超越自我我们才能进步",
        ] {
            assert!(diags("doubled-word", good).is_empty(), "{good}");
        }
    }

    /// `pairs_repeated` finds what a place-by-place search finds, in blocks and after.
    #[test]
    fn repeated_pairs_are_those_found_place_by_place() {
        let base: Vec<char> = "要进一步进一步加强我们我们的的工作实事求是实事求是。"
            .chars()
            .collect();
        for len in 0..base.len() * 3 {
            let chars: Vec<char> = base.iter().cycle().take(len).copied().collect();
            let expected: Vec<(usize, usize)> = (0..len)
                .flat_map(|i| (2..=4).map(move |d| (i, d)))
                .filter(|&(i, d)| {
                    i + d + 1 < len && chars[i] == chars[i + d] && chars[i + 1] == chars[i + d + 1]
                })
                .collect();
            assert_eq!(super::pairs_repeated(&chars), expected, "{len}");
        }
    }

    #[test]
    fn a_word_typed_twice_is_found_reduplications_are_not() {
        for (bad, fixed) in [
            ("要进一步进一步加强党的建设", "要进一步加强党的建设"),
            ("同志们同志们，大家好", "同志们，大家好"),
            ("我们我们要抓好落实", "我们要抓好落实"),
            ("这是我们必须必须牢记的", "这是我们必须牢记的"),
            ("要坚持坚持稳中求进工作总基调", "要坚持稳中求进工作总基调"),
            ("坚持实事求是实事求是的思想路线", "坚持实事求是的思想路线"),
            ("全市经济发展发展势头良好", "全市经济发展势头良好"),
            ("要自觉自觉接受监督", "要自觉接受监督"),
            ("努力成为成为行家里手", "努力成为行家里手"),
            ("自觉接受接受监督", "自觉接受监督"),
            ("只有只有坚持改革才能发展", "只有坚持改革才能发展"),
            (
                "　　刚才，几位同志作了很好的发言。刚才，几位同志作了很好的发言。我都赞同。",
                "　　刚才，几位同志作了很好的发言。我都赞同。",
            ),
        ] {
            let d = diags("doubled-word", bad);
            assert_eq!(d.len(), 1, "{bad}: {d:?}");
            assert_eq!(crate::rules::testing::apply_first_fixes(bad, &d), fixed);
        }
        for good in [
            "好！好！",
            "奋斗！奋斗！再奋斗！",
            "同志们！同志们！我们要奋斗！我们要奋斗！",
            "我们要研究研究这个问题",
            "一步一步一步一步地走",
            "一件事一件事抓落实，一个问题一个问题地解决",
            "哈哈哈哈哈哈",
            "常常想想",
            "同志们，同志们",
            "ABCABC的写法",
            "深化文化文艺精品打造工程",
            "构建共建共治共享的社会治理格局",
            "并跑领跑领域明显增多",
            "加强经济监测预测预警",
            "还有很多很多不熟悉的事物",
            "这项工作非常非常重要，大家一定一定要重视",
            "延伸主导产业产业链，建设大数据数据中心",
            "把担当作为作为评价干部的重要标准",
            "给大家宣传宣传这项政策",
        ] {
            assert!(diags("doubled-word", good).is_empty(), "{good}");
        }
    }
}
