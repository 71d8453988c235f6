//! A package manager's commands in a RUN: finding the calls through
//! `sudo`/`env` prefixes, their subcommand and packages, reading and inserting
//! flags, and `rm -r` of cache paths.

use super::*;

/// One command of a package manager inside a RUN.
#[derive(Debug, Clone)]
pub struct PmCall {
    /// Index into `script.commands`.
    pub command: usize,
    /// Word index of the manager's name (`apt-get`; after `sudo`/`env`
    /// prefixes; for `python -m pip` the `pip` word).
    pub name: usize,
    /// The manager's name as written, without a path (`apt-get`).
    pub tool: String,
    /// Run under `sudo`.
    pub sudo: bool,
    /// The subcommand words (`install`, `pip install`), if one was found.
    pub sub: Option<String>,
    /// Word index of the subcommand's last word.
    pub sub_word: Option<usize>,
}

impl PmCall {
    /// The span of the whole simple command in the RUN text.
    pub fn span(&self, script: &Script) -> std::ops::Range<usize> {
        script.commands[self.command].span.clone()
    }
}

/// Base name of a literal word (`/usr/bin/apt-get` → `apt-get`).
pub(super) fn base(w: &Word) -> Option<&str> {
    let l = w.literal.as_deref()?;
    // A byte search: `rsplit('/')` was a tenth of `fix` on large RUNs.
    Some(match l.as_bytes().iter().rposition(|&b| b == b'/') {
        Some(k) => &l[k + 1..],
        None => l,
    })
}

/// Skips `sudo [opts]`, `env [opts] [X=y]…`, and leading `X=y` words;
/// returns the index of the real command word and whether sudo was seen.
pub fn skip_prefixes(c: &SimpleCommand) -> Option<(usize, bool)> {
    let mut i = 0;
    let mut sudo = false;
    loop {
        let w = c.words.get(i)?;
        match base(w)? {
            "sudo" => {
                sudo = true;
                i += 1;
                while let Some(l) = c.words.get(i).and_then(|w| w.literal.as_deref()) {
                    if matches!(
                        l,
                        "-u" | "-g" | "-p" | "-C" | "-D" | "-r" | "-t" | "-U" | "-h"
                    ) {
                        i += 2;
                    } else if l.starts_with('-') || is_assignment(l) {
                        i += 1;
                    } else {
                        break;
                    }
                }
            }
            "env" => {
                i += 1;
                while let Some(l) = c.words.get(i).and_then(|w| w.literal.as_deref()) {
                    if matches!(l, "-u" | "--unset" | "-C" | "--chdir" | "-S") {
                        i += 2;
                    } else if l.starts_with('-') || is_assignment(l) {
                        i += 1;
                    } else {
                        break;
                    }
                }
            }
            l if is_assignment(l) => i += 1,
            _ => return Some((i, sudo)),
        }
    }
}

pub(super) fn is_assignment(l: &str) -> bool {
    l.split_once('=').is_some_and(|(n, _)| {
        !n.is_empty()
            && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !n.starts_with(|c: char| c.is_ascii_digit())
    })
}

/// Whether `name` runs the manager (`pip3.11` for a versioned `pip3`).
pub(super) fn names_manager(pm: &PackageManager, name: &str) -> bool {
    pm.commands.iter().any(|c| {
        name == c
            || (pm.versioned
                && name.strip_prefix(c.as_str()).is_some_and(|v| {
                    !v.is_empty() && v.chars().all(|ch| ch.is_ascii_digit() || ch == '.')
                }))
    })
}

