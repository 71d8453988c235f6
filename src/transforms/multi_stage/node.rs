//! Node: `npm|yarn|pnpm` installs and build scripts; the app folder, pruned of dev dependencies, on the `-slim` image.

use crate::edit::Applicability;
use crate::shell::SimpleCommand;
use crate::syntax::Keyword;

use super::{join, words, Facts, Split};

/// The package manager of a Node install or script command.
fn node_cmd(c: &SimpleCommand) -> Option<(&'static str, bool)> {
    let w = words(c);
    let tool = match *w.first()? {
        "npm" => "npm",
        "yarn" => "yarn",
        "pnpm" => "pnpm",
        _ => return None,
    };
    let sub = w.get(1).copied();
    let install = match (tool, sub) {
        ("npm", Some("ci" | "install" | "i")) => {
            w.len() == 2 || w[2..].iter().all(|a| a.starts_with('-'))
        }
        ("yarn", None) => true,
        ("yarn", Some(s)) if s == "install" || s.starts_with('-') => true,
        ("pnpm", Some("install" | "i")) => true,
        _ => false,
    };
    if install {
        return Some((tool, true));
    }
    let script = matches!(
        (tool, sub),
        (_, Some("run" | "run-script" | "cache" | "store")) | ("yarn" | "pnpm", Some("build"))
    );
    script.then_some((tool, false))
}

pub(super) fn node(f: &Facts, data: &crate::data::Stages) -> Option<Result<Split, String>> {
    let r = &data.node;
    let img = &f.doc.stages()[0].image;
    let mut manager = None;
    let mut other_run = None;
    for ins in f.runs() {
        let i = f.index(ins);
        let Some(script) = f.model.script(i) else {
            other_run = Some("a RUN that cannot be read".to_string());
            continue;
        };
        for c in &script.commands {
            match node_cmd(c) {
                Some((tool, true)) => {
                    manager.get_or_insert(tool);
                }
                Some(_) => {}
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
    let manager = manager?;
    if let Some(t) = img.tag.as_deref() {
        if t.contains("alpine") || t.contains("slim") {
            return None; // already a small base: DS201 has little to gain
        }
    }
    if let Some(why) = other_run {
        return Some(Err(why));
    }
    let Some(wd) = f.workdir.clone().filter(|w| w != "/") else {
        return Some(Err("no WORKDIR: the app folder is unknown".into()));
    };
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
    if let Some(u) = f.last(Keyword::User) {
        if chown.is_none() && !u.args_text().trim().starts_with("root") {
            return Some(Err(
                "a USER other than root may need to own files the runtime copy gives to root"
                    .into(),
            ));
        }
    }
    let prune = r.prune.get(manager)?.clone();
    let tag = match img.tag.as_deref() {
        Some(t) => format!("{t}{}", r.runtime_suffix),
        None => r.runtime_suffix.trim_start_matches('-').to_string(),
    };
    let name = match &img.registry {
        Some(reg) => format!("{reg}/{}", img.name),
        None => img.name.clone(),
    };
    let flag = chown.map(|c| format!(" {c}")).unwrap_or_default();
    Some(Ok(Split {
        lang: "Node",
        runtime_image: format!("{name}:{tag}"),
        builder_head: Vec::new(),
        builder_tail: vec![format!("RUN {prune}")],
        runtime_head: vec![format!("COPY --from={{build}}{flag} {wd} {wd}")],
        runtime_tail: Vec::new(),
        applicability: Applicability::Unsafe,
        note: format!(" with production dependencies only (`{prune}` in the builder)"),
    }))
}
