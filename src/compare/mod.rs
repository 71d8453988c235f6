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

pub mod builder;
pub mod files;
pub mod probe;
pub mod render;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Serialize;

pub use builder::{Builder, Choice, Kind, Pull};
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
/// compares them.
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
    if !context.is_dir() {
        return Err(Error::Input(format!(
            "build context {} is not a directory",
            context.display()
        )));
    }
    // The builders get absolute paths: a context or Dockerfile named
    // `--file=x` cannot be read as an option.
    let absolute = |p: &Path, what: &str| {
        std::fs::canonicalize(p).map_err(|e| {
            Error::Input(format!(
                "cannot resolve the {what} {}: {}",
                p.display(),
                crate::fsutil::io_message(&e)
            ))
        })
    };
    let build_context = absolute(&context, "build context")?;
    let dockerfile_abs = absolute(&o.dockerfile, "Dockerfile")?;
    let io = |what: &str, e: std::io::Error| Error::Builder {
        message: format!("{what}: {}", crate::fsutil::io_message(&e)),
        log_tail: String::new(),
    };
    // The fixed text goes to a file of the same name in a temporary folder,
    // with the Dockerfile's own `<name>.dockerignore` beside it if it has one
    // (BuildKit reads that before the context's .dockerignore).
    let tmp = tempfile::Builder::new()
        .prefix("dslim-compare-")
        .tempdir()
        .map_err(|e| io("cannot create a temporary folder", e))?;
    let name = o
        .dockerfile
        .file_name()
        .map_or_else(|| "Dockerfile".into(), |n| n.to_os_string());
    let fixed_path = tmp.path().join(&name);
    std::fs::write(&fixed_path, outcome.fixed.as_bytes())
        .map_err(|e| io("cannot write the fixed Dockerfile", e))?;
    let mut ignore_name = name.clone();
    ignore_name.push(".dockerignore");
    let own_ignore = folder_of(&o.dockerfile).join(&ignore_name);
    if own_ignore.is_file() {
        std::fs::copy(&own_ignore, tmp.path().join(&ignore_name))
            .map_err(|e| io("cannot copy the Dockerfile's .dockerignore", e))?;
    }
    // A `.dockerignore` the fixes propose (DS203) applies to the fixed build
    // only: as the fixed Dockerfile's own ignore file.
    if let Some(ignore) = outcome
        .files
        .iter()
        .find(|f| f.path.to_string_lossy().ends_with(".dockerignore"))
    {
        std::fs::write(tmp.path().join(&ignore_name), ignore.new.as_bytes())
            .map_err(|e| io("cannot write the proposed .dockerignore", e))?;
    }

    let base = tag_base();
    let kind = builder.kind.name();
    let changed = outcome.changed(src);
    if !changed {
        progress.status("no fixes apply: both builds use the same Dockerfile");
    }

    let before = build_one(
        builder,
        &dockerfile_abs,
        &build_context,
        &format!("{base}:before"),
        o,
        tmp.path(),
        progress,
    )
    .map_err(|f| match f {
        Stage::Build(f) => Error::OriginalFailed {
            builder: kind,
            message: f.message,
            log_tail: f.log_tail,
            log: f.log,
        },
        Stage::Inspect(f) => Error::Builder {
            message: f.message,
            log_tail: f.log_tail,
        },
    })?;
    let after = build_one(
        builder,
        &fixed_path,
        &build_context,
        &format!("{base}:after"),
        o,
        tmp.path(),
        progress,
    );
    let after = match after {
        Ok(a) => a,
        Err(f) => {
            if !o.keep {
                let _ = builder.remove(&before.tag);
            }
            return Err(match f {
                Stage::Build(f) => Error::FixedFailed {
                    builder: kind,
                    applied: outcome.applied.clone(),
                    message: f.message,
                    log_tail: f.log_tail,
                    log: f.log,
                },
                Stage::Inspect(f) => Error::Builder {
                    message: f.message,
                    log_tail: f.log_tail,
                },
            });
        }
    };
    let checked = match &o.runner {
        Ok(runner) => {
            let data = if o.settings.config.extensions.is_empty() {
                crate::data::builtin().clone()
            } else {
                crate::data::merged(&o.settings.config.extensions)
                    .unwrap_or_else(|_| crate::data::builtin().clone())
            };
            let caches = files::Rules::with_caches(&data);
            rules.caches = caches.caches;
            // Each Dockerfile parsed once, for every question asked of it.
            let docs = Docs {
                original: crate::syntax::Document::parse(src).ok(),
                fixed: crate::syntax::Document::parse(&outcome.fixed).ok(),
                applied: &outcome.applied,
            };
            let r = behaviour(
                runner,
                (&before.tag, &after.tag),
                &o.probe,
                &docs,
                &mut rules,
                tmp.path(),
                progress,
            );
            Some(r)
        }
        Err(_) => None,
    };
    if !o.keep {
        for t in [&before.tag, &after.tag] {
            if let Err(f) = builder.remove(t) {
                progress.status(&format!("warning: could not remove {t}: {}", f.message));
            }
        }
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
        builder: kind,
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

/// The original and the fixed Dockerfile, parsed (`None`: it does not
/// parse), and the fixes applied.
struct Docs<'a> {
    original: Option<crate::syntax::Document>,
    fixed: Option<crate::syntax::Document>,
    applied: &'a [&'static str],
}

