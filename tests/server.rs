//! `dslim server` over real pipes: JSON-RPC in, JSON-RPC out, every
//! position and edit checked against what the CLI does to the same bytes.

mod common;
#[path = "common/lsp.rs"]
#[allow(dead_code)]
mod lsp;

use std::path::Path;

use common::{dslim, write};
use lsp::{apply, default_caps, edits_for, file_uri, Client};
use serde_json::{json, Value};

/// `dslim <args> -` on `text` (stdin), as the editor's filter would.
fn cli(dir: &Path, args: &[&str], text: &str) -> String {
    let out = dslim()
        .current_dir(dir)
        .args(args)
        .arg("-")
        .write_stdin(text.as_bytes().to_vec())
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

const MERGE: &str = "FROM debian:bookworm\nRUN apt-get update\nRUN apt-get install -y curl\n";

fn setup(text: &str) -> (tempfile::TempDir, String, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    // A repository root, so no configuration above the folder applies.
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let path = write(dir.path(), "Dockerfile", text);
    let uri = file_uri(&path);
    (dir, uri, path)
}

fn code_actions(c: &mut Client, uri: &str, text: &str, only: Option<&[&str]>) -> Vec<Value> {
    let lines = text.split('\n').count() as u64;
    let mut ctx = json!({"diagnostics": []});
    if let Some(o) = only {
        ctx["only"] = json!(o);
    }
    c.call(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": lines, "character": 0}},
            "context": ctx,
        }),
    )
    .as_array()
    .unwrap()
    .clone()
}

#[test]
fn initialize_announces_what_the_server_does() {
    let (dir, _, _) = setup(MERGE);
    let mut c = Client::spawn(dir.path());
    let r = c.call(
        "initialize",
        json!({"processId": null, "rootUri": file_uri(dir.path()), "capabilities": {}}),
    );
    let caps = &r["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    assert_eq!(caps["textDocumentSync"]["openClose"], true);
    assert_eq!(caps["documentFormattingProvider"], true);
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(caps["diagnosticProvider"]["identifier"], "dslim");
    let kinds = caps["codeActionProvider"]["codeActionKinds"].to_string();
    assert!(kinds.contains("quickfix") && kinds.contains("source.fixAll.dslim"));
    assert_eq!(r["serverInfo"]["name"], "dslim");
    // A second initialize is refused.
    let again = c.request("initialize", json!({"capabilities": {}}));
    assert_eq!(again["error"]["code"], -32600);
    // UTF-8 when the client offers it.
    let mut c8 = Client::spawn(dir.path());
    let r = c8.call(
        "initialize",
        json!({"capabilities": {"general": {"positionEncodings": ["utf-8", "utf-16"]}}}),
    );
    assert_eq!(r["capabilities"]["positionEncoding"], "utf-8");
}

#[test]
fn diagnostics_are_dslim_check_findings() {
    let (dir, uri, _) = setup(MERGE);
    let mut c = Client::start(dir.path(), default_caps());
    c.open(&uri, MERGE);
    let diags = c.diagnostics(&uri, 1);
    // The same findings as `dslim check --format json`, at the same places.
    let out = dslim()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "Dockerfile"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    // (ASCII text: columns in characters are UTF-16 columns.)
    let n = |v: &Value| v.as_u64().unwrap();
    let want: Vec<(String, [u64; 4])> = report
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let p = [&f["line"], &f["column"], &f["end_line"], &f["end_column"]].map(|v| n(v) - 1);
            (f["code"].as_str().unwrap().to_string(), p)
        })
        .collect();
    let got: Vec<(String, [u64; 4])> = diags
        .iter()
        .map(|d| {
            let r = &d["range"];
            let p = [
                &r["start"]["line"],
                &r["start"]["character"],
                &r["end"]["line"],
                &r["end"]["character"],
            ]
            .map(n);
            (d["code"].as_str().unwrap().to_string(), p)
        })
        .collect();
    assert!(!want.is_empty());
    assert_eq!(got, want);
    let ds001 = diags.iter().find(|d| d["code"] == "DS001").unwrap();
    assert_eq!(ds001["source"], "dslim");
    assert_eq!(ds001["severity"], 2, "a safe fix warns");
    // No public URL for the rules: no link unless one is configured.
    assert!(ds001.get("codeDescription").is_none(), "{ds001}");
    // An unsafe fix (DS003, --no-install-recommends) informs.
    let ds003 = diags.iter().find(|d| d["code"] == "DS003").unwrap();
    assert_eq!(ds003["severity"], 3);
}

