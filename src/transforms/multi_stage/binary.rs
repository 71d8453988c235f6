//! Compiled programs (Go, C-like, Rust): the binary, not the toolchain, goes to the runtime.

use crate::edit::Applicability;
use crate::syntax::Keyword;

use super::super::runedit;
use super::facts::{
    alpine_carries_packages, alpine_runtime, alpine_runtime_packages, glibc_runtime,
    named_non_root_user, numeric_user, program, shell_form, started_programs, AptFacts,
};
use super::go::{binary_name, go_call, tag_version, GoCall};
use super::{join, words, Facts, Split};
use crate::shell::SimpleCommand;

/// Compiled languages whose binary is copied to the runtime.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Lang {
    Go,
    /// `gcc|cc|g++|c++|clang|clang++ … -o FILE` on a Debian/Ubuntu/gcc image.
    C,
    /// `cargo build --release`, on a `rust` image or with Debian's `cargo`.
    Rust,
}

impl Lang {
    pub(super) fn name(self) -> &'static str {
        match self {
            Lang::Go => "Go",
            Lang::C => "C",
            Lang::Rust => "Rust",
        }
    }
}

const C_COMPILERS: &[&str] = &["gcc", "cc", "g++", "c++", "clang", "clang++"];
/// Libraries every glibc runtime has.
const C_BASE_LIBS: &[&str] = &["-lm", "-lc", "-lpthread", "-ldl", "-lrt"];

/// Whether `w` compiles, and whether it links statically.
fn compile_call(lang: Lang, w: &[&str]) -> bool {
    match lang {
        Lang::Go => w.first() == Some(&"go") && w.get(1) == Some(&"build"),
        Lang::C => w.first().is_some_and(|c| C_COMPILERS.contains(c)),
        Lang::Rust => w.first() == Some(&"cargo") && w.get(1) == Some(&"build"),
    }
}

/// The binary a `cargo build` made, as the CMD/ENTRYPOINT names it: cargo
/// writes to `<target-dir>/[<triple>/]release/`, where the target dir
/// depends on workspaces, `--manifest-path` and `CARGO_TARGET_DIR`, so the
/// path the program is started from is the one to trust (the original image
/// works only if the binary is there). `Ok((path, static))`: `static` is
/// whether `--target` names a musl target, `None` without `--target` (the
/// host's: musl and static by default on `rust:*-alpine`).
fn cargo_binary(f: &Facts, w: &[&str]) -> Result<(String, Option<bool>), String> {
    let release = w.iter().enumerate().any(|(k, a)| {
        matches!(*a, "--release" | "-r" | "--profile=release")
            || *a == "--profile" && w.get(k + 1) == Some(&"release")
    });
    if !release {
        return Err("`cargo build` without `--release`".into());
    }
    let triple = w.iter().enumerate().find_map(|(k, a)| {
        if *a == "--target" {
            w.get(k + 1).copied()
        } else {
            a.strip_prefix("--target=")
        }
    });
    let prog = match program(f)? {
        Some(p) => p,
        None => return Err("no CMD or ENTRYPOINT runs the binary".into()),
    };
    let path = if prog.starts_with('/') {
        prog.clone()
    } else if prog.contains('/') {
        match &f.workdir {
            Some(w) => join(w, &prog),
            None => return Err("the binary's path is relative to an unknown folder".into()),
        }
    } else {
        return Err(format!(
            "the CMD/ENTRYPOINT runs `{prog}` by name, not a binary `cargo build` wrote"
        ));
    };
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    let in_release = match triple {
        Some(t) => dir.ends_with(&format!("/{t}/release")),
        None => dir.ends_with("/release"),
    };
    if !in_release {
        return Err(format!(
            "the CMD/ENTRYPOINT runs `{prog}`, not a binary in cargo's `release` folder"
        ));
    }
    Ok((path, triple.map(|t| t.contains("musl"))))
}

