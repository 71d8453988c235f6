//! Files the stage's RUNs and COPYs put outside the app and build folders,
//! which a binary split copies to its runtime or names.

use crate::shell::SimpleCommand;
use crate::syntax::Keyword;

use super::super::StageFacts;

/// What a setup RUN of the stage wrote outside the folders the runtime
/// gets (see [`setup_writes`]).
#[derive(Debug, PartialEq)]
pub(in crate::transforms::multi_stage) enum Written {
    /// A literal absolute path, written by root and not chowned: the
    /// runtime copies it from the builder (`COPY --from` keeps the mode;
    /// the copy is root's, as the original was).
    Path(String),
    /// Something the runtime would lack and dslim cannot copy for certain,
    /// as written (`$DATA_DIR`, a file a non-root USER or a `chown` owns,
    /// the accounts `useradd` adds to /etc/passwd).
    Unsure(String),
}

/// Folders whose content no runtime needs: caches, logs, temporary files,
/// the toolchains of the builder images.
const SCRATCH_DIRS: &[&str] = &[
    "/dev",
    "/proc",
    "/sys",
    "/tmp",
    "/var/tmp",
    "/var/cache",
    "/var/lib/apt",
    "/var/lib/dpkg",
    "/var/log",
    "/root/.cache",
    "/root/.npm",
    "/go",
    "/root/go",
    "/usr/local/cargo",
    "/root/.cargo",
];

fn under(p: &str, dir: &str) -> bool {
    let d = dir.trim_end_matches('/');
    p == d || p.starts_with(&format!("{d}/"))
}

/// Files and folders the stage's RUNs make (`mkdir`, `touch`, `tee`, a `>`
/// redirection, `useradd`/`groupadd`…) outside `keep` (the app or build
/// folder, the paths the runtime copies, and their parents), in order.
/// A RUN dslim cannot read, or a heredoc, makes nothing it knows of.
pub(in crate::transforms::multi_stage) fn setup_writes(
    f: &StageFacts,
    keep: &[String],
) -> Vec<Written> {
    let mut out: Vec<Written> = Vec::new();
    let mut user_set = false;
    let mut chowned: Vec<String> = Vec::new();
    for ins in f.instrs() {
        if ins.keyword == Keyword::User {
            let u = ins.args_text().trim();
            user_set = !(u == "root" || u == "0" || u.starts_with("root:") || u.starts_with("0:"));
            continue;
        }
        if ins.keyword != Keyword::Run {
            continue;
        }
        let at = f.index(ins);
        let mut run = RunWrites {
            cwd: f.cwd_at(at),
            paths: Vec::new(),
        };
        let Some(script) = f.model.script(at) else {
            continue;
        };
        for c in &script.commands {
            match c.name() {
                Some("mkdir" | "touch" | "tee") => run.add_operands(c),
                Some("cp" | "mv" | "ln" | "chmod") => match placed(c, run.cwd.as_deref()) {
                    Ok(ps) => {
                        for p in ps {
                            run.add(&p, Some(&p));
                        }
                    }
                    Err(raw) => run.add(&raw, None),
                },
                Some("chown") => chowned.extend(chown_targets(c, run.cwd.as_deref())),
                Some(
                    n @ ("useradd" | "adduser" | "groupadd" | "addgroup" | "usermod" | "groupmod"),
                ) => push_new(
                    &mut out,
                    Written::Unsure(format!(
                        "the account `{n}` adds (/etc/passwd, /etc/group, /etc/shadow)"
                    )),
                ),
                _ => {}
            }
        }
        for (raw, lit) in redirections(ins.args_text()) {
            run.add(&raw, lit.as_deref());
        }
        for (p, raw) in run.paths {
            if let Some(w) = written(p, &raw, keep, user_set) {
                push_new(&mut out, w);
            }
        }
    }
    drop_contained(mark_chowned(out, &chowned))
}

fn push_new(out: &mut Vec<Written>, w: Written) {
    if !out.contains(&w) {
        out.push(w);
    }
}

