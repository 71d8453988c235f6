//! Lexing: brush's tokens checked against the source and given byte
//! positions ([`lex`]). Also rejects here-documents, comments with code
//! after them, `&>` and `((` — text whose meaning depends on the shell.

use std::ops::Range;

use brush_parser::Token;

use super::opaque;
use crate::shell::Opaque;

/// A token with verified byte positions (relative to the text it was
/// lexed from).
#[derive(Debug)]
pub(super) struct Tok<'b> {
    pub(super) operator: bool,
    pub(super) value: &'b str,
    /// Byte range of the token's own text.
    pub(super) start: usize,
    pub(super) end: usize,
    /// brush's character indices, used to match AST nodes to tokens.
    pub(super) char_start: usize,
    pub(super) char_end: usize,
}

impl Tok<'_> {
    pub(super) fn is_op(&self, s: &str) -> bool {
        self.operator && self.value == s
    }

    pub(super) fn is_word(&self, s: &str) -> bool {
        !self.operator && self.value == s
    }
}

/// The lexed form of one text.
pub(super) struct Lexed<'b> {
    pub(super) toks: Vec<Tok<'b>>,
    /// A comment, relative to the text; always runs to its end.
    pub(super) comment: Option<Range<usize>>,
}

/// Maps brush's character indices to byte offsets.
struct CharMap {
    /// `None` for ASCII text, where the two coincide.
    offsets: Option<Vec<usize>>,
    len: usize,
}

impl CharMap {
    fn new(text: &str) -> Self {
        let offsets = (!text.is_ascii()).then(|| {
            let mut v: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            v.push(text.len());
            v
        });
        CharMap {
            offsets,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> Result<usize, Opaque> {
        let b = match &self.offsets {
            None => Some(char_index),
            Some(v) => v.get(char_index).copied(),
        };
        match b {
            Some(b) if b <= self.len => Ok(b),
            _ => opaque("token position past the end of the text"),
        }
    }
}

/// Equality of a source slice and a token value, where the tokenizer may
/// have turned a tab inside `$( … )` into a space.
fn same_text(slice: &str, value: &str) -> bool {
    slice.len() == value.len()
        && slice
            .bytes()
            .zip(value.bytes())
            .all(|(a, b)| a == b || (a == b'\t' && b == b' '))
}

/// Checks that `gap` holds only blanks, line continuations and at most a
/// comment, returning the comment's offset within `gap`.
fn check_gap(gap: &str) -> Result<Option<usize>, Opaque> {
    let bytes = gap.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b' ' | b'\t' => i += 1,
            b'\\' if bytes.get(i + 1) == Some(&b'\n') => i += 2,
            b'#' => {
                return if gap[i..].contains('\n') {
                    opaque("comment followed by more text")
                } else {
                    Ok(Some(i))
                };
            }
            _ => return opaque(format!("unexpected text `{}` between tokens", gap.trim())),
        }
    }
    Ok(None)
}

/// Checks brush's tokens against the text and gives them byte positions.
pub(super) fn lex<'b>(text: &str, brush: &'b [Token]) -> Result<Lexed<'b>, Opaque> {
    let map = CharMap::new(text);
    let mut toks = Vec::with_capacity(brush.len());
    let mut prev_end = 0;
    for t in brush {
        let (operator, value) = match t {
            Token::Operator(v, _) => (true, v),
            Token::Word(v, _) => (false, v),
        };
        if operator && (value == "<<" || value == "<<-") {
            return opaque("here-document");
        }
        let loc = t.location();
        let (char_start, char_end) = (loc.start.index, loc.end.index);
        if char_end < char_start {
            return opaque("token positions out of order");
        }
        let (bs, be) = (map.byte(char_start)?, map.byte(char_end)?);
        if bs < prev_end {
            return opaque("token positions out of order");
        }
        let slice = &text[bs..be];
        // The tokenizer starts a token where the previous one ended, after
        // blanks; a skipped comment or line continuation stays in front.
        let start = if same_text(slice, value) {
            bs
        } else if slice.len() > value.len()
            && slice.is_char_boundary(slice.len() - value.len())
            && same_text(&slice[slice.len() - value.len()..], value)
        {
            be - value.len()
        } else {
            return opaque(format!("token `{value}` does not match its text"));
        };
        if value.is_empty() {
            return opaque("empty token");
        }
        // A comment must run to the end of the text (that is what callers
        // rely on); one that stops at a newline has code after it.
        if check_gap(&text[prev_end..start])?.is_some() {
            return opaque("comment followed by more text");
        }
        if let Some(last) = toks.last() {
            let last: &Tok = last;
            if last.is_op("&") && operator && value.starts_with('>') && last.end == start {
                // `&>` redirects in bash and busybox but backgrounds in dash.
                return opaque("`&>` means different things in different shells");
            }
            if last.is_op("(") && operator && value == "(" && last.end == start {
                // `((` is arithmetic in bash, nested subshells in dash.
                return opaque("`((` means different things in different shells");
            }
        }
        toks.push(Tok {
            operator,
            value,
            start,
            end: be,
            char_start,
            char_end,
        });
        prev_end = be;
    }
    let comment = check_gap(&text[prev_end..])?.map(|at| prev_end + at..text.len());
    Ok(Lexed { toks, comment })
}
