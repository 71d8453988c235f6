//! The file-system diff of `dslim compare`: what the fixed image lacks or
//! has changed, compared with the original, with the expected differences
//! grouped and the rest listed as unexpected.
//!
//! Both images' root file systems are mounted (`buildah mount`) and walked
//! without following symbolic links. A path is *missing* when the original
//! has it and the fixed image does not (a missing folder is one entry, with
//! the size and count of everything under it), *changed* when its type,
//! permissions, owner, link target, size or content differ (content is read
//! only when size and modification time leave it open). Files only the
//! fixed image has are counted.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::Read;
use std::path::Path;

use serde::Serialize;

/// What a path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
    Other,
}

/// One path of a walked file system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub kind: EntryKind,
    pub size: u64,
    /// Permission bits (with setuid/setgid/sticky).
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    /// Modification time (seconds, nanoseconds).
    pub mtime: (i64, i64),
    /// A symbolic link's target.
    pub target: Option<String>,
}

/// Every path under a root, by its absolute path inside the image
/// (`/usr/bin/go`); the root itself is left out.
pub type Tree = BTreeMap<String, Entry>;

/// Walks `root` without following symbolic links. Folders that cannot be
/// read are listed with nothing under them.
#[cfg(unix)]
pub fn walk(root: &Path) -> Result<Tree, String> {
    use std::os::unix::fs::MetadataExt;
    let mut tree = Tree::new();
    let first = std::fs::read_dir(root).map_err(|e| {
        format!(
            "cannot read the image's files at {}: {}",
            root.display(),
            crate::fsutil::io_message(&e)
        )
    })?;
    let mut stack = vec![(String::new(), first)];
    while let Some((prefix, mut dir)) = stack.pop() {
        // One entry at a time: a child folder is pushed and walked first,
        // then this one resumes.
        let Some(item) = dir.next() else { continue };
        stack.push((prefix.clone(), dir));
        let Ok(item) = item else { continue };
        let name = item.file_name().to_string_lossy().into_owned();
        let path = format!("{prefix}/{name}");
        let Ok(m) = item.path().symlink_metadata() else {
            continue;
        };
        let ft = m.file_type();
        let kind = if ft.is_symlink() {
            EntryKind::Symlink
        } else if ft.is_dir() {
            EntryKind::Dir
        } else if ft.is_file() {
            EntryKind::File
        } else {
            EntryKind::Other
        };
        let target = (kind == EntryKind::Symlink)
            .then(|| std::fs::read_link(item.path()).ok())
            .flatten()
            .map(|t| t.to_string_lossy().into_owned());
        tree.insert(
            path.clone(),
            Entry {
                kind,
                size: if kind == EntryKind::File { m.len() } else { 0 },
                mode: m.mode() & 0o7777,
                uid: m.uid(),
                gid: m.gid(),
                mtime: (m.mtime(), m.mtime_nsec()),
                target,
            },
        );
        if kind == EntryKind::Dir {
            if let Ok(sub) = std::fs::read_dir(item.path()) {
                stack.push((path, sub));
            }
        }
    }
    Ok(tree)
}

#[cfg(not(unix))]
pub fn walk(root: &Path) -> Result<Tree, String> {
    Err(format!(
        "cannot compare the files at {}: only on Unix",
        root.display()
    ))
}

/// How a path differs in the fixed image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub path: String,
    /// `missing` or `changed`.
    pub change: &'static str,
    /// What the path is in the original image.
    pub kind: EntryKind,
    /// Bytes in the original: a file's size, or for a missing folder the
    /// total of the files under it.
    pub before_bytes: u64,
    /// A changed file's size in the fixed image (`null` when missing).
    pub after_bytes: Option<u64>,
    /// Files under a missing folder (1 for anything else).
    pub files: usize,
    /// For a changed path: what changed (`content`, `size`, `type`,
    /// `mode`, `owner`, `target`).
    pub what: Vec<&'static str>,
}

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
    fn key(&self) -> String {
        match self {
            Reason::Cache(m) => format!("cache:{m}"),
            Reason::Scratch => "scratch".into(),
            Reason::BuilderBase(i) => format!("builder-base:{i}"),
            Reason::BuildInput => "build-input".into(),
            Reason::BuildOutput(d) => format!("build-output:{d}"),
            Reason::BuilderPackages => "builder-packages".into(),
            Reason::DpkgExcluded => "dpkg-excluded".into(),
            Reason::Allowed(g) => format!("allowed:{g}"),
            Reason::Moved => "moved".into(),
        }
    }
}

/// Paths under these folders are logs and temporary files.
const SCRATCH: [&str; 3] = ["/var/log", "/tmp", "/var/tmp"];

/// What counts as expected.
#[derive(Debug, Default)]
pub struct Rules {
    /// (manager, folder) pairs: caches and indexes of package managers.
    pub caches: Vec<(String, String)>,
    /// The original's base image and its paths, when the fixed image is
    /// built on another one.
    pub builder_base: Option<(String, HashSet<String>)>,
    /// With `builder_base`: the original's COPY/ADD destinations.
    pub build_inputs: Vec<String>,
    /// With `builder_base`: the original's build folders the fixed image
    /// copies an artifact from.
    pub build_outputs: Vec<String>,
    /// Paths of the original owned by dpkg packages left in the builder
    /// stage ([`builder_packages`]), with their package.
    pub builder_packages: HashMap<String, String>,
    /// Paths of packages the fixed image installs that its dpkg excludes
    /// ([`dpkg_excluded`]).
    pub dpkg_excluded: HashSet<String>,
    /// `--allow` globs.
    pub allow: Vec<(String, globset::GlobMatcher)>,
}

