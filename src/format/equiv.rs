//! Whether two documents build the same thing, as far as the formatter may
//! change it: the same directives and escape character, and instruction by
//! instruction the same keyword (any case), flags, exec form, values and
//! heredocs (marker and body). Two values may differ only where BuildKit or
//! the shell ignores it: the case of `AS` in FROM, and whitespace between
//! the words of a shell command (RUN, CMD, ENTRYPOINT, SHELL, HEALTHCHECK
//! CMD in shell form).
//!
//! Shell commands are compared through the shell view (same commands with
//! the same words as written, same operators) when it can read both texts;
//! otherwise (bash-only syntax and the like) only their whitespace-collapsed
//! texts are compared, and [`Stats::shell_fallback`] counts it.

use crate::model::Model;
use crate::shell;
use crate::syntax::{Command, Document, Instruction};

/// How the comparison went.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Shell values that differ in whitespace, checked with the shell view.
    pub shell_checked: usize,
    /// Shell values that differ in whitespace, where the shell view could
    /// not read them: only whitespace-collapsed equality was checked.
    pub shell_fallback: usize,
}

/// `Ok` when `b` is `a` up to formatting; else what differs first.
pub fn equivalent(a: &Document, b: &Document) -> Result<Stats, String> {
    equivalent_models(&Model::new(a), &Model::new(b))
}

/// [`equivalent`] on the models of the two documents: shell texts are read
/// through [`Model::parse`], so a text the model's memo holds is not
/// parsed again.
pub fn equivalent_models(ma: &Model, mb: &Model) -> Result<Stats, String> {
    let (a, b) = (ma.doc(), mb.doc());
    let mut st = Stats::default();
    if a.escape() != b.escape() {
        return Err("escape character".into());
    }
    let dirs = |d: &Document| {
        d.directives()
            .iter()
            .map(|x| (x.name.clone(), x.value.clone()))
            .collect::<Vec<_>>()
    };
    if dirs(a) != dirs(b) {
        return Err("parser directives".into());
    }
    let (ia, ib) = (a.instructions(), b.instructions());
    if ia.len() != ib.len() {
        return Err(format!("{} instructions became {}", ia.len(), ib.len()));
    }
    for (x, y) in ia.iter().zip(ib) {
        instruction((ma, x), (mb, y), &mut st)
            .map_err(|e| format!("instruction at line {}: {e}", x.start_line))?;
    }
    Ok(st)
}

fn instruction(
    (ma, a): (&Model, &Instruction),
    (mb, b): (&Model, &Instruction),
    st: &mut Stats,
) -> Result<(), String> {
    let (da, db) = (ma.doc(), mb.doc());
    command(
        (ma, &a.logical.text, &a.command),
        (mb, &b.logical.text, &b.command),
        st,
    )?;
    if a.heredocs().len() != b.heredocs().len() {
        return Err("heredoc count".into());
    }
    for (x, y) in a.heredocs().iter().zip(b.heredocs()) {
        if x.marker != y.marker || da.text(x.body.clone()) != db.text(y.body.clone()) {
            return Err(format!("heredoc {}", x.marker.name));
        }
    }
    Ok(())
}

fn command(
    (ma, ta, a): (&Model, &str, &Command),
    (mb, tb, b): (&Model, &str, &Command),
    st: &mut Stats,
) -> Result<(), String> {
    let kw = ta[a.keyword.clone()].to_ascii_lowercase();
    if kw != tb[b.keyword.clone()].to_ascii_lowercase() {
        return Err("keyword".into());
    }
    let flags = |c: &Command| c.flags.iter().map(|f| f.text.clone()).collect::<Vec<_>>();
    if flags(a) != flags(b) {
        return Err("flags".into());
    }
    if a.json != b.json {
        return Err("exec form".into());
    }
    match (&a.sub, &b.sub) {
        (Some(x), Some(y)) => command((ma, ta, x), (mb, tb, y), st)?,
        (None, None) => {}
        _ => return Err("ONBUILD".into()),
    }
    if a.values.len() != b.values.len() {
        return Err("number of values".into());
    }
    for (i, (x, y)) in a.values.iter().zip(&b.values).enumerate() {
        if x == y {
            continue;
        }
        let shell_value = !a.json
            && match kw.as_str() {
                "run" | "cmd" | "entrypoint" | "shell" => i == 0,
                "healthcheck" => i == 1,
                _ => false,
            };
        if kw == "from" && i == 1 && x.eq_ignore_ascii_case("as") && y.eq_ignore_ascii_case("as") {
            continue;
        }
        if !shell_value {
            return Err(format!("value {x:?} became {y:?}"));
        }
        same_shell((ma, x), (mb, y), st)
            .map_err(|e| format!("shell command {x:?} became {y:?}: {e}"))?;
    }
    Ok(())
}

fn collapse(s: &str) -> String {
    s.split([' ', '\t'])
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Shell text equal up to whitespace between words.
fn same_shell(
    (ma, x): (&Model, &str),
    (mb, y): (&Model, &str),
    st: &mut Stats,
) -> Result<(), String> {
    match (ma.parse(x), mb.parse(y)) {
        (Some(sx), Some(sy)) => {
            let words = |s: &shell::Script| {
                s.commands
                    .iter()
                    .map(|c| {
                        c.assignments
                            .iter()
                            .chain(&c.words)
                            .map(|w| w.raw.clone())
                            .collect::<Vec<_>>()
                    })
                    .collect::<Vec<_>>()
            };
            let ops = |s: &shell::Script| {
                s.items
                    .iter()
                    .map(|i| {
                        (
                            i.and_or.iter().map(|(o, _)| *o).collect::<Vec<_>>(),
                            i.terminator.as_ref().map(|(o, _)| *o),
                        )
                    })
                    .collect::<Vec<_>>()
            };
            if words(&sx) != words(&sy) {
                return Err("different words".into());
            }
            if ops(&sx) != ops(&sy) || sx.pipes.len() != sy.pipes.len() {
                return Err("different operators".into());
            }
            let comment = |s: &shell::Script, t: &str| s.comment.clone().map(|r| t[r].to_string());
            if comment(&sx, x) != comment(&sy, y) {
                return Err("different comment".into());
            }
            st.shell_checked += 1;
            Ok(())
        }
        (None, _) | (_, None) => {
            if collapse(x) != collapse(y) {
                return Err("different text".into());
            }
            st.shell_fallback += 1;
            Ok(())
        }
    }
}
