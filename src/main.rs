//! The `dslim` binary: parse arguments, run, exit.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = dslim::cli::Cli::parse();
    // On a thread whose stack does not depend on `ulimit -s`.
    let status = dslim::cli::with_stack(|| dslim::cli::run(cli));
    ExitCode::from(status.code())
}
