//! Run a binary copied from a builder stage on a distroless image or
//! `scratch`: `gcr.io/distroless/static-debian13` (Go with `CGO_ENABLED=0`,
//! musl or `-static` builds), `gcr.io/distroless/cc-debian13` (glibc
//! binaries: Rust, C, C++, and Go with cgo on, which is its default in the
//! golang images), or `scratch` for a static binary when nothing in the file suggests TLS or
//! time zones (`ca-certificates`, `https`, `ssl`, `tzdata`…).
//!
//! Why: a final stage that only runs a compiled program does not need a shell,
//! a package manager or most of a distribution. Measured with buildah: a gcc
//! build in one stage on `debian:bookworm` 411.7 MB; copied onto
//! `debian:bookworm-slim` 78.0 MB; onto `scratch` 0.69 MB.
//!
//! Safety: unsafe (applied with `--unsafe`): `docker exec … sh` no longer
//! works, and a binary that loads files or libraries at run time may miss
//! them. Only a final stage (used by no other stage) on a plain distribution
//! or official language image is considered (`replaces` in
//! `[distroless]`, `transforms/base-images.toml`: any other image may provide
//! programs the binary runs), and changed only when it has a
//! `COPY --from=<stage>`, no RUN, no SHELL, no HEALTHCHECK, its CMD or
//! ENTRYPOINT runs a file it copies, and USER and `--chown` name numeric ids
//! or users the image has (`root`, `nonroot`, `nobody`; `scratch` has none). A
//! simple shell-form CMD/ENTRYPOINT is converted to exec form in the same fix
//! (there is no shell to run it); one with shell syntax blocks the change.
//! This includes the runtime stage of a DS201 split: `fix --unsafe` splits
//! in one pass and moves the runtime to distroless in the next
//! (`testdata/pipeline/unsafe-go-cgo-split-then-distroless-cc`). A Go build
//! is static only when the file sets `CGO_ENABLED=0` and nothing turns it
//! back on (`RUN CGO_ENABLED=1 go build` → `cc`). Java, Python and Node
//! builds, a dynamically linked binary built on Alpine (it needs musl's
//! loader, which no distroless image has), a builder that installs `-dev`
//! libraries other than the C library's or passes `-lNAME` for one (`zlib1g-dev`: the binary may link
//! `libz.so.1`, which `cc` lacks: it has glibc, libgcc, libstdc++, libgomp and
//! OpenSSL), a glibc binary built on a release newer than the images' Debian
//! 13 (`debian:forky`, `ubuntu:25.10`: glibc runs older binaries, not newer
//! ones; `newer-releases` in the table), digests and anything unsure get a
//! display-only finding with the proposed FROM.
//!
//! Non-root (guides: security): the program runs as the distroless
//! images' `nonroot` user (uid 65532): `USER 65532` goes before the
//! CMD/ENTRYPOINT (the number, not the name: Kubernetes' `runAsNonRoot` can
//! only check a numeric USER, and hadolint's DL3066 asks for one) when nothing in the stage needs root: no USER of its own
//! (the author's choice stays), no EXPOSE below 1024 (or not a number), no
//! VOLUME (a volume made from a root-owned folder is root's), no `--chown`.
//! Otherwise the message says why it still runs as root; `scratch` has no
//! users and stays root. A program that writes outside /tmp and
//! /home/nonroot (into its WORKDIR, say) fails as `nonroot`, which the
//! message says; this is part of the unsafe fix.
//!
//! The images are Debian 13's: the distroless project supports a Debian
//! release's images for a year (static, base, cc) or three months (java,
//! python, node) after the next Debian release, so the `-debian12` images are
//! past their end of support.
//!
//! The distroless image is written without a tag: distroless publishes no
//! version tags (only `latest`, `nonroot`, `debug`, `debug-nonroot`), the
//! Debian release is in the name (`-debian13`), and the untagged image is the
//! one the distroless project documents. DS205 (latest-tag) therefore leaves
//! it alone, though hadolint reports it as DL3006. To make the build
//! reproducible, pin it by digest (`gcr.io/distroless/cc-debian13@sha256:…`,
//! from `docker buildx imagetools inspect` or `crane digest`): that is the
//! author's call, since dslim works offline and cannot look up or verify a
//! digest. The images written are the `[distroless]` table of
//! `transforms/base-images.toml`; a dslim.toml can set its own, pinned ones
//! (`[base-images.distroless]`,
//! `cc = "gcr.io/distroless/cc-debian13@sha256:…"`).
//!
//! Before:
//! ```text
//! FROM golang:1.22 AS build
//! ENV CGO_ENABLED=0
//! RUN go build -o /out/app .
//! FROM debian:bookworm-slim
//! COPY --from=build /out/app /app
//! CMD /app --port 8080
//! ```
//!
//! After:
//! ```text
//! FROM golang:1.22 AS build
//! ENV CGO_ENABLED=0
//! RUN go build -o /out/app .
//! FROM scratch
//! COPY --from=build /out/app /app
//! CMD ["/app", "--port", "8080"]
//! ```
//!
//! (On `gcr.io/distroless/static-debian13`, for a file that mentions TLS,
//! `USER 65532` would come before the CMD.)

