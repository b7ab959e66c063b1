// End-to-end test of `jianggao serve` in a real browser: Debian's Chromium, headless,
// driven by playwright-core (nothing is downloaded). Expected results come from
// jianggao itself by other routes (see oracle.mjs), never from this file.
//
//   node e2e/run.mjs [path/to/jianggao]     (default: ../target/release/jianggao)
//
// Prints each check, the latency figures, and `N passed, N failed`. Screenshots go to
// e2e/out/. Skips (exit 0) when Chromium or the shared corpus is missing, except under
// CI=true, where that is a failure.

import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Oracle, applyCoreEdits, positionOf } from "./oracle.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");
const bin = resolve(process.argv[2] ?? join(repo, "target/release/jianggao"));
const corpusPath = resolve(repo, "../shared/corpus/yishixingtai_speeches.txt");
const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const out = join(here, "out");
const inCI = process.env.CI === "true";
const KEYSTROKES = Number(process.env.JIANGGAO_E2E_KEYSTROKES ?? 40);
const PASTES = Number(process.env.JIANGGAO_E2E_PASTES ?? 5);

for (const [what, path] of [
  ["jianggao binary", bin],
  ["Chromium", chromiumPath],
  ["shared corpus", corpusPath],
]) {
  if (!existsSync(path)) {
    console.log(`${inCI ? "FAIL" : "skip"}: ${what} not found at ${path}`);
    console.log(inCI ? "0 passed, 1 failed" : "0 passed, 0 failed, 1 skipped");
    process.exit(inCI ? 1 : 0);
  }
}
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

let passed = 0;
let failed = 0;
let skipped = 0;
async function step(name, fn) {
  const t = performance.now();
  try {
    await fn();
    passed++;
    console.log(`ok   ${name} (${Math.round(performance.now() - t)} ms)`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e?.stack ?? e}`);
  }
}
function assert(cond, message) {
  if (!cond) throw new Error(message);
}
function assertEqual(actual, expected, what) {
  const a = JSON.stringify(actual);
  const b = JSON.stringify(expected);
  if (a !== b) throw new Error(`${what}:\n  page:     ${a.slice(0, 600)}\n  jianggao: ${b.slice(0, 600)}`);
}

// ----- the server -----

function startServer(port) {
  return new Promise((resolveStart, reject) => {
    const proc = spawn(bin, ["serve", "--port", String(port)], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stdout} ${stderr}`)), 10000);
    proc.stderr.on("data", (d) => (stderr += d));
    proc.stdout.on("data", (d) => {
      stdout += d;
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolveStart({ proc, port: Number(m[1]), url: m[0] });
      }
    });
    proc.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${stderr}`));
    });
  });
}

function stopServer(server) {
  return new Promise((done) => {
    if (server.proc.exitCode !== null) return done();
    server.proc.removeAllListeners("exit");
    server.proc.on("exit", () => done());
    server.proc.kill("SIGTERM");
  });
}

// ----- the page -----

const hooks = (page, expr) => page.evaluate(`(() => { const j = window.jianggao; return ${expr}; })()`);

/** Waits until the page shows the analysis of its current text; returns the report. */
async function settled(p, timeout = 10000) {
  await p.waitForFunction(
    () => {
      const j = window.jianggao;
      return document.querySelector(".status.ok") && j.report() && j.report().version === j.version();
    },
    null,
    { timeout },
  );
  return hooks(p, "j.report()");
}

/** Outline as the page shows it: [{ name, kind, children }]. */
function pageOutline(page) {
  return page.evaluate(() => {
    const walk = (ul) =>
      Array.from(ul?.children ?? []).map((li) => ({
        name: li.querySelector(":scope > .node .name").textContent,
        kind: li.dataset.kind,
        detail: li.querySelector(":scope > .node .detail").textContent,
        children: walk(li.querySelector(":scope > ul")),
      }));
    return walk(document.querySelector("#outline > ul"));
  });
}

function cliOutline(nodes) {
  return nodes.map((n) => ({
    name: n.name || "（空）",
    kind: n.kind,
    detail: describe(n.chars, n.minutes),
    children: cliOutline(n.children),
  }));
}

function describe(chars, minutes) {
  return `${chars.toLocaleString("en-US")} 字 · ${minutes < 0.5 ? "不足 1 分钟" : `约 ${Math.round(minutes)} 分钟`}`;
}

function countPoints(nodes) {
  return nodes.reduce((n, x) => n + (x.kind === "heading" ? 0 : 1) + countPoints(x.children), 0);
}

/** Markdown and HTML reduced to the words, for comparing a rendered card with its source. */
function words(s) {
  return s
    .replace(/^\s*\d+\.\s+/gm, "") // ordered-list numbers are drawn by the list, not text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[*_`#>|\-\s—]/g, "");
}

