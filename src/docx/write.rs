//! Returning findings in the document: certain fixes as tracked changes (`w:del` +
//! `w:ins`) or applied directly, other errors and warnings as comments anchored on
//! their span. Changes are spliced into the original `document.xml` bytes: only the
//! runs a change cuts are rewritten (with their own run properties), everything else
//! in the part stays as it was, and the other parts are copied unchanged.

use super::read::{ItemKind, Paragraph};
use super::{Docx, DocxError};
use crate::config::RuleLevel;
use crate::rules::Diagnostic;
use crate::text::Edit;
use quick_xml::escape::escape;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Tracked changes (修订) or fixes applied directly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Track,
    Accept,
}

#[derive(Debug, Clone)]
pub struct ReviewOptions {
    pub mode: Mode,
    /// Author of revisions and comments.
    pub author: String,
    /// `w:date` of revisions and comments (see [`iso_date`]).
    pub date: String,
}

impl ReviewOptions {
    pub const AUTHOR: &'static str = "讲稿校对";
}

/// A reviewed document.
#[derive(Debug, Clone)]
pub struct Review {
    pub bytes: Vec<u8>,
    /// Indices (into the diagnostics given) of those fixed by a change.
    pub fixed: Vec<usize>,
    /// Indices of those that became comments.
    pub commented: Vec<usize>,
}

/// A Unix time as `w:date` wants it (UTC, seconds).
pub fn iso_date(unix_seconds: u64) -> String {
    let day = crate::text::Date::from_days((unix_seconds / 86_400) as i64);
    let secs = unix_seconds % 86_400;
    format!(
        "{day}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// An edit in one paragraph, in real-character indices (after the numbering marker):
/// delete `start..end`, insert `text` there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ParagraphEdit {
    pub paragraph: usize,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Maps an edit to its paragraph and checks it can be made there; the common prefix
/// and suffix of old and new text are left out, so that the change shows only what
/// changes (“十九” + “大”, not all of “党的十九大精神”).
pub(super) fn resolve_edit(doc: &Docx, edit: &Edit) -> Option<ParagraphEdit> {
    let from = doc.locate(edit.span.start);
    let to = doc.locate(edit.span.end);
    if from.paragraph != to.paragraph || to.offset < from.offset {
        return None;
    }
    let para = doc.body.paragraphs.get(from.paragraph)?;
    let marker = para.marker_len();
    if from.offset < marker {
        return None;
    }
    let (mut start, mut end) = (from.offset - marker, to.offset - marker);
    let old: Vec<char> = para
        .text
        .chars()
        .skip(marker + start)
        .take(end - start)
        .collect();
    let mut new: Vec<char> = edit.new_text.chars().collect();
    let prefix = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    start += prefix;
    end -= suffix;
    new = new[prefix..new.len() - suffix].to_vec();
    if start == end && new.is_empty() {
        return None;
    }
    editable(para, start, end).then(|| ParagraphEdit {
        paragraph: from.paragraph,
        start,
        end,
        text: new.into_iter().collect(),
    })
}

/// Whether real chars `start..end` (or the point `start` when empty) can be changed:
/// their runs take revisions and nothing but text lies between them.
fn editable(para: &Paragraph, start: usize, end: usize) -> bool {
    let n = para.chars.len();
    if start > n || end > n {
        return false;
    }
    if start == end {
        // An insertion goes into the run of the char after it (or before it at the end).
        let at = if start < n {
            start
        } else {
            start.wrapping_sub(1)
        };
        return para
            .chars
            .get(at)
            .is_some_and(|c| para.runs[c.run as usize].editable);
    }
    let first = para.chars[start];
    let last = para.chars[end - 1];
    for r in first.run..=last.run {
        let run = &para.runs[r as usize];
        if !run.editable {
            return false;
        }
        let lo = if r == first.run { first.item } else { 0 };
        let hi = if r == last.run {
            last.item
        } else {
            run.items.len().saturating_sub(1) as u32
        };
        if run.items.is_empty() {
            continue;
        }
        if run.items[lo as usize..=hi as usize]
            .iter()
            .any(|i| i.kind == ItemKind::Opaque)
        {
            return false;
        }
    }
    true
}

/// Where a piece of markup goes in a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Anchor {
    /// Right after real char k (in its run).
    After(usize),
    /// Right before real char k (in its run).
    Before(usize),
    /// At the end of an empty paragraph's content.
    End,
}

#[derive(Default)]
struct Plan {
    /// Deleted real chars.
    deleted: HashSet<usize>,
    markups: BTreeMap<Anchor, Vec<String>>,
}

impl Plan {
    fn add(&mut self, anchor: Anchor, xml: String) {
        self.markups.entry(anchor).or_default().push(xml);
    }
}

/// The anchor for markup that opens at point k (before real char k).
fn opening(n: usize, k: usize) -> Anchor {
    if k < n {
        Anchor::Before(k)
    } else if n > 0 {
        Anchor::After(n - 1)
    } else {
        Anchor::End
    }
}

/// The anchor for markup that closes at point k (after real char k - 1).
fn closing(n: usize, k: usize) -> Anchor {
    if k > 0 && k <= n {
        Anchor::After(k - 1)
    } else {
        opening(n, k)
    }
}

struct Writer<'a> {
    doc: &'a Docx,
    options: &'a ReviewOptions,
    next_id: u64,
    plans: BTreeMap<usize, Plan>,
    comments: String,
}

