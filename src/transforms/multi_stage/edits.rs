//! The edits of a split: name the builder, add the recipe's lines, move the
//! runtime-only instructions and append the runtime stage with the carried
//! ones (and the ARGs they expand).

use crate::edit::Edit;
use crate::syntax::Keyword;

use super::{Split, StageFacts};

/// Instructions the runtime stage gets a copy of.
fn carried(k: Keyword) -> bool {
    matches!(
        k,
        Keyword::Env
            | Keyword::Expose
            | Keyword::User
            | Keyword::Workdir
            | Keyword::Volume
            | Keyword::Label
            | Keyword::Healthcheck
            | Keyword::Stopsignal
            | Keyword::Cmd
            | Keyword::Entrypoint
    )
}

/// Carried instructions that leave the builder.
fn moved(k: Keyword) -> bool {
    matches!(
        k,
        Keyword::Expose
            | Keyword::Healthcheck
            | Keyword::Stopsignal
            | Keyword::Cmd
            | Keyword::Entrypoint
    )
}

/// The edits of a split: name the builder, add its head and tail lines,
/// move the runtime-only instructions and append the runtime stage.
pub(super) fn edits(f: &StageFacts, name: Option<&str>, s: &Split) -> Vec<Edit> {
    let builder = name.unwrap_or("build").to_string();
    let runtime = if builder == "runtime" {
        "final"
    } else {
        "runtime"
    };
    let mut edits = Vec::new();
    if name.is_none() {
        let from = &f.doc.instructions()[f.from];
        edits.push(Edit::insert(from.args_span().end, format!(" AS {builder}")));
    }
    edits.extend(builder_head(f, s, &builder));
    let carried_text = carry(f, &mut edits);
    edits.extend(builder_tail(f, s));
    edits.push(runtime_stage(f, s, &builder, runtime, &carried_text));
    edits
}

/// Appends `lines` to `out`, one a line, `{build}` replaced by the builder's name.
fn lines(out: &mut String, lines: &[String], builder: &str, nl: &str) {
    for l in lines {
        out.push_str(&l.replace("{build}", builder));
        out.push_str(nl);
    }
}

/// The builder's head lines: before a later instruction (at the start of
/// its line), else right after FROM.
fn builder_head(f: &StageFacts, s: &Split, builder: &str) -> Option<Edit> {
    if s.builder_head.is_empty() {
        return None;
    }
    let doc = f.doc;
    let nl = doc.line_ending();
    let instrs = doc.instructions();
    let mut t = String::new();
    if let Some(at) = s.builder_head_at {
        let start = instrs[at].span.start;
        let line = doc.source()[..start].rfind('\n').map_or(0, |n| n + 1);
        lines(&mut t, &s.builder_head, builder, nl);
        return Some(Edit::insert(line, t));
    }
    let from = &instrs[f.from];
    if !doc.text(from.span.clone()).ends_with('\n') {
        t.push_str(nl);
    }
    lines(&mut t, &s.builder_head, builder, nl);
    Some(Edit::insert(from.span.end, t))
}

/// Where each instruction of the stage starts with its own comment lines:
/// the comment lines right above a moved instruction are its own
/// (lossless: a comment belongs to the instruction below it) and move with
/// it.
fn own_starts(f: &StageFacts) -> Vec<usize> {
    let src = f.doc.source();
    let from = &f.doc.instructions()[f.from];
    let stage = f.instrs();
    stage
        .iter()
        .enumerate()
        .map(|(k, ins)| {
            if !moved(ins.keyword) {
                return ins.span.start;
            }
            let prev_end = if k == 0 {
                from.span.end
            } else {
                stage[k - 1].span.end
            };
            comment_lines_before(src, ins.span.start, prev_end)
        })
        .collect()
}

/// The text of the carried instructions (and the ARGs they expand) for the
/// runtime stage; the moved ones are deleted from the builder (`edits`).
fn carry(f: &StageFacts, edits: &mut Vec<Edit>) -> String {
    let doc = f.doc;
    let nl = doc.line_ending();
    let src = doc.source();
    let args = needed_args(f);
    let stage = f.instrs();
    let own_starts = own_starts(f);
    let mut carried_text = String::new();
    for (k, ins) in stage.iter().enumerate() {
        if !carried(ins.keyword) && !args.contains(&k) {
            continue;
        }
        let own_start = own_starts[k];
        let t = doc.text(own_start..ins.span.end);
        carried_text.push_str(t.trim_start());
        if !t.ends_with('\n') {
            carried_text.push_str(nl);
        }
        if moved(ins.keyword) {
            // The blank lines before a moved instruction go with it when a
            // blank line or the end of the file follows: else the builder
            // keeps two blank lines in a row, or one before the runtime's
            // FROM besides the one the split adds.
            // (What follows it: past the moved instructions right after.)
            let mut end = ins.span.end;
            for j in k + 1..stage.len() {
                if !moved(stage[j].keyword) || own_starts[j] != end {
                    break;
                }
                end = stage[j].span.end;
            }
            let after = &src[end..];
            let blank_after = after.trim().is_empty()
                || after.lines().next().is_some_and(|l| l.trim().is_empty());
            let start = if blank_after {
                blank_lines_before(src, own_start)
            } else {
                own_start
            };
            edits.push(Edit::delete(start..ins.span.end));
        }
    }
    carried_text
}

