"""The server's raw JSON answers checked against two independent models of
LSP 3.17:

* the TypeScript declarations of `vscode-languageserver-protocol` (the
  package vscode-languageclient 11 is built on, from editors/vscode/node_modules;
  the npm package ships metaModel.schema.json — the schema *of* the meta model —
  but not metaModel.json itself, so its typed declarations, generated from the
  same specification, are used): `tsc --strict` type-checks every message as an
  object literal, so unknown properties and wrong types are errors;
* lsprotocol (the Python types generated from the LSP meta model, used by
  pygls/pytest-lsp): each message must structure without error and unstructure
  back to the same JSON (nothing dropped, nothing re-typed).
"""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import tempfile

import pytest
from lsprotocol import types
from pygls.protocol import default_converter

from conftest import CAPABILITIES, FIXTURE, REPO, TIMEOUT, RawSession, text_at, units

VSCODE = REPO / "editors" / "vscode"
URI = FIXTURE.resolve().as_uri()


# The user's settings (initializationOptions and workspace/configuration): inlay
# hints on and paragraph indentation, so that those answers have content.
SETTINGS = {"speakingRate": 220, "rules": {}, "inlayHints": {"enable": True}, "glossaryPath": "", "indent": "fullwidth"}


def position(lines: list[str], line: int, needle: str, plus: int = 0, last: bool = False) -> dict:
    col = (lines[line].rindex(needle) if last else lines[line].index(needle)) + plus
    return {"line": line, "character": units(lines[line][:col], "utf-16")}


@pytest.fixture(scope="module")
def messages() -> dict:
    """One session with VS Code's recorded capabilities; every answer kept raw."""
    params = json.loads((CAPABILITIES / "vscode.json").read_text(encoding="utf-8"))
    params.pop("_recorded", None)
    params.update(processId=os.getpid(), rootUri=None, rootPath=None, workspaceFolders=None,
                  initializationOptions=SETTINGS)
    s = RawSession(params["capabilities"], settings=SETTINGS)
    try:
        out = {"InitializeResult": s.request("initialize", params)}
        s.notify("initialized", {})
        text = FIXTURE.read_text(encoding="utf-8")
        lines = text.split("\n")
        s.notify("textDocument/didOpen", {"textDocument": {"uri": URI, "languageId": "plaintext", "version": 1, "text": text}})
        td = {"uri": URI}
        p = position(lines, 5, "四个意识", 1)
        out["DocumentSymbolResult"] = s.request("textDocument/documentSymbol", {"textDocument": td})
        out["HoverResult"] = s.request("textDocument/hover", {"textDocument": td, "position": p})
        out["FoldingRangeResult"] = s.request("textDocument/foldingRange", {"textDocument": td})
        out["CodeLensResult"] = s.request("textDocument/codeLens", {"textDocument": td})
        out["DocumentHighlightResult"] = s.request("textDocument/documentHighlight", {"textDocument": td, "position": p})
        out["ReferencesResult"] = s.request("textDocument/references", {"textDocument": td, "position": p, "context": {"includeDeclaration": True}})
        # The second “四不” on line 8 refers to the first, where the draft defines it.
        out["DefinitionResult"] = s.request("textDocument/definition", {"textDocument": td, "position": position(lines, 8, "四不", 1, last=True)})
        out["WorkspaceSymbolResult"] = s.request("workspace/symbol", {"query": ""})
        out["InlayHintResult"] = s.request("textDocument/inlayHint", {"textDocument": td, "range": {"start": {"line": 0, "character": 0}, "end": {"line": len(lines), "character": 0}}})
        out["DocumentFormattingResult"] = s.request("textDocument/formatting", {"textDocument": td, "options": {"tabSize": 4, "insertSpaces": True}})
        out["SemanticTokensResult"] = s.request("textDocument/semanticTokens/full", {"textDocument": td})
        diags = [n["params"] for n in s.notifications if n["method"] == "textDocument/publishDiagnostics" and n["params"]["uri"] == URI]
        assert diags, "no publishDiagnostics"
        out["PublishDiagnosticsParams"] = diags[0]
        wrong = [d for d in diags[0]["diagnostics"] if d.get("code") == "wrong-form"]
        out["CodeActionResult"] = s.request("textDocument/codeAction", {"textDocument": td, "range": wrong[0]["range"], "context": {"diagnostics": wrong}})
        # VS Code resolves edits: fix-all, asked for no kind in particular, comes without
        # its edit, and codeAction/resolve supplies it.
        fix_all = next(a for a in out["CodeActionResult"] if a.get("kind") == "source.fixAll.jianggao")
        assert "edit" not in fix_all, fix_all
        out["CodeActionResolveResult"] = s.request("codeAction/resolve", fix_all)
        assert out["CodeActionResolveResult"]["edit"]["changes"][URI], out["CodeActionResolveResult"]
        # jianggao.statistics answers null and reports with window/showMessage.
        shown = len(s.notifications)
        out["ExecuteCommandResult"] = s.request("workspace/executeCommand", {"command": "jianggao.statistics", "arguments": [URI]})
        s.request("jianggao/statistics", {"textDocument": td})  # a round trip: the message has arrived
        out["ShowMessageParams"] = next(n["params"] for n in s.notifications[shown:] if n["method"] == "window/showMessage")
        # jianggao.applyEdit (the command form of a quick fix) makes the server send workspace/applyEdit.
        quickfix = next(a for a in out["CodeActionResult"] if a.get("kind") == "quickfix")
        s.request("workspace/executeCommand", {"command": "jianggao.applyEdit", "arguments": [quickfix["edit"]]})
        out["ApplyWorkspaceEditParams"] = next(r["params"] for r in s.server_requests if r["method"] == "workspace/applyEdit")
        s.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": len(lines) - 1, "character": 0}, "end": {"line": len(lines) - 1, "character": 0}}, "text": "要增强四个"}]})
        out["CompletionResult"] = s.request("textDocument/completion", {"textDocument": td, "position": {"line": len(lines) - 1, "character": 5}})
        out["_lines"] = lines
    finally:
        s.close()
    return out


