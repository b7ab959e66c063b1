//! `jianggao --version` names the program version and the knowledge base it checks
//! with, so a bug report carries both.

use jianggao::knowledge::Knowledge;
use std::process::Command;

fn version_output(flag: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_jianggao"))
        .arg(flag)
        .output()
        .expect("run jianggao");
    assert!(out.status.success(), "{flag} exited with {}", out.status);
    String::from_utf8(out.stdout).expect("UTF-8 version line")
}

#[test]
fn version_names_program_and_knowledge_base() {
    let kb = Knowledge::builtin();
    let header = jianggao::knowledge::FORMULAS_TOML
        .lines()
        .find_map(|l| l.strip_prefix("data_version = "))
        .expect("data_version in data/formulas.toml")
        .trim_matches('"');
    let with_items = kb
        .formulas
        .iter()
        .filter(|f| !f.checked_items().is_empty())
        .count();
    let expected = format!(
        "jianggao {} (knowledge base {header}: {} formulas, {with_items} with item lists, {} wrong forms)\n",
        env!("CARGO_PKG_VERSION"),
        kb.formulas.len(),
        kb.wrong_forms.len()
    );
    assert!(
        kb.formulas.len() > 100 && kb.wrong_forms.len() > 100,
        "{kb:?}"
    );
    assert_eq!(version_output("--version"), expected);
    assert_eq!(version_output("-V"), expected);
}

#[test]
fn version_flag_belongs_to_the_top_level_command() {
    // `-V` after a subcommand is not the version flag; clap rejects it as before.
    let out = Command::new(env!("CARGO_BIN_EXE_jianggao"))
        .args(["rules", "-V"])
        .output()
        .expect("run jianggao");
    assert!(!out.status.success());
    assert!(!String::from_utf8_lossy(&out.stdout).contains("knowledge base"));
}
