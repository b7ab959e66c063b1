//! An open document: the text as a rope, with cached facts and line-rule findings per
//! line. Edits re-analyse only the lines they touch; the document pass and the
//! document rules then run over the cached facts. This is where the core's layers
//! meet: `analysis` finds the structure, `rules` judge it.

use crate::analysis::line::LineSummary;
use crate::analysis::outline::{self, Outline, Parts};
use crate::analysis::{self, line::LineFacts, Structure};
use crate::knowledge::Knowledge;
use crate::rules::{self, Diagnostic, DocCtx, LineCtx};
use crate::text::{self, Date, Encoding};
use ropey::Rope;
use std::sync::Arc;

/// A client range: (line, column in the client's units) at both ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientRange {
    pub start: (u32, u32),
    pub end: (u32, u32),
}

/// Where the date a draft is judged at comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateSource {
    /// Its title block or closing date line.
    Draft,
    /// The `date` setting.
    Setting,
    /// No date given: today.
    Today,
}

/// The findings on a document at one version.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub structure: Structure,
    /// Every diagnostic that applies at the draft's date, in document order.
    pub diagnostics: Vec<Diagnostic>,
    /// The document rules' findings among them (line findings live in the line cache,
    /// where adapters cache their conversion).
    pub document_diagnostics: Vec<Diagnostic>,
    /// The date the draft is judged at.
    pub date: Date,
    pub date_source: Option<DateSource>,
    /// What `Document::update` needs to bring this analysis up to date.
    runs: Runs,
}

/// The runs of lines the document pass handles on their own (each begins where the
/// pass starts afresh, see `outline::starts_afresh`), as last analysed, and where
/// their parts lie in the analysis: `Document::update` rebuilds only the runs whose
/// lines changed and splices them in.
#[derive(Clone, Default)]
struct Runs {
    /// Empty when the analysis cannot be updated in place (`update` starts afresh).
    runs: Vec<Run>,
    /// The findings of the rules that read the whole document, as in the analysis.
    whole: Vec<Diagnostic>,
}

impl std::fmt::Debug for Runs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Runs({})", self.runs.len())
    }
}

#[derive(Clone)]
struct Run {
    start: u32,
    len: u32,
    /// The facts of its lines and of the line after it (looked ahead into): the run is
    /// unchanged while these are the same facts.
    facts: Vec<Arc<LineFacts>>,
    parts: Parts,
    /// Its findings in `document_diagnostics`, per rule of `rules::ALL` (none for the
    /// rules that read the whole document).
    per_rule: Vec<usize>,
    /// Its findings in `diagnostics` (those of whole-document rules included).
    diagnostics: usize,
    /// The names of the speeches it begins.
    titles: Vec<String>,
    /// The names its title lines looked up among the earlier speeches' titles.
    queried: Vec<String>,
}

/// A run as the document pass built it (`Document::build_run`).
struct BuiltRun {
    run: Run,
    /// Its outline, lines from 0.
    outline: Outline,
    /// Its findings per rule of `rules::ALL`, on the document's lines.
    found: Vec<Vec<Diagnostic>>,
}

/// One cached line: its facts and its line rules' findings (spans on line 0).
pub struct Line {
    pub facts: Arc<LineFacts>,
    pub diagnostics: Arc<[Diagnostic]>,
}

pub struct Document {
    rope: Rope,
    facts: Vec<Arc<LineFacts>>,
    /// A summary of each line's facts, side by side (see `LineSummary`).
    summaries: Vec<LineSummary>,
    diagnostics: Vec<Arc<[Diagnostic]>>,
    kb: Arc<Knowledge>,
    /// The `date` setting, used when the draft has no date of its own.
    date_setting: Option<Date>,
}

impl Document {
    pub fn new(text: &str, kb: Arc<Knowledge>) -> Document {
        // The line pass reads `text`, not the rope: on a large text the rope is built
        // alongside it (about 1 ms per MB, otherwise spent before the pass starts).
        let (rope, lines) = if text.len() < PARALLEL_FROM_BYTES {
            (Rope::from_str(text), None)
        } else {
            let (rope, lines) = rayon::join(|| Rope::from_str(text), || analyze_lines(text, &kb));
            (rope, Some(lines))
        };
        let mut doc = Document {
            rope,
            facts: Vec::new(),
            summaries: Vec::new(),
            diagnostics: Vec::new(),
            kb,
            date_setting: None,
        };
        match lines {
            Some(lines) => doc.set_lines(lines),
            None => doc.analyze_all_lines(text),
        }
        doc
    }

    pub fn rope(&self) -> &Rope {
        &self.rope
    }

    pub fn text(&self) -> String {
        self.rope.to_string()
    }

    pub fn knowledge(&self) -> &Arc<Knowledge> {
        &self.kb
    }

    /// Facts of every line.
    pub fn lines(&self) -> &[Arc<LineFacts>] {
        &self.facts
    }

    /// Line `i`'s length and whether it has wide chars, for position conversions
    /// (`text::PositionCursor::with_shapes`).
    pub fn line_shape(&self, i: usize) -> text::LineShape {
        let f = &self.facts[i.min(self.facts.len() - 1)];
        text::LineShape {
            len: f.len,
            wide: f.wide,
        }
    }

    /// The line rules' findings on line `i` (spans on line 0), shared while the line
    /// is unchanged: adapters key caches on the pointer.
    pub fn line_diagnostics(&self, i: usize) -> &Arc<[Diagnostic]> {
        &self.diagnostics[i]
    }

