//! What the stage's package managers install: apt's and apk's packages,
//! and the Alpine runtime of a musl build with the packages it carries.

use crate::shell::SimpleCommand;
use crate::syntax::ImageRef;
use crate::transform::Context;

use super::super::super::run_edits;
use super::super::StageFacts;

/// What the stage's `apt-get install`s say about the builder.
#[derive(Default)]
pub(in crate::transforms::multi_stage) struct AptFacts {
    /// Package names as written, without `=version`.
    pub(in crate::transforms::multi_stage) packages: Vec<String>,
    /// An install without `--no-install-recommends`: more packages than the
    /// listed ones may be there.
    pub(in crate::transforms::multi_stage) recommends: bool,
    /// An apt call dslim cannot read (`$PKGS`, a RUN it cannot parse).
    pub(in crate::transforms::multi_stage) opaque: bool,
    /// Packages `apk add` installs (Alpine), without `=version` or
    /// `--virtual` group names.
    pub(in crate::transforms::multi_stage) apk: Vec<String>,
    /// An `apk add` dslim cannot read.
    pub(in crate::transforms::multi_stage) apk_opaque: bool,
    /// Packages an `apt-get remove|purge` takes away again.
    pub(in crate::transforms::multi_stage) removed: Vec<String>,
    /// Packages installed with a pinned version (`name=1.2`).
    pub(in crate::transforms::multi_stage) pinned: Vec<String>,
    /// What in a RUN configures apt beyond the image's defaults (a source
    /// list, a key, debconf answers): a runtime stage's `apt-get install`
    /// would not see it.
    pub(in crate::transforms::multi_stage) configured: Option<&'static str>,
}

impl AptFacts {
    pub(in crate::transforms::multi_stage) fn installs(&self, package: &str) -> bool {
        self.packages.iter().any(|p| p == package)
    }
    /// A library's `-dev` package other than libc's: the binary may link the
    /// library, which a runtime image without the package lacks.
    pub(in crate::transforms::multi_stage) fn dev_library(&self) -> Option<&str> {
        self.packages
            .iter()
            .map(String::as_str)
            .find(|p| p.starts_with("lib") && p.ends_with("-dev") && *p != "libc6-dev")
    }
}

pub(in crate::transforms::multi_stage) fn apt_facts(f: &StageFacts, cx: &Context) -> AptFacts {
    let mut facts = AptFacts::default();
    apk_facts(f, cx, &mut facts);
    let Some(apt) = cx.data().manager("apt") else {
        return facts;
    };
    for ins in f.runs() {
        let text = &ins.logical.text;
        if installs_unseen(f, ins) {
            facts.opaque = true;
            continue;
        }
        if !text.contains("apt") {
            continue;
        }
        if facts.configured.is_none() {
            facts.configured = apt_configuration(text);
        }
        let Some(script) = f.model.script(f.index(ins)) else {
            facts.opaque = true;
            continue;
        };
        for call in f.model.calls(f.index(ins), "apt", apt).iter() {
            facts.read_apt_call(script, call, apt);
        }
    }
    facts
}

/// Whether the RUN `ins` installs packages apt's calls do not show: with
/// another installer (`dpkg -i`, `apt-get build-dep`, …) or in a heredoc.
fn installs_unseen(f: &StageFacts, ins: &crate::syntax::Instruction) -> bool {
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
    let in_heredoc = ins.heredocs().iter().any(|h| {
        let b = f.doc.text(h.body.clone());
        b.contains("apt") || b.contains("dpkg")
    });
    other_installer || in_heredoc
}

/// What in a RUN's `text` configures apt (sources, keys, debconf, an
/// architecture), if anything.
fn apt_configuration(text: &str) -> Option<&'static str> {
    [
        "sources.list",
        "add-apt-repository",
        "apt-key",
        "/etc/apt/",
        "keyrings",
        "debconf-set-selections",
        "dpkg --add-architecture",
    ]
    .into_iter()
    .find(|m| text.contains(m))
}

impl AptFacts {
    /// One apt call of the RUN's `script`: what it removes, or installs
    /// (pinned or not, with recommended packages or not).
    fn read_apt_call(
        &mut self,
        script: &crate::shell::Script,
        call: &crate::model::calls::PmCall,
        apt: &crate::data::PackageManager,
    ) {
        if matches!(call.sub.as_deref(), Some("remove" | "purge")) {
            if let Some(p) = run_edits::install_packages(script, call, apt) {
                self.removed.extend(p);
            }
            return;
        }
        if !call
            .sub
            .as_deref()
            .is_some_and(|s| apt.install.iter().any(|x| x == s))
        {
            return;
        }
        match run_edits::install_packages(script, call, apt) {
            Some(p) => self.packages.extend(p.into_iter().map(|p| {
                let name = p.split('=').next().unwrap_or_default().to_string();
                if p.contains('=') {
                    self.pinned.push(name.clone());
                }
                name
            })),
            None => self.opaque = true,
        }
        self.recommends |= !apt
            .flags
            .get("no-recommends")
            .is_some_and(|flag| run_edits::has_flag(&script.commands[call.command], call, flag));
    }
}

