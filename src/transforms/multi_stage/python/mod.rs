//! Python: the pip installs go into a venv in the builder (with its
//! compilers and `-dev` packages), which the `-slim` image gets at the same
//! path, with the runtime libraries of those `-dev` packages installed.
//!
//! Applied (unsafe) when every RUN is one dslim can account for: pip
//! installs into the venv, apt installs of build tools or mapped `-dev`
//! packages, and file commands inside the app folder (the WORKDIR, which
//! the runtime copies). Anything else keeps the proposal display-only and
//! names what blocked it.

use crate::buildctx::Info;
use crate::data::{BaseImage, Stages};
use crate::syntax::Keyword;

use super::super::base_images::{is_variant, slim_tag, TagPlan};
use super::facts::{alpine_runtime, alpine_runtime_packages, started_programs, AptFacts};
use super::{image_with_tag, join, Split, StageFacts};
use commands::{glob, inside, is_python};

pub(super) mod commands;
mod runs;

use runs::{alpine_venv_at, read_runs, venv_blockers};

pub(super) fn python(
    f: &StageFacts,
    data: &Stages,
    apt: &AptFacts,
    table: Option<&BaseImage>,
    context: Option<&Info>,
) -> Option<Result<Split, String>> {
    split(f, data, apt, table, context, false)
}

/// The same on `alpine` with Alpine's `python3` (`apk add python3
/// python3-dev build-base`, pip installs): the venv is made after the
/// `apk add` of `python3` and copied to `alpine:<the same tag>`, which
/// installs `python3` and the runtime packages of the builder's `apk add`
/// (`[alpine]` in transforms/stages.toml).
pub(super) fn alpine_python(
    f: &StageFacts,
    data: &Stages,
    apt: &AptFacts,
    context: Option<&Info>,
) -> Option<Result<Split, String>> {
    split(f, data, apt, None, context, true)
}

fn split(
    f: &StageFacts,
    data: &Stages,
    apt: &AptFacts,
    table: Option<&BaseImage>,
    context: Option<&Info>,
    alpine: bool,
) -> Option<Result<Split, String>> {
    let r = &data.python;
    let img = &f.doc.stages()[0].image;
    if !alpine && already_small(img.tag.as_deref(), table) {
        return None; // already a small base: DS201 has little to gain
    }
    let mut blockers: Vec<String> = Vec::new();
    let mut block = |why: String| {
        if !blockers.contains(&why) {
            blockers.push(why);
        }
    };
    let wd = f.workdir.clone().filter(|w| w != "/");
    let runs = read_runs(f, context, wd.as_deref(), &mut block);
    if !runs.pip_seen {
        return None;
    }
    if let Some(why) = refusal(f, r, wd.as_deref(), img) {
        return Some(Err(why));
    }
    let runtime_tag = if alpine {
        String::new()
    } else {
        runtime_tag(r, img.tag.as_deref(), table)?
    };
    let (venv_path, own, venv_at) = choose_venv(f, r, &runs, alpine, &mut block);
    let packages = match runtime_packages(f, data, apt, alpine, &runs, &mut block) {
        Ok(p) => p,
        Err(e) => return Some(Err(e)),
    };
    let chown = file_blockers(f, r, wd.as_deref(), &mut block);
    let venv = Venv {
        path: &venv_path,
        own,
    };
    let runtime_head = runtime_head(r, alpine, &packages.runtime, venv, wd.as_deref(), chown);
    let mut note = note(
        &venv_path,
        alpine,
        &packages.runtime,
        &packages.source_builds,
        &runs.unread,
        wd.is_none(),
    );
    let applicability = super::applicability(&blockers, &mut note);
    let runtime_image = packages
        .alpine_image
        .unwrap_or_else(|| image_with_tag(img, &runtime_tag));
    Some(Ok(Split {
        lang: "Python",
        runtime_image,
        builder_head: builder_venv(venv, alpine),
        builder_head_at: venv_at,
        builder_tail: Vec::new(),
        runtime_head,
        runtime_tail: Vec::new(),
        applicability,
        note,
    }))
}

