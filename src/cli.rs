//! The command line: `outline`, `check` (with `--fix`), `rules`.

use crate::analysis::stats;
use crate::analysis::NodeKind;
use crate::config::{RuleLevel, Settings};
use crate::document::{Analysis, Document};
use crate::docx::{self, Docx};
use crate::knowledge::glossary::Glossary;
use crate::knowledge::Knowledge;
use crate::rules::{self, visible, Diagnostic};
use crate::text::Pos;
use crate::textfile::{self, Container, TextFile};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Settings and knowledge for a file: its workspace glossary, if any.
struct Context {
    settings: Settings,
    kb: Arc<Knowledge>,
}

fn context_for(file: &Path, explicit: Option<&Path>) -> Result<Context, String> {
    let mut settings = Settings::default();
    let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
    let dir = if dir.as_os_str().is_empty() {
        std::env::current_dir().unwrap_or_default()
    } else {
        dir
    };
    let path = explicit
        .map(Path::to_path_buf)
        .or_else(|| Glossary::discover(&dir));
    let Some(path) = path else {
        return Ok(Context {
            settings,
            kb: Knowledge::builtin(),
        });
    };
    let glossary = Glossary::load(&path).map_err(|e| e.to_string())?;
    glossary.apply_settings(&mut settings);
    Ok(Context {
        settings,
        kb: Knowledge::with_glossary(&glossary),
    })
}

/// A draft as read from disk: a text file (in its own encoding) or a Word document.
pub enum Source {
    Text(TextFile),
    Docx(Box<Docx>),
}

impl Source {
    pub fn text(&self) -> &str {
        match self {
            Source::Text(t) => &t.text,
            Source::Docx(d) => d.text(),
        }
    }
    fn docx(&self) -> Option<&Docx> {
        match self {
            Source::Docx(d) => Some(d),
            Source::Text(_) => None,
        }
    }
}

fn extension(file: &Path) -> String {
    file.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

/// Reads a draft: .docx by its zip container, binary Word/WPS and encrypted files with
/// a clear message, anything else as text in whatever encoding it has.
pub fn load(file: &Path) -> Result<Source, String> {
    let bytes = std::fs::read(file).map_err(|e| format!("{}: 无法读取：{e}", file.display()))?;
    let name = file.display();
    match textfile::container(&bytes) {
        Container::Compound { encrypted } => {
            Err(format!("{name}: {}", textfile::compound_message(encrypted)))
        }
        Container::Zip => Docx::open(bytes)
            .map(|d| Source::Docx(Box::new(d)))
            .map_err(|e| format!("{name}: {e}")),
        Container::Plain if extension(file) == "docx" => Err(format!(
            "{name}: 不是有效的 .docx（不是 zip 格式，文件可能已损坏或不完整）"
        )),
        Container::Plain => textfile::decode_owned(bytes)
            .map(Source::Text)
            .map_err(|e| format!("{name}: {e}")),
    }
}

/// Writes to stdout; a closed pipe (`jianggao outline … | head`) ends the program
/// quietly instead of panicking.
fn emit(s: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if out
        .write_all(s.as_bytes())
        .and_then(|_| out.flush())
        .is_err()
    {
        std::process::exit(0);
    }
}

pub fn outline(files: &[std::path::PathBuf], format: Format, rate: Option<f64>) -> ExitCode {
    let mut status = ExitCode::SUCCESS;
    let mut json_out = Vec::new();
    for file in files {
        let (source, ctx) = match load(file).and_then(|t| context_for(file, None).map(|c| (t, c))) {
            Ok(x) => x,
            Err(e) => {
                eprintln!("{e}");
                status = ExitCode::from(2);
                continue;
            }
        };
        let rate = rate.unwrap_or(ctx.settings.speaking_rate);
        let mut doc = Document::new(source.text(), ctx.kb);
        doc.set_date_setting(ctx.settings.date);
        let analysis = doc.analyze();
        let place = Place(source.docx());
        match format {
            Format::Text => emit(&outline_in(
                &file.display().to_string(),
                &analysis,
                rate,
                place,
            )),
            Format::Json => json_out.push(json!({
                "file": file.display().to_string(),
                "chars": analysis.structure.total_chars,
                "minutes": stats::minutes(analysis.structure.total_chars, rate),
                "outline": outline_json(&analysis, &analysis.structure.outline.roots, rate, place),
            })),
        }
    }
    if format == Format::Json {
        emit(&format!(
            "{}\n",
            serde_json::to_string_pretty(&json_out).unwrap_or_default()
        ));
    }
    status
}

/// How positions are named: lines of a text file, paragraphs of a Word document.
#[derive(Clone, Copy)]
struct Place<'a>(Option<&'a Docx>);

