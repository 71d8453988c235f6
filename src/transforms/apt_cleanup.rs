//! DS002 `apt-cleanup`: remove the apt package lists in the RUN that
//! downloads them.
//!
//! `apt-get update` writes ~20 MB of package lists to `/var/lib/apt/lists`;
//! a later RUN that deletes them cannot shrink the layer that holds them, so
//! the RUN that runs `apt-get install` (or `apt install`) after an
//! `apt-get update` gets `&& rm -rf /var/lib/apt/lists/*` appended in its own
//! style (see `runedit`). Already clean: that `rm` (any flag order, with or
//! without `*`, or of a parent directory) after the last install,
//! `apt-get dist-clean`, or a cache/tmpfs mount on `/var/lib/apt/lists` or
//! `/var/lib/apt` (a mount on `/var/cache/apt` alone keeps the lists).
//!
//! Also:
//! - `-y` is added after `install` where missing (`-qq`, `--yes`,
//!   `--assume-yes`, `-qy`, `-o APT::Get::Assume-Yes=true` count);
//! - a standalone `RUN apt-get update` earlier in the stage is moved into the
//!   installing RUN, unless a COPY/ADD (sources lists), ENV/ARG (proxies),
//!   USER, a RUN with another `--network`, a RUN that uses apt, or a
//!   suppression comment stands in the way;
//! - lists a later RUN of the stage, a stage built `FROM` it, or an `ONBUILD`
//!   still reads (an install, `apt-cache`, `apt-get source|build-dep|
//!   upgrade|…` without its own `apt-get update`) are never removed: that RUN
//!   gets `apt-get update && ` first, or nothing changes and a display-only
//!   finding says why;
//! - a RUN that runs `apt-get update` but no install, whose lists nothing
//!   after it reads (see above), gets the cleanup; one that only updates is
//!   removed;
//! - under `sudo` the cleanup gets `sudo`; under a non-root USER without
//!   sudo nothing changes (display-only);
//! - with `cache-style = "mount"` and a builder that supports it, the RUN
//!   gets cache mounts on `/var/cache/apt` and `/var/lib/apt` and Debian's
//!   `docker-clean` hook is removed instead.

use crate::config::CacheStyle;
use crate::data::PackageManager;
use crate::edit::{Applicability, Edit, Fix};
use crate::finding::Finding;
use crate::shell::Script;
use crate::syntax::{Document, Instruction, Keyword};
use crate::transform::{Context, FixAvailability, Meta, Transform};

use super::runedit::{self, PmCall};

pub struct AptCleanup;

static META: Meta = Meta {
    code: "DS002",
    name: "apt-cleanup",
    summary: "Remove apt package lists in the RUN that downloads them",
    doc: include_str!("apt_cleanup.md"),
    fix: FixAvailability::Sometimes,
    safety: Applicability::Safe,
    aliases: &["DL3009", "DL3014"],
};

/// Whether a call's subcommand is in `list`.
fn sub_in(c: &PmCall, list: &[String]) -> bool {
    c.sub
        .as_deref()
        .is_some_and(|s| list.iter().any(|x| x == s))
}

/// How a RUN (or ONBUILD RUN) uses the package lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListUse {
    /// Does not touch them.
    None,
    /// Refreshes them before any use.
    Refreshes,
    /// Reads them without refreshing first: (sudo used by the first reader).
    Reads(bool),
    /// Cannot be read but mentions apt.
    Unknown,
}

fn list_use(script: Option<&Script>, raw: &str, apt: &PackageManager) -> ListUse {
    let Some(script) = script else {
        return if mentions_apt(raw) {
            ListUse::Unknown
        } else {
            ListUse::None
        };
    };
    let calls = runedit::find_calls(script, apt);
    let first_update = calls
        .iter()
        .find(|c| sub_in(c, &apt.update))
        .map(|c| c.span(script).start);
    // Command index → its calls, in order (a lookup per command rather than
    // a scan of all calls).
    let mut calls_of: std::collections::HashMap<usize, Vec<&PmCall>> =
        std::collections::HashMap::new();
    for p in &calls {
        calls_of.entry(p.command).or_default().push(p);
    }
    let of = |k: usize| calls_of.get(&k).map_or(&[][..], Vec::as_slice);
    let first_read = script
        .commands
        .iter()
        .enumerate()
        .filter(|(k, c)| {
            of(*k).iter().any(|p| sub_in(p, &apt.index_users))
                || runedit::skip_prefixes(c)
                    .and_then(|(i, _)| c.words[i].literal.as_deref())
                    .is_some_and(|n| apt.index_commands.iter().any(|x| x == n))
        })
        .map(|(k, c)| (c.span.start, of(k).first().is_some_and(|p| p.sudo)))
        .next();
    match (first_update, first_read) {
        (Some(u), Some((r, _))) if u < r => ListUse::Refreshes,
        (Some(_), None) => ListUse::Refreshes,
        (_, Some((_, sudo))) => ListUse::Reads(sudo),
        (None, None) => ListUse::None,
    }
}

