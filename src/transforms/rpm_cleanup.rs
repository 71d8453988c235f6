//! Clean the RPM package managers' caches in the installing RUN and make them
//! non-interactive: `yum install` gets `&& yum clean all && rm -rf
//! /var/cache/yum`, `dnf|dnf5|microdnf install` `&& <tool> clean all`,
//! `zypper install|in` `&& zypper clean -a`; `-y` is added after the
//! subcommand for yum/dnf/microdnf, and zypper's global `-n` right after
//! `zypper`, before the subcommand (after `install`, `-n` means `--name`).
//!
//! Why: repository metadata (tens of MB) and downloaded packages stay in
//! `/var/cache/yum`, `/var/cache/dnf` or `/var/cache/zypp` otherwise.
//!
//! Already present: `-y`, `--assumeyes` (zypper: `-n`/`--non-interactive`
//! before the subcommand, `-y`/`--no-confirm` after it); a `clean all` (zypper
//! `clean`/`cc`) after the last install, `rm -rf` of the cache directory, or a
//! cache mount on it. Installs are `install`, `groupinstall`, `localinstall`,
//! `reinstall`, `update`, `upgrade` (zypper `in`, `up`, `dup`, `patch`).
//!
//! Safety: safe: `clean all` never fails, and `-y`/`-n` only stop a prompt that
//! would fail the build. Under `sudo` the cleanup runs under `sudo`; under a
//! non-root USER without sudo the `rm` could fail, so yum is left alone with a
//! display-only finding. No mount style: dnf would need `keepcache=True` in its
//! config, which would stay in the image for later RUNs.
//!
//! hadolint: DL3032 (yum), DL3036 (zypper clean), DL3040 (dnf), DL3034 (zypper
//! `-n`). The pinning rules (DL3033, DL3037, DL3041) are not this transform's.
//!
//! Before:
//! ```text
//! RUN zypper install curl
//! ```
//!
//! After:
//! ```text
//! RUN zypper -n install curl && zypper clean -a
//! ```

// The recipe: the `[yum]`, `[dnf]`, `[microdnf]` and `[zypper]` tables of
// transforms/package-managers.toml, run by `pkg_cache`.

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
    doc: crate::transform_doc!("rpm_cleanup"),
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
