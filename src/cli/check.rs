//! `dslim check`.

use std::path::Path;

use super::args::{CheckArgs, CheckFormat, FixArgs};
use super::{
    decode, inputs, par_map_progress, plan, read_source_max, read_stdin_max, resolver,
    stdin_settings, ExitStatus, Inputs, Job, Term,
};
use crate::edit::Applicability;
use crate::finding::Finding;
use crate::fsutil;
use crate::output::{display_path, github, json, sarif, text};
use crate::pipeline::{self, Settings};
use crate::transforms;

/// What every file's report needs to know.
#[derive(Clone, Copy)]
struct Opts {
    format: CheckFormat,
    warn_unused: bool,
}

pub fn run(a: &CheckArgs, term: &mut Term) -> ExitStatus {
    let fixed_status = match fix_first(a, term) {
        Ok(s) => s,
        Err(done) => return done,
    };
    let Some(mut resolver) = resolver(&a.rules, term) else {
        return ExitStatus::Error;
    };
    let opts = Opts {
        format: a.format,
        warn_unused: a.warn_unused_ignores,
    };
    let (reports, mut status) = match reports(a, &mut resolver, opts, term) {
        Ok(r) => r,
        Err(done) => return done,
    };
    let files_seen = reports.len();
    let mut t = Totals::default();
    for r in reports {
        term.err(&r.err);
        status = status.and(r.status);
        t.add(r);
    }
    let out = render(a, &mut t, files_seen, status, term);
    status = status.and(write_out(a, &out, term));
    let failing = if a.fail_on_advice {
        t.total
    } else {
        t.violations
    };
    if failing > 0 && !a.exit_zero {
        status = status.and(ExitStatus::Failure);
    }
    status.and(fixed_status)
}

/// `check --fix`: `fix --write` first, then report what is left (`Ok`: the
/// fix's status). On stdin that is `fix -` (the fixed text on stdout), the
/// whole command (`Err`).
fn fix_first(a: &CheckArgs, term: &mut Term) -> Result<ExitStatus, ExitStatus> {
    if !a.fix {
        return Ok(ExitStatus::Success);
    }
    let fa = FixArgs {
        paths: a.paths.clone(),
        write: true,
        check: false,
        force: false,
        quiet: a.quiet,
        rules: a.rules.clone(),
        stdin_filename: a.stdin_filename.clone(),
    };
    if super::reads_stdin(&a.paths, a.stdin_filename.as_deref()) {
        return Err(super::fix::run(&fa, term));
    }
    Ok(match super::fix::run(&fa, term) {
        ExitStatus::Failure => ExitStatus::Success,
        s => s,
    })
}

/// One report per input (stdin, or every file found), with the status of
/// finding them; `Err` when the command must stop before checking.
fn reports(
    a: &CheckArgs,
    resolver: &mut crate::resolver::Resolver,
    opts: Opts,
    term: &mut Term,
) -> Result<(Vec<Report>, ExitStatus), ExitStatus> {
    match inputs(&a.paths, a.stdin_filename.as_deref()) {
        Err(m) => {
            term.fatal(&m);
            Err(ExitStatus::Error)
        }
        Ok(Inputs::Stdin(name)) => {
            let Some(settings) = stdin_settings(resolver, &name, term) else {
                return Err(ExitStatus::Error);
            };
            let r = match read_stdin_max(settings.max_file_size()) {
                Ok(b) => match decode(b) {
                    Ok(src) => {
                        let file = (name != "-").then(|| Path::new(name.as_str()));
                        check_source(&name, file, &src, &settings, opts)
                    }
                    Err(e) => Report::error(&name, e.at(), &e.message(), opts),
                },
                Err(e) => Report::error(&name, None, &fsutil::io_message(&e), opts),
            };
            Ok((vec![r], ExitStatus::Success))
        }
        Ok(Inputs::Files(files, errors)) => {
            if let Some(out) = &a.output {
                // Before any work: the report must not replace an input.
                if let Some(input) = files.iter().find(|f| fsutil::same_file(out, f)) {
                    term.err(&text::error(
                        &display_path(out),
                        &format!(
                            "is the input `{}`; the report would replace it, not written \
                             (choose another `--output`)",
                            display_path(input)
                        ),
                    ));
                    return Err(ExitStatus::Error);
                }
            }
            let mut status = super::report_walk_errors(term, &errors);
            let (jobs, s) = plan(resolver, &a.paths, files, term);
            status = status.and(s);
            let mut reports = par_map_progress("Checking", &jobs, |j| check_file(j, opts));
            // Missing paths and configuration errors count in SARIF too.
            for e in &errors {
                let shown = display_path(&e.path);
                reports.push(Report {
                    error: Some((shown.clone(), format!("{shown}: {}", e.message))),
                    ..Report::default()
                });
            }
            if s == ExitStatus::Error {
                reports.push(Report {
                    error: Some((
                        String::new(),
                        "a configuration file could not be loaded (see the error on stderr)".into(),
                    )),
                    ..Report::default()
                });
            }
            Ok((reports, status))
        }
    }
}

