//! End-to-end tests of the `dslim` command line.
//!
//! Tests that need a change to happen use [`MERGEABLE`], which DS001
//! (merge-runs) turns into [`MERGED`].

use std::fs;
use std::path::{Path, PathBuf};

use predicates::prelude::*;
use predicates::str::contains;

mod common;
use common::{dslim, read, stderr_of, stdout_of, write};

const MERGEABLE: &str = "FROM debian:bookworm-slim\nRUN ./setup.sh\nRUN ./install.sh\n";
const MERGED: &str = "FROM debian:bookworm-slim\nRUN ./setup.sh \\\n    && ./install.sh\n";
const CLEAN: &str = "FROM debian:bookworm-slim\nRUN ./setup.sh && ./install.sh\n";
/// BuildKit rejects an unterminated heredoc, and so does dslim.
const BROKEN: &str = "FROM debian:bookworm-slim\nRUN <<EOF\necho hi\n";

const DIFF: &str = "\
--- a/Dockerfile
+++ b/Dockerfile
@@ -1,3 +1,3 @@
 FROM debian:bookworm-slim
-RUN ./setup.sh
-RUN ./install.sh
+RUN ./setup.sh \\
+    && ./install.sh
";

/// Names of files in `dir` (not recursive).
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

// ------------------------------------------------------------------ basics

#[test]
fn version_and_help() {
    dslim()
        .arg("--version")
        .assert()
        .success()
        .stdout(contains(concat!("dslim ", env!("CARGO_PKG_VERSION"))));
    dslim().arg("--help").assert().success().stdout(
        contains("fix")
            .and(contains("check"))
            .and(contains("rules")),
    );
    dslim().args(["fix", "--help"]).assert().success().stdout(
        contains("--write")
            .and(contains("--check"))
            .and(contains("--unsafe"))
            .and(contains("--select"))
            .and(contains("--ignore"))
            .and(contains("--stdin-filename")),
    );
    dslim()
        .args(["check", "--help"])
        .assert()
        .success()
        .stdout(contains("--format"));
}

#[test]
fn bad_usage_is_exit_2() {
    dslim().assert().code(2);
    dslim().args(["fix", "--no-such-flag"]).assert().code(2);
    dslim().args(["check", "--format", "xml"]).assert().code(2);
    dslim().args(["debug", "roundtrip"]).assert().code(2);
}

// ------------------------------------------------------------------ fix

#[test]
fn fix_prints_diff_and_leaves_file_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "Dockerfile", MERGEABLE);
    let a = dslim()
        .current_dir(dir.path())
        .args(["fix", "Dockerfile"])
        .assert()
        .code(0);
    assert_eq!(stdout_of(&a), DIFF);
    assert!(stderr_of(&a).contains("Would fix 1 issue in 1 file"));
    assert_eq!(read(&p), MERGEABLE);
}

#[test]
fn fix_without_paths_walks_current_directory() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", MERGEABLE);
    let a = dslim().current_dir(dir.path()).arg("fix").assert().code(0);
    assert_eq!(stdout_of(&a), DIFF);
}

#[test]
fn fix_nothing_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "Dockerfile", CLEAN);
    dslim()
        .arg("fix")
        .arg(&p)
        .assert()
        .code(0)
        .stdout("")
        .stderr(contains("No fixes to apply."));
    dslim()
        .args(["fix", "--check"])
        .arg(&p)
        .assert()
        .code(0)
        .stdout("");
    assert_eq!(read(&p), CLEAN);
}

#[test]
fn fix_check_exit_1_when_something_would_change() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "Dockerfile", MERGEABLE);
    let a = dslim()
        .current_dir(dir.path())
        .args(["fix", "--check", "Dockerfile"])
        .assert()
        .code(1);
    assert_eq!(stdout_of(&a), DIFF);
    assert_eq!(read(&p), MERGEABLE);
}

#[test]
fn fix_write_rewrites_file_and_leaves_no_temp_files() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "Dockerfile", MERGEABLE);
    dslim()
        .args(["fix", "--write"])
        .arg(&p)
        .assert()
        .code(0)
        .stdout("")
        .stderr(contains("Fixed 1 issue in 1 file."));
    assert_eq!(read(&p), MERGED);
    assert_eq!(names(dir.path()), vec!["Dockerfile"]);
    // A second run has nothing left to do.
    dslim()
        .args(["fix", "--write", "--check"])
        .arg(&p)
        .assert()
        .code(0);
}

