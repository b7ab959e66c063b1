"""Protocol suite: the real server driven by pytest-lsp with the recorded
`initialize` capabilities of real clients (capabilities/*.json).

For each client: initialize (position encoding), didOpen → publishDiagnostics,
documentSymbol, hover, didChange → completion, codeAction, formatting (the exact
text, and nothing more to do the second time), semanticTokens/full (types and
modifiers) and shutdown; pytest-lsp's own spec checks (snippets,
documentation formats, … versus the client's capabilities) are turned into
errors by pytest.ini.
"""

from __future__ import annotations

import asyncio
import json
import pathlib

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient
from pytest_lsp.checks import LspSpecificationWarning

from conftest import CAPABILITIES, FIXTURE, TIMEOUT, server_bin, text_at, units

CLIENTS = {
    "vscode": CAPABILITIES / "vscode.json",
    "neovim": CAPABILITIES / "neovim.json",
    "eglot": CAPABILITIES / "eglot.json",
    # No capabilities at all: the server must fall back to utf-16, flat symbols, …
    "bare": None,
}


def recorded_params(name: str) -> dict:
    path = CLIENTS[name]
    if path is None:
        return {"capabilities": {}, "clientInfo": {"name": "bare"}}
    return json.loads(path.read_text(encoding="utf-8"))


# The user's settings in every session (sent as initializationOptions and as the
# answer to workspace/configuration, as the real clients do): formatting indents
# paragraphs with two ideographic spaces.
SETTINGS = {"speakingRate": 220, "rules": {}, "inlayHints": {"enable": False}, "glossaryPath": "", "indent": "fullwidth"}


def typed_params(name: str) -> types.InitializeParams:
    raw = dict(recorded_params(name))
    raw.pop("_recorded", None)
    raw.update(processId=None, rootUri=None, rootPath=None, workspaceFolders=None, trace="off",
               initializationOptions=SETTINGS)
    return default_converter().structure(raw, types.InitializeParams)


async def bounded(aw, what: str):
    try:
        return await asyncio.wait_for(aw, TIMEOUT)
    except asyncio.TimeoutError:
        raise AssertionError(f"timed out after {TIMEOUT}s: {what}") from None


@pytest_lsp.fixture(
    params=list(CLIENTS),
    config=ClientServerConfig(server_command=[server_bin(), "lsp"]),
)
async def client(lsp_client: LanguageClient, request):
    lsp_client.client_name = request.param
    lsp_client.registrations = []

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def _register(params: types.RegistrationParams):
        lsp_client.registrations.extend(params.registrations)

    @lsp_client.feature(types.CLIENT_UNREGISTER_CAPABILITY)
    def _unregister(params: types.UnregistrationParams):
        return None

    lsp_client.set_configuration(SETTINGS, section="jianggao")
    lsp_client.init_params = typed_params(request.param)
    lsp_client.init_result = await bounded(lsp_client.initialize_session(lsp_client.init_params), "initialize")
    yield
    # Teardown: shutdown + exit (tested explicitly in test_shutdown as well).
    if lsp_client.init_result is not None and not getattr(lsp_client, "shut_down", False):
        await bounded(lsp_client.shutdown_session(), "shutdown")


def encoding_of(client: LanguageClient) -> str:
    return client.init_result.capabilities.position_encoding or "utf-16"


def offered(client: LanguageClient) -> list[str]:
    general = client.init_params.capabilities.general
    return list(general.position_encodings or []) if general else []


URI = FIXTURE.resolve().as_uri()

# Server bugs found by this suite (see editors/e2e/README.md).  A check that
# hits one of these reports xfail instead of failing; once the server is
# fixed the same check simply passes.  Remove an entry when it is fixed.
KNOWN_SERVER_BUGS: dict[str, str] = {}


def expect(cond: bool, msg: str, known: str | None = None) -> None:
    if cond:
        return
    if known in KNOWN_SERVER_BUGS:
        pytest.xfail(f"known server bug [{known}]: {KNOWN_SERVER_BUGS[known]} — {msg}")
    raise AssertionError(msg)


async def open_fixture(client: LanguageClient) -> list[str]:
    text = FIXTURE.read_text(encoding="utf-8")
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=URI, language_id="plaintext", version=1, text=text)
        )
    )
    await bounded(_wait_diagnostics(client, lambda d: any(x.code == "wrong-form" for x in d)), "publishDiagnostics")
    return text.split("\n")


async def _wait_diagnostics(client: LanguageClient, pred):
    while not pred(client.diagnostics.get(URI, [])):
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)


def pos(lines: list[str], line: int, needle: str, enc: str, plus: int = 0) -> types.Position:
    col = lines[line].index(needle) + plus
    return types.Position(line=line, character=units(lines[line][:col], enc))


# ------------------------------------------------------------------ tests
async def test_initialize_position_encoding(client: LanguageClient):
    enc = client.init_result.capabilities.position_encoding
    if offered(client):
        assert enc in offered(client), f"server chose {enc}, client offered {offered(client)}"
        assert enc == offered(client)[0], "server should pick the client's first supported encoding"
    else:
        assert enc in (None, "utf-16"), f"no encodings offered, server chose {enc}"
    assert client.init_result.server_info and client.init_result.server_info.name == "jianggao"


