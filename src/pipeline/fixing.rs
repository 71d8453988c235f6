//! The fixed-point fix loop: each pass checks, chooses the fixes that
//! apply and do not overlap, applies them and parses again.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{parse, run_transforms, Error, Settings, Source, MAX_PASSES};
use crate::buildctx::BuildContext;
use crate::edit::{self, Applicability, FileChange, Fix, Reach};
use crate::finding::Finding;
use crate::model::ScriptMemo;
use crate::syntax::{Document, Span};
use crate::transform::{Context, Transform};

/// The result of fixing one document.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub fixed: String,
    /// Codes of the fixes applied, one entry per fix.
    pub applied: Vec<&'static str>,
    /// Findings left in the fixed text (not fixable at this applicability).
    pub remaining: Vec<Finding>,
    /// Other files the fixes create or change (DS203's `.dockerignore`),
    /// computed once on the final text.
    pub files: Vec<FileChange>,
}

impl Outcome {
    pub fn changed(&self, original: &str) -> bool {
        self.fixed != original || !self.files.is_empty()
    }
}

/// Applies fixes to a fixed point: `src` is a text (`&str`) or a
/// [`Source`] naming the file, whose build context transforms then read.
pub fn fix<'a>(src: impl Into<Source<'a>>, settings: &Settings) -> Result<Outcome, Error> {
    let src = src.into();
    let build = BuildContext::locate(settings.context.as_deref(), src.path);
    let ts = settings.transforms();
    let pass = Pass::new(&ts, settings.min_applicability(), &settings.config);
    fix_in(src, pass.with_build(build))
}

#[cfg(test)]
pub(super) fn fix_with(
    src: &str,
    ts: &[&'static dyn Transform],
    min: Applicability,
    config: &crate::config::Config,
) -> Result<Outcome, Error> {
    fix_in(src.into(), Pass::new(ts, min, config))
}

/// How [`fix_in`] runs.
pub(super) struct Pass<'t> {
    pub(super) build: Option<BuildContext>,
    pub(super) ts: &'t [&'static dyn Transform],
    pub(super) min: Applicability,
    pub(super) config: &'t crate::config::Config,
    /// Shell views shared by the passes (and with an earlier `check`).
    pub(super) memo: Arc<ScriptMemo>,
    /// The findings of the first pass, when a `check` of the same text
    /// with the same transforms and context has them.
    pub(super) first: Option<Vec<Finding>>,
    /// The passes of an earlier loop over the same file with the same
    /// transforms and context (see [`Passes`]): a pass over a text found
    /// there takes its findings.
    pub(super) seen: &'t [Seen],
}

impl<'t> Pass<'t> {
    /// A loop of `ts` at `min`, with no build context, a fresh memo and no
    /// earlier findings.
    pub(super) fn new(
        ts: &'t [&'static dyn Transform],
        min: Applicability,
        config: &'t crate::config::Config,
    ) -> Self {
        Pass {
            build: None,
            ts,
            min,
            config,
            memo: ScriptMemo::new(),
            first: None,
            seen: &[],
        }
    }
    pub(super) fn with_build(self, build: Option<BuildContext>) -> Self {
        Pass { build, ..self }
    }
    pub(super) fn with_memo(self, memo: Arc<ScriptMemo>) -> Self {
        Pass { memo, ..self }
    }
    pub(super) fn with_first(self, first: Option<Vec<Finding>>) -> Self {
        Pass { first, ..self }
    }
    pub(super) fn with_seen(self, seen: &'t [Seen]) -> Self {
        Pass { seen, ..self }
    }
}

/// The text and the findings of each pass of a fix loop, up to the first
/// file it writes (which changes what later passes read). Findings do not
/// depend on the applicability, so the `--unsafe` loop that follows the
/// fix takes them for every text the two loops share (the first, and
/// whatever the unsafe fixes leave as the fix had it).
pub(super) type Passes = Vec<Seen>;

