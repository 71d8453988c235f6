//! C and C++: compiler calls, make/cmake builds, and the libraries a
//! dynamic binary links.

use super::super::facts::{program, AptFacts};
use super::super::{join, StageFacts};
use super::rust::flag_value;

pub(super) const C_COMPILERS: &[&str] = &["gcc", "cc", "g++", "c++", "clang", "clang++"];

/// The build tools a make/cmake build step starts with.
pub(super) const C_BUILD_TOOLS: &[&str] = &["make", "gmake", "cmake", "ninja"];

/// The commands that may put what such a build made (see
/// `BuildScan::note_installed_copy`).
pub(super) const C_COPIES: &[&str] = &["cp", "mv", "install"];

/// Libraries every glibc runtime has.
pub(super) const C_BASE_LIBS: &[&str] = &["-lm", "-lc", "-lpthread", "-ldl", "-lrt"];

/// A make/cmake/ninja build seen so far in the stage (C-like): its binary
/// is the one the CMD/ENTRYPOINT names.
#[derive(Clone, Default)]
pub(super) struct CBuild {
    /// The folder the build RUN starts in.
    pub(super) cwd: Option<String>,
    /// The install prefix when the build installs (`make install`,
    /// `cmake --install`).
    pub(super) installed: Option<String>,
    /// `CMAKE_INSTALL_PREFIX` of a cmake configure.
    pub(super) cmake_prefix: Option<String>,
    /// `-static` on the make command line (`LDFLAGS=-static`).
    pub(super) static_: bool,
    /// A build system ran (not only a configure).
    pub(super) built: bool,
    /// Where a `cp`/`mv`/`install` after the build put a file by its
    /// absolute path (`make && install app /usr/local/bin/`).
    pub(super) placed: Vec<String>,
}

/// The Makefile's own `PREFIX ?= …` default (context root), else /usr/local.
pub(super) fn make_prefix(f: &StageFacts) -> String {
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
pub(super) fn c_build_call(
    f: &StageFacts,
    w: &[&str],
    raw: &[&str],
    at: usize,
    prev: Option<CBuild>,
) -> Result<Option<CBuild>, String> {
    let Some(&tool) = w.first() else {
        return Ok(None);
    };
    if !C_BUILD_TOOLS.contains(&tool) {
        return Ok(None);
    }
    let mut b = prev.unwrap_or_default();
    if b.cwd.is_none() {
        b.cwd = f.cwd_at(at);
    }
    let args = build_args(tool, w, raw)?;
    if tool == "cmake" {
        cmake_step(&mut b, &args)?;
    } else {
        make_step(f, &mut b, &args)?;
    }
    Ok(Some(b))
}

/// The arguments of the build tool `tool` (its words `w`, as written
/// `raw`), without parallelism (`-j"$(nproc)"` changes nothing the build
/// writes). `Err`: arguments that are not literal, or a `DESTDIR=`.
fn build_args<'w>(tool: &str, w: &[&'w str], raw: &[&str]) -> Result<Vec<&'w str>, String> {
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
    Ok(args)
}

/// A `make`/`ninja` call: it builds (static with `-static`), and with
/// `install` installs under its PREFIX (else cmake's, else the Makefile's).
fn make_step(f: &StageFacts, b: &mut CBuild, args: &[&str]) -> Result<(), String> {
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
    Ok(())
}

/// A `cmake` call: `--build` builds, `--install` installs under its
/// `--prefix` (else the configured one, else /usr/local), a configure may
/// set `CMAKE_INSTALL_PREFIX`.
fn cmake_step(b: &mut CBuild, args: &[&str]) -> Result<(), String> {
    if args.contains(&"--build") {
        b.built = true;
    } else if args.contains(&"--install") {
        let prefix = flag_value(args, "--prefix")
            .map(str::to_string)
            .or_else(|| b.cmake_prefix.clone())
            .unwrap_or_else(|| "/usr/local".into());
        if !prefix.starts_with('/') {
            return Err("the `cmake --install --prefix` is not a literal absolute path".into());
        }
        b.installed = Some(prefix);
    } else if let Some(p) = args
        .iter()
        .find_map(|a| a.strip_prefix("-DCMAKE_INSTALL_PREFIX="))
    {
        b.cmake_prefix = Some(p.to_string());
    }
    Ok(())
}

/// The binary a make/cmake build wrote, as the CMD/ENTRYPOINT names it: a
/// path under the folder the build ran in, or `<prefix>/bin/NAME` after an
/// install.
pub(super) fn c_build_binary(
    f: &StageFacts,
    b: &CBuild,
    r: &crate::data::BinaryRecipe,
) -> Result<String, String> {
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
pub(super) fn c_static_libstdcxx(f: &StageFacts) -> bool {
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
pub(super) fn c_libraries(
    f: &StageFacts,
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
