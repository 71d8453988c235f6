//! Line breaks inside an instruction.
//!
//! At every continuation the text before the escape character ends in one
//! space (` \`), nothing follows the escape character, and the next content
//! line is indented by `format.indent` spaces — provided the whitespace
//! around the line break is a separator: outside every quote (a line break
//! inside a quoted string keeps its spacing, which is part of the string)
//! and not gluing two words together (`foo\` + `bar` stays as it is).
//!
//! In a shell-form RUN whose shell view is clear, each top-level `&&` of an
//! and-or list that already spans lines gets a line of its own, placed per
//! `format.operator-position`. Lists on one line are never split.

use super::{Cx, Seg, View};
use crate::config::OperatorPosition;
use crate::edit::Edit;
use crate::shell::{Op, Script};
use crate::syntax::Keyword;
use compact_str::CompactString;

/// How one line break is rewritten: the logical range before the escape
/// character (in segment `k`) and the one starting the next non-blank line
/// (segment `next`), with their new text. Lines holding nothing but the
/// escape character in between are indented too.
struct Break {
    next: usize,
    tail: std::ops::Range<usize>,
    /// The tail becomes ` && ` (else one space).
    tail_and: bool,
    lead: std::ops::Range<usize>,
    /// The lead becomes the indent and `&& ` (else the indent). Two flags,
    /// not two strings: a RUN continued over 570k lines has a break each.
    lead_and: bool,
}

pub(super) fn edits(cx: &Cx, v: &View, out: &mut Vec<Edit>) {
    let esc_len = cx.doc.escape().len_utf8();
    let n = v.segs.len();
    // Nothing may follow the escape character.
    for seg in &v.segs {
        let after = seg.source + seg.logical.len() + esc_len;
        if seg.continued && after < seg.line.content_end {
            out.push(Edit::delete(after..seg.line.content_end));
        }
    }
    // The end of the last content line: trailing whitespace (BuildKit trims
    // it, quoted or not).
    let last = &v.segs[n - 1];
    if !last.blank && last.tail > 0 {
        let r = last.logical.end - last.tail..last.logical.end;
        if v.all_safe(r.clone()) {
            let t = if last.continued { " " } else { "" };
            out.push(Edit::replace(last.span(r), t));
        }
    }

    let mut breaks: Vec<Option<Break>> = (0..n).map(|k| default_break(v, k)).collect();
    chains(cx, v, &mut breaks, out);
    // Only the breaks that change (a formatted RUN of 570k lines made two
    // edits a line that changed nothing, 90 MB).
    let mut push = |span: std::ops::Range<usize>, text: &str| {
        if cx.doc.source().get(span.clone()) != Some(text) {
            out.push(Edit::replace(span, text));
        }
    };
    let indent_and: CompactString = compact_str::format_compact!("{}&& ", cx.indent);
    for (k, b) in breaks.into_iter().enumerate() {
        let Some(b) = b else { continue };
        push(
            v.segs[k].span(b.tail),
            if b.tail_and { " && " } else { " " },
        );
        for blank in &v.segs[k + 1..b.next] {
            push(blank.span(blank.logical.clone()), &cx.indent);
        }
        push(
            v.segs[b.next].span(b.lead),
            if b.lead_and { &indent_and } else { &cx.indent },
        );
    }
}

/// The whitespace at the break after segment `k`, when it may be rewritten.
fn default_break(v: &View, k: usize) -> Option<Break> {
    let a = &v.segs[k];
    if a.blank {
        return None;
    }
    let next = k + 1 + v.segs[k + 1..].iter().position(|s| !s.blank)?;
    let b = &v.segs[next];
    let ws = a.logical.end - a.tail..b.logical.start + b.lead;
    // No whitespace: the break joins two words.
    if ws.is_empty() || !v.all_safe(ws.clone()) {
        return None;
    }
    Some(Break {
        next,
        tail: a.logical.end - a.tail..a.logical.end,
        tail_and: false,
        lead: b.logical.start..b.logical.start + b.lead,
        lead_and: false,
    })
}

fn all_ws(v: &View, r: std::ops::Range<usize>) -> bool {
    v.ins.logical.text.as_bytes()[r]
        .iter()
        .all(|&c| super::is_ws(c))
}

