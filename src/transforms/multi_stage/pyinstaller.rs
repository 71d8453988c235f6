//! Python frozen by PyInstaller (`pip install pyinstaller` + `pyinstaller
//! --onefile app.py`, the guides' shape): the CMD/ENTRYPOINT runs the
//! binary PyInstaller wrote (`dist/<name>`, or `dist/<name>/<name>` for
//! `--onedir`), so the runtime needs no Python at all. The builder stays
//! the original; the runtime is `debian:<release>-slim` of the builder's
//! Debian release (the tag's codename, else `[binary] stable-release`;
//! `[pyinstaller]` in `transforms/stages.toml`) with the app folder copied
//! at the same path.
//!
//! Not `scratch` nor distroless (measured here, `testdata/real/
//! python-pyinstaller` and CHANGELOG): the bootloader of PyInstaller's
//! Linux wheel is linked against glibc and `libz.so.1` (`scratch` and
//! distroless `static` have no glibc; distroless `base` and `cc` have no
//! zlib), and a `--onefile` binary unpacks itself into `/tmp`.
//!
//! Applied (unsafe) when nothing else in the stage is needed at run time:
//! pip installs (PyInstaller bundles the modules the program imports), apt
//! installs of build tools or mapped `-dev` packages (PyInstaller bundles
//! the shared libraries of the modules it collects, except glibc's), and
//! file commands inside the app folder. Anything else keeps the proposal
//! display-only and names what blocked it.

use crate::data::Stages;
use crate::syntax::Keyword;

use super::facts::AptFacts;
use super::python::commands::{classify, file_command, inside, is_python, Cmd};
use super::{join, words, Split, StageFacts};

/// pyinstaller options that take a value (the next word, unless `--x=v`).
const VALUE_OPTIONS: &[&str] = &[
    "-n",
    "--name",
    "--distpath",
    "--workpath",
    "--specpath",
    "-p",
    "--paths",
    "--add-data",
    "--add-binary",
    "--hidden-import",
    "--hiddenimport",
    "--collect-submodules",
    "--collect-data",
    "--collect-datas",
    "--collect-binaries",
    "--collect-all",
    "--copy-metadata",
    "--recursive-copy-metadata",
    "--additional-hooks-dir",
    "--runtime-hook",
    "--exclude-module",
    "--splash",
    "-i",
    "--icon",
    "--log-level",
    "--upx-dir",
    "--upx-exclude",
    "--key",
    "--runtime-tmpdir",
    "--contents-directory",
    "--target-arch",
    "--target-architecture",
    "--python-option",
    "--optimize",
    "-d",
    "--debug",
    "--version-file",
    "-m",
    "--manifest",
    "-r",
    "--resource",
    "--codesign-identity",
    "--osx-entitlements-file",
    "--osx-bundle-identifier",
];

/// What one `pyinstaller` call writes.
#[derive(Debug, PartialEq)]
struct Freeze {
    /// The executable, relative to the folder the call runs in.
    program: String,
    onefile: bool,
}

