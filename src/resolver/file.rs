//! The configuration file: its keys as written, parsing and validating one
//! file, and errors that name the line and the key.

use super::*;

/// The configuration file as written. Every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(super) struct FileConfig {
    pub(super) select: Option<Vec<Spanned<String>>>,
    pub(super) ignore: Option<Vec<Spanned<String>>>,
    #[serde(rename = "unsafe")]
    pub(super) unsafe_fixes: Option<bool>,
    pub(super) per_file_ignores: Option<BTreeMap<Spanned<String>, Vec<Spanned<String>>>>,
    pub(super) exclude: Option<Vec<Spanned<String>>>,
    pub(super) extend_exclude: Option<Vec<Spanned<String>>>,
    pub(super) format: Option<FileFormat>,
    pub(super) merge_runs: Option<MergeRunsOptions>,
    pub(super) cache_style: Option<CacheStyle>,
    pub(super) target: Option<Target>,
    /// The build context, relative to the configuration file's folder.
    pub(super) context: Option<Spanned<PathBuf>>,
    /// Bytes (`8388608`) or a size (`"8 MiB"`).
    pub(super) max_file_size: Option<Spanned<toml::Value>>,
    pub(super) package_managers: Option<toml::Table>,
    pub(super) base_images: Option<toml::Table>,
    pub(super) builders: Option<toml::Table>,
    pub(super) targets: Option<Vec<String>>,
}

/// `[format]` as written; ranges are checked by [`FileFormat::options`].
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(super) struct FileFormat {
    pub(super) indent: Option<Spanned<toml::Value>>,
    pub(super) operator_position: Option<crate::config::OperatorPosition>,
}

/// The smallest and largest `[format] indent`.
pub const INDENT_RANGE: std::ops::RangeInclusive<i64> = 1..=16;

/// The smallest and largest `max-file-size`.
pub const MAX_FILE_SIZE_RANGE: std::ops::RangeInclusive<u64> = 1..=(1 << 30);

