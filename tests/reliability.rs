//! Protocol abuse, large inputs and a soak run over one connection. The heavy tests are
//! `#[ignore]`d in the default run; CI runs them in release mode:
//! `cargo test --release --test reliability -- --include-ignored`.

mod common;

use common::{caps, Client};
use serde_json::{json, Value};

const URI: &str = "file:///tmp/jianggao-reliability/draft.txt";

fn started() -> Client {
    let mut c = Client::spawn();
    c.initialize(caps(None), None);
    c
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn error_code(c: &mut Client, id: i64) -> Option<i64> {
    c.response(id)["error"]["code"].as_i64()
}

#[test]
fn broken_framing_is_answered_and_the_session_goes_on() {
    let mut c = started();
    // No Content-Length at all.
    c.send_raw(b"X-Nonsense: 1\r\n\r\n");
    let reply = c.notification_or_response_with_null_id();
    assert_eq!(reply["error"]["code"], -32700);
    // A Content-Length shorter than the body: the body is cut, the rest is skipped.
    let body = br#"{"jsonrpc":"2.0","id":99,"method":"textDocument/hover","params":{}}"#;
    let mut frame = b"Content-Length: 10\r\n\r\n".to_vec();
    frame.extend_from_slice(body);
    c.send_raw(&frame);
    let reply = c.notification_or_response_with_null_id();
    assert_eq!(reply["error"]["code"], -32700);
    // Valid JSON that is not a JSON-RPC message.
    c.send_raw(b"Content-Length: 7\r\n\r\n[1,2,3]");
    assert_eq!(
        c.notification_or_response_with_null_id()["error"]["code"],
        -32600
    );
    // The server still answers.
    c.open(URI, "一要统一思想。");
    assert_eq!(c.server_text(URI), "一要统一思想。");
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn requests_after_shutdown_and_cancellation() {
    let mut c = started();
    c.open(URI, "一要统一思想。");
    // Cancelling a request that has finished, or one that never existed, is ignored.
    let id = c.request_async(
        "textDocument/hover",
        json!({ "textDocument": { "uri": URI }, "position": { "line": 0, "character": 0 } }),
    );
    c.response(id);
    c.notify("$/cancelRequest", json!({ "id": id }));
    c.notify("$/cancelRequest", json!({ "id": 123456 }));
    // Unknown notifications are ignored; unknown $/ requests get MethodNotFound.
    c.notify("$/unknownNotification", json!({}));
    let id = c.request_async("$/unknownRequest", json!({}));
    assert_eq!(error_code(&mut c, id), Some(-32601));
    c.request("shutdown", Value::Null);
    let id = c.request_async(
        "textDocument/hover",
        json!({ "textDocument": { "uri": URI }, "position": { "line": 0, "character": 0 } }),
    );
    assert_eq!(
        error_code(&mut c, id),
        Some(-32600),
        "requests after shutdown are invalid"
    );
    c.notify("exit", Value::Null);
    assert_eq!(c.wait_exit(), 0);
}

/// A 50 MB document is opened, edited, outlined and closed, three times. The server
/// answers throughout; its peak resident memory (VmHWM) stays under 3 GiB; and closing
/// gives the memory back: after each close RSS falls under a quarter of the peak (the
/// server frees a large document off the request path, so within seconds), and the
/// third open and close leaves it within 32 MiB (+10%) of the second. A document kept
/// after its close would add its whole state, some 400 MiB, every round; before the
/// server returned freed pages to the system, glibc held about as much after each close
/// (measured 380, 428, 436 MiB; now 22 to 40 MiB, the rest scattered small blocks).
#[test]
#[ignore = "heavy: run with --release --include-ignored"]
fn fifty_megabyte_document() {
    let mut c = started();
    // A 50 MB outline takes seconds to build and send, more on a loaded machine.
    c.timeout = std::time::Duration::from_secs(300);
    let unit = fixture("tests/fixtures/central_style.txt");
    let mut text = String::with_capacity(51 << 20);
    while text.len() < 50 << 20 {
        text.push_str(&unit);
    }
    let before = c.rss_kib();
    let mut after_close = Vec::new();
    // The high-water mark after each step of the first round: where the peak is reached.
    let mut phases = Vec::new();
    for round in 0..3 {
        let v = round * 10;
        c.send(&json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": { "textDocument": {
            "uri": URI, "languageId": "plaintext", "version": v + 1, "text": text } } }));
        c.diagnostics(URI, v + 1);
        phases.push(("open", c.peak_rss_kib()));
        c.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": URI, "version": v + 2 }, "contentChanges": [{ "range": { "start": { "line": 3, "character": 0 }, "end": { "line": 3, "character": 0 } }, "text": "字" }] }),
        );
        c.diagnostics(URI, v + 2);
        phases.push(("edit", c.peak_rss_kib()));
        let symbols = c.request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": URI } }),
        );
        assert!(symbols.as_array().unwrap().len() > 1000);
        phases.push(("outline", c.peak_rss_kib()));
        c.notify(
            "textDocument/didClose",
            json!({ "textDocument": { "uri": URI } }),
        );
        // Answered after the close was handled: the document is gone.
        assert_eq!(c.server_text(URI), "");
        after_close.push(settled_rss_kib(&c));
        c.backlog.clear();
    }
    let peak = c.peak_rss_kib();
    let phases: Vec<String> = phases[..3]
        .iter()
        .map(|(step, kib)| format!("{step} {} MiB", kib >> 10))
        .collect();
    eprintln!(
        "50 MB document: peak RSS after each step: {}",
        phases.join(", ")
    );
    eprintln!(
        "50 MB document: RSS before {} MiB, peak {} MiB, after the three closes {} / {} / {} MiB",
        before >> 10,
        peak >> 10,
        after_close[0] >> 10,
        after_close[1] >> 10,
        after_close[2] >> 10
    );
    assert!(peak < 3 << 20, "peak RSS {peak} KiB, over 3 GiB");
    assert!(
        after_close.iter().all(|&kib| kib < peak / 4),
        "closing does not give the memory back: {after_close:?} KiB, peak {peak} KiB"
    );
    assert!(
        after_close[2] <= after_close[1] + after_close[1] / 10 + (32 << 10),
        "memory grows with each open and close: {after_close:?} KiB"
    );
    assert_eq!(c.shutdown(), 0);
}

