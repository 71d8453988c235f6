//! Data-driven golden tests for every transform.
//!
//! Layout: `testdata/<transform-name>/<case>.Dockerfile` is an input; the
//! output expected from fixing it with only that transform selected sits
//! beside it as `<case>.expected.Dockerfile`. No expected file means the
//! input must come out unchanged. A case whose name contains `unsafe` runs
//! with unsafe fixes enabled. An optional `<case>.toml` beside the input sets
//! configuration (`cache-style`, `target`, `targets`, a `[format]` table, a
//! `[merge-runs]` table,
//! `[builders.<name>]` and `[base-images.<name>]` tables). An optional `<case>.context/`
//! folder is the case's build context, given explicitly (`--context`);
//! other files a fix creates or changes in it (DS203's `.dockerignore`) are
//! compared with `<case>.expected.<file name without its dot>`
//! (`<case>.expected.dockerignore`); without such a file none may change.
//! The directory `pipeline` holds cases run with every transform selected
//! (how transforms interact).
//!
//! A transform's case that must stay unchanged also needs
//! `<case>.findings`: what `check` reports for it (one finding a line,
//! `line:col CODE applicability: message`, continuation lines of the message
//! indented; empty for none). "Unchanged" alone passes for a transform that
//! recognised nothing as well as for one that gave the right advice; the
//! snapshot tells them apart. Any other case may have one too.
//!
//! For every case the harness checks that
//! - `pipeline::fix` produces exactly the expected text (a diff is shown),
//! - fixing the expected text again changes nothing (idempotence),
//! - the expected text parses and prints back byte for byte,
//! - every shell-form RUN (no heredoc) of the expected text is valid shell
//!   syntax (`dash -n`, or `bash -n` under a bash SHELL); a RUN that already
//!   stood unchanged in the input is not blamed on the transform,
//! - the fix adds no DS205 `latest-tag` finding (dslim's own output must
//!   not name a base image DS205 asks to pin: DS103's distroless images
//!   carry their release in the name),
//! - `check` reports exactly `<case>.findings`, when there is one.
//!
//! The directory `testdata/fmt/` holds formatter cases: they run
//! `format::format` instead of `pipeline::fix` (a case whose name contains
//! `line-end` uses `operator-position = line-end`, `indent-2` an indent of 2).
//!
//! All cases run; every failure is collected and reported at the end.
//!
//! `DSLIM_BLESS=1 cargo test --test golden` writes the actual outputs as the
//! expected files (and removes expected files for inputs that now stay
//! unchanged), and rewrites the `.findings` files that exist (create an
//! empty one to start). It is for reviewing changes with `git diff`, never
//! for CI.

use std::fmt::Write as _;
use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::Command;

use dslim::config::{FormatOptions, OperatorPosition};
use dslim::format;
use dslim::pipeline::{self, Settings};
use dslim::syntax::{Document, Keyword};

const INPUT_SUFFIX: &str = ".Dockerfile";
const EXPECTED_SUFFIX: &str = ".expected.Dockerfile";
const FINDINGS_SUFFIX: &str = ".findings";
/// The directory of formatter cases.
const FMT_DIR: &str = "fmt";

/// One golden case.
struct Case {
    /// The directory name: the transform's name.
    transform: String,
    name: String,
    input: PathBuf,
    expected: PathBuf,
    /// `<case>.toml`, when present.
    config: Option<PathBuf>,
    /// `<case>.context/`, when present.
    context: Option<PathBuf>,
    /// `<case>.findings`.
    findings: PathBuf,
}

/// Directory whose cases run with every transform.
const PIPELINE_DIR: &str = "pipeline";

/// The options a `<case>.toml` may set.
#[derive(serde::Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct CaseConfig {
    cache_style: Option<dslim::config::CacheStyle>,
    target: Option<dslim::config::Target>,
    targets: Option<Vec<String>>,
    format: Option<FormatOptions>,
    merge_runs: Option<dslim::config::MergeRunsOptions>,
    /// `[builders.<name>]` tables merged over `transforms/builders.toml`.
    builders: Option<toml::Table>,
    /// `[base-images.<name>]` tables merged over `transforms/base-images.toml`.
    base_images: Option<toml::Table>,
}