/// The venv: the stage's own, or one dslim adds right after FROM (on
/// Alpine right before the first RUN with pip, [`alpine_venv_at`]). (Its
/// path, whether the stage made it, the instruction it is made before.)
fn choose_venv(
    f: &StageFacts,
    r: &crate::data::PythonRecipe,
    runs: &runs::Runs,
    alpine: bool,
    block: &mut impl FnMut(String),
) -> (String, bool, Option<usize>) {
    let (venv_path, own) = match &runs.venv {
        Some((v, _)) => (v.clone(), true),
        None => (r.venv.clone(), false),
    };
    let venv_at = if alpine && !own {
        alpine_venv_at(f, runs.bare_pip_at.or(runs.first_pip_at), block)
    } else {
        None
    };
    venv_blockers(
        f,
        &venv_path,
        own,
        runs.venv.as_ref(),
        runs.bare_pip_at,
        block,
    );
    (venv_path, own, venv_at)
}

/// What the runtime installs (see [`runtime_packages`]).
struct Packages {
    /// The runtime image of an Alpine builder (its release).
    alpine_image: Option<String>,
    /// The packages the runtime installs.
    runtime: Vec<String>,
    /// The packages pip builds from source (no Linux wheels on PyPI).
    source_builds: Vec<String>,
}

/// What the runtime installs: the runtime libraries of the builder's apt
/// packages, on Alpine python3 and what apk installed, and the libraries
/// of the packages pip builds from source. `Err`: the builder's Alpine
/// release is unknown.
fn runtime_packages(
    f: &StageFacts,
    data: &Stages,
    apt: &AptFacts,
    alpine: bool,
    runs: &runs::Runs,
    block: &mut impl FnMut(String),
) -> Result<Packages, String> {
    let mut runtime = apt_runtime_packages(apt, data, block);
    let alpine_image = if alpine {
        match alpine_runtime(&f.doc.stages()[0].image) {
            Some((i, _)) => Some(i),
            None => return Err("the builder's Alpine release is unknown".into()),
        }
    } else {
        None
    };
    if let Some(image) = &alpine_image {
        add_alpine_packages(f, apt, data, image, &mut runtime, block);
    }
    let source_builds = if alpine {
        Vec::new()
    } else {
        source_builds(&data.python, &runs.requirements, &mut runtime)
    };
    if runs.from_source && !dev_installed(apt) {
        block(
            "`pip install --no-binary` compiles against libraries of the full image, and no \
             `-dev` package installed by apt says which the runtime needs"
                .into(),
        );
    }
    Ok(Packages {
        alpine_image,
        runtime,
        source_builds,
    })
}

/// The builder's lines after FROM: the venv dslim adds, unless the stage
/// makes its own.
fn builder_venv(venv: Venv, alpine: bool) -> Vec<String> {
    if venv.own {
        return Vec::new();
    }
    let python = if alpine { "python3" } else { "python" };
    vec![
        format!("RUN {python} -m venv {}", venv.path),
        path_env(venv.path),
    ]
}

/// A slim or Alpine tag, or one the table knows as a variant: the image is
/// already small.
fn already_small(tag: Option<&str>, table: Option<&BaseImage>) -> bool {
    tag.is_some_and(|t| t.contains("slim") || t.contains("alpine"))
        || table.is_some_and(|t| tag.is_some_and(|tag| is_variant(t, tag)))
}

/// Why no split can be proposed at all, whatever the RUNs hold.
fn refusal(
    f: &StageFacts,
    r: &crate::data::PythonRecipe,
    wd: Option<&str>,
    img: &crate::syntax::ImageRef,
) -> Option<String> {
    // No WORKDIR: a build that only installs packages (no COPY but of
    // the files pip reads) has no app folder, and its runtime gets only
    // the venv; one that copies app files has an unknown app folder.
    if wd.is_none() && !only_build_inputs(f, r) {
        return Some(
            "no WORKDIR: the app folder is unknown (a COPY puts files other than the ones pip \
             reads into the image)"
                .into(),
        );
    }
    img.digest.as_ref().map(|_| {
        format!(
            "`{}` is pinned by digest; its slim variant has another digest",
            img.text
        )
    })
}

