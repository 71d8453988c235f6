//! DS202 `deps-first`: copy the dependency manifests and install before
//! `COPY . .`, so a code change no longer re-runs the install.
//!
//! ```text
//! COPY . .                          COPY package.json package-lock.json ./
//! RUN npm ci                  →     RUN npm ci
//!                                   COPY . .
//! ```
//!
//! Recognised installs (a RUN of its own, right after the full copy; only
//! LABEL/EXPOSE may stand between): `npm ci|install`, `yarn [install]`,
//! `pnpm install`, `pip install -r FILE`, `go mod download`, `bundle
//! install`, `composer install`, `mvn dependency:go-offline|resolve`
//! (`cargo fetch` gets advice: it needs a source tree).
//!
//! Safety: safe when the manifests are known to exist — the explicit build
//! context has them (a requirements file is read there and must name no
//! other file of the context) — and the folder the install creates in the source tree
//! (`node_modules`, `vendor`) is excluded by the context's `.dockerignore`
//! (else the later `COPY . .` would overwrite it with the host's copy).
//! Otherwise unsafe. Left alone with advice (DisplayOnly): installs that
//! need the sources (`pip install .`, `-e .`, npm lifecycle scripts such as
//! `postinstall`/`prepare` in package.json, local `replace` in go.mod, Maven
//! modules, a Gemfile `gemspec`), and installs sharing their RUN with
//! commands before them or not joined with `&&`. A RUN that starts with
//! the install (`npm ci && npm run build`, or what DS001 merged) is split
//! after it ([`split_point`]), so the merge and this fix compose.

use crate::buildctx::Info;
use crate::edit::{Applicability, Edit, Fix};
use crate::finding::Finding;
use crate::shell::{Script, SimpleCommand};
use crate::syntax::{Document, Instruction, Keyword};
use crate::transform::{Context, FixAvailability, Meta, Transform};

pub struct DepsFirst;

static META: Meta = Meta {
    code: "DS202",
    name: "deps-first",
    summary: "Install dependencies from their manifests before copying the sources",
    doc: include_str!("deps_first.md"),
    fix: FixAvailability::Sometimes,
    safety: Applicability::Unsafe,
    aliases: &[],
};

/// The ecosystem of an install command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Eco {
    Npm,
    Yarn,
    Pnpm,
    Pip,
    Go,
    Cargo,
    Bundle,
    Composer,
    Maven,
}

/// One recognised install.
#[derive(Debug, Clone)]
struct Install {
    eco: Eco,
    /// `pip install -r FILE`: the files named.
    named: Vec<String>,
    /// Why it needs the sources, if it does.
    needs_sources: Option<String>,
    /// Runs with `--ignore-scripts`.
    ignore_scripts: bool,
}

fn literal(c: &SimpleCommand) -> Option<Vec<&str>> {
    c.words.iter().map(|w| w.literal.as_deref()).collect()
}

/// The install a simple command runs, if any.
fn install_of(c: &SimpleCommand) -> Option<Install> {
    let words = literal(c)?;
    let base = |s: &str| s.rsplit('/').next().unwrap_or(s).to_string();
    let (name, rest) = words.split_first()?;
    let name = base(name);
    let positional: Vec<&str> = rest
        .iter()
        .skip(1)
        .copied()
        .filter(|w| !w.starts_with('-'))
        .collect();
    let sub = rest.first().copied();
    let mk = |eco| Install {
        eco,
        named: Vec::new(),
        needs_sources: None,
        ignore_scripts: rest.contains(&"--ignore-scripts"),
    };
    match name.as_str() {
        "npm" if matches!(sub, Some("ci" | "install" | "i")) && positional.is_empty() => {
            Some(mk(Eco::Npm))
        }
        "yarn" if sub.is_none() || (sub == Some("install") && positional.is_empty()) => {
            Some(mk(Eco::Yarn))
        }
        "yarn" if sub.is_some_and(|s| s.starts_with('-')) => Some(mk(Eco::Yarn)),
        "pnpm" if matches!(sub, Some("install" | "i")) && positional.is_empty() => {
            Some(mk(Eco::Pnpm))
        }
        "go" if sub == Some("mod") && rest.get(1) == Some(&"download") => Some(mk(Eco::Go)),
        "cargo" if sub == Some("fetch") => Some(mk(Eco::Cargo)),
        "bundle" if sub == Some("install") => Some(mk(Eco::Bundle)),
        "composer" if sub == Some("install") => Some(mk(Eco::Composer)),
        "mvn" | "mvnw"
            if rest
                .iter()
                .any(|w| matches!(*w, "dependency:go-offline" | "dependency:resolve")) =>
        {
            Some(mk(Eco::Maven))
        }
        n if is_pip(n, rest) => pip_install(rest),
        _ => None,
    }
}

