//! The rule set. Each rule is one unit (a struct implementing [`Rule`]) with its code,
//! default level, documentation (bad and good example), checks, fixes and tests in one
//! file. A rule looks either at one line ([`Rule::check_line`], results cached per
//! line) or at the whole analysed document ([`Rule::check_document`]). Adding a rule
//! means adding a file and one line in [`ALL`].

mod announced_count;
mod broken_paragraph;
mod doubled_punct;
mod doubled_word;
mod enumeration;
mod formula_count;
mod formula_list;
mod full_width_alnum;
pub(crate) mod half_width;
mod homophone;
mod impossible_date;
mod irregular_mark;
mod learned_count;
mod marker_punct;
mod numbering;
mod numeral_mix;
mod particle_de;
mod placeholder;
mod spread_list;
mod stray_space;
mod superseded;
mod unbalanced;
mod wrong_form;
mod year_mismatch;

use crate::analysis::line::LineFacts;
use crate::analysis::Structure;
use crate::config::{RuleLevel, Settings};
use crate::knowledge::Knowledge;
pub use crate::text::Edit;
use crate::text::{Date, Span};
use serde::Serialize;
use std::fmt::Write as _;
use std::sync::Arc;

/// A fix offered for a diagnostic. `certain` fixes are applied by fix-all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
    pub certain: bool,
}

impl Fix {
    pub fn replace(span: Span, new_text: impl Into<String>, certain: bool) -> Fix {
        let new_text = new_text.into();
        Fix {
            title: format!("改为“{new_text}”"),
            edits: vec![Edit { span, new_text }],
            certain,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: &'static str,
    pub level: RuleLevel,
    pub span: Span,
    pub message: String,
    pub fixes: Vec<Fix>,
    /// The dates of drafts the problem exists in: a formulation replaced at some date
    /// is right in an older speech. Line rules do not know the draft's date (their
    /// results are cached per line), so they say when their finding holds.
    #[serde(skip)]
    pub valid: Validity,
}

/// The drafts a finding applies to, by their date: `from` (inclusive) to `until`
/// (exclusive). A draft known only to its year or month is judged leniently: it must
/// lie inside the interval whatever its exact day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Validity {
    pub from: Option<Date>,
    pub until: Option<Date>,
}

impl Validity {
    pub fn applies(&self, draft: Date) -> bool {
        self.from.is_none_or(|from| draft >= from)
            && self.until.is_none_or(|until| draft.latest() < until)
    }
}

/// Where the clause that holds char `at` begins: after the last comma, colon, full
/// stop, semicolon, exclamation or question mark before it.
pub fn clause_start(chars: &[char], at: usize) -> usize {
    chars[..at]
        .iter()
        .rposition(|&c| matches!(c, '，' | '。' | '；' | '：' | '！' | '？'))
        .map_or(0, |i| i + 1)
}

/// A finding of `rule` on the chars `start..end` of a line that are typed in the wrong
/// form char by char (全角 digits, 零 for 〇): the fix writes each char as `rewrite`
/// gives it, and `message` is told the typed and the fixed text.
pub fn rewrite_chars(
    rule: &dyn Rule,
    chars: &[char],
    (start, end): (usize, usize),
    rewrite: impl Fn(char) -> char,
    message: impl FnOnce(&str, &str) -> String,
) -> Diagnostic {
    let typed: String = chars[start..end].iter().collect();
    let fixed: String = typed.chars().map(rewrite).collect();
    let span = Span::on_line(0, start as u32, end as u32);
    let message = message(&typed, &fixed);
    Diagnostic::new(rule.code(), rule.default_level(), span, message)
        .with_fix(Fix::replace(span, fixed, true))
}

impl Diagnostic {
    pub fn new(
        code: &'static str,
        level: RuleLevel,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            valid: Validity::default(),
            code,
            level,
            span,
            message: message.into(),
            fixes: Vec::new(),
        }
    }
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fixes.push(fix);
        self
    }
    /// The finding moved down by `lines` lines (up when negative).
    pub fn moved(mut self, lines: i64) -> Self {
        self.move_by(lines);
        self
    }
    /// Moves the finding down by `lines` lines (up when negative).
    pub fn move_by(&mut self, lines: i64) {
        if lines == 0 {
            return;
        }
        self.span = self.span.moved(lines);
        for fix in &mut self.fixes {
            for e in &mut fix.edits {
                e.span = e.span.moved(lines);
            }
        }
    }
    /// A line rule's finding (line 0) moved to its line.
    pub fn on_line(mut self, line: u32) -> Self {
        self.span = self.span.with_line(line);
        for fix in &mut self.fixes {
            for e in &mut fix.edits {
                e.span = e.span.with_line(line);
            }
        }
        self
    }
}

