//! End-to-end tests of `dslim fmt`: options, exit codes, stdin, errors,
//! and the boundary with `dslim fix` (which never formats, and never undoes
//! formatting).

use std::fs;

use predicates::str::contains;
use predicates::Predicate;

mod common;
use common::{dslim, read, write};

const UGLY: &str = "from debian\nrun make build && \\\n\tmake install   \n";
const PRETTY: &str = "FROM debian\nRUN make build \\\n    && make install\n";
/// BuildKit rejects an unterminated heredoc, and so does dslim.
const BROKEN: &str = "FROM debian\nRUN <<EOF\necho hi\n";

const DIFF: &str = "\
--- a/Dockerfile
+++ b/Dockerfile
@@ -1,3 +1,3 @@
-from debian
-run make build && \\
-\tmake install   
+FROM debian
+RUN make build \\
+    && make install
";

fn out(a: &assert_cmd::assert::Assert) -> (String, String) {
    let o = a.get_output();
    (
        String::from_utf8(o.stdout.clone()).unwrap(),
        String::from_utf8(o.stderr.clone()).unwrap(),
    )
}

#[test]
fn help_lists_fmt() {
    dslim()
        .arg("--help")
        .assert()
        .success()
        .stdout(contains("fmt"));
    dslim()
        .args(["fmt", "--help"])
        .assert()
        .success()
        .stdout(contains("--check"))
        .stdout(contains("--write"))
        .stdout(contains("--stdin-filename"));
}

#[test]
fn diff_by_default_file_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "Dockerfile", UGLY);
    let a = dslim()
        .current_dir(dir.path())
        .args(["fmt", "Dockerfile"])
        .assert()
        .code(0);
    let (stdout, stderr) = out(&a);
    assert_eq!(stdout, DIFF);
    assert!(stderr.contains("Would reformat 1 file"), "{stderr}");
    assert_eq!(read(&p), UGLY);
}

#[test]
fn check_exit_1_only_when_something_would_change() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "Dockerfile", UGLY);
    dslim()
        .current_dir(dir.path())
        .args(["fmt", "--check", "Dockerfile"])
        .assert()
        .code(1)
        .stdout(contains("+FROM debian"));
    assert_eq!(read(&p), UGLY);
    fs::write(&p, PRETTY).unwrap();
    dslim()
        .current_dir(dir.path())
        .args(["fmt", "--check", "Dockerfile"])
        .assert()
        .code(0)
        .stdout("")
        .stderr(contains("1 file already formatted"));
}

#[test]
fn write_rewrites_atomically_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "Dockerfile", UGLY);
    dslim()
        .current_dir(dir.path())
        .args(["fmt", "--write", "Dockerfile"])
        .assert()
        .code(0)
        .stdout("")
        .stderr(contains("Reformatted 1 file"));
    assert_eq!(read(&p), PRETTY);
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".dslim-")
        })
        .collect();
    assert!(leftovers.is_empty());
    // Again: nothing to do.
    dslim()
        .current_dir(dir.path())
        .args(["fmt", "--write", "--check", "Dockerfile"])
        .assert()
        .code(0);
    assert_eq!(read(&p), PRETTY);
}

#[test]
fn write_with_check_writes_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "Dockerfile", UGLY);
    dslim()
        .current_dir(dir.path())
        .args(["fmt", "--write", "--check", "Dockerfile"])
        .assert()
        .code(1);
    assert_eq!(read(&p), PRETTY);
}

#[test]
fn stdin_to_stdout() {
    dslim()
        .args(["fmt", "-"])
        .write_stdin(UGLY)
        .assert()
        .code(0)
        .stdout(PRETTY)
        .stderr("");
    // Already formatted: the same bytes back.
    dslim()
        .args(["fmt", "-"])
        .write_stdin(PRETTY)
        .assert()
        .code(0)
        .stdout(PRETTY);
    dslim()
        .args(["fmt", "--check", "-"])
        .write_stdin(UGLY)
        .assert()
        .code(1)
        .stdout(PRETTY);
    // --stdin-filename alone reads stdin too.
    dslim()
        .args(["fmt", "--stdin-filename", "x.Dockerfile"])
        .write_stdin(UGLY)
        .assert()
        .code(0)
        .stdout(PRETTY);
}

#[test]
fn stdin_error_prints_input_unchanged_and_exits_2() {
    dslim()
        .args(["fmt", "--stdin-filename", "app/Dockerfile", "-"])
        .write_stdin(BROKEN)
        .assert()
        .code(2)
        .stdout(BROKEN)
        .stderr(predicates::str::is_match(r"^app/Dockerfile:2:1: error: ").unwrap());
    dslim()
        .args(["fmt", "-"])
        .write_stdin(&b"FROM a\nRUN echo \xff\n"[..])
        .assert()
        .code(2)
        .stdout(&b"FROM a\nRUN echo \xff\n"[..])
        .stderr(contains(
            "-:2:10: error: not valid UTF-8 (byte 0xFF at offset 16)",
        ));
}