/// The slim tag of a Debian builder's `tag`; `None` when the table says to
/// leave the image alone.
fn runtime_tag(
    r: &crate::data::PythonRecipe,
    tag: Option<&str>,
    table: Option<&BaseImage>,
) -> Option<String> {
    Some(match tag {
        None | Some("latest") => r.runtime_suffix.trim_start_matches('-').to_string(),
        Some(t) => match table.map(|tb| slim_tag(tb, t)) {
            Some(TagPlan::Swap(s)) => s,
            Some(TagPlan::Leave) => return None,
            None => format!("{t}{}", r.runtime_suffix),
        },
    })
}

/// Apt: build tools stay behind, `-dev` packages become their runtime
/// libraries (returned), anything else blocks.
fn apt_runtime_packages(
    apt: &AptFacts,
    data: &Stages,
    block: &mut impl FnMut(String),
) -> Vec<String> {
    let mut runtime_packages: Vec<String> = Vec::new();
    if apt.opaque {
        block("an apt install dslim cannot read".into());
    }
    for p in &apt.packages {
        if let Some(lib) = data.builder.runtime_libraries.get(p) {
            if !lib.is_empty() && !runtime_packages.contains(lib) {
                runtime_packages.push(lib.clone());
            }
        } else if !data.builder.only_builds(p) {
            block(format!(
                "apt installs `{p}`, which the program may use at run time and which has no \
                 runtime package in `[builder.runtime-libraries]` of transforms/stages.toml"
            ));
        }
    }
    runtime_packages
}

/// Alpine: python3, what apk installed for the program, and the runtime
/// libraries of the `-dev` packages native modules were built against.
fn add_alpine_packages(
    f: &StageFacts,
    apt: &AptFacts,
    data: &Stages,
    image: &str,
    runtime_packages: &mut Vec<String>,
    block: &mut impl FnMut(String),
) {
    if apt.apk_opaque {
        block("an `apk add` dslim cannot read".into());
    }
    if let Some(py) = data.alpine.interpreters.get("python") {
        runtime_packages.push(py.clone());
    }
    let programs = started_programs(f);
    let programs: Vec<&str> = programs.iter().map(String::as_str).collect();
    match alpine_runtime_packages(apt, data, image, &programs, true, &[]) {
        Ok(p) => {
            for p in p {
                if !runtime_packages.contains(&p) {
                    runtime_packages.push(p);
                }
            }
        }
        Err(e) => block(e),
    }
}

/// Packages PyPI has no Linux wheels of (returned): pip compiles them
/// against the full image's headers, and the runtime needs the library
/// (on Alpine the `-dev` packages apk installs say which).
fn source_builds(
    r: &crate::data::PythonRecipe,
    requirements: &[String],
    runtime_packages: &mut Vec<String>,
) -> Vec<String> {
    let mut source_builds: Vec<String> = Vec::new();
    for name in requirements {
        if let Some(lib) = r.source_builds.get(name) {
            if !source_builds.contains(name) {
                source_builds.push(name.clone());
            }
            if !runtime_packages.contains(lib) {
                runtime_packages.push(lib.clone());
            }
        }
    }
    source_builds
}

/// Whether apt or apk installs a `-dev` package.
fn dev_installed(apt: &AptFacts) -> bool {
    apt.packages
        .iter()
        .chain(&apt.apk)
        .any(|p| p.ends_with("-dev"))
}

/// The venv the runtime gets: its path, and whether the stage made it.
#[derive(Clone, Copy)]
struct Venv<'a> {
    path: &'a str,
    own: bool,
}

fn path_env(venv_path: &str) -> String {
    format!("ENV PATH=\"{venv_path}/bin:$PATH\"")
}

