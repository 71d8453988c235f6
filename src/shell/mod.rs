//! Shell view of RUN bodies.
//!
//! `parse` takes the *joined* command text of a shell-form RUN (what
//! BuildKit hands to `/bin/sh -c`) and returns its structure with byte
//! spans into that text. Callers map spans to the file through
//! `syntax::Logical`. When unsure, `parse` returns `Opaque` and transforms
//! leave the RUN alone.
//!
//! The text is read as POSIX sh (what `/bin/sh` is on Debian, Ubuntu and
//! Alpine) with `brush-parser`; see `convert` for how its character-based
//! positions become byte spans and how they are checked.
//!
//! Opaque on purpose: here-documents (any `<<` in the text, even quoted or
//! arithmetic), comments with code after them (a newline in the text),
//! syntax bash reads differently (`[[ ]]`, `((`, `&>`, `|&`, `<( )`,
//! `function`, `select`, `coproc`, arrays, `a | ! b`), backslashes inside
//! backquotes, `$'…\'…'`, and any token whose text does not match the
//! source exactly. Panics inside brush-parser are caught and made opaque.
//!
//! Not listed in [`Script::commands`]: commands inside parameter expansions
//! such as `${x:-$(cmd)}`.

use std::ops::Range;

pub use compact_str::CompactString;

mod brush;
mod convert;
mod simple;
mod words;

#[cfg(test)]
mod tests;

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
    /// The word as written (quotes and expansions kept). Words are short:
    /// held inline up to 24 bytes, as is `literal` (a RUN of 270k
    /// commands had a million words, two heap strings each).
    pub raw: CompactString,
    /// Its value when it holds no expansion (`$x`, `$(..)`, globs are
    /// expansions; quotes are removed): `"-y"` → `-y`. For an assignment it
    /// is the whole word: `A="b c"` → `A=b c`.
    pub literal: Option<CompactString>,
}

impl Word {
    /// Whether the word is exactly the literal `s`.
    pub fn is(&self, s: &str) -> bool {
        self.literal.as_deref() == Some(s)
    }
}

/// A simple command anywhere in the script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimpleCommand {
    pub span: Range<usize>,
    /// `FOO=bar` prefixes. (The lists of a view are boxed slices, of their
    /// exact length and 8 bytes smaller than a `Vec`: a view is kept for a
    /// whole pass, and a merged RUN has 270k commands.)
    pub assignments: Box<[Word]>,
    /// Command name and arguments, redirections excluded. Later `A=1`
    /// words (`export A=1`) are arguments, not assignments.
    pub words: Box<[Word]>,
    /// Runs in a child shell, so it cannot change the calling shell's state:
    /// inside `( … )`, `$( … )` or backticks.
    pub isolated: bool,
}

impl SimpleCommand {
    /// The command name when it is a literal (`None` for a bare assignment
    /// or a computed name).
    pub fn name(&self) -> Option<&str> {
        self.words.first()?.literal.as_deref()
    }
}

/// A top-level and-or list (`a && b || c`), one item of the script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub span: Range<usize>,
    /// Operators inside the and-or list (`&&`, `||`), in order.
    pub and_or: Box<[(Op, Range<usize>)]>,
    /// The separator after the item (`;`, `&`, newline), if any; a trailing
    /// `;` at the end of the text is one.
    pub terminator: Option<(Op, Range<usize>)>,
}

/// A parsed command text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    pub items: Box<[Item]>,
    pub commands: Box<[SimpleCommand]>,
    /// Every `|` at top level (inside an item's pipelines), not those
    /// inside groups, subshells or substitutions.
    pub pipes: Box<[Range<usize>]>,
    /// A `#` comment outside quotes, from `#` to end of text. A comment that
    /// stops at a newline with more text after it makes the text opaque.
    pub comment: Option<Range<usize>>,
    /// A function is defined anywhere in the text.
    pub has_function_def: bool,
}

/// Parses a POSIX sh command text.
pub fn parse(text: &str) -> Result<Script, Opaque> {
    #[cfg(test)]
    PARSES.with(|n| n.set(n.get() + 1));
    convert::parse(text)
}

#[cfg(test)]
thread_local! {
    /// Shell parses on this thread, for the one-parse-per-RUN test.
    static PARSES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// How many times [`parse`] ran on this thread (tests only).
#[cfg(test)]
pub(crate) fn parse_count() -> usize {
    PARSES.with(|n| n.get())
}
