//! What a DS103 candidate runs and as whom: its CMD/ENTRYPOINT, the users
//! it names, whether it needs root.

use crate::data::Distroless;
use crate::edit::Edit;
use crate::syntax::{Document, Instruction, Keyword};

use super::super::base_images::{convertible, json_array};
use super::Candidate;

/// The user part of `USER` or `--chown` (`app:app` → `app`) is fine for an
/// image whose /etc/passwd has `users` (none for scratch).
/// Why the program of a final stage may need root: a USER the author
/// chose (root or another), a port below 1024, a VOLUME (a volume made
/// from a root-owned folder is root's), a `--chown` (files for a user).
/// `None`: nothing says so.
pub(super) fn needs_root(body: &[&Instruction]) -> Option<String> {
    for i in body {
        match i.keyword {
            Keyword::User => return Some("the stage sets its USER".into()),
            Keyword::Volume => return Some("a VOLUME is root-owned".into()),
            Keyword::Expose => {
                for v in i.values() {
                    let port = v.split('/').next().unwrap_or("");
                    match port.split('-').next().unwrap_or("").parse::<u32>() {
                        Ok(p) if p >= 1024 => {}
                        Ok(p) => return Some(format!("port {p} is below 1024, which needs root")),
                        Err(_) => return Some(format!("EXPOSE `{v}` may be a port below 1024")),
                    }
                }
            }
            Keyword::Copy | Keyword::Add if i.flag("chown").is_some() => {
                return Some("a `--chown` gives files to a user".into())
            }
            _ => {}
        }
    }
    None
}

pub(super) fn user_ok(spec: &str, users: &[String]) -> bool {
    let user = spec.split(':').next().unwrap_or("");
    let group = spec.split(':').nth(1).unwrap_or(user);
    let ok = |n: &str| n.chars().all(|c| c.is_ascii_digit()) || users.iter().any(|u| u == n);
    !user.contains('$') && ok(user) && ok(group)
}

/// What the stage runs: the ENTRYPOINT (else the CMD), its words, and the
/// edits that write shell-form ones in exec form; `Err` when nothing runs
/// or a shell form cannot be converted.
pub(super) struct Runner<'d> {
    pub(super) entry: Option<&'d Instruction>,
    pub(super) cmd: Option<&'d Instruction>,
    pub(super) words: Vec<String>,
    pub(super) edits: Vec<Edit>,
}

pub(super) fn runner<'d>(body: &[&'d Instruction]) -> Result<Runner<'d>, String> {
    let last = |k: Keyword| body.iter().rev().find(|i| i.keyword == k).copied();
    let (entry, cmd) = (last(Keyword::Entrypoint), last(Keyword::Cmd));
    let Some(runs) = entry.or(cmd) else {
        return Err(
            "the stage has no CMD or ENTRYPOINT, so it relies on the current image's".into(),
        );
    };
    let mut r = Runner {
        entry,
        cmd,
        words: Vec::new(),
        edits: Vec::new(),
    };
    let mut unsure = None;
    for ins in [entry, cmd].into_iter().flatten() {
        if ins.is_exec_form() {
            if std::ptr::eq(ins, runs) {
                r.words = ins.values().to_vec();
            }
            continue;
        }
        match convertible(ins) {
            Ok(w) => {
                r.edits.push(Edit::replace(ins.args_span(), json_array(&w)));
                if std::ptr::eq(ins, runs) {
                    r.words = w;
                }
            }
            Err(e) => {
                unsure = Some(format!(
                    "its {} is shell form and {e}",
                    ins.keyword_text().to_ascii_uppercase()
                ))
            }
        }
    }
    if entry.is_some_and(|e| !e.is_exec_form()) && cmd.is_some() {
        unsure = Some("a shell-form ENTRYPOINT ignores CMD; exec form would pass it".into());
    }
    match unsure {
        Some(why) => Err(why),
        None => Ok(r),
    }
}

/// Whether every USER and `--chown` of the stage names a user of `users`
/// (or a number).
pub(super) fn users_known(body: &[&Instruction], users: &[String]) -> bool {
    body.iter().all(|i| match i.keyword {
        Keyword::User => user_ok(i.args_text().trim(), users),
        Keyword::Copy | Keyword::Add => i
            .flag("chown")
            .and_then(|f| f.value())
            .is_none_or(|v| user_ok(v, users)),
        _ => true,
    })
}

/// Why the stage may not run on the image: it runs something it does not
/// copy from a builder, has a HEALTHCHECK (which needs a shell or tools),
/// or names users the image lacks.
pub(super) fn unsure_on_image(c: &Candidate, words: &[String], d: &Distroless) -> Option<String> {
    let copied: Vec<&str> = c
        .copies
        .iter()
        .flat_map(|(i, _)| i.values())
        .map(|p| p.trim_end_matches('/').rsplit('/').next().unwrap_or(""))
        .collect();
    let program = words.first().map(|p| p.rsplit('/').next().unwrap_or(""));
    if !program.is_some_and(|p| !p.is_empty() && copied.contains(&p)) {
        return Some(format!(
            "it runs `{}`, not a file it copies from the builder",
            words.first().map_or("", |s| s.as_str())
        ));
    }
    if c.body.iter().any(|i| {
        i.keyword == Keyword::Healthcheck && !i.args_text().trim().eq_ignore_ascii_case("none")
    }) {
        return Some("its HEALTHCHECK needs a shell or tools".into());
    }
    if !users_known(&c.body, &d.users) {
        return Some(format!(
            "USER or `--chown` names a user the image lacks (it has {})",
            d.users.join(", ")
        ));
    }
    None
}

/// Non-root (guides: security): the distroless images have the `nonroot`
/// user (65532); it runs the program when nothing in the stage needs root.
/// Written as the number: Kubernetes' `runAsNonRoot` can only verify a
/// numeric USER, and hadolint (DL3066) asks for one. `scratch` has no
/// users. Returns the message part.
pub(super) fn nonroot(doc: &Document, c: &Candidate, r: &mut Runner, scratch: bool) -> String {
    let root_needed = if scratch {
        Some("`scratch` has no non-root user".to_string())
    } else {
        needs_root(&c.body)
    };
    match &root_needed {
        None => {
            let before = r.entry.into_iter().chain(r.cmd).map(|i| i.span.start).min();
            if let Some(at) = before {
                r.edits
                    .push(Edit::insert(at, format!("USER 65532{}", doc.line_ending())));
            }
            "; runs as `nonroot` (`USER 65532`) instead of root: nothing in the stage \
             needs root, but a program that writes outside /tmp and its home \
             (/home/nonroot), for example into its WORKDIR, now fails"
                .to_string()
        }
        Some(_) if c.body.iter().any(|i| i.keyword == Keyword::User) => String::new(),
        Some(why) => format!("; it still runs as root ({why})"),
    }
}
