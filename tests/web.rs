//! `jianggao serve` over real sockets: the page and its endpoints, the LSP session on
//! the WebSocket, and the security checks (foreign Origin and Host, upload size,
//! malformed frames, the file sandbox, the token beyond loopback). The WebSocket client
//! is written out here (RFC 6455 framing) so malformed frames can be sent on purpose.

mod common;

use common::{bin, caps, Client};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    port: u16,
    stdout: Vec<String>,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let mut child = Command::new(bin())
            .arg("serve")
            .args(["--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start jianggao serve");
        // Read the start-up lines on a thread, so a server that prints less cannot
        // hang the test.
        let reader = BufReader::new(child.stdout.take().unwrap());
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in reader.lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut stdout = Vec::new();
        let mut port = None;
        while let Ok(line) = rx.recv_timeout(Duration::from_secs(20)) {
            if let Some(at) = line.find("http://") {
                let authority = line[at + 7..].split('/').next().unwrap();
                port = authority.rsplit(':').next().unwrap().parse().ok();
            }
            let last = line.contains("Ctrl+C");
            stdout.push(line);
            if last {
                break;
            }
        }
        let port = port.unwrap_or_else(|| panic!("serve did not start: {stdout:?}"));
        Server {
            child,
            port,
            stdout,
        }
    }

    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    fn origin(&self) -> String {
        format!("http://{}", self.host())
    }

    fn connect(&self) -> TcpStream {
        let s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        s
    }

    fn running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Response {
    status: u16,
    headers: String,
    body: Vec<u8>,
}

/// One HTTP/1.1 request with `Connection: close`; `headers` are extra lines.
fn http(
    server: &Server,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Response {
    let mut s = server.connect();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        req.push_str(&format!("Host: {}\r\n", server.host()));
    }
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    // The server may answer (413) and close before the body is sent.
    let _ = s.write_all(body);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("no HTTP header");
    let headers = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = headers.split(' ').nth(1).unwrap().parse().unwrap();
    Response {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

fn header<'a>(r: &'a Response, name: &str) -> Option<&'a str> {
    r.headers.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

// ----- WebSocket client -----

struct Socket {
    stream: TcpStream,
    next_id: i64,
}

/// The status of the upgrade response, and the socket when it is 101.
fn ws_connect(server: &Server, path: &str, headers: &[(&str, &str)]) -> (u16, Option<Socket>) {
    let mut s = server.connect();
    let mut req = format!(
        "GET {path} HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
    );
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        req.push_str(&format!("Host: {}\r\n", server.host()));
    }
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    // Read the response head byte by byte so no frame bytes are consumed.
    let mut head = Vec::new();
    let mut byte = [0u8];
    while !head.ends_with(b"\r\n\r\n") {
        if s.read(&mut byte).unwrap_or(0) == 0 {
            break;
        }
        head.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&head);
    let status = text.split(' ').nth(1).unwrap_or("0").parse().unwrap_or(0);
    let socket = (status == 101).then_some(Socket {
        stream: s,
        next_id: 1,
    });
    (status, socket)
}

fn own_origin(server: &Server) -> Socket {
    let origin = server.origin();
    let (status, socket) = ws_connect(server, "/lsp", &[("Origin", &origin)]);
    assert_eq!(status, 101);
    socket.unwrap()
}

impl Socket {
    fn send_frame(&mut self, opcode: u8, payload: &[u8]) {
        let mut frame = vec![0x80 | opcode];
        let mask = [0x37, 0xfa, 0x21, 0x3d];
        match payload.len() {
            n if n < 126 => frame.push(0x80 | n as u8),
            n if n < 65536 => {
                frame.push(0x80 | 126);
                frame.extend_from_slice(&(n as u16).to_be_bytes());
            }
            n => {
                frame.push(0x80 | 127);
                frame.extend_from_slice(&(n as u64).to_be_bytes());
            }
        }
        frame.extend_from_slice(&mask);
        frame.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
        let _ = self.stream.write_all(&frame);
    }

