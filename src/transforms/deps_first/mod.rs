//! Copy the dependency manifests and install from them before `COPY . .`, so
//! a code change no longer re-runs the install. Recognised installs, in a RUN of
//! their own right after the full copy (only LABEL/EXPOSE between): `npm
//! ci|install`, `yarn [install]`, `pnpm install`, `pip install -r FILE`, `go mod
//! download`, `bundle install`, `composer install`, `mvn
//! dependency:go-offline|resolve`. `COPY` flags `--chown`, `--chmod` and
//! `--link` carry over to the new COPY.
//!
//! The manifests go where `COPY . .` puts the sources: `COPY … ./` after
//! `COPY . .` (or `COPY . ./`), or the absolute folder the stage's WORKDIR
//! names. In a stage without a WORKDIR both COPYs stay relative to the same
//! working directory (the base image's, or `/`), so the build sees the same
//! files; hadolint reports DL3045 ("relative destination without WORKDIR") on
//! the new COPY as it does on `COPY . .` — give the stage a WORKDIR to silence
//! both.
//!
//! Why: BuildKit reuses a layer only while everything before it is unchanged.
//! After `COPY . .` any edited file invalidates the install, so every build
//! downloads and installs all dependencies again; with the manifests copied
//! first the install layer stays cached until a manifest changes.
//!
//! Safety: safe when the manifests are known to exist — the explicit build
//! context (`--context`, `context = …`) has them; for `pip install -r FILE`,
//! FILE was read there and names nothing else of the context — and the folder the install creates
//! in the source tree (`node_modules`, `vendor`) is excluded by the context's
//! `.dockerignore` (otherwise the later `COPY . .` overwrites it with the
//! host's copy; DS203 adds the entry). Otherwise unsafe (`package*.json` and
//! `go.*` globs are used when the exact files are unknown). Left alone, with
//! advice only: installs that need the sources — `pip install .` or `-e .`,
//! a requirements file with `-r other.txt`, `-c constraints.txt`, `-e .`,
//! `./pkg`, `pkg @ file:…` or `--find-links ./wheels` (read from the context or
//! the Dockerfile's folder),
//! npm lifecycle scripts (`preinstall`, `install`, `postinstall`, `prepare`
//! in package.json, read from the context or the Dockerfile's folder),
//! workspaces, a local `replace` in go.mod, Maven modules, a Gemfile
//! `gemspec`, `cargo fetch` (it needs a source tree) — and installs sharing
//! their RUN with commands that run before them or are not joined with `&&`.
//!
//! A RUN that *starts* with the install (`RUN npm ci && npm run build`, or
//! what DS001 merged: `go mod download && go mod verify && go build`) is
//! split: the install and the cache cleanups and `go mod verify` right after
//! it go before `COPY . .` (with the RUN's flags, cache mounts included), the
//! rest stays after it with the same flags. So DS001 and DS202 compose in one
//! `dslim fix`: the merge is applied first and the install is then split off
//! again, never told to be undone. Not split: a RUN with `||`, `;`, a pipe,
//! a comment line between the install and the rest, or assignments on the
//! install (`X=1 npm ci`).
//!
//! Before:
//! ```text
//! FROM node:20
//! WORKDIR /app
//! COPY . .
//! RUN npm ci
//! CMD ["node", "server.js"]
//! ```
//!
//! After:
//! ```text
//! FROM node:20
//! WORKDIR /app
//! COPY package*.json ./
//! RUN npm ci
//! COPY . .
//! CMD ["node", "server.js"]
//! ```

// Here the transform; the parts: `installs` (recognising installs), `plan`
// (what to copy first, how safe), `split` (splitting a RUN). Which managers
// install a project: `[<manager>.project]` (see `packages`).

use crate::buildctx::Info;
use crate::data::{Data, ProjectInstall};
use crate::edit::{Applicability, Edit, Fix};
use crate::finding::Finding;
use crate::model::Model;
use crate::shell::{Script, SimpleCommand};
use crate::syntax::{Document, Instruction, Keyword};
use crate::transform::{Context, FixAvailability, Meta, Transform};

use super::packages;

mod installs;
mod plan;
mod split;

use installs::*;
use plan::*;
use split::*;

pub struct DepsFirst;

static META: Meta = Meta {
    code: "DS202",
    name: "deps-first",
    summary: "Install dependencies from their manifests before copying the sources",
    doc: crate::transform_doc!("deps_first"),
    fix: FixAvailability::Sometimes,
    safety: Applicability::Unsafe,
    aliases: &[],
};

/// `COPY . .` or `ADD . .` from the context (no `--from`).
fn full_copy(i: &Instruction) -> bool {
    matches!(i.keyword, Keyword::Copy | Keyword::Add)
        && i.flag("from").is_none()
        && i.copy_parts()
            .is_some_and(|(srcs, _)| srcs.len() == 1 && matches!(srcs[0].as_str(), "." | "./"))
}

