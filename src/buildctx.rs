//! What the build context holds, for transforms that look past the
//! Dockerfile (DS201 `multi-stage`, DS202 `deps-first`, DS203
//! `dockerignore`).
//!
//! The context is the folder `docker build` sends (`--context DIR`, or
//! `context = "…"` in `dslim.toml`). Without one, the Dockerfile's own
//! folder is read, but only for *hints*: `docker build -f docker/Dockerfile .`
//! is common, so a fix that is only right when a file exists in the real
//! context (DS202's safe form, DS203) needs an explicit context
//! ([`BuildContext::explicit`]).
//!
//! Everything is read lazily, at most once per folder and process (a
//! process-wide cache: dslim is a short-lived command), and a missing or
//! unreadable file is never an error: it reads as absent.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// The build context a transform may read.
#[derive(Debug, Clone)]
pub struct BuildContext {
    pub info: Arc<Info>,
    /// Named by `--context` or `context` in the configuration; `false` when
    /// it is only the Dockerfile's folder (hints only).
    pub explicit: bool,
}

impl BuildContext {
    /// The explicit context when given, else the Dockerfile's folder, else
    /// none (stdin without a name).
    pub fn locate(explicit: Option<&Path>, dockerfile: Option<&Path>) -> Option<BuildContext> {
        if let Some(dir) = explicit {
            return Some(BuildContext {
                info: info(dir),
                explicit: true,
            });
        }
        let file = dockerfile?;
        let dir = match file.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        dir.is_dir().then(|| BuildContext {
            info: info(dir),
            explicit: false,
        })
    }
}

/// Which lockfile a Node project has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockKind {
    Npm,
    Yarn,
    Pnpm,
}

/// What `package.json` (and its neighbours) say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackageJson {
    pub lockfile: Option<LockKind>,
    /// The lockfile's name (`package-lock.json`, `npm-shrinkwrap.json`…).
    pub lockfile_name: Option<&'static str>,
    /// Names of the `scripts`.
    pub scripts: Vec<String>,
    pub main: Option<String>,
    /// `workspaces` is set (or a `pnpm-workspace.yaml` exists).
    pub workspaces: bool,
}

impl PackageJson {
    pub fn has_script(&self, name: &str) -> bool {
        self.scripts.iter().any(|s| s == name)
    }
    /// Scripts npm/yarn/pnpm run on a plain install of the root package.
    pub fn lifecycle_scripts(&self) -> Vec<&str> {
        const LIFECYCLE: &[&str] = &[
            "preinstall",
            "install",
            "postinstall",
            "prepare",
            "preprepare",
            "postprepare",
        ];
        self.scripts
            .iter()
            .map(String::as_str)
            .filter(|s| LIFECYCLE.contains(s))
            .collect()
    }
}

/// What `go.mod` says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoMod {
    pub module: Option<String>,
    pub go: Option<String>,
    /// A `replace` points at a local folder (`=> ./lib`): downloading needs
    /// the sources.
    pub local_replace: bool,
}

/// What `Cargo.toml` says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CargoToml {
    pub package: Option<String>,
    /// `[[bin]]` names.
    pub bins: Vec<String>,
    pub workspace: bool,
}

/// One context folder, read on demand.
#[derive(Debug)]
pub struct Info {
    pub dir: PathBuf,
    package_json: OnceLock<Option<PackageJson>>,
    go_mod: OnceLock<Option<GoMod>>,
    cargo: OnceLock<Option<CargoToml>>,
    texts: Mutex<HashMap<String, Option<Arc<str>>>>,
    /// Files a fix has written in this run but not yet on disk
    /// (context-relative path → text): read before the disk.
    overlay: HashMap<String, Arc<str>>,
}

/// The cached [`Info`] of a folder.
pub fn info(dir: &Path) -> Arc<Info> {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, Arc<Info>>>> = OnceLock::new();
    let mut m = CACHE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    m.entry(dir.to_path_buf())
        .or_insert_with(|| {
            Arc::new(Info {
                dir: dir.to_path_buf(),
                package_json: OnceLock::new(),
                go_mod: OnceLock::new(),
                cargo: OnceLock::new(),
                texts: Mutex::new(HashMap::new()),
                overlay: HashMap::new(),
            })
        })
        .clone()
}

impl BuildContext {
    /// The same context as if `files` (absolute or context-joined paths
    /// with their new texts) were written: what the fix loop reads after a
    /// fix to another file (DS203's `.dockerignore`), so fixes that depend
    /// on it apply in the same run. `None` when a file lies outside the
    /// context folder.
    pub fn with_files_written<'a>(
        &self,
        files: impl IntoIterator<Item = (&'a Path, &'a str)>,
    ) -> Option<BuildContext> {
        let mut overlay = self.info.overlay.clone();
        for (path, text) in files {
            let rel = path.strip_prefix(&self.info.dir).ok()?;
            overlay.insert(rel.to_str()?.to_string(), Arc::from(text));
        }
        Some(BuildContext {
            info: Arc::new(Info {
                dir: self.info.dir.clone(),
                package_json: OnceLock::new(),
                go_mod: OnceLock::new(),
                cargo: OnceLock::new(),
                texts: Mutex::new(HashMap::new()),
                overlay,
            }),
            explicit: self.explicit,
        })
    }
}