impl Case {
    fn label(&self) -> String {
        format!("testdata/{}/{}{INPUT_SUFFIX}", self.transform, self.name)
    }

    /// Runs the case's transform (or the formatter) on `text`: the new text
    /// and the other files the fixes change.
    fn run(&self, text: &str) -> Result<(String, Vec<dslim::edit::FileChange>), String> {
        if self.transform == FMT_DIR {
            let opts = FormatOptions {
                indent: if self.name.contains("indent-2") { 2 } else { 4 },
                operator_position: if self.name.contains("line-end") {
                    OperatorPosition::LineEnd
                } else {
                    OperatorPosition::LineStart
                },
            };
            return format::format(text, &opts)
                .map(|t| (t, Vec::new()))
                .map_err(|e| e.to_string());
        }
        let source = pipeline::Source::new(text, Some(&self.input));
        pipeline::fix(source, &self.settings()?)
            .map(|o| (o.fixed, o.files))
            .map_err(|e| e.to_string())
    }

    fn settings(&self) -> Result<Settings, String> {
        let mut config = dslim::config::Config::default();
        if let Some(path) = &self.config {
            let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let c: CaseConfig =
                toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
            if let Some(s) = c.cache_style {
                config.cache_style = s;
            }
            config.target = c.target;
            config.targets = c.targets.unwrap_or_default();
            if let Some(f) = c.format {
                config.format = f;
            }
            if let Some(m) = c.merge_runs {
                config.merge_runs = m;
            }
            if let Some(b) = c.builders {
                config
                    .extensions
                    .insert("builders".into(), toml::Value::Table(b));
            }
            if let Some(b) = c.base_images {
                config
                    .extensions
                    .insert("base-images".into(), toml::Value::Table(b));
            }
        }
        Ok(Settings {
            select: if self.transform == PIPELINE_DIR {
                vec![]
            } else {
                vec![self.transform.clone()]
            },
            ignore: vec![],
            unsafe_fixes: self.name.contains("unsafe"),
            config,
            context: self.context.clone(),
            max_file_size: None,
        })
    }
}

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")
}

fn sorted_entries(dir: &Path) -> Vec<fs::DirEntry> {
    let mut v: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("readable directory entry"))
        .collect();
    v.sort_by_key(|e| e.file_name());
    v
}

/// Finds every case; layout mistakes are reported as failures.
fn discover(root: &Path, problems: &mut Vec<String>) -> Vec<Case> {
    let mut cases = Vec::new();
    for dir in sorted_entries(root) {
        let dir_name = dir.file_name().to_string_lossy().into_owned();
        if dir_name.starts_with('.') || !dir.path().is_dir() {
            continue; // .gitattributes and the like
        }
        if dir_name == "savings" {
            continue; // scripts/savings' inputs: built, not golden cases
        }
        if dir_name == "real" {
            continue; // the real-world suite: tests/real.rs and scripts/realbuild
        }
        // The directory must name a transform exactly: an unknown selector
        // would select nothing and every "stays unchanged" case would pass.
        match dslim::transforms::find(&dir_name) {
            _ if dir_name == PIPELINE_DIR => {}
            _ if dir_name == FMT_DIR => {}
            Some(t) if t.meta().name == dir_name => {}
            Some(t) => {
                problems.push(format!(
                    "testdata/{dir_name}/: name the directory after the transform's name `{}`",
                    t.meta().name
                ));
                continue;
            }
            None => {
                problems.push(format!(
                    "testdata/{dir_name}/: no transform is named `{dir_name}`"
                ));
                continue;
            }
        }
        for file in sorted_entries(&dir.path()) {
            let file_name = file.file_name().to_string_lossy().into_owned();
            let path = file.path();
            if file_name.starts_with('.') || file_name == "README.md" {
                continue;
            }
            if let Some(stem) = file_name.strip_suffix(".context") {
                if !path.is_dir() || !dir.path().join(format!("{stem}{INPUT_SUFFIX}")).is_file() {
                    problems.push(format!(
                        "testdata/{dir_name}/{file_name}: a context must be a folder beside \
                         `{stem}{INPUT_SUFFIX}`"
                    ));
                }
                continue;
            }
            if let Some((stem, _)) = file_name.split_once(".expected.") {
                if !file_name.ends_with(INPUT_SUFFIX) {
                    if !dir.path().join(format!("{stem}.context")).is_dir() {
                        problems.push(format!(
                            "testdata/{dir_name}/{file_name}: expected other file without a \
                             `{stem}.context/`"
                        ));
                    }
                    continue;
                }
            }
            if let Some(stem) = file_name.strip_suffix(EXPECTED_SUFFIX) {
                if !dir.path().join(format!("{stem}{INPUT_SUFFIX}")).is_file() {
                    problems.push(format!(
                        "testdata/{dir_name}/{file_name}: expected file without an input \
                         `{stem}{INPUT_SUFFIX}`"
                    ));
                }
            } else if let Some(stem) = file_name.strip_suffix(INPUT_SUFFIX) {
                let config = dir.path().join(format!("{stem}.toml"));
                let context = dir.path().join(format!("{stem}.context"));
                cases.push(Case {
                    findings: dir.path().join(format!("{stem}{FINDINGS_SUFFIX}")),
                    context: context.is_dir().then_some(context),
                    transform: dir_name.clone(),
                    name: stem.to_string(),
                    expected: dir.path().join(format!("{stem}{EXPECTED_SUFFIX}")),
                    input: path,
                    config: config.is_file().then_some(config),
                });
            } else if let Some(stem) = file_name
                .strip_suffix(".toml")
                .or_else(|| file_name.strip_suffix(FINDINGS_SUFFIX))
            {
                if !dir.path().join(format!("{stem}{INPUT_SUFFIX}")).is_file() {
                    problems.push(format!(
                        "testdata/{dir_name}/{file_name}: config or findings without an input \
                         `{stem}{INPUT_SUFFIX}`"
                    ));
                }
            } else {
                problems.push(format!(
                    "testdata/{dir_name}/{file_name}: not a golden file (inputs end in \
                     `{INPUT_SUFFIX}`, expected outputs in `{EXPECTED_SUFFIX}`)"
                ));
            }
        }
    }
    cases
}

