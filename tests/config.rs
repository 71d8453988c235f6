//! Configuration files, the `DSLIM_*` environment, their precedence, and
//! inline suppressions, end to end.

use std::fs;
use std::path::Path;

use predicates::str::contains;

mod common;
use common::{dslim, read, stderr_of, stdout_of, write};

const MERGEABLE: &str = "FROM debian:bookworm-slim\nRUN ./setup.sh\nRUN ./install.sh\n";
const MERGED: &str = "FROM debian:bookworm-slim\nRUN ./setup.sh \\\n    && ./install.sh\n";

/// A repository root (discovery stops at its `.git`).
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join(".git")).unwrap();
    dir
}

/// `check --format concise` lines naming a finding, as `path:line`.
fn findings(dir: &Path, args: &[&str]) -> Vec<String> {
    let a = dslim()
        .current_dir(dir)
        .args(["check", "--format", "concise"])
        .args(args)
        .assert();
    stdout_of(&a)
        .lines()
        .filter(|l| l.contains(": DS"))
        .map(|l| l.split(':').take(2).collect::<Vec<_>>().join(":"))
        .collect()
}

// ------------------------------------------------------------------ discovery

#[test]
fn nearest_config_per_folder() {
    let dir = repo();
    let d = dir.path();
    write(d, "dslim.toml", "ignore = [\"DS001\"]\n");
    write(d, "Dockerfile", MERGEABLE);
    write(d, "a/Dockerfile", MERGEABLE);
    // A nested config replaces the outer one for its folder and below.
    write(d, "b/.dslim.toml", "select = [\"ALL\"]\n");
    write(d, "b/Dockerfile", MERGEABLE);
    write(d, "b/c/Dockerfile", MERGEABLE);
    assert_eq!(findings(d, &[]), ["b/Dockerfile:2", "b/c/Dockerfile:2"]);
    // A named file is governed by its own folder's config, not the cwd's.
    assert_eq!(
        findings(&d.join("a"), &["../b/Dockerfile"]),
        ["../b/Dockerfile:2"]
    );
    assert!(findings(&d.join("b"), &["../Dockerfile"]).is_empty());
}

#[test]
fn discovery_stops_at_repository_root() {
    let outer = tempfile::tempdir().unwrap();
    write(outer.path(), "dslim.toml", "ignore = [\"DS001\"]\n");
    fs::create_dir_all(outer.path().join("repo/.git")).unwrap();
    write(outer.path(), "repo/Dockerfile", MERGEABLE);
    assert_eq!(findings(&outer.path().join("repo"), &[]), ["Dockerfile:2"]);
    // Outside the repository the outer file applies.
    write(outer.path(), "other/Dockerfile", MERGEABLE);
    assert!(findings(&outer.path().join("other"), &[]).is_empty());
}

