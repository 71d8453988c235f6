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
