//! The transform interface every rule implements.

use crate::finding::Finding;
use crate::syntax::Document;

pub use crate::meta::{FixAvailability, Meta};

/// What a transform may read besides the document.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    pub suppressions: crate::suppression::Suppressions,
    pub config: &'a crate::config::Config,
    /// The merged data, built on first use when the config extends it.
    merged: std::sync::OnceLock<crate::data::Data>,
    /// The Dockerfile's path, when it is a file (not stdin without a name).
    pub dockerfile: Option<&'a std::path::Path>,
    /// The build context: explicit (`--context`, `context = …`) or, as a
    /// source of hints only, the Dockerfile's folder.
    pub build: Option<crate::buildctx::BuildContext>,
    /// Facts about the document being checked, computed once per pass.
    model: crate::model::Model<'a>,
}

impl<'a> Context<'a> {
    /// The context for checking `doc`: its suppressions are read and its
    /// model is built here, once per pass.
    pub fn new(doc: &'a Document, config: &'a crate::config::Config) -> Self {
        Context {
            suppressions: crate::suppression::Suppressions::of(doc),
            config,
            merged: std::sync::OnceLock::new(),
            dockerfile: None,
            build: None,
            model: crate::model::Model::new(doc),
        }
    }

    /// The context whose model takes shell views from `memo`, shared with
    /// the other passes over the same file (see [`crate::model::ScriptMemo`]).
    pub fn with_memo(mut self, memo: std::sync::Arc<crate::model::ScriptMemo>) -> Self {
        self.model = crate::model::Model::with_memo(self.model.doc(), memo);
        self
    }

    /// The model of the document being checked: shells, RUN scripts and
    /// the other facts transforms share, each computed once.
    pub fn model(&self) -> &crate::model::Model<'a> {
        &self.model
    }

    /// The context with the Dockerfile's path and the build context.
    pub fn with_files(
        mut self,
        dockerfile: Option<&'a std::path::Path>,
        build: Option<crate::buildctx::BuildContext>,
    ) -> Self {
        self.dockerfile = dockerfile;
        self.build = build;
        self
    }

    /// The build context when it was given explicitly: what fixes that
    /// depend on the context's files need.
    pub fn explicit_context(&self) -> Option<&crate::buildctx::Info> {
        self.build.as_ref().filter(|b| b.explicit).map(|b| &*b.info)
    }

    /// The build context, explicit or the Dockerfile's folder: for hints
    /// (a reason to hold back), never as a reason to apply a fix.
    pub fn hint_context(&self) -> Option<&crate::buildctx::Info> {
        self.build.as_ref().map(|b| &*b.info)
    }

    /// The transforms' data (`transforms/*.toml`) with the user's tables
    /// merged over it: merged once per configuration
    /// ([`crate::config::Config::merged_data`]), not once per pass. A user
    /// table that does not fit (the config loader reports it) leaves the
    /// built-in data in force.
    pub fn data(&self) -> &crate::data::Data {
        if self.config.extensions.is_empty() {
            return crate::data::builtin();
        }
        if let Some(data) = self.config.merged_data() {
            return data;
        }
        self.merged
            .get_or_init(|| crate::data::merged_or_builtin(&self.config.extensions))
    }
}

/// A transform inspects a document and proposes fixes; it never mutates.
pub trait Transform: Sync {
    fn meta(&self) -> &'static Meta;
    fn check(&self, doc: &Document, cx: &Context, out: &mut Vec<Finding>);
}
