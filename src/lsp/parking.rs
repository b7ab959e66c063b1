//! Text synchronisation that skips tower-lsp's copy of the text.
//!
//! Every message crosses from the framing pump (`transport`) to tower-lsp through an
//! in-memory pipe; tower-lsp then reads it into a buffer that keeps its largest size
//! for the rest of the session (16 MiB after one 10 MB draft), parses it into a
//! `serde_json::Value`, and only then into the typed parameters, validating the text
//! as UTF-8 on the way with the standard library. For `didOpen` and `didChange`, whose
//! text is the whole message, that is most of the memory and much of the time an open
//! takes. So the pump parses those two notifications itself, once, into their typed
//! parameters (UTF-8 validated with SIMD first), parks them here under a slot number,
//! and sends tower-lsp a stub naming the slot (`jianggao/parked`). The stub's handler
//! takes the parameters and runs the ordinary didOpen/didChange code. The stub goes
//! through tower-lsp's queue like the original would, so changes apply in the order
//! they came, interleaved with requests as before.
//!
//! Only while the session is initialized and not shut down does the pump park: before
//! and after, tower-lsp drops these notifications, and the original goes to it so it
//! behaves as the protocol says. A message whose parameters do not parse is forwarded
//! as it came too, for tower-lsp to refuse as it would.

use serde::Deserialize;
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tower_lsp::lsp_types::{
    DidChangeTextDocumentParams, DidOpenTextDocumentParams, Range, TextDocumentContentChangeEvent,
    TextDocumentItem, Url, VersionedTextDocumentIdentifier,
};

/// The stub's method.
pub const METHOD: &str = "jianggao/parked";

/// The two notifications that are parked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncKind {
    Open,
    Change,
}

impl SyncKind {
    pub fn of(method: &str) -> Option<SyncKind> {
        match method {
            "textDocument/didOpen" => Some(SyncKind::Open),
            "textDocument/didChange" => Some(SyncKind::Change),
            _ => None,
        }
    }
}

pub enum Parked {
    Open(DidOpenTextDocumentParams),
    Change(DidChangeTextDocumentParams),
}

/// The stub's parameters.
#[derive(Deserialize)]
pub struct Slot {
    pub slot: u64,
}

#[derive(Deserialize)]
struct Envelope<P> {
    params: P,
}

// The notifications' parameters with their texts left as written (`RawValue`) and
// unescaped by `unescape` into a string of the right size: serde_json unescapes into a
// buffer that grows by doubling and then copies it, four times a draft's size in fresh
// memory, and a fresh page costs a fault (some 1,000 for a 1 MB draft).

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawOpen<'a> {
    #[serde(borrow)]
    text_document: RawItem<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawItem<'a> {
    uri: Url,
    language_id: String,
    version: i32,
    #[serde(borrow)]
    text: &'a RawValue,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawChange<'a> {
    text_document: VersionedTextDocumentIdentifier,
    #[serde(borrow)]
    content_changes: Vec<RawContentChange<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawContentChange<'a> {
    #[serde(default)]
    range: Option<Range>,
    #[serde(default)]
    range_length: Option<u32>,
    #[serde(borrow)]
    text: &'a RawValue,
}

/// How far into a message `park_whole` looks for its method.
const WHOLE_METHOD_WITHIN: usize = 256;

/// A whole message with the parameters of a text sync notification.
#[derive(Deserialize)]
struct Whole<P> {
    jsonrpc: String,
    method: String,
    #[serde(default)]
    id: Option<serde_json::Value>,
    params: P,
}

impl<P> Whole<P> {
    /// `Some` for a JSON-RPC 2.0 notification of `kind`, as `check_body` would pass it.
    fn is_notification(&self, kind: SyncKind) -> Option<()> {
        (self.jsonrpc == "2.0" && self.id.is_none() && SyncKind::of(&self.method) == Some(kind))
            .then_some(())
    }
}

/// The parameters of `message` (UTF-8 already checked, so serde_json does not check
/// again), read as `R`. `whole`: also check the envelope, as `check_body` would, for a
/// notification of `kind` (`park_whole`).
fn raw_params<'a, R: Deserialize<'a>>(message: &'a str, kind: SyncKind, whole: bool) -> Option<R> {
    if !whole {
        return serde_json::from_str::<Envelope<R>>(message)
            .ok()
            .map(|m| m.params);
    }
    let m: Whole<R> = serde_json::from_str(message).ok()?;
    m.is_notification(kind)?;
    Some(m.params)
}

