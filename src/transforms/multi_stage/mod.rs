//! Split a single-stage build into a builder stage (`AS build`) and a runtime
//! stage (`AS runtime`) that gets only what the program needs. Applied for
//! compiled programs: Go (`go build` with `-o PATH` or without, when the
//! binary is named after the package: go.mod's module path, else the folder;
//! `go install` and, up to Go 1.17, `go get` into `$GOBIN`, `$GOPATH/bin` or
//! the image's `/go/bin`; `-C dir`; no WORKDIR means the image's `/go`; on a
//! `golang` image or on Debian/Ubuntu with Debian's `golang-go`), Rust (`cargo build --release`, on
//! a `rust` image or with Debian's `cargo`: the binary the CMD/ENTRYPOINT
//! starts from cargo's `release` folder; `cargo install --path DIR`: the
//! binary the CMD names, in `--root`/`CARGO_INSTALL_ROOT`/`CARGO_HOME`'s
//! `bin`, the `rust` image's `/usr/local/cargo/bin` copied to
//! `/usr/local/bin`, checked against Cargo.toml's `[[bin]]`/`[package]`
//! names; a dynamic binary's shared libraries come from the `-sys` crates
//! the context's Cargo.lock lists: `openssl-sys` → `libssl3` installed in
//! the runtime, an unknown `-sys` crate or no Cargo.lock on the `rust` image
//! is advice) and C-like builds (`gcc`/`g++`/`clang
//! … -o PATH`; `make`, `make install` with `PREFIX=` or the Makefile's own
//! `PREFIX ?=`, `cmake --build`, `cmake --install` with `--prefix` or
//! `CMAKE_INSTALL_PREFIX`: the binary the CMD/ENTRYPOINT names, in the
//! folder the build ran in or `<prefix>/bin`; the shared libraries from the
//! `-dev` packages apt installs and, on the `gcc` image, which has many, the
//! `-lNAME` of the context's Makefile: `libsqlite3-dev`/`-lsqlite3` →
//! `libsqlite3-0` installed in the runtime, `zlib1g-dev` → nothing, the slim
//! image has zlib; a C++ binary from the `gcc` image only with
//! `-static-libstdc++`, since that image's libstdc++ in /usr/local/lib64 is
//! newer than the slim runtime's). A static binary (`CGO_ENABLED=0`, `-static`, `-extldflags "-static"`, a musl target)
//! goes onto `scratch`; a dynamic one onto the builder's own release without the toolchain
//! (`debian:bookworm` → `debian:bookworm-slim`, `golang:1.25-trixie` →
//! `debian:trixie-slim`, no release in the tag → `debian:stable-slim`), since a
//! binary needs the glibc it was linked against or a newer one. Either
//! gets the builder's CA bundle when it has one. Alpine builders are split
//! within Alpine: Go on `golang:<v>-alpine…`, and Go or C-like builds on
//! `alpine` itself (`apk add go` or `gcc make musl-dev`/`build-base`). A static
//! binary goes onto `scratch` as above; a dynamic (musl) one onto the builder's
//! Alpine release: `alpine:<tag>` runs a build from `alpine:<tag>` (the image
//! has no compilers until `apk add`), `golang:1.21-alpine3.18` → `alpine:3.18`,
//! and a tag that names no release (`golang:1.9-alpine`) → `alpine:3`, with a
//! note: musl runs binaries linked against an older musl, and the newest 3.x is
//! not older than the builder's (pin `-alpine3.NN` for the same release). A C++
//! binary gets `RUN apk add --no-cache libstdc++`. `apk add` packages that only
//! build (`[builder] apk-packages`: `build-base`, `gcc`, `g++`, `make`,
//! `musl-dev`, `linux-headers`, `python3` for node-gyp, `git` …; `--virtual`
//! group names are no packages) stay in the builder; any other package is one
//! the program may use, and the runtime installs it too (`RUN apk add
//! --no-cache tzdata`, so a static binary with such packages goes onto the
//! builder's Alpine release instead of `scratch`); a tool package (`npm`,
//! `py3-pip`: `[alpine] tools`) only when the CMD/ENTRYPOINT runs that tool.
//! For a dynamic binary the `-dev` packages and `-lNAME`s stand for runtime
//! libraries the runtime installs (`[alpine] runtime-libraries`: `zlib-dev` →
//! `zlib`, `openssl-dev` → `libssl3` from Alpine 3.17 on, `postgresql-dev` →
//! `libpq`, `sqlite-dev` → `sqlite-libs`, …, each name checked against
//! Alpine's own APKBUILDs); an unmapped one, an older release than the name
//! is known from, and an `apk add` dslim cannot read stay display-only,
//! naming it. `rust:<v>-alpine…` builds for its musl host (`cargo build
//! --release` without `--target`): static by default, so `scratch` when the
//! build context shows nothing turning `crt-static` off (no `crt-static` in
//! the stage or in `.cargo/config.toml`) and apk installs no `-dev` library;
//! else the builder's Alpine release with those libraries; a glibc
//! `--target` on Alpine is display-only. These splits are unsafe like the
//! rest and the message says they were not built: dslim's real builds have
//! no Alpine package mirror. Node
//! (`npm`/`yarn`/`pnpm` install and build scripts → the app folder, dev
//! dependencies pruned in the builder) goes onto the image's `-slim` variant,
//! a `node:<v>-alpine` build onto the same `node:<v>-alpine` image (its
//! `apk add g++ make python3` for native addons stays in the builder, the
//! runtime packages and the libraries of mapped `-dev` packages are
//! installed in the runtime, an unmapped one such as `vips-dev` is
//! display-only: the addon may link its library),
//! and a plain `alpine` build with Alpine's `nodejs` (`apk add nodejs npm
//! g++ make python3`) onto `alpine:<the same tag>` with `apk add --no-cache
//! nodejs` (and `npm` when the CMD runs npm), pruned with `npm prune
//! --production` (Alpine's npm may be npm 6). Python on plain `alpine` (`apk
//! add python3 python3-dev build-base …-dev` and pip installs) is the Python
//! recipe below within Alpine: `python3 -m venv /opt/venv` and the PATH go
//! right before the first RUN with pip (which must come after the `apk add
//! python3`: in the same RUN it is display-only), and the runtime is
//! `alpine:<the same tag>` with `apk add --no-cache python3` and the runtime
//! libraries of the builder's `-dev` packages.
//! Python (`FROM python:<tag>` that is not slim or alpine, with `pip install
//! -r …`, `pip install .` or `pip install pkg…`): the builder gets `python -m
//! venv /opt/venv` and `ENV PATH="/opt/venv/bin:$PATH"` before the installs
//! (a venv the stage makes itself is kept instead), the runtime
//! `python:<tag>-slim` (`3.12-bookworm` → `3.12-slim-bookworm`) gets the venv,
//! the PATH, the app folder (WORKDIR) and the carried instructions. Build tools
//! apt installs (`[builder] packages`) stay in the builder; `-dev` packages map
//! to the runtime libraries they stand for (`[builder.runtime-libraries]`:
//! `libpq-dev` → `libpq5`, `libyaml-dev` → `libyaml-0-2`; `""` when the slim
//! image has the library), and so do PyPI projects that have no Linux wheels
//! (`[python] source-builds`: `psycopg2` → `libpq5`, named in the pip
//! arguments or in a requirements file of the build context), installed in
//! the runtime with one `apt-get install -y --no-install-recommends … && rm
//! -rf /var/lib/apt/lists/*` RUN. A Python build frozen by PyInstaller
//! (`pyinstaller --onefile|--onedir app.py`, `python:<tag>` slim or not, the
//! CMD/ENTRYPOINT running `dist/<name>` or `dist/<name>/<name>`) keeps the
//! original as builder and copies the app folder onto `debian:<release>-slim`
//! (the tag's codename, else `[binary] stable-release`; `[pyinstaller]`): the
//! bootloader needs glibc and `libz.so.1`, which `scratch` and distroless
//! lack. Java (`javac` + `jar`, or Maven when the context's pom.xml names one
//! literal `<finalName>`) gets the jar, at the path the builder wrote it, on
//! the JRE of the builder tag's Java major (`maven:3.8-openjdk-17`,
//! `openjdk:17`, `gradle:8-jdk17`, `eclipse-temurin:17-jdk` →
//! `eclipse-temurin:17-jre`; `-jammy`/`-alpine` kept), so a CMD/ENTRYPOINT
//! `java [options] -jar JAR` stays valid as written; Gradle builds and Maven
//! builds without a literal finalName (`build/libs/*.jar`, `target/*.jar` may
//! match several) get the proposed Dockerfile as advice, and so does a build
//! whose CMD is not `java -jar` of that jar (`java -cp …`, class files from
//! `javac` alone) or whose tag names no Java major (`maven:3.9`). ENV, EXPOSE, USER, WORKDIR, LABEL, HEALTHCHECK, STOPSIGNAL, CMD and
//! ENTRYPOINT are carried to the runtime stage, and so is VOLUME, in order.
//! An ARG of the stage that a carried ENV, LABEL, EXPOSE, USER, WORKDIR,
//! VOLUME or STOPSIGNAL expands (`$NAME`, `${NAME:-x}`) is declared again, as
//! written (with its default), before its first use: a build argument is
//! scoped to its stage, a global one (before FROM) too needs `ARG NAME`
//! inside it; CMD, ENTRYPOINT and HEALTHCHECK are not expanded at build time,
//! so their ARGs are not carried. What a setup RUN made outside the app or
//! build folder (`mkdir`, `touch`, `tee`, `cp`, `mv`, `ln`, `chmod`, `> FILE`/`>> FILE` redirections;
//! a `cp`/`mv`/`ln` into a system folder such as `/etc` copies the file it put there;
//! not caches, logs, /tmp, the toolchains' /go and cargo folders, nor the
//! folders of the paths the runtime already copies) is copied by a Go, Rust,
//! C or Java split when the path is literal and root wrote it
//! (`RUN echo … > /etc/app.conf` → `COPY --from=build /etc/app.conf
//! /etc/app.conf`; a folder is copied once, with what is in it); a path with
//! variables, one a non-root USER wrote or a `chown` gave away (the copy
//! would be root's), and the accounts `useradd`/`groupadd` add make the
//! split advice, naming them (the Python and Node recipes refuse a RUN
//! outside the app folder on their own). A COPY from the context into a
//! path outside the app and build folders (`COPY app.conf /etc/app/`) is
//! made again in the runtime of such a split, as written; not a copy of the
//! whole context, into a folder a RUN works in, or of a file a build RUN
//! names (its source); a named `--chown`, an `ADD` of a URL, a heredoc or a
//! file another later RUN names make the split advice. A shell-form CMD/ENTRYPOINT that is
//! one plain command (`CMD hello --port "${PORT:-8080}"`) is kept on a
//! Debian slim or Ubuntu runtime, which has `/bin/sh`; on `scratch` it is
//! advice. The blank lines before a moved CMD (or other moved instruction)
//! go with it when a blank line or the end of the file follows, so the
//! builder ends without two blank lines before the runtime's FROM.
//!
//! Non-root runtime: the split adds no USER (the guides: no USER nobody
//! asked for), and its message says when the runtime runs as root. When
//! DS103 (distroless-final) then moves a binary's runtime to a distroless
//! image, it adds `USER 65532` (the `nonroot` user, which those images have)
//! before the CMD/ENTRYPOINT when nothing in the stage needs root: no USER
//! of its own, no EXPOSE below 1024, no VOLUME (a volume made from a
//! root-owned folder is root's), no `--chown`; else its message says why it
//! still runs as root. `scratch` has no users, so it stays root. Recipes,
//! and the Debian packages a builder may install only to build:
//! `transforms/stages.toml`.
//!
//! Why: a single-stage image ships the compiler, headers, package caches and
//! dev dependencies the program never uses at run time: a gcc build measured
//! 411.7 MB in one stage, 78.0 MB copied onto `debian:bookworm-slim` and
//! 0.69 MB onto `scratch`; `node:16` with `npm install` is ~900 MB against
//! ~200 MB on `node:16-slim`.
//!
//! Safety: unsafe. The runtime has only the binary (or the app folder): a
//! program that reads templates or static files from the build folder or
//! shells out to tools of the builder image breaks. Not split, with advice
//! instead: apt installing, beside the build tools, a package the runtime
//! cannot install the same way (pinned, from a source or key a RUN sets up,
//! on a builder tag naming no Debian release, on Alpine; otherwise the
//! runtime installs it too, and a static binary goes onto the builder's slim
//! release instead of `scratch`),
//! a `-dev` package or `-lfoo` of no known runtime package for a dynamic
//! binary (the runtime lacks the library), a make/cmake build on the `gcc`
//! image without its Makefile/CMakeLists.txt in the context or linking
//! through `pkg-config`/`find_package`, `make install DESTDIR=`, an apt install dslim cannot read, a static build on Debian whose
//! CA bundle may come from recommended packages, a RUN after the build that
//! does more than tests (`go test|vet`, `cargo test`, `make test|check`),
//! printing, apt, `rm` of what is not the binary, `chmod`/`strip` of the
//! binary or build-folder files, and folders, copies, moves, links and
//! `chmod` outside the build folder (copied as a setup RUN's; a `mv` of the
//! binary or a write into the build folder is refused), a
//! binary written into a `RUN --mount` (cache or tmpfs), a binary the
//! CMD/ENTRYPOINT does not run (for Rust: one outside cargo's `release`
//! folder), shell-form CMD/ENTRYPOINT on `scratch` (no shell there) or one that is more than one plain command, a named USER on
//! `scratch`, a HEALTHCHECK (its tools stay in the builder), a dynamic Rust
//! binary from the `rust` image without a Cargo.lock in the context, or with
//! a `-sys` crate of no known library package (its -dev libraries: OpenSSL,
//! libpq… may be linked), `cargo install` of a published crate (its binary
//! names are unknown), a heredoc, `aptitude` or `dpkg -i` install, Node RUNs other than installs and
//! scripts, COPY outside the app folder. For Python (display-only, the
//! proposed Dockerfile and the reason in the message): an apt package that is
//! neither a build tool nor a mapped `-dev` package (named), an apt install
//! dslim cannot read, `pip install --user`, `--prefix`, `--target`, `--root`
//! or `-e`, pip called by a path outside the venv, `pip install --no-binary`
//! with no `-dev` package that says which libraries it links, a RUN command
//! other than pip, apt, cache cleanup and file commands (`mkdir`, `cp`, `rm`,
//! `chmod`, `python -m compileall` …) inside the app folder, a non-root USER
//! (the venv is made as root), a HEALTHCHECK that runs anything but python, an
//! `ENV PATH` that drops `$PATH`, `ENV PIP_USER`/`PIP_TARGET`/`PIP_PREFIX`, a
//! CMD/ENTRYPOINT that runs a script by its `/usr/local/bin` path (it is in
//! the venv after the split); no WORKDIR (the app folder is unknown) is a
//! finding without a proposal. A COPY of `requirements*.txt` outside the app
//! folder is no loss (`[python] build-inputs`). Without `--context` the
//! requirements file is not read, and the message says so: a package it lists
//! that compiles against the full image's libraries would need its library in
//! the runtime. Files already multi-stage are left alone. No silent miss: a single-stage
//! build that compiles or installs build tools (a compiler, `make`, `go`,
//! `cargo`, `mvn`, a `-dev` package, `npm run build`) and cannot be split
//! (FROM with variables, ONBUILD, SHELL, `--from`, an image that is not
//! official, no recipe) gets a display-only finding saying why. A split wins
//! over the base swaps (DS101–DS103) of the same stage.
//!
//! Before:
//! ```text
//! FROM golang:1.22
//! WORKDIR /src
//! COPY . .
//! RUN CGO_ENABLED=0 go build -o /out/app .
//! CMD ["/out/app"]
//! ```
//!
//! After:
//! ```text
//! FROM golang:1.22 AS build
//! WORKDIR /src
//! COPY . .
//! RUN CGO_ENABLED=0 go build -o /out/app .
//!
//! FROM scratch AS runtime
//! COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
//! COPY --from=build /out/app /out/app
//! WORKDIR /src
//! CMD ["/out/app"]
//! ```