/// `&&` chains of a shell-form RUN.
fn chains(cx: &Cx, v: &View, breaks: &mut [Option<Break>], out: &mut Vec<Edit>) {
    let ins = v.ins;
    if ins.keyword != Keyword::Run
        || ins.is_exec_form()
        || !ins.heredocs().is_empty()
        || !v.shell.is_posix()
        || v.segs.len() < 2
    {
        return;
    }
    // The model's view: parsed once per pass, `None` for the same RUNs
    // (exec form, heredocs, non-POSIX shell) this rule skips anyway.
    let Some(script) = cx.model.script(v.index) else {
        return;
    };
    let base = ins.command.args.start;
    keep_breaks_in_words(script, base, breaks);
    for item in &script.items {
        let span = item.span.start + base..item.span.end + base;
        if span.is_empty() || v.within_one(&span).is_some() {
            continue; // on one line: never split
        }
        for (op, r) in &item.and_or {
            if *op == Op::And {
                place_and(cx, v, r.start + base..r.end + base, breaks, out);
            }
        }
    }
}

/// A break inside a word (a quoted string) is never rewritten: drops it.
fn keep_breaks_in_words(script: &Script, base: usize, breaks: &mut [Option<Break>]) {
    let mut words: Vec<_> = script
        .commands
        .iter()
        .flat_map(|c| c.assignments.iter().chain(&c.words))
        .map(|w| w.span.start + base..w.span.end + base)
        .collect();
    // Sorted by start, with the greatest end so far: whether any word
    // overlaps a range is one binary search (a scan per break was
    // quadratic on a RUN of thousands of lines).
    words.sort_by_key(|w| w.start);
    let mut reach = Vec::with_capacity(words.len());
    let mut far = 0;
    for w in &words {
        far = far.max(w.end);
        reach.push(far);
    }
    for b in breaks.iter_mut() {
        if let Some(br) = b {
            let ws = br.tail.start..br.lead.end;
            let k = words.partition_point(|w| w.start < ws.end);
            if k > 0 && reach[k - 1] > ws.start {
                *b = None;
            }
        }
    }
}

/// Puts the `&&` at `op` (instruction offsets) on a line of its own, at
/// the end or start of a line per `format.operator-position`: through the
/// break next to it, or an edit of its own.
fn place_and(
    cx: &Cx,
    v: &View,
    op: std::ops::Range<usize>,
    breaks: &mut [Option<Break>],
    out: &mut Vec<Edit>,
) {
    let text = v.ins.logical.text.as_bytes();
    let line_start = cx.opts.operator_position == OperatorPosition::LineStart;
    let (a, e) = (op.start, op.end);
    let mut p = a;
    while p > 0 && super::is_ws(text[p - 1]) {
        p -= 1;
    }
    let mut q = e;
    while q < text.len() && super::is_ws(text[q]) {
        q += 1;
    }
    let s = v.seg_of(a);
    let seg: &Seg = &v.segs[s];
    if seg.logical.end < e || seg.blank {
        return; // `&` + line break + `&`: leave it
    }
    let at_start = s > 0 && all_ws(v, seg.logical.start..a);
    let at_end = s + 1 < v.segs.len() && all_ws(v, e..seg.logical.end);
    match (at_start, at_end) {
        (true, true) => {}
        (true, false) => {
            // `cmd \` / `&& next`
            let prev = breaks[..s]
                .iter_mut()
                .rev()
                .flatten()
                .next()
                .filter(|b| b.next == s);
            let Some(br) = prev else {
                return;
            };
            if line_start {
                out.push(Edit::replace(seg.span(e..q), " "));
            } else {
                br.tail_and = true;
                br.lead = seg.logical.start..q;
                br.lead_and = false;
            }
        }
        (false, true) => {
            // `cmd && \` / `next`
            let Some(br) = breaks[s].as_mut() else {
                return;
            };
            if line_start {
                br.tail = p..seg.logical.end;
                br.tail_and = false;
                br.lead_and = true;
            } else {
                out.push(Edit::replace(seg.span(p..a), " "));
            }
        }
        (false, false) => {
            if !v.all_safe(p..a) || !v.all_safe(e..q) {
                return;
            }
            let esc = cx.doc.escape();
            let t = if line_start {
                format!(" {esc}{}{}&& ", cx.nl, cx.indent)
            } else {
                format!(" && {esc}{}{}", cx.nl, cx.indent)
            };
            out.push(Edit::replace(seg.span(p..q), t));
        }
    }
}