async def test_publish_diagnostics(client: LanguageClient):
    lines = await open_fixture(client)
    enc = encoding_of(client)
    wrong = [d for d in client.diagnostics[URI] if d.code == "wrong-form"]
    assert len(wrong) == 1
    assert wrong[0].range.start.line == 5
    assert text_at(lines, wrong[0].range, enc) == "党的十九精神"
    assert wrong[0].severity == types.DiagnosticSeverity.Error
    assert wrong[0].source == "jianggao"


async def test_document_symbol(client: LanguageClient):
    lines = await open_fixture(client)
    enc = encoding_of(client)
    result = await bounded(
        client.text_document_document_symbol_async(
            types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=URI))
        ),
        "documentSymbol",
    )
    assert result, "no symbols"
    caps = client.init_params.capabilities
    hierarchical = bool(
        caps.text_document
        and caps.text_document.document_symbol
        and caps.text_document.document_symbol.hierarchical_document_symbol_support
    )
    if hierarchical:
        assert isinstance(result[0], types.DocumentSymbol), "client supports hierarchy, got flat symbols"
        title = result[0]
        assert "讲话" in title.name
        points = [c.name for c in title.children or []]
        assert points[:2] == ["一、提高政治站位", "二、狠抓工作落实"], points
        runs = title.children[0].children or []
        assert [r.name for r in runs][:2] == ["一是聚焦理论学习", "二是聚焦基层治理"]
        assert text_at(lines, runs[0].selection_range, enc).startswith("一是")
    else:
        assert isinstance(result[0], types.SymbolInformation), "client lacks hierarchy support, got DocumentSymbol"
        by_name = {s.name: s for s in result}
        assert by_name["一是聚焦理论学习"].container_name == "一、提高政治站位"
        assert text_at(lines, by_name["一是聚焦理论学习"].location.range, enc).startswith("一是")


async def test_hover(client: LanguageClient):
    lines = await open_fixture(client)
    enc = encoding_of(client)
    result = await bounded(
        client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=URI), position=pos(lines, 5, "四个意识", enc, 1)
            )
        ),
        "hover",
    )
    assert result is not None
    assert isinstance(result.contents, types.MarkupContent), result.contents
    caps = client.init_params.capabilities
    formats = (caps.text_document and caps.text_document.hover and caps.text_document.hover.content_format) or []
    assert "政治意识" in result.contents.value
    if formats:
        expect(result.contents.kind in formats, f"hover kind {result.contents.kind}, client accepts {formats}", "markup-format")
    assert result.range and text_at(lines, result.range, enc) == "四个意识"


async def test_completion_after_change(client: LanguageClient):
    lines = await open_fixture(client)
    enc = encoding_of(client)
    last = len(lines) - 1  # the fixture ends with a newline: lines[last] == ""
    typed = "　　𠮷😀要牢固树立四个"
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(start=types.Position(line=last, character=0), end=types.Position(line=last, character=0)),
                    text=typed,
                )
            ],
        )
    )
    lines[last] = typed
    try:
        result = await bounded(
            client.text_document_completion_async(
                types.CompletionParams(
                    text_document=types.TextDocumentIdentifier(uri=URI),
                    position=types.Position(line=last, character=units(typed, enc)),
                )
            ),
            "completion",
        )
    except LspSpecificationWarning as w:  # pytest-lsp's capability check, made an error by pytest.ini
        expect("documentation format" not in str(w), f"completion: {w}", "markup-format")
        raise
    items = result.items if isinstance(result, types.CompletionList) else result
    item = next((i for i in items if i.label == "四个意识"), None)
    assert item, [i.label for i in items][:20]
    assert item.text_edit is not None, "completion without textEdit"
    rng = item.text_edit.range if isinstance(item.text_edit, types.TextEdit) else item.text_edit.replace
    assert text_at(lines, rng, enc) == "四个"
    assert item.text_edit.new_text.startswith("四个意识")


async def test_code_action_quickfix(client: LanguageClient):
    lines = await open_fixture(client)
    enc = encoding_of(client)
    diag = next(d for d in client.diagnostics[URI] if d.code == "wrong-form")
    result = await bounded(
        client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=URI),
                range=diag.range,
                context=types.CodeActionContext(diagnostics=[diag]),
            )
        ),
        "codeAction",
    )
    assert result, "no code actions"
    caps = client.init_params.capabilities
    literals = bool(
        caps.text_document and caps.text_document.code_action and caps.text_document.code_action.code_action_literal_support
    )
    if not literals:
        # LSP: without codeActionLiteralSupport only Commands may be returned.
        expect(
            all(isinstance(a, types.Command) for a in result),
            "client lacks codeActionLiteralSupport but got CodeAction literals: " + ", ".join(a.title for a in result),
            "code-action-literals",
        )
        return
    fix = next(a for a in result if isinstance(a, types.CodeAction) and a.kind == types.CodeActionKind.QuickFix)
    edits = []
    if fix.edit.changes:
        edits = fix.edit.changes[URI]
    for dc in fix.edit.document_changes or []:
        edits += dc.edits
    assert edits, fix
    assert text_at(lines, edits[0].range, enc) in ("党的十九精神", "九", "")
    line = lines[5]
    from conftest import index_of

    s = index_of(line, edits[0].range.start.character, enc)
    e = index_of(line, edits[0].range.end.character, enc)
    assert "贯彻党的十九大精神。" in line[:s] + edits[0].new_text + line[e:]