/// Reads the arguments of `pyinstaller ARGS` (or `python -m PyInstaller
/// ARGS`).
fn freeze(args: &[&str]) -> Result<Freeze, String> {
    let mut name: Option<String> = None;
    let mut dist = "dist".to_string();
    let mut onefile = false;
    let mut scripts: Vec<&str> = Vec::new();
    let mut it = args.iter();
    while let Some(&a) = it.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (a, None),
        };
        if VALUE_OPTIONS.contains(&flag) {
            let v = inline.or_else(|| it.next().map(|v| v.to_string()));
            let Some(v) = v.filter(|v| !v.contains('\u{0}')) else {
                return Err(format!(
                    "`pyinstaller {flag}` with a value dslim cannot read"
                ));
            };
            match flag {
                "-n" | "--name" => name = Some(v),
                "--distpath" => dist = v,
                "--runtime-tmpdir" if v.trim_end_matches('/') != "/tmp" => {
                    return Err(format!(
                    "`pyinstaller --runtime-tmpdir {v}` unpacks into a folder the runtime may lack"
                ))
                }
                _ => {}
            }
        } else if matches!(a, "-F" | "--onefile") {
            onefile = true;
        } else if matches!(a, "-D" | "--onedir") {
            onefile = false;
        } else if a.starts_with('-') {
            // A flag without a value (`--clean`, `-y`, `--noconfirm`, `-s`).
        } else {
            scripts.push(a);
        }
    }
    let script = match scripts.as_slice() {
        [s] => *s,
        [] => return Err("a `pyinstaller` call without a script".into()),
        _ => return Err("a `pyinstaller` call with several scripts".into()),
    };
    if script.contains('\u{0}') {
        return Err("a `pyinstaller` script dslim cannot read".into());
    }
    if script.ends_with(".spec") {
        return Err(format!(
            "`pyinstaller {script}` takes the output name and layout from a spec file, which \
             dslim does not read"
        ));
    }
    let name = name.unwrap_or_else(|| {
        let base = script.rsplit('/').next().unwrap_or(script);
        base.strip_suffix(".py").unwrap_or(base).to_string()
    });
    let program = if onefile {
        format!("{dist}/{name}")
    } else {
        format!("{dist}/{name}/{name}")
    };
    Ok(Freeze { program, onefile })
}