#[test]
fn parse_error_is_one_diagnostic_at_its_place() {
    let text = "FROM debian\nRUN <<EOF\necho never closed\n";
    let (dir, uri, _) = setup(text);
    let mut c = Client::start(dir.path(), default_caps());
    c.open(&uri, text);
    let diags = c.diagnostics(&uri, 1);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["severity"], 1);
    let out = dslim()
        .current_dir(dir.path())
        .args(["check", "Dockerfile"])
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    // `Dockerfile:L:C: error: message`
    let loc: Vec<&str> = err.trim().splitn(4, ':').collect();
    let line: u64 = loc[1].parse().unwrap();
    let col: u64 = loc[2].parse().unwrap();
    assert_eq!(diags[0]["range"]["start"]["line"], line - 1);
    assert_eq!(diags[0]["range"]["start"]["character"], col - 1);
    assert!(err.contains(diags[0]["message"].as_str().unwrap()), "{err}");
    // Formatting an unparseable buffer is an error, not an edit.
    let r = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": true}}),
    );
    assert_eq!(r["error"]["code"], -32803, "{r}");
}

/// Non-ASCII before a finding on its line, CRLF line endings and a BOM:
/// positions count UTF-16 units, and the fix-all edits give exactly what
/// `dslim fix` gives.
#[test]
fn utf16_crlf_bom_positions_and_fix_all() {
    let text = "\u{feff}FROM debian:bookworm\r\nRUN echo \"héllo 😀\" && apt-get install -y curl\r\nRUN apt-get update\r\n";
    let (dir, uri, _) = setup(text);
    let mut c = Client::start(dir.path(), default_caps());
    c.open(&uri, text);
    let diags = c.diagnostics(&uri, 1);
    let ds003 = diags
        .iter()
        .find(|d| d["code"] == "DS003")
        .unwrap_or_else(|| panic!("{diags:?}"));
    // `dslim check` gives 1-based lines and columns in characters.
    let out = dslim()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "Dockerfile"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = report
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "DS003")
        .unwrap()
        .clone();
    // Findings start at their instruction; the DS003 fix inserts after
    // `apt-get install`, behind the emoji: the quick fix's edit is where
    // the CLI's (in characters) is, counted in UTF-16 units.
    assert_eq!(f["line"], 2);
    assert_eq!(ds003["range"]["start"], json!({"line": 1, "character": 0}));
    let e = &f["fix"]["edits"][0]["start"];
    assert_eq!(e["line"], 2);
    let chars = e["column"].as_u64().unwrap() as usize - 1;
    let line1 = text.split('\n').nth(1).unwrap();
    let prefix: String = line1.chars().take(chars).collect();
    assert!(
        prefix.contains('😀'),
        "the edit is after the emoji: {prefix}"
    );
    let actions = code_actions(&mut c, &uri, text, Some(&["quickfix"]));
    let quick = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("DS003:"))
        .unwrap();
    let edits = edits_for(&quick["edit"], &uri);
    assert_eq!(
        edits[0]["range"]["start"],
        json!({"line": 1, "character": prefix.encode_utf16().count()})
    );
    // An ignore comment for the first instruction goes after the BOM.
    let ignore = actions
        .iter()
        .find(|a| a["title"] == "Ignore DS101 for this instruction")
        .unwrap();
    let ignored = apply(text, &edits_for(&ignore["edit"], &uri));
    assert!(
        ignored.starts_with("\u{feff}# dslim ignore=DS101\r\nFROM"),
        "{ignored:?}"
    );
    for (only, args) in [
        ("source.fixAll.dslim", vec!["fix"]),
        ("source.dslim.fixAllUnsafe", vec!["fix", "--unsafe"]),
    ] {
        let actions = code_actions(&mut c, &uri, text, Some(&[only]));
        assert_eq!(actions.len(), 1, "{actions:?}");
        assert_eq!(actions[0]["kind"], only);
        let edits = edits_for(&actions[0]["edit"], &uri);
        let fixed = apply(text, &edits);
        let want = cli(dir.path(), &args, text);
        assert_ne!(want, text);
        assert_eq!(fixed, want, "{only}");
        assert!(fixed.starts_with('\u{feff}') && fixed.contains("\r\n"));
        // Minimal: the BOM is never rewritten.
        assert!(edits
            .iter()
            .all(|e| e["range"]["start"] != json!({"line": 0, "character": 0})));
    }
}

