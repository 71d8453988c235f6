//! `dslim compare`.

use super::args::{BuilderArg, CompareArgs, Format, PullArg};
use super::{read_source, settings, ExitStatus, Term};
use crate::compare::{self, builder, render, Choice, Kind, Pull};
use crate::output::{display_path, text};

pub fn run(a: &CompareArgs, term: &mut Term) -> ExitStatus {
    let settings = match settings(&a.rules) {
        Ok(s) => s,
        Err(m) => {
            term.fatal(&m);
            return ExitStatus::Error;
        }
    };
    let shown = display_path(&a.dockerfile);
    if a.dockerfile.as_os_str() == "-" {
        term.fatal("compare needs a Dockerfile path (not stdin: the build needs a context)");
        return ExitStatus::Error;
    }
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
    let b = match builder::detect(choice, &builder::env_path()) {
        Ok(b) => b,
        Err(m) => {
            term.err(&text::error(&shown, &m));
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
    let opts = compare::Options {
        dockerfile: a.dockerfile.clone(),
        context: a.rules.context.clone(),
        pull,
        keep: a.keep,
        settings,
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
            ExitStatus::Success
        }
        Err(e) => {
            term.err(&render::error(&shown, &e));
            ExitStatus::Error
        }
    }
}
