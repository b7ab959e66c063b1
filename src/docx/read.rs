//! Reading the body of `document.xml`: its paragraphs as Word shows them with all
//! tracked changes accepted, each with the byte positions of its runs and of the
//! pieces of text in them, so that changes can later be spliced into the original XML.
//!
//! What counts as text: `w:t` in runs, `w:tab` (a tab), `w:br`/`w:cr` (a line break),
//! `w:noBreakHyphen`; runs inside `w:ins`/`w:moveTo` (accepted); not `w:del`/
//! `w:moveFrom` (accepted away), not field codes, drawings, text boxes or math. Table
//! cells and content controls are paragraphs like others. Automatic numbering adds the
//! marker Word shows in front of the paragraph.

use super::numbering::Numbering;
use super::package::{attr, malformed, MAX_DEPTH};
use super::DocxError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::HashMap;
use std::ops::Range;

/// A piece of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemKind {
    /// `w:t`: text that can be cut and rewritten.
    Text,
    /// One character written as an element (`w:tab`, `w:br`, …): copied verbatim.
    Char,
    /// Anything else in a run (drawings, field characters, symbols): no text, copied
    /// verbatim, never cut or deleted.
    Opaque,
}

#[derive(Debug, Clone)]
pub struct Item {
    pub kind: ItemKind,
    /// Bytes of the element in document.xml.
    pub range: Range<usize>,
    /// The characters it contributes to the paragraph's text.
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct Run {
    pub range: Range<usize>,
    /// The run's properties (`w:rPr`), copied onto every run made from it.
    pub props: Option<Range<usize>>,
    pub items: Vec<Item>,
    /// Whether the run may be split into tracked changes: not when it already sits in
    /// someone's tracked insertion (revisions do not nest).
    pub editable: bool,
}

/// Where a real (non-numbering) character of a paragraph comes from.
#[derive(Debug, Clone, Copy)]
pub struct CharSource {
    pub run: u32,
    pub item: u32,
}

#[derive(Debug, Clone)]
pub struct Paragraph {
    pub range: Range<usize>,
    /// Where new content can go at the start (after the properties) and at the end.
    pub content_start: usize,
    pub content_end: usize,
    pub self_closing: bool,
    /// The automatic numbering marker Word shows (empty when none).
    pub marker: String,
    pub runs: Vec<Run>,
    /// Sources of the characters after the marker.
    pub chars: Vec<CharSource>,
    /// Marker + text.
    pub text: String,
}

impl Paragraph {
    /// Number of characters of the marker (they have no source in the runs).
    pub fn marker_len(&self) -> usize {
        self.marker.chars().count()
    }
}

pub struct Body {
    pub paragraphs: Vec<Paragraph>,
    /// The largest `w:id` in the part: new revisions and comments get larger ones.
    pub max_id: u64,
}

/// Numbering given by paragraph styles (`w:style/w:pPr/w:numPr`, through `basedOn`).
#[derive(Debug, Default)]
pub struct StyleNumbering {
    styles: HashMap<String, StyleNum>,
}

#[derive(Debug, Default, Clone)]
struct StyleNum {
    based_on: Option<String>,
    num_id: Option<String>,
    ilvl: Option<u8>,
}

impl StyleNumbering {
    pub fn parse(xml: &[u8]) -> Result<StyleNumbering, DocxError> {
        let mut out = StyleNumbering::default();
        let mut reader = Reader::from_reader(xml);
        let mut current: Option<(String, StyleNum)> = None;
        let mut depth = 0usize;
        loop {
            let event = reader
                .read_event()
                .map_err(|e| malformed("styles.xml", &e.to_string()))?;
            match &event {
                Event::Start(e) | Event::Empty(e) => {
                    if matches!(event, Event::Start(_)) {
                        depth += 1;
                        if depth > MAX_DEPTH {
                            return Err(DocxError::new("styles.xml 嵌套过深，文件可能已损坏"));
                        }
                    }
                    match e.local_name().as_ref() {
                        b"style" => {
                            current = (attr(e, "type").as_deref() == Some("paragraph"))
                                .then(|| attr(e, "styleId"))
                                .flatten()
                                .map(|id| (id, StyleNum::default()));
                        }
                        b"basedOn" => {
                            if let Some((_, s)) = current.as_mut() {
                                s.based_on = attr(e, "val");
                            }
                        }
                        b"numId" => {
                            if let Some((_, s)) = current.as_mut() {
                                s.num_id = attr(e, "val");
                            }
                        }
                        b"ilvl" => {
                            if let Some((_, s)) = current.as_mut() {
                                s.ilvl = attr(e, "val").and_then(|v| v.parse().ok());
                            }
                        }
                        _ => {}
                    }
                }
                Event::End(e) => {
                    depth = depth.saturating_sub(1);
                    if e.local_name().as_ref() == b"style" {
                        if let Some((id, s)) = current.take() {
                            out.styles.insert(id, s);
                        }
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(out)
    }

    /// (numId, ilvl) of a style, following `basedOn` (cycles are cut).
    fn of(&self, style: &str) -> (Option<String>, Option<u8>) {
        let (mut num, mut ilvl) = (None, None);
        let mut cur = Some(style.to_string());
        for _ in 0..32 {
            let Some(s) = cur.as_deref().and_then(|id| self.styles.get(id)) else {
                break;
            };
            num = num.or_else(|| s.num_id.clone());
            ilvl = ilvl.or(s.ilvl);
            cur = s.based_on.clone();
        }
        (num, ilvl)
    }
}

/// The numbering properties found in a paragraph's `w:pPr`.
#[derive(Default)]
struct ParaProps {
    style: Option<String>,
    num_id: Option<String>,
    ilvl: Option<u8>,
}

struct Parser<'a> {
    reader: Reader<&'a [u8]>,
    numbering: Option<Numbering>,
    styles: &'a StyleNumbering,
    max_id: u64,
}

pub fn parse(
    xml: &[u8],
    numbering: Option<Numbering>,
    styles: &StyleNumbering,
) -> Result<Body, DocxError> {
    let mut p = Parser {
        reader: Reader::from_reader(xml),
        numbering,
        styles,
        max_id: 0,
    };
    let paragraphs = p.document()?;
    Ok(Body {
        paragraphs,
        max_id: p.max_id,
    })
}

fn local(e: &BytesStart) -> Vec<u8> {
    e.local_name().as_ref().to_vec()
}

impl Parser<'_> {
    fn pos(&self) -> usize {
        self.reader.buffer_position() as usize
    }

    fn event(&mut self) -> Result<Event<'static>, DocxError> {
        match self.reader.read_event() {
            Ok(e) => Ok(e.into_owned()),
            Err(e) => Err(malformed("word/document.xml", &e.to_string())),
        }
    }

    fn note_id(&mut self, e: &BytesStart) {
        if let Some(id) = attr(e, "id").and_then(|v| v.parse::<u64>().ok()) {
            self.max_id = self.max_id.max(id);
        }
    }

    /// Skips the rest of an element whose start tag was just read; returns the end of
    /// its end tag. Ids inside still count (a skipped deletion has its own id).
    fn skip(&mut self, start_depth: usize) -> Result<usize, DocxError> {
        let mut depth = 1usize;
        loop {
            match self.event()? {
                Event::Start(e) => {
                    self.note_id(&e);
                    depth += 1;
                    if start_depth + depth > MAX_DEPTH {
                        return Err(too_deep());
                    }
                }
                Event::Empty(e) => self.note_id(&e),
                Event::End(_) => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(self.pos());
                    }
                }
                Event::Eof => return Err(malformed("word/document.xml", "意外结束")),
                _ => {}
            }
        }
    }

