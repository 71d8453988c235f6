//! Shared helpers of the package-manager transforms: finding a manager's
//! commands in a RUN, reading and inserting flags, and adding a command to a
//! RUN in the RUN's own style.
//!
//! Everything works on the shell view ([`Script`]) of the RUN's joined text;
//! logical offsets are mapped to the file with `ins.logical`.
//!
//! ## Appending a command ([`append`])
//!
//! The new command goes after the last top-level item, never inside a
//! subshell, `if` or loop, so it runs in the same shell as the install:
//!
//! - separator: `; cmd` when the RUN runs under errexit (a top-level
//!   `set -e…` before the last item, or a SHELL with `-e`) *and* its items
//!   are already separated by `;` (the official-image style
//!   `set -eux; apt-get …; …`); otherwise ` && cmd`, joined to the last
//!   and-or list, so the RUN still fails exactly when it failed before
//!   (`a || b && cmd` is `(a || b) && cmd`);
//! - a one-line RUN gets the command on the same line;
//! - a multi-line RUN gets a new continuation line: same escape character,
//!   same line ending, the operator where the RUN puts it (`&& \` at line end
//!   or `&&` at line start, read from the last line break that stands at an
//!   operator) and that line's indentation; a RUN with no line break at an
//!   operator uses the `[format]` options;
//! - refused (`Err(reason)`): a trailing shell comment (it would swallow the
//!   command), a background `&`, a newline separator, or an `exit`/`exec`
//!   at top level (the command would never run).
//!
//! ## Prepending a command ([`prepend`])
//!
//! `cmd && ` before a RUN that is one and-or list without `||` (so a failing
//! `cmd` still fails the RUN); after a leading `set -e…;` as `cmd; ` in a
//! `;`-style RUN. Anything else is refused.

use crate::config::{Config, OperatorPosition, Target};
use crate::data::{Builder, Data, FlagSpec, PackageManager};
use crate::edit::Edit;
use crate::shell::{Op, Script, SimpleCommand, Word};
use crate::syntax::{Document, Instruction, Keyword};

