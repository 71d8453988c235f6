//! Use the `-alpine` variant of an official image in a final stage that
//! needs nothing from glibc or apt. For `python`, `node` and `ruby`, which
//! also have a slim (Debian, glibc) variant, this is display-only advice:
//! when slim and Alpine both apply, `--unsafe` applies slim (DS101) and the
//! message names `python:3.12-alpine` / `node:20-alpine` as the smaller
//! alternative (for a tag that already is slim too, or the fix loop would go
//! on from DS101's result to Alpine). The unsafe fix applies to images with an
//! Alpine variant and no slim one (a `[base-images.<name>]` table with
//! `alpine` and no `slim`).
//!
//! Why: Alpine variants are much smaller than the Debian ones; the guides
//! users read cite `node:16` at 909 MB against `node:16-alpine` at 118 MB
//! (not measured here: Alpine images cannot be built on this machine).
//!
//! Safety: unsafe (applied with `--unsafe`): Alpine uses musl instead of
//! glibc and BusyBox tools; prebuilt binaries, Python wheels (`manylinux`) and
//! native Node modules built for glibc do not run, and DNS and locale
//! behaviour differ. Only final stages (used by no other stage), only tags
//! the table knows (a slim or distro word is dropped, `${VAR}`s and the
//! registry prefix are kept). Left alone: digests, `latest` and untagged
//! images (DS101 and DS205 report those). Display only, with the reason: a stage that
//! pip-installs (PyPI's prebuilt manylinux wheels are glibc builds: on musl
//! pip compiles from source or fails), that installs a native Node addon
//! (`node-gyp`, `sharp`, `bcrypt`, `canvas`, `sqlite3`), that builds code,
//! that copies files from a glibc builder stage (a venv, `node_modules`), that
//! uses something glibc-specific (`ldd`, `dpkg`, `.deb` files, `yum`/`rpm`),
//! or that installs with apt — then the message proposes
//! `RUN apk add --no-cache …` with the packages mapped through `[apt-to-apk]`
//! in `transforms/base-images.toml`, or names the packages it cannot map.
//! `npm install` and `manylinux` are warnings in the message. Alpine images
//! cannot be built on dslim's test machine (no Alpine mirror), so no Alpine
//! result was built; the message says so.
//!
//! With `[base-images."example/runtime"]`, `alpine = "alpine"` and no
//! `slim` in dslim.toml:
//!
//! Before:
//! ```text
//! FROM example/runtime:2.1
//! COPY app /app
//! CMD ["/app/run"]
//! ```
//!
//! After:
//! ```text
//! FROM example/runtime:2.1-alpine
//! COPY app /app
//! CMD ["/app/run"]
//! ```

// The data: `transforms/base-images.toml` (images, `[apt-to-apk]`).

use crate::data::BuildTools;
use crate::edit::{Applicability, Edit, Fix};
use crate::finding::Finding;
use crate::syntax::{Document, Keyword, Stage};
use crate::transform::{Context, FixAvailability, Meta, Transform};

use super::base_images::{
    alpine_tag, compiles, final_stages, is_stage_ref, native_install, resolved_image, run_texts,
    slim_tag, tokens, TagPlan,
};
use super::run_edits;
use super::slim_base::{table_for, written};

pub struct AlpineBase;

static META: Meta = Meta {
    code: "DS102",
    name: "alpine-base",
    summary: "Use the Alpine variant of the base image when nothing needs glibc",
    doc: crate::transform_doc!("alpine_base"),
    fix: FixAvailability::Sometimes,
    safety: Applicability::Unsafe,
    aliases: &[],
};

/// A COPY from a stage not built on Alpine: files built on glibc (a
/// split's runtime gets the builder's venv or node_modules) may not run on
/// musl. Returns the `--from` value.
fn glibc_copy<'d>(doc: &'d Document, st: &Stage) -> Option<&'d str> {
    doc.instructions()[st.instructions.clone()]
        .iter()
        .find(|i| {
            i.keyword == Keyword::Copy
                && i.flag("from").and_then(|f| f.value()).is_some_and(|from| {
                    !doc.stages()
                        .iter()
                        .find(|s| s.name.as_deref() == Some(from) || from == s.index.to_string())
                        .is_some_and(|s| s.image.text.contains("alpine"))
                })
        })
        .and_then(|c| c.flag("from").and_then(|f| f.value()))
}

