//! The flags ruff users expect (`--quiet`, `--exit-zero`, `--statistics`,
//! `--color`, `check --fix`), GitHub annotation levels, and one definition
//! of "fixable" shared by `check` and `fix` summaries (issue 13, items 6
//! and 12).

use std::fs;
use std::path::{Path, PathBuf};

mod common;
use common::{dslim, read, stderr_of, stdout_of, write};

const MERGEABLE: &str = "FROM debian:bookworm-slim\nRUN make build\nRUN make install\n";
const MERGED: &str = "FROM debian:bookworm-slim\nRUN make build \\\n    && make install\n";
/// DS001 (safe) twice and DS003 `--no-install-recommends` (unsafe).
const MIXED: &str = "FROM debian:bookworm-slim\nRUN make build\nRUN make install\n\
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n";

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[test]
fn quiet_drops_the_summary_but_not_the_findings() {
    let d = tmp();
    write(d.path(), "Dockerfile", MERGEABLE);
    let a = dslim()
        .current_dir(d.path())
        .args(["check", "-q"])
        .assert()
        .code(1);
    let out = stdout_of(&a);
    assert!(out.contains("DS001"), "{out}");
    assert!(!out.contains("Found "), "{out}");
    let a = dslim()
        .current_dir(d.path())
        .args(["fix", "--quiet"])
        .assert()
        .success();
    assert!(stdout_of(&a).contains("+RUN make build \\"));
    assert!(!stderr_of(&a).contains("Would fix"), "{}", stderr_of(&a));
    let a = dslim()
        .current_dir(d.path())
        .args(["fmt", "-q"])
        .assert()
        .success();
    assert_eq!(stderr_of(&a), "");
    // Without -q the summaries are there (so the test above can fail).
    let a = dslim()
        .current_dir(d.path())
        .args(["fix"])
        .assert()
        .success();
    assert!(stderr_of(&a).contains("Would fix 1 issue in 1 file"));
}

#[test]
fn exit_zero_keeps_findings_but_not_errors_quiet() {
    let d = tmp();
    write(d.path(), "Dockerfile", MERGEABLE);
    let a = dslim()
        .current_dir(d.path())
        .args(["check", "--exit-zero"])
        .assert()
        .success();
    assert!(stdout_of(&a).contains("DS001"));
    write(d.path(), "bad.Dockerfile", "FROM debian\nRUN <<EOF\n");
    dslim()
        .current_dir(d.path())
        .args(["check", "--exit-zero", "."])
        .assert()
        .code(2);
}

#[test]
fn statistics_count_per_rule() {
    let d = tmp();
    write(d.path(), "a/Dockerfile", MERGEABLE);
    write(d.path(), "b/Dockerfile", MERGEABLE);
    let a = dslim()
        .current_dir(d.path())
        .args(["check", "--statistics", "--select", "DS001"])
        .assert()
        .code(1);
    assert_eq!(stdout_of(&a), "2\tDS001\t[*] merge-runs\n");
    let a = dslim()
        .current_dir(d.path())
        .args([
            "check",
            "--statistics",
            "--format",
            "json",
            "--select",
            "DS001",
        ])
        .assert()
        .code(1);
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&a)).unwrap();
    assert_eq!(v[0]["code"], "DS001");
    assert_eq!(v[0]["count"], 2);
    assert_eq!(v[0]["fixable"], 2);
    assert_eq!(v.as_array().unwrap().len(), 1);
}

#[test]
fn statistics_sort_by_count_and_mark_partly_fixable() {
    let d = tmp();
    // One DS003 (unsafe: not fixable at the safe level) next to two DS001.
    write(d.path(), "a/Dockerfile", MIXED);
    write(d.path(), "b/Dockerfile", MERGEABLE);
    let a = dslim()
        .current_dir(d.path())
        .args(["check", "--statistics", "--select", "DS001,DS003"])
        .assert()
        .code(1);
    let out = stdout_of(&a);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "2\tDS001\t[*] merge-runs", "{out}");
    assert!(lines[1].starts_with("1\tDS003\t[ ] "), "{out}");
    let a = dslim()
        .current_dir(d.path())
        .args(["check", "--statistics", "--unsafe", "--select", "DS003"])
        .assert()
        .code(1);
    assert!(stdout_of(&a).starts_with("1\tDS003\t[*] "));
}

