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

/// A Node project at `dir`: `Dockerfile` copies the whole context, so
/// DS203 proposes a `.dockerignore`.
fn node_repo(dir: &Path) -> std::path::PathBuf {
    write(dir, "package.json", r#"{"name":"app"}"#);
    write(dir, "package-lock.json", "{}");
    write(
        dir,
        "Dockerfile",
        "FROM node:20\nWORKDIR /app\nCOPY . .\nCMD [\"node\", \"server.js\"]\n",
    )
}

#[cfg(unix)]
#[test]
fn symlinked_dockerignore_leaving_the_repository_is_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let victim = write(dir.path(), "victim/important.conf", "keep me\n");
    let repo = dir.path().join("repo");
    node_repo(&repo);
    fs::create_dir(repo.join(".git")).unwrap();
    write(&repo, "dslim.toml", "context = \".\"\nunsafe = true\n");
    std::os::unix::fs::symlink("../victim/important.conf", repo.join(".dockerignore")).unwrap();
    let a = dslim()
        .current_dir(&repo)
        .args(["fix", "--write", "."])
        .assert()
        .code(2);
    assert_eq!(read(&victim), "keep me\n");
    let err = stderr_of(&a);
    assert!(
        err.contains(".dockerignore: error: a symlink to `")
            && err.contains("outside the repository"),
        "{err}"
    );
    // The diff does not show it either.
    let a = dslim()
        .current_dir(&repo)
        .args(["fix", "."])
        .assert()
        .code(2);
    assert!(
        !stdout_of(&a).contains(".dockerignore"),
        "{}",
        stdout_of(&a)
    );
    assert_eq!(read(&victim), "keep me\n");
}

#[test]
fn config_context_outside_the_repository_gets_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim");
    write(&victim, "package.json", r#"{"name":"v"}"#);
    let repo = dir.path().join("repo");
    node_repo(&repo);
    fs::create_dir(repo.join(".git")).unwrap();
    write(&repo, "dslim.toml", "context = \"../victim\"\n");
    let a = dslim()
        .current_dir(&repo)
        .args(["fix", "--write", "."])
        .assert()
        .code(2);
    assert!(!victim.join(".dockerignore").exists());
    let err = stderr_of(&a);
    assert!(err.contains("outside the repository"), "{err}");
    assert!(
        err.contains("`--context` named on the command line"),
        "{err}"
    );
    // Named on the command line, the same folder may be written.
    dslim()
        .current_dir(&repo)
        .args(["fix", "--write", "--context", "../victim", "."])
        .assert()
        .code(0);
    assert!(victim.join(".dockerignore").exists());
}

#[cfg(unix)]
#[test]
fn symlinked_dockerfile_leaving_the_repository_is_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let outside = write(dir.path(), "outside/Dockerfile", MERGEABLE);
    let repo = dir.path().join("repo");
    fs::create_dir_all(repo.join(".git")).unwrap();
    std::os::unix::fs::symlink("../outside/Dockerfile", repo.join("Dockerfile")).unwrap();
    let a = dslim()
        .current_dir(&repo)
        .args(["fix", "--write", "Dockerfile"])
        .assert()
        .code(2);
    assert_eq!(read(&outside), MERGEABLE);
    assert!(stderr_of(&a).contains("outside the repository"));
    assert!(
        stderr_of(&a).contains("Not written: 1 file"),
        "{}",
        stderr_of(&a)
    );
    // A link inside the repository is written through.
    write(&repo, "real/Dockerfile", MERGEABLE);
    fs::remove_file(repo.join("Dockerfile")).unwrap();
    std::os::unix::fs::symlink("real/Dockerfile", repo.join("Dockerfile")).unwrap();
    dslim()
        .current_dir(&repo)
        .args(["fix", "--write", "Dockerfile"])
        .assert()
        .code(0);
    assert_ne!(read(&repo.join("real/Dockerfile")), MERGEABLE);
}

