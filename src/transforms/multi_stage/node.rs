//! Node: `npm|yarn|pnpm` installs and build scripts; the app folder, pruned of dev dependencies, on the `-slim` image (on the same image for `-alpine`, whose builder keeps what `apk add` installed to build).

use crate::data::Data;
use crate::edit::Applicability;
use crate::syntax::Keyword;
use crate::transforms::packages;

use super::facts::{alpine_runtime, alpine_runtime_packages, started_programs, AptFacts};
use super::{alpine_builder, image_with_tag, join, words, Split, StageFacts};

/// The Node package manager (a manager whose `ecosystem` is `node`) that
/// command `k` of the RUN at `i` calls, and whether the call installs the
/// project's dependencies (`project.install`, see
/// [`packages::installs_project`]); `None` when it calls none, or runs
/// something other than an install, a script (`run`, `run-script`, `yarn
/// build`) or a cache command.
fn node_cmd<'a>(f: &StageFacts, data: &'a Data, i: usize, k: usize) -> Option<(&'a str, bool)> {
    let script = f.model.script(i)?;
    let calls = packages::ecosystem_calls(f.model, data, i, Some("node"));
    let call = calls.into_iter().find(|c| c.call.command == k)?;
    if packages::installs_project(script, &call.call, call.table) {
        return Some((call.manager, true));
    }
    let script_like = matches!(
        (call.manager, call.call.sub.as_deref()),
        (_, Some("run" | "run-script" | "cache" | "store")) | ("yarn" | "pnpm", Some("build"))
    );
    script_like.then_some((call.manager, false))
}

pub(super) fn node(f: &StageFacts, all: &Data, apt: &AptFacts) -> Option<Result<Split, String>> {
    let data = &all.stages;
    let r = &data.node;
    let img = &f.doc.stages()[0].image;
    // `alpine` itself with Alpine's `nodejs` (plain), or `node:<v>-alpine`.
    let plain = img.short_name() == "alpine";
    let alpine = alpine_builder(img);
    let (manager, other_run) = read_runs(f, all, alpine);
    let manager = manager?;
    if img.tag.as_deref().is_some_and(|t| t.contains("slim")) {
        return None; // already the small base: DS201 has little to gain
    }
    if let Some(why) = other_run {
        return Some(Err(why));
    }
    let (runtime_image, apk_packages) = if alpine {
        match alpine_runtime_of(f, all, apt, plain) {
            Ok((image, packages)) => (Some(image), packages),
            Err(why) => return Some(Err(why)),
        }
    } else {
        (None, Vec::new())
    };
    let Some(wd) = f.workdir.clone().filter(|w| w != "/") else {
        return Some(Err("no WORKDIR: the app folder is unknown".into()));
    };
    let chown = match app_copies(f, &wd)? {
        Ok(chown) => chown,
        Err(why) => return Some(Err(why)),
    };
    if let Some(u) = f.last(Keyword::User) {
        if chown.is_none() && !u.args_text().trim().starts_with("root") {
            return Some(Err(
                "a USER other than root may need to own files the runtime copy gives to root"
                    .into(),
            ));
        }
    }
    let prune = prune(r, manager, img.tag.as_deref(), plain)?;
    let runtime_image = runtime_image.unwrap_or_else(|| {
        let tag = match img.tag.as_deref() {
            Some(t) => format!("{t}{}", r.runtime_suffix),
            None => r.runtime_suffix.trim_start_matches('-').to_string(),
        };
        image_with_tag(img, &tag)
    });
    let (note, runtime_head) = note_and_head(&prune, alpine, &apk_packages, chown, &wd);
    Some(Ok(Split {
        lang: "Node",
        runtime_image,
        builder_head: Vec::new(),
        builder_head_at: None,
        builder_tail: vec![format!("RUN {prune}")],
        runtime_head,
        runtime_tail: Vec::new(),
        applicability: Applicability::Unsafe,
        note,
    }))
}

/// The split's note, and the runtime's lines after FROM: the packages apk
/// installed for the app (`apk_packages`), and the app folder `wd` (owned
/// as `chown` says).
fn note_and_head(
    prune: &str,
    alpine: bool,
    apk_packages: &[String],
    chown: Option<String>,
    wd: &str,
) -> (String, Vec<String>) {
    let mut note = format!(" with production dependencies only (`{prune}` in the builder)");
    if alpine {
        note.push_str("; the build tools `apk add` installed stay in the builder");
        note.push_str(super::NOT_BUILT_ALPINE);
    }
    let flag = chown.map(|c| format!(" {c}")).unwrap_or_default();
    let mut runtime_head = Vec::new();
    if !apk_packages.is_empty() {
        note.push_str(&format!(
            "; the runtime installs {} as the builder did (apk)",
            apk_packages.join(" ")
        ));
        runtime_head.push(format!("RUN apk add --no-cache {}", apk_packages.join(" ")));
    }
    runtime_head.push(format!("COPY --from={{build}}{flag} {wd} {wd}"));
    (note, runtime_head)
}

