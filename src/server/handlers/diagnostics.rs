//! Checking a document (its kept analysis) and its findings as diagnostics,
//! pushed or pulled.

use super::*;

/// The byte offset of a parse error's 1-based line and column (columns
/// in characters, the BOM not counted).
pub(super) fn parse_error_offset(text: &str, e: &ParseError) -> usize {
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
pub(super) struct Style<'a> {
    /// The rule reference `codeDescription` links to (an anchor per rule).
    pub(super) rules_url: Option<&'a Url>,
    /// Unsafe fixes are applied by fix-all (`unsafe = true`).
    pub(super) unsafe_fixes: bool,
}

/// A finding as a diagnostic: what fix-all applies warns (safe fixes, and
/// unsafe ones when `unsafe = true`); other fixes and advice inform.
pub(super) fn diagnostic(
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
    let mut message = f.message.to_string();
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
pub(super) fn rule_link(base: &Url, code: &str, name: &str) -> Url {
    let mut u = base.clone();
    u.set_fragment(Some(&format!("{}-{name}", code.to_ascii_lowercase())));
    u
}

impl Server {
    /// Where `codeDescription` links: the `rulesUrl` setting, else
    /// `DSLIM_RULES_URL`, else nowhere.
    pub(super) fn rules_url(&self) -> Option<&Url> {
        self.settings
            .rules_url
            .as_ref()
            .or(self.env_rules_url.as_ref())
    }

    /// The settings for a document (its file's configuration, or the
    /// workspace root's for an unsaved buffer).
    pub(super) fn settings_for(&mut self, path: Option<&Path>) -> Result<Arc<Settings>, String> {
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

    pub(super) fn analysis(&mut self, uri: &Url) -> Option<Rc<CheckedText>> {
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
        let a = Rc::new(CheckedText {
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
    pub(super) fn diagnostics(&mut self, uri: &Url) -> Vec<Diagnostic> {
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

    pub(super) fn pull(
        &mut self,
        p: lsp::DocumentDiagnosticParams,
    ) -> lsp::DocumentDiagnosticReportResult {
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
}