impl Writer<'_> {
    fn id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    fn attrs(&mut self) -> String {
        let id = self.id();
        format!(
            r#"w:id="{id}" w:author="{}" w:date="{}""#,
            escape(&self.options.author),
            escape(&self.options.date)
        )
    }

    fn run_props(&self, para: &Paragraph, k: usize) -> &str {
        let run = &para.runs[para.chars[k].run as usize];
        run.props
            .clone()
            .and_then(|r| std::str::from_utf8(&self.doc.xml[r]).ok())
            .unwrap_or("")
    }

    fn change(&mut self, e: &ParagraphEdit) {
        let para = &self.doc.body.paragraphs[e.paragraph];
        let n = para.chars.len();
        // The inserted text takes the formatting of the text it replaces (or of the
        // text it is inserted before).
        let props_at = if e.start < n { e.start } else { n - 1 };
        let props = self.run_props(para, props_at).to_string();
        let anchor = if e.end > e.start {
            Anchor::After(e.end - 1)
        } else {
            opening(n, e.start)
        };
        let plan = self.plans.entry(e.paragraph).or_default();
        plan.deleted.extend(e.start..e.end);
        if e.text.is_empty() {
            return;
        }
        let run = format!("<w:r>{props}{}</w:r>", run_content(&e.text, "w:t"));
        let xml = match self.options.mode {
            Mode::Accept => run,
            Mode::Track => format!("<w:ins {}>{run}</w:ins>", self.attrs()),
        };
        self.plans.entry(e.paragraph).or_default().add(anchor, xml);
    }

    fn comment(&mut self, paragraph: usize, start: usize, end: usize, text: &[String]) {
        let para = &self.doc.body.paragraphs[paragraph];
        let n = para.chars.len();
        let id = self.id();
        let marker = para.marker_len();
        let start = start.saturating_sub(marker).min(n);
        let end = end.saturating_sub(marker).clamp(start, n);
        let open = format!(r#"<w:commentRangeStart w:id="{id}"/>"#);
        let close = format!(
            r#"<w:commentRangeEnd w:id="{id}"/><w:r><w:commentReference w:id="{id}"/></w:r>"#
        );
        let plan = self.plans.entry(paragraph).or_default();
        if start == end {
            let at = opening(n, start);
            plan.add(at, open);
            plan.add(at, close);
        } else {
            plan.add(opening(n, start), open);
            plan.add(closing(n, end), close);
        }
        let author = escape(&self.options.author).into_owned();
        let date = escape(&self.options.date).into_owned();
        self.comments.push_str(&format!(
            r#"<w:comment w:id="{id}" w:author="{author}" w:date="{date}" w:initials="校对">"#
        ));
        for line in text {
            self.comments.push_str(&format!(
                "<w:p><w:r>{}</w:r></w:p>",
                run_content(line, "w:t")
            ));
        }
        self.comments.push_str("</w:comment>");
    }

    /// The splices (byte position, replaced length, new bytes) for one paragraph.
    fn splices(&mut self, index: usize, plan: &Plan) -> Vec<(usize, usize, u8, String)> {
        let para = &self.doc.body.paragraphs[index];
        let run_of = |k: usize| para.chars[k].run as usize;
        let mut bounds = vec![(usize::MAX, 0usize); para.runs.len()];
        for (k, c) in para.chars.iter().enumerate() {
            let b = &mut bounds[c.run as usize];
            b.0 = b.0.min(k);
            b.1 = k + 1;
        }
        // Runs to rewrite: those with deleted chars or markup inside them.
        let mut rewrite: HashSet<usize> = plan.deleted.iter().map(|&k| run_of(k)).collect();
        for anchor in plan.markups.keys() {
            match *anchor {
                Anchor::Before(k) if k > bounds[run_of(k)].0 => {
                    rewrite.insert(run_of(k));
                }
                Anchor::After(k) if k + 1 < bounds[run_of(k)].1 => {
                    rewrite.insert(run_of(k));
                }
                _ => {}
            }
        }
        let mut out = Vec::new();
        for (anchor, xmls) in &plan.markups {
            let joined = xmls.concat();
            match *anchor {
                Anchor::Before(k) if !rewrite.contains(&run_of(k)) => {
                    out.push((para.runs[run_of(k)].range.start, 0, 1, joined))
                }
                Anchor::After(k) if !rewrite.contains(&run_of(k)) => {
                    out.push((para.runs[run_of(k)].range.end, 0, 0, joined))
                }
                Anchor::End if para.self_closing => {
                    let tag =
                        std::str::from_utf8(&self.doc.xml[para.range.clone()]).unwrap_or("<w:p/>");
                    let open = tag.trim_end_matches('>').trim_end_matches('/');
                    let name: String = open[1..]
                        .chars()
                        .take_while(|c| !c.is_whitespace() && *c != '/')
                        .collect();
                    out.push((
                        para.range.start,
                        para.range.len(),
                        0,
                        format!("{open}>{joined}</{name}>"),
                    ));
                }
                Anchor::End => out.push((para.content_end, 0, 0, joined)),
                _ => {}
            }
        }
        for &r in &rewrite {
            let xml = self.rewrite_run(para, r, bounds[r].0, plan);
            let range = para.runs[r].range.clone();
            out.push((range.start, range.len(), 0, xml));
        }
        out
    }

    /// A run cut at every change and markup inside it.
    fn rewrite_run(&mut self, para: &Paragraph, r: usize, first: usize, plan: &Plan) -> String {
        let run = &para.runs[r];
        let xml = &self.doc.xml;
        let props = run
            .props
            .clone()
            .and_then(|p| std::str::from_utf8(&xml[p]).ok())
            .unwrap_or("")
            .to_string();
        let mut out = String::new();
        let mut seg = Segment::default();
        let mut k = first;
        for item in &run.items {
            let verbatim = std::str::from_utf8(&xml[item.range.clone()]).unwrap_or("");
            if item.kind == ItemKind::Opaque {
                if seg.deleted {
                    self.flush(&mut seg, &props, &mut out);
                }
                seg.close_text();
                seg.body.push_str(verbatim);
                continue;
            }
            for c in item.text.chars() {
                let after = (k > first)
                    .then(|| plan.markups.get(&Anchor::After(k - 1)))
                    .flatten();
                let before = plan.markups.get(&Anchor::Before(k));
                let deleted = plan.deleted.contains(&k);
                if after.is_some() || before.is_some() || deleted != seg.deleted {
                    self.flush(&mut seg, &props, &mut out);
                    for x in after.into_iter().chain(before).flatten() {
                        out.push_str(x);
                    }
                    seg.deleted = deleted;
                }
                if item.kind == ItemKind::Text {
                    seg.text.push(c);
                } else {
                    seg.close_text();
                    seg.body.push_str(verbatim);
                }
                k += 1;
            }
        }
        self.flush(&mut seg, &props, &mut out);
        if k > first {
            for x in plan
                .markups
                .get(&Anchor::After(k - 1))
                .into_iter()
                .flatten()
            {
                out.push_str(x);
            }
        }
        out
    }

    fn flush(&mut self, seg: &mut Segment, props: &str, out: &mut String) {
        seg.close_text();
        if !seg.body.is_empty() {
            match (seg.deleted, self.options.mode) {
                (false, _) => out.push_str(&format!("<w:r>{props}{}</w:r>", seg.body)),
                (true, Mode::Accept) => {}
                (true, Mode::Track) => {
                    let attrs = self.attrs();
                    out.push_str(&format!(
                        "<w:del {attrs}><w:r>{props}{}</w:r></w:del>",
                        seg.body
                    ));
                }
            }
        }
        seg.body.clear();
    }
}

