//! `dslim compare` end to end against a fake `buildah` (a shell script that
//! logs its arguments and answers like buildah would): orchestration,
//! arguments, cleanup and error reports, without root or a real builder.
//! tests/compare_buildah.rs runs the real one.

#![cfg(unix)]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::str::contains;

const MERGEABLE: &str = "FROM debian\nRUN make build\nRUN make install\n";
const MERGED: &str = "FROM debian\nRUN make build \\\n    && make install\n";

/// Logs each call as `arg|arg|…|` to $FAKE_DIR/calls. `bud` copies the
/// Dockerfile it was given to $FAKE_DIR/<before|after>.Dockerfile and fails
/// for the build named in $FAKE_FAIL (leaving an untagged image behind);
/// `images` always lists an untagged image of the user's. `from IMAGE`
/// names a container `ctr-before`, `ctr-after` or `ctr-base` (any other
/// image); `mount` gives $FAKE_DIR/root-<which>, which the test fills;
/// `run` prints $FAKE_DIR/run-<which>.out, sleeps
/// $FAKE_DIR/run-<which>.sleep seconds if that exists, and exits with
/// $FAKE_DIR/run-<which>.status (default 0). Images have ENTRYPOINT
/// ["/app"] and CMD ["serve"].
const FAKE_BUILDAH: &str = r#"#!/bin/sh
printf '%s|' "$@" >> "$FAKE_DIR/calls"; echo >> "$FAKE_DIR/calls"
last=; for a in "$@"; do last=$a; done
config='"OCIv1":{"config":{"Entrypoint":["/app"],"Cmd":["serve"]}}'
case "$1" in
bud)
  file=; tag=; prev=
  for a in "$@"; do
    case "$prev" in -f) file=$a ;; -t) tag=$a ;; esac
    prev=$a
  done
  which=${tag##*:}
  cat "$file" > "$FAKE_DIR/$which.Dockerfile"
  echo "STEP 1/2: FROM debian"
  if [ "$FAKE_FAIL" = "$which" ]; then
    touch "$FAKE_DIR/left"
    echo "Error: building at STEP 2: boom" >&2
    exit 1
  fi
  echo "COMMIT $tag" ;;
inspect)
  case "$last" in
  *:before) printf '%s\n' '{"Manifest":"{\"layers\":[{\"size\":3000},{\"size\":5000}]}",'"$config"',"Docker":{"history":[{"created_by":"/bin/sh -c #(nop) ADD file:x in /"},{"created_by":"/bin/sh -c #(nop) CMD [\"bash\"]","empty_layer":true},{"created_by":"/bin/sh -c make build"}]}}' ;;
  *) printf '%s\n' '{"Manifest":"{\"layers\":[{\"size\":3000},{\"size\":1000}]}",'"$config"',"Docker":{"history":[{"created_by":"/bin/sh -c #(nop) ADD file:x in /"},{"created_by":"/bin/sh -c make build     && make install"}]}}' ;;
  esac ;;
push)
  dest=${last#oci:}; dest=${dest%:image}
  mkdir -p "$dest/blobs/sha256"
  echo '{"manifests":[{"digest":"sha256:abc"}]}' > "$dest/index.json"
  case "$5" in
  *:before) echo '{"layers":[{"size":1500},{"size":1000}]}' ;;
  *) echo '{"layers":[{"size":1500},{"size":300}]}' ;;
  esac > "$dest/blobs/sha256/abc" ;;
images)
  if [ -e "$FAKE_DIR/left" ]; then
    echo '[{"id":"sha256:users","names":null},{"id":"sha256:named","names":["x:y"]},{"id":"sha256:leftover","names":null}]'
  else
    echo '[{"id":"sha256:users","names":null},{"id":"sha256:named","names":["x:y"]}]'
  fi ;;
rmi) echo "untagged: $2" ;;
from)
  case "$last" in
  *:before) echo ctr-before ;;
  *:after) echo ctr-after ;;
  *) echo ctr-base ;;
  esac ;;
