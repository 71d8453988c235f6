//! Numbers and short texts as the reports show them: bytes, seconds,
//! percents, applied fixes, cut instructions.

use crate::transforms;

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

pub(super) fn signed_seconds(s: f64) -> String {
    if s > 0.0 {
        format!("+{}", seconds(s))
    } else {
        seconds(s)
    }
}

pub(super) fn signed_count(n: i64) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

/// Change in percent of the original: `-87.0%` (a saving is negative, as
/// the size went down).
pub(super) fn pct(saved: f64) -> String {
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

pub(super) fn cut(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(width - 1).collect();
        t.push('…');
        t
    }
}