/// Whether `path` is `dir` or under it.
fn under(path: &str, dir: &str) -> bool {
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
                return Some(Reason::BuilderBase(image.clone()));
            }
            if self.build_inputs.iter().any(|d| under(path, d)) {
                return Some(Reason::BuildInput);
            }
            if let Some(d) = self.build_outputs.iter().find(|d| under(path, d)) {
                return Some(Reason::BuildOutput(d.clone()));
            }
        }
        if self.builder_packages.contains_key(path) {
            return Some(Reason::BuilderPackages);
        }
        if self.dpkg_excluded.contains(path) {
            return Some(Reason::DpkgExcluded);
        }
        None
    }
}

/// Reads a regular file of a mounted image, only when the walk found it as
/// one (so no folder on the way is a link that could lead out of the
/// image); at most 64 MiB.
fn image_file(root: &Path, tree: &Tree, path: &str) -> Option<String> {
    let e = tree.get(path)?;
    if e.kind != EntryKind::File || e.size > 64 << 20 {
        return None;
    }
    let bytes = std::fs::read(root.join(path.trim_start_matches('/'))).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// The package names of dpkg's status stanzas in `text`: with
/// `need_status`, only those whose `Status:` is `install ok installed`.
fn stanza_packages(text: &str, need_status: bool, out: &mut BTreeSet<String>) {
    for stanza in text.split("\n\n") {
        let mut name = None;
        let mut installed = !need_status;
        for line in stanza.lines() {
            if let Some(v) = line.strip_prefix("Package:") {
                name = Some(v.trim().to_string());
            } else if let Some(v) = line.strip_prefix("Status:") {
                installed = v.split_whitespace().last() == Some("installed");
            }
        }
        if let (Some(n), true) = (name, installed) {
            if !n.is_empty() {
                out.insert(n);
            }
        }
    }
}

/// The packages dpkg has installed in an image (`/var/lib/dpkg/status`,
/// and distroless's `/var/lib/dpkg/status.d/*`); `None` when it has
/// neither (not a dpkg image: `scratch`, alpine).
pub fn dpkg_installed(root: &Path, tree: &Tree) -> Option<BTreeSet<String>> {
    let mut out = BTreeSet::new();
    let mut found = false;
    if let Some(t) = image_file(root, tree, "/var/lib/dpkg/status") {
        found = true;
        stanza_packages(&t, true, &mut out);
    }
    let dir = "/var/lib/dpkg/status.d/";
    for (p, e) in tree.range(dir.to_string()..) {
        if !p.starts_with(dir) {
            break;
        }
        if e.kind == EntryKind::File && !p[dir.len()..].contains('/') && !p.ends_with(".md5sums") {
            if let Some(t) = image_file(root, tree, p) {
                found = true;
                stanza_packages(&t, false, &mut out);
            }
        }
    }
    found.then_some(out)
}

/// The original's paths of packages the fixed image installs too (`after`)
/// that the fixed image's dpkg does not unpack: its
/// `/etc/dpkg/dpkg.cfg.d/*` `path-exclude` / `path-include` globs, the
/// last match deciding (dpkg's order). Empty without such filters.
pub fn dpkg_excluded(
    root_before: &Path,
    before: &Tree,
    root_after: &Path,
    after_tree: &Tree,
    after: Option<&BTreeSet<String>>,
) -> HashSet<String> {
    let mut out = HashSet::new();
    let Some(after) = after else { return out };
    let cfg = "/etc/dpkg/dpkg.cfg.d/";
    let mut filters: Vec<(bool, globset::GlobMatcher)> = Vec::new();
    for (p, _) in after_tree.range(cfg.to_string()..) {
        if !p.starts_with(cfg) {
            break;
        }
        let Some(text) = image_file(root_after, after_tree, p) else {
            continue;
        };
        for line in text.lines() {
            let mut w = line.split_whitespace();
            let exclude = match w.next() {
                Some("path-exclude") => true,
                Some("path-include") => false,
                _ => continue,
            };
            let Some(g) = w.next().and_then(|g| globset::Glob::new(g).ok()) else {
                continue;
            };
            filters.push((exclude, g.compile_matcher()));
        }
    }
    if !filters.iter().any(|f| f.0) {
        return out;
    }
    let info = "/var/lib/dpkg/info/";
    for (p, _) in before.range(info.to_string()..) {
        if !p.starts_with(info) {
            break;
        }
        let Some(stem) = p[info.len()..].strip_suffix(".list") else {
            continue;
        };
        if stem.contains('/') || !after.contains(stem.split(':').next().unwrap_or(stem)) {
            continue;
        }
        let Some(text) = image_file(root_before, before, p) else {
            continue;
        };
        for l in text.lines().filter(|l| l.starts_with('/') && *l != "/.") {
            let excluded = filters
                .iter()
                .rev()
                .find(|(_, m)| m.is_match(l))
                .is_some_and(|f| f.0);
            if excluded {
                let path = crate::fsutil::image_path(l);
                out.insert(resolve_folders(before, &path).unwrap_or(path));
            }
        }
    }
    out
}

/// The original's paths owned by dpkg packages left in the builder stage:
/// installed in the original (`before`), not installed in the fixed image
/// (`after`: a runtime package it installs again keeps its missing files
/// unexpected) nor in the original's base image when that is known
/// (`base`). Paths come from the original's `/var/lib/dpkg/info/*.list`,
/// resolved through its folder links (`/bin/x` → `/usr/bin/x`), plus the
/// package's own `/var/lib/dpkg/info` files; a path a kept package also
/// lists is left out. Empty when the original has no dpkg status.
pub fn builder_packages(
    root_before: &Path,
    before: &Tree,
    after: Option<&BTreeSet<String>>,
    base: Option<&BTreeSet<String>>,
) -> HashMap<String, String> {
    let mut owner = HashMap::new();
    let Some(installed) = dpkg_installed(root_before, before) else {
        return owner;
    };
    let left = |n: &str| {
        installed.contains(n)
            && !after.is_some_and(|a| a.contains(n))
            && !base.is_some_and(|b| b.contains(n))
    };
    let info = "/var/lib/dpkg/info/";
    let mut kept: HashSet<String> = HashSet::new();
    for (p, _) in before.range(info.to_string()..) {
        if !p.starts_with(info) {
            break;
        }
        let file = &p[info.len()..];
        if file.contains('/') {
            continue;
        }
        // `gcc-12.list`, `libc6:amd64.list`, `gcc-12.md5sums`.
        let Some((stem, ext)) = file.rsplit_once('.') else {
            continue;
        };
        let name = stem.split(':').next().unwrap_or(stem);
        let is_left = left(name);
        if is_left {
            owner.insert(p.clone(), name.to_string());
        }
        if ext != "list" {
            continue;
        }
        let Some(text) = image_file(root_before, before, p) else {
            continue;
        };
        for line in text.lines() {
            let l = line.trim_end();
            if !l.starts_with('/') || l == "/." {
                continue;
            }
            let path = crate::fsutil::image_path(l);
            let path = resolve_folders(before, &path).unwrap_or(path);
            if is_left {
                owner.entry(path).or_insert_with(|| name.to_string());
            } else {
                kept.insert(path);
            }
        }
    }
    owner.retain(|p, _| !kept.contains(p));
    // update-alternatives links (`/usr/bin/cc` → `/etc/alternatives/cc`
    // → `/usr/bin/gcc`) whose every choice is a file of a package left
    // in the builder: the links and the bookkeeping file go with them.
    let alt = "/var/lib/dpkg/alternatives/";
    let mut links: Vec<(String, String)> = Vec::new();
    for (p, _) in before.range(alt.to_string()..) {
        if !p.starts_with(alt) {
            break;
        }
        let name = &p[alt.len()..];
        let Some(text) = image_file(root_before, before, p).filter(|_| !name.contains('/')) else {
            continue;
        };
        // Mode, the master link, (slave name, slave link)…, a blank line,
        // then each choice: its path, priority and slave targets.
        let mut lines = text.lines().skip(1);
        let mut paths = vec![p.clone(), format!("/etc/alternatives/{name}")];
        paths.extend(lines.next().map(str::to_string));
        while let Some(slave) = lines.next().filter(|l| !l.is_empty()) {
            let Some(link) = lines.next().filter(|l| !l.is_empty()) else {
                break;
            };
            paths.push(format!("/etc/alternatives/{slave}"));
            paths.push(link.to_string());
        }
        let choices: Vec<String> = lines
            .filter(|l| l.starts_with('/'))
            .map(|l| {
                let l = crate::fsutil::image_path(l);
                resolve_folders(before, &l).unwrap_or(l)
            })
            .collect();
        let Some(pkg) = choices.first().and_then(|c| owner.get(c)) else {
            continue;
        };
        if choices
            .iter()
            .all(|c| owner.contains_key(c) || !before.contains_key(c))
        {
            let pkg = pkg.clone();
            for l in paths.into_iter().filter(|l| l.starts_with('/')) {
                let l = crate::fsutil::image_path(&l);
                let l = resolve_folders(before, &l).unwrap_or(l);
                links.push((l, pkg.clone()));
            }
        }
    }
    for (l, pkg) in links {
        if !kept.contains(&l) {
            owner.entry(l).or_insert(pkg);
        }
    }
    owner
}

/// A group of expected differences.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    pub reason: String,
    pub files: usize,
    pub bytes: u64,
    /// For build-tool packages left in the builder: their names, sorted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub packages: Vec<String>,
    pub entries: Vec<Change>,
}