#[test]
fn fix_write_with_check_writes_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "Dockerfile", MERGEABLE);
    dslim()
        .args(["fix", "-w", "--check"])
        .arg(&p)
        .assert()
        .code(1);
    assert_eq!(read(&p), MERGED);
}

#[test]
fn fix_write_summary_counts_files() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a/Dockerfile", MERGEABLE);
    write(dir.path(), "b/Dockerfile", MERGEABLE);
    write(dir.path(), "c/Dockerfile", CLEAN);
    dslim()
        .args(["fix", "--write"])
        .arg(dir.path())
        .assert()
        .code(0)
        .stderr(contains("Fixed 2 issues in 2 files."));
    assert_eq!(read(&dir.path().join("a/Dockerfile")), MERGED);
    assert_eq!(read(&dir.path().join("b/Dockerfile")), MERGED);
    assert_eq!(read(&dir.path().join("c/Dockerfile")), CLEAN);
}

#[cfg(unix)]
#[test]
fn fix_write_keeps_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "Dockerfile", MERGEABLE);
    fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
    dslim().args(["fix", "--write"]).arg(&p).assert().code(0);
    assert_eq!(read(&p), MERGED);
    let mode = fs::metadata(&p).unwrap().permissions().mode() & 0o7777;
    assert_eq!(mode, 0o640, "mode is {mode:o}");
}

#[cfg(unix)]
#[test]
fn fix_write_through_symlink_updates_target() {
    let dir = tempfile::tempdir().unwrap();
    let real = write(dir.path(), "real/app.Dockerfile", MERGEABLE);
    let link = dir.path().join("Dockerfile");
    std::os::unix::fs::symlink("real/app.Dockerfile", &link).unwrap();
    dslim().args(["fix", "--write"]).arg(&link).assert().code(0);
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(read(&real), MERGED);
    assert_eq!(names(dir.path()), vec!["Dockerfile", "real"]);
    assert_eq!(names(&dir.path().join("real")), vec!["app.Dockerfile"]);
}

#[test]
fn fix_stdin_prints_whole_fixed_text() {
    dslim()
        .args(["fix", "-"])
        .write_stdin(MERGEABLE)
        .assert()
        .code(0)
        .stdout(MERGED);
    // --check: still the fixed text, exit 1.
    dslim()
        .args(["fix", "--check", "-"])
        .write_stdin(MERGEABLE)
        .assert()
        .code(1)
        .stdout(MERGED);
    // Nothing to fix: the input back, exit 0 even with --check.
    dslim()
        .args(["fix", "--check", "-"])
        .write_stdin(CLEAN)
        .assert()
        .code(0)
        .stdout(CLEAN);
}

#[test]
fn fix_stdin_error_echoes_input_and_names_stdin() {
    let a = dslim()
        .args(["fix", "--stdin-filename", "web/Dockerfile", "-"])
        .write_stdin(BROKEN)
        .assert()
        .code(2)
        .stdout(BROKEN);
    let err = stderr_of(&a);
    assert!(
        predicates::str::is_match(r"^web/Dockerfile:\d+:\d+: error: ")
            .unwrap()
            .eval(&err),
        "{err}"
    );
    // Without a name, stdin is `-`.
    dslim()
        .args(["fix", "-"])
        .write_stdin(BROKEN)
        .assert()
        .code(2)
        .stderr(predicates::str::is_match(r"^-:\d+:\d+: error: ").unwrap());
}

/// A missing `\` turns a package name into an instruction: BuildKit's
/// parser keeps it, every build fails on it (issue 13, item 8).
const MISSING_ESCAPE: &str = "FROM fedora:39\nRUN dnf install -y \\\n    ghc-aeson-devel\n  ghc-unordered-containers-devel\\\n  ghc-vector-devel\nRUN echo one\nRUN echo two\n";

#[test]
fn unknown_instruction_is_an_error_asking_for_a_missing_escape() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "Dockerfile", MISSING_ESCAPE);
    let want = "Dockerfile:4:3: error: unknown instruction `ghc-unordered-containers-devel` \
                (a missing `\\` at the end of line 3?)";
    for args in [
        &["check"][..],
        &["fix", "--write"][..],
        &["fix", "--check"][..],
        &["fmt", "--write"][..],
    ] {
        let a = dslim()
            .current_dir(dir.path())
            .args(args)
            .arg("Dockerfile")
            .assert()
            .code(2);
        let err = stderr_of(&a);
        assert!(err.contains(want), "{args:?}: {err}");
        // No merge of the two RUNs below it was reported or written.
        assert!(!stdout_of(&a).contains("DS001"), "{args:?}");
        assert_eq!(read(&p), MISSING_ESCAPE, "{args:?}");
    }
    // On stdin the text comes back unchanged.
    dslim()
        .args(["fix", "-"])
        .write_stdin(MISSING_ESCAPE)
        .assert()
        .code(2)
        .stdout(MISSING_ESCAPE)
        .stderr(contains("-:4:3: error: unknown instruction"));
    // The first instruction has nothing above it to continue.
    dslim()
        .args(["check", "-"])
        .write_stdin("FORM debian:bookworm\n")
        .assert()
        .code(2)
        .stderr(contains("-:1:1: error: unknown instruction `FORM`\n"));
}

