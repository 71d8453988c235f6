//! The engine of the package-cache transforms (DS004–DS009): every recipe
//! detail comes from `transforms/package-managers.toml`, so a transform is
//! its metadata and a call to [`check`] with its code; a new manager is a new
//! table whose `used-by` names the transform.
//!
//! For each shell-form RUN and each manager the transform reads:
//!
//! 1. the install calls (`install` subcommands, or the bare command when
//!    `bare-install`), found through `sudo`/`env` prefixes;
//! 2. flags of the manager marked with the transform's code other than the
//!    `cache-flag` (`-y`, zypper's global `-n`) are added where missing;
//! 3. the cache counts as kept out when a `cache-env` variable is set (ENV or
//!    ARG in the stage or a stage it is built from, a prefix assignment on
//!    the command, or an `export` earlier in the RUN), a cache/tmpfs mount
//!    covers `clean.mounts`, a `clean.commands` command or an `rm -r` of
//!    `clean.paths` follows the last install, a `config-files` file written
//!    in the stage sets the cache flag's `config-keys`, or (with a
//!    `cache-flag`) every install carries the flag;
//! 4. otherwise, with a `gate` the stage must show the right tool version
//!    (else a display-only finding says why), and then: with
//!    `cache-style = "mount"` and a builder that supports it, cache mounts on
//!    `mount.targets`; else the `cache-flag` after each install's subcommand
//!    (and with `drop-update` the `update` right before the first install,
//!    when nothing else reads the index); else `cleanup` appended in the
//!    RUN's own style (`runedit::append`), under `sudo` when the install ran
//!    under sudo.
//!
//! One finding per RUN carries the edits of all its managers and the summed
//! savings of the table entries marked with the transform's code.

use crate::config::CacheStyle;
use crate::data::{FlagSpec, Gate, PackageManager};
use crate::edit::{Applicability, Edit, Fix};
use crate::finding::Finding;
use crate::shell::{self, Script, SimpleCommand};
use crate::syntax::{Document, Instruction, Keyword};
use crate::transform::{Context, Meta};

use super::runedit::{self, PmCall};
use crate::model::ShellKind;

/// Runs the recipe of every manager whose `used-by` names `meta.code`.
pub fn check(meta: &'static Meta, doc: &Document, cx: &Context, out: &mut Vec<Finding>) {
    // RUNs and `ONBUILD RUN` triggers (fixed in place: they run in every
    // child build).
    let runs: Vec<usize> = doc
        .instructions()
        .iter()
        .enumerate()
        .filter(|(_, i)| {
            i.keyword == Keyword::Run
                || (i.keyword == Keyword::Onbuild
                    && i.onbuild().is_some_and(|s| {
                        Keyword::from_keyword(&i.logical.text[s.keyword.clone()]) == Keyword::Run
                    }))
        })
        .map(|(k, _)| k)
        .collect();
    if runs.is_empty() {
        return;
    }
    let data = cx.data();
    let managers: Vec<(&str, &PackageManager)> = data.managers_for(meta.code).collect();
    // Cheap test before any shell parsing: a RUN names one of the commands.
    let names: Vec<&str> = managers
        .iter()
        .flat_map(|(_, m)| m.commands.iter().chain(&m.python_modules))
        .map(String::as_str)
        .collect();
    let mentions = |i: usize| {
        let t = &doc.instructions()[i].logical.text;
        names.iter().any(|n| t.contains(n))
    };
    if !runs.iter().any(|&i| mentions(i)) {
        return;
    }
    let model = cx.model();
    let scripts: Vec<Option<&Script>> = (0..doc.instructions().len())
        .map(|i| {
            if runs.binary_search(&i).is_ok() && mentions(i) {
                model.run_script(i)
            } else {
                None
            }
        })
        .collect();
    let env_args: Vec<usize> = doc
        .instructions()
        .iter()
        .enumerate()
        .filter(|(_, x)| matches!(x.keyword, Keyword::Env | Keyword::Arg))
        .map(|(k, _)| k)
        .collect();
    let a = Analysis {
        meta,
        doc,
        cx,
        scripts: &scripts,
        shells: model.shells(),
        env_args: &env_args,
        exports: Default::default(),
    };
    for i in runs {
        if let Some(f) = a.run(i, &managers) {
            out.push(f);
        }
    }
}

