//! Paths: symlinks resolved, lexical normalisation (on the host and inside an
//! image), the repository root, and confining a path to allowed roots.

use super::*;

/// The file a path designates, symlinks resolved (the path itself when it
/// is not a symlink, so no extra system calls in the common case).
pub(super) fn follow_symlink(path: &Path) -> io::Result<PathBuf> {
    if fs::symlink_metadata(path)?.file_type().is_symlink() {
        fs::canonicalize(path)
    } else {
        Ok(path.to_path_buf())
    }
}

/// `path` made absolute against the working directory and free of `.`
/// and `..` (lexically: symlinks are not resolved).
/// An absolute path inside an image, as text, with `.`, `..` and doubled
/// `/` resolved and no trailing `/` (`/app/./bin/../x` → `/app/x`): what
/// DS201 joins COPY and build paths with, and how `dslim compare` follows
/// link targets.
pub fn image_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    format!("/{}", parts.join("/"))
}

pub fn lexical_absolute(path: &Path) -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
    let mut out = PathBuf::new();
    for c in cwd.join(path).components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// The repository root of the file at `path`: the nearest folder at or
/// above it holding `.git`; without one, the working directory when the
/// file is inside it, else the file's own folder. Symlinks in `path` are
/// not resolved (the root is where the file is named, not where a link
/// points).
pub fn repository_root(path: &Path) -> PathBuf {
    let abs = lexical_absolute(path);
    let dir = abs.parent().unwrap_or(&abs);
    if let Some(root) = dir.ancestors().find(|d| d.join(".git").exists()) {
        return root.to_path_buf();
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
    if dir.starts_with(&cwd) {
        cwd
    } else {
        dir.to_path_buf()
    }
}

/// The file a write to `path` really changes (symlinks resolved), provided
/// it is inside one of `roots`: a fix never writes outside the repository
/// (or the `--context` named on the command line), through a symlink or
/// otherwise. The error says what was refused and why.
pub fn confine(path: &Path, roots: &[PathBuf]) -> Result<PathBuf, String> {
    let target = match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => match fs::canonicalize(path) {
            Ok(t) => t,
            Err(_) => {
                let to = fs::read_link(path).unwrap_or_default();
                return Err(format!(
                    "a symlink to `{}`, which does not exist; not written",
                    to.display()
                ));
            }
        },
        Ok(_) => fs::canonicalize(path).map_err(|e| io_message(&e))?,
        Err(_) => {
            let abs = lexical_absolute(path);
            let (Some(dir), Some(name)) = (abs.parent(), abs.file_name()) else {
                return Err("not a file path; not written".into());
            };
            fs::canonicalize(dir)
                .map_err(|e| format!("{}: {}", dir.display(), io_message(&e)))?
                .join(name)
        }
    };
    let inside = roots.iter().any(|r| {
        fs::canonicalize(r)
            .map(|r| target.starts_with(r))
            .unwrap_or(false)
    });
    if inside {
        return Ok(target);
    }
    let root = roots
        .first()
        .map(|r| r.display().to_string())
        .unwrap_or_default();
    let via = if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        format!("a symlink to `{}`, ", target.display())
    } else {
        String::new()
    };
    Err(format!(
        "{via}outside the repository `{root}`; not written (dslim writes only inside the \
         repository or a `--context` named on the command line)"
    ))
}