/// The first RUN after the copy at `ci`, with only LABEL/EXPOSE between.
fn run_after(doc: &Document, ci: usize) -> Option<usize> {
    let instrs = doc.instructions();
    let stage = doc.stage_of(ci)?;
    (ci + 1..stage.instructions.end)
        .find(|&j| !matches!(instrs[j].keyword, Keyword::Label | Keyword::Expose))
        .filter(|&j| instrs[j].keyword == Keyword::Run)
}

/// Why the fix is unsafe (empty: safe): manifests not known to exist, the
/// folder the install creates not excluded by .dockerignore, or what the
/// plan says is always unsafe.
fn unsafe_reasons(cx: &Context, installs: &[Install], p: &Plan) -> Vec<String> {
    let ignore_ok = p.creates.as_deref().is_none_or(|dir| {
        cx.explicit_context()
            .is_some_and(|c| c.dockerignore(cx.dockerfile).excludes(dir))
    });
    let mut why = Vec::new();
    if !p.known {
        why.push(if installs.iter().any(Install::reads_named_files) {
            "the requirements file was not read from the build context, so what it needs \
             besides itself is not known (pass --context to check)"
                .to_string()
        } else {
            "the manifests are not known to exist (pass --context to check)".to_string()
        });
    }
    if !ignore_ok {
        why.push(format!(
            "`COPY . .` would overwrite the installed `{}` unless .dockerignore excludes it \
             (DS203 adds it)",
            p.creates.as_deref().unwrap_or_default()
        ));
    }
    if let Some(w) = &p.always_unsafe {
        why.push(w.clone());
    }
    why
}

/// The COPY lines of the manifests, with the full copy's `--chown`,
/// `--chmod` and `--link`: the top-level ones in one COPY, each nested one
/// in its own.
fn manifest_copies(doc: &Document, copy: &Instruction, manifests: &[String], dest: &str) -> String {
    let nl = doc.line_ending();
    let flags: String = copy
        .flags()
        .iter()
        .filter(|f| matches!(f.name(), "chown" | "chmod" | "link"))
        .map(|f| format!(" {}", f.text))
        .collect();
    let (top, nested): (Vec<&String>, Vec<&String>) =
        manifests.iter().partition(|m| !m.contains('/'));
    let mut text = String::new();
    if !top.is_empty() {
        let list: Vec<&str> = top.iter().map(|s| s.as_str()).collect();
        text.push_str(&format!("COPY{flags} {} {dest}{nl}", list.join(" ")));
    }
    for m in nested {
        text.push_str(&format!("COPY{flags} {m} {dest}{m}{nl}"));
    }
    text
}

/// Moves the RUN (or, split, its install part) before the copy: appends
/// the moved text to `text` and returns the edit of the RUN's place; `Err`
/// when a comment stands where a split would cut.
fn move_run(
    doc: &Document,
    run: &Instruction,
    split: Option<&Split>,
    text: &mut String,
) -> Result<Edit, String> {
    let nl = doc.line_ending();
    let Some(s) = split else {
        let run_text = doc.text(run.span.clone());
        text.push_str(run_text);
        if !run_text.ends_with('\n') {
            text.push_str(nl);
        }
        return Ok(Edit::delete(run.span.clone()));
    };
    // `RUN [flags] install && companions` before the copy, `RUN [flags]
    // rest` in the RUN's place.
    let src = doc.source();
    let args = run.logical.to_source(run.command.args.start);
    let head = &src[run.span.start..args];
    let prefix_end = run
        .logical
        .to_source_end(run.command.args.start + s.prefix_end);
    let rest_start = run.logical.to_source(run.command.args.start + s.rest_start);
    // Only blanks, the operator and line continuations go.
    if src[prefix_end..rest_start].contains('#') {
        return Err(
            "a comment stands between the install and the rest of its RUN; give the \
                    install a RUN of its own and dslim can move it"
                .into(),
        );
    }
    text.push_str(&src[run.span.start..prefix_end]);
    text.push_str(nl);
    Ok(Edit::replace(
        run.span.clone(),
        format!("{head}{}", &src[rest_start..run.span.end]),
    ))
}

impl Transform for DepsFirst {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, doc: &Document, cx: &Context, out: &mut Vec<Finding>) {
        let instrs = doc.instructions();
        if !instrs.iter().any(full_copy) {
            return;
        }
        for (ci, copy) in instrs.iter().enumerate() {
            if full_copy(copy) {
                self.check_copy(doc, cx, ci, out);
            }
        }
    }
}

