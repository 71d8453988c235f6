//! Shell view of RUN bodies (INTERFACE — implementation in progress).
//!
//! `parse` takes the *joined* command text of a shell-form RUN (what
//! BuildKit hands to `/bin/sh -c`) and returns its structure with byte
//! spans into that text. Callers map spans to the file through
//! `syntax::Logical`. When unsure, `parse` returns `Opaque` and transforms
//! leave the RUN alone.

use std::ops::Range;

/// Why a command text could not be viewed with confidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opaque {
    pub reason: String,
}

/// Operators between commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `&&`
    And,
    /// `||`
    Or,
    /// `;`
    Semi,
    /// `&`
    Amp,
    /// `|` (or `|&`)
    Pipe,
    /// A newline used as a separator.
    Newline,
}

/// A shell word with its span in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub span: Range<usize>,
    /// The word as written (quotes and expansions kept).
    pub raw: String,
    /// Its value when it holds no expansion (`$x`, `$(..)`, globs are
    /// expansions; quotes are removed): `"-y"` → `-y`.
    pub literal: Option<String>,
}

/// A simple command anywhere in the script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimpleCommand {
    pub span: Range<usize>,
    /// `FOO=bar` prefixes.
    pub assignments: Vec<Word>,
    /// Command name and arguments, redirections excluded.
    pub words: Vec<Word>,
    /// Runs in a child shell, so it cannot change the calling shell's state:
    /// inside `( … )`, `$( … )` or backticks.
    pub isolated: bool,
}

/// A top-level and-or list (`a && b || c`), one item of the script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub span: Range<usize>,
    /// Operators inside the and-or list (`&&`, `||`), in order.
    pub and_or: Vec<(Op, Range<usize>)>,
    /// The separator after the item (`;`, `&`, newline), if any.
    pub terminator: Option<(Op, Range<usize>)>,
}

/// A parsed command text.
#[derive(Debug, Clone)]
pub struct Script {
    pub items: Vec<Item>,
    pub commands: Vec<SimpleCommand>,
    /// Every `|` at top level (inside an item's pipelines).
    pub pipes: Vec<Range<usize>>,
    /// A `#` comment outside quotes, from `#` to end of text.
    pub comment: Option<Range<usize>>,
    pub has_function_def: bool,
}

/// Parses a POSIX sh command text.
pub fn parse(_text: &str) -> Result<Script, Opaque> {
    Err(Opaque {
        reason: "shell view not implemented yet".into(),
    })
}
