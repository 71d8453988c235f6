//! `dslim compare`.

use super::args::{BuilderArg, CompareArgs, Format, PullArg};
use super::{overrides, read_source, try_config_resolver, ExitStatus, Term};
use crate::compare::{self, builder, render, BuilderKind, Choice, Probe, Pull, Runner};
use crate::config::Target;
use crate::output::{display_path, text};
use crate::pipeline::Settings;

pub fn run(a: &CompareArgs, term: &mut Term) -> ExitStatus {
    match prepare(a, term) {
        Ok((opts, b, src)) => {
            let result = {
                let mut progress = |line: &str| term.err(&format!("{line}\n"));
                compare::run(&opts, &b, &src, &mut progress)
            };
            report(a, result, term)
        }
        Err(status) => status,
    }
}

/// Everything the comparison needs: the options, the builder, the
/// Dockerfile's text; `Err` (reported) when one cannot be had.
fn prepare(
    a: &CompareArgs,
    term: &mut Term,
) -> Result<(compare::Options, builder::Builder, String), ExitStatus> {
    let shown = display_path(&a.dockerfile);
    if a.dockerfile.as_os_str() == "-" {
        term.fatal("compare needs a Dockerfile path (not stdin: the build needs a context)");
        return Err(ExitStatus::Error);
    }
    let probe = match (&a.probe, &a.probe_http) {
        (Some(p), _) => Probe::args(p),
        (None, Some(h)) => Probe::http(h),
        (None, None) => Ok(Probe::Start),
    };
    let probe = probe.map_err(|m| {
        term.fatal(&m);
        ExitStatus::Error
    })?;
    let src = read_source(&a.dockerfile).map_err(|e| {
        term.err(&text::error(&shown, &e.message()));
        ExitStatus::Error
    })?;
    let choice = match a.builder {
        BuilderArg::Auto => Choice::Auto,
        BuilderArg::Docker => Choice::Only(BuilderKind::Docker),
        BuilderArg::Podman => Choice::Only(BuilderKind::Podman),
        BuilderArg::Buildah => Choice::Only(BuilderKind::Buildah),
    };
    let path = builder::env_path();
    let b = builder::detect(choice, &path).map_err(|m| {
        term.err(&text::error(&shown, &m));
        ExitStatus::Error
    })?;
    let settings = settings_for(a, b.kind, term)?;
    let pull = match a.pull {
        PullArg::Never => Pull::Never,
        PullArg::Missing => Pull::Missing,
        PullArg::Always => Pull::Always,
    };
    if b.kind == BuilderKind::Docker && pull == Pull::Never {
        term.err(
            "warning: `docker buildx build` has no never-pull mode: base images missing \
             locally will be pulled\n",
        );
    }
    let runner = image_runner(&b, &path);
    if let Err(why) = &runner {
        term.err(&format!(
            "warning: behaviour and files are not compared: {why}\n"
        ));
    }
    let opts = compare::Options {
        dockerfile: a.dockerfile.clone(),
        context: settings.context.clone(),
        pull,
        keep: a.keep,
        settings,
        probe,
        allow: a.allow.clone(),
        runner,
    };
    Ok((opts, b, src))
}

/// The settings the fixes are computed with, exactly as `fix` computes
/// them (flags over DSLIM_* over dslim.toml), for the builder that will
/// build them: buildah and podman get `target = "buildah"` unless
/// `--target` says otherwise.
fn settings_for(
    a: &CompareArgs,
    kind: BuilderKind,
    term: &mut Term,
) -> Result<Settings, ExitStatus> {
    let mut layers = overrides(&a.rules).map_err(|m| {
        term.fatal(&m);
        ExitStatus::Error
    })?;
    if a.rules.target.is_none() && matches!(kind, BuilderKind::Buildah | BuilderKind::Podman) {
        layers.target = Some(Target::Buildah);
    }
    try_config_resolver(&a.rules.config, layers)
        .and_then(|mut r| {
            r.settings(&a.dockerfile)
                .map_err(|e| text::error(&e.location, &e.message))
        })
        .map(|s| (*s).clone())
        .map_err(|m| {
            term.err(&m);
            ExitStatus::Error
        })
}

/// What runs and mounts the images: buildah, which shares podman's
/// storage; Docker's images are out of its reach.
fn image_runner(b: &builder::Builder, path: &std::ffi::OsStr) -> Result<Runner, String> {
    match b.kind {
        BuilderKind::Buildah => Ok(Runner {
            program: b.program.clone(),
        }),
        BuilderKind::Podman => builder::find_program("buildah", path)
            .map(|program| Runner { program })
            .ok_or_else(|| "buildah is not on PATH (it runs and mounts the images)".to_string()),
        BuilderKind::Docker => Err("built with docker: only buildah (or podman with buildah \
                             installed) runs and mounts the images"
            .to_string()),
    }
}

/// Prints the result: the report (failing when the images differ) or
/// the error.
fn report(
    a: &CompareArgs,
    result: Result<compare::Report, compare::Error>,
    term: &mut Term,
) -> ExitStatus {
    match result {
        Ok(r) => {
            match a.format {
                Format::Text => term.out(&render::text(&r)),
                Format::Json => term.out_raw(render::json(&r).as_bytes()),
            }
            if r.differs {
                ExitStatus::Failure
            } else {
                ExitStatus::Success
            }
        }
        Err(e) => {
            term.err(&render::error(&display_path(&a.dockerfile), &e));
            ExitStatus::Error
        }
    }
}