#[test]
fn check_output_never_replaces_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let df = write(dir.path(), "Dockerfile.prod", MERGEABLE);
    let a = dslim()
        .current_dir(dir.path())
        .args(["check", "-o", "Dockerfile.prod", "Dockerfile.prod"])
        .assert()
        .code(2);
    assert_eq!(read(&df), MERGEABLE);
    assert!(
        stderr_of(&a).contains("Dockerfile.prod: error: is the input `Dockerfile.prod`"),
        "{}",
        stderr_of(&a)
    );
    // Found by walking, or named through a symlink: still the input.
    dslim()
        .current_dir(dir.path())
        .args(["check", "-o", "./Dockerfile.prod", "."])
        .assert()
        .code(2);
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("Dockerfile.prod", dir.path().join("report.txt")).unwrap();
        dslim()
            .current_dir(dir.path())
            .args(["check", "-o", "report.txt", "Dockerfile.prod"])
            .assert()
            .code(2);
        fs::remove_file(dir.path().join("report.txt")).unwrap();
    }
    assert_eq!(read(&df), MERGEABLE);
    // Another path gets the report, atomically, nothing left beside it.
    dslim()
        .current_dir(dir.path())
        .args(["check", "-o", "report.txt", "Dockerfile.prod"])
        .assert()
        .code(1);
    assert!(read(&dir.path().join("report.txt")).contains("DS001"));
    let tmp: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".dslim-")
        })
        .collect();
    assert!(tmp.is_empty());
}

#[cfg(unix)]
#[test]
fn check_output_replaces_a_symlink_instead_of_following_it() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", MERGEABLE);
    let victim = write(dir.path(), "victim.conf", "keep me\n");
    std::os::unix::fs::symlink("victim.conf", dir.path().join("report.txt")).unwrap();
    dslim()
        .current_dir(dir.path())
        .args(["check", "-o", "report.txt", "Dockerfile"])
        .assert()
        .code(1);
    assert_eq!(read(&victim), "keep me\n");
    let report = dir.path().join("report.txt");
    assert!(!fs::symlink_metadata(&report)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(read(&report).contains("DS001"));
}

#[test]
fn config_values_out_of_range_are_errors_with_a_location() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", MERGEABLE);
    for (toml, want) in [
        (
            "[format]\nindent = 100000000000\n",
            "dslim.toml:2:10: error: bad value for `format.indent`: 100000000000 is out of range (1–16 spaces)",
        ),
        (
            "[format]\nindent = 0\n",
            "dslim.toml:2:10: error: bad value for `format.indent`: 0 is out of range",
        ),
        (
            "[format]\nindent = -3\n",
            "dslim.toml:2:10: error: bad value for `format.indent`: -3 is out of range",
        ),
        (
            "max-file-size = 0\n",
            "dslim.toml:1:17: error: bad value for `max-file-size`: 0 bytes is out of range",
        ),
        (
            "max-file-size = \"2 TiB\"\n",
            "dslim.toml:1:17: error: bad value for `max-file-size`: unknown unit",
        ),
        (
            "max-file-size = \"5 GiB\"\n",
            "dslim.toml:1:17: error: bad value for `max-file-size`: 5368709120 bytes is out of range (1 byte–1 GiB)",
        ),
    ] {
        write(dir.path(), "dslim.toml", toml);
        for cmd in ["fmt", "fix", "check"] {
            let a = dslim()
                .current_dir(dir.path())
                .args([cmd, "Dockerfile"])
                .assert()
                .code(2);
            assert!(stderr_of(&a).contains(want), "{cmd} {toml}: {}", stderr_of(&a));
        }
    }
    write(dir.path(), "dslim.toml", "[format]\nindent = 16\n");
    dslim()
        .current_dir(dir.path())
        .args(["fmt", "Dockerfile"])
        .assert()
        .code(0);
}

#[cfg(unix)]
#[test]
fn only_regular_files_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("Dockerfile");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    for args in [&["fix", "--write"][..], &["check"], &["fmt", "--write"]] {
        let a = dslim()
            .current_dir(dir.path())
            .args(args)
            .arg("Dockerfile")
            .assert()
            .code(2);
        assert!(
            stderr_of(&a).contains("Dockerfile: error: a FIFO (named pipe), not a regular file"),
            "{args:?}: {}",
            stderr_of(&a)
        );
    }
    use std::os::unix::fs::FileTypeExt;
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    // A device is never read either (it would fill memory).
    let a = dslim().args(["check", "/dev/zero"]).assert().code(2);
    assert!(
        stderr_of(&a).contains("/dev/zero: error: a character device, not a regular file"),
        "{}",
        stderr_of(&a)
    );
}