/// The runtime's lines after FROM: its packages, the venv, the PATH and
/// the app folder.
fn runtime_head(
    r: &crate::data::PythonRecipe,
    alpine: bool,
    runtime_packages: &[String],
    venv: Venv,
    wd: Option<&str>,
    chown: Option<String>,
) -> Vec<String> {
    let venv_path = venv.path;
    let mut runtime_head = Vec::new();
    if alpine {
        runtime_head.push(format!(
            "RUN apk add --no-cache {}",
            runtime_packages.join(" ")
        ));
    } else if !runtime_packages.is_empty() {
        runtime_head.push(format!(
            "RUN {}",
            r.runtime_apt
                .replace("{packages}", &runtime_packages.join(" "))
        ));
    }
    if !wd.is_some_and(|wd| inside(venv_path, wd)) {
        runtime_head.push(format!("COPY --from={{build}} {venv_path} {venv_path}"));
    }
    if !venv.own {
        runtime_head.push(path_env(venv_path));
    }
    let flag = chown.map(|c| format!(" {c}")).unwrap_or_default();
    if let Some(wd) = wd {
        runtime_head.push(format!("COPY --from={{build}}{flag} {wd} {wd}"));
    }
    runtime_head
}

/// The split's message after "split into …": where the dependencies go and
/// what the runtime installs, reads or lacks.
fn note(
    venv_path: &str,
    alpine: bool,
    runtime_packages: &[String],
    source_builds: &[String],
    unread: &[String],
    no_workdir: bool,
) -> String {
    let mut note = format!(" (dependencies in the venv {venv_path}, copied to the slim image");
    if alpine {
        note = format!(
            " (dependencies in the venv {venv_path}, copied to the builder's Alpine release with \
             `apk add --no-cache {}`",
            runtime_packages.join(" ")
        );
    } else if !runtime_packages.is_empty() {
        note.push_str(&format!(
            ", with the runtime libraries `{}` of the builder's `-dev` packages",
            runtime_packages.join("`, `")
        ));
    }
    if !source_builds.is_empty() {
        note.push_str(&format!(
            "; `{}` builds from source (no Linux wheels on PyPI)",
            source_builds.join("`, `")
        ));
    }
    if !unread.is_empty() && !alpine {
        note.push_str(&format!(
            "; `{}` was not read (no build context): a package it lists that builds from \
             source against the full image's libraries (`psycopg2` → `libpq5`) needs that \
             library in the runtime too",
            unread.join("`, `")
        ));
    }
    if no_workdir {
        note.push_str(
            "; no WORKDIR and no app files: the build installs packages only, so the runtime gets \
             the venv alone",
        );
    }
    note.push(')');
    if alpine {
        note.push_str(super::NOT_BUILT_ALPINE);
    }
    note
}

/// What the runtime would lack in files and programs: a COPY/ADD outside
/// the app folder `wd` (build inputs pip reads aside), COPYs with different
/// `--chown`, a USER before a RUN, a CMD/ENTRYPOINT running pip's scripts
/// by their full image path, a HEALTHCHECK the slim image may not run.
/// The `--chown` flag the app folder's copy keeps.
fn file_blockers(
    f: &StageFacts,
    r: &crate::data::PythonRecipe,
    wd: Option<&str>,
    block: &mut impl FnMut(String),
) -> Option<String> {
    let chown = copy_blockers(f, r, wd, block);
    user_blocker(f, block);
    script_path_blocker(f, block);
    healthcheck_blocker(f, block);
    chown
}

