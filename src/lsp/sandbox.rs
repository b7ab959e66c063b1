//! The sandbox for sessions whose client is a web page (`jianggao serve`).
//!
//! An editor is trusted with the machine's files: it names a workspace root (indexed for
//! `workspace/symbol`), a glossary path, and file-change events, and the server reads
//! those files. A page in a browser is not: it may see only what the user typed or
//! uploaded. So in a sandboxed session only an allow-list of methods reaches the server,
//! and everything in them that names a file is removed before tower-lsp sees it.

use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::{json, Value};

/// Methods a sandboxed client may call: document sync and the features that work on
/// the text it sent. Anything else (present or future) is refused, so a new handler
/// that touches the file system is closed to the page until it is listed here.
const ALLOWED: &[&str] = &[
    "initialize",
    "initialized",
    "shutdown",
    "exit",
    "$/cancelRequest",
    "$/setTrace",
    "textDocument/didOpen",
    "textDocument/didChange",
    "textDocument/didClose",
    "textDocument/hover",
    "textDocument/completion",
    "textDocument/codeAction",
    "textDocument/documentSymbol",
    "textDocument/foldingRange",
    "textDocument/codeLens",
    "textDocument/formatting",
    "textDocument/semanticTokens/full",
    "textDocument/documentHighlight",
    "textDocument/references",
    "textDocument/definition",
    "textDocument/inlayHint",
    "workspace/executeCommand",
    "workspace/didChangeConfiguration",
    "jianggao/statistics",
];

/// Settings keys that name a file; removed wherever they appear.
const PATH_KEYS: &[&str] = &["glossaryPath"];

#[derive(Debug, PartialEq)]
pub enum Filtered {
    Forward(Vec<u8>),
    /// A notification the sandbox swallows.
    Drop,
    /// A whole frame to send back to the client instead.
    Reply(Vec<u8>),
}

#[derive(Deserialize)]
struct Head {
    #[serde(default)]
    method: Option<String>,
    #[serde(default)]
    id: Option<Value>,
    #[serde(default)]
    #[allow(dead_code)]
    params: Option<IgnoredAny>,
}

/// Filters one well-formed JSON-RPC message body (already checked by
/// `transport::check_body`).
pub fn filter(body: Vec<u8>) -> Filtered {
    let Ok(head) = serde_json::from_slice::<Head>(&body) else {
        return Filtered::Forward(body);
    };
    let Some(method) = head.method.as_deref() else {
        // A response to a server request (e.g. workspace/configuration).
        return rewrite(body, |_| {});
    };
    if !ALLOWED.contains(&method) {
        tracing::warn!("sandbox: refused {method}");
        return match head.id {
            Some(id) => Filtered::Reply(super::transport::frame(
                json!({
                    "jsonrpc": "2.0",
                    "id": id,
                    "error": { "code": -32601, "message": format!("Method not available in the web app: {method}") },
                })
                .to_string()
                .as_bytes(),
            )),
            None => Filtered::Drop,
        };
    }
    match method {
        "initialize" => rewrite(body, |msg| {
            if let Some(params) = msg.get_mut("params").and_then(Value::as_object_mut) {
                for key in ["rootUri", "rootPath", "workspaceFolders"] {
                    params.remove(key);
                }
                if let Some(ws) = params
                    .get_mut("capabilities")
                    .and_then(|c| c.get_mut("workspace"))
                    .and_then(Value::as_object_mut)
                {
                    // The server would pull settings (with a glossary path) and watch files.
                    for key in ["configuration", "didChangeWatchedFiles", "workspaceFolders"] {
                        ws.remove(key);
                    }
                }
            }
        }),
        "workspace/didChangeConfiguration" => rewrite(body, |_| {}),
        _ => Filtered::Forward(body),
    }
}

/// Parses the message, applies `edit`, strips path settings everywhere; re-serialises
/// only when something changed.
fn rewrite(body: Vec<u8>, edit: impl FnOnce(&mut Value)) -> Filtered {
    let Ok(mut msg) = serde_json::from_slice::<Value>(&body) else {
        return Filtered::Forward(body);
    };
    let before = msg.clone();
    edit(&mut msg);
    strip_paths(&mut msg);
    if msg == before {
        Filtered::Forward(body)
    } else {
        Filtered::Forward(msg.to_string().into_bytes())
    }
}

fn strip_paths(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for key in PATH_KEYS {
                map.remove(*key);
            }
            map.values_mut().for_each(strip_paths);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_paths),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forwarded(body: &str) -> Value {
        match filter(body.as_bytes().to_vec()) {
            Filtered::Forward(b) => serde_json::from_slice(&b).unwrap(),
            other => panic!("not forwarded: {other:?}"),
        }
    }

    #[test]
    fn initialize_loses_roots_and_file_capabilities() {
        let msg = forwarded(
            r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"rootUri":"file:///home","rootPath":"/home",
            "workspaceFolders":[{"uri":"file:///home","name":"h"}],
            "capabilities":{"workspace":{"configuration":true,"didChangeWatchedFiles":{"dynamicRegistration":true}},"textDocument":{}},
            "initializationOptions":{"speakingRate":200,"glossaryPath":"/etc/passwd","jianggao":{"glossaryPath":"/x"}}}}"#,
        );
        let params = &msg["params"];
        assert!(params.get("rootUri").is_none() && params.get("rootPath").is_none());
        assert!(params.get("workspaceFolders").is_none());
        assert_eq!(params["capabilities"]["workspace"], json!({}));
        assert_eq!(
            params["initializationOptions"],
            json!({"speakingRate": 200, "jianggao": {}})
        );
    }

    #[test]
    fn file_methods_are_refused_or_dropped() {
        let reply = filter(
            br#"{"jsonrpc":"2.0","id":7,"method":"workspace/symbol","params":{"query":""}}"#
                .to_vec(),
        );
        let Filtered::Reply(frame) = reply else {
            panic!("workspace/symbol must be answered by the sandbox")
        };
        let text = String::from_utf8(frame).unwrap();
        assert!(
            text.contains("-32601") && text.contains("\"id\":7"),
            "{text}"
        );
        assert_eq!(
            filter(br#"{"jsonrpc":"2.0","method":"workspace/didChangeWatchedFiles","params":{"changes":[]}}"#.to_vec()),
            Filtered::Drop
        );
        assert_eq!(
            filter(br#"{"jsonrpc":"2.0","method":"textDocument/didSave","params":{"textDocument":{"uri":"file:///a"}}}"#.to_vec()),
            Filtered::Drop
        );
    }

    #[test]
    fn settings_and_responses_lose_paths_and_text_passes_untouched() {
        let msg = forwarded(
            r#"{"jsonrpc":"2.0","method":"workspace/didChangeConfiguration","params":{"settings":{"jianggao":{"glossaryPath":"/etc","indent":true}}}}"#,
        );
        assert_eq!(
            msg["params"]["settings"],
            json!({"jianggao": {"indent": true}})
        );
        let msg = forwarded(r#"{"jsonrpc":"2.0","id":0,"result":[{"glossaryPath":"/etc"}]}"#);
        assert_eq!(msg["result"], json!([{}]));
        let change = br#"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///d","version":2},"contentChanges":[{"text":"glossaryPath"}]}}"#;
        assert_eq!(filter(change.to_vec()), Filtered::Forward(change.to_vec()));
    }
}
