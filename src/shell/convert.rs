//! From brush-parser's tokens and AST to [`Script`].
//!
//! brush-parser reports positions as character indices and leaves many
//! nodes (`&&`, `||`, redirections, `fi`) without a position of their own.
//! So positions come from the token stream, never from node spans: every
//! AST word is matched back to its token by start index, operators are the
//! tokens that sit between the tokens of their operands, and every token's
//! text is checked against the source slice it claims before it is used.
//! Anything that does not line up makes the text opaque.

use std::ops::Range;

use brush_parser::ast::{self, AndOr, Command, CompoundCommand, CompoundList};
use brush_parser::{ParserOptions, Token};

use super::brush::{guarded, options, tokenize};
use super::words::{self, WordInfo};
use super::{Item, Op, Opaque, Script, SimpleCommand, Word};

/// Deepest nesting of command substitutions that is followed.
const MAX_DEPTH: usize = 16;

/// Deepest nesting of any kind (subshells, groups, substitutions, `if`,
/// loops, `case`, `${…}`) handed to brush-parser, which recurses once or
/// more per level: 400 levels overflow a 2 MiB thread stack. Real RUN
/// bodies nest a handful of levels.
pub const MAX_NESTING: usize = 32;

/// An upper estimate of how deeply `text` nests: every `(`, `{`, `if`,
/// `while`, `until`, `for`, `case` and backquote opens a level, `)`, `}`,
/// `fi`, `done`, `esac` close one. Quotes are not interpreted, so a quoted
/// bracket counts too: the estimate can only be too high, which makes a
/// text opaque, never one brush-parser cannot take.
pub fn nesting_depth(text: &str) -> usize {
    let b = text.as_bytes();
    let (mut depth, mut max) = (0usize, 0usize);
    let mut in_backquote = false;
    let mut i = 0;
    let boundary = |c: Option<&u8>| {
        c.is_none_or(|c| matches!(c, b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'(' | b')'))
    };
    while i < b.len() {
        let c = b[i];
        match c {
            b'(' | b'{' => depth += 1,
            b')' | b'}' => depth = depth.saturating_sub(1),
            b'`' if i > 0 && b[i - 1] == b'\\' => depth += 1,
            b'`' => {
                if in_backquote {
                    depth = depth.saturating_sub(1);
                } else {
                    depth += 1;
                }
                in_backquote = !in_backquote;
            }
            b'a'..=b'z' if i == 0 || boundary(b.get(i - 1)) => {
                let end = b[i..]
                    .iter()
                    .position(|c| !c.is_ascii_lowercase())
                    .map_or(b.len(), |n| i + n);
                if boundary(b.get(end)) {
                    match &text[i..end] {
                        "if" | "while" | "until" | "for" | "case" => depth += 1,
                        "fi" | "done" | "esac" => depth = depth.saturating_sub(1),
                        _ => {}
                    }
                }
                max = max.max(depth);
                i = end;
                continue;
            }
            _ => {}
        }
        max = max.max(depth);
        i += 1;
    }
    max
}

fn opaque<T>(reason: impl Into<String>) -> Result<T, Opaque> {
    Err(Opaque {
        reason: reason.into(),
    })
}

/// A token with verified byte positions (relative to the text it was
/// lexed from).
#[derive(Debug)]
struct Tok<'b> {
    operator: bool,
    value: &'b str,
    /// Byte range of the token's own text.
    start: usize,
    end: usize,
    /// brush's character indices, used to match AST nodes to tokens.
    char_start: usize,
    char_end: usize,
}

impl Tok<'_> {
    fn is_op(&self, s: &str) -> bool {
        self.operator && self.value == s
    }

    fn is_word(&self, s: &str) -> bool {
        !self.operator && self.value == s
    }
}

/// The lexed form of one text.
struct Lexed<'b> {
    toks: Vec<Tok<'b>>,
    /// A comment, relative to the text; always runs to its end.
    comment: Option<Range<usize>>,
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
fn lex<'b>(text: &str, brush: &'b [Token]) -> Result<Lexed<'b>, Opaque> {
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

