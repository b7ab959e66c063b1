#!/usr/bin/env python3
"""LSP latency benchmark: drives language servers over stdio the way an editor does.

Measures, per draft (the corpus speech; drafts of 512 KB, 1 MB and 10 MB made by
repeating the project's fixtures and the shared corpus under their own titles):
  initialize round trip; didOpen -> diagnostics (in the session that goes on, and as
  "open, fresh server": the first open in each of several servers started for it,
  alternating between the servers compared, since a peer's one sample varies by half
  from run to run), then opens of a text not seen before
  ("open another") and of the text just closed ("reopen"), with the number of
  diagnostics each publish that counts carried (a server that publishes none has not
  analysed the text, and no ratio is printed); after each of those closes, how long
  the next request (a hover on the draft still open) waits ("close → next answer":
  freeing a large document must not hold it up); N single-character edits at random
  places, each timed from didChange to the diagnostics of that version; hover,
  completion and documentSymbol round trips at formula positions; pull diagnostics
  (LSP 3.17 `textDocument/diagnostic`) after an edit and unchanged; peak RSS after
  opening and editing, and at the end.

When diagnostics count as arrived: a server that sends the document version with its
publishes is timed to the publish of that version. A server that sends no version
(AutoCorrect) may publish more than once per change (it first clears the list, then
sends the real one), so it is timed to the *last* publish before a quiet interval (no
further publish for max(0.5 s, the time the change took so far)); the first publish is
reported too, as "(first publish)", where it differs. A message counts as arrived when
the last byte of its frame has been read, before this script parses its JSON; a message
counts as sent when its first byte is written, after this script has encoded it (a
client's own work: encoding a 1 MB didOpen takes Python about 2.4 ms).

Side by side with AutoCorrect's server (`autocorrect server`, npm package
autocorrect-node@2, installed into .bench/ by this script; skipped with a note when it
cannot be installed). AutoCorrect only supports full-document sync, so it is sent the
full text on each edit; that difference is part of the comparison.

Usage: scripts/bench-lsp.py [--edits N] [--fresh N] [--sizes corpus,512kb,1mb,10mb] [--no-peer]
       (also 50mb, not among the defaults: how the server copes with a draft no
       speech reaches, e.g. how long a close holds up the next request)
       scripts/bench-lsp.py --compare-opens N BINARY [BINARY ...] [--sizes 1mb]
       scripts/bench-lsp.py --compare-fresh N BINARY [BINARY ...] [--sizes 1mb]
Prints a table; asserts nothing. The second form opens each draft N times in each of
the given jianggao binaries, one server each, alternating between them so that a busy
machine slows each alike, asks for its outline (documentSymbol) once per open, and
prints the median and fastest of each. The third times the first open in each of N
fresh servers per binary ("open, fresh server"), the binaries taking turns.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import queue
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / ".bench"
FIXTURES = ["examples/讲话稿示例.txt", "tests/fixtures/errors.txt", "tests/fixtures/markers.txt", "tests/fixtures/central_style.txt"]
CORPUS = ROOT.parent / "shared" / "corpus" / "yishixingtai_speeches.txt"
FORMULAS = ["四个意识", "四个自信", "两个维护", "四个全面", "一岗双责", "两学一做"]
# A versionless server's diagnostics are final when nothing follows for this long (or
# for as long as the change has taken so far, if longer).
QUIET_MIN = 0.5
# Opens of the draft under other names after the first ("open another" and "reopen").
REOPENS = 5


def sources():
    out = [(ROOT / f).read_text(encoding="utf-8") for f in FIXTURES]
    if CORPUS.exists():
        out.append(CORPUS.read_text(encoding="utf-8"))
    return out


def draft(size_bytes):
    src = sources()
    parts, n, i = [], 0, 0
    while n < size_bytes:
        piece = f"第{i + 1}篇讲话稿\n" + src[i % len(src)] + "\n"
        parts.append(piece)
        n += len(piece.encode("utf-8"))
        i += 1
    return "".join(parts)


def corpus_draft():
    return CORPUS.read_text(encoding="utf-8") if CORPUS.exists() else draft(32 * 1024)


class Server:
    def __init__(self, cmd, name):
        self.name = name
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.q = queue.Queue()
        self.next_id = 1
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.q.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            body = out.read(length)
            # A message counts as arrived when its last byte has been read; the time
            # this script then takes to parse it is the client's, not the server's.
            arrived = time.perf_counter()
            self.q.put((arrived, json.loads(body)))

    def send(self, msg):
        """Writes one message; returns when its first byte was written. Encoding it is
        the client's work (as parsing is, see `_read`), so timings start after it."""
        body = json.dumps(msg, ensure_ascii=False).encode("utf-8")
        data = b"Content-Length: %d\r\n\r\n" % len(body) + body
        start = time.perf_counter()
        self.proc.stdin.write(data)
        self.proc.stdin.flush()
        return start

    def notify(self, method, params):
        return self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params, timeout=120):
        rid = self.next_id
        self.next_id += 1
        start = self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        t, msg = self.wait(lambda m: m.get("id") == rid and "method" not in m, timeout)
        return t - start, msg

    def wait(self, pred, timeout=120):
        deadline = time.perf_counter() + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(self.name)
            try:
                item = self.q.get(timeout=left)
            except queue.Empty:
                raise TimeoutError(self.name) from None
            if item is None:
                raise EOFError(self.name)
            t, msg = item
            if "id" in msg and "method" in msg:  # a server request: answer it
                result = [None] if msg["method"] == "workspace/configuration" else None
                self.send({"jsonrpc": "2.0", "id": msg["id"], "result": result})
                continue
            if pred(msg):
                return t, msg

    def drain(self):
        """Drops messages already received (stale publishes of servers without versions)."""
        while True:
            try:
                item = self.q.get_nowait()
            except queue.Empty:
                return
            if item is None:
                self.q.put(None)
                return
            _, msg = item
            if "id" in msg and "method" in msg:
                result = [None] if msg["method"] == "workspace/configuration" else None
                self.send({"jsonrpc": "2.0", "id": msg["id"], "result": result})

    def publishes(self, uri, version, start, timeout=120):
        """Waits for the diagnostics of `version` (see the module doc); returns the times
        (since `start`) of the first publish and of the one that counts, and the number
        of diagnostics in the latter."""
        def pred(m):
            if m.get("method") != "textDocument/publishDiagnostics":
                return False
            p = m["params"]
            return p["uri"] == uri and p.get("version") in (None, version)
        t, msg = self.wait(pred, timeout)
        first = t - start
        if msg["params"].get("version") is not None:
            return first, first, len(msg["params"]["diagnostics"])
        last, count = first, len(msg["params"]["diagnostics"])
        while True:
            quiet = max(QUIET_MIN, last)
            try:
                t, msg = self.wait(pred, quiet)
            except TimeoutError:
                return first, last, count
            last, count = t - start, len(msg["params"]["diagnostics"])

    def peak_rss_mib(self):
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return float("nan")

    def close(self):
        try:
            self.request("shutdown", None, timeout=10)
            self.notify("exit", None)
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()


