//! Compound commands (`{ }`, `( )`, `if`, loops, `case`): each body is
//! walked and checked to lie between its keywords.

use brush_parser::ast::{
    CaseClauseCommand, CompoundCommand, CompoundList, ForClauseCommand, IfClauseCommand,
    WhileOrUntilClauseCommand,
};
use brush_parser::SourceSpan;

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

    /// Walks a compound command and returns the tokens of its opening and
    /// closing keywords.
    pub(super) fn compound(
        &mut self,
        c: &CompoundCommand,
        isolated: bool,
    ) -> Result<(usize, usize), Opaque> {
        match c {
            CompoundCommand::BraceGroup(b) => self.delimited(&b.loc, &b.list, ("{", "}"), isolated),
            // A subshell's body is isolated whatever surrounds it.
            CompoundCommand::Subshell(s) => self.delimited(&s.loc, &s.list, ("(", ")"), true),
            CompoundCommand::ForClause(f) => self.for_clause(f, isolated),
            CompoundCommand::CaseClause(c) => self.case_clause(c, isolated),
            CompoundCommand::IfClause(i) => self.if_clause(i, isolated),
            CompoundCommand::WhileClause(w) => self.loop_clause(w, "while", isolated),
            CompoundCommand::UntilClause(w) => self.loop_clause(w, "until", isolated),
            CompoundCommand::Arithmetic(_)
            | CompoundCommand::ArithmeticForClause(_)
            | CompoundCommand::Coprocess(_) => opaque("non-POSIX compound command"),
        }
    }

    /// `{ … }` and `( … )`: one list between two keywords.
    fn delimited(
        &mut self,
        loc: &SourceSpan,
        list: &CompoundList,
        (opening, closing): (&str, &str),
        isolated: bool,
    ) -> Result<(usize, usize), Opaque> {
        let open = self.keyword_at(loc, opening)?;
        let close = self.keyword_ending(loc, closing)?;
        self.inner_list(list, isolated, open, Some(close))?;
        Ok((open, close))
    }

    /// `for x in words; do … done`: the words in order, then the body.
    fn for_clause(
        &mut self,
        f: &ForClauseCommand,
        isolated: bool,
    ) -> Result<(usize, usize), Opaque> {
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

    /// `case word in pattern) … ;; esac`: the word, then each item's
    /// patterns and body in order.
    fn case_clause(
        &mut self,
        c: &CaseClauseCommand,
        isolated: bool,
    ) -> Result<(usize, usize), Opaque> {
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

    /// `if … then … elif … else … fi`: the lists in order, then `fi`.
    fn if_clause(&mut self, i: &IfClauseCommand, isolated: bool) -> Result<(usize, usize), Opaque> {
        let open = self.keyword_at(&i.loc, "if")?;
        let mut last = self.inner_list(&i.condition, isolated, open, None)?;
        last = self.inner_list(&i.then, isolated, last, None)?;
        for e in i.elses.iter().flatten() {
            if let Some(cond) = &e.condition {
                last = self.inner_list(cond, isolated, last, None)?;
            }
            last = self.inner_list(&e.body, isolated, last, None)?;
        }
        Ok((open, self.fi_after(last)?))
    }

    /// brush gives `if` clauses no end; `fi` follows the last list and its
    /// separators.
    fn fi_after(&self, last: usize) -> Result<usize, Opaque> {
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
        Ok(close)
    }

    /// `while`/`until` condition; `do … done`: the condition, then the body.
    fn loop_clause(
        &mut self,
        w: &WhileOrUntilClauseCommand,
        keyword: &str,
        isolated: bool,
    ) -> Result<(usize, usize), Opaque> {
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
}
