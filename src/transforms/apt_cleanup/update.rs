//! Where `apt-get update` goes: the plan for one installing RUN, a RUN that
//! only updates, and moving a standalone update into the installing RUN.

use super::*;

/// What to do about the lists of one installing RUN.
pub(super) enum Plan {
    /// Edits (cleanup, moved update, updates added to later RUNs) and the
    /// saving when the lists are downloaded in this RUN.
    Fix(Vec<Edit>, Option<u64>),
    /// Nothing to do (the lists come from the base image or another RUN).
    Skip,
    /// Cannot clean up; the reason.
    Refuse(String),
}

impl ListFacts<'_> {
    /// A RUN that runs `apt-get update` but reads no lists, and whose lists
    /// nothing after it reads (no later RUN of the stage or of a stage
    /// built on it, no ONBUILD, before a RUN that refreshes them itself):
    /// the lists are dead weight in its layer. A RUN of updates alone goes;
    /// any other gets the cleanup appended.
    pub(super) fn lone_update(
        &self,
        i: usize,
        script: &Script,
        calls: &[PmCall],
    ) -> Option<Finding> {
        let doc = self.doc;
        if self.is_trigger(i) {
            return None;
        }
        let ins = &doc.instructions()[i];
        let last_update = calls
            .iter()
            .filter(|c| sub_in(c, &self.apt.update))
            .map(|c| c.span(script).end)
            .max()?;
        let clean = self.cleans_after(ins, script, last_update);
        let sudo = calls.iter().any(|c| c.sudo);
        if clean
            || (!sudo && self.cx.model().user_at(i).is_some())
            || !self.cx.suppressions.listed(i).is_empty()
        {
            return None;
        }
        // Any later use, even one that would only need an update added,
        // keeps the lists: that is the installing RUN's business.
        match self.later_readers(i) {
            Ok(e) if e.is_empty() => {}
            _ => return None,
        }
        let only_updates = calls.len() == script.commands.len()
            && calls.iter().all(|c| sub_in(c, &self.apt.update))
            && script.comment.is_none()
            && script.pipes.is_empty()
            && !script.has_function_def
            && script.commands.iter().all(|c| !c.isolated)
            && script.items.iter().all(|it| {
                it.terminator.is_none()
                    && it.and_or.iter().all(|(op, _)| *op == crate::shell::Op::And)
            });
        let (edit, title) = if only_updates {
            (
                Edit::delete(ins.span.clone()),
                "remove this RUN: nothing reads the lists it downloads",
            )
        } else {
            let prefix = if sudo { "sudo " } else { "" };
            let cleanup = self.apt.cleanup.clone().unwrap_or_default();
            let e = run_edits::append(
                doc,
                ins,
                script,
                &self.shells[i],
                self.cx.config,
                &format!("{prefix}{cleanup}"),
            )
            .ok()?;
            (e, "remove the apt package lists in this RUN")
        };
        let saving = self.apt.saving("lists");
        let mut message = format!(
            "`apt-get update` downloads package lists that no later instruction reads; {title}"
        );
        if let Some(b) = saving {
            message.push_str(&format!(" (saves ~{:.1} MB)", b as f64 / 1e6));
        }
        let fix = Fix::safe(vec![edit]).with_title(title);
        Some(self.finding(ins, message, fix, saving))
    }

    pub(super) fn plan(
        &self,
        i: usize,
        script: &Script,
        calls: &[PmCall],
        readers: &[(std::ops::Range<usize>, bool)],
    ) -> Plan {
        let doc = self.doc;
        let ins = self.ins(i);
        let cfg = self.cx.config;
        let first_install = readers.iter().map(|r| r.0.start).min().unwrap_or(0);
        let sudo = readers.iter().any(|r| r.1);
        let prefix = if sudo { "sudo " } else { "" };
        if !sudo {
            if let Some(u) = self.cx.model().user_at(i) {
                return Plan::Refuse(format!(
                    "the RUN runs as USER {u} without sudo, so it cannot delete root-owned lists"
                ));
            }
        }
        let mut edits = Vec::new();
        let has_update = calls
            .iter()
            .any(|c| sub_in(c, &self.apt.update) && c.span(script).start < first_install);
        // The update edit is pushed after the mount setup (same offset).
        let mut update_edits = Vec::new();
        if !has_update && self.is_trigger(i) {
            // The lists come from the image the trigger runs on.
            return Plan::Skip;
        }
        if !has_update {
            match self.movable_update(i, script) {
                Ok(Some(e)) => update_edits = e,
                Ok(None) => return Plan::Skip,
                Err(why) => return Plan::Refuse(why),
            }
        }
        // Later readers of the lists.
        let later_edits = match self.later_readers(i) {
            Ok(e) => e,
            Err(why) => return Plan::Refuse(why),
        };
        let mounts = if cfg.cache_style == CacheStyle::Mount && !sudo && !self.is_trigger(i) {
            run_edits::mount_builder(self.cx.model(), cfg, self.cx.data()).and_then(|b| {
                let flags = run_edits::cache_mount_flags(
                    b,
                    ins,
                    &self.apt.mount.targets,
                    "",
                    self.apt.mount.sharing.as_deref(),
                )?;
                Some((run_edits::mount_insert_at(b, ins), flags))
            })
        } else {
            None
        };
        if let Some((at, flags)) = mounts {
            let text: String = flags.iter().map(|f| format!("{f} ")).collect();
            edits.push(Edit::insert(at, text));
            if let Some(setup) = &self.apt.mount.setup {
                match run_edits::prepend(ins, script, setup) {
                    Ok(e) => edits.push(e),
                    Err(why) => return Plan::Refuse(why.to_string()),
                }
            }
        } else {
            let cleanup = self.apt.cleanup.clone().unwrap_or_default();
            match run_edits::append(
                doc,
                ins,
                script,
                &self.shells[i],
                cfg,
                &format!("{prefix}{cleanup}"),
            ) {
                Ok(e) => edits.push(e),
                Err(why) => return Plan::Refuse(why.to_string()),
            }
        }
        edits.extend(update_edits);
        edits.extend(later_edits);
        Plan::Fix(edits, self.apt.saving("lists"))
    }

    /// The nearest earlier RUN of the stage that runs `apt-get update`:
    /// `Ok(None)` when there is none or it does more than update (then it is
    /// not ours to move), `Err` when it cannot be moved, else the edits that
    /// delete it and prepend its text to RUN `i`.
    pub(super) fn movable_update(
        &self,
        i: usize,
        script: &Script,
    ) -> Result<Option<Vec<Edit>>, String> {
        let doc = self.doc;
        let instrs = doc.instructions();
        let Some(stage) = doc.stage_of(i) else {
            return Ok(None);
        };
        let ins = &instrs[i];
        let network = |x: &Instruction| x.flag("network").map(|f| f.text.clone());
        let Some(u) = self.scan.update_before[i].filter(|&j| j > stage.from) else {
            return Ok(None);
        };
        let us = self.scripts[u].ok_or("opaque")?;
        if us.items.len() != 1 || us.commands.len() != 1 || us.comment.is_some() {
            return Ok(None);
        }
        let uins = &instrs[u];
        let line = uins.start_line;
        if !self.cx.suppressions.listed(u).is_empty() {
            return Err(format!(
                "`apt-get update` runs in the RUN at line {line}, which carries a suppression comment"
            ));
        }
        if uins.flags().iter().any(|f| !ins.flags().contains(f)) {
            return Err(format!(
                "`apt-get update` runs in the RUN at line {line}, whose flags this RUN lacks"
            ));
        }
        for x in &instrs[u + 1..i] {
            let blocker = match x.keyword {
                Keyword::Copy | Keyword::Add => Some("COPY/ADD (sources lists may change)"),
                Keyword::Env | Keyword::Arg => Some("ENV/ARG (proxy settings may change)"),
                Keyword::User => Some("USER"),
                Keyword::Onbuild => Some("ONBUILD"),
                Keyword::Run if network(x) != network(ins) => Some("a RUN with another --network"),
                Keyword::Run if mentions_apt(doc.text(x.span.clone())) => {
                    Some("a RUN that uses apt")
                }
                _ => None,
            };
            if let Some(b) = blocker {
                return Err(format!(
                    "`apt-get update` runs in the RUN at line {line} and cannot be moved here past {b} at line {}",
                    x.start_line
                ));
            }
        }
        let update_text = uins.args_text().trim();
        let add = run_edits::prepend(ins, script, update_text).map_err(|why| {
            format!(
                "`apt-get update` runs in the RUN at line {line} and cannot be moved here: {why}"
            )
        })?;
        Ok(Some(vec![Edit::delete(uins.span.clone()), add]))
    }
}