    /// The text of a line without its line break ("" past the end).
    pub fn line_text(&self, line: u32) -> String {
        text::line_string(&self.rope, line as usize)
    }

    /// Replaces the knowledge (glossary changed): every line is re-analysed.
    pub fn set_knowledge(&mut self, kb: Arc<Knowledge>) {
        self.kb = kb;
        self.reanalyze_all();
    }

    /// Sets the date used when the draft has no date of its own.
    pub fn set_date_setting(&mut self, date: Option<Date>) {
        self.date_setting = date;
    }

    fn reanalyze_all(&mut self) {
        let text = self.rope.to_string();
        self.analyze_all_lines(&text);
    }

    /// Analyses every line of `text` (the rope's content), in parallel on large texts.
    fn analyze_all_lines(&mut self, text: &str) {
        let lines = analyze_lines(text, &self.kb);
        self.set_lines(lines);
    }

    /// Takes the line pass's results for the rope's lines.
    fn set_lines(&mut self, lines: Vec<LineResult>) {
        if lines.len() != self.rope.len_lines() {
            // Cannot happen (both split at LF, CRLF and CR); the rope decides.
            tracing::warn!("line split disagrees with the rope; analysing line by line");
            let n = self.rope.len_lines();
            (self.facts, self.diagnostics) = (0..n).map(|i| self.analyze_line(i)).unzip();
        } else {
            (self.facts, self.diagnostics) = lines.into_iter().unzip();
        }
        self.summaries = self.facts.iter().map(|f| LineSummary::of(f)).collect();
    }

    fn analyze_line(&self, i: usize) -> LineResult {
        let content = text::line_content(&self.rope, i);
        let s: std::borrow::Cow<str> = content.into();
        analyze_line(&s, &self.kb)
    }

    /// Applies one content change: a range replacement, or the whole text when `range`
    /// is None. Positions out of range are clamped.
    pub fn apply_change(&mut self, range: Option<ClientRange>, new_text: &str, enc: Encoding) {
        let Some(range) = range else {
            self.rope = Rope::from_str(new_text);
            self.reanalyze_all();
            return;
        };
        let a = text::position_to_char(&self.rope, range.start.0, range.start.1, enc);
        let b = text::position_to_char(&self.rope, range.end.0, range.end.1, enc);
        let (start, end) = (a.min(b), a.max(b));
        let first_line = self.rope.char_to_line(start).saturating_sub(1);
        let old_last_line = self.rope.char_to_line(end);
        self.rope.remove(start..end);
        self.rope.insert(start, new_text);
        let inserted = new_text.chars().count();
        let new_last_line =
            (self.rope.char_to_line(start + inserted) + 1).min(self.rope.len_lines() - 1);
        let old_last_line = (old_last_line + 1).min(self.facts.len().saturating_sub(1));
        // Lines before first_line and after the edited region keep their content; the
        // old region [first_line, old_last_line] becomes [first_line, new_last_line].
        let (facts, diagnostics): (Vec<_>, Vec<_>) = (first_line..=new_last_line)
            .map(|i| self.analyze_line(i))
            .unzip();
        if first_line <= old_last_line && old_last_line < self.facts.len() {
            let summaries: Vec<LineSummary> = facts.iter().map(|f| LineSummary::of(f)).collect();
            self.summaries.splice(first_line..=old_last_line, summaries);
            self.facts.splice(first_line..=old_last_line, facts);
            self.diagnostics
                .splice(first_line..=old_last_line, diagnostics);
        } else {
            self.facts.clear();
        }
        if self.facts.len() != self.rope.len_lines() {
            tracing::warn!("line cache out of step after an edit; re-analysing the document");
            self.reanalyze_all();
        }
    }

    /// Runs the document pass and the document rules on the current text, and keeps
    /// the findings that apply at the draft's date.
    pub fn analyze(&self) -> Analysis {
        let line_text = |l: u32| self.line_text(l);
        // The date decides which findings apply (the structure's title date, found
        // from a few lines). Then the structure and the document rules, and gathering
        // the line rules' findings, which need only the date, run side by side.
        let (title_date, date, source) = self.dating();
        let large = self.is_large();
        let document_pass = || {
            let (structure, queried) = analysis::run_recording(&self.facts, &line_text);
            let ctx = self.doc_ctx(&self.facts, &line_text, &structure, date, source);
            let mut found = rules::check_document(&ctx, large);
            found.retain(|d| d.valid.applies(date));
            (structure, queried, found)
        };
        let line_findings = || self.line_findings(date);
        let ((structure, queried, document_diagnostics), mut diagnostics) = if large {
            rayon::join(document_pass, line_findings)
        } else {
            (document_pass(), line_findings())
        };
        debug_assert_eq!(structure.title_date, title_date);
        diagnostics.extend(document_diagnostics.iter().cloned());
        // The runs count findings line by line, from the lines' own lists: on a large
        // draft beside the sort of the merged list.
        let runs_of = || self.runs_of(&structure, &queried, &document_diagnostics, date);
        let runs = if large {
            rayon::join(runs_of, || sort_diagnostics(&mut diagnostics)).0
        } else {
            sort_diagnostics(&mut diagnostics);
            runs_of()
        }
        .unwrap_or_default();
        Analysis {
            structure,
            diagnostics,
            document_diagnostics,
            date,
            date_source: Some(source),
            runs,
        }
    }

