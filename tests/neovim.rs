//! A real editor on `dslim server`: Neovim headless with its built-in LSP
//! client (`vim.lsp.start_client`, so Debian bookworm's 0.7.2 works) opens
//! a Dockerfile, waits for diagnostics, applies the DS001 quick fix and
//! formats on save. The file written must be `dslim fix --select DS001`
//! then `dslim fmt` of the original.
//!
//! Without `nvim` the test says so and passes, unless
//! `DSLIM_REQUIRE_NEOVIM=1` (CI installs Debian's `neovim` and sets it).

mod common;

use std::process::Command;

use common::{dslim, write};

fn filter(dir: &std::path::Path, args: &[&str], text: &str) -> String {
    let out = dslim()
        .current_dir(dir)
        .args(args)
        .arg("-")
        .write_stdin(text.as_bytes().to_vec())
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// Whether `nvim` runs (its version printed); a printed skip otherwise,
/// a failure under `DSLIM_REQUIRE_NEOVIM=1`.
fn have_nvim() -> bool {
    let required = std::env::var("DSLIM_REQUIRE_NEOVIM").is_ok_and(|v| v == "1");
    let version = Command::new("nvim").arg("--version").output();
    let Some(version) = version.ok().filter(|o| o.status.success()) else {
        assert!(!required, "DSLIM_REQUIRE_NEOVIM=1 but `nvim` does not run");
        eprintln!("skipped: `nvim` is not installed (Debian: apt-get install neovim)");
        return false;
    };
    eprintln!(
        "{}",
        String::from_utf8_lossy(&version.stdout)
            .lines()
            .next()
            .unwrap_or("")
    );
    true
}

/// Runs `tests/data/<script>` headless on `dir`; what it logged.
fn run_script(dir: &std::path::Path, script: &str) -> String {
    let script = format!("{}/tests/data/{script}", env!("CARGO_MANIFEST_DIR"));
    // Outside `dir`: the test reads back only the files it wrote there.
    let xdg = tempfile::tempdir().unwrap();
    let status = Command::new("nvim")
        .args(["--headless", "--clean", "-c"])
        .arg(format!("luafile {script}"))
        .env("DSLIM_EXE", env!("CARGO_BIN_EXE_dslim"))
        .env("TEST_DIR", dir)
        // Each test its own data, state and cache folders: tests running
        // at once shared `~/.local/share/nvim` (swap files: E303).
        .env("XDG_DATA_HOME", xdg.path().join("data"))
        .env("XDG_STATE_HOME", xdg.path().join("state"))
        .env("XDG_CACHE_HOME", xdg.path().join("cache"))
        .current_dir(dir)
        .stdin(std::process::Stdio::null())
        .status()
        .unwrap();
    let seen = std::fs::read_to_string(dir.join("nvim.out")).unwrap_or_default();
    assert!(status.success(), "nvim failed:\n{seen}");
    seen
}

/// Settings from Neovim's `settings` table reach the server, and the
/// `dslim.fixAll` command's `workspace/applyEdit` is applied by Neovim.
#[test]
fn neovim_settings_and_fix_all_command() {
    if !have_nvim() {
        return;
    }
    let text = "FROM debian:bookworm\nRUN apt-get update\nRUN apt-get install -y curl\n";
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    write(dir.path(), "Dockerfile", text);
    let seen = run_script(dir.path(), "neovim-settings.lua");
    assert!(
        seen.lines()
            .any(|l| l == "commands dslim.fixAll dslim.fixAllUnsafe"),
        "{seen}"
    );
    let buffer: Vec<&str> = seen
        .lines()
        .skip_while(|l| *l != "buffer")
        .skip(1)
        .collect();
    // `select = ["DS001"]`: only the merge, not the other safe fixes.
    let want = filter(dir.path(), &["fix", "--select", "DS001"], text);
    assert_ne!(want, filter(dir.path(), &["fix"], text));
    assert_eq!(buffer.join("\n") + "\n", want);
}

#[test]
fn neovim_quick_fix_and_format_on_save() {
    if !have_nvim() {
        return;
    }
    let text = "from debian:bookworm\nRUN apt-get update\nRUN apt-get install -y curl\n";
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let file = write(dir.path(), "Dockerfile", text);
    let seen = run_script(dir.path(), "neovim-lsp.lua");
    assert!(seen.lines().any(|l| l == "diag DS001 1"), "{seen}");
    let merged = filter(dir.path(), &["fix", "--select", "DS001"], text);
    let want = filter(dir.path(), &["fmt"], &merged);
    assert_ne!(want, text);
    assert!(
        want.starts_with("FROM debian:bookworm\nRUN apt-get update"),
        "{want}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), want);
    let buffer: Vec<&str> = seen
        .lines()
        .skip_while(|l| *l != "buffer")
        .skip(1)
        .collect();
    assert_eq!(buffer.join("\n") + "\n", want);
}
