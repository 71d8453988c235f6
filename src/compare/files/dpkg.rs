//! dpkg's records in a mounted image: installed packages, the files each
//! owns, its path filters and update-alternatives links.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

use super::links::{link_target, resolve_folders};
use super::{EntryKind, Tree};

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
    dpkg_packages(root, tree).installed
}

/// An image's dpkg package sets, read once ([`dpkg_packages`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DpkgPackages {
    /// What [`dpkg_installed`] returns.
    pub installed: Option<BTreeSet<String>>,
    /// What [`dpkg_status_d`] returns.
    pub status_d: BTreeSet<String>,
}

/// Reads an image's dpkg `status` and `status.d` once: the packages it has
/// installed and those recorded in `status.d`.
pub fn dpkg_packages(root: &Path, tree: &Tree) -> DpkgPackages {
    let status = image_file(root, tree, "/var/lib/dpkg/status");
    let stanzas = status_d_stanzas(root, tree);
    let mut status_d = BTreeSet::new();
    for t in &stanzas {
        stanza_packages(t, false, &mut status_d);
    }
    let installed = (status.is_some() || !stanzas.is_empty()).then(|| {
        let mut out = BTreeSet::new();
        if let Some(t) = &status {
            stanza_packages(t, true, &mut out);
        }
        out.extend(status_d.iter().cloned());
        out
    });
    DpkgPackages {
        installed,
        status_d,
    }
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
    let installed = dpkg_installed(root_before, before);
    builder_packages_of(root_before, before, installed.as_ref(), after, base)
}

/// [`builder_packages`] with the original's installed packages already
/// read (`installed`: [`dpkg_installed`] of `before`).
pub fn builder_packages_of(
    root_before: &Path,
    before: &Tree,
    installed: Option<&BTreeSet<String>>,
    after: Option<&BTreeSet<String>>,
    base: Option<&BTreeSet<String>>,
) -> HashMap<String, String> {
    let Some(installed) = installed else {
        return HashMap::new();
    };
    let left = |n: &str| {
        installed.contains(n)
            && !after.is_some_and(|a| a.contains(n))
            && !base.is_some_and(|b| b.contains(n))
    };
    let mut owner = package_paths(root_before, before, &left);
    let extra = maintainer_output(root_before, before, &owner);
    for (p, n) in extra {
        owner.entry(p).or_insert(n);
    }
    owner
}

/// The paths of the packages `is_pkg` picks, by package: each one's
/// `/var/lib/dpkg/info` files, the paths of its `.list` (through folder
/// links) that no other package lists, and its update-alternatives links.
fn package_paths(
    root_before: &Path,
    before: &Tree,
    left: &dyn Fn(&str) -> bool,
) -> HashMap<String, String> {
    let (mut owner, kept) = listed_paths(root_before, before, left);
    owner.retain(|p, _| !kept.contains(p));
    for (l, pkg) in alternatives_links(root_before, before, &owner) {
        if !kept.contains(&l) {
            owner.entry(l).or_insert(pkg);
        }
    }
    owner
}

/// From the original's `/var/lib/dpkg/info`: the info files and listed
/// paths (through folder links) of the packages `left` picks, by package,
/// and the paths the other packages list (`kept`).
fn listed_paths(
    root_before: &Path,
    before: &Tree,
    left: &dyn Fn(&str) -> bool,
) -> (HashMap<String, String>, HashSet<String>) {
    let mut owner = HashMap::new();
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
    (owner, kept)
}

/// update-alternatives links (`/usr/bin/cc` → `/etc/alternatives/cc` →
/// `/usr/bin/gcc`) whose every choice is a file of a package in `owner`:
/// the links and the bookkeeping file go with that package.
fn alternatives_links(
    root_before: &Path,
    before: &Tree,
    owner: &HashMap<String, String>,
) -> Vec<(String, String)> {
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
        let (paths, choices) = alternative_entry(before, p, name, &text);
        let Some(pkg) = choices.first().and_then(|c| owner.get(c)) else {
            continue;
        };
        if choices
            .iter()
            .all(|c| owner.contains_key(c) || !before.contains_key(c))
        {
            for l in paths.into_iter().filter(|l| l.starts_with('/')) {
                let l = crate::fsutil::image_path(&l);
                let l = resolve_folders(before, &l).unwrap_or(l);
                links.push((l, pkg.clone()));
            }
        }
    }
    links
}

