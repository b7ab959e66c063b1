//! Recall on injected defects: defects of every rule are injected one at a time into
//! clean drafts the project owns, and each must be found at the injected place. The
//! test prints recall per rule and requires at least 95% overall (and every rule to
//! find something).

use jianggao::analysis::markers::Family;
use jianggao::analysis::NodeKind;
use jianggao::document::Document;
use jianggao::knowledge::{Knowledge, Status, Verified};
use jianggao::rules;
use jianggao::text::Date;
use std::collections::BTreeMap;

/// A draft with one defect: what should be found, and on which line.
struct Case {
    text: String,
    code: &'static str,
    line: u32,
}

fn clean_drafts() -> Vec<String> {
    [
        "examples/讲话稿示例.txt",
        "tests/fixtures/central_style.txt",
    ]
    .iter()
    .map(|p| std::fs::read_to_string(format!("{}/{p}", env!("CARGO_MANIFEST_DIR"))).unwrap())
    .collect()
}

fn lines(text: &str) -> Vec<String> {
    text.split('\n').map(str::to_string).collect()
}

fn join(lines: &[String]) -> String {
    lines.join("\n")
}

/// Body paragraphs: indented prose that ends a sentence.
fn body(lines: &[String]) -> Vec<usize> {
    (0..lines.len())
        .filter(|&i| {
            let l = &lines[i];
            l.starts_with('　') && l.chars().count() > 20 && l.ends_with(['。', '！'])
        })
        .collect()
}

/// A sentence appended to body paragraph `i`.
fn append(base: &[String], i: usize, sentence: &str, code: &'static str) -> Case {
    let mut l = base.to_vec();
    l[i].push_str(sentence);
    Case {
        text: join(&l),
        code,
        line: i as u32,
    }
}

/// The text with the `nth` occurrence of `from` on line `i` replaced.
fn replace_nth(base: &[String], i: usize, from: &str, to: &str, nth: usize) -> Option<String> {
    let (at, _) = base[i].match_indices(from).nth(nth)?;
    let mut l = base.to_vec();
    l[i].replace_range(at..at + from.len(), to);
    Some(join(&l))
}

fn draft_date(text: &str) -> Date {
    let doc = Document::new(text, Knowledge::builtin());
    doc.analyze().date
}

/// A space inside a date in digits (2026年 4月), on any line with one: date lines most.
fn date_space_cases(base: &[String], out: &mut Vec<Case>) {
    for (i, line) in base.iter().enumerate() {
        let chars: Vec<char> = line.chars().collect();
        let Some(k) = (1..chars.len().saturating_sub(2)).find(|&k| {
            chars[k] == '年'
                && chars[k - 1].is_ascii_digit()
                && chars[k + 1].is_ascii_digit()
                && chars[k + 1..].iter().find(|c| !c.is_ascii_digit()) == Some(&'月')
        }) else {
            continue;
        };
        let mut l = base.to_vec();
        l[i] = chars[..=k]
            .iter()
            .chain(&[' '])
            .chain(&chars[k + 1..])
            .collect();
        out.push(Case {
            text: join(&l),
            code: "stray-space",
            line: i as u32,
        });
    }
}