/// An editor pipes its buffer through `fmt -`/`fix -`: whatever goes
/// wrong, stdout is the buffer unchanged and the message is on stderr only.
#[test]
fn stdin_filters_give_the_input_back_on_every_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "dslim.toml", "selct = [\"DS001\"]\n");
    let input = "FROM debian\nRUN apt-get update\nRUN make\n";
    for args in [
        &["fmt", "-"][..],
        &["fix", "-"],
        &["fix", "--stdin-filename", "Dockerfile"],
        &["fmt", "--check", "-"],
    ] {
        dslim()
            .current_dir(dir.path())
            .args(args)
            .write_stdin(input)
            .assert()
            .code(2)
            .stdout(input)
            .stderr(contains("dslim.toml:1:1: error: unknown key `selct`"));
    }
    // Without the broken configuration: bad flag values, bad arguments and
    // a parse error.
    fs::remove_file(dir.path().join("dslim.toml")).unwrap();
    for (args, message) in [
        (
            &["fix", "--select", "BOGUS", "-"][..],
            "unknown rule selector `BOGUS`",
        ),
        (
            &["fmt", "--no-such-flag", "-"],
            "unexpected argument '--no-such-flag'",
        ),
        (&["fix", "-", "other"], "cannot be combined"),
    ] {
        dslim()
            .current_dir(dir.path())
            .args(args)
            .write_stdin(input)
            .assert()
            .code(2)
            .stdout(input)
            .stderr(contains(message));
    }
    dslim()
        .current_dir(dir.path())
        .args(["fix", "-"])
        .write_stdin(BROKEN)
        .assert()
        .code(2)
        .stdout(BROKEN)
        .stderr(predicates::str::is_match(r"^-:2:1: error: ").unwrap());
    // The same configuration error outside a filter prints nothing on stdout.
    write(dir.path(), "dslim.toml", "selct = [\"DS001\"]\n");
    write(dir.path(), "Dockerfile", input);
    dslim()
        .current_dir(dir.path())
        .args(["fix", "Dockerfile"])
        .assert()
        .code(2)
        .stdout("");
}

#[test]
fn bad_file_reported_others_still_processed() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(dir.path(), "bad/Dockerfile", BROKEN);
    let good = write(dir.path(), "good/Dockerfile", UGLY);
    let a = dslim()
        .current_dir(dir.path())
        .args(["fmt", "--write", "bad", "good", "missing"])
        .assert()
        .code(2);
    let (_, stderr) = out(&a);
    assert!(
        predicates::str::is_match(r"(?m)^bad/Dockerfile:\d+:\d+: error: ")
            .unwrap()
            .eval(&stderr),
        "{stderr}"
    );
    assert!(stderr.contains("missing"), "{stderr}");
    assert_eq!(read(&bad), BROKEN);
    assert_eq!(read(&good), PRETTY);
}

#[test]
fn stdin_cannot_be_mixed_with_paths() {
    dslim()
        .args(["fmt", "-", "Dockerfile"])
        .write_stdin(UGLY)
        .assert()
        .code(2)
        .stderr(contains("error:"));
}

#[test]
fn crlf_and_final_newline() {
    dslim()
        .args(["fmt", "-"])
        .write_stdin("from a\r\nRUN a && \\\r\n  b && c")
        .assert()
        .code(0)
        .stdout("FROM a\r\nRUN a \\\r\n    && b \\\r\n    && c\r\n");
}

#[test]
fn fix_never_formats() {
    // Nothing for a transform to do: fix leaves the layout alone.
    dslim()
        .args(["fix", "-"])
        .write_stdin(UGLY)
        .assert()
        .code(0)
        .stdout(UGLY);
}

#[test]
fn fix_never_undoes_formatting() {
    // Formatted text without anything to fix: fix keeps it byte for byte.
    dslim()
        .args(["fix", "-"])
        .write_stdin(PRETTY)
        .assert()
        .code(0)
        .stdout(PRETTY);
    // With something to fix: the fixed text is still formatted.
    let formatted = "FROM debian\nRUN apt-get update \\\n    && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*\n";
    let a = dslim()
        .args(["fix", "-"])
        .write_stdin(formatted)
        .assert()
        .code(0);
    let (fixed, _) = out(&a);
    assert_ne!(fixed, formatted);
    dslim()
        .args(["fmt", "--check", "-"])
        .write_stdin(fixed.clone())
        .assert()
        .code(0)
        .stdout(fixed);
}

#[test]
fn format_options_come_from_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join(".git")).unwrap();
    write(
        dir.path(),
        "dslim.toml",
        "[format]\nindent = 2\noperator-position = \"line-end\"\n",
    );
    let p = write(dir.path(), "Dockerfile", UGLY);
    // Files: the nearest configuration's [format] applies.
    dslim()
        .current_dir(dir.path())
        .args(["fmt", "--write", "Dockerfile"])
        .assert()
        .code(0);
    assert_eq!(
        read(&p),
        "FROM debian\nRUN make build && \\\n  make install\n"
    );
    // Stdin: the configuration of the current directory.
    dslim()
        .current_dir(dir.path())
        .args(["fmt", "-"])
        .write_stdin(UGLY)
        .assert()
        .code(0)
        .stdout("FROM debian\nRUN make build && \\\n  make install\n");
    // --no-config: the defaults.
    dslim()
        .current_dir(dir.path())
        .args(["fmt", "--no-config", "-"])
        .write_stdin(UGLY)
        .assert()
        .code(0)
        .stdout(PRETTY);
    // A broken configuration is an error, not silently ignored.
    write(dir.path(), "dslim.toml", "[format]\nindnt = 2\n");
    dslim()
        .current_dir(dir.path())
        .args(["fmt", "-"])
        .write_stdin(UGLY)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("dslim.toml:2:1: error:"));
}