/// A compiled program: the binary, not the toolchain, goes to the runtime.
pub(super) fn binary(
    f: &Facts,
    data: &crate::data::Stages,
    lang: Lang,
    apt: &AptFacts,
) -> Option<Result<Split, String>> {
    let r = &data.binary;
    // C: `-lNAME` of the compiler calls, a C++ compiler, a make/cmake
    // build (whose binary the CMD names).
    let mut c_links: Vec<String> = Vec::new();
    let mut cxx = false;
    let mut c_build: Option<(usize, CBuild)> = None;
    // The RUN that writes the binary, and the binary's path.
    let mut found = None;
    for ins in f.runs() {
        let i = f.index(ins);
        let Some(script) = f.model.script(i) else {
            for (l, cmd) in [
                (Lang::Go, "go build"),
                (Lang::Go, "go install"),
                (Lang::Rust, "cargo build"),
                (Lang::Rust, "cargo install"),
            ] {
                if lang == l && ins.logical.text.contains(cmd) {
                    return Some(Err(format!("the RUN with `{cmd}` cannot be read")));
                }
            }
            continue;
        };
        let cd = script.commands.iter().any(|c| c.name() == Some("cd"));
        for c in &script.commands {
            let w = words(c);
            if lang == Lang::Go {
                let Some(g) = go_call(&w) else {
                    continue;
                };
                match go_output(f, &g, c, i, cd) {
                    Ok((bin, static_)) => found = Some((i, bin, static_)),
                    Err(e) => return Some(Err(e)),
                }
                continue;
            }
            if lang == Lang::Rust && w.first() == Some(&"cargo") && w.get(1) == Some(&"install") {
                match cargo_install(f, &w, i, cd) {
                    Ok((path, static_)) => found = Some((i, path, static_)),
                    Err(e) => return Some(Err(e)),
                }
                continue;
            }
            // `make && install app /usr/local/bin/`: a built file put by
            // its absolute path.
            if lang == Lang::C && matches!(w.first(), Some(&("cp" | "mv" | "install"))) {
                if let Some((_, b)) = c_build.as_mut().filter(|(_, b)| b.built) {
                    // (`install -m MODE`: the mode is no file.)
                    let args: Vec<&str> = w[1..]
                        .iter()
                        .enumerate()
                        .filter(|(k, a)| !a.starts_with('-') && (*k == 0 || w[*k] != "-m"))
                        .map(|(_, a)| *a)
                        .collect();
                    if let [srcs @ .., dest] = &args[..] {
                        let literal = !dest.contains('\u{0}') && dest.starts_with('/');
                        let plain_flags = w[1..]
                            .iter()
                            .filter(|a| a.starts_with('-'))
                            .all(|a| matches!(*a, "-v" | "-f" | "-p" | "-s" | "-m" | "-D"));
                        if literal && plain_flags && !srcs.is_empty() && !w.contains(&"-t") {
                            for src in srcs.iter().filter(|s| !s.contains('\u{0}')) {
                                let name = src.rsplit('/').next().unwrap_or(src);
                                let into_dir = dest.ends_with('/')
                                    || srcs.len() > 1
                                    || r.path_dirs.iter().any(|d| d == dest.trim_end_matches('/'));
                                let to = if into_dir {
                                    join(dest, name)
                                } else {
                                    join("/", dest)
                                };
                                b.placed.push(to);
                            }
                        }
                    }
                }
            }
            if lang == Lang::C {
                match c_build_call(
                    f,
                    &w,
                    &c.words.iter().map(|x| x.raw.as_str()).collect::<Vec<_>>(),
                    i,
                    c_build.clone().map(|(_, b)| b),
                ) {
                    Ok(Some(b)) => {
                        c_build = Some((i, b));
                        continue;
                    }
                    Ok(None) => {}
                    Err(e) => return Some(Err(e)),
                }
            }
            if !compile_call(lang, &w) {
                continue;
            }
            if lang == Lang::C {
                if w.iter().any(|a| a.contains('\u{0}')) {
                    return Some(Err(
                        "the compiler call has words that are not literal (`$(pkg-config …)`): \
                         what it links is unknown"
                            .into(),
                    ));
                }
                cxx |= matches!(w[0], "g++" | "c++" | "clang++");
                // `-lfoo` (not Go's `-ldflags`).
                c_links.extend(
                    w.iter()
                        .filter(|a| a.starts_with("-l") && !C_BASE_LIBS.contains(a))
                        .map(|a| a.to_string()),
                );
            }
            if lang == Lang::C && !w.contains(&"-o") {
                continue; // an object file, or a.out
            }
            if lang == Lang::Rust {
                match cargo_binary(f, &w) {
                    // An absolute path: `cd` in the RUN does not matter.
                    Ok((path, static_)) => found = Some((i, path, static_)),
                    Err(e) => return Some(Err(e)),
                }
                continue;
            }
            let out = w.iter().enumerate().find_map(|(k, a)| {
                if *a == "-o" {
                    w.get(k + 1).copied()
                } else {
                    a.strip_prefix("-o=")
                }
            });
            let Some(out) = out.filter(|o| !o.contains('\u{0}') && !o.ends_with('/')) else {
                return Some(Err(
                    "the compiler has no literal `-o FILE`: the binary's path is unknown".into(),
                ));
            };
            let bin = if out.starts_with('/') {
                out.to_string()
            } else {
                match f.cwd_at(i) {
                    Some(w) if !cd => join(&w, out),
                    _ => {
                        return Some(Err(
                            "the binary's path is relative to an unknown folder".into()
                        ))
                    }
                }
            };
            found = Some((i, bin, Some(w.contains(&"-static"))));
        }
    }
    if let Some((ci, cb)) = &c_build {
        if found.as_ref().is_none_or(|(fi, _, _)| ci >= fi) {
            match c_build_binary(f, cb, r) {
                Ok(bin) => found = Some((*ci, bin, Some(cb.static_))),
                Err(e) => return Some(Err(e)),
            }
        }
    }
    let (at, bin, static_here) = found?;
    if let Some(why) = after_build(f, at, &bin) {
        return Some(Err(why));
    }
    let build_run = &f.doc.instructions()[at];
    let mount_wd = f.workdir_at(at).unwrap_or_else(|| "/".into());
    if runedit::mount_targets(build_run)
        .iter()
        .map(|t| join(&mount_wd, t))
        .any(|t| bin == t || bin.starts_with(&format!("{}/", t.trim_end_matches('/'))))
    {
        return Some(Err(
            "the binary is written into a RUN --mount, which the image does not keep".into(),
        ));
    }
    let prog = match program(f) {
        Ok(Some(p)) => p,
        Ok(None) => return Some(Err("no CMD or ENTRYPOINT runs the binary".into())),
        Err(e) => return Some(Err(e)),
    };
    // Where the runtime gets the binary: where the builder has it, or, for
    // a program started by name from a folder only the builder's PATH has
    // (`/go/bin`), a folder of the default PATH.
    let mut dest = bin.clone();
    let runs_bin = if prog.contains('/') {
        f.cwd_at(f.end).is_some_and(|wd| join(&wd, &prog) == bin)
    } else {
        let (dir, name) = bin.rsplit_once('/').unwrap_or(("", &bin));
        let image_path = lang == Lang::Go && f.doc.stages()[0].image.short_name() == "golang";
        let cargo_path = lang == Lang::Rust
            && f.doc.stages()[0].image.short_name() == "rust"
            && dir == RUST_IMAGE_CARGO_BIN;
        if name == prog && (image_path && dir == "/go/bin" || cargo_path) {
            dest = format!("/usr/local/bin/{name}");
        }
        name == prog && (r.path_dirs.iter().any(|d| d == dir) || dest != bin)
    };
    if !runs_bin {
        return Some(Err(format!(
            "the CMD/ENTRYPOINT runs `{prog}`, not the built `{bin}`"
        )));
    }
    // CGO_ENABLED: set on the build command, else the last ENV before it.
    let env_cgo_off = || {
        f.env_before(at, "CGO_ENABLED")
            .is_some_and(|v| v.as_deref() == Some("0"))
    };
    let img = &f.doc.stages()[0].image;
    // An Alpine builder (`alpine`, `golang:…-alpine`): its binary links musl.
    let alpine =
        img.short_name() == "alpine" || img.tag.as_deref().is_some_and(|t| t.contains("alpine"));
    let builder = &data.builder;
    let cgo_off = match (lang, static_here) {
        (_, Some(s)) => s,
        (Lang::Rust, None) => alpine && rust_alpine_static(f, apt, builder),
        (_, None) => env_cgo_off(),
    };
    if lang == Lang::Rust && alpine && static_here == Some(false) {
        return Some(Err(
            "`cargo build --target` of a glibc target on an Alpine (musl) builder".into(),
        ));
    }
    // What apt installs stays in the builder: only build tools may.
    if apt.opaque {
        return Some(Err(
            "an apt install dslim cannot read may add what the program needs at run time".into(),
        ));
    }
    // What apt installs beside the build tools may be used at run time: the
    // runtime installs it too (same release, same recommends), unless a
    // later `apt-get remove|purge` took it away again.
    let mut carry: Vec<String> = Vec::new();
    for p in apt.packages.iter().filter(|p| {
        !(builder.only_builds(p)
            || p.starts_with("lib") && p.ends_with("-dev")
            || lang == Lang::C && p.ends_with("-dev"))
    }) {
        if apt.removed.contains(p) || carry.contains(p) {
            continue;
        }
        if p.ends_with("-dev") {
            return Some(Err(format!(
                "apt installs `{p}` in the builder, which the runtime would lack (only build \
                 tools stay behind: `[builder] packages` in transforms/stages.toml)"
            )));
        }
        if apt.pinned.contains(p) {
            return Some(Err(format!(
                "apt installs `{p}` in the builder with a pinned version, which the runtime \
                 would lack (dslim carries only unpinned packages)"
            )));
        }
        carry.push(p.clone());
    }
    if let (Some(p), Some(what)) = (carry.first(), apt.configured) {
        return Some(Err(format!(
            "apt installs `{p}` in the builder, which the runtime would lack, and a RUN \
             configures apt (`{what}`) in a way an install in the runtime stage would not see"
        )));
    }
    // The same for `apk add` (Alpine).
    if apt.apk_opaque {
        return Some(Err(
            "an `apk add` dslim cannot read may add what the program needs at run time".into(),
        ));
    }
    // Packages `apk add` installed for the program (not only to build):
    // the runtime installs them too, so a static binary with some goes
    // onto the builder's Alpine release instead of `scratch`.
    let programs = started_programs(f);
    let programs: Vec<&str> = programs.iter().map(String::as_str).collect();
    let apk_carried = alpine && alpine_carries_packages(apt, data, &programs);
    if f.last(Keyword::Healthcheck)
        .is_some_and(|h| !h.args_text().trim().eq_ignore_ascii_case("none"))
    {
        return Some(Err(
            "the HEALTHCHECK may need programs of the builder the runtime lacks".into(),
        ));
    }
    // What a dynamic Rust binary links comes from its `-sys` crates (on
    // Alpine from the `-dev` packages apk installs: the image has none).
    let mut lib_keys: Vec<String> = Vec::new();
    let cargo_lock = (lang == Lang::Rust && !cgo_off && !alpine)
        .then(|| f.build.and_then(|b| b.text("Cargo.lock")))
        .flatten();
    match &cargo_lock {
        Some(lock) => lib_keys.extend(sys_crates(lock)),
        None if lang == Lang::Rust && !cgo_off && !alpine && img.short_name() == "rust" => {
            return Some(Err(format!(
                "the `{}` image has -dev libraries (OpenSSL, libpq, …) crates may link, which a \
                 slim runtime lacks, and no Cargo.lock in the build context says which `-sys` \
                 crates the program uses (give `--context`); or build for a musl target",
                img.short_name()
            )));
        }
        None => {}
    }
    let has_certificates = r.certificate_images.iter().any(|i| i == img.short_name());
    let mut head = Vec::new();
    let mut note = String::new();
    // A program's HTTPS calls need the CA bundle, which `scratch` and the
    // slim images lack: copy the builder's. The golang/rust/gcc images have
    // one; a Debian or Ubuntu builder only when apt installs
    // `ca-certificates` (with recommended packages it may come along:
    // `apt-cache depends --recurse` on bookworm shows none of the build
    // tools of `[builder]` depending on it, but most recommending it).
    let mut cert_note = "";
    if has_certificates || apt.installs("ca-certificates") {
        head.push(format!(
            "COPY --from={{build}} {} {}",
            r.certificates, r.certificates
        ));
    } else if apt.recommends && lang != Lang::C {
        // (A C program reaches TLS only through a library it links, which
        // `-l…` and `lib…-dev` already refuse.)
        return Some(Err(
            "the builder may have a CA bundle from packages apt installs as \
             recommendations; install `ca-certificates` explicitly (dslim then copies \
             it) or add `--no-install-recommends`"
                .into(),
        ));
    } else {
        cert_note = "; the builder has no CA bundle, so none is copied";
    }

    if let Some(p) = carry.first().filter(|_| alpine) {
        return Some(Err(format!(
            "apt installs `{p}` in the builder, which the musl runtime would lack"
        )));
    }
    // A static binary beside packages the program may run goes onto the
    // builder's slim (or Alpine) release, which can install them.
    let on_scratch = cgo_off && carry.is_empty() && !apk_carried;
    let (image, note) = if on_scratch {
        if f.last(Keyword::Healthcheck)
            .is_some_and(|h| !h.args_text().trim().eq_ignore_ascii_case("none"))
        {
            return Some(Err(
                "the HEALTHCHECK needs programs a `scratch` runtime lacks".into(),
            ));
        }
        if let Some(k) = shell_form(f) {
            return Some(Err(format!(
                "the shell-form {k} needs a shell the `scratch` runtime lacks"
            )));
        }
        if !numeric_user(f) {
            return Some(Err(
                "a named USER does not exist in a `scratch` runtime (use a numeric uid)".into(),
            ));
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
        (r.static_runtime.clone(), note)
    } else if alpine {
        // A musl binary: it runs on the builder's Alpine release, which has
        // no compiler (that came from `apk add`).
        let Some((image, pin)) = alpine_runtime(img) else {
            return Some(Err(format!(
                "the Alpine release of the builder (`{}`) is unknown",
                img.text
            )));
        };
        if lang == Lang::C {
            match c_libraries(
                f,
                &AptFacts::default(),
                &[],
                c_build.as_ref().map(|(_, b)| b),
            ) {
                Ok((keys, cpp)) => {
                    lib_keys.extend(keys);
                    cxx |= cpp || c_links.iter().any(|l| l == "-lstdc++");
                }
                Err(e) => return Some(Err(e)),
            }
        }
        if let Some(k) = lib_keys.first() {
            return Some(Err(format!(
                "the binary links `{k}`, a library `{image}` lacks"
            )));
        }
        if named_non_root_user(f) {
            return Some(Err(
                "a named USER does not exist in the runtime image".into()
            ));
        }
        // The runtime packages apk installed, and for a dynamic binary the
        // libraries of the `-dev` packages and `-lNAME`s.
        let links: Vec<String> = c_links
            .iter()
            .filter(|l| *l != "-lstdc++" && *l != "-lgcc_s")
            .cloned()
            .collect();
        // A dynamic musl Rust binary unwinds with libgcc_s.
        let mut links = links;
        if lang == Lang::Rust && !cgo_off {
            links.push("-lgcc_s".into());
        }
        let mut packages =
            match alpine_runtime_packages(apt, data, &image, &programs, !cgo_off, &links) {
                Ok(p) => p,
                Err(e) => return Some(Err(e)),
            };
        note.push_str(match (lang, cgo_off) {
            (_, true) => {
                " (static binary, on the builder's Alpine release for the packages apk installed"
            }
            (Lang::Go, false) => {
                " (cgo may be on: musl runtime of the builder's Alpine release; set \
                 CGO_ENABLED=0 for `scratch`"
            }
            (Lang::C, false) => {
                " (musl runtime of the builder's Alpine release, without the compiler"
            }
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
        });
        // The Alpine image has its own CA bundle (`ca-certificates-bundle`).
        head.retain(|l| !l.contains(r.certificates.as_str()));
        if lang == Lang::C && cxx {
            packages.insert(0, "libstdc++".to_string());
            note.push_str("; installs libstdc++ for the C++ binary");
        }
        let carried: Vec<&str> = packages
            .iter()
            .map(String::as_str)
            .filter(|p| *p != "libstdc++")
            .collect();
        if !carried.is_empty() {
            note.push_str(&format!(
                "; installs {} as the builder did (apk)",
                carried.join(" ")
            ));
        }
        if !packages.is_empty() {
            head.insert(0, format!("RUN apk add --no-cache {}", packages.join(" ")));
        }
        note.push_str(pin);
        note.push_str(cert_note);
        note.push(')');
        (image, note)
    } else {
        if lang == Lang::C {
            match c_libraries(f, apt, &c_links, c_build.as_ref().map(|(_, b)| b)) {
                Ok((keys, cpp)) => {
                    lib_keys.extend(keys);
                    cxx |= cpp;
                }
                Err(e) => return Some(Err(e)),
            }
            if img.short_name() == "gcc" && cxx && !cgo_off && !c_static_libstdcxx(f) {
                return Some(Err(
                    "a C++ binary from the `gcc` image links its newer libstdc++ (in \
                     /usr/local/lib64), which a Debian slim runtime has only in an older \
                     version (`GLIBCXX_…` not found at start): link with `-static-libstdc++`, \
                     or build on `debian:<release>` with its `g++`"
                        .into(),
                ));
            }
        }
        if let Some(dev) = apt
            .dev_library()
            .filter(|_| cargo_lock.is_none() && lang != Lang::C && !cgo_off)
        {
            return Some(Err(format!(
                "the binary may link a library apt installs in the builder (`{dev}`), which \
                 the runtime lacks"
            )));
        }
        if named_non_root_user(f) {
            return Some(Err(
                "a named USER does not exist in the runtime image".into()
            ));
        }
        let Some(image) = glibc_runtime(img, r) else {
            return Some(Err(format!(
                "no slim image of the builder's release (`{}`) is known",
                img.text
            )));
        };
        let mut packages = match runtime_packages(&lib_keys, r, &data.builder, &image) {
            Ok(p) => p,
            Err(e) => return Some(Err(e)),
        };
        if let Some(p) = carry.first() {
            // The same package names exist only in the builder's own release.
            if !same_release(img) {
                return Some(Err(format!(
                    "apt installs `{p}` in the builder, which the runtime would lack, and the \
                     builder's tag names no Debian release, so the runtime `{image}` may not \
                     have the same packages"
                )));
            }
        }
        let carried: Vec<String> = carry
            .iter()
            .filter(|p| !packages.contains(p))
            .cloned()
            .collect();
        packages.extend(carried.iter().cloned());
        if lang == Lang::C && !packages.is_empty() && apt.recommends && !has_certificates {
            return Some(Err(
                "the builder may have a CA bundle from packages apt installs as \
                 recommendations, which the libraries the binary links may use; install \
                 `ca-certificates` explicitly (dslim then copies it) or add \
                 `--no-install-recommends`"
                    .into(),
            ));
        }
        note.push_str(match lang {
            _ if cgo_off => {
                " (static binary, on the builder's release for the packages apt installs \
                 beside the build tools"
            }
            Lang::Go => " (cgo may be on: glibc runtime; set CGO_ENABLED=0 for `scratch`",
            Lang::C => " (glibc runtime without the compiler",
            Lang::Rust => " (glibc runtime without the toolchain",
        });
        if !packages.is_empty() {
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
            // Carried packages come with their recommendations when the
            // builder's did.
            let flag = if !carried.is_empty() && apt.recommends {
                ""
            } else {
                " --no-install-recommends"
            };
            head.insert(
                0,
                format!(
                    "RUN apt-get update && apt-get install -y{flag} {} && rm -rf /var/lib/apt/lists/*",
                    packages.join(" ")
                ),
            );
        }
        note.push_str(cert_note);
        note.push(')');
        (image, note)
    };
    let mut note = note;
    if alpine {
        note.push_str(super::NOT_BUILT_ALPINE);
    }
    head.push(format!("COPY --from={{build}} {bin} {dest}"));
    // The program ran in the image's own WORKDIR (`/go`): so it does here.
    let image_wd = f.image_workdir();
    if image_wd != "/" && !f.instrs().iter().any(|i| i.keyword == Keyword::Workdir) {
        head.push(format!("WORKDIR {image_wd}"));
    }
    Some(Ok(Split {
        lang: lang.name(),
        runtime_image: image,
        builder_head: Vec::new(),
        builder_head_at: None,
        builder_tail: Vec::new(),
        runtime_head: head,
        runtime_tail: Vec::new(),
        applicability: Applicability::Unsafe,
        note,
    }))
}

/// The binary a `go build|install|get` writes, and whether the command
/// itself says it is static (`CGO_ENABLED=0` on it, `-extldflags -static`;
/// `None`: the ENV decides).
fn go_output(
    f: &Facts,
    g: &GoCall,
    c: &SimpleCommand,
    at: usize,
    cd: bool,
) -> Result<(String, Option<bool>), String> {
    let assigned = |key: &str| {
        c.assignments.iter().rev().find_map(|a| {
            let (k, _) = a.raw.split_once('=')?;
            (k == key).then(|| {
                a.literal
                    .as_deref()
                    .and_then(|l| l.split_once('='))
                    .map(|(_, v)| v.to_string())
            })
        })
    };
    let static_ = if g.static_ldflags {
        Some(true)
    } else {
        assigned("CGO_ENABLED").map(|v| v.as_deref() == Some("0"))
    };
    let unknown_dir = || "the binary's path is relative to an unknown folder".to_string();
    let mut cwd = f.cwd_at(at).ok_or_else(unknown_dir)?;
    if let Some(d) = g.dir {
        if d.contains('\u{0}') {
            return Err("`go -C` names a folder that is not literal".into());
        }
        cwd = join(&cwd, d).trim_end_matches('/').to_string();
    }
    // go.mod names the module of the context's root, the folder a
    // `COPY . .` fills; `-C` builds another folder.
    let module = if g.dir.is_none() {
        f.go_module.as_deref()
    } else {
        None
    };
    let name = || -> Result<String, String> {
        if g.packages.len() > 1 {
            return Err(format!(
                "`go {}` of several packages: which binary the program is, is unknown",
                g.sub
            ));
        }
        // `go install ./...` writes a binary per main package into GOBIN,
        // each named after its folder: the root package's is the one a
        // CMD running that name starts (the check below compares them).
        let pkg = match g.packages.first().copied() {
            Some("./...") if g.sub != "build" => None,
            p => p,
        };
        binary_name(pkg, module, &cwd).ok_or_else(|| {
            format!(
                "the name of the binary `go {}` writes is unknown (give it `-o FILE`)",
                g.sub
            )
        })
    };
    if g.sub == "build" {
        // After a `cd` only an absolute, literal `-o FILE` is known
        // (`cd /src && go build -o /usr/local/bin/app .`).
        let absolute = g
            .out
            .is_some_and(|o| o.starts_with('/') && !o.contains('\u{0}') && !o.ends_with('/'));
        if cd && !absolute {
            return Err(unknown_dir());
        }
        return match g.out {
            Some(o) if o.contains('\u{0}') => Err(
                "`go build -o` names a path that is not literal: the binary's path is unknown"
                    .into(),
            ),
            Some(o) if o.ends_with('/') => Ok((join(&join(&cwd, o), &name()?), static_)),
            Some(o) => Ok((join(&cwd, o), static_)),
            None => Ok((join(&cwd, &name()?), static_)),
        };
    }
    let img = &f.doc.stages()[0].image;
    let golang = img.short_name() == "golang";
    if g.sub == "get" && !(golang && tag_version(img.tag.as_deref()).is_some_and(|v| v <= (1, 17)))
    {
        return Err(
            "`go get` installs no binary since Go 1.18 (the image's Go is newer or unknown): use \
             `go install PACKAGE@VERSION`"
                .into(),
        );
    }
    for key in ["GOOS", "GOARCH"] {
        if assigned(key).is_some() || f.env_before(at, key).is_some() {
            return Err(format!(
                "`go {}` with {key} set writes into a folder named after the target",
                g.sub
            ));
        }
    }
    let var = |key: &str| assigned(key).or_else(|| f.env_before(at, key));
    let bindir = match (var("GOBIN"), var("GOPATH")) {
        (Some(Some(b)), _) if b.starts_with('/') => b,
        (Some(_), _) => return Err("GOBIN is not a literal absolute path".into()),
        (None, Some(Some(p))) if p.starts_with('/') && !p.contains(':') => {
            join(p.trim_end_matches('/'), "bin")
        }
        (None, Some(_)) => return Err("GOPATH is not one literal absolute path".into()),
        (None, None) if golang => "/go/bin".into(),
        (None, None) => {
            if f.instrs().iter().any(|i| i.keyword == Keyword::User) {
                return Err("GOPATH is the home folder of a USER dslim does not know".into());
            }
            "/root/go/bin".into()
        }
    };
    Ok((join(&bindir, &name()?), static_))
}

/// A `cargo build` for the host on `rust:*-alpine` (not Alpine's own
/// `cargo`; whose host target is
/// `x86_64-unknown-linux-musl`, with `crt-static` on by default) writes a
/// static binary for certain when nothing turns `crt-static` off (no
/// `crt-static` in the stage's RUNs and ENVs, nor in the build context's
/// `.cargo/config.toml`, which dslim must see) and apk installs no `-dev`
/// library a `-sys` crate may link dynamically.
fn rust_alpine_static(f: &Facts, apt: &AptFacts, builder: &crate::data::BuilderPackages) -> bool {
    // Alpine's own `rust`/`cargo` packages target `x86_64-alpine-linux-musl`,
    // whose `crt-static` is off by default: a dynamic binary.
    let Some(build) = f
        .build
        .filter(|_| f.doc.stages()[0].image.short_name() == "rust")
    else {
        return false;
    };
    let in_stage = f.instrs().iter().any(|i| {
        matches!(i.keyword, Keyword::Run | Keyword::Env) && i.logical.text.contains("crt-static")
    });
    let in_config = [".cargo/config.toml", ".cargo/config"]
        .iter()
        .any(|p| build.text(p).is_some_and(|t| t.contains("crt-static")));
    let dev = apt
        .apk
        .iter()
        .any(|p| p.ends_with("-dev") && !builder.apk_builds(p));
    !in_stage && !in_config && !dev && !apt.apk_opaque
}

/// Where `cargo install` puts binaries in the `rust` images (`CARGO_HOME`).
const RUST_IMAGE_CARGO_BIN: &str = "/usr/local/cargo/bin";

/// The value of `--name VALUE` or `--name=VALUE`.
fn flag_value<'a>(w: &[&'a str], name: &str) -> Option<&'a str> {
    w.iter().enumerate().find_map(|(k, a)| {
        if *a == name {
            w.get(k + 1).copied()
        } else {
            a.strip_prefix(name).and_then(|v| v.strip_prefix('='))
        }
    })
}

