//! Propose the build context's `.dockerignore` — or `<Dockerfile>.dockerignore`
//! when the context has it, since BuildKit prefers it — or the lines an
//! existing one lacks: `.git`, the caches of the project's languages
//! (`node_modules`, `__pycache__`, `*.pyc`, `.venv`, `target/`, … from
//! `transforms/dockerignore.toml`), `*.log`, `Dockerfile*` and `.env*`. The new
//! file appears in the same diff (`--- /dev/null` → `+++ b/.dockerignore`) and
//! `dslim fix --write` writes it (permissions 0644).
//!
//! Needs the build context: `--context DIR` or `context = "…"` in
//! `dslim.toml` (`docker build -f docker/Dockerfile .` reads `./.dockerignore`,
//! not the one beside the Dockerfile). Without it, a Dockerfile whose folder
//! holds a project manifest and no ignore file gets advice only.
//!
//! Why: `COPY . .` copies everything the context holds into a layer: the git
//! history, a host's `node_modules` or `target/` (hundreds of MB), logs, local
//! `.env` secrets. Every change to any of them also invalidates the COPY's
//! cache, so the layers after it rebuild.
//!
//! Safety: safe for a new file that only excludes language caches (a build that
//! copies them from the host instead of producing them is broken by design).
//! Everything else is unsafe: setuptools-scm and `git describe` read `.git`, a
//! build may read a log or an `.env` file, and an existing file is the
//! author's. An entry that a COPY/ADD names (`COPY .git ./`, `COPY Dockerfile
//! /x`, `COPY target/app /`) is never proposed.
//!
//! Before:
//! ```text
//! FROM node:20
//! COPY . .
//! RUN npm ci
//! ```
//!
//! After:
//! ```text
//! # .dockerignore (new)
//! node_modules
//! npm-debug.log*
//! .npm
//! .git
//! *.log
//! Dockerfile*
//! .env*
//! ```

// The fix targets another file, so it is a `Fix::file`: the pipeline leaves
// it out of the fixed-point loop and applies it once, on the final text
// (`Outcome::files`). The entries: `transforms/dockerignore.toml`.

use crate::buildctx::{pattern_matches, Dockerignore as IgnoreFile, Info};
use crate::data::{DockerignoreData, IgnoreEntry};
use crate::edit::{Applicability, FileEdit, Fix};
use crate::finding::Finding;
use crate::syntax::{Document, Instruction, Keyword};
use crate::transform::{Context, FixAvailability, Meta, Transform};

pub struct Dockerignore;

static META: Meta = Meta {
    code: "DS203",
    name: "dockerignore",
    summary: "Keep VCS data, caches and local files out of the build context",
    doc: crate::transform_doc!("dockerignore"),
    fix: FixAvailability::Sometimes,
    safety: Applicability::Unsafe,
    aliases: &[],
};

/// COPY/ADD instructions that read the build context (no `--from`), with
/// their sources normalised (`./src/` → `src`; `.` → ``).
fn context_copies(doc: &Document) -> Vec<(&Instruction, Vec<String>)> {
    doc.instructions()
        .iter()
        .filter(|i| matches!(i.keyword, Keyword::Copy | Keyword::Add) && i.flag("from").is_none())
        .filter_map(|i| {
            let (srcs, _) = i.copy_parts()?;
            let srcs: Vec<String> = srcs
                .iter()
                .filter(|s| !s.contains("://") && !s.starts_with("git@"))
                .map(|s| normalize(s))
                .collect();
            (!srcs.is_empty()).then_some((i, srcs))
        })
        .collect()
}

fn normalize(s: &str) -> String {
    let mut t = s.trim();
    while let Some(r) = t.strip_prefix("./") {
        t = r;
    }
    let t = t.trim_start_matches('/').trim_end_matches('/');
    if t == "." {
        String::new()
    } else {
        t.to_string()
    }
}

/// Ecosystems the context's files or the FROM images show.
fn languages<'d>(
    doc: &Document,
    data: &'d crate::data::DockerignoreData,
    info: &Info,
) -> Vec<&'d str> {
    data.languages
        .iter()
        .filter(|(_, l)| {
            l.files.iter().any(|f| info.exists(f))
                || doc.stages().iter().any(|s| {
                    let base = s.image.name.rsplit('/').next().unwrap_or("");
                    l.images.iter().any(|i| i == base)
                })
        })
        .map(|(n, _)| n.as_str())
        .collect()
}

/// Without an explicit context, the hint context is a project folder (it
/// holds a language's manifest) with no ignore file: worth advice.
fn project_without_ignore(cx: &Context) -> bool {
    let Some(hint) = cx.hint_context() else {
        return false;
    };
    hint.dockerignore(cx.dockerfile).text.is_none()
        && cx
            .data()
            .dockerignore
            .languages
            .values()
            .flat_map(|l| &l.files)
            .any(|f| hint.exists(f))
}

