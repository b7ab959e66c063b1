//! Text files as writers save them: UTF-8 with or without a BOM, GB18030/GBK (what
//! Chinese Windows calls “ANSI”), UTF-16 with a BOM. Decoding finds the encoding and
//! drops the BOM, so it never reaches the analysis; encoding writes a text back the way
//! the file came (same encoding, same BOM). Line endings are never touched: the text
//! keeps the file's own LF, CRLF or CR, and so does a text written back.
//!
//! An adapter: no printing, no process exits; messages are in Chinese for the writer.

use encoding_rs::Encoding;

/// How a text file is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8 {
        bom: bool,
    },
    Utf16Le,
    Utf16Be,
    /// A legacy encoding found by the detector (GBK in practice; Big5 and others are
    /// decoded as well when that is what the bytes are).
    Legacy(&'static Encoding),
}

impl TextEncoding {
    /// The name a writer knows it by.
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 { bom: false } => "UTF-8",
            TextEncoding::Utf8 { bom: true } => "UTF-8（带 BOM）",
            TextEncoding::Utf16Le => "UTF-16LE",
            TextEncoding::Utf16Be => "UTF-16BE",
            TextEncoding::Legacy(e) => e.name(),
        }
    }
}

/// A decoded text file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextFile {
    /// The text without BOM, line endings as in the file.
    pub text: String,
    pub encoding: TextEncoding,
}

/// What kind of file the bytes are, judged by their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    /// A zip archive: a .docx (or another zip).
    Zip,
    /// An OLE compound file: Word 97–2003 .doc, WPS .wps, or an Office file encrypted
    /// with an open password (Office stores those as compound files too).
    Compound { encrypted: bool },
    /// Anything else: text, as far as we know.
    Plain,
}

const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

pub fn container(bytes: &[u8]) -> Container {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        Container::Zip
    } else if bytes.starts_with(&OLE_MAGIC) {
        // An encrypted OOXML file keeps its package in a stream named
        // "EncryptedPackage" (UTF-16LE in the compound file's directory).
        let name: Vec<u8> = "EncryptedPackage"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        let encrypted = bytes.windows(name.len()).any(|w| w == name.as_slice());
        Container::Compound { encrypted }
    } else {
        Container::Plain
    }
}

/// The message for a compound file (binary Word or WPS, or an encrypted document).
pub fn compound_message(encrypted: bool) -> &'static str {
    if encrypted {
        "文件已加密（设置了打开密码），无法读取；请在 Word 或 WPS 中取消密码后另存为 .docx 再检查"
    } else {
        "这是 Word 97-2003（.doc）或 WPS（.wps）的二进制格式，无法直接读取；请在 Word 或 WPS 中“另存为” .docx 后再检查"
    }
}

/// Decodes a text file: BOM first, then UTF-8, then the detector.
pub fn decode(bytes: &[u8]) -> Result<TextFile, String> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest, TextEncoding::Utf8 { bom: true });
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, TextEncoding::Utf16Le);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, TextEncoding::Utf16Be);
    }
    if let Some(text) = valid_utf8(bytes) {
        return checked(text.to_string(), TextEncoding::Utf8 { bom: false });
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    // Writers here are Chinese: the `.cn` hint tips close calls towards GBK.
    let guess = detector.guess(Some(b"cn"), chardetng::Utf8Detection::Deny);
    // GBK bytes are GB18030 bytes; decoding as GB18030 also covers the four-byte forms.
    let decoder = if guess == encoding_rs::GBK {
        encoding_rs::GB18030
    } else {
        guess
    };
    match decoder.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => checked(text.into_owned(), TextEncoding::Legacy(guess)),
        None => Err("无法识别文件编码（不是 UTF-8、GBK/GB18030 或带 BOM 的 UTF-16 文本）".into()),
    }
}

