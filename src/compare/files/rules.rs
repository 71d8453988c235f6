//! What makes a difference expected: the groups of `dslim compare`'s
//! file diff, each with its reason.

use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Why a difference is expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// A package manager's cache or index (`transforms/package-managers.toml`).
    Cache(String),
    /// Logs and temporary files.
    Scratch,
    /// Part of the original's base image, which the fixed image no longer
    /// builds on (it stays in the builder stage).
    BuilderBase(String),
    /// Part of the original's base image, which the fixed image, built in
    /// one stage, swapped for another (DS101: `debian:bookworm` →
    /// `debian:bookworm-slim`).
    OldBase(String),
    /// Under a COPY/ADD destination of the original (files from the build
    /// context, and what the build made next to them), when the fixed image
    /// is built on another base: they stay in the builder stage.
    BuildInput,
    /// Under the original's build folder (the WORKDIR a RUN ran in) when
    /// the fixed image copies its artifact from that folder of a builder
    /// stage (`COPY --from=build /app/app.jar …`): what else the build made
    /// there (javac's class folder, object files) stays in the builder.
    BuildOutput(String),
    /// Installed by dpkg in the original (a RUN of what is now the builder
    /// stage), owned by a package the fixed image does not have installed:
    /// build tools (`build-essential`, `golang-go`) left in the builder.
    BuilderPackages,
    /// Installed by dpkg in the original, not at all in the fixed image,
    /// which is built in one stage with `--no-install-recommends` (DS003):
    /// the recommended packages the fix stopped installing, read from the
    /// two images' dpkg status.
    NotInstalled,
    /// Of a package the fixed image records in `/var/lib/dpkg/status.d`
    /// (distroless: unpacked without dpkg): its dpkg `info` files, docs
    /// and man pages, and what its maintainer scripts made in the original.
    UnpackedOnly,
    /// Python packages pip installed in what is now the builder stage,
    /// when the fixed image has no Python that could import them (a
    /// PyInstaller one-file binary bundles what it imports): listed by
    /// their `*.dist-info/RECORD`.
    PipPackages,
    /// `cargo install`'s record of what it installed (`$CARGO_HOME/
    /// .crates.toml`, `.crates2.json`), left in the builder stage with
    /// cargo; the binary it installed is copied.
    CargoInstallRecord,
    /// An empty `/etc/hosts`, `/etc/resolv.conf` or `/etc/hostname`: the
    /// mount points a builder leaves in a layer a RUN made; the runtime
    /// mounts its own over them.
    RunMountPoint,
    /// `/var/cache/ldconfig/aux-cache`: ldconfig's own cache of what it
    /// scanned, rewritten by the next ldconfig; nothing reads it at run
    /// time.
    LdconfigCache,
    /// A file of a package the fixed image installs too, which its dpkg
    /// configuration does not unpack (`path-exclude` in
    /// `/etc/dpkg/dpkg.cfg.d/*`, as in `debian:*-slim`: docs, man pages,
    /// locales).
    DpkgExcluded,
    /// Accepted with `--allow GLOB`.
    Allowed(String),
    /// The fixed image has it at another path that the original lacks,
    /// with the same file name and the same size or in a folder of the same
    /// name: a package moved into a venv (its `.pyc` files, `RECORD` and
    /// console scripts in `bin` name the new place, so their size differs).
    Moved,
}

