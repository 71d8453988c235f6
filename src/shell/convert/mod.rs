//! From brush-parser's tokens and AST to [`Script`].
//!
//! brush-parser reports positions as character indices and leaves many
//! nodes (`&&`, `||`, redirections, `fi`) without a position of their own.
//! So positions come from the token stream, never from node spans: every
//! AST word is matched back to its token by start index, operators are the
//! tokens that sit between the tokens of their operands, and every token's
//! text is checked against the source slice it claims before it is used.
//! Anything that does not line up makes the text opaque.
//!
//! Parts: `limits` (checks before brush sees the text), `lex` (tokens
//! given verified byte positions), `walk` (the AST walk: lists, pipelines,
//! simple commands, words) and `compound` (compound commands).

mod compound;
mod lex;
mod limits;
mod walk;

use brush_parser::ParserOptions;

use super::brush::options;
use super::{Opaque, Script};
use limits::oversized_io_number;
pub use limits::{nesting_depth, openers_at_most, MAX_NESTING};
use walk::parse_text;

pub(super) fn opaque<T>(reason: impl Into<String>) -> Result<T, Opaque> {
    Err(Opaque {
        reason: reason.into(),
    })
}

pub(super) fn parse(text: &str) -> Result<Script, Opaque> {
    // Each level takes a byte at least: a short text is not scanned, nor
    // one with few openers.
    let depth = if text.len() <= MAX_NESTING || openers_at_most(text, MAX_NESTING) {
        0
    } else {
        nesting_depth(text)
    };
    if depth > MAX_NESTING {
        return opaque(format!(
            "nested {depth} levels deep (more than {MAX_NESTING}): too deep to read safely"
        ));
    }
    let options = options();
    if !oversized_io_number(text) {
        if let Some(s) = super::simple::parse(text, &options) {
            return Ok(s);
        }
    }
    read(text, &options)
}

/// [`parse`] without the fast path: always brush-parser.
#[cfg(test)]
pub(super) fn parse_with_brush(text: &str) -> Result<Script, Opaque> {
    let depth = nesting_depth(text);
    if depth > MAX_NESTING {
        return opaque(format!(
            "nested {depth} levels deep (more than {MAX_NESTING}): too deep to read safely"
        ));
    }
    read(text, &options())
}

/// Reads `text` with brush-parser.
fn read(text: &str, options: &ParserOptions) -> Result<Script, Opaque> {
    let mut commands = Vec::new();
    let mut has_function_def = false;
    let parts = parse_text(
        text,
        0,
        false,
        0,
        options,
        &mut commands,
        &mut has_function_def,
    )?;
    // Commands of substitutions are found while their outer command is
    // still being read; restore source order. An outer command starts
    // before anything nested in it.
    commands.sort_by_key(|c| c.span.start);
    Ok(Script {
        items: parts.items.into(),
        commands: commands.into(),
        pipes: parts.pipes.into(),
        comment: parts.comment,
        has_function_def,
    })
}
