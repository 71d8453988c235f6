//! `dslim server`: a Language Server Protocol server over stdio.
//!
//! Built on rust-analyzer's synchronous crates: `lsp-types` for the
//! protocol's types and `lsp-server` for its messages; no async runtime.
//! The transport here is our own small reader and writer over those
//! messages, so a malformed frame or payload is answered with a JSON-RPC
//! error instead of ending the connection.
//!
//! [`Server`] is the state and the handlers, free of I/O: it takes one
//! message at a time and queues what to send (the benchmark and the tests
//! drive it directly). [`run`] is the loop: it reads every message waiting,
//! answers cancelled requests with `RequestCancelled`, handles the rest in
//! order, then publishes diagnostics once for every document that changed,
//! so a burst of keystrokes is checked once.

mod handlers;
mod settings;
pub mod text;

use std::collections::HashSet;
use std::io::{self, BufRead, Write};
use std::sync::mpsc;

use lsp_server::{ErrorCode, Message, RequestId, Response};

pub use handlers::Server;

/// What the reader thread hands the loop.
enum Incoming {
    Message(Message),
    /// A payload that is not JSON-RPC: answered with this error (to the
    /// request id when one could be read).
    Malformed {
        id: Option<RequestId>,
        code: ErrorCode,
        message: String,
    },
    /// Stdin closed (or its framing is lost).
    End,
}

/// Runs the server on stdin/stdout until `exit` or the end of stdin.
/// Returns the process exit code: 0 after `shutdown`, 1 otherwise (as LSP
/// asks of `exit` without `shutdown`).
pub fn run(config: crate::resolver::ConfigSource) -> u8 {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("dslim-lsp-reader".into())
        .spawn(move || read_loop(io::stdin().lock(), tx))
        .expect("spawn reader");
    let stdout = io::stdout();
    let mut out = stdout.lock();
    serve(rx, &mut out, config)
}

fn serve(
    rx: mpsc::Receiver<Incoming>,
    out: &mut impl Write,
    config: crate::resolver::ConfigSource,
) -> u8 {
    let mut session = Session {
        server: None,
        shut_down: false,
        config,
    };
    loop {
        let Some(queue) = burst(&rx) else {
            return session.exit_code();
        };
        let cancelled = cancelled_ids(&queue);
        let mut sent: Vec<Message> = Vec::new();
        for m in queue {
            let msg = match m {
                Incoming::End => {
                    flush(out, &mut sent, session.server.as_mut());
                    return session.exit_code();
                }
                Incoming::Malformed { id, code, message } => {
                    match id {
                        Some(id) => sent.push(Response::new_err(id, code as i32, message).into()),
                        None => write_raw_error(out, code, &message),
                    }
                    continue;
                }
                Incoming::Message(m) => m,
            };
            if matches!(&msg, Message::Notification(n) if n.method == "exit") {
                flush(out, &mut sent, session.server.as_mut());
                return session.exit_code();
            }
            session.handle(msg, &cancelled, &mut sent);
        }
        flush(out, &mut sent, session.server.as_mut());
    }
}

/// Every message waiting (blocks for the first); `None` when the reader
/// has ended.
fn burst(rx: &mpsc::Receiver<Incoming>) -> Option<Vec<Incoming>> {
    let first = rx.recv().ok()?;
    let mut queue = vec![first];
    while let Ok(m) = rx.try_recv() {
        queue.push(m);
    }
    Some(queue)
}

/// The requests a `$/cancelRequest` in `queue` cancels.
fn cancelled_ids(queue: &[Incoming]) -> HashSet<RequestId> {
    queue
        .iter()
        .filter_map(|m| match m {
            Incoming::Message(Message::Notification(n)) if n.method == "$/cancelRequest" => {
                n.params.get("id").cloned()
            }
            _ => None,
        })
        .filter_map(|v| serde_json::from_value(v).ok())
        .collect()
}

/// The loop's state: the server once initialized, and whether it was
/// shut down.
struct Session {
    server: Option<Server>,
    shut_down: bool,
    config: crate::resolver::ConfigSource,
}

fn error(id: RequestId, code: ErrorCode, message: String) -> Message {
    Response::new_err(id, code as i32, message).into()
}

impl Session {
    /// 0 after `shutdown`, 1 otherwise.
    fn exit_code(&self) -> u8 {
        if self.shut_down {
            0
        } else {
            1
        }
    }

