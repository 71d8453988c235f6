//! `dslim fmt`: the formatter on files or stdin. Shares `fix`'s diff
//! renderer, atomic writes and error format; never runs a transform.

use std::path::Path;

use super::args::FmtArgs;
use super::fix::error_text;
use super::{inputs, par_map, read_source_max, write_roots, ExitStatus, Inputs, Term};
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
    /// The file was to change but could not be written.
    failed: bool,
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

fn fmt_one(job: &super::Job, a: &FmtArgs, styled: bool) -> FileReport {
    let (path, opts): (&Path, &FormatOptions) = (&job.path, &job.settings.config.format);
    let (write, check) = (a.write, a.check);
    let shown = display_path(path);
    let src = match read_source_max(path, job.settings.max_file_size()) {
        Ok(s) => s,
        Err(e) => return FileReport::error(e.text(&shown)),
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
        let written = fsutil::confine(path, &write_roots(path, None))
            .map_err(fsutil::WriteError::Refused)
            .and_then(|target| {
                let opts = fsutil::WriteOptions { force: a.force };
                fsutil::write_atomic(&target, src.as_bytes(), out.as_bytes(), opts)
            });
        if let Err(e) = written {
            return FileReport {
                failed: true,
                ..FileReport::error(text::error(&shown, &e.to_string()))
            };
        }
    } else {
        r.diff = diff::unified_as(&shown, &src, &out, styled);
    }
    if check {
        r.status = ExitStatus::Failure;
    }
    r
}

fn fmt_files(jobs: &[super::Job], a: &FmtArgs, term: &mut Term) -> ExitStatus {
    if a.write {
        super::report_leftovers(jobs, term);
    }
    let styled = term.styles_out();
    let reports = par_map(jobs, |j| fmt_one(j, a, styled));
    let mut status = ExitStatus::Success;
    let (mut changed, mut clean, mut failed) = (0, 0, 0);
    for r in &reports {
        clean += usize::from(r.status != ExitStatus::Error && !r.changed);
        term.out(&r.diff);
        term.err(&r.err);
        status = status.and(r.status);
        changed += usize::from(r.changed);
        failed += usize::from(r.failed);
    }
    let summary = if failed > 0 {
        format!(
            "Reformatted {}; not written: {} (see the errors above).\n",
            text::files(changed),
            text::files(failed)
        )
    } else if changed == 0 {
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