/// What one text parses into, with spans made absolute.
struct Parts {
    items: Vec<Item>,
    pipes: Vec<Range<usize>>,
    comment: Option<Range<usize>>,
}

/// Token ranges (inclusive) of an and-or list and its operators.
struct AndOrTokens {
    first: usize,
    last: usize,
    ops: Vec<(Op, usize)>,
    pipes: Vec<usize>,
}

struct Walker<'a> {
    text: &'a str,
    /// Absolute offset of `text` in the text given to [`parse`].
    base: usize,
    toks: &'a [Tok<'a>],
    options: &'a ParserOptions,
    depth: usize,
    commands: &'a mut Vec<SimpleCommand>,
    has_function_def: &'a mut bool,
}

pub(super) fn parse(text: &str) -> Result<Script, Opaque> {
    let depth = nesting_depth(text);
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
        items: parts.items,
        commands,
        pipes: parts.pipes,
        comment: parts.comment,
        has_function_def,
    })
}

#[allow(clippy::too_many_arguments)]
/// A run of more than 9 digits directly before `<` or `>`: an I/O number
/// no shell accepts, and one brush-parser cannot hold.
fn oversized_io_number(text: &str) -> bool {
    let b = text.as_bytes();
    let mut run = 0;
    for &c in b {
        match c {
            b'0'..=b'9' => run += 1,
            b'<' | b'>' if run > 9 => return true,
            _ => run = 0,
        }
    }
    false
}

fn parse_text(
    text: &str,
    base: usize,
    isolated: bool,
    depth: usize,
    options: &ParserOptions,
    commands: &mut Vec<SimpleCommand>,
    has_function_def: &mut bool,
) -> Result<Parts, Opaque> {
    if depth > MAX_DEPTH {
        return opaque("command substitutions nested too deeply");
    }
    if text.contains("<<") {
        // Here-documents are opaque anyway, and brush's tokenizer can run
        // out of memory on an unterminated one inside `$( … )`.
        return opaque("here-document (`<<`)");
    }
    if oversized_io_number(text) {
        // brush-parser unwraps the parse of an I/O number (`99999999999<x`)
        // into its integer type and panics on overflow.
        return opaque("file descriptor number too large");
    }
    let brush = tokenize(text, options)?;
    let lexed = lex(text, &brush)?;
    if depth > 0 && lexed.comment.is_some() {
        return opaque("comment inside a command substitution");
    }
    let program = guarded(|| {
        brush_parser::parse_tokens(&brush, options).map_err(|e| Opaque {
            reason: format!("shell syntax: {e}"),
        })
    })?;
    let toks = &lexed.toks;
    let mut walker = Walker {
        text,
        base,
        toks,
        options,
        depth,
        commands,
        has_function_def,
    };

    let mut items = Vec::new();
    let mut pipes = Vec::new();
    // Which tokens the items (and their terminators) account for.
    let mut covered = vec![false; toks.len()];
    for list in &program.complete_commands {
        for ast::CompoundListItem(and_or, sep) in &list.0 {
            let r = walker.and_or(and_or, isolated)?;
            covered[r.first..=r.last].iter_mut().for_each(|c| *c = true);
            let terminator = match toks.get(r.last + 1) {
                Some(t) if t.is_op(";") => Some(Op::Semi),
                Some(t) if t.is_op("&") => Some(Op::Amp),
                Some(t) if t.is_op("\n") => Some(Op::Newline),
                Some(t) => return opaque(format!("unexpected `{}` after a command", t.value)),
                None => None,
            };
            let async_sep = matches!(sep, ast::SeparatorOperator::Async);
            if async_sep != (terminator == Some(Op::Amp)) {
                return opaque("separator does not match the parsed list");
            }
            let terminator = terminator.map(|op| {
                covered[r.last + 1] = true;
                (op, walker.span(r.last + 1, r.last + 1))
            });
            items.push(Item {
                span: walker.span(r.first, r.last),
                and_or: r
                    .ops
                    .iter()
                    .map(|&(op, t)| (op, walker.span(t, t)))
                    .collect(),
                terminator,
            });
            pipes.extend(r.pipes.iter().map(|&t| walker.span(t, t)));
        }
    }
    for (t, covered) in toks.iter().zip(&covered) {
        if !covered && !t.is_op("\n") {
            return opaque(format!("token `{}` outside every command", t.value));
        }
    }
    Ok(Parts {
        items,
        pipes,
        comment: lexed.comment.map(|c| c.start + base..c.end + base),
    })
}

