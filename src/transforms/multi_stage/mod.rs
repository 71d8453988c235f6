//! DS201 `multi-stage`: split a single-stage build into a builder stage and
//! a runtime stage that gets only what the program needs to run.
//!
//! Applied (unsafe): Go (`go build -o PATH`, on a `golang` image or on
//! Debian/Ubuntu with Debian's `golang-go`), Rust (`cargo build --release`
//! on a `rust` image or with Debian's `cargo`; the binary is the one the
//! CMD/ENTRYPOINT starts from cargo's `release` folder; `cargo install
//! --path`; the `-sys` crates of the context's Cargo.lock name the
//! libraries a dynamic binary's runtime installs) and C-like builds
//! (`gcc|g++|clang … -o PATH`, or `make`/`make install`/`cmake --build`/
//! `cmake --install` with the binary the CMD/ENTRYPOINT names, on Debian,
//! Ubuntu or `gcc`; a C++ binary from `gcc` only with `-static-libstdc++`)
//! → the binary on
//! `scratch` when it is static (`CGO_ENABLED=0`, `-static`, a musl target;
//! with the CA bundle when the builder has one), else on the builder's own
//! release without the
//! compiler (`debian:bookworm` → `debian:bookworm-slim`, `golang:…-trixie` →
//! `debian:trixie-slim`, no release → `debian:stable-slim`: a binary needs
//! the glibc it was linked against or a newer one; an Alpine builder's
//! musl binary on the builder's Alpine release, `alpine:3` when its tag
//! names none: `facts::alpine_runtime`); Node (`npm|yarn|pnpm`
//! install + build scripts → the app folder, pruned of dev dependencies in
//! the builder, on the image's `-slim` variant, or on the same image for
//! `-alpine`); Python (pip installs into
//! a venv in the builder, copied to `python:<tag>-slim` with the app folder;
//! the runtime libraries of the builder's `-dev` packages installed there,
//! see `python.rs`); Java (`javac` + `jar`, or Maven with a literal
//! `<finalName>` → the jar at the same path on `eclipse-temurin:<major>-jre`,
//! the builder tag's major: `java.rs`). Advice only, with the proposed
//! Dockerfile in the message: Gradle and other Maven builds, and a Python
//! build with something the split would lose.
//!
//! What apt installs beside the build tools (`[builder]` in
//! `transforms/stages.toml`) the program might run: the runtime stage
//! installs it too when it can do so the same way (the builder's release,
//! unpinned, no apt source or key of its own), else the split is refused
//! (advice). `lib…-dev` packages
//! are fine for a static binary; for a dynamic C or Rust one the runtime
//! installs the library they stand for (`[binary] runtime-libraries`,
//! `cargo-sys-libraries`), an unmapped one is refused; for Go they are
//! refused.
//!
//! The runtime stage gets copies of ENV, EXPOSE, USER, WORKDIR, VOLUME,
//! LABEL, HEALTHCHECK, STOPSIGNAL, CMD and ENTRYPOINT in their order, the
//! ARGs those expand, and what setup RUNs made outside the app folder
//! ([`carry_setup_files`]); CMD,
//! ENTRYPOINT, EXPOSE, HEALTHCHECK and STOPSIGNAL move (they mean nothing in
//! a builder). Stages are named `build` and `runtime` unless the FROM
//! already has a name. Recipes: `transforms/stages.toml`.
//!
//! Nothing changes (no finding) for files that are already multi-stage,
//! FROM with variables, or builds that are not recognised; a recognised
//! build with something the split would lose (a RUN after the build
//! other than tests, removals, `chmod` of the binary, apt and the
//! folders, copies and links whose results are copied, a
//! shell-form CMD on `scratch`, a named USER the runtime lacks, a COPY
//! outside the app folder that cannot be made again, apt packages the
//! program may use) gets advice instead.

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

use super::images::{compiles, has_phrase, run_texts, tokens};
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
    doc: include_str!("../multi_stage.md"),
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
struct Facts<'d> {
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

