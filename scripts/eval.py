#!/usr/bin/env python3
"""Runs the checker over a folder of drafts (or single files) and prints what it finds:
per rule the counts of errors, warnings and hints, the rate per 100,000 characters, and
every error and warning with its context. Prints figures; asserts nothing.

With --inject, measures recall on these texts instead: defects of the kinds writers
make (INJECTORS) are put into each text one at a time, at paragraphs chosen with a fixed
seed, and each counts as found when a finding of its rule lies on the line it was put
in. It also counts the cases that raised an error or warning on another line that the
text without the defect did not have ("elsewhere").

usage: python3 scripts/eval.py [--bin target/release/jianggao] [--inject] PATH [PATH ...]
"""
import argparse, collections, functools, json, pathlib, random, re, subprocess, sys, tempfile

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


def is_han(c):
    return "\u4e00" <= c <= "\u9fff"


def at_random(rnd, pattern, line, keep=lambda k: True):
    """The start of a random match of `pattern` in `line` that `keep` accepts, or None."""
    starts = [m.start() for m in re.finditer(pattern, line) if keep(m.start())]
    return rnd.choice(starts) if starts else None


# Each injector takes a random source, the lines and a body paragraph's index, and
# returns the paragraph with one defect and the rule that should report it (or None
# when the paragraph offers no place for it).

def placeholder_year(rnd, lines, i):
    m = list(re.finditer(r"[一二三四五六七八九〇○零十0-9０-９]{2,4}年", lines[i]))
    if not m:
        return None
    m = rnd.choice(m)
    return lines[i][:m.start()] + "xx年" + lines[i][m.end():], "placeholder"


def replaced(rnd, line, pattern, by, code, keep=lambda k: True, width=1):
    """`line` with `width` chars at a random match of `pattern` (that `keep` accepts)
    replaced by `by`, and the rule that should report it; None without a match."""
    k = at_random(rnd, pattern, line, keep)
    return None if k is None else (line[:k] + by + line[k + width:], code)


def placeholder_name(rnd, lines, i):
    return replaced(rnd, lines[i], "，", "，×××同志指出，", "placeholder")


def half_width_comma(rnd, lines, i):
    line = lines[i]
    return replaced(rnd, line, "，", ",", "half-width-punctuation",
                    lambda k: k > 0 and is_han(line[k - 1]) and is_han(line[k + 1:k + 2] or "a"))


def doubled_de(rnd, lines, i):
    return replaced(rnd, lines[i], "的", "的的", "doubled-word")


def doubled_phrase(rnd, lines, i):
    """Three chars typed twice (进一步进一步), as a paste or a slip of the keyboard does."""
    line = lines[i]
    k = at_random(rnd, r"[\u4e00-\u9fff]{3}", line, lambda k: len(set(line[k:k + 3])) == 3)
    return None if k is None else (line[:k + 3] + line[k:], "doubled-word")


NEXT_POINT = re.compile(r"^[　 ]*(?:[一二三四五六七八九十]+[、是要]|第[一二三四五六七八九十]+[，、]|[（(][一二三四五六七八九十]+[）)]|[0-9]+[.．、])")


def cut_before_point(rnd, lines, i):
    """A point's last sentence cut at a comma right before the next point (……。要加大
    招商引资力度， / 二是……)."""
    line = lines[i].rstrip()
    if i + 1 >= len(lines) or not NEXT_POINT.match(lines[i + 1]) or not line.endswith("。"):
        return None
    if "。" not in line[:-1]:
        return None
    return line[:-1] + "，", "broken-paragraph"


def doubled_full_stop(rnd, lines, i):
    line = lines[i]
    return replaced(rnd, line, "。", "。。", "doubled-punctuation", lambda k: k + 1 < len(line))


def unclosed_quote(rnd, lines, i):
    return replaced(rnd, lines[i], "”", "", "unbalanced-pair")


