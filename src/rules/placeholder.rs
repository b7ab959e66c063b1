//! Unfilled template text: xx年, ×××, **, □, “2016年6月 日”, 【待补】, （待定）, ____ (warning);
//! 某某 (hint: it is also a legitimate way to anonymise); and 文号 years in 【】 or []
//! instead of 〔〕.

use super::{Diagnostic, Fix, LineCtx, Rule, RuleDoc};
use crate::config::RuleLevel;
use crate::text::{ColCounter, Span};
use regex::Regex;
use std::sync::OnceLock;

/// Compiles the rules' patterns now (see `document::warm_up`).
pub(super) fn compile_patterns() {
    placeholder_re();
    docnum_re();
}

fn placeholder_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // Digits are ASCII or full-width: `\d` takes every script's digits, which
        // Chinese drafts do not use, and doubled the patterns' compile time.
        Regex::new(concat!(
            // A letter or × standing for digits before a unit: 20xx年, 202x年, x月, ×个月.
            r"(?P<unit>[0-9０-９]{0,3}[xXｘＸ×*＊]{1,3}[0-9０-９]{0,2})(?:[年月日号个季周天期届批次项件条名人户家元万亿倍%％省市县区乡镇村]|个百分点)",
            // Letters for a decimal: 增长x.x%.
            r"|(?P<x>[xXｘＸ]{2,}|[xXｘＸ][.．][xXｘＸ]+)",
            // A letter or × for an ordinal before a noun: 第×巡察组, 第X督导组.
            r"|第(?P<ordinal>[xXｘＸ×]{1,2})[\x{4E00}-\x{9FFF}]",
            // Circles for digits or a name (○○乡); not 〇 inside a numeral (二○○八年).
            r"|(?P<circles>○{2,})",
            // One circle for the month or the day of a date (○月○日).
            r"|(?P<circle>○)[月日时号]",
            r"|(?P<times>[×✕╳]{2,})",
            r"|(?P<stars>\*{2,}|＊{2,})",
            r"|(?P<box>□+)",
            r"|(?P<date>(?:[0-9０-９]{4}|[　 ]+)年[　 ]*[0-9０-９]{0,2}[　 ]*月[　 ]+日|[0-9０-９]{4}年[　 ]+月|[　 ]+年[　 ]*月[　 ]*日)",
            r"|(?P<bracket>【[^】]{0,12}(?:待补|待定|待填|待完善|补充|填写|此处|插入|内容|目的|名称|姓名|XX|xx|××)[^】]{0,12}】)",
            // A note left in parentheses: （待定）, （待核实）, （此处补充数据）; not an
            // editor's note in a published text (（此处有删节）).
            r"|(?P<todo>[（(](?:待定|待补|待填|待核实|待确认|待完善|待更新|此处(?:补|填|插|加|添|写|需|请|待))[^）)]{0,12}[）)])",
            r"|(?P<under>_{3,}|＿{2,})",
            r"|(?P<paren>[（(][　 ]+[）)]|【[　 ]*】|[\[［][　 ]+[\]］])"
        ))
        .unwrap()
    })
}

fn docnum_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"[【\[［]((?:19|20)[0-9０-９]{2})[】\]］]([0-9０-９]{1,4}号)").unwrap()
    })
}

/// False when `placeholder_re` cannot match: each of its forms needs one of these
/// characters (a date form needs a space before or after 年, or after 月; an empty
/// bracket a space right after its opening). Most paragraphs have none, and this one
/// pass over the chars is cheaper than the regex.
///
/// `others`: the positions of the chars that are not Han (`LineCtx::others`). Every
/// char named here but 年 and 月 is among them, and so is every space, so a 年 or 月
/// next to a space is found from the space.
fn may_hold_placeholder(chars: &[char], others: &[u32]) -> bool {
    others.iter().any(|&i| {
        let i = i as usize;
        match chars[i] {
            'x' | 'X' | 'ｘ' | 'Ｘ' | '×' | '✕' | '╳' | '*' | '＊' | '□' | '○' | '【' | '_'
            | '＿' => true,
            ' ' | '　' => {
                i > 0 && matches!(chars[i - 1], '年' | '月' | '（' | '(' | '[' | '［')
                    || chars.get(i + 1) == Some(&'年')
            }
            '（' | '(' => matches!(chars.get(i + 1), Some('待' | '此')),
            _ => false,
        }
    })
}

