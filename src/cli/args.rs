//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Rewrites Dockerfiles so the images they build are smaller, cache better
/// and stay correct.
#[derive(Debug, Parser)]
#[command(
    name = "dslim",
    version,
    about,
    propagate_version = true,
    after_help = "Exit status: 0 nothing to report, 1 findings or changes (see each command), \
                  2 an error (unreadable or unparseable file, bad arguments)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fix Dockerfiles: print a diff, or rewrite them with --write.
    #[command(
        long_about = "Fix Dockerfiles.\n\n\
        By default prints a unified diff of the fixes and leaves files alone. \
        With --write the files are rewritten in place (atomically; permissions \
        kept; a symlink's target is written). With `-` as the path the text is \
        read from stdin and the whole fixed text is written to stdout.",
        after_help = "Exit status: 0 done (or nothing to fix), 1 with --check when something \
                      would change, 2 when a file could not be read, parsed or written \
                      (other files are still processed)."
    )]
    Fix(FixArgs),
    /// Format Dockerfiles: print a diff, or rewrite them with --write.
    #[command(
        long_about = "Format Dockerfiles (layout only; never what they build).\n\n\
        By default prints a unified diff and leaves files alone. With --write \
        the files are rewritten in place (atomically). With `-` as the path \
        the text is read from stdin and the formatted text is written to \
        stdout (the input unchanged on error).",
        after_help = "Exit status: 0 done (or already formatted), 1 with --check when a file \
                      would change, 2 when a file could not be read, parsed or written \
                      (other files are still processed)."
    )]
    Fmt(FmtArgs),
    /// Report findings without changing anything.
    #[command(
        after_help = "Output: `path:line:col: CODE [*] message`; `[*]` marks findings \
                            `dslim fix` fixes (with --unsafe: unsafe fixes too).\n\
                            Exit status: 0 no findings, 1 findings, 2 a file could not be \
                            read or parsed (other files are still processed)."
    )]
    Check(CheckArgs),
    /// List the rules (transforms) dslim knows.
    Rules(RulesArgs),
    /// Developer tools: parser round trip and parse dumps.
    #[command(subcommand)]
    Debug(DebugCommand),
}

/// Which rules run, and how far fixes go.
#[derive(Debug, Clone, Default, Args)]
pub struct RuleArgs {
    /// Rules to run: codes (DS001), names (merge-runs), code prefixes (DS0)
    /// or ALL. Comma-separated or repeated. Default: all.
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Rules to leave out (same forms as --select).
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Also apply fixes that may change how the image behaves.
    #[arg(long = "unsafe")]
    pub unsafe_fixes: bool,
}

#[derive(Debug, Clone, Args)]
pub struct FixArgs {
    /// Files or directories (default: the current directory); `-` for stdin.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Rewrite the files in place instead of printing a diff.
    #[arg(long, short = 'w')]
    pub write: bool,
    /// Exit with status 1 when any file would change.
    #[arg(long)]
    pub check: bool,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// The name to use for stdin in messages.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct FmtArgs {
    /// Files or directories (default: the current directory); `-` for stdin.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Rewrite the files in place instead of printing a diff.
    #[arg(long, short = 'w')]
    pub write: bool,
    /// Exit with status 1 when any file would change.
    #[arg(long)]
    pub check: bool,
    /// The name to use for stdin in messages.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// Files or directories (default: the current directory); `-` for stdin.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// The name to use for stdin in messages.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Clone, Subcommand)]
pub enum DebugCommand {
    /// Check that parsing and printing gives back every file byte for byte.
    Roundtrip {
        /// Files (taken as given, whatever their name) or directories.
        #[arg(value_name = "PATH", required = true)]
        paths: Vec<PathBuf>,
    },
    /// Print each file's instructions as one JSON line (the schema of
    /// scripts/buildkit_dump.py).
    Parse {
        /// Files (taken as given, whatever their name) or directories.
        #[arg(value_name = "PATH", required = true)]
        paths: Vec<PathBuf>,
    },
}
