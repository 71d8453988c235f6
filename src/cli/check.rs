//! `dslim check`.

use std::path::Path;

use super::args::{CheckArgs, Format};
use super::{decode, inputs, par_map, read_source, read_stdin, settings, ExitStatus, Inputs, Term};
use crate::edit::Applicability;
use crate::finding::Finding;
use crate::fsutil;
use crate::output::{display_path, json, text};
use crate::pipeline::{self, Settings};

pub fn run(a: &CheckArgs, term: &mut Term) -> ExitStatus {
    let settings = match settings(&a.rules) {
        Ok(s) => s,
        Err(m) => {
            term.fatal(&m);
            return ExitStatus::Error;
        }
    };
    let (reports, mut status) = match inputs(&a.paths, a.stdin_filename.as_deref()) {
        Err(m) => {
            term.fatal(&m);
            return ExitStatus::Error;
        }
        Ok(Inputs::Stdin(name)) => {
            let r = match read_stdin() {
                Ok(b) => match decode(b) {
                    Ok(src) => check_source(&name, &src, &settings, a.format),
                    Err(e) => Report::error(text::error(&name, &e.message())),
                },
                Err(e) => Report::error(text::error(&name, &fsutil::io_message(&e))),
            };
            (vec![r], ExitStatus::Success)
        }
        Ok(Inputs::Files(files, errors)) => {
            let status = super::report_walk_errors(term, &errors);
            let reports = par_map(&files, |p| check_file(p, &settings, a.format));
            (reports, status)
        }
    };
    let (mut total, mut fixable, mut unsafe_more) = (0, 0, 0);
    let mut all_json = Vec::new();
    for r in reports {
        term.out(&r.text);
        term.err(&r.err);
        status = status.and(r.status);
        total += r.total;
        fixable += r.fixable;
        unsafe_more += r.unsafe_more;
        all_json.extend(r.json);
    }
    match a.format {
        Format::Json => term.out_raw(json::findings(&all_json).as_bytes()),
        Format::Text => {
            if total > 0 || status == ExitStatus::Success {
                term.out(&text::check_summary(
                    total,
                    fixable,
                    unsafe_more,
                    settings.unsafe_fixes,
                ));
            }
        }
    }
    if total > 0 {
        status = status.and(ExitStatus::Failure);
    }
    status
}

#[derive(Default)]
struct Report {
    text: String,
    json: Vec<json::JsonFinding>,
    err: String,
    status: ExitStatus,
    total: usize,
    fixable: usize,
    unsafe_more: usize,
}

impl Report {
    fn error(msg: String) -> Report {
        Report {
            err: msg,
            status: ExitStatus::Error,
            ..Report::default()
        }
    }
}

/// Whether a finding's fix applies at the current level (`[*]`).
pub(crate) fn is_fixable(f: &Finding, settings: &Settings) -> bool {
    f.fix.as_ref().is_some_and(|x| {
        !x.edits.is_empty()
            && match x.applicability {
                Applicability::Safe => true,
                Applicability::Unsafe => settings.unsafe_fixes,
                Applicability::DisplayOnly => false,
            }
    })
}

fn check_file(path: &Path, settings: &Settings, format: Format) -> Report {
    let shown = display_path(path);
    match read_source(path) {
        Ok(src) => check_source(&shown, &src, settings, format),
        Err(e) => Report::error(text::error(&shown, &e.message())),
    }
}

fn check_source(path: &str, src: &str, settings: &Settings, format: Format) -> Report {
    let parsed = pipeline::parse(src).and_then(|doc| pipeline::check(&doc, settings));
    let findings = match parsed {
        Ok(f) => f,
        Err(pipeline::Error::Parse(e)) => {
            return Report::error(text::error(
                &format!("{path}:{}:{}", e.line, e.col),
                &e.message,
            ))
        }
        Err(e) => return Report::error(text::error(path, &e.to_string())),
    };
    let mut r = Report {
        total: findings.len(),
        ..Report::default()
    };
    for f in &findings {
        let fixable = is_fixable(f, settings);
        r.fixable += usize::from(fixable);
        r.unsafe_more += usize::from(
            !settings.unsafe_fixes
                && f.fix.as_ref().is_some_and(|x| {
                    x.applicability == Applicability::Unsafe && !x.edits.is_empty()
                }),
        );
        match format {
            Format::Text => r.text.push_str(&text::finding(path, src, f, fixable)),
            Format::Json => r.json.push(json::finding(path, src, f)),
        }
    }
    r
}
