//! The line-level parser: BuildKit's `Parse` loop, recording spans.
//!
//! Every byte of the source ends up in exactly one top-level [`Node`]:
//! a BOM, a parser directive line, a comment line, a blank line, or an
//! instruction (its first line through its last continuation line and any
//! heredoc bodies, line terminators included).

use super::command::{parse_command, Command};
use super::heredoc::{markers, Marker};
use super::lines::{continuation_cut, is_comment, leading_ws, split_lines, Line};
use super::{
    Directive, Document, Extra, Heredoc, Instruction, Keyword, Logical, Node, NodeKind, ParseError,
};
use std::ops::Range;

const BOM: &str = "\u{feff}";

struct DirectiveState {
    done: bool,
    seen: Vec<String>,
}

impl DirectiveState {
    /// BuildKit's `DirectiveParser.ParseLine` on a whitespace-trimmed line.
    fn parse(&mut self, line: &str) -> Result<Option<(String, String)>, String> {
        if self.done {
            return Ok(None);
        }
        let Some(rest) = line.strip_prefix('#') else {
            self.done = true;
            return Ok(None);
        };
        let rest = rest.trim_start();
        let key_len = rest
            .char_indices()
            .find(|&(i, c)| !(c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit())))
            .map_or(rest.len(), |(i, _)| i);
        let is_re_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\x0c' | '\r');
        let after = rest[key_len..].trim_start_matches(is_re_space);
        let value = after.strip_prefix('=').map(|v| {
            v.trim_start_matches(is_re_space)
                .trim_end_matches(is_re_space)
        });
        let (Some(value), true) = (value, key_len > 0) else {
            self.done = true;
            return Ok(None);
        };
        if value.is_empty() {
            self.done = true;
            return Ok(None);
        }
        let key = rest[..key_len].to_ascii_lowercase();
        if !matches!(key.as_str(), "syntax" | "escape" | "check") {
            self.done = true;
            return Ok(None);
        }
        if self.seen.contains(&key) {
            return Err(format!("only one {key} parser directive can be used"));
        }
        self.seen.push(key.clone());
        Ok(Some((key, value.to_string())))
    }
}

pub(super) fn parse(src: &str) -> Result<Document, ParseError> {
    Ok(read(src)?.assemble(src.to_string()))
}

/// [`parse`] of a text the document then keeps (no copy: the fix loop
/// parses each new text once and has no other use for it).
pub(super) fn parse_owned(src: String) -> Result<Document, ParseError> {
    let parts = read(&src)?;
    Ok(parts.assemble(src))
}

fn read(src: &str) -> Result<Parts, ParseError> {
    let mut p = Parser::new(src);
    let mut i = 0;
    while i < p.lines.len() {
        i = p.node_at(i)?;
    }
    Ok(p.finish())
}

/// What a parse found, without the text it was found in.
struct Parts {
    escape: char,
    bom: bool,
    nodes: Vec<Node>,
    instructions: Vec<Instruction>,
    directives: Vec<Directive>,
}

impl Parts {
    fn assemble(self, src: String) -> Document {
        Document::assemble(
            src,
            self.escape,
            self.bom,
            self.nodes,
            self.instructions,
            self.directives,
        )
    }
}

/// Estimates of the nodes and the instructions of a text split into
/// `lines`: the lines that no escape at the end of the line before
/// continues (comment and blank lines between), and those of them that
/// start with a letter (a keyword). Exact for the usual file; heredoc
/// bodies or a line ending in a backtick under the backslash escape make it
/// wrong, which costs only spare room (trimmed when the document is
/// assembled) or growth. The lists are reserved once instead of growing by
/// doubling, which copied the 200-byte instructions again and again (a
/// twentieth of a parse of 285k RUNs).
fn estimate(src: &str, lines: &[Line]) -> (usize, usize) {
    let bytes = src.as_bytes();
    let (mut nodes, mut instructions) = (0, 0);
    let mut continued = false;
    for l in lines {
        let content = &bytes[l.start..l.content_end];
        let first = content.iter().find(|b| !matches!(b, b' ' | b'\t'));
        if !continued {
            nodes += 1;
            instructions += usize::from(first.is_some_and(u8::is_ascii_alphabetic));
        }
        // Comment and blank lines neither end a continuation nor start
        // one (`# escape=` ends in a backtick).
        if first.is_some_and(|&b| b != b'#') {
            let last = content.iter().rev().find(|b| !matches!(b, b' ' | b'\t'));
            continued = matches!(last, Some(b'\\' | b'`'));
        }
    }
    (nodes + 1, instructions)
}

