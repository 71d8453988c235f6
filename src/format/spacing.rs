//! Spacing inside an instruction: no indentation before the keyword, one
//! space after the keyword and between flags (when they share a line), and
//! the comment and empty lines BuildKit drops from a continuation: comments
//! indented like continuation lines (their text untouched), empty lines
//! emptied, at most one in a row.

use super::{is_ws, Cx, View};
use crate::edit::Edit;

pub(super) fn edits(cx: &Cx, v: &View, out: &mut Vec<Edit>) {
    let ins = v.ins;
    let src = cx.doc.source();
    // The first line starts at the keyword (BuildKit trims what is before).
    let first = &v.segs[0];
    let line_start = if first.line.start == 0 && cx.doc.has_bom() {
        3
    } else {
        first.line.start
    };
    if line_start < first.source {
        out.push(Edit::delete(line_start..first.source));
    }

    // One space between keyword, flags and arguments on the same line.
    let text = ins.logical.text.as_bytes();
    let c = &ins.command;
    let mut i = c.keyword.end;
    while i < c.args.start {
        if !is_ws(text[i]) {
            i += 1;
            continue;
        }
        let s = i;
        while i < c.args.start && is_ws(text[i]) {
            i += 1;
        }
        let r = s..i;
        let Some(k) = v.within_one(&r) else { continue };
        let seg = &v.segs[k];
        // Runs touching a line break belong to the continuation rules.
        if r.start > seg.logical.start && r.end < seg.logical.end && v.all_safe(r.clone()) {
            out.push(Edit::replace(seg.span(r), " "));
        }
    }

    // Comment lines inside the continuation.
    for span in ins.comment_lines() {
        let line = cx.line_of(span.start);
        let t = &src.as_bytes()[line.start..line.content_end];
        let lead = t.iter().take_while(|&&b| is_ws(b)).count();
        if t.get(lead) != Some(&b'#') {
            continue;
        }
        out.push(Edit::replace(
            line.start..line.start + lead,
            cx.indent.clone(),
        ));
        let trail = t.iter().rev().take_while(|&&b| is_ws(b)).count();
        if trail > 0 {
            out.push(Edit::delete(line.content_end - trail..line.content_end));
        }
    }

    // Empty lines inside the continuation.
    let mut prev_end = None;
    for span in ins.empty_continuation_lines() {
        let line = cx.line_of(span.start);
        if prev_end == Some(line.start) {
            out.push(Edit::delete(line.start..line.end));
        } else if line.content_end > line.start {
            out.push(Edit::delete(line.start..line.content_end));
        }
        prev_end = Some(line.end);
    }
}
