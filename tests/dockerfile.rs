//! The repository's own Dockerfile builds: `cargo check` (offline, locked)
//! succeeds in a folder holding exactly what the build stage COPYs from the
//! context, so a file cargo needs that the Dockerfile leaves out fails here.
//! Shares this build's target folder, so only dslim itself is checked.

use std::path::{Path, PathBuf};
use std::process::Command;

/// `(sources, destination)` of each `COPY` from the context (no
/// `--from=`) in the first stage, as written on one line.
fn context_copies(dockerfile: &str) -> Vec<(Vec<String>, String)> {
    let mut out = Vec::new();
    for line in dockerfile.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.first().map(|w| w.to_ascii_uppercase()) {
            Some(w) if w == "FROM" && !out.is_empty() => break,
            Some(w) if w == "COPY" || w == "ADD" => {
                let args: Vec<&str> = words[1..]
                    .iter()
                    .copied()
                    .filter(|a| !a.starts_with("--"))
                    .collect();
                assert!(
                    !words.iter().any(|a| a.starts_with("--from")),
                    "a COPY --from before the final stage: update this test"
                );
                let (dest, srcs) = args.split_last().expect("COPY has a destination");
                out.push((
                    srcs.iter().map(|s| s.to_string()).collect(),
                    dest.to_string(),
                ));
            }
            _ => {}
        }
    }
    out
}

fn copy_tree(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            copy_tree(&e.path(), &to.join(e.file_name()));
        }
    } else {
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, to).unwrap();
    }
}

#[test]
fn dockerfile_copies_everything_cargo_needs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dockerfile = std::fs::read_to_string(root.join("Dockerfile")).unwrap();
    let copies = context_copies(&dockerfile);
    assert!(!copies.is_empty(), "no COPY found in the Dockerfile");
    let work = tempfile::tempdir().unwrap();
    for (srcs, dest) in &copies {
        for s in srcs {
            let from = root.join(s);
            assert!(
                from.exists(),
                "the Dockerfile copies `{s}`, which does not exist"
            );
            // `COPY a b ./` puts files into the folder; `COPY dir ./dir`
            // copies the folder's contents there.
            let to: PathBuf = if dest.ends_with('/') && !from.is_dir() {
                work.path()
                    .join(dest)
                    .join(Path::new(s).file_name().unwrap())
            } else {
                work.path().join(dest)
            };
            copy_tree(&from, &to);
        }
    }
    // The test binary is target/<profile>/deps/dockerfile-…: its target folder.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let exe = std::env::current_exe().unwrap();
            exe.ancestors().nth(3).unwrap().to_path_buf()
        });
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "check",
            "--offline",
            "--locked",
            "--quiet",
            "--bin",
            "dslim",
        ])
        .current_dir(work.path())
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cargo check from the Dockerfile's COPYs failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn copies_are_read_as_written() {
    let c = context_copies(
        "FROM x AS build\nCOPY a b ./\ncopy --chown=1 src ./src\nFROM scratch\nCOPY --from=build /x /x\n",
    );
    assert_eq!(
        c,
        vec![
            (vec!["a".to_string(), "b".to_string()], "./".to_string()),
            (vec!["src".to_string()], "./src".to_string()),
        ]
    );
}