/// What one RUN writes: each path (`None`: not literal, a glob, or
/// relative to an unknown folder) with the word as written.
struct RunWrites {
    /// The folder the RUN runs in.
    cwd: Option<String>,
    paths: Vec<(Option<String>, String)>,
}

impl RunWrites {
    /// A word `raw` (its literal value `literal`) naming a path written.
    fn add(&mut self, raw: &str, literal: Option<&str>) {
        let p = literal.and_then(|l| {
            if l.contains(['*', '?', '[']) {
                None
            } else if l.starts_with('/') {
                Some(super::super::join("/", l))
            } else {
                self.cwd.as_deref().map(|c| super::super::join(c, l))
            }
        });
        self.paths.push((p, raw.to_string()));
    }

    /// The operands of a `mkdir`, `touch` or `tee` (not a `-m MODE`).
    fn add_operands(&mut self, c: &SimpleCommand) {
        let mut skip = false;
        for a in &c.words[1..] {
            if skip {
                skip = false;
                continue;
            }
            match a.literal.as_deref() {
                Some("-m" | "--mode") => skip = true,
                Some(l) if l.starts_with('-') => {}
                l => self.add(&a.raw, l),
            }
        }
    }
}

/// The literal paths a `chown` `c` gives to another owner (relative ones
/// resolved against `cwd` when known).
fn chown_targets(c: &SimpleCommand, cwd: Option<&str>) -> Vec<String> {
    c.words[1..]
        .iter()
        .skip(1)
        .filter_map(|a| a.literal.as_deref())
        .filter(|l| !l.starts_with('-'))
        .map(|l| match cwd {
            Some(c) => super::super::join(c, l),
            None => l.to_string(),
        })
        .collect()
}

/// What the runtime makes of the path `p` (as written `raw`) a setup RUN
/// wrote: nothing when it is in a scratch folder or overlaps `keep`; else
/// a path to copy, unless a non-root USER (`user_set`) owns it or it is
/// not literal.
fn written(p: Option<String>, raw: &str, keep: &[String], user_set: bool) -> Option<Written> {
    Some(match p {
        Some(p) if SCRATCH_DIRS.iter().any(|d| under(&p, d)) => return None,
        Some(p) if keep.iter().any(|k| under(&p, k) || under(k, &p)) => return None,
        Some(p) if user_set => Written::Unsure(format!("`{p}` (a non-root USER owns it)")),
        Some(p) => Written::Path(p),
        None => Written::Unsure(format!("`{raw}`")),
    })
}

/// A path a `chown` gave to another user (`chowned`): the copy would be
/// root's.
fn mark_chowned(out: Vec<Written>, chowned: &[String]) -> Vec<Written> {
    out.into_iter()
        .map(|w| match w {
            Written::Path(p) if chowned.iter().any(|c| under(&p, c) || under(c, &p)) => {
                Written::Unsure(format!("`{p}` (a `chown` changed its owner)"))
            }
            w => w,
        })
        .collect()
}

/// A path inside another one that is copied goes along with it.
fn drop_contained(out: Vec<Written>) -> Vec<Written> {
    let dirs: Vec<String> = out
        .iter()
        .filter_map(|w| match w {
            Written::Path(p) => Some(p.clone()),
            Written::Unsure(_) => None,
        })
        .collect();
    out.into_iter()
        .filter(|w| match w {
            Written::Path(p) => !dirs.iter().any(|d| d != p && under(p, d)),
            Written::Unsure(_) => true,
        })
        .collect()
}

/// Folders every Debian and Alpine image has: a copy or link into one
/// (`cp app.conf /etc`) writes a file inside it, and a `chmod` of one
/// itself is no file dslim copies.
pub(in crate::transforms::multi_stage) const SYSTEM_DIRS: &[&str] = &[
    "/",
    "/bin",
    "/etc",
    "/home",
    "/lib",
    "/opt",
    "/root",
    "/sbin",
    "/srv",
    "/usr",
    "/usr/bin",
    "/usr/lib",
    "/usr/local",
    "/usr/local/bin",
    "/usr/local/lib",
    "/usr/local/sbin",
    "/usr/local/share",
    "/usr/sbin",
    "/usr/share",
    "/var",
    "/var/lib",
    "/var/run",
    "/run",
];