def stats(samples):
    s = sorted(samples)
    if not s:
        return None
    p99 = s[min(len(s) - 1, int(round(0.99 * (len(s) - 1))))]
    return statistics.median(s) * 1e3, p99 * 1e3, s[-1] * 1e3


def utf16_len(s):
    return len(s.encode("utf-16-le")) // 2


def random_edits(text, count):
    """Single-character insertions at random places, generated one at a time: (line,
    utf-16 col, char, the lines after the edit; the list is updated in place)."""
    lines = text.split("\n")
    rng = random.Random(42)
    for i in range(count):
        line = rng.randrange(len(lines))
        content = lines[line].rstrip("\r")
        col_chars = rng.randrange(len(content) + 1)
        ch = "字，的一"[i % 4]
        lines[line] = content[:col_chars] + ch + content[col_chars:] + ("\r" if lines[line].endswith("\r") else "")
        yield line, utf16_len(content[:col_chars]), ch, lines


def change_of(edit, full_sync):
    line, col, ch, lines = edit
    if full_sync:
        return {"text": "\n".join(lines)}
    return {"range": {"start": {"line": line, "character": col}, "end": {"line": line, "character": col}}, "text": ch}


def initialize(server):
    # Completion as VS Code and Neovim declare it: documentation resolved when an item is shown.
    td = {"publishDiagnostics": {"versionSupport": True},
          "completion": {"completionItem": {"snippetSupport": True, "documentationFormat": ["markdown"],
                                            "resolveSupport": {"properties": ["documentation", "detail"]}}},
          "documentSymbol": {"hierarchicalDocumentSymbolSupport": True}}
    t, _ = server.request("initialize", {"processId": None, "rootUri": None, "capabilities": {"textDocument": td}})
    server.notify("initialized", {})
    return t


