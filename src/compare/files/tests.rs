use super::rules::under;
use super::*;
use std::collections::BTreeSet;
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
    // A base swap in one stage (DS101) leaves no builder: its own group.
    let swap = Rules {
        one_stage: true,
        ..r
    };
    let reason = swap.reason("/usr/local/go").unwrap();
    assert_eq!(reason, Reason::OldBase("golang:1.21".into()));
    assert!(
        reason.describe().contains("no builder"),
        "{}",
        reason.describe()
    );
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

const STATUS_BEFORE: &str = "Package: libc6\nStatus: install ok installed\nArchitecture: amd64\n\n\
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
            (
                "var/lib/dpkg/info/libc6:amd64.list",
                "/.\n/usr\n/usr/lib\n/usr/lib/libc.so.6\n",
            ),
            (
                "var/lib/dpkg/info/gcc-12.list",
                "/.\n/usr\n/usr/bin\n/usr/bin/gcc-12\n/usr/lib\n/usr/lib/gcc\n/usr/lib/gcc/cc1\n",
            ),
            ("var/lib/dpkg/info/gcc-12.md5sums", "abc  usr/bin/gcc-12\n"),
            (
                "var/lib/dpkg/info/build-essential.list",
                "/.\n/usr/share/doc/build-essential/copyright\n",
            ),
            (
                "var/lib/dpkg/info/procps.list",
                "/.\n/bin/ps\n/usr/share/doc/procps/copyright\n",
            ),
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

/// The paths of a diff's unexpected missing entries.
fn unexpected(d: &FileDiff) -> Vec<&str> {
    d.unexpected_missing
        .iter()
        .map(|c| c.path.as_str())
        .collect()
}

/// The group whose reason starts with `start`.
fn group<'d>(d: &'d FileDiff, start: &str) -> &'d Group {
    d.expected
        .iter()
        .find(|g| g.reason.starts_with(start))
        .unwrap_or_else(|| panic!("no group {start:?}: {d:#?}"))
}

/// An original that installed `python3` and, as a recommend,
/// `ca-certificates` (whose postinst, trigger and update-ca-certificates
/// made files no `.list` names), plus a file of the app.
fn original_with_recommends(root: &Path) -> Tree {
    tree(
        root,
        &[
            (
                "var/lib/dpkg/status",
                "Package: python3\nStatus: install ok installed\n\n\
                 Package: ca-certificates\nStatus: install ok installed\n",
            ),
            ("var/lib/dpkg/info/python3.list", "/.\n/usr/bin/python3\n"),
            (
                "var/lib/dpkg/info/ca-certificates.list",
                "/.\n/usr/sbin/update-ca-certificates\n/usr/share/ca-certificates\n\
                 /usr/share/ca-certificates/mozilla\n/usr/share/ca-certificates/mozilla/A.crt\n\
                 /usr/lib/python3/dist-packages/certs.py\n",
            ),
            ("usr/lib/python3/dist-packages/certs.py", "py"),
            (
                "usr/lib/python3/dist-packages/__pycache__/certs.cpython-311.pyc",
                "pyc",
            ),
            (
                "usr/lib/python3/dist-packages/__pycache__/mine.cpython-311.pyc",
                "pyc",
            ),
            (
                "var/lib/dpkg/info/ca-certificates.postinst",
                "#!/bin/sh\nCONF=/etc/ca-certificates.conf\nif [ ! -e \"$CONF\" ]; then :; fi\n\
                 update-ca-certificates\n",
            ),
            (
                "var/lib/dpkg/info/ca-certificates.triggers",
                "interest-noawait update-ca-certificates\n",
            ),
            ("var/lib/dpkg/triggers/update-ca-certificates", "ca\n"),
            ("var/lib/dpkg/triggers/File", "x\n"),
            ("usr/bin/python3", "py"),
            ("usr/sbin/update-ca-certificates", "sh"),
            ("usr/share/ca-certificates/mozilla/A.crt", "cert"),
            ("etc/ca-certificates.conf", "mozilla/A.crt\n"),
            ("etc/ssl/certs/ca-certificates.crt", "bundle"),
            ("etc/app.conf", "mine"),
        ],
    );
    let certs = root.join("etc/ssl/certs");
    std::os::unix::fs::symlink(
        "/usr/share/ca-certificates/mozilla/A.crt",
        certs.join("A.pem"),
    )
    .unwrap();
    std::os::unix::fs::symlink("A.pem", certs.join("0123abcd.0")).unwrap();
    walk(root).unwrap()
}

