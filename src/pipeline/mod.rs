//! Selection, suppression and the fixed-point fix loop.
//!
//! Transforms only propose; this module decides what is applied. Each pass
//! collects findings from the selected transforms, applies the fixes that are
//! safe enough and do not overlap, re-parses, and repeats until nothing is
//! left to apply. A pass that produces an unparseable file, or a loop that
//! does not settle, is a bug in a transform: the original text is kept and
//! the transform is named.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::buildctx::BuildContext;
use crate::edit::Applicability;
use crate::finding::Finding;
use crate::model::ScriptMemo;
use crate::syntax::{Document, ParseError};
use crate::transform::{Context, Transform};
use crate::transforms;

/// Passes before the loop is declared non-converging.
const MAX_PASSES: usize = 16;

/// Which transforms run and which fixes apply.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Codes, names, code prefixes or `ALL`. Empty: every transform.
    pub select: Vec<String>,
    /// Codes, names, code prefixes or `ALL` to leave out.
    pub ignore: Vec<String>,
    /// Apply unsafe fixes too.
    pub unsafe_fixes: bool,
    /// Options transforms read (cache style, target builder, format).
    pub config: crate::config::Config,
    /// The build context (`--context`, `context = …`); `None`: the
    /// Dockerfile's folder, read for hints only.
    pub context: Option<PathBuf>,
    /// The largest input read (`max-file-size`); `None`:
    /// [`crate::fsutil::DEFAULT_MAX_FILE_SIZE`].
    pub max_file_size: Option<u64>,
}

/// A Dockerfile's text and, when it is a file, its path (transforms read the
/// build context next to it; see [`crate::buildctx`]).
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub text: &'a str,
    pub path: Option<&'a Path>,
}

impl<'a> Source<'a> {
    pub fn new(text: &'a str, path: Option<&'a Path>) -> Source<'a> {
        Source { text, path }
    }
}

impl<'a> From<&'a str> for Source<'a> {
    fn from(text: &'a str) -> Self {
        Source { text, path: None }
    }
}

impl<'a> From<&'a String> for Source<'a> {
    fn from(text: &'a String) -> Self {
        Source { text, path: None }
    }
}

impl Settings {
    /// The largest input read, in bytes.
    pub fn max_file_size(&self) -> u64 {
        self.max_file_size
            .unwrap_or(crate::fsutil::DEFAULT_MAX_FILE_SIZE)
    }

    fn min_applicability(&self) -> Applicability {
        if self.unsafe_fixes {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        }
    }

    /// The selected transforms, in registry order.
    pub fn transforms(&self) -> Vec<&'static dyn Transform> {
        transforms::ALL
            .iter()
            .copied()
            .filter(|t| {
                let m = t.meta();
                (self.select.is_empty() || self.select.iter().any(|s| selector_matches(s, m)))
                    && !self.ignore.iter().any(|s| selector_matches(s, m))
            })
            .collect()
    }
}

/// `ALL`, a code (`DS001`), a code prefix (`DS0`), or a name (`merge-runs`).
pub fn selector_matches(sel: &str, m: &crate::transform::Meta) -> bool {
    sel.eq_ignore_ascii_case("all")
        || sel.eq_ignore_ascii_case(m.name)
        || (sel.len() >= 2
            && m.code.len() >= sel.len()
            && m.code[..sel.len()].eq_ignore_ascii_case(sel))
}

/// Whether a selector names any known transform (for CLI validation).
pub fn selector_is_known(sel: &str) -> bool {
    transforms::ALL
        .iter()
        .any(|t| selector_matches(sel, t.meta()))
}

/// Errors the pipeline reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The input does not parse.
    Parse(ParseError),
    /// A transform produced a broken file or never settled.
    Internal {
        transforms: Vec<&'static str>,
        message: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Parse(e) => write!(f, "{e}"),
            Error::Internal {
                transforms,
                message,
            } => write!(
                f,
                "internal error in {}: {message}; file left unchanged (please report this bug)",
                transforms.join(", ")
            ),
        }
    }
}

impl std::error::Error for Error {}

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
    let doc = std::panic::catch_unwind(|| Document::parse(src))
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
    let mut out = Vec::new();
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

