//! Python: the pip installs go into a venv in the builder (with its
//! compilers and `-dev` packages), which the `-slim` image gets at the same
//! path, with the runtime libraries of those `-dev` packages installed.
//!
//! Applied (unsafe) when every RUN is one dslim can account for: pip
//! installs into the venv, apt installs of build tools or mapped `-dev`
//! packages, and file commands inside the app folder (the WORKDIR, which
//! the runtime copies). Anything else keeps the proposal display-only and
//! names what blocked it.

use crate::buildctx::Info;
use crate::data::{BaseImage, Stages};
use crate::shell::SimpleCommand;
use crate::syntax::Keyword;

use super::super::images::{is_variant, slim_tag, TagPlan};
use super::facts::{alpine_runtime, alpine_runtime_packages, started_programs, AptFacts};
use super::{join, words, Facts, Split};

/// What a command of a RUN is, for the split.
pub(super) enum Cmd {
    /// `pip install …` (or `python -m pip install …`); `bin` is the folder
    /// of a pip called by its path.
    PipInstall {
        bin: Option<String>,
        args: Vec<String>,
    },
    /// `python -m venv PATH` or `virtualenv PATH`.
    Venv { path: String, system: bool },
    /// Changes nothing the runtime needs, or only inside `paths`.
    Files(Vec<String>),
    /// `cd DIR`.
    Cd(String),
    /// Anything else: named in the blocker.
    Other(String),
}

/// What a `cd`, a file command or any other command of a RUN means for a
/// split that copies only the app folder `wd` (and the scratch folders):
/// `cd` moves `cwd`; a file command outside them, a redirection into a
/// file, or any other command is a blocker. Shared by the venv and the
/// PyInstaller recipes (`PipInstall` and `Venv` are theirs to read).
pub(super) fn file_command(
    cmd: Cmd,
    c: &SimpleCommand,
    text: &str,
    cwd: &mut Option<String>,
    wd: Option<&str>,
    block: &mut impl FnMut(String),
) {
    match cmd {
        Cmd::PipInstall { .. } | Cmd::Venv { .. } => {}
        Cmd::Cd(d) => {
            if !c.isolated {
                *cwd = cwd.take().map(|w| join(&w, &d)).filter(|_| d != "\u{0}");
            }
        }
        Cmd::Files(paths) => {
            for p in paths {
                let at = cwd.as_deref().filter(|_| p != "\u{0}").map(|d| join(d, &p));
                let ok = at.as_deref().is_some_and(|at| {
                    SCRATCH.iter().any(|s| inside(at, s)) || wd.is_some_and(|w| inside(at, w))
                });
                if !ok {
                    block(format!(
                        "`{}` in a RUN may change files outside the app folder, which the \
                         runtime does not get",
                        text.trim()
                    ));
                    break;
                }
            }
            if text.contains('>') && !text.contains("/dev/null") {
                block(format!(
                    "`{}` in a RUN writes a file dslim does not follow",
                    text.trim()
                ));
            }
        }
        Cmd::Other(what) => block(format!(
            "`{what}` in a RUN may change files outside the app folder, which the runtime does \
             not get"
        )),
    }
}

pub(super) fn is_python(name: &str) -> bool {
    let n = name.rsplit('/').next().unwrap_or(name);
    n == "python"
        || n.strip_prefix("python3")
            .is_some_and(|v| v.is_empty() || v.strip_prefix('.').is_some_and(is_digits))
}

