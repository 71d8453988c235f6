//! "Does a later RUN, a stage built on this one or an ONBUILD trigger use
//! the package index this RUN leaves or removes?", asked once: DS002
//! (`apt_cleanup`, before removing the apt lists) and the cache transforms
//! (`pkg_cache`, before dropping an `apk update`) walk the same places in
//! the same order, and differ only in how they read one instruction.
//!
//! The rule for triggers: an `ONBUILD` runs in a child build, after the
//! whole stage, wherever it stands in it; so it meets the index the stage
//! ends with. A RUN later in the stage that refreshes the index (or that
//! the caller makes refresh it) settles that state for the triggers; only
//! without one do the stage's triggers, before or after the RUN, count.

use crate::model::Model;
use crate::syntax::Keyword;

/// How one instruction uses the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexUse {
    /// Does not touch it.
    None,
    /// Refreshes it before any use.
    Refreshes,
    /// Reads it without refreshing it first.
    Reads,
    /// Cannot be read but mentions the manager: may read it.
    Unknown,
}

impl IndexUse {
    /// Reads the index, or may.
    pub fn reads(self) -> bool {
        matches!(self, IndexUse::Reads | IndexUse::Unknown)
    }
}

/// The instructions that meet the index first after instruction `i`, in
/// the order they run:
/// - `i` a RUN: the first user in the rest of its stage (triggers skipped).
///   When there is one, that is all: it refreshes the index, reads it (the
///   caller makes it refresh or gives up) or may (the caller gives up).
///   Otherwise the first trigger of the stage, wherever it stands, that
///   reads or may, then the first user of each stage built on it.
/// - `i` an ONBUILD trigger: the first later trigger of its stage that
///   reads or may, then the first user of each stage built on it.
///
/// In a stage built on `i`'s, a trigger counts when it reads or may.
/// `use_at(j)` says how instruction `j` uses the index; `next(j)` is the
/// first instruction at or after `j` that may use it (a jump table the
/// caller keeps; `|j| j` looks at every one).
pub fn first_users(
    model: &Model,
    i: usize,
    use_at: impl Fn(usize) -> IndexUse,
    next: impl Fn(usize) -> usize,
) -> Vec<usize> {
    let doc = model.doc();
    let instrs = doc.instructions();
    let Some(stage) = doc.stage_of(i) else {
        return Vec::new();
    };
    let trigger = |j: usize| instrs[j].keyword == Keyword::Onbuild;
    // The first instruction of `range` that uses the index; a trigger only
    // when `triggers` and it reads.
    let first = |range: std::ops::Range<usize>, triggers: bool, others: bool| {
        let mut j = next(range.start);
        while j < range.end {
            let u = use_at(j);
            if (trigger(j) && triggers && u.reads())
                || (!trigger(j) && others && u != IndexUse::None)
            {
                return Some(j);
            }
            j = next(j + 1);
        }
        None
    };
    let mut out = Vec::new();
    if trigger(i) {
        out.extend(first(i + 1..stage.instructions.end, true, false));
    } else if let Some(j) = first(i + 1..stage.instructions.end, false, true) {
        return vec![j];
    } else {
        out.extend(first(stage.from + 1..stage.instructions.end, true, false));
    }
    for d in model.descendants(stage.index) {
        let st = &doc.stages()[d];
        out.extend(first(st.from + 1..st.instructions.end, true, true));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::Document;

    /// Instructions whose text holds `update` refresh, `read` read, `???`
    /// may read.
    fn users(src: &str, i: usize) -> Vec<usize> {
        let doc = Document::parse(src).unwrap();
        let m = Model::new(&doc);
        let use_at = |j: usize| {
            let t = doc.instructions()[j].args_text();
            if t.contains("update") {
                IndexUse::Refreshes
            } else if t.contains("read") {
                IndexUse::Reads
            } else if t.contains("???") {
                IndexUse::Unknown
            } else {
                IndexUse::None
            }
        };
        first_users(&m, i, use_at, |j| j)
    }

    #[test]
    fn the_stage_first_then_its_triggers_and_children() {
        // 0 FROM, 1 ONBUILD read, 2 RUN (i), 3 RUN x, 4 RUN read, 5 RUN read
        let src = "FROM a AS base\nONBUILD RUN read\nRUN i\nRUN x\nRUN read\nRUN read\n\
                   FROM base\nRUN read\n";
        // The stage's next reader settles it: the trigger and the child
        // see what that RUN leaves.
        assert_eq!(users(src, 2), [4]);
        // Without one, the trigger before the RUN counts (it runs after
        // the whole stage), then the child's first reader.
        let src = "FROM a AS base\nONBUILD RUN read\nRUN i\nRUN x\nFROM base\nRUN x\nRUN read\n";
        assert_eq!(users(src, 2), [1, 6]);
        // A trigger that only refreshes is no reader; a child that
        // refreshes first is its own first user.
        let src = "FROM a AS base\nONBUILD RUN update\nRUN i\nFROM base\nRUN update\nRUN read\n";
        assert_eq!(users(src, 2), [4]);
        // From a trigger: later triggers only, then the children.
        let src = "FROM a AS base\nONBUILD RUN read\nONBUILD RUN i\nRUN read\nONBUILD RUN ???\n\
                   FROM base\nRUN read\n";
        assert_eq!(users(src, 2), [4, 6]);
        // Another stage is no child.
        let src = "FROM a AS base\nRUN i\nFROM a\nRUN read\n";
        assert!(users(src, 1).is_empty());
    }
}
