//! Remove the apt package lists in the RUN that downloads them: a RUN that runs
//! `apt-get install` (or `apt install`) after `apt-get update` gets
//! `rm -rf /var/lib/apt/lists/*` appended, in the RUN's own style.
//!
//! Why: `apt-get update` writes about 20 MB of package lists to
//! `/var/lib/apt/lists` (19.8 MB measured with buildah on debian:bookworm). A
//! later RUN that deletes them cannot shrink the layer that already holds them.
//!
//! Already clean: `rm -rf /var/lib/apt/lists/*` (any flag order, with or
//! without `*`, or a parent directory) after the last install,
//! `apt-get dist-clean`, or a `--mount=type=cache` / `tmpfs` on
//! `/var/lib/apt/lists` or `/var/lib/apt`. `apt-get clean` does not remove the
//! lists, and a mount on `/var/cache/apt` alone does not keep them out.
//!
//! Also: `-y` is added after `install` where no form of it is present. A
//! standalone `RUN apt-get update` earlier in the stage is moved into the
//! installing RUN, never past a COPY/ADD (sources lists), ENV/ARG (proxies),
//! USER, a RUN with a different `--network`, or another RUN that uses apt.
//!
//! Safety: safe. Lists a later RUN of the same stage, a stage built `FROM` it,
//! or an `ONBUILD` trigger still reads (an install, `apt-cache`,
//! `apt-get source|build-dep|upgrade|…`) without its own `apt-get update` are
//! never removed: that RUN gets `apt-get update && ` first, or the file is left
//! alone with a display-only finding that says why. `ONBUILD` triggers run
//! after the whole stage, wherever they stand: they count when no later RUN
//! of the stage refreshes the lists. The cleanup runs under
//! `sudo` when the install did; under a non-root USER without sudo nothing
//! changes. RUNs ending in a shell comment, with a background `&`, exec form,
//! heredocs or a non-POSIX shell are left alone.
//!
//! How the cleanup is added: after the last top-level command; ` && ` on a
//! one-line RUN; a new continuation line in the RUN's style (escape character,
//! line ending, `&& \` at line end or `&&` at line start, indentation) on a
//! multi-line RUN; `; ` instead of ` && ` in a `set -e; …; …` RUN.
//!
//! With `cache-style = "mount"` and a builder with cache mounts (`target =
//! "buildkit"` or `"buildah"`; unconfigured, a file with a `# syntax=`
//! directive or BuildKit features counts as BuildKit), the RUN instead gets
//! `--mount=type=cache,target=/var/cache/apt,sharing=locked
//! --mount=type=cache,target=/var/lib/apt,sharing=locked` and Debian's
//! `docker-clean` hook is replaced by `Keep-Downloaded-Packages`, so the lists
//! and packages stay in the build cache and out of the image. Under sudo the
//! plain `rm` is used.
//!
//! For buildah (1.24 or later; `sharing` needs 1.25) only the last mount is
//! locked: `--mount=type=cache,target=/var/cache/apt
//! --mount=type=cache,target=/var/lib/apt,sharing=locked`. Buildah 1.25 to
//! 1.28 releases only the lock of a RUN's last cache mount, so with two locks
//! the next RUN that locks `/var/cache/apt` would wait forever; one lock still
//! serialises the whole RUN. A RUN that already has a locked cache mount keeps
//! the `rm` (`locked-last-only` in `transforms/builders.toml`; set it to false
//! in `[builders.buildah]` for buildah 1.29 or later).
//!
//! Before:
//! ```text
//! RUN apt-get update && apt-get install curl
//! ```
//!
//! After:
//! ```text
//! RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
//! ```

// Here the transform and the per-RUN finding; the parts: `lists` (who reads
// or removes the lists), `update` (where `apt-get update` goes).

use crate::config::CacheStyle;
use crate::data::PackageManager;
use crate::edit::{Applicability, Edit, Fix};
use crate::finding::Finding;
use crate::shell::Script;
use crate::syntax::{Document, Instruction, Keyword};
use crate::transform::{Context, FixAvailability, Meta, Transform};

use super::run_edits::{self, PmCall};

mod lists;
mod update;

use lists::*;
use update::*;

pub struct AptCleanup;

static META: Meta = Meta {
    code: "DS002",
    name: "apt-cleanup",
    summary: "Remove apt package lists in the RUN that downloads them",
    doc: crate::transform_doc!("apt_cleanup"),
    fix: FixAvailability::Sometimes,
    safety: Applicability::Safe,
    aliases: &["DL3009", "DL3014"],
};

