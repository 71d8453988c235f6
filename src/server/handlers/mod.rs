//! The server's state and its request and notification handlers: the
//! state and message dispatch here, the handlers by kind in
//! [`notifications`], [`requests`], [`diagnostics`] and [`actions`].

mod actions;
mod diagnostics;
mod notifications;
mod requests;

use diagnostics::{diagnostic, Style};
use notifications::{layers, make_resolver};

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Diagnostic, DiagnosticSeverity,
    NumberOrString, OneOf, PositionEncodingKind, TextEdit, Url, WorkspaceEdit,
};
use serde_json::{json, Value};

use super::settings::ClientSettings;
use super::text::{self, Encoding, LineIndex};
use crate::edit::{Applicability, FileChange};
use crate::finding::Finding;
use crate::pipeline::{self, CheckReport, Settings};
use crate::resolver::{ConfigSource, Overrides, Resolver};
use crate::syntax::{Document, ParseError};
use crate::transforms;

/// The environment variable naming where `codeDescription` links (the
/// `rulesUrl` setting wins). There is no public URL for the rules, so by
/// default diagnostics carry no link; hover gives the rule's text.
pub const RULES_URL_ENV: &str = "DSLIM_RULES_URL";

/// `workspace/executeCommand`: every safe fix, through
/// `workspace/applyEdit` (what `source.fixAll.dslim` does).
pub const CMD_FIX_ALL: &str = "dslim.fixAll";
/// `workspace/executeCommand`: every fix, unsafe ones included.
pub const CMD_FIX_ALL_UNSAFE: &str = "dslim.fixAllUnsafe";

/// `source.fixAll.dslim`: every safe fix (what `dslim fix` applies).
pub const FIX_ALL: &str = "source.fixAll.dslim";
/// Every fix, unsafe ones included (`dslim fix --unsafe`). Not under
/// `source.fixAll`, so a format-on-save `source.fixAll` never applies it.
pub const FIX_ALL_UNSAFE: &str = "source.dslim.fixAllUnsafe";

/// How many documents keep their analysis between requests.
const KEEP_ANALYSES: usize = 8;

/// One open document.
struct Doc {
    text: String,
    index: LineIndex,
    version: i32,
    /// The file it is, for configuration and the build context.
    path: Option<PathBuf>,
    /// Diagnostics not yet published for this text.
    changed: bool,
    analysis: Option<Rc<CheckedText>>,
}

/// What checking a document's current text found.
struct CheckedText {
    settings: Result<Arc<Settings>, String>,
    doc: Option<Document>,
    result: Result<CheckReport, pipeline::Error>,
}

/// The language server's state. Handlers queue their messages; take them
/// with [`Server::take_output`].
pub struct Server {
    docs: HashMap<Url, Doc>,
    resolver: Resolver,
    /// `--config`/`--no-config` of the command line.
    config: ConfigSource,
    /// The `DSLIM_*` layer, read at start.
    env_overrides: Overrides,
    /// `initializationOptions`.
    init_settings: ClientSettings,
    /// The last settings the client sent or answered.
    client_settings: ClientSettings,
    /// `client_settings` over `init_settings`.
    settings: ClientSettings,
    /// `DSLIM_RULES_URL`.
    env_rules_url: Option<Url>,
    /// The client answers `workspace/configuration`.
    pull_config: bool,
    /// The last `workspace/configuration` request sent (older answers
    /// are stale).
    config_request: u64,
    /// The client applies `workspace/applyEdit`.
    apply_edit: bool,
    applies_sent: u64,
    /// The client takes `workspace/diagnostic/refresh` (pull mode).
    refresh_diagnostics: bool,
    root: PathBuf,
    folders: Vec<PathBuf>,
    enc: Encoding,
    /// Push diagnostics (the client does not pull them).
    push: bool,
    /// Fix-all actions carry their edit only on `codeAction/resolve`.
    lazy_edits: bool,
    /// The client applies `documentChanges` with file creation.
    create_files: bool,
    watch: bool,
    /// Bumped when configuration or context files change.
    generation: u64,
    /// Documents whose analysis is kept, most recent last (the others
    /// are checked again when asked: memory stays that of their text).
    recent: Vec<Url>,
    out: Vec<Message>,
}

/// What the client can do, from its `initialize` capabilities.
struct ClientCaps {
    enc: Encoding,
    /// `enc` as the `positionEncoding` answered.
    encoding_kind: PositionEncodingKind,
    push: bool,
    lazy_edits: bool,
    create_files: bool,
    watch: bool,
    pull_config: bool,
    apply_edit: bool,
    refresh_diagnostics: bool,
}