fn is_pip(name: &str) -> bool {
    let n = name.rsplit('/').next().unwrap_or(name);
    n == "pip"
        || n.strip_prefix("pip3")
            .is_some_and(|v| v.is_empty() || v.strip_prefix('.').is_some_and(is_digits))
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// The folder of a command given by its path (`/opt/venv/bin/pip` →
/// `/opt/venv/bin`), `None` for a bare name.
fn bin_dir(name: &str) -> Option<String> {
    name.rsplit_once('/').map(|(d, _)| d.to_string())
}

/// Paths under which a RUN may remove files: caches the runtime never had.
pub(super) const SCRATCH: &[&str] = &[
    "/var/lib/apt/lists",
    "/var/cache/apt",
    "/tmp",
    "/root/.cache",
];

pub(super) fn classify(c: &SimpleCommand) -> Cmd {
    let w = words(c);
    let Some(&name) = w.first() else {
        return Cmd::Files(Vec::new()); // a bare assignment
    };
    let other = || Cmd::Other(name.to_string());
    // Path arguments; a glob (`/var/lib/apt/lists/*`) as written.
    let paths = |args: &[&str]| -> Vec<String> {
        args.iter()
            .zip(&c.words[w.len() - args.len()..])
            .filter(|(a, _)| !a.starts_with('-'))
            .map(|(a, word)| match *a {
                "\u{0}" if !word.raw.contains(['$', '`', '"', '\'']) => word.raw.clone(),
                _ => a.to_string(),
            })
            .collect()
    };
    // `pip …` or `python -m pip …`: the words after the program.
    let pip_rest = if is_pip(name) {
        Some((bin_dir(name), &w[1..]))
    } else if is_python(name) && w.get(1) == Some(&"-m") {
        match w.get(2).copied() {
            Some(m) if is_pip(m) => Some((bin_dir(name), &w[3..])),
            // Byte-compiles the folders named (none: all of sys.path).
            Some("compileall") => {
                let p = paths(&w[3..]);
                return if p.is_empty() { other() } else { Cmd::Files(p) };
            }
            Some("venv") => {
                let p = paths(&w[3..]);
                return match p.as_slice() {
                    [path] => Cmd::Venv {
                        path: path.clone(),
                        system: w.contains(&"--system-site-packages"),
                    },
                    _ => other(),
                };
            }
            _ => None,
        }
    } else {
        None
    };
    if let Some((bin, rest)) = pip_rest {
        // Global options may stand before the subcommand.
        let sub = rest.iter().position(|a| !a.starts_with('-'));
        return match sub.map(|i| (rest[i], &rest[i + 1..])) {
            Some(("install", args)) => Cmd::PipInstall {
                bin,
                args: args.iter().map(|a| a.to_string()).collect(),
            },
            Some(("list" | "freeze" | "check" | "show" | "help", _)) => Cmd::Files(Vec::new()),
            None if rest.iter().any(|a| matches!(*a, "--version" | "-V")) => Cmd::Files(Vec::new()),
            _ => Cmd::Other(format!("{name} {}", rest.join(" "))),
        };
    }
    match name {
        "virtualenv" => match paths(&w[1..]).as_slice() {
            [path] => Cmd::Venv {
                path: path.clone(),
                system: w.contains(&"--system-site-packages"),
            },
            _ => other(),
        },
        "apt-get" | "apt" => {
            let sub = w[1..].iter().find(|a| !a.starts_with('-')).copied();
            match sub {
                Some("update" | "install" | "clean" | "autoclean" | "autoremove") => {
                    Cmd::Files(Vec::new())
                }
                _ => other(),
            }
        }
        // (Alpine: what apk installs is read by `apk_facts`.)
        "apk" => match w.get(1).copied() {
            Some("add" | "del" | "update" | "upgrade" | "info") => Cmd::Files(Vec::new()),
            _ => other(),
        },
        "echo" | "true" | ":" | "set" | "export" | "printf" | "ls" | "cat" | "which" | "env" => {
            Cmd::Files(Vec::new())
        }
        "cd" => match w.get(1) {
            Some(d) if !d.starts_with('-') => Cmd::Cd(d.to_string()),
            _ => other(),
        },
        "rm" | "mkdir" | "touch" | "cp" | "mv" | "ln" => Cmd::Files(paths(&w[1..])),
        // The first word after the flags is a mode or an owner.
        "chmod" | "chown" => Cmd::Files(paths(&w[1..]).into_iter().skip(1).collect()),
        _ if is_python(name) && w[1..].iter().all(|a| matches!(*a, "--version" | "-V")) => {
            Cmd::Files(Vec::new())
        }
        _ => other(),
    }
}

/// Whether `p` is `dir` or inside it.
pub(super) fn inside(p: &str, dir: &str) -> bool {
    let p = p.trim_end_matches('/');
    p == dir || p.starts_with(&format!("{dir}/"))
}

/// A pip option that puts packages where the venv copy does not reach, or
/// that the runtime would need the source folder for.
fn pip_blocker(args: &[String]) -> Option<&'static str> {
    for a in args {
        let flag = a.split('=').next().unwrap_or(a);
        let why = match flag {
            "--user" => "`pip install --user` installs into the user's home, not the venv",
            "--prefix" | "--target" | "-t" | "--root" => {
                "`pip install` with `--prefix`, `--target` or `--root` installs outside the venv"
            }
            "-e" | "--editable" => {
                "`pip install -e` links the package to its source folder instead of installing it"
            }
            _ => continue,
        };
        return Some(why);
    }
    None
}

