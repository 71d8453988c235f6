//! The server's state and its request and notification handlers.

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
use crate::edit::{Applicability, FileChange, FileEdit};
use crate::finding::Finding;
use crate::pipeline::{self, CheckReport, Settings};
use crate::resolver::{Overrides, Resolver, Source};
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
    analysis: Option<Rc<Analysis>>,
}

/// What checking a document's current text found.
struct Analysis {
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
    config: Source,
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

/// `path:line:col: message` of a parse error (the CLI's words).
fn parse_message(e: &ParseError) -> String {
    e.message.clone()
}

impl Server {
    /// A server for a client's `initialize` parameters, and the result to
    /// answer it with.
    pub fn new(params: lsp::InitializeParams) -> (Server, lsp::InitializeResult) {
        Server::with_config(params, Source::Discover)
    }

    /// [`Server::new`] with the configuration source of `--config`/
    /// `--no-config`.
    pub fn with_config(
        params: lsp::InitializeParams,
        config: Source,
    ) -> (Server, lsp::InitializeResult) {
        let caps = &params.capabilities;
        let offered = caps
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.clone())
            .unwrap_or_default();
        let (enc, kind) = if offered.contains(&PositionEncodingKind::UTF8) {
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
        let pull_config = ws.and_then(|w| w.configuration).unwrap_or(false);
        let apply_edit = ws.and_then(|w| w.apply_edit).unwrap_or(false);
        let refresh_diagnostics = ws
            .and_then(|w| w.diagnostic.as_ref())
            .and_then(|d| d.refresh_support)
            .unwrap_or(false);
        let mut messages = Vec::new();
        let init_settings = match params
            .initialization_options
            .as_ref()
            .and_then(ClientSettings::parse)
        {
            Some((s, errors)) => {
                messages.extend(errors);
                s
            }
            None => ClientSettings::default(),
        };
        let env_rules_url = match std::env::var(RULES_URL_ENV) {
            Ok(u) if !u.trim().is_empty() => match Url::parse(u.trim()) {
                Ok(u) => Some(u),
                Err(e) => {
                    messages.push(format!("{RULES_URL_ENV}: `{u}` is not a URL ({e})"));
                    None
                }
            },
            _ => None,
        };
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
            pull_config,
            config_request: 0,
            apply_edit,
            applies_sent: 0,
            refresh_diagnostics,
            root,
            folders,
            enc,
            push,
            lazy_edits,
            create_files,
            watch,
            generation: 0,
            recent: Vec::new(),
            out: Vec::new(),
        };
        for e in messages {
            server.show_message(lsp::MessageType::ERROR, &format!("dslim: {e}"));
        }
        let kinds = vec![
            CodeActionKind::QUICKFIX,
            CodeActionKind::new(FIX_ALL),
            CodeActionKind::new(FIX_ALL_UNSAFE),
        ];
        let capabilities = lsp::ServerCapabilities {
            position_encoding: Some(kind),
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
        };
        let result = lsp::InitializeResult {
            capabilities,
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

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            "initialized" => {
                if self.pull_config {
                    self.request_config();
                }
                if !self.watch {
                    return;
                }
                let watchers: Vec<lsp::FileSystemWatcher> =
                    ["**/dslim.toml", "**/.dslim.toml", "**/.dockerignore"]
                        .iter()
                        .map(|g| lsp::FileSystemWatcher {
                            glob_pattern: lsp::GlobPattern::String(g.to_string()),
                            kind: None,
                        })
                        .collect();
                let reg = lsp::Registration {
                    id: "dslim-watch".into(),
                    method: "workspace/didChangeWatchedFiles".into(),
                    register_options: Some(json!({ "watchers": watchers })),
                };
                self.out.push(
                    Request::new(
                        RequestId::from("dslim-watch".to_string()),
                        "client/registerCapability".into(),
                        lsp::RegistrationParams {
                            registrations: vec![reg],
                        },
                    )
                    .into(),
                );
            }
            "textDocument/didOpen" => {
                let Ok(p) = serde_json::from_value::<lsp::DidOpenTextDocumentParams>(n.params)
                else {
                    return;
                };
                let d = p.text_document;
                let path = d.uri.to_file_path().ok();
                self.docs.insert(
                    d.uri,
                    Doc {
                        index: LineIndex::new(&d.text),
                        text: d.text,
                        version: d.version,
                        path,
                        changed: true,
                        analysis: None,
                    },
                );
            }
            "textDocument/didChange" => {
                let Ok(p) = serde_json::from_value::<lsp::DidChangeTextDocumentParams>(n.params)
                else {
                    return;
                };
                let enc = self.enc;
                let Some(d) = self.docs.get_mut(&p.text_document.uri) else {
                    return;
                };
                for c in p.content_changes {
                    match c.range {
                        None => d.text = c.text,
                        Some(r) => {
                            let span = d.index.span(&d.text, r, enc);
                            d.text.replace_range(span, &c.text);
                        }
                    }
                    d.index = LineIndex::new(&d.text);
                }
                d.version = p.text_document.version;
                d.changed = true;
                d.analysis = None;
            }
            "textDocument/didSave" => {
                let Ok(p) = serde_json::from_value::<lsp::DidSaveTextDocumentParams>(n.params)
                else {
                    return;
                };
                if let Some(d) = self.docs.get_mut(&p.text_document.uri) {
                    if let Some(t) = p.text {
                        d.index = LineIndex::new(&t);
                        d.text = t;
                    }
                    // The build context may have changed on disk.
                    d.changed = true;
                    d.analysis = None;
                }
            }
            "textDocument/didClose" => {
                let Ok(p) = serde_json::from_value::<lsp::DidCloseTextDocumentParams>(n.params)
                else {
                    return;
                };
                if self.docs.remove(&p.text_document.uri).is_some() && self.push {
                    self.notify(
                        "textDocument/publishDiagnostics",
                        lsp::PublishDiagnosticsParams {
                            uri: p.text_document.uri,
                            diagnostics: Vec::new(),
                            version: None,
                        },
                    );
                }
            }
            "workspace/didChangeWatchedFiles" => self.reload(),
            "workspace/didChangeConfiguration" => {
                let settings = n.params.get("settings").cloned().unwrap_or_default();
                let empty = settings.as_object().is_none_or(|o| o.is_empty());
                if empty && self.pull_config {
                    // `{"settings": null}`: the client wants to be asked.
                    self.request_config();
                } else {
                    self.set_client_settings(&settings);
                }
            }
            _ => {}
        }
    }