/// The binary `cargo install --path DIR` writes into `<root>/bin`
/// (`--root`, `CARGO_INSTALL_ROOT`, `CARGO_HOME`, the `rust` image's
/// `/usr/local/cargo`, root's `~/.cargo`), named as the CMD/ENTRYPOINT
/// starts it (checked against Cargo.toml's `[[bin]]`/`[package]` names
/// when the context has it). `Ok((path, static))`.
fn cargo_install(
    f: &Facts,
    w: &[&str],
    at: usize,
    cd: bool,
) -> Result<(String, Option<bool>), String> {
    let Some(dir) = flag_value(w, "--path") else {
        return Err(
            "`cargo install` of a published crate: which binaries it installs is not known here \
             (use `--path`)"
                .into(),
        );
    };
    let static_ = flag_value(w, "--target").map(|t| t.contains("musl"));
    let var = |k: &str| f.env_before(at, k);
    let abs = |v: &str| v.starts_with('/') && !v.contains('\u{0}');
    let bindir = match flag_value(w, "--root") {
        Some(r) if abs(r) => join(r, "bin"),
        Some(_) => return Err("`cargo install --root` is not a literal absolute path".into()),
        None => match (var("CARGO_INSTALL_ROOT"), var("CARGO_HOME")) {
            (Some(Some(r)), _) if abs(&r) => join(&r, "bin"),
            (Some(_), _) => return Err("CARGO_INSTALL_ROOT is not a literal absolute path".into()),
            (None, Some(Some(h))) if abs(&h) => join(&h, "bin"),
            (None, Some(_)) => return Err("CARGO_HOME is not a literal absolute path".into()),
            (None, None) if f.doc.stages()[0].image.short_name() == "rust" => {
                RUST_IMAGE_CARGO_BIN.into()
            }
            (None, None) => {
                if f.instrs().iter().any(|i| i.keyword == Keyword::User) {
                    return Err(
                        "CARGO_HOME is the home folder of a USER dslim does not know".into(),
                    );
                }
                "/root/.cargo/bin".into()
            }
        },
    };
    let prog = match program(f)? {
        Some(p) => p,
        None => return Err("no CMD or ENTRYPOINT runs the binary".into()),
    };
    let name = if prog.contains('/') {
        match prog.rsplit_once('/') {
            Some((d, n)) if d == bindir => n.to_string(),
            _ => {
                return Err(format!(
                    "the CMD/ENTRYPOINT runs `{prog}`, not a binary `cargo install` wrote into \
                     `{bindir}`"
                ))
            }
        }
    } else {
        prog.clone()
    };
    // The crate in the context's root: its binaries' names.
    if dir == "." && !cd {
        if let Some(c) = f
            .build
            .and_then(|b| b.cargo_toml())
            .filter(|c| !c.workspace)
        {
            let names: Vec<&String> = c.bins.iter().chain(c.package.iter()).collect();
            if !names.iter().any(|n| **n == name) {
                return Err(format!(
                    "the CMD/ENTRYPOINT runs `{name}`, which Cargo.toml does not build (it names \
                     {})",
                    names
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
    }
    Ok((format!("{bindir}/{name}"), static_))
}

/// The `-sys` crates a Cargo.lock lists: each may link a shared library.
fn sys_crates(lock: &str) -> Vec<String> {
    let mut out: Vec<String> = lock
        .lines()
        .filter_map(|l| l.trim().strip_prefix("name = \""))
        .map(|n| n.trim_end_matches('"'))
        .filter(|n| n.ends_with("-sys") || n.ends_with("_sys"))
        .map(str::to_string)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Why a RUN after the build (instruction `at`, which wrote `bin`) blocks
/// the split, if one does. Such a RUN may only do what changes nothing the
/// runtime gets: remove files other than the binary, `chmod`/`strip` the
/// binary or files in the build folder (`COPY --from` keeps the mode), run
/// tests (`go test|vet`, `cargo test`, `make test|check`, `ctest`), print,
/// or run apt (what it installs the runtime installs too). Files and
/// accounts it makes are [`super::carry_setup_files`]'s.
fn after_build(f: &Facts, at: usize, bin: &str) -> Option<String> {
    let build_dir = f.cwd_at(at).filter(|d| d != "/");
    for ins in f.runs().filter(|r| f.index(r) > at) {
        let i = f.index(ins);
        let Some(script) = f.model.script(i) else {
            return Some(
                "a RUN after the build, which dslim cannot read, may change what the binary needs"
                    .into(),
            );
        };
        if super::facts::writes_files(ins.args_text()) {
            return Some(
                "a RUN after the build writes a file (`>`), which the runtime would lack".into(),
            );
        }
        let cd = script.commands.iter().any(|c| c.name() == Some("cd"));
        let cwd = f.cwd_at(i).filter(|_| !cd);
        let resolve = |a: &str| -> Option<String> {
            if a.contains('\u{0}') {
                None
            } else if a.starts_with('/') {
                Some(join("/", a))
            } else {
                cwd.as_deref().map(|c| join(c, a))
            }
        };
        for c in &script.commands {
            let w = words(c);
            let Some(&name) = w.first() else { continue };
            let args: Vec<&str> = w[1..]
                .iter()
                .copied()
                .filter(|a| !a.starts_with('-'))
                .collect();
            let ok = match name {
                "true" | ":" | "echo" | "printf" | "ls" | "set" | "cd" | "apt-get" | "apt" => true,
                "go" => matches!(w.get(1), Some(&("test" | "vet" | "version" | "env"))),
                "cargo" => matches!(w.get(1), Some(&("test" | "clippy" | "fmt"))),
                "make" | "gmake" => {
                    !args.is_empty()
                        && args
                            .iter()
                            .all(|a| matches!(*a, "test" | "check" | "tests"))
                }
                "ctest" => true,
                // Removing anything but the binary (or a folder holding it)
                // leaves the runtime as it is.
                "rm" => {
                    // As written: a glob is no literal word. A glob removes
                    // at most what is in the folder before it.
                    let raw: Vec<&str> = c.words[1..]
                        .iter()
                        .map(|x| x.raw.as_str())
                        .filter(|a| !a.starts_with('-'))
                        .map(|a| {
                            if a.contains(['$', '`', '"', '\'', '\\', '{']) {
                                "\u{0}"
                            } else {
                                a
                            }
                        })
                        .collect();
                    let hits_bin = |a: &&str| {
                        let fixed = match a.find(['*', '?', '[']) {
                            Some(g) => a[..g].rsplit_once('/').map_or("", |(d, _)| d),
                            None => a,
                        };
                        let fixed = if fixed.is_empty() && a.starts_with('/') {
                            "/"
                        } else {
                            fixed
                        };
                        resolve(fixed).is_none_or(|p| {
                            p == bin || bin.starts_with(&format!("{}/", p.trim_end_matches('/')))
                        })
                    };
                    if let Some((k, _)) = raw.iter().enumerate().find(|(_, a)| hits_bin(a)) {
                        let shown = c.words[1..]
                            .iter()
                            .map(|x| x.raw.as_str())
                            .filter(|a| !a.starts_with('-'))
                            .nth(k)
                            .unwrap_or("");
                        return Some(format!(
                            "a RUN after the build removes `{shown}`, which is or may hold the \
                             binary the runtime copies"
                        ));
                    }
                    true
                }
                // Folders, copies, moves and links outside the build
                // folder: the runtime copies what they made from the
                // builder ([`super::carry_setup_files`]), as for a setup
                // RUN; the build folder stays behind, so what they put
                // there would be lost.
                "mkdir" | "cp" | "mv" | "ln" => {
                    if name == "mv" {
                        let srcs = &args[..args.len().saturating_sub(1)];
                        if let Some(a) = srcs.iter().find(|a| {
                            resolve(a).is_none_or(|p| {
                                p == bin
                                    || bin.starts_with(&format!("{}/", p.trim_end_matches('/')))
                            })
                        }) {
                            return Some(format!(
                                "a RUN after the build moves `{a}`, which is or may hold the \
                                 binary the runtime copies"
                            ));
                        }
                    }
                    let made = if name == "mkdir" {
                        args.iter().filter_map(|a| resolve(a)).collect()
                    } else {
                        super::facts::placed(c, cwd.as_deref()).unwrap_or_default()
                    };
                    let inside = |p: &String, d: Option<&str>| {
                        *p != bin
                            && d.is_some_and(|d| {
                                d != "/" && (p == d || p.starts_with(&format!("{d}/")))
                            })
                    };
                    if let Some(p) = made.iter().find(|p| inside(p, build_dir.as_deref())) {
                        return Some(format!(
                            "a RUN after the build writes `{p}` into the build folder, which the \
                             runtime does not get"
                        ));
                    }
                    if let Some(p) = made.iter().find(|p| inside(p, f.workdir.as_deref())) {
                        return Some(format!(
                            "a RUN after the build writes `{p}` into the final WORKDIR, which the \
                             runtime gets only as an empty folder"
                        ));
                    }
                    true
                }
                "chmod"
                    if super::facts::placed(c, cwd.as_deref()).is_ok_and(|ps| {
                        !ps.is_empty()
                            && ps.iter().all(|p| {
                                p != bin
                                    && !build_dir
                                        .as_deref()
                                        .is_some_and(|d| p.starts_with(&format!("{d}/")))
                            })
                    }) =>
                {
                    true
                }
                // The mode travels with `COPY --from`; the build folder
                // stays behind.
                "chmod" | "strip" => {
                    let targets = if name == "chmod" {
                        args.get(1..)
                    } else {
                        Some(&args[..])
                    };
                    targets.is_some_and(|t| {
                        !t.is_empty()
                            && t.iter().all(|a| {
                                resolve(a).is_some_and(|p| {
                                    p == bin
                                        || build_dir
                                            .as_deref()
                                            .is_some_and(|d| p.starts_with(&format!("{d}/")))
                                })
                            })
                    })
                }
                _ => false,
            };
            if !ok {
                let shown = if name.contains('\u{0}') {
                    "a command dslim cannot read"
                } else {
                    name
                };
                return Some(format!(
                    "a RUN after the build runs `{shown}`, which may change what the runtime needs \
                     (only removals, `chmod`/`strip` of the binary, folders, copies, moves and \
                     links, tests and apt are carried)"
                ));
            }
        }
    }
    None
}

/// Whether the glibc runtime of a build on `img` is the builder's own
/// release (a `debian`/`ubuntu` tag, or one naming a Debian codename), so
/// the packages apt installed there have the same names and versions.
fn same_release(img: &crate::syntax::ImageRef) -> bool {
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
fn debian_release(image: &str, r: &crate::data::BinaryRecipe) -> Option<String> {
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
fn runtime_packages(
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

/// A make/cmake/ninja build seen so far in the stage (C-like): its binary
/// is the one the CMD/ENTRYPOINT names.
#[derive(Clone, Default)]
struct CBuild {
    /// The folder the build RUN starts in.
    cwd: Option<String>,
    /// The install prefix when the build installs (`make install`,
    /// `cmake --install`).
    installed: Option<String>,
    /// `CMAKE_INSTALL_PREFIX` of a cmake configure.
    cmake_prefix: Option<String>,
    /// `-static` on the make command line (`LDFLAGS=-static`).
    static_: bool,
    /// A build system ran (not only a configure).
    built: bool,
    /// Where a `cp`/`mv`/`install` after the build put a file by its
    /// absolute path (`make && install app /usr/local/bin/`).
    placed: Vec<String>,
}

/// The Makefile's own `PREFIX ?= …` default (context root), else /usr/local.
fn make_prefix(f: &Facts) -> String {
    f.build
        .and_then(|b| b.text("Makefile").or_else(|| b.text("makefile")))
        .and_then(|t| {
            t.lines().find_map(|l| {
                let l = l.trim();
                let rest = l
                    .strip_prefix("PREFIX")
                    .or_else(|| l.strip_prefix("prefix"))?;
                let v = rest
                    .trim_start()
                    .strip_prefix("?=")
                    .or_else(|| rest.trim_start().strip_prefix(":="))
                    .or_else(|| rest.trim_start().strip_prefix('='))?
                    .trim();
                (v.starts_with('/') && !v.contains('$')).then(|| v.to_string())
            })
        })
        .unwrap_or_else(|| "/usr/local".into())
}

/// A `make`, `cmake` or `ninja` call: the build so far (`Ok(None)`: not
/// one of them).
fn c_build_call(
    f: &Facts,
    w: &[&str],
    raw: &[&str],
    at: usize,
    prev: Option<CBuild>,
) -> Result<Option<CBuild>, String> {
    let Some(&tool) = w.first() else {
        return Ok(None);
    };
    if !matches!(tool, "make" | "gmake" | "cmake" | "ninja") {
        return Ok(None);
    }
    let mut b = prev.unwrap_or_default();
    if b.cwd.is_none() {
        b.cwd = f.cwd_at(at);
    }
    // Parallelism (`-j"$(nproc)"`) changes nothing the build writes.
    let jobs = |k: usize| {
        let r = raw.get(k).copied().unwrap_or("");
        ["-j", "--jobs", "-l", "--load-average", "--parallel"]
            .iter()
            .any(|p| r.starts_with(p))
            || k > 1
                && ["-j", "--jobs", "-l", "--load-average", "--parallel"]
                    .contains(&raw.get(k - 1).copied().unwrap_or(""))
    };
    let args: Vec<&str> = w
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(k, a)| !(a.contains('\u{0}') && jobs(*k)))
        .map(|(_, a)| *a)
        .collect();
    let args = &args[..];
    if args.iter().any(|a| a.contains('\u{0}')) {
        return Err(format!(
            "`{tool}` has arguments that are not literal: what it builds is unknown"
        ));
    }
    if args.iter().any(|a| a.starts_with("DESTDIR=")) {
        return Err(format!(
            "`{tool} install DESTDIR=…` stages the files elsewhere: where the program runs from is unknown"
        ));
    }
    match tool {
        "make" | "gmake" | "ninja" => {
            b.built = true;
            b.static_ |= args
                .iter()
                .any(|a| a.contains("-static") && !a.contains("-static-"));
            if args.contains(&"install") {
                let prefix = args
                    .iter()
                    .find_map(|a| {
                        a.strip_prefix("PREFIX=")
                            .or_else(|| a.strip_prefix("prefix="))
                    })
                    .map(str::to_string)
                    .or_else(|| b.cmake_prefix.clone())
                    .unwrap_or_else(|| make_prefix(f));
                if !prefix.starts_with('/') {
                    return Err("the install PREFIX is not a literal absolute path".into());
                }
                b.installed = Some(prefix);
            }
        }
        _ => {
            if args.contains(&"--build") {
                b.built = true;
            } else if args.contains(&"--install") {
                let prefix = flag_value(args, "--prefix")
                    .map(str::to_string)
                    .or_else(|| b.cmake_prefix.clone())
                    .unwrap_or_else(|| "/usr/local".into());
                if !prefix.starts_with('/') {
                    return Err(
                        "the `cmake --install --prefix` is not a literal absolute path".into(),
                    );
                }
                b.installed = Some(prefix);
            } else if let Some(p) = args
                .iter()
                .find_map(|a| a.strip_prefix("-DCMAKE_INSTALL_PREFIX="))
            {
                b.cmake_prefix = Some(p.to_string());
            }
        }
    }
    Ok(Some(b))
}

/// The binary a make/cmake build wrote, as the CMD/ENTRYPOINT names it: a
/// path under the folder the build ran in, or `<prefix>/bin/NAME` after an
/// install.
fn c_build_binary(f: &Facts, b: &CBuild, r: &crate::data::BinaryRecipe) -> Result<String, String> {
    if !b.built && b.installed.is_none() {
        return Err("`cmake` configures, but no `make`/`cmake --build` builds".into());
    }
    let prog = match program(f)? {
        Some(p) => p,
        None => return Err("no CMD or ENTRYPOINT runs the binary".into()),
    };
    if prog.contains('/') {
        let Some(wd) = f.cwd_at(f.end) else {
            return Err("the binary's path is relative to an unknown folder".into());
        };
        let bin = join(&wd, &prog);
        let under = |d: &str| bin.starts_with(&format!("{}/", d.trim_end_matches('/')));
        if b.cwd.as_deref().is_some_and(|c| c != "/" && under(c))
            || b.installed.as_deref().is_some_and(under)
            || b.placed.contains(&bin)
        {
            return Ok(bin);
        }
        return Err(format!(
            "the CMD/ENTRYPOINT runs `{prog}`, which is neither in the folder the build ran in \
             nor under its install prefix"
        ));
    }
    if let Some(p) = b.placed.iter().find(|p| {
        p.rsplit_once('/')
            .is_some_and(|(d, n)| n == prog && r.path_dirs.iter().any(|x| x == d))
    }) {
        return Ok(p.clone());
    }
    match &b.installed {
        Some(p) => {
            let dir = join(p, "bin");
            if r.path_dirs.contains(&dir) {
                Ok(format!("{dir}/{prog}"))
            } else {
                Err(format!(
                    "the CMD/ENTRYPOINT runs `{prog}` by name, and the install's `{dir}` is not \
                     on the default PATH"
                ))
            }
        }
        None => Err(format!(
            "the CMD/ENTRYPOINT runs `{prog}` by name, but the build installs nothing"
        )),
    }
}

/// `-static-libstdc++` anywhere in the stage's RUNs or the context's build
/// files: the `gcc` image's libstdc++ is then in the binary.
fn c_static_libstdcxx(f: &Facts) -> bool {
    f.runs()
        .any(|i| i.logical.text.contains("-static-libstdc++"))
        || ["Makefile", "makefile", "CMakeLists.txt"].iter().any(|n| {
            f.build
                .and_then(|b| b.text(n))
                .is_some_and(|t| t.contains("-static-libstdc++"))
        })
}

/// What a C build links beyond libc: the `lib…-dev` packages apt installs,
/// `-lNAME` of the compiler calls and, on the `gcc` image (which has many
/// `-dev` libraries), of the context's Makefile; whether the build files
/// compile C++.
fn c_libraries(
    f: &Facts,
    apt: &AptFacts,
    links: &[String],
    build: Option<&CBuild>,
) -> Result<(Vec<String>, bool), String> {
    let mut keys: Vec<String> = apt
        .packages
        .iter()
        .filter(|p| p.ends_with("-dev"))
        .filter(|p| {
            !matches!(p.as_str(), "libc6-dev" | "libc-dev" | "linux-libc-dev")
                && !p.starts_with("libstdc++")
        })
        .cloned()
        .collect();
    keys.extend(links.iter().cloned());
    let mut cxx = false;
    let gcc_image = f.doc.stages()[0].image.short_name() == "gcc";
    if build.is_some_and(|b| b.built) {
        let files: Vec<(&str, std::sync::Arc<str>)> =
            ["Makefile", "makefile", "GNUmakefile", "CMakeLists.txt"]
                .iter()
                .filter_map(|n| Some((*n, f.build?.text(n)?)))
                .collect();
        if files.is_empty() && gcc_image {
            return Err(
                "the `gcc` image has many -dev libraries a make/cmake build may link; without \
                 its Makefile or CMakeLists.txt in the build context (give `--context`) which \
                 ones is unknown"
                    .into(),
            );
        }
        for (name, text) in &files {
            cxx |= ["CXX", "g++", "c++", ".cpp", ".cc", ".cxx"]
                .iter()
                .any(|m| text.contains(m));
            if !gcc_image {
                continue;
            }
            for m in [
                "pkg-config",
                "$(shell",
                "target_link_libraries",
                "link_libraries",
                "find_package",
                "find_library",
                "pkg_check_modules",
            ] {
                if text.contains(m) {
                    return Err(format!(
                        "{name} links libraries through `{m}`, which dslim does not follow"
                    ));
                }
            }
            for tok in text.split(|c: char| c.is_whitespace() || "\"'()".contains(c)) {
                if tok.starts_with("-l")
                    && tok.len() > 2
                    && !C_BASE_LIBS.contains(&tok)
                    && tok[2..]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "_+-.".contains(c))
                {
                    keys.push(tok.to_string());
                }
            }
        }
    }
    keys.sort();
    keys.dedup();
    Ok((keys, cxx))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sys_crates_of_a_lock() {
        let lock = "version = 3\n\n[[package]]\nname = \"app\"\n\n[[package]]\nname = \
                    \"openssl-sys\"\n\n[[package]]\nname = \"onig_sys\"\n\n[[package]]\nname = \
                    \"openssl-sys\"\n";
        assert_eq!(sys_crates(lock), ["onig_sys", "openssl-sys"]);
        assert!(sys_crates("[[package]]\nname = \"sysinfo\"\n").is_empty());
    }

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