impl DepsFirst {
    /// The finding for the full copy at `ci`, when the RUN after it
    /// installs dependencies.
    fn check_copy(&self, doc: &Document, cx: &Context, ci: usize, out: &mut Vec<Finding>) {
        let instrs = doc.instructions();
        let copy = &instrs[ci];
        let Some(ri) = run_after(doc, ci) else {
            return;
        };
        let run = &instrs[ri];
        let Some(script) = cx.model().script(ri) else {
            return;
        };
        let found = installs_in_run(cx, ri, script, run.args_text());
        if found.installs.is_empty() {
            return;
        }
        let span = copy.span.start..copy.span.start + copy.keyword_text().len();
        let p = plan(&found.installs, cx.hint_context(), cx.explicit_context());
        if let Some(why) = cannot_move(&p, &found) {
            out.push(advice(span, why));
            return;
        }
        let (_, dst) = copy.copy_parts().expect("a COPY");
        let Some(dest) = dest_for(doc, ci, dst) else {
            return;
        };
        let unsafe_why = unsafe_reasons(cx, &found.installs, &p);
        let mut text = manifest_copies(doc, copy, &p.manifests, &dest);
        match move_run(doc, run, found.split.as_ref(), &mut text) {
            Ok(run_edit) => {
                let edits = vec![Edit::insert(copy.span.start, text), run_edit];
                let split = found.split.is_some();
                out.push(fix_finding(span, &p.manifests, split, &unsafe_why, edits));
            }
            Err(why) => out.push(advice(span, why)),
        }
    }
}

/// The installs of a RUN and how they sit in it.
struct RunInstalls<'a> {
    /// The installs that move: all of them, or those before the split.
    installs: Vec<Install<'a>>,
    /// The RUN holds only installs (and what may run with them).
    own: bool,
    /// Where a RUN that starts with the install is cut.
    split: Option<Split>,
}

/// The installs of the RUN at `ri` (`args` its text). A RUN holding more
/// than the install is split after it when it starts with the install
/// (`npm ci && npm run build`): what DS001 merged stays movable.
fn installs_in_run<'a>(cx: &'a Context, ri: usize, script: &Script, args: &str) -> RunInstalls<'a> {
    let is_install = |k: usize| install_of(cx.model(), cx.data(), ri, script, k).is_some();
    let own = own_run(script, is_install);
    let split = (!own)
        .then(|| split_point(script, args, is_install))
        .flatten();
    let installs = (0..script.commands.len())
        .filter(|&k| {
            split
                .as_ref()
                .is_none_or(|s| script.commands[k].span.end <= s.prefix_end)
        })
        .filter_map(|k| install_of(cx.model(), cx.data(), ri, script, k))
        .collect();
    RunInstalls {
        installs,
        own,
        split,
    }
}

/// Why the install cannot be moved at all: the plan says so, or it shares
/// its RUN with commands that cannot be split off.
fn cannot_move(p: &Plan, found: &RunInstalls) -> Option<String> {
    if let Some(why) = &p.blocked {
        return Some(why.clone());
    }
    (!found.own && found.split.is_none()).then(|| {
        "the install shares its RUN with other commands that run before it or are not \
         joined with `&&`; give it a RUN of its own and dslim can move it"
            .into()
    })
}

/// The advice-only finding on the copy's keyword (`span`).
fn advice(span: std::ops::Range<usize>, why: String) -> Finding {
    Finding {
        code: META.code,
        name: META.name,
        message: format!(
            "the dependency install after `COPY . .` re-runs on every code change, but it \
             cannot be moved before it: {why}"
        )
        .into(),
        span,
        fix: Some(Fix::display_only(Vec::new())),
        saving_bytes: None,
    }
}

/// The finding with the fix: safe when `unsafe_why` is empty.
fn fix_finding(
    span: std::ops::Range<usize>,
    manifests: &[String],
    split: bool,
    unsafe_why: &[String],
    edits: Vec<Edit>,
) -> Finding {
    let applicability = if unsafe_why.is_empty() {
        Applicability::Safe
    } else {
        Applicability::Unsafe
    };
    let shown: Vec<&str> = manifests.iter().map(String::as_str).collect();
    Finding {
        code: META.code,
        name: META.name,
        message: format!(
            "the dependency install after `COPY . .` re-runs on every code change; copy {} \
             and install first{}{}",
            shown.join(" "),
            if split {
                " (the RUN is split: the install before the copy, the rest after it)"
            } else {
                ""
            },
            if unsafe_why.is_empty() {
                String::new()
            } else {
                format!(" (unsafe: {})", unsafe_why.join("; "))
            }
        )
        .into(),
        span,
        fix: Some(
            Fix::new(edits, applicability)
                .with_title("install from the manifests before `COPY . .`"),
        ),
        saving_bytes: None,
    }
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