/// The whole diff (`files` in the JSON report).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileDiff {
    /// Expected differences, by reason.
    pub expected: Vec<Group>,
    /// Paths missing from the fixed image that nothing explains: the
    /// comparison fails (exit 1).
    pub unexpected_missing: Vec<Change>,
    /// Changed paths nothing explains (listed; not a failure: rebuilt files
    /// differ in time stamps and build IDs).
    pub unexpected_changed: Vec<Change>,
    /// Paths only the fixed image has.
    pub added_files: usize,
    pub added_bytes: u64,
}

impl FileDiff {
    pub fn unexpected_missing_bytes(&self) -> u64 {
        self.unexpected_missing.iter().map(|c| c.before_bytes).sum()
    }
}

/// What changed between two entries of the same path (empty: nothing).
fn changes(a: &Entry, b: &Entry, pa: &Path, pb: &Path) -> Vec<&'static str> {
    let mut what = Vec::new();
    if a.kind != b.kind {
        return vec!["type"];
    }
    if a.mode != b.mode {
        what.push("mode");
    }
    if (a.uid, a.gid) != (b.uid, b.gid) {
        what.push("owner");
    }
    if a.target != b.target {
        what.push("target");
    }
    if a.kind == EntryKind::File {
        if a.size != b.size {
            what.push("size");
        } else if a.mtime != b.mtime && !same_content(pa, pb) {
            what.push("content");
        }
    }
    what
}

