//! Declarative data the transforms read: `transforms/*.toml` at the repo
//! root (every file there, under its file name: adding a table file is one
//! field of [`Data`]), compiled in as JSON by build.rs, parsed lazily and only once (a
//! run whose transforms never ask for the data never parses it), and
//! extended or overridden by the user's tables (`[package-managers.<name>]`
//! in `dslim.toml`, held in [`Config::extensions`](crate::config::Config)).
//!
//! Merging: user tables are merged over the built-in ones key by key; a
//! nested table merges recursively, any other value (arrays included)
//! replaces the built-in value, and a new name adds an entry.
//! [`Context::data`](crate::transform::Context::data) returns the merged
//! view.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

/// All the data, typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Data {
    #[serde(default)]
    pub package_managers: BTreeMap<String, PackageManager>,
    #[serde(default)]
    pub base_images: BaseImages,
    #[serde(default)]
    pub dockerignore: DockerignoreData,
    #[serde(default)]
    pub stages: Stages,
    /// `transforms/builders.toml`: what each `target` builder accepts.
    #[serde(default)]
    pub builders: BTreeMap<String, Builder>,
}

/// What one builder accepts in `RUN --mount=type=cache` (see the header of
/// `transforms/builders.toml`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct Builder {
    /// The builder runs `RUN --mount=type=cache,…`.
    pub cache_mounts: bool,
    /// Accepted `sharing=` values; others are left out (default `shared`).
    pub sharing: Vec<String>,
    /// Only a RUN's last cache mount may be `sharing=locked`.
    pub locked_last_only: bool,
}

/// `transforms/stages.toml` (DS201).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct Stages {
    pub binary: BinaryRecipe,
    pub node: NodeRecipe,
    pub python: PythonRecipe,
    pub pyinstaller: PyInstallerRecipe,
    pub java: JavaRecipe,
    pub builder: BuilderPackages,
    pub alpine: AlpineRecipe,
}

/// `[alpine]`: what a split within Alpine installs in its runtime stage.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct AlpineRecipe {
    /// A `-dev` package or `-lNAME` → the Alpine package with the shared
    /// library (`openssl-dev` → `libssl3`).
    pub runtime_libraries: BTreeMap<String, AlpinePackage>,
    /// Packages that only bring a tool (`npm`, `py3-pip`) → that program:
    /// the runtime gets them only when its CMD/ENTRYPOINT runs the program.
    pub tools: BTreeMap<String, String>,
    /// The runtime package of each interpreter a split carries (`python`,
    /// `node` → `python3`, `nodejs`).
    pub interpreters: BTreeMap<String, String>,
}

/// An Alpine package, in every release, or from a release on (`{ package
/// = "libssl3", since = "3.17" }`: OpenSSL 3 came with Alpine 3.17).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum AlpinePackage {
    All(String),
    Since { package: String, since: String },
}

impl AlpinePackage {
    /// The package name whatever the release.
    pub fn name(&self) -> &str {
        match self {
            AlpinePackage::All(p) | AlpinePackage::Since { package: p, .. } => p,
        }
    }
    /// The package in Alpine `release` (`None`: the newest, `latest`,
    /// `edge`, `3`); `Err(since)` when the release is older than the one
    /// the name is known from.
    pub fn for_release(&self, release: Option<(u32, u32)>) -> Result<&str, &str> {
        match self {
            AlpinePackage::All(p) => Ok(p),
            AlpinePackage::Since { package, since } => {
                let from = alpine_release(since);
                match (release, from) {
                    (None, _) => Ok(package),
                    (Some(r), Some(f)) if r >= f => Ok(package),
                    _ => Err(since),
                }
            }
        }
    }
}

/// `3.18` or `3.18.4` → `(3, 18)`; `None` for anything else (`3`,
/// `latest`, `edge`).
pub fn alpine_release(v: &str) -> Option<(u32, u32)> {
    let mut parts = v.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    parts
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        .then_some((major, minor))
}

/// `[builder]`: Debian packages a builder installs only to build.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct BuilderPackages {
    /// Package names; a `*` matches any text (`golang-*-go`).
    pub packages: Vec<String>,
    /// Alpine packages (`apk add`) only needed to build, same patterns.
    pub apk_packages: Vec<String>,
    /// A `-dev` package → the runtime library package it stands for
    /// (`libpq-dev` → `libpq5`); empty: the runtime image already has it.
    pub runtime_libraries: BTreeMap<String, String>,
}

