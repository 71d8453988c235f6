//! Install apk packages with `--no-cache`: `apk add` gets `--no-cache` right
//! after `add`, and an `apk update` right before it that nothing else needs is
//! removed.
//!
//! Why: `apk update` (or `apk add` without `--no-cache`) stores the package
//! index (~2.5 MB for main+community) in `/var/cache/apk`, in the layer.
//! `apk add --no-cache` fetches the index into memory and keeps nothing.
//!
//! Already clean: `--no-cache`, `rm -rf /var/cache/apk/*` (or `apk cache
//! clean|purge`) after the last add, a `--mount=type=cache` / `tmpfs` on
//! `/var/cache/apk` or `/etc/apk/cache`.
//!
//! The `apk update`: removed (a minimal edit: `apk update && ` or
//! `apk update; `) only when it stands right before the first add, is a plain
//! update (no `-X <repository>`), follows `&&`/`;` or starts the RUN (never the
//! right side of `||` or `|`), and nothing else reads the index: no
//! `apk upgrade|search|info|…` after it in the RUN, in a later RUN of the stage
//! or a stage built from it (before its own `apk update`), nor an ONBUILD
//! trigger of the stage (an `apk add` there counts too). Triggers run after
//! the whole stage, so a later RUN that refreshes the index settles them.
//!
//! Safety: safe. Exec-form and heredoc RUNs, and RUNs under a non-POSIX shell,
//! are left alone. Under `sudo` the flag goes after `add` as usual.
//!
//! With `cache-style = "mount"` and a builder with cache mounts (`target =
//! "buildkit"` or `"buildah"`, or a file that shows BuildKit features), a RUN that refreshes the
//! index itself (an `apk update` before the add, or `-U` on every add) gets
//! `--mount=type=cache,target=/var/cache/apk` instead; other RUNs get
//! `--no-cache` (the mount would hide an index an earlier RUN left). Packages
//! are not cached across builds: that needs an `/etc/apk/cache` symlink, which
//! would stay in the image and make every later `apk add` keep its packages.
//!
//! hadolint: DL3019 (which does not accept the `rm -rf` form).
//!
//! Before:
//! ```text
//! RUN apk update && apk add curl
//! ```
//!
//! After:
//! ```text
//! RUN apk add --no-cache curl
//! ```

// The recipe: the `[apk]` table of transforms/package-managers.toml, run by
// `pkg_cache`.

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
    doc: crate::transform_doc!("apk_no_cache"),
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
