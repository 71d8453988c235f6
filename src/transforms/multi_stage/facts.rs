//! What recipes read about the stage: the program it starts, its USER, its apt installs, the glibc runtime of its release.

use crate::syntax::{ImageRef, Keyword};
use crate::transform::Context;

use super::super::runedit;
use super::Facts;

/// Exec-form CMD/ENTRYPOINT, all of them; the program they start.
pub(super) fn program(f: &Facts) -> Result<Option<String>, String> {
    let mut prog = None;
    for k in [Keyword::Cmd, Keyword::Entrypoint] {
        if let Some(i) = f.last(k) {
            if !i.is_exec_form() {
                return Err(format!(
                    "the shell-form {} needs a shell the runtime image lacks",
                    i.keyword_text()
                ));
            }
        }
    }
    if let Some(i) = f.last(Keyword::Entrypoint).or_else(|| f.last(Keyword::Cmd)) {
        prog = i.values().first().cloned();
    }
    Ok(prog)
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
    /// Packages `apk add` installs (Alpine), without `=version` or
    /// `--virtual` group names.
    pub(super) apk: Vec<String>,
    /// An `apk add` dslim cannot read.
    pub(super) apk_opaque: bool,
}

impl AptFacts {
    pub(super) fn installs(&self, package: &str) -> bool {
        self.packages.iter().any(|p| p == package)
    }
    /// A library's `-dev` package other than libc's: the binary may link the
    /// library, which a runtime image without the package lacks.
    /// An `apk add` package that is not only for building (`[builder]
    /// apk-packages`): the program may use it at run time. `-dev` packages
    /// are build tools here; `apk_dev_library` tells them apart.
    pub(super) fn apk_runtime_package(&self, b: &crate::data::BuilderPackages) -> Option<&str> {
        self.apk
            .iter()
            .map(String::as_str)
            .find(|p| !(p.ends_with("-dev") || b.apk_builds(p)))
    }
    /// An Alpine `-dev` package of a library other than musl's (or kernel
    /// headers): a dynamic binary may link it.
    pub(super) fn apk_dev_library(&self, b: &crate::data::BuilderPackages) -> Option<&str> {
        self.apk
            .iter()
            .map(String::as_str)
            .find(|p| p.ends_with("-dev") && !b.apk_builds(p))
    }
    pub(super) fn dev_library(&self) -> Option<&str> {
        self.packages
            .iter()
            .map(String::as_str)
            .find(|p| p.starts_with("lib") && p.ends_with("-dev") && *p != "libc6-dev")
    }
}

pub(super) fn apt_facts(f: &Facts, cx: &Context) -> AptFacts {
    let mut facts = AptFacts::default();
    apk_facts(f, cx, &mut facts);
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
            // (not `.build-deps`, an `apk add --virtual` group name)
            "apt-get build-dep",
            "apt build-dep",
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

/// What `apk add` installs. `--virtual NAME` (`-t`) names a group, not a
/// package.
fn apk_facts(f: &Facts, cx: &Context, facts: &mut AptFacts) {
    let Some(apk) = cx.data().manager("apk") else {
        return;
    };
    for ins in f.runs() {
        let in_heredoc = ins
            .heredocs
            .iter()
            .any(|h| f.doc.text(h.body.clone()).contains("apk"));
        if in_heredoc {
            facts.apk_opaque = true;
            continue;
        }
        if !ins.logical.text.contains("apk") {
            continue;
        }
        let Some(script) = f.model.script(f.index(ins)) else {
            facts.apk_opaque = true;
            continue;
        };
        for call in runedit::find_calls(script, apk) {
            if !call
                .sub
                .as_deref()
                .is_some_and(|s| apk.install.iter().any(|x| x == s))
            {
                continue;
            }
            let words = &script.commands[call.command].words;
            let mut skip_next = false;
            for word in &words[call.sub_word.map_or(words.len(), |s| s + 1)..] {
                if std::mem::take(&mut skip_next) {
                    continue;
                }
                let Some(l) = word.literal.as_deref() else {
                    facts.apk_opaque = true;
                    break;
                };
                if l.starts_with('-') {
                    skip_next = apk.value_options.iter().any(|v| v == l);
                } else {
                    let name = l.split(['=', '<', '>', '~']).next().unwrap_or_default();
                    facts.apk.push(name.to_string());
                }
            }
        }
    }
}

/// The Alpine runtime for a musl binary built on `img`, and a note when
/// the builder's tag names no Alpine release. `alpine:TAG` itself (it has
/// no compilers: they come from `apk add`); `golang:1.21-alpine3.18` →
/// `alpine:3.18`; a tag that names no release (`golang:1.21-alpine`) →
/// `alpine:3`, the newest 3.x (musl runs binaries linked against an older
/// musl, and the builder's Alpine is not newer than the newest).
pub(super) fn alpine_runtime(img: &ImageRef) -> Option<(String, &'static str)> {
    if img.short_name() == "alpine" {
        return Some((img.text.clone(), ""));
    }
    if img.digest.is_some() {
        return None;
    }
    let tag = img.tag.as_deref()?;
    let release = tag.split('-').find_map(|p| p.strip_prefix("alpine"))?;
    if release.is_empty() {
        return Some((
            "alpine:3".into(),
            "; the builder's tag names no Alpine release, so the runtime is the newest \
             `alpine:3` (musl runs binaries of an older musl): pin `-alpine3.NN` for the same one",
        ));
    }
    let ok = release
        .split('.')
        .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    ok.then(|| (format!("alpine:{release}"), ""))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn runtime(s: &str) -> Option<(String, bool)> {
        alpine_runtime(&ImageRef::parse(s, 0..s.len())).map(|(i, note)| (i, !note.is_empty()))
    }

    #[test]
    fn alpine_runtime_is_the_builders_release() {
        assert_eq!(
            runtime("golang:1.21-alpine3.18"),
            Some(("alpine:3.18".into(), false))
        );
        assert_eq!(
            runtime("rust:1.75-alpine3.19"),
            Some(("alpine:3.19".into(), false))
        );
        // The `alpine` image is its own runtime (no compilers until `apk add`).
        assert_eq!(runtime("alpine:3.18"), Some(("alpine:3.18".into(), false)));
        assert_eq!(runtime("alpine"), Some(("alpine".into(), false)));
        // No release in the tag: the newest 3.x, with a note saying so.
        assert_eq!(
            runtime("golang:1.9-alpine"),
            Some(("alpine:3".into(), true))
        );
        assert_eq!(runtime("golang:alpine"), Some(("alpine:3".into(), true)));
        // A release dslim cannot read, or a digest: none.
        assert_eq!(runtime("golang:1.21-alpineedge"), None);
        assert_eq!(runtime("golang:1.21-alpine3.18@sha256:abcd"), None);
        assert_eq!(runtime("golang:1.21-bookworm"), None);
    }
}
