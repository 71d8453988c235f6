//! Compiled programs (Go, C-like, Rust): the binary, not the toolchain, goes to the runtime.

use crate::edit::Applicability;
use crate::shell::SimpleCommand;
use crate::syntax::Keyword;

use super::super::run_edits;
use super::facts::{alpine_carries_packages, program, started_programs, AptFacts};
use super::{alpine_builder, has_cd, join, words, written_path, Split, StageFacts};
use after::{after_build, is_or_holds};
use c::{c_build_binary, c_build_call, CBuild, C_BASE_LIBS, C_BUILD_TOOLS, C_COMPILERS, C_COPIES};
use go::{go_call, go_output};
use runtime::{on_alpine, on_glibc, on_scratch_runtime, Choice};
use rust::{cargo_binary, cargo_install, rust_alpine_static, sys_crates, RUST_IMAGE_CARGO_BIN};

mod after;
mod c;
mod go;
mod runtime;
mod rust;

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

/// Whether `w` compiles, and whether it links statically.
fn compile_call(lang: Lang, w: &[&str]) -> bool {
    match lang {
        Lang::Go => w.first() == Some(&"go") && w.get(1) == Some(&"build"),
        Lang::C => w.first().is_some_and(|c| C_COMPILERS.contains(c)),
        Lang::Rust => w.first() == Some(&"cargo") && w.get(1) == Some(&"build"),
    }
}

/// What the stage's RUNs build: the RUN that writes the binary, its path,
/// whether the command says it is static (`None`: the ENV decides), and for
/// C the `-lNAME`s of the compiler calls, a C++ compiler, a make/cmake build
/// (whose binary the CMD names).
struct Build {
    at: usize,
    bin: String,
    static_here: Option<bool>,
    c_links: Vec<String>,
    cxx: bool,
    c_build: Option<(usize, CBuild)>,
}

/// The build of `lang` in the stage's RUNs: `Ok(None)` when there is none,
/// `Err` when one cannot be followed.
fn find_build(
    f: &StageFacts,
    r: &crate::data::BinaryRecipe,
    lang: Lang,
) -> Result<Option<Build>, String> {
    let mut scan = BuildScan {
        f,
        r,
        lang,
        found: None,
        c_links: Vec::new(),
        cxx: false,
        c_build: None,
    };
    for ins in f.runs() {
        let i = f.index(ins);
        let Some(script) = f.model.script(i) else {
            unreadable_build(lang, &ins.logical.text)?;
            continue;
        };
        let cd = has_cd(script);
        for c in &script.commands {
            scan.command(c, i, cd)?;
        }
    }
    scan.finish()
}

/// `Err` when a RUN dslim cannot read (`text`) may hold the build of `lang`.
fn unreadable_build(lang: Lang, text: &str) -> Result<(), String> {
    for (l, cmd) in [
        (Lang::Go, "go build"),
        (Lang::Go, "go install"),
        (Lang::Rust, "cargo build"),
        (Lang::Rust, "cargo install"),
    ] {
        if lang == l && text.contains(cmd) {
            return Err(format!("the RUN with `{cmd}` cannot be read"));
        }
    }
    Ok(())
}

/// What [`find_build`] has read of the stage's RUNs so far.
struct BuildScan<'a, 'd> {
    f: &'a StageFacts<'d>,
    r: &'a crate::data::BinaryRecipe,
    lang: Lang,
    /// The RUN that writes the binary, the binary's path, whether the
    /// command says it is static.
    found: Option<(usize, String, Option<bool>)>,
    /// C: `-lNAME` of the compiler calls.
    c_links: Vec<String>,
    /// C: a C++ compiler ran.
    cxx: bool,
    /// C: a make/cmake build (whose binary the CMD names), and its RUN.
    c_build: Option<(usize, CBuild)>,
}

