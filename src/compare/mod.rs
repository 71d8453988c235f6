//! `dslim compare`: builds a Dockerfile before and after the fixes and
//! reports real image sizes and layers.
//!
//! The fixed text is computed in memory with [`pipeline::fix`] and written
//! to a temporary file; both versions are built with `--no-cache` (so the
//! second build cannot reuse the first's layers and its time is real), each
//! under its own tag, then inspected, measured and — unless asked to keep
//! them — removed. Only the images this run made are removed.
//!
//! Between building and removing, the two images are compared for
//! behaviour ([`probe`]: the same command run in both) and files
//! ([`files`]: what the fixed image lacks or changed), with buildah.

mod build;
pub mod builder;
mod check;
mod dockerfile;
pub mod files;
pub mod probe;
pub mod render;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Serialize;

pub use build::instruction;
pub use builder::{Builder, BuilderKind, Choice, Pull};
pub use probe::{Probe, Runner};

use crate::pipeline::{self, Settings};

/// What to compare and how.
#[derive(Debug, Clone)]
pub struct Options {
    pub dockerfile: PathBuf,
    /// Build context; default: the Dockerfile's folder.
    pub context: Option<PathBuf>,
    pub pull: Pull,
    /// Keep the two images (and print their tags).
    pub keep: bool,
    pub settings: Settings,
    /// How the two images are run.
    pub probe: Probe,
    /// `--allow` globs: missing paths that do not fail the comparison.
    pub allow: Vec<String>,
    /// buildah, to run and mount the images; `Err`: why behaviour and
    /// files are not compared.
    pub runner: Result<Runner, String>,
}

/// One row of an image's history (`docker history`), in build order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerRow {
    /// The instruction, shortened from `created_by` (`RUN apt-get update`).
    pub instruction: String,
    /// The builder's record, as stored in the image.
    pub created_by: String,
    pub size_bytes: u64,
    /// True for entries that made no filesystem layer (ENV, CMD, …).
    pub empty_layer: bool,
}

/// One built image.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImageReport {
    pub tag: String,
    /// Whether the image was left in the builder's store (`--keep`).
    pub kept: bool,
    /// Uncompressed: the sum of the layers' sizes, as `docker images` shows.
    pub size_bytes: u64,
    /// gzip-compressed layers, what a registry stores; `null` when the
    /// builder cannot tell.
    pub compressed_bytes: Option<u64>,
    pub layer_count: usize,
    pub build_seconds: f64,
    pub history: Vec<LayerRow>,
}

/// After minus before; `saved_*` is before minus after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    pub size_bytes: i64,
    pub saved_bytes: i64,
    /// Of the original size; 0 when the original is empty.
    pub saved_percent: f64,
    pub compressed_bytes: Option<i64>,
    pub compressed_saved_percent: Option<f64>,
    pub layer_count: i64,
    pub build_seconds: f64,
}

impl Difference {
    pub fn of(before: &ImageReport, after: &ImageReport) -> Difference {
        let delta = |a: u64, b: u64| b as i64 - a as i64;
        let size = delta(before.size_bytes, after.size_bytes);
        let compressed = match (before.compressed_bytes, after.compressed_bytes) {
            (Some(b), Some(a)) => Some((b, a)),
            _ => None,
        };
        Difference {
            size_bytes: size,
            saved_bytes: -size,
            saved_percent: percent(-size, before.size_bytes),
            compressed_bytes: compressed.map(|(b, a)| delta(b, a)),
            compressed_saved_percent: compressed.map(|(b, a)| percent(-delta(b, a), b)),
            layer_count: after.layer_count as i64 - before.layer_count as i64,
            build_seconds: round2(after.build_seconds - before.build_seconds),
        }
    }
}

