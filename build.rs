//! Converts the knowledge base from TOML (the format it is written and reviewed in,
//! `data/`) to JSON for embedding: parsing the TOML took about 10 ms at every start
//! of the CLI and the server, the JSON a fraction of that. The TOML is checked here
//! (a build fails on a malformed file) and again by `tests/knowledge.rs`.

use std::path::PathBuf;

fn main() {
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    for name in ["formulas", "wrong_forms", "events", "phrases"] {
        let source = format!("data/{name}.toml");
        println!("cargo:rerun-if-changed={source}");
        let text = std::fs::read_to_string(&source)
            .unwrap_or_else(|e| panic!("cannot read {source}: {e}"));
        let value: serde_json::Value =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{source} is not valid TOML: {e}"));
        let json = serde_json::to_string(&value).expect("a JSON value serialises");
        std::fs::write(out_dir.join(format!("{name}.json")), json)
            .unwrap_or_else(|e| panic!("cannot write {name}.json: {e}"));
    }
}
