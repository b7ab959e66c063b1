//! The command line: outline, check (text, JSON, exit codes, --fix, --config, the
//! glossary next to the file or in a parent folder), and the acceptance checks on the
//! shared corpus (a failure under CI=true when ../shared is absent, reported as skipped
//! elsewhere).

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_jianggao"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> Output {
    bin()
        .args(args)
        .current_dir(root())
        .output()
        .expect("run jianggao")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn check_json(file: &Path) -> Vec<Value> {
    let o = bin()
        .args(["check", "--format", "json"])
        .arg(file)
        .output()
        .unwrap();
    serde_json::from_slice::<Vec<Value>>(&o.stdout).unwrap()
}

/// `text` saved as `draft.txt` in a folder of the test's own (removed with the
/// returned `Scratch`).
fn temp_copy(name: &str, text: &str) -> (common::Scratch, PathBuf) {
    let dir = common::Scratch::new(&format!("cli-{name}"));
    let file = dir.join("draft.txt");
    std::fs::write(&file, text).unwrap();
    (dir, file)
}

#[test]
fn outline_of_the_bundled_example() {
    let o = run(&["outline", "examples/讲话稿示例.txt"]);
    assert!(o.status.success());
    let text = stdout(&o);
    assert!(text.contains("全文") && text.contains("分钟"));
    assert!(
        text.contains("\n  在全县宣传思想工作会议上的讲话"),
        "{text}"
    );
    assert!(text.contains("\n    一、提高政治站位"), "{text}");
    assert!(text.contains("\n      一是聚焦理论宣讲"), "{text}");
    // The speaker's name and the date never become sections.
    assert!(!text.contains("王  明") && !text.contains("2024年3月15日"));

    let o = run(&["outline", "--format", "json", "examples/讲话稿示例.txt"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let top = &v[0]["outline"][0];
    assert_eq!(top["kind"], "heading");
    assert_eq!(top["children"].as_array().unwrap().len(), 3);
    assert_eq!(top["children"][1]["children"][0]["kind"], "inline-point");
}

#[test]
fn check_exit_status_and_formats() {
    let clean = run(&["check", "examples/讲话稿示例.txt"]);
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    let bad = run(&["check", "tests/fixtures/errors.txt"]);
    assert_eq!(bad.status.code(), Some(1));
    let text = stdout(&bad);
    assert!(
        text.contains("tests/fixtures/errors.txt:3:12: error[wrong-form]"),
        "{text}"
    );
    assert!(text.contains("^^^^^^"), "the span is underlined: {text}");
    let missing = run(&["check", "no/such/file.txt"]);
    assert_eq!(missing.status.code(), Some(2));

    let diags = check_json(&root().join("tests/fixtures/errors.txt"));
    let codes: Vec<&str> = diags.iter().map(|d| d["code"].as_str().unwrap()).collect();
    for code in [
        "wrong-form",
        "half-width-punctuation",
        "placeholder",
        "announced-count",
        "formula-list",
        "superseded-formula",
        "doubled-word",
        "numbering-gap",
        "doc-number-bracket",
        "broken-paragraph",
    ] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
}

#[test]
fn fix_applies_certain_fixes_once() {
    let (_dir, file) = temp_copy(
        "fix",
        &std::fs::read_to_string(root().join("tests/fixtures/errors.txt")).unwrap(),
    );
    let o = bin().args(["check", "--fix"]).arg(&file).output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "only warnings remain: the count and the gap need the writer"
    );
    let fixed = std::fs::read_to_string(&file).unwrap();
    assert!(
        fixed.contains("党的十九大精神")
            && fixed.contains("新进展，但")
            && fixed.contains("〔2010〕")
    );
    // Uncertain fixes are not applied.
    assert!(fixed.contains("我们的的责任") && fixed.contains("三个自信"));
    let codes: Vec<String> = check_json(&file)
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect();
    assert!(!codes
        .iter()
        .any(|c| c == "wrong-form" || c == "half-width-punctuation" || c == "doc-number-bracket"));
    bin().args(["check", "--fix"]).arg(&file).output().unwrap();
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        fixed,
        "--fix is idempotent"
    );
}

#[test]
fn glossary_next_to_the_file_is_honoured() {
    let (_dir, file) = temp_copy("glossary", "紧紧围绕“144”工作部署，xx年完成。\n");
    std::fs::write(
        file.with_file_name("jianggao.toml"),
        "[rules]\nplaceholder = \"error\"\n",
    )
    .unwrap();
    let diags = check_json(&file);
    assert_eq!(diags[0]["severity"], "error");
    std::fs::write(file.with_file_name("jianggao.toml"), "[rules\n").unwrap();
    let o = bin().arg("check").arg(&file).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("jianggao.toml"));
}