/// One parse in progress: the source split into physical lines and the
/// nodes, instructions and directives found so far.
struct Parser<'s> {
    src: &'s str,
    lines: Vec<Line>,
    escape: char,
    /// Length of the byte-order mark at the start of `src` (0 or 3).
    bom: usize,
    nodes: Vec<Node>,
    instructions: Vec<Instruction>,
    directives: Vec<Directive>,
    dstate: DirectiveState,
}

/// Where an instruction's first line starts: the line's start (after any
/// BOM) and the length of its leading whitespace.
#[derive(Clone, Copy)]
struct FirstLine {
    index: usize,
    start: usize,
    lead: usize,
}

/// An instruction's logical line and the physical lines it was gathered from.
struct Gathered {
    logical: Logical,
    /// Index of the last physical line read.
    last: usize,
    comment_lines: Vec<Range<usize>>,
    empty_continuation_lines: Vec<Range<usize>>,
}

impl<'s> Parser<'s> {
    fn new(src: &'s str) -> Self {
        let bom = if src.starts_with(BOM) { BOM.len() } else { 0 };
        let lines = split_lines(src);
        let (n_nodes, n_instructions) = estimate(src, &lines);
        let mut nodes = Vec::with_capacity(n_nodes);
        if bom > 0 {
            nodes.push(Node {
                kind: NodeKind::Bom,
                span: 0..bom,
            });
        }
        Parser {
            src,
            lines,
            escape: '\\',
            bom,
            nodes,
            instructions: Vec::with_capacity(n_instructions),
            directives: Vec::new(),
            dstate: DirectiveState {
                done: false,
                seen: Vec::new(),
            },
        }
    }

    fn finish(self) -> Parts {
        Parts {
            escape: self.escape,
            bom: self.bom > 0,
            nodes: self.nodes,
            instructions: self.instructions,
            directives: self.directives,
        }
    }

    fn err_at(&self, off: usize, message: String) -> ParseError {
        ParseError::at(self.src, off, message)
    }

    fn push_node(&mut self, kind: NodeKind, span: Range<usize>) {
        self.nodes.push(Node { kind, span });
    }

    /// Reads the node starting at physical line `i`: a directive, a
    /// comment, a blank line or an instruction. Returns the next line.
    fn node_at(&mut self, i: usize) -> Result<usize, ParseError> {
        let src = self.src;
        let line = self.lines[i];
        let start = if i == 0 {
            line.start + self.bom
        } else {
            line.start
        };
        let content = &src[start..line.content_end];
        let lead = leading_ws(content);
        let trimmed = &content[lead..];
        if self.directive(trimmed, start, lead, line.end)? {
            return Ok(i + 1);
        }
        if trimmed.starts_with('#') {
            self.push_node(NodeKind::Comment, start..line.end);
            return Ok(i + 1);
        }
        let cut = continuation_cut(trimmed, self.escape);
        if cut.is_none() && trimmed.is_empty() {
            self.push_node(NodeKind::Blank, start..line.end);
            return Ok(i + 1);
        }
        let first = FirstLine {
            index: i,
            start,
            lead,
        };
        self.instruction(first, trimmed, cut)
    }

    /// Records `trimmed` as a parser directive if it is one (an `escape`
    /// directive also sets the escape character); says whether it was.
    fn directive(
        &mut self,
        trimmed: &str,
        start: usize,
        lead: usize,
        end: usize,
    ) -> Result<bool, ParseError> {
        let (name, value) = match self.dstate.parse(trimmed) {
            Err(e) => return Err(self.err_at(start + lead, e)),
            Ok(None) => return Ok(false),
            Ok(Some(d)) => d,
        };
        if name == "escape" {
            self.escape = match value.as_str() {
                "`" => '`',
                "\\" => '\\',
                v => {
                    return Err(self.err_at(
                        start + lead,
                        format!("invalid escape token '{v}' does not match ` or \\"),
                    ))
                }
            };
        }
        self.directives.push(Directive {
            name,
            value,
            span: start..end,
        });
        self.push_node(NodeKind::Directive, start..end);
        Ok(true)
    }

    /// Parses the instruction whose first line is `first` (its text
    /// `trimmed`, continued if `cut` is set), with its continuation lines
    /// and heredoc bodies. Returns the line after it.
    fn instruction(
        &mut self,
        first: FirstLine,
        trimmed: &str,
        cut: Option<usize>,
    ) -> Result<usize, ParseError> {
        let g = self.gather(first, trimmed, cut);
        let logical = g.logical;
        let command = parse_command(&logical.text, 0..logical.text.len(), self.escape)
            .map_err(|e| self.err_at(logical.to_source(e.offset), e.message))?;
        let keyword = Keyword::from_keyword(&logical.text[command.keyword.clone()]);
        let mut heredocs = Vec::new();
        let mut last = g.last;
        if can_contain_heredoc(&logical.text, &command) {
            last = self.heredoc_bodies(&logical.text, first, last, &mut heredocs)?;
        }
        let span = first.start..self.lines[last].end;
        let idx = self.instructions.len();
        self.instructions.push(Instruction {
            span: span.clone(),
            start_line: first.index + 1,
            end_line: last + 1,
            logical,
            command,
            keyword,
            extra: Extra {
                heredocs,
                comment_lines: g.comment_lines,
                empty_continuation_lines: g.empty_continuation_lines,
            }
            .boxed(),
        });
        self.push_node(NodeKind::Instruction(idx), span);
        Ok(last + 1)
    }

