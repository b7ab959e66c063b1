// The page as an LSP client of `jianggao serve`: diagnostics with quick fixes, fix-all,
// the outline and statistics, all through the same server code editors use.

import { EditorView } from "@codemirror/view";
import { ChangeSpec } from "@codemirror/state";
import { setDiagnostics, Diagnostic as LintDiagnostic } from "@codemirror/lint";
import { LSPClient, LSPPlugin, LSPClientExtension, WorkspaceMapping } from "@codemirror/lsp-client";
import { sanitize } from "./sanitize";

export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}
export interface LspDiagnostic {
  range: Range;
  severity?: number;
  code?: string | number;
  message: string;
}
interface TextEdit {
  range: Range;
  newText: string;
}
interface WorkspaceEdit {
  changes?: Record<string, TextEdit[]>;
}
interface CodeAction {
  title: string;
  kind?: string;
  diagnostics?: LspDiagnostic[];
  edit?: WorkspaceEdit;
}
export interface DocumentSymbol {
  name: string;
  detail?: string;
  kind: number;
  range: Range;
  selectionRange: Range;
  children?: DocumentSymbol[];
}
export interface Statistics {
  chars: number;
  minutes: number;
  rate: number;
  words: [string, number][];
}

const FIX_ALL = "source.fixAll.jianggao";
/** Fixes, outline and statistics are asked for this long after the last analysis. */
const REFRESH_AFTER_MS = 150;
const SEVERITY: LintDiagnostic["severity"][] = ["error", "error", "warning", "info", "hint"];

/** What the page shows besides the editor, refreshed after each analysis. */
export interface Report {
  version: number;
  diagnostics: LspDiagnostic[];
  symbols: DocumentSymbol[];
  statistics: Statistics | null;
  fixAllTitle: string | null;
}

/** Editor-to-diagnostics latencies, for the e2e script (no effect on behaviour). */
export interface Timing {
  kind: string;
  version: number;
  chars: number;
  /** Until the diagnostics arrived from the server. */
  arrivedMs: number;
  /** Until they were shown in the editor. */
  ms: number;
}

export class Checker {
  readonly client: LSPClient;
  /** Fix titles per diagnostic (by code, range and message), from the last refresh. */
  private fixTitles = new Map<string, string[]>();
  private lastPublished: { uri: string; version: number; diagnostics: LspDiagnostic[] } | null = null;
  private refreshTimer = -1;
  /** Edit start times by document version, to time diagnostics. */
  private pending = new Map<number, { t0: number; kind: string }>();
  readonly timings: Timing[] = [];
  onReport: (r: Report) => void = () => {};

  constructor() {
    const diagnostics: LSPClientExtension = {
      clientCapabilities: {
        general: { positionEncodings: ["utf-16"] },
        textDocument: {
          publishDiagnostics: { versionSupport: true },
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
          codeAction: {
            codeActionLiteralSupport: {
              codeActionKind: { valueSet: ["quickfix", "source", "refactor"] },
            },
          },
        },
      },
      notificationHandlers: {
        "textDocument/publishDiagnostics": (_client, params) => {
          this.published(params.uri, params.version, params.diagnostics);
          return true;
        },
      },
    };
    this.client = new LSPClient({
      // Hover cards are Markdown; the text in them may come from a pasted draft.
      sanitizeHTML: sanitize,
      timeout: 10000,
      extensions: [diagnostics],
      notificationHandlers: {
        // The server's log is for editors' output panels, not for the writer.
        "window/logMessage": () => true,
      },
    });
  }

  /** Sends the editor's changes now (the library's default waits 500 ms) and notes
   * when they were made, to time the diagnostics that follow. */
  changed(view: EditorView, kind: string): void {
    const plugin = LSPPlugin.get(view);
    if (!plugin) return;
    const t0 = performance.now();
    this.client.sync();
    const file = this.client.workspace.getFile(plugin.uri);
    if (file && kind) this.pending.set(file.version, { t0, kind });
  }

  private viewFor(uri: string): { view: EditorView; plugin: LSPPlugin; version: number } | null {
    const file = this.client.workspace.getFile(uri);
    const view = file?.getView();
    const plugin = view && LSPPlugin.get(view);
    return file && view && plugin ? { view, plugin, version: file.version } : null;
  }

  private published(uri: string, version: number | undefined, diagnostics: LspDiagnostic[]): void {
    const arrived = performance.now();
    const target = this.viewFor(uri);
    // Diagnostics for an older text: a newer publish is on its way.
    if (!target || (version != null && version !== target.version)) return;
    const current = target.version;
    this.lastPublished = { uri, version: current, diagnostics };
    this.show(target.view, target.plugin, diagnostics);
    const started = this.pending.get(current);
    for (const v of this.pending.keys()) if (v <= current) this.pending.delete(v);
    if (started) {
      const ms = performance.now() - started.t0;
      this.timings.push({
        kind: started.kind,
        version: current,
        chars: target.view.state.doc.length,
        arrivedMs: arrived - started.t0,
        ms,
      });
    }
    // Once typing pauses: while keys come faster than this, these requests would only
    // compete with the next keystroke's analysis.
    clearTimeout(this.refreshTimer);
    this.refreshTimer = window.setTimeout(() => this.refresh(uri), REFRESH_AFTER_MS);
  }

