//! Merge consecutive RUN instructions of one stage into a single RUN joined with
//! ` && \` continuation lines, keeping the comment lines that stood between them
//! (BuildKit leaves comment lines out of the command) and dropping blank lines
//! between them. `[merge-runs] across-blank-lines = false` in `dslim.toml` keeps
//! RUNs that a blank line separates apart, as the author grouped them.
//!
//! Line style: `&&` at line start or at line end, and the indentation, as the
//! RUNs already break their lines at an operator (the last such line break
//! wins); otherwise as `[format]` in `dslim.toml` says (`operator-position`,
//! `indent`; default `&&` at line start, 4 spaces), as `dslim fmt` would.
//!
//! Why: every RUN is a layer. Files removed by a later RUN still ship in the
//! layer that created them, and each layer adds metadata and a cache step.
//!
//! Safety: safe. The joined command fails exactly when one of the original RUNs
//! failed and no shell state (`cd`, `export`, `set`, variables, functions) leaks
//! from one part into the next: parts that are not plain AND-lists are wrapped
//! in `{ …; }`, parts that change shell state in `( … )`, and a part relying on
//! `set -e` is only ever the last one. RUNs that cannot be joined with certainty
//! (exec form, heredocs, different `--mount`/`--network`/`--security` flags,
//! background jobs, trailing comments, `/bin/sh` replacement, non-POSIX SHELL,
//! suppression comments or other instructions in between) are left
//! alone.
//!
//! Before:
//! ```text
//! RUN apt-get update
//! RUN apt-get install -y curl
//! ```
//!
//! After:
//! ```text
//! RUN apt-get update \
//!     && apt-get install -y curl
//! ```

use crate::edit::{Applicability, Edit, Fix, Reach};
use crate::finding::Finding;
use crate::shell::{Op, Script};
use crate::syntax::{Document, Instruction, Keyword, NodeKind};
use crate::transform::{Context, FixAvailability, Meta, Transform};
use compact_str::CompactString;

use super::run_edits;
use crate::model::ShellKind;

pub struct MergeRuns;

static META: Meta = Meta {
    code: "DS001",
    name: "merge-runs",
    summary: "Merge consecutive RUN instructions into one layer",
    doc: crate::transform_doc!("merge_runs"),
    fix: FixAvailability::Sometimes,
    safety: Applicability::Safe,
    aliases: &["DL3059"],
};

/// Builtins and constructs whose effect outlives the command in the calling
/// shell. `command`/`builtin` can run any of them.
const STATEFUL: &[&str] = &[
    "cd",
    "pushd",
    "popd",
    "export",
    "unset",
    "set",
    "shopt",
    "source",
    ".",
    "eval",
    "read",
    "alias",
    "unalias",
    "ulimit",
    "umask",
    "exec",
    "exit",
    "trap",
    "declare",
    "typeset",
    "local",
    "readonly",
    "getopts",
    "shift",
    "hash",
    "enable",
    "builtin",
    "command",
    "return",
    "let",
    "mapfile",
    "readarray",
    "dirs",
    "disown",
];

/// What merging needs to know about one RUN.
struct Part {
    index: usize,
    /// Leaves shell state behind: needs `( … )` unless last.
    stateful: bool,
    /// Sets a shell variable (`v=1`, `${X:=d}`, `for v in`, `read v`…): as a
    /// later part, wrapped in `{ …; }` although `a && v=1 && echo $v` would
    /// run the same, because ShellCheck (hadolint's SC2086) stops tracking a
    /// variable assigned on the right of `&&` and warns on every use.
    assigns: bool,
    /// Not a plain AND-list: needs `{ …; }` when not first.
    compound: bool,
    /// Relies on errexit: may only be the last part.
    errexit: bool,
    /// Ends in a shell comment: nothing may follow it.
    comment: bool,
    /// The text ends with `;` (so `{ …; }` must not double it).
    ends_with_semi: bool,
}

impl Transform for MergeRuns {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, doc: &Document, cx: &Context, out: &mut Vec<Finding>) {
        let model = cx.model();
        let instrs = doc.instructions();
        // Instruction index → whether the lines between it and the previous
        // instruction are only plain comments.
        let attached = attachment(doc, cx.config.merge_runs.across_blank_lines);
        // Only a RUN directly attached to another RUN can merge; parsing the
        // shell of the others would be wasted work.
        let is_run = |i: usize| instrs.get(i).is_some_and(|x| x.keyword == Keyword::Run);
        let candidate = |i: usize| {
            is_run(i)
                && ((i > 0 && attached[i] && is_run(i - 1))
                    || (attached.get(i + 1) == Some(&true) && is_run(i + 1)))
        };
        let mut group: Vec<Part> = Vec::new();
        for (i, ins) in instrs.iter().enumerate() {
            let part = if candidate(i) && !cx.suppressions.suppresses(i, &META) {
                analyse(i, ins, model.shell(i), model.script(i))
            } else {
                None
            };
            let joins = match (&part, group.last()) {
                (Some(p), Some(prev)) => {
                    attached[i]
                        && prev.index + 1 == i
                        && instrs[prev.index].flags() == ins.flags()
                        && !prev.comment
                        && !prev.errexit
                        && !(p.comment && p.compound)
                }
                _ => false,
            };
            if !joins {
                flush(doc, cx, &mut group, out);
            }
            if let Some(p) = part {
                group.push(p);
            }
        }
        flush(doc, cx, &mut group, out);
    }
}