fn mentions_apt(raw: &str) -> bool {
    raw.contains("apt-get")
        || raw.contains("aptitude")
        || raw.contains("apt-cache")
        || raw.contains("apt ")
        || raw.contains("/etc/apt")
        || raw.contains("add-apt-repository")
}

impl Transform for AptCleanup {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, doc: &Document, cx: &Context, out: &mut Vec<Finding>) {
        // Cheap test first: most files never mention apt, and then the data
        // tables are not even parsed.
        if !super::common::any_run_mentions(doc, "apt") {
            return;
        }
        let Some(apt) = cx.data().manager("apt") else {
            return;
        };
        let model = cx.model();
        let scripts: Vec<Option<&Script>> = doc
            .instructions()
            .iter()
            .enumerate()
            .map(|(i, ins)| {
                // RUNs and `ONBUILD RUN` triggers (fixed in place).
                if model.run(i).is_some() && ins.logical.text.contains("apt") {
                    model.run_script(i)
                } else {
                    None
                }
            })
            .collect();
        let scan = Scan::new(doc, model, &scripts, apt);
        let a = Analysis {
            doc,
            cx,
            apt,
            scripts: &scripts,
            shells: model.shells(),
            scan: &scan,
        };
        for i in 0..doc.instructions().len() {
            if let Some(f) = a.run(i) {
                out.push(f);
            }
        }
    }
}

struct Analysis<'a> {
    doc: &'a Document,
    cx: &'a Context<'a>,
    apt: &'a PackageManager,
    scripts: &'a [Option<&'a Script>],
    shells: &'a [crate::model::ShellKind],
    scan: &'a Scan,
}

/// Per-instruction answers the searches before and after an installing
/// RUN need, worked out once per document, so that each search is a
/// lookup instead of a walk over the instructions (a walk per RUN is
/// quadratic: issue 11 item 10).
struct Scan {
    /// The nearest RUN before instruction `i` that runs `apt-get update`.
    update_before: Vec<Option<usize>>,
    /// The first instruction at or after `j` that the walk over later
    /// instructions stops at: a RUN that uses the lists in any way, or an
    /// `ONBUILD RUN` that reads them (or may). `len()` when there is none.
    next_user: Vec<usize>,
    /// How each RUN and `ONBUILD RUN` uses the lists.
    uses: Vec<ListUse>,
    /// The first `ONBUILD RUN` at or after `j` that reads the lists (or
    /// may); `len()` when there is none.
    next_reading_trigger: Vec<usize>,
}

impl Scan {
    fn new(
        doc: &Document,
        model: &crate::model::Model,
        scripts: &[Option<&Script>],
        apt: &PackageManager,
    ) -> Scan {
        let instrs = doc.instructions();
        let n = instrs.len();
        let mut uses = vec![ListUse::None; n];
        let mut updates = vec![false; n];
        for (j, x) in instrs.iter().enumerate() {
            match x.keyword {
                Keyword::Run => {
                    uses[j] = list_use(scripts[j], doc.text(x.span.clone()), apt);
                    updates[j] = scripts[j].is_some_and(|s| {
                        runedit::find_calls(s, apt)
                            .iter()
                            .any(|c| sub_in(c, &apt.update))
                    });
                }
                Keyword::Onbuild => {
                    let Some(sub) = x.onbuild() else { continue };
                    if Keyword::from_keyword(&x.logical.text[sub.keyword.clone()]) != Keyword::Run {
                        continue;
                    }
                    let text = &x.logical.text[sub.args.clone()];
                    uses[j] = list_use(model.onbuild_script(j), text, apt);
                }
                _ => {}
            }
        }
        let reads = |u: ListUse| matches!(u, ListUse::Reads(_) | ListUse::Unknown);
        let mut update_before = vec![None; n];
        let mut last = None;
        for j in 0..n {
            update_before[j] = last;
            if updates[j] {
                last = Some(j);
            }
        }
        let mut next_user = vec![n; n + 1];
        let mut next_reading_trigger = vec![n; n + 1];
        for j in (0..n).rev() {
            let trigger = instrs[j].keyword == Keyword::Onbuild;
            next_user[j] = if (trigger && reads(uses[j])) || (!trigger && uses[j] != ListUse::None)
            {
                j
            } else {
                next_user[j + 1]
            };
            next_reading_trigger[j] = if trigger && reads(uses[j]) {
                j
            } else {
                next_reading_trigger[j + 1]
            };
        }
        Scan {
            update_before,
            next_user,
            uses,
            next_reading_trigger,
        }
    }
}

