//! How many fixes `fix` and `fix --unsafe` apply: the counts `check`'s and
//! `fix`'s summaries show.

use std::sync::Arc;

use super::fixing::{fix_loop, Outcome, Pass, Passes, Seen};
use super::{Error, Settings, Source};
use crate::buildctx::BuildContext;
use crate::edit::Applicability;
use crate::finding::Finding;
use crate::model::ScriptMemo;

/// How many fixes `dslim fix` applies at the settings' level, and how many
/// more `dslim fix --unsafe` applies: the one definition both `check`'s and
/// `fix`'s summaries use, so "N fixable (M with --unsafe)" is what the two
/// commands really do (fixes that only appear after others, and fixes that
/// overlap and wait, are counted as `fix` counts them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FixCounts {
    /// Fixes `fix` applies with these settings.
    pub fixable: usize,
    /// Fixes `fix --unsafe` applies beyond those (0 with `--unsafe`).
    pub unsafe_more: usize,
    /// Of `fixable`: codes of the fixes no given finding accounts for, as
    /// they only apply to what another fix made (DS103 on the runtime
    /// stage a DS201 split adds). Known only from [`fix_counts_after`];
    /// empty from [`fix_counts`].
    pub follow_on: Vec<&'static str>,
    /// The same of `unsafe_more`.
    pub unsafe_follow_on: Vec<&'static str>,
}

/// `applied` less one code per finding in `findings` whose fix applies
/// at `min` (a multiset difference, in `applied`'s order).
fn follow_on(
    applied: &[&'static str],
    findings: &[Finding],
    min: Applicability,
) -> Vec<&'static str> {
    let mut shown: Vec<&'static str> = findings
        .iter()
        .filter(|f| {
            f.fix
                .as_ref()
                .is_some_and(|x| !x.is_empty() && x.applicability >= min)
        })
        .map(|f| f.code)
        .collect();
    let mut rest = Vec::new();
    for &code in applied {
        match shown.iter().position(|&c| c == code) {
            Some(i) => {
                shown.swap_remove(i);
            }
            None => rest.push(code),
        }
    }
    rest
}

/// `more` less one code per entry of `less` (a multiset difference).
fn without(more: Vec<&'static str>, less: &[&'static str]) -> Vec<&'static str> {
    let mut less = less.to_vec();
    more.into_iter()
        .filter(|c| match less.iter().position(|l| l == c) {
            Some(i) => {
                less.swap_remove(i);
                false
            }
            None => true,
        })
        .collect()
}

/// [`FixCounts`] for `src`. `at_level` is the outcome of [`fix`] with
/// `settings` when the caller has it (it is computed otherwise).
/// `fix --unsafe` is run only when unsafe fixes are off and a finding with
/// an unsafe fix is left.
pub fn fix_counts(
    src: Source,
    settings: &Settings,
    at_level: Option<&Outcome>,
) -> Result<FixCounts, Error> {
    counts(src, settings, at_level, None, ScriptMemo::new())
}

/// [`FixCounts`] for `src` right after [`check_report_with`] found
/// `findings` in it with the same settings and `memo`: those findings are
/// the first pass of both fix loops, and the RUNs no fix changes are not
/// parsed again.
pub fn fix_counts_after(
    src: Source,
    settings: &Settings,
    findings: &[Finding],
    memo: Arc<ScriptMemo>,
) -> Result<FixCounts, Error> {
    counts(src, settings, None, Some(findings), memo)
}

/// [`fix`] and the [`fix_counts`] of its outcome in one go, as `dslim fix`
/// needs both: the `--unsafe` loop takes the findings of every pass over a
/// text the fix's passes saw (the first one at least: findings do not
/// depend on the applicability) and shares their shell views, so only what
/// the unsafe fixes change is checked again. On a large file whose first
/// pass offers unsafe fixes, the `--unsafe` loop starts from that pass on
/// a second thread while the fix goes on with the next (the two loops
/// share nothing else); its outcome is the one the loop would give after
/// the fix, and is dropped when no unsafe fix is left to count.
pub fn fix_and_counts(src: Source, settings: &Settings) -> Result<(Outcome, FixCounts), Error> {
    let memo = ScriptMemo::new();
    let build = BuildContext::locate(settings.context.as_deref(), src.path);
    let ts = settings.transforms();
    let ahead_of_time = !settings.unsafe_fixes && src.text.len() >= AHEAD_BYTES;
    let mut passes = Passes::new();
    let (o, ahead) = std::thread::scope(|s| {
        let mut ahead = None;
        let mut start_unsafe = |first: &Seen, instructions: usize| {
            if !ahead_of_time || instructions < AHEAD_INSTRUCTIONS || !has_unsafe_fix(&first.1) {
                return false;
            }
            let (first, memo, build, ts) = (first.clone(), memo.clone(), build.clone(), &ts);
            let spawned = std::thread::Builder::new()
                .stack_size(crate::cli::STACK_SIZE)
                .spawn_scoped(s, move || {
                    #[cfg(test)]
                    AHEAD_RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let pass = Pass::new(ts, Applicability::Unsafe, &settings.config)
                        .with_build(build)
                        .with_memo(memo)
                        .with_seen(std::slice::from_ref(&first));
                    fix_loop(src, pass, None, None)
                });
            // No thread: the loop runs after the fix, as for a small file.
            ahead = spawned.ok();
            ahead.is_some()
        };
        let pass = Pass::new(&ts, settings.min_applicability(), &settings.config)
            .with_build(build.clone())
            .with_memo(memo.clone());
        let o = fix_loop(src, pass, Some(&mut passes), Some(&mut start_unsafe));
        let ahead = ahead.map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        (o, ahead)
    });
    let o = o?;
    let c = counts_in(src, settings, Some((&o, &passes)), None, memo, ahead)?;
    Ok((o, c))
}