fn is_pip(name: &str, rest: &[&str]) -> bool {
    let pip = name == "pip" || name.starts_with("pip3");
    let py = (name == "python" || name.starts_with("python3"))
        && rest.first() == Some(&"-m")
        && rest.get(1) == Some(&"pip");
    pip || py
}

/// `pip install -r FILE …`; `None` when no `-r` (a plain package install).
fn pip_install(rest: &[&str]) -> Option<Install> {
    let rest: &[&str] = if rest.first() == Some(&"-m") {
        &rest[2..]
    } else {
        rest
    };
    if rest.first() != Some(&"install") {
        return None;
    }
    let mut named = Vec::new();
    let mut needs = None;
    let mut it = rest[1..].iter();
    while let Some(w) = it.next() {
        match *w {
            "-r" | "--requirement" | "-c" | "--constraint" => named.push(it.next()?.to_string()),
            w if w.starts_with("--requirement=") || w.starts_with("--constraint=") => {
                named.push(w.split_once('=')?.1.to_string())
            }
            w if w.starts_with("-r") && w.len() > 2 => named.push(w[2..].to_string()),
            "-e" | "--editable" => needs = Some("`pip install -e` installs the sources".into()),
            // Options that take a value.
            "-i" | "--index-url" | "--extra-index-url" | "-f" | "--find-links" | "-t"
            | "--target" | "--prefix" | "--root" | "--cache-dir" => {
                it.next();
            }
            w if w.starts_with('-') => {}
            w if w == "." || w.starts_with("./") || w.starts_with('/') || w.starts_with(".[") => {
                needs = Some(format!("`pip install {w}` installs the sources"))
            }
            _ => {}
        }
    }
    if named.is_empty() {
        return None;
    }
    Some(Install {
        eco: Eco::Pip,
        named,
        needs_sources: needs,
        ignore_scripts: false,
    })
}

/// Why a requirements file `name` needs more of the context than itself:
/// an include (`-r other.txt`, `-c constraints.txt`), an editable or local
/// install (`-e .`, `./pkg`, `/src/pkg`, `pkg @ file:…`), or local wheels
/// (`--find-links ./wheels`). URLs and index options are not files.
fn requirements_reference(name: &str, text: &str) -> Option<String> {
    for raw in text.lines() {
        // A comment starts at `#` at the line start or after whitespace.
        let l = match raw.find(" #").or_else(|| raw.find("\t#")) {
            Some(k) => &raw[..k],
            None if raw.trim_start().starts_with('#') => "",
            None => raw,
        }
        .trim();
        if l.is_empty() {
            continue;
        }
        let (opt, value) = match l.split_once(|c: char| c == '=' || c.is_whitespace()) {
            Some((o, v)) if o.starts_with('-') => (o, v.trim()),
            _ if l.starts_with('-') && !l.starts_with("--") && l.len() > 2 => {
                (&l[..2], l[2..].trim())
            }
            _ => ("", l),
        };
        let is_url = |v: &str| v.contains("://") && !v.starts_with("file:");
        let local = |v: &str| {
            v.starts_with('.')
                || v.starts_with('/')
                || v.starts_with("file:")
                || v.contains(" @ file:")
        };
        match opt {
            "-r" | "--requirement" | "-c" | "--constraint" => {
                return Some(format!("`{name}` includes other files (`{l}`)"))
            }
            "-e" | "--editable" if !is_url(value) => {
                return Some(format!("`{name}` installs local sources (`{l}`)"))
            }
            "-f" | "--find-links" if !is_url(value) => {
                return Some(format!("`{name}` reads local packages (`{l}`)"))
            }
            "" if local(value) => return Some(format!("`{name}` installs local sources (`{l}`)")),
            _ => {}
        }
    }
    None
}

