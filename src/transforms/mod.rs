//! The registry: every transform, in the order they run and are listed.

pub mod alpine_base;
pub mod apt_cleanup;
pub mod apt_no_recommends;
pub mod base_images;
pub mod deps_first;
pub mod distroless_final;
pub mod dockerignore;
pub mod exec_form_cmd;
pub mod index_readers;
pub mod latest_tag;
pub mod merge_runs;
pub mod multi_stage;
pub mod packages;
pub mod run_edits;
pub mod slim_base;

pub mod apk_no_cache;
pub mod conda_clean;
pub mod gem_no_document;
pub mod node_cache;
pub mod pip_no_cache;
pub mod pkg_cache;
pub mod rpm_cleanup;

use crate::transform::Transform;

/// The documentation of the transform in module `name` (`apk_no_cache`): its
/// module doc comment, as build.rs writes it out (`//! ` removed, ```` ```text
/// ```` blocks indented). The doc comment is the only text; `dslim explain`
/// and docs/rules.md print this.
#[macro_export]
macro_rules! transform_doc {
    ($name:literal) => {
        include_str!(concat!(env!("OUT_DIR"), "/transform-docs/", $name, ".md"))
    };
}

/// All transforms, in priority order: the one place that decides which
/// fix wins when two fixes touch or overlap in one pass (the pipeline's
/// `choose` takes them in this order; the loser waits for the next pass
/// and sees the winner's result). Codes are stable; never reuse a retired
/// code.
///
/// - DS001 (merge RUNs) first: the cache transforms after it then find a
///   cleanup that stood in the next RUN instead of adding a second one.
/// - The per-RUN cache/hygiene fixes (DS0xx) next: each edits its own
///   package-manager call, so among them the order only decides which of
///   two edits of one call goes first.
/// - The base swaps (DS101–DS103), then the stage split (DS201): DS201 wins
///   over the base swaps of its stage whatever this order (see `choose`).
/// - DS202 (dependencies first), `.dockerignore`, exec-form CMD and the
///   latest-tag advice last: they touch whole instructions or other files.
///
/// A new transform takes its place here; `every_transform_has_a_place`
/// checks that none is left out.
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

#[cfg(test)]
mod priority_tests {
    use std::path::Path;

    /// Every `impl Transform for X` under `src/transforms/` is an entry of
    /// [`super::ALL`], so no transform is without a priority.
    #[test]
    fn every_transform_has_a_place() {
        fn walk(dir: &Path, out: &mut Vec<String>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    let text = std::fs::read_to_string(&p).unwrap();
                    let impls = text
                        .lines()
                        .filter_map(|l| l.trim_start().strip_prefix("impl Transform for "));
                    for rest in impls {
                        let name: String = rest
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        out.push(name);
                    }
                }
            }
        }
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/transforms");
        let mut impls = Vec::new();
        walk(&dir, &mut impls);
        let registry = std::fs::read_to_string(dir.join("mod.rs")).unwrap();
        let list = registry
            .split("pub static ALL: &[&dyn Transform] = &[")
            .nth(1)
            .and_then(|r| r.split("];").next())
            .unwrap();
        assert!(impls.len() >= 17, "{impls:?}");
        for name in &impls {
            assert!(
                list.contains(&format!("::{name},")),
                "transform {name} has no place in ALL (src/transforms/mod.rs)"
            );
        }
        assert_eq!(list.matches(',').count(), impls.len(), "{list}");
        assert_eq!(super::ALL.len(), impls.len());
    }
}