/// Reads a file byte for byte; golden files must be UTF-8.
fn read(path: &Path) -> Result<Option<String>, String> {
    match fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes)
            .map(Some)
            .map_err(|e| format!("{}: not UTF-8: {e}", path.display())),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// A unified diff with carriage returns made visible.
fn diff(expected: &str, actual: &str) -> String {
    let text = similar::TextDiff::from_lines(expected, actual)
        .unified_diff()
        .context_radius(3)
        .header("expected", "actual")
        .to_string()
        .replace('\r', "␍");
    let mut out = String::new();
    for line in text.lines() {
        let _ = writeln!(out, "    | {line}");
    }
    out
}

/// A syntax checker for shell text, probed once.
struct Checker {
    program: &'static str,
    available: bool,
}

impl Checker {
    fn probe(program: &'static str) -> Checker {
        let available = Command::new(program)
            .args(["-n", "-c", "true"])
            .output()
            .is_ok_and(|o| o.status.success());
        Checker { program, available }
    }

    /// `Err(message)` when the text is not valid shell.
    fn check(&self, text: &str) -> Result<(), String> {
        let out = Command::new(self.program)
            .args(["-n", "-c", text])
            .output()
            .map_err(|e| format!("cannot run {}: {e}", self.program))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
        }
    }
}

struct Checkers {
    dash: Checker,
    bash: Checker,
}

/// The program of the effective SHELL for instruction `instr`: the last
/// SHELL before it in its stage, else the final SHELL of the stage its FROM
/// names (recursively), else `/bin/sh`.
fn shell_of(doc: &Document, instr: usize) -> String {
    let default = "/bin/sh".to_string();
    let Some(stage) = doc.stage_of(instr) else {
        return default;
    };
    let ins = doc.instructions();
    let last_shell = |range: std::ops::Range<usize>| {
        range
            .rev()
            .find(|&j| ins[j].keyword == Keyword::Shell && ins[j].is_exec_form())
            .and_then(|j| ins[j].values().first().cloned())
    };
    if let Some(s) = last_shell(stage.instructions.start..instr) {
        return s;
    }
    let mut idx = stage.index;
    loop {
        let from = &ins[doc.stages()[idx].from];
        let Some(image) = from.values().first().map(|v| v.to_ascii_lowercase()) else {
            return default;
        };
        // Only an earlier stage can be a FROM's base.
        let Some(parent) = doc.stages()[..idx]
            .iter()
            .rposition(|s| s.name.as_deref() == Some(image.as_str()))
        else {
            return default;
        };
        if let Some(s) = last_shell(doc.stages()[parent].instructions.clone()) {
            return s;
        }
        idx = parent;
    }
}