impl BuildScan<'_, '_> {
    /// Reads the command `c` of RUN `at` (`cd`: the RUN changes folder).
    fn command(&mut self, c: &SimpleCommand, at: usize, cd: bool) -> Result<(), String> {
        if !self.may_build(c) {
            return Ok(());
        }
        let w = words(c);
        match self.lang {
            Lang::Go => {
                if let Some(g) = go_call(&w) {
                    let (bin, static_) = go_output(self.f, &g, c, at, cd)?;
                    self.found = Some((at, bin, static_));
                }
            }
            Lang::Rust if w.first() == Some(&"cargo") && w.get(1) == Some(&"install") => {
                let (path, static_) = cargo_install(self.f, &w, at, cd)?;
                self.found = Some((at, path, static_));
            }
            Lang::Rust if compile_call(Lang::Rust, &w) => {
                // An absolute path: `cd` in the RUN does not matter.
                let (path, static_) = cargo_binary(self.f, &w)?;
                self.found = Some((at, path, static_));
            }
            Lang::Rust => {}
            Lang::C => self.c_command(c, &w, at, cd)?,
        }
        Ok(())
    }

    /// Whether `c` is a command [`BuildScan::command`] reads: every one it
    /// reads is known by its literal name, so the others are skipped
    /// before their words are gathered (a file of 100k commands ran this
    /// once per language).
    fn may_build(&self, c: &SimpleCommand) -> bool {
        let Some(name) = c.name() else {
            return false;
        };
        match self.lang {
            Lang::Go => name == "go",
            Lang::Rust => name == "cargo",
            Lang::C => [C_COPIES, C_BUILD_TOOLS, C_COMPILERS]
                .iter()
                .any(|l| l.contains(&name)),
        }
    }

    /// A C command: a copy of what a make/cmake build made, a step of that
    /// build, or a compiler call.
    fn c_command(
        &mut self,
        c: &SimpleCommand,
        w: &[&str],
        at: usize,
        cd: bool,
    ) -> Result<(), String> {
        if w.first().is_some_and(|c| C_COPIES.contains(c)) {
            self.note_installed_copy(w);
        }
        let raw: Vec<&str> = c.words.iter().map(|x| x.raw.as_str()).collect();
        let prev = self.c_build.clone().map(|(_, b)| b);
        if let Some(b) = c_build_call(self.f, w, &raw, at, prev)? {
            self.c_build = Some((at, b));
            return Ok(());
        }
        if !compile_call(Lang::C, w) {
            return Ok(());
        }
        self.note_compiler_call(w)?;
        if !w.contains(&"-o") {
            return Ok(()); // an object file, or a.out
        }
        let bin = compiler_output(self.f, w, at, cd)?;
        self.found = Some((at, bin, Some(w.contains(&"-static"))));
        Ok(())
    }

    /// `make && install app /usr/local/bin/`: after a make/cmake build, a
    /// built file put by its absolute path.
    fn note_installed_copy(&mut self, w: &[&str]) {
        let path_dirs = &self.r.path_dirs;
        let Some((_, b)) = self.c_build.as_mut().filter(|(_, b)| b.built) else {
            return;
        };
        // (`install -m MODE`: the mode is no file.)
        let args: Vec<&str> = w[1..]
            .iter()
            .enumerate()
            .filter(|(k, a)| !a.starts_with('-') && (*k == 0 || w[*k] != "-m"))
            .map(|(_, a)| *a)
            .collect();
        let [srcs @ .., dest] = &args[..] else {
            return;
        };
        let literal = !dest.contains('\u{0}') && dest.starts_with('/');
        let plain_flags = w[1..]
            .iter()
            .filter(|a| a.starts_with('-'))
            .all(|a| matches!(*a, "-v" | "-f" | "-p" | "-s" | "-m" | "-D"));
        let readable = literal && plain_flags && !srcs.is_empty() && !w.contains(&"-t");
        if !readable {
            return;
        }
        for src in srcs.iter().filter(|s| !s.contains('\u{0}')) {
            let name = src.rsplit('/').next().unwrap_or(src);
            let into_dir = dest.ends_with('/')
                || srcs.len() > 1
                || path_dirs.iter().any(|d| d == dest.trim_end_matches('/'));
            let to = if into_dir {
                join(dest, name)
            } else {
                join("/", dest)
            };
            b.placed.push(to);
        }
    }

    /// What a C compiler call links: its `-lNAME`s, and whether it is a C++
    /// compiler. `Err` when its words are not literal.
    fn note_compiler_call(&mut self, w: &[&str]) -> Result<(), String> {
        if w.iter().any(|a| a.contains('\u{0}')) {
            return Err(
                "the compiler call has words that are not literal (`$(pkg-config …)`): \
                 what it links is unknown"
                    .into(),
            );
        }
        self.cxx |= matches!(w[0], "g++" | "c++" | "clang++");
        // `-lfoo` (not Go's `-ldflags`).
        self.c_links.extend(
            w.iter()
                .filter(|a| a.starts_with("-l") && !C_BASE_LIBS.contains(a))
                .map(|a| a.to_string()),
        );
        Ok(())
    }

