//! Running the built images: the behaviour half of `dslim compare`.
//!
//! Both images are started the same way with buildah — `buildah from`
//! makes a working container, `buildah run --isolation chroot` runs the
//! command in it (with the image's user, working folder and environment),
//! `buildah mount` gives its files for the diff, `buildah rm` removes it.
//! Every command is an argument vector, never a shell. Chroot isolation
//! shares the host's network, so a server started for `--probe-http` is
//! reached on 127.0.0.1; the two images run one after the other.

use std::ffi::OsString;
use std::fs::File;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;

use super::builder::{command_output, Failure};

/// How long a `--probe` command may run.
const PROBE_TIMEOUT: Duration = Duration::from_secs(60);
/// Without a probe: an image whose command is still running after this
/// long counts as "stays up".
const STAY_UP: Duration = Duration::from_secs(2);
/// How long a `--probe-http` server has to answer.
const HTTP_START: Duration = Duration::from_secs(30);
/// At most this much of each output (and HTTP body) is kept.
const OUTPUT_LIMIT: usize = 64 * 1024;

/// How the images are exercised.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Probe {
    /// Start the image's command: it must stay up 2 s, or exit as the
    /// original does.
    #[default]
    Start,
    /// `--probe ARGS`: run with these arguments; exit status and output
    /// must match.
    Args(Vec<String>),
    /// `--probe-http PORT[/path]`: start, GET the path on 127.0.0.1:PORT;
    /// status and body must match.
    Http { port: u16, path: String },
}

impl Probe {
    /// Parses `--probe-http` (`8080`, `8080/health`).
    pub fn http(spec: &str) -> Result<Probe, String> {
        let (port, path) = match spec.find('/') {
            Some(i) => (&spec[..i], &spec[i..]),
            None => (spec, "/"),
        };
        let port: u16 =
            port.parse().ok().filter(|&p| p > 0).ok_or_else(|| {
                format!("--probe-http {spec}: expected PORT[/path], PORT 1–65535")
            })?;
        if path.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(format!(
                "--probe-http {spec}: the path cannot contain spaces or control characters"
            ));
        }
        Ok(Probe::Http {
            port,
            path: path.to_string(),
        })
    }

    /// Parses `--probe` (words split as a shell would, without running
    /// one: quotes and backslashes group, nothing is expanded).
    pub fn args(spec: &str) -> Result<Probe, String> {
        let words = split_words(spec).map_err(|m| format!("--probe {spec}: {m}"))?;
        if words.is_empty() {
            return Err("--probe: no arguments given".into());
        }
        Ok(Probe::Args(words))
    }

    pub fn name(&self) -> &'static str {
        match self {
            Probe::Start => "start",
            Probe::Args(_) => "args",
            Probe::Http { .. } => "http",
        }
    }
}

