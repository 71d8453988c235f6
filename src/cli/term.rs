//! The terminal: stdout and stderr, colour, and fatal messages.

use super::*;

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
    /// Whether stdout shows styles (else [`Term::out`] strips them): text
    /// made for it only may leave them out.
    pub fn styles_out(&self) -> bool {
        self.out.current_choice() != anstream::ColorChoice::Never
    }
    /// Styled text to stdout.
    pub fn out(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        if self.styles_out() {
            let _ = self.out.write_all(s.as_bytes());
            return;
        }
        // Stripped: the stripping stream hands stdout each piece of text
        // and each line end apart, and stdout writes at every line end,
        // so a diff of 1 MB took 76k writes. The same pieces, buffered.
        let _ = self.out.flush();
        let mut w = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
        // Printable ASCII and whitespace is all kept: no escape to strip.
        if s.bytes()
            .all(|b| matches!(b, b' '..=b'~' | b'\t' | b'\n' | b'\r' | b'\x0c'))
        {
            let _ = w.write_all(s.as_bytes());
        } else {
            for piece in anstream::adapter::strip_str(s) {
                let _ = w.write_all(piece.as_bytes());
            }
        }
        let _ = w.flush();
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