mod binary;
mod carry;
mod edits;
mod facts;

mod java;
mod node;
mod pyinstaller;
mod python;

use crate::edit::{self, Applicability, Fix};
use crate::finding::Finding;
use crate::shell::SimpleCommand;
use crate::syntax::{Document, Instruction, Keyword};
use crate::transform::{Context, FixAvailability, Meta, Transform};

use super::base_images::{compiles, dev_package_or_phrase, run_texts};
use crate::data::BuildTools;
use crate::model::Model;
use binary::{binary, Lang};
use carry::carry_setup_files;
use edits::edits;
use facts::apt_facts;
use java::java;
use node::node;
use pyinstaller::pyinstaller;
use python::{alpine_python, python};

/// Appended to the message of every split within Alpine: the real-build
/// proof of the other recipes cannot be made for these.
const NOT_BUILT_ALPINE: &str = "; not built here: dslim's real builds have no Alpine package \
     mirror, so build and run it once before relying on it";

pub struct MultiStage;

static META: Meta = Meta {
    code: "DS201",
    name: "multi-stage",
    summary: "Split a single-stage build into a builder and a small runtime stage",
    doc: crate::transform_doc!("multi_stage"),
    fix: FixAvailability::Sometimes,
    safety: Applicability::Unsafe,
    aliases: &[],
};