impl FileFormat {
    /// The options, or the span and message of a value out of range.
    pub(super) fn options(&self) -> Result<FormatOptions, (std::ops::Range<usize>, String)> {
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
pub(super) fn parse_size(v: &toml::Value) -> Result<u64, String> {
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
pub(super) fn extensions(file: &FileConfig) -> toml::Table {
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

/// Parses and validates one configuration file.
pub(super) fn parse(
    path: &Path,
    shown: &str,
    src: &str,
    overrides: &Overrides,
) -> Result<Project, ConfigError> {
    let text = Text { shown, src };
    let mut file = read_toml(&text)?;
    check_data_tables(&text, &file)?;
    check_rules(&text, file.select.as_deref().unwrap_or_default(), "select")?;
    check_rules(&text, file.ignore.as_deref().unwrap_or_default(), "ignore")?;
    let per_file = per_file_ignores(&text, file.per_file_ignores.take().unwrap_or_default())?;
    let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
    check_values(&text, &file, &root)?;
    let exclude = exclude_patterns(&text, &mut file)?;
    Ok(Project::build(
        Some(path.to_path_buf()),
        root,
        file,
        per_file,
        exclude,
        overrides,
    ))
}

/// The configuration text and the name it is shown by, for errors that
/// point into it.
struct Text<'a> {
    shown: &'a str,
    src: &'a str,
}

impl Text<'_> {
    /// An error at `span`: `shown:line:col`.
    fn at(&self, span: std::ops::Range<usize>, message: String) -> ConfigError {
        let (line, col) = crate::syntax::line_col(self.src, span.start);
        ConfigError {
            location: format!("{}:{line}:{col}", self.shown),
            message,
        }
    }

    /// An error at `span` when known, else about the whole file.
    fn at_or_file(&self, span: Option<std::ops::Range<usize>>, message: String) -> ConfigError {
        match span {
            Some(s) => self.at(s, message),
            None => ConfigError {
                location: self.shown.to_string(),
                message,
            },
        }
    }
}

/// The file's keys, or the TOML or schema error worded by [`toml_message`].
fn read_toml(text: &Text) -> Result<FileConfig, ConfigError> {
    toml::from_str(text.src).map_err(|e| {
        let (span, message) = toml_message(text.src, &e);
        text.at_or_file(span, message)
    })
}

/// User data tables must fit the built-in ones they extend.
fn check_data_tables(text: &Text, file: &FileConfig) -> Result<(), ConfigError> {
    let ext = extensions(file);
    match crate::data::merged(&ext) {
        Ok(_) => Ok(()),
        Err(message) => {
            let span = data_error_span(text.src, &ext).map(|offset| offset..offset);
            Err(text.at_or_file(span, message))
        }
    }
}

/// Every rule selector in `list` (the value of `key`) names known rules.
fn check_rules(text: &Text, list: &[Spanned<String>], key: &str) -> Result<(), ConfigError> {
    for s in list {
        let v = s.get_ref().trim();
        if !v.is_empty() && !pipeline::selector_is_known(v) {
            return Err(text.at(
                s.span(),
                format!("unknown rule selector `{v}` in `{key}` (see `dslim rules`)"),
            ));
        }
    }
    Ok(())
}

/// `per-file-ignores`: each glob with the (non-empty, trimmed) selectors it
/// ignores.
fn per_file_ignores(
    text: &Text,
    table: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
) -> Result<Vec<(Pattern, Vec<String>)>, ConfigError> {
    let mut per_file = Vec::new();
    for (glob, codes) in table {
        check_rules(text, &codes, "per-file-ignores")?;
        let p = Pattern::new(glob.get_ref())
            .map_err(|m| text.at(glob.span(), format!("bad key in `per-file-ignores`: {m}")))?;
        let codes = codes
            .into_iter()
            .map(|c| c.into_inner().trim().to_string())
            .filter(|c| !c.is_empty())
            .collect();
        per_file.push((p, codes));
    }
    Ok(per_file)
}

/// The values checked here and read later by [`Project::build`]: `[format]`,
/// `max-file-size` and `context` (a folder, relative to `root`).
fn check_values(text: &Text, file: &FileConfig, root: &Path) -> Result<(), ConfigError> {
    if let Some(f) = &file.format {
        f.options().map_err(|(span, m)| text.at(span, m))?;
    }
    if let Some(v) = &file.max_file_size {
        parse_size(v.get_ref())
            .map_err(|m| text.at(v.span(), format!("bad value for `max-file-size`: {m}")))?;
    }
    if let Some(c) = &file.context {
        let dir = root.join(c.get_ref());
        if let Err(m) = context_dir(&dir) {
            return Err(text.at(
                c.span(),
                format!("bad value for `context`: `{}` {m}", c.get_ref().display()),
            ));
        }
    }
    Ok(())
}

/// `exclude` (or the default list) followed by `extend-exclude`, taken out
/// of `file`.
fn exclude_patterns(text: &Text, file: &mut FileConfig) -> Result<Vec<Pattern>, ConfigError> {
    let mut exclude = match file.exclude.take() {
        Some(list) => patterns(text, &list, "exclude")?,
        None => default_exclude(),
    };
    exclude.extend(patterns(
        text,
        file.extend_exclude.take().as_deref().unwrap_or_default(),
        "extend-exclude",
    )?);
    Ok(exclude)
}

/// The globs in `list`, the value of `key`.
fn patterns(text: &Text, list: &[Spanned<String>], key: &str) -> Result<Vec<Pattern>, ConfigError> {
    list.iter()
        .map(|s| {
            Pattern::new(s.get_ref())
                .map_err(|m| text.at(s.span(), format!("bad value for `{key}`: {m}")))
        })
        .collect()
}

/// Where the user data table that breaks the merge starts: each
/// `[table.entry]` is tried alone, and the first that fails is found in the
/// text as a `[table.entry…]` header or an `entry =` key under `[table]`.
pub(super) fn data_error_span(src: &str, ext: &toml::Table) -> Option<usize> {
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

/// A `toml` error as dslim words it, with the span to point at.
pub(super) fn toml_message(
    src: &str,
    e: &toml::de::Error,
) -> (Option<std::ops::Range<usize>>, String) {
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
pub(super) fn key_at(src: &str, offset: usize) -> Option<String> {
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
pub(super) fn table_at(src: &str, offset: usize) -> Option<String> {
    let head = &src[..offset.min(src.len())];
    let line_start = head.rfind('\n').map_or(0, |i| i + 1);
    src[..line_start].lines().rev().find_map(|l| {
        let l = l.trim();
        let inner = l.strip_prefix('[')?.split(']').next()?;
        (!l.contains('=')).then(|| inner.trim_matches('[').trim().to_string())
    })
}
