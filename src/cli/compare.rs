//! `dslim compare`.

use super::args::{BuilderArg, CompareArgs, Format, PullArg};
use super::{overrides, read_source, try_config_resolver, ExitStatus, Term};
use crate::compare::{self, builder, render, Choice, Kind, Probe, Pull, Runner};
use crate::config::Target;
use crate::output::{display_path, text};

pub fn run(a: &CompareArgs, term: &mut Term) -> ExitStatus {
    let shown = display_path(&a.dockerfile);
    if a.dockerfile.as_os_str() == "-" {
        term.fatal("compare needs a Dockerfile path (not stdin: the build needs a context)");
        return ExitStatus::Error;
    }
    let probe = match (&a.probe, &a.probe_http) {
        (Some(p), _) => Probe::args(p),
        (None, Some(h)) => Probe::http(h),
        (None, None) => Ok(Probe::Start),
    };
    let probe = match probe {
        Ok(p) => p,
        Err(m) => {
            term.fatal(&m);
            return ExitStatus::Error;
        }
    };
    let src = match read_source(&a.dockerfile) {
        Ok(s) => s,
        Err(e) => {
            term.err(&text::error(&shown, &e.message()));
            return ExitStatus::Error;
        }
    };
    let choice = match a.builder {
        BuilderArg::Auto => Choice::Auto,
        BuilderArg::Docker => Choice::Only(Kind::Docker),
        BuilderArg::Podman => Choice::Only(Kind::Podman),
        BuilderArg::Buildah => Choice::Only(Kind::Buildah),
    };
    let path = builder::env_path();
    let b = match builder::detect(choice, &path) {
        Ok(b) => b,
        Err(m) => {
            term.err(&text::error(&shown, &m));
            return ExitStatus::Error;
        }
    };
    // The fixes are computed exactly as `fix` computes them (flags over
    // DSLIM_* over dslim.toml), for the builder that will build them:
    // buildah and podman get `target = "buildah"` unless `--target` says
    // otherwise.
    let mut layers = match overrides(&a.rules) {
        Ok(o) => o,
        Err(m) => {
            term.fatal(&m);
            return ExitStatus::Error;
        }
    };
    if a.rules.target.is_none() && matches!(b.kind, Kind::Buildah | Kind::Podman) {
        layers.target = Some(Target::Buildah);
    }
    let settings = match try_config_resolver(&a.rules.config, layers).and_then(|mut r| {
        r.settings(&a.dockerfile)
            .map_err(|e| text::error(&e.location, &e.message))
    }) {
        Ok(s) => (*s).clone(),
        Err(m) => {
            term.err(&m);
            return ExitStatus::Error;
        }
    };
    let pull = match a.pull {
        PullArg::Never => Pull::Never,
        PullArg::Missing => Pull::Missing,
        PullArg::Always => Pull::Always,
    };
    if b.kind == Kind::Docker && pull == Pull::Never {
        term.err(
            "warning: `docker buildx build` has no never-pull mode: base images missing \
             locally will be pulled\n",
        );
    }
    // Images are run and mounted with buildah, which shares podman's
    // storage; Docker's images are out of its reach.
    let runner = match b.kind {
        Kind::Buildah => Ok(Runner {
            program: b.program.clone(),
        }),
        Kind::Podman => builder::find_program("buildah", &path)
            .map(|program| Runner { program })
            .ok_or_else(|| "buildah is not on PATH (it runs and mounts the images)".to_string()),
        Kind::Docker => Err("built with docker: only buildah (or podman with buildah \
                             installed) runs and mounts the images"
            .to_string()),
    };
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
    let result = {
        let mut progress = |line: &str| term.err(&format!("{line}\n"));
        compare::run(&opts, &b, &src, &mut progress)
    };
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
            term.err(&render::error(&shown, &e));
            ExitStatus::Error
        }
    }
}
