//! Unified diffs, `git diff` style.

use std::fmt::Write;

use similar::{ChangeTag, TextDiff};

use super::{paint, BOLD, CYAN, GREEN, RED};

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// A unified diff from `old` to `new` with `--- a/<path>` / `+++ b/<path>`
/// headers; empty when the texts are equal.
pub fn unified(path: &str, old: &str, new: &str) -> String {
    change(path, Some(old), new)
}

/// [`unified`] for a file that may not exist yet (`old` is `None`): then
/// the old side is `--- /dev/null`, as `git diff` shows a new file.
pub fn change(path: &str, old: Option<&str>, new: &str) -> String {
    if old == Some(new) {
        return String::new();
    }
    let path = path.strip_prefix("./").unwrap_or(path);
    let from = match old {
        Some(_) => format!("--- a/{path}"),
        None => "--- /dev/null".to_string(),
    };
    let old = old.unwrap_or("");
    let diff = TextDiff::from_lines(old, new);
    let mut out = String::with_capacity(old.len() + new.len() + 128);
    out.push_str(&paint(BOLD, &from));
    out.push('\n');
    out.push_str(&paint(BOLD, &format!("+++ b/{path}")));
    out.push('\n');
    for hunk in diff.unified_diff().context_radius(CONTEXT).iter_hunks() {
        out.push_str(&paint(CYAN, &hunk.header().to_string()));
        out.push('\n');
        for change in hunk.iter_changes() {
            let (sign, style) = match change.tag() {
                ChangeTag::Delete => ('-', RED),
                ChangeTag::Insert => ('+', GREEN),
                ChangeTag::Equal => (' ', anstyle::Style::new()),
            };
            let value = change.value();
            let line = value.strip_suffix('\n').unwrap_or(value);
            let _ = write!(out, "{style}{sign}{line}{style:#}");
            out.push('\n');
            if change.missing_newline() {
                out.push_str("\\ No newline at end of file\n");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_unified_diff() {
        let d = unified("./Dockerfile", "a\nb\nc\n", "a\nB\nc\n");
        let plain = anstream::adapter::strip_str(&d).to_string();
        assert_eq!(
            plain,
            "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
        );
    }

    #[test]
    fn missing_final_newline() {
        let d = unified("D", "a\nb", "a\nc");
        let plain = anstream::adapter::strip_str(&d).to_string();
        assert!(
            plain.ends_with("-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n"),
            "{plain}"
        );
    }

    #[test]
    fn new_file_from_dev_null() {
        let d = change("./ctx/.dockerignore", None, ".git\n");
        let plain = anstream::adapter::strip_str(&d).to_string();
        assert_eq!(
            plain,
            "--- /dev/null\n+++ b/ctx/.dockerignore\n@@ -0,0 +1 @@\n+.git\n"
        );
    }

    #[test]
    fn equal_is_empty() {
        assert_eq!(unified("D", "x\n", "x\n"), "");
    }
}