def apply_edits(lines: list[str], edits, enc: str) -> list[str]:
    """LINES with single-line TEXTEDITS applied (positions in ENC), last first."""
    from conftest import index_of

    out = list(lines)
    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        assert e.range.start.line == e.range.end.line, f"multi-line edit {e}"
        line = out[e.range.start.line]
        s = index_of(line, e.range.start.character, enc)
        t = index_of(line, e.range.end.character, enc)
        out[e.range.start.line] = line[:s] + e.new_text + line[t:]
    return out


async def settings_in_force(client: LanguageClient) -> None:
    """Wait until start-up is over: the server has pulled the client's settings
    and logs the knowledge in force ("knowledge: …")."""
    while not any("knowledge:" in m.message for m in client.log_messages):
        await client.wait_for_notification(types.WINDOW_LOG_MESSAGE)


async def test_formatting(client: LanguageClient):
    lines = await open_fixture(client)
    enc = encoding_of(client)
    await bounded(settings_in_force(client), "the settings to be applied")

    async def formatting():
        return await bounded(
            client.text_document_formatting_async(
                types.DocumentFormattingParams(
                    text_document=types.TextDocumentIdentifier(uri=URI),
                    options=types.FormattingOptions(tab_size=4, insert_spaces=True),
                )
            ),
            "formatting",
        )

    edits = await formatting()
    assert edits, "no formatting edits, but line 8 has ASCII indentation and half-width punctuation"
    assert lines[7] == "  要坚持问题导向,确保各项任务落到实处."
    expected = list(lines)
    expected[7] = "　　要坚持问题导向，确保各项任务落到实处。"
    formatted = apply_edits(lines, edits, enc)
    assert formatted == expected, [e for e in edits]
    # The formatted text, sent back as the editor would: formatting again changes nothing.
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text="\n".join(formatted))],
        )
    )
    again = await formatting()
    assert again is not None and len(again) == 0, again


async def test_semantic_tokens_full(client: LanguageClient):
    lines = await open_fixture(client)
    enc = encoding_of(client)
    provider = client.init_result.capabilities.semantic_tokens_provider
    assert provider is not None
    legend = provider.legend.token_types
    result = await bounded(
        client.text_document_semantic_tokens_full_async(
            types.SemanticTokensParams(text_document=types.TextDocumentIdentifier(uri=URI))
        ),
        "semanticTokens/full",
    )
    modifiers = provider.legend.token_modifiers
    data = result.data
    assert len(data) % 5 == 0 and data
    line = col = 0
    tokens = []
    for i in range(0, len(data), 5):
        dl, dc, length, ttype, mods = data[i : i + 5]
        line += dl
        col = dc if dl else col + dc
        assert ttype < len(legend)
        assert mods < 1 << len(modifiers)
        r = {"start": {"line": line, "character": col}, "end": {"line": line, "character": col + length}}
        names = tuple(m for k, m in enumerate(modifiers) if mods & (1 << k))
        tokens.append((line, text_at(lines, r, enc), legend[ttype], names))
    # The formula (built in: defaultLibrary), the points, the learned 四不 (its definition).
    assert (5, "四个意识", "macro", ("defaultLibrary",)) in tokens, tokens
    assert (5, "一是", "keyword", ()) in tokens, tokens
    assert (8, "四不", "enumMember", ("definition",)) in tokens, tokens
    assert (8, "四不", "enumMember", ()) in tokens, tokens


async def test_shutdown(client: LanguageClient):
    await open_fixture(client)
    await bounded(client.shutdown_session(), "shutdown + exit")
    client.shut_down = True
    assert client._server.returncode == 0


async def test_dynamic_registration_only_when_supported(client: LanguageClient):
    await open_fixture(client)
    await asyncio.sleep(0.2)  # registrations follow `initialized`
    caps = client.init_params.capabilities
    watched = caps.workspace and caps.workspace.did_change_watched_files
    dynamic = bool(watched and watched.dynamic_registration)
    methods = [r.method for r in client.registrations]
    if not dynamic:
        assert types.WORKSPACE_DID_CHANGE_WATCHED_FILES not in methods, (
            "server registered workspace/didChangeWatchedFiles although the client has no dynamicRegistration for it"
        )
    else:
        assert types.WORKSPACE_DID_CHANGE_WATCHED_FILES in methods, methods