    /// The date `analyze` will judge the draft at (its title's date, else the `date`
    /// setting, else today): known from a few lines before the document pass, so an
    /// adapter can prepare what depends only on it and the line pass alongside.
    pub fn judged_date(&self) -> Date {
        self.dating().1
    }

    /// What the document rules read of `lines` (the draft's or a run's), judged at
    /// `date`, which comes from `source`.
    fn doc_ctx<'a>(
        &'a self,
        lines: &'a [Arc<LineFacts>],
        line_text: &'a (dyn Fn(u32) -> String + Sync),
        structure: &'a Structure,
        date: Date,
        source: DateSource,
    ) -> DocCtx<'a> {
        DocCtx {
            lines,
            line_text,
            structure,
            kb: &self.kb,
            date,
            date_given: source != DateSource::Today,
        }
    }

    /// The line rules' findings that apply at `date`, on their lines, in line order.
    fn line_findings(&self, date: Date) -> Vec<Diagnostic> {
        self.diagnostics
            .iter()
            .enumerate()
            .flat_map(|(i, ds)| {
                ds.iter()
                    .filter(|d| d.valid.applies(date))
                    .map(move |d| d.clone().on_line(i as u32))
            })
            .collect()
    }

    /// Whether the document is long enough for its passes to run on several cores.
    pub fn is_large(&self) -> bool {
        self.facts.len() >= PARALLEL_DOCUMENT_PASS_LINES
    }

    /// The title's date (found from a few lines), the date the draft is judged at and
    /// where that comes from: what `analyze`, `update` and `judged_date` all go by.
    fn dating(&self) -> (Option<Date>, Date, DateSource) {
        let title_date = analysis::date::title_date(&self.facts, &|l| self.line_text(l));
        let (date, source) = match (title_date, self.date_setting) {
            (Some(d), _) => (d, DateSource::Draft),
            (None, Some(d)) => (d, DateSource::Setting),
            (None, None) => (Date::today(), DateSource::Today),
        };
        (title_date, date, source)
    }

    /// The first lines of the runs the document pass can handle on their own.
    fn run_starts(&self) -> Vec<u32> {
        let mut starts = vec![0];
        starts.extend(
            (1..self.summaries.len())
                .filter(|&i| outline::starts_afresh(&self.summaries, i))
                .map(|i| i as u32),
        );
        starts
    }

    /// The lines of each run (`run_starts`), from its first to the next run's.
    fn run_ranges(&self) -> Vec<(usize, usize)> {
        let starts = self.run_starts();
        let ends = starts.iter().skip(1).map(|&e| e as usize);
        let ends = ends.chain(std::iter::once(self.facts.len()));
        starts.iter().map(|&s| s as usize).zip(ends).collect()
    }

    /// The runs of a fresh analysis, with where their parts lie in it; None when they
    /// do not lie in the runs' order (which `update` relies on).
    fn runs_of(
        &self,
        structure: &Structure,
        queried: &[(u32, String)],
        document_diagnostics: &[Diagnostic],
        date: Date,
    ) -> Option<Runs> {
        let n = self.facts.len();
        let starts = self.run_starts();
        let parts = structure.outline.parts_by_run(&starts)?;
        let run_of = |line: u32| starts.partition_point(|&s| s <= line) - 1;
        let mut runs: Vec<Run> = starts
            .iter()
            .enumerate()
            .map(|(k, &s)| {
                let end = starts.get(k + 1).map_or(n, |&e| e as usize);
                Run {
                    start: s,
                    len: (end - s as usize) as u32,
                    facts: self.facts[s as usize..(end + 1).min(n)].to_vec(),
                    parts: parts[k],
                    per_rule: vec![0; rules::ALL.len()],
                    diagnostics: 0,
                    titles: Vec::new(),
                    queried: Vec::new(),
                }
            })
            .collect();
        for (line, name) in queried {
            runs[run_of(*line)].queried.push(name.clone());
        }
        for t in &structure.outline.title_blocks {
            let node = &structure.outline.nodes[t.heading];
            runs[run_of(node.marker.start.line)]
                .titles
                .push(node.name.clone());
        }
        // Document findings lie rule by rule, each rule's in line order.
        let mut whole = Vec::new();
        let mut at = (0, 0);
        for d in document_diagnostics {
            let rule = rule_index(d.code)?;
            if rules::ALL[rule].reads_whole_document() {
                whole.push(d.clone());
                continue;
            }
            let run = run_of(d.span.start.line);
            if (rule, run) < at {
                return None;
            }
            at = (rule, run);
            runs[run].per_rule[rule] += 1;
        }
        for d in document_diagnostics {
            runs[run_of(d.span.start.line)].diagnostics += 1;
        }
        for run in &mut runs {
            let lines = &self.diagnostics[run.start as usize..(run.start + run.len) as usize];
            run.diagnostics += lines
                .iter()
                .map(|found| found.iter().filter(|d| d.valid.applies(date)).count())
                .sum::<usize>();
        }
        Some(Runs { runs, whole })
    }

    /// The document pass over the run of lines `s..e` (looking ahead into the line
    /// after it), given the names of the speeches before it: its outline (lines from
    /// 0), its record, and its findings that apply at `date`, per rule of
    /// `rules::ALL`, on the document's lines.
    fn build_run(
        &self,
        (s, e): (usize, usize),
        titles: &std::collections::HashSet<String>,
        date: Date,
        date_source: DateSource,
    ) -> BuiltRun {
        let end = (e + 1).min(self.facts.len());
        let run_text = |l: u32| self.line_text(s as u32 + l);
        let segment = outline::build_segment(&self.facts[s..end], e - s, &run_text, titles);
        let structure = Structure {
            outline: segment.outline,
            ..Default::default()
        };
        let ctx = self.doc_ctx(&self.facts[s..e], &run_text, &structure, date, date_source);
        let found: Vec<Vec<Diagnostic>> = rules::check_document_by_rule(&ctx, false)
            .into_iter()
            .map(|found| {
                found
                    .into_iter()
                    .filter(|d| d.valid.applies(date))
                    .map(|d| d.moved(s as i64))
                    .collect()
            })
            .collect();
        let run = Run {
            start: s as u32,
            len: (e - s) as u32,
            facts: self.facts[s..end].to_vec(),
            parts: structure.outline.counts(),
            per_rule: found.iter().map(Vec::len).collect(),
            diagnostics: 0,
            titles: segment.titles,
            queried: segment.queried.into_iter().map(|(_, name)| name).collect(),
        };
        BuiltRun {
            run,
            outline: structure.outline,
            found,
        }
    }

    /// Brings `analysis`, made by `analyze` or `update` of this document before the
    /// edits since, up to date: the same as `analyze()`, but only the runs of lines
    /// whose facts changed (usually the speech an edit falls in) go through the
    /// document pass and the document rules again; the rest of the outline and of the
    /// findings is kept, moved by the lines and points added or removed.
    pub fn update(&self, analysis: &mut Analysis) {
        if !self.try_update(analysis) {
            *analysis = self.analyze();
        }
    }

    /// `update`, or false when the analysis must be made afresh: it cannot be updated
    /// (no runs), the draft's date changed, a speech's title changed the titles later
    /// speeches are compared with, or a whole-document finding moved.
    fn try_update(&self, a: &mut Analysis) -> bool {
        let old = &a.runs.runs;
        if old.is_empty() {
            return false;
        }
        let n = self.facts.len();
        let new = self.run_ranges();
        let same = |run: &Run, (s, e): (usize, usize)| {
            let end = (e + 1).min(n);
            run.start as usize == s
                && run.len as usize == e - s
                && run.facts.len() == end - s
                && run
                    .facts
                    .iter()
                    .zip(&self.facts[s..end])
                    .all(|(x, y)| Arc::ptr_eq(x, y))
        };
        let mut front = 0;
        while front < old.len().min(new.len()) && same(&old[front], new[front]) {
            front += 1;
        }
        // Runs after the change: the same facts, moved by the lines added.
        let line_delta = n as i64 - old.last().map_or(0, |r| (r.start + r.len) as i64);
        let mut back = 0;
        while back < (old.len() - front).min(new.len() - front) {
            let o = &old[old.len() - 1 - back];
            let (s, e) = new[new.len() - 1 - back];
            let moved = (s as i64 - line_delta) as usize;
            let end = (e + 1).min(n);
            let same = o.start as usize == moved
                && o.len as usize == e - s
                && o.facts.len() == end - s
                && o.facts
                    .iter()
                    .zip(&self.facts[s..end])
                    .all(|(x, y)| Arc::ptr_eq(x, y));
            if !same {
                break;
            }
            back += 1;
        }
        let (old_mid, new_mid) = (front..old.len() - back, front..new.len() - back);
        // The date: from the title block or the last lines, else the setting.
        let line_text = |l: u32| self.line_text(l);
        let (title_date, date, date_source) = self.dating();
        if date != a.date || Some(date_source) != a.date_source {
            return false;
        }
        if old_mid.is_empty() && new_mid.is_empty() {
            return true; // nothing changed
        }
        // Rebuild the changed runs, with the names of the speeches before them. When
        // the speeches they begin change, the later runs that looked such a name up are
        // rebuilt too (with the runs between them).
        let mut titles: std::collections::HashSet<String> = old[..front]
            .iter()
            .flat_map(|r| r.titles.iter().cloned())
            .collect();
        // Where the changed runs begin (the same line before and after the edit).
        let first_line = new.get(front).map_or(n, |r| r.0);
        let mut fragment = Outline::default();
        let mut built: Vec<Run> = Vec::new();
        let mut local: Vec<Vec<Diagnostic>> = vec![Vec::new(); rules::ALL.len()];
        loop {
            for &range in &new[front + built.len()..new.len() - back] {
                let b = self.build_run(range, &titles, date, date_source);
                for (r, found) in b.found.into_iter().enumerate() {
                    local[r].extend(found);
                }
                fragment.splice(
                    fragment.counts(),
                    Parts::default(),
                    b.outline,
                    (range.0 - first_line) as u32,
                    0,
                );
                titles.extend(b.run.titles.iter().cloned());
                built.push(b.run);
            }
            let old_end = old.len() - back;
            let names = |runs: &[Run]| -> std::collections::HashSet<String> {
                runs.iter().flat_map(|r| r.titles.iter().cloned()).collect()
            };
            let (was, is) = (names(&old[front..old_end]), names(&built));
            let changed: Vec<&String> = was.symmetric_difference(&is).collect();
            if changed.is_empty() {
                break;
            }
            // The last later run that looked up a changed name.
            let Some(last) = (old_end..old.len())
                .rev()
                .find(|&k| old[k].queried.iter().any(|q| changed.contains(&q)))
            else {
                break;
            };
            back = old.len() - 1 - last;
        }
        let old_mid = front..old.len() - back;
        // The outline.
        let sum = |runs: &[Run]| runs.iter().fold(Parts::default(), |p, r| p.plus(r.parts));
        let at = sum(&old[..front]);
        let replaced = sum(&old[old_mid.clone()]);
        let mid_lines_old: usize = old[old_mid.clone()].iter().map(|r| r.len as usize).sum();
        let mid_lines_new: usize = built.iter().map(|r| r.len as usize).sum();
        let delta = mid_lines_new as i64 - mid_lines_old as i64;
        debug_assert_eq!(delta, line_delta);
        a.structure
            .outline
            .splice(at, replaced, fragment, first_line as u32, delta);
        // What the whole document defines, and the rules that read it.
        a.structure.learned = analysis::learned::collect_from(
            &self.facts,
            self.summaries
                .iter()
                .enumerate()
                .filter(|(_, l)| l.learns())
                .map(|(i, _)| i),
            &a.structure.outline,
            &line_text,
        );
        a.structure.title_date = title_date;
        a.structure.total_chars = self.summaries.iter().map(|l| l.counted).sum();
        let ctx = self.doc_ctx(&self.facts, &line_text, &a.structure, date, date_source);
        let whole: Vec<Diagnostic> = rules::check_document_by_rule(&ctx, true)
            .into_iter()
            .flatten()
            .filter(|d| d.valid.applies(date))
            .collect();
        let (lo, hi) = (first_line as u32, (first_line + mid_lines_new) as u32);
        let old_hi = (first_line + mid_lines_old) as u32;
        let outside = |d: &&Diagnostic| d.span.start.line < lo || d.span.start.line >= hi;
        let kept: Vec<Diagnostic> = a
            .runs
            .whole
            .iter()
            .filter(|d| d.span.start.line < lo || d.span.start.line >= old_hi)
            .map(|d| {
                let shift = if d.span.start.line >= old_hi {
                    delta
                } else {
                    0
                };
                d.clone().moved(shift)
            })
            .collect();
        if !kept.iter().eq(whole.iter().filter(outside)) {
            return false;
        }
        // The document findings, rule by rule (each rule's in run order).
        let mut at_index = 0;
        for (r, rule) in rules::ALL.iter().enumerate() {
            if rule.reads_whole_document() {
                let count = a
                    .runs
                    .whole
                    .iter()
                    .filter(|d| rule_index(d.code) == Some(r))
                    .count();
                let replacement: Vec<Diagnostic> = whole
                    .iter()
                    .filter(|d| rule_index(d.code) == Some(r))
                    .cloned()
                    .collect();
                let added = replacement.len();
                a.document_diagnostics
                    .splice(at_index..at_index + count, replacement);
                at_index += added;
                continue;
            }
            let before: usize = old[..front].iter().map(|x| x.per_rule[r]).sum();
            let removed: usize = old[old_mid.clone()].iter().map(|x| x.per_rule[r]).sum();
            let after: usize = old[old_mid.end..].iter().map(|x| x.per_rule[r]).sum();
            let start = at_index + before;
            let added = local[r].len();
            a.document_diagnostics
                .splice(start..start + removed, local[r].iter().cloned());
            if delta != 0 {
                for d in &mut a.document_diagnostics[start + added..start + added + after] {
                    d.move_by(delta);
                }
            }
            at_index = start + added + after;
        }
        // All findings in position order: the changed runs' lines and findings.
        let mut mid: Vec<Diagnostic> = Vec::new();
        for i in lo..hi {
            mid.extend(
                self.diagnostics[i as usize]
                    .iter()
                    .filter(|d| d.valid.applies(date))
                    .map(|d| d.clone().on_line(i)),
            );
        }
        for (r, rule) in rules::ALL.iter().enumerate() {
            if rule.reads_whole_document() {
                mid.extend(
                    whole
                        .iter()
                        .filter(|d| rule_index(d.code) == Some(r) && !outside(d))
                        .cloned(),
                );
            } else {
                mid.extend(local[r].iter().cloned());
            }
        }
        sort_diagnostics(&mut mid);
        for d in &mid {
            let k = built.partition_point(|r| r.start <= d.span.start.line) - 1;
            built[k].diagnostics += 1;
        }
        let start: usize = old[..front].iter().map(|r| r.diagnostics).sum();
        let removed: usize = old[old_mid.clone()].iter().map(|r| r.diagnostics).sum();
        let added = mid.len();
        a.diagnostics.splice(start..start + removed, mid);
        if delta != 0 {
            for d in &mut a.diagnostics[start + added..] {
                d.move_by(delta);
            }
        }
        // The runs themselves.
        let runs = &mut a.runs.runs;
        runs.splice(old_mid, built);
        if delta != 0 {
            let from = new.len() - back;
            for r in &mut runs[from..] {
                r.start = (r.start as i64 + delta) as u32;
            }
        }
        a.runs.whole = whole;
        true
    }

    /// Line facts computed from scratch (for tests of the incremental cache).
    #[doc(hidden)]
    pub fn fresh_lines(&self) -> Vec<Arc<LineFacts>> {
        (0..self.rope.len_lines())
            .map(|i| self.analyze_line(i).0)
            .collect()
    }

    /// Whether the line cache (facts and findings) equals a fresh analysis of every
    /// line (for tests and the fuzz target).
    #[doc(hidden)]
    pub fn cache_is_fresh(&self) -> bool {
        let n = self.rope.len_lines();
        self.facts.len() == n
            && self.diagnostics.len() == n
            && (0..n).all(|i| {
                let (facts, diagnostics) = self.analyze_line(i);
                format!("{facts:?}") == format!("{:?}", self.facts[i])
                    && *diagnostics == *self.diagnostics[i]
            })
    }
}

