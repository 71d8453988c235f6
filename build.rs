//! Converts the declarative tables in `transforms/*.toml` to one JSON
//! document at build time. The TOML stays the source of truth (readable,
//! commented, extended by users' `dslim.toml`); JSON is what the binary
//! parses at start-up, because a TOML parse of the tables cost about a
//! millisecond on every run, more than everything else a small file needs.

use std::{env, fs, path::Path};

/// Keep in step with `FILES` in src/data.rs (a test checks both agree).
const FILES: &[&str] = &[
    "package-managers",
    "base-images",
    "dockerignore",
    "stages",
    "builders",
];

fn main() {
    let mut root = serde_json::Map::new();
    for key in FILES {
        let path = format!("transforms/{key}.toml");
        println!("cargo:rerun-if-changed={path}");
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let table: toml::Table = text.parse().unwrap_or_else(|e| panic!("{path}: {e}"));
        let json = serde_json::to_value(table).unwrap_or_else(|e| panic!("{path}: {e}"));
        root.insert((*key).to_string(), json);
    }
    let out = Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("transforms.json");
    fs::write(&out, serde_json::Value::Object(root).to_string()).expect("write transforms.json");
}
