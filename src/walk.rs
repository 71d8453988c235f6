//! Finding the Dockerfiles to process.
//!
//! A path named on the command line is always processed when it is a file;
//! a directory is walked (`.gitignore`, `.ignore` and git excludes honoured
//! even outside a git repository, hidden entries skipped like ripgrep, `.git`
//! never entered, symlinks not followed) for files whose names mark them as
//! Dockerfiles or Containerfiles. The result is sorted and free of
//! duplicates, so output order never depends on the file system.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// Extensions of files that merely mention a Dockerfile in their name:
/// templates and documents.
const SKIPPED_EXTENSIONS: &[&str] = &[
    "dockerignore",
    "j2",
    "jinja",
    "jinja2",
    "tmpl",
    "tpl",
    "template",
    "in",
    "md",
    "txt",
    "rst",
    "orig",
    "rej",
    "bak",
    "swp",
];

/// Whether a file name found while walking is a Dockerfile: `Dockerfile`,
/// `Dockerfile.*`, `*.Dockerfile` and the same for `Containerfile`, in any
/// case, except ignore files, templates and documents. A name that is not
/// UTF-8 counts by its readable part (`Dockerfile.\xFF` is one; messages
/// show such bytes escaped, see [`crate::output::display_path`]).
pub fn is_dockerfile_name(name: &OsStr) -> bool {
    let lower = name.to_string_lossy().to_ascii_lowercase();
    let named = ["dockerfile", "containerfile"].iter().any(|base| {
        lower == *base
            || lower
                .strip_prefix(base)
                .is_some_and(|rest| rest.starts_with('.') && rest.len() > 1)
            || lower
                .strip_suffix(base)
                .is_some_and(|rest| rest.ends_with('.') && rest.len() > 1)
    });
    if !named {
        return false;
    }
    match lower.rsplit_once('.') {
        Some((_, ext)) => !SKIPPED_EXTENSIONS.contains(&ext),
        None => true,
    }
}

/// A problem met while looking for files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkError {
    pub path: PathBuf,
    pub message: String,
}

/// The files to process under `paths`, sorted and deduplicated, and the
/// paths that could not be read.
pub fn discover(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<WalkError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for root in paths {
        match std::fs::metadata(root) {
            Ok(m) if m.is_dir() => walk_dir(root, &mut files, &mut errors),
            Ok(_) => files.push(root.clone()),
            Err(e) => errors.push(WalkError {
                path: root.clone(),
                message: crate::fsutil::io_message(&e),
            }),
        }
    }
    files.sort();
    // `a/./Dockerfile` and `a/Dockerfile` are one file: process it once
    // (twice could race with itself under `--write`).
    let mut seen = std::collections::HashSet::new();
    files.retain(|p| seen.insert(normalized(p)));
    (files, errors)
}

/// The path without `.` components, for spotting duplicates.
fn normalized(p: &Path) -> PathBuf {
    p.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
}

fn walk_dir(root: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<WalkError>) {
    let strip_dot = root == Path::new(".");
    let walker = ignore::WalkBuilder::new(root)
        .hidden(true)
        .require_git(false)
        .follow_links(false)
        .filter_entry(|e| e.depth() == 0 || e.file_name() != ".git")
        .build();
    for entry in walker {
        match entry {
            Ok(e) => {
                let is_file = e.file_type().is_some_and(|t| t.is_file());
                if e.depth() == 0 || !is_file || !is_dockerfile_name(e.file_name()) {
                    continue;
                }
                let p = e.into_path();
                let p = match p.strip_prefix(".") {
                    Ok(rel) if strip_dot => rel.to_path_buf(),
                    _ => p,
                };
                files.push(p);
            }
            Err(err) => errors.push(walk_error(root, &err)),
        }
    }
}

fn walk_error(root: &Path, err: &ignore::Error) -> WalkError {
    // Dig out the path and the I/O error the walker wrapped.
    let mut path = root.to_path_buf();
    let mut e = err;
    loop {
        match e {
            ignore::Error::WithPath { path: p, err } => {
                path = p.clone();
                e = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                e = err;
            }
            ignore::Error::Io(io) => {
                return WalkError {
                    path,
                    message: crate::fsutil::io_message(io),
                }
            }
            other => {
                return WalkError {
                    path,
                    message: other.to_string(),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        let yes = [
            "Dockerfile",
            "dockerfile",
            "DOCKERFILE",
            "Dockerfile.prod",
            "dockerfile.dev",
            "app.Dockerfile",
            "app.dockerfile",
            "Containerfile",
            "Containerfile.base",
            "web.Containerfile",
        ];
        let no = [
            "Dockerfile.dockerignore",
            "app.Dockerfile.dockerignore",
            "Dockerfile.j2",
            "Dockerfile.tmpl",
            "Dockerfile.template",
            "Dockerfile.in",
            "Dockerfile.md",
            "Dockerfile.txt",
            "app.Dockerfile.j2",
            "Dockerfile.",
            ".Dockerfile",
            "MyDockerfile",
            "Dockerfiles",
            "README.md",
            "docker-compose.yml",
            ".dockerignore",
        ];
        for n in yes {
            assert!(is_dockerfile_name(OsStr::new(n)), "{n} should match");
        }
        for n in no {
            assert!(!is_dockerfile_name(OsStr::new(n)), "{n} should not match");
        }
    }

    #[test]
    fn explicit_files_deduplicated_and_sorted() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("b"), "").unwrap();
        std::fs::write(d.join("a"), "").unwrap();
        let (files, errors) = discover(&[d.join("b"), d.join("./a"), d.join("a"), d.join("nope")]);
        assert_eq!(files, vec![d.join("./a"), d.join("b")]);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].path, d.join("nope"));
    }
}
