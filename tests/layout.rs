//! Import circles that were broken on purpose (issue 15) stay broken. Reads
//! the sources: code lines (comments skipped) that name a module.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn code(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&full)
        .unwrap_or_else(|e| panic!("{}: {e}", full.display()))
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The code of shell module `n`: `src/shell/n.rs`, or every file of the
/// folder `src/shell/n/`.
fn shell_module(n: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/shell")
        .join(n);
    if !dir.is_dir() {
        return code(&format!("src/shell/{n}.rs"));
    }
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|f| f.ends_with(".rs"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| code(&format!("src/shell/{n}/{f}")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The sibling modules of `src/shell/` each module names through `super::`
/// or `crate::shell::`.
fn shell_graph() -> BTreeMap<String, BTreeSet<String>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/shell");
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let e = e.unwrap();
            let n = e.file_name().into_string().unwrap();
            if e.path().is_dir() {
                return Some(n);
            }
            n.strip_suffix(".rs").map(str::to_string)
        })
        .filter(|n| n != "mod")
        .collect();
    let mut graph = BTreeMap::new();
    for n in &names {
        let text = shell_module(n);
        let uses: BTreeSet<String> = names
            .iter()
            .filter(|m| {
                *m != n
                    && (text.contains(&format!("super::{m}"))
                        || text.contains(&format!("crate::shell::{m}")))
            })
            .cloned()
            .collect();
        graph.insert(n.clone(), uses);
    }
    graph
}

fn reaches(graph: &BTreeMap<String, BTreeSet<String>>, from: &str, to: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut todo = vec![from.to_string()];
    while let Some(n) = todo.pop() {
        for m in &graph[&n] {
            if m == to {
                return true;
            }
            if seen.insert(m.clone()) {
                todo.push(m.clone());
            }
        }
    }
    false
}

#[test]
fn shell_submodules_have_no_import_circle() {
    let graph = shell_graph();
    // The walk itself must see the edges that exist.
    assert!(graph["convert"].contains("words"), "{graph:?}");
    assert!(graph["words"].contains("brush"), "{graph:?}");
    for n in graph.keys() {
        assert!(
            !reaches(&graph, n, n),
            "src/shell/{n}.rs imports itself back: {graph:?}"
        );
    }
}

#[test]
fn suppression_does_not_import_transform() {
    for file in ["src/meta.rs", "src/suppression.rs"] {
        let text = code(file);
        assert!(
            !text.contains("crate::transform::") && !text.contains("crate::transform;"),
            "{file} imports crate::transform, which imports suppression"
        );
    }
    assert!(code("src/suppression.rs").contains("crate::meta::Meta"));
}

/// Every `.rs` file under `src/DIR` (recursively).
fn files_under(dir: &str) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut stack = vec![root.join("src").join(dir)];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p.strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    out.sort();
    out
}

/// Issue 15: the transforms import the model (and the shell and syntax
/// layers below it), never the reverse; the formatter reads scripts
/// through the model, not through `transforms`.
#[test]
fn lower_layers_do_not_import_transforms() {
    let mut checked = 0;
    for dir in ["model", "shell", "syntax", "format"] {
        for file in files_under(dir) {
            let text = code(&file);
            assert!(
                !text.contains("crate::transforms"),
                "{file} imports crate::transforms (the layers below the transforms must not)"
            );
            checked += 1;
        }
    }
    assert!(checked > 10, "only {checked} files found");
}
