//! `dslim compare` reports: text (per-layer tables and a summary, like
//! `docker history` and `docker images`) and JSON, and the error messages.

mod errors;
#[cfg(test)]
mod tests;
mod units;

use crate::output::{paint, text, BOLD, GREEN, RED_BOLD};

use super::files::{Change, EntryKind, FileDiff};
use super::probe::{Outcome, ProbeReport};
use super::{Error, ImageReport, Report};

pub use errors::error;
use units::*;
pub use units::{applied, bytes, seconds, signed_bytes};

/// Instructions longer than this are cut in the text tables (JSON has them
/// whole).
const INSTRUCTION_WIDTH: usize = 72;

/// One image's `docker history`-like table, in build order.
pub fn history_table(title: &str, img: &ImageReport) -> String {
    let state = if img.kept { "kept" } else { "removed" };
    let mut out = format!("{} {} ({state})\n", paint(BOLD, title), img.tag);
    let sizes: Vec<String> = img.history.iter().map(|h| bytes(h.size_bytes)).collect();
    let w = sizes.iter().map(String::len).max().unwrap_or(0).max(4);
    out.push_str(&paint(BOLD, &format!("  {:>w$}  INSTRUCTION", "SIZE")));
    out.push('\n');
    for (h, size) in img.history.iter().zip(&sizes) {
        let instr = if h.instruction.is_empty() {
            "(no history: imported layer)".to_string()
        } else {
            cut(&h.instruction, INSTRUCTION_WIDTH)
        };
        out.push_str(&format!("  {size:>w$}  {instr}\n"));
    }
    out
}