    /// Asks the client for the `dslim` section (`workspace/configuration`).
    fn request_config(&mut self) {
        self.config_request += 1;
        let scope = Url::from_directory_path(&self.root).ok();
        self.out.push(
            Request::new(
                RequestId::from(format!("dslim-configuration-{}", self.config_request)),
                "workspace/configuration".into(),
                lsp::ConfigurationParams {
                    items: vec![lsp::ConfigurationItem {
                        scope_uri: scope,
                        section: Some("dslim".into()),
                    }],
                },
            )
            .into(),
        );
    }

    /// An answer to one of our requests.
    fn response(&mut self, r: Response) {
        let id = r.id.to_string();
        let id = id.trim_matches('"');
        if let Some(n) = id.strip_prefix("dslim-configuration-") {
            if n != self.config_request.to_string() {
                return; // an older request's answer
            }
            // The section itself: `{"unsafe": true, …}` (or `null`).
            let item = r
                .result
                .as_ref()
                .and_then(|v| v.get(0))
                .cloned()
                .unwrap_or_default();
            if item.is_object() {
                self.set_client_settings(&item);
            }
        } else if id.starts_with("dslim-apply-") {
            let res = r
                .result
                .and_then(|v| serde_json::from_value::<lsp::ApplyWorkspaceEditResponse>(v).ok());
            let why = match (&r.error, res) {
                (Some(e), _) => Some(e.message.clone()),
                (None, Some(a)) if !a.applied => {
                    Some(a.failure_reason.unwrap_or_else(|| "no reason given".into()))
                }
                _ => None,
            };
            if let Some(why) = why {
                self.show_message(
                    lsp::MessageType::WARNING,
                    &format!("dslim: the editor did not apply the fixes: {why}"),
                );
            }
        }
        // Answers to the watcher registration: nothing to do.
    }

    /// New settings from the client: they replace the previous ones, over
    /// `initializationOptions`; every open document is checked again.
    fn set_client_settings(&mut self, v: &Value) {
        let Some((s, errors)) = ClientSettings::parse(v) else {
            return;
        };
        for e in errors {
            self.show_message(lsp::MessageType::ERROR, &format!("dslim: {e}"));
        }
        self.client_settings = s;
        self.reload();
    }

    /// Settings, configuration or context files changed: read them again
    /// and check every open document again.
    fn reload(&mut self) {
        self.settings = self.client_settings.clone().over(&self.init_settings);
        let (source, overrides) = layers(
            &self.config,
            &self.env_overrides,
            &self.settings,
            &self.root,
        );
        let (resolver, error) = make_resolver(&source, &overrides, &self.root);
        self.resolver = resolver;
        if let Some(e) = error {
            self.show_message(lsp::MessageType::ERROR, &format!("dslim: {e}"));
        }
        self.generation += 1;
        for d in self.docs.values_mut() {
            d.analysis = None;
            d.changed = true;
        }
        if !self.push && self.refresh_diagnostics {
            self.out.push(
                Request::new(
                    RequestId::from(format!("dslim-refresh-{}", self.generation)),
                    "workspace/diagnostic/refresh".into(),
                    Value::Null,
                )
                .into(),
            );
        }
    }

