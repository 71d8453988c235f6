//! Use the slim variant of an official base image in final stages:
//! `python:3.12` → `python:3.12-slim`, `node:20` → `node:20-slim`,
//! `debian:bookworm` → `debian:bookworm-slim`, `ruby`, `perl`, and JDK images
//! → a JRE image (`eclipse-temurin:21-jdk` → `eclipse-temurin:21-jre`,
//! `openjdk:17` → `eclipse-temurin:17-jre`) when the stage only runs a jar.
//!
//! Why: the full `python`, `node`, `ruby` and `perl` images are built `FROM
//! buildpack-deps:<release>` and carry its compilers, headers (`-dev`
//! packages) and version-control and download tools (gcc, make, libssl-dev,
//! git, curl, wget, procps…), which a running application does not need;
//! their `-slim` variants are built `FROM debian:<release>-slim` with the
//! language's runtime libraries only. `debian:<release>` has no compilers:
//! it and `debian:<release>-slim` have the same packages, the slim one without
//! documentation, man pages and translations (`/usr/share/doc`, `man`,
//! `info`, `locale`), so a Debian stage that installs its own compilers is
//! swapped too. `php` has no slim tags: its Debian images are already built on
//! `debian:<release>-slim` (and keep gcc and make for
//! `docker-php-ext-install`), so DS101 leaves them alone. Each message says
//! what the slim image leaves out (`slim-drops` in the table). Measured with
//! buildah: `debian:bookworm` 121.4 MB, `debian:bookworm-slim` 77.9 MB; a
//! final stage that installs curl on them, 134.3 MB → 90.1 MB.
//!
//! Safety: unsafe (applied with `--unsafe`): the slim image lacks packages the
//! application may call at run time (`git`, `curl`, `procps`, shared libraries
//! of native extensions). Only final stages are changed — a stage that no
//! `FROM`, `COPY --from` or `RUN --mount=…,from=` uses — so builder stages keep
//! their tools. The registry prefix (`docker.io/library/`), `--platform`, the
//! stage name and `${VAR}`s in the tag (`python:${PY}` → `python:${PY}-slim`)
//! are kept. Left alone: tags that already are variants (`-slim`, `-alpine`,
//! `windowsservercore`…) and images the table (`transforms/base-images.toml`,
//! extended by `[base-images.<name>]` in `dslim.toml`) does not know.
//! Display only, with the reason: no tag or `latest` (which version?), an
//! image pinned by digest (the slim variant has another digest), a final stage
//! that compiles code (`gcc`, `make`, `build-essential`, `cargo build`,
//! `go build`, `javac`, `mvn`, `gradle`…; not for `debian`, whose slim
//! variant has the same packages), a final stage that may compile native code
//! while installing — it installs a `-dev` package (headers to compile
//! against) or tells pip `--no-binary` / `PIP_NO_BINARY` — since on the slim
//! image, without gcc, pip may quietly build a package without its C
//! extension (`--no-binary PyYAML` with `libyaml-dev`: no `yaml.CSafeLoader`,
//! found by `scripts/realbuild`), and a JDK stage that compiles or uses JDK
//! tools (`javac`, `mvn`, `gradle`, `jar`, `jlink`…) or whose CMD/ENTRYPOINT
//! does not visibly run `java`. A `pip install` (or other
//! install that may build native extensions) is a warning in the message.
//!
//! Before:
//! ```text
//! FROM python:3.12
//! COPY app.py /app/
//! CMD ["python", "/app/app.py"]
//! ```
//!
//! After:
//! ```text
//! FROM python:3.12-slim
//! COPY app.py /app/
//! CMD ["python", "/app/app.py"]
//! ```

// The data: `transforms/base-images.toml`.

use crate::data::{BaseImage, BuildTools};
use crate::edit::{Applicability, Edit, Fix};
use crate::finding::Finding;
use crate::syntax::{Document, ImageRef, Keyword, Stage};
use crate::transform::{Context, FixAvailability, Meta, Transform};

use super::base_images::{
    compiles, final_stages, is_stage_ref, is_variant, jre_image, native_install, resolved_image,
    run_texts, slim_tag, tokens, TagPlan,
};

pub struct SlimBase;