impl Reason {
    pub fn describe(&self) -> String {
        match self {
            Reason::Cache(m) => format!("{m} cache and index (package-managers.toml)"),
            Reason::Scratch => "logs and temporary files".into(),
            Reason::OldBase(i) => {
                format!("base image {i}, swapped for a smaller one (one stage, no builder)")
            }
            Reason::BuilderBase(i) => {
                format!("build tools: base image {i}, left in the builder stage")
            }
            Reason::BuildInput => {
                "build inputs: under a COPY destination, left in the builder stage".into()
            }
            Reason::BuildOutput(d) => format!(
                "build outputs: in the build folder {d}, whose artifact alone the runtime \
                 copies; left in the builder stage"
            ),
            Reason::BuilderPackages => "build-tool packages left in the builder".into(),
            Reason::NotInstalled => "packages the fix stopped installing \
                (--no-install-recommends, DS003; from the two dpkg status files)"
                .into(),
            Reason::UnpackedOnly => "dpkg records, docs and maintainer-script output of \
                packages the fixed image unpacks without dpkg (status.d, distroless)"
                .into(),
            Reason::PipPackages => {
                "pip packages left in the builder; the fixed image has no Python to import them"
                    .into()
            }
            Reason::CargoInstallRecord => {
                "cargo install's record (.crates.toml, .crates2.json), left in the builder".into()
            }
            Reason::RunMountPoint => {
                "empty mount points a RUN leaves (/etc/hosts, /etc/resolv.conf, /etc/hostname)"
                    .into()
            }
            Reason::LdconfigCache => {
                "ldconfig's scan cache (/var/cache/ldconfig/aux-cache, not read at run time)".into()
            }
            Reason::DpkgExcluded => {
                "not unpacked by the fixed image's dpkg (path-exclude in /etc/dpkg/dpkg.cfg.d)"
                    .into()
            }
            Reason::Allowed(g) => format!("allowed by --allow {g}"),
            Reason::Moved => {
                "moved: the fixed image has the same file at another path (a venv)".into()
            }
        }
    }
    pub(super) fn key(&self) -> String {
        match self {
            Reason::Cache(m) => format!("cache:{m}"),
            Reason::Scratch => "scratch".into(),
            Reason::BuilderBase(i) => format!("builder-base:{i}"),
            Reason::OldBase(i) => format!("old-base:{i}"),
            Reason::BuildInput => "build-input".into(),
            Reason::BuildOutput(d) => format!("build-output:{d}"),
            Reason::BuilderPackages => "builder-packages".into(),
            Reason::NotInstalled => "not-installed".into(),
            Reason::UnpackedOnly => "unpacked-only".into(),
            Reason::PipPackages => "pip-packages".into(),
            Reason::CargoInstallRecord => "cargo-install-record".into(),
            Reason::RunMountPoint => "run-mount-point".into(),
            Reason::LdconfigCache => "ldconfig-cache".into(),
            Reason::DpkgExcluded => "dpkg-excluded".into(),
            Reason::Allowed(g) => format!("allowed:{g}"),
            Reason::Moved => "moved".into(),
        }
    }
}

/// Paths under these folders are logs and temporary files.
const SCRATCH: [&str; 3] = ["/var/log", "/tmp", "/var/tmp"];

/// ldconfig's scan cache.
const LDCONFIG_AUX_CACHE: &str = "/var/cache/ldconfig/aux-cache";

/// The files a builder bind-mounts over during a RUN, left empty in the
/// layer.
pub(super) const RUN_MOUNT_POINTS: [&str; 3] = ["/etc/hosts", "/etc/resolv.conf", "/etc/hostname"];

/// What counts as expected.
#[derive(Debug, Default)]
pub struct Rules {
    /// (manager, folder) pairs: caches and indexes of package managers.
    pub caches: Vec<(String, String)>,
    /// The original's base image and its paths, when the fixed image is
    /// built on another one.
    pub builder_base: Option<(String, HashSet<String>)>,
    /// With `builder_base`: the fixed Dockerfile has no more stages than
    /// the original (a base swap, not a split): the original's base files
    /// are no build tools left in a builder.
    pub one_stage: bool,
    /// With `builder_base`: the original's COPY/ADD destinations.
    pub build_inputs: Vec<String>,
    /// With `builder_base`: the original's build folders the fixed image
    /// copies an artifact from.
    pub build_outputs: Vec<String>,
    /// Paths of the original owned by dpkg packages left in the builder
    /// stage ([`builder_packages`]), with their package.
    pub builder_packages: HashMap<String, String>,
    /// Paths of the original owned by packages the fixed image does not
    /// install (no split, DS003 applied), with their package.
    pub not_installed: HashMap<String, String>,
    /// With `builder_base`, when the fixed image has no Python: paths of
    /// pip packages it lacks ([`super::dpkg::pip_packages`]).
    pub pip_packages: HashMap<String, String>,
    /// Paths of packages the fixed image unpacks without dpkg that such an
    /// image lacks by design ([`super::dpkg::unpacked_only`]).
    pub unpacked_only: HashMap<String, String>,
    /// Paths of packages the fixed image installs that its dpkg excludes
    /// ([`dpkg_excluded`]).
    pub dpkg_excluded: HashSet<String>,
    /// `--allow` globs.
    pub allow: Vec<(String, globset::GlobMatcher)>,
}

