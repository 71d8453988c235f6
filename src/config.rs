//! Configuration that changes what transforms propose.
//!
//! Loading (`dslim.toml` / `.dslim.toml` discovery, `DSLIM_*` environment,
//! CLI precedence) lives in [`crate::resolver`]; this module holds the typed
//! values every layer shares, with defaults that reproduce dslim's behaviour
//! without any configuration.

/// How cache transforms keep package caches out of layers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CacheStyle {
    /// Delete caches in the same RUN (works with every builder).
    #[default]
    Remove,
    /// Add BuildKit cache mounts instead (small layers, fast rebuilds).
    Mount,
}

/// The builder the Dockerfile is written for: no transform emits features
/// (`--mount`, heredocs, `--link`) a target lacks. What each one accepts in
/// cache mounts is data: `transforms/builders.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    Buildkit,
    Classic,
    Buildah,
}

impl Target {
    /// The name in configuration and in `transforms/builders.toml`.
    pub fn name(self) -> &'static str {
        match self {
            Target::Buildkit => "buildkit",
            Target::Classic => "classic",
            Target::Buildah => "buildah",
        }
    }
}

/// Where `&&` goes when a transform or the formatter breaks a chain.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OperatorPosition {
    /// `cmd \` / `    && next`
    #[default]
    LineStart,
    /// `cmd && \` / `    next`
    LineEnd,
}

/// Formatter options (`[format]`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct FormatOptions {
    /// Spaces before continuation lines.
    pub indent: usize,
    pub operator_position: OperatorPosition,
}

impl Default for FormatOptions {
    fn default() -> Self {
        FormatOptions {
            indent: 4,
            operator_position: OperatorPosition::LineStart,
        }
    }
}

/// DS001's options (`[merge-runs]`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct MergeRunsOptions {
    /// Merge RUNs that only blank lines (and comment lines) separate; off
    /// keeps the author's blank-line grouping.
    pub across_blank_lines: bool,
}

impl Default for MergeRunsOptions {
    fn default() -> Self {
        MergeRunsOptions {
            across_blank_lines: true,
        }
    }
}

/// Everything a transform may consult besides the document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    pub cache_style: CacheStyle,
    /// `None`: BuildKit when the file has `# syntax=` or uses BuildKit
    /// features, else classic.
    pub target: Option<Target>,
    pub format: FormatOptions,
    /// `[merge-runs]`.
    pub merge_runs: MergeRunsOptions,
    /// Stages built as targets of their own (`docker build --target`):
    /// treated as final stages although other stages build on them.
    pub targets: Vec<String>,
    /// User data tables merged over the built-in `transforms/*.toml`, keyed
    /// like them: `extensions["package-managers"]["apt"]` is the user's
    /// `[package-managers.apt]`. See [`crate::data`].
    pub extensions: toml::Table,
    /// The built-in data with [`Config::extensions`] merged over it, built
    /// once per configuration (it was rebuilt for every pass over every
    /// file); see [`Config::merged_data`].
    pub merged: MergedData,
}

/// The user-merged data of one [`Config`], built on first use and shared
/// by its clones. A cache, not part of the configuration: two configs
/// compare equal whatever their caches hold.
#[derive(Clone, Default)]
pub struct MergedData(std::sync::Arc<std::sync::OnceLock<(toml::Table, crate::data::Data)>>);

impl std::fmt::Debug for MergedData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.get().is_some() {
            "MergedData(built)"
        } else {
            "MergedData(empty)"
        })
    }
}

impl PartialEq for MergedData {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Config {
    /// The data tables with the user's `extensions` merged over the
    /// built-in ones, merged once for this config and its clones. `None`
    /// when the tables changed since the merge (a clone whose extensions
    /// were edited): the caller merges its own copy. A user table that does
    /// not fit (the config loader reports it) leaves the built-in data in
    /// force.
    pub fn merged_data(&self) -> Option<&crate::data::Data> {
        let (from, data) = self.merged.0.get_or_init(|| {
            (
                self.extensions.clone(),
                crate::data::merged_or_builtin(&self.extensions),
            )
        });
        (*from == self.extensions).then_some(data)
    }
}
