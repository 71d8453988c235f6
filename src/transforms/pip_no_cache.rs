//! Install Python packages without keeping the download cache: `pip install`
//! gets `--no-cache-dir`, `uv pip install` / `uv sync` get `--no-cache`.
//!
//! Why: pip keeps every downloaded and built wheel in `/root/.cache/pip`
//! (18.8 MB for numpy, measured with buildah); uv keeps its cache in
//! `/root/.cache/uv`. Nothing reads them at run time.
//!
//! Recognised: `pip`, `pip3`, `pip3.X`, `python -m pip`, `python3 -m pip`
//! (through `sudo`, `env` and `VAR=x` prefixes) with `install`, `download` or
//! `wheel`; `uv pip install|sync`, `uv sync`, `uv add`, `uv tool install`.
//! The flag goes right after the subcommand.
//!
//! Already clean: the flag; `PIP_NO_CACHE_DIR` (`UV_NO_CACHE` for uv) set by
//! ENV or ARG in the stage or a stage it is built from, as a prefix assignment
//! on the command, or `export`ed earlier in the same shell (`0`, `false`, `no`,
//! `off` do not count; an export inside a subshell does not either); a cache
//! mount on `/root/.cache/pip` (`/root/.cache/uv`) or `/root/.cache`; an `rm -r`
//! of the cache after the last install.
//!
//! Safety: safe. Exec-form and heredoc RUNs are left alone.
//!
//! With `cache-style = "mount"` and a builder with cache mounts (`target =
//! "buildkit"` or `"buildah"`, or a file that shows BuildKit features), root's RUN gets
//! `--mount=type=cache,target=/root/.cache/pip` (`/root/.cache/uv`) instead of
//! the flag. Under a non-root USER the cache lives in that user's home, which
//! dslim cannot know: the flag is used.
//!
//! hadolint: DL3042.
//!
//! Before:
//! ```text
//! RUN pip install requests
//! ```
//!
//! After:
//! ```text
//! RUN pip install --no-cache-dir requests
//! ```

// The recipe: the `[pip]` and `[uv]` tables of
// transforms/package-managers.toml, run by `pkg_cache`.

use crate::edit::Applicability;
use crate::finding::Finding;
use crate::syntax::Document;
use crate::transform::{Context, FixAvailability, Meta, Transform};

use super::pkg_cache;

pub struct PipNoCache;

static META: Meta = Meta {
    code: "DS005",
    name: "pip-no-cache",
    summary: "Install Python packages without keeping pip's or uv's cache",
    doc: crate::transform_doc!("pip_no_cache"),
    fix: FixAvailability::Sometimes,
    safety: Applicability::Safe,
    aliases: &["DL3042"],
};

impl Transform for PipNoCache {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, doc: &Document, cx: &Context, out: &mut Vec<Finding>) {
        pkg_cache::check(&META, doc, cx, out);
    }
}