def stray_space(rnd, lines, i):
    line = lines[i]
    return replaced(rnd, line, ".", " ", "stray-space",
                    lambda k: k > 4 and is_han(line[k - 1]) and is_han(line[k]), width=0)


def congress_typo(rnd, lines, i):
    return replaced(rnd, lines[i], "，", "，认真学习贯彻党的十九精神，", "wrong-form")


def plenum_typo(rnd, lines, i):
    """A plenum's name with 全会 left out (党的二十届四中精神), any congress and plenum."""
    congress = rnd.choice(["十八", "十九", "二十"])
    plenum = rnd.choice("一二三四五六七")
    return replaced(rnd, lines[i], "，", f"，深入学习贯彻党的{congress}届{plenum}中精神，", "wrong-form")


# Runs of points inside a paragraph, by style: the pattern of a marker with its number.
INLINE_RUNS = [r"第([一二三四五六七八九])，", r"(?<!第)([一二三四五六七八九])是", r"(?<!第)([一二三四五六七八九])要"]


def inline_run(line):
    """The first run 1, 2, 3, … of one style in `line`: its markers' (start, end, number),
    and the style's pattern."""
    for pattern in INLINE_RUNS:
        marks = [(m.start(), m.end(), NUMERALS.index(m.group(1)) + 1) for m in re.finditer(pattern, line)]
        run = []
        for mark in marks:
            if mark[2] == len(run) + 1:
                run.append(mark)
        if len(run) >= 3:
            return run, pattern
    return None


def inline_gap(rnd, lines, i):
    """A run's third point numbered 四, and the points after it one more."""
    found = inline_run(lines[i])
    if not found:
        return None
    run, pattern = found
    line = lines[i]
    for start, end, n in reversed(run[2:]):
        old = line[start:end]
        line = line[:start] + old.replace(NUMERALS[n - 1], NUMERALS[n], 1) + line[end:]
    return line, "numbering-gap"


def shouxian_mixed(rnd, lines, i):
    """第一，……第二，…… with 首先 for 第一: a mixed series."""
    found = inline_run(lines[i])
    if not found or found[1] != INLINE_RUNS[0]:
        return None
    start, end, _ = found[0][0]
    return lines[i][:start] + "首先，" + lines[i][end:], "numbering-mixed-series"


def broken_paragraph(rnd, lines, i):
    """A stray line break in the middle of a sentence (between two Han chars, well
    inside the paragraph): one Enter typed, so one line break, whatever a text leaves
    between its paragraphs."""
    line = lines[i]
    return replaced(rnd, line, ".", "\n", "broken-paragraph",
                    lambda k: 20 < k < len(line) - 10 and is_han(line[k - 1]) and is_han(line[k]), width=0)


def typed_ellipsis(rnd, lines, i):
    """An ellipsis typed on the keyboard (......) where a clause breaks off."""
    line = lines[i]
    # Not the comma of a point's marker (第四，), which the dots would unmake.
    return replaced(rnd, line, "，", "......", "irregular-mark",
                    lambda k: k > 4 and is_han(line[k - 1]))


def percent_half_in_words(rnd, lines, i):
    """A percentage half in words (百分之5.2 for 5.2%)."""
    m = list(re.finditer(r"(?<![0-9.])([0-9]+(?:\.[0-9]+)?)%", lines[i]))
    if not m:
        return None
    m = rnd.choice(m)
    return lines[i][:m.start()] + "百分之" + m.group(1) + lines[i][m.end():], "numeral-mix"


def full_width_number(rnd, lines, i):
    """One number typed full-width (２０２４) in a paragraph whose other numbers are
    half-width."""
    m = list(re.finditer(r"(?<![0-9.])[0-9]+(?![0-9.])", lines[i]))
    if len(m) < 2:
        return None
    m = rnd.choice(m)
    wide = "".join(chr(ord(c) + 0xFEE0) for c in m.group(0))
    return lines[i][:m.start()] + wide + lines[i][m.end():], "full-width-alnum"


