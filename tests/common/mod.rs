//! A small LSP client for integration tests: spawns the built `jianggao lsp`, frames
//! JSON-RPC messages, and collects the server's notifications and requests.
#![allow(dead_code)]

use serde_json::{json, Value};
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

pub const TIMEOUT: Duration = Duration::from_secs(20);

pub struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    next_id: i64,
    /// Messages from the server not consumed yet (notifications, server requests).
    pub backlog: VecDeque<Value>,
    /// What `workspace/configuration` answers.
    pub configuration: Value,
    /// How long any single wait lasts before the test fails (a bound against hangs,
    /// not a speed check; the heavy tests raise it).
    pub timeout: Duration,
}

/// A folder of one test's own under the system's temp dir, made empty, and removed
/// when the test is done; kept (and named on stderr) when the test fails, to look into.
pub struct Scratch(std::path::PathBuf);

impl Scratch {
    /// `jianggao-{name}-{pid}`: a test's name is unique in its binary, the process id
    /// tells test runs apart.
    pub fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("jianggao-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl std::ops::Deref for Scratch {
    type Target = std::path::Path;
    fn deref(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("test files kept in {}", self.0.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_jianggao")
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            length = v.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Client {
    pub fn spawn() -> Client {
        Client::spawn_with_env(&[])
    }

    pub fn spawn_with_env(env: &[(&str, &str)]) -> Client {
        let mut cmd = Command::new(bin());
        cmd.arg("lsp")
            .arg("--stdio")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("spawn jianggao lsp");
        let stdout = child.stdout.take().unwrap();
        let stdin = child.stdin.take();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(msg) = read_message(&mut reader) {
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        Client {
            child,
            stdin,
            rx,
            next_id: 1,
            backlog: VecDeque::new(),
            configuration: Value::Null,
            timeout: TIMEOUT,
        }
    }

    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    pub fn send(&mut self, msg: &Value) {
        let body = serde_json::to_vec(msg).unwrap();
        let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        framed.extend(body);
        self.send_raw(&framed);
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and returns its id without waiting.
    pub fn request_async(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        let mut msg = json!({ "jsonrpc": "2.0", "id": id, "method": method });
        if !params.is_null() {
            msg["params"] = params;
        }
        self.send(&msg);
        id
    }

    fn recv(&mut self, deadline: Instant) -> Option<Value> {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.rx.recv_timeout(left) {
            Ok(v) => Some(v),
            Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => None,
        }
    }

    /// Waits for the response to `id` (answering server requests on the way).
    pub fn response(&mut self, id: i64) -> Value {
        let deadline = Instant::now() + self.timeout;
        loop {
            let msg = self
                .recv(deadline)
                .unwrap_or_else(|| panic!("no response to request {id}"));
            if msg.get("id") == Some(&json!(id)) && msg.get("method").is_none() {
                return msg;
            }
            self.answer_server_request(&msg);
            self.backlog.push_back(msg);
        }
    }

    /// A request's `result` (panics on an error response).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.request_async(method, params);
        let resp = self.response(id);
        assert!(resp.get("error").is_none(), "{method} failed: {resp}");
        resp["result"].clone()
    }

    /// Replies to requests the server sends (configuration, registration, progress).
    fn answer_server_request(&mut self, msg: &Value) {
        let (Some(id), Some(method)) = (msg.get("id"), msg.get("method").and_then(Value::as_str))
        else {
            return;
        };
        let result = match method {
            "workspace/configuration" => json!([self.configuration.clone()]),
            "workspace/applyEdit" => json!({ "applied": true }),
            _ => Value::Null,
        };
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "result": result }));
    }

    /// Waits for a notification `method` whose params satisfy `pred`.
    pub fn notification(&mut self, method: &str, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self
            .backlog
            .iter()
            .position(|m| m["method"] == method && pred(&m["params"]))
        {
            return self.backlog.remove(i).unwrap()["params"].clone();
        }
        let deadline = Instant::now() + self.timeout;
        loop {
            let msg = self
                .recv(deadline)
                .unwrap_or_else(|| panic!("no {method} notification"));
            if msg["method"] == method && pred(&msg["params"]) {
                return msg["params"].clone();
            }
            self.answer_server_request(&msg);
            self.backlog.push_back(msg);
        }
    }

    /// Waits for a server request (answering it with null) or notification `method`.
    pub fn notification_or_request(&mut self, method: &str) -> Value {
        if let Some(i) = self.backlog.iter().position(|m| m["method"] == method) {
            return self.backlog.remove(i).unwrap()["params"].clone();
        }
        let deadline = Instant::now() + self.timeout;
        loop {
            let msg = self.recv(deadline).unwrap_or_else(|| panic!("no {method}"));
            self.answer_server_request(&msg);
            if msg["method"] == method {
                return msg["params"].clone();
            }
            self.backlog.push_back(msg);
        }
    }

    /// Waits for an error response with a null id (the answer to an undecodable frame).
    pub fn notification_or_response_with_null_id(&mut self) -> Value {
        let deadline = Instant::now() + self.timeout;
        loop {
            let msg = self.recv(deadline).expect("an error response with id null");
            if msg.get("id") == Some(&Value::Null) && msg.get("error").is_some() {
                return msg;
            }
            self.answer_server_request(&msg);
            self.backlog.push_back(msg);
        }
    }

    /// The diagnostics published for `uri` at `version`.
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let p = self.notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri && p["version"] == version
        });
        p["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    pub fn initialize(&mut self, capabilities: Value, root: Option<&std::path::Path>) -> Value {
        self.initialize_with_options(capabilities, root, Value::Null)
    }

