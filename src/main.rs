//! The `dslim` binary: parse arguments, run, exit.

use std::io::{Read, Write};
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match dslim::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // `fmt -`/`fix -` with a bad flag is still an editor's filter:
            // give its buffer back before the message.
            if e.use_stderr() && is_stdin_filter(std::env::args().skip(1)) {
                let mut buf = Vec::new();
                if std::io::stdin().lock().read_to_end(&mut buf).is_ok() {
                    let mut out = std::io::stdout().lock();
                    let _ = out.write_all(&buf);
                    let _ = out.flush();
                }
            }
            e.exit()
        }
    };
    // On a thread whose stack does not depend on `ulimit -s`.
    let status = dslim::cli::with_stack(|| dslim::cli::run(cli));
    ExitCode::from(status.code())
}

/// Whether arguments name `fmt` or `fix` on stdin (`-` or
/// `--stdin-filename`).
fn is_stdin_filter(args: impl Iterator<Item = String>) -> bool {
    let args: Vec<String> = args.collect();
    let command = args.iter().find(|a| !a.starts_with('-'));
    matches!(command.map(String::as_str), Some("fmt" | "fix"))
        && args
            .iter()
            .any(|a| a == "-" || a.starts_with("--stdin-filename"))
}

/// mimalloc, without transparent huge pages: `fix` on megabytes of RUNs
/// allocates millions of small objects; glibc's malloc spent a third of
/// the time there, and huge pages made the kernel clear 2 MiB for each
/// first touch (see README › Speed).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
