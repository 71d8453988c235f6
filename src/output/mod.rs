//! Renderers: unified diffs, text reports, JSON, SARIF, GitHub annotations
//! and rule documentation.
//!
//! Renderers build strings with ANSI styles; the stream they are written to
//! (an [`anstream`] stream) strips the styles when colour is off (not a
//! terminal, `NO_COLOR`, …).

pub mod diff;
pub mod docs;
pub mod github;
pub mod json;
pub mod sarif;
pub mod text;

use anstyle::{AnsiColor, Style};

pub(crate) const BOLD: Style = Style::new().bold();
pub(crate) const RED: Style = AnsiColor::Red.on_default();
pub(crate) const RED_BOLD: Style = AnsiColor::Red.on_default().bold();
pub(crate) const GREEN: Style = AnsiColor::Green.on_default();
pub(crate) const CYAN: Style = AnsiColor::Cyan.on_default();
pub(crate) const BLUE_BOLD: Style = AnsiColor::Blue.on_default().bold();
pub(crate) const YELLOW_BOLD: Style = AnsiColor::Yellow.on_default().bold();

/// `text` wrapped in `style` (nothing added for an empty style).
pub(crate) fn paint(style: Style, text: &str) -> String {
    format!("{style}{text}{style:#}")
}

/// A path as shown in messages and diff headers: one line whatever the
/// name holds (`\n`, `\r`, `\t` and other control characters escaped,
/// bytes that are not UTF-8 as `\xFF`), so a hostile file name cannot
/// split or forge output lines.
pub fn display_path(path: &std::path::Path) -> String {
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str());
    #[cfg(not(unix))]
    let lossy = path.to_string_lossy();
    #[cfg(not(unix))]
    let bytes = lossy.as_bytes();
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    out
}
