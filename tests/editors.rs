//! The format-on-save recipes of README › Integrations, run for real: the
//! exact snippet after `<!-- editor-test: NAME -->` in README.md is
//! installed where the README says, the editor (Vim, Neovim; headless)
//! opens a Dockerfile, adds a line, saves and quits, and the bytes on disk
//! are checked:
//!
//! - a messy file is saved as `dslim fmt` of the buffer, with the
//!   `dslim.toml` next to the file (not the editor's working directory);
//! - with a broken `dslim.toml`, a buffer that does not parse, or no
//!   `dslim` on `PATH`, the buffer is saved as it was (not emptied, no
//!   error text in it) and the editor says why.
//!
//! Without the editor the test says so and passes, unless
//! `DSLIM_REQUIRE_VIM=1` / `DSLIM_REQUIRE_NEOVIM=1` (`.ci/run` installs
//! both and sets them).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{dslim, write};

/// The fenced block right after `<!-- editor-test: NAME -->`, dedented.
fn snippet(name: &str) -> String {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let marker = format!("<!-- editor-test: {name} -->");
    let mut lines = readme.lines().skip_while(|l| l.trim() != marker).skip(1);
    let fence = lines
        .next()
        .unwrap_or_else(|| panic!("README.md has no `{marker}`"));
    let indent = fence.len() - fence.trim_start().len();
    assert!(
        fence.trim_start().starts_with("```"),
        "`{marker}` must be followed by a fenced block, found {fence:?}"
    );
    let mut out = String::new();
    for l in lines {
        if l.trim() == "```" {
            assert!(!out.is_empty(), "empty snippet {name}");
            return out;
        }
        out.push_str(l.get(indent..).unwrap_or(l.trim_start()));
        out.push('\n');
    }
    panic!("the snippet `{marker}` is not closed");
}

/// The editor's version line, or `None` (skip, said) when it does not run.
fn editor(exe: &str, require: &str) -> Option<String> {
    let required = std::env::var(require).is_ok_and(|v| v == "1");
    let out = Command::new(exe).arg("--version").output();
    let Some(out) = out.ok().filter(|o| o.status.success()) else {
        assert!(!required, "{require}=1 but `{exe}` does not run");
        eprintln!("skipped: `{exe}` is not installed (Debian: apt-get install vim-nox neovim)");
        return None;
    };
    let v = String::from_utf8_lossy(&out.stdout)
        .lines()
        .next()
        .unwrap_or("")
        .to_string();
    eprintln!("{v}");
    Some(v)
}

/// Unformatted: keyword case, spacing, a continuation, non-ASCII.
const MESSY: &str = "from debian:bookworm\n\
run  apt-get update &&  \\\n  apt-get install -y curl\n\
# café ☕\n\
cmd  [\"curl\"]\n";
const UNPARSABLE: &str = "FROM debian\nRUN <<EOF\necho never closed\n";
/// What the editor adds before saving (so a failed format still saves the
/// buffer as edited).
const ADDED: &str = "label  x=1";

struct Setup {
    dir: tempfile::TempDir,
    /// Holds a link `dslim` to the binary under test.
    bin: PathBuf,
}

