//! DS007 `rpm-cleanup`: clean the RPM package managers' caches after
//! installing, and make them non-interactive.
//!
//! `yum|dnf|microdnf install` leave repository metadata (tens of MB) in
//! `/var/cache/yum` or `/var/cache/dnf`; zypper in `/var/cache/zypp`. The
//! recipe is the `[yum]`, `[dnf]`, `[microdnf]` and `[zypper]` tables, run by
//! `pkg_cache`: `&& yum clean all && rm -rf /var/cache/yum`,
//! `&& dnf clean all`, `&& microdnf clean all`, `&& zypper clean -a` appended
//! in the RUN's own style; `-y` after the subcommand for yum/dnf/microdnf and
//! the global `-n` right after `zypper` (before the subcommand: after
//! `install`, `-n` means `--name`) where no form of them is present. Already
//! clean: a `clean all` / `zypper clean|cc` after the last install, `rm -rf`
//! of the cache directory, a cache mount on it. No mount style: dnf would
//! need `keepcache` in its config, which would stay in the image.

use crate::edit::Applicability;
use crate::finding::Finding;
use crate::syntax::Document;
use crate::transform::{Context, FixAvailability, Meta, Transform};

use super::pkg_cache;

pub struct RpmCleanup;

static META: Meta = Meta {
    code: "DS007",
    name: "rpm-cleanup",
    summary: "Clean the yum, dnf, microdnf and zypper caches in the installing RUN",
    doc: include_str!("rpm_cleanup.md"),
    fix: FixAvailability::Sometimes,
    safety: Applicability::Safe,
    aliases: &["DL3032", "DL3036", "DL3040", "DL3034"],
};

impl Transform for RpmCleanup {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, doc: &Document, cx: &Context, out: &mut Vec<Finding>) {
        pkg_cache::check(&META, doc, cx, out);
    }
}