/// One of [`Passes`]: a text and its findings (shared: the `--unsafe`
/// loop may start from the first on another thread, see
/// [`super::fix_and_counts`]).
pub(super) type Seen = Arc<(String, Vec<Finding>)>;

/// What [`fix_loop`] hands its first pass to (with the number of
/// instructions of its text); `true`: it took it.
pub(super) type FirstSeen<'f> = dyn FnMut(&Seen, usize) -> bool + 'f;

pub(super) fn fix_in(src: Source, pass: Pass) -> Result<Outcome, Error> {
    fix_loop(src, pass, None, None)
}

/// [`fix_in`]; `record` receives its [`Passes`], and `first_seen` is
/// handed the first of them (with the number of instructions of its text)
/// as soon as it is recorded; when it says it took it, nothing more is
/// recorded.
pub(super) fn fix_loop(
    src: Source,
    pass: Pass,
    mut record: Option<&mut Passes>,
    mut first_seen: Option<&mut FirstSeen>,
) -> Result<Outcome, Error> {
    let Pass {
        build,
        ts,
        min,
        config,
        memo,
        mut first,
        seen,
    } = pass;
    // Each pass taken from `seen` is let go once used (no pass comes back
    // to a text), so its findings are freed when nothing else holds them.
    let mut seen: Vec<Seen> = seen.to_vec();
    // `first_seen` took the first pass: nothing more is recorded.
    let mut handed = false;
    // A file was written: later passes read another context.
    let mut wrote = false;
    let mut doc = parse(src.text)?;
    let mut build = build;
    let mut applied = Vec::new();
    // Other files written so far: `old` as on disk, `new` as now.
    let mut files: Vec<FileChange> = Vec::new();
    for _ in 0..MAX_PASSES {
        let mut fresh = first.take();
        let taken = match fresh {
            None if !wrote => seen
                .iter()
                .position(|s| s.0.as_str() == doc.source())
                .map(|k| seen.swap_remove(k)),
            _ => None,
        };
        let mut known: &[Finding] = &[];
        if fresh.is_none() {
            match &taken {
                Some(s) => known = &s.1,
                None => {
                    memo.keep_only(&doc);
                    let cx = Context::new(&doc, config)
                        .with_files(src.path, build.clone())
                        .with_memo(memo.clone());
                    fresh = Some(run_transforms(&doc, &cx, ts)?);
                }
            }
        }
        // The findings of this pass; a recorded pass keeps them in
        // `record` (one copy: a pass of 35k RUNs has ~100k findings).
        let held;
        let findings: &[Finding] = match (fresh, record.as_deref_mut().filter(|_| !wrote)) {
            (f, Some(r)) => {
                let f = f.unwrap_or_else(|| known.to_vec());
                r.push(Arc::new((doc.source().to_string(), f)));
                if r.len() == 1 {
                    if let Some(hand) = first_seen.take() {
                        handed = hand(&r[0], doc.instructions().len());
                    }
                }
                &r[r.len() - 1].1
            }
            (Some(f), None) => {
                held = f;
                &held
            }
            (None, None) => known,
        };
        let chosen = choose(findings, min, ts);
        if chosen.is_empty() {
            // Fixes to other files apply once the Dockerfile has settled;
            // then the loop goes on reading the context as written, since a
            // written file can make another fix possible (DS202 is safe once
            // DS203's `.dockerignore` excludes `node_modules`): a second
            // `fix` finds nothing.
            let (file_fixes, remaining): (Vec<Finding>, Vec<Finding>) =
                findings.iter().cloned().partition(|f| {
                    f.fix
                        .as_ref()
                        .is_some_and(|x| x.file.is_some() && x.applicability >= min)
                });
            applied.extend(file_fixes.iter().map(|f| f.code));
            let changes = edit::merge_file_edits(
                file_fixes
                    .iter()
                    .filter_map(|f| f.fix.as_ref()?.file.as_deref()),
            );
            let next = match build.as_ref() {
                Some(b) if !changes.is_empty() => {
                    b.with_files_written(changes.iter().map(|c| (c.path.as_path(), c.new.as_str())))
                }
                _ => None,
            };
            for c in changes {
                match files.iter_mut().find(|f| f.path == c.path) {
                    Some(f) => f.new = c.new,
                    None => files.push(c),
                }
            }
            match next {
                Some(b) => {
                    build = Some(b);
                    wrote = true;
                }
                // Nothing more to write, or a file outside the context
                // (not read back): the outcome as it stands.
                None => {
                    return Ok(Outcome {
                        fixed: doc.source().to_string(),
                        applied,
                        remaining,
                        files,
                    })
                }
            }
            continue;
        }
        let text = apply_fixes(doc.source(), chosen.iter().map(|(_, f)| *f)).ok_or_else(|| {
            Error::Internal {
                transforms: codes(&chosen),
                message: "fixes produced overlapping edits".into(),
            }
        })?;
        // The old document goes before the new one is parsed (only its text
        // is kept, for an error): two documents of 270k instructions were
        // the peak of `fix`.
        let old = doc.into_source();
        match super::parse_owned(text) {
            Ok(d) => doc = d,
            Err(e) => {
                return Err(Error::Internal {
                    transforms: culprits(&old, &chosen),
                    message: format!("fixed text does not parse ({e})"),
                })
            }
        }
        applied.extend(chosen.iter().map(|(c, _)| *c));
        if handed {
            // The loop `first_seen` started needs no more passes, and the
            // first one is freed once it has used it.
            if let Some(r) = record.take() {
                r.clear();
            }
        }
    }
    let cx = Context::new(&doc, config)
        .with_files(src.path, build)
        .with_memo(memo);
    let findings = run_transforms(&doc, &cx, ts)?;
    let still = choose(&findings, min, ts);
    Err(Error::Internal {
        transforms: codes(&still),
        message: format!("fixes did not converge after {MAX_PASSES} passes"),
    })
}