mount) echo "$FAKE_DIR/root-${last#ctr-}" ;;
rm) echo "$2" ;;
run)
  ctr=; prev=
  for a in "$@"; do
    if [ "$prev" = "--" ]; then ctr=$a; break; fi
    prev=$a
  done
  which=${ctr#ctr-}
  [ -e "$FAKE_DIR/run-$which.out" ] && cat "$FAKE_DIR/run-$which.out"
  [ -e "$FAKE_DIR/run-$which.sleep" ] && sleep "$(cat "$FAKE_DIR/run-$which.sleep")"
  exit "$(cat "$FAKE_DIR/run-$which.status" 2>/dev/null || echo 0)" ;;
*) echo "fake buildah: unexpected $1" >&2; exit 3 ;;
esac
"#;

struct Fake {
    dir: tempfile::TempDir,
}

impl Fake {
    fn new() -> Fake {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin");
        fs::create_dir(&bin).unwrap();
        let prog = bin.join("buildah");
        fs::write(&prog, FAKE_BUILDAH).unwrap();
        fs::set_permissions(&prog, fs::Permissions::from_mode(0o755)).unwrap();
        fs::create_dir(dir.path().join("state")).unwrap();
        fs::create_dir(dir.path().join("app")).unwrap();
        let f = Fake { dir };
        // Two identical root file systems with an app, by default.
        for which in ["before", "after"] {
            f.file(which, "app", "#!binary");
            f.file(which, "etc/app.conf", "port = 80");
            f.file(which, "usr/share/doc/app/README", "read me");
        }
        f
    }
    /// Writes a file into the fake root file system of `which`.
    fn file(&self, which: &str, rel: &str, content: &str) {
        let p = self.state().join(format!("root-{which}")).join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, content).unwrap();
    }
    /// What `run` in `which` prints and exits with.
    fn runs(&self, which: &str, out: &str, status: i32) {
        fs::write(self.state().join(format!("run-{which}.out")), out).unwrap();
        fs::write(
            self.state().join(format!("run-{which}.status")),
            status.to_string(),
        )
        .unwrap();
    }
    fn state(&self) -> PathBuf {
        self.dir.path().join("state")
    }
    fn dockerfile(&self, text: &str) -> PathBuf {
        let p = self.dir.path().join("app/Dockerfile");
        fs::write(&p, text).unwrap();
        p
    }
    /// `dslim compare --builder buildah` with the fake first on PATH (the
    /// script itself needs cat, mkdir and touch from /bin).
    fn dslim(&self, fail: &str) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_dslim"));
        let path = format!("{}:/usr/bin:/bin", self.dir.path().join("bin").display());
        c.env("PATH", path)
            .env("FAKE_DIR", self.state())
            .env("FAKE_FAIL", fail)
            // Failed builds' logs are kept in the temp dir: this test's.
            .env("TMPDIR", self.dir.path())
            .env_remove("BUILDAH_ISOLATION")
            .env("NO_COLOR", "1")
            .args(["compare", "--builder", "buildah"]);
        c
    }
    /// The fake's calls, one `Vec` of arguments per call.
    fn calls(&self) -> Vec<Vec<String>> {
        fs::read_to_string(self.state().join("calls"))
            .unwrap_or_default()
            .lines()
            .map(|l| {
                l.trim_end_matches('|')
                    .split('|')
                    .map(str::to_string)
                    .collect()
            })
            .collect()
    }
    fn calls_to(&self, cmd: &str) -> Vec<Vec<String>> {
        self.calls().into_iter().filter(|c| c[0] == cmd).collect()
    }
}

fn arg_after<'a>(call: &'a [String], flag: &str) -> &'a str {
    let i = call.iter().position(|a| a == flag).unwrap();
    &call[i + 1]
}

