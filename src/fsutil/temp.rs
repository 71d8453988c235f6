//! Temporary files of atomic writes: [`Temp`], the leftovers of interrupted
//! runs ([`leftovers`]), and their removal on SIGINT/SIGTERM ([`cleanup`]).

use super::*;

/// A temporary file beside the file it will replace, named
/// `.dslim-<pid>-XXXXXX.tmp` so a later run recognises a leftover
/// ([`leftovers`]), and removed if the process is interrupted
/// (SIGINT/SIGTERM, see [`cleanup`]).
pub(super) struct Temp {
    /// `None` once persisted.
    pub(super) file: Option<tempfile::NamedTempFile>,
}

impl Temp {
    pub(super) fn new_in(dir: &Path) -> Result<Temp, WriteError> {
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

    pub(super) fn file(&self) -> &fs::File {
        self.file.as_ref().expect("not persisted yet").as_file()
    }

    pub(super) fn write_all(&mut self, contents: &[u8]) -> io::Result<()> {
        // The file itself, not NamedTempFile, whose errors name the
        // temporary path (the caller names the real file).
        let f = self.file.as_mut().expect("not persisted yet").as_file_mut();
        f.write_all(contents)?;
        f.flush()
    }

    /// Renames the file to `target` (never replacing a file when
    /// `noclobber`), then flushes the folder.
    pub(super) fn persist(mut self, target: &Path, noclobber: bool) -> Result<(), WriteError> {
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

pub(super) const TEMP_PREFIX: &str = ".dslim-";
pub(super) const TEMP_SUFFIX: &str = ".tmp";

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
pub(super) fn process_runs(pid: u32) -> bool {
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
