#!/usr/bin/env node
'use strict';
// Runs the real vscode-languageclient 11 (from editors/vscode/node_modules)
// against the real jianggao server, with a stub `vscode` module instead of
// the editor.  It checks that every capability and every answer of the server
// goes through the client library's own code: initialize (including its
// "Unsupported position encoding" check), feature registration from the
// announced capabilities, didOpen/didChange, and the protocol converters (p2c)
// of diagnostics, symbols, hover, completion, code actions, formatting,
// semantic tokens, folding, code lenses, highlights, references, definition,
// workspace symbols and inlay hints.
//
//   node headless-client.js run     SERVER FIXTURE      # prints PASS/FAIL lines
//   node headless-client.js record  SERVER FIXTURE OUT  # writes the initialize params VS Code's client sends

const path = require('path');
const fs = require('fs');
const stubModule = require('./vscode-stub');
const vscode = stubModule.install();

const VSCODE_DIR = process.env.JIANGGAO_VSCODE_DIR || path.resolve(__dirname, '../../vscode');
const lcPath = require.resolve('vscode-languageclient/node', { paths: [VSCODE_DIR] });
const { LanguageClient } = require(lcPath);
const lcVersion = require(path.join(VSCODE_DIR, 'node_modules', 'vscode-languageclient', 'package.json')).version;

const TIMEOUT_MS = Number(process.env.JIANGGAO_E2E_TIMEOUT_MS || 15000);

function withTimeout(promise, what, ms = TIMEOUT_MS) {
    let timer;
    return Promise.race([
        promise.finally(() => clearTimeout(timer)),
        new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms); }),
    ]);
}

// A TextDocument as VS Code presents it: UTF-16 offsets (JavaScript strings).
class FakeDocument {
    constructor(uri, languageId, text) {
        this.uri = uri;
        this.fileName = uri.fsPath;
        this.languageId = languageId;
        this.version = 1;
        this.isDirty = false;
        this.isClosed = false;
        this.isUntitled = false;
        this.eol = 1;
        this.setText(text);
    }
    setText(text) { this._text = text; this._lines = text.split('\n'); }
    get lineCount() { return this._lines.length; }
    offsetAt(pos) {
        let off = 0;
        for (let i = 0; i < pos.line && i < this._lines.length; i++) off += this._lines[i].length + 1;
        return off + Math.min(pos.character, (this._lines[pos.line] || '').length);
    }
    positionAt(offset) {
        let line = 0;
        while (line < this._lines.length - 1 && offset > this._lines[line].length) { offset -= this._lines[line].length + 1; line++; }
        return new vscode.Position(line, offset);
    }
    getText(range) {
        if (!range) return this._text;
        return this._text.slice(this.offsetAt(range.start), this.offsetAt(range.end));
    }
    lineAt(lineOrPos) {
        const line = typeof lineOrPos === 'number' ? lineOrPos : lineOrPos.line;
        const text = this._lines[line];
        return { lineNumber: line, text, range: new vscode.Range(line, 0, line, text.length), isEmptyOrWhitespace: !text.trim() };
    }
    getWordRangeAtPosition() { return undefined; }
    validateRange(r) { return r; }
    validatePosition(p) { return p; }
    save() { return Promise.resolve(true); }
    // Apply an edit and return the contentChanges entry VS Code would report.
    edit(range, text) {
        const rangeOffset = this.offsetAt(range.start);
        const rangeLength = this.offsetAt(range.end) - rangeOffset;
        this.setText(this._text.slice(0, rangeOffset) + text + this._text.slice(rangeOffset + rangeLength));
        this.version++;
        return { range, rangeOffset, rangeLength, text };
    }
}

const token = new vscode.CancellationTokenSource().token;

// The extension's default settings (what `record` captures) …
const DEFAULT_SETTINGS = { speakingRate: 220, rules: {}, inlayHints: { enable: false }, glossaryPath: '', indent: 'keep' };
// … and a user's who turned inlay hints on and asked for indented paragraphs (`run`).
const USER_SETTINGS = { ...DEFAULT_SETTINGS, inlayHints: { enable: true }, indent: 'fullwidth' };

