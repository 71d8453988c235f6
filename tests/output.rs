//! Report formats end to end: golden text, JSON, SARIF (validated against
//! the official OASIS schema) and GitHub outputs, `--output`, `explain`,
//! `completions`, and dslim's own Dockerfile.
//!
//! `DSLIM_BLESS=1 cargo test --test output` rewrites the golden files in
//! `tests/data/output/` (review the diff!).

use std::fs;
use std::path::PathBuf;

use predicates::prelude::*;
use predicates::str::contains;

mod common;
use common::{dslim, stdout_of};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn data() -> PathBuf {
    root().join("tests/data/output")
}

/// The report of `check --format <format>` over the golden inputs, with the
/// version number replaced so the goldens survive releases.
fn report(format: &str) -> (String, i32) {
    let a = dslim()
        .current_dir(data())
        .args([
            "check",
            "--format",
            format,
            "a.Dockerfile",
            "b",
            "broken.Dockerfile",
        ])
        .assert();
    let code = a.get_output().status.code().unwrap();
    let out = stdout_of(&a).replace(
        &format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION")),
        "\"version\": \"VERSION\"",
    );
    (out, code)
}

/// Compares with (or, under `DSLIM_BLESS=1`, rewrites) a golden file.
fn golden(name: &str, actual: &str) {
    let path = data().join(name);
    if std::env::var_os("DSLIM_BLESS").is_some() {
        fs::write(&path, actual).unwrap();
        return;
    }
    let want = fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (DSLIM_BLESS=1 creates it)", path.display()));
    assert_eq!(
        actual, want,
        "{name} differs; if intended, rerun with DSLIM_BLESS=1 and review the diff"
    );
}

#[test]
fn golden_reports() {
    for (format, file) in [
        ("text", "check.txt"),
        ("concise", "check.concise.txt"),
        ("json", "check.json"),
        ("sarif", "check.sarif"),
        ("github", "check.github.txt"),
    ] {
        let (out, code) = report(format);
        // A finding and an unparseable file: the error wins.
        assert_eq!(code, 2, "{format}");
        assert!(
            !out.contains(&*root().to_string_lossy()),
            "absolute path in {format}"
        );
        golden(file, &out);
    }
}

#[test]
fn sarif_validates_against_the_oasis_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(root().join("tests/data/sarif-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft4::new(&schema).expect("the SARIF schema compiles");
    let check = |sarif: &str| {
        let v: serde_json::Value = serde_json::from_str(sarif).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&v)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "SARIF invalid:\n{}", errors.join("\n"));
        v
    };
    // The validator does reject what the schema forbids.
    let bad = serde_json::json!({"version": "2.0.0", "runs": [{"results": []}]});
    assert!(validator.iter_errors(&bad).count() > 0);
    let (out, _) = report("sarif");
    let v = check(&out);
    let run = &v["runs"][0];
    assert_eq!(v["version"], "2.1.0");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ds001 = rules.iter().find(|r| r["id"] == "DS001").unwrap();
    assert!(ds001["help"]["text"].as_str().unwrap().contains("Before:"));
    let results = run["results"].as_array().unwrap();
    // DS001 and DS002 in a.Dockerfile, DS001 in b/Dockerfile.
    assert_eq!(results.len(), 3);
    let fix = &results[0]["fixes"][0];
    assert_eq!(fix["description"]["text"], "merge into one RUN");
    let rep = &fix["artifactChanges"][0]["replacements"][0];
    assert!(rep["deletedRegion"]["startLine"].is_u64());
    assert!(rep["insertedContent"]["text"].is_string());
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);
    // A clean run validates too.
    let a = dslim()
        .args(["check", "--format", "sarif", "-"])
        .write_stdin("FROM a:1\n")
        .assert()
        .code(0);
    let v = check(&stdout_of(&a));
    assert_eq!(v["runs"][0]["results"], serde_json::json!([]));
}

#[test]
fn output_flag_writes_a_plain_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.txt");
    dslim()
        .current_dir(data())
        .env("CLICOLOR_FORCE", "1")
        .args(["check", "a.Dockerfile", "--output"])
        .arg(&out)
        .assert()
        .code(1)
        .stdout("");
    let text = fs::read_to_string(&out).unwrap();
    assert!(!text.contains('\x1b'));
    assert!(text.starts_with("a.Dockerfile:3:1: DS001 [*] "), "{text}");
    assert!(
        text.ends_with("Found 2 issues (2 fixable); estimated saving ~20 MB\n"),
        "{text}"
    );
    let sarif = dir.path().join("r.sarif");
    dslim()
        .current_dir(data())
        .args(["check", "--format", "sarif", "-o"])
        .arg(&sarif)
        .arg("a.Dockerfile")
        .assert()
        .code(1)
        .stdout("");
    let v: serde_json::Value = serde_json::from_str(&fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(v["runs"][0]["results"].as_array().unwrap().len(), 2);
    // An unwritable report is exit 2.
    dslim()
        .current_dir(data())
        .args(["check", "a.Dockerfile", "--output"])
        .arg(dir.path().join("no/such/dir/r.txt"))
        .assert()
        .code(2)
        .stderr(contains("cannot write report"));
}

#[test]
fn text_colour_only_when_asked() {
    let run = |force: bool| {
        let mut c = dslim();
        if force {
            c.env("CLICOLOR_FORCE", "1");
        }
        let a = c
            .current_dir(data())
            .args(["check", "a.Dockerfile"])
            .assert()
            .code(1);
        stdout_of(&a)
    };
    let plain = run(false);
    assert!(!plain.contains('\x1b'));
    let coloured = run(true);
    assert!(coloured.contains('\x1b'));
    assert_eq!(anstream::adapter::strip_str(&coloured).to_string(), plain);
}

#[test]
fn explain_rule() {
    let a = dslim().args(["explain", "DS001"]).assert().success();
    let by_code = stdout_of(&a);
    assert!(
        by_code.starts_with(
            "DS001 (merge-runs): Merge consecutive RUN instructions into one layer\n\n\
         Fix: sometimes available; safe, applied by `dslim fix`\n\
         Also silenced by: DL3059 (hadolint, `# hadolint ignore=`)\n"
        ),
        "{by_code}"
    );
    for part in [
        "Why:",
        "Safety:",
        "Before:",
        "After:",
        "&& apt-get install -y curl",
    ] {
        assert!(by_code.contains(part), "{part}");
    }
    let a = dslim().args(["explain", "merge-runs"]).assert().success();
    assert_eq!(stdout_of(&a), by_code);
    dslim().args(["explain", "ds001"]).assert().success();
    dslim()
        .args(["explain", "DS999"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("unknown rule `DS999`"));
    dslim().arg("explain").assert().code(2);
}

#[test]
fn completions() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef dslim"),
        ("fish", "complete -c dslim"),
    ] {
        dslim()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(
                contains(marker)
                    .and(contains("explain"))
                    .and(contains("warn-unused-ignores")),
            );
    }
    dslim().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn own_dockerfile_passes_check() {
    dslim()
        .current_dir(root())
        .args(["check", "Dockerfile"])
        .assert()
        .code(0)
        .stdout("All checks passed!\n");
}
