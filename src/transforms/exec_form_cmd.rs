//! Write a simple shell-form `CMD` or `ENTRYPOINT` in JSON exec form.
//!
//! Why: shell form runs `/bin/sh -c "…"`, so the shell is PID 1 and the
//! program its child. `docker stop` sends SIGTERM to the shell, which does not
//! pass it on: the container waits the full grace period and is killed. Exec
//! form runs the program itself. BuildKit reports the same as the
//! `JSONArgsRecommended` build check; hadolint as DL3025.
//!
//! Safety: unsafe (applied with `--unsafe`): the program becomes PID 1 and now
//! receives signals, and `docker run image ARGS` arguments are appended to an
//! exec-form ENTRYPOINT (a shell-form one ignores them). Converted only when
//! the text has no shell syntax at all — no `$`, quotes, backslashes, globs,
//! `~`, operators, redirections, assignments or shell builtins — so the same
//! program gets the same arguments; a leading `exec` is dropped. Never in files
//! with the backtick escape, under a non-POSIX `SHELL`, on a multi-line
//! instruction, on an ENTRYPOINT whose stage has a CMD or is used by another
//! stage, or on a CMD under an exec-form ENTRYPOINT: those get a display-only
//! finding saying why. `# check=skip=JSONArgsRecommended` silences it.
//!
//! Before:
//! ```text
//! CMD ./app --port 80
//! ```
//!
//! After:
//! ```text
//! CMD ["./app", "--port", "80"]
//! ```

use crate::edit::{Applicability, Edit, Fix};
use crate::finding::Finding;
use crate::syntax::{Document, Keyword, Stage};
use crate::transform::{Context, FixAvailability, Meta, Transform};

use super::base_images::{convertible, json_array, referenced};

pub struct ExecFormCmd;

static META: Meta = Meta {
    code: "DS204",
    name: "exec-form-cmd",
    summary: "Write CMD and ENTRYPOINT in JSON exec form",
    doc: crate::transform_doc!("exec_form_cmd"),
    fix: FixAvailability::Sometimes,
    safety: Applicability::Unsafe,
    aliases: &["JSONArgsRecommended", "DL3025"],
};

/// The stage and the stages it is built `FROM` in this file, nearest first.
pub(crate) fn stage_chain<'d>(doc: &'d Document, st: &'d Stage) -> Vec<&'d Stage> {
    let mut chain = vec![st];
    let mut cur = st;
    while let Some(parent) = doc.stages()[..cur.index].iter().rev().find(|s| {
        s.name
            .as_deref()
            .is_some_and(|n| n.eq_ignore_ascii_case(&cur.image.text))
    }) {
        chain.push(parent);
        cur = parent;
    }
    chain
}

impl Transform for ExecFormCmd {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, doc: &Document, cx: &Context, out: &mut Vec<Finding>) {
        if doc.escape() == '`' {
            return;
        }
        let instrs = doc.instructions();
        if !instrs
            .iter()
            .any(|i| matches!(i.keyword, Keyword::Cmd | Keyword::Entrypoint) && !i.is_exec_form())
        {
            return;
        }
        let shells = cx.model().shells();
        let referenced = referenced(doc);
        for st in doc.stages() {
            let stage_instrs = || st.instructions.clone().map(|i| (i, &instrs[i]));
            for (i, ins) in stage_instrs() {
                if !matches!(ins.keyword, Keyword::Cmd | Keyword::Entrypoint)
                    || ins.is_exec_form()
                    || ins.args_text().trim().is_empty()
                    || !shells[i].is_posix()
                {
                    continue;
                }
                let kw = ins.keyword_text().to_ascii_uppercase();
                let blocker = if ins.keyword == Keyword::Entrypoint {
                    if stage_instrs().any(|(_, x)| x.keyword == Keyword::Cmd) {
                        Some(
                            "the stage has a CMD, which exec form would append as arguments"
                                .to_string(),
                        )
                    } else if referenced[st.index] {
                        Some(
                            "another stage uses this one, and its CMD would become arguments"
                                .to_string(),
                        )
                    } else {
                        None
                    }
                } else if stage_chain(doc, st).iter().any(|s| {
                    s.instructions.clone().any(|k| {
                        instrs[k].keyword == Keyword::Entrypoint && instrs[k].is_exec_form()
                    })
                }) {
                    Some(
                        "an exec-form ENTRYPOINT would receive the words instead of `/bin/sh -c …`"
                            .to_string(),
                    )
                } else {
                    None
                };
                let words = convertible(ins);
                let (fix, why) = match (blocker, words) {
                    (None, Ok(w)) => (
                        Fix::unsafe_(vec![Edit::replace(ins.args_span(), json_array(&w))])
                            .with_title("use JSON exec form"),
                        String::new(),
                    ),
                    (Some(b), _) => (Fix::display_only(vec![]), format!(" (not converted: {b})")),
                    (None, Err(e)) => (
                        Fix::display_only(vec![]),
                        format!(" (not converted: {e}; use `exec` in a script, or exec form)"),
                    ),
                };
                out.push(Finding {
                    code: META.code,
                    name: META.name,
                    message: format!(
                        "shell-form {kw} runs under `/bin/sh -c`, which does not pass \
                         signals such as SIGTERM on to the program; use JSON exec form{why}"
                    )
                    .into(),
                    span: ins.span.start..ins.span.start + ins.keyword_text().len(),
                    fix: Some(fix),
                    saving_bytes: None,
                });
            }
        }
    }
}
