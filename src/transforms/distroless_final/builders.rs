//! What the builder stages of a DS103 candidate make: Go, Rust, C, Java,
//! Python or Node, static or not, and what may tie the binary to the builder
//! (musl, a library, a newer glibc).

use crate::syntax::{Document, Instruction, Keyword, Stage};
use crate::transform::Context;

use super::super::base_images::tokens;
use super::super::exec_form_cmd::stage_chain;
use super::super::packages;

/// What the builder stages produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Built {
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

pub(super) fn copy_from<'d>(
    doc: &'d Document,
    ins: &Instruction,
    before: usize,
) -> Option<&'d Stage> {
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
pub(super) fn builder_text(doc: &Document, builders: &[&Stage]) -> String {
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
pub(super) fn calls_ecosystem(cx: &Context, builders: &[&Stage], ecosystem: &str) -> bool {
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

pub(super) fn built_by(doc: &Document, cx: &Context, builders: &[&Stage]) -> Option<Built> {
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
pub(super) fn musl_builder(doc: &Document, builders: &[&Stage]) -> Option<String> {
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
pub(super) fn linked_library(doc: &Document, builders: &[&Stage]) -> Option<String> {
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
pub(super) fn newer_release(
    doc: &Document,
    builders: &[&Stage],
    newer: &[String],
) -> Option<String> {
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