#[test]
fn input_size_is_capped() {
    let dir = tempfile::tempdir().unwrap();
    let mut big = String::from("FROM scratch\n");
    while big.len() <= 8 << 20 {
        big.push_str("# padding padding padding padding padding padding padding\n");
    }
    write(dir.path(), "Dockerfile", &big);
    let a = dslim()
        .current_dir(dir.path())
        .args(["check", "Dockerfile"])
        .assert()
        .code(2);
    assert!(
        stderr_of(&a).contains("Dockerfile: error: larger than 8 MiB (`max-file-size`); not read"),
        "{}",
        stderr_of(&a)
    );
    // Stdin too.
    let a = dslim()
        .args(["check", "-"])
        .pipe_stdin(dir.path().join("Dockerfile"))
        .unwrap()
        .assert()
        .code(2);
    assert!(
        stderr_of(&a).contains("larger than 8 MiB"),
        "{}",
        stderr_of(&a)
    );
    // The configuration sets the cap.
    write(dir.path(), "small/Dockerfile", MERGEABLE);
    write(dir.path(), "small/dslim.toml", "max-file-size = 32\n");
    let a = dslim()
        .current_dir(dir.path())
        .args(["fix", "small/Dockerfile"])
        .assert()
        .code(2);
    assert!(
        stderr_of(&a).contains("larger than 32 bytes"),
        "{}",
        stderr_of(&a)
    );
    write(
        dir.path(),
        "small/dslim.toml",
        "max-file-size = \"1 KiB\"\n",
    );
    dslim()
        .current_dir(dir.path())
        .args(["check", "small/Dockerfile"])
        .assert()
        .code(1);
}

#[cfg(unix)]
fn mode_of(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(p).unwrap().permissions().mode() & 0o7777
}

#[cfg(unix)]
#[test]
fn write_keeps_owner_group_and_extended_attributes() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let df = write(dir.path(), "Dockerfile", MERGEABLE);
    let root = unsafe { libc::geteuid() } == 0;
    if root {
        std::os::unix::fs::chown(&df, Some(65534), Some(65534)).unwrap();
    }
    let before = fs::metadata(&df).unwrap();
    // A user attribute, where the file system takes one.
    let c = std::ffi::CString::new(df.to_str().unwrap()).unwrap();
    let name = c"user.dslim-test";
    let has_xattr =
        unsafe { libc::setxattr(c.as_ptr(), name.as_ptr(), b"kept".as_ptr().cast(), 4, 0) } == 0;
    dslim().args(["fix", "--write"]).arg(&df).assert().code(0);
    assert_ne!(read(&df), MERGEABLE);
    let after = fs::metadata(&df).unwrap();
    assert_eq!((after.uid(), after.gid()), (before.uid(), before.gid()));
    if root {
        assert_eq!((after.uid(), after.gid()), (65534, 65534));
    }
    if has_xattr {
        let mut buf = [0u8; 16];
        let n = unsafe {
            libc::getxattr(
                c.as_ptr(),
                name.as_ptr(),
                buf.as_mut_ptr().cast(),
                buf.len(),
            )
        };
        assert_eq!(n, 4, "the extended attribute was dropped");
        assert_eq!(&buf[..4], b"kept");
    } else {
        eprintln!("note: this file system takes no user.* extended attributes");
    }
}

