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
//! `--probe-http`: `tests/data/httpd.c`, linked static by the host's gcc,
//! served from the image on a port the kernel picked free.
//!
//! No builder installed: `PATH` with every program but buildah, podman and
//! docker (runs everywhere, root or not).

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
        let mut c = self.dslim_without_builder_flag();
        c.args(["--builder", "buildah"]);
        c
    }
    /// `dslim compare --pull=never`, the builder left to the caller.
    fn dslim_without_builder_flag(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_dslim"));
        c.env("CONTAINERS_STORAGE_CONF", self.storage_conf())
            // Failed builds' logs are kept in the temp dir: this test's.
            .env("TMPDIR", self.dir.path())
            .env("NO_COLOR", "1")
            .args(["compare", "--pull=never"]);
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
    // A difference that stays: both images were run again, twice.
    assert_eq!(b["runs"], 3, "{b}");
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

/// `tests/data/httpd.c` compiled static with the host's gcc into the
/// test's context as `httpd` (a server on scratch: no libraries, no shell).
/// `None` (a printed skip) when gcc cannot link statically here, unless
/// `DSLIM_REQUIRE_BUILDAH=1`.
fn static_httpd(s: &Setup, test: &str) -> Option<()> {
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/httpd.c");
    let out = s.dir.path().join("ctx/httpd");
    let o = Std::new("gcc")
        .args(["-O2", "-static", "-o"])
        .arg(&out)
        .arg(src)
        .output();
    match o {
        Ok(o) if o.status.success() => Some(()),
        other => {
            let why = format!("gcc -static failed (gcc and libc6-dev needed): {other:?}");
            if std::env::var_os("DSLIM_REQUIRE_BUILDAH").is_some_and(|v| v == "1") {
                panic!("DSLIM_REQUIRE_BUILDAH=1 but {why}");
            }
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
            None
        }
    }
}

/// A port nothing listens on now (the kernel's pick for port 0).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// No `httpd` serving `port` is left running.
fn no_server_left(port: u16) {
    let ps = Std::new("ps").args(["-eo", "args"]).output().unwrap();
    let mark = format!("/srv/httpd {port} ");
    assert!(
        !String::from_utf8_lossy(&ps.stdout)
            .lines()
            .any(|l| l.starts_with(&mark)),
        "a --probe-http server is still running"
    );
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
        "something still answers on {port}"
    );
}

#[test]
fn probe_http_gets_the_same_page_from_both_images() {
    let test = "probe_http_gets_the_same_page_from_both_images";
    if !common::can_run_buildah(test) {
        return;
    }
    let port = free_port();
    let s = Setup::with_rootfs(&format!(
        "FROM scratch\nCOPY rootfs/ /\nCOPY apt-get /usr/bin/apt-get\n\
         COPY httpd page.txt /srv/\n\
         RUN apt-get update\nRUN apt-get install -y hello\n\
         CMD [\"/srv/httpd\", \"{port}\", \"/srv/page.txt\"]\n"
    ));
    if static_httpd(&s, test).is_none() {
        return;
    }
    fs::write(s.dir.path().join("ctx/page.txt"), "healthy\n").unwrap();
    let v = s.json(&["--probe-http", &format!("{port}/health")], 0);
    // The fixes changed the file (the apt RUNs), and the server behaves
    // the same in both images.
    assert_eq!(v["changed"], true, "{v}");
    let b = &v["behaviour"];
    assert_eq!(b["probe"], "http");
    assert_eq!(b["url"], format!("http://127.0.0.1:{port}/health"));
    assert_eq!(
        b["before_command"],
        serde_json::json!(["/srv/httpd", port.to_string(), "/srv/page.txt"])
    );
    assert_eq!(b["before"]["result"], "http", "{b}");
    assert_eq!(b["before"]["status"], 200, "{b}");
    assert_eq!(b["before"]["body"], "healthy\n", "{b}");
    assert_eq!(b["after"], b["before"]);
    assert_eq!(b["same"], true);
    assert_eq!(v["differs"], false);
    no_server_left(port);
    // Another path: the status is compared too (404 in both is the same).
    let a = s
        .dslim()
        .args(["--probe-http", &format!("{port}/nope")])
        .arg(s.dockerfile())
        .assert()
        .success();
    let out = String::from_utf8_lossy(&a.get_output().stdout).into_owned();
    assert!(out.contains("HTTP 404"), "{out}");
    assert!(out.contains("same behaviour"), "{out}");
    no_server_left(port);
    assert_eq!(s.containers(), "");
    assert_eq!(s.images(), Vec::<serde_json::Value>::new());
}

