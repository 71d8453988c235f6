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