    /// Handles one message (not `exit`), queueing what to send.
    fn handle(&mut self, msg: Message, cancelled: &HashSet<RequestId>, sent: &mut Vec<Message>) {
        match msg {
            Message::Request(r) if cancelled.contains(&r.id) => {
                sent.push(error(r.id, ErrorCode::RequestCanceled, "cancelled".into()))
            }
            Message::Request(r) if self.shut_down => sent.push(error(
                r.id,
                ErrorCode::InvalidRequest,
                "the server is shut down".into(),
            )),
            Message::Request(r) if r.method == "shutdown" => {
                self.shut_down = true;
                sent.push(Response::new_ok(r.id, serde_json::Value::Null).into());
            }
            Message::Request(r) if r.method == "initialize" => sent.push(self.initialize(r)),
            Message::Request(r) if self.server.is_none() => sent.push(error(
                r.id,
                ErrorCode::ServerNotInitialized,
                "initialize first".into(),
            )),
            m => {
                if let Some(s) = self.server.as_mut() {
                    s.handle(m);
                    sent.append(&mut s.take_output());
                }
            }
        }
    }

    /// `initialize`: starts the server (once), and its answer.
    fn initialize(&mut self, r: lsp_server::Request) -> Message {
        if self.server.is_some() {
            return error(
                r.id,
                ErrorCode::InvalidRequest,
                "initialize sent twice".into(),
            );
        }
        // LSP 3.17 spells it `workspace.diagnostics`; lsp-types 0.95 reads
        // `workspace.diagnostic`.
        let refresh = r
            .params
            .pointer("/capabilities/workspace/diagnostics/refreshSupport")
            .and_then(serde_json::Value::as_bool);
        match serde_json::from_value::<lsp_types::InitializeParams>(r.params) {
            Ok(mut params) => {
                if let (Some(b), Some(ws)) = (refresh, params.capabilities.workspace.as_mut()) {
                    ws.diagnostic
                        .get_or_insert_with(Default::default)
                        .refresh_support = Some(b);
                }
                let (s, result) = Server::with_config(params, self.config.clone());
                self.server = Some(s);
                Response::new_ok(r.id, result).into()
            }
            Err(e) => error(
                r.id,
                ErrorCode::InvalidParams,
                format!("invalid initialize params: {e}"),
            ),
        }
    }
}

/// Writes what is queued, then the diagnostics of changed documents.
fn flush(out: &mut impl Write, sent: &mut Vec<Message>, server: Option<&mut Server>) {
    // A closed stdout: nobody is listening; the reader ends the loop.
    for m in sent.drain(..) {
        let _ = m.write(out);
    }
    if let Some(s) = server {
        while s.publish_one() {
            for m in s.take_output() {
                let _ = m.write(out);
            }
        }
    }
}

/// A JSON-RPC error whose id is `null` (the request's could not be read).
fn write_raw_error(out: &mut impl Write, code: ErrorCode, message: &str) {
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": null,
        "error": {"code": code as i32, "message": message},
    })
    .to_string();
    let _ = write!(out, "Content-Length: {}\r\n\r\n{body}", body.len());
    let _ = out.flush();
}

/// Reads frames until stdin ends, `exit` is read, or the framing is lost.
fn read_loop(mut input: impl BufRead, tx: mpsc::Sender<Incoming>) {
    loop {
        let item = match read_frame(&mut input) {
            Ok(None) => Incoming::End,
            Err(e) => {
                eprintln!("dslim server: {e}; stopping");
                Incoming::End
            }
            Ok(Some(bytes)) => decode(bytes),
        };
        let end = match &item {
            Incoming::End => true,
            Incoming::Message(Message::Notification(n)) => n.method == "exit",
            _ => false,
        };
        if tx.send(item).is_err() || end {
            return;
        }
    }
}

/// One payload: a message, or the error to answer it with.
fn decode(bytes: Vec<u8>) -> Incoming {
    let malformed = |id, code, message: String| Incoming::Malformed { id, code, message };
    let value: serde_json::Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(e) => return malformed(None, ErrorCode::ParseError, format!("invalid JSON: {e}")),
    };
    let id = value
        .get("id")
        .and_then(|v| serde_json::from_value::<RequestId>(v.clone()).ok());
    // By shape, not by trying each kind: `{"id":1,"method":5}` is a bad
    // request, not a response.
    let parsed = match (value.get("method"), value.get("id")) {
        (Some(_), Some(_)) => serde_json::from_value(value).map(Message::Request),
        (Some(_), None) => serde_json::from_value(value).map(Message::Notification),
        (None, _) => serde_json::from_value(value).map(Message::Response),
    };
    match parsed {
        Ok(m) => Incoming::Message(m),
        Err(e) => malformed(
            id,
            ErrorCode::InvalidRequest,
            format!("not a JSON-RPC message: {e}"),
        ),
    }
}

