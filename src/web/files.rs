//! Opening and downloading files: the one place the web adapter knows file formats.
//!
//! The page sends an uploaded file's bytes and name to `import` and gets the text; it
//! sends the draft to `export` and gets the bytes of a download. Text files in any
//! encoding writers use come through `textfile`, Word documents through `docx`; the
//! page learns what is available from `export_formats` and `import_extensions`.

use crate::config::Settings;
use crate::document::Document;
use crate::docx::{self, Docx};
use crate::knowledge::Knowledge;
use crate::rules::{self, Diagnostic, Fix};
use crate::text::{Edit, Span};
use crate::textfile::{self, Container, TextEncoding};
use serde::{Deserialize, Serialize};

/// Upload size limit (bytes), for imports and exports alike; larger bodies get 413.
pub const MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;

#[derive(Debug, Serialize)]
pub struct Imported {
    pub text: String,
    /// Remarks for the writer (e.g. “已从 GBK 编码转换”).
    pub notes: Vec<String>,
}

/// Why a file was not taken; the message is shown to the writer.
#[derive(Debug, PartialEq)]
pub enum FileError {
    /// Not a format the server reads or writes (HTTP 415).
    Unsupported(String),
    /// The right kind of file, but its content cannot be used (HTTP 422).
    Unreadable(String),
}