// The data: `[distroless]` in `transforms/base-images.toml`; a builder's
// language from the `ecosystem` of the managers its RUNs call (`packages`).
// Here the transform and the candidate stage; the parts: `builders` (what
// the builder stages make), `runs` (what the stage runs, as whom).

use crate::data::Distroless;
use crate::edit::{Applicability, Edit, Fix};
use crate::finding::Finding;
use crate::syntax::{Document, Instruction, Keyword, Stage};
use crate::transform::{Context, FixAvailability, Meta, Transform};

use super::base_images::{final_stages, is_stage_ref};

mod builders;
mod runs;

use builders::*;
use runs::*;

pub struct DistrolessFinal;

static META: Meta = Meta {
    code: "DS103",
    name: "distroless-final",
    summary: "Run a copied binary on a distroless or scratch final stage",
    doc: crate::transform_doc!("distroless_final"),
    fix: FixAvailability::Sometimes,
    safety: Applicability::Unsafe,
    aliases: &[],
};

/// A final stage DS103 may move: its instructions after FROM, the COPYs
/// from builder stages, those builders, and what they build.
struct Candidate<'d> {
    pub(super) body: Vec<&'d Instruction>,
    pub(super) copies: Vec<(&'d Instruction, &'d Stage)>,
    pub(super) builders: Vec<&'d Stage>,
    pub(super) built: Built,
}

/// Stage `st` as a candidate: a final stage on a plain distribution image
/// (not scratch, distroless, a stage or a variable), with no RUN, SHELL,
/// ONBUILD or unknown instruction, that copies from builder stages whose
/// output is known.
fn candidate<'d>(
    doc: &'d Document,
    cx: &Context,
    finals: &[bool],
    st: &'d Stage,
) -> Option<Candidate<'d>> {
    let d = &cx.data().base_images.distroless;
    let name = st.image.text.to_ascii_lowercase();
    if !finals[st.index]
        || st.image.is_scratch()
        || name.contains("distroless")
        || is_stage_ref(cx.model(), st)
        || st.image.has_variables()
    {
        return None;
    }
    // Only plain distributions: another image may provide programs the
    // binary runs.
    let short = st.image.short_name();
    if !d.replaces.iter().any(|r| r == short) && !cx.data().base_images.images.contains_key(short) {
        return None;
    }
    let body: Vec<&Instruction> = doc.instructions()
        [st.instructions.start + 1..st.instructions.end]
        .iter()
        .collect();
    if body.iter().any(|i| {
        matches!(
            i.keyword,
            Keyword::Run | Keyword::Shell | Keyword::Onbuild | Keyword::Unknown
        )
    }) {
        return None;
    }
    let copies: Vec<(&Instruction, &Stage)> = body
        .iter()
        .filter(|i| i.keyword == Keyword::Copy)
        .filter_map(|i| copy_from(doc, i, st.index).map(|s| (*i, s)))
        .collect();
    if copies.is_empty() {
        return None;
    }
    let mut builders: Vec<&Stage> = copies.iter().map(|(_, s)| *s).collect();
    builders.dedup_by_key(|s| s.index);
    let built = built_by(doc, cx, &builders)?;
    Some(Candidate {
        body,
        copies,
        builders,
        built,
    })
}

