//! A package manager's calls in a RUN: the manager's command found through
//! `sudo`/`env`/`VAR=x` prefixes (or `python -m <module>`), and its
//! subcommand, as the manager's table in `transforms/package-managers.toml`
//! describes it. [`Model::calls`](super::Model::calls) keeps them per RUN.

use crate::data::PackageManager;
use crate::shell::{CompactString, Script, SimpleCommand, Word};

/// One command of a package manager inside a RUN.
#[derive(Debug, Clone)]
pub struct PmCall {
    /// Index into `script.commands`.
    pub command: usize,
    /// Word index of the manager's name (`apt-get`; after `sudo`/`env`
    /// prefixes; for `python -m pip` the `pip` word).
    pub name: usize,
    /// The manager's name as written, without a path (`apt-get`).
    pub tool: CompactString,
    /// Run under `sudo`.
    pub sudo: bool,
    /// The subcommand words (`install`, `pip install`), if one was found.
    pub sub: Option<CompactString>,
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
pub(crate) fn base(w: &Word) -> Option<&str> {
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

pub(crate) fn is_assignment(l: &str) -> bool {
    l.split_once('=').is_some_and(|(n, _)| {
        !n.is_empty()
            && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !n.starts_with(|c: char| c.is_ascii_digit())
    })
}

/// Whether `name` runs the manager (`pip3.11` for a versioned `pip3`).
pub(crate) fn names_manager(pm: &PackageManager, name: &str) -> bool {
    pm.commands.iter().any(|c| {
        name == c
            || (pm.versioned
                && name.strip_prefix(c.as_str()).is_some_and(|v| {
                    !v.is_empty() && v.chars().all(|ch| ch.is_ascii_digit() || ch == '.')
                }))
    })
}

pub(crate) fn is_python(name: &str) -> bool {
    name.strip_prefix("python")
        .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// Where a command of a script starts, past its prefixes: the command's
/// index, the word index of its real name and whether `sudo` was seen.
pub type Head = (u32, u32, bool);

/// The [`Head`] of every command whose prefixes can be skipped, in order.
pub fn heads(script: &Script) -> impl Iterator<Item = Head> + '_ {
    script.commands.iter().enumerate().filter_map(|(k, c)| {
        let (i, sudo) = skip_prefixes(c)?;
        Some((u32::try_from(k).ok()?, u32::try_from(i).ok()?, sudo))
    })
}

/// Every call of the manager in the script, in text order.
pub fn find_calls(script: &Script, pm: &PackageManager) -> Vec<PmCall> {
    calls_at(script, heads(script), pm)
}

/// [`find_calls`] given the script's [`heads`] (worked out once for a RUN
/// of many commands, which is asked about one manager after another).
pub fn calls_at(
    script: &Script,
    heads: impl Iterator<Item = Head>,
    pm: &PackageManager,
) -> Vec<PmCall> {
    let mut out = Vec::new();
    for (k, i, sudo) in heads {
        let (k, i) = (k as usize, i as usize);
        let c = &script.commands[k];
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
        let tool = CompactString::new(base(&c.words[at]).unwrap_or_default());
        let (sub, sub_word) = match subcommand(c, at, pm) {
            Some((s, w)) => (Some(CompactString::new(s)), Some(w)),
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
pub(crate) fn subcommand(
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
        // Longest multi-word subcommand the data names (single words are
        // `l` itself).
        let mut best = (l.to_string(), i);
        for (s, parts) in pm.multi_word_subcommands() {
            let n = parts.len();
            if n > best.1 + 1 - i
                && parts
                    .iter()
                    .enumerate()
                    .all(|(k, p)| c.words.get(i + k).is_some_and(|w| w.is(p)))
            {
                best = (s.clone(), i + n - 1);
            }
        }
        return Some(best);
    }
    None
}
