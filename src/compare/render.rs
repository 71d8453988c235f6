//! `dslim compare` reports: text (per-layer tables and a summary, like
//! `docker history` and `docker images`) and JSON, and the error messages.

use crate::output::{paint, text, BOLD, GREEN, RED_BOLD};
use crate::transforms;

use super::files::{Change, EntryKind, FileDiff};
use super::probe::{Outcome, ProbeReport};
use super::{Error, ImageReport, Report};

/// Instructions longer than this are cut in the text tables (JSON has them
/// whole).
const INSTRUCTION_WIDTH: usize = 72;

/// Bytes in decimal units as `docker images` shows them: `512 B`,
/// `7.8 MB`, `1.2 GB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["kB", "MB", "GB", "TB", "PB"];
    if n < 1000 {
        return format!("{n} B");
    }
    let mut v = n as f64 / 1000.0;
    let mut unit = 0;
    while v >= 999.95 && unit + 1 < UNITS.len() {
        v /= 1000.0;
        unit += 1;
    }
    format!("{v:.1} {}", UNITS[unit])
}

/// A signed byte count: `+50 B`, `-791.0 MB`, `0 B`.
pub fn signed_bytes(n: i64) -> String {
    match n.signum() {
        0 => "0 B".into(),
        1 => format!("+{}", bytes(n.unsigned_abs())),
        _ => format!("-{}", bytes(n.unsigned_abs())),
    }
}

/// Seconds with one decimal: `41.2 s`.
pub fn seconds(s: f64) -> String {
    format!("{s:.1} s")
}

fn signed_seconds(s: f64) -> String {
    if s > 0.0 {
        format!("+{}", seconds(s))
    } else {
        seconds(s)
    }
}

fn signed_count(n: i64) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

/// Change in percent of the original: `-87.0%` (a saving is negative, as
/// the size went down).
fn pct(saved: f64) -> String {
    let change = -saved;
    if change > 0.0 {
        format!("+{change:.1}%")
    } else if change == 0.0 {
        "0.0%".into()
    } else {
        format!("{change:.1}%")
    }
}

