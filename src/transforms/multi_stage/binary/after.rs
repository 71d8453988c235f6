//! What a RUN after the build may do without changing what the runtime gets.

use super::super::{join, words, Facts};

/// Why a RUN after the build (instruction `at`, which wrote `bin`) blocks
/// the split, if one does. Such a RUN may only do what changes nothing the
/// runtime gets: remove files other than the binary, `chmod`/`strip` the
/// binary or files in the build folder (`COPY --from` keeps the mode), run
/// tests (`go test|vet`, `cargo test`, `make test|check`, `ctest`), print,
/// or run apt (what it installs the runtime installs too). Files and
/// accounts it makes are [`super::carry_setup_files`]'s.
pub(super) fn after_build(f: &Facts, at: usize, bin: &str) -> Option<String> {
    let build_dir = f.cwd_at(at).filter(|d| d != "/");
    for ins in f.runs().filter(|r| f.index(r) > at) {
        let i = f.index(ins);
        let Some(script) = f.model.script(i) else {
            return Some(
                "a RUN after the build, which dslim cannot read, may change what the binary needs"
                    .into(),
            );
        };
        if super::super::facts::writes_files(ins.args_text()) {
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
                        super::super::facts::placed(c, cwd.as_deref()).unwrap_or_default()
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
                    if super::super::facts::placed(c, cwd.as_deref()).is_ok_and(|ps| {
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
