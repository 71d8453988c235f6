//! `transforms/stages.toml`: the per-language recipes of DS201.

use std::collections::BTreeMap;

use serde::Deserialize;

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
