//! What recipes read about the stage: the program it starts, its USER, its apt installs, the glibc runtime of its release.

use crate::shell::SimpleCommand;
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
    /// Packages `apk add` installs (Alpine), without `=version` or
    /// `--virtual` group names.
    pub(super) apk: Vec<String>,
    /// An `apk add` dslim cannot read.
    pub(super) apk_opaque: bool,
    /// Packages an `apt-get remove|purge` takes away again.
    pub(super) removed: Vec<String>,
    /// Packages installed with a pinned version (`name=1.2`).
    pub(super) pinned: Vec<String>,
    /// What in a RUN configures apt beyond the image's defaults (a source
    /// list, a key, debconf answers): a runtime stage's `apt-get install`
    /// would not see it.
    pub(super) configured: Option<&'static str>,
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
        if facts.configured.is_none() {
            facts.configured = [
                "sources.list",
                "add-apt-repository",
                "apt-key",
                "/etc/apt/",
                "keyrings",
                "debconf-set-selections",
                "dpkg --add-architecture",
            ]
            .into_iter()
            .find(|m| text.contains(m));
        }
        let Some(script) = f.model.script(f.index(ins)) else {
            facts.opaque = true;
            continue;
        };
        for call in runedit::find_calls(script, apt) {
            if matches!(call.sub.as_deref(), Some("remove" | "purge")) {
                if let Some(p) = runedit::install_packages(script, &call, apt) {
                    facts.removed.extend(p);
                }
                continue;
            }
            if !call
                .sub
                .as_deref()
                .is_some_and(|s| apt.install.iter().any(|x| x == s))
            {
                continue;
            }
            match runedit::install_packages(script, &call, apt) {
                Some(p) => facts.packages.extend(p.into_iter().map(|p| {
                    let name = p.split('=').next().unwrap_or_default().to_string();
                    if p.contains('=') {
                        facts.pinned.push(name.clone());
                    }
                    name
                })),
                None => facts.opaque = true,
            }
            facts.recommends |= !no_recommends
                .is_some_and(|flag| runedit::has_flag(&script.commands[call.command], &call, flag));
        }
    }
    facts
}

