//! One model of the document per pass, between `shell`/`syntax` and the
//! transforms: the pipeline builds it once for each text it checks and hands
//! it to every transform (`cx.model()`), so that facts several transforms
//! need are worked out once. Each fact is computed on first use and kept:
//! the shell in force at every instruction, the shell view of each RUN (and
//! of each `ONBUILD RUN`), and the global ARGs.

mod shells;

pub(crate) use shells::{global_args, resolve};
pub use shells::{shell_of, shells, ShellKind};

use crate::shell::{self, Script};
use crate::syntax::{Document, Instruction, Keyword};
use std::sync::OnceLock;

/// Facts about one document, each computed on first use.
#[derive(Debug, Clone)]
pub struct Model<'d> {
    doc: &'d Document,
    shells: OnceLock<Vec<ShellKind>>,
    global_args: OnceLock<Vec<(String, String)>>,
    uses_buildkit: OnceLock<bool>,
    /// Per instruction: the shell view of a RUN, or of an ONBUILD's RUN.
    scripts: Vec<OnceLock<Option<Script>>>,
    /// Per instruction: an `ONBUILD RUN …` seen as the RUN it registers.
    triggers: Vec<OnceLock<Option<Instruction>>>,
}

impl<'d> Model<'d> {
    pub fn new(doc: &'d Document) -> Self {
        Model {
            doc,
            shells: OnceLock::new(),
            global_args: OnceLock::new(),
            uses_buildkit: OnceLock::new(),
            scripts: (0..doc.instructions().len())
                .map(|_| OnceLock::new())
                .collect(),
            triggers: (0..doc.instructions().len())
                .map(|_| OnceLock::new())
                .collect(),
        }
    }

    /// The document the model describes.
    pub fn doc(&self) -> &'d Document {
        self.doc
    }

    /// The shell in force at every instruction (see [`shells`]).
    pub fn shells(&self) -> &[ShellKind] {
        self.shells.get_or_init(|| shells(self.doc))
    }

    /// The shell in force at instruction `i`.
    pub fn shell(&self, i: usize) -> &ShellKind {
        &self.shells()[i]
    }

    /// Defaults of the ARGs declared before the first FROM.
    pub fn global_args(&self) -> &[(String, String)] {
        self.global_args.get_or_init(|| global_args(self.doc))
    }

    /// The document uses BuildKit-only syntax (see
    /// [`crate::transforms::runedit::uses_buildkit`]).
    pub fn uses_buildkit(&self) -> bool {
        *self
            .uses_buildkit
            .get_or_init(|| crate::transforms::runedit::uses_buildkit(self.doc))
    }

    /// The shell view of instruction `i` when it is a shell-form RUN without
    /// heredocs under a POSIX shell; `None` when the RUN must be treated as
    /// opaque, or `i` is not a RUN. Parsed once per model.
    pub fn script(&self, i: usize) -> Option<&Script> {
        let ins = &self.doc.instructions()[i];
        if ins.keyword != Keyword::Run {
            return None;
        }
        self.scripts[i]
            .get_or_init(|| {
                if ins.is_exec_form()
                    || !ins.heredocs.is_empty()
                    || !self.shell(i).is_posix()
                    || ins.args_text().is_empty()
                {
                    return None;
                }
                shell::parse(ins.args_text()).ok()
            })
            .as_ref()
    }

    /// The RUN an `ONBUILD RUN …` at `i` registers, as an instruction of
    /// its own: keyword, flags and arguments are the trigger's, in the same
    /// logical coordinates, so edits computed on it land inside the ONBUILD
    /// line; span, lines and comments are the ONBUILD's. `None` for any
    /// other instruction and for triggers with heredocs.
    pub fn trigger(&self, i: usize) -> Option<&Instruction> {
        let ins = &self.doc.instructions()[i];
        if ins.keyword != Keyword::Onbuild {
            return None;
        }
        self.triggers[i]
            .get_or_init(|| {
                let sub = ins.onbuild()?;
                let kw = Keyword::from_keyword(&ins.logical.text[sub.keyword.clone()]);
                if kw != Keyword::Run || !ins.heredocs.is_empty() {
                    return None;
                }
                let mut t = ins.clone();
                t.command = sub.clone();
                t.keyword = Keyword::Run;
                Some(t)
            })
            .as_ref()
    }

    /// Instruction `i` as a RUN: the RUN itself, or the RUN an `ONBUILD RUN`
    /// registers (see [`Model::trigger`]).
    pub fn run(&self, i: usize) -> Option<&'_ Instruction> {
        let ins = &self.doc.instructions()[i];
        match ins.keyword {
            Keyword::Run => Some(ins),
            Keyword::Onbuild => self.trigger(i),
            _ => None,
        }
    }

    /// The shell view of [`Model::run`]: [`Model::script`] or
    /// [`Model::onbuild_script`].
    pub fn run_script(&self, i: usize) -> Option<&Script> {
        self.script(i).or_else(|| self.onbuild_script(i))
    }

    /// The shell view of the RUN an `ONBUILD RUN …` at `i` registers
    /// (shell form only); `None` for other instructions, exec-form
    /// triggers and bodies that do not parse. Parsed once per model.
    pub fn onbuild_script(&self, i: usize) -> Option<&Script> {
        let ins = &self.doc.instructions()[i];
        if ins.keyword != Keyword::Onbuild {
            return None;
        }
        self.scripts[i]
            .get_or_init(|| {
                let sub = ins.onbuild()?;
                if sub.json
                    || Keyword::from_keyword(&ins.logical.text[sub.keyword.clone()]) != Keyword::Run
                    || !ins.heredocs.is_empty()
                    || !self.shell(i).is_posix()
                {
                    return None;
                }
                shell::parse(&ins.logical.text[sub.args.clone()]).ok()
            })
            .as_ref()
    }
}