#[test]
fn quick_fixes_unsafe_labels_and_ignore() {
    let (dir, uri, _) = setup(MERGE);
    let mut c = Client::start(dir.path(), default_caps());
    c.open(&uri, MERGE);
    c.diagnostics(&uri, 1);
    let actions = code_actions(&mut c, &uri, MERGE, Some(&["quickfix"]));
    let by_title = |t: &str| {
        actions
            .iter()
            .find(|a| a["title"].as_str().unwrap().starts_with(t))
            .unwrap_or_else(|| panic!("no {t} in {actions:?}"))
            .clone()
    };
    let merge = by_title("DS001:");
    assert_eq!(merge["kind"], "quickfix");
    assert_eq!(merge["isPreferred"], true);
    assert_eq!(merge["diagnostics"][0]["code"], "DS001");
    let merged = apply(MERGE, &edits_for(&merge["edit"], &uri));
    assert_eq!(
        merged,
        cli(dir.path(), &["fix", "--select", "DS001"], MERGE)
    );
    let recommends = by_title("DS003:");
    assert!(recommends["title"].as_str().unwrap().contains("unsafe"));
    assert_eq!(recommends["isPreferred"], false);
    let ignore = by_title("Ignore DS001");
    let ignored = apply(MERGE, &edits_for(&ignore["edit"], &uri));
    assert!(
        ignored.contains("# dslim ignore=DS001\nRUN apt-get update\n"),
        "{ignored}"
    );
    // Applied, DS001 is gone.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": ignored}]}),
    );
    let diags = c.diagnostics(&uri, 2);
    assert!(diags.iter().all(|d| d["code"] != "DS001"), "{diags:?}");
    assert!(!diags.is_empty());
    // A second code for the same instruction extends its comment.
    let text = "FROM debian:bookworm\r\n  # dslim ignore=DS003\r\n  RUN apt-get update && apt-get install -y curl\r\n";
    let uri2 = file_uri(&dir.path().join("other.Dockerfile"));
    c.open(&uri2, text);
    let actions = code_actions(&mut c, &uri2, text, Some(&["quickfix"]));
    let second = actions
        .iter()
        .find(|a| a["title"] == "Ignore DS002 for this instruction")
        .unwrap_or_else(|| panic!("{actions:?}"));
    let twice = apply(text, &edits_for(&second["edit"], &uri2));
    assert_eq!(
        twice,
        "FROM debian:bookworm\r\n  # dslim ignore=DS003,DS002\r\n  RUN apt-get update && apt-get install -y curl\r\n"
    );
    // A new comment keeps the instruction's indentation and CRLF.
    let slim = actions
        .iter()
        .find(|a| a["title"] == "Ignore DS101 for this instruction")
        .unwrap_or_else(|| panic!("{actions:?}"));
    let above = apply(text, &edits_for(&slim["edit"], &uri2));
    assert!(
        above.starts_with("# dslim ignore=DS101\r\nFROM debian:bookworm\r\n"),
        "{above}"
    );
}

#[test]
fn formatting_is_dslim_fmt_as_small_edits() {
    let text = "from debian:bookworm\nrun  echo one\n\n\n\nRUN echo two\ncmd [\"sh\"]\n";
    let (dir, uri, _) = setup(text);
    let mut c = Client::start(dir.path(), default_caps());
    c.open(&uri, text);
    let edits = c.call(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": true}}),
    );
    let edits = edits.as_array().unwrap();
    let want = cli(dir.path(), &["fmt"], text);
    assert_ne!(want, text);
    assert_eq!(apply(text, edits), want);
    assert!(
        edits.len() > 1,
        "not one whole-document replacement: {edits:?}"
    );
    // Range formatting: only what lies on the lines asked for.
    let ranged = c.call(
        "textDocument/rangeFormatting",
        json!({
            "textDocument": {"uri": uri},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 4}},
            "options": {"tabSize": 4, "insertSpaces": true}
        }),
    );
    let ranged = ranged.as_array().unwrap();
    assert!(!ranged.is_empty());
    assert!(
        ranged.iter().all(|e| e["range"]["end"]["line"] == 0),
        "{ranged:?}"
    );
    assert!(apply(text, ranged).starts_with("FROM debian:bookworm\nrun  echo one\n"));
    // A formatted buffer needs no edit.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": want}]}),
    );
    let none = c.call(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": true}}),
    );
    assert_eq!(none, json!([]));
}