/// Why the stage's RUNs may need glibc: a pip install (manylinux wheels),
/// a native Node addon, a compiler.
fn glibc_build(texts: &[&str], tools: &BuildTools) -> Option<String> {
    if let Some(n) = native_install(texts, tools).filter(|n| n.starts_with("pip")) {
        return Some(format!(
            "the stage runs `{n}`: PyPI's prebuilt (manylinux) wheels are glibc builds, so on \
             musl pip compiles from source or fails"
        ));
    }
    if let Some(addon) = texts.iter().flat_map(|t| tokens(t)).find(|t| {
        ["node-gyp", "sharp", "bcrypt", "canvas", "sqlite3"]
            .iter()
            .any(|a| t.split('@').next() == Some(*a))
    }) {
        return Some(format!(
            "the stage installs `{addon}`, a native Node addon whose prebuilt binaries are \
             glibc builds"
        ));
    }
    compiles(texts, tools)
        .map(|tool| format!("the stage builds code (`{tool}`), which may not build against musl"))
}

/// The advice for a stage that installs with apt: the `apk add` to use
/// instead, or why there is none. `None`: the stage does not run apt.
fn apt_advice(doc: &Document, cx: &Context, st: &Stage, new: &str) -> Option<String> {
    let data = cx.data();
    let apt = data.manager("apt");
    let mut packages: Vec<String> = Vec::new();
    let mut uses_apt = false;
    let mut opaque = false;
    for i in st.instructions.clone() {
        let ins = &doc.instructions()[i];
        if ins.keyword != Keyword::Run {
            continue;
        }
        let toks = tokens(doc.text(ins.span.clone()));
        if !toks.iter().any(|t| {
            let b = t.rsplit('/').next().unwrap_or(t);
            b == "apt-get" || b == "apt"
        }) {
            continue;
        }
        uses_apt = true;
        let (Some(apt), Some(script)) = (apt, cx.model().script(i)) else {
            opaque = true;
            continue;
        };
        for c in cx.model().calls(i, "apt", apt).iter() {
            if c.sub.as_deref() != Some("install") {
                continue;
            }
            match run_edits::install_packages(script, c, apt) {
                Some(p) => packages.extend(p),
                None => opaque = true,
            }
        }
    }
    if !uses_apt {
        return None;
    }
    let map = &data.base_images.apt_to_apk.packages;
    let unmapped: Vec<&str> = packages
        .iter()
        .filter(|p| !map.contains_key(p.split('=').next().unwrap_or(p)))
        .map(String::as_str)
        .collect();
    Some(if opaque {
        "the stage installs Debian packages with apt in a way dslim cannot read".to_string()
    } else if !unmapped.is_empty() {
        format!(
            "the stage installs Debian packages with apt, and dslim knows no Alpine name for {}",
            unmapped
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    } else {
        let apk: Vec<&str> = packages
            .iter()
            .map(|p| map[p.split('=').next().unwrap_or(p)].as_str())
            .collect();
        format!(
            "the stage installs Debian packages with apt; on Alpine use `FROM {new}` and `RUN \
             apk add --no-cache {}` instead",
            apk.join(" ")
        )
    })
}

/// Notes for a stage that may run on musl: `manylinux` wheels, native
/// packages an install may build from source.
fn musl_notes(texts: &[&str], tools: &BuildTools) -> String {
    let mut warn = String::new();
    if texts.iter().any(|t| t.contains("manylinux")) {
        warn.push_str("; note: `manylinux` wheels do not run on musl");
    }
    if let Some(n) = native_install(texts, tools) {
        warn.push_str(&format!(
            "; note: `{n}` on Alpine may build native packages from source (fewer prebuilt \
             musl wheels/binaries)"
        ));
    }
    warn
}

impl Transform for AlpineBase {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, doc: &Document, cx: &Context, out: &mut Vec<Finding>) {
        if doc.stages().is_empty() || doc.escape() == '`' {
            return;
        }
        let finals = final_stages(doc, cx.config);
        for st in doc.stages() {
            if !finals[st.index] || st.image.is_scratch() || is_stage_ref(cx.model(), st) {
                continue;
            }
            if let Some(f) = stage_finding(doc, cx, st) {
                out.push(f);
            }
        }
    }
}

