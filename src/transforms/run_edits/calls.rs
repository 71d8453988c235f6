//! A package manager's commands in a RUN: finding the calls through
//! `sudo`/`env` prefixes, their subcommand and packages, reading and inserting
//! flags, and `rm -r` of cache paths.

use super::*;

pub(super) use crate::model::calls::base;
pub use crate::model::calls::{find_calls, skip_prefixes, PmCall};

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
    has_flag_in(c.words[call.name + 1..].iter(), spec, |_| true)
}

/// [`has_flag`] over the words after the name, counting only the aliases
/// `alias` keeps (for a caller that looks at part of a command with some
/// of the forms, without copying the command or the spec).
pub fn has_flag_in<'w>(
    words: impl Iterator<Item = &'w Word>,
    spec: &FlagSpec,
    alias: impl Fn(&str) -> bool,
) -> bool {
    let option_matches = |v: &str| {
        spec.options
            .iter()
            .any(|o| o.eq_ignore_ascii_case(v.trim()))
    };
    let aliases = || spec.aliases.iter().filter(|a| alias(a));
    let mut it = words.peekable();
    while let Some(w) = it.next() {
        let Some(l) = w.literal.as_deref() else {
            continue;
        };
        if aliases().any(|a| a == l) {
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
            for a in aliases() {
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