#[test]
fn hover_is_dslim_explain() {
    let text = "FROM debian:bookworm\n# dslim ignore=DS005\nRUN apt-get update\nRUN apt-get install -y curl\n";
    let (dir, uri, _) = setup(text);
    let mut c = Client::start(dir.path(), default_caps());
    c.open(&uri, text);
    let explain = |code: &str| {
        let out = dslim().args(["explain", code]).output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let hover = |c: &mut Client, line: u64, ch: u64| {
        c.call(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": ch}}),
        )
    };
    // On the merge finding (line 3 is the first RUN).
    let h = hover(&mut c, 2, 2);
    assert_eq!(h["contents"]["kind"], "markdown");
    assert!(h["contents"]["value"]
        .as_str()
        .unwrap()
        .contains(explain("DS001").trim()));
    // On a rule code in a comment.
    let h = hover(&mut c, 1, 17);
    assert!(h["contents"]["value"]
        .as_str()
        .unwrap()
        .contains(explain("DS005").trim()));
    assert_eq!(h["range"]["start"], json!({"line": 1, "character": 15}));
    // Nowhere special: nothing.
    assert_eq!(hover(&mut c, 1, 3), Value::Null);
}

/// Incremental changes in UTF-16 ranges, several in one notification, land
/// where the client means: the server's text equals the client's.
#[test]
fn incremental_changes_apply_in_utf16() {
    let text =
        "FROM debian:bookworm\nRUN echo \"😀 é\" && apt-get update\nRUN apt-get install -y curl\n";
    let (dir, uri, _) = setup(text);
    let mut c = Client::start(dir.path(), default_caps());
    c.open(&uri, text);
    c.diagnostics(&uri, 1);
    // Replace `é` (after the emoji: UTF-16 column 12) with `ü!`, then
    // insert a line before line 2, then delete `-y ` on the new line 3.
    let changes = json!([
        {"range": {"start": {"line": 1, "character": 13}, "end": {"line": 1, "character": 14}}, "text": "ü!"},
        {"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 0}}, "text": "ENV A=1\n"},
        {"range": {"start": {"line": 3, "character": 20}, "end": {"line": 3, "character": 23}}, "text": ""}
    ]);
    let mut client_text = text.to_string();
    for ch in changes.as_array().unwrap() {
        client_text = apply(
            &client_text,
            &[json!({"range": ch["range"], "newText": ch["text"]})],
        );
    }
    assert!(client_text.contains("\"😀 ü!\""), "{client_text}");
    assert!(
        client_text.contains("ENV A=1\nRUN apt-get install curl\n"),
        "{client_text}"
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": changes}),
    );
    c.diagnostics(&uri, 2);
    // The server fixes the text the client has.
    let actions = code_actions(&mut c, &uri, &client_text, Some(&["source.fixAll.dslim"]));
    let fixed = apply(&client_text, &edits_for(&actions[0]["edit"], &uri));
    assert_eq!(fixed, cli(dir.path(), &["fix"], &client_text));
}

#[test]
fn pull_diagnostics_and_resolve() {
    let (dir, uri, _) = setup(MERGE);
    let caps = json!({
        "textDocument": {
            "diagnostic": {"dynamicRegistration": false},
            "codeAction": {"resolveSupport": {"properties": ["edit"]}, "dataSupport": true}
        }
    });
    let mut c = Client::start(dir.path(), caps);
    c.open(&uri, MERGE);
    let r = c.call(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(r["kind"], "full");
    assert!(r["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == "DS001"));
    let again = c.call(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}, "previousResultId": r["resultId"]}),
    );
    assert_eq!(again["kind"], "unchanged");
    // Fix-all comes without its edit; resolving computes it.
    let actions = code_actions(&mut c, &uri, MERGE, Some(&["source.fixAll"]));
    assert_eq!(actions.len(), 1);
    assert!(actions[0].get("edit").is_none());
    let resolved = c.call("codeAction/resolve", actions[0].clone());
    let fixed = apply(MERGE, &edits_for(&resolved["edit"], &uri));
    assert_eq!(fixed, cli(dir.path(), &["fix"], MERGE));
    // After a change the old action is stale.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": "FROM scratch\n"}]}),
    );
    let stale = c.request("codeAction/resolve", actions[0].clone());
    assert_eq!(stale["error"]["code"], -32801);
    let none = c.call(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(none["items"], json!([]));
    // Pull clients get no pushed diagnostics.
    assert!(c
        .stash
        .iter()
        .all(|m| m["method"] != "textDocument/publishDiagnostics"));
}

#[test]
fn configuration_is_per_file_and_reread_when_it_changes() {
    let (dir, uri, _) = setup(MERGE);
    let cfg = write(dir.path(), "dslim.toml", "ignore = [\"DS001\"]\n");
    let mut c = Client::start(dir.path(), default_caps());
    // The client is asked to watch configuration files.
    let reg = c.recv();
    assert_eq!(reg["method"], "client/registerCapability", "{reg}");
    assert!(reg["params"].to_string().contains("dslim.toml"));
    c.open(&uri, MERGE);
    let diags = c.diagnostics(&uri, 1);
    assert!(diags.iter().all(|d| d["code"] != "DS001"), "{diags:?}");
    assert!(!diags.is_empty());
    std::fs::write(&cfg, "select = [\"DS001\"]\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&cfg), "type": 2}]}),
    );
    let diags = c.diagnostics(&uri, 1);
    let codes: Vec<&str> = diags.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["DS001"]);
    // A broken configuration is one error naming its place.
    std::fs::write(&cfg, "selct = 1\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&cfg), "type": 2}]}),
    );
    let diags = c.diagnostics(&uri, 1);
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0]["severity"], 1);
    assert!(diags[0]["message"]
        .as_str()
        .unwrap()
        .starts_with("dslim.toml:1:1: error:"));
}

