// The jianggao page: a CodeMirror editor that is an LSP client of `jianggao serve`,
// with the outline and statistics beside it, drafts kept in the browser, and file
// import and download through the server's HTTP endpoints.

import { EditorView, keymap, placeholder, drawSelection, highlightActiveLine } from "@codemirror/view";
import { EditorState, Extension } from "@codemirror/state";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { searchKeymap, highlightSelectionMatches } from "@codemirror/search";
import { lintKeymap, openLintPanel } from "@codemirror/lint";
import { autocompletion, completionKeymap } from "@codemirror/autocomplete";
import { hoverTooltips, serverCompletionSource } from "@codemirror/lsp-client";
import { Connection } from "./connection";
import { Draft, DraftStore, newDraft, titleOf } from "./drafts";
import { Checker, Position, Report } from "./lsp";
import { renderOutline, renderStatistics } from "./panels";

interface ExportFormat {
  id: string;
  label: string;
  extension: string;
}
interface ServerInfo {
  version: string;
  import: string[];
  export: ExportFormat[];
  maxUploadBytes: number;
}

const token = new URLSearchParams(location.search).get("token");
const authHeaders: Record<string, string> = token ? { "X-Jianggao-Token": token } : {};
const socketUrl =
  `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/lsp` +
  (token ? `?token=${encodeURIComponent(token)}` : "");
/** A copy of the open draft written synchronously when the page is hidden or closed,
 * in case the asynchronous IndexedDB write does not finish. */
const RESCUE_KEY = "jianggao.rescue";

/** Each draft is its own document for the server; it names no file. */
const uriOf = (d: Draft) => `untitled:${d.id}`;

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

class Page {
  private draft!: Draft;
  private view!: EditorView;
  private saveTimer = -1;
  private info: ServerInfo | null = null;
  private lastReport: Report | null = null;
  /** Whether the LSP client is connected to the current socket. */
  private live = false;

  constructor(
    private store: DraftStore,
    private checker: Checker,
    private connection: Connection,
  ) {}

  async start(): Promise<void> {
    const drafts = await this.store.list();
    let draft = drafts.find((d) => d.id === this.store.currentId) ?? drafts[0] ?? newDraft();
    draft = this.rescued(draft);
    this.draft = draft;
    this.store.currentId = draft.id;
    this.view = new EditorView({ parent: $("editor"), state: this.stateFor(draft) });
    $<HTMLInputElement>("draft-name").value = draft.name;
    this.wire();
    await this.renderDrafts();
    this.connection.onOpen = () => this.connected();
    this.connection.onClose = () => this.disconnected();
    this.connection.start();
    this.view.focus();
  }

  /** The rescue copy wins over the stored draft when it is newer. */
  private rescued(draft: Draft): Draft {
    try {
      const rescue = JSON.parse(localStorage.getItem(RESCUE_KEY) || "null");
      if (rescue && rescue.id === draft.id && rescue.updated > draft.updated && typeof rescue.text === "string") {
        return { ...draft, text: rescue.text, updated: rescue.updated };
      }
    } catch {
      /* an unreadable rescue copy is ignored */
    }
    return draft;
  }

  private extensions(): Extension[] {
    return [
      history(),
      drawSelection(),
      highlightActiveLine(),
      highlightSelectionMatches(),
      EditorView.lineWrapping,
      placeholder("在此粘贴或输入讲稿，或点击“打开文件”。输入拼音首字母（如 sgys）可补全提法；Ctrl+空格 显示补全。"),
      // Completion while typing letters (pinyin initials); Ctrl-Space for anything else.
      autocompletion({ override: [serverCompletionSource] }),
      hoverTooltips({ hoverTime: 250 }),
      keymap.of([...completionKeymap, ...defaultKeymap, ...historyKeymap, ...searchKeymap, ...lintKeymap]),
      EditorView.updateListener.of((u) => {
        if (!u.docChanged) return;
        const paste = u.transactions.some((tr) => tr.isUserEvent("input.paste"));
        const typed = u.transactions.some((tr) => tr.isUserEvent("input.type"));
        this.checker.changed(u.view, paste ? "paste" : typed ? "type" : "");
        if (paste && u.startState.doc.length === 0) this.draft.original = u.state.doc.toString();
        this.scheduleSave();
      }),
    ];
  }

  private stateFor(draft: Draft): EditorState {
    return EditorState.create({
      doc: draft.text,
      extensions: [this.extensions(), this.checker.client.plugin(uriOf(draft), "plaintext")],
    });
  }