impl Place<'_> {
    /// “第 3 行” or “第 3 段”.
    fn name(self, pos: Pos) -> String {
        match self.0 {
            Some(d) => format!("第 {} 段", d.locate(pos).paragraph + 1),
            None => format!("第 {} 行", pos.line + 1),
        }
    }
}

/// The outline as an indented tree.
pub fn outline_text(name: &str, analysis: &Analysis, rate: f64) -> String {
    outline_in(name, analysis, rate, Place(None))
}

fn outline_in(name: &str, analysis: &Analysis, rate: f64, place: Place) -> String {
    let mut out = format!(
        "{name}  全文 {}\n",
        stats::describe(analysis.structure.total_chars, rate)
    );
    fn walk(
        out: &mut String,
        a: &Analysis,
        nodes: &[usize],
        depth: usize,
        rate: f64,
        place: Place,
    ) {
        for &n in nodes {
            let node = &a.structure.outline.nodes[n];
            let indent = "  ".repeat(depth + 1);
            out.push_str(&format!(
                "{indent}{}  ({}, {})\n",
                node.name,
                stats::describe(node.chars, rate),
                place.name(node.marker.start)
            ));
            walk(out, a, &node.children, depth + 1, rate, place);
        }
    }
    walk(
        &mut out,
        analysis,
        &analysis.structure.outline.roots,
        0,
        rate,
        place,
    );
    out
}

fn outline_json(a: &Analysis, nodes: &[usize], rate: f64, place: Place) -> serde_json::Value {
    nodes
        .iter()
        .map(|&n| {
            let node = &a.structure.outline.nodes[n];
            let kind = match node.kind {
                NodeKind::Heading { .. } => "heading",
                NodeKind::Point { inline: true, .. } => "inline-point",
                NodeKind::Point { .. } => "point",
            };
            let mut v = json!({
                "name": node.name,
                "kind": kind,
                "line": node.marker.start.line + 1,
                "range": node.range,
                "chars": node.chars,
                "minutes": stats::minutes(node.chars, rate),
                "children": outline_json(a, &node.children, rate, place),
            });
            if let Some(d) = place.0 {
                v["paragraph"] = json!(d.locate(node.marker.start).paragraph + 1);
            }
            v
        })
        .collect()
}

/// What `check --fix` does with a file.
#[derive(Debug, Clone, Default)]
pub struct FixOptions {
    /// Apply fixes to a Word document instead of tracking them.
    pub accept: bool,
    /// Where to write (one input file only).
    pub output: Option<PathBuf>,
    /// Overwrite a Word document instead of writing `name.jianggao.docx`.
    pub in_place: bool,
}

/// The file a fixed Word document goes to: `-o`, the input itself with `--in-place`,
/// else `name.jianggao.docx` beside it. Never the input without `--in-place`.
fn docx_output(file: &Path, fix: &FixOptions) -> Result<PathBuf, String> {
    let out = match (&fix.output, fix.in_place) {
        (Some(o), _) => o.clone(),
        (None, true) => file.to_path_buf(),
        (None, false) => {
            let stem = file.file_stem().unwrap_or_default().to_string_lossy();
            file.with_file_name(format!("{stem}.jianggao.docx"))
        }
    };
    let same = out == file
        || std::fs::canonicalize(&out)
            .ok()
            .zip(std::fs::canonicalize(file).ok())
            .is_some_and(|(a, b)| a == b);
    if same && !fix.in_place {
        return Err(format!(
            "{}: 不会覆盖原文件；要覆盖请加 --in-place，或用 -o 指定另一个文件",
            file.display()
        ));
    }
    Ok(out)
}

/// The `w:date` of revisions and comments: now, or `SOURCE_DATE_EPOCH` when set
/// (reproducible output).
fn review_date() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        });
    docx::iso_date(secs)
}

