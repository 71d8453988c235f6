//! What recipes read about the stage: the program it starts, its USER, its apt installs, the glibc runtime of its release.

use crate::syntax::{ImageRef, Keyword};
use crate::transform::Context;

use super::super::runedit;
use super::Facts;

/// The program the CMD/ENTRYPOINT starts: the first value of an exec form,
/// the command name of a shell form that is one simple command
/// (`./server --port ${PORT:-8080}`). A shell form needs `/bin/sh` in the
/// runtime: [`shell_form`] says whether there is one, and the recipe
/// refuses it on `scratch`/distroless.
pub(super) fn program(f: &Facts) -> Result<Option<String>, String> {
    let Some(i) = f.last(Keyword::Entrypoint).or_else(|| f.last(Keyword::Cmd)) else {
        return Ok(None);
    };
    if i.is_exec_form() {
        return Ok(i.values().first().cloned());
    }
    let script = crate::shell::parse(i.args_text()).ok();
    match script.as_ref().map(|s| &s.commands[..]) {
        Some([c]) if !c.isolated && c.name().is_some_and(|n| !n.contains('=')) => {
            Ok(c.name().map(str::to_string))
        }
        _ => Err(format!(
            "the shell-form {} is not one plain command whose program dslim can read",
            i.keyword_text()
        )),
    }
}

/// The keyword of a shell-form CMD/ENTRYPOINT in the stage: it runs under
/// `/bin/sh -c`, which a `scratch` or distroless runtime lacks (the Debian
/// slim images have it).
pub(super) fn shell_form(f: &Facts) -> Option<String> {
    [Keyword::Cmd, Keyword::Entrypoint]
        .into_iter()
        .filter_map(|k| f.last(k))
        .find(|i| !i.is_exec_form())
        .map(|i| i.keyword_text().to_string())
}

/// A `USER` the runtime can have without `/etc/passwd`: numeric.
pub(super) fn numeric_user(f: &Facts) -> bool {
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
pub(super) fn named_non_root_user(f: &Facts) -> bool {
    !numeric_user(f)
        && f.instrs()
            .iter()
            .any(|i| i.keyword == Keyword::User && !i.args_text().trim().starts_with("root"))
}

/// What the stage's `apt-get install`s say about the builder.
#[derive(Default)]
pub(super) struct AptFacts {
    /// Package names as written, without `=version`.
    pub(super) packages: Vec<String>,
    /// An install without `--no-install-recommends`: more packages than the
    /// listed ones may be there.
    pub(super) recommends: bool,
    /// An apt call dslim cannot read (`$PKGS`, a RUN it cannot parse).
    pub(super) opaque: bool,
}

impl AptFacts {
    pub(super) fn installs(&self, package: &str) -> bool {
        self.packages.iter().any(|p| p == package)
    }
    /// A library's `-dev` package other than libc's: the binary may link the
    /// library, which a runtime image without the package lacks.
    pub(super) fn dev_library(&self) -> Option<&str> {
        self.packages
            .iter()
            .map(String::as_str)
            .find(|p| p.starts_with("lib") && p.ends_with("-dev") && *p != "libc6-dev")
    }
}

pub(super) fn apt_facts(f: &Facts, cx: &Context) -> AptFacts {
    let mut facts = AptFacts::default();
    let Some(apt) = cx.data().manager("apt") else {
        return facts;
    };
    let no_recommends = apt.flags.get("no-recommends");
    for ins in f.runs() {
        let text = &ins.logical.text;
        let other_installer = [
            "aptitude",
            "dpkg -i",
            "dpkg --install",
            "build-dep",
            "gdebi",
        ]
        .iter()
        .any(|w| text.contains(w));
        let in_heredoc = ins.heredocs.iter().any(|h| {
            let b = f.doc.text(h.body.clone());
            b.contains("apt") || b.contains("dpkg")
        });
        if other_installer || in_heredoc {
            facts.opaque = true;
            continue;
        }
        if !text.contains("apt") {
            continue;
        }
        let Some(script) = f.model.script(f.index(ins)) else {
            facts.opaque = true;
            continue;
        };
        for call in runedit::find_calls(script, apt) {
            if !call
                .sub
                .as_deref()
                .is_some_and(|s| apt.install.iter().any(|x| x == s))
            {
                continue;
            }
            match runedit::install_packages(script, &call, apt) {
                Some(p) => facts.packages.extend(
                    p.into_iter()
                        .map(|p| p.split('=').next().unwrap_or_default().to_string()),
                ),
                None => facts.opaque = true,
            }
            facts.recommends |= !no_recommends
                .is_some_and(|flag| runedit::has_flag(&script.commands[call.command], &call, flag));
        }
    }
    facts
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