    /// The build: a make/cmake build's binary when it comes last.
    fn finish(mut self) -> Result<Option<Build>, String> {
        if let Some((ci, cb)) = &self.c_build {
            if self.found.as_ref().is_none_or(|(fi, _, _)| ci >= fi) {
                let bin = c_build_binary(self.f, cb, self.r)?;
                self.found = Some((*ci, bin, Some(cb.static_)));
            }
        }
        let Some((at, bin, static_here)) = self.found else {
            return Ok(None);
        };
        Ok(Some(Build {
            at,
            bin,
            static_here,
            c_links: self.c_links,
            cxx: self.cxx,
            c_build: self.c_build,
        }))
    }
}

/// The binary a C compiler call of RUN `at` writes: its literal `-o FILE`.
fn compiler_output(f: &StageFacts, w: &[&str], at: usize, cd: bool) -> Result<String, String> {
    let out = w.iter().enumerate().find_map(|(k, a)| {
        if *a == "-o" {
            w.get(k + 1).copied()
        } else {
            a.strip_prefix("-o=")
        }
    });
    let Some(out) = out.filter(|o| !o.contains('\u{0}') && !o.ends_with('/')) else {
        return Err("the compiler has no literal `-o FILE`: the binary's path is unknown".into());
    };
    written_path(f, at, cd, out, "the binary's path")
}

/// A compiled program: the binary, not the toolchain, goes to the runtime.
/// `apt` gives the stage's apt facts, worked out only once a build is
/// found (most stages of a Debian image compile nothing).
pub(super) fn binary<'a>(
    f: &StageFacts,
    data: &crate::data::Stages,
    lang: Lang,
    apt: &dyn Fn() -> &'a AptFacts,
) -> Option<Result<Split, String>> {
    find_build(f, &data.binary, lang)
        .transpose()
        .map(|b| b.and_then(|b| split(f, data, lang, apt(), b)))
}

/// The split of the build `b`: the runtime it gets, and what it copies.
fn split(
    f: &StageFacts,
    data: &crate::data::Stages,
    lang: Lang,
    apt: &AptFacts,
    b: Build,
) -> Result<Split, String> {
    let r = &data.binary;
    let builder = &data.builder;
    let dest = runtime_dest(f, r, lang, b.at, &b.bin)?;
    let img = &f.doc.stages()[0].image;
    let alpine = alpine_builder(img);
    let cgo_off = static_binary(f, apt, builder, lang, &b, alpine);
    if lang == Lang::Rust && alpine && b.static_here == Some(false) {
        return Err("`cargo build --target` of a glibc target on an Alpine (musl) builder".into());
    }
    let carry = carried_apt(apt, builder, lang)?;
    // The same for `apk add` (Alpine).
    if apt.apk_opaque {
        return Err(
            "an `apk add` dslim cannot read may add what the program needs at run time".into(),
        );
    }
    // Packages `apk add` installed for the program (not only to build):
    // the runtime installs them too, so a static binary with some goes
    // onto the builder's Alpine release instead of `scratch`.
    let programs = started_programs(f);
    let programs: Vec<&str> = programs.iter().map(String::as_str).collect();
    let apk_carried = alpine && alpine_carries_packages(apt, data, &programs);
    if f.healthcheck_runs() {
        return Err("the HEALTHCHECK may need programs of the builder the runtime lacks".into());
    }
    let (mut lib_keys, cargo_lock) = rust_sys_libraries(f, lang, cgo_off, alpine)?;
    let has_certificates = r.certificate_images.iter().any(|i| i == img.short_name());
    let (cert_copy, cert_note) = certificates(r, apt, lang, has_certificates)?;
    let mut head: Vec<String> = cert_copy.into_iter().collect();
    if let Some(p) = carry.first().filter(|_| alpine) {
        return Err(format!(
            "apt installs `{p}` in the builder, which the musl runtime would lack"
        ));
    }
    let x = Choice {
        f,
        data,
        lang,
        apt,
        img,
        alpine,
        cgo_off,
        static_here: b.static_here,
        c_links: &b.c_links,
        c_build: b.c_build.as_ref().map(|(_, b)| b),
        carry: &carry,
        has_certificates,
        cert_note,
        cargo_lock,
        programs: &programs,
    };
    // A static binary beside packages the program may run goes onto the
    // builder's slim (or Alpine) release, which can install them.
    let on_scratch = cgo_off && carry.is_empty() && !apk_carried;
    let (image, note) = choose_runtime(&x, on_scratch, &mut head, &mut lib_keys, b.cxx)?;
    head.push(format!("COPY --from={{build}} {} {dest}", b.bin));
    head.extend(image_workdir(f));
    Ok(Split {
        lang: lang.name(),
        runtime_image: image,
        builder_head: Vec::new(),
        builder_head_at: None,
        builder_tail: Vec::new(),
        runtime_head: head,
        runtime_tail: Vec::new(),
        applicability: Applicability::Unsafe,
        note,
    })
}