fn json_of(out: &[u8]) -> serde_json::Value {
    serde_json::from_slice(out).unwrap_or_else(|e| {
        panic!("not JSON ({e}): {}", String::from_utf8_lossy(out));
    })
}

#[test]
fn compares_before_and_after_and_removes_both_images() {
    let f = Fake::new();
    let df = f.dockerfile(MERGEABLE);
    let a = f
        .dslim("")
        .args(["--pull=never", "--format", "json"])
        .arg(&df)
        .assert()
        .success();
    let v = json_of(&a.get_output().stdout);
    assert_eq!(v["builder"], "buildah");
    assert_eq!(v["changed"], true);
    assert_eq!(v["applied"], serde_json::json!(["DS001"]));
    assert_eq!(v["context"], df.parent().unwrap().display().to_string());
    let (b, af, d) = (&v["before"], &v["after"], &v["difference"]);
    assert_eq!(b["size_bytes"], 8000);
    assert_eq!(b["layer_count"], 2);
    assert_eq!(b["compressed_bytes"], 2500);
    assert_eq!(b["history"].as_array().unwrap().len(), 3);
    assert_eq!(b["history"][1]["instruction"], "CMD [\"bash\"]");
    assert_eq!(b["history"][1]["empty_layer"], true);
    assert_eq!(b["history"][2]["size_bytes"], 5000);
    assert_eq!(
        af["history"][1]["instruction"],
        "RUN make build && make install"
    );
    assert_eq!(af["size_bytes"], 4000);
    assert_eq!(af["compressed_bytes"], 1800);
    assert_eq!(d["size_bytes"], -4000);
    assert_eq!(d["saved_bytes"], 4000);
    assert_eq!(d["saved_percent"], 50.0);
    assert_eq!(d["compressed_bytes"], -700);
    assert_eq!(d["compressed_saved_percent"], 28.0);
    assert_eq!(d["layer_count"], 0);
    assert_eq!(b["kept"], false);

    // Builds: the original file as is, the fixed text as a file; each with
    // its own tag, --no-cache and layers kept.
    let builds = f.calls_to("bud");
    assert_eq!(builds.len(), 2);
    for (call, which) in builds.iter().zip(["before", "after"]) {
        for flag in ["--layers", "--no-cache", "--pull=never", "--force-rm"] {
            assert!(call.contains(&flag.to_string()), "{flag} in {call:?}");
        }
        assert_eq!(arg_after(call, "--isolation"), "chroot");
        assert!(arg_after(call, "-t").ends_with(&format!(":{which}")));
        assert!(arg_after(call, "-t").starts_with("localhost/dslim-compare-"));
        assert_eq!(
            call.last().unwrap(),
            &df.parent().unwrap().display().to_string()
        );
    }
    assert_eq!(arg_after(&builds[0], "-f"), df.display().to_string());
    assert_ne!(arg_after(&builds[1], "-f"), df.display().to_string());
    assert_eq!(
        fs::read_to_string(f.state().join("before.Dockerfile")).unwrap(),
        MERGEABLE
    );
    assert_eq!(
        fs::read_to_string(f.state().join("after.Dockerfile")).unwrap(),
        MERGED
    );
    // The temporary fixed Dockerfile is gone.
    assert!(!Path::new(arg_after(&builds[1], "-f")).exists());
    // Only the two tags are removed.
    let removed: Vec<String> = f
        .calls_to("rmi")
        .into_iter()
        .map(|c| c[1].clone())
        .collect();
    assert_eq!(
        removed,
        [arg_after(&builds[0], "-t"), arg_after(&builds[1], "-t")]
    );
}