/// The paths a `cp`, `mv`, `ln` or `chmod` writes (the copies, moves and
/// links it makes; the files whose mode it changes), resolved against
/// `cwd`: a destination with a trailing `/`, several sources or a folder
/// of [`SYSTEM_DIRS`] gets each source's name in it. `Err`: a word as
/// written that dslim cannot resolve (variables, a glob, `-t`, a relative
/// path in an unknown folder, a `chmod` of a system folder).
pub(in crate::transforms::multi_stage) fn placed(
    c: &SimpleCommand,
    cwd: Option<&str>,
) -> Result<Vec<String>, String> {
    let name = c.name().unwrap_or("");
    let resolve = |raw: &str, lit: Option<&str>| -> Result<String, String> {
        match lit {
            Some(l) if l.contains(['*', '?', '[']) => Err(raw.to_string()),
            Some(l) if l.starts_with('/') => Ok(super::super::join("/", l)),
            Some(l) => cwd
                .map(|d| super::super::join(d, l))
                .ok_or_else(|| raw.to_string()),
            None => Err(raw.to_string()),
        }
    };
    let mut args: Vec<(&str, Option<&str>)> = Vec::new();
    for w in &c.words[1..] {
        match w.literal.as_deref() {
            Some("-t" | "--target-directory" | "-T") => return Err(w.raw.to_string()),
            Some(l) if l.starts_with("--target-directory=") || l.starts_with("--reference") => {
                return Err(w.raw.to_string())
            }
            // A chmod mode `-x` / `-w` is no flag.
            Some(l)
                if l.starts_with('-')
                    && !(name == "chmod" && l[1..].starts_with(['r', 'w', 'x', 'X', 's', 't'])) => {
            }
            l => args.push((w.raw.as_str(), l)),
        }
    }
    if name == "chmod" {
        let Some((_, targets)) = args.split_first() else {
            return Ok(Vec::new());
        };
        return targets
            .iter()
            .map(|(raw, lit)| {
                let p = resolve(raw, *lit)?;
                if SYSTEM_DIRS.contains(&p.trim_end_matches('/')) {
                    Err(raw.to_string())
                } else {
                    Ok(p)
                }
            })
            .collect();
    }
    let [srcs @ .., (draw, dlit)] = &args[..] else {
        return Ok(Vec::new());
    };
    if srcs.is_empty() {
        // `ln -s TARGET`: a link in the current folder.
        return Err(draw.to_string());
    }
    let dest = resolve(draw, *dlit)?;
    let into =
        dest.ends_with('/') || srcs.len() > 1 || SYSTEM_DIRS.contains(&dest.trim_end_matches('/'));
    if !into {
        return Ok(vec![dest]);
    }
    srcs.iter()
        .map(|(raw, lit)| {
            let n = lit
                .map(|l| l.trim_end_matches('/'))
                .and_then(|l| l.rsplit('/').next())
                .filter(|n| {
                    !n.is_empty() && !n.contains(['*', '?', '[']) && *n != "." && *n != ".."
                })
                .ok_or_else(|| raw.to_string())?;
            Ok(super::super::join(dest.trim_end_matches('/'), n))
        })
        .collect()
}

/// Whether a shell text redirects output into a file (not `/dev/…`, not
/// `>&N`).
pub(in crate::transforms::multi_stage) fn writes_files(text: &str) -> bool {
    redirections(text)
        .iter()
        .any(|(raw, _)| !raw.starts_with("/dev/"))
}