/// Commands that may share the install's RUN: cache cleanups of the same
/// tools and removals outside the source tree.
fn companion(c: &SimpleCommand) -> bool {
    let Some(words) = literal(c) else {
        return false;
    };
    match words.as_slice() {
        ["npm" | "yarn" | "pnpm", "cache" | "store", ..] => true,
        ["pip" | "pip3", "cache", ..] => true,
        ["go", "mod", "verify"] => true,
        ["rm", args @ ..] => args
            .iter()
            .all(|a| a.starts_with('-') || a.starts_with('/') || a.starts_with('~')),
        _ => false,
    }
}

/// Where the manifests go, relative to the install's working directory.
fn dest_for(doc: &Document, copy: usize, dst: &str) -> Option<String> {
    let d = dst.trim();
    if d == "." || d == "./" {
        return Some("./".into());
    }
    if !d.starts_with('/') || d.contains('$') {
        return None;
    }
    let stage = doc.stage_of(copy)?;
    let wd = doc.instructions()[stage.instructions.start..copy]
        .iter()
        .rev()
        .find(|i| i.keyword == Keyword::Workdir)?;
    let w = wd.args_text().trim();
    (w.starts_with('/') && !w.contains('$') && w.trim_end_matches('/') == d.trim_end_matches('/'))
        .then(|| format!("{}/", d.trim_end_matches('/')))
}

/// What the manifests of an install are, as far as they can be known.
struct Plan {
    /// Context-relative paths (globs allowed).
    manifests: Vec<String>,
    /// Every manifest is known to exist.
    known: bool,
    /// A folder the install creates in the source tree.
    creates: Option<&'static str>,
    /// Why the fix cannot be applied (advice only).
    blocked: Option<String>,
    /// Why the fix is unsafe although everything else is known.
    always_unsafe: Option<&'static str>,
}

fn plan(ins: &[Install], hint: Option<&Info>, ctx: Option<&Info>) -> Plan {
    let mut p = Plan {
        manifests: Vec::new(),
        known: true,
        creates: None,
        blocked: None,
        always_unsafe: None,
    };
    // `present[0]` is the manifest itself; the others are copied when the
    // context has them.
    let add = |p: &mut Plan, present: &[&str], fallback: &[&str]| match ctx {
        Some(c) if c.exists(present[0]) => {
            for m in present {
                if c.exists(m) && !p.manifests.iter().any(|x| x == m) {
                    p.manifests.push(m.to_string());
                }
            }
        }
        _ => {
            p.known = false;
            for f in fallback {
                if !p.manifests.iter().any(|x| x == f) {
                    p.manifests.push(f.to_string());
                }
            }
        }
    };
    for i in ins {
        if let Some(why) = &i.needs_sources {
            p.blocked = Some(why.clone());
        }
        match i.eco {
            Eco::Npm | Eco::Yarn | Eco::Pnpm => {
                p.creates = Some("node_modules");
                if let Some(pj) = hint.and_then(Info::package_json) {
                    let scripts = pj.lifecycle_scripts();
                    if !scripts.is_empty() && !i.ignore_scripts {
                        p.blocked = Some(format!(
                            "package.json has lifecycle scripts ({}) that the install runs and \
                             that may need the sources",
                            scripts.join(", ")
                        ));
                    }
                    if pj.workspaces {
                        p.blocked =
                            Some("a workspace install needs every package's manifest".into());
                    }
                }
                let (present, fallback): (&[&str], &[&str]) = match i.eco {
                    Eco::Npm => (
                        &[
                            "package.json",
                            "package-lock.json",
                            "npm-shrinkwrap.json",
                            ".npmrc",
                        ],
                        &["package*.json"],
                    ),
                    Eco::Yarn => (
                        &[
                            "package.json",
                            "yarn.lock",
                            ".npmrc",
                            ".yarnrc",
                            ".yarnrc.yml",
                        ],
                        &["package.json", "yarn.lock"],
                    ),
                    _ => (
                        &["package.json", "pnpm-lock.yaml", ".npmrc"],
                        &["package.json", "pnpm-lock.yaml"],
                    ),
                };
                add(&mut p, present, fallback);
                if ctx.is_some_and(|c| c.exists(".yarn")) && i.eco == Eco::Yarn {
                    p.always_unsafe =
                        Some("Yarn's `.yarn/` folder (plugins, releases) is not copied");
                }
            }
            Eco::Pip => {
                for f in &i.named {
                    if f.contains("..") || f.starts_with('/') || f.contains('$') {
                        p.blocked = Some(format!("`{f}` is outside the context"));
                        continue;
                    }
                    if !p.manifests.contains(f) {
                        p.manifests.push(f.clone());
                    }
                    // Safe only when read from the explicit context: a
                    // file that names other files of the context breaks
                    // the build once only the manifest is copied.
                    let read = ctx.and_then(|c| c.requirements(f));
                    if read.is_none() {
                        p.known = false;
                    }
                    if let Some(text) = read.or_else(|| hint.and_then(|h| h.requirements(f))) {
                        if let Some(why) = requirements_reference(f, &text) {
                            p.blocked = Some(why);
                        }
                    }
                }
            }
            Eco::Go => {
                if hint.and_then(Info::go_mod).is_some_and(|g| g.local_replace) {
                    p.blocked = Some("go.mod replaces a module with a local folder".into());
                }
                add(&mut p, &["go.mod", "go.sum"], &["go.*"]);
            }
            Eco::Cargo => {
                p.blocked = Some(
                    "`cargo fetch` needs a source tree (copy Cargo.toml, Cargo.lock and a stub \
                     `src/main.rs`, or use cargo-chef)"
                        .into(),
                );
            }
            Eco::Bundle => {
                if hint
                    .and_then(|h| h.text("Gemfile"))
                    .is_some_and(|t| t.lines().any(|l| l.trim_start().starts_with("gemspec")))
                {
                    p.blocked = Some("the Gemfile reads a gemspec from the sources".into());
                }
                add(&mut p, &["Gemfile", "Gemfile.lock"], &["Gemfile*"]);
            }
            Eco::Composer => {
                p.creates = Some("vendor");
                p.always_unsafe = Some(
                    "composer install runs scripts and builds the autoloader from the sources",
                );
                if hint
                    .and_then(|h| h.text("composer.json"))
                    .is_some_and(|t| t.contains("\"scripts\""))
                {
                    p.blocked = Some("composer.json has scripts that may need the sources".into());
                }
                add(&mut p, &["composer.json", "composer.lock"], &["composer.*"]);
            }
            Eco::Maven => {
                if hint.and_then(Info::maven_modules) == Some(true) {
                    p.blocked = Some("a multi-module build needs every module's pom.xml".into());
                }
                add(&mut p, &["pom.xml"], &["pom.xml"]);
            }
        }
    }
    p
}

