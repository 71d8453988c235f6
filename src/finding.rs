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
    /// Shared (`Arc`): a transform that finds the same thing in 100k RUNs
    /// says it once (see [`Messages`]).
    pub message: std::sync::Arc<str>,
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

/// The messages a transform has made, so findings with the same text share
/// one: DS003 and DS005 make the same message for each of 90k RUNs of a
/// large file (~180 bytes each).
#[derive(Debug, Default)]
pub struct Messages(Option<std::sync::Arc<str>>);

impl Messages {
    /// `text` as a message, the one made last when it is the same.
    pub fn get(&mut self, text: String) -> std::sync::Arc<str> {
        match &self.0 {
            Some(m) if **m == *text => m.clone(),
            _ => {
                let m: std::sync::Arc<str> = text.into();
                self.0 = Some(m.clone());
                m
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Messages;
    use std::sync::Arc;

    #[test]
    fn messages_with_the_same_text_share_one_string() {
        let mut m = Messages::default();
        let a = m.get("add `--no-cache-dir`".to_string());
        let b = m.get("add `--no-cache-dir`".to_string());
        assert!(Arc::ptr_eq(&a, &b));
        let c = m.get("add `--no-cache`".to_string());
        assert!(!Arc::ptr_eq(&a, &c));
        assert_eq!(&*c, "add `--no-cache`");
        // Only the last one is remembered: the first text again is a new
        // string with the same text.
        let d = m.get("add `--no-cache-dir`".to_string());
        assert!(!Arc::ptr_eq(&a, &d));
        assert_eq!(a, d);
    }
}