/// `pip install --no-binary …`: pip compiles packages from source.
pub(crate) fn builds_from_source(args: &[String]) -> bool {
    args.iter()
        .any(|a| a == "--no-binary" || a.starts_with("--no-binary="))
}

pub(super) fn python(
    f: &Facts,
    data: &Stages,
    apt: &AptFacts,
    table: Option<&BaseImage>,
    context: Option<&Info>,
) -> Option<Result<Split, String>> {
    split(f, data, apt, table, context, false)
}

/// The same on `alpine` with Alpine's `python3` (`apk add python3
/// python3-dev build-base`, pip installs): the venv is made after the
/// `apk add` of `python3` and copied to `alpine:<the same tag>`, which
/// installs `python3` and the runtime packages of the builder's `apk add`
/// (`[alpine]` in transforms/stages.toml).
pub(super) fn alpine_python(
    f: &Facts,
    data: &Stages,
    apt: &AptFacts,
    context: Option<&Info>,
) -> Option<Result<Split, String>> {
    split(f, data, apt, None, context, true)
}

fn split(
    f: &Facts,
    data: &Stages,
    apt: &AptFacts,
    table: Option<&BaseImage>,
    context: Option<&Info>,
    alpine: bool,
) -> Option<Result<Split, String>> {
    let r = &data.python;
    let img = &f.doc.stages()[0].image;
    let tag = img.tag.as_deref();
    if !alpine
        && (tag.is_some_and(|t| t.contains("slim") || t.contains("alpine"))
            || table.is_some_and(|t| tag.is_some_and(|tag| is_variant(t, tag))))
    {
        return None; // already a small base: DS201 has little to gain
    }
    let mut blockers: Vec<String> = Vec::new();
    let mut block = |why: String| {
        if !blockers.contains(&why) {
            blockers.push(why);
        }
    };
    let wd = f.workdir.clone().filter(|w| w != "/");
    let mut pip_seen = false;
    let mut from_source = false;
    let mut venv: Option<(String, usize)> = None;
    let mut bare_pip_at: Option<usize> = None;
    let mut first_pip_at: Option<usize> = None;
    // What the pip installs name: packages, and requirement files (read
    // from the build context when there is one).
    let mut requirements: Vec<String> = Vec::new();
    let mut unread: Vec<String> = Vec::new();
    for ins in f.runs() {
        let i = f.index(ins);
        let Some(script) = f.model.script(i) else {
            let t = &ins.logical.text;
            if t.contains("pip") {
                pip_seen = true;
            }
            block("a RUN that dslim cannot read (exec form, heredoc or shell syntax it does not parse)".into());
            continue;
        };
        let mut cwd = f.cwd_at(i);
        for c in &script.commands {
            let text = &ins.args_text()[c.span.clone()];
            match classify(c) {
                Cmd::PipInstall { bin, args } => {
                    pip_seen = true;
                    first_pip_at.get_or_insert(i);
                    if let Some(why) = pip_blocker(&args) {
                        block(why.into());
                    }
                    from_source |= builds_from_source(&args);
                    let (pkgs, files) = pip_names(&args);
                    requirements.extend(pkgs);
                    for file in files {
                        let text = context.and_then(|c| {
                            let rel = file.trim_start_matches("./");
                            c.requirements(rel)
                                .or_else(|| c.requirements(rel.rsplit('/').next().unwrap_or(rel)))
                        });
                        match text {
                            Some(t) => requirements.extend(t.lines().filter_map(requirement_name)),
                            None => unread.push(file),
                        }
                    }
                    match bin {
                        None => {
                            bare_pip_at.get_or_insert(i);
                        }
                        Some(b) => {
                            let in_venv = venv.as_ref().is_some_and(|(v, _)| {
                                cwd.as_deref().map(|d| join(d, &b)) == Some(format!("{v}/bin"))
                            });
                            if !in_venv {
                                block(format!(
                                    "`{}` calls pip by its path, which bypasses the venv",
                                    words(c)[0]
                                ));
                            }
                        }
                    }
                }
                Cmd::Venv { path, system } => {
                    if system {
                        block(
                            "a venv with `--system-site-packages` needs the full image's packages"
                                .into(),
                        );
                    }
                    match cwd.as_deref() {
                        Some(d) if path != "\u{0}" && venv.is_none() => {
                            venv = Some((join(d, &path), i))
                        }
                        _ => block("a second venv, or one at a path dslim cannot read".into()),
                    }
                }
                other => file_command(other, c, text, &mut cwd, wd.as_deref(), &mut block),
            }
        }
    }
    if !pip_seen {
        return None;
    }
    // No WORKDIR: a build that only installs packages (no COPY but of
    // the files pip reads) has no app folder, and its runtime gets only
    // the venv; one that copies app files has an unknown app folder.
    if wd.is_none() && !only_build_inputs(f, r) {
        return Some(Err(
            "no WORKDIR: the app folder is unknown (a COPY puts files other than the ones pip \
             reads into the image)"
                .into(),
        ));
    }
    if img.digest.is_some() {
        return Some(Err(format!(
            "`{}` is pinned by digest; its slim variant has another digest",
            img.text
        )));
    }
    let runtime_tag = match tag {
        _ if alpine => String::new(),
        None | Some("latest") => r.runtime_suffix.trim_start_matches('-').to_string(),
        Some(t) => match table.map(|tb| slim_tag(tb, t)) {
            Some(TagPlan::Swap(s)) => s,
            Some(TagPlan::Leave) => return None,
            None => format!("{t}{}", r.runtime_suffix),
        },
    };
    // The venv: the stage's own, or one dslim adds right after FROM.
    let (venv_path, own) = match &venv {
        Some((v, _)) => (v.clone(), true),
        None => (r.venv.clone(), false),
    };
    // Alpine: the venv dslim adds is made right before the first RUN with
    // pip, which must come after the RUN whose `apk add` installs python3.
    let mut venv_at = None;
    if alpine && !own {
        let first_pip = bare_pip_at.or(first_pip_at);
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
            (Some(p), Some(q)) if p < q => venv_at = Some(q),
            (Some(_), Some(q)) => {
                venv_at = Some(q);
                block(
                "`apk add python3` and pip run in the same RUN: the venv would have to be made \
                 between them"
                        .into(),
                )
            }
            _ => block(
                "no `apk add python3` before the pip install: the venv's Python is unknown".into(),
            ),
        }
    }
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
    if let (Some((_, made)), Some(bare)) = (&venv, bare_pip_at) {
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
    // Apt: build tools stay behind, `-dev` packages become their runtime
    // libraries, anything else blocks.
    let mut runtime_packages: Vec<String> = Vec::new();
    if apt.opaque {
        block("an apt install dslim cannot read".into());
    }
    for p in &apt.packages {
        if let Some(lib) = data.builder.runtime_libraries.get(p) {
            if !lib.is_empty() && !runtime_packages.contains(lib) {
                runtime_packages.push(lib.clone());
            }
        } else if !data.builder.only_builds(p) {
            block(format!(
                "apt installs `{p}`, which the program may use at run time and which has no \
                 runtime package in `[builder.runtime-libraries]` of transforms/stages.toml"
            ));
        }
    }
    // Alpine: python3, what apk installed for the program, and the runtime
    // libraries of the `-dev` packages native modules were built against.
    let alpine_image = if alpine {
        match alpine_runtime(img) {
            Some((i, _)) => Some(i),
            None => return Some(Err("the builder's Alpine release is unknown".into())),
        }
    } else {
        None
    };
    if let Some(image) = &alpine_image {
        if apt.apk_opaque {
            block("an `apk add` dslim cannot read".into());
        }
        if let Some(py) = data.alpine.interpreters.get("python") {
            runtime_packages.push(py.clone());
        }
        let programs = started_programs(f);
        let programs: Vec<&str> = programs.iter().map(String::as_str).collect();
        match alpine_runtime_packages(apt, data, image, &programs, true, &[]) {
            Ok(p) => {
                for p in p {
                    if !runtime_packages.contains(&p) {
                        runtime_packages.push(p);
                    }
                }
            }
            Err(e) => block(e),
        }
    }
    // Packages PyPI has no Linux wheels of: pip compiles them against the
    // full image's headers, and the runtime needs the library (on Alpine
    // the `-dev` packages apk installs say which).
    let mut source_builds: Vec<String> = Vec::new();
    for name in requirements.iter().filter(|_| !alpine) {
        if let Some(lib) = r.source_builds.get(name) {
            if !source_builds.contains(name) {
                source_builds.push(name.clone());
            }
            if !runtime_packages.contains(lib) {
                runtime_packages.push(lib.clone());
            }
        }
    }
    let dev_installed = apt
        .packages
        .iter()
        .chain(&apt.apk)
        .any(|p| p.ends_with("-dev"));
    if from_source && !dev_installed {
        block(
            "`pip install --no-binary` compiles against libraries of the full image, and no \
             `-dev` package installed by apt says which the runtime needs"
                .into(),
        );
    }
    // Files: COPY/ADD into the app folder, or build inputs pip reads.
    let mut chown: Option<String> = None;
    for ins in f.instrs() {
        if !matches!(ins.keyword, Keyword::Copy | Keyword::Add) {
            continue;
        }
        let Some((srcs, dst)) = ins.copy_parts() else {
            block(format!("a `{}` dslim cannot read", ins.keyword_text()));
            continue;
        };
        let at = f.index(ins);
        let target = match f.cwd_at(at) {
            Some(w) => join(&w, dst),
            None if dst.starts_with('/') => dst.to_string(),
            None => {
                block("a COPY into an unknown folder".into());
                continue;
            }
        };
        let build_input = srcs.iter().all(|s| {
            let base = s.rsplit('/').next().unwrap_or(s);
            r.build_inputs.iter().any(|g| glob(g, base))
        });
        if let Some(wd) = wd
            .as_deref()
            .filter(|wd| !inside(&target, wd) && !build_input)
        {
            block(format!(
                "`{}` copies outside the app folder {wd}",
                ins.keyword_text()
            ));
        }
        if let Some(c) = ins.flag("chown") {
            if chown.as_ref().is_some_and(|x| x != &c.text) {
                block("COPY instructions with different --chown".into());
            }
            chown = Some(c.text.clone());
        }
    }
    // A USER after the last RUN changes nothing the build made (root owns
    // it all, as the runtime's copies); one before a RUN runs it as that
    // user, against a venv root made.
    let last_run = f.runs().last().map(|i| f.index(i)).unwrap_or(0);
    if let Some(u) = f.instrs().iter().find(|i| {
        i.keyword == Keyword::User
            && f.index(i) < last_run
            && !matches!(i.args_text().trim(), "root" | "0" | "root:root" | "0:0")
    }) {
        block(format!(
            "a RUN after `{}` runs as that user, and the venv is made as root",
            f.doc.text(u.span.clone()).trim()
        ));
    }
    // pip put the full image's scripts in /usr/local/bin; the split has
    // them in the venv.
    if let Some(i) = f.last(Keyword::Entrypoint).or_else(|| f.last(Keyword::Cmd)) {
        let prog = if i.is_exec_form() {
            i.values().first().cloned()
        } else {
            i.args_text().split_whitespace().next().map(str::to_string)
        };
        if let Some(p) = prog.filter(|p| {
            ["/usr/local/bin/", "/usr/bin/"]
                .iter()
                .any(|d| p.starts_with(d))
                && !is_python(p)
        }) {
            block(format!(
                "the {} runs `{p}`, where the full image has pip's scripts; in the split \
                 they are in the venv",
                i.keyword_text()
            ));
        }
    }
    if let Some(h) = f.last(Keyword::Healthcheck) {
        let toks: Vec<&str> = h.args_text().split_whitespace().collect();
        let prog = toks
            .iter()
            .skip_while(|t| t.starts_with("--"))
            .skip_while(|t| matches!(**t, "CMD" | "CMD-SHELL"))
            .map(|t| t.trim_matches(|c| "[\",".contains(c)))
            .find(|t| !t.is_empty());
        let fine = toks.first() == Some(&"NONE") || prog.is_some_and(is_python);
        if !fine {
            block(format!(
                "the HEALTHCHECK runs `{}`, which the slim image may lack",
                prog.unwrap_or("a command")
            ));
        }
    }
    let name = match &img.registry {
        Some(reg) => format!("{reg}/{}", img.name),
        None => img.name.clone(),
    };
    let path_env = format!("ENV PATH=\"{venv_path}/bin:$PATH\"");
    let mut runtime_head = Vec::new();
    if alpine {
        runtime_head.push(format!(
            "RUN apk add --no-cache {}",
            runtime_packages.join(" ")
        ));
    } else if !runtime_packages.is_empty() {
        runtime_head.push(format!(
            "RUN {}",
            r.runtime_apt
                .replace("{packages}", &runtime_packages.join(" "))
        ));
    }
    if !wd.as_deref().is_some_and(|wd| inside(&venv_path, wd)) {
        runtime_head.push(format!("COPY --from={{build}} {venv_path} {venv_path}"));
    }
    if !own {
        runtime_head.push(path_env.clone());
    }
    let flag = chown.map(|c| format!(" {c}")).unwrap_or_default();
    if let Some(wd) = &wd {
        runtime_head.push(format!("COPY --from={{build}}{flag} {wd} {wd}"));
    }
    let python = if alpine { "python3" } else { "python" };
    let builder_head = if own {
        Vec::new()
    } else {
        vec![format!("RUN {python} -m venv {venv_path}"), path_env]
    };
    let mut note = format!(" (dependencies in the venv {venv_path}, copied to the slim image");
    if alpine {
        note = format!(
            " (dependencies in the venv {venv_path}, copied to the builder's Alpine release with \
             `apk add --no-cache {}`",
            runtime_packages.join(" ")
        );
    } else if !runtime_packages.is_empty() {
        note.push_str(&format!(
            ", with the runtime libraries `{}` of the builder's `-dev` packages",
            runtime_packages.join("`, `")
        ));
    }
    if !source_builds.is_empty() {
        note.push_str(&format!(
            "; `{}` builds from source (no Linux wheels on PyPI)",
            source_builds.join("`, `")
        ));
    }
    if !unread.is_empty() && !alpine {
        note.push_str(&format!(
            "; `{}` was not read (no build context): a package it lists that builds from \
             source against the full image's libraries (`psycopg2` → `libpq5`) needs that \
             library in the runtime too",
            unread.join("`, `")
        ));
    }
    if wd.is_none() {
        note.push_str(
            "; no WORKDIR and no app files: the build installs packages only, so the runtime gets \
             the venv alone",
        );
    }
    note.push(')');
    if alpine {
        note.push_str(super::NOT_BUILT_ALPINE);
    }
    let applicability = super::applicability(&blockers, &mut note);
    Some(Ok(Split {
        lang: "Python",
        runtime_image: alpine_image.unwrap_or_else(|| format!("{name}:{runtime_tag}")),
        builder_head,
        builder_head_at: venv_at,
        builder_tail: Vec::new(),
        runtime_head,
        runtime_tail: Vec::new(),
        applicability,
        note,
    }))
}

