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

/// Values from a layer above the configuration file (command line or
/// environment); `None` leaves the value to the layers below.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    pub select: Option<Vec<String>>,
    pub ignore: Option<Vec<String>>,
    pub unsafe_fixes: Option<bool>,
    pub cache_style: Option<CacheStyle>,
    pub target: Option<Target>,
    /// The build context (`--context`), relative to the working directory.
    pub context: Option<PathBuf>,
}

impl Overrides {
    /// The `DSLIM_*` layer: `DSLIM_SELECT`, `DSLIM_IGNORE` (comma-separated
    /// rules), `DSLIM_UNSAFE` (`1`/`true`/`yes`/`on` or `0`/`false`/`no`/
    /// `off`), `DSLIM_CACHE_STYLE`, `DSLIM_TARGET`. Empty variables are
    /// unset.
    pub fn from_env(get: impl Fn(&str) -> Option<String>) -> Result<Overrides, String> {
        let var = |name: &str| get(name).filter(|v| !v.trim().is_empty());
        let list = |name: &str| -> Result<Option<Vec<String>>, String> {
            var(name)
                .map(|v| {
                    let items: Vec<String> = v.split(',').map(str::to_string).collect();
                    clean_selectors(&items, name)
                })
                .transpose()
        };
        let unsafe_fixes = match var("DSLIM_UNSAFE") {
            None => None,
            Some(v) => Some(parse_bool(&v).ok_or_else(|| {
                format!("DSLIM_UNSAFE: expected true or false, found `{}`", v.trim())
            })?),
        };
        Ok(Overrides {
            select: list("DSLIM_SELECT")?,
            ignore: list("DSLIM_IGNORE")?,
            unsafe_fixes,
            cache_style: var("DSLIM_CACHE_STYLE")
                .map(|v| parse_cache_style(&v).map_err(|e| format!("DSLIM_CACHE_STYLE: {e}")))
                .transpose()?,
            target: var("DSLIM_TARGET")
                .map(|v| parse_target(&v).map_err(|e| format!("DSLIM_TARGET: {e}")))
                .transpose()?,
            context: None,
        })
    }

    /// `self` over `lower`: what `self` sets wins.
    pub fn over(self, lower: Overrides) -> Overrides {
        Overrides {
            select: self.select.or(lower.select),
            ignore: self.ignore.or(lower.ignore),
            unsafe_fixes: self.unsafe_fixes.or(lower.unsafe_fixes),
            cache_style: self.cache_style.or(lower.cache_style),
            target: self.target.or(lower.target),
            context: self.context.or(lower.context),
        }
    }
}

fn parse_bool(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// `remove` or `mount`.
pub fn parse_cache_style(v: &str) -> Result<CacheStyle, String> {
    match v.trim().to_ascii_lowercase().as_str() {
        "remove" => Ok(CacheStyle::Remove),
        "mount" => Ok(CacheStyle::Mount),
        other => Err(format!("expected `remove` or `mount`, found `{other}`")),
    }
}

/// `buildkit`, `classic` or `buildah`.
pub fn parse_target(v: &str) -> Result<Target, String> {
    match v.trim().to_ascii_lowercase().as_str() {
        "buildkit" => Ok(Target::Buildkit),
        "classic" => Ok(Target::Classic),
        "buildah" => Ok(Target::Buildah),
        other => Err(format!(
            "expected `buildkit`, `classic` or `buildah`, found `{other}`"
        )),
    }
}

/// Trimmed, non-empty selectors, each naming a known rule; `origin` names
/// where they came from in the error.
pub fn clean_selectors(items: &[String], origin: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for s in items.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        if !pipeline::selector_is_known(s) {
            return Err(format!(
                "unknown rule selector `{s}` in {origin} (see `dslim rules`)"
            ));
        }
        out.push(s.to_string());
    }
    Ok(out)
}

/// Where configuration comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The nearest `dslim.toml` / `.dslim.toml` of each file.
    Discover,
    /// One file for everything (`--config`).
    File(PathBuf),
    /// No file (`--no-config`).
    Defaults,
}

