//! `dslim fix`.

use std::path::Path;

use super::args::FixArgs;
use super::{
    inputs, par_map_progress, plan, read_source_max, resolver, write_roots, ExitStatus, Inputs,
    Job, Term,
};
use crate::edit::FileChange;
use crate::fsutil;
use crate::output::{diff, display_path, text};
use crate::pipeline::{self, Error};

pub fn run(a: &FixArgs, term: &mut Term) -> ExitStatus {
    if super::reads_stdin(&a.paths, a.stdin_filename.as_deref()) {
        return fix_stdin(a, term);
    }
    let Some(mut resolver) = resolver(&a.rules, term) else {
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
            let mut status = super::report_walk_errors(term, &errors);
            let (jobs, s) = plan(&mut resolver, &a.paths, files, term);
            status = status.and(s);
            status = status.and(fix_files(&jobs, a, term));
            status
        }
    }
}

/// `path:line:col: error: …` for a parse error, `path: error: …` otherwise.
pub(crate) fn error_text(path: &str, e: &Error) -> String {
    match e {
        Error::Parse(p) => text::error(&format!("{path}:{}:{}", p.line, p.col), &p.message),
        Error::Internal { .. } => text::error(path, &e.to_string()),
    }
}

/// Stdin to stdout: the whole fixed text, or the input unchanged on any
/// error (configuration and arguments included).
fn fix_stdin(a: &FixArgs, term: &mut Term) -> ExitStatus {
    let check = a.check;
    super::stdin_command(&a.paths, a.stdin_filename.as_deref(), term, |name, src| {
        let mut resolver = super::try_resolver(&a.rules)?;
        let settings = super::try_stdin_settings(&mut resolver, name)?;
        let file = (name != "-").then(|| Path::new(name));
        let o = pipeline::fix(pipeline::Source::new(src, file), &settings)
            .map_err(|e| error_text(name, &e))?;
        let mut notes = String::new();
        for f in &o.files {
            notes.push_str(&format!(
                "{name}: note: not written when reading stdin: {}\n",
                shown_other(&f.path)
            ));
        }
        let status = if check && o.changed(src) {
            ExitStatus::Failure
        } else {
            ExitStatus::Success
        };
        Ok(super::Filtered {
            out: o.fixed.into_bytes(),
            notes,
            status,
        })
    })
}

/// What fixing one file gave.
#[derive(Default)]
struct FileReport {
    /// The diff (diff mode).
    diff: String,
    /// Error messages.
    err: String,
    status: ExitStatus,
    /// Fixes applied (or that would be).
    applied: usize,
    changed: bool,
    /// The Dockerfile itself changes (not only other files).
    doc_changed: bool,
    unsafe_left: usize,
    /// Other files the fixes create or change (written, or diffed, once
    /// per path by [`fix_files`]).
    files: Vec<FileChange>,
    /// Where those may be written ([`write_roots`]).
    roots: Vec<std::path::PathBuf>,
    /// The file was to change but could not be written.
    failed: bool,
}