    fn request(&mut self, r: Request) -> Result<Value, (ErrorCode, String)> {
        fn params<P: serde::de::DeserializeOwned>(v: Value) -> Result<P, (ErrorCode, String)> {
            serde_json::from_value(v).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
        }
        let to = |v: Result<Value, serde_json::Error>| {
            v.map_err(|e| (ErrorCode::InternalError, e.to_string()))
        };
        match r.method.as_str() {
            "textDocument/diagnostic" => {
                let p: lsp::DocumentDiagnosticParams = params(r.params)?;
                to(serde_json::to_value(self.pull(p)))
            }
            "textDocument/codeAction" => {
                let p: lsp::CodeActionParams = params(r.params)?;
                to(serde_json::to_value(self.code_actions(p)))
            }
            "codeAction/resolve" => {
                let a: CodeAction = params(r.params)?;
                let a = self.resolve(a)?;
                to(serde_json::to_value(a))
            }
            "textDocument/formatting" => {
                let p: lsp::DocumentFormattingParams = params(r.params)?;
                let edits = self.format(&p.text_document.uri, None)?;
                to(serde_json::to_value(edits))
            }
            "textDocument/rangeFormatting" => {
                let p: lsp::DocumentRangeFormattingParams = params(r.params)?;
                let edits = self.format(&p.text_document.uri, Some(p.range))?;
                to(serde_json::to_value(edits))
            }
            "textDocument/hover" => {
                let p: lsp::HoverParams = params(r.params)?;
                to(serde_json::to_value(self.hover(p)))
            }
            "workspace/executeCommand" => {
                let p: lsp::ExecuteCommandParams = params(r.params)?;
                self.execute(p)?;
                Ok(Value::Null)
            }
            m => Err((ErrorCode::MethodNotFound, format!("unknown method {m}"))),
        }
    }

    /// `dslim.fixAll`/`dslim.fixAllUnsafe` on the document named by the
    /// first argument (its URI, or `{"uri", "version"}`): the fixes are
    /// sent to the client as a `workspace/applyEdit` request; nothing is
    /// sent when there is nothing to fix.
    fn execute(&mut self, p: lsp::ExecuteCommandParams) -> Result<(), (ErrorCode, String)> {
        let (all_unsafe, label) = match p.command.as_str() {
            CMD_FIX_ALL => (false, "dslim: fix all safe"),
            CMD_FIX_ALL_UNSAFE => (true, "dslim: fix all, unsafe fixes included"),
            c => return Err((ErrorCode::InvalidParams, format!("unknown command {c}"))),
        };
        let bad = || {
            (
                ErrorCode::InvalidParams,
                format!(
                    "{}: the argument is the document's URI or {{\"uri\", \"version\"}}",
                    p.command
                ),
            )
        };
        let (uri, version) = match p.arguments.first() {
            Some(Value::String(u)) => (Url::parse(u).map_err(|_| bad())?, None),
            Some(Value::Object(o)) => (
                o.get("uri")
                    .and_then(Value::as_str)
                    .and_then(|u| Url::parse(u).ok())
                    .ok_or_else(bad)?,
                o.get("version").and_then(Value::as_i64),
            ),
            _ => return Err(bad()),
        };
        if !self.apply_edit {
            return Err((
                ErrorCode::RequestFailed,
                "the client does not apply workspace edits (workspace.applyEdit)".into(),
            ));
        }
        let d = self
            .docs
            .get(&uri)
            .ok_or_else(|| (ErrorCode::InvalidParams, format!("{uri} is not open")))?;
        if version.is_some_and(|v| v != i64::from(d.version)) {
            return Err((
                ErrorCode::ContentModified,
                "the document changed".to_string(),
            ));
        }
        let a = self.analysis(&uri).ok_or_else(bad)?;
        let settings = a
            .settings
            .clone()
            .map_err(|m| (ErrorCode::RequestFailed, m))?;
        if let Err(e) = &a.result {
            let m = match e {
                pipeline::Error::Parse(p) => format!("{}:{}: {}", p.line, p.col, p.message),
                e => e.to_string(),
            };
            return Err((ErrorCode::RequestFailed, m));
        }
        let unsafe_fixes = all_unsafe || settings.unsafe_fixes;
        let Some(edit) = self.fix_all_edit(&uri, &settings, unsafe_fixes) else {
            return Ok(());
        };
        self.applies_sent += 1;
        self.out.push(
            Request::new(
                RequestId::from(format!("dslim-apply-{}", self.applies_sent)),
                "workspace/applyEdit".into(),
                lsp::ApplyWorkspaceEditParams {
                    label: Some(label.into()),
                    edit,
                },
            )
            .into(),
        );
        Ok(())
    }