/// How a split is done.
struct Split {
    lang: &'static str,
    runtime_image: String,
    /// Lines right after the builder's FROM, or before the instruction
    /// `builder_head_at` (an index into the document's instructions).
    builder_head: Vec<String>,
    builder_head_at: Option<usize>,
    /// Lines at the end of the builder.
    builder_tail: Vec<String>,
    /// Lines right after the runtime's FROM (before the carried ones).
    runtime_head: Vec<String>,
    /// Lines after the carried ones.
    runtime_tail: Vec<String>,
    applicability: Applicability,
    note: String,
}

/// What every recipe reads.
struct StageFacts<'d> {
    doc: &'d Document,
    from: usize,
    end: usize,
    model: &'d Model<'d>,
    /// The final WORKDIR when literal and absolute (`None`: none set, or not
    /// literal).
    workdir: Option<String>,
    /// The module path in the build context's go.mod.
    go_module: Option<String>,
    /// The build context, when known.
    build: Option<&'d crate::buildctx::Info>,
}

impl<'d> StageFacts<'d> {
    fn instrs(&self) -> &'d [Instruction] {
        &self.doc.instructions()[self.from + 1..self.end]
    }
    /// The position of `ins` (an element of the document's instruction
    /// slice) in that slice, from its address: O(1), where a search made
    /// the recipes quadratic on files with thousands of RUNs.
    fn index(&self, ins: &Instruction) -> usize {
        let all = self.doc.instructions();
        let size = std::mem::size_of::<Instruction>().max(1);
        let offset = (ins as *const Instruction as usize).wrapping_sub(all.as_ptr() as usize);
        let k = offset / size;
        if offset.is_multiple_of(size) && k < all.len() && std::ptr::eq(&all[k], ins) {
            k
        } else {
            0
        }
    }
    fn runs(&self) -> impl Iterator<Item = &'d Instruction> + '_ {
        self.instrs().iter().filter(|i| i.keyword == Keyword::Run)
    }
    fn last(&self, k: Keyword) -> Option<&'d Instruction> {
        self.instrs().iter().rev().find(|i| i.keyword == k)
    }
    /// Whether the stage's last HEALTHCHECK runs a command (is not `NONE`).
    fn healthcheck_runs(&self) -> bool {
        self.last(Keyword::Healthcheck)
            .is_some_and(|h| !h.args_text().trim().eq_ignore_ascii_case("none"))
    }
    /// The folder RUNs before instruction `at` run in: the literal absolute
    /// WORKDIR, or the base image's own when the stage sets none (`/go` in
    /// the `golang` images).
    fn cwd_at(&self, at: usize) -> Option<String> {
        let set = self.doc.instructions()[self.from + 1..at]
            .iter()
            .any(|i| i.keyword == Keyword::Workdir);
        if set {
            self.workdir_at(at)
        } else {
            Some(self.image_workdir().to_string())
        }
    }
    /// The WORKDIR of the base image itself.
    fn image_workdir(&self) -> &'static str {
        match self.doc.stages()[0].image.short_name() {
            "golang" => "/go",
            _ => "/",
        }
    }
    /// The value an ENV before instruction `at` gives `key`: `Some(None)`
    /// when it is not literal.
    fn env_before(&self, at: usize, key: &str) -> Option<Option<String>> {
        self.doc.instructions()[self.from + 1..at]
            .iter()
            .rev()
            .filter(|i| i.keyword == Keyword::Env)
            .find_map(|i| {
                i.pairs()
                    .iter()
                    .rev()
                    .find(|(k, _)| k == key)
                    .map(|(_, v)| {
                        v.as_deref()
                            .map(str::trim)
                            .filter(|v| !v.contains('$'))
                            .map(str::to_string)
                    })
            })
    }
    /// The literal absolute WORKDIR in force before instruction `at`.
    fn workdir_at(&self, at: usize) -> Option<String> {
        let mut wd: Option<String> = None;
        for i in &self.doc.instructions()[self.from + 1..at] {
            if i.keyword == Keyword::Workdir {
                let w = i.args_text().trim().to_string();
                if w.starts_with('/') && !w.contains('$') {
                    wd = Some(w.trim_end_matches('/').to_string());
                } else {
                    return None;
                }
            }
        }
        wd
    }
}

