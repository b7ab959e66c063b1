//! Word documents end to end: reading, tracked changes and comments, the GB/T 9704
//! export, text encodings, and malformed input.
//!
//! Two kinds of fixtures: small packages built here from XML (exact control over runs,
//! numbering and revisions), and documents made by LibreOffice, the real office suite:
//! it converts the bundled fixtures, the shared corpus and two hand-written ODF files
//! (`tests/fixtures/docx/*.fodt`: automatic numbering, tracked changes) to .docx, and
//! opens every .docx jianggao writes (conversion to PDF, read back with `pdftotext`).
//! The LibreOffice tests print “skipped” when `soffice` is missing, except under
//! `CI=true`, where a missing `soffice` fails them.

mod common;

use jianggao::docx::Docx;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jianggao"));
    c.env("SOURCE_DATE_EPOCH", "1709251200");
    c
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh, empty folder for one test, removed when it passes.
fn scratch(name: &str) -> common::Scratch {
    common::Scratch::new(&format!("docx-{name}"))
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("run jianggao")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&o.stdout),
            stderr(o)
        )
    })
}

// ---------------------------------------------------------------------------
// Packages built from XML.

/// A .docx with `body` as the content of `w:body`, and extra parts (name, xml) related
/// to the document by their type (numbering, styles, comments, header).
fn package(body: &str, extra: &[(&str, &str, &str)]) -> Vec<u8> {
    let mut types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>"#,
    );
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for (i, (name, kind, _)) in extra.iter().enumerate() {
        types.push_str(&format!(
            r#"<Override PartName="/word/{name}" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml"/>"#
        ));
        rels.push_str(&format!(
            r#"<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}" Target="{name}"/>"#
        ));
    }
    types.push_str("</Types>");
    rels.push_str("</Relationships>");
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>"#
    );
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    let mut add = |name: &str, data: &[u8]| {
        zip.start_file(name, options).unwrap();
        zip.write_all(data).unwrap();
    };
    add("[Content_Types].xml", types.as_bytes());
    add(
        "_rels/.rels",
        br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#,
    );
    add("word/document.xml", document.as_bytes());
    add("word/_rels/document.xml.rels", rels.as_bytes());
    for (name, _, xml) in extra {
        add(&format!("word/{name}"), xml.as_bytes());
    }
    add(
        "word/media/image1.png",
        b"\x89PNG\r\n\x1a\nnot really a picture",
    );
    add(
        "customXml/item1.xml",
        b"<root>\xe5\x86\x85\xe9\x83\xa8</root>",
    );
    zip.finish().unwrap().into_inner()
}

/// Every part, uncompressed.
fn parts(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().to_string(), data)
        })
        .collect()
}

/// Every part as stored: (compressed bytes, CRC).
fn stored(bytes: &[u8]) -> BTreeMap<String, (Vec<u8>, u32)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index_raw(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().to_string(), (data, f.crc32()))
        })
        .collect()
}

fn part(bytes: &[u8], name: &str) -> String {
    String::from_utf8(
        parts(bytes)
            .remove(name)
            .unwrap_or_else(|| panic!("no {name}")),
    )
    .unwrap()
}

fn p(runs: &str) -> String {
    format!("<w:p>{runs}</w:p>")
}

