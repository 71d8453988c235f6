//! buildah: working containers, mounts and started commands.

use super::*;

/// buildah, used to run and mount images (whatever built them, as long as
/// it shares buildah's storage).
#[derive(Debug, Clone)]
pub struct Runner {
    pub program: PathBuf,
}

/// A working container, removed when dropped.
pub struct Container<'r> {
    runner: &'r Runner,
    pub name: String,
}

impl Drop for Container<'_> {
    fn drop(&mut self) {
        // `rm` unmounts too.
        let _ = self.runner.output(&["rm".into(), self.name.clone().into()]);
    }
}

impl Runner {
    fn command(&self) -> Command {
        let mut c = Command::new(&self.program);
        c.stdin(Stdio::null());
        c
    }

    fn output(&self, args: &[OsString]) -> Result<String, Failure> {
        command_output(self.command(), &self.program, "buildah", args)
    }

    /// The image's ENTRYPOINT and CMD.
    pub fn image_command(&self, image: &str) -> Result<ImageCommand, Failure> {
        let out = self.output(&[
            "inspect".into(),
            "--type".into(),
            "image".into(),
            "--".into(),
            image.into(),
        ])?;
        ImageCommand::from_inspect(&out).ok_or_else(|| Failure {
            message: format!("cannot read the configuration of {image} from buildah"),
            log_tail: String::new(),
        })
    }

    /// A working container of a local image (never pulled).
    pub fn container(&self, image: &str) -> Result<Container<'_>, Failure> {
        // A name of this process's own: buildah's default
        // (`IMAGE-working-container`) is shared by every run on the store.
        let out = self.output(&[
            "from".into(),
            "--pull=never".into(),
            "--quiet".into(),
            "--name".into(),
            super::super::unique_name("dslim-compare").into(),
            "--".into(),
            image.into(),
        ])?;
        let name = out.lines().last().unwrap_or("").trim().to_string();
        if name.is_empty() {
            return Err(Failure {
                message: format!("`buildah from {image}` named no container"),
                log_tail: String::new(),
            });
        }
        Ok(Container { runner: self, name })
    }

    /// Mounts a container's root file system; its folder.
    pub fn mount(&self, c: &Container) -> Result<PathBuf, Failure> {
        let out = self.output(&["mount".into(), "--".into(), c.name.clone().into()])?;
        let p = PathBuf::from(out.trim());
        if !p.is_absolute() || !p.is_dir() {
            return Err(Failure {
                message: format!("`buildah mount {}` gave no folder ({})", c.name, out.trim()),
                log_tail: String::new(),
            });
        }
        Ok(p)
    }

    /// The arguments that run `argv` in a container.
    pub fn run_args(&self, c: &Container, argv: &[String]) -> Vec<OsString> {
        let mut a: Vec<OsString> = vec!["run".into()];
        if std::env::var_os("BUILDAH_ISOLATION").is_none_or(|v| v.is_empty()) {
            a.push("--isolation".into());
            a.push("chroot".into());
        }
        a.push("--".into());
        a.push(c.name.clone().into());
        a.extend(argv.iter().map(OsString::from));
        a
    }

    /// Starts `argv` in the container, output to two files in `dir`.
    pub(super) fn spawn(
        &self,
        c: &Container,
        argv: &[String],
        dir: &Path,
    ) -> Result<Running, String> {
        let out_path = dir.join(format!("{}.stdout", c.name));
        let err_path = dir.join(format!("{}.stderr", c.name));
        let io = |e: std::io::Error| crate::fsutil::io_message(&e);
        let out = File::create(&out_path).map_err(io)?;
        let err = File::create(&err_path).map_err(io)?;
        let mut cmd = self.command();
        cmd.args(self.run_args(c, argv)).stdout(out).stderr(err);
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            // Its own process group, so stopping it stops what it started.
            cmd.process_group(0);
        }
        let child = cmd
            .spawn()
            .map_err(|e| format!("cannot run {}: {}", self.program.display(), io(e)))?;
        Ok(Running {
            child,
            out_path,
            err_path,
            started: Instant::now(),
        })
    }
}

/// A started command.
pub(super) struct Running {
    child: Child,
    out_path: PathBuf,
    err_path: PathBuf,
    pub(super) started: Instant,
}

impl Running {
    /// The exit status if it has finished.
    pub(super) fn finished(&mut self) -> Option<i32> {
        match self.child.try_wait() {
            Ok(Some(s)) => Some(exit_code(s)),
            _ => None,
        }
    }

    /// Waits until it finishes or `limit` has passed since the start.
    pub(super) fn wait_until(&mut self, limit: Duration) -> Option<i32> {
        loop {
            if let Some(s) = self.finished() {
                return Some(s);
            }
            if self.started.elapsed() >= limit {
                return None;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stops it and everything in its process group.
    pub(super) fn stop(&mut self) {
        #[cfg(unix)]
        {
            let pid = self.child.id() as i32;
            // SAFETY: kill(2) with a negative pid signals the process group
            // this child leads (it was spawned with `process_group(0)`).
            unsafe {
                libc::kill(-pid, libc::SIGTERM);
            }
            let deadline = Instant::now() + Duration::from_secs(3);
            while Instant::now() < deadline {
                if self.finished().is_some() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            // SAFETY: as above; whatever ignored SIGTERM.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub(super) fn exited(&self, status: i32) -> Outcome {
        Outcome::Exited {
            status,
            stdout: read_limited(&self.out_path),
            stderr: read_limited(&self.err_path),
        }
    }
}

pub(super) fn exit_code(s: std::process::ExitStatus) -> i32 {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = s.signal() {
            return 128 + sig;
        }
    }
    s.code().unwrap_or(-1)
}

pub(super) fn read_limited(p: &Path) -> String {
    let mut buf = Vec::new();
    if let Ok(f) = File::open(p) {
        let _ = f.take(OUTPUT_LIMIT as u64).read_to_end(&mut buf);
    }
    String::from_utf8_lossy(&buf).into_owned()
}