/// Whether `path` is `dir` or under it.
pub(super) fn under(path: &str, dir: &str) -> bool {
    let dir = dir.trim_end_matches("/*").trim_end_matches('/');
    !dir.is_empty()
        && path
            .strip_prefix(dir)
            .is_some_and(|r| r.is_empty() || r.starts_with('/'))
}

impl Rules {
    /// Package-manager caches from the transforms' data: each manager's
    /// `cache-paths` and `mount.targets` (not `clean.paths`, which may be
    /// a parent such as `/root/.cache`).
    pub fn with_caches(data: &crate::data::Data) -> Rules {
        let mut caches = Vec::new();
        for (name, m) in &data.package_managers {
            for p in m.cache_paths.iter().chain(&m.mount.targets) {
                if p.starts_with('/') {
                    caches.push((name.clone(), p.clone()));
                }
            }
        }
        Rules {
            caches,
            ..Rules::default()
        }
    }

    /// Adds `--allow` patterns (globset syntax, `*` not crossing `/`, `**`
    /// any depth; a pattern matching a folder covers what is under it).
    pub fn allow(&mut self, globs: &[String]) -> Result<(), String> {
        for g in globs {
            let m = globset::GlobBuilder::new(g)
                .literal_separator(true)
                .build()
                .map_err(|e| format!("--allow {g}: {e}"))?
                .compile_matcher();
            self.allow.push((g.clone(), m));
        }
        Ok(())
    }

    /// The package `path` belongs to, for the groups that list packages.
    pub fn package_of(&self, reason: &Reason, path: &str) -> Option<&str> {
        match reason {
            Reason::BuilderPackages => self.builder_packages.get(path),
            Reason::NotInstalled => self.not_installed.get(path),
            Reason::UnpackedOnly => self.unpacked_only.get(path),
            Reason::PipPackages => self.pip_packages.get(path),
            _ => None,
        }
        .map(String::as_str)
    }

    /// Why a difference at `path` is expected, if it is.
    pub fn reason(&self, path: &str) -> Option<Reason> {
        for (g, m) in &self.allow {
            let mut p = Some(Path::new(path));
            while let Some(x) = p.filter(|x| x != &Path::new("/")) {
                if m.is_match(x) {
                    return Some(Reason::Allowed(g.clone()));
                }
                p = x.parent();
            }
        }
        if let Some((name, _)) = self.caches.iter().find(|(_, d)| under(path, d)) {
            return Some(Reason::Cache(name.clone()));
        }
        if SCRATCH.iter().any(|d| under(path, d)) {
            return Some(Reason::Scratch);
        }
        if let Some((image, paths)) = &self.builder_base {
            if paths.contains(path) {
                return Some(if self.one_stage {
                    Reason::OldBase(image.clone())
                } else {
                    Reason::BuilderBase(image.clone())
                });
            }
            if self.build_inputs.iter().any(|d| under(path, d)) {
                return Some(Reason::BuildInput);
            }
            if let Some(d) = self.build_outputs.iter().find(|d| under(path, d)) {
                return Some(Reason::BuildOutput(d.clone()));
            }
            if self.pip_packages.contains_key(path) {
                return Some(Reason::PipPackages);
            }
            let name = path.rsplit('/').next().unwrap_or("");
            if name == ".crates.toml" || name == ".crates2.json" {
                return Some(Reason::CargoInstallRecord);
            }
        }
        if self.builder_packages.contains_key(path) {
            return Some(Reason::BuilderPackages);
        }
        if self.not_installed.contains_key(path) {
            return Some(Reason::NotInstalled);
        }
        if self.unpacked_only.contains_key(path) {
            return Some(Reason::UnpackedOnly);
        }
        if self.dpkg_excluded.contains(path) {
            return Some(Reason::DpkgExcluded);
        }
        if path == LDCONFIG_AUX_CACHE {
            return Some(Reason::LdconfigCache);
        }
        None
    }
}