/// Whether every COPY/ADD of the stage copies only files pip reads
/// (`requirements*.txt`: `[python] build-inputs`), or there is none.
fn only_build_inputs(f: &Facts, r: &crate::data::PythonRecipe) -> bool {
    f.instrs()
        .iter()
        .filter(|i| matches!(i.keyword, Keyword::Copy | Keyword::Add))
        .all(|ins| {
            ins.copy_parts().is_some_and(|(srcs, _)| {
                !srcs.is_empty()
                    && srcs.iter().all(|s| {
                        let base = s.rsplit('/').next().unwrap_or(s);
                        r.build_inputs.iter().any(|g| glob(g, base))
                    })
            })
        })
}

/// pip options that take a value (the next word, unless written `--x=v`).
const PIP_VALUE_OPTIONS: &[&str] = &[
    "-r",
    "--requirement",
    "-c",
    "--constraint",
    "-i",
    "--index-url",
    "--extra-index-url",
    "-f",
    "--find-links",
    "--no-binary",
    "--only-binary",
    "--trusted-host",
    "-t",
    "--target",
    "--prefix",
    "--root",
    "--platform",
    "--python-version",
    "--implementation",
    "--abi",
    "--progress-bar",
    "--global-option",
    "--config-settings",
    "-C",
    "--src",
    "--upgrade-strategy",
    "--cache-dir",
    "--log",
    "--proxy",
    "--timeout",
    "--retries",
    "--cert",
    "--client-cert",
    "--exists-action",
];