/// `part` as a percentage of `whole`, to two decimals (0 for an empty whole).
pub fn percent(part: i64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        round2(part as f64 * 100.0 / whole as f64)
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The whole comparison (`--format json` prints it as is).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub dockerfile: String,
    pub context: String,
    pub builder: &'static str,
    /// Whether the fixes changed the Dockerfile.
    pub changed: bool,
    /// Codes of the fixes applied, one entry per fix.
    pub applied: Vec<&'static str>,
    pub before: ImageReport,
    pub after: ImageReport,
    pub difference: Difference,
    /// The probe run in both images (`null` when not checked).
    pub behaviour: Option<probe::ProbeReport>,
    /// The file-system diff (`null` when not checked).
    pub files: Option<files::FileDiff>,
    /// Why behaviour and files were not checked.
    pub not_checked: Option<String>,
    /// Whether the comparison failed: the probe differs or an unexpected
    /// path is missing (exit status 1).
    pub differs: bool,
}

/// Why a comparison failed. Every case exits with status 2.
#[derive(Debug)]
pub enum Error {
    /// The Dockerfile or context cannot be used (message for `path: error:`).
    Input(String),
    /// The Dockerfile does not parse, or a transform failed.
    Pipeline(pipeline::Error),
    /// No usable builder.
    NoBuilder(String),
    /// The original Dockerfile does not build: the user's problem.
    OriginalFailed {
        builder: &'static str,
        message: String,
        log_tail: String,
        log: Option<PathBuf>,
    },
    /// The fixed Dockerfile does not build while the original does: a bug
    /// in one of the transforms applied.
    FixedFailed {
        builder: &'static str,
        applied: Vec<&'static str>,
        message: String,
        log_tail: String,
        log: Option<PathBuf>,
    },
    /// Inspecting or preparing failed.
    Builder { message: String, log_tail: String },
}

/// Status lines while the builds run (stderr in the CLI).
pub trait Progress {
    fn status(&mut self, line: &str);
}

impl<F: FnMut(&str)> Progress for F {
    fn status(&mut self, line: &str) {
        self(line)
    }
}

/// The tag of this run's images: unique per process and call.
fn tag_base() -> String {
    format!("localhost/{}", unique_name("dslim-compare"))
}

/// `PREFIX-PID-MILLIS-N`: a name no other compare (another process, or
/// this one's next image or container) uses, for tags and containers
/// on a store several runs share.
pub(crate) fn unique_name(prefix: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    format!("{prefix}-{}-{t}-{n}", std::process::id())
}