    /// The whole part: collects the paragraphs of `w:body`.
    fn document(&mut self) -> Result<Vec<Paragraph>, DocxError> {
        let mut paragraphs = Vec::new();
        let mut depth = 0usize;
        let mut in_body = false;
        loop {
            let start = self.pos();
            match self.event()? {
                Event::Start(e) => {
                    self.note_id(&e);
                    let name = local(&e);
                    if in_body && name == b"p" {
                        let para = self.paragraph(start, depth + 1)?;
                        paragraphs.push(para);
                        continue;
                    }
                    if skipped_block(&name) {
                        self.skip(depth)?;
                        continue;
                    }
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Err(too_deep());
                    }
                    if name == b"body" {
                        in_body = true;
                    }
                }
                Event::Empty(e) => {
                    self.note_id(&e);
                    if in_body && local(&e) == b"p" {
                        let end = self.pos();
                        let marker = self.marker(&ParaProps::default());
                        paragraphs.push(Paragraph {
                            range: start..end,
                            content_start: end,
                            content_end: end,
                            self_closing: true,
                            text: marker.clone(),
                            marker,
                            runs: Vec::new(),
                            chars: Vec::new(),
                        });
                    }
                }
                Event::End(e) => {
                    depth = depth.saturating_sub(1);
                    if e.local_name().as_ref() == b"body" {
                        in_body = false;
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(paragraphs)
    }

    /// A paragraph whose start tag was just read.
    fn paragraph(&mut self, start: usize, depth0: usize) -> Result<Paragraph, DocxError> {
        let mut para = Paragraph {
            range: start..start,
            content_start: self.pos(),
            content_end: 0,
            self_closing: false,
            marker: String::new(),
            runs: Vec::new(),
            chars: Vec::new(),
            text: String::new(),
        };
        let mut props = ParaProps::default();
        let mut depth = 0usize;
        // Depth of the innermost tracked insertion we are in (its runs are accepted
        // text but cannot take revisions of our own).
        let mut inserted: Vec<usize> = Vec::new();
        loop {
            let at = self.pos();
            match self.event()? {
                Event::Start(e) => {
                    self.note_id(&e);
                    let name = local(&e);
                    match name.as_slice() {
                        b"pPr" if depth == 0 => {
                            props = self.paragraph_props(depth0)?;
                            para.content_start = self.pos();
                            continue;
                        }
                        b"r" => {
                            let run = self.run(at, !inserted.is_empty(), depth0 + depth)?;
                            para.runs.push(run);
                            continue;
                        }
                        n if skipped_inline(n) => {
                            self.skip(depth0 + depth)?;
                            continue;
                        }
                        b"ins" | b"moveTo" => inserted.push(depth + 1),
                        _ => {}
                    }
                    depth += 1;
                    if depth0 + depth > MAX_DEPTH {
                        return Err(too_deep());
                    }
                }
                Event::Empty(e) => self.note_id(&e),
                Event::End(_) => {
                    if depth == 0 {
                        para.content_end = at;
                        para.range.end = self.pos();
                        break;
                    }
                    if inserted.last() == Some(&depth) {
                        inserted.pop();
                    }
                    depth -= 1;
                }
                Event::Eof => return Err(malformed("word/document.xml", "段落未结束")),
                _ => {}
            }
        }
        para.marker = self.marker(&props);
        para.text = para.marker.clone();
        for (r, run) in para.runs.iter().enumerate() {
            for (i, item) in run.items.iter().enumerate() {
                for c in item.text.chars() {
                    para.text.push(c);
                    para.chars.push(CharSource {
                        run: r as u32,
                        item: i as u32,
                    });
                }
            }
        }
        Ok(para)
    }

    fn marker(&mut self, props: &ParaProps) -> String {
        let (style_num, style_ilvl) = props
            .style
            .as_deref()
            .map(|s| self.styles.of(s))
            .unwrap_or_default();
        let num_id = props.num_id.clone().or(style_num);
        let ilvl = props.ilvl.or(style_ilvl).unwrap_or(0);
        match (num_id, self.numbering.as_mut()) {
            (Some(id), Some(numbering)) if id != "0" => {
                numbering.next(&id, ilvl).unwrap_or_default()
            }
            _ => String::new(),
        }
    }

    /// `w:pPr`, just opened: the style and numbering (not those of a recorded former
    /// formatting, `w:pPrChange`).
    fn paragraph_props(&mut self, depth0: usize) -> Result<ParaProps, DocxError> {
        let mut props = ParaProps::default();
        let mut depth = 1usize;
        loop {
            let event = self.event()?;
            let (e, is_start) = match &event {
                Event::Start(e) => (e, true),
                Event::Empty(e) => (e, false),
                Event::End(_) => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(props);
                    }
                    continue;
                }
                Event::Eof => return Err(malformed("word/document.xml", "段落属性未结束")),
                _ => continue,
            };
            self.note_id(e);
            match e.local_name().as_ref() {
                b"pPrChange" if is_start => {
                    self.skip(depth0 + depth)?;
                    continue;
                }
                b"pStyle" => props.style = attr(e, "val"),
                b"numId" => props.num_id = attr(e, "val"),
                b"ilvl" => props.ilvl = attr(e, "val").and_then(|v| v.parse().ok()),
                _ => {}
            }
            if is_start {
                depth += 1;
                if depth0 + depth > MAX_DEPTH {
                    return Err(too_deep());
                }
            }
        }
    }

    /// A run whose start tag was just read.
    fn run(&mut self, start: usize, inserted: bool, depth0: usize) -> Result<Run, DocxError> {
        let mut run = Run {
            range: start..start,
            props: None,
            items: Vec::new(),
            editable: !inserted,
        };
        loop {
            let at = self.pos();
            match self.event()? {
                Event::Start(e) => {
                    self.note_id(&e);
                    match local(&e).as_slice() {
                        b"rPr" => {
                            let end = self.skip(depth0 + 1)?;
                            run.props = Some(at..end);
                        }
                        b"t" => {
                            let text = self.text()?;
                            run.items.push(Item {
                                kind: ItemKind::Text,
                                range: at..self.pos(),
                                text,
                            });
                        }
                        _ => {
                            let end = self.skip(depth0 + 1)?;
                            run.items.push(opaque(at..end));
                        }
                    }
                }
                Event::Empty(e) => {
                    self.note_id(&e);
                    let range = at..self.pos();
                    let text = match local(&e).as_slice() {
                        b"tab" | b"ptab" => Some("\t"),
                        b"br" | b"cr" => Some("\n"),
                        b"noBreakHyphen" => Some("-"),
                        b"rPr" => {
                            run.props = Some(range.clone());
                            continue;
                        }
                        _ => None,
                    };
                    run.items.push(match text {
                        Some(t) => Item {
                            kind: ItemKind::Char,
                            range,
                            text: t.into(),
                        },
                        None => opaque(range),
                    });
                }
                Event::End(_) => {
                    run.range.end = self.pos();
                    return Ok(run);
                }
                Event::Eof => return Err(malformed("word/document.xml", "文字块未结束")),
                _ => {}
            }
        }
    }

    /// The content of a `w:t` just opened. Line breaks inside it (which Word shows as
    /// spaces) become spaces, so that lines of the text are lines of the document.
    fn text(&mut self) -> Result<String, DocxError> {
        let mut out = String::new();
        loop {
            match self.reader.read_event() {
                Ok(Event::Text(t)) => {
                    let s = t
                        .unescape()
                        .map_err(|e| malformed("word/document.xml", &e.to_string()))?;
                    out.push_str(&s);
                }
                Ok(Event::CData(t)) => out.push_str(&String::from_utf8_lossy(&t)),
                Ok(Event::End(_)) => break,
                Ok(Event::Eof) => return Err(malformed("word/document.xml", "文字未结束")),
                Ok(_) => {}
                Err(e) => return Err(malformed("word/document.xml", &e.to_string())),
            }
        }
        Ok(out.replace(['\r', '\n'], " "))
    }
}

fn opaque(range: Range<usize>) -> Item {
    Item {
        kind: ItemKind::Opaque,
        range,
        text: String::new(),
    }
}

/// Block-level content that is not part of the speech.
fn skipped_block(name: &[u8]) -> bool {
    matches!(name, b"del" | b"moveFrom" | b"Fallback" | b"sectPr")
}

/// Content inside a paragraph that is not shown text (accepting changes removes
/// deletions; math and alternate renderings are not speech).
fn skipped_inline(name: &[u8]) -> bool {
    matches!(
        name,
        b"del" | b"moveFrom" | b"Fallback" | b"oMath" | b"oMathPara" | b"pPr"
    )
}

fn too_deep() -> DocxError {
    DocxError::new("word/document.xml 嵌套过深，文件可能已损坏")
}