/// What to do about the lists of one installing RUN.
enum Plan {
    /// Edits (cleanup, moved update, updates added to later RUNs) and the
    /// saving when the lists are downloaded in this RUN.
    Fix(Vec<Edit>, Option<u64>),
    /// Nothing to do (the lists come from the base image or another RUN).
    Skip,
    /// Cannot clean up; the reason.
    Refuse(String),
}

impl Analysis<'_> {
    /// Instruction `i` as the RUN it is or, for `ONBUILD RUN`, registers.
    fn ins(&self, i: usize) -> &Instruction {
        self.cx
            .model()
            .run(i)
            .unwrap_or(&self.doc.instructions()[i])
    }

    fn is_trigger(&self, i: usize) -> bool {
        self.doc.instructions()[i].keyword == Keyword::Onbuild
    }

    fn finding(
        &self,
        ins: &Instruction,
        message: String,
        fix: Fix,
        saving: Option<u64>,
    ) -> Finding {
        Finding {
            code: META.code,
            name: META.name,
            message,
            span: ins.span.start..ins.span.start + ins.keyword_text().len(),
            fix: Some(fix),
            saving_bytes: saving,
        }
    }

    fn run(&self, i: usize) -> Option<Finding> {
        let ins = self.ins(i);
        let script = self.scripts[i]?;
        let calls = runedit::find_calls(script, self.apt);
        let installs: Vec<&PmCall> = calls
            .iter()
            .filter(|c| sub_in(c, &self.apt.install))
            .collect();
        // Every reader of the lists: installs, other index subcommands
        // (`upgrade`, `source`…) and index commands (`apt-cache`).
        // Command index → its first call (a lookup per command, not a scan
        // of all calls: a merged RUN has thousands of both).
        let mut call_of: std::collections::HashMap<usize, &PmCall> =
            std::collections::HashMap::with_capacity(calls.len());
        for p in &calls {
            call_of.entry(p.command).or_insert(p);
        }
        let readers: Vec<(std::ops::Range<usize>, bool)> = script
            .commands
            .iter()
            .enumerate()
            .filter_map(|(k, c)| {
                if let Some(p) = call_of.get(&k) {
                    return sub_in(p, &self.apt.index_users).then(|| (c.span.clone(), p.sudo));
                }
                let (w, sudo) = runedit::skip_prefixes(c)?;
                let name = c.words[w].literal.as_deref()?;
                let name = name.rsplit('/').next().unwrap_or(name);
                self.apt
                    .index_commands
                    .iter()
                    .any(|x| x == name)
                    .then(|| (c.span.clone(), sudo))
            })
            .collect();
        if readers.is_empty() {
            return self.lone_update(i, script, &calls);
        }
        let mut edits = Vec::new();
        let mut what = Vec::new();
        if let Some(yes) = self.apt.flags.get("yes") {
            for c in &installs {
                let sc = &script.commands[c.command];
                if !runedit::has_flag(sc, c, yes) {
                    if let Some(e) = runedit::insert_flag(ins, sc, c, &yes.add) {
                        edits.push(e);
                    }
                }
            }
            if !edits.is_empty() {
                what.push(format!("add `{}`", yes.add));
            }
        }
        let last_install = readers.iter().map(|r| r.0.end).max()?;
        let clean = self.cleans_after(ins, script, last_install);
        let mut saving = None;
        if clean && self.debs_kept(i, script, last_install) {
            what.push(
                "an earlier RUN removed Debian's `docker-clean`, so the downloaded .deb files \
                 stay in /var/cache/apt/archives, which no cache mount here covers: mount \
                 /var/cache/apt too, or run `apt-get clean` at the end"
                    .into(),
            );
            if edits.is_empty() {
                return Some(self.finding(ins, what.join("; "), Fix::display_only(vec![]), None));
            }
        }
        if !clean {
            match self.plan(i, script, &calls, &readers) {
                Plan::Fix(e, s) => {
                    edits.extend(e);
                    saving = s;
                    what.insert(0, "remove the apt package lists in this RUN".into());
                }
                Plan::Skip => {}
                Plan::Refuse(why) => {
                    if edits.is_empty() {
                        return Some(self.finding(
                            ins,
                            format!("apt package lists are left in the image: {why}"),
                            Fix::display_only(vec![]),
                            None,
                        ));
                    }
                    what.push(format!("(lists not removed: {why})"));
                }
            }
        }
        if edits.is_empty() {
            return None;
        }
        let title = what.join("; ");
        let mut message = title.clone();
        if let Some(b) = saving {
            message.push_str(&format!(" (saves ~{:.1} MB)", b as f64 / 1e6));
        }
        // Fix::new keeps insertion order at equal offsets (flags, setup, update).
        let fix = Fix::new(edits, Applicability::Safe).with_title(title);
        Some(self.finding(ins, message, fix, saving))
    }

    /// Whether `ins` leaves no apt lists behind from offset `from` of its
    /// script on: a cache mount covers them, or a command at or after `from`
    /// removes them (`rm -rf /var/lib/apt/lists/*`, `apt-get dist-clean`…).
    fn cleans_after(&self, ins: &Instruction, script: &Script, from: usize) -> bool {
        runedit::mounts_cover(ins, &self.apt.clean.mounts)
            || script.commands.iter().any(|c| {
                c.span.start >= from
                    && (runedit::removes_path(c, &self.apt.clean.paths)
                        || self
                            .apt
                            .clean
                            .commands
                            .iter()
                            .any(|x| runedit::matches_command(c, x)))
            })
    }

    /// RUN `i` installs with `docker-clean` removed by an earlier RUN of its
    /// stage lineage (cache-style = "mount" does that) and nothing removes
    /// the archives: no cache mount on /var/cache/apt, no `apt-get clean`
    /// or `rm -r` of them after the last install.
    fn debs_kept(&self, i: usize, script: &Script, last_install: usize) -> bool {
        let doc = self.doc;
        let ins = self.ins(i);
        let archives = ["/var/cache/apt/archives".to_string()];
        if runedit::mounts_cover(ins, &archives)
            || script.commands.iter().any(|c| {
                c.span.start >= last_install
                    && (runedit::removes_path(c, &archives)
                        || [
                            "apt-get clean",
                            "apt clean",
                            "apt-get dist-clean",
                            "apt dist-clean",
                        ]
                        .iter()
                        .any(|x| runedit::matches_command(c, x)))
            })
        {
            return false;
        }
        let Some(mut stage) = doc.stage_of(i) else {
            return false;
        };
        let mut end = i;
        loop {
            let removed = doc.instructions()[stage.instructions.start..end]
                .iter()
                .any(|x| {
                    let t = x.args_text();
                    x.keyword == Keyword::Run
                        && t.contains("apt.conf.d/docker-clean")
                        && (t.contains("rm ") || t.contains("mv "))
                });
            if removed {
                return true;
            }
            let Some(parent) = doc.parent_stage(stage) else {
                return false;
            };
            end = parent.instructions.end;
            stage = parent;
        }
    }

    /// A RUN that runs `apt-get update` but reads no lists, and whose lists
    /// nothing after it reads (no later RUN of the stage or of a stage
    /// built on it, no ONBUILD, before a RUN that refreshes them itself):
    /// the lists are dead weight in its layer. A RUN of updates alone goes;
    /// any other gets the cleanup appended.
    fn lone_update(&self, i: usize, script: &Script, calls: &[PmCall]) -> Option<Finding> {
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
            let e = runedit::append(
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

    fn plan(
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
            runedit::mount_builder(self.cx.model(), cfg, self.cx.data()).and_then(|b| {
                let flags = runedit::cache_mount_flags(
                    b,
                    ins,
                    &self.apt.mount.targets,
                    "",
                    self.apt.mount.sharing.as_deref(),
                )?;
                Some((runedit::mount_insert_at(b, ins), flags))
            })
        } else {
            None
        };
        if let Some((at, flags)) = mounts {
            let text: String = flags.iter().map(|f| format!("{f} ")).collect();
            edits.push(Edit::insert(at, text));
            if let Some(setup) = &self.apt.mount.setup {
                match runedit::prepend(ins, script, setup) {
                    Ok(e) => edits.push(e),
                    Err(why) => return Plan::Refuse(why.to_string()),
                }
            }
        } else {
            let cleanup = self.apt.cleanup.clone().unwrap_or_default();
            match runedit::append(
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
    fn movable_update(&self, i: usize, script: &Script) -> Result<Option<Vec<Edit>>, String> {
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
        let add = runedit::prepend(ins, script, update_text).map_err(|why| {
            format!(
                "`apt-get update` runs in the RUN at line {line} and cannot be moved here: {why}"
            )
        })?;
        Ok(Some(vec![Edit::delete(uins.span.clone()), add]))
    }

    /// Edits that make every later reader of the lists refresh them first,
    /// or why that is impossible.
    fn later_readers(&self, i: usize) -> Result<Vec<Edit>, String> {
        let doc = self.doc;
        let instrs = doc.instructions();
        let Some(stage) = doc.stage_of(i) else {
            return Ok(Vec::new());
        };
        if self.is_trigger(i) {
            // A trigger runs after the whole stage, in a child build: only
            // later triggers and stages built on this one come after it.
            let mut after: Vec<usize> = (i + 1..stage.instructions.end)
                .filter(|&j| instrs[j].keyword == Keyword::Onbuild)
                .collect();
            for d in self.cx.model().descendants(stage.index) {
                after.extend(doc.stages()[d].instructions.clone());
            }
            return match after
                .into_iter()
                .find(|&j| mentions_apt(doc.text(instrs[j].span.clone())))
            {
                Some(j) => Err(format!(
                    "the instruction at line {} runs after this trigger and may need them",
                    instrs[j].start_line
                )),
                None => Ok(Vec::new()),
            };
        }
        let mut edits = Vec::new();
        let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
        ranges.push(i + 1..stage.instructions.end);
        for d in self.cx.model().descendants(stage.index) {
            let st = &doc.stages()[d];
            ranges.push(st.from + 1..st.instructions.end);
        }
        let mut restored_in_stage = false;
        for (k, range) in ranges.into_iter().enumerate() {
            if k > 0 && restored_in_stage {
                break;
            }
            // Only the instructions that use the lists matter: jump to each.
            let mut next = range.start;
            while next < range.end {
                let j = self.scan.next_user[next];
                if j >= range.end {
                    break;
                }
                next = j + 1;
                let x = &instrs[j];
                let line = x.start_line;
                if x.keyword == Keyword::Onbuild {
                    // An ONBUILD RUN that reads the lists (the others are
                    // not stops).
                    return Err(format!("the ONBUILD at line {line} still needs them"));
                }
                match self.scan.uses[j] {
                    ListUse::None => {}
                    ListUse::Refreshes => {
                        if k == 0 {
                            restored_in_stage = true;
                        }
                        break;
                    }
                    ListUse::Unknown => {
                        return Err(format!("the RUN at line {line} may still need them"))
                    }
                    ListUse::Reads(sudo) => {
                        let s = self.scripts[j].ok_or("opaque")?;
                        let update = format!("{}apt-get update", if sudo { "sudo " } else { "" });
                        match runedit::prepend(x, s, &update) {
                            Ok(e) => edits.push(e),
                            Err(why) => {
                                return Err(format!(
                                    "the RUN at line {line} still needs them and `apt-get update` cannot be added to it ({why})"
                                ))
                            }
                        }
                        // That RUN now refreshes the lists itself.
                        if k == 0 {
                            restored_in_stage = true;
                        }
                        break;
                    }
                }
            }
        }
        // ONBUILD triggers run after the whole stage, wherever they stand.
        if !restored_in_stage {
            let first = self.scan.next_reading_trigger[stage.from + 1];
            if first < i {
                return Err(format!(
                    "the ONBUILD at line {} still needs them",
                    instrs[first].start_line
                ));
            }
        }
        Ok(edits)
    }
}