/// One alternatives file (`p`, for the link group `name`): the paths that
/// belong to the group (the file, its `/etc/alternatives` links, the master
/// and slave links) and its choices (through folder links). The file is
/// the mode, the master link, (slave name, slave link)…, a blank line, then
/// each choice: its path, priority and slave targets.
fn alternative_entry(before: &Tree, p: &str, name: &str, text: &str) -> (Vec<String>, Vec<String>) {
    let mut lines = text.lines().skip(1);
    let mut paths = vec![p.to_string(), format!("/etc/alternatives/{name}")];
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
    (paths, choices)
}

/// What the maintainer scripts and triggers of the packages in `owner`
/// (path → package) made, which no `.list` names: symbolic links whose
/// target (through up to 8 links) is one of their paths (`/etc/ssl/certs`
/// hash links, `/etc/fonts/conf.d/*.conf`, `/etc/rcS.d` links, systemd
/// `*.wants` links); paths their `postinst` names literally
/// (`/etc/ca-certificates.conf`); the trigger files they declare an
/// interest in (`/var/lib/dpkg/triggers/NAME`); deb-systemd-helper's
/// records of their units; and update-ca-certificates' bundle
/// `/etc/ssl/certs/ca-certificates.crt` when the package owning that
/// program is one of them; py3compile's `__pycache__/*.pyc` of their
/// Python modules.
pub fn maintainer_output(
    root_before: &Path,
    before: &Tree,
    owner: &HashMap<String, String>,
) -> HashMap<String, String> {
    let mut out: HashMap<String, String> = HashMap::new();
    let pkgs: BTreeSet<&str> = owner.values().map(String::as_str).collect();
    for pkg in &pkgs {
        postinst_paths(root_before, before, owner, pkg, &mut out);
        trigger_files(root_before, before, pkg, &mut out);
    }
    if let Some(pkg) = owner.get("/usr/sbin/update-ca-certificates") {
        out.entry("/etc/ssl/certs/ca-certificates.crt".into())
            .or_insert_with(|| pkg.clone());
    }
    unit_records(before, owner, &mut out);
    bytecode(before, owner, &mut out);
    links_into(before, owner, &mut out);
    out
}

const DPKG_INFO: &str = "/var/lib/dpkg/info/";

/// The info file of a package: `NAME.ext` or `NAME:ARCH.ext`.
fn info_file(before: &Tree, pkg: &str, ext: &str) -> Option<String> {
    let info = DPKG_INFO;
    before
        .range(format!("{info}{pkg}")..)
        .take_while(|(p, _)| p.starts_with(&format!("{info}{pkg}")))
        .map(|(p, _)| p.as_str())
        .find(|p| {
            let rest = &p[info.len() + pkg.len()..];
            rest == format!(".{ext}")
                || (rest.starts_with(':')
                    && rest.ends_with(&format!(".{ext}"))
                    && !rest.contains('/'))
        })
        .map(str::to_string)
}

/// Paths `pkg`'s `postinst` names literally that no `.list` names.
fn postinst_paths(
    root_before: &Path,
    before: &Tree,
    owner: &HashMap<String, String>,
    pkg: &str,
    out: &mut HashMap<String, String>,
) {
    let Some(text) =
        info_file(before, pkg, "postinst").and_then(|f| image_file(root_before, before, &f))
    else {
        return;
    };
    for w in text.split(|c: char| c.is_whitespace() || "\"'`;=()<>|&".contains(c)) {
        let w = w.trim_end_matches(['/', ',', '.']);
        if w.len() > 1 && w.starts_with('/') && before.contains_key(w) && !owner.contains_key(w) {
            out.entry(w.to_string()).or_insert_with(|| pkg.to_string());
        }
    }
}