/// What `apk add` installs (`--virtual NAME`, `-t`, names a group, not a
/// package: `[apk] value-options`).
fn apk_facts(f: &StageFacts, cx: &Context, facts: &mut AptFacts) {
    let Some(apk) = cx.data().manager("apk") else {
        return;
    };
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for ins in f.runs() {
        let in_heredoc = ins
            .heredocs()
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
        for call in f.model.calls(f.index(ins), "apk", apk).iter().cloned() {
            // `apk del NAME…` takes packages (or a `--virtual` group's)
            // away again: the runtime does not install them.
            if call.sub.as_deref() == Some("del") {
                match run_edits::install_packages(script, &call, apk) {
                    Some(names) => {
                        for n in names {
                            let members = groups
                                .iter()
                                .find(|(g, _)| *g == n)
                                .map(|(_, m)| m.clone())
                                .unwrap_or_else(|| vec![n.clone()]);
                            // (A `-dev` package still says which library
                            // the binary links.)
                            facts
                                .apk
                                .retain(|p| p.ends_with("-dev") || !members.contains(p));
                        }
                    }
                    None => facts.apk_opaque = true,
                }
                continue;
            }
            if !call
                .sub
                .as_deref()
                .is_some_and(|s| apk.install.iter().any(|x| x == s))
            {
                continue;
            }
            match run_edits::install_packages(script, &call, apk) {
                Some(p) => {
                    let names: Vec<String> = p
                        .into_iter()
                        .map(|p| {
                            p.split(['=', '<', '>', '~'])
                                .next()
                                .unwrap_or_default()
                                .to_string()
                        })
                        .collect();
                    if let Some(g) = virtual_group(&script.commands[call.command]) {
                        groups.push((g, names.clone()));
                    }
                    facts.apk.extend(names);
                }
                None => facts.apk_opaque = true,
            }
        }
    }
}

/// The group name of `apk add --virtual NAME` (`-t NAME`, `--virtual=NAME`).
fn virtual_group(c: &SimpleCommand) -> Option<String> {
    let w: Vec<Option<&str>> = c.words.iter().map(|w| w.literal.as_deref()).collect();
    w.iter().enumerate().find_map(|(k, a)| match a {
        Some("--virtual" | "-t") => w.get(k + 1).copied().flatten().map(str::to_string),
        Some(a) => a.strip_prefix("--virtual=").map(str::to_string),
        None => None,
    })
}