/// The finding for a final stage whose image has an Alpine variant: advice
/// when something in the stage may need glibc (or it has a slim variant
/// `--unsafe` takes instead), else the unsafe swap to Alpine.
fn stage_finding(doc: &Document, cx: &Context, st: &Stage) -> Option<Finding> {
    let tools = &cx.data().base_images.build_tools;
    let img = resolved_image(doc, st);
    let table = table_for(cx, &img.name)?;
    // No tag, `latest` or a digest: DS101/DS205 report it.
    let w = written(doc, st)?;
    let tag = img.tag.clone().unwrap_or_default();
    if tag.eq_ignore_ascii_case("latest") {
        return None;
    }
    let (TagPlan::Swap(_), TagPlan::Swap(new_tag)) =
        (alpine_tag(table, &tag), alpine_tag(table, &w.tag))
    else {
        return None;
    };
    let new = format!("{}{new_tag}", w.prefix);
    let shown = &st.image.text;
    let span = w.span.clone();
    let advise = |why: String| Finding {
        code: META.code,
        name: META.name,
        message: format!("`{new}` (musl, apk) would be smaller than `{shown}`; not changed: {why}")
            .into(),
        span: span.clone(),
        fix: Some(Fix::display_only(vec![])),
        saving_bytes: None,
    };
    let texts = run_texts(doc, st);
    if let Some(why) = glibc_reason(doc, cx, st, &texts, &new) {
        return Some(advise(why));
    }
    let warn = musl_notes(&texts, tools);
    // Slim and Alpine both apply: `--unsafe` takes the slim variant
    // (DS101), which keeps glibc; Alpine stays the alternative the
    // message names. Also for a tag that already is slim, or the fix
    // loop would go on from DS101's slim image to Alpine.
    if let Some(slim) = table.slim.as_deref() {
        let instead = match slim_tag(table, &w.tag) {
            TagPlan::Swap(t) => {
                format!("`--unsafe` uses `{}{t}` instead (DS101)", w.prefix)
            }
            TagPlan::Leave if tag.split('-').any(|x| x == slim) => {
                "`--unsafe` keeps the slim image".to_string()
            }
            TagPlan::Leave => "`--unsafe` leaves it".to_string(),
        };
        return Some(advise(format!(
            "nothing in the stage needs glibc or apt, but musl differs from glibc \
             (prebuilt binaries and wheels, DNS, locales) and dslim did not build it; \
             {instead}{warn}"
        )));
    }
    Some(Finding {
        code: META.code,
        name: META.name,
        message: format!(
            "final stage needs nothing from glibc or apt; the Alpine variant `{new}` is \
             smaller than `{shown}` (dslim did not build it){warn}"
        )
        .into(),
        span: span.clone(),
        fix: Some(
            Fix::unsafe_(vec![Edit::replace(span.clone(), new.clone())])
                .with_title(format!("use `{new}`")),
        ),
        saving_bytes: None,
    })
}

/// Why the stage may need glibc (or apt), if anything says so: files copied
/// from a glibc stage, a glibc build, apt installs (with the apk
/// equivalent), a glibc tool named in a RUN.
fn glibc_reason(
    doc: &Document,
    cx: &Context,
    st: &Stage,
    texts: &[&str],
    new: &str,
) -> Option<String> {
    let tools = &cx.data().base_images.build_tools;
    glibc_copy(doc, st)
        .map(|from| {
            format!(
                "the stage copies files from `{from}`, which may hold binaries built \
                 against glibc (native modules, a venv); `--unsafe` keeps the glibc image"
            )
        })
        .or_else(|| glibc_build(texts, tools))
        // apt installs: advice with the apk equivalent.
        .or_else(|| apt_advice(doc, cx, st, new))
        .or_else(|| {
            texts
                .iter()
                .flat_map(|t| tokens(t))
                .find(|t| tools.glibc.iter().any(|g| t.contains(g.as_str())))
                .map(|g| format!("the stage uses `{g}`, which suggests glibc binaries"))
        })
}
