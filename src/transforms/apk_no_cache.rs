//! DS004 `apk-no-cache`: `apk add --no-cache`, so the package index is not
//! stored in the image.
//!
//! `apk update` (or `apk add -U`) writes the APKINDEX files (~2.5 MB for
//! main+community) to `/var/cache/apk`; `apk add --no-cache` fetches the index
//! into memory and keeps nothing. The recipe is the `[apk]` table of
//! `transforms/package-managers.toml`, run by `pkg_cache`: `--no-cache` right
//! after `add`; an `apk update` right before the add (`apk update && apk add`)
//! that nothing else reads (no `apk upgrade|search|…` after it in the RUN, no
//! later RUN of the stage or a stage built from it, no ONBUILD) is removed.
//! Already clean: `--no-cache`, `rm -rf /var/cache/apk/*` (or `apk cache
//! clean`) after the last add, a cache/tmpfs mount on `/var/cache/apk` or
//! `/etc/apk/cache`.
//!
//! With `cache-style = "mount"` on a BuildKit target, a RUN that refreshes the
//! index itself (`apk update` first, or `-U` on every add) gets
//! `--mount=type=cache,target=/var/cache/apk` instead (the index stays in the
//! build cache); otherwise `--no-cache` is used.

use crate::edit::Applicability;
use crate::finding::Finding;
use crate::syntax::Document;
use crate::transform::{Context, FixAvailability, Meta, Transform};

use super::pkg_cache;

pub struct ApkNoCache;

static META: Meta = Meta {
    code: "DS004",
    name: "apk-no-cache",
    summary: "Install apk packages with `--no-cache`",
    doc: include_str!("apk_no_cache.md"),
    fix: FixAvailability::Sometimes,
    safety: Applicability::Safe,
    aliases: &["DL3019"],
};

impl Transform for ApkNoCache {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, doc: &Document, cx: &Context, out: &mut Vec<Finding>) {
        pkg_cache::check(&META, doc, cx, out);
    }
}