/// The parked parameters of a `kind` notification (see `raw_params`).
fn parked(kind: SyncKind, message: &str, whole: bool) -> Option<Parked> {
    Some(match kind {
        SyncKind::Open => Parked::Open(open_from(raw_params(message, kind, whole)?)?),
        SyncKind::Change => Parked::Change(change_from(raw_params(message, kind, whole)?)?),
    })
}

fn open_from(raw: RawOpen) -> Option<DidOpenTextDocumentParams> {
    let item = raw.text_document;
    Some(DidOpenTextDocumentParams {
        text_document: TextDocumentItem {
            uri: item.uri,
            language_id: item.language_id,
            version: item.version,
            text: unescape(item.text.get())?,
        },
    })
}

fn change_from(raw: RawChange) -> Option<DidChangeTextDocumentParams> {
    let content_changes = raw
        .content_changes
        .into_iter()
        .map(|c| {
            Some(TextDocumentContentChangeEvent {
                range: c.range,
                range_length: c.range_length,
                text: unescape(c.text.get())?,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(DidChangeTextDocumentParams {
        text_document: raw.text_document,
        content_changes,
    })
}

/// The string a JSON string literal (with its quotes, as serde_json has checked it)
/// stands for; `None` for anything else, a lone surrogate among them (which serde_json
/// refuses too).
fn unescape(literal: &str) -> Option<String> {
    let inner = literal.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::with_capacity(inner.len());
    let mut rest = inner;
    while let Some(at) = memchr::memchr(b'\\', rest.as_bytes()) {
        out.push_str(&rest[..at]);
        let escape = rest.get(at + 1..at + 2)?;
        rest = &rest[at + 2..];
        out.push(match escape {
            "\"" => '"',
            "\\" => '\\',
            "/" => '/',
            "b" => '\u{8}',
            "f" => '\u{c}',
            "n" => '\n',
            "r" => '\r',
            "t" => '\t',
            "u" => {
                let (c, after) = unicode_escape(rest)?;
                rest = after;
                c
            }
            _ => return None,
        });
    }
    out.push_str(rest);
    Some(out)
}

/// The char of a `\u` escape whose four hex digits start `s` (with the low half of a
/// surrogate pair in a second escape), and what follows it.
fn unicode_escape(s: &str) -> Option<(char, &str)> {
    let hex = |s: &str| u32::from_str_radix(s.get(..4)?, 16).ok();
    let first = hex(s)?;
    let rest = &s[4..];
    if !(0xD800..0xDC00).contains(&first) {
        return Some((char::from_u32(first)?, rest));
    }
    let low = hex(rest.strip_prefix("\\u")?)?;
    if !(0xDC00..0xE000).contains(&low) {
        return None;
    }
    let c = char::from_u32(0x10000 + ((first - 0xD800) << 10) + (low - 0xDC00))?;
    Some((c, &rest[6..]))
}

/// Parked parameters, shared by the pump and the server.
#[derive(Clone)]
pub struct ParkingLot {
    slots: Arc<Mutex<HashMap<u64, Parked>>>,
    next: Arc<AtomicU64>,
    initialized: Arc<AtomicBool>,
    shutdown: Arc<AtomicBool>,
}

impl ParkingLot {
    /// A lot that parks while `initialized` is set and `shutdown` is not.
    pub fn new(initialized: Arc<AtomicBool>, shutdown: Arc<AtomicBool>) -> ParkingLot {
        ParkingLot {
            slots: Arc::default(),
            next: Arc::default(),
            initialized,
            shutdown,
        }
    }

    /// Parks the parameters of a `kind` notification whose `body` is a well-formed
    /// JSON-RPC message, and returns the stub to forward in its place; `None` to forward
    /// `body` itself.
    pub fn park(&self, kind: SyncKind, body: &[u8]) -> Option<Vec<u8>> {
        if !self.parks() {
            return None;
        }
        let text = crate::textfile::valid_utf8(body)?;
        Some(self.stub_for(parked(kind, text, false)?))
    }

    /// Parks a whole frame's `body` when it is a well-formed `didOpen` or `didChange`
    /// notification whose method comes before its parameters (as editors write them),
    /// and returns the stub; `None` for anything else, which then goes the usual way
    /// (`transport::check_body`, then `park`). For a large draft this reads the message
    /// once instead of twice: the envelope and the parameters in one pass.
    pub fn park_whole(&self, body: &[u8]) -> Option<Vec<u8>> {
        if !self.parks() {
            return None;
        }
        let head = &body[..body.len().min(WHOLE_METHOD_WITHIN)];
        let has = |method: &str| memchr::memmem::find(head, method.as_bytes()).is_some();
        let kind = if has("\"textDocument/didOpen\"") {
            SyncKind::Open
        } else if has("\"textDocument/didChange\"") {
            SyncKind::Change
        } else {
            return None;
        };
        let text = crate::textfile::valid_utf8(body)?;
        Some(self.stub_for(parked(kind, text, true)?))
    }

    /// Whether the session is initialized and not shut down (see the module doc).
    fn parks(&self) -> bool {
        self.initialized.load(Ordering::SeqCst) && !self.shutdown.load(Ordering::SeqCst)
    }

    fn stub_for(&self, parked: Parked) -> Vec<u8> {
        let slot = self.next.fetch_add(1, Ordering::SeqCst);
        self.lock().insert(slot, parked);
        format!(r#"{{"jsonrpc":"2.0","method":"{METHOD}","params":{{"slot":{slot}}}}}"#)
            .into_bytes()
    }

    /// The parameters parked under `slot` (each is taken once).
    pub fn take(&self, slot: u64) -> Option<Parked> {
        self.lock().remove(&slot)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Parked>> {
        self.slots.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lot(initialized: bool, shutdown: bool) -> ParkingLot {
        ParkingLot::new(
            Arc::new(AtomicBool::new(initialized)),
            Arc::new(AtomicBool::new(shutdown)),
        )
    }

    fn slot_of(stub: &[u8]) -> u64 {
        let v: serde_json::Value = serde_json::from_slice(stub).unwrap();
        assert_eq!(v["method"], METHOD);
        v["params"]["slot"].as_u64().unwrap()
    }

    const OPEN: &str = r#"{"params":{"textDocument":{"uri":"file:///a.txt","languageId":"plaintext","version":1,"text":"一要\n二要\"引号\""}},"jsonrpc":"2.0","method":"textDocument/didOpen"}"#;
    const CHANGE: &str = r#"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///a.txt","version":2},"contentChanges":[{"range":{"start":{"line":0,"character":1},"end":{"line":0,"character":1}},"text":"字"}]}}"#;

    #[test]
    fn parks_text_sync_and_gives_it_back_once() {
        let lot = lot(true, false);
        let open = slot_of(&lot.park(SyncKind::Open, OPEN.as_bytes()).unwrap());
        let change = slot_of(&lot.park(SyncKind::Change, CHANGE.as_bytes()).unwrap());
        assert_ne!(open, change);
        match lot.take(open) {
            Some(Parked::Open(p)) => {
                assert_eq!(p.text_document.text, "一要\n二要\"引号\"");
                assert_eq!(p.text_document.version, 1);
            }
            _ => panic!("the didOpen is not in its slot"),
        }
        assert!(lot.take(open).is_none(), "taken twice");
        match lot.take(change) {
            Some(Parked::Change(p)) => assert_eq!(p.content_changes[0].text, "字"),
            _ => panic!("the didChange is not in its slot"),
        }
    }

    /// A whole didOpen or didChange is parked as `park` parks its parameters; any
    /// other message, or one `check_body` would not pass as a notification, is left
    /// to the usual way.
    #[test]
    fn parks_whole_notifications_only() {
        let lot = lot(true, false);
        let whole = |msg: &str| lot.park_whole(msg.as_bytes()).map(|stub| slot_of(&stub));
        let open = OPEN.replacen(
            r#"{"params""#,
            r#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params""#,
            1,
        );
        let open = open.replacen(
            r#","jsonrpc":"2.0","method":"textDocument/didOpen"}"#,
            "}",
            1,
        );
        let expected: Envelope<DidOpenTextDocumentParams> = serde_json::from_str(OPEN).unwrap();
        match whole(&open).and_then(|slot| lot.take(slot)) {
            Some(Parked::Open(p)) => assert_eq!(p, expected.params),
            _ => panic!("{open} not parked"),
        }
        match whole(CHANGE).and_then(|slot| lot.take(slot)) {
            Some(Parked::Change(p)) => assert_eq!(p.content_changes[0].text, "字"),
            _ => panic!("{CHANGE} not parked"),
        }
        assert!(whole(OPEN).is_some_and(|slot| lot.take(slot).is_some()));
        let not_parked = [
            // The method far after the parameters, an id, another version, another
            // method that names one in its parameters, a method that does not fit the
            // parameters.
            OPEN.replacen("一要", &"一要".repeat(200), 1),
            open.replacen(r#""jsonrpc":"2.0","#, r#""jsonrpc":"2.0","id":7,"#, 1),
            open.replacen(r#""2.0""#, r#""1.0""#, 1),
            r#"{"jsonrpc":"2.0","method":"workspace/executeCommand","params":{"command":"textDocument/didOpen"}}"#.to_string(),
            open.replacen("didOpen", "didChange", 1),
        ];
        for msg in &not_parked {
            assert_eq!(whole(msg), None, "{msg}");
        }
        assert_eq!(
            super::ParkingLot::park_whole(&super::tests::lot(false, false), open.as_bytes()),
            None
        );
        assert!(lot.slots.lock().unwrap().is_empty());
    }

    /// The parameters read with the texts unescaped here are those serde_json reads,
    /// for texts with every kind of escape, and a text serde_json refuses is refused.
    #[test]
    fn reads_the_parameters_serde_json_reads() {
        let texts = [
            r#""""#,
            r#""一要\n二要\r\n\t“引号”\"半角\" \\ \/ \b\f""#,
            r#""\u4e00\u4E8C\u0001\u00e9\ud842\udfb7 𠮷 end\\""#,
            r#""\\\\n\\u0041""#,
        ];
        for text in texts {
            let open = format!(
                r#"{{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{{"textDocument":{{"uri":"file:///a.txt","languageId":"plaintext","version":3,"text":{text}}}}}}}"#
            );
            let expected: Envelope<DidOpenTextDocumentParams> =
                serde_json::from_str(&open).unwrap();
            assert_eq!(
                raw_params(&open, SyncKind::Open, false).and_then(open_from),
                Some(expected.params),
                "{text}"
            );
            let change = format!(
                r#"{{"jsonrpc":"2.0","method":"textDocument/didChange","params":{{"textDocument":{{"uri":"file:///a.txt","version":4}},"contentChanges":[{{"range":{{"start":{{"line":0,"character":1}},"end":{{"line":0,"character":2}}}},"rangeLength":1,"text":{text}}},{{"text":{text}}}]}}}}"#
            );
            let expected: Envelope<DidChangeTextDocumentParams> =
                serde_json::from_str(&change).unwrap();
            assert_eq!(
                raw_params(&change, SyncKind::Change, false).and_then(change_from),
                Some(expected.params),
                "{text}"
            );
        }
        for refused in [r#""\ud842""#, r#""\udfb7x""#, r#""\ud842\u0041""#] {
            let open = format!(
                r#"{{"params":{{"textDocument":{{"uri":"file:///a.txt","languageId":"plaintext","version":1,"text":{refused}}}}}}}"#
            );
            assert!(serde_json::from_str::<Envelope<DidOpenTextDocumentParams>>(&open).is_err());
            assert_eq!(
                raw_params(&open, SyncKind::Open, false).and_then(open_from),
                None,
                "{refused}"
            );
        }
    }

    /// Any string comes back from its JSON.
    #[test]
    fn unescapes_what_serde_json_escapes() {
        let mut all = String::new();
        for c in (0u32..0x800).chain(0x4e00..0x4f00).chain(0x1f600..0x1f610) {
            all.extend(char::from_u32(c));
        }
        for s in [all.as_str(), "", "\\\"", "\n\n", "末尾\\"] {
            let json = serde_json::to_string(s).unwrap();
            assert_eq!(unescape(&json).as_deref(), Some(s));
        }
    }

    #[test]
    fn forwards_what_it_cannot_or_should_not_park() {
        // Before `initialize` and after `shutdown` tower-lsp must see the original.
        assert!(lot(false, false)
            .park(SyncKind::Open, OPEN.as_bytes())
            .is_none());
        assert!(lot(true, true)
            .park(SyncKind::Open, OPEN.as_bytes())
            .is_none());
        let lot = lot(true, false);
        // Parameters of the wrong shape, and bytes that are not UTF-8.
        assert!(lot.park(SyncKind::Change, OPEN.as_bytes()).is_none());
        let missing_text = OPEN.replace(r#","text":"一要\n二要\"引号\"""#, "");
        assert!(lot.park(SyncKind::Open, missing_text.as_bytes()).is_none());
        let mut broken = OPEN.as_bytes().to_vec();
        let at = OPEN.find('一').unwrap();
        broken[at + 1] = 0xff;
        assert!(lot.park(SyncKind::Open, &broken).is_none());
        assert!(lot.slots.lock().unwrap().is_empty());
    }
}