/// [`decode`] of bytes the caller owns: UTF-8 without a BOM, what most files are,
/// becomes the text in place. Copying it took some 4 ms of a 10 MB draft's `check`,
/// most of it faulting in the pages of the copy.
pub fn decode_owned(bytes: Vec<u8>) -> Result<TextFile, String> {
    let plain = !bytes.starts_with(b"\xEF\xBB\xBF")
        && !bytes.starts_with(b"\xFF\xFE")
        && !bytes.starts_with(b"\xFE\xFF");
    if plain && valid_utf8(&bytes).is_some() {
        // SAFETY: `valid_utf8` has just validated these very bytes as UTF-8.
        let text = unsafe { String::from_utf8_unchecked(bytes) };
        return checked(text, TextEncoding::Utf8 { bom: false });
    }
    decode(&bytes)
}

fn utf8(bytes: &[u8], encoding: TextEncoding) -> Result<TextFile, String> {
    match valid_utf8(bytes) {
        Some(text) => checked(text.to_string(), encoding),
        None => Err("文件以 UTF-8 BOM 开头，但内容不是有效的 UTF-8 文本".into()),
    }
}

/// `bytes` as text if they are valid UTF-8. encoding_rs validates with SIMD where the
/// processor has it (detected at run time): about a tenth of the time of
/// `std::str::from_utf8`, which spends some ten instructions on each byte of Chinese
/// text (about 10 ms for a 10 MB draft).
pub fn valid_utf8(bytes: &[u8]) -> Option<&str> {
    match encoding_rs::UTF_8.decode_without_bom_handling_and_without_replacement(bytes)? {
        std::borrow::Cow::Borrowed(text) => Some(text),
        // Not returned for valid UTF-8; checked again rather than trusted.
        std::borrow::Cow::Owned(_) => std::str::from_utf8(bytes).ok(),
    }
}

fn utf16(bytes: &[u8], encoding: TextEncoding) -> Result<TextFile, String> {
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|pair| {
            let pair = [pair[0], *pair.get(1).unwrap_or(&0)];
            if encoding == TextEncoding::Utf16Le {
                u16::from_le_bytes(pair)
            } else {
                u16::from_be_bytes(pair)
            }
        })
        .collect();
    if bytes.len() % 2 != 0 {
        return Err("UTF-16 文件的字节数不完整（文件可能被截断）".into());
    }
    match String::from_utf16(&units) {
        Ok(text) => checked(text, encoding),
        Err(_) => Err("文件以 UTF-16 BOM 开头，但内容不是有效的 UTF-16 文本".into()),
    }
}

/// Text with NUL characters is a binary file that happened to decode.
fn checked(text: String, encoding: TextEncoding) -> Result<TextFile, String> {
    if text.contains('\0') {
        return Err("不是文本文件（含有二进制内容）".into());
    }
    Ok(TextFile { text, encoding })
}

