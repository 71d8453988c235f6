//! Image builders run as subprocesses: detection, build, inspection,
//! compressed size and cleanup.
//!
//! Every builder is run with an argument vector ([`std::process::Command`]),
//! never through a shell; Dockerfiles are passed as files with `-f`.
//! buildah and podman share one code path (podman builds with buildah's
//! library and keeps images in the same containers-storage); Docker goes
//! through `docker buildx build --load`.
//!
//! Here the types; the parts: [`detect`], [`run`], [`parse`] (output).

mod detect;
mod parse;
mod run;

pub use detect::*;
pub use parse::*;
pub use run::*;

use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A builder program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuilderKind {
    Docker,
    Podman,
    Buildah,
}

impl BuilderKind {
    pub fn name(self) -> &'static str {
        match self {
            BuilderKind::Docker => "docker",
            BuilderKind::Podman => "podman",
            BuilderKind::Buildah => "buildah",
        }
    }
}

/// What the user asked for with `--builder`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Choice {
    /// Docker when a daemon answers, else podman, else buildah.
    #[default]
    Auto,
    Only(BuilderKind),
}

/// When base images may be pulled (`--pull`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pull {
    Never,
    #[default]
    Missing,
    Always,
}

impl Pull {
    pub fn name(self) -> &'static str {
        match self {
            Pull::Never => "never",
            Pull::Missing => "missing",
            Pull::Always => "always",
        }
    }
}

/// A builder found on this machine.
#[derive(Debug, Clone)]
pub struct Builder {
    pub kind: BuilderKind,
    /// The resolved program path.
    pub program: PathBuf,
}

/// One entry of an image's history, oldest first (`docker history`, read
/// top to bottom in build order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    /// The builder's record of the instruction, as stored in the image.
    pub created_by: String,
    /// Uncompressed bytes of the layer (0 for entries with no layer).
    pub size: u64,
    /// The entry made no layer (ENV, LABEL, CMD, …).
    pub empty_layer: bool,
}

/// What inspecting a built image gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageInfo {
    pub history: Vec<HistoryEntry>,
    /// Number of filesystem layers.
    pub layers: usize,
}

impl ImageInfo {
    /// Uncompressed size: the sum of the layers' sizes.
    pub fn size(&self) -> u64 {
        self.history.iter().map(|h| h.size).sum()
    }
}

/// Why a builder command failed.
#[derive(Debug)]
pub struct Failure {
    /// What was being done (`build`, `inspect`, …).
    pub message: String,
    /// The last lines of the builder's output.
    pub log_tail: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buildah_inspect_pairs_sizes_with_history() {
        let manifest = r#"{"layers":[{"size":11776},{"size":4608}]}"#;
        let json = serde_json::json!({
            "Manifest": manifest,
            "Docker": {"history": [
                {"created_by": "/bin/sh -c #(nop) COPY file:a in /a.bin "},
                {"created_by": "/bin/sh -c #(nop) ENV X=1", "empty_layer": true},
                {"created_by": "/bin/sh -c #(nop) COPY file:b in /b.bin "}
            ]}
        })
        .to_string();
        let info = parse_buildah_inspect(&json).unwrap();
        assert_eq!(info.layers, 2);
        assert_eq!(info.size(), 11776 + 4608);
        let sizes: Vec<(u64, bool)> = info
            .history
            .iter()
            .map(|h| (h.size, h.empty_layer))
            .collect();
        assert_eq!(sizes, [(11776, false), (0, true), (4608, false)]);
    }

    #[test]
    fn layers_without_history_come_first() {
        let h = pair_layers(&[("CMD".into(), true)], &[100, 200]);
        assert_eq!(h.len(), 3);
        assert_eq!((h[0].size, h[1].size, h[2].size), (100, 200, 0));
        assert_eq!(h[2].created_by, "CMD");
    }