fn words(c: &SimpleCommand) -> Vec<&str> {
    c.words
        .iter()
        .map(|w| w.literal.as_deref().unwrap_or("\u{0}"))
        .collect()
}

/// Whether a command of the RUN's script changes folder (`cd`): a relative
/// path after it is relative to a folder dslim does not follow.
fn has_cd(script: &crate::shell::Script) -> bool {
    script.commands.iter().any(|c| c.name() == Some("cd"))
}

/// The absolute path of `path`, which RUN `at` writes: as written when
/// absolute, else in the RUN's folder. `Err` (naming `what`) when that
/// folder is unknown or a `cd` in the RUN (`cd`) changed it.
fn written_path(
    f: &StageFacts,
    at: usize,
    cd: bool,
    path: &str,
    what: &str,
) -> Result<String, String> {
    if path.starts_with('/') {
        return Ok(path.to_string());
    }
    match f.cwd_at(at) {
        Some(wd) if !cd => Ok(join(&wd, path)),
        _ => Err(format!("{what} is relative to an unknown folder")),
    }
}

/// An Alpine builder (`alpine`, `golang:…-alpine`, `node:…-alpine`): what
/// it builds links musl.
fn alpine_builder(img: &crate::syntax::ImageRef) -> bool {
    img.short_name() == "alpine" || img.tag.as_deref().is_some_and(|t| t.contains("alpine"))
}

