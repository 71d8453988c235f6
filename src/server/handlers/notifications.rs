//! Notifications from the client (open, change, save, close, watched files,
//! configuration changes), answers to the server's own requests, and reading
//! the configuration again.

use super::*;

/// The configuration source and the command-line layer: the client's
/// `configPath` (relative to the workspace root) instead of `--config`,
/// its `select`/`ignore`/`unsafe` over `DSLIM_*`.
pub(super) fn layers(
    config: &ConfigSource,
    env: &Overrides,
    client: &ClientSettings,
    root: &Path,
) -> (ConfigSource, Overrides) {
    let source = match &client.config_path {
        Some(p) => ConfigSource::File(root.join(p)),
        None => config.clone(),
    };
    (source, client.overrides().over(env.clone()))
}

pub(super) fn make_resolver(
    config: &ConfigSource,
    overrides: &Overrides,
    root: &Path,
) -> (Resolver, Option<String>) {
    match Resolver::with_cwd(config.clone(), overrides.clone(), root.to_path_buf()) {
        Ok(r) => (r, None),
        Err(e) => {
            let r = Resolver::with_cwd(
                ConfigSource::Defaults,
                overrides.clone(),
                root.to_path_buf(),
            )
            .expect("defaults load nothing");
            (r, Some(e.to_string()))
        }
    }
}

impl Server {
    pub(super) fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            "initialized" => self.initialized(),
            "textDocument/didOpen" => {
                if let Ok(p) = serde_json::from_value(n.params) {
                    self.did_open(p);
                }
            }
            "textDocument/didChange" => {
                if let Ok(p) = serde_json::from_value(n.params) {
                    self.did_change(p);
                }
            }
            "textDocument/didSave" => {
                if let Ok(p) = serde_json::from_value(n.params) {
                    self.did_save(p);
                }
            }
            "textDocument/didClose" => {
                if let Ok(p) = serde_json::from_value(n.params) {
                    self.did_close(p);
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

    /// `initialized`: asks for the configuration, and registers the
    /// watchers of configuration and `.dockerignore` files.
    fn initialized(&mut self) {
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

    fn did_open(&mut self, p: lsp::DidOpenTextDocumentParams) {
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

    fn did_change(&mut self, p: lsp::DidChangeTextDocumentParams) {
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

    fn did_save(&mut self, p: lsp::DidSaveTextDocumentParams) {
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

    /// Forgets the document; its diagnostics are cleared (push mode).
    fn did_close(&mut self, p: lsp::DidCloseTextDocumentParams) {
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

    /// Asks the client for the `dslim` section (`workspace/configuration`).
    pub(super) fn request_config(&mut self) {
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
    pub(super) fn response(&mut self, r: Response) {
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
    pub(super) fn set_client_settings(&mut self, v: &Value) {
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
    pub(super) fn reload(&mut self) {
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
}
