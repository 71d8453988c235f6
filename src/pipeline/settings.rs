//! What the pipeline is given: the settings (which transforms run, which
//! fixes apply), the source text, and the errors it reports.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::edit::Applicability;
use crate::syntax::ParseError;
use crate::transform::Transform;
use crate::transforms;

/// Which transforms run and which fixes apply.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Codes, names, code prefixes or `ALL`. Empty: every transform.
    pub select: Vec<String>,
    /// Codes, names, code prefixes or `ALL` to leave out.
    pub ignore: Vec<String>,
    /// Apply unsafe fixes too.
    pub unsafe_fixes: bool,
    /// Options transforms read (cache style, target builder, format).
    pub config: crate::config::Config,
    /// The build context (`--context`, `context = …`); `None`: the
    /// Dockerfile's folder, read for hints only.
    pub context: Option<PathBuf>,
    /// The largest input read (`max-file-size`); `None`:
    /// [`crate::fsutil::DEFAULT_MAX_FILE_SIZE`].
    pub max_file_size: Option<u64>,
}

/// A Dockerfile's text and, when it is a file, its path (transforms read the
/// build context next to it; see [`crate::buildctx`]).
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub text: &'a str,
    pub path: Option<&'a Path>,
}

impl<'a> Source<'a> {
    pub fn new(text: &'a str, path: Option<&'a Path>) -> Source<'a> {
        Source { text, path }
    }
}

impl<'a> From<&'a str> for Source<'a> {
    fn from(text: &'a str) -> Self {
        Source { text, path: None }
    }
}

impl<'a> From<&'a String> for Source<'a> {
    fn from(text: &'a String) -> Self {
        Source { text, path: None }
    }
}

impl Settings {
    /// The largest input read, in bytes.
    pub fn max_file_size(&self) -> u64 {
        self.max_file_size
            .unwrap_or(crate::fsutil::DEFAULT_MAX_FILE_SIZE)
    }

    pub(super) fn min_applicability(&self) -> Applicability {
        if self.unsafe_fixes {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        }
    }

    /// The selected transforms, in registry order.
    pub fn transforms(&self) -> Vec<&'static dyn Transform> {
        transforms::ALL
            .iter()
            .copied()
            .filter(|t| {
                let m = t.meta();
                (self.select.is_empty() || self.select.iter().any(|s| selector_matches(s, m)))
                    && !self.ignore.iter().any(|s| selector_matches(s, m))
            })
            .collect()
    }
}

/// `ALL`, a code (`DS001`), a code prefix (`DS0`), or a name (`merge-runs`).
pub fn selector_matches(sel: &str, m: &crate::transform::Meta) -> bool {
    sel.eq_ignore_ascii_case("all")
        || sel.eq_ignore_ascii_case(m.name)
        || (sel.len() >= 2
            && m.code.len() >= sel.len()
            && m.code[..sel.len()].eq_ignore_ascii_case(sel))
}

/// Whether a selector names any known transform (for CLI validation).
pub fn selector_is_known(sel: &str) -> bool {
    transforms::ALL
        .iter()
        .any(|t| selector_matches(sel, t.meta()))
}

/// Errors the pipeline reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The input does not parse.
    Parse(ParseError),
    /// A transform produced a broken file or never settled.
    Internal {
        transforms: Vec<&'static str>,
        message: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Parse(e) => write!(f, "{e}"),
            Error::Internal {
                transforms,
                message,
            } => write!(
                f,
                "internal error in {}: {message}; file left unchanged (please report this bug)",
                transforms.join(", ")
            ),
        }
    }
}

impl std::error::Error for Error {}