function makeClient(serverPath, onInitParams, settings = DEFAULT_SETTINGS) {
    // VS Code's settings: read by the library for workspace/configuration.
    vscode.settings.jianggao = JSON.parse(JSON.stringify(settings));
    const output = vscode.window.createOutputChannel('Jianggao 讲稿');
    const client = new LanguageClient('jianggao', 'Jianggao 讲稿',
        { command: serverPath, args: ['lsp'] },
        {
            // Same shape as editors/vscode/src/extension.ts.
            documentSelector: [{ language: 'plaintext' }, { language: 'markdown' }],
            initializationOptions: () => JSON.parse(JSON.stringify(settings)),
            outputChannel: output,
            synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/jianggao.toml') },
        });
    const original = client.doInitialize.bind(client);
    client.doInitialize = async (connection, params) => {
        if (onInitParams) onInitParams(params);
        const result = await original(connection, params);
        client.__initializeResult = result;
        return result;
    };
    return client;
}

function provider(name) {
    const list = vscode.registered[name] || [];
    if (list.length === 0) throw new Error(`no ${name} registration (capability not picked up by the client)`);
    return list[list.length - 1].provider;
}

function waitForDiagnostics(uri, predicate, what) {
    return withTimeout(new Promise((resolve) => {
        const check = () => {
            const d = vscode.diagnostics.get(uri.toString());
            if (d && predicate(d)) { sub.dispose(); resolve(d); return true; }
            return false;
        };
        const sub = { dispose: () => {} };
        if (check()) return;
        const s = vscode.diagnosticsChanged(() => check());
        sub.dispose = () => s.dispose();
    }), what);
}

function flatten(symbols) {
    const out = [];
    const walk = (list, depth) => { for (const s of list || []) { out.push({ s, depth }); walk(s.children, depth + 1); } };
    walk(symbols, 0);
    return out;
}

