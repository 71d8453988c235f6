//! DS001 merge-runs (implementation in progress).

use crate::edit::Applicability;
use crate::finding::Finding;
use crate::syntax::Document;
use crate::transform::{Context, FixAvailability, Meta, Transform};

pub struct MergeRuns;

static META: Meta = Meta {
    code: "DS001",
    name: "merge-runs",
    summary: "Merge consecutive RUN instructions into one layer",
    doc: "",
    fix: FixAvailability::Sometimes,
    safety: Applicability::Safe,
    aliases: &["DL3059"],
};

impl Transform for MergeRuns {
    fn meta(&self) -> &'static Meta {
        &META
    }
    fn check(&self, _doc: &Document, _cx: &Context, _out: &mut Vec<Finding>) {}
}
