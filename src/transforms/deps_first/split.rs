//! Splitting a RUN right after the install (`npm ci && npm run build`), so
//! DS001's merge and this fix compose.

use super::*;

/// The RUN holds installs and companions only, all at top level, joined
/// with `&&` or `;`.
pub(super) fn own_run(script: &Script, is_install: impl Fn(usize) -> bool) -> bool {
    script.comment.is_none()
        && !script.has_function_def
        && script.pipes.is_empty()
        && script
            .commands
            .iter()
            .enumerate()
            .all(|(k, c)| !c.isolated && (is_install(k) || companion(c)))
        && script
            .items
            .iter()
            .all(|i| i.and_or.iter().all(|(op, _)| *op == crate::shell::Op::And))
}

/// Where a RUN that starts with the install splits: the install and its
/// companions, each a top-level command of one `&&` list, then the rest.
pub(super) struct Split {
    /// End of the last install or companion command (RUN-text offset).
    pub(super) prefix_end: usize,
    /// Start of the first command after it.
    pub(super) rest_start: usize,
}

/// The split of `install && … && rest`: one and-or list of `&&` only, no
/// function definition, a comment only inside the rest, the leading
/// commands (at least one install, then installs and companions) plain
/// simple commands that change nothing the rest could read from the shell
/// (no `cd`, no `export`: those are neither installs nor companions).
pub(super) fn split_point(
    script: &Script,
    text: &str,
    is_install: impl Fn(usize) -> bool,
) -> Option<Split> {
    let [item] = &script.items[..] else {
        return None;
    };
    if script.has_function_def
        || item.terminator.is_some()
        || item.and_or.is_empty()
        || item
            .and_or
            .iter()
            .any(|(op, _)| *op != crate::shell::Op::And)
    {
        return None;
    }
    // Segment k runs from the end of operator k-1 to the start of operator k.
    let bounds: Vec<(usize, usize)> = std::iter::once(item.span.start)
        .chain(item.and_or.iter().map(|(_, r)| r.end))
        .zip(
            item.and_or
                .iter()
                .map(|(_, r)| r.start)
                .chain(std::iter::once(item.span.end)),
        )
        .collect();
    let mut prefix = 0;
    let mut has_install = false;
    for &(a, b) in &bounds[..bounds.len() - 1] {
        let inside: Vec<(usize, &SimpleCommand)> = script
            .commands
            .iter()
            .enumerate()
            .filter(|(_, c)| c.span.start >= a && c.span.end <= b)
            .collect();
        let [(k, c)] = inside.as_slice() else { break };
        let plain = !c.isolated
            && c.assignments.is_empty()
            && !script.pipes.iter().any(|p| p.start >= a && p.end <= b);
        let install = is_install(*k);
        if !plain || !(install || companion(c)) {
            break;
        }
        has_install |= install;
        prefix += 1;
    }
    if !has_install || prefix == 0 || prefix == bounds.len() {
        return None;
    }
    let prefix_end = script
        .commands
        .iter()
        .filter(|c| c.span.end <= bounds[prefix - 1].1)
        .map(|c| c.span.end)
        .max()?;
    let after_op = bounds[prefix].0;
    let rest_start = after_op + text.get(after_op..)?.len() - text[after_op..].trim_start().len();
    if script
        .comment
        .as_ref()
        .is_some_and(|c| c.start < rest_start)
    {
        return None;
    }
    Some(Split {
        prefix_end,
        rest_start,
    })
}
