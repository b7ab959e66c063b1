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
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tower_lsp::lsp_types::{DidChangeTextDocumentParams, DidOpenTextDocumentParams};

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
        if !self.initialized.load(Ordering::SeqCst) || self.shutdown.load(Ordering::SeqCst) {
            return None;
        }
        let text = crate::textfile::valid_utf8(body)?;
        // `from_str`: the text is known to be UTF-8, so serde_json does not check again.
        let parked = match kind {
            SyncKind::Open => Parked::Open(serde_json::from_str::<Envelope<_>>(text).ok()?.params),
            SyncKind::Change => {
                Parked::Change(serde_json::from_str::<Envelope<_>>(text).ok()?.params)
            }
        };
        let slot = self.next.fetch_add(1, Ordering::SeqCst);
        self.lock().insert(slot, parked);
        Some(
            format!(r#"{{"jsonrpc":"2.0","method":"{METHOD}","params":{{"slot":{slot}}}}}"#)
                .into_bytes(),
        )
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
