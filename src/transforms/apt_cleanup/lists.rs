//! Who reads or removes the package lists: a RUN's use of them, a cleanup
//! already there, kept `.deb`s, and the later readers (RUNs of the stage,
//! child stages, ONBUILD) that must refresh them first.

use super::*;
use crate::transforms::index_readers::{self, IndexUse};

/// Whether a call's subcommand is in `list`.
pub(super) fn sub_in(c: &PmCall, list: &[String]) -> bool {
    c.sub
        .as_deref()
        .is_some_and(|s| list.iter().any(|x| x == s))
}

/// How a RUN (or ONBUILD RUN) uses the package lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ListUse {
    /// Does not touch them.
    None,
    /// Refreshes them before any use.
    Refreshes,
    /// Reads them without refreshing first: (sudo used by the first reader).
    Reads(bool),
    /// Cannot be read but mentions apt.
    Unknown,
}

/// `script` is the shell view of RUN (or trigger) `j`, whose calls the
/// model keeps.
pub(super) fn list_use(
    model: &crate::model::Model,
    j: usize,
    script: Option<&Script>,
    raw: &str,
    apt: &PackageManager,
) -> ListUse {
    let Some(script) = script else {
        return if mentions_apt(raw) {
            ListUse::Unknown
        } else {
            ListUse::None
        };
    };
    let calls = model.calls(j, "apt", apt);
    let first_update = calls
        .iter()
        .find(|c| sub_in(c, &apt.update))
        .map(|c| c.span(script).start);
    // Command index → its calls, in order (a lookup per command rather than
    // a scan of all calls).
    let mut calls_of: rustc_hash::FxHashMap<usize, Vec<&PmCall>> = Default::default();
    for p in calls.iter() {
        calls_of.entry(p.command).or_default().push(p);
    }
    let of = |k: usize| calls_of.get(&k).map_or(&[][..], Vec::as_slice);
    let first_read = script
        .commands
        .iter()
        .enumerate()
        .filter(|(k, c)| {
            of(*k).iter().any(|p| sub_in(p, &apt.index_users))
                || run_edits::skip_prefixes(c)
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

pub(super) fn mentions_apt(raw: &str) -> bool {
    // Each holds `apt`: one search rejects most RUNs.
    memchr::memmem::find(raw.as_bytes(), b"apt").is_some()
        && (raw.contains("apt-get")
            || raw.contains("aptitude")
            || raw.contains("apt-cache")
            || raw.contains("apt ")
            || raw.contains("/etc/apt")
            || raw.contains("add-apt-repository"))
}

impl ListFacts<'_> {
    /// Whether `ins` leaves no apt lists behind from offset `from` of its
    /// script on: a cache mount covers them, or a command at or after `from`
    /// removes them (`rm -rf /var/lib/apt/lists/*`, `apt-get dist-clean`…).
    pub(super) fn cleans_after(&self, ins: &Instruction, script: &Script, from: usize) -> bool {
        run_edits::mounts_cover(ins, &self.apt.clean.mounts)
            || script.commands.iter().any(|c| {
                c.span.start >= from
                    && (run_edits::removes_path(c, &self.apt.clean.paths)
                        || self
                            .apt
                            .clean
                            .commands
                            .iter()
                            .any(|x| run_edits::matches_command(c, x)))
            })
    }

    /// RUN `i` installs with `docker-clean` removed by an earlier RUN of its
    /// stage lineage (cache-style = "mount" does that) and nothing removes
    /// the archives: no cache mount on /var/cache/apt, no `apt-get clean`
    /// or `rm -r` of them after the last install.
    pub(super) fn debs_kept(&self, i: usize, script: &Script, last_install: usize) -> bool {
        let doc = self.doc;
        let ins = self.ins(i);
        let archives = ["/var/cache/apt/archives".to_string()];
        if run_edits::mounts_cover(ins, &archives)
            || script.commands.iter().any(|c| {
                c.span.start >= last_install
                    && (run_edits::removes_path(c, &archives)
                        || [
                            "apt-get clean",
                            "apt clean",
                            "apt-get dist-clean",
                            "apt dist-clean",
                        ]
                        .iter()
                        .any(|x| run_edits::matches_command(c, x)))
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
}

impl ListFacts<'_> {
    /// Edits that make every later reader of the lists refresh them first,
    /// or why that is impossible; the readers are those of
    /// [`index_readers::first_users`] (triggers run after the whole stage).
    pub(super) fn later_readers(&self, i: usize) -> Result<Vec<Edit>, String> {
        let instrs = self.doc.instructions();
        let use_at = |j: usize| match self.scan.uses[j] {
            ListUse::None => IndexUse::None,
            ListUse::Refreshes => IndexUse::Refreshes,
            ListUse::Reads(_) => IndexUse::Reads,
            ListUse::Unknown => IndexUse::Unknown,
        };
        let next = |j: usize| self.scan.next_user[j];
        let mut edits = Vec::new();
        for j in index_readers::first_users(self.cx.model(), i, use_at, next) {
            let x = &instrs[j];
            let line = x.start_line;
            if self.is_trigger(i) {
                return Err(format!(
                    "the instruction at line {line} runs after this trigger and may need them"
                ));
            }
            if x.keyword == Keyword::Onbuild {
                return Err(format!("the ONBUILD at line {line} still needs them"));
            }
            match self.scan.uses[j] {
                ListUse::None | ListUse::Refreshes => {}
                ListUse::Unknown => {
                    return Err(format!("the RUN at line {line} may still need them"))
                }
                ListUse::Reads(sudo) => {
                    let s = self.scripts[j].ok_or("opaque")?;
                    let update = format!("{}apt-get update", if sudo { "sudo " } else { "" });
                    match run_edits::prepend(x, s, &update) {
                        Ok(e) => edits.push(e),
                        Err(why) => {
                            return Err(format!(
                                "the RUN at line {line} still needs them and `apt-get update` cannot be added to it ({why})"
                            ))
                        }
                    }
                }
            }
        }
        Ok(edits)
    }
}