/// A rule's documentation, rendered into `docs/rules.md`.
pub struct RuleDoc {
    pub title: &'static str,
    pub description: &'static str,
    pub bad: &'static str,
    pub good: &'static str,
}

/// What a line rule sees: one line and the facts already found in it.
pub struct LineCtx<'a> {
    pub text: &'a str,
    pub chars: &'a [char],
    pub facts: &'a LineFacts,
    pub kb: &'a Knowledge,
    /// The line's enumerations and their matches with formula lists, found once for
    /// the rules that compare lists (`formula-list`, `superseded-formula`).
    enumerations: std::cell::OnceCell<Vec<(enumeration::Enumeration, Vec<enumeration::ListMatch>)>>,
    /// What `Knowledge::scan` found in the line besides its terms, when the caller
    /// scanned the line already; else scanned when first asked.
    scan: std::cell::OnceCell<ScanRest>,
    /// Where the chars other than Han ideographs are (`text::LineIndex`).
    others: std::cell::OnceCell<Vec<u32>>,
    /// Where a term may start with a homophone in it, when the caller found them as it
    /// decoded the line (`knowledge::homophones::StartFinder`).
    homophone_starts: Option<&'a [u32]>,
}

/// The wrong forms and list items of a line's scan (see `LineScan`).
type ScanRest = (Vec<(usize, usize, usize)>, Option<Vec<(usize, usize)>>);

impl<'a> LineCtx<'a> {
    pub fn new(text: &'a str, chars: &'a [char], facts: &'a LineFacts, kb: &'a Knowledge) -> Self {
        LineCtx {
            text,
            chars,
            facts,
            kb,
            enumerations: std::cell::OnceCell::new(),
            scan: std::cell::OnceCell::new(),
            others: std::cell::OnceCell::new(),
            homophone_starts: None,
        }
    }

    /// The context with the places a homophone `StartFinder` found in the line.
    pub fn with_homophone_starts(mut self, starts: &'a [u32]) -> Self {
        self.homophone_starts = Some(starts);
        self
    }

    /// The line's terms written with one char of the same sound in the place of their own.
    pub fn homophones(&self) -> Vec<crate::knowledge::homophones::HomophoneHit> {
        let index = self.kb.homophones();
        match self.homophone_starts {
            Some(starts) => index.find_at(self.chars, starts),
            None => index.find(self.chars),
        }
    }

    /// The context with the positions of the line's chars other than Han ideographs.
    pub fn with_others(self, others: Vec<u32>) -> Self {
        let _ = self.others.set(others);
        self
    }

    /// Gives back the positions `with_others` was given (or found since).
    pub fn into_others(self) -> Vec<u32> {
        self.others.into_inner().unwrap_or_default()
    }

    /// Positions of the chars that are not Han ideographs (`text::LineIndex`): the
    /// punctuation, digits, letters and spaces, which checks for punctuation walk
    /// instead of every char.
    pub fn others(&self) -> &[u32] {
        self.others
            .get_or_init(|| crate::text::LineIndex::of(self.chars).others)
    }

    /// The context with what `Knowledge::scan` found in the line besides its terms.
    pub fn with_scan(
        self,
        wrong_forms: Vec<(usize, usize, usize)>,
        item_spans: Option<Vec<(usize, usize)>>,
    ) -> Self {
        let _ = self.scan.set((wrong_forms, item_spans));
        self
    }

    fn scan(&self) -> &ScanRest {
        self.scan.get_or_init(|| {
            let scan = self.kb.scan_chars(self.text, self.chars, self.facts.marks);
            (scan.wrong_forms, scan.item_spans)
        })
    }

    /// Wrong forms in the line: (wrong-form index, byte start, byte end).
    pub fn wrong_forms(&self) -> &[(usize, usize, usize)] {
        &self.scan().0
    }