/// For each instruction: true when only comment lines (none of them a
/// suppression) and, with `blanks`, blank lines separate it from the
/// instruction before it.
fn attachment(doc: &Document, blanks: bool) -> Vec<bool> {
    let mut out = vec![false; doc.instructions().len()];
    let mut clean = false;
    for n in doc.nodes() {
        match n.kind {
            NodeKind::Instruction(i) => {
                out[i] = clean;
                clean = true;
            }
            NodeKind::Comment => {
                let t = doc
                    .text(n.span.clone())
                    .trim_start()
                    .trim_start_matches('#');
                let t = t.trim_start().to_ascii_lowercase();
                if t.starts_with("dslim") || t.starts_with("hadolint") || t.starts_with("check=") {
                    clean = false;
                }
            }
            NodeKind::Blank if blanks => {}
            NodeKind::Blank | NodeKind::Bom | NodeKind::Directive => clean = false,
        }
    }
    out
}

fn analyse(
    index: usize,
    ins: &Instruction,
    shell: &ShellKind,
    script: Option<&Script>,
) -> Option<Part> {
    let script = script?;
    if script.items.is_empty()
        || script
            .items
            .iter()
            .any(|it| matches!(it.terminator, Some((Op::Amp, _))))
        || replaces_sh(script)
    {
        return None;
    }
    let text = ins.args_text();
    let assigns = assigns_in_text(text)
        || script
            .commands
            .iter()
            .any(|c| !c.isolated && c.words.is_empty() && !c.assignments.is_empty());
    let stateful = script.has_function_def
        || assigns
        || script
            .commands
            .iter()
            .any(|c| !c.isolated && changes_shell_state(c));
    let compound = script.items.len() > 1
        || !script.pipes.is_empty()
        || script
            .items
            .iter()
            .any(|it| it.and_or.iter().any(|(op, _)| *op == Op::Or))
        || script.items.iter().any(|it| it.terminator.is_some());
    let sets_errexit = script.commands.iter().any(sets_errexit);
    let shell_errexit =
        matches!(shell, ShellKind::Posix { errexit: true }) && (compound || nested(script));
    let ends_with_semi = script
        .items
        .last()
        .is_some_and(|it| matches!(it.terminator, Some((Op::Semi, _))));
    Some(Part {
        index,
        stateful,
        assigns,
        compound,
        errexit: sets_errexit || shell_errexit,
        comment: script.comment.is_some(),
        ends_with_semi,
    })
}

/// Special builtins: assignments written before them stay set in the
/// calling shell (POSIX; dash does this).
const SPECIAL_BUILTINS: &[&str] = &[
    ":", ".", "break", "continue", "eval", "exec", "exit", "export", "readonly", "return", "set",
    "shift", "times", "trap", "unset",
];

/// Whether a (non-isolated) simple command changes the calling shell.
fn changes_shell_state(c: &crate::shell::SimpleCommand) -> bool {
    let Some(first) = c.words.first() else {
        // A bare assignment.
        return !c.assignments.is_empty();
    };
    // A computed command name could be anything.
    let Some(name) = first.literal.as_deref() else {
        return true;
    };
    STATEFUL.contains(&name)
        || (!c.assignments.is_empty() && SPECIAL_BUILTINS.contains(&name))
        || (name == "printf" && c.words.iter().skip(1).any(|w| w.is("-v")))
}

