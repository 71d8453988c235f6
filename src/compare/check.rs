//! The behaviour and files half of `dslim compare`: both images run with
//! the same probe and mounted for the file diff, with the rules of what
//! the fix is expected to leave out.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::dockerfile::{
    build_output_folders, copy_destinations, root_image, split_off_builder, Docs,
};
use super::{builder, files, probe, Error, Probe, Progress, Runner};

/// Runs and mounts both images (`tags`: before, after): the probe's
/// outcome in each and the file diff. When the original's and the fixed
/// image's last stages are built on different images, the original's base
/// files are expected to be missing: they stay in the builder stage.
pub(super) fn check(
    runner: &Runner,
    (before, after): (&str, &str),
    probe: &Probe,
    docs: &Docs,
    rules: &mut files::Rules,
    tmp: &Path,
    progress: &mut dyn Progress,
) -> Result<(probe::ProbeReport, files::FileDiff), Error> {
    progress.status("comparing the two images' files (buildah mount)…");
    let (b, a) = mount_both(runner, (before, after))?;
    let base_packages = read_original_base(runner, docs, rules, &b, &a, progress);
    package_rules(docs, rules, &b, &a, base_packages.as_ref());
    let diff = files::diff(&b.tree, &a.tree, &b.root, &a.root, rules);
    let report = run_probes(runner, (before, after), (&b, &a), probe, tmp, progress)?;
    Ok((report, diff))
}

fn builder_error(f: builder::Failure) -> Error {
    Error::Builder {
        message: f.message,
        log_tail: f.log_tail,
    }
}

/// One image's container, mounted, and its walked files.
struct Mounted<'r> {
    container: probe::Container<'r>,
    root: PathBuf,
    tree: files::Tree,
}

/// Creates both containers, mounts them and walks their files (in that
/// order).
fn mount_both<'r>(
    runner: &'r Runner,
    (before, after): (&str, &str),
) -> Result<(Mounted<'r>, Mounted<'r>), Error> {
    let walk_err = |m: String| Error::Builder {
        message: m,
        log_tail: String::new(),
    };
    let cb = runner.container(before).map_err(builder_error)?;
    let ca = runner.container(after).map_err(builder_error)?;
    let (rb, ra) = (
        runner.mount(&cb).map_err(builder_error)?,
        runner.mount(&ca).map_err(builder_error)?,
    );
    let tb = files::walk(&rb).map_err(walk_err)?;
    let ta = files::walk(&ra).map_err(walk_err)?;
    Ok((
        Mounted {
            container: cb,
            root: rb,
            tree: tb,
        },
        Mounted {
            container: ca,
            root: ra,
            tree: ta,
        },
    ))
}

/// When the fixed image's last stage is built on another image than the
/// original's, reads the original's base: its paths (expected to stay in
/// the builder), build inputs and outputs, and pip packages. Returns the
/// packages dpkg installed in it (when it is read).
fn read_original_base(
    runner: &Runner,
    docs: &Docs,
    rules: &mut files::Rules,
    b: &Mounted,
    a: &Mounted,
    progress: &mut dyn Progress,
) -> Option<BTreeSet<String>> {
    let base = docs.original.as_ref().and_then(root_image)?;
    let other = docs.fixed.as_ref().and_then(root_image);
    if other.as_ref() == Some(&base) {
        return None;
    }
    // Best effort: without the base image's files its paths are listed as
    // unexpected.
    let paths = runner.container(&base).and_then(|c| {
        let root = runner.mount(&c)?;
        let t = files::walk(&root).map_err(|m| builder::Failure {
            message: m,
            log_tail: String::new(),
        })?;
        Ok((files::dpkg_installed(&root, &t), t.into_keys().collect()))
    });
    match paths {
        Ok((installed, p)) => {
            rules.builder_base = Some((base, p));
            if let (Some(o), Some(f)) = (&docs.original, &docs.fixed) {
                rules.build_inputs = copy_destinations(o);
                rules.build_outputs = build_output_folders(o, f);
            }
            if !files::has_python(&a.tree) {
                rules.pip_packages = files::pip_packages(&b.root, &b.tree, &a.tree);
            }
            installed
        }
        Err(f) => {
            progress.status(&format!(
                "warning: cannot read the files of {base} ({}): its files are not told apart",
                f.message
            ));
            None
        }
    }
}

