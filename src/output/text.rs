//! Human-readable reports.

use crate::finding::Finding;
use crate::syntax::line_col;
use crate::transform::{FixAvailability, Transform};

use super::{paint, BOLD, CYAN, RED_BOLD};

/// `path:line:col: DS001 [*] message` (the `[*]` when the fix applies at the
/// current level), with a newline.
pub fn finding(path: &str, src: &str, f: &Finding, fixable: bool) -> String {
    let (line, col) = line_col(src, f.span.start);
    let mark = if fixable {
        format!(" {}", paint(CYAN, "[*]"))
    } else {
        String::new()
    };
    format!(
        "{}:{line}:{col}: {}{mark} {}\n",
        paint(BOLD, path),
        paint(RED_BOLD, f.code),
        f.message
    )
}

/// `location: error: message`, with a newline.
pub fn error(location: &str, message: &str) -> String {
    format!(
        "{}: {} {message}\n",
        paint(BOLD, location),
        paint(RED_BOLD, "error:")
    )
}

/// `1 issue`, `2 issues`.
pub fn issues(n: usize) -> String {
    plural(n, "issue", "issues")
}

/// `1 file`, `2 files`.
pub fn files(n: usize) -> String {
    plural(n, "file", "files")
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The last line of `dslim check`.
///
/// `fixable` counts findings whose fix applies at the current level;
/// `unsafe_more` those that would apply with `--unsafe` (zero when it is on).
pub fn check_summary(total: usize, fixable: usize, unsafe_more: usize, unsafe_on: bool) -> String {
    if total == 0 {
        return "All checks passed!\n".to_string();
    }
    let fix_cmd = if unsafe_on {
        "`dslim fix --unsafe`"
    } else {
        "`dslim fix`"
    };
    let detail = match (fixable, unsafe_more) {
        (0, 0) => String::new(),
        (m, 0) => format!(" ({m} fixable with {fix_cmd})"),
        (0, k) => format!(" ({k} fixable with `dslim fix --unsafe`)"),
        (m, k) => format!(" ({m} fixable with {fix_cmd}, {k} more with `--unsafe`)"),
    };
    format!("Found {}{detail}.\n", issues(total))
}

/// The fix column of `dslim rules`: `sometimes (safe)`, `none`.
pub fn fix_column(t: &dyn Transform) -> String {
    let m = t.meta();
    let avail = match m.fix {
        FixAvailability::Always => "always",
        FixAvailability::Sometimes => "sometimes",
        FixAvailability::None => return "none".to_string(),
    };
    let safety = match m.safety {
        crate::edit::Applicability::Safe => "safe",
        crate::edit::Applicability::Unsafe => "unsafe",
        crate::edit::Applicability::DisplayOnly => "display only",
    };
    format!("{avail} ({safety})")
}

/// The `dslim rules` table.
pub fn rules_table(ts: &[&dyn Transform]) -> String {
    let rows: Vec<[String; 4]> = ts
        .iter()
        .map(|t| {
            let m = t.meta();
            [
                m.code.to_string(),
                m.name.to_string(),
                fix_column(*t),
                m.summary.to_string(),
            ]
        })
        .collect();
    let head = ["Code", "Name", "Fix", "Summary"].map(str::to_string);
    let mut width = [0usize; 3];
    for r in std::iter::once(&head).chain(&rows) {
        for (w, cell) in width.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let line = |r: &[String; 4], bold: bool| {
        let mut s = String::new();
        for (cell, w) in r.iter().zip(width) {
            s.push_str(&format!("{cell:<w$}  "));
        }
        s.push_str(&r[3]);
        let s = s.trim_end().to_string();
        if bold {
            paint(BOLD, &s)
        } else {
            s
        }
    };
    out.push_str(&line(&head, true));
    out.push('\n');
    for r in &rows {
        out.push_str(&line(r, false));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries() {
        assert_eq!(check_summary(0, 0, 0, false), "All checks passed!\n");
        assert_eq!(check_summary(1, 0, 0, false), "Found 1 issue.\n");
        assert_eq!(
            check_summary(3, 1, 1, false),
            "Found 3 issues (1 fixable with `dslim fix`, 1 more with `--unsafe`).\n"
        );
        assert_eq!(
            check_summary(2, 0, 2, false),
            "Found 2 issues (2 fixable with `dslim fix --unsafe`).\n"
        );
        assert_eq!(
            check_summary(2, 2, 0, true),
            "Found 2 issues (2 fixable with `dslim fix --unsafe`).\n"
        );
    }
}
