//! The .docx adapter: Word documents in, Word documents out.
//!
//! - [`Docx::open`]: bytes of a .docx → the speech's text (body paragraphs, tracked
//!   changes accepted, automatic numbering rendered) and a map from text positions to
//!   paragraphs and to the XML they came from.
//! - [`Docx::review`]: diagnostics and their fixes → a copy of the document with the
//!   certain fixes as tracked changes (修订) or applied, and the other findings as
//!   comments (批注); every part that need not change is copied byte for byte.
//! - [`export::export`]: a speech's text and outline → a new .docx laid out as
//!   GB/T 9704-2012 prescribes.
//!
//! Sits above `features`, below `cli`; no printing, no process exits. Messages in
//! [`DocxError`] are in Chinese, for the writer.

pub mod export;
mod numbering;
mod package;
mod read;
mod write;

pub use write::{iso_date, Mode, Review, ReviewOptions};

use crate::text::{Edit, Pos};
use package::Package;
use read::Body;

/// Why a document could not be read or written (a message for the writer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocxError {
    pub message: String,
}

impl DocxError {
    pub fn new(message: impl Into<String>) -> Self {
        DocxError {
            message: message.into(),
        }
    }
}

impl std::fmt::Display for DocxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DocxError {}

/// A place in the document: paragraph of the body (0-based, tables' paragraphs
/// included) and char offset in the paragraph's text (numbering marker included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub paragraph: usize,
    pub offset: usize,
}

/// An opened .docx.
pub struct Docx {
    package: Package,
    main_part: String,
    xml: Vec<u8>,
    body: Body,
    text: String,
    /// Per line of `text`: its paragraph and the offset of the line in that
    /// paragraph's text (a `w:br` starts a new line inside a paragraph).
    lines: Vec<Location>,
}

impl Docx {
    pub fn open(bytes: Vec<u8>) -> Result<Docx, DocxError> {
        let package = Package::open(bytes)?;
        let main_part = package
            .relationships("")?
            .into_iter()
            .find(|r| r.is("officeDocument"))
            .map(|r| r.target)
            .unwrap_or_else(|| "word/document.xml".into());
        let xml = package.read(&main_part)?.ok_or_else(|| {
            DocxError::new("文件中没有 Word 正文（word/document.xml），不是 Word 文档")
        })?;
        let rels = package.relationships(&main_part)?;
        let part = |name: &str| -> Result<Option<Vec<u8>>, DocxError> {
            match rels.iter().find(|r| r.is(name)) {
                Some(r) => package.read(&r.target),
                None => Ok(None),
            }
        };
        let numbering = match part("numbering")? {
            Some(x) => Some(numbering::Numbering::parse(&x)?),
            None => None,
        };
        let styles = match part("styles")? {
            Some(x) => read::StyleNumbering::parse(&x)?,
            None => read::StyleNumbering::default(),
        };
        let body = read::parse(&xml, numbering, &styles)?;
        let mut text = String::new();
        let mut lines = Vec::new();
        for (i, p) in body.paragraphs.iter().enumerate() {
            if i > 0 {
                text.push('\n');
            }
            text.push_str(&p.text);
            lines.push(Location {
                paragraph: i,
                offset: 0,
            });
            for (offset, c) in p.text.chars().enumerate() {
                if c == '\n' {
                    lines.push(Location {
                        paragraph: i,
                        offset: offset + 1,
                    });
                }
            }
        }
        Ok(Docx {
            package,
            main_part,
            xml,
            body,
            text,
            lines,
        })
    }

    /// The speech: one line per paragraph (and per line break inside one).
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn paragraph_count(&self) -> usize {
        self.body.paragraphs.len()
    }

    /// The text of a paragraph as Word shows it (numbering marker included).
    pub fn paragraph_text(&self, paragraph: usize) -> &str {
        self.body
            .paragraphs
            .get(paragraph)
            .map_or("", |p| p.text.as_str())
    }

    /// Whether a paragraph's numbering marker was added by automatic numbering, and
    /// how many chars long it is.
    pub fn numbering_marker_len(&self, paragraph: usize) -> usize {
        self.body
            .paragraphs
            .get(paragraph)
            .map_or(0, |p| p.marker_len())
    }

    /// The paragraph and offset of a position in [`Docx::text`] (clamped).
    pub fn locate(&self, pos: Pos) -> Location {
        let Some(line) = self
            .lines
            .get(pos.line as usize)
            .or(self.lines.last())
            .copied()
        else {
            return Location {
                paragraph: 0,
                offset: 0,
            };
        };
        let len = self
            .body
            .paragraphs
            .get(line.paragraph)
            .map_or(0, |p| p.chars.len() + p.marker_len());
        Location {
            paragraph: line.paragraph,
            offset: (line.offset + pos.col as usize).min(len),
        }
    }

    /// Whether an edit can be made in the document's own text: within one paragraph,
    /// not in a numbering marker (Word draws those), not across a picture or field, and
    /// not inside someone else's tracked insertion.
    pub fn can_edit(&self, edit: &Edit) -> bool {
        write::resolve_edit(self, edit).is_some()
    }

    /// Whether every edit of a fix can be made (see [`Docx::can_edit`]).
    pub fn can_apply(&self, edits: &[Edit]) -> bool {
        edits.iter().all(|e| self.can_edit(e))
    }
}
