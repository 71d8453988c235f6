//! Clean the conda package cache in the installing RUN: `conda|mamba
//! install|create|update|env create|env update` get `&& conda clean -afy`
//! (`mamba clean -afy`), `micromamba install|create` `&& micromamba clean --all
//! --yes`, appended in the RUN's own style with the command as written
//! (`/opt/conda/bin/conda clean -afy`).
//!
//! Why: conda keeps every downloaded tarball and its extracted copy in `pkgs/`
//! (often 100+ MB for a scientific stack).
//!
//! Already clean: any `conda|mamba|micromamba clean` after the last install,
//! `rm -rf` of the pkgs directory (`/opt/conda/pkgs`, `/root/.conda/pkgs`,
//! `/root/micromamba/pkgs`), a cache mount on it.
//!
//! Safety: safe. The cleanup is never appended after a trailing shell comment,
//! a background `&`, or `exit`/`exec`; exec-form and heredoc RUNs are left
//! alone.
//!
//! With `cache-style = "mount"` and a builder with cache mounts (`target =
//! "buildkit"` or `"buildah"`, or a file that shows BuildKit features), stages built from
//! `continuumio/` or `condaforge/` images (conda in `/opt/conda`, run as root)
//! get `--mount=type=cache,target=/opt/conda/pkgs` instead. Other images fall
//! back to the clean: conda may live elsewhere, and the micromamba images run
//! as a user whose uid dslim cannot know.
//!
//! Before:
//! ```text
//! RUN conda install -y numpy
//! ```
//!
//! After:
//! ```text
//! RUN conda install -y numpy && conda clean -afy
//! ```

// The recipe: the `[conda]` and `[micromamba]` tables of
// transforms/package-managers.toml, run by `pkg_cache`.

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
    doc: crate::transform_doc!("conda_clean"),
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
