//! The server over stdio, as an editor drives it.

mod common;

use common::{apply_edit, caps, Client, Scratch};
use serde_json::{json, Value};

const URI: &str = "file:///tmp/jianggao-test/draft.txt";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn pos(line: u32, character: u32) -> Value {
    json!({ "line": line, "character": character })
}

fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": pos(line, character) })
}

fn started(encodings: Option<&[&str]>) -> (Client, Value) {
    let mut c = Client::spawn();
    let init = c.initialize(caps(encodings), None);
    (c, init)
}

#[test]
fn initialize_announces_capabilities_and_negotiates_the_encoding() {
    let (c, init) = started(None);
    let caps = &init["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2);
    assert_eq!(caps["textDocumentSync"]["openClose"], true);
    for key in [
        "documentSymbolProvider",
        "foldingRangeProvider",
        "hoverProvider",
        "documentFormattingProvider",
        "referencesProvider",
        "definitionProvider",
        "workspaceSymbolProvider",
    ] {
        assert_eq!(caps[key], true, "{key}");
    }
    assert!(caps["codeActionProvider"]["codeActionKinds"]
        .as_array()
        .unwrap()
        .iter()
        .any(|k| k == "source.fixAll.jianggao"));
    assert_eq!(init["serverInfo"]["name"], "jianggao");
    assert_eq!(c.shutdown(), 0);

    for (offered, chosen) in [
        (vec!["utf-8", "utf-16"], "utf-8"),
        (vec!["utf-32"], "utf-32"),
        (vec!["utf-7", "utf-16"], "utf-16"),
    ] {
        let (c, init) = started(Some(&offered));
        assert_eq!(init["capabilities"]["positionEncoding"], chosen);
        assert_eq!(c.shutdown(), 0);
    }
}

/// Incremental edits with CJK, non-BMP characters and CRLF land where the client
/// meant, in each encoding.
#[test]
fn incremental_sync_in_every_encoding() {
    for enc in ["utf-8", "utf-16", "utf-32"] {
        let (mut c, _) = started(Some(&[enc]));
        let mut text = "𠮷一要统一思想。\r\n😀二要强化责任。\n三要抓落实。".to_string();
        c.open(URI, &text);
        let unit = |s: &str| -> u32 {
            match enc {
                "utf-8" => s.len() as u32,
                "utf-32" => s.chars().count() as u32,
                _ => s.encode_utf16().count() as u32,
            }
        };
        let edits = [
            ((0, unit("𠮷一要")), (0, unit("𠮷一要统一")), "提高"),
            ((1, unit("😀")), (1, unit("😀")), "🎉"),
            ((0, unit("𠮷一要提高思想。")), (1, 0), "\n"),
            ((2, 0), (2, 99), "三要抓落实，𠮷。"),
            ((9, 0), (9, 0), "越界插入"),
        ];
        for (i, (s, e, new)) in edits.iter().enumerate() {
            text = apply_edit(&text, *s, *e, new, enc);
            c.notify(
                "textDocument/didChange",
                json!({ "textDocument": { "uri": URI, "version": i + 2 },
                        "contentChanges": [{ "range": { "start": pos(s.0, s.1), "end": pos(e.0, e.1) }, "text": new }] }),
            );
        }
        assert_eq!(c.server_text(URI), text, "{enc}");
        // A full-text change replaces everything.
        c.notify("textDocument/didChange", json!({ "textDocument": { "uri": URI, "version": 100 }, "contentChanges": [{ "text": "全文替换" }] }));
        assert_eq!(c.server_text(URI), "全文替换");
        assert_eq!(c.shutdown(), 0);
    }
}

/// Hundreds of edits sent without waiting are applied in order (tower-lsp runs
/// handlers concurrently; the server mutates before its first await).
/// The server widens the pipe to its stdin, so that a client can write a large draft
/// in one go; the draft arrives whole.
#[cfg(target_os = "linux")]
#[test]
fn large_drafts_arrive_through_a_widened_pipe() {
    let (mut c, _) = started(None);
    let before = c.stdin_pipe_bytes();
    assert!(before >= 256 * 1024, "stdin pipe of {before} bytes");
    let text = fixture("errors.txt").repeat(400);
    c.open(URI, &text);
    assert_eq!(c.server_text(URI), text);
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn rapid_edits_are_applied_in_order() {
    let (mut c, _) = started(None);
    let mut text = fixture("errors.txt");
    c.open(URI, &text);
    let mut seed = 12345u64;
    let mut rand = move |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n.max(1)
    };
    let inserts = ["字", "𠮷", "，", "\n", "一要", "😀", "\r\n"];
    for version in 2..402 {
        let lines: Vec<&str> = text.split('\n').collect();
        let line = rand(lines.len() as u64) as u32;
        let len16 = lines[line as usize]
            .trim_end_matches('\r')
            .encode_utf16()
            .count() as u64;
        let mut col = rand(len16 + 1) as u32;
        // Never split a surrogate pair on the client side either.
        let prefix: Vec<u16> = lines[line as usize]
            .encode_utf16()
            .take(col as usize)
            .collect();
        if String::from_utf16(&prefix).is_err() {
            col -= 1;
        }
        let (end, new) = if rand(3) == 0 {
            ((line, col), "")
        } else {
            ((line, col), inserts[rand(inserts.len() as u64) as usize])
        };
        let delete = rand(4) == 0 && col > 0;
        let start = if delete {
            let p: Vec<u16> = lines[line as usize]
                .encode_utf16()
                .take(col as usize - 1)
                .collect();
            if String::from_utf16(&p).is_ok() {
                (line, col - 1)
            } else {
                (line, col)
            }
        } else {
            (line, col)
        };
        text = apply_edit(&text, start, end, new, "utf-16");
        c.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": URI, "version": version },
                    "contentChanges": [{ "range": { "start": pos(start.0, start.1), "end": pos(end.0, end.1) }, "text": new }] }),
        );
    }
    assert_eq!(c.server_text(URI), text);
    // The last published diagnostics are for the last version.
    c.diagnostics(URI, 401);
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn outline_folding_and_code_lens() {
    let (mut c, _) = started(None);
    c.open(URI, &fixture("markers.txt"));
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": URI } }),
    );
    let root = &symbols[0];
    assert_eq!(root["name"], "各种序号的讲话稿");
    let top: Vec<&str> = root["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(top, ["一、总体要求", "二、主要任务", "十一、附则"]);
    let first = &root["children"][0]["children"][0];
    assert_eq!(first["name"], "（一）统一思想");
    let run: Vec<&str> = first["children"][0]["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(run.len(), 3, "{run:?}");
    assert!(run[2].starts_with("三是抓落实"));
    assert!(first["detail"].as_str().unwrap().contains("字"));
    // selectionRange lies inside range: start and end, line and character.
    let key = |p: &Value| {
        (
            p["line"].as_u64().unwrap(),
            p["character"].as_u64().unwrap(),
        )
    };
    let (r, s) = (&first["range"], &first["selectionRange"]);
    assert!(
        key(&s["start"]) >= key(&r["start"]) && key(&s["end"]) <= key(&r["end"]),
        "selectionRange {s} outside range {r}"
    );
    // The headline is what the selection covers: （一）统一思想 on line 5.
    assert_eq!(s["start"], pos(5, 2));

    let folds = c.request(
        "textDocument/foldingRange",
        json!({ "textDocument": { "uri": URI } }),
    );
    assert!(
        folds
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["startLine"] == 4 && f["endLine"] == 11),
        "{folds}"
    );

    let lenses = c.request(
        "textDocument/codeLens",
        json!({ "textDocument": { "uri": URI } }),
    );
    let titles: Vec<&str> = lenses
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["command"]["title"].as_str().unwrap())
        .collect();
    assert!(
        titles[0].starts_with("全文 ") && titles[0].contains("分钟"),
        "{titles:?}"
    );
    assert_eq!(titles.len(), 2);
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn diagnostics_hover_and_quick_fixes_after_non_bmp_text() {
    let (mut c, _) = started(None);
    let text = "𠮷😀以党的十九精神为指导，增强“四个意识”。\n一要抓落实。\n三要抓考核。";
    c.open(URI, text);
    let diags = c.diagnostics(URI, 1);
    let wrong = diags
        .iter()
        .find(|d| d["code"] == "wrong-form")
        .expect("wrong-form");
    // 𠮷 and 😀 are two UTF-16 units each: 党 starts at 5.
    assert_eq!(wrong["range"]["start"], pos(0, 5));
    assert_eq!(wrong["range"]["end"], pos(0, 11));
    assert_eq!(wrong["severity"], 1);
    let gap = diags
        .iter()
        .find(|d| d["code"] == "numbering-gap")
        .expect("gap");
    assert!(gap["message"].as_str().unwrap().contains("二要"));

    let hover = c.request("textDocument/hover", at(URI, 0, 19));
    let md = hover["contents"]["value"].as_str().unwrap();
    assert!(md.contains("政治意识") && md.contains("看齐意识"), "{md}");
    assert_eq!(hover["range"]["start"], pos(0, 18));

    let actions = c.request("textDocument/codeAction", json!({ "textDocument": { "uri": URI }, "range": wrong["range"], "context": { "diagnostics": [wrong] } }));
    let fix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "quickfix")
        .expect("quick fix");
    let edit = &fix["edit"]["changes"][URI][0];
    assert_eq!(edit["newText"], "党的十九大精神");
    assert_eq!(edit["range"]["start"], pos(0, 5));

    let all = c.request("textDocument/codeAction", json!({ "textDocument": { "uri": URI }, "range": { "start": pos(0, 0), "end": pos(0, 0) }, "context": { "diagnostics": [], "only": ["source.fixAll.jianggao"] } }));
    assert_eq!(all.as_array().unwrap().len(), 1);

    let renumber = c.request("textDocument/codeAction", json!({ "textDocument": { "uri": URI }, "range": { "start": pos(2, 1), "end": pos(2, 1) }, "context": { "diagnostics": [], "only": ["refactor.rewrite.jianggao.renumber"] } }));
    let edits = &renumber[0]["edit"]["changes"][URI];
    assert_eq!(edits[0]["newText"], "二要");
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn completion_after_non_bmp_prefix_and_next_point() {
    let (mut c, _) = started(Some(&["utf-16"]));
    let text = "𠮷要增强四个\n一要统一思想。\n二要强化责任。\n";
    c.open(URI, text);
    let list = c.request("textDocument/completion", at(URI, 0, 7));
    let items = list["items"].as_array().unwrap();
    let item = items
        .iter()
        .find(|i| i["label"] == "四个意识")
        .expect("四个意识");
    assert_eq!(item["textEdit"]["range"]["start"], pos(0, 5));
    assert_eq!(item["textEdit"]["range"]["end"], pos(0, 7));
    assert!(item["detail"].as_str().unwrap().contains("政治意识"));

    // On the empty line after 二要: the next point first, and the skeleton snippets.
    let next = c.request("textDocument/completion", at(URI, 3, 0));
    assert_eq!(next["items"][0]["label"], "三要");
    assert!(next["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["insertTextFormat"] == 2));
    assert_eq!(c.shutdown(), 0);
}

/// A client that resolves items' documentation lazily gets the list without the
/// formula cards, and `completionItem/resolve` gives each item the card a client that
/// does not resolve gets in the list.
#[test]
fn completion_documentation_is_resolved_on_demand() {
    let text = "要增强四个\n";
    let card = |c: &mut Client| -> (Value, Value) {
        c.open(URI, text);
        let list = c.request("textDocument/completion", at(URI, 0, 5));
        let item = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["label"] == "四个意识")
            .expect("四个意识")
            .clone();
        (list, item)
    };
    let (mut eager, init) = started(None);
    assert_eq!(
        init["capabilities"]["completionProvider"]["resolveProvider"],
        true
    );
    let (_, eager_item) = card(&mut eager);
    let eager_card = eager_item["documentation"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(eager_card.contains("核心意识"), "{eager_card}");
    assert_eq!(eager.shutdown(), 0);

    let mut lazy = Client::spawn();
    let mut capabilities = caps(None);
    capabilities["textDocument"]["completion"]["completionItem"]["resolveSupport"] =
        json!({ "properties": ["documentation"] });
    lazy.initialize(capabilities, None);
    let (list, item) = card(&mut lazy);
    assert!(list["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i.get("documentation").is_none()));
    assert_eq!(item["detail"], eager_item["detail"]);
    let resolved = lazy.request("completionItem/resolve", item.clone());
    assert_eq!(resolved["documentation"]["value"], eager_card.as_str());
    assert_eq!(resolved["label"], item["label"]);
    assert_eq!(lazy.shutdown(), 0);
}

/// A client that resolves code actions' edits gets fix-all without its edit when it
/// asks for no kind in particular (a light bulb), and `codeAction/resolve` gives it the
/// edit a client that does not resolve gets in the list; asked for fix-all by kind, it
/// gets the edit at once.
#[test]
fn fix_all_edit_is_resolved_on_demand() {
    let text = "同志们,要学习党的十九精神,增强“四个意识”.\n";
    let anywhere = json!({ "textDocument": { "uri": URI }, "range": { "start": pos(0, 0), "end": pos(0, 0) }, "context": { "diagnostics": [] } });
    let fix_all = |actions: &Value| -> Value {
        actions
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["kind"] == "source.fixAll.jianggao")
            .cloned()
            .unwrap_or_else(|| panic!("no fix-all in {actions}"))
    };
    let (mut eager, init) = started(None);
    assert_eq!(
        init["capabilities"]["codeActionProvider"]["resolveProvider"],
        true
    );
    eager.open(URI, text);
    eager.diagnostics(URI, 1);
    let whole = fix_all(&eager.request("textDocument/codeAction", anywhere.clone()));
    let edits = whole["edit"]["changes"][URI].as_array().unwrap().clone();
    assert!(edits.len() >= 2, "{whole}");
    assert_eq!(eager.shutdown(), 0);

    let mut lazy = Client::spawn();
    let mut capabilities = caps(None);
    capabilities["textDocument"]["codeAction"]["dataSupport"] = json!(true);
    capabilities["textDocument"]["codeAction"]["resolveSupport"] =
        json!({ "properties": ["edit"] });
    lazy.initialize(capabilities, None);
    lazy.open(URI, text);
    lazy.diagnostics(URI, 1);
    let offered = fix_all(&lazy.request("textDocument/codeAction", anywhere.clone()));
    assert!(offered.get("edit").is_none(), "{offered}");
    assert_eq!(offered["title"], whole["title"]);
    let resolved = lazy.request("codeAction/resolve", offered);
    assert_eq!(resolved["edit"]["changes"][URI], json!(edits));
    assert_eq!(resolved["title"], whole["title"]);
    let mut by_kind = anywhere;
    by_kind["context"]["only"] = json!(["source.fixAll.jianggao"]);
    let asked = fix_all(&lazy.request("textDocument/codeAction", by_kind));
    assert_eq!(asked["edit"]["changes"][URI], json!(edits));
    assert_eq!(lazy.shutdown(), 0);
}

/// Typing pinyin initials (sgys) or full pinyin (sigeyishi) offers 四个意识, replacing
/// what was typed.
#[test]
fn completion_by_pinyin() {
    let (mut c, _) = started(Some(&["utf-16"]));
    c.open(URI, "要增强sgys\n要树立sigeyishi\n");
    for (line, typed) in [(0u32, "sgys"), (1, "sigeyishi")] {
        let end = 3 + typed.len() as u32;
        let list = c.request("textDocument/completion", at(URI, line, end));
        let items = list["items"].as_array().unwrap();
        let item = items
            .iter()
            .find(|i| i["label"] == "四个意识")
            .unwrap_or_else(|| panic!("四个意识 not offered for {typed}: {list}"));
        assert_eq!(item["textEdit"]["range"]["start"], pos(line, 3), "{typed}");
        assert_eq!(item["textEdit"]["range"]["end"], pos(line, end), "{typed}");
        assert!(
            item["textEdit"]["newText"]
                .as_str()
                .unwrap()
                .starts_with("四个意识"),
            "{item}"
        );
    }
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn formatting_and_semantic_tokens() {
    let (mut c, _) = started(None);
    c.open(URI, "一要统一思想,提高认识.\n增强“四个意识”。");
    let edits = c.request("textDocument/formatting", json!({ "textDocument": { "uri": URI }, "options": { "tabSize": 4, "insertSpaces": true } }));
    let new: Vec<&str> = edits
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["newText"].as_str().unwrap())
        .collect();
    assert_eq!(new, ["，", "。"]);
    let tokens = c.request(
        "textDocument/semanticTokens/full",
        json!({ "textDocument": { "uri": URI } }),
    );
    let data: Vec<u64> = tokens["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    // marker 一要 at (0,0) len 2 type keyword; 四个意识 at (1,3) len 4 type macro + defaultLibrary
    assert_eq!(&data[..5], &[0, 0, 2, 0, 0]);
    assert_eq!(&data[5..10], &[1, 3, 4, 1, 1]);
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn learned_definitions_navigation() {
    let (mut c, _) = started(None);
    c.open(
        URI,
        "要坚持不推、不拖、不等、不躲的“四不”态度。\n践行“四不”要求。",
    );
    let def = c.request("textDocument/definition", at(URI, 1, 4));
    assert_eq!(def["range"]["start"], pos(0, 16));
    let refs = c.request("textDocument/references", json!({ "textDocument": { "uri": URI }, "position": pos(1, 4), "context": { "includeDeclaration": true } }));
    assert_eq!(refs.as_array().unwrap().len(), 2);
    let hl = c.request("textDocument/documentHighlight", at(URI, 0, 16));
    assert_eq!(hl.as_array().unwrap().len(), 2);
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn glossary_terms_reload_and_errors() {
    let dir = Scratch::new("glossary");
    let glossary = dir.join("jianggao.toml");
    std::fs::write(&glossary, "[[formula]]\nterm = \"“144”工作部署\"\naliases = [\"144工作部署\"]\ndefinition = \"州局党组的工作部署\"\nitems = [\"一个目标\", \"四项任务\", \"四个保障\"]\n\n[rules]\nplaceholder = \"off\"\n").unwrap();
    let mut c = Client::spawn();
    c.initialize(caps(None), Some(&dir));
    let uri = format!("file://{}/draft.txt", dir.display());
    c.open(&uri, "紧紧围绕州局党组144工作部署，xx年完成。");
    let diags = c.diagnostics(&uri, 1);
    assert!(
        diags.iter().all(|d| d["code"] != "placeholder"),
        "placeholder rule is off: {diags:?}"
    );
    let hover = c.request("textDocument/hover", at(&uri, 0, 10));
    let md = hover["contents"]["value"].as_str().unwrap();
    assert!(
        md.contains("一个目标") && md.contains("jianggao.toml"),
        "{md}"
    );
    let def = c.request("textDocument/definition", at(&uri, 0, 10));
    assert!(def["uri"].as_str().unwrap().ends_with("jianggao.toml"));

    // A broken glossary: diagnostic on the file, a message, built-in knowledge intact.
    std::fs::write(&glossary, "[[formula]\nterm = \n").unwrap();
    let gl_uri = format!("file://{}", glossary.display());
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": gl_uri, "type": 2 }] }),
    );
    let p = c.notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == gl_uri.as_str() && !p["diagnostics"].as_array().unwrap().is_empty()
    });
    assert_eq!(p["diagnostics"][0]["code"], "glossary-invalid");
    let msg = c.notification("window/showMessage", |_| true);
    assert!(msg["message"].as_str().unwrap().contains("jianggao.toml"));
    let hover = c.request("textDocument/hover", at(&uri, 0, 1));
    assert!(hover.is_null() || hover["contents"]["value"].is_string());
    c.notify("textDocument/didChange", json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": "增强四个意识，xx年。" }] }));
    let diags = c.diagnostics(&uri, 2);
    assert!(
        diags.iter().any(|d| d["code"] == "placeholder"),
        "glossary settings dropped with the broken file"
    );
    let hover = c.request("textDocument/hover", at(&uri, 0, 3));
    assert!(hover["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("政治意识"));
    assert_eq!(c.shutdown(), 0);
}

/// The code lens titles of a document.
fn lens_titles(c: &mut Client, uri: &str) -> Vec<String> {
    c.request(
        "textDocument/codeLens",
        json!({ "textDocument": { "uri": uri } }),
    )
    .as_array()
    .unwrap()
    .iter()
    .map(|l| l["command"]["title"].as_str().unwrap().to_string())
    .collect()
}

#[test]
fn settings_from_the_client_change_levels_and_rate() {
    let mut c = Client::spawn();
    c.set_configuration(json!({ "rules": { "placeholder": "error" }, "speakingRate": 110 }));
    c.initialize(caps(None), None);
    // 440 字: 2 minutes at the default 220 字/分钟, 4 at 110.
    let text = format!("xx年完成。{}", "好".repeat(436));
    c.open(URI, &text);
    // The pulled configuration arrives after the first analysis; a republish follows.
    c.notification("textDocument/publishDiagnostics", |p| {
        p["diagnostics"][0]["severity"] == 1
    });
    assert_eq!(lens_titles(&mut c, URI), ["全文 440 字 · 约 4 分钟"]);
    c.backlog.clear();

    // A rate of the wrong type is logged and ignored: the default rate applies again,
    // and the rule level goes back to its default (warning).
    c.set_configuration(json!({ "speakingRate": "fast" }));
    c.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": null }),
    );
    let log = c.notification("window/logMessage", |p| {
        p["message"].as_str().unwrap_or("").contains("speakingRate")
    });
    assert_eq!(log["type"], 2);
    c.notification("textDocument/publishDiagnostics", |p| {
        p["diagnostics"][0]["severity"] == 2
    });
    assert_eq!(lens_titles(&mut c, URI), ["全文 440 字 · 约 2 分钟"]);
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn bad_input_is_answered_or_ignored() {
    let mut c = Client::spawn_with_env(&[("JIANGGAO_TEST_HOOKS", "1")]);
    // A request before initialize is refused with ServerNotInitialized.
    let id = c.request_async("textDocument/hover", at(URI, 0, 0));
    assert_eq!(c.response(id)["error"]["code"], -32002);
    c.initialize(caps(None), None);
    // Unknown document, out-of-range positions.
    assert!(c
        .request("textDocument/hover", at("file:///nope.txt", 0, 0))
        .is_null());
    c.open(URI, "一要统一思想。");
    assert!(c.request("textDocument/hover", at(URI, 99, 99)).is_null());
    let comp = c.request("textDocument/completion", at(URI, 0, 999));
    assert!(comp["items"].is_array());
    c.notify("textDocument/didChange", json!({ "textDocument": { "uri": "file:///unopened.txt", "version": 2 }, "contentChanges": [{ "text": "x" }] }));
    // Stale version is ignored.
    c.notify("textDocument/didChange", json!({ "textDocument": { "uri": URI, "version": 1 }, "contentChanges": [{ "text": "旧" }] }));
    assert_eq!(c.server_text(URI), "一要统一思想。");
    // Malformed JSON, wrong param types, unknown methods.
    c.send_raw(b"Content-Length: 9\r\n\r\n{not json");
    let reply = c.notification_or_response_with_null_id();
    assert_eq!(reply["error"]["code"], -32700, "{reply}");
    let id = c.request_async("textDocument/hover", json!({ "textDocument": 42 }));
    assert_eq!(c.response(id)["error"]["code"], -32602);
    let id = c.request_async("jianggao/noSuchMethod", json!({}));
    assert_eq!(c.response(id)["error"]["code"], -32601);
    // A panic in a handler becomes an error response; the server keeps serving.
    let id = c.request_async("jianggao/debugPanic", json!({}));
    assert_eq!(c.response(id)["error"]["code"], -32603);
    assert_eq!(c.server_text(URI), "一要统一思想。");
    assert!(c.is_running());
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn exit_without_shutdown_exits_with_one() {
    let (mut c, _) = started(None);
    c.notify("exit", Value::Null);
    assert_eq!(c.wait_exit(), 1);
}

#[test]
fn statistics_request() {
    let (mut c, _) = started(None);
    c.open(URI, "一、总体要求\n内容内容。\n二、主要任务\n内容。");
    let stats = c.request(
        "jianggao/statistics",
        json!({ "textDocument": { "uri": URI } }),
    );
    assert_eq!(stats["chars"], 16);
    assert_eq!(stats["sections"].as_array().unwrap().len(), 2);
    // The first request already has the frequent words (it waits for the segmenter).
    assert_eq!(stats["words"][0], json!(["内容", 3]), "{stats}");
    assert_eq!(c.shutdown(), 0);
}

/// A client that renders no Markdown and takes no code action literals (Eglot without
/// markdown-mode, old clients) gets plain text and commands the server carries out.
#[test]
fn plain_clients_get_plain_text_and_commands() {
    let mut c = Client::spawn();
    c.initialize(
        json!({ "textDocument": { "hover": { "contentFormat": ["plaintext"] } } }),
        None,
    );
    c.open(URI, "以党的十九精神为指导，增强“四个意识”。");
    let diags = c.diagnostics(URI, 1);
    let hover = c.request("textDocument/hover", at(URI, 0, 14));
    assert_eq!(hover["contents"]["kind"], "plaintext");
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("政治意识") && !text.contains("**") && !text.contains("]("),
        "{text}"
    );
    let wrong = diags.iter().find(|d| d["code"] == "wrong-form").unwrap();
    let actions = c.request("textDocument/codeAction", json!({ "textDocument": { "uri": URI }, "range": wrong["range"], "context": { "diagnostics": [wrong] } }));
    let command = &actions[0];
    assert_eq!(command["command"], "jianggao.applyEdit");
    let id = c.request_async(
        "workspace/executeCommand",
        json!({ "command": "jianggao.applyEdit", "arguments": command["arguments"] }),
    );
    // The server asks the client to apply the edit.
    let apply = c.notification_or_request("workspace/applyEdit");
    assert_eq!(
        apply["edit"]["changes"][URI][0]["newText"],
        "党的十九大精神"
    );
    assert!(c.response(id).get("error").is_none());
    assert_eq!(c.shutdown(), 0);
}

/// Definitions learned from the shared corpus (a failure under CI=true when ../shared
/// is absent, reported as skipped elsewhere).
#[test]
fn corpus_learned_definitions() {
    let Some(path) = common::shared_corpus("yishixingtai_speeches.txt") else {
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap();
    let (mut c, _) = started(None);
    c.open(URI, &text);
    let hover = c.request("textDocument/hover", at(URI, 4, 321));
    let md = hover["contents"]["value"].as_str().unwrap();
    assert!(
        md.contains("沙化")
            && md.contains("阿化")
            && md.contains("清真")
            && md.contains("本文第 5 行"),
        "{md}"
    );
    let hover = c.request("textDocument/hover", at(URI, 11, 18));
    let md = hover["contents"]["value"].as_str().unwrap();
    assert!(md.contains("四个结合") && md.contains("4. "), "{md}");
    let refs = c.request("textDocument/references", json!({ "textDocument": { "uri": URI }, "position": pos(4, 321), "context": { "includeDeclaration": true } }));
    assert!(!refs.as_array().unwrap().is_empty());
    assert_eq!(c.shutdown(), 0);
}

/// Diagnostics of unchanged lines come from a cache: after edits that move lines or
/// change a line, every range is still right.
#[test]
fn diagnostics_follow_edits() {
    let (mut c, _) = started(None);
    c.open(URI, "一要统一思想。\n二要xx年完成。\n三要抓落实。");
    let find = |d: &[Value]| {
        d.iter()
            .find(|d| d["code"] == "placeholder")
            .map(|d| d["range"].clone())
    };
    assert_eq!(find(&c.diagnostics(URI, 1)).unwrap()["start"], pos(1, 2));
    let change = |c: &mut Client, v: i64, s: (u32, u32), e: (u32, u32), t: &str| {
        c.notify("textDocument/didChange", json!({ "textDocument": { "uri": URI, "version": v },
            "contentChanges": [{ "range": { "start": pos(s.0, s.1), "end": pos(e.0, e.1) }, "text": t }] }));
    };
    change(&mut c, 2, (0, 0), (0, 0), "同志们：\n");
    assert_eq!(find(&c.diagnostics(URI, 2)).unwrap()["start"], pos(2, 2));
    change(&mut c, 3, (2, 0), (2, 0), "𠮷");
    assert_eq!(find(&c.diagnostics(URI, 3)).unwrap()["start"], pos(2, 4));
    change(&mut c, 4, (2, 4), (2, 6), "2024");
    assert!(find(&c.diagnostics(URI, 4)).is_none());
    change(&mut c, 5, (0, 0), (1, 0), "");
    // Now 𠮷 stands before 二要, which is no longer a point: 一要 is followed by 三要,
    // and the gap is reported on 三要, line 2 (a line whose cached diagnostics moved).
    let d = c.diagnostics(URI, 5);
    let found: Vec<(&str, Value)> = d
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["range"].clone()))
        .collect();
    assert_eq!(
        found,
        [(
            "numbering-gap",
            json!({ "start": pos(2, 0), "end": pos(2, 2) })
        )],
        "{d:?}"
    );
    assert!(d[0]["message"].as_str().unwrap().contains("二要"), "{d:?}");
    assert_eq!(c.shutdown(), 0);
}

/// The background workspace index: `.txt` and `.md` drafts under the root, not what
/// `.gitignore` excludes, announced with `$/progress` begin and end.
#[test]
fn workspace_symbols_index_drafts_and_respect_gitignore() {
    let dir = Scratch::new("workspace");
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::create_dir_all(dir.join("ignored")).unwrap();
    std::fs::create_dir_all(dir.join("notes")).unwrap();
    std::fs::write(dir.join(".gitignore"), "ignored/\n").unwrap();
    std::fs::write(
        dir.join("a.txt"),
        "一、总体要求\n要增强“四个意识”。\n二、主要任务\n抓落实。\n",
    )
    .unwrap();
    std::fs::write(dir.join("notes/b.md"), "一、总体部署\n内容。\n").unwrap();
    std::fs::write(dir.join("ignored/c.txt"), "一、总体安排\n内容。\n").unwrap();
    std::fs::write(dir.join("d.rs"), "一、总体代码\n").unwrap();
    let mut c = Client::spawn();
    c.initialize(caps(None), Some(&dir));
    let progress = |kind: &'static str| {
        move |p: &Value| p["token"] == "jianggao-index" && p["value"]["kind"] == kind
    };
    let begin = c.notification("$/progress", progress("begin"));
    assert!(
        begin["value"]["title"].as_str().unwrap().contains("索引"),
        "{begin}"
    );
    let end = c.notification("$/progress", progress("end"));
    assert_eq!(end["value"]["message"], "已索引 2 个文件", "{end}");

    let symbols = c.request("workspace/symbol", json!({ "query": "总体" }));
    let mut found: Vec<(String, String, String)> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let uri = s["location"]["uri"].as_str().unwrap();
            (
                s["name"].as_str().unwrap().to_string(),
                uri.strip_prefix(&format!("file://{}/", dir.display()))
                    .unwrap_or(uri)
                    .to_string(),
                s["location"]["range"]["start"]["line"].to_string(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            ("一、总体要求".into(), "a.txt".into(), "0".into()),
            ("一、总体部署".into(), "notes/b.md".into(), "0".into()),
        ],
        "{symbols}"
    );
    // Formulas found in the drafts are symbols too.
    let formulas = c.request("workspace/symbol", json!({ "query": "四个意识" }));
    assert_eq!(formulas[0]["name"], "四个意识", "{formulas}");
    assert_eq!(formulas[0]["location"]["range"]["start"]["line"], 1);
    assert_eq!(c.shutdown(), 0);
}

/// Inlay hints are off by default and spell out a formula's items once switched on,
/// by `initializationOptions` (a client that does not answer `workspace/configuration`)
/// or by the pulled configuration.
#[test]
fn inlay_hints_expand_formulas_when_enabled() {
    let text = "要增强“四个意识”，坚定四个自信。\n再次强调四个意识。";
    let range = json!({ "textDocument": { "uri": URI }, "range": { "start": pos(0, 0), "end": pos(2, 0) } });
    let hints = |c: &mut Client| -> Vec<(Value, String)> {
        c.request("textDocument/inlayHint", range.clone())
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                (
                    h["position"].clone(),
                    h["label"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    // After the closing quote of “四个意识”, after 四个自信; once per formula.
    let expected = [
        (
            pos(0, 9),
            "（政治意识、大局意识、核心意识、看齐意识）".to_string(),
        ),
        (
            pos(0, 16),
            "（道路自信、理论自信、制度自信、文化自信）".to_string(),
        ),
    ];

    let (mut c, _) = started(None);
    c.open(URI, text);
    assert_eq!(hints(&mut c), []);
    assert_eq!(c.shutdown(), 0);

    let mut no_pull = caps(None);
    no_pull["workspace"]["configuration"] = json!(false);
    let mut c = Client::spawn();
    c.initialize_with_options(no_pull, None, json!({ "inlayHints": { "enable": true } }));
    c.open(URI, text);
    // Without a workspace root the options apply from `initialize` on, before the
    // server announces the knowledge in force at the end of start-up.
    assert_eq!(hints(&mut c), expected);
    c.notification("window/logMessage", |p| {
        p["message"].as_str().unwrap_or("").contains("knowledge:")
    });
    assert_eq!(c.shutdown(), 0);

    let mut c = Client::spawn();
    c.set_configuration(json!({ "inlayHints": { "enable": true } }));
    c.initialize(caps(None), None);
    c.open(URI, text);
    c.notification("window/logMessage", |p| {
        p["message"].as_str().unwrap_or("").contains("knowledge:")
    });
    assert_eq!(hints(&mut c), expected);
    assert_eq!(c.shutdown(), 0);
}

/// The `glossaryPath` and `indent` settings over LSP: a glossary outside the default
/// place is loaded (relative to the workspace root), and formatting indents paragraphs
/// as asked.
#[test]
fn glossary_path_and_indent_settings() {
    let dir = Scratch::new("glossary-path");
    std::fs::create_dir_all(dir.join("conf")).unwrap();
    std::fs::write(
        dir.join("conf/terms.toml"),
        "[[formula]]\nterm = \"三抓三促\"\ndefinition = \"抓学习促提升、抓执行促落实、抓效能促发展\"\nitems = [\"抓学习促提升\", \"抓执行促落实\", \"抓效能促发展\"]\n",
    )
    .unwrap();
    let uri = format!("file://{}/draft.txt", dir.display());
    let text = "  深入开展三抓三促行动。\n\t落实责任。\n";
    let format = |c: &mut Client| -> String {
        let mut edits = c
            .request(
                "textDocument/formatting",
                json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 4, "insertSpaces": true } }),
            )
            .as_array()
            .unwrap()
            .clone();
        // Apply from the end so earlier positions stay valid.
        edits.sort_by_key(|e| {
            let s = &e["range"]["start"];
            std::cmp::Reverse((s["line"].as_u64(), s["character"].as_u64()))
        });
        let mut out = text.to_string();
        for e in &edits {
            let r = &e["range"];
            let p = |p: &Value| {
                (
                    p["line"].as_u64().unwrap() as u32,
                    p["character"].as_u64().unwrap() as u32,
                )
            };
            out = apply_edit(
                &out,
                p(&r["start"]),
                p(&r["end"]),
                e["newText"].as_str().unwrap(),
                "utf-16",
            );
        }
        out
    };

    let mut c = Client::spawn();
    c.set_configuration(json!({ "glossaryPath": "conf/terms.toml", "indent": "fullwidth" }));
    c.initialize(caps(None), Some(&dir));
    c.open(&uri, text);
    // The pulled settings load the glossary and re-analyse: its term is hovered.
    c.notification("window/logMessage", |p| {
        p["message"].as_str().unwrap_or("").contains("terms.toml")
    });
    let hover = c.request("textDocument/hover", at(&uri, 0, 7));
    let md = hover["contents"]["value"].as_str().unwrap();
    assert!(
        md.contains("抓执行促落实") && md.contains("terms.toml"),
        "{md}"
    );
    assert_eq!(
        format(&mut c),
        "　　深入开展三抓三促行动。\n　　落实责任。\n"
    );
    assert_eq!(c.shutdown(), 0);

    let mut c = Client::spawn();
    c.set_configuration(json!({ "indent": "none" }));
    c.initialize(caps(None), Some(&dir));
    c.open(&uri, text);
    c.notification("window/logMessage", |p| {
        p["message"].as_str().unwrap_or("").contains("knowledge:")
    });
    assert!(c.request("textDocument/hover", at(&uri, 0, 7)).is_null());
    assert_eq!(format(&mut c), "深入开展三抓三促行动。\n落实责任。\n");
    assert_eq!(c.shutdown(), 0);
}

/// Lists nest where writers put them: an inline run after a colon inside a point is
/// that point's child, the outer run goes on after it, and a closing paragraph's own
/// requests sit at the level above the points it sums up.
#[test]
fn nested_lists_in_the_document_outline() {
    let (mut c, _) = started(None);
    let text = "会上的讲话\n（2024年3月1日）\n同志们：\n下面讲两点意见。\n一、成绩\n一是高考成绩走在全省前列。有四项指标列全省第一：一是本科上线率；二是重点上线率；三是平均分；四是优秀率。\n二是技能竞赛成绩突出。\n二、要求\n内容。\n以上两点意见，请抓好落实。这里我再提三点要求：一要端正学风。二要加强思考。三要学以致用。";
    c.open(URI, text);
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": URI } }),
    );
    let names = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap().chars().take(4).collect())
            .collect()
    };
    let root = &symbols[0];
    assert_eq!(
        names(&root["children"]),
        ["一、成绩", "二、要求", "一要端正", "二要加强", "三要学以"]
    );
    let first = &root["children"][0]["children"];
    assert_eq!(names(first), ["一是高考", "二是技能"]);
    assert_eq!(
        names(&first[0]["children"]),
        ["一是本科", "二是重点", "三是平均", "四是优秀"]
    );
    // Point 二 ends before the closing paragraph.
    assert_eq!(root["children"][1]["range"]["end"]["line"], 8);
    // Nothing here is a numbering problem or a wrong count.
    let diags = c.diagnostics(URI, 1);
    let codes: Vec<&str> = diags.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(
        !codes
            .iter()
            .any(|c| c.starts_with("numbering") || *c == "announced-count"),
        "{codes:?}"
    );
    assert_eq!(c.shutdown(), 0);
}

/// Speeches one after another under their own titles, as in a collection.
fn collection() -> String {
    let mut out = String::new();
    for (i, f) in [
        "errors.txt",
        "markers.txt",
        "central_style.txt",
        "errors.txt",
    ]
    .iter()
    .enumerate()
    {
        out.push_str(&format!("第{}篇讲话稿\n{}\n", i + 1, fixture(f)));
    }
    out
}

/// After edits anywhere (lines added above findings, a speech's title, points, a
/// line joined to the next), the published diagnostics are those a server that opens
/// the resulting text publishes: nothing the server keeps between keystrokes (the
/// updated analysis, the serialised findings of unchanged lines) goes stale.
#[test]
fn published_diagnostics_after_edits_equal_a_fresh_open() {
    let (mut c, _) = started(None);
    let mut text = collection();
    c.open(URI, &text);
    c.diagnostics(URI, 1);
    type Edit<'a> = ((u32, u32), (u32, u32), &'a str);
    let edits: &[Edit] = &[
        ((0, 0), (0, 0), "同志们：\n\n"),
        ((5, 2), (5, 2), "𠮷xx年"),
        (
            (12, 0),
            (12, 0),
            "\n会议讲话\n——在全市会议上的讲话\n同志们：\n",
        ),
        ((20, 1), (21, 3), ""),
        (
            (30, 0),
            (30, 0),
            "二、主要任务\n（一）抓学习。\n（三）抓宣传。\n",
        ),
        ((8, 4), (8, 4), "，，"),
        ((40, 0), (42, 0), ""),
        ((2, 0), (2, 0), "一是抓学习；三是抓宣传。\n"),
    ];
    for (k, &(s, e, t)) in edits.iter().enumerate() {
        let version = k as i64 + 2;
        c.notify("textDocument/didChange", json!({ "textDocument": { "uri": URI, "version": version },
            "contentChanges": [{ "range": { "start": pos(s.0, s.1), "end": pos(e.0, e.1) }, "text": t }] }));
        text = apply_edit(&text, s, e, t, "utf-16");
        let published = c.diagnostics(URI, version);
        assert_eq!(c.server_text(URI), text);
        let (mut fresh, _) = started(None);
        fresh.open(URI, &text);
        assert_eq!(published, fresh.diagnostics(URI, 1), "after edit {k}");
        assert_eq!(fresh.shutdown(), 0);
    }
    assert_eq!(c.shutdown(), 0);
}