impl FileError {
    pub fn message(&self) -> &str {
        match self {
            FileError::Unsupported(m) | FileError::Unreadable(m) => m,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ExportFormat {
    pub id: &'static str,
    /// The button's label.
    pub label: &'static str,
    pub extension: &'static str,
}

/// What the page sends for a download.
#[derive(Debug, Deserialize)]
pub struct ExportRequest {
    pub format: String,
    /// The draft's name, without extension.
    #[serde(default)]
    pub name: String,
    /// The draft as it is now.
    pub text: String,
    /// The draft as it was opened or pasted, for formats that show the changes.
    #[serde(default)]
    pub original: String,
}

pub struct Exported {
    pub file_name: String,
    pub mime: &'static str,
    pub bytes: Vec<u8>,
}

/// Extensions `import` reads (lower case, without the dot).
pub fn import_extensions() -> Vec<&'static str> {
    vec!["txt", "md", "docx"]
}

/// Downloads the page offers, in the order of its buttons.
pub fn export_formats() -> Vec<ExportFormat> {
    vec![
        ExportFormat {
            id: "txt",
            label: "纯文本 .txt",
            extension: "txt",
        },
        ExportFormat {
            id: "docx-tracked",
            label: "Word（修订和批注）",
            extension: "docx",
        },
        ExportFormat {
            id: "docx-official",
            label: "Word（公文格式）",
            extension: "docx",
        },
    ]
}

fn extension_of(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default()
}

pub fn import(name: &str, bytes: &[u8]) -> Result<Imported, FileError> {
    if let Container::Compound { encrypted } = textfile::container(bytes) {
        return Err(FileError::Unreadable(
            textfile::compound_message(encrypted).into(),
        ));
    }
    match extension_of(name).as_str() {
        "txt" | "md" | "markdown" | "text" => decode_text(bytes),
        "docx" => match Docx::open(bytes.to_vec()) {
            Ok(d) => Ok(Imported {
                text: d.text().to_string(),
                notes: vec!["已读取 Word 文档正文（修订已接受，自动编号计入正文）".into()],
            }),
            Err(e) => Err(FileError::Unreadable(e.to_string())),
        },
        "doc" | "wps" => Err(FileError::Unsupported(
            "不支持旧版 Word（.doc/.wps）文件：请在 Word 中另存为 .docx 或 .txt 后再打开".into(),
        )),
        _ => Err(FileError::Unsupported(format!(
            "不支持此类文件：{name}（可以打开 {}）",
            import_extensions()
                .iter()
                .map(|e| format!(".{e}"))
                .collect::<Vec<_>>()
                .join("、")
        ))),
    }
}

/// Text in any encoding writers save it in (UTF-8, GBK/GB18030, UTF-16 with BOM).
fn decode_text(bytes: &[u8]) -> Result<Imported, FileError> {
    let file = textfile::decode(bytes).map_err(FileError::Unreadable)?;
    let notes = match file.encoding {
        TextEncoding::Utf8 { .. } => Vec::new(),
        other => vec![format!("已从 {} 编码转换", other.name())],
    };
    Ok(Imported {
        text: file.text,
        notes,
    })
}

pub fn export(req: &ExportRequest) -> Result<Exported, FileError> {
    let stem = file_stem(&req.name);
    match req.format.as_str() {
        "txt" => Ok(Exported {
            file_name: format!("{stem}.txt"),
            mime: "text/plain; charset=utf-8",
            bytes: windows_text(&req.text),
        }),
        "docx-official" => Ok(Exported {
            file_name: format!("{stem}.docx"),
            mime: DOCX_MIME,
            bytes: official(&req.text)?,
        }),
        "docx-tracked" => Ok(Exported {
            file_name: format!("{stem}（修订）.docx"),
            mime: DOCX_MIME,
            bytes: tracked(&req.original, &req.text)?,
        }),
        other => Err(FileError::Unsupported(format!("不支持的下载格式：{other}"))),
    }
}

const DOCX_MIME: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

fn docx_failed(e: impl std::fmt::Display) -> FileError {
    FileError::Unreadable(format!("无法生成 Word 文档：{e}"))
}

/// The draft laid out as an official document (GB/T 9704-2012).
fn official(text: &str) -> Result<Vec<u8>, FileError> {
    let analysis = Document::new(text, Knowledge::builtin()).analyze();
    docx::export::export(text, &analysis, &docx::export::Fonts::default()).map_err(docx_failed)
}

/// The draft as it was opened, in the official layout, with the writer's changes since
/// as tracked changes and what is still to check as comments (certain fixes as tracked
/// changes too). Both drafts are compared as the layout has them (one paragraph per
/// line, indentation as formatting); when paragraphs were added or removed the changes
/// cannot be shown paragraph by paragraph, and the current draft is the base with only
/// the findings marked.
fn tracked(original: &str, text: &str) -> Result<Vec<u8>, FileError> {
    let laid_out =
        |t: &str| -> Result<Docx, FileError> { Docx::open(official(t)?).map_err(docx_failed) };
    let now = laid_out(text)?;
    let new: Vec<&str> = now.text().split('\n').collect();
    let before = if original.is_empty() {
        None
    } else {
        Some(laid_out(original)?)
    };
    let same_shape = before
        .as_ref()
        .is_some_and(|b| b.text().split('\n').count() == new.len());
    let (base, old): (&Docx, Vec<&str>) = match &before {
        Some(b) if same_shape => (b, b.text().split('\n').collect()),
        _ => (&now, new.clone()),
    };
    let mut found: Vec<Diagnostic> = Vec::new();
    let mut changed = vec![false; new.len()];
    for (i, (a, b)) in old
        .iter()
        .zip(&new)
        .enumerate()
        .filter(|(_, (a, b))| a != b)
    {
        changed[i] = true;
        found.push(change(i as u32, a, b));
    }
    let analysis = Document::new(now.text(), Knowledge::builtin()).analyze();
    found.extend(
        analysis
            .diagnostics
            .into_iter()
            .filter(|x| x.span.start.line == x.span.end.line)
            .filter(|x| !changed[x.span.start.line as usize]),
    );
    let settings = Settings::default();
    let shown: Vec<_> = found
        .iter()
        .filter_map(|x| match x.code {
            CHANGE => Some((crate::config::RuleLevel::Warning, x)),
            _ => rules::visible_level(x, &settings).map(|l| (l, x)),
        })
        .collect();
    let options = docx::ReviewOptions {
        mode: docx::Mode::Track,
        author: docx::ReviewOptions::AUTHOR.into(),
        date: docx::iso_date(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |t| t.as_secs()),
        ),
    };
    base.review(&shown, &options)
        .map(|r| r.bytes)
        .map_err(docx_failed)
}

/// The code of a writer's own change, shown as a tracked change.
const CHANGE: &str = "edit";

/// One paragraph's change as a certain fix: the span between the common beginning and
/// the common end, replaced.
fn change(line: u32, old: &str, new: &str) -> Diagnostic {
    let (a, b): (Vec<char>, Vec<char>) = (old.chars().collect(), new.chars().collect());
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let span = Span::on_line(line, prefix as u32, (a.len() - suffix) as u32);
    let new_text: String = b[prefix..b.len() - suffix].iter().collect();
    Diagnostic::new(CHANGE, crate::config::RuleLevel::Warning, span, "修改").with_fix(Fix {
        title: "修改".into(),
        edits: vec![Edit { span, new_text }],
        certain: true,
    })
}

/// Text as Windows editors and Word open it without asking: a UTF-8 byte order mark
/// and CRLF line ends.
fn windows_text(text: &str) -> Vec<u8> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    let mut prev = '\0';
    for c in text.chars() {
        if c == '\n' && prev != '\r' {
            out.push(b'\r');
        }
        let mut buf = [0u8; 4];
        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        prev = c;
    }
    out
}