INJECTORS = [placeholder_year, placeholder_name, half_width_comma, doubled_de, doubled_phrase, cut_before_point,
             doubled_full_stop, unclosed_quote, stray_space, congress_typo, plenum_typo, broken_paragraph,
             typed_ellipsis, percent_half_in_words, full_width_number]
# Injectors that need a paragraph with a run of points: tried on every paragraph.
RUN_INJECTORS = [inline_gap, shouxian_mixed]

# Sentences with a defect of a formula or of a list's numbering, each added at the end
# of a paragraph of the text re-dated to 2025 (the formulas are recent; a text's date
# decides which wording applies), with the rule that should report it. Known wrong
# forms go into the re-dated text too (`wrong_form_cases`).
SENTENCES = [
    ("formula_reordered", "牢固树立政治意识、核心意识、大局意识、看齐意识。", "formula-list"),
    ("formula_incomplete", "要增强“四个意识”，即政治意识、大局意识、看齐意识。", "formula-list"),
    ("formula_item_off", "要统筹推进经济建设、政治建设、文化建设、社会建设、生态文明建树。", "formula-list"),
    ("formula_superseded", "要坚定道路自信、理论自信、制度自信。", "superseded-formula"),
    ("formula_count", "各级党组织要增强“三个意识”。", "formula-count"),
    ("phrase_char_left_out", "要坚持以习近平新时代中国特色社会义思想为指导。", "homophone-slip"),
    ("phrase_char_doubled", "要以中国式现代代化全面推进强国建设。", "homophone-slip"),
    ("mixed_series", "首先，要统一思想。第二，要强化责任。", "numbering-mixed-series"),
    ("announced_count", "今年要抓好四件事：一是抓学习；二是抓宣传；三是抓阵地。", "announced-count"),
    ("formula_item_left_out", "牢固树立政治意识、大局意识、看齐意识。", "formula-list"),
    ("formula_item_replaced", "牢固树立政治意识、大局意识、责任意识、看齐意识。", "formula-list"),
    ("impossible_date", "会议定于2025年6月31日召开。", "impossible-date"),
    ("nested_quote", "习近平总书记强调：“要坚决做到“两个维护”。”", "unbalanced-pair"),
    ("formula_value_slip", "倡导富强、民主、文明、和谐，倡导自由、平等、公正、法制，倡导爱国、敬业、诚信、友善。",
     "formula-list"),
    ("formula_item_sound_slip", "不断增强人民群众获得感、幸服感、安全感。", "formula-list"),
    ("formula_last_item_named", "要坚持创新、协调、绿色、开放、共赢的新发展理念。", "formula-list"),
    ("quoted_count_short", "各地要做到“三个到位”，即责任到位、措施到位。", "announced-count"),
    ("formula_lead_reordered", "要坚持人民至上、坚持自信自立、坚持问题导向、坚持守正创新、坚持系统观念、坚持胸怀天下。",
     "formula-list"),
    ("inline_paren_gap", "（一）强化政治监督。（二）深化作风建设。（四）严惩腐败问题。", "numbering-gap"),
    ("formula_split_reordered", "倡导富强、民主、文明、和谐，倡导自由、平等、公正、法治，倡导爱国、诚信、敬业、友善。",
     "formula-list"),
    ("formula_clauses_reordered", "中国式现代化是人口规模巨大的现代化，是全体人民共同富裕的现代化，是人与自然和谐共生的现代化，"
     "是物质文明和精神文明相协调的现代化，是走和平发展道路的现代化。", "formula-list"),
    ("formula_clause_item_off", "中国式现代化的本质要求是：坚持中国共产党领导，坚持中国特色社会主义，实现高质量发展，"
     "发展全过程人民民主，丰富人民精神世界，实现全体人民共同富裕，促进人与自然和谐共生，推动构建人类命运共同体，"
     "创造人类文明新型态。", "formula-list"),
    ("formula_count_unquoted", "要增强三个意识、坚定四个自信、做到两个维护。", "formula-count"),
    ("formula_count_er", "要深刻领悟“两个确立”的决定性意义，坚决做到二个维护。", "formula-count"),
    ("formula_clause_slip", "大力弘扬伟大建党精神，坚持真理、坚守理想，践行初心、担当使命，不怕牺牲、英勇斗争，对党忠诚、不服人民。",
     "formula-list"),
]


