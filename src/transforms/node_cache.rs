//! DS006 `node-cache`: clean the npm / Yarn 1 / pnpm cache after installing.
//!
//! `npm install|ci|i` keeps a compressed copy of every package in `~/.npm`,
//! Yarn 1 an unpacked copy in `/usr/local/share/.cache/yarn`, pnpm its store.
//! The recipe is the `[npm]`, `[yarn]` and `[pnpm]` tables, run by
//! `pkg_cache`: `&& npm cache clean --force`, `&& yarn cache clean`,
//! `&& pnpm store prune` appended in the RUN's own style. Already clean: the
//! cleanup after the last install, `rm -rf` of the cache path, a cache mount.
//!
//! Yarn: only for Yarn 1. Under Yarn 2+ with Plug'n'Play the cache *is* the
//! app's packages, so the fix is applied only when the stage shows Yarn 1
//! (`npm i -g yarn@1…`, `yarn policies set-version 1`, a `.yarnrc` copied in)
//! and no sign of Yarn 2+ (`.yarnrc.yml`, `yarn set version berry`,
//! `corepack`, `--immutable`); otherwise a display-only finding says why.
//!
//! With `cache-style = "mount"` on a BuildKit target, root's RUN gets a cache
//! mount on `/root/.npm`, `/usr/local/share/.cache/yarn` or
//! `/root/.local/share/pnpm/store` instead.

use crate::edit::Applicability;
use crate::finding::Finding;
use crate::syntax::Document;
use crate::transform::{Context, FixAvailability, Meta, Transform};

use super::pkg_cache;

pub struct NodeCache;

static META: Meta = Meta {
    code: "DS006",
    name: "node-cache",
    summary: "Clean the npm, Yarn 1 and pnpm caches in the RUN that fills them",
    doc: include_str!("node_cache.md"),
    fix: FixAvailability::Sometimes,
    safety: Applicability::Safe,
    aliases: &["DL3060"],
};

impl Transform for NodeCache {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, doc: &Document, cx: &Context, out: &mut Vec<Finding>) {
        pkg_cache::check(&META, doc, cx, out);
    }
}
