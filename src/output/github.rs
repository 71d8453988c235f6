//! GitHub Actions workflow commands: one annotation per finding —
//! `::warning` for a finding with a fix (safe or unsafe), `::notice` for
//! advice (no fix, or one shown but never applied); `::error` only for a
//! file that could not be read or parsed.

use crate::finding::Finding;
use crate::syntax::line_col;

/// The annotation level of a finding: `warning` when it has a fix that
/// `dslim fix` (or `fix --unsafe`) applies, `notice` for advice.
pub fn level(f: &Finding) -> &'static str {
    if f.is_advice() {
        "notice"
    } else {
        "warning"
    }
}

/// `::warning file=…,line=…,col=…,endLine=…,endColumn=…,title=DS001 merge-runs::message`
/// (or `::notice`, see [`level`]) with a newline.
pub fn annotation(path: &str, src: &str, f: &Finding) -> String {
    let (line, col) = line_col(src, f.span.start);
    let (end_line, end_col) = line_col(src, f.span.end);
    format!(
        "::{} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}\n",
        level(f),
        property(path),
        property(&format!("{} {}", f.code, f.name)),
        data(&f.message)
    )
}

/// `::warning` for a suppression that silenced nothing.
pub fn unused_suppression(path: &str, src: &str, at: usize, code: &str) -> String {
    let (line, col) = line_col(src, at);
    format!(
        "::warning file={},line={line},col={col},title=unused suppression::{}\n",
        property(path),
        data(&format!("unused suppression for {code}"))
    )
}

/// `::error` for a file that could not be read or parsed.
pub fn error(path: &str, line: Option<(usize, usize)>, message: &str) -> String {
    let at = line
        .map(|(l, c)| format!(",line={l},col={c}"))
        .unwrap_or_default();
    format!(
        "::error file={}{at},title=dslim::{}\n",
        property(path),
        data(message)
    )
}

/// Escapes a message (after `::`).
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file=`, `title=`).
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(data("a%b\nc"), "a%25b%0Ac");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
        assert_eq!(
            error("x,y", Some((1, 2)), "bad: thing"),
            "::error file=x%2Cy,line=1,col=2,title=dslim::bad: thing\n"
        );
    }
}