@functools.cache
def closed_lists():
    """Item lists of verified current formulas that texts quote whole: a name of their
    own (not their items joined), four items or more, not flagged as quoted in part or
    ambiguous."""
    import tomllib
    data = tomllib.loads(FORMULAS.read_text(encoding="utf-8"))["formula"]
    return [f["items"] for f in data
            if f.get("status") == "current" and f.get("verified") == "items" and "、" not in f["term"]
            and len(f.get("items", [])) >= 4 and not f.get("partial_ok") and not f.get("ambiguous")]


def list_cases(lines, per_text=6):
    """A closed list the text itself writes (A、B、C、D), with its middle item left out:
    the slip of a writer who copies a list from memory. Each case one list in one line."""
    cases = []
    for items in closed_lists():
        whole = "、".join(items)
        for i, l in enumerate(lines):
            if whole in l and len(cases) < per_text:
                k = len(items) // 2
                short = "、".join(items[:k] + items[k + 1:])
                changed = lines[:]
                changed[i] = l.replace(whole, short, 1)
                cases.append(("formula_list_in_text", changed, i, "formula-list"))
                break
    return cases
YEAR = re.compile(r"(19|20)\d\d年")
WRONG_FORMS = pathlib.Path(__file__).resolve().parent.parent / "data" / "wrong_forms.toml"
FORMULAS = WRONG_FORMS.parent / "formulas.toml"


@functools.cache
def wrong_forms():
    """The entries of data/wrong_forms.toml, read once."""
    import tomllib
    return tomllib.loads(WRONG_FORMS.read_text(encoding="utf-8"))["wrong"]


def wrong_form_cases(rnd, lines, per_text=6):
    """Known wrong forms (data/wrong_forms.toml) put in place of their right form where
    the text has it, up to `per_text` of them: each case one occurrence in one line. A
    place where the entry's own guards (not_after, not_before) would excuse the wrong
    form is not used: there the result is usually right (南朝鲜 → 南北朝鲜)."""
    entries = wrong_forms()

    def sites(w):
        out = []
        for i, l in enumerate(lines):
            for m in re.finditer(re.escape(w["right"]), l):
                before, after = l[:m.start()], l[m.end():]
                guarded = not any(before.endswith(g) for g in w.get("wrong_after", [])) and (
                    any(before.endswith(g) for g in w.get("not_after", []))
                    or any(after.startswith(g) for g in w.get("not_before", [])))
                if not guarded:
                    out.append((i, m.start()))
        return out

    usable = [(w, sites(w)) for w in entries if any(w["right"] in l for l in lines)]
    usable = [(w, found) for w, found in usable if found]
    cases = []
    for w, found in rnd.sample(usable, min(per_text, len(usable))):
        i, k = rnd.choice(found)
        changed = lines[:]
        changed[i] = lines[i][:k] + w["wrong"] + lines[i][k + len(w["right"]):]
        cases.append(("wrong_form_" + w["category"], changed, i, "wrong-form"))
    return cases


EVENTS = WRONG_FORMS.parent / "events.toml"
HAN_DIGITS = "〇一二三四五六七八九"


