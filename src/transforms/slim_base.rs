//! DS101 `slim-base`: move a final stage from a full official image to its
//! slim variant (`python:3.12` → `python:3.12-slim`), or a JDK image to a
//! JRE image when the stage only runs a jar.
//!
//! Final stages only (no `FROM`, `COPY --from` or `--mount from=` uses
//! them): builder stages keep their compilers. The table
//! (`transforms/base-images.toml`) knows each image's naming. Left alone:
//! tags that already are variants, names with variables, other registries'
//! images. Display only: no tag or `latest` (which version?), a digest (the
//! variant has another digest), a stage that compiles code (the full image
//! carries the headers and libraries a build needs): a compiler, an
//! apt-installed `-dev` package, `pip install --no-binary`.

use crate::data::BaseImage;
use crate::edit::{Applicability, Edit, Fix};
use crate::finding::Finding;
use crate::syntax::{Document, Keyword, Stage};
use crate::transform::{Context, FixAvailability, Meta, Transform};

use super::images::{
    compiles, final_stages, is_stage_ref, is_variant, jre_image, native_install, resolved_image,
    run_texts, slim_tag, tokens, TagPlan,
};

pub struct SlimBase;

static META: Meta = Meta {
    code: "DS101",
    name: "slim-base",
    summary: "Use the slim variant of the base image in final stages",
    doc: include_str!("slim_base.md"),
    fix: FixAvailability::Sometimes,
    safety: Applicability::Unsafe,
    aliases: &[],
};

/// Where the tag of a FROM image stands, and the text before it.
pub(crate) struct WrittenImage {
    /// Source span of the whole reference.
    pub span: crate::syntax::Span,
    /// `docker.io/library/python:` — everything up to the tag.
    pub prefix: String,
    pub tag: String,
}

/// The written image of a stage when it is a literal name with a tag on one
/// line (the tag may hold `${VAR}`s).
pub(crate) fn written(doc: &Document, st: &Stage) -> Option<WrittenImage> {
    let img = &st.image;
    if doc.text(img.span.clone()) != img.text || img.name.contains('$') || img.digest.is_some() {
        return None;
    }
    let tag = img.tag.clone()?;
    let prefix = img.text[..img.text.len() - tag.len()].to_string();
    Some(WrittenImage {
        span: img.span.clone(),
        prefix,
        tag,
    })
}

/// The table entry for a stage's (resolved) image, if the image is one
/// dslim knows: a Docker Hub official image, under any registry prefix that
/// keeps the `library/` path or none.
pub(crate) fn table_for<'c>(cx: &'c Context, name: &str) -> Option<&'c BaseImage> {
    if name.contains('$') {
        return None;
    }
    let short = name.strip_prefix("library/").unwrap_or(name);
    cx.data().base_image(short)
}

pub(crate) fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// Why the RUNs build native code while installing, if they do: a `-dev`
/// package (headers to compile against) or pip's `--no-binary`.
fn source_build(texts: &[&str]) -> Option<String> {
    texts.iter().flat_map(|t| tokens(t)).find_map(|t| {
        if t.starts_with("--no-binary") || t.starts_with("PIP_NO_BINARY") {
            Some(format!(
                "`{}` builds from source",
                t.split('=').next().unwrap_or(t)
            ))
        } else if !t.starts_with('-') && t.len() > 4 && t.ends_with("-dev") {
            Some(format!("it installs `{t}`, headers to compile against"))
        } else {
            None
        }
    })
}

/// What the smaller image leaves out, as the table says (a generic phrase
/// for a user's table without `slim-drops`).
fn drops(img: &BaseImage) -> &str {
    img.slim_drops
        .as_deref()
        .unwrap_or("build tools the full image carries")
}

/// The measured saving of swapping `from` to `to`, when the table has both.
fn saving(img: &BaseImage, from: &str, to: &str) -> Option<u64> {
    let size = |t: &str| img.sizes.iter().find(|s| s.tag == t).map(|s| s.bytes);
    size(from)?.checked_sub(size(to)?)
}