#[test]
fn stdin_filename_without_path_reads_stdin() {
    dslim()
        .args(["fix", "--stdin-filename", "x.Dockerfile"])
        .write_stdin(MERGEABLE)
        .assert()
        .code(0)
        .stdout(MERGED);
    dslim()
        .args(["check", "--stdin-filename", "x.Dockerfile"])
        .write_stdin(MERGEABLE)
        .assert()
        .code(1)
        .stdout(contains("x.Dockerfile:2:1: DS001 [*] "));
}

#[test]
fn stdin_cannot_be_mixed_with_paths() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "Dockerfile", CLEAN);
    dslim()
        .args(["fix", "-"])
        .arg(&p)
        .write_stdin(CLEAN)
        .assert()
        .code(2)
        .stderr(contains("error:"));
}

#[test]
fn fix_non_utf8_stdin_is_an_error() {
    dslim()
        .args(["fix", "-"])
        .write_stdin(&b"FROM a:1\nRUN echo \xff\n"[..])
        .assert()
        .code(2)
        .stderr(contains(
            "-:2:10: error: not valid UTF-8 (byte 0xFF at offset 18)",
        ));
}

#[test]
fn fix_unsafe_flag_is_accepted() {
    dslim()
        .args(["fix", "--unsafe", "-"])
        .write_stdin(MERGEABLE)
        .assert()
        .code(0)
        .stdout(MERGED);
}

// ------------------------------------------------------------------ errors

#[test]
fn unparseable_file_among_good_ones() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(dir.path(), "bad/Dockerfile", BROKEN);
    let good = write(dir.path(), "good/Dockerfile", MERGEABLE);
    let a = dslim()
        .current_dir(dir.path())
        .args(["fix", "--write", "bad", "good"])
        .assert()
        .code(2);
    let err = stderr_of(&a);
    assert!(
        predicates::str::is_match(r"(?m)^bad/Dockerfile:\d+:\d+: error: ")
            .unwrap()
            .eval(&err),
        "{err}"
    );
    assert_eq!(read(&bad), BROKEN);
    assert_eq!(read(&good), MERGED);
    assert_eq!(names(&dir.path().join("bad")), vec!["Dockerfile"]);

    // Diff mode: the good file's diff is still printed.
    fs::write(&good, MERGEABLE).unwrap();
    let a = dslim()
        .current_dir(dir.path())
        .args(["fix", "bad", "good"])
        .assert()
        .code(2);
    assert!(stdout_of(&a).contains("+++ b/good/Dockerfile"));

    // check: the good file's finding is reported, status 2 wins.
    dslim()
        .current_dir(dir.path())
        .args(["check", "bad", "good"])
        .assert()
        .code(2)
        .stdout(contains("good/Dockerfile:2:1: DS001"))
        .stderr(predicates::str::is_match(r"(?m)^bad/Dockerfile:\d+:\d+: error: ").unwrap());
}

#[test]
fn unparseable_file_alone() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(dir.path(), "Dockerfile", BROKEN);
    dslim()
        .current_dir(dir.path())
        .args(["check", "Dockerfile"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("All checks passed!").not())
        .stderr(predicates::str::is_match(r"^Dockerfile:\d+:\d+: error: ").unwrap());
    dslim()
        .current_dir(dir.path())
        .args(["fix", "--write", "Dockerfile"])
        .assert()
        .code(2);
    assert_eq!(read(&bad), BROKEN);
}

#[test]
fn missing_file_is_exit_2_and_others_still_processed() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "Dockerfile", MERGEABLE);
    dslim()
        .current_dir(dir.path())
        .args(["fix", "--write", "nope/Dockerfile", "Dockerfile"])
        .assert()
        .code(2)
        .stderr(contains("nope/Dockerfile: error: "));
    assert_eq!(read(&good), MERGED);
    dslim()
        .current_dir(dir.path())
        .args(["check", "missing"])
        .assert()
        .code(2)
        .stderr(contains("missing: error: "));
}