/// The reports of all files added up.
#[derive(Default)]
struct Totals {
    out: String,
    total: usize,
    violations: usize,
    fixable: usize,
    unsafe_more: usize,
    follow_on: Vec<&'static str>,
    unsafe_follow_on: Vec<&'static str>,
    saving: u64,
    stats: Vec<Stat>,
    json: Vec<json::JsonFinding>,
    sarif: Vec<serde_json::Value>,
    errors: Vec<(String, String)>,
}

impl Totals {
    fn add(&mut self, r: Report) {
        self.out.push_str(&r.out);
        self.total += r.total;
        self.violations += r.violations;
        self.fixable += r.fixable;
        self.unsafe_more += r.unsafe_more;
        self.follow_on.extend(r.follow_on);
        self.unsafe_follow_on.extend(r.unsafe_follow_on);
        self.saving = self.saving.saturating_add(r.saving);
        for (code, name, fixable) in r.codes {
            match self.stats.iter_mut().find(|s| s.code == code) {
                Some(s) => {
                    s.count += 1;
                    s.fixable += usize::from(fixable);
                }
                None => self.stats.push(Stat {
                    code,
                    name,
                    count: 1,
                    fixable: usize::from(fixable),
                }),
            }
        }
        self.json.extend(r.json);
        self.sarif.extend(r.sarif);
        self.errors.extend(r.error);
    }
}

/// The report text: the `--statistics` table, or the findings in the
/// chosen format with the summary.
fn render(
    a: &CheckArgs,
    t: &mut Totals,
    files_seen: usize,
    status: ExitStatus,
    term: &mut Term,
) -> String {
    if a.statistics {
        // The table replaces the findings (errors stay on stderr).
        let mut stats: Vec<&Stat> = t.stats.iter().collect();
        stats.sort_by(|x, y| y.count.cmp(&x.count).then(x.code.cmp(y.code)));
        return if a.format == CheckFormat::Json {
            statistics_json(&stats)
        } else {
            statistics_text(&stats)
        };
    }
    let mut out = std::mem::take(&mut t.out);
    match a.format {
        CheckFormat::Json => out.push_str(&json::findings(&t.json)),
        CheckFormat::Sarif => out.push_str(&sarif::report(
            transforms::ALL,
            std::mem::take(&mut t.sarif),
            &t.errors,
        )),
        CheckFormat::Github => {}
        CheckFormat::Text | CheckFormat::Concise => {
            if files_seen == 0 && status == ExitStatus::Success {
                // Nothing was checked: not a pass.
                term.err(&text::warning(
                    "no Dockerfile found (names: Dockerfile, Dockerfile.*, *.Dockerfile, \
                     Containerfile…; name a file to check it whatever its name)",
                ));
            } else if !a.quiet && (t.total > 0 || status == ExitStatus::Success) {
                out.push_str(&text::check_summary_with(
                    t.total,
                    t.total - t.violations,
                    (t.fixable, &t.follow_on),
                    (t.unsafe_more, &t.unsafe_follow_on),
                    t.saving,
                ));
            }
        }
    }
    out
}

/// Writes the report to `--output` (without colour) or stdout.
fn write_out(a: &CheckArgs, out: &str, term: &mut Term) -> ExitStatus {
    match &a.output {
        Some(file) => {
            // A file gets no colour.
            let plain = anstream::adapter::strip_str(out).to_string();
            if let Err(e) = fsutil::write_report(file, plain.as_bytes()) {
                term.err(&text::error(
                    &display_path(file),
                    &format!("cannot write report: {e}"),
                ));
                return ExitStatus::Error;
            }
        }
        None => match a.format {
            CheckFormat::Text | CheckFormat::Concise => term.out(out),
            _ => term.out_raw(out.as_bytes()),
        },
    }
    ExitStatus::Success
}

/// One line of `--statistics`.
struct Stat {
    code: &'static str,
    name: &'static str,
    count: usize,
    fixable: usize,
}

/// `count<TAB>code<TAB>[*] name` per rule, most frequent first (`[*]`: every
/// finding of the rule is fixable at this level, `[-]`: some are).
fn statistics_text(stats: &[&Stat]) -> String {
    let width = stats
        .iter()
        .map(|s| s.count.to_string().len())
        .max()
        .unwrap_or(1);
    stats
        .iter()
        .map(|s| {
            let mark = if s.fixable == s.count {
                "[*]"
            } else if s.fixable > 0 {
                "[-]"
            } else {
                "[ ]"
            };
            format!("{:>width$}\t{}\t{mark} {}\n", s.count, s.code, s.name)
        })
        .collect()
}

