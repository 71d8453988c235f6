//! The behaviour and files half of `dslim compare`: both images run with
//! the same probe and mounted for the file diff, with the rules of what
//! the fix is expected to leave out.

use std::path::Path;

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
                    if !files::has_python(&ta) {
                        rules.pip_packages = files::pip_packages(&rb, &tb, &ta);
                    }
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
    rules.one_stage = !split;
    // The packages the original installed and the fixed image does not:
    // left in the builder stage of a split, or (one stage) no longer
    // pulled in as recommends once DS003 added --no-install-recommends.
    let gone =
        || files::builder_packages(&rb, &tb, after_packages.as_ref(), base_packages.as_ref());
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
    let (mut before_o, mut after_o) = (
        run_one(runner, "before", &cb, probe, &argv_b, tmp, progress),
        run_one(runner, "after", &ca, probe, &argv_a, tmp, progress),
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
        before_o = run_one(runner, "before", &cb, probe, &argv_b, tmp, progress);
        after_o = run_one(runner, "after", &ca, probe, &argv_a, tmp, progress);
        runs += 1;
    }
    let report = probe::ProbeReport {
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
    };
    Ok((report, diff))
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