/// The builder's tail goes after its last RUN (same USER as the build).
fn builder_tail(f: &StageFacts, s: &Split) -> Option<Edit> {
    if s.builder_tail.is_empty() {
        return None;
    }
    let doc = f.doc;
    let nl = doc.line_ending();
    let last_run = f.runs().last().expect("a recipe with a tail has a RUN");
    let mut t = String::new();
    if !doc.text(last_run.span.clone()).ends_with('\n') {
        t.push_str(nl);
    }
    for l in &s.builder_tail {
        t.push_str(l);
        t.push_str(nl);
    }
    Some(Edit::insert(last_run.span.end, t))
}

/// The runtime stage appended at the end of the file: FROM, the recipe's
/// head, the carried instructions, the recipe's tail.
fn runtime_stage(f: &StageFacts, s: &Split, builder: &str, runtime: &str, carried: &str) -> Edit {
    let doc = f.doc;
    let nl = doc.line_ending();
    let end = doc.source().len();
    let mut t = String::new();
    // A last line without a newline: unless it moves away, end it.
    let last_moves = doc.instructions().last().is_some_and(|i| {
        moved(i.keyword) && i.span.end == end && doc.text(i.span.clone()).lines().count() == 1
    });
    if !doc.source().ends_with('\n') && !last_moves {
        t.push_str(nl);
    }
    t.push_str(nl);
    t.push_str(&format!("FROM {} AS {runtime}{nl}", s.runtime_image));
    lines(&mut t, &s.runtime_head, builder, nl);
    t.push_str(carried);
    lines(&mut t, &s.runtime_tail, builder, nl);
    Edit::insert(end, t)
}

/// The start of the comment lines (`# …`, no blank line between) right
/// before `at` (the start of a line), not before `floor` (the end of the
/// instruction before); `at` when there are none.
fn comment_lines_before(src: &str, at: usize, floor: usize) -> usize {
    let mut start = at;
    while start > floor && src[..start].ends_with('\n') {
        let prev = &src[..start - 1];
        let line_start = prev.rfind('\n').map_or(0, |n| n + 1);
        if line_start < floor || !prev[line_start..].trim_start().starts_with('#') {
            break;
        }
        start = line_start;
    }
    start
}

/// The start of the blank lines right before `at` (the start of a line);
/// `at` when there are none. The first line of the file is never taken.
fn blank_lines_before(src: &str, at: usize) -> usize {
    let mut start = at;
    while start > 0 && src[..start].ends_with('\n') {
        let prev = &src[..start - 1];
        let line_start = prev.rfind('\n').map_or(0, |n| n + 1);
        if line_start == 0 || !prev[line_start..].trim().is_empty() {
            break;
        }
        start = line_start;
    }
    start
}

/// The ARG instructions of the stage (indexes into `f.instrs()`) that a
/// carried instruction expands: build arguments are scoped to a stage
/// (a global one too needs `ARG NAME` inside it), so the runtime declares
/// them again, as written (with the default), before their first use.
/// Only the instructions BuildKit expands variables in count (ENV, LABEL,
/// EXPOSE, USER, WORKDIR, VOLUME, STOPSIGNAL; not CMD, ENTRYPOINT or
/// HEALTHCHECK, which the shell expands at run time from ENV only).
fn needed_args(f: &StageFacts) -> Vec<usize> {
    let instrs = f.instrs();
    let mut out = Vec::new();
    for (k, ins) in instrs.iter().enumerate() {
        if ins.keyword != Keyword::Arg {
            continue;
        }
        let names: Vec<String> = ins.pairs().into_iter().map(|(n, _)| n).collect();
        // The first later ARG of the same name ends this one's scope of use.
        let used = instrs[k + 1..]
            .iter()
            .take_while(|i| {
                i.keyword != Keyword::Arg || !i.pairs().iter().any(|(n, _)| names.contains(n))
            })
            .filter(|i| carried(i.keyword) && expands(i.keyword))
            .any(|i| names.iter().any(|n| uses_var(i.args_text(), n)));
        if used {
            out.push(k);
        }
    }
    out
}

/// Instructions whose arguments BuildKit expands `$VAR` in.
fn expands(k: Keyword) -> bool {
    matches!(
        k,
        Keyword::Env
            | Keyword::Label
            | Keyword::Expose
            | Keyword::User
            | Keyword::Workdir
            | Keyword::Volume
            | Keyword::Stopsignal
    )
}

/// `text` refers to variable `name`: `$name` (not `$names`) or `${name…}`.
fn uses_var(text: &str, name: &str) -> bool {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices('$').any(|(at, _)| {
        let rest = &text[at + 1..];
        if let Some(inner) = rest.strip_prefix('{') {
            inner
                .strip_prefix(name)
                .is_some_and(|r| r.starts_with('}') || r.starts_with(':'))
        } else {
            rest.strip_prefix(name)
                .is_some_and(|r| !r.starts_with(ident))
        }
    })
}
