//! A small LSP client for the tests: runs `dslim server`, frames JSON-RPC
//! messages, keeps notifications until asked, and applies edits the way an
//! editor does (UTF-16 columns).

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{json, Value};

/// How long to wait for one message before deciding the server hangs (a
/// guard against a stuck test, not a measurement).
const PATIENCE: Duration = Duration::from_secs(60);

pub struct Client {
    pub child: Child,
    stdin: Option<ChildStdin>,
    rx: mpsc::Receiver<Value>,
    next: i64,
    /// Notifications and server requests read while waiting for a response.
    pub stash: Vec<Value>,
}

pub fn file_uri(p: &Path) -> String {
    format!("file://{}", p.display())
}

/// Client capabilities of a plain editor: push diagnostics, edits in
/// code actions, file creation in workspace edits.
pub fn default_caps() -> Value {
    json!({
        "workspace": {
            "workspaceEdit": {"documentChanges": true, "resourceOperations": ["create"]},
            "didChangeWatchedFiles": {"dynamicRegistration": true}
        },
        "textDocument": {"codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": []}}}}
    })
}

impl Client {
    /// `dslim server` in `dir`, initialized with `caps` and `dir` as the
    /// workspace folder.
    pub fn start(dir: &Path, caps: Value) -> Client {
        Client::start_with(dir, caps, Value::Null)
    }

    pub fn start_with(dir: &Path, caps: Value, init_options: Value) -> Client {
        Client::start_env(dir, caps, init_options, &[])
    }