/// Encodes `text` the way the file it came from was encoded. Fails when a legacy
/// encoding cannot represent a character (nothing is silently replaced).
pub fn encode(text: &str, encoding: TextEncoding) -> Result<Vec<u8>, String> {
    Ok(match encoding {
        TextEncoding::Utf8 { bom } => {
            let mut out = Vec::with_capacity(text.len() + 3);
            if bom {
                out.extend_from_slice(b"\xEF\xBB\xBF");
            }
            out.extend_from_slice(text.as_bytes());
            out
        }
        TextEncoding::Utf16Le => std::iter::once(0xFEFF)
            .chain(text.encode_utf16())
            .flat_map(u16::to_le_bytes)
            .collect(),
        TextEncoding::Utf16Be => std::iter::once(0xFEFF)
            .chain(text.encode_utf16())
            .flat_map(u16::to_be_bytes)
            .collect(),
        TextEncoding::Legacy(enc) => {
            let (bytes, _, unmappable) = enc.encode(text);
            if unmappable {
                return Err(format!(
                    "修改后的文本含有 {} 编码无法表示的字符，未写入",
                    enc.name()
                ));
            }
            bytes.into_owned()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "　　一、加强党的领导，落实“四个意识”。\r\n二、xx年工作\r\n";

    fn round_trip(bytes: &[u8], expected: TextEncoding) {
        let file = decode(bytes).unwrap();
        assert_eq!(file.text, TEXT);
        assert_eq!(file.encoding, expected);
        assert_eq!(encode(&file.text, file.encoding).unwrap(), bytes);
    }

    #[test]
    fn every_encoding_writers_use_round_trips() {
        round_trip(TEXT.as_bytes(), TextEncoding::Utf8 { bom: false });
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(TEXT.as_bytes());
        round_trip(&bom, TextEncoding::Utf8 { bom: true });
        let (gbk, _, bad) = encoding_rs::GBK.encode(TEXT);
        assert!(!bad);
        round_trip(&gbk, TextEncoding::Legacy(encoding_rs::GBK));
        let le = encode(TEXT, TextEncoding::Utf16Le).unwrap();
        assert_eq!(&le[..2], b"\xFF\xFE");
        round_trip(&le, TextEncoding::Utf16Le);
        let be = encode(TEXT, TextEncoding::Utf16Be).unwrap();
        round_trip(&be, TextEncoding::Utf16Be);
    }

    /// Long inputs take encoding_rs's SIMD path (64 bytes and more): the verdict and the
    /// text are those of the standard library, also for a flaw deep inside.
    #[test]
    fn utf8_validation_agrees_with_the_standard_library() {
        let long = TEXT.repeat(20);
        assert_eq!(valid_utf8(long.as_bytes()), Some(long.as_str()));
        let flaws: [&[u8]; 5] = [
            b"\xFF",
            b"\xE4\xB8",
            b"\xC0\xAF",
            b"\xED\xA0\x80",
            b"\xF4\x90\x80\x80",
        ];
        for flaw in flaws {
            for at in [0, 1, 63, 64, long.len() / 2] {
                let at = (0..=at).rev().find(|&i| long.is_char_boundary(i)).unwrap();
                let mut bytes = long.as_bytes().to_vec();
                bytes.splice(at..at, flaw.iter().copied());
                assert_eq!(
                    valid_utf8(&bytes),
                    std::str::from_utf8(&bytes).ok(),
                    "{flaw:?} at {at}"
                );
                assert_eq!(valid_utf8(&bytes), None);
            }
        }
    }

    #[test]
    fn a_short_gbk_line_is_still_gbk() {
        let (gbk, _, _) = encoding_rs::GBK.encode("同志们：");
        assert_eq!(decode(&gbk).unwrap().text, "同志们：");
        assert_eq!(decode_owned(gbk.into_owned()).unwrap().text, "同志们：");
        for bytes in [
            &b"\xEF\xBB\xBFabc"[..],
            "同志们：".as_bytes(),
            b"a\0b",
            b"\xFF\xFEa\x00",
        ] {
            let (owned, borrowed) = (decode_owned(bytes.to_vec()), decode(bytes));
            assert_eq!(
                owned.as_ref().map(|t| (&t.text, t.encoding)),
                borrowed.as_ref().map(|t| (&t.text, t.encoding))
            );
        }
    }

    #[test]
    fn unmappable_characters_are_refused_not_replaced() {
        let err = encode("𠮷", TextEncoding::Legacy(encoding_rs::GBK)).unwrap_err();
        assert!(err.contains("无法表示"), "{err}");
    }

    #[test]
    fn binary_and_broken_input_is_reported() {
        assert!(decode(b"\x00\x01\x02abc").is_err());
        assert!(decode(b"\xEF\xBB\xBF\xFF").is_err());
        assert!(decode(b"\xFF\xFEa").is_err());
        assert_eq!(container(b"PK\x03\x04rest"), Container::Zip);
        let mut ole = OLE_MAGIC.to_vec();
        ole.extend(
            "EncryptedPackage"
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes()),
        );
        assert_eq!(container(&ole), Container::Compound { encrypted: true });
        assert_eq!(
            container(&OLE_MAGIC),
            Container::Compound { encrypted: false }
        );
    }
}