/// RSS once the server has freed a closed document, which it does on a thread of its
/// own after answering: the first of two readings 200 ms apart that are under a quarter
/// of the peak so far and within 1 MiB of each other, or the last after 60 s (which
/// the caller's assertion then rejects).
fn settled_rss_kib(c: &Client) -> u64 {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut previous = c.rss_kib();
    loop {
        std::thread::sleep(std::time::Duration::from_millis(200));
        let rss = c.rss_kib();
        let settled = rss < c.peak_rss_kib() / 4 && rss.abs_diff(previous) < 1024;
        if settled || std::time::Instant::now() > deadline {
            return rss;
        }
        previous = rss;
    }
}

/// Many edits over one connection on a 1 MB draft: the final text and outline equal a
/// fresh open of the same text, and memory stays flat: after a warm-up (the first
/// quarter of the edits), RSS grows by at most 10% + 8 MiB however many edits follow.
/// The warm-up is that long because of glibc's allocator, not of the server's data:
/// the heap itself stays flat (valgrind's massif over the same edits), but once a
/// publish's large buffer has been freed, glibc serves such buffers from its heap
/// instead of mapping them, and RSS rises while the heap settles (with
/// MALLOC_MMAP_THRESHOLD_=131072 it is flat after some 8,000 edits). A leak of half a
/// KiB per edit still fails the test.
/// JIANGGAO_SOAK_EDITS sets the count (default 20,000, as CI runs it).
#[test]
#[ignore = "heavy: run with --release --include-ignored"]
fn soak_edits_keep_text_and_outline_consistent() {
    let edits: usize = std::env::var("JIANGGAO_SOAK_EDITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let mut c = started();
    c.timeout = std::time::Duration::from_secs(300);
    let mut text = String::new();
    // Clean drafts: the publish after each edit stays small, so the run measures the
    // server rather than the test client's JSON parsing.
    let sources = [
        fixture("examples/讲话稿示例.txt"),
        fixture("tests/fixtures/central_style.txt"),
    ];
    let mut k = 0;
    while text.len() < 1 << 20 {
        text.push_str(&format!("第{}篇讲话稿\n", k + 1));
        text.push_str(&sources[k % sources.len()]);
        k += 1;
    }
    c.open(URI, &text);
    c.diagnostics(URI, 1);
    let start_rss = c.rss_kib();
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let warm_up = (edits / 4).max(1);
    let mut warm_rss = start_rss;
    let mut seed = 99u64;
    let mut rand = move |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) as usize) % n.max(1)
    };
    for i in 0..edits {
        let line = rand(lines.len());
        let chars: Vec<char> = lines[line].chars().collect();
        let col = rand(chars.len() + 1);
        let col16: usize = chars[..col].iter().map(|c| c.len_utf16()).sum();
        let (change, new_line) = if rand(2) == 0 || col == 0 {
            // Plain text, CJK and non-BMP: edits that do not pile up diagnostics.
            let ins = ["字", "好", "a", "𠮷"][i % 4];
            (
                json!({ "range": { "start": { "line": line, "character": col16 }, "end": { "line": line, "character": col16 } }, "text": ins }),
                format!(
                    "{}{}{}",
                    chars[..col].iter().collect::<String>(),
                    ins,
                    chars[col..].iter().collect::<String>()
                ),
            )
        } else {
            let w = chars[col - 1].len_utf16();
            (
                json!({ "range": { "start": { "line": line, "character": col16 - w }, "end": { "line": line, "character": col16 } }, "text": "" }),
                format!(
                    "{}{}",
                    chars[..col - 1].iter().collect::<String>(),
                    chars[col..].iter().collect::<String>()
                ),
            )
        };
        lines[line] = new_line;
        c.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": URI, "version": i + 2 }, "contentChanges": [change] }),
        );
        if i % 500 == 499 || i + 1 == warm_up {
            c.diagnostics(URI, (i + 2) as i64);
            c.backlog.clear();
            if i + 1 == warm_up {
                warm_rss = c.rss_kib();
            }
        }
        if i % 10_000 == 9_999 {
            eprintln!("soak: {} edits, RSS {} MiB", i + 1, c.rss_kib() >> 10);
        }
    }
    let final_text = lines.join("\n");
    assert_eq!(c.server_text(URI), final_text);
    let end_rss = c.rss_kib();
    let soaked = c.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": URI } }),
    );
    let fresh_uri = "file:///tmp/jianggao-reliability/fresh.txt";
    c.open(fresh_uri, &final_text);
    let fresh = c.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": fresh_uri } }),
    );
    assert_eq!(
        soaked, fresh,
        "outline after {edits} edits equals a fresh open"
    );
    eprintln!(
        "soak: {edits} edits on a 1 MB draft; RSS {} MiB after opening, {} MiB after {warm_up} edits, {} MiB at the end",
        start_rss >> 10,
        warm_rss >> 10,
        end_rss >> 10
    );
    assert!(
        end_rss <= warm_rss + warm_rss / 10 + 8 * 1024,
        "memory grew from {warm_rss} KiB after {warm_up} edits to {end_rss} KiB after {edits}"
    );
    assert_eq!(c.shutdown(), 0);
}
