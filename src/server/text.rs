//! Byte offsets ↔ LSP positions, incremental changes, minimal edits.
//!
//! Lines end at `\n` (a `\r` before it belongs to the line ending), as the
//! Dockerfile parser sees them. Columns count in the negotiated encoding:
//! UTF-16 code units unless the client offered UTF-8 or UTF-32. A BOM, when
//! the client keeps it in the buffer, is one character of line 0 like any
//! other.

use std::ops::Range;

use lsp_types::{Position, TextEdit};

/// How columns are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    Utf32,
}

impl Encoding {
    fn width(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf32 => 1,
        }
    }
}

/// Where each line of a text starts.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter_map(|(i, b)| (b == b'\n').then_some(i + 1)),
        );
        LineIndex { starts }
    }

    /// The position of a byte offset (clamped to the text, moved back to a
    /// character boundary).
    pub fn position(&self, text: &str, offset: usize, enc: Encoding) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let prefix = &text[self.starts[line]..offset];
        let character = match enc {
            Encoding::Utf8 => prefix.len(),
            Encoding::Utf16 => prefix.encode_utf16().count(),
            Encoding::Utf32 => prefix.chars().count(),
        };
        Position::new(line as u32, character as u32)
    }

    /// The byte offset of a position. A line past the end is the end of the
    /// text; a column past the end of its line is the end of the line (its
    /// line ending excluded), as LSP specifies; a column inside a
    /// character (half a surrogate pair) is that character's start.
    pub fn offset(&self, text: &str, pos: Position, enc: Encoding) -> usize {
        let line = pos.line as usize;
        let Some(&start) = self.starts.get(line) else {
            return text.len();
        };
        let end = self.starts.get(line + 1).map_or(text.len(), |&n| n);
        let content = text[start..end]
            .strip_suffix('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .unwrap_or(&text[start..end]);
        let want = pos.character as usize;
        let mut units = 0;
        for (i, c) in content.char_indices() {
            let w = enc.width(c);
            if units + w > want {
                return start + i;
            }
            units += w;
        }
        start + content.len()
    }

    pub fn range(&self, text: &str, span: Range<usize>, enc: Encoding) -> lsp_types::Range {
        lsp_types::Range::new(
            self.position(text, span.start, enc),
            self.position(text, span.end, enc),
        )
    }

    /// Byte offsets of an LSP range (start and end ordered).
    pub fn span(&self, text: &str, r: lsp_types::Range, enc: Encoding) -> Range<usize> {
        let a = self.offset(text, r.start, enc);
        let b = self.offset(text, r.end, enc);
        a.min(b)..a.max(b)
    }
}

/// The smallest edits turning `old` into `new`, as byte ranges of `old`:
/// a line diff, each changed hunk then trimmed of what its start and end
/// share. Never one whole-document replacement unless every line changed.
pub fn diff(old: &str, new: &str) -> Vec<(Range<usize>, String)> {
    if old == new {
        return Vec::new();
    }
    let d = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Myers)
        .diff_lines(old, new);
    let old_lines = d.old_slices();
    let new_lines = d.new_slices();
    let offsets = |lines: &[&str]| {
        let mut v = Vec::with_capacity(lines.len() + 1);
        let mut at = 0;
        v.push(0);
        for l in lines {
            at += l.len();
            v.push(at);
        }
        v
    };
    let old_at = offsets(old_lines);
    let new_at = offsets(new_lines);
    // Hunks as (old line range, new line range), neighbours merged.
    let mut hunks: Vec<(Range<usize>, Range<usize>)> = Vec::new();
    for op in d.ops() {
        if let similar::DiffOp::Equal { .. } = op {
            continue;
        }
        let (o, n) = (op.old_range(), op.new_range());
        // Lines replaced one for one stay one edit each (a range format
        // of one line then finds its own).
        if o.len() == n.len() && o.len() > 1 {
            hunks.extend(o.zip(n).map(|(a, b)| (a..a + 1, b..b + 1)));
            continue;
        }
        match hunks.last_mut() {
            Some((lo, ln)) if lo.end == o.start && ln.end == n.start => {
                lo.end = o.end;
                ln.end = n.end;
            }
            _ => hunks.push((o, n)),
        }
    }
    hunks
        .into_iter()
        .map(|(o, n)| {
            let a = &old[old_at[o.start]..old_at[o.end]];
            let b = &new[new_at[n.start]..new_at[n.end]];
            let (pre, suf) = common_ends(a, b);
            (
                old_at[o.start] + pre..old_at[o.end] - suf,
                b[pre..b.len() - suf].to_string(),
            )
        })
        .collect()
}