/// The runtime image and the note: `scratch` (`on_scratch`), the
/// builder's Alpine release, or the slim image of its glibc release; their
/// lines go into `head`.
fn choose_runtime(
    x: &Choice,
    on_scratch: bool,
    head: &mut Vec<String>,
    lib_keys: &mut Vec<String>,
    mut cxx: bool,
) -> Result<(String, String), String> {
    let (image, mut note) = if on_scratch {
        on_scratch_runtime(x)
    } else if x.alpine {
        on_alpine(x, head, lib_keys, &mut cxx)
    } else {
        on_glibc(x, head, lib_keys, &mut cxx)
    }?;
    if x.alpine {
        note.push_str(super::NOT_BUILT_ALPINE);
    }
    Ok((image, note))
}

/// Whether the binary of `b` is static: as its command says, else for Rust
/// the musl host target of an Alpine builder, else the CGO_ENABLED of the
/// last ENV before the build.
fn static_binary(
    f: &StageFacts,
    apt: &AptFacts,
    builder: &crate::data::BuilderPackages,
    lang: Lang,
    b: &Build,
    alpine: bool,
) -> bool {
    match (lang, b.static_here) {
        (_, Some(s)) => s,
        (Lang::Rust, None) => alpine && rust_alpine_static(f, apt, builder),
        (_, None) => f
            .env_before(b.at, "CGO_ENABLED")
            .is_some_and(|v| v.as_deref() == Some("0")),
    }
}

/// The program ran in the image's own WORKDIR (`/go`): so it does in the
/// runtime, unless the stage sets one.
fn image_workdir(f: &StageFacts) -> Option<String> {
    let image_wd = f.image_workdir();
    (image_wd != "/" && !f.instrs().iter().any(|i| i.keyword == Keyword::Workdir))
        .then(|| format!("WORKDIR {image_wd}"))
}

/// What a dynamic Rust binary links comes from its `-sys` crates, read
/// from the build context's Cargo.lock (on Alpine from the `-dev` packages
/// apk installs: the image has none). `(keys, whether a Cargo.lock was
/// read)`; `Err` on the `rust` image without one.
fn rust_sys_libraries(
    f: &StageFacts,
    lang: Lang,
    cgo_off: bool,
    alpine: bool,
) -> Result<(Vec<String>, bool), String> {
    let img = &f.doc.stages()[0].image;
    let cargo_lock = (lang == Lang::Rust && !cgo_off && !alpine)
        .then(|| f.build.and_then(|b| b.text("Cargo.lock")))
        .flatten();
    match &cargo_lock {
        Some(lock) => Ok((sys_crates(lock), true)),
        None if lang == Lang::Rust && !cgo_off && !alpine && img.short_name() == "rust" => {
            Err(format!(
                "the `{}` image has -dev libraries (OpenSSL, libpq, …) crates may link, which a \
                 slim runtime lacks, and no Cargo.lock in the build context says which `-sys` \
                 crates the program uses (give `--context`); or build for a musl target",
                img.short_name()
            ))
        }
        None => Ok((Vec::new(), false)),
    }
}

