#!/usr/bin/env python3
"""Tiny stdio LSP proxy: starts the real server, passes every byte through and
writes the client's `initialize` params to a JSON file.

    lsp_log_proxy.py OUT.json SERVER [ARGS...]

Used by `run.sh --record` to capture what a real client (Neovim, Eglot) sends.
Only the standard library is used, so any python3 can run it.
"""
import json
import subprocess
import sys
import threading


def main() -> int:
    out_path, cmd = sys.argv[1], sys.argv[2:]
    server = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    client_in, client_out = sys.stdin.buffer, sys.stdout.buffer

    def server_to_client() -> None:
        while True:
            chunk = server.stdout.read1(65536)
            if not chunk:
                break
            client_out.write(chunk)
            client_out.flush()

    pump = threading.Thread(target=server_to_client, daemon=True)
    pump.start()

    captured = False
    while True:
        headers = {}
        raw = b""
        while True:
            line = client_in.readline()
            if not line:
                break
            raw += line
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode("ascii").partition(":")
            headers[name.strip().lower()] = value.strip()
        if not raw:
            break
        body = client_in.read(int(headers.get("content-length", "0")))
        if not captured:
            try:
                message = json.loads(body)
            except ValueError:
                message = {}
            if message.get("method") == "initialize":
                with open(out_path, "w", encoding="utf-8") as f:
                    json.dump(message.get("params"), f, ensure_ascii=False, indent=2)
                captured = True
        server.stdin.write(raw + body)
        server.stdin.flush()
    server.stdin.close()
    pump.join(timeout=5)
    return server.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
