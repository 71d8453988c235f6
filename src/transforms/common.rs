//! Facts several transforms need about a document: which shell runs each
//! RUN, and a cached shell view of RUN bodies.

use crate::shell::{self, Script};
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
        if cluster.starts_with('-') {
            // Long options (`--login`, `--norc`) are fine and take no value.
            continue;
        }
        for c in cluster.chars() {
            match c {
                'e' if a.starts_with('-') => errexit = true,
                'o' => expect_option = true,
                'c' => return ShellKind::Other,
                _ => {}
            }
        }
    }
    ShellKind::Posix { errexit }
}

/// The shell in force at every instruction, following SHELL instructions and
/// inheriting through `FROM <stage>`. Files with the backtick escape are
/// Windows files: their RUNs are opaque.
pub fn shells(doc: &Document) -> Vec<ShellKind> {
    let default = if doc.escape() == '`' {
        ShellKind::Other
    } else {
        ShellKind::Posix { errexit: false }
    };
    let n = doc.instructions().len();
    let mut out = vec![default.clone(); n];
    // Final shell of each stage, for inheritance.
    let mut stage_final: Vec<(Option<String>, ShellKind)> = Vec::new();
    for st in doc.stages() {
        let parent = stage_final
            .iter()
            .rev()
            .find(|(name, _)| {
                name.as_deref()
                    .is_some_and(|nm| nm.eq_ignore_ascii_case(&st.image.text))
            })
            .map(|(_, k)| k.clone());
        let parent = parent.or_else(|| {
            // `FROM 0` style numeric references to earlier stages.
            st.image
                .text
                .parse::<usize>()
                .ok()
                .and_then(|i| stage_final.get(i).map(|(_, k)| k.clone()))
        });
        let mut cur = parent.unwrap_or_else(|| default.clone());
        for i in st.instructions.clone() {
            let ins = &doc.instructions()[i];
            if ins.keyword == Keyword::Shell {
                cur = if default == ShellKind::Other {
                    ShellKind::Other
                } else {
                    shell_of(ins)
                };
            }
            out[i] = cur.clone();
        }
        stage_final.push((st.name.clone(), cur));
    }
    out
}

/// The shell view of a shell-form RUN without heredocs, or `None` when the
/// RUN must be treated as opaque.
pub fn run_script(ins: &Instruction, shell: &ShellKind) -> Option<Script> {
    if ins.keyword != Keyword::Run
        || ins.is_exec_form()
        || !ins.heredocs.is_empty()
        || !shell.is_posix()
        || ins.args_text().is_empty()
    {
        return None;
    }
    shell::parse(ins.args_text()).ok()
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
}
