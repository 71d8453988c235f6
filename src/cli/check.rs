//! `dslim check`.

use std::path::Path;

use super::args::{CheckArgs, CheckFormat};
use super::{
    decode, inputs, par_map_progress, plan, read_source_max, read_stdin_max, resolver,
    stdin_settings, ExitStatus, Inputs, Job, Term,
};
use crate::edit::Applicability;
use crate::finding::Finding;
use crate::fsutil;
use crate::output::{display_path, github, json, sarif, text};
use crate::pipeline::{self, Settings};
use crate::transforms;

/// What every file's report needs to know.
#[derive(Clone, Copy)]
struct Opts {
    format: CheckFormat,
    warn_unused: bool,
}

pub fn run(a: &CheckArgs, term: &mut Term) -> ExitStatus {
    let Some(mut resolver) = resolver(&a.rules, term) else {
        return ExitStatus::Error;
    };
    let opts = Opts {
        format: a.format,
        warn_unused: a.warn_unused_ignores,
    };
    let (reports, mut status) = match inputs(&a.paths, a.stdin_filename.as_deref()) {
        Err(m) => {
            term.fatal(&m);
            return ExitStatus::Error;
        }
        Ok(Inputs::Stdin(name)) => {
            let Some(settings) = stdin_settings(&mut resolver, &name, term) else {
                return ExitStatus::Error;
            };
            let r = match read_stdin_max(settings.max_file_size()) {
                Ok(b) => match decode(b) {
                    Ok(src) => {
                        let file = (name != "-").then(|| Path::new(name.as_str()));
                        check_source(&name, file, &src, &settings, opts)
                    }
                    Err(e) => Report::error(&name, e.at(), &e.message(), opts),
                },
                Err(e) => Report::error(&name, None, &fsutil::io_message(&e), opts),
            };
            (vec![r], ExitStatus::Success)
        }
        Ok(Inputs::Files(files, errors)) => {
            if let Some(out) = &a.output {
                // Before any work: the report must not replace an input.
                if let Some(input) = files.iter().find(|f| fsutil::same_file(out, f)) {
                    term.err(&text::error(
                        &display_path(out),
                        &format!(
                            "is the input `{}`; the report would replace it, not written \
                             (choose another `--output`)",
                            display_path(input)
                        ),
                    ));
                    return ExitStatus::Error;
                }
            }
            let mut status = super::report_walk_errors(term, &errors);
            let (jobs, s) = plan(&mut resolver, &a.paths, files, term);
            status = status.and(s);
            let mut reports = par_map_progress("Checking", &jobs, |j| check_file(j, opts));
            // Missing paths and configuration errors count in SARIF too.
            for e in &errors {
                let shown = display_path(&e.path);
                reports.push(Report {
                    error: Some((shown.clone(), format!("{shown}: {}", e.message))),
                    ..Report::default()
                });
            }
            if s == ExitStatus::Error {
                reports.push(Report {
                    error: Some((
                        String::new(),
                        "a configuration file could not be loaded (see the error on stderr)".into(),
                    )),
                    ..Report::default()
                });
            }
            (reports, status)
        }
    };
    let (mut total, mut fixable, mut unsafe_more, mut saving) = (0, 0, 0, 0u64);
    let mut out = String::new();
    let mut all_json = Vec::new();
    let mut all_sarif = Vec::new();
    let mut errors = Vec::new();
    for r in reports {
        out.push_str(&r.out);
        term.err(&r.err);
        status = status.and(r.status);
        total += r.total;
        fixable += r.fixable;
        unsafe_more += r.unsafe_more;
        saving = saving.saturating_add(r.saving);
        all_json.extend(r.json);
        all_sarif.extend(r.sarif);
        errors.extend(r.error);
    }
    match a.format {
        CheckFormat::Json => out.push_str(&json::findings(&all_json)),
        CheckFormat::Sarif => out.push_str(&sarif::report(transforms::ALL, all_sarif, &errors)),
        CheckFormat::Github => {}
        CheckFormat::Text | CheckFormat::Concise => {
            if total > 0 || status == ExitStatus::Success {
                out.push_str(&text::check_summary(total, fixable, unsafe_more, saving));
            }
        }
    }
    match &a.output {
        Some(file) => {
            // A file gets no colour.
            let plain = anstream::adapter::strip_str(&out).to_string();
            if let Err(e) = fsutil::write_report(file, plain.as_bytes()) {
                term.err(&text::error(
                    &display_path(file),
                    &format!("cannot write report: {e}"),
                ));
                status = status.and(ExitStatus::Error);
            }
        }
        None => match a.format {
            CheckFormat::Text | CheckFormat::Concise => term.out(&out),
            _ => term.out_raw(out.as_bytes()),
        },
    }
    if total > 0 {
        status = status.and(ExitStatus::Failure);
    }
    status
}