/// The image the last stage of a Dockerfile is built on (through `FROM
/// <stage>` chains, global ARG defaults substituted); `None` for
/// `scratch`.
fn root_image(doc: &crate::syntax::Document) -> Option<String> {
    let mut st = doc.stages().last()?;
    while let Some(p) = doc.parent_stage(st) {
        st = p;
    }
    let img = crate::transforms::images::resolved_image(doc, st).text;
    (!img.eq_ignore_ascii_case("scratch")).then_some(img)
}

/// The WORKDIR after `WORKDIR arg` when it was `cur`: an absolute path,
/// or `arg` under `cur`; `None` (unknown) for a variable or a relative
/// path under an unknown folder.
fn next_workdir(cur: Option<String>, arg: &str) -> Option<String> {
    let w = arg.trim();
    if w.contains('$') {
        None
    } else if w.starts_with('/') {
        Some(w.to_string())
    } else {
        cur.map(|d| format!("{}/{w}", d.trim_end_matches('/')))
    }
}

/// Where the COPY/ADD instructions of the original's last stage (and the
/// stages it builds on) put files from the build context: absolute
/// destinations, relative ones under a literal WORKDIR; never `/`.
fn copy_destinations(doc: &crate::syntax::Document) -> Vec<String> {
    use crate::syntax::Keyword;
    let Some(mut st) = doc.stages().last() else {
        return Vec::new();
    };
    let mut chain = vec![st];
    while let Some(p) = doc.parent_stage(st) {
        chain.push(p);
        st = p;
    }
    let mut out = Vec::new();
    let mut workdir: Option<String> = None;
    for st in chain.into_iter().rev() {
        for i in &doc.instructions()[st.instructions.clone()] {
            match i.keyword {
                Keyword::Workdir => workdir = next_workdir(workdir, i.args_text()),
                Keyword::Copy | Keyword::Add if i.flag("from").is_none() => {
                    let Some((srcs, dst)) = i.copy_parts() else {
                        continue;
                    };
                    if dst.contains('$') {
                        continue;
                    }
                    // Into `/` (no WORKDIR yet): the files themselves, by
                    // name (`COPY requirements.txt .` → `/requirements.txt`),
                    // never the whole root.
                    if workdir.is_none() && matches!(dst, "." | "./" | "/") {
                        for s in srcs {
                            let name = s.trim_end_matches('/').rsplit('/').next().unwrap_or("");
                            if !name.is_empty()
                                && name != "."
                                && name != ".."
                                && !s.ends_with('/')
                                && !s.contains(['$', '*', '?', '['])
                                && !out.contains(&format!("/{name}"))
                            {
                                out.push(format!("/{name}"));
                            }
                        }
                        continue;
                    }
                    let abs = if dst.starts_with('/') {
                        Some(dst.to_string())
                    } else {
                        workdir.as_ref().map(|d| {
                            let rel = dst.trim_start_matches("./");
                            format!("{}/{rel}", d.trim_end_matches('/'))
                        })
                    };
                    if let Some(a) = abs {
                        let a = a.trim_end_matches(['/', '.']).to_string();
                        if !a.is_empty() && !out.contains(&a) {
                            out.push(a);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// The build folders of the original (the literal WORKDIRs its RUNs ran
/// in, `/` aside) that the fixed Dockerfile's last stage copies an
/// artifact from (`COPY --from=STAGE /app/app.jar …`, the source under
/// the folder): the rest of what the build made there stays in the builder.
/// Whether the fix split a builder stage off (DS201): the fixed Dockerfile
/// has more stages than the original. Only then are packages the fixed
/// image lacks left in a builder; otherwise a transform dropped them.
fn split_off_builder(original: &crate::syntax::Document, fixed: &crate::syntax::Document) -> bool {
    fixed.stages().len() > original.stages().len()
}

fn build_output_folders(
    orig: &crate::syntax::Document,
    fix: &crate::syntax::Document,
) -> Vec<String> {
    use crate::syntax::Keyword;
    let mut folders: Vec<String> = Vec::new();
    for st in orig.stages() {
        let mut workdir: Option<String> = None;
        for i in &orig.instructions()[st.instructions.clone()] {
            match i.keyword {
                Keyword::Workdir => {
                    workdir =
                        next_workdir(workdir, i.args_text()).map(|w| crate::fsutil::image_path(&w));
                }
                Keyword::Run => {
                    if let Some(w) = workdir.as_ref().filter(|w| *w != "/") {
                        if !folders.contains(w) {
                            folders.push(w.clone());
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let Some(last) = fix.stages().last() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for i in &fix.instructions()[last.instructions.clone()] {
        if i.keyword != Keyword::Copy || i.flag("from").is_none() {
            continue;
        }
        let Some((srcs, _)) = i.copy_parts() else {
            continue;
        };
        for s in srcs {
            if !s.starts_with('/') || s.contains(['$', '*', '?', '[']) {
                continue;
            }
            let s = crate::fsutil::image_path(s);
            for d in &folders {
                if s.starts_with(&format!("{d}/")) && !out.contains(d) {
                    out.push(d.clone());
                }
            }
        }
    }
    out
}

/// Runs and mounts both images (`tags`: before, after): the probe's
/// outcome in each and the file diff. When the original's and the fixed
/// image's last stages are built on different images, the original's base
/// files are expected to be missing: they stay in the builder stage.
fn behaviour(
    runner: &Runner,
    (before, after): (&str, &str),
    probe: &Probe,
    docs: &Docs,
    rules: &mut files::Rules,
    tmp: &Path,
    progress: &mut dyn Progress,
) -> Result<(probe::ProbeReport, files::FileDiff), Error> {
    let bases = (
        docs.original.as_ref().and_then(root_image),
        docs.fixed.as_ref().and_then(root_image),
    );
    let fail = |f: builder::Failure| Error::Builder {
        message: f.message,
        log_tail: f.log_tail,
    };
    let walk_err = |m: String| Error::Builder {
        message: m,
        log_tail: String::new(),
    };
    progress.status("comparing the two images' files (buildah mount)…");
    let cb = runner.container(before).map_err(fail)?;
    let ca = runner.container(after).map_err(fail)?;
    let (rb, ra) = (
        runner.mount(&cb).map_err(fail)?,
        runner.mount(&ca).map_err(fail)?,
    );
    let tb = files::walk(&rb).map_err(walk_err)?;
    let ta = files::walk(&ra).map_err(walk_err)?;
    // The packages dpkg installed in the original's base (when it is read).
    let mut base_packages: Option<std::collections::BTreeSet<String>> = None;
    if let (Some(base), other) = &bases {
        if other.as_ref() != Some(base) {
            // Best effort: without the base image's files its paths are
            // listed as unexpected.
            let paths = runner.container(base).and_then(|c| {
                let root = runner.mount(&c)?;
                let t = files::walk(&root).map_err(|m| builder::Failure {
                    message: m,
                    log_tail: String::new(),
                })?;
                Ok((files::dpkg_installed(&root, &t), t.into_keys().collect()))
            });
            match paths {
                Ok((installed, p)) => {
                    base_packages = installed;
                    rules.builder_base = Some((base.clone(), p));
                    if let (Some(o), Some(f)) = (&docs.original, &docs.fixed) {
                        rules.build_inputs = copy_destinations(o);
                        rules.build_outputs = build_output_folders(o, f);
                    }
                    rules.pip_packages = files::pip_packages(&rb, &tb, &ta);
                }
                Err(f) => progress.status(&format!(
                    "warning: cannot read the files of {base} ({}): its files are not told apart",
                    f.message
                )),
            }
        }
    }
    let after_packages = files::dpkg_installed(&ra, &ta);
    let split = match (&docs.original, &docs.fixed) {
        (Some(o), Some(f)) => split_off_builder(o, f),
        _ => false,
    };
    // The packages the original installed and the fixed image does not:
    // left in the builder stage of a split, or (one stage) no longer
    // pulled in as recommends once DS003 added --no-install-recommends.
    let gone = || files::builder_packages(&rb, &tb, after_packages.as_ref(), base_packages.as_ref());
    if split {
        rules.builder_packages = gone();
    } else if docs.applied.contains(&"DS003") {
        rules.not_installed = gone();
    }
    rules.dpkg_excluded = files::dpkg_excluded(&rb, &tb, &ra, &ta, after_packages.as_ref());
    rules.unpacked_only = files::unpacked_only(&rb, &tb, &files::dpkg_status_d(&ra, &ta));
    let diff = files::diff(&tb, &ta, &rb, &ra, rules);
    let (ib, ia) = (
        runner.image_command(before).map_err(fail)?,
        runner.image_command(after).map_err(fail)?,
    );
    let (argv_b, argv_a) = (
        probe::command_for(probe, &ib),
        probe::command_for(probe, &ia),
    );
    let mut outcomes = Vec::new();
    for (which, c, argv) in [("before", &cb, &argv_b), ("after", &ca, &argv_a)] {
        progress.status(&format!(
            "running {which} ({}): {}",
            probe.name(),
            if argv.is_empty() {
                "no command".to_string()
            } else {
                argv.join(" ")
            }
        ));
        outcomes.push(probe::run_probe(runner, c, probe, argv, tmp));
    }
    let after_o = outcomes.pop().unwrap_or(probe::Outcome::NoCommand);
    let before_o = outcomes.pop().unwrap_or(probe::Outcome::NoCommand);
    let report = probe::ProbeReport {
        probe: probe.name(),
        url: match probe {
            Probe::Http { port, path } => Some(format!("http://127.0.0.1:{port}{path}")),
            _ => None,
        },
        same: before_o.same(&after_o),
        before_command: argv_b,
        after_command: argv_a,
        before: before_o,
        after: after_o,
    };
    Ok((report, diff))
}

/// A failed build, with where its full log is.
struct BuildFailure {
    message: String,
    log_tail: String,
    log: Option<PathBuf>,
}

/// Where [`build_one`] failed.
enum Stage {
    Build(BuildFailure),
    /// Built, but the builder could not tell what it built.
    Inspect(builder::Failure),
}

fn build_one(
    builder: &Builder,
    dockerfile: &Path,
    context: &Path,
    tag: &str,
    o: &Options,
    tmp: &Path,
    progress: &mut dyn Progress,
) -> Result<ImageReport, Stage> {
    let which = tag.rsplit(':').next().unwrap_or(tag);
    let log = tmp.join(format!("{which}.log"));
    progress.status(&format!(
        "building {which} ({}, --no-cache) as {tag}…",
        builder.kind.name()
    ));
    let untagged = builder.untagged_images();
    let seconds = match builder.build(dockerfile, context, tag, o.pull, &log) {
        Ok(s) => s,
        Err(f) => {
            // Remove the intermediate images the failed build left (new
            // untagged images since it started); nothing else is touched.
            if let (Some(old), Some(now)) = (untagged, builder.untagged_images()) {
                let new: Vec<String> = now.into_iter().filter(|i| !old.contains(i)).collect();
                if !o.keep {
                    builder.remove_ids(&new);
                }
            }
            return Err(Stage::Build(BuildFailure {
                message: f.message,
                log_tail: f.log_tail,
                log: keep_log(&log, tag),
            }));
        }
    };
    let info = builder.inspect(tag);
    let info = match info {
        Ok(i) => i,
        Err(f) => {
            if !o.keep {
                let _ = builder.remove(tag);
            }
            return Err(Stage::Inspect(f));
        }
    };
    progress.status(&format!(
        "built {which} in {}: {}, {} layers",
        render::seconds(seconds),
        render::bytes(info.size()),
        info.layers
    ));
    let compressed = builder.compressed_size(tag);
    Ok(ImageReport {
        tag: tag.to_string(),
        kept: o.keep,
        size_bytes: info.size(),
        compressed_bytes: compressed,
        layer_count: info.layers,
        build_seconds: round2(seconds),
        history: info
            .history
            .into_iter()
            .map(|h| LayerRow {
                instruction: instruction(&h.created_by),
                created_by: h.created_by,
                size_bytes: h.size,
                empty_layer: h.empty_layer,
            })
            .collect(),
    })
}

/// Moves a failed build's log out of the temporary folder (removed at the
/// end of the run) into a fresh private folder (mode 0700, an unpredictable
/// name) that stays, so the user can read all of it. Nothing is written
/// through a path another user could have planted.
fn keep_log(log: &Path, tag: &str) -> Option<PathBuf> {
    let name = tag.rsplit('/').next().unwrap_or(tag).replace(':', "-");
    let mut b = tempfile::Builder::new();
    b.prefix("dslim-compare-log-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(std::fs::Permissions::from_mode(0o700));
    }
    let dir = b.tempdir().ok()?.keep();
    let dest = dir.join(format!("{name}.log"));
    if std::fs::rename(log, &dest).is_ok() {
        return Some(dest);
    }
    // Another file system: copy into a file created new (never followed
    // or overwritten).
    let mut out = std::fs::File::options()
        .write(true)
        .create_new(true)
        .open(&dest)
        .ok()?;
    let mut input = std::fs::File::open(log).ok()?;
    std::io::copy(&mut input, &mut out).ok()?;
    Some(dest)
}

/// A history record shortened to the instruction it came from:
/// `/bin/sh -c #(nop) ENV X=1` → `ENV X=1`, `/bin/sh -c apt-get update` →
/// `RUN apt-get update`, `RUN /bin/sh -c x # buildkit` → `RUN x`; runs of
/// whitespace become one space.
pub fn instruction(created_by: &str) -> String {
    let s = created_by.trim();
    let s = s.strip_suffix("# buildkit").unwrap_or(s).trim_end();
    let s = if let Some(rest) = s.strip_prefix("/bin/sh -c #(nop) ") {
        rest.to_string()
    } else if let Some(rest) = s.strip_prefix("RUN /bin/sh -c ") {
        format!("RUN {rest}")
    } else if let Some(rest) = run_body(s) {
        format!("RUN {rest}")
    } else {
        s.to_string()
    };
    s.split_whitespace()
        .map(short_digest)
        .collect::<Vec<_>>()
        .join(" ")
}

/// `file:<64 hex digits>` (buildah's name for a COPY source) → its first
/// 12 digits, as image IDs are shown.
fn short_digest(word: &str) -> &str {
    for p in ["file:", "dir:", "multi:"] {
        if let Some(rest) = word.strip_prefix(p) {
            if rest.len() == 64 && rest.bytes().all(|b| b.is_ascii_hexdigit()) {
                return &word[..p.len() + 12];
            }
        }
    }
    word
}

/// The command of a buildah RUN record: `/bin/sh -c CMD`, or with build
/// arguments first, `|2 A=1 B=2 /bin/sh -c CMD`.
fn run_body(s: &str) -> Option<&str> {
    if let Some(rest) = s.strip_prefix("/bin/sh -c ") {
        return Some(rest);
    }
    if s.starts_with('|') {
        return s
            .find(" /bin/sh -c ")
            .map(|i| &s[i + " /bin/sh -c ".len()..]);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(src: &str) -> crate::syntax::Document {
        crate::syntax::Document::parse(src).unwrap()
    }

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
    fn instructions_from_history_records() {
        assert_eq!(instruction("/bin/sh -c #(nop) ENV X=1"), "ENV X=1");
        assert_eq!(
            instruction("/bin/sh -c #(nop) COPY file:5eb0 in /a.bin "),
            "COPY file:5eb0 in /a.bin"
        );
        let sha = "5eb0e3d318c310816e3b8b17408039666aa2567626a34c07b03b88ab115432b0";
        assert_eq!(
            instruction(&format!("/bin/sh -c #(nop) COPY file:{sha} in /a ")),
            "COPY file:5eb0e3d318c3 in /a"
        );
        assert_eq!(
            instruction("/bin/sh -c apt-get update     && apt-get install -y curl"),
            "RUN apt-get update && apt-get install -y curl"
        );
        assert_eq!(instruction("|1 V=2 /bin/sh -c make V=$V"), "RUN make V=$V");
        assert_eq!(instruction("RUN /bin/sh -c make # buildkit"), "RUN make");
        assert_eq!(instruction("COPY a /a # buildkit"), "COPY a /a");
        assert_eq!(instruction(""), "");
    }

    #[test]
    fn copy_destinations_of_the_last_stage() {
        let src = "FROM golang AS b\nCOPY x /x\nFROM b\nWORKDIR /src\n\
                   COPY go.mod main.go ./\nCOPY --from=b /x /y\nCOPY . /\n\
                   WORKDIR sub\nCOPY a.txt data/\nCOPY a $D\n";
        assert_eq!(copy_destinations(&doc(src)), ["/x", "/src", "/src/sub/data"]);
        // Into `/` before any WORKDIR: the file, not the root.
        assert_eq!(
            copy_destinations(&doc("FROM a\nCOPY requirements.txt .\nCOPY src/ .\nCOPY . /\n")),
            ["/requirements.txt"]
        );
        assert_eq!(
            copy_destinations(&doc("FROM a\nCOPY . .\n")),
            Vec::<String>::new()
        );
        assert_eq!(
            root_image(&doc("FROM golang:1.21 AS b\nFROM b\n")).as_deref(),
            Some("golang:1.21")
        );
        assert_eq!(root_image(&doc("ARG V=3\nFROM scratch\n")), None);
        assert_eq!(
            root_image(&doc("ARG V=3\nFROM python:$V\n")).as_deref(),
            Some("python:3")
        );
    }

    #[test]
    fn build_output_folders_are_those_the_artifact_comes_from() {
        let orig = "FROM eclipse-temurin:21-jdk\nWORKDIR /app\nCOPY src ./src\n\
                    RUN javac -d out x.java && jar --create --file app.jar -C out .\n\
                    WORKDIR /srv\nENTRYPOINT [\"java\", \"-jar\", \"/app/app.jar\"]\n";
        let fixed = "FROM eclipse-temurin:21-jdk AS build\nWORKDIR /app\nCOPY src ./src\n\
                     RUN javac -d out x.java\n\nFROM eclipse-temurin:21-jre AS runtime\n\
                     COPY --from=build /app/app.jar /app/app.jar\n";
        let (orig, fixed) = (&doc(orig), &doc(fixed));
        assert_eq!(build_output_folders(orig, fixed), ["/app"]);
        // Nothing copied from the build folder: nothing is a build output.
        let other = "FROM a AS build\nFROM b\nCOPY --from=build /opt/x /opt/x\nCOPY y /app/y\n";
        assert!(build_output_folders(orig, &doc(other)).is_empty());
        // A WORKDIR no RUN ran in is no build folder.
        assert!(build_output_folders(&doc("FROM a\nWORKDIR /app\nCOPY x .\n"), fixed).is_empty());
    }

    #[test]
    fn only_a_split_leaves_packages_in_a_builder() {
        let orig = "FROM debian:bookworm\nRUN apt-get install -y gcc\n";
        let split = "FROM debian:bookworm AS build\nRUN apt-get install -y gcc\n\n\
                     FROM debian:bookworm\nCOPY --from=build /a /a\n";
        let orig = &doc(orig);
        assert!(split_off_builder(orig, &doc(split)));
        let same = "FROM debian:bookworm\nRUN apt-get install -y --no-install-recommends gcc\n";
        assert!(!split_off_builder(orig, &doc(same)));
    }

    #[test]
    fn folders() {
        assert_eq!(folder_of(Path::new("Dockerfile")), Path::new("."));
        assert_eq!(folder_of(Path::new("a/b/Dockerfile")), Path::new("a/b"));
    }
}