#[test]
fn text_report() {
    let f = Fake::new();
    let df = f.dockerfile(MERGEABLE);
    f.dslim("")
        .arg(&df)
        .assert()
        .success()
        .stdout(contains("fixes applied: DS001 merge-runs"))
        .stdout(contains(
            "    SIZE  INSTRUCTION\n  3.0 kB  ADD file:x in /\n",
        ))
        .stdout(contains("size        8.0 kB  4.0 kB  -4.0 kB (-50.0%)"))
        .stdout(contains("Saved 4.0 kB (50.0% of 8.0 kB)."))
        .stderr(contains("building before (buildah, --no-cache)"));
}

#[test]
fn keep_leaves_the_images() {
    let f = Fake::new();
    let df = f.dockerfile(MERGEABLE);
    let a = f
        .dslim("")
        .args(["--keep", "--format=json"])
        .arg(&df)
        .assert()
        .success();
    let v = json_of(&a.get_output().stdout);
    assert_eq!(v["before"]["kept"], true);
    assert_eq!(v["after"]["kept"], true);
    assert!(f.calls_to("rmi").is_empty());
    // The default pull policy: missing.
    assert!(f.calls_to("bud")[0].contains(&"--pull=missing".to_string()));
}

#[test]
fn fixed_version_failing_is_reported_as_a_bug_naming_the_transforms() {
    let f = Fake::new();
    let df = f.dockerfile(MERGEABLE);
    f.dslim("after")
        .arg(&df)
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains(format!(
            "{}: error: BUG: the original builds but the FIXED Dockerfile does not",
            df.display()
        )))
        .stderr(contains("fixes applied: DS001 merge-runs."))
        .stderr(contains("  | Error: building at STEP 2: boom"))
        .stderr(contains("full log: "));
    let removed: Vec<String> = f
        .calls_to("rmi")
        .into_iter()
        .map(|c| c[1].clone())
        .collect();
    // The original's image and what the failed build left; never the
    // user's untagged image.
    assert_eq!(removed.len(), 2, "{removed:?}");
    assert_eq!(removed[0], "sha256:leftover");
    assert!(removed[1].ends_with(":before"));
}

#[test]
fn original_failing_is_the_users_problem() {
    let f = Fake::new();
    let df = f.dockerfile(MERGEABLE);
    f.dslim("before")
        .arg(&df)
        .assert()
        .code(2)
        .stderr(contains(
            "error: the original Dockerfile does not build (buildah build failed (exit status 1))",
        ))
        .stderr(contains("  | Error: building at STEP 2: boom"))
        .stderr(contains("BUG").not());
    assert_eq!(f.calls_to("bud").len(), 1, "the fixed version is not built");
    let removed: Vec<String> = f
        .calls_to("rmi")
        .into_iter()
        .map(|c| c[1].clone())
        .collect();
    assert_eq!(removed, ["sha256:leftover"]);
}

#[test]
fn no_builder_on_path() {
    let f = Fake::new();
    let df = f.dockerfile(MERGEABLE);
    Command::new(env!("CARGO_BIN_EXE_dslim"))
        .env("PATH", "")
        .env("NO_COLOR", "1")
        .arg("compare")
        .arg(&df)
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains(format!(
            "{}: error: no container builder found: install buildah or podman",
            df.display()
        )));
    Command::new(env!("CARGO_BIN_EXE_dslim"))
        .env("PATH", "")
        .env("NO_COLOR", "1")
        .args(["compare", "--builder", "podman"])
        .arg(&df)
        .assert()
        .code(2)
        .stderr(contains("error: `podman` not found on PATH"));
}

#[test]
fn input_errors() {
    let f = Fake::new();
    let df = f.dockerfile("FROM debian\nRUN <<EOF\necho hi\n");
    f.dslim("")
        .arg(&df)
        .assert()
        .code(2)
        .stderr(contains(format!("{}:2:", df.display())));
    assert!(f.calls_to("bud").is_empty());
    f.dslim("")
        .arg(f.dir.path().join("nope"))
        .assert()
        .code(2)
        .stderr(contains("nope: error: "));
    let df = f.dockerfile(MERGEABLE);
    f.dslim("")
        .arg("--context")
        .arg(f.dir.path().join("missing-dir"))
        .arg(&df)
        .assert()
        .code(2)
        .stderr(contains("missing-dir` does not exist"));
    f.dslim("")
        .args(["--select", "DS999"])
        .arg(&df)
        .assert()
        .code(2)
        .stderr(contains("unknown rule selector"));
}

