// What the page should show, from jianggao itself by other routes than the page: the
// command line (`outline`, `check --format json`) and the language server over stdio,
// as an editor would start it.

import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export class Oracle {
  constructor(bin) {
    this.bin = bin;
    this.dir = mkdtempSync(join(tmpdir(), "jianggao-e2e-oracle-"));
    this.n = 0;
  }

  /** Removes the drafts it wrote. */
  close() {
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Runs a CLI command on `text` saved as a file; returns parsed JSON stdout. */
  cliJson(args, text) {
    const file = join(this.dir, `draft-${this.n++}.txt`);
    writeFileSync(file, text);
    const r = spawnSync(this.bin, [...args, file], { encoding: "utf8", maxBuffer: 64 << 20 });
    if (r.error) throw r.error;
    return JSON.parse(r.stdout);
  }

  outline(text) {
    return this.cliJson(["outline", "--format", "json"], text)[0];
  }

  check(text) {
    return this.cliJson(["check", "--format", "json"], text);
  }

  /** One stdio LSP session: initialize like the page (Markdown hover), open `text`, run
   * `requests` (method, params without textDocument), shut down. */
  async lsp(text, requests) {
    const proc = spawn(this.bin, ["lsp"], { stdio: ["pipe", "pipe", "ignore"] });
    let buf = Buffer.alloc(0);
    const waiting = new Map();
    proc.stdout.on("data", (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const sep = buf.indexOf("\r\n\r\n");
        if (sep < 0) return;
        const len = Number(/Content-Length: (\d+)/i.exec(buf.subarray(0, sep).toString())[1]);
        if (buf.length < sep + 4 + len) return;
        const msg = JSON.parse(buf.subarray(sep + 4, sep + 4 + len).toString("utf8"));
        buf = buf.subarray(sep + 4 + len);
        if (msg.id != null && waiting.has(msg.id) && !msg.method) {
          waiting.get(msg.id)(msg);
          waiting.delete(msg.id);
        }
      }
    });
    let id = 0;
    const send = (msg) => {
      const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...msg }), "utf8");
      proc.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
      proc.stdin.write(body);
    };
    const request = (method, params) =>
      new Promise((resolve, reject) => {
        const my = ++id;
        const timer = setTimeout(() => reject(new Error(`${method} timed out`)), 10000);
        waiting.set(my, (m) => {
          clearTimeout(timer);
          resolve(m.result);
        });
        send({ id: my, method, params });
      });
    const uri = "untitled:oracle";
    await request("initialize", {
      processId: null,
      rootUri: null,
      capabilities: {
        textDocument: {
          hover: { contentFormat: ["markdown", "plaintext"] },
          completion: { completionItem: { snippetSupport: true, documentationFormat: ["markdown", "plaintext"] } },
        },
      },
    });
    send({ method: "initialized", params: {} });
    send({ method: "textDocument/didOpen", params: { textDocument: { uri, languageId: "plaintext", version: 0, text } } });
    const results = [];
    for (const [method, params] of requests) results.push(await request(method, { textDocument: { uri }, ...params }));
    await request("shutdown", undefined);
    send({ method: "exit" });
    proc.stdin.end();
    return results;
  }
}

/** An LSP position (UTF-16) of a string offset. */
export function positionOf(text, offset) {
  const before = text.slice(0, offset);
  const line = before.split("\n").length - 1;
  return { line, character: offset - (before.lastIndexOf("\n") + 1) };
}

/** A string offset of a core position (line, column in Unicode scalar values). */
export function offsetOfCore(text, { line, col }) {
  let offset = 0;
  for (let l = 0; l < line; l++) {
    const nl = text.indexOf("\n", offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  let chars = 0;
  while (chars < col && offset < text.length && text[offset] !== "\n") {
    offset += text.codePointAt(offset) > 0xffff ? 2 : 1;
    chars++;
  }
  return offset;
}

/** Applies core edits (from `check --format json`), dropping overlaps as the server does. */
export function applyCoreEdits(text, edits) {
  const spans = edits
    .map((e) => ({ from: offsetOfCore(text, e.span.start), to: offsetOfCore(text, e.span.end), insert: e.new_text }))
    .sort((a, b) => a.from - b.from);
  const kept = [];
  for (const s of spans) if (!kept.length || kept[kept.length - 1].to <= s.from) kept.push(s);
  let out = text;
  for (const s of kept.reverse()) out = out.slice(0, s.from) + s.insert + out.slice(s.to);
  return out;
}
