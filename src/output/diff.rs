//! Unified diffs, `git diff` style.

use std::fmt::Write;

use similar::algorithms::{myers, Capture, Compact, DiffHook, Replace};
use similar::udiff::UnifiedHunkHeader;
use similar::{ChangeTag, DiffOp};

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
    change_as(path, old, new, true)
}

/// [`unified`], with its colours when `styled` (plain text for a stream
/// that shows none: nothing to strip again, line by line).
pub fn unified_as(path: &str, old: &str, new: &str, styled: bool) -> String {
    change_as(path, Some(old), new, styled)
}

/// [`change`], with its colours when `styled`.
pub fn change_as(path: &str, old: Option<&str>, new: &str, styled: bool) -> String {
    let paint = |style: anstyle::Style, text: &str| {
        if styled {
            paint(style, text)
        } else {
            text.to_string()
        }
    };
    if old == Some(new) {
        return String::new();
    }
    let path = path.strip_prefix("./").unwrap_or(path);
    let from = match old {
        Some(_) => format!("--- a/{path}"),
        None => "--- /dev/null".to_string(),
    };
    let old = old.unwrap_or("");
    let old_lines = lines(old);
    let new_lines = lines(new);
    let ops = line_ops(&old_lines, &new_lines);
    let mut out = String::with_capacity(old.len() + new.len() + 128);
    out.push_str(&paint(BOLD, &from));
    out.push('\n');
    out.push_str(&paint(BOLD, &format!("+++ b/{path}")));
    out.push('\n');
    for hunk in similar::group_diff_ops(ops, CONTEXT) {
        if hunk.is_empty() {
            continue;
        }
        out.push_str(&paint(CYAN, &UnifiedHunkHeader::new(&hunk).to_string()));
        out.push('\n');
        for op in &hunk {
            for change in op.iter_changes(&old_lines[..], &new_lines[..]) {
                let (sign, style) = match change.tag() {
                    ChangeTag::Delete => ('-', RED),
                    ChangeTag::Insert => ('+', GREEN),
                    ChangeTag::Equal => (' ', anstyle::Style::new()),
                };
                let value = change.value();
                let line = value.strip_suffix('\n').unwrap_or(value);
                if styled {
                    let _ = write!(out, "{style}{sign}{line}{style:#}");
                } else {
                    out.push(sign);
                    out.push_str(line);
                }
                out.push('\n');
                if change.missing_newline() {
                    out.push_str("\\ No newline at end of file\n");
                }
            }
        }
    }
    out
}

/// Lines with their terminators, split as `similar` splits them (after
/// `\n`, `\r\n` or a lone `\r`).
fn lines(s: &str) -> Vec<&str> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len() / 32 + 1);
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\n' => {
                out.push(&s[start..=i]);
                start = i + 1;
            }
            b'\r' if b.get(i + 1) != Some(&b'\n') => {
                out.push(&s[start..=i]);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < b.len() {
        out.push(&s[start..]);
    }
    out
}

/// The line operations from `old` to `new`: a minimal edit script (Myers,
/// then `similar`'s compaction and delete+insert = replace grouping).
///
/// Myers takes O((N+M)·D) time, D the number of changed lines, which is
/// quadratic when a fix touches a line in every few (thousands of RUNs
/// rewritten). As `git diff` does, lines that occur on one side only are
/// taken out first: they can never be part of a common subsequence, so the
/// script stays minimal, and Myers runs on the lines both sides share,
/// whose differences are few. Equal lines are compared as interned ids.
fn line_ops<'a>(old: &[&'a str], new: &[&'a str]) -> Vec<DiffOp> {
    let mut ids: rustc_hash::FxHashMap<&'a str, u32> =
        rustc_hash::FxHashMap::with_capacity_and_hasher(old.len() + new.len(), Default::default());
    let mut intern = |l: &'a str| {
        let n = ids.len() as u32;
        *ids.entry(l).or_insert(n)
    };
    let a: Vec<u32> = old.iter().map(|&l| intern(l)).collect();
    let b: Vec<u32> = new.iter().map(|&l| intern(l)).collect();
    let n = ids.len();
    let mut in_a = vec![false; n];
    let mut in_b = vec![false; n];
    for &x in &a {
        in_a[x as usize] = true;
    }
    for &x in &b {
        in_b[x as usize] = true;
    }
    let keep_a: Vec<usize> = (0..a.len()).filter(|&i| in_b[a[i] as usize]).collect();
    let keep_b: Vec<usize> = (0..b.len()).filter(|&j| in_a[b[j] as usize]).collect();
    let ra: Vec<u32> = keep_a.iter().map(|&i| a[i]).collect();
    let rb: Vec<u32> = keep_b.iter().map(|&j| b[j]).collect();
    let mut matched = Matched(Vec::new());
    let _ = myers::diff(&mut matched, &ra, 0..ra.len(), &rb, 0..rb.len());

    let mut d = Compact::new(Replace::new(Capture::new()), &a[..], &b[..]);
    let (mut oi, mut ni) = (0, 0);
    for (x, y, len) in matched.0 {
        for k in 0..len {
            let (i, j) = (keep_a[x + k], keep_b[y + k]);
            let _ = gap(&mut d, oi..i, ni..j);
            let _ = d.equal(i, j, 1);
            oi = i + 1;
            ni = j + 1;
        }
    }
    let _ = gap(&mut d, oi..a.len(), ni..b.len());
    let _ = d.finish();
    d.into_inner().into_inner().into_ops()
}