  private wire(): void {
    this.checker.onReport = (r) => this.report(r);
    $("fix-all").addEventListener("click", async () => {
      $<HTMLButtonElement>("fix-all").disabled = true;
      await this.checker.fixAll(this.view);
      this.view.focus();
    });
    const input = $<HTMLInputElement>("file-input");
    $("open-file").addEventListener("click", () => input.click());
    input.addEventListener("change", () => {
      const file = input.files?.[0];
      input.value = "";
      if (file) void this.importFile(file);
    });
    document.addEventListener("dragover", (e) => e.preventDefault());
    document.addEventListener("drop", (e) => {
      const file = e.dataTransfer?.files?.[0];
      if (!file) return;
      e.preventDefault();
      void this.importFile(file);
    });
    $("new-draft").addEventListener("click", () => void this.switchTo(newDraft()));
    $<HTMLInputElement>("draft-name").addEventListener("input", (e) => {
      const name = (e.target as HTMLInputElement).value.trim();
      this.draft.named = name.length > 0;
      this.draft.name = name || titleOf(this.view.state.doc.toString());
      this.scheduleSave();
    });
    window.addEventListener("beforeunload", (e) => {
      this.rescue();
      if (this.unsaved()) {
        e.preventDefault();
        e.returnValue = "";
      }
    });
    window.addEventListener("pagehide", () => this.rescue());
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") {
        this.rescue();
        void this.saveNow();
      }
    });
  }

  // ----- connection -----

  private connected(): void {
    this.checker.client.connect(this.connection.transport);
    this.live = true;
    const status = $("status");
    status.textContent = "已连接";
    status.className = "status ok";
    $("banner").hidden = true;
    void this.loadInfo();
  }

  private disconnected(): void {
    // Once per lost connection: failed reconnection attempts land here too.
    if (this.live) this.checker.client.disconnect();
    this.live = false;
    const status = $("status");
    status.textContent = "未连接";
    status.className = "status down";
    this.banner("与 jianggao 服务器的连接已断开，正在重新连接……文字仍可编辑，并已保存在浏览器中。");
  }

  private banner(message: string): void {
    const banner = $("banner");
    banner.textContent = message;
    banner.hidden = false;
  }

  private async loadInfo(): Promise<void> {
    try {
      const r = await fetch("/api/info", { headers: authHeaders });
      if (!r.ok) return;
      this.info = (await r.json()) as ServerInfo;
    } catch {
      return;
    }
    const input = $<HTMLInputElement>("file-input");
    input.accept = this.info.import.map((e) => "." + e).join(",");
    $("open-file").title = `打开 ${this.info.import.map((e) => "." + e).join("、")} 文件（也可以把文件拖进页面）`;
    const downloads = $("downloads");
    downloads.replaceChildren();
    for (const format of this.info.export) {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = `下载 ${format.label}`;
      b.dataset.format = format.id;
      b.addEventListener("click", () => void this.download(format));
      downloads.append(b);
    }
  }

  // ----- analysis results -----

  private report(r: Report): void {
    this.lastReport = r;
    renderOutline($("outline"), $("outline-count"), r.symbols, (pos) => this.jump(pos));
    renderStatistics($("stats-total"), $("stats-problems"), $("stats-words"), r.statistics, r.diagnostics, () =>
      openLintPanel(this.view),
    );
    const fixAll = $<HTMLButtonElement>("fix-all");
    fixAll.disabled = !r.fixAllTitle;
    const count = r.fixAllTitle?.match(/（(\d+) 处）/)?.[1];
    fixAll.textContent = count ? `全部修复（${count}）` : "全部修复";
    fixAll.title = r.fixAllTitle ?? "没有可以自动修正的问题";
  }

  private jump(pos: Position): void {
    const offset = this.checker.offsetOf(this.view, pos);
    if (offset == null) return;
    this.view.dispatch({
      selection: { anchor: offset },
      effects: EditorView.scrollIntoView(offset, { y: "start", yMargin: 48 }),
    });
    this.view.focus();
  }

  // ----- drafts -----

  private scheduleSave(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = window.setTimeout(() => void this.saveNow(), 250);
  }

  private async saveNow(): Promise<void> {
    clearTimeout(this.saveTimer);
    const d = this.draft;
    const text = this.view.state.doc.toString();
    if (text !== d.text) {
      d.text = text;
      d.updated = Date.now();
    }
    if (!d.named) d.name = titleOf(text);
    if (document.activeElement !== $("draft-name")) $<HTMLInputElement>("draft-name").value = d.name;
    try {
      await this.store.save(d);
      const time = new Date(d.updated).toLocaleTimeString("zh-CN", { hour: "2-digit", minute: "2-digit" });
      $("saved").textContent = `已保存在本机浏览器（${time}）`;
    } catch (e) {
      $("saved").textContent = "无法保存到浏览器：请下载文件保存";
      console.error(e);
    }
    await this.renderDrafts();
  }

  private rescue(): void {
    const text = this.view.state.doc.toString();
    if (text === this.draft.text) return;
    try {
      localStorage.setItem(RESCUE_KEY, JSON.stringify({ id: this.draft.id, text, updated: Date.now() }));
    } catch {
      /* storage full: the IndexedDB write is still under way */
    }
  }

  private unsaved(): boolean {
    const text = this.view.state.doc.toString();
    return text.trim().length > 0 && text !== this.draft.downloaded;
  }

  private async switchTo(draft: Draft): Promise<void> {
    await this.saveNow();
    this.draft = draft;
    this.store.currentId = draft.id;
    await this.store.save(draft);
    this.view.setState(this.stateFor(draft));
    $<HTMLInputElement>("draft-name").value = draft.name;
    $("outline").replaceChildren();
    $("outline-count").textContent = "";
    await this.renderDrafts();
    this.view.focus();
  }

  private async renderDrafts(): Promise<void> {
    const list = $("draft-list");
    const drafts = await this.store.list();
    list.replaceChildren();
    for (const d of drafts) {
      const li = document.createElement("li");
      li.className = d.id === this.draft.id ? "current" : "";
      li.dataset.id = d.id;
      const open = document.createElement("button");
      open.type = "button";
      open.className = "draft";
      const name = document.createElement("span");
      name.className = "name";
      name.textContent = d.name || "未命名草稿";
      const when = document.createElement("span");
      when.className = "when";
      when.textContent = new Date(d.updated).toLocaleString("zh-CN", {
        month: "numeric",
        day: "numeric",
        hour: "2-digit",
        minute: "2-digit",
      });
      open.append(name, when);
      open.addEventListener("click", () => {
        if (d.id !== this.draft.id) void this.switchTo(d);
      });
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "remove small";
      remove.title = "删除这份草稿";
      remove.textContent = "×";
      remove.addEventListener("click", () => void this.removeDraft(d));
      li.append(open, remove);
      list.append(li);
    }
  }

  private async removeDraft(d: Draft): Promise<void> {
    if (!confirm(`删除草稿“${d.name}”？此操作不能撤销。`)) return;
    await this.store.remove(d.id);
    if (d.id === this.draft.id) {
      const rest = await this.store.list();
      this.draft = rest[0] ?? newDraft();
      this.store.currentId = this.draft.id;
      this.view.setState(this.stateFor(this.draft));
      $<HTMLInputElement>("draft-name").value = this.draft.name;
    }
    await this.renderDrafts();
  }

  // ----- files -----

  private async importFile(file: File): Promise<void> {
    const limit = this.info?.maxUploadBytes ?? Infinity;
    if (file.size > limit) {
      this.banner(`文件太大（${Math.ceil(file.size / 1048576)} MB），最大 ${Math.floor(limit / 1048576)} MB。`);
      return;
    }
    let response: Response;
    try {
      response = await fetch(`/api/import?name=${encodeURIComponent(file.name)}`, {
        method: "POST",
        headers: { ...authHeaders, "Content-Type": "application/octet-stream" },
        body: file,
      });
    } catch {
      this.banner("无法打开文件：服务器未连接。");
      return;
    }
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      this.banner(body.error ?? `无法打开文件（${response.status}）`);
      return;
    }
    $("banner").hidden = true;
    const stem = file.name.replace(/\.[^.]*$/, "");
    await this.switchTo(newDraft(body.text, stem));
    if (body.notes?.length) this.banner(body.notes.join("；"));
  }

  private async download(format: ExportFormat): Promise<void> {
    const text = this.view.state.doc.toString();
    let response: Response;
    try {
      response = await fetch("/api/export", {
        method: "POST",
        headers: { ...authHeaders, "Content-Type": "application/json" },
        body: JSON.stringify({ format: format.id, name: this.draft.name, text, original: this.draft.original || text }),
      });
    } catch {
      this.banner("无法下载：服务器未连接。文字已保存在浏览器中，连接恢复后再试。");
      return;
    }
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      this.banner(body.error ?? `无法下载（${response.status}）`);
      return;
    }
    const blob = await response.blob();
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = fileName(response.headers.get("Content-Disposition")) ?? `${this.draft.name}.${format.extension}`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    this.draft.downloaded = text;
    await this.saveNow();
  }

  /** For the end-to-end script: read-only views of the page's state. */
  testHooks() {
    return {
      view: () => this.view,
      text: () => this.view.state.doc.toString(),
      timings: () => this.checker.timings,
      report: () => this.lastReport,
      draftId: () => this.draft.id,
      /** The document version the server was last sent. */
      version: () => this.checker.client.workspace.getFile(uriOf(this.draft))?.version ?? -1,
      scrollTo: (offset: number) => EditorView.scrollIntoView(offset, { y: "center" }),
      coords: (offset: number) => this.view.coordsAtPos(offset),
    };
  }
}

function fileName(disposition: string | null): string | null {
  const m = disposition?.match(/filename\*=UTF-8''([^;]+)/i);
  return m ? decodeURIComponent(m[1]) : null;
}

async function main(): Promise<void> {
  const store = await DraftStore.open();
  const page = new Page(store, new Checker(), new Connection(socketUrl));
  await page.start();
  (window as unknown as { jianggao: unknown }).jianggao = page.testHooks();
}

void main();
