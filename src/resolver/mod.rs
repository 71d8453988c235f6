//! Finding and loading the configuration that applies to each file.
//!
//! A file is governed by the nearest `.dslim.toml` or `dslim.toml` (the
//! hidden name wins when a folder has both) in its folder or above, up to the
//! repository root (a folder holding `.git`); `--config FILE` names one file
//! for everything and `--no-config` uses none. Values are layered: command
//! line > `DSLIM_*` environment > configuration file > defaults.
//!
//! Loading is cached twice: folder → governing file (discovery walks each
//! folder once), and file → [`Project`] (each file parsed once), so a run
//! over thousands of Dockerfiles in one repository reads one configuration.
//!
//! Errors name the file, line and column: `dslim.toml:3:1: error: unknown
//! key `selct``.
//!
//! Here the shared types ([`ConfigSource`], [`Project`]); the parts: [`file`],
//! [`overrides`], [`discovery`].

mod discovery;
mod file;
mod overrides;

pub use discovery::*;
pub use file::*;
pub use overrides::*;

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use globset::{GlobBuilder, GlobMatcher};
use serde::Deserialize;
use toml::Spanned;

use crate::config::{CacheStyle, Config, FormatOptions, MergeRunsOptions, Target};
use crate::pipeline::{self, Settings};

/// Configuration file names, in order of preference within one folder.
pub const FILE_NAMES: [&str; 2] = [".dslim.toml", "dslim.toml"];

/// Folders never walked unless `exclude` says otherwise (named anywhere in
/// the tree). `.git` and hidden folders are skipped by the walker anyway.
pub const DEFAULT_EXCLUDE: &[&str] = &["node_modules"];

/// A configuration problem: `location: error: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// `path` or `path:line:col`.
    pub location: String,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: error: {}", self.location, self.message)
    }
}

impl std::error::Error for ConfigError {}

/// Where configuration comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigSource {
    /// The nearest `dslim.toml` / `.dslim.toml` of each file.
    Discover,
    /// One file for everything (`--config`).
    File(PathBuf),
    /// No file (`--no-config`).
    Defaults,
}

/// A path glob from the configuration, relative to its folder.
#[derive(Debug, Clone)]
struct Pattern {
    glob: GlobMatcher,
    /// No `/` in the pattern: it matches a file or folder name anywhere
    /// below the configuration's folder.
    anywhere: bool,
}

impl Pattern {
    fn new(pat: &str) -> Result<Pattern, String> {
        let p = pat.trim();
        let p = p.strip_prefix("./").unwrap_or(p);
        let p = p.strip_suffix('/').unwrap_or(p);
        let glob = GlobBuilder::new(p)
            .literal_separator(true)
            .build()
            .map_err(|e| format!("bad glob `{pat}`: {}", e.kind()))?
            .compile_matcher();
        Ok(Pattern {
            glob,
            anywhere: !p.contains('/'),
        })
    }

    /// Whether `rel` (relative to the configuration's folder) or one of the
    /// folders it is in matches.
    fn matches(&self, rel: &Path) -> bool {
        if self.anywhere {
            rel.components()
                .any(|c| matches!(c, Component::Normal(n) if self.glob.is_match(n)))
        } else {
            rel.ancestors()
                .filter(|a| !a.as_os_str().is_empty())
                .any(|a| self.glob.is_match(a))
        }
    }
}

/// One configuration (a file, or the defaults) with the command-line and
/// environment layers applied.
#[derive(Debug)]
pub struct Project {
    /// The configuration file; `None` for the defaults.
    pub path: Option<PathBuf>,
    /// The folder globs are relative to: the file's folder, or the current
    /// directory for the defaults.
    pub root: PathBuf,
    /// The settings every file under this configuration starts from.
    pub settings: Arc<Settings>,
    per_file_ignores: Vec<(Pattern, Vec<String>)>,
    exclude: Vec<Pattern>,
}

impl Project {
    fn defaults(root: PathBuf, o: &Overrides) -> Project {
        Project::build(
            None,
            root,
            FileConfig::default(),
            Vec::new(),
            default_exclude(),
            o,
        )
    }

