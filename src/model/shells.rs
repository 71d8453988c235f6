//! Which shell runs each RUN: SHELL instructions, inheritance through
//! `FROM <stage>`, and the global ARGs that name stages.

use crate::syntax::{Document, Instruction, Keyword};

/// The shell a shell-form RUN is handed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShellKind {
    /// A POSIX-compatible shell (`sh`, `bash`, `dash`, `ash`) invoked with
    /// `-c`; `errexit` when its flags include `-e`/`-o errexit`.
    Posix { errexit: bool },
    /// PowerShell, cmd, or anything we cannot read (Windows images, odd
    /// SHELL forms): RUN bodies are opaque.
    Other,
}

impl ShellKind {
    pub fn is_posix(&self) -> bool {
        matches!(self, ShellKind::Posix { .. })
    }
}

/// Reads a SHELL instruction.
pub fn shell_of(ins: &Instruction) -> ShellKind {
    if !ins.is_exec_form() {
        return ShellKind::Other;
    }
    let v = ins.values();
    let (Some(prog), Some(last)) = (v.first(), v.last()) else {
        return ShellKind::Other;
    };
    let base = prog.rsplit('/').next().unwrap_or(prog);
    if !matches!(base, "sh" | "bash" | "dash" | "ash") || last != "-c" || v.len() < 2 {
        return ShellKind::Other;
    }
    let mut errexit = false;
    let mut expect_option = false;
    for a in &v[1..v.len() - 1] {
        if expect_option {
            errexit |= a == "errexit";
            expect_option = false;
            continue;
        }
        let Some(cluster) = a.strip_prefix('-').or_else(|| a.strip_prefix('+')) else {
            return ShellKind::Other;
        };
        if let Some(long) = cluster.strip_prefix('-') {
            // Login and interactive shells re-read startup files on every
            // RUN, so state written there reaches the next RUN only when the
            // RUNs stay apart. Other long options (`--norc`) are harmless.
            if matches!(long, "login" | "rcfile" | "init-file") {
                return ShellKind::Other;
            }
            continue;
        }
        for c in cluster.chars() {
            match c {
                'e' if a.starts_with('-') => errexit = true,
                'o' => expect_option = true,
                'c' | 'l' | 'i' => return ShellKind::Other,
                _ => {}
            }
        }
    }
    ShellKind::Posix { errexit }
}

/// The shell in force at every instruction, following SHELL instructions and
/// inheriting through `FROM <stage>` (also `FROM ${ARG}` resolved through
/// global ARG defaults). Opaque (`Other`) for: files with the backtick escape
/// or a `# hadolint shell=` pragma naming a non-POSIX shell, Windows base
/// images (their default shell is cmd), and stages that set `BASH_ENV` or
/// `ENV` (every `sh -c` sources that file, so state can cross RUNs).
pub fn shells(doc: &Document) -> Vec<ShellKind> {
    let default = if doc.escape() == '`' || non_posix_pragma(doc) {
        ShellKind::Other
    } else {
        ShellKind::Posix { errexit: false }
    };
    let n = doc.instructions().len();
    let mut out = vec![default.clone(); n];
    let args = global_args(doc);
    // Final shell of each stage, for inheritance.
    let mut stage_final: Vec<(Option<String>, ShellKind)> = Vec::new();
    for st in doc.stages() {
        let image = resolve(&st.image.text, &args);
        let parent = if image.contains('$') {
            // Unknown stage: the worst shell any earlier stage ended with.
            stage_final
                .iter()
                .any(|(_, k)| *k == ShellKind::Other)
                .then_some(ShellKind::Other)
        } else {
            stage_final
                .iter()
                .rev()
                .find(|(name, _)| {
                    name.as_deref()
                        .is_some_and(|nm| nm.eq_ignore_ascii_case(&image))
                })
                .map(|(_, k)| k.clone())
                .or_else(|| {
                    // `FROM 0` style numeric references to earlier stages.
                    image
                        .parse::<usize>()
                        .ok()
                        .and_then(|i| stage_final.get(i).map(|(_, k)| k.clone()))
                })
        };
        let windows = is_windows_image(&image)
            || st
                .platform
                .as_deref()
                .is_some_and(|p| p.to_ascii_lowercase().starts_with("windows"));
        let mut cur = parent.unwrap_or_else(|| {
            if windows {
                ShellKind::Other
            } else {
                default.clone()
            }
        });
        for i in st.instructions.clone() {
            let ins = &doc.instructions()[i];
            match ins.keyword {
                Keyword::Shell if default != ShellKind::Other => cur = shell_of(ins),
                Keyword::Env
                    if ins
                        .pairs()
                        .iter()
                        .any(|(k, _)| k == "BASH_ENV" || k == "ENV") =>
                {
                    cur = ShellKind::Other
                }
                _ => {}
            }
            out[i] = cur.clone();
        }
        stage_final.push((st.name.clone(), cur));
    }
    out
}

/// `# hadolint shell=powershell` (and the like) anywhere in the file.
fn non_posix_pragma(doc: &Document) -> bool {
    doc.nodes().iter().any(|n| {
        n.kind == crate::syntax::NodeKind::Comment && {
            let t = doc
                .text(n.span.clone())
                .trim()
                .trim_start_matches('#')
                .trim();
            t.strip_prefix("hadolint shell=").is_some_and(|sh| {
                let sh = sh.split_whitespace().next().unwrap_or("");
                let base = sh.rsplit('/').next().unwrap_or(sh);
                !matches!(base, "sh" | "bash" | "dash" | "ash")
            })
        }
    })
}

fn is_windows_image(image: &str) -> bool {
    let i = image.to_ascii_lowercase();
    i.contains("windows") || i.contains("nanoserver") || i.contains("servercore")
}

