//! One model of the document per pass, between `shell`/`syntax` and the
//! transforms: the pipeline builds it once for each text it checks and hands
//! it to every transform (`cx.model()`), so that facts several transforms
//! need are worked out once. Each fact is computed on first use and kept:
//! the shell in force at every instruction, the shell view of each RUN (and
//! of each `ONBUILD RUN`), and the global ARGs.

pub mod calls;
mod shells;

pub(crate) use shells::{global_args, resolve};
pub use shells::{shell_of, shells, ShellKind};

use crate::data::PackageManager;
use crate::shell::{self, Script};
use crate::syntax::{Document, Instruction, Keyword};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// Shell views by command text, shared by the models of the passes over
/// one file (`check`, then `fix` and `fix --unsafe` for the summary, each
/// pass on a re-parsed document): a RUN a fix did not touch has the same
/// text in the next pass and is not parsed again. [`shell::parse`] is a
/// function of the text alone, so a remembered view is the one a parse
/// would give.
#[derive(Debug, Default)]
pub struct ScriptMemo(Mutex<rustc_hash::FxHashMap<Box<str>, Option<Arc<Script>>>>);

impl ScriptMemo {
    pub fn new() -> Arc<Self> {
        Arc::new(ScriptMemo::default())
    }

    /// Forgets the views of texts that are no RUN (nor `ONBUILD RUN`) body
    /// of `doc`: once a fix has rewritten RUNs, the views of their old
    /// texts are dead weight for the passes to come (a file of 35k RUNs
    /// merged into one kept 35k views through every later pass). Only a
    /// cache is dropped: a text asked for again is parsed again.
    pub fn keep_only(&self, doc: &Document) {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if map.is_empty() {
            return;
        }
        // Only texts as long as a remembered one can be one: the `--unsafe`
        // loop starts again on a file of 100k RUNs while the memo holds the
        // one RUN they were merged into, and hashing every text was then
        // a twentieth of `fix`.
        let lens: rustc_hash::FxHashSet<usize> = map.keys().map(|k| k.len()).collect();
        let live: rustc_hash::FxHashSet<&str> = doc
            .instructions()
            .iter()
            .filter_map(|ins| match ins.keyword {
                Keyword::Run => Some(ins.args_text()),
                Keyword::Onbuild => ins.onbuild().map(|sub| &ins.logical.text[sub.args.clone()]),
                _ => None,
            })
            .filter(|t| lens.contains(&t.len()))
            .collect();
        map.retain(|k, _| live.contains(&**k));
        map.shrink_to_fit();
    }

    /// How many views are remembered (tests).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// The shell view of `text`, parsed the first time it is asked for.
    fn parse(&self, text: &str) -> Option<Arc<Script>> {
        if let Some(s) = self.0.lock().unwrap_or_else(|e| e.into_inner()).get(text) {
            return s.clone();
        }
        let s = parse_kept(text);
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(text.into(), s.clone());
        s
    }
}

/// The shell view of `text`, made to be kept: a model holds the view of
/// every RUN for the whole pass, so the vectors the parse grew (capacity
/// up to twice their length) are trimmed to their length first.
fn parse_kept(text: &str) -> Option<Arc<Script>> {
    let mut s = shell::parse(text).ok()?;
    shrink(&mut s);
    Some(Arc::new(s))
}

fn shrink(s: &mut Script) {
    // The lists are boxed slices of their exact length already.
    for c in s.commands.iter_mut() {
        for w in c.assignments.iter_mut().chain(c.words.iter_mut()) {
            w.raw.shrink_to_fit();
            if let Some(l) = &mut w.literal {
                l.shrink_to_fit();
            }
        }
    }
}

