//! The `dslim` command line: argument structs and one module per command.
//!
//! Each command turns every input file into a small report (text for
//! stdout, text for stderr, an exit status) independently, possibly on
//! several threads; the reports are then printed in sorted path order so
//! output never depends on scheduling.

pub mod args;
pub mod check;
pub mod compare;
pub mod debug;
pub mod explain;
pub mod fix;
pub mod fmt;
pub mod rules;

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
use crate::resolver::{self, Overrides, Resolver, Source};
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
        Source::Defaults
    } else if let Some(f) = &a.config.config {
        Source::File(f.clone())
    } else {
        Source::Discover
    };
    match crate::server::run(source) {
        0 => ExitStatus::Success,
        _ => ExitStatus::Failure,
    }
}

/// Stdout and stderr, with styles stripped when colour is off (not a
/// terminal, `NO_COLOR`, `CLICOLOR=0`; `CLICOLOR_FORCE` forces it on).
///
/// Write errors (a closed pipe) are ignored: there is nobody left to tell.
pub struct Term {
    out: anstream::AutoStream<io::StdoutLock<'static>>,
    err: anstream::AutoStream<io::Stderr>,
}

impl Term {
    pub fn new() -> Term {
        Term::with_color(args::ColorArg::Auto)
    }
    /// `--color`: `auto` asks each stream (terminal, `NO_COLOR`,
    /// `CLICOLOR_FORCE`); `always`/`never` decide for both.
    pub fn with_color(color: args::ColorArg) -> Term {
        let choice = match color {
            args::ColorArg::Auto => anstream::ColorChoice::Auto,
            args::ColorArg::Always => anstream::ColorChoice::Always,
            args::ColorArg::Never => anstream::ColorChoice::Never,
        };
        Term {
            out: anstream::AutoStream::new(io::stdout().lock(), choice),
            err: anstream::AutoStream::new(io::stderr(), choice),
        }
    }
    /// Styled text to stdout.
    pub fn out(&mut self, s: &str) {
        if !s.is_empty() {
            let _ = self.out.write_all(s.as_bytes());
        }
    }
    /// Bytes to stdout exactly as given (file contents, JSON).
    pub fn out_raw(&mut self, b: &[u8]) {
        if b.is_empty() {
            return;
        }
        let _ = self.out.flush();
        let mut raw = io::stdout().lock();
        let _ = raw.write_all(b);
        let _ = raw.flush();
    }
    /// Styled text to stderr.
    pub fn err(&mut self, s: &str) {
        if !s.is_empty() {
            let _ = self.out.flush();
            let _ = self.err.write_all(s.as_bytes());
        }
    }
    /// `error: message` on stderr, for problems not tied to one file.
    pub fn fatal(&mut self, message: &str) {
        self.err(&fatal_text(message));
    }
}

/// `error: message` with a newline, for problems not tied to one file.
pub fn fatal_text(message: &str) -> String {
    format!(
        "{} {message}\n",
        crate::output::paint(anstyle::AnsiColor::Red.on_default().bold(), "error:")
    )
}

impl Default for Term {
    fn default() -> Self {
        Term::new()
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        let _ = self.out.flush();
    }
}

/// The configuration resolver for `--select`/`--ignore`/`--unsafe`/
/// `--cache-style`/`--target`/`--config`/`--no-config` and the `DSLIM_*`
/// environment; problems are printed and give `None` (exit 2).
pub fn resolver(r: &RuleArgs, term: &mut Term) -> Option<Resolver> {
    match try_resolver(r) {
        Ok(r) => Some(r),
        Err(m) => {
            term.err(&m);
            None
        }
    }
}

/// [`resolver`], the problem as the text to print.
pub fn try_resolver(r: &RuleArgs) -> Result<Resolver, String> {
    let overrides = overrides(r).map_err(|m| fatal_text(&m))?;
    try_config_resolver(&r.config, overrides)
}

/// A resolver for `--config`/`--no-config` and the given overrides.
pub fn config_resolver(
    c: &args::ConfigArgs,
    overrides: Overrides,
    term: &mut Term,
) -> Option<Resolver> {
    match try_config_resolver(c, overrides) {
        Ok(r) => Some(r),
        Err(m) => {
            term.err(&m);
            None
        }
    }
}

