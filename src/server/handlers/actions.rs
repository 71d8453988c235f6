//! Code actions: a fix or a `# dslim ignore=` per diagnostic, fix-all, and the
//! workspace edits they carry.

use super::*;

/// `# dslim ignore=CODE` for the instruction holding a finding: added to a
/// `# dslim ignore=` line right above it, or as a new line in the
/// instruction's indentation and line ending. Returns the instruction's
/// index and the edit; `None` when the result would not silence it.
pub(super) fn ignore_edit(
    doc: &Document,
    f: &Finding,
) -> Option<(usize, (std::ops::Range<usize>, String))> {
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

/// Whether the client asked for actions of `kind` (`only`: the kinds it
/// asked for, or their parents; `None`: all).
fn wanted(only: Option<&[CodeActionKind]>, kind: &str) -> bool {
    only.is_none_or(|only| {
        only.iter().any(|o| {
            let o = o.as_str();
            kind == o || kind.strip_prefix(o).is_some_and(|r| r.starts_with('.'))
        })
    })
}

impl Server {
    pub(super) fn code_actions(&mut self, p: lsp::CodeActionParams) -> Vec<CodeActionOrCommand> {
        let uri = p.text_document.uri;
        let Some(a) = self.analysis(&uri) else {
            return Vec::new();
        };
        let (Ok(settings), Ok(report), Some(doc)) = (&a.settings, &a.result, &a.doc) else {
            return Vec::new();
        };
        let want = |kind: &str| wanted(p.context.only.as_deref(), kind);
        let mut out = Vec::new();
        if want(CodeActionKind::QUICKFIX.as_str()) {
            let d = &self.docs[&uri];
            let range = d.index.span(&d.text, p.range, self.enc);
            let style = Style {
                rules_url: self.rules_url(),
                unsafe_fixes: settings.unsafe_fixes,
            };
            out = self.quick_fixes(&uri, doc, report, range, &style);
        }
        self.push_fix_all(&uri, settings, report, &want, &mut out);
        out
    }

    /// Per finding in `range`: its fix, and `# dslim ignore=` (once per
    /// instruction and code).
    fn quick_fixes(
        &self,
        uri: &Url,
        doc: &Document,
        report: &CheckReport,
        range: std::ops::Range<usize>,
        style: &Style,
    ) -> Vec<CodeActionOrCommand> {
        let d = &self.docs[uri];
        let mut out = Vec::new();
        let mut ignored: Vec<(usize, &str)> = Vec::new();
        for f in &report.findings {
            let end = f.span.end.max(f.span.start + 1);
            if !(f.span.start <= range.end && range.start <= end) {
                continue;
            }
            let diag = diagnostic(&d.text, &d.index, self.enc, f, style);
            if let Some(action) = self.fix_action(uri, f, &diag) {
                out.push(CodeActionOrCommand::CodeAction(action));
            }
            if let Some((k, e)) = ignore_edit(doc, f) {
                if ignored.contains(&(k, f.code)) {
                    continue;
                }
                ignored.push((k, f.code));
                if let Some(edit) = self.workspace_edit(uri, &[e], &[]) {
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
        out
    }

    /// The quick fix applying a finding's fix (`None`: it has none to
    /// apply).
    fn fix_action(&self, uri: &Url, f: &Finding, diag: &Diagnostic) -> Option<CodeAction> {
        let x = f
            .fix
            .as_ref()
            .filter(|x| x.applicability != Applicability::DisplayOnly && !x.is_empty())?;
        let safe = x.applicability == Applicability::Safe;
        let what = x
            .title
            .as_deref()
            .map_or_else(|| f.message.to_string(), str::to_string);
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
            .map(|e| (e.span.clone(), e.replacement.to_string()))
            .collect();
        let files: Vec<FileChange> = crate::edit::merge_file_edits(x.file.as_deref());
        let edit = self.workspace_edit(uri, &edits, &files)?;
        Some(CodeAction {
            title,
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diag.clone()]),
            edit: Some(edit),
            is_preferred: Some(safe),
            ..Default::default()
        })
    }

    /// The fix-all actions (safe, and unsafe included) that have a fix to
    /// apply and are wanted.
    fn push_fix_all(
        &self,
        uri: &Url,
        settings: &Settings,
        report: &CheckReport,
        want: &dyn Fn(&str) -> bool,
        out: &mut Vec<CodeActionOrCommand>,
    ) {
        let version = self.docs[uri].version;
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
                    "version": version,
                    "unsafe": unsafe_fixes,
                })),
                ..Default::default()
            };
            if !self.lazy_edits {
                match self.fix_all_edit(uri, settings, unsafe_fixes) {
                    Some(edit) => action.edit = Some(edit),
                    None => continue,
                }
            }
            out.push(CodeActionOrCommand::CodeAction(action));
        }
    }

    pub(super) fn resolve_code_action(
        &mut self,
        mut a: CodeAction,
    ) -> Result<CodeAction, (ErrorCode, String)> {
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
    pub(super) fn fix_all_edit(
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
    pub(super) fn workspace_edit(
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
}