/// The folder a path is in (`.` for a bare file name).
fn folder_of(p: &Path) -> PathBuf {
    match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Builds the original and the fixed Dockerfile with `builder` and
/// compares them: the fixes computed, the fixed text written beside its
/// ignore file, both images built, run and diffed, then removed.
pub fn run(
    o: &Options,
    builder: &Builder,
    src: &str,
    progress: &mut dyn Progress,
) -> Result<Report, Error> {
    let outcome = pipeline::fix(pipeline::Source::new(src, Some(&o.dockerfile)), &o.settings)
        .map_err(Error::Pipeline)?;
    let mut rules = files::Rules::default();
    rules.allow(&o.allow).map_err(Error::Input)?;
    let context = o
        .context
        .clone()
        .unwrap_or_else(|| folder_of(&o.dockerfile));
    let (build_context, dockerfile) = absolute_inputs(o, &context)?;
    let (tmp, fixed_path) = write_fixed(o, &outcome)?;
    let changed = outcome.changed(src);
    if !changed {
        progress.status("no fixes apply: both builds use the same Dockerfile");
    }
    let paths = BuildPaths {
        original: &dockerfile,
        fixed: &fixed_path,
        context: &build_context,
        tmp: tmp.path(),
    };
    let (before, after) = build_both(o, builder, &paths, &outcome.applied, progress)?;
    let checked = o.runner.as_ref().ok().map(|runner| {
        rules.caches = cache_rules(o);
        // Each Dockerfile parsed once, for every question asked of it.
        let docs = dockerfile::Docs {
            original: crate::syntax::Document::parse(src).ok(),
            fixed: crate::syntax::Document::parse(&outcome.fixed).ok(),
            applied: &outcome.applied,
        };
        check::check(
            runner,
            (&before.tag, &after.tag),
            &o.probe,
            &docs,
            &mut rules,
            tmp.path(),
            progress,
        )
    });
    if !o.keep {
        remove_images(builder, &[&before.tag, &after.tag], progress);
    }
    let (behaviour, files) = match checked {
        Some(r) => {
            let (p, f) = r?;
            (Some(p), Some(f))
        }
        None => (None, None),
    };
    let differs = behaviour.as_ref().is_some_and(|p| !p.same)
        || files
            .as_ref()
            .is_some_and(|f| !f.unexpected_missing.is_empty());
    let difference = Difference::of(&before, &after);
    Ok(Report {
        dockerfile: crate::output::display_path(&o.dockerfile),
        context: crate::output::display_path(&context),
        builder: builder.kind.name(),
        changed,
        applied: outcome.applied,
        before,
        after,
        difference,
        behaviour,
        files,
        not_checked: o.runner.as_ref().err().cloned(),
        differs,
    })
}

/// The build context (it must be a folder) and the Dockerfile as absolute
/// paths: a context or Dockerfile named `--file=x` cannot be read as an
/// option by the builder.
fn absolute_inputs(o: &Options, context: &Path) -> Result<(PathBuf, PathBuf), Error> {
    if !context.is_dir() {
        return Err(Error::Input(format!(
            "build context {} is not a directory",
            context.display()
        )));
    }
    let absolute = |p: &Path, what: &str| {
        std::fs::canonicalize(p).map_err(|e| {
            Error::Input(format!(
                "cannot resolve the {what} {}: {}",
                p.display(),
                crate::fsutil::io_message(&e)
            ))
        })
    };
    Ok((
        absolute(context, "build context")?,
        absolute(&o.dockerfile, "Dockerfile")?,
    ))
}

fn io_error(what: &str, e: std::io::Error) -> Error {
    Error::Builder {
        message: format!("{what}: {}", crate::fsutil::io_message(&e)),
        log_tail: String::new(),
    }
}

/// Writes the fixed text to a file of the original's name in a new
/// temporary folder, with the Dockerfile's own `<name>.dockerignore` beside
/// it if it has one (BuildKit reads that before the context's
/// .dockerignore), or the `.dockerignore` the fixes propose (DS203), which
/// applies to the fixed build only. The folder and the fixed file's path.
fn write_fixed(
    o: &Options,
    outcome: &pipeline::Outcome,
) -> Result<(tempfile::TempDir, PathBuf), Error> {
    let tmp = tempfile::Builder::new()
        .prefix("dslim-compare-")
        .tempdir()
        .map_err(|e| io_error("cannot create a temporary folder", e))?;
    let name = o
        .dockerfile
        .file_name()
        .map_or_else(|| "Dockerfile".into(), |n| n.to_os_string());
    let fixed_path = tmp.path().join(&name);
    std::fs::write(&fixed_path, outcome.fixed.as_bytes())
        .map_err(|e| io_error("cannot write the fixed Dockerfile", e))?;
    let mut ignore_name = name.clone();
    ignore_name.push(".dockerignore");
    let own_ignore = folder_of(&o.dockerfile).join(&ignore_name);
    if own_ignore.is_file() {
        std::fs::copy(&own_ignore, tmp.path().join(&ignore_name))
            .map_err(|e| io_error("cannot copy the Dockerfile's .dockerignore", e))?;
    }
    if let Some(ignore) = outcome
        .files
        .iter()
        .find(|f| f.path.to_string_lossy().ends_with(".dockerignore"))
    {
        std::fs::write(tmp.path().join(&ignore_name), ignore.new.as_bytes())
            .map_err(|e| io_error("cannot write the proposed .dockerignore", e))?;
    }
    Ok((tmp, fixed_path))
}

/// What [`build_both`] builds from.
struct BuildPaths<'a> {
    original: &'a Path,
    fixed: &'a Path,
    context: &'a Path,
    tmp: &'a Path,
}