use predicates::prelude::PredicateBooleanExt;

#[test]
fn probe_arguments_run_in_both_images_and_match() {
    let f = Fake::new();
    let df = f.dockerfile(MERGEABLE);
    f.runs("before", "app 1.2.3\n", 0);
    f.runs("after", "app 1.2.3\n", 0);
    // apt's lists are gone from the fixed image: expected.
    f.file("before", "var/lib/apt/lists/deb_Packages", "packages");
    f.file("before", "var/log/apt/history.log", "log");
    let a = f
        .dslim("")
        .args(["--probe", "--version", "--format=json"])
        .arg(&df)
        .assert()
        .success();
    let v = json_of(&a.get_output().stdout);
    let b = &v["behaviour"];
    assert_eq!(b["probe"], "args");
    assert_eq!(b["same"], true);
    assert_eq!(
        b["before_command"],
        serde_json::json!(["/app", "--version"])
    );
    assert_eq!(b["after"]["result"], "exited");
    assert_eq!(b["after"]["status"], 0);
    assert_eq!(b["after"]["stdout"], "app 1.2.3\n");
    assert_eq!(v["differs"], false);
    let files = &v["files"];
    assert_eq!(files["unexpected_missing"], serde_json::json!([]));
    let reasons: Vec<&str> = files["expected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["reason"].as_str().unwrap())
        .collect();
    assert!(
        reasons.contains(&"apt cache and index (package-managers.toml)"),
        "{reasons:?}"
    );
    assert!(reasons.contains(&"logs and temporary files"), "{reasons:?}");
    // Run without a shell, chroot isolation, the container after `--`;
    // both containers removed.
    let runs = f.calls_to("run");
    assert_eq!(runs.len(), 2);
    assert_eq!(
        runs[0],
        [
            "run",
            "--isolation",
            "chroot",
            "--",
            "ctr-before",
            "/app",
            "--version"
        ]
    );
    assert_eq!(runs[1][4], "ctr-after");
    let froms = f.calls_to("from");
    assert!(froms
        .iter()
        .all(|c| c.contains(&"--pull=never".to_string())));
    // Each container is named by this compare (pid, time, counter), not
    // buildah's `IMAGE-working-container` that parallel runs share.
    let names: Vec<&String> = froms
        .iter()
        .map(|c| {
            let i = c.iter().position(|a| a == "--name").expect("from --name");
            &c[i + 1]
        })
        .collect();
    assert!(
        names.iter().all(|n| n.starts_with("dslim-compare-")),
        "{names:?}"
    );
    let mut unique = names.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), names.len(), "{names:?}");
    let rms: Vec<String> = f.calls_to("rm").into_iter().map(|c| c[1].clone()).collect();
    assert!(rms.contains(&"ctr-before".to_string()), "{rms:?}");
    assert!(rms.contains(&"ctr-after".to_string()), "{rms:?}");
    // The images are removed after the containers.
    let calls = f.calls();
    let last_rm = calls.iter().rposition(|c| c[0] == "rm").unwrap();
    let first_rmi = calls.iter().position(|c| c[0] == "rmi").unwrap();
    assert!(last_rm < first_rmi, "{calls:?}");
}

#[test]
fn probe_mismatch_exits_1_and_shows_both() {
    let f = Fake::new();
    let df = f.dockerfile(MERGEABLE);
    f.runs("before", "app 1.2.3\n", 0);
    f.runs("after", "", 127);
    f.dslim("")
        .args(["--probe", "--version"])
        .arg(&df)
        .assert()
        .code(1)
        .stdout(contains(
            "before  /app --version  →  exit 0, stdout \"app 1.2.3\"",
        ))
        .stdout(contains("after   /app --version  →  exit 127"))
        .stdout(contains("DIFFERENT behaviour"))
        .stdout(contains("    - app 1.2.3\n"))
        .stdout(contains("DIFFERENT: the probe gives a different result."));
}

