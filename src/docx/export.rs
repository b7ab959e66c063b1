//! A speech laid out as GB/T 9704-2012 prescribes for official documents, the way
//! offices print speeches: A4, margins 37/35/28/26 mm (top/bottom/left/right), a text
//! block of 22 lines of 28 characters, title in 2号 小标宋, speaker and date in 3号 楷体,
//! body in 3号 仿宋 indented two characters, the four heading levels in 黑体, 楷体,
//! bold 仿宋 and 仿宋, and page numbers “— 1 —” in 4号 宋体 at the outer side.
//!
//! Levels come from the outline: the depth of a point among the non-inline points
//! above it. Inline points (一是, 二是) stay inside their paragraphs.

use super::package::build;
use super::DocxError;
use crate::analysis::NodeKind;
use crate::document::Analysis;
use quick_xml::escape::escape;
use serde::Deserialize;
use std::collections::HashMap;

/// Font names for each part of the layout. Offices using WPS often have 方正仿宋_GBK
/// and the like instead of the GB2312 fonts, so they can be changed in
/// `jianggao.toml` under `[export.fonts]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Fonts {
    pub title: String,
    pub speaker: String,
    pub body: String,
    pub heading1: String,
    pub heading2: String,
    pub heading3: String,
    pub heading4: String,
    pub page_number: String,
}

impl Default for Fonts {
    fn default() -> Self {
        Fonts {
            title: "方正小标宋简体".into(),
            speaker: "楷体_GB2312".into(),
            body: "仿宋_GB2312".into(),
            heading1: "黑体".into(),
            heading2: "楷体_GB2312".into(),
            heading3: "仿宋_GB2312".into(),
            heading4: "仿宋_GB2312".into(),
            page_number: "宋体".into(),
        }
    }
}

impl Fonts {
    /// The `[export.fonts]` table of a `jianggao.toml` (defaults for what it omits).
    pub fn from_toml(text: &str) -> Result<Fonts, String> {
        #[derive(Deserialize, Default)]
        struct File {
            #[serde(default)]
            export: Option<Export>,
        }
        #[derive(Deserialize, Default)]
        #[serde(deny_unknown_fields)]
        struct Export {
            #[serde(default)]
            fonts: Fonts,
        }
        let file: File = toml::from_str(text)
            .map_err(|e| format!("jianggao.toml 中 [export] 设置有误：{}", e.message()))?;
        Ok(file.export.unwrap_or_default().fonts)
    }
}

// Sizes in half-points (w:sz): 2号 = 22 pt, 3号 = 16 pt, 4号 = 14 pt.
const SIZE_2: u32 = 44;
const SIZE_3: u32 = 32;
const SIZE_4: u32 = 28;

/// Page and margins in twips (1 mm = 1440 / 25.4 twips).
const fn mm(v: u32) -> u32 {
    (v * 14400 + 127) / 254
}
pub const PAGE_WIDTH: u32 = 11906; // 210 mm
pub const PAGE_HEIGHT: u32 = 16838; // 297 mm
pub const MARGIN_TOP: u32 = mm(37);
pub const MARGIN_BOTTOM: u32 = mm(35);
pub const MARGIN_LEFT: u32 = mm(28);
pub const MARGIN_RIGHT: u32 = mm(26);
pub const LINES_PER_PAGE: u32 = 22;
pub const CHARS_PER_LINE: u32 = 28;
/// Line pitch: the 225 mm text block height over 22 lines, in twips (rounded down so
/// that 22 lines fit).
pub const LINE_PITCH: u32 = (PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM) / LINES_PER_PAGE;

/// Character spacing (twips, in `w:spacing`) of 3号 text so that 28 characters fill a
/// line: the 156 mm line over 28 is 315.9 twips a character; 3号 is 320 twips wide, so
/// each character is condensed by 5 twips (0.25 pt). (A character grid,
/// `docGrid linesAndChars`, would say the same to Word, but LibreOffice lays the grid
/// out differently; condensed spacing gives 28 characters in both.)
pub const CHAR_SPACING: i32 =
    ((PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT) / CHARS_PER_LINE) as i32 - (SIZE_3 * 10) as i32;

/// The page number sits 7 mm below the text block: its line (exactly 4号 high) ends
/// this far above the paper's bottom edge.
const FOOTER: u32 = mm(35 - 7) - SIZE_4 * 10;

/// What a paragraph of the speech is in the layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Title,
    Speaker,
    Body,
    /// A non-inline point at this depth (1 = 一、).
    Level(usize),
    /// A heading that is not the title (Markdown `##`), shown like level 1.
    Heading,
    /// The salutation (同志们：), flush left.
    Salutation,
}