/// Fixes a text file in place, in its own encoding (line endings are kept by the
/// fixes themselves). Returns the fixed text.
fn fix_text(
    file: &Path,
    t: &TextFile,
    ctx: &Context,
    out: Option<&Path>,
) -> Result<String, String> {
    let fixed = crate::features::format::fix_all(&t.text, &ctx.kb, &ctx.settings);
    if fixed != t.text || out.is_some() {
        let bytes =
            textfile::encode(&fixed, t.encoding).map_err(|e| format!("{}: {e}", file.display()))?;
        let target = out.unwrap_or(file);
        std::fs::write(target, bytes)
            .map_err(|e| format!("{}: 无法写入：{e}", target.display()))?;
    }
    Ok(fixed)
}

pub fn check(
    files: &[std::path::PathBuf],
    format: Format,
    fix: Option<&FixOptions>,
    config: Option<&Path>,
) -> ExitCode {
    let mut worst = 0u8;
    let mut json_out = Vec::new();
    let mut counts = [0usize; 4];
    if fix.is_some_and(|f| f.output.is_some()) && files.len() != 1 {
        eprintln!("-o 只能用于一个文件");
        return ExitCode::from(2);
    }
    for file in files {
        let result = load(file).and_then(|t| context_for(file, config).map(|c| (t, c)));
        let (source, ctx) = match result {
            Ok(x) => x,
            Err(e) => {
                eprintln!("{e}");
                worst = 2;
                continue;
            }
        };
        let mut text = std::borrow::Cow::Borrowed(source.text());
        if let (Some(fix), Source::Text(t)) = (fix, &source) {
            match fix_text(file, t, &ctx, fix.output.as_deref()) {
                Ok(fixed) => text = std::borrow::Cow::Owned(fixed),
                Err(e) => {
                    eprintln!("{e}");
                    worst = 2;
                    continue;
                }
            }
        }
        let mut doc = Document::new(&text, ctx.kb.clone());
        doc.set_date_setting(ctx.settings.date);
        let analysis = doc.analyze();
        let mut shown = visible(&analysis.diagnostics, &ctx.settings);
        if let (Some(fix), Source::Docx(d)) = (fix, &source) {
            match review_docx(file, d, &shown, fix) {
                Ok(fixed) => {
                    let fixed: std::collections::HashSet<usize> = fixed.into_iter().collect();
                    shown = shown
                        .into_iter()
                        .enumerate()
                        .filter(|(i, _)| !fixed.contains(i))
                        .map(|(_, x)| x)
                        .collect();
                }
                Err(e) => {
                    eprintln!("{e}");
                    worst = 2;
                    continue;
                }
            }
        }
        for (level, _) in &shown {
            counts[level_index(*level)] += 1;
            if *level == RuleLevel::Error && worst == 0 {
                worst = 1;
            }
        }
        let name = file.display().to_string();
        let place = Place(source.docx());
        match format {
            Format::Text => {
                // One write for the file's findings: a write (and flush) per finding
                // was most of the time of checking a long draft with many.
                emit(&render_all(&name, &doc, &shown, place));
            }
            Format::Json => json_out.extend(
                shown
                    .iter()
                    .map(|(level, d)| diagnostic_json(&name, *level, d, place)),
            ),
        }
        drop(shown);
        drop(text);
        discard((doc, analysis, source));
    }
    match format {
        Format::Text => {
            if counts.iter().sum::<usize>() > 0 {
                eprintln!(
                    "{} 个错误，{} 个警告，{} 个提示",
                    counts[0],
                    counts[1],
                    counts[2] + counts[3]
                );
            }
        }
        Format::Json => emit(&format!(
            "{}\n",
            serde_json::to_string_pretty(&json_out).unwrap_or_default()
        )),
    }
    ExitCode::from(worst)
}

/// Writes the reviewed Word document; returns the indices of the diagnostics fixed.
fn review_docx(
    file: &Path,
    d: &Docx,
    shown: &[(RuleLevel, &Diagnostic)],
    fix: &FixOptions,
) -> Result<Vec<usize>, String> {
    let out = docx_output(file, fix)?;
    let options = docx::ReviewOptions {
        mode: if fix.accept {
            docx::Mode::Accept
        } else {
            docx::Mode::Track
        },
        author: docx::ReviewOptions::AUTHOR.into(),
        date: review_date(),
    };
    let review = d
        .review(shown, &options)
        .map_err(|e| format!("{}: {e}", file.display()))?;
    std::fs::write(&out, &review.bytes).map_err(|e| format!("{}: 无法写入：{e}", out.display()))?;
    let verb = if fix.accept { "处修改" } else { "处修订" };
    eprintln!(
        "已写入 {}：{} {verb}，{} 条批注",
        out.display(),
        review.fixed.len(),
        review.commented.len()
    );
    Ok(review.fixed)
}