/// Lines from which `Document::analyze` gathers the line findings alongside the
/// document pass (below, starting a thread costs more than it saves).
const PARALLEL_DOCUMENT_PASS_LINES: usize = 1000;

/// Diagnostics in position order (ties by code, otherwise as found).
fn sort_diagnostics(d: &mut [Diagnostic]) {
    d.sort_by(|a, b| a.span.start.cmp(&b.span.start).then(a.code.cmp(b.code)));
}

/// The index in `rules::ALL` of the rule with this code.
fn rule_index(code: &str) -> Option<usize> {
    rules::ALL.iter().position(|r| r.code() == code)
}

/// A line's facts and its line rules' findings.
type LineResult = (Arc<LineFacts>, Arc<[Diagnostic]>);

/// The line pass over every line of `text`, in parallel on large texts.
fn analyze_lines(text: &str, kb: &Knowledge) -> Vec<LineResult> {
    let lines = text::split_lines(text);
    parallel_map(&lines, text.len(), |line| analyze_line(line, kb))
}

/// The line pass of one line: its facts and its line rules' findings (one scan of the
/// line for terms, wrong forms and list items, shared by both).
pub fn analyze_line(s: &str, kb: &Knowledge) -> LineResult {
    // The decoded chars and the positions of those not Han are scratch, kept by each
    // thread for its next line: two allocations a line otherwise. Taken out while in
    // use, so a nested call (none today) would only allocate its own.
    thread_local! {
        static SCRATCH: std::cell::Cell<LineScratch> = Default::default();
    }
    let (mut chars, mut index, mut starts, mut homophone_starts) = SCRATCH.take();
    // Where formula names and wrong forms may start, and where one may be written with
    // a homophone, is found as the line is decoded.
    let mut finder = kb.start_finder(&mut starts);
    let mut homophones = kb.homophones().start_finder(&mut homophone_starts);
    index.decode_into_with(s, &mut chars, |byte, c| {
        finder.push(byte, c);
        homophones.push(c);
    });
    let scan = kb.scan_at(s, &chars, index.marks, &starts);
    let facts = analysis::line::analyze_line_with_terms(s, &chars, &index, kb, scan.terms);
    let ctx = LineCtx::new(s, &chars, &facts, kb)
        .with_scan(scan.wrong_forms, scan.item_spans)
        .with_others(index.others)
        .with_homophone_starts(&homophone_starts);
    let mut diagnostics = rules::check_line(&ctx);
    // In the order of the document's list (`sort_diagnostics`), here on all cores: the
    // list then only merges the document rules' findings into runs already sorted.
    sort_diagnostics(&mut diagnostics);
    index.others = ctx.into_others();
    // A very long line's buffers are not kept.
    if chars.capacity() <= SCRATCH_KEPT_MAX_CHARS {
        SCRATCH.set((chars, index, starts, homophone_starts));
    }
    (Arc::new(facts), diagnostics.into())
}