    fn send(&mut self, msg: &Value) {
        self.send_frame(0x1, msg.to_string().as_bytes());
    }

    /// The next data frame's text; None when the connection closed.
    fn recv(&mut self) -> Option<String> {
        loop {
            let mut head = [0u8; 2];
            self.stream.read_exact(&mut head).ok()?;
            let opcode = head[0] & 0x0f;
            let mut len = (head[1] & 0x7f) as u64;
            if len == 126 {
                let mut b = [0u8; 2];
                self.stream.read_exact(&mut b).ok()?;
                len = u16::from_be_bytes(b) as u64;
            } else if len == 127 {
                let mut b = [0u8; 8];
                self.stream.read_exact(&mut b).ok()?;
                len = u64::from_be_bytes(b);
            }
            let mut payload = vec![0u8; len as usize];
            self.stream.read_exact(&mut payload).ok()?;
            match opcode {
                0x1 | 0x2 => return Some(String::from_utf8(payload).unwrap()),
                0x8 => return None,
                _ => continue,
            }
        }
    }

    fn recv_json(&mut self) -> Option<Value> {
        self.recv().map(|t| serde_json::from_str(&t).unwrap())
    }

    /// Sends a request and returns its response (other messages are skipped).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.response(id)
    }

    fn response(&mut self, id: i64) -> Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            let msg = self.recv_json().expect("connection closed");
            if msg["id"] == id && msg.get("method").is_none() {
                return msg;
            }
        }
        panic!("no response to {id}");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        loop {
            let msg = self.recv_json().expect("connection closed");
            if msg["method"] == "textDocument/publishDiagnostics" && msg["params"]["uri"] == uri {
                return msg["params"]["diagnostics"].as_array().unwrap().clone();
            }
        }
    }

    fn initialize(&mut self, params: Value) -> Value {
        let mut p = json!({ "processId": null, "capabilities": caps(None) });
        if let (Some(p), Some(extra)) = (p.as_object_mut(), params.as_object()) {
            p.extend(extra.clone());
        }
        let r = self.request("initialize", p);
        self.notify("initialized", json!({}));
        r
    }
}

const DRAFT: &str = "同志们：\n下面讲三点意见。\n一是增强四个意识。\n二是党的十九精神。\n";

// ----- the page and the endpoints -----

#[test]
fn serves_the_page_bundle_and_info() {
    let server = Server::start(&[]);
    assert!(server.stdout[0].contains(&format!("http://127.0.0.1:{}/", server.port)));
    let page = http(&server, "GET", "/", &[], b"");
    assert_eq!(page.status, 200);
    assert!(String::from_utf8_lossy(&page.body).contains("/assets/app.js"));
    let csp = header(&page, "content-security-policy").expect("CSP");
    assert!(csp.contains("default-src 'self'") && csp.contains("connect-src 'self'"));
    let js = http(&server, "GET", "/assets/app.js", &[], b"");
    assert_eq!(js.status, 200);
    assert!(js.body.len() > 10_000, "the bundle is embedded");
    assert!(header(&js, "content-type")
        .unwrap()
        .starts_with("text/javascript"));
    let info = http(&server, "GET", "/api/info", &[], b"");
    let info: Value = serde_json::from_slice(&info.body).unwrap();
    assert!(info["import"].as_array().unwrap().contains(&json!("txt")));
    assert_eq!(info["export"][0]["id"], "txt");
    assert_eq!(http(&server, "GET", "/etc/passwd", &[], b"").status, 404);
}

