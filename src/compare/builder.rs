//! Image builders run as subprocesses: detection, build, inspection,
//! compressed size and cleanup.
//!
//! Every builder is run with an argument vector ([`std::process::Command`]),
//! never through a shell; Dockerfiles are passed as files with `-f`.
//! buildah and podman share one code path (podman builds with buildah's
//! library and keeps images in the same containers-storage); Docker goes
//! through `docker buildx build --load`.

use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// How long `docker info` may take to answer during detection.
const DOCKER_INFO_TIMEOUT: Duration = Duration::from_secs(15);

/// A builder program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Docker,
    Podman,
    Buildah,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Docker => "docker",
            Kind::Podman => "podman",
            Kind::Buildah => "buildah",
        }
    }
}

/// What the user asked for with `--builder`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Choice {
    /// Docker when a daemon answers, else podman, else buildah.
    #[default]
    Auto,
    Only(Kind),
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
    pub kind: Kind,
    /// The resolved program path.
    pub program: PathBuf,
}

/// An executable named `name` in the directories of `path` (a `PATH` value).
pub fn find_program(name: &str, path: &OsStr) -> Option<PathBuf> {
    std::env::split_paths(path)
        .filter(|d| !d.as_os_str().is_empty())
        .map(|d| d.join(name))
        .find(|p| is_executable(p))
}

#[cfg(unix)]
fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(p: &Path) -> bool {
    p.is_file()
}

/// Runs `cmd` (output discarded) and waits at most `limit`; `None` when it
/// could not start or did not finish in time (it is then killed).
fn status_within(cmd: &mut Command, limit: Duration) -> Option<ExitStatus> {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(s)) => return Some(s),
            Ok(None) if start.elapsed() < limit => std::thread::sleep(Duration::from_millis(25)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
}

/// Why a Docker client cannot build: `None` when it can.
fn docker_problem(program: &Path) -> Option<String> {
    let info = status_within(
        Command::new(program).args(["info", "--format", "{{.ServerVersion}}"]),
        DOCKER_INFO_TIMEOUT,
    );
    if !info.is_some_and(|s| s.success()) {
        return Some("no Docker daemon answers (`docker info` failed)".into());
    }
    let buildx = status_within(
        Command::new(program).args(["buildx", "version"]),
        DOCKER_INFO_TIMEOUT,
    );
    if !buildx.is_some_and(|s| s.success()) {
        return Some("the Docker buildx plugin is missing (`docker buildx version` failed)".into());
    }
    None
}

/// Finds the builder to use, looking programs up in `path` (a `PATH`
/// value).
pub fn detect(choice: Choice, path: &OsStr) -> Result<Builder, String> {
    match choice {
        Choice::Only(kind) => {
            let program = find_program(kind.name(), path)
                .ok_or_else(|| format!("`{}` not found on PATH", kind.name()))?;
            if kind == Kind::Docker {
                if let Some(why) = docker_problem(&program) {
                    return Err(format!("cannot build with docker: {why}"));
                }
            }
            Ok(Builder { kind, program })
        }
        Choice::Auto => {
            if let Some(program) = find_program("docker", path) {
                if docker_problem(&program).is_none() {
                    return Ok(Builder {
                        kind: Kind::Docker,
                        program,
                    });
                }
            }
            for kind in [Kind::Podman, Kind::Buildah] {
                if let Some(program) = find_program(kind.name(), path) {
                    return Ok(Builder { kind, program });
                }
            }
            Err(
                "no container builder found: install buildah or podman, or start a Docker \
                 daemon with the buildx plugin (looked for docker, podman and buildah on PATH)"
                    .into(),
            )
        }
    }
}