    /// Where `codeDescription` links: the `rulesUrl` setting, else
    /// `DSLIM_RULES_URL`, else nowhere.
    fn rules_url(&self) -> Option<&Url> {
        self.settings
            .rules_url
            .as_ref()
            .or(self.env_rules_url.as_ref())
    }

    /// The settings for a document (its file's configuration, or the
    /// workspace root's for an unsaved buffer).
    fn settings_for(&mut self, path: Option<&Path>) -> Result<Arc<Settings>, String> {
        let probe = path.map_or_else(|| self.root.join("Dockerfile"), Path::to_path_buf);
        let s = self
            .resolver
            .settings(&probe)
            .map_err(|e| format!("{}: error: {}", e.location, e.message))?;
        if self.settings.workspace_context == Some(true) && s.context.is_none() {
            if let Some(folder) = path.and_then(|p| {
                self.folders
                    .iter()
                    .filter(|f| p.starts_with(f))
                    .max_by_key(|f| f.components().count())
            }) {
                let mut s = (*s).clone();
                s.context = Some(folder.clone());
                return Ok(Arc::new(s));
            }
        }
        Ok(s)
    }

    fn analysis(&mut self, uri: &Url) -> Option<Rc<Analysis>> {
        let d = self.docs.get(uri)?;
        if let Some(a) = &d.analysis {
            return Some(a.clone());
        }
        let path = d.path.clone();
        let settings = self.settings_for(path.as_deref());
        let d = self.docs.get_mut(uri)?;
        let (doc, result) = match &settings {
            Err(_) => (None, Ok(CheckReport::default())),
            Ok(s) => match pipeline::parse(&d.text) {
                Ok(doc) => {
                    let r = pipeline::check_report(&doc, path.as_deref(), s);
                    (Some(doc), r)
                }
                Err(e) => (None, Err(e)),
            },
        };
        let a = Rc::new(Analysis {
            settings,
            doc,
            result,
        });
        d.analysis = Some(a.clone());
        self.recent.retain(|u| u != uri);
        self.recent.push(uri.clone());
        if self.recent.len() > KEEP_ANALYSES {
            let old = self.recent.remove(0);
            if let Some(d) = self.docs.get_mut(&old) {
                d.analysis = None;
            }
        }
        Some(a)
    }

    /// The diagnostics of an open document.
    fn diagnostics(&mut self, uri: &Url) -> Vec<Diagnostic> {
        let Some(a) = self.analysis(uri) else {
            return Vec::new();
        };
        let d = &self.docs[uri];
        let at_start = lsp::Range::default();
        let error = |range, message: String| Diagnostic {
            range,
            severity: Some(DiagnosticSeverity::ERROR),
            source: Some("dslim".into()),
            message,
            ..Default::default()
        };
        if let Err(m) = &a.settings {
            return vec![error(at_start, m.clone())];
        }
        match &a.result {
            Err(pipeline::Error::Parse(e)) => {
                let at = parse_error_offset(&d.text, e);
                let end = d.text[at..]
                    .find(['\r', '\n'])
                    .map_or(d.text.len(), |i| at + i);
                vec![error(
                    d.index.range(&d.text, at..end, self.enc),
                    parse_message(e),
                )]
            }
            Err(e) => vec![error(at_start, e.to_string())],
            Ok(r) => {
                let style = Style {
                    rules_url: self.rules_url(),
                    unsafe_fixes: a.settings.as_ref().is_ok_and(|s| s.unsafe_fixes),
                };
                r.findings
                    .iter()
                    .map(|f| diagnostic(&d.text, &d.index, self.enc, f, &style))
                    .collect()
            }
        }
    }