/// The image `img` (its registry and name) with the tag `tag`.
fn image_with_tag(img: &crate::syntax::ImageRef, tag: &str) -> String {
    let name = match &img.registry {
        Some(reg) => format!("{reg}/{}", img.name),
        None => img.name.clone(),
    };
    format!("{name}:{tag}")
}

/// A recipe that collects what blocks it: unsafe when nothing does, else
/// display-only with the blockers named in the note.
fn applicability(blockers: &[String], note: &mut String) -> Applicability {
    if blockers.is_empty() {
        Applicability::Unsafe
    } else {
        note.push_str(&format!("; not applied: {}", blockers.join("; ")));
        Applicability::DisplayOnly
    }
}

/// `p` relative to the absolute folder `dir`, with `.` and `..` resolved
/// (a trailing `/` is kept).
fn join(dir: &str, p: &str) -> String {
    let whole = if p.starts_with('/') {
        p.to_string()
    } else {
        format!("{dir}/{p}")
    };
    let mut out = crate::fsutil::image_path(&whole);
    if whole.ends_with('/') && out != "/" {
        out.push('/');
    }
    out
}

impl Transform for MultiStage {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, doc: &Document, cx: &Context, out: &mut Vec<Finding>) {
        let [stage] = doc.stages() else {
            return;
        };
        if stage.image.is_scratch() {
            return;
        }
        let from_ins = &doc.instructions()[stage.from];
        let span = from_ins.span.start..from_ins.span.start + from_ins.keyword_text().len();
        // No silent miss: a build dslim cannot split still gets a finding
        // that says why.
        let blocked = |why: String, out: &mut Vec<Finding>| {
            if let Some(step) = build_step(doc, stage, &cx.data().base_images.build_tools) {
                out.push(blocked_finding(
                    span.clone(),
                    format!("{why} (the stage builds with `{step}`)"),
                ));
            }
        };
        if let Some(why) = unsplittable(doc, stage) {
            return blocked(why, out);
        }
        let f = stage_facts(doc, stage, cx);
        let base = stage.image.name.rsplit('/').next().unwrap_or("");
        let Some(result) = recipe(&f, base, cx) else {
            return blocked(no_recipe(base), out);
        };
        match result {
            Err(why) => out.push(blocked_finding(span, why)),
            Ok(split) => out.push(split_finding(&f, stage.name.as_deref(), span, split, cx)),
        }
    }
}