impl BuilderPackages {
    /// Whether `package` is only needed to build.
    pub fn only_builds(&self, package: &str) -> bool {
        matches(&self.packages, package)
    }
    /// Whether the Alpine `package` is only needed to build.
    pub fn apk_builds(&self, package: &str) -> bool {
        matches(&self.apk_packages, package)
    }
}

/// Whether `package` matches one of `patterns` (`*`: any text).
fn matches(patterns: &[String], package: &str) -> bool {
    patterns.iter().any(|p| match p.split_once('*') {
        Some((head, tail)) => {
            package.len() >= head.len() + tail.len()
                && package.starts_with(head)
                && package.ends_with(tail)
        }
        None => p == package,
    })
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct BinaryRecipe {
    pub static_runtime: String,
    pub certificates: String,
    pub certificate_images: Vec<String>,
    pub dynamic_runtime: String,
    pub path_dirs: Vec<String>,
    /// The Debian release `debian:stable-slim` is.
    pub stable_release: String,
    /// A Cargo.lock `-sys` crate → the library package a glibc runtime
    /// installs (`""`: none needed, the slim image has it or the crate
    /// links nothing shared).
    pub cargo_sys_libraries: BTreeMap<String, ReleasePackage>,
    /// A `-dev` package or `-lNAME` (C builds) → the library package on
    /// `debian:<release>-slim` (`""`: the slim image has it).
    pub runtime_libraries: BTreeMap<String, ReleasePackage>,
}

/// A package name, the same in every Debian release or per release
/// (`{ bookworm = "libssl3", trixie = "libssl3t64" }`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum ReleasePackage {
    All(String),
    ByRelease(BTreeMap<String, String>),
}

impl ReleasePackage {
    /// The package in `release` (`None`: not known there); `Some("")`:
    /// nothing to install.
    pub fn for_release(&self, release: &str) -> Option<&str> {
        match self {
            ReleasePackage::All(p) => Some(p),
            ReleasePackage::ByRelease(m) => m.get(release).map(String::as_str),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct NodeRecipe {
    pub runtime_suffix: String,
    pub prune: BTreeMap<String, String>,
    /// Node majors up to this one ship npm 6, which ignores `--omit=dev`.
    pub old_npm_node_major: u32,
    /// The npm prune command for those.
    pub old_npm_prune: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct PythonRecipe {
    pub runtime_suffix: String,
    pub venv: String,
    /// The runtime stage's apt RUN; `{packages}` is the library list.
    pub runtime_apt: String,
    /// Files (`*` matches any text) that only pip reads: a COPY of them
    /// outside the app folder is no loss.
    pub build_inputs: Vec<String>,
    /// PyPI projects without Linux wheels that link a system library →
    /// the runtime package of that library.
    pub source_builds: BTreeMap<String, String>,
}

/// `[pyinstaller]`: a program PyInstaller froze, on a runtime without Python.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct PyInstallerRecipe {
    /// The runtime image, `{release}` the builder's Debian release.
    pub runtime: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct JavaRecipe {
    /// The JRE image, `{major}` replaced by the builder's Java major.
    pub runtime: String,
    /// Java majors the runtime image is published for.
    pub jre_majors: Vec<u32>,
    /// Parts of a builder tag kept on the runtime's (`-jammy`, `-alpine`).
    pub distro_suffixes: Vec<String>,
}

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

/// `transforms/base-images.toml`: images by short name, and the reserved
/// tables `build-tools`, `apt-to-apk`, `distroless` and `release-in-name`
/// (see the file's header for every field).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct BaseImages {
    #[serde(default)]
    pub build_tools: BuildTools,
    #[serde(default)]
    pub apt_to_apk: AptToApk,
    #[serde(default)]
    pub distroless: Distroless,
    #[serde(default)]
    pub release_in_name: ReleaseInName,
    /// Every other table: an image.
    #[serde(flatten)]
    pub images: BTreeMap<String, BaseImage>,
}

/// Where the slim word goes in a tag that ends in a distro word.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SlimPosition {
    /// `3.12-bookworm` → `3.12-slim-bookworm`.
    BeforeDistro,
    /// `20-bookworm` → `20-bookworm-slim`.
    #[default]
    AfterDistro,
}

/// One official image.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct BaseImage {
    pub used_by: Vec<String>,
    pub slim: Option<String>,
    pub slim_position: SlimPosition,
    /// What the slim variant leaves out, for DS101's message.
    pub slim_drops: Option<String>,
    /// The slim variant has the same packages (only documentation is
    /// left out): a stage that compiles with tools it installs itself
    /// builds the same on it.
    pub slim_same_packages: bool,
    pub alpine: Option<String>,
    pub distros: Vec<String>,
    pub variants: Vec<String>,
    pub jre: Option<String>,
    pub jre_majors: Vec<u32>,
    pub sizes: Vec<ImageSize>,
}

/// The size of one tag, and where the figure comes from.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct ImageSize {
    pub tag: String,
    pub bytes: u64,
    pub source: String,
}