/// The stage split's code and the base swaps it wins over (see [`choose`]).
const SPLIT: &str = "DS201";
const BASE_SWAPS: &[&str] = &["DS101", "DS102", "DS103"];

/// Non-overlapping fixes at or above `min`, in source order. When fixes
/// touch or overlap, the transform that comes first in the registry wins and
/// the others wait for the next pass, where they see its result: merging
/// RUNs first lets a cache transform find a cleanup that stood in the next
/// RUN instead of adding a second one. A stage split (DS201) wins over the
/// base swaps (DS101–DS103) of the same stage whatever the order, since its
/// runtime already is the small image and its builder must keep the full
/// one: they wait while a split is on offer. Flags added to commands
/// ([`Reach::Words`]) go with a merge of their RUNs ([`Reach::Joints`])
/// when no edits touch: the merge of 270k RUNs and the flags of the 90k
/// `pip install`s among them take one pass, not one over the RUNs and a
/// second over the merged RUN.
fn choose<'a>(
    findings: &'a [Finding],
    min: Applicability,
    ts: &[&'static dyn Transform],
) -> Vec<(&'static str, &'a Fix)> {
    let rank = |code: &str| {
        ts.iter()
            .position(|t| t.meta().code == code)
            .unwrap_or(usize::MAX)
    };
    // Each fix's range, computed once: a merge of 270k RUNs has 540k
    // edits, and sorting asks for the key again and again.
    let mut cands: Vec<(usize, &'static str, &Fix, Span)> = findings
        .iter()
        .filter_map(|f| f.fix.as_ref().map(|x| (rank(f.code), f.code, x)))
        .filter(|(_, _, x)| x.applicability >= min && !x.edits.is_empty())
        .map(|(k, c, x)| (k, c, x, x.range()))
        .collect();
    // A base swap inside a split waits until the split is applied (and is
    // then gone: the builder is no final stage, the runtime already small).
    let splits: Vec<Span> = cands
        .iter()
        .filter(|(_, c, _, _)| *c == SPLIT)
        .map(|(_, _, _, r)| r.clone())
        .collect();
    cands.retain(|(_, c, _, r)| {
        !(BASE_SWAPS.contains(c) && splits.iter().any(|t| r.start <= t.end && t.start <= r.end))
    });
    cands.sort_by_key(|(k, _, _, r)| (*k, r.start, r.end));
    let mut taken = Taken::default();
    let mut out: Vec<(&'static str, &Fix, Span)> = Vec::new();
    for (_, c, x, r) in cands {
        if taken.admits(x, &r) {
            taken.add(x, &r);
            out.push((c, x, r));
        }
    }
    out.sort_by_key(|(_, _, r)| (r.start, r.end));
    out.into_iter().map(|(c, x, _)| (c, x)).collect()
}

/// What [`choose`] has taken so far. Touching counts as overlapping: two
/// insertions at one offset would otherwise depend on the order they were
/// applied in. Each map holds ranges by start that never overlap, so their
/// ends grow with their starts and the ranges touching a span are the last
/// few starting at or before its end.
#[derive(Default)]
struct Taken<'a> {
    /// The ranges of the `Range` and `Joints` fixes taken, with the edits
    /// of a `Joints` fix (sorted, disjoint: looked up where a `Words` fix
    /// falls, not copied into a map edit by edit; a merge of 270k RUNs
    /// has 540k).
    ranges: BTreeMap<usize, (usize, Option<&'a [edit::Edit]>)>,
    /// The ranges of the `Words` fixes taken.
    words: BTreeMap<usize, usize>,
}

/// The values of `map` whose range (`end` of the value) touches `r`.
fn touching<'m, V>(
    map: &'m BTreeMap<usize, V>,
    r: &Span,
    end: impl Fn(&V) -> usize + 'm,
) -> impl Iterator<Item = &'m V> + 'm {
    let start = r.start;
    map.range(..=r.end)
        .rev()
        .map(|(_, v)| v)
        .take_while(move |v| end(v) >= start)
}

/// Whether one of `edits` (sorted by start, then end, and disjoint, so
/// their ends grow with their starts) touches `r`: the last edit starting
/// at or before `r`'s end has the greatest end of those that may.
fn edits_touch(edits: &[edit::Edit], r: &Span) -> bool {
    let k = edits.partition_point(|e| e.span.start <= r.end);
    edits[..k].last().is_some_and(|e| e.span.end >= r.start)
}

impl<'a> Taken<'a> {
    /// Whether `x` touches nothing taken, where [`Reach`] tells what
    /// counts: a `Words` fix may lie inside a `Joints` fix when no edit of
    /// it touches a joint.
    fn admits(&self, x: &Fix, r: &Span) -> bool {
        match x.reach {
            Reach::Range => {
                touching(&self.ranges, r, |v| v.0).next().is_none()
                    && touching(&self.words, r, |&v| v).next().is_none()
            }
            Reach::Joints => {
                touching(&self.ranges, r, |v| v.0).next().is_none()
                    && x.edits
                        .iter()
                        .all(|e| touching(&self.words, &e.span, |&v| v).next().is_none())
            }
            Reach::Words => {
                touching(&self.words, r, |&v| v).next().is_none()
                    && touching(&self.ranges, r, |v| v.0).all(|v| {
                        v.1.is_some_and(|joints| {
                            x.edits.iter().all(|e| !edits_touch(joints, &e.span))
                        })
                    })
            }
        }
    }

    fn add(&mut self, x: &'a Fix, r: &Span) {
        match x.reach {
            Reach::Range => {
                self.ranges.insert(r.start, (r.end, None));
            }
            Reach::Joints => {
                self.ranges.insert(r.start, (r.end, Some(&x.edits)));
            }
            Reach::Words => {
                self.words.insert(r.start, r.end);
            }
        }
    }
}

/// The edits of `fixes` applied together. A `Words` fix inside a `Joints`
/// one interleaves with it: the edits are sorted (stably: a fix's own
/// insertions at one offset keep their order; fixes never touch).
fn apply_fixes<'a>(src: &str, fixes: impl Iterator<Item = &'a Fix>) -> Option<String> {
    let mut edits: Vec<&edit::Edit> = fixes.flat_map(|f| f.edits.iter()).collect();
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    edit::apply(src, &edits)
}