impl ClientCaps {
    fn read(caps: &lsp::ClientCapabilities) -> ClientCaps {
        let offered = caps
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.clone())
            .unwrap_or_default();
        let (enc, encoding_kind) = if offered.contains(&PositionEncodingKind::UTF8) {
            (Encoding::Utf8, PositionEncodingKind::UTF8)
        } else if offered.contains(&PositionEncodingKind::UTF32) && offered.len() == 1 {
            (Encoding::Utf32, PositionEncodingKind::UTF32)
        } else {
            (Encoding::Utf16, PositionEncodingKind::UTF16)
        };
        let td = caps.text_document.as_ref();
        let push = td.and_then(|t| t.diagnostic.as_ref()).is_none();
        let lazy_edits = td
            .and_then(|t| t.code_action.as_ref())
            .and_then(|c| c.resolve_support.as_ref())
            .is_some_and(|r| r.properties.iter().any(|p| p == "edit"));
        let ws = caps.workspace.as_ref();
        let edit_caps = ws.and_then(|w| w.workspace_edit.as_ref());
        let create_files = edit_caps.is_some_and(|e| {
            e.document_changes == Some(true)
                && e.resource_operations
                    .as_ref()
                    .is_some_and(|r| r.contains(&lsp::ResourceOperationKind::Create))
        });
        let watch = ws
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        ClientCaps {
            enc,
            encoding_kind,
            push,
            lazy_edits,
            create_files,
            watch,
            pull_config: ws.and_then(|w| w.configuration).unwrap_or(false),
            apply_edit: ws.and_then(|w| w.apply_edit).unwrap_or(false),
            refresh_diagnostics: ws
                .and_then(|w| w.diagnostic.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false),
        }
    }
}

/// The workspace folders (the root URI when there are none).
fn workspace_folders(params: &lsp::InitializeParams) -> Vec<PathBuf> {
    let mut folders: Vec<PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|f| f.uri.to_file_path().ok())
        .collect();
    #[allow(deprecated)]
    if folders.is_empty() {
        if let Some(p) = params.root_uri.as_ref().and_then(|u| u.to_file_path().ok()) {
            folders.push(p);
        }
    }
    folders
}

/// `initializationOptions` (their errors to `messages`).
fn init_settings(params: &lsp::InitializeParams, messages: &mut Vec<String>) -> ClientSettings {
    match params
        .initialization_options
        .as_ref()
        .and_then(ClientSettings::parse)
    {
        Some((s, errors)) => {
            messages.extend(errors);
            s
        }
        None => ClientSettings::default(),
    }
}

/// `DSLIM_RULES_URL` (when it is not a URL: `None`, and the error to
/// `messages`).
fn env_rules_url(messages: &mut Vec<String>) -> Option<Url> {
    match std::env::var(RULES_URL_ENV) {
        Ok(u) if !u.trim().is_empty() => match Url::parse(u.trim()) {
            Ok(u) => Some(u),
            Err(e) => {
                messages.push(format!("{RULES_URL_ENV}: `{u}` is not a URL ({e})"));
                None
            }
        },
        _ => None,
    }
}

/// What the server answers `initialize` with.
fn server_capabilities(
    encoding_kind: PositionEncodingKind,
    lazy_edits: bool,
) -> lsp::ServerCapabilities {
    let kinds = vec![
        CodeActionKind::QUICKFIX,
        CodeActionKind::new(FIX_ALL),
        CodeActionKind::new(FIX_ALL_UNSAFE),
    ];
    lsp::ServerCapabilities {
        position_encoding: Some(encoding_kind),
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
                save: Some(lsp::TextDocumentSyncSaveOptions::SaveOptions(
                    lsp::SaveOptions {
                        include_text: Some(false),
                    },
                )),
                ..Default::default()
            },
        )),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
            lsp::CodeActionOptions {
                code_action_kinds: Some(kinds),
                resolve_provider: Some(lazy_edits),
                work_done_progress_options: Default::default(),
            },
        )),
        document_formatting_provider: Some(OneOf::Left(true)),
        document_range_formatting_provider: Some(OneOf::Left(true)),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        execute_command_provider: Some(lsp::ExecuteCommandOptions {
            commands: vec![CMD_FIX_ALL.into(), CMD_FIX_ALL_UNSAFE.into()],
            work_done_progress_options: Default::default(),
        }),
        diagnostic_provider: Some(lsp::DiagnosticServerCapabilities::Options(
            lsp::DiagnosticOptions {
                identifier: Some("dslim".into()),
                inter_file_dependencies: false,
                workspace_diagnostics: false,
                work_done_progress_options: Default::default(),
            },
        )),
        ..Default::default()
    }
}

/// `path:line:col: message` of a parse error (the CLI's words).
fn parse_message(e: &ParseError) -> String {
    e.message.clone()
}

impl Server {
    /// A server for a client's `initialize` parameters, and the result to
    /// answer it with.
    pub fn new(params: lsp::InitializeParams) -> (Server, lsp::InitializeResult) {
        Server::with_config(params, ConfigSource::Discover)
    }

