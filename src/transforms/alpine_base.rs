//! DS102 `alpine-base`: move a final stage to the `-alpine` variant of its
//! image when the stage uses no apt/dpkg and nothing glibc-specific. When
//! the image also has a slim (glibc) variant (`python`, `node`, `ruby`),
//! the finding is display-only: `--unsafe` applies slim (DS101) instead.
//!
//! Alpine uses musl, not glibc, and apk, not apt. A stage that installs
//! Debian packages gets display-only advice with the proposed `apk add`
//! (packages mapped through `[apt-to-apk]` in `transforms/base-images.toml`;
//! an unmapped package is named and no RUN is proposed): no Alpine image
//! can be built on dslim's test machine to check a conversion.

use crate::edit::{Applicability, Edit, Fix};
use crate::finding::Finding;
use crate::syntax::{Document, Keyword};
use crate::transform::{Context, FixAvailability, Meta, Transform};

use super::images::{
    alpine_tag, compiles, final_stages, is_stage_ref, native_install, resolved_image, run_texts,
    slim_tag, tokens, TagPlan,
};
use super::runedit;
use super::slim_base::{table_for, written};

pub struct AlpineBase;

static META: Meta = Meta {
    code: "DS102",
    name: "alpine-base",
    summary: "Use the Alpine variant of the base image when nothing needs glibc",
    doc: include_str!("alpine_base.md"),
    fix: FixAvailability::Sometimes,
    safety: Applicability::Unsafe,
    aliases: &[],
};

impl Transform for AlpineBase {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, doc: &Document, cx: &Context, out: &mut Vec<Finding>) {
        if doc.stages().is_empty() || doc.escape() == '`' {
            return;
        }
        let finals = final_stages(doc, cx.config);
        let data = cx.data();
        let tools = &data.base_images.build_tools;
        for st in doc.stages() {
            if !finals[st.index] || st.image.is_scratch() || is_stage_ref(cx.model(), st) {
                continue;
            }
            let img = resolved_image(doc, st);
            let Some(table) = table_for(cx, &img.name) else {
                continue;
            };
            let Some(w) = written(doc, st) else {
                continue; // no tag, `latest` or a digest: DS101/DS205 report it
            };
            let tag = img.tag.clone().unwrap_or_default();
            if tag.eq_ignore_ascii_case("latest") {
                continue;
            }
            let (TagPlan::Swap(_), TagPlan::Swap(new_tag)) =
                (alpine_tag(table, &tag), alpine_tag(table, &w.tag))
            else {
                continue;
            };
            let new = format!("{}{new_tag}", w.prefix);
            let shown = &st.image.text;
            let span = w.span.clone();
            let advise = |why: String, out: &mut Vec<Finding>| {
                out.push(Finding {
                    code: META.code,
                    name: META.name,
                    message: format!(
                        "`{new}` (musl, apk) would be smaller than `{shown}`; not changed: {why}"
                    ),
                    span: span.clone(),
                    fix: Some(Fix::display_only(vec![])),
                    saving_bytes: None,
                });
            };
            let texts = run_texts(doc, st);
            // Files built on glibc (a split's runtime gets the builder's
            // venv or node_modules) may not run on musl.
            if let Some(c) = doc.instructions()[st.instructions.clone()]
                .iter()
                .find(|i| {
                    i.keyword == Keyword::Copy
                        && i.flag("from").and_then(|f| f.value()).is_some_and(|from| {
                            !doc.stages()
                                .iter()
                                .find(|s| {
                                    s.name.as_deref() == Some(from) || from == s.index.to_string()
                                })
                                .is_some_and(|s| s.image.text.contains("alpine"))
                        })
                })
            {
                let from = c.flag("from").and_then(|f| f.value()).unwrap_or_default();
                advise(
                    format!(
                        "the stage copies files from `{from}`, which may hold binaries built \
                         against glibc (native modules, a venv); `--unsafe` keeps the glibc image"
                    ),
                    out,
                );
                continue;
            }
            if let Some(n) = native_install(&texts, tools).filter(|n| n.starts_with("pip")) {
                advise(
                    format!(
                        "the stage runs `{n}`: PyPI's prebuilt (manylinux) wheels are glibc \
                         builds, so on musl pip compiles from source or fails"
                    ),
                    out,
                );
                continue;
            }
            if let Some(addon) = texts.iter().flat_map(|t| tokens(t)).find(|t| {
                ["node-gyp", "sharp", "bcrypt", "canvas", "sqlite3"]
                    .iter()
                    .any(|a| t.split('@').next() == Some(*a))
            }) {
                advise(
                    format!(
                        "the stage installs `{addon}`, a native Node addon whose prebuilt \
                         binaries are glibc builds"
                    ),
                    out,
                );
                continue;
            }
            if let Some(tool) = compiles(&texts, tools) {
                advise(
                    format!("the stage builds code (`{tool}`), which may not build against musl"),
                    out,
                );
                continue;
            }
            // apt installs: advice with the apk equivalent.
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
                for c in runedit::find_calls(script, apt) {
                    if c.sub.as_deref() != Some("install") {
                        continue;
                    }
                    match runedit::install_packages(script, &c, apt) {
                        Some(p) => packages.extend(p),
                        None => opaque = true,
                    }
                }
            }
            if uses_apt {
                let map = &data.base_images.apt_to_apk.packages;
                let unmapped: Vec<&str> = packages
                    .iter()
                    .filter(|p| !map.contains_key(p.split('=').next().unwrap_or(p)))
                    .map(String::as_str)
                    .collect();
                let why = if opaque {
                    "the stage installs Debian packages with apt in a way dslim cannot read"
                        .to_string()
                } else if !unmapped.is_empty() {
                    format!(
                        "the stage installs Debian packages with apt, and dslim knows no Alpine \
                         name for {}",
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
                        "the stage installs Debian packages with apt; on Alpine use \
                         `FROM {new}` and `RUN apk add --no-cache {}` instead",
                        apk.join(" ")
                    )
                };
                advise(why, out);
                continue;
            }
            if let Some(g) = texts
                .iter()
                .flat_map(|t| tokens(t))
                .find(|t| tools.glibc.iter().any(|g| t.contains(g.as_str())))
            {
                advise(
                    format!("the stage uses `{g}`, which suggests glibc binaries"),
                    out,
                );
                continue;
            }
            let mut warn = String::new();
            if texts.iter().any(|t| t.contains("manylinux")) {
                warn.push_str("; note: `manylinux` wheels do not run on musl");
            }
            if let Some(n) = native_install(&texts, tools) {
                warn.push_str(&format!(
                    "; note: `{n}` on Alpine may build native packages from source (fewer \
                     prebuilt musl wheels/binaries)"
                ));
            }
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
                advise(
                    format!(
                        "nothing in the stage needs glibc or apt, but musl differs from glibc \
                         (prebuilt binaries and wheels, DNS, locales) and dslim did not build \
                         it; {instead}{warn}"
                    ),
                    out,
                );
                continue;
            }
            out.push(Finding {
                code: META.code,
                name: META.name,
                message: format!(
                    "final stage needs nothing from glibc or apt; the Alpine variant `{new}` is \
                     smaller than `{shown}` (dslim did not build it){warn}"
                ),
                span: span.clone(),
                fix: Some(
                    Fix::unsafe_(vec![Edit::replace(span.clone(), new.clone())])
                        .with_title(format!("use `{new}`")),
                ),
                saving_bytes: None,
            });
        }
    }
}
