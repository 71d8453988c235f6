//! `dslim compare` with a real buildah: a `FROM scratch` image whose layers
//! are COPYs of files in the test's context (no network, no base image).
//!
//! Needs buildah on PATH and root (buildah runs rootful with chroot
//! isolation). Without them the tests print a notice and pass — unless
//! `DSLIM_REQUIRE_BUILDAH=1` (CI) makes that a failure.
//!
//! Storage: every test points buildah at its own temporary storage (vfs
//! driver, graphroot and runroot in a temp dir, through
//! `CONTAINERS_STORAGE_CONF`), so the user's images are never seen or
//! touched, and the test can check that nothing is left behind.
//!
//! Sizes: a layer is an uncompressed tar stream, so its size is the file's
//! size plus a 512-byte header per entry (the file and any parent folder
//! COPY creates), padding to a multiple of 512 and the 1 KiB end-of-archive
//! marker: within [`TAR_OVERHEAD`] bytes above the file's size.
//!
//! Behaviour and files: images `FROM scratch` plus a root file system made
//! here from the host's `/bin/sh`, `cat`, `mkdir`, `rm` and `sleep` (with
//! the libraries `ldd` names), run and mounted by the real buildah.

#![cfg(unix)]

mod common;

use std::fs;
use std::path::PathBuf;
use std::process::Command as Std;

use assert_cmd::Command;
use predicates::str::contains;

/// Tar overhead allowed per single-file layer (see the module docs).
const TAR_OVERHEAD: u64 = 4096;

/// Files COPYed, one layer each: (context name, destination, size).
const FILES: [(&str, &str, u64); 3] = [
    ("a.bin", "/a.bin", 100_000),
    ("b.txt", "/b.txt", 5_000),
    ("c.bin", "/data/c.bin", 250_001),
];

/// A context with the files and a Dockerfile, and private image storage.
struct Setup {
    dir: tempfile::TempDir,
}

impl Setup {
    fn new(dockerfile: &str) -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let ctx = dir.path().join("ctx");
        fs::create_dir(&ctx).unwrap();
        let mut seed: u32 = 12345;
        for (name, _, size) in FILES {
            // Incompressible-ish bytes, so the compressed size means something.
            let bytes: Vec<u8> = (0..size)
                .map(|_| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    (seed >> 16) as u8
                })
                .collect();
            fs::write(ctx.join(name), bytes).unwrap();
        }
        fs::write(ctx.join("Dockerfile"), dockerfile).unwrap();
        common::private_buildah_storage(dir.path());
        Setup { dir }
    }
    /// A context with the host's shell tools as `rootfs/` and a stand-in
    /// `apt-get` (a shell script), for images that run.
    fn with_rootfs(dockerfile: &str) -> Setup {
        let s = Setup::new(dockerfile);
        let root = s.dir.path().join("ctx/rootfs");
        for bin in ["/bin/sh", "/bin/cat", "/bin/mkdir", "/bin/rm", "/bin/sleep"] {
            common::copy_with_libraries(std::path::Path::new(bin), &root);
        }
        let apt = s.dir.path().join("ctx/apt-get");
        fs::write(&apt, FAKE_APT_GET).unwrap();
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&apt, fs::Permissions::from_mode(0o755)).unwrap();
        s
    }
    fn json(&self, args: &[&str], code: i32) -> serde_json::Value {
        let a = self
            .dslim()
            .arg("--format=json")
            .args(args)
            .arg(self.dockerfile())
            .assert()
            .code(code);
        serde_json::from_slice(&a.get_output().stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&a.get_output().stderr)))
    }
    /// Working containers left in the private storage.
    fn containers(&self) -> String {
        self.buildah(&["containers", "--quiet"])
    }
    fn dockerfile(&self) -> PathBuf {
        self.dir.path().join("ctx/Dockerfile")
    }
    fn storage_conf(&self) -> PathBuf {
        self.dir.path().join("storage.conf")
    }
    fn dslim(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_dslim"));
        c.env("CONTAINERS_STORAGE_CONF", self.storage_conf())
            // Failed builds' logs are kept in the temp dir: this test's.
            .env("TMPDIR", self.dir.path())
            .env("NO_COLOR", "1")
            .args(["compare", "--builder", "buildah", "--pull=never"]);
        c
    }
    fn buildah(&self, args: &[&str]) -> String {
        let o = Std::new("buildah")
            .env("CONTAINERS_STORAGE_CONF", self.storage_conf())
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "buildah {args:?}: {o:?}");
        String::from_utf8(o.stdout).unwrap()
    }
    /// Every image in the private storage, with intermediate ones.
    fn images(&self) -> Vec<serde_json::Value> {
        let out = self.buildah(&["images", "--all", "--json"]);
        if out.trim().is_empty() {
            return Vec::new();
        }
        serde_json::from_str::<serde_json::Value>(&out)
            .unwrap()
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
}

