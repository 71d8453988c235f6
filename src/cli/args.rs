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
    /// When to colour output: `auto` (a terminal, unless `NO_COLOR`),
    /// `always` or `never`. Reports written with `--output` never are.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
    #[command(subcommand)]
    pub command: Command,
}

/// `--color`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// On a terminal, unless `NO_COLOR` is set (`CLICOLOR_FORCE` forces it).
    #[default]
    Auto,
    Always,
    Never,
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
        after_help = "Output: `path:line:col: CODE [*] message` with the source lines \
                            and the fix (`--format concise`: the line alone); `[*]` marks \
                            findings `dslim fix` fixes (with --unsafe: unsafe fixes too).\n\
                            Configuration: the nearest dslim.toml/.dslim.toml, DSLIM_* \
                            variables, flags (flags win).\n\
                            Exit status: 0 no findings, 1 findings, 2 a file could not be \
                            read or parsed, or a configuration error (other files are still \
                            processed)."
    )]
    Check(CheckArgs),
    /// Build a Dockerfile before and after the fixes; compare image sizes and layers.
    #[command(
        long_about = "Build a Dockerfile before and after the fixes and compare the images.\n\n\
        Computes the fixed Dockerfile in memory (as `dslim fix` would), builds the original and \
        the fixed version with --no-cache under their own tags, and reports for each the \
        uncompressed size (as `docker images` shows it), the compressed size when the builder \
        can tell, the layer count, the build time and a per-layer table (as `docker history`), \
        then the difference. Only the two images it built (and their intermediate images) are \
        removed afterwards, unless --keep.",
        after_help = "Exit status: 0 compared, 2 an error: no builder, unreadable or unparseable \
                      file, the original does not build (your Dockerfile), or the fixed version \
                      does not build (a dslim bug: the message names the fixes applied)."
    )]
    Compare(CompareArgs),
    /// List the rules (transforms) dslim knows.
    Rules(RulesArgs),
    /// Explain a rule: what it does, why, how safe its fix is, an example.
    Explain(ExplainArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(CompletionsArgs),
    /// Run the language server (LSP over stdio) for editors.
    #[command(
        long_about = "Run the language server: the Language Server Protocol over stdin/stdout.\n\n\
        Editors start it and get diagnostics (as `dslim check`), quick fixes, fix-all and \
        ignore actions, formatting (as `dslim fmt`) and rule docs on hover. Each file's \
        configuration is the nearest dslim.toml, as on the command line, read again when \
        it changes.",
        after_help = "Exit status: 0 after the client's shutdown and exit, 1 when the client \
                      exits or closes stdin without shutdown."
    )]
    Server(ServerArgs),
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
    /// How package caches are kept out of layers: `remove` them in the same
    /// RUN, or use BuildKit cache `mount`s.
    #[arg(long, value_name = "STYLE", value_parser = ["remove", "mount"])]
    pub cache_style: Option<String>,
    /// The builder the Dockerfiles are written for.
    #[arg(long, value_name = "BUILDER", value_parser = ["buildkit", "classic", "buildah"])]
    pub target: Option<String>,
    /// The build context (the folder `docker build` is given). Transforms
    /// that depend on its files (DS202's safe form, DS203 `.dockerignore`)
    /// need it; without it the Dockerfile's folder is read for hints only.
    /// `compare` builds in it (default: the Dockerfile's folder).
    #[arg(long, value_name = "DIR")]
    pub context: Option<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Debug, Clone, Args)]
pub struct ServerArgs {
    /// Talk LSP over stdin/stdout (the default and only transport; accepted
    /// because editors pass it).
    #[arg(long)]
    pub stdio: bool,
    #[command(flatten)]
    pub config: ConfigArgs,
}