/// DS203 writes `.dockerignore` beside the context: the workspace edit
/// creates it with what `dslim fix --write` would write.
#[test]
fn dockerignore_is_created_through_document_changes() {
    let text = "FROM node:20\nCOPY . .\nRUN npm ci\n";
    let (dir, uri, path) = setup(text);
    write(dir.path(), "package.json", "{}\n");
    write(dir.path(), "package-lock.json", "{}\n");
    write(
        dir.path(),
        "dslim.toml",
        "context = \".\"\nselect = [\"DS203\"]\n",
    );
    let mut c = Client::start(dir.path(), default_caps());
    c.open(&uri, text);
    let diags = c.diagnostics(&uri, 1);
    assert!(diags.iter().any(|d| d["code"] == "DS203"), "{diags:?}");
    let actions = code_actions(&mut c, &uri, text, Some(&["source.dslim.fixAllUnsafe"]));
    let changes = actions[0]["edit"]["documentChanges"].as_array().unwrap();
    let ignore_uri = file_uri(&dir.path().join(".dockerignore"));
    assert_eq!(changes[0]["kind"], "create");
    assert_eq!(changes[0]["uri"], ignore_uri);
    let created = apply("", &edits_for(&actions[0]["edit"], &ignore_uri));
    dslim()
        .current_dir(dir.path())
        .args(["fix", "--unsafe", "--write"])
        .arg(&path)
        .assert()
        .success();
    let written = std::fs::read_to_string(dir.path().join(".dockerignore")).unwrap();
    assert_eq!(created, written);
}

#[test]
fn bad_requests_get_errors_and_the_server_goes_on() {
    let (dir, uri, _) = setup(MERGE);
    let mut c = Client::spawn(dir.path());
    // Before initialize.
    let r = c.request("textDocument/hover", json!({}));
    assert_eq!(r["error"]["code"], -32002);
    c.call("initialize", json!({"capabilities": {}}));
    c.notify("initialized", json!({}));
    // Not JSON at all: a parse error with a null id.
    c.send_raw(b"{this is not json");
    let m = c.recv();
    assert_eq!(m["error"]["code"], -32700, "{m}");
    assert_eq!(m["id"], Value::Null);
    // JSON, not a message (a method that is a number).
    c.send(&json!({"jsonrpc": "2.0", "id": 99, "method": 5}));
    let m = c.response(&json!(99));
    assert_eq!(m["error"]["code"], -32600);
    // Invalid params, unknown method.
    let r = c.request("textDocument/hover", json!({"textDocument": 3}));
    assert_eq!(r["error"]["code"], -32602);
    let r = c.request("textDocument/definitelyNot", json!({}));
    assert_eq!(r["error"]["code"], -32601);
    // A change to a document never opened, positions past the end.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "file:///nope", "version": 2}, "contentChanges": [{"text": "x"}]}),
    );
    c.open(&uri, MERGE);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 99, "character": 99}, "end": {"line": 99, "character": 120}}, "text": "CMD [\"x\"]\n"}
        ]}),
    );
    let diags = c.diagnostics(&uri, 2);
    assert!(diags.iter().any(|d| d["code"] == "DS001"));
    // Still answering.
    let h = c.call(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 0}}),
    );
    assert!(h["contents"]["value"].as_str().unwrap().contains("DS001"));
}

#[test]
fn shutdown_then_exit_is_a_clean_exit() {
    let (dir, _, _) = setup(MERGE);
    let mut c = Client::start(dir.path(), json!({}));
    assert_eq!(c.call("shutdown", Value::Null), Value::Null);
    // Requests after shutdown are refused.
    let r = c.request("textDocument/hover", json!({}));
    assert_eq!(r["error"]["code"], -32600);
    c.notify("exit", Value::Null);
    assert_eq!(c.wait(), Some(0));
}

#[test]
fn exit_without_shutdown_and_closed_stdin_end_the_server() {
    let (dir, _, _) = setup(MERGE);
    let mut c = Client::start(dir.path(), json!({}));
    c.notify("exit", Value::Null);
    assert_eq!(c.wait(), Some(1));
    // The editor died: stdin closes, the server leaves.
    let c = Client::start(dir.path(), json!({}));
    assert_eq!(c.finish(), Some(1));
}

/// 200 open documents fit in 30 MB of resident memory (Linux: read from
/// /proc; elsewhere the check is skipped with a message).
#[test]
fn two_hundred_documents_fit_in_30_mb() {
    let (dir, _, _) = setup(MERGE);
    let mut c = Client::start(dir.path(), default_caps());
    let body: String = (0..15)
        .map(|i| format!("RUN apt-get update && apt-get install -y pkg{i}\nCOPY f{i} /f{i}\n"))
        .collect();
    for i in 0..200 {
        let p = dir.path().join(format!("d{i}/Dockerfile"));
        let text = format!("FROM debian:bookworm\n{body}CMD echo {i}\n");
        c.open(&file_uri(&p), &text);
    }
    let last = file_uri(&dir.path().join("d199/Dockerfile"));
    let d = c.diagnostics(&last, 1);
    assert!(!d.is_empty());
    let status = format!("/proc/{}/status", c.child.id());
    let Ok(s) = std::fs::read_to_string(&status) else {
        eprintln!("skipped: no {status} to read the server's memory from");
        return;
    };
    let kb: u64 = s
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    eprintln!("dslim server with 200 documents: {kb} kB resident");
    assert!(kb <= 30 * 1024, "{kb} kB resident");
}