def run(server, text, edits, full_sync, rich):
    uri = "file:///tmp/jianggao-bench/draft.txt"
    res = {"initialize": [initialize(server)]}
    start = server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": text}})
    first, final, count = server.publishes(uri, 1, start, timeout=600)
    res["open"], res["open (first publish)"] = [final], [first]
    # How many diagnostics the publish that counts carried, per figure: a server that
    # publishes none has not analysed the text, and its time is no comparison.
    res["counts"] = {"open": [count], "edit": [], "open another": [], "reopen": []}
    # An editor's first keystroke comes a moment after opening.
    time.sleep(1.0)
    server.drain()
    samples, firsts = [], []
    lines = text.split("\n")
    for i, edit in enumerate(random_edits(text, edits)):
        lines = edit[3]
        version = i + 2
        start = server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                         "contentChanges": [change_of(edit, full_sync)]})
        first, final, count = server.publishes(uri, version, start, timeout=300)
        samples.append(final)
        firsts.append(first)
        res["counts"]["edit"].append(count)
    res["edit"], res["edit (first publish)"] = samples, firsts
    # Memory for checking alone, before any other request.
    res["rss open"] = server.peak_rss_mib()
    if rich:
        spots = []
        for ln, content in enumerate(lines):
            for f in FORMULAS:
                at = content.find(f)
                if at >= 0:
                    spots.append((ln, utf16_len(content[:at]) + 1, utf16_len(content[:at]) + 2))
            if len(spots) >= 200:
                break
        hov, comp, sym = [], [], []
        if spots:
            # One completion first, as an editor session has had by then (a server may
            # build indexes on first use).
            ln, c, c2 = spots[0]
            server.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": {"line": ln, "character": c2}})
            time.sleep(2.0)
        for ln, c, c2 in spots:
            t, _ = server.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": ln, "character": c}})
            hov.append(t)
            t, _ = server.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": {"line": ln, "character": c2}})
            comp.append(t)
        for _ in range(20):
            t, _ = server.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
            sym.append(t)
        res["hover"], res["completion"], res["documentSymbol"] = hov, comp, sym
    res["rss"] = server.peak_rss_mib()
    # The first open is one sample on a machine that may be busy; open the draft again
    # under other names (closing each), as an editor opens further files. "open
    # another" is a text the server has not seen (the draft with k + 1 more line breaks
    # at its end); "reopen" is that text again, opened under yet another name right
    # after it was closed (as an editor does on "Save As" or when a closed tab is
    # reopened), which a server may answer from what it kept. After the memory figures,
    # which these opens would raise.
    res["open another"], res["reopen"], res["close → next answer"] = [], [], []
    for k in range(REOPENS):
        variant = text + "\n" * (k + 1)
        for key, name in (("open another", f"another-{k}"), ("reopen", f"reopen-{k}")):
            time.sleep(0.3)
            server.drain()
            other = f"file:///tmp/jianggao-bench/{name}.txt"
            start = server.notify("textDocument/didOpen", {"textDocument": {"uri": other, "languageId": "plaintext", "version": 1, "text": variant}})
            _, final, count = server.publishes(other, 1, start, timeout=600)
            res[key].append(final)
            res["counts"][key].append(count)
            server.notify("textDocument/didClose", {"textDocument": {"uri": other}})
            # Whether closing holds up the next message: a hover on the draft still open
            # (AutoCorrect answers that it has none), sent right after the close.
            t, _ = server.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}})
            res["close → next answer"].append(t)
    return res


def fresh_opens(servers, text, n):
    """The first didOpen -> diagnostics of each of `n` sessions per server (`servers`:
    name -> command), each session started, initialized, sent the draft and stopped;
    the servers take turns, so a busy moment slows each alike. Returns, per name, the
    times and the number of diagnostics each publish that counts carried."""
    out = {name: ([], []) for name in servers}
    uri = "file:///tmp/jianggao-bench/fresh.txt"
    for _ in range(n):
        for name, cmd in servers.items():
            server = Server(cmd, name)
            try:
                initialize(server)
                start = server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": text}})
                _, final, count = server.publishes(uri, 1, start, timeout=600)
                out[name][0].append(final)
                out[name][1].append(count)
            finally:
                server.close()
    return out


