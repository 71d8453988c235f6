//! File helpers: reading, and replacing a file's content atomically.

use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// An I/O error as a message, without Rust's ` (os error N)` suffix.
pub fn io_message(e: &io::Error) -> String {
    let s = e.to_string();
    match s.rfind(" (os error ") {
        Some(i) if s.ends_with(')') => s[..i].to_string(),
        _ => s,
    }
}

/// Why [`write_atomic`] did not replace a file.
#[derive(Debug)]
pub enum WriteError {
    /// The file no longer holds what was read: someone else wrote it.
    Changed,
    Io(io::Error),
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::Changed => {
                f.write_str("file changed on disk since it was read; not written")
            }
            WriteError::Io(e) => f.write_str(&io_message(e)),
        }
    }
}

impl std::error::Error for WriteError {}

impl From<io::Error> for WriteError {
    fn from(e: io::Error) -> Self {
        WriteError::Io(e)
    }
}

/// The file a path designates, symlinks resolved (the path itself when it
/// is not a symlink, so no extra system calls in the common case).
fn resolve(path: &Path) -> io::Result<PathBuf> {
    if fs::symlink_metadata(path)?.file_type().is_symlink() {
        fs::canonicalize(path)
    } else {
        Ok(path.to_path_buf())
    }
}

/// Replaces the content of `path` with `contents`, provided the file still
/// holds `expected` (what the caller read).
///
/// The new content is written to a temporary file in the same directory as
/// the target (a symlink is resolved, so the link stays a link and its
/// target is updated), given the target's permissions, and renamed over the
/// target: readers see the old or the new file, never a partial one. The
/// target is compared with `expected` just before the rename; if it
/// changed, nothing is written and the temporary file is removed.
pub fn write_atomic(path: &Path, expected: &[u8], contents: &[u8]) -> Result<(), WriteError> {
    let target = resolve(path)?;
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let perms = fs::metadata(&target)?.permissions();
    let mut tmp = tempfile::Builder::new()
        .prefix(".dslim-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(contents)?;
    tmp.flush()?;
    tmp.as_file().set_permissions(perms)?;
    if fs::read(&target)? != expected {
        return Err(WriteError::Changed);
    }
    tmp.persist(&target).map_err(|e| WriteError::Io(e.error))?;
    Ok(())
}

/// Creates `path` with `contents`, atomically (a temporary file renamed
/// into place without replacing anything), with permissions 0644 on Unix.
/// Fails with [`WriteError::Changed`] when the file exists by then.
pub fn create_atomic(path: &Path, contents: &[u8]) -> Result<(), WriteError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".dslim-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(contents)?;
    tmp.flush()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(fs::Permissions::from_mode(0o644))?;
    }
    tmp.persist_noclobber(path).map_err(|e| {
        if e.error.kind() == io::ErrorKind::AlreadyExists {
            WriteError::Changed
        } else {
            WriteError::Io(e.error)
        }
    })?;
    Ok(())
}

/// Writes a whole-file change: creates the file when `old` is `None`,
/// else replaces it if it still holds `old`.
pub fn write_change(path: &Path, old: Option<&str>, new: &str) -> Result<(), WriteError> {
    match old {
        None => create_atomic(path, new.as_bytes()),
        Some(old) => write_atomic(path, old.as_bytes(), new.as_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".dslim-"))
            .collect()
    }

    #[test]
    fn replaces_content() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("Dockerfile");
        fs::write(&p, "old\n").unwrap();
        write_atomic(&p, b"old\n", b"new\n").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "new\n");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn refuses_when_changed_since_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("Dockerfile");
        fs::write(&p, "what was read\n").unwrap();
        // Someone else writes the file between our read and our write.
        fs::write(&p, "someone else's edit\n").unwrap();
        let err = write_atomic(&p, b"what was read\n", b"our fix\n").unwrap_err();
        assert!(matches!(err, WriteError::Changed), "{err:?}");
        assert!(err.to_string().contains("changed"));
        assert_eq!(fs::read_to_string(&p).unwrap(), "someone else's edit\n");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn missing_file_is_an_io_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("nope");
        let err = write_atomic(&p, b"", b"x").unwrap_err();
        assert!(matches!(err, WriteError::Io(_)));
        assert!(leftovers(dir.path()).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn keeps_mode_and_writes_through_symlink() {
        use std::os::unix::fs::{symlink, PermissionsExt};
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.Dockerfile");
        let link = dir.path().join("Dockerfile");
        fs::write(&real, "a\n").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
        symlink("real.Dockerfile", &link).unwrap();
        write_atomic(&link, b"a\n", b"b\n").unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_to_string(&real).unwrap(), "b\n");
        let mode = fs::metadata(&real).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode, 0o640);
    }

    #[cfg(unix)]
    #[test]
    fn creates_new_file_0644_never_clobbering() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(".dockerignore");
        write_change(&p, None, ".git\n").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), ".git\n");
        let mode = fs::metadata(&p).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode, 0o644);
        let err = write_change(&p, None, "x\n").unwrap_err();
        assert!(matches!(err, WriteError::Changed), "{err:?}");
        write_change(&p, Some(".git\n"), ".git\nx\n").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), ".git\nx\n");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn io_message_drops_os_error_suffix() {
        let e = io::Error::from_raw_os_error(2);
        assert!(!io_message(&e).contains("os error"));
    }
}
