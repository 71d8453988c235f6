//! Edits and fixes, after ruff's model.
//!
//! A [`Fix`] is a set of [`Edit`]s that must be applied together, with an
//! [`Applicability`] saying how sure the transform is that the built image
//! behaves the same afterwards.

use std::borrow::Cow;

use compact_str::CompactString;

use crate::syntax::Span;

/// How safe a fix is. Ordered: `DisplayOnly < Unsafe < Safe`, so "apply
/// everything at least as safe as X" is a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Shown as advice, never applied.
    DisplayOnly,
    /// May change how the image behaves; applied only with `--unsafe`.
    Unsafe,
    /// The built image behaves the same.
    Safe,
}

/// Replace `span` of the source with `replacement` (an insertion when the
/// span is empty, a deletion when the replacement is).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Edit {
    pub span: Span,
    /// Held inline up to 24 bytes: most are a few bytes (` \\`, `&& `,
    /// a flag), and a merge of 270k RUNs has 540k of them.
    pub replacement: CompactString,
}

impl Edit {
    pub fn insert(at: usize, text: impl Into<CompactString>) -> Edit {
        Edit {
            span: at..at,
            replacement: text.into(),
        }
    }
    pub fn replace(span: Span, text: impl Into<CompactString>) -> Edit {
        Edit {
            span,
            replacement: text.into(),
        }
    }
    pub fn delete(span: Span) -> Edit {
        Edit {
            span,
            replacement: CompactString::default(),
        }
    }
}

/// Edits applied together.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Fix {
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
    /// What the fix does, imperative and short (`merge into one RUN`):
    /// shown as `help:` under the finding and as the SARIF fix description.
    /// Most are fixed phrases: borrowed, not one heap string per fix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<Cow<'static, str>>,
    /// Lines to add to another file (DS203's `.dockerignore`). A fix has
    /// either `edits` (to the Dockerfile, applied in the fixed-point loop)
    /// or a `file` (applied once, after the loop, on the final text).
    /// Boxed: nearly every fix has none, and a file of 270k RUNs has
    /// 200k findings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<Box<FileEdit>>,
    /// What the edits depend on: which other fixes may apply in the same
    /// pass of the fix loop (see [`Reach`]).
    #[serde(skip)]
    pub reach: Reach,
}

/// What a fix's edits depend on, which decides what the fix loop may apply
/// with it in one pass. Two fixes whose ranges touch normally wait for each
/// other (the second is checked again on the first's result); a `Joints`
/// fix and `Words` fixes inside it do not, when no edit of one touches an
/// edit of another: each is right whatever the other does, and applying
/// them together saves a pass over the whole (often huge) merged RUN.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Reach {
    /// Everything from its first edit to its last: no fix touching that
    /// range applies in the same pass.
    #[default]
    Range,
    /// Only the bytes its edits touch, which lie between commands: the
    /// commands in between stay as they are (DS001 joins RUNs).
    Joints,
    /// Flags added to single commands (`--no-cache-dir` after `pip
    /// install`): right in whatever RUN the command ends up.
    Words,
}

/// Lines appended to a file beside the Dockerfile (created when missing).
/// Several fixes for one path are applied in order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FileEdit {
    pub path: std::path::PathBuf,
    /// The file's text as read; `None` when the file does not exist.
    pub old: Option<String>,
    /// Lines to append (without line endings).
    pub lines: Vec<String>,
}

impl FileEdit {
    /// `old` with `lines` appended (a missing final newline is added first).
    pub fn apply_to(old: Option<&str>, lines: &[String]) -> String {
        let mut out = old.unwrap_or("").to_string();
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        for l in lines {
            out.push_str(l);
            out.push('\n');
        }
        out
    }
}

/// The final text of every file several [`FileEdit`]s touch, in the order
/// the paths first appear.
pub fn merge_file_edits<'a>(edits: impl IntoIterator<Item = &'a FileEdit>) -> Vec<FileChange> {
    let mut out: Vec<FileChange> = Vec::new();
    for e in edits {
        match out.iter_mut().find(|c| c.path == e.path) {
            Some(c) => c.new = FileEdit::apply_to(Some(&c.new), &e.lines),
            None => out.push(FileChange {
                path: e.path.clone(),
                old: e.old.clone(),
                new: FileEdit::apply_to(e.old.as_deref(), &e.lines),
            }),
        }
    }
    out
}

/// A whole-file change produced by the pipeline (see [`merge_file_edits`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    pub path: std::path::PathBuf,
    /// `None`: the file is created.
    pub old: Option<String>,
    pub new: String,
}