/// `jianggao.toml` is found in a parent folder of the file; `--config` names another
/// file, which is used instead of the one found.
#[test]
fn glossary_in_a_parent_folder_and_config_flag() {
    let (_dir, file) = temp_copy("parent", "xx年完成。\n");
    let unit = file.parent().unwrap().to_path_buf();
    let sub = unit.join("2024/讲话");
    std::fs::create_dir_all(&sub).unwrap();
    let draft = sub.join("draft.txt");
    std::fs::rename(&file, &draft).unwrap();
    let severity = |args: &[&str]| -> Vec<String> {
        let o = bin()
            .arg("check")
            .args(["--format", "json"])
            .args(args)
            .arg(&draft)
            .output()
            .unwrap();
        serde_json::from_slice::<Vec<Value>>(&o.stdout)
            .unwrap()
            .iter()
            .filter(|d| d["code"] == "placeholder")
            .map(|d| d["severity"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(severity(&[]), ["warning"], "the default level");
    std::fs::write(
        unit.join("jianggao.toml"),
        "[rules]\nplaceholder = \"error\"\n",
    )
    .unwrap();
    assert_eq!(severity(&[]), ["error"], "found two folders up");

    let other = unit.join("other.toml");
    std::fs::write(&other, "[rules]\nplaceholder = \"off\"\n").unwrap();
    let other = other.to_str().unwrap();
    assert_eq!(
        severity(&["--config", other]),
        Vec::<String>::new(),
        "--config wins"
    );
    // A broken --config file is reported (exit 2), even with a valid one nearby.
    std::fs::write(unit.join("other.toml"), "[rules\n").unwrap();
    let o = bin()
        .args(["check", "--config", other])
        .arg(&draft)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("other.toml"));
}

#[test]
fn central_style_text_is_clean_above_hint() {
    let diags = check_json(&root().join("tests/fixtures/central_style.txt"));
    let loud: Vec<&Value> = diags.iter().filter(|d| d["severity"] != "hint").collect();
    assert!(loud.is_empty(), "{loud:?}");
}

/// Excerpts of genres beyond the central texts (民主生活会材料, 务虚会发言, a speech cut
/// off after its first point, a work report with its speaker line), written for the
/// tests in the shape of real ones: no error or warning, and the first line is the title.
#[test]
fn excerpts_of_other_genres_are_clean_and_keep_their_titles() {
    let dir = root().join("tests/fixtures/excerpts");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 4);
    for file in files {
        let diags = check_json(&file);
        let loud: Vec<&Value> = diags.iter().filter(|d| d["severity"] != "hint").collect();
        assert!(loud.is_empty(), "{}: {loud:?}", file.display());
        let o = bin()
            .args(["outline", "--format", "json"])
            .arg(&file)
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        let first_line = std::fs::read_to_string(&file).unwrap();
        let first_line = first_line.lines().next().unwrap();
        assert_eq!(
            v[0]["outline"][0]["name"].as_str(),
            Some(first_line),
            "{}",
            file.display()
        );
    }
}

fn corpus() -> Option<PathBuf> {
    common::shared_corpus("yishixingtai_speeches.txt")
}

#[test]
fn corpus_outline_acceptance() {
    let Some(corpus) = corpus() else {
        return;
    };
    let o = bin()
        .args(["outline", "--format", "json"])
        .arg(&corpus)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let roots = v[0]["outline"].as_array().unwrap();
    let names: Vec<&str> = roots.iter().map(|n| n["name"].as_str().unwrap()).collect();
    // Speech one: 一要…四要 at the top; then two titled speeches.
    assert!(
        names[0].starts_with("一要") && names[3].starts_with("四要"),
        "{names:?}"
    );
    assert_eq!(names[4..], ["意识形态发言稿", "意识形态发言稿"]);
    let second = &roots[4]["children"];
    let er = &second[1];
    let shi: Vec<&str> = er["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap())
        .collect();
    assert_eq!(shi, ["一是知责", "二是明责", "三是履责"]);
    let san = second[2]["children"].as_array().unwrap();
    assert_eq!(san.len(), 4);
    assert!(san
        .iter()
        .all(|n| n["name"].as_str().unwrap().contains("紧密结合")));
    assert_eq!(
        san[2]["line"], 13,
        "third item sits on the line after the broken paragraph"
    );
    let third = roots[5]["children"].as_array().unwrap();
    let counts: Vec<usize> = third
        .iter()
        .map(|n| {
            n["children"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|c| c["name"].as_str().unwrap().starts_with('（'))
                .count()
        })
        .collect();
    assert_eq!(counts, [0, 5, 3]);
}

#[test]
fn corpus_proofreading_acceptance() {
    let Some(corpus) = corpus() else {
        return;
    };
    let diags = check_json(&corpus);
    let of = |code: &str| {
        diags
            .iter()
            .filter(|d| d["code"] == code)
            .collect::<Vec<_>>()
    };
    let xx = of("placeholder");
    assert_eq!(xx.len(), 12, "{xx:?}");
    assert!(xx
        .iter()
        .all(|d| d["message"].as_str().unwrap().contains("xx")));
    assert!(of("half-width-punctuation").iter().any(|d| d["line"] == 9));
    assert!(of("wrong-form")
        .iter()
        .any(|d| d["message"].as_str().unwrap().contains("党的十九大精神")));
    // 理论自信、道路自信、制度自信: the whole former list of 三个自信 in a current speech.
    let three = of("superseded-formula");
    assert!(
        three
            .iter()
            .any(|d| d["line"] == 12 && d["message"].as_str().unwrap().contains("文化自信")),
        "{three:?}"
    );
    let four = of("formula-list");
    assert!(of("broken-paragraph").iter().any(|d| d["line"] == 12));
    assert!(
        of("announced-count").is_empty(),
        "讲四点意见 and 讲三点意见 are right"
    );
    assert!(
        !four.iter().any(|d| d["line"] == 7),
        "政治意识、大局意识、核心意识和看齐意识 is canonical"
    );
    assert!(
        of("learned-count").is_empty(),
        "“四个结合” lists four items"
    );
}