/// Assignments the simple-command view does not show: `for` loop variables,
/// `${X:=default}` / `${X=default}`, and arithmetic `$((X=1))`, `$((X++))`.
/// Read from the raw text, so a match inside quotes also counts: wrapping
/// in a subshell is always correct, only less tidy.
fn assigns_in_text(text: &str) -> bool {
    let b = text.as_bytes();
    let word_start = |i: usize| {
        i == 0
            || matches!(
                b[i - 1],
                b' ' | b'\t' | b';' | b'&' | b'|' | b'(' | b'{' | b'!'
            )
    };
    let keyword_at = |i: usize, kw: &str| {
        text[i..].starts_with(kw) && word_start(i) && text[i + kw.len()..].starts_with([' ', '\t'])
    };
    // Both keywords start with an ASCII byte, so a position holding `f` or
    // `s` is a char boundary; the other positions need no look.
    for (i, &c) in b.iter().enumerate() {
        if (c == b'f' && keyword_at(i, "for")) || (c == b's' && keyword_at(i, "select")) {
            return true;
        }
    }
    // ${NAME=…} / ${NAME:=…}
    let mut rest = text;
    while let Some(p) = rest.find("${") {
        let after = &rest[p + 2..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let tail = &after[name_len..];
        if name_len > 0 && (tail.starts_with('=') || tail.starts_with(":=")) {
            return true;
        }
        rest = after;
    }
    // $(( … )) and (( … )) with =, ++ or --, other than comparisons.
    let mut rest = text;
    while let Some(p) = rest.find("((") {
        let after = &rest[p + 2..];
        let body = &after[..after.find("))").unwrap_or(after.len())];
        let assigns = body.contains("++")
            || body.contains("--")
            || body.char_indices().any(|(j, c)| {
                c == '='
                    && !body[..j].ends_with(['=', '!', '<', '>'])
                    && !body[j + 1..].starts_with('=')
            });
        if assigns {
            return true;
        }
        rest = after;
    }
    false
}

/// More simple commands than top-level pipeline elements: something runs
/// inside a compound command, where errexit would matter.
fn nested(script: &Script) -> bool {
    let elements: usize = script
        .items
        .iter()
        .map(|it| it.and_or.len() + 1)
        .sum::<usize>()
        + script.pipes.len();
    script.commands.len() > elements
}

fn sets_errexit(c: &crate::shell::SimpleCommand) -> bool {
    let lit = |i: usize| c.words.get(i).and_then(|w| w.literal.as_deref());
    if lit(0) != Some("set") {
        return false;
    }
    let mut words = c.words[1..]
        .iter()
        .map(|w| w.literal.as_deref().unwrap_or(""));
    while let Some(a) = words.next() {
        if a == "-o" {
            if words.next() == Some("errexit") {
                return true;
            }
        } else if let Some(cluster) = a.strip_prefix('-') {
            if !cluster.starts_with('-') && cluster.contains('e') {
                return true;
            }
        }
    }
    false
}

/// Replaces or reconfigures `/bin/sh`, which changes how every later RUN is
/// interpreted.
fn replaces_sh(script: &Script) -> bool {
    script.commands.iter().any(|c| {
        let name = c
            .words
            .first()
            .and_then(|w| w.literal.as_deref())
            .unwrap_or("");
        let name = name.rsplit('/').next().unwrap_or(name);
        let touches_sh = c.words.iter().skip(1).any(|w| {
            w.literal.as_deref().is_some_and(|l| {
                l == "sh" || l == "dash" || l.ends_with("/sh") || l.ends_with("/dash")
            })
        });
        matches!(name, "dpkg-divert" | "chsh")
            || (name == "dpkg-reconfigure" && touches_sh)
            || (matches!(
                name,
                "ln" | "mv" | "cp" | "rm" | "install" | "update-alternatives"
            ) && touches_sh)
    })
}

fn flush(doc: &Document, cx: &Context, group: &mut Vec<Part>, out: &mut Vec<Finding>) {
    let parts = std::mem::take(group);
    // A part relying on errexit ends its group; the group was built so that
    // only the last part may rely on it.
    if parts.len() < 2 {
        return;
    }
    out.push(merge(doc, cx, &parts));
}

/// Where the joining `&&` goes and how far the joined lines are indented:
/// as the group's RUNs already break their lines at an operator (the last
/// such line break wins), else as `[format]` says.
fn join_style(doc: &Document, cx: &Context, parts: &[Part]) -> run_edits::LineStyle {
    let instrs = doc.instructions();
    parts
        .iter()
        .rev()
        .find_map(|p| run_edits::own_line_style(doc, &instrs[p.index]))
        .unwrap_or_else(|| run_edits::configured_line_style(cx.config, "\n"))
}

fn merge(doc: &Document, cx: &Context, parts: &[Part]) -> Finding {
    let instrs = doc.instructions();
    let style = join_style(doc, cx, parts);
    let mut edits = Vec::with_capacity(2 * parts.len());
    let last = parts.len() - 1;
    // The texts every joint gets, made once (a merge of 270k RUNs has as
    // many joints): the end of a line, and the start of the next one when
    // it opens no group.
    let esc = doc.escape();
    let tail = CompactString::from(if style.operator_first {
        format!(" {esc}")
    } else {
        format!(" && {esc}")
    });
    let lead = |open: &str| {
        let and = if style.operator_first { "&& " } else { "" };
        let mut s = CompactString::with_capacity(style.indent.len() + and.len() + open.len());
        s.push_str(&style.indent);
        s.push_str(and);
        s.push_str(open);
        s
    };
    let plain_lead = lead("");
    for (k, p) in parts.iter().enumerate() {
        let ins = &instrs[p.index];
        let args = ins.args_span();
        if k > 0 {
            let prev = &instrs[parts[k - 1].index];
            edits.push(continue_line(doc, prev, tail.clone()));
            drop_blank_lines(doc, prev, ins, &mut edits);
        }
        let (open, close) = wrapping(&doc.source()[args.clone()], p, k == 0, k == last);
        if k > 0 {
            let lead = if open.is_empty() {
                plain_lead.clone()
            } else {
                lead(open)
            };
            edits.push(Edit::replace(ins.span.start..args.start, lead));
        } else if !open.is_empty() {
            edits.push(Edit::insert(args.start, open));
        }
        if !close.is_empty() {
            edits.push(Edit::insert(args.end, close));
        }
    }
    // Edits at one offset keep their order (Fix::new sorts stably): the
    // closing text of a part comes before the continuation that follows it.
    // The edits only join: flags other fixes add to the commands in
    // between apply in the same pass.
    let fix = Fix::safe(edits)
        .with_title("merge into one RUN")
        .with_reach(Reach::Joints);
    let first = &instrs[parts[0].index];
    Finding {
        code: META.code,
        name: META.name,
        message: format!(
            "{} consecutive RUN instructions can be merged into one layer",
            parts.len()
        )
        .into(),
        span: first.span.start..first.span.start + first.keyword_text().len(),
        fix: Some(fix),
        saving_bytes: None,
    }
}

/// Closes the last line of `prev` with a continuation (and the `&&` when it
/// goes at line end: `tail`), replacing the whitespace after its arguments.
fn continue_line(doc: &Document, prev: &Instruction, tail: CompactString) -> Edit {
    let prev_end = prev.args_span().end;
    let line_end = prev.span.end;
    let ws_end = doc.source()[prev_end..line_end]
        .find(['\r', '\n'])
        .map_or(line_end, |i| prev_end + i);
    Edit::replace(prev_end..ws_end, tail)
}

/// Blank lines between `prev` and `ins` would become empty continuation
/// lines (BuildKit warns about those): drop them; comment lines stay,
/// BuildKit leaves them out of the command.
fn drop_blank_lines(doc: &Document, prev: &Instruction, ins: &Instruction, edits: &mut Vec<Edit>) {
    // Nodes are in source order: only those from the first one starting at
    // `prev`'s end up to this RUN are looked at, so a group of thousands of
    // RUNs is not quadratic.
    let nodes = doc.nodes();
    let from = nodes.partition_point(|n| n.span.start < prev.span.end);
    for n in nodes[from..]
        .iter()
        .take_while(|n| n.span.end <= ins.span.start)
    {
        if n.kind == NodeKind::Blank {
            edits.push(Edit::delete(n.span.clone()));
        }
    }
}

/// The text put before and after a part's arguments (`args`) so that it
/// joins safely: `( … )` when it leaves shell state behind and is not last;
/// `{ …; }` when it is a later part that is not a plain AND-list or assigns
/// variables (see [`Part::assigns`]), or the first part ending in `;`
/// (which cannot precede `&&`); else nothing.
fn wrapping(args: &str, p: &Part, first: bool, last: bool) -> (&'static str, &'static str) {
    if p.stateful && !last {
        // `((` would start an arithmetic command.
        let open = if args.starts_with('(') { "( " } else { "(" };
        return (open, ")");
    }
    let braces = (!first && (p.compound || p.assigns)) || (first && p.ends_with_semi);
    if !braces {
        return ("", "");
    }
    let close = if p.ends_with_semi { " }" } else { "; }" };
    ("{ ", close)
}

#[cfg(test)]
mod tests {
    use super::assigns_in_text;

    #[test]
    fn hidden_assignments() {
        assert!(assigns_in_text("for p in a b; do echo $p; done"));
        assert!(assigns_in_text("x && for p in a; do :; done"));
        assert!(assigns_in_text(": \"${PREFIX:=/opt}\""));
        assert!(assigns_in_text("echo ${X=1}"));
        assert!(assigns_in_text("echo $((J=4))"));
        assert!(assigns_in_text("echo $((i++))"));
        assert!(assigns_in_text("echo $((i += 2))"));
        assert!(!assigns_in_text("echo $((a == b)) $((a <= b)) $((a != b))"));
        assert!(!assigns_in_text("make format && echo ${X:-d} ${Y}"));
        assert!(!assigns_in_text("platform=1x"));
    }
}
