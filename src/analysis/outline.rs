//! The skeleton of a speech: headings (Markdown `#`, title lines with their title block)
//! and numbered points, nested by the rule that the first marker style met under a
//! parent is the child level and a style already used by an ancestor closes back to
//! that ancestor's level. Numbering problems are found while building.

use super::line::{LineFacts, LineKind};
use super::markers::{Family, MarkerHit, MarkerPunct};
use crate::text::{Pos, Span};
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
    /// Marker + headline (or the title), shortened.
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
    /// 字数 of the section.
    pub chars: u32,
    /// 字数 on the first line before the node starts, and on the last line before the
    /// section ends (None: the section ends with its last line).
    #[serde(skip)]
    start_counted: u32,
    #[serde(skip)]
    end_counted: Option<u32>,
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

    /// The node's siblings of its own family, in order, including itself.
    pub fn list_of(&self, node: usize) -> Vec<usize> {
        let family = self.nodes[node].family();
        self.children_of(self.nodes[node].parent)
            .iter()
            .copied()
            .filter(|&s| self.nodes[s].family() == family)
            .collect()
    }

    /// The first node that starts at or after `pos` (nodes are in document order).
    pub fn first_after(&self, pos: Pos) -> Option<usize> {
        let i = self.nodes.partition_point(|n| n.marker.start < pos);
        (i < self.nodes.len()).then_some(i)
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

    /// Names from the root to `node`, for “第二 › （三）”.
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

pub const NAME_MAX: usize = 30;

struct Builder<'a> {
    line_text: &'a dyn Fn(u32) -> String,
    outline: Outline,
    stack: Vec<usize>,
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

    /// Stack index just above the innermost heading (points are searched above it).
    fn barrier(&self) -> usize {
        self.stack
            .iter()
            .rposition(|&n| self.outline.nodes[n].is_heading())
            .map(|i| i + 1)
            .unwrap_or(0)
    }

    fn find_family(&self, from: usize, family: Family) -> Option<usize> {
        (from..self.stack.len())
            .rev()
            .find(|&i| self.outline.nodes[self.stack[i]].family() == Some(family))
    }

    fn heading(&mut self, level: u8, line: u32, text: &str, col: u32, end_col: u32) {
        while let Some(&top) = self.stack.last() {
            match self.outline.nodes[top].kind {
                NodeKind::Heading { level: l } if l < level => break,
                _ => {
                    self.stack.pop();
                }
            }
        }
        let span = Span::on_line(line, col, end_col);
        let id = self.add(Node {
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
            chars: 0,
            start_counted: 0,
            end_counted: None,
        });
        self.stack.push(id);
    }

    /// Places a marker; returns false when it is not taken as a point.
    fn point(&mut self, line: u32, hit: &MarkerHit, floor: usize) -> bool {
        let family = hit.family;
        let continuing_only = matches!(
            (family, hit.number),
            (Family::Shouxian, 0)
                | (Family::Shouxian, 2)
                | (Family::Shouxian, 3)
                | (Family::Fangmian, 2)
        );
        let mut mixed = None;
        if let Some(k) = self.find_family(floor, family) {
            self.stack.truncate(k);
        } else if let Some((k, open)) = self.mixed_sibling(floor, hit) {
            self.stack.truncate(k);
            mixed = Some(open);
        } else if continuing_only || (hit.inline && hit.number != 1) {
            return false;
        } else if !hit.inline {
            // A paragraph point does not nest under an inline run.
            while let Some(&top) = self.stack.last() {
                if self.outline.nodes[top].is_inline() {
                    self.stack.pop();
                } else {
                    break;
                }
            }
        }
        let parent = self.stack.last().copied();
        let name = hit.name.clone();
        let id = self.add(Node {
            kind: NodeKind::Point {
                family,
                number: hit.number,
                inline: hit.inline,
            },
            name,
            marker: Span::on_line(line, hit.start, hit.end),
            number_span: Span::on_line(line, hit.start, hit.punct_start),
            punct: hit.punct,
            punct_span: Span::on_line(line, hit.punct_start, hit.end),
            headline: Span::on_line(line, hit.start, hit.headline_end.max(hit.end)),
            range: Span::on_line(line, hit.start, hit.end),
            parent,
            children: Vec::new(),
            chars: 0,
            start_counted: hit.counted_before,
            end_counted: None,
        });
        self.check_number(id, mixed);
        self.stack.push(id);
        true
    }

    /// 首先 … 第二: an ordinal marker of another ordinal series that continues the
    /// open list's count is taken as its sibling (and reported as mixed).
    fn mixed_sibling(&self, floor: usize, hit: &MarkerHit) -> Option<(usize, Family)> {
        if !hit.family.is_ordinal() || hit.number < 2 {
            return None;
        }
        let k = (floor..self.stack.len()).rev().find(|&i| {
            let n = &self.outline.nodes[self.stack[i]];
            n.family()
                .is_some_and(|f| f.is_ordinal() && f != hit.family)
        })?;
        let open = &self.outline.nodes[self.stack[k]];
        let open_family = open.family()?;
        let count = self.outline.list_of(self.stack[k]).len() as u32;
        (hit.number == count + 1).then_some((k, open_family))
    }

    fn check_number(&mut self, id: usize, mixed: Option<Family>) {
        let node = &self.outline.nodes[id];
        let number = node.number();
        if number == 0 {
            return; // 最后
        }
        let family = node.family();
        let siblings = self.outline.children_of(node.parent);
        let prev = siblings.iter().rev().skip(1).copied().find(|&s| {
            self.outline.nodes[s].family() == family
                || mixed.is_some_and(|m| self.outline.nodes[s].family() == Some(m))
        });
        let prev_number = prev.map(|p| self.outline.nodes[p].number()).unwrap_or(0);
        let expected = if prev.is_some() && prev_number == 0 {
            number
        } else {
            prev_number + 1
        };
        let problem = if let Some(open) = mixed {
            Some(NumberingProblem::Mixed { open, expected })
        } else if number == expected {
            None
        } else if prev.is_some() && number == prev_number {
            Some(NumberingProblem::Duplicate { expected })
        } else if number < expected {
            Some(NumberingProblem::Order { expected })
        } else {
            Some(NumberingProblem::Gap { expected })
        };
        if let Some(problem) = problem {
            self.outline
                .issues
                .push(NumberingIssue { node: id, problem });
        }
    }
}