/// Commands and packages that mean a stage compiles code.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct BuildTools {
    pub used_by: Vec<String>,
    pub commands: Vec<String>,
    pub subcommands: Vec<String>,
    pub packages: Vec<String>,
    pub native_installs: Vec<String>,
    pub glibc: Vec<String>,
}

/// Debian package names → Alpine package names.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct AptToApk {
    pub used_by: Vec<String>,
    pub packages: BTreeMap<String, String>,
}

/// The distroless images DS103 proposes.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct Distroless {
    pub used_by: Vec<String>,
    #[serde(rename = "static")]
    pub static_: String,
    pub cc: String,
    pub java: String,
    pub python: String,
    pub nodejs: String,
    /// Tag words of releases newer than the images' own (glibc too new).
    pub newer_releases: Vec<String>,
    pub replaces: Vec<String>,
    pub users: Vec<String>,
    pub needs_files: Vec<String>,
    pub sizes: Vec<ImageSize>,
}

/// Images whose release is part of the name (`gcr.io/distroless/*-debian12`):
/// they publish no version tags, so DS205 does not ask for one.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct ReleaseInName {
    pub used_by: Vec<String>,
    /// Label → name pattern (registry and repository, `*` matching any run
    /// of characters but `/`); an empty pattern is turned off.
    pub patterns: BTreeMap<String, String>,
}

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

impl Data {
    /// The manager named `name` (`apt`, `pip`…).
    pub fn manager(&self, name: &str) -> Option<&PackageManager> {
        self.package_managers.get(name)
    }

    /// The managers whose `used-by` names transform `code`, by name.
    pub fn managers_for<'a>(
        &'a self,
        code: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a PackageManager)> + 'a {
        self.package_managers
            .iter()
            .filter(move |(_, m)| m.used_by.iter().any(|c| c == code))
            .map(|(n, m)| (n.as_str(), m))
    }

    /// The builder table named `name` (`buildkit`, `classic`, `buildah`).
    pub fn builder(&self, name: &str) -> Option<&Builder> {
        self.builders.get(name)
    }

    /// The image table for a Docker Hub short name (`python`).
    pub fn base_image(&self, short_name: &str) -> Option<&BaseImage> {
        self.base_images.images.get(short_name)
    }
}

/// The built-in tables as one TOML table (top-level keys: the file names
/// of `transforms/*.toml`), from the JSON build.rs made, parsed once.
fn builtin_table() -> &'static toml::Table {
    static T: OnceLock<toml::Table> = OnceLock::new();
    T.get_or_init(|| {
        serde_json::from_str(BUILTIN_JSON)
            .unwrap_or_else(|e| panic!("built-in transforms/*.toml (as JSON): {e}"))
    })
}

/// The same tables as JSON, converted by build.rs: parsing JSON at start-up
/// is an order of magnitude cheaper than parsing the TOML.
const BUILTIN_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/transforms.json"));

/// The built-in data, typed, parsed once.
pub fn builtin() -> &'static Data {
    static D: OnceLock<Data> = OnceLock::new();
    D.get_or_init(|| {
        serde_json::from_str(BUILTIN_JSON)
            .unwrap_or_else(|e| panic!("built-in transforms/*.toml (as JSON): {e}"))
    })
}