/// The trigger files `pkg` declares an interest in
/// (`/var/lib/dpkg/triggers/NAME`).
fn trigger_files(root_before: &Path, before: &Tree, pkg: &str, out: &mut HashMap<String, String>) {
    let Some(text) =
        info_file(before, pkg, "triggers").and_then(|f| image_file(root_before, before, &f))
    else {
        return;
    };
    for line in text.lines() {
        let mut w = line.split_whitespace();
        if w.next().is_some_and(|k| k.starts_with("interest")) {
            if let Some(name) = w.next().filter(|n| !n.starts_with('/')) {
                let t = format!("/var/lib/dpkg/triggers/{name}");
                if before.contains_key(&t) {
                    out.entry(t).or_insert_with(|| pkg.to_string());
                }
            }
        }
    }
}

/// deb-systemd-helper's records of the packages' systemd units (by the
/// unit's file name).
fn unit_records(before: &Tree, owner: &HashMap<String, String>, out: &mut HashMap<String, String>) {
    let units: HashMap<&str, &str> = owner
        .iter()
        .filter(|(p, _)| p.contains("/systemd/user/") || p.contains("/systemd/system/"))
        .filter_map(|(p, n)| Some((p.rsplit('/').next()?, n.as_str())))
        .collect();
    for dsh in [
        "/var/lib/systemd/deb-systemd-helper-enabled/",
        "/var/lib/systemd/deb-systemd-user-helper-enabled/",
    ] {
        for (p, e) in before.range(dsh.to_string()..) {
            if !p.starts_with(dsh) {
                break;
            }
            if e.kind == EntryKind::Dir {
                continue;
            }
            let name = p.rsplit('/').next().unwrap_or("");
            let unit = name.strip_suffix(".dsh-also").unwrap_or(name);
            if let Some(n) = units.get(unit) {
                out.entry(p.clone()).or_insert_with(|| n.to_string());
            }
        }
    }
}

/// py3compile's bytecode (run by python3-* postinsts):
/// `DIR/__pycache__/MOD.cpython-311.pyc` of their `DIR/MOD.py`.
fn bytecode(before: &Tree, owner: &HashMap<String, String>, out: &mut HashMap<String, String>) {
    for p in before.keys() {
        let Some((dir, file)) = p.rsplit_once("/__pycache__/") else {
            continue;
        };
        let Some(module) = file.strip_suffix(".pyc").and_then(|f| f.split('.').next()) else {
            continue;
        };
        if let Some(n) = owner.get(&format!("{dir}/{module}.py")) {
            if !owner.contains_key(p) {
                out.entry(p.clone()).or_insert_with(|| n.clone());
            }
        }
    }
}

/// Links into what the packages own (or into what their scripts made), in
/// up to 8 rounds.
fn links_into(before: &Tree, owner: &HashMap<String, String>, out: &mut HashMap<String, String>) {
    for _ in 0..8 {
        let mut more = Vec::new();
        for (p, e) in before {
            let Some(t) = e.target.as_deref() else {
                continue;
            };
            if owner.contains_key(p) || out.contains_key(p) {
                continue;
            }
            let t = link_target(p, t);
            let t = resolve_folders(before, &t).unwrap_or(t);
            if let Some(n) = owner.get(&t).or_else(|| out.get(&t)) {
                more.push((p.clone(), n.clone()));
            }
        }
        if more.is_empty() {
            break;
        }
        out.extend(more);
    }
}

/// The packages an image records one stanza each in
/// `/var/lib/dpkg/status.d/` (distroless: unpacked by the image's build,
/// no maintainer script run, no `info` files, docs or man pages).
pub fn dpkg_status_d(root: &Path, tree: &Tree) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for t in status_d_stanzas(root, tree) {
        stanza_packages(&t, false, &mut out);
    }
    out
}

/// The texts of the stanza files in `/var/lib/dpkg/status.d/` (one per
/// package; their `.md5sums` beside them left out).
fn status_d_stanzas(root: &Path, tree: &Tree) -> Vec<String> {
    let dir = "/var/lib/dpkg/status.d/";
    tree.range(dir.to_string()..)
        .take_while(|(p, _)| p.starts_with(dir))
        .filter(|(p, e)| {
            e.kind == EntryKind::File && !p[dir.len()..].contains('/') && !p.ends_with(".md5sums")
        })
        .filter_map(|(p, _)| image_file(root, tree, p))
        .collect()
}