impl Drop for Setup {
    fn drop(&mut self) {
        // Whatever a failed assertion left: remove it from the private
        // storage (then the temp dir goes).
        let _ = Std::new("buildah")
            .env("CONTAINERS_STORAGE_CONF", self.storage_conf())
            .args(["rmi", "--all", "--force"])
            .output();
    }
}

fn scratch_dockerfile() -> String {
    let mut s = String::from("FROM scratch\n");
    for (i, (name, dest, _)) in FILES.iter().enumerate() {
        s.push_str(&format!("COPY {name} {dest}\n"));
        if i == 0 {
            s.push_str("ENV GREETING=hello\n");
        }
    }
    s.push_str("LABEL purpose=dslim-compare-test\n");
    s
}

fn check_image(img: &serde_json::Value) {
    assert_eq!(img["layer_count"], FILES.len(), "{img}");
    let layers: Vec<&serde_json::Value> = img["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["empty_layer"] == false)
        .collect();
    assert_eq!(layers.len(), FILES.len(), "{img}");
    let mut total = 0;
    for (h, (_, dest, size)) in layers.iter().zip(FILES) {
        let got = h["size_bytes"].as_u64().unwrap();
        assert!(
            (size..=size + TAR_OVERHEAD).contains(&got),
            "layer {dest}: {got} bytes for a {size}-byte file (allowed: +{TAR_OVERHEAD})"
        );
        assert!(
            h["instruction"].as_str().unwrap().starts_with("COPY ")
                && h["instruction"].as_str().unwrap().ends_with(dest),
            "{h}"
        );
        total += got;
    }
    assert_eq!(img["size_bytes"], total);
    let empty: Vec<&str> = img["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["empty_layer"] == true)
        .map(|h| h["instruction"].as_str().unwrap())
        .collect();
    assert_eq!(
        empty,
        ["ENV GREETING=hello", "LABEL purpose=dslim-compare-test"]
    );
    // gzip cannot shrink the pseudo-random bytes much.
    let files: u64 = FILES.iter().map(|f| f.2).sum();
    let gz = img["compressed_bytes"].as_u64().expect("compressed size");
    assert!(gz > files / 2 && gz < total + TAR_OVERHEAD, "{gz}");
    assert!(img["build_seconds"].as_f64().unwrap() > 0.0);
}

#[test]
fn scratch_image_sizes_and_layers_and_cleanup() {
    if !common::can_run_buildah("scratch_image_sizes_and_layers_and_cleanup") {
        return;
    }
    let s = Setup::new(&scratch_dockerfile());
    let a = s
        .dslim()
        .arg("--format=json")
        .arg(s.dockerfile())
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
    assert_eq!(v["builder"], "buildah");
    // Nothing for dslim to change in a FROM scratch file (no RUN): both
    // builds are the same Dockerfile and the same size.
    assert_eq!(v["changed"], false);
    assert_eq!(v["applied"], serde_json::json!([]));
    check_image(&v["before"]);
    check_image(&v["after"]);
    assert_ne!(v["before"]["tag"], v["after"]["tag"]);
    let d = &v["difference"];
    assert_eq!(d["size_bytes"], 0);
    assert_eq!(d["saved_bytes"], 0);
    assert_eq!(d["saved_percent"], 0.0);
    assert_eq!(d["layer_count"], 0);
    // Both images and their intermediate images are gone.
    assert_eq!(s.images(), Vec::<serde_json::Value>::new());
}

#[test]
fn keep_leaves_both_images_and_text_report() {
    if !common::can_run_buildah("keep_leaves_both_images_and_text_report") {
        return;
    }
    let s = Setup::new(&scratch_dockerfile());
    let a = s
        .dslim()
        .arg("--keep")
        .arg(s.dockerfile())
        .assert()
        .success()
        .stdout(contains("Same size."));
    let out = String::from_utf8_lossy(&a.get_output().stdout).into_owned();
    let layers_row: Vec<&str> = out
        .lines()
        .find(|l| l.starts_with("layers "))
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(layers_row, ["layers", "3", "3", "0"], "{out}");
    let names: Vec<String> = s
        .images()
        .iter()
        .filter_map(|i| i["names"].as_array().cloned())
        .flatten()
        .filter_map(|n| n.as_str().map(str::to_string))
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    for n in &names {
        assert!(out.contains(&format!("{n} (kept)")), "{n} in {out}");
    }
}

#[test]
fn original_that_does_not_build_leaves_nothing() {
    if !common::can_run_buildah("original_that_does_not_build_leaves_nothing") {
        return;
    }
    let s = Setup::new("FROM scratch\nCOPY a.bin /a.bin\nCOPY missing.bin /m\n");
    s.dslim()
        .arg(s.dockerfile())
        .assert()
        .code(2)
        .stderr(contains("error: the original Dockerfile does not build"))
        .stderr(contains("missing"));
    assert_eq!(s.images(), Vec::<serde_json::Value>::new());
}

/// A stand-in apt-get: `update` writes an index, `install` needs it and
/// records each package in /opt/installed.
const FAKE_APT_GET: &str = r#"#!/bin/sh
case "$1" in
update) mkdir -p /var/lib/apt/lists && echo index > /var/lib/apt/lists/index ;;
install)
  shift
  [ -f /var/lib/apt/lists/index ] || { echo "E: no index" >&2; exit 100; }
  mkdir -p /opt/installed
  for p in "$@"; do
    case "$p" in -*) continue ;; esac
    echo "$p installed" > "/opt/installed/$p"
  done ;;