/// The Alpine runtime for a musl binary built on `img`, and a note when
/// the builder's tag names no Alpine release. `alpine:TAG` itself (it has
/// no compilers: they come from `apk add`); `golang:1.21-alpine3.18` →
/// `alpine:3.18`; a tag that names no release (`golang:1.21-alpine`) →
/// `alpine:3`, the newest 3.x (musl runs binaries linked against an older
/// musl, and the builder's Alpine is not newer than the newest).
pub(in crate::transforms::multi_stage) fn alpine_runtime(
    img: &ImageRef,
) -> Option<(String, &'static str)> {
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

/// The Alpine release of a runtime image (`alpine:3.18` → `(3, 18)`,
/// `node:20-alpine3.19` → `(3, 19)`); `None` for the newest (`alpine:3`,
/// `latest`, `edge`, `node:20-alpine`).
pub(in crate::transforms::multi_stage) fn alpine_release_of(image: &str) -> Option<(u32, u32)> {
    let tag = image.rsplit_once(':').map(|(_, t)| t)?;
    if image.starts_with("alpine:") {
        return crate::data::alpine_release(tag);
    }
    tag.split('-')
        .find_map(|p| p.strip_prefix("alpine"))
        .and_then(crate::data::alpine_release)
}

/// What the runtime stage of a split within Alpine installs with `apk
/// add --no-cache`: the packages the builder's `apk add` installed that
/// are not only for building (`[builder] apk-packages`) — the program may
/// use them —, a tool package (`npm`, `[alpine] tools`) only when one of
/// `programs` (what the CMD/ENTRYPOINT runs) is its tool, and, when
/// `libraries` (a dynamic binary, an interpreter's native modules), the
/// runtime package of each `-dev` package and of each of `links`
/// (`-lNAME`) from `[alpine] runtime-libraries` in the runtime's release.
/// `Err`: why not (an unmapped `-dev` package, a release older than the
/// one its package name is known from).
pub(in crate::transforms::multi_stage) fn alpine_runtime_packages(
    apt: &AptFacts,
    data: &crate::data::Stages,
    image: &str,
    programs: &[&str],
    libraries: bool,
    links: &[String],
) -> Result<Vec<String>, String> {
    let release = alpine_release_of(image);
    let a = &data.alpine;
    let mut out: Vec<String> = Vec::new();
    let push = |p: &str, out: &mut Vec<String>| {
        if !p.is_empty() && !out.iter().any(|x| x == p) {
            out.push(p.to_string());
        }
    };
    let library = |key: &str| -> Result<Option<&str>, String> {
        match a.runtime_libraries.get(key) {
            Some(p) => p.for_release(release).map(Some).map_err(|since| {
                format!(
                    "the runtime `{image}` needs the library of `{key}`, whose Alpine package \
                     dslim knows only from Alpine {since} on"
                )
            }),
            None => Ok(None),
        }
    };
    for p in &apt.apk {
        if p.ends_with("-dev") {
            if !libraries || data.builder.apk_builds(p) {
                continue;
            }
            match library(p)? {
                Some(lib) => push(lib, &mut out),
                None => {
                    return Err(format!(
                        "apk installs `{p}`, and the runtime would need its library, which has \
                         no Alpine package in `[alpine] runtime-libraries` of \
                         transforms/stages.toml"
                    ))
                }
            }
        } else if apk_carried(p, data, programs) {
            push(p, &mut out);
        }
    }
    if libraries {
        for l in links {
            match library(l)? {
                Some(lib) => push(lib, &mut out),
                None => {
                    return Err(format!(
                        "the binary links `{l}`, a library `{image}` lacks and dslim has no \
                         Alpine package for (`[alpine] runtime-libraries`)"
                    ))
                }
            }
        }
    }
    Ok(out)
}

/// Whether the runtime installs `p`, a package `apk add` installed that is
/// no `-dev` package: not when it only builds (`[builder] apk`), a tool
/// package (`[alpine] tools`) only when the CMD/ENTRYPOINT/HEALTHCHECK
/// runs its tool (`programs`), else always.
fn apk_carried(p: &str, data: &crate::data::Stages, programs: &[&str]) -> bool {
    if data.builder.apk_builds(p) {
        return false;
    }
    match data.alpine.tools.get(p) {
        Some(tool) => programs
            .iter()
            .any(|g| g.rsplit('/').next() == Some(tool.as_str())),
        None => true,
    }
}

/// Whether the runtime installs any package `apk add` installed (no `-dev`
/// library: what [`alpine_runtime_packages`] carries for a static binary).
pub(in crate::transforms::multi_stage) fn alpine_carries_packages(
    apt: &AptFacts,
    data: &crate::data::Stages,
    programs: &[&str],
) -> bool {
    apt.apk
        .iter()
        .any(|p| !p.ends_with("-dev") && apk_carried(p, data, programs))
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

    #[test]
    fn alpine_runtime_packages_carry_and_map() {
        let data = &crate::data::builtin().stages;
        assert_eq!(alpine_release_of("alpine:3.18"), Some((3, 18)));
        assert_eq!(alpine_release_of("node:20-alpine3.19"), Some((3, 19)));
        assert_eq!(alpine_release_of("node:20-alpine"), None);
        assert_eq!(alpine_release_of("alpine"), None);
        let apt = AptFacts {
            apk: ["build-base", "tzdata", "npm", "zlib-dev", "openssl-dev"]
                .map(String::from)
                .to_vec(),
            ..AptFacts::default()
        };
        let run = |image: &str, programs: &[&str], libs: bool| {
            alpine_runtime_packages(&apt, data, image, programs, libs, &["-lpq".into()])
        };
        // Build tools stay behind; a tool package only when the CMD runs it.
        assert_eq!(
            run("alpine:3.19", &["node"], false),
            Ok(vec!["tzdata".into()])
        );
        assert_eq!(
            run("alpine:3.19", &["npm"], false),
            Ok(vec!["tzdata".into(), "npm".into()])
        );
        // A dynamic binary: the `-dev` packages' and `-lNAME`s' libraries.
        assert_eq!(
            run("alpine:3.19", &[], true),
            Ok(["tzdata", "zlib", "libssl3", "libpq"]
                .map(String::from)
                .to_vec())
        );
        // OpenSSL 3's name is known only from 3.17 on.
        assert!(run("alpine:3.16", &[], true).unwrap_err().contains("3.17"));
        let unknown = AptFacts {
            apk: vec!["vips-dev".into()],
            ..AptFacts::default()
        };
        let e = alpine_runtime_packages(&unknown, data, "alpine:3.19", &[], true, &[]);
        assert!(e.unwrap_err().contains("`vips-dev`"));
    }
}
