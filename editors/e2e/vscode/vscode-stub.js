'use strict';
// A minimal stand-in for the `vscode` API module, enough to run the real
// vscode-languageclient (11.x) outside VS Code: its feature classes, its
// protocol converters (p2c/c2p) and its connection handling are the real ones;
// only the editor objects they create (Range, Hover, CompletionItem, ...) and
// the registries they call (languages.register*Provider, ...) are plain
// JavaScript here.  Registered providers are kept in `stub.registered` so a
// test can call them like VS Code would.
//
// install() must run before vscode-languageclient is required.

const Module = require('module');

function event() {
    const listeners = [];
    const fn = (listener, thisArg, disposables) => {
        const entry = thisArg ? listener.bind(thisArg) : listener;
        listeners.push(entry);
        const d = { dispose: () => { const i = listeners.indexOf(entry); if (i >= 0) listeners.splice(i, 1); } };
        if (Array.isArray(disposables)) disposables.push(d);
        return d;
    };
    fn.fire = (e) => { for (const l of [...listeners]) l(e); };
    return fn;
}

class EventEmitter {
    constructor() { this.event = event(); }
    fire(e) { this.event.fire(e); }
    dispose() {}
}

class Disposable {
    constructor(fn) { this._fn = fn; }
    dispose() { if (this._fn) this._fn(); this._fn = undefined; }
    static from(...ds) { return new Disposable(() => ds.forEach((d) => d && d.dispose && d.dispose())); }
}

