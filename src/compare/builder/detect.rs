//! Finding a builder: the program on `PATH`, and for Docker whether its
//! daemon answers and buildx is there.

use super::*;

/// How long `docker info` may take to answer during detection.
pub(super) const DOCKER_INFO_TIMEOUT: Duration = Duration::from_secs(15);

/// An executable named `name` in the directories of `path` (a `PATH` value).
pub fn find_program(name: &str, path: &OsStr) -> Option<PathBuf> {
    std::env::split_paths(path)
        .filter(|d| !d.as_os_str().is_empty())
        .map(|d| d.join(name))
        .find(|p| is_executable(p))
}

#[cfg(unix)]
pub(super) fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
pub(super) fn is_executable(p: &Path) -> bool {
    p.is_file()
}

/// Runs `cmd` (output discarded) and waits at most `limit`; `None` when it
/// could not start or did not finish in time (it is then killed).
pub(super) fn status_within(cmd: &mut Command, limit: Duration) -> Option<ExitStatus> {
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
pub(super) fn docker_problem(program: &Path) -> Option<String> {
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
            if kind == BuilderKind::Docker {
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
                        kind: BuilderKind::Docker,
                        program,
                    });
                }
            }
            for kind in [BuilderKind::Podman, BuilderKind::Buildah] {
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
