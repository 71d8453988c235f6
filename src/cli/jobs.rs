//! What an invocation reads: the files to process with their settings, the
//! folders a fix may write to, and walk errors.

use super::*;

/// One file to process and the settings that apply to it.
pub struct Job {
    pub path: PathBuf,
    pub settings: Arc<Settings>,
}

/// Settings for each file found, leaving out walked files that their
/// configuration excludes (a path named on the command line is always
/// processed). A broken configuration file is reported once and its files
/// are skipped with exit status 2.
pub fn plan(
    resolver: &mut Resolver,
    given: &[PathBuf],
    files: Vec<PathBuf>,
    term: &mut Term,
) -> (Vec<Job>, ExitStatus) {
    let mut status = ExitStatus::Success;
    let mut reported = HashSet::new();
    // Named on the command line: never excluded. A set, since comparing
    // paths is not cheap and a run may name thousands of files.
    let given: HashSet<&PathBuf> = given.iter().collect();
    let mut jobs = Vec::with_capacity(files.len());
    for path in files {
        let project = match resolver.project(&path) {
            Ok(p) => p,
            Err(e) => {
                if reported.insert(e.location.clone()) {
                    term.err(&text::error(&e.location, &e.message));
                }
                status = ExitStatus::Error;
                continue;
            }
        };
        let abs = resolver.absolute(&path);
        if !given.contains(&path) && project.excludes(&abs) {
            continue;
        }
        jobs.push(Job {
            settings: project.settings_for(&abs),
            path,
        });
    }
    (jobs, status)
}

/// Where a fix of the file at `path` may write: its repository
/// ([`fsutil::repository_root`]) and the `--context` named on the command
/// line. A `context` from a configuration file adds nothing: a repository
/// cannot send writes out of itself.
pub fn write_roots(path: &Path, cli_context: Option<&Path>) -> Vec<PathBuf> {
    let mut roots = vec![fsutil::repository_root(path)];
    roots.extend(cli_context.map(Path::to_path_buf));
    roots
}

/// Notes on the temporary files interrupted runs left beside the files
/// about to be written ([`fsutil::leftovers`]); they are not removed (a
/// person decides).
pub fn report_leftovers(jobs: &[Job], term: &mut Term) {
    let mut dirs: Vec<PathBuf> = jobs
        .iter()
        .map(|j| match j.path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        })
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in dirs {
        for p in fsutil::leftovers(&d) {
            let p = p.strip_prefix(".").unwrap_or(&p);
            term.err(&format!(
                "{}: note: temporary file left by an interrupted dslim run; remove it\n",
                display_path(p)
            ));
        }
    }
}

/// What a `fix`/`check` invocation reads.
pub enum Inputs {
    /// Stdin, named in messages by the given name.
    Stdin(String),
    /// Files found under the paths, sorted, and the paths that failed.
    Files(Vec<PathBuf>, Vec<WalkError>),
}

/// `-` (alone) or no path with `--stdin-filename` reads stdin; no path at
/// all means the current directory.
pub fn inputs(paths: &[PathBuf], stdin_filename: Option<&Path>) -> Result<Inputs, String> {
    let is_dash = |p: &PathBuf| p.as_os_str() == "-";
    let stdin_name = || {
        stdin_filename
            .map(display_path)
            .unwrap_or_else(|| "-".to_string())
    };
    if paths.iter().any(is_dash) {
        if paths.len() > 1 {
            return Err("`-` (stdin) cannot be combined with other paths".into());
        }
        return Ok(Inputs::Stdin(stdin_name()));
    }
    if paths.is_empty() {
        if stdin_filename.is_some() {
            return Ok(Inputs::Stdin(stdin_name()));
        }
        let (files, errors) = walk::discover(&[PathBuf::from(".")]);
        return Ok(Inputs::Files(files, errors));
    }
    let (files, errors) = walk::discover(paths);
    Ok(Inputs::Files(files, errors))
}

/// Prints walk errors as `path: error: message`; the status they imply.
pub fn report_walk_errors(term: &mut Term, errors: &[WalkError]) -> ExitStatus {
    for e in errors {
        term.err(&text::error(&display_path(&e.path), &e.message));
    }
    if errors.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Error
    }
}
