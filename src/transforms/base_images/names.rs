//! Images that carry their release in their name
//! (`gcr.io/distroless/static-debian12`), by the `release-in-name` patterns
//! of `transforms/base-images.toml`.

use crate::data::ReleaseInName;
use crate::syntax::ImageRef;

/// The image without tag or digest as `release-in-name` patterns spell it:
/// lowercase, registry included, a Docker Hub image by its short name
/// (`docker.io/library/python` → `python`).
fn repository(img: &ImageRef) -> String {
    let hub = img.registry.as_deref().is_none_or(|r| {
        ["docker.io", "index.docker.io", "registry-1.docker.io"]
            .iter()
            .any(|h| r.eq_ignore_ascii_case(h))
    });
    if hub {
        img.short_name().to_ascii_lowercase()
    } else {
        format!("{}/{}", img.registry.as_deref().unwrap_or(""), img.name).to_ascii_lowercase()
    }
}

/// Whether `text` matches `pattern`, where `*` matches any run of
/// characters except `/`.
pub(super) fn glob(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => {
            let run = text.iter().position(|&c| c == b'/').unwrap_or(text.len());
            (0..=run).any(|n| glob(rest, &text[n..]))
        }
        Some((c, rest)) => text.first() == Some(c) && glob(rest, &text[1..]),
    }
}

/// Whether `img` carries its release in its name
/// (`gcr.io/distroless/static-debian12`), by the `release-in-name` patterns
/// of `transforms/base-images.toml`: such images publish no version tags.
pub fn release_in_name(table: &ReleaseInName, img: &ImageRef) -> bool {
    if img.has_variables() {
        return false;
    }
    let repo = repository(img);
    table.patterns.values().any(|p| {
        let p = ImageRef::parse(p.trim(), 0..0);
        !p.text.is_empty() && glob(repository(&p).as_bytes(), repo.as_bytes())
    })
}

/// For an image of a family that carries its release in the name but
/// names none (`gcr.io/distroless/static`): the names with a release
/// (`gcr.io/distroless/static-debian12`…), from the patterns with one `*`
/// whose text before it starts the image's, in reverse order (`-debian13`
/// before `-debian12`); empty for other images.
pub fn release_names(table: &ReleaseInName, img: &ImageRef) -> Vec<String> {
    if img.has_variables() || release_in_name(table, img) {
        return Vec::new();
    }
    let repo = repository(img);
    let mut out: Vec<String> = table
        .patterns
        .values()
        .filter_map(|p| {
            let p = repository(&ImageRef::parse(p.trim(), 0..0));
            let (before, after) = p.split_once('*')?;
            let stem = repo.strip_prefix(before)?;
            (!after.contains('*') && !stem.is_empty() && !stem.contains('/'))
                .then(|| format!("{before}{stem}{after}"))
        })
        .collect();
    // Newest first, as the labels of the built-in table sort.
    out.sort_by(|a, b| b.cmp(a));
    out.dedup();
    out
}
