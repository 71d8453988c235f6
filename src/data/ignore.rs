//! `transforms/dockerignore.toml`: the entries DS203 proposes.

use std::collections::BTreeMap;

use serde::Deserialize;

/// `transforms/dockerignore.toml` (DS203).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct DockerignoreData {
    pub general: Vec<IgnoreEntry>,
    pub languages: BTreeMap<String, IgnoreLanguage>,
}

/// An entry proposed for every context.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct IgnoreEntry {
    pub pattern: String,
    pub why: String,
}

/// One ecosystem's caches.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct IgnoreLanguage {
    pub files: Vec<String>,
    pub images: Vec<String>,
    pub entries: Vec<String>,
}
