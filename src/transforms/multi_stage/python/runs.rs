//! What a Python build's RUNs do with pip and venvs, and what keeps pip
//! from installing into the venv.

use crate::buildctx::Info;
use crate::shell::SimpleCommand;
use crate::syntax::Keyword;

use super::super::{join, words, StageFacts};
use super::commands::{
    builds_from_source, classify, file_command, pip_blocker, pip_names, requirement_name, Cmd,
};

/// What a Python build's RUNs do, for the split.
#[derive(Default)]
pub(super) struct Runs {
    /// A pip install ran (else the recipe does not apply).
    pub(super) pip_seen: bool,
    /// A `pip install --no-binary` builds from source.
    pub(super) from_source: bool,
    /// The stage's own venv and the RUN that made it.
    pub(super) venv: Option<(String, usize)>,
    /// The first `pip install` by name (the image's pip, or the venv's
    /// through PATH), and the first of any kind.
    pub(super) bare_pip_at: Option<usize>,
    pub(super) first_pip_at: Option<usize>,
    /// What the pip installs name: packages, and requirement files (read
    /// from the build context when there is one; `unread` when not).
    pub(super) requirements: Vec<String>,
    pub(super) unread: Vec<String>,
}

/// Reads the stage's RUNs: pip installs, a venv, `cd` and file commands
/// (anything else, and a file command outside the app folder `wd`, goes to
/// `block`).
pub(super) fn read_runs(
    f: &StageFacts,
    context: Option<&Info>,
    wd: Option<&str>,
    block: &mut impl FnMut(String),
) -> Runs {
    let mut runs = Runs::default();
    for ins in f.runs() {
        let i = f.index(ins);
        let Some(script) = f.model.script(i) else {
            if ins.logical.text.contains("pip") {
                runs.pip_seen = true;
            }
            block("a RUN that dslim cannot read (exec form, heredoc or shell syntax it does not parse)".into());
            continue;
        };
        let mut cwd = f.cwd_at(i);
        for c in &script.commands {
            let text = &ins.args_text()[c.span.clone()];
            match classify(c) {
                Cmd::PipInstall { bin, args } => {
                    runs.pip_install(i, &args, context, block);
                    if let Some(b) = bin {
                        runs.pip_by_path(c, &b, cwd.as_deref(), block);
                    } else {
                        runs.bare_pip_at.get_or_insert(i);
                    }
                }
                Cmd::Venv { path, system } => {
                    runs.venv_made(i, &path, system, cwd.as_deref(), block)
                }
                other => file_command(other, c, text, &mut cwd, wd, block),
            }
        }
    }
    runs
}

impl Runs {
    /// A `pip install` of `args` in RUN `at`: what it installs and how.
    fn pip_install(
        &mut self,
        at: usize,
        args: &[String],
        context: Option<&Info>,
        block: &mut impl FnMut(String),
    ) {
        self.pip_seen = true;
        self.first_pip_at.get_or_insert(at);
        if let Some(why) = pip_blocker(args) {
            block(why.into());
        }
        self.from_source |= builds_from_source(args);
        let (pkgs, files) = pip_names(args);
        self.requirements.extend(pkgs);
        for file in files {
            let text = context.and_then(|c| {
                let rel = file.trim_start_matches("./");
                c.requirements(rel)
                    .or_else(|| c.requirements(rel.rsplit('/').next().unwrap_or(rel)))
            });
            match text {
                Some(t) => self
                    .requirements
                    .extend(t.lines().filter_map(requirement_name)),
                None => self.unread.push(file),
            }
        }
    }

    /// A pip `c` called by its path from the folder `bin`: only the venv's.
    fn pip_by_path(
        &self,
        c: &SimpleCommand,
        bin: &str,
        cwd: Option<&str>,
        block: &mut impl FnMut(String),
    ) {
        let in_venv = self
            .venv
            .as_ref()
            .is_some_and(|(v, _)| cwd.map(|d| join(d, bin)) == Some(format!("{v}/bin")));
        if !in_venv {
            block(format!(
                "`{}` calls pip by its path, which bypasses the venv",
                words(c)[0]
            ));
        }
    }