  private show(view: EditorView, plugin: LSPPlugin, diagnostics: LspDiagnostic[]): void {
    const lint: LintDiagnostic[] = [];
    for (const d of diagnostics) {
      const from = plugin.unsyncedChanges.mapPos(plugin.fromPosition(d.range.start, plugin.syncedDoc));
      const to = plugin.unsyncedChanges.mapPos(plugin.fromPosition(d.range.end, plugin.syncedDoc));
      const code = String(d.code ?? "");
      const titles = this.fixTitles.get(key(d)) ?? [];
      lint.push({
        from,
        to: Math.max(to, from),
        severity: SEVERITY[d.severity ?? 1] ?? "error",
        message: d.message,
        source: code,
        actions: titles.map((title) => ({
          name: title,
          apply: (v: EditorView, f: number, t: number) => void this.quickFix(v, title, code, f, t),
        })),
      });
    }
    view.dispatch(setDiagnostics(view.state, lint));
  }

  /** After an analysis: fixes, outline and statistics for the same version. */
  private async refresh(uri: string): Promise<void> {
    const target = this.viewFor(uri);
    if (!target || this.lastPublished?.version !== target.version) return;
    const { view, plugin, version } = target;
    const doc = { uri };
    const whole = { start: { line: 0, character: 0 }, end: plugin.toPosition(view.state.doc.length, plugin.syncedDoc) };
    try {
      const [actions, symbols, statistics] = await Promise.all([
        this.client.request<unknown, CodeAction[] | null>("textDocument/codeAction", {
          textDocument: doc,
          range: whole,
          context: { diagnostics: [], only: ["quickfix", FIX_ALL] },
        }),
        this.client.request<unknown, DocumentSymbol[] | null>("textDocument/documentSymbol", { textDocument: doc }),
        this.client.request<unknown, Statistics | null>("jianggao/statistics", { textDocument: doc }),
      ]);
      const now = this.viewFor(uri);
      if (!now || now.version !== version || this.lastPublished?.version !== version) return;
      this.fixTitles.clear();
      let fixAllTitle: string | null = null;
      for (const a of actions ?? []) {
        if (a.kind === FIX_ALL) fixAllTitle = a.title;
        else
          for (const d of a.diagnostics ?? []) {
            const list = this.fixTitles.get(key(d)) ?? [];
            list.push(a.title);
            this.fixTitles.set(key(d), list);
          }
      }
      const diagnostics = this.lastPublished.diagnostics;
      this.show(view, plugin, diagnostics);
      this.onReport({ version, diagnostics, symbols: symbols ?? [], statistics, fixAllTitle });
    } catch (e) {
      console.warn("refresh failed", e);
    }
  }

  /** Asks the server for the fix with this title at the diagnostic's current place and
   * applies it. */
  async quickFix(view: EditorView, title: string, code: string, from: number, to: number): Promise<boolean> {
    const plugin = LSPPlugin.get(view);
    if (!plugin) return false;
    this.client.sync();
    const range = { start: plugin.toPosition(from), end: plugin.toPosition(to) };
    return this.client.withMapping(async (mapping) => {
      const actions = await this.client.request<unknown, CodeAction[] | null>("textDocument/codeAction", {
        textDocument: { uri: plugin.uri },
        range,
        context: { diagnostics: [], only: ["quickfix"] },
      });
      const action = (actions ?? []).find(
        (a) => a.title === title && (a.diagnostics ?? []).some((d) => String(d.code) === code),
      );
      return !!action?.edit && apply(view, plugin.uri, mapping, action.edit, "input.fix");
    });
  }

  /** 全部修复: the server's fix-all action (every certain fix), applied as one change. */
  async fixAll(view: EditorView): Promise<boolean> {
    const plugin = LSPPlugin.get(view);
    if (!plugin) return false;
    this.client.sync();
    return this.client.withMapping(async (mapping) => {
      const actions = await this.client.request<unknown, CodeAction[] | null>("textDocument/codeAction", {
        textDocument: { uri: plugin.uri },
        range: { start: { line: 0, character: 0 }, end: plugin.toPosition(view.state.doc.length) },
        context: { diagnostics: [], only: [FIX_ALL] },
      });
      const action = (actions ?? []).find((a) => a.kind === FIX_ALL);
      return !!action?.edit && apply(view, plugin.uri, mapping, action.edit, "input.fixall");
    });
  }

  /** Document position (LSP) → editor offset, for the current text. */
  offsetOf(view: EditorView, pos: Position): number | null {
    const plugin = LSPPlugin.get(view);
    if (!plugin) return null;
    return plugin.unsyncedChanges.mapPos(plugin.fromPosition(pos, plugin.syncedDoc));
  }
}

function key(d: LspDiagnostic): string {
  const r = d.range;
  return `${d.code}|${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}|${d.message}`;
}

function apply(view: EditorView, uri: string, mapping: WorkspaceMapping, edit: WorkspaceEdit, userEvent: string): boolean {
  const edits = edit.changes?.[uri] ?? [];
  const changes: ChangeSpec[] = [];
  for (const e of edits) {
    const from = mapping.mapPosition(uri, e.range.start, 1);
    const to = mapping.mapPosition(uri, e.range.end, -1);
    changes.push({ from, to: Math.max(from, to), insert: e.newText });
  }
  if (!changes.length) return false;
  view.dispatch({ changes, userEvent });
  return true;
}
