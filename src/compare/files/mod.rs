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

mod dpkg;
mod links;
mod rules;
#[cfg(all(test, unix))]
mod tests;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::path::Path;

use serde::Serialize;

pub use dpkg::{
    builder_packages, builder_packages_of, dpkg_excluded, dpkg_installed, dpkg_packages,
    dpkg_status_d, has_python, maintainer_output, pip_packages, unpacked_only, unpacked_only_of,
    DpkgPackages,
};
use links::{counterpart, folder_links};
pub use rules::{Reason, Rules};

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

/// An empty regular file where a builder mounts one during a RUN.
fn run_mount_point(path: &str, e: &Entry) -> bool {
    e.kind == EntryKind::File && e.size == 0 && rules::RUN_MOUNT_POINTS.contains(&path)
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
pub fn diff(
    before: &Tree,
    after: &Tree,
    root_before: &Path,
    root_after: &Path,
    rules: &Rules,
) -> FileDiff {
    let mut walk = Walk {
        before,
        after,
        rules,
        reasons: HashMap::new(),
        moves: Moves::new(before, after),
        missing: BTreeMap::new(),
        changed: Vec::new(),
        matched: HashSet::new(),
        package_bytes: HashMap::new(),
    };
    let before_links = folder_links(before);
    for (path, a) in before {
        match walk.counterpart(path, &before_links) {
            None => walk.add_missing(path, a),
            Some((after_path, b)) => {
                walk.add_changed(path, a, &after_path, b, root_before, root_after)
            }
        }
    }
    let (added_files, added_bytes) = added(before, after, &walk.matched);
    drop_emptied_folders(&mut walk.missing);
    let (mut groups, unexpected_missing, unexpected_changed) =
        by_reason(walk.missing.into_values().chain(walk.changed));
    name_packages(&mut groups, &walk.package_bytes);
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

/// A difference with the reason that explains it (`None`: unexpected).
type Explained = (Option<Reason>, Change);

/// The state of one [`diff`] while it walks the original's tree.
struct Walk<'a> {
    before: &'a Tree,
    after: &'a Tree,
    rules: &'a Rules,
    /// `rules.reason` by path, memoised.
    reasons: HashMap<String, Option<Reason>>,
    moves: Moves<'a>,
    /// Missing paths, folded into their top-most missing folder with the
    /// same reason.
    missing: BTreeMap<String, Explained>,
    changed: Vec<Explained>,
    /// Paths of the fixed image found as another path's counterpart.
    matched: HashSet<String>,
    /// Bytes missing per package left in the builder.
    package_bytes: HashMap<(String, &'a str), u64>,
}

impl<'a> Walk<'a> {
    fn reason_of(&mut self, p: &str) -> Option<Reason> {
        if let Some(r) = self.reasons.get(p) {
            return r.clone();
        }
        let r = self.rules.reason(p);
        self.reasons.insert(p.to_string(), r.clone());
        r
    }

    /// Where `path` is in the fixed image; noted as matched when elsewhere.
    fn counterpart(
        &mut self,
        path: &str,
        before_links: &[(String, String)],
    ) -> Option<(String, &'a Entry)> {
        let found = counterpart(path, self.after, before_links);
        if let Some((p, _)) = &found {
            if p != path {
                self.matched.insert(p.clone());
            }
        }
        found
    }

    /// Adds a path the fixed image lacks to its top-most missing folder.
    fn add_missing(&mut self, path: &'a str, a: &Entry) {
        let reason = self
            .reason_of(path)
            .or_else(|| run_mount_point(path, a).then_some(Reason::RunMountPoint))
            .or_else(|| self.moves.moved(path, a).then_some(Reason::Moved));
        if let Some(r) = &reason {
            if let Some(n) = self.rules.package_of(r, path) {
                *self.package_bytes.entry((r.key(), n)).or_default() += a.size;
            }
        }
        let top = self.top_missing(path, &reason);
        let kind = self.before[top].kind;
        let e = &mut self
            .missing
            .entry(top.to_string())
            .or_insert_with(|| {
                (
                    reason.clone(),
                    Change {
                        path: top.to_string(),
                        change: "missing",
                        kind,
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

    /// The top-most folder of `path` that is missing too, with the same
    /// reason (`path` itself when there is none).
    fn top_missing<'p>(&mut self, path: &'p str, reason: &Option<Reason>) -> &'p str {
        let mut top = path;
        let mut cur = path;
        while let Some(i) = cur.rfind('/').filter(|&i| i > 0) {
            cur = &cur[..i];
            if !self.before.contains_key(cur) || self.after.contains_key(cur) {
                break;
            }
            if self.reason_of(cur) != *reason {
                break;
            }
            top = cur;
        }
        top
    }

    /// Adds `path` as changed when its counterpart differs.
    fn add_changed(
        &mut self,
        path: &str,
        a: &Entry,
        after_path: &str,
        b: &Entry,
        root_before: &Path,
        root_after: &Path,
    ) {
        let what = changes(
            a,
            b,
            &root_before.join(path.trim_start_matches('/')),
            &root_after.join(after_path.trim_start_matches('/')),
        );
        if what.is_empty() {
            return;
        }
        let reason = self.reason_of(path);
        self.changed.push((
            reason,
            Change {
                path: path.to_string(),
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

/// Files only the fixed image has, by file name: where a missing file may
/// have moved to.
struct Moves<'a> {
    added_by_name: HashMap<&'a str, Vec<(&'a str, &'a Entry)>>,
}

impl<'a> Moves<'a> {
    fn new(before: &Tree, after: &'a Tree) -> Self {
        let mut added_by_name: HashMap<&str, Vec<(&str, &Entry)>> = HashMap::new();
        for (p, e) in after {
            if e.kind != EntryKind::Dir && !before.contains_key(p) {
                added_by_name.entry(file_name(p)).or_default().push((p, e));
            }
        }
        Moves { added_by_name }
    }

    /// Whether a file of the same name and type, and the same size or
    /// folder name, was added.
    fn moved(&self, path: &str, a: &Entry) -> bool {
        if a.kind == EntryKind::Dir {
            return false;
        }
        self.added_by_name.get(file_name(path)).is_some_and(|v| {
            v.iter().any(|(q, b)| {
                b.kind == a.kind && (b.size == a.size || parent_name(path) == parent_name(q))
            })
        })
    }
}

/// The last part of a path (`/usr/bin/go` → `go`).
fn file_name(p: &str) -> &str {
    &p[p.rfind('/').map_or(0, |i| i + 1)..]
}

/// The folder a path is in, by name (`/usr/local/bin/flask` → `bin`).
fn parent_name(p: &str) -> &str {
    file_name(&p[..p.rfind('/').unwrap_or(0)])
}

/// Files (and their bytes) only the fixed image has.
fn added(before: &Tree, after: &Tree, matched: &HashSet<String>) -> (usize, u64) {
    let (mut files, mut bytes) = (0, 0);
    for (path, b) in after {
        if !before.contains_key(path) && !matched.contains(path) {
            files += 1;
            bytes += b.size;
        }
    }
    (files, bytes)
}

/// A folder missing only because what was in it is (with another reason)
/// is no entry of its own.
fn drop_emptied_folders(missing: &mut BTreeMap<String, Explained>) {
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
}

/// Expected groups by reason key, then the unexpected missing and changed.
type ByReason = (BTreeMap<String, (Reason, Group)>, Vec<Change>, Vec<Change>);

fn by_reason(all: impl Iterator<Item = Explained>) -> ByReason {
    let mut groups: BTreeMap<String, (Reason, Group)> = BTreeMap::new();
    let mut unexpected_missing = Vec::new();
    let mut unexpected_changed = Vec::new();
    for (reason, c) in all {
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
    (groups, unexpected_missing, unexpected_changed)
}

/// Names the packages left in the builder in their group's reason (the
/// six largest) and list.
fn name_packages(
    groups: &mut BTreeMap<String, (Reason, Group)>,
    package_bytes: &HashMap<(String, &str), u64>,
) {
    for (key, (_, g)) in groups.iter_mut() {
        let mut by_size: Vec<(&str, u64)> = package_bytes
            .iter()
            .filter(|((k, _), _)| k == key)
            .map(|((_, n), b)| (*n, *b))
            .collect();
        if by_size.is_empty() {
            continue;
        }
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
}
