use super::*;
use crate::edit::{Applicability, Edit, Fix};
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
                message: k.to_string().into(),
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
        message: "".into(),
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

/// On a large file the `--unsafe` loop runs beside the fix, from its first
/// pass: the outcome and the counts are those of [`fix`] and
/// [`fix_counts`] one after the other. Every golden input, made large with
/// comment lines after its last instruction (which no fix reads).
#[test]
fn the_unsafe_loop_beside_the_fix_counts_what_it_counts_after_it() {
    // Comment lines to reach the size, ARGs (read by nothing the goldens
    // hold) to reach the number of instructions.
    let line = "# padding line, no instruction, read by no transform\n";
    let pad = line.repeat(super::counts::AHEAD_BYTES / line.len() + 1)
        + &"ARG PADDING_ARG_NOBODY_READS=1\n".repeat(super::counts::AHEAD_INSTRUCTIONS);
    let before = super::counts::AHEAD_RUNS.load(std::sync::atomic::Ordering::Relaxed);
    let (mut compared, mut with_unsafe) = (0, 0);
    let settings = Settings::default();
    // Enough inputs with unsafe fixes to cover the shapes (each is slow
    // in a debug build).
    for p in golden_inputs() {
        if with_unsafe == 30 {
            break;
        }
        let Ok(src) = std::fs::read_to_string(&p) else {
            continue;
        };
        let src = format!("{src}\n{pad}");
        let apart = fix(src.as_str(), &settings).and_then(|o| {
            let c = fix_counts(src.as_str().into(), &settings, Some(&o))?;
            Ok((o, c))
        });
        match (apart, fix_and_counts(src.as_str().into(), &settings)) {
            (Ok((o1, c1)), Ok((o2, c2))) => {
                assert_eq!(o1.fixed, o2.fixed, "{}", p.display());
                assert_eq!(o1.applied, o2.applied, "{}", p.display());
                assert_eq!(o1.remaining, o2.remaining, "{}", p.display());
                assert_eq!(c1, c2, "{}", p.display());
                compared += 1;
                with_unsafe += usize::from(c1.unsafe_more > 0);
            }
            (Err(e1), Err(e2)) => assert_eq!(e1.to_string(), e2.to_string()),
            (a, b) => panic!("{}: {:?} / {:?}", p.display(), a.is_ok(), b.is_ok()),
        }
    }
    let ahead = super::counts::AHEAD_RUNS.load(std::sync::atomic::Ordering::Relaxed) - before;
    assert!(
        with_unsafe == 30 && compared >= 30,
        "{compared} {with_unsafe}"
    );
    assert!(ahead >= with_unsafe / 2, "{ahead} of {with_unsafe}");
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
    let pass =
        Pass::new(&ts, settings.min_applicability(), &settings.config).with_memo(memo.clone());
    let o = fix_in(src.as_str().into(), pass).unwrap();
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
            } else if p
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(".Dockerfile") && !n.ends_with(".expected.Dockerfile"))
            {
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

/// Flags added to commands apply in the pass that merges their RUNs (the
/// merge only joins, the flags hold in whatever RUN their command ends
/// up); a fix that drops a command (`apk update`) reads the RUN as it
/// stands and waits for the merged one.
#[test]
fn flags_apply_with_the_merge_of_their_runs_and_drops_wait() {
    let settings = Settings::default();
    let mut out = None;
    let src = "FROM python:3.12\nRUN pip install flask\nRUN pip install requests\n";
    let (_, runs) = parses_and_runs(|| out = Some(fix(src, &settings).unwrap()));
    let out = out.unwrap();
    assert_eq!(
        out.fixed,
        "FROM python:3.12\nRUN pip install --no-cache-dir flask \\\n    \
         && pip install --no-cache-dir requests\n"
    );
    let mut applied = out.applied.clone();
    applied.sort_unstable();
    assert_eq!(applied, ["DS001", "DS005", "DS005"]);
    // One pass over the two RUNs, one finding nothing in the merged one.
    assert_eq!(runs, 2 + 1);

    let src = "FROM alpine:3.19\nRUN echo hi\nRUN apk update && apk add curl\n";
    let mut out = None;
    let (_, runs) = parses_and_runs(|| out = Some(fix(src, &settings).unwrap()));
    let out = out.unwrap();
    assert_eq!(
        out.fixed,
        "FROM alpine:3.19\nRUN echo hi \\\n    && apk add --no-cache curl\n"
    );
    // The merge, the apk fix on the merged RUN, a pass finding nothing.
    assert_eq!(runs, 2 + 1 + 1);
}
