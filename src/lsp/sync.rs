//! Text synchronisation and diagnostics: open, change, close, and publishing the
//! diagnostics of the version that was analysed.

use super::backend::{guard, lock, Backend, Diagnostics, DocumentParams};
use super::{convert, transport};
use crate::config::Settings;
use crate::document::{Analysis, ClientRange, Document};
use crate::knowledge::Knowledge;
use crate::text::Encoding;
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use tower_lsp::jsonrpc::Result;
use tower_lsp::lsp_types::*;

pub(super) struct DocState {
    pub(super) doc: Document,
    pub(super) version: i32,
    pub(super) analysis: Arc<Analysis>,
    /// Line diagnostics already converted and serialised, by line facts and line.
    json_cache: Mutex<JsonCache>,
    /// The result id of the last pulled report and what it was made for (version,
    /// encoding, settings generation).
    pulled: Mutex<Option<(PullKey, String)>>,
}

/// What a pulled report was made for: version, encoding, settings generation.
type PullKey = (i32, u8, u64);

/// Diagnostics are held back while the client has more than this many bytes of the
/// server's output to read (see `Backend::held_back_until_read`).
const UNREAD_LIMIT: usize = 1 << 20;

/// The largest closed document kept for a reopen. A draft's state takes some three
/// times its size (about 34 MB for a 10 MB draft): a closed one of 50 MB would hold
/// hundreds of megabytes for an open that may never come.
const KEEP_CLOSED_MAX_BYTES: usize = 16 << 20;

/// Drafts from this size on are freed on a blocking thread (`free_later`).
const FREE_INLINE_MAX_BYTES: usize = 1 << 20;

/// Frees a document's state off the request path: a large draft's state is millions
/// of allocations, and a 50 MB draft's takes some 250 ms to free, then 30 ms to return
/// its pages (`return_freed_memory`, done for drafts too large to keep), which the
/// messages after a close or an open would otherwise wait for. Small states are freed
/// at once.
fn free_later(state: Option<DocState>) {
    let Some(state) = state else { return };
    let bytes = state.doc.rope().len_bytes();
    if bytes < FREE_INLINE_MAX_BYTES {
        drop(state);
        return;
    }
    let free = move || {
        let started = std::time::Instant::now();
        drop(state);
        let kb = bytes >> 10;
        tracing::debug!("state of a {kb} KB draft freed in {:?}", started.elapsed());
        if bytes > KEEP_CLOSED_MAX_BYTES {
            let started = std::time::Instant::now();
            return_freed_memory();
            tracing::debug!("free pages returned in {:?}", started.elapsed());
        }
    };
    match tokio::runtime::Handle::try_current() {
        Ok(runtime) => drop(runtime.spawn_blocking(free)),
        Err(_) => free(),
    }
}

/// Returns the heap's free pages to the system after a large document was freed.
/// glibc keeps them otherwise (its heap only shrinks from the top), and a server that
/// once held a 50 MB draft would go on holding some 400 MB. mimalloc (the musl build)
/// returns freed pages itself (`main.rs`).
fn return_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        extern "C" {
            fn malloc_trim(pad: usize) -> std::ffi::c_int;
        }
        // SAFETY: glibc's own call; it takes the allocator's locks and may be called
        // from any thread at any time.
        unsafe { malloc_trim(0) };
    }
}

/// The documents whose diagnostics are held back, and whether a call waits to publish
/// them.
#[derive(Default)]
pub(super) struct HeldBack {
    uris: HashSet<Url>,
    waiting: bool,
}

/// Serialised LSP diagnostics are reused: a keystroke costs work for the lines it
/// touched, not for every diagnostic of the document. Entries leave the line numbers
/// out (see `Template`), so lines that move keep theirs.
#[derive(Default)]
struct JsonCache {
    /// Encoding, settings generation and document date the entries were made for.
    context: (u8, u64, crate::text::Date),
    /// A line's findings (by their shared slice, kept alive so the address stays
    /// theirs) → their JSON.
    lines: HashMap<usize, (Arc<[crate::rules::Diagnostic]>, Template)>,
    /// Document findings by a hash of what their JSON shows → what it shows, the facts
    /// of their line (whose columns it converts), and their JSON.
    document: HashMap<u64, Vec<DocumentEntry>, std::hash::BuildHasherDefault<Fx>>,
    /// How many entries `document` holds: a finding on the line being typed keeps its
    /// key while its line's facts change, so the entries, not the keys, grow.
    document_entries: usize,
    /// The JSON of the line findings of each block of `BLOCK` lines, with the findings
    /// it was made from: an unchanged block is copied whole.
    blocks: Vec<Block>,
    /// The length of the last output (the next one is about as long).
    last_len: usize,
}

