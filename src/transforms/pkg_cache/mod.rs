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
//!    RUN's own style (`run_edits::append`), under `sudo` when the install ran
//!    under sudo.
//!
//! One finding per RUN carries the edits of all its managers and the summed
//! savings of the table entries marked with the transform's code.
//!
//! Here: the entry point, the per-RUN state and finding; step 3 in
//! [`clean`], step 4 in [`fix`].

mod clean;
mod fix;

use crate::config::CacheStyle;
use crate::data::{FlagSpec, Gate, PackageManager};
use crate::edit::{Applicability, Edit, Fix, Reach};
use crate::finding::Finding;
use crate::shell::{self, Script, SimpleCommand};
use crate::syntax::{Document, Instruction, Keyword};
use crate::transform::{Context, Meta};

use super::run_edits::{self, PmCall};
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
    // Searchers made once for all RUNs (a `contains` sets one up per call).
    let finders: Vec<memchr::memmem::Finder> =
        names.iter().map(memchr::memmem::Finder::new).collect();
    let mentions = |i: usize| {
        let t = doc.instructions()[i].logical.text.as_bytes();
        finders.iter().any(|f| f.find(t).is_some())
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
    let a = CacheFacts {
        meta,
        doc,
        cx,
        scripts: &scripts,
        shells: model.shells(),
        env_args: &env_args,
        exports: Default::default(),
        messages: Default::default(),
    };
    for i in runs {
        if let Some(f) = a.run(i, &managers) {
            out.push(f);
        }
    }
}

/// What the cache transforms know of one document: each RUN's shell view
/// and shell, the ENV/ARG positions, the `export`s seen.
struct CacheFacts<'a> {
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
    /// The findings' messages, shared when they are the same.
    messages: std::cell::RefCell<crate::finding::Messages>,
}

/// The fix one manager needs in one RUN.
#[derive(Default)]
struct ManagerFix {
    /// Minimal edits inside the RUN (flags, a dropped update).
    edits: Vec<Edit>,
    /// Some of `edits` remove a command (an update, a cleanup), which is
    /// right only for the RUN as it stands: not [`Reach::Words`].
    drops: bool,
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
    let plain = |a: &str| !a.contains(' ');
    let after_name = |upto: usize| c.words[call.name + 1..upto.max(call.name + 1)].iter();
    if !spec.global {
        return run_edits::has_flag_in(after_name(c.words.len()), spec, plain);
    }
    let sub = call.sub_word.map(|s| s + 1);
    // Before the subcommand: every form.
    let before_sub = call
        .sub_word
        .map(|s| (s + 1).saturating_sub(call.sub.as_deref().map_or(1, |x| x.split(' ').count())));
    let upto = before_sub.map_or(c.words.len(), |u| u.min(c.words.len()));
    if run_edits::has_flag_in(after_name(upto), spec, plain) {
        return true;
    }
    // After it: every form but `add` itself (`zypper install -n` is --name).
    let Some(sub) = sub else { return false };
    run_edits::has_flag_in(c.words[sub.min(c.words.len())..].iter(), spec, |a| {
        plain(a) && a != spec.add
    })
}

impl CacheFacts<'_> {
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

    fn run(&self, i: usize, managers: &[(&str, &PackageManager)]) -> Option<Finding> {
        let doc = self.doc;
        let ins = self.ins(i);
        let script = self.scripts[i]?;
        let needs: Vec<ManagerFix> = managers
            .iter()
            .filter_map(|(name, pm)| self.need(i, script, name, pm))
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
        let mut drops = false;
        for n in needs {
            drops |= n.drops;
            edits.extend(n.edits);
            what.extend(n.what);
            refused.extend(n.refused);
            mounts.extend(n.mounts);
            cleanups.extend(n.cleanup);
            if let Some(s) = n.saving {
                saving = Some(saving.unwrap_or(0) + s);
            }
        }
        if let Some(b) = run_edits::mount_builder(self.cx.model(), self.cx.config, self.cx.data())
            .filter(|_| !mounts.is_empty())
        {
            let text: String = mounts.iter().map(|m| format!("{m} ")).collect();
            edits.push(Edit::insert(run_edits::mount_insert_at(b, ins), text));
        }
        if !cleanups.is_empty() {
            match run_edits::append(
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
                message: self.messages.borrow_mut().get(refused.join("; ")),
                span,
                fix: Some(Fix::display_only(vec![])),
                saving_bytes: None,
            });
        }
        // Flags alone hold in whatever RUN their command ends up (a merge
        // in the same pass); mounts and cleanups belong to this RUN.
        let reach = if drops || !mounts.is_empty() || !cleanups.is_empty() {
            Reach::Range
        } else {
            Reach::Words
        };
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
            message: self.messages.borrow_mut().get(message),
            span,
            fix: Some(Fix::new(edits, Applicability::Safe).with_reach(reach)),
            saving_bytes: saving,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::clean::{pattern_in, truthy, words_of};
    use super::*;

    fn present(text: &str, manager: &str, flag: &str) -> bool {
        let pm = crate::data::builtin().manager(manager).unwrap();
        let s = shell::parse(text).unwrap();
        let c = &run_edits::find_calls(&s, pm)[0];
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