/// How many `--unsafe` loops ran beside a fix (tests).
#[cfg(test)]
pub(super) static AHEAD_RUNS: std::sync::atomic::AtomicUsize =
    std::sync::atomic::AtomicUsize::new(0);

/// Files at least this large run the `--unsafe` loop of
/// [`fix_and_counts`] beside the fix (below it a second thread saves less
/// than it costs)...
pub(super) const AHEAD_BYTES: usize = 256 << 10;

/// ... when they have this many instructions: then the first pass, over
/// all of them, is the peak of memory, and the two loops' later passes
/// beside each other stay below it. A file of one RUN continued over
/// megabytes is no faster for it and would hold two views of that RUN at
/// once (8 MB: 254 → 347 MB peak RSS).
pub(super) const AHEAD_INSTRUCTIONS: usize = 1000;

/// Whether one of `findings` has an unsafe fix to apply.
fn has_unsafe_fix(findings: &[Finding]) -> bool {
    findings.iter().any(|f| {
        f.fix
            .as_ref()
            .is_some_and(|x| x.applicability == Applicability::Unsafe && !x.is_empty())
    })
}

fn counts(
    src: Source,
    settings: &Settings,
    at_level: Option<&Outcome>,
    first: Option<&[Finding]>,
    memo: Arc<ScriptMemo>,
) -> Result<FixCounts, Error> {
    counts_in(
        src,
        settings,
        at_level.map(|o| (o, &[][..])),
        first,
        memo,
        None,
    )
}

/// [`counts`]; `at_level` comes with the passes that made it (the
/// `--unsafe` loop takes their findings), when there are any; `ahead` is
/// the outcome of the `--unsafe` loop when it has run already.
fn counts_in(
    src: Source,
    settings: &Settings,
    at_level: Option<(&Outcome, &[Seen])>,
    first: Option<&[Finding]>,
    memo: Arc<ScriptMemo>,
    ahead: Option<Result<Outcome, Error>>,
) -> Result<FixCounts, Error> {
    let build = BuildContext::locate(settings.context.as_deref(), src.path);
    let ts = settings.transforms();
    let run = |min: Applicability, seen: &[Seen], record: Option<&mut Passes>| {
        let pass = Pass::new(&ts, min, &settings.config)
            .with_build(build.clone())
            .with_memo(memo.clone())
            .with_first(first.map(<[Finding]>::to_vec))
            .with_seen(seen);
        fix_loop(src, pass, record, None)
    };
    let computed;
    let mut recorded = Passes::new();
    let (level, seen) = match at_level {
        Some((o, seen)) => (o, seen),
        None => {
            computed = run(settings.min_applicability(), &[], Some(&mut recorded))?;
            (&computed, &recorded[..])
        }
    };
    let fixable = level.applied.len();
    let unsafe_left = !settings.unsafe_fixes && has_unsafe_fix(&level.remaining);
    let min = settings.min_applicability();
    let level_follow = first.map_or_else(Vec::new, |f| follow_on(&level.applied, f, min));
    let (unsafe_more, unsafe_follow_on) = if unsafe_left {
        let all = match ahead {
            Some(all) => all?,
            None => run(Applicability::Unsafe, seen, None)?,
        };
        let follow = first.map_or_else(Vec::new, |f| {
            without(
                follow_on(&all.applied, f, Applicability::Unsafe),
                &level_follow,
            )
        });
        (all.applied.len().saturating_sub(fixable), follow)
    } else {
        (0, Vec::new())
    };
    Ok(FixCounts {
        fixable,
        unsafe_more,
        follow_on: level_follow,
        unsafe_follow_on,
    })
}