/// A safe file name for the download: no path, no characters Windows refuses.
fn file_stem(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !r#"<>:"|?*"#.contains(*c))
        .take(80)
        .collect();
    let cleaned = cleaned.trim().trim_matches('.');
    if cleaned.is_empty() {
        "讲稿".into()
    } else {
        cleaned.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_utf8_and_utf16_text() {
        assert_eq!(
            import("a.txt", "同志们：".as_bytes()).unwrap().text,
            "同志们："
        );
        let bom = [&[0xEF, 0xBB, 0xBF][..], "一、".as_bytes()].concat();
        assert_eq!(import("a.MD", &bom).unwrap().text, "一、");
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("讲话".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(import("b.txt", &le).unwrap().text, "讲话");
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("讲话".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(import("b.txt", &be).unwrap().text, "讲话");
    }

    #[test]
    fn reads_gbk_text_and_word_documents() {
        // “同志们，讲话” in GBK, as Windows Notepad saves it.
        let (gbk, _, _) = encoding_rs::GBK.encode("同志们，讲话");
        let got = import("c.txt", &gbk).unwrap();
        assert_eq!(got.text, "同志们，讲话");
        assert_eq!(got.notes.len(), 1, "{:?}", got.notes);
        let text = "会上的讲话\n同志们：\n　　一要统一思想。";
        let docx = official(text).unwrap();
        // The layout puts a blank line under the title and indents by formatting.
        assert_eq!(
            import("讲话.docx", &docx).unwrap().text,
            "会上的讲话\n\n同志们：\n一要统一思想。"
        );
    }

    #[test]
    fn tracked_download_shows_the_writers_changes_and_keeps_their_result() {
        let original = "会上的讲话\n同志们：\n　　全系统以党的十九精神为指导。\n　　二要强化责任。";
        let text = "会上的讲话\n同志们：\n　　全系统以党的十九大精神为指导。\n　　二要强化责任。";
        let bytes = tracked(original, text).unwrap();
        // Read with the changes accepted, the document is the writer's draft as laid out.
        let accepted = Docx::open(bytes.clone()).unwrap();
        let laid_out = Docx::open(official(text).unwrap()).unwrap();
        assert_eq!(accepted.text(), laid_out.text());
        // The change is tracked (大 inserted), and the gap left in the numbering (二要
        // with no 一要) is a comment.
        let xml = String::from_utf8_lossy(&unzip(&bytes, "word/document.xml")).into_owned();
        assert!(xml.contains("<w:ins ") && xml.contains(">大<"), "{xml}");
        let comments = String::from_utf8_lossy(&unzip(&bytes, "word/comments.xml")).into_owned();
        assert!(comments.contains("序号"), "{comments}");
    }

    fn unzip(bytes: &[u8], name: &str) -> Vec<u8> {
        use std::io::Read;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut out = Vec::new();
        zip.by_name(name).unwrap().read_to_end(&mut out).unwrap();
        out
    }

    #[test]
    fn refuses_what_it_cannot_read_with_a_reason() {
        assert!(matches!(
            import("c.txt", b"a\0b"),
            Err(FileError::Unreadable(_))
        ));
        assert!(matches!(
            import("c.doc", b"x"),
            Err(FileError::Unsupported(_))
        ));
        assert!(matches!(
            import("c.exe", b"x"),
            Err(FileError::Unsupported(_))
        ));
        assert!(matches!(
            import("noext", b"x"),
            Err(FileError::Unsupported(_))
        ));
    }

    #[test]
    fn exports_text_for_windows_with_a_safe_name() {
        let req = ExportRequest {
            format: "txt".into(),
            name: "../报告:终稿".into(),
            text: "一、\n二、\r\n".into(),
            original: String::new(),
        };
        let out = export(&req).unwrap();
        assert_eq!(out.file_name, "报告终稿.txt");
        assert_eq!(
            out.bytes,
            [&[0xEF, 0xBB, 0xBF][..], "一、\r\n二、\r\n".as_bytes()].concat()
        );
        let bad = ExportRequest {
            format: "pdf".into(),
            ..req
        };
        assert!(matches!(export(&bad), Err(FileError::Unsupported(_))));
        assert_eq!(file_stem(""), "讲稿");
    }
}
