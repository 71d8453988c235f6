//! Word-level analysis: literal values and command substitutions.
//!
//! Words are split into pieces by `brush_parser::word::parse`, whose piece
//! positions are byte offsets into the word text.

use brush_parser::word::{self, WordPiece, WordPieceWithSource};
use brush_parser::ParserOptions;

use super::{CompactString, Opaque};

/// Characters that make a word more than plain text (besides the pattern
/// characters, which [`is_pattern`] checks).
const SPECIAL: [char; 6] = ['\'', '"', '\\', '$', '`', '~'];

/// A command substitution found inside a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Substitution {
    /// Byte offset of the substituted command text within the word.
    pub start: usize,
    /// Byte length of the substituted command text.
    pub len: usize,
}

/// What a word holds.
#[derive(Debug, Default)]
pub(super) struct WordInfo {
    pub literal: Option<CompactString>,
    pub substitutions: Vec<Substitution>,
}

/// Splits `raw` into pieces and computes its literal value and the command
/// substitutions it holds. `assignment` enables the tilde rules of
/// assignment values (`A=~/x` expands).
pub(super) fn analyze(
    raw: &str,
    assignment: bool,
    options: &ParserOptions,
) -> Result<WordInfo, Opaque> {
    // Most words are plain; they need no splitting.
    // A byte test (the characters are ASCII), not a search per character.
    if !raw.is_empty() && !raw.bytes().any(|b| SPECIAL.contains(&char::from(b))) {
        let literal = (!assignment || !raw.contains('~')) && !is_pattern(raw);
        return Ok(WordInfo {
            literal: literal.then(|| CompactString::new(raw)),
            substitutions: Vec::new(),
        });
    }
    let pieces = super::brush::guarded(|| {
        word::parse(raw, options).map_err(|e| Opaque {
            reason: format!("cannot split word `{raw}`: {e}"),
        })
    })?;
    // The pieces must tile the word exactly, or positions are not trustworthy.
    let mut at = 0;
    for p in &pieces {
        if p.start_index != at || p.end_index < p.start_index || p.end_index > raw.len() {
            return Err(Opaque {
                reason: format!("word pieces do not tile `{raw}`"),
            });
        }
        at = p.end_index;
    }
    if at != raw.len() {
        return Err(Opaque {
            reason: format!("word pieces do not cover `{raw}`"),
        });
    }

    let mut lit = Literal::default();
    let mut substitutions = Vec::new();
    for p in &pieces {
        piece(raw, p, false, &mut lit, &mut substitutions, options)?;
    }
    let literal = lit.finish(assignment);
    Ok(WordInfo {
        literal,
        substitutions,
    })
}

/// Accumulates the literal value of a word.
#[derive(Default)]
struct Literal {
    value: String,
    /// Unquoted characters, with `\0` where quoted or expanded text sat;
    /// used to spot globs, brace expansions and tildes.
    unquoted: String,
    expanded: bool,
}

impl Literal {
    fn unquoted_text(&mut self, s: &str) {
        self.value.push_str(s);
        self.unquoted.push_str(s);
    }

    fn quoted_text(&mut self, s: &str) {
        self.value.push_str(s);
        self.unquoted.push('\0');
    }

    fn finish(self, assignment: bool) -> Option<CompactString> {
        if self.expanded || is_pattern(&self.unquoted) {
            return None;
        }
        if assignment && self.unquoted.contains('~') {
            return None;
        }
        Some(CompactString::new(&self.value))
    }
}

/// Whether unquoted text would be expanded as a glob or (in shells that
/// have it) a brace expansion.
fn is_pattern(unquoted: &str) -> bool {
    // A byte test first (the characters are ASCII): most words have none.
    if !unquoted
        .bytes()
        .any(|b| matches!(b, b'*' | b'?' | b'[' | b'{'))
    {
        return false;
    }
    if unquoted.contains(['*', '?']) {
        return true;
    }
    if let Some(open) = unquoted.find('[') {
        if unquoted[open + 1..].contains(']') {
            return true;
        }
    }
    if let Some(open) = unquoted.find('{') {
        if let Some(close) = unquoted[open + 1..].rfind('}') {
            let inner = &unquoted[open + 1..open + 1 + close];
            if inner.contains(',') || inner.contains("..") {
                return true;
            }
        }
    }
    false
}

/// Adds piece `p` of word `raw` to the literal and lists the command
/// substitutions it holds.
fn piece(
    raw: &str,
    p: &WordPieceWithSource,
    in_double_quotes: bool,
    lit: &mut Literal,
    subs: &mut Vec<Substitution>,
    options: &ParserOptions,
) -> Result<(), Opaque> {
    match &p.piece {
        WordPiece::Text(s) => text(s, in_double_quotes, lit),
        WordPiece::SingleQuotedText(s) => lit.quoted_text(s),
        WordPiece::AnsiCQuotedText(s) => {
            ansi_c_quoted(s)?;
            lit.expanded = true;
        }
        WordPiece::DoubleQuotedSequence(inner) => {
            double_quoted(raw, p, inner, lit, subs, options)?;
        }
        WordPiece::GettextDoubleQuotedSequence(inner) => {
            // `$"…"`: its pieces are checked to lie inside it, as those of
            // `"…"` are; the value is bash's translation, not the text.
            double_quoted(raw, p, inner, lit, subs, options)?;
            lit.expanded = true;
        }
        WordPiece::EscapeSequence(s) => escape(s, lit),
        WordPiece::TildeExpansion(_) | WordPiece::ParameterExpansion(_) => {
            // Command substitutions inside `${x:-$(cmd)}` are not listed.
            lit.expanded = true;
        }
        WordPiece::CommandSubstitution(c) => {
            lit.expanded = true;
            subs.push(command_substitution(raw, p, c)?);
        }
        WordPiece::BackquotedCommandSubstitution(c) => {
            lit.expanded = true;
            subs.push(backquoted_substitution(raw, p, c)?);
        }
        WordPiece::ArithmeticExpression(e) => {
            lit.expanded = true;
            arithmetic_substitutions(raw, p, &e.value, subs, options);
        }
    }
    Ok(())
}

