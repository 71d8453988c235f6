//! DS005 `pip-no-cache`: `pip install --no-cache-dir` and `uv … --no-cache`.
//!
//! pip keeps every downloaded and built wheel in `/root/.cache/pip` (18.8 MB
//! for numpy); uv keeps its cache in `/root/.cache/uv`. The recipe is the
//! `[pip]` and `[uv]` tables, run by `pkg_cache`: `pip`, `pip3`, `pip3.X`,
//! `python -m pip`, `python3 -m pip` `install|download|wheel` get
//! `--no-cache-dir` after the subcommand; `uv pip install|sync`, `uv sync`,
//! `uv add`, `uv tool install` get `--no-cache`. Already clean: the flag,
//! `PIP_NO_CACHE_DIR` / `UV_NO_CACHE` set (ENV or ARG in the stage, a prefix
//! assignment on the command, or `export`ed earlier in the RUN; `0`, `false`,
//! `no`, `off` do not count), a cache mount on `/root/.cache/pip` (`uv`) or
//! `/root/.cache`, or an `rm -r` of the cache after the last install.
//!
//! With `cache-style = "mount"` on a BuildKit target, root's RUN gets
//! `--mount=type=cache,target=/root/.cache/pip` (or `/root/.cache/uv`)
//! instead; under another USER the flag is used (the cache is in that user's
//! home).

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
    doc: include_str!("pip_no_cache.md"),
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
