//! What a transform reports.

use crate::edit::Fix;
use crate::syntax::Span;

/// One finding: a place in the file where a transform would act (or advises).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    /// Stable code, `DS001`.
    pub code: &'static str,
    /// Kebab-case name, `merge-runs`.
    pub name: &'static str,
    pub message: String,
    /// Where it applies, in source bytes.
    pub span: Span,
    pub fix: Option<Fix>,
    /// Estimated bytes the fix saves in the built image, where measured.
    pub saving_bytes: Option<u64>,
}

impl Finding {
    /// Advice: no fix, or one shown but never applied (display-only). It is
    /// reported at `info` severity and does not make `dslim check` fail
    /// (unless `--fail-on-advice`); a finding with a safe or unsafe fix is a
    /// violation (`warning`).
    pub fn is_advice(&self) -> bool {
        self.fix.as_ref().is_none_or(|x| {
            x.is_empty() || x.applicability == crate::edit::Applicability::DisplayOnly
        })
    }

    /// `"warning"` for a violation, `"info"` for advice (see
    /// [`Finding::is_advice`]): the `severity` of `--format json`.
    pub fn severity(&self) -> &'static str {
        if self.is_advice() {
            "info"
        } else {
            "warning"
        }
    }
}
