//! DS205 `latest-tag`: `FROM image` without a tag or with `:latest`.
//!
//! Display only: which version to pin is the author's choice. Not reported
//! for `scratch`, a stage name, a digest, or a `${VAR}` that has no default
//! (the value comes from `--build-arg`).

use crate::edit::{Applicability, Fix};
use crate::finding::Finding;
use crate::syntax::Document;
use crate::transform::{Context, FixAvailability, Meta, Transform};

use super::images::{is_stage_ref, resolved_image};

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

    fn check(&self, doc: &Document, _cx: &Context, out: &mut Vec<Finding>) {
        for st in doc.stages() {
            if st.image.is_scratch() || st.image.text.is_empty() || is_stage_ref(doc, st) {
                continue;
            }
            let img = resolved_image(doc, st);
            if img.has_variables() || img.digest.is_some() || img.is_scratch() {
                continue;
            }
            let what = match img.tag.as_deref() {
                None => "has no tag, so it means `latest`",
                Some(t) if t.eq_ignore_ascii_case("latest") => "uses the `latest` tag",
                Some(_) => continue,
            };
            let shown = if img.text == st.image.text {
                format!("`{}`", img.text)
            } else {
                format!("`{}` (`{}`)", st.image.text, img.text)
            };
            out.push(Finding {
                code: META.code,
                name: META.name,
                message: format!(
                    "{shown} {what}: the build changes whenever the image is updated; \
                     pin a version tag (or a digest)"
                ),
                span: st.image.span.clone(),
                fix: Some(Fix::display_only(vec![]).with_title("pin a version tag")),
                saving_bytes: None,
            });
        }
    }
}