/// Frames larger than this are refused (and the connection ends).
const MAX_FRAME: usize = 64 << 20;

/// `Content-Length: N\r\n…\r\n\r\n` then N bytes. `Ok(None)` at a clean end.
fn read_frame(input: &mut impl BufRead) -> io::Result<Option<Vec<u8>>> {
    let mut size = None;
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return if size.is_none() {
                Ok(None)
            } else {
                Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "stdin closed inside a header",
                ))
            };
        }
        let l = line.trim_end_matches(['\r', '\n']);
        if l.is_empty() {
            if size.is_none() {
                // Blank lines between frames are tolerated.
                continue;
            }
            break;
        }
        let bad = || {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("malformed header {l:?}"),
            )
        };
        let (name, value) = l.split_once(':').ok_or_else(bad)?;
        if name.trim().eq_ignore_ascii_case("content-length") {
            let n: usize = value.trim().parse().map_err(|_| bad())?;
            if n > MAX_FRAME {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("frame of {n} bytes is too large"),
                ));
            }
            size = Some(n);
        }
    }
    let mut buf = vec![0; size.unwrap_or(0)];
    input.read_exact(&mut buf)?;
    Ok(Some(buf))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn frames_and_bad_payloads() {
        let input = format!(
            "{}{}{}",
            frame(r#"{"jsonrpc":"2.0","id":1,"method":"x"}"#),
            frame("{not json"),
            frame(r#"{"jsonrpc":"2.0","id":7,"method":3}"#),
        );
        let (tx, rx) = mpsc::channel();
        read_loop(io::Cursor::new(input.into_bytes()), tx);
        let got: Vec<Incoming> = rx.into_iter().collect();
        assert!(matches!(&got[0], Incoming::Message(Message::Request(r)) if r.method == "x"));
        assert!(matches!(
            &got[1],
            Incoming::Malformed {
                id: None,
                code: ErrorCode::ParseError,
                ..
            }
        ));
        assert!(matches!(
            &got[2],
            Incoming::Malformed { id: Some(id), code: ErrorCode::InvalidRequest, .. }
                if *id == RequestId::from(7)
        ));
        assert!(matches!(got[3], Incoming::End));
        assert_eq!(got.len(), 4);
    }

    #[test]
    fn lost_framing_ends_the_connection() {
        let (tx, rx) = mpsc::channel();
        read_loop(io::Cursor::new(b"hello\r\n\r\n".to_vec()), tx);
        let got: Vec<Incoming> = rx.into_iter().collect();
        assert!(matches!(got.as_slice(), [Incoming::End]));
    }

    #[test]
    fn cancelled_requests_are_answered_as_cancelled() {
        use lsp_server::{Notification, Request};
        let (tx, rx) = mpsc::channel();
        let send = |m: Message| tx.send(Incoming::Message(m)).unwrap();
        send(
            Request::new(
                1.into(),
                "initialize".into(),
                serde_json::json!({"capabilities": {}}),
            )
            .into(),
        );
        // A request and its cancellation, waiting together.
        let hover = serde_json::json!({
            "textDocument": {"uri": "file:///x/Dockerfile"},
            "position": {"line": 0, "character": 0}
        });
        send(Request::new(2.into(), "textDocument/hover".into(), hover.clone()).into());
        send(Notification::new("$/cancelRequest".into(), serde_json::json!({"id": 2})).into());
        send(Request::new(3.into(), "textDocument/hover".into(), hover).into());
        tx.send(Incoming::End).unwrap();
        let mut out = Vec::new();
        let code = serve(rx, &mut out, crate::resolver::ConfigSource::Defaults);
        assert_eq!(code, 1, "no shutdown");
        let mut r = io::Cursor::new(out);
        let mut answers = Vec::new();
        while let Some(b) = read_frame(&mut r).unwrap() {
            let v: serde_json::Value = serde_json::from_slice(&b).unwrap();
            answers.push((v["id"].clone(), v["error"]["code"].clone()));
        }
        assert_eq!(
            answers,
            [
                (serde_json::json!(1), serde_json::Value::Null),
                (serde_json::json!(2), serde_json::json!(-32800)),
                (serde_json::json!(3), serde_json::Value::Null),
            ]
        );
    }
}