/// Shell-syntax check of every shell-form RUN of `output`.
fn check_shell_syntax(
    output: &str,
    input: &str,
    checkers: &Checkers,
    notes: &mut Vec<String>,
    label: &str,
) -> Vec<String> {
    let mut failures = Vec::new();
    let Ok(doc) = Document::parse(output) else {
        return failures; // reported by the round-trip check
    };
    if doc.escape() == '`' {
        return failures; // a Windows file: the shell is not POSIX
    }
    let before: Vec<String> = Document::parse(input)
        .map(|d| {
            d.instructions()
                .iter()
                .filter(|i| i.keyword == Keyword::Run)
                .map(|i| i.args_text().to_string())
                .collect()
        })
        .unwrap_or_default();
    for (k, ins) in doc.instructions().iter().enumerate() {
        if ins.keyword != Keyword::Run || ins.is_exec_form() || !ins.heredocs().is_empty() {
            continue;
        }
        let shell = shell_of(&doc, k);
        let base = shell.rsplit(['/', '\\']).next().unwrap_or(&shell);
        let checker = match base {
            "sh" | "dash" | "ash" => &checkers.dash,
            "bash" => &checkers.bash,
            _ => continue, // not a POSIX shell: nothing to check against
        };
        if !checker.available {
            notes.push(format!(
                "{label}: `{}` not installed, shell syntax of RUN at line {} not checked",
                checker.program, ins.start_line
            ));
            continue;
        }
        let text = ins.args_text();
        if let Err(msg) = checker.check(text) {
            if before.iter().any(|b| b == text) {
                continue; // stood unchanged in the input: not the transform's doing
            }
            failures.push(format!(
                "RUN at line {} is not valid shell ({} -n): {msg}\n    | {text}",
                ins.start_line, checker.program
            ));
        }
    }
    failures
}

/// Compares the other files a fix changed with `<case>.expected.<name>`.
fn check_other_files(
    case: &Case,
    files: &[dslim::edit::FileChange],
    bless: bool,
    notes: &mut Vec<String>,
) -> Vec<String> {
    let mut failures = Vec::new();
    let dir = case.input.parent().unwrap();
    for f in files {
        let name = f.path.file_name().unwrap().to_string_lossy();
        let expected_path = dir.join(format!(
            "{}.expected.{}",
            case.name,
            name.trim_start_matches('.')
        ));
        if bless {
            fs::write(&expected_path, &f.new).expect("write expected other file");
            notes.push(format!(
                "{}: blessed {}",
                case.label(),
                expected_path.display()
            ));
            continue;
        }
        match read(&expected_path) {
            Ok(Some(want)) if want == f.new => {}
            Ok(Some(want)) => failures.push(format!(
                "{name} differs from {}:\n{}",
                expected_path.display(),
                diff(&want, &f.new)
            )),
            Ok(None) => failures.push(format!(
                "the fix writes {name} but {} does not exist:\n{}",
                expected_path.display(),
                diff("", &f.new)
            )),
            Err(e) => failures.push(e),
        }
    }
    // An expected other file that nothing produced.
    if let Ok(entries) = fs::read_dir(dir) {
        let prefix = format!("{}.expected.", case.name);
        for e in entries.flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            if let Some(rest) = n.strip_prefix(&prefix) {
                if n.ends_with(INPUT_SUFFIX) {
                    continue;
                }
                let produced = files.iter().any(|f| {
                    f.path
                        .file_name()
                        .unwrap()
                        .to_string_lossy()
                        .trim_start_matches('.')
                        == rest
                });
                if !produced {
                    if bless {
                        let _ = fs::remove_file(e.path());
                    } else {
                        failures.push(format!("{n} exists but the fix changes no such file"));
                    }
                }
            }
        }
    }
    failures
}