/// [`config_resolver`], the problem as the text to print.
pub fn try_config_resolver(c: &args::ConfigArgs, overrides: Overrides) -> Result<Resolver, String> {
    let source = if c.no_config {
        Source::Defaults
    } else if let Some(f) = &c.config {
        Source::File(f.clone())
    } else {
        Source::Discover
    };
    Resolver::new(source, overrides).map_err(|e| text::error(&e.location, &e.message))
}

/// The command-line layer over the environment layer.
pub(crate) fn overrides(r: &RuleArgs) -> Result<Overrides, String> {
    let list = |v: &[String], flag: &str| -> Result<Option<Vec<String>>, String> {
        if v.is_empty() {
            Ok(None)
        } else {
            resolver::clean_selectors(v, flag).map(Some)
        }
    };
    let cli = Overrides {
        select: list(&r.select, "--select")?,
        ignore: list(&r.ignore, "--ignore")?,
        unsafe_fixes: r.unsafe_fixes.then_some(true),
        cache_style: r
            .cache_style
            .as_deref()
            .map(resolver::parse_cache_style)
            .transpose()?,
        target: r
            .target
            .as_deref()
            .map(resolver::parse_target)
            .transpose()?,
        context: r.context.clone(),
    };
    if let Some(c) = &cli.context {
        resolver::context_dir(c).map_err(|m| format!("--context `{}` {m}", c.display()))?;
    }
    let env = Overrides::from_env(|k| std::env::var(k).ok())?;
    Ok(cli.over(env))
}

/// One file to process and the settings that apply to it.
pub struct Job {
    pub path: PathBuf,
    pub settings: Arc<Settings>,
}

/// Settings for each file found, leaving out walked files that their
/// configuration excludes (a path named on the command line is always
/// processed). A broken configuration file is reported once and its files
/// are skipped with exit status 2.
pub fn plan(
    resolver: &mut Resolver,
    given: &[PathBuf],
    files: Vec<PathBuf>,
    term: &mut Term,
) -> (Vec<Job>, ExitStatus) {
    let mut status = ExitStatus::Success;
    let mut reported = HashSet::new();
    // Named on the command line: never excluded. A set, since comparing
    // paths is not cheap and a run may name thousands of files.
    let given: HashSet<&PathBuf> = given.iter().collect();
    let mut jobs = Vec::with_capacity(files.len());
    for path in files {
        let project = match resolver.project(&path) {
            Ok(p) => p,
            Err(e) => {
                if reported.insert(e.location.clone()) {
                    term.err(&text::error(&e.location, &e.message));
                }
                status = ExitStatus::Error;
                continue;
            }
        };
        let abs = resolver.absolute(&path);
        if !given.contains(&path) && project.excludes(&abs) {
            continue;
        }
        jobs.push(Job {
            settings: project.settings_for(&abs),
            path,
        });
    }
    (jobs, status)
}

/// Where a fix of the file at `path` may write: its repository
/// ([`fsutil::repository_root`]) and the `--context` named on the command
/// line. A `context` from a configuration file adds nothing: a repository
/// cannot send writes out of itself.
pub fn write_roots(path: &Path, cli_context: Option<&Path>) -> Vec<PathBuf> {
    let mut roots = vec![fsutil::repository_root(path)];
    roots.extend(cli_context.map(Path::to_path_buf));
    roots
}

/// Notes on the temporary files interrupted runs left beside the files
/// about to be written ([`fsutil::leftovers`]); they are not removed (a
/// person decides).
pub fn report_leftovers(jobs: &[Job], term: &mut Term) {
    let mut dirs: Vec<PathBuf> = jobs
        .iter()
        .map(|j| match j.path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        })
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in dirs {
        for p in fsutil::leftovers(&d) {
            let p = p.strip_prefix(".").unwrap_or(&p);
            term.err(&format!(
                "{}: note: temporary file left by an interrupted dslim run; remove it\n",
                display_path(p)
            ));
        }
    }
}

/// Settings for stdin named `name` (`-`: the current directory's).
pub fn stdin_settings(
    resolver: &mut Resolver,
    name: &str,
    term: &mut Term,
) -> Option<Arc<Settings>> {
    match try_stdin_settings(resolver, name) {
        Ok(s) => Some(s),
        Err(m) => {
            term.err(&m);
            None
        }
    }
}

