//! The commands of a Python build's RUNs: pip installs, venvs, `cd` and
//! file commands, and what a pip install names.

use crate::shell::SimpleCommand;

use super::super::{join, words};

/// What a command of a RUN is, for the split.
pub(in crate::transforms::multi_stage) enum Cmd {
    /// `pip install …` (or `python -m pip install …`); `bin` is the folder
    /// of a pip called by its path.
    PipInstall {
        bin: Option<String>,
        args: Vec<String>,
    },
    /// `python -m venv PATH` or `virtualenv PATH`.
    Venv { path: String, system: bool },
    /// Changes nothing the runtime needs, or only inside `paths`.
    Files(Vec<String>),
    /// `cd DIR`.
    Cd(String),
    /// Anything else: named in the blocker.
    Other(String),
}

/// What a `cd`, a file command or any other command of a RUN means for a
/// split that copies only the app folder `wd` (and the scratch folders):
/// `cd` moves `cwd`; a file command outside them, a redirection into a
/// file, or any other command is a blocker. Shared by the venv and the
/// PyInstaller recipes (`PipInstall` and `Venv` are theirs to read).
pub(in crate::transforms::multi_stage) fn file_command(
    cmd: Cmd,
    c: &SimpleCommand,
    text: &str,
    cwd: &mut Option<String>,
    wd: Option<&str>,
    block: &mut impl FnMut(String),
) {
    match cmd {
        Cmd::PipInstall { .. } | Cmd::Venv { .. } => {}
        Cmd::Cd(d) => {
            if !c.isolated {
                *cwd = cwd.take().map(|w| join(&w, &d)).filter(|_| d != "\u{0}");
            }
        }
        Cmd::Files(paths) => {
            for p in paths {
                let at = cwd.as_deref().filter(|_| p != "\u{0}").map(|d| join(d, &p));
                let ok = at.as_deref().is_some_and(|at| {
                    SCRATCH.iter().any(|s| inside(at, s)) || wd.is_some_and(|w| inside(at, w))
                });
                if !ok {
                    block(format!(
                        "`{}` in a RUN may change files outside the app folder, which the \
                         runtime does not get",
                        text.trim()
                    ));
                    break;
                }
            }
            if text.contains('>') && !text.contains("/dev/null") {
                block(format!(
                    "`{}` in a RUN writes a file dslim does not follow",
                    text.trim()
                ));
            }
        }
        Cmd::Other(what) => block(format!(
            "`{what}` in a RUN may change files outside the app folder, which the runtime does \
             not get"
        )),
    }
}

pub(in crate::transforms::multi_stage) fn is_python(name: &str) -> bool {
    let n = name.rsplit('/').next().unwrap_or(name);
    n == "python"
        || n.strip_prefix("python3")
            .is_some_and(|v| v.is_empty() || v.strip_prefix('.').is_some_and(is_digits))
}