    /// Joins the instruction's first line with its continuation lines into
    /// one logical line; comment and empty lines inside it are set aside.
    fn gather(&self, first: FirstLine, trimmed: &str, cut: Option<usize>) -> Gathered {
        let src = self.src;
        let mut logical = Logical::default();
        logical.push(
            first.start + first.lead,
            &trimmed[..cut.unwrap_or(trimmed.len())],
        );
        let mut continued = cut.is_some();
        let mut comment_lines = Vec::new();
        let mut empty_continuation_lines = Vec::new();
        let mut j = first.index + 1;
        while continued && j < self.lines.len() {
            let l = self.lines[j];
            let raw = &src[l.start..l.content_end];
            j += 1;
            if is_comment(raw) {
                comment_lines.push(l.start..l.end);
                continue;
            }
            if raw.trim_start().is_empty() {
                empty_continuation_lines.push(l.start..l.end);
                continue;
            }
            let cut = continuation_cut(raw, self.escape);
            logical.push(l.start, &raw[..cut.unwrap_or(raw.len())]);
            continued = cut.is_some();
        }
        // Kept for the whole pass: the segment list's first push reserved
        // four (96 bytes where one line needs 24; 285k instructions), and a
        // long continuation's text grew by doubling.
        logical.text.shrink_to_fit();
        logical.segments.shrink_to_fit();
        Gathered {
            logical,
            last: j - 1,
            comment_lines,
            empty_continuation_lines,
        }
    }

    /// Finds the body and terminator of each heredoc opened on the logical
    /// line `text`, reading from the line after `last`. Returns the index of
    /// the last terminator line.
    fn heredoc_bodies(
        &self,
        text: &str,
        first: FirstLine,
        mut last: usize,
        heredocs: &mut Vec<Heredoc>,
    ) -> Result<usize, ParseError> {
        for m in markers(text) {
            let body_start = self.lines.get(last + 1).map_or(self.src.len(), |l| l.start);
            let Some(k) = self.terminator(last + 1, &m) else {
                let at = first.start + first.lead;
                return Err(self.err_at(at, "unterminated heredoc".to_string()));
            };
            let term = self.lines[k];
            heredocs.push(Heredoc {
                marker: m,
                body: body_start..term.start,
                terminator: term.start..term.end,
            });
            last = k;
        }
        Ok(last)
    }

    /// The first line from `from` on that ends the heredoc `m` (tabs
    /// stripped first for `<<-`).
    fn terminator(&self, from: usize, m: &Marker) -> Option<usize> {
        (from..self.lines.len()).find(|&k| {
            let l = self.lines[k];
            let t = &self.src[l.start..l.content_end];
            let t = if m.chomp {
                t.trim_start_matches('\t')
            } else {
                t
            };
            t == m.name
        })
    }
}

fn can_contain_heredoc(text: &str, c: &Command) -> bool {
    let kw = text[c.keyword.clone()].to_ascii_lowercase();
    let c = if kw == "onbuild" {
        match &c.sub {
            Some(s) => s.as_ref(),
            None => return false,
        }
    } else {
        c
    };
    let kw = text[c.keyword.clone()].to_ascii_lowercase();
    matches!(kw.as_str(), "add" | "copy" | "run") && !c.json && text.contains("<<")
}

#[cfg(test)]
mod estimate_tests {
    use super::*;

    /// The estimate is what a parse finds on the usual shapes (a
    /// continuation, a comment, a blank line), so the lists never grow.
    #[test]
    fn estimates_nodes_and_instructions_of_the_usual_file() {
        let src = "FROM a\nRUN b \\\n  c && \\\n# inside\n\n  d\n# note \\\n\n  run e\r\n";
        let (nodes, instructions) = estimate(src, &split_lines(src));
        let doc = read(src).unwrap();
        assert_eq!(instructions, doc.instructions.len());
        assert_eq!(instructions, 3);
        // One node more than there are: room for a byte-order mark.
        assert_eq!(nodes, doc.nodes.len() + 1);
        // A backtick continues as an escape might: never counted as two.
        let src = "# escape=`\nRUN a `\n  b\n";
        assert_eq!(estimate(src, &split_lines(src)).1, 1);
    }
}