/// The words of a `pyinstaller` call after the program: `pyinstaller …`,
/// `python -m PyInstaller …`.
fn pyinstaller_args<'a>(w: &'a [&'a str]) -> Option<&'a [&'a str]> {
    let name = w.first()?;
    if name.rsplit('/').next() == Some("pyinstaller") {
        Some(&w[1..])
    } else if is_python(name) && w.get(1) == Some(&"-m") && w.get(2) == Some(&"PyInstaller") {
        Some(&w[3..])
    } else {
        None
    }
}

/// The Debian release a `python` tag names (`3.12-slim-bookworm`), `None`
/// when it names none.
fn tag_release(tag: Option<&str>) -> Option<&str> {
    const CODENAMES: &[&str] = &["buster", "bullseye", "bookworm", "trixie", "forky"];
    tag?.split('-').find(|p| CODENAMES.contains(p))
}

pub(super) fn pyinstaller(
    f: &StageFacts,
    data: &Stages,
    apt: &AptFacts,
) -> Option<Result<Split, String>> {
    let r = &data.pyinstaller;
    let img = &f.doc.stages()[0].image;
    let tag = img.tag.as_deref();
    if tag.is_some_and(|t| t.contains("alpine")) {
        return None; // a musl build: not this recipe
    }
    let mut blockers: Vec<String> = Vec::new();
    let mut block = |why: String| {
        if !blockers.contains(&why) {
            blockers.push(why);
        }
    };
    let wd = f.workdir.clone().filter(|w| w != "/");
    let outputs = read_freezes(f, wd.as_deref(), &mut block);
    if outputs.is_empty() {
        return None;
    }
    let frozen = match frozen_program(f, wd.as_deref(), &outputs)? {
        Ok(fr) => fr,
        Err(why) => return Some(Err(why)),
    };
    let Some(wd) = wd else {
        return Some(Err(
            "a PyInstaller build without WORKDIR: the app folder the program may read is unknown"
                .into(),
        ));
    };
    if img.digest.is_some() {
        return Some(Err(format!(
            "`{}` is pinned by digest, so its Debian release (and glibc) is unknown",
            img.text
        )));
    }
    let release = tag_release(tag).unwrap_or(&data.binary.stable_release);
    let runtime_image = r.runtime.replace("{release}", release);
    runtime_blockers(f, data, apt, &wd, &mut block);
    let runtime_head = runtime_head(frozen, &wd);
    let mut note = note(frozen, &wd, release, tag_release(tag).is_some());
    let applicability = super::applicability(&blockers, &mut note);
    Some(Ok(Split {
        lang: "Python (PyInstaller)",
        runtime_image,
        builder_head: Vec::new(),
        builder_head_at: None,
        builder_tail: Vec::new(),
        runtime_head,
        runtime_tail: Vec::new(),
        applicability,
        note,
    }))
}

/// What a pyinstaller call wrote (its program made absolute when the
/// folder it ran in is known), or why it cannot be read.
type Output = (Option<String>, Result<Freeze, String>);

/// The pyinstaller calls, with the folder each runs in; the other commands
/// of the RUNs go through `file_command` (pip installs and venvs aside).
fn read_freezes(f: &StageFacts, wd: Option<&str>, block: &mut impl FnMut(String)) -> Vec<Output> {
    let mut outputs: Vec<Output> = Vec::new();
    for ins in f.runs() {
        let i = f.index(ins);
        let Some(script) = f.model.script(i) else {
            if ins.logical.text.contains("pyinstaller") || ins.logical.text.contains("PyInstaller")
            {
                outputs.push((
                    None,
                    Err("a RUN with `pyinstaller` that dslim cannot read".into()),
                ));
            }
            block("a RUN that dslim cannot read (exec form, heredoc or shell syntax it does not parse)".into());
            continue;
        };
        let mut cwd = f.cwd_at(i);
        for c in &script.commands {
            let w = words(c);
            if let Some(args) = pyinstaller_args(&w) {
                let out = freeze(args).map(|fr| Freeze {
                    program: match &cwd {
                        Some(d) => join(d, &fr.program),
                        None => fr.program,
                    },
                    onefile: fr.onefile,
                });
                outputs.push((cwd.clone(), out));
                continue;
            }
            let text = &ins.args_text()[c.span.clone()];
            match classify(c) {
                // PyInstaller bundles what the program imports: where pip
                // put it does not matter to the runtime.
                Cmd::PipInstall { .. } | Cmd::Venv { .. } => {}
                other => file_command(other, c, text, &mut cwd, wd, block),
            }
        }
    }
    outputs
}

/// The program the image runs must be the one PyInstaller wrote; else
/// the image runs Python, and the venv recipe applies (`None`). An
/// unreadable call may be the one that wrote it (`Err`).
fn frozen_program<'o>(
    f: &StageFacts,
    wd: Option<&str>,
    outputs: &'o [Output],
) -> Option<Result<&'o Freeze, String>> {
    let runner = f
        .last(Keyword::Entrypoint)
        .or_else(|| f.last(Keyword::Cmd))?;
    let prog = if runner.is_exec_form() {
        runner.values().first().cloned()?
    } else {
        runner
            .args_text()
            .split_whitespace()
            .next()
            .map(str::to_string)?
    };
    let prog_path = if prog.starts_with('/') {
        join("/", &prog)
    } else if prog.contains('/') {
        join(wd.unwrap_or("/"), &prog)
    } else {
        return None;
    };
    let found = outputs
        .iter()
        .rev()
        .find(|(_, o)| o.as_ref().is_ok_and(|fr| fr.program == prog_path));
    match found {
        Some((_, Ok(fr))) => Some(Ok(fr)),
        _ => outputs
            .iter()
            .find_map(|(_, o)| o.as_ref().err())
            .map(|why| {
                Err(format!(
                    "the {} runs `{prog}`, and {why}",
                    runner.keyword_text()
                ))
            }),
    }
}

