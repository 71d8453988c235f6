//! The `dslim` command line: argument structs and one module per command.
//!
//! Each command turns every input file into a small report (text for
//! stdout, text for stderr, an exit status) independently, possibly on
//! several threads; the reports are then printed in sorted path order so
//! output never depends on scheduling.
//!
//! Here the exit status and the dispatch; what the commands share is in
//! [`term`], [`resolvers`], [`jobs`], [`stdin`], [`source`] and [`parallel`].

pub mod args;
pub mod check;
pub mod compare;
pub mod debug;
pub mod explain;
pub mod fix;
pub mod fmt;
pub mod rules;

mod jobs;
mod parallel;
mod resolvers;
mod source;
mod stdin;
mod term;

pub use jobs::*;
pub use parallel::*;
pub use resolvers::*;
pub use source::*;
pub use stdin::*;
pub use term::*;

use std::collections::HashSet;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

pub use args::Cli;
use args::{Command, RuleArgs};

use crate::fsutil;
use crate::output::{display_path, text};
use crate::pipeline::Settings;
use crate::resolver::{self, ConfigSource, Overrides, Resolver};
use crate::walk::{self, WalkError};

/// The process exit status; a worse status wins when combined.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExitStatus {
    /// Nothing to report.
    #[default]
    Success,
    /// Findings, or files that would change under `--check`.
    Failure,
    /// An unreadable or unparseable file, a failed write, bad arguments.
    Error,
}

impl ExitStatus {
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Error => 2,
        }
    }
    /// The worse of two statuses.
    pub fn and(self, other: ExitStatus) -> ExitStatus {
        self.max(other)
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> ExitStatus {
    let mut term = Term::with_color(cli.color);
    match cli.command {
        Command::Fix(a) => fix::run(&a, &mut term),
        Command::Fmt(a) => fmt::run(&a, &mut term),
        Command::Check(a) => check::run(&a, &mut term),
        Command::Compare(a) => compare::run(&a, &mut term),
        Command::Rules(a) => rules::run(&a, &mut term),
        Command::Explain(a) => explain::run(&a, &mut term),
        Command::Completions(a) => explain::completions(&a, &mut term),
        Command::Debug(c) => debug::run(&c, &mut term),
        Command::Server(a) => server(&a),
    }
}

/// `dslim server`: the language server until the client leaves.
fn server(a: &args::ServerArgs) -> ExitStatus {
    let source = if a.config.no_config {
        ConfigSource::Defaults
    } else if let Some(f) = &a.config.config {
        ConfigSource::File(f.clone())
    } else {
        ConfigSource::Discover
    };
    match crate::server::run(source) {
        0 => ExitStatus::Success,
        _ => ExitStatus::Failure,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn par_map_keeps_order() {
        let v: Vec<usize> = (0..100).collect();
        assert_eq!(
            par_map(&v, |x| x * 2),
            v.iter().map(|x| x * 2).collect::<Vec<_>>()
        );
        let small = [1, 2, 3];
        assert_eq!(par_map(&small, |x| x + 1), vec![2, 3, 4]);
    }

    #[test]
    fn progress_counter() {
        let p = Progress::with("Checking", 300, false);
        p.tick();
        assert_eq!(p.done.load(Ordering::Relaxed), 1);
        assert_eq!(p.line(16), "\rChecking 16/300 files");
        assert!(!Progress::new("x", 10).enabled);
    }

    #[test]
    fn stdin_guard_turns_a_panic_into_an_error() {
        let (r, status) = guarded("-", "FROM a\n", |_| panic!("boom"));
        let m = r.err().expect("a panic is an error");
        assert!(m.contains("internal error: panic: boom"), "{m}");
        assert_eq!(status, ExitStatus::Error);
        let (r, status) = guarded("-", "FROM a\n", |s| {
            Ok(Filtered {
                out: s.to_uppercase().into_bytes(),
                notes: String::new(),
                status: ExitStatus::Failure,
            })
        });
        assert_eq!(
            r.ok().map(|d| (d.out, d.status)),
            Some((b"FROM A\n".to_vec(), ExitStatus::Failure))
        );
        assert_eq!(status, ExitStatus::Success);
        let (r, _) = guarded("-", "x", |_| Err("bad".into()));
        assert_eq!(r.err().as_deref(), Some("bad"));
    }

    #[test]
    fn exit_status_worst_wins() {
        use ExitStatus::*;
        assert_eq!(Success.and(Failure), Failure);
        assert_eq!(Error.and(Failure), Error);
        assert_eq!(Failure.and(Success).code(), 1);
    }
}
