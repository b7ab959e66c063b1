//! The skeleton of a speech: headings (Markdown `#`, title lines with their title block),
//! numbered points, and the lists the points form, as writers build them.
//!
//! A list is a first-class thing: its items, the node it belongs to, and its
//! introducer (“今年重点抓好四件事：”). The rules that place a marker:
//! - A marker numbered 1 (一是, （一）, 1., 第一, 首先, 一方面) always starts a new list.
//!   Inline, right after a colon inside a point's own paragraph, the list nests in that
//!   point (“一是高考成绩……有四项指标列全省第一：一是……”). When the innermost open point
//!   is of the same style, the new list is its sibling (a new run after prose), unless
//!   that point is a heading-like line and the new one a body paragraph, or the new
//!   one is indented deeper. Otherwise it nests in the innermost open point, so the
//!   first style met under a point is its child level.
//! - A higher number continues the open list that expects it, the innermost first; a
//!   closing “以上四点……” ends the list it sums up, so what follows belongs to the
//!   level above.
//! - Only what is certainly wrong within one list is a numbering problem: a skip, a
//!   repeated number, a number that goes back, a mixed ordinal series.

use super::line::{LineFacts, LineKind, LineView};
use super::markers::{Family, MarkerHit, MarkerPunct};
use crate::text::{Edit, Pos, Span};
use serde::Serialize;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum NodeKind {
    Heading {
        level: u8,
    },
    Point {
        family: Family,
        number: u32,
        inline: bool,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct Node {
    pub kind: NodeKind,
    /// Marker + headline (or the title): the headline up to the end of its first
    /// sentence, up to `NAME_MAX` characters.
    pub name: String,
    /// The marker (for a heading: the heading text).
    pub marker: Span,
    /// The part of the marker that carries the number (for renumbering).
    #[serde(skip)]
    pub number_span: Span,
    #[serde(skip)]
    pub punct: MarkerPunct,
    #[serde(skip)]
    pub punct_span: Span,
    /// The headline (selection range).
    pub headline: Span,
    /// The whole section.
    pub range: Span,
    #[serde(skip)]
    pub parent: Option<usize>,
    #[serde(skip)]
    pub children: Vec<usize>,
    /// The list a point belongs to (None for headings).
    #[serde(skip)]
    pub list: Option<usize>,
    /// 字数 of the section.
    pub chars: u32,
    /// 字数 on the first line before the node starts, and on the last line before the
    /// section ends (None: the section ends with its last line).
    #[serde(skip)]
    start_counted: u32,
    #[serde(skip)]
    end_counted: Option<u32>,
    /// Where a closing paragraph (以上四点……) ended the section, if one did.
    #[serde(skip)]
    closed_at: Option<Pos>,
    /// A heading inside a speech's body (an unnumbered subheading): it nests in the
    /// point it stands in and does not stop that point's list from continuing.
    #[serde(skip)]
    soft: bool,
}

impl Node {
    pub fn family(&self) -> Option<Family> {
        match self.kind {
            NodeKind::Point { family, .. } => Some(family),
            NodeKind::Heading { .. } => None,
        }
    }
    pub fn number(&self) -> u32 {
        match self.kind {
            NodeKind::Point { number, .. } => number,
            NodeKind::Heading { .. } => 0,
        }
    }
    pub fn is_inline(&self) -> bool {
        matches!(self.kind, NodeKind::Point { inline: true, .. })
    }
    pub fn is_heading(&self) -> bool {
        matches!(self.kind, NodeKind::Heading { .. })
    }
}

/// A run of points that count together: 一是、二是、三是, or （一）…（四） across
/// paragraphs.
#[derive(Debug, Clone, Serialize)]
pub struct List {
    /// The style of its first item (a mixed ordinal series keeps its opening style).
    pub family: Family,
    /// Its points, in order.
    pub items: Vec<usize>,
    /// The node it belongs to (None: the top level).
    pub parent: Option<usize>,
    /// The text that introduces it: the clause before an inline first item, or the
    /// paragraph before a first item that opens a paragraph, when it ends with a colon.
    pub introducer: Option<Span>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NumberingProblem {
    /// Numbers were skipped: `expected` is the first missing one.
    Gap {
        expected: u32,
    },
    Duplicate {
        expected: u32,
    },
    Order {
        expected: u32,
    },
    /// 首先 … 第二: `open` is the series the list started with.
    Mixed {
        open: Family,
        expected: u32,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct NumberingIssue {
    pub node: usize,
    pub problem: NumberingProblem,
}

/// The lines under a title that belong to it: subtitle, speaker, date.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TitleBlock {
    /// The heading node of the title.
    pub heading: usize,
    /// The non-blank lines of the block after the title line.
    pub lines: Vec<u32>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Outline {
    pub nodes: Vec<Node>,
    pub roots: Vec<usize>,
    pub lists: Vec<List>,
    pub issues: Vec<NumberingIssue>,
    pub title_blocks: Vec<TitleBlock>,
}

impl Outline {
    pub fn children_of(&self, parent: Option<usize>) -> &[usize] {
        match parent {
            Some(p) => &self.nodes[p].children,
            None => &self.roots,
        }
    }

    /// The points of the list `node` belongs to (the node alone for a heading).
    pub fn list_of(&self, node: usize) -> Vec<usize> {
        match self.nodes[node].list {
            Some(l) => self.lists[l].items.clone(),
            None => vec![node],
        }
    }

    /// The first node that starts at or after `pos` (nodes are in document order).
    pub fn first_after(&self, pos: Pos) -> Option<usize> {
        let i = self.nodes.partition_point(|n| n.marker.start < pos);
        (i < self.nodes.len()).then_some(i)
    }

    /// The first list whose first item starts at or after `pos`.
    pub fn first_list_after(&self, pos: Pos) -> Option<usize> {
        let node = self.first_after(pos)?;
        (node..self.nodes.len())
            .filter_map(|n| self.nodes[n].list)
            .find(|&l| self.nodes[self.lists[l].items[0]].marker.start >= pos)
    }

    /// The deepest node whose section contains `pos`.
    pub fn innermost_at(&self, pos: Pos) -> Option<usize> {
        let mut best = None;
        let mut level = self.roots.as_slice();
        while let Some(&n) = level.iter().find(|&&n| self.nodes[n].range.contains(pos)) {
            best = Some(n);
            level = &self.nodes[n].children;
        }
        best
    }

    /// Nodes from the root to `node`, for “第二 › （三）”.
    pub fn path(&self, node: usize) -> Vec<usize> {
        let mut path = vec![node];
        let mut cur = node;
        while let Some(p) = self.nodes[cur].parent {
            path.push(p);
            cur = p;
        }
        path.reverse();
        path
    }

    /// Edits that renumber the list `node` belongs to, from `node` on, starting at
    /// `first`, in the style the list started with. 首先 and 一方面 series are not
    /// renumbered.
    pub fn renumber_edits(&self, node: usize, first: u32) -> Vec<Edit> {
        let Some(list) = self.nodes[node].list.map(|l| &self.lists[l]) else {
            return Vec::new();
        };
        if matches!(list.family, Family::Shouxian | Family::Fangmian) {
            return Vec::new();
        }
        list.items
            .iter()
            .skip_while(|&&n| n != node)
            .zip(first..)
            .filter(|(&n, number)| {
                self.nodes[n].number() != *number || self.nodes[n].family() != Some(list.family)
            })
            .map(|(&n, number)| Edit {
                span: self.nodes[n].number_span,
                new_text: list.family.label(number),
            })
            .collect()
    }
}

/// How many of each part of an outline a run of lines has (see `Outline::splice`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Parts {
    pub nodes: usize,
    pub lists: usize,
    pub issues: usize,
    pub title_blocks: usize,
    pub roots: usize,
}

impl Parts {
    pub fn plus(self, o: Parts) -> Parts {
        Parts {
            nodes: self.nodes + o.nodes,
            lists: self.lists + o.lists,
            issues: self.issues + o.issues,
            title_blocks: self.title_blocks + o.title_blocks,
            roots: self.roots + o.roots,
        }
    }
}

fn moved(p: Pos, lines: i64) -> Pos {
    Pos::new((p.line as i64 + lines).max(0) as u32, p.col)
}

fn moved_span(s: Span, lines: i64) -> Span {
    Span::new(moved(s.start, lines), moved(s.end, lines))
}

impl Node {
    /// The node with its lines moved and its indices shifted (nodes by `nodes`, lists by
    /// `lists`).
    fn shift(&mut self, lines: i64, nodes: usize, lists: usize) {
        if lines != 0 {
            for span in [
                &mut self.marker,
                &mut self.number_span,
                &mut self.punct_span,
                &mut self.headline,
                &mut self.range,
            ] {
                *span = moved_span(*span, lines);
            }
            self.closed_at = self.closed_at.map(|p| moved(p, lines));
        }
        if nodes != 0 {
            self.parent = self.parent.map(|p| p + nodes);
            for c in &mut self.children {
                *c += nodes;
            }
        }
        self.list = self.list.map(|l| l + lists);
    }
}

impl Outline {
    /// The parts of the outline that belong to each run of lines, for runs beginning at
    /// `starts` (ascending, the first 0) where the pass starts afresh; None when a part
    /// refers across runs or the parts are not in the runs' order (never for such runs;
    /// checked because `splice` relies on it).
    pub fn parts_by_run(&self, starts: &[u32]) -> Option<Vec<Parts>> {
        let run_of_line = |line: u32| starts.partition_point(|&s| s <= line).saturating_sub(1);
        let node_run: Vec<usize> = self
            .nodes
            .iter()
            .map(|n| run_of_line(n.marker.start.line))
            .collect();
        let mut out = vec![Parts::default(); starts.len().max(1)];
        let mut count = |runs: &mut dyn Iterator<Item = usize>,
                         field: fn(&mut Parts) -> &mut usize| {
            let mut last = 0;
            for r in runs {
                if r < last {
                    return false;
                }
                last = r;
                *field(&mut out[r]) += 1;
            }
            true
        };
        let same_run = self.nodes.iter().enumerate().all(|(i, n)| {
            n.parent.is_none_or(|p| node_run[p] == node_run[i])
                && n.children.iter().all(|&c| node_run[c] == node_run[i])
        }) && self.lists.iter().all(|l| {
            let r = node_run[l.items[0]];
            l.items.iter().all(|&n| node_run[n] == r) && l.parent.is_none_or(|p| node_run[p] == r)
        });
        let ok = same_run
            && count(&mut node_run.iter().copied(), |p| &mut p.nodes)
            && count(&mut self.lists.iter().map(|l| node_run[l.items[0]]), |p| {
                &mut p.lists
            })
            && count(&mut self.issues.iter().map(|i| node_run[i.node]), |p| {
                &mut p.issues
            })
            && count(
                &mut self.title_blocks.iter().map(|t| node_run[t.heading]),
                |p| &mut p.title_blocks,
            )
            && count(&mut self.roots.iter().map(|&r| node_run[r]), |p| {
                &mut p.roots
            });
        ok.then_some(out)
    }

    /// Replaces the parts `old` that begin at `at` by `new`, the outline of the same run
    /// of lines after an edit, built on its own (lines from 0, see `build_segment`): its
    /// lines are moved to begin at `first_line`, and the parts after it follow by the
    /// differences in count and by `line_delta` lines.
    pub fn splice(
        &mut self,
        at: Parts,
        old: Parts,
        mut new: Outline,
        first_line: u32,
        line_delta: i64,
    ) {
        let first = first_line as i64;
        for n in &mut new.nodes {
            n.shift(first, at.nodes, at.lists);
        }
        for l in &mut new.lists {
            shift_list(l, first, at.nodes);
        }
        for i in &mut new.issues {
            i.node += at.nodes;
        }
        for t in &mut new.title_blocks {
            shift_title_block(t, first, at.nodes);
        }
        for r in &mut new.roots {
            *r += at.nodes;
        }
        let added = new.counts();
        let nodes_delta = added.nodes as i64 - old.nodes as i64;
        let lists_delta = added.lists as i64 - old.lists as i64;
        self.nodes.splice(at.nodes..at.nodes + old.nodes, new.nodes);
        self.lists.splice(at.lists..at.lists + old.lists, new.lists);
        self.issues
            .splice(at.issues..at.issues + old.issues, new.issues);
        self.title_blocks.splice(
            at.title_blocks..at.title_blocks + old.title_blocks,
            new.title_blocks,
        );
        self.roots.splice(at.roots..at.roots + old.roots, new.roots);
        if nodes_delta == 0 && lists_delta == 0 && line_delta == 0 {
            return;
        }
        // What follows: indices and lines move (wrapping adds of a negative delta).
        let dn = nodes_delta as usize;
        let dl = lists_delta as usize;
        let after = at.plus(added);
        for n in &mut self.nodes[after.nodes..] {
            if line_delta != 0 {
                n.shift(line_delta, 0, 0);
            }
            n.parent = n.parent.map(|p| p.wrapping_add(dn));
            for c in &mut n.children {
                *c = c.wrapping_add(dn);
            }
            n.list = n.list.map(|l| l.wrapping_add(dl));
        }
        for l in &mut self.lists[after.lists..] {
            shift_list(l, line_delta, dn);
        }
        for i in &mut self.issues[after.issues..] {
            i.node = i.node.wrapping_add(dn);
        }
        for t in &mut self.title_blocks[after.title_blocks..] {
            shift_title_block(t, line_delta, dn);
        }
        for r in &mut self.roots[after.roots..] {
            *r = r.wrapping_add(dn);
        }
    }

    /// How many of each part the outline has.
    pub fn counts(&self) -> Parts {
        Parts {
            nodes: self.nodes.len(),
            lists: self.lists.len(),
            issues: self.issues.len(),
            title_blocks: self.title_blocks.len(),
            roots: self.roots.len(),
        }
    }
}

fn shift_list(l: &mut List, lines: i64, nodes: usize) {
    for n in &mut l.items {
        *n = n.wrapping_add(nodes);
    }
    l.parent = l.parent.map(|p| p.wrapping_add(nodes));
    l.introducer = l.introducer.map(|s| moved_span(s, lines));
}

fn shift_title_block(t: &mut TitleBlock, lines: i64, nodes: usize) {
    t.heading = t.heading.wrapping_add(nodes);
    for l in &mut t.lines {
        *l = (*l as i64 + lines).max(0) as u32;
    }
}

/// Shortens a headline for display.
pub fn shorten(s: &str, max: usize) -> String {
    let trimmed = s.trim();
    if trimmed.chars().count() <= max {
        trimmed.to_string()
    } else {
        let mut out: String = trimmed.chars().take(max).collect();
        out.push('…');
        out
    }
}

/// Outline names keep the headline to the end of its first sentence, up to this many
/// characters; editors elide long names themselves.
pub const NAME_MAX: usize = 60;

/// How a marker stands in its paragraph.
#[derive(Debug, Clone, Copy)]
struct Place {
    line: u32,
    /// The marker opens the paragraph.
    opens_paragraph: bool,
    /// An inline marker right after a colon (“……如下：一是”).
    after_colon: bool,
    /// An inline marker right after a comma (“一是……，二是”): it may only continue the
    /// run it is in.
    after_comma: bool,
    /// The paragraph reads as a heading: short, without sentence punctuation at its end.
    heading_like: bool,
    indent: u32,
}

struct Builder<'a> {
    lines: &'a [Arc<LineFacts>],
    /// The lines built are `lines[..stop]`; those after are another run's.
    stop: usize,
    line_text: &'a dyn Fn(u32) -> String,
    outline: Outline,
    /// Open nodes, outermost first: the path to the last node placed.
    stack: Vec<usize>,
    /// The names of the titles that have a title block (speeches begun so far): before
    /// the lines built, and among them.
    earlier_titles: &'a std::collections::HashSet<String>,
    title_names: std::collections::HashSet<String>,
    /// The lines whose title was looked up among the earlier titles, with the name.
    queried: Vec<(u32, String)>,
    /// The line whose markers are being placed.
    line: u32,
}

/// How many lines a 首先 paragraph's second point is looked for in (see
/// `Builder::series_follows`): a long first section under 首先 is some dozens.
const SERIES_LOOKAHEAD: usize = 400;

/// A list a marker could continue: its stack position, the list, and the number it
/// expects next.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    depth: usize,
    list: usize,
    expected: u32,
    mixed: bool,
}

impl Builder<'_> {
    fn add(&mut self, node: Node) -> usize {
        let id = self.outline.nodes.len();
        let parent = node.parent;
        self.outline.nodes.push(node);
        match parent {
            Some(p) => self.outline.nodes[p].children.push(id),
            None => self.outline.roots.push(id),
        }
        id
    }

    /// Stack index just above the innermost heading that is not a subheading (points are
    /// searched above it).
    fn barrier(&self) -> usize {
        self.stack
            .iter()
            .rposition(|&n| self.outline.nodes[n].is_heading() && !self.outline.nodes[n].soft)
            .map(|i| i + 1)
            .unwrap_or(0)
    }

    fn heading(&mut self, level: u8, line: u32, text: &str, col: u32, end_col: u32) {
        while let Some(&top) = self.stack.last() {
            match self.outline.nodes[top].kind {
                NodeKind::Heading { level: l } if l < level && !self.outline.nodes[top].soft => {
                    break
                }
                _ => {
                    self.stack.pop();
                }
            }
        }
        self.heading_at(level, line, text, col, end_col, false);
    }

    fn heading_at(&mut self, level: u8, line: u32, text: &str, col: u32, end_col: u32, soft: bool) {
        let span = Span::on_line(line, col, end_col);
        self.add(Node {
            kind: NodeKind::Heading { level },
            name: shorten(text, NAME_MAX),
            marker: span,
            number_span: span,
            punct: MarkerPunct::Standard,
            punct_span: span,
            headline: span,
            range: span,
            parent: self.stack.last().copied(),
            children: Vec::new(),
            list: None,
            chars: 0,
            start_counted: 0,
            end_counted: None,
            closed_at: None,
            soft,
        });
        self.stack.push(self.outline.nodes.len() - 1);
    }

    /// A title line inside a speech's body: a subheading. It replaces a subheading
    /// that has nothing open under it, nests in a heading-like point (一、关于……), and
    /// after body points of a list that an earlier subheading holds it closes that
    /// list and replaces the earlier subheading.
    fn subheading(&mut self, line: u32, text: &str, col: u32, end_col: u32) {
        let barrier = self.barrier();
        while self.stack.len() > barrier
            && self.outline.nodes[*self.stack.last().unwrap()].is_inline()
        {
            self.stack.pop();
        }
        if let Some(&top) = self.stack.last().filter(|_| self.stack.len() > barrier) {
            let node = &self.outline.nodes[top];
            if node.soft {
                self.stack.pop();
            } else if let Some(list) = node.list {
                let line = node.marker.start.line as usize;
                let held_by = self.outline.lists[list].parent;
                if !heading_like(&self.lines[line])
                    && held_by.is_some_and(|p| self.outline.nodes[p].soft)
                {
                    let k = self.stack.iter().position(|&n| Some(n) == held_by).unwrap();
                    self.stack.truncate(k);
                }
            }
        }
        let level = self
            .stack
            .iter()
            .filter_map(|&n| match self.outline.nodes[n].kind {
                NodeKind::Heading { level } => Some(level),
                _ => None,
            })
            .max()
            .unwrap_or(0)
            .saturating_add(1);
        self.heading_at(level, line, text, col, end_col, true);
    }

    /// Whether a title line starts a new speech (or the first one) rather than a
    /// subheading: no title is open yet, a title block or salutation follows it, or it
    /// repeats the title of an earlier speech.
    fn is_hard_title(&mut self, lines: &[Arc<LineFacts>], i: usize, text: &str) -> bool {
        let open_title = self
            .stack
            .iter()
            .any(|&n| self.outline.nodes[n].is_heading() && !self.outline.nodes[n].soft);
        if !open_title {
            return true;
        }
        if block_follows(lines, i) {
            return true;
        }
        let name = shorten(text, NAME_MAX);
        let repeated = self.title_names.contains(&name) || self.earlier_titles.contains(&name);
        self.queried.push((i as u32, name));
        repeated
    }

    /// Open lists that a marker of `hit`'s style and number could continue, innermost
    /// first.
    fn candidates(&self, hit: &MarkerHit) -> Vec<Candidate> {
        let mut out = Vec::new();
        for depth in (self.barrier()..self.stack.len()).rev() {
            let node = &self.outline.nodes[self.stack[depth]];
            let (Some(family), Some(list)) = (node.family(), node.list) else {
                continue;
            };
            let open = self.outline.lists[list].family;
            let same = family == hit.family || open == hit.family;
            // 一要 and 二是 mix as paragraphs' first words. Inline, a 二是 after 一要
            // opens a run of its own (一要……。二是……, a run whose 一是 is missing), but
            // once two points are spelled alike, the next number goes on with them
            // (一要……二要……三是……): no run starts at 三.
            let both_inline = hit.inline && node.is_inline() && node.marker.start.line == self.line;
            let spellings = open.is_shi_or_yao()
                && hit.family.is_shi_or_yao()
                && (!hit.inline && !node.is_inline()
                    || both_inline && goes_on_spelled_otherwise(open, node.number(), hit));
            let mixed = !same
                && (open.is_ordinal() && hit.family.is_ordinal() || spellings)
                && hit.number >= 2;
            if !same && !mixed {
                continue;
            }
            // 最后 ends a 首先 series of any length; nothing continues after it.
            if node.number() == 0 {
                continue;
            }
            out.push(Candidate {
                depth,
                list,
                expected: node.number() + 1,
                mixed,
            });
        }
        out
    }

    /// A number-led paragraph (20.2026年10件民生实事 after 19.): a point only as the
    /// number an open list of its style expects next.
    fn expected_point(&mut self, hit: &MarkerHit, place: Place) {
        let fits = |c: &Candidate| {
            c.expected == hit.number && !c.mixed && self.outline.lists[c.list].family == hit.family
        };
        if let Some(c) = self.candidates(hit).into_iter().find(fits) {
            self.continue_list(c, hit, place, None);
        }
    }

    /// Places a marker; returns false when it is not taken as a point.
    fn point(&mut self, hit: &MarkerHit, place: Place) -> bool {
        if place.after_comma {
            return self.continue_run_after_comma(hit, place);
        }
        if hit.number == 1 && !self.series_follows(hit, place.line) {
            return false;
        }
        let continuing_only = matches!(
            (hit.family, hit.number),
            (Family::Shouxian, 0 | 2 | 3) | (Family::Fangmian, 2)
        );
        if hit.number == 1 && !continuing_only {
            if let Some(c) = self.paired_one(hit, place) {
                // “一是……；一是……”: each item of this older style opens with 一.
                self.continue_list(c, hit, place, None);
            } else if let Some(c) = self.repeated_one(hit, place) {
                let problem = NumberingProblem::Duplicate { expected: 2 };
                self.continue_list(c, hit, place, Some(problem));
            } else {
                self.start_list(hit, place, None);
            }
            return true;
        }
        let candidates = self.candidates(hit);
        // The run of this paragraph that expects the marker; else a list of the
        // marker's own style before one it would mix with (第三 after 第一、第二 goes on
        // from them, not from a 首先、第二 of an earlier paragraph nested since); and of
        // those, for a point that opens a paragraph, a list of such points before a
        // run inside the last one's paragraph (三是……：一是……三是……。 / 四是……).
        let expects = |c: &&Candidate| {
            c.expected == hit.number || (hit.number == 0 && hit.family == Family::Shouxian)
        };
        let on_this_line = |c: &&Candidate| self.last_point(c).marker.start.line == place.line;
        let own_style = |c: &&Candidate| self.outline.lists[c.list].family == hit.family;
        let same_placement =
            |c: &&Candidate| !place.opens_paragraph || !self.last_point(c).is_inline();
        let exact = candidates
            .iter()
            .filter(expects)
            .find(on_this_line)
            .or_else(|| {
                let own = candidates.iter().filter(expects).filter(own_style);
                own.clone()
                    .find(same_placement)
                    .or_else(|| own.clone().next())
            })
            .or_else(|| candidates.iter().find(expects));
        if let Some(inner) = exact.and_then(|&c| self.skip_in_this_run(&candidates, c, hit, place))
        {
            let problem = (!self.back_on_track(inner.list, hit)).then_some(NumberingProblem::Gap {
                expected: inner.expected,
            });
            self.continue_list(inner, hit, place, problem);
            return true;
        }
        if let Some(&c) = exact {
            let problem = c.mixed.then(|| NumberingProblem::Mixed {
                open: self.outline.lists[c.list].family,
                expected: c.expected,
            });
            self.continue_list(c, hit, place, problem);
            return true;
        }
        if continuing_only {
            return false;
        }
        // A skip: the list that expects the nearest lower number. Inline markers only
        // skip within the run they are in.
        let gap = candidates
            .iter()
            .filter(|c| c.expected < hit.number && !c.mixed)
            .filter(|c| place.opens_paragraph || c.depth + 1 == self.stack.len())
            .min_by_key(|c| (hit.number - c.expected, std::cmp::Reverse(c.depth)))
            .copied();
        if let Some(c) = gap {
            // 一、二、二、四 or 一、三、二、四: once a number was repeated or went back, a
            // number that fits the point's place in the list is no new problem.
            let problem = (!self.back_on_track(c.list, hit)).then_some(NumberingProblem::Gap {
                expected: c.expected,
            });
            self.continue_list(c, hit, place, problem);
            return true;
        }
        if let Some(problem) = self.backwards(hit, place, &candidates) {
            let c = candidates[0];
            self.continue_list(c, hit, place, Some(problem));
            return true;
        }
        if !place.opens_paragraph {
            // A run after a colon that starts at 2 (如下：二是……；三是……): its first
            // point is missing.
            if place.after_colon
                && hit.number == 2
                && candidates.is_empty()
                && self.next_inline_follows(hit, place.line)
            {
                self.start_list(hit, place, Some(NumberingProblem::Gap { expected: 1 }));
                return true;
            }
            return false;
        }
        // A list that does not start at 1, with nothing open to continue, unless it goes
        // on from the same style's list in the section before (（一）（二） under 一、,
        // （三） under 二、: plans and reports number through the whole document).
        let missing = (candidates.is_empty() && !self.continues_earlier_list(hit, place.line))
            .then_some(NumberingProblem::Gap { expected: 1 });
        self.start_list(hit, place, missing);
        true
    }

    /// The last point placed in a candidate's list (the open node at its depth).
    fn last_point(&self, c: &Candidate) -> &Node {
        &self.outline.nodes[self.stack[c.depth]]
    }

    /// An inline marker that skips a number of the run it is in (一是……二是……四是……, in
    /// one paragraph), rather than going on from a list further out that expects its
    /// number (the 一是、二是、三是 of earlier paragraphs, under whose 三是 the run
    /// stands): the innermost run, when its last point is on this line and `exact`'s
    /// is not. A list further out whose last point is on this line too (……三是……：
    /// 一是……二是……。四是……) is the one it goes on from.
    fn skip_in_this_run(
        &self,
        candidates: &[Candidate],
        exact: Candidate,
        hit: &MarkerHit,
        place: Place,
    ) -> Option<Candidate> {
        if place.opens_paragraph {
            return None;
        }
        let line_of = |c: &Candidate| self.last_point(c).marker.start.line;
        let inner = *candidates.first()?;
        (inner.depth > exact.depth
            && inner.expected < hit.number
            && !inner.mixed
            && line_of(&inner) == place.line
            && line_of(&exact) != place.line)
            .then_some(inner)
    }

    /// “一是……，二是……”: a marker after a comma continues the innermost run, in the same
    /// paragraph, with the next number; anything else after a comma is prose, except a
    /// 是 or 要 point one number ahead (一是……，二是……，四是……): a skipped point, as
    /// nothing but a run's point opens a clause with 四是.
    fn continue_run_after_comma(&mut self, hit: &MarkerHit, place: Place) -> bool {
        let Some(&top) = self.stack.last() else {
            return self.start_after_comma(hit, place);
        };
        let node = &self.outline.nodes[top];
        let (Some(list), true) = (node.list, node.marker.start.line == place.line) else {
            return self.start_after_comma(hit, place);
        };
        let next = node.number() + 1;
        let spoken = matches!(hit.family, Family::Shi | Family::Yao);
        let skips_one = hit.number == next + 1 && spoken;
        // 一是……，二是……，二是……: a number typed again (一是 may repeat in an older
        // style, see `paired_one`).
        let repeats = hit.number + 1 == next && hit.number >= 2 && spoken;
        let open = self.outline.lists[list].family;
        let mixed = goes_on_spelled_otherwise(open, node.number(), hit);
        let same = node.family() == Some(hit.family);
        if !(same || mixed) || hit.number != next && !skips_one && !repeats {
            return self.start_after_comma(hit, place);
        }
        let c = Candidate {
            depth: self.stack.len() - 1,
            list,
            expected: next,
            mixed,
        };
        let problem = if mixed {
            Some(NumberingProblem::Mixed {
                open,
                expected: next,
            })
        } else if repeats {
            Some(NumberingProblem::Duplicate { expected: next })
        } else {
            skips_one.then_some(NumberingProblem::Gap { expected: next })
        };
        self.continue_list(c, hit, place, problem);
        true
    }

    /// “他提出四点要求，一是……”: a first item after a comma that continues nothing
    /// starts a run of its own. 首先 after a comma is an adverb (我们，首先，要……) unless
    /// a second point follows in the paragraph (……，首先，……。第二，……).
    fn start_after_comma(&mut self, hit: &MarkerHit, place: Place) -> bool {
        let series = match hit.family {
            Family::Fangmian => false,
            Family::Shouxian => self.lines[place.line as usize]
                .inline_markers
                .iter()
                .any(|m| m.start > hit.start && m.number == 2 && m.family.is_ordinal()),
            _ => true,
        };
        if hit.number != 1 || !series {
            return false;
        }
        self.start_list(hit, place, None);
        true
    }

    /// For a 首先 in paragraph `line` (opening it, or after a sentence's end): whether a
    /// second point follows (其次, 再次, 最后 or 第二) in this paragraph or a later one, before a new 首先, a 一、
    /// section or the end of the run. Without one it is an adverb that opens a
    /// speech's courtesies (首先，请允许我代表……), not a list of one under which the
    /// speech's sections would nest. Other styles are always points (一方面 has its
    /// 另一方面 after a comma, where no marker is looked for).
    /// Whether the next inline marker of `hit`'s family on its line goes on from it.
    fn next_inline_follows(&self, hit: &MarkerHit, line: u32) -> bool {
        self.lines[line as usize]
            .inline_markers
            .iter()
            .find(|m| m.start > hit.start && m.family == hit.family)
            .is_some_and(|m| m.number == hit.number + 1)
    }

    fn series_follows(&self, hit: &MarkerHit, line: u32) -> bool {
        if hit.family != Family::Shouxian {
            return true;
        }
        let continues = |m: &MarkerHit| {
            m.family == Family::Shouxian && m.number != 1 || m.family.is_ordinal() && m.number == 2
        };
        let restarts = |m: &MarkerHit| {
            m.family == Family::Shouxian && m.number == 1 || m.family == Family::HanDun
        };
        let first = line as usize;
        let run_end = self.stop.min(self.lines.len());
        let end = run_end.min(first + SERIES_LOOKAHEAD);
        for (j, f) in self.lines[first..end].iter().enumerate() {
            if j > 0 && matches!(f.kind(), LineKind::MdHeading(_)) {
                return false;
            }
            let own = if j == 0 {
                None
            } else {
                f.start_marker.as_ref()
            };
            let later = f
                .inline_markers
                .iter()
                .filter(|m| j > 0 || m.start > hit.start);
            for m in own.into_iter().chain(later) {
                if continues(m) {
                    return true;
                }
                if restarts(m) {
                    return false;
                }
            }
        }
        // Not looked at to the end: taken for a series, as any first point is.
        end < run_end
    }

    /// The run an inline 一是 continues in the older “一是……；一是……” style: the
    /// innermost point is an inline 一 of the same style in the same paragraph, and the
    /// marker does not follow a colon (which would open a nested list).
    fn paired_one(&self, hit: &MarkerHit, place: Place) -> Option<Candidate> {
        if place.opens_paragraph || place.after_colon {
            return None;
        }
        let depth = self.stack.len().checked_sub(1)?;
        let node = &self.outline.nodes[self.stack[depth]];
        let list = node.list?;
        let all_ones = self.outline.lists[list]
            .items
            .iter()
            .all(|&n| self.outline.nodes[n].number() == 1);
        (node.is_inline()
            && node.family() == Some(hit.family)
            && node.marker.start.line == place.line
            && all_ones)
            .then_some(Candidate {
                depth,
                list,
                expected: 2,
                mixed: false,
            })
    }

    /// A second 1 right after a list's lone first point, in a paragraph that looks like
    /// it (第一，……\n第一，……\n第三，……): the same number typed twice, not a new list.
    fn repeated_one(&self, hit: &MarkerHit, place: Place) -> Option<Candidate> {
        if !place.opens_paragraph {
            return None;
        }
        let c = *self.candidates(hit).first().filter(|c| !c.mixed)?;
        let last = self.last_point(&c);
        let last_line = &self.lines[last.marker.start.line as usize];
        let alike = !last.is_inline()
            && heading_like(last_line) == place.heading_like
            && last_line.indent == place.indent;
        let lone = self.outline.lists[c.list].items.len() == 1 && last.number() == 1;
        let innermost = c.depth + 1 == self.stack.len() || self.is_innermost_point(c.depth);
        (alike && lone && innermost).then_some(c)
    }

    /// Whether the list's last point was reported as repeated or going back and `hit`
    /// carries the number of its place in the list.
    fn back_on_track(&self, list: usize, hit: &MarkerHit) -> bool {
        let items = &self.outline.lists[list].items;
        let last_reported = self.outline.issues.last().is_some_and(|i| {
            Some(&i.node) == items.last()
                && matches!(
                    i.problem,
                    NumberingProblem::Duplicate { .. } | NumberingProblem::Order { .. }
                )
        });
        last_reported && hit.number as usize == items.len() + 1
    }

    /// A number that goes back in the innermost same-style list: the last number
    /// repeated, or a number skipped earlier and given now (一、三、二).
    fn backwards(
        &self,
        hit: &MarkerHit,
        place: Place,
        candidates: &[Candidate],
    ) -> Option<NumberingProblem> {
        let c = candidates.first().filter(|c| !c.mixed)?;
        // The list is the innermost one, or its points look like this one (both
        // heading-like, same indentation): a deeper list of the same style would have
        // started at 1.
        let last = self.last_point(c);
        // A marker inside a paragraph goes back only within a run of that paragraph: a
        // run of an earlier paragraph (……三是抓阵地。) is not what a 三是 further on, in
        // a run of its own (首先……二是……三是……), repeats.
        if !place.opens_paragraph && last.marker.start.line != place.line {
            return None;
        }
        let last_line = &self.lines[last.marker.start.line as usize];
        let alike = place.opens_paragraph
            && !last.is_inline()
            && heading_like(last_line) == place.heading_like
            && last_line.indent == place.indent;
        if c.depth + 1 != self.stack.len() && !self.is_innermost_point(c.depth) && !alike {
            return None;
        }
        let used: Vec<u32> = self.outline.lists[c.list]
            .items
            .iter()
            .map(|&n| self.outline.nodes[n].number())
            .collect();
        if used.last() == Some(&hit.number) {
            Some(NumberingProblem::Duplicate {
                expected: c.expected,
            })
        } else if !used.contains(&hit.number) {
            Some(NumberingProblem::Order {
                expected: c.expected,
            })
        } else {
            None
        }
    }

    /// Whether the point at `depth` is the innermost open point (only inline points of
    /// other lists lie above it).
    fn is_innermost_point(&self, depth: usize) -> bool {
        self.stack[depth + 1..]
            .iter()
            .all(|&n| self.outline.nodes[n].is_inline())
    }

    fn continue_list(
        &mut self,
        c: Candidate,
        hit: &MarkerHit,
        place: Place,
        problem: Option<NumberingProblem>,
    ) {
        self.stack.truncate(c.depth);
        let id = self.push_point(hit, place, c.list);
        self.outline.lists[c.list].items.push(id);
        if let Some(problem) = problem {
            self.outline
                .issues
                .push(NumberingIssue { node: id, problem });
        }
    }

    fn start_list(&mut self, hit: &MarkerHit, place: Place, problem: Option<NumberingProblem>) {
        self.place_new_list(hit, place);
        let list = self.outline.lists.len();
        self.outline.lists.push(List {
            family: hit.family,
            items: Vec::new(),
            parent: self.stack.last().copied(),
            introducer: self.introducer(hit, place),
        });
        let id = self.push_point(hit, place, list);
        self.outline.lists[list].items.push(id);
        if let Some(problem) = problem {
            self.outline
                .issues
                .push(NumberingIssue { node: id, problem });
        }
    }

    /// Pops the stack to where a new list of `hit`'s style belongs.
    fn place_new_list(&mut self, hit: &MarkerHit, place: Place) {
        let barrier = self.barrier();
        if !place.opens_paragraph {
            // Nested in the point whose paragraph introduces it with a colon.
            let top = self.stack.last().map(|&n| &self.outline.nodes[n]);
            if place.after_colon
                && top.is_some_and(|n| !n.is_heading() && n.marker.start.line == place.line)
            {
                return;
            }
            // A run inside a later paragraph of a point's section (二是……。\n……今年要抓好
            // 四件事：一是……) is that point's: it does not end the list the point is in.
            // Not under a 一方面 paragraph, whose pair is closed by its own paragraph.
            if top.is_some_and(|n| {
                !n.is_heading() && !n.is_inline() && n.family() != Some(Family::Fangmian)
            }) {
                return;
            }
        } else {
            // A paragraph point does not nest under an inline run.
            while self.stack.len() > barrier
                && self.outline.nodes[*self.stack.last().unwrap()].is_inline()
            {
                self.stack.pop();
            }
        }
        // A higher-ranked style never nests under a lower one: 一、 after （三） closes it;
        // nor does a list nest under the last item of an enumeration whose sentence
        // is over.
        if place.opens_paragraph {
            while self.stack.len() > barrier && {
                let top = *self.stack.last().unwrap();
                self.ranks_below(top, hit.family) || self.ends_enumeration(top)
            } {
                self.stack.pop();
            }
        }
        if self.stack.len() <= barrier {
            return;
        }
        let top = *self.stack.last().unwrap();
        let node = &self.outline.nodes[top];
        if node.family() != Some(hit.family) {
            return; // a new style: the child level
        }
        let top_line = node.marker.start.line as usize;
        let nests = place.opens_paragraph
            && ((heading_like(&self.lines[top_line]) && !place.heading_like)
                || place.indent > self.lines[top_line].indent);
        if !nests {
            self.stack.pop(); // a new run of the same kind: a sibling list
        }
    }

    /// Whether the last list of `hit`'s style ended just before its number.
    fn continues_earlier_list(&self, hit: &MarkerHit, line: u32) -> bool {
        let last = self
            .outline
            .lists
            .iter()
            .rev()
            .find(|l| l.family == hit.family);
        let Some(&item) = last.and_then(|l| l.items.last()) else {
            return false;
        };
        let node = &self.outline.nodes[item];
        // Never across a line where the pass starts afresh (a new speech): the pass
        // does not look back over it (see `starts_afresh`).
        node.number() + 1 == hit.number
            && !(node.marker.start.line + 1..=line).any(|i| starts_afresh(self.lines, i as usize))
    }

    /// Whether point `node` is the last item of an enumeration set out one item a
    /// paragraph (会议共有三项议程：\n一是……；\n二是……；\n三是……。): the items before it
    /// end with a semicolon and it with a full stop, so its sentence is over. A list
    /// in a later paragraph (the 主持词's 首先……其次……) is not its child.
    fn ends_enumeration(&self, node: usize) -> bool {
        let nodes = &self.outline.nodes;
        let Some(list) = nodes[node].list else {
            return false;
        };
        let items = &self.outline.lists[list].items;
        let last_char = |n: usize| {
            let point = &nodes[n];
            (!point.is_inline())
                .then(|| self.lines[point.marker.start.line as usize].last_char)
                .flatten()
        };
        items.len() >= 2
            && items.last() == Some(&node)
            && items[..items.len() - 1]
                .iter()
                .all(|&n| matches!(last_char(n), Some('；' | ';')))
            && last_char(node) == Some('。')
    }

    /// Whether point `node` is of a style ranked below `family` (see `Family::rank`).
    fn ranks_below(&self, node: usize, family: Family) -> bool {
        let rank = |f: Option<Family>| f.and_then(Family::rank);
        matches!(
            (rank(self.outline.nodes[node].family()), family.rank()),
            (Some(a), Some(b)) if a > b
        )
    }

    /// The clause before an inline first item, or the paragraph before a first item
    /// that opens a paragraph when that paragraph ends with a colon.
    fn introducer(&self, hit: &MarkerHit, place: Place) -> Option<Span> {
        if !place.opens_paragraph {
            let end = hit.start;
            let start = hit
                .clause_start
                .unwrap_or(self.lines[place.line as usize].indent);
            return (start < end).then(|| Span::on_line(place.line, start, end));
        }
        let prev = (0..place.line as usize)
            .rev()
            .find(|&i| self.lines[i].kind() != LineKind::Blank)?;
        let facts = &self.lines[prev];
        (facts.last_char == Some('：') && facts.start_marker.is_none())
            .then(|| Span::on_line(prev as u32, facts.indent, facts.len))
    }

    fn push_point(&mut self, hit: &MarkerHit, place: Place, list: usize) -> usize {
        let line = place.line;
        let id = self.add(Node {
            kind: NodeKind::Point {
                family: hit.family,
                number: hit.number,
                inline: hit.inline,
            },
            name: hit.name.clone(),
            marker: Span::on_line(line, hit.start, hit.end),
            number_span: Span::on_line(line, hit.start, hit.punct_start),
            punct: hit.punct,
            punct_span: Span::on_line(line, hit.punct_start, hit.end),
            headline: Span::on_line(line, hit.start, hit.headline_end.max(hit.end)),
            range: Span::on_line(line, hit.start, hit.end),
            parent: self.stack.last().copied(),
            children: Vec::new(),
            list: Some(list),
            chars: 0,
            start_counted: hit.counted_before,
            end_counted: None,
            closed_at: None,
            soft: false,
        });
        self.stack.push(id);
        id
    }

    /// A paragraph that opens with “以上四点意见”, “以上几个方面” sums up a list: it ends
    /// that list (the one of the announced length, or else the outermost open one), and
    /// what follows belongs to the level above.
    fn close_summarised(&mut self, line: u32, count: Option<u32>) {
        let barrier = self.barrier();
        let open: Vec<usize> = (barrier..self.stack.len())
            .filter(|&d| self.outline.nodes[self.stack[d]].list.is_some())
            .collect();
        let matching = open.iter().rev().find(|&&d| {
            let list = self.outline.nodes[self.stack[d]].list.unwrap();
            count == Some(self.outline.lists[list].items.len() as u32)
        });
        let Some(&depth) = matching.or(open.first()) else {
            return;
        };
        let end = end_before(self.lines, line as usize);
        for &n in &self.stack[depth..] {
            self.outline.nodes[n].closed_at = Some(end);
        }
        self.stack.truncate(depth);
    }
}

/// A paragraph that reads as a heading: short, without punctuation at its end.
fn heading_like(f: &LineFacts) -> bool {
    f.len.saturating_sub(f.indent) <= 40
        && !f.ends_sentence()
        && !matches!(f.last_char, Some('，' | '、' | '：' | ','))
}

/// A title block or a salutation follows the title line `i`: it begins a speech.
fn block_follows<L: LineView>(lines: &[L], i: usize) -> bool {
    let next = lines[i + 1..]
        .iter()
        .find(|l| l.line_kind() != LineKind::Blank);
    next.is_some_and(|l| (l.is_title_block_like() && !l.has_marker()) || l.is_colon_short())
}

/// Lines that open a heading: Markdown headings, and title lines standing alone between
/// sentences with content after them.
fn is_title<L: LineView>(lines: &[L], i: usize) -> bool {
    if !lines[i].is_title_like() || lines[i].is_dangling() && follows_prose(lines, i) {
        return false;
    }
    let prev_ok = lines[..i]
        .iter()
        .rev()
        .find(|l| l.line_kind() != LineKind::Blank)
        .is_none_or(|l| {
            l.is_sentence_end() || l.line_kind() != LineKind::Text || l.is_title_like()
        });
    prev_ok && body_follows(lines, i + 1)
}

/// Line `i` comes right after a line of text, with no blank line between. A line that
/// ends in a word waiting for more (……会议上的 / 讲话: a title laid out on two lines)
/// may begin a title first in a text or after a blank line; right after prose, it is
/// the first half of a sentence cut by a line break (……时期经济社会发展的 / 主要目标 /
/// 是：……).
pub fn follows_prose<L: LineView>(lines: &[L], i: usize) -> bool {
    i > 0 && lines[i - 1].line_kind() == LineKind::Text
}

/// Some prose follows (after an optional title block).
fn body_follows<L: LineView>(lines: &[L], from: usize) -> bool {
    lines[from..]
        .iter()
        .filter(|l| l.line_kind() != LineKind::Blank)
        .find(|l| !l.is_title_block_like() || l.has_marker())
        .is_some_and(|l| l.line_kind() == LineKind::Text && (!l.is_title_like() || l.has_marker()))
}

/// The backward announcement a paragraph opens with (以上四点意见), if any: Some(count).
fn summary_at_start(f: &LineFacts) -> Option<Option<u32>> {
    f.announcements
        .iter()
        .find(|a| a.backward && a.start <= f.indent + 2)
        .map(|a| a.count)
}

/// Builds the outline of a document from its line facts.
pub fn build(lines: &[Arc<LineFacts>], line_text: &dyn Fn(u32) -> String) -> Outline {
    build_segment(lines, lines.len(), line_text, &Default::default()).outline
}

/// An outline built by `build_segment`, with what it read of the titles before it.
pub struct Segment {
    pub outline: Outline,
    /// The names of the speeches it begins.
    pub titles: Vec<String>,
    /// The title lines whose treatment turned on the earlier titles, with their names.
    pub queried: Vec<(u32, String)>,
}

/// Whether the document pass starts afresh at line `i`: whatever came before, the line
/// opens a speech (a level-1 Markdown heading, or a title with its title block), so the
/// open points, lists and headings before it are closed for good, and no check looks
/// across it. Such a line is never taken into a title block, has no count of its own
/// to announce, and ends the lookahead of the lines before it. The outline of the lines
/// from one such line to the next depends only on those lines, the boundary after
/// them, and the names of the titles before them (see `build_segment`).
pub fn starts_afresh<L: LineView>(lines: &[L], i: usize) -> bool {
    let f = &lines[i];
    match f.line_kind() {
        LineKind::MdHeading(1) => true,
        LineKind::Text => {
            !f.has_marker()
                && f.is_title_like()
                && !f.announces()
                && is_title(lines, i)
                && block_follows(lines, i)
                && (!f.is_title_block_like() || no_title_reaches(lines, i))
        }
        _ => false,
    }
}

/// For a title-block line `i`: no title before it takes it into its block, or looks
/// past it for the prose after the title. Both walk from a title line over blank and
/// title-block lines, so none does when no such walk back from `i` meets a title line.
fn no_title_reaches<L: LineView>(lines: &[L], i: usize) -> bool {
    for l in lines[..i].iter().rev() {
        if l.line_kind() == LineKind::Blank {
            continue;
        }
        if l.line_kind() == LineKind::Text && !l.has_marker() && l.is_title_like() {
            return false;
        }
        if !l.is_title_block_like() || l.has_marker() {
            return true;
        }
    }
    true
}

/// The outline of `lines[..stop]`, where the lines from `stop` on (if any) are only
/// looked ahead into, and `titles` are the names of the speeches before these lines. For a run of lines that
/// begins where the pass starts afresh and ends at the next such line, this equals the
/// part of the whole document's outline for those lines.
pub fn build_segment(
    lines: &[Arc<LineFacts>],
    stop: usize,
    line_text: &dyn Fn(u32) -> String,
    titles: &std::collections::HashSet<String>,
) -> Segment {
    // A node per marker at most, and a few titles: room for them at once, as the
    // nodes of a large draft (some 800 KB for 1 MB) were otherwise copied on growing.
    let markers: usize = lines[..stop.min(lines.len())]
        .iter()
        .map(|f| usize::from(f.start_marker.is_some()) + f.inline_markers.len())
        .sum();
    let mut outline = Outline::default();
    outline.nodes.reserve(markers + 16);
    let mut b = Builder {
        lines,
        stop,
        line_text,
        outline,
        stack: Vec::new(),
        earlier_titles: titles,
        title_names: Default::default(),
        queried: Vec::new(),
        line: 0,
    };
    let mut i = 0;
    while i < stop {
        let f = &lines[i];
        let line = i as u32;
        match f.kind() {
            LineKind::MdHeading(level) => {
                let text = (b.line_text)(line);
                let title = text.trim_start().trim_start_matches('#').trim();
                b.heading(level, line, title, f.indent, f.len);
            }
            LineKind::Text if f.start_marker.is_none() && is_title(lines, i) => {
                let text = (b.line_text)(line);
                if b.is_hard_title(lines, i, text.trim()) {
                    b.heading(1, line, text.trim(), f.indent, f.len);
                    i = absorb_title_block(&mut b, lines, i);
                    continue;
                }
                b.subheading(line, text.trim(), f.indent, f.len);
            }
            LineKind::Text => {
                if let Some(count) = summary_at_start(f) {
                    b.close_summarised(line, count);
                }
                place_markers(&mut b, f, line);
            }
            _ => {}
        }
        i += 1;
    }
    let new_titles = b
        .outline
        .title_blocks
        .iter()
        .map(|t| b.outline.nodes[t.heading].name.clone())
        .collect();
    let queried = b.queried;
    let mut outline = b.outline;
    close_ranges(&mut outline, &lines[..stop]);
    count_section_chars(&mut outline, &lines[..stop]);
    Segment {
        outline,
        titles: new_titles,
        queried,
    }
}

/// Takes the subtitle, speaker and date lines after a title; returns the next line.
fn absorb_title_block(b: &mut Builder, lines: &[Arc<LineFacts>], title: usize) -> usize {
    let mut block = TitleBlock {
        heading: b.outline.nodes.len() - 1,
        lines: Vec::new(),
    };
    let mut j = title + 1;
    while j < lines.len() {
        let l = &lines[j];
        if l.kind() == LineKind::Blank {
            j += 1;
        } else if l.title_block_like && l.start_marker.is_none() {
            block.lines.push(j as u32);
            j += 1;
        } else {
            break;
        }
    }
    b.title_names
        .insert(b.outline.nodes[block.heading].name.clone());
    b.outline.title_blocks.push(block);
    j
}

/// 一要……二要……三是……: a point of the other spelling of a list of 一要 (or 一是) that
/// goes on from two points or more spelled alike, the list's `last` number. No run
/// starts at 三, so it is that list's next point, mixed.
fn goes_on_spelled_otherwise(open: Family, last: u32, hit: &MarkerHit) -> bool {
    open != hit.family
        && open.is_shi_or_yao()
        && hit.family.is_shi_or_yao()
        && last >= 2
        && hit.number == last + 1
}

/// Places the paragraph's own marker, then its inline markers.
fn place_markers(b: &mut Builder, f: &LineFacts, line: u32) {
    b.line = line;
    let base = Place {
        line,
        opens_paragraph: true,
        after_colon: false,
        after_comma: false,
        heading_like: heading_like(f),
        indent: f.indent,
    };
    if let Some(m) = &f.start_marker {
        b.point(m, base);
    } else if let Some(m) = &f.number_led {
        b.expected_point(m, base);
    }
    for m in &f.inline_markers {
        let place = Place {
            opens_paragraph: false,
            after_colon: matches!(m.after, Some('：' | ':')),
            after_comma: matches!(m.after, Some('，' | ',' | '、')),
            ..base
        };
        b.point(m, place);
    }
}

/// End of the last non-blank line before `line` (exclusive).
fn end_before(lines: &[Arc<LineFacts>], line: usize) -> Pos {
    let last = lines[..line.min(lines.len())]
        .iter()
        .rposition(|l| l.kind() != LineKind::Blank)
        .unwrap_or(0);
    Pos::new(last as u32, lines.get(last).map(|l| l.len).unwrap_or(0))
}

/// A section ends where the next node that is not its descendant starts, or where a
/// closing paragraph ended it.
fn close_ranges(outline: &mut Outline, lines: &[Arc<LineFacts>]) {
    let mut open: Vec<usize> = Vec::new();
    let n = outline.nodes.len();
    for j in 0..=n {
        let boundary = outline.nodes.get(j).map(|node| node.marker.start);
        while let Some(&top) = open.last() {
            let is_ancestor = j < n && {
                let mut p = outline.nodes[j].parent;
                loop {
                    match p {
                        Some(x) if x == top => break true,
                        Some(x) => p = outline.nodes[x].parent,
                        None => break false,
                    }
                }
            };
            if is_ancestor {
                break;
            }
            open.pop();
            let own_line = outline.nodes[top].marker.start.line;
            let inline = outline.nodes[top].is_inline();
            let (end, end_counted) = match (outline.nodes[top].closed_at, boundary) {
                (Some(closed), _) => (closed, None),
                // An inline point's section ends with its paragraph.
                (None, Some(b)) if inline && b.line > own_line => {
                    (Pos::new(own_line, lines[own_line as usize].len), None)
                }
                (None, None) if inline => (Pos::new(own_line, lines[own_line as usize].len), None),
                (None, Some(b)) if b.col > lines[b.line as usize].indent => {
                    (b, Some(outline.nodes[j].start_counted))
                }
                (None, Some(b)) => (end_before(lines, b.line as usize), None),
                (None, None) => (end_before(lines, lines.len()), None),
            };
            outline.nodes[top].end_counted = end_counted;
            let start = outline.nodes[top].marker.start;
            outline.nodes[top].range = Span::new(start, end.max(outline.nodes[top].headline.end));
        }
        if j < n {
            open.push(j);
        }
    }
}

fn count_section_chars(outline: &mut Outline, lines: &[Arc<LineFacts>]) {
    // prefix[i] = 字数 of lines before i
    let mut prefix = Vec::with_capacity(lines.len() + 1);
    prefix.push(0u32);
    for l in lines {
        prefix.push(prefix.last().unwrap() + l.counted);
    }
    for node in &mut outline.nodes {
        let Span { start, end } = node.range;
        let (first, last) = (start.line as usize, end.line as usize);
        let end_in_last = node.end_counted.unwrap_or(lines[last].counted);
        node.chars = if first == last {
            end_in_last.saturating_sub(node.start_counted)
        } else {
            (lines[first].counted - node.start_counted.min(lines[first].counted))
                + (prefix[last] - prefix[first + 1])
                + end_in_last
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::structure_of;
    use crate::knowledge::Knowledge;

    fn outline(text: &str) -> Outline {
        structure_of(text, &Knowledge::builtin()).outline
    }

    /// Each list as its items' labels, with the label of the node it belongs to.
    fn lists(o: &Outline) -> Vec<(String, Vec<String>)> {
        let label = |n: usize| {
            let node = &o.nodes[n];
            match node.family() {
                Some(f) => f.label(node.number().max(1)),
                None => node.name.clone(),
            }
        };
        o.lists
            .iter()
            .map(|l| {
                let parent = l.parent.map(label).unwrap_or_default();
                (parent, l.items.iter().map(|&n| label(n)).collect())
            })
            .collect()
    }

    fn strs(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_first_item_after_a_comma_starts_a_run() {
        let o = outline(
            "会上形成了三方面共识：一是坚持问题导向；二是强化责任；三是立规矩。他提出四方面要求，一是保持形象；二是加强学习；三是维护团结；四是清正廉洁。",
        );
        assert!(o.issues.is_empty(), "{:?}", o.issues);
        let l = lists(&o);
        assert_eq!(l.len(), 2, "{l:?}");
        assert_eq!(l[1].1, strs(&["一是", "二是", "三是", "四是"]));
    }

    /// 一是……、二是……: points joined by pause marks go on with the run; a skip among
    /// them is a gap, and a pause mark never starts a run.
    #[test]
    fn points_joined_by_pause_marks_are_a_run() {
        let o = outline("全会《决定》有4个特点：一是坚持对标对表、二是坚持问题导向、三是坚持改革创新、四是坚持凝聚共识。");
        assert!(o.issues.is_empty(), "{:?}", o.issues);
        assert_eq!(lists(&o)[0].1, strs(&["一是", "二是", "三是", "四是"]));
        let o = outline("要做到：一是抓项目、二是抓产业、四是抓改革。");
        assert_eq!(o.issues.len(), 1, "{:?}", o.issues);
        for text in ["抓好项目、一是抓产业、二是抓改革。", "他说一是一、二是二。"]
        {
            let o = outline(text);
            assert!(o.issues.is_empty(), "{text}: {:?}", o.issues);
        }
    }

    #[test]
    fn an_ordinal_after_a_comma_starts_a_run_too() {
        // 第一 after a comma, not only 一是: the 第二 that follows goes on from it, not
        // from the 第一、第二 of an earlier paragraph.
        let o = outline(
            "过去几个月展开了竞赛。第一，要统一思想。第二，要强化责任。\n有些单位的计划没有完成。为了解决这个问题，第一，生产部门必须努力。第二，基本建设部门必须清理库存。第三，基本建设单位必须节约。",
        );
        assert!(o.issues.is_empty(), "{:?}", o.issues);
        let l = lists(&o);
        assert_eq!(l.len(), 2, "{l:?}");
        assert_eq!(l[1].1, strs(&["第一", "第二", "第三"]));
    }

    #[test]
    fn a_skip_inside_a_run_is_a_gap_of_that_run() {
        let text = "一是管理落后。\n二是结构失衡。\n三是负担沉重。\n第一，抓好大企业。\n第二，放活小企业。\n第三，规范破产。\n第四，增资减债。国家将采取一系列措施。一是转为资本金。二是发行股票。四是补充资本金。五是降低负债率。";
        let o = outline(text);
        assert_eq!(o.issues.len(), 1, "{:?}", o.issues);
        let l = lists(&o);
        assert_eq!(l[0].1, strs(&["一是", "二是", "三是"]), "{l:?}");
        assert_eq!(l[2].1, strs(&["一是", "二是", "四是", "五是"]), "{l:?}");
        // A run nested in the same paragraph, then the outer run goes on.
        let nested = "要抓好三件事。一是抓学习。二是抓宣传。三是抓阵地：一是建平台，二是强队伍。四是抓考核。";
        let o = outline(nested);
        assert!(o.issues.is_empty(), "{:?}", o.issues);
    }

    #[test]
    fn a_marker_inside_a_paragraph_repeats_no_number_of_an_earlier_one() {
        let text = "要抓好三件事：一是抓学习；二是抓宣传；三是抓阵地。\n农业方面，首先要增加投入。二是保护耕地。三是搞好开发。";
        let o = outline(text);
        assert!(o.issues.is_empty(), "{:?}", o.issues);
        // Within one paragraph it does.
        let o = outline("要抓好三件事：一是抓学习；二是抓宣传；二是抓阵地。");
        assert_eq!(o.issues.len(), 1, "{:?}", o.issues);
    }

    #[test]
    fn shouxian_after_a_comma_opens_a_series_only_with_a_second_point() {
        let o =
            outline("为了解决这个问题，首先，生产部门必须努力。第二，基本建设部门必须清理库存。");
        assert_eq!(o.issues.len(), 1, "{:?}", o.issues);
        assert!(matches!(
            o.issues[0].problem,
            NumberingProblem::Mixed { .. }
        ));
        let o =
            outline("为了解决这个问题，首先，生产部门必须努力。其次，基本建设部门必须清理库存。");
        assert!(o.issues.is_empty(), "{:?}", o.issues);
        assert_eq!(lists(&o).len(), 1);
        // An adverb: nothing follows it.
        let o = outline("我们，首先，要把思想统一起来。");
        assert!(lists(&o).is_empty());
    }

    #[test]
    fn a_point_goes_on_from_a_list_of_its_own_style() {
        let text = "第一，统一思想。\n第二，聚焦重点。\n（一）坚定方向。\n（二）建强队伍。首先，要统一思想。第二，要强化责任。\n第三，守土有责。";
        let o = outline(text);
        let l = lists(&o);
        assert!(
            l.iter()
                .any(|(_, items)| *items == strs(&["第一", "第二", "第三"])),
            "{l:?}"
        );
        assert_eq!(
            o.issues.len(),
            1,
            "only the mixed 首先……第二: {:?}",
            o.issues
        );
        // In one paragraph the 第二 goes on from its 首先.
        let same = "第一，改造的步骤。\n对于改造，首先，要统一思想。第二，要强化责任。\n第二，工业改造的部署。";
        let o = outline(same);
        assert_eq!(o.issues.len(), 1, "{:?}", o.issues);
        assert!(matches!(
            o.issues[0].problem,
            NumberingProblem::Mixed { .. }
        ));
    }

    #[test]
    fn numbering_through_the_sections_is_not_a_gap() {
        let o =
            outline("一、总体要求\n（一）甲。\n（二）乙。\n二、重点任务\n（三）丙。\n（四）丁。");
        assert!(o.issues.is_empty(), "{:?}", o.issues);
        // A section that starts at （三） with nothing before it still lacks （一）（二）.
        let o = outline("一、总体要求\n甲。\n二、重点任务\n（三）丙。");
        assert_eq!(o.issues.len(), 1, "{:?}", o.issues);
    }

    #[test]
    fn a_higher_style_never_nests_under_a_lower_one() {
        let o = outline("目录\n一、总体要求\n（一）甲\n（二）乙\n二、重点任务\n（三）丙\n一、总体要求\n（一）甲。");
        let l = lists(&o);
        let top: Vec<&(String, Vec<String>)> =
            l.iter().filter(|(_, items)| items[0] == "一").collect();
        assert_eq!(top.len(), 2, "{l:?}");
        assert_eq!(
            top[0].0, top[1].0,
            "both 一、 lists under the same parent: {l:?}"
        );
    }

    #[test]
    fn a_lone_shouxian_is_an_adverb_not_a_list_of_one() {
        // A courtesy before the speech's sections: they do not nest under it.
        let o = outline(
            "首先，请允许我代表县委向大家致以问候！\n下面，我讲两点意见。\n一、坚定信心\n内容。\n二、突出重点\n首先，要抓项目。其次，要抓招商。",
        );
        let l = lists(&o);
        assert_eq!(
            l,
            vec![
                (String::new(), strs(&["一", "二"])),
                ("二".to_string(), strs(&["首先", "其次"]))
            ],
            "{l:?}"
        );
        // With a second point, in a later paragraph past a nested list, it is a series.
        let o =
            outline("首先，要统一思想。\n（一）坚定方向。\n（二）建强队伍。\n其次，要强化责任。");
        let l = lists(&o);
        assert_eq!(l[0], (String::new(), strs(&["首先", "其次"])), "{l:?}");
        // Inside a paragraph, after a sentence's end, too.
        let o = outline(
            "大家好!站在这里,我很激动。首先,我代表学校向同学们表示祝贺!\n一、坚定信心\n内容。",
        );
        assert_eq!(lists(&o), vec![(String::new(), strs(&["一"]))]);
        // Half-width punctuation, as texts copied from web pages write it.
        let o = outline(
            "主要凸显了3个关键词:一是“主人翁”。我们没有设置主席台。二是“重承诺”。我们作了承诺。",
        );
        assert_eq!(lists(&o)[0].1, strs(&["一是", "二是"]), "{:?}", lists(&o));
        // A 第二 continues it too, as a mixed series.
        assert!(!outline("首先，要统一思想。\n第二，要强化责任。")
            .issues
            .is_empty());
    }

    #[test]
    fn nothing_nests_under_the_last_item_of_an_enumeration_set_out_in_paragraphs() {
        // A 主持词: the agenda's items end with semicolons and a full stop; the host's
        // 首先……最后 that follows is no child of the last.
        let o = outline("会议共有三项议程：\n一是传达会议精神；\n二是通报工作情况；\n三是市长讲话。\n首先，请局长传达会议精神。\n最后，请市长讲话。");
        let l = lists(&o);
        let shape: Vec<(&str, usize)> = l
            .iter()
            .map(|(p, items)| (p.as_str(), items.len()))
            .collect();
        assert_eq!(shape, [("", 3), ("", 2)], "{l:?}");
        // A point whose paragraph is a section of its own keeps its children.
        let o = outline("一是抓学习。\n二是抓宣传。\n首先，要统一思想。其次，要强化责任。");
        assert_eq!(lists(&o)[1].0, "二是", "{:?}", lists(&o));
    }

    #[test]
    fn an_introducer_opens_a_new_inline_list() {
        let o = outline(
            "一、主要任务\n今年重点抓好四件事：一是抓学习；二是抓宣传；三是抓阵地；四是抓队伍。\n为此，要采取三项措施：一是建制度；二是强考核；三是严问责。",
        );
        assert!(o.issues.is_empty(), "{:?}", o.issues);
        let l = lists(&o);
        assert_eq!(l.len(), 3);
        assert_eq!(l[1], ("一".into(), strs(&["一是", "二是", "三是", "四是"])));
        assert_eq!(l[2], ("一".into(), strs(&["一是", "二是", "三是"])));
        assert_eq!(
            o.lists[2].introducer,
            Some(Span::on_line(2, 0, 11)),
            "the clause before the first item"
        );
    }

    #[test]
    fn a_paragraph_run_after_prose_is_a_new_list() {
        let o = outline("第一，加强领导。\n一是建机制。\n二是压责任。\n这些做法取得了成效。\n一是抓示范。\n二是抓推广。\n第二，强化保障。");
        assert!(o.issues.is_empty(), "{:?}", o.issues);
        let l = lists(&o);
        assert_eq!(l[0].1, strs(&["第一", "第二"]));
        assert_eq!(l[1], ("第一".into(), strs(&["一是", "二是"])));
        assert_eq!(l[2], ("第一".into(), strs(&["一是", "二是"])));
    }

    #[test]
    fn an_inline_list_nests_in_its_point_and_the_outer_run_goes_on() {
        let o = outline("一是高考成绩走在全省前列。有四项指标列全省第一：一是本科上线率；二是重点上线率；三是平均分；四是优秀率。\n二是技能竞赛成绩突出。\n三是体育比赛再创佳绩。");
        assert!(o.issues.is_empty(), "{:?}", o.issues);
        let l = lists(&o);
        assert_eq!(l[0], (String::new(), strs(&["一是", "二是", "三是"])));
        assert_eq!(
            l[1],
            ("一是".into(), strs(&["一是", "二是", "三是", "四是"]))
        );
    }

    #[test]
    fn closing_prose_ends_the_last_point() {
        let o = outline("下面讲四点意见。\n一、统一思想\n内容。\n二、强化责任\n内容。\n三、搭建载体\n内容。\n四、督办考核\n内容。\n以上四点意见，请抓好落实。这里我再提三点要求：一要端正学风。二要加强思考。三要学以致用。");
        assert!(o.issues.is_empty(), "{:?}", o.issues);
        let l = lists(&o);
        assert_eq!(l[1], (String::new(), strs(&["一要", "二要", "三要"])));
        let four = o.lists[0].items[3];
        assert_eq!(o.nodes[four].range.end.line, 8, "point 四 ends before 以上");
    }

    #[test]
    fn an_unrecognised_heading_does_not_break_the_next_section() {
        let o = outline("一、总体要求\n（一）加强领导。\n（二）压实责任。\n（三）严明纪律。\n二 主要任务\n（一）抓落实。\n（二）抓考核。");
        assert!(o.issues.is_empty(), "{:?}", o.issues);
    }

    #[test]
    fn what_is_certainly_wrong_within_one_list() {
        let problems = |text: &str| -> Vec<NumberingProblem> {
            outline(text).issues.iter().map(|i| i.problem).collect()
        };
        assert_eq!(
            problems("一是学。\n三是用。"),
            [NumberingProblem::Gap { expected: 2 }]
        );
        assert_eq!(
            problems("一是学。\n二是思。\n二是用。"),
            [NumberingProblem::Duplicate { expected: 3 }]
        );
        // A run after a colon that starts at 2; a lone 二是 there is left alone.
        assert_eq!(
            problems("要做好以下工作：二是抓好项目；三是抓好招商。"),
            [NumberingProblem::Gap { expected: 1 }]
        );
        assert!(problems("要做好以下工作：二是抓好项目。").is_empty());
        assert_eq!(
            problems("要做好三方面工作：一是抓项目，二是抓招商，二是抓民生。"),
            [NumberingProblem::Duplicate { expected: 3 }]
        );
        assert_eq!(
            problems("第一，统一思想。\n第三，强化责任。\n第二，督办考核。"),
            [
                NumberingProblem::Gap { expected: 2 },
                NumberingProblem::Order { expected: 4 }
            ]
        );
        assert_eq!(
            problems("首先，要统一思想。\n第二，要强化责任。"),
            [NumberingProblem::Mixed {
                open: Family::Shouxian,
                expected: 2
            }]
        );
        // A repeated or backward number, then the number of the next place: one problem.
        assert_eq!(
            problems("第一，统一思想。\n第三，强化责任。\n第二，督办考核。\n第四，严明纪律。"),
            [
                NumberingProblem::Gap { expected: 2 },
                NumberingProblem::Order { expected: 4 }
            ]
        );
        assert_eq!(
            problems("一、总体要求\n二、主要任务\n二、保障措施\n四、工作要求"),
            [NumberingProblem::Duplicate { expected: 3 }]
        );
        // The first number typed twice.
        assert_eq!(
            problems("第一，统一思想。\n第一，强化责任。\n第三，督办考核。"),
            [NumberingProblem::Duplicate { expected: 2 }]
        );
        // The older style: each item opens with 一.
        assert!(problems("抓两头：一是开发露天矿；一是改造现有矿井。").is_empty());
        // 一是……，二是…… after a comma continues the run; nothing else after a comma does.
        let o =
            outline("面临两大问题：一是人才难以脱颖而出，二是用人不正之风。说话要一是一，二是二。");
        assert_eq!(o.lists[0].items.len(), 2);
        assert_eq!(o.lists.len(), 1);
        // Notes numbered 1. to 21., two of them on a number: 20.2026年, 21.5+2.
        let notes: String = (1..=21)
            .map(|n| match n {
                20 => "20.2026年10件民生实事：加大投入。\n".to_string(),
                21 => "21.5+2就业之家：覆盖城乡。\n".to_string(),
                n => format!("{n}.“双招双引”：招才引智。\n"),
            })
            .collect();
        let o = outline(&format!("附件\n{notes}22.“百羽争锋”：培育龙头。"));
        assert!(o.issues.is_empty(), "{:?}", o.issues);
        assert_eq!(o.lists[0].items.len(), 22);
        // A number-led paragraph no list expects is prose.
        assert!(outline("1.5亿元资金已到位。\n各地要抓好落实。")
            .lists
            .is_empty());
        // A run in a later paragraph of a point's section leaves the point's list open.
        let o = outline("抓了三个方面工作：\n一是稳增长。内容。\n二是促改革。内容。\n城镇建设扎实推进。今年要抓好三件事：一是抓学习；二是抓宣传；三是抓阵地。\n三是惠民生。内容。");
        assert!(o.issues.is_empty(), "{:?}", o.issues);
        let l = lists(&o);
        assert_eq!(l[0].1, strs(&["一是", "二是", "三是"]));
        assert_eq!(l[1], ("二是".to_string(), strs(&["一是", "二是", "三是"])));
        // A point skipped in a run after commas.
        assert_eq!(
            problems("发展目标：一是功能提升，二是迈上新台阶，四是取得新突破，五是生活品质提高。"),
            [NumberingProblem::Gap { expected: 3 }]
        );
        // A point may open with 一: 二是一以贯之.
        assert!(
            problems("干好三件事：一是深入学习。二是一以贯之深入践行。三是坚决扛起使命。")
                .is_empty()
        );
    }

    #[test]
    fn a_subheading_in_the_body_keeps_the_list_open() {
        let o = outline("政府工作报告\n——1957年在全国人民代表大会上\n各位代表：\n一、关于革命\n内容。\n二、关于建设\n内容。\n关于教育问题\n首先，加强教育。\n其次，改进方法。\n关于科学问题\n第一，扩大规模。\n第二，提高水平。\n三、关于生活\n内容。");
        assert!(o.issues.is_empty(), "{:?}", o.issues);
        let l = lists(&o);
        assert_eq!(l[0].1, strs(&["一", "二", "三"]));
        assert_eq!(l[1].0, "关于教育问题");
        assert_eq!(l[2].0, "关于科学问题");
    }

    #[test]
    fn names_keep_the_first_sentence() {
        let o = outline(
            "第六，深入推进新时代党的建设新的伟大工程，着力推动全面从严治党取得新成效。要坚持。",
        );
        assert_eq!(
            o.nodes[0].name,
            "第六，深入推进新时代党的建设新的伟大工程，着力推动全面从严治党取得新成效"
        );
    }
}