/// What the runtime would lack: apt packages other than build tools and
/// `-dev` packages whose libraries PyInstaller bundles, copies outside the
/// app folder `wd`, a named USER, a HEALTHCHECK.
fn runtime_blockers(
    f: &StageFacts,
    data: &Stages,
    apt: &AptFacts,
    wd: &str,
    block: &mut impl FnMut(String),
) {
    if apt.opaque {
        block("an apt install dslim cannot read".into());
    }
    for p in &apt.packages {
        if !data.builder.only_builds(p) && !data.builder.runtime_libraries.contains_key(p) {
            block(format!(
                "apt installs `{p}`, which the program may use at run time and the slim runtime \
                 lacks"
            ));
        }
    }
    for ins in f.instrs() {
        if !matches!(ins.keyword, Keyword::Copy | Keyword::Add) {
            continue;
        }
        let Some((_, dst)) = ins.copy_parts() else {
            block(format!("a `{}` dslim cannot read", ins.keyword_text()));
            continue;
        };
        let target = f
            .cwd_at(f.index(ins))
            .map(|w| join(&w, dst))
            .filter(|_| !dst.contains('$'));
        if !target.as_deref().is_some_and(|t| inside(t, wd)) {
            block(format!(
                "`{}` copies outside the app folder {wd}",
                ins.keyword_text()
            ));
        }
    }
    if super::facts::named_non_root_user(f) {
        block("a USER given by name: the slim runtime lacks the account the builder made".into());
    }
    if f.healthcheck_runs() {
        block("a HEALTHCHECK, whose command the runtime may lack (it has no Python)".into());
    }
}

/// The app folder, and the program (a `--onedir` program's folder) when it
/// is outside it.
fn runtime_head(frozen: &Freeze, wd: &str) -> Vec<String> {
    let mut runtime_head = vec![format!("COPY --from={{build}} {wd} {wd}")];
    if !inside(&frozen.program, wd) {
        let copied = if frozen.onefile {
            frozen.program.clone()
        } else {
            frozen
                .program
                .rsplit_once('/')
                .map_or(frozen.program.clone(), |(d, _)| d.to_string())
        };
        runtime_head.push(format!("COPY --from={{build}} {copied} {copied}"));
    }
    runtime_head
}

/// The split's message: why the runtime is Debian slim of `release`.
fn note(frozen: &Freeze, wd: &str, release: &str, tag_names_release: bool) -> String {
    let mut note = format!(
        " (the program PyInstaller froze, `{}`, needs no Python: the runtime gets the app \
         folder {wd} with it. Not `scratch` or distroless: PyInstaller's bootloader is linked \
         against glibc and zlib (`libz.so.1`){}; the builder's Debian release `{release}` or a \
         newer one runs it",
        frozen.program,
        if frozen.onefile {
            ", and a `--onefile` binary unpacks itself into /tmp"
        } else {
            ""
        }
    );
    if !tag_names_release {
        note.push_str(&format!(
            " (the tag names no release: `{release}`, the newest, as glibc runs binaries \
             built against an older one)"
        ));
    }
    note.push(')');
    note
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fr(s: &str) -> Result<Freeze, String> {
        freeze(&s.split(' ').collect::<Vec<_>>())
    }

    #[test]
    fn output_of_a_pyinstaller_call() {
        let one = |p: &str| Freeze {
            program: p.into(),
            onefile: true,
        };
        assert_eq!(fr("--onefile app.py"), Ok(one("dist/app")));
        assert_eq!(fr("-F --clean src/main.py"), Ok(one("dist/main")));
        assert_eq!(fr("-F -n tool --distpath out app.py"), Ok(one("out/tool")));
        assert_eq!(fr("--name=tool --onefile app.py"), Ok(one("dist/tool")));
        assert_eq!(
            fr("--onedir app.py"),
            Ok(Freeze {
                program: "dist/app/app".into(),
                onefile: false
            })
        );
        assert_eq!(fr("app.py").map(|f| f.program), Ok("dist/app/app".into()));
        assert!(fr("app.spec").is_err());
        assert!(fr("--onefile a.py b.py").is_err());
        assert!(fr("--onefile --runtime-tmpdir /var/run app.py").is_err());
        assert!(fr("--onefile --runtime-tmpdir /tmp app.py").is_ok());
    }

    #[test]
    fn release_of_a_tag() {
        assert_eq!(tag_release(Some("3.12-slim-bookworm")), Some("bookworm"));
        assert_eq!(tag_release(Some("3.9-slim")), None);
        assert_eq!(tag_release(None), None);
    }
}