# name → (TypeScript type in vscode-languageserver-protocol, lsprotocol type or None)
TYPES = {
    "InitializeResult": ("InitializeResult", types.InitializeResult),
    "DocumentSymbolResult": ("DocumentSymbol[] | SymbolInformation[] | null", types.DocumentSymbolResponse),
    "HoverResult": ("Hover | null", types.HoverResponse),
    "FoldingRangeResult": ("FoldingRange[] | null", types.FoldingRangeResponse),
    "CodeLensResult": ("CodeLens[] | null", types.CodeLensResponse),
    "DocumentHighlightResult": ("DocumentHighlight[] | null", types.DocumentHighlightResponse),
    "ReferencesResult": ("Location[] | null", types.ReferencesResponse),
    "DefinitionResult": ("Definition | DefinitionLink[] | null", types.DefinitionResponse),
    "WorkspaceSymbolResult": ("SymbolInformation[] | WorkspaceSymbol[] | null", types.WorkspaceSymbolResponse),
    "InlayHintResult": ("InlayHint[] | null", types.InlayHintResponse),
    "DocumentFormattingResult": ("TextEdit[] | null", types.DocumentFormattingResponse),
    "SemanticTokensResult": ("SemanticTokens | null", types.SemanticTokensResponse),
    "CompletionResult": ("CompletionItem[] | CompletionList | null", types.CompletionResponse),
    "PublishDiagnosticsParams": ("PublishDiagnosticsParams", types.PublishDiagnosticsParams),
    "CodeActionResult": ("(Command | CodeAction)[] | null", types.CodeActionResponse),
    "CodeActionResolveResult": ("CodeAction", types.CodeActionResolveResponse),
    "ExecuteCommandResult": ("LSPAny", None),
    "ShowMessageParams": ("ShowMessageParams", types.ShowMessageParams),
    "ApplyWorkspaceEditParams": ("ApplyWorkspaceEditParams", types.ApplyWorkspaceEditParams),
}


def test_typescript_declarations_accept_every_message(messages):
    tsc = VSCODE / "node_modules" / "typescript" / "bin" / "tsc"
    proto = VSCODE / "node_modules" / "vscode-languageserver-protocol"
    if not tsc.exists() or not proto.exists():
        pytest.skip("editors/vscode/node_modules missing (run editors/vscode/ci.sh first)")
    version = json.loads((proto / "package.json").read_text())["version"]
    names = sorted({t for ts, _ in TYPES.values() for t in
                    ts.replace("(", " ").replace(")", " ").replace("[]", " ").replace("|", " ").split()} - {"null"})
    src = [f"import type {{ {', '.join(names)} }} from {json.dumps(str(proto / 'lib' / 'common' / 'api'))};", ""]
    for name, (ts, _) in TYPES.items():
        src.append(f"export const msg{name}: {ts} = {json.dumps(messages[name], ensure_ascii=False, indent=1)};")
    with tempfile.TemporaryDirectory() as d:
        f = pathlib.Path(d) / "messages.ts"
        f.write_text("\n".join(src), encoding="utf-8")
        r = subprocess.run(
            ["node", str(tsc), "--strict", "--noEmit", "--skipLibCheck", "--target", "es2022",
             "--module", "commonjs", "--moduleResolution", "node", str(f)],
            capture_output=True, text=True, timeout=120,
        )
        assert r.returncode == 0, f"tsc (vscode-languageserver-protocol {version}) rejects a server message:\n{r.stdout}{r.stderr}"