/// Which configuration file applies.
#[derive(Debug, Clone, Default, Args)]
pub struct ConfigArgs {
    /// Use this configuration file for every input instead of the nearest
    /// `dslim.toml`/`.dslim.toml`.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore configuration files (environment and flags still apply).
    #[arg(long)]
    pub no_config: bool,
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
    /// Print the diff and errors only, no summary line.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// With `--write`, also rewrite read-only files (their mode is kept).
    #[arg(long, requires = "write")]
    pub force: bool,
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
    /// Print the diff and errors only, no summary line.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// With `--write`, also rewrite read-only files (their mode is kept).
    #[arg(long, requires = "write")]
    pub force: bool,
    /// The name to use for stdin in messages.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    #[default]
    Text,
    Json,
}

/// `dslim check --format`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Each finding with its source lines and the fix, then a summary.
    #[default]
    Text,
    /// One line per finding, then a summary.
    Concise,
    /// A JSON array of findings (docs/json-schema.md).
    Json,
    /// SARIF 2.1.0, for code-scanning services.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
}

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// Files or directories (default: the current directory); `-` for stdin.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also report `# dslim ignore=` comments that suppress nothing.
    #[arg(long)]
    pub warn_unused_ignores: bool,
    /// Apply the fixes first (as `dslim fix --write`; with --unsafe the
    /// unsafe ones too), then report what is left.
    #[arg(long)]
    pub fix: bool,
    /// Print the findings and errors only, no summary line.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Exit with status 0 even when there are findings (errors still exit 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// Exit with status 1 on advice too (findings without a fix dslim can
    /// apply, reported at `info` severity), not only on findings with a fix.
    #[arg(long)]
    pub fail_on_advice: bool,
    /// Print how many findings each rule has instead of the findings
    /// (text: `count code [*] name`; with --format json an array).
    #[arg(long)]
    pub statistics: bool,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// The name to use for stdin in messages.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<PathBuf>,
}

/// `--builder`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum BuilderArg {
    /// docker buildx when a daemon answers, else podman, else buildah.
    #[default]
    Auto,
    Docker,
    Podman,
    Buildah,
}

/// `--pull`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum PullArg {
    /// Never pull base images; they must be present locally.
    Never,
    /// Pull base images that are not present locally.
    #[default]
    Missing,
    /// Always pull base images.
    Always,
}

#[derive(Debug, Clone, Args)]
pub struct CompareArgs {
    /// The Dockerfile to build before and after the fixes.
    #[arg(value_name = "DOCKERFILE")]
    pub dockerfile: PathBuf,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// The program that builds the images.
    #[arg(long, value_enum, default_value_t = BuilderArg::Auto)]
    pub builder: BuilderArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// When base images may be pulled (docker buildx has no `never`: it
    /// then pulls missing ones, with a warning).
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = PullArg::Missing)]
    pub pull: PullArg,
    /// Keep the two images (tags in the report) instead of removing them.
    #[arg(long)]
    pub keep: bool,
    /// Run both images with these arguments appended to the entrypoint
    /// (one string, split into words like a shell would, nothing expanded:
    /// `--probe --version`); exit status and output must match.
    #[arg(
        long,
        value_name = "ARGS",
        allow_hyphen_values = true,
        conflicts_with = "probe_http"
    )]
    pub probe: Option<String>,
    /// Start both images (one after the other) and GET
    /// http://127.0.0.1:PORT/PATH; status and body must match. Without a
    /// probe each image's command must stay up 2 s or exit as the original.
    #[arg(long, value_name = "PORT[/PATH]")]
    pub probe_http: Option<String>,
    /// Paths missing from the fixed image that match GLOB (`*` within a
    /// folder, `**` any depth; a folder covers what is under it) do not
    /// fail the comparison. Repeatable.
    #[arg(long, value_name = "GLOB")]
    pub allow: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Clone, Args)]
pub struct ExplainArgs {
    /// A rule code (DS001) or name (merge-runs).
    #[arg(value_name = "RULE")]
    pub rule: String,
}

#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_name = "SHELL")]
    pub shell: clap_complete::Shell,
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