/// For packages the fixed image records in `status.d` (`unpacked`,
/// distroless) and the original installed with dpkg: the original's paths
/// of them that such an image does not have by design — their
/// `/var/lib/dpkg/info` files, their docs, man and info pages and lintian
/// overrides, and what their maintainer scripts made
/// ([`maintainer_output`]). Their other files stay expected in the fixed
/// image.
pub fn unpacked_only(
    root_before: &Path,
    before: &Tree,
    unpacked: &BTreeSet<String>,
) -> HashMap<String, String> {
    if unpacked.is_empty() {
        return HashMap::new();
    }
    let installed = dpkg_installed(root_before, before);
    unpacked_only_of(root_before, before, installed.as_ref(), unpacked)
}

/// [`unpacked_only`] with the original's installed packages already read
/// (`installed`: [`dpkg_installed`] of `before`).
pub fn unpacked_only_of(
    root_before: &Path,
    before: &Tree,
    installed: Option<&BTreeSet<String>>,
    unpacked: &BTreeSet<String>,
) -> HashMap<String, String> {
    if unpacked.is_empty() || installed.is_none() {
        return HashMap::new();
    }
    let all = package_paths(root_before, before, &|n| unpacked.contains(n));
    let mut out = maintainer_output(root_before, before, &all);
    const BY_DESIGN: [&str; 5] = [
        "/var/lib/dpkg/info/",
        "/usr/share/doc/",
        "/usr/share/man/",
        "/usr/share/info/",
        "/usr/share/lintian/",
    ];
    for (p, n) in all {
        if BY_DESIGN.iter().any(|d| p.starts_with(d)) {
            out.entry(p).or_insert(n);
        }
    }
    out
}

/// Python packages of the original (pip's `*.dist-info/RECORD` under a
/// `site-packages` or `dist-packages` folder) that the fixed image has
/// nowhere (no `.dist-info` folder of that name): the paths each RECORD
/// lists (its console scripts in `bin` too), by distribution.
pub fn pip_packages(root_before: &Path, before: &Tree, after: &Tree) -> HashMap<String, String> {
    let in_after: HashSet<&str> = after
        .keys()
        .filter(|p| p.ends_with(".dist-info"))
        .filter_map(|p| p.rsplit('/').next())
        .collect();
    let mut out = HashMap::new();
    for p in before.keys() {
        let Some(dist) = p.strip_suffix("/RECORD") else {
            continue;
        };
        let Some((site, name)) = dist.rsplit_once('/') else {
            continue;
        };
        if !name.ends_with(".dist-info")
            || !(site.ends_with("/site-packages") || site.ends_with("/dist-packages"))
            || in_after.contains(name)
        {
            continue;
        }
        let Some(text) = image_file(root_before, before, p) else {
            continue;
        };
        let pkg = name.trim_end_matches(".dist-info").to_string();
        out.insert(dist.to_string(), pkg.clone());
        for line in text.lines() {
            // `path,hash,size`; a path with a comma is quoted.
            let rel = line.split(',').next().unwrap_or("").trim_matches('"');
            if rel.is_empty() {
                continue;
            }
            let path = crate::fsutil::image_path(&format!("{site}/{rel}"));
            let path = resolve_folders(before, &path).unwrap_or(path);
            if before.contains_key(&path) {
                out.entry(path).or_insert_with(|| pkg.clone());
            }
        }
    }
    out
}

/// Whether an image has a Python interpreter (`python3*` or `python` in
/// `/usr/bin`, `/usr/local/bin` or `/bin`, a file or a link).
pub fn has_python(tree: &Tree) -> bool {
    ["/usr/bin/", "/usr/local/bin/", "/bin/"].iter().any(|d| {
        tree.range(d.to_string()..)
            .take_while(|(p, _)| p.starts_with(d))
            .any(|(p, e)| {
                let name = &p[d.len()..];
                e.kind != EntryKind::Dir
                    && !name.contains('/')
                    && (name == "python" || name.starts_with("python3"))
                    && !name.ends_with("-config")
            })
    })
}
