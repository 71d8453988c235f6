//! Running the builder: build, inspect, compressed size, removal, and the
//! subprocess helpers (exit status, last lines of output).

use super::*;

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
            BuilderKind::Docker => {
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
            BuilderKind::Podman | BuilderKind::Buildah => {
                push(if self.kind == BuilderKind::Podman {
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
            BuilderKind::Buildah => {
                let out = self.output(&[
                    "inspect".as_ref(),
                    "--type".as_ref(),
                    "image".as_ref(),
                    tag.as_ref(),
                ])?;
                parse_buildah_inspect(&out).ok_or_else(|| bad("the manifest and history"))
            }
            BuilderKind::Podman => {
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
            BuilderKind::Docker => {
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
        if self.kind == BuilderKind::Docker {
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
            BuilderKind::Docker => &["image".as_ref(), "rm".as_ref(), tag.as_ref()],
            BuilderKind::Podman | BuilderKind::Buildah => &["rmi".as_ref(), tag.as_ref()],
        };
        self.output(args).map(drop)
    }

    /// IDs of all untagged images, for finding what a failed build left
    /// behind (buildah and podman; Docker keeps no intermediate images).
    pub fn untagged_images(&self) -> Option<Vec<String>> {
        let out = match self.kind {
            BuilderKind::Docker => return Some(Vec::new()),
            BuilderKind::Buildah => self.output(&[
                "images".as_ref(),
                "--all".as_ref(),
                "--no-trunc".as_ref(),
                "--json".as_ref(),
            ]),
            BuilderKind::Podman => self.output(&[
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

pub(super) fn describe(s: ExitStatus) -> String {
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