impl JsonCache {
    /// Drops every entry made for another encoding, settings generation or date.
    fn enter(&mut self, context: (u8, u64, crate::text::Date)) {
        if self.context != context {
            *self = JsonCache {
                context,
                last_len: self.last_len,
                ..JsonCache::default()
            };
        }
    }

    /// Brings the JSON of `doc`'s line findings up to date, block by block: a block
    /// whose lines hold the findings it was made from is kept, the others are made
    /// again (on all cores when many are stale, as when a draft is opened).
    fn refresh_line_blocks(
        &mut self,
        doc: &Document,
        enc: Encoding,
        settings: &Settings,
        date: crate::text::Date,
    ) {
        let rope = doc.rope();
        let shapes = |i: usize| doc.line_shape(i);
        let visible = |d: &crate::rules::Diagnostic| crate::rules::visible_level(d, settings);
        let n = doc.lines().len();
        let found = |i: usize| doc.line_diagnostics(i);
        let mut blocks = std::mem::take(&mut self.blocks);
        blocks.truncate(n.div_ceil(BLOCK));
        let stale: Vec<usize> = (0..n.div_ceil(BLOCK))
            .filter(|&b| {
                let (from, to) = (b * BLOCK, ((b + 1) * BLOCK).min(n));
                !blocks.get(b).is_some_and(|block| {
                    block.lines.len() == to - from
                        && block
                            .lines
                            .iter()
                            .zip(from..to)
                            .all(|(x, i)| Arc::ptr_eq(x, found(i)))
                })
            })
            .collect();
        // A stale block's JSON, and the templates it had to make (added to the cache
        // afterwards, so blocks can be built at once).
        let templates = &self.lines;
        let build = |b: usize| {
            let (from, to) = (b * BLOCK, ((b + 1) * BLOCK).min(n));
            let mut cursor = crate::text::PositionCursor::with_shapes(rope, enc, &shapes);
            let mut json = String::new();
            let mut made_here = Vec::new();
            for i in from..to {
                let found = found(i);
                if found.is_empty() {
                    continue;
                }
                let key = Arc::as_ptr(found) as *const () as usize;
                let mut made = None;
                let t = match templates.get(&key) {
                    Some((_, t)) => t,
                    None => &*made.insert(line_template(&mut cursor, found, i, date, &visible)),
                };
                if !t.is_empty() {
                    separate(&mut json);
                    t.write(&mut json, i as u32);
                }
                if let Some(t) = made {
                    made_here.push((key, found.clone(), t));
                }
            }
            let block = Block {
                lines: (from..to).map(|i| found(i).clone()).collect(),
                json,
            };
            (block, made_here)
        };
        let built: Vec<_> = if stale.len() >= PARALLEL_BLOCKS {
            use rayon::prelude::*;
            stale.par_iter().map(|&b| build(b)).collect()
        } else {
            stale.iter().map(|&b| build(b)).collect()
        };
        for (&b, (block, made)) in stale.iter().zip(built) {
            for (key, found, t) in made {
                self.lines.entry(key).or_insert((found, t));
            }
            match blocks.get_mut(b) {
                Some(old) => *old = block,
                None => blocks.push(block),
            }
        }
        self.blocks = blocks;
        let used = (0..n).filter(|&i| !found(i).is_empty()).count();
        // Drop the entries of lines that changed since (only the cache holds them).
        if self.lines.len() > 2 * used + 64 {
            self.lines
                .retain(|_, (found, _)| Arc::strong_count(found) > 1);
        }
    }
}