impl Walker<'_> {
    /// Absolute byte span from token `first` to token `last`.
    fn span(&self, first: usize, last: usize) -> Range<usize> {
        self.base + self.toks[first].start..self.base + self.toks[last].end
    }

    fn tok_starting_at(&self, char_index: usize) -> Result<usize, Opaque> {
        self.toks
            .binary_search_by_key(&char_index, |t| t.char_start)
            .or_else(|_| opaque("no token where the parser put a word"))
    }

    fn tok_ending_at(&self, char_index: usize) -> Result<usize, Opaque> {
        self.toks
            .binary_search_by_key(&char_index, |t| t.char_end)
            .or_else(|_| opaque("no token where the parser put a word"))
    }

    /// The token of an AST word, checked to hold the same text.
    fn word_tok(&self, w: &ast::Word) -> Result<usize, Opaque> {
        let Some(loc) = &w.loc else {
            return opaque(format!("word `{}` has no position", w.value));
        };
        let i = self.tok_starting_at(loc.start.index)?;
        let t = &self.toks[i];
        if t.operator || t.value != w.value || t.char_end != loc.end.index {
            return opaque(format!("word `{}` does not match its token", w.value));
        }
        Ok(i)
    }

    /// The token a compound command starts with, checked to be `keyword`.
    fn keyword_at(&self, span: &brush_parser::SourceSpan, keyword: &str) -> Result<usize, Opaque> {
        let i = self.tok_starting_at(span.start.index)?;
        if self.toks[i].value != keyword {
            return opaque(format!("expected `{keyword}`"));
        }
        Ok(i)
    }

    /// The token a compound command ends with, checked to be `keyword`.
    fn keyword_ending(
        &self,
        span: &brush_parser::SourceSpan,
        keyword: &str,
    ) -> Result<usize, Opaque> {
        let i = self.tok_ending_at(span.end.index)?;
        if self.toks[i].value != keyword {
            return opaque(format!("expected `{keyword}`"));
        }
        Ok(i)
    }

    /// Builds a [`Word`] for token `i`, reading its command substitutions.
    fn word(&mut self, i: usize, assignment: bool) -> Result<Word, Opaque> {
        let (text, toks) = (self.text, self.toks);
        let t = &toks[i];
        let raw = &text[t.start..t.end];
        let WordInfo {
            literal,
            substitutions,
        } = words::analyze(raw, assignment, self.options)?;
        for s in substitutions {
            let inner_start = t.start + s.start;
            let Some(inner) = text.get(inner_start..inner_start + s.len) else {
                return opaque("command substitution out of bounds");
            };
            parse_text(
                inner,
                self.base + inner_start,
                true,
                self.depth + 1,
                self.options,
                &mut *self.commands,
                &mut *self.has_function_def,
            )?;
        }
        Ok(Word {
            span: self.span(i, i),
            raw: raw.to_owned(),
            literal,
        })
    }

    fn and_or(&mut self, list: &ast::AndOrList, isolated: bool) -> Result<AndOrTokens, Opaque> {
        let (first, mut last, mut pipes) = self.pipeline(&list.first, isolated)?;
        let mut ops = Vec::new();
        for next in &list.additional {
            let (op, pipeline, text) = match next {
                AndOr::And(p) => (Op::And, p, "&&"),
                AndOr::Or(p) => (Op::Or, p, "||"),
            };
            let op_tok = last + 1;
            if !self.toks.get(op_tok).is_some_and(|t| t.is_op(text)) {
                return opaque(format!("cannot find `{text}`"));
            }
            let (f, l, p) = self.pipeline(pipeline, isolated)?;
            if f <= op_tok {
                return opaque(format!("pipeline overlaps `{text}`"));
            }
            ops.push((op, op_tok));
            pipes.extend(p);
            last = l;
        }
        Ok(AndOrTokens {
            first,
            last,
            ops,
            pipes,
        })
    }

    fn pipeline(
        &mut self,
        p: &ast::Pipeline,
        isolated: bool,
    ) -> Result<(usize, usize, Vec<usize>), Opaque> {
        if p.timed.is_some() {
            return opaque("timed pipeline");
        }
        let mut range: Option<(usize, usize)> = None;
        let mut pipes = Vec::new();
        for c in &p.seq {
            let (f, l) = self.command(c, isolated)?;
            range = Some(match range {
                None => (f, l),
                Some((first, last)) => {
                    let pipe = last + 1;
                    if !self.toks.get(pipe).is_some_and(|t| t.is_op("|")) || f <= pipe {
                        return opaque("cannot find `|`");
                    }
                    pipes.push(pipe);
                    (first, l)
                }
            });
        }
        let Some((mut first, last)) = range else {
            return opaque("empty pipeline");
        };
        // `!` negations have no position; they are the words just before.
        while first > 0 && self.toks[first - 1].is_word("!") {
            first -= 1;
        }
        Ok((first, last, pipes))
    }

    fn command(&mut self, c: &Command, isolated: bool) -> Result<(usize, usize), Opaque> {
        match c {
            Command::Simple(s) => self.simple(s, isolated),
            Command::Compound(cc, redirects) => {
                let (first, last) = self.compound(cc, isolated)?;
                let last = self.redirect_list(redirects.as_ref(), last)?;
                Ok((first, last))
            }
            Command::Function(f) => {
                *self.has_function_def = true;
                let name = self.word_tok(&f.fname)?;
                let parens = self.toks.get(name + 1).is_some_and(|t| t.is_op("("))
                    && self.toks.get(name + 2).is_some_and(|t| t.is_op(")"));
                if !parens {
                    return opaque("function definition without `()`");
                }
                let (body_first, last) = self.compound(&f.body.0, isolated)?;
                if body_first <= name + 2 {
                    return opaque("function body overlaps its name");
                }
                let last = self.redirect_list(f.body.1.as_ref(), last)?;
                Ok((name, last))
            }
            Command::ExtendedTest(..) => opaque("`[[ … ]]` is not POSIX sh"),
        }
    }

    fn redirect_list(
        &mut self,
        redirects: Option<&ast::RedirectList>,
        mut last: usize,
    ) -> Result<usize, Opaque> {
        for r in redirects.map(|r| r.0.as_slice()).unwrap_or_default() {
            let (f, l) = self.redirect(r)?;
            if f <= last {
                return opaque("redirection out of order");
            }
            last = l;
        }
        Ok(last)
    }

    /// Token range of a redirection (`2>file`, `>&2`, `< in`).
    fn redirect(&mut self, r: &ast::IoRedirect) -> Result<(usize, usize), Opaque> {
        let ast::IoRedirect::File(fd, _, target) = r else {
            return opaque("here-document or non-POSIX redirection");
        };
        let target = match target {
            ast::IoFileRedirectTarget::Filename(w) | ast::IoFileRedirectTarget::Duplicate(w) => w,
            _ => return opaque("non-POSIX redirection target"),
        };
        let t = self.word_tok(target)?;
        // Reading the target also reads substitutions in it.
        self.word(t, false)?;
        let Some(op) = t.checked_sub(1) else {
            return opaque("redirection without an operator");
        };
        let op_tok = &self.toks[op];
        if !op_tok.operator || !op_tok.value.starts_with(['<', '>']) {
            return opaque("redirection without an operator");
        }
        let mut first = op;
        if fd.is_some() {
            let n = op.checked_sub(1).map(|n| &self.toks[n]);
            match n {
                Some(n)
                    if !n.operator
                        && n.end == op_tok.start
                        && n.value.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    first = op - 1;
                }
                _ => return opaque("cannot find a redirection's file descriptor"),
            }
        }
        Ok((first, t))
    }

    fn simple(&mut self, s: &ast::SimpleCommand, isolated: bool) -> Result<(usize, usize), Opaque> {
        use ast::CommandPrefixOrSuffixItem as P;
        let mut assignments = Vec::new();
        let mut words = Vec::new();
        let mut range: Option<(usize, usize)> = None;
        fn add(range: &mut Option<(usize, usize)>, f: usize, l: usize) -> Result<(), Opaque> {
            *range = Some(match *range {
                None => (f, l),
                Some((first, last)) if f > last => (first, l),
                Some(_) => return opaque("simple command parts out of order"),
            });
            Ok(())
        }
        let prefix = s
            .prefix
            .as_ref()
            .map(|p| p.0.as_slice())
            .unwrap_or_default();
        for item in prefix {
            match item {
                P::AssignmentWord(_, w) => {
                    let t = self.word_tok(w)?;
                    assignments.push(self.word(t, true)?);
                    add(&mut range, t, t)?;
                }
                P::IoRedirect(r) => {
                    let (f, l) = self.redirect(r)?;
                    add(&mut range, f, l)?;
                }
                P::Word(_) | P::ProcessSubstitution(..) => {
                    return opaque("unexpected command prefix");
                }
            }
        }
        if let Some(w) = &s.word_or_name {
            let t = self.word_tok(w)?;
            words.push(self.word(t, false)?);
            add(&mut range, t, t)?;
        }
        let suffix = s
            .suffix
            .as_ref()
            .map(|p| p.0.as_slice())
            .unwrap_or_default();
        for item in suffix {
            match item {
                // After the command name, `A=1` is an ordinary argument.
                P::AssignmentWord(_, w) | P::Word(w) => {
                    let t = self.word_tok(w)?;
                    words.push(self.word(t, false)?);
                    add(&mut range, t, t)?;
                }
                P::IoRedirect(r) => {
                    let (f, l) = self.redirect(r)?;
                    add(&mut range, f, l)?;
                }
                P::ProcessSubstitution(..) => return opaque("process substitution"),
            }
        }
        let Some((first, last)) = range else {
            return opaque("empty simple command");
        };
        if let Some(name) = words.first().and_then(|w| w.literal.as_deref()) {
            // Keywords in bash, plain (mostly missing) commands in dash: the
            // author meant bash, whose reading differs (`[[ a && b ]]`).
            if matches!(name, "[[" | "function" | "select" | "coproc") {
                return opaque(format!("`{name}` is bash syntax"));
            }
        }
        self.commands.push(SimpleCommand {
            span: self.span(first, last),
            assignments,
            words,
            isolated,
        });
        Ok((first, last))
    }

    /// Walks a compound list, returning its first and last tokens.
    fn list(&mut self, list: &CompoundList, isolated: bool) -> Result<(usize, usize), Opaque> {
        let mut range: Option<(usize, usize)> = None;
        for ast::CompoundListItem(and_or, _) in &list.0 {
            let r = self.and_or(and_or, isolated)?;
            range = Some(match range {
                None => (r.first, r.last),
                Some((first, last)) if r.first > last => (first, r.last),
                Some(_) => return opaque("list items out of order"),
            });
        }
        range.map_or_else(|| opaque("empty command list"), Ok)
    }

    /// Walks `list` and checks that it lies strictly between `open` and
    /// `close` (when known), returning its last token.
    fn inner_list(
        &mut self,
        list: &CompoundList,
        isolated: bool,
        after: usize,
        before: Option<usize>,
    ) -> Result<usize, Opaque> {
        let (f, l) = self.list(list, isolated)?;
        if f <= after || before.is_some_and(|b| l >= b) {
            return opaque("compound command body out of place");
        }
        Ok(l)
    }

    fn compound(&mut self, c: &CompoundCommand, isolated: bool) -> Result<(usize, usize), Opaque> {
        match c {
            CompoundCommand::BraceGroup(b) => {
                let open = self.keyword_at(&b.loc, "{")?;
                let close = self.keyword_ending(&b.loc, "}")?;
                self.inner_list(&b.list, isolated, open, Some(close))?;
                Ok((open, close))
            }
            CompoundCommand::Subshell(s) => {
                let open = self.keyword_at(&s.loc, "(")?;
                let close = self.keyword_ending(&s.loc, ")")?;
                self.inner_list(&s.list, true, open, Some(close))?;
                Ok((open, close))
            }
            CompoundCommand::ForClause(f) => {
                let open = self.keyword_at(&f.loc, "for")?;
                let close = self.keyword_ending(&f.loc, "done")?;
                let mut last = open;
                for w in f.values.iter().flatten() {
                    let t = self.word_tok(w)?;
                    if t <= last {
                        return opaque("for-loop words out of order");
                    }
                    self.word(t, false)?;
                    last = t;
                }
                let body_open = self.keyword_at(&f.body.loc, "do")?;
                if body_open <= last {
                    return opaque("for-loop body out of place");
                }
                self.inner_list(&f.body.list, isolated, body_open, Some(close))?;
                Ok((open, close))
            }
            CompoundCommand::CaseClause(c) => {
                let open = self.keyword_at(&c.loc, "case")?;
                let close = self.keyword_ending(&c.loc, "esac")?;
                let t = self.word_tok(&c.value)?;
                self.word(t, false)?;
                let mut last = t;
                for item in &c.cases {
                    for p in &item.patterns {
                        let t = self.word_tok(p)?;
                        if t <= last {
                            return opaque("case patterns out of order");
                        }
                        self.word(t, false)?;
                        last = t;
                    }
                    if let Some(list) = &item.cmd {
                        last = self.inner_list(list, isolated, last, Some(close))?;
                    }
                }
                Ok((open, close))
            }
            CompoundCommand::IfClause(i) => {
                let open = self.keyword_at(&i.loc, "if")?;
                let mut last = self.inner_list(&i.condition, isolated, open, None)?;
                last = self.inner_list(&i.then, isolated, last, None)?;
                for e in i.elses.iter().flatten() {
                    if let Some(cond) = &e.condition {
                        last = self.inner_list(cond, isolated, last, None)?;
                    }
                    last = self.inner_list(&e.body, isolated, last, None)?;
                }
                // brush gives `if` clauses no end; `fi` follows the last
                // list and its separators.
                let mut close = last + 1;
                while self
                    .toks
                    .get(close)
                    .is_some_and(|t| t.is_op(";") || t.is_op("&") || t.is_op("\n"))
                {
                    close += 1;
                }
                if !self.toks.get(close).is_some_and(|t| t.is_word("fi")) {
                    return opaque("cannot find `fi`");
                }
                Ok((open, close))
            }
            CompoundCommand::WhileClause(w) | CompoundCommand::UntilClause(w) => {
                let keyword = if matches!(c, CompoundCommand::WhileClause(_)) {
                    "while"
                } else {
                    "until"
                };
                let open = self.keyword_at(&w.2, keyword)?;
                let close = self.keyword_ending(&w.2, "done")?;
                let last = self.inner_list(&w.0, isolated, open, Some(close))?;
                let body_open = self.keyword_at(&w.1.loc, "do")?;
                if body_open <= last {
                    return opaque("loop body out of place");
                }
                self.inner_list(&w.1.list, isolated, body_open, Some(close))?;
                Ok((open, close))
            }
            CompoundCommand::Arithmetic(_)
            | CompoundCommand::ArithmeticForClause(_)
            | CompoundCommand::Coprocess(_) => opaque("non-POSIX compound command"),
        }
    }
}