#[test]
fn color_flag_overrides_the_terminal_test() {
    let d = tmp();
    write(d.path(), "Dockerfile", MERGEABLE);
    // Not a terminal: no colour by default, colour with --color always.
    let plain = dslim()
        .current_dir(d.path())
        .args(["check"])
        .assert()
        .code(1);
    assert!(!stdout_of(&plain).contains('\x1b'));
    let always = dslim()
        .current_dir(d.path())
        .args(["--color", "always", "check"])
        .assert()
        .code(1);
    assert!(stdout_of(&always).contains("\x1b["));
    // `never` beats CLICOLOR_FORCE; the flag also goes after the command.
    let never = dslim()
        .current_dir(d.path())
        .env("CLICOLOR_FORCE", "1")
        .args(["check", "--color", "never"])
        .assert()
        .code(1);
    assert!(!stdout_of(&never).contains('\x1b'));
    let forced = dslim()
        .current_dir(d.path())
        .env("CLICOLOR_FORCE", "1")
        .args(["check"])
        .assert()
        .code(1);
    assert!(stdout_of(&forced).contains("\x1b["));
}

#[test]
fn check_fix_writes_then_reports_what_is_left() {
    let d = tmp();
    let p = write(d.path(), "Dockerfile", MIXED);
    let a = dslim()
        .current_dir(d.path())
        .args(["check", "--fix", "--select", "DS001,DS003"])
        .assert()
        .code(1);
    // DS001 applied, DS003 (unsafe) left and reported.
    let now = read(&p);
    assert!(
        now.contains("RUN make build \\\n    && make install"),
        "{now}"
    );
    let out = stdout_of(&a);
    assert!(out.contains("DS003") && !out.contains("DS001"), "{out}");
    assert!(stderr_of(&a).contains("Fixed 1 issue in 1 file"));
    // With --unsafe everything goes and the check passes.
    let a = dslim()
        .current_dir(d.path())
        .args(["check", "--fix", "--unsafe", "--select", "DS001,DS003"])
        .assert()
        .success();
    assert!(stdout_of(&a).contains("All checks passed!"));
    assert!(read(&p).contains("--no-install-recommends"));
}

#[test]
fn check_fix_on_stdin_is_fix_dash() {
    let a = dslim()
        .args(["check", "--fix", "-"])
        .write_stdin(MERGEABLE)
        .assert()
        .success();
    assert_eq!(stdout_of(&a), MERGED);
}

#[test]
fn a_folder_without_dockerfiles_is_not_a_pass() {
    let d = tmp();
    write(d.path(), "README.md", "hi\n");
    let a = dslim()
        .current_dir(d.path())
        .args(["check"])
        .assert()
        .success();
    assert!(
        !stdout_of(&a).contains("All checks passed"),
        "{}",
        stdout_of(&a)
    );
    assert!(stderr_of(&a).contains("warning: no Dockerfile found"));
}

#[test]
fn github_levels_follow_the_fix() {
    let d = tmp();
    // DS001: a fix (warning); DS201 on an unsplittable Go build: advice (notice).
    write(
        d.path(),
        "Dockerfile",
        "FROM golang:1.22\nRUN go build ./...\nRUN go vet ./...\n",
    );
    let a = dslim()
        .current_dir(d.path())
        .args(["check", "--format", "github", "--unsafe"])
        .assert()
        .code(1);
    let out = stdout_of(&a);
    assert!(
        out.lines()
            .any(|l| l.starts_with("::warning ") && l.contains("DS001")),
        "{out}"
    );
    assert!(out.lines().all(|l| !l.starts_with("::error")), "{out}");
    assert!(out.lines().any(|l| l.starts_with("::notice ")), "{out}");
}

// ------------------------------------------------- one definition of fixable

/// `(fixable, with --unsafe)` from `check`'s summary line.
fn check_counts(out: &str) -> (usize, usize) {
    let line = out.lines().last().unwrap_or("");
    let num = |key: &str| {
        line.split(['(', ',', ')'])
            .map(str::trim)
            .find_map(|p| {
                p.strip_suffix(key)
                    .map(|n| n.trim().parse::<usize>().unwrap())
            })
            .unwrap_or(0)
    };
    (num("fixable"), num("with --unsafe"))
}