/// Puts a comma before the next element of a JSON array being written.
fn separate(out: &mut String) {
    if !out.is_empty() {
        out.push(',');
    }
}

const BLOCK: usize = 128;
/// Stale blocks from which they are built in parallel.
const PARALLEL_BLOCKS: usize = 8;

struct Block {
    lines: Vec<Arc<[crate::rules::Diagnostic]>>,
    json: String,
}

/// Diagnostics as JSON with their line numbers left out.
#[derive(Default)]
struct Template(Vec<TemplateEntry>);

/// One diagnostic's JSON without its two line numbers: `cuts` are where they go, each
/// with what to add to the line the diagnostic is on (0 for the start, the lines its
/// range spans for the end). One allocation per diagnostic.
struct TemplateEntry {
    json: Box<str>,
    cuts: [(u32, u32); 2],
}

impl TemplateEntry {
    /// `d`, lying at `span`, as serde writes an `lsp_types::Diagnostic` made by
    /// `convert::diagnostic_with` (tested against it), written directly: converting
    /// and serialising each finding through `lsp_types` cost some 7 million
    /// instructions when a 1 MB draft was opened.
    fn of(
        cursor: &mut crate::text::PositionCursor,
        d: &crate::rules::Diagnostic,
        span: crate::text::Span,
        level: crate::config::RuleLevel,
    ) -> TemplateEntry {
        use super::navigation::{json_string, push_number};
        let (_, start) = cursor.convert(span.start);
        let (_, end) = cursor.convert(span.end);
        let mut json = String::with_capacity(160 + d.message.len());
        json.push_str("{\"range\":{\"start\":{\"line\":");
        let cut_start = json.len() as u32;
        json.push_str(",\"character\":");
        push_number(&mut json, start);
        json.push_str("},\"end\":{\"line\":");
        let cut_end = json.len() as u32;
        json.push_str(",\"character\":");
        push_number(&mut json, end);
        json.push_str("}},\"severity\":");
        push_number(&mut json, convert::severity_number(level));
        json.push_str(",\"code\":");
        json_string(&mut json, d.code);
        json.push_str(",\"source\":\"jianggao\",\"message\":");
        json_string(&mut json, &d.message);
        json.push('}');
        TemplateEntry {
            json: json.into(),
            cuts: [(cut_start, 0), (cut_end, span.end.line - span.start.line)],
        }
    }
}

impl Template {
    /// Adds `d`, lying at `span` (with its line numbers, which are left out).
    fn push_diagnostic(
        &mut self,
        cursor: &mut crate::text::PositionCursor,
        d: &crate::rules::Diagnostic,
        span: crate::text::Span,
        level: crate::config::RuleLevel,
    ) {
        self.0.push(TemplateEntry::of(cursor, d, span, level));
    }

    fn write(&self, out: &mut String, line: u32) {
        for (k, entry) in self.0.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            let json = &*entry.json;
            let [(c0, k0), (c1, k1)] = entry.cuts;
            let (c0, c1) = (c0 as usize, c1 as usize);
            out.push_str(&json[..c0]);
            super::navigation::push_number(out, line + k0);
            out.push_str(&json[c0..c1]);
            super::navigation::push_number(out, line + k1);
            out.push_str(&json[c1..]);
        }
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The template of the findings of line `i` (their spans are on line 0).
fn line_template(
    cursor: &mut crate::text::PositionCursor,
    found: &[crate::rules::Diagnostic],
    i: usize,
    date: crate::text::Date,
    visible: &impl Fn(&crate::rules::Diagnostic) -> Option<crate::config::RuleLevel>,
) -> Template {
    let mut t = Template::default();
    for d in found.iter().filter(|d| d.valid.applies(date)) {
        let Some(level) = visible(d) else { continue };
        t.push_diagnostic(cursor, d, d.span.with_line(i as u32), level);
    }
    t
}

/// What a document finding's JSON shows, apart from its line.
#[derive(PartialEq, Eq, Hash)]
struct Shown<'a> {
    code: &'static str,
    level: u8,
    message: &'a str,
    columns: (u32, u32),
    lines: u32,
}

