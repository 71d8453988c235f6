//! Lines outside instructions and the end of the file: comment and
//! directive lines lose trailing whitespace (their text stays), blank lines
//! are emptied and at most one is kept in a row, blank lines at the end go,
//! and the file ends with exactly one line ending (the file's own).
//!
//! Blank lines at the start of the file are kept (at most one): a blank
//! line ends the parser directives, so removing it could turn a comment
//! into a directive.

use super::{is_ws, Cx};
use crate::edit::Edit;
use crate::syntax::NodeKind;

pub(super) fn edits(cx: &Cx, out: &mut Vec<Edit>) {
    let src = cx.doc.source();
    let nodes = cx.doc.nodes();
    let last_content = nodes
        .iter()
        .rposition(|n| !matches!(n.kind, NodeKind::Blank | NodeKind::Bom));
    let mut prev_blank = false;
    for (i, n) in nodes.iter().enumerate() {
        match n.kind {
            NodeKind::Blank => {
                let trailing = last_content.is_none_or(|l| i > l);
                if prev_blank || trailing {
                    out.push(Edit::delete(n.span.clone()));
                } else {
                    let line = cx.line_of(n.span.end.saturating_sub(1));
                    if line.content_end > n.span.start {
                        out.push(Edit::delete(n.span.start..line.content_end));
                    }
                }
                prev_blank = true;
            }
            NodeKind::Comment | NodeKind::Directive => {
                let line = cx.line_of(n.span.end.saturating_sub(1));
                let t = &src.as_bytes()[n.span.start..line.content_end];
                let trail = t.iter().rev().take_while(|&&b| is_ws(b)).count();
                if trail > 0 {
                    out.push(Edit::delete(line.content_end - trail..line.content_end));
                }
                prev_blank = false;
            }
            NodeKind::Instruction(_) => prev_blank = false,
            NodeKind::Bom => {}
        }
    }
    // Exactly one final line ending.
    let Some(l) = last_content else { return };
    let end = nodes[l].span.end;
    if end == src.len() && !src.ends_with('\n') {
        let line = cx.line_of(src.len().saturating_sub(1));
        out.push(Edit::replace(line.content_end..src.len(), cx.nl));
    }
}