/// Whether two files have the same bytes (unreadable: not the same).
fn same_content(a: &Path, b: &Path) -> bool {
    let (Ok(mut fa), Ok(mut fb)) = (std::fs::File::open(a), std::fs::File::open(b)) else {
        return false;
    };
    let mut ba = vec![0u8; 64 * 1024];
    let mut bb = vec![0u8; 64 * 1024];
    loop {
        let Ok(n) = read_full(&mut fa, &mut ba) else {
            return false;
        };
        let Ok(m) = read_full(&mut fb, &mut bb) else {
            return false;
        };
        if n != m || ba[..n] != bb[..m] {
            return false;
        }
        if n == 0 {
            return true;
        }
    }
}

fn read_full(f: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// Compares the original's tree (`before`, mounted at `root_before`) with
/// the fixed image's, and sorts the differences with `rules`.
/// Where a symbolic link at `link` points, as an absolute path.
fn link_target(link: &str, target: &str) -> String {
    if target.starts_with('/') {
        crate::fsutil::image_path(target)
    } else {
        let parent = &link[..link.rfind('/').unwrap_or(0)];
        crate::fsutil::image_path(&format!("{parent}/{target}"))
    }
}

/// `path` with the symbolic links among its folders resolved in `tree`
/// (`/bin/app` → `/usr/bin/app` where `/bin` → `usr/bin`); `None` when no
/// folder of it is a link.
fn resolve_folders(tree: &Tree, path: &str) -> Option<String> {
    let mut cur = path.to_string();
    let mut changed = false;
    'hops: for _ in 0..16 {
        let mut at = 0;
        while let Some(i) = cur[at + 1..].find('/').map(|i| i + at + 1) {
            let dir = &cur[..i];
            if let Some(Entry {
                kind: EntryKind::Symlink,
                target: Some(t),
                ..
            }) = tree.get(dir)
            {
                cur = format!("{}{}", link_target(dir, t).trim_end_matches('/'), &cur[i..]);
                changed = true;
                continue 'hops;
            }
            at = i;
        }
        break;
    }
    changed.then_some(cur)
}

/// The folder links of `tree`: (the folder it points to, the link).
fn folder_links(tree: &Tree) -> Vec<(String, String)> {
    tree.iter()
        .filter_map(|(p, e)| {
            let t = link_target(p, e.target.as_deref()?);
            let t = resolve_folders(tree, &t).unwrap_or(t);
            (tree.get(&t)?.kind == EntryKind::Dir).then(|| (t, p.clone()))
        })
        .collect()
}

/// The entry the fixed image has for `path` of the original, looked up
/// through folder links on either side: a merged-`/usr` original has its
/// files under `/usr/bin` and `/bin` → `usr/bin`, and a file it wrote to
/// `/bin/app` is `/bin/app` in a `scratch` image, a real folder there.
fn counterpart<'t>(
    path: &str,
    after: &'t Tree,
    before_links: &[(String, String)],
) -> Option<(String, &'t Entry)> {
    if let Some(e) = after.get(path) {
        return Some((path.to_string(), e));
    }
    let look = |p: &str| -> Option<(String, &'t Entry)> {
        if let Some(e) = after.get(p) {
            return Some((p.to_string(), e));
        }
        let r = resolve_folders(after, p)?;
        after.get(&r).map(|e| (r, e))
    };
    if let Some(found) = look(path) {
        return Some(found);
    }
    before_links.iter().find_map(|(dir, link)| {
        let rest = path.strip_prefix(dir.as_str())?;
        if rest.is_empty() {
            // The folder itself: the fixed image has it at the link's path.
            return look(link);
        }
        look(&format!("{link}/{}", rest.strip_prefix('/')?))
    })
}