/// The configuration file as written. Every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct FileConfig {
    select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    #[serde(rename = "unsafe")]
    unsafe_fixes: Option<bool>,
    per_file_ignores: Option<BTreeMap<Spanned<String>, Vec<Spanned<String>>>>,
    exclude: Option<Vec<Spanned<String>>>,
    extend_exclude: Option<Vec<Spanned<String>>>,
    format: Option<FileFormat>,
    merge_runs: Option<MergeRunsOptions>,
    cache_style: Option<CacheStyle>,
    target: Option<Target>,
    /// The build context, relative to the configuration file's folder.
    context: Option<Spanned<PathBuf>>,
    /// Bytes (`8388608`) or a size (`"8 MiB"`).
    max_file_size: Option<Spanned<toml::Value>>,
    package_managers: Option<toml::Table>,
    base_images: Option<toml::Table>,
    builders: Option<toml::Table>,
    targets: Option<Vec<String>>,
}

/// `[format]` as written; ranges are checked by [`FileFormat::options`].
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct FileFormat {
    indent: Option<Spanned<toml::Value>>,
    operator_position: Option<crate::config::OperatorPosition>,
}

/// The smallest and largest `[format] indent`.
pub const INDENT_RANGE: std::ops::RangeInclusive<i64> = 1..=16;

/// The smallest and largest `max-file-size`.
pub const MAX_FILE_SIZE_RANGE: std::ops::RangeInclusive<u64> = 1..=(1 << 30);

impl FileFormat {
    /// The options, or the span and message of a value out of range.
    fn options(&self) -> Result<FormatOptions, (std::ops::Range<usize>, String)> {
        let mut o = FormatOptions::default();
        if let Some(i) = &self.indent {
            let range = format!("{}–{} spaces", INDENT_RANGE.start(), INDENT_RANGE.end());
            let toml::Value::Integer(v) = *i.get_ref() else {
                return Err((
                    i.span(),
                    format!(
                        "bad value for `format.indent`: expected an integer ({range}), found {}",
                        i.get_ref().type_str()
                    ),
                ));
            };
            if !INDENT_RANGE.contains(&v) {
                return Err((
                    i.span(),
                    format!("bad value for `format.indent`: {v} is out of range ({range})"),
                ));
            }
            o.indent = v as usize;
        }
        if let Some(p) = self.operator_position {
            o.operator_position = p;
        }
        Ok(o)
    }
}

/// A size in bytes: an integer, or a string such as `"512 KiB"`, `"8 MiB"`
/// (`B`, `KiB`/`K`/`KB`, `MiB`/`M`/`MB`, `GiB`/`G`/`GB`, all powers of
/// 1024), in [`MAX_FILE_SIZE_RANGE`].
fn parse_size(v: &toml::Value) -> Result<u64, String> {
    let n = match v {
        toml::Value::Integer(i) => u64::try_from(*i).map_err(|_| format!("{i} is negative"))?,
        toml::Value::String(s) => {
            let t = s.trim();
            let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
            let (num, unit) = t.split_at(split);
            let num: u64 = num
                .parse()
                .map_err(|_| format!("expected a size such as \"8 MiB\", found \"{s}\""))?;
            let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
                "" | "b" => 1,
                "k" | "kb" | "kib" => 1 << 10,
                "m" | "mb" | "mib" => 1 << 20,
                "g" | "gb" | "gib" => 1 << 30,
                _ => return Err(format!("unknown unit in \"{s}\" (use B, KiB, MiB or GiB)")),
            };
            num.checked_mul(mult)
                .ok_or_else(|| format!("\"{s}\" is out of range"))?
        }
        other => {
            return Err(format!(
                "expected bytes or a size such as \"8 MiB\", found {}",
                other.type_str()
            ))
        }
    };
    if !MAX_FILE_SIZE_RANGE.contains(&n) {
        return Err(format!(
            "{n} bytes is out of range (1 byte–{})",
            crate::fsutil::size_text(*MAX_FILE_SIZE_RANGE.end())
        ));
    }
    Ok(n)
}