#[test]
fn config_flag_and_no_config() {
    let dir = repo();
    let d = dir.path();
    write(d, "dslim.toml", "ignore = [\"DS001\"]\n");
    write(d, "strict.toml", "select = [\"DS001\"]\n");
    write(d, "Dockerfile", MERGEABLE);
    assert!(findings(d, &[]).is_empty());
    assert_eq!(findings(d, &["--config", "strict.toml"]), ["Dockerfile:2"]);
    assert_eq!(findings(d, &["--no-config"]), ["Dockerfile:2"]);
    // fix honours configuration too.
    dslim()
        .current_dir(d)
        .args(["fix", "--stdin-filename", "Dockerfile", "-"])
        .write_stdin(MERGEABLE)
        .assert()
        .code(0)
        .stdout(MERGEABLE);
    dslim()
        .current_dir(d)
        .args(["fix", "--no-config", "-"])
        .write_stdin(MERGEABLE)
        .assert()
        .code(0)
        .stdout(MERGED);
    // Both at once is a usage error; a missing --config file is exit 2.
    dslim()
        .current_dir(d)
        .args(["check", "--config", "strict.toml", "--no-config"])
        .assert()
        .code(2);
    dslim()
        .current_dir(d)
        .args(["check", "--config", "nope.toml"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("nope.toml: error: "));
}

// ------------------------------------------------------------------ precedence

#[test]
fn cli_over_env_over_file() {
    let dir = repo();
    let d = dir.path();
    write(d, "dslim.toml", "ignore = [\"DS001\"]\n");
    write(d, "Dockerfile", MERGEABLE);
    let run = |env: &[(&str, &str)], args: &[&str]| {
        let mut c = dslim();
        c.current_dir(d)
            .args(["check", "--format", "concise"])
            .args(args);
        for (k, v) in env {
            c.env(k, v);
        }
        c.assert().get_output().status.code().unwrap()
    };
    // File: ignored.
    assert_eq!(run(&[], &[]), 0);
    // Env over file.
    assert_eq!(
        run(&[("DSLIM_IGNORE", "ALL,DS0")], &["--select", "DS001"]),
        0
    );
    assert_eq!(run(&[("DSLIM_IGNORE", "DL3059x")], &[]), 2);
    write(d, "dslim.toml", "ignore = [\"DS001\"]\n");
    // CLI over env over file.
    assert_eq!(run(&[("DSLIM_IGNORE", "ALL")], &["--ignore", ""]), 1);
    write(d, "dslim.toml", "select = [\"DS001\"]\n");
    assert_eq!(run(&[], &[]), 1);
    assert_eq!(
        run(&[("DSLIM_SELECT", "ALL"), ("DSLIM_IGNORE", "DS001")], &[]),
        0
    );
    assert_eq!(
        run(&[("DSLIM_IGNORE", "DS001")], &["--ignore", "DS002x"]),
        2,
        "a bad CLI selector is still an error"
    );
    // An empty variable counts as unset.
    assert_eq!(run(&[("DSLIM_SELECT", "")], &[]), 1);
}

#[test]
fn unsafe_cache_style_and_target_layers() {
    let dir = repo();
    let d = dir.path();
    write(d, "Dockerfile", MERGEABLE);
    for (file, env, args, ok) in [
        (
            "unsafe = true\ncache-style = \"mount\"\ntarget = \"classic\"\n",
            vec![],
            vec![],
            true,
        ),
        (
            "",
            vec![
                ("DSLIM_UNSAFE", "1"),
                ("DSLIM_CACHE_STYLE", "remove"),
                ("DSLIM_TARGET", "buildah"),
            ],
            vec![],
            true,
        ),
        (
            "",
            vec![],
            vec!["--unsafe", "--cache-style", "mount", "--target", "buildkit"],
            true,
        ),
        ("", vec![("DSLIM_UNSAFE", "perhaps")], vec![], false),
        ("", vec![("DSLIM_TARGET", "podman")], vec![], false),
        ("", vec![], vec!["--cache-style", "keep"], false),
        ("target = \"podman\"\n", vec![], vec![], false),
    ] {
        write(d, "dslim.toml", file);
        let mut c = dslim();
        c.current_dir(d).args(["fix", "--check"]).args(&args);
        for (k, v) in &env {
            c.env(k, v);
        }
        let code = c.assert().get_output().status.code().unwrap();
        assert_eq!(code == 1, ok, "{file:?} {env:?} {args:?}: exit {code}");
        if !ok {
            assert_eq!(code, 2);
        }
    }
    // DSLIM_UNSAFE=0 beats `unsafe = true` in the file: the summary says so.
    write(d, "dslim.toml", "unsafe = true\n");
    dslim()
        .current_dir(d)
        .env("DSLIM_UNSAFE", "false")
        .args(["check", "--format", "concise"])
        .assert()
        .code(1)
        .stdout(contains("Found 1 issue (1 fixable)"));
}

/// `[base-images.release-in-name.patterns]` adds an image family whose
/// release is in the name (DS205 leaves it alone) or turns one off.
#[test]
fn release_in_name_patterns_extend() {
    let dir = repo();
    let d = dir.path();
    write(
        d,
        "Dockerfile",
        "FROM registry.example.com/base/runtime-2024\nFROM gcr.io/distroless/static-debian11\n",
    );
    let select = ["--select", "DS205"];
    assert_eq!(findings(d, &select), ["Dockerfile:1"]);
    write(
        d,
        "dslim.toml",
        "[base-images.release-in-name.patterns]\nmycorp = \"registry.example.com/base/*-2024\"\ndistroless-debian11 = \"\"\n",
    );
    assert_eq!(findings(d, &select), ["Dockerfile:2"]);
}

/// DS103 writes whatever `[base-images.distroless]` names: a digest
/// pinned there lands in the Dockerfile, and DS205 has nothing to say.
#[test]
fn distroless_image_pinned_by_digest_in_config() {
    let dir = repo();
    let d = dir.path();
    let digest = format!("sha256:{}", "0".repeat(64));
    write(
        d,
        "dslim.toml",
        format!("[base-images.distroless]\ncc = \"gcr.io/distroless/cc-debian12@{digest}\"\n"),
    );
    write(
        d,
        "Dockerfile",
        "FROM rust:1.77 AS build\nRUN cargo build --release\nFROM debian:bookworm-slim\n\
         COPY --from=build /src/target/release/app /app\nENTRYPOINT [\"/app\"]\n",
    );
    dslim()
        .current_dir(d)
        .args(["fix", "--write", "--unsafe", "Dockerfile"])
        .assert()
        .success();
    let fixed = common::read(&d.join("Dockerfile"));
    assert!(
        fixed.contains(&format!("FROM gcr.io/distroless/cc-debian12@{digest}\n")),
        "{fixed}"
    );
    assert!(findings(d, &["--unsafe"]).is_empty());
}

#[test]
fn format_table_loads() {
    let dir = repo();
    let d = dir.path();
    write(d, "Dockerfile", MERGEABLE);
    write(
        d,
        "dslim.toml",
        "[format]\nindent = 2\noperator-position = \"line-end\"\n\n[package-managers.apt]\ncleanup = \"apt-get dist-clean\"\n\n[base-images.python]\nslim = \"python:3.12-slim\"\n",
    );
    dslim().current_dir(d).arg("check").assert().code(1);
    // A package-manager table that does not fit the built-in schema.
    write(
        d,
        "dslim.toml",
        "[package-managers.apt]\nclean = \"rm -rf /x\"\n",
    );
    dslim()
        .current_dir(d)
        .arg("check")
        .assert()
        .code(2)
        .stderr(contains("dslim.toml:1:1: error: invalid type"));
    write(
        d,
        "dslim.toml",
        "[format]\noperator-position = \"middle\"\n",
    );
    dslim()
        .current_dir(d)
        .arg("check")
        .assert()
        .code(2)
        .stderr(contains(
            "dslim.toml:2:21: error: bad value for `format.operator-position`: unknown variant `middle`",
        ));
}

#[test]
fn format_table_shapes_merged_runs() {
    let dir = repo();
    let d = dir.path();
    write(
        d,
        "Dockerfile",
        "FROM debian:bookworm\nRUN apt-get update\nRUN apt-get install -y curl\n",
    );
    write(
        d,
        "dslim.toml",
        "[format]\nindent = 2\noperator-position = \"line-end\"\n",
    );
    let a = dslim()
        .current_dir(d)
        .args(["fix", "--select", "merge-runs", "-"])
        .write_stdin(read(&d.join("Dockerfile")))
        .assert()
        .success();
    assert_eq!(
        stdout_of(&a),
        "FROM debian:bookworm\nRUN apt-get update && \\\n  apt-get install -y curl\n"
    );
}

#[test]
fn builders_table_loads() {
    let dir = repo();
    let d = dir.path();
    write(
        d,
        "Dockerfile",
        "FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl\n",
    );
    let base = "cache-style = \"mount\"\ntarget = \"buildah\"\n";
    write(d, "dslim.toml", base);
    let fixed = |d: &Path| {
        let a = dslim()
            .current_dir(d)
            .args(["fix", "--select", "apt-cleanup", "-"])
            .write_stdin(read(&d.join("Dockerfile")))
            .assert()
            .success();
        stdout_of(&a)
    };
    // Buildah: one lock, on the last mount.
    let out = fixed(d);
    assert!(
        out.contains("RUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt,sharing=locked "),
        "{out}"
    );
    write(
        d,
        "dslim.toml",
        format!("{base}\n[builders.buildah]\nlocked-last-only = false\n"),
    );
    let out = fixed(d);
    assert!(
        out.contains("RUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked "),
        "{out}"
    );
    write(
        d,
        "dslim.toml",
        format!("{base}\n[builders.buildah]\ncache-mounts = false\n"),
    );
    let out = fixed(d);
    assert!(
        !out.contains("--mount") && out.contains("rm -rf /var/lib/apt/lists/*"),
        "{out}"
    );
    // A builder table that does not fit the built-in schema.
    write(
        d,
        "dslim.toml",
        format!("{base}\n[builders.buildah]\nlocked-last = false\n"),
    );
    dslim()
        .current_dir(d)
        .arg("check")
        .assert()
        .code(2)
        .stderr(contains(
            "dslim.toml:4:1: error: unknown field `locked-last`",
        ));
}

// ------------------------------------------------------------------ errors

#[test]
fn unknown_key_names_file_line_and_column() {
    let dir = repo();
    let d = dir.path();
    write(d, "Dockerfile", MERGEABLE);
    write(
        d,
        "dslim.toml",
        "# settings\nunsafe = false\nselct = [\"DS001\"]\n",
    );
    let a = dslim().current_dir(d).arg("check").assert().code(2);
    assert_eq!(
        stderr_of(&a),
        "dslim.toml:3:1: error: unknown key `selct`\n"
    );
    // Named explicitly: the same, before any work.
    let a = dslim()
        .current_dir(d)
        .args(["fix", "--config", "dslim.toml", "Dockerfile"])
        .assert()
        .code(2);
    assert_eq!(
        stderr_of(&a),
        "dslim.toml:3:1: error: unknown key `selct`\n"
    );
    // Unknown rule in the file.
    write(
        d,
        "dslim.toml",
        "[per-file-ignores]\n\"x/*\" = [\"DS001\", \"DS999\"]\n",
    );
    dslim()
        .current_dir(d)
        .arg("check")
        .assert()
        .code(2)
        .stderr(contains(
            "dslim.toml:2:19: error: unknown rule selector `DS999`",
        ));
}

#[test]
fn broken_config_reported_once_other_folders_still_checked() {
    let dir = repo();
    let d = dir.path();
    write(d, "bad/dslim.toml", "unsafe = \"yes\"\n");
    write(d, "bad/Dockerfile", MERGEABLE);
    write(d, "bad/sub/Dockerfile", MERGEABLE);
    write(d, "good/Dockerfile", MERGEABLE);
    let a = dslim()
        .current_dir(d)
        .args(["check", "--format", "concise"])
        .assert()
        .code(2);
    let err = stderr_of(&a);
    assert_eq!(err.matches("error:").count(), 1, "{err}");
    assert!(
        err.contains("bad/dslim.toml:1:10: error: bad value for `unsafe`"),
        "{err}"
    );
    assert!(stdout_of(&a).contains("good/Dockerfile:2:1: DS001"));
}

// ------------------------------------------------------------------ files

#[test]
fn per_file_ignores() {
    let dir = repo();
    let d = dir.path();
    write(
        d,
        "dslim.toml",
        "[per-file-ignores]\n\"legacy/**\" = [\"merge-runs\"]\n\"Dockerfile.dev\" = [\"DS001\"]\n",
    );
    for f in [
        "Dockerfile",
        "Dockerfile.dev",
        "a/Dockerfile.dev",
        "legacy/x/Dockerfile",
        "new/Dockerfile",
    ] {
        write(d, f, MERGEABLE);
    }
    assert_eq!(findings(d, &[]), ["Dockerfile:2", "new/Dockerfile:2"]);
    // Through stdin, by --stdin-filename.
    dslim()
        .current_dir(d)
        .args(["check", "--stdin-filename", "legacy/Dockerfile", "-"])
        .write_stdin(MERGEABLE)
        .assert()
        .code(0);
}

#[test]
fn exclude_and_extend_exclude() {
    let dir = repo();
    let d = dir.path();
    for f in [
        "Dockerfile",
        "node_modules/pkg/Dockerfile",
        "third_party/Dockerfile",
        "gen/x.Dockerfile",
        "gen/sub/x.Dockerfile",
    ] {
        write(d, f, MERGEABLE);
    }
    // Defaults: node_modules is left out.
    assert_eq!(
        findings(d, &[]),
        [
            "Dockerfile:2",
            "gen/sub/x.Dockerfile:2",
            "gen/x.Dockerfile:2",
            "third_party/Dockerfile:2"
        ]
    );
    write(
        d,
        "dslim.toml",
        "extend-exclude = [\"third_party\", \"gen/*.Dockerfile\"]\n",
    );
    assert_eq!(findings(d, &[]), ["Dockerfile:2", "gen/sub/x.Dockerfile:2"]);
    // `exclude` replaces the defaults.
    write(d, "dslim.toml", "exclude = [\"gen\"]\n");
    assert_eq!(
        findings(d, &[]),
        [
            "Dockerfile:2",
            "node_modules/pkg/Dockerfile:2",
            "third_party/Dockerfile:2"
        ]
    );
    // A path named on the command line is always processed.
    assert_eq!(findings(d, &["gen/x.Dockerfile"]), ["gen/x.Dockerfile:2"]);
    // Walking a named folder still applies exclusion inside it.
    assert!(findings(d, &["gen"]).is_empty());
}

// ------------------------------------------------------------------ suppressions

#[test]
fn every_suppression_form() {
    let cases = [
        ("FROM a:1\n# dslim ignore=DS001\nRUN a\nRUN b\n", 0),
        ("FROM a:1\nRUN a\n# dslim ignore=merge-runs\nRUN b\n", 0),
        ("FROM a:1\n# hadolint ignore=DL3059\nRUN a\nRUN b\n", 0),
        ("# dslim global ignore=DS001\nFROM a:1\nRUN a\nRUN b\n", 0),
        ("FROM a:1\nRUN a\nRUN b\n# dslim global ignore=all\n", 0),
        // DS001 has no BuildKit check name: `# check=skip=` does not touch it.
        ("# check=skip=all\nFROM a:1\nRUN a\nRUN b\n", 1),
        (
            "# check=skip=JSONArgsRecommended\nFROM a:1\nRUN a\nRUN b\n",
            1,
        ),
        // Another rule's code does not silence DS001.
        ("FROM a:1\n# dslim ignore=DS002\nRUN a\nRUN b\n", 1),
        ("FROM a:1\nRUN a\nRUN b\n", 1),
    ];
    for (src, code) in cases {
        dslim()
            .args(["check", "-"])
            .write_stdin(src)
            .assert()
            .code(code);
    }
}

#[test]
fn warn_unused_ignores() {
    let src = "FROM a:1\n# dslim ignore=DS001\nRUN a\nRUN b\n\n# dslim ignore=merge-runs\nCOPY x y\n# dslim global ignore=DS0\n";
    let a = dslim()
        .args([
            "check",
            "--warn-unused-ignores",
            "--stdin-filename",
            "Dockerfile",
            "-",
        ])
        .write_stdin(src)
        .assert()
        .code(0);
    assert_eq!(
        stdout_of(&a),
        "Dockerfile:6:16: warning: unused suppression for merge-runs\n\
         Dockerfile:8:23: warning: unused suppression for DS0\n\
         All checks passed!\n"
    );
    // Without the flag: nothing.
    dslim()
        .args(["check", "-"])
        .write_stdin(src)
        .assert()
        .code(0)
        .stdout("All checks passed!\n");
    // With findings the status is theirs.
    let src2 = "FROM a:1\nRUN a\nRUN b\n# dslim ignore=DS001\nCOPY a b\n";
    dslim()
        .args(["check", "--warn-unused-ignores", "--format", "concise", "-"])
        .write_stdin(src2)
        .assert()
        .code(1)
        .stdout(contains("-:4:16: warning: unused suppression for DS001"));
    // A suppression for a rule that did not run is not reported.
    dslim()
        .args(["check", "--warn-unused-ignores", "--ignore", "DS001", "-"])
        .write_stdin("FROM a:1\n# dslim ignore=DS001\nCOPY a b\n")
        .assert()
        .code(0)
        .stdout("All checks passed!\n");
    // GitHub format: a ::warning.
    dslim()
        .args(["check", "--warn-unused-ignores", "--format", "github", "-"])
        .write_stdin("FROM a:1\n# dslim ignore=DS001\nCOPY a b\n")
        .assert()
        .code(0)
        .stdout("::warning file=-,line=2,col=16,title=unused suppression::unused suppression for DS001\n");
}
