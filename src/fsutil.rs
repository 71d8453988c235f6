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

/// The input size cap when the configuration sets none (`max-file-size`).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 8 << 20;

/// What a file system entry is, for messages (`a directory`, `a FIFO`…).
pub fn kind_name(t: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
    }
    if t.is_dir() {
        "a directory"
    } else if t.is_symlink() {
        "a symlink"
    } else if t.is_file() {
        "a regular file"
    } else {
        "not a regular file"
    }
}

/// `n` bytes as `8 MiB`, `1.5 KiB` or `12 bytes`.
pub fn size_text(n: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for (u, name) in UNITS {
        if n >= u {
            return if n.is_multiple_of(u) {
                format!("{} {name}", n / u)
            } else {
                format!("{:.1} {name}", n as f64 / u as f64)
            };
        }
    }
    format!("{n} bytes")
}

/// An error with `message` and no OS error code.
fn refused(message: String) -> io::Error {
    io::Error::other(message)
}

/// The bytes of the regular file at `path`, at most `max` of them.
///
/// Anything else (a directory, a FIFO, a device, a socket) is an error
/// naming what it is, and is never opened for reading, so a FIFO is not
/// consumed and `/dev/zero` is not read; a larger file is an error naming
/// the cap (`max-file-size`).
pub fn read_regular(path: &Path, max: u64) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let meta = fs::metadata(path)?;
    if !meta.is_file() {
        return Err(refused(format!(
            "{}, not a regular file; only regular files are read",
            kind_name(&meta.file_type())
        )));
    }
    let too_big = || {
        refused(format!(
            "larger than {} (`max-file-size`); not read",
            size_text(max)
        ))
    };
    if meta.len() > max {
        return Err(too_big());
    }
    let mut opts = fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        // Swapped for a FIFO since the check above: do not block on it.
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK);
    }
    let f = opts.open(path)?;
    let meta = f.metadata()?;
    if !meta.is_file() {
        return Err(refused(format!(
            "{}, not a regular file; only regular files are read",
            kind_name(&meta.file_type())
        )));
    }
    let mut buf = Vec::with_capacity(meta.len().min(max) as usize);
    f.take(max.saturating_add(1)).read_to_end(&mut buf)?;
    if buf.len() as u64 > max {
        return Err(too_big());
    }
    Ok(buf)
}

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

