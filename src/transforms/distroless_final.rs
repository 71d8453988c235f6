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

use crate::data::Distroless;
use crate::edit::{Applicability, Edit, Fix};
use crate::finding::Finding;
use crate::syntax::{Document, Instruction, Keyword, Stage};
use crate::transform::{Context, FixAvailability, Meta, Transform};

use super::exec_form_cmd::stage_chain;
use super::images::{convertible, final_stages, is_stage_ref, json_array, tokens};
use super::packages;

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

/// What the builder stages produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Built {
    /// A static binary (Go without cgo, musl, `-static`).
    Static,
    /// A binary linked against glibc (Rust, C, C++).
    Cc,
    /// Go with cgo possibly on.
    GoCgo,
    Java,
    Python,
    Node,
}

fn copy_from<'d>(doc: &'d Document, ins: &Instruction, before: usize) -> Option<&'d Stage> {
    let v = ins.flag("from")?.value()?.to_ascii_lowercase();
    doc.stages()[..before]
        .iter()
        .rev()
        .find(|s| s.name.as_deref() == Some(v.as_str()))
        .or_else(|| v.parse::<usize>().ok().and_then(|n| doc.stages().get(n)))
        .filter(|s| s.index < before)
}

/// The image, RUN, ENV and ARG text of the builder stages and the stages
/// they are built on, one a line.
fn builder_text(doc: &Document, builders: &[&Stage]) -> String {
    let mut text = String::new();
    for b in builders {
        for s in stage_chain(doc, b) {
            text.push_str(&s.image.text.to_ascii_lowercase());
            text.push('\n');
            for i in s.instructions.clone() {
                let ins = &doc.instructions()[i];
                if matches!(ins.keyword, Keyword::Run | Keyword::Env | Keyword::Arg) {
                    text.push_str(doc.text(ins.span.clone()));
                    text.push('\n');
                }
            }
        }
    }
    text
}

/// Whether a RUN of the builder stages (or the stages they are built on)
/// calls a package manager of `ecosystem` (`node`, `python`: the
/// `ecosystem` field of transforms/package-managers.toml).
fn calls_ecosystem(cx: &Context, builders: &[&Stage], ecosystem: &str) -> bool {
    let doc = cx.model().doc();
    builders.iter().any(|b| {
        stage_chain(doc, b).iter().any(|s| {
            s.instructions.clone().any(|i| {
                doc.instructions()[i].keyword == Keyword::Run
                    && !packages::ecosystem_calls(cx.model(), cx.data(), i, Some(ecosystem))
                        .is_empty()
            })
        })
    })
}

fn built_by(doc: &Document, cx: &Context, builders: &[&Stage]) -> Option<Built> {
    let text = builder_text(doc, builders);
    let toks = tokens(&text);
    let has = |w: &str| toks.iter().any(|t| t.rsplit('/').next() == Some(w));
    let phrase = |a: &str, b: &str| {
        toks.windows(2)
            .any(|w| w[0].rsplit('/').next() == Some(a) && w[1] == b)
    };
    let image = |p: &str| {
        builders.iter().any(|b| {
            stage_chain(doc, b)
                .iter()
                .any(|s| s.image.name.rsplit('/').next().unwrap_or("").starts_with(p))
        })
    };
    Some(if phrase("go", "build") || image("golang") {
        // Static only when nothing turns cgo back on (`ENV CGO_ENABLED=0`
        // then `RUN CGO_ENABLED=1 go build`).
        if text.contains("CGO_ENABLED=0") && !text.contains("CGO_ENABLED=1") {
            Built::Static
        } else {
            Built::GoCgo
        }
    } else if phrase("cargo", "build") || image("rust") {
        if text.contains("musl") {
            Built::Static
        } else {
            Built::Cc
        }
    } else if has("mvn")
        || has("mvnw")
        || has("gradle")
        || has("gradlew")
        || image("maven")
        || image("gradle")
    {
        Built::Java
    } else if has("gcc") || has("g++") || has("make") || has("cmake") || has("clang") {
        if has("-static") || text.contains("-static ") {
            Built::Static
        } else {
            Built::Cc
        }
    } else if calls_ecosystem(cx, builders, "node") || image("node") {
        Built::Node
    } else if calls_ecosystem(cx, builders, "python") || image("python") {
        Built::Python
    } else {
        return None;
    })
}

/// An Alpine builder (image or `apk`): a dynamically linked binary built
/// there needs musl's loader, which no distroless image has.
fn musl_builder(doc: &Document, builders: &[&Stage]) -> Option<String> {
    let chain: Vec<&Stage> = builders.iter().flat_map(|b| stage_chain(doc, b)).collect();
    if let Some(s) = chain
        .iter()
        .find(|s| s.image.text.to_ascii_lowercase().contains("alpine"))
    {
        return Some(format!("`{}`", s.image.text));
    }
    let text = builder_text(doc, builders);
    tokens(&text)
        .iter()
        .any(|t| t.rsplit('/').next() == Some("apk"))
        .then(|| "that runs `apk`".to_string())
}

