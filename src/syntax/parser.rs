//! The line-level parser: BuildKit's `Parse` loop, recording spans.
//!
//! Every byte of the source ends up in exactly one top-level [`Node`]:
//! a BOM, a parser directive line, a comment line, a blank line, or an
//! instruction (its first line through its last continuation line and any
//! heredoc bodies, line terminators included).

use super::command::{parse_command, Command};
use super::heredoc::markers;
use super::lines::{continuation_cut, is_comment, leading_ws, split_lines};
use super::{
    Directive, Document, Extra, Heredoc, Instruction, Keyword, Logical, Node, NodeKind, ParseError,
};

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
    let lines = split_lines(src);
    let mut escape = '\\';
    let mut nodes = Vec::new();
    let mut instructions = Vec::new();
    let mut directives = Vec::new();
    let mut dstate = DirectiveState {
        done: false,
        seen: Vec::new(),
    };
    let bom = if src.starts_with(BOM) { BOM.len() } else { 0 };
    if bom > 0 {
        nodes.push(Node {
            kind: NodeKind::Bom,
            span: 0..bom,
        });
    }
    let err_at = |off: usize, message: String| ParseError::at(src, off, message);

    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let start = if i == 0 { line.start + bom } else { line.start };
        let content = &src[start..line.content_end];
        let lead = leading_ws(content);
        let trimmed = &content[lead..];
        match dstate.parse(trimmed) {
            Err(e) => return Err(err_at(start + lead, e)),
            Ok(Some((name, value))) => {
                if name == "escape" {
                    escape = match value.as_str() {
                        "`" => '`',
                        "\\" => '\\',
                        v => {
                            return Err(err_at(
                                start + lead,
                                format!("invalid escape token '{v}' does not match ` or \\"),
                            ))
                        }
                    };
                }
                directives.push(Directive {
                    name,
                    value,
                    span: start..line.end,
                });
                nodes.push(Node {
                    kind: NodeKind::Directive,
                    span: start..line.end,
                });
                i += 1;
                continue;
            }
            Ok(None) => {}
        }
        if trimmed.starts_with('#') {
            nodes.push(Node {
                kind: NodeKind::Comment,
                span: start..line.end,
            });
            i += 1;
            continue;
        }
        let cut = continuation_cut(trimmed, escape);
        if cut.is_none() && trimmed.is_empty() {
            nodes.push(Node {
                kind: NodeKind::Blank,
                span: start..line.end,
            });
            i += 1;
            continue;
        }
        // An instruction starts here.
        let mut logical = Logical::default();
        logical.push(start + lead, &trimmed[..cut.unwrap_or(trimmed.len())]);
        let mut continued = cut.is_some();
        let mut comment_lines = Vec::new();
        let mut empty_continuation_lines = Vec::new();
        let mut j = i + 1;
        while continued && j < lines.len() {
            let l = lines[j];
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
            let cut = continuation_cut(raw, escape);
            logical.push(l.start, &raw[..cut.unwrap_or(raw.len())]);
            continued = cut.is_some();
        }
        let mut last = j - 1;
        let text_len = logical.text.len();
        let command = parse_command(&logical.text, 0..text_len, escape)
            .map_err(|e| err_at(logical.to_source(e.offset), e.message))?;
        let keyword = Keyword::from_keyword(&logical.text[command.keyword.clone()]);
        let mut heredocs = Vec::new();
        if can_contain_heredoc(&logical.text, &command) {
            for m in markers(&logical.text) {
                let body_start = lines.get(last + 1).map_or(src.len(), |l| l.start);
                let mut k = last + 1;
                let mut found = None;
                while k < lines.len() {
                    let l = lines[k];
                    let mut t = &src[l.start..l.content_end];
                    if m.chomp {
                        t = t.trim_start_matches('\t');
                    }
                    if t == m.name {
                        found = Some(l);
                        break;
                    }
                    k += 1;
                }
                let Some(term) = found else {
                    return Err(err_at(start + lead, "unterminated heredoc".to_string()));
                };
                heredocs.push(Heredoc {
                    marker: m,
                    body: body_start..term.start,
                    terminator: term.start..term.end,
                });
                last = k;
            }
        }
        let span = start..lines[last].end;
        let idx = instructions.len();
        instructions.push(Instruction {
            span: span.clone(),
            start_line: i + 1,
            end_line: last + 1,
            logical,
            command,
            keyword,
            extra: Extra {
                heredocs,
                comment_lines,
                empty_continuation_lines,
            }
            .boxed(),
        });
        nodes.push(Node {
            kind: NodeKind::Instruction(idx),
            span,
        });
        i = last + 1;
    }
    Ok(Document::assemble(
        src.to_string(),
        escape,
        bom > 0,
        nodes,
        instructions,
        directives,
    ))
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