impl Transform for DepsFirst {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, doc: &Document, cx: &Context, out: &mut Vec<Finding>) {
        let instrs = doc.instructions();
        let full_copy = |i: &Instruction| {
            matches!(i.keyword, Keyword::Copy | Keyword::Add)
                && i.flag("from").is_none()
                && i.copy_parts().is_some_and(|(srcs, _)| {
                    srcs.len() == 1 && matches!(srcs[0].as_str(), "." | "./")
                })
        };
        if !instrs.iter().any(full_copy) {
            return;
        }
        for (ci, copy) in instrs.iter().enumerate() {
            if !full_copy(copy) {
                continue;
            }
            let Some(stage) = doc.stage_of(ci) else {
                continue;
            };
            // The first RUN after the copy, with only LABEL/EXPOSE between.
            let Some(ri) = (ci + 1..stage.instructions.end)
                .find(|&j| !matches!(instrs[j].keyword, Keyword::Label | Keyword::Expose))
                .filter(|&j| instrs[j].keyword == Keyword::Run)
            else {
                continue;
            };
            let run = &instrs[ri];
            let Some(script) = cx.model().script(ri) else {
                continue;
            };
            // A RUN holding more than the install is split after it when it
            // starts with the install (`npm ci && npm run build`): what DS001
            // merged stays movable.
            let split = (!own_run(script))
                .then(|| split_point(script, run.args_text()))
                .flatten();
            let installs: Vec<Install> = script
                .commands
                .iter()
                .filter(|c| split.as_ref().is_none_or(|s| c.span.end <= s.prefix_end))
                .filter_map(install_of)
                .collect();
            if installs.is_empty() {
                continue;
            }
            let span = copy.span.start..copy.span.start + copy.keyword_text().len();
            let advice = |why: String| Finding {
                code: META.code,
                name: META.name,
                message: format!(
                    "the dependency install after `COPY . .` re-runs on every code change, but \
                     it cannot be moved before it: {why}"
                ),
                span: span.clone(),
                fix: Some(Fix::display_only(Vec::new())),
                saving_bytes: None,
            };
            let p = plan(&installs, cx.hint_context(), cx.explicit_context());
            if let Some(why) = p.blocked {
                out.push(advice(why));
                continue;
            }
            if !own_run(script) && split.is_none() {
                out.push(advice(
                    "the install shares its RUN with other commands that run before it or \
                     are not joined with `&&`; give it a RUN of its own and dslim can move it"
                        .into(),
                ));
                continue;
            }
            let (_, dst) = copy.copy_parts().expect("a COPY");
            let Some(dest) = dest_for(doc, ci, dst) else {
                continue;
            };
            let ignore_ok = p.creates.is_none_or(|dir| {
                cx.explicit_context()
                    .is_some_and(|c| c.dockerignore(cx.dockerfile).excludes(dir))
            });
            let mut unsafe_why = Vec::new();
            if !p.known {
                unsafe_why.push(if installs.iter().any(|i| i.eco == Eco::Pip) {
                    "the requirements file was not read from the build context, so what it \
                     needs besides itself is not known (pass --context to check)"
                        .to_string()
                } else {
                    "the manifests are not known to exist (pass --context to check)".to_string()
                });
            }
            if !ignore_ok {
                unsafe_why.push(format!(
                    "`COPY . .` would overwrite the installed `{}` unless .dockerignore excludes \
                     it (DS203 adds it)",
                    p.creates.unwrap_or_default()
                ));
            }
            if let Some(w) = p.always_unsafe {
                unsafe_why.push(w.to_string());
            }
            let nl = doc.line_ending();
            let flags: String = copy
                .flags()
                .iter()
                .filter(|f| matches!(f.name(), "chown" | "chmod" | "link"))
                .map(|f| format!(" {}", f.text))
                .collect();
            let (top, nested): (Vec<&String>, Vec<&String>) =
                p.manifests.iter().partition(|m| !m.contains('/'));
            let mut text = String::new();
            if !top.is_empty() {
                let list: Vec<&str> = top.iter().map(|s| s.as_str()).collect();
                text.push_str(&format!("COPY{flags} {} {dest}{nl}", list.join(" ")));
            }
            for m in nested {
                text.push_str(&format!("COPY{flags} {m} {dest}{m}{nl}"));
            }
            let run_edit = match &split {
                None => {
                    let run_text = doc.text(run.span.clone());
                    text.push_str(run_text);
                    if !run_text.ends_with('\n') {
                        text.push_str(nl);
                    }
                    Edit::delete(run.span.clone())
                }
                Some(s) => {
                    // `RUN [flags] install && companions` before the copy,
                    // `RUN [flags] rest` in the RUN's place.
                    let src = doc.source();
                    let args = run.logical.to_source(run.command.args.start);
                    let head = &src[run.span.start..args];
                    let prefix_end = run
                        .logical
                        .to_source_end(run.command.args.start + s.prefix_end);
                    let rest_start = run.logical.to_source(run.command.args.start + s.rest_start);
                    // Only blanks, the operator and line continuations go.
                    if src[prefix_end..rest_start].contains('#') {
                        out.push(advice(
                            "a comment stands between the install and the rest of its RUN; \
                             give the install a RUN of its own and dslim can move it"
                                .into(),
                        ));
                        continue;
                    }
                    text.push_str(&src[run.span.start..prefix_end]);
                    text.push_str(nl);
                    Edit::replace(
                        run.span.clone(),
                        format!("{head}{}", &src[rest_start..run.span.end]),
                    )
                }
            };
            let edits = vec![Edit::insert(copy.span.start, text), run_edit];
            let applicability = if unsafe_why.is_empty() {
                Applicability::Safe
            } else {
                Applicability::Unsafe
            };
            let shown: Vec<&str> = p.manifests.iter().map(String::as_str).collect();
            out.push(Finding {
                code: META.code,
                name: META.name,
                message: format!(
                    "the dependency install after `COPY . .` re-runs on every code change; copy \
                     {} and install first{}{}",
                    shown.join(" "),
                    if split.is_some() {
                        " (the RUN is split: the install before the copy, the rest after it)"
                    } else {
                        ""
                    },
                    if unsafe_why.is_empty() {
                        String::new()
                    } else {
                        format!(" (unsafe: {})", unsafe_why.join("; "))
                    }
                ),
                span,
                fix: Some(
                    Fix::new(edits, applicability)
                        .with_title("install from the manifests before `COPY . .`"),
                ),
                saving_bytes: None,
            });
        }
    }
}