    fn pull(&mut self, p: lsp::DocumentDiagnosticParams) -> lsp::DocumentDiagnosticReportResult {
        let uri = p.text_document.uri;
        let id = self
            .docs
            .get(&uri)
            .map(|d| format!("{}-{}", self.generation, d.version));
        let report = if id.is_some() && id == p.previous_result_id {
            lsp::DocumentDiagnosticReport::Unchanged(
                lsp::RelatedUnchangedDocumentDiagnosticReport {
                    related_documents: None,
                    unchanged_document_diagnostic_report: lsp::UnchangedDocumentDiagnosticReport {
                        result_id: id.unwrap_or_default(),
                    },
                },
            )
        } else {
            lsp::DocumentDiagnosticReport::Full(lsp::RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: lsp::FullDocumentDiagnosticReport {
                    result_id: id,
                    items: self.diagnostics(&uri),
                },
            })
        };
        lsp::DocumentDiagnosticReportResult::Report(report)
    }

    fn code_actions(&mut self, p: lsp::CodeActionParams) -> Vec<CodeActionOrCommand> {
        let uri = p.text_document.uri;
        let Some(a) = self.analysis(&uri) else {
            return Vec::new();
        };
        let (Ok(settings), Ok(report), Some(doc)) = (&a.settings, &a.result, &a.doc) else {
            return Vec::new();
        };
        let d = &self.docs[&uri];
        let want = |kind: &str| {
            p.context.only.as_ref().is_none_or(|only| {
                only.iter().any(|o| {
                    let o = o.as_str();
                    kind == o || kind.strip_prefix(o).is_some_and(|r| r.starts_with('.'))
                })
            })
        };
        let range = d.index.span(&d.text, p.range, self.enc);
        let style = Style {
            rules_url: self.rules_url(),
            unsafe_fixes: settings.unsafe_fixes,
        };
        let mut out = Vec::new();
        if want(CodeActionKind::QUICKFIX.as_str()) {
            let mut ignored: Vec<(usize, &str)> = Vec::new();
            for f in &report.findings {
                let end = f.span.end.max(f.span.start + 1);
                if !(f.span.start <= range.end && range.start <= end) {
                    continue;
                }
                let diag = diagnostic(&d.text, &d.index, self.enc, f, &style);
                if let Some(x) = f
                    .fix
                    .as_ref()
                    .filter(|x| x.applicability != Applicability::DisplayOnly && !x.is_empty())
                {
                    let safe = x.applicability == Applicability::Safe;
                    let what = x.title.clone().unwrap_or_else(|| f.message.clone());
                    let title = if safe {
                        format!("{}: {what}", f.code)
                    } else {
                        format!(
                            "{}: {what} (unsafe: may change how the image behaves)",
                            f.code
                        )
                    };
                    let edits: Vec<(std::ops::Range<usize>, String)> = x
                        .edits
                        .iter()
                        .map(|e| (e.span.clone(), e.replacement.clone()))
                        .collect();
                    let files: Vec<FileChange> =
                        crate::edit::merge_file_edits(x.file.as_ref().map(|f: &FileEdit| f));
                    if let Some(edit) = self.workspace_edit(&uri, &edits, &files) {
                        out.push(CodeActionOrCommand::CodeAction(CodeAction {
                            title,
                            kind: Some(CodeActionKind::QUICKFIX),
                            diagnostics: Some(vec![diag.clone()]),
                            edit: Some(edit),
                            is_preferred: Some(safe),
                            ..Default::default()
                        }));
                    }
                }
                if let Some((k, e)) = ignore_edit(doc, f) {
                    if ignored.contains(&(k, f.code)) {
                        continue;
                    }
                    ignored.push((k, f.code));
                    if let Some(edit) = self.workspace_edit(&uri, &[e], &[]) {
                        out.push(CodeActionOrCommand::CodeAction(CodeAction {
                            title: format!("Ignore {} for this instruction", f.code),
                            kind: Some(CodeActionKind::QUICKFIX),
                            diagnostics: Some(vec![diag]),
                            edit: Some(edit),
                            is_preferred: Some(false),
                            ..Default::default()
                        }));
                    }
                }
            }
        }
        let has = |a: Applicability| {
            report.findings.iter().any(|f| {
                f.fix
                    .as_ref()
                    .is_some_and(|x| x.applicability == a && !x.is_empty())
            })
        };
        // `unsafe = true` (configuration, `DSLIM_UNSAFE`, the `unsafe`
        // setting) makes fix-all apply unsafe fixes, as `dslim fix` does.
        let configured = settings.unsafe_fixes;
        for (kind, unsafe_fixes, title) in [
            (
                FIX_ALL,
                configured,
                if configured {
                    "dslim: fix all, unsafe fixes included (as configured)"
                } else {
                    "dslim: fix all safe"
                },
            ),
            (
                FIX_ALL_UNSAFE,
                true,
                "dslim: fix all, unsafe fixes included",
            ),
        ] {
            let any = has(Applicability::Safe) || (unsafe_fixes && has(Applicability::Unsafe));
            if !any || !want(kind) || (kind == FIX_ALL_UNSAFE && !has(Applicability::Unsafe)) {
                continue;
            }
            let mut action = CodeAction {
                title: title.into(),
                kind: Some(CodeActionKind::new(kind)),
                data: Some(json!({
                    "uri": uri,
                    "version": d.version,
                    "unsafe": unsafe_fixes,
                })),
                ..Default::default()
            };
            if !self.lazy_edits {
                match self.fix_all_edit(&uri, settings, unsafe_fixes) {
                    Some(edit) => action.edit = Some(edit),
                    None => continue,
                }
            }
            out.push(CodeActionOrCommand::CodeAction(action));
        }
        out
    }

    fn resolve(&mut self, mut a: CodeAction) -> Result<CodeAction, (ErrorCode, String)> {
        let data = a.data.clone().unwrap_or_default();
        let invalid = || {
            (
                ErrorCode::InvalidParams,
                "not a dslim code action".to_string(),
            )
        };
        let uri: Url = serde_json::from_value(data.get("uri").cloned().ok_or_else(invalid)?)
            .map_err(|_| invalid())?;
        let version = data.get("version").and_then(Value::as_i64);
        let unsafe_fixes = data
            .get("unsafe")
            .and_then(Value::as_bool)
            .ok_or_else(invalid)?;
        let d = self.docs.get(&uri).ok_or_else(invalid)?;
        if version != Some(i64::from(d.version)) {
            return Err((
                ErrorCode::ContentModified,
                "the document changed".to_string(),
            ));
        }
        let settings = self
            .analysis(&uri)
            .and_then(|a| a.settings.clone().ok())
            .ok_or_else(|| (ErrorCode::RequestFailed, "configuration error".to_string()))?;
        a.edit = Some(
            self.fix_all_edit(&uri, &settings, unsafe_fixes)
                .ok_or_else(|| (ErrorCode::RequestFailed, "nothing to fix".to_string()))?,
        );
        Ok(a)
    }

    /// What `dslim fix` (with `--unsafe`) does to the document, as edits.
    fn fix_all_edit(
        &self,
        uri: &Url,
        settings: &Settings,
        unsafe_fixes: bool,
    ) -> Option<WorkspaceEdit> {
        let d = self.docs.get(uri)?;
        let mut s = settings.clone();
        s.unsafe_fixes = unsafe_fixes;
        let o = pipeline::fix(pipeline::Source::new(&d.text, d.path.as_deref()), &s).ok()?;
        if !o.changed(&d.text) {
            return None;
        }
        let edits = text::diff(&d.text, &o.fixed);
        self.workspace_edit(uri, &edits, &o.files)
    }

    /// Edits to the document (byte ranges of its text) and whole-file
    /// changes to others, as a workspace edit; `None` when other files
    /// are touched and the client cannot create them.
    fn workspace_edit(
        &self,
        uri: &Url,
        edits: &[(std::ops::Range<usize>, String)],
        files: &[FileChange],
    ) -> Option<WorkspaceEdit> {
        let d = self.docs.get(uri)?;
        let text_edits: Vec<TextEdit> = edits
            .iter()
            .map(|(r, t)| TextEdit::new(d.index.range(&d.text, r.clone(), self.enc), t.clone()))
            .collect();
        if files.is_empty() {
            return Some(WorkspaceEdit {
                changes: Some(HashMap::from([(uri.clone(), text_edits)])),
                ..Default::default()
            });
        }
        if !self.create_files {
            return None;
        }
        let mut ops = Vec::new();
        if !text_edits.is_empty() {
            ops.push(lsp::DocumentChangeOperation::Edit(lsp::TextDocumentEdit {
                text_document: lsp::OptionalVersionedTextDocumentIdentifier {
                    uri: uri.clone(),
                    version: Some(d.version),
                },
                edits: text_edits.into_iter().map(OneOf::Left).collect(),
            }));
        }
        for f in files {
            let abs = if f.path.is_absolute() {
                f.path.clone()
            } else {
                self.root.join(&f.path)
            };
            let file_uri = Url::from_file_path(&abs).ok()?;
            let old = f.old.as_deref().unwrap_or("");
            if f.old.is_none() {
                ops.push(lsp::DocumentChangeOperation::Op(lsp::ResourceOp::Create(
                    lsp::CreateFile {
                        uri: file_uri.clone(),
                        options: Some(lsp::CreateFileOptions {
                            overwrite: Some(false),
                            ignore_if_exists: Some(true),
                        }),
                        annotation_id: None,
                    },
                )));
            }
            let index = LineIndex::new(old);
            let edits = text::text_edits(old, &index, &f.new, self.enc);
            ops.push(lsp::DocumentChangeOperation::Edit(lsp::TextDocumentEdit {
                text_document: lsp::OptionalVersionedTextDocumentIdentifier {
                    uri: file_uri,
                    version: None,
                },
                edits: edits.into_iter().map(OneOf::Left).collect(),
            }));
        }
        Some(WorkspaceEdit {
            document_changes: Some(lsp::DocumentChanges::Operations(ops)),
            ..Default::default()
        })
    }

    /// `dslim fmt` as minimal edits; for a range, the edits that lie in it,
    /// given only when applying them alone leaves the rest to format
    /// exactly as the whole would (otherwise none).
    fn format(
        &mut self,
        uri: &Url,
        range: Option<lsp::Range>,
    ) -> Result<Vec<TextEdit>, (ErrorCode, String)> {
        let Some(d) = self.docs.get(uri) else {
            return Ok(Vec::new());
        };
        let path = d.path.clone();
        let settings = self
            .settings_for(path.as_deref())
            .map_err(|m| (ErrorCode::RequestFailed, m))?;
        let d = &self.docs[uri];
        let opts = &settings.config.format;
        let formatted = crate::format::format(&d.text, opts).map_err(|e| {
            let m = match &e {
                pipeline::Error::Parse(p) => format!("{}:{}: {}", p.line, p.col, p.message),
                e => e.to_string(),
            };
            (ErrorCode::RequestFailed, m)
        })?;
        let mut edits = text::diff(&d.text, &formatted);
        if let Some(r) = range {
            let span = d.index.span(&d.text, r, self.enc);
            // Whole lines of the range.
            let start = d.text[..span.start].rfind('\n').map_or(0, |i| i + 1);
            let end = d.text[span.end..]
                .find('\n')
                .map_or(d.text.len(), |i| span.end + i + 1);
            edits.retain(|(e, _)| start <= e.start && e.end <= end);
            let partial = text::apply(&d.text, &edits);
            if crate::format::format(&partial, opts).ok().as_deref() != Some(formatted.as_str()) {
                edits.clear();
            }
        }
        Ok(edits
            .into_iter()
            .map(|(r, t)| TextEdit::new(d.index.range(&d.text, r, self.enc), t))
            .collect())
    }

    fn hover(&mut self, p: lsp::HoverParams) -> Option<lsp::Hover> {
        let uri = p.text_document_position_params.text_document.uri;
        let pos = p.text_document_position_params.position;
        let a = self.analysis(&uri)?;
        let d = &self.docs[&uri];
        let at = d.index.offset(&d.text, pos, self.enc);
        let mut codes: Vec<&'static str> = Vec::new();
        let mut span = None;
        if let Ok(r) = &a.result {
            for f in &r.findings {
                if f.span.start <= at && at < f.span.end.max(f.span.start + 1) {
                    if !codes.contains(&f.code) {
                        codes.push(f.code);
                    }
                    span.get_or_insert(f.span.clone());
                }
            }
        }
        if codes.is_empty() {
            // A rule code or name under the cursor (`# dslim ignore=DS001`).
            let word = |c: char| c.is_ascii_alphanumeric() || c == '-';
            let s = d.text[..at].rfind(|c| !word(c)).map_or(0, |i| i + 1);
            let e = d.text[at..]
                .find(|c| !word(c))
                .map_or(d.text.len(), |i| at + i);
            let t = transforms::find(&d.text[s..e])?;
            codes.push(t.meta().code);
            span = Some(s..e);
        }
        let value = codes
            .iter()
            .filter_map(|c| transforms::find(c))
            .map(crate::output::docs::explain)
            .collect::<Vec<_>>()
            .join("\n---\n\n");
        Some(lsp::Hover {
            contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value,
            }),
            range: span.map(|s| d.index.range(&d.text, s, self.enc)),
        })
    }
}