/// Bytes `a` and `b` share at their start and, after that, at their end,
/// both on character boundaries.
fn common_ends(a: &str, b: &str) -> (usize, usize) {
    let mut pre = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    while !a.is_char_boundary(pre) || !b.is_char_boundary(pre) {
        pre -= 1;
    }
    let (ra, rb) = (&a[pre..], &b[pre..]);
    let mut suf = ra
        .bytes()
        .rev()
        .zip(rb.bytes().rev())
        .take_while(|(x, y)| x == y)
        .count();
    while !ra.is_char_boundary(ra.len() - suf) || !rb.is_char_boundary(rb.len() - suf) {
        suf -= 1;
    }
    (pre, suf)
}

/// [`diff`] as LSP text edits against `old`.
pub fn text_edits(old: &str, index: &LineIndex, new: &str, enc: Encoding) -> Vec<TextEdit> {
    diff(old, new)
        .into_iter()
        .map(|(r, t)| TextEdit::new(index.range(old, r, enc), t))
        .collect()
}

/// Applies edits given as byte ranges of `text` (any order, disjoint).
pub fn apply(text: &str, edits: &[(Range<usize>, String)]) -> String {
    let mut sorted: Vec<&(Range<usize>, String)> = edits.iter().collect();
    sorted.sort_by_key(|(r, _)| (r.start, r.end));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for (r, t) in sorted {
        out.push_str(&text[pos..r.start.max(pos)]);
        out.push_str(t);
        pos = r.end.max(pos);
    }
    out.push_str(&text[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_count_surrogate_pairs() {
        // `é` is one UTF-16 unit and two bytes; `😀` two units, four bytes.
        let t = "FROM a\r\nRUN echo é😀x\n";
        let ix = LineIndex::new(t);
        let x = t.find('x').unwrap();
        assert_eq!(ix.position(t, x, Encoding::Utf16), Position::new(1, 12));
        assert_eq!(ix.position(t, x, Encoding::Utf8), Position::new(1, 15));
        assert_eq!(ix.position(t, x, Encoding::Utf32), Position::new(1, 11));
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            assert_eq!(ix.offset(t, ix.position(t, x, enc), enc), x);
        }
        // Past the end of a CRLF line: before its `\r`.
        assert_eq!(ix.offset(t, Position::new(0, 99), Encoding::Utf16), 6);
        // Inside the surrogate pair: the emoji's start.
        let emoji = t.find('😀').unwrap();
        assert_eq!(ix.offset(t, Position::new(1, 11), Encoding::Utf16), emoji);
        // Past the last line: the end.
        assert_eq!(ix.offset(t, Position::new(9, 0), Encoding::Utf16), t.len());
    }

    #[test]
    fn bom_is_a_character_of_line_zero() {
        let t = "\u{feff}FROM a\n";
        let ix = LineIndex::new(t);
        assert_eq!(ix.position(t, 3, Encoding::Utf16), Position::new(0, 1));
        assert_eq!(ix.offset(t, Position::new(0, 1), Encoding::Utf16), 3);
    }

    #[test]
    fn diff_is_minimal_and_applies() {
        let old = "from a\nRUN x\n\nrun  y\n";
        let new = "FROM a\nRUN x\n\nRUN y\n";
        let d = diff(old, new);
        assert_eq!(d, vec![(0..4, "FROM".into()), (14..18, "RUN".into())]);
        assert_eq!(apply(old, &d), new);
        assert!(diff(old, old).is_empty());
        let (o, n) = ("a é b\n", "a è b\n");
        let d = diff(o, n);
        assert_eq!(apply(o, &d), n);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].1, "è");
    }
}