/// What `analyze_line` keeps from line to line on each thread: a line's chars, its
/// index, where knowledge patterns may start in it and where a term may be written
/// with a homophone.
type LineScratch = (
    Vec<char>,
    crate::text::LineIndex,
    Vec<crate::knowledge::ScanStart>,
    Vec<u32>,
);

/// The longest line whose scratch `analyze_line` keeps for the next (256 KB of chars).
const SCRATCH_KEPT_MAX_CHARS: usize = 1 << 16;

/// Does now the one-time work of the first analysis: the built-in knowledge (with its
/// pinyin keys, for the first completion, and its homophone index) and the regular
/// expressions (a few milliseconds of compiling, which the first opened document would
/// otherwise wait for). A server calls it on a thread of its own as it starts.
pub fn warm_up() {
    let started = std::time::Instant::now();
    let _ = Knowledge::builtin().pinyin();
    let _ = Knowledge::builtin().homophones();
    compile_patterns();
    tracing::debug!("warmed up in {:?}", started.elapsed());
}

/// Loads the built-in knowledge and compiles the line pass's patterns on two threads of
/// their own (a few milliseconds each), for a command that meanwhile reads its file: the
/// first line that needs either waits for it.
pub fn prepare_in_background() {
    let spawn = |name: &str, work: fn()| {
        let _ = std::thread::Builder::new().name(name.into()).spawn(work);
    };
    spawn("knowledge", || {
        let _ = Knowledge::builtin().homophones();
    });
    spawn("patterns", compile_patterns);
}