/// Why the single stage cannot be split whatever its RUNs do: an image
/// with variables, what a split does not carry (`ONBUILD`, `--from`,
/// `SHELL`), an image that is not official.
fn unsplittable(doc: &Document, stage: &crate::syntax::Stage) -> Option<String> {
    if stage.image.has_variables() {
        return Some("the FROM image has variables, so its variants are unknown".into());
    }
    if let Some(i) = doc.instructions().iter().find(|i| {
        i.keyword == Keyword::Onbuild || i.flag("from").is_some() || i.keyword == Keyword::Shell
    }) {
        let what = if i.flag("from").is_some() {
            "a `--from` (another image's files)".to_string()
        } else {
            format!("`{}`", i.keyword_text())
        };
        return Some(format!("{what} is not carried into a split"));
    }
    // Official images only: their variants (`-slim`) are known to exist.
    let official = stage.image.registry.is_none()
        && (!stage.image.name.contains('/') || stage.image.name.starts_with("library/"));
    (!official).then(|| {
        format!(
            "`{}` is not an official image, whose runtime variants dslim knows",
            stage.image.text
        )
    })
}

/// What every recipe reads of the stage.
fn stage_facts<'d>(
    doc: &'d Document,
    stage: &crate::syntax::Stage,
    cx: &'d Context,
) -> StageFacts<'d> {
    let mut f = StageFacts {
        doc,
        from: stage.from,
        end: stage.instructions.end,
        model: cx.model(),
        workdir: None,
        go_module: cx
            .build
            .as_ref()
            .and_then(|b| b.info.go_mod())
            .and_then(|g| g.module.clone()),
        build: cx.build.as_ref().map(|b| &*b.info),
    };
    f.workdir = f.workdir_at(f.end);
    f
}