    /// [`Client::start_with`] with these environment variables set.
    pub fn start_env(dir: &Path, caps: Value, init_options: Value, env: &[(&str, &str)]) -> Client {
        let mut c = Client::spawn_env(dir, env);
        let r = c.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": file_uri(dir),
                "workspaceFolders": [{"uri": file_uri(dir), "name": "w"}],
                "capabilities": caps,
                "initializationOptions": init_options,
            }),
        );
        assert!(r.get("result").is_some(), "{r}");
        c.notify("initialized", json!({}));
        c
    }

    /// The server process, not yet initialized.
    pub fn spawn(dir: &Path) -> Client {
        Client::spawn_env(dir, &[])
    }

    /// [`Client::spawn`] with these environment variables (and no other
    /// `DSLIM_*`).
    pub fn spawn_env(dir: &Path, env: &[(&str, &str)]) -> Client {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_dslim"));
        for (k, _) in std::env::vars() {
            if k.starts_with("DSLIM_") {
                cmd.env_remove(k);
            }
        }
        cmd.envs(env.iter().copied());
        let mut child = cmd
            .arg("server")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("run dslim server");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(v) = read_frame(&mut r) {
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        Client {
            stdin: child.stdin.take(),
            child,
            rx,
            next: 1,
            stash: Vec::new(),
        }
    }

    pub fn send_raw(&mut self, body: &[u8]) {
        let s = self.stdin.as_mut().expect("stdin open");
        write!(s, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        s.write_all(body).unwrap();
        s.flush().unwrap();
    }

    pub fn send(&mut self, v: &Value) {
        self.send_raw(v.to_string().as_bytes());
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// An id for a request sent with [`Client::send`].
    pub fn next_id(&mut self) -> i64 {
        self.next += 1;
        self.next - 1
    }

    /// Sends a request and returns its whole response message.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next;
        self.next += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.response(&json!(id))
    }

    /// The result of a request that must succeed.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        let r = self.request(method, params);
        assert!(r.get("error").is_none(), "{method}: {r}");
        r["result"].clone()
    }

    pub fn response(&mut self, id: &Value) -> Value {
        let is_it = |m: &Value| m.get("id") == Some(id) && m.get("method").is_none();
        if let Some(i) = self.stash.iter().position(is_it) {
            return self.stash.remove(i);
        }
        loop {
            let m = self.recv();
            if m.get("id") == Some(id) && m.get("method").is_none() {
                return m;
            }
            self.stash.push(m);
        }
    }

    pub fn recv(&mut self) -> Value {
        self.rx
            .recv_timeout(PATIENCE)
            .expect("the server answered nothing (hung or died)")
    }

    /// The next notification of `method` matching `pred` (earlier ones
    /// are dropped).
    pub fn notification(&mut self, method: &str, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self
            .stash
            .iter()
            .position(|m| m["method"] == method && pred(&m["params"]))
        {
            let m = self.stash.remove(i);
            self.stash.drain(..i);
            return m["params"].clone();
        }
        self.stash.clear();
        loop {
            let m = self.recv();
            if m["method"] == method && pred(&m["params"]) {
                return m["params"].clone();
            }
        }
    }

    /// The next request the server sends with `method` (other messages
    /// before it are kept in the stash).
    pub fn server_request(&mut self, method: &str) -> Value {
        if let Some(i) = self
            .stash
            .iter()
            .position(|m| m["method"] == method && m.get("id").is_some())
        {
            return self.stash.remove(i);
        }
        loop {
            let m = self.recv();
            if m["method"] == method && m.get("id").is_some() {
                return m;
            }
            self.stash.push(m);
        }
    }

    /// Answers a request of the server.
    pub fn reply(&mut self, id: &Value, result: Value) {
        self.send(&json!({"jsonrpc": "2.0", "id": id, "result": result}));
    }

    /// Diagnostics published for `uri` at `version`.
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let p = self.notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri && p["version"] == version
        });
        p["diagnostics"].as_array().unwrap().clone()
    }

    pub fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}}),
        );
    }

    /// Closes stdin and waits for the exit code.
    pub fn finish(mut self) -> Option<i32> {
        drop(self.stdin.take());
        self.wait()
    }

    pub fn wait(&mut self) -> Option<i32> {
        for _ in 0..600 {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s.code();
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        panic!("the server did not exit");
    }

    pub fn close_stdin(&mut self) {
        drop(self.stdin.take());
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_frame(r: &mut impl BufRead) -> Option<Value> {
    let mut size = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some(v) = l.strip_prefix("Content-Length:") {
            size = Some(v.trim().parse::<usize>().ok()?);
        }
    }
    let mut buf = vec![0; size?];
    r.read_exact(&mut buf).ok()?;
    Some(serde_json::from_slice(&buf).expect("server sent invalid JSON"))
}

/// Byte offset of an LSP position with UTF-16 columns (lines end at `\n`).
pub fn offset(text: &str, pos: &Value) -> usize {
    let line = pos["line"].as_u64().unwrap() as usize;
    let ch = pos["character"].as_u64().unwrap() as usize;
    let mut start = 0;
    for _ in 0..line {
        start += text[start..].find('\n').expect("line exists") + 1;
    }
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= ch || c == '\n' {
            return start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// Applies LSP text edits (UTF-16 positions) to `text`.
pub fn apply(text: &str, edits: &[Value]) -> String {
    let mut e: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(text, &e["range"]["start"]),
                offset(text, &e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    e.sort_by_key(|(s, en, _)| (*s, *en));
    let mut out = String::new();
    let mut pos = 0;
    for (s, en, t) in e {
        assert!(s >= pos, "overlapping edits");
        out.push_str(&text[pos..s]);
        out.push_str(&t);
        pos = en;
    }
    out.push_str(&text[pos..]);
    out
}

/// The text edits of a workspace edit for `uri` (`changes` or
/// `documentChanges`).
pub fn edits_for(edit: &Value, uri: &str) -> Vec<Value> {
    if let Some(v) = edit["changes"][uri].as_array() {
        return v.clone();
    }
    edit["documentChanges"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["textDocument"]["uri"] == uri)
        .flat_map(|c| c["edits"].as_array().unwrap().clone())
        .collect()
}
