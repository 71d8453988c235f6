//! Two build-time steps. The declarative tables in `transforms/*.toml` (every
//! file there: adding one is one field of `Data` in src/data.rs) become one
//! JSON document, and each transform's documentation, its module doc comment,
//! is written out for its `Meta::doc` (`transform_doc!`).
//!
//! The tables: converted to JSON at build time. The TOML stays the source of truth (readable,
//! commented, extended by users' `dslim.toml`); JSON is what the binary
//! parses at start-up, because a TOML parse of the tables cost about a
//! millisecond on every run, more than everything else a small file needs.

use std::{env, fs, path::Path};

fn main() {
    tables();
    transform_docs();
}

/// `transforms/<key>.toml` → `{"<key>": …}` in `$OUT_DIR/transforms.json`.
fn tables() {
    println!("cargo:rerun-if-changed=transforms");
    let mut keys: Vec<String> = fs::read_dir("transforms")
        .expect("transforms/")
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".toml").map(str::to_string)
        })
        .collect();
    keys.sort();
    let mut root = serde_json::Map::new();
    for key in &keys {
        let path = format!("transforms/{key}.toml");
        println!("cargo:rerun-if-changed={path}");
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let table: toml::Table = text.parse().unwrap_or_else(|e| panic!("{path}: {e}"));
        let json = serde_json::to_value(table).unwrap_or_else(|e| panic!("{path}: {e}"));
        root.insert(key.clone(), json);
    }
    let out = Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("transforms.json");
    fs::write(&out, serde_json::Value::Object(root).to_string()).expect("write transforms.json");
}

/// Each transform's module doc comment (the leading `//!` lines of a file
/// under src/transforms/ that implements `Transform`) → `$OUT_DIR/
/// transform-docs/<module>.md`, the text `dslim explain` prints: `//! ` cut
/// off, and each ```` ```text ```` block indented by four spaces instead.
fn transform_docs() {
    println!("cargo:rerun-if-changed=src/transforms");
    let out = Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("transform-docs");
    fs::create_dir_all(&out).expect("transform-docs/");
    let mut stack = vec![Path::new("src/transforms").to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in fs::read_dir(&dir).expect("src/transforms") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            if p.extension().is_none_or(|x| x != "rs") {
                continue;
            }
            let text = fs::read_to_string(&p).expect("read");
            if !text.contains("transform_doc!(") {
                continue;
            }
            let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
            let name = if stem == "mod" {
                dir.file_name().and_then(|s| s.to_str()).unwrap_or_default()
            } else {
                stem
            };
            fs::write(out.join(format!("{name}.md")), doc_text(&text)).expect("write doc");
        }
    }
}

/// The leading `//!` block of `source` as Markdown with indented code.
fn doc_text(source: &str) -> String {
    let mut out = String::new();
    let mut fence = false;
    for line in source.lines() {
        let Some(rest) = line.strip_prefix("//!") else {
            break;
        };
        let rest = rest.strip_prefix(' ').unwrap_or(rest);
        match rest.trim_end() {
            "```text" if !fence => fence = true,
            "```" if fence => fence = false,
            _ => {
                if fence && !rest.is_empty() {
                    out.push_str("    ");
                }
                out.push_str(rest);
                out.push('\n');
            }
        }
    }
    out
}
