//! New tags for an image: slim, Alpine and JRE variants, by the image's
//! entry in `transforms/base-images.toml`.

use crate::data::{BaseImage, SlimPosition};

/// What to do with an image tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagPlan {
    /// The new tag.
    Swap(String),
    /// Already a variant (or a form the table does not know): leave alone.
    Leave,
}

/// Splits a tag into its version part and a trailing distro word.
fn split_distro<'t>(img: &BaseImage, tag: &'t str) -> (&'t str, Option<&'t str>) {
    for d in &img.distros {
        if let Some(v) = tag
            .strip_suffix(d.as_str())
            .and_then(|v| v.strip_suffix('-'))
        {
            if !v.is_empty() {
                return (v, Some(&tag[tag.len() - d.len()..]));
            }
        }
    }
    (tag, None)
}

/// Whether a tag already names a variant (`-slim`, `-alpine3.19`,
/// `windowsservercore-ltsc2022`).
pub fn is_variant(img: &BaseImage, tag: &str) -> bool {
    tag.split('-')
        .any(|w| img.variants.iter().any(|v| w.starts_with(v.as_str())))
}

fn plain_version(v: &str) -> bool {
    !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || "${}:_".contains(c))
}

/// The slim tag for `tag` (which may hold `${VAR}`s).
pub fn slim_tag(img: &BaseImage, tag: &str) -> TagPlan {
    let Some(slim) = img.slim.as_deref() else {
        return TagPlan::Leave;
    };
    if is_variant(img, tag) {
        return TagPlan::Leave;
    }
    let (version, distro) = split_distro(img, tag);
    if !plain_version(version) {
        return TagPlan::Leave;
    }
    TagPlan::Swap(match (distro, img.slim_position) {
        (Some(d), SlimPosition::BeforeDistro) => format!("{version}-{slim}-{d}"),
        (Some(d), SlimPosition::AfterDistro) => format!("{version}-{d}-{slim}"),
        (None, _) => format!("{version}-{slim}"),
    })
}

/// The Alpine tag for `tag`: the version with the Alpine word (a distro
/// word and a slim word are dropped).
pub fn alpine_tag(img: &BaseImage, tag: &str) -> TagPlan {
    let Some(alpine) = img.alpine.as_deref() else {
        return TagPlan::Leave;
    };
    let (version, _) = split_distro(img, tag);
    let version = img
        .slim
        .as_deref()
        .and_then(|s| version.strip_suffix(&format!("-{s}")))
        .unwrap_or(version);
    let (version, _) = split_distro(img, version);
    if is_variant(img, version) || !plain_version(version) {
        return TagPlan::Leave;
    }
    TagPlan::Swap(format!("{version}-{alpine}"))
}

/// The JRE image for a JDK tag (`21-jdk-jammy` → `eclipse-temurin:21-jre-jammy`).
pub fn jre_image(img: &BaseImage, tag: &str) -> Option<String> {
    let template = img.jre.as_deref()?;
    if is_variant(img, tag) {
        return None;
    }
    let major: String = tag.chars().take_while(|c| c.is_ascii_digit()).collect();
    let major_n: u32 = major.parse().ok()?;
    if !img.jre_majors.contains(&major_n) {
        return None;
    }
    let words: Vec<&str> = tag.split('-').collect();
    let jre_tag = if words.contains(&"jdk") {
        words
            .iter()
            .map(|w| if *w == "jdk" { "jre" } else { w })
            .collect::<Vec<_>>()
            .join("-")
    } else {
        let (version, distro) = split_distro(img, tag);
        match distro {
            Some(d) => format!("{version}-jre-{d}"),
            None => format!("{version}-jre"),
        }
    };
    Some(
        template
            .replace("{major}", &major)
            .replace("{tag}", &jre_tag),
    )
}