impl Fix {
    pub fn safe(edits: Vec<Edit>) -> Fix {
        Fix::new(edits, Applicability::Safe)
    }
    pub fn unsafe_(edits: Vec<Edit>) -> Fix {
        Fix::new(edits, Applicability::Unsafe)
    }
    pub fn display_only(edits: Vec<Edit>) -> Fix {
        Fix::new(edits, Applicability::DisplayOnly)
    }
    /// Sorts the edits by position. The sort is stable, so insertions at one
    /// offset keep the order they were pushed in, and an insertion comes
    /// before a replacement starting at the same offset.
    /// The list is trimmed to its length: fixes are kept until the fix
    /// loop chooses among them, and a list collected through a filter
    /// reserved four edits for one (200k fixes on a file of 285k RUNs).
    pub fn new(mut edits: Vec<Edit>, applicability: Applicability) -> Fix {
        edits.sort_by_key(|e| (e.span.start, e.span.end));
        edits.shrink_to_fit();
        Fix {
            edits,
            applicability,
            title: None,
            file: None,
            reach: Reach::Range,
        }
    }
    /// A fix that appends lines to another file.
    pub fn file(file: FileEdit, applicability: Applicability) -> Fix {
        Fix {
            edits: Vec::new(),
            applicability,
            title: None,
            file: Some(Box::new(file)),
            reach: Reach::Range,
        }
    }
    /// Whether the fix changes anything.
    pub fn is_empty(&self) -> bool {
        self.edits.is_empty() && self.file.is_none()
    }
    /// The fix with a title (see [`Fix::title`]).
    pub fn with_title(mut self, title: impl Into<Cow<'static, str>>) -> Fix {
        self.title = Some(title.into());
        self
    }
    /// The fix with a [`Reach`] other than the default.
    pub fn with_reach(mut self, reach: Reach) -> Fix {
        self.reach = reach;
        self
    }
    /// The smallest span covering every edit.
    pub fn range(&self) -> Span {
        let start = self.edits.iter().map(|e| e.span.start).min().unwrap_or(0);
        let end = self.edits.iter().map(|e| e.span.end).max().unwrap_or(0);
        start..end
    }
}

/// Applies edits that are sorted and disjoint. Two insertions at the same
/// offset are applied in order. Returns `None` if edits overlap or fall
/// outside the source or off a character boundary.
pub fn apply(src: &str, edits: &[&Edit]) -> Option<String> {
    // The exact length, reserved once: the text becomes the next pass's
    // document, kept whole (a merged 8 MB file grew to a 16 MB buffer).
    // Bad spans saturate here and are refused below.
    let len = edits.iter().fold(src.len(), |n, e| {
        (n + e.replacement.len()).saturating_sub(e.span.end.saturating_sub(e.span.start))
    });
    let mut out = String::with_capacity(len);
    let mut pos = 0;
    for e in edits {
        if e.span.start < pos
            || e.span.end > src.len()
            || e.span.start > e.span.end
            || !src.is_char_boundary(e.span.start)
            || !src.is_char_boundary(e.span.end)
        {
            return None;
        }
        out.push_str(&src[pos..e.span.start]);
        out.push_str(&e.replacement);
        pos = e.span.end;
    }
    out.push_str(&src[pos..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applicability_order() {
        assert!(Applicability::Safe > Applicability::Unsafe);
        assert!(Applicability::Unsafe > Applicability::DisplayOnly);
    }

    #[test]
    fn apply_sorted_disjoint() {
        let a = Edit::replace(0..1, "X");
        let b = Edit::insert(3, "!");
        let c = Edit::delete(4..5);
        assert_eq!(apply("abcde", &[&a, &b, &c]).unwrap(), "Xbc!d");
        let o1 = Edit::replace(0..3, "x");
        let o2 = Edit::replace(2..4, "y");
        assert!(apply("abcde", &[&o1, &o2]).is_none());
        assert!(apply("ab", &[&Edit::delete(1..9)]).is_none());
        assert!(apply("é", &[&Edit::insert(1, "x")]).is_none());
    }

    /// The fixed text is made in a buffer of its exact length, growing or
    /// shrinking (it is kept whole as the next pass's document).
    #[test]
    fn applied_text_has_no_spare_room() {
        let src = "RUN a\n".repeat(1000);
        let joints: Vec<Edit> = (0..999)
            .map(|k| Edit::replace(k * 6 + 5..k * 6 + 10, " \\\n    && "))
            .collect();
        let out = apply(&src, &joints.iter().collect::<Vec<_>>()).unwrap();
        assert!(out.len() > src.len() && out.starts_with("RUN a \\\n    && a"));
        assert_eq!(out.capacity(), out.len());
        let out = apply(&src, &[&Edit::delete(0..3000)]).unwrap();
        assert_eq!((out.len(), out.capacity()), (3000, 3000));
    }
}