/// Files: COPY/ADD into the app folder `wd`, or build inputs pip reads,
/// all with the same `--chown` (returned).
fn copy_blockers(
    f: &StageFacts,
    r: &crate::data::PythonRecipe,
    wd: Option<&str>,
    block: &mut impl FnMut(String),
) -> Option<String> {
    let mut chown: Option<String> = None;
    for ins in f.instrs() {
        if !matches!(ins.keyword, Keyword::Copy | Keyword::Add) {
            continue;
        }
        let Some((srcs, dst)) = ins.copy_parts() else {
            block(format!("a `{}` dslim cannot read", ins.keyword_text()));
            continue;
        };
        let at = f.index(ins);
        let target = match f.cwd_at(at) {
            Some(w) => join(&w, dst),
            None if dst.starts_with('/') => dst.to_string(),
            None => {
                block("a COPY into an unknown folder".into());
                continue;
            }
        };
        let build_input = srcs.iter().all(|s| {
            let base = s.rsplit('/').next().unwrap_or(s);
            r.build_inputs.iter().any(|g| glob(g, base))
        });
        if let Some(wd) = wd.filter(|wd| !inside(&target, wd) && !build_input) {
            block(format!(
                "`{}` copies outside the app folder {wd}",
                ins.keyword_text()
            ));
        }
        if let Some(c) = ins.flag("chown") {
            if chown.as_ref().is_some_and(|x| x != &c.text) {
                block("COPY instructions with different --chown".into());
            }
            chown = Some(c.text.clone());
        }
    }
    chown
}

/// A USER after the last RUN changes nothing the build made (root owns
/// it all, as the runtime's copies); one before a RUN runs it as that
/// user, against a venv root made.
fn user_blocker(f: &StageFacts, block: &mut impl FnMut(String)) {
    let last_run = f.runs().last().map(|i| f.index(i)).unwrap_or(0);
    if let Some(u) = f.instrs().iter().find(|i| {
        i.keyword == Keyword::User
            && f.index(i) < last_run
            && !matches!(i.args_text().trim(), "root" | "0" | "root:root" | "0:0")
    }) {
        block(format!(
            "a RUN after `{}` runs as that user, and the venv is made as root",
            f.doc.text(u.span.clone()).trim()
        ));
    }
}

/// pip put the full image's scripts in /usr/local/bin; the split has
/// them in the venv: a CMD/ENTRYPOINT running one by that path.
fn script_path_blocker(f: &StageFacts, block: &mut impl FnMut(String)) {
    let Some(i) = f.last(Keyword::Entrypoint).or_else(|| f.last(Keyword::Cmd)) else {
        return;
    };
    let prog = if i.is_exec_form() {
        i.values().first().cloned()
    } else {
        i.args_text().split_whitespace().next().map(str::to_string)
    };
    if let Some(p) = prog.filter(|p| {
        ["/usr/local/bin/", "/usr/bin/"]
            .iter()
            .any(|d| p.starts_with(d))
            && !is_python(p)
    }) {
        block(format!(
            "the {} runs `{p}`, where the full image has pip's scripts; in the split \
             they are in the venv",
            i.keyword_text()
        ));
    }
}

/// A HEALTHCHECK running anything but Python, which the slim image may
/// lack.
fn healthcheck_blocker(f: &StageFacts, block: &mut impl FnMut(String)) {
    let Some(h) = f.last(Keyword::Healthcheck) else {
        return;
    };
    let toks: Vec<&str> = h.args_text().split_whitespace().collect();
    let prog = toks
        .iter()
        .skip_while(|t| t.starts_with("--"))
        .skip_while(|t| matches!(**t, "CMD" | "CMD-SHELL"))
        .map(|t| t.trim_matches(|c| "[\",".contains(c)))
        .find(|t| !t.is_empty());
    let fine = toks.first() == Some(&"NONE") || prog.is_some_and(is_python);
    if !fine {
        block(format!(
            "the HEALTHCHECK runs `{}`, which the slim image may lack",
            prog.unwrap_or("a command")
        ));
    }
}

/// Whether every COPY/ADD of the stage copies only files pip reads
/// (`requirements*.txt`: `[python] build-inputs`), or there is none.
fn only_build_inputs(f: &StageFacts, r: &crate::data::PythonRecipe) -> bool {
    f.instrs()
        .iter()
        .filter(|i| matches!(i.keyword, Keyword::Copy | Keyword::Add))
        .all(|ins| {
            ins.copy_parts().is_some_and(|(srcs, _)| {
                !srcs.is_empty()
                    && srcs.iter().all(|s| {
                        let base = s.rsplit('/').next().unwrap_or(s);
                        r.build_inputs.iter().any(|g| glob(g, base))
                    })
            })
        })
}