/// `**` pairs around text are Markdown emphasis, not placeholders.
fn is_emphasis(text: &str, start: usize, end: usize) -> bool {
    let run = &text[start..end];
    let before = &text[..start];
    let after = &text[end..];
    let closes = before.matches(run).count() % 2 == 1 && !before.ends_with(' ');
    let opens = after.contains(run) && !after.starts_with([' ', '*']);
    closes || opens
}

fn alnum_ascii_neighbour(text: &str, start: usize, end: usize) -> bool {
    let prev = text[..start].chars().next_back();
    let next = text[end..].chars().next();
    prev.is_some_and(|c| c.is_ascii_alphanumeric()) || next.is_some_and(|c| c.is_ascii_alphabetic())
}

/// A Chinese numeral or zero right before or after bytes `start..end`.
fn numeral_neighbour(text: &str, start: usize, end: usize) -> bool {
    let numeral = |c: char| "〇○零一二三四五六七八九十".contains(c);
    text[..start].chars().next_back().is_some_and(numeral)
        || text[end..].chars().next().is_some_and(numeral)
}

pub struct Placeholder;

impl Rule for Placeholder {
    fn code(&self) -> &'static str {
        "placeholder"
    }
    fn default_level(&self) -> RuleLevel {
        RuleLevel::Warning
    }
    fn doc(&self) -> RuleDoc {
        RuleDoc {
            title: "占位符未填充 (unfilled placeholder)",
            description: "Template leftovers: xx/XX/ＸＸ, ×××, digits left as letters before a unit or for a decimal (20xx年, 202x年, ×月, ×个月, 第X季度, X人, X县, x.x%) or an ordinal (第×巡察组), ** or ***, □, ○○ or ○ for a month or a day (○月○日; not a zero inside a numeral: 二○○八年, 一九九○年), dates with an empty field (2016年6月 日,  年 月 日), bracketed notes such as 【待补】, 【单位名称】 or （待定）, runs of underscores, empty brackets (（ ）, 【】, [ ]). Markdown emphasis (**text**) and Latin words are not placeholders.",
            bad: "xx年10月以来，xx同志传达了会议精神。",
            good: "2014年10月以来，张三同志传达了会议精神。",
        }
    }
    fn check_line(&self, ctx: &LineCtx, out: &mut Vec<Diagnostic>) {
        if !may_hold_placeholder(ctx.chars, ctx.others()) {
            return;
        }
        let mut cols = ColCounter::new(ctx.text);
        for c in placeholder_re().captures_iter(ctx.text) {
            let m = c
                .name("unit")
                .or_else(|| c.name("circle"))
                .or_else(|| c.name("ordinal"))
                .unwrap_or_else(|| c.get(0).unwrap());
            let (s, e) = (m.start(), m.end());
            let kind = if c.name("unit").is_some() {
                let prev = ctx.text[..s].chars().next_back();
                let run = m.as_str();
                let product = run.starts_with(|c: char| c.is_ascii_digit())
                    && run.ends_with(|c: char| c.is_ascii_digit());
                if product || prev.is_some_and(|c| c.is_ascii_alphanumeric()) {
                    continue; // a product (3×4个) or a Latin word
                }
                // Before a place (xx县, X市) the letters stand for a name.
                let place = ctx.text[e..].starts_with(['省', '市', '县', '区', '乡', '镇', '村']);
                if place {
                    "字母占位"
                } else {
                    "数字占位"
                }
            } else if c.name("x").is_some() {
                if alnum_ascii_neighbour(ctx.text, s, e) {
                    continue;
                }
                "字母占位"
            } else if c.name("ordinal").is_some() {
                if ctx.text[e..].starts_with(['射', '光']) {
                    continue; // X射线, X光
                }
                "序号占位"
            } else if c.name("stars").is_some() {
                if is_emphasis(ctx.text, s, e) {
                    continue;
                }
                "星号占位"
            } else if c.name("times").is_some() {
                "叉号占位"
            } else if c.name("circles").is_some() || c.name("circle").is_some() {
                if numeral_neighbour(ctx.text, s, e) {
                    continue; // 二○○八年: a zero written ○
                }
                "圆圈占位"
            } else if c.name("box").is_some() {
                "方框"
            } else if c.name("date").is_some() {
                "日期未填全"
            } else if c.name("bracket").is_some() || c.name("todo").is_some() {
                "待补说明"
            } else if c.name("under").is_some() {
                if ctx.text.trim().chars().all(|ch| ch == '_' || ch == '＿') {
                    continue; // a Markdown rule, not a blank
                }
                "下划线空格"
            } else {
                // - [ ] is a Markdown task, not a blank: a blank stands in a sentence.
                let square = m.as_str().starts_with(['[', '［']);
                let after_han = ctx.text[..s]
                    .chars()
                    .next_back()
                    .is_some_and(crate::text::is_han);
                if square && !after_han {
                    continue;
                }
                "空括号"
            };
            let span = Span::on_line(0, cols.col(s), cols.col(e));
            out.push(Diagnostic::new(
                self.code(),
                self.default_level(),
                span,
                format!(
                    "占位符未填充：“{}”（{kind}）需要替换为实际内容。",
                    m.as_str().trim()
                ),
            ));
        }
    }
}