fn proofreading_cases(base: &[String], out: &mut Vec<Case>) {
    for (k, &i) in body(base).iter().enumerate() {
        let mut texts: Vec<(Option<String>, &'static str)> = vec![
            (
                replace_nth(base, i, "，", ",", k % 2),
                "half-width-punctuation",
            ),
            (replace_nth(base, i, "，", "，，", 0), "doubled-punctuation"),
            (replace_nth(base, i, "。", "。。", 0), "doubled-punctuation"),
            (replace_nth(base, i, "”", "", 0), "unbalanced-pair"),
            (replace_nth(base, i, "（", "", 0), "unbalanced-pair"),
            (replace_nth(base, i, "党", "××", 0), "placeholder"),
            (replace_nth(base, i, "，", "......", 0), "irregular-mark"),
            (replace_nth(base, i, "，", "--", 1), "irregular-mark"),
            (replace_nth(base, i, "，", "（待定），", 0), "placeholder"),
            (
                replace_nth(base, i, "，", "，要认真的抓好落实，", 0),
                "particle-de",
            ),
            (
                replace_nth(base, i, "，", "，学习贯彻党的二十届四中精神，", 0),
                "wrong-form",
            ),
        ];
        // Three chars typed twice (进一步进一步).
        let chars: Vec<char> = base[i].chars().collect();
        if let Some(k) = (0..chars.len().saturating_sub(3)).find(|&k| {
            let w = &chars[k..k + 3];
            w.iter().all(|&c| jianggao::text::is_han(c))
                && w[0] != w[1]
                && w[1] != w[2]
                && w[0] != w[2]
        }) {
            let mut l = base.to_vec();
            l[i] = chars[..k + 3].iter().chain(&chars[k..]).collect();
            texts.push((Some(join(&l)), "doubled-word"));
        }
        // A space between two Chinese characters of a sentence.
        if base[i].ends_with('。') && base[i].chars().count() > 30 {
            let chars: Vec<char> = base[i].chars().collect();
            if let Some(k) = (10..chars.len() - 1).find(|&k| {
                jianggao::text::is_han(chars[k - 1])
                    && jianggao::text::is_han(chars[k])
                    && !chars[..k].contains(&'《')
                    && !chars[..k].contains(&'“')
            }) {
                for gap in [&[' '][..], &[' ', ' '], &['　']] {
                    let mut l = base.to_vec();
                    l[i] = chars[..k].iter().chain(gap).chain(&chars[k..]).collect();
                    texts.push((Some(join(&l)), "stray-space"));
                }
            }
        }
        // Straight quotes around a quoted phrase.
        if let (Some(s), Some(e)) = (base[i].find('“'), base[i].find('”')) {
            let inner = &base[i][s + 3..e.max(s + 3)];
            if s < e && inner.chars().any(jianggao::text::is_han) && !inner.contains('“') {
                let mut l = base.to_vec();
                l[i] = format!(
                    "{}\"{}\"{}",
                    &base[i][..s],
                    &base[i][s + 3..e],
                    &base[i][e + 3..]
                );
                texts.push((Some(join(&l)), "half-width-punctuation"));
                // And every third such paragraph with straight single quotes.
                if k % 3 == 0 {
                    l[i] = format!(
                        "{}'{}'{}",
                        &base[i][..s],
                        &base[i][s + 3..e],
                        &base[i][e + 3..]
                    );
                    texts.push((Some(join(&l)), "half-width-punctuation"));
                }
            }
        }
        // 的 doubled where it forms no word (not 目的的, 的的确确).
        if let Some((at, _)) = base[i].match_indices("的").find(|&(at, _)| {
            !base[i][..at].ends_with(['目', '有', '端', '标'])
                && !base[i][at + 3..].starts_with(['的', '确'])
        }) {
            let mut l = base.to_vec();
            l[i].insert(at, '的');
            texts.push((Some(join(&l)), "doubled-word"));
        }
        // A paragraph broken inside a sentence, after a 顿号.
        if let Some((at, _)) = base[i].match_indices('、').next() {
            let mut l = base.to_vec();
            let rest = l[i].split_off(at + '、'.len_utf8());
            l.insert(i + 1, format!("　　{rest}"));
            texts.push((Some(join(&l)), "broken-paragraph"));
        }
        for (text, code) in texts {
            if let Some(text) = text {
                out.push(Case {
                    text,
                    code,
                    line: i as u32,
                });
            }
        }
        out.push(append(
            base,
            i,
            "请xx同志于xx月底前报送材料。",
            "placeholder",
        ));
        out.push(append(base, i, "到20xx年全面完成改造任务。", "placeholder"));
        out.push(append(base, i, "会议定于○月○日召开。", "placeholder"));
        out.push(append(
            base,
            i,
            "会议定于2026年6月31日召开。",
            "impossible-date",
        ));
        out.push(append(
            base,
            i,
            "报名截止时间为2026年3月2日（星期五）。",
            "impossible-date",
        ));
        out.push(append(
            base,
            i,
            "总书记强调：“要坚决做到“两个维护”。”",
            "unbalanced-pair",
        ));
        out.push(append(
            base,
            i,
            "全年地区生产总值增长百分之5.2。",
            "numeral-mix",
        ));
        out.push(append(
            base,
            i,
            "本方案自二0二六年一月一日起施行。",
            "numeral-mix",
        ));
        out.push(append(
            base,
            i,
            "在第１７届全国运动会上获得2枚金牌。",
            "full-width-alnum",
        ));
        out.push(append(
            base,
            i,
            "请某某同志作表态发言。",
            "placeholder-moumou",
        ));
        out.push(append(
            base,
            i,
            "根据县委办发【2024】5号文件精神抓好落实。",
            "doc-number-bracket",
        ));
        out.push(append(
            base,
            i,
            "坚持“一国两制”、“港人治港”的方针。",
            "quoted-list-comma",
        ));
    }
}