/// Builds the original, then the fixed Dockerfile, each under its own tag.
/// A failed original is the user's problem; a failed fixed build is a bug
/// in one of the `applied` fixes (the original's image is removed then).
fn build_both(
    o: &Options,
    builder: &Builder,
    p: &BuildPaths,
    applied: &[&'static str],
    progress: &mut dyn Progress,
) -> Result<(ImageReport, ImageReport), Error> {
    let base = tag_base();
    let kind = builder.kind.name();
    let inspect = |f: builder::Failure| Error::Builder {
        message: f.message,
        log_tail: f.log_tail,
    };
    let before = build::build_one(
        builder,
        p.original,
        p.context,
        &format!("{base}:before"),
        o,
        p.tmp,
        progress,
    )
    .map_err(|f| match f {
        build::FailedAt::Build(f) => Error::OriginalFailed {
            builder: kind,
            message: f.message,
            log_tail: f.log_tail,
            log: f.log,
        },
        build::FailedAt::Inspect(f) => inspect(f),
    })?;
    let after = build::build_one(
        builder,
        p.fixed,
        p.context,
        &format!("{base}:after"),
        o,
        p.tmp,
        progress,
    );
    match after {
        Ok(a) => Ok((before, a)),
        Err(f) => {
            if !o.keep {
                let _ = builder.remove(&before.tag);
            }
            Err(match f {
                build::FailedAt::Build(f) => Error::FixedFailed {
                    builder: kind,
                    applied: applied.to_vec(),
                    message: f.message,
                    log_tail: f.log_tail,
                    log: f.log,
                },
                build::FailedAt::Inspect(f) => inspect(f),
            })
        }
    }
}

/// Package-manager caches from the transforms' data (with the
/// configuration's extensions).
fn cache_rules(o: &Options) -> Vec<(String, String)> {
    let config = &o.settings.config;
    if config.extensions.is_empty() {
        return files::Rules::with_caches(crate::data::builtin()).caches;
    }
    match config.merged_data() {
        Some(data) => files::Rules::with_caches(data).caches,
        None => {
            files::Rules::with_caches(&crate::data::merged_or_builtin(&config.extensions)).caches
        }
    }
}

/// Removes this run's images (a failure is a warning).
fn remove_images(builder: &Builder, tags: &[&str], progress: &mut dyn Progress) {
    for t in tags {
        if let Err(f) = builder.remove(t) {
            progress.status(&format!("warning: could not remove {t}: {}", f.message));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn image(
        size: u64,
        compressed: Option<u64>,
        layers: usize,
        secs: f64,
    ) -> ImageReport {
        ImageReport {
            tag: "localhost/t:before".into(),
            kept: false,
            size_bytes: size,
            compressed_bytes: compressed,
            layer_count: layers,
            build_seconds: secs,
            history: Vec::new(),
        }
    }

    #[test]
    fn difference_arithmetic() {
        let b = image(909_000_000, Some(300_000_000), 12, 41.25);
        let a = image(118_000_000, Some(45_000_000), 5, 30.0);
        let d = Difference::of(&b, &a);
        assert_eq!(d.size_bytes, -791_000_000);
        assert_eq!(d.saved_bytes, 791_000_000);
        assert_eq!(d.saved_percent, 87.02);
        assert_eq!(d.compressed_bytes, Some(-255_000_000));
        assert_eq!(d.compressed_saved_percent, Some(85.0));
        assert_eq!(d.layer_count, -7);
        assert_eq!(d.build_seconds, -11.25);
    }

    #[test]
    fn growth_is_negative_saving_and_empty_images_do_not_divide_by_zero() {
        let d = Difference::of(&image(100, None, 1, 1.0), &image(150, Some(9), 2, 1.0));
        assert_eq!(
            (d.size_bytes, d.saved_bytes, d.saved_percent),
            (50, -50, -50.0)
        );
        assert_eq!(d.compressed_bytes, None);
        assert_eq!(d.compressed_saved_percent, None);
        let z = Difference::of(&image(0, Some(0), 0, 0.0), &image(0, Some(0), 0, 0.0));
        assert_eq!(
            (z.saved_percent, z.compressed_saved_percent),
            (0.0, Some(0.0))
        );
    }

    #[test]
    fn folders() {
        assert_eq!(folder_of(Path::new("Dockerfile")), Path::new("."));
        assert_eq!(folder_of(Path::new("a/b/Dockerfile")), Path::new("a/b"));
    }
}