#[test]
fn non_utf8_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "Dockerfile", b"FROM a:1\nRUN echo \xff\n");
    dslim()
        .current_dir(dir.path())
        .args(["fix", "--write", "Dockerfile"])
        .assert()
        .code(2)
        .stderr(contains("Dockerfile:2:10: error: not valid UTF-8"));
    assert_eq!(fs::read(&p).unwrap(), b"FROM a:1\nRUN echo \xff\n");
}

// ------------------------------------------------------------------ check

#[test]
fn check_reports_findings_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", MERGEABLE);
    let a = dslim()
        .current_dir(dir.path())
        .args(["check", "Dockerfile"])
        .assert()
        .code(1);
    let out = stdout_of(&a);
    assert_eq!(
        out,
        "\
Dockerfile:2:1: DS001 [*] 2 consecutive RUN instructions can be merged into one layer
  |
2 | RUN ./setup.sh
  | ^^^
  |
  = help: merge into one RUN

Found 1 issue (1 fixable)
"
    );
    // Concise: one line per finding.
    let a = dslim()
        .current_dir(dir.path())
        .args(["check", "--format", "concise", "Dockerfile"])
        .assert()
        .code(1);
    let out = stdout_of(&a);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].starts_with("Dockerfile:2:1: DS001 [*] "), "{out}");
    assert_eq!(lines[1], "Found 1 issue (1 fixable)");
}

#[test]
fn check_clean_file_passes() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", CLEAN);
    dslim()
        .current_dir(dir.path())
        .arg("check")
        .assert()
        .code(0)
        .stdout("All checks passed!\n");
}

#[test]
fn check_stdin() {
    dslim()
        .args(["check", "-"])
        .write_stdin(MERGEABLE)
        .assert()
        .code(1)
        .stdout(contains("-:2:1: DS001 [*] "));
    dslim()
        .args(["check", "--stdin-filename", "api/Dockerfile", "-"])
        .write_stdin(MERGEABLE)
        .assert()
        .code(1)
        .stdout(contains("api/Dockerfile:2:1: DS001 [*] "));
    dslim()
        .args(["check", "-"])
        .write_stdin(CLEAN)
        .assert()
        .code(0)
        .stdout("All checks passed!\n");
}

#[test]
fn check_json() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", MERGEABLE);
    let a = dslim()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "Dockerfile"])
        .assert()
        .code(1);
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&a)).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 1);
    let f = &arr[0];
    assert_eq!(f["path"], "Dockerfile");
    assert_eq!(f["code"], "DS001");
    assert_eq!(f["name"], "merge-runs");
    assert!(f["message"].is_string());
    assert_eq!(f["line"], 2);
    assert_eq!(f["column"], 1);
    assert!(f["end_line"].as_u64().unwrap() >= 2);
    assert!(f["end_column"].as_u64().unwrap() >= 1);
    assert!(f.get("saving_bytes").is_some());
    let fix = &f["fix"];
    assert_eq!(fix["applicability"], "safe");
    let edits = fix["edits"].as_array().unwrap();
    assert!(!edits.is_empty());
    for e in edits {
        assert!(e["start"]["line"].is_u64() && e["start"]["column"].is_u64());
        assert!(e["end"]["line"].is_u64() && e["end"]["column"].is_u64());
        assert!(e["content"].is_string());
    }

    // Clean: an empty array, exit 0.
    write(dir.path(), "Dockerfile", CLEAN);
    let a = dslim()
        .current_dir(dir.path())
        .args(["check", "--format=json"])
        .assert()
        .code(0);
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&a)).unwrap();
    assert_eq!(v, serde_json::json!([]));
}

// ------------------------------------------------------------------ selection