static META: Meta = Meta {
    code: "DS101",
    name: "slim-base",
    summary: "Use the slim variant of the base image in final stages",
    doc: crate::transform_doc!("slim_base"),
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

/// What the tag of a final stage's image allows.
enum TagVerdict {
    /// A plain version tag: go on.
    Go,
    /// Already a variant (also under a digest): nothing to say.
    Skip,
    /// Advice only: a digest or no version.
    Advise(String),
}

fn tag_advice(shown: &str, img: &ImageRef, table: &BaseImage, tag: &str) -> TagVerdict {
    if img.digest.is_some() {
        if is_variant(table, tag) {
            return TagVerdict::Skip;
        }
        return TagVerdict::Advise(format!(
            "`{shown}` is pinned by digest; its slim variant has another digest: if this final \
             stage needs no build tools, pin the slim variant's digest"
        ));
    }
    if tag.eq_ignore_ascii_case("latest") {
        return TagVerdict::Advise(format!(
            "`{shown}` names no version, so dslim cannot tell which slim tag exists; pin a \
             version and use its slim variant (e.g. `{}:<version>-{}`)",
            img.name.strip_prefix("library/").unwrap_or(&img.name),
            table.slim.as_deref().unwrap_or("slim")
        ));
    }
    if is_variant(table, tag) {
        TagVerdict::Skip
    } else {
        TagVerdict::Go
    }
}

/// Why the stage needs the full image to build (advice only): it runs a
/// compiler, or installs with headers or a source build (`pip install
/// --no-binary`), which on the slim image (no gcc) may build a package
/// without its C extension instead of failing (`--no-binary PyYAML` with
/// `libyaml-dev`). Not asked for a slim variant with the same packages
/// (`debian`), which builds what the full image builds.
fn build_advice(
    doc: &Document,
    st: &Stage,
    table: &BaseImage,
    tools: &BuildTools,
    texts: &[&str],
) -> Option<String> {
    let shown = &st.image.text;
    let drops = drops(table);
    if let Some(tool) = compiles(texts, tools) {
        return Some(format!(
            "`{shown}` is a full image, but this final stage builds code (`{tool}`), which may \
             need what the smaller image leaves out: {drops}; build in a separate stage and copy \
             the result onto the smaller image"
        ));
    }
    let envs: Vec<&str> = doc.instructions()[st.instructions.clone()]
        .iter()
        .filter(|i| i.keyword == Keyword::Env)
        .map(|i| doc.text(i.span.clone()))
        .collect();
    let installs: Vec<&str> = texts.iter().chain(&envs).copied().collect();
    source_build(&installs).map(|why| {
        format!(
            "`{shown}` is a full image, but this final stage may compile native code while \
             installing ({why}), which needs what the smaller image leaves out: {drops}; build \
             in a separate stage and copy the result onto the smaller image"
        )
    })
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
            self.check_stage(doc, cx, st, &img, table, out);
        }
    }
}

impl SlimBase {
    /// A final stage whose image has a slim or JRE variant: advice about
    /// its tag or its build, the JRE swap ([`Self::jre`]), or the slim swap.
    fn check_stage(
        &self,
        doc: &Document,
        cx: &Context,
        st: &Stage,
        img: &ImageRef,
        table: &BaseImage,
        out: &mut Vec<Finding>,
    ) {
        let tools = &cx.data().base_images.build_tools;
        let span = st.image.span.clone();
        let advise = |message: String| Finding {
            code: META.code,
            name: META.name,
            message: message.into(),
            span: span.clone(),
            fix: Some(Fix::display_only(vec![])),
            saving_bytes: None,
        };
        let shown = &st.image.text;
        let tag = img.tag.as_deref().unwrap_or("latest");
        match tag_advice(shown, img, table, tag) {
            TagVerdict::Go => {}
            TagVerdict::Skip => return,
            TagVerdict::Advise(m) => return out.push(advise(m)),
        }
        let texts = run_texts(doc, st);
        if !table.slim_same_packages {
            if let Some(m) = build_advice(doc, st, table, tools, &texts) {
                return out.push(advise(m));
            }
        }
        if table.jre.is_some() {
            return self.jre(doc, st, cx, table, &img.text, tag, &texts, out);
        }
        out.extend(slim_swap(doc, st, table, tag, &texts, tools));
    }

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
                )
                .into(),
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
                )
                .into(),
                span,
                fix: Some(Fix::display_only(vec![])),
                saving_bytes: None,
            }),
            (None, None) => {}
        }
    }
}

/// The unsafe swap of a final stage's image (written with its tag `tag`)
/// to its slim variant, with what the slim image leaves out.
fn slim_swap(
    doc: &Document,
    st: &Stage,
    table: &BaseImage,
    tag: &str,
    texts: &[&str],
    tools: &BuildTools,
) -> Option<Finding> {
    let w = written(doc, st)?;
    let TagPlan::Swap(new_tag) = slim_tag(table, &w.tag) else {
        return None;
    };
    // With `${VAR}` in the tag, its default must not be a variant.
    if w.tag.contains('$') && is_variant(table, tag) {
        return None;
    }
    let shown = &st.image.text;
    let new = format!("{}{new_tag}", w.prefix);
    let drops = drops(table);
    let save = match slim_tag(table, tag) {
        TagPlan::Swap(t) => saving(table, tag, &t),
        TagPlan::Leave => None,
    };
    let native = native_install(texts, tools).filter(|_| !table.slim_same_packages);
    let warn = native.map_or(String::new(), |n| {
        format!(
            "; note: `{n}` may build native extensions, which the slim image \
             cannot compile (install build tools in a builder stage if it fails)"
        )
    });
    Some(Finding {
        code: META.code,
        name: META.name,
        message: format!(
            "final stage uses the full image `{shown}`; its slim variant `{new}`{} \
             leaves out {drops}{warn}",
            save.map_or(String::new(), |b| format!(" (~{} smaller)", mb(b)))
        )
        .into(),
        span: w.span.clone(),
        fix: Some(
            Fix::unsafe_(vec![Edit::replace(w.span.clone(), new.clone())])
                .with_title(format!("use `{new}`")),
        ),
        saving_bytes: save,
    })
}