/// `(fixes, more with --unsafe)` from `fix`'s summary on stderr.
fn fix_counts(err: &str) -> (usize, usize) {
    let line = err.lines().last().unwrap_or("");
    let n = line
        .strip_prefix("Would fix ")
        .and_then(|r| r.split(' ').next())
        .map(|n| n.parse().unwrap())
        .unwrap_or(0);
    let more = line
        .split(". ")
        .find_map(|p| p.strip_suffix(" more fixable with `--unsafe`."))
        .map(|n| n.trim().parse().unwrap())
        .unwrap_or(0);
    (n, more)
}

fn golden_inputs() -> Vec<PathBuf> {
    let mut v = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    for dir in fs::read_dir(&root).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() || dir.ends_with("fmt") {
            continue;
        }
        for f in fs::read_dir(&dir).unwrap() {
            let f = f.unwrap().path();
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with(".Dockerfile") && !name.ends_with(".expected.Dockerfile") {
                v.push(f);
            }
        }
    }
    v.sort();
    v
}

/// On every golden input: `check`'s "N fixable" is what `fix` applies, its
/// "M with --unsafe" is `fix`'s "M more fixable with --unsafe", and
/// `fix --unsafe` applies N + M.
#[test]
fn check_and_fix_summaries_agree_on_every_golden_input() {
    let inputs = golden_inputs();
    assert!(inputs.len() > 100, "{} inputs", inputs.len());
    let mut checked = 0;
    for f in &inputs {
        let c = dslim().arg("check").arg(f).output().unwrap();
        if c.status.code() == Some(2) {
            continue; // a parse-error case
        }
        let (fixable, with_unsafe) = check_counts(&String::from_utf8_lossy(&c.stdout));
        let x = dslim().arg("fix").arg(f).output().unwrap();
        let (n, more) = fix_counts(&String::from_utf8_lossy(&x.stderr));
        let u = dslim().args(["fix", "--unsafe"]).arg(f).output().unwrap();
        let (all, _) = fix_counts(&String::from_utf8_lossy(&u.stderr));
        let shown = f.display();
        assert_eq!(fixable, n, "{shown}: check fixable vs fix");
        assert_eq!(with_unsafe, more, "{shown}: check --unsafe count vs fix's");
        assert_eq!(fixable + with_unsafe, all, "{shown}: vs fix --unsafe");
        checked += usize::from(fixable + with_unsafe > 0);
    }
    assert!(checked > 50, "only {checked} inputs had fixes");
}

/// A DS201 split whose runtime DS103 then moves onto distroless: `check`
/// shows one finding but `fix --unsafe` applies two fixes. The summary
/// keeps `fix`'s count and names the follow-on fix, so "1 issue (2
/// fixable)" no longer reads as a miscount.
#[test]
fn check_summary_names_follow_on_fixes() {
    let d = tmp();
    let df = write(
        d.path(),
        "Dockerfile",
        "FROM golang:1.21\nWORKDIR /app\nCOPY . .\nRUN go build -o /app/server .\n\
         CMD [\"/app/server\"]\n",
    );
    let u = dslim()
        .args(["check", "--unsafe"])
        .arg(&df)
        .assert()
        .code(1);
    let out = stdout_of(&u);
    let findings = out
        .lines()
        .filter(|l| l.contains("Dockerfile:") && l.contains(": DS"));
    assert_eq!(findings.count(), 1, "{out}");
    assert!(
        out.ends_with("Found 1 issue (2 fixable, 1 of them a follow-on fix: DS103)\n"),
        "{out}"
    );
    let s = dslim().arg("check").arg(&df).assert().code(1);
    let out = stdout_of(&s);
    assert!(
        out.ends_with("Found 1 issue (2 with --unsafe, 1 of them a follow-on fix: DS103)\n"),
        "{out}"
    );
    assert_eq!(check_counts(&out), (0, 2));
    let f = dslim()
        .args(["fix", "--unsafe"])
        .arg(&df)
        .assert()
        .success();
    assert_eq!(fix_counts(&stderr_of(&f)), (2, 0));
}