    fn build(
        path: Option<PathBuf>,
        root: PathBuf,
        file: FileConfig,
        per_file_ignores: Vec<(Pattern, Vec<String>)>,
        exclude: Vec<Pattern>,
        o: &Overrides,
    ) -> Project {
        let strings = |v: Option<Vec<Spanned<String>>>| -> Vec<String> {
            v.unwrap_or_default()
                .into_iter()
                .map(|s| s.into_inner().trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        };
        let extensions = extensions(&file);
        let settings = Settings {
            select: o.select.clone().unwrap_or_else(|| strings(file.select)),
            ignore: o.ignore.clone().unwrap_or_else(|| strings(file.ignore)),
            unsafe_fixes: o.unsafe_fixes.or(file.unsafe_fixes).unwrap_or(false),
            config: Config {
                cache_style: o.cache_style.or(file.cache_style).unwrap_or_default(),
                target: o.target.or(file.target),
                extensions,
                targets: file
                    .targets
                    .clone()
                    .unwrap_or_default()
                    .into_iter()
                    .map(|t| t.trim().to_ascii_lowercase())
                    .collect(),
                format: file
                    .format
                    .as_ref()
                    .and_then(|f| f.options().ok())
                    .unwrap_or_default(),
                merge_runs: file.merge_runs.unwrap_or_default(),
                merged: Default::default(),
            },
            context: o
                .context
                .clone()
                .or_else(|| file.context.as_ref().map(|c| root.join(c.get_ref()))),
            max_file_size: file
                .max_file_size
                .as_ref()
                .and_then(|v| parse_size(v.get_ref()).ok()),
        };
        Project {
            path,
            root,
            settings: Arc::new(settings),
            per_file_ignores,
            exclude,
        }
    }

    fn relative<'a>(&self, abs: &'a Path) -> &'a Path {
        abs.strip_prefix(&self.root).unwrap_or(abs)
    }

    /// Settings for the file at absolute path `abs`: the project's, plus its
    /// `per-file-ignores`.
    pub fn settings_for(&self, abs: &Path) -> Arc<Settings> {
        let rel = self.relative(abs);
        let extra: Vec<&String> = self
            .per_file_ignores
            .iter()
            .filter(|(p, _)| p.matches(rel))
            .flat_map(|(_, codes)| codes)
            .collect();
        if extra.is_empty() {
            return self.settings.clone();
        }
        let mut s = (*self.settings).clone();
        s.ignore.extend(extra.into_iter().cloned());
        Arc::new(s)
    }

    /// Whether a file found by walking a folder is excluded.
    pub fn excludes(&self, abs: &Path) -> bool {
        let rel = self.relative(abs);
        self.exclude.iter().any(|p| p.matches(rel))
    }
}