impl Transform for SlimBase {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, doc: &Document, cx: &Context, out: &mut Vec<Finding>) {
        if doc.stages().is_empty() {
            return;
        }
        let finals = final_stages(doc, cx.config);
        for st in doc.stages() {
            if !finals[st.index] || st.image.is_scratch() || is_stage_ref(cx.model(), st) {
                continue;
            }
            let img = resolved_image(doc, st);
            let Some(table) = table_for(cx, &img.name) else {
                continue;
            };
            if table.slim.is_none() && table.jre.is_none() {
                continue;
            }
            let tools = &cx.data().base_images.build_tools;
            let span = st.image.span.clone();
            let advise = |message: String, out: &mut Vec<Finding>| {
                out.push(Finding {
                    code: META.code,
                    name: META.name,
                    message,
                    span: span.clone(),
                    fix: Some(Fix::display_only(vec![])),
                    saving_bytes: None,
                });
            };
            let shown = &st.image.text;
            let tag = img.tag.as_deref().unwrap_or("latest");
            if img.digest.is_some() {
                if !is_variant(table, tag) {
                    advise(
                        format!(
                            "`{shown}` is pinned by digest; its slim variant has another digest: \
                             if this final stage needs no build tools, pin the slim variant's digest"
                        ),
                        out,
                    );
                }
                continue;
            }
            if tag.eq_ignore_ascii_case("latest") {
                advise(
                    format!(
                        "`{shown}` names no version, so dslim cannot tell which slim tag \
                         exists; pin a version and use its slim variant (e.g. `{}:<version>-{}`)",
                        img.name.strip_prefix("library/").unwrap_or(&img.name),
                        table.slim.as_deref().unwrap_or("slim")
                    ),
                    out,
                );
                continue;
            }
            if is_variant(table, tag) {
                continue;
            }
            let texts = run_texts(doc, st);
            let drops = drops(table);
            // A slim variant with the same packages (`debian`) builds what
            // the full image builds: the stage installs its own compilers.
            if let Some(tool) = compiles(&texts, tools).filter(|_| !table.slim_same_packages) {
                advise(
                    format!(
                        "`{shown}` is a full image, but this final stage builds code (`{tool}`), \
                         which may need what the smaller image leaves out: {drops}; build in a \
                         separate stage and copy the result onto the smaller image"
                    ),
                    out,
                );
                continue;
            }
            // Headers installed, or pip told to build from source: the
            // stage compiles at install time, and on the slim image (no gcc)
            // pip may build a package without its C extension instead of
            // failing (`--no-binary PyYAML` with `libyaml-dev`).
            let envs: Vec<&str> = doc.instructions()[st.instructions.clone()]
                .iter()
                .filter(|i| i.keyword == Keyword::Env)
                .map(|i| doc.text(i.span.clone()))
                .collect();
            let installs: Vec<&str> = texts.iter().chain(&envs).copied().collect();
            if let Some(why) = source_build(&installs).filter(|_| !table.slim_same_packages) {
                advise(
                    format!(
                        "`{shown}` is a full image, but this final stage may compile native code \
                         while installing ({why}), which needs what the smaller image leaves out: \
                         {drops}; build in a separate stage and copy the result onto the \
                         smaller image"
                    ),
                    out,
                );
                continue;
            }
            if table.jre.is_some() {
                self.jre(doc, st, cx, table, &img.text, tag, &texts, out);
                continue;
            }
            let Some(w) = written(doc, st) else {
                continue;
            };
            let TagPlan::Swap(new_tag) = slim_tag(table, &w.tag) else {
                continue;
            };
            // With `${VAR}` in the tag, its default must not be a variant.
            if w.tag.contains('$') && is_variant(table, tag) {
                continue;
            }
            let new = format!("{}{new_tag}", w.prefix);
            let save = match slim_tag(table, tag) {
                TagPlan::Swap(t) => saving(table, tag, &t),
                TagPlan::Leave => None,
            };
            let native = native_install(&texts, tools).filter(|_| !table.slim_same_packages);
            let warn = native.map_or(String::new(), |n| {
                format!(
                    "; note: `{n}` may build native extensions, which the slim image \
                     cannot compile (install build tools in a builder stage if it fails)"
                )
            });
            out.push(Finding {
                code: META.code,
                name: META.name,
                message: format!(
                    "final stage uses the full image `{shown}`; its slim variant `{new}`{} \
                     leaves out {drops}{warn}",
                    save.map_or(String::new(), |b| format!(" (~{} smaller)", mb(b)))
                ),
                span: w.span.clone(),
                fix: Some(
                    Fix::unsafe_(vec![Edit::replace(w.span.clone(), new.clone())])
                        .with_title(format!("use `{new}`")),
                ),
                saving_bytes: save,
            });
        }
    }
}