#[cfg(unix)]
#[test]
fn hard_linked_file_is_refused_not_split() {
    let dir = tempfile::tempdir().unwrap();
    let df = write(dir.path(), "Dockerfile", MERGEABLE);
    let other = dir.path().join("Dockerfile.copy");
    fs::hard_link(&df, &other).unwrap();
    let a = dslim()
        .current_dir(dir.path())
        .args(["fix", "--write", "Dockerfile"])
        .assert()
        .code(2);
    let err = stderr_of(&a);
    assert!(
        err.contains("Dockerfile: error: has 2 hard links: replacing it would split them"),
        "{err}"
    );
    assert!(err.contains("Not written: 1 file"), "{err}");
    assert!(!err.contains("No fixes to apply"), "{err}");
    assert_eq!(read(&df), MERGEABLE);
    assert_eq!(read(&other), MERGEABLE);
    write(dir.path(), "f/Dockerfile", "from scratch\n");
    fs::hard_link(dir.path().join("f/Dockerfile"), dir.path().join("f/x")).unwrap();
    dslim()
        .current_dir(dir.path())
        .args(["fmt", "--write", "f/Dockerfile"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("hard links"));
    assert_eq!(read(&dir.path().join("f/x")), "from scratch\n");
}

#[cfg(unix)]
#[test]
fn read_only_file_is_refused_unless_forced() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let df = write(dir.path(), "Dockerfile", MERGEABLE);
    fs::set_permissions(&df, fs::Permissions::from_mode(0o444)).unwrap();
    let a = dslim()
        .current_dir(dir.path())
        .args(["fix", "--write", "Dockerfile"])
        .assert()
        .code(2);
    assert!(
        stderr_of(&a).contains(
            "Dockerfile: error: read-only (mode 0444); not written (use `--force` to write it anyway)"
        ),
        "{}",
        stderr_of(&a)
    );
    assert_eq!(read(&df), MERGEABLE);
    dslim()
        .current_dir(dir.path())
        .args(["fix", "--write", "--force", "Dockerfile"])
        .assert()
        .code(0);
    assert_ne!(read(&df), MERGEABLE);
    assert_eq!(mode_of(&df), 0o444);
}

#[test]
fn leftover_temporary_files_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", MERGEABLE);
    // A process id no system has, and the name older versions used.
    let dead = write(dir.path(), ".dslim-4000000000-AbCdEf.tmp", "x");
    let old = write(dir.path(), ".dslim-Xy12Zw.tmp", "x");
    // One of a running process (this test) is someone's write in flight.
    let live = write(
        dir.path(),
        &format!(".dslim-{}-AbCdEf.tmp", std::process::id()),
        "x",
    );
    let a = dslim()
        .current_dir(dir.path())
        .args(["fix", "--write", "."])
        .assert()
        .code(0);
    let err = stderr_of(&a);
    assert!(
        err.contains(
            ".dslim-4000000000-AbCdEf.tmp: note: temporary file left by an interrupted dslim run"
        ),
        "{err}"
    );
    assert!(err.contains(".dslim-Xy12Zw.tmp: note:"), "{err}");
    assert!(
        !err.contains(&format!(".dslim-{}-", std::process::id())),
        "{err}"
    );
    // Reported, not removed: a person decides.
    assert!(dead.exists() && old.exists() && live.exists());
}

#[test]
fn decoding_errors_give_line_col_and_name_utf16() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", b"FROM a:1\nRUN echo h\xc3llo\n");
    let a = dslim()
        .current_dir(dir.path())
        .args(["check", "Dockerfile"])
        .assert()
        .code(2);
    assert!(
        stderr_of(&a).contains("Dockerfile:2:11: error: not valid UTF-8 (byte 0xC3 at offset 19)"),
        "{}",
        stderr_of(&a)
    );
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("FROM a\n".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    write(dir.path(), "Dockerfile", utf16);
    for cmd in ["check", "fix", "fmt"] {
        let a = dslim()
            .current_dir(dir.path())
            .args([cmd, "Dockerfile"])
            .assert()
            .code(2);
        assert!(
            stderr_of(&a).contains(
                "Dockerfile: error: UTF-16LE text (byte-order mark at the start); dslim reads \
                 UTF-8 only (convert it: `iconv -f UTF-16LE -t UTF-8`)"
            ),
            "{cmd}: {}",
            stderr_of(&a)
        );
    }
}

