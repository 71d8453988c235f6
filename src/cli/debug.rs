//! `dslim debug roundtrip` and `dslim debug parse`.
//!
//! Paths given are taken as files whatever their names; directories are
//! walked like everywhere else; `-` (alone) reads stdin.

use std::path::PathBuf;

use super::args::DebugCommand;
use super::{par_map, ExitStatus, Term};
use crate::fsutil;
use crate::output::{display_path, json, text};
use crate::syntax::Document;
use crate::walk;

pub fn run(c: &DebugCommand, term: &mut Term) -> ExitStatus {
    match c {
        DebugCommand::Roundtrip { paths } => roundtrip(paths, term),
        DebugCommand::Parse { paths } => parse(paths, term),
    }
}

/// One file's round trip.
enum Trip {
    Identical,
    /// A line for stdout (not identical) and the status it implies.
    Bad(String, ExitStatus),
}

/// The inputs of a debug command: stdin for `-`, else the files found.
enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    fn shown(&self) -> String {
        match self {
            Input::Stdin => "-".into(),
            Input::File(p) => display_path(p),
        }
    }
    fn read(&self) -> std::io::Result<Vec<u8>> {
        match self {
            Input::Stdin => super::read_stdin(),
            Input::File(p) => fsutil::read_regular(p, fsutil::DEFAULT_MAX_FILE_SIZE),
        }
    }
}

/// What `paths` name, walk errors printed (and their status).
fn inputs(paths: &[PathBuf], term: &mut Term) -> (Vec<Input>, ExitStatus) {
    if paths.iter().any(|p| p.as_os_str() == "-") {
        if paths.len() > 1 {
            term.fatal("`-` (stdin) cannot be combined with other paths");
            return (Vec::new(), ExitStatus::Error);
        }
        return (vec![Input::Stdin], ExitStatus::Success);
    }
    let (files, errors) = walk::discover(paths);
    let status = super::report_walk_errors(term, &errors);
    (files.into_iter().map(Input::File).collect(), status)
}

fn trip(input: &Input) -> Trip {
    let shown = input.shown();
    let bytes = match input.read() {
        Ok(b) => b,
        Err(e) => {
            return Trip::Bad(
                text::error(&shown, &fsutil::io_message(&e)),
                ExitStatus::Error,
            )
        }
    };
    let Ok(src) = std::str::from_utf8(&bytes) else {
        return Trip::Bad(format!("{shown}: not UTF-8\n"), ExitStatus::Failure);
    };
    match Document::parse(src) {
        Ok(doc) if doc.print().as_bytes() == bytes.as_slice() => Trip::Identical,
        Ok(_) => Trip::Bad(format!("{shown}: differs\n"), ExitStatus::Failure),
        Err(e) => Trip::Bad(
            text::error(&format!("{shown}:{}:{}", e.line, e.col), &e.message),
            ExitStatus::Failure,
        ),
    }
}

fn roundtrip(paths: &[PathBuf], term: &mut Term) -> ExitStatus {
    let (files, mut status) = inputs(paths, term);
    if status == ExitStatus::Error && files.is_empty() && paths.iter().any(|p| p == "-") {
        return status;
    }
    let results = par_map(&files, trip);
    let mut same = 0;
    for r in &results {
        match r {
            Trip::Identical => same += 1,
            Trip::Bad(line, s) => {
                term.out(line);
                status = status.and(*s);
            }
        }
    }
    term.out(&format!(
        "roundtrip: {same} of {} files identical\n",
        files.len()
    ));
    status
}

fn parse_one(input: &Input) -> (String, ExitStatus) {
    let shown = input.shown();
    let bytes = match input.read() {
        Ok(b) => b,
        Err(e) => {
            return (
                json::parse_error(&shown, &fsutil::io_message(&e)),
                ExitStatus::Error,
            )
        }
    };
    let src = match std::str::from_utf8(&bytes) {
        Ok(s) => s,
        Err(e) => {
            let msg = format!("not valid UTF-8 (at byte {})", e.valid_up_to());
            return (json::parse_error(&shown, &msg), ExitStatus::Failure);
        }
    };
    match Document::parse(src) {
        Ok(doc) => (json::parse_record(&shown, &doc), ExitStatus::Success),
        Err(e) => (
            json::parse_error(&shown, &e.to_string()),
            ExitStatus::Failure,
        ),
    }
}

fn parse(paths: &[PathBuf], term: &mut Term) -> ExitStatus {
    let (files, mut status) = inputs(paths, term);
    let mut out = String::new();
    for (line, s) in par_map(&files, parse_one) {
        out.push_str(&line);
        status = status.and(s);
    }
    term.out_raw(out.as_bytes());
    status
}