/// [`stdin_settings`], the problem as the text to print.
pub fn try_stdin_settings(resolver: &mut Resolver, name: &str) -> Result<Arc<Settings>, String> {
    resolver
        .settings(Path::new(name))
        .map_err(|e| text::error(&e.location, &e.message))
}

/// Whether `paths`/`--stdin-filename` mean the input is stdin (as
/// [`inputs`] decides).
pub fn reads_stdin(paths: &[PathBuf], stdin_filename: Option<&Path>) -> bool {
    paths.iter().any(|p| p.as_os_str() == "-") || (paths.is_empty() && stdin_filename.is_some())
}

/// What a stdin filter produced: the bytes for stdout, notes for stderr,
/// the status.
pub struct Filtered {
    pub out: Vec<u8>,
    pub notes: String,
    pub status: ExitStatus,
}

/// Runs a stdin-to-stdout filter (`fmt -`, `fix -`) so that an editor
/// piping its buffer through dslim never loses it: stdin is read first,
/// then `f` runs (configuration, parsing, fixing); when `f` fails — an
/// error message, or a panic (a bug) — the input goes back to stdout
/// unchanged, the message to stderr, and the status is 2. Nothing reaches
/// stdout before `f` has finished.
pub fn stdin_filter<F>(name: &str, term: &mut Term, f: F) -> ExitStatus
where
    F: FnOnce(&str) -> Result<Filtered, String>,
{
    let bytes = match read_stdin() {
        Ok(b) => b,
        Err(e) => {
            term.err(&text::error(name, &fsutil::io_message(&e)));
            return ExitStatus::Error;
        }
    };
    let src = match decode(bytes) {
        Ok(s) => s,
        Err(e) => {
            if let SourceError::NotUtf8(b, _) = &e {
                term.out_raw(b);
            }
            term.err(&e.text(name));
            return ExitStatus::Error;
        }
    };
    let src = src.as_str();
    let (result, status) = guarded(name, src, f);
    match result {
        Ok(done) => {
            term.out_raw(&done.out);
            term.err(&done.notes);
            done.status
        }
        Err(message) => {
            term.out_raw(src.as_bytes());
            term.err(&message);
            status
        }
    }
}

/// [`stdin_filter`] for a command whose `paths`/`--stdin-filename` name
/// stdin ([`reads_stdin`]): `f` gets the input's name and text. An
/// argument problem (`-` with other paths) is a filter error too, so the
/// input still comes back.
pub fn stdin_command<F>(
    paths: &[PathBuf],
    stdin_filename: Option<&Path>,
    term: &mut Term,
    f: F,
) -> ExitStatus
where
    F: FnOnce(&str, &str) -> Result<Filtered, String>,
{
    let name = match inputs(paths, stdin_filename) {
        Ok(Inputs::Stdin(name)) => name,
        Ok(Inputs::Files(..)) => "-".to_string(),
        Err(m) => return stdin_filter("-", term, |_| Err(fatal_text(&m))),
    };
    stdin_filter(&name, term, |src| f(&name, src))
}

/// `f(src)`, a panic turned into an internal-error message.
fn guarded<F>(name: &str, src: &str, f: F) -> (Result<Filtered, String>, ExitStatus)
where
    F: FnOnce(&str) -> Result<Filtered, String>,
{
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(src))) {
        Ok(Ok(done)) => (Ok(done), ExitStatus::Success),
        Ok(Err(m)) => (Err(m), ExitStatus::Error),
        Err(p) => {
            let what = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".into());
            (
                Err(text::error(
                    name,
                    &format!(
                        "internal error: panic: {what}; input printed back unchanged \
                         (please report this bug)"
                    ),
                )),
                ExitStatus::Error,
            )
        }
    }
}

/// A `\r`-updated `N/M files` counter on stderr, shown only when stderr is a
/// terminal and there are more than [`Progress::MIN_FILES`] files.
pub struct Progress {
    label: &'static str,
    total: usize,
    done: AtomicUsize,
    enabled: bool,
}

impl Progress {
    /// Runs with fewer files finish before a counter would be worth reading.
    pub const MIN_FILES: usize = 200;