fn r(text: &str) -> String {
    format!(r#"<w:r><w:t xml:space="preserve">{text}</w:t></w:r>"#)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn text_is_the_body_as_word_shows_it_with_changes_accepted() {
    let body = [
        p(&r("意识形态工作讲话")),
        // Runs are joined; tab and break are whitespace and a line break.
        p(&format!(
            "{}<w:r><w:rPr><w:b/></w:rPr><w:t>各位</w:t><w:tab/><w:t>同志</w:t><w:br/><w:t>们：</w:t></w:r>",
            r("　　")
        )),
        // Tracked changes accepted: insertions in, deletions out; a picture and a
        // footnote reference add no text; a field's result is text, its code is not.
        p(&format!(
            r#"{}<w:ins w:id="7" w:author="张三" w:date="2024-01-01T00:00:00Z">{}</w:ins><w:del w:id="8" w:author="张三" w:date="2024-01-01T00:00:00Z"><w:r><w:delText>删去的话</w:delText></w:r></w:del><w:r><w:drawing><wp:inline xmlns:wp="x"><w:p><w:r><w:t>文本框里的字</w:t></w:r></w:p></wp:inline></w:drawing></w:r><w:r><w:footnoteReference w:id="1"/></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>{}<w:r><w:fldChar w:fldCharType="end"/></w:r>"#,
            r("党的十九"),
            r("大"),
            r("精神&amp;要求")
        )),
        // Table cells are paragraphs.
        format!(
            "<w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>",
            p(&r("单元格一")),
            p(&r("单元格二"))
        ),
        "<w:p/>".to_string(),
        p(&r("完")),
    ]
    .concat();
    let header =
        format!(r#"<w:hdr xmlns:w="{W}"><w:p><w:r><w:t>页眉文字</w:t></w:r></w:p></w:hdr>"#);
    let doc = Docx::open(package(&body, &[("header1.xml", "header", &header)])).unwrap();
    assert_eq!(
        doc.text(),
        "意识形态工作讲话\n　　各位\t同志\n们：\n党的十九大精神&要求\n单元格一\n单元格二\n\n完"
    );
    assert_eq!(doc.paragraph_count(), 7);
    // Line 2 of the text is the second line of paragraph 2.
    let at = doc.locate(jianggao::text::Pos::new(2, 1));
    assert_eq!((at.paragraph, at.offset), (1, 9));
}

const NUMBERING: &str = r#"<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:abstractNum w:abstractNumId="0">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
 <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
 <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="4"/></w:lvlOverride></w:num>
</w:numbering>"#;

const STYLES: &str = r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:style w:type="paragraph" w:styleId="Level1"><w:name w:val="heading 1"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Level1Child"><w:basedOn w:val="Level1"/><w:pPr><w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr></w:style>
</w:styles>"#;

fn numbered(text: &str, num: u32, ilvl: u32) -> String {
    format!(
        r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr></w:pPr>{}</w:p>"#,
        r(text)
    )
}

fn styled(text: &str, style: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{}</w:p>"#,
        r(text)
    )
}

/// A speech with automatic numbering: a style-numbered level 1, direct numbering
/// below it, and a second list instance that starts at 四 (a gap after 一、).
fn numbered_speech() -> Vec<u8> {
    let body = [
        p(&r("关于意识形态工作的讲话")),
        p(&r("同志们：")),
        styled("提高政治站位", "Level1"),
        styled("深化理论武装。要学深悟透。", "Level1Child"),
        numbered("抓好新闻宣传。", 1, 2),
        numbered("抓好网络阵地。", 1, 2),
        numbered("压实工作责任", 1, 1),
        numbered("强化组织保障", 2, 0),
        p(&r("同志们，让我们共同努力。")),
    ]
    .concat();
    package(
        &body,
        &[
            ("numbering.xml", "numbering", NUMBERING),
            ("styles.xml", "styles", STYLES),
        ],
    )
}

#[test]
fn automatic_numbering_is_text_and_makes_the_outline() {
    let dir = scratch("numbering");
    let file = write(&dir, "numbered.docx", &numbered_speech());
    let doc = Docx::open(std::fs::read(&file).unwrap()).unwrap();
    let lines: Vec<&str> = doc.text().lines().collect();
    assert_eq!(
        lines[2..8],
        [
            "一、提高政治站位",
            "（一）深化理论武装。要学深悟透。",
            "1.抓好新闻宣传。",
            "2.抓好网络阵地。",
            "（二）压实工作责任",
            "四、强化组织保障",
        ]
    );
    let out = run(bin().args(["outline", "--format", "json"]).arg(&file));
    let outline = json(&out);
    let title = &outline[0]["outline"][0];
    let first = &title["children"][0];
    assert_eq!(first["name"], "一、提高政治站位");
    assert_eq!(first["paragraph"], 3);
    assert_eq!(first["children"][0]["name"], "（一）深化理论武装");
    assert_eq!(
        first["children"][0]["children"][1]["name"],
        "2.抓好网络阵地"
    );
    let text = run(bin().arg("outline").arg(&file));
    assert!(
        String::from_utf8_lossy(&text.stdout).contains("（二）压实工作责任  (")
            && String::from_utf8_lossy(&text.stdout).contains("第 7 段"),
        "{}",
        String::from_utf8_lossy(&text.stdout)
    );

    // The gap is reported, named by paragraph, with no text fix to offer.
    let out = run(bin().args(["check", "--format", "json"]).arg(&file));
    let diags = json(&out);
    let gap = diags
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "numbering-gap")
        .unwrap_or_else(|| panic!("no gap in {diags:#}"));
    assert_eq!(gap["paragraph"], 8);
    assert_eq!(gap["offset"], 0);
    assert_eq!(gap["fixes"], serde_json::json!([]));
    // With --fix it becomes a comment, not a change.
    let out = run(bin().args(["check", "--fix"]).arg(&file));
    assert!(stderr(&out).contains("0 处修订"), "{}", stderr(&out));
    let fixed = std::fs::read(dir.join("numbered.jianggao.docx")).unwrap();
    let document = part(&fixed, "word/document.xml");
    assert!(!document.contains("<w:ins ") && !document.contains("<w:del "));
    assert!(
        part(&fixed, "word/comments.xml").contains("二"),
        "the comment names the expected number"
    );
}

