//! Report `FROM image` without a tag, or with `:latest`.
//!
//! Why: `latest` moves. A rebuild of the same Dockerfile silently picks up a
//! new major version of the base image, which can break the build or the
//! application, and layer caches across machines stop matching. Pinning a
//! version (`python:3.12-slim`, `debian:bookworm-slim`) — or a digest — makes
//! builds reproducible and is also the only way the slim/Alpine transforms
//! (DS101, DS102) can tell which variant exists.
//!
//! Some images carry their release in the name instead of a tag:
//! `gcr.io/distroless/static-debian12` is Debian 12, and distroless publishes
//! no version tags at all (only `latest`, `nonroot`, `debug`,
//! `debug-nonroot`). Untagged, such an image moves the way `debian:12` does —
//! updates within one release, never the next one — so it is not reported;
//! this is how the distroless project documents using them, and how DS103
//! (distroless-final) writes them. Neither is `:latest` on such an image: it
//! is the same image spelled out, the jump DL3007 guards against cannot
//! happen, and dropping the word would change nothing. The same family
//! without a release in the name (`gcr.io/distroless/static`, following the
//! newest Debian) is reported untagged or `:latest` like any image, with the
//! names that carry one as the advice. Which names count is the
//! `release-in-name` table of `transforms/base-images.toml`; dslim.toml can
//! add patterns for other images (`[base-images.release-in-name.patterns]`,
//! `mycorp = "registry.example.com/base/*-2024"`).
//!
//! Safety: display only; dslim cannot know which version the image was meant
//! to run. Not reported for `scratch`, stage names, digests, images whose
//! release is in the name, and `${VAR}` references without a default (the
//! value comes from `--build-arg`); a `${VAR}` with a global `ARG` default is
//! checked with that default.
//!
//! Covers hadolint DL3006 and DL3007 (their `# hadolint ignore=` comments
//! silence it). hadolint knows no release-in-name images: it reports
//! `gcr.io/distroless/static-debian12` (DL3006) and its `:latest` (DL3007),
//! which dslim does not; a digest (`@sha256:…`) satisfies both tools. BuildKit
//! has no corresponding build check.
//!
//! Before:
//! ```text
//! FROM node
//! FROM python:latest
//! FROM gcr.io/distroless/static
//! ```
//!
//! After:
//! ```text
//! FROM node:20-slim
//! FROM python:3.12-slim
//! FROM gcr.io/distroless/static-debian12
//! ```

// The data: `[release-in-name]` in `transforms/base-images.toml`.

use crate::edit::{Applicability, Fix};
use crate::finding::Finding;
use crate::syntax::Document;
use crate::transform::{Context, FixAvailability, Meta, Transform};

use super::base_images::{is_stage_ref, release_in_name, release_names, resolved_image};

pub struct LatestTag;

static META: Meta = Meta {
    code: "DS205",
    name: "latest-tag",
    summary: "Pin base images to a version instead of `latest`",
    doc: crate::transform_doc!("latest_tag"),
    fix: FixAvailability::None,
    safety: Applicability::DisplayOnly,
    aliases: &["DL3006", "DL3007"],
};

impl Transform for LatestTag {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, doc: &Document, cx: &Context, out: &mut Vec<Finding>) {
        let table = &cx.data().base_images.release_in_name;
        for st in doc.stages() {
            if st.image.is_scratch() || st.image.text.is_empty() || is_stage_ref(cx.model(), st) {
                continue;
            }
            let img = resolved_image(doc, st);
            if img.has_variables() || img.digest.is_some() || img.is_scratch() {
                continue;
            }
            // The release is in the name (`gcr.io/distroless/static-debian12`):
            // the image has no version tags, and `latest` is its release's.
            if release_in_name(table, &img) {
                continue;
            }
            let shown = if img.text == st.image.text {
                format!("`{}`", img.text)
            } else {
                format!("`{}` (`{}`)", st.image.text, img.text)
            };
            let what = match img.tag.as_deref() {
                None => "has no tag, so it means `latest`",
                Some(t) if t.eq_ignore_ascii_case("latest") => "uses the `latest` tag",
                Some(_) => continue,
            };
            // A family that names its releases in the image name
            // (`gcr.io/distroless/static` → `…/static-debian12`) has no
            // version tag to pin.
            let releases = release_names(table, &img);
            let (advice, title) = if releases.is_empty() {
                (
                    "pin a version tag (or a digest)".to_string(),
                    "pin a version tag",
                )
            } else {
                let list = releases
                    .iter()
                    .map(|r| format!("`{r}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                (
                    format!("its releases are in the name: use one ({list}) or pin a digest"),
                    "name the release in the image",
                )
            };
            let message = format!(
                "{shown} {what}: the build changes whenever the image is updated; {advice}"
            );
            out.push(Finding {
                code: META.code,
                name: META.name,
                message: message.into(),
                span: st.image.span.clone(),
                fix: Some(Fix::display_only(vec![]).with_title(title)),
                saving_bytes: None,
            });
        }
    }
}