#[test]
fn packages_the_fix_stopped_installing_are_their_own_group() {
    let (b, a) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let before = original_with_recommends(b.path());
    // The fixed image: python3 only, and the app's file gone too.
    let after = tree(
        a.path(),
        &[
            (
                "var/lib/dpkg/status",
                "Package: python3\nStatus: install ok installed\n",
            ),
            ("var/lib/dpkg/info/python3.list", "/.\n/usr/bin/python3\n"),
            ("usr/bin/python3", "py"),
            ("var/lib/dpkg/triggers/File", "x\n"),
            ("etc/ssl/.keep", ""),
            ("usr/share/.keep", ""),
            ("usr/lib/python3/dist-packages/.keep", ""),
            ("usr/sbin/.keep", ""),
        ],
    );
    let installed = dpkg_installed(a.path(), &after);
    let rules = Rules {
        not_installed: builder_packages(b.path(), &before, installed.as_ref(), None),
        ..Rules::default()
    };
    let d = diff(&before, &after, b.path(), a.path(), &rules);
    let g = group(&d, "packages the fix stopped installing");
    assert_eq!(g.packages, ["ca-certificates"]);
    assert!(
        g.reason.ends_with(": ca-certificates (1 packages)"),
        "{}",
        g.reason
    );
    let paths: Vec<&str> = g.entries.iter().map(|c| c.path.as_str()).collect();
    for p in [
        // listed
        "/usr/sbin/update-ca-certificates",
        "/var/lib/dpkg/info/ca-certificates.list",
        // named in its postinst, its trigger, update-ca-certificates' bundle
        "/etc/ca-certificates.conf",
        "/var/lib/dpkg/triggers/update-ca-certificates",
        "/etc/ssl/certs/ca-certificates.crt",
        // py3compile's bytecode of its module
        "/usr/lib/python3/dist-packages/__pycache__/certs.cpython-311.pyc",
        // links into its files, and a link to such a link
        "/etc/ssl/certs/A.pem",
        "/etc/ssl/certs/0123abcd.0",
    ] {
        assert!(
            paths
                .iter()
                .any(|q| p == *q || p.starts_with(&format!("{q}/"))),
            "{p} not in {paths:?}"
        );
    }
    // The app's own file is a real loss, and so is the file of a package
    // the fixed image still installs.
    // (the other module's bytecode: its folder, with that one file)
    let mine = "/usr/lib/python3/dist-packages/__pycache__";
    assert_eq!(unexpected(&d), ["/etc/app.conf", mine]);
    assert_eq!(d.unexpected_missing[1].files, 1);
    fs::remove_file(a.path().join("usr/bin/python3")).unwrap();
    let after = walk(a.path()).unwrap();
    let d = diff(&before, &after, b.path(), a.path(), &rules);
    assert_eq!(unexpected(&d), ["/etc/app.conf", "/usr/bin/python3", mine]);
    // Without the group (no DS003, say) nothing of ca-certificates is
    // expected.
    let d = diff(&before, &after, b.path(), a.path(), &Rules::default());
    assert!(unexpected(&d).contains(&"/usr/sbin/update-ca-certificates"));
}

