//! The error messages of a failed comparison.

use super::*;

pub(super) fn with_tail(
    mut s: String,
    builder: &str,
    tail: &str,
    log: Option<&std::path::Path>,
) -> String {
    if !tail.is_empty() {
        s.push_str(&format!("  last lines of the {builder} output:\n"));
        for l in tail.lines() {
            s.push_str(&format!("  | {l}\n"));
        }
    }
    if let Some(p) = log {
        s.push_str(&format!("  full log: {}\n", p.display()));
    }
    s
}

/// `path: error: …` lines for a failed comparison.
pub fn error(path: &str, e: &Error) -> String {
    match e {
        Error::Input(m) | Error::NoBuilder(m) => text::error(path, m),
        Error::Pipeline(p) => crate::cli::fix::error_text(path, p),
        Error::OriginalFailed {
            builder,
            message,
            log_tail,
            log,
        } => with_tail(
            text::error(
                path,
                &format!(
                    "the original Dockerfile does not build ({message}); \
                     fix it first, dslim compared nothing"
                ),
            ),
            builder,
            log_tail,
            log.as_deref(),
        ),
        Error::FixedFailed {
            builder,
            applied: codes,
            message,
            log_tail,
            log,
        } => {
            let head = format!(
                "{} the original builds but the FIXED Dockerfile does not ({message}). \
                 This is a bug in a dslim transform; fixes applied: {}. \
                 Please report it with the Dockerfile (see the changes with `dslim fix {path}`; \
                 leave them out with `--ignore CODE`).",
                paint(RED_BOLD, "BUG:"),
                if codes.is_empty() {
                    "none".to_string()
                } else {
                    applied(codes)
                }
            );
            with_tail(text::error(path, &head), builder, log_tail, log.as_deref())
        }
        Error::Builder { message, log_tail } => {
            with_tail(text::error(path, message), "builder", log_tail, None)
        }
    }
}