/// The data tables of a configuration file, keyed as `crate::data` expects.
fn extensions(file: &FileConfig) -> toml::Table {
    let mut t = toml::Table::new();
    for (key, table) in [
        ("package-managers", &file.package_managers),
        ("base-images", &file.base_images),
        ("builders", &file.builders),
    ] {
        if let Some(table) = table.as_ref().filter(|t| !t.is_empty()) {
            t.insert(key.to_string(), toml::Value::Table(table.clone()));
        }
    }
    t
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

/// Resolves the configuration of each file, with caches.
#[derive(Debug)]
pub struct Resolver {
    source: Source,
    overrides: Overrides,
    cwd: PathBuf,
    /// Folder → the configuration file governing it.
    dirs: HashMap<PathBuf, Option<PathBuf>>,
    /// Configuration file → what it loaded to.
    loaded: HashMap<PathBuf, Result<Arc<Project>, ConfigError>>,
    defaults: Arc<Project>,
    /// `$HOME`: discovery looks no higher.
    home: Option<PathBuf>,
}

impl Resolver {
    /// A resolver; with [`Source::File`] the file is loaded now, so a broken
    /// `--config` fails before any work.
    pub fn new(source: Source, overrides: Overrides) -> Result<Resolver, ConfigError> {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
        Resolver::with_cwd(source, overrides, cwd)
    }

    /// [`Resolver::new`] relative to `cwd` instead of the current directory.
    pub fn with_cwd(
        source: Source,
        overrides: Overrides,
        cwd: PathBuf,
    ) -> Result<Resolver, ConfigError> {
        let defaults = Arc::new(Project::defaults(cwd.clone(), &overrides));
        let mut r = Resolver {
            source,
            overrides,
            cwd,
            dirs: HashMap::new(),
            loaded: HashMap::new(),
            defaults,
            home: std::env::var_os("HOME")
                .filter(|h| !h.is_empty())
                .map(PathBuf::from),
        };
        if let Source::File(f) = r.source.clone() {
            let abs = r.absolute(&f);
            r.load(&abs)?;
        }
        Ok(r)
    }

    /// `path` made absolute against the working directory, `.` and `..`
    /// resolved lexically.
    pub fn absolute(&self, path: &Path) -> PathBuf {
        let mut out = PathBuf::new();
        for c in self.cwd.join(path).components() {
            match c {
                Component::CurDir => {}
                Component::ParentDir => {
                    out.pop();
                }
                c => out.push(c),
            }
        }
        out
    }

    /// The configuration governing `file` (a path as given; `-` or a
    /// `--stdin-filename` name for stdin).
    pub fn project(&mut self, file: &Path) -> Result<Arc<Project>, ConfigError> {
        let config = match self.source.clone() {
            Source::Defaults => None,
            Source::File(f) => Some(self.absolute(&f)),
            Source::Discover => {
                let abs = self.absolute(file);
                let dir = abs.parent().unwrap_or(&abs).to_path_buf();
                self.discover(&dir)
            }
        };
        match config {
            None => Ok(self.defaults.clone()),
            Some(c) => self.load(&c),
        }
    }

    /// The settings for `file`.
    pub fn settings(&mut self, file: &Path) -> Result<Arc<Settings>, ConfigError> {
        let abs = self.absolute(file);
        Ok(self.project(file)?.settings_for(&abs))
    }

    /// Whether `file`, found by walking a folder, is excluded by its
    /// configuration's `exclude`/`extend-exclude`.
    pub fn excluded(&mut self, file: &Path) -> Result<bool, ConfigError> {
        let abs = self.absolute(file);
        Ok(self.project(file)?.excludes(&abs))
    }

    /// The nearest configuration file at or above `dir`, stopping at a
    /// repository root (a folder holding `.git`), at the home directory
    /// (`$HOME`, looked at, nothing above it), and at the first folder that
    /// cannot be read (nothing there or above it).
    fn discover(&mut self, dir: &Path) -> Option<PathBuf> {
        let home = self.home.clone();
        let mut visited = Vec::new();
        let mut found = None;
        let mut cur = Some(dir);
        'walk: while let Some(d) = cur {
            if let Some(known) = self.dirs.get(d) {
                found = known.clone();
                break;
            }
            visited.push(d.to_path_buf());
            for name in FILE_NAMES {
                match std::fs::metadata(d.join(name)) {
                    Ok(m) if m.is_file() => {
                        found = Some(d.join(name));
                        break 'walk;
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => break 'walk,
                    _ => {}
                }
            }
            if d.join(".git").exists() || home.as_deref() == Some(d) {
                break;
            }
            cur = d.parent();
        }
        for v in visited {
            self.dirs.insert(v, found.clone());
        }
        found
    }

    fn shown(&self, path: &Path) -> String {
        crate::output::display_path(path.strip_prefix(&self.cwd).unwrap_or(path))
    }

    fn load(&mut self, path: &Path) -> Result<Arc<Project>, ConfigError> {
        if let Some(r) = self.loaded.get(path) {
            return r.clone();
        }
        let shown = self.shown(path);
        let r = std::fs::read_to_string(path)
            .map_err(|e| ConfigError {
                location: shown.clone(),
                message: crate::fsutil::io_message(&e),
            })
            .and_then(|src| parse(path, &shown, &src, &self.overrides))
            .map(Arc::new);
        self.loaded.insert(path.to_path_buf(), r.clone());
        r
    }
}

/// Parses and validates one configuration file.
fn parse(
    path: &Path,
    shown: &str,
    src: &str,
    overrides: &Overrides,
) -> Result<Project, ConfigError> {
    let at = |span: std::ops::Range<usize>, message: String| {
        let (line, col) = crate::syntax::line_col(src, span.start);
        ConfigError {
            location: format!("{shown}:{line}:{col}"),
            message,
        }
    };
    let mut file: FileConfig = toml::from_str(src).map_err(|e| {
        let (span, message) = toml_message(src, &e);
        match span {
            Some(s) => at(s, message),
            None => ConfigError {
                location: shown.to_string(),
                message,
            },
        }
    })?;
    // User data tables must fit the built-in ones they extend.
    let ext = extensions(&file);
    if let Err(message) = crate::data::merged(&ext) {
        return Err(match data_error_span(src, &ext) {
            Some(offset) => at(offset..offset, message),
            None => ConfigError {
                location: shown.to_string(),
                message,
            },
        });
    }
    let check_rules = |list: &[Spanned<String>], key: &str| -> Result<(), ConfigError> {
        for s in list {
            let v = s.get_ref().trim();
            if !v.is_empty() && !pipeline::selector_is_known(v) {
                return Err(at(
                    s.span(),
                    format!("unknown rule selector `{v}` in `{key}` (see `dslim rules`)"),
                ));
            }
        }
        Ok(())
    };
    let patterns = |list: &[Spanned<String>], key: &str| -> Result<Vec<Pattern>, ConfigError> {
        list.iter()
            .map(|s| {
                Pattern::new(s.get_ref())
                    .map_err(|m| at(s.span(), format!("bad value for `{key}`: {m}")))
            })
            .collect()
    };
    check_rules(file.select.as_deref().unwrap_or_default(), "select")?;
    check_rules(file.ignore.as_deref().unwrap_or_default(), "ignore")?;
    let mut per_file = Vec::new();
    for (glob, codes) in file.per_file_ignores.take().unwrap_or_default() {
        check_rules(&codes, "per-file-ignores")?;
        let p = Pattern::new(glob.get_ref())
            .map_err(|m| at(glob.span(), format!("bad key in `per-file-ignores`: {m}")))?;
        let codes = codes
            .into_iter()
            .map(|c| c.into_inner().trim().to_string())
            .filter(|c| !c.is_empty())
            .collect();
        per_file.push((p, codes));
    }
    if let Some(f) = &file.format {
        f.options().map_err(|(span, m)| at(span, m))?;
    }
    if let Some(v) = &file.max_file_size {
        parse_size(v.get_ref())
            .map_err(|m| at(v.span(), format!("bad value for `max-file-size`: {m}")))?;
    }
    let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
    if let Some(c) = &file.context {
        let dir = root.join(c.get_ref());
        if let Err(m) = context_dir(&dir) {
            return Err(at(
                c.span(),
                format!("bad value for `context`: `{}` {m}", c.get_ref().display()),
            ));
        }
    }
    let mut exclude = match file.exclude.take() {
        Some(list) => patterns(&list, "exclude")?,
        None => default_exclude(),
    };
    exclude.extend(patterns(
        file.extend_exclude.take().as_deref().unwrap_or_default(),
        "extend-exclude",
    )?);
    Ok(Project::build(
        Some(path.to_path_buf()),
        root,
        file,
        per_file,
        exclude,
        overrides,
    ))
}

/// Where the user data table that breaks the merge starts: each
/// `[table.entry]` is tried alone, and the first that fails is found in the
/// text as a `[table.entry…]` header or an `entry =` key under `[table]`.
fn data_error_span(src: &str, ext: &toml::Table) -> Option<usize> {
    let (table, entry) = ext.iter().find_map(|(table, v)| {
        let entries = v.as_table()?;
        entries.iter().find_map(|(name, value)| {
            let mut one = toml::Table::new();
            let mut inner = toml::Table::new();
            inner.insert(name.clone(), value.clone());
            one.insert(table.clone(), toml::Value::Table(inner));
            crate::data::merged(&one)
                .is_err()
                .then(|| (table.clone(), name.clone()))
        })
    })?;
    let header = |l: &str| {
        let l = l.trim();
        let inner = l.strip_prefix('[')?.split(']').next()?;
        Some(inner.trim_matches('[').trim().replace(['"', ' '], ""))
    };
    let mut offset = 0;
    let mut current: Option<String> = None;
    for line in src.split_inclusive('\n') {
        if let Some(h) = header(line) {
            if h == format!("{table}.{entry}") || h.starts_with(&format!("{table}.{entry}.")) {
                return Some(offset + line.len() - line.trim_start().len());
            }
            current = Some(h);
        } else if current.as_deref() == Some(table.as_str()) {
            let key = line
                .split('=')
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches('"');
            if line.contains('=') && (key == entry || key.starts_with(&format!("{entry}."))) {
                return Some(offset + line.len() - line.trim_start().len());
            }
        }
        offset += line.len();
    }
    None
}

/// Whether `dir` can be a build context: `Err` says what it is instead
/// (`does not exist`, `is a file, not a folder`).
pub fn context_dir(dir: &Path) -> Result<(), String> {
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(m) => Err(format!(
            "is {}, not a folder",
            crate::fsutil::kind_name(&m.file_type())
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err("does not exist".into()),
        Err(e) => Err(format!("cannot be read: {}", crate::fsutil::io_message(&e))),
    }
}

/// A `toml` error as dslim words it, with the span to point at.
fn toml_message(src: &str, e: &toml::de::Error) -> (Option<std::ops::Range<usize>>, String) {
    let msg = e.message().trim();
    let span = e.span();
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let name = rest.split('`').next().unwrap_or(rest);
        let table = span
            .as_ref()
            .and_then(|s| table_at(src, s.start))
            .map(|t| format!(" in `[{t}]`"))
            .unwrap_or_default();
        return (span, format!("unknown key `{name}`{table}"));
    }
    let flat = msg.lines().map(str::trim).collect::<Vec<_>>().join(": ");
    let data_error = [
        "invalid type",
        "unknown variant",
        "invalid value",
        "invalid length",
    ]
    .iter()
    .any(|p| msg.starts_with(p));
    match span {
        Some(s) if data_error => {
            let key = key_at(src, s.start).unwrap_or_else(|| "?".into());
            (Some(s), format!("bad value for `{key}`: {flat}"))
        }
        s => (s, format!("invalid TOML: {flat}")),
    }
}

/// The dotted key whose value is at `offset`: the nearest `key =` at or
/// above it, prefixed by its `[table]`.
fn key_at(src: &str, offset: usize) -> Option<String> {
    let head = &src[..offset.min(src.len())];
    let mut lines = head.lines().rev();
    // The part of the current line before the value, then whole lines up.
    let mut key = None;
    for l in lines.by_ref() {
        let l = l.trim();
        if l.starts_with('[') && !l.contains('=') {
            break;
        }
        if let Some((k, _)) = l.split_once('=') {
            key = Some(k.trim().trim_matches('"').to_string());
            break;
        }
    }
    let key = key?;
    Some(match table_at(src, offset) {
        Some(t) => format!("{t}.{key}"),
        None => key,
    })
}

/// The `[table]` header governing `offset`, if any.
fn table_at(src: &str, offset: usize) -> Option<String> {
    let head = &src[..offset.min(src.len())];
    let line_start = head.rfind('\n').map_or(0, |i| i + 1);
    src[..line_start].lines().rev().find_map(|l| {
        let l = l.trim();
        let inner = l.strip_prefix('[')?.split(']').next()?;
        (!l.contains('=')).then(|| inner.trim_matches('[').trim().to_string())
    })
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
        let mut r =
            Resolver::with_cwd(Source::Discover, Overrides::default(), d.to_path_buf()).unwrap();
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
