//! `cache-style = "mount"` with `target = "buildah"`, built by a real
//! buildah: the cache mounts dslim writes for buildah must build, must not
//! hang, must keep the cache out of the image, and the cache must persist
//! from one RUN to the next and from one build to the next.
//!
//! Offline and without base images: the image is `FROM scratch` plus a
//! root file system made here from the host's `/bin/sh`, `mkdir` and `rm`
//! (with the libraries `ldd` names) and a stand-in `apt-get`, a shell script
//! that "downloads" packages into `/var/cache/apt/archives` unless they are
//! already there and needs an index in `/var/lib/apt/lists`.
//!
//! Why the buildah form differs from BuildKit's: buildah 1.25 to 1.28
//! (Debian 12 ships 1.28.2) releases only the lock of a RUN's *last* cache
//! mount, so with BuildKit's two `sharing=locked` apt mounts the next RUN
//! that locks `/var/cache/apt` waits forever (seen with 1.28.2; fixed in
//! 1.29). dslim puts the lock on the last mount only (`locked-last-only` in
//! `transforms/builders.toml`); this test's second RUN is the one that hung.
//!
//! Needs buildah on PATH and root, like tests/compare_buildah.rs: without
//! them the test prints a notice and passes, unless `DSLIM_REQUIRE_BUILDAH=1`
//! (CI). Image storage (vfs) and the buildah cache (`TMPDIR`) are private to
//! the test's temp dir.

#![cfg(unix)]

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A build that takes longer than this is taken to hang (it takes seconds).
const BUILD_TIMEOUT: Duration = Duration::from_secs(180);

/// The stand-in for apt-get (only `mkdir` is external).
const FAKE_APT_GET: &str = r#"#!/bin/sh
set -e
case "$1" in
update)
  mkdir -p /var/lib/apt/lists
  echo index > /var/lib/apt/lists/index
  echo "index updated"
  ;;
install)
  shift
  test -f /var/lib/apt/lists/index || { echo "E: no index" >&2; exit 100; }
  test -f /etc/apt/apt.conf.d/keep-cache || { echo "E: no keep-cache" >&2; exit 100; }
  mkdir -p /var/cache/apt/archives /opt/installed
  for p in "$@"; do
    case "$p" in -*) continue ;; esac
    if [ -f "/var/cache/apt/archives/$p.deb" ]; then
      echo "cached $p"
    else
      echo "$p" > "/var/cache/apt/archives/$p.deb"
      echo "downloaded $p"
    fi
    echo "$p" > "/opt/installed/$p"
  done
  ;;
esac
"#;

const DOCKERFILE: &str = "FROM scratch
COPY rootfs/ /
RUN apt-get update && apt-get install -y curl
RUN apt-get update && apt-get install -y curl jq
";

struct Setup {
    dir: tempfile::TempDir,
}

impl Setup {
    fn new() -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let ctx = dir.path().join("ctx");
        let root = ctx.join("rootfs");
        for bin in ["/bin/sh", "/bin/mkdir", "/bin/rm"] {
            common::copy_with_libraries(Path::new(bin), &root);
        }
        common::write(&root, "usr/bin/apt-get", FAKE_APT_GET);
        chmod_x(&root.join("usr/bin/apt-get"));
        // What Debian images carry and the mount setup removes.
        common::write(
            &root,
            "etc/apt/apt.conf.d/docker-clean",
            "DPkg::Post-Invoke {};\n",
        );
        fs::create_dir_all(root.join("tmp")).unwrap();
        common::write(&ctx, "Dockerfile", DOCKERFILE);
        common::write(
            &ctx,
            "dslim.toml",
            "cache-style = \"mount\"\ntarget = \"buildah\"\n",
        );
        common::private_buildah_storage(dir.path());
        fs::create_dir(dir.path().join("tmp")).unwrap();
        Setup { dir }
    }

    fn ctx(&self) -> PathBuf {
        self.dir.path().join("ctx")
    }

    fn buildah(&self) -> Command {
        let mut c = Command::new("buildah");
        c.env(
            "CONTAINERS_STORAGE_CONF",
            self.dir.path().join("storage.conf"),
        )
        // The cache mounts live under $TMPDIR/buildah-cache*: this test's.
        .env("TMPDIR", self.dir.path().join("tmp"));
        c
    }

    /// `buildah <args>`, which must succeed; its stdout.
    fn run(&self, args: &[&str]) -> String {
        let o = self.buildah().args(args).output().unwrap();
        assert!(o.status.success(), "buildah {args:?}: {o:?}");
        String::from_utf8(o.stdout).unwrap()
    }

    /// Builds the context's Dockerfile as `tag`; the build's output. Fails
    /// the test when the build fails or hangs.
    fn build(&self, tag: &str, extra: &[&str]) -> String {
        let log = self.dir.path().join(format!("{tag}.log"));
        let mut child = self
            .buildah()
            .args([
                "build",
                "--layers",
                "--pull=never",
                "--isolation",
                "chroot",
                "-t",
                tag,
            ])
            .args(extra)
            .arg(self.ctx())
            .stdout(fs::File::create(&log).unwrap())
            .stderr(Stdio::from(
                fs::OpenOptions::new().append(true).open(&log).unwrap(),
            ))
            .spawn()
            .unwrap();
        let start = Instant::now();
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            if start.elapsed() > BUILD_TIMEOUT {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "buildah build {tag} hung (> {BUILD_TIMEOUT:?}):\n{}",
                    common::read(&log)
                );
            }
            std::thread::sleep(Duration::from_millis(200));
        };
        let out = common::read(&log);
        assert!(status.success(), "buildah build {tag}: {status}\n{out}");
        out
    }
}

