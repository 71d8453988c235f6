//! Human-readable reports.

use crate::finding::Finding;
use crate::syntax::line_col;
use crate::transform::{FixAvailability, Transform};

use super::{paint, BLUE_BOLD, BOLD, CYAN, RED_BOLD, YELLOW_BOLD};

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

/// `warning: message`, with a newline, for problems not tied to one file.
pub fn warning(message: &str) -> String {
    format!("{} {message}\n", paint(YELLOW_BOLD, "warning:"))
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

/// The last line of `dslim check`:
/// `Found 7 issues (5 fixable, 2 with --unsafe); estimated saving ~62 MB`.
///
/// `fixable` counts findings whose fix applies at the current level;
/// `unsafe_more` those that would apply with `--unsafe` (zero when it is
/// on); `saving` sums the findings' estimated savings in bytes.
pub fn check_summary(
    total: usize,
    advice: usize,
    fixable: usize,
    unsafe_more: usize,
    saving: u64,
) -> String {
    check_summary_with(total, advice, (fixable, &[]), (unsafe_more, &[]), saving)
}

/// [`check_summary`], naming the follow-on fixes among the fixable ones
/// (codes that apply only to what another fix made, such as DS103 on a
/// DS201 split's runtime), so a count above the issues shown is
/// explained: `Found 1 issue (2 fixable, 1 of them a follow-on fix: DS103)`.
pub fn check_summary_with(
    total: usize,
    advice: usize,
    (fixable, follow_on): (usize, &[&str]),
    (unsafe_more, unsafe_follow_on): (usize, &[&str]),
    saving: u64,
) -> String {
    let follow = |codes: &[&str]| {
        let mut names: Vec<&str> = codes.to_vec();
        names.sort_unstable();
        names.dedup();
        match codes.len() {
            0 => String::new(),
            1 => format!(", 1 of them a follow-on fix: {}", names.join(" ")),
            n => format!(", {n} of them follow-on fixes: {}", names.join(" ")),
        }
    };
    if total == 0 {
        return "All checks passed!\n".to_string();
    }
    let mut parts = Vec::new();
    if fixable > 0 {
        parts.push(format!("{fixable} fixable{}", follow(follow_on)));
    }
    if unsafe_more > 0 {
        parts.push(format!(
            "{unsafe_more} with --unsafe{}",
            follow(unsafe_follow_on)
        ));
    }
    if advice == total {
        parts.push("advice only, not failing".to_string());
    } else if advice > 0 {
        parts.push(format!("{advice} advice, not failing"));
    }
    let mut s = format!("Found {}", issues(total));
    if !parts.is_empty() {
        s.push_str(&format!(" ({})", parts.join(", ")));
    }
    if saving > 0 {
        s.push_str(&format!("; estimated saving {}", bytes(saving)));
    }
    s.push('\n');
    s
}

/// An approximate size in decimal units: `~62 MB`, `~1.5 GB`, `~800 B`.
pub fn bytes(n: u64) -> String {
    for (unit, name) in [(1_000_000_000, "GB"), (1_000_000, "MB"), (1_000, "kB")] {
        if n >= unit {
            let v = n as f64 / unit as f64;
            return if v < 10.0 {
                format!("~{v:.1} {name}")
            } else {
                format!("~{v:.0} {name}")
            };
        }
    }
    format!("~{n} B")
}

/// `path:line:col: warning: unused suppression for DS001`, with a newline.
pub fn unused_suppression(path: &str, src: &str, at: usize, code: &str) -> String {
    let (line, col) = line_col(src, at);
    format!(
        "{}:{line}:{col}: {} unused suppression for {code}\n",
        paint(BOLD, path),
        paint(YELLOW_BOLD, "warning:")
    )
}

/// Lines shown at most in a code frame; longer spans are cut with `...`.
const FRAME_LINES: usize = 6;

/// A finding in full: the one-line form, the source lines it covers with the
/// span underlined, and the fix's title as `help:`. Ends with a blank line.
pub fn finding_full(path: &str, src: &str, f: &Finding, fixable: bool) -> String {
    let mut out = finding(path, src, f, fixable);
    out.push_str(&frame(src, f.span.clone()));
    if let Some(t) = f.fix.as_ref().and_then(|x| x.title.as_deref()) {
        let pad = " ".repeat(gutter_width(src, f.span.clone()) + 1);
        out.push_str(&format!("{pad}{} {t}\n", paint(BLUE_BOLD, "= help:")));
    }
    out.push('\n');
    out
}

/// (line number, byte range of the line without its line ending) for every
/// line the span touches.
fn span_lines(src: &str, span: crate::syntax::Span) -> Vec<(usize, usize, usize)> {
    let start = span.start.min(src.len());
    // A span ending right after a newline does not touch the next line.
    let end = span.end.clamp(start, src.len());
    let end = if end > start && src.as_bytes()[end - 1] == b'\n' {
        end - 1
    } else {
        end
    };
    let mut out = Vec::new();
    let mut line_start = src[..start].rfind('\n').map_or(0, |i| i + 1);
    let mut line_no = src[..line_start].matches('\n').count() + 1;
    loop {
        let line_end = src[line_start..]
            .find('\n')
            .map_or(src.len(), |i| line_start + i);
        let text_end = if src[..line_end].ends_with('\r') {
            line_end - 1
        } else {
            line_end
        };
        out.push((line_no, line_start, text_end));
        if line_end >= end || line_end >= src.len() {
            break;
        }
        line_start = line_end + 1;
        line_no += 1;
    }
    out
}

fn gutter_width(src: &str, span: crate::syntax::Span) -> usize {
    let lines = span_lines(src, span);
    let shown = lines
        .iter()
        .take(FRAME_LINES)
        .map(|l| l.0)
        .max()
        .unwrap_or(1);
    shown.to_string().len()
}

/// Display width of a line prefix (tabs as 4 columns).
fn width(s: &str) -> usize {
    s.chars().map(|c| if c == '\t' { 4 } else { 1 }).sum()
}

/// The source lines of `span` with carets under it.
fn frame(src: &str, span: crate::syntax::Span) -> String {
    let lines = span_lines(src, span.clone());
    let w = gutter_width(src, span.clone());
    let bar = paint(BLUE_BOLD, "|");
    let blank = format!("{} {bar}\n", " ".repeat(w));
    let mut out = blank.clone();
    for (k, &(no, ls, le)) in lines.iter().enumerate() {
        if k == FRAME_LINES {
            out.push_str(&format!("{} {bar} ...\n", " ".repeat(w)));
            break;
        }
        let text = &src[ls..le];
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let shift = le - ls - text.len();
        let display = text.replace('\t', "    ");
        out.push_str(&format!(
            "{} {bar} {display}\n",
            paint(BLUE_BOLD, &format!("{no:>w$}"))
        ));
        let a = span.start.clamp(ls + shift, le) - ls - shift;
        let b = span.end.clamp(ls + shift, le) - ls - shift;
        let lead = if k == 0 {
            a
        } else {
            text.len() - text.trim_start().len()
        };
        let (from, to) = (width(&text[..lead]), width(&text[..b.max(lead)]));
        let carets = "^".repeat((to - from).max(1));
        out.push_str(&format!(
            "{} {bar} {}{}\n",
            " ".repeat(w),
            " ".repeat(from),
            paint(RED_BOLD, &carets)
        ));
    }
    out.push_str(&blank);
    out
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
        assert_eq!(check_summary(0, 0, 0, 0, 0), "All checks passed!\n");
        assert_eq!(check_summary(1, 0, 0, 0, 0), "Found 1 issue\n");
        assert_eq!(
            check_summary(7, 0, 5, 2, 62_000_000),
            "Found 7 issues (5 fixable, 2 with --unsafe); estimated saving ~62 MB\n"
        );
        assert_eq!(
            check_summary(2, 0, 0, 2, 0),
            "Found 2 issues (2 with --unsafe)\n"
        );
        assert_eq!(check_summary(2, 0, 2, 0, 0), "Found 2 issues (2 fixable)\n");
        assert_eq!(
            check_summary(3, 1, 1, 1, 0),
            "Found 3 issues (1 fixable, 1 with --unsafe, 1 advice, not failing)\n"
        );
        assert_eq!(
            check_summary(2, 2, 0, 0, 0),
            "Found 2 issues (advice only, not failing)\n"
        );
        assert_eq!(
            check_summary_with(2, 0, (3, &["DS103"]), (0, &[]), 0),
            "Found 2 issues (3 fixable, 1 of them a follow-on fix: DS103)\n"
        );
        assert_eq!(
            check_summary_with(2, 0, (0, &[]), (4, &["DS103", "DS101", "DS103"]), 0),
            "Found 2 issues (4 with --unsafe, 3 of them follow-on fixes: DS101 DS103)\n"
        );
    }

    #[test]
    fn sizes() {
        assert_eq!(bytes(800), "~800 B");
        assert_eq!(bytes(1_500), "~1.5 kB");
        assert_eq!(bytes(62_400_000), "~62 MB");
        assert_eq!(bytes(1_500_000_000), "~1.5 GB");
    }

    fn plain(s: &str) -> String {
        anstream::adapter::strip_str(s).to_string()
    }

    #[test]
    fn frames() {
        let src = "FROM a\nRUN x \\\n\t&& y\nRUN z\n";
        let s = src.find("RUN x").unwrap();
        let e = src.find("&& y").unwrap() + 4;
        assert_eq!(
            plain(&frame(src, s..e)),
            "  |\n2 | RUN x \\\n  | ^^^^^^^\n3 |     && y\n  |     ^^^^\n  |\n"
        );
        // Empty span: one caret.
        assert_eq!(
            plain(&frame(src, 5..5)),
            "  |\n1 | FROM a\n  |      ^\n  |\n"
        );
        // A span ending with a newline stays on its line; long spans are cut.
        assert_eq!(plain(&frame("a\nb\n", 0..2)), "  |\n1 | a\n  | ^\n  |\n");
        let long = "x\n".repeat(20);
        let f = plain(&frame(&long, 0..long.len()));
        assert!(
            f.contains("6 | x\n") && f.contains("| ...\n") && !f.contains("7 |"),
            "{f}"
        );
    }
}
