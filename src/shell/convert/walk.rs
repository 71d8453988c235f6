//! The walk over brush's AST for one text ([`parse_text`]): and-or lists,
//! pipelines, simple commands, redirections and words, each matched back
//! to its tokens. Compound commands are in `compound`.

use std::ops::Range;

use brush_parser::ast::{self, AndOr, Command, CompoundList};
use brush_parser::ParserOptions;

use super::lex::{lex, Tok};
use super::limits::oversized_io_number;
use super::opaque;
use crate::shell::brush::{guarded, tokenize};
use crate::shell::words::{self, WordInfo};
use crate::shell::{CompactString, Item, Op, Opaque, SimpleCommand, Word};

/// Deepest nesting of command substitutions that is followed.
const MAX_DEPTH: usize = 16;

/// What one text parses into, with spans made absolute.
pub(super) struct Parts {
    pub(super) items: Vec<Item>,
    pub(super) pipes: Vec<Range<usize>>,
    pub(super) comment: Option<Range<usize>>,
}

/// Token ranges (inclusive) of an and-or list and its operators.
pub(super) struct AndOrTokens {
    first: usize,
    last: usize,
    ops: Vec<(Op, usize)>,
    pipes: Vec<usize>,
}

pub(super) struct Walker<'a> {
    pub(super) text: &'a str,
    /// Absolute offset of `text` in the text given to [`parse`].
    pub(super) base: usize,
    pub(super) toks: &'a [Tok<'a>],
    pub(super) options: &'a ParserOptions,
    pub(super) depth: usize,
    pub(super) commands: &'a mut Vec<SimpleCommand>,
    pub(super) has_function_def: &'a mut bool,
}

pub(super) fn parse_text(
    text: &str,
    base: usize,
    isolated: bool,
    depth: usize,
    options: &ParserOptions,
    commands: &mut Vec<SimpleCommand>,
    has_function_def: &mut bool,
) -> Result<Parts, Opaque> {
    refuse_unparseable(text, depth)?;
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

    // Which tokens the items (and their terminators) account for.
    let mut covered = vec![false; toks.len()];
    let (items, pipes) = walker.items(&program, isolated, &mut covered)?;
    if let Some(t) = toks
        .iter()
        .zip(&covered)
        .find_map(|(t, &c)| (!c && !t.is_op("\n")).then_some(t))
    {
        return opaque(format!("token `{}` outside every command", t.value));
    }
    Ok(Parts {
        items,
        pipes,
        comment: lexed.comment.map(|c| c.start + base..c.end + base),
    })
}

/// Refuses, before brush sees it, a text it cannot parse safely or that
/// would be opaque anyway.
fn refuse_unparseable(text: &str, depth: usize) -> Result<(), Opaque> {
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
    Ok(())
}

/// The operator that ends an and-or list whose last token is `last`, if
/// any token follows it.
fn terminator(toks: &[Tok], last: usize) -> Result<Option<Op>, Opaque> {
    Ok(match toks.get(last + 1) {
        Some(t) if t.is_op(";") => Some(Op::Semi),
        Some(t) if t.is_op("&") => Some(Op::Amp),
        Some(t) if t.is_op("\n") => Some(Op::Newline),
        Some(t) => return opaque(format!("unexpected `{}` after a command", t.value)),
        None => None,
    })
}

impl Walker<'_> {
    /// The program's and-or lists as items, with the spans of their pipes;
    /// marks in `covered` the tokens they (and their terminators) take.
    fn items(
        &mut self,
        program: &ast::Program,
        isolated: bool,
        covered: &mut [bool],
    ) -> Result<(Vec<Item>, Vec<Range<usize>>), Opaque> {
        let mut items = Vec::new();
        let mut pipes = Vec::new();
        for list in &program.complete_commands {
            for ast::CompoundListItem(and_or, sep) in &list.0 {
                let r = self.and_or(and_or, isolated)?;
                covered[r.first..=r.last].iter_mut().for_each(|c| *c = true);
                let terminator = terminator(self.toks, r.last)?;
                let async_sep = matches!(sep, ast::SeparatorOperator::Async);
                if async_sep != (terminator == Some(Op::Amp)) {
                    return opaque("separator does not match the parsed list");
                }
                let terminator = terminator.map(|op| {
                    covered[r.last + 1] = true;
                    (op, self.span(r.last + 1, r.last + 1))
                });
                items.push(Item {
                    span: self.span(r.first, r.last),
                    and_or: r.ops.iter().map(|&(op, t)| (op, self.span(t, t))).collect(),
                    terminator,
                });
                pipes.extend(r.pipes.iter().map(|&t| self.span(t, t)));
            }
        }
        Ok((items, pipes))
    }

    /// Absolute byte span from token `first` to token `last`.
    pub(super) fn span(&self, first: usize, last: usize) -> Range<usize> {
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
    pub(super) fn word_tok(&self, w: &ast::Word) -> Result<usize, Opaque> {
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
    pub(super) fn keyword_at(
        &self,
        span: &brush_parser::SourceSpan,
        keyword: &str,
    ) -> Result<usize, Opaque> {
        let i = self.tok_starting_at(span.start.index)?;
        if self.toks[i].value != keyword {
            return opaque(format!("expected `{keyword}`"));
        }
        Ok(i)
    }

    /// The token a compound command ends with, checked to be `keyword`.
    pub(super) fn keyword_ending(
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
    pub(super) fn word(&mut self, i: usize, assignment: bool) -> Result<Word, Opaque> {
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
            raw: CompactString::new(raw),
            literal,
        })
    }

    pub(super) fn and_or(
        &mut self,
        list: &ast::AndOrList,
        isolated: bool,
    ) -> Result<AndOrTokens, Opaque> {
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
            assignments: assignments.into(),
            words: words.into(),
            isolated,
        });
        Ok((first, last))
    }

    /// Walks a compound list, returning its first and last tokens.
    pub(super) fn list(
        &mut self,
        list: &CompoundList,
        isolated: bool,
    ) -> Result<(usize, usize), Opaque> {
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
}
