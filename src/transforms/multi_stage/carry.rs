//! What a binary split's runtime needs beside the binary: the files setup
//! RUNs made and COPYs put outside the app folder.

use crate::data::BuildTools;
use crate::edit::Applicability;

use super::facts::{context_copies, setup_writes, Written};
use super::{Split, StageFacts};

/// What the setup RUNs made outside the app or build folder goes to the
/// runtime too: a literal path written by root is copied from the builder
/// (`RUN echo … > /etc/app.conf` → `COPY --from=build /etc/app.conf
/// /etc/app.conf`); anything else (a path with variables, a file a non-root
/// USER or a `chown` owns, the accounts `useradd` adds) makes the split
/// advice, naming it.
pub(super) fn carry_setup_files(f: &StageFacts, s: &mut Split, tools: &BuildTools) {
    let keep = runtime_gets(f, s);
    let (copies, unsure) = builder_copies(f, &keep);
    if !copies.is_empty() {
        s.note.push_str(&format!(
            "; copies what a setup RUN made outside the app folder: {}",
            copies.join(", ")
        ));
    }
    for p in &copies {
        s.runtime_head
            .push(format!("COPY --from={{build}} {p} {p}"));
    }
    let (again, unsure_copies) = copies_again(f, &keep, tools, &copies);
    if !again.is_empty() {
        s.note.push_str(&format!(
            "; copies again from the context what {} put outside the app folder: {}",
            if again.len() == 1 {
                "a COPY"
            } else {
                "COPY instructions"
            },
            again
                .iter()
                .map(|(_, t)| t.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
        s.runtime_head
            .extend(again.into_iter().map(|(line, _)| line));
    }
    if !unsure.is_empty() {
        s.applicability = Applicability::DisplayOnly;
        s.note.push_str(&format!(
            "; a setup RUN made what the runtime would lack and dslim cannot copy for certain: {}",
            unsure.join(", ")
        ));
    }
    if !unsure_copies.is_empty() {
        s.applicability = Applicability::DisplayOnly;
        s.note.push_str(&format!(
            "; a COPY put outside the app folder what dslim cannot copy again for certain: {}",
            unsure_copies.join(", ")
        ));
    }
}

/// What the runtime gets anyway: the app folder (the final WORKDIR) and
/// what the split's `COPY --from` lines copy.
fn runtime_gets(f: &StageFacts, s: &Split) -> Vec<String> {
    let mut keep: Vec<String> = f.workdir.iter().filter(|w| *w != "/").cloned().collect();
    for l in s.runtime_head.iter().chain(&s.runtime_tail) {
        let w: Vec<&str> = l.split_whitespace().collect();
        if w.first() == Some(&"COPY") && w.iter().any(|a| a.starts_with("--from=")) {
            keep.extend(
                w[1..]
                    .iter()
                    .filter(|a| !a.starts_with("--"))
                    .map(|a| a.trim_end_matches('/').to_string()),
            );
        }
    }
    keep
}

/// What setup RUNs wrote outside `keep`: the paths the runtime copies from
/// the builder, and what it cannot copy for certain, as shown.
fn builder_copies(f: &StageFacts, keep: &[String]) -> (Vec<String>, Vec<String>) {
    let mut unsure = Vec::new();
    let mut copies = Vec::new();
    for w in setup_writes(f, keep) {
        match w {
            Written::Path(p)
                if !p.contains(|c: char| c.is_whitespace() || "\"'\\$".contains(c)) =>
            {
                copies.push(p)
            }
            Written::Path(p) => unsure.push(format!("`{p}`")),
            Written::Unsure(what) => unsure.push(what),
        }
    }
    (copies, unsure)
}

/// The COPYs from the context the runtime makes again (the line, and the
/// files it writes as shown), and what it cannot make again for certain.
/// A file a later RUN changes (`chmod +x`) that the builder copy
/// (`copies`) brings in its final state needs no copy from the context.
fn copies_again(
    f: &StageFacts,
    keep: &[String],
    tools: &BuildTools,
    copies: &[String],
) -> (Vec<(String, String)>, Vec<String>) {
    let (mut again, mut unsure_copies) = (Vec::new(), Vec::new());
    for c in context_copies(f, keep, tools) {
        let from_builder = !c.files.is_empty()
            && c.files.iter().all(|p| {
                copies
                    .iter()
                    .any(|d| p == d || p.starts_with(&format!("{d}/")))
            });
        match c.unsure {
            _ if from_builder => {}
            Some(why) => unsure_copies.push(why),
            None => again.push((c.line, c.files.join(", "))),
        }
    }
    (again, unsure_copies)
}
