#!/usr/bin/env python3
"""Runs the checker over a folder of drafts (or single files) and prints what it finds:
per rule the counts of errors, warnings and hints, the rate per 100,000 characters, and
every error and warning with its context. Prints figures; asserts nothing.

usage: python3 scripts/eval.py [--bin target/release/jianggao] PATH [PATH ...]
"""
import argparse, collections, json, pathlib, subprocess, sys

LEVELS = ("error", "warning", "hint")


def files_of(paths):
    for p in map(pathlib.Path, paths):
        if p.is_dir():
            yield from sorted(f for f in p.iterdir() if f.suffix in (".txt", ".md"))
        elif p.exists():
            yield p


def context(lines, d, width=24):
    line = lines[d["line"] - 1] if d["line"] - 1 < len(lines) else ""
    start = d["column"] - 1
    end = d["end_column"] - 1 if d["end_line"] == d["line"] else len(line)
    before = line[max(0, start - width):start]
    return f"…{before}【{line[start:end]}】{line[end:end + width]}…"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default="target/release/jianggao")
    ap.add_argument("--quiet", action="store_true", help="figures only, no listing")
    ap.add_argument("paths", nargs="+")
    args = ap.parse_args()
    files = list(files_of(args.paths))
    if not files:
        print("no .txt or .md files found", file=sys.stderr)
        return 2
    counts = collections.defaultdict(collections.Counter)
    listing = []
    total_chars = 0
    for f in files:
        text = f.read_text(encoding="utf-8")
        total_chars += len(text)
        out = subprocess.run([args.bin, "check", "--format", "json", str(f)],
                             capture_output=True, text=True)
        if out.returncode == 2:
            print(f"{f}: {out.stderr.strip()}", file=sys.stderr)
            continue
        lines = text.splitlines()
        for d in json.loads(out.stdout or "[]"):
            level = d["severity"] if d["severity"] in LEVELS else "hint"
            counts[d["code"]][level] += 1
            if level in ("error", "warning"):
                listing.append((f.name, d, context(lines, d)))
    per = 100_000 / max(total_chars, 1)
    print(f"{len(files)} files, {total_chars:,} characters")
    print(f"{'rule':30} {'error':>6} {'warning':>8} {'hint':>6}   per 100k (e/w/h)")
    totals = collections.Counter()
    for code in sorted(counts):
        c = counts[code]
        totals.update(c)
        print(f"{code:30} {c['error']:>6} {c['warning']:>8} {c['hint']:>6}   "
              f"{c['error'] * per:.2f}/{c['warning'] * per:.2f}/{c['hint'] * per:.2f}")
    print(f"{'total':30} {totals['error']:>6} {totals['warning']:>8} {totals['hint']:>6}   "
          f"{totals['error'] * per:.2f}/{totals['warning'] * per:.2f}/{totals['hint'] * per:.2f}")
    if not args.quiet and listing:
        print()
        for name, d, ctx in listing:
            print(f"{name}:{d['line']}:{d['column']}: {d['severity']}[{d['code']}] {d['message']}")
            print(f"    {ctx}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # piped into head
        sys.exit(0)