/// Lays out a speech. `text` is the text that was analysed, `analysis` its analysis.
pub fn export(text: &str, analysis: &Analysis, fonts: &Fonts) -> Result<Vec<u8>, DocxError> {
    let outline = &analysis.structure.outline;
    let mut roles: HashMap<u32, (Role, Option<u32>)> = HashMap::new();
    let mut title_ends: Vec<u32> = Vec::new();
    for block in &outline.title_blocks {
        let line = outline.nodes[block.heading].marker.start.line;
        roles.insert(line, (Role::Title, None));
        for &l in &block.lines {
            roles.insert(l, (Role::Speaker, None));
        }
        title_ends.push(block.lines.iter().copied().max().unwrap_or(line));
    }
    for (i, node) in outline.nodes.iter().enumerate() {
        let line = node.marker.start.line;
        if roles.contains_key(&line) {
            continue;
        }
        match node.kind {
            NodeKind::Heading { .. } => {
                roles.insert(line, (Role::Heading, None));
            }
            NodeKind::Point { inline: false, .. } => {
                let depth = outline
                    .path(i)
                    .iter()
                    .filter(|&&n| {
                        matches!(outline.nodes[n].kind, NodeKind::Point { inline: false, .. })
                    })
                    .count();
                let headline_end =
                    (node.headline.end.line == line).then_some(node.headline.end.col);
                roles.insert(line, (Role::Level(depth), headline_end));
            }
            NodeKind::Point { .. } => {}
        }
    }
    let mut body = String::new();
    let rope = ropey::Rope::from_str(text);
    for i in 0..rope.len_lines() {
        let raw = crate::text::line_content(&rope, i).to_string();
        let line = i as u32;
        let (mut role, headline_end) = roles.get(&line).copied().unwrap_or((Role::Body, None));
        if role == Role::Body && crate::analysis::line::is_salutation(raw.trim()) {
            role = Role::Salutation;
        }
        let leading = raw.chars().take_while(|c| c.is_whitespace()).count();
        let mut content: String = raw.chars().skip(leading).collect();
        if matches!(role, Role::Title | Role::Heading) {
            content = content.trim_start_matches('#').trim_start().to_string();
        }
        let content = content.trim_end();
        if content.is_empty() {
            continue;
        }
        body.push_str(&paragraph(
            role,
            content,
            headline_end.map(|e| e as usize - leading.min(e as usize)),
            fonts,
        ));
        if title_ends.contains(&line) {
            // One empty line between the title block and the text.
            body.push_str(&format!("<w:p>{}</w:p>", paragraph_props("both", false)));
        }
    }
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{body}<w:sectPr><w:footerReference w:type="default" r:id="rIdFooterOdd"/><w:footerReference w:type="even" r:id="rIdFooterEven"/><w:pgSz w:w="{PAGE_WIDTH}" w:h="{PAGE_HEIGHT}"/><w:pgMar w:top="{MARGIN_TOP}" w:right="{MARGIN_RIGHT}" w:bottom="{MARGIN_BOTTOM}" w:left="{MARGIN_LEFT}" w:header="851" w:footer="{FOOTER}" w:gutter="0"/><w:cols w:space="425"/><w:docGrid w:type="lines" w:linePitch="{LINE_PITCH}"/></w:sectPr></w:body></w:document>"#
    );
    let parts: Vec<(&str, Vec<u8>)> = vec![
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes().to_vec()),
        ("_rels/.rels", ROOT_RELS.as_bytes().to_vec()),
        ("word/document.xml", document.into_bytes()),
        (
            "word/_rels/document.xml.rels",
            DOCUMENT_RELS.as_bytes().to_vec(),
        ),
        ("word/styles.xml", styles(fonts).into_bytes()),
        ("word/settings.xml", SETTINGS.as_bytes().to_vec()),
        ("word/footer1.xml", footer(fonts, "right").into_bytes()),
        ("word/footer2.xml", footer(fonts, "left").into_bytes()),
    ];
    build(&parts)
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

