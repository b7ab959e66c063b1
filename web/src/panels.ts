// The side panels: the outline (click a point to jump to it) and the whole-draft
// statistics. Everything shown comes from the server's answers.

import type { DocumentSymbol, LspDiagnostic, Position, Statistics } from "./lsp";

/** SymbolKind values the server uses: headings, points, inline points. */
const KIND_NAMES: Record<number, string> = { 3: "heading", 23: "point", 8: "inline-point" };

export function renderOutline(
  container: HTMLElement,
  counter: HTMLElement,
  symbols: DocumentSymbol[],
  jump: (pos: Position) => void,
): void {
  container.replaceChildren();
  if (!symbols.length) {
    const p = document.createElement("p");
    p.className = "muted";
    p.textContent = "未发现序号或标题。";
    container.append(p);
    counter.textContent = "";
    return;
  }
  let points = 0;
  const build = (list: DocumentSymbol[]): HTMLUListElement => {
    const ul = document.createElement("ul");
    for (const s of list) {
      const kind = KIND_NAMES[s.kind] ?? "other";
      if (kind !== "heading") points++;
      const li = document.createElement("li");
      li.dataset.kind = kind;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "node";
      button.title = "跳到此处";
      const name = document.createElement("span");
      name.className = "name";
      name.textContent = s.name;
      const detail = document.createElement("span");
      detail.className = "detail";
      detail.textContent = s.detail ?? "";
      button.append(name, detail);
      button.addEventListener("click", () => jump(s.selectionRange.start));
      li.append(button);
      if (s.children?.length) li.append(build(s.children));
      ul.append(li);
    }
    return ul;
  };
  container.append(build(symbols));
  counter.textContent = `${points} 个要点`;
  counter.dataset.points = String(points);
}

/** “12,345 字 · 约 56 分钟”, as the server writes it in the outline. */
export function describeLength(chars: number, minutes: number): string {
  const time = minutes < 0.5 ? "不足 1 分钟" : `约 ${Math.round(minutes)} 分钟`;
  return `${chars.toLocaleString("en-US")} 字 · ${time}`;
}

export function renderStatistics(
  total: HTMLElement,
  problems: HTMLElement,
  words: HTMLElement,
  stats: Statistics | null,
  diagnostics: LspDiagnostic[],
  showProblems: () => void,
): void {
  if (stats) {
    total.textContent = describeLength(stats.chars, stats.minutes);
    total.title = `按每分钟 ${stats.rate} 字计算`;
    total.dataset.chars = String(stats.chars);
    total.dataset.minutes = String(stats.minutes);
  }
  const counts = [0, 0, 0];
  for (const d of diagnostics) counts[Math.min(Math.max((d.severity ?? 1) - 1, 0), 2)]++;
  problems.replaceChildren();
  problems.dataset.count = String(diagnostics.length);
  if (!diagnostics.length) {
    problems.textContent = "未发现问题";
  } else {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "link";
    button.textContent = `${counts[0]} 个错误，${counts[1]} 个警告，${counts[2]} 个提示`;
    button.title = "列出全部问题";
    button.addEventListener("click", showProblems);
    problems.append(button);
  }
  words.replaceChildren();
  if (stats?.words?.length) {
    const label = document.createElement("div");
    label.className = "muted";
    label.textContent = "高频词";
    const list = document.createElement("div");
    list.className = "word-list";
    for (const [w, n] of stats.words.slice(0, 12)) {
      const span = document.createElement("span");
      span.textContent = `${w} ${n}`;
      list.append(span);
    }
    words.append(label, list);
  }
}