/// Where `codeDescription` links: the `rulesUrl` setting (initialization
/// options or later settings), else `DSLIM_RULES_URL`, else nowhere.
#[test]
fn rule_links_only_where_configured() {
    let (dir, uri, _) = setup(MERGE);
    let href = |diags: &[Value], code: &str| {
        let d = diags.iter().find(|d| d["code"] == code).unwrap();
        d["codeDescription"]["href"].as_str().map(str::to_string)
    };
    let env = [(
        "DSLIM_RULES_URL",
        "https://docs.example.org/dslim/rules.html",
    )];
    let mut c = Client::start_env(dir.path(), default_caps(), Value::Null, &env);
    c.open(&uri, MERGE);
    let diags = c.diagnostics(&uri, 1);
    assert_eq!(
        href(&diags, "DS001").as_deref(),
        Some("https://docs.example.org/dslim/rules.html#ds001-merge-runs")
    );
    assert_eq!(
        href(&diags, "DS003").as_deref(),
        Some("https://docs.example.org/dslim/rules.html#ds003-apt-no-recommends")
    );
    // The setting wins over the environment.
    let local = file_uri(&Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md"));
    let mut c = Client::start_env(
        dir.path(),
        default_caps(),
        json!({ "rulesUrl": local }),
        &env,
    );
    c.open(&uri, MERGE);
    let diags = c.diagnostics(&uri, 1);
    assert_eq!(
        href(&diags, "DS001"),
        Some(format!("{local}#ds001-merge-runs"))
    );
    // The link points into a file that has that heading.
    let md = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md"))
        .unwrap();
    assert!(md.lines().any(|l| l == "## DS001 merge-runs"));
    // A bad URL is reported, and no link is made.
    let mut c = Client::start_env(
        dir.path(),
        default_caps(),
        Value::Null,
        &[("DSLIM_RULES_URL", "docs/rules.md")],
    );
    let m = c.notification("window/showMessage", |_| true);
    assert!(
        m["message"].as_str().unwrap().contains("DSLIM_RULES_URL"),
        "{m}"
    );
    c.open(&uri, MERGE);
    assert_eq!(href(&c.diagnostics(&uri, 1), "DS001"), None);
}

fn codes(diags: &[Value]) -> Vec<String> {
    let mut v: Vec<String> = diags
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect();
    v.sort();
    v.dedup();
    v
}

fn set_settings(c: &mut Client, settings: Value) {
    c.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": settings }),
    );
}

/// `workspace/didChangeConfiguration` with `{"dslim": {…}}`: `select`,
/// `ignore`, `unsafe`, `configPath` change diagnostics and code actions,
/// and every open document is published again.
#[test]
fn settings_change_diagnostics_and_actions() {
    let (dir, uri, _) = setup(MERGE);
    let other = "FROM debian:bookworm\nRUN pip install flask\n";
    let other_path = write(dir.path(), "sub/Dockerfile", other);
    let other_uri = file_uri(&other_path);
    let mut c = Client::start(dir.path(), default_caps());
    c.open(&uri, MERGE);
    let all = c.diagnostics(&uri, 1);
    assert!(codes(&all).len() >= 3, "{all:?}");
    c.open(&other_uri, other);
    assert!(!c.diagnostics(&other_uri, 1).is_empty());

    set_settings(&mut c, json!({"dslim": {"select": ["DS001"]}}));
    // Both open documents are published again, in any order.
    let mut seen = std::collections::HashMap::new();
    while seen.len() < 2 {
        let m = c.recv();
        if m["method"] == "textDocument/publishDiagnostics" {
            let p = &m["params"];
            seen.insert(
                p["uri"].as_str().unwrap().to_string(),
                p["diagnostics"].clone(),
            );
        }
    }
    assert_eq!(codes(seen[&uri].as_array().unwrap()), ["DS001"]);
    assert_eq!(seen[&other_uri], json!([]));

    // `ignore` and `select` together, as on the command line.
    set_settings(
        &mut c,
        json!({"dslim": {"select": ["DS0"], "ignore": ["DS001"]}}),
    );
    let got = codes(&c.diagnostics(&uri, 1));
    assert!(!got.is_empty() && got.iter().all(|c| c != "DS001" && c.starts_with("DS0")));

    // `unsafe`: fix-all applies unsafe fixes too, as `dslim fix` does with
    // `unsafe = true`, and their findings warn.
    let ds003 = |d: &[Value]| d.iter().find(|d| d["code"] == "DS003").cloned().unwrap();
    assert_eq!(ds003(&all)["severity"], 3);
    let safe = code_actions(&mut c, &uri, MERGE, Some(&["source.fixAll"]));
    set_settings(&mut c, json!({"dslim": {"unsafe": true}}));
    let diags = c.diagnostics(&uri, 1);
    assert_eq!(codes(&diags), codes(&all));
    assert_eq!(ds003(&diags)["severity"], 2);
    let actions = code_actions(&mut c, &uri, MERGE, Some(&["source.fixAll"]));
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert!(actions[0]["title"].as_str().unwrap().contains("unsafe"));
    let fixed = apply(MERGE, &edits_for(&actions[0]["edit"], &uri));
    assert_eq!(fixed, cli(dir.path(), &["fix", "--unsafe"], MERGE));
    assert_ne!(fixed, cli(dir.path(), &["fix"], MERGE));
    // (before: the safe fixes only)
    assert_eq!(
        apply(MERGE, &edits_for(&safe[0]["edit"], &uri)),
        cli(
            dir.path(),
            &["fix", "--select", "DS0", "--ignore", "DS001"],
            MERGE
        )
    );

    // `configPath`: that file for every document, relative to the root.
    write(
        dir.path(),
        "ci/dslim.toml",
        "ignore = [\"DS001\", \"DS003\"]\n",
    );
    set_settings(&mut c, json!({"dslim": {"configPath": "ci/dslim.toml"}}));
    let got = codes(&c.diagnostics(&uri, 1));
    assert!(!got.is_empty() && !got.contains(&"DS001".into()) && !got.contains(&"DS003".into()));
    // A broken one: reported, and the defaults apply meanwhile.
    write(dir.path(), "ci/broken.toml", "selct = 1\n");
    set_settings(&mut c, json!({"dslim": {"configPath": "ci/broken.toml"}}));
    let m = c.notification("window/showMessage", |_| true);
    assert_eq!(m["type"], 1);
    assert!(
        m["message"].as_str().unwrap().contains("broken.toml"),
        "{m}"
    );
    assert_eq!(codes(&c.diagnostics(&uri, 1)), codes(&all));

    // A bad value is reported and left out; the other keys still apply.
    set_settings(
        &mut c,
        json!({"dslim": {"select": ["DS999"], "ignore": ["DS001"]}}),
    );
    let m = c.notification("window/showMessage", |_| true);
    assert!(
        m["message"].as_str().unwrap().contains("dslim.select"),
        "{m}"
    );
    let got = codes(&c.diagnostics(&uri, 1));
    assert!(
        !got.contains(&"DS001".into()) && got.contains(&"DS003".into()),
        "{got:?}"
    );

    // Settings without a `dslim` section: back to the configuration.
    set_settings(&mut c, json!({"other-tool": {"x": 1}}));
    assert_eq!(codes(&c.diagnostics(&uri, 1)), codes(&all));
}