    pub fn new(label: &'static str, total: usize) -> Progress {
        let enabled = total > Self::MIN_FILES && io::stderr().is_terminal();
        Progress::with(label, total, enabled)
    }

    pub fn with(label: &'static str, total: usize, enabled: bool) -> Progress {
        Progress {
            label,
            total,
            done: AtomicUsize::new(0),
            enabled,
        }
    }

    /// One more file done; redraws every few files.
    pub fn tick(&self) {
        let n = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if self.enabled && (n.is_multiple_of(16) || n == self.total) {
            let _ = write!(io::stderr().lock(), "{}", self.line(n));
        }
    }

    fn line(&self, n: usize) -> String {
        format!("\r{} {n}/{} files", self.label, self.total)
    }

    /// Clears the counter line.
    pub fn finish(&self) {
        if self.enabled {
            let _ = write!(io::stderr().lock(), "\r\x1b[2K");
        }
    }
}

/// [`par_map`] with a [`Progress`] counter.
pub fn par_map_progress<T, R, F>(label: &'static str, items: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    let progress = Progress::new(label, items.len());
    let out = par_map(items, |x| {
        let r = f(x);
        progress.tick();
        r
    });
    progress.finish();
    out
}

/// What a `fix`/`check` invocation reads.
pub enum Inputs {
    /// Stdin, named in messages by the given name.
    Stdin(String),
    /// Files found under the paths, sorted, and the paths that failed.
    Files(Vec<PathBuf>, Vec<WalkError>),
}

/// `-` (alone) or no path with `--stdin-filename` reads stdin; no path at
/// all means the current directory.
pub fn inputs(paths: &[PathBuf], stdin_filename: Option<&Path>) -> Result<Inputs, String> {
    let is_dash = |p: &PathBuf| p.as_os_str() == "-";
    let stdin_name = || {
        stdin_filename
            .map(display_path)
            .unwrap_or_else(|| "-".to_string())
    };
    if paths.iter().any(is_dash) {
        if paths.len() > 1 {
            return Err("`-` (stdin) cannot be combined with other paths".into());
        }
        return Ok(Inputs::Stdin(stdin_name()));
    }
    if paths.is_empty() {
        if stdin_filename.is_some() {
            return Ok(Inputs::Stdin(stdin_name()));
        }
        let (files, errors) = walk::discover(&[PathBuf::from(".")]);
        return Ok(Inputs::Files(files, errors));
    }
    let (files, errors) = walk::discover(paths);
    Ok(Inputs::Files(files, errors))
}

/// Prints walk errors as `path: error: message`; the status they imply.
pub fn report_walk_errors(term: &mut Term, errors: &[WalkError]) -> ExitStatus {
    for e in errors {
        term.err(&text::error(&display_path(&e.path), &e.message));
    }
    if errors.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Error
    }
}

/// Reads all of stdin, at most [`fsutil::DEFAULT_MAX_FILE_SIZE`] bytes.
pub fn read_stdin() -> io::Result<Vec<u8>> {
    read_stdin_max(fsutil::DEFAULT_MAX_FILE_SIZE)
}

/// Reads all of stdin, at most `max` bytes (more is an error naming the
/// cap: `/dev/zero` piped in must not exhaust memory).
pub fn read_stdin_max(max: u64) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    io::stdin()
        .lock()
        .take(max.saturating_add(1))
        .read_to_end(&mut buf)?;
    if buf.len() as u64 > max {
        return Err(io::Error::other(format!(
            "input larger than {} (`max-file-size`); not read",
            fsutil::size_text(max)
        )));
    }
    Ok(buf)
}

/// Why a source could not be had as text.
pub enum SourceError {
    Io(io::Error),
    /// Not UTF-8; the bytes as read.
    NotUtf8(Vec<u8>, std::str::Utf8Error),
}

/// The encoding a byte-order mark announces, and the mark's length.
fn bom_encoding(b: &[u8]) -> Option<(&'static str, usize)> {
    const MARKS: [(&[u8], &str); 4] = [
        (&[0xFF, 0xFE, 0, 0], "UTF-32LE"),
        (&[0, 0, 0xFE, 0xFF], "UTF-32BE"),
        (&[0xFF, 0xFE], "UTF-16LE"),
        (&[0xFE, 0xFF], "UTF-16BE"),
    ];
    MARKS
        .iter()
        .find(|(m, _)| b.starts_with(m))
        .map(|(m, name)| (*name, m.len()))
}