async function run(serverPath, fixture) {
    const results = [];
    const test = async (name, fn) => {
        try {
            const note = await fn();
            results.push(true);
            console.log(`PASS vscode-languageclient: ${name}${note ? ' (' + note + ')' : ''}`);
        } catch (e) {
            results.push(false);
            console.log(`FAIL vscode-languageclient: ${name}: ${e && e.stack ? e.stack.split('\n').slice(0, 3).join(' | ') : e}`);
        }
    };
    const assert = (cond, msg) => { if (!cond) throw new Error(msg); };

    const client = makeClient(serverPath, undefined, USER_SETTINGS);
    const text = fs.readFileSync(fixture, 'utf8');
    const uri = vscode.Uri.file(path.resolve(fixture));
    const doc = new FakeDocument(uri, 'plaintext', text);
    const line5 = doc.lineAt(5).text;

    let started = false;
    await test(`start + initialize (vscode-languageclient ${lcVersion})`, async () => {
        await withTimeout(client.start(), 'client.start()');
        started = true;
        const enc = client.__initializeResult.capabilities.positionEncoding;
        assert(enc === undefined || enc === 'utf-16', `positionEncoding ${enc}, VS Code offers only utf-16`);
        return `positionEncoding ${enc}`;
    });
    if (!started) {
        console.log(vscode.outputLines.join('\n'));
        return results;
    }

    await test('every announced provider capability is registered', async () => {
        const caps = client.__initializeResult.capabilities;
        const expect = {
            hoverProvider: 'registerHoverProvider', completionProvider: 'registerCompletionItemProvider',
            documentSymbolProvider: 'registerDocumentSymbolProvider', codeActionProvider: 'registerCodeActionsProvider',
            documentFormattingProvider: 'registerDocumentFormattingEditProvider', foldingRangeProvider: 'registerFoldingRangeProvider',
            codeLensProvider: 'registerCodeLensProvider', documentHighlightProvider: 'registerDocumentHighlightProvider',
            referencesProvider: 'registerReferenceProvider', definitionProvider: 'registerDefinitionProvider',
            workspaceSymbolProvider: 'registerWorkspaceSymbolProvider', inlayHintProvider: 'registerInlayHintsProvider',
            semanticTokensProvider: 'registerDocumentSemanticTokensProvider',
        };
        const missing = Object.entries(expect).filter(([cap, reg]) => caps[cap] && !(vscode.registered[reg] || []).length).map(([c]) => c);
        assert(missing.length === 0, `announced but not registered by the client: ${missing.join(', ')}`);
        if (caps.executeCommandProvider) {
            for (const c of caps.executeCommandProvider.commands) assert(vscode.commands_.has(c), `command ${c} not registered`);
        }
        return Object.keys(caps).length + ' capabilities';
    });

    // Open the document the way VS Code does.
    vscode.workspace.textDocuments.push(doc);
    vscode.workspace.onDidOpenTextDocument.fire(doc);

    let diag;
    await test('didOpen → publishDiagnostics converted (wrong-form at the right UTF-16 range)', async () => {
        const diags = await waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'wrong-form' || (x.code && x.code.value === 'wrong-form')), 'wrong-form diagnostic');
        diag = diags.find((x) => x.code === 'wrong-form' || (x.code && x.code.value === 'wrong-form'));
        assert(diag instanceof vscode.Diagnostic, 'not a vscode.Diagnostic');
        assert(doc.getText(diag.range) === '党的十九精神', `range covers ${JSON.stringify(doc.getText(diag.range))}`);
        assert(diag.severity === vscode.DiagnosticSeverity.Error, `severity ${diag.severity}`);
        return `${diags.length} diagnostic(s)`;
    });

    await test('documentSymbol → DocumentSymbol tree', async () => {
        const syms = await withTimeout(Promise.resolve(provider('registerDocumentSymbolProvider').provideDocumentSymbols(doc, token)), 'documentSymbol');
        assert(Array.isArray(syms) && syms.length > 0, 'no symbols');
        assert(syms[0] instanceof vscode.DocumentSymbol, 'flat SymbolInformation although hierarchical support was offered');
        const flat = flatten(syms);
        const find = (name) => flat.find(({ s }) => s.name.includes(name));
        const p1 = find('一、'), p2 = find('二、'), run1 = find('一是');
        assert(p1 && p2 && run1, 'missing 一、/二、/一是: ' + flat.map(({ s }) => s.name).join(' | '));
        assert(p1.s.children.includes(run1.s), '一是 is not a child of 一、');
        assert(doc.getText(run1.s.selectionRange).startsWith('一是'), `一是 selectionRange covers ${JSON.stringify(doc.getText(run1.s.selectionRange))}`);
        return flat.map(({ s, depth }) => '  '.repeat(depth) + s.name).join(' / ');
    });

    await test('hover on 四个意识 → MarkdownString with 政治意识', async () => {
        const col = line5.indexOf('四个意识') + 1;
        const hover = await withTimeout(Promise.resolve(provider('registerHoverProvider').provideHover(doc, new vscode.Position(5, col), token)), 'hover');
        assert(hover instanceof vscode.Hover, 'no Hover');
        const md = hover.contents.map((c) => c.value || c).join('\n');
        assert(md.includes('政治意识'), 'hover text: ' + md.slice(0, 200));
        assert(hover.range && doc.getText(hover.range) === '四个意识', 'hover range covers ' + (hover.range && JSON.stringify(doc.getText(hover.range))));
    });

    await test('didChange (incremental) + completion after 四个 → 四个意识 with a textEdit range', async () => {
        const end = new vscode.Position(doc.lineCount - 1, doc.lineAt(doc.lineCount - 1).text.length);
        const typed = '\n　　𠮷😀要牢固树立四个';
        const change = doc.edit(new vscode.Range(end, end), typed);
        vscode.workspace.onDidChangeTextDocument.fire({ document: doc, contentChanges: [change], reason: undefined });
        let last = doc.lineCount - 1;
        if (doc.lineAt(last).text === '') last--; // fixture ends with a newline
        const lineText = doc.lineAt(last).text;
        const pos = new vscode.Position(last, lineText.length);
        const res = await withTimeout(Promise.resolve(provider('registerCompletionItemProvider').provideCompletionItems(doc, pos, token, { triggerKind: 0 })), 'completion');
        const items = Array.isArray(res) ? res : res.items;
        const item = items.find((i) => (typeof i.label === 'string' ? i.label : i.label.label) === '四个意识');
        assert(item, 'no 四个意识 among ' + items.slice(0, 10).map((i) => i.label).join(', '));
        const range = item.range && (item.range.replacing || item.range);
        assert(range, 'completion item without range (textEdit not converted)');
        assert(doc.getText(range) === '四个', `textEdit range covers ${JSON.stringify(doc.getText(range))}, expected 四个`);
        const insert = item.insertText && (item.insertText.value !== undefined ? item.insertText.value : item.insertText);
        assert(typeof insert === 'string' && insert.startsWith('四个意识'), 'insertText ' + JSON.stringify(insert));
        // Undo the typing so the remaining checks see the fixture.
        const start = doc.positionAt(doc.offsetAt(end));
        const endNow = doc.positionAt(doc.offsetAt(end) + typed.length);
        const undo = doc.edit(new vscode.Range(start, endNow), '');
        vscode.workspace.onDidChangeTextDocument.fire({ document: doc, contentChanges: [undo], reason: undefined });
        return `${items.length} items`;
    });

    await test('codeAction on wrong-form → quickfix inserting 党的十九大精神', async () => {
        assert(diag, 'no diagnostic from the earlier step');
        const actions = await withTimeout(Promise.resolve(provider('registerCodeActionsProvider').provideCodeActions(doc, diag.range,
            { diagnostics: [diag], only: undefined, triggerKind: vscode.CodeActionTriggerKind.Invoke }, token)), 'codeAction');
        assert(Array.isArray(actions) && actions.length, 'no code actions');
        const fix = actions.find((a) => a.kind && a.kind.value === 'quickfix' && a.edit);
        assert(fix, 'no quickfix with an edit: ' + actions.map((a) => a.title).join(', '));
        const edits = fix.edit.entries().flatMap(([, e]) => e);
        assert(edits.length, 'empty WorkspaceEdit');
        const e = edits[0];
        const after = doc.getText().slice(0, doc.offsetAt(e.range.start)) + e.newText + doc.getText().slice(doc.offsetAt(e.range.end));
        assert(after.split('\n')[5].includes('党的十九大精神'), 'after the edit: ' + after.split('\n')[5]);
        return fix.title;
    });

    // Apply TextEdits to the document as VS Code does (last first) and report the change.
    const applyEdits = (edits) => {
        const sorted = [...edits].sort((a, b) => doc.offsetAt(b.range.start) - doc.offsetAt(a.range.start));
        const changes = sorted.map((e) => doc.edit(e.range, e.newText));
        vscode.workspace.onDidChangeTextDocument.fire({ document: doc, contentChanges: changes, reason: undefined });
    };

    await test('formatting → TextEdit[] giving the exact text; formatting again changes nothing', async () => {
        const format = () => withTimeout(Promise.resolve(provider('registerDocumentFormattingEditProvider').provideDocumentFormattingEdits(doc, { tabSize: 4, insertSpaces: true }, token)), 'formatting');
        const edits = await format();
        assert(Array.isArray(edits) && edits.every((e) => e instanceof vscode.TextEdit), 'not TextEdit[]: ' + JSON.stringify(edits));
        const lines = text.split('\n');
        assert(lines[7] === '  要坚持问题导向,确保各项任务落到实处.', 'fixture line 8 changed');
        lines[7] = '　　要坚持问题导向，确保各项任务落到实处。';
        applyEdits(edits);
        assert(doc.getText() === lines.join('\n'), 'text after formatting:\n' + doc.getText());
        const again = await format();
        assert(Array.isArray(again) && again.length === 0, 'formatting again: ' + JSON.stringify(again));
        return `${edits.length} edits on line 8, then none`;
    });

    await test('semanticTokens/full → SemanticTokens: 四个意识 is a macro with defaultLibrary', async () => {
        const reg = vscode.registered.registerDocumentSemanticTokensProvider[0];
        const legend = reg.args[0];
        assert(legend && legend.tokenTypes.includes('keyword'), 'legend: ' + JSON.stringify(legend));
        const tokens = await withTimeout(Promise.resolve(reg.provider.provideDocumentSemanticTokens(doc, token)), 'semanticTokens');
        assert(tokens instanceof vscode.SemanticTokens && tokens.data.length % 5 === 0 && tokens.data.length > 0, 'bad tokens');
        const decoded = [];
        let line = 0, col = 0;
        for (let i = 0; i < tokens.data.length; i += 5) {
            const [dl, dc, len, type, mods] = tokens.data.slice(i, i + 5);
            line += dl; col = dl ? dc : col + dc;
            const names = legend.tokenModifiers.filter((_, k) => mods & (1 << k));
            decoded.push(`${line}:${doc.lineAt(line).text.slice(col, col + len)}:${legend.tokenTypes[type]}:${names.join('+')}`);
        }
        for (const want of ['5:四个意识:macro:defaultLibrary', '5:一是:keyword:', '8:四不:enumMember:definition', '8:四不:enumMember:']) {
            assert(decoded.includes(want), `no ${want} among ${decoded.join(' ')}`);
        }
        return `${decoded.length} tokens`;
    });

    await test('other providers convert, each with content (folding, codeLens, highlight, references, definition, workspaceSymbol, inlayHint)', async () => {
        const at = (r) => doc.getText(r);
        const pos = new vscode.Position(5, line5.indexOf('四个意识') + 1);
        const line8 = doc.lineAt(8).text;
        const second = new vscode.Position(8, line8.lastIndexOf('四不') + 1);
        const call = (name, fn) => withTimeout(Promise.resolve(fn()), name);
        const eq = (got, want, what) => assert(JSON.stringify(got) === JSON.stringify(want), `${what}: ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);

        const folding = await call('folding', () => provider('registerFoldingRangeProvider').provideFoldingRanges(doc, {}, token));
        eq(folding.map((f) => [f.start, f.end]).sort((a, b) => a[0] - b[0]), [[0, 8], [4, 5], [6, 8]], 'folding ranges');
        const lenses = await call('codeLens', () => provider('registerCodeLensProvider').provideCodeLenses(doc, token));
        eq(lenses.map((l) => l.command.title), ['全文 130 字 · 约 1 分钟', '本节 130 字 · 约 1 分钟'], 'code lenses');
        const highlights = await call('highlight', () => provider('registerDocumentHighlightProvider').provideDocumentHighlights(doc, pos, token));
        eq(highlights.map((h) => `${h.range.start.line}:${at(h.range)}`), ['5:四个意识'], 'highlights');
        const refs = await call('references', () => provider('registerReferenceProvider').provideReferences(doc, pos, { includeDeclaration: true }, token));
        eq(refs.map((r) => `${r.uri.toString() === uri.toString()}:${r.range.start.line}:${at(r.range)}`), ['true:5:四个意识'], 'references');
        // The second “四不” refers to the first, where the draft defines it.
        const def = await call('definition', () => provider('registerDefinitionProvider').provideDefinition(doc, second, token));
        const target = Array.isArray(def) ? def[0] : def;
        assert(target && target.range, 'no definition: ' + JSON.stringify(def));
        eq([target.range.start.line, target.range.start.character, at(target.range)], [8, line8.indexOf('四不'), '四不'], 'definition');
        const symbols = await call('workspaceSymbol', () => provider('registerWorkspaceSymbolProvider').provideWorkspaceSymbols('', token));
        eq(symbols.map((s) => s.name), ['在𠮷祥村😀座谈会上的讲话', '一、提高政治站位', '一是聚焦理论学习', '二是聚焦基层治理', '二、狠抓工作落实'], 'workspace symbols');
        const hints = await call('inlayHint', () => provider('registerInlayHintsProvider').provideInlayHints(doc, new vscode.Range(0, 0, doc.lineCount, 0), token));
        eq(hints.map((h) => [h.position.line, h.position.character, h.label]), [[5, line5.indexOf('”') + 1, '（政治意识、大局意识、核心意识、看齐意识）']], 'inlay hints');
        return `folding:${folding.length} codeLens:${lenses.length} highlight:${highlights.length} references:${refs.length} definition:1 workspaceSymbol:${symbols.length} inlayHint:${hints.length}`;
    });

    await test('custom request jianggao/statistics', async () => {
        const r = await withTimeout(client.sendRequest('jianggao/statistics', { textDocument: { uri: uri.toString() } }), 'statistics');
        assert(r && typeof r.chars === 'number' && Array.isArray(r.sections), JSON.stringify(r));
        return `${r.chars} 字`;
    });

    await test('stop (shutdown + exit)', async () => {
        await withTimeout(client.stop(5000), 'client.stop()');
    });

    // The client copies the server's stderr to the channel at level 'error';
    // the server's own INFO/DEBUG/TRACE log lines there are not errors.
    const serverLog = /^\[[^\]]*\] error \d{4}-\d\d-\d\dT\S+\s+(INFO|DEBUG|TRACE)\s/;
    const errors = vscode.outputLines.filter((l) => (/ error |showErrorMessage/.test(l)) && !serverLog.test(l));
    await test('no errors logged by the client', async () => {
        assert(errors.length === 0, errors.join(' || '));
    });
    if (results.includes(false)) {
        console.log('--- client output ---\n' + vscode.outputLines.join('\n'));
    }
    return results;
}

async function record(serverPath, fixture, out) {
    let params;
    const client = makeClient(serverPath, (p) => { params = JSON.parse(JSON.stringify(p)); });
    await withTimeout(client.start(), 'client.start()');
    await withTimeout(client.stop(5000), 'client.stop()');
    params.clientInfo = Object.assign({}, params.clientInfo, { library: `vscode-languageclient ${lcVersion}` });
    fs.writeFileSync(out, JSON.stringify(params, null, 2) + '\n');
    console.log(`wrote ${out}`);
}

async function main() {
    const [mode, serverPath, fixture, out] = process.argv.slice(2);
    if (mode === 'record') { await record(serverPath, fixture, out); return 0; }
    if (mode === 'run') {
        const results = await run(serverPath, fixture);
        return results.length && results.every(Boolean) ? 0 : 1;
    }
    console.error('usage: headless-client.js run|record SERVER FIXTURE [OUT]');
    return 2;
}

// bundled-extension.js reuses the stub, the document model and the waits.
module.exports = { vscode, FakeDocument, withTimeout, waitForDiagnostics };

if (require.main === module) {
    main().then((code) => process.exit(code), (e) => { console.error(e); process.exit(1); });
}