function stats(values) {
  const v = [...values].sort((a, b) => a - b);
  const at = (p) => v[Math.min(v.length - 1, Math.floor(p * v.length))];
  return { n: v.length, median: at(0.5), p95: at(0.95), max: v[v.length - 1] };
}
const ms = (x) => x.toFixed(1);

// ----- the run -----

const corpus = readFileSync(corpusPath, "utf8");
const oracle = new Oracle(bin);
const figures = [];
let server = await startServer(0);
const origin = `http://127.0.0.1:${server.port}`;
const profile = mkdtempSync(join(tmpdir(), "jianggao-e2e-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: chromiumPath,
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
  viewport: { width: 1400, height: 900 },
  acceptDownloads: true,
  locale: "zh-CN",
});
await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin });
const pageErrors = [];
const dialogs = [];
let page;

async function openPage() {
  const p = await context.newPage();
  p.on("pageerror", (e) => pageErrors.push(e.message));
  p.on("dialog", (d) => {
    dialogs.push(d.type());
    void d.accept();
  });
  await p.goto(origin + "/");
  await p.waitForSelector(".status.ok", { timeout: 10000 });
  return p;
}

try {
  page = await openPage();

  await step("1. the page loads, connects over /lsp, and a pasted draft arrives whole", async () => {
    await page.click(".cm-content");
    await page.evaluate((t) => navigator.clipboard.writeText(t), corpus);
    await page.keyboard.press("Control+V");
    await page.waitForFunction((n) => window.jianggao.text().length === n, corpus.length, { timeout: 10000 });
    assert((await hooks(page, "j.text()")) === corpus, "the editor's text differs from the corpus");
  });

    await step("2. diagnostics, the outline (nested, with lengths) and the total time match jianggao's", async () => {
    await page.waitForFunction(() => window.jianggao.timings().some((t) => t.kind === "paste"), null, { timeout: 10000 });
    const report = await settled(page);
    const check = oracle.check(corpus);
    assertEqual(report.diagnostics.length, check.length, "number of diagnostics");
    assertEqual(
      report.diagnostics.map((d) => [d.range.start.line + 1, d.code, d.message]).sort(),
      check.map((d) => [d.line, d.code, d.message]).sort(),
      "diagnostics (line, code, message)",
    );
    const underlined = await page.locator(".cm-lintRange").count();
    assert(underlined > 0, "no underlined diagnostics in the editor");
    const expected = oracle.outline(corpus);
    const shown = await pageOutline(page);
    assertEqual(shown, cliOutline(expected.outline), "outline");
    const points = countPoints(expected.outline);
    assertEqual(await page.locator("#outline-count").getAttribute("data-points"), String(points), "points");
    assert(shown.some((n) => n.children.some((c) => c.children.length > 0)), "the outline is not nested three deep");
    console.log(`     outline: ${points} points; ${expected.chars} 字, ${expected.minutes.toFixed(1)} minutes`);
    const total = page.locator("#stats-total");
    assertEqual(Number(await total.getAttribute("data-chars")), expected.chars, "total 字数");
    assert(Math.abs(Number(await total.getAttribute("data-minutes")) - expected.minutes) < 1e-9, "total minutes");
    assertEqual(await total.textContent(), describe(expected.chars, expected.minutes), "total shown");
    await page.screenshot({ path: join(out, "1-draft.png") });
  });

  await step("3. hovering “四个意识” shows the card the language server gives", async () => {
    const text = await hooks(page, "j.text()");
    const at = text.indexOf("四个意识");
    assert(at >= 0, "“四个意识” is not in the corpus");
    const [hover] = await oracle.lsp(text, [["textDocument/hover", { position: positionOf(text, at + 1) }]]);
    assert(hover?.contents?.value, "the language server gives no hover for “四个意识”");
    await page.evaluate((o) => {
      const v = window.jianggao.view();
      v.dispatch({ effects: window.jianggao.scrollTo(o) });
    }, at);
    await page.waitForTimeout(100);
    const box = await hooks(page, `j.coords(${at + 1})`);
    await page.mouse.move(0, 0);
    await page.mouse.move(box.left + 4, (box.top + box.bottom) / 2);
    const card = page.locator(".cm-lsp-hover-tooltip");
    await card.waitFor({ timeout: 5000 });
    const shown = await card.textContent();
    assertEqual(words(shown), words(hover.contents.value), "hover card");
    const links = await card.locator("a").evaluateAll((as) => as.map((a) => [a.getAttribute("href"), a.rel]));
    assert(links.every(([href, rel]) => /^https?:\/\//.test(href) && rel.includes("noopener")), `links ${links}`);
    // The picture README shows.
    await page.screenshot({ path: join(out, "jianggao-serve.png") });
    await page.mouse.move(0, 0);
  });

  await step("4. typing “sgys” offers the formula and accepting it inserts it", async () => {
    await page.evaluate(() => {
      const v = window.jianggao.view();
      v.dispatch({ selection: { anchor: v.state.doc.length }, scrollIntoView: true });
      v.focus();
    });
    await page.keyboard.press("Enter");
    const before = await hooks(page, "j.text()");
    const probe = before + "sgys";
    const [completion] = await oracle.lsp(probe, [
      ["textDocument/completion", { position: positionOf(probe, probe.length) }],
    ]);
    const items = (completion?.items ?? completion ?? []).slice().sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
    assert(items.length > 0, "the language server offers nothing for “sgys”");
    await page.keyboard.type("sgys", { delay: 30 });
    const first = page.locator(".cm-tooltip-autocomplete li").first();
    await first.waitFor({ timeout: 5000 });
    const label = (await page.locator(".cm-tooltip-autocomplete li[aria-selected] .cm-completionLabel").textContent()) ?? "";
    assertEqual(label, items[0].label, "first completion");
    await page.screenshot({ path: join(out, "3-completion.png") });
    await page.keyboard.press("Enter");
    const after = await hooks(page, "j.text()");
    const inserted = items[0].textEdit?.newText ?? items[0].insertText ?? items[0].label;
    assertEqual(after, before + inserted, "text after accepting the completion");
  });

  await step("5a. a quick fix from the diagnostic's tooltip applies jianggao's fix", async () => {
    await settled(page);
    const text = await hooks(page, "j.text()");
    const check = oracle.check(text);
    const target = check.find((d) => d.fixes.length > 0 && d.line === d.end_line);
    assert(target, "no diagnostic with a fix in the corpus");
    const fix = target.fixes[0];
    const expected = applyCoreEdits(text, fix.edits);
    const from = (await page.evaluate(
      ([line, col]) => {
        const doc = window.jianggao.view().state.doc;
        const l = doc.line(line);
        return l.from + [...l.text].slice(0, col - 1).join("").length;
      },
      [target.line, target.column],
    ));
    await page.evaluate((o) => window.jianggao.view().dispatch({ effects: window.jianggao.scrollTo(o) }), from);
    await page.waitForTimeout(100);
    const box = await hooks(page, `j.coords(${from})`);
    await page.mouse.move(0, 0);
    await page.mouse.move(box.left + 3, (box.top + box.bottom) / 2);
    const button = page.locator(".cm-tooltip-lint .cm-diagnosticAction", { hasText: fix.title }).first();
    await button.waitFor({ timeout: 5000 });
    await page.screenshot({ path: join(out, "4-quickfix.png") });
    await button.click();
    await page.waitForFunction((t) => window.jianggao.text() !== t, text, { timeout: 5000 });
    assertEqual(await hooks(page, "j.text()"), expected, `text after “${fix.title}”`);
  });

  await step("5b. 全部修复 applies every certain fix jianggao finds", async () => {
    await settled(page);
    const text = await hooks(page, "j.text()");
    const certain = oracle
      .check(text)
      .map((d) => d.fixes.find((f) => f.certain))
      .filter(Boolean);
    assert(certain.length > 0, "nothing certain to fix");
    const expected = applyCoreEdits(text, certain.flatMap((f) => f.edits));
    await page.locator("#fix-all:not([disabled])").click();
    await page.waitForFunction((t) => window.jianggao.text() !== t, text, { timeout: 5000 });
    assertEqual(await hooks(page, "j.text()"), expected, "text after 全部修复");
    await page.mouse.move(0, 0);
  });

  const docxDownloads = [];
  await step("6. every download the server offers: .txt is the draft for Word (UTF-8 with BOM, CRLF), .docx a Word file", async () => {
    const info = await (await page.request.get(origin + "/api/info")).json();
    const text = await hooks(page, "j.text()");
    for (const format of info.export) {
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.locator(`button[data-format="${format.id}"]`).click(),
      ]);
      const saved = join(out, `download-${format.id}.${format.extension}`);
      await download.saveAs(saved);
      const bytes = readFileSync(saved);
      assert(download.suggestedFilename().endsWith(`.${format.extension}`), `file name ${download.suggestedFilename()}`);
      if (format.id === "txt") {
        const expected = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text.replace(/\r?\n/g, "\r\n"), "utf8")]);
        assert(bytes.equals(expected), "downloaded .txt differs from the draft");
      } else if (format.extension === "docx") {
        assert(bytes.subarray(0, 4).equals(Buffer.from("PK\x03\x04", "latin1")), `${format.id} is not a zip`);
        docxDownloads.push(saved);
      }
    }
    assert(info.export.some((f) => f.id === "txt"), "no .txt download");
  });

  await step("6b. opening a .txt file makes a new draft; the draft list switches between them", async () => {
    const sample = readFileSync(join(repo, "examples/讲话稿示例.txt"), "utf8");
    const file = join(out, "示例.txt");
    writeFileSync(file, sample);
    const corpusDraft = await hooks(page, "j.draftId()");
    await page.setInputFiles("#file-input", file);
    await page.waitForFunction((t) => window.jianggao.text() === t, sample, { timeout: 5000 });
    assertEqual(await page.locator("#draft-name").inputValue(), "示例", "draft name");
    assertEqual(await page.locator("#draft-list li").count(), 2, "drafts listed");
    await page.locator(`#draft-list li[data-id="${corpusDraft}"] .draft`).click();
    await page.waitForFunction((id) => window.jianggao.draftId() === id, corpusDraft, { timeout: 5000 });
    await settled(page);
  });

  const info = await (await page.request.get(origin + "/api/info")).json();
  if (!info.import.includes("docx") || docxDownloads.length === 0) {
    skipped++;
    console.log("skip 6c. .docx upload: the server does not import and export .docx yet");
  } else {
    await step("6c. uploading a .docx (the one just downloaded) opens the same text", async () => {
      const text = await hooks(page, "j.text()");
      const draft = await hooks(page, "j.draftId()");
      await page.setInputFiles("#file-input", docxDownloads[0]);
      await page.waitForFunction((d) => window.jianggao.draftId() !== d, draft, { timeout: 10000 });
      const opened = await hooks(page, "j.text()");
      assertEqual(opened.replace(/\s/g, ""), text.replace(/\s/g, ""), "text of the uploaded .docx (whitespace aside)");
      await page.locator(`#draft-list li[data-id="${draft}"] .draft`).click();
      await page.waitForFunction((d) => window.jianggao.draftId() === d, draft, { timeout: 5000 });
      await settled(page);
    });
  }

  await step("outline: clicking a point moves the cursor to it", async () => {
    await page.waitForSelector("#outline li .node");
    const nodes = page.locator("#outline li[data-kind=point] > .node");
    const last = nodes.last();
    const name = await last.locator(".name").textContent();
    await last.click();
    const line = await page.evaluate(() => {
      const v = window.jianggao.view();
      return v.state.doc.lineAt(v.state.selection.main.head).text;
    });
    assert(line.includes(name.replace(/…$/, "").slice(0, 6)), `cursor line “${line.slice(0, 30)}” is not at “${name}”`);
  });

  await step("performance: diagnostics after a paste and after keystrokes (figures below)", async () => {
    const draft = await hooks(page, "j.draftId()");
    // More pastes of the corpus, each into a new draft.
    for (let i = 0; i < PASTES; i++) {
      const count = (await hooks(page, "j.timings()")).length;
      await page.locator("#new-draft").click();
      await page.waitForFunction((d) => window.jianggao.draftId() !== d && window.jianggao.text() === "", draft);
      await page.click(".cm-content");
      await page.keyboard.press("Control+V");
      await page.waitForFunction((c) => window.jianggao.timings().length > c, count, { timeout: 10000 });
    }
    await page.locator(`#draft-list li[data-id="${draft}"] .draft`).click();
    await page.waitForFunction((d) => window.jianggao.draftId() === d, draft);
    await settled(page);
    const paste = (await hooks(page, "j.timings()")).filter((t) => t.kind === "paste");
    assert(paste.length === PASTES + 1, `${paste.length} paste timings`);
    const text = await hooks(page, "j.text()");
    const earlier = (await hooks(page, "j.timings()")).length;
    // Keystrokes at places spread over the draft, each waited for.
    const lines = text.split("\n");
    for (let i = 0; i < KEYSTROKES; i++) {
      const lineNo = 1 + Math.floor(((i * 7919) % lines.length));
      const count = (await hooks(page, "j.timings()")).length;
      await page.evaluate((n) => {
        const v = window.jianggao.view();
        const l = v.state.doc.line(Math.min(n, v.state.doc.lines));
        v.dispatch({ selection: { anchor: l.to } });
        v.focus();
      }, lineNo);
      await page.keyboard.type(i % 2 ? "。" : "的");
      await page.waitForFunction((c) => window.jianggao.timings().length > c, count, { timeout: 5000 });
    }
    const typedTimings = (await hooks(page, "j.timings()")).slice(earlier).filter((t) => t.kind === "type");
    const typed = typedTimings.map((t) => t.ms);
    const arrived = stats(typedTimings.map((t) => t.arrivedMs));
    const later = stats(paste.slice(1).map((t) => t.ms));
    const k = stats(typed);
    figures.push(
      `paste of ${(Buffer.byteLength(corpus) / 1024).toFixed(1)} KB → diagnostics shown: first (right after the page opened) ${ms(paste[0].ms)} ms; ${later.n} more into new drafts: median ${ms(later.median)} ms, max ${ms(later.max)} ms`,
      `keystroke → diagnostics shown (${k.n} keystrokes, ${(Buffer.byteLength(text) / 1024).toFixed(1)} KB draft): median ${ms(k.median)} ms, p95 ${ms(k.p95)} ms, max ${ms(k.max)} ms`,
      `keystroke → diagnostics received from the server: median ${ms(arrived.median)} ms, p95 ${ms(arrived.p95)} ms`,
    );
    assert(k.n === KEYSTROKES, `${k.n} keystroke timings for ${KEYSTROKES} keystrokes`);
  });

  await step("7. the draft survives a reload and a server restart", async () => {
    await page.waitForTimeout(400); // the save after the last keystroke
    const text = await hooks(page, "j.text()");
    await page.reload();
    await page.waitForSelector(".status.ok", { timeout: 10000 });
    assertEqual(await hooks(page, "j.text()"), text, "text after reload");
    assert(dialogs.includes("beforeunload"), "leaving with an undownloaded change did not warn");
    const port = server.port;
    await stopServer(server);
    await page.waitForSelector(".status.down", { timeout: 10000 });
    assert(await page.locator("#banner").isVisible(), "no notice that the server is gone");
    await page.screenshot({ path: join(out, "5-disconnected.png") });
    await page.evaluate(() => {
      const v = window.jianggao.view();
      v.dispatch({ selection: { anchor: 0 } });
      v.focus();
    });
    await page.keyboard.type("离线");
    const edited = await hooks(page, "j.text()");
    assertEqual(edited, "离线" + text, "typing while the server is away");
    server = await startServer(port);
    await page.waitForSelector(".status.ok", { timeout: 15000 });
    // Diagnostics for the text typed while away arrive after reconnecting.
    const check = oracle.check(edited);
    const after = await settled(page, 15000);
    assertEqual(after.diagnostics.length, check.length, "diagnostics after reconnecting");
    await page.waitForTimeout(400); // the save after the last keystroke
    const fresh = await openPage();
    assertEqual(await fresh.evaluate(() => window.jianggao.text()), edited, "text in a new page after the restart");
    await fresh.close();
  });

  await step("8. screenshots saved (jianggao-serve.png is README's)", async () => {
    for (const name of ["jianggao-serve.png", "1-draft.png", "3-completion.png", "4-quickfix.png", "5-disconnected.png"]) {
      const bytes = readFileSync(join(out, name));
      assert(bytes.length > 10000 && bytes.subarray(1, 4).toString() === "PNG", `${name} is not a screenshot`);
    }
  });

  await step("no script errors in the page", async () => {
    assertEqual(pageErrors, [], "page errors");
  });
} finally {
  await context.close().catch(() => {});
  await stopServer(server);
  rmSync(profile, { recursive: true, force: true });
  oracle.close();
}

for (const f of figures) console.log(`figure: ${f}`);
console.log(`screenshots in ${out}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed ? 1 : 0);
