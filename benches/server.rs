//! `dslim server`: diagnostics for a 300-line Dockerfile after a
//! one-character change, through the server's handlers (no pipes): the
//! `didChange` notification, the check and the `publishDiagnostics`
//! message. Issue 10's budget: 5 ms.

use criterion::{criterion_group, criterion_main, Criterion};
use dslim::server::Server;
use lsp_server::{Message, Notification};
use serde_json::json;

/// 300 lines: three stages of apt, pip and npm RUNs, COPYs and ENVs.
fn dockerfile() -> String {
    let mut s = String::from("# syntax=docker/dockerfile:1\n");
    for stage in 0..3 {
        s.push_str(&format!("FROM debian:bookworm AS s{stage}\n"));
        for i in 0..16 {
            s.push_str(&format!(
                "# step {i}\nRUN apt-get update && \\\n    apt-get install -y pkg{i} other{i}\nRUN pip install flask{i}\nCOPY f{i} /app/f{i}\nENV A{i}=1\n"
            ));
        }
        s.push_str("WORKDIR /app\nCMD python3 app.py\n");
    }
    while s.lines().count() < 300 {
        s.push_str("LABEL x=y\n");
    }
    s
}

fn notification(method: &str, params: serde_json::Value) -> Message {
    Notification::new(method.into(), params).into()
}

fn bench(c: &mut Criterion) {
    let params = serde_json::from_value(json!({"capabilities": {}})).unwrap();
    let (mut server, _) = Server::new(params);
    let uri = "file:///nonexistent/Dockerfile";
    let text = dockerfile();
    assert_eq!(text.lines().count(), 300);
    server.handle(notification(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}}),
    ));
    server.publish_changed();
    let first = server.take_output();
    assert!(first[0].clone().to_string_lossy().contains("DS001"));
    let mut version = 1;
    c.bench_function("server/diagnostics after a 1-char change (300 lines)", |b| {
        b.iter(|| {
            version += 1;
            // Toggle one character of `pkg0` on line 4.
            let ch = if version % 2 == 0 { "q" } else { "p" };
            server.handle(notification(
                "textDocument/didChange",
                json!({
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [{
                        "range": {"start": {"line": 4, "character": 20}, "end": {"line": 4, "character": 21}},
                        "text": ch
                    }]
                }),
            ));
            server.publish_changed();
            server.take_output()
        })
    });
}

trait Lossy {
    fn to_string_lossy(self) -> String;
}

impl Lossy for Message {
    fn to_string_lossy(self) -> String {
        let mut v = Vec::new();
        self.write(&mut v).unwrap();
        String::from_utf8(v).unwrap()
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