    /// `initialize` with `initializationOptions` (the editor's settings at start-up).
    pub fn initialize_with_options(
        &mut self,
        capabilities: Value,
        root: Option<&std::path::Path>,
        options: Value,
    ) -> Value {
        let root_uri = root.map(|r| format!("file://{}", r.display()));
        let mut params = json!({ "processId": null, "rootUri": root_uri, "capabilities": capabilities,
                    "workspaceFolders": root_uri.as_ref().map(|u| json!([{ "uri": u, "name": "ws" }])) });
        if !options.is_null() {
            params["initializationOptions"] = options;
        }
        let result = self.request("initialize", params);
        self.notify("initialized", json!({}));
        result
    }

    pub fn open(&mut self, uri: &str, text: &str) {
        self.notify("textDocument/didOpen", json!({ "textDocument": { "uri": uri, "languageId": "plaintext", "version": 1, "text": text } }));
    }

    pub fn server_text(&mut self, uri: &str) -> String {
        self.request(
            "jianggao/debugText",
            json!({ "textDocument": { "uri": uri } }),
        )["text"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Sends shutdown + exit and returns the exit code.
    pub fn shutdown(mut self) -> i32 {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        self.wait_exit()
    }

    pub fn wait_exit(&mut self) -> i32 {
        self.stdin.take();
        let deadline = Instant::now() + self.timeout;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("server did not exit");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Resident memory of the server process in KiB. Panics when it cannot be read
    /// (no `/proc`): a memory assertion must never pass because nothing was measured.
    /// The buffer size of the pipe to the server's stdin (Linux).
    #[cfg(target_os = "linux")]
    pub fn stdin_pipe_bytes(&self) -> i32 {
        use std::os::fd::AsRawFd;
        extern "C" {
            fn fcntl(fd: std::ffi::c_int, cmd: std::ffi::c_int, ...) -> std::ffi::c_int;
        }
        const F_GETPIPE_SZ: std::ffi::c_int = 1032;
        let fd = self.stdin.as_ref().expect("stdin open").as_raw_fd();
        // SAFETY: a query of the pipe's size on an open descriptor.
        unsafe { fcntl(fd, F_GETPIPE_SZ) }
    }

    pub fn rss_kib(&self) -> u64 {
        self.proc_status_kib("VmRSS:")
    }

    /// Peak resident memory of the server process so far (VmHWM) in KiB; panics when it
    /// cannot be read.
    pub fn peak_rss_kib(&self) -> u64 {
        self.proc_status_kib("VmHWM:")
    }

    fn proc_status_kib(&self, field: &str) -> u64 {
        let path = format!("/proc/{}/status", self.child.id());
        let status = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot measure memory: {path}: {e}"));
        status
            .lines()
            .find(|l| l.starts_with(field))
            .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
            .unwrap_or_else(|| panic!("cannot measure memory: no {field} line in {path}"))
    }

    pub fn is_running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Client capabilities like a typical editor: UTF-16 only unless told, snippets,
/// hierarchical symbols, pull configuration.
pub fn caps(encodings: Option<&[&str]>) -> Value {
    let mut c = json!({
        "textDocument": {
            "hover": { "contentFormat": ["markdown", "plaintext"] },
            "codeAction": { "codeActionLiteralSupport": { "codeActionKind": { "valueSet": ["quickfix", "source", "refactor"] } } },
            "completion": { "completionItem": { "snippetSupport": true, "documentationFormat": ["markdown"] } },
            "documentSymbol": { "hierarchicalDocumentSymbolSupport": true },
            "publishDiagnostics": { "versionSupport": true }
        },
        "workspace": { "configuration": true, "didChangeWatchedFiles": { "dynamicRegistration": true } },
        "window": { "workDoneProgress": true }
    });
    if let Some(e) = encodings {
        c["general"] = json!({ "positionEncodings": e });
    }
    c
}

/// A text model on the client side that applies LSP edits in a given encoding.
pub fn apply_edit(text: &str, start: (u32, u32), end: (u32, u32), new: &str, enc: &str) -> String {
    let offset = |(line, col): (u32, u32)| -> usize {
        // Lines split at \r\n, \n or \r.
        let mut line_start = 0usize;
        let bytes = text.as_bytes();
        let mut l = 0;
        let mut i = 0;
        while l < line && i < bytes.len() {
            if bytes[i] == b'\r' {
                if i + 1 < bytes.len() && bytes[i + 1] == b'\n' {
                    i += 1;
                }
                l += 1;
                line_start = i + 1;
            } else if bytes[i] == b'\n' {
                l += 1;
                line_start = i + 1;
            }
            i += 1;
        }
        if l < line {
            return text.len();
        }
        let rest = &text[line_start..];
        let line_end = rest.find(['\r', '\n']).unwrap_or(rest.len());
        let mut units = 0u32;
        for (b, c) in rest[..line_end].char_indices() {
            if units >= col {
                return line_start + b;
            }
            units += match enc {
                "utf-8" => c.len_utf8() as u32,
                "utf-32" => 1,
                _ => c.len_utf16() as u32,
            };
        }
        line_start + line_end
    };
    let (a, b) = (offset(start), offset(end));
    format!("{}{}{}", &text[..a], new, &text[b..])
}

impl Client {
    pub fn set_configuration(&mut self, v: Value) {
        self.configuration = v;
    }
}

/// The shared corpus beside the repository (`../shared/corpus/NAME`). CI always has
/// it, so under `CI=true` a missing file fails the test; elsewhere the test is reported
/// as skipped on the terminal (written past the test harness's output capture) and
/// returns early.
pub fn shared_corpus(name: &str) -> Option<std::path::PathBuf> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(name);
    if path.exists() {
        return Some(path);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "{} is missing: CI always has ../shared beside the repository",
            path.display()
        );
    }
    let test = std::thread::current()
        .name()
        .unwrap_or("this test")
        .to_string();
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {test}: {} is absent (set up ../shared to run it)",
        path.display()
    );
    None
}