    #[test]
    fn podman_and_docker_history_are_reversed() {
        let p = r#"[{"CreatedBy":"b","size":0},{"CreatedBy":"a","size":42}]"#;
        let h = parse_podman_history(p).unwrap();
        assert_eq!(h[0].created_by, "a");
        assert_eq!(h[0].size, 42);
        assert!(h[1].empty_layer);
        let d = "{\"CreatedBy\":\"RUN /bin/sh -c x # buildkit\",\"Size\":\"7\"}\n\
                 {\"CreatedBy\":\"COPY a /a # buildkit\",\"Size\":\"1234\"}\n";
        let h = parse_docker_history(d).unwrap();
        assert_eq!((h[0].size, h[1].size), (1234, 7));
        assert!(parse_docker_history("{\"Size\":\"7MB\"}").is_none());
    }

    #[test]
    fn untagged_ids() {
        let b = r#"[{"id":"sha256:a","names":null},{"id":"sha256:b","names":["x:y"]},{"id":"sha256:c","names":[]}]"#;
        assert_eq!(parse_untagged(b).unwrap(), ["sha256:a", "sha256:c"]);
        let p = r#"[{"Id":"d","Names":["x"]},{"Id":"e"}]"#;
        assert_eq!(parse_untagged(p).unwrap(), ["e"]);
    }

    #[test]
    fn oci_layout_size() {
        let d = tempfile::tempdir().unwrap();
        let blobs = d.path().join("blobs/sha256");
        std::fs::create_dir_all(&blobs).unwrap();
        std::fs::write(
            d.path().join("index.json"),
            r#"{"manifests":[{"digest":"sha256:abc"}]}"#,
        )
        .unwrap();
        std::fs::write(blobs.join("abc"), r#"{"layers":[{"size":10},{"size":5}]}"#).unwrap();
        assert_eq!(oci_layers_size(d.path()), Some(15));
    }

    #[test]
    fn programs_are_found_on_the_given_path_only() {
        assert!(find_program("sh", OsStr::new("")).is_none());
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("buildah");
        std::fs::write(&p, "#!/bin/sh\n").unwrap();
        assert!(
            find_program("buildah", d.path().as_os_str()).is_none(),
            "not executable"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
            assert_eq!(find_program("buildah", d.path().as_os_str()), Some(p));
        }
        let e = detect(Choice::Auto, OsStr::new("")).unwrap_err();
        assert!(e.contains("no container builder found"), "{e}");
        let e = detect(Choice::Only(BuilderKind::Buildah), OsStr::new("")).unwrap_err();
        assert_eq!(e, "`buildah` not found on PATH");
    }

    #[test]
    fn build_arguments() {
        let b = Builder {
            kind: BuilderKind::Buildah,
            program: "buildah".into(),
        };
        let a: Vec<String> = b
            .build_args(
                Path::new("/t/Dockerfile"),
                Path::new("/ctx"),
                "localhost/x:before",
                Pull::Never,
            )
            .into_iter()
            .map(|s| s.into_string().unwrap())
            .collect();
        assert_eq!(a[0], "bud");
        for f in ["--layers", "--no-cache", "--pull=never", "--force-rm"] {
            assert!(a.iter().any(|x| x == f), "{f} in {a:?}");
        }
        assert_eq!(
            a[a.len() - 6..],
            [
                "-f",
                "/t/Dockerfile",
                "-t",
                "localhost/x:before",
                "--",
                "/ctx"
            ]
        );
        let d = Builder {
            kind: BuilderKind::Docker,
            program: "docker".into(),
        };
        let a: Vec<String> = d
            .build_args(Path::new("D"), Path::new("."), "t", Pull::Always)
            .into_iter()
            .map(|s| s.into_string().unwrap())
            .collect();
        assert_eq!(a[..4], ["buildx", "build", "--load", "--no-cache"]);
        assert!(a.contains(&"--pull".to_string()));
    }
}
