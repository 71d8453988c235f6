//! Python: a venv in the builder copied to the `-slim` image.

use crate::edit::Applicability;

use super::{Facts, Split};

pub(super) fn python(f: &Facts, data: &crate::data::Stages) -> Option<Result<Split, String>> {
    let r = &data.python;
    let img = &f.doc.stages()[0].image;
    let pip = f.runs().any(|i| {
        let t = &i.logical.text;
        t.contains("pip install") || t.contains("pip3 install")
    });
    if !pip
        || img
            .tag
            .as_deref()
            .is_some_and(|t| t.contains("slim") || t.contains("alpine"))
    {
        return None;
    }
    let Some(wd) = f.workdir.clone().filter(|w| w != "/") else {
        return Some(Err("no WORKDIR: the app folder is unknown".into()));
    };
    let tag = match img.tag.as_deref() {
        Some(t) => format!("{t}{}", r.runtime_suffix),
        None => r.runtime_suffix.trim_start_matches('-').to_string(),
    };
    let venv = &r.venv;
    Some(Ok(Split {
        lang: "Python",
        runtime_image: format!("{}:{tag}", img.name),
        builder_head: vec![
            format!("RUN python -m venv {venv}"),
            format!("ENV PATH=\"{venv}/bin:$PATH\""),
        ],
        builder_tail: Vec::new(),
        runtime_head: vec![
            format!("COPY --from={{build}} {venv} {venv}"),
            format!("ENV PATH=\"{venv}/bin:$PATH\""),
            format!("COPY --from={{build}} {wd} {wd}"),
        ],
        runtime_tail: Vec::new(),
        applicability: Applicability::DisplayOnly,
        note: " (dependencies in a venv copied to the slim image)".into(),
    }))
}
