//! The glibc runtime of a dynamic binary: its release and packages.

/// Whether the glibc runtime of a build on `img` is the builder's own
/// release (a `debian`/`ubuntu` tag, or one naming a Debian codename), so
/// the packages apt installed there have the same names and versions.
pub(super) fn same_release(img: &crate::syntax::ImageRef) -> bool {
    match img.short_name() {
        // `debian:latest` and the `stable-slim` runtime track the same
        // release; an Ubuntu runtime is the builder's own image.
        "debian" | "ubuntu" => true,
        _ => img.tag.as_deref().is_some_and(|t| {
            t.split('-')
                .any(|p| ["buster", "bullseye", "bookworm", "trixie", "forky"].contains(&p))
        }),
    }
}

/// The Debian release of a `debian:<release>[-slim]` runtime image.
pub(super) fn debian_release(image: &str, r: &crate::data::BinaryRecipe) -> Option<String> {
    let tag = image.strip_prefix("debian:")?;
    let rel = tag.strip_suffix("-slim").unwrap_or(tag);
    Some(match rel {
        "stable" => r.stable_release.clone(),
        "12" => "bookworm".into(),
        "13" => "trixie".into(),
        _ => rel.to_string(),
    })
}

/// The library packages the runtime installs for `keys` (`-sys` crates,
/// `-dev` packages, `-lNAME`), in the runtime image's release.
pub(super) fn runtime_packages(
    keys: &[String],
    r: &crate::data::BinaryRecipe,
    builder: &crate::data::BuilderPackages,
    image: &str,
) -> Result<Vec<String>, String> {
    let release = debian_release(image, r);
    let mut out: Vec<String> = Vec::new();
    for k in keys {
        let known = r
            .cargo_sys_libraries
            .get(k)
            .or_else(|| r.runtime_libraries.get(k));
        let package = match known {
            Some(p) => match release.as_deref().map_or_else(
                || match p {
                    crate::data::ReleasePackage::All(one) => Some(one.as_str()),
                    crate::data::ReleasePackage::ByRelease(_) => None,
                },
                |rel| p.for_release(rel),
            ) {
                Some(p) => p.to_string(),
                None => {
                    return Err(format!(
                        "the runtime `{image}` needs the library of `{k}`, whose package there \
                         dslim does not know"
                    ))
                }
            },
            None => match builder.runtime_libraries.get(k).filter(|p| !p.is_empty()) {
                Some(p) => p.clone(),
                None => {
                    return Err(format!(
                        "the binary may link the shared library of `{k}`, which `{image}` lacks \
                         and dslim has no package for (`[binary] cargo-sys-libraries` / \
                         `runtime-libraries` in transforms/stages.toml)"
                    ))
                }
            },
        };
        if !package.is_empty() && !out.contains(&package) {
            out.push(package);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_packages_per_release() {
        let data = crate::data::builtin();
        let r = &data.stages.binary;
        let b = &data.stages.builder;
        let keys = |k: &[&str]| k.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            runtime_packages(&keys(&["openssl-sys"]), r, b, "debian:bookworm-slim"),
            Ok(vec!["libssl3".to_string()])
        );
        assert_eq!(
            runtime_packages(&keys(&["-lssl", "-lcrypto"]), r, b, "debian:stable-slim"),
            Ok(vec!["libssl3t64".to_string()])
        );
        assert_eq!(
            runtime_packages(&keys(&["zlib1g-dev", "-lz"]), r, b, "debian:12-slim"),
            Ok(vec![])
        );
        // Only `[builder.runtime-libraries]` knows it: its package is used.
        assert_eq!(
            runtime_packages(&keys(&["libxml2-dev"]), r, b, "debian:bookworm-slim"),
            Ok(vec!["libxml2".to_string()])
        );
        assert!(runtime_packages(&keys(&["libgit2-sys"]), r, b, "debian:bookworm-slim").is_err());
        // Ubuntu: per-release names are unknown.
        assert!(runtime_packages(&keys(&["-lcurl"]), r, b, "ubuntu:24.04").is_err());
        assert_eq!(
            runtime_packages(&keys(&["-lsqlite3"]), r, b, "ubuntu:24.04"),
            Ok(vec!["libsqlite3-0".to_string()])
        );
    }
}