/// Facts about one document, each computed on first use.
#[derive(Debug, Clone)]
pub struct Model<'d> {
    doc: &'d Document,
    shells: OnceLock<Vec<ShellKind>>,
    global_args: OnceLock<Vec<(String, String)>>,
    uses_buildkit: OnceLock<bool>,
    /// Per instruction: the shell view of a RUN, or of an ONBUILD's RUN.
    scripts: Vec<OnceLock<Option<Arc<Script>>>>,
    /// Views of earlier passes over the same file, when there were any.
    memo: Option<Arc<ScriptMemo>>,
    /// Per instruction: an `ONBUILD RUN …` seen as the RUN it registers
    /// (boxed: an unboxed `Instruction` per instruction of the document,
    /// nearly all of them no ONBUILD, was a tenth of peak memory).
    triggers: Vec<OnceLock<Option<Box<Instruction>>>>,
    /// Per stage: the earlier stage its FROM names (see [`Model::parents`]).
    parents: OnceLock<Vec<Option<usize>>>,
    /// Per instruction: the last USER in force there (the index of that
    /// instruction: 4 bytes, not a string, for each of 270k instructions),
    /// `None` before any (see [`Model::user_at`]).
    users: OnceLock<Vec<Option<u32>>>,
    /// Per stage: its FROM names an earlier stage (see
    /// [`Model::is_stage_ref`]).
    stage_refs: OnceLock<Vec<bool>>,
    /// Package-manager calls by (instruction, manager name), see
    /// [`Model::calls`].
    calls: CallMemo,
}

/// What [`Model::calls`] found, by (instruction, manager name).
#[derive(Debug, Default)]
struct CallMemo(Mutex<CallTable>);

/// The memo's content. Keys hold a manager's number in `names` (a few
/// names, each stored once, not once per RUN). Most (RUN, manager) pairs
/// find nothing: only a bit says they were looked at, and they share one
/// empty list (an entry each was a tenth of peak memory on large files).
#[derive(Debug, Default, Clone)]
struct CallTable {
    names: Vec<Box<str>>,
    /// The pairs that found calls.
    found: rustc_hash::FxHashMap<(usize, usize), Arc<[calls::PmCall]>>,
    /// Per manager number, a bit per instruction: its calls were found.
    done: Vec<Vec<u64>>,
    empty: Option<Arc<[calls::PmCall]>>,
    /// The command heads of the RUNs with at least [`MANY_COMMANDS`].
    heads: rustc_hash::FxHashMap<usize, Arc<[calls::Head]>>,
}

/// A RUN with this many commands keeps their [`calls::heads`].
const MANY_COMMANDS: usize = 16;

impl CallTable {
    fn name_id(&mut self, name: &str) -> usize {
        match self.names.iter().position(|n| &**n == name) {
            Some(k) => k,
            None => {
                self.names.push(name.into());
                self.done.push(Vec::new());
                self.names.len() - 1
            }
        }
    }

    fn empty(&mut self) -> Arc<[calls::PmCall]> {
        self.empty.get_or_insert_with(|| Arc::from([])).clone()
    }

    /// What was found for `(i, id)`, if it was looked at.
    fn get(&mut self, (i, id): (usize, usize)) -> Option<Arc<[calls::PmCall]>> {
        let bits = &self.done[id];
        if bits.get(i / 64).is_none_or(|w| w & (1 << (i % 64)) == 0) {
            return None;
        }
        Some(match self.found.get(&(i, id)) {
            Some(c) => c.clone(),
            None => self.empty(),
        })
    }

    fn insert(
        &mut self,
        (i, id): (usize, usize),
        found: Vec<calls::PmCall>,
    ) -> Arc<[calls::PmCall]> {
        let bits = &mut self.done[id];
        if bits.len() <= i / 64 {
            bits.resize(i / 64 + 1, 0);
        }
        bits[i / 64] |= 1 << (i % 64);
        if found.is_empty() {
            return self.empty();
        }
        let found: Arc<[calls::PmCall]> = found.into();
        self.found.insert((i, id), found.clone());
        found
    }
}