fn diagnostic_json(
    file: &str,
    level: RuleLevel,
    d: &Diagnostic,
    place: Place,
) -> serde_json::Value {
    let mut v = json!({
        "file": file,
        "line": d.span.start.line + 1,
        "column": d.span.start.col + 1,
        "end_line": d.span.end.line + 1,
        "end_column": d.span.end.col + 1,
        "severity": level_name(level),
        "code": d.code,
        "message": d.message,
        "fixes": d.fixes,
    });
    if let Some(doc) = place.0 {
        let (from, to) = (doc.locate(d.span.start), doc.locate(d.span.end));
        v["paragraph"] = json!(from.paragraph + 1);
        v["offset"] = json!(from.offset);
        v["end_paragraph"] = json!(to.paragraph + 1);
        v["end_offset"] = json!(to.offset);
        // A numbering marker drawn by Word's automatic numbering has no text to fix.
        let fixes: Vec<_> = d.fixes.iter().filter(|f| doc.can_apply(&f.edits)).collect();
        v["fixes"] = json!(fixes);
    }
    v
}

fn level_index(l: RuleLevel) -> usize {
    match l {
        RuleLevel::Error => 0,
        RuleLevel::Warning => 1,
        RuleLevel::Info => 2,
        _ => 3,
    }
}

pub fn level_name(l: RuleLevel) -> &'static str {
    match l {
        RuleLevel::Error => "error",
        RuleLevel::Warning => "warning",
        RuleLevel::Info => "info",
        RuleLevel::Hint | RuleLevel::Off => "hint",
    }
}

/// Terminal columns of a char (CJK and full-width forms take two).
fn display_width(c: char) -> usize {
    let u = c as u32;
    let wide = matches!(u, 0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F | 0x1F900..=0x1F9FF | 0x20000..=0x3FFFD);
    if wide {
        2
    } else {
        1
    }
}

const CONTEXT_CHARS: usize = 24;

/// One diagnostic as a compiler prints it: location, level, code, message, and the
/// source around the span with the span underlined (long paragraphs are cut).
pub fn render(file: &str, doc: &Document, level: RuleLevel, d: &Diagnostic) -> String {
    render_in(file, doc, level, d, Place(None), &mut LineCache::default())
}

/// The findings rendered in order; many on all cores, each thread with its own line
/// cache.
fn render_all(
    file: &str,
    doc: &Document,
    shown: &[(RuleLevel, &Diagnostic)],
    place: Place,
) -> String {
    use rayon::prelude::*;
    const CHUNK: usize = 512;
    let chunk = |part: &[(RuleLevel, &Diagnostic)]| {
        let mut cache = LineCache::default();
        part.iter()
            .map(|(level, d)| render_in(file, doc, *level, d, place, &mut cache))
            .collect::<String>()
    };
    if shown.len() <= CHUNK {
        return chunk(shown);
    }
    shown
        .par_chunks(CHUNK)
        .map(chunk)
        .collect::<Vec<_>>()
        .concat()
}

/// Frees a checked file's text and analysis on another thread: about 1 ms per MB of
/// draft, which the next file or the end of the program need not wait for.
/// Without a thread to be had, the closure and with it `x` are dropped here.
fn discard<T: Send + 'static>(x: T) {
    let _ = std::thread::Builder::new().spawn(move || drop(x));
}

/// The chars of the text file's line rendered last: findings come by line, and a
/// paragraph with several would be copied out of the rope and decoded for each.
#[derive(Default)]
struct LineCache {
    line: Option<u32>,
    chars: Vec<char>,
}