/// Files larger than this are not read (a manifest never is).
const MAX_READ: u64 = 1 << 20;

impl Info {
    /// The text of `rel` in the context, if it is a readable UTF-8 file.
    pub fn text(&self, rel: &str) -> Option<Arc<str>> {
        if let Some(t) = self.overlay.get(rel) {
            return Some(t.clone());
        }
        let mut m = self.texts.lock().unwrap_or_else(|p| p.into_inner());
        m.entry(rel.to_string())
            .or_insert_with(|| {
                let p = self.dir.join(rel);
                let meta = std::fs::metadata(&p).ok()?;
                if !meta.is_file() || meta.len() > MAX_READ {
                    return None;
                }
                std::fs::read_to_string(&p).ok().map(Arc::from)
            })
            .clone()
    }

    /// Whether `rel` exists (file or folder).
    pub fn exists(&self, rel: &str) -> bool {
        self.overlay.contains_key(rel) || self.dir.join(rel).exists()
    }

    pub fn package_json(&self) -> Option<&PackageJson> {
        self.package_json
            .get_or_init(|| {
                let text = self.text("package.json")?;
                let v: serde_json::Value = serde_json::from_str(&text).ok()?;
                let (lockfile, lockfile_name) = if self.exists("package-lock.json") {
                    (Some(LockKind::Npm), Some("package-lock.json"))
                } else if self.exists("npm-shrinkwrap.json") {
                    (Some(LockKind::Npm), Some("npm-shrinkwrap.json"))
                } else if self.exists("yarn.lock") {
                    (Some(LockKind::Yarn), Some("yarn.lock"))
                } else if self.exists("pnpm-lock.yaml") {
                    (Some(LockKind::Pnpm), Some("pnpm-lock.yaml"))
                } else {
                    (None, None)
                };
                Some(PackageJson {
                    lockfile,
                    lockfile_name,
                    scripts: v
                        .get("scripts")
                        .and_then(|s| s.as_object())
                        .map(|o| o.keys().cloned().collect())
                        .unwrap_or_default(),
                    main: v.get("main").and_then(|m| m.as_str()).map(str::to_string),
                    workspaces: v.get("workspaces").is_some() || self.exists("pnpm-workspace.yaml"),
                })
            })
            .as_ref()
    }

    pub fn go_mod(&self) -> Option<&GoMod> {
        self.go_mod
            .get_or_init(|| {
                let text = self.text("go.mod")?;
                let mut g = GoMod::default();
                for line in text.lines() {
                    let l = line.split("//").next().unwrap_or("").trim();
                    if let Some(m) = l.strip_prefix("module ") {
                        g.module = Some(m.trim().trim_matches('"').to_string());
                    } else if let Some(v) = l.strip_prefix("go ") {
                        g.go = Some(v.trim().to_string());
                    }
                    if let Some((_, target)) = l.split_once("=>") {
                        let t = target.trim();
                        if t.starts_with('.') || t.starts_with('/') {
                            g.local_replace = true;
                        }
                    }
                }
                Some(g)
            })
            .as_ref()
    }

