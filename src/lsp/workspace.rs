//! Workspace symbols: points and formulas of the workspace's `.txt` and `.md` drafts,
//! indexed in the background (respecting `.gitignore`) with `$/progress` reports.

use crate::analysis::NodeKind;
use crate::document::Document;
use crate::knowledge::Knowledge;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tower_lsp::lsp_types::*;
use tower_lsp::Client;

/// Files larger than this are not indexed (they are not speech drafts).
const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;
const MAX_RESULTS: usize = 500;

#[derive(Debug, Clone)]
struct Entry {
    name: String,
    kind: SymbolKind,
    line: u32,
    container: Option<String>,
}

#[derive(Default)]
pub struct WorkspaceIndex {
    files: Mutex<HashMap<PathBuf, Vec<Entry>>>,
    /// Formula term → occurrences in the indexed drafts (for completion ranking).
    term_counts: Mutex<Arc<HashMap<String, usize>>>,
}

fn is_draft(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e, "txt" | "md" | "markdown"))
}

fn index_file(path: &Path, kb: &Arc<Knowledge>) -> Option<(Vec<Entry>, HashMap<String, usize>)> {
    if std::fs::metadata(path).ok()?.len() > MAX_FILE_BYTES {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    let doc = Document::new(&text, kb.clone());
    let analysis = doc.analyze();
    let mut entries: Vec<Entry> = analysis
        .structure
        .outline
        .nodes
        .iter()
        .map(|n| Entry {
            name: n.name.clone(),
            kind: if matches!(n.kind, NodeKind::Heading { .. }) {
                SymbolKind::NAMESPACE
            } else {
                SymbolKind::STRUCT
            },
            line: n.marker.start.line,
            container: n
                .parent
                .map(|p| analysis.structure.outline.nodes[p].name.clone()),
        })
        .collect();
    let mut seen = std::collections::HashSet::new();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for (i, facts) in doc.lines().iter().enumerate() {
        for h in &facts.terms {
            *counts.entry(kb.formula(h.entry).term.clone()).or_default() += 1;
            if seen.insert(h.entry) {
                entries.push(Entry {
                    name: kb.formula(h.entry).term.clone(),
                    kind: SymbolKind::CONSTANT,
                    line: i as u32,
                    container: None,
                });
            }
        }
    }
    Some((entries, counts))
}

impl WorkspaceIndex {
    pub async fn build(
        self: Arc<Self>,
        root: PathBuf,
        kb: Arc<Knowledge>,
        client: Client,
        progress: bool,
    ) {
        let token = NumberOrString::String("jianggao-index".into());
        if progress {
            let created = client
                .send_request::<request::WorkDoneProgressCreate>(WorkDoneProgressCreateParams {
                    token: token.clone(),
                })
                .await;
            if created.is_err() {
                self.build_quietly(root, kb).await;
                return;
            }
            client
                .send_notification::<notification::Progress>(ProgressParams {
                    token: token.clone(),
                    value: ProgressParamsValue::WorkDone(WorkDoneProgress::Begin(
                        WorkDoneProgressBegin {
                            title: "jianggao：索引工作区讲稿".into(),
                            percentage: Some(0),
                            ..Default::default()
                        },
                    )),
                })
                .await;
        }
        let files = self.clone().build_quietly(root, kb).await;
        if progress {
            client
                .send_notification::<notification::Progress>(ProgressParams {
                    token,
                    value: ProgressParamsValue::WorkDone(WorkDoneProgress::End(
                        WorkDoneProgressEnd {
                            message: Some(format!("已索引 {files} 个文件")),
                        },
                    )),
                })
                .await;
        }
    }

    async fn build_quietly(self: Arc<Self>, root: PathBuf, kb: Arc<Knowledge>) -> usize {
        let this = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut count = 0;
            let mut totals: HashMap<String, usize> = HashMap::new();
            for entry in ignore::WalkBuilder::new(&root).build().flatten() {
                let path = entry.path();
                if !is_draft(path) {
                    continue;
                }
                let indexed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    index_file(path, &kb)
                }))
                .ok()
                .flatten();
                if let Some((entries, counts)) = indexed {
                    this.files
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .insert(path.to_path_buf(), entries);
                    for (term, n) in counts {
                        *totals.entry(term).or_default() += n;
                    }
                    count += 1;
                }
            }
            *this.term_counts.lock().unwrap_or_else(|p| p.into_inner()) = Arc::new(totals);
            tracing::info!("workspace index: {count} drafts under {}", root.display());
            count
        })
        .await
        .unwrap_or(0)
    }

    /// Formula term → occurrences in the workspace's drafts.
    pub fn term_counts(&self) -> Arc<HashMap<String, usize>> {
        self.term_counts
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Symbols whose name contains `query`; open documents replace their indexed copy.
    #[allow(deprecated)]
    pub fn query(
        &self,
        query: &str,
        open: Vec<(Url, Vec<SymbolInformation>)>,
    ) -> Vec<SymbolInformation> {
        let q = query.to_lowercase();
        let open_paths: Vec<PathBuf> = open
            .iter()
            .filter_map(|(u, _)| u.to_file_path().ok())
            .collect();
        let mut out: Vec<SymbolInformation> = open
            .into_iter()
            .flat_map(|(_, s)| s)
            .filter(|s| s.name.to_lowercase().contains(&q))
            .collect();
        let files = self.files.lock().unwrap_or_else(|p| p.into_inner());
        for (path, entries) in files.iter() {
            if open_paths.contains(path) {
                continue;
            }
            let Ok(uri) = Url::from_file_path(path) else {
                continue;
            };
            for e in entries
                .iter()
                .filter(|e| e.name.to_lowercase().contains(&q))
            {
                out.push(SymbolInformation {
                    name: e.name.clone(),
                    kind: e.kind,
                    tags: None,
                    deprecated: None,
                    location: Location {
                        uri: uri.clone(),
                        range: Range::new(Position::new(e.line, 0), Position::new(e.line, 0)),
                    },
                    container_name: e.container.clone(),
                });
            }
        }
        out.truncate(MAX_RESULTS);
        out
    }
}
