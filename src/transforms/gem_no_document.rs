//! Install Ruby gems without documentation: `gem install` (and `gem update`)
//! gets `--no-document` right after the subcommand.
//!
//! Why: RubyGems generates ri and rdoc documentation for every gem it
//! installs; no container reads it.
//!
//! Already present: `--no-document`, `-N`, `--no-doc`, both `--no-rdoc` and
//! `--no-ri` (either alone is not enough), or a gemrc (`/etc/gemrc`,
//! `~/.gemrc`, `/root/.gemrc`) that a RUN of the stage writes with
//! `--no-document`/`--no-rdoc`, or that a COPY/ADD puts there.
//!
//! Safety: safe. Exec-form and heredoc RUNs are left alone. Documentation is not
//! a cache: there is no mount style.
//!
//! Before:
//! ```text
//! RUN gem install bundler
//! ```
//!
//! After:
//! ```text
//! RUN gem install --no-document bundler
//! ```

// The recipe: the `[gem]` table of transforms/package-managers.toml, run by
// `pkg_cache`.

use crate::edit::Applicability;
use crate::finding::Finding;
use crate::syntax::Document;
use crate::transform::{Context, FixAvailability, Meta, Transform};

use super::pkg_cache;

pub struct GemNoDocument;

static META: Meta = Meta {
    code: "DS008",
    name: "gem-no-document",
    summary: "Install Ruby gems without documentation",
    doc: crate::transform_doc!("gem_no_document"),
    fix: FixAvailability::Sometimes,
    safety: Applicability::Safe,
    aliases: &[],
};

impl Transform for GemNoDocument {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, doc: &Document, cx: &Context, out: &mut Vec<Finding>) {
        pkg_cache::check(&META, doc, cx, out);
    }
}
