//! Checks made on a text before brush-parser sees it: how deeply it nests
//! and whether it holds an I/O number too large for brush's integer type.
//! Both only ever make a text opaque.

/// Deepest nesting of any kind (subshells, groups, substitutions, `if`,
/// loops, `case`, `${…}`) handed to brush-parser, which recurses once or
/// more per level: 400 levels overflow a 2 MiB thread stack. Real RUN
/// bodies nest a handful of levels.
pub const MAX_NESTING: usize = 32;

/// The keywords that open a level (for [`nesting_depth`] and the bound of
/// [`openers_at_most`], which must count the same ones).
const OPENING_KEYWORDS: [&str; 5] = ["if", "while", "until", "for", "case"];

/// An upper estimate of how deeply `text` nests: every `(`, `{`, `if`,
/// `while`, `until`, `for`, `case` and backquote opens a level, `)`, `}`,
/// `fi`, `done`, `esac` close one. Quotes are not interpreted, so a quoted
/// bracket counts too: the estimate can only be too high, which makes a
/// text opaque, never one brush-parser cannot take.
pub fn nesting_depth(text: &str) -> usize {
    let b = text.as_bytes();
    let (mut depth, mut max) = (0usize, 0usize);
    let mut in_backquote = false;
    let mut i = 0;
    let boundary = |c: Option<&u8>| {
        c.is_none_or(|c| matches!(c, b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'(' | b')'))
    };
    while i < b.len() {
        let c = b[i];
        match c {
            b'(' | b'{' => depth += 1,
            b')' | b'}' => depth = depth.saturating_sub(1),
            b'`' if i > 0 && b[i - 1] == b'\\' => depth += 1,
            b'`' => {
                if in_backquote {
                    depth = depth.saturating_sub(1);
                } else {
                    depth += 1;
                }
                in_backquote = !in_backquote;
            }
            b'a'..=b'z' if i == 0 || boundary(b.get(i - 1)) => {
                let end = b[i..]
                    .iter()
                    .position(|c| !c.is_ascii_lowercase())
                    .map_or(b.len(), |n| i + n);
                if boundary(b.get(end)) {
                    match &text[i..end] {
                        w if OPENING_KEYWORDS.contains(&w) => depth += 1,
                        "fi" | "done" | "esac" => depth = depth.saturating_sub(1),
                        _ => {}
                    }
                }
                max = max.max(depth);
                i = end;
                continue;
            }
            _ => {}
        }
        max = max.max(depth);
        i += 1;
    }
    max
}

/// Whether `text` cannot nest deeper than `limit` by the count of what
/// opens a level in [`nesting_depth`]: brackets and backquotes, and each
/// place a keyword that opens one is spelled (inside a word or not, so the
/// count is never lower). Fast scans, where [`nesting_depth`] reads the
/// text word by word: a merged RUN of megabytes is checked in passing.
pub fn openers_at_most(text: &str, limit: usize) -> bool {
    let b = text.as_bytes();
    let mut n = b
        .iter()
        .filter(|&&c| matches!(c, b'(' | b'{' | b'`'))
        .count();
    for kw in OPENING_KEYWORDS {
        if n > limit {
            break;
        }
        n += memchr::memmem::find_iter(b, kw).count();
    }
    n <= limit
}

/// A run of more than 9 digits directly before `<` or `>`: an I/O number
/// no shell accepts, and one brush-parser cannot hold.
pub(super) fn oversized_io_number(text: &str) -> bool {
    let b = text.as_bytes();
    let mut run = 0;
    for &c in b {
        match c {
            b'0'..=b'9' => run += 1,
            b'<' | b'>' if run > 9 => return true,
            _ => run = 0,
        }
    }
    false
}
