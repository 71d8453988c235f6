//! Helpers the CLI test files share (each test file is its own crate and
//! uses a subset, hence the allowance for unused items).
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// `dslim` with the colour settings and every `DSLIM_*` variable of the
/// environment removed, so a developer's shell cannot change the outcome.
pub fn dslim() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dslim"));
    c.env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE");
    for (k, _) in std::env::vars() {
        if k.starts_with("DSLIM_") {
            c.env_remove(k);
        }
    }
    c
}

/// Writes `content` to `dir/rel`, creating folders.
pub fn write(dir: &Path, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(rel);
    if let Some(parent) = p.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(&p, content).unwrap();
    p
}

pub fn read(p: &Path) -> String {
    fs::read_to_string(p).unwrap()
}

pub fn stdout_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.get_output().stdout.clone()).unwrap()
}

pub fn stderr_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.get_output().stderr.clone()).unwrap()
}

/// Why buildah cannot run here, if it cannot: the real-buildah tests need
/// buildah on `PATH` and root (they run it rootful, chroot isolation).
pub fn buildah_unavailable() -> Option<String> {
    let v = std::process::Command::new("buildah")
        .arg("--version")
        .output();
    if !v.is_ok_and(|o| o.status.success()) {
        return Some("buildah is not installed (not on PATH)".into());
    }
    let id = std::process::Command::new("id").arg("-u").output().ok()?;
    if String::from_utf8_lossy(&id.stdout).trim() != "0" {
        return Some("not running as root (the test runs buildah rootful)".into());
    }
    None
}

/// Whether a real-buildah test may run: without buildah or root it prints a
/// notice and returns false, unless `DSLIM_REQUIRE_BUILDAH=1` (CI), which
/// makes that a failure.
pub fn can_run_buildah(test: &str) -> bool {
    match buildah_unavailable() {
        None => true,
        Some(why) if std::env::var_os("DSLIM_REQUIRE_BUILDAH").is_some_and(|v| v == "1") => {
            panic!("DSLIM_REQUIRE_BUILDAH=1 but {why}")
        }
        Some(why) => {
            // Straight to the process's stderr: libtest captures only the
            // print macros, so this shows even in a passing run ("ok" alone
            // would hide that nothing was tested).
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED {test}: {why} (set DSLIM_REQUIRE_BUILDAH=1 to fail instead)"
            );
            false
        }
    }
}

/// Writes `<dir>/storage.conf` pointing buildah at private vfs storage
/// under `<dir>/storage` (set `CONTAINERS_STORAGE_CONF` to it), so a test
/// never sees or touches the user's images.
pub fn private_buildah_storage(dir: &Path) -> PathBuf {
    let st = dir.join("storage");
    let conf = dir.join("storage.conf");
    std::fs::write(
        &conf,
        format!(
            "[storage]\ndriver = \"vfs\"\ngraphroot = \"{}\"\nrunroot = \"{}\"\n",
            st.join("graph").display(),
            st.join("run").display()
        ),
    )
    .unwrap();
    conf
}

/// Copies `bin` and the shared libraries `ldd` lists for it to the same
/// paths under `root` (a static binary has none).
pub fn copy_with_libraries(bin: &Path, root: &Path) {
    let mut files = vec![bin.to_path_buf()];
    let out = std::process::Command::new("ldd")
        .arg(bin)
        .output()
        .expect("ldd, to find the libraries of the binaries the image needs");
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        // `libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)` or
        // `/lib64/ld-linux-x86-64.so.2 (0x…)`.
        let path = match line.split_once("=>") {
            Some((_, r)) => r.split_whitespace().next(),
            None => line.split_whitespace().next(),
        };
        if let Some(p) = path.filter(|p| p.starts_with('/')) {
            files.push(PathBuf::from(p));
        }
    }
    for f in files {
        let dest = root.join(f.strip_prefix("/").unwrap());
        fs::create_dir_all(dest.parent().unwrap()).unwrap();
        // fs::copy follows symlinks: the file itself, with its mode.
        fs::copy(&f, &dest).unwrap_or_else(|e| panic!("copy {}: {e}", f.display()));
    }
}
