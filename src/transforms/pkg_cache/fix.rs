//! Choosing the fix for one manager in one RUN: cache mounts, the cache flag
//! (and dropping an `update` nothing else reads), or a cleanup appended; the
//! result is a [`ManagerFix`].

use super::*;
use crate::transforms::index_readers::{self, IndexUse};

/// One manager's calls in one RUN, as [`CacheFacts::need`] reads them.
pub(super) struct ManagerCall<'c> {
    i: usize,
    script: &'c Script,
    /// The manager's name in the data tables (`apt`).
    name: &'c str,
    pm: &'c PackageManager,
    calls: &'c [PmCall],
    /// Its install calls.
    inst: &'c [&'c PmCall],
    /// The first install as written (`apk add`), for messages.
    label: &'c str,
    /// What an install leaves (`leaves`).
    leaves: &'c str,
}

/// Inserts ` flag` right after the command name (a global option).
pub(super) fn insert_global(
    ins: &Instruction,
    c: &SimpleCommand,
    call: &PmCall,
    flag: &str,
) -> Edit {
    let w = &c.words[call.name];
    let at = ins
        .logical
        .to_source_end(ins.command.args.start + w.span.end);
    Edit::insert(at, format!(" {flag}"))
}

impl CacheFacts<'_> {
    /// Cache mounts for `pm` in RUN `i`, or `None` when mount style does not
    /// apply (then the remove style is used).
    pub(super) fn mounts(
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
        let builder = run_edits::mount_builder(self.cx.model(), cfg, self.cx.data())?;
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
        run_edits::cache_mount_flags(
            builder,
            self.ins(i),
            &pm.mount.targets,
            &owner,
            pm.mount.sharing.as_deref(),
        )
    }

    /// How instruction `j` uses `pm`'s index, for [`Self::drop_update`]: a
    /// RUN reads it with an `index-users` call that is no install before
    /// any `update` (the installs get the cache flag, with which they fetch
    /// their own index); an ONBUILD trigger, which runs in another build,
    /// with any `index-users` call, installs included. A RUN or trigger
    /// that cannot be read and names the manager may read it.
    fn index_use(&self, j: usize, name: &str, pm: &PackageManager) -> IndexUse {
        let doc = self.doc;
        let x = &doc.instructions()[j];
        if !matches!(x.keyword, Keyword::Run | Keyword::Onbuild) {
            return IndexUse::None;
        }
        let trigger = x.keyword == Keyword::Onbuild;
        let Some(s) = self.cx.model().run_script(j) else {
            let raw = doc.text(x.span.clone());
            return if pm.commands.iter().any(|n| raw.contains(n.as_str())) {
                IndexUse::Unknown
            } else {
                IndexUse::None
            };
        };
        let calls = self.cx.model().calls(j, name, pm);
        let update = calls.iter().find(|c| sub_in(c, &pm.update));
        let read = calls
            .iter()
            .find(|c| sub_in(c, &pm.index_users) && (trigger || !sub_in(c, &pm.install)));
        match (update, read) {
            (Some(u), Some(r)) if u.span(s).start < r.span(s).start => IndexUse::Refreshes,
            (_, Some(_)) => IndexUse::Reads,
            (Some(_), None) => IndexUse::Refreshes,
            (None, None) => IndexUse::None,
        }
    }

    /// The edit that removes an `update` right before the first install, when
    /// nothing else reads the index it fetched.
    pub(super) fn drop_update(
        &self,
        i: usize,
        script: &Script,
        (name, pm): (&str, &PackageManager),
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
        // Nor after this RUN: a later RUN of the stage, a stage built on
        // it, an ONBUILD trigger (see `index_readers`).
        let model = self.cx.model();
        let use_at = |j: usize| self.index_use(j, name, pm);
        if index_readers::first_users(model, i, use_at, |j| j)
            .into_iter()
            .any(|j| use_at(j) != IndexUse::Refreshes)
        {
            return None;
        }
        let start = ins
            .logical
            .to_source(ins.command.args.start + uc.span.start);
        let end = ins
            .logical
            .to_source(ins.command.args.start + fc.span.start);
        if self.doc.source()[start..end].contains('#') {
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
    pub(super) fn middle_clean(
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
                .any(|x| run_edits::matches_command(c, x))
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
    pub(super) fn need(
        &self,
        i: usize,
        script: &Script,
        name: &str,
        pm: &PackageManager,
    ) -> Option<ManagerFix> {
        let ins = self.ins(i);
        let calls = self.cx.model().calls(i, name, pm);
        let inst = installs(script, pm, &calls);
        if inst.is_empty() {
            return None;
        }
        let mut need = ManagerFix::default();
        let label = {
            let c = inst[0];
            match &c.sub {
                Some(s) => format!("{} {s}", c.tool),
                None => c.tool.to_string(),
            }
        };
        self.add_flags(ins, script, pm, &inst, &label, &mut need);
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
        let call = ManagerCall {
            i,
            script,
            name,
            pm,
            calls: &calls,
            inst: &inst,
            label: &label,
            leaves: pm.leaves.as_deref().unwrap_or("its cache"),
        };
        if self.already_clean(i, script, pm, cache_flag, last_install) {
            self.drop_middle_clean(&call, last_install, &mut need);
            return (!need.edits.is_empty()).then_some(need);
        }
        // Every install already carries the cache flag: only an update that
        // fetched an index nothing reads may be left to remove.
        if missing.is_empty() {
            if pm.drop_update && cache_flag.is_some() {
                self.drop_unread_update(&call, &mut need);
            }
            return (!need.edits.is_empty()).then_some(need);
        }
        self.keep_cache_out(&call, cache_flag, &missing, need)
    }

    /// The RUN already cleans the cache after its last install: a cleanup
    /// in the middle of it can go.
    fn drop_middle_clean(&self, call: &ManagerCall, last_install: usize, need: &mut ManagerFix) {
        let (i, script, pm, calls) = (call.i, call.script, call.pm, call.calls);
        if let Some(e) = self.middle_clean(i, script, pm, calls, last_install) {
            need.edits.push(e);
            need.drops = true;
            need.what.push(format!(
                "`{}`: drop the cleanup in the middle of the RUN; the one at the end \
                 covers it, and the install no longer fetches the metadata twice",
                call.label
            ));
        }
    }

    /// Every install fetches its own index: an index update before it that
    /// nothing else reads can go.
    fn drop_unread_update(&self, call: &ManagerCall, need: &mut ManagerFix) {
        let manager = (call.name, call.pm);
        if let Some(e) = self.drop_update(call.i, call.script, manager, call.calls, call.inst) {
            need.edits.push(e);
            need.drops = true;
            need.what.push(format!(
                "`{}` fetches its own index: remove the index update before it",
                call.label
            ));
            need.saving = call.pm.saving_for(self.meta.code);
        }
    }

    /// Keeps the cache the installs leave out of the layer: refused when
    /// the manager's gate says so, else a cache mount, the cache flag on
    /// the installs that lack it (`missing`), or a cleanup appended.
    fn keep_cache_out(
        &self,
        call: &ManagerCall,
        cache_flag: Option<&FlagSpec>,
        missing: &[&PmCall],
        mut need: ManagerFix,
    ) -> Option<ManagerFix> {
        let (i, pm, label, leaves) = (call.i, call.pm, call.label, call.leaves);
        if let Some(gate) = &pm.gate {
            if let Err(why) = self.gate(i, gate) {
                need.refused = Some(format!("`{label}` leaves {leaves}; not cleaned: {why}"));
                return Some(need);
            }
        }
        if let Some(m) = self.mounts(i, call.script, pm, call.calls, call.inst) {
            need.what.push(format!(
                "`{label}` leaves {leaves}: keep it in a cache mount on {}",
                pm.mount.targets.join(", ")
            ));
            need.mounts = m;
            need.saving = pm.saving_for(self.meta.code);
            return Some(need);
        }
        if let Some(flag) = cache_flag {
            self.add_cache_flag(call, flag, missing, &mut need);
            return Some(need);
        }
        let Some(cleanup) = &pm.cleanup else {
            return (!need.edits.is_empty()).then_some(need);
        };
        self.append_cleanup(call, cleanup, &mut need);
        Some(need)
    }

    /// The cache flag on every install that lacks it, and the index update
    /// it makes unneeded dropped (`drop-update`).
    fn add_cache_flag(
        &self,
        c: &ManagerCall,
        flag: &FlagSpec,
        missing: &[&PmCall],
        need: &mut ManagerFix,
    ) {
        let ins = self.ins(c.i);
        for call in missing {
            if let Some(e) =
                run_edits::insert_flag(ins, &c.script.commands[call.command], call, &flag.add)
            {
                need.edits.push(e);
            }
        }
        need.what.push(format!(
            "`{}` leaves {}: add `{}`",
            c.label, c.leaves, flag.add
        ));
        if c.pm.drop_update {
            if let Some(e) = self.drop_update(c.i, c.script, (c.name, c.pm), c.calls, c.inst) {
                need.edits.push(e);
                need.drops = true;
                need.what
                    .push("remove the index update the install no longer needs".into());
            }
        }
        need.saving = c.pm.saving_for(self.meta.code);
    }

    /// The `cleanup` command appended after the last install (under `sudo`
    /// when an install used it); refused when it removes files as a
    /// non-root USER without sudo.
    fn append_cleanup(&self, c: &ManagerCall, cleanup: &str, need: &mut ManagerFix) {
        let sudo = c.inst.iter().any(|x| x.sudo);
        let cmd = cleanup_command(c.script, cleanup, c.inst, sudo);
        if !sudo && cmd.contains("rm ") {
            if let Some(u) = self.cx.model().user_at(c.i) {
                let why = format!(
                    "`{}` leaves {}; not cleaned: the RUN runs as USER {u} without sudo",
                    c.label, c.leaves
                );
                if need.edits.is_empty() {
                    need.refused = Some(why);
                } else {
                    need.what.push(why);
                }
                return;
            }
        }
        need.what
            .push(format!("`{}` leaves {}: append `{cmd}`", c.label, c.leaves));
        need.cleanup = Some(cmd);
        need.saving = c.pm.saving_for(self.meta.code);
    }

    /// Step 2 of the recipe: the flags of this transform other than the
    /// cache flag (`-y`, zypper `-n`), added to each install that lacks them.
    fn add_flags(
        &self,
        ins: &Instruction,
        script: &Script,
        pm: &PackageManager,
        inst: &[&PmCall],
        label: &str,
        need: &mut ManagerFix,
    ) {
        let code = self.meta.code;
        for spec in pm.flags.iter().filter_map(|(k, f)| {
            (Some(k) != pm.cache_flag.as_ref() && f.used_by.iter().any(|c| c == code)).then_some(f)
        }) {
            let before = need.edits.len();
            for c in inst {
                let sc = &script.commands[c.command];
                if flag_present(sc, c, spec) {
                    continue;
                }
                if spec.global {
                    need.edits.push(insert_global(ins, sc, c, &spec.add));
                } else if let Some(e) = run_edits::insert_flag(ins, sc, c, &spec.add) {
                    need.edits.push(e);
                }
            }
            if need.edits.len() > before {
                need.what.push(format!("add `{}` to `{label}`", spec.add));
            }
        }
    }

    /// Step 3 of the recipe (the parts that hold for every install): a
    /// mount covers `clean.mounts`, a config file sets the cache flag, or a
    /// `clean.commands` command or an `rm -r` of `clean.paths` follows the
    /// last install (which ends at `last_install`).
    fn already_clean(
        &self,
        i: usize,
        script: &Script,
        pm: &PackageManager,
        cache_flag: Option<&FlagSpec>,
        last_install: usize,
    ) -> bool {
        run_edits::mounts_cover(self.ins(i), &pm.clean.mounts)
            || self.configured(i, pm, cache_flag)
            || script.commands.iter().any(|c| {
                c.span.start >= last_install
                    && (run_edits::removes_path(c, &pm.clean.paths)
                        || pm
                            .clean
                            .commands
                            .iter()
                            .any(|x| run_edits::matches_command(c, x)))
            })
    }
}

/// The `cleanup` command to append for the installs `inst`: one per
/// distinct command as written (`dnf` and `dnf5` keep separate caches;
/// `/opt/conda/bin/conda` may not be on PATH) when the cleanup names
/// `{command}`, each part under `sudo` when an install ran under sudo.
fn cleanup_command(script: &Script, cleanup: &str, inst: &[&PmCall], sudo: bool) -> String {
    let mut commands: Vec<String> = Vec::new();
    for c in inst {
        let w = script.commands[c.command].words[c.name]
            .literal
            .as_deref()
            .map_or_else(|| c.tool.to_string(), str::to_string);
        if !commands.contains(&w) {
            commands.push(w);
        }
    }
    if !cleanup.contains("{command}") {
        commands.truncate(1);
    }
    commands
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
        .join(" && ")
}
