//! `dslim explain` and `dslim completions`.

use clap::CommandFactory;

use super::args::{Cli, CompletionsArgs, ExplainArgs};
use super::{ExitStatus, Term};
use crate::output::docs;
use crate::transforms;

pub fn run(a: &ExplainArgs, term: &mut Term) -> ExitStatus {
    match transforms::find(a.rule.trim()) {
        Some(t) => {
            term.out(&docs::explain(t));
            ExitStatus::Success
        }
        None => {
            term.fatal(&format!(
                "unknown rule `{}` (see `dslim rules`)",
                a.rule.trim()
            ));
            ExitStatus::Error
        }
    }
}

pub fn completions(a: &CompletionsArgs, term: &mut Term) -> ExitStatus {
    let mut buf = Vec::new();
    clap_complete::generate(a.shell, &mut Cli::command(), "dslim", &mut buf);
    term.out_raw(&buf);
    ExitStatus::Success
}