/// The dpkg rules: packages left in the builder of a split (or, one stage,
/// no longer pulled in as recommends), excluded and unpacked-only paths.
fn package_rules(
    docs: &Docs,
    rules: &mut files::Rules,
    b: &Mounted,
    a: &Mounted,
    base_packages: Option<&BTreeSet<String>>,
) {
    // Each image's dpkg records are read once; the original's only when a
    // rule below needs them.
    let after = files::dpkg_packages(&a.root, &a.tree);
    let split = match (&docs.original, &docs.fixed) {
        (Some(o), Some(f)) => split_off_builder(o, f),
        _ => false,
    };
    rules.one_stage = !split;
    let gone_needed = split || docs.applied.contains(&"DS003");
    let before_installed = (gone_needed || !after.status_d.is_empty())
        .then(|| files::dpkg_installed(&b.root, &b.tree))
        .flatten();
    // The packages the original installed and the fixed image does not:
    // left in the builder stage of a split, or (one stage) no longer
    // pulled in as recommends once DS003 added --no-install-recommends.
    let gone = || {
        files::builder_packages_of(
            &b.root,
            &b.tree,
            before_installed.as_ref(),
            after.installed.as_ref(),
            base_packages,
        )
    };
    if split {
        rules.builder_packages = gone();
    } else if gone_needed {
        rules.not_installed = gone();
    }
    rules.dpkg_excluded =
        files::dpkg_excluded(&b.root, &b.tree, &a.root, &a.tree, after.installed.as_ref());
    rules.unpacked_only =
        files::unpacked_only_of(&b.root, &b.tree, before_installed.as_ref(), &after.status_d);
}

/// Runs the probe in both containers (again while two finished runs
/// differ, at most [`RERUNS`] times).
fn run_probes(
    runner: &Runner,
    (before, after): (&str, &str),
    (b, a): (&Mounted, &Mounted),
    probe: &Probe,
    tmp: &Path,
    progress: &mut dyn Progress,
) -> Result<probe::ProbeReport, Error> {
    let (ib, ia) = (
        runner.image_command(before).map_err(builder_error)?,
        runner.image_command(after).map_err(builder_error)?,
    );
    let (argv_b, argv_a) = (
        probe::command_for(probe, &ib),
        probe::command_for(probe, &ia),
    );
    let (cb, ca) = (&b.container, &a.container);
    let (mut before_o, mut after_o) = (
        run_one(runner, "before", cb, probe, &argv_b, tmp, progress),
        run_one(runner, "after", ca, probe, &argv_a, tmp, progress),
    );
    // buildah's chroot isolation relays a command's output through pipes
    // and exits as soon as the command does, without draining them: under
    // load a quick command's output can be lost (exit 0, nothing printed).
    // A real difference shows on every run, so two finished commands that
    // differ are run again, both, at most RERUNS times.
    let mut runs = 1;
    while runs <= RERUNS
        && !before_o.same(&after_o)
        && matches!(
            (&before_o, &after_o),
            (probe::Outcome::Exited { .. }, probe::Outcome::Exited { .. })
        )
    {
        progress.status(
            "the outputs differ: running both again (buildah can drop a quick command's output)",
        );
        before_o = run_one(runner, "before", cb, probe, &argv_b, tmp, progress);
        after_o = run_one(runner, "after", ca, probe, &argv_a, tmp, progress);
        runs += 1;
    }
    Ok(probe::ProbeReport {
        probe: probe.name(),
        url: match probe {
            Probe::Http { port, path } => Some(format!("http://127.0.0.1:{port}{path}")),
            _ => None,
        },
        same: before_o.same(&after_o),
        runs,
        before_command: argv_b,
        after_command: argv_a,
        before: before_o,
        after: after_o,
    })
}

/// How many more times two differing finished probes are run.
const RERUNS: usize = 2;

/// Runs the probe in one image's container.
fn run_one(
    runner: &Runner,
    which: &str,
    c: &probe::Container,
    probe: &Probe,
    argv: &[String],
    tmp: &Path,
    progress: &mut dyn Progress,
) -> probe::Outcome {
    progress.status(&format!(
        "running {which} ({}): {}",
        probe.name(),
        if argv.is_empty() {
            "no command".to_string()
        } else {
            argv.join(" ")
        }
    ));
    probe::run_probe(runner, c, probe, argv, tmp)
}
