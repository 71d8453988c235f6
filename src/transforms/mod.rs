//! The registry: every transform, in the order they run and are listed.

pub mod alpine_base;
pub mod apt_cleanup;
pub mod apt_no_recommends;
pub mod common;
pub mod deps_first;
pub mod distroless_final;
pub mod dockerignore;
pub mod exec_form_cmd;
pub mod images;
pub mod latest_tag;
pub mod merge_runs;
pub mod multi_stage;
pub mod runedit;
pub mod slim_base;

pub mod apk_no_cache;
pub mod conda_clean;
pub mod gem_no_document;
pub mod node_cache;
pub mod pip_no_cache;
pub mod pkg_cache;
pub mod rpm_cleanup;

use crate::transform::Transform;

/// All transforms. Codes are stable; never reuse a retired code.
pub static ALL: &[&dyn Transform] = &[
    &merge_runs::MergeRuns,
    &apt_cleanup::AptCleanup,
    &apt_no_recommends::AptNoRecommends,
    &apk_no_cache::ApkNoCache,
    &pip_no_cache::PipNoCache,
    &node_cache::NodeCache,
    &rpm_cleanup::RpmCleanup,
    &gem_no_document::GemNoDocument,
    &conda_clean::CondaClean,
    &slim_base::SlimBase,
    &alpine_base::AlpineBase,
    &distroless_final::DistrolessFinal,
    &multi_stage::MultiStage,
    &deps_first::DepsFirst,
    &dockerignore::Dockerignore,
    &exec_form_cmd::ExecFormCmd,
    &latest_tag::LatestTag,
];

/// Looks a transform up by code or name (case-insensitive).
pub fn find(code_or_name: &str) -> Option<&'static dyn Transform> {
    ALL.iter().copied().find(|t| {
        let m = t.meta();
        m.code.eq_ignore_ascii_case(code_or_name) || m.name.eq_ignore_ascii_case(code_or_name)
    })
}