use crate::model::ShellKind;

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
fn base(w: &Word) -> Option<&str> {
    let l = w.literal.as_deref()?;
    Some(l.rsplit('/').next().unwrap_or(l))
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

fn is_assignment(l: &str) -> bool {
    l.split_once('=').is_some_and(|(n, _)| {
        !n.is_empty()
            && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !n.starts_with(|c: char| c.is_ascii_digit())
    })
}

/// Whether `name` runs the manager (`pip3.11` for a versioned `pip3`).
fn names_manager(pm: &PackageManager, name: &str) -> bool {
    pm.commands.iter().any(|c| {
        name == c
            || (pm.versioned
                && name.strip_prefix(c.as_str()).is_some_and(|v| {
                    !v.is_empty() && v.chars().all(|ch| ch.is_ascii_digit() || ch == '.')
                }))
    })
}

fn is_python(name: &str) -> bool {
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
fn subcommand(c: &SimpleCommand, name: usize, pm: &PackageManager) -> Option<(String, usize)> {
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
            let parts: Vec<&str> = s.split(' ').collect();
            if parts.len() > 1
                && parts
                    .iter()
                    .enumerate()
                    .all(|(j, p)| c.words.get(i + j).is_some_and(|w| w.is(p)))
                && parts.len() > best.1 + 1 - i
            {
                best = (s.clone(), i + parts.len() - 1);
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
fn unquoted(w: &Word) -> String {
    w.raw.chars().filter(|&c| c != '"' && c != '\'').collect()
}

/// Normalises a path for comparison: no trailing `/*` or `/`.
fn norm(p: &str) -> &str {
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
fn covers(a: &str, b: &str) -> bool {
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

/// `--mount=type=cache|tmpfs` targets of a RUN.
pub fn mount_targets(ins: &Instruction) -> Vec<String> {
    let mut out = Vec::new();
    for f in ins.flags().iter().filter(|f| f.name() == "mount") {
        let Some(v) = f.value() else { continue };
        let mut kind = "bind";
        let mut target = None;
        for kv in v.split(',') {
            match kv.split_once('=') {
                Some(("type", t)) => kind = t,
                Some(("target" | "dst" | "destination", t)) => target = Some(t.to_string()),
                _ => {}
            }
        }
        if matches!(kind, "cache" | "tmpfs") {
            out.extend(target);
        }
    }
    out
}

/// A mount (cache or tmpfs) on one of `paths` or a parent of one.
pub fn mounts_cover(ins: &Instruction, paths: &[String]) -> bool {
    mount_targets(ins)
        .iter()
        .any(|t| paths.iter().any(|p| covers(t, p)))
}

/// The script runs under errexit before item `item`: a SHELL with `-e`, or
/// a top-level `set -e…` in an earlier item.
pub fn errexit_before(script: &Script, shell: &ShellKind, item: usize) -> bool {
    if matches!(shell, ShellKind::Posix { errexit: true }) {
        return true;
    }
    script.items[..item].iter().any(|it| {
        script.commands.iter().any(|c| {
            !c.isolated
                && it.span.start <= c.span.start
                && c.span.end <= it.span.end
                && c.name() == Some("set")
                && c.words[1..].iter().any(|w| {
                    w.literal.as_deref().is_some_and(|l| {
                        l.strip_prefix('-')
                            .is_some_and(|f| !f.starts_with('-') && f.contains('e'))
                    })
                })
        })
    })
}

/// `exec CMD`, or an `exit` that may end the shell with status 0 (`exit`,
/// `exit 0`, `exit $rc`): then a command appended to the RUN would be
/// skipped on a successful build. A literal non-zero `exit 1` fails the
/// build anyway, so it never hides a skipped cleanup.
fn ends_shell_successfully(c: &crate::shell::SimpleCommand) -> bool {
    match c.name() {
        // `exec >log 2>&1` only redirects.
        Some("exec") => c.words.len() > 1,
        Some("exit") => match c.words.get(1) {
            None => true,
            Some(w) => w
                .literal
                .as_deref()
                .and_then(|l| l.parse::<u64>().ok())
                .is_none_or(|n| n % 256 == 0),
        },
        _ => false,
    }
}

/// Why a command cannot be appended to a RUN, if it cannot.
fn append_blocker(script: &Script) -> Option<&'static str> {
    if script.comment.is_some() {
        return Some("the RUN ends in a shell comment");
    }
    if script.items.is_empty() {
        return Some("the RUN is empty");
    }
    if script
        .items
        .iter()
        .any(|it| matches!(it.terminator, Some((Op::Amp | Op::Newline, _))))
    {
        return Some("the RUN has a background job or a newline separator");
    }
    if script
        .commands
        .iter()
        .any(|c| !c.isolated && ends_shell_successfully(c))
    {
        return Some("the RUN calls `exit 0` or `exec`, which would skip what comes after");
    }
    None
}

/// How a RUN breaks its lines where it shows it: (operator at line start?,
/// indentation, line ending), read from the last line break at an operator
/// (`&&`, `||`, `;`); `None` when no line break stands at one.
pub fn own_line_style(doc: &Document, ins: &Instruction) -> Option<(bool, String, &'static str)> {
    let src = doc.source();
    let text = &src[ins.span.clone()];
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let esc = doc.escape();
    let mut found = None;
    for k in 1..lines.len() {
        let prev = lines[k - 1].trim_end_matches(['\r', '\n']).trim_end();
        let Some(before) = prev.strip_suffix(esc) else {
            continue;
        };
        let next = lines[k];
        let body = next.trim_start_matches([' ', '\t']);
        if body.trim().is_empty() || body.starts_with('#') {
            continue;
        }
        let indent = &next[..next.len() - body.len()];
        let nl = if lines[k - 1].ends_with("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        let before = before.trim_end();
        if body.starts_with("&&") || body.starts_with("||") || body.starts_with(';') {
            found = Some((true, indent.to_string(), nl));
        } else if before.ends_with("&&") || before.ends_with("||") || before.ends_with(';') {
            found = Some((false, indent.to_string(), nl));
        }
    }
    found
}

/// The `[format]` options as a line style: (operator at line start?,
/// indentation).
pub fn configured_line_style(cfg: &Config) -> (bool, String) {
    (
        cfg.format.operator_position == OperatorPosition::LineStart,
        " ".repeat(cfg.format.indent),
    )
}

/// How the RUN breaks its lines: its own style ([`own_line_style`]), else
/// the `[format]` options.
fn line_style(doc: &Document, ins: &Instruction, cfg: &Config) -> (bool, String, &'static str) {
    own_line_style(doc, ins).unwrap_or_else(|| {
        let text = &doc.source()[ins.span.clone()];
        let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
        let (leading, indent) = configured_line_style(cfg);
        (leading, indent, nl)
    })
}

/// The edit that appends `cmd` after the RUN's last top-level item (see the
/// module doc for the style rules).
pub fn append(
    doc: &Document,
    ins: &Instruction,
    script: &Script,
    shell: &ShellKind,
    cfg: &Config,
    cmd: &str,
) -> Result<Edit, &'static str> {
    if let Some(why) = append_blocker(script) {
        return Err(why);
    }
    let n = script.items.len();
    let last = &script.items[n - 1];
    let semi_style = n > 1
        && matches!(script.items[n - 2].terminator, Some((Op::Semi, _)))
        && errexit_before(script, shell, n - 1);
    let op = if semi_style { ";" } else { "&&" };
    let at = ins
        .logical
        .to_source_end(ins.command.args.start + last.span.end);
    let multiline = doc.source()[ins.span.clone()]
        .trim_end_matches(['\r', '\n'])
        .contains('\n');
    if !multiline {
        let sep = if semi_style { "; " } else { " && " };
        return Ok(Edit::insert(at, format!("{sep}{cmd}")));
    }
    let esc = doc.escape();
    let (leading, indent, nl) = line_style(doc, ins, cfg);
    let text = if leading {
        format!(" {esc}{nl}{indent}{op} {cmd}")
    } else if semi_style {
        format!("; {esc}{nl}{indent}{cmd}")
    } else {
        format!(" && {esc}{nl}{indent}{cmd}")
    };
    Ok(Edit::insert(at, text))
}

/// The edit that puts `cmd` before the RUN's commands (see the module doc).
pub fn prepend(ins: &Instruction, script: &Script, cmd: &str) -> Result<Edit, &'static str> {
    let first = script.items.first().ok_or("the RUN is empty")?;
    let start = ins.logical.to_source(ins.command.args.start);
    if script.items.len() == 1 && !first.and_or.iter().any(|(op, _)| *op == Op::Or) {
        if script.items[0].terminator.is_some()
            && !matches!(script.items[0].terminator, Some((Op::Semi, _)))
        {
            return Err("the RUN has a background job");
        }
        return Ok(Edit::insert(start, format!("{cmd} && ")));
    }
    // `set -eux; …`: after the `set` item.
    if script.items.len() > 1
        && first.and_or.is_empty()
        && matches!(first.terminator, Some((Op::Semi, _)))
        && errexit_before(script, &ShellKind::Posix { errexit: false }, 1)
    {
        let (_, semi) = first.terminator.clone().unwrap_or((Op::Semi, 0..0));
        let at = ins.logical.to_source_end(ins.command.args.start + semi.end);
        return Ok(Edit::insert(at, format!(" {cmd};")));
    }
    Err("the RUN is not a single and-or list")
}

/// The builder the file is written for: the configured target, else
/// BuildKit when the file has a `# syntax=` directive or already uses
/// BuildKit-only features, else the classic builder. (A configured
/// `buildah` is never second-guessed: buildah ignores `# syntax=`.)
pub fn target(doc: &Document, cfg: &Config) -> Target {
    target_with(cfg, || uses_buildkit(doc))
}

fn target_with(cfg: &Config, buildkit: impl FnOnce() -> bool) -> Target {
    if let Some(t) = cfg.target {
        return t;
    }
    if buildkit() {
        Target::Buildkit
    } else {
        Target::Classic
    }
}

/// The document uses what only BuildKit builds: a `# syntax=` directive, a
/// heredoc, `RUN --mount/--network/--security`, `COPY --link/--chmod`.
pub fn uses_buildkit(doc: &Document) -> bool {
    doc.directive("syntax").is_some()
        || doc.instructions().iter().any(|i| {
            !i.heredocs.is_empty()
                || i.flags().iter().any(|f| {
                    matches!(f.name(), "mount" | "link" | "network" | "security")
                        || (f.name() == "chmod" && i.keyword == Keyword::Copy)
                })
        })
}

/// The builder's table (`transforms/builders.toml`) when it runs
/// `RUN --mount=type=cache`; `None` when it does not. The document scan
/// behind [`target`] is done once per model (it was once per RUN).
pub fn mount_builder<'d>(
    model: &crate::model::Model,
    cfg: &Config,
    data: &'d Data,
) -> Option<&'d Builder> {
    data.builder(target_with(cfg, || model.uses_buildkit()).name())
        .filter(|b| b.cache_mounts)
}

/// The `--mount=type=cache,…` flags that put the caches `targets` of one
/// manager on RUN `ins`, in the form `builder` accepts: `owner` is appended
/// to each (`,uid=1000,gid=1000` or empty), `sharing` is the manager's wish
/// (`locked`), left out where the builder does not accept it.
///
/// With `locked-last-only` the lock goes on the last mount only; on a RUN
/// that already has a locked cache mount the flags go before the RUN's
/// flags ([`mount_insert_at`]), so that mount stays last — unless they ask
/// for a lock themselves or nest with one of the RUN's mounts (their order
/// would change what is visible): then `None`.
pub fn cache_mount_flags(
    builder: &Builder,
    ins: &Instruction,
    targets: &[String],
    owner: &str,
    sharing: Option<&str>,
) -> Option<Vec<String>> {
    let sharing = sharing.filter(|s| builder.sharing.iter().any(|x| x == s));
    if builder.locked_last_only && has_locked_cache_mount(ins) {
        let nests = mount_targets_all(ins)
            .iter()
            .any(|m| targets.iter().any(|t| covers(m, t) || covers(t, m)));
        if sharing == Some("locked") || nests {
            return None;
        }
    }
    let n = targets.len();
    Some(
        targets
            .iter()
            .enumerate()
            .map(|(k, t)| {
                let sharing = match sharing {
                    Some("locked") if builder.locked_last_only && k + 1 < n => None,
                    s => s,
                };
                let sharing = sharing.map(|s| format!(",sharing={s}")).unwrap_or_default();
                format!("--mount=type=cache,target={t}{owner}{sharing}")
            })
            .collect(),
    )
}

/// Where mount flags from [`cache_mount_flags`] go in the source: after the
/// RUN's own flags, or before them when `locked-last-only` needs the RUN's
/// locked cache mount to stay last.
pub fn mount_insert_at(builder: &Builder, ins: &Instruction) -> usize {
    let first = ins.flags().first().map(|f| f.span.start);
    match first {
        Some(at) if builder.locked_last_only && has_locked_cache_mount(ins) => {
            ins.logical.to_source(at)
        }
        _ => ins.logical.to_source(ins.command.args.start),
    }
}

/// The key/value options of each `--mount` flag of the RUN.
fn mount_options(ins: &Instruction) -> impl Iterator<Item = Vec<(&str, &str)>> {
    ins.flags().iter().filter(|f| f.name() == "mount").map(|f| {
        f.value()
            .unwrap_or_default()
            .split(',')
            .filter_map(|kv| kv.split_once('='))
            .collect()
    })
}

/// A `--mount=type=cache,…,sharing=locked` on the RUN.
fn has_locked_cache_mount(ins: &Instruction) -> bool {
    mount_options(ins).any(|o| o.contains(&("type", "cache")) && o.contains(&("sharing", "locked")))
}

/// The targets of every `--mount` of the RUN, whatever its type.
fn mount_targets_all(ins: &Instruction) -> Vec<String> {
    mount_options(ins)
        .filter_map(|o| {
            o.iter()
                .find(|(k, _)| matches!(*k, "target" | "dst" | "destination"))
                .map(|(_, v)| v.to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell;

    fn apt() -> &'static PackageManager {
        crate::data::builtin().manager("apt").unwrap()
    }

    #[test]
    fn finds_calls_through_prefixes() {
        let s = shell::parse("sudo -E env A=1 DEBIAN_FRONTEND=noninteractive /usr/bin/apt-get -qq install -y curl && apt update").unwrap();
        let calls = find_calls(&s, apt());
        assert_eq!(calls.len(), 2);
        assert!(calls[0].sudo);
        assert_eq!(calls[0].tool, "apt-get");
        assert_eq!(calls[0].sub.as_deref(), Some("install"));
        assert_eq!(calls[1].sub.as_deref(), Some("update"));
        let s = shell::parse("apt-get -o Dpkg::Options::=--force-confold install x").unwrap();
        assert_eq!(find_calls(&s, apt())[0].sub.as_deref(), Some("install"));
        let pip = crate::data::builtin().manager("pip").unwrap();
        let s = shell::parse("python3.11 -m pip install x && pip3.12 install y").unwrap();
        let c = find_calls(&s, pip);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].sub.as_deref(), Some("install"));
        let uv = crate::data::builtin().manager("uv").unwrap();
        let s = shell::parse("uv pip install x").unwrap();
        assert_eq!(find_calls(&s, uv)[0].sub.as_deref(), Some("pip install"));
    }

    #[test]
    fn apk_virtual_names_no_package() {
        let apk = crate::data::builtin().manager("apk").unwrap();
        for t in [
            "apk add --no-cache --virtual .build-deps gcc musl-dev",
            "apk add -t .build-deps gcc musl-dev",
        ] {
            let s = shell::parse(t).unwrap();
            let c = &find_calls(&s, apk)[0];
            assert_eq!(
                install_packages(&s, c, apk).unwrap(),
                ["gcc", "musl-dev"],
                "{t}"
            );
        }
    }

    #[test]
    fn flags_and_aliases() {
        let yes = &apt().flags["yes"];
        let nr = &apt().flags["no-recommends"];
        let has = |t: &str, f: &FlagSpec| {
            let s = shell::parse(t).unwrap();
            let c = &find_calls(&s, apt())[0];
            has_flag(&s.commands[c.command], c, f)
        };
        assert!(has("apt-get install -y x", yes));
        assert!(has("apt-get install --yes x", yes));
        assert!(has("apt-get --assume-yes install x", yes));
        assert!(has("apt-get -qq install x", yes));
        assert!(has("apt-get -qqy install x", yes));
        assert!(has("apt-get install -qy x", yes));
        assert!(has("apt-get -o APT::Get::Assume-Yes=true install x", yes));
        assert!(!has("apt-get -q install x", yes));
        assert!(!has("apt-get install x", yes));
        assert!(has("apt-get install --no-install-recommends x", nr));
        assert!(has(
            "apt-get -o APT::Install-Recommends=false install x",
            nr
        ));
        assert!(has("apt-get install -oAPT::Install-Recommends=0 x", nr));
        assert!(!has("apt-get install -y x", nr));
    }

    /// RUN `run` (one line) of a parsed document, with the mount flags the
    /// builder `target` gets for `targets` and where they go.
    fn mounts_for(
        target: Target,
        run: &str,
        targets: &[&str],
        sharing: Option<&str>,
    ) -> Option<(String, Vec<String>)> {
        let doc = Document::parse(&format!("FROM x\n{run}\n")).unwrap();
        let cfg = Config {
            target: Some(target),
            ..Config::default()
        };
        let b = mount_builder(
            &crate::model::Model::new(&doc),
            &cfg,
            crate::data::builtin(),
        )?;
        let ins = &doc.instructions()[1];
        let targets: Vec<String> = targets.iter().map(|t| t.to_string()).collect();
        let flags = cache_mount_flags(b, ins, &targets, "", sharing)?;
        let at = mount_insert_at(b, ins);
        Some((
            doc.source()[at..].lines().next().unwrap().to_string(),
            flags,
        ))
    }

    #[test]
    fn cache_mounts_per_builder() {
        let two = ["/var/cache/apt", "/var/lib/apt"];
        // BuildKit: a lock on each mount, after the RUN's flags.
        let (at, f) = mounts_for(
            Target::Buildkit,
            "RUN --network=host x",
            &two,
            Some("locked"),
        )
        .unwrap();
        assert_eq!(at, "x");
        assert_eq!(
            f,
            [
                "--mount=type=cache,target=/var/cache/apt,sharing=locked",
                "--mount=type=cache,target=/var/lib/apt,sharing=locked"
            ]
        );
        // Classic: none.
        assert!(mounts_for(Target::Classic, "RUN x", &two, None).is_none());
        // Buildah: the lock on the last mount only.
        let (_, f) = mounts_for(Target::Buildah, "RUN x", &two, Some("locked")).unwrap();
        assert_eq!(
            f,
            [
                "--mount=type=cache,target=/var/cache/apt",
                "--mount=type=cache,target=/var/lib/apt,sharing=locked"
            ]
        );
        // Buildah rejects `private`: left out.
        let (_, f) = mounts_for(Target::Buildah, "RUN x", &["/c"], Some("private")).unwrap();
        assert_eq!(f, ["--mount=type=cache,target=/c"]);
        let (_, f) = mounts_for(Target::Buildkit, "RUN x", &["/c"], Some("private")).unwrap();
        assert_eq!(f, ["--mount=type=cache,target=/c,sharing=private"]);
        // Buildah, a RUN with a locked cache mount: unlocked mounts go
        // before its flags; a lock or a nesting target gets nothing.
        let locked = "RUN --mount=type=cache,target=/a,sharing=locked --network=none x";
        let (at, f) = mounts_for(Target::Buildah, locked, &["/c"], None).unwrap();
        assert!(at.starts_with("--mount=type=cache,target=/a,"), "{at}");
        assert_eq!(f, ["--mount=type=cache,target=/c"]);
        assert!(mounts_for(Target::Buildah, locked, &["/c"], Some("locked")).is_none());
        assert!(mounts_for(Target::Buildah, locked, &["/a/b"], None).is_none());
        let deeper = "RUN --mount=type=cache,target=/a/b,sharing=locked x";
        assert!(mounts_for(Target::Buildah, deeper, &["/a"], None).is_none());
        // BuildKit does not care.
        let (at, _) = mounts_for(Target::Buildkit, locked, &["/c"], Some("locked")).unwrap();
        assert_eq!(at, "x");
    }

    #[test]
    fn detected_target() {
        let t = |src: &str, cfg: Option<Target>| {
            let doc = Document::parse(src).unwrap();
            target(
                &doc,
                &Config {
                    target: cfg,
                    ..Config::default()
                },
            )
        };
        assert_eq!(t("FROM x\nRUN a\n", None), Target::Classic);
        assert_eq!(
            t("# syntax=docker/dockerfile:1\nFROM x\n", None),
            Target::Buildkit
        );
        assert_eq!(t("FROM x\nCOPY --link a b\n", None), Target::Buildkit);
        // A configured builder wins over the file's BuildKit signs.
        assert_eq!(
            t(
                "# syntax=docker/dockerfile:1\nFROM x\nRUN --mount=type=cache,target=/c a\n",
                Some(Target::Buildah)
            ),
            Target::Buildah
        );
        assert_eq!(
            t(
                "# syntax=docker/dockerfile:1\nFROM x\n",
                Some(Target::Classic)
            ),
            Target::Classic
        );
    }

    #[test]
    fn cleanups() {
        let clean = &apt().clean;
        let rm = |t: &str| {
            let s = shell::parse(t).unwrap();
            removes_path(&s.commands[0], &clean.paths)
        };
        assert!(rm("rm -rf /var/lib/apt/lists/*"));
        assert!(rm("rm -fr /var/lib/apt/lists"));
        assert!(rm("rm -r -f /var/lib/apt/lists/"));
        assert!(rm("sudo rm -Rf /tmp/* \"/var/lib/apt/lists\"/*"));
        assert!(rm("rm -rf /var/lib/apt"));
        assert!(!rm("rm -f /var/lib/apt/lists/lock"));
        assert!(!rm("rm -rf /var/lib/apt/lists/partial"));
        assert!(!rm("rm -rf /var/cache/apt"));
        let s = shell::parse("apt-get -y dist-clean").unwrap();
        assert!(matches_command(&s.commands[0], "apt-get dist-clean"));
        let s = shell::parse("apt-get clean").unwrap();
        assert!(!matches_command(&s.commands[0], "apt-get dist-clean"));
    }
}
