//! `--probe-http`: the port lock, waiting for the server and one `GET`.

use super::*;

/// An exclusive lock on a port for `--probe-http`, shared by every
/// `dslim compare` of the machine: an `flock` on
/// `$TMPDIR/dslim-compare-port-PORT.lock`, released when dropped.
pub(super) struct PortLock(#[allow(dead_code)] File);

/// How long a probe waits for another compare's probe of the same port.
pub(super) const PORT_WAIT: Duration = Duration::from_secs(300);

impl PortLock {
    /// The lock of `port` in `dir`, waiting at most `wait` for its holder.
    pub(super) fn take(dir: &Path, port: u16, wait: Duration) -> Result<PortLock, String> {
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

pub(super) fn addr(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}

/// Whether something accepts connections on 127.0.0.1:`port`.
pub(super) fn answers(port: u16) -> bool {
    TcpStream::connect_timeout(&addr(port), Duration::from_millis(300)).is_ok()
}

/// Waits for the server, then asks it once.
pub(super) fn http_outcome(r: &mut Running, port: u16, path: &str) -> Outcome {
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