pub struct PlaceholderHint;

impl Rule for PlaceholderHint {
    fn code(&self) -> &'static str {
        "placeholder-moumou"
    }
    fn default_level(&self) -> RuleLevel {
        RuleLevel::Hint
    }
    fn doc(&self) -> RuleDoc {
        RuleDoc {
            title: "“某某”可能是未填写的占位 (某某 may be a placeholder)",
            description: "某某 is often a template leftover, but it is also a legitimate way to anonymise, so it is only a hint. Not after a surname (李某某, a person named in a case) nor in a sentence about a case (案件, 违纪, 受贿, 判处, 化名 …), where 某某 hides a name on purpose.",
            bad: "请某某同志作表态发言。",
            good: "请李四同志作表态发言。",
        }
    }
    fn check_line(&self, ctx: &LineCtx, out: &mut Vec<Diagnostic>) {
        if !ctx.text.contains("某某") {
            return; // a vectorised search; match_indices is not
        }
        let mut cols = ColCounter::new(ctx.text);
        for (s, m) in ctx.text.match_indices("某某") {
            if anonymised(ctx.text, s) {
                continue;
            }
            let span = Span::on_line(0, cols.col(s), cols.col(s + m.len()));
            out.push(Diagnostic::new(
                self.code(),
                self.default_level(),
                span,
                "“某某”可能是未填写的占位，请确认。",
            ));
        }
    }
}

/// Common surnames: 李某某 hides a person's name.
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤";

/// Words of a sentence about a case, where 某某 hides a name on purpose.
const CASE_WORDS: [&str; 12] = [
    "案件", "案例", "违纪", "违法", "受贿", "行贿", "判处", "处分", "查处", "涉嫌", "被告", "化名",
];

/// Whether the 某某 at byte `at` of `text` hides a name: after a surname, or in a
/// sentence about a case.
fn anonymised(text: &str, at: usize) -> bool {
    if text[..at]
        .chars()
        .next_back()
        .is_some_and(|c| SURNAMES.contains(c))
    {
        return true;
    }
    let ends = |c: char| matches!(c, '。' | '！' | '？' | '；');
    let start = text[..at].rfind(ends).map_or(0, |p| p + '。'.len_utf8());
    let end = text[at..].find(ends).map_or(text.len(), |p| at + p);
    CASE_WORDS.iter().any(|w| text[start..end].contains(w))
}

pub struct DocNumberBracket;