#[cfg(unix)]
#[test]
fn failed_write_names_the_file_and_counts_it() {
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().unwrap();
    let df = write(dir.path(), "Dockerfile", MERGEABLE);
    // A file-size limit of 16 bytes fails the temporary file's write, as
    // a full disk would (root included); SIGXFSZ ignored so write(2)
    // returns EFBIG instead.
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_dslim"));
    c.current_dir(dir.path())
        .args(["fix", "--write", "Dockerfile"])
        .env("NO_COLOR", "1");
    unsafe {
        c.pre_exec(|| {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let lim = libc::rlimit {
                rlim_cur: 16,
                rlim_max: 16,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let out = c.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with("Dockerfile: error: File too large"),
        "{err}"
    );
    assert!(!err.contains(".dslim-"), "{err}");
    assert!(!err.contains("No fixes to apply"), "{err}");
    assert!(err.contains("Not written: 1 file"), "{err}");
    assert_eq!(read(&df), MERGEABLE);
    let left: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with(".dslim-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn dockerignore_that_is_not_a_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    node_repo(dir.path());
    fs::create_dir(dir.path().join(".dockerignore")).unwrap();
    let a = dslim()
        .current_dir(dir.path())
        .args(["fix", "--write", "--context", ".", "Dockerfile"])
        .assert()
        .code(2);
    let err = stderr_of(&a);
    assert!(
        err.contains(".dockerignore: error: a directory; not written"),
        "{err}"
    );
    assert!(!err.contains("changed on disk"), "{err}");
    #[cfg(unix)]
    {
        fs::remove_dir(dir.path().join(".dockerignore")).unwrap();
        std::os::unix::fs::symlink("gone.txt", dir.path().join(".dockerignore")).unwrap();
        let a = dslim()
            .current_dir(dir.path())
            .args(["fix", "--write", "--context", ".", "Dockerfile"])
            .assert()
            .code(2);
        let err = stderr_of(&a);
        assert!(
            err.contains(".dockerignore: error: a symlink to `gone.txt`, which does not exist"),
            "{err}"
        );
        assert!(!dir.path().join("gone.txt").exists());
    }
}

#[test]
fn context_must_be_an_existing_folder() {
    let dir = tempfile::tempdir().unwrap();
    node_repo(dir.path());
    for (ctx, what) in [
        ("nope", "does not exist"),
        ("package.json", "is a regular file, not a folder"),
    ] {
        let a = dslim()
            .current_dir(dir.path())
            .args(["check", "--context", ctx, "Dockerfile"])
            .assert()
            .code(2);
        assert!(
            stderr_of(&a).contains(&format!("error: --context `{ctx}` {what}")),
            "{}",
            stderr_of(&a)
        );
        write(
            dir.path(),
            "dslim.toml",
            format!("select = []\ncontext = \"{ctx}\"\n"),
        );
        let a = dslim()
            .current_dir(dir.path())
            .args(["fix", "Dockerfile"])
            .assert()
            .code(2);
        assert!(
            stderr_of(&a).contains(&format!(
                "dslim.toml:2:11: error: bad value for `context`: `{ctx}` {what}"
            )),
            "{}",
            stderr_of(&a)
        );
        fs::remove_file(dir.path().join("dslim.toml")).unwrap();
    }
}

#[test]
fn sarif_is_unsuccessful_when_a_path_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", MERGEABLE);
    let a = dslim()
        .current_dir(dir.path())
        .args([
            "check",
            "--format",
            "sarif",
            "Dockerfile",
            "missing/Dockerfile",
        ])
        .assert()
        .code(2);
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&a)).unwrap();
    let inv = &v["runs"][0]["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false, "{inv}");
    let n = &inv["toolExecutionNotifications"][0];
    assert!(
        n["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with("missing/Dockerfile: "),
        "{n}"
    );
    // A broken configuration too.
    write(dir.path(), "dslim.toml", "bogus = 1\n");
    let a = dslim()
        .current_dir(dir.path())
        .args(["check", "--format", "sarif", "Dockerfile"])
        .assert()
        .code(2);
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&a)).unwrap();
    assert_eq!(v["runs"][0]["invocations"][0]["executionSuccessful"], false);
}

#[test]
fn debug_roundtrip_and_parse_read_stdin() {
    let src = "\u{feff}FROM a\r\nRUN echo \\\r\n  hi\r\n";
    dslim()
        .args(["debug", "roundtrip", "-"])
        .write_stdin(src)
        .assert()
        .code(0)
        .stdout("roundtrip: 1 of 1 files identical\n");
    dslim()
        .args(["debug", "roundtrip", "-"])
        .write_stdin(&b"FROM a\n\xff\n"[..])
        .assert()
        .code(1)
        .stdout("-: not UTF-8\nroundtrip: 0 of 1 files identical\n");
    let a = dslim()
        .args(["debug", "parse", "-"])
        .write_stdin("FROM a\n")
        .assert()
        .code(0);
    let v: serde_json::Value = serde_json::from_str(stdout_of(&a).trim()).unwrap();
    assert_eq!(v["path"], "-", "{v}");
    dslim()
        .args(["debug", "roundtrip", "-", "Dockerfile"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot be combined"));
}

#[test]
fn config_discovery_stops_at_the_home_directory() {
    let dir = tempfile::tempdir().unwrap();
    // No `.git` anywhere: a file above the home directory is not looked at.
    write(dir.path(), "dslim.toml", "ignore = [\"ALL\"]\n");
    let home = dir.path().join("home");
    write(&home, "proj/Dockerfile", MERGEABLE);
    let a = dslim()
        .current_dir(home.join("proj"))
        .env("HOME", &home)
        .args(["check", "--format", "concise", "Dockerfile"])
        .assert()
        .code(1);
    assert!(stdout_of(&a).contains("DS001"), "{}", stdout_of(&a));
    // The home directory's own file is.
    write(&home, "dslim.toml", "ignore = [\"ALL\"]\n");
    dslim()
        .current_dir(home.join("proj"))
        .env("HOME", &home)
        .args(["check", "Dockerfile"])
        .assert()
        .code(0);
    // Outside the home directory, discovery goes on up.
    let other = dir.path().join("other");
    write(&other, "Dockerfile", MERGEABLE);
    dslim()
        .current_dir(&other)
        .env("HOME", &home)
        .args(["check", "Dockerfile"])
        .assert()
        .code(0);
}

#[cfg(unix)]
#[test]
fn odd_file_names_are_processed_and_shown_on_one_line() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let bad = dir
        .path()
        .join(std::ffi::OsStr::from_bytes(b"Dockerfile.\xff"));
    fs::write(&bad, MERGEABLE).unwrap();
    write(dir.path(), "Dockerfile.a\nb:1:1: DS999 forged", MERGEABLE);
    let a = dslim()
        .current_dir(dir.path())
        .args(["check", "--format", "concise", "."])
        .assert()
        .code(1);
    let out = stdout_of(&a);
    assert!(out.contains("Dockerfile.\\xFF:2:1: DS001"), "{out}");
    assert!(
        out.contains("Dockerfile.a\\nb:1:1: DS999 forged:2:1: DS001"),
        "{out}"
    );
    assert!(!out.lines().any(|l| l.starts_with("b:1:1")), "{out}");
    // Fixing writes the real file.
    dslim()
        .current_dir(dir.path())
        .args(["fix", "--write", "."])
        .assert()
        .code(0);
    assert_ne!(fs::read(&bad).unwrap(), MERGEABLE.as_bytes());
}

#[test]
fn data_table_errors_have_a_location() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", MERGEABLE);
    for (toml, want) in [
        (
            "select = []\n\n[package-managers.apt]\ncleanup = 3\n",
            "dslim.toml:3:1: error: invalid type: integer `3`, expected a string",
        ),
        (
            "[package-managers]\nnpm = 1\n",
            "dslim.toml:2:1: error: invalid type: integer `1`",
        ),
    ] {
        write(dir.path(), "dslim.toml", toml);
        let a = dslim()
            .current_dir(dir.path())
            .args(["check", "Dockerfile"])
            .assert()
            .code(2);
        assert!(stderr_of(&a).contains(want), "{toml}: {}", stderr_of(&a));
    }
}