impl Setup {
    fn new() -> Setup {
        let dir = tempfile::tempdir().unwrap();
        // A repository root: no configuration above it applies.
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        let bin = dir.path().join("bin");
        std::fs::create_dir(&bin).unwrap();
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_dslim"), bin.join("dslim")).unwrap();
        std::fs::create_dir(dir.path().join("home")).unwrap();
        Setup { dir, bin }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    /// `PATH` with or without dslim (the system folders for `sh`).
    fn path(&self, with_dslim: bool) -> String {
        for d in ["/usr/bin", "/bin"] {
            assert!(
                !Path::new(d).join("dslim").exists(),
                "a dslim in {d} makes the no-dslim case meaningless"
            );
        }
        let sys = "/usr/bin:/bin";
        if with_dslim {
            format!("{}:{sys}", self.bin.display())
        } else {
            sys.to_string()
        }
    }
}

/// Runs `cmd` (cwd: the root, a clean environment) to its end; a guard
/// against a stuck editor, not a measurement.
fn run(s: &Setup, mut cmd: Command, with_dslim: bool) {
    let home = s.root().join("home");
    cmd.current_dir(s.root())
        .env_clear()
        .env("PATH", s.path(with_dslim))
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_STATE_HOME", home.join(".local/state"))
        .env("TERM", "dumb")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("start the editor");
    for _ in 0..1200 {
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            use std::io::Read;
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut err)
                .unwrap();
            assert!(status.success(), "{cmd:?} failed ({status}): {err}");
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    panic!("{cmd:?} did not finish");
}

/// `dslim fmt -` of `text` for a file in `dir`.
fn fmt(dir: &Path, text: &str) -> String {
    let out = dslim()
        .current_dir(dir)
        .args(["fmt", "-"])
        .write_stdin(text.as_bytes().to_vec())
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// Every case for one editor. `open_save(setup, file, with_dslim)` must
/// open `file`, append [`ADDED`] as a last line, save, write `:messages`
/// to `root/messages` and quit.
fn cases(s: &Setup, open_save: impl Fn(&Setup, &Path, bool)) {
    let app = s.root().join("app");
    let file = app.join("Dockerfile");
    let messages = s.root().join("messages");
    let save = |text: &str, config: Option<&str>, with_dslim: bool| -> (String, String) {
        let _ = std::fs::remove_dir_all(&app);
        write(&app, "Dockerfile", text);
        if let Some(c) = config {
            write(&app, "dslim.toml", c);
        }
        let _ = std::fs::remove_file(&messages);
        open_save(s, &file, with_dslim);
        (
            std::fs::read_to_string(&file).unwrap(),
            std::fs::read_to_string(&messages).unwrap_or_default(),
        )
    };
    let edited = |t: &str| format!("{t}{ADDED}\n");

    // Formatted on save, with the file's own configuration.
    let indent2 = "[format]\nindent = 2\n";
    write(&s.root().join("probe"), "dslim.toml", indent2);
    let want = fmt(&s.root().join("probe"), &edited(MESSY));
    assert_ne!(want, fmt(s.root(), &edited(MESSY)), "indent = 2 shows");
    assert_ne!(want, edited(MESSY));
    let (got, _) = save(MESSY, Some(indent2), true);
    assert_eq!(got, want);
    assert!(got.contains("LABEL x=1"), "{got}");

    // A broken configuration: saved as edited, the error said.
    let (got, msgs) = save(MESSY, Some("selct = 1\n"), true);
    assert_eq!(got, edited(MESSY));
    assert!(
        msgs.contains("dslim fmt:") && msgs.contains("selct"),
        "{msgs}"
    );

    // A buffer that does not parse.
    let (got, msgs) = save(UNPARSABLE, None, true);
    assert_eq!(got, edited(UNPARSABLE));
    assert!(msgs.contains("dslim fmt:"), "{msgs}");

    // No dslim at all: the failed filter must not empty the buffer.
    let (got, msgs) = save(MESSY, None, false);
    assert_eq!(got, edited(MESSY));
    assert!(msgs.contains("dslim fmt:"), "{msgs}");
}

/// Ex commands every case runs after opening the file.
const EDIT_SAVE: [&str; 3] = [
    "call append(line('$'), 'label  x=1')",
    "write",
    "call writefile(split(execute('messages'), \"\\n\"), 'messages')",
];

#[test]
fn vim_format_on_save_recipe() {
    if editor("vim", "DSLIM_REQUIRE_VIM").is_none() {
        return;
    }
    let s = Setup::new();
    // Where the README says: ~/.vim/after/ftplugin/dockerfile.vim.
    write(
        &s.root().join("home/.vim/after/ftplugin"),
        "dockerfile.vim",
        snippet("vim"),
    );
    cases(&s, |s, file, with_dslim| {
        let mut cmd = Command::new("vim");
        // No vimrc, but filetype plugins on (what a vimrc would do).
        cmd.args(["-N", "-u", "NONE", "-i", "NONE", "-n", "-es"])
            .args(["--cmd", "filetype plugin on"])
            .arg(file);
        for c in EDIT_SAVE {
            cmd.args(["-c", c]);
        }
        cmd.args(["-c", "qa!"]);
        run(s, cmd, with_dslim);
    });
}

/// The traps README warns about, shown with the naive recipe
/// `autocmd BufWritePre <buffer> %!dslim fmt -`: the error text lands in
/// the saved file, and without dslim the file is saved empty of its text.
#[test]
fn naive_vim_filter_saves_error_text() {
    if editor("vim", "DSLIM_REQUIRE_VIM").is_none() {
        return;
    }
    let s = Setup::new();
    write(
        &s.root().join("home/.vim/after/ftplugin"),
        "dockerfile.vim",
        "autocmd BufWritePre <buffer> %!dslim fmt -\n",
    );
    let app = s.root().join("app");
    let file = write(&app, "Dockerfile", MESSY);
    write(&app, "dslim.toml", "selct = 1\n");
    let open_save = |with_dslim: bool| {
        let mut cmd = Command::new("vim");
        cmd.args(["-N", "-u", "NONE", "-i", "NONE", "-n", "-es"])
            .args(["--cmd", "filetype plugin on", "--cmd"])
            .arg(format!("cd {}", app.display()))
            .arg(&file)
            .args(["-c", "write", "-c", "qa!"]);
        run(&s, cmd, with_dslim);
        std::fs::read_to_string(&file).unwrap()
    };
    let got = open_save(true);
    assert!(
        got.contains(MESSY) && got.contains("unknown key `selct`"),
        "{got:?}"
    );
    write(&app, "Dockerfile", MESSY);
    let got = open_save(false);
    assert!(!got.contains("debian"), "{got:?}");
}

#[test]
fn neovim_format_on_save_recipe() {
    if editor("nvim", "DSLIM_REQUIRE_NEOVIM").is_none() {
        return;
    }
    let s = Setup::new();
    // As init.lua.
    let init = write(
        &s.root().join("home/.config/nvim"),
        "init.lua",
        snippet("neovim"),
    );
    cases(&s, |s, file, with_dslim| {
        let mut cmd = Command::new("nvim");
        cmd.args(["--headless", "-i", "NONE", "-n", "-u"])
            .arg(&init)
            .arg(file);
        for c in EDIT_SAVE {
            cmd.args(["-c", c]);
        }
        cmd.args(["-c", "qa!"]);
        run(s, cmd, with_dslim);
    });
}

#[test]
fn snippets_are_extracted_whole() {
    let vim = snippet("vim");
    assert!(vim.starts_with("\" dslim fmt on save"), "{vim}");
    assert!(vim.trim_end().ends_with("augroup END"), "{vim}");
    assert!(vim.contains("v:shell_error") && vim.contains("systemlist("));
    let lua = snippet("neovim");
    assert!(lua.starts_with("-- dslim fmt on save"), "{lua}");
    assert!(lua.trim_end().ends_with("})"), "{lua}");
    assert!(lua.contains("vim.v.shell_error"));
}
