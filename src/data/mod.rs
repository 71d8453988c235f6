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
//!
//! Here the whole and its loading and merging; the tables by file:
//! [`managers`] (package-managers.toml), [`images`] (base-images.toml),
//! [`stages`] (stages.toml), [`ignore`] (dockerignore.toml). A new data
//! file is one field of [`Data`] (build.rs reads every `transforms/*.toml`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

mod ignore;
mod images;
mod managers;
mod stages;

pub use ignore::*;
pub use images::*;
pub use managers::*;
pub use stages::*;

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

/// [`merged`], or the built-in data when a user table does not fit (the
/// config loader reports that error; the transforms keep working).
pub fn merged_or_builtin(extensions: &toml::Table) -> Data {
    merged(extensions).unwrap_or_else(|_| builtin().clone())
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
mod tests;
