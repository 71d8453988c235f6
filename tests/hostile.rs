//! Hostile and extreme input (issue 11): dslim never aborts, never writes
//! outside the project, never destroys an input, keeps what a file had.

use std::fs;
use std::path::Path;

mod common;
use common::{dslim, read, stderr_of, stdout_of, write};

const MERGEABLE: &str = "FROM debian:bookworm-slim\nRUN make build\nRUN make install\n";

/// A Dockerfile with something to fix (DS001) and a RUN that nests `n`
/// subshells.
fn deep(n: usize) -> String {
    format!("{MERGEABLE}RUN {}true{}\n", "( ".repeat(n), " )".repeat(n))
}

#[test]
fn deep_shell_nesting_never_aborts_a_run() {
    // 400 levels overflowed brush-parser on worker threads (9+ files);
    // 3000 levels overflowed the main thread.
    let dir = tempfile::tempdir().unwrap();
    for i in 0..10 {
        write(dir.path(), &format!("d{i}/Dockerfile"), deep(400));
    }
    write(dir.path(), "big/Dockerfile", deep(3000));
    let subst = format!(
        "{MERGEABLE}RUN echo {}x{}\n",
        "$(echo ".repeat(3000),
        ")".repeat(3000)
    );
    write(dir.path(), "subst/Dockerfile", subst);
    let a = dslim()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "."])
        .assert();
    let out = stdout_of(&a);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    let paths: std::collections::BTreeSet<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths.len(), 12, "{paths:?}");
    assert_ne!(a.get_output().status.code(), Some(134));
    // `fix` leaves the deep RUN alone and still fixes the rest.
    let f = dir.path().join("big/Dockerfile");
    dslim().arg("fix").arg("--write").arg(&f).assert().code(0);
    let deep_run = &deep(3000)[MERGEABLE.len()..];
    assert!(
        read(&f).starts_with("FROM debian:bookworm-slim\nRUN make build \\\n    && make install\n")
    );
    assert!(read(&f).ends_with(deep_run));
}

#[test]
fn fuzz_seeds_fix_without_aborting() {
    // The deep-nesting seeds of the fuzz targets, through the real binary.
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/fix");
    let mut n = 0;
    for e in fs::read_dir(&seeds).unwrap() {
        let p = e.unwrap().path();
        let a = dslim().args(["fix", "--unsafe"]).arg(&p).assert();
        let code = a.get_output().status.code();
        assert!(
            matches!(code, Some(0 | 1)),
            "{}: {code:?} {}",
            p.display(),
            stderr_of(&a)
        );
        n += 1;
    }
    assert!(n >= 5);
}
