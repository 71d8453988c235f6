//! DS008 `gem-no-document`: `gem install --no-document`.
//!
//! `gem install` generates ri and rdoc documentation for every gem (a few MB
//! for a Rails-sized set) that no container reads. The recipe is the `[gem]`
//! table, run by `pkg_cache`: `--no-document` right after `install|update`.
//! Already present: `--no-document`, `-N`, `--no-doc`, both `--no-rdoc` and
//! `--no-ri`, or a gemrc (`/etc/gemrc`, `~/.gemrc`) written by a RUN of the
//! stage with `--no-document` / `--no-rdoc`, or copied in. Documentation is
//! not a cache: there is no mount style.

use crate::edit::Applicability;
use crate::finding::Finding;
use crate::syntax::Document;
use crate::transform::{Context, FixAvailability, Meta, Transform};

use super::pkg_cache;

pub struct GemNoDocument;

static META: Meta = Meta {
    code: "DS008",
    name: "gem-no-document",
    summary: "Install Ruby gems without documentation",
    doc: include_str!("gem_no_document.md"),
    fix: FixAvailability::Sometimes,
    safety: Applicability::Safe,
    aliases: &[],
};

impl Transform for GemNoDocument {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, doc: &Document, cx: &Context, out: &mut Vec<Finding>) {
        pkg_cache::check(&META, doc, cx, out);
    }
}