#[test]
fn imports_and_exports_text() {
    let server = Server::start(&[]);
    let r = http(
        &server,
        "POST",
        "/api/import?name=%E8%AE%B2%E8%AF%9D.txt",
        &[],
        DRAFT.as_bytes(),
    );
    assert_eq!(r.status, 200);
    let v: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(v["text"], DRAFT);
    let doc = http(&server, "POST", "/api/import?name=a.doc", &[], b"\xd0\xcf");
    assert_eq!(doc.status, 415);
    // 讲话 as Windows Notepad saves it (GBK).
    let gbk = http(
        &server,
        "POST",
        "/api/import?name=a.txt",
        &[],
        &[0xBD, 0xB2, 0xBB, 0xB0],
    );
    assert_eq!(gbk.status, 200);
    let v: Value = serde_json::from_slice(&gbk.body).unwrap();
    assert_eq!(v["text"], "讲话");
    assert!(v["notes"][0].as_str().unwrap().contains("GB"), "{v}");
    let binary = http(&server, "POST", "/api/import?name=a.txt", &[], b"a\0b");
    assert_eq!(binary.status, 422);

    let body = json!({ "format": "txt", "name": "讲话", "text": "一、\n二、" }).to_string();
    let r = http(
        &server,
        "POST",
        "/api/export",
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.body, "\u{feff}一、\r\n二、".as_bytes());
    let disposition = header(&r, "content-disposition").unwrap();
    assert!(
        disposition.contains("filename*=UTF-8''%E8%AE%B2%E8%AF%9D.txt"),
        "{disposition}"
    );
}

#[test]
fn word_downloads_open_again_as_drafts() {
    let server = Server::start(&[]);
    let info = http(&server, "GET", "/api/info", &[], b"");
    let info: Value = serde_json::from_slice(&info.body).unwrap();
    let ids: Vec<&str> = info["export"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["txt", "docx-tracked", "docx-official"]);
    assert!(info["import"].as_array().unwrap().contains(&json!("docx")));
    for format in ["docx-official", "docx-tracked"] {
        let body = json!({ "format": format, "name": "讲话", "text": DRAFT, "original": DRAFT })
            .to_string();
        let r = http(
            &server,
            "POST",
            "/api/export",
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        );
        assert_eq!(r.status, 200, "{format}");
        assert!(r.body.starts_with(b"PK"), "{format}: a zip");
        let back = http(
            &server,
            "POST",
            "/api/import?name=%E8%AE%B2%E8%AF%9D.docx",
            &[],
            &r.body,
        );
        assert_eq!(back.status, 200, "{format}");
        let v: Value = serde_json::from_slice(&back.body).unwrap();
        let text = v["text"].as_str().unwrap();
        assert!(text.contains("同志们"), "{format}: {text}");
    }
}

// ----- security -----

#[test]
fn foreign_origin_and_host_get_403() {
    let server = Server::start(&[]);
    let own = server.origin();
    for (headers, what) in [
        (vec![("Origin", "http://evil.example")], "foreign Origin"),
        (vec![("Origin", "null")], "opaque Origin"),
        (vec![("Host", "evil.example")], "DNS rebinding Host"),
        (
            vec![("Host", "evil.example"), ("Origin", "http://evil.example")],
            "rebinding with matching Origin",
        ),
    ] {
        assert_eq!(
            http(&server, "GET", "/api/info", &headers, b"").status,
            403,
            "API, {what}"
        );
        let (status, _) = ws_connect(&server, "/lsp", &headers);
        assert_eq!(status, 403, "WebSocket, {what}");
    }
    let form = http(
        &server,
        "POST",
        "/api/export",
        &[
            ("Origin", "http://evil.example"),
            ("Content-Type", "application/json"),
        ],
        br#"{"format":"txt","text":"x"}"#,
    );
    assert_eq!(form.status, 403);
    // The page's own origin, and tools that send none, are served.
    assert_eq!(
        http(&server, "GET", "/api/info", &[("Origin", &own)], b"").status,
        200
    );
    assert_eq!(ws_connect(&server, "/lsp", &[("Origin", &own)]).0, 101);
    assert_eq!(
        http(
            &server,
            "GET",
            "/",
            &[("Host", &format!("localhost:{}", server.port))],
            b""
        )
        .status,
        200
    );
}