#[test]
fn summary_names_other_files_it_writes() {
    let d = tmp();
    write(
        d.path(),
        "Dockerfile",
        "FROM debian:bookworm-slim\nCOPY . /app\nRUN make -C /app\nRUN make -C /app install\n",
    );
    write(d.path(), "Makefile", "all:\n\ttrue\n");
    fs::create_dir_all(d.path().join(".git")).unwrap();
    let a = dslim()
        .current_dir(d.path())
        .args([
            "fix",
            "--unsafe",
            "--select",
            "DS001,DS203",
            "--context",
            ".",
        ])
        .assert()
        .success();
    let err = stderr_of(&a);
    assert!(
        stdout_of(&a).contains("+++ b/.dockerignore"),
        "{}",
        stdout_of(&a)
    );
    assert!(
        err.contains("Would fix 2 issues in 2 files (Dockerfile, ./.dockerignore)"),
        "{err}"
    );
    // Only the other file.
    let a = dslim()
        .current_dir(d.path())
        .args(["fix", "--unsafe", "--select", "DS203", "--context", "."])
        .assert()
        .success();
    let err = stderr_of(&a);
    assert!(
        err.contains("Would fix 1 issue in 1 file (./.dockerignore)"),
        "{err}"
    );
}

/// A file whose findings are advice only with `--select DS102,DS201`
/// (alpine is not applied for a pip install; the build cannot be split
/// without a WORKDIR), and one violation with DS101 (unsafe fix).
const ADVICE: &str = "FROM python:3.12\nCOPY app.py /srv/app.py\n\
RUN pip install --no-cache-dir flask\nCMD [\"python\", \"/srv/app.py\"]\n";

/// Advice (no fix, or a display-only one) is reported at `info` severity
/// and does not fail `check` unless `--fail-on-advice`; text, JSON, SARIF
/// and GitHub agree on which findings are advice and on the exit status.
#[test]
fn advice_does_not_fail_check_in_any_format() {
    let d = tmp();
    write(d.path(), "Dockerfile", ADVICE);
    let run = |sel: &str, format: &str, extra: &[&str]| {
        let o = dslim()
            .current_dir(d.path())
            .args(["check", "--select", sel, "--format", format])
            .args(extra)
            .arg("Dockerfile")
            .output()
            .unwrap();
        (o.status.code(), String::from_utf8(o.stdout).unwrap())
    };
    for format in ["text", "concise", "json", "sarif", "github"] {
        let (code, out) = run("DS102,DS201", format, &[]);
        assert_eq!(code, Some(0), "{format}: advice only exits 0\n{out}");
        let (code, _) = run("DS102,DS201", format, &["--fail-on-advice"]);
        assert_eq!(code, Some(1), "{format} --fail-on-advice");
        let (code, _) = run("DS101,DS102,DS201", format, &[]);
        assert_eq!(
            code,
            Some(1),
            "{format}: a violation next to advice exits 1"
        );
    }
    let (_, text) = run("DS102,DS201", "text", &[]);
    assert!(
        text.ends_with("Found 2 issues (advice only, not failing)\n"),
        "{text}"
    );
    let (_, text) = run("DS101,DS102,DS201", "text", &[]);
    assert!(
        text.ends_with("Found 3 issues (1 with --unsafe, 2 advice, not failing)\n"),
        "{text}"
    );
    // The same three findings, the same split in every machine format.
    let (_, json) = run("DS101,DS102,DS201", "json", &[]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let sev: Vec<(String, String)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want = |a: &str, b: &str, c: &str| {
        vec![
            ("DS201".to_string(), a.to_string()),
            ("DS101".to_string(), b.to_string()),
            ("DS102".to_string(), c.to_string()),
        ]
    };
    assert_eq!(sev, want("info", "warning", "info"));
    let (_, sarif) = run("DS101,DS102,DS201", "sarif", &[]);
    let v: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let levels: Vec<(String, String)> = v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap().to_string(),
                r["level"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(levels, want("note", "warning", "note"));
    let (_, gh) = run("DS101,DS102,DS201", "github", &[]);
    let levels: Vec<(String, String)> = gh
        .lines()
        .map(|l| {
            let (level, rest) = l.trim_start_matches("::").split_once(' ').unwrap();
            let code = rest.split("title=").nth(1).unwrap()[..5].to_string();
            (code, level.to_string())
        })
        .collect();
    assert_eq!(levels, want("notice", "warning", "notice"));
}
