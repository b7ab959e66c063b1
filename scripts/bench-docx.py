#!/usr/bin/env python3
"""Times `jianggao check` on a 100-page Word document.

The draft is the shared corpus (../shared/corpus, else the bundled fixtures) repeated
until it fills at least 100 pages in the official layout (GB/T 9704: 22 lines of 28
characters); `jianggao export` turns it into a .docx. When LibreOffice is installed the
page count is taken from its PDF rendering, otherwise estimated from the character
count. Each command runs --runs times after one warm-up; the script prints figures and
asserts nothing.

    python3 scripts/bench-docx.py [--runs 20] [--pages 100]
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "jianggao")


def source_text():
    corpus = os.path.join(ROOT, "..", "shared", "corpus", "yishixingtai_speeches.txt")
    if os.path.exists(corpus):
        return "corpus", open(corpus, encoding="utf-8").read()
    parts = [open(os.path.join(ROOT, "tests", "fixtures", f), encoding="utf-8").read()
             for f in ("errors.txt", "markers.txt", "central_style.txt")]
    return "fixtures", "\n".join(parts)


def pages_of(docx, work):
    soffice = shutil.which("soffice")
    if not soffice or not shutil.which("pdfinfo"):
        return None
    profile = "file://" + os.path.join(work, "profile")
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", work, docx],
                   check=True, capture_output=True)
    pdf = os.path.splitext(docx)[0] + ".pdf"
    info = subprocess.run(["pdfinfo", pdf], check=True, capture_output=True, text=True).stdout
    for line in info.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return None


def time_runs(args, runs):
    subprocess.run(args, capture_output=True)  # warm-up (page cache)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, capture_output=True)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return times


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--pages", type=int, default=100)
    opts = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    name, text = source_text()
    work = tempfile.mkdtemp(prefix="jianggao-bench-docx-")
    body = [line for line in text.splitlines() if line.strip()]
    # Lines of the layout one copy takes: a paragraph starts two characters in and
    # ends its last line short.
    lines = sum(-(-(len(line.strip()) + 2) // 28) for line in body) + 1
    copies = -(-opts.pages * 22 // lines)
    draft = ["关于意识形态工作的讲话（汇编）", ""]
    for i in range(copies):
        draft.append(f"第{i + 1}篇")
        draft.extend(body)
    txt = os.path.join(work, "draft.txt")
    with open(txt, "w", encoding="utf-8") as f:
        f.write("\n".join(draft) + "\n")
    docx = os.path.join(work, "draft.docx")
    subprocess.run([BIN, "export", txt, "-o", docx], check=True, capture_output=True)
    pages = pages_of(docx, work)
    how = "LibreOffice PDF" if pages else "estimated"
    if not pages:
        pages = copies * lines // 22
    size = os.path.getsize(docx) // 1024
    print(f"draft: {name} × {copies}, {sum(len(l) for l in draft):,} chars, "
          f"{pages} pages ({how}), {size} KB .docx")
    rows = [
        ("check draft.docx", [BIN, "check", docx]),
        ("check --format json draft.docx", [BIN, "check", "--format", "json", docx]),
        ("outline draft.docx", [BIN, "outline", docx]),
        ("check --fix -o out.docx draft.docx",
         [BIN, "check", "--fix", "-o", os.path.join(work, "out.docx"), docx]),
        ("check draft.txt (same text)", [BIN, "check", txt]),
    ]
    print(f"\n| command | median ms | min ms | max ms |\n|---|---|---|---|")
    for label, args in rows:
        t = time_runs(args, opts.runs)
        print(f"| `{label}` | {statistics.median(t):.0f} | {t[0]:.0f} | {t[-1]:.0f} |")
    print(f"\n({opts.runs} runs each after a warm-up; {os.cpu_count()} cores)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