#[test]
fn select_and_ignore() {
    let run = |args: &[&str]| {
        dslim()
            .arg("check")
            .args(args)
            .arg("-")
            .write_stdin(MERGEABLE)
            .assert()
    };
    for sel in [
        "DS001",
        "merge-runs",
        "MERGE-RUNS",
        "ALL",
        "all",
        "DS0",
        "DS",
        "DS001,merge-runs",
    ] {
        run(&["--select", sel]).code(1).stdout(contains("DS001"));
    }
    run(&["--select", "DS001", "--select", "merge-runs"]).code(1);
    for ign in ["DS001", "merge-runs", "ALL", "DS0"] {
        run(&["--ignore", ign])
            .code(0)
            .stdout("All checks passed!\n");
    }
    run(&["--select", "ALL", "--ignore", "merge-runs"]).code(0);
    run(&["--select", "DS001", "--ignore", "DS001"]).code(0);
    run(&["--select", "DS001,", "--ignore", ""]).code(1);

    // fix honours them too.
    dslim()
        .args(["fix", "--ignore", "DS001", "-"])
        .write_stdin(MERGEABLE)
        .assert()
        .code(0)
        .stdout(MERGEABLE);
    dslim()
        .args(["fix", "--select", "merge-runs", "-"])
        .write_stdin(MERGEABLE)
        .assert()
        .code(0)
        .stdout(MERGED);
}

#[test]
fn unknown_selector_is_exit_2() {
    for cmd in ["check", "fix"] {
        for flag in ["--select", "--ignore"] {
            dslim()
                .args([cmd, flag, "DS999", "-"])
                .write_stdin(CLEAN)
                .assert()
                .code(2)
                // `fix -` is a filter: the input comes back unchanged.
                .stdout(if cmd == "fix" { CLEAN } else { "" })
                .stderr(contains("DS999"));
        }
    }
    dslim()
        .args(["check", "--select", "DS001,nonsense", "-"])
        .write_stdin(CLEAN)
        .assert()
        .code(2)
        .stderr(contains("nonsense"));
}

// ------------------------------------------------------------------ rules

#[test]
fn rules_lists_transforms() {
    dslim().arg("rules").assert().success().stdout(
        contains("DS001")
            .and(contains("merge-runs"))
            .and(contains("safe"))
            .and(contains("Merge consecutive RUN")),
    );
    let a = dslim()
        .args(["rules", "--format", "json"])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&a)).unwrap();
    let ds001 = v
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "DS001")
        .unwrap();
    assert_eq!(ds001["name"], "merge-runs");
    assert!(ds001["summary"].is_string());
    assert!(ds001["fix"].is_string());
    assert!(ds001["safety"].is_string());
}

// ------------------------------------------------------------------ debug

#[test]
fn debug_roundtrip_identical_set() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let files = [
        write(d, "lf.Dockerfile", "FROM a:1\nRUN echo \\\n  hi\n"),
        write(
            d,
            "crlf.Dockerfile",
            "FROM a:1\r\nRUN echo \\\r\n  hi\r\n# c\r\n",
        ),
        write(d, "bom.Dockerfile", "\u{feff}FROM a:1\nRUN x\n"),
        write(d, "nofinal.Dockerfile", "FROM a:1\nRUN x"),
        write(
            d,
            "heredoc.Dockerfile",
            "FROM a:1\nRUN <<EOF\necho hi\nEOF\n",
        ),
        write(d, "empty.Dockerfile", ""),
        // Explicit paths are taken whatever their names.
        write(
            d,
            "odd-name.txt",
            "# escape=`\nFROM a:1\nRUN echo `\n  hi\n",
        ),
    ];
    let a = dslim()
        .args(["debug", "roundtrip"])
        .args(&files)
        .assert()
        .code(0);
    assert_eq!(stdout_of(&a), "roundtrip: 7 of 7 files identical\n");
}

#[test]
fn debug_roundtrip_counts_failures() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "Dockerfile", "FROM a:1\n");
    write(d, "latin1.Dockerfile", b"FROM a:1\nRUN echo \xe9\n");
    write(d, "broken.Dockerfile", BROKEN);
    let a = dslim()
        .current_dir(d)
        .args(["debug", "roundtrip", "."])
        .assert()
        .code(1);
    let out = stdout_of(&a);
    assert!(out.contains("latin1.Dockerfile: not UTF-8\n"), "{out}");
    assert!(
        predicates::str::is_match(r"(?m)^broken\.Dockerfile:\d+:\d+: error: ")
            .unwrap()
            .eval(&out),
        "{out}"
    );
    assert!(
        out.ends_with("roundtrip: 1 of 3 files identical\n"),
        "{out}"
    );
}

