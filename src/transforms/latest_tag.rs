//! DS205 `latest-tag`: `FROM image` without a tag or with `:latest`.
//!
//! Display only: which version to pin is the author's choice. Not reported
//! for `scratch`, a stage name, a digest, a `${VAR}` that has no default
//! (the value comes from `--build-arg`), or an image whose release is in its
//! name (`gcr.io/distroless/static-debian12`, `release-in-name` in
//! `transforms/base-images.toml`); for an image of such a family that names
//! no release (`gcr.io/distroless/static`) the advice lists the names that
//! do.

use crate::edit::{Applicability, Fix};
use crate::finding::Finding;
use crate::syntax::Document;
use crate::transform::{Context, FixAvailability, Meta, Transform};

use super::images::{is_stage_ref, release_in_name, release_names, resolved_image};

pub struct LatestTag;

static META: Meta = Meta {
    code: "DS205",
    name: "latest-tag",
    summary: "Pin base images to a version instead of `latest`",
    doc: include_str!("latest_tag.md"),
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
                message,
                span: st.image.span.clone(),
                fix: Some(Fix::display_only(vec![]).with_title(title)),
                saving_bytes: None,
            });
        }
    }
}
