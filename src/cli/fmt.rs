//! `dslim fmt`: the formatter on files or stdin. Shares `fix`'s diff
//! renderer, atomic writes and error format; never runs a transform.

use std::path::Path;

use super::args::FmtArgs;
use super::fix::error_text;
use super::{inputs, par_map, read_source, ExitStatus, Inputs, Term};
use crate::config::FormatOptions;
use crate::format;
use crate::fsutil;
use crate::output::{diff, display_path, text};

pub fn run(a: &FmtArgs, term: &mut Term) -> ExitStatus {
    // Only `[format]` of the configuration matters here; rule selection
    // flags and `DSLIM_*` variables do not apply to the formatter.
    if super::reads_stdin(&a.paths, a.stdin_filename.as_deref()) {
        return fmt_stdin(a, term);
    }
    let Some(mut resolver) = super::config_resolver(&a.config, Default::default(), term) else {
        return ExitStatus::Error;
    };
    match inputs(&a.paths, a.stdin_filename.as_deref()) {
        Err(m) => {
            term.fatal(&m);
            ExitStatus::Error
        }
        // Handled above.
        Ok(Inputs::Stdin(_)) => ExitStatus::Error,
        Ok(Inputs::Files(files, errors)) => {
            let status = super::report_walk_errors(term, &errors);
            let (jobs, s) = super::plan(&mut resolver, &a.paths, files, term);
            status.and(s).and(fmt_files(&jobs, a, term))
        }
    }
}

/// Stdin to stdout: the formatted text, or the input unchanged on any
/// error (configuration included).
fn fmt_stdin(a: &FmtArgs, term: &mut Term) -> ExitStatus {
    let check = a.check;
    super::stdin_command(&a.paths, a.stdin_filename.as_deref(), term, |name, src| {
        let mut resolver = super::try_config_resolver(&a.config, Default::default())?;
        let settings = super::try_stdin_settings(&mut resolver, name)?;
        let out = format::format(src, &settings.config.format).map_err(|e| error_text(name, &e))?;
        let status = if check && out != src {
            ExitStatus::Failure
        } else {
            ExitStatus::Success
        };
        Ok(super::Filtered {
            out: out.into_bytes(),
            notes: String::new(),
            status,
        })
    })
}

#[derive(Default)]
struct FileReport {
    diff: String,
    err: String,
    status: ExitStatus,
    changed: bool,
}

impl FileReport {
    fn error(msg: String) -> FileReport {
        FileReport {
            err: msg,
            status: ExitStatus::Error,
            ..FileReport::default()
        }
    }
}

fn fmt_one(path: &Path, opts: &FormatOptions, write: bool, check: bool) -> FileReport {
    let shown = display_path(path);
    let src = match read_source(path) {
        Ok(s) => s,
        Err(e) => return FileReport::error(text::error(&shown, &e.message())),
    };
    let out = match format::format(&src, opts) {
        Ok(o) => o,
        Err(e) => return FileReport::error(error_text(&shown, &e)),
    };
    if out == src {
        return FileReport::default();
    }
    let mut r = FileReport {
        changed: true,
        ..FileReport::default()
    };
    if write {
        if let Err(e) = fsutil::write_atomic(path, src.as_bytes(), out.as_bytes()) {
            return FileReport::error(text::error(&shown, &e.to_string()));
        }
    } else {
        r.diff = diff::unified(&shown, &src, &out);
    }
    if check {
        r.status = ExitStatus::Failure;
    }
    r
}

fn fmt_files(jobs: &[super::Job], a: &FmtArgs, term: &mut Term) -> ExitStatus {
    let reports = par_map(jobs, |j| {
        fmt_one(&j.path, &j.settings.config.format, a.write, a.check)
    });
    let mut status = ExitStatus::Success;
    let (mut changed, mut clean) = (0, 0);
    for r in &reports {
        clean += usize::from(r.status != ExitStatus::Error && !r.changed);
        term.out(&r.diff);
        term.err(&r.err);
        status = status.and(r.status);
        changed += usize::from(r.changed);
    }
    let summary = if changed == 0 {
        format!("{} already formatted.\n", text::files(clean))
    } else if a.write {
        format!("Reformatted {}.\n", text::files(changed))
    } else {
        format!(
            "Would reformat {} (run with `--write` to apply).\n",
            text::files(changed)
        )
    };
    if !a.quiet {
        term.err(&summary);
    }
    status
}