fn wrong_form_cases(base: &[String], out: &mut Vec<Case>) {
    let kb = Knowledge::builtin();
    let date = draft_date(&join(base));
    let paragraphs = body(base);
    for (k, w) in kb.wrong_forms.iter().enumerate().step_by(7) {
        if w.since.is_some_and(|s| s > date) {
            continue;
        }
        let i = paragraphs[k % paragraphs.len()];
        out.push(append(
            base,
            i,
            &format!("要认真抓好{}的落实。", w.wrong),
            "wrong-form",
        ));
    }
}

/// A common simplified char (GB 2312) with the syllable of `c` (and its tone, or
/// another), other than `c` and than the chars that stand for it in many words (作 and
/// 做).
fn homophone_of(c: char, same_tone: bool) -> Option<char> {
    use pinyin::ToPinyin;
    let read = |p: pinyin::Pinyin| if same_tone { p.with_tone() } else { p.plain() };
    let sound = read(c.to_pinyin()?);
    let tone = c.to_pinyin()?.with_tone();
    let common = |h: char| {
        let mut buf = [0u8; 4];
        let (bytes, _, bad) = encoding_rs::GBK.encode(h.encode_utf8(&mut buf));
        !bad && bytes.len() == 2 && (0xB0..=0xF7).contains(&bytes[0]) && bytes[1] >= 0xA1
    };
    let variants = ["作做", "象像", "帐账", "唯惟", "订定", "糜靡"];
    (0x4E00..=0x9FFFu32)
        .filter_map(char::from_u32)
        .filter(|&h| h != c && common(h))
        .filter(|&h| !variants.iter().any(|v| v.contains(c) && v.contains(h)))
        // Of another tone, a function word inside a term is taken for a word of the
        // sentence (以共产党为领导), by design.
        .filter(|&h| {
            same_tone
                || !"的地得了着过之乎者也在是为以于与和及或而并把被对向从由将让给比就都又还再才"
                    .contains(h)
        })
        .filter(|h| same_tone || h.to_pinyin().is_some_and(|p| p.with_tone() != tone))
        .find(|h| h.to_pinyin().is_some_and(|p| read(p) == sound))
}

/// A formula's name typed with a homophone inside it (两个确力, 政知意识): every fifth
/// name of four Han chars or more, its second char replaced by one of the same tone or,
/// every other time, of another.
fn homophone_cases(base: &[String], out: &mut Vec<Case>) {
    let kb = Knowledge::builtin();
    let paragraphs = body(base);
    let names = kb
        .formulas
        .iter()
        .map(|f| f.term.as_str())
        .filter(|t| t.chars().count() >= 4 && t.chars().all(jianggao::text::is_han));
    for (k, name) in names.enumerate().step_by(5) {
        let chars: Vec<char> = name.chars().collect();
        let Some(h) = homophone_of(chars[1], k % 2 == 0) else {
            continue;
        };
        let typed: String = chars[..1].iter().chain([&h]).chain(&chars[2..]).collect();
        let i = paragraphs[k % paragraphs.len()];
        let sentence = format!("要深刻把握{typed}的要求。");
        out.push(append(base, i, &sentence, "homophone-slip"));
    }
}

/// A formula's name of six Han chars or more typed with a char left out or doubled
/// (人类命共同体, 中国式现代代化): every fifth such name, its fourth char left out, and
/// every fifth from the next, its third char typed twice; not a numeral (that is
/// another number) and, left out, not a function word (a style).
fn typo_cases(base: &[String], out: &mut Vec<Case>) {
    const NUMERALS: &str = "〇零一二三四五六七八九十百千万两";
    const FUNCTION: &str =
        "的地得了着过之乎者也在是为以于与和及或而并把被对向从由将让给比就都又还再才";
    let kb = Knowledge::builtin();
    let paragraphs = body(base);
    let names: Vec<Vec<char>> = kb
        .formulas
        .iter()
        .map(|f| f.term.chars().collect::<Vec<char>>())
        .filter(|t| t.len() >= 6 && t.iter().all(|&c| jianggao::text::is_han(c)))
        .collect();
    for (k, name) in names.iter().enumerate() {
        let typed: String = match k % 5 {
            0 if !(NUMERALS.contains(name[2])
                || NUMERALS.contains(name[3])
                || FUNCTION.contains(name[3])) =>
            {
                name[..3].iter().chain(&name[4..]).collect()
            }
            1 if !NUMERALS.contains(name[2]) => name[..3].iter().chain(&name[2..]).collect(),
            _ => continue,
        };
        let i = paragraphs[k % paragraphs.len()];
        let sentence = format!("要深刻把握{typed}的要求。");
        out.push(append(base, i, &sentence, "homophone-slip"));
    }
}

