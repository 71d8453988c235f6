//! The runtime of a binary: `scratch` for a static one with nothing to
//! install, the builder's Alpine release for a musl one, else the slim
//! image of the builder's release with the libraries and packages it needs.

use super::super::facts::{
    alpine_runtime, alpine_runtime_packages, glibc_runtime, named_non_root_user, numeric_user,
    shell_form, AptFacts,
};
use super::super::StageFacts;
use super::c::{c_libraries, c_static_libstdcxx, CBuild};
use super::Lang;

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

/// What the choice of a binary's runtime reads.
#[derive(Clone, Copy)]
pub(super) struct Choice<'a, 'd> {
    pub(super) f: &'a StageFacts<'d>,
    pub(super) data: &'a crate::data::Stages,
    pub(super) lang: Lang,
    pub(super) apt: &'a AptFacts,
    pub(super) img: &'a crate::syntax::ImageRef,
    /// An Alpine (musl) builder.
    pub(super) alpine: bool,
    /// The binary is static.
    pub(super) cgo_off: bool,
    pub(super) static_here: Option<bool>,
    pub(super) c_links: &'a [String],
    pub(super) c_build: Option<&'a CBuild>,
    /// What apt installs beside the build tools ([`carried_apt`]).
    pub(super) carry: &'a [String],
    /// The builder image has a CA bundle of its own.
    pub(super) has_certificates: bool,
    pub(super) cert_note: &'a str,
    /// The build context has a Cargo.lock (its `-sys` crates are read).
    pub(super) cargo_lock: bool,
    pub(super) programs: &'a [&'a str],
}

/// A static binary with nothing to install: `scratch`. (The image, the note.)
pub(super) fn on_scratch_runtime(x: &Choice) -> Result<(String, String), String> {
    let Choice {
        f,
        data,
        lang,
        alpine,
        static_here,
        cert_note,
        ..
    } = *x;
    let r = &data.binary;
    let mut note = String::new();
    // A HEALTHCHECK that runs a command was refused before any runtime
    // was chosen (`binary::split`).
    if let Some(k) = shell_form(f) {
        return Err(format!(
            "the shell-form {k} needs a shell the `scratch` runtime lacks"
        ));
    }
    if !numeric_user(f) {
        return Err(
            "a named USER does not exist in a `scratch` runtime (use a numeric uid)".into(),
        );
    }
    note.push_str(match lang {
        Lang::Go => " (static binary: CGO_ENABLED=0",
        Lang::C => " (static binary: -static",
        Lang::Rust if alpine && static_here.is_none() => {
            " (static binary: the musl host target of `rust:*-alpine`, `crt-static` on by \
             default, and neither the stage nor the build context's `.cargo/config.toml` \
             turns it off"
        }
        Lang::Rust => " (static binary: musl target",
    });
    note.push_str(cert_note);
    note.push(')');
    Ok((r.static_runtime.clone(), note))
}

/// A musl binary: the builder's Alpine release, which has no compiler (that
/// came from `apk add`), with the packages apk installed for the program
/// and, for a dynamic binary, the libraries it links.
pub(super) fn on_alpine(
    x: &Choice,
    head: &mut Vec<String>,
    lib_keys: &mut Vec<String>,
    cxx: &mut bool,
) -> Result<(String, String), String> {
    let Choice {
        f,
        data,
        lang,
        apt,
        img,
        cgo_off,
        static_here,
        c_links,
        c_build,
        cert_note,
        programs,
        ..
    } = *x;
    let r = &data.binary;
    let mut note = String::new();
    // A musl binary: it runs on the builder's Alpine release, which has
    // no compiler (that came from `apk add`).
    let Some((image, pin)) = alpine_runtime(img) else {
        return Err(format!(
            "the Alpine release of the builder (`{}`) is unknown",
            img.text
        ));
    };
    if lang == Lang::C {
        let (keys, cpp) = c_libraries(f, &AptFacts::default(), &[], c_build)?;
        lib_keys.extend(keys);
        *cxx |= cpp || c_links.iter().any(|l| l == "-lstdc++");
    }
    if let Some(k) = lib_keys.first() {
        return Err(format!("the binary links `{k}`, a library `{image}` lacks"));
    }
    if named_non_root_user(f) {
        return Err("a named USER does not exist in the runtime image".into());
    }
    // The runtime packages apk installed, and for a dynamic binary the
    // libraries of the `-dev` packages and `-lNAME`s.
    let links = musl_links(c_links, lang, cgo_off);
    let mut packages = alpine_runtime_packages(apt, data, &image, programs, !cgo_off, &links)?;
    note.push_str(musl_note(lang, cgo_off, static_here, img));
    // The Alpine image has its own CA bundle (`ca-certificates-bundle`).
    head.retain(|l| !l.contains(r.certificates.as_str()));
    if lang == Lang::C && *cxx {
        packages.insert(0, "libstdc++".to_string());
        note.push_str("; installs libstdc++ for the C++ binary");
    }
    note.push_str(&apk_carried_note(&packages));
    if !packages.is_empty() {
        head.insert(0, format!("RUN apk add --no-cache {}", packages.join(" ")));
    }
    note.push_str(pin);
    note.push_str(cert_note);
    note.push(')');
    Ok((image, note))
}