    pub fn cargo_toml(&self) -> Option<&CargoToml> {
        self.cargo
            .get_or_init(|| {
                let text = self.text("Cargo.toml")?;
                let t: toml::Table = text.parse().ok()?;
                Some(CargoToml {
                    package: t
                        .get("package")
                        .and_then(|p| p.get("name"))
                        .and_then(|n| n.as_str())
                        .map(str::to_string),
                    bins: t
                        .get("bin")
                        .and_then(|b| b.as_array())
                        .map(|a| {
                            a.iter()
                                .filter_map(|b| b.get("name")?.as_str().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default(),
                    workspace: t.contains_key("workspace"),
                })
            })
            .as_ref()
    }

    /// `requirements.txt` (or the named file): its text.
    pub fn requirements(&self, name: &str) -> Option<Arc<str>> {
        self.text(name)
    }

    /// `pom.xml` exists; `Some(true)` when it lists `<modules>`.
    pub fn maven_modules(&self) -> Option<bool> {
        self.text("pom.xml").map(|t| t.contains("<modules>"))
    }

    /// The ignore file BuildKit uses for a Dockerfile named `dockerfile`:
    /// `<name>.dockerignore` beside… in the context when it exists (BuildKit
    /// prefers it), else `.dockerignore`.
    pub fn dockerignore(&self, dockerfile: Option<&Path>) -> Dockerignore {
        if let Some(name) = dockerfile
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
        {
            let specific = format!("{name}.dockerignore");
            if let Some(text) = self.text(&specific) {
                return Dockerignore {
                    path: self.dir.join(specific),
                    text: Some(text),
                };
            }
        }
        Dockerignore {
            path: self.dir.join(".dockerignore"),
            text: self.text(".dockerignore"),
        }
    }
}

/// An ignore file: where it is (or would be) and its text.
#[derive(Debug, Clone)]
pub struct Dockerignore {
    pub path: PathBuf,
    pub text: Option<Arc<str>>,
}

impl Dockerignore {
    /// The patterns, comments and blank lines left out, in order.
    pub fn patterns(&self) -> Vec<String> {
        self.text
            .as_deref()
            .unwrap_or("")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect()
    }

    /// Whether the file excludes the top-level path `rel` (`node_modules`),
    /// by the last matching pattern (`!` re-includes).
    pub fn excludes(&self, rel: &str) -> bool {
        let mut out = false;
        for p in self.patterns() {
            let (neg, pat) = match p.strip_prefix('!') {
                Some(r) => (true, r.trim()),
                None => (false, p.as_str()),
            };
            if pattern_matches(pat, rel) {
                out = !neg;
            }
        }
        out
    }

    /// Whether a pattern equivalent to `pat` is already written.
    pub fn has(&self, pat: &str) -> bool {
        let norm = |s: &str| normalize(s).trim_start_matches("**/").to_string();
        let want = norm(pat);
        self.patterns().iter().any(|p| norm(p) == want) || self.excludes(&normalize(pat))
    }
}

fn normalize(p: &str) -> String {
    let p = p.trim();
    let p = p.strip_prefix("./").unwrap_or(p);
    let p = p.trim_start_matches('/');
    p.trim_end_matches('/').to_string()
}

/// Whether the `.dockerignore` pattern `pat` matches `rel` or a folder `rel`
/// is in (Go `filepath.Match` rules, approximated with globset; `**`
/// matches any number of folders).
pub fn pattern_matches(pat: &str, rel: &str) -> bool {
    let pat = normalize(pat);
    let rel = normalize(rel);
    if pat.is_empty() {
        return false;
    }
    let Ok(g) = globset::GlobBuilder::new(&pat)
        .literal_separator(true)
        .build()
        .map(|g| g.compile_matcher())
    else {
        return false;
    };
    Path::new(&rel)
        .ancestors()
        .filter(|a| !a.as_os_str().is_empty())
        .any(|a| g.is_match(a))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_manifests_and_missing_files_are_absent() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path();
        std::fs::write(
            p.join("package.json"),
            r#"{"main":"server.js","scripts":{"build":"tsc","postinstall":"x"}}"#,
        )
        .unwrap();
        std::fs::write(p.join("yarn.lock"), "").unwrap();
        std::fs::write(
            p.join("go.mod"),
            "module example.com/app\n\ngo 1.22\nreplace a => ./a\n",
        )
        .unwrap();
        std::fs::write(
            p.join("Cargo.toml"),
            "[package]\nname = \"hello\"\n[[bin]]\nname = \"srv\"\n",
        )
        .unwrap();
        std::fs::write(p.join("Dockerfile.dockerignore"), "node_modules\n!x\n").unwrap();
        let i = info(p);
        let pj = i.package_json().unwrap();
        assert_eq!(pj.lockfile, Some(LockKind::Yarn));
        assert!(pj.has_script("build"));
        assert_eq!(pj.lifecycle_scripts(), ["postinstall"]);
        assert_eq!(pj.main.as_deref(), Some("server.js"));
        let g = i.go_mod().unwrap();
        assert_eq!(g.module.as_deref(), Some("example.com/app"));
        assert_eq!(g.go.as_deref(), Some("1.22"));
        assert!(g.local_replace);
        let c = i.cargo_toml().unwrap();
        assert_eq!(c.package.as_deref(), Some("hello"));
        assert_eq!(c.bins, ["srv"]);
        assert_eq!(i.maven_modules(), None);
        let di = i.dockerignore(Some(Path::new("x/Dockerfile")));
        assert!(di.path.ends_with("Dockerfile.dockerignore"));
        assert!(di.excludes("node_modules"));
        assert!(di.has("node_modules/"));
        let di = i.dockerignore(Some(Path::new("Other")));
        assert!(di.text.is_none());
        assert!(!di.excludes("node_modules"));
        let empty = info(&p.join("nope"));
        assert!(empty.package_json().is_none() && empty.go_mod().is_none());
    }

    #[test]
    fn ignore_patterns() {
        assert!(pattern_matches("**/__pycache__", "__pycache__"));
        assert!(pattern_matches("target/", "target/release/app"));
        assert!(pattern_matches("Dockerfile*", "Dockerfile"));
        assert!(pattern_matches("/.git", ".git"));
        assert!(!pattern_matches("*.log", "logs/a"));
    }
}
