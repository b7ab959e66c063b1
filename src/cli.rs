//! The command line: `outline`, `check` (with `--fix`), `rules`.

use crate::analysis::stats;
use crate::analysis::NodeKind;
use crate::config::{RuleLevel, Settings};
use crate::document::{Analysis, Document};
use crate::knowledge::glossary::Glossary;
use crate::knowledge::Knowledge;
use crate::rules::{self, visible, Diagnostic};
use serde_json::json;
use std::path::Path;
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

fn read(file: &Path) -> Result<String, String> {
    let bytes = std::fs::read(file).map_err(|e| format!("{}: 无法读取：{e}", file.display()))?;
    String::from_utf8(bytes).map_err(|_| format!("{}: 不是 UTF-8 编码的文本", file.display()))
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
        let (text, ctx) = match read(file).and_then(|t| context_for(file, None).map(|c| (t, c))) {
            Ok(x) => x,
            Err(e) => {
                eprintln!("{e}");
                status = ExitCode::from(2);
                continue;
            }
        };
        let rate = rate.unwrap_or(ctx.settings.speaking_rate);
        let mut doc = Document::new(&text, ctx.kb);
        doc.set_date_setting(ctx.settings.date);
        let analysis = doc.analyze();
        match format {
            Format::Text => emit(&outline_text(&file.display().to_string(), &analysis, rate)),
            Format::Json => json_out.push(json!({
                "file": file.display().to_string(),
                "chars": analysis.structure.total_chars,
                "minutes": stats::minutes(analysis.structure.total_chars, rate),
                "outline": outline_json(&analysis, &analysis.structure.outline.roots, rate),
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

/// The outline as an indented tree.
pub fn outline_text(name: &str, analysis: &Analysis, rate: f64) -> String {
    let mut out = format!(
        "{name}  全文 {}\n",
        stats::describe(analysis.structure.total_chars, rate)
    );
    fn walk(out: &mut String, a: &Analysis, nodes: &[usize], depth: usize, rate: f64) {
        for &n in nodes {
            let node = &a.structure.outline.nodes[n];
            let indent = "  ".repeat(depth + 1);
            let line = node.marker.start.line + 1;
            out.push_str(&format!(
                "{indent}{}  ({}, 第 {line} 行)\n",
                node.name,
                stats::describe(node.chars, rate)
            ));
            walk(out, a, &node.children, depth + 1, rate);
        }
    }
    walk(
        &mut out,
        analysis,
        &analysis.structure.outline.roots,
        0,
        rate,
    );
    out
}

fn outline_json(a: &Analysis, nodes: &[usize], rate: f64) -> serde_json::Value {
    nodes
        .iter()
        .map(|&n| {
            let node = &a.structure.outline.nodes[n];
            let kind = match node.kind {
                NodeKind::Heading { .. } => "heading",
                NodeKind::Point { inline: true, .. } => "inline-point",
                NodeKind::Point { .. } => "point",
            };
            json!({
                "name": node.name,
                "kind": kind,
                "line": node.marker.start.line + 1,
                "range": node.range,
                "chars": node.chars,
                "minutes": stats::minutes(node.chars, rate),
                "children": outline_json(a, &node.children, rate),
            })
        })
        .collect()
}

pub fn check(
    files: &[std::path::PathBuf],
    format: Format,
    fix: bool,
    config: Option<&Path>,
) -> ExitCode {
    let mut worst = 0u8;
    let mut json_out = Vec::new();
    let mut counts = [0usize; 4];
    for file in files {
        let result = read(file).and_then(|t| context_for(file, config).map(|c| (t, c)));
        let (mut text, ctx) = match result {
            Ok(x) => x,
            Err(e) => {
                eprintln!("{e}");
                worst = 2;
                continue;
            }
        };
        if fix {
            let fixed = crate::features::format::fix_all(&text, &ctx.kb, &ctx.settings);
            if fixed != text {
                if let Err(e) = std::fs::write(file, &fixed) {
                    eprintln!("{}: 无法写入：{e}", file.display());
                    worst = 2;
                    continue;
                }
                text = fixed;
            }
        }
        let mut doc = Document::new(&text, ctx.kb.clone());
        doc.set_date_setting(ctx.settings.date);
        let analysis = doc.analyze();
        let shown = visible(&analysis.diagnostics, &ctx.settings);
        for (level, _) in &shown {
            counts[level_index(*level)] += 1;
            if *level == RuleLevel::Error && worst == 0 {
                worst = 1;
            }
        }
        match format {
            Format::Text => {
                for (level, d) in &shown {
                    emit(&render(&file.display().to_string(), &doc, *level, d));
                }
            }
            Format::Json => json_out.extend(shown.iter().map(|(level, d)| {
                json!({
                    "file": file.display().to_string(),
                    "line": d.span.start.line + 1,
                    "column": d.span.start.col + 1,
                    "end_line": d.span.end.line + 1,
                    "end_column": d.span.end.col + 1,
                    "severity": level_name(*level),
                    "code": d.code,
                    "message": d.message,
                    "fixes": d.fixes,
                })
            })),
        }
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
    let line_no = d.span.start.line;
    let chars: Vec<char> = doc.line_text(line_no).chars().collect();
    let start = (d.span.start.col as usize).min(chars.len());
    let end = if d.span.end.line == line_no {
        (d.span.end.col as usize).clamp(start, chars.len())
    } else {
        chars.len()
    };
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
    let gutter = (line_no + 1).to_string();
    let blank = " ".repeat(gutter.len());
    format!(
        "{file}:{}:{}: {}[{}]: {}\n{blank} |\n{gutter} | {prefix}{shown}{suffix}\n{blank} | {}{}\n",
        line_no + 1,
        start + 1,
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