/// The file a path designates, symlinks resolved (the path itself when it
/// is not a symlink, so no extra system calls in the common case).
fn resolve(path: &Path) -> io::Result<PathBuf> {
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

/// A temporary file beside the file it will replace, named
/// `.dslim-<pid>-XXXXXX.tmp` so a later run recognises a leftover
/// ([`leftovers`]), and removed if the process is interrupted
/// (SIGINT/SIGTERM, see [`cleanup`]).
struct Temp {
    /// `None` once persisted.
    file: Option<tempfile::NamedTempFile>,
}

impl Temp {
    fn new_in(dir: &Path) -> Result<Temp, WriteError> {
        cleanup::install();
        let file = tempfile::Builder::new()
            .prefix(&format!("{TEMP_PREFIX}{}-", std::process::id()))
            .suffix(TEMP_SUFFIX)
            .tempfile_in(dir)
            .map_err(|e| {
                // tempfile's message names the temporary file: name the
                // folder instead (the caller names the real file).
                let inner = e
                    .raw_os_error()
                    .map(io::Error::from_raw_os_error)
                    .map_or_else(|| e.kind().to_string(), |e| io_message(&e));
                WriteError::Refused(format!(
                    "cannot create a temporary file in `{}`: {inner}; not written",
                    dir.display()
                ))
            })?;
        cleanup::register(file.path());
        Ok(Temp { file: Some(file) })
    }

    fn file(&self) -> &fs::File {
        self.file.as_ref().expect("not persisted yet").as_file()
    }

    fn write_all(&mut self, contents: &[u8]) -> io::Result<()> {
        // The file itself, not NamedTempFile, whose errors name the
        // temporary path (the caller names the real file).
        let f = self.file.as_mut().expect("not persisted yet").as_file_mut();
        f.write_all(contents)?;
        f.flush()
    }

    /// Renames the file to `target` (never replacing a file when
    /// `noclobber`), then flushes the folder.
    fn persist(mut self, target: &Path, noclobber: bool) -> Result<(), WriteError> {
        // Content and metadata reach the disk before the name does.
        self.file().sync_all()?;
        let file = self.file.take().expect("not persisted yet");
        let tmp_path = file.path().to_path_buf();
        let r = if noclobber {
            file.persist_noclobber(target).map(drop)
        } else {
            file.persist(target).map(drop)
        };
        cleanup::unregister(&tmp_path);
        match r {
            Ok(()) => {
                sync_dir(dir_of(target));
                Ok(())
            }
            Err(e) if noclobber && e.error.kind() == io::ErrorKind::AlreadyExists => {
                Err(occupied(target).map_or(WriteError::Changed, WriteError::Refused))
            }
            Err(e) => Err(WriteError::Io(e.error)),
        }
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        // Not persisted: NamedTempFile removes the file.
        if let Some(f) = &self.file {
            cleanup::unregister(f.path());
        }
    }
}

const TEMP_PREFIX: &str = ".dslim-";
const TEMP_SUFFIX: &str = ".tmp";

/// The folder a file is in (`.` for a bare name).
fn dir_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// Flushes a folder's entries (a rename) to the disk; file systems that
/// cannot are left alone.
fn sync_dir(dir: &Path) {
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
    let target = resolve(path)?;
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
fn keep_owner(f: &fs::File, meta: &fs::Metadata) -> Result<(), WriteError> {
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
fn occupied(path: &Path) -> Option<String> {
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

/// Temporary files an interrupted dslim left in `dir`: `.dslim-<pid>-….tmp`
/// whose process no longer runs, and `.dslim-XXXXXX.tmp` from versions that
/// did not name the process.
pub fn leftovers(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter(|e| {
            let name = e.file_name();
            let Some(name) = name.to_str() else {
                return false;
            };
            let Some(mid) = name
                .strip_prefix(TEMP_PREFIX)
                .and_then(|n| n.strip_suffix(TEMP_SUFFIX))
            else {
                return false;
            };
            match mid.split_once('-') {
                Some((pid, _)) if !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()) => {
                    pid.parse::<u32>().is_ok_and(|p| !process_runs(p))
                }
                // The old name: six random characters.
                _ => mid.len() == 6,
            }
        })
        .map(|e| e.path())
        .collect();
    out.sort();
    out
}

/// Whether process `pid` exists (this one included).
fn process_runs(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    #[cfg(unix)]
    {
        let Ok(p) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // Signal 0 only checks: EPERM means it exists (someone else's).
        let r = unsafe { libc::kill(p, 0) };
        r == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        true
    }
}

pub mod cleanup {
    //! Temporary files removed when the process is interrupted: SIGINT
    //! and SIGTERM run a handler that only writes to a pipe (all it may
    //! safely do); a thread reading the pipe removes the registered files,
    //! then lets the signal end the process as it would have.

    use std::collections::HashSet;
    use std::path::{Path, PathBuf};
    use std::sync::{Mutex, Once};

    static TEMPS: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);

    fn temps() -> std::sync::MutexGuard<'static, Option<HashSet<PathBuf>>> {
        TEMPS.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Removes `path` if the process is interrupted.
    pub fn register(path: &Path) {
        temps()
            .get_or_insert_with(HashSet::new)
            .insert(path.to_path_buf());
    }

    /// `path` was renamed or removed.
    pub fn unregister(path: &Path) {
        if let Some(s) = temps().as_mut() {
            s.remove(path);
        }
    }

    /// Whether `path` is registered.
    pub fn registered(path: &Path) -> bool {
        temps().as_ref().is_some_and(|s| s.contains(path))
    }

    /// Removes every registered file (the signal thread).
    pub fn remove_all() -> usize {
        let paths: Vec<PathBuf> = temps().take().unwrap_or_default().into_iter().collect();
        paths
            .iter()
            .filter(|p| std::fs::remove_file(p).is_ok())
            .count()
    }

    #[cfg(unix)]
    mod imp {
        use std::sync::atomic::{AtomicI32, Ordering};

        pub static PIPE_WRITE: AtomicI32 = AtomicI32::new(-1);

        extern "C" fn on_signal(sig: libc::c_int) {
            let fd = PIPE_WRITE.load(Ordering::Relaxed);
            if fd >= 0 {
                let b = sig as u8;
                // SAFETY: write(2) is async-signal-safe.
                unsafe {
                    libc::write(fd, (&b as *const u8).cast(), 1);
                }
            }
        }

        pub fn install() {
            let mut fds = [0 as libc::c_int; 2];
            // SAFETY: plain system calls on owned descriptors.
            if unsafe { libc::pipe(fds.as_mut_ptr()) } != 0 {
                return;
            }
            let (read, write) = (fds[0], fds[1]);
            unsafe {
                libc::fcntl(read, libc::F_SETFD, libc::FD_CLOEXEC);
                libc::fcntl(write, libc::F_SETFD, libc::FD_CLOEXEC);
            }
            PIPE_WRITE.store(write, Ordering::Relaxed);
            let spawned = std::thread::Builder::new()
                .name("dslim-signals".into())
                .spawn(move || loop {
                    let mut b = 0u8;
                    let n = unsafe { libc::read(read, (&mut b as *mut u8).cast(), 1) };
                    if n == 1 {
                        super::remove_all();
                        let sig = libc::c_int::from(b);
                        // SAFETY: back to the default action, then the
                        // signal again: the process ends as interrupted.
                        unsafe {
                            libc::signal(sig, libc::SIG_DFL);
                            libc::raise(sig);
                        }
                    } else if n == 0 {
                        return;
                    }
                });
            if spawned.is_err() {
                return;
            }
            for sig in [libc::SIGINT, libc::SIGTERM] {
                // SAFETY: the handler only loads an atomic and writes.
                unsafe {
                    let mut sa: libc::sigaction = std::mem::zeroed();
                    sa.sa_sigaction = on_signal as *const () as libc::sighandler_t;
                    sa.sa_flags = libc::SA_RESTART;
                    libc::sigemptyset(&mut sa.sa_mask);
                    libc::sigaction(sig, &sa, std::ptr::null_mut());
                }
            }
        }
    }

    /// Installs the SIGINT/SIGTERM handler, once (on the first write).
    pub fn install() {
        static ONCE: Once = Once::new();
        #[cfg(unix)]
        ONCE.call_once(imp::install);
        #[cfg(not(unix))]
        ONCE.call_once(|| {});
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
        write_atomic(&p, b"old\n", b"new\n", WriteOptions::default()).unwrap();
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
        let err = write_atomic(
            &p,
            b"what was read\n",
            b"our fix\n",
            WriteOptions::default(),
        )
        .unwrap_err();
        assert!(matches!(err, WriteError::Changed), "{err:?}");
        assert!(err.to_string().contains("changed"));
        assert_eq!(fs::read_to_string(&p).unwrap(), "someone else's edit\n");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn missing_file_is_an_io_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("nope");
        let err = write_atomic(&p, b"", b"x", WriteOptions::default()).unwrap_err();
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
        write_atomic(&link, b"a\n", b"b\n", WriteOptions::default()).unwrap();
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
        write_change(&p, None, ".git\n", WriteOptions::default()).unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), ".git\n");
        let mode = fs::metadata(&p).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode, 0o644);
        let err = write_change(&p, None, "x\n", WriteOptions::default()).unwrap_err();
        assert!(matches!(err, WriteError::Changed), "{err:?}");
        write_change(&p, Some(".git\n"), ".git\nx\n", WriteOptions::default()).unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), ".git\nx\n");
        assert!(leftovers(dir.path()).is_empty());
    }

    /// The child of [`interrupted_write_leaves_no_temporary_file`]: a
    /// temporary file registered as a write in flight, then waiting to be
    /// killed.
    #[cfg(unix)]
    #[test]
    #[ignore = "run by interrupted_write_leaves_no_temporary_file"]
    fn signal_child() {
        let Ok(dir) = std::env::var("DSLIM_SIGNAL_CHILD_DIR") else {
            return;
        };
        let dir = Path::new(&dir);
        let tmp = Temp::new_in(dir).unwrap();
        let name = tmp.file.as_ref().unwrap().path().to_path_buf();
        fs::write(dir.join("ready"), name.to_str().unwrap()).unwrap();
        loop {
            std::thread::park();
        }
    }

    #[cfg(unix)]
    #[test]
    fn interrupted_write_leaves_no_temporary_file() {
        for sig in [libc::SIGTERM, libc::SIGINT] {
            let dir = tempfile::tempdir().unwrap();
            let mut child = std::process::Command::new(std::env::current_exe().unwrap())
                .args([
                    "fsutil::tests::signal_child",
                    "--exact",
                    "--ignored",
                    "--test-threads=1",
                ])
                .env("DSLIM_SIGNAL_CHILD_DIR", dir.path())
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap();
            let ready = dir.path().join("ready");
            // Waits for the child (no timing is measured).
            while !ready.exists() {
                assert!(child.try_wait().unwrap().is_none(), "the child ended early");
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            let tmp = PathBuf::from(fs::read_to_string(&ready).unwrap());
            let name = tmp.file_name().unwrap().to_string_lossy().into_owned();
            assert!(
                name.starts_with(&format!(".dslim-{}-", child.id())) && name.ends_with(".tmp"),
                "{name}"
            );
            assert!(tmp.exists());
            unsafe { libc::kill(child.id() as libc::pid_t, sig) };
            let status = child.wait().unwrap();
            use std::os::unix::process::ExitStatusExt;
            assert_eq!(status.signal(), Some(sig), "{status:?}");
            assert!(!tmp.exists(), "signal {sig} left {name}");
        }
    }

    #[test]
    fn leftovers_are_those_of_dead_processes() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for n in [
            ".dslim-4000000000-aaaaaa.tmp",
            ".dslim-Xy12Zw.tmp",
            ".dslim-notes.txt",
            "Dockerfile",
        ] {
            fs::write(d.join(n), "").unwrap();
        }
        fs::write(
            d.join(format!(".dslim-{}-bbbbbb.tmp", std::process::id())),
            "",
        )
        .unwrap();
        let found: Vec<String> = super::leftovers(d)
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(found, [".dslim-4000000000-aaaaaa.tmp", ".dslim-Xy12Zw.tmp"]);
    }

    #[test]
    fn temporary_file_is_registered_until_persisted() {
        let dir = tempfile::tempdir().unwrap();
        let tmp = Temp::new_in(dir.path()).unwrap();
        let p = tmp.file.as_ref().unwrap().path().to_path_buf();
        assert!(cleanup::registered(&p));
        tmp.persist(&dir.path().join("out"), true).unwrap();
        assert!(!cleanup::registered(&p));
        assert!(dir.path().join("out").exists());
    }

    #[test]
    fn io_message_drops_os_error_suffix() {
        let e = io::Error::from_raw_os_error(2);
        assert!(!io_message(&e).contains("os error"));
    }
}
