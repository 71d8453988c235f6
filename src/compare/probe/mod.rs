//! Running the built images: the behaviour half of `dslim compare`.
//!
//! Both images are started the same way with buildah — `buildah from`
//! makes a working container, `buildah run --isolation chroot` runs the
//! command in it (with the image's user, working folder and environment),
//! `buildah mount` gives its files for the diff, `buildah rm` removes it.
//! Every command is an argument vector, never a shell. Chroot isolation
//! shares the host's network, so a server started for `--probe-http` is
//! reached on 127.0.0.1; the two images run one after the other.

mod http;
mod runner;
#[cfg(test)]
mod tests;

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
use http::*;
use runner::*;
pub use runner::{Container, Runner};

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