/// The stage's RUNs: the package manager of the first project install,
/// and the first command that is neither a package-manager call nor (on
/// Alpine) an `apk` call, which may put files outside the app folder.
fn read_runs<'a>(f: &StageFacts, all: &'a Data, alpine: bool) -> (Option<&'a str>, Option<String>) {
    let mut manager = None;
    let mut other_run = None;
    for ins in f.runs() {
        let i = f.index(ins);
        let Some(script) = f.model.script(i) else {
            other_run = Some("a RUN that cannot be read".to_string());
            continue;
        };
        for (k, c) in script.commands.iter().enumerate() {
            match node_cmd(f, all, i, k) {
                Some((tool, true)) => {
                    manager.get_or_insert(tool);
                }
                Some(_) => {}
                // Build tools for native addons (node-gyp): they stay in
                // the builder; what they are is checked below.
                None if alpine
                    && words(c).first() == Some(&"apk")
                    && matches!(words(c).get(1), Some(&("add" | "del" | "update"))) => {}
                None => {
                    other_run.get_or_insert_with(|| {
                        format!(
                            "`{}` in a RUN may put files outside the app folder",
                            c.name().unwrap_or("a command")
                        )
                    });
                }
            }
        }
    }
    (manager, other_run)
}

/// `-alpine` is already the small image: the runtime is the same one,
/// without the dev dependencies and what `apk add` installed to build;
/// `alpine` itself (`plain`): its own release, with Alpine's `nodejs`.
/// Returns the runtime image and what apk installed for the app (a native
/// addon may link the library of a `-dev` package), which goes into the
/// runtime too.
fn alpine_runtime_of(
    f: &StageFacts,
    all: &Data,
    apt: &AptFacts,
    plain: bool,
) -> Result<(String, Vec<String>), String> {
    let data = &all.stages;
    let img = &f.doc.stages()[0].image;
    if apt.apk_opaque {
        return Err("an `apk add` dslim cannot read may add what the app needs at run time".into());
    }
    let image = if plain {
        match alpine_runtime(img) {
            Some((i, _)) => i,
            None => return Err("the builder's Alpine release is unknown".into()),
        }
    } else {
        img.text.clone()
    };
    let programs = started_programs(f);
    let programs: Vec<&str> = programs.iter().map(String::as_str).collect();
    let apk_packages = alpine_runtime_packages(apt, data, &image, &programs, true, &[])?;
    if plain {
        let node = data.alpine.interpreters.get("node").map(String::as_str);
        if !node.is_some_and(|n| apk_packages.iter().any(|p| p.starts_with(n))) {
            return Err(
                "no `apk add` of Alpine's `nodejs` package: which Node the app runs on is \
                 unknown"
                    .into(),
            );
        }
    }
    Ok((image, apk_packages))
}

/// Every COPY/ADD must land in the app folder `wd`, with one `--chown`
/// (returned) or none; `None` when a COPY cannot be read.
fn app_copies(f: &StageFacts, wd: &str) -> Option<Result<Option<String>, String>> {
    let mut chown: Option<String> = None;
    for ins in f.instrs() {
        if !matches!(ins.keyword, Keyword::Copy | Keyword::Add) {
            continue;
        }
        let (_, dst) = ins.copy_parts()?;
        let at = f.index(ins);
        let target = match f.workdir_at(at) {
            Some(w) => join(&w, dst),
            None if dst.starts_with('/') => dst.to_string(),
            None => return Some(Err("a COPY into an unknown folder".into())),
        };
        if !(target == wd || target.starts_with(&format!("{wd}/"))) {
            return Some(Err(format!(
                "`{}` copies outside the app folder {wd}",
                ins.keyword_text()
            )));
        }
        if let Some(c) = ins.flag("chown") {
            if chown.as_ref().is_some_and(|x| x != &c.text) {
                return Some(Err("COPY instructions with different --chown".into()));
            }
            chown = Some(c.text.clone());
        }
    }
    Some(Ok(chown))
}

/// The builder's prune command for `manager`: npm 6 (an old Node major's,
/// or Alpine's own npm) ignores `--omit=dev`.
fn prune(
    r: &crate::data::NodeRecipe,
    manager: &str,
    tag: Option<&str>,
    plain: bool,
) -> Option<String> {
    // `node:12-alpine`, `node:14.17-buster` → the major.
    let major = tag
        .and_then(|t| t.split(['-', '.']).next())
        .and_then(|m| m.parse::<u32>().ok());
    let old_npm = major.is_some_and(|m| m <= r.old_npm_node_major);
    if manager == "npm" && (old_npm || plain) && !r.old_npm_prune.is_empty() {
        Some(r.old_npm_prune.clone())
    } else {
        r.prune.get(manager).cloned()
    }
}