class Uri {
    constructor(scheme, authority, path, query, fragment, original) {
        Object.assign(this, { scheme, authority, path, query, fragment });
        this._original = original;
    }
    static parse(value) {
        const u = new URL(value);
        return new Uri(u.protocol.replace(/:$/, ''), u.host, decodeURIComponent(u.pathname), u.search.replace(/^\?/, ''),
            u.hash.replace(/^#/, ''), value);
    }
    static file(p) {
        // Same encoding as VS Code's Uri.file(...).toString(): non-ASCII percent-encoded.
        const encoded = p.split('/').map((s) => encodeURIComponent(s)).join('/');
        return new Uri('file', '', p, '', '', 'file://' + encoded);
    }
    get fsPath() { return this.path; }
    with(change) { return Object.assign(Object.create(Uri.prototype), this, change); }
    toString() { return this._original; }
    toJSON() { return this.toString(); }
}

class Position {
    constructor(line, character) { this.line = line; this.character = character; }
    isEqual(o) { return this.line === o.line && this.character === o.character; }
    isBefore(o) { return this.line < o.line || (this.line === o.line && this.character < o.character); }
    translate(dl = 0, dc = 0) { return new Position(this.line + dl, this.character + dc); }
    with(line = this.line, character = this.character) { return new Position(line, character); }
}

class Range {
    constructor(a, b, c, d) {
        if (typeof a === 'number') { this.start = new Position(a, b); this.end = new Position(c, d); }
        else { this.start = a; this.end = b; }
    }
    get isEmpty() { return this.start.isEqual(this.end); }
    contains(p) {
        const q = p instanceof Range ? p.start : p;
        return !q.isBefore(this.start) && (q.isBefore(this.end) || q.isEqual(this.end));
    }
    with(start = this.start, end = this.end) { return new Range(start, end); }
}

class Selection extends Range {}
class Location { constructor(uri, rangeOrPosition) { this.uri = uri; this.range = rangeOrPosition; } }

class MarkdownString {
    constructor(value = '', supportThemeIcons = false) { this.value = value; this.supportThemeIcons = supportThemeIcons; }
    appendText(t) { this.value += t; return this; }
    appendMarkdown(t) { this.value += t; return this; }
    appendCodeblock(code, lang = '') { this.value += '\n```' + lang + '\n' + code + '\n```\n'; return this; }
}

class Hover { constructor(contents, range) { this.contents = Array.isArray(contents) ? contents : [contents]; this.range = range; } }
class SnippetString { constructor(value = '') { this.value = value; } }
class TextEdit {
    constructor(range, newText) { this.range = range; this.newText = newText; }
    static replace(range, newText) { return new TextEdit(range, newText); }
    static insert(position, newText) { return new TextEdit(new Range(position, position), newText); }
    static delete(range) { return new TextEdit(range, ''); }
}
class SnippetTextEdit { constructor(range, snippet) { this.range = range; this.snippet = snippet; } }

class WorkspaceEdit {
    constructor() { this._edits = []; }
    replace(uri, range, newText, metadata) { this._edits.push({ uri, edit: new TextEdit(range, newText), metadata }); }
    insert(uri, position, newText, metadata) { this.replace(uri, new Range(position, position), newText, metadata); }
    delete(uri, range, metadata) { this.replace(uri, range, '', metadata); }
    set(uri, edits) {
        for (const e of edits || []) {
            const edit = Array.isArray(e) ? e[0] : e;
            this._edits.push({ uri, edit });
        }
    }
    createFile(uri, options, metadata) { this._edits.push({ create: uri, options, metadata }); }
    deleteFile(uri, options, metadata) { this._edits.push({ delete: uri, options, metadata }); }
    renameFile(from, to, options, metadata) { this._edits.push({ from, to, options, metadata }); }
    get size() { return this._edits.length; }
    entries() {
        const m = new Map();
        for (const e of this._edits) if (e.edit) { const k = e.uri.toString(); if (!m.has(k)) m.set(k, [e.uri, []]); m.get(k)[1].push(e.edit); }
        return [...m.values()];
    }
}

class CodeActionKind {
    constructor(value) { this.value = value; }
    append(part) { return new CodeActionKind(this.value ? this.value + '.' + part : part); }
    contains(other) { return this.value === other.value || other.value.startsWith(this.value + '.') || this.value === ''; }
    intersects(other) { return this.contains(other) || other.contains(this); }
}
for (const [name, value] of Object.entries({
    Empty: '', QuickFix: 'quickfix', Refactor: 'refactor', RefactorExtract: 'refactor.extract', RefactorInline: 'refactor.inline',
    RefactorMove: 'refactor.move', RefactorRewrite: 'refactor.rewrite', Source: 'source',
    SourceOrganizeImports: 'source.organizeImports', SourceFixAll: 'source.fixAll', Notebook: 'notebook',
})) CodeActionKind[name] = new CodeActionKind(value);

class CodeAction { constructor(title, kind) { this.title = title; this.kind = kind; } }
class CodeLens { constructor(range, command) { this.range = range; this.command = command; } get isResolved() { return !!this.command; } }
class Diagnostic { constructor(range, message, severity = 0) { this.range = range; this.message = message; this.severity = severity; } }
class DiagnosticRelatedInformation { constructor(location, message) { this.location = location; this.message = message; } }
class CompletionItem { constructor(label, kind) { this.label = label; this.kind = kind; } }
class CompletionList { constructor(items = [], isIncomplete = false) { this.items = items; this.isIncomplete = isIncomplete; } }
class DocumentSymbol {
    constructor(name, detail, kind, range, selectionRange) { Object.assign(this, { name, detail, kind, range, selectionRange, children: [] }); }
}
class SymbolInformation {
    constructor(name, kind, containerName, location) { Object.assign(this, { name, kind, containerName, location }); }
}
class FoldingRange { constructor(start, end, kind) { Object.assign(this, { start, end, kind }); } }
class DocumentHighlight { constructor(range, kind) { this.range = range; this.kind = kind; } }
class InlayHint { constructor(position, label, kind) { Object.assign(this, { position, label, kind }); } }
class InlayHintLabelPart { constructor(value) { this.value = value; } }
class SemanticTokens { constructor(data, resultId) { this.data = data; this.resultId = resultId; } }
class SemanticTokensEdits { constructor(edits, resultId) { this.edits = edits; this.resultId = resultId; } }
class SemanticTokensEdit { constructor(start, deleteCount, data) { Object.assign(this, { start, deleteCount, data }); } }
class SemanticTokensLegend { constructor(tokenTypes, tokenModifiers = []) { this.tokenTypes = tokenTypes; this.tokenModifiers = tokenModifiers; } }
class SelectionRange { constructor(range, parent) { this.range = range; this.parent = parent; } }
class RelativePattern { constructor(base, pattern) { this.base = base; this.pattern = pattern; } }
class CancellationError extends Error { constructor() { super('Canceled'); this.name = 'Canceled'; } }
class CancellationTokenSource {
    constructor() {
        const onCancellationRequested = event();
        this.token = { isCancellationRequested: false, onCancellationRequested };
    }
    cancel() { this.token.isCancellationRequested = true; this.token.onCancellationRequested.fire(); }
    dispose() {}
}

function enumOf(names, start = 0) {
    const e = {};
    names.forEach((n, i) => { e[n] = i + start; });
    return e;
}

// Anything not modelled above: a class for capitalised names (constructor
// arguments kept in `args`), otherwise a no-op function.
function fallback(name) {
    if (/^[A-Z]/.test(name)) {
        const C = class { constructor(...args) { this.args = args; } };
        Object.defineProperty(C, 'name', { value: name });
        return C;
    }
    return () => undefined;
}

function namespace(base) {
    const cache = {};
    return new Proxy(base, {
        get(target, prop) {
            if (typeof prop !== 'string' || prop in target) return target[prop];
            if (!(prop in cache)) cache[prop] = prop.startsWith('onDid') || prop.startsWith('onWill') ? event() : () => undefined;
            return cache[prop];
        },
    });
}

function makeStub() {
    // The user's settings (a test sets `stub.settings.jianggao = {…}`).
    const settings = {};
    const registered = {}; // register*Provider name -> [{ selector, provider, args }]
    const diagnostics = new Map(); // uri string -> Diagnostic[]
    const diagnosticsChanged = event();
    const commands = new Map();
    const appliedEdits = [];
    const workspaceEvents = {
        onDidOpenTextDocument: event(), onDidChangeTextDocument: event(), onDidCloseTextDocument: event(),
        onDidSaveTextDocument: event(), onWillSaveTextDocument: event(), onDidChangeConfiguration: event(),
        onDidChangeWorkspaceFolders: event(),
    };

    const LogLevel = { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 };
    const outputLines = [];
    function outputChannel(name) {
        const line = (level) => (msg, ...rest) => outputLines.push(`[${name}] ${level} ${msg}${rest.length ? ' ' + rest.map(String).join(' ') : ''}`);
        return {
            name, logLevel: LogLevel.Info, onDidChangeLogLevel: event(),
            append: line(''), appendLine: line(''), replace: line(''), clear() {}, show() {}, hide() {}, dispose() {},
            trace: line('trace'), debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error'),
        };
    }

    const languages = namespace({
        match(selector, document) {
            const filters = Array.isArray(selector) ? selector : [selector];
            let best = 0;
            for (const f of filters) {
                if (typeof f === 'string') { if (f === document.languageId || f === '*') best = Math.max(best, 10); continue; }
                if (f.language && f.language !== '*' && f.language !== document.languageId) continue;
                if (f.scheme && f.scheme !== '*' && f.scheme !== document.uri.scheme) continue;
                best = Math.max(best, f.language === document.languageId ? 10 : 5);
            }
            return best;
        },
        createDiagnosticCollection(name) {
            return {
                name,
                set(uri, diags) {
                    if (Array.isArray(uri)) { for (const [u, d] of uri) this.set(u, d); return; }
                    diagnostics.set(uri.toString(), diags || []);
                    diagnosticsChanged.fire(uri.toString());
                },
                get(uri) { return diagnostics.get(uri.toString()); },
                has(uri) { return diagnostics.has(uri.toString()); },
                delete(uri) { diagnostics.delete(uri.toString()); diagnosticsChanged.fire(uri.toString()); },
                clear() { diagnostics.clear(); },
                forEach(cb) { for (const [k, v] of diagnostics) cb(Uri.parse(k), v, this); },
                dispose() {},
            };
        },
        getLanguages: async () => ['plaintext', 'markdown'],
    });
    // Every languages.register*Provider records its provider.
    const languagesProxy = new Proxy(languages, {
        get(target, prop) {
            if (typeof prop === 'string' && /^register\w+/.test(prop) && !(prop in Object.getPrototypeOf({}))) {
                return (selector, provider, ...args) => {
                    // registerWorkspaceSymbolProvider(provider) has no selector.
                    if (selector && Object.getOwnPropertyNames(Object.getPrototypeOf(selector) || {}).concat(Object.keys(selector)).some((k) => /^provide/.test(k))) {
                        args = provider === undefined ? args : [provider, ...args];
                        provider = selector;
                        selector = undefined;
                    }
                    (registered[prop] = registered[prop] || []).push({ selector, provider, args });
                    return new Disposable(() => {
                        const list = registered[prop] || [];
                        const i = list.findIndex((r) => r.provider === provider);
                        if (i >= 0) list.splice(i, 1);
                    });
                };
            }
            return target[prop];
        },
    });

    const textDocuments = [];
    const workspace = namespace(Object.assign({
        textDocuments,
        notebookDocuments: [],
        workspaceFolders: undefined,
        name: undefined,
        rootPath: undefined,
        // Settings as VS Code keeps them (`settings` below, e.g. { jianggao: { indent: … } }),
        // read the way vscode-languageclient reads them for workspace/configuration.
        getConfiguration: (section) => {
            const lookup = (node, key) => (key ? String(key).split('.') : []).reduce((n, k) => (n && typeof n === 'object' ? n[k] : undefined), node);
            const node = section ? lookup(settings, section) : settings;
            return {
                get: (k, d) => { const v = lookup(node, k); return v === undefined ? d : JSON.parse(JSON.stringify(v)); },
                has: (k) => lookup(node, k) !== undefined,
                inspect: () => undefined,
                update: async () => undefined,
            };
        },
        getWorkspaceFolder: () => undefined,
        createFileSystemWatcher: () => ({ onDidCreate: event(), onDidChange: event(), onDidDelete: event(), dispose() {} }),
        applyEdit: async (edit) => { appliedEdits.push(edit); return true; },
        openTextDocument: async () => { throw new Error('openTextDocument is not available in the headless stub'); },
    }, workspaceEvents));

    const window = namespace({
        activeTextEditor: undefined,
        visibleTextEditors: [],
        tabGroups: { all: [], onDidChangeTabs: event(), onDidChangeTabGroups: event() },
        createOutputChannel: outputChannel,
        showErrorMessage: async (...a) => { outputLines.push('[window] showErrorMessage ' + a[0]); return undefined; },
        showWarningMessage: async (...a) => { outputLines.push('[window] showWarningMessage ' + a[0]); return undefined; },
        showInformationMessage: async (...a) => { outputLines.push('[window] showInformationMessage ' + a[0]); return undefined; },
        withProgress: async (_opts, task) => task({ report() {} }, new CancellationTokenSource().token),
        showTextDocument: async () => undefined,
        createStatusBarItem: () => ({ show() {}, hide() {}, dispose() {} }),
    });

    const stub = {
        version: '1.91.0',
        env: { appName: 'Visual Studio Code', language: 'zh-cn', machineId: 'e2e', sessionId: 'e2e', openExternal: async () => true, uriScheme: 'vscode' },
        EventEmitter, Disposable, Uri, Position, Range, Selection, Location, MarkdownString, Hover, SnippetString, TextEdit,
        SnippetTextEdit, WorkspaceEdit, CodeActionKind, CodeAction, CodeLens, Diagnostic, DiagnosticRelatedInformation,
        CompletionItem, CompletionList, DocumentSymbol, SymbolInformation, FoldingRange, DocumentHighlight, InlayHint,
        InlayHintLabelPart, SemanticTokens, SemanticTokensEdits, SemanticTokensEdit, SemanticTokensLegend, SelectionRange,
        RelativePattern, CancellationError, CancellationTokenSource, LogLevel,
        DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
        DiagnosticTag: { Unnecessary: 1, Deprecated: 2 },
        CompletionItemKind: enumOf(['Text', 'Method', 'Function', 'Constructor', 'Field', 'Variable', 'Class', 'Interface', 'Module',
            'Property', 'Unit', 'Value', 'Enum', 'Keyword', 'Snippet', 'Color', 'File', 'Reference', 'Folder', 'EnumMember',
            'Constant', 'Struct', 'Event', 'Operator', 'TypeParameter', 'User', 'Issue']),
        CompletionItemTag: { Deprecated: 1 },
        CompletionTriggerKind: { Invoke: 0, TriggerCharacter: 1, TriggerForIncompleteCompletions: 2 },
        SymbolKind: enumOf(['File', 'Module', 'Namespace', 'Package', 'Class', 'Method', 'Property', 'Field', 'Constructor', 'Enum',
            'Interface', 'Function', 'Variable', 'Constant', 'String', 'Number', 'Boolean', 'Array', 'Object', 'Key', 'Null',
            'EnumMember', 'Struct', 'Event', 'Operator', 'TypeParameter']),
        SymbolTag: { Deprecated: 1 },
        FoldingRangeKind: { Comment: 1, Imports: 2, Region: 3 },
        DocumentHighlightKind: { Text: 0, Read: 1, Write: 2 },
        InlayHintKind: { Type: 1, Parameter: 2 },
        CodeActionTriggerKind: { Invoke: 1, Automatic: 2 },
        EndOfLine: { LF: 1, CRLF: 2 },
        ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
        ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
        TextDocumentSaveReason: { Manual: 1, AfterDelay: 2, FocusOut: 3 },
        languages: languagesProxy, workspace, window,
        commands: namespace({
            registerCommand: (id, fn) => { commands.set(id, fn); return new Disposable(() => commands.delete(id)); },
            executeCommand: async (id, ...args) => (commands.has(id) ? commands.get(id)(...args) : undefined),
            getCommands: async () => [...commands.keys()],
        }),
        extensions: namespace({ all: [], getExtension: () => undefined }),
        // test hooks
        registered, diagnostics, diagnosticsChanged, commands_: commands, appliedEdits, outputLines, workspaceEvents, settings,
    };
    return new Proxy(stub, {
        get(target, prop) {
            if (typeof prop !== 'string' || prop in target) return target[prop];
            target[prop] = fallback(prop);
            return target[prop];
        },
    });
}

function install() {
    const stub = makeStub();
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function (request, ...rest) {
        if (request === 'vscode') return 'vscode';
        return resolve.call(this, request, ...rest);
    };
    require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: stub };
    return stub;
}

module.exports = { install, Uri, Position, Range };