/// A claim about the draft's year copied from another year's draft: an anniversary
/// counted two or more years off, or another plan's first year. Two years or more, so
/// an undated draft (judged at today's date, give or take a year) has one too.
fn year_cases(base: &[String], out: &mut Vec<Case>) {
    let year = draft_date(&join(base)).year as i32;
    let events = jianggao::knowledge::events::events();
    let stale_plan = events
        .plan
        .iter()
        .filter(|p| p.verified && p.number > 10)
        .find(|p| (p.first_year - year).abs() >= 2)
        .map(|p| p.name.clone())
        .unwrap();
    for (k, &i) in body(base).iter().enumerate() {
        let off = [2, -2, 3, -5][k % 4];
        let sentence = match k % 4 {
            0 => format!("今年是中国共产党成立{}周年。", year - 1921 + off),
            1 => format!(
                "今年是新中国成立{}周年。",
                jianggao::text::numerals::han_numeral((year - 1949 + off) as u32)
            ),
            2 => format!("明年是改革开放{}周年。", year + 1 - 1978 + off),
            _ => format!("今年是“{stale_plan}”开局之年。"),
        };
        out.push(append(base, i, &sentence, "year-mismatch"));
    }
}

fn formula_cases(base: &[String], out: &mut Vec<Case>) {
    let kb = Knowledge::builtin();
    let date = draft_date(&join(base));
    let paragraphs = body(base);
    let usable = kb.formulas.iter().filter(|f| {
        f.verified == Verified::Items
            && f.status == Status::Current
            && !f.ambiguous
            && f.items.len() >= 3
            && f.since.is_none_or(|s| s <= date)
            && f.former.first().is_none_or(|x| x.until <= date)
            && !f.term.contains(['“', '”'])
    });
    // Every third formula, taking turns between (a), (b) and (d) (`n`, the turn).
    for (n, (k, f)) in usable.clone().enumerate().step_by(3).enumerate() {
        let i = paragraphs[k % paragraphs.len()];
        let mut items = f.items.clone();
        if !f.term.contains('、') && n % 3 == 0 {
            // (a) the formula named, an item left out.
            items.remove(1);
            let sentence = format!("坚持“{}”，即{}。", f.term, items.join("、"));
            out.push(append(base, i, &sentence, "formula-list"));
        } else if f.ordered && !f.term.contains('、') && n % 3 == 1 {
            // (b) every item, two of them swapped (a list whose only name is its
            // items keeps no order: see `formula_list::ground`).
            items.swap(0, 1);
            out.push(append(
                base,
                i,
                &format!("要坚持{}。", items.join("、")),
                "formula-list",
            ));
            // (h) The same, one item a clause (坚持A，坚持B，坚持C): items of three
            // chars or more that hold no mark.
            let clause_items = items
                .iter()
                .all(|x| x.chars().count() >= 3 && x.chars().all(|c| !"、，；：“”".contains(c)));
            if clause_items {
                out.push(append(
                    base,
                    i,
                    &format!("要坚持{}。", items.join("，")),
                    "formula-list",
                ));
            }
            // The same with the verb said before each item (坚持A、坚持B、坚持C).
            if !items
                .iter()
                .any(|x| x.starts_with("坚持") || x.starts_with("必须"))
            {
                out.push(append(
                    base,
                    i,
                    &format!("要坚持{}。", items.join("、坚持")),
                    "formula-list",
                ));
            }
        } else if let Some(j) = items
            .iter()
            .position(|x| (4..=8).contains(&x.chars().count()))
        {
            // (d) one item one character off.
            let mut chars: Vec<char> = items[j].chars().collect();
            let last = chars.len() - 1;
            chars[last] = if chars[last] == '性' { '化' } else { '性' };
            items[j] = chars.into_iter().collect();
            out.push(append(
                base,
                i,
                &format!("要坚持{}。", items.join("、")),
                "formula-list",
            ));
        }
    }
    // (g) a list, without its name, whose middle item of two or three chars is typed
    // with a char of the same sound (获得感、幸服感、安全感; a longer item so typed is
    // `homophone-slip`'s), for the formulas (d) does not take.
    for (k, f) in usable.clone().enumerate().skip(2).step_by(3) {
        let i = paragraphs[k % paragraphs.len()];
        let mut items = f.items.clone();
        let j = items.len() / 2;
        let chars: Vec<char> = items[j].chars().collect();
        if chars.len() > 3 {
            continue;
        }
        let Some((at, typed)) = chars
            .iter()
            .enumerate()
            .rev()
            .find_map(|(at, &c)| homophone_of(c, true).map(|h| (at, h)))
        else {
            continue;
        };
        let mut slipped = chars.clone();
        slipped[at] = typed;
        items[j] = slipped.into_iter().collect();
        let sentence = format!("要坚持{}。", items.join("、"));
        out.push(append(base, i, &sentence, "formula-list"));
    }
    for (k, f) in kb
        .formulas
        .iter()
        .filter(|f| f.status == Status::Superseded && f.superseded_since.is_some_and(|s| s <= date))
        .enumerate()
    {
        let i = paragraphs[k % paragraphs.len()];
        out.push(append(
            base,
            i,
            &format!("坚持“{}”不动摇。", f.term),
            "superseded-formula",
        ));
    }
    let i = paragraphs[0];
    out.push(append(
        base,
        i,
        "牢固树立政治意识、核心意识、大局意识。",
        "formula-list",
    ));
    out.push(append(
        base,
        i,
        "坚定道路自信、理论自信、制度自信。",
        "superseded-formula",
    ));
    // A known formula counted 两个, written 二个 (quoted or not).
    for (k, f) in kb
        .formulas
        .iter()
        .filter(|f| f.term.starts_with("两个") && f.status == Status::Current)
        .filter(|f| f.verified != Verified::Unverified)
        .enumerate()
    {
        let i = paragraphs[k % paragraphs.len()];
        let written = f.term.replacen("两个", "二个", 1);
        let sentence = match k % 2 {
            0 => format!("要做到“{written}”。"),
            _ => format!("要做到{written}。"),
        };
        out.push(append(base, i, &sentence, "formula-count"));
    }
    // A known formula's name with another number, also unquoted among other names.
    for sentence in [
        "各级党组织要增强“三个意识”。",
        "协调推进“三个全面”战略布局。",
        "要增强三个意识、坚定四个自信、做到两个维护。",
        "统筹推进五位一体总体布局，协调推进三个全面战略布局。",
    ] {
        out.push(append(base, i, sentence, "formula-count"));
    }
    // A reordered list that shares a clause with another list (the other list, named by
    // its items alone, is wording whose order texts vary).
    out.push(append(
        base,
        i,
        "使人民获得感、安全感、幸福感更加充实、更有保障、更可持续。",
        "formula-list",
    ));
}