pub use counts::{fix_and_counts, fix_counts, fix_counts_after, FixCounts};
pub use fixing::{fix, Outcome};
#[cfg(test)]
use fixing::{fix_in, fix_with, Pass};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::{Edit, Fix};
    use crate::transform::{FixAvailability, Meta};

    #[test]
    fn sorted_orders_by_start_and_code_and_keeps_ties_in_order() {
        // Pseudo-random starts and codes with many ties; the message holds
        // the position each finding was found at.
        let codes = ["DS003", "DS001", "DS002"];
        let mut x = 7u64;
        let findings: Vec<Finding> = (0..500)
            .map(|k| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let start = ((x >> 33) % 40) as usize;
                Finding {
                    code: codes[((x >> 20) % 3) as usize],
                    name: "n",
                    message: k.to_string(),
                    span: start..start + 1,
                    fix: None,
                    saving_bytes: None,
                }
            })
            .collect();
        let mut want = findings.clone();
        want.sort_by_key(|f| (f.span.start, f.code));
        let got = sorted(findings);
        let key = |v: &[Finding]| {
            v.iter()
                .map(|f| (f.span.start, f.code, f.message.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(key(&got), key(&want));
        assert!(sorted(Vec::new()).is_empty());
    }

    /// A test transform: `f` proposes findings for a document.
    struct Fake(&'static Meta, fn(&Document, &mut Vec<Finding>));
    impl Transform for Fake {
        fn meta(&self) -> &'static Meta {
            self.0
        }
        fn check(&self, doc: &Document, _: &Context, out: &mut Vec<Finding>) {
            (self.1)(doc, out)
        }
    }
    static META: Meta = Meta {
        code: "DS999",
        name: "fake",
        summary: "",
        doc: "",
        fix: FixAvailability::Always,
        safety: Applicability::Safe,
        aliases: &[],
    };
    fn finding(edit: Edit, a: Applicability) -> Finding {
        Finding {
            code: META.code,
            name: META.name,
            message: String::new(),
            span: edit.span.clone(),
            fix: Some(Fix::new(vec![edit], a)),
            saving_bytes: None,
        }
    }

    #[test]
    fn unparseable_fix_is_an_internal_error_naming_the_transform() {
        static T: Fake = Fake(&META, |doc, out| {
            let end = doc.source().len();
            out.push(finding(
                Edit::insert(end, "RUN <<EOF\n"),
                Applicability::Safe,
            ));
        });
        let e = fix_with("FROM a\n", &[&T], Applicability::Safe, &Default::default()).unwrap_err();
        match e {
            Error::Internal {
                transforms,
                message,
            } => {
                assert_eq!(transforms, ["DS999"]);
                assert!(message.contains("does not parse"), "{message}");
            }
            e => panic!("{e:?}"),
        }
    }

    #[test]
    fn endless_fixes_do_not_converge() {
        static T: Fake = Fake(&META, |doc, out| {
            let end = doc.source().len();
            out.push(finding(Edit::insert(end, "# more\n"), Applicability::Safe));
        });
        let e = fix_with("FROM a\n", &[&T], Applicability::Safe, &Default::default()).unwrap_err();
        assert!(e.to_string().contains("did not converge"), "{e}");
        assert!(e.to_string().contains("DS999"));
    }

    #[test]
    fn panicking_transform_is_contained() {
        static T: Fake = Fake(&META, |_, _| panic!("boom"));
        let e = fix_with("FROM a\n", &[&T], Applicability::Safe, &Default::default()).unwrap_err();
        assert_eq!(
            e,
            Error::Internal {
                transforms: vec!["DS999"],
                message: "panic: boom".into()
            }
        );
    }

    #[test]
    fn applicability_gate_and_fixed_point() {
        // Replaces `a` by `b` once; unsafe, so only applied at Unsafe.
        static T: Fake = Fake(&META, |doc, out| {
            if let Some(i) = doc.source().find("FROM a") {
                out.push(finding(
                    Edit::replace(i + 5..i + 6, "b"),
                    Applicability::Unsafe,
                ));
            }
        });
        let o = fix_with("FROM a\n", &[&T], Applicability::Safe, &Default::default()).unwrap();
        assert_eq!(o.fixed, "FROM a\n");
        assert_eq!(o.remaining.len(), 1);
        let o = fix_with(
            "FROM a\n",
            &[&T],
            Applicability::Unsafe,
            &Default::default(),
        )
        .unwrap();
        assert_eq!(o.fixed, "FROM b\n");
        assert_eq!(o.applied, ["DS999"]);
        assert!(o.remaining.is_empty());
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_pass() {
        static T: Fake = Fake(&META, |doc, out| {
            let s = doc.source();
            if let Some(i) = s.find("xx") {
                out.push(finding(Edit::replace(i..i + 2, "y"), Applicability::Safe));
                out.push(finding(
                    Edit::replace(i + 1..i + 2, "z"),
                    Applicability::Safe,
                ));
            }
        });
        let o = fix_with(
            "FROM xxxx\n",
            &[&T],
            Applicability::Safe,
            &Default::default(),
        )
        .unwrap();
        assert_eq!(o.fixed, "FROM yy\n");
        assert_eq!(o.applied.len(), 2);
    }

    #[test]
    fn selectors() {
        let m = crate::transforms::ALL[0].meta();
        assert!(selector_matches("ALL", m));
        assert!(selector_matches("ds001", m));
        assert!(selector_matches("DS0", m));
        assert!(selector_matches("merge-runs", m));
        assert!(!selector_matches("DS002", m));
        assert!(!selector_matches("D", m));
        let s = Settings {
            ignore: vec!["merge-runs".into()],
            ..Settings::default()
        };
        assert!(s.transforms().iter().all(|t| t.meta().code != "DS001"));
        let s = Settings {
            ignore: vec!["ALL".into()],
            ..Settings::default()
        };
        assert!(s.transforms().is_empty());
    }
    /// (shell parses, RUN and ONBUILD instructions checked) on this thread
    /// while `f` runs.
    fn parses_and_runs(f: impl FnOnce()) -> (usize, usize) {
        let parses = crate::shell::parse_count();
        let runs = RUNS_CHECKED.with(|n| n.get());
        f();
        (
            crate::shell::parse_count() - parses,
            RUNS_CHECKED.with(|n| n.get()) - runs,
        )
    }

    /// Apt, pip, npm, yarn, gem, conda, apk and dnf RUNs, merge candidates,
    /// an `ONBUILD RUN`, a Go build to split: something for every transform.
    /// Every RUN is shell form under `/bin/sh`, so each is parsed.
    const EVERY_TRANSFORM: &str = "FROM debian:bookworm AS build\n\
RUN apt-get update\n\
RUN apt-get install -y curl python3-pip npm golang\n\
COPY . /app\n\
RUN pip install -r /app/requirements.txt && npm install\n\
RUN apt-get install -y git && rm -rf /var/lib/apt/lists/*\n\
ONBUILD RUN apt-get install -y make\n\
ONBUILD RUN pip install flask\n\
RUN gem install rails && conda install numpy\n\
RUN cd /app && go build -o /out/app .\n\
FROM build\n\
RUN apt-get update && apt-get install -y gcc\n\
RUN yarn install && pip install flask\n\
CMD python3 app.py\n\
FROM alpine:latest\n\
RUN apk add curl\n\
FROM fedora\n\
RUN dnf install -y curl\n\
CMD /app\n";

    /// Every transform reads RUN scripts through the model: checking a
    /// document with all of them parses each RUN's shell once, however many
    /// transforms look at it, and each `ONBUILD RUN` trigger once.
    #[test]
    fn one_shell_parse_per_run_per_pass() {
        let doc = Document::parse(EVERY_TRANSFORM).unwrap();
        for unsafe_fixes in [false, true] {
            let settings = Settings {
                unsafe_fixes,
                ..Settings::default()
            };
            assert_eq!(settings.transforms().len(), transforms::ALL.len());
            let mut findings = Vec::new();
            let (parses, runs) = parses_and_runs(|| findings = check(&doc, &settings).unwrap());
            assert!(findings.len() > 10, "{findings:?}");
            assert_eq!(runs, 12);
            assert_eq!(parses, runs);
        }
    }

    /// Each transform alone parses each RUN at most once: no transform
    /// parses a shell behind the model's back.
    #[test]
    fn each_transform_parses_each_run_at_most_once() {
        let doc = Document::parse(EVERY_TRANSFORM).unwrap();
        for t in transforms::ALL {
            let settings = Settings {
                select: vec![t.meta().code.into()],
                ..Settings::default()
            };
            let (parses, runs) = parses_and_runs(|| {
                check(&doc, &settings).unwrap();
            });
            assert_eq!(runs, 12, "{}", t.meta().code);
            assert!(
                parses <= runs,
                "{}: {parses} parses of {runs} RUNs",
                t.meta().code
            );
        }
    }

    /// The fix loop builds one model per pass, and the passes share their
    /// shell views: a RUN is parsed at most once per pass, and a RUN the
    /// fixes left as it was is not parsed again in the next pass.
    #[test]
    fn fix_parses_each_run_at_most_once_per_pass() {
        for unsafe_fixes in [false, true] {
            let settings = Settings {
                unsafe_fixes,
                ..Settings::default()
            };
            let mut out = None;
            let (parses, runs) =
                parses_and_runs(|| out = Some(fix(EVERY_TRANSFORM, &settings).unwrap()));
            let out = out.unwrap();
            assert!(out.applied.len() > 5, "{:?}", out.applied);
            // Two passes at least: the fixes and the pass finding nothing.
            assert!(runs > 12, "{runs}");
            // The first pass parses all 12; the next only what changed.
            assert!(parses >= 12 && parses < runs, "{parses} of {runs}");
        }
    }

    /// `check` then [`fix_counts_after`] (the first pass reused, shell
    /// views shared) counts what [`fix_counts`] from scratch counts, on
    /// every golden input, and parses no more.
    #[test]
    fn fix_counts_after_check_match_fix_counts() {
        let settings = Settings::default();
        let mut compared = 0;
        for p in golden_inputs() {
            let Ok(src) = std::fs::read_to_string(&p) else {
                continue;
            };
            let Ok(doc) = parse(&src) else { continue };
            let mut fresh = None;
            let (parses_fresh, _) = parses_and_runs(|| {
                check(&doc, &settings).unwrap();
                fresh = Some(fix_counts(src.as_str().into(), &settings, None));
            });
            let mut after = None;
            let (parses_after, _) = parses_and_runs(|| {
                let memo = ScriptMemo::new();
                let r = check_report_with(&doc, None, &settings, memo.clone()).unwrap();
                after = Some(fix_counts_after(
                    src.as_str().into(),
                    &settings,
                    &r.findings,
                    memo,
                ));
            });
            let (fresh, after) = (fresh.unwrap(), after.unwrap());
            // The numbers agree; only `after` knows the findings, so only
            // it names follow-on fixes.
            let numbers = |c: &FixCounts| (c.fixable, c.unsafe_more);
            assert_eq!(
                fresh.as_ref().map(numbers),
                after.as_ref().map(numbers),
                "{}",
                p.display()
            );
            assert!(parses_after <= parses_fresh, "{}", p.display());
            compared += usize::from(fresh.is_ok_and(|c| c.fixable + c.unsafe_more > 0));
        }
        assert!(compared > 200, "{compared}");
    }

    /// [`fix_and_counts`] (the `--unsafe` loop starting from the fix's
    /// first pass, shell views shared) gives the outcome of [`fix`] and the
    /// counts of [`fix_counts`] on every golden input, safe and unsafe
    /// settings alike, with fewer parses.
    #[test]
    fn fix_and_counts_match_fix_then_fix_counts() {
        let (mut compared, mut saved) = (0, 0);
        for unsafe_fixes in [false, true] {
            let settings = Settings {
                unsafe_fixes,
                ..Settings::default()
            };
            for p in golden_inputs() {
                let Ok(src) = std::fs::read_to_string(&p) else {
                    continue;
                };
                let mut apart = None;
                let (parses_apart, runs_apart) = parses_and_runs(|| {
                    apart = Some(fix(src.as_str(), &settings).and_then(|o| {
                        let c = fix_counts(src.as_str().into(), &settings, Some(&o))?;
                        Ok((o, c))
                    }));
                });
                let mut together = None;
                let (parses_together, runs_together) = parses_and_runs(|| {
                    together = Some(fix_and_counts(src.as_str().into(), &settings));
                });
                match (apart.unwrap(), together.unwrap()) {
                    (Ok((o1, c1)), Ok((o2, c2))) => {
                        assert_eq!(o1.fixed, o2.fixed, "{}", p.display());
                        assert_eq!(o1.applied, o2.applied, "{}", p.display());
                        assert_eq!(o1.remaining.len(), o2.remaining.len(), "{}", p.display());
                        assert_eq!(c1, c2, "{}", p.display());
                        compared += usize::from(c1.unsafe_more > 0);
                        // The `--unsafe` loop checks no text the fix's
                        // passes checked (the first pass at least).
                        if c1.unsafe_more > 0 {
                            assert!(runs_together <= runs_apart, "{}", p.display());
                            saved += runs_apart - runs_together;
                        }
                    }
                    (Err(e1), Err(e2)) => assert_eq!(e1.to_string(), e2.to_string()),
                    (a, b) => panic!("{}: {:?} / {:?}", p.display(), a.is_ok(), b.is_ok()),
                }
                assert!(parses_together <= parses_apart, "{}", p.display());
            }
        }
        assert!(compared > 50, "{compared}");
        assert!(saved > 0);
    }

    /// The fix loop forgets the views of RUN texts a fix rewrote: after
    /// merging every RUN into one, the memo holds only what the last
    /// document has.
    #[test]
    fn fix_loop_drops_views_of_rewritten_runs() {
        let src: String = std::iter::once("FROM debian:bookworm\n".to_string())
            .chain((0..40).map(|i| format!("RUN echo {i} > /f{i}\n")))
            .collect();
        let memo = ScriptMemo::new();
        let settings = Settings::default();
        let ts = settings.transforms();
        let o = fix_in(
            src.as_str().into(),
            Pass {
                build: None,
                ts: &ts,
                min: settings.min_applicability(),
                config: &settings.config,
                memo: memo.clone(),
                first: None,
                seen: &[],
            },
        )
        .unwrap();
        assert!(o.applied.contains(&"DS001"), "{:?}", o.applied);
        let runs_left = parse(&o.fixed)
            .unwrap()
            .instructions()
            .iter()
            .filter(|i| i.keyword == crate::syntax::Keyword::Run)
            .count();
        assert!(runs_left < 40, "{runs_left}");
        assert!(
            memo.len() <= runs_left,
            "{} views for {runs_left} RUNs",
            memo.len()
        );
    }

    /// Every golden input: `testdata/**/*.Dockerfile` but the expected
    /// outputs.
    fn golden_inputs() -> Vec<std::path::PathBuf> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
        let mut files = Vec::new();
        let mut todo = vec![root];
        while let Some(dir) = todo.pop() {
            for e in std::fs::read_dir(&dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    todo.push(p);
                } else if p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                    n.ends_with(".Dockerfile") && !n.ends_with(".expected.Dockerfile")
                }) {
                    files.push(p);
                }
            }
        }
        files.sort();
        assert!(files.len() > 300, "{}", files.len());
        files
    }

    /// Over every golden input (each transform's own cases), `check` and
    /// `fix --unsafe` parse each RUN at most once per pass.
    #[test]
    fn golden_inputs_parse_each_run_at_most_once_per_pass() {
        let files = golden_inputs();
        let all = Settings {
            unsafe_fixes: true,
            ..Settings::default()
        };
        let (mut total_parses, mut total_runs) = (0, 0);
        for p in &files {
            let Ok(src) = std::fs::read_to_string(p) else {
                continue;
            };
            let Ok(doc) = parse(&src) else { continue };
            let (parses, runs) = parses_and_runs(|| {
                let _ = check(&doc, &all);
                let _ = fix(src.as_str(), &all);
            });
            assert!(
                parses <= runs,
                "{}: {parses} parses of {runs} RUNs",
                p.display()
            );
            total_parses += parses;
            total_runs += runs;
        }
        // Most RUNs are read (not opaque): the bound is not met by luck.
        assert!(
            total_parses * 10 > total_runs * 7,
            "{total_parses} of {total_runs}"
        );
    }
}