    /// [`Server::new`] with the configuration source of `--config`/
    /// `--no-config`.
    pub fn with_config(
        params: lsp::InitializeParams,
        config: ConfigSource,
    ) -> (Server, lsp::InitializeResult) {
        let caps = ClientCaps::read(&params.capabilities);
        let folders = workspace_folders(&params);
        // Errors to show, in the order they are found.
        let mut messages = Vec::new();
        let init_settings = init_settings(&params, &mut messages);
        let env_rules_url = env_rules_url(&mut messages);
        let root = folders
            .first()
            .cloned()
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_else(|| PathBuf::from("/"));
        let env_overrides = match Overrides::from_env(|k| std::env::var(k).ok()) {
            Ok(o) => o,
            Err(e) => {
                messages.push(e);
                Overrides::default()
            }
        };
        let settings = init_settings.clone();
        let (source, overrides) = layers(&config, &env_overrides, &settings, &root);
        let (resolver, config_error) = make_resolver(&source, &overrides, &root);
        messages.extend(config_error);
        let mut server = Server {
            docs: HashMap::new(),
            resolver,
            config,
            env_overrides,
            init_settings,
            client_settings: ClientSettings::default(),
            settings,
            env_rules_url,
            pull_config: caps.pull_config,
            config_request: 0,
            apply_edit: caps.apply_edit,
            applies_sent: 0,
            refresh_diagnostics: caps.refresh_diagnostics,
            root,
            folders,
            enc: caps.enc,
            push: caps.push,
            lazy_edits: caps.lazy_edits,
            create_files: caps.create_files,
            watch: caps.watch,
            generation: 0,
            recent: Vec::new(),
            out: Vec::new(),
        };
        for e in messages {
            server.show_message(lsp::MessageType::ERROR, &format!("dslim: {e}"));
        }
        let result = lsp::InitializeResult {
            capabilities: server_capabilities(caps.encoding_kind, caps.lazy_edits),
            server_info: Some(lsp::ServerInfo {
                name: "dslim".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        };
        (server, result)
    }

    /// Messages queued for the client.
    pub fn take_output(&mut self) -> Vec<Message> {
        std::mem::take(&mut self.out)
    }

    /// Handles one message from the client (not `initialize`, `shutdown`
    /// or `exit`, which the loop answers). A panic in a handler is a bug:
    /// the request gets an internal error and the server goes on.
    pub fn handle(&mut self, msg: Message) {
        match msg {
            Message::Request(r) => {
                let id = r.id.clone();
                let method = r.method.clone();
                let res =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.request(r)));
                let resp = match res {
                    Ok(Ok(v)) => Response::new_ok(id, v),
                    Ok(Err((code, m))) => Response::new_err(id, code as i32, m),
                    Err(_) => Response::new_err(
                        id,
                        ErrorCode::InternalError as i32,
                        format!("internal error handling {method} (please report this bug)"),
                    ),
                };
                self.out.push(resp.into());
            }
            Message::Notification(n) => {
                let _ =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.notification(n)));
            }
            Message::Response(r) => self.response(r),
        }
    }

    /// Publishes diagnostics for one document changed since the last call
    /// (when the client does not pull them); `false` when none is left.
    /// One at a time, so a burst of 200 opened documents never holds 200
    /// sets of diagnostics in memory.
    pub fn publish_one(&mut self) -> bool {
        let Some(uri) = self
            .docs
            .iter()
            .find(|(_, d)| d.changed)
            .map(|(u, _)| u.clone())
        else {
            return false;
        };
        if let Some(d) = self.docs.get_mut(&uri) {
            d.changed = false;
        }
        if self.push {
            let diagnostics = self.diagnostics(&uri);
            let version = self.docs.get(&uri).map(|d| d.version);
            self.notify(
                "textDocument/publishDiagnostics",
                lsp::PublishDiagnosticsParams {
                    uri,
                    diagnostics,
                    version,
                },
            );
        }
        true
    }

    /// [`Server::publish_one`] until every changed document is published.
    pub fn publish_changed(&mut self) {
        while self.publish_one() {}
    }

    fn notify(&mut self, method: &str, params: impl serde::Serialize) {
        self.out
            .push(Notification::new(method.to_string(), params).into());
    }

    fn show_message(&mut self, typ: lsp::MessageType, message: &str) {
        self.notify(
            "window/showMessage",
            lsp::ShowMessageParams {
                typ,
                message: message.to_string(),
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::diagnostics::rule_link;
    use super::*;

    /// GitHub's anchor of a Markdown heading.
    fn anchor(heading: &str) -> String {
        heading
            .trim()
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
            .map(|c| if c == ' ' { '-' } else { c })
            .collect()
    }

    #[test]
    fn every_rule_link_is_a_heading_of_rules_md() {
        let md = crate::output::docs::rules_markdown(transforms::ALL);
        let anchors: Vec<String> = md
            .lines()
            .filter_map(|l| l.strip_prefix("## "))
            .map(anchor)
            .collect();
        let base = Url::parse("file:///usr/share/doc/dslim/rules.md").unwrap();
        for t in transforms::ALL {
            let m = t.meta();
            let u = rule_link(&base, m.code, m.name);
            assert_eq!(u.path(), "/usr/share/doc/dslim/rules.md");
            let frag = u.fragment().unwrap().to_string();
            assert!(anchors.contains(&frag), "{frag} is not in {anchors:?}");
        }
        // A base with a fragment of its own: replaced, not appended.
        let u = rule_link(
            &Url::parse("https://example.org/rules.html#top").unwrap(),
            "DS001",
            "merge-runs",
        );
        assert_eq!(
            u.as_str(),
            "https://example.org/rules.html#ds001-merge-runs"
        );
    }
}