/// The before/after/change table.
pub fn summary_table(r: &Report) -> String {
    let (b, a, d) = (&r.before, &r.after, &r.difference);
    let mut rows: Vec<[String; 4]> = vec![
        ["".into(), "before".into(), "after".into(), "change".into()],
        [
            "size".into(),
            bytes(b.size_bytes),
            bytes(a.size_bytes),
            format!("{} ({})", signed_bytes(d.size_bytes), pct(d.saved_percent)),
        ],
    ];
    if let (Some(cb), Some(ca), Some(cd), Some(cp)) = (
        b.compressed_bytes,
        a.compressed_bytes,
        d.compressed_bytes,
        d.compressed_saved_percent,
    ) {
        rows.push([
            "compressed".into(),
            bytes(cb),
            bytes(ca),
            format!("{} ({})", signed_bytes(cd), pct(cp)),
        ]);
    }
    rows.push([
        "layers".into(),
        b.layer_count.to_string(),
        a.layer_count.to_string(),
        signed_count(d.layer_count),
    ]);
    rows.push([
        "build time".into(),
        seconds(b.build_seconds),
        seconds(a.build_seconds),
        signed_seconds(d.build_seconds),
    ]);
    let mut w = [0usize; 4];
    for r in &rows {
        for (w, c) in w.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    for (i, r) in rows.iter().enumerate() {
        let line = format!(
            "{:<w0$}  {:>w1$}  {:>w2$}  {:>w3$}",
            r[0],
            r[1],
            r[2],
            r[3],
            w0 = w[0],
            w1 = w[1],
            w2 = w[2],
            w3 = w[3]
        );
        out.push_str(&if i == 0 { paint(BOLD, &line) } else { line });
        out.push('\n');
    }
    out
}

/// The whole text report.
pub fn text(r: &Report) -> String {
    let fixes = if r.changed {
        format!("fixes applied: {}", applied(&r.applied))
    } else {
        "no fixes apply: before and after are the same Dockerfile".to_string()
    };
    let mut out = format!(
        "{} (context {}, built with {}; {fixes})\n\n",
        paint(BOLD, &r.dockerfile),
        r.context,
        r.builder
    );
    out.push_str(&history_table("before", &r.before));
    out.push('\n');
    out.push_str(&history_table("after", &r.after));
    out.push('\n');
    out.push_str(&summary_table(r));
    let d = &r.difference;
    let last = match d.saved_bytes.signum() {
        1 => paint(
            GREEN,
            &format!(
                "Saved {} ({:.1}% of {}).",
                bytes(d.saved_bytes.unsigned_abs()),
                d.saved_percent,
                bytes(r.before.size_bytes)
            ),
        ),
        0 => "Same size.".into(),
        _ => paint(
            RED_BOLD,
            &format!(
                "The fixed image is {} larger.",
                bytes(d.saved_bytes.unsigned_abs())
            ),
        ),
    };
    out.push('\n');
    out.push_str(&last);
    out.push('\n');
    if let Some(why) = &r.not_checked {
        out.push_str(&format!("\nBehaviour and files not compared: {why}.\n"));
    }
    if let Some(p) = &r.behaviour {
        out.push('\n');
        out.push_str(&behaviour_text(p));
    }
    if let Some(f) = &r.files {
        out.push('\n');
        out.push_str(&files_text(f));
    }
    if r.behaviour.is_some() || r.files.is_some() {
        out.push('\n');
        out.push_str(&verdict(r));
        out.push('\n');
    }
    out
}

/// A command line for display: words with blanks or quotes quoted.
fn shell_line(argv: &[String]) -> String {
    argv.iter()
        .map(|w| {
            if !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c))
            {
                w.clone()
            } else {
                format!("'{}'", w.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The probe section.
pub fn behaviour_text(p: &ProbeReport) -> String {
    let what = match (p.probe, &p.url) {
        ("http", Some(u)) => format!("GET {u} after starting each image"),
        ("args", _) => "the probe arguments".to_string(),
        _ => "each image's command, for 2 s".to_string(),
    };
    let mut out = format!("{} ({what}, with buildah)\n", paint(BOLD, "behaviour"));
    for (which, argv, o) in [
        ("before", &p.before_command, &p.before),
        ("after", &p.after_command, &p.after),
    ] {
        let cmd = if argv.is_empty() {
            "(no command)".to_string()
        } else {
            cut(&shell_line(argv), 50)
        };
        out.push_str(&format!("  {which:<6}  {cmd}  →  {}\n", o.summary()));
    }
    if p.same {
        out.push_str(&format!("  {}\n", paint(GREEN, "same behaviour")));
    } else {
        out.push_str(&format!("  {}\n", paint(RED_BOLD, "DIFFERENT behaviour")));
        if let (
            Outcome::Exited {
                stdout: a,
                stderr: ea,
                ..
            },
            Outcome::Exited {
                stdout: b,
                stderr: eb,
                ..
            },
        ) = (&p.before, &p.after)
        {
            for (name, x, y) in [("stdout", a, b), ("stderr", ea, eb)] {
                if x != y {
                    out.push_str(&format!("  {name} differs:\n"));
                    for l in x.lines().take(5) {
                        out.push_str(&format!("    - {l}\n"));
                    }
                    for l in y.lines().take(5) {
                        out.push_str(&format!("    + {l}\n"));
                    }
                }
            }
        }
    }
    out
}

/// Rows shown per list in text (JSON has them all).
const ROWS: usize = 20;

fn count(n: usize, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

fn change_row(c: &Change) -> String {
    let size = bytes(c.before_bytes);
    let detail = match (c.change, c.kind) {
        ("missing", EntryKind::Dir) => format!("  (folder, {})", count(c.files, "file")),
        ("missing", EntryKind::Symlink) => "  (link)".to_string(),
        ("missing", _) => String::new(),
        _ => format!(
            "  ({}{})",
            c.what.join(", "),
            match c.after_bytes {
                Some(a) if a != c.before_bytes =>
                    format!(": {} → {}", bytes(c.before_bytes), bytes(a)),
                _ => String::new(),
            }
        ),
    };
    format!("    {size:>9}  {}{detail}\n", c.path)
}

fn rows(out: &mut String, list: &[Change]) {
    for c in list.iter().take(ROWS) {
        out.push_str(&change_row(c));
    }
    if list.len() > ROWS {
        out.push_str(&format!(
            "    … {} more (--format json lists all)\n",
            list.len() - ROWS
        ));
    }
}

/// The file-system section.
pub fn files_text(f: &FileDiff) -> String {
    let mut out = format!(
        "{}\n",
        paint(BOLD, "files missing or changed in the fixed image")
    );
    if f.expected.is_empty() && f.unexpected_missing.is_empty() && f.unexpected_changed.is_empty() {
        out.push_str("  none\n");
    }
    if !f.expected.is_empty() {
        out.push_str("  expected:\n");
        for g in &f.expected {
            out.push_str(&format!(
                "    {:>9}  {:>11}  {}\n",
                bytes(g.bytes),
                count(g.files, "file"),
                g.reason
            ));
        }
    }
    if !f.unexpected_missing.is_empty() {
        out.push_str(&format!(
            "  {} ({} in {}; accept with --allow GLOB):\n",
            paint(RED_BOLD, "UNEXPECTED, missing"),
            bytes(f.unexpected_missing_bytes()),
            count(f.unexpected_missing.len(), "path")
        ));
        rows(&mut out, &f.unexpected_missing);
    }
    if !f.unexpected_changed.is_empty() {
        out.push_str(&format!(
            "  changed ({}; listed, not a failure):\n",
            count(f.unexpected_changed.len(), "path")
        ));
        rows(&mut out, &f.unexpected_changed);
    }
    if f.added_files > 0 {
        out.push_str(&format!(
            "  only in the fixed image: {}, {}\n",
            count(f.added_files, "path"),
            bytes(f.added_bytes)
        ));
    }
    out
}

/// The last line: the comparison passed or why not.
fn verdict(r: &Report) -> String {
    let mut why = Vec::new();
    if r.behaviour.as_ref().is_some_and(|p| !p.same) {
        why.push("the probe gives a different result".to_string());
    }
    if let Some(f) = r
        .files
        .as_ref()
        .filter(|f| !f.unexpected_missing.is_empty())
    {
        why.push(format!(
            "{} unexpectedly missing",
            count(f.unexpected_missing.len(), "path")
        ));
    }
    if why.is_empty() {
        paint(
            GREEN,
            "Same behaviour: the probe matches and no unexpected file is missing.",
        )
    } else {
        paint(RED_BOLD, &format!("DIFFERENT: {}.", why.join("; ")))
    }
}

/// Pretty JSON with a final newline.
pub fn json(r: &Report) -> String {
    let mut s = serde_json::to_string_pretty(r).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}
