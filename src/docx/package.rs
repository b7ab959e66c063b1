//! The zip package of a .docx: reading parts within limits (zip bombs), finding the main
//! document and its related parts, and writing a copy in which only the changed parts
//! are new (the others are copied compressed, byte for byte).

use super::DocxError;
use quick_xml::events::Event;
use std::collections::HashMap;
use std::io::{Cursor, Read, Write};

/// Most parts a package may hold.
const MAX_ENTRIES: usize = 10_000;
/// Most uncompressed bytes the whole package may declare.
const MAX_TOTAL: u64 = 512 << 20;
/// Most uncompressed bytes of one part that is read (document.xml of a 1,000-page
/// report is a few MB).
pub const MAX_PART: u64 = 64 << 20;
/// Deepest XML nesting accepted (Word's own documents stay far below 100).
pub const MAX_DEPTH: usize = 256;

pub struct Package {
    bytes: Vec<u8>,
    names: Vec<String>,
}

impl Package {
    pub fn open(bytes: Vec<u8>) -> Result<Package, DocxError> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes.as_slice())).map_err(broken)?;
        if zip.len() > MAX_ENTRIES {
            return Err(DocxError::new(format!(
                "文件包含 {} 个部件，超过上限 {MAX_ENTRIES}，不像正常的 Word 文档",
                zip.len()
            )));
        }
        let mut total = 0u64;
        let mut names = Vec::with_capacity(zip.len());
        for i in 0..zip.len() {
            let file = zip.by_index_raw(i).map_err(broken)?;
            total = total.saturating_add(file.size());
            names.push(file.name().to_string());
        }
        if total > MAX_TOTAL {
            return Err(too_big());
        }
        Ok(Package { bytes, names })
    }

    pub fn has(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
    }

    /// Reads a part (None when absent), never inflating more than [`MAX_PART`] bytes
    /// whatever the header claims.
    pub fn read(&self, name: &str) -> Result<Option<Vec<u8>>, DocxError> {
        if !self.has(name) {
            return Ok(None);
        }
        let mut zip = zip::ZipArchive::new(Cursor::new(self.bytes.as_slice())).map_err(broken)?;
        let file = zip.by_name(name).map_err(broken)?;
        let mut out = Vec::with_capacity(file.size().min(MAX_PART) as usize);
        file.take(MAX_PART + 1)
            .read_to_end(&mut out)
            .map_err(|e| broken_io(name, e))?;
        if out.len() as u64 > MAX_PART {
            return Err(too_big());
        }
        Ok(Some(out))
    }

    /// The relationships of a part: Id → (type, resolved target part name).
    pub fn relationships(&self, part: &str) -> Result<Vec<Relationship>, DocxError> {
        let (dir, file) = match part.rfind('/') {
            Some(i) => (&part[..i + 1], &part[i + 1..]),
            None => ("", part),
        };
        let rels_name = format!("{dir}_rels/{file}.rels");
        let Some(xml) = self.read(&rels_name)? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
        loop {
            match reader.read_event() {
                Ok(Event::Start(e)) | Ok(Event::Empty(e))
                    if e.local_name().as_ref() == b"Relationship" =>
                {
                    let attrs = attributes(&e);
                    if attrs.get("TargetMode").is_some_and(|m| m == "External") {
                        continue;
                    }
                    let (Some(id), Some(kind), Some(target)) =
                        (attrs.get("Id"), attrs.get("Type"), attrs.get("Target"))
                    else {
                        continue;
                    };
                    out.push(Relationship {
                        id: id.clone(),
                        kind: kind.clone(),
                        target: resolve(dir, target),
                    });
                }
                Ok(Event::Eof) => break,
                Ok(_) => {}
                Err(e) => return Err(malformed(&rels_name, &e.to_string())),
            }
        }
        Ok(out)
    }

    /// Writes the package with `replaced` parts swapped in (in place, keeping the
    /// order of entries) and `added` parts appended. Every other entry is copied raw.
    pub fn write(
        &self,
        replaced: &HashMap<String, Vec<u8>>,
        added: &[(String, Vec<u8>)],
    ) -> Result<Vec<u8>, DocxError> {
        let mut zip = zip::ZipArchive::new(Cursor::new(self.bytes.as_slice())).map_err(broken)?;
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for i in 0..zip.len() {
            let file = zip.by_index_raw(i).map_err(broken)?;
            match replaced.get(file.name()) {
                Some(new) => {
                    let name = file.name().to_string();
                    drop(file);
                    out.start_file(name, options).map_err(write_failed)?;
                    out.write_all(new).map_err(|e| write_failed(e.into()))?;
                }
                None => out.raw_copy_file(file).map_err(write_failed)?,
            }
        }
        for (name, data) in added {
            out.start_file(name.as_str(), options)
                .map_err(write_failed)?;
            out.write_all(data).map_err(|e| write_failed(e.into()))?;
        }
        Ok(out.finish().map_err(write_failed)?.into_inner())
    }
}

pub struct Relationship {
    pub id: String,
    pub kind: String,
    pub target: String,
}

impl Relationship {
    /// Whether the relationship type ends with `/name` (transitional and strict
    /// namespaces differ only before it).
    pub fn is(&self, name: &str) -> bool {
        self.kind.rsplit('/').next() == Some(name)
    }
}

/// Resolves a relationship target against the source part's folder.
fn resolve(dir: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None => format!("{dir}{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Attributes by their qualified name, unescaped.
pub fn attributes(e: &quick_xml::events::BytesStart) -> HashMap<String, String> {
    e.attributes()
        .flatten()
        .map(|a| {
            let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
            let value = a
                .unescape_value()
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| String::from_utf8_lossy(&a.value).into_owned());
            (key, value)
        })
        .collect()
}

/// The value of an attribute by local name (`w:val` → `val`).
pub fn attr(e: &quick_xml::events::BytesStart, local: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == local.as_bytes()).then(|| {
            a.unescape_value()
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| String::from_utf8_lossy(&a.value).into_owned())
        })
    })
}

fn broken(e: zip::result::ZipError) -> DocxError {
    use zip::result::ZipError;
    match e {
        ZipError::UnsupportedArchive(m) if m.contains("assword") || m.contains("ncrypt") => {
            DocxError::new("文件已加密，无法读取；请取消密码后另存为 .docx 再检查")
        }
        ZipError::UnsupportedArchive(m) => DocxError::new(format!(
            "文件使用了不支持的压缩方式（{m}），请在 Word 或 WPS 中重新保存"
        )),
        _ => DocxError::new(format!("文件不完整或已损坏，不是有效的 .docx（{e}）")),
    }
}

fn broken_io(name: &str, e: std::io::Error) -> DocxError {
    DocxError::new(format!("文件不完整或已损坏：无法解压 {name}（{e}）"))
}

fn write_failed(e: zip::result::ZipError) -> DocxError {
    DocxError::new(format!("无法生成 .docx：{e}"))
}

fn too_big() -> DocxError {
    DocxError::new("文件解压后过大（可能是压缩炸弹），已拒绝读取")
}

pub fn malformed(part: &str, detail: &str) -> DocxError {
    DocxError::new(format!("文件已损坏：{part} 不是有效的 XML（{detail}）"))
}

/// A new package from its parts, in the order given ([Content_Types].xml first).
pub fn build(parts: &[(&str, Vec<u8>)]) -> Result<Vec<u8>, DocxError> {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in parts {
        out.start_file(*name, options).map_err(write_failed)?;
        out.write_all(data).map_err(|e| write_failed(e.into()))?;
    }
    Ok(out.finish().map_err(write_failed)?.into_inner())
}