/// A client that answers `workspace/configuration` is asked after
/// `initialized` and when it says the settings changed without sending
/// them; `initializationOptions` stay below what it answers.
#[test]
fn settings_pulled_with_workspace_configuration() {
    let (dir, uri, _) = setup(MERGE);
    let mut caps = default_caps();
    caps["workspace"]["configuration"] = json!(true);
    let mut c = Client::start_with(dir.path(), caps, json!({"ignore": ["DS003"]}));
    let ask = c.server_request("workspace/configuration");
    assert_eq!(ask["params"]["items"][0]["section"], "dslim");
    // A `null` answer: nothing set by the client.
    c.reply(&ask["id"], json!([null]));
    c.open(&uri, MERGE);
    let first = codes(&c.diagnostics(&uri, 1));
    assert!(first.contains(&"DS001".into()) && !first.contains(&"DS003".into()));
    set_settings(&mut c, Value::Null);
    let ask = c.server_request("workspace/configuration");
    c.reply(&ask["id"], json!([{"select": ["DS001", "DS003"]}]));
    // `select` from the answer, `ignore` from the initialization options.
    assert_eq!(codes(&c.diagnostics(&uri, 1)), ["DS001"]);
}

fn apply_caps() -> Value {
    let mut caps = default_caps();
    caps["workspace"]["applyEdit"] = json!(true);
    caps
}

