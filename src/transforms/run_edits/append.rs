//! Adding a command to a RUN in the RUN's own style.
//!
//! ## Appending a command ([`append`])
//!
//! The new command goes after the last top-level item, never inside a
//! subshell, `if` or loop, so it runs in the same shell as the install:
//!
//! - separator: `; cmd` when the RUN runs under errexit (a top-level
//!   `set -e…` before the last item, or a SHELL with `-e`) *and* its items
//!   are already separated by `;` (the official-image style
//!   `set -eux; apt-get …; …`); otherwise ` && cmd`, joined to the last
//!   and-or list, so the RUN still fails exactly when it failed before
//!   (`a || b && cmd` is `(a || b) && cmd`);
//! - a one-line RUN gets the command on the same line;
//! - a multi-line RUN gets a new continuation line: same escape character,
//!   same line ending, the operator where the RUN puts it (`&& \` at line end
//!   or `&&` at line start, read from the last line break that stands at an
//!   operator) and that line's indentation; a RUN with no line break at an
//!   operator uses the `[format]` options;
//! - refused (`Err(reason)`): a trailing shell comment (it would swallow the
//!   command), a background `&`, a newline separator, or an `exit`/`exec`
//!   at top level (the command would never run).
//!
//! ## Prepending a command ([`prepend`])
//!
//! `cmd && ` before a RUN that is one and-or list without `||` (so a failing
//! `cmd` still fails the RUN); after a leading `set -e…;` as `cmd; ` in a
//! `;`-style RUN. Anything else is refused.

use super::*;

/// The script runs under errexit before item `item`: a SHELL with `-e`, or
/// a top-level `set -e…` in an earlier item.
pub fn errexit_before(script: &Script, shell: &ShellKind, item: usize) -> bool {
    if matches!(shell, ShellKind::Posix { errexit: true }) {
        return true;
    }
    script.items[..item].iter().any(|it| {
        script.commands.iter().any(|c| {
            !c.isolated
                && it.span.start <= c.span.start
                && c.span.end <= it.span.end
                && c.name() == Some("set")
                && c.words[1..].iter().any(|w| {
                    w.literal.as_deref().is_some_and(|l| {
                        l.strip_prefix('-')
                            .is_some_and(|f| !f.starts_with('-') && f.contains('e'))
                    })
                })
        })
    })
}

/// `exec CMD`, or an `exit` that may end the shell with status 0 (`exit`,
/// `exit 0`, `exit $rc`): then a command appended to the RUN would be
/// skipped on a successful build. A literal non-zero `exit 1` fails the
/// build anyway, so it never hides a skipped cleanup.
pub(super) fn ends_shell_successfully(c: &crate::shell::SimpleCommand) -> bool {
    match c.name() {
        // `exec >log 2>&1` only redirects.
        Some("exec") => c.words.len() > 1,
        Some("exit") => match c.words.get(1) {
            None => true,
            Some(w) => w
                .literal
                .as_deref()
                .and_then(|l| l.parse::<u64>().ok())
                .is_none_or(|n| n % 256 == 0),
        },
        _ => false,
    }
}

/// Why a command cannot be appended to a RUN, if it cannot.
pub(super) fn append_blocker(script: &Script) -> Option<&'static str> {
    if script.comment.is_some() {
        return Some("the RUN ends in a shell comment");
    }
    if script.items.is_empty() {
        return Some("the RUN is empty");
    }
    if script
        .items
        .iter()
        .any(|it| matches!(it.terminator, Some((Op::Amp | Op::Newline, _))))
    {
        return Some("the RUN has a background job or a newline separator");
    }
    if script
        .commands
        .iter()
        .any(|c| !c.isolated && ends_shell_successfully(c))
    {
        return Some("the RUN calls `exit 0` or `exec`, which would skip what comes after");
    }
    None
}

/// How a RUN breaks its lines at an operator (`&&`, `||`, `;`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineStyle {
    /// The operator starts the continued line (`\⏎    && cmd`), rather
    /// than ending the broken one (`&& \⏎    cmd`).
    pub operator_first: bool,
    /// The continued line's indentation.
    pub indent: String,
    /// The line ending (`\n` or `\r\n`).
    pub newline: &'static str,
}

