//! DS009 `conda-clean`: clean conda's package cache after installing.
//!
//! `conda|mamba install|create|update` keep every downloaded tarball and its
//! extracted copy in `pkgs/` (often 100+ MB). The recipe is the `[conda]` and
//! `[micromamba]` tables, run by `pkg_cache`: `&& conda clean -afy` (`mamba
//! clean -afy`, `micromamba clean --all --yes`) appended in the RUN's own
//! style. Already clean: any `conda|mamba|micromamba clean` after the last
//! install, `rm -rf` of the pkgs directory, a cache mount on it.
//!
//! With `cache-style = "mount"` on a BuildKit target, stages built from the
//! continuumio/ or condaforge/ images (conda in `/opt/conda`, run as root) get
//! `--mount=type=cache,target=/opt/conda/pkgs` instead. micromamba images run
//! as a non-root user whose uid dslim cannot know: always the clean.

use crate::edit::Applicability;
use crate::finding::Finding;
use crate::syntax::Document;
use crate::transform::{Context, FixAvailability, Meta, Transform};

use super::pkg_cache;

pub struct CondaClean;

static META: Meta = Meta {
    code: "DS009",
    name: "conda-clean",
    summary: "Clean the conda/mamba/micromamba package cache in the installing RUN",
    doc: include_str!("conda_clean.md"),
    fix: FixAvailability::Sometimes,
    safety: Applicability::Safe,
    aliases: &[],
};

impl Transform for CondaClean {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, doc: &Document, cx: &Context, out: &mut Vec<Finding>) {
        pkg_cache::check(&META, doc, cx, out);
    }
}