impl Case {
    /// Whether the case needs a findings snapshot: a transform's case that
    /// stays unchanged.
    fn needs_findings(&self, changed: bool) -> bool {
        !changed && self.transform != PIPELINE_DIR && self.transform != FMT_DIR
    }

    /// What `check` reports for `text`, as the snapshot writes it.
    fn findings_text(&self, text: &str) -> Result<String, String> {
        let doc = Document::parse(text).map_err(|e| e.to_string())?;
        let settings = self.settings()?;
        let report = pipeline::check_report(&doc, Some(&self.input), &settings)
            .map_err(|e| e.to_string())?;
        let root = testdata().display().to_string();
        let mut out = String::new();
        for f in &report.findings {
            let (line, col) = dslim::syntax::line_col(text, f.span.start);
            let applicability = f
                .fix
                .as_ref()
                .map_or("no fix".to_string(), |x| format!("{:?}", x.applicability));
            let message = f.message.replace(&root, "testdata");
            let mut lines = message.lines();
            let _ = writeln!(
                out,
                "{line}:{col} {} {applicability}: {}",
                f.code,
                lines.next().unwrap_or_default()
            );
            for l in lines {
                let _ = writeln!(out, "    {l}");
            }
        }
        Ok(out)
    }
}

/// Compares `check`'s findings with `<case>.findings`.
fn check_findings(
    case: &Case,
    input: &str,
    changed: bool,
    bless: bool,
    notes: &mut Vec<String>,
) -> Vec<String> {
    let want = match read(&case.findings) {
        Ok(w) => w,
        Err(e) => return vec![e],
    };
    if want.is_none() && !case.needs_findings(changed) {
        return Vec::new();
    }
    let actual = match case.findings_text(input) {
        Ok(a) => a,
        Err(e) => return vec![format!("check failed: {e}")],
    };
    if bless {
        if want.as_deref() != Some(actual.as_str()) {
            fs::write(&case.findings, &actual).expect("write findings");
            notes.push(format!(
                "{}: blessed {}",
                case.label(),
                case.findings.display()
            ));
        }
        return Vec::new();
    }
    match want {
        None => vec![format!(
            "the case stays unchanged, so {} must say what check reports (bless to write it):\n{}",
            case.findings.file_name().unwrap().to_string_lossy(),
            diff("", &actual)
        )],
        Some(w) if w != actual => vec![format!(
            "findings differ from {}:\n{}",
            case.findings.file_name().unwrap().to_string_lossy(),
            diff(&w, &actual)
        )],
        Some(_) => Vec::new(),
    }
}

/// How many DS205 `latest-tag` findings `text` has, with the case's fix
/// safety.
fn latest_tag_count(case: &Case, text: &str) -> Result<usize, String> {
    let mut settings = case.settings()?;
    settings.select = vec!["latest-tag".into()];
    let doc = pipeline::parse(text).map_err(|e| e.to_string())?;
    Ok(pipeline::check(&doc, &settings)
        .map_err(|e| e.to_string())?
        .len())
}

