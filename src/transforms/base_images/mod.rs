//! Facts the base-image transforms (DS101–DS103, DS204, DS205) share:
//! which stages are final, what a stage's RUNs do, how an image reference
//! resolves, and turning a simple shell-form CMD into exec form.
//!
//! Here the stage facts; the parts: [`names`] (images that carry their
//! release in the name), [`commands`] (what a RUN's text runs: compilers,
//! native installs), [`tags`] (slim, Alpine and JRE tags), [`exec_form`]
//! (shell-form CMD to exec form).

mod commands;
mod exec_form;
mod names;
mod tags;

pub use commands::{
    compiles, dev_package_or_phrase, has_phrase, native_install, token_iter, tokens, Tokens,
};
pub use exec_form::{convertible, exec_words, json_array};
pub use names::{release_in_name, release_names};
pub use tags::{alpine_tag, is_variant, jre_image, slim_tag, TagPlan};

use crate::syntax::{Document, ImageRef, Instruction, Keyword, Stage};

use crate::model::{global_args, resolve};

/// For each stage: whether another instruction refers to it (`FROM
/// <stage>`, `COPY --from=<stage>`, `RUN --mount=…,from=<stage>`). A
/// reference that cannot be resolved (`--from=$X` without a default) counts
/// as a reference to every earlier stage.
pub fn referenced(doc: &Document) -> Vec<bool> {
    let stages = doc.stages();
    let mut out = vec![false; stages.len()];
    let args = global_args(doc);
    // Stage name → the indices of the stages with that name, ascending: a
    // reference finds the last one before it by binary search instead of
    // a scan of all earlier stages (quadratic on thousands of stages).
    let mut named: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
    for s in stages {
        if let Some(n) = s.name.as_deref() {
            named.entry(n).or_default().push(s.index);
        }
    }
    let mark = |target: &str, before: usize, out: &mut Vec<bool>| {
        let t = resolve(target, &args).to_ascii_lowercase();
        if t.contains('$') {
            for r in out.iter_mut().take(before) {
                *r = true;
            }
            return;
        }
        let last_named = named.get(t.as_str()).and_then(|v| {
            let k = v.partition_point(|&j| j < before);
            k.checked_sub(1).map(|k| v[k])
        });
        if let Some(s) = last_named {
            out[s] = true;
        } else if let Ok(n) = t.parse::<usize>() {
            if n < before {
                out[n] = true;
            }
        }
    };
    for st in stages {
        if let Some(img) = doc.instructions()[st.from].values().first() {
            mark(img, st.index, &mut out);
        }
        for i in st.instructions.clone() {
            let ins = &doc.instructions()[i];
            for f in ins.flags() {
                match (ins.keyword, f.name()) {
                    (Keyword::Copy | Keyword::Add, "from") => {
                        if let Some(v) = f.value() {
                            mark(v, st.index, &mut out);
                        }
                    }
                    (Keyword::Run, "mount") => {
                        let v = f.value().unwrap_or("");
                        for kv in v.split(',') {
                            if let Some(from) = kv.trim().strip_prefix("from=") {
                                mark(from, st.index, &mut out);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    out
}

/// For each stage: whether it is final — nothing builds on it, or the
/// configuration names it in `targets` (a stage built with `--target`).
/// Base-image swaps apply to final stages only: builder stages keep their
/// tools.
pub fn final_stages(doc: &Document, cfg: &crate::config::Config) -> Vec<bool> {
    referenced(doc)
        .into_iter()
        .zip(doc.stages())
        .map(|(r, st)| !r || st.name.as_ref().is_some_and(|n| cfg.targets.contains(n)))
        .collect()
}

/// The stage's image with global ARG defaults substituted.
pub fn resolved_image(doc: &Document, st: &Stage) -> ImageRef {
    let text = resolve(&st.image.text, &global_args(doc));
    ImageRef::parse(&text, st.image.span.clone())
}

/// Whether the stage's FROM names an earlier stage (see
/// [`Model::is_stage_ref`](crate::model::Model::is_stage_ref)).
pub fn is_stage_ref(model: &crate::model::Model, st: &Stage) -> bool {
    model.is_stage_ref(st.index)
}

/// The RUN instructions of a stage.
pub fn runs<'d>(doc: &'d Document, st: &Stage) -> Vec<&'d Instruction> {
    doc.instructions()[st.instructions.clone()]
        .iter()
        .filter(|i| i.keyword == Keyword::Run)
        .collect()
}

/// The source text of each RUN (heredoc bodies included).
pub fn run_texts<'d>(doc: &'d Document, st: &Stage) -> Vec<&'d str> {
    runs(doc, st)
        .into_iter()
        .map(|i| doc.text(i.span.clone()))
        .collect()
}

#[cfg(test)]
mod tests;