#[test]
fn debug_parse_json_shape() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let src = "FROM debian AS base\n\
               COPY --from=base --chown=1 [\"a\", \"b\", \"/c/\"]\n\
               RUN <<EOF\necho hi\nEOF\n\
               onbuild RUN echo \\\n  x\n";
    let good = write(d, "notes.txt", src);
    let bad = write(d, "bad", BROKEN);
    let a = dslim()
        .args(["debug", "parse"])
        .arg(&good)
        .arg(&bad)
        .assert()
        .code(1);
    let out = stdout_of(&a);
    let recs: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(recs.len(), 2);
    // Sorted by path: `bad` before `notes.txt`.
    let (b, g) = (&recs[0], &recs[1]);
    assert_eq!(b["path"], bad.to_string_lossy().as_ref());
    assert_eq!(b["ok"], false);
    assert!(
        predicates::str::is_match(r"^\d+:\d+: ")
            .unwrap()
            .eval(b["error"].as_str().unwrap()),
        "{b}"
    );
    assert_eq!(g["path"], good.to_string_lossy().as_ref());
    assert_eq!(g["ok"], true);
    let ins = g["instructions"].as_array().unwrap();
    assert_eq!(ins.len(), 4);
    for i in ins {
        let keys: Vec<&str> = i.as_object().unwrap().keys().map(|k| k.as_str()).collect();
        let mut keys = keys;
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "cmd",
                "end_line",
                "flags",
                "heredocs",
                "json",
                "start_line",
                "sub_cmd",
                "value"
            ]
        );
    }
    assert_eq!(
        ins[0],
        serde_json::json!({"cmd": "FROM", "sub_cmd": null, "json": false, "start_line": 1,
            "end_line": 1, "flags": [], "value": ["debian", "AS", "base"], "heredocs": []})
    );
    assert_eq!(ins[1]["json"], true);
    assert_eq!(
        ins[1]["flags"],
        serde_json::json!(["--from=base", "--chown=1"])
    );
    assert_eq!(ins[1]["value"], serde_json::json!(["a", "b", "/c/"]));
    assert_eq!(ins[2]["start_line"], 3);
    assert_eq!(ins[2]["end_line"], 5);
    assert_eq!(
        ins[2]["heredocs"],
        serde_json::json!([{"name": "EOF", "content": "echo hi\n"}])
    );
    assert_eq!(ins[3]["cmd"], "onbuild");
    assert_eq!(ins[3]["sub_cmd"], "RUN");
    assert_eq!(ins[3]["start_line"], 6);
    assert_eq!(ins[3]["end_line"], 7);
    assert_eq!(ins[3]["value"], serde_json::json!(["echo   x"]));

    // All good: exit 0.
    dslim().args(["debug", "parse"]).arg(&good).assert().code(0);
}

#[test]
fn debug_parse_missing_file_is_exit_2() {
    dslim()
        .args(["debug", "parse", "/nonexistent/dslim/Dockerfile"])
        .assert()
        .code(2)
        .stderr(contains("/nonexistent/dslim/Dockerfile: error: "));
}

// ------------------------------------------------------------------ walking

#[test]
fn directory_walk_selects_dockerfiles() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let included = [
        "Containerfile",
        "Dockerfile",
        "Dockerfile.prod",
        "api.Dockerfile",
        "lower/dockerfile",
        "lower/dockerfile.dev",
        "sub/deeper/Containerfile.base",
        "sub/web.containerfile",
        "sub/x.DOCKERFILE",
    ];
    let excluded = [
        "Dockerfile.dockerignore",
        "api.Dockerfile.dockerignore",
        "Dockerfile.j2",
        "Dockerfile.tmpl",
        "Dockerfile.template",
        "Dockerfile.in",
        "Dockerfile.md",
        "Dockerfile.txt",
        "README.md",
        "notes.txt",
        ".dockerignore",
        ".hidden/Dockerfile",
        ".git/Dockerfile",
        "ignored/Dockerfile",
        "also-ignored.Dockerfile",
    ];
    for f in included.iter().chain(&excluded) {
        write(d, f, "FROM a:1\n");
    }
    write(d, ".gitignore", "ignored/\nalso-ignored.Dockerfile\n");
    let a = dslim()
        .current_dir(d)
        .args(["debug", "parse", "."])
        .assert()
        .code(0);
    let paths: Vec<String> = stdout_of(&a)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["path"].as_str().unwrap().to_string()
        })
        .collect();
    let mut want: Vec<String> = included.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(paths, want);

    // A path named explicitly is always processed.
    dslim()
        .current_dir(d)
        .args([
            "debug",
            "roundtrip",
            "Dockerfile.j2",
            "ignored/Dockerfile",
            ".hidden/Dockerfile",
        ])
        .assert()
        .code(0)
        .stdout("roundtrip: 3 of 3 files identical\n");

    // Walking a named directory gives paths under it.
    let a = dslim()
        .current_dir(d)
        .args(["debug", "parse", "sub"])
        .assert()
        .code(0);
    let out = stdout_of(&a);
    assert!(
        out.contains("\"path\":\"sub/deeper/Containerfile.base\""),
        "{out}"
    );
    assert_eq!(out.lines().count(), 3);
}