/// `workspace/executeCommand` `dslim.fixAll`/`dslim.fixAllUnsafe`: the
/// server asks the client to apply the fixes with `workspace/applyEdit`.
#[test]
fn execute_command_applies_fixes_through_apply_edit() {
    let (dir, uri, _) = setup(MERGE);
    let mut c = Client::start(dir.path(), apply_caps());
    let init = c.request("initialize", json!({"capabilities": {}}));
    assert_eq!(init["error"]["code"], -32600, "already initialized");
    c.open(&uri, MERGE);
    for (command, args) in [
        ("dslim.fixAll", &[][..]),
        ("dslim.fixAllUnsafe", &["--unsafe"][..]),
    ] {
        let id = c.next_id();
        c.send(
            &json!({"jsonrpc": "2.0", "id": id, "method": "workspace/executeCommand",
                       "params": {"command": command, "arguments": [uri]}}),
        );
        let req = c.server_request("workspace/applyEdit");
        assert!(req["params"]["label"]
            .as_str()
            .unwrap()
            .starts_with("dslim: fix all"));
        let fixed = apply(MERGE, &edits_for(&req["params"]["edit"], &uri));
        let mut want_args = vec!["fix"];
        want_args.extend(args);
        assert_eq!(fixed, cli(dir.path(), &want_args, MERGE), "{command}");
        assert_ne!(fixed, MERGE);
        c.reply(&req["id"], json!({"applied": true}));
        let r = c.response(&json!(id));
        assert_eq!(r["result"], Value::Null, "{r}");
        assert!(r.get("error").is_none());
    }
    assert_ne!(
        cli(dir.path(), &["fix"], MERGE),
        cli(dir.path(), &["fix", "--unsafe"], MERGE)
    );
    // The advertised commands.
    let mut c2 = Client::spawn(dir.path());
    let r = c2.call("initialize", json!({"capabilities": {}}));
    assert_eq!(
        r["capabilities"]["executeCommandProvider"]["commands"],
        json!(["dslim.fixAll", "dslim.fixAllUnsafe"])
    );
    // The editor refusing the edit is said.
    let id = c.next_id();
    c.send(&json!({"jsonrpc": "2.0", "id": id, "method": "workspace/executeCommand",
                   "params": {"command": "dslim.fixAll", "arguments": [{"uri": uri, "version": 1}]}}));
    let req = c.server_request("workspace/applyEdit");
    c.reply(
        &req["id"],
        json!({"applied": false, "failureReason": "read-only"}),
    );
    assert_eq!(c.response(&json!(id))["result"], Value::Null);
    let m = c.notification("window/showMessage", |_| true);
    assert!(m["message"].as_str().unwrap().contains("read-only"), "{m}");
    // Errors: a stale version, an unknown command, no argument, a closed
    // document.
    let exec = |c: &mut Client, params: Value| c.request("workspace/executeCommand", params);
    let r = exec(
        &mut c,
        json!({"command": "dslim.fixAll", "arguments": [{"uri": uri, "version": 7}]}),
    );
    assert_eq!(r["error"]["code"], -32801, "{r}");
    let r = exec(&mut c, json!({"command": "dslim.nope", "arguments": [uri]}));
    assert_eq!(r["error"]["code"], -32602, "{r}");
    let r = exec(&mut c, json!({"command": "dslim.fixAll"}));
    assert_eq!(r["error"]["code"], -32602, "{r}");
    let r = exec(
        &mut c,
        json!({"command": "dslim.fixAll", "arguments": ["file:///nowhere/Dockerfile"]}),
    );
    assert_eq!(r["error"]["code"], -32602, "{r}");
    // Nothing to fix: no applyEdit request, a null result.
    let clean = "FROM scratch\n";
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": clean}]}),
    );
    let r = exec(
        &mut c,
        json!({"command": "dslim.fixAll", "arguments": [uri]}),
    );
    assert_eq!(r["result"], Value::Null, "{r}");
    // An unparseable document: an error, no edit.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": "FROM x\nRUN <<EOF\n"}]}),
    );
    let r = exec(
        &mut c,
        json!({"command": "dslim.fixAll", "arguments": [uri]}),
    );
    assert_eq!(r["error"]["code"], -32803, "{r}");
    let shut = c.call("shutdown", Value::Null);
    assert_eq!(shut, Value::Null);
    assert!(c.stash.iter().all(|m| m["method"] != "workspace/applyEdit"));
    // A client that cannot apply edits gets an error instead of a request.
    let mut c3 = Client::start(dir.path(), default_caps());
    c3.open(&uri, MERGE);
    let r = exec(
        &mut c3,
        json!({"command": "dslim.fixAll", "arguments": [uri]}),
    );
    assert_eq!(r["error"]["code"], -32803, "{r}");
}

/// A pull client that takes `workspace/diagnostic/refresh` is asked to
/// pull again when settings change, and the old result id is stale.
#[test]
fn settings_change_refreshes_pulled_diagnostics() {
    let (dir, uri, _) = setup(MERGE);
    let caps = json!({
        "workspace": {"diagnostics": {"refreshSupport": true}},
        "textDocument": {"diagnostic": {"dynamicRegistration": false}}
    });
    let mut c = Client::start(dir.path(), caps);
    c.open(&uri, MERGE);
    let pull = |c: &mut Client, previous: &Value| {
        c.call(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": uri}, "previousResultId": previous}),
        )
    };
    let first = pull(&mut c, &Value::Null);
    assert!(codes(first["items"].as_array().unwrap()).len() > 1);
    set_settings(&mut c, json!({"dslim": {"select": ["DS001"]}}));
    let refresh = c.server_request("workspace/diagnostic/refresh");
    c.reply(&refresh["id"], Value::Null);
    let second = pull(&mut c, &first["resultId"]);
    assert_eq!(second["kind"], "full", "{second}");
    assert_eq!(codes(second["items"].as_array().unwrap()), ["DS001"]);
    // Without the capability no refresh is sent.
    let caps = json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}}});
    let mut c = Client::start(dir.path(), caps);
    c.open(&uri, MERGE);
    set_settings(&mut c, json!({"dslim": {"select": ["DS001"]}}));
    let r = pull(&mut c, &Value::Null);
    assert_eq!(codes(r["items"].as_array().unwrap()), ["DS001"]);
    assert!(c
        .stash
        .iter()
        .all(|m| m["method"] != "workspace/diagnostic/refresh"));
}