fn default_exclude() -> Vec<Pattern> {
    DEFAULT_EXCLUDE
        .iter()
        .filter_map(|p| Pattern::new(p).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(src: &str) -> Result<Project, ConfigError> {
        parse(
            Path::new("/r/dslim.toml"),
            "dslim.toml",
            src,
            &Overrides::default(),
        )
    }

    fn err(src: &str) -> String {
        project(src).unwrap_err().to_string()
    }

    #[test]
    fn every_key() {
        let p = project(
            r#"
select = ["DS001"]
ignore = ["merge-runs"]
unsafe = true
cache-style = "mount"
target = "buildah"
targets = ["App", " test "]
exclude = ["third_party"]
extend-exclude = ["gen/*.Dockerfile"]

[per-file-ignores]
"legacy/*" = ["DS001"]

[format]
indent = 2
operator-position = "line-end"

[package-managers.apt]
cleanup = "apt-get dist-clean"

[base-images.node]
slim = "slim"

[builders.buildah]
locked-last-only = false
"#,
        )
        .unwrap();
        let s = &p.settings;
        assert_eq!(s.select, ["DS001"]);
        assert_eq!(s.ignore, ["merge-runs"]);
        assert!(s.unsafe_fixes);
        assert_eq!(s.config.cache_style, CacheStyle::Mount);
        assert_eq!(s.config.target, Some(Target::Buildah));
        // Stage names compare lower-cased, as BuildKit's do.
        assert_eq!(s.config.targets, ["app", "test"]);
        assert_eq!(s.config.format.indent, 2);
        assert_eq!(
            s.config.format.operator_position,
            crate::config::OperatorPosition::LineEnd
        );
        assert!(s.config.extensions["package-managers"]["apt"].is_table());
        assert_eq!(
            s.config.extensions["base-images"]["node"]["slim"].as_str(),
            Some("slim")
        );
        assert_eq!(
            s.config.extensions["builders"]["buildah"]["locked-last-only"].as_bool(),
            Some(false)
        );
        assert!(p.excludes(Path::new("/r/a/third_party/Dockerfile")));
        assert!(p.excludes(Path::new("/r/gen/x.Dockerfile")));
        assert!(!p.excludes(Path::new("/r/gen/sub/x.Dockerfile")));
        assert!(!p.excludes(Path::new("/r/node_modules/Dockerfile")));
        let legacy = p.settings_for(Path::new("/r/legacy/Dockerfile"));
        assert_eq!(legacy.ignore, ["merge-runs", "DS001"]);
        assert_eq!(p.settings_for(Path::new("/r/Dockerfile")).ignore.len(), 1);
    }

    #[test]
    fn defaults_exclude_node_modules() {
        let p = project("").unwrap();
        assert!(p.excludes(Path::new("/r/web/node_modules/x/Dockerfile")));
        assert!(!p.excludes(Path::new("/r/web/Dockerfile")));
        assert_eq!(p.settings.config, Config::default());
    }

    #[test]
    fn errors_name_line_and_key() {
        assert_eq!(
            err("select = []\n\nselct = 1\n"),
            "dslim.toml:3:1: error: unknown key `selct`"
        );
        assert_eq!(
            err("[format]\nbogus = 1\n"),
            "dslim.toml:2:1: error: unknown key `bogus` in `[format]`"
        );
        assert_eq!(
            err("cache-style = \"foo\"\n"),
            "dslim.toml:1:15: error: bad value for `cache-style`: unknown variant `foo`, expected `remove` or `mount`"
        );
        assert_eq!(
            err("[format]\nindent = \"x\"\n"),
            "dslim.toml:2:10: error: bad value for `format.indent`: expected an integer (1–16 spaces), found string"
        );
        assert_eq!(
            err("select = [\n  \"DS001\",\n  \"DS999\",\n]\n"),
            "dslim.toml:3:3: error: unknown rule selector `DS999` in `select` (see `dslim rules`)"
        );
        assert_eq!(
            err("unsafe = 3\n"),
            "dslim.toml:1:10: error: bad value for `unsafe`: invalid type: integer `3`, expected a boolean"
        );
        assert!(err("x = [\n").starts_with("dslim.toml:"));
        assert!(err("x = [\n").contains("invalid TOML"));
        assert!(err("exclude = [\"a[\"]\n")
            .starts_with("dslim.toml:1:12: error: bad value for `exclude`: bad glob"));
    }

    #[test]
    fn env_layer() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        let o = Overrides::from_env(env(&[
            ("DSLIM_SELECT", "DS001, merge-runs"),
            ("DSLIM_UNSAFE", "yes"),
            ("DSLIM_CACHE_STYLE", "mount"),
            ("DSLIM_TARGET", "classic"),
            ("DSLIM_IGNORE", ""),
        ]))
        .unwrap();
        assert_eq!(o.select, Some(vec!["DS001".into(), "merge-runs".into()]));
        assert_eq!(o.ignore, None);
        assert_eq!(o.unsafe_fixes, Some(true));
        assert_eq!(o.cache_style, Some(CacheStyle::Mount));
        assert_eq!(o.target, Some(Target::Classic));
        assert!(Overrides::from_env(env(&[("DSLIM_UNSAFE", "maybe")])).is_err());
        assert!(Overrides::from_env(env(&[("DSLIM_SELECT", "DS999")]))
            .unwrap_err()
            .contains("DSLIM_SELECT"));
        let cli = Overrides {
            unsafe_fixes: Some(false),
            ..Overrides::default()
        };
        assert_eq!(cli.over(o).unsafe_fixes, Some(false));
    }

    #[test]
    fn discovery_stops_at_repo_root_and_caches() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("repo/.git")).unwrap();
        std::fs::create_dir_all(d.join("repo/a/b")).unwrap();
        std::fs::write(d.join("dslim.toml"), "unsafe = true\n").unwrap();
        std::fs::write(d.join("repo/a/dslim.toml"), "select = [\"DS001\"]\n").unwrap();
        std::fs::write(d.join("repo/a/.dslim.toml"), "ignore = [\"DS001\"]\n").unwrap();
        let mut r = Resolver::with_cwd(
            ConfigSource::Discover,
            Overrides::default(),
            d.to_path_buf(),
        )
        .unwrap();
        // The hidden name wins within a folder.
        let s = r.settings(Path::new("repo/a/b/Dockerfile")).unwrap();
        assert_eq!(s.ignore, ["DS001"]);
        assert!(s.select.is_empty());
        // Above the repository root is never looked at.
        let s = r.settings(Path::new("repo/Dockerfile")).unwrap();
        assert!(!s.unsafe_fixes);
        // Outside the repository, the file above is found.
        let s = r.settings(Path::new("other/Dockerfile")).unwrap();
        assert!(s.unsafe_fixes);
        assert_eq!(r.loaded.len(), 2);
        assert!(r.dirs.contains_key(&d.join("repo/a/b")));
    }
}