/// Unmatched lines between two matches: deletions first, as Myers emits.
fn gap<D: DiffHook>(
    d: &mut D,
    old: std::ops::Range<usize>,
    new: std::ops::Range<usize>,
) -> Result<(), D::Error> {
    if !old.is_empty() {
        d.delete(old.start, old.len(), new.start)?;
    }
    if !new.is_empty() {
        d.insert(old.end, new.start, new.len())?;
    }
    Ok(())
}

/// The runs of equal elements Myers finds.
struct Matched(Vec<(usize, usize, usize)>);

impl DiffHook for Matched {
    type Error = std::convert::Infallible;
    fn equal(&mut self, old: usize, new: usize, len: usize) -> Result<(), Self::Error> {
        self.0.push((old, new, len));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain diff is the styled one with its styles stripped, for
    /// changes, context, a missing last newline and a new file.
    #[test]
    fn plain_diff_is_the_styled_one_stripped() {
        let strip = |s: &str| anstream::adapter::strip_str(s).to_string();
        let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let new = "a\nB\nc\nd\ne\nf\ng\nh\ni";
        let plain = unified_as("x/D", old, new, false);
        assert!(
            !plain.contains('\x1b') && plain.contains("-b\n+B\n"),
            "{plain}"
        );
        assert_eq!(plain, strip(&unified("x/D", old, new)));
        assert_ne!(plain, unified("x/D", old, new), "the styled one has styles");
        let created = change_as("x/.dockerignore", None, "node_modules\n", false);
        assert_eq!(
            created,
            strip(&change("x/.dockerignore", None, "node_modules\n"))
        );
        assert!(created.starts_with("--- /dev/null\n"), "{created}");
        assert_eq!(unified_as("D", old, old, false), "");
    }

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

    /// Applies `ops` to `old`, checking every equal line really is equal.
    fn replay<'a>(ops: &[DiffOp], old: &[&'a str], new: &[&'a str]) -> (Vec<&'a str>, usize) {
        let mut out = Vec::new();
        let mut changed = 0;
        for op in ops {
            for c in op.iter_changes(old, new) {
                match c.tag() {
                    ChangeTag::Equal => out.push(c.value()),
                    ChangeTag::Insert => {
                        out.push(c.value());
                        changed += 1
                    }
                    ChangeTag::Delete => changed += 1,
                }
            }
        }
        (out, changed)
    }

    /// The script rebuilds the new text and is as short as `similar`'s
    /// plain Myers (a minimal one), on texts from a small alphabet where
    /// lines repeat, move, and occur on one side only.
    #[test]
    fn line_ops_are_a_minimal_script() {
        let mut seed = 0x2545_f491_u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..500 {
            let mut text = |len: u64, alphabet: u64| {
                (0..next() % len)
                    .map(|_| format!("l{}\n", next() % alphabet))
                    .collect::<String>()
            };
            let (old, new) = (text(40, 12), text(40, 12));
            let (o, n) = (lines(&old), lines(&new));
            let ops = line_ops(&o, &n);
            let (rebuilt, changed) = replay(&ops, &o, &n);
            assert_eq!(rebuilt, n, "{old:?} -> {new:?}");
            let reference = similar::TextDiff::from_lines(old.as_str(), new.as_str());
            let minimal = reference
                .iter_all_changes()
                .filter(|c| c.tag() != ChangeTag::Equal)
                .count();
            assert_eq!(changed, minimal, "{old:?} -> {new:?}");
        }
    }

    /// Lines split like `similar` splits them: CRLF is one terminator, a
    /// lone CR ends a line, the last line may have none.
    #[test]
    fn lines_split_on_lf_crlf_and_cr() {
        assert_eq!(lines("a\r\nb\rc\nd"), ["a\r\n", "b\r", "c\n", "d"]);
        assert!(lines("").is_empty());
    }

    /// A typical fix (one line in three rewritten, the rest kept) renders
    /// exactly as `similar`'s own unified diff does.
    #[test]
    fn renders_like_similar() {
        let old: String = (0..300)
            .map(|i| match i % 3 {
                0 => format!("RUN apt-get install -y p{i}\n"),
                1 => "\n".to_string(),
                _ => format!("COPY f{} /f\n", i % 7),
            })
            .collect();
        let new = old.replace("-y p1", "-y --no-install-recommends p1");
        let ours = anstream::adapter::strip_str(&unified("D", &old, &new)).to_string();
        let theirs = similar::TextDiff::from_lines(old.as_str(), new.as_str())
            .unified_diff()
            .context_radius(CONTEXT)
            .header("a/D", "b/D")
            .to_string();
        assert_eq!(
            ours.replacen("--- a/D\n+++ b/D\n", "", 1),
            theirs.replacen("--- a/D\n+++ b/D\n", "", 1)
        );
    }
}
