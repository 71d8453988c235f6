//! Selection, suppression and the fixed-point fix loop.
//!
//! Transforms only propose; this module decides what is applied. Each pass
//! collects findings from the selected transforms, applies the fixes that are
//! safe enough and do not overlap, re-parses, and repeats until nothing is
//! left to apply. A pass that produces an unparseable file, or a loop that
//! does not settle, is a bug in a transform: the original text is kept and
//! the transform is named.

use std::path::Path;
use std::sync::Arc;

use crate::buildctx::BuildContext;
use crate::finding::Finding;
use crate::model::ScriptMemo;
use crate::syntax::{Document, ParseError};
use crate::transform::{Context, Transform};
use crate::transforms;

/// Passes before the loop is declared non-converging.
const MAX_PASSES: usize = 16;

/// Findings for one document, sorted by position, suppressions applied.
pub fn check(doc: &Document, settings: &Settings) -> Result<Vec<Finding>, Error> {
    check_report(doc, None, settings).map(|r| r.findings)
}

/// A `# dslim ignore=` entry that silenced nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnusedSuppression {
    /// The code or name as written.
    pub code: String,
    /// Where it is written.
    pub span: crate::syntax::Span,
}

/// What checking one document found.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    /// Findings, sorted by position, suppressions applied.
    pub findings: Vec<Finding>,
    /// `# dslim ignore=` / `# dslim global ignore=` entries that silenced
    /// nothing, except those naming only transforms that did not run.
    pub unused_suppressions: Vec<UnusedSuppression>,
}

/// [`check`] for the Dockerfile at `path` (its build context is read),
/// also telling which suppressions were not needed.
pub fn check_report(
    doc: &Document,
    path: Option<&Path>,
    settings: &Settings,
) -> Result<CheckReport, Error> {
    check_report_with(doc, path, settings, ScriptMemo::new())
}

/// [`check_report`] taking shell views from `memo` (and adding its own),
/// for a caller that goes on with [`fix_counts_after`] on the same file.
pub fn check_report_with(
    doc: &Document,
    path: Option<&Path>,
    settings: &Settings,
    memo: Arc<ScriptMemo>,
) -> Result<CheckReport, Error> {
    let build = BuildContext::locate(settings.context.as_deref(), path);
    let cx = Context::new(doc, &settings.config)
        .with_files(path, build)
        .with_memo(memo);
    let selected = settings.transforms();
    let findings = run_transforms(doc, &cx, &selected)?;
    let unused_suppressions = cx
        .suppressions
        .unused()
        .into_iter()
        .filter(|e| {
            // An entry for a transform that did not run may well be needed.
            let known = transforms::ALL
                .iter()
                .any(|t| crate::suppression::matches(&e.code, t.meta()));
            let ran = selected
                .iter()
                .any(|t| crate::suppression::matches(&e.code, t.meta()));
            ran || !known
        })
        .map(|e| UnusedSuppression {
            code: e.code.clone(),
            span: e.span.clone(),
        })
        .collect();
    Ok(CheckReport {
        findings,
        unused_suppressions,
    })
}

/// Parses `src`, turning a parser panic (a bug) into an internal error so
/// one bad file never takes down a run over a whole repository, and
/// rejecting what BuildKit's build rejects although its parser accepts it
/// (see [`unknown_instruction`]).
pub fn parse(src: &str) -> Result<Document, Error> {
    checked(std::panic::catch_unwind(|| Document::parse(src)))
}

/// [`parse`] of a text the document keeps (no copy of it).
pub(crate) fn parse_owned(src: String) -> Result<Document, Error> {
    checked(std::panic::catch_unwind(|| Document::parse_owned(src)))
}

fn checked(
    parsed: std::thread::Result<Result<Document, crate::syntax::ParseError>>,
) -> Result<Document, Error> {
    let doc = parsed
        .map_err(|p| Error::Internal {
            transforms: vec!["parser"],
            message: format!("panic: {}", panic_message(&p)),
        })?
        .map_err(Error::Parse)?;
    match unknown_instruction(&doc) {
        Some(e) => Err(Error::Parse(e)),
        None => Ok(doc),
    }
}