/// The distroless image for what the builders make, or the image and why
/// the move is advice only (interpreted languages; a binary that may need
/// musl, a library the `cc` image lacks, or a newer glibc).
fn target_image<'a>(
    doc: &Document,
    d: &'a Distroless,
    c: &Candidate,
) -> Result<&'a String, (&'a String, String)> {
    match c.built {
        Built::Java => Err((&d.java, "a jar needs its CMD rewritten for the image's `java -jar` ENTRYPOINT, and the Java version must match".into())),
        Built::Python => Err((&d.python, "the distroless Python version and site-packages path must match the builder's".into())),
        Built::Node => Err((
            &d.nodejs,
            "the image's ENTRYPOINT is `node`, so CMD must name the script only".into(),
        )),
        // cgo is on by default: the Go binary is taken as linked against
        // glibc, like a Rust or C one.
        Built::GoCgo | Built::Cc => {
            if let Some(img) = musl_builder(doc, &c.builders) {
                return Err((&d.cc, format!("the builder {img} is Alpine: a dynamically linked binary built there needs musl, which the distroless images lack (link it statically: `CGO_ENABLED=0`, a musl target or `-static`)")));
            }
            if let Some(lib) = linked_library(doc, &c.builders) {
                return Err((&d.cc, format!("the builder links a library (`{lib}`) the `cc` image may lack: it has only glibc, libgcc, libstdc++, libgomp and OpenSSL")));
            }
            if let Some(img) = newer_release(doc, &c.builders, &d.newer_releases) {
                return Err((&d.cc, format!("the builder `{img}` may link against a newer glibc than the image's Debian release has")));
            }
            Ok(&d.cc)
        }
        Built::Static => Ok(&d.static_),
    }
}

impl Transform for DistrolessFinal {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, doc: &Document, cx: &Context, out: &mut Vec<Finding>) {
        if doc.stages().len() < 2 || doc.escape() == '`' {
            return;
        }
        let d = &cx.data().base_images.distroless;
        let finals = final_stages(doc, cx.config);
        for st in doc.stages() {
            let Some(c) = candidate(doc, cx, &finals, st) else {
                continue;
            };
            let span = st.image.span.clone();
            let advise = |target: &str, why: String| Finding {
                code: META.code,
                name: META.name,
                message: format!(
                    "this final stage only runs what it copies from a builder stage; \
                     `FROM {target}` would drop the shell and package manager \
                     (not changed: {why})"
                )
                .into(),
                span: span.clone(),
                fix: Some(Fix::display_only(vec![])),
                saving_bytes: None,
            };
            let base = match target_image(doc, d, &c) {
                Ok(b) => b,
                Err((target, why)) => {
                    out.push(advise(target, why));
                    continue;
                }
            };
            if st.image.digest.is_some() || doc.text(span.clone()) != st.image.text {
                out.push(advise(base, "the image is pinned by digest".into()));
                continue;
            }
            let mut r = match runner(&c.body) {
                Ok(r) => r,
                Err(why) => {
                    out.push(advise(base, why));
                    continue;
                }
            };
            if let Some(why) = unsure_on_image(&c, &r.words, d) {
                out.push(advise(base, why));
                continue;
            }
            let lower = doc.source().to_ascii_lowercase();
            let scratch = c.built == Built::Static
                && users_known(&c.body, &[])
                && !d
                    .needs_files
                    .iter()
                    .any(|w| lower.contains(&w.to_ascii_lowercase()));
            let target = if scratch { "scratch" } else { base.as_str() };
            r.edits.push(Edit::replace(span.clone(), target));
            let user_note = nonroot(doc, &c, &mut r, scratch);
            out.push(Finding {
                code: META.code,
                name: META.name,
                message: format!(
                    "this final stage only runs `{}` copied from a builder stage; `FROM {target}` \
                     drops the shell, package manager and libraries it does not use{}{}",
                    r.words.first().map_or("", |s| s.as_str()),
                    if c.built == Built::GoCgo {
                        " (the Go build does not set `CGO_ENABLED=0`, so cgo is on and the binary \
                         is taken as linked against glibc, which the `cc` image has)"
                    } else {
                        ""
                    },
                    user_note
                )
                .into(),
                span,
                fix: Some(Fix::unsafe_(r.edits).with_title(format!("use `FROM {target}`"))),
                saving_bytes: None,
            });
        }
    }
}