/// The note's account of the packages the musl runtime installs as the
/// builder did (all but the libstdc++ of a C++ binary).
fn apk_carried_note(packages: &[String]) -> String {
    let carried: Vec<&str> = packages
        .iter()
        .map(String::as_str)
        .filter(|p| *p != "libstdc++")
        .collect();
    if carried.is_empty() {
        return String::new();
    }
    format!("; installs {} as the builder did (apk)", carried.join(" "))
}

/// The `-lNAME`s whose libraries a musl runtime installs: not libstdc++
/// (the C++ case installs it itself) nor libgcc_s, unless a dynamic musl
/// Rust binary unwinds with it.
fn musl_links(c_links: &[String], lang: Lang, cgo_off: bool) -> Vec<String> {
    let mut links: Vec<String> = c_links
        .iter()
        .filter(|l| *l != "-lstdc++" && *l != "-lgcc_s")
        .cloned()
        .collect();
    if lang == Lang::Rust && !cgo_off {
        links.push("-lgcc_s".into());
    }
    links
}

/// The opening of a musl split's note: static or not, and why.
fn musl_note(
    lang: Lang,
    cgo_off: bool,
    static_here: Option<bool>,
    img: &crate::syntax::ImageRef,
) -> &'static str {
    match (lang, cgo_off) {
        (_, true) => {
            " (static binary, on the builder's Alpine release for the packages apk installed"
        }
        (Lang::Go, false) => {
            " (cgo may be on: musl runtime of the builder's Alpine release; set \
         CGO_ENABLED=0 for `scratch`"
        }
        (Lang::C, false) => " (musl runtime of the builder's Alpine release, without the compiler",
        (Lang::Rust, false) if static_here.is_none() && img.short_name() == "alpine" => {
            " (musl runtime of the builder's Alpine release, without the toolchain: Alpine's \
         own Rust links dynamically (`crt-static` is off by default for its \
         `*-alpine-linux-musl` target), so the runtime installs libgcc"
        }
        (Lang::Rust, false) if static_here.is_none() => {
            " (musl runtime of the builder's Alpine release, without the toolchain: the \
         binary is static unless `crt-static` is turned off, which dslim cannot rule \
         out without the build context's `.cargo/config.toml` or with `-dev` libraries, \
         so it runs where musl and those libraries are"
        }
        (Lang::Rust, false) => {
            " (musl runtime of the builder's Alpine release, without the toolchain"
        }
    }
}

/// A glibc binary (or a static one beside packages to install): the slim
/// image of the builder's release, with the libraries the binary links and
/// the packages apt installs beside the build tools.
pub(super) fn on_glibc(
    x: &Choice,
    head: &mut Vec<String>,
    lib_keys: &mut Vec<String>,
    cxx: &mut bool,
) -> Result<(String, String), String> {
    let Choice {
        f,
        data,
        lang,
        apt,
        img,
        cgo_off,
        has_certificates,
        cert_note,
        cargo_lock,
        ..
    } = *x;
    if lang == Lang::C {
        c_glibc_libraries(x, lib_keys, cxx)?;
    }
    if let Some(dev) = apt
        .dev_library()
        .filter(|_| !cargo_lock && lang != Lang::C && !cgo_off)
    {
        return Err(format!(
            "the binary may link a library apt installs in the builder (`{dev}`), which \
             the runtime lacks"
        ));
    }
    if named_non_root_user(f) {
        return Err("a named USER does not exist in the runtime image".into());
    }
    let Some(image) = glibc_runtime(img, &data.binary) else {
        return Err(format!(
            "no slim image of the builder's release (`{}`) is known",
            img.text
        ));
    };
    let (packages, carried) = glibc_packages(x, lib_keys, &image)?;
    if lang == Lang::C && !packages.is_empty() && apt.recommends && !has_certificates {
        return Err(
            "the builder may have a CA bundle from packages apt installs as \
             recommendations, which the libraries the binary links may use; install \
             `ca-certificates` explicitly (dslim then copies it) or add \
             `--no-install-recommends`"
                .into(),
        );
    }
    let mut note = glibc_note(lang, cgo_off).to_string();
    if !packages.is_empty() {
        note.push_str(&glibc_installs_note(&packages, &carried, lib_keys));
        // Carried packages come with their recommendations when the
        // builder's did.
        let recommends = !carried.is_empty() && apt.recommends;
        head.insert(0, apt_install_line(&packages, recommends));
    }
    note.push_str(cert_note);
    note.push(')');
    Ok((image, note))
}