def han_to_int(s):
    """1..99 in Chinese numerals (五十, 三十五, 十二), or None."""
    if not s or any(c not in HAN_DIGITS + "十" for c in s):
        return None
    if "十" not in s:
        return HAN_DIGITS.index(s) if len(s) == 1 else None
    tens, _, units = s.partition("十")
    return (HAN_DIGITS.index(tens) if tens else 1) * 10 + (HAN_DIGITS.index(units) if units else 0)


def int_to_han(n):
    tens, units = divmod(n, 10)
    return ("" if tens < 2 else HAN_DIGITS[tens]) + ("十" if tens else "") + (HAN_DIGITS[units] if units else "")


@functools.cache
def event_names():
    import tomllib
    data = tomllib.loads(EVENTS.read_text(encoding="utf-8"))
    return sorted((n for e in data["event"] if e["verified"] for n in e["names"] if len(n) > 2), key=len, reverse=True)


def year_cases(lines, per_text=3):
    """A sentence that says which anniversary this year is (今年是新中国成立三十五周年,
    2026年是中国共产党成立105周年) with last year's count: the slip of a draft copied
    from the year before. The verb that states it is in the clause of the count."""
    claim = re.compile(r"(今年|明年|去年|今天|今日|[0-9]{4}年|[〇零一二三四五六七八九]{4}年)[^。！？；]*?(是|恰逢|适逢|正值|迎来)[^。！？；，：]*?(" +
                       "|".join(map(re.escape, event_names())) + r")([0-9]+|[〇一二三四五六七八九十]+)周年")
    cases = []
    for i, l in enumerate(lines):
        m = claim.search(l)
        if not m or len(cases) >= per_text:
            continue
        count = m.group(4)
        n = int(count) if count.isdigit() else han_to_int(count)
        if not n or n < 2:
            continue
        fewer = str(n - 1) if count.isdigit() else int_to_han(n - 1)
        changed = lines[:]
        changed[i] = l[:m.start(4)] + fewer + l[m.end(4):]
        cases.append(("year_claim", changed, i, "year-mismatch"))
    return cases


def redated(lines):
    """The text dated 2025: the years of its first four lines (title block) replaced."""
    return [YEAR.sub("2025年", l) if k < 4 else l for k, l in enumerate(lines)]
HEADING = re.compile(r"^([　 ]*)([一二三四五六七八九十]{1,3})、")
NUMERALS = "一二三四五六七八九十"


def han_number(n):
    """1..99 as headings write it: 七, 十, 十一, 二十, 二十三."""
    tens, ones = divmod(n, 10)
    return (NUMERALS[tens - 1] if tens > 1 else "") + ("十" if tens else "") + (NUMERALS[ones - 1] if ones else "")


HEADING_NUMBERS = [han_number(n) for n in range(1, 100)]


def skipped_heading(lines):
    """The lines with a number of the first series of headings 一、二、三、… skipped: from
    the third on, each heading of the series (same indent) is numbered one more, so
    that there is a gap and no repeated number."""
    heads = [(i, HEADING.match(l)) for i, l in enumerate(lines)]
    heads = [(i, m) for i, m in heads if m]
    if not heads:
        return None
    indent = heads[0][1].group(1)
    series = [(i, m.group(2)) for i, m in heads if m.group(1) == indent]
    if [n for _, n in series[:3]] != ["一", "二", "三"]:
        return None
    out = lines[:]
    for (i, n), k in zip(series[2:], range(2, len(HEADING_NUMBERS) - 1)):
        if n != HEADING_NUMBERS[k]:
            break  # the series ends (a later list starts again at 一)
        out[i] = lines[i].replace(n + "、", HEADING_NUMBERS[k + 1] + "、", 1)
    return out, series[2][0], "numbering-gap"