/// Why no recipe matches a build on the image `base`.
fn no_recipe(base: &str) -> String {
    // A compiled-language image whose RUNs compile nothing the
    // binary recipes follow: its tools may be the image's purpose
    // (a toolchain or desktop app image), not a build step.
    if matches!(base, "debian" | "ubuntu" | "gcc" | "golang" | "rust") {
        return format!(
            "no RUN of this `{base}` build compiles a program dslim can follow (`go \
             build|install`, `cargo build|install`, a compiler with `-o`, make or \
             cmake), so what the image runs is not a build output: the tools it \
             installs may be what it is for"
        );
    }
    format!("no recipe of dslim (`transforms/stages.toml`) matches a `{base}` build")
}

/// The finding of a split: what a binary split's runtime needs beside the
/// binary, the root note, the edits, and for advice the proposed Dockerfile.
fn split_finding(
    f: &StageFacts,
    name: Option<&str>,
    span: crate::syntax::Span,
    mut split: Split,
    cx: &Context,
) -> Finding {
    // (The Python and Node recipes refuse a RUN outside the app folder
    // themselves.)
    if !matches!(split.lang, "Python" | "Node") {
        carry_setup_files(f, &mut split, &cx.data().base_images.build_tools);
    }
    // Non-root (guides: security): dslim adds no USER nobody asked for
    // on a Debian or `scratch` runtime; DS103 moves a binary's runtime
    // to distroless as `nonroot` when nothing needs root.
    if !f.instrs().iter().any(|i| i.keyword == Keyword::User) {
        split.note.push_str(
            "; it runs as root, as before: the split adds no USER (a non-root one is safer when \
             the program needs no root)",
        );
    }
    let edits = edits(f, name, &split);
    let mut message = format!(
        "a single-stage {} build ships its toolchain; build in a `build` stage and run on \
         `{}`{}",
        split.lang, split.runtime_image, split.note
    );
    if split.applicability == Applicability::DisplayOnly {
        if let Some(text) = edit::apply(f.doc.source(), &edits.iter().collect::<Vec<_>>()) {
            message.push_str(&format!(
                " (advice only, not applied). Proposed Dockerfile:\n{text}"
            ));
        }
    }
    Finding {
        code: META.code,
        name: META.name,
        message: message.into(),
        span,
        fix: Some(Fix::new(edits, split.applicability).with_title(format!(
            "split into build and runtime stages ({})",
            split.lang
        ))),
        saving_bytes: None,
    }
}

