//! Properties of `dslim fmt` over every testdata file (inputs and expected
//! outputs of every transform and of the formatter itself):
//!
//! - formatting never fails on a file that parses (no internal error; a
//!   file with an unknown instruction does not parse);
//! - the output parses, and to the same instructions as the input up to
//!   keyword/`AS` case and whitespace BuildKit or the shell ignores
//!   (`format::equiv`);
//! - formatting is idempotent: `fmt(fmt(x)) == fmt(x)`;
//! - untouched files stay byte for byte identical (trivially: edits only).
//!
//! `DSLIM_FMT_CORPUS=/path/to/corpus cargo test --release --test fmt_props
//! -- --nocapture` runs the same checks over every regular file under that
//! directory (except MANIFEST.tsv) and prints the counts.

use std::fs;
use std::path::{Path, PathBuf};

use dslim::config::{FormatOptions, OperatorPosition};
use dslim::format::{self, equiv};
use dslim::syntax::Document;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with('.') || name == "MANIFEST.tsv" || name == "README.md" {
            continue;
        }
        let meta = fs::symlink_metadata(&p).unwrap();
        if meta.is_dir() {
            files(&p, out);
        } else if meta.is_file() {
            out.push(p);
        }
    }
}

#[derive(Default, Debug)]
struct Counts {
    files: usize,
    unparseable: usize,
    changed: usize,
    parse_differs: usize,
    not_idempotent: usize,
    internal_errors: usize,
    shell_checked: usize,
    shell_fallback: usize,
}

fn check(paths: &[PathBuf], opts: &FormatOptions) -> (Counts, Vec<String>) {
    let mut c = Counts::default();
    let mut fails = Vec::new();
    for p in paths {
        let Ok(src) = String::from_utf8(fs::read(p).unwrap()) else {
            continue;
        };
        c.files += 1;
        // What `dslim` rejects (a parse error, or an instruction BuildKit's
        // build does not know, such as the `.findings` snapshots) is no
        // input for the formatter.
        let Ok(before) = dslim::pipeline::parse(&src) else {
            c.unparseable += 1;
            continue;
        };
        let out = match format::format(&src, opts) {
            Ok(o) => o,
            Err(e) => {
                c.internal_errors += 1;
                fails.push(format!("{}: {e}", p.display()));
                continue;
            }
        };
        if out != src {
            c.changed += 1;
        }
        match Document::parse(&out)
            .map_err(|e| e.to_string())
            .and_then(|after| equiv::equivalent(&before, &after))
        {
            Ok(st) => {
                c.shell_checked += st.shell_checked;
                c.shell_fallback += st.shell_fallback;
            }
            Err(e) => {
                c.parse_differs += 1;
                fails.push(format!("{}: parse differs: {e}", p.display()));
            }
        }
        match format::format(&out, opts) {
            Ok(again) if again == out => {}
            Ok(again) => {
                c.not_idempotent += 1;
                let d = similar::TextDiff::from_lines(&out, &again)
                    .unified_diff()
                    .header("fmt(x)", "fmt(fmt(x))")
                    .to_string();
                fails.push(format!("{}: not idempotent:\n{d}", p.display()));
            }
            Err(e) => {
                c.not_idempotent += 1;
                fails.push(format!("{}: second format failed: {e}", p.display()));
            }
        }
    }
    (c, fails)
}

fn run(root: &Path) {
    let mut paths = Vec::new();
    files(root, &mut paths);
    assert!(!paths.is_empty(), "no files under {}", root.display());
    let mut all = Vec::new();
    for (label, opts) in [
        ("default", FormatOptions::default()),
        (
            "indent=2, operator-position=line-end",
            FormatOptions {
                indent: 2,
                operator_position: OperatorPosition::LineEnd,
            },
        ),
    ] {
        let (c, fails) = check(&paths, &opts);
        println!("{} [{label}]: {c:?}", root.display());
        all.extend(fails);
    }
    for f in all.iter().take(40) {
        println!("{f}");
    }
    assert!(all.is_empty(), "{} failures (first ones above)", all.len());
}

#[test]
fn fmt_properties_on_testdata() {
    run(&Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata"));
}

#[test]
fn fmt_properties_on_corpus() {
    if let Ok(dir) = std::env::var("DSLIM_FMT_CORPUS") {
        run(Path::new(&dir));
    }
}
