"""Shared helpers for the protocol suite (pytest-lsp against `jianggao lsp`)."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import threading

import pytest

HERE = pathlib.Path(__file__).resolve().parent
E2E = HERE.parent
REPO = E2E.parent.parent
FIXTURE = E2E / "fixtures" / "讲稿.txt"
CAPABILITIES = E2E / "capabilities"
TIMEOUT = float(os.environ.get("JIANGGAO_E2E_TIMEOUT_MS", "15000")) / 1000


def server_bin() -> str:
    env = os.environ.get("JIANGGAO_BIN")
    if env:
        return str(pathlib.Path(env).resolve())
    for p in (REPO / "target" / "release" / "jianggao", REPO / "target" / "debug" / "jianggao"):
        if p.exists():
            return str(p)
    raise RuntimeError("no server binary: set JIANGGAO_BIN")


# ---------------------------------------------------------------- positions
def units(text: str, encoding: str) -> int:
    """Length of TEXT in the code units of ENCODING (an LSP PositionEncodingKind)."""
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-16":
        return len(text.encode("utf-16-le")) // 2
    if encoding == "utf-32":
        return len(text)
    raise ValueError(encoding)


def index_of(line: str, character: int, encoding: str) -> int:
    """Python string index of the LSP column CHARACTER on LINE (exact, or error)."""
    count = 0
    for i, ch in enumerate(line):
        if count == character:
            return i
        count += units(ch, encoding)
        if count > character:
            raise AssertionError(f"column {character} ({encoding}) splits {ch!r} on {line!r}")
    if count == character:
        return len(line)
    raise AssertionError(f"column {character} ({encoding}) is past the end of {line!r}")


def text_at(lines: list[str], rng, encoding: str) -> str:
    """The text that an LSP range (typed or dict) covers on one line."""
    start = rng.start if hasattr(rng, "start") else rng["start"]
    end = rng.end if hasattr(rng, "end") else rng["end"]
    sl = start.line if hasattr(start, "line") else start["line"]
    sc = start.character if hasattr(start, "character") else start["character"]
    el = end.line if hasattr(end, "line") else end["line"]
    ec = end.character if hasattr(end, "character") else end["character"]
    assert sl == el, f"multi-line range {rng}"
    line = lines[sl]
    return line[index_of(line, sc, encoding) : index_of(line, ec, encoding)]


# ---------------------------------------------------------------- raw JSON-RPC
class RawSession:
    """A minimal JSON-RPC client that keeps the server's answers as raw JSON,
    for checks that must see exactly what was sent (no typed round trip)."""

    def __init__(self, capabilities: dict, settings: dict | None = None):
        self.proc = subprocess.Popen(
            [server_bin(), "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.next_id = 0
        self.notifications: list[dict] = []
        # Requests the server sent (workspace/applyEdit, …), kept raw.
        self.server_requests: list[dict] = []
        self.capabilities = capabilities
        # What workspace/configuration answers for section "jianggao" (None: null).
        self.settings = settings

    def _send(self, message: dict) -> None:
        body = json.dumps(message, ensure_ascii=False).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def _recv(self) -> dict:
        result: dict = {}

        def read() -> None:
            headers = {}
            while True:
                line = self.proc.stdout.readline()
                if not line:
                    raise EOFError("server closed stdout")
                line = line.decode("ascii").strip()
                if not line:
                    break
                name, _, value = line.partition(":")
                headers[name.lower()] = value.strip()
            result["m"] = json.loads(self.proc.stdout.read(int(headers["content-length"])))

        t = threading.Thread(target=read, daemon=True)
        t.start()
        t.join(TIMEOUT)
        if "m" not in result:
            raise TimeoutError(f"no message from the server within {TIMEOUT}s")
        return result["m"]

    def notify(self, method: str, params) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params):
        self.next_id += 1
        my_id = self.next_id
        self._send({"jsonrpc": "2.0", "id": my_id, "method": method, "params": params})
        while True:
            m = self._recv()
            if "method" in m and "id" in m:  # server → client request
                self.server_requests.append(m)
                result = None
                if m["method"] == "workspace/configuration":
                    result = [self.settings if item.get("section") == "jianggao" else None for item in m["params"]["items"]]
                elif m["method"] == "workspace/applyEdit":
                    result = {"applied": True}
                self._send({"jsonrpc": "2.0", "id": m["id"], "result": result})
            elif "method" in m:
                self.notifications.append(m)
            elif m.get("id") == my_id:
                if "error" in m:
                    raise AssertionError(f"{method} failed: {m['error']}")
                return m.get("result")

    def close(self) -> None:
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.proc.wait(timeout=TIMEOUT)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()


@pytest.fixture
def fixture_text() -> str:
    return FIXTURE.read_text(encoding="utf-8")