#[derive(Default)]
struct Report {
    /// Text, concise or GitHub lines for the report.
    out: String,
    json: Vec<json::JsonFinding>,
    sarif: Vec<serde_json::Value>,
    /// Error messages for stderr.
    err: String,
    /// The error as (path, message), for SARIF.
    error: Option<(String, String)>,
    status: ExitStatus,
    total: usize,
    fixable: usize,
    unsafe_more: usize,
    saving: u64,
}

impl Report {
    /// A file that could not be read or parsed.
    fn error(path: &str, at: Option<(usize, usize)>, message: &str, opts: Opts) -> Report {
        let location = match at {
            Some((l, c)) => format!("{path}:{l}:{c}"),
            None => path.to_string(),
        };
        Report {
            err: text::error(&location, message),
            out: if opts.format == CheckFormat::Github {
                github::error(path, at, message)
            } else {
                String::new()
            },
            error: Some((path.to_string(), format!("{location}: {message}"))),
            status: ExitStatus::Error,
            ..Report::default()
        }
    }
}

/// Whether a finding's fix applies at the current level (`[*]`).
pub(crate) fn is_fixable(f: &Finding, settings: &Settings) -> bool {
    f.fix.as_ref().is_some_and(|x| {
        !x.is_empty()
            && match x.applicability {
                Applicability::Safe => true,
                Applicability::Unsafe => settings.unsafe_fixes,
                Applicability::DisplayOnly => false,
            }
    })
}

fn check_file(job: &Job, opts: Opts) -> Report {
    let shown = display_path(&job.path);
    match read_source_max(&job.path, job.settings.max_file_size()) {
        Ok(src) => check_source(&shown, Some(&job.path), &src, &job.settings, opts),
        Err(e) => Report::error(&shown, e.at(), &e.message(), opts),
    }
}

fn check_source(
    path: &str,
    file: Option<&Path>,
    src: &str,
    settings: &Settings,
    opts: Opts,
) -> Report {
    let parsed = pipeline::parse(src).and_then(|doc| pipeline::check_report(&doc, file, settings));
    let report = match parsed {
        Ok(r) => r,
        Err(pipeline::Error::Parse(e)) => {
            return Report::error(path, Some((e.line, e.col)), &e.message, opts)
        }
        Err(e) => return Report::error(path, None, &e.to_string(), opts),
    };
    let findings = report.findings;
    let mut r = Report {
        total: findings.len(),
        ..Report::default()
    };
    for f in &findings {
        let fixable = is_fixable(f, settings);
        r.fixable += usize::from(fixable);
        r.unsafe_more += usize::from(
            !settings.unsafe_fixes
                && f.fix
                    .as_ref()
                    .is_some_and(|x| x.applicability == Applicability::Unsafe && !x.is_empty()),
        );
        r.saving = r.saving.saturating_add(f.saving_bytes.unwrap_or(0));
        match opts.format {
            CheckFormat::Text => r.out.push_str(&text::finding_full(path, src, f, fixable)),
            CheckFormat::Concise => r.out.push_str(&text::finding(path, src, f, fixable)),
            CheckFormat::Github => r.out.push_str(&github::annotation(path, src, f)),
            CheckFormat::Json => r.json.push(json::finding(path, src, f)),
            CheckFormat::Sarif => r.sarif.push(sarif::result(transforms::ALL, path, src, f)),
        }
    }
    if opts.warn_unused {
        for u in &report.unused_suppressions {
            match opts.format {
                CheckFormat::Text | CheckFormat::Concise => r
                    .out
                    .push_str(&text::unused_suppression(path, src, u.span.start, &u.code)),
                CheckFormat::Github => r.out.push_str(&github::unused_suppression(
                    path,
                    src,
                    u.span.start,
                    &u.code,
                )),
                CheckFormat::Json | CheckFormat::Sarif => {}
            }
        }
    }
    r
}
