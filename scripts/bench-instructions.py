#!/usr/bin/env python3
"""Instructions a `jianggao check` executes, counted by valgrind (Cachegrind without its
cache simulation): unlike times, the counts do not depend on what else the machine is
doing, so two versions can be compared on a busy machine. One thread
(RAYON_NUM_THREADS=1), whole process: start, knowledge base, reading the file, the
line pass, the document pass and the printed findings.

Usage: scripts/bench-instructions.py [binary ...]   (default: target/release/jianggao)

Drafts: the bundled example speech, and the 1 MB draft of scripts/bench-lsp.py. Prints
millions of instructions per binary and draft; asserts nothing.
"""
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def lsp_bench():
    spec = importlib.util.spec_from_file_location("bench_lsp", ROOT / "scripts" / "bench-lsp.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def instructions(binary, draft):
    env = dict(os.environ, RAYON_NUM_THREADS="1")
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            ["valgrind", "--tool=cachegrind", "--cache-sim=no", f"--cachegrind-out-file={tmp}/out",
             binary, "check", str(draft)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    found = re.search(r"I\s+refs:\s+([\d,]+)", out.stderr)
    if not found:
        raise SystemExit(f"valgrind printed no count for {binary}:\n{out.stderr[-2000:]}")
    return int(found.group(1).replace(",", "")) / 1e6


def main():
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    binaries = sys.argv[1:] or [str(ROOT / "target" / "release" / "jianggao")]
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "draft-1mb.txt"
        big.write_text(lsp_bench().draft(1 << 20), encoding="utf-8")
        drafts = [("bundled speech", ROOT / "examples" / "讲话稿示例.txt"), ("1 MB draft", big)]
        print("| binary | " + " | ".join(name for name, _ in drafts) + " |")
        print("|---|" + "---|" * len(drafts))
        for binary in binaries:
            counts = [f"{instructions(binary, path):.1f} M" for _, path in drafts]
            print(f"| {binary} | " + " | ".join(counts) + " |")


if __name__ == "__main__":
    main()