/// Defaults of the ARGs declared before the first FROM.
pub(crate) fn global_args(doc: &Document) -> Vec<(String, String)> {
    let first_from = doc
        .stages()
        .first()
        .map_or(doc.instructions().len(), |s| s.from);
    doc.instructions()[..first_from]
        .iter()
        .filter(|i| i.keyword == Keyword::Arg)
        .flat_map(|i| i.pairs())
        .filter_map(|(k, v)| Some((k, unquote(&v?))))
        .collect()
}

fn unquote(v: &str) -> String {
    let t = v.trim();
    for q in ['"', '\''] {
        if let Some(inner) = t.strip_prefix(q).and_then(|x| x.strip_suffix(q)) {
            return inner.to_string();
        }
    }
    t.to_string()
}

/// Substitutes `$X`, `${X}` and `${X:-d}` from `args`; unknown ones stay.
pub(crate) fn resolve(text: &str, args: &[(String, String)]) -> String {
    if !text.contains('$') {
        return text.to_string();
    }
    let mut out = String::new();
    let mut rest = text;
    while let Some(p) = rest.find('$') {
        out.push_str(&rest[..p]);
        let after = &rest[p + 1..];
        let (inner, consumed) = if let Some(b) = after.strip_prefix('{') {
            match b.find('}') {
                Some(e) => (&b[..e], e + 2),
                None => {
                    out.push_str(&rest[p..]);
                    return out;
                }
            }
        } else {
            let n = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..n], n)
        };
        let (name, default) = match inner.split_once(":-").or_else(|| inner.split_once('-')) {
            Some((n, d)) => (n, Some(d)),
            None => (inner, None),
        };
        match args
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .or(default)
        {
            Some(v) => out.push_str(v),
            None => out.push_str(&rest[p..p + 1 + consumed]),
        }
        rest = &after[consumed..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<ShellKind> {
        shells(&Document::parse(src).unwrap())
    }

    #[test]
    fn shell_forms() {
        let p = |s: &str| {
            let d = Document::parse(&format!("FROM a\nSHELL {s}\n")).unwrap();
            shell_of(&d.instructions()[1])
        };
        assert_eq!(
            p(r#"["/bin/bash", "-c"]"#),
            ShellKind::Posix { errexit: false }
        );
        assert_eq!(
            p(r#"["/bin/bash", "-o", "pipefail", "-c"]"#),
            ShellKind::Posix { errexit: false }
        );
        assert_eq!(
            p(r#"["/bin/bash", "-eo", "pipefail", "-c"]"#),
            ShellKind::Posix { errexit: true }
        );
        assert_eq!(
            p(r#"["sh", "-o", "errexit", "-c"]"#),
            ShellKind::Posix { errexit: true }
        );
        assert_eq!(p(r#"["powershell", "-Command"]"#), ShellKind::Other);
        assert_eq!(p(r#"["cmd", "/S", "/C"]"#), ShellKind::Other);
        assert_eq!(p("/bin/bash -c"), ShellKind::Other);
        assert_eq!(p(r#"["/bin/zsh", "-c"]"#), ShellKind::Other);
    }

    #[test]
    fn inherited_through_from_stage() {
        let k = kinds("FROM a AS base\nSHELL [\"pwsh\", \"-c\"]\nRUN x\nFROM base\nRUN y\nFROM debian\nRUN z\n");
        assert_eq!(k[2], ShellKind::Other);
        assert_eq!(k[4], ShellKind::Other);
        assert_eq!(k[6], ShellKind::Posix { errexit: false });
        let k = kinds("# escape=`\nFROM a\nRUN x\n");
        assert_eq!(k[1], ShellKind::Other);
    }

    // Shells that re-read startup files, Windows defaults, pragmas, ARG-named stages.

    #[test]
    fn login_and_interactive_shells_are_opaque() {
        let k = kinds("FROM a\nSHELL [\"/bin/bash\", \"--login\", \"-c\"]\nRUN x\n");
        assert_eq!(k[2], ShellKind::Other);
        let k = kinds("FROM a\nSHELL [\"/bin/bash\", \"-lc\"]\nRUN x\n");
        assert_eq!(k[2], ShellKind::Other);
    }

    #[test]
    fn windows_images_pragmas_and_startup_files() {
        let k = kinds("FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir\n");
        assert_eq!(k[1], ShellKind::Other);
        let k = kinds("# hadolint shell=powershell\nFROM a\nRUN x\n");
        assert_eq!(k[1], ShellKind::Other);
        let k = kinds("# hadolint shell=bash\nFROM a\nRUN x\n");
        assert_eq!(k[1], ShellKind::Posix { errexit: false });
        let k = kinds("FROM a\nRUN x\nENV BASH_ENV=/etc/profile\nRUN y\n");
        assert_eq!(k[1], ShellKind::Posix { errexit: false });
        assert_eq!(k[3], ShellKind::Other);
    }

    #[test]
    fn from_arg_resolves_to_stage() {
        let k = kinds("ARG BASE=pw\nFROM a AS pw\nSHELL [\"pwsh\", \"-c\"]\nFROM ${BASE}\nRUN x\n");
        assert_eq!(k[4], ShellKind::Other);
        let k = kinds("ARG BASE\nFROM a AS pw\nSHELL [\"pwsh\", \"-c\"]\nFROM ${BASE}\nRUN x\n");
        assert_eq!(k[4], ShellKind::Other);
        let k =
            kinds("ARG BASE=debian\nFROM a AS pw\nSHELL [\"pwsh\", \"-c\"]\nFROM ${BASE}\nRUN x\n");
        assert_eq!(k[4], ShellKind::Posix { errexit: false });
        assert_eq!(resolve("${A:-x}:${B}", &[("B".into(), "1".into())]), "x:1");
    }
}
