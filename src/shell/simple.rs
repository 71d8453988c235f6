//! A fast path for the simplest scripts, read without brush-parser.
//!
//! Most RUN bodies are a list of plain commands: words joined by `&&`,
//! `||`, `;` and `|`, with a few redirections. For such a text the whole
//! grammar is a handful of rules, so [`parse`] reads it in one scan and
//! builds the same [`Script`] [`super::convert`] builds from brush's
//! tokens and AST (tests compare the two on every case and on random
//! scripts). Anything outside that small language — a byte that is not
//! ASCII, a newline, a backslash, a backquote, `(`, `)`, `{`, `}`, `!`,
//! `#`, a lone `&`, a `$` other than `$NAME` / `${NAME}`, a reserved word
//! anywhere, a redirection before the command name, an odd redirection
//! operator, a word the word analysis refuses — gives `None`, and the
//! caller goes to brush-parser: the fast path never decides that a text is
//! opaque, it only declines.

use std::ops::Range;

use brush_parser::ParserOptions;

use super::words;
use super::{CompactString, Item, Op, Script, SimpleCommand, Word};

/// Words that are (or may be) reserved in some shell: a text holding one
/// as a whole word goes to brush-parser, wherever it stands.
const RESERVED: &[&str] = &[
    "if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until", "for",
    "in", "function", "select", "time", "coproc", "[[", "]]", "{", "}", "!",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Word(usize, usize),
    /// A redirection (its file descriptor and operator, which no field of
    /// a [`Script`] records), by its target word.
    Redirect(usize, usize),
    Op(Op, usize, usize),
}

/// The end of the word starting at `i`, or `None` when it holds anything
/// outside the fast path's language.
fn word_end(b: &[u8], mut i: usize) -> Option<usize> {
    let simple_dollar = |b: &[u8], i: usize| -> Option<usize> {
        // `$NAME` or `${NAME}`; returns the index after it.
        let name = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
        match b.get(i + 1) {
            Some(c) if c.is_ascii_alphabetic() || *c == b'_' => {
                let mut j = i + 2;
                while b.get(j).is_some_and(|c| name(*c)) {
                    j += 1;
                }
                Some(j)
            }
            Some(b'{') => {
                let first = *b.get(i + 2)?;
                if !(first.is_ascii_alphabetic() || first == b'_') {
                    return None;
                }
                let mut j = i + 3;
                while b.get(j).is_some_and(|c| name(*c)) {
                    j += 1;
                }
                (b.get(j) == Some(&b'}')).then_some(j + 1)
            }
            _ => None,
        }
    };
    let start = i;
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' | b'|' | b'&' | b';' | b'<' | b'>' => break,
            b'\'' => {
                let close = b[i + 1..].iter().position(|&c| c == b'\'')?;
                if b[i + 1..i + 1 + close].iter().any(|&c| !allowed_quoted(c)) {
                    return None;
                }
                i += close + 2;
            }
            b'"' => {
                i += 1;
                loop {
                    match *b.get(i)? {
                        b'"' => break,
                        b'$' => i = simple_dollar(b, i)?,
                        b'\\' | b'`' => return None,
                        c if allowed_quoted(c) => i += 1,
                        _ => return None,
                    }
                }
                i += 1;
            }
            b'$' => i = simple_dollar(b, i)?,
            b'\\' | b'`' | b'(' | b')' | b'{' | b'}' | b'!' | b'#' => return None,
            c if c.is_ascii_graphic() => i += 1,
            _ => return None,
        }
    }
    (i > start).then_some(i)
}

/// Bytes allowed inside quotes (`\`, `` ` ``, `!` and `$` are handled by
/// the caller or refused).
fn allowed_quoted(c: u8) -> bool {
    (c == b' ' || c == b'\t' || c.is_ascii_graphic()) && !matches!(c, b'\\' | b'`' | b'!')
}

fn lex(text: &str) -> Option<Vec<Tok>> {
    let b = text.as_bytes();
    let mut toks: Vec<Tok> = Vec::with_capacity(b.len() / 6 + 1);
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' => i += 1,
            b'&' if b.get(i + 1) == Some(&b'&') => {
                toks.push(Tok::Op(Op::And, i, i + 2));
                i += 2;
            }
            b'|' if b.get(i + 1) == Some(&b'|') => {
                toks.push(Tok::Op(Op::Or, i, i + 2));
                i += 2;
            }
            b'|' => {
                toks.push(Tok::Op(Op::Pipe, i, i + 1));
                i += 1;
            }
            b';' => {
                toks.push(Tok::Op(Op::Semi, i, i + 1));
                i += 1;
            }
            b'>' | b'<' => {
                let op_start = i;
                let dup = b[i] == b'>' && b.get(i + 1) == Some(&b'&');
                i += match (b[i], b.get(i + 1)) {
                    (b'>', Some(b'>')) | (b'>', Some(b'&')) => 2,
                    (_, Some(b'>' | b'<' | b'|' | b'&')) => return None,
                    _ => 1,
                };
                // Digits right before the operator are its file descriptor.
                if let Some(&Tok::Word(ws, we)) = toks.last() {
                    if we == op_start && b[ws..we].iter().all(u8::is_ascii_digit) {
                        if we - ws > 9 {
                            return None;
                        }
                        toks.pop();
                    }
                }
                while matches!(b.get(i), Some(b' ' | b'\t')) {
                    i += 1;
                }
                let end = word_end(b, i)?;
                if dup && !b[i..end].iter().all(u8::is_ascii_digit) {
                    return None;
                }
                toks.push(Tok::Redirect(i, end));
                i = end;
            }
            _ => {
                let end = word_end(b, i)?;
                if RESERVED.contains(&&text[i..end]) {
                    return None;
                }
                toks.push(Tok::Word(i, end));
                i = end;
            }
        }
    }
    Some(toks)
}

