//! The workspace file `jianggao.toml`: a unit's own formulas and wrong forms (same
//! schema as the built-in data) plus project settings (rule severities, speaking rate,
//! indentation for formatting).

use super::{Formula, Provenance, WrongForm};
use crate::config::{IndentStyle, RuleLevel, Settings};
use crate::text::Date;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "jianggao.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct GlossaryFile {
    #[serde(default)]
    #[allow(dead_code)]
    schema_version: Option<u32>,
    #[serde(default)]
    speaking_rate: Option<f64>,
    #[serde(default)]
    indent: Option<IndentStyle>,
    /// The date drafts without one in their title block are judged at.
    #[serde(default)]
    date: Option<Date>,
    #[serde(default)]
    rules: HashMap<String, RuleLevel>,
    #[serde(default)]
    formula: Vec<Formula>,
    #[serde(default)]
    wrong: Vec<WrongForm>,
    /// `[export]`: layout settings read by the .docx export (`docx::export::Fonts`),
    /// not by the core; accepted here so that the file stays valid.
    #[serde(default)]
    #[allow(dead_code)]
    export: Option<toml::Table>,
}

/// A parsed workspace file.
#[derive(Debug, Default, Clone)]
pub struct Glossary {
    pub path: Option<PathBuf>,
    pub speaking_rate: Option<f64>,
    pub indent: Option<IndentStyle>,
    pub date: Option<Date>,
    pub rules: HashMap<String, RuleLevel>,
    pub formulas: Vec<Formula>,
    pub wrong: Vec<WrongForm>,
}

/// Why a glossary could not be used, with the zero-based line and column of the fault.
#[derive(Debug, Clone, PartialEq)]
pub struct GlossaryError {
    pub path: PathBuf,
    pub line: u32,
    pub col: u32,
    pub message: String,
}

impl std::fmt::Display for GlossaryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            self.line + 1,
            self.col + 1,
            self.message
        )
    }
}

impl Glossary {
    /// Parses the text of a glossary file.
    pub fn parse(path: &Path, text: &str) -> Result<Glossary, GlossaryError> {
        let file: GlossaryFile = toml::from_str(text).map_err(|e| {
            let (line, col) = e.span().map(|s| line_col(text, s.start)).unwrap_or((0, 0));
            GlossaryError {
                path: path.to_path_buf(),
                line,
                col,
                message: format!("jianggao.toml 格式错误：{}", e.message()),
            }
        })?;
        let mut formulas = file.formula;
        for f in &mut formulas {
            let line = find_term_line(text, &f.term);
            f.provenance = Provenance::Glossary {
                path: path.to_path_buf(),
                line,
            };
            if f.category.is_empty() {
                f.category = "local".into();
            }
        }
        Ok(Glossary {
            path: Some(path.to_path_buf()),
            speaking_rate: file.speaking_rate,
            indent: file.indent,
            date: file.date,
            rules: file.rules,
            formulas,
            wrong: file.wrong,
        })
    }

    /// Reads `path`; a missing file is an empty glossary, an unreadable or invalid one
    /// is an error.
    pub fn load(path: &Path) -> Result<Glossary, GlossaryError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Glossary::parse(path, &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Glossary::default()),
            Err(e) => Err(GlossaryError {
                path: path.to_path_buf(),
                line: 0,
                col: 0,
                message: format!("无法读取 jianggao.toml：{e}"),
            }),
        }
    }

    /// Reads and parses `path`, also returning the text read (None when the file is
    /// missing or unreadable), so a caller can tell whether it changed.
    pub fn read(path: &Path) -> (Option<String>, Result<Glossary, GlossaryError>) {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let parsed = Glossary::parse(path, &text);
                (Some(text), parsed)
            }
            Err(_) => (None, Glossary::load(path)),
        }
    }

    /// Applies the file's settings over `settings`.
    pub fn apply_settings(&self, settings: &mut Settings) {
        if let Some(rate) = self.speaking_rate.filter(|r| r.is_finite() && *r > 0.0) {
            settings.speaking_rate = rate;
        }
        if let Some(indent) = self.indent {
            settings.indent = indent;
        }
        if let Some(date) = self.date {
            settings.date = Some(date);
        }
        settings
            .rules
            .extend(self.rules.iter().map(|(k, v)| (k.clone(), *v)));
    }

    /// Looks for `jianggao.toml` in `dir` and its ancestors.
    pub fn discover(dir: &Path) -> Option<PathBuf> {
        dir.ancestors()
            .map(|d| d.join(FILE_NAME))
            .find(|p| p.is_file())
    }
}

fn line_col(text: &str, byte: usize) -> (u32, u32) {
    let before = &text[..byte.min(text.len())];
    let line = before.matches('\n').count() as u32;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0) as u32;
    (line, col)
}

fn find_term_line(text: &str, term: &str) -> u32 {
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            l.starts_with("term") && l.contains(&format!("\"{term}\""))
        })
        .unwrap_or(0) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_terms_settings_and_reports_errors_with_positions() {
        let text = "speaking_rate = 200\n[rules]\nplaceholder = \"off\"\n\n[[formula]]\nterm = \"“144”工作部署\"\nitems = [\"一个目标\", \"四项任务\", \"四个保障\"]\ndefinition = \"州局党组的工作部署\"\n";
        let g = Glossary::parse(Path::new("jianggao.toml"), text).unwrap();
        assert_eq!(g.speaking_rate, Some(200.0));
        assert_eq!(g.rules.get("placeholder"), Some(&RuleLevel::Off));
        assert_eq!(g.formulas[0].items.len(), 3);
        assert!(matches!(
            g.formulas[0].provenance,
            Provenance::Glossary { line: 5, .. }
        ));

        let err = Glossary::parse(Path::new("j.toml"), "[[formula]]\nterm = \n").unwrap_err();
        assert_eq!(err.line, 1);
        assert!(err.message.contains("格式错误"));
    }
}