#[test]
fn probe_http_body_mismatch_fails_the_comparison() {
    let test = "probe_http_body_mismatch_fails_the_comparison";
    if !common::can_run_buildah(test) {
        return;
    }
    let port = free_port();
    // A page made at build time from a random ID: each build serves its own.
    let s = Setup::with_rootfs(&format!(
        "FROM scratch\nCOPY rootfs/ /\nCOPY httpd /srv/httpd\n\
         RUN cat /proc/sys/kernel/random/uuid > /srv/page.txt\n\
         CMD [\"/srv/httpd\", \"{port}\", \"/srv/page.txt\"]\n"
    ));
    if static_httpd(&s, test).is_none() {
        return;
    }
    let v = s.json(&["--probe-http", &format!("{port}/health")], 1);
    let b = &v["behaviour"];
    assert_eq!(b["same"], false, "{b}");
    assert_eq!(
        (&b["before"]["status"], &b["after"]["status"]),
        (&200.into(), &200.into()),
        "{b}"
    );
    let (x, y) = (
        b["before"]["body"].as_str().unwrap(),
        b["after"]["body"].as_str().unwrap(),
    );
    assert_eq!((x.len(), y.len()), (37, 37), "{b}");
    assert_ne!(x, y);
    // HTTP answers are not re-run (buildah's output relay is not involved).
    assert_eq!(b["runs"], 1, "{b}");
    assert_eq!(v["differs"], true);
    no_server_left(port);
    assert_eq!(s.containers(), "");
}

/// A PATH with every program of this one except the container builders.
fn path_without_builders(dir: &std::path::Path) -> std::ffi::OsString {
    let bin = dir.join("bin");
    fs::create_dir_all(&bin).unwrap();
    let path = std::env::var_os("PATH").unwrap_or_default();
    for d in std::env::split_paths(&path) {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name();
            if ["buildah", "podman", "docker"].iter().any(|b| name == *b) {
                continue;
            }
            let _ = std::os::unix::fs::symlink(e.path(), bin.join(&name));
        }
    }
    std::env::join_paths([bin]).unwrap()
}

#[test]
fn builder_not_installed_is_a_clear_error() {
    // No buildah needed: the point is a machine without it.
    let s = Setup::new(&scratch_dockerfile());
    let path = path_without_builders(s.dir.path());
    assert!(
        std::env::split_paths(&path).all(|d| !d.join("buildah").exists()),
        "{path:?}"
    );
    let run = |builder: &str| {
        let a = s
            .dslim_without_builder_flag()
            .env("PATH", &path)
            .args(["--builder", builder])
            .arg(s.dockerfile())
            .assert()
            .code(2)
            .stdout("");
        String::from_utf8_lossy(&a.get_output().stderr).into_owned()
    };
    let err = run("buildah");
    assert!(
        err.contains(&format!(
            "{}: error: `buildah` not found on PATH",
            s.dockerfile().display()
        )),
        "{err}"
    );
    let err = run("auto");
    assert!(
        err.contains("error: no container builder found: install buildah or podman"),
        "{err}"
    );
    // Nothing was built or left behind.
    let left: Vec<_> = fs::read_dir(s.dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("dslim-compare-"))
        .collect();
    assert_eq!(left, Vec::<String>::new());
}