/// `--statistics --format json`: `[{"code","name","count","fixable"}]`.
fn statistics_json(stats: &[&Stat]) -> String {
    let v: Vec<serde_json::Value> = stats
        .iter()
        .map(|s| {
            serde_json::json!({
                "code": s.code,
                "name": s.name,
                "count": s.count,
                "fixable": s.fixable,
            })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&v).unwrap_or_else(|_| "[]".into());
    out.push('\n');
    out
}

#[derive(Default)]
struct Report {
    /// Text, concise or GitHub lines for the report.
    out: String,
    json: Vec<json::JsonFinding>,
    sarif: Vec<serde_json::Value>,
    /// Error messages for stderr.
    err: String,
    /// The error as (path, message), for SARIF.
    error: Option<(String, String)>,
    status: ExitStatus,
    total: usize,
    /// Findings that are not advice ([`Finding::is_advice`]): they fail
    /// the check.
    violations: usize,
    fixable: usize,
    unsafe_more: usize,
    /// Of `fixable` and `unsafe_more`: fixes of what other fixes make
    /// ([`pipeline::FixCounts::follow_on`]).
    follow_on: Vec<&'static str>,
    unsafe_follow_on: Vec<&'static str>,
    saving: u64,
    /// (code, name, fixable at this level) per finding, for --statistics.
    codes: Vec<(&'static str, &'static str, bool)>,
}

impl Report {
    /// A file that could not be read or parsed.
    fn error(path: &str, at: Option<(usize, usize)>, message: &str, opts: Opts) -> Report {
        let location = match at {
            Some((l, c)) => format!("{path}:{l}:{c}"),
            None => path.to_string(),
        };
        Report {
            err: text::error(&location, message),
            out: if opts.format == CheckFormat::Github {
                github::error(path, at, message)
            } else {
                String::new()
            },
            error: Some((path.to_string(), format!("{location}: {message}"))),
            status: ExitStatus::Error,
            ..Report::default()
        }
    }
}

/// Whether a finding's fix applies at the current level (`[*]`).
pub(crate) fn is_fixable(f: &Finding, settings: &Settings) -> bool {
    f.fix.as_ref().is_some_and(|x| {
        !x.is_empty()
            && match x.applicability {
                Applicability::Safe => true,
                Applicability::Unsafe => settings.unsafe_fixes,
                Applicability::DisplayOnly => false,
            }
    })
}

fn check_file(job: &Job, opts: Opts) -> Report {
    let shown = display_path(&job.path);
    match read_source_max(&job.path, job.settings.max_file_size()) {
        Ok(src) => check_source(&shown, Some(&job.path), &src, &job.settings, opts),
        Err(e) => Report::error(&shown, e.at(), &e.message(), opts),
    }
}

fn check_source(
    path: &str,
    file: Option<&Path>,
    src: &str,
    settings: &Settings,
    opts: Opts,
) -> Report {
    let memo = crate::model::ScriptMemo::new();
    let parsed = pipeline::parse(src)
        .and_then(|doc| pipeline::check_report_with(&doc, file, settings, memo.clone()));
    let report = match parsed {
        Ok(r) => r,
        Err(pipeline::Error::Parse(e)) => {
            return Report::error(path, Some((e.line, e.col)), &e.message, opts)
        }
        Err(e) => return Report::error(path, None, &e.to_string(), opts),
    };
    let findings = report.findings;
    let mut r = Report {
        total: findings.len(),
        violations: findings.iter().filter(|f| !f.is_advice()).count(),
        ..Report::default()
    };
    // The summary counts what `fix` (and `fix --unsafe`) would really
    // apply; run them only when a finding has a fix at all.
    let has_fix = findings
        .iter()
        .any(|f| f.fix.as_ref().is_some_and(|x| !x.is_empty()));
    if has_fix {
        let src = pipeline::Source::new(src, file);
        match pipeline::fix_counts_after(src, settings, &findings, memo) {
            Ok(c) => {
                r.fixable = c.fixable;
                r.unsafe_more = c.unsafe_more;
                r.follow_on = c.follow_on;
                r.unsafe_follow_on = c.unsafe_follow_on;
            }
            Err(e) => return Report::error(path, None, &e.to_string(), opts),
        }
    }
    for f in &findings {
        let fixable = is_fixable(f, settings);
        r.codes.push((f.code, f.name, fixable));
        r.saving = r.saving.saturating_add(f.saving_bytes.unwrap_or(0));
        match opts.format {
            CheckFormat::Text => r.out.push_str(&text::finding_full(path, src, f, fixable)),
            CheckFormat::Concise => r.out.push_str(&text::finding(path, src, f, fixable)),
            CheckFormat::Github => r.out.push_str(&github::annotation(path, src, f)),
            CheckFormat::Json => r.json.push(json::finding(path, src, f)),
            CheckFormat::Sarif => r.sarif.push(sarif::result(transforms::ALL, path, src, f)),
        }
    }
    if opts.warn_unused {
        for u in &report.unused_suppressions {
            match opts.format {
                CheckFormat::Text | CheckFormat::Concise => r
                    .out
                    .push_str(&text::unused_suppression(path, src, u.span.start, &u.code)),
                CheckFormat::Github => r.out.push_str(&github::unused_suppression(
                    path,
                    src,
                    u.span.start,
                    &u.code,
                )),
                CheckFormat::Json | CheckFormat::Sarif => {}
            }
        }
    }
    r
}