impl Clone for CallMemo {
    fn clone(&self) -> Self {
        CallMemo(Mutex::new(
            self.0.lock().unwrap_or_else(|e| e.into_inner()).clone(),
        ))
    }
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
            memo: None,
            parents: OnceLock::new(),
            users: OnceLock::new(),
            stage_refs: OnceLock::new(),
            calls: CallMemo::default(),
        }
    }

    /// The model of `doc` that takes shell views from `memo` and adds
    /// its own to it.
    pub fn with_memo(doc: &'d Document, memo: Arc<ScriptMemo>) -> Self {
        Model {
            memo: Some(memo),
            ..Model::new(doc)
        }
    }

    pub fn parse(&self, text: &str) -> Option<Arc<Script>> {
        match &self.memo {
            Some(m) => m.parse(text),
            None => parse_kept(text),
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

    /// The document uses BuildKit-only syntax (see [`uses_buildkit`]).
    pub fn uses_buildkit(&self) -> bool {
        *self.uses_buildkit.get_or_init(|| uses_buildkit(self.doc))
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
                    || !ins.heredocs().is_empty()
                    || !self.shell(i).is_posix()
                    || ins.args_text().is_empty()
                {
                    return None;
                }
                self.parse(ins.args_text())
            })
            .as_deref()
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
                if kw != Keyword::Run || !ins.heredocs().is_empty() {
                    return None;
                }
                let mut t = ins.clone();
                t.command = sub.clone();
                t.keyword = Keyword::Run;
                Some(Box::new(t))
            })
            .as_deref()
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
                    || !ins.heredocs().is_empty()
                    || !self.shell(i).is_posix()
                {
                    return None;
                }
                self.parse(&ins.logical.text[sub.args.clone()])
            })
            .as_deref()
    }

    /// Per stage, the earlier stage its FROM builds on: the nearest earlier
    /// stage of that name (case-insensitively, as BuildKit compares), else
    /// an earlier stage's number. One pass with a map from names, so that
    /// a file of many stages is not searched once per stage.
    pub fn parents(&self) -> &[Option<usize>] {
        self.parents.get_or_init(|| {
            let mut by_name: HashMap<String, usize> = HashMap::new();
            let mut out = Vec::with_capacity(self.doc.stages().len());
            for st in self.doc.stages() {
                let image = st.image.text.to_ascii_lowercase();
                let parent = by_name
                    .get(image.as_str())
                    .copied()
                    .or_else(|| image.parse::<usize>().ok().filter(|&i| i < st.index));
                out.push(parent);
                if let Some(n) = &st.name {
                    by_name.insert(n.to_ascii_lowercase(), st.index);
                }
            }
            out
        })
    }

    /// Whether stage `s`'s FROM names an earlier stage: its image, global
    /// ARGs substituted and lowercased, is the name of an earlier stage or
    /// an earlier stage's number. Worked out for all stages at once with a
    /// map from names (one scan of the earlier stages per stage made a file
    /// of many stages quadratic).
    pub fn is_stage_ref(&self, s: usize) -> bool {
        let refs = self.stage_refs.get_or_init(|| {
            let stages = self.doc.stages();
            let mut first: HashMap<&str, usize> = HashMap::with_capacity(stages.len());
            for st in stages {
                if let Some(n) = st.name.as_deref() {
                    first.entry(n).or_insert(st.index);
                }
            }
            let args = self.global_args();
            stages
                .iter()
                .map(|st| {
                    let t = resolve(&st.image.text, args).to_ascii_lowercase();
                    first.get(t.as_str()).is_some_and(|&k| k < st.index)
                        || t.parse::<usize>().is_ok_and(|n| n < st.index)
                })
                .collect()
        });
        refs.get(s).copied().unwrap_or(false)
    }

    /// The calls of manager `name` (its table `pm`) in the RUN (or `ONBUILD
    /// RUN`) at instruction `i`, in text order; empty when the RUN cannot
    /// be read. Found once per pass and manager.
    pub fn calls(&self, i: usize, name: &str, pm: &PackageManager) -> Arc<[calls::PmCall]> {
        let lock = || self.calls.0.lock().unwrap_or_else(|e| e.into_inner());
        let key = {
            let mut t = lock();
            let key = (i, t.name_id(name));
            if let Some(c) = t.get(key) {
                return c;
            }
            key
        };
        // Found without the lock: the shell view may be parsed here.
        let found = match self.run_script(i) {
            None => Vec::new(),
            // A RUN of many commands (270k, merged) is asked about each
            // manager in turn: its commands' prefixes are skipped once.
            Some(s) if s.commands.len() >= MANY_COMMANDS => {
                let heads = lock().heads.get(&i).cloned();
                let heads = heads.unwrap_or_else(|| {
                    let h: Arc<[calls::Head]> = calls::heads(s).collect();
                    lock().heads.insert(i, h.clone());
                    h
                });
                calls::calls_at(s, heads.iter().copied(), pm)
            }
            Some(s) => calls::find_calls(s, pm),
        };
        lock().insert(key, found)
    }

    /// Stages built `FROM` stage `s`, directly or through other stages, in
    /// order.
    pub fn descendants(&self, s: usize) -> Vec<usize> {
        let parents = self.parents();
        let mut reached = vec![false; parents.len()];
        let mut out = Vec::new();
        if s < reached.len() {
            reached[s] = true;
        }
        for (k, p) in parents.iter().enumerate().skip(s + 1) {
            if p.is_some_and(|p| reached[p]) {
                reached[k] = true;
                out.push(k);
            }
        }
        out
    }

    /// The non-root USER instruction `at` runs as: the stage's last USER
    /// before it (before the stage's end for an ONBUILD trigger, which runs
    /// after the whole stage), else the one in force at the end of the
    /// stage it is built on; `None` for root (`root`, `0`) or no USER.
    pub fn user_at(&self, at: usize) -> Option<&str> {
        let users = self.users.get_or_init(|| {
            let doc = self.doc;
            let instrs = doc.instructions();
            // A USER is inherited through `FROM <stage name>` only.
            let mut by_name: HashMap<String, usize> = HashMap::new();
            // The USER in force at the end of each stage.
            let mut at_end: Vec<Option<u32>> = Vec::with_capacity(doc.stages().len());
            let mut out = vec![None; instrs.len()];
            for st in doc.stages() {
                let inherited = by_name
                    .get(&st.image.text.to_ascii_lowercase())
                    .and_then(|&p| at_end[p]);
                let mut current: Option<u32> = None;
                for i in st.instructions.clone() {
                    out[i] = current.or(inherited);
                    if instrs[i].keyword == Keyword::User {
                        current = u32::try_from(i).ok();
                    }
                }
                let end = current.or(inherited);
                for i in st.instructions.clone() {
                    if instrs[i].keyword == Keyword::Onbuild {
                        out[i] = end;
                    }
                }
                at_end.push(end);
                if let Some(n) = &st.name {
                    by_name.insert(n.to_ascii_lowercase(), st.index);
                }
            }
            out
        });
        let user = self.doc.instructions().get((*users.get(at)?)? as usize)?;
        let value = user.values().first().map_or("", String::as_str);
        Some(value.split(':').next().unwrap_or("")).filter(|n| *n != "root" && *n != "0")
    }
}