def around_change(old, new, width=12):
    """`new` around the first char where it differs from `old`."""
    k = next((j for j, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
    return new[max(0, k - width):k + width]


def injected(rnd, lines, injectors, places):
    """Each injector tried on three of `places` (line indices) at random: the cases
    (kind, lines with the defect, its line, the rule that should report it)."""
    cases = []
    for injector in injectors:
        for i in rnd.sample(places, min(3, len(places))):
            made = injector(rnd, lines, i)
            if made:
                changed = lines[:]
                changed[i] = made[0]
                cases.append((injector.__name__, changed, i, made[1]))
    return cases


def findings(binary, text, path):
    path.write_text(text, encoding="utf-8")
    out = subprocess.run([binary, "check", "--format", "json", str(path)], capture_output=True, text=True)
    return json.loads(out.stdout or "[]")


def serious(ds):
    return {(d["code"], d["line"], d["column"]) for d in ds if d["severity"] in ("error", "warning")}


def inject(binary, files, quiet):
    found, total, elsewhere = collections.Counter(), collections.Counter(), collections.Counter()
    missed = []
    with tempfile.TemporaryDirectory() as tmp:
        for f in files:
            text = f.read_text(encoding="utf-8")
            path = pathlib.Path(tmp) / f.name
            lines = text.split("\n")
            rnd = random.Random(f.name)
            body = [i for i, l in enumerate(lines) if len(l) > 40 and l.rstrip().endswith(("。", "！", "；"))]
            with_runs = [i for i, l in enumerate(lines) if inline_run(l)]
            cases = injected(rnd, lines, INJECTORS, body) + injected(rnd, lines, RUN_INJECTORS, with_runs)
            gap = skipped_heading(lines)
            if gap:
                cases.append(("skipped_heading", *gap))
            cases += year_cases(lines)
            modern = redated(lines)
            # Some wrong forms are wrong only since a date (前苏联 since 2016).
            modern_cases = wrong_form_cases(rnd, modern) + list_cases(modern)
            for kind, sentence, code in SENTENCES:
                for i in rnd.sample(body, min(3, len(body))):
                    changed = modern[:]
                    changed[i] = modern[i] + sentence
                    modern_cases.append((kind, changed, i, code))
            for original, batch in ((lines, cases), (modern, modern_cases)):
                before = serious(findings(binary, "\n".join(original), path))
                for kind, changed, i, code in batch:
                    ds = findings(binary, "\n".join(changed), path)
                    total[kind] += 1
                    if any(d["code"] == code and d["line"] == i + 1 for d in ds):
                        found[kind] += 1
                    else:
                        missed.append(f"{f.name}:{i + 1}: {kind} not found: …{around_change(original[i], changed[i])}…")
                    # A defect that breaks a line adds lines: findings below move down.
                    added = changed[i].count("\n")
                    moved = {(c, l - added if l > i + 1 + added else l, col) for c, l, col in serious(ds)}
                    other = {k for k in moved - before if not i + 1 <= k[1] <= i + 1 + added}
                    if other:
                        elsewhere[kind] += 1
                        missed.append(f"{f.name}: {kind} on line {i + 1} raised {sorted(other)[:3]}")
    print(f"{len(files)} files; defects injected one at a time, found on the injected line")
    print(f"{'defect':24} {'found':>11} {'elsewhere':>10}")
    for kind in total:
        print(f"{kind:24} {found[kind]:>5} / {total[kind]:<4} {elsewhere[kind]:>10}")
    n, k = sum(total.values()), sum(found.values())
    print(f"{'total':24} {k:>5} / {n:<4} {sum(elsewhere.values()):>10}   ({100 * k / max(n, 1):.1f}%)")
    if not quiet:
        for m in missed:
            print("  " + m)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default="target/release/jianggao")
    ap.add_argument("--quiet", action="store_true", help="figures only, no listing")
    ap.add_argument("--inject", action="store_true", help="recall on injected defects (see above)")
    ap.add_argument("paths", nargs="+")
    args = ap.parse_args()
    files = list(files_of(args.paths))
    if not files:
        print("no .txt or .md files found", file=sys.stderr)
        return 2
    if args.inject:
        return inject(args.bin, files, args.quiet)
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