/// The RUN holds installs and companions only, all at top level, joined
/// with `&&` or `;`.
fn own_run(script: &Script) -> bool {
    script.comment.is_none()
        && !script.has_function_def
        && script.pipes.is_empty()
        && script
            .commands
            .iter()
            .all(|c| !c.isolated && (install_of(c).is_some() || companion(c)))
        && script
            .items
            .iter()
            .all(|i| i.and_or.iter().all(|(op, _)| *op == crate::shell::Op::And))
}

/// Where a RUN that starts with the install splits: the install and its
/// companions, each a top-level command of one `&&` list, then the rest.
struct Split {
    /// End of the last install or companion command (RUN-text offset).
    prefix_end: usize,
    /// Start of the first command after it.
    rest_start: usize,
}

/// The split of `install && … && rest`: one and-or list of `&&` only, no
/// function definition, a comment only inside the rest, the leading
/// commands (at least one install, then installs and companions) plain
/// simple commands that change nothing the rest could read from the shell
/// (no `cd`, no `export`: those are neither installs nor companions).
fn split_point(script: &Script, text: &str) -> Option<Split> {
    let [item] = script.items.as_slice() else {
        return None;
    };
    if script.has_function_def
        || item.terminator.is_some()
        || item.and_or.is_empty()
        || item
            .and_or
            .iter()
            .any(|(op, _)| *op != crate::shell::Op::And)
    {
        return None;
    }
    // Segment k runs from the end of operator k-1 to the start of operator k.
    let bounds: Vec<(usize, usize)> = std::iter::once(item.span.start)
        .chain(item.and_or.iter().map(|(_, r)| r.end))
        .zip(
            item.and_or
                .iter()
                .map(|(_, r)| r.start)
                .chain(std::iter::once(item.span.end)),
        )
        .collect();
    let mut prefix = 0;
    let mut has_install = false;
    for &(a, b) in &bounds[..bounds.len() - 1] {
        let inside: Vec<&SimpleCommand> = script
            .commands
            .iter()
            .filter(|c| c.span.start >= a && c.span.end <= b)
            .collect();
        let [c] = inside.as_slice() else { break };
        let plain = !c.isolated
            && c.assignments.is_empty()
            && !script.pipes.iter().any(|p| p.start >= a && p.end <= b);
        let install = install_of(c).is_some();
        if !plain || !(install || companion(c)) {
            break;
        }
        has_install |= install;
        prefix += 1;
    }
    if !has_install || prefix == 0 || prefix == bounds.len() {
        return None;
    }
    let prefix_end = script
        .commands
        .iter()
        .filter(|c| c.span.end <= bounds[prefix - 1].1)
        .map(|c| c.span.end)
        .max()?;
    let after_op = bounds[prefix].0;
    let rest_start = after_op + text.get(after_op..)?.len() - text[after_op..].trim_start().len();
    if script
        .comment
        .as_ref()
        .is_some_and(|c| c.start < rest_start)
    {
        return None;
    }
    Some(Split {
        prefix_end,
        rest_start,
    })
}

#[cfg(test)]
mod tests {
    use super::requirements_reference;

    #[test]
    fn requirements_that_name_other_files() {
        let refs = |t: &str| requirements_reference("r.txt", t);
        for t in [
            "flask\n-r base.txt\n",
            "--requirement=base.txt\n",
            "-rbase.txt\n",
            "-c constraints.txt\n",
            "--constraint constraints.txt\n",
            "-e .\n",
            "--editable=./lib\n",
            "./pkg\n",
            "/src/pkg\n",
            "mypkg @ file:///src/mypkg\n",
            "-f ./wheels\n",
            "--find-links=wheels/\n",
        ] {
            assert!(refs(t).is_some(), "{t:?}");
        }
        for t in [
            "flask==3.0  # web\n",
            "# -r base.txt\n",
            "-e git+https://github.com/psf/requests#egg=requests\n",
            "--index-url https://pypi.org/simple\n",
            "--find-links https://example.com/wheels\n",
            "requests[socks]>=2\n",
            "--hash=sha256:abc\n",
        ] {
            assert_eq!(refs(t), None, "{t:?}");
        }
    }
}