/// The configuration source and the command-line layer: the client's
/// `configPath` (relative to the workspace root) instead of `--config`,
/// its `select`/`ignore`/`unsafe` over `DSLIM_*`.
fn layers(
    config: &Source,
    env: &Overrides,
    client: &ClientSettings,
    root: &Path,
) -> (Source, Overrides) {
    let source = match &client.config_path {
        Some(p) => Source::File(root.join(p)),
        None => config.clone(),
    };
    (source, client.overrides().over(env.clone()))
}

fn make_resolver(
    config: &Source,
    overrides: &Overrides,
    root: &Path,
) -> (Resolver, Option<String>) {
    match Resolver::with_cwd(config.clone(), overrides.clone(), root.to_path_buf()) {
        Ok(r) => (r, None),
        Err(e) => {
            let r = Resolver::with_cwd(Source::Defaults, overrides.clone(), root.to_path_buf())
                .expect("defaults load nothing");
            (r, Some(e.to_string()))
        }
    }
}

/// The byte offset of a parse error's 1-based line and column (columns
/// in characters, the BOM not counted).
fn parse_error_offset(text: &str, e: &ParseError) -> usize {
    let mut start = 0;
    for _ in 1..e.line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    if start == 0 && text.starts_with('\u{feff}') {
        start = 3;
    }
    text[start..]
        .char_indices()
        .nth(e.col.saturating_sub(1))
        .map_or(text.len(), |(i, _)| start + i)
}