impl<'a> Shown<'a> {
    fn of(d: &'a crate::rules::Diagnostic, level: crate::config::RuleLevel) -> Self {
        Shown {
            code: d.code,
            level: level as u8,
            message: &d.message,
            columns: (d.span.start.col, d.span.end.col),
            lines: d.span.end.line - d.span.start.line,
        }
    }

    fn hash(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = Fx::default();
        Hash::hash(self, &mut h);
        h.finish()
    }
}

struct DocumentEntry {
    shown: Shown<'static>,
    message: Box<str>,
    facts: Arc<crate::analysis::line::LineFacts>,
    json: Template,
}

/// The multiply-rotate hash of rustc (FxHash): a cache key hashed on every keystroke
/// needs no protection against crafted collisions (entries are compared in full).
#[derive(Default)]
struct Fx(u64);

impl std::hash::Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }
    fn write_u64(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl DocState {
    /// A document just opened, analysed. With `json_for` (encoding, settings and their
    /// generation), the JSON of its line findings is made too: on a large draft beside
    /// the document pass, which runs on one core and would leave the other idle.
    pub(super) fn opened(
        doc: Document,
        version: i32,
        json_for: Option<(Encoding, &Settings, u64)>,
    ) -> DocState {
        let mut cache = JsonCache::default();
        let analysis = match json_for {
            Some((enc, settings, generation)) if doc.is_large() => {
                let date = doc.judged_date();
                let prepare = || {
                    cache.enter((enc as u8, generation, date));
                    cache.refresh_line_blocks(&doc, enc, settings, date);
                };
                rayon::join(|| doc.analyze(), prepare).0
            }
            _ => doc.analyze(),
        };
        DocState {
            doc,
            version,
            analysis: Arc::new(analysis),
            json_cache: Mutex::new(cache),
            pulled: Mutex::new(None),
        }
    }

    /// Whether this (closed) document holds `text`, analysed with `kb`.
    fn holds(&self, text: &str, kb: &Arc<Knowledge>) -> bool {
        let rope = self.doc.rope();
        Arc::ptr_eq(self.doc.knowledge(), kb) && rope.len_bytes() == text.len() && *rope == text
    }

    /// This closed document opened again as `version`: the line pass's results, the
    /// analysis and the serialised findings are kept. The analysis is brought up to
    /// date as after an edit (of no line): redone if the date the draft is judged at
    /// has changed since (today's, when it has none of its own).
    fn reopened(mut self, date: Option<crate::text::Date>, version: i32) -> DocState {
        self.doc.set_date_setting(date);
        match Arc::get_mut(&mut self.analysis) {
            Some(analysis) => self.doc.update(analysis),
            None => self.analysis = Arc::new(self.doc.analyze()),
        }
        self.version = version;
        *lock(&self.pulled) = None;
        self
    }

    /// The JSON of a `textDocument/diagnostic` report: `unchanged` when the client's
    /// `previous` result id is the current one, else the full list with a new id. The
    /// id is a hash of the serialised list, so an edit that leaves the diagnostics as
    /// they were is reported unchanged too.
    pub(super) fn pull_report(
        &self,
        enc: Encoding,
        settings: &Settings,
        generation: u64,
        previous: Option<&str>,
    ) -> String {
        let key = (self.version, enc as u8, generation);
        let known = lock(&self.pulled)
            .as_ref()
            .filter(|(k, _)| *k == key)
            .map(|(_, id)| id.clone());
        if let (Some(id), Some(previous)) = (&known, previous) {
            if id == previous {
                return format!(r#"{{"kind":"unchanged","resultId":"{id}"}}"#);
            }
        }
        let items = self.diagnostics_json(enc, settings, generation);
        let id = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            items.hash(&mut h);
            format!("{:016x}", h.finish())
        };
        *lock(&self.pulled) = Some((key, id.clone()));
        if previous == Some(id.as_str()) {
            format!(r#"{{"kind":"unchanged","resultId":"{id}"}}"#)
        } else {
            format!(r#"{{"kind":"full","resultId":"{id}","items":[{items}]}}"#)
        }
    }

    /// The document's visible diagnostics as the body of a JSON array: the line rules'
    /// findings line by line, then the document rules'.
    pub(super) fn diagnostics_json(
        &self,
        enc: Encoding,
        settings: &Settings,
        generation: u64,
    ) -> String {
        let mut guard = lock(&self.json_cache);
        let cache = &mut *guard;
        let date = self.analysis.date;
        cache.enter((enc as u8, generation, date));
        cache.refresh_line_blocks(&self.doc, enc, settings, date);
        let mut out = String::with_capacity(transport::transient_capacity(
            cache.last_len + cache.last_len / 8,
        ));
        for block in &cache.blocks {
            if !block.json.is_empty() {
                separate(&mut out);
                out.push_str(&block.json);
            }
        }
        let rope = self.doc.rope();
        let shapes = |i: usize| self.doc.line_shape(i);
        let visible = |d: &crate::rules::Diagnostic| crate::rules::visible_level(d, settings);
        let lines = self.doc.lines();
        let mut cursor = crate::text::PositionCursor::with_shapes(rope, enc, &shapes);
        let mut seen = 0;
        for d in &self.analysis.document_diagnostics {
            let Some(level) = visible(d) else { continue };
            let line = d.span.start.line;
            let Some(facts) = lines.get(line as usize) else {
                continue;
            };
            seen += 1;
            let shown = Shown::of(d, level);
            let entries = cache.document.entry(shown.hash()).or_default();
            let at = entries.iter().position(|e| {
                Arc::ptr_eq(&e.facts, facts)
                    && Shown {
                        message: &e.message,
                        ..e.shown
                    } == shown
            });
            let at = at.unwrap_or_else(|| {
                let mut json = Template::default();
                json.push_diagnostic(&mut cursor, d, d.span, level);
                cache.document_entries += 1;
                entries.push(DocumentEntry {
                    shown: Shown {
                        message: "",
                        ..shown
                    },
                    message: d.message.as_str().into(),
                    facts: facts.clone(),
                    json,
                });
                entries.len() - 1
            });
            let json = &entries[at].json;
            if !json.is_empty() {
                separate(&mut out);
                json.write(&mut out, line);
            }
        }
        // Drop the entries of lines whose facts changed since (only the cache holds them).
        if cache.document_entries > 2 * seen + 64 {
            cache.document.retain(|_, entries| {
                entries.retain(|e| Arc::strong_count(&e.facts) > 1);
                !entries.is_empty()
            });
            cache.document_entries = cache.document.values().map(Vec::len).sum();
        }
        cache.last_len = out.len();
        out
    }
}

impl Backend {
    /// Converted diagnostics of the current version (computed under the lock).
    pub(super) fn diagnostics_of(
        state: &DocState,
        enc: Encoding,
        settings: &Settings,
    ) -> Vec<Diagnostic> {
        let mut cursor = crate::text::PositionCursor::new(state.doc.rope(), enc);
        crate::rules::visible(&state.analysis.diagnostics, settings)
            .iter()
            .map(|(level, d)| convert::diagnostic_with(&mut cursor, d, *level))
            .collect()
    }

    /// Publishes diagnostics for `version` unless a newer version was analysed since.
    pub(super) async fn publish(&self, uri: Url, version: i32, diagnostics: Diagnostics) {
        let _order = self.publish.lock().await;
        let current = lock(&self.docs).get(&uri).map(|s| s.version);
        if current != Some(version) {
            return;
        }
        match (diagnostics, &self.out) {
            // Written straight into the output stream from cached per-line JSON.
            (Diagnostics::Json(items), Some(out)) => {
                let uri_json = serde_json::to_string(uri.as_str()).unwrap_or_default();
                let head = format!(
                    r#"{{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{{"uri":{uri_json},"version":{version},"diagnostics":["#
                );
                // One buffer, one copy of the (possibly megabytes of) findings.
                let frame = transport::frame_of(&[head.as_bytes(), items.as_bytes(), b"]}}"]);
                // Checked and sent under the lock `direct` takes to switch to pulling,
                // so no push lands after the lists it clears.
                let cfg = self.cfg();
                if !cfg.client_pulled {
                    let _ = out.send(frame);
                }
            }
            (Diagnostics::List(list), _) => {
                self.client
                    .publish_diagnostics(uri, list, Some(version))
                    .await
            }
            (Diagnostics::Json(_), None) => {}
        }
    }

    pub(super) async fn analyse_and_publish(&self, uri: &Url) {
        let (generation, pull) = {
            let cfg = self.cfg();
            (cfg.settings_generation, cfg.client_pulled)
        };
        if pull {
            return; // the client asks for them (`direct`)
        }
        if self.held_back_until_read(uri).await {
            return;
        }
        self.publish_current(uri, generation).await;
    }

    /// Whether `uri`'s diagnostics are held back because the client has not read the
    /// output it was sent; they are then published, at the version current by then,
    /// once it has. Otherwise a client that reads slower than the server analyses (a
    /// burst of edits, a busy editor) would have a publish of every version queued, each
    /// as long as the document's findings: memory without bound, for versions that
    /// were superseded before the client saw them. The first call that holds back
    /// waits for the client and publishes every document held back meanwhile; the
    /// others return at once, so the server goes on with its input.
    async fn held_back_until_read(&self, uri: &Url) -> bool {
        let Some(out) = &self.out else {
            return false;
        };
        if out.backlog() < UNREAD_LIMIT {
            return false;
        }
        {
            let mut held = lock(&self.held_back);
            held.uris.insert(uri.clone());
            if held.waiting {
                return true;
            }
            held.waiting = true;
        }
        out.drained_below(UNREAD_LIMIT).await;
        let uris = {
            let mut held = lock(&self.held_back);
            held.waiting = false;
            std::mem::take(&mut held.uris)
        };
        let generation = self.cfg().settings_generation;
        for uri in uris {
            self.publish_current(&uri, generation).await;
        }
        true
    }

    /// Publishes the diagnostics of the document's current version.
    async fn publish_current(&self, uri: &Url, generation: u64) {
        let direct = self.out.is_some();
        let out = self.with_doc(uri, "diagnostics", |state, enc, settings| {
            let diags = if direct {
                Diagnostics::Json(state.diagnostics_json(enc, settings, generation))
            } else {
                Diagnostics::List(Self::diagnostics_of(state, enc, settings))
            };
            (state.version, diags)
        });
        if let Ok(Some((version, diags))) = out {
            self.publish(uri.clone(), version, diags).await;
        }
    }

    pub(super) async fn republish_all(&self) {
        let (pull, refresh) = {
            let cfg = self.cfg();
            (cfg.client_pulled, cfg.diagnostic_refresh)
        };
        if pull {
            if refresh {
                if let Err(e) = self.client.workspace_diagnostic_refresh().await {
                    tracing::warn!("workspace/diagnostic/refresh failed: {e}");
                }
            }
            return;
        }
        let uris: Vec<Url> = lock(&self.docs).keys().cloned().collect();
        for uri in uris {
            self.analyse_and_publish(&uri).await;
        }
    }

    /// The server's copy of a document (used by tests to check synchronisation).
    pub async fn debug_text(&self, params: DocumentParams) -> Result<Option<Value>> {
        self.with_doc(
            &params.text_document.uri,
            "debugText",
            |state, _, _| json!({ "text": state.doc.text(), "version": state.version }),
        )
    }

    /// A stub for a didOpen or didChange the pump parked (`parking`): the same as the
    /// original message. The parameters are taken before the first `.await`, like the
    /// edits they carry are applied.
    pub(super) async fn parked(&self, params: super::parking::Slot) {
        match self.parking.take(params.slot) {
            Some(super::parking::Parked::Open(params)) => self.on_did_open(params).await,
            Some(super::parking::Parked::Change(params)) => self.on_did_change(params).await,
            None => tracing::warn!(
                "{}: nothing parked in slot {}",
                super::parking::METHOD,
                params.slot
            ),
        }
    }

    /// Opens a document. The text of the document closed last is not analysed again
    /// (an editor closes and re-opens a file, "Save As" opens the same text under a
    /// new name): its state is taken over when the text and knowledge are the same.
    pub(super) async fn on_did_open(&self, params: DidOpenTextDocumentParams) {
        let uri = params.text_document.uri;
        let (kb, date, enc, settings, generation) = {
            let cfg = self.cfg();
            (
                cfg.kb.clone(),
                cfg.settings.date,
                cfg.encoding,
                cfg.settings.clone(),
                cfg.settings_generation,
            )
        };
        // Findings are sent (or pulled) as JSON made from the cache `opened` fills.
        let json_for = self.out.is_some().then_some((enc, &settings, generation));
        let closed = lock(&self.closed).take();
        let mut not_reused = None;
        let started = std::time::Instant::now();
        let opened = guard("didOpen", || {
            let text = &params.text_document.text;
            let version = params.text_document.version;
            let state = match closed {
                Some(state) if state.holds(text, &kb) => state.reopened(date, version),
                other => {
                    not_reused = other;
                    let mut doc = Document::new(text, kb);
                    doc.set_date_setting(date);
                    DocState::opened(doc, version, json_for)
                }
            };
            lock(&self.docs).insert(uri.clone(), state)
        });
        if opened.is_ok() {
            let analysed = started.elapsed();
            self.analyse_and_publish(&uri).await;
            let bytes = params.text_document.text.len();
            tracing::debug!(
                "opened {uri} ({bytes} bytes): analysed in {analysed:?}, diagnostics sent after {:?}",
                started.elapsed()
            );
        }
        // Freed after the publish, off the request path.
        free_later(not_reused);
        free_later(opened.ok().flatten());
    }

    pub(super) async fn on_did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        // Everything up to the publish is synchronous: edits apply in arrival order.
        let enc = self.cfg().encoding;
        let started = std::time::Instant::now();
        let outcome = guard("didChange", || {
            let mut docs = lock(&self.docs);
            let Some(state) = docs.get_mut(&uri) else {
                return Err(format!("didChange for a document that is not open: {uri}"));
            };
            if version <= state.version {
                return Err(format!(
                    "stale didChange for {uri}: version {version} after {}",
                    state.version
                ));
            }
            for change in &params.content_changes {
                let range = change.range.map(|r| ClientRange {
                    start: (r.start.line, r.start.character),
                    end: (r.end.line, r.end.character),
                });
                state.doc.apply_change(range, &change.text, enc);
            }
            state.version = version;
            // Only the runs of lines the changes touched go through the document pass
            // again; the analysis is updated in place (nothing else holds it).
            match Arc::get_mut(&mut state.analysis) {
                Some(analysis) => state.doc.update(analysis),
                None => state.analysis = Arc::new(state.doc.analyze()),
            }
            Ok(())
        });
        let analysed = started.elapsed();
        match outcome {
            Ok(Ok(())) => {
                self.analyse_and_publish(&uri).await;
                tracing::debug!(
                    "didChange v{version}: analysed in {analysed:?}, published after {:?}",
                    started.elapsed()
                );
            }
            Ok(Err(msg)) => self.log(MessageType::WARNING, msg).await,
            Err(_) => {
                self.log(
                    MessageType::ERROR,
                    format!("didChange failed for {uri}; the document may be out of sync"),
                )
                .await
            }
        }
    }

    /// Closes a document. It is kept for a didOpen of the same text unless it is
    /// larger than `KEEP_CLOSED_MAX_BYTES`: then closing gives its memory back.
    pub(super) async fn on_did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let closed = lock(&self.docs).remove(&uri);
        let freed = match closed {
            Some(state) if state.doc.rope().len_bytes() <= KEEP_CLOSED_MAX_BYTES => {
                lock(&self.closed).replace(state)
            }
            // Too large to keep: freed, and the one kept before stays.
            too_large => too_large,
        };
        self.client.publish_diagnostics(uri, Vec::new(), None).await;
        free_later(freed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::RuleLevel;
    use crate::text::{Pos, Span};

    /// Findings written directly are what serde writes for the `lsp_types` diagnostic
    /// that `convert::diagnostic_with` makes: in every encoding, on any line, across
    /// lines, at every level, whatever their message holds (characters JSON escapes,
    /// a stand-in for a line number, characters beyond the BMP).
    #[test]
    fn templates_write_what_serde_writes() {
        let rope = ropey::Rope::from_str("第一行𠮷字很长\n\"引号\"\\\n\nabc\t很长的一行\n第五行\n");
        let messages = [
            "“四个意识”应为：政治意识、大局意识、核心意识、看齐意识。",
            "quote \" backslash \\ newline \n tab \t bell \u{7} nul \u{0} del \u{7f} \u{2028} \u{1f}",
            r#"示例 "line":4294967295 𠮷"#,
        ];
        let spans = [((0, 2), (0, 6)), ((0, 0), (2, 3)), ((0, 7), (0, 7))];
        let levels = [
            RuleLevel::Error,
            RuleLevel::Warning,
            RuleLevel::Info,
            RuleLevel::Hint,
        ];
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            for (k, message) in messages.iter().enumerate() {
                let ((l0, c0), (l1, c1)) = spans[k];
                let span = Span {
                    start: Pos::new(l0, c0),
                    end: Pos::new(l1, c1),
                };
                for level in levels {
                    let d = crate::rules::Diagnostic::new("formula-list", level, span, *message);
                    for line in [0, 1, 2] {
                        let serde = |d: &crate::rules::Diagnostic| {
                            let mut cursor = crate::text::PositionCursor::new(&rope, enc);
                            let lsp = convert::diagnostic_with(&mut cursor, d, level);
                            serde_json::to_string(&lsp).unwrap()
                        };
                        let mut cursor = crate::text::PositionCursor::new(&rope, enc);
                        let t = line_template(
                            &mut cursor,
                            std::slice::from_ref(&d),
                            line,
                            crate::text::Date::new(2026, 1, 1),
                            &|_| Some(level),
                        );
                        let mut out = String::new();
                        t.write(&mut out, line as u32);
                        let placed = d.clone().on_line(line as u32);
                        assert_eq!(out, serde(&placed), "{enc:?} {level:?} line {line}");
                        // A document finding (its span already on its line).
                        let mut t = Template::default();
                        t.push_diagnostic(&mut cursor, &placed, placed.span, level);
                        let mut out = String::new();
                        t.write(&mut out, line as u32);
                        assert_eq!(out, serde(&placed));
                    }
                }
            }
        }
    }

    /// On a large draft the JSON of the line findings is made beside the document pass
    /// (`DocState::opened` with `json_for`): it is the JSON made after it, and as a
    /// whole it is what serde writes for `diagnostics_of`'s list, in every encoding.
    #[test]
    fn findings_made_beside_the_document_pass_are_those_made_after_it() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let speech = ["errors.txt", "central_style.txt", "markers.txt"]
            .map(|f| std::fs::read_to_string(root.join(f)).unwrap())
            .join("\n");
        let text = format!("{speech}\n").repeat(30);
        let settings = Settings::default();
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let open = |json_for| {
                let doc = Document::new(&text, Knowledge::builtin());
                assert!(doc.is_large(), "the draft must take the parallel path");
                DocState::opened(doc, 1, json_for)
            };
            let beside = open(Some((enc, &settings, 7)));
            let after = open(None);
            {
                let cache = lock(&beside.json_cache);
                let date = beside.analysis.date;
                assert_eq!(
                    cache.context,
                    (enc as u8, 7, date),
                    "made for the date judged"
                );
                assert_eq!(cache.blocks.len(), beside.doc.lines().len().div_ceil(BLOCK));
            }
            let made = beside.diagnostics_json(enc, &settings, 7);
            assert_eq!(made, after.diagnostics_json(enc, &settings, 7), "{enc:?}");
            let sorted = |items: Vec<Value>| {
                let mut items: Vec<String> = items.iter().map(Value::to_string).collect();
                items.sort();
                items
            };
            let made: Vec<Value> = serde_json::from_str(&format!("[{made}]")).unwrap();
            let listed = Backend::diagnostics_of(&after, enc, &settings);
            let listed: Vec<Value> = listed.iter().map(|d| json!(d)).collect();
            assert!(listed.len() > 300, "{} findings", listed.len());
            assert_eq!(sorted(made), sorted(listed), "{enc:?}");
        }
    }
}
