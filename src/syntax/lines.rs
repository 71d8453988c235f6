//! Physical lines and the low-level predicates BuildKit applies to them.
//!
//! BuildKit scans a Dockerfile line by line (splitting on `\n` only, keeping
//! the terminator), then strips trailing `\r`/`\n` before looking at a line.
//! Every helper here works on byte offsets into the original source so the
//! parser above can record exact spans.

/// One physical line: `start..content_end` is the text without its line
/// terminator(s), `start..end` includes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    pub start: usize,
    pub content_end: usize,
    pub end: usize,
}

/// Splits `src` into physical lines the way BuildKit's `scanLines` does:
/// on `\n`, keeping it; a last line without `\n` is still a line.
pub fn split_lines(src: &str) -> Vec<Line> {
    let bytes = src.as_bytes();
    let mut lines = Vec::with_capacity(bytes.len() / 32 + 1);
    let mut start = 0;
    while start < bytes.len() {
        let end = match memchr_nl(&bytes[start..]) {
            Some(i) => start + i + 1,
            None => bytes.len(),
        };
        // BuildKit's trimNewline strips every trailing '\r' and '\n'.
        let mut content_end = end;
        while content_end > start && matches!(bytes[content_end - 1], b'\r' | b'\n') {
            content_end -= 1;
        }
        lines.push(Line {
            start,
            content_end,
            end,
        });
        start = end;
    }
    lines
}

fn memchr_nl(b: &[u8]) -> Option<usize> {
    memchr::memchr(b'\n', b)
}

/// Go's `unicode.IsSpace`, which BuildKit uses to trim leading whitespace.
/// Rust's `char::is_whitespace` covers the same set (White_Space property).
pub fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// Number of bytes of leading whitespace in `s` (Go `TrimLeftFunc(IsSpace)`).
pub fn leading_ws(s: &str) -> usize {
    // Most lines start with a letter: no character to decode.
    match s.as_bytes().first() {
        Some(&b) if b.is_ascii() && !matches!(b, b'\t'..=b'\r' | b' ') => 0,
        _ => s.len() - s.trim_start_matches(is_space).len(),
    }
}

/// BuildKit's `isComment`: first non-whitespace character is `#`.
pub fn is_comment(s: &str) -> bool {
    s.trim_start_matches(is_space).starts_with('#')
}

/// BuildKit's continuation test: the line ends with the escape character,
/// optionally followed by spaces/tabs, and that escape character is not
/// itself escaped (or stands alone on the line). Returns the length of the
/// text that remains once the continuation is removed, or `None` when the
/// line does not continue.
pub fn continuation_cut(s: &str, escape: char) -> Option<usize> {
    let trimmed = s.trim_end_matches([' ', '\t']);
    let before = trimmed.strip_suffix(escape)?;
    match before.chars().next_back() {
        None => Some(0),
        Some(c) if c == escape => None,
        Some(_) => Some(before.len()),
    }
}

/// Go's `regexp` `[\t\v\f\r ]`: the separator BuildKit splits arguments on.
pub fn is_arg_ws(c: char) -> bool {
    matches!(c, '\t' | '\u{0b}' | '\u{0c}' | '\r' | ' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_keeping_terminators() {
        let l = split_lines("a\r\nb\n\nc");
        assert_eq!(l.len(), 4);
        assert_eq!((l[0].start, l[0].content_end, l[0].end), (0, 1, 3));
        assert_eq!((l[1].start, l[1].content_end, l[1].end), (3, 4, 5));
        assert_eq!((l[2].start, l[2].content_end, l[2].end), (5, 5, 6));
        assert_eq!((l[3].start, l[3].content_end, l[3].end), (6, 7, 7));
        assert!(split_lines("").is_empty());
    }

    #[test]
    fn continuation_rules() {
        assert_eq!(continuation_cut("RUN a \\", '\\'), Some(6));
        assert_eq!(continuation_cut("RUN a \\  \t", '\\'), Some(6));
        assert_eq!(continuation_cut("\\", '\\'), Some(0));
        // An escaped escape character is a literal, not a continuation.
        assert_eq!(continuation_cut("COPY a C:\\\\", '\\'), None);
        assert_eq!(continuation_cut("RUN a `", '`'), Some(6));
        // Under the backtick escape a backslash is a plain character.
        assert_eq!(continuation_cut("WORKDIR C:\\", '`'), None);
        assert_eq!(continuation_cut("RUN a", '\\'), None);
    }

    #[test]
    fn comments_and_whitespace() {
        assert!(is_comment("   # hi"));
        assert!(is_comment("\t#"));
        assert!(!is_comment("RUN # x"));
        assert_eq!(leading_ws("\u{a0} \tX"), 4);
        // The quick answer for a first byte that is ASCII and no space.
        for (s, n) in [
            ("RUN x", 0),
            ("", 0),
            ("\x0b\x0c\rX", 3),
            ("\u{85}X", 2),
            ("\u{3000}X", 3),
            ("éX", 0),
        ] {
            assert_eq!(leading_ws(s), n, "{s:?}");
            assert_eq!(
                leading_ws(s),
                s.len() - s.trim_start_matches(is_space).len()
            );
        }
    }
}