#[test]
fn no_probe_stays_up_or_exits_like_the_original() {
    let f = Fake::new();
    let df = f.dockerfile(MERGEABLE);
    // The original serves (still running after 2 s); the fixed one exits.
    fs::write(f.state().join("run-before.sleep"), "10").unwrap();
    let a = f.dslim("").arg("--format=json").arg(&df).assert().code(1);
    let v = json_of(&a.get_output().stdout);
    assert_eq!(v["behaviour"]["probe"], "start");
    assert_eq!(
        v["behaviour"]["before_command"],
        serde_json::json!(["/app", "serve"])
    );
    assert_eq!(v["behaviour"]["before"]["result"], "running");
    assert_eq!(v["behaviour"]["after"]["result"], "exited");
    assert_eq!(v["behaviour"]["same"], false);
}

#[test]
fn unexpected_missing_file_exits_1_unless_allowed() {
    let f = Fake::new();
    let df = f.dockerfile(MERGEABLE);
    f.file(
        "before",
        "usr/share/app/templates/index.html",
        "<html>12345",
    );
    f.file("before", "usr/share/app/templates/about.html", "<html>");
    f.file("before", "etc/app.conf", "port = 8080");
    let a = f.dslim("").arg(&df).assert().code(1);
    let out = String::from_utf8_lossy(&a.get_output().stdout).into_owned();
    assert!(
        out.contains("UNEXPECTED, missing (17 B in 1 path; accept with --allow GLOB):\n"),
        "{out}"
    );
    // The folder as one entry, with its files.
    let row = |size: &str, rest: &str| format!("    {size:>9}  {rest}\n");
    assert!(
        out.contains(&row("17 B", "/usr/share/app  (folder, 2 files)")),
        "{out}"
    );
    assert!(
        out.contains(&row("11 B", "/etc/app.conf  (size: 11 B → 9 B)")),
        "{out}"
    );
    assert!(
        out.contains("DIFFERENT: 1 path unexpectedly missing."),
        "{out}"
    );
    let a = f
        .dslim("")
        .args(["--allow", "/usr/share/app", "--format=json"])
        .arg(&df)
        .assert()
        .success();
    let v = json_of(&a.get_output().stdout);
    assert_eq!(v["files"]["unexpected_missing"], serde_json::json!([]));
    assert_eq!(
        v["files"]["expected"][0]["reason"],
        "allowed by --allow /usr/share/app"
    );
    assert_eq!(v["files"]["expected"][0]["files"], 2);
    assert_eq!(v["files"]["unexpected_changed"][0]["path"], "/etc/app.conf");
    f.dslim("")
        .args(["--allow", "[bad"])
        .arg(&df)
        .assert()
        .code(2)
        .stderr(contains("--allow [bad"));
}

#[test]
fn probe_arguments_are_checked() {
    let f = Fake::new();
    let df = f.dockerfile(MERGEABLE);
    f.dslim("")
        .args(["--probe", "'open"])
        .arg(&df)
        .assert()
        .code(2)
        .stderr(contains("unterminated single quote"));
    f.dslim("")
        .args(["--probe-http", "http"])
        .arg(&df)
        .assert()
        .code(2)
        .stderr(contains("expected PORT[/path]"));
    assert!(f.calls().is_empty(), "nothing built");
}

