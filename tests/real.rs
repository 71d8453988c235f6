//! The real-world behaviour suite (`testdata/real/`, issue 12 §3).
//!
//! Each `testdata/real/<case>/` is a small single-stage app written the way
//! people write them: `Dockerfile` (FROM the official image names),
//! `context/` (the build context), `probe` (how `scripts/realbuild` checks
//! that the image still behaves the same after `dslim fix --unsafe`: shell
//! words appended to the entrypoint, or `http PORT/path`) and
//! `expected.findings` (the codes `dslim check --unsafe --context context`
//! reports, one a line, in report order).
//!
//! This test needs no builder. For every case it checks
//! - the layout (a Dockerfile, a context folder, a well-formed probe),
//! - `check --unsafe` reports exactly the codes in `expected.findings`,
//! - `fix --unsafe --write` on a copy of the case succeeds, its output
//!   re-parses and prints back byte for byte, `check` reads it without an
//!   error, and a second `fix --unsafe --check` changes nothing, neither the
//!   Dockerfile nor a file in the context (idempotence).
//!
//! `DSLIM_BLESS=1 cargo test --test real` rewrites every `expected.findings`
//! from what `check` reports (review the diff!).
//! `scripts/realbuild` builds each case before and after the fix and runs
//! the probe on both (root, buildah, the stand-in images).

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{dslim, read, stderr_of, stdout_of};
use dslim::syntax::Document;

const MIN_CASES: usize = 24;

fn real_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/real")
}

fn cases() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(real_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    v.sort();
    v
}

/// Copies the folder `from` to `to` (files and folders only).
fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &dest);
        } else {
            fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// Every file under `dir`, with its contents, in path order.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let bytes = fs::read(&p).unwrap();
                out.push((p.strip_prefix(dir).unwrap().to_path_buf(), bytes));
            }
        }
    }
    out.sort();
    out
}

/// Why `probe` is not a valid probe: `http PORT/path` or shell words for the
/// entrypoint (quotes balanced, as `shlex` in `scripts/realbuild` reads them).
fn probe_error(probe: &str) -> Option<String> {
    let lines: Vec<&str> = probe.lines().filter(|l| !l.trim().is_empty()).collect();
    let [line] = lines[..] else {
        return Some(format!("expected one line, found {}", lines.len()));
    };
    if let Some(rest) = line.strip_prefix("http ") {
        let (port, path) = rest.trim().split_once('/').unwrap_or((rest.trim(), ""));
        if port.parse::<u16>().map_or(true, |p| p == 0) {
            return Some(format!("bad port in `{line}`"));
        }
        if path.contains(char::is_whitespace) {
            return Some(format!("a path with spaces in `{line}`"));
        }
        return None;
    }
    let (mut single, mut double) = (false, false);
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '\\' if !single => {
                chars.next();
            }
            _ => {}
        }
    }
    (single || double).then(|| format!("unbalanced quotes in `{line}`"))
}

/// The codes `check --unsafe` reports for `dockerfile` with `context`.
fn check_codes(dockerfile: &Path, context: &Path) -> Result<Vec<String>, String> {
    let a = dslim()
        .args(["check", "--unsafe", "--format", "json", "--context"])
        .arg(context)
        .arg(dockerfile)
        .assert();
    let code = a.get_output().status.code();
    if !matches!(code, Some(0 | 1)) {
        return Err(format!(
            "check exited with {code:?}: {}",
            stderr_of(&a).trim()
        ));
    }
    let json: serde_json::Value =
        serde_json::from_str(&stdout_of(&a)).map_err(|e| format!("check's JSON: {e}"))?;
    let findings = json.as_array().ok_or("check's JSON is not an array")?;
    // Exit 1 exactly when a finding is a violation (advice exits 0).
    let violations = findings.iter().filter(|f| f["severity"] != "info").count();
    if (code == Some(0)) != (violations == 0) {
        return Err(format!(
            "check exited {code:?} with {} findings, {violations} of them violations",
            findings.len()
        ));
    }
    Ok(findings
        .iter()
        .map(|f| f["code"].as_str().unwrap_or("?").to_string())
        .collect())
}