/// How findings show as diagnostics.
struct Style<'a> {
    /// The rule reference `codeDescription` links to (an anchor per rule).
    rules_url: Option<&'a Url>,
    /// Unsafe fixes are applied by fix-all (`unsafe = true`).
    unsafe_fixes: bool,
}

/// A finding as a diagnostic: what fix-all applies warns (safe fixes, and
/// unsafe ones when `unsafe = true`); other fixes and advice inform.
fn diagnostic(
    text: &str,
    index: &LineIndex,
    enc: Encoding,
    f: &Finding,
    style: &Style,
) -> Diagnostic {
    let severity = match f
        .fix
        .as_ref()
        .filter(|x| !x.is_empty())
        .map(|x| x.applicability)
    {
        Some(Applicability::Safe) => DiagnosticSeverity::WARNING,
        Some(Applicability::Unsafe) if style.unsafe_fixes => DiagnosticSeverity::WARNING,
        _ => DiagnosticSeverity::INFORMATION,
    };
    let mut message = f.message.clone();
    if let Some(b) = f.saving_bytes.filter(|&b| b > 0) {
        message.push_str(&format!(
            " (estimated saving {})",
            crate::output::text::bytes(b)
        ));
    }
    let href = style.rules_url.map(|u| rule_link(u, f.code, f.name));
    Diagnostic {
        range: index.range(text, f.span.clone(), enc),
        severity: Some(severity),
        code: Some(NumberOrString::String(f.code.to_string())),
        code_description: href.map(|href| lsp::CodeDescription { href }),
        source: Some("dslim".into()),
        message,
        ..Default::default()
    }
}

