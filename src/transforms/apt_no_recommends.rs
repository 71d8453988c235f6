//! Add `--no-install-recommends` to `apt-get install` / `apt install`.
//!
//! Why: apt installs every package the requested ones recommend. For `curl` on
//! debian:bookworm that is 5.1 MB more (18.0 MB vs 12.9 MB, measured with
//! buildah).
//!
//! Safety: unsafe (applied with `--unsafe`): a recommended package may be
//! needed at run time, e.g. `ca-certificates` for HTTPS downloads.
//!
//! Already present: `--no-install-recommends`,
//! `-o APT::Install-Recommends=false`, or an apt.conf file written by a RUN of
//! the stage that sets `APT::Install-Recommends`.
//!
//! Before:
//! ```text
//! RUN apt-get install -y curl
//! ```
//!
//! After:
//! ```text
//! RUN apt-get install --no-install-recommends -y curl
//! ```

use crate::data::PackageManager;
use crate::edit::{Applicability, Fix, Reach};
use crate::finding::Finding;
use crate::shell::Script;
use crate::syntax::{Document, Keyword};
use crate::transform::{Context, FixAvailability, Meta, Transform};

use super::run_edits;

pub struct AptNoRecommends;

static META: Meta = Meta {
    code: "DS003",
    name: "apt-no-recommends",
    summary: "Install apt packages without recommended packages",
    doc: crate::transform_doc!("apt_no_recommends"),
    fix: FixAvailability::Always,
    safety: Applicability::Unsafe,
    aliases: &["DL3015"],
};

impl Transform for AptNoRecommends {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, doc: &Document, cx: &Context, out: &mut Vec<Finding>) {
        if !crate::model::any_run_mentions(doc, "apt") {
            return;
        }
        let Some(apt) = cx.data().manager("apt") else {
            return;
        };
        let Some(flag) = apt.flags.get("no-recommends") else {
            return;
        };
        let instrs = doc.instructions();
        // Per instruction: how many RUNs before it write the apt setting
        // (computed once, so each RUN's question is answered in O(1)).
        let mut writes: Option<Vec<usize>> = None;
        // One message for the RUNs that get the same one.
        let mut messages = crate::finding::Messages::default();
        for (i, raw) in instrs.iter().enumerate() {
            // RUNs and `ONBUILD RUN` triggers (fixed in place).
            let Some(ins) = cx.model().run(i) else {
                continue;
            };
            if !raw.logical.text.contains("apt") {
                continue;
            }
            let Some(script) = cx.model().run_script(i) else {
                continue;
            };
            let calls = cx.model().calls(i, "apt", apt);
            let installs: Vec<&run_edits::PmCall> = calls
                .iter()
                .filter(|c| {
                    // aptitude spells it `--without-recommends`.
                    c.tool != "aptitude"
                        && c.sub
                            .as_deref()
                            .is_some_and(|s| apt.install.iter().any(|x| x == s))
                })
                .collect();
            if installs.is_empty() {
                continue;
            }
            let writes = writes.get_or_insert_with(|| apt_config_writes(doc, &flag.config_keys));
            if configured(doc, i, writes) {
                continue;
            }
            let edits: Vec<_> = installs
                .iter()
                .filter(|c| !run_edits::has_flag(&script.commands[c.command], c, flag))
                .filter_map(|c| {
                    run_edits::insert_flag(ins, &script.commands[c.command], c, &flag.add)
                })
                .collect();
            if edits.is_empty() {
                continue;
            }
            let (note, saving) = saving_note(script, &installs, apt);
            out.push(Finding {
                code: META.code,
                name: META.name,
                message: messages.get(format!(
                    "`apt-get install` also installs recommended packages; add `{}`{note}",
                    flag.add,
                )),
                span: ins.span.start..ins.span.start + ins.keyword_text().len(),
                fix: Some(
                    Fix::unsafe_(edits)
                        .with_title("add --no-install-recommends")
                        .with_reach(Reach::Words),
                ),
                saving_bytes: saving,
            });
        }
    }
}

/// The saving the message names, and claims, for these install calls.
fn saving_note(
    script: &Script,
    installs: &[&run_edits::PmCall],
    apt: &PackageManager,
) -> (String, Option<u64>) {
    // The measured figure is for `curl` on debian:bookworm: it is
    // the saving only when curl is what the RUN installs; for other
    // packages it is named as what it is, and no figure is claimed.
    let packages: Option<Vec<String>> = installs
        .iter()
        .map(|c| run_edits::install_packages(script, c, apt))
        .collect::<Option<Vec<_>>>()
        .map(|v| v.concat());
    let only_curl = packages
        .as_deref()
        .is_some_and(|p| !p.is_empty() && p.iter().all(|n| n.split('=').next() == Some("curl")));
    match apt.saving("no-recommends") {
        Some(b) if only_curl => (
            format!(
                " (saves ~{:.1} MB, measured for curl on debian:bookworm)",
                b as f64 / 1e6
            ),
            Some(b),
        ),
        Some(b) => (
            format!(
                " (how much depends on the packages: measured for curl alone on \
                 debian:bookworm, ~{:.1} MB)",
                b as f64 / 1e6
            ),
            None,
        ),
        None => (String::new(), None),
    }
}

/// Prefix counts over the instructions: `writes[j]` is the number of RUNs
/// before instruction `j` that write an apt setting named in `keys`
/// (`APT::Install-Recommends`).
fn apt_config_writes(doc: &Document, keys: &[String]) -> Vec<usize> {
    let mut out = Vec::with_capacity(doc.instructions().len() + 1);
    let mut n = 0;
    out.push(0);
    for x in doc.instructions() {
        if x.keyword == Keyword::Run {
            let t = doc.text(x.span.clone());
            if t.contains("/etc/apt/apt.conf") && keys.iter().any(|k| t.contains(k.as_str())) {
                n += 1;
            }
        }
        out.push(n);
    }
    out
}

/// A RUN before `at` in its stage (or a stage it is built from) writes the
/// apt setting ([`apt_config_writes`]).
fn configured(doc: &Document, at: usize, writes: &[usize]) -> bool {
    let Some(mut stage) = doc.stage_of(at) else {
        return false;
    };
    let mut end = at;
    loop {
        if writes[end] > writes[stage.instructions.start] {
            return true;
        }
        let Some(parent) = doc.parent_stage(stage) else {
            return false;
        };
        end = parent.instructions.end;
        stage = parent;
    }
}