    /// Where list items occur in the line (see `LineScan::item_spans`).
    fn item_spans(&self) -> Option<&[(usize, usize)]> {
        self.scan().1.as_deref()
    }

    /// Each enumeration of the line (items joined by 、) with the formula lists it
    /// matches (see `enumeration::compare`).
    fn enumerations(&self) -> &[(enumeration::Enumeration, Vec<enumeration::ListMatch>)] {
        self.enumerations.get_or_init(|| {
            if !self.facts.marks.has('、') {
                return Vec::new();
            }
            let spans = self.item_spans();
            if spans.is_some_and(|s| s.is_empty()) {
                return Vec::new();
            }
            // The 、 that ends the paragraph's marker (第五、), in bytes.
            let marker_dun = self
                .facts
                .start_marker
                .as_ref()
                .map(|m| m.end as usize)
                .filter(|&end| end > 0 && self.chars.get(end - 1) == Some(&'、'))
                .map(|end| crate::text::col_to_byte(self.chars, end));
            enumeration::enumerations_near(self.text, self.kb, spans, marker_dun)
                .into_iter()
                .map(|e| {
                    let matches = enumeration::compare(self.chars, &e, self.kb);
                    (e, matches)
                })
                .collect()
        })
    }
}

/// What a document rule sees.
pub struct DocCtx<'a> {
    pub lines: &'a [Arc<LineFacts>],
    /// Sync, so that the document rules of a large draft run side by side.
    pub line_text: &'a (dyn Fn(u32) -> String + Sync),
    pub structure: &'a Structure,
    pub kb: &'a Knowledge,
    /// The draft's date (title block, setting, or today).
    pub date: Date,
    /// The date is the draft's own or the settings', not today's: a draft without
    /// one may be written for a meeting of the year after.
    pub date_given: bool,
}

pub trait Rule: Sync {
    fn code(&self) -> &'static str;
    fn default_level(&self) -> RuleLevel;
    fn doc(&self) -> RuleDoc;
    fn check_line(&self, _ctx: &LineCtx, _out: &mut Vec<Diagnostic>) {}
    fn check_document(&self, _ctx: &DocCtx, _out: &mut Vec<Diagnostic>) {}
    /// The document rule reads what the whole document defines (`Structure::learned`),
    /// not only the lines and outline around a finding. Every other document rule's
    /// findings on a run of lines where the pass starts afresh (see
    /// `analysis::outline::starts_afresh`) depend on that run alone, so they can be
    /// found on the run by itself.
    fn reads_whole_document(&self) -> bool {
        false
    }
}

/// Compiles the rules' regular expressions now rather than on the first line that
/// needs them.
pub fn compile_patterns() {
    placeholder::compile_patterns();
}

/// Every rule, in the order of `docs/rules.md`.
pub static ALL: &[&dyn Rule] = &[
    &numbering::Gap,
    &numbering::Duplicate,
    &numbering::Order,
    &numbering::MixedSeries,
    &marker_punct::MarkerPunctuation,
    &announced_count::AnnouncedCount,
    &learned_count::LearnedCount,
    &formula_list::FormulaList,
    &formula_count::FormulaCount,
    &superseded::Superseded,
    &wrong_form::WrongFormRule,
    &homophone::Homophone,
    &placeholder::Placeholder,
    &placeholder::PlaceholderHint,
    &placeholder::DocNumberBracket,
    &impossible_date::ImpossibleDate,
    &half_width::HalfWidthPunct,
    &unbalanced::Unbalanced,
    &doubled_punct::DoubledPunct,
    &irregular_mark::IrregularMark,
    &numeral_mix::NumeralMix,
    &full_width_alnum::FullWidthAlnum,
    &broken_paragraph::BrokenParagraph,
    &doubled_word::DoubledWord,
    &particle_de::ParticleDe,
    &year_mismatch::YearMismatch,
    &stray_space::StraySpace,
    &half_width::QuotedListComma,
];

pub fn find(code: &str) -> Option<&'static dyn Rule> {
    ALL.iter().copied().find(|r| r.code() == code)
}

/// Runs one rule's check, so that a defect in one rule costs its own findings on this
/// text, not every rule's: the panic is logged (and printed by the panic hook), the
/// findings it had pushed are dropped, and the other rules carry on.
fn guarded(rule: &dyn Rule, out: &mut Vec<Diagnostic>, check: impl FnOnce(&mut Vec<Diagnostic>)) {
    let before = out.len();
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&mut *out)));
    if run.is_err() {
        out.truncate(before);
        tracing::error!(
            rule = rule.code(),
            "rule panicked; its findings are left out"
        );
    }
}

