//! Paths through symbolic links: a merged-`/usr` image's `/bin` is
//! `usr/bin`.

use super::{Entry, EntryKind, Tree};

/// Where a symbolic link at `link` points, as an absolute path.
pub(super) fn link_target(link: &str, target: &str) -> String {
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
pub(super) fn resolve_folders(tree: &Tree, path: &str) -> Option<String> {
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
pub(super) fn folder_links(tree: &Tree) -> Vec<(String, String)> {
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
pub(super) fn counterpart<'t>(
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