#[test]
fn oversized_upload_gets_413() {
    let mut server = Server::start(&[]);
    let big = vec![b'a'; 21 * 1024 * 1024];
    let r = http(&server, "POST", "/api/import?name=big.txt", &[], &big);
    assert_eq!(r.status, 413);
    let export = format!(
        r#"{{"format":"txt","text":"{}"}}"#,
        "a".repeat(21 * 1024 * 1024)
    );
    let r = http(
        &server,
        "POST",
        "/api/export",
        &[("Content-Type", "application/json")],
        export.as_bytes(),
    );
    assert_eq!(r.status, 413);
    assert!(server.running());
    assert_eq!(http(&server, "GET", "/api/info", &[], b"").status, 200);
}

#[test]
fn server_stays_up_after_malformed_websocket_frames() {
    let mut server = Server::start(&[]);
    let garbage: [&[u8]; 5] = [
        // An unmasked client frame (clients must mask).
        &[0x81, 0x05, b'h', b'e', b'l', b'l', b'o'],
        // A reserved opcode.
        &[0x83, 0x80, 1, 2, 3, 4],
        // RSV bits set without an extension.
        &[0xF1, 0x80, 1, 2, 3, 4],
        // A text frame that is not UTF-8.
        &[0x81, 0x82, 0, 0, 0, 0, 0xff, 0xfe],
        // A length far beyond the limit.
        &[
            0x82, 0xFF, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4,
        ],
    ];
    for bytes in garbage {
        let mut socket = own_origin(&server);
        socket.stream.write_all(bytes).unwrap();
        // The server closes this connection (a close frame or EOF), nothing else.
        let deadline = Instant::now() + Duration::from_secs(10);
        while socket.recv().is_some() {
            assert!(Instant::now() < deadline, "connection not closed");
        }
        assert!(server.running(), "server died after {bytes:?}");
    }
    // A text message that is not JSON-RPC is answered and the session goes on.
    let mut socket = own_origin(&server);
    socket.send_frame(0x1, b"{not json");
    let reply = socket.recv_json().unwrap();
    assert_eq!(reply["error"]["code"], -32700);
    socket.initialize(json!({}));
    socket.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": "untitled:a", "languageId": "plaintext", "version": 1, "text": DRAFT } }),
    );
    assert!(!socket.diagnostics("untitled:a").is_empty());
    assert_eq!(http(&server, "GET", "/", &[], b"").status, 200);
}

