//! Clean the Node package managers' caches in the RUN that fills them:
//! `npm install|ci|i` gets `&& npm cache clean --force`, Yarn 1's
//! `yarn install` (or bare `yarn`, `yarn add`, `yarn global add`) gets
//! `&& yarn cache clean`, `pnpm install` gets `&& pnpm store prune`, appended
//! in the RUN's own style.
//!
//! Why: npm keeps a compressed copy of every package in `~/.npm` (roughly a
//! third of `node_modules`), Yarn 1 an unpacked copy in
//! `/usr/local/share/.cache/yarn` (about the size of `node_modules`).
//!
//! Yarn 2+ (Berry): with Plug'n'Play the cache *is* the app's packages, and
//! `yarn cache clean` would delete them. The yarn fix is applied only when the
//! stage shows Yarn 1 — yarn installed with npm (`npm i -g yarn@1…`; the npm
//! package `yarn` is Yarn 1), `yarn policies set-version 1…`,
//! `yarn set version classic`, or a `.yarnrc` (not `.yarnrc.yml`) copied in —
//! and nothing suggests Yarn 2+ (`.yarnrc.yml`, `yarn set version berry|stable`,
//! `yarn@2+`, `corepack`, `--immutable`, `YARN_CACHE_FOLDER`). Otherwise a
//! display-only finding says why and nothing changes.
//!
//! Already clean: the cleanup command after the last install, `rm -rf` of the
//! cache path (`~/.npm`, `/root/.npm`, `/usr/local/share/.cache/yarn`, the pnpm
//! store), a cache mount on it.
//!
//! Safety: safe. The cleanup is never appended after a trailing shell comment,
//! a background `&`, or `exit`/`exec`; exec-form and heredoc RUNs are left
//! alone. Under `sudo` the cleanup runs under `sudo`.
//!
//! With `cache-style = "mount"` and a builder with cache mounts (`target =
//! "buildkit"` or `"buildah"`, or a file that shows BuildKit features), the RUN gets a cache
//! mount (`/root/.npm`, `/usr/local/share/.cache/yarn`,
//! `/root/.local/share/pnpm/store`) instead; for a numeric USER with `uid=`
//! and `gid=`; `/root` targets only for root.
//!
//! hadolint: DL3060 (yarn; it does not accept the `rm -rf` form).
//!
//! Before:
//! ```text
//! RUN npm ci
//! ```
//!
//! After:
//! ```text
//! RUN npm ci && npm cache clean --force
//! ```

// The recipe: the `[npm]`, `[yarn]` and `[pnpm]` tables of
// transforms/package-managers.toml, run by `pkg_cache`.

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
    doc: crate::transform_doc!("node_cache"),
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
