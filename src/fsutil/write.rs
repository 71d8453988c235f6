//! Replacing a file's content atomically (mode, owner and extended attributes
//! kept; refused when the file changed since it was read), creating new
//! files, and writing reports.

use super::*;

/// Why [`write_atomic`] did not replace a file.
#[derive(Debug)]
pub enum WriteError {
    /// The file no longer holds what was read: someone else wrote it.
    Changed,
    /// Writing would lose something or leave the project: nothing was
    /// written, for the reason given.
    Refused(String),
    Io(io::Error),
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::Changed => {
                f.write_str("file changed on disk since it was read; not written")
            }
            WriteError::Refused(m) => f.write_str(m),
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

/// How [`write_atomic`] treats a file that asks not to be written.
#[derive(Debug, Clone, Copy, Default)]
pub struct WriteOptions {
    /// Write a read-only file too (`--force`).
    pub force: bool,
}

/// The folder a file is in (`.` for a bare name).
pub(super) fn dir_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// Flushes a folder's entries (a rename) to the disk; file systems that
/// cannot are left alone.
pub(super) fn sync_dir(dir: &Path) {
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Replaces the content of `path` with `contents`, provided the file still
/// holds `expected` (what the caller read).
///
/// The new content is written to a temporary file in the same directory as
/// the target (a symlink is resolved, so the link stays a link and its
/// target is updated), given the target's permissions, owner, group and
/// extended attributes, flushed to the disk, and renamed over the target
/// (the folder is flushed too): readers see the old or the new file, never
/// a partial one. The target is compared with `expected` just before the
/// rename; if it changed, nothing is written and the temporary file is
/// removed.
///
/// Refused, with nothing written: a file that is not a regular file; a
/// file with several hard links (a rename would split them: the other
/// names would keep the old text); a read-only file unless
/// [`WriteOptions::force`]; a file whose owner or group cannot be kept.
pub fn write_atomic(
    path: &Path,
    expected: &[u8],
    contents: &[u8],
    opts: WriteOptions,
) -> Result<(), WriteError> {
    let target = follow_symlink(path)?;
    let dir = dir_of(&target);
    let meta = fs::metadata(&target)?;
    if !meta.is_file() {
        return Err(WriteError::Refused(format!(
            "{}, not a regular file; not written",
            kind_name(&meta.file_type())
        )));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        if meta.nlink() > 1 {
            return Err(WriteError::Refused(format!(
                "has {} hard links: replacing it would split them (the other names would keep \
                 the old text); not written (copy the file to break the link, then run again)",
                meta.nlink()
            )));
        }
        if meta.permissions().mode() & 0o222 == 0 && !opts.force {
            return Err(WriteError::Refused(format!(
                "read-only (mode {:04o}); not written (use `--force` to write it anyway)",
                meta.permissions().mode() & 0o7777
            )));
        }
    }
    let mut tmp = Temp::new_in(dir)?;
    tmp.write_all(contents)?;
    tmp.file().set_permissions(meta.permissions())?;
    #[cfg(unix)]
    keep_owner(tmp.file(), &meta)?;
    #[cfg(target_os = "linux")]
    xattr::copy(&target, tmp.file())?;
    if read_regular(&target, expected.len() as u64).ok().as_deref() != Some(expected) {
        return Err(WriteError::Changed);
    }
    tmp.persist(&target, false)
}

/// Gives `f` the owner and group of `meta` when they differ from its own
/// (as root, a rewritten file stays `nobody:nogroup`); an owner that
/// cannot be kept refuses the write.
#[cfg(unix)]
pub(super) fn keep_owner(f: &fs::File, meta: &fs::Metadata) -> Result<(), WriteError> {
    use std::os::unix::fs::MetadataExt;
    let mine = f.metadata()?;
    if mine.uid() == meta.uid() && mine.gid() == meta.gid() {
        return Ok(());
    }
    std::os::unix::fs::fchown(f, Some(meta.uid()), Some(meta.gid())).map_err(|e| {
        WriteError::Refused(format!(
            "cannot keep its owner {}:{} ({}); not written",
            meta.uid(),
            meta.gid(),
            io_message(&e)
        ))
    })
}

#[cfg(target_os = "linux")]
mod xattr {
    //! Extended attributes, copied from a file to its replacement.

    use std::ffi::{CString, OsStr};
    use std::fs::File;
    use std::io;
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::io::AsRawFd;
    use std::path::Path;

    use super::{io_message, WriteError};

    /// A buffer-sized call: `f(null, 0)` for the size, then the data.
    fn sized(mut f: impl FnMut(*mut libc::c_void, usize) -> isize) -> io::Result<Vec<u8>> {
        loop {
            let n = f(std::ptr::null_mut(), 0);
            if n < 0 {
                return Err(io::Error::last_os_error());
            }
            let mut buf = vec![0u8; n as usize];
            let m = f(buf.as_mut_ptr().cast(), buf.len());
            if m >= 0 {
                buf.truncate(m as usize);
                return Ok(buf);
            }
            let e = io::Error::last_os_error();
            if e.raw_os_error() != Some(libc::ERANGE) {
                return Err(e);
            }
        }
    }

    fn unsupported(e: &io::Error) -> bool {
        matches!(e.raw_os_error(), Some(libc::ENOTSUP) | Some(libc::ENOSYS))
    }

    /// The attributes of `path` (not following a symlink: `path` is the
    /// resolved target), as (name, value).
    fn list(path: &Path) -> io::Result<Vec<(CString, Vec<u8>)>> {
        let c = CString::new(path.as_os_str().as_bytes())
            .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
        let names = match sized(|b, n| unsafe { libc::llistxattr(c.as_ptr(), b.cast(), n) }) {
            Ok(n) => n,
            Err(e) if unsupported(&e) => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let mut out = Vec::new();
        for name in names.split(|b| *b == 0).filter(|n| !n.is_empty()) {
            let name = CString::new(name).expect("no NUL inside a split name");
            let value = sized(|b, n| unsafe { libc::lgetxattr(c.as_ptr(), name.as_ptr(), b, n) })?;
            out.push((name, value));
        }
        Ok(out)
    }

    /// Gives `to` every extended attribute of `from` it does not already
    /// have with that value; one that cannot be set refuses the write (a
    /// file system without extended attributes has none to lose).
    pub fn copy(from: &Path, to: &File) -> Result<(), WriteError> {
        let attrs = list(from)?;
        let fd = to.as_raw_fd();
        for (name, value) in attrs {
            let have = sized(|b, n| unsafe { libc::fgetxattr(fd, name.as_ptr(), b, n) });
            if have.as_deref().ok() == Some(value.as_slice()) {
                continue;
            }
            let r = unsafe {
                libc::fsetxattr(fd, name.as_ptr(), value.as_ptr().cast(), value.len(), 0)
            };
            if r != 0 {
                let e = io::Error::last_os_error();
                return Err(WriteError::Refused(format!(
                    "cannot keep its extended attribute `{}` ({}); not written",
                    OsStr::from_bytes(name.as_bytes()).to_string_lossy(),
                    io_message(&e)
                )));
            }
        }
        Ok(())
    }
}

/// What an existing non-file at `path` is, for a create that cannot
/// happen: `None` when nothing is there.
pub(super) fn occupied(path: &Path) -> Option<String> {
    let m = fs::symlink_metadata(path).ok()?;
    if m.file_type().is_symlink() {
        let to = fs::read_link(path).unwrap_or_default();
        return Some(if fs::metadata(path).is_err() {
            format!(
                "a symlink to `{}`, which does not exist; not written",
                to.display()
            )
        } else {
            format!("a symlink to `{}`; not written", to.display())
        });
    }
    if m.is_file() {
        return None;
    }
    Some(format!("{}; not written", kind_name(&m.file_type())))
}

/// Creates `path` with `contents`, atomically (a temporary file renamed
/// into place without replacing anything), with permissions 0644 on Unix.
/// Fails with [`WriteError::Changed`] when a file exists by then, and with
/// [`WriteError::Refused`] naming what is there when it is not a file (a
/// directory, a dangling symlink).
pub fn create_atomic(path: &Path, contents: &[u8]) -> Result<(), WriteError> {
    if let Some(what) = occupied(path) {
        return Err(WriteError::Refused(what));
    }
    let mut tmp = Temp::new_in(dir_of(path))?;
    tmp.write_all(contents)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.file()
            .set_permissions(fs::Permissions::from_mode(0o644))?;
    }
    tmp.persist(path, true)
}

/// Writes a whole-file change: creates the file when `old` is `None`,
/// else replaces it if it still holds `old`.
pub fn write_change(
    path: &Path,
    old: Option<&str>,
    new: &str,
    opts: WriteOptions,
) -> Result<(), WriteError> {
    match old {
        None => create_atomic(path, new.as_bytes()),
        Some(old) => write_atomic(path, old.as_bytes(), new.as_bytes(), opts),
    }
}

/// Whether `a` and `b` name the same file (symlinks followed, hard links
/// seen through); `false` when either does not exist.
pub fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (fs::metadata(a), fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        ma.dev() == mb.dev() && ma.ino() == mb.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (ma, mb);
        fs::canonicalize(a).ok() == fs::canonicalize(b).ok()
    }
}

/// Writes a report to `path` atomically: a temporary file renamed over
/// whatever is there (a symlink is replaced, not followed; an existing
/// file's mode is kept, a new one gets 0644).
pub fn write_report(path: &Path, contents: &[u8]) -> Result<(), WriteError> {
    let mode = match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => {
            return Err(WriteError::Refused(
                "a directory; report not written".into(),
            ))
        }
        Ok(m) if m.is_file() => Some(m.permissions()),
        _ => None,
    };
    let mut tmp = Temp::new_in(dir_of(path))?;
    tmp.write_all(contents)?;
    match mode {
        Some(p) => tmp.file().set_permissions(p)?,
        #[cfg(unix)]
        None => {
            use std::os::unix::fs::PermissionsExt;
            tmp.file()
                .set_permissions(fs::Permissions::from_mode(0o644))?;
        }
        #[cfg(not(unix))]
        None => {}
    }
    tmp.persist(path, false)
}