/// Numbering defects: each list of three or more points is renumbered wrongly at one
/// place.
fn numbering_cases(base: &[String], out: &mut Vec<Case>) {
    let text = join(base);
    let doc = Document::new(&text, Knowledge::builtin());
    let analysis = doc.analyze();
    let outline = &analysis.structure.outline;
    for list in outline.lists.iter().filter(|l| l.items.len() >= 3) {
        let node = |k: usize| &outline.nodes[list.items[k]];
        let family = list.family;
        if matches!(family, Family::Shouxian | Family::Fangmian) {
            continue;
        }
        let renumber = |changes: &[(usize, u32)]| {
            let mut edits: Vec<jianggao::text::Edit> = changes
                .iter()
                .map(|&(k, n)| jianggao::text::Edit {
                    span: node(k).number_span,
                    new_text: family.label(n),
                })
                .collect();
            jianggao::text::apply_edits(&text, &mut edits)
        };
        let line = |k: usize| node(k).marker.start.line;
        out.push(Case {
            text: renumber(&[(1, 3)]),
            code: "numbering-gap",
            line: line(1),
        });
        out.push(Case {
            text: renumber(&[(2, 2)]),
            code: "numbering-duplicate",
            line: line(2),
        });
        out.push(Case {
            text: renumber(&[(1, 3), (2, 2)]),
            code: "numbering-order",
            line: line(2),
        });
        if matches!(node(0).kind, NodeKind::Point { inline: false, .. }) {
            let punct = node(1).punct_span;
            let wrong = match family {
                Family::Arabic => Some("、"),
                Family::HanDun => Some("."),
                Family::HanParen | Family::ArabicParen => Some("）、"),
                Family::Di => Some("、"),
                _ => None,
            };
            if let Some(wrong) = wrong {
                let span = if matches!(family, Family::HanParen | Family::ArabicParen) {
                    jianggao::text::Span::new(
                        jianggao::text::Pos::new(punct.start.line, punct.start.col - 1),
                        punct.end,
                    )
                } else {
                    punct
                };
                let mut edits = vec![jianggao::text::Edit {
                    span,
                    new_text: wrong.to_string(),
                }];
                out.push(Case {
                    text: jianggao::text::apply_edits(&text, &mut edits),
                    code: "marker-punctuation",
                    line: line(1),
                });
            }
        }
    }
    let paragraphs = body(base);
    for &i in paragraphs.iter().take(4) {
        out.push(append(
            base,
            i,
            "首先，要统一思想。第二，要强化责任。",
            "numbering-mixed-series",
        ));
        out.push(append(
            base,
            i,
            "今年要抓好四件事：一是抓学习；二是抓宣传；三是抓阵地。",
            "announced-count",
        ));
        out.push(append(
            base,
            i,
            "我们要重点抓好四项工作：抓项目、抓招商、抓环境。",
            "announced-count",
        ));
        out.push(append(
            base,
            i,
            "各地要做到“三个到位”，即责任到位、措施到位。",
            "announced-count",
        ));
        out.push(append(
            base,
            i,
            "（一）强化政治监督。（二）深化作风建设。（四）严惩腐败问题。",
            "numbering-gap",
        ));
        out.push(append(
            base,
            i,
            "要着眼于“四个结合”，抓好落实。一是结合学习。二是结合工作。三是结合考核。",
            "learned-count",
        ));
    }
    // Points that open paragraphs, spelled 一要 and then 二是要.
    for &i in paragraphs.iter().take(4) {
        let mut l = base.to_vec();
        let run = [
            "　　一要统一思想。",
            "　　二是要强化责任。",
            "　　三要抓好落实。",
        ];
        l.splice(i + 1..i + 1, run.map(String::from));
        out.push(Case {
            text: join(&l),
            code: "numbering-mixed-series",
            line: i as u32 + 2,
        });
    }
    if let Some(i) = base.iter().position(|l| l.contains("讲三点意见")) {
        out.push(Case {
            text: replace_nth(base, i, "讲三点意见", "讲四点意见", 0).unwrap(),
            code: "announced-count",
            line: i as u32,
        });
    }
}