/// The regular expressions of the line pass and the rules.
fn compile_patterns() {
    analysis::line::compile_patterns();
    rules::compile_patterns();
}

/// Texts below this size are analysed on one thread (starting threads costs more).
const PARALLEL_FROM_BYTES: usize = 128 * 1024;

/// `f` over `items` in order; on all cores (rayon's pool) when the text (`bytes` long)
/// is large. Lines are independent.
fn parallel_map<T: Send>(items: &[&str], bytes: usize, f: impl Fn(&str) -> T + Sync) -> Vec<T> {
    use rayon::prelude::*;
    if bytes < PARALLEL_FROM_BYTES || rayon::current_num_threads() < 2 {
        return items.iter().map(|s| f(s)).collect();
    }
    items.par_iter().with_min_len(64).map(|s| f(s)).collect()
}

/// Whether two analyses find the same (for tests and the fuzz target: an updated
/// analysis against a fresh one); the difference when they do not.
#[doc(hidden)]
pub fn compare_analyses(updated: &Analysis, fresh: &Analysis) -> Result<(), String> {
    let parts: [(&str, String, String); 5] = [
        (
            "outline",
            format!("{:?}", updated.structure.outline),
            format!("{:?}", fresh.structure.outline),
        ),
        (
            "structure",
            format!(
                "{:?} {:?} {}",
                updated.structure.learned,
                updated.structure.title_date,
                updated.structure.total_chars
            ),
            format!(
                "{:?} {:?} {}",
                fresh.structure.learned, fresh.structure.title_date, fresh.structure.total_chars
            ),
        ),
        (
            "diagnostics",
            format!("{:?}", updated.diagnostics),
            format!("{:?}", fresh.diagnostics),
        ),
        (
            "document diagnostics",
            format!("{:?}", updated.document_diagnostics),
            format!("{:?}", fresh.document_diagnostics),
        ),
        (
            "date",
            format!("{:?} {:?}", updated.date, updated.date_source),
            format!("{:?} {:?}", fresh.date, fresh.date_source),
        ),
    ];
    for (what, a, b) in parts {
        if a != b {
            let at = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
            let around = |s: &str| {
                let (mut from, mut to) = (at.saturating_sub(200), (at + 200).min(s.len()));
                while !s.is_char_boundary(from) {
                    from -= 1;
                }
                while !s.is_char_boundary(to) {
                    to += 1;
                }
                s[from..to].to_string()
            };
            return Err(format!(
                "updated {what} differs from a fresh analysis:\n  updated: …{}…\n  fresh:   …{}…",
                around(&a),
                around(&b)
            ));
        }
    }
    Ok(())
}

