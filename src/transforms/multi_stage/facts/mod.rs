//! What recipes read about the stage: the program it starts, its USER, its apt installs, the glibc runtime of its release.

use crate::syntax::{ImageRef, Keyword};

use super::StageFacts;

mod files;
mod packages;

pub(super) use files::{context_copies, placed, setup_writes, writes_files, Written};
pub(super) use packages::{
    alpine_carries_packages, alpine_runtime, alpine_runtime_packages, apt_facts, AptFacts,
};

/// The program the CMD/ENTRYPOINT starts: the first value of an exec form,
/// the command name of a shell form that is one simple command
/// (`./server --port ${PORT:-8080}`). A shell form needs `/bin/sh` in the
/// runtime: [`shell_form`] says whether there is one, and the recipe
/// refuses it on `scratch`/distroless.
pub(super) fn program(f: &StageFacts) -> Result<Option<String>, String> {
    let Some(i) = f.last(Keyword::Entrypoint).or_else(|| f.last(Keyword::Cmd)) else {
        return Ok(None);
    };
    if i.is_exec_form() {
        return Ok(i.values().first().cloned());
    }
    // Read without the shell parser (its parses are for RUNs): a plain first
    // word, and nothing that makes more than one command.
    let text = i.args_text().trim();
    // `exec PROGRAM …` replaces the shell with the program: the same one.
    let mut w = text.split_whitespace();
    let first = match w.next().unwrap_or("") {
        "exec" => w.next().unwrap_or(""),
        first => first,
    };
    let plain = |w: &str| {
        !w.is_empty()
            && !w.starts_with('-')
            && !w.contains('=')
            && w.chars()
                .all(|c| c.is_ascii_alphanumeric() || "/._-+@%:,".contains(c))
    };
    let one =
        !text.contains([';', '&', '|', '`', '<', '>', '\n', '(', ')']) && !text.contains("$(");
    if plain(first) && one {
        Ok(Some(first.to_string()))
    } else {
        Err(format!(
            "the shell-form {} is not one plain command whose program dslim can read",
            i.keyword_text()
        ))
    }
}

/// The keyword of a shell-form CMD/ENTRYPOINT in the stage: it runs under
/// `/bin/sh -c`, which a `scratch` or distroless runtime lacks (the Debian
/// slim images have it).
pub(super) fn shell_form(f: &StageFacts) -> Option<String> {
    [Keyword::Cmd, Keyword::Entrypoint]
        .into_iter()
        .filter_map(|k| f.last(k))
        .find(|i| !i.is_exec_form())
        .map(|i| i.keyword_text().to_string())
}

/// A `USER` the runtime can have without `/etc/passwd`: numeric.
pub(super) fn numeric_user(f: &StageFacts) -> bool {
    f.instrs()
        .iter()
        .filter(|i| i.keyword == Keyword::User)
        .all(|i| {
            i.args_text()
                .trim()
                .split(':')
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        })
}

/// A USER other than root given by name: the slim runtime has no such
/// account, since the builder's `useradd` does not travel with the binary.
pub(super) fn named_non_root_user(f: &StageFacts) -> bool {
    !numeric_user(f)
        && f.instrs()
            .iter()
            .any(|i| i.keyword == Keyword::User && !i.args_text().trim().starts_with("root"))
}

/// The programs a stage's CMD, ENTRYPOINT and HEALTHCHECK start (their
/// first words): a tool package the runtime needs for them.
pub(super) fn started_programs(f: &StageFacts) -> Vec<String> {
    let mut out = Vec::new();
    for k in [Keyword::Entrypoint, Keyword::Cmd, Keyword::Healthcheck] {
        let Some(i) = f.last(k) else { continue };
        if i.is_exec_form() {
            let v = i.values();
            let skip =
                usize::from(k == Keyword::Healthcheck && v.first().is_some_and(|c| c == "CMD"));
            out.extend(v.get(skip).cloned());
        } else {
            let words = i
                .args_text()
                .split_whitespace()
                .skip_while(|w| k == Keyword::Healthcheck && (w.starts_with("--") || *w == "CMD"));
            out.extend(words.take(1).map(str::to_string));
        }
    }
    out
}

/// Debian releases a `golang:…-<codename>` or `gcc` tag may name.
const DEBIAN_CODENAMES: &[&str] = &["buster", "bullseye", "bookworm", "trixie", "forky"];

/// The glibc runtime for a binary built on `img`: the same distribution
/// release without the compiler, so the binary finds the glibc it was
/// linked against (glibc runs older binaries, not newer ones).
pub(super) fn glibc_runtime(img: &ImageRef, r: &crate::data::BinaryRecipe) -> Option<String> {
    // A digest pins an image whose release dslim cannot tell.
    if img.digest.is_some() {
        return None;
    }
    let tag = img.tag.as_deref();
    Some(match img.short_name() {
        "debian" => match tag {
            None | Some("latest") => "debian:stable-slim".into(),
            // No slim variants are published for these suites.
            Some("experimental" | "rc-buggy") => return None,
            Some(t) if t.contains("slim") => format!("debian:{t}"),
            Some(t) => format!("debian:{}-slim", t.trim_end_matches("-backports")),
        },
        // Ubuntu publishes no slim variant; its base is already small.
        "ubuntu" => img.text.clone(),
        _ => tag
            .and_then(|t| {
                t.split('-')
                    .find(|part| DEBIAN_CODENAMES.contains(part))
                    .map(|c| format!("debian:{c}-slim"))
            })
            .unwrap_or_else(|| r.dynamic_runtime.clone()),
    })
}