/// How a RUN breaks its lines where it shows it, read from the last line
/// break at an operator; `None` when no line break stands at one.
pub fn own_line_style(doc: &Document, ins: &Instruction) -> Option<LineStyle> {
    let src = doc.source();
    let text = &src[ins.span.clone()];
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let esc = doc.escape();
    let mut found = None;
    for k in 1..lines.len() {
        let prev = lines[k - 1].trim_end_matches(['\r', '\n']).trim_end();
        let Some(before) = prev.strip_suffix(esc) else {
            continue;
        };
        let next = lines[k];
        let body = next.trim_start_matches([' ', '\t']);
        if body.trim().is_empty() || body.starts_with('#') {
            continue;
        }
        let indent = &next[..next.len() - body.len()];
        let nl = if lines[k - 1].ends_with("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        let before = before.trim_end();
        if body.starts_with("&&") || body.starts_with("||") || body.starts_with(';') {
            found = Some(LineStyle {
                operator_first: true,
                indent: indent.to_string(),
                newline: nl,
            });
        } else if before.ends_with("&&") || before.ends_with("||") || before.ends_with(';') {
            found = Some(LineStyle {
                operator_first: false,
                indent: indent.to_string(),
                newline: nl,
            });
        }
    }
    found
}

/// The `[format]` options as a line style, with the line ending `newline`.
pub fn configured_line_style(cfg: &Config, newline: &'static str) -> LineStyle {
    LineStyle {
        operator_first: cfg.format.operator_position == OperatorPosition::LineStart,
        indent: " ".repeat(cfg.format.indent),
        newline,
    }
}

/// How the RUN breaks its lines: its own style ([`own_line_style`]), else
/// the `[format]` options.
pub(super) fn line_style(doc: &Document, ins: &Instruction, cfg: &Config) -> LineStyle {
    own_line_style(doc, ins).unwrap_or_else(|| {
        let text = &doc.source()[ins.span.clone()];
        let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
        configured_line_style(cfg, nl)
    })
}

/// The edit that appends `cmd` after the RUN's last top-level item (see the
/// module doc for the style rules).
pub fn append(
    doc: &Document,
    ins: &Instruction,
    script: &Script,
    shell: &ShellKind,
    cfg: &Config,
    cmd: &str,
) -> Result<Edit, &'static str> {
    if let Some(why) = append_blocker(script) {
        return Err(why);
    }
    let n = script.items.len();
    let last = &script.items[n - 1];
    let semi_style = n > 1
        && matches!(script.items[n - 2].terminator, Some((Op::Semi, _)))
        && errexit_before(script, shell, n - 1);
    let op = if semi_style { ";" } else { "&&" };
    let at = ins
        .logical
        .to_source_end(ins.command.args.start + last.span.end);
    let multiline = doc.source()[ins.span.clone()]
        .trim_end_matches(['\r', '\n'])
        .contains('\n');
    if !multiline {
        let sep = if semi_style { "; " } else { " && " };
        return Ok(Edit::insert(at, format!("{sep}{cmd}")));
    }
    let esc = doc.escape();
    let LineStyle {
        operator_first,
        indent,
        newline: nl,
    } = line_style(doc, ins, cfg);
    let text = if operator_first {
        format!(" {esc}{nl}{indent}{op} {cmd}")
    } else if semi_style {
        format!("; {esc}{nl}{indent}{cmd}")
    } else {
        format!(" && {esc}{nl}{indent}{cmd}")
    };
    Ok(Edit::insert(at, text))
}

/// The edit that puts `cmd` before the RUN's commands (see the module doc).
pub fn prepend(ins: &Instruction, script: &Script, cmd: &str) -> Result<Edit, &'static str> {
    let first = script.items.first().ok_or("the RUN is empty")?;
    let start = ins.logical.to_source(ins.command.args.start);
    if script.items.len() == 1 && !first.and_or.iter().any(|(op, _)| *op == Op::Or) {
        if script.items[0].terminator.is_some()
            && !matches!(script.items[0].terminator, Some((Op::Semi, _)))
        {
            return Err("the RUN has a background job");
        }
        return Ok(Edit::insert(start, format!("{cmd} && ")));
    }
    // `set -eux; …`: after the `set` item.
    if script.items.len() > 1
        && first.and_or.is_empty()
        && matches!(first.terminator, Some((Op::Semi, _)))
        && errexit_before(script, &ShellKind::Posix { errexit: false }, 1)
    {
        let (_, semi) = first.terminator.clone().unwrap_or((Op::Semi, 0..0));
        let at = ins.logical.to_source_end(ins.command.args.start + semi.end);
        return Ok(Edit::insert(at, format!(" {cmd};")));
    }
    Err("the RUN is not a single and-or list")
}
