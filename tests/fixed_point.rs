//! `dslim fix --write --context DIR` reaches a fixed point over the
//! Dockerfile *and* the other files it writes (issue 13, item 5): a
//! following `dslim fix --check --context DIR` exits 0. DS203's
//! `.dockerignore` is what makes DS202 safe (it excludes `node_modules`),
//! so the loop has to read the context as written, not as it was on disk.

use std::fs;
use std::path::{Path, PathBuf};

mod common;
use common::{dslim, read, stderr_of, write};

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dst = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dst);
        } else {
            fs::copy(e.path(), &dst).unwrap();
        }
    }
}

/// `fix --write` then `fix --check` in `dir` (the Dockerfile inside its
/// context, `--context .`); `extra` are flags for both runs. Returns the
/// first run's stderr.
fn write_then_check(dir: &Path, extra: &[&str]) -> Result<String, String> {
    let w = dslim()
        .current_dir(dir)
        .args(["fix", "--write", "--context", "."])
        .args(extra)
        .arg("Dockerfile")
        .output()
        .unwrap();
    let werr = String::from_utf8_lossy(&w.stderr).into_owned();
    if !w.status.success() {
        return Err(format!("fix --write failed: {werr}"));
    }
    let c = dslim()
        .current_dir(dir)
        .args(["fix", "--check", "--context", "."])
        .args(extra)
        .arg("Dockerfile")
        .output()
        .unwrap();
    if c.status.code() != Some(0) {
        return Err(format!(
            "fix --check after fix --write exits {:?}:\n{}{}\n(first run: {werr})",
            c.status.code(),
            String::from_utf8_lossy(&c.stdout),
            String::from_utf8_lossy(&c.stderr)
        ));
    }
    Ok(werr)
}

/// The case: a Node app whose context has no `.dockerignore`.
/// Before the fix the first run wrote `.dockerignore` and left DS202
/// unsafe; the second run then moved the install.
#[test]
fn node_dockerignore_then_deps_first_in_one_run() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "Dockerfile",
        "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"node\", \"server.js\"]\n",
    );
    write(d.path(), "package.json", "{\"name\": \"x\"}\n");
    write(d.path(), "package-lock.json", "{}\n");
    let err = write_then_check(d.path(), &[]).unwrap();
    assert!(err.contains("2 files"), "{err}");
    let df = read(&d.path().join("Dockerfile"));
    assert!(
        df.contains("COPY package.json package-lock.json ./\nRUN npm ci"),
        "{df}"
    );
    assert!(read(&d.path().join(".dockerignore")).contains("node_modules\n"));
    // One run applied both: a second `fix --write` has nothing to do.
    let again = dslim()
        .current_dir(d.path())
        .args(["fix", "--write", "--context", ".", "Dockerfile"])
        .assert()
        .success();
    assert!(
        stderr_of(&again).contains("No fixes to apply"),
        "{}",
        stderr_of(&again)
    );
}

/// The `.dockerignore` the first run reports is the one it writes: the
/// diff of `fix` (no `--write`) shows the final `.dockerignore` and the
/// moved install together.
#[test]
fn diff_shows_what_write_writes() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "Dockerfile",
        "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n",
    );
    write(d.path(), "package.json", "{\"name\": \"x\"}\n");
    let out = dslim()
        .current_dir(d.path())
        .args(["fix", "--context", ".", "Dockerfile"])
        .output()
        .unwrap();
    let diff = String::from_utf8_lossy(&out.stdout);
    assert!(diff.contains("+COPY package.json ./"), "{diff}");
    assert!(diff.contains("+++ b/.dockerignore"), "{diff}");
    assert!(diff.contains("+node_modules"), "{diff}");
}

fn golden_cases_with_context() -> Vec<(PathBuf, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let mut v = Vec::new();
    for dir in fs::read_dir(&root).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for f in fs::read_dir(&dir).unwrap() {
            let f = f.unwrap().path();
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            if let Some(case) = name.strip_suffix(".Dockerfile") {
                let ctx = dir.join(format!("{case}.context"));
                if !case.ends_with(".expected") && ctx.is_dir() {
                    v.push((f.clone(), ctx));
                }
            }
        }
    }
    v.sort();
    v
}

/// Every golden case with a context, all transforms selected, safe and
/// unsafe: after `fix --write`, `fix --check` exits 0.
#[test]
fn write_then_check_on_every_golden_case_with_a_context() {
    let cases = golden_cases_with_context();
    assert!(cases.len() >= 25, "{} cases", cases.len());
    let mut failures = Vec::new();
    for (input, ctx) in &cases {
        for extra in [&[][..], &["--unsafe"][..]] {
            let d = tempfile::tempdir().unwrap();
            copy_dir(ctx, d.path());
            fs::copy(input, d.path().join("Dockerfile")).unwrap();
            let toml = input.with_extension("toml");
            if toml.is_file() {
                fs::copy(&toml, d.path().join("dslim.toml")).unwrap();
            }
            if let Err(e) = write_then_check(d.path(), extra) {
                failures.push(format!("{} {extra:?}: {e}", input.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