esac
"#;

#[test]
fn probe_matches_and_the_removed_apt_lists_are_expected() {
    if !common::can_run_buildah("probe_matches_and_the_removed_apt_lists_are_expected") {
        return;
    }
    let s = Setup::with_rootfs(
        "FROM scratch\nCOPY rootfs/ /\nCOPY apt-get /usr/bin/apt-get\n\
         RUN apt-get update\nRUN apt-get install -y hello\nENTRYPOINT [\"/bin/cat\"]\n",
    );
    let v = s.json(&["--probe", "/opt/installed/hello"], 0);
    assert_eq!(v["changed"], true);
    let b = &v["behaviour"];
    assert_eq!(
        b["before_command"],
        serde_json::json!(["/bin/cat", "/opt/installed/hello"])
    );
    assert_eq!(b["before"]["result"], "exited");
    assert_eq!(b["before"]["status"], 0);
    assert_eq!(b["before"]["stdout"], "hello installed\n");
    assert_eq!(b["after"], b["before"]);
    assert_eq!(b["same"], true);
    let f = &v["files"];
    assert_eq!(f["unexpected_missing"], serde_json::json!([]), "{f}");
    let apt = f["expected"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["reason"] == "apt cache and index (package-managers.toml)")
        .unwrap_or_else(|| panic!("{f}"));
    // `rm -rf /var/lib/apt/lists/*` removed the index (6 bytes).
    assert_eq!(apt["files"], 1, "{apt}");
    assert_eq!(apt["bytes"], 6, "{apt}");
    assert_eq!(apt["entries"][0]["path"], "/var/lib/apt/lists/index");
    assert_eq!(v["differs"], false);
    assert_eq!(s.containers(), "");
    assert_eq!(s.images(), Vec::<serde_json::Value>::new());
}

