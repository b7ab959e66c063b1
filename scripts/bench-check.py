#!/usr/bin/env python3
"""`jianggao check`, whole process (start, knowledge base, reading the file, the line
pass on all cores, the document pass, printing the findings), on the bundled speech
and on the 1 MB and 10 MB drafts of scripts/bench-lsp.py.

Usage: scripts/bench-check.py [--runs N] [binary ...]   (default: target/release/jianggao)

Prints two tables, asserting nothing:
- wall time, median and fastest of N runs (default 11); with several binaries the runs
  alternate between them, so that a busy machine slows each alike;
- instructions, counted by valgrind (Cachegrind without its cache simulation) on one
  thread for the analysis (RAYON_NUM_THREADS=1): unlike times, the counts do not depend
  on what else the machine is doing, to within about 1 % (the threads that compile the
  patterns and free the analysis may or may not finish before the process ends).
  Skipped with a note when valgrind is not installed.
"""
import argparse
import importlib.util
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def lsp_bench():
    spec = importlib.util.spec_from_file_location("bench_lsp", ROOT / "scripts" / "bench-lsp.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def wall(binary, draft):
    start = time.perf_counter()
    subprocess.run([binary, "check", str(draft)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return (time.perf_counter() - start) * 1e3


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
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("binaries", nargs="*", default=[str(ROOT / "target" / "release" / "jianggao")])
    args = ap.parse_args()
    bench = lsp_bench()
    with tempfile.TemporaryDirectory() as tmp:
        drafts = [("bundled speech", ROOT / "examples" / "讲话稿示例.txt")]
        for name, size in [("1 MB draft", 1 << 20), ("10 MB draft", 10 << 20)]:
            path = Path(tmp) / f"{size}.txt"
            path.write_text(bench.draft(size), encoding="utf-8")
            drafts.append((name, path))
        header = "| binary | " + " | ".join(name for name, _ in drafts) + " |"
        rule = "|---|" + "---|" * len(drafts)
        print(f"\nWall time of `jianggao check`, ms: median / fastest of {args.runs} runs\n")
        print(header)
        print(rule)
        times = {(b, d): [] for b in args.binaries for d, _ in drafts}
        for name, path in drafts:
            for binary in args.binaries:
                wall(binary, path)  # warm the page cache
            for _ in range(args.runs):
                for binary in args.binaries:
                    times[(binary, name)].append(wall(binary, path))
        for binary in args.binaries:
            cells = [f"{statistics.median(times[(binary, n)]):.1f} / {min(times[(binary, n)]):.1f}" for n, _ in drafts]
            print(f"| {binary} | " + " | ".join(cells) + " |")
        if shutil.which("valgrind") is None:
            print("\nnote: valgrind is not installed (apt-get install valgrind); no instruction counts")
            return
        print("\nInstructions of `jianggao check` on one thread, millions\n")
        print(header)
        print(rule)
        for binary in args.binaries:
            cells = [f"{instructions(binary, path):.1f}" for _, path in drafts]
            print(f"| {binary} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