struct Analysis<'a> {
    meta: &'static Meta,
    doc: &'a Document,
    cx: &'a Context<'a>,
    scripts: &'a [Option<&'a Script>],
    shells: &'a [ShellKind],
    /// Indices of the ENV and ARG instructions, ascending.
    env_args: &'a [usize],
    /// (script, manager) → the end of the script's first `export` that
    /// sets one of the manager's `cache-env` variables.
    exports: std::cell::RefCell<std::collections::HashMap<(usize, usize), Option<usize>>>,
}

/// What one manager needs in one RUN.
#[derive(Default)]
struct Need {
    /// Minimal edits inside the RUN (flags, a dropped update).
    edits: Vec<Edit>,
    /// Mount flags to put before the RUN's command.
    mounts: Vec<String>,
    /// A command to append.
    cleanup: Option<String>,
    /// Message parts.
    what: Vec<String>,
    saving: Option<u64>,
    /// Display-only reason (nothing else to do for this manager).
    refused: Option<String>,
}

fn sub_in(c: &PmCall, list: &[String]) -> bool {
    c.sub
        .as_deref()
        .is_some_and(|s| list.iter().any(|x| x == s))
}

/// The install calls of a manager.
fn installs<'c>(script: &Script, pm: &PackageManager, calls: &'c [PmCall]) -> Vec<&'c PmCall> {
    calls
        .iter()
        .filter(|c| sub_in(c, &pm.install) || (pm.bare_install && bare(script, c)))
        .collect()
}

/// The command has no subcommand: only options after its name.
fn bare(script: &Script, c: &PmCall) -> bool {
    c.sub.is_none()
        && script.commands[c.command].words[c.name + 1..]
            .iter()
            .all(|w| w.literal.as_deref().is_some_and(|l| l.starts_with('-')))
}

/// Whether `spec` is present on the call (aliases of several words need all
/// their words; a global flag's own form counts only before the subcommand).
pub fn flag_present(c: &SimpleCommand, call: &PmCall, spec: &FlagSpec) -> bool {
    let words = &c.words[call.name + 1..];
    for a in spec.aliases.iter().filter(|a| a.contains(' ')) {
        if a.split(' ').all(|p| words.iter().any(|w| w.is(p))) {
            return true;
        }
    }
    let single = |aliases: Vec<String>, upto: Option<usize>| {
        let mut cut = c.clone();
        if let Some(u) = upto {
            cut.words.truncate(u);
        }
        let s = FlagSpec {
            aliases,
            ..spec.clone()
        };
        runedit::has_flag(&cut, call, &s)
    };
    let plain: Vec<String> = spec
        .aliases
        .iter()
        .filter(|a| !a.contains(' '))
        .cloned()
        .collect();
    if !spec.global {
        return single(plain, None);
    }
    let sub = call.sub_word.map(|s| s + 1);
    // Before the subcommand: every form.
    let before_sub = call
        .sub_word
        .map(|s| s + 1 - call.sub.as_deref().map_or(1, |x| x.split(' ').count()));
    if single(plain.clone(), before_sub) {
        return true;
    }
    // After it: every form but `add` itself (`zypper install -n` is --name).
    let after: Vec<String> = plain.into_iter().filter(|a| *a != spec.add).collect();
    let Some(sub) = sub else { return false };
    let mut tail = c.clone();
    tail.words = c.words[..=call.name]
        .iter()
        .chain(&c.words[sub.min(c.words.len())..])
        .cloned()
        .collect();
    let s = FlagSpec {
        aliases: after,
        ..spec.clone()
    };
    runedit::has_flag(&tail, call, &s)
}

/// Inserts ` flag` right after the command name (a global option).
fn insert_global(ins: &Instruction, c: &SimpleCommand, call: &PmCall, flag: &str) -> Edit {
    let w = &c.words[call.name];
    let at = ins
        .logical
        .to_source_end(ins.command.args.start + w.span.end);
    Edit::insert(at, format!(" {flag}"))
}

