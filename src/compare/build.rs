//! Building one image and reading what was built: size, layers, history.

use std::path::{Path, PathBuf};

use super::builder::{self, Builder};
use super::{render, round2, ImageReport, LayerRow, Options, Progress};

/// A failed build, with where its full log is.
pub(super) struct BuildFailure {
    pub message: String,
    pub log_tail: String,
    pub log: Option<PathBuf>,
}

/// Where [`build_one`] failed.
pub(super) enum FailedAt {
    Build(BuildFailure),
    /// Built, but the builder could not tell what it built.
    Inspect(builder::Failure),
}

pub(super) fn build_one(
    builder: &Builder,
    dockerfile: &Path,
    context: &Path,
    tag: &str,
    o: &Options,
    tmp: &Path,
    progress: &mut dyn Progress,
) -> Result<ImageReport, FailedAt> {
    let which = tag.rsplit(':').next().unwrap_or(tag);
    let log = tmp.join(format!("{which}.log"));
    progress.status(&format!(
        "building {which} ({}, --no-cache) as {tag}…",
        builder.kind.name()
    ));
    let untagged = builder.untagged_images();
    let seconds = match builder.build(dockerfile, context, tag, o.pull, &log) {
        Ok(s) => s,
        Err(f) => {
            // Remove the intermediate images the failed build left (new
            // untagged images since it started); nothing else is touched.
            if let (Some(old), Some(now)) = (untagged, builder.untagged_images()) {
                let new: Vec<String> = now.into_iter().filter(|i| !old.contains(i)).collect();
                if !o.keep {
                    builder.remove_ids(&new);
                }
            }
            return Err(FailedAt::Build(BuildFailure {
                message: f.message,
                log_tail: f.log_tail,
                log: keep_log(&log, tag),
            }));
        }
    };
    let info = builder.inspect(tag);
    let info = match info {
        Ok(i) => i,
        Err(f) => {
            if !o.keep {
                let _ = builder.remove(tag);
            }
            return Err(FailedAt::Inspect(f));
        }
    };
    progress.status(&format!(
        "built {which} in {}: {}, {} layers",
        render::seconds(seconds),
        render::bytes(info.size()),
        info.layers
    ));
    let compressed = builder.compressed_size(tag);
    Ok(ImageReport {
        tag: tag.to_string(),
        kept: o.keep,
        size_bytes: info.size(),
        compressed_bytes: compressed,
        layer_count: info.layers,
        build_seconds: round2(seconds),
        history: info
            .history
            .into_iter()
            .map(|h| LayerRow {
                instruction: instruction(&h.created_by),
                created_by: h.created_by,
                size_bytes: h.size,
                empty_layer: h.empty_layer,
            })
            .collect(),
    })
}

/// Moves a failed build's log out of the temporary folder (removed at the
/// end of the run) into a fresh private folder (mode 0700, an unpredictable
/// name) that stays, so the user can read all of it. Nothing is written
/// through a path another user could have planted.
fn keep_log(log: &Path, tag: &str) -> Option<PathBuf> {
    let name = tag.rsplit('/').next().unwrap_or(tag).replace(':', "-");
    let mut b = tempfile::Builder::new();
    b.prefix("dslim-compare-log-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(std::fs::Permissions::from_mode(0o700));
    }
    let dir = b.tempdir().ok()?.keep();
    let dest = dir.join(format!("{name}.log"));
    if std::fs::rename(log, &dest).is_ok() {
        return Some(dest);
    }
    // Another file system: copy into a file created new (never followed
    // or overwritten).
    let mut out = std::fs::File::options()
        .write(true)
        .create_new(true)
        .open(&dest)
        .ok()?;
    let mut input = std::fs::File::open(log).ok()?;
    std::io::copy(&mut input, &mut out).ok()?;
    Some(dest)
}

/// A history record shortened to the instruction it came from:
/// `/bin/sh -c #(nop) ENV X=1` → `ENV X=1`, `/bin/sh -c apt-get update` →
/// `RUN apt-get update`, `RUN /bin/sh -c x # buildkit` → `RUN x`; runs of
/// whitespace become one space.
pub fn instruction(created_by: &str) -> String {
    let s = created_by.trim();
    let s = s.strip_suffix("# buildkit").unwrap_or(s).trim_end();
    let s = if let Some(rest) = s.strip_prefix("/bin/sh -c #(nop) ") {
        rest.to_string()
    } else if let Some(rest) = s.strip_prefix("RUN /bin/sh -c ") {
        format!("RUN {rest}")
    } else if let Some(rest) = run_body(s) {
        format!("RUN {rest}")
    } else {
        s.to_string()
    };
    s.split_whitespace()
        .map(short_digest)
        .collect::<Vec<_>>()
        .join(" ")
}

/// `file:<64 hex digits>` (buildah's name for a COPY source) → its first
/// 12 digits, as image IDs are shown.
fn short_digest(word: &str) -> &str {
    for p in ["file:", "dir:", "multi:"] {
        if let Some(rest) = word.strip_prefix(p) {
            if rest.len() == 64 && rest.bytes().all(|b| b.is_ascii_hexdigit()) {
                return &word[..p.len() + 12];
            }
        }
    }
    word
}

/// The command of a buildah RUN record: `/bin/sh -c CMD`, or with build
/// arguments first, `|2 A=1 B=2 /bin/sh -c CMD`.
fn run_body(s: &str) -> Option<&str> {
    if let Some(rest) = s.strip_prefix("/bin/sh -c ") {
        return Some(rest);
    }
    if s.starts_with('|') {
        return s
            .find(" /bin/sh -c ")
            .map(|i| &s[i + " /bin/sh -c ".len()..]);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instructions_from_history_records() {
        assert_eq!(instruction("/bin/sh -c #(nop) ENV X=1"), "ENV X=1");
        assert_eq!(
            instruction("/bin/sh -c #(nop) COPY file:5eb0 in /a.bin "),
            "COPY file:5eb0 in /a.bin"
        );
        let sha = "5eb0e3d318c310816e3b8b17408039666aa2567626a34c07b03b88ab115432b0";
        assert_eq!(
            instruction(&format!("/bin/sh -c #(nop) COPY file:{sha} in /a ")),
            "COPY file:5eb0e3d318c3 in /a"
        );
        assert_eq!(
            instruction("/bin/sh -c apt-get update     && apt-get install -y curl"),
            "RUN apt-get update && apt-get install -y curl"
        );
        assert_eq!(instruction("|1 V=2 /bin/sh -c make V=$V"), "RUN make V=$V");
        assert_eq!(instruction("RUN /bin/sh -c make # buildkit"), "RUN make");
        assert_eq!(instruction("COPY a /a # buildkit"), "COPY a /a");
        assert_eq!(instruction(""), "");
    }
}
