//! Requests: the dispatch, `workspace/executeCommand`, formatting and hover.

use super::*;

impl Server {
    pub(super) fn request(&mut self, r: Request) -> Result<Value, (ErrorCode, String)> {
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
                let a = self.resolve_code_action(a)?;
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
    pub(super) fn execute(
        &mut self,
        p: lsp::ExecuteCommandParams,
    ) -> Result<(), (ErrorCode, String)> {
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
}

impl Server {
    /// `dslim fmt` as minimal edits; for a range, the edits that lie in it,
    /// given only when applying them alone leaves the rest to format
    /// exactly as the whole would (otherwise none).
    pub(super) fn format(
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

    pub(super) fn hover(&mut self, p: lsp::HoverParams) -> Option<lsp::Hover> {
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