fn is_pip(name: &str) -> bool {
    let n = name.rsplit('/').next().unwrap_or(name);
    n == "pip"
        || n.strip_prefix("pip3")
            .is_some_and(|v| v.is_empty() || v.strip_prefix('.').is_some_and(is_digits))
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// The folder of a command given by its path (`/opt/venv/bin/pip` →
/// `/opt/venv/bin`), `None` for a bare name.
fn bin_dir(name: &str) -> Option<String> {
    name.rsplit_once('/').map(|(d, _)| d.to_string())
}

/// Paths under which a RUN may remove files: caches the runtime never had.
const SCRATCH: &[&str] = &[
    "/var/lib/apt/lists",
    "/var/cache/apt",
    "/tmp",
    "/root/.cache",
];

pub(in crate::transforms::multi_stage) fn classify(c: &SimpleCommand) -> Cmd {
    let w = words(c);
    let Some(&name) = w.first() else {
        return Cmd::Files(Vec::new()); // a bare assignment
    };
    // `pip …` or `python -m pip …`: the words after the program.
    if is_pip(name) {
        return pip_command(name, &w[1..]);
    }
    if is_python(name) && w.get(1) == Some(&"-m") {
        return match w.get(2).copied() {
            Some(m) if is_pip(m) => pip_command(name, &w[3..]),
            m => python_module(c, &w, m),
        };
    }
    simple_command(c, &w, name)
}

/// The path arguments `args` (a tail of the command's words `w`); a glob
/// (`/var/lib/apt/lists/*`) as written.
fn path_args(c: &SimpleCommand, w: &[&str], args: &[&str]) -> Vec<String> {
    args.iter()
        .zip(&c.words[w.len() - args.len()..])
        .filter(|(a, _)| !a.starts_with('-'))
        .map(|(a, word)| match *a {
            "\u{0}" if !word.raw.contains(['$', '`', '"', '\'']) => word.raw.to_string(),
            _ => a.to_string(),
        })
        .collect()
}

/// The pip called as `name` with the words `rest` after it.
fn pip_command(name: &str, rest: &[&str]) -> Cmd {
    let bin = bin_dir(name);
    // Global options may stand before the subcommand.
    let sub = rest.iter().position(|a| !a.starts_with('-'));
    match sub.map(|i| (rest[i], &rest[i + 1..])) {
        Some(("install", args)) => Cmd::PipInstall {
            bin,
            args: args.iter().map(|a| a.to_string()).collect(),
        },
        Some(("list" | "freeze" | "check" | "show" | "help", _)) => Cmd::Files(Vec::new()),
        None if rest.iter().any(|a| matches!(*a, "--version" | "-V")) => Cmd::Files(Vec::new()),
        _ => Cmd::Other(format!("{name} {}", rest.join(" "))),
    }
}

/// `python -m MODULE …` (the command's words `w`) of a module other than
/// pip.
fn python_module(c: &SimpleCommand, w: &[&str], module: Option<&str>) -> Cmd {
    let other = || Cmd::Other(w[0].to_string());
    match module {
        // Byte-compiles the folders named (none: all of sys.path).
        Some("compileall") => {
            let p = path_args(c, w, &w[3..]);
            if p.is_empty() {
                other()
            } else {
                Cmd::Files(p)
            }
        }
        Some("venv") => match path_args(c, w, &w[3..]).as_slice() {
            [path] => Cmd::Venv {
                path: path.clone(),
                system: w.contains(&"--system-site-packages"),
            },
            _ => other(),
        },
        _ => other(),
    }
}

/// Any command but pip and `python -m` (its words `w`, its program
/// `name`).
fn simple_command(c: &SimpleCommand, w: &[&str], name: &str) -> Cmd {
    let other = || Cmd::Other(name.to_string());
    match name {
        "virtualenv" => match path_args(c, w, &w[1..]).as_slice() {
            [path] => Cmd::Venv {
                path: path.clone(),
                system: w.contains(&"--system-site-packages"),
            },
            _ => other(),
        },
        "apt-get" | "apt" => {
            let sub = w[1..].iter().find(|a| !a.starts_with('-')).copied();
            match sub {
                Some("update" | "install" | "clean" | "autoclean" | "autoremove") => {
                    Cmd::Files(Vec::new())
                }
                _ => other(),
            }
        }
        // (Alpine: what apk installs is read by `apk_facts`.)
        "apk" => match w.get(1).copied() {
            Some("add" | "del" | "update" | "upgrade" | "info") => Cmd::Files(Vec::new()),
            _ => other(),
        },
        "echo" | "true" | ":" | "set" | "export" | "printf" | "ls" | "cat" | "which" | "env" => {
            Cmd::Files(Vec::new())
        }
        "cd" => match w.get(1) {
            Some(d) if !d.starts_with('-') => Cmd::Cd(d.to_string()),
            _ => other(),
        },
        "rm" | "mkdir" | "touch" | "cp" | "mv" | "ln" => Cmd::Files(path_args(c, w, &w[1..])),
        // The first word after the flags is a mode or an owner.
        "chmod" | "chown" => Cmd::Files(path_args(c, w, &w[1..]).into_iter().skip(1).collect()),
        _ if is_python(name) && w[1..].iter().all(|a| matches!(*a, "--version" | "-V")) => {
            Cmd::Files(Vec::new())
        }
        _ => other(),
    }
}

/// Whether `p` is `dir` or inside it.
pub(in crate::transforms::multi_stage) fn inside(p: &str, dir: &str) -> bool {
    let p = p.trim_end_matches('/');
    p == dir || p.starts_with(&format!("{dir}/"))
}

/// A pip option that puts packages where the venv copy does not reach, or
/// that the runtime would need the source folder for.
pub(super) fn pip_blocker(args: &[String]) -> Option<&'static str> {
    for a in args {
        let flag = a.split('=').next().unwrap_or(a);
        let why = match flag {
            "--user" => "`pip install --user` installs into the user's home, not the venv",
            "--prefix" | "--target" | "-t" | "--root" => {
                "`pip install` with `--prefix`, `--target` or `--root` installs outside the venv"
            }
            "-e" | "--editable" => {
                "`pip install -e` links the package to its source folder instead of installing it"
            }
            _ => continue,
        };
        return Some(why);
    }
    None
}

/// `pip install --no-binary …`: pip compiles packages from source.
pub(crate) fn builds_from_source(args: &[String]) -> bool {
    args.iter()
        .any(|a| a == "--no-binary" || a.starts_with("--no-binary="))
}