fn codes(chosen: &[(&'static str, &Fix)]) -> Vec<&'static str> {
    let mut v: Vec<_> = chosen.iter().map(|(c, _)| *c).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// The transforms whose fix alone breaks the parse (all of them if none does
/// alone: then it is their combination).
fn culprits(src: &str, chosen: &[(&'static str, &Fix)]) -> Vec<&'static str> {
    let mut bad: Vec<&'static str> = chosen
        .iter()
        .filter(|(_, f)| {
            apply_fixes(src, std::iter::once(*f)).is_none_or(|t| Document::parse(&t).is_err())
        })
        .map(|(c, _)| *c)
        .collect();
    bad.sort_unstable();
    bad.dedup();
    if bad.is_empty() {
        codes(chosen)
    } else {
        bad
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::Edit;

    fn finding(code: &'static str, edits: Vec<Edit>, reach: Reach) -> Finding {
        let fix = Fix::safe(edits).with_reach(reach);
        Finding {
            code,
            name: "n",
            message: "".into(),
            span: fix.range(),
            fix: Some(fix),
            saving_bytes: None,
        }
    }

    /// A merge with joints at `5..6` and `24..25` (its range `5..25`).
    fn joints() -> Finding {
        finding(
            "DS001",
            vec![Edit::replace(5..6, " && "), Edit::replace(24..25, " && ")],
            Reach::Joints,
        )
    }

    /// The fixes `choose` takes from `findings`, the transforms ranked as
    /// `order` lists their codes (a code not listed ranks last).
    fn taken_in(order: &[&str], findings: &[Finding]) -> Vec<(&'static str, Span)> {
        let ts: Vec<&'static dyn Transform> = order
            .iter()
            .map(|c| {
                *crate::transforms::ALL
                    .iter()
                    .find(|t| t.meta().code == *c)
                    .unwrap()
            })
            .collect();
        choose(findings, Applicability::Safe, &ts)
            .into_iter()
            .map(|(c, x)| (c, x.range()))
            .collect()
    }

    /// [`taken_in`] with the merge ranked first, as in the registry.
    fn taken(findings: &[Finding]) -> Vec<(&'static str, Span)> {
        taken_in(&["DS001", "DS002", "DS003"], findings)
    }

    #[test]
    fn words_inside_joints_go_together_unless_an_edit_touches_a_joint() {
        let inside = finding("DS002", vec![Edit::insert(12, " --flag")], Reach::Words);
        assert_eq!(
            taken(&[joints(), inside.clone()]),
            [("DS001", 5..25), ("DS002", 12..12)]
        );
        // An insertion at a joint's end touches it: it waits.
        let at_joint = finding("DS002", vec![Edit::insert(6, " --flag")], Reach::Words);
        assert_eq!(taken(&[joints(), at_joint]), [("DS001", 5..25)]);
        // Two word fixes in one place still wait for each other.
        let twin = finding("DS003", vec![Edit::insert(12, " --other")], Reach::Words);
        assert_eq!(
            taken(&[joints(), inside.clone(), twin]),
            [("DS001", 5..25), ("DS002", 12..12)]
        );
        // Words taken first: a merge whose joint they touch waits.
        let words_first = finding("DS005", vec![Edit::insert(24, " --flag")], Reach::Words);
        assert_eq!(
            taken_in(&["DS005", "DS001"], &[joints(), words_first.clone()]),
            [("DS005", 24..24)]
        );
        // Apart from the joints, both go whichever comes first.
        let pip = finding("DS005", vec![Edit::insert(12, " --flag")], Reach::Words);
        assert_eq!(
            taken_in(&["DS005", "DS001"], &[joints(), pip]),
            [("DS001", 5..25), ("DS005", 12..12)]
        );
    }

    /// The joints a word fix is checked against are looked up by position
    /// in the merge's own edits: each edit of the word fix counts, at a
    /// joint's start as at its end, and only the merge it falls in.
    #[test]
    fn each_edit_of_a_word_fix_is_checked_against_the_joints_around_it() {
        let at_start = finding("DS002", vec![Edit::insert(24, "x")], Reach::Words);
        assert_eq!(taken(&[joints(), at_start]), [("DS001", 5..25)]);
        // One edit clear of the joints, the other on the second one.
        let split = finding(
            "DS002",
            vec![Edit::insert(12, "x"), Edit::insert(25, "y")],
            Reach::Words,
        );
        assert_eq!(taken(&[joints(), split]), [("DS001", 5..25)]);
        let clear = finding(
            "DS002",
            vec![Edit::insert(7, "x"), Edit::insert(23, "y")],
            Reach::Words,
        );
        assert_eq!(
            taken(&[joints(), clear]),
            [("DS001", 5..25), ("DS002", 7..23)]
        );
        // Two merges: a word fix between their ranges touches neither, one
        // on the second merge's first joint waits.
        let second = finding(
            "DS001",
            vec![Edit::replace(40..41, " && "), Edit::replace(50..51, " && ")],
            Reach::Joints,
        );
        let between = finding("DS002", vec![Edit::insert(30, "x")], Reach::Words);
        let on_second = finding("DS003", vec![Edit::insert(40, "x")], Reach::Words);
        assert_eq!(
            taken(&[joints(), second, between, on_second]),
            [("DS001", 5..25), ("DS002", 30..30), ("DS001", 40..51)]
        );
    }

    #[test]
    fn a_range_fix_excludes_whatever_touches_its_range() {
        let range = finding("DS002", vec![Edit::replace(12..14, "x")], Reach::Range);
        assert_eq!(taken(&[joints(), range.clone()]), [("DS001", 5..25)]);
        let words = finding("DS003", vec![Edit::insert(13, " --flag")], Reach::Words);
        assert_eq!(taken(&[range.clone(), words]), [("DS002", 12..14)]);
        // Taken first, a range keeps the merge out too.
        assert_eq!(
            taken_in(&["DS002", "DS001"], &[joints(), range.clone()]),
            [("DS002", 12..14)]
        );
        // Apart, everything goes.
        let far = finding("DS002", vec![Edit::replace(40..41, "x")], Reach::Range);
        assert_eq!(
            taken(&[joints(), far]),
            [("DS001", 5..25), ("DS002", 40..41)]
        );
    }

    #[test]
    fn two_merges_touching_wait_even_when_joints_are_apart() {
        let other = finding(
            "DS001",
            vec![Edit::replace(15..16, " && "), Edit::replace(30..31, " && ")],
            Reach::Joints,
        );
        assert_eq!(taken(&[joints(), other]), [("DS001", 5..25)]);
    }

    #[test]
    fn interleaved_edits_apply_in_source_order() {
        let merge = joints();
        let inside = finding("DS002", vec![Edit::insert(12, "+")], Reach::Words);
        let src = "abcdefghijklmnopqrstuvwxyz0123";
        let fixes = [merge.fix.as_ref().unwrap(), inside.fix.as_ref().unwrap()];
        assert_eq!(
            apply_fixes(src, fixes.into_iter()).unwrap(),
            "abcde && ghijkl+mnopqrstuvwx && z0123"
        );
    }
}