/// An other file's path for messages: relative to the working directory
/// when it is inside it.
fn shown_other(p: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    display_path(p.strip_prefix(&cwd).unwrap_or(p))
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

fn fix_one(job: &Job, a: &FixArgs, styled: bool) -> FileReport {
    let (path, settings) = (job.path.as_path(), &*job.settings);
    let shown = display_path(path);
    let src = match read_source_max(path, settings.max_file_size()) {
        Ok(s) => s,
        Err(e) => return FileReport::error(e.text(&shown)),
    };
    // With what `--unsafe` would apply beyond this run: the same count
    // `check` shows.
    let (o, counts) =
        match pipeline::fix_and_counts(pipeline::Source::new(&src, Some(path)), settings) {
            Ok(r) => r,
            Err(e) => return FileReport::error(error_text(&shown, &e)),
        };
    let mut r = FileReport {
        unsafe_left: counts.unsafe_more,
        roots: write_roots(path, a.rules.context.as_deref()),
        ..FileReport::default()
    };
    if !o.changed(&src) {
        return r;
    }
    if a.write {
        if o.fixed != src {
            let written = fsutil::confine(path, &r.roots)
                .map_err(fsutil::WriteError::Refused)
                .and_then(|target| {
                    let opts = fsutil::WriteOptions { force: a.force };
                    fsutil::write_atomic(&target, src.as_bytes(), o.fixed.as_bytes(), opts)
                });
            if let Err(e) = written {
                return FileReport {
                    failed: true,
                    ..FileReport::error(text::error(&shown, &e.to_string()))
                };
            }
        }
    } else {
        r.diff = diff::unified_as(&shown, &src, &o.fixed, styled);
    }
    r.applied = o.applied.len();
    r.changed = true;
    r.doc_changed = o.fixed != src;
    r.files = o.files;
    if a.check {
        r.status = ExitStatus::Failure;
    }
    r
}

fn fix_files(jobs: &[Job], a: &FixArgs, term: &mut Term) -> ExitStatus {
    if a.write {
        super::report_leftovers(jobs, term);
    }
    let styled = term.styles_out();
    let reports = par_map_progress("Fixing", jobs, |j| fix_one(j, a, styled));
    let mut t = Tally {
        status: ExitStatus::Success,
        ..Tally::default()
    };
    // Several Dockerfiles of one context propose the same file: it is
    // written (or shown) once; a different proposal for it waits for the
    // next run.
    let mut done: Vec<&FileChange> = Vec::new();
    let mut changed_docs: Vec<String> = Vec::new();
    for (j, r) in jobs.iter().zip(&reports) {
        if r.doc_changed {
            changed_docs.push(display_path(&j.path));
        }
        term.out(&r.diff);
        term.err(&r.err);
        for f in &r.files {
            other_file(f, r, a, &mut done, &mut t, term);
        }
        t.status = t.status.and(r.status);
        t.applied += r.applied;
        t.changed += usize::from(r.changed);
        t.unsafe_more += r.unsafe_left;
        t.failed += usize::from(r.failed);
    }
    if !a.quiet {
        term.err(&summary(&t, changed_docs, &done, a));
    }
    t.status
}

/// What a run of `dslim fix` did, over its files.
#[derive(Default)]
struct Tally {
    status: ExitStatus,
    /// Fixes applied (or that would be).
    applied: usize,
    /// Dockerfiles changed.
    changed: usize,
    /// Fixes left for `--unsafe`.
    unsafe_more: usize,
    /// Files that could not be written.
    failed: usize,
}

/// Writes (or shows the diff of) one other file a fix proposes, the first
/// time its path comes.
fn other_file<'r>(
    f: &'r FileChange,
    r: &FileReport,
    a: &FixArgs,
    done: &mut Vec<&'r FileChange>,
    t: &mut Tally,
    term: &mut Term,
) {
    let shown = shown_other(&f.path);
    if let Some(prev) = done.iter().find(|d| d.path == f.path) {
        if prev.new != f.new {
            term.err(&format!(
                "{shown}: note: other fixes for this file wait for the next run\n"
            ));
        }
        return;
    }
    done.push(f);
    // Refused in a diff too: the diff shows only what `--write` does.
    let target = match fsutil::confine(&f.path, &r.roots) {
        Ok(t) => t,
        Err(m) => {
            term.err(&text::error(&shown, &m));
            t.status = t.status.and(ExitStatus::Error);
            t.failed += 1;
            return;
        }
    };
    if a.write {
        let opts = fsutil::WriteOptions { force: a.force };
        if let Err(e) = fsutil::write_change(&target, f.old.as_deref(), &f.new, opts) {
            term.err(&text::error(&shown, &e.to_string()));
            t.status = t.status.and(ExitStatus::Error);
            t.failed += 1;
        }
    } else {
        let styled = term.styles_out();
        term.out(&diff::change_as(&shown, f.old.as_deref(), &f.new, styled));
    }
}

/// The last line: what was fixed (or would be) in which files, what was
/// not written, what `--unsafe` would fix.
fn summary(t: &Tally, changed_docs: Vec<String>, done: &[&FileChange], a: &FixArgs) -> String {
    // Every file the run touches counts, other files (`.dockerignore`)
    // included, and those are named.
    let others: Vec<String> = done.iter().map(|f| shown_other(&f.path)).collect();
    let touched = changed_docs.len() + others.len();
    let in_files = if others.is_empty() {
        text::files(touched)
    } else {
        let mut names = changed_docs;
        names.extend(others);
        if names.len() <= 4 {
            format!("{} ({})", text::files(touched), names.join(", "))
        } else {
            text::files(touched)
        }
    };
    let (applied, changed, failed) = (t.applied, t.changed, t.failed);
    let mut summary = if changed == 0 && failed > 0 {
        format!(
            "Not written: {} (see the errors above).",
            text::files(failed)
        )
    } else if changed == 0 {
        "No fixes to apply.".to_string()
    } else if a.write {
        format!("Fixed {} in {in_files}.", text::issues(applied))
    } else {
        format!(
            "Would fix {} in {in_files} (run with `--write` to apply).",
            text::issues(applied)
        )
    };
    if changed > 0 && failed > 0 {
        summary.push_str(&format!(
            " Not written: {} (see the errors above).",
            text::files(failed)
        ));
    }
    if t.unsafe_more > 0 {
        summary.push_str(&format!(" {} more fixable with `--unsafe`.", t.unsafe_more));
    }
    summary.push('\n');
    summary
}