    /// A venv made at `path` (`system`: with the system's site packages) in
    /// RUN `at`: the stage's own, when it is the first and literal.
    fn venv_made(
        &mut self,
        at: usize,
        path: &str,
        system: bool,
        cwd: Option<&str>,
        block: &mut impl FnMut(String),
    ) {
        if system {
            block("a venv with `--system-site-packages` needs the full image's packages".into());
        }
        match cwd {
            Some(d) if path != "\u{0}" && self.venv.is_none() => {
                self.venv = Some((join(d, path), at))
            }
            _ => block("a second venv, or one at a path dslim cannot read".into()),
        }
    }
}

/// What keeps pip from installing into the venv `venv_path` (the stage's
/// own when `own`, `venv` with the RUN that made it): a bare `pip install`
/// no `ENV PATH` sends to it, pip's own variables, an `ENV PATH` without
/// `$PATH`.
pub(super) fn venv_blockers(
    f: &StageFacts,
    venv_path: &str,
    own: bool,
    venv: Option<&(String, usize)>,
    bare_pip_at: Option<usize>,
    block: &mut impl FnMut(String),
) {
    // The last `ENV PATH` before `at` puts the venv's bin folder ahead of
    // anything its `$PATH` holds.
    let path_names_venv = |at: usize| {
        let bin = format!("{venv_path}/bin");
        f.doc.instructions()[f.from + 1..at]
            .iter()
            .rev()
            .filter(|i| i.keyword == Keyword::Env)
            .find_map(|i| i.pairs().into_iter().rev().find(|(k, _)| k == "PATH"))
            .and_then(|(_, v)| v)
            .is_some_and(|v| {
                v.trim_matches(|c| c == '"' || c == '\'')
                    .split(':')
                    .take_while(|d| !d.contains('$'))
                    .any(|d| d.trim_end_matches('/') == bin)
            })
    };
    if let (Some((_, made)), Some(bare)) = (venv, bare_pip_at) {
        if bare < *made || !path_names_venv(bare) {
            block(format!(
                "a bare `pip install` runs the image's pip, not the venv {venv_path} (no `ENV \
                 PATH` names its bin folder first)"
            ));
        }
    }
    // An ENV that sets PATH without `$PATH` hides dslim's venv from pip;
    // pip's own variables can send the installs elsewhere.
    for ins in f.instrs().iter().filter(|i| i.keyword == Keyword::Env) {
        for (k, v) in ins.pairs() {
            if matches!(
                k.as_str(),
                "PIP_USER" | "PIP_TARGET" | "PIP_PREFIX" | "PIP_ROOT" | "PIP_EDITABLE"
            ) {
                block(format!("`ENV {k}` makes pip install outside the venv"));
            }
            if k == "PATH"
                && !own
                && !v
                    .as_deref()
                    .is_some_and(|v| v.contains("$PATH") || v.contains("${PATH}"))
            {
                block("an `ENV PATH` that drops `$PATH` hides the venv from pip".into());
            }
        }
    }
}

/// Alpine: the venv dslim adds is made right before the first RUN with
/// pip (`first_pip`), which must come after the RUN whose `apk add`
/// installs python3.
pub(super) fn alpine_venv_at(
    f: &StageFacts,
    first_pip: Option<usize>,
    block: &mut impl FnMut(String),
) -> Option<usize> {
    let python_at = f.runs().map(|i| f.index(i)).find(|&i| {
        f.model.script(i).is_some_and(|s| {
            s.commands.iter().any(|c| {
                let w = words(c);
                w.first() == Some(&"apk")
                    && w.get(1) == Some(&"add")
                    && w[2..]
                        .iter()
                        .any(|p| p.split('=').next() == Some("python3"))
            })
        })
    });
    match (python_at, first_pip) {
        (Some(p), Some(q)) if p < q => Some(q),
        (Some(_), Some(q)) => {
            block(
                "`apk add python3` and pip run in the same RUN: the venv would have to be made \
                 between them"
                    .into(),
            );
            Some(q)
        }
        _ => {
            block(
                "no `apk add python3` before the pip install: the venv's Python is unknown".into(),
            );
            None
        }
    }
}
