//! The configuration resolver from the rule and configuration flags and the
//! `DSLIM_*` environment.

use super::*;

/// The configuration resolver for `--select`/`--ignore`/`--unsafe`/
/// `--cache-style`/`--target`/`--config`/`--no-config` and the `DSLIM_*`
/// environment; problems are printed and give `None` (exit 2).
pub fn resolver(r: &RuleArgs, term: &mut Term) -> Option<Resolver> {
    match try_resolver(r) {
        Ok(r) => Some(r),
        Err(m) => {
            term.err(&m);
            None
        }
    }
}

/// [`resolver`], the problem as the text to print.
pub fn try_resolver(r: &RuleArgs) -> Result<Resolver, String> {
    let overrides = overrides(r).map_err(|m| fatal_text(&m))?;
    try_config_resolver(&r.config, overrides)
}

/// A resolver for `--config`/`--no-config` and the given overrides.
pub fn config_resolver(
    c: &args::ConfigArgs,
    overrides: Overrides,
    term: &mut Term,
) -> Option<Resolver> {
    match try_config_resolver(c, overrides) {
        Ok(r) => Some(r),
        Err(m) => {
            term.err(&m);
            None
        }
    }
}

/// [`config_resolver`], the problem as the text to print.
pub fn try_config_resolver(c: &args::ConfigArgs, overrides: Overrides) -> Result<Resolver, String> {
    let source = if c.no_config {
        ConfigSource::Defaults
    } else if let Some(f) = &c.config {
        ConfigSource::File(f.clone())
    } else {
        ConfigSource::Discover
    };
    Resolver::new(source, overrides).map_err(|e| text::error(&e.location, &e.message))
}

/// The command-line layer over the environment layer.
pub(crate) fn overrides(r: &RuleArgs) -> Result<Overrides, String> {
    let list = |v: &[String], flag: &str| -> Result<Option<Vec<String>>, String> {
        if v.is_empty() {
            Ok(None)
        } else {
            resolver::clean_selectors(v, flag).map(Some)
        }
    };
    let cli = Overrides {
        select: list(&r.select, "--select")?,
        ignore: list(&r.ignore, "--ignore")?,
        unsafe_fixes: r.unsafe_fixes.then_some(true),
        cache_style: r
            .cache_style
            .as_deref()
            .map(resolver::parse_cache_style)
            .transpose()?,
        target: r
            .target
            .as_deref()
            .map(resolver::parse_target)
            .transpose()?,
        context: r.context.clone(),
    };
    if let Some(c) = &cli.context {
        resolver::context_dir(c).map_err(|m| format!("--context `{}` {m}", c.display()))?;
    }
    let env = Overrides::from_env(|k| std::env::var(k).ok())?;
    Ok(cli.over(env))
}