/// The rule's anchor in a copy of `docs/rules.md` (its heading
/// `## DS001 merge-runs` is `#ds001-merge-runs`).
fn rule_link(base: &Url, code: &str, name: &str) -> Url {
    let mut u = base.clone();
    u.set_fragment(Some(&format!("{}-{name}", code.to_ascii_lowercase())));
    u
}

/// `# dslim ignore=CODE` for the instruction holding a finding: added to a
/// `# dslim ignore=` line right above it, or as a new line in the
/// instruction's indentation and line ending. Returns the instruction's
/// index and the edit; `None` when the result would not silence it.
fn ignore_edit(doc: &Document, f: &Finding) -> Option<(usize, (std::ops::Range<usize>, String))> {
    let text = doc.source();
    let at = f.span.start;
    let k = doc
        .instructions()
        .iter()
        .position(|i| i.span.start <= at && at < i.span.end.max(i.span.start + 1))?;
    let ins = &doc.instructions()[k];
    let mut line_start = text[..ins.span.start].rfind('\n').map_or(0, |i| i + 1);
    if line_start == 0 && text.starts_with('\u{feff}') {
        line_start = 3;
    }
    let first_line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    let eol = if text[..first_line_end].ends_with('\r') {
        "\r\n"
    } else {
        "\n"
    };
    let indent: String = text[line_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    // An existing `# dslim ignore=` line right above: extend its list.
    let above = (line_start > 0 && text[..line_start].ends_with('\n'))
        .then(|| {
            let end = line_start - 1;
            let end = if text[..end].ends_with('\r') {
                end - 1
            } else {
                end
            };
            let s = text[..end].rfind('\n').map_or(0, |i| i + 1);
            (s, end)
        })
        .filter(|&(s, e)| {
            let l = text[s..e].trim();
            l.strip_prefix('#')
                .map(str::trim_start)
                .and_then(|l| l.strip_prefix("dslim ignore="))
                .is_some_and(|list| !list.is_empty() && !list.contains(char::is_whitespace))
        });
    let edit = match above {
        Some((s, e)) => {
            let end = s + text[s..e].trim_end().len();
            (end..end, format!(",{}", f.code))
        }
        None => (
            line_start..line_start,
            format!("{indent}# dslim ignore={}{eol}", f.code),
        ),
    };
    // It must parse and silence the finding.
    let new = text::apply(text, std::slice::from_ref(&edit));
    let nd = Document::parse(&new).ok()?;
    let meta = transforms::find(f.code)?.meta();
    let shift = edit.1.len();
    let k2 = nd
        .instructions()
        .iter()
        .position(|i| i.span.start == ins.span.start + shift)?;
    crate::suppression::Suppressions::of(&nd)
        .suppresses(k2, meta)
        .then_some((k, edit))
}

#[cfg(test)]
mod tests {
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