/// The split of the recipe for the stage's base image `base` (`None`: no
/// recipe recognises the build; `Err`: why the one that does cannot split).
fn recipe(f: &StageFacts, base: &str, cx: &Context) -> Option<Result<Split, String>> {
    let data = &cx.data().stages;
    // Worked out on first use: the binary recipes look for a build first.
    let facts = std::cell::OnceCell::new();
    let apt = || facts.get_or_init(|| apt_facts(f, cx));
    match base {
        "golang" => binary(f, data, Lang::Go, &apt),
        // Debian's own `golang-go` or `cargo` package, or a C compiler.
        "debian" | "ubuntu" => [Lang::Go, Lang::Rust, Lang::C]
            .into_iter()
            .find_map(|l| binary(f, data, l, &apt)),
        "gcc" => binary(f, data, Lang::C, &apt),
        // Alpine's own `go` package, or a C compiler from `apk add`;
        // else Alpine's `nodejs` or `python3` with npm or pip.
        "alpine" => [Lang::Go, Lang::Rust, Lang::C]
            .into_iter()
            .find_map(|l| binary(f, data, l, &apt))
            .or_else(|| node(f, cx.data(), apt()))
            .or_else(|| alpine_python(f, data, apt(), cx.build.as_ref().map(|b| &*b.info))),
        "node" => node(f, cx.data(), apt()),
        "python" => pyinstaller(f, data, apt()).or_else(|| {
            python(
                f,
                data,
                apt(),
                cx.data().base_image("python"),
                cx.build.as_ref().map(|b| &*b.info),
            )
        }),
        "rust" => binary(f, data, Lang::Rust, &apt),
        "maven" | "gradle" | "openjdk" | "eclipse-temurin" | "amazoncorretto" => {
            java(f, data, apt())
        }
        _ => None,
    }
}

/// The display-only finding of a build dslim cannot split, and why.
fn blocked_finding(span: crate::syntax::Span, why: String) -> Finding {
    Finding {
        code: META.code,
        name: META.name,
        message: format!(
            "a single-stage build ships its compilers and build caches; dslim cannot split this \
             one: {why}"
        )
        .into(),
        span,
        fix: Some(Fix::display_only(Vec::new())),
        saving_bytes: None,
    }
}

/// What in the stage builds code: a compiler or build command (`[build-tools]`
/// in `transforms/base-images.toml`), a `-dev` package, `go get`, a Node
/// build script. `None`: nothing, so a single stage is no miss.
fn build_step(doc: &Document, stage: &crate::syntax::Stage, tools: &BuildTools) -> Option<String> {
    let texts = run_texts(doc, stage);
    if let Some(t) = compiles(&texts, tools) {
        return Some(t);
    }
    dev_package_or_phrase(
        &texts,
        &[
            "go get",
            "npm run build",
            "yarn build",
            "yarn run build",
            "pnpm build",
            "pnpm run build",
        ],
    )
}
