//! Benchmarks of the analysis core (run with `cargo bench`). Prints figures; asserts
//! nothing. Drafts are made deterministically by repeating the project's fixtures
//! (and the shared corpus when present) under their own titles.

use jianggao::document::analyze_text;
use jianggao::document::{ClientRange, Document};
use jianggao::features;
use jianggao::knowledge::Knowledge;
use jianggao::text::{Encoding, Pos};
use std::time::{Duration, Instant};

fn sources() -> Vec<String> {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut out: Vec<String> = [
        "examples/讲话稿示例.txt",
        "tests/fixtures/errors.txt",
        "tests/fixtures/markers.txt",
        "tests/fixtures/central_style.txt",
    ]
    .iter()
    .filter_map(|p| std::fs::read_to_string(format!("{root}/{p}")).ok())
    .collect();
    if let Ok(c) =
        std::fs::read_to_string(format!("{root}/../shared/corpus/yishixingtai_speeches.txt"))
    {
        out.push(c);
    }
    out
}

/// About `bytes` of speeches, each under its own numbered title.
fn draft(bytes: usize) -> String {
    let sources = sources();
    let mut out = String::new();
    let mut i = 0;
    while out.len() < bytes {
        out.push_str(&format!("第{}篇讲话稿\n", i + 1));
        out.push_str(&sources[i % sources.len()]);
        out.push('\n');
        i += 1;
    }
    out
}

struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

fn summary(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let pct = |p: f64| samples[((samples.len() as f64 - 1.0) * p) as usize];
    println!(
        "{name:<52} median {:>9.3} ms   p99 {:>9.3} ms   max {:>9.3} ms   (n={})",
        pct(0.5).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        samples.last().unwrap().as_secs_f64() * 1e3,
        samples.len()
    );
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let v = f();
    (v, t.elapsed())
}

/// A memory figure of this process from /proc/self/status, in KiB (VmRSS, VmHWM).
fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// Where the line pass spends its time, per MB on one thread: the facts of a line,
/// then each line rule (every rule gets a fresh context, so the enumerations that
/// `formula-list` and `superseded-formula` share are counted in the first).
fn line_pass_by_part(text: &str, kb: &Knowledge, runs: usize) {
    let lines: Vec<&str> = jianggao::text::split_lines(text);
    let mb = text.len() as f64 / (1 << 20) as f64;
    let chars: Vec<Vec<char>> = lines.iter().map(|l| l.chars().collect()).collect();
    let indexes: Vec<jianggao::text::LineIndex> = chars
        .iter()
        .map(|c| jianggao::text::LineIndex::of(c))
        .collect();
    let best = |f: &dyn Fn()| (0..runs).map(|_| time(f).1).min().unwrap_or_default();
    let scans: Vec<_> = lines.iter().map(|line| kb.scan(line)).collect();
    let facts: Vec<_> = (0..lines.len())
        .map(|i| {
            jianggao::analysis::line::analyze_line_with_terms(
                lines[i],
                &chars[i],
                &indexes[i],
                kb,
                scans[i].terms.clone(),
            )
        })
        .collect();
    // As `Document` does: one scan of the line for its terms, wrong forms and items.
    let ctx = |i: usize| {
        jianggao::rules::LineCtx::new(lines[i], &chars[i], &facts[i], kb)
            .with_scan(scans[i].wrong_forms.clone(), scans[i].item_spans.clone())
            .with_others(indexes[i].others.clone())
    };
    let all = best(&|| {
        for i in 0..lines.len() {
            std::hint::black_box(jianggao::rules::check_line(&ctx(i)));
        }
    });
    let scan = best(&|| {
        for line in &lines {
            std::hint::black_box(kb.scan(line));
        }
    });
    let t = best(&|| {
        for i in 0..lines.len() {
            let terms = scans[i].terms.clone();
            std::hint::black_box(jianggao::analysis::line::analyze_line_with_terms(
                lines[i],
                &chars[i],
                &indexes[i],
                kb,
                terms,
            ));
        }
    });
    let mut parts = vec![
        ("knowledge scan".to_string(), scan),
        ("line facts".to_string(), t),
        ("all line rules".to_string(), all),
    ];
    for rule in jianggao::rules::ALL {
        let t = best(&|| {
            let mut out = Vec::new();
            for i in 0..lines.len() {
                rule.check_line(&ctx(i), &mut out);
                out.clear();
            }
        });
        parts.push((rule.code().to_string(), t));
    }
    parts.sort_by_key(|&(_, t)| std::cmp::Reverse(t));
    println!(
        "line pass by part, {:.0} MB draft, one thread (ms per MB):",
        mb
    );
    for (name, t) in parts
        .iter()
        .filter(|(_, t)| t.as_secs_f64() * 1e3 / mb >= 0.5)
    {
        println!("  {name:<28} {:>6.1}", t.as_secs_f64() * 1e3 / mb);
    }
}