def run_pull(server, text, edits):
    """A client with pull diagnostics: each edit is followed by `textDocument/diagnostic`
    with the previous result id, timed from didChange to the report; then the same
    request again, which must come back `unchanged`."""
    uri = "file:///tmp/jianggao-bench/draft.txt"
    caps = server.request("initialize", {"processId": None, "rootUri": None, "capabilities": {"textDocument": {
        "diagnostic": {"dynamicRegistration": False}}}})[1].get("result", {}).get("capabilities", {})
    server.notify("initialized", {})
    if "diagnosticProvider" not in caps:
        return {}
    server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": text}})
    _, msg = server.request("textDocument/diagnostic", {"textDocument": {"uri": uri}}, timeout=600)
    result_id = msg["result"].get("resultId")
    time.sleep(1.0)
    changed, unchanged = [], []
    for i, edit in enumerate(random_edits(text, edits)):
        start = server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": i + 2},
                                                         "contentChanges": [change_of(edit, False)]})
        sent = time.perf_counter()
        t, msg = server.request("textDocument/diagnostic", {"textDocument": {"uri": uri}, "previousResultId": result_id})
        changed.append(sent - start + t)
        result_id = msg["result"].get("resultId")
        t, msg = server.request("textDocument/diagnostic", {"textDocument": {"uri": uri}, "previousResultId": result_id})
        if msg["result"].get("kind") == "unchanged":
            unchanged.append(t)
    return {"edit (pull)": changed, "pull unchanged": unchanged}


def install_autocorrect():
    exe = BENCH_DIR / "autocorrect" / "node_modules" / ".bin" / "autocorrect"
    if exe.exists():
        return exe
    try:
        (BENCH_DIR / "autocorrect").mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(BENCH_DIR / "autocorrect"), "autocorrect-node@2"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    except Exception as e:  # noqa: BLE001
        print(f"note: AutoCorrect could not be installed ({e}); peer skipped", file=sys.stderr)
        return None
    return exe if exe.exists() else None


def table_head(note, columns):
    """Prints what a table's figures are, then its header row."""
    print(f"\n{note}\n")
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))


def compare_opens(binaries, drafts, sizes, n):
    """Alternating opens (each closed again) of each draft in one server per binary."""
    table_head(f"ms, median / fastest of {n}, alternating binaries", ["draft", "figure", *binaries])
    for size in sizes:
        text = drafts[size]()
        servers = [Server([b, "lsp"], b) for b in binaries]
        for server in servers:
            initialize(server)
        time.sleep(1.5)
        times = [[] for _ in binaries]
        outlines = [[] for _ in binaries]
        for k in range(n):
            # A text each server has not seen (see `run`), so every open is analysed.
            variant = text + "\n" * (k + 1)
            for server, samples, outline in zip(servers, times, outlines):
                uri = f"file:///tmp/jianggao-bench/open-{k}.txt"
                start = server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": variant}})
                _, final, _ = server.publishes(uri, 1, start, timeout=600)
                samples.append(final * 1e3)
                t, _ = server.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
                outline.append(t * 1e3)
                server.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
                time.sleep(0.2)
                server.drain()
        for server in servers:
            server.close()
        label = f"{size} ({len(text.encode('utf-8')) // 1024} KB)"
        for figure, samples in (("didOpen -> diagnostics", times), ("documentSymbol", outlines)):
            cells = [f"{statistics.median(t):.1f} / {min(t):.1f}" for t in samples]
            print(f"| {label} | {figure} | " + " | ".join(cells) + " |")


