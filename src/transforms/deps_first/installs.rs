//! Recognising a dependency install in a RUN: the ecosystem, the manifest
//! files it reads, and what a requirements file names.

use super::*;

/// The ecosystem of an install command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Eco {
    Npm,
    Yarn,
    Pnpm,
    Pip,
    Go,
    Cargo,
    Bundle,
    Composer,
    Maven,
}

/// One recognised install.
#[derive(Debug, Clone)]
pub(super) struct Install {
    pub(super) eco: Eco,
    /// `pip install -r FILE`: the files named.
    pub(super) named: Vec<String>,
    /// Why it needs the sources, if it does.
    pub(super) needs_sources: Option<String>,
    /// Runs with `--ignore-scripts`.
    pub(super) ignore_scripts: bool,
}

pub(super) fn literal(c: &SimpleCommand) -> Option<Vec<&str>> {
    c.words.iter().map(|w| w.literal.as_deref()).collect()
}

/// The install a simple command runs, if any.
pub(super) fn install_of(c: &SimpleCommand) -> Option<Install> {
    let words = literal(c)?;
    let base = |s: &str| s.rsplit('/').next().unwrap_or(s).to_string();
    let (name, rest) = words.split_first()?;
    let name = base(name);
    let positional: Vec<&str> = rest
        .iter()
        .skip(1)
        .copied()
        .filter(|w| !w.starts_with('-'))
        .collect();
    let sub = rest.first().copied();
    let mk = |eco| Install {
        eco,
        named: Vec::new(),
        needs_sources: None,
        ignore_scripts: rest.contains(&"--ignore-scripts"),
    };
    match name.as_str() {
        "npm" if matches!(sub, Some("ci" | "install" | "i")) && positional.is_empty() => {
            Some(mk(Eco::Npm))
        }
        "yarn" if sub.is_none() || (sub == Some("install") && positional.is_empty()) => {
            Some(mk(Eco::Yarn))
        }
        "yarn" if sub.is_some_and(|s| s.starts_with('-')) => Some(mk(Eco::Yarn)),
        "pnpm" if matches!(sub, Some("install" | "i")) && positional.is_empty() => {
            Some(mk(Eco::Pnpm))
        }
        "go" if sub == Some("mod") && rest.get(1) == Some(&"download") => Some(mk(Eco::Go)),
        "cargo" if sub == Some("fetch") => Some(mk(Eco::Cargo)),
        "bundle" if sub == Some("install") => Some(mk(Eco::Bundle)),
        "composer" if sub == Some("install") => Some(mk(Eco::Composer)),
        "mvn" | "mvnw"
            if rest
                .iter()
                .any(|w| matches!(*w, "dependency:go-offline" | "dependency:resolve")) =>
        {
            Some(mk(Eco::Maven))
        }
        n if is_pip(n, rest) => pip_install(rest),
        _ => None,
    }
}

pub(super) fn is_pip(name: &str, rest: &[&str]) -> bool {
    let pip = name == "pip" || name.starts_with("pip3");
    let py = (name == "python" || name.starts_with("python3"))
        && rest.first() == Some(&"-m")
        && rest.get(1) == Some(&"pip");
    pip || py
}

/// `pip install -r FILE …`; `None` when no `-r` (a plain package install).
pub(super) fn pip_install(rest: &[&str]) -> Option<Install> {
    let rest: &[&str] = if rest.first() == Some(&"-m") {
        &rest[2..]
    } else {
        rest
    };
    if rest.first() != Some(&"install") {
        return None;
    }
    let mut named = Vec::new();
    let mut needs = None;
    let mut it = rest[1..].iter();
    while let Some(w) = it.next() {
        match *w {
            "-r" | "--requirement" | "-c" | "--constraint" => named.push(it.next()?.to_string()),
            w if w.starts_with("--requirement=") || w.starts_with("--constraint=") => {
                named.push(w.split_once('=')?.1.to_string())
            }
            w if w.starts_with("-r") && w.len() > 2 => named.push(w[2..].to_string()),
            "-e" | "--editable" => needs = Some("`pip install -e` installs the sources".into()),
            // Options that take a value.
            "-i" | "--index-url" | "--extra-index-url" | "-f" | "--find-links" | "-t"
            | "--target" | "--prefix" | "--root" | "--cache-dir" => {
                it.next();
            }
            w if w.starts_with('-') => {}
            w if w == "." || w.starts_with("./") || w.starts_with('/') || w.starts_with(".[") => {
                needs = Some(format!("`pip install {w}` installs the sources"))
            }
            _ => {}
        }
    }
    if named.is_empty() {
        return None;
    }
    Some(Install {
        eco: Eco::Pip,
        named,
        needs_sources: needs,
        ignore_scripts: false,
    })
}

/// Why a requirements file `name` needs more of the context than itself:
/// an include (`-r other.txt`, `-c constraints.txt`), an editable or local
/// install (`-e .`, `./pkg`, `/src/pkg`, `pkg @ file:…`), or local wheels
/// (`--find-links ./wheels`). URLs and index options are not files.
pub(super) fn requirements_reference(name: &str, text: &str) -> Option<String> {
    for raw in text.lines() {
        // A comment starts at `#` at the line start or after whitespace.
        let l = match raw.find(" #").or_else(|| raw.find("\t#")) {
            Some(k) => &raw[..k],
            None if raw.trim_start().starts_with('#') => "",
            None => raw,
        }
        .trim();
        if l.is_empty() {
            continue;
        }
        let (opt, value) = match l.split_once(|c: char| c == '=' || c.is_whitespace()) {
            Some((o, v)) if o.starts_with('-') => (o, v.trim()),
            _ if l.starts_with('-') && !l.starts_with("--") && l.len() > 2 => {
                (&l[..2], l[2..].trim())
            }
            _ => ("", l),
        };
        let is_url = |v: &str| v.contains("://") && !v.starts_with("file:");
        let local = |v: &str| {
            v.starts_with('.')
                || v.starts_with('/')
                || v.starts_with("file:")
                || v.contains(" @ file:")
        };
        match opt {
            "-r" | "--requirement" | "-c" | "--constraint" => {
                return Some(format!("`{name}` includes other files (`{l}`)"))
            }
            "-e" | "--editable" if !is_url(value) => {
                return Some(format!("`{name}` installs local sources (`{l}`)"))
            }
            "-f" | "--find-links" if !is_url(value) => {
                return Some(format!("`{name}` reads local packages (`{l}`)"))
            }
            "" if local(value) => return Some(format!("`{name}` installs local sources (`{l}`)")),
            _ => {}
        }
    }
    None
}

/// Commands that may share the install's RUN: cache cleanups of the same
/// tools and removals outside the source tree.
pub(super) fn companion(c: &SimpleCommand) -> bool {
    let Some(words) = literal(c) else {
        return false;
    };
    match words.as_slice() {
        ["npm" | "yarn" | "pnpm", "cache" | "store", ..] => true,
        ["pip" | "pip3", "cache", ..] => true,
        ["go", "mod", "verify"] => true,
        ["rm", args @ ..] => args
            .iter()
            .all(|a| a.starts_with('-') || a.starts_with('/') || a.starts_with('~')),
        _ => false,
    }
}