/// A `-dev` package or `-lNAME` in the builders' RUNs for a library the
/// `cc` image lacks (it has glibc, libgcc, libstdc++ and libssl): the binary
/// may link it (`zlib1g-dev` → libz.so.1, found missing at start).
fn linked_library(doc: &Document, builders: &[&Stage]) -> Option<String> {
    const HAS: &[&str] = &[
        "libc6-dev",
        "libc-dev",
        "linux-libc-dev",
        "musl-dev",
        "libssl-dev",
        "-lm",
        "-lc",
        "-lpthread",
        "-ldl",
        "-lrt",
        "-lstdc++",
        "-lgcc_s",
        "-lssl",
        "-lcrypto",
    ];
    for b in builders {
        for s in stage_chain(doc, b) {
            for i in s.instructions.clone() {
                let ins = &doc.instructions()[i];
                if ins.keyword != Keyword::Run {
                    continue;
                }
                let toks = tokens(doc.text(ins.span.clone()));
                if let Some(t) = toks.iter().find(|t| {
                    let dev = t.len() > 4
                        && (t.ends_with("-dev") || t.ends_with("-devel"))
                        && !t.starts_with('-');
                    let flag = t.len() > 2
                        && t.starts_with("-l")
                        && t[2..]
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || "_+-.".contains(c));
                    (dev || flag)
                        && !HAS.contains(t)
                        && !t.starts_with("libstdc++")
                        && !t.starts_with("libgcc")
                }) {
                    return Some(t.to_string());
                }
            }
        }
    }
    None
}

/// A builder image (in the chain of any builder) whose tag names a release
/// newer than the distroless images' (`debian:forky`, `ubuntu:25.10`).
fn newer_release(doc: &Document, builders: &[&Stage], newer: &[String]) -> Option<String> {
    builders
        .iter()
        .flat_map(|b| stage_chain(doc, b))
        .find_map(|s| {
            let tag = s.image.tag.as_deref()?.to_ascii_lowercase();
            let named = newer.iter().any(|n| {
                tag == *n
                    || tag.split('-').any(|w| w == n)
                    || tag
                        .strip_prefix(n.as_str())
                        .is_some_and(|r| r.starts_with('.'))
            });
            named.then(|| s.image.text.clone())
        })
}

/// The user part of `USER` or `--chown` (`app:app` → `app`) is fine for an
/// image whose /etc/passwd has `users` (none for scratch).
/// Why the program of a final stage may need root: a USER the author
/// chose (root or another), a port below 1024, a VOLUME (a volume made
/// from a root-owned folder is root's), a `--chown` (files for a user).
/// `None`: nothing says so.
fn needs_root(body: &[&Instruction]) -> Option<String> {
    for i in body {
        match i.keyword {
            Keyword::User => return Some("the stage sets its USER".into()),
            Keyword::Volume => return Some("a VOLUME is root-owned".into()),
            Keyword::Expose => {
                for v in i.values() {
                    let port = v.split('/').next().unwrap_or("");
                    match port.split('-').next().unwrap_or("").parse::<u32>() {
                        Ok(p) if p >= 1024 => {}
                        Ok(p) => return Some(format!("port {p} is below 1024, which needs root")),
                        Err(_) => return Some(format!("EXPOSE `{v}` may be a port below 1024")),
                    }
                }
            }
            Keyword::Copy | Keyword::Add if i.flag("chown").is_some() => {
                return Some("a `--chown` gives files to a user".into())
            }
            _ => {}
        }
    }
    None
}

fn user_ok(spec: &str, users: &[String]) -> bool {
    let user = spec.split(':').next().unwrap_or("");
    let group = spec.split(':').nth(1).unwrap_or(user);
    let ok = |n: &str| n.chars().all(|c| c.is_ascii_digit()) || users.iter().any(|u| u == n);
    !user.contains('$') && ok(user) && ok(group)
}

/// A final stage DS103 may move: its instructions after FROM, the COPYs
/// from builder stages, those builders, and what they build.
struct Candidate<'d> {
    body: Vec<&'d Instruction>,
    copies: Vec<(&'d Instruction, &'d Stage)>,
    builders: Vec<&'d Stage>,
    built: Built,
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

/// What the stage runs: the ENTRYPOINT (else the CMD), its words, and the
/// edits that write shell-form ones in exec form; `Err` when nothing runs
/// or a shell form cannot be converted.
struct Runner<'d> {
    entry: Option<&'d Instruction>,
    cmd: Option<&'d Instruction>,
    words: Vec<String>,
    edits: Vec<Edit>,
}