impl Transform for AptCleanup {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, doc: &Document, cx: &Context, out: &mut Vec<Finding>) {
        // Cheap test first: most files never mention apt, and then the data
        // tables are not even parsed.
        if !crate::model::any_run_mentions(doc, "apt") {
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
        let a = ListFacts {
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

/// What DS002 knows of one document: the apt table, each RUN's shell view,
/// and the scan tables (who updates, reads or refreshes the lists).
struct ListFacts<'a> {
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
                    uses[j] = list_use(model, j, scripts[j], doc.text(x.span.clone()), apt);
                    updates[j] = scripts[j].is_some()
                        && model
                            .calls(j, "apt", apt)
                            .iter()
                            .any(|c| sub_in(c, &apt.update));
                }
                Keyword::Onbuild => {
                    let Some(sub) = x.onbuild() else { continue };
                    if Keyword::from_keyword(&x.logical.text[sub.keyword.clone()]) != Keyword::Run {
                        continue;
                    }
                    let text = &x.logical.text[sub.args.clone()];
                    uses[j] = list_use(model, j, model.onbuild_script(j), text, apt);
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
        for j in (0..n).rev() {
            let trigger = instrs[j].keyword == Keyword::Onbuild;
            next_user[j] = if (trigger && reads(uses[j])) || (!trigger && uses[j] != ListUse::None)
            {
                j
            } else {
                next_user[j + 1]
            };
        }
        Scan {
            update_before,
            next_user,
            uses,
        }
    }
}

impl ListFacts<'_> {
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
            message: message.into(),
            span: ins.span.start..ins.span.start + ins.keyword_text().len(),
            fix: Some(fix),
            saving_bytes: saving,
        }
    }

    fn run(&self, i: usize) -> Option<Finding> {
        let ins = self.ins(i);
        let script = self.scripts[i]?;
        let calls = self.cx.model().calls(i, "apt", self.apt);
        let installs: Vec<&PmCall> = calls
            .iter()
            .filter(|c| sub_in(c, &self.apt.install))
            .collect();
        let readers = self.list_readers(script, &calls);
        if readers.is_empty() {
            return self.lone_update(i, script, &calls);
        }
        let mut what = Vec::new();
        let mut edits = self.yes_flags(ins, script, &installs);
        if !edits.is_empty() {
            what.push(format!("add `{}`", self.apt.flags["yes"].add));
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

    /// Every reader of the lists, by command span (and whether it runs
    /// under sudo): installs, other index subcommands (`upgrade`,
    /// `source`…) and index commands (`apt-cache`).
    fn list_readers(
        &self,
        script: &Script,
        calls: &[PmCall],
    ) -> Vec<(std::ops::Range<usize>, bool)> {
        // Command index → its first call (a lookup per command, not a scan
        // of all calls: a merged RUN has thousands of both).
        let mut call_of: rustc_hash::FxHashMap<usize, &PmCall> =
            rustc_hash::FxHashMap::with_capacity_and_hasher(calls.len(), Default::default());
        for p in calls {
            call_of.entry(p.command).or_insert(p);
        }
        script
            .commands
            .iter()
            .enumerate()
            .filter_map(|(k, c)| {
                if let Some(p) = call_of.get(&k) {
                    return sub_in(p, &self.apt.index_users).then(|| (c.span.clone(), p.sudo));
                }
                let (w, sudo) = run_edits::skip_prefixes(c)?;
                let name = crate::model::calls::base(&c.words[w])?;
                self.apt
                    .index_commands
                    .iter()
                    .any(|x| x == name)
                    .then(|| (c.span.clone(), sudo))
            })
            .collect()
    }

    /// The `yes` flag added to the installs that lack it.
    fn yes_flags(&self, ins: &Instruction, script: &Script, installs: &[&PmCall]) -> Vec<Edit> {
        let mut edits = Vec::new();
        let Some(yes) = self.apt.flags.get("yes") else {
            return edits;
        };
        for c in installs {
            let sc = &script.commands[c.command];
            if !run_edits::has_flag(sc, c, yes) {
                if let Some(e) = run_edits::insert_flag(ins, sc, c, &yes.add) {
                    edits.push(e);
                }
            }
        }
        edits
    }
}
