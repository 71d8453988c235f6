//! The `dslim` binary: parse arguments, run, exit.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = dslim::cli::Cli::parse();
    ExitCode::from(dslim::cli::run(cli).code())
}