/// The libraries a C binary links (into `lib_keys`), and whether it is
/// C++. `Err`: one the runtime cannot get, or a C++ binary of the `gcc`
/// image linking its newer libstdc++.
fn c_glibc_libraries(x: &Choice, lib_keys: &mut Vec<String>, cxx: &mut bool) -> Result<(), String> {
    let (keys, cpp) = c_libraries(x.f, x.apt, x.c_links, x.c_build)?;
    lib_keys.extend(keys);
    *cxx |= cpp;
    if x.img.short_name() == "gcc" && *cxx && !x.cgo_off && !c_static_libstdcxx(x.f) {
        return Err(
            "a C++ binary from the `gcc` image links its newer libstdc++ (in \
             /usr/local/lib64), which a Debian slim runtime has only in an older \
             version (`GLIBCXX_…` not found at start): link with `-static-libstdc++`, \
             or build on `debian:<release>` with its `g++`"
                .into(),
        );
    }
    Ok(())
}

/// What the glibc runtime `image` installs: the packages of the libraries
/// `lib_keys`, then what apt installs beside the build tools (the second
/// list: those of them not already among the libraries'). `Err`: a library
/// without a known package, or carried packages the runtime's release may
/// not have.
fn glibc_packages(
    x: &Choice,
    lib_keys: &[String],
    image: &str,
) -> Result<(Vec<String>, Vec<String>), String> {
    let mut packages = runtime_packages(lib_keys, &x.data.binary, &x.data.builder, image)?;
    if let Some(p) = x.carry.first() {
        // The same package names exist only in the builder's own release.
        if !same_release(x.img) {
            return Err(format!(
                "apt installs `{p}` in the builder, which the runtime would lack, and the \
                 builder's tag names no Debian release, so the runtime `{image}` may not \
                 have the same packages"
            ));
        }
    }
    let carried: Vec<String> = x
        .carry
        .iter()
        .filter(|p| !packages.contains(p))
        .cloned()
        .collect();
    packages.extend(carried.iter().cloned());
    Ok((packages, carried))
}

/// The opening of a glibc split's note: static or not.
fn glibc_note(lang: Lang, cgo_off: bool) -> &'static str {
    match lang {
        _ if cgo_off => {
            " (static binary, on the builder's release for the packages apt installs \
             beside the build tools"
        }
        Lang::Go => " (cgo may be on: glibc runtime; set CGO_ENABLED=0 for `scratch`",
        Lang::C => " (glibc runtime without the compiler",
        Lang::Rust => " (glibc runtime without the toolchain",
    }
}

/// The note's account of what the glibc runtime installs: the libraries
/// (for `lib_keys`), and the `carried` packages apt installs beside the
/// build tools.
fn glibc_installs_note(packages: &[String], carried: &[String], lib_keys: &[String]) -> String {
    let mut note = String::new();
    let libs: Vec<&String> = packages.iter().filter(|p| !carried.contains(p)).collect();
    if !libs.is_empty() {
        note.push_str(&format!(
            "; installs {} for {}",
            libs.iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            lib_keys.join(", ")
        ));
    }
    if !carried.is_empty() {
        note.push_str(&format!(
            "; installs {} as the builder does (apt installs {} there beside the build \
             tools; the program may use {})",
            carried.join(" "),
            if carried.len() == 1 { "it" } else { "them" },
            if carried.len() == 1 { "it" } else { "them" },
        ));
    }
    note
}

/// The runtime's RUN installing `packages` with apt (`recommends`: with
/// their recommended packages).
fn apt_install_line(packages: &[String], recommends: bool) -> String {
    let flag = if recommends {
        ""
    } else {
        " --no-install-recommends"
    };
    format!(
        "RUN apt-get update && apt-get install -y{flag} {} && rm -rf /var/lib/apt/lists/*",
        packages.join(" ")
    )
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