#[derive(Default)]
struct Segment {
    deleted: bool,
    body: String,
    text: String,
}

impl Segment {
    fn close_text(&mut self) {
        if !self.text.is_empty() {
            let tag = if self.deleted { "w:delText" } else { "w:t" };
            self.body.push_str(&text_element(&self.text, tag));
            self.text.clear();
        }
    }
}

fn text_element(text: &str, tag: &str) -> String {
    format!(r#"<{tag} xml:space="preserve">{}</{tag}>"#, escape(text))
}

/// Run content for new text: tabs and line breaks as their elements.
fn run_content(text: &str, tag: &str) -> String {
    let mut out = String::new();
    let mut buf = String::new();
    for c in text.chars() {
        match c {
            '\t' | '\n' => {
                if !buf.is_empty() {
                    out.push_str(&text_element(&buf, tag));
                    buf.clear();
                }
                out.push_str(if c == '\t' { "<w:tab/>" } else { "<w:br/>" });
            }
            '\r' => {}
            c => buf.push(c),
        }
    }
    if !buf.is_empty() {
        out.push_str(&text_element(&buf, tag));
    }
    out
}

/// The text of a comment for a diagnostic: rule code and message, then the
/// suggestion when there is one.
fn comment_text(d: &Diagnostic) -> Vec<String> {
    let mut lines = vec![format!("{}（{}）", d.message, d.code)];
    if let Some(fix) = d.fixes.first() {
        lines.push(format!("建议：{}", fix.title));
    }
    lines
}

fn splice(bytes: &[u8], mut splices: Vec<(usize, usize, u8, String)>) -> Vec<u8> {
    splices.sort_by_key(|s| (s.0, s.2));
    let mut out =
        Vec::with_capacity(bytes.len() + splices.iter().map(|s| s.3.len()).sum::<usize>());
    let mut at = 0;
    for (pos, len, _, new) in splices {
        if pos < at {
            continue; // never overlaps by construction; keep the earlier one if it did
        }
        out.extend_from_slice(&bytes[at..pos]);
        out.extend_from_slice(new.as_bytes());
        at = pos + len;
    }
    out.extend_from_slice(&bytes[at..]);
    out
}

impl Docx {
    /// Returns the document with the findings in it: each diagnostic's first certain
    /// fix that can be made in the text as a change (tracked or applied, per
    /// `options.mode`); every other error or warning as a comment on its span.
    pub fn review(
        &self,
        diagnostics: &[(RuleLevel, &Diagnostic)],
        options: &ReviewOptions,
    ) -> Result<Review, DocxError> {
        let mut w = Writer {
            doc: self,
            options,
            next_id: self.body.max_id.max(existing_comment_max(self)?),
            plans: BTreeMap::new(),
            comments: String::new(),
        };
        let mut fixed = Vec::new();
        let mut commented = Vec::new();
        // Changed spans per paragraph, so that two changes never overlap.
        let mut taken: HashMap<usize, Vec<(usize, usize)>> = HashMap::new();
        for (i, (level, d)) in diagnostics.iter().enumerate() {
            let edits = d.fixes.iter().find(|f| f.certain).map(|f| {
                f.edits
                    .iter()
                    .map(|e| resolve_edit(self, e))
                    .collect::<Option<Vec<_>>>()
            });
            if let Some(Some(edits)) = edits {
                let free = edits.iter().all(|e| {
                    taken
                        .get(&e.paragraph)
                        .is_none_or(|spans| spans.iter().all(|&(s, t)| e.end < s || e.start > t))
                });
                if free && !edits.is_empty() {
                    for e in &edits {
                        taken.entry(e.paragraph).or_default().push((e.start, e.end));
                        w.change(e);
                    }
                    fixed.push(i);
                    continue;
                }
            }
            if matches!(level, RuleLevel::Error | RuleLevel::Warning) {
                let from = self.locate(d.span.start);
                let to = self.locate(d.span.end);
                let end = if to.paragraph == from.paragraph {
                    to.offset
                } else {
                    usize::MAX
                };
                w.comment(from.paragraph, from.offset, end, &comment_text(d));
                commented.push(i);
            }
        }
        let mut splices = Vec::new();
        let plans = std::mem::take(&mut w.plans);
        for (index, plan) in &plans {
            splices.extend(w.splices(*index, plan));
        }
        let document = splice(&self.xml, splices);
        let mut replaced = HashMap::new();
        let mut added = Vec::new();
        replaced.insert(self.main_part.clone(), document);
        if !w.comments.is_empty() {
            self.add_comments(&w.comments, &mut replaced, &mut added)?;
        }
        let bytes = self.package.write(&replaced, &added)?;
        Ok(Review {
            bytes,
            fixed,
            commented,
        })
    }

    fn comments_part(&self) -> Result<Option<String>, DocxError> {
        Ok(self
            .package
            .relationships(&self.main_part)?
            .into_iter()
            .find(|r| r.is("comments"))
            .map(|r| r.target))
    }

    /// Appends comments to the comments part, creating it (with its content type and
    /// relationship) when the document has none.
    fn add_comments(
        &self,
        comments: &str,
        replaced: &mut HashMap<String, Vec<u8>>,
        added: &mut Vec<(String, Vec<u8>)>,
    ) -> Result<(), DocxError> {
        if let Some(part) = self.comments_part()? {
            if let Some(xml) = self.package.read(&part)? {
                replaced.insert(part, append_to_root(&xml, comments, "comments")?);
                return Ok(());
            }
        }
        let dir = match self.main_part.rfind('/') {
            Some(i) => &self.main_part[..=i],
            None => "",
        };
        let mut file = "comments.xml".to_string();
        let mut n = 1;
        while self.package.has(&format!("{dir}{file}")) {
            file = format!("comments{n}.xml");
            n += 1;
        }
        let part = format!("{dir}{file}");
        added.push((
            part.clone(),
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">{comments}</w:comments>"#
            )
            .into_bytes(),
        ));
        let types = self
            .package
            .read("[Content_Types].xml")?
            .ok_or_else(|| DocxError::new("文件缺少 [Content_Types].xml，不是有效的 .docx"))?;
        let override_xml = format!(
            r#"<Override PartName="/{part}" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>"#
        );
        replaced.insert(
            "[Content_Types].xml".into(),
            append_to_root(&types, &override_xml, "Types")?,
        );
        let rels_name = format!("{dir}_rels/{}.rels", &self.main_part[dir.len()..]);
        let existing: Vec<String> = self
            .package
            .relationships(&self.main_part)?
            .into_iter()
            .map(|r| r.id)
            .collect();
        let mut id = "rIdJianggaoComments".to_string();
        while existing.contains(&id) {
            id.push('1');
        }
        let rel = format!(
            r#"<Relationship Id="{id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="{file}"/>"#
        );
        match self.package.read(&rels_name)? {
            Some(rels) => {
                replaced.insert(rels_name, append_to_root(&rels, &rel, "Relationships")?);
            }
            None => added.push((
                rels_name,
                format!(
                    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rel}</Relationships>"#
                )
                .into_bytes(),
            )),
        }
        Ok(())
    }
}

