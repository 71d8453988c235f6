//! Recognising a dependency install in a RUN: the ecosystem, the manifest
//! files it reads, and what a requirements file names.

use super::*;

/// What an install installs from.
#[derive(Debug, Clone, Copy)]
pub(super) enum Eco<'a> {
    /// A manager with a `[<manager>.project]` table (npm, yarn, pnpm, pip).
    Project {
        table: &'a ProjectInstall,
        /// Its `ecosystem` (`node`).
        ecosystem: Option<&'a str>,
    },
    Go,
    Cargo,
    Bundle,
    Composer,
    Maven,
}

/// One recognised install.
#[derive(Debug, Clone)]
pub(super) struct Install<'a> {
    pub(super) eco: Eco<'a>,
    /// `pip install -r FILE`: the files named.
    pub(super) named: Vec<String>,
    /// Why it needs the sources, if it does.
    pub(super) needs_sources: Option<String>,
    /// Runs with `--ignore-scripts`.
    pub(super) ignore_scripts: bool,
}

impl Install<'_> {
    /// Installs from files the command names (`pip install -r FILE`).
    pub(super) fn reads_named_files(&self) -> bool {
        matches!(self.eco, Eco::Project { table, .. } if !table.file_options.is_empty())
    }
}

pub(super) fn literal(c: &SimpleCommand) -> Option<Vec<&str>> {
    c.words.iter().map(|w| w.literal.as_deref()).collect()
}

/// The install command `k` of the RUN at instruction `i` runs, if any: a
/// project install of a manager with a `project` table (see
/// [`packages::installs_project`]), else one of the tools without a table.
pub(super) fn install_of<'a>(
    model: &Model,
    data: &'a Data,
    i: usize,
    script: &Script,
    k: usize,
) -> Option<Install<'a>> {
    let c = &script.commands[k];
    let calls = packages::ecosystem_calls(model, data, i, None);
    if let Some(call) = calls.iter().find(|p| p.call.command == k) {
        let table = call.table.project.as_ref()?;
        if !packages::installs_project(script, &call.call, call.table) {
            return None;
        }
        let eco = Eco::Project {
            table,
            ecosystem: call.table.ecosystem.as_deref(),
        };
        let rest = packages::file_words(script, &call.call)?;
        if !table.file_options.is_empty() {
            return named_install(eco, &table.file_options, &rest);
        }
        return Some(Install {
            eco,
            named: Vec::new(),
            needs_sources: None,
            ignore_scripts: rest.contains(&"--ignore-scripts"),
        });
    }
    let words = literal(c)?;
    let base = |s: &str| s.rsplit('/').next().unwrap_or(s).to_string();
    let (name, rest) = words.split_first()?;
    let name = base(name);
    let sub = rest.first().copied();
    let mk = |eco| Install {
        eco,
        named: Vec::new(),
        needs_sources: None,
        ignore_scripts: false,
    };
    match name.as_str() {
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
        _ => None,
    }
}

/// `pip install -r FILE …` (the words after `install`): the files the
/// `file_options` name, and whether the install needs the sources too.
fn named_install<'a>(eco: Eco<'a>, file_options: &[String], rest: &[&str]) -> Option<Install<'a>> {
    let mut named = Vec::new();
    let mut needs = None;
    fn long<'w>(file_options: &[String], w: &'w str) -> Option<&'w str> {
        file_options
            .iter()
            .filter(|o| o.starts_with("--"))
            .find_map(|o| w.strip_prefix(o.as_str())?.strip_prefix('='))
    }
    fn short<'w>(file_options: &[String], w: &'w str) -> Option<&'w str> {
        file_options
            .iter()
            .filter(|o| !o.starts_with("--"))
            .find_map(|o| w.strip_prefix(o.as_str()).filter(|r| !r.is_empty()))
    }
    let mut it = rest.iter();
    while let Some(w) = it.next() {
        match *w {
            w if file_options.iter().any(|o| o == w) => named.push(it.next()?.to_string()),
            w if long(file_options, w).is_some() => named.push(long(file_options, w)?.to_string()),
            w if !w.starts_with("--") && short(file_options, w).is_some() => {
                named.push(short(file_options, w)?.to_string())
            }
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
        eco,
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