#[test]
fn many_files_in_sorted_order() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut want = Vec::new();
    for i in 0..40 {
        let name = format!("s{:02}/Dockerfile", 39 - i);
        write(d, &name, MERGEABLE);
        want.push(name);
    }
    want.sort();
    let a = dslim().current_dir(d).arg("check").assert().code(1);
    let out = stdout_of(&a);
    let got: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("DS001 [*]"))
        .map(|l| l.split(':').next().unwrap())
        .collect();
    assert_eq!(got, want);
    assert!(out.ends_with("Found 40 issues (40 fixable)\n"), "{out}");

    dslim()
        .current_dir(d)
        .args(["fix", "--write"])
        .assert()
        .code(0)
        .stderr(contains("Fixed 40 issues in 40 files."));
    for name in &want {
        assert_eq!(read(&d.join(name)), MERGED, "{name}");
    }
    dslim()
        .current_dir(d)
        .args(["debug", "roundtrip", "."])
        .assert()
        .code(0)
        .stdout("roundtrip: 40 of 40 files identical\n");
}

// ------------------------------------------------------------------ colour

#[test]
fn colour_forced_and_no_color() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", MERGEABLE);
    // Not a terminal: plain.
    let a = dslim().current_dir(dir.path()).arg("fix").assert().code(0);
    assert!(!stdout_of(&a).contains('\x1b'));
    // Forced on.
    let a = dslim()
        .current_dir(dir.path())
        .env("CLICOLOR_FORCE", "1")
        .arg("fix")
        .assert()
        .code(0);
    let out = stdout_of(&a);
    assert!(out.contains('\x1b'), "{out:?}");
    assert_eq!(anstream::adapter::strip_str(&out).to_string(), DIFF);
    // NO_COLOR beats CLICOLOR_FORCE.
    for cmd in [&["fix"][..], &["check"][..]] {
        let a = dslim()
            .current_dir(dir.path())
            .env("CLICOLOR_FORCE", "1")
            .env("NO_COLOR", "1")
            .args(cmd)
            .assert();
        assert!(!stdout_of(&a).contains('\x1b'));
        assert!(!stderr_of(&a).contains('\x1b'));
    }
}

/// Off a terminal, escape sequences a Dockerfile holds are stripped from
/// the diff as the styles are (the plain-text path writes the rest as is,
/// non-ASCII text included).
#[test]
fn escapes_in_the_file_are_stripped_off_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "Dockerfile",
        "FROM alpine:3.19\n# \x1b[31mred\x1b[0m é\nRUN echo a\nRUN echo b\n",
    );
    let a = dslim().current_dir(dir.path()).arg("fix").assert().code(0);
    let out = stdout_of(&a);
    assert!(!out.contains('\x1b'), "{out:?}");
    assert!(out.contains(" # red é\n"), "{out:?}");
    assert!(out.contains("+RUN echo a \\\n"), "{out:?}");
    // Plain text comes out whole.
    write(dir.path(), "Dockerfile", MERGEABLE);
    let a = dslim().current_dir(dir.path()).arg("fix").assert().code(0);
    assert_eq!(stdout_of(&a), DIFF);
}

