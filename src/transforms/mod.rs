//! The registry: every transform, in the order they run and are listed.

pub mod apt_cleanup;
pub mod apt_no_recommends;
pub mod common;
pub mod deps_first;
pub mod dockerignore;
pub mod merge_runs;
pub mod multi_stage;
pub mod runedit;

use crate::transform::Transform;

/// All transforms. Codes are stable; never reuse a retired code.
pub static ALL: &[&dyn Transform] = &[
    &merge_runs::MergeRuns,
    &apt_cleanup::AptCleanup,
    &apt_no_recommends::AptNoRecommends,
    &multi_stage::MultiStage,
    &deps_first::DepsFirst,
    &dockerignore::Dockerignore,
];

/// Looks a transform up by code or name (case-insensitive).
pub fn find(code_or_name: &str) -> Option<&'static dyn Transform> {
    ALL.iter().copied().find(|t| {
        let m = t.meta();
        m.code.eq_ignore_ascii_case(code_or_name) || m.name.eq_ignore_ascii_case(code_or_name)
    })
}