/// A program's HTTPS calls need the CA bundle, which `scratch` and the
/// slim images lack: copy the builder's (the line). The golang/rust/gcc
/// images have one; a Debian or Ubuntu builder only when apt installs
/// `ca-certificates` (with recommended packages it may come along:
/// `apt-cache depends --recurse` on bookworm shows none of the build tools
/// of `[builder]` depending on it, but most recommending it). The note
/// says when there is none to copy.
fn certificates(
    r: &crate::data::BinaryRecipe,
    apt: &AptFacts,
    lang: Lang,
    has_certificates: bool,
) -> Result<(Option<String>, &'static str), String> {
    if has_certificates || apt.installs("ca-certificates") {
        Ok((
            Some(format!(
                "COPY --from={{build}} {} {}",
                r.certificates, r.certificates
            )),
            "",
        ))
    } else if apt.recommends && lang != Lang::C {
        // (A C program reaches TLS only through a library it links, which
        // `-l…` and `lib…-dev` already refuse.)
        Err(
            "the builder may have a CA bundle from packages apt installs as \
             recommendations; install `ca-certificates` explicitly (dslim then copies \
             it) or add `--no-install-recommends`"
                .into(),
        )
    } else {
        Ok((None, "; the builder has no CA bundle, so none is copied"))
    }
}

/// Where the runtime gets the binary `bin` that RUN `at` wrote: where the
/// builder has it, or, for a program started by name from a folder only
/// the builder's PATH has (`/go/bin`), a folder of the default PATH. `Err`:
/// a later RUN, a `RUN --mount` or the CMD/ENTRYPOINT keeps it from being
/// the program the runtime runs.
fn runtime_dest(
    f: &StageFacts,
    r: &crate::data::BinaryRecipe,
    lang: Lang,
    at: usize,
    bin: &str,
) -> Result<String, String> {
    if let Some(why) = after_build(f, at, bin) {
        return Err(why);
    }
    let build_run = &f.doc.instructions()[at];
    let mount_wd = f.workdir_at(at).unwrap_or_else(|| "/".into());
    if run_edits::mount_targets(build_run)
        .iter()
        .map(|t| join(&mount_wd, t))
        .any(|t| is_or_holds(&t, bin))
    {
        return Err(
            "the binary is written into a RUN --mount, which the image does not keep".into(),
        );
    }
    let Some(prog) = program(f)? else {
        return Err("no CMD or ENTRYPOINT runs the binary".into());
    };
    // Where the runtime gets the binary: where the builder has it, or, for
    // a program started by name from a folder only the builder's PATH has
    // (`/go/bin`), a folder of the default PATH.
    let mut dest = bin.to_string();
    let runs_bin = if prog.contains('/') {
        f.cwd_at(f.end).is_some_and(|wd| join(&wd, &prog) == bin)
    } else {
        let (dir, name) = bin.rsplit_once('/').unwrap_or(("", bin));
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
        return Err(format!(
            "the CMD/ENTRYPOINT runs `{prog}`, not the built `{bin}`"
        ));
    }
    Ok(dest)
}

/// What apt installs beside the build tools, which the program may use at
/// run time: the runtime installs it too (same release, same recommends),
/// unless a later `apt-get remove|purge` took it away again. `Err`: what
/// cannot be carried (an unreadable install, a `-dev` package, a pinned
/// version, apt configured by a RUN).
fn carried_apt(
    apt: &AptFacts,
    builder: &crate::data::BuilderPackages,
    lang: Lang,
) -> Result<Vec<String>, String> {
    // What apt installs stays in the builder: only build tools may.
    if apt.opaque {
        return Err(
            "an apt install dslim cannot read may add what the program needs at run time".into(),
        );
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
            return Err(format!(
                "apt installs `{p}` in the builder, which the runtime would lack (only build \
                 tools stay behind: `[builder] packages` in transforms/stages.toml)"
            ));
        }
        if apt.pinned.contains(p) {
            return Err(format!(
                "apt installs `{p}` in the builder with a pinned version, which the runtime \
                 would lack (dslim carries only unpinned packages)"
            ));
        }
        carry.push(p.clone());
    }
    if let (Some(p), Some(what)) = (carry.first(), apt.configured) {
        return Err(format!(
            "apt installs `{p}` in the builder, which the runtime would lack, and a RUN \
             configures apt (`{what}`) in a way an install in the runtime stage would not see"
        ));
    }
    Ok(carry)
}