/// Analyses a whole text with the built-in knowledge (CLI, tests).
pub fn analyze_text(text: &str) -> Analysis {
    Document::new(text, Knowledge::builtin()).analyze()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((self.0 >> 33) % n.max(1) as u64) as usize
        }
    }

    /// Speeches one after another under their own titles, as in a collection.
    fn collection() -> String {
        let root = env!("CARGO_MANIFEST_DIR");
        let mut out = String::new();
        for (i, f) in [
            "examples/讲话稿示例.txt",
            "tests/fixtures/errors.txt",
            "tests/fixtures/markers.txt",
            "tests/fixtures/central_style.txt",
            "examples/讲话稿示例.txt",
        ]
        .iter()
        .enumerate()
        {
            out.push_str(&format!("第{}篇讲话稿\n", i + 1));
            out.push_str(&std::fs::read_to_string(format!("{root}/{f}")).unwrap());
            out.push('\n');
        }
        out
    }

    /// What edits insert: single characters, line breaks, and the pieces the document
    /// pass turns on (titles with their blocks, markers, announcements, summaries,
    /// definitions, Markdown headings).
    const PIECES: &[&str] = &[
        "字",
        "，",
        "。",
        "、",
        "\n",
        "\r\n",
        "一是",
        "二是",
        "三要",
        "（二）",
        "第三，",
        "首先，",
        "其次，",
        "\n二、主要任务\n",
        "\n关于教育问题\n",
        "\n会议讲话\n——在全市会议上的讲话\n（2024年3月1日）\n同志们：\n",
        "\n会议讲话\n同志们：\n",
        "\n# 第一部分\n",
        "\n## 小节\n",
        "下面，我讲三点意见。",
        "以上三点意见",
        "今年重点抓好四件事：一是抓学习；二是抓宣传。",
        "着眼于“四个结合”，切实把工作落实。一是结合学习。二是结合工作。",
        "不推、不拖、不等、不躲的“四不”态度",
        "政治意识、核心意识、大局意识、看齐意识",
        "xx年",
        "组织开展知识竞赛、",
    ];

    /// After every edit (inserting a piece, deleting a stretch, or both), an updated
    /// analysis equals a fresh one.
    #[test]
    fn updated_analyses_equal_fresh_ones() {
        let (mut in_place, mut steps) = (0, 0);
        for seed in 1..=6u64 {
            let mut rng = Lcg(seed);
            let mut doc = Document::new(&collection(), Knowledge::builtin());
            let mut analysis = doc.analyze();
            for step in 0..120 {
                let lines = doc.lines().len();
                let line = rng.next(lines) as u32;
                let len = doc.line_text(line).chars().count();
                let col = rng.next(len + 1) as u32;
                let (end_line, end_col) = match rng.next(4) {
                    0 => (line, (col as usize + rng.next(6)).min(len) as u32),
                    1 => {
                        let l = (line as usize + rng.next(3)).min(lines - 1) as u32;
                        (l, rng.next(doc.line_text(l).chars().count() + 1) as u32)
                    }
                    _ => (line, col),
                };
                let insert = if rng.next(5) == 0 {
                    ""
                } else {
                    PIECES[rng.next(PIECES.len())]
                };
                let range = ClientRange {
                    start: (line, col),
                    end: (end_line, end_col),
                };
                doc.apply_change(Some(range), insert, Encoding::Utf32);
                steps += 1;
                if doc.try_update(&mut analysis) {
                    in_place += 1;
                } else {
                    analysis = doc.analyze();
                }
                if let Err(e) = compare_analyses(&analysis, &doc.analyze()) {
                    panic!("seed {seed}, step {step}: {range:?} ← {insert:?}: {e}");
                }
            }
        }
        // Most edits are updated in place (the others change a speech's title or date).
        assert!(in_place * 10 >= steps * 8, "{in_place} of {steps} in place");
    }

    /// Edits inside one speech of a collection leave the other speeches' outline and
    /// findings in place: only that speech goes through the document pass again.
    #[test]
    fn an_edit_rebuilds_only_its_speech() {
        let mut doc = Document::new(&collection(), Knowledge::builtin());
        let mut analysis = doc.analyze();
        // Five speeches; the fourth follows a heading-like point (十一、附则), so its title
        // line is prose and the third and fourth speech form one run.
        assert_eq!(analysis.runs.runs.len(), 4, "{:?}", analysis.runs);
        let names: Vec<*const u8> = analysis
            .structure
            .outline
            .nodes
            .iter()
            .map(|n| n.name.as_ptr())
            .collect();
        let line = analysis.runs.runs[2].start + 3;
        doc.apply_change(
            Some(ClientRange {
                start: (line, 0),
                end: (line, 0),
            }),
            "字",
            Encoding::Utf32,
        );
        doc.update(&mut analysis);
        compare_analyses(&analysis, &doc.analyze()).unwrap();
        let runs = &analysis.runs.runs;
        let kept = |k: usize| {
            let from: usize = runs[..k].iter().map(|r| r.parts.nodes).sum();
            (from..from + runs[k].parts.nodes)
                .all(|i| analysis.structure.outline.nodes[i].name.as_ptr() == names[i])
        };
        assert!(kept(0) && kept(1) && kept(3));
        assert!(!kept(2), "the edited speech is rebuilt");
    }

    /// Without an edit, `update` keeps an analysis while the date the draft is judged
    /// at holds, and redoes it when that date changes (a draft without a date of its
    /// own, whose `date` setting changed).
    #[test]
    fn an_undated_draft_may_be_for_the_year_after_today() {
        // `year-mismatch` reports a claim two years or more from today's, only.
        let analyse = |text: &str| {
            let mut doc = Document::new(text, Knowledge::builtin());
            doc.set_date_setting(None);
            let today = doc.judged_date().year;
            let found = doc
                .analyze()
                .diagnostics
                .iter()
                .filter(|d| d.code == "year-mismatch")
                .count();
            (today, found)
        };
        let (today, _) = analyse("");
        let count = |years_after_today: i32| {
            let n = today as i32 + years_after_today - 1949;
            analyse(&format!("　　今年是新中国成立{n}周年。")).1
        };
        assert_eq!((count(0), count(1), count(-1)), (0, 0, 0));
        assert_eq!((count(2), count(-3)), (1, 1));
    }

    #[test]
    fn update_follows_the_date_setting() {
        let text = format!("坚定三个自信。\n{}", collection());
        let mut doc = Document::new(&text, Knowledge::builtin());
        let superseded = |a: &Analysis| {
            a.diagnostics
                .iter()
                .any(|d| d.code == "superseded-formula" && d.span.start.line == 0)
        };
        let mut analysis = doc.analyze();
        assert_eq!(analysis.date_source, Some(DateSource::Today));
        assert!(superseded(&analysis));
        let kept = analysis.diagnostics.as_ptr();
        doc.update(&mut analysis);
        assert_eq!(analysis.diagnostics.as_ptr(), kept, "nothing changed");
        for (setting, expected) in [(Some(Date::new(2012, 6, 1)), false), (None, true)] {
            doc.set_date_setting(setting);
            doc.update(&mut analysis);
            compare_analyses(&analysis, &doc.analyze()).unwrap();
            assert_eq!(superseded(&analysis), expected, "{setting:?}");
        }
    }

    fn facts_equal(a: &LineFacts, b: &LineFacts) -> bool {
        format!("{a:?}") == format!("{b:?}")
    }

    #[test]
    fn incremental_edits_keep_the_cache_equal_to_a_fresh_analysis() {
        let kb = Knowledge::builtin();
        let mut doc = Document::new("一要统一思想。\r\n二要强化责任。一是知责。\n\n𠮷三要", kb);
        type Edit<'a> = ((u32, u32), (u32, u32), &'a str);
        let edits: &[Edit] = &[
            ((0, 2), (0, 4), "提高认识"),
            ((1, 0), (2, 0), ""),
            ((0, 7), (0, 7), "\n（一）加强\r领导。\r\n"),
            ((3, 2), (9, 0), "四要"),
            ((0, 0), (0, 0), "\r"),
        ];
        for &(s, e, t) in edits {
            doc.apply_change(Some(ClientRange { start: s, end: e }), t, Encoding::Utf16);
            let fresh = doc.fresh_lines();
            assert_eq!(doc.facts.len(), fresh.len());
            for (a, b) in doc.facts.iter().zip(&fresh) {
                assert!(facts_equal(a, b));
            }
        }
    }
}