def compare_fresh(binaries, drafts, sizes, n):
    """The first open in each of `n` fresh servers per binary, the binaries alternating."""
    table_head(f"ms, median / fastest of {n} fresh servers each, alternating binaries", ["draft", *binaries])
    for size in sizes:
        text = drafts[size]()
        times = fresh_opens({b: [b, "lsp"] for b in binaries}, text, n)
        label = f"{size} ({len(text.encode('utf-8')) // 1024} KB)"
        cells = [f"{statistics.median(times[b][0]) * 1e3:.1f} / {min(times[b][0]) * 1e3:.1f}" for b in binaries]
        print(f"| {label} | " + " | ".join(cells) + " |")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--compare-opens", type=int, metavar="N")
    ap.add_argument("--compare-fresh", type=int, metavar="N")
    ap.add_argument("binaries", nargs="*")
    ap.add_argument("--edits", type=int, default=200)
    ap.add_argument("--fresh", type=int, default=5, help="fresh servers per draft for 'open, fresh server' (a third of it, at least 2, on 10 MB and 50 MB)")
    ap.add_argument("--sizes", default="corpus,512kb,1mb,10mb")
    ap.add_argument("--no-peer", action="store_true")
    ap.add_argument("--bin", default=str(ROOT / "target" / "release" / "jianggao"))
    args = ap.parse_args()
    drafts = {"corpus": corpus_draft, "512kb": lambda: draft(1 << 19), "1mb": lambda: draft(1 << 20),
              "10mb": lambda: draft(10 << 20), "50mb": lambda: draft(50 << 20)}
    if args.compare_opens or args.compare_fresh:
        sizes = args.sizes.split(",") if args.sizes != ap.get_default("sizes") else ["1mb"]
        compare = compare_opens if args.compare_opens else compare_fresh
        compare(args.binaries or [args.bin], drafts, sizes, args.compare_opens or args.compare_fresh)
        return
    if not Path(args.bin).exists():
        subprocess.run(["cargo", "build", "--release"], cwd=ROOT, check=True)
    peer = None if args.no_peer else install_autocorrect()
    rows = []
    for size in args.sizes.split(","):
        text = drafts[size]()
        label = f"{size} ({len(text.encode('utf-8')) // 1024} KB)"
        edits = args.edits if size in ("corpus", "512kb", "1mb") else max(20, args.edits // 4)
        s = Server([args.bin, "lsp"], "jianggao")
        ours = run(s, text, edits, full_sync=False, rich=True)
        s.close()
        s = Server([args.bin, "lsp"], "jianggao")
        ours.update(run_pull(s, text, edits))
        s.close()
        theirs = None
        if peer:
            p = Server([str(peer), "server"], "autocorrect")
            try:
                theirs = run(p, text, edits, full_sync=True, rich=False)
            except Exception as e:  # noqa: BLE001
                print(f"note: AutoCorrect failed on {label}: {e!r}", file=sys.stderr)
            p.close()
        fresh = args.fresh if size in ("corpus", "512kb", "1mb") else max(2, args.fresh // 3)
        if fresh > 0:
            servers = {"jianggao": [args.bin, "lsp"]}
            if theirs is not None:
                servers["autocorrect"] = [str(peer), "server"]
            try:
                got = fresh_opens(servers, text, fresh)
            except Exception as e:  # noqa: BLE001
                print(f"note: fresh opens failed on {label}: {e!r}", file=sys.stderr)
                got = {}
            for name, res in (("jianggao", ours), ("autocorrect", theirs)):
                if res is not None and name in got:
                    res["open, fresh server"], res["counts"]["open, fresh server"] = got[name]
        rows.append((label, ours, theirs))

    print(f"\nLSP latency, ms (median / p99 / max); {args.edits} edits per draft (a quarter on 10 MB and 50 MB)\n")
    print("| draft | figure | jianggao | AutoCorrect | ratio (median) |")
    print("|---|---|---|---|---|")
    keys = ["initialize", "open", "open (first publish)", "open, fresh server", "open another", "reopen", "close → next answer", "edit", "edit (first publish)", "edit (pull)",
            "pull unchanged", "hover", "completion", "documentSymbol"]

    def fmt(v):
        return f"{v[0]:.2f} / {v[1]:.2f} / {v[2]:.2f}" if v else "—"

    for label, ours, theirs in rows:
        for key in keys:
            a = stats(ours.get(key, []))
            b = stats(theirs.get(key, [])) if theirs else None
            if key.endswith("(first publish)"):
                # Only where a server's first publish is not its diagnostics.
                base = key.split(" (")[0]
                same = lambda r: r is not None and r.get(key) == r.get(base)
                a = None if same(ours) else a
                b = None if theirs is None or same(theirs) else b
                if a is None and b is None:
                    continue
            if a is None and b is None:
                continue
            ratio = f"{b[0] / a[0]:.0f}×" if a and b and a[0] > 0 and not key.endswith("(first publish)") else ""
            if ratio and theirs and statistics.median(theirs["counts"].get(key, [1])) == 0:
                ratio = "none (it published no diagnostics)"
            print(f"| {label} | {key} | {fmt(a)} | {fmt(b)} | {ratio} |")
        rb = f"{theirs['rss open']:.0f}" if theirs else "—"
        print(f"| {label} | peak RSS MiB, open and edits | {ours['rss open']:.0f} | {rb} | |")
        rb = f"{theirs['rss']:.0f}" if theirs else "—"
        print(f"| {label} | peak RSS MiB, then hover, completion, outline | {ours['rss']:.0f} | {rb} | |")
        def counts(r):
            return " / ".join(f"{statistics.median(r['counts'][k]):.0f}" if r["counts"][k] else "—"
                              for k in ("open", "open another", "reopen", "edit"))
        nb = counts(theirs) if theirs else "—"
        print(f"| {label} | diagnostics: open / open another / reopen / edit (median) | {counts(ours)} | {nb} | |")


if __name__ == "__main__":
    main()