/// [`render`] for a text file or, naming paragraphs, a Word document.
fn render_in(
    file: &str,
    doc: &Document,
    level: RuleLevel,
    d: &Diagnostic,
    place: Place,
    cache: &mut LineCache,
) -> String {
    let paragraph: Vec<char>;
    let (chars, start, end, gutter, location) = match place.0 {
        Some(docx) => {
            let (from, to) = (docx.locate(d.span.start), docx.locate(d.span.end));
            paragraph = docx
                .paragraph_text(from.paragraph)
                .replace('\n', " ")
                .chars()
                .collect();
            let end = if to.paragraph == from.paragraph {
                to.offset
            } else {
                usize::MAX
            };
            let n = from.paragraph + 1;
            (
                &paragraph[..],
                from.offset,
                end,
                n.to_string(),
                format!("第 {n} 段第 {} 字", from.offset + 1),
            )
        }
        None => {
            let line_no = d.span.start.line;
            let end = if d.span.end.line == line_no {
                d.span.end.col as usize
            } else {
                usize::MAX
            };
            let start = d.span.start.col as usize;
            if cache.line != Some(line_no) {
                cache.chars = doc.line_text(line_no).chars().collect();
                cache.line = Some(line_no);
            }
            let location = format!("{}:{}", line_no + 1, start.min(cache.chars.len()) + 1);
            (
                &cache.chars[..],
                start,
                end,
                (line_no + 1).to_string(),
                location,
            )
        }
    };
    let start = start.min(chars.len());
    let end = end.clamp(start, chars.len());
    let from = start.saturating_sub(CONTEXT_CHARS);
    let to = (end + CONTEXT_CHARS).min(chars.len());
    let prefix = if from > 0 { "…" } else { "" };
    let suffix = if to < chars.len() { "…" } else { "" };
    let shown: String = chars[from..to].iter().collect();
    let pad: usize = prefix.chars().count()
        + chars[from..start]
            .iter()
            .map(|&c| display_width(c))
            .sum::<usize>();
    let marks = chars[start..end]
        .iter()
        .map(|&c| display_width(c))
        .sum::<usize>()
        .max(1);
    let blank = " ".repeat(gutter.len());
    format!(
        "{file}:{location}: {}[{}]: {}\n{blank} |\n{gutter} | {prefix}{shown}{suffix}\n{blank} | {}{}\n",
        level_name(level),
        d.code,
        d.message,
        " ".repeat(pad),
        "^".repeat(marks)
    )
}

pub fn rules(markdown: bool) -> ExitCode {
    if markdown {
        emit(&rules::reference_markdown());
    } else {
        for r in rules::ALL {
            emit(&format!(
                "{:28} {:8} {}\n",
                r.code(),
                level_name(r.default_level()),
                r.doc().title
            ));
        }
    }
    ExitCode::SUCCESS
}

/// The `[export.fonts]` of the `jianggao.toml` that applies to `file`.
fn export_fonts(file: &Path, explicit: Option<&Path>) -> Result<docx::export::Fonts, String> {
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::env::current_dir().unwrap_or_default(),
    };
    let path = explicit
        .map(Path::to_path_buf)
        .or_else(|| Glossary::discover(&dir));
    match path {
        Some(p) => {
            let text = std::fs::read_to_string(&p)
                .map_err(|e| format!("{}: 无法读取：{e}", p.display()))?;
            docx::export::Fonts::from_toml(&text).map_err(|e| format!("{}: {e}", p.display()))
        }
        None => Ok(docx::export::Fonts::default()),
    }
}

/// `export`: a draft (.txt, .md or .docx) laid out as GB/T 9704-2012 in a new .docx.
pub fn export(file: &Path, output: &Path, config: Option<&Path>) -> ExitCode {
    let run = || -> Result<(), String> {
        let source = load(file)?;
        let ctx = context_for(file, config)?;
        let fonts = export_fonts(file, config)?;
        let mut doc = Document::new(source.text(), ctx.kb);
        doc.set_date_setting(ctx.settings.date);
        let analysis = doc.analyze();
        let same = std::fs::canonicalize(output)
            .ok()
            .zip(std::fs::canonicalize(file).ok())
            .is_some_and(|(a, b)| a == b);
        if same {
            return Err(format!(
                "{}: 不会覆盖原文件，请用 -o 指定另一个文件",
                file.display()
            ));
        }
        let bytes = docx::export::export(source.text(), &analysis, &fonts)
            .map_err(|e| format!("{}: {e}", file.display()))?;
        std::fs::write(output, bytes)
            .map_err(|e| format!("{}: 无法写入：{e}", output.display()))?;
        eprintln!("已导出 {}（GB/T 9704-2012 版式）", output.display());
        Ok(())
    };
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}