/// A variable value that turns a `*_NO_CACHE*` setting on.
fn truthy(v: &str) -> bool {
    let v = v.trim().trim_matches(['"', '\'']).to_ascii_lowercase();
    !matches!(v.as_str(), "" | "0" | "false" | "no" | "off")
}

/// Splits a pattern or text into words for gate matching.
fn words_of(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || matches!(c, ';' | '&' | '|' | '(' | ')'))
        .map(|w| w.trim_matches(['"', '\'']).to_string())
        .filter(|w| !w.is_empty())
        .collect()
}

fn word_matches(pat: &str, w: &str) -> bool {
    let base = w.rsplit('/').next().unwrap_or(w);
    match pat.strip_suffix('*') {
        Some(p) => w.starts_with(p) || base.starts_with(p),
        None => w == pat || base == pat,
    }
}

/// Whether the word sequence `pat` occurs in `words`.
fn pattern_in(pat: &str, words: &[String]) -> bool {
    let p: Vec<&str> = pat.split(' ').collect();
    words
        .windows(p.len())
        .any(|win| win.iter().zip(&p).all(|(w, p)| word_matches(p, w)))
}

impl Analysis<'_> {
    /// Instruction `i` as the RUN it is or, for `ONBUILD RUN`, registers.
    fn ins(&self, i: usize) -> &Instruction {
        self.cx
            .model()
            .run(i)
            .unwrap_or(&self.doc.instructions()[i])
    }

    /// Instruction indices of the stage of `at` and the stages it is built
    /// from, up to and including `at`.
    fn lineage(&self, at: usize) -> impl Iterator<Item = usize> {
        self.lineage_ranges(at).into_iter().flatten()
    }

    /// [`Self::lineage`] as ranges, one per stage (the stage of `at` first).
    fn lineage_ranges(&self, at: usize) -> Vec<std::ops::Range<usize>> {
        let doc = self.doc;
        let mut out = Vec::new();
        let Some(mut stage) = doc.stage_of(at) else {
            return out;
        };
        let mut end = at + 1;
        loop {
            out.push(stage.instructions.start..end);
            let Some(parent) = doc.parent_stage(stage) else {
                return out;
            };
            end = parent.instructions.end;
            stage = parent;
        }
    }

    /// The base image of the stage of `at`, through `FROM <stage>`.
    fn base_image(&self, at: usize) -> String {
        let doc = self.doc;
        let Some(mut stage) = doc.stage_of(at) else {
            return String::new();
        };
        loop {
            match doc.parent_stage(stage) {
                Some(p) => stage = p,
                None => return stage.image.text.to_ascii_lowercase(),
            }
        }
    }

    /// A `cache-env` variable is set for the install `call`.
    fn env_disables(&self, i: usize, script: &Script, call: &PmCall, pm: &PackageManager) -> bool {
        if pm.cache_env.is_empty() {
            return false;
        }
        let named = |n: &str| pm.cache_env.iter().any(|e| e == n);
        // ENV / ARG in the stage lineage (the last setting wins).
        let instrs = self.doc.instructions();
        let mut set = None;
        // Only the ENV and ARG instructions of each range, in the order
        // `lineage` gives: a stage of thousands of RUNs is not walked again
        // for each install.
        let env_args = self.env_args;
        for r in self.lineage_ranges(i) {
            let from = env_args.partition_point(|&j| j < r.start);
            let upto = env_args.partition_point(|&j| j < r.end);
            for &j in &env_args[from..upto] {
                let x = &instrs[j];
                for (k, v) in x.pairs() {
                    if named(&k) {
                        set = Some(v.as_deref().is_some_and(truthy));
                    }
                }
            }
        }
        if set == Some(true) {
            return true;
        }
        let assigns = |w: &shell::Word| {
            w.literal
                .as_deref()
                .and_then(|l| l.split_once('='))
                .is_some_and(|(k, v)| named(k) && truthy(v))
        };
        let c = &script.commands[call.command];
        // `VAR=1 pip …`, `env VAR=1 pip …`, `sudo VAR=1 pip …`.
        if c.assignments.iter().any(assigns) || c.words[..call.name].iter().any(assigns) {
            return true;
        }
        // `export VAR=1` earlier in the same shell: the end of the first
        // such export, found once per RUN and manager (a merged RUN has
        // thousands of installs).
        let key = (
            script as *const Script as usize,
            pm as *const PackageManager as usize,
        );
        let first_export = *self.exports.borrow_mut().entry(key).or_insert_with(|| {
            script
                .commands
                .iter()
                .filter(|e| {
                    !e.isolated && e.name() == Some("export") && e.words[1..].iter().any(assigns)
                })
                .map(|e| e.span.end)
                .min()
        });
        first_export.is_some_and(|end| end <= c.span.start)
    }

    /// A config file written in the stage sets one of the flag's keys.
    fn configured(&self, i: usize, pm: &PackageManager, spec: Option<&FlagSpec>) -> bool {
        let Some(spec) = spec else { return false };
        if pm.config_files.is_empty() || spec.config_keys.is_empty() {
            return false;
        }
        let instrs = self.doc.instructions();
        self.lineage(i).any(|j| {
            let x = &instrs[j];
            match x.keyword {
                Keyword::Run => {
                    let words = words_of(x.args_text());
                    let t = x.args_text();
                    pm.config_files.iter().any(|f| pattern_in(f, &words))
                        && spec.config_keys.iter().any(|k| t.contains(k.as_str()))
                }
                // A copied config file: its content is unknown, trust it.
                Keyword::Copy | Keyword::Add => x
                    .copy_parts()
                    .is_some_and(|(_, dst)| pm.config_files.iter().any(|f| word_matches(f, dst))),
                _ => false,
            }
        })
    }

    /// `Err(why)` when the gate does not let the cache fix through.
    fn gate(&self, i: usize, gate: &Gate) -> Result<(), String> {
        let instrs = self.doc.instructions();
        let mut words = Vec::new();
        for j in self.lineage(i) {
            let x = &instrs[j];
            match x.keyword {
                Keyword::Run | Keyword::Env | Keyword::Arg => {
                    words.push(String::new());
                    words.extend(words_of(x.args_text()));
                }
                Keyword::Copy | Keyword::Add => {
                    words.push(String::new());
                    words.extend(
                        x.values()
                            .iter()
                            .map(|v| v.trim_end_matches('/').to_string()),
                    );
                }
                _ => {}
            }
        }
        if let Some(b) = gate.blocks.iter().find(|p| pattern_in(p, &words)) {
            return Err(format!("the stage shows `{b}`: {}", gate.why));
        }
        if gate.needs.iter().any(|p| pattern_in(p, &words)) {
            return Ok(());
        }
        Err(format!("cannot tell the version in use: {}", gate.why))
    }

    /// Cache mounts for `pm` in RUN `i`, or `None` when mount style does not
    /// apply (then the remove style is used).
    fn mounts(
        &self,
        i: usize,
        script: &Script,
        pm: &PackageManager,
        calls: &[PmCall],
        inst: &[&PmCall],
    ) -> Option<Vec<String>> {
        let cfg = self.cx.config;
        let doc = self.doc;
        // A trigger runs in a child build whose builder is unknown.
        if cfg.cache_style != CacheStyle::Mount
            || doc.instructions()[i].keyword == Keyword::Onbuild
            || pm.mount.targets.is_empty()
            || inst.iter().any(|c| c.sudo)
        {
            return None;
        }
        let builder = runedit::mount_builder(self.cx.model(), cfg, self.cx.data())?;
        if !pm.mount.images.is_empty() {
            let image = self.base_image(i);
            if !pm
                .mount
                .images
                .iter()
                .any(|p| image.starts_with(p.as_str()))
            {
                return None;
            }
        }
        if pm.mount.requires_update {
            let first = inst[0].span(script).start;
            let updated = calls
                .iter()
                .any(|c| sub_in(c, &pm.update) && c.span(script).start < first);
            let flagged = inst.iter().all(|c| {
                script.commands[c.command].words[c.name + 1..]
                    .iter()
                    .any(|w| pm.mount.update_flags.iter().any(|f| w.is(f)))
            });
            if !updated && !flagged {
                return None;
            }
        }
        // Owner of the mount: root, or a numeric USER (a named user's uid is
        // unknown); HOME-relative targets (and Yarn's) are root's.
        let owner =
            match self.cx.model().user_at(i) {
                None => String::new(),
                Some(u) => {
                    let line = doc.instructions()[..i]
                        .iter()
                        .rev()
                        .find(|x| x.keyword == Keyword::User)
                        .and_then(|x| x.values().first().cloned())
                        .unwrap_or_else(|| u.to_string());
                    let (uid, gid) = line.split_once(':').unwrap_or((line.as_str(), ""));
                    let numeric = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
                    // Yarn 1 uses /usr/local/share/.cache as root only; any
                    // other user caches under its HOME.
                    if !numeric(uid)
                        || !(gid.is_empty() || numeric(gid))
                        || pm.mount.targets.iter().any(|t| {
                            t.starts_with("/root") || t.starts_with("/usr/local/share/.cache")
                        })
                    {
                        return None;
                    }
                    format!(",uid={uid},gid={}", if gid.is_empty() { uid } else { gid })
                }
            };
        runedit::cache_mount_flags(
            builder,
            self.ins(i),
            &pm.mount.targets,
            &owner,
            pm.mount.sharing.as_deref(),
        )
    }

    /// The edit that removes an `update` right before the first install, when
    /// nothing else reads the index it fetched.
    fn drop_update(
        &self,
        i: usize,
        script: &Script,
        pm: &PackageManager,
        calls: &[PmCall],
        inst: &[&PmCall],
    ) -> Option<Edit> {
        let ins = self.ins(i);
        let text = ins.args_text();
        let first = inst[0];
        let fc = &script.commands[first.command];
        let u = calls
            .iter()
            .rfind(|c| sub_in(c, &pm.update) && c.span(script).end <= fc.span.start)?;
        let uc = &script.commands[u.command];
        if uc.isolated || fc.isolated {
            return None;
        }
        // A plain update: options such as `-X <repo>` may fetch an index the
        // install reads from its cache.
        if !uc.words[u.name + 1..].iter().all(|w| {
            w.literal.as_deref().is_some_and(|l| {
                u.sub_word.is_some_and(|s| std::ptr::eq(w, &uc.words[s]))
                    || matches!(l, "-q" | "--quiet" | "-v" | "--verbose" | "--no-progress")
            })
        }) {
            return None;
        }
        // Right before the install: `update && add` or `update; add`.
        let between = text[uc.span.end..fc.span.start].trim();
        if !matches!(between, "&&" | ";") {
            return None;
        }
        // Not the right side of `||` or `|`.
        let before = text[..uc.span.start].trim_end();
        if !(before.is_empty() || before.ends_with("&&") || before.ends_with(';')) {
            return None;
        }
        // No other reader of the index in this RUN.
        if calls.iter().any(|c| {
            c.span(script).start > uc.span.start
                && sub_in(c, &pm.index_users)
                && !sub_in(c, &pm.install)
        }) {
            return None;
        }
        // Nor in a later RUN of the stage or a stage built from it, nor an
        // ONBUILD.
        let doc = self.doc;
        let stage = doc.stage_of(i)?;
        let mut later: Vec<usize> = (i + 1..stage.instructions.end).collect();
        for d in self.cx.model().descendants(stage.index) {
            later.extend(doc.stages()[d].instructions.clone());
        }
        later.extend(stage.instructions.start..i);
        for j in later {
            let x = &doc.instructions()[j];
            let raw = doc.text(x.span.clone());
            let name_in = pm.commands.iter().any(|n| raw.contains(n.as_str()));
            if !name_in {
                continue;
            }
            if x.keyword == Keyword::Onbuild {
                return None;
            }
            if x.keyword != Keyword::Run || j < i {
                continue;
            }
            let s = self.scripts[j]?;
            if runedit::find_calls(s, pm)
                .iter()
                .any(|c| sub_in(c, &pm.index_users) && !sub_in(c, &pm.install))
            {
                return None;
            }
        }
        let start = ins
            .logical
            .to_source(ins.command.args.start + uc.span.start);
        let end = ins
            .logical
            .to_source(ins.command.args.start + fc.span.start);
        if doc.source()[start..end].contains('#') {
            return None;
        }
        Some(Edit::delete(start..end))
    }

    /// The edit that removes a `clean.commands` cleanup standing between two
    /// calls of the manager when another one follows the last install
    /// (`dnf -y update && dnf clean all && dnf -y install x && dnf clean
    /// all`, what merging two RUNs gives): the metadata it drops is this
    /// RUN's own, fetched again right after. Only a plain `&&` link, never
    /// a cleanup before the manager's first call (that one may clear stale
    /// metadata of the base image).
    fn middle_clean(
        &self,
        i: usize,
        script: &Script,
        pm: &PackageManager,
        calls: &[PmCall],
        last_install: usize,
    ) -> Option<Edit> {
        let ins = self.ins(i);
        let text = ins.args_text();
        let is_clean = |c: &SimpleCommand| {
            pm.clean
                .commands
                .iter()
                .any(|x| runedit::matches_command(c, x))
        };
        if !script
            .commands
            .iter()
            .any(|c| c.span.start >= last_install && is_clean(c))
        {
            return None;
        }
        let cmds = &script.commands;
        let k = cmds.iter().position(|c| {
            c.span.end <= last_install
                && is_clean(c)
                && !c.isolated
                && calls
                    .iter()
                    .any(|p| p.span(script).end <= c.span.start && !is_clean(&cmds[p.command]))
        })?;
        // `prev && clean && next`: drop ` && clean`, from the end of the
        // command before it, so the line break and style after it stay.
        let (prev, c) = (&cmds[k.checked_sub(1)?], &cmds[k]);
        if prev.isolated
            || text[prev.span.end..c.span.start].trim() != "&&"
            || !text[c.span.end..].trim_start().starts_with("&&")
        {
            return None;
        }
        let start = ins
            .logical
            .to_source_end(ins.command.args.start + prev.span.end);
        let end = ins
            .logical
            .to_source_end(ins.command.args.start + c.span.end);
        // Comment lines inside the continuation stay where they are.
        if self.doc.source()[start..end].contains('#') {
            return None;
        }
        Some(Edit::delete(start..end))
    }

    /// The recipe of one manager in RUN `i`.
    fn need(&self, i: usize, script: &Script, pm: &PackageManager) -> Option<Need> {
        let ins = self.ins(i);
        let code = self.meta.code;
        let calls = runedit::find_calls(script, pm);
        let inst = installs(script, pm, &calls);
        if inst.is_empty() {
            return None;
        }
        let mut need = Need::default();
        let label = {
            let c = inst[0];
            match &c.sub {
                Some(s) => format!("{} {s}", c.tool),
                None => c.tool.clone(),
            }
        };
        // Other flags of this transform (`-y`, zypper `-n`).
        for spec in pm.flags.iter().filter_map(|(k, f)| {
            (Some(k) != pm.cache_flag.as_ref() && f.used_by.iter().any(|c| c == code)).then_some(f)
        }) {
            let before = need.edits.len();
            for c in &inst {
                let sc = &script.commands[c.command];
                if flag_present(sc, c, spec) {
                    continue;
                }
                if spec.global {
                    need.edits.push(insert_global(ins, sc, c, &spec.add));
                } else if let Some(e) = runedit::insert_flag(ins, sc, c, &spec.add) {
                    need.edits.push(e);
                }
            }
            if need.edits.len() > before {
                need.what.push(format!("add `{}` to `{label}`", spec.add));
            }
        }
        let cache_flag = pm.cache_flag.as_ref().and_then(|k| pm.flags.get(k));
        let missing: Vec<&PmCall> = inst
            .iter()
            .copied()
            .filter(|c| {
                !cache_flag.is_some_and(|f| flag_present(&script.commands[c.command], c, f))
            })
            .filter(|c| !self.env_disables(i, script, c, pm))
            .collect();
        let last_install = inst.last()?.span(script).end;
        let clean = runedit::mounts_cover(ins, &pm.clean.mounts)
            || self.configured(i, pm, cache_flag)
            || script.commands.iter().any(|c| {
                c.span.start >= last_install
                    && (runedit::removes_path(c, &pm.clean.paths)
                        || pm
                            .clean
                            .commands
                            .iter()
                            .any(|x| runedit::matches_command(c, x)))
            });
        if clean {
            if let Some(e) = self.middle_clean(i, script, pm, &calls, last_install) {
                need.edits.push(e);
                need.what.push(format!(
                    "`{label}`: drop the cleanup in the middle of the RUN; the one at the end \
                     covers it, and the install no longer fetches the metadata twice"
                ));
            }
            return (!need.edits.is_empty()).then_some(need);
        }
        // Every install already carries the cache flag: only an update that
        // fetched an index nothing reads may be left to remove.
        if missing.is_empty() {
            if pm.drop_update && cache_flag.is_some() {
                if let Some(e) = self.drop_update(i, script, pm, &calls, &inst) {
                    need.edits.push(e);
                    need.what.push(format!(
                        "`{label}` fetches its own index: remove the index update before it"
                    ));
                    need.saving = pm.saving_for(code);
                }
            }
            return (!need.edits.is_empty()).then_some(need);
        }
        let leaves = pm.leaves.as_deref().unwrap_or("its cache");
        if let Some(gate) = &pm.gate {
            if let Err(why) = self.gate(i, gate) {
                need.refused = Some(format!("`{label}` leaves {leaves}; not cleaned: {why}"));
                return Some(need);
            }
        }
        if let Some(m) = self.mounts(i, script, pm, &calls, &inst) {
            need.what.push(format!(
                "`{label}` leaves {leaves}: keep it in a cache mount on {}",
                pm.mount.targets.join(", ")
            ));
            need.mounts = m;
            need.saving = pm.saving_for(code);
            return Some(need);
        }
        if let Some(flag) = cache_flag {
            for c in &missing {
                if let Some(e) =
                    runedit::insert_flag(ins, &script.commands[c.command], c, &flag.add)
                {
                    need.edits.push(e);
                }
            }
            need.what
                .push(format!("`{label}` leaves {leaves}: add `{}`", flag.add));
            if pm.drop_update {
                if let Some(e) = self.drop_update(i, script, pm, &calls, &inst) {
                    need.edits.push(e);
                    need.what
                        .push("remove the index update the install no longer needs".into());
                }
            }
            need.saving = pm.saving_for(code);
            return Some(need);
        }
        let Some(cleanup) = &pm.cleanup else {
            return (!need.edits.is_empty()).then_some(need);
        };
        let sudo = inst.iter().any(|c| c.sudo);
        // One cleanup per distinct command as written (`dnf` and `dnf5` keep
        // separate caches; `/opt/conda/bin/conda` may not be on PATH).
        let mut commands: Vec<String> = Vec::new();
        for c in &inst {
            let w = script.commands[c.command].words[c.name]
                .literal
                .clone()
                .unwrap_or_else(|| c.tool.clone());
            if !commands.contains(&w) {
                commands.push(w);
            }
        }
        if !cleanup.contains("{command}") {
            commands.truncate(1);
        }
        let cmd = commands
            .iter()
            .map(|command| {
                cleanup
                    .replace("{command}", command)
                    .split(" && ")
                    .map(|p| {
                        if sudo {
                            format!("sudo {p}")
                        } else {
                            p.to_string()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" && ")
            })
            .collect::<Vec<_>>()
            .join(" && ");
        if !sudo && cmd.contains("rm ") {
            if let Some(u) = self.cx.model().user_at(i) {
                let why = format!(
                    "`{label}` leaves {leaves}; not cleaned: the RUN runs as USER {u} without sudo"
                );
                if need.edits.is_empty() {
                    need.refused = Some(why);
                } else {
                    need.what.push(why);
                }
                return Some(need);
            }
        }
        need.what
            .push(format!("`{label}` leaves {leaves}: append `{cmd}`"));
        need.cleanup = Some(cmd);
        need.saving = pm.saving_for(code);
        Some(need)
    }

    fn run(&self, i: usize, managers: &[(&str, &PackageManager)]) -> Option<Finding> {
        let doc = self.doc;
        let ins = self.ins(i);
        let script = self.scripts[i]?;
        let needs: Vec<Need> = managers
            .iter()
            .filter_map(|(_, pm)| self.need(i, script, pm))
            .collect();
        if needs.is_empty() {
            return None;
        }
        let mut edits = Vec::new();
        let mut what = Vec::new();
        let mut refused = Vec::new();
        let mut mounts = Vec::new();
        let mut cleanups = Vec::new();
        let mut saving: Option<u64> = None;
        for n in needs {
            edits.extend(n.edits);
            what.extend(n.what);
            refused.extend(n.refused);
            mounts.extend(n.mounts);
            cleanups.extend(n.cleanup);
            if let Some(s) = n.saving {
                saving = Some(saving.unwrap_or(0) + s);
            }
        }
        if let Some(b) = runedit::mount_builder(self.cx.model(), self.cx.config, self.cx.data())
            .filter(|_| !mounts.is_empty())
        {
            let text: String = mounts.iter().map(|m| format!("{m} ")).collect();
            edits.push(Edit::insert(runedit::mount_insert_at(b, ins), text));
        }
        if !cleanups.is_empty() {
            match runedit::append(
                doc,
                ins,
                script,
                &self.shells[i],
                self.cx.config,
                &cleanups.join(" && "),
            ) {
                Ok(e) => edits.push(e),
                Err(why) => {
                    // Keep the flag edits; the cleanup part becomes advice.
                    what.retain(|w| !w.contains(": append `"));
                    refused.push(format!("cache not cleaned: {why}"));
                    saving = None;
                }
            }
        }
        let span = ins.span.start..ins.span.start + ins.keyword_text().len();
        if edits.is_empty() {
            if refused.is_empty() {
                return None;
            }
            return Some(Finding {
                code: self.meta.code,
                name: self.meta.name,
                message: refused.join("; "),
                span,
                fix: Some(Fix::display_only(vec![])),
                saving_bytes: None,
            });
        }
        let mut message = what.join("; ");
        for r in refused {
            message.push_str(&format!(" ({r})"));
        }
        if let Some(b) = saving {
            message.push_str(&format!(" (saves ~{:.1} MB)", b as f64 / 1e6));
        }
        Some(Finding {
            code: self.meta.code,
            name: self.meta.name,
            message,
            span,
            fix: Some(Fix::new(edits, Applicability::Safe)),
            saving_bytes: saving,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn present(text: &str, manager: &str, flag: &str) -> bool {
        let pm = crate::data::builtin().manager(manager).unwrap();
        let s = shell::parse(text).unwrap();
        let c = &runedit::find_calls(&s, pm)[0];
        flag_present(&s.commands[c.command], c, &pm.flags[flag])
    }

    #[test]
    fn global_flags_count_only_before_the_subcommand() {
        assert!(present("zypper -n install x", "zypper", "yes"));
        assert!(present("zypper --non-interactive in x", "zypper", "yes"));
        assert!(present("zypper install -y x", "zypper", "yes"));
        assert!(present("zypper in --no-confirm x", "zypper", "yes"));
        // After the subcommand `-n` is `--name`.
        assert!(!present("zypper install -n x", "zypper", "yes"));
        assert!(!present("zypper install x", "zypper", "yes"));
    }

    #[test]
    fn multi_word_aliases_need_every_word() {
        assert!(present(
            "gem install --no-ri --no-rdoc x",
            "gem",
            "no-document"
        ));
        assert!(present("gem install -N x", "gem", "no-document"));
        assert!(!present("gem install --no-rdoc x", "gem", "no-document"));
    }

    #[test]
    fn gate_patterns() {
        let w = words_of("npm install -g yarn@1.22.19 && cp ./.yarnrc /app/");
        assert!(pattern_in("yarn@1*", &w));
        assert!(pattern_in("-g yarn@1*", &w));
        assert!(pattern_in(".yarnrc", &w));
        assert!(!pattern_in(".yarnrc.yml", &w));
        assert!(!pattern_in("-g yarn", &w));
        assert!(truthy("1") && truthy("on") && !truthy("0") && !truthy("\"false\""));
    }
}
