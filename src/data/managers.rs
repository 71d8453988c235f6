//! `transforms/package-managers.toml`: one table per package manager.

use std::collections::BTreeMap;

use serde::Deserialize;

/// One package manager (see the header of `transforms/package-managers.toml`
/// for the meaning of each field).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct PackageManager {
    pub used_by: Vec<String>,
    pub planned: bool,
    pub commands: Vec<String>,
    pub versioned: bool,
    pub python_modules: Vec<String>,
    pub value_options: Vec<String>,
    pub install: Vec<String>,
    pub update: Vec<String>,
    pub index_users: Vec<String>,
    pub index_commands: Vec<String>,
    pub flags: BTreeMap<String, FlagSpec>,
    pub cleanup: Option<String>,
    pub clean: Clean,
    pub cache_env: Vec<String>,
    pub cache_paths: Vec<String>,
    pub mount: Mount,
    pub savings: Vec<Saving>,
    /// A bare command (no subcommand, options only) installs (`yarn`).
    pub bare_install: bool,
    /// The flag (a key of `flags`) that keeps the cache out; without it the
    /// `cleanup` command is appended instead.
    pub cache_flag: Option<String>,
    /// What the install leaves behind, for messages (`its cache in /root/.npm`).
    pub leaves: Option<String>,
    /// With the cache flag added, an `update` right before the first install
    /// that nothing else needs is removed (`apk update && apk add`).
    pub drop_update: bool,
    /// Config files that may hold a flag's `config-keys` (`/etc/gemrc`).
    pub config_files: Vec<String>,
    /// The cache fix is applied only when the stage shows the right version
    /// of the tool (`yarn`: Yarn 1 only).
    pub gate: Option<Gate>,
    /// The language whose packages it installs (`node`, `python`): DS103
    /// and DS201 tell a builder's language by it.
    pub ecosystem: Option<String>,
    /// How it installs a project's own dependencies from their manifest
    /// (DS201, DS202).
    pub project: Option<ProjectInstall>,
    /// [`PackageManager::multi_word_subcommands`], made on first use.
    #[serde(skip)]
    multi_word: std::sync::OnceLock<Vec<(String, Vec<String>)>>,
}

impl PackageManager {
    /// The subcommands of `install`, `update` and `index-users` of more
    /// than one word, each with its words: split once, not for every
    /// command a RUN runs.
    pub fn multi_word_subcommands(&self) -> &[(String, Vec<String>)] {
        self.multi_word.get_or_init(|| {
            self.install
                .iter()
                .chain(&self.update)
                .chain(&self.index_users)
                .filter(|s| s.contains(' '))
                .map(|s| (s.clone(), s.split(' ').map(str::to_string).collect()))
                .collect()
        })
    }
}

/// `[<manager>.project]`: installing what a project's manifest names.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct ProjectInstall {
    /// Subcommands that install the manifest's dependencies when no
    /// package is named (`npm ci`); with `bare-install`, the bare command
    /// does too.
    pub install: Vec<String>,
    /// Options naming the manifest file (`pip install -r FILE`): the
    /// install is a project install only with one of them.
    pub file_options: Vec<String>,
    /// Files the install reads, the manifest first: copied before the
    /// install when the build context has them.
    pub manifests: Vec<String>,
    /// What is copied when the context is not known (globs allowed).
    pub fallback: Vec<String>,
    /// The folder the install creates in the source tree (`node_modules`).
    pub creates: Option<String>,
    /// Context paths the copy of the manifests leaves out → why that makes
    /// the move unsafe.
    pub not_copied: BTreeMap<String, String>,
}

/// When a cache fix may be applied: the words of the stage's RUN and
/// COPY/ADD instructions (and the RUN itself) must match one of `needs` and
/// none of `blocks`. A pattern is a space-separated word sequence; a word
/// ending in `*` matches by prefix; a word also matches a path's base name.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct Gate {
    pub needs: Vec<String>,
    pub blocks: Vec<String>,
    /// Why a wrong or unknown version matters, for the display-only finding.
    pub why: String,
}

/// A flag a transform adds, and the forms that count as present.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct FlagSpec {
    pub used_by: Vec<String>,
    pub add: String,
    pub aliases: Vec<String>,
    pub options: Vec<String>,
    pub config_keys: Vec<String>,
    /// A global option: inserted right after the command name, before the
    /// subcommand (`zypper -n install`); `add` itself counts only there.
    pub global: bool,
}

/// What already counts as a cleanup.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct Clean {
    pub commands: Vec<String>,
    pub paths: Vec<String>,
    pub mounts: Vec<String>,
}

/// `cache-style = "mount"`: the mounts to add and the setup to prepend.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct Mount {
    pub targets: Vec<String>,
    pub setup: Option<String>,
    /// Mounts only in stages built from an image starting with one of these
    /// (empty: any image).
    pub images: Vec<String>,
    /// Mounts only when the RUN refreshes the index itself (an `update`
    /// before the first install, or one of these flags on every install):
    /// the mount hides an index an earlier RUN left.
    pub requires_update: bool,
    pub update_flags: Vec<String>,
    /// `sharing=` for the mounts (`locked` for apt, which takes a lock in
    /// the cache), when the builder accepts it.
    pub sharing: Option<String>,
}

/// Bytes a fix saves, and where the figure comes from.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct Saving {
    pub what: String,
    /// The transform code that reports this saving.
    pub used_by: Option<String>,
    pub bytes: u64,
    pub source: String,
}

impl PackageManager {
    /// The saving named `what`, in bytes.
    pub fn saving(&self, what: &str) -> Option<u64> {
        self.savings
            .iter()
            .find(|s| s.what == what)
            .map(|s| s.bytes)
    }

    /// The first saving reported by transform `code`, in bytes.
    pub fn saving_for(&self, code: &str) -> Option<u64> {
        self.savings
            .iter()
            .find(|s| s.used_by.as_deref() == Some(code))
            .map(|s| s.bytes)
    }
}