/// Runs every line rule on one line: all of them under one guard, and only if one
/// panics, each under its own (a guard per rule and line costs on every line).
pub fn check_line(ctx: &LineCtx) -> Vec<Diagnostic> {
    let all = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut out = Vec::new();
        for rule in ALL {
            rule.check_line(ctx, &mut out);
        }
        out
    }));
    all.unwrap_or_else(|_| {
        let mut out = Vec::new();
        for rule in ALL {
            guarded(*rule, &mut out, |out| rule.check_line(ctx, out));
        }
        out
    })
}

/// Each document rule's findings, in `ALL` order: of the rules that read the whole
/// document (`whole`), or of the others.
pub fn check_document_by_rule(ctx: &DocCtx, whole: bool) -> Vec<Vec<Diagnostic>> {
    ALL.iter()
        .map(|rule| {
            let mut out = Vec::new();
            if rule.reads_whole_document() == whole {
                guarded(*rule, &mut out, |out| rule.check_document(ctx, out));
            }
            out
        })
        .collect()
}

/// Runs every document rule, in the order of `ALL`; on a large draft (`parallel`) on
/// all cores, a rule to a task: the longest take a few milliseconds a 10 MB draft.
pub fn check_document(ctx: &DocCtx, parallel: bool) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let one = |rule: &&dyn Rule| {
        let mut out = Vec::new();
        guarded(*rule, &mut out, |out| rule.check_document(ctx, out));
        out
    };
    if parallel {
        ALL.par_iter().map(one).collect::<Vec<_>>().concat()
    } else {
        ALL.iter().flat_map(one).collect()
    }
}

/// Whether columns `start..end` of a paragraph lie inside a quotation “……”.
pub fn inside_quotes(chars: &[char], start: u32, end: u32) -> bool {
    let depth_at = |col: usize| {
        chars[..col.min(chars.len())]
            .iter()
            .fold(0i32, |d, &c| match c {
                '“' => d + 1,
                '”' => (d - 1).max(0),
                _ => d,
            })
    };
    let opened = depth_at(start as usize) > 0;
    let closed_after = chars[(end as usize).min(chars.len())..].contains(&'”');
    opened && closed_after
}

/// A diagnostic's level under the settings, or None when the rule is off (a rule whose
/// default is off stays off unless configured).
pub fn visible_level(d: &Diagnostic, settings: &Settings) -> Option<RuleLevel> {
    let configured = settings.level_of(d.code);
    let enabled =
        configured.is_some() || find(d.code).is_none_or(|r| r.default_level() != RuleLevel::Off);
    match configured.unwrap_or(d.level) {
        RuleLevel::Off => None,
        _ if !enabled => None,
        level => Some(level),
    }
}

/// The diagnostics shown under the settings, with their levels.
pub fn visible<'a>(
    diagnostics: &'a [Diagnostic],
    settings: &Settings,
) -> Vec<(RuleLevel, &'a Diagnostic)> {
    diagnostics
        .iter()
        .filter_map(|d| visible_level(d, settings).map(|l| (l, d)))
        .collect()
}

fn level_name(level: RuleLevel) -> &'static str {
    match level {
        RuleLevel::Error => "error",
        RuleLevel::Warning => "warning",
        RuleLevel::Info => "info",
        RuleLevel::Hint => "hint",
        RuleLevel::Off => "off (opt-in)",
    }
}

/// The rule reference (`docs/rules.md`), generated from the rules themselves.
pub fn reference_markdown() -> String {
    let mut s = String::from(
        "# Rule reference\n\n<!-- Generated by `jianggao rules --markdown`; do not edit. A test checks it is current. -->\n\n\
         Each rule has a stable code. Set its level in `jianggao.toml` (`[rules]` table) or in the editor's \
         `jianggao.rules` setting: `error`, `warning`, `info`, `hint` or `off`.\n\n\
         | code | default | title |\n|---|---|---|\n",
    );
    for r in ALL {
        let d = r.doc();
        let _ = writeln!(
            s,
            "| `{}` | {} | {} |",
            r.code(),
            level_name(r.default_level()),
            d.title
        );
    }
    for r in ALL {
        let d = r.doc();
        let _ = write!(
            s,
            "\n## `{}`\n\n{}\n\nDefault level: {}.\n\n{}\n\nBad:\n\n> {}\n\nGood:\n\n> {}\n",
            r.code(),
            d.title,
            level_name(r.default_level()),
            d.description,
            d.bad,
            d.good
        );
    }
    s
}