/// What `apk add` installs (`--virtual NAME`, `-t`, names a group, not a
/// package: `[apk] value-options`).
fn apk_facts(f: &Facts, cx: &Context, facts: &mut AptFacts) {
    let Some(apk) = cx.data().manager("apk") else {
        return;
    };
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
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
            // `apk del NAME…` takes packages (or a `--virtual` group's)
            // away again: the runtime does not install them.
            if call.sub.as_deref() == Some("del") {
                match runedit::install_packages(script, &call, apk) {
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
            match runedit::install_packages(script, &call, apk) {
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

/// The Alpine release of a runtime image (`alpine:3.18` → `(3, 18)`,
/// `node:20-alpine3.19` → `(3, 19)`); `None` for the newest (`alpine:3`,
/// `latest`, `edge`, `node:20-alpine`).
pub(super) fn alpine_release_of(image: &str) -> Option<(u32, u32)> {
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
pub(super) fn alpine_runtime_packages(
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
pub(super) fn alpine_carries_packages(
    apt: &AptFacts,
    data: &crate::data::Stages,
    programs: &[&str],
) -> bool {
    apt.apk
        .iter()
        .any(|p| !p.ends_with("-dev") && apk_carried(p, data, programs))
}

/// The programs a stage's CMD, ENTRYPOINT and HEALTHCHECK start (their
/// first words): a tool package the runtime needs for them.
pub(super) fn started_programs(f: &Facts) -> Vec<String> {
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

/// What a setup RUN of the stage wrote outside the folders the runtime
/// gets (see [`setup_writes`]).
#[derive(Debug, PartialEq)]
pub(super) enum Written {
    /// A literal absolute path, written by root and not chowned: the
    /// runtime copies it from the builder (`COPY --from` keeps the mode;
    /// the copy is root's, as the original was).
    Path(String),
    /// Something the runtime would lack and dslim cannot copy for certain,
    /// as written (`$DATA_DIR`, a file a non-root USER or a `chown` owns,
    /// the accounts `useradd` adds to /etc/passwd).
    Unsure(String),
}

/// Folders whose content no runtime needs: caches, logs, temporary files,
/// the toolchains of the builder images.
const SCRATCH_DIRS: &[&str] = &[
    "/dev",
    "/proc",
    "/sys",
    "/tmp",
    "/var/tmp",
    "/var/cache",
    "/var/lib/apt",
    "/var/lib/dpkg",
    "/var/log",
    "/root/.cache",
    "/root/.npm",
    "/go",
    "/root/go",
    "/usr/local/cargo",
    "/root/.cargo",
];

fn under(p: &str, dir: &str) -> bool {
    let d = dir.trim_end_matches('/');
    p == d || p.starts_with(&format!("{d}/"))
}

/// Files and folders the stage's RUNs make (`mkdir`, `touch`, `tee`, a `>`
/// redirection, `useradd`/`groupadd`…) outside `keep` (the app or build
/// folder, the paths the runtime copies, and their parents), in order.
/// A RUN dslim cannot read, or a heredoc, makes nothing it knows of.
pub(super) fn setup_writes(f: &Facts, keep: &[String]) -> Vec<Written> {
    let mut out: Vec<Written> = Vec::new();
    let mut user_set = false;
    let mut chowned: Vec<String> = Vec::new();
    let push = |w: Written, out: &mut Vec<Written>| {
        if !out.contains(&w) {
            out.push(w);
        }
    };
    for ins in f.instrs() {
        if ins.keyword == Keyword::User {
            let u = ins.args_text().trim();
            user_set = !(u == "root" || u == "0" || u.starts_with("root:") || u.starts_with("0:"));
            continue;
        }
        if ins.keyword != Keyword::Run {
            continue;
        }
        let at = f.index(ins);
        let cwd = f.cwd_at(at);
        let Some(script) = f.model.script(at) else {
            continue;
        };
        let text = ins.args_text();
        let mut paths: Vec<Option<String>> = Vec::new();
        let mut as_written: Vec<String> = Vec::new();
        let mut add = |raw: &str, literal: Option<&str>, paths: &mut Vec<Option<String>>| {
            let p = literal.and_then(|l| {
                if l.contains(['*', '?', '[']) {
                    None
                } else if l.starts_with('/') {
                    Some(super::join("/", l))
                } else {
                    cwd.as_deref().map(|c| super::join(c, l))
                }
            });
            paths.push(p);
            as_written.push(raw.to_string());
        };
        for c in &script.commands {
            let w = &c.words;
            match c.name() {
                Some("mkdir" | "touch" | "tee") => {
                    let mut skip = false;
                    for a in &w[1..] {
                        if skip {
                            skip = false;
                            continue;
                        }
                        match a.literal.as_deref() {
                            Some("-m" | "--mode") => skip = true,
                            Some(l) if l.starts_with('-') => {}
                            l => add(&a.raw, l, &mut paths),
                        }
                    }
                }
                Some("cp" | "mv" | "ln" | "chmod") => match placed(c, cwd.as_deref()) {
                    Ok(ps) => {
                        for p in ps {
                            add(&p, Some(&p), &mut paths);
                        }
                    }
                    Err(raw) => add(&raw, None, &mut paths),
                },
                Some("chown") => chowned.extend(
                    w[1..]
                        .iter()
                        .skip(1)
                        .filter_map(|a| a.literal.clone())
                        .filter(|l| !l.starts_with('-'))
                        .map(|l| match &cwd {
                            Some(c) => super::join(c, &l),
                            None => l,
                        }),
                ),
                Some(
                    n @ ("useradd" | "adduser" | "groupadd" | "addgroup" | "usermod" | "groupmod"),
                ) => push(
                    Written::Unsure(format!(
                        "the account `{n}` adds (/etc/passwd, /etc/group, /etc/shadow)"
                    )),
                    &mut out,
                ),
                _ => {}
            }
        }
        for (raw, lit) in redirections(text) {
            add(&raw, lit.as_deref(), &mut paths);
        }
        for (p, raw) in paths.into_iter().zip(as_written) {
            let w = match p {
                Some(p) if SCRATCH_DIRS.iter().any(|d| under(&p, d)) => continue,
                Some(p) if keep.iter().any(|k| under(&p, k) || under(k, &p)) => continue,
                Some(p) if user_set => Written::Unsure(format!("`{p}` (a non-root USER owns it)")),
                Some(p) => Written::Path(p),
                None => Written::Unsure(format!("`{raw}`")),
            };
            push(w, &mut out);
        }
    }
    // A path a `chown` gave to another user: the copy would be root's.
    let out: Vec<Written> = out
        .into_iter()
        .map(|w| match w {
            Written::Path(p) if chowned.iter().any(|c| under(&p, c) || under(c, &p)) => {
                Written::Unsure(format!("`{p}` (a `chown` changed its owner)"))
            }
            w => w,
        })
        .collect();
    // A path inside another one that is copied goes along with it.
    let dirs: Vec<String> = out
        .iter()
        .filter_map(|w| match w {
            Written::Path(p) => Some(p.clone()),
            Written::Unsure(_) => None,
        })
        .collect();
    out.into_iter()
        .filter(|w| match w {
            Written::Path(p) => !dirs.iter().any(|d| d != p && under(p, d)),
            Written::Unsure(_) => true,
        })
        .collect()
}

/// Folders every Debian and Alpine image has: a copy or link into one
/// (`cp app.conf /etc`) writes a file inside it, and a `chmod` of one
/// itself is no file dslim copies.
pub(super) const SYSTEM_DIRS: &[&str] = &[
    "/",
    "/bin",
    "/etc",
    "/home",
    "/lib",
    "/opt",
    "/root",
    "/sbin",
    "/srv",
    "/usr",
    "/usr/bin",
    "/usr/lib",
    "/usr/local",
    "/usr/local/bin",
    "/usr/local/lib",
    "/usr/local/sbin",
    "/usr/local/share",
    "/usr/sbin",
    "/usr/share",
    "/var",
    "/var/lib",
    "/var/run",
    "/run",
];

/// The paths a `cp`, `mv`, `ln` or `chmod` writes (the copies, moves and
/// links it makes; the files whose mode it changes), resolved against
/// `cwd`: a destination with a trailing `/`, several sources or a folder
/// of [`SYSTEM_DIRS`] gets each source's name in it. `Err`: a word as
/// written that dslim cannot resolve (variables, a glob, `-t`, a relative
/// path in an unknown folder, a `chmod` of a system folder).
pub(super) fn placed(c: &SimpleCommand, cwd: Option<&str>) -> Result<Vec<String>, String> {
    let name = c.name().unwrap_or("");
    let resolve = |raw: &str, lit: Option<&str>| -> Result<String, String> {
        match lit {
            Some(l) if l.contains(['*', '?', '[']) => Err(raw.to_string()),
            Some(l) if l.starts_with('/') => Ok(super::join("/", l)),
            Some(l) => cwd
                .map(|d| super::join(d, l))
                .ok_or_else(|| raw.to_string()),
            None => Err(raw.to_string()),
        }
    };
    let mut args: Vec<(&str, Option<&str>)> = Vec::new();
    for w in &c.words[1..] {
        match w.literal.as_deref() {
            Some("-t" | "--target-directory" | "-T") => return Err(w.raw.clone()),
            Some(l) if l.starts_with("--target-directory=") || l.starts_with("--reference") => {
                return Err(w.raw.clone())
            }
            // A chmod mode `-x` / `-w` is no flag.
            Some(l)
                if l.starts_with('-')
                    && !(name == "chmod" && l[1..].starts_with(['r', 'w', 'x', 'X', 's', 't'])) => {
            }
            l => args.push((w.raw.as_str(), l)),
        }
    }
    if name == "chmod" {
        let Some((_, targets)) = args.split_first() else {
            return Ok(Vec::new());
        };
        return targets
            .iter()
            .map(|(raw, lit)| {
                let p = resolve(raw, *lit)?;
                if SYSTEM_DIRS.contains(&p.trim_end_matches('/')) {
                    Err(raw.to_string())
                } else {
                    Ok(p)
                }
            })
            .collect();
    }
    let [srcs @ .., (draw, dlit)] = &args[..] else {
        return Ok(Vec::new());
    };
    if srcs.is_empty() {
        // `ln -s TARGET`: a link in the current folder.
        return Err(draw.to_string());
    }
    let dest = resolve(draw, *dlit)?;
    let into =
        dest.ends_with('/') || srcs.len() > 1 || SYSTEM_DIRS.contains(&dest.trim_end_matches('/'));
    if !into {
        return Ok(vec![dest]);
    }
    srcs.iter()
        .map(|(raw, lit)| {
            let n = lit
                .map(|l| l.trim_end_matches('/'))
                .and_then(|l| l.rsplit('/').next())
                .filter(|n| {
                    !n.is_empty() && !n.contains(['*', '?', '[']) && *n != "." && *n != ".."
                })
                .ok_or_else(|| raw.to_string())?;
            Ok(super::join(dest.trim_end_matches('/'), n))
        })
        .collect()
}

/// Whether a shell text redirects output into a file (not `/dev/…`, not
/// `>&N`).
pub(super) fn writes_files(text: &str) -> bool {
    redirections(text)
        .iter()
        .any(|(raw, _)| !raw.starts_with("/dev/"))
}

/// The targets of the output redirections (`>`, `>>`, `>|`, `2>`) of a
/// shell text outside quotes: (as written, literal value). `>&N` and
/// `/dev/…` are skipped.
fn redirections(text: &str) -> Vec<(String, Option<String>)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let (mut single, mut double) = (false, false);
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\\' if !single => i += 1,
            b'\'' if !double => single = !single,
            b'"' if !single => double = !double,
            b'>' if !single && !double => {
                let mut j = i + 1;
                if j < b.len() && (b[j] == b'>' || b[j] == b'|') {
                    j += 1;
                }
                if j < b.len() && b[j] == b'&' {
                    i = j + 1;
                    continue;
                }
                while j < b.len() && (b[j] == b' ' || b[j] == b'\t') {
                    j += 1;
                }
                let start = j;
                let (mut sq, mut dq) = (false, false);
                while j < b.len() {
                    let d = b[j];
                    if !sq && !dq && (d.is_ascii_whitespace() || b";|&()<>".contains(&d)) {
                        break;
                    }
                    match d {
                        b'\'' if !dq => sq = !sq,
                        b'"' if !sq => dq = !dq,
                        _ => {}
                    }
                    j += 1;
                }
                let raw = &text[start..j];
                if !raw.is_empty() {
                    let unq = raw.replace(['"', '\''], "");
                    let literal = (!raw.contains(['$', '`', '\\'])).then_some(unq);
                    out.push((raw.to_string(), literal));
                }
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
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

    #[test]
    fn redirection_targets() {
        let r = redirections(
            "echo 'a > b' > /etc/app.conf && printf x >>\"/etc/x y\" 2>/dev/null; cat a 2>&1 >$F",
        );
        let lits: Vec<Option<&str>> = r.iter().map(|(_, l)| l.as_deref()).collect();
        assert_eq!(
            lits,
            vec![
                Some("/etc/app.conf"),
                Some("/etc/x y"),
                Some("/dev/null"),
                None
            ]
        );
        assert_eq!(r[3].0, "$F");
    }
}

/// A COPY or ADD the runtime of a binary split makes again.
pub(super) struct ContextCopy {
    /// The instruction as written.
    pub line: String,
    /// The files it writes.
    pub files: Vec<String>,
    /// Why it cannot be made again for certain, as shown.
    pub unsure: Option<String>,
}

/// What a COPY or ADD from the build context put outside the app and
/// build folders (`COPY app.conf /etc/app/`): a binary split loses it, so
/// the runtime copies it from the context again, the instruction as
/// written. Not carried: a copy into `keep`, a folder a
/// RUN works in (`WORKDIR`, `cd DIR`: the sources the build reads), a
/// scratch folder, or of the whole context (`COPY . /src`: the sources).
/// A file a later RUN names is a build input when that RUN builds (a
/// command of `[build-tools]`: `gcc … /src/app.c`), not carried; named by
/// another RUN it may be changed after the copy.
/// `unsure` names what cannot be carried for certain: a destination with
/// variables, a named `--chown` (the runtime may lack the account), an
/// `ADD` of a URL or a heredoc, a file a later RUN other than a build names.
pub(super) fn context_copies(
    f: &Facts,
    keep: &[String],
    tools: &crate::data::BuildTools,
) -> Vec<ContextCopy> {
    let mut work: Vec<String> = Vec::new();
    for ins in f.runs() {
        let at = f.index(ins);
        let cwd = f.cwd_at(at);
        work.extend(cwd.iter().filter(|c| *c != "/").cloned());
        let Some(script) = f.model.script(at) else {
            continue;
        };
        for c in script.commands.iter().filter(|c| c.name() == Some("cd")) {
            if let Some(d) = c.words.get(1).and_then(|w| w.literal.as_deref()) {
                let d = match &cwd {
                    _ if d.starts_with('/') => super::join("/", d),
                    Some(w) => super::join(w, d),
                    None => continue,
                };
                if d != "/" {
                    work.push(d.trim_end_matches('/').to_string());
                }
            }
        }
    }
    let mut out = Vec::new();
    for ins in f.instrs() {
        if !matches!(ins.keyword, Keyword::Copy | Keyword::Add) {
            continue;
        }
        let at = f.index(ins);
        let shown = || {
            let t = f.doc.text(ins.span.clone()).trim();
            format!("`{}`", t.lines().next().unwrap_or(t))
        };
        let Some((srcs, dst)) = ins.copy_parts() else {
            continue;
        };
        if srcs.iter().any(|s| matches!(s.as_str(), "." | "./")) {
            continue;
        }
        let target = if dst.starts_with('/') {
            Some(super::join("/", dst))
        } else {
            f.cwd_at(at).map(|w| super::join(&w, dst))
        };
        let Some(target) = target.filter(|_| !dst.contains('$')) else {
            if dst.starts_with('/') || dst.contains('$') {
                out.push(ContextCopy {
                    line: String::new(),
                    files: Vec::new(),
                    unsure: Some(format!("{} (its destination is not literal)", shown())),
                });
            }
            continue;
        };
        let t = target.trim_end_matches('/');
        let t = if t.is_empty() { "/" } else { t };
        // The files it writes: into a folder (`DEST/`, several sources)
        // each source's name there (a glob: the folder).
        let files: Vec<String> = if dst.ends_with('/') || srcs.len() > 1 {
            srcs.iter()
                .map(|s| match s.trim_end_matches('/').rsplit('/').next() {
                    Some(n) if !n.is_empty() && !n.contains(['*', '?', '[']) => super::join(t, n),
                    _ => t.to_string(),
                })
                .collect()
        } else {
            vec![t.to_string()]
        };
        if files.iter().any(|p| {
            p == "/"
                || SCRATCH_DIRS.iter().any(|d| under(p, d))
                || keep.iter().any(|k| under(p, k))
                || work.iter().any(|w| under(p, w) || under(w, p))
        }) {
            continue;
        }
        let named_chown = ins.flag("chown").and_then(|c| c.value()).is_some_and(|v| {
            !v.split(':')
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        });
        let naming = f
            .runs()
            .find(|r| f.index(r) > at && files.iter().any(|p| r.args_text().contains(p.as_str())));
        if naming.is_some_and(|r| super::super::images::compiles(&[r.args_text()], tools).is_some())
        {
            continue;
        }
        let later_names = naming.is_some();
        let why = if named_chown {
            Some("a named `--chown` the runtime may lack")
        } else if !ins.heredocs.is_empty() {
            Some("a heredoc")
        } else if ins.keyword == Keyword::Add && srcs.iter().any(|s| s.contains("://")) {
            Some("a download")
        } else if later_names {
            Some("a later RUN names it")
        } else {
            None
        };
        out.push(ContextCopy {
            line: f.doc.text(ins.span.clone()).trim_end().to_string(),
            files,
            unsure: why.map(|w| format!("{} ({w})", shown())),
        });
    }
    out
}