#[test]
fn failed_build_log_is_kept_in_a_fresh_private_folder() {
    let f = Fake::new();
    let df = f.dockerfile(MERGEABLE);
    let a = f.dslim("before").arg(&df).assert().code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    let log = err
        .lines()
        .find_map(|l| l.trim().strip_prefix("full log: "))
        .unwrap_or_else(|| panic!("{err}"));
    let log = Path::new(log);
    assert!(fs::read_to_string(log).unwrap().contains("boom"));
    let dir = log.parent().unwrap();
    assert!(dir
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("dslim-compare-log-"));
    assert_eq!(dir.parent().unwrap(), f.dir.path(), "in TMPDIR");
    let mode = fs::metadata(dir).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700);
    // A second failure gets another folder.
    let a = f.dslim("before").arg(&df).assert().code(2);
    let err2 = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(!err2.contains(&dir.display().to_string()), "{err2}");
}

#[test]
fn a_context_that_looks_like_an_option_is_an_absolute_path() {
    let f = Fake::new();
    let df = f.dockerfile(MERGEABLE);
    fs::create_dir(f.dir.path().join("--file=evil")).unwrap();
    f.dslim("")
        .current_dir(f.dir.path())
        .arg("--context=--file=evil")
        .arg(&df)
        .assert()
        .success();
    for call in f.calls_to("bud") {
        let n = call.len();
        assert_eq!(call[n - 2], "--", "{call:?}");
        let ctx = Path::new(&call[n - 1]);
        assert!(ctx.is_absolute(), "{call:?}");
        assert_eq!(ctx.file_name().unwrap(), "--file=evil");
        assert!(!call.iter().any(|a| a.starts_with("--file")), "{call:?}");
    }
}

#[test]
fn dslim_toml_is_read_as_fix_reads_it() {
    let f = Fake::new();
    let df = f.dockerfile(MERGEABLE);
    fs::write(
        f.dir.path().join("app/dslim.toml"),
        "ignore = [\"DS001\"]\n",
    )
    .unwrap();
    let a = f.dslim("").arg("--format=json").arg(&df).assert().success();
    let v = json_of(&a.get_output().stdout);
    assert_eq!(
        v["changed"], false,
        "DS001 ignored by the project's dslim.toml"
    );
    let a = f
        .dslim("")
        .args(["--no-config", "--format=json"])
        .arg(&df)
        .assert()
        .success();
    assert_eq!(json_of(&a.get_output().stdout)["changed"], true);
}

#[test]
fn builder_buildah_implies_target_buildah() {
    let f = Fake::new();
    // Cache mounts for apt: BuildKit takes two locked mounts, buildah only
    // one (transforms/builders.toml, locked-last-only).
    let src = "# syntax=docker/dockerfile:1\nFROM debian\n\
               RUN apt-get update && apt-get install -y --no-install-recommends curl\n";
    let df = f.dockerfile(src);
    fs::write(
        f.dir.path().join("app/dslim.toml"),
        "cache-style = \"mount\"\n",
    )
    .unwrap();
    f.dslim("").arg(&df).assert().success();
    let built = fs::read_to_string(f.state().join("after.Dockerfile")).unwrap();
    let fixed = common_fix(&df, &["--target", "buildah"]);
    assert_eq!(built, fixed);
    let buildkit = common_fix(&df, &["--target", "buildkit"]);
    assert_ne!(built, buildkit, "the target makes a difference here");
    // An explicit --target wins.
    f.dslim("")
        .args(["--target", "buildkit"])
        .arg(&df)
        .assert()
        .success();
    let built = fs::read_to_string(f.state().join("after.Dockerfile")).unwrap();
    assert_eq!(built, buildkit);
}

/// `dslim fix --diff`-free: the fixed text of `df` on stdout (`fix -`).
fn common_fix(df: &Path, extra: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dslim"))
        .current_dir(df.parent().unwrap())
        .args(["fix", "--stdin-filename"])
        .arg(df)
        .args(extra)
        .arg("-")
        .stdin(fs::File::open(df).unwrap())
        .output()
        .unwrap();
    assert!(out.status.code().is_some_and(|c| c < 2), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}