impl<'d> Facts<'d> {
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
        let instrs = doc.instructions();
        let from_ins = &instrs[stage.from];
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
        if stage.image.has_variables() {
            return blocked(
                "the FROM image has variables, so its variants are unknown".into(),
                out,
            );
        }
        if let Some(i) = instrs.iter().find(|i| {
            i.keyword == Keyword::Onbuild || i.flag("from").is_some() || i.keyword == Keyword::Shell
        }) {
            let what = if i.flag("from").is_some() {
                "a `--from` (another image's files)".to_string()
            } else {
                format!("`{}`", i.keyword_text())
            };
            return blocked(format!("{what} is not carried into a split"), out);
        }
        let mut f = Facts {
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
        // Official images only: their variants (`-slim`) are known to exist.
        let official = stage.image.registry.is_none()
            && (!stage.image.name.contains('/') || stage.image.name.starts_with("library/"));
        if !official {
            return blocked(
                format!(
                    "`{}` is not an official image, whose runtime variants dslim knows",
                    stage.image.text
                ),
                out,
            );
        }
        let base = stage.image.name.rsplit('/').next().unwrap_or("");
        let result = recipe(&f, base, cx);
        let Some(result) = result else {
            // A compiled-language image whose RUNs compile nothing the
            // binary recipes follow: its tools may be the image's purpose
            // (a toolchain or desktop app image), not a build step.
            if matches!(base, "debian" | "ubuntu" | "gcc" | "golang" | "rust") {
                return blocked(
                    format!(
                        "no RUN of this `{base}` build compiles a program dslim can follow (`go \
                         build|install`, `cargo build|install`, a compiler with `-o`, make or \
                         cmake), so what the image runs is not a build output: the tools it \
                         installs may be what it is for"
                    ),
                    out,
                );
            }
            return blocked(
                format!("no recipe of dslim (`transforms/stages.toml`) matches a `{base}` build"),
                out,
            );
        };
        let from_ins = &instrs[stage.from];
        let span = from_ins.span.start..from_ins.span.start + from_ins.keyword_text().len();
        let split = match result {
            Err(why) => {
                out.push(blocked_finding(span, why));
                return;
            }
            Ok(s) => s,
        };
        out.push(split_finding(&f, stage.name.as_deref(), span, split, cx));
    }
}

/// The finding of a split: what a binary split's runtime needs beside the
/// binary, the root note, the edits, and for advice the proposed Dockerfile.
fn split_finding(
    f: &Facts,
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
        message,
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
fn recipe(f: &Facts, base: &str, cx: &Context) -> Option<Result<Split, String>> {
    let data = &cx.data().stages;
    let apt = apt_facts(f, cx);
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
            .or_else(|| node(f, cx.data(), &apt))
            .or_else(|| alpine_python(f, data, &apt, cx.build.as_ref().map(|b| &*b.info))),
        "node" => node(f, cx.data(), &apt),
        "python" => pyinstaller(f, data, &apt).or_else(|| {
            python(
                f,
                data,
                &apt,
                cx.data().base_image("python"),
                cx.build.as_ref().map(|b| &*b.info),
            )
        }),
        "rust" => binary(f, data, Lang::Rust, &apt),
        "maven" | "gradle" | "openjdk" | "eclipse-temurin" | "amazoncorretto" => {
            java(f, data, &apt)
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
        ),
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
    texts.iter().find_map(|text| {
        let toks = tokens(text);
        if let Some(d) = toks
            .iter()
            .find(|t| t.len() > 4 && t.ends_with("-dev") && !t.starts_with('-'))
        {
            return Some(d.to_string());
        }
        [
            "go get",
            "npm run build",
            "yarn build",
            "yarn run build",
            "pnpm build",
            "pnpm run build",
        ]
        .into_iter()
        .find(|p| has_phrase(&toks, p))
        .map(str::to_string)
    })
}