/// The entries the ignore file lacks that no COPY names: the caches of the
/// project's languages (safe in a new file), and the general ones.
fn missing_entries<'a>(
    doc: &Document,
    data: &'a DockerignoreData,
    info: &Info,
    ignore: &IgnoreFile,
    copies: &[(&Instruction, Vec<String>)],
) -> (Vec<String>, Vec<&'a IgnoreEntry>) {
    let named: Vec<&String> = copies
        .iter()
        .flat_map(|(_, s)| s)
        .filter(|s| !s.is_empty())
        .collect();
    let wanted = |pat: &str| !ignore.has(pat) && !named.iter().any(|src| pattern_matches(pat, src));
    let mut safe: Vec<String> = Vec::new();
    for lang in languages(doc, data, info) {
        for e in &data.languages[lang].entries {
            if wanted(e) && !safe.contains(e) {
                safe.push(e.clone());
            }
        }
    }
    let general = data.general.iter().filter(|g| wanted(&g.pattern)).collect();
    (safe, general)
}

impl Transform for Dockerignore {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, doc: &Document, cx: &Context, out: &mut Vec<Finding>) {
        let copies = context_copies(doc);
        let Some((first, _)) = copies.first() else {
            return;
        };
        let whole = copies.iter().find(|(_, s)| s.iter().any(String::is_empty));
        let at = whole.map_or(*first, |(i, _)| *i);
        let span = at.span.start..at.span.start + at.keyword_text().len();
        let data = &cx.data().dockerignore;

        let Some(info) = cx.explicit_context() else {
            if whole.is_some() && project_without_ignore(cx) {
                out.push(finding(
                    "no `.dockerignore` beside the Dockerfile: `COPY .` sends and copies \
                     everything (VCS data, caches); pass `--context DIR` (or set \
                     `context` in dslim.toml) to have one proposed"
                        .into(),
                    span,
                    None,
                ));
            }
            return;
        };
        if !reads_folder(info, &copies) {
            return;
        }
        let ignore = info.dockerignore(cx.dockerfile);
        let (mut safe, general) = missing_entries(doc, data, info, &ignore, &copies);
        let file = Proposal::of(&ignore);
        if file.old.is_none() && !safe.is_empty() {
            out.push(file.create(std::mem::take(&mut safe), span.clone()));
        }
        if let Some(f) = file.extend(safe, &general, span) {
            out.push(f);
        }
    }
}

/// Only a context some COPY reads a folder of is worth an ignore file.
fn reads_folder(info: &Info, copies: &[(&Instruction, Vec<String>)]) -> bool {
    copies.iter().any(|(_, srcs)| {
        srcs.iter()
            .any(|s| s.is_empty() || s.contains('*') || info.dir.join(s).is_dir())
    })
}

fn finding(message: String, span: std::ops::Range<usize>, fix: Option<Fix>) -> Finding {
    Finding {
        code: META.code,
        name: META.name,
        message: message.into(),
        span,
        fix,
        saving_bytes: None,
    }
}

/// `a`, `b` as `` `a`, `b` ``.
fn quoted_list(v: &[&str]) -> String {
    v.iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The ignore file fixes write to.
struct Proposal {
    path: std::path::PathBuf,
    /// Its text (`None`: there is none yet).
    old: Option<String>,
    file_name: String,
}

impl Proposal {
    fn of(ignore: &IgnoreFile) -> Proposal {
        Proposal {
            path: ignore.path.clone(),
            old: ignore.text.as_deref().map(str::to_string),
            file_name: ignore.path.file_name().map_or_else(
                || ".dockerignore".into(),
                |n| n.to_string_lossy().into_owned(),
            ),
        }
    }

    fn fix(&self, lines: Vec<String>, a: Applicability, title: String) -> Fix {
        Fix::file(
            FileEdit {
                path: self.path.clone(),
                old: self.old.clone(),
                lines,
            },
            a,
        )
        .with_title(title)
    }

    /// A new file excluding the language caches (safe).
    fn create(&self, safe: Vec<String>, span: std::ops::Range<usize>) -> Finding {
        let file_name = &self.file_name;
        let names: Vec<&str> = safe.iter().map(String::as_str).collect();
        let message = format!(
            "no `{file_name}`: {} are sent to the builder and `COPY` puts them in the image",
            quoted_list(&names)
        );
        let fix = self.fix(
            safe.clone(),
            Applicability::Safe,
            format!("create {file_name} excluding language caches"),
        );
        finding(message, span, Some(fix))
    }

    /// The entries still missing (`safe` ones of an existing file, and the
    /// general ones), added by an unsafe fix.
    fn extend(
        &self,
        safe: Vec<String>,
        general: &[&IgnoreEntry],
        span: std::ops::Range<usize>,
    ) -> Option<Finding> {
        let file_name = &self.file_name;
        let mut lines = safe;
        lines.extend(general.iter().map(|g| g.pattern.clone()));
        if lines.is_empty() {
            return None;
        }
        let names: Vec<&str> = lines.iter().map(String::as_str).collect();
        let why: Vec<String> = general
            .iter()
            .map(|g| format!("`{}`: {}", g.pattern, g.why))
            .collect();
        let message = format!(
            "`{file_name}` {} {}{}",
            if self.old.is_none() {
                "(new) should also exclude"
            } else {
                "does not exclude"
            },
            quoted_list(&names),
            if why.is_empty() {
                String::new()
            } else {
                format!(" ({})", why.join("; "))
            }
        );
        let fix = self.fix(
            lines.clone(),
            Applicability::Unsafe,
            format!("add {} to {file_name}", quoted_list(&names)),
        );
        Some(finding(message, span, Some(fix)))
    }
}