/// `NAME=…` with an unquoted name: an assignment before a command name.
fn is_assignment(w: &[u8]) -> Option<bool> {
    let Some(eq) = w.iter().position(|&c| c == b'=') else {
        return Some(false);
    };
    let name = &w[..eq];
    let ok = name
        .first()
        .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
        && name.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_');
    // Anything else with a `=` before the command name is left to brush.
    ok.then_some(true)
}

struct Reader<'a> {
    text: &'a str,
    toks: &'a [Tok],
    at: usize,
    options: &'a ParserOptions,
    commands: Vec<SimpleCommand>,
    pipes: Vec<Range<usize>>,
}

impl Reader<'_> {
    fn word(&self, s: usize, e: usize, assignment: bool) -> Option<Word> {
        let raw = &self.text[s..e];
        let info = words::analyze(raw, assignment, self.options).ok()?;
        if !info.substitutions.is_empty() {
            return None;
        }
        Some(Word {
            span: s..e,
            raw: CompactString::new(raw),
            literal: info.literal,
        })
    }

    /// One simple command; its span.
    fn command(&mut self) -> Option<Range<usize>> {
        let mut assignments = Vec::new();
        let mut words = Vec::new();
        let start;
        loop {
            match *self.toks.get(self.at)? {
                Tok::Word(s, e) if is_assignment(&self.text.as_bytes()[s..e])? => {
                    assignments.push(self.word(s, e, true)?);
                    self.at += 1;
                }
                Tok::Word(s, e) => {
                    words.push(self.word(s, e, false)?);
                    self.at += 1;
                    start = assignments.first().map_or(s, |a: &Word| a.span.start);
                    break;
                }
                _ => return None,
            }
        }
        let mut end = words[0].span.end;
        loop {
            match self.toks.get(self.at) {
                Some(&Tok::Word(s, e)) => {
                    words.push(self.word(s, e, false)?);
                    end = e;
                }
                Some(&Tok::Redirect(s, e)) => {
                    self.word(s, e, false)?;
                    end = e;
                }
                _ => break,
            }
            self.at += 1;
        }
        self.commands.push(SimpleCommand {
            span: start..end,
            assignments: assignments.into(),
            words: words.into(),
            isolated: false,
        });
        Some(start..end)
    }

    fn op(&self) -> Option<(Op, Range<usize>)> {
        match self.toks.get(self.at) {
            Some(&Tok::Op(op, s, e)) => Some((op, s..e)),
            _ => None,
        }
    }

    fn pipeline(&mut self) -> Option<Range<usize>> {
        let first = self.command()?;
        let mut last = first.clone();
        while let Some((Op::Pipe, r)) = self.op() {
            self.pipes.push(r);
            self.at += 1;
            last = self.command()?;
        }
        Some(first.start..last.end)
    }

    fn item(&mut self) -> Option<Item> {
        let first = self.pipeline()?;
        let mut end = first.end;
        let mut and_or = Vec::new();
        while let Some((op @ (Op::And | Op::Or), r)) = self.op() {
            and_or.push((op, r));
            self.at += 1;
            end = self.pipeline()?.end;
        }
        let terminator = match self.op() {
            Some((Op::Semi, r)) => {
                self.at += 1;
                Some((Op::Semi, r))
            }
            Some(_) => return None,
            None => None,
        };
        Some(Item {
            span: first.start..end,
            and_or: and_or.into(),
            terminator,
        })
    }
}

/// The script of `text` when it is in the fast path's language, else
/// `None` (read it with brush-parser). The caller has already refused
/// texts nested too deeply.
pub(super) fn parse(text: &str, options: &ParserOptions) -> Option<Script> {
    if !text.is_ascii() || text.contains("<<") {
        return None;
    }
    let toks = lex(text)?;
    if toks.is_empty() {
        return None;
    }
    let mut r = Reader {
        text,
        toks: &toks,
        at: 0,
        options,
        commands: Vec::new(),
        pipes: Vec::new(),
    };
    let mut items = Vec::new();
    while r.at < toks.len() {
        items.push(r.item()?);
    }
    Some(Script {
        items: items.into(),
        commands: r.commands.into(),
        pipes: r.pipes.into(),
        comment: None,
        has_function_def: false,
    })
}