fn runner<'d>(body: &[&'d Instruction]) -> Result<Runner<'d>, String> {
    let last = |k: Keyword| body.iter().rev().find(|i| i.keyword == k).copied();
    let (entry, cmd) = (last(Keyword::Entrypoint), last(Keyword::Cmd));
    let Some(runs) = entry.or(cmd) else {
        return Err(
            "the stage has no CMD or ENTRYPOINT, so it relies on the current image's".into(),
        );
    };
    let mut r = Runner {
        entry,
        cmd,
        words: Vec::new(),
        edits: Vec::new(),
    };
    let mut unsure = None;
    for ins in [entry, cmd].into_iter().flatten() {
        if ins.is_exec_form() {
            if std::ptr::eq(ins, runs) {
                r.words = ins.values().to_vec();
            }
            continue;
        }
        match convertible(ins) {
            Ok(w) => {
                r.edits.push(Edit::replace(ins.args_span(), json_array(&w)));
                if std::ptr::eq(ins, runs) {
                    r.words = w;
                }
            }
            Err(e) => {
                unsure = Some(format!(
                    "its {} is shell form and {e}",
                    ins.keyword_text().to_ascii_uppercase()
                ))
            }
        }
    }
    if entry.is_some_and(|e| !e.is_exec_form()) && cmd.is_some() {
        unsure = Some("a shell-form ENTRYPOINT ignores CMD; exec form would pass it".into());
    }
    match unsure {
        Some(why) => Err(why),
        None => Ok(r),
    }
}

/// Whether every USER and `--chown` of the stage names a user of `users`
/// (or a number).
fn users_known(body: &[&Instruction], users: &[String]) -> bool {
    body.iter().all(|i| match i.keyword {
        Keyword::User => user_ok(i.args_text().trim(), users),
        Keyword::Copy | Keyword::Add => i
            .flag("chown")
            .and_then(|f| f.value())
            .is_none_or(|v| user_ok(v, users)),
        _ => true,
    })
}

/// Why the stage may not run on the image: it runs something it does not
/// copy from a builder, has a HEALTHCHECK (which needs a shell or tools),
/// or names users the image lacks.
fn unsure_on_image(c: &Candidate, words: &[String], d: &Distroless) -> Option<String> {
    let copied: Vec<&str> = c
        .copies
        .iter()
        .flat_map(|(i, _)| i.values())
        .map(|p| p.trim_end_matches('/').rsplit('/').next().unwrap_or(""))
        .collect();
    let program = words.first().map(|p| p.rsplit('/').next().unwrap_or(""));
    if !program.is_some_and(|p| !p.is_empty() && copied.contains(&p)) {
        return Some(format!(
            "it runs `{}`, not a file it copies from the builder",
            words.first().map_or("", |s| s.as_str())
        ));
    }
    if c.body.iter().any(|i| {
        i.keyword == Keyword::Healthcheck && !i.args_text().trim().eq_ignore_ascii_case("none")
    }) {
        return Some("its HEALTHCHECK needs a shell or tools".into());
    }
    if !users_known(&c.body, &d.users) {
        return Some(format!(
            "USER or `--chown` names a user the image lacks (it has {})",
            d.users.join(", ")
        ));
    }
    None
}

/// Non-root (guides: security): the distroless images have the `nonroot`
/// user (65532); it runs the program when nothing in the stage needs root.
/// Written as the number: Kubernetes' `runAsNonRoot` can only verify a
/// numeric USER, and hadolint (DL3066) asks for one. `scratch` has no
/// users. Returns the message part.
fn nonroot(doc: &Document, c: &Candidate, r: &mut Runner, scratch: bool) -> String {
    let root_needed = if scratch {
        Some("`scratch` has no non-root user".to_string())
    } else {
        needs_root(&c.body)
    };
    match &root_needed {
        None => {
            let before = r.entry.into_iter().chain(r.cmd).map(|i| i.span.start).min();
            if let Some(at) = before {
                r.edits
                    .push(Edit::insert(at, format!("USER 65532{}", doc.line_ending())));
            }
            "; runs as `nonroot` (`USER 65532`) instead of root: nothing in the stage \
             needs root, but a program that writes outside /tmp and its home \
             (/home/nonroot), for example into its WORKDIR, now fails"
                .to_string()
        }
        Some(_) if c.body.iter().any(|i| i.keyword == Keyword::User) => String::new(),
        Some(why) => format!("; it still runs as root ({why})"),
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
                ),
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
                ),
                span,
                fix: Some(Fix::unsafe_(r.edits).with_title(format!("use `FROM {target}`"))),
                saving_bytes: None,
            });
        }
    }
}
