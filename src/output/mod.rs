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

/// A path as shown in messages and diff headers.
pub fn display_path(path: &std::path::Path) -> String {
    path.to_string_lossy().into_owned()
}