/// Fixes a copy of the case and checks the output; returns what went wrong.
fn check_fix(case: &Path, scratch: &Path) -> Vec<String> {
    let mut errs = Vec::new();
    let work = scratch.join(case.file_name().unwrap());
    copy_tree(case, &work);
    let dockerfile = work.join("Dockerfile");
    let context = work.join("context");
    let before = read(&dockerfile);

    let a = dslim()
        .args(["fix", "--unsafe", "--write", "--context"])
        .arg(&context)
        .arg(&dockerfile)
        .assert();
    if a.get_output().status.code() != Some(0) {
        errs.push(format!(
            "fix --unsafe --write failed: {}",
            stderr_of(&a).trim()
        ));
        return errs;
    }
    let fixed = read(&dockerfile);
    match Document::parse(&fixed) {
        Err(e) => errs.push(format!("the fixed Dockerfile does not parse: {e}\n{fixed}")),
        Ok(doc) if doc.print() != fixed => {
            errs.push("the fixed Dockerfile does not print back byte for byte".into())
        }
        Ok(_) => {}
    }
    if let Err(e) = check_codes(&dockerfile, &context) {
        errs.push(format!("check on the fixed Dockerfile: {e}"));
    }

    let files = snapshot(&work);
    let again = dslim()
        .args(["fix", "--unsafe", "--check", "--context"])
        .arg(&context)
        .arg(&dockerfile)
        .assert();
    if again.get_output().status.code() != Some(0) {
        errs.push(format!(
            "not idempotent: a second fix --unsafe would change more:\n{}\n--- first fix of ---\n{before}",
            stdout_of(&again)
        ));
    }
    if snapshot(&work) != files {
        errs.push("fix --check changed files".into());
    }
    errs
}

#[test]
fn real_cases() {
    let bless = std::env::var_os("DSLIM_BLESS").is_some();
    let cases = cases();
    assert!(
        cases.len() >= MIN_CASES,
        "testdata/real has {} cases, the suite needs at least {MIN_CASES}",
        cases.len()
    );
    let scratch = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let mut errs = Vec::new();
        let dockerfile = case.join("Dockerfile");
        let context = case.join("context");
        if !dockerfile.is_file() || !context.is_dir() {
            failures.push(format!("{name}: needs a Dockerfile and a context/ folder"));
            continue;
        }
        match fs::read_to_string(case.join("probe")) {
            Err(e) => errs.push(format!("probe: {e}")),
            Ok(p) => errs.extend(probe_error(&p).map(|e| format!("probe: {e}"))),
        }
        let doc = Document::parse(&read(&dockerfile)).unwrap();
        if doc.stages().len() != 1 {
            errs.push(format!(
                "a real case is single-stage, this has {} stages",
                doc.stages().len()
            ));
        }

        let expected_path = case.join("expected.findings");
        match check_codes(&dockerfile, &context) {
            Err(e) => errs.push(e),
            Ok(codes) => {
                let actual: String = codes.iter().map(|c| format!("{c}\n")).collect();
                if bless {
                    fs::write(&expected_path, &actual).unwrap();
                } else {
                    match fs::read_to_string(&expected_path) {
                        Err(e) => errs.push(format!("expected.findings: {e}")),
                        Ok(expected) if expected != actual => errs.push(format!(
                            "check --unsafe reports\n{actual}but expected.findings says\n{expected}"
                        )),
                        Ok(_) => {}
                    }
                }
            }
        }
        errs.extend(check_fix(case, scratch.path()));
        failures.extend(errs.into_iter().map(|e| format!("{name}: {e}")));
    }
    assert!(
        failures.is_empty(),
        "{} problems in testdata/real:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn probe_format_is_checked() {
    assert_eq!(probe_error("http 8080/\n"), None);
    assert_eq!(probe_error("http 3000/items/7"), None);
    assert_eq!(probe_error("--version"), None);
    assert_eq!(probe_error("'{\"a\": 1}' \"x y\""), None);
    assert!(probe_error("http 0/").is_some());
    assert!(probe_error("http x/").is_some());
    assert!(probe_error("'unclosed").is_some());
    assert!(probe_error("a\nb").is_some());
    assert!(probe_error("").is_some());
}
