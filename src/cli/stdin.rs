//! Stdin as a filter: its settings, reading it, and running a command on it
//! with a panic turned into an internal error.

use super::*;

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
pub(super) fn guarded<F>(name: &str, src: &str, f: F) -> (Result<Filtered, String>, ExitStatus)
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
