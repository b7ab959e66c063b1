//! Opening and downloading files: the one place the web adapter knows file formats.
//!
//! The page sends an uploaded file's bytes and name to `import` and gets the text; it
//! sends the draft to `export` and gets the bytes of a download. Only plain text is
//! here now. The Word formats (`src/docx`) and text decoding in any encoding
//! (`src/textfile.rs`) plug in at the three places marked `WIRE:`; the page learns
//! what is available from `export_formats` and `import_extensions`, so it needs no
//! change when they do.

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
    #[allow(dead_code)] // WIRE: read by the tracked-changes .docx export
    pub original: String,
}

pub struct Exported {
    pub file_name: String,
    pub mime: &'static str,
    pub bytes: Vec<u8>,
}

/// Extensions `import` reads (lower case, without the dot).
pub fn import_extensions() -> Vec<&'static str> {
    // WIRE: add "docx" when `docx::import` is on main.
    vec!["txt", "md"]
}

/// Downloads the page offers, in the order of its buttons.
pub fn export_formats() -> Vec<ExportFormat> {
    // WIRE: add { id: "docx-tracked", label: "Word（修订和批注）", extension: "docx" }
    // and { id: "docx-official", label: "Word（公文格式）", extension: "docx" }.
    vec![ExportFormat {
        id: "txt",
        label: "纯文本 .txt",
        extension: "txt",
    }]
}

fn extension_of(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default()
}

pub fn import(name: &str, bytes: &[u8]) -> Result<Imported, FileError> {
    match extension_of(name).as_str() {
        "txt" | "md" | "markdown" | "text" => decode_text(bytes),
        // WIRE: "docx" => docx::import(bytes) → Imported { text, notes }.
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

/// UTF-8 (with or without BOM) and UTF-16 with BOM. WIRE: replace with
/// `textfile::decode`, which also reads GB 18030/GBK and reports what it converted.
fn decode_text(bytes: &[u8]) -> Result<Imported, FileError> {
    let text = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        String::from_utf8(rest.to_vec()).ok()
    } else if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        utf16(rest, u16::from_le_bytes)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        utf16(rest, u16::from_be_bytes)
    } else {
        String::from_utf8(bytes.to_vec()).ok()
    };
    let Some(text) = text else {
        return Err(FileError::Unreadable(
            "无法识别文件的编码（目前支持 UTF-8 和 UTF-16）：请在记事本或 Word 中另存为 UTF-8 编码后再打开".into(),
        ));
    };
    if text.contains('\0') {
        return Err(FileError::Unreadable("这不是一个文本文件".into()));
    }
    Ok(Imported {
        text,
        notes: Vec::new(),
    })
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Option<String> {
    if bytes.len() % 2 != 0 {
        return None;
    }
    let units: Vec<u16> = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]])).collect();
    String::from_utf16(&units).ok()
}

pub fn export(req: &ExportRequest) -> Result<Exported, FileError> {
    let stem = file_stem(&req.name);
    match req.format.as_str() {
        "txt" => Ok(Exported {
            file_name: format!("{stem}.txt"),
            mime: "text/plain; charset=utf-8",
            bytes: windows_text(&req.text),
        }),
        // WIRE: "docx-tracked" => docx::export_tracked(&req.original, &req.text, comments
        // from Document::analyze()); "docx-official" => docx::export_official(&req.text).
        other => Err(FileError::Unsupported(format!("不支持的下载格式：{other}"))),
    }
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
    fn refuses_what_it_cannot_read_with_a_reason() {
        // “讲话” in GBK.
        let gbk = [0xBD, 0xB2, 0xBB, 0xB0];
        assert!(matches!(
            import("c.txt", &gbk),
            Err(FileError::Unreadable(_))
        ));
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