impl SourceError {
    pub fn message(&self) -> String {
        match self {
            SourceError::Io(e) => fsutil::io_message(e),
            SourceError::NotUtf8(b, e) => match bom_encoding(b) {
                Some((enc, _)) => format!(
                    "{enc} text (byte-order mark at the start); dslim reads UTF-8 only \
                     (convert it: `iconv -f {enc} -t UTF-8`)"
                ),
                None => format!(
                    "not valid UTF-8 (byte 0x{:02X} at offset {})",
                    b.get(e.valid_up_to()).copied().unwrap_or(0),
                    e.valid_up_to()
                ),
            },
        }
    }

    /// The line and column of the first byte that is not UTF-8 (`None` for
    /// an I/O error or a UTF-16/32 file, which is wrong from its start).
    pub fn at(&self) -> Option<(usize, usize)> {
        match self {
            SourceError::NotUtf8(b, e) if bom_encoding(b).is_none() => {
                let valid = std::str::from_utf8(&b[..e.valid_up_to()]).unwrap_or("");
                Some(crate::syntax::line_col(valid, valid.len()))
            }
            _ => None,
        }
    }

    /// `path[:line:col]: error: message`.
    pub fn text(&self, path: &str) -> String {
        match self.at() {
            Some((l, c)) => text::error(&format!("{path}:{l}:{c}"), &self.message()),
            None => text::error(path, &self.message()),
        }
    }
}

/// Bytes as text.
pub fn decode(bytes: Vec<u8>) -> Result<String, SourceError> {
    String::from_utf8(bytes).map_err(|e| {
        let u = e.utf8_error();
        SourceError::NotUtf8(e.into_bytes(), u)
    })
}

/// A file's text: a regular file of at most
/// [`fsutil::DEFAULT_MAX_FILE_SIZE`] bytes.
pub fn read_source(path: &Path) -> Result<String, SourceError> {
    read_source_max(path, fsutil::DEFAULT_MAX_FILE_SIZE)
}

/// A file's text: a regular file of at most `max` bytes
/// ([`fsutil::read_regular`]).
pub fn read_source_max(path: &Path, max: u64) -> Result<String, SourceError> {
    decode(fsutil::read_regular(path, max).map_err(SourceError::Io)?)
}

/// Files are handled on worker threads only above this many: a thread pool
/// costs more than it saves for a handful of small files.
const PARALLEL_THRESHOLD: usize = 8;

/// The stack of every thread that parses or fixes a file: the same on
/// worker threads as on the main thread, whatever `ulimit -s` says.
/// Shell nesting is bounded ([`crate::shell`] makes deeper text opaque);
/// this leaves a wide margin over what the bound needs.
pub const STACK_SIZE: usize = 16 << 20;

/// A thread builder with a [`STACK_SIZE`] stack.
fn stack_thread() -> std::thread::Builder {
    std::thread::Builder::new().stack_size(STACK_SIZE)
}

/// Runs `f` on a thread with a [`STACK_SIZE`] stack and returns its result
/// (a panic is passed on).
pub fn with_stack<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    std::thread::scope(|s| {
        stack_thread()
            .spawn_scoped(s, f)
            .expect("cannot start a thread")
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p))
    })
}

/// `f` over `items`, results in the order of `items`; on scoped threads
/// (2 or more) when there are more than [`PARALLEL_THRESHOLD`] items, each
/// with a [`STACK_SIZE`] stack.
pub fn par_map<T, R, F>(items: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    if items.len() <= PARALLEL_THRESHOLD {
        return items.iter().map(f).collect();
    }
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(2, 32)
        .min(items.len());
    let next = AtomicUsize::new(0);
    let parts: Vec<Vec<(usize, R)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                stack_thread()
                    .spawn_scoped(s, || {
                        let mut done = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(item) = items.get(i) else { break };
                            done.push((i, f(item)));
                        }
                        done
                    })
                    .expect("cannot start a worker thread")
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    let mut slots: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    for (i, r) in parts.into_iter().flatten() {
        slots[i] = Some(r);
    }
    slots.into_iter().flatten().collect()
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