/// The built-in data with `extensions` (top-level keys: data file names,
/// e.g. `package-managers`) merged over it. An error names the bad table;
/// the config loader reports it.
pub fn merged(extensions: &toml::Table) -> Result<Data, String> {
    if extensions.is_empty() {
        return Ok(builtin().clone());
    }
    for key in extensions.keys() {
        if !builtin_table().contains_key(key) {
            return Err(format!(
                "unknown data table `[{key}]` (known: {})",
                builtin_table()
                    .keys()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    let mut root = builtin_table().clone();
    merge_into(&mut root, extensions);
    Data::deserialize(toml::Value::Table(root)).map_err(|e| e.to_string())
}

/// Merges `over` into `base`: tables recursively, other values replace.
fn merge_into(base: &mut toml::Table, over: &toml::Table) {
    for (k, v) in over {
        match (base.get_mut(k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge_into(b, o),
            _ => {
                base.insert(k.clone(), v.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transforms;

    fn registered(code: &str) -> bool {
        transforms::ALL.iter().any(|t| t.meta().code == code)
    }

    /// The JSON build.rs produces carries exactly what the TOML files say,
    /// one top-level key per file of `transforms/`.
    #[test]
    fn build_time_json_equals_the_toml() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("transforms");
        let mut root = toml::Table::new();
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "toml") {
                let key = p.file_stem().unwrap().to_str().unwrap().to_string();
                let t: toml::Table = std::fs::read_to_string(&p).unwrap().parse().unwrap();
                root.insert(key, toml::Value::Table(t));
            }
        }
        assert!(root.len() >= 5, "{:?}", root.keys().collect::<Vec<_>>());
        assert_eq!(&root, builtin_table());
        let from_toml = Data::deserialize(toml::Value::Table(root)).unwrap();
        assert_eq!(format!("{from_toml:?}"), format!("{:?}", builtin()));
    }

    #[test]
    fn builder_packages_match_literally_or_by_star() {
        let b = &builtin().stages.builder;
        for p in [
            "gcc",
            "gcc-12",
            "golang-go",
            "golang-1.19-go",
            "libc6-dev",
            "ca-certificates",
        ] {
            assert!(b.only_builds(p), "{p}");
        }
        for p in [
            "golang-1.19-src",
            "imagemagick",
            "libsqlite3-0",
            "gc",
            "",
            "go",
        ] {
            assert!(!b.only_builds(p), "{p}");
        }
        let one = BuilderPackages {
            packages: vec!["ab*ba".into()],
            ..BuilderPackages::default()
        };
        assert!(one.only_builds("abba") && one.only_builds("ab-x-ba"));
        assert!(!one.only_builds("aba"), "head and tail may not overlap");
    }

    /// Every Alpine package name of `[alpine]` in stages.toml is one that
    /// Alpine's own build recipes define (testdata/alpine-packages.txt:
    /// lines of aports APKBUILDs), and every release it names parses.
    #[test]
    fn alpine_names_are_real_packages() {
        let text = include_str!("../testdata/alpine-packages.txt");
        let mut names: Vec<String> = Vec::new();
        for line in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            // `key=value` or `key="v1 v2"` after the path@commit.
            let mut vars: Vec<(String, String)> = Vec::new();
            let mut rest = line.split_once(' ').expect("path@commit first").1;
            while let Some((k, after)) = rest.trim_start().split_once('=') {
                let (v, tail) = match after.strip_prefix('"') {
                    Some(q) => q.split_once('"').expect("closing quote"),
                    None => after.split_once(' ').unwrap_or((after, "")),
                };
                vars.push((k.to_string(), v.to_string()));
                rest = tail;
            }
            let expand = |w: &str| {
                let mut w = w.to_string();
                for (k, v) in &vars {
                    w = w.replace(&format!("${k}"), v);
                }
                w
            };
            for (k, v) in &vars {
                if k == "pkgname" || k == "subpackages" || k.ends_with("provides") {
                    for w in v.split_whitespace() {
                        names.push(expand(w.split(':').next().unwrap()));
                    }
                }
            }
        }
        assert!(names.iter().any(|n| n == "libssl3"), "{names:?}");
        let a = &builtin().stages.alpine;
        let mut checked = 0;
        for (key, package) in &a.runtime_libraries {
            if !key.starts_with("-l") {
                assert!(
                    names.contains(key),
                    "`{key}` is no Alpine package of the list"
                );
            }
            assert!(
                names.iter().any(|n| n == package.name()),
                "`{}` (for `{key}`) is no Alpine package of the list",
                package.name()
            );
            if let AlpinePackage::Since { since, .. } = package {
                assert!(alpine_release(since).is_some(), "since = {since:?}");
            }
            checked += 1;
        }
        for p in a.tools.keys().chain(a.interpreters.values()) {
            assert!(names.contains(p), "`{p}` is no Alpine package of the list");
            checked += 1;
        }
        assert!(checked > 20);
        // Names that are no Alpine package do fail the check.
        assert!(!names.iter().any(|n| n == "libssl-dev" || n == "libpq5"));
    }

    #[test]
    fn alpine_packages_by_release() {
        let ssl = AlpinePackage::Since {
            package: "libssl3".into(),
            since: "3.17".into(),
        };
        assert_eq!(ssl.for_release(alpine_release("3.18")), Ok("libssl3"));
        assert_eq!(ssl.for_release(alpine_release("3.17.2")), Ok("libssl3"));
        assert_eq!(ssl.for_release(None), Ok("libssl3"));
        assert_eq!(ssl.for_release(alpine_release("3.16")), Err("3.17"));
        assert_eq!(alpine_release("3"), None);
        assert_eq!(alpine_release("edge"), None);
        assert_eq!(alpine_release("3.x"), None);
    }

    /// Every `target` value has a builder table, and nothing else does.
    #[test]
    fn a_builder_table_per_target() {
        use crate::config::Target;
        let d = builtin();
        let names: Vec<&str> = [Target::Buildkit, Target::Classic, Target::Buildah]
            .iter()
            .map(|t| t.name())
            .collect();
        for n in &names {
            assert!(d.builder(n).is_some(), "transforms/builders.toml: no [{n}]");
        }
        assert_eq!(d.builders.len(), names.len());
        assert!(!d.builder("classic").unwrap().cache_mounts);
        let buildah = d.builder("buildah").unwrap();
        assert!(buildah.cache_mounts && buildah.locked_last_only);
        assert!(!buildah.sharing.iter().any(|s| s == "private"));
    }

    /// Every entry is read by a registered transform, or marked planned
    /// (and then no transform claims it yet: once one does, the entry must
    /// name it).
    #[test]
    fn every_entry_is_used_by_a_registered_transform() {
        let d = builtin();
        assert!(d.package_managers.len() >= 11);
        for (name, m) in &d.package_managers {
            assert!(
                !m.commands.is_empty() || !m.python_modules.is_empty(),
                "{name}: no commands"
            );
            assert!(!m.install.is_empty(), "{name}: no install subcommands");
            assert!(m.cleanup.is_some(), "{name}: no cleanup");
            if m.planned {
                assert!(m.used_by.is_empty(), "{name}: planned but used-by is set");
            } else {
                assert!(!m.used_by.is_empty(), "{name}: neither used-by nor planned");
            }
            // A planned table may already name its future transform.
            let registered = |c: &str| m.planned || registered(c);
            for code in &m.used_by {
                assert!(registered(code), "{name}: used-by {code} is not registered");
            }
            for (flag, f) in &m.flags {
                assert!(!f.add.is_empty(), "{name}.flags.{flag}: empty add");
                assert!(
                    f.aliases.contains(&f.add),
                    "{name}.flags.{flag}: `add` must be one of its aliases"
                );
                if !m.planned {
                    assert!(!f.used_by.is_empty(), "{name}.flags.{flag}: no used-by");
                }
                for code in &f.used_by {
                    assert!(
                        registered(code),
                        "{name}.flags.{flag}: {code} not registered"
                    );
                }
            }
            for s in &m.savings {
                assert!(
                    s.bytes > 0 && !s.source.is_empty(),
                    "{name}: saving {}",
                    s.what
                );
                if let Some(code) = &s.used_by {
                    assert!(registered(code), "{name}: saving {} used by {code}", s.what);
                }
            }
        }
    }

    #[test]
    fn base_images_are_used_and_sourced() {
        let b = &builtin().base_images;
        assert!(b.images.len() >= 6);
        let word = |w: &str| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.')
        };
        for (name, i) in &b.images {
            assert!(!i.used_by.is_empty(), "{name}: no used-by");
            for code in &i.used_by {
                assert!(registered(code), "{name}: used-by {code} is not registered");
            }
            for w in i.slim.iter().chain(&i.alpine) {
                assert!(word(w), "{name}: variant word `{w}`");
            }
            assert!(
                i.slim.is_some() || i.alpine.is_some() || i.jre.is_some(),
                "{name}: no variant"
            );
            // DS101's message says what the smaller image leaves out.
            if i.slim.is_some() || i.jre.is_some() {
                assert!(
                    i.slim_drops.as_deref().is_some_and(|d| !d.is_empty()),
                    "{name}: no slim-drops"
                );
            }
            assert!(
                !i.slim_same_packages || i.slim.is_some(),
                "{name}: slim-same-packages without a slim variant"
            );
            for s in &i.sizes {
                assert!(
                    s.bytes > 0 && !s.source.is_empty(),
                    "{name}: size {}",
                    s.tag
                );
            }
        }
        for code in b
            .build_tools
            .used_by
            .iter()
            .chain(&b.apt_to_apk.used_by)
            .chain(&b.distroless.used_by)
            .chain(&b.release_in_name.used_by)
        {
            assert!(registered(code), "{code} is not registered");
        }
        assert!(!b.build_tools.commands.is_empty());
        assert_eq!(b.apt_to_apk.packages["build-essential"], "build-base");
        assert!(b.distroless.static_.starts_with("gcr.io/distroless/"));
    }

    /// DS103 writes its distroless images untagged: each must carry its
    /// release in its name, or DS205 would report dslim's own output.
    #[test]
    fn distroless_targets_carry_their_release_in_the_name() {
        use crate::syntax::ImageRef;
        use crate::transforms::images::release_in_name;
        let b = &builtin().base_images;
        assert!(!b.release_in_name.patterns.is_empty());
        for p in b.release_in_name.patterns.values() {
            let r = ImageRef::parse(p, 0..0);
            assert!(r.tag.is_none() && r.digest.is_none(), "pattern `{p}`");
        }
        let d = &b.distroless;
        for image in [&d.static_, &d.cc, &d.java, &d.python, &d.nodejs] {
            let r = ImageRef::parse(image, 0..0);
            assert!(
                r.tag.is_none(),
                "{image}: DS103 images are written untagged"
            );
            assert!(
                release_in_name(&b.release_in_name, &r),
                "{image}: matches no `release-in-name` pattern"
            );
        }
    }

    #[test]
    fn user_release_in_name_patterns_merge() {
        let ext: toml::Table = r#"
            [base-images.release-in-name.patterns]
            mycorp = "registry.example.com/base/*-2024"
            distroless-debian11 = ""
        "#
        .parse()
        .unwrap();
        let d = merged(&ext).unwrap();
        let p = &d.base_images.release_in_name.patterns;
        assert_eq!(p["mycorp"], "registry.example.com/base/*-2024");
        assert_eq!(p["distroless-debian11"], "");
        assert_eq!(p["distroless-debian12"], "gcr.io/distroless/*-debian12");
        assert!(!d.base_images.images.contains_key("release-in-name"));
    }

    #[test]
    fn user_base_images_merge() {
        let ext: toml::Table = r#"
            [base-images.python]
            slim-position = "after-distro"
            [base-images.mycorp-python]
            used-by = ["DS101"]
            slim = "slim"
            [base-images.apt-to-apk.packages]
            libfoo = "foo"
        "#
        .parse()
        .unwrap();
        let d = merged(&ext).unwrap();
        let py = d.base_image("python").unwrap();
        assert_eq!(py.slim_position, SlimPosition::AfterDistro);
        assert_eq!(py.alpine.as_deref(), Some("alpine"));
        assert!(d.base_image("mycorp-python").is_some());
        assert_eq!(d.base_images.apt_to_apk.packages["libfoo"], "foo");
        assert_eq!(d.base_images.apt_to_apk.packages["curl"], "curl");
        let bad: toml::Table = "[base-images.python]\nslimm = \"x\"\n".parse().unwrap();
        assert!(merged(&bad).unwrap_err().contains("slimm"));
    }

    #[test]
    fn user_tables_merge_over_builtin() {
        let ext: toml::Table = r#"
            [package-managers.apt]
            cleanup = "apt-get dist-clean"
            [package-managers.apt.clean]
            paths = ["/var/lib/apt"]
            [package-managers.opkg]
            used-by = ["DS002"]
            commands = ["opkg"]
            install = ["install"]
        "#
        .parse()
        .unwrap();
        let d = merged(&ext).unwrap();
        let apt = d.manager("apt").unwrap();
        assert_eq!(apt.cleanup.as_deref(), Some("apt-get dist-clean"));
        assert_eq!(apt.clean.paths, ["/var/lib/apt"]);
        // Untouched keys of a merged table stay.
        assert!(apt.clean.commands.iter().any(|c| c == "apt-get dist-clean"));
        assert_eq!(apt.commands, ["apt-get", "apt", "aptitude"]);
        assert!(d.manager("opkg").is_some());
        assert!(d.manager("pip").is_some());

        let bad: toml::Table = "[package-managers.apt]\ncomands = [\"x\"]\n"
            .parse()
            .unwrap();
        assert!(merged(&bad).unwrap_err().contains("comands"));
        let bad: toml::Table = "[pkg-managers.apt]\n".parse().unwrap();
        assert!(merged(&bad).unwrap_err().contains("unknown data table"));
    }
}
