//! Discovery: the configuration that governs each file (nearest file up to
//! the repository root, or the one `--config` names), cached per folder and
//! per file.

use super::*;

/// Resolves the configuration of each file, with caches.
#[derive(Debug)]
pub struct Resolver {
    source: ConfigSource,
    overrides: Overrides,
    cwd: PathBuf,
    /// Folder → the configuration file governing it.
    pub(super) dirs: HashMap<PathBuf, Option<PathBuf>>,
    /// Configuration file → what it loaded to.
    pub(super) loaded: HashMap<PathBuf, Result<Arc<Project>, ConfigError>>,
    defaults: Arc<Project>,
    /// `$HOME`: discovery looks no higher.
    home: Option<PathBuf>,
}

impl Resolver {
    /// A resolver; with [`ConfigSource::File`] the file is loaded now, so a broken
    /// `--config` fails before any work.
    pub fn new(source: ConfigSource, overrides: Overrides) -> Result<Resolver, ConfigError> {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
        Resolver::with_cwd(source, overrides, cwd)
    }

    /// [`Resolver::new`] relative to `cwd` instead of the current directory.
    pub fn with_cwd(
        source: ConfigSource,
        overrides: Overrides,
        cwd: PathBuf,
    ) -> Result<Resolver, ConfigError> {
        let defaults = Arc::new(Project::defaults(cwd.clone(), &overrides));
        let mut r = Resolver {
            source,
            overrides,
            cwd,
            dirs: HashMap::new(),
            loaded: HashMap::new(),
            defaults,
            home: std::env::var_os("HOME")
                .filter(|h| !h.is_empty())
                .map(PathBuf::from),
        };
        if let ConfigSource::File(f) = r.source.clone() {
            let abs = r.absolute(&f);
            r.load(&abs)?;
        }
        Ok(r)
    }

    /// `path` made absolute against the working directory, `.` and `..`
    /// resolved lexically.
    pub fn absolute(&self, path: &Path) -> PathBuf {
        let mut out = PathBuf::new();
        for c in self.cwd.join(path).components() {
            match c {
                Component::CurDir => {}
                Component::ParentDir => {
                    out.pop();
                }
                c => out.push(c),
            }
        }
        out
    }

    /// The configuration governing `file` (a path as given; `-` or a
    /// `--stdin-filename` name for stdin).
    pub fn project(&mut self, file: &Path) -> Result<Arc<Project>, ConfigError> {
        let config = match self.source.clone() {
            ConfigSource::Defaults => None,
            ConfigSource::File(f) => Some(self.absolute(&f)),
            ConfigSource::Discover => {
                let abs = self.absolute(file);
                let dir = abs.parent().unwrap_or(&abs).to_path_buf();
                self.discover(&dir)
            }
        };
        match config {
            None => Ok(self.defaults.clone()),
            Some(c) => self.load(&c),
        }
    }

    /// The settings for `file`.
    pub fn settings(&mut self, file: &Path) -> Result<Arc<Settings>, ConfigError> {
        let abs = self.absolute(file);
        Ok(self.project(file)?.settings_for(&abs))
    }

    /// Whether `file`, found by walking a folder, is excluded by its
    /// configuration's `exclude`/`extend-exclude`.
    pub fn excluded(&mut self, file: &Path) -> Result<bool, ConfigError> {
        let abs = self.absolute(file);
        Ok(self.project(file)?.excludes(&abs))
    }

    /// The nearest configuration file at or above `dir`, stopping at a
    /// repository root (a folder holding `.git`), at the home directory
    /// (`$HOME`, looked at, nothing above it), and at the first folder that
    /// cannot be read (nothing there or above it).
    fn discover(&mut self, dir: &Path) -> Option<PathBuf> {
        let home = self.home.clone();
        let mut visited = Vec::new();
        let mut found = None;
        let mut cur = Some(dir);
        'walk: while let Some(d) = cur {
            if let Some(known) = self.dirs.get(d) {
                found = known.clone();
                break;
            }
            visited.push(d.to_path_buf());
            for name in FILE_NAMES {
                match std::fs::metadata(d.join(name)) {
                    Ok(m) if m.is_file() => {
                        found = Some(d.join(name));
                        break 'walk;
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => break 'walk,
                    _ => {}
                }
            }
            if d.join(".git").exists() || home.as_deref() == Some(d) {
                break;
            }
            cur = d.parent();
        }
        for v in visited {
            self.dirs.insert(v, found.clone());
        }
        found
    }

    fn shown(&self, path: &Path) -> String {
        crate::output::display_path(path.strip_prefix(&self.cwd).unwrap_or(path))
    }

    fn load(&mut self, path: &Path) -> Result<Arc<Project>, ConfigError> {
        if let Some(r) = self.loaded.get(path) {
            return r.clone();
        }
        let shown = self.shown(path);
        let r = std::fs::read_to_string(path)
            .map_err(|e| ConfigError {
                location: shown.clone(),
                message: crate::fsutil::io_message(&e),
            })
            .and_then(|src| parse(path, &shown, &src, &self.overrides))
            .map(Arc::new);
        self.loaded.insert(path.to_path_buf(), r.clone());
        r
    }
}

/// Whether `dir` can be a build context: `Err` says what it is instead
/// (`does not exist`, `is a file, not a folder`).
pub fn context_dir(dir: &Path) -> Result<(), String> {
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(m) => Err(format!(
            "is {}, not a folder",
            crate::fsutil::kind_name(&m.file_type())
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err("does not exist".into()),
        Err(e) => Err(format!("cannot be read: {}", crate::fsutil::io_message(&e))),
    }
}