#[test]
fn websocket_session_is_the_language_server() {
    let server = Server::start(&[]);
    let mut socket = own_origin(&server);
    let init = socket.initialize(json!({}));
    assert_eq!(init["result"]["serverInfo"]["name"], "jianggao");
    let uri = "untitled:draft";
    socket.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "plaintext", "version": 1, "text": DRAFT } }),
    );
    let diagnostics = socket.diagnostics(uri);
    // The same diagnostics as over stdio.
    let mut stdio = Client::spawn();
    stdio.initialize(caps(None), None);
    stdio.open(uri, DRAFT);
    let expected = stdio.diagnostics(uri, 1);
    assert_eq!(diagnostics, expected);
    assert!(diagnostics.iter().any(|d| d["code"] == "wrong-form"));
    let hover = socket.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 2, "character": 5 } }),
    );
    assert!(hover["result"]["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("政治意识"));
    let shutdown = socket.request("shutdown", Value::Null);
    assert!(shutdown.get("error").is_none(), "{shutdown}");
    socket.send(&json!({ "jsonrpc": "2.0", "method": "exit" }));
    assert!(socket.recv().is_none(), "the connection closes after exit");
}

#[test]
fn web_sessions_read_no_files() {
    let dir = common::Scratch::new("web-sandbox");
    let glossary = dir.join("jianggao.toml");
    std::fs::write(&glossary, "[[formula]]\nterm = \"“144”工作部署\"\naliases = [\"144工作部署\"]\ndefinition = \"州局党组的工作部署\"\nitems = [\"一个目标\", \"四项任务\", \"四个保障\"]\n\n[rules]\nplaceholder = \"off\"\n").unwrap();
    std::fs::write(dir.join("other.txt"), "一、另一份稿子\n").unwrap();
    let uri = format!("file://{}/draft.txt", dir.display());
    let text = "紧紧围绕州局党组144工作部署，xx年完成。";
    let hover_at =
        json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 10 } });

    // Over stdio an editor's workspace is read: the glossary turns the rule off and
    // defines the term.
    let mut editor = Client::spawn();
    editor.initialize(caps(None), Some(&dir));
    editor.open(&uri, text);
    assert!(editor
        .diagnostics(&uri, 1)
        .iter()
        .all(|d| d["code"] != "placeholder"));
    let hover = editor.request("textDocument/hover", hover_at.clone());
    assert!(hover["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("一个目标"));

    // The page asks for the same through every door; nothing is read.
    let server = Server::start(&[]);
    let mut page = own_origin(&server);
    let root = format!("file://{}", dir.display());
    let mut capabilities = caps(None);
    capabilities["workspace"] =
        json!({ "configuration": true, "didChangeWatchedFiles": { "dynamicRegistration": true } });
    page.initialize(json!({
        "rootUri": root,
        "workspaceFolders": [{ "uri": root, "name": "ws" }],
        "capabilities": capabilities,
        "initializationOptions": { "glossaryPath": glossary.display().to_string() },
    }));
    page.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "jianggao": { "glossaryPath": glossary.display().to_string() } } }),
    );
    page.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "plaintext", "version": 1, "text": text } }),
    );
    let diagnostics = page.diagnostics(&uri);
    assert!(
        diagnostics.iter().any(|d| d["code"] == "placeholder"),
        "the glossary was read: {diagnostics:?}"
    );
    let hover = page.request("textDocument/hover", hover_at);
    assert!(!hover.to_string().contains("一个目标"), "{hover}");
    let symbols = page.request("workspace/symbol", json!({ "query": "" }));
    assert_eq!(symbols["error"]["code"], -32601, "{symbols}");
}

#[test]
fn other_interfaces_need_the_token() {
    let server = Server::start(&["--host", "0.0.0.0"]);
    let out = server.stdout.join("");
    assert!(out.contains("警告"), "no warning: {out}");
    let token = out
        .split("token=")
        .nth(1)
        .expect("no token in the URL")
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect::<String>();
    assert_eq!(token.len(), 32);
    // Any Host (the machine's LAN address is not known), but only with the token.
    let lan_host = [("Host", "192.0.2.7:7226")];
    assert_eq!(http(&server, "GET", "/", &lan_host, b"").status, 403);
    assert_eq!(
        http(
            &server,
            "GET",
            "/?token=00000000000000000000000000000000",
            &lan_host,
            b""
        )
        .status,
        403
    );
    let with_token = format!("/?token={token}");
    assert_eq!(
        http(&server, "GET", &with_token, &lan_host, b"").status,
        200
    );
    assert_eq!(
        http(
            &server,
            "GET",
            "/api/info",
            &[("X-Jianggao-Token", &token)],
            b""
        )
        .status,
        200
    );
    assert_eq!(
        http(&server, "GET", "/assets/app.js", &lan_host, b"").status,
        200
    );
    assert_eq!(ws_connect(&server, "/lsp", &[]).0, 403);
    assert_eq!(
        ws_connect(&server, &format!("/lsp?token={token}"), &[]).0,
        101
    );
    // Still no foreign page.
    assert_eq!(
        ws_connect(
            &server,
            &format!("/lsp?token={token}"),
            &[("Origin", "http://evil.example")]
        )
        .0,
        403
    );
}

#[test]
fn a_busy_port_is_reported() {
    let first = Server::start(&[]);
    let out = Command::new(bin())
        .args(["serve", "--port", &first.port.to_string()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("已被占用"));
}