fn close(c: &mut Client, uri: &str) {
    c.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri } }),
    );
    c.notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri && p["diagnostics"].as_array().is_some_and(Vec::is_empty)
    });
}

fn open_as(c: &mut Client, uri: &str, version: i64, text: &str) -> Vec<Value> {
    c.notify("textDocument/didOpen", json!({ "textDocument": { "uri": uri, "languageId": "plaintext", "version": version, "text": text } }));
    c.diagnostics(uri, version)
}

fn superseded_on_line_0(diagnostics: &[Value]) -> bool {
    diagnostics
        .iter()
        .any(|d| d["code"] == "superseded-formula" && d["range"]["start"]["line"] == 0)
}

/// The server takes over the state of the document closed last when the same text is
/// opened again (under its name or another, as "Save As" does). What it publishes is
/// what a fresh open publishes, at the new version; the document goes on following
/// edits; another text is analysed afresh; and a date setting changed while the
/// document was closed applies when it is opened again.
#[test]
fn reopened_documents_get_what_a_fresh_open_gets() {
    let (mut c, _) = started(None);
    let other = "file:///tmp/jianggao-test/saved-as.txt";
    let witness = "file:///tmp/jianggao-test/witness.txt";
    assert!(superseded_on_line_0(&open_as(
        &mut c,
        witness,
        1,
        "坚定三个自信。"
    )));
    let text = format!("坚定三个自信。\n{}", collection());
    let first = open_as(&mut c, URI, 1, &text);
    assert!(
        superseded_on_line_0(&first) && first.len() > 10,
        "{first:?}"
    );
    close(&mut c, URI);
    assert_eq!(open_as(&mut c, other, 5, &text), first);

    c.notify("textDocument/didChange", json!({ "textDocument": { "uri": other, "version": 6 },
        "contentChanges": [{ "range": { "start": pos(3, 0), "end": pos(3, 0) }, "text": "一是抓学习；三是抓宣传。\n" }] }));
    let edited = apply_edit(
        &text,
        (3, 0),
        (3, 0),
        "一是抓学习；三是抓宣传。\n",
        "utf-16",
    );
    let after_edit = c.diagnostics(other, 6);
    assert_eq!(c.server_text(other), edited);
    let (mut fresh, _) = started(None);
    assert_eq!(after_edit, open_as(&mut fresh, URI, 1, &edited));
    assert_eq!(fresh.shutdown(), 0);
    close(&mut c, other);
    // The closed document holds the edited text, not this one.
    assert_eq!(open_as(&mut c, URI, 2, &text), first);
    close(&mut c, URI);

    // Judged at a date before “四个自信”: the witness's finding goes, which shows the
    // setting has arrived; the draft closed before it loses its finding when reopened.
    c.set_configuration(json!({ "date": "2012-06-01" }));
    c.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": null }),
    );
    c.notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == witness && p["diagnostics"].as_array().is_some_and(Vec::is_empty)
    });
    let reopened = open_as(&mut c, URI, 3, &text);
    assert!(!superseded_on_line_0(&reopened), "{reopened:?}");
    assert_eq!(c.shutdown(), 0);
}