@pytest.mark.parametrize("name", [n for n, (_, t) in TYPES.items() if t is not None])
def test_lsprotocol_round_trip(messages, name):
    converter = default_converter()
    typ = TYPES[name][1]
    raw = messages[name]
    if typ.__name__.endswith("Response"):  # a whole JSON-RPC response envelope
        envelope = {"id": 1, "jsonrpc": "2.0", "result": raw}
        value = converter.structure(envelope, typ)
        back = json.loads(json.dumps(converter.unstructure(value, unstructure_as=typ)))["result"]
    else:
        value = converter.structure(raw, typ)
        back = json.loads(json.dumps(converter.unstructure(value, unstructure_as=typ)))
    assert back == raw, f"{name} changed in the lsprotocol round trip:\nraw:  {json.dumps(raw, ensure_ascii=False)[:2000]}\nback: {json.dumps(back, ensure_ascii=False)[:2000]}"


def rng(sl: int, sc: int, el: int, ec: int) -> dict:
    return {"start": {"line": sl, "character": sc}, "end": {"line": el, "character": ec}}


def test_every_message_has_content(messages):
    """No answer is checked empty: each has content here, except executeCommand,
    which is null by design (the statistics go to window/showMessage)."""
    empty = [n for n in TYPES if n != "ExecuteCommandResult" and messages[n] in (None, [], {})]
    assert not empty, f"null or empty answers: {empty}"
    assert messages["ExecuteCommandResult"] is None


def test_answers_have_the_expected_content(messages):
    lines = messages["_lines"]
    at = lambda r: text_at(lines, r, "utf-16")  # noqa: E731
    # Definition: from the second “四不” on line 8 to the first, where it is defined.
    d = messages["DefinitionResult"]
    assert d["uri"] == URI and at(d["range"]) == "四不"
    assert d["range"]["start"]["character"] == units(lines[8][: lines[8].index("四不")], "utf-16")
    # Inlay hint: the items of 四个意识, right after its closing quote.
    assert messages["InlayHintResult"] == [{
        "label": "（政治意识、大局意识、核心意识、看齐意识）",
        "paddingLeft": False, "paddingRight": False,
        "position": {"line": 5, "character": units(lines[5][: lines[5].index("”") + 1], "utf-16")},
    }]
    # Formatting: line 8's ASCII indentation and half-width punctuation.
    edits = sorted(messages["DocumentFormattingResult"], key=lambda e: e["range"]["start"]["character"])
    assert [(at(e["range"]), e["newText"]) for e in edits] == [("  ", "　　"), (",", "，"), (".", "。")]
    assert all(e["range"]["start"]["line"] == 7 for e in edits)
    # Folding: the title (lines 0–8) and the two sections.
    assert sorted((f["startLine"], f["endLine"]) for f in messages["FoldingRangeResult"]) == [(0, 8), (4, 5), (6, 8)]
    # Code lenses: the whole draft, and its one top-level section (the title).
    assert [c["command"]["title"] for c in messages["CodeLensResult"]] == ["全文 130 字 · 约 1 分钟", "本节 130 字 · 约 1 分钟"]
    # Highlight and references: 四个意识 on line 5.
    assert [at(h["range"]) for h in messages["DocumentHighlightResult"]] == ["四个意识"]
    assert [(r["uri"], at(r["range"])) for r in messages["ReferencesResult"]] == [(URI, "四个意识")]
    # Workspace symbols (no workspace folder: the open draft's outline).
    assert [s["name"] for s in messages["WorkspaceSymbolResult"]] == [
        "在𠮷祥村😀座谈会上的讲话", "一、提高政治站位", "一是聚焦理论学习", "二是聚焦基层治理", "二、狠抓工作落实"]
    # The applyEdit request carries the quick fix.
    change = messages["ApplyWorkspaceEditParams"]["edit"]["changes"][URI]
    assert [(at(e["range"]), e["newText"]) for e in change] == [("党的十九精神", "党的十九大精神")]


def test_statistics_command_reports_by_message(messages):
    from test_protocol import expect

    shown = messages["ShowMessageParams"]
    assert shown["type"] == 3  # Info
    expect(shown["message"] == "讲稿.txt：130 字，约 1 分钟", f"message {shown['message']!r}", "statistics-file-name")