/// The targets of the output redirections (`>`, `>>`, `>|`, `2>`) of a
/// shell text outside quotes: (as written, literal value). `>&N` and
/// `/dev/…` are skipped.
fn redirections(text: &str) -> Vec<(String, Option<String>)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let (mut single, mut double) = (false, false);
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\\' if !single => i += 1,
            b'\'' if !double => single = !single,
            b'"' if !single => double = !double,
            b'>' if !single && !double => {
                let mut j = i + 1;
                if j < b.len() && (b[j] == b'>' || b[j] == b'|') {
                    j += 1;
                }
                if j < b.len() && b[j] == b'&' {
                    i = j + 1;
                    continue;
                }
                while j < b.len() && (b[j] == b' ' || b[j] == b'\t') {
                    j += 1;
                }
                let start = j;
                let (mut sq, mut dq) = (false, false);
                while j < b.len() {
                    let d = b[j];
                    if !sq && !dq && (d.is_ascii_whitespace() || b";|&()<>".contains(&d)) {
                        break;
                    }
                    match d {
                        b'\'' if !dq => sq = !sq,
                        b'"' if !sq => dq = !dq,
                        _ => {}
                    }
                    j += 1;
                }
                let raw = &text[start..j];
                if !raw.is_empty() {
                    let unq = raw.replace(['"', '\''], "");
                    let literal = (!raw.contains(['$', '`', '\\'])).then_some(unq);
                    out.push((raw.to_string(), literal));
                }
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// A COPY or ADD the runtime of a binary split makes again.
pub(in crate::transforms::multi_stage) struct ContextCopy {
    /// The instruction as written.
    pub line: String,
    /// The files it writes.
    pub files: Vec<String>,
    /// Why it cannot be made again for certain, as shown.
    pub unsure: Option<String>,
}

/// What a COPY or ADD from the build context put outside the app and
/// build folders (`COPY app.conf /etc/app/`): a binary split loses it, so
/// the runtime copies it from the context again, the instruction as
/// written. Not carried: a copy into `keep`, a folder a
/// RUN works in (`WORKDIR`, `cd DIR`: the sources the build reads), a
/// scratch folder, or of the whole context (`COPY . /src`: the sources).
/// A file a later RUN names is a build input when that RUN builds (a
/// command of `[build-tools]`: `gcc … /src/app.c`), not carried; named by
/// another RUN it may be changed after the copy.
/// `unsure` names what cannot be carried for certain: a destination with
/// variables, a named `--chown` (the runtime may lack the account), an
/// `ADD` of a URL or a heredoc, a file a later RUN other than a build names.
pub(in crate::transforms::multi_stage) fn context_copies(
    f: &StageFacts,
    keep: &[String],
    tools: &crate::data::BuildTools,
) -> Vec<ContextCopy> {
    let work = work_dirs(f);
    let mut out = Vec::new();
    for ins in f.instrs() {
        if !matches!(ins.keyword, Keyword::Copy | Keyword::Add) {
            continue;
        }
        let Some((srcs, dst)) = ins.copy_parts() else {
            continue;
        };
        if srcs.iter().any(|s| matches!(s.as_str(), "." | "./")) {
            continue;
        }
        let at = f.index(ins);
        let target = if dst.starts_with('/') {
            Some(super::super::join("/", dst))
        } else {
            f.cwd_at(at).map(|w| super::super::join(&w, dst))
        };
        let Some(target) = target.filter(|_| !dst.contains('$')) else {
            if dst.starts_with('/') || dst.contains('$') {
                out.push(ContextCopy {
                    line: String::new(),
                    files: Vec::new(),
                    unsure: Some(format!(
                        "{} (its destination is not literal)",
                        shown(f, ins)
                    )),
                });
            }
            continue;
        };
        let files = copied_files(srcs, dst, &target);
        if files.iter().any(|p| stays_behind(p, keep, &work)) {
            continue;
        }
        let naming = f
            .runs()
            .find(|r| f.index(r) > at && files.iter().any(|p| r.args_text().contains(p.as_str())));
        if naming.is_some_and(|r| {
            super::super::super::base_images::compiles(&[r.args_text()], tools).is_some()
        }) {
            continue;
        }
        out.push(ContextCopy {
            line: f.doc.text(ins.span.clone()).trim_end().to_string(),
            files,
            unsure: unsure_copy(ins, srcs, naming.is_some())
                .map(|w| format!("{} ({w})", shown(f, ins))),
        });
    }
    out
}

/// The folders the stage's RUNs work in (their WORKDIR, `cd DIR`), not `/`:
/// the sources the build reads.
fn work_dirs(f: &StageFacts) -> Vec<String> {
    let mut work: Vec<String> = Vec::new();
    for ins in f.runs() {
        let at = f.index(ins);
        let cwd = f.cwd_at(at);
        work.extend(cwd.iter().filter(|c| *c != "/").cloned());
        let Some(script) = f.model.script(at) else {
            continue;
        };
        for c in script.commands.iter().filter(|c| c.name() == Some("cd")) {
            if let Some(d) = c.words.get(1).and_then(|w| w.literal.as_deref()) {
                let d = match &cwd {
                    _ if d.starts_with('/') => super::super::join("/", d),
                    Some(w) => super::super::join(w, d),
                    None => continue,
                };
                if d != "/" {
                    work.push(d.trim_end_matches('/').to_string());
                }
            }
        }
    }
    work
}

/// The instruction's first line as shown in a note.
fn shown(f: &StageFacts, ins: &crate::syntax::Instruction) -> String {
    let t = f.doc.text(ins.span.clone()).trim();
    format!("`{}`", t.lines().next().unwrap_or(t))
}

/// The files a COPY of `srcs` to `dst` (resolved: `target`) writes: into a
/// folder (`DEST/`, several sources) each source's name there (a glob: the
/// folder).
fn copied_files(srcs: &[String], dst: &str, target: &str) -> Vec<String> {
    let t = target.trim_end_matches('/');
    let t = if t.is_empty() { "/" } else { t };
    if dst.ends_with('/') || srcs.len() > 1 {
        srcs.iter()
            .map(|s| match s.trim_end_matches('/').rsplit('/').next() {
                Some(n) if !n.is_empty() && !n.contains(['*', '?', '[']) => {
                    super::super::join(t, n)
                }
                _ => t.to_string(),
            })
            .collect()
    } else {
        vec![t.to_string()]
    }
}

/// Whether a copied file `p` stays in the builder: `/`, a scratch folder,
/// inside `keep`, or overlapping a folder a RUN works in (`work`).
fn stays_behind(p: &str, keep: &[String], work: &[String]) -> bool {
    p == "/"
        || SCRATCH_DIRS.iter().any(|d| under(p, d))
        || keep.iter().any(|k| under(p, k))
        || work.iter().any(|w| under(p, w) || under(w, p))
}

/// Why the COPY or ADD `ins` of `srcs` cannot be made again for certain
/// (`later_names`: a later RUN other than a build names what it wrote).
fn unsure_copy(
    ins: &crate::syntax::Instruction,
    srcs: &[String],
    later_names: bool,
) -> Option<&'static str> {
    let named_chown = ins.flag("chown").and_then(|c| c.value()).is_some_and(|v| {
        !v.split(':')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    });
    if named_chown {
        Some("a named `--chown` the runtime may lack")
    } else if !ins.heredocs().is_empty() {
        Some("a heredoc")
    } else if ins.keyword == Keyword::Add && srcs.iter().any(|s| s.contains("://")) {
        Some("a download")
    } else if later_names {
        Some("a later RUN names it")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirection_targets() {
        let r = redirections(
            "echo 'a > b' > /etc/app.conf && printf x >>\"/etc/x y\" 2>/dev/null; cat a 2>&1 >$F",
        );
        let lits: Vec<Option<&str>> = r.iter().map(|(_, l)| l.as_deref()).collect();
        assert_eq!(
            lits,
            vec![
                Some("/etc/app.conf"),
                Some("/etc/x y"),
                Some("/dev/null"),
                None
            ]
        );
        assert_eq!(r[3].0, "$F");
    }
}