/// `PATH` of this process (empty when unset).
pub fn env_path() -> OsString {
    std::env::var_os("PATH").unwrap_or_default()
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

impl Builder {
    fn command(&self) -> Command {
        let mut c = Command::new(&self.program);
        c.stdin(Stdio::null());
        c
    }

    /// The arguments of a build (without the program).
    pub fn build_args(
        &self,
        dockerfile: &Path,
        context: &Path,
        tag: &str,
        pull: Pull,
    ) -> Vec<OsString> {
        let mut a: Vec<OsString> = Vec::new();
        let mut push = |s: &str| a.push(s.into());
        match self.kind {
            Kind::Docker => {
                // BuildKit keeps no intermediate images; --load puts the result
                // in the daemon's image store whatever the buildx driver.
                for s in [
                    "buildx",
                    "build",
                    "--load",
                    "--no-cache",
                    "--progress=plain",
                ] {
                    push(s);
                }
                // `docker buildx build` can only be told to always pull; without
                // --pull it uses local images and pulls missing ones.
                if pull == Pull::Always {
                    push("--pull");
                }
            }
            Kind::Podman | Kind::Buildah => {
                push(if self.kind == Kind::Podman {
                    "build"
                } else {
                    "bud"
                });
                // --layers: one layer per instruction as Docker makes (buildah
                // squashes the new instructions into one layer without it).
                // --format docker: keep SHELL, HEALTHCHECK, ONBUILD as Docker
                // does. --force-rm: no containers left behind by a failed build.
                for s in ["--layers", "--no-cache", "--force-rm", "--format", "docker"] {
                    push(s);
                }
                push(&format!("--pull={}", pull.name()));
                // chroot isolation works rootful without cgroup control and
                // rootless alike; BUILDAH_ISOLATION overrides it, as in buildah.
                if std::env::var_os("BUILDAH_ISOLATION").is_none_or(|v| v.is_empty()) {
                    push("--isolation");
                    push("chroot");
                }
            }
        }
        a.push("-f".into());
        a.push(dockerfile.into());
        a.push("-t".into());
        a.push(tag.into());
        // The end of the options: the context (an absolute path, see
        // `compare::run`) is never read as one.
        a.push("--".into());
        a.push(context.into());
        a
    }

    /// Builds `dockerfile` with `context`, tagging the result `tag`; the
    /// builder's output goes to `log`. Returns the wall time in seconds.
    pub fn build(
        &self,
        dockerfile: &Path,
        context: &Path,
        tag: &str,
        pull: Pull,
        log: &Path,
    ) -> Result<f64, Failure> {
        let fail = |message: String| Failure {
            log_tail: tail(log, 30),
            message,
        };
        let file = File::create(log).map_err(|e| Failure {
            message: format!(
                "cannot create build log {}: {}",
                log.display(),
                crate::fsutil::io_message(&e)
            ),
            log_tail: String::new(),
        })?;
        let err = file
            .try_clone()
            .map_err(|e| fail(crate::fsutil::io_message(&e)))?;
        let start = Instant::now();
        let status = self
            .command()
            .args(self.build_args(dockerfile, context, tag, pull))
            .stdout(file)
            .stderr(err)
            .status()
            .map_err(|e| {
                fail(format!(
                    "cannot run {}: {}",
                    self.program.display(),
                    crate::fsutil::io_message(&e)
                ))
            })?;
        let secs = start.elapsed().as_secs_f64();
        if status.success() {
            Ok(secs)
        } else {
            Err(fail(format!(
                "{} build failed ({})",
                self.kind.name(),
                describe(status)
            )))
        }
    }

    /// Stdout of a builder command, or a failure with its stderr.
    fn output(&self, args: &[&OsStr]) -> Result<String, Failure> {
        command_output(self.command(), &self.program, self.kind.name(), args)
    }

    /// The failure for output of `tag` that could not be read.
    fn unreadable(&self, what: &str, tag: &str) -> Failure {
        Failure {
            message: format!("cannot read {what} of {tag} from {}", self.kind.name()),
            log_tail: String::new(),
        }
    }

    /// The layer count of an image (podman and docker answer the same query).
    fn layer_count(&self, tag: &str) -> Result<usize, Failure> {
        let out = self.output(&[
            "image".as_ref(),
            "inspect".as_ref(),
            "--format".as_ref(),
            "{{len .RootFS.Layers}}".as_ref(),
            tag.as_ref(),
        ])?;
        out.trim()
            .parse()
            .map_err(|_| self.unreadable("the layer count", tag))
    }

    /// Layers and history of a built image.
    pub fn inspect(&self, tag: &str) -> Result<ImageInfo, Failure> {
        let bad = |what: &str| self.unreadable(what, tag);
        match self.kind {
            Kind::Buildah => {
                let out = self.output(&[
                    "inspect".as_ref(),
                    "--type".as_ref(),
                    "image".as_ref(),
                    tag.as_ref(),
                ])?;
                parse_buildah_inspect(&out).ok_or_else(|| bad("the manifest and history"))
            }
            Kind::Podman => {
                let layers = self.layer_count(tag)?;
                let hist = self.output(&[
                    "history".as_ref(),
                    "--no-trunc".as_ref(),
                    "--format".as_ref(),
                    "json".as_ref(),
                    tag.as_ref(),
                ])?;
                let history = parse_podman_history(&hist).ok_or_else(|| bad("the history"))?;
                Ok(ImageInfo { history, layers })
            }
            Kind::Docker => {
                let layers = self.layer_count(tag)?;
                let hist = self.output(&[
                    "history".as_ref(),
                    "--no-trunc".as_ref(),
                    "--human=false".as_ref(),
                    "--format".as_ref(),
                    "{{json .}}".as_ref(),
                    tag.as_ref(),
                ])?;
                let history = parse_docker_history(&hist).ok_or_else(|| bad("the history"))?;
                Ok(ImageInfo { history, layers })
            }
        }
    }

    /// The gzip-compressed size of the image's layers (what a registry
    /// stores), found by pushing it to a temporary OCI layout; `None` when
    /// the builder cannot tell (Docker) or the push fails.
    pub fn compressed_size(&self, tag: &str) -> Option<u64> {
        if self.kind == Kind::Docker {
            return None;
        }
        let dir = tempfile::Builder::new()
            .prefix("dslim-compare-oci-")
            .tempdir()
            .ok()?;
        let dest = format!("oci:{}:image", dir.path().to_str()?);
        self.output(&[
            "push".as_ref(),
            "--quiet".as_ref(),
            "--compression-format".as_ref(),
            "gzip".as_ref(),
            tag.as_ref(),
            dest.as_ref(),
        ])
        .ok()?;
        oci_layers_size(dir.path())
    }

    /// Removes the image tagged `tag` (with its untagged parents: buildah
    /// and podman remove the intermediate images of a `--layers` build with
    /// the last one).
    pub fn remove(&self, tag: &str) -> Result<(), Failure> {
        let args: &[&OsStr] = match self.kind {
            Kind::Docker => &["image".as_ref(), "rm".as_ref(), tag.as_ref()],
            Kind::Podman | Kind::Buildah => &["rmi".as_ref(), tag.as_ref()],
        };
        self.output(args).map(drop)
    }

    /// IDs of all untagged images, for finding what a failed build left
    /// behind (buildah and podman; Docker keeps no intermediate images).
    pub fn untagged_images(&self) -> Option<Vec<String>> {
        let out = match self.kind {
            Kind::Docker => return Some(Vec::new()),
            Kind::Buildah => self.output(&[
                "images".as_ref(),
                "--all".as_ref(),
                "--no-trunc".as_ref(),
                "--json".as_ref(),
            ]),
            Kind::Podman => self.output(&[
                "images".as_ref(),
                "--all".as_ref(),
                "--no-trunc".as_ref(),
                "--format".as_ref(),
                "json".as_ref(),
            ]),
        }
        .ok()?;
        parse_untagged(&out)
    }

    /// Removes images by ID, newest first (the intermediate images of a
    /// failed build); errors are ignored (removing a child may already have
    /// removed its parents).
    pub fn remove_ids(&self, ids: &[String]) {
        for id in ids.iter().rev() {
            let _ = self.output(&["rmi".as_ref(), id.as_ref()]);
        }
    }
}

fn describe(s: ExitStatus) -> String {
    match s.code() {
        Some(c) => format!("exit status {c}"),
        None => "killed by a signal".into(),
    }
}

/// The last `n` lines of a file (lossy UTF-8).
pub fn tail(path: &Path, n: usize) -> String {
    std::fs::read(path)
        .map(|b| last_lines(&String::from_utf8_lossy(&b), n))
        .unwrap_or_default()
}

/// Stdout of `cmd` (which runs `program` with `args`), or a failure naming
/// `` `name args…` ``, its exit status and the last lines of its stderr.
pub(crate) fn command_output<A: AsRef<OsStr>>(
    mut cmd: Command,
    program: &Path,
    name: &str,
    args: &[A],
) -> Result<String, Failure> {
    let out = cmd.args(args).output().map_err(|e| Failure {
        message: format!(
            "cannot run {}: {}",
            program.display(),
            crate::fsutil::io_message(&e)
        ),
        log_tail: String::new(),
    })?;
    if out.status.success() {
        return Ok(String::from_utf8_lossy(&out.stdout).into_owned());
    }
    let shown: Vec<String> = args
        .iter()
        .map(|a| a.as_ref().to_string_lossy().into_owned())
        .collect();
    Err(Failure {
        message: format!(
            "`{name} {}` failed ({})",
            shown.join(" "),
            describe(out.status)
        ),
        log_tail: last_lines(&String::from_utf8_lossy(&out.stderr), 30),
    })
}

/// The last `n` non-empty-at-end lines of `s`, each ending in a newline.
pub fn last_lines(s: &str, n: usize) -> String {
    let lines: Vec<&str> = s.trim_end().lines().collect();
    let start = lines.len().saturating_sub(n);
    let mut out = lines[start..].join("\n");
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// `buildah inspect --type image`: layer sizes from the stored manifest
/// (uncompressed tar streams), history from the Docker or OCI config.
pub fn parse_buildah_inspect(json: &str) -> Option<ImageInfo> {
    let v: Value = serde_json::from_str(json).ok()?;
    let manifest: Value = serde_json::from_str(v.get("Manifest")?.as_str()?).ok()?;
    let sizes: Vec<u64> = manifest
        .get("layers")?
        .as_array()?
        .iter()
        .map(|l| l.get("size").and_then(Value::as_u64))
        .collect::<Option<_>>()?;
    let history = ["Docker", "OCIv1"]
        .iter()
        .filter_map(|k| v.get(k)?.get("history")?.as_array())
        .find(|h| !h.is_empty());
    let entries: Vec<(String, bool)> = history
        .map(|h| {
            h.iter()
                .map(|e| {
                    (
                        e.get("created_by")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_string(),
                        e.get("empty_layer")
                            .and_then(Value::as_bool)
                            .unwrap_or(false),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    Some(ImageInfo {
        layers: sizes.len(),
        history: pair_layers(&entries, &sizes),
    })
}

/// Gives each non-empty history entry the next layer's size, in order (as
/// `docker history` does). Layers with no history entry (some imported
/// images have none) get an entry with an empty `created_by`.
pub fn pair_layers(entries: &[(String, bool)], sizes: &[u64]) -> Vec<HistoryEntry> {
    let mut sizes_left = sizes.iter();
    let mut out: Vec<HistoryEntry> = entries
        .iter()
        .map(|(by, empty)| HistoryEntry {
            created_by: by.clone(),
            size: if *empty {
                0
            } else {
                sizes_left.next().copied().unwrap_or(0)
            },
            empty_layer: *empty,
        })
        .collect();
    // Layers with no history: they are the oldest (an image imported from
    // a tarball), so they go first.
    let extra: Vec<HistoryEntry> = sizes_left
        .map(|&size| HistoryEntry {
            created_by: String::new(),
            size,
            empty_layer: false,
        })
        .collect();
    if !extra.is_empty() {
        out.splice(0..0, extra);
    }
    out
}

/// `podman history --format json` (newest first) → oldest first.
pub fn parse_podman_history(json: &str) -> Option<Vec<HistoryEntry>> {
    let v: Value = serde_json::from_str(json).ok()?;
    let mut out: Vec<HistoryEntry> = v
        .as_array()?
        .iter()
        .map(|e| {
            let size = e.get("size").and_then(Value::as_u64).unwrap_or(0);
            HistoryEntry {
                created_by: e
                    .get("CreatedBy")
                    .or_else(|| e.get("createdBy"))
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                size,
                empty_layer: size == 0,
            }
        })
        .collect();
    out.reverse();
    Some(out)
}

/// `docker history --human=false --format '{{json .}}'`: one JSON object
/// per line, newest first, `Size` a decimal string → oldest first.
pub fn parse_docker_history(lines: &str) -> Option<Vec<HistoryEntry>> {
    let mut out = Vec::new();
    for line in lines.lines().filter(|l| !l.trim().is_empty()) {
        let e: Value = serde_json::from_str(line).ok()?;
        let size = match e.get("Size")? {
            Value::String(s) => s.trim().parse().ok()?,
            Value::Number(n) => n.as_u64()?,
            _ => return None,
        };
        out.push(HistoryEntry {
            created_by: e
                .get("CreatedBy")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            size,
            empty_layer: size == 0,
        });
    }
    out.reverse();
    Some(out)
}

/// IDs of the untagged images in `buildah images --json` /
/// `podman images --format json` output, in listing order.
pub fn parse_untagged(json: &str) -> Option<Vec<String>> {
    let v: Value = serde_json::from_str(json).ok()?;
    let get = |e: &Value, a: &str, b: &str| e.get(a).or_else(|| e.get(b)).cloned();
    Some(
        v.as_array()?
            .iter()
            .filter(|e| {
                get(e, "names", "Names")
                    .and_then(|n| n.as_array().map(|a| a.is_empty()))
                    .unwrap_or(true)
            })
            .filter_map(|e| get(e, "id", "Id")?.as_str().map(str::to_string))
            .collect(),
    )
}

/// Sum of the layer blob sizes of the first manifest in an OCI layout.
pub fn oci_layers_size(dir: &Path) -> Option<u64> {
    let read =
        |p: PathBuf| -> Option<Value> { serde_json::from_slice(&std::fs::read(p).ok()?).ok() };
    let index = read(dir.join("index.json"))?;
    let digest = index.get("manifests")?.get(0)?.get("digest")?.as_str()?;
    let (algo, hex) = digest.split_once(':')?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) || algo.contains(['/', '.']) {
        return None;
    }
    let manifest = read(dir.join("blobs").join(algo).join(hex))?;
    manifest
        .get("layers")?
        .as_array()?
        .iter()
        .map(|l| l.get("size").and_then(Value::as_u64))
        .sum()
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
        let e = detect(Choice::Only(Kind::Buildah), OsStr::new("")).unwrap_err();
        assert_eq!(e, "`buildah` not found on PATH");
    }

    #[test]
    fn build_arguments() {
        let b = Builder {
            kind: Kind::Buildah,
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
            kind: Kind::Docker,
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