/// The largest comment id in an existing comments part (0 when none).
fn existing_comment_max(doc: &Docx) -> Result<u64, DocxError> {
    let Some(part) = doc.comments_part()? else {
        return Ok(0);
    };
    let Some(xml) = doc.package.read(&part)? else {
        return Ok(0);
    };
    let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
    let mut max = 0;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(e)) | Ok(quick_xml::events::Event::Empty(e)) => {
                if let Some(id) = super::package::attr(&e, "id").and_then(|v| v.parse().ok()) {
                    max = u64::max(max, id);
                }
            }
            Ok(quick_xml::events::Event::Eof) => return Ok(max),
            Ok(_) => {}
            Err(e) => return Err(super::package::malformed(&part, &e.to_string())),
        }
    }
}

/// Inserts `content` at the end of the root element `root` (whatever its prefix),
/// turning a self-closing root into an open one.
fn append_to_root(xml: &[u8], content: &str, root: &str) -> Result<Vec<u8>, DocxError> {
    let text = std::str::from_utf8(xml).map_err(|_| DocxError::new("部件不是 UTF-8 编码的 XML"))?;
    let trimmed = text.trim_end();
    if let Some(close) = trimmed.rfind("</") {
        let name = trimmed[close + 2..].trim_end_matches('>').trim();
        if name == root || name.ends_with(&format!(":{root}")) {
            let mut out = String::with_capacity(text.len() + content.len());
            out.push_str(&text[..close]);
            out.push_str(content);
            out.push_str(&text[close..]);
            return Ok(out.into_bytes());
        }
    }
    if trimmed.ends_with("/>") {
        let open = trimmed.rfind('<').unwrap_or(0);
        let tag = &trimmed[open..trimmed.len() - 2];
        let name: String = tag[1..]
            .chars()
            .take_while(|c| !c.is_whitespace())
            .collect();
        if name == root || name.ends_with(&format!(":{root}")) {
            return Ok(format!("{}{tag}>{content}</{name}>", &text[..open]).into_bytes());
        }
    }
    Err(DocxError::new(format!(
        "部件的根元素不是 {root}，文件可能已损坏"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc_iso() {
        assert_eq!(iso_date(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso_date(1_709_210_096), "2024-02-29T12:34:56Z");
    }

    #[test]
    fn content_is_appended_inside_the_root() {
        let out = append_to_root(b"<a:Types x=\"1\"><b/></a:Types>\n", "<c/>", "Types").unwrap();
        assert_eq!(out, b"<a:Types x=\"1\"><b/><c/></a:Types>\n");
        let out =
            append_to_root(b"<?xml?><w:comments xmlns:w=\"u\"/>", "<c/>", "comments").unwrap();
        assert_eq!(out, b"<?xml?><w:comments xmlns:w=\"u\"><c/></w:comments>");
        assert!(append_to_root(b"<x/>", "<c/>", "Types").is_err());
    }
}