pub(super) fn is_python(name: &str) -> bool {
    name.strip_prefix("python")
        .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// Every call of the manager in the script, in text order.
pub fn find_calls(script: &Script, pm: &PackageManager) -> Vec<PmCall> {
    let mut out = Vec::new();
    for (k, c) in script.commands.iter().enumerate() {
        let Some((i, sudo)) = skip_prefixes(c) else {
            continue;
        };
        let Some(name) = base(&c.words[i]) else {
            continue;
        };
        let at = if names_manager(pm, name) {
            i
        } else if is_python(name)
            && c.words.get(i + 1).is_some_and(|w| w.is("-m"))
            && c.words
                .get(i + 2)
                .and_then(|w| w.literal.as_deref())
                .is_some_and(|m| pm.python_modules.iter().any(|x| x == m))
        {
            i + 2
        } else {
            continue;
        };
        let tool = base(&c.words[at]).unwrap_or_default().to_string();
        let (sub, sub_word) = match subcommand(c, at, pm) {
            Some((s, w)) => (Some(s), Some(w)),
            None => (None, None),
        };
        out.push(PmCall {
            command: k,
            name: at,
            tool,
            sudo,
            sub,
            sub_word,
        });
    }
    out.sort_by_key(|p| script.commands[p.command].span.start);
    out
}

/// The first non-option word after the name (skipping the values of
/// `value-options`), extended to a multi-word subcommand of `install`,
/// `update` or `index-users` when the following words spell one.
pub(super) fn subcommand(
    c: &SimpleCommand,
    name: usize,
    pm: &PackageManager,
) -> Option<(String, usize)> {
    let mut i = name + 1;
    while let Some(w) = c.words.get(i) {
        let l = w.literal.as_deref()?;
        if l.starts_with('-') {
            i += if pm.value_options.iter().any(|o| o == l) {
                2
            } else {
                1
            };
            continue;
        }
        // Longest multi-word subcommand the data names.
        let known = pm.install.iter().chain(&pm.update).chain(&pm.index_users);
        let mut best = (l.to_string(), i);
        for s in known {
            // Single words are `l` itself; the others are compared word
            // by word without collecting them (this runs for every call).
            if !s.contains(' ') {
                continue;
            }
            let mut n = 0;
            if s.split(' ').all(|p| {
                n += 1;
                c.words.get(i + n - 1).is_some_and(|w| w.is(p))
            }) && n > best.1 + 1 - i
            {
                best = (s.clone(), i + n - 1);
            }
        }
        return Some(best);
    }
    None
}

/// The package words of an install call (`apt-get install -y curl git` →
/// `curl`, `git`), option values skipped; `None` when a word is not literal
/// (`$PKGS`): what gets installed cannot be read.
pub fn install_packages(
    script: &Script,
    call: &PmCall,
    pm: &PackageManager,
) -> Option<Vec<String>> {
    let words = &script.commands[call.command].words;
    let mut out = Vec::new();
    let mut skip_next = false;
    for word in &words[call.sub_word.map_or(words.len(), |s| s + 1)..] {
        if skip_next {
            skip_next = false;
            continue;
        }
        let l = word.literal.as_deref()?;
        if l.starts_with('-') {
            skip_next = pm.value_options.iter().any(|v| v == l);
        } else {
            out.push(l.to_string());
        }
    }
    Some(out)
}

/// Whether the flag (or an alias, an option value, or a combined short
/// flag) is present among the call's words.
pub fn has_flag(c: &SimpleCommand, call: &PmCall, spec: &FlagSpec) -> bool {
    let words = &c.words[call.name + 1..];
    let option_matches = |v: &str| {
        spec.options
            .iter()
            .any(|o| o.eq_ignore_ascii_case(v.trim()))
    };
    let mut it = words.iter().peekable();
    while let Some(w) = it.next() {
        let Some(l) = w.literal.as_deref() else {
            continue;
        };
        if spec.aliases.iter().any(|a| a == l) {
            return true;
        }
        if matches!(l, "-o" | "--option" | "--setopt") {
            if it
                .peek()
                .and_then(|w| w.literal.as_deref())
                .is_some_and(option_matches)
            {
                return true;
            }
            continue;
        }
        if let Some(v) = l
            .strip_prefix("--option=")
            .or_else(|| l.strip_prefix("--setopt="))
            .or_else(|| l.strip_prefix("-o").filter(|v| !v.is_empty()))
        {
            if option_matches(v) {
                return true;
            }
            continue;
        }
        // A cluster of short flags: `-qy`, `-qqy`.
        if let Some(cluster) = l
            .strip_prefix('-')
            .filter(|c| !c.starts_with('-') && c.len() > 1)
        {
            if !cluster.chars().all(|ch| ch.is_ascii_alphabetic()) {
                continue;
            }
            for a in &spec.aliases {
                let Some(letters) = a
                    .strip_prefix('-')
                    .filter(|s| !s.starts_with('-') && !s.is_empty())
                else {
                    continue;
                };
                let first = letters.chars().next().unwrap_or(' ');
                if letters.chars().all(|x| x == first)
                    && cluster.chars().filter(|&x| x == first).count() >= letters.len()
                {
                    return true;
                }
            }
        }
    }
    false
}

/// Inserts ` flag` right after the subcommand word: a minimal edit.
pub fn insert_flag(
    ins: &Instruction,
    c: &SimpleCommand,
    call: &PmCall,
    flag: &str,
) -> Option<Edit> {
    let w = &c.words[call.sub_word?];
    let at = ins
        .logical
        .to_source_end(ins.command.args.start + w.span.end);
    Some(Edit::insert(at, format!(" {flag}")))
}

/// Whether `cmd` (`apt-get dist-clean`) is the start of the command `c`
/// (through `sudo`/`env`, options between the words allowed).
pub fn matches_command(c: &SimpleCommand, cmd: &str) -> bool {
    let Some((i, _)) = skip_prefixes(c) else {
        return false;
    };
    let mut parts = cmd.split(' ');
    let Some(first) = parts.next() else {
        return false;
    };
    if base(&c.words[i]) != Some(first) {
        return false;
    }
    let rest: Vec<&str> = c.words[i + 1..]
        .iter()
        .filter_map(|w| w.literal.as_deref())
        .filter(|l| !l.starts_with('-'))
        .collect();
    parts.enumerate().all(|(j, p)| rest.get(j) == Some(&p))
}

/// The text of a word with quotes removed (globs and `$HOME` kept as
/// written).
pub(super) fn unquoted(w: &Word) -> String {
    w.raw.chars().filter(|&c| c != '"' && c != '\'').collect()
}

/// Normalises a path for comparison: no trailing `/*` or `/`.
pub(super) fn norm(p: &str) -> &str {
    let mut p = p;
    loop {
        let q = p
            .strip_suffix("/*")
            .or_else(|| p.strip_suffix('/'))
            .unwrap_or(p);
        if q == p || q.is_empty() {
            return p;
        }
        p = q;
    }
}

/// `a` is `b` or a parent of `b`.
pub(super) fn covers(a: &str, b: &str) -> bool {
    let (a, b) = (norm(a), norm(b));
    b == a || b.strip_prefix(a).is_some_and(|r| r.starts_with('/'))
}

/// `rm -r …` (any flag order) of one of `paths` or a parent.
pub fn removes_path(c: &SimpleCommand, paths: &[String]) -> bool {
    let Some((i, _)) = skip_prefixes(c) else {
        return false;
    };
    if base(&c.words[i]) != Some("rm") {
        return false;
    }
    let mut recursive = false;
    let mut targets = Vec::new();
    let mut opts = true;
    for w in &c.words[i + 1..] {
        let t = unquoted(w);
        if opts && t == "--" {
            opts = false;
        } else if opts && t.starts_with("--") {
            recursive |= t == "--recursive";
        } else if opts && t.starts_with('-') && t.len() > 1 {
            recursive |= t.contains('r') || t.contains('R');
        } else {
            targets.push(t);
        }
    }
    recursive && targets.iter().any(|t| paths.iter().any(|p| covers(t, p)))
}
