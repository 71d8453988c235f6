//! The layers above the configuration file: command line and `DSLIM_*`
//! environment ([`Overrides`]), and the value parsers they share with the
//! file.

use super::*;

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

pub(super) fn parse_bool(v: &str) -> Option<bool> {
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