/// A client that pulls diagnostics (LSP 3.17) is offered `textDocument/diagnostic`,
/// gets a full report with a result id, an `unchanged` report when it asks again with
/// that id, a new id when an edit changes the findings, and `unchanged` again after an
/// edit that leaves them as they were. Until its first pull it gets published
/// diagnostics too (clients declare pull support without pulling); the first pull
/// clears them, and nothing is published after it. A client that does not declare pull
/// support is not offered the request and keeps getting published diagnostics.
#[test]
fn pulled_diagnostics_with_result_ids() {
    let mut c = Client::spawn();
    let mut capabilities = caps(None);
    capabilities["textDocument"]["diagnostic"] = json!({ "dynamicRegistration": false });
    let init = c.initialize(capabilities, None);
    assert_eq!(
        init["capabilities"]["diagnosticProvider"]["interFileDependencies"],
        false
    );
    let text = "一要统一思想。\n二要xx年完成。\n\n三要抓落实。";
    c.open(URI, text);
    let pull = |c: &mut Client, previous: Option<&str>| {
        let mut params = json!({ "textDocument": { "uri": URI } });
        if let Some(id) = previous {
            params["previousResultId"] = json!(id);
        }
        c.request("textDocument/diagnostic", params)
    };
    // Published until the client pulls.
    assert!(!c.diagnostics(URI, 1).is_empty());
    let full = pull(&mut c, None);
    assert_eq!(full["kind"], "full");
    let id = full["resultId"].as_str().unwrap().to_string();
    let items = full["items"].as_array().unwrap().clone();
    assert!(items.iter().any(|d| d["code"] == "placeholder"), "{full}");
    // The first pull clears what was published (sent before its answer).
    let last_push = c
        .backlog
        .iter()
        .rev()
        .find(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == URI)
        .cloned();
    assert_eq!(
        last_push.map(|m| m["params"]["diagnostics"].clone()),
        Some(json!([])),
        "{:?}",
        c.backlog
    );
    c.backlog.clear();
    // The same findings a push client gets.
    let (mut push, push_init) = started(None);
    assert!(push_init["capabilities"]
        .get("diagnosticProvider")
        .is_none());
    push.open(URI, text);
    assert_eq!(push.diagnostics(URI, 1), items);
    assert_eq!(push.shutdown(), 0);

    let again = pull(&mut c, Some(&id));
    assert_eq!(again, json!({ "kind": "unchanged", "resultId": id }));

    let change = |c: &mut Client, v: i64, line: u32, t: &str| {
        c.notify("textDocument/didChange", json!({ "textDocument": { "uri": URI, "version": v },
            "contentChanges": [{ "range": { "start": pos(line, 0), "end": pos(line, 0) }, "text": t }] }));
    };
    // Fixing the placeholder changes the findings: a full report with a new id.
    c.notify("textDocument/didChange", json!({ "textDocument": { "uri": URI, "version": 2 },
        "contentChanges": [{ "range": { "start": pos(1, 2), "end": pos(1, 4) }, "text": "2024" }] }));
    let fixed = pull(&mut c, Some(&id));
    assert_eq!(fixed["kind"], "full");
    let id2 = fixed["resultId"].as_str().unwrap().to_string();
    assert_ne!(id2, id);
    assert!(!fixed["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == "placeholder"));
    // Text on the blank line leaves every finding where it was: unchanged.
    change(&mut c, 3, 2, "这是新的一段话，内容完整。");
    assert_eq!(
        pull(&mut c, Some(&id2)),
        json!({ "kind": "unchanged", "resultId": id2 })
    );
    // Nothing was published after the first pull.
    assert!(
        !c.backlog
            .iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics"),
        "{:?}",
        c.backlog
    );
    assert_eq!(c.shutdown(), 0);
}

/// The settings given at `initialize` hold without a workspace folder, and a null
/// answer to `workspace/configuration` ("no value") does not wipe them: the draft is
/// judged at the `date` they give.
#[test]
fn initialization_options_hold_without_a_workspace_and_after_a_null_configuration() {
    let mut c = Client::spawn();
    c.configuration = Value::Null;
    c.initialize_with_options(caps(None), None, json!({ "date": "2015-01-01" }));
    let text = "同志们：\n　　要坚定道路自信、理论自信、制度自信。\n";
    c.open(URI, text);
    let codes = |c: &mut Client, version| -> Vec<String> {
        c.diagnostics(URI, version)
            .iter()
            .map(|d| d["code"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(
        !codes(&mut c, 1).contains(&"superseded-formula".to_string()),
        "三个自信 was current in January 2015"
    );
    // Judged today (the client's settings now say so), the same draft uses a
    // superseded list: the server re-analyses and publishes again.
    c.configuration = json!({ "date": "" });
    c.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": null }),
    );
    c.notification("textDocument/publishDiagnostics", |p| {
        p["diagnostics"]
            .as_array()
            .is_some_and(|d| d.iter().any(|d| d["code"] == "superseded-formula"))
    });
    assert_eq!(c.shutdown(), 0);
}