fn run_props(font: &str, size: u32, bold: bool) -> String {
    let f = escape(font);
    let spacing = if size == SIZE_3 {
        format!(r#"<w:spacing w:val="{CHAR_SPACING}"/>"#)
    } else {
        String::new()
    };
    format!(
        r#"<w:rPr><w:rFonts w:ascii="{f}" w:hAnsi="{f}" w:eastAsia="{f}" w:cs="{f}"/>{}{spacing}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>"#,
        if bold { "<w:b/><w:bCs/>" } else { "" }
    )
}

fn paragraph_props(align: &str, indent: bool) -> String {
    let ind = if indent {
        // Two characters of 3号 (16 pt = 320 twips each).
        r#"<w:ind w:firstLineChars="200" w:firstLine="640"/>"#
    } else {
        r#"<w:ind w:firstLineChars="0" w:firstLine="0"/>"#
    };
    format!(
        r#"<w:pPr><w:spacing w:before="0" w:after="0" w:line="{LINE_PITCH}" w:lineRule="exact"/>{ind}<w:jc w:val="{align}"/></w:pPr>"#
    )
}

fn run(text: &str, props: &str) -> String {
    let mut out = String::new();
    for (i, piece) in text.split('\t').enumerate() {
        if i > 0 {
            out.push_str(&format!("<w:r>{props}<w:tab/></w:r>"));
        }
        if !piece.is_empty() {
            out.push_str(&format!(
                r#"<w:r>{props}<w:t xml:space="preserve">{}</w:t></w:r>"#,
                escape(piece)
            ));
        }
    }
    out
}

fn paragraph(role: Role, content: &str, headline_end: Option<usize>, fonts: &Fonts) -> String {
    let body_props = run_props(&fonts.body, SIZE_3, false);
    match role {
        Role::Title => format!(
            "<w:p>{}{}</w:p>",
            paragraph_props("center", false),
            run(content, &run_props(&fonts.title, SIZE_2, false))
        ),
        Role::Speaker => format!(
            "<w:p>{}{}</w:p>",
            paragraph_props("center", false),
            run(content, &run_props(&fonts.speaker, SIZE_3, false))
        ),
        Role::Salutation => format!(
            "<w:p>{}{}</w:p>",
            paragraph_props("both", false),
            run(content, &body_props)
        ),
        Role::Body | Role::Level(5..) => format!(
            "<w:p>{}{}</w:p>",
            paragraph_props("both", true),
            run(content, &body_props)
        ),
        Role::Heading | Role::Level(_) => {
            let level_props = match role {
                Role::Level(2) => run_props(&fonts.heading2, SIZE_3, false),
                Role::Level(3) => run_props(&fonts.heading3, SIZE_3, true),
                Role::Level(4) => run_props(&fonts.heading4, SIZE_3, false),
                _ => run_props(&fonts.heading1, SIZE_3, false),
            };
            // The heading's own words take the level's font; a sentence that follows
            // in the same paragraph is body text.
            let chars: Vec<char> = content.chars().collect();
            let mut split = headline_end.unwrap_or(usize::MAX).min(chars.len());
            // The punctuation that ends the heading belongs to it.
            if chars
                .get(split)
                .is_some_and(|c| matches!(c, '。' | '！' | '？' | '；' | '：'))
            {
                split += 1;
            }
            let head: String = content.chars().take(split).collect();
            let rest: String = content.chars().skip(split).collect();
            format!(
                "<w:p>{}{}{}</w:p>",
                paragraph_props("both", true),
                run(&head, &level_props),
                run(&rest, &body_props)
            )
        }
    }
}

/// A short line that addresses the audience and ends with a colon (同志们：,
/// 各位代表：) stands flush left, as 主送机关 does in documents.
fn styles(fonts: &Fonts) -> String {
    let props = run_props(&fonts.body, SIZE_3, false);
    let defaults = props.replace(
        "<w:rPr>",
        "<w:rPr><w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/>",
    );
    // The grid's character pitch counts from the Normal style's size: Word takes it
    // from the defaults, LibreOffice from the style itself, so both carry it.
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W}"><w:docDefaults><w:rPrDefault>{defaults}</w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>{props}</w:style></w:styles>"#
    )
}

/// A footer with the page number “— N —”, aligned to `side` and one character (4号)
/// in from the edge.
fn footer(fonts: &Fonts, side: &str) -> String {
    let props = run_props(&fonts.page_number, SIZE_4, false);
    let indent = if side == "right" {
        r#"<w:ind w:right="280"/>"#
    } else {
        r#"<w:ind w:left="280"/>"#
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr xmlns:w="{W}" xmlns:r="{R}"><w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="{}" w:lineRule="exact"/>{indent}<w:jc w:val="{side}"/></w:pPr><w:r>{props}<w:t xml:space="preserve">— </w:t></w:r><w:r>{props}<w:fldChar w:fldCharType="begin"/></w:r><w:r>{props}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r>{props}<w:fldChar w:fldCharType="separate"/></w:r><w:r>{props}<w:t>1</w:t></w:r><w:r>{props}<w:fldChar w:fldCharType="end"/></w:r><w:r>{props}<w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>"#,
        SIZE_4 * 10
    )
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rIdFooterOdd" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/><Relationship Id="rIdFooterEven" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/></Relationships>"#;

/// Different footers on odd and even pages (the page number at the outer side).
const SETTINGS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:evenAndOddHeaders/><w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_geometry_follows_the_standard() {
        assert_eq!(
            (MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT),
            (2098, 1984, 1587, 1474)
        );
        // 22 lines fit the 225 mm block, 23 do not.
        let block = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM;
        assert!((22 * LINE_PITCH..23 * LINE_PITCH).contains(&block));
        // 28 condensed 3号 characters fit the 156 mm line, 29 do not.
        let pitch = 320 + CHAR_SPACING;
        let width = (PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT) as i32;
        assert!(28 * pitch <= width && 29 * pitch > width, "{pitch}");
    }

    #[test]
    fn fonts_can_be_renamed_in_the_workspace_file() {
        let fonts =
            Fonts::from_toml("speaking_rate = 200\n[export.fonts]\nbody = \"方正仿宋_GBK\"\n")
                .unwrap();
        assert_eq!(fonts.body, "方正仿宋_GBK");
        assert_eq!(fonts.heading1, "黑体");
        assert!(Fonts::from_toml("[export.fonts]\nbdy = \"x\"\n").is_err());
        assert_eq!(Fonts::from_toml("").unwrap(), Fonts::default());
    }
}