impl Drop for Setup {
    fn drop(&mut self) {
        // Working containers of a failed or killed build, then the images.
        let _ = self.buildah().args(["rm", "--all"]).output();
        let _ = self.buildah().args(["rmi", "--all", "--force"]).output();
    }
}

fn chmod_x(p: &Path) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(p, fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn buildah_builds_the_cache_mounts_dslim_writes_for_it() {
    if !common::can_run_buildah("buildah_builds_the_cache_mounts_dslim_writes_for_it") {
        return;
    }
    let s = Setup::new();
    let dockerfile = s.ctx().join("Dockerfile");
    common::dslim()
        .args(["fix", "--write", "--select", "apt-cleanup", "--config"])
        .arg(s.ctx().join("dslim.toml"))
        .arg(&dockerfile)
        .assert()
        .success();
    let fixed = common::read(&dockerfile);
    let setup = "rm -f /etc/apt/apt.conf.d/docker-clean && echo 'Binary::apt::APT::Keep-Downloaded-Packages \"true\";' > /etc/apt/apt.conf.d/keep-cache";
    let mounts = "--mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt,sharing=locked";
    assert_eq!(
        fixed,
        format!(
            "FROM scratch\nCOPY rootfs/ /\n\
             RUN {mounts} {setup} && apt-get update && apt-get install -y curl\n\
             RUN {mounts} {setup} && apt-get update && apt-get install -y curl jq\n"
        )
    );

    // One build: the second RUN sees what the first left in the cache (and
    // gets its lock: with a lock on both mounts buildah 1.28 hangs here).
    let out = s.build("mounts-a", &[]);
    let first = out.find("downloaded curl").expect(&out);
    let second = out[first..].find("cached curl").expect(&out);
    assert!(out[first + second..].contains("downloaded jq"), "{out}");

    // A second build from scratch: the cache is still there.
    let out = s.build("mounts-b", &["--no-cache"]);
    assert!(!out.contains("downloaded"), "{out}");
    assert!(
        out.contains("cached curl") && out.contains("cached jq"),
        "{out}"
    );

    // The image has the packages but neither the index nor the archives.
    let ctr = s.run(&["from", "--pull=never", "mounts-b"]);
    let ctr = ctr.trim();
    let mnt = s.run(&["mount", ctr]);
    let mnt = Path::new(mnt.trim());
    assert!(mnt.join("opt/installed/curl").is_file());
    assert!(mnt.join("opt/installed/jq").is_file());
    assert!(mnt.join("etc/apt/apt.conf.d/keep-cache").is_file());
    assert!(!mnt.join("etc/apt/apt.conf.d/docker-clean").exists());
    for gone in ["var/lib/apt/lists/index", "var/cache/apt/archives/curl.deb"] {
        assert!(!mnt.join(gone).exists(), "{gone} is in the image");
    }
    s.run(&["umount", ctr]);
    s.run(&["rm", ctr]);
    // The cache itself is on the host, under this test's TMPDIR.
    let cached = walk(&s.dir.path().join("tmp"))
        .into_iter()
        .filter(|p| p.ends_with("archives/jq.deb"))
        .count();
    assert_eq!(cached, 1);
}

/// Every file below `dir`.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let p = e.path();
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