/// Every diagnostic of a whole text, in document order, without caching: line rules on
/// each line, the document pass, document rules, then the filter by the draft's date
/// (`date` when the title block gives none). `document` does the same incrementally.
pub fn check_text(text: &str, kb: &Knowledge, date: Date) -> Vec<Diagnostic> {
    let texts: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let lines: Vec<Arc<LineFacts>> = texts
        .iter()
        .map(|t| Arc::new(crate::analysis::line::analyze_line(t, kb)))
        .collect();
    let line_text = |i: u32| texts.get(i as usize).copied().unwrap_or("").to_string();
    let structure = crate::analysis::run(&lines, &line_text);
    let date = structure.title_date.unwrap_or(date);
    let mut out = Vec::new();
    for (i, (t, facts)) in texts.iter().zip(&lines).enumerate() {
        let chars: Vec<char> = t.chars().collect();
        let ctx = LineCtx::new(t, &chars, facts, kb);
        out.extend(check_line(&ctx).into_iter().map(|d| d.on_line(i as u32)));
    }
    let ctx = DocCtx {
        lines: &lines,
        line_text: &line_text,
        structure: &structure,
        kb,
        date,
        date_given: true,
    };
    out.extend(check_document(&ctx, false));
    out.retain(|d| d.valid.applies(date));
    out.sort_by(|a, b| a.span.start.cmp(&b.span.start).then(a.code.cmp(b.code)));
    out
}

#[cfg(test)]
pub(crate) mod testing {
    use crate::knowledge::Knowledge;
    use crate::rules::Diagnostic;
    use crate::text::Date;

    /// The date drafts without a title-block date are judged at in tests.
    pub const TODAY: Date = Date::new(2026, 12, 1);

    /// Diagnostics of one rule on a text, analysed with the built-in knowledge.
    pub fn diags(code: &str, text: &str) -> Vec<Diagnostic> {
        super::check_text(text, &Knowledge::builtin(), TODAY)
            .into_iter()
            .filter(|d| d.code == code)
            .collect()
    }

    /// Each text has one finding of rule `code`, whose first fix gives the paired text.
    pub fn assert_fixed_once(code: &str, cases: &[(&str, &str)]) {
        for &(text, fixed) in cases {
            let found = diags(code, text);
            assert_eq!(found.len(), 1, "{text}: {found:?}");
            assert_eq!(apply_first_fixes(text, &found), fixed);
        }
    }

    /// Applies the first fix of each diagnostic (non-overlapping) to `text`.
    pub fn apply_first_fixes(text: &str, diags: &[Diagnostic]) -> String {
        let mut edits: Vec<_> = diags
            .iter()
            .filter_map(|d| d.fixes.first())
            .flat_map(|f| f.edits.clone())
            .collect();
        crate::text::apply_edits(text, &mut edits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_documented() {
        let mut codes: Vec<_> = ALL.iter().map(|r| r.code()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), ALL.len());
        for r in ALL {
            let d = r.doc();
            assert!(
                !d.title.is_empty() && !d.bad.is_empty() && !d.good.is_empty(),
                "{}",
                r.code()
            );
            assert_ne!(d.bad, d.good);
        }
    }

    #[test]
    fn docs_rules_md_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md");
        let on_disk = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            on_disk == reference_markdown(),
            "docs/rules.md is stale: run `cargo run -- rules --markdown > docs/rules.md`"
        );
    }

    /// Each rule's bad example triggers it and its good example does not.
    #[test]
    fn examples_behave_as_documented() {
        for r in ALL {
            let d = r.doc();
            let bad = testing::diags(r.code(), d.bad);
            let good = testing::diags(r.code(), d.good);
            assert!(!bad.is_empty(), "{}: bad example not flagged", r.code());
            assert!(
                good.is_empty(),
                "{}: good example flagged: {:?}",
                r.code(),
                good
            );
        }
    }
}
pub use half_width::half_width_in_chinese;