/// Plain text; inside double quotes a line continuation is removed by the
/// shell, so the text is no longer the literal value.
fn text(s: &str, in_double_quotes: bool, lit: &mut Literal) {
    if in_double_quotes {
        if s.contains("\\\n") {
            lit.expanded = true;
        }
        lit.quoted_text(s);
    } else {
        lit.unquoted_text(s);
    }
}

/// `$'…'` is not POSIX: dash reads it as `$` and a quoted string. A `\'`
/// inside makes the two readings disagree on where the word ends.
fn ansi_c_quoted(s: &str) -> Result<(), Opaque> {
    if s.contains("\\'") {
        return Err(Opaque {
            reason: "ANSI-C quoted string with an escaped quote".into(),
        });
    }
    Ok(())
}

/// `"…"`: each inner piece, which must lie inside the quotes.
fn double_quoted(
    raw: &str,
    p: &WordPieceWithSource,
    inner: &[WordPieceWithSource],
    lit: &mut Literal,
    subs: &mut Vec<Substitution>,
    options: &ParserOptions,
) -> Result<(), Opaque> {
    if inner.is_empty() {
        lit.quoted_text("");
    }
    for q in inner {
        if q.start_index < p.start_index || q.end_index > p.end_index {
            return Err(Opaque {
                reason: format!("word pieces nest badly in `{raw}`"),
            });
        }
        piece(raw, q, true, lit, subs, options)?;
    }
    Ok(())
}

/// `\c` stands for `c`; a line continuation vanishes.
fn escape(s: &str, lit: &mut Literal) {
    let mut chars = s.chars();
    if chars.next() != Some('\\') {
        lit.expanded = true;
        return;
    }
    match chars.next() {
        Some('\n') => lit.quoted_text(""),
        Some(c) => {
            let mut buf = [0u8; 4];
            lit.quoted_text(c.encode_utf8(&mut buf));
        }
        None => lit.expanded = true,
    }
}

/// `$(cmd)`, checked to sit where brush says it does.
fn command_substitution(
    raw: &str,
    p: &WordPieceWithSource,
    c: &str,
) -> Result<Substitution, Opaque> {
    let start = p.start_index + 2;
    if raw.get(start..start + c.len()) != Some(c)
        || !raw
            .get(p.start_index..)
            .is_some_and(|r| r.starts_with("$("))
    {
        return Err(Opaque {
            reason: format!("cannot locate command substitution in `{raw}`"),
        });
    }
    Ok(Substitution {
        start,
        len: c.len(),
    })
}

/// `` `cmd` ``, checked to sit where brush says it does. A backslash inside
/// is unescaped by the shell before the command is read, so the text is not
/// the command.
fn backquoted_substitution(
    raw: &str,
    p: &WordPieceWithSource,
    c: &str,
) -> Result<Substitution, Opaque> {
    let start = p.start_index + 1;
    let end = p.end_index.saturating_sub(1);
    let inner = raw.get(start..end).unwrap_or_default();
    if inner.contains('\\') {
        return Err(Opaque {
            reason: "backslash inside backquoted command substitution".into(),
        });
    }
    if inner != c || !raw.get(p.start_index..).is_some_and(|r| r.starts_with('`')) {
        return Err(Opaque {
            reason: format!("cannot locate backquoted substitution in `{raw}`"),
        });
    }
    Ok(Substitution {
        start,
        len: c.len(),
    })
}

/// `$(( … ))`: substitutions inside the expression are still run. They are
/// listed when the expression can be split and located; otherwise none are.
fn arithmetic_substitutions(
    raw: &str,
    p: &WordPieceWithSource,
    expr: &str,
    subs: &mut Vec<Substitution>,
    options: &ParserOptions,
) {
    let piece_text = raw.get(p.start_index..p.end_index).unwrap_or_default();
    let start = p.start_index + 3;
    if !piece_text.starts_with("$((") || raw.get(start..start + expr.len()) != Some(expr) {
        return;
    }
    let Ok(inner) = super::brush::guarded(|| {
        word::parse(expr, options).map_err(|_| Opaque {
            reason: String::new(),
        })
    }) else {
        return;
    };
    let mut ignored = Literal::default();
    let mut found = Vec::new();
    for q in &inner {
        // Positions here are relative to the expression text.
        if piece(expr, q, false, &mut ignored, &mut found, options).is_err() {
            found.clear();
            break;
        }
    }
    subs.extend(found.into_iter().map(|s| Substitution {
        start: s.start + start,
        len: s.len,
    }));
}
