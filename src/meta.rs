//! What a transform is, without its code: its code, name, documentation and
//! fix availability. A leaf module (it imports only `edit`), so that
//! `suppression` can read transforms' aliases without importing
//! `transform`, which imports `suppression`. `crate::transform` re-exports
//! both types.

/// Whether a transform's findings carry fixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FixAvailability {
    Always,
    Sometimes,
    None,
}

/// Static description of a transform.
#[derive(Debug)]
pub struct Meta {
    pub code: &'static str,
    pub name: &'static str,
    pub summary: &'static str,
    /// Long documentation (what, why, safety, example).
    pub doc: &'static str,
    pub fix: FixAvailability,
    /// The usual applicability of its fix (for `dslim rules`).
    pub safety: crate::edit::Applicability,
    /// Rules of other tools this transform covers: hadolint rules
    /// (`DL3059`), whose `# hadolint ignore=` comments silence it too, and
    /// BuildKit build-check names (`JSONArgsRecommended`), which the
    /// `# check=skip=` parser directive (and `skip=all`) silences. DS001 has
    /// no BuildKit counterpart.
    pub aliases: &'static [&'static str],
}