/// The package names a `pip install` names (lower case, `_` as `-`) and the
/// requirement files it reads (`-r FILE`).
fn pip_names(args: &[String]) -> (Vec<String>, Vec<String>) {
    let (mut pkgs, mut files) = (Vec::new(), Vec::new());
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if let Some(f) = a.strip_prefix("--requirement=").or_else(|| {
            a.strip_prefix("-r")
                .filter(|f| !f.is_empty() && !f.starts_with('='))
        }) {
            files.push(f.to_string());
        } else if a == "-r" || a == "--requirement" {
            files.extend(it.next().cloned());
        } else if PIP_VALUE_OPTIONS.contains(&a.as_str()) {
            it.next();
        } else if !a.starts_with('-') {
            pkgs.extend(requirement_name(a));
        }
    }
    files.retain(|f| f != "\u{0}");
    (pkgs, files)
}

/// The project name of a requirement line or argument (`psycopg2==2.9`,
/// `Django[argon2]>=4`), normalised; `None` for comments, options, paths
/// and URLs.
fn requirement_name(line: &str) -> Option<String> {
    let line = line.split('#').next()?.trim();
    if line.is_empty() || line.starts_with(['-', '.', '/']) || line.contains("://") {
        return None;
    }
    let end = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c)))
        .unwrap_or(line.len());
    let name = &line[..end];
    (!name.is_empty()).then(|| name.to_ascii_lowercase().replace('_', "-"))
}