#[test]
fn probe_mismatch_fails_the_comparison() {
    if !common::can_run_buildah("probe_mismatch_fails_the_comparison") {
        return;
    }
    // A build-time random ID: the two builds differ, and the probe sees it.
    let s = Setup::with_rootfs(
        "FROM scratch\nCOPY rootfs/ /\n\
         RUN cat /proc/sys/kernel/random/uuid > /build-id\nENTRYPOINT [\"/bin/cat\"]\n",
    );
    let v = s.json(&["--probe", "/build-id"], 1);
    let b = &v["behaviour"];
    assert_eq!(b["same"], false, "{b}");
    let (x, y) = (
        b["before"]["stdout"].as_str().unwrap(),
        b["after"]["stdout"].as_str().unwrap(),
    );
    assert_eq!((x.len(), y.len()), (37, 37), "{b}");
    assert_ne!(x, y);
    assert_eq!(v["differs"], true);
    // Same size, other bytes: listed as changed, which does not fail.
    let changed = &v["files"]["unexpected_changed"];
    assert_eq!(changed[0]["path"], "/build-id", "{changed}");
    assert_eq!(changed[0]["what"], serde_json::json!(["content"]));
    assert_eq!(s.containers(), "");
}

#[test]
fn unexpected_missing_file_fails_unless_allowed_and_the_command_stays_up() {
    if !common::can_run_buildah(
        "unexpected_missing_file_fails_unless_allowed_and_the_command_stays_up",
    ) {
        return;
    }
    // A file whose name is random: the fixed image lacks the original's.
    // The sleep's duration marks this run's processes.
    let sleep = format!("30.{:03}", std::process::id() % 1000);
    let s = Setup::with_rootfs(&format!(
        "FROM scratch\nCOPY rootfs/ /\n\
         RUN mkdir /srv && cat /proc/sys/kernel/random/uuid > /srv/$(cat /proc/sys/kernel/random/uuid)\n\
         CMD [\"/bin/sleep\", \"{sleep}\"]\n"
    ));
    let a = s.dslim().arg(s.dockerfile()).assert().code(1);
    let out = String::from_utf8_lossy(&a.get_output().stdout).into_owned();
    assert!(out.contains("UNEXPECTED, missing (37 B in 1 path"), "{out}");
    assert!(
        out.contains("  only in the fixed image: 1 path, 37 B\n"),
        "{out}"
    );
    assert!(
        out.contains("DIFFERENT: 1 path unexpectedly missing."),
        "{out}"
    );
    // Without a probe: both still running after 2 s, then stopped.
    assert!(out.contains("still running after 2 s"), "{out}");
    assert!(out.contains("same behaviour"), "{out}");
    let v = s.json(&["--allow", "/srv/*"], 0);
    assert_eq!(v["files"]["unexpected_missing"], serde_json::json!([]));
    assert_eq!(
        v["files"]["expected"][0]["reason"],
        "allowed by --allow /srv/*"
    );
    assert_eq!(v["behaviour"]["before"]["result"], "running");
    assert_eq!(s.containers(), "");
    // No `sleep` of this test's images is left running.
    let ps = Std::new("ps").args(["-eo", "args"]).output().unwrap();
    assert!(
        !String::from_utf8_lossy(&ps.stdout)
            .lines()
            .any(|l| l.trim() == format!("/bin/sleep {sleep}")),
        "a probe's process is still running"
    );
}
