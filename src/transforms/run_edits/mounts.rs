//! Mounts and builders: the RUN's `--mount` targets, the builder the file is
//! written for, and the cache-mount flags that builder accepts.

use super::*;

/// `--mount=type=cache|tmpfs` targets of a RUN.
pub fn mount_targets(ins: &Instruction) -> Vec<String> {
    let mut out = Vec::new();
    for f in ins.flags().iter().filter(|f| f.name() == "mount") {
        let Some(v) = f.value() else { continue };
        let mut kind = "bind";
        let mut target = None;
        for kv in v.split(',') {
            match kv.split_once('=') {
                Some(("type", t)) => kind = t,
                Some(("target" | "dst" | "destination", t)) => target = Some(t.to_string()),
                _ => {}
            }
        }
        if matches!(kind, "cache" | "tmpfs") {
            out.extend(target);
        }
    }
    out
}

/// A mount (cache or tmpfs) on one of `paths` or a parent of one.
pub fn mounts_cover(ins: &Instruction, paths: &[String]) -> bool {
    mount_targets(ins)
        .iter()
        .any(|t| paths.iter().any(|p| covers(t, p)))
}

/// The builder the file is written for: the configured target, else
/// BuildKit when the file has a `# syntax=` directive or already uses
/// BuildKit-only features, else the classic builder. (A configured
/// `buildah` is never second-guessed: buildah ignores `# syntax=`.)
pub fn target(doc: &Document, cfg: &Config) -> Target {
    target_with(cfg, || uses_buildkit(doc))
}

pub(super) fn target_with(cfg: &Config, buildkit: impl FnOnce() -> bool) -> Target {
    if let Some(t) = cfg.target {
        return t;
    }
    if buildkit() {
        Target::Buildkit
    } else {
        Target::Classic
    }
}

pub use crate::model::uses_buildkit;

/// The builder's table (`transforms/builders.toml`) when it runs
/// `RUN --mount=type=cache`; `None` when it does not. The document scan
/// behind [`target`] is done once per model (it was once per RUN).
pub fn mount_builder<'d>(
    model: &crate::model::Model,
    cfg: &Config,
    data: &'d Data,
) -> Option<&'d Builder> {
    data.builder(target_with(cfg, || model.uses_buildkit()).name())
        .filter(|b| b.cache_mounts)
}

/// The `--mount=type=cache,…` flags that put the caches `targets` of one
/// manager on RUN `ins`, in the form `builder` accepts: `owner` is appended
/// to each (`,uid=1000,gid=1000` or empty), `sharing` is the manager's wish
/// (`locked`), left out where the builder does not accept it.
///
/// With `locked-last-only` the lock goes on the last mount only; on a RUN
/// that already has a locked cache mount the flags go before the RUN's
/// flags ([`mount_insert_at`]), so that mount stays last — unless they ask
/// for a lock themselves or nest with one of the RUN's mounts (their order
/// would change what is visible): then `None`.
pub fn cache_mount_flags(
    builder: &Builder,
    ins: &Instruction,
    targets: &[String],
    owner: &str,
    sharing: Option<&str>,
) -> Option<Vec<String>> {
    let sharing = sharing.filter(|s| builder.sharing.iter().any(|x| x == s));
    if builder.locked_last_only && has_locked_cache_mount(ins) {
        let nests = mount_targets_all(ins)
            .iter()
            .any(|m| targets.iter().any(|t| covers(m, t) || covers(t, m)));
        if sharing == Some("locked") || nests {
            return None;
        }
    }
    let n = targets.len();
    Some(
        targets
            .iter()
            .enumerate()
            .map(|(k, t)| {
                let sharing = match sharing {
                    Some("locked") if builder.locked_last_only && k + 1 < n => None,
                    s => s,
                };
                let sharing = sharing.map(|s| format!(",sharing={s}")).unwrap_or_default();
                format!("--mount=type=cache,target={t}{owner}{sharing}")
            })
            .collect(),
    )
}

/// Where mount flags from [`cache_mount_flags`] go in the source: after the
/// RUN's own flags, or before them when `locked-last-only` needs the RUN's
/// locked cache mount to stay last.
pub fn mount_insert_at(builder: &Builder, ins: &Instruction) -> usize {
    let first = ins.flags().first().map(|f| f.span.start);
    match first {
        Some(at) if builder.locked_last_only && has_locked_cache_mount(ins) => {
            ins.logical.to_source(at)
        }
        _ => ins.logical.to_source(ins.command.args.start),
    }
}

/// The key/value options of each `--mount` flag of the RUN.
pub(super) fn mount_options(ins: &Instruction) -> impl Iterator<Item = Vec<(&str, &str)>> {
    ins.flags().iter().filter(|f| f.name() == "mount").map(|f| {
        f.value()
            .unwrap_or_default()
            .split(',')
            .filter_map(|kv| kv.split_once('='))
            .collect()
    })
}

/// A `--mount=type=cache,…,sharing=locked` on the RUN.
pub(super) fn has_locked_cache_mount(ins: &Instruction) -> bool {
    mount_options(ins).any(|o| o.contains(&("type", "cache")) && o.contains(&("sharing", "locked")))
}

/// The targets of every `--mount` of the RUN, whatever its type.
pub(super) fn mount_targets_all(ins: &Instruction) -> Vec<String> {
    mount_options(ins)
        .filter_map(|o| {
            o.iter()
                .find(|(k, _)| matches!(*k, "target" | "dst" | "destination"))
                .map(|(_, v)| v.to_string())
        })
        .collect()
}