/// `*` matches any text.
fn glob(pattern: &str, s: &str) -> bool {
    match pattern.split_once('*') {
        Some((head, tail)) => {
            s.len() >= head.len() + tail.len() && s.starts_with(head) && s.ends_with(tail)
        }
        None => pattern == s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_and_pip_names() {
        for n in ["python", "python3", "python3.11", "/usr/local/bin/python3"] {
            assert!(is_python(n), "{n}");
        }
        for n in ["python2", "pythonx", "python3.", "py"] {
            assert!(!is_python(n), "{n}");
        }
        for n in ["pip", "pip3", "pip3.12", "/opt/venv/bin/pip"] {
            assert!(is_pip(n), "{n}");
        }
        for n in ["pipx", "pip2", "pipenv"] {
            assert!(!is_pip(n), "{n}");
        }
    }

    #[test]
    fn pip_options_that_leave_the_venv() {
        let a = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        assert!(pip_blocker(&a("--user flask")).is_some());
        assert!(pip_blocker(&a("--prefix=/install .")).is_some());
        assert!(pip_blocker(&a("-t /deps x")).is_some());
        assert!(pip_blocker(&a("-e .")).is_some());
        assert!(pip_blocker(&a("--no-cache-dir -r requirements.txt")).is_none());
        assert!(builds_from_source(&a("--no-binary :all: x")));
        assert!(builds_from_source(&a("--no-binary=PyYAML x")));
        assert!(!builds_from_source(&a("--only-binary :all: x")));
    }

    #[test]
    fn names_and_requirement_files_of_a_pip_install() {
        let a = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        let (p, f) = pip_names(&a("--no-cache-dir -r req.txt --requirement=dev.txt -rother.txt -i https://x psycopg2==2.9 Django[argon2]>=4 ."));
        assert_eq!(f, ["req.txt", "dev.txt", "other.txt"]);
        assert_eq!(p, ["psycopg2", "django"]);
        assert_eq!(
            requirement_name("mysqlclient ; python_version > '3'"),
            Some("mysqlclient".into())
        );
        assert_eq!(
            requirement_name("Flask_Login~=0.6 # auth"),
            Some("flask-login".into())
        );
        assert_eq!(requirement_name("# psycopg2"), None);
        assert_eq!(requirement_name("-e ."), None);
        assert_eq!(requirement_name("git+https://x/y.git"), None);
    }

    #[test]
    fn build_input_globs() {
        assert!(glob("requirements*.txt", "requirements.txt"));
        assert!(glob("requirements*.txt", "requirements-dev.txt"));
        assert!(!glob("requirements*.txt", "app.py"));
    }
}
