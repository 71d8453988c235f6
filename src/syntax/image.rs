//! Image references in `FROM`: `[registry/]name[:tag][@digest]`.

use super::Span;

/// A parsed image reference. Variables (`${BASE}:${TAG}`) are kept as text;
/// [`ImageRef::has_variables`] tells transforms to be careful.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// The reference as written.
    pub text: String,
    /// Where it stands in the source.
    pub span: Span,
    /// `ghcr.io` in `ghcr.io/owner/app:1`; `None` for Docker Hub short names.
    pub registry: Option<String>,
    /// `owner/app`, `library/python` stays `python`.
    pub name: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    pub fn parse(text: &str, span: Span) -> ImageRef {
        let (rest, digest) = match text.split_once('@') {
            Some((r, d)) => (r, Some(d.to_string())),
            None => (text, None),
        };
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (path, tag) = match rest[last_slash..].rfind(':') {
            // A `:` inside `${VAR:-x}` is not a tag separator.
            Some(i) if !inside_braces(&rest[last_slash..], i) => (
                &rest[..last_slash + i],
                Some(rest[last_slash + i + 1..].to_string()),
            ),
            _ => (rest, None),
        };
        let (registry, name) = match path.split_once('/') {
            Some((first, tail))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                (Some(first.to_string()), tail.to_string())
            }
            _ => (None, path.to_string()),
        };
        ImageRef {
            text: text.to_string(),
            span,
            registry,
            name,
            tag,
            digest,
        }
    }

    /// `scratch` is not an image but an empty filesystem.
    pub fn is_scratch(&self) -> bool {
        self.text.eq_ignore_ascii_case("scratch")
    }

    pub fn has_variables(&self) -> bool {
        self.text.contains('$')
    }

    /// The name without a `library/` or `docker.io/library/` prefix.
    pub fn short_name(&self) -> &str {
        self.name.strip_prefix("library/").unwrap_or(&self.name)
    }
}

fn inside_braces(s: &str, i: usize) -> bool {
    let before = &s[..i];
    before.matches("${").count() > before.matches('}').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> ImageRef {
        ImageRef::parse(s, 0..s.len())
    }

    #[test]
    fn parts() {
        let r = p("python:3.12");
        assert_eq!(
            (r.registry, r.name.as_str(), r.tag.as_deref()),
            (None, "python", Some("3.12"))
        );
        let r = p("ghcr.io/o/app:1@sha256:abc");
        assert_eq!(r.registry.as_deref(), Some("ghcr.io"));
        assert_eq!(r.name, "o/app");
        assert_eq!(r.tag.as_deref(), Some("1"));
        assert_eq!(r.digest.as_deref(), Some("sha256:abc"));
        let r = p("localhost:5000/app");
        assert_eq!(r.registry.as_deref(), Some("localhost:5000"));
        assert_eq!(r.tag, None);
        let r = p("${BASE}:${TAG}");
        assert!(r.has_variables());
        assert_eq!(r.name, "${BASE}");
        assert_eq!(r.tag.as_deref(), Some("${TAG}"));
        let r = p("${IMG:-debian}");
        assert_eq!(r.tag, None);
        assert!(p("SCRATCH").is_scratch());
        assert_eq!(p("library/node:20").short_name(), "node");
    }
}