/// `DS001 merge-runs ×2, DS002 …`, in first-applied order.
pub fn applied(codes: &[&str]) -> String {
    let mut seen: Vec<(&str, usize)> = Vec::new();
    for c in codes {
        match seen.iter_mut().find(|(k, _)| k == c) {
            Some((_, n)) => *n += 1,
            None => seen.push((c, 1)),
        }
    }
    seen.iter()
        .map(|(c, n)| {
            let name = transforms::ALL
                .iter()
                .map(|t| t.meta())
                .find(|m| m.code == *c)
                .map_or(String::new(), |m| format!(" {}", m.name));
            let times = if *n > 1 {
                format!(" ×{n}")
            } else {
                String::new()
            };
            format!("{c}{name}{times}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn cut(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(width - 1).collect();
        t.push('…');
        t
    }
}

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

fn with_tail(mut s: String, builder: &str, tail: &str, log: Option<&std::path::Path>) -> String {
    if !tail.is_empty() {
        s.push_str(&format!("  last lines of the {builder} output:\n"));
        for l in tail.lines() {
            s.push_str(&format!("  | {l}\n"));
        }
    }
    if let Some(p) = log {
        s.push_str(&format!("  full log: {}\n", p.display()));
    }
    s
}

/// `path: error: …` lines for a failed comparison.
pub fn error(path: &str, e: &Error) -> String {
    match e {
        Error::Input(m) | Error::NoBuilder(m) => text::error(path, m),
        Error::Pipeline(p) => crate::cli::fix::error_text(path, p),
        Error::OriginalFailed {
            builder,
            message,
            log_tail,
            log,
        } => with_tail(
            text::error(
                path,
                &format!(
                    "the original Dockerfile does not build ({message}); \
                     fix it first, dslim compared nothing"
                ),
            ),
            builder,
            log_tail,
            log.as_deref(),
        ),
        Error::FixedFailed {
            builder,
            applied: codes,
            message,
            log_tail,
            log,
        } => {
            let head = format!(
                "{} the original builds but the FIXED Dockerfile does not ({message}). \
                 This is a bug in a dslim transform; fixes applied: {}. \
                 Please report it with the Dockerfile (see the changes with `dslim fix {path}`; \
                 leave them out with `--ignore CODE`).",
                paint(RED_BOLD, "BUG:"),
                if codes.is_empty() {
                    "none".to_string()
                } else {
                    applied(codes)
                }
            );
            with_tail(text::error(path, &head), builder, log_tail, log.as_deref())
        }
        Error::Builder { message, log_tail } => {
            with_tail(text::error(path, message), "builder", log_tail, None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{tests::image, Difference, LayerRow};
    use super::*;

    fn report() -> Report {
        let mut before = image(909_000_000, Some(300_000_000), 3, 41.25);
        before.history = vec![
            LayerRow {
                instruction: String::new(),
                created_by: String::new(),
                size_bytes: 121_400_000,
                empty_layer: false,
            },
            LayerRow {
                instruction: "CMD [\"bash\"]".into(),
                created_by: "/bin/sh -c #(nop) CMD [\"bash\"]".into(),
                size_bytes: 0,
                empty_layer: true,
            },
            LayerRow {
                instruction: format!("RUN apt-get update && {}", "x".repeat(80)),
                created_by: String::new(),
                size_bytes: 787_600_000,
                empty_layer: false,
            },
        ];
        let mut after = image(118_000_000, Some(45_000_000), 2, 30.0);
        after.tag = "localhost/t:after".into();
        let difference = Difference::of(&before, &after);
        Report {
            dockerfile: "Dockerfile".into(),
            context: ".".into(),
            builder: "buildah",
            changed: true,
            applied: vec!["DS001", "DS001"],
            before,
            after,
            difference,
            behaviour: None,
            files: None,
            not_checked: None,
            differs: false,
        }
    }

    #[test]
    fn byte_units() {
        assert_eq!(bytes(0), "0 B");
        assert_eq!(bytes(999), "999 B");
        assert_eq!(bytes(1000), "1.0 kB");
        assert_eq!(bytes(11_776), "11.8 kB");
        assert_eq!(bytes(909_000_000), "909.0 MB");
        assert_eq!(bytes(999_990_000), "1.0 GB");
        assert_eq!(bytes(1_234_000_000), "1.2 GB");
        assert_eq!(signed_bytes(-791_000_000), "-791.0 MB");
        assert_eq!(signed_bytes(50), "+50 B");
        assert_eq!(signed_bytes(0), "0 B");
    }

    #[test]
    fn applied_counts_and_names() {
        assert_eq!(applied(&["DS001", "DS001"]), "DS001 merge-runs ×2");
        assert_eq!(applied(&["DS001", "DS999"]), "DS001 merge-runs, DS999");
    }

    #[test]
    fn summary_table_layout() {
        let s = summary_table(&report());
        let expected = "
              before     after              change
size        909.0 MB  118.0 MB  -791.0 MB (-87.0%)
compressed  300.0 MB   45.0 MB  -255.0 MB (-85.0%)
layers             3         2                  -1
build time    41.2 s    30.0 s             -11.2 s
";
        assert_eq!(strip(&s), &expected[1..]);
    }

    #[test]
    fn summary_without_compressed_sizes() {
        let mut r = report();
        r.after.compressed_bytes = None;
        r.difference = Difference::of(&r.before, &r.after);
        assert!(!strip(&summary_table(&r)).contains("compressed"));
    }

    #[test]
    fn history_table_layout() {
        let s = strip(&history_table("before", &report().before));
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines[0], "before localhost/t:before (removed)");
        assert_eq!(lines[1], "      SIZE  INSTRUCTION");
        assert_eq!(lines[2], "  121.4 MB  (no history: imported layer)");
        assert_eq!(lines[3], "       0 B  CMD [\"bash\"]");
        assert!(lines[4].starts_with("  787.6 MB  RUN apt-get update && xxx"));
        assert!(lines[4].ends_with('…'));
        assert_eq!(lines[4].chars().count(), 2 + 8 + 2 + INSTRUCTION_WIDTH);
    }

    #[test]
    fn text_report_ends_with_the_saving() {
        let s = strip(&text(&report()));
        assert!(s.starts_with(
            "Dockerfile (context ., built with buildah; fixes applied: DS001 merge-runs ×2)\n"
        ));
        assert!(s.ends_with("Saved 791.0 MB (87.0% of 909.0 MB).\n"), "{s}");
    }

    #[test]
    fn json_report_has_everything() {
        let v: serde_json::Value = serde_json::from_str(&json(&report())).unwrap();
        assert_eq!(v["builder"], "buildah");
        assert_eq!(v["applied"], serde_json::json!(["DS001", "DS001"]));
        assert_eq!(v["before"]["size_bytes"], 909_000_000);
        assert_eq!(v["before"]["history"][1]["empty_layer"], true);
        assert_eq!(v["after"]["compressed_bytes"], 45_000_000);
        assert_eq!(v["difference"]["saved_bytes"], 791_000_000);
        assert_eq!(v["difference"]["saved_percent"], 87.02);
        assert_eq!(v["difference"]["layer_count"], -1);
    }

    #[test]
    fn fixed_build_failure_names_the_transforms() {
        let e = Error::FixedFailed {
            builder: "buildah",
            applied: vec!["DS001"],
            message: "buildah build failed (exit status 1)".into(),
            log_tail: "step 3\nerror: boom\n".into(),
            log: Some("/tmp/x.log".into()),
        };
        let s = strip(&error("app/Dockerfile", &e));
        assert!(s.starts_with("app/Dockerfile: error: BUG: the original builds but the FIXED"));
        assert!(s.contains("fixes applied: DS001 merge-runs."), "{s}");
        assert!(s.contains("  | error: boom\n"), "{s}");
        assert!(s.ends_with("  full log: /tmp/x.log\n"), "{s}");
    }

    /// Text without ANSI styles.
    fn strip(s: &str) -> String {
        let mut out = String::new();
        let mut it = s.chars().peekable();
        while let Some(c) = it.next() {
            if c == '\u{1b}' {
                for d in it.by_ref() {
                    if d == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }
}
