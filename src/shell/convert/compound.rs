//! Compound commands (`{ }`, `( )`, `if`, loops, `case`): each body is
//! walked and checked to lie between its keywords.

use brush_parser::ast::{CompoundCommand, CompoundList};

use super::opaque;
use super::walk::Walker;
use crate::shell::Opaque;

impl Walker<'_> {
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

    pub(super) fn compound(
        &mut self,
        c: &CompoundCommand,
        isolated: bool,
    ) -> Result<(usize, usize), Opaque> {
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