/// A Node project whose Dockerfile sits in `docker/` (built with
/// `docker build -f docker/Dockerfile .`).
fn node_project(dir: &Path) -> PathBuf {
    write(dir, "package.json", r#"{"name":"app"}"#);
    write(dir, "package-lock.json", "{}");
    write(
        dir,
        "docker/Dockerfile",
        "FROM node:20\nWORKDIR /app\nCOPY . .\nCMD [\"node\", \"server.js\"]\n",
    )
}

#[test]
fn dockerignore_needs_context_and_shows_new_file_diff() {
    let dir = tempfile::tempdir().unwrap();
    let df = node_project(dir.path());
    // Without --context only the Dockerfile's folder is read: no proposal.
    dslim()
        .current_dir(dir.path())
        .args(["fix", "--select", "DS203", "docker/Dockerfile"])
        .assert()
        .success()
        .stdout("");
    let a = dslim()
        .current_dir(dir.path())
        .args([
            "fix",
            "--select",
            "DS203",
            "--context",
            ".",
            "docker/Dockerfile",
        ])
        .assert()
        .success();
    assert_eq!(
        stdout_of(&a),
        "--- /dev/null\n+++ b/.dockerignore\n@@ -0,0 +1,3 @@\n+node_modules\n+npm-debug.log*\n+.npm\n"
    );
    assert!(stderr_of(&a).contains("Would fix 1 issue in 1 file"));
    assert!(stderr_of(&a).contains("1 more fixable with `--unsafe`"));
    assert!(!dir.path().join(".dockerignore").exists());
    assert!(read(&df).starts_with("FROM node:20\n"));
    // --check counts it.
    dslim()
        .current_dir(dir.path())
        .args(["fix", "--check", "--select", "DS203", "--context", "."])
        .arg(&df)
        .assert()
        .code(1);
    // check reports both findings; the safe one is fixable.
    let a = dslim()
        .current_dir(dir.path())
        .args([
            "check",
            "--format",
            "concise",
            "--select",
            "DS203",
            "--context",
            ".",
            "docker/Dockerfile",
        ])
        .assert()
        .code(1);
    let out = stdout_of(&a);
    assert!(
        out.contains("docker/Dockerfile:3:1: DS203 [*] no `.dockerignore`"),
        "{out}"
    );
    assert!(
        out.contains("Found 2 issues (1 fixable, 1 with --unsafe)"),
        "{out}"
    );
}

#[cfg(unix)]
#[test]
fn dockerignore_write_creates_0644_then_appends() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let df = node_project(dir.path());
    let before = read(&df);
    dslim()
        .current_dir(dir.path())
        .args(["fix", "--write", "--select", "DS203", "--context", "."])
        .arg(&df)
        .assert()
        .success()
        .stderr(contains("Fixed 1 issue in 1 file"));
    let ignore = dir.path().join(".dockerignore");
    assert_eq!(read(&ignore), "node_modules\nnpm-debug.log*\n.npm\n");
    let mode = fs::metadata(&ignore).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o644);
    assert_eq!(read(&df), before, "the Dockerfile is not touched");
    // The unsafe entries go into the existing file.
    let a = dslim()
        .current_dir(dir.path())
        .args(["fix", "--unsafe", "--select", "DS203", "--context", "."])
        .arg(&df)
        .assert()
        .success();
    assert!(stdout_of(&a).starts_with("--- a/.dockerignore\n+++ b/.dockerignore\n"));
    dslim()
        .current_dir(dir.path())
        .args([
            "fix",
            "--unsafe",
            "--write",
            "--select",
            "DS203",
            "--context",
            ".",
        ])
        .arg(&df)
        .assert()
        .success();
    assert_eq!(
        read(&ignore),
        "node_modules\nnpm-debug.log*\n.npm\n.git\n*.log\nDockerfile*\n.env*\n"
    );
    dslim()
        .current_dir(dir.path())
        .args(["check", "--unsafe", "--select", "DS203", "--context", "."])
        .arg(&df)
        .assert()
        .success();
}

#[test]
fn context_from_config_is_relative_to_it() {
    let dir = tempfile::tempdir().unwrap();
    node_project(dir.path());
    write(dir.path(), "dslim.toml", "context = \".\"\n");
    fs::create_dir(dir.path().join(".git")).unwrap();
    let a = dslim()
        .current_dir(dir.path().join("docker"))
        .args(["fix", "--select", "DS203", "Dockerfile"])
        .assert()
        .success();
    assert!(
        stdout_of(&a).contains("+node_modules\n"),
        "{}",
        stdout_of(&a)
    );
}

/// DS201 on an Alpine builder says the split was not built (no Alpine
/// mirror for dslim's real builds); a Debian builder's split does not.
#[test]
fn alpine_split_says_it_was_not_built() {
    let check = |text: &str| {
        let a = dslim()
            .args([
                "check", "--unsafe", "--select", "DS201", "--format", "concise", "-",
            ])
            .write_stdin(text)
            .assert();
        stdout_of(&a)
    };
    let alpine = check(
        "FROM golang:1.21-alpine3.18\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD [\"/app\"]\n",
    );
    assert!(alpine.contains("run on `alpine:3.18`"), "{alpine}");
    assert!(alpine.contains("not built here"), "{alpine}");
    let debian = check(
        "FROM golang:1.21-bookworm\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD [\"/app\"]\n",
    );
    assert!(debian.contains("run on `debian:bookworm-slim`"), "{debian}");
    assert!(!debian.contains("not built here"), "{debian}");
}