/// Runs one case; returns its failures.
fn run_case(case: &Case, bless: bool, checkers: &Checkers, notes: &mut Vec<String>) -> Vec<String> {
    let mut failures = Vec::new();
    let input = match read(&case.input) {
        Ok(Some(s)) => s,
        Ok(None) => return vec!["input vanished".into()],
        Err(e) => return vec![e],
    };
    let expected_file = match read(&case.expected) {
        Ok(x) => x,
        Err(e) => return vec![e],
    };
    let (actual, files) = match case.run(&input) {
        Ok((out, files)) => (Some(out), files),
        Err(e) => {
            failures.push(format!("fix failed: {e}"));
            (None, Vec::new())
        }
    };
    failures.extend(check_other_files(case, &files, bless, notes));

    let expected = if bless {
        let Some(actual) = actual else {
            return failures;
        };
        if actual == input {
            if expected_file.is_some() {
                fs::remove_file(&case.expected).expect("remove stale expected file");
                notes.push(format!(
                    "{}: blessed (unchanged, expected file removed)",
                    case.label()
                ));
            }
        } else if expected_file.as_deref() != Some(actual.as_str()) {
            fs::write(&case.expected, &actual).expect("write expected file");
            notes.push(format!("{}: blessed (expected file written)", case.label()));
        }
        actual
    } else {
        let expected = expected_file.clone().unwrap_or_else(|| input.clone());
        if expected_file.as_deref() == Some(input.as_str()) {
            failures.push(format!(
                "{} equals the input; delete it (no expected file means unchanged)",
                case.expected.file_name().unwrap().to_string_lossy()
            ));
        }
        if let Some(actual) = &actual {
            if *actual != expected {
                let what = if expected_file.is_none() {
                    "input must stay unchanged, but the fix changed it"
                } else if *actual == input {
                    "expected a change, but the input came out unchanged"
                } else {
                    "output differs from the expected file"
                };
                failures.push(format!("{what}:\n{}", diff(&expected, actual)));
            }
        }
        expected
    };

    // The expected text is a valid document that prints back byte for byte.
    match Document::parse(&expected) {
        Ok(doc) => {
            let printed = doc.print();
            if printed != expected {
                failures.push(format!(
                    "expected output does not round-trip:\n{}",
                    diff(&expected, &printed)
                ));
            }
        }
        Err(e) => failures.push(format!("expected output does not parse: {e}")),
    }

    // Fixing the expected text again changes nothing. (For an unchanged case
    // this is the main comparison again.)
    if expected != input {
        match case.run(&expected).map(|(out, _)| out) {
            Ok(out) if out != expected => failures.push(format!(
                "not idempotent: fixing the expected output changes it again:\n{}",
                diff(&expected, &out)
            )),
            Ok(_) => {}
            Err(e) => failures.push(format!("fixing the expected output failed: {e}")),
        }
    }

    failures.extend(check_shell_syntax(
        &expected,
        &input,
        checkers,
        notes,
        &case.label(),
    ));
    // dslim's output must not trip its own latest-tag rule.
    if case.transform != FMT_DIR && expected != input {
        match (
            latest_tag_count(case, &input),
            latest_tag_count(case, &expected),
        ) {
            (Ok(before), Ok(after)) if after > before => failures.push(format!(
                "the fix adds {} DS205 latest-tag finding(s) (before {before}, after {after})",
                after - before
            )),
            (Err(e), _) | (_, Err(e)) => failures.push(format!("check failed: {e}")),
            _ => {}
        }
    }

    failures.extend(check_findings(
        case,
        &input,
        expected != input,
        bless,
        notes,
    ));
    failures
}

#[test]
fn golden() {
    let root = testdata();
    let bless = std::env::var("DSLIM_BLESS").is_ok_and(|v| v == "1");
    let checkers = Checkers {
        dash: Checker::probe("dash"),
        bash: Checker::probe("bash"),
    };
    let mut problems = Vec::new();
    let cases = discover(&root, &mut problems);
    if cases.is_empty() {
        problems.push(format!("no golden cases found under {}", root.display()));
    }

    let mut notes = Vec::new();
    if !checkers.dash.available {
        notes.push("`dash` is not installed: RUN shell syntax is not checked".to_string());
    }
    let mut failed: Vec<(String, Vec<String>)> = Vec::new();
    for case in &cases {
        let f = run_case(case, bless, &checkers, &mut notes);
        println!(
            "{} {}",
            if f.is_empty() { "ok  " } else { "FAIL" },
            case.label()
        );
        if !f.is_empty() {
            failed.push((case.label(), f));
        }
    }

    notes.sort();
    notes.dedup();
    for n in &notes {
        println!("note: {n}");
    }

    if problems.is_empty() && failed.is_empty() {
        println!("{} golden cases passed", cases.len());
        return;
    }
    let mut report = String::new();
    for p in &problems {
        let _ = writeln!(report, "layout: {p}");
    }
    for (label, fs) in &failed {
        let _ = writeln!(report, "\n{label}:");
        for f in fs {
            let _ = writeln!(report, "  - {f}");
        }
    }
    let _ = writeln!(
        report,
        "\n{} of {} golden cases failed{}:",
        failed.len(),
        cases.len(),
        if problems.is_empty() {
            ""
        } else {
            " (and the layout has problems)"
        }
    );
    for (label, _) in &failed {
        let _ = writeln!(report, "  {label}");
    }
    if !bless {
        let _ = writeln!(
            report,
            "(to review actual outputs: DSLIM_BLESS=1 cargo test --test golden; git diff testdata)"
        );
    }
    panic!("{report}");
}