impl SlimBase {
    /// JDK → JRE, when the stage only runs a jar.
    #[allow(clippy::too_many_arguments)]
    fn jre(
        &self,
        doc: &Document,
        st: &Stage,
        cx: &Context,
        table: &BaseImage,
        shown: &str,
        tag: &str,
        texts: &[&str],
        out: &mut Vec<Finding>,
    ) {
        let _ = cx;
        let span = st.image.span.clone();
        let Some(jre) = jre_image(table, tag) else {
            return;
        };
        let jdk_tool = texts.iter().flat_map(|t| tokens(t)).find(|t| {
            matches!(
                *t,
                "jar" | "jlink" | "jdeps" | "jshell" | "javadoc" | "jpackage"
            )
        });
        let runs_jar = doc.instructions()[st.instructions.clone()].iter().any(|i| {
            matches!(i.keyword, Keyword::Cmd | Keyword::Entrypoint) && {
                let t = doc.text(i.span.clone());
                t.contains("java") || t.contains(".jar")
            }
        });
        let w = written(doc, st).filter(|w| !w.tag.contains('$'));
        let why = if let Some(t) = jdk_tool {
            Some(format!("the stage runs `{t}`, a JDK tool"))
        } else if !runs_jar {
            Some("dslim cannot tell that the stage only runs a jar (no `java`/`.jar` in its CMD or ENTRYPOINT)".to_string())
        } else if w.is_none() {
            Some("the image reference holds variables".to_string())
        } else {
            None
        };
        // Keep a registry prefix (`docker.io/library/`).
        let prefix = w
            .as_ref()
            .map(|w| {
                let name_and_colon = w.prefix.trim_end_matches(':');
                let short = name_and_colon.rsplit('/').next().unwrap_or("");
                name_and_colon[..name_and_colon.len() - short.len()].to_string()
            })
            .unwrap_or_default();
        let new = format!("{prefix}{jre}");
        match (why, w) {
            (None, Some(w)) => out.push(Finding {
                code: META.code,
                name: META.name,
                message: format!(
                    "final stage runs a jar on the JDK image `{shown}`; the JRE image `{new}` \
                     runs it without {}",
                    drops(table)
                ),
                span: w.span.clone(),
                fix: Some(
                    Fix::unsafe_(vec![Edit::replace(w.span, new.clone())])
                        .with_title(format!("use `{new}`")),
                ),
                saving_bytes: None,
            }),
            (Some(why), _) => out.push(Finding {
                code: META.code,
                name: META.name,
                message: format!(
                    "final stage uses the JDK image `{shown}`; if it only runs a jar, the JRE \
                     image `{new}` is smaller (not changed: {why})"
                ),
                span,
                fix: Some(Fix::display_only(vec![])),
                saving_bytes: None,
            }),
            (None, None) => {}
        }
    }
}