fn main() {
    // `cargo bench` passes --bench; ignore arguments.
    let before = status_kib("VmRSS:");
    let (kb, load) = time(Knowledge::builtin);
    println!(
        "knowledge base: {} formulas, {} wrong forms, built in {:.1} ms, +{} KiB RSS",
        kb.formulas.len(),
        kb.wrong_forms.len(),
        load.as_secs_f64() * 1e3,
        status_kib("VmRSS:").saturating_sub(before)
    );

    // `cargo bench --bench analysis -- line-pass`: only where the line pass spends
    // its time, on the 10 MB draft (best of three runs).
    if std::env::args().any(|a| a == "line-pass") {
        line_pass_by_part(&draft(10 << 20), &kb, 3);
        return;
    }
    let corpus = sources().pop().unwrap();
    let drafts = [
        ("corpus/fixture", corpus.clone()),
        ("1 MB draft", draft(1 << 20)),
        ("10 MB draft", draft(10 << 20)),
    ];
    for (name, text) in &drafts[1..] {
        // The line pass alone on one thread: its cost per MB is what parallelism divides.
        // Best of three, the first of which also compiles the regexes.
        let lines: Vec<&str> = jianggao::text::split_lines(text);
        let t = (0..3)
            .map(|_| {
                time(|| {
                    for line in &lines {
                        std::hint::black_box(jianggao::document::analyze_line(line, &kb));
                    }
                })
                .1
            })
            .min()
            .unwrap_or_default();
        let mb = text.len() as f64 / (1 << 20) as f64;
        println!(
            "line pass on one thread, {name}: {:.1} ms ({:.1} ms per MB, {} lines)",
            t.as_secs_f64() * 1e3,
            t.as_secs_f64() * 1e3 / mb,
            lines.len()
        );
    }
    line_pass_by_part(&drafts[1].1, &kb, 1);
    for (name, text) in &drafts[1..] {
        let before = status_kib("VmRSS:");
        let doc = Document::new(text, kb.clone());
        let analysis = doc.analyze();
        let after = status_kib("VmRSS:");
        println!(
            "memory of an open document with its analysis, {name}: +{} MiB ({} bytes per line)",
            after.saturating_sub(before) / 1024,
            after.saturating_sub(before) * 1024 / doc.lines().len().max(1) as u64
        );
        drop((analysis, doc));
    }

    for (name, text) in &drafts {
        let runs = if text.len() > 5 << 20 { 3 } else { 10 };
        let samples: Vec<Duration> = (0..runs).map(|_| time(|| analyze_text(text)).1).collect();
        summary(
            &format!("full analysis (check), {name} ({} KB)", text.len() / 1024),
            samples,
        );
        let doc = Document::new(text, kb.clone());
        let samples: Vec<Duration> = (0..runs).map(|_| time(|| doc.analyze()).1).collect();
        summary(
            &format!("outline + statistics + document rules, {name}"),
            samples,
        );
    }

    for (name, text) in &drafts[1..] {
        let mut doc = Document::new(text, kb.clone());
        let mut analysis = doc.analyze();
        let mut rng = Lcg(7);
        let lines = doc.lines().len() as u64;
        let mut samples = Vec::new();
        for i in 0..300 {
            let line = rng.next(lines) as u32;
            let len = doc.line_text(line).chars().count() as u64;
            let col = rng.next(len + 1) as u32;
            let insert = ["字", "，", "一要", "𠮷"][i % 4];
            let (_, t) = time(|| {
                doc.apply_change(
                    Some(ClientRange {
                        start: (line, col),
                        end: (line, col),
                    }),
                    insert,
                    Encoding::Utf32,
                );
                // As the language server does: the analysis is updated in place.
                doc.update(&mut analysis);
            });
            samples.push(t);
        }
        summary(&format!("keystroke: edit + re-analysis, {name}"), samples);

        let spots: Vec<Pos> = doc
            .lines()
            .iter()
            .enumerate()
            .flat_map(|(i, f)| f.terms.iter().map(move |h| Pos::new(i as u32, h.start + 1)))
            .step_by(7)
            .take(300)
            .collect();
        let hover: Vec<Duration> = spots
            .iter()
            .map(|&p| time(|| features::hover(&doc, &analysis, p, 220.0)).1)
            .collect();
        summary(&format!("hover on a formula, {name}"), hover);
        let completion: Vec<Duration> = spots
            .iter()
            .map(|&p| {
                time(|| {
                    features::completion::complete(
                        &doc,
                        &analysis,
                        Pos::new(p.line, p.col + 1),
                        true,
                    )
                })
                .1
            })
            .collect();
        summary(
            &format!("completion after a formula prefix, {name}"),
            completion,
        );
    }
    println!("peak RSS: {} MiB", status_kib("VmHWM:") / 1024);
}