#[test]
fn packages_left_in_the_builder_take_their_maintainer_script_output() {
    let (b, a) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    tree(
        b.path(),
        &[
            (
                "var/lib/dpkg/status",
                "Package: fontconfig-config\nStatus: install ok installed\n\n\
                 Package: gpg-agent\nStatus: install ok installed\n\n\
                 Package: netbase\nStatus: install ok installed\n",
            ),
            (
                "var/lib/dpkg/info/fontconfig-config.list",
                "/.\n/usr/share/fontconfig/conf.avail/10-hinting-slight.conf\n",
            ),
            (
                "var/lib/dpkg/info/fontconfig-config.postinst",
                "mkdir -p /usr/local/share/fonts\n",
            ),
            ("var/lib/dpkg/info/netbase.list", "/.\n/etc/protocols\n"),
            ("var/lib/dpkg/info/netbase.postinst", "create /etc/networks\n"),
            ("var/lib/dpkg/info/gpg-agent.list", "/.\n/usr/lib/systemd/user/gpg-agent.socket\n"),
            ("usr/share/fontconfig/conf.avail/10-hinting-slight.conf", "c"),
            ("etc/protocols", "p"),
            ("etc/networks", "n"),
            ("usr/lib/systemd/user/gpg-agent.socket", "s"),
            (
                "var/lib/systemd/deb-systemd-user-helper-enabled/gpg-agent.socket.dsh-also",
                "/etc/systemd/user/sockets.target.wants/gpg-agent.socket\n",
            ),
            (
                "var/lib/systemd/deb-systemd-user-helper-enabled/sockets.target.wants/gpg-agent.socket",
                "",
            ),
            ("etc/fonts/conf.d/.keep", ""),
            ("etc/systemd/user/sockets.target.wants/.keep", ""),
            ("etc/fonts/conf.d/99-mine.conf", "mine"),
        ],
    );
    fs::create_dir_all(b.path().join("usr/local/share/fonts")).unwrap();
    // Merged /usr: the unit link goes through /lib.
    std::os::unix::fs::symlink("usr/lib", b.path().join("lib")).unwrap();
    std::os::unix::fs::symlink(
        "/usr/share/fontconfig/conf.avail/10-hinting-slight.conf",
        b.path().join("etc/fonts/conf.d/10-hinting-slight.conf"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        "/lib/systemd/user/gpg-agent.socket",
        b.path()
            .join("etc/systemd/user/sockets.target.wants/gpg-agent.socket"),
    )
    .unwrap();
    let before = walk(b.path()).unwrap();
    tree(
        a.path(),
        &[
            ("var/lib/dpkg/status", ""),
            ("etc/fonts/conf.d/.keep", ""),
            ("etc/systemd/user/sockets.target.wants/.keep", ""),
            ("usr/local/share/.keep", ""),
            ("usr/lib/.keep", ""),
        ],
    );
    std::os::unix::fs::symlink("usr/lib", a.path().join("lib")).unwrap();
    let after = walk(a.path()).unwrap();
    let installed = dpkg_installed(a.path(), &after);
    let rules = Rules {
        builder_packages: builder_packages(b.path(), &before, installed.as_ref(), None),
        ..Rules::default()
    };
    let d = diff(&before, &after, b.path(), a.path(), &rules);
    let g = group(&d, "build-tool packages left in the builder");
    assert_eq!(g.packages, ["fontconfig-config", "gpg-agent", "netbase"]);
    let paths: Vec<&str> = g.entries.iter().map(|c| c.path.as_str()).collect();
    for p in [
        "/etc/fonts/conf.d/10-hinting-slight.conf",
        "/etc/networks",
        "/usr/local/share/fonts",
        "/etc/systemd/user/sockets.target.wants/gpg-agent.socket",
        "/var/lib/systemd/deb-systemd-user-helper-enabled/gpg-agent.socket.dsh-also",
        "/var/lib/systemd/deb-systemd-user-helper-enabled/sockets.target.wants/gpg-agent.socket",
    ] {
        assert!(
            paths
                .iter()
                .any(|q| p == *q || p.starts_with(&format!("{q}/"))),
            "{p} not in {paths:?}"
        );
    }
    // A file of the user's in a folder of the packages is no output of
    // theirs.
    assert_eq!(unexpected(&d), ["/etc/fonts/conf.d/99-mine.conf"]);
}

#[test]
fn distroless_packages_lack_dpkg_records_and_docs_by_design() {
    let (b, a) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let before = tree(
        b.path(),
        &[
            (
                "var/lib/dpkg/status",
                "Package: libgomp1\nStatus: install ok installed\n",
            ),
            (
                "var/lib/dpkg/info/libgomp1:amd64.list",
                "/.\n/usr/lib/libgomp.so.1\n/usr/share/doc/libgomp1/changelog.gz\n",
            ),
            (
                "var/lib/dpkg/info/libgomp1:amd64.md5sums",
                "x  usr/lib/libgomp.so.1\n",
            ),
            ("var/lib/dpkg/info/libgomp1:amd64.shlibs", "libgomp 1\n"),
            ("usr/lib/libgomp.so.1", "gomp"),
            ("usr/share/doc/libgomp1/changelog.gz", "log"),
        ],
    );
    // distroless: one stanza in status.d, the library, no info files.
    let after = tree(
        a.path(),
        &[
            (
                "var/lib/dpkg/status.d/libgomp1",
                "Package: libgomp1\nVersion: 12\n",
            ),
            ("usr/lib/libgomp.so.1", "gomp"),
        ],
    );
    let unpacked = dpkg_status_d(a.path(), &after);
    assert_eq!(unpacked.iter().collect::<Vec<_>>(), ["libgomp1"]);
    let rules = Rules {
        unpacked_only: unpacked_only(b.path(), &before, &unpacked),
        // dpkg's status file came with the original's base image.
        builder_base: Some((
            "debian:bookworm".into(),
            ["/var/lib/dpkg/status".to_string()].into(),
        )),
        ..Rules::default()
    };
    let d = diff(&before, &after, b.path(), a.path(), &rules);
    let g = group(&d, "dpkg records, docs and maintainer-script output");
    assert_eq!(g.packages, ["libgomp1"]);
    assert_eq!(g.files, 4, "{g:#?}");
    assert!(unexpected(&d).is_empty(), "{:?}", unexpected(&d));
    // The library itself must still be there.
    fs::remove_file(a.path().join("usr/lib/libgomp.so.1")).unwrap();
    let after = walk(a.path()).unwrap();
    let d = diff(&before, &after, b.path(), a.path(), &rules);
    assert_eq!(unexpected(&d), ["/usr/lib/libgomp.so.1"]);
}

#[test]
fn run_mount_points_and_ldconfig_cache() {
    let (b, a) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let before = tree(
        b.path(),
        &[
            ("etc/hosts", ""),
            ("etc/resolv.conf", "nameserver 10.0.0.1\n"),
            ("var/cache/ldconfig/aux-cache", "cache"),
            ("var/cache/ldconfig/other", "x"),
        ],
    );
    let after = tree(
        a.path(),
        &[("etc/.keep", ""), ("var/cache/ldconfig/.keep", "")],
    );
    let d = diff(&before, &after, b.path(), a.path(), &Rules::default());
    assert_eq!(group(&d, "empty mount points a RUN leaves").files, 1);
    assert_eq!(group(&d, "ldconfig's scan cache").files, 1);
    // A resolv.conf with content is the user's: a real loss.
    assert_eq!(
        unexpected(&d),
        ["/etc/resolv.conf", "/var/cache/ldconfig/other"]
    );
}

#[test]
fn pip_packages_and_cargo_records_left_with_the_builder() {
    let (b, a) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let site = "usr/local/lib/python3.11/site-packages";
    let before = tree(
        b.path(),
        &[
            (
                &format!("{site}/pyinstaller-6.0.dist-info/RECORD"),
                "PyInstaller/__init__.py,sha256=x,4\n\
                 pyinstaller-6.0.dist-info/RECORD,,\n../../../bin/pyinstaller,sha256=y,3\n",
            ),
            (&format!("{site}/PyInstaller/__init__.py"), "init"),
            (&format!("{site}/mine.py"), "mine"),
            ("usr/local/bin/pyinstaller", "bin"),
            ("usr/local/cargo/.crates.toml", "[v1]\n"),
            ("usr/local/cargo/.crates2.json", "{}"),
            ("usr/local/cargo/config.toml", "[net]\n"),
        ],
    );
    let after = tree(
        a.path(),
        &[
            ("app/dist/app", "binary"),
            (&format!("{site}/.keep"), ""),
            ("usr/local/bin/.keep", ""),
            ("usr/local/cargo/.keep", ""),
        ],
    );
    let pip = pip_packages(b.path(), &before, &after);
    assert_eq!(
        pip.get("/usr/local/bin/pyinstaller").map(String::as_str),
        Some("pyinstaller-6.0")
    );
    assert!(!has_python(&after) && has_python(&before_with_python(b.path())));
    let mut rules = Rules {
        builder_base: Some(("python:3.11".into(), HashSet::new())),
        pip_packages: pip,
        ..Rules::default()
    };
    let d = diff(&before, &after, b.path(), a.path(), &rules);
    assert_eq!(group(&d, "pip packages left in the builder").files, 3);
    assert_eq!(group(&d, "cargo install's record").files, 2);
    let missing = unexpected(&d);
    assert!(
        missing.contains(&"/usr/local/lib/python3.11/site-packages/mine.py"),
        "{missing:?}"
    );
    assert!(
        missing.contains(&"/usr/local/cargo/config.toml"),
        "{missing:?}"
    );
    // Without the pip packages (the fixed image has a Python): a loss.
    rules.pip_packages.clear();
    let d = diff(&before, &after, b.path(), a.path(), &rules);
    assert!(unexpected(&d).contains(&"/usr/local/bin/pyinstaller"));
    // Not a split at all: cargo's record is a loss too.
    rules.builder_base = None;
    let d = diff(&before, &after, b.path(), a.path(), &rules);
    assert!(unexpected(&d)
        .iter()
        .any(|p| p.starts_with("/usr/local/cargo")));
}

/// `root`'s tree with a `/usr/local/bin/python3.11` added.
fn before_with_python(root: &Path) -> Tree {
    tree(root, &[("usr/local/bin/python3.11", "py")])
}

#[test]
fn dpkg_packages_reads_both_sets_at_once() {
    // status and status.d together: installed is their union, status.d
    // only the stanzas there.
    let d = tempfile::tempdir().unwrap();
    let t = tree(
        d.path(),
        &[
            (
                "var/lib/dpkg/status",
                "Package: procps\nStatus: install ok installed\n\n\
                 Package: gone\nStatus: deinstall ok config-files\n",
            ),
            (
                "var/lib/dpkg/status.d/libc6",
                "Package: libc6\nVersion: 2.36\n",
            ),
            ("var/lib/dpkg/status.d/libc6.md5sums", "x  y\n"),
        ],
    );
    let got = dpkg_packages(d.path(), &t);
    assert_eq!(got.installed, dpkg_installed(d.path(), &t));
    assert_eq!(got.status_d, dpkg_status_d(d.path(), &t));
    let installed: Vec<_> = got.installed.unwrap().into_iter().collect();
    assert_eq!(installed, ["libc6", "procps"]);
    assert_eq!(got.status_d.into_iter().collect::<Vec<_>>(), ["libc6"]);
    // Neither: not a dpkg image.
    let e = tempfile::tempdir().unwrap();
    let t = tree(e.path(), &[("app", "x")]);
    assert_eq!(dpkg_packages(e.path(), &t), DpkgPackages::default());
}