/// pip options that take a value (the next word, unless written `--x=v`).
const PIP_VALUE_OPTIONS: &[&str] = &[
    "-r",
    "--requirement",
    "-c",
    "--constraint",
    "-i",
    "--index-url",
    "--extra-index-url",
    "-f",
    "--find-links",
    "--no-binary",
    "--only-binary",
    "--trusted-host",
    "-t",
    "--target",
    "--prefix",
    "--root",
    "--platform",
    "--python-version",
    "--implementation",
    "--abi",
    "--progress-bar",
    "--global-option",
    "--config-settings",
    "-C",
    "--src",
    "--upgrade-strategy",
    "--cache-dir",
    "--log",
    "--proxy",
    "--timeout",
    "--retries",
    "--cert",
    "--client-cert",
    "--exists-action",
];

/// The package names a `pip install` names (lower case, `_` as `-`) and the
/// requirement files it reads (`-r FILE`).
pub(super) fn pip_names(args: &[String]) -> (Vec<String>, Vec<String>) {
    let (mut pkgs, mut files) = (Vec::new(), Vec::new());
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if let Some(f) = a.strip_prefix("--requirement=").or_else(|| {
            a.strip_prefix("-r")
                .filter(|f| !f.is_empty() && !f.starts_with('='))
        }) {
            files.push(f.to_string());
        } else if a == "-r" || a == "--requirement" {
            files.extend(it.next().cloned());
        } else if PIP_VALUE_OPTIONS.contains(&a.as_str()) {
            it.next();
        } else if !a.starts_with('-') {
            pkgs.extend(requirement_name(a));
        }
    }
    files.retain(|f| f != "\u{0}");
    (pkgs, files)
}

/// The project name of a requirement line or argument (`psycopg2==2.9`,
/// `Django[argon2]>=4`), normalised; `None` for comments, options, paths
/// and URLs.
pub(super) fn requirement_name(line: &str) -> Option<String> {
    let line = line.split('#').next()?.trim();
    if line.is_empty() || line.starts_with(['-', '.', '/']) || line.contains("://") {
        return None;
    }
    let end = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c)))
        .unwrap_or(line.len());
    let name = &line[..end];
    (!name.is_empty()).then(|| name.to_ascii_lowercase().replace('_', "-"))
}

/// `*` matches any text.
pub(super) fn glob(pattern: &str, s: &str) -> bool {
    match pattern.split_once('*') {
        Some((head, tail)) => {
            s.len() >= head.len() + tail.len() && s.starts_with(head) && s.ends_with(tail)
        }
        None => pattern == s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_and_pip_names() {
        for n in ["python", "python3", "python3.11", "/usr/local/bin/python3"] {
            assert!(is_python(n), "{n}");
        }
        for n in ["python2", "pythonx", "python3.", "py"] {
            assert!(!is_python(n), "{n}");
        }
        for n in ["pip", "pip3", "pip3.12", "/opt/venv/bin/pip"] {
            assert!(is_pip(n), "{n}");
        }
        for n in ["pipx", "pip2", "pipenv"] {
            assert!(!is_pip(n), "{n}");
        }
    }

    #[test]
    fn pip_options_that_leave_the_venv() {
        let a = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        assert!(pip_blocker(&a("--user flask")).is_some());
        assert!(pip_blocker(&a("--prefix=/install .")).is_some());
        assert!(pip_blocker(&a("-t /deps x")).is_some());
        assert!(pip_blocker(&a("-e .")).is_some());
        assert!(pip_blocker(&a("--no-cache-dir -r requirements.txt")).is_none());
        assert!(builds_from_source(&a("--no-binary :all: x")));
        assert!(builds_from_source(&a("--no-binary=PyYAML x")));
        assert!(!builds_from_source(&a("--only-binary :all: x")));
    }

    #[test]
    fn names_and_requirement_files_of_a_pip_install() {
        let a = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        let (p, f) = pip_names(&a("--no-cache-dir -r req.txt --requirement=dev.txt -rother.txt -i https://x psycopg2==2.9 Django[argon2]>=4 ."));
        assert_eq!(f, ["req.txt", "dev.txt", "other.txt"]);
        assert_eq!(p, ["psycopg2", "django"]);
        assert_eq!(
            requirement_name("mysqlclient ; python_version > '3'"),
            Some("mysqlclient".into())
        );
        assert_eq!(
            requirement_name("Flask_Login~=0.6 # auth"),
            Some("flask-login".into())
        );
        assert_eq!(requirement_name("# psycopg2"), None);
        assert_eq!(requirement_name("-e ."), None);
        assert_eq!(requirement_name("git+https://x/y.git"), None);
    }

    #[test]
    fn build_input_globs() {
        assert!(glob("requirements*.txt", "requirements.txt"));
        assert!(glob("requirements*.txt", "requirements-dev.txt"));
        assert!(!glob("requirements*.txt", "app.py"));
    }
}