/// Lines that open a heading: Markdown headings, and title lines standing alone between
/// sentences with content after them. Returns (line, level, lines of its title block).
fn is_title(lines: &[Arc<LineFacts>], i: usize) -> bool {
    let f = &lines[i];
    if !f.title_like {
        return false;
    }
    let prev_ok = lines[..i]
        .iter()
        .rev()
        .find(|l| l.kind() != LineKind::Blank)
        .is_none_or(|l| l.ends_sentence() || l.kind() != LineKind::Text || l.title_like);
    prev_ok && body_follows(lines, i + 1)
}

/// Some prose follows (after an optional title block).
fn body_follows(lines: &[Arc<LineFacts>], from: usize) -> bool {
    lines[from..]
        .iter()
        .filter(|l| l.kind() != LineKind::Blank)
        .find(|l| !l.title_block_like || l.start_marker.is_some())
        .is_some_and(|l| l.kind() == LineKind::Text && (!l.title_like || l.start_marker.is_some()))
}

/// Builds the outline of a document from its line facts.
pub fn build(lines: &[Arc<LineFacts>], line_text: &dyn Fn(u32) -> String) -> Outline {
    let mut b = Builder {
        line_text,
        outline: Outline::default(),
        stack: Vec::new(),
    };
    let mut i = 0;
    while i < lines.len() {
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
                b.heading(1, line, text.trim(), f.indent, f.len);
                // Absorb the title block (subtitle, speaker, date).
                let mut block = TitleBlock {
                    heading: b.outline.nodes.len() - 1,
                    lines: Vec::new(),
                };
                let mut j = i + 1;
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
                b.outline.title_blocks.push(block);
                i = j;
                continue;
            }
            LineKind::Text if f.start_marker.is_some() || !f.inline_markers.is_empty() => {
                let mut own = false;
                if let Some(m) = &f.start_marker {
                    own = b.point(line, m, b.barrier());
                }
                let floor = if own {
                    // The paragraph's own point may be continued inline (一要…。二要…).
                    b.stack.len() - 1
                } else {
                    // Inline runs continue above the innermost paragraph-level node.
                    let outline = &b.outline;
                    b.stack
                        .iter()
                        .rposition(|&n| !outline.nodes[n].is_inline())
                        .map(|k| k + 1)
                        .unwrap_or(0)
                        .max(b.barrier())
                };
                for m in &f.inline_markers {
                    b.point(line, m, floor);
                }
            }
            _ => {}
        }
        i += 1;
    }
    let mut outline = b.outline;
    close_ranges(&mut outline, lines);
    count_section_chars(&mut outline, lines);
    outline
}

/// End of the last non-blank line before `line` (exclusive).
fn end_before(lines: &[Arc<LineFacts>], line: usize) -> Pos {
    let last = lines[..line.min(lines.len())]
        .iter()
        .rposition(|l| l.kind() != LineKind::Blank)
        .unwrap_or(0);
    Pos::new(last as u32, lines.get(last).map(|l| l.len).unwrap_or(0))
}

/// A section ends where the next node that is not its descendant starts.
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
            let (end, end_counted) = match boundary {
                Some(b) if b.col > lines[b.line as usize].indent => {
                    (b, Some(outline.nodes[j].start_counted))
                }
                Some(b) => (end_before(lines, b.line as usize), None),
                None => (end_before(lines, lines.len()), None),
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

impl Outline {
    /// Edits that renumber the list `node` belongs to, from `node` on, starting at
    /// `first` (mixed series take the family of the list's first item). 首先 and
    /// 一方面 series are not renumbered.
    pub fn renumber_edits(&self, node: usize, first: u32) -> Vec<crate::text::Edit> {
        let list = self.list_with_mixed(node);
        let family = match list.first().and_then(|&n| self.nodes[n].family()) {
            Some(f) if !matches!(f, Family::Shouxian | Family::Fangmian) => f,
            _ => return Vec::new(),
        };
        list.iter()
            .skip_while(|&&n| n != node)
            .zip(first..)
            .filter(|(&n, number)| {
                self.nodes[n].number() != *number || self.nodes[n].family() != Some(family)
            })
            .map(|(&n, number)| crate::text::Edit {
                span: self.nodes[n].number_span,
                new_text: family.label(number),
            })
            .collect()
    }

    /// The node's list including items of a mixed ordinal series.
    pub fn list_with_mixed(&self, node: usize) -> Vec<usize> {
        let Some(family) = self.nodes[node].family() else {
            return vec![node];
        };
        self.children_of(self.nodes[node].parent)
            .iter()
            .copied()
            .filter(|&s| {
                self.nodes[s]
                    .family()
                    .is_some_and(|f| f == family || (f.is_ordinal() && family.is_ordinal()))
            })
            .collect()
    }
}
