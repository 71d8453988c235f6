//! Rust: the binary a `cargo build --release` or `cargo install --path` writes,
//! whether it is static, and the `-sys` crates a dynamic one links.

use crate::syntax::Keyword;

use super::super::facts::{program, AptFacts};
use super::super::{join, StageFacts};

/// The binary a `cargo build` made, as the CMD/ENTRYPOINT names it: cargo
/// writes to `<target-dir>/[<triple>/]release/`, where the target dir
/// depends on workspaces, `--manifest-path` and `CARGO_TARGET_DIR`, so the
/// path the program is started from is the one to trust (the original image
/// works only if the binary is there). `Ok((path, static))`: `static` is
/// whether `--target` names a musl target, `None` without `--target` (the
/// host's: musl and static by default on `rust:*-alpine`).
pub(super) fn cargo_binary(f: &StageFacts, w: &[&str]) -> Result<(String, Option<bool>), String> {
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

/// A `cargo build` for the host on `rust:*-alpine` (not Alpine's own
/// `cargo`; whose host target is
/// `x86_64-unknown-linux-musl`, with `crt-static` on by default) writes a
/// static binary for certain when nothing turns `crt-static` off (no
/// `crt-static` in the stage's RUNs and ENVs, nor in the build context's
/// `.cargo/config.toml`, which dslim must see) and apk installs no `-dev`
/// library a `-sys` crate may link dynamically.
pub(super) fn rust_alpine_static(
    f: &StageFacts,
    apt: &AptFacts,
    builder: &crate::data::BuilderPackages,
) -> bool {
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
pub(super) const RUST_IMAGE_CARGO_BIN: &str = "/usr/local/cargo/bin";

/// The value of `--name VALUE` or `--name=VALUE`.
pub(super) fn flag_value<'a>(w: &[&'a str], name: &str) -> Option<&'a str> {
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
pub(super) fn cargo_install(
    f: &StageFacts,
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
    let bindir = cargo_bin_dir(f, w, at)?;
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
        context_crate_builds(f, &name)?;
    }
    Ok((format!("{bindir}/{name}"), static_))
}

/// The folder `cargo install` (its words `w`, in RUN `at`) writes into:
/// `--root`'s, else CARGO_INSTALL_ROOT's or CARGO_HOME's `bin`, else the
/// image's or root's cargo home.
fn cargo_bin_dir(f: &StageFacts, w: &[&str], at: usize) -> Result<String, String> {
    let var = |k: &str| f.env_before(at, k);
    let abs = |v: &str| v.starts_with('/') && !v.contains('\u{0}');
    Ok(match flag_value(w, "--root") {
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
    })
}

/// `Err` when the build context's Cargo.toml (not a workspace) does not
/// build the binary `name`.
fn context_crate_builds(f: &StageFacts, name: &str) -> Result<(), String> {
    let Some(c) = f
        .build
        .and_then(|b| b.cargo_toml())
        .filter(|c| !c.workspace)
    else {
        return Ok(());
    };
    let names: Vec<&String> = c.bins.iter().chain(c.package.iter()).collect();
    if names.iter().any(|n| *n == name) {
        return Ok(());
    }
    Err(format!(
        "the CMD/ENTRYPOINT runs `{name}`, which Cargo.toml does not build (it names {})",
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// The `-sys` crates a Cargo.lock lists: each may link a shared library.
pub(super) fn sys_crates(lock: &str) -> Vec<String> {
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
}