/// The document uses what only BuildKit builds: a `# syntax=` directive, a
/// heredoc, `RUN --mount/--network/--security`, `COPY --link/--chmod`.
pub fn uses_buildkit(doc: &Document) -> bool {
    doc.directive("syntax").is_some()
        || doc.instructions().iter().any(|i| {
            !i.heredocs().is_empty()
                || i.flags().iter().any(|f| {
                    matches!(f.name(), "mount" | "link" | "network" | "security")
                        || (f.name() == "chmod" && i.keyword == Keyword::Copy)
                })
        })
}

/// Whether any RUN's (or ONBUILD's) text contains `needle`: a cheap first
/// test, so that a file that never mentions a tool costs neither shell
/// parses nor a load of the data tables.
pub fn any_run_mentions(doc: &Document, needle: &str) -> bool {
    doc.instructions().iter().any(|i| {
        matches!(i.keyword, Keyword::Run | Keyword::Onbuild) && i.logical.text.contains(needle)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_at_follows_stages_roots_and_triggers() {
        let doc = Document::parse(
            "FROM debian AS base\nRUN a\nUSER app:app\nRUN b\nONBUILD RUN c\nUSER root\n\
             FROM BASE AS child\nRUN d\nUSER 1000\nRUN e\n\
             FROM base AS other\nONBUILD RUN f\nUSER nobody\n\
             FROM debian\nRUN g\n",
        )
        .unwrap();
        let m = Model::new(&doc);
        let user = |i: usize| m.user_at(i).map(str::to_string);
        assert_eq!(user(1), None); // RUN a
        assert_eq!(user(3).as_deref(), Some("app")); // RUN b
        assert_eq!(user(4), None); // ONBUILD: the stage ends as root
        assert_eq!(user(7), None); // RUN d: inherits root
        assert_eq!(user(9).as_deref(), Some("1000")); // RUN e
        assert_eq!(user(11).as_deref(), Some("nobody")); // trigger: stage end
        assert_eq!(user(14), None); // RUN g: a fresh image
    }

    #[test]
    fn descendants_by_name_and_number() {
        let doc = Document::parse(
            "FROM debian AS a\nFROM a AS b\nFROM debian AS c\nFROM B\nFROM 2\nFROM 9\n",
        )
        .unwrap();
        let m = Model::new(&doc);
        assert_eq!(m.parents(), &[None, Some(0), None, Some(1), Some(2), None]);
        assert_eq!(m.descendants(0), vec![1, 3]);
        assert_eq!(m.descendants(2), vec![4]);
        assert_eq!(m.descendants(5), Vec::<usize>::new());
    }
}