/// A paragraph with formatted runs and two certain fixes: “党的十九精神” (the 大 goes
/// into the bold run) and a half-width comma (in a run with a tab after it).
fn formatted_speech() -> Vec<u8> {
    let body = [
        p(&r("关于意识形态工作的讲话")),
        p(&r("同志们：")),
        r#"<w:p><w:pPr><w:jc w:val="both"/></w:pPr><w:r><w:rPr><w:rFonts w:eastAsia="仿宋_GB2312"/></w:rPr><w:t>全系统以党的十</w:t></w:r><w:bookmarkStart w:id="0" w:name="b"/><w:r><w:rPr><w:b/><w:color w:val="FF0000"/></w:rPr><w:t>九精神</w:t></w:r><w:bookmarkEnd w:id="0"/><w:r><w:rPr><w:i/></w:rPr><w:t>为指导,工作</w:t><w:tab/><w:t>取得进展。</w:t></w:r></w:p>"#
        .to_string(),
        p(&r("今年要完成xx项任务。")),
    ]
    .concat();
    let styles = format!(
        r#"<w:styles xmlns:w="{W}"><w:style w:type="paragraph" w:styleId="Normal"/></w:styles>"#
    );
    let settings = format!(r#"<w:settings xmlns:w="{W}"><w:zoom w:percent="120"/></w:settings>"#);
    package(
        &body,
        &[
            ("styles.xml", "styles", &styles),
            ("settings.xml", "settings", &settings),
        ],
    )
}

#[test]
fn fixes_become_tracked_changes_that_keep_run_formatting_and_other_parts() {
    let dir = scratch("tracked");
    let input = write(&dir, "draft.docx", &formatted_speech());
    let original = std::fs::read(&input).unwrap();
    let out = run(bin().args(["check", "--fix"]).arg(&input));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("2 处修订，1 条批注"),
        "{}",
        stderr(&out)
    );
    // The input is untouched; the output sits beside it; nothing else was written.
    assert_eq!(std::fs::read(&input).unwrap(), original);
    assert_eq!(listing(&dir), ["draft.docx", "draft.jianggao.docx"]);
    let fixed = std::fs::read(dir.join("draft.jianggao.docx")).unwrap();

    let document = part(&fixed, "word/document.xml");
    // Only what changes is tracked, in the formatting of the text around it.
    assert!(document.contains(r#"<w:ins w:id="#), "{document}");
    assert!(document.contains(
        r#"w:author="讲稿校对" w:date="2024-03-01T00:00:00Z"><w:r><w:rPr><w:b/><w:color w:val="FF0000"/></w:rPr><w:t xml:space="preserve">大</w:t></w:r></w:ins>"#
    ), "{document}");
    assert!(document.contains(
        r#"<w:r><w:rPr><w:i/></w:rPr><w:delText xml:space="preserve">,</w:delText></w:r></w:del>"#
    ), "{document}");
    assert!(
        document.contains(
            r#"<w:r><w:rPr><w:i/></w:rPr><w:t xml:space="preserve">，</w:t></w:r></w:ins>"#
        ),
        "{document}"
    );
    // The tab stays in its run, and the bookmark stays where it was.
    assert!(
        document.contains(r#"<w:tab/><w:t xml:space="preserve">取得进展。</w:t>"#),
        "{document}"
    );
    assert!(document.contains(r#"<w:bookmarkStart w:id="0" w:name="b"/>"#));
    // Revision ids are unique.
    let ids: Vec<&str> = document
        .match_indices(r#"<w:ins w:id=""#)
        .chain(document.match_indices(r#"<w:del w:id=""#))
        .map(|(i, m)| {
            let v = &document[i + m.len()..];
            &v[..v.find('"').unwrap()]
        })
        .collect();
    assert_eq!(ids.len(), 3, "{document}");
    let unique: std::collections::HashSet<_> = ids.iter().collect();
    assert_eq!(ids.len(), unique.len(), "{ids:?}");
    // Untouched paragraphs are byte-identical.
    let before = part(&original, "word/document.xml");
    let cut = before.find("<w:p><w:pPr><w:jc").unwrap();
    assert_eq!(document[..cut], before[..cut]);
    let tail = &before[before.find("<w:sectPr>").unwrap()..];
    assert!(document.ends_with(tail));

    // The comment for the placeholder is anchored on “xx” and says what is wrong.
    assert!(document.contains(r#"<w:commentRangeStart w:id="#));
    let comments = part(&fixed, "word/comments.xml");
    assert!(
        comments.contains("占位符") && comments.contains(r#"w:author="讲稿校对""#),
        "{comments}"
    );
    let anchored = document.split("<w:commentRangeStart").nth(1).unwrap();
    let anchored = &anchored[..anchored.find("<w:commentRangeEnd").unwrap()];
    assert!(anchored.contains(">xx<"), "{anchored}");

    // Every other part is byte-identical, compressed bytes included; the comments
    // part is new, with its content type and relationship.
    let (a, b) = (stored(&original), stored(&fixed));
    for (name, data) in &a {
        if [
            "word/document.xml",
            "[Content_Types].xml",
            "word/_rels/document.xml.rels",
        ]
        .contains(&name.as_str())
        {
            continue;
        }
        assert_eq!(Some(data), b.get(name), "{name} changed");
    }
    assert!(part(&fixed, "[Content_Types].xml").contains(r#"PartName="/word/comments.xml""#));
    assert!(part(&fixed, "word/_rels/document.xml.rels").contains(r#"Target="comments.xml""#));

    // Reading the output accepts the changes: the fixes are there.
    let reread = Docx::open(fixed).unwrap();
    assert!(
        reread
            .text()
            .contains("党的十九大精神为指导，工作\t取得进展。"),
        "{}",
        reread.text()
    );
}

#[test]
fn accept_applies_fixes_and_existing_comments_are_kept() {
    let dir = scratch("accept");
    let comments = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:comments xmlns:w="{W}"><w:comment w:id="5" w:author="李四"><w:p><w:r><w:t>原有批注</w:t></w:r></w:p></w:comment></w:comments>"#
    );
    let body = format!(
        r#"<w:p><w:commentRangeStart w:id="5"/>{}<w:commentRangeEnd w:id="5"/><w:r><w:commentReference w:id="5"/></w:r></w:p>{}"#,
        r("同志们："),
        p(&r("以党的十九精神为指导,今年完成xx项任务。"))
    );
    let input = write(
        &dir,
        "draft.docx",
        &package(&body, &[("comments.xml", "comments", &comments)]),
    );
    let out = run(bin()
        .args(["check", "--fix", "--accept", "-o"])
        .arg(dir.join("out.docx"))
        .arg(&input));
    assert!(
        stderr(&out).contains("2 处修改，1 条批注"),
        "{}",
        stderr(&out)
    );
    let fixed = std::fs::read(dir.join("out.docx")).unwrap();
    let document = part(&fixed, "word/document.xml");
    assert!(
        !document.contains("<w:ins") && !document.contains("<w:del"),
        "{document}"
    );
    let reread = Docx::open(fixed.clone()).unwrap();
    assert_eq!(
        reread.text(),
        "同志们：\n以党的十九大精神为指导，今年完成xx项任务。"
    );
    let comments = part(&fixed, "word/comments.xml");
    assert!(
        comments.contains("原有批注") && comments.contains("占位符"),
        "{comments}"
    );
    // The new comment's id is above the existing one.
    assert!(!comments.contains(r#"<w:comment w:id="5" w:author="讲稿校对""#));
    // The content types needed no change: the part existed.
    assert_eq!(
        stored(&fixed)["[Content_Types].xml"],
        stored(&std::fs::read(&input).unwrap())["[Content_Types].xml"]
    );
}

#[test]
fn the_input_is_overwritten_only_when_asked() {
    let dir = scratch("overwrite");
    let input = write(&dir, "draft.docx", &formatted_speech());
    let original = std::fs::read(&input).unwrap();
    let out = run(bin().args(["check", "--fix", "-o"]).arg(&input).arg(&input));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--in-place"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&input).unwrap(), original);
    let out = run(bin().args(["check", "--fix", "--in-place"]).arg(&input));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_ne!(std::fs::read(&input).unwrap(), original);
    assert_eq!(listing(&dir), ["draft.docx"]);
}

#[test]
fn check_names_paragraphs_and_offsets() {
    let dir = scratch("names");
    let input = write(&dir, "draft.docx", &formatted_speech());
    let out = run(bin().arg("check").arg(&input));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("draft.docx:第 3 段第 5 字: error[wrong-form]"),
        "{text}"
    );
    let out = run(bin().args(["check", "--format", "json"]).arg(&input));
    let diags = json(&out);
    let wrong = diags
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "wrong-form")
        .unwrap();
    assert_eq!(
        (
            wrong["paragraph"].as_u64(),
            wrong["offset"].as_u64(),
            wrong["end_offset"].as_u64()
        ),
        (Some(3), Some(4), Some(10))
    );
    assert_eq!(wrong["fixes"][0]["edits"][0]["new_text"], "党的十九大精神");
}

// ---------------------------------------------------------------------------
// Malformed input: a clear message, exit status 2, nothing written.

fn refuses(name: &str, bytes: &[u8], expected: &str) {
    let dir = scratch(&format!("bad-{}", name.replace('.', "-")));
    let input = write(&dir, name, bytes);
    for args in [&["check"][..], &["check", "--fix"], &["outline"]] {
        let out = run(bin().args(args).arg(&input));
        assert_eq!(
            out.status.code(),
            Some(2),
            "{name} {args:?}: {}",
            stderr(&out)
        );
        assert!(stderr(&out).contains(expected), "{name}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    }
    let out = run(bin()
        .arg("export")
        .arg(&input)
        .arg("-o")
        .arg(dir.join("out.docx")));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        listing(&dir),
        [name],
        "nothing is written next to the input"
    );
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in entries {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn malformed_documents_get_a_clear_error() {
    let good = formatted_speech();
    refuses("truncated.docx", &good[..good.len() / 2], "损坏");
    refuses("text.docx", "不是压缩包".as_bytes(), "不是有效的 .docx");
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend(vec![0; 512]);
    refuses("old.doc", &ole, "另存为");
    refuses("old.wps", &ole, "另存为");
    ole.extend(
        "EncryptedPackage"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes()),
    );
    refuses("secret.docx", &ole, "加密");
    refuses(
        "empty.docx",
        &zip_of(&[("hello.txt", b"hi")]),
        "没有 Word 正文",
    );
    let broken = package(&p("<w:r><w:t>未闭合</w:r>"), &[]);
    refuses("broken.docx", &broken, "不是有效的 XML");
    let deep = format!(
        "{}{}",
        "<w:sdt><w:sdtContent>".repeat(400),
        "</w:sdtContent></w:sdt>".repeat(400)
    );
    refuses("deep.docx", &package(&deep, &[]), "嵌套过深");
    // A part that inflates past the limit (70 MB of spaces in 70 KB).
    let mut bomb = b"<w:document><w:body>".to_vec();
    bomb.extend(vec![b' '; 70 << 20]);
    bomb.extend(b"</w:body></w:document>");
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let deflate = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("word/document.xml", deflate).unwrap();
    zip.write_all(&bomb).unwrap();
    let bomb = zip.finish().unwrap().into_inner();
    assert!(bomb.len() < 1 << 20);
    refuses("bomb.docx", &bomb, "过大");
}

// ---------------------------------------------------------------------------
// Text files in the encodings writers use.

#[test]
fn gbk_utf16_and_bom_files_are_read_and_written_back_in_kind() {
    let dir = scratch("encodings");
    let text = "意识形态工作讲话\r\n同志们：\r\n　　全系统以党的十九精神为指导,取得进展。\r\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    let file = write(&dir, "ansi.txt", &gbk);
    let out = run(bin().args(["check", "--format", "json"]).arg(&file));
    let diags = json(&out);
    assert!(
        diags
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "wrong-form"),
        "{diags:#}"
    );
    let out = run(bin().args(["check", "--fix"]).arg(&file));
    assert!(out.status.code() != Some(2), "{}", stderr(&out));
    let (fixed, _, bad) = encoding_rs::GBK
        .encode("意识形态工作讲话\r\n同志们：\r\n　　全系统以党的十九大精神为指导，取得进展。\r\n");
    assert!(!bad);
    assert_eq!(
        std::fs::read(&file).unwrap(),
        fixed.as_ref(),
        "GBK and CRLF kept"
    );

    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let file = write(&dir, "unicode.txt", &utf16);
    let out = run(bin().args(["outline", "--format", "json"]).arg(&file));
    assert_eq!(json(&out)[0]["outline"][0]["name"], "意识形态工作讲话");

    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(text.as_bytes());
    let file = write(&dir, "bom.txt", &bom);
    let out = run(bin().args(["outline", "--format", "json"]).arg(&file));
    assert_eq!(
        json(&out)[0]["outline"][0]["name"],
        "意识形态工作讲话",
        "no BOM in the title"
    );
    run(bin().args(["check", "--fix"]).arg(&file));
    assert!(std::fs::read(&file).unwrap().starts_with(b"\xEF\xBB\xBF"));
}

// ---------------------------------------------------------------------------
// The official layout.

fn attr_of<'a>(xml: &'a str, element: &str, attr: &str) -> &'a str {
    let at = xml
        .find(&format!("<{element} "))
        .unwrap_or_else(|| panic!("no {element}"));
    let tag = &xml[at..at + xml[at..].find('>').unwrap()];
    let key = format!(" {attr}=\"");
    let v = tag
        .find(&key)
        .unwrap_or_else(|| panic!("no {attr} in {tag}"))
        + key.len();
    &tag[v..v + tag[v..].find('"').unwrap()]
}

/// The paragraph of the export that holds `text`, and the font and size of the run.
fn styled_run<'a>(document: &'a str, text: &str) -> (&'a str, &'a str, &'a str) {
    let at = document
        .find(&format!(">{text}"))
        .unwrap_or_else(|| panic!("no {text}"));
    let p = &document[document[..at].rfind("<w:p>").unwrap()..at];
    let run = &p[p.rfind("<w:r>").unwrap()..];
    (
        p,
        attr_of(run, "w:rFonts", "w:eastAsia"),
        attr_of(run, "w:sz", "w:val"),
    )
}

#[test]
fn export_lays_out_the_speech_as_gbt_9704() {
    let dir = scratch("export");
    let src = dir.join("speech.txt");
    std::fs::write(
        &src,
        "关于加强意识形态工作的讲话\n（2024年3月1日）\n张三\n\n同志们：\n　　下面，我讲几点意见。\n一、提高政治站位\n（一）深化理论武装。要学深悟透。\n1.抓好新闻宣传。一是讲好故事，二是传好声音。\n（1）健全制度。\n二、突出工作重点\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("jianggao.toml"),
        "[export.fonts]\nbody = \"方正仿宋_GBK\"\n",
    )
    .unwrap();
    let out_file = dir.join("out.docx");
    let out = run(bin().arg("export").arg(&src).arg("-o").arg(&out_file));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let bytes = std::fs::read(&out_file).unwrap();
    let document = part(&bytes, "word/document.xml");
    assert_eq!(attr_of(&document, "w:pgSz", "w:w"), "11906");
    assert_eq!(attr_of(&document, "w:pgSz", "w:h"), "16838");
    assert_eq!(attr_of(&document, "w:pgMar", "w:top"), "2098"); // 37 mm
    assert_eq!(attr_of(&document, "w:pgMar", "w:bottom"), "1984"); // 35 mm
    assert_eq!(attr_of(&document, "w:pgMar", "w:left"), "1587"); // 28 mm
    assert_eq!(attr_of(&document, "w:pgMar", "w:right"), "1474"); // 26 mm
    assert_eq!(attr_of(&document, "w:docGrid", "w:linePitch"), "579"); // 225 mm / 22
    assert!(document.contains(r#"w:line="579" w:lineRule="exact"/>"#));
    // 3号 text condensed by 0.25 pt: 28 characters fill the 156 mm line.
    assert!(document.contains(r#"<w:spacing w:val="-5"/><w:sz w:val="32"/>"#));

    let (p, font, size) = styled_run(&document, "关于加强意识形态工作的讲话");
    assert_eq!((font, size), ("方正小标宋简体", "44"));
    assert!(p.contains(r#"<w:jc w:val="center"/>"#));
    let (p, font, size) = styled_run(&document, "（2024年3月1日）");
    assert_eq!((font, size), ("楷体_GB2312", "32"));
    assert!(p.contains(r#"<w:jc w:val="center"/>"#));
    assert_eq!(styled_run(&document, "张三").1, "楷体_GB2312");
    let (p, font, size) = styled_run(&document, "下面，我讲几点意见。");
    assert_eq!(
        (font, size),
        ("方正仿宋_GBK", "32"),
        "font from jianggao.toml"
    );
    assert!(p.contains(r#"w:firstLineChars="200""#));
    assert!(
        !document.contains(">　　下面"),
        "typed indentation gives way to the paragraph indent"
    );
    assert_eq!(styled_run(&document, "一、提高政治站位").1, "黑体");
    assert_eq!(styled_run(&document, "二、突出工作重点").1, "黑体");
    assert_eq!(
        styled_run(&document, "（一）深化理论武装。").1,
        "楷体_GB2312"
    );
    // The sentence after a heading is body text.
    assert_eq!(styled_run(&document, "要学深悟透。").1, "方正仿宋_GBK");
    let (p, font, _) = styled_run(&document, "1.抓好新闻宣传。");
    assert_eq!(font, "仿宋_GB2312");
    assert!(
        p[p.rfind("<w:r>").unwrap()..].contains("<w:b/>"),
        "level 3 is bold"
    );
    // Inline points stay in their paragraph, in body text.
    assert!(document.contains("一是讲好故事，二是传好声音。"));
    assert_eq!(styled_run(&document, "（1）健全制度。").1, "仿宋_GB2312");

    // Page numbers “— N —” in 4号 宋体, right on odd pages and left on even ones.
    let settings = part(&bytes, "word/settings.xml");
    assert!(settings.contains("<w:evenAndOddHeaders/>"));
    let odd = part(&bytes, "word/footer1.xml");
    let even = part(&bytes, "word/footer2.xml");
    for (footer, side) in [(&odd, "right"), (&even, "left")] {
        assert!(footer.contains(&format!(r#"<w:jc w:val="{side}"/>"#)));
        assert!(footer.contains(">— <") && footer.contains("> —<") && footer.contains(" PAGE "));
        assert_eq!(attr_of(footer, "w:rFonts", "w:eastAsia"), "宋体");
        assert_eq!(attr_of(footer, "w:sz", "w:val"), "28");
    }
    assert!(document.contains(r#"<w:footerReference w:type="even""#));
}

// ---------------------------------------------------------------------------
// LibreOffice: the real office suite.

static OFFICE: Mutex<()> = Mutex::new(());

/// `soffice`, or None (with “skipped” printed) when it is absent outside CI.
fn soffice() -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("soffice"))
            .find(|p| p.exists())
    });
    if found.is_none() {
        let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false");
        assert!(
            !ci,
            "LibreOffice (soffice) is required under CI: .ci/run installs libreoffice-writer-nogui"
        );
        eprintln!("skipped: LibreOffice (soffice) is not installed");
    }
    found
}

/// Converts files with LibreOffice into `outdir` (`to`: a filter such as `pdf`).
fn convert(soffice: &Path, files: &[PathBuf], to: &str, outdir: &Path, infilter: Option<&str>) {
    let _guard = OFFICE.lock().unwrap_or_else(|e| e.into_inner());
    // One profile for every run, in Cargo's scratch folder for tests: LibreOffice
    // takes seconds to make a new one.
    let profile = Path::new(env!("CARGO_TARGET_TMPDIR")).join("lo-profile");
    let mut cmd = Command::new(soffice);
    cmd.arg(format!(
        "-env:UserInstallation=file://{}",
        profile.display()
    ))
    .args(["--headless", "--norestore", "--convert-to", to, "--outdir"])
    .arg(outdir);
    if let Some(f) = infilter {
        cmd.arg(format!("--infilter={f}"));
    }
    let out = cmd.args(files).output().expect("run soffice");
    assert!(
        out.status.success(),
        "soffice failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    for f in files {
        let stem = f.file_stem().unwrap().to_string_lossy();
        let ext = to.split(':').next().unwrap();
        let made = outdir.join(format!("{stem}.{ext}"));
        assert!(
            made.exists(),
            "LibreOffice did not write {}: {}",
            made.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

fn pdftotext(pdf: &Path, layout: bool) -> String {
    let mut cmd = Command::new("pdftotext");
    if layout {
        cmd.arg("-layout");
    }
    let out = cmd
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn corpus() -> Option<PathBuf> {
    let p = root().join("../shared/corpus/yishixingtai_speeches.txt");
    p.exists().then_some(p)
}

/// (code, paragraph/line, column) of each diagnostic.
fn findings(file: &Path) -> Vec<(String, u64, u64)> {
    let out = run(bin().args(["check", "--format", "json"]).arg(file));
    json(&out)
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let line = d.get("paragraph").unwrap_or(&d["line"]).as_u64().unwrap();
            let col = d
                .get("offset")
                .and_then(Value::as_u64)
                .map_or(d["column"].as_u64().unwrap(), |o| o + 1);
            (d["code"].as_str().unwrap().to_string(), line, col)
        })
        .collect()
}

#[test]
fn libreoffice_documents_check_like_their_text() {
    let Some(soffice) = soffice() else { return };
    let dir = scratch("lo-text");
    let mut sources: Vec<PathBuf> = ["errors.txt", "markers.txt", "central_style.txt"]
        .iter()
        .map(|f| root().join("tests/fixtures").join(f))
        .collect();
    sources.push(root().join("examples/讲话稿示例.txt"));
    sources.extend(corpus());
    let copies: Vec<PathBuf> = sources
        .iter()
        .map(|s| {
            let c = dir.join(s.file_name().unwrap());
            std::fs::copy(s, &c).unwrap();
            c
        })
        .collect();
    convert(
        &soffice,
        &copies,
        "docx:MS Word 2007 XML",
        &dir,
        Some("Text (encoded):UTF8,LF,,,"),
    );
    for txt in &copies {
        let docx = txt.with_extension("docx");
        let expected = findings(txt);
        assert!(
            !expected.is_empty()
                || txt.ends_with("central_style.txt")
                || txt.ends_with("讲话稿示例.txt")
        );
        assert_eq!(findings(&docx), expected, "{}", docx.display());
        let a = run(bin().args(["outline", "--format", "json"]).arg(txt));
        let b = run(bin().args(["outline", "--format", "json"]).arg(&docx));
        let names = |v: Value| -> Vec<String> {
            fn walk(v: &Value, out: &mut Vec<String>) {
                for n in v.as_array().unwrap() {
                    out.push(n["name"].as_str().unwrap().to_string());
                    walk(&n["children"], out);
                }
            }
            let mut out = Vec::new();
            walk(&v[0]["outline"], &mut out);
            out
        };
        assert_eq!(names(json(&b)), names(json(&a)), "{}", docx.display());
    }
}

#[test]
fn libreoffice_automatic_numbering_is_read_as_word_shows_it() {
    let Some(soffice) = soffice() else { return };
    let dir = scratch("lo-numbering");
    let src = dir.join("numbering.fodt");
    std::fs::copy(root().join("tests/fixtures/docx/numbering.fodt"), &src).unwrap();
    convert(
        &soffice,
        std::slice::from_ref(&src),
        "docx:MS Word 2007 XML",
        &dir,
        None,
    );
    let file = src.with_extension("docx");
    let bytes = std::fs::read(&file).unwrap();
    let numbering = part(&bytes, "word/numbering.xml");
    // LibreOffice writes 一, 二, 三 as taiwaneseCountingThousand (Word: chineseCounting;
    // both count 一 … 十 … 十一 the same way).
    assert!(
        numbering.contains("CountingThousand\"") || numbering.contains("chineseCounting\""),
        "{numbering}"
    );
    assert!(
        numbering.contains(r#"w:val="%1、""#) && numbering.contains(r#"w:val="（%2）""#),
        "{numbering}"
    );
    assert!(part(&bytes, "word/document.xml").contains("<w:numPr>"));
    let doc = Docx::open(bytes).unwrap();
    let lines: Vec<&str> = doc.text().lines().collect();
    assert_eq!(
        lines[4..],
        [
            "一、提高政治站位",
            "（一）深化理论武装。要学深悟透。",
            "（二）压实工作责任",
            "1.抓好新闻宣传。一是讲好故事，二是传好声音。",
            "2.抓好网络阵地",
            "（1）健全制度。",
            "（2）强化监管。",
            "二、突出工作重点",
            "四、强化组织保障",
            "同志们，让我们共同努力。",
        ],
        "{}",
        doc.text()
    );
    let diags = findings(&file);
    assert!(
        diags.contains(&("numbering-gap".to_string(), 13, 1)),
        "{diags:?}"
    );
    let out = run(bin().args(["check", "--fix"]).arg(&file));
    assert!(stderr(&out).contains("0 处修订"), "{}", stderr(&out));
    let reviewed = dir.join("numbering.jianggao.docx");
    convert(&soffice, std::slice::from_ref(&reviewed), "pdf", &dir, None);
    let text = pdftotext(&dir.join("numbering.jianggao.pdf"), false);
    let squeezed = squeeze(&text);
    for line in [
        "一、提高政治站位",
        "（一）深化理论武装",
        "2.抓好网络阵地",
        "四、强化组织保障",
    ] {
        assert!(squeezed.contains(line), "{line} in {text}");
    }
}

#[test]
fn libreoffice_tracked_changes_are_read_accepted() {
    let Some(soffice) = soffice() else { return };
    let dir = scratch("lo-tracked");
    let src = dir.join("tracked.fodt");
    std::fs::copy(root().join("tests/fixtures/docx/tracked.fodt"), &src).unwrap();
    convert(
        &soffice,
        std::slice::from_ref(&src),
        "docx:MS Word 2007 XML",
        &dir,
        None,
    );
    let file = src.with_extension("docx");
    let bytes = std::fs::read(&file).unwrap();
    let document = part(&bytes, "word/document.xml");
    assert!(
        document.contains("<w:ins ") && document.contains("<w:del "),
        "{document}"
    );
    let doc = Docx::open(bytes).unwrap();
    assert_eq!(
        doc.text(),
        "同志们：\n今年以来，全系统以党的十九大精神为指导，工作取得了新进展。\n我们要认真总结经验。回顾党的十八精神的贯彻落实情况。现在工作要抓紧,不能放松。"
    );
    let diags = findings(&file);
    let codes: Vec<&str> = diags.iter().map(|d| d.0.as_str()).collect();
    assert_eq!(
        codes.iter().filter(|c| **c == "wrong-form").count(),
        1,
        "{diags:?}"
    );
    // The error inside a colleague's insertion cannot take a revision of ours (they do
    // not nest): it becomes a comment; the comma outside it is tracked.
    let out = run(bin().args(["check", "--fix"]).arg(&file));
    assert!(
        stderr(&out).contains("1 处修订，1 条批注"),
        "{}",
        stderr(&out)
    );
    let reviewed = dir.join("tracked.jianggao.docx");
    let comments = part(&std::fs::read(&reviewed).unwrap(), "word/comments.xml");
    assert!(comments.contains("党的十八大精神"), "{comments}");
}

#[test]
fn libreoffice_opens_reviewed_documents_with_changes_and_comments() {
    let Some(soffice) = soffice() else { return };
    let dir = scratch("lo-review");
    let src = dir.join("errors.txt");
    std::fs::copy(root().join("tests/fixtures/errors.txt"), &src).unwrap();
    convert(
        &soffice,
        std::slice::from_ref(&src),
        "docx:MS Word 2007 XML",
        &dir,
        Some("Text (encoded):UTF8,LF,,,"),
    );
    let input = dir.join("errors.docx");
    let tracked = dir.join("tracked.docx");
    let accepted = dir.join("accepted.docx");
    run(bin()
        .args(["check", "--fix", "-o"])
        .arg(&tracked)
        .arg(&input));
    run(bin()
        .args(["check", "--fix", "--accept", "-o"])
        .arg(&accepted)
        .arg(&input));
    convert(
        &soffice,
        &[tracked.clone(), accepted.clone()],
        "pdf",
        &dir,
        None,
    );
    convert(&soffice, std::slice::from_ref(&tracked), "fodt", &dir, None);

    // Accepted: the PDF shows the text with the fixes, in order — what `check --fix`
    // makes of the text file.
    let fixed_txt = dir.join("fixed.txt");
    std::fs::copy(&src, &fixed_txt).unwrap();
    run(bin().args(["check", "--fix"]).arg(&fixed_txt));
    let expected = squeeze(&std::fs::read_to_string(&fixed_txt).unwrap());
    let shown = squeeze(&pdftotext(&dir.join("accepted.pdf"), false));
    assert_eq!(shown, expected);

    // Tracked: LibreOffice shows deletions and insertions side by side.
    let shown = squeeze(&pdftotext(&dir.join("tracked.pdf"), false));
    assert!(shown.contains("党的十九大精神"), "{shown}");
    assert!(shown.contains("进展,，但"), "{shown}");
    // And reads them as its own changes and comments, by 讲稿校对.
    let flat = std::fs::read_to_string(dir.join("tracked.fodt")).unwrap();
    assert!(flat.matches("<text:changed-region").count() >= 4, "changes");
    assert!(flat.contains("<text:insertion>") && flat.contains("<text:deletion>"));
    assert!(flat.contains("<dc:creator>讲稿校对</dc:creator>"));
    assert!(flat.matches("<office:annotation ").count() >= 5, "comments");
    assert!(flat.contains("占位符未填充"));
}

#[test]
fn libreoffice_renders_the_export_on_a4_with_page_numbers() {
    let Some(soffice) = soffice() else { return };
    let dir = scratch("lo-export");
    let src = corpus().unwrap_or_else(|| root().join("examples/讲话稿示例.txt"));
    let out_file = dir.join("speech.docx");
    let out = run(bin().arg("export").arg(&src).arg("-o").arg(&out_file));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    convert(&soffice, std::slice::from_ref(&out_file), "pdf", &dir, None);
    let pdf = dir.join("speech.pdf");
    let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(
        info.contains("595.") && info.contains("841.") && info.contains("(A4)"),
        "{info}"
    );
    let text = pdftotext(&pdf, true);
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert!(pages.len() >= 2, "{text}");
    let mut shown = String::new();
    let mut full_lines = 0;
    for (i, page) in pages.iter().enumerate() {
        let lines: Vec<&str> = page.lines().filter(|l| !l.trim().is_empty()).collect();
        shown.extend(lines[..lines.len() - 1].iter().map(|l| squeeze(l)));
        // The page number closes each page.
        assert_eq!(
            squeeze(lines.last().unwrap()),
            format!("—{}—", i + 1),
            "{page}"
        );
        // At most 22 lines in the block; the first page, all text, has 22 (later
        // pages may hold an empty line after a title, which pdftotext leaves out).
        assert!(lines.len() - 1 <= 22, "{} lines: {page}", lines.len() - 1);
        if i == 0 {
            assert_eq!(lines.len() - 1, 22, "{page}");
        }
        // At most 28 characters a line (Chinese text; half-width digits are narrower),
        // and full lines have 28.
        for line in &lines[..lines.len() - 1] {
            let line = squeeze(line);
            if !line.is_ascii() && line.chars().all(|c| !c.is_ascii()) {
                assert!(line.chars().count() <= 28, "{line}");
                full_lines += usize::from(line.chars().count() == 28);
            }
        }
    }
    assert!(full_lines > 20, "{full_lines} lines of 28 characters");
    // The text reads in order, page numbers aside (compared without punctuation:
    // LibreOffice hangs a comma at the end of a full line into the margin, where
    // pdftotext does not look).
    let words = |s: &str| -> String { s.chars().filter(|c| c.is_alphanumeric()).collect() };
    let source = words(&std::fs::read_to_string(&src).unwrap());
    assert_eq!(words(&shown), source);
}