#[test]
fn injected_defects_are_found_where_they_were_injected() {
    let mut cases = Vec::new();
    for draft in clean_drafts() {
        let base = lines(&draft);
        proofreading_cases(&base, &mut cases);
        date_space_cases(&base, &mut cases);
        wrong_form_cases(&base, &mut cases);
        homophone_cases(&base, &mut cases);
        typo_cases(&base, &mut cases);
        year_cases(&base, &mut cases);
        formula_cases(&base, &mut cases);
        numbering_cases(&base, &mut cases);
    }
    let kb = Knowledge::builtin();
    let mut tally: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut missed = Vec::new();
    for case in &cases {
        let date = draft_date(&case.text);
        let found = rules::check_text(&case.text, &kb, date)
            .iter()
            .any(|d| d.code == case.code && d.span.start.line == case.line);
        let entry = tally.entry(case.code).or_default();
        entry.1 += 1;
        if found {
            entry.0 += 1;
        } else {
            let line = case.text.split('\n').nth(case.line as usize).unwrap_or("");
            missed.push(format!("{} on line {}: {line}", case.code, case.line + 1));
        }
    }
    let (found, total) = tally
        .values()
        .fold((0, 0), |(f, t), &(a, b)| (f + a, t + b));
    println!("injected defects found at the injected place:");
    for (code, (f, t)) in &tally {
        println!("  {code:28} {f:>4} / {t:<4}");
    }
    println!(
        "  {:28} {found:>4} / {total:<4} ({:.1}%)",
        "total",
        100.0 * found as f64 / total as f64
    );
    for m in missed.iter().take(40) {
        println!("  missed: {m}");
    }
    for rule in rules::ALL {
        let (f, t) = tally.get(rule.code()).copied().unwrap_or((0, 0));
        assert!(
            t > 0 && f > 0,
            "{}: no injected defect found ({f}/{t})",
            rule.code()
        );
    }
    assert!(
        found * 100 >= total * 95,
        "recall {found}/{total} is below 95%:\n{}",
        missed.join("\n")
    );
}