pub fn diff(
    before: &Tree,
    after: &Tree,
    root_before: &Path,
    root_after: &Path,
    rules: &Rules,
) -> FileDiff {
    let mut reasons: HashMap<String, Option<Reason>> = HashMap::new();
    let mut reason_of = |p: &str| -> Option<Reason> {
        if let Some(r) = reasons.get(p) {
            return r.clone();
        }
        let r = rules.reason(p);
        reasons.insert(p.to_string(), r.clone());
        r
    };
    // Missing paths, folded into their top-most missing folder with the
    // same reason.
    let mut missing: BTreeMap<String, (Option<Reason>, Change)> = BTreeMap::new();
    let mut changed: Vec<(Option<Reason>, Change)> = Vec::new();
    let before_links = folder_links(before);
    // Files only the fixed image has, by file name: where a missing file
    // may have moved to.
    let mut added_by_name: HashMap<&str, Vec<(&str, &Entry)>> = HashMap::new();
    for (p, e) in after {
        if e.kind != EntryKind::Dir && !before.contains_key(p) {
            let name = &p[p.rfind('/').map_or(0, |i| i + 1)..];
            added_by_name.entry(name).or_default().push((p, e));
        }
    }
    // The folder a path is in, by name (`/usr/local/bin/flask` → `bin`).
    let parent_name = |p: &str| {
        let dir = &p[..p.rfind('/').unwrap_or(0)];
        dir[dir.rfind('/').map_or(0, |i| i + 1)..].to_string()
    };
    let moved = |path: &str, a: &Entry| -> bool {
        if a.kind == EntryKind::Dir {
            return false;
        }
        let name = &path[path.rfind('/').map_or(0, |i| i + 1)..];
        added_by_name.get(name).is_some_and(|v| {
            v.iter().any(|(q, b)| {
                b.kind == a.kind && (b.size == a.size || parent_name(path) == parent_name(q))
            })
        })
    };
    let mut matched: HashSet<String> = HashSet::new();
    // Bytes missing per package left in the builder.
    let mut package_bytes: HashMap<&str, u64> = HashMap::new();
    for (path, a) in before {
        let found = counterpart(path, after, &before_links);
        if let Some((p, _)) = &found {
            if p != path {
                matched.insert(p.clone());
            }
        }
        match found {
            None => {
                let reason = reason_of(path).or_else(|| moved(path, a).then_some(Reason::Moved));
                if reason == Some(Reason::BuilderPackages) {
                    if let Some(n) = rules.builder_packages.get(path) {
                        *package_bytes.entry(n.as_str()).or_default() += a.size;
                    }
                }
                let mut top = path.as_str();
                let mut cur = path.as_str();
                while let Some(i) = cur.rfind('/').filter(|&i| i > 0) {
                    cur = &cur[..i];
                    if !before.contains_key(cur) || after.contains_key(cur) {
                        break;
                    }
                    if reason_of(cur) != reason {
                        break;
                    }
                    top = cur;
                }
                let e = &mut missing
                    .entry(top.to_string())
                    .or_insert_with(|| {
                        (
                            reason.clone(),
                            Change {
                                path: top.to_string(),
                                change: "missing",
                                kind: before[top].kind,
                                before_bytes: 0,
                                after_bytes: None,
                                files: 0,
                                what: Vec::new(),
                            },
                        )
                    })
                    .1;
                e.before_bytes += a.size;
                if a.kind != EntryKind::Dir {
                    e.files += 1;
                }
            }
            Some((after_path, b)) => {
                let what = changes(
                    a,
                    b,
                    &root_before.join(path.trim_start_matches('/')),
                    &root_after.join(after_path.trim_start_matches('/')),
                );
                if !what.is_empty() {
                    changed.push((
                        reason_of(path),
                        Change {
                            path: path.clone(),
                            change: "changed",
                            kind: a.kind,
                            before_bytes: a.size,
                            after_bytes: Some(b.size),
                            files: 1,
                            what,
                        },
                    ));
                }
            }
        }
    }
    let (mut added_files, mut added_bytes) = (0, 0);
    for (path, b) in after {
        if !before.contains_key(path) && !matched.contains(path) {
            added_files += 1;
            added_bytes += b.size;
        }
    }
    // A folder missing only because what was in it is (with another
    // reason) is no entry of its own.
    let parents: HashSet<String> = missing
        .keys()
        .flat_map(|p| {
            let mut v = Vec::new();
            let mut cur = p.as_str();
            while let Some(i) = cur.rfind('/').filter(|&i| i > 0) {
                cur = &cur[..i];
                v.push(cur.to_string());
            }
            v
        })
        .collect();
    missing.retain(|p, (_, c)| !(c.files == 0 && parents.contains(p)));
    let mut groups: BTreeMap<String, (Reason, Group)> = BTreeMap::new();
    let mut unexpected_missing = Vec::new();
    let mut unexpected_changed = Vec::new();
    for (reason, c) in missing.into_values().chain(changed) {
        match reason {
            Some(r) => {
                let g = &mut groups
                    .entry(r.key())
                    .or_insert_with(|| {
                        (
                            r.clone(),
                            Group {
                                reason: r.describe(),
                                files: 0,
                                bytes: 0,
                                packages: Vec::new(),
                                entries: Vec::new(),
                            },
                        )
                    })
                    .1;
                g.files += c.files;
                g.bytes += c.before_bytes;
                g.entries.push(c);
            }
            None if c.change == "missing" => unexpected_missing.push(c),
            None => unexpected_changed.push(c),
        }
    }
    if let Some((_, g)) = groups.get_mut(&Reason::BuilderPackages.key()) {
        let mut by_size: Vec<(&str, u64)> = package_bytes.into_iter().collect();
        by_size.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let mut names: Vec<&str> = by_size.iter().take(6).map(|p| p.0).collect();
        if by_size.len() > names.len() {
            names.push("…");
        }
        g.reason = format!(
            "{}: {} ({} packages)",
            g.reason,
            names.join(", "),
            by_size.len()
        );
        g.packages = by_size.iter().map(|p| p.0.to_string()).collect();
        g.packages.sort();
    }
    let mut expected: Vec<Group> = groups.into_values().map(|(_, g)| g).collect();
    expected.sort_by(|a, b| b.bytes.cmp(&a.bytes).then(a.reason.cmp(&b.reason)));
    FileDiff {
        expected,
        unexpected_missing,
        unexpected_changed,
        added_files,
        added_bytes,
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::fs;

    fn tree(root: &Path, files: &[(&str, &str)]) -> Tree {
        for (p, content) in files {
            let p = root.join(p);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(&p, content).unwrap();
        }
        walk(root).unwrap()
    }

    fn set_old_mtime(p: &Path) {
        let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
        fs::File::options()
            .write(true)
            .open(p)
            .unwrap()
            .set_modified(old)
            .unwrap();
    }

    #[test]
    fn walks_without_following_links() {
        let d = tempfile::tempdir().unwrap();
        let t = tree(d.path(), &[("a/b.txt", "hello"), ("c", "")]);
        std::os::unix::fs::symlink("/etc", d.path().join("a/link")).unwrap();
        let t2 = walk(d.path()).unwrap();
        assert_eq!(t.len(), 3);
        assert_eq!(t["/a/b.txt"].size, 5);
        assert_eq!(t["/a"].kind, EntryKind::Dir);
        assert_eq!(t2["/a/link"].kind, EntryKind::Symlink);
        assert_eq!(t2["/a/link"].target.as_deref(), Some("/etc"));
        assert!(!t2.keys().any(|k| k.starts_with("/a/link/")));
    }

    #[test]
    fn missing_folders_fold_and_reasons_group() {
        let (b, a) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        tree(
            b.path(),
            &[
                ("app/bin", "12345678"),
                ("src/main.go", "package main"),
                ("src/go.mod", "module x"),
                ("var/lib/apt/lists/x_Packages", "pkgs"),
                ("var/log/apt/history.log", "log"),
                ("etc/conf", "one"),
                ("opt/keep.txt", "k"),
            ],
        );
        let after = tree(
            a.path(),
            &[("app/bin", "12345678"), ("etc/conf", "two"), ("new", "xy")],
        );
        // Written at another time (the clock may not have moved yet).
        set_old_mtime(&b.path().join("etc/conf"));
        let before = walk(b.path()).unwrap();
        let mut rules = Rules::with_caches(crate::data::builtin());
        rules.allow(&["/opt/*.txt".to_string()]).unwrap();
        let d = diff(&before, &after, b.path(), a.path(), &rules);
        // /src is one entry: the folder, two files, their bytes.
        assert_eq!(d.unexpected_missing.len(), 1, "{d:?}");
        let src = &d.unexpected_missing[0];
        assert_eq!(
            (src.path.as_str(), src.kind, src.files, src.before_bytes),
            ("/src", EntryKind::Dir, 2, 12 + 8)
        );
        assert_eq!(d.unexpected_missing_bytes(), 20);
        let reasons: Vec<&str> = d.expected.iter().map(|g| g.reason.as_str()).collect();
        assert!(
            reasons.contains(&"apt cache and index (package-managers.toml)"),
            "{reasons:?}"
        );
        assert!(reasons.contains(&"logs and temporary files"), "{reasons:?}");
        assert!(
            reasons.contains(&"allowed by --allow /opt/*.txt"),
            "{reasons:?}"
        );
        // Same size, other bytes (written at other times): changed; the
        // same bytes at the same path: not listed.
        assert_eq!(d.unexpected_changed.len(), 1, "{d:?}");
        assert_eq!(d.unexpected_changed[0].path, "/etc/conf");
        assert_eq!(d.unexpected_changed[0].what, ["content"]);
        assert_eq!((d.added_files, d.added_bytes), (1, 2));
    }

    #[test]
    fn content_is_read_when_times_differ() {
        let (b, a) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        tree(b.path(), &[("x", "aaaa"), ("y", "same")]);
        let after = tree(a.path(), &[("x", "bbbb"), ("y", "same")]);
        // Different times on both, same sizes.
        for p in [b.path().join("x"), b.path().join("y")] {
            set_old_mtime(&p);
        }
        let before = walk(b.path()).unwrap();
        assert_ne!(before["/x"].mtime, after["/x"].mtime);
        let d = diff(&before, &after, b.path(), a.path(), &Rules::default());
        assert_eq!(d.unexpected_changed.len(), 1, "{d:?}");
        assert_eq!(d.unexpected_changed[0].path, "/x");
        assert_eq!(d.unexpected_changed[0].what, ["content"]);
    }

    #[test]
    fn cargo_cache_bookkeeping_is_a_cache() {
        let r = Rules::with_caches(crate::data::builtin());
        for p in [
            "/usr/local/cargo/registry/index/x",
            "/usr/local/cargo/.global-cache",
            "/usr/local/cargo/.package-cache",
            "/usr/local/cargo/.package-cache-mutate",
        ] {
            assert_eq!(r.reason(p), Some(Reason::Cache("cargo".into())), "{p}");
        }
        assert_eq!(r.reason("/usr/local/cargo/bin/app"), None);
    }

    #[test]
    fn builder_base_paths_are_expected() {
        let r = Rules {
            builder_base: Some((
                "golang:1.21".into(),
                ["/usr/local/go".to_string()].into_iter().collect(),
            )),
            ..Rules::default()
        };
        assert_eq!(
            r.reason("/usr/local/go"),
            Some(Reason::BuilderBase("golang:1.21".into()))
        );
        assert_eq!(r.reason("/go/src/app"), None);
        assert!(under("/var/lib/apt/lists/x", "/var/lib/apt/lists/*"));
        assert!(!under("/var/lib/aptx", "/var/lib/apt"));
    }

    #[test]
    fn files_behind_folder_links_are_found() {
        // The original is merged-/usr (`/bin` → `usr/bin`) and wrote
        // `/bin/app`, which is `/usr/bin/app` there; the scratch image has a
        // real `/bin/app`. And the other way round with `/lib`.
        let (b, a) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        tree(b.path(), &[("usr/bin/app", "x"), ("lib/libz.so", "z")]);
        std::os::unix::fs::symlink("usr/bin", b.path().join("bin")).unwrap();
        tree(a.path(), &[("bin/app", "x"), ("usr/lib/libz.so", "z")]);
        std::os::unix::fs::symlink("/usr/lib", a.path().join("lib")).unwrap();
        let (tb, ta) = (walk(b.path()).unwrap(), walk(a.path()).unwrap());
        let d = diff(&tb, &ta, b.path(), a.path(), &Rules::default());
        let missing: Vec<&str> = d
            .unexpected_missing
            .iter()
            .map(|c| c.path.as_str())
            .collect();
        // `/bin` itself (a link there, a folder here) is changed, not the files.
        assert!(missing.is_empty(), "{missing:?}");
        assert!(!missing.contains(&"/lib/libz.so"), "{missing:?}");
        // A file that really is gone is still missing.
        fs::remove_file(a.path().join("bin/app")).unwrap();
        let ta = walk(a.path()).unwrap();
        let d = diff(&tb, &ta, b.path(), a.path(), &Rules::default());
        assert!(d
            .unexpected_missing
            .iter()
            .any(|c| c.path == "/usr/bin/app" || c.path == "/usr/bin"));
    }

    #[test]
    fn files_moved_into_a_venv_are_expected() {
        let (b, a) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        tree(
            b.path(),
            &[
                (
                    "usr/local/lib/python3.11/site-packages/flask/app.py",
                    "code",
                ),
                (
                    "usr/local/lib/python3.11/site-packages/flask/__pycache__/app.pyc",
                    "/usr/local/x",
                ),
                ("usr/local/bin/flask", "#!/usr/local/bin/python\nx"),
                ("usr/local/share/app.conf", "conf"),
            ],
        );
        tree(
            a.path(),
            &[
                ("opt/venv/lib/python3.11/site-packages/flask/app.py", "code"),
                (
                    "opt/venv/lib/python3.11/site-packages/flask/__pycache__/app.pyc",
                    "/opt/x",
                ),
                ("opt/venv/bin/flask", "#!/opt/venv/bin/python\nx"),
            ],
        );
        let (tb, ta) = (walk(b.path()).unwrap(), walk(a.path()).unwrap());
        let d = diff(&tb, &ta, b.path(), a.path(), &Rules::default());
        // Only the file that is nowhere in the fixed image is unexpected
        // (folded into its top-most missing folder, `/usr` here).
        let files: usize = d.unexpected_missing.iter().map(|c| c.files).sum();
        assert_eq!(files, 1, "{:?}", d.unexpected_missing);
        assert!(d
            .unexpected_missing
            .iter()
            .all(|c| "/usr/local/share/app.conf".starts_with(&c.path)));
        assert!(d.expected.iter().any(|g| g.reason.starts_with("moved")));
    }

    const STATUS_BEFORE: &str =
        "Package: libc6\nStatus: install ok installed\nArchitecture: amd64\n\n\
        Package: gcc-12\nStatus: install ok installed\n\n\
        Package: build-essential\nStatus: install ok installed\n\n\
        Package: procps\nStatus: install ok installed\n\n\
        Package: gone\nStatus: deinstall ok config-files\n";

    /// An original with dpkg packages installed (gcc-12, build-essential,
    /// procps) on a base with libc6; `/bin` → `usr/bin` as in bookworm.
    fn dpkg_original(root: &Path) -> Tree {
        tree(
            root,
            &[
                ("var/lib/dpkg/status", STATUS_BEFORE),
                ("var/lib/dpkg/info/libc6:amd64.list", "/.\n/usr\n/usr/lib\n/usr/lib/libc.so.6\n"),
                (
                    "var/lib/dpkg/info/gcc-12.list",
                    "/.\n/usr\n/usr/bin\n/usr/bin/gcc-12\n/usr/lib\n/usr/lib/gcc\n/usr/lib/gcc/cc1\n",
                ),
                ("var/lib/dpkg/info/gcc-12.md5sums", "abc  usr/bin/gcc-12\n"),
                (
                    "var/lib/dpkg/info/build-essential.list",
                    "/.\n/usr/share/doc/build-essential/copyright\n",
                ),
                ("var/lib/dpkg/info/procps.list", "/.\n/bin/ps\n/usr/share/doc/procps/copyright\n"),
                ("usr/lib/libc.so.6", "libc"),
                ("usr/bin/gcc-12", "gcc-binary"),
                ("usr/bin/ps", "ps"),
                ("usr/lib/gcc/cc1", "cc1-binary-x"),
                ("usr/share/doc/build-essential/copyright", "c"),
                ("usr/share/doc/procps/copyright", "pc"),
                (
                    "var/lib/dpkg/alternatives/cc",
                    "auto\n/usr/bin/cc\ncc.1.gz\n/usr/share/man/man1/cc.1.gz\n\n\
                     /usr/bin/gcc-12\n20\n/usr/share/man/man1/gcc.1.gz\n",
                ),
                ("etc/alternatives/.keep", ""),
            ],
        );
        std::os::unix::fs::symlink("usr/bin", root.join("bin")).unwrap();
        std::os::unix::fs::symlink("/usr/bin/gcc-12", root.join("etc/alternatives/cc")).unwrap();
        std::os::unix::fs::symlink("/etc/alternatives/cc", root.join("usr/bin/cc")).unwrap();
        walk(root).unwrap()
    }

    #[test]
    fn dpkg_status_lists_installed_packages() {
        let d = tempfile::tempdir().unwrap();
        let t = dpkg_original(d.path());
        let got = dpkg_installed(d.path(), &t).unwrap();
        let want: BTreeSet<String> = ["build-essential", "gcc-12", "libc6", "procps"]
            .map(String::from)
            .into();
        assert_eq!(got, want);
        // Distroless keeps one stanza per package in status.d.
        let e = tempfile::tempdir().unwrap();
        let t = tree(
            e.path(),
            &[
                (
                    "var/lib/dpkg/status.d/libc6",
                    "Package: libc6\nVersion: 2.36\n",
                ),
                ("var/lib/dpkg/status.d/libc6.md5sums", "x  y\n"),
            ],
        );
        let got = dpkg_installed(e.path(), &t).unwrap();
        assert_eq!(got.into_iter().collect::<Vec<_>>(), ["libc6"]);
        // No dpkg at all.
        let f = tempfile::tempdir().unwrap();
        let t = tree(f.path(), &[("app", "x")]);
        assert_eq!(dpkg_installed(f.path(), &t), None);
    }

    #[test]
    fn packages_left_in_the_builder_are_expected() {
        let (b, a) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let before = dpkg_original(b.path());
        // The runtime: the same base (libc6) and procps installed again,
        // but its /usr/bin/ps is gone; gcc-12 and build-essential are not
        // installed.
        tree(
            a.path(),
            &[
                (
                    "var/lib/dpkg/status",
                    "Package: libc6\nStatus: install ok installed\n\n\
                     Package: procps\nStatus: install ok installed\n",
                ),
                ("usr/lib/libc.so.6", "libc"),
                ("usr/share/doc/procps/copyright", "pc"),
                ("usr/bin/tool", "t"),
                ("etc/alternatives/.keep", ""),
                (
                    "var/lib/dpkg/info/libc6:amd64.list",
                    "/.\n/usr\n/usr/lib\n/usr/lib/libc.so.6\n",
                ),
                (
                    "var/lib/dpkg/info/procps.list",
                    "/.\n/bin/ps\n/usr/share/doc/procps/copyright\n",
                ),
            ],
        );
        std::os::unix::fs::symlink("usr/bin", a.path().join("bin")).unwrap();
        let after = walk(a.path()).unwrap();
        let installed = dpkg_installed(a.path(), &after);
        let owner = builder_packages(b.path(), &before, installed.as_ref(), None);
        assert_eq!(
            owner.get("/usr/bin/gcc-12").map(String::as_str),
            Some("gcc-12")
        );
        assert_eq!(
            owner.get("/usr/lib/gcc").map(String::as_str),
            Some("gcc-12")
        );
        // The folder libc6 also lists is not gcc's alone.
        assert!(!owner.contains_key("/usr/lib"));
        // Resolved through /bin → usr/bin, but procps is kept.
        assert!(!owner.contains_key("/usr/bin/ps") && !owner.contains_key("/bin/ps"));
        let rules = Rules {
            builder_packages: owner,
            ..Rules::default()
        };
        let d = diff(&before, &after, b.path(), a.path(), &rules);
        let g = d
            .expected
            .iter()
            .find(|g| {
                g.reason
                    .starts_with("build-tool packages left in the builder")
            })
            .unwrap_or_else(|| panic!("{d:?}"));
        assert_eq!(g.packages, ["build-essential", "gcc-12"]);
        assert!(
            g.reason.ends_with(": gcc-12, build-essential (2 packages)"),
            "{}",
            g.reason
        );
        // gcc-12, cc1, the copyright, gcc-12.list/.md5sums and
        // build-essential.list; the cc alternative's two links and file.
        assert_eq!(g.files, 9, "{g:?}");
        // The kept runtime package's missing file is still unexpected.
        let missing: Vec<&str> = d
            .unexpected_missing
            .iter()
            .map(|c| c.path.as_str())
            .collect();
        assert_eq!(missing, ["/usr/bin/ps"]);
        // The fixed image's dpkg leaves out docs (as debian:*-slim does):
        // procps's copyright, then, is expected; its /usr/bin/ps is not.
        fs::create_dir_all(a.path().join("etc/dpkg/dpkg.cfg.d")).unwrap();
        fs::write(
            a.path().join("etc/dpkg/dpkg.cfg.d/docker"),
            "path-exclude /usr/share/doc/*\npath-include /usr/share/doc/*/copyright\n\
             path-exclude /usr/share/doc/procps/*\n",
        )
        .unwrap();
        fs::remove_file(a.path().join("usr/share/doc/procps/copyright")).unwrap();
        let after = walk(a.path()).unwrap();
        let ex = dpkg_excluded(b.path(), &before, a.path(), &after, installed.as_ref());
        assert!(ex.contains("/usr/share/doc/procps/copyright"), "{ex:?}");
        assert!(!ex.contains("/usr/bin/ps") && !ex.contains("/usr/lib/libc.so.6"));
        // Not a package the fixed image installs: not its dpkg's doing.
        assert!(!ex.contains("/usr/share/doc/build-essential/copyright"));
        let rules = Rules {
            dpkg_excluded: ex,
            ..rules
        };
        let d = diff(&before, &after, b.path(), a.path(), &rules);
        let missing: Vec<&str> = d
            .unexpected_missing
            .iter()
            .map(|c| c.path.as_str())
            .collect();
        assert_eq!(missing, ["/usr/bin/ps"]);
        // A package the base image had is not left in the builder either.
        let base: BTreeSet<String> = ["libc6", "gcc-12"].map(String::from).into();
        let owner = builder_packages(b.path(), &before, installed.as_ref(), Some(&base));
        assert!(!owner.contains_key("/usr/bin/gcc-12"));
        assert!(owner.contains_key("/usr/share/doc/build-essential/copyright"));
    }
}
