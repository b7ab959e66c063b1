//! An abbreviation the draft defines with a run of points must announce as many items
//! as the run lists: 着眼于“四个结合”，……一是……四是.

use super::{Diagnostic, DocCtx, Rule, RuleDoc};
use crate::config::RuleLevel;
use crate::text::numerals::han_numeral;

pub struct LearnedCount;

impl Rule for LearnedCount {
    fn code(&self) -> &'static str {
        "learned-count"
    }
    fn reads_whole_document(&self) -> bool {
        true // the first definition of a term anywhere wins
    }
    fn default_level(&self) -> RuleLevel {
        RuleLevel::Warning
    }
    fn doc(&self) -> RuleDoc {
        RuleDoc {
            title: "缩略语项数与列举不符 (an abbreviation's count differs from its items)",
            description: "A quoted numeric abbreviation the draft introduces (着眼于“四个结合”) followed in the same paragraph by a run 一是…二是… must list as many items as its number says.",
            bad: "着眼于“四个结合”，抓好落实。一是结合学习。二是结合工作。三是结合考核。",
            good: "着眼于“三个结合”，抓好落实。一是结合学习。二是结合工作。三是结合考核。",
        }
    }
    fn check_document(&self, ctx: &DocCtx, out: &mut Vec<Diagnostic>) {
        for l in ctx.structure.learned.iter().filter(|l| !l.run.is_empty()) {
            let actual = l.run.len() as u32;
            if actual != l.count {
                out.push(Diagnostic::new(
                    self.code(),
                    self.default_level(),
                    l.span,
                    format!(
                        "“{}”应有{}项，随后列出的是{}项。",
                        l.term,
                        han_numeral(l.count),
                        han_numeral(actual)
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::diags;

    #[test]
    fn run_continues_across_a_broken_paragraph() {
        let text = "三要搭建载体。着眼于“四个结合”，抓落实。一是结合学习。二是结合工作。\n三是结合考核。四是结合评议。";
        assert!(diags("learned-count", text).is_empty());
        let short = "着眼于“四个结合”，抓落实。一是结合学习。二是结合工作。三是结合考核。";
        assert_eq!(diags("learned-count", short).len(), 1);
        // A finished paragraph's term does not count the next paragraph's run.
        let apart = "“三保障”问题基本解决了，但巩固好还不容易。\n新的挑战主要表现在：一是甲。二是乙。三是丙。四是丁。";
        assert!(diags("learned-count", apart).is_empty());
        // A later sentence's colon introduces the run.
        let later = "深入把握“六个坚持”重要原则，提出了主要目标。主要考虑：一是机遇叠加。二是大省责任。三是民生需要。四是赶超条件。";
        assert!(diags("learned-count", later).is_empty());
        // A heading's term and a run in the paragraph under it.
        let heading = "（四）用好“三师”联创工作机制\n加快推进建筑师负责制。首先，要统一思想。第二，要强化责任。";
        assert!(diags("learned-count", heading).is_empty());
        // A run two sentences or more after the term (a text set as one paragraph).
        let far = "兜牢基层“三保”底线。严肃财经纪律。会议确定，抓好以下重点任务。一是甲。二是乙。三是丙。四是丁。";
        assert!(diags("learned-count", far).is_empty());
        let next = "着眼于“三个结合”抓落实。一是结合学习。二是结合工作。";
        assert_eq!(diags("learned-count", next).len(), 1);
        let own = "深入把握“六个坚持”：一是甲。二是乙。三是丙。四是丁。";
        assert_eq!(diags("learned-count", own).len(), 1);
        // A clause with a count of its own opens the run.
        let other = "推进“两个先行”，必须深刻理解其内涵，突出把握五大工作导向：一是甲。二是乙。三是丙。四是丁。五是戊。";
        assert!(diags("learned-count", other).is_empty());
        // The term's sentence goes on long after it.
        let long = "以“四大建设”能级整体提升为牵引，以重大项目重大平台为支撑，构建“一湾引领、四极辐射、山海互济、全域美丽”空间格局。一要甲。二要乙。三要丙。四要丁。五要戊。六要己。";
        assert!(diags("learned-count", long).is_empty());
    }
}