/// The first instruction whose keyword BuildKit does not know. Its parser
/// keeps such a line (`parseIgnore`) but every build fails on it with
/// `unknown instruction`, so fixing or checking the rest of the file would
/// only hide the error: mostly a missing line continuation that turned a
/// package name into an instruction. When an instruction ends on the line
/// before it (without a heredoc), the error asks about a missing escape.
pub fn unknown_instruction(doc: &Document) -> Option<ParseError> {
    use crate::syntax::Keyword;
    let all = doc.instructions();
    let k = all.iter().position(|i| i.keyword == Keyword::Unknown)?;
    let ins = &all[k];
    let at = ins.logical.to_source(ins.command.keyword.start);
    let mut message = format!("unknown instruction `{}`", ins.keyword_text());
    // Only blank and comment lines stand between two instructions, and a
    // continuation skips both: one escape character would have joined them.
    if let Some(prev) = k.checked_sub(1).map(|p| &all[p]) {
        if prev.heredocs().is_empty() {
            message.push_str(&format!(
                " (a missing `{}` at the end of line {}?)",
                doc.escape(),
                prev.end_line
            ));
        }
    }
    Some(ParseError::at(doc.source(), at, message))
}

fn panic_message(p: &Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown".into())
}

fn run_transforms(
    doc: &Document,
    cx: &Context,
    ts: &[&'static dyn Transform],
) -> Result<Vec<Finding>, Error> {
    #[cfg(test)]
    RUNS_CHECKED.with(|n| {
        use crate::syntax::Keyword;
        let runs = doc
            .instructions()
            .iter()
            .filter(|i| matches!(i.keyword, Keyword::Run | Keyword::Onbuild))
            .count();
        n.set(n.get() + runs)
    });
    // Each transform's findings, then all of them in one list of the exact
    // size (appended one by one, the list grew to twice what it held: 200k
    // findings on a file of 270k RUNs).
    let mut each = Vec::with_capacity(ts.len());
    for t in ts {
        let meta = t.meta();
        // A panicking transform is a bug; contain it to this file.
        let mut found = Vec::new();
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            t.check(doc, cx, &mut found)
        }))
        .map_err(|p| Error::Internal {
            transforms: vec![meta.code],
            message: format!("panic: {}", panic_message(&p)),
        })?;
        // Drop what an inline comment silences.
        found.retain(|f| {
            !instruction_at(doc, f.span.start).is_some_and(|k| cx.suppressions.suppresses(k, meta))
        });
        each.push(found);
    }
    let mut out = Vec::with_capacity(each.iter().map(Vec::len).sum());
    for mut found in each {
        out.append(&mut found);
    }
    Ok(sorted(out))
}

/// `findings` in source order (by start, then code; findings that tie keep
/// the order they were found in). Sorted through a list of indices: a
/// stable sort of the findings themselves takes a buffer as large as the
/// list (200 bytes a finding, 100k of them on large files).
fn sorted(mut findings: Vec<Finding>) -> Vec<Finding> {
    const PLACED: u32 = u32::MAX;
    let n = u32::try_from(findings.len()).expect("fewer than 4G findings");
    // `order[k]`: the index of the finding that goes to position `k`.
    let mut order: Vec<u32> = (0..n).collect();
    order.sort_unstable_by_key(|&i| {
        let f = &findings[i as usize];
        (f.span.start, f.code, i)
    });
    // Apply the permutation in place, one cycle at a time.
    for start in 0..order.len() {
        let mut k = start;
        while order[k] != PLACED {
            let from = order[k] as usize;
            order[k] = PLACED;
            if from == start {
                break;
            }
            findings.swap(k, from);
            k = from;
        }
    }
    findings
}

#[cfg(test)]
thread_local! {
    /// RUN and ONBUILD instructions handed to the transforms on this
    /// thread, summed over passes: at most one shell parse each.
    static RUNS_CHECKED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The instruction whose span holds source offset `at` (an empty span
/// holds its start). Instructions are sorted and disjoint: a binary search.
fn instruction_at(doc: &Document, at: usize) -> Option<usize> {
    let instrs = doc.instructions();
    let k = instrs
        .partition_point(|ins| ins.span.start <= at)
        .checked_sub(1)?;
    let ins = &instrs[k];
    (at < ins.span.end.max(ins.span.start + 1)).then_some(k)
}

mod counts;
mod fixing;
mod settings;

pub use settings::{selector_is_known, selector_matches, Error, Settings, Source};

pub use counts::{fix_and_counts, fix_counts, fix_counts_after, FixCounts};
pub use fixing::{fix, Outcome};
#[cfg(test)]
use fixing::{fix_in, fix_with, Pass};

#[cfg(test)]
mod tests;