impl Rule for DocNumberBracket {
    fn code(&self) -> &'static str {
        "doc-number-bracket"
    }
    fn default_level(&self) -> RuleLevel {
        RuleLevel::Warning
    }
    fn doc(&self) -> RuleDoc {
        RuleDoc {
            title: "文号年份括号错误 (document-number year in the wrong brackets)",
            description: "The year of a document number (文号) is written in hexagonal brackets 〔〕 (GB/T 9704-2012): 国办发〔2017〕87号, not 【2017】 or [2017].",
            bad: "根据市委办发【2010】5号文件精神。",
            good: "根据市委办发〔2010〕5号文件精神。",
        }
    }
    fn check_line(&self, ctx: &LineCtx, out: &mut Vec<Diagnostic>) {
        if !ctx.facts.marks.has_any(&['【', '[', '［']) {
            return;
        }
        let mut cols = ColCounter::new(ctx.text);
        for c in docnum_re().captures_iter(ctx.text) {
            let m = c.get(0).unwrap();
            let year = &c[1];
            let bracketed_end = m.end() - c[2].len();
            let span = Span::on_line(0, cols.col(m.start()), cols.col(bracketed_end));
            let right = format!("〔{year}〕");
            out.push(
                Diagnostic::new(
                    self.code(),
                    self.default_level(),
                    span,
                    format!("文号中的年份应使用六角括号，写作“{right}”。"),
                )
                .with_fix(Fix::replace(span, right, true)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::diags;

    #[test]
    fn finds_each_placeholder_form() {
        for text in [
            "xx年10月",
            "XX同志",
            "ＸＸ市",
            "×××书记",
            "讲话人：**",
            "□知识拓展",
            "（2016年6月 日）",
            "日期：    年   月   日",
            "【待补】",
            "其他____________",
            "详案（   ）",
            "今年20xx年完成",
            "到202x年基本实现",
            "已用×个月",
            "同比增长x.x%",
            "在2026年第X季度完成",
            "新增就业X人",
            "请X县抓好落实",
            "○○乡要抓好落实",
            "党员【 】名",
            "共有【】个",
            "详案（ ）",
            "请【单位名称】报送材料",
            "全年目标为（待定）亿元",
            "完成投资（此处补充数据）亿元",
            "会议时间为2026年3月*日",
            "县委第×巡察组向局党组反馈",
            "省委第X督导组进驻",
        ] {
            assert_eq!(diags("placeholder", text).len(), 1, "{text}");
        }
    }

    #[test]
    fn ignores_words_emphasis_and_rules() {
        for text in [
            "Exxon 公司",
            "xxl 号",
            "这是**重点**内容",
            "___",
            "2016年6月1日",
            "出生年月日",
            "3×4个方阵",
            "Max年会",
            "二○○八年",
            "一九九○年十月",
            "二○一○年",
            "一九九○○年",
            "X射线",
            "第X射线源",
            "1+X证书",
            "PM2.5",
            "[1]",
            "- [ ] 整理讲话材料",
            "【典型案例】某县推进改革",
            "（此后）",
            "（此处有删节）",
            "待定事项（详见附件）",
            "*注：2026年数据*",
        ] {
            assert!(diags("placeholder", text).is_empty(), "{text}");
        }
        assert_eq!(diags("placeholder", "截至×年×月").len(), 2);
        assert_eq!(diags("placeholder", "会议定于○月○日召开").len(), 2);
        // 某某 that hides a name on purpose.
        for text in [
            "法院以受贿罪判处被告人李某某有期徒刑十年。",
            "某镇某村原党支部书记王某某虚报冒领补贴资金。",
            "在查处的案件中，某某公司实际控制人套取补贴资金。",
        ] {
            assert!(diags("placeholder-moumou", text).is_empty(), "{text}");
        }
        assert_eq!(
            diags("placeholder-moumou", "请某某同志作表态发言。").len(),
            1
        );
        assert!(diags("doc-number-bracket", "发〔2010〕5号").is_empty());
        assert_eq!(diags("doc-number-bracket", "发[2010]5号").len(), 1);
    }
}