/// Splits `s` into words: blanks separate, `'…'` and `"…"` quote, `\`
/// escapes the next character (inside double quotes only `\"`, `\\`).
pub fn split_words(s: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => cur.push(c),
                        None => return Err("unterminated single quote".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\')) => cur.push(c),
                            Some(c) => {
                                cur.push('\\');
                                cur.push(c);
                            }
                            None => return Err("unterminated double quote".into()),
                        },
                        Some(c) => cur.push(c),
                        None => return Err("unterminated double quote".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some(c) => cur.push(c),
                    None => return Err("a trailing backslash".into()),
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

/// An image's ENTRYPOINT and CMD.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageCommand {
    pub entrypoint: Vec<String>,
    pub cmd: Vec<String>,
}

impl ImageCommand {
    /// From `buildah inspect --type image` (the OCI config, else Docker's).
    pub fn from_inspect(json: &str) -> Option<ImageCommand> {
        let v: Value = serde_json::from_str(json).ok()?;
        let strings = |c: &Value, k: &str| -> Vec<String> {
            c.get(k)
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let configs = [
            v.get("OCIv1").and_then(|o| o.get("config")),
            v.get("Docker").and_then(|o| o.get("config")),
        ];
        let c = configs.into_iter().flatten().next()?;
        Some(ImageCommand {
            entrypoint: strings(c, "Entrypoint"),
            cmd: strings(c, "Cmd"),
        })
    }

    /// The command `docker run IMAGE` runs (empty: none).
    pub fn start(&self) -> Vec<String> {
        self.entrypoint.iter().chain(&self.cmd).cloned().collect()
    }

    /// The command with the probe's arguments: appended to the ENTRYPOINT;
    /// with none, they replace CMD's arguments (a shell-form CMD gets them
    /// as `"$@"`); with neither, they are the command.
    pub fn with_args(&self, args: &[String]) -> Vec<String> {
        if !self.entrypoint.is_empty() {
            return self.entrypoint.iter().chain(args).cloned().collect();
        }
        match self.cmd.as_slice() {
            [] => args.to_vec(),
            [sh, c, script] if c == "-c" && sh.ends_with("sh") => {
                let mut v = vec![
                    sh.clone(),
                    c.clone(),
                    format!("{script} \"$@\""),
                    sh.clone(),
                ];
                v.extend(args.iter().cloned());
                v
            }
            [program, ..] => std::iter::once(program).chain(args).cloned().collect(),
        }
    }
}

/// What running one image gave.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Outcome {
    /// The command finished.
    Exited {
        status: i32,
        stdout: String,
        stderr: String,
    },
    /// Still running when it was stopped (the image stays up).
    Running { seconds: f64 },
    /// The server answered.
    Http { status: u16, body: String },
    /// The image has no command to run.
    NoCommand,
    /// It could not be run, did not answer or did not finish in time.
    Failed { message: String },
}

impl Outcome {
    /// Whether two outcomes are the same behaviour.
    pub fn same(&self, other: &Outcome) -> bool {
        match (self, other) {
            (Outcome::Running { .. }, Outcome::Running { .. }) => true,
            (a, b) => a == b,
        }
    }

    /// One line for the text report.
    pub fn summary(&self) -> String {
        let first = |s: &str| {
            let l = s.lines().next().unwrap_or("").trim_end();
            if l.chars().count() > 60 {
                format!("{}…", l.chars().take(59).collect::<String>())
            } else {
                l.to_string()
            }
        };
        match self {
            Outcome::Exited {
                status,
                stdout,
                stderr,
            } => {
                let out = if !stdout.trim().is_empty() {
                    format!(", stdout {:?}", first(stdout))
                } else if !stderr.trim().is_empty() {
                    format!(", stderr {:?}", first(stderr))
                } else {
                    String::new()
                };
                format!("exit {status}{out}")
            }
            Outcome::Running { seconds } => format!("still running after {seconds:.0} s"),
            Outcome::Http { status, body } => {
                format!("HTTP {status}, {} body bytes {:?}", body.len(), first(body))
            }
            Outcome::NoCommand => "no command (no ENTRYPOINT or CMD)".into(),
            Outcome::Failed { message } => format!("failed: {message}"),
        }
    }
}

/// The probe's part of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProbeReport {
    /// `start`, `args` or `http`.
    pub probe: &'static str,
    /// `--probe-http`: the URL asked for.
    pub url: Option<String>,
    pub before_command: Vec<String>,
    pub after_command: Vec<String>,
    pub before: Outcome,
    pub after: Outcome,
    /// Whether the fixed image behaved as the original.
    pub same: bool,
    /// How many times both images were run: more than once when two
    /// finished probes differed (buildah can lose a quick command's
    /// output), the last pair reported.
    pub runs: usize,
}

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
            super::unique_name("dslim-compare").into(),
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
    fn spawn(&self, c: &Container, argv: &[String], dir: &Path) -> Result<Running, String> {
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
struct Running {
    child: Child,
    out_path: PathBuf,
    err_path: PathBuf,
    started: Instant,
}

impl Running {
    /// The exit status if it has finished.
    fn finished(&mut self) -> Option<i32> {
        match self.child.try_wait() {
            Ok(Some(s)) => Some(exit_code(s)),
            _ => None,
        }
    }

    /// Waits until it finishes or `limit` has passed since the start.
    fn wait_until(&mut self, limit: Duration) -> Option<i32> {
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
    fn stop(&mut self) {
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

    fn exited(&self, status: i32) -> Outcome {
        Outcome::Exited {
            status,
            stdout: read_limited(&self.out_path),
            stderr: read_limited(&self.err_path),
        }
    }
}

fn exit_code(s: std::process::ExitStatus) -> i32 {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = s.signal() {
            return 128 + sig;
        }
    }
    s.code().unwrap_or(-1)
}

fn read_limited(p: &Path) -> String {
    let mut buf = Vec::new();
    if let Ok(f) = File::open(p) {
        let _ = f.take(OUTPUT_LIMIT as u64).read_to_end(&mut buf);
    }
    String::from_utf8_lossy(&buf).into_owned()
}

/// The command a probe runs in an image.
pub fn command_for(probe: &Probe, image: &ImageCommand) -> Vec<String> {
    match probe {
        Probe::Args(a) => image.with_args(a),
        Probe::Start | Probe::Http { .. } => image.start(),
    }
}

/// Runs the probe in a container; `dir` holds the output files.
pub fn run_probe(
    runner: &Runner,
    c: &Container,
    probe: &Probe,
    argv: &[String],
    dir: &Path,
) -> Outcome {
    if argv.is_empty() {
        return Outcome::NoCommand;
    }
    // Another `dslim compare` (a parallel run on the same machine) may
    // probe the same port: one at a time, or one GET could reach the
    // other's server. The lock is released when `_port` is dropped.
    let _port = match probe {
        Probe::Http { port, .. } => match PortLock::take(&std::env::temp_dir(), *port, PORT_WAIT) {
            Ok(l) => Some(l),
            Err(message) => return Outcome::Failed { message },
        },
        _ => None,
    };
    if let Probe::Http { port, .. } = probe {
        if answers(*port) {
            return Outcome::Failed {
                message: format!("something already listens on 127.0.0.1:{port}"),
            };
        }
    }
    let mut r = match runner.spawn(c, argv, dir) {
        Ok(r) => r,
        Err(message) => return Outcome::Failed { message },
    };
    let outcome = match probe {
        Probe::Args(_) => match r.wait_until(PROBE_TIMEOUT) {
            Some(s) => r.exited(s),
            None => Outcome::Failed {
                message: format!("did not finish in {} s", PROBE_TIMEOUT.as_secs()),
            },
        },
        Probe::Start => match r.wait_until(STAY_UP) {
            Some(s) => r.exited(s),
            None => Outcome::Running {
                seconds: STAY_UP.as_secs_f64(),
            },
        },
        Probe::Http { port, path } => http_outcome(&mut r, *port, path),
    };
    r.stop();
    if let Probe::Http { port, .. } = probe {
        // The next image needs the port.
        let deadline = Instant::now() + Duration::from_secs(5);
        while answers(*port) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    outcome
}

/// An exclusive lock on a port for `--probe-http`, shared by every
/// `dslim compare` of the machine: an `flock` on
/// `$TMPDIR/dslim-compare-port-PORT.lock`, released when dropped.
struct PortLock(#[allow(dead_code)] File);

/// How long a probe waits for another compare's probe of the same port.
const PORT_WAIT: Duration = Duration::from_secs(300);

impl PortLock {
    /// The lock of `port` in `dir`, waiting at most `wait` for its holder.
    fn take(dir: &Path, port: u16, wait: Duration) -> Result<PortLock, String> {
        let path = dir.join(format!("dslim-compare-port-{port}.lock"));
        let mut o = std::fs::OpenOptions::new();
        o.read(true).write(true).create(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            o.custom_flags(libc::O_NOFOLLOW).mode(0o666);
        }
        let f = o
            .open(&path)
            .map_err(|e| format!("cannot open the port lock {}: {e}", path.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::io::AsRawFd;
            let deadline = Instant::now() + wait;
            // SAFETY: flock on a file descriptor this function owns.
            while unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
                if Instant::now() >= deadline {
                    return Err(format!(
                        "another dslim compare has probed 127.0.0.1:{port} for {} s ({})",
                        wait.as_secs(),
                        path.display()
                    ));
                }
                std::thread::sleep(Duration::from_millis(200));
            }
        }
        Ok(PortLock(f))
    }
}

fn addr(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}

/// Whether something accepts connections on 127.0.0.1:`port`.
fn answers(port: u16) -> bool {
    TcpStream::connect_timeout(&addr(port), Duration::from_millis(300)).is_ok()
}

/// Waits for the server, then asks it once.
fn http_outcome(r: &mut Running, port: u16, path: &str) -> Outcome {
    let mut last_error = String::from("no answer");
    loop {
        if let Some(s) = r.finished() {
            return r.exited(s);
        }
        if r.started.elapsed() >= HTTP_START {
            return Outcome::Failed {
                message: format!(
                    "no HTTP answer on 127.0.0.1:{port} within {} s ({last_error})",
                    HTTP_START.as_secs()
                ),
            };
        }
        match http_get(port, path) {
            Ok((status, body)) => return Outcome::Http { status, body },
            Err(e) => last_error = e,
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// `GET path` over HTTP/1.0 on 127.0.0.1:`port`: status and body.
pub fn http_get(port: u16, path: &str) -> Result<(u16, String), String> {
    let io = |e: std::io::Error| e.to_string();
    let mut s = TcpStream::connect_timeout(&addr(port), Duration::from_millis(500)).map_err(io)?;
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(io)?;
    s.set_write_timeout(Some(Duration::from_secs(10)))
        .map_err(io)?;
    write!(
        s,
        "GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: dslim-compare\r\n\
         Accept: */*\r\nConnection: close\r\n\r\n"
    )
    .map_err(io)?;
    let mut buf = Vec::new();
    s.take(OUTPUT_LIMIT as u64 + 16 * 1024)
        .read_to_end(&mut buf)
        .map_err(io)?;
    parse_response(&buf)
}

/// Status and body of an HTTP response (headers dropped: they hold dates).
pub fn parse_response(buf: &[u8]) -> Result<(u16, String), String> {
    let end = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, i + 4))
        .or_else(|| {
            buf.windows(2)
                .position(|w| w == b"\n\n")
                .map(|i| (i, i + 2))
        })
        .ok_or("not an HTTP response (no end of headers)")?;
    let head = String::from_utf8_lossy(&buf[..end.0]);
    let status_line = head.lines().next().unwrap_or("");
    let mut parts = status_line.split_whitespace();
    let proto = parts.next().unwrap_or("");
    let status = parts
        .next()
        .and_then(|s| s.parse::<u16>().ok())
        .filter(|_| proto.starts_with("HTTP/"))
        .ok_or_else(|| format!("not an HTTP status line: {status_line:?}"))?;
    let body = &buf[end.1..];
    let body = &body[..body.len().min(OUTPUT_LIMIT)];
    Ok((status, String::from_utf8_lossy(body).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(unix)]
    fn one_http_probe_per_port_at_a_time() {
        let d = tempfile::tempdir().unwrap();
        let first = PortLock::take(d.path(), 8080, Duration::ZERO).unwrap();
        // Another compare (here: another open of the same lock file).
        let busy = PortLock::take(d.path(), 8080, Duration::ZERO);
        assert!(
            busy.as_ref()
                .is_err_and(|m| m.contains("another dslim compare") && m.contains(":8080")),
            "{:?}",
            busy.err()
        );
        // Another port is free; the first port is once its lock is dropped.
        assert!(PortLock::take(d.path(), 8081, Duration::ZERO).is_ok());
        drop(first);
        assert!(PortLock::take(d.path(), 8080, Duration::ZERO).is_ok());
    }

    #[test]
    fn words() {
        assert_eq!(split_words("--version").unwrap(), ["--version"]);
        assert_eq!(
            split_words(r#"  -c 'print(1)'  "a \"b\"" c\ d "" "#).unwrap(),
            ["-c", "print(1)", "a \"b\"", "c d", ""]
        );
        assert!(split_words("'open").is_err());
        assert!(split_words("x\\").is_err());
        assert!(Probe::args("  ").is_err());
    }

    #[test]
    fn http_specs() {
        assert_eq!(
            Probe::http("8080").unwrap(),
            Probe::Http {
                port: 8080,
                path: "/".into()
            }
        );
        assert_eq!(
            Probe::http("80/health?x=1").unwrap(),
            Probe::Http {
                port: 80,
                path: "/health?x=1".into()
            }
        );
        for bad in ["", "0", "70000", "x/y", "80/a b"] {
            assert!(Probe::http(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn probe_commands() {
        let ep = ImageCommand {
            entrypoint: vec!["/app".into()],
            cmd: vec!["serve".into()],
        };
        let v = vec!["--version".to_string()];
        assert_eq!(ep.with_args(&v), ["/app", "--version"]);
        assert_eq!(ep.start(), ["/app", "serve"]);
        let cmd = ImageCommand {
            entrypoint: vec![],
            cmd: vec!["/app".into(), "serve".into()],
        };
        assert_eq!(cmd.with_args(&v), ["/app", "--version"]);
        let sh = ImageCommand {
            entrypoint: vec![],
            cmd: vec!["/bin/sh".into(), "-c".into(), "exec /app".into()],
        };
        assert_eq!(
            sh.with_args(&v),
            ["/bin/sh", "-c", "exec /app \"$@\"", "/bin/sh", "--version"]
        );
        let none = ImageCommand::default();
        assert_eq!(none.with_args(&v), ["--version"]);
        assert!(none.start().is_empty());
    }

    #[test]
    fn image_command_from_inspect() {
        let j = r#"{"OCIv1":{"config":{"Entrypoint":["/a"],"Cmd":["b"]}},"Docker":{"config":{"Cmd":["x"]}}}"#;
        let c = ImageCommand::from_inspect(j).unwrap();
        assert_eq!((c.entrypoint, c.cmd), (vec!["/a".into()], vec!["b".into()]));
        let j = r#"{"OCIv1":{"config":{}}}"#;
        assert_eq!(
            ImageCommand::from_inspect(j).unwrap(),
            ImageCommand::default()
        );
    }

    #[test]
    fn outcomes() {
        let run = |s| Outcome::Running { seconds: s };
        assert!(run(2.0).same(&run(2.5)));
        let ex = |st, out: &str| Outcome::Exited {
            status: st,
            stdout: out.into(),
            stderr: String::new(),
        };
        assert!(ex(0, "v1\n").same(&ex(0, "v1\n")));
        assert!(!ex(0, "v1\n").same(&ex(0, "v2\n")));
        assert!(!ex(0, "").same(&ex(127, "")));
        assert!(!ex(0, "").same(&run(2.0)));
        assert_eq!(
            ex(0, "go1.24 linux\n").summary(),
            "exit 0, stdout \"go1.24 linux\""
        );
    }

    #[test]
    fn responses() {
        let (s, b) = parse_response(b"HTTP/1.1 200 OK\r\nDate: x\r\n\r\nhello").unwrap();
        assert_eq!((s, b.as_str()), (200, "hello"));
        assert_eq!(
            parse_response(b"HTTP/1.0 404 Not Found\n\n").unwrap().0,
            404
        );
        assert!(parse_response(b"garbage").is_err());
        assert!(parse_response(b"SSH-2.0 x\r\n\r\n").is_err());
    }

    #[test]
    fn http_get_reads_a_local_server() {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        let t = std::thread::spawn(move || {
            let (mut c, _) = l.accept().unwrap();
            // The whole request, so closing does not reset the connection.
            let mut req = Vec::new();
            let mut byte = [0u8; 1];
            while !req.ends_with(b"\r\n\r\n") && c.read(&mut byte).unwrap() == 1 {
                req.push(byte[0]);
            }
            c.write_all(b"HTTP/1.0 201 Created\r\nX: y\r\n\r\nbody!")
                .unwrap();
            c.shutdown(std::net::Shutdown::Write).unwrap();
            String::from_utf8_lossy(&req).into_owned()
        });
        assert_eq!(http_get(port, "/h?q").unwrap(), (201, "body!".to_string()));
        assert!(t.join().unwrap().starts_with("GET /h?q HTTP/1.0\r\n"));
    }
}
