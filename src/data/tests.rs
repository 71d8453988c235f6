//! The data tables: what they hold, and how user tables merge.

use super::*;
use crate::transforms;

fn registered(code: &str) -> bool {
    transforms::ALL.iter().any(|t| t.meta().code == code)
}

/// The JSON build.rs produces carries exactly what the TOML files say,
/// one top-level key per file of `transforms/`.
#[test]
fn build_time_json_equals_the_toml() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("transforms");
    let mut root = toml::Table::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "toml") {
            let key = p.file_stem().unwrap().to_str().unwrap().to_string();
            let t: toml::Table = std::fs::read_to_string(&p).unwrap().parse().unwrap();
            root.insert(key, toml::Value::Table(t));
        }
    }
    assert!(root.len() >= 5, "{:?}", root.keys().collect::<Vec<_>>());
    assert_eq!(&root, builtin_table());
    let from_toml = Data::deserialize(toml::Value::Table(root)).unwrap();
    assert_eq!(format!("{from_toml:?}"), format!("{:?}", builtin()));
}

#[test]
fn builder_packages_match_literally_or_by_star() {
    let b = &builtin().stages.builder;
    for p in [
        "gcc",
        "gcc-12",
        "golang-go",
        "golang-1.19-go",
        "libc6-dev",
        "ca-certificates",
    ] {
        assert!(b.only_builds(p), "{p}");
    }
    for p in [
        "golang-1.19-src",
        "imagemagick",
        "libsqlite3-0",
        "gc",
        "",
        "go",
    ] {
        assert!(!b.only_builds(p), "{p}");
    }
    let one = BuilderPackages {
        packages: vec!["ab*ba".into()],
        ..BuilderPackages::default()
    };
    assert!(one.only_builds("abba") && one.only_builds("ab-x-ba"));
    assert!(!one.only_builds("aba"), "head and tail may not overlap");
}

/// Every Alpine package name of `[alpine]` in stages.toml is one that
/// Alpine's own build recipes define (testdata/alpine-packages.txt:
/// lines of aports APKBUILDs), and every release it names parses.
#[test]
fn alpine_names_are_real_packages() {
    let text = include_str!("../../testdata/alpine-packages.txt");
    let mut names: Vec<String> = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        // `key=value` or `key="v1 v2"` after the path@commit.
        let mut vars: Vec<(String, String)> = Vec::new();
        let mut rest = line.split_once(' ').expect("path@commit first").1;
        while let Some((k, after)) = rest.trim_start().split_once('=') {
            let (v, tail) = match after.strip_prefix('"') {
                Some(q) => q.split_once('"').expect("closing quote"),
                None => after.split_once(' ').unwrap_or((after, "")),
            };
            vars.push((k.to_string(), v.to_string()));
            rest = tail;
        }
        let expand = |w: &str| {
            let mut w = w.to_string();
            for (k, v) in &vars {
                w = w.replace(&format!("${k}"), v);
            }
            w
        };
        for (k, v) in &vars {
            if k == "pkgname" || k == "subpackages" || k.ends_with("provides") {
                for w in v.split_whitespace() {
                    names.push(expand(w.split(':').next().unwrap()));
                }
            }
        }
    }
    assert!(names.iter().any(|n| n == "libssl3"), "{names:?}");
    let a = &builtin().stages.alpine;
    let mut checked = 0;
    for (key, package) in &a.runtime_libraries {
        if !key.starts_with("-l") {
            assert!(
                names.contains(key),
                "`{key}` is no Alpine package of the list"
            );
        }
        assert!(
            names.iter().any(|n| n == package.name()),
            "`{}` (for `{key}`) is no Alpine package of the list",
            package.name()
        );
        if let AlpinePackage::Since { since, .. } = package {
            assert!(alpine_release(since).is_some(), "since = {since:?}");
        }
        checked += 1;
    }
    for p in a.tools.keys().chain(a.interpreters.values()) {
        assert!(names.contains(p), "`{p}` is no Alpine package of the list");
        checked += 1;
    }
    assert!(checked > 20);
    // Names that are no Alpine package do fail the check.
    assert!(!names.iter().any(|n| n == "libssl-dev" || n == "libpq5"));
}

#[test]
fn alpine_packages_by_release() {
    let ssl = AlpinePackage::Since {
        package: "libssl3".into(),
        since: "3.17".into(),
    };
    assert_eq!(ssl.for_release(alpine_release("3.18")), Ok("libssl3"));
    assert_eq!(ssl.for_release(alpine_release("3.17.2")), Ok("libssl3"));
    assert_eq!(ssl.for_release(None), Ok("libssl3"));
    assert_eq!(ssl.for_release(alpine_release("3.16")), Err("3.17"));
    assert_eq!(alpine_release("3"), None);
    assert_eq!(alpine_release("edge"), None);
    assert_eq!(alpine_release("3.x"), None);
}

/// Every `target` value has a builder table, and nothing else does.
#[test]
fn a_builder_table_per_target() {
    use crate::config::Target;
    let d = builtin();
    let names: Vec<&str> = [Target::Buildkit, Target::Classic, Target::Buildah]
        .iter()
        .map(|t| t.name())
        .collect();
    for n in &names {
        assert!(d.builder(n).is_some(), "transforms/builders.toml: no [{n}]");
    }
    assert_eq!(d.builders.len(), names.len());
    assert!(!d.builder("classic").unwrap().cache_mounts);
    let buildah = d.builder("buildah").unwrap();
    assert!(buildah.cache_mounts && buildah.locked_last_only);
    assert!(!buildah.sharing.iter().any(|s| s == "private"));
}

/// Every entry is read by a registered transform, or marked planned
/// (and then no transform claims it yet: once one does, the entry must
/// name it).
#[test]
fn every_entry_is_used_by_a_registered_transform() {
    let d = builtin();
    assert!(d.package_managers.len() >= 11);
    for (name, m) in &d.package_managers {
        assert!(
            !m.commands.is_empty() || !m.python_modules.is_empty(),
            "{name}: no commands"
        );
        assert!(!m.install.is_empty(), "{name}: no install subcommands");
        assert!(m.cleanup.is_some(), "{name}: no cleanup");
        if m.planned {
            assert!(m.used_by.is_empty(), "{name}: planned but used-by is set");
        } else {
            assert!(!m.used_by.is_empty(), "{name}: neither used-by nor planned");
        }
        // A planned table may already name its future transform.
        let registered = |c: &str| m.planned || registered(c);
        for code in &m.used_by {
            assert!(registered(code), "{name}: used-by {code} is not registered");
        }
        for (flag, f) in &m.flags {
            assert!(!f.add.is_empty(), "{name}.flags.{flag}: empty add");
            assert!(
                f.aliases.contains(&f.add),
                "{name}.flags.{flag}: `add` must be one of its aliases"
            );
            if !m.planned {
                assert!(!f.used_by.is_empty(), "{name}.flags.{flag}: no used-by");
            }
            for code in &f.used_by {
                assert!(
                    registered(code),
                    "{name}.flags.{flag}: {code} not registered"
                );
            }
        }
        for s in &m.savings {
            assert!(
                s.bytes > 0 && !s.source.is_empty(),
                "{name}: saving {}",
                s.what
            );
            if let Some(code) = &s.used_by {
                assert!(registered(code), "{name}: saving {} used by {code}", s.what);
            }
        }
    }
}

#[test]
fn base_images_are_used_and_sourced() {
    let b = &builtin().base_images;
    assert!(b.images.len() >= 6);
    let word = |w: &str| {
        !w.is_empty()
            && w.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.')
    };
    for (name, i) in &b.images {
        assert!(!i.used_by.is_empty(), "{name}: no used-by");
        for code in &i.used_by {
            assert!(registered(code), "{name}: used-by {code} is not registered");
        }
        for w in i.slim.iter().chain(&i.alpine) {
            assert!(word(w), "{name}: variant word `{w}`");
        }
        assert!(
            i.slim.is_some() || i.alpine.is_some() || i.jre.is_some(),
            "{name}: no variant"
        );
        // DS101's message says what the smaller image leaves out.
        if i.slim.is_some() || i.jre.is_some() {
            assert!(
                i.slim_drops.as_deref().is_some_and(|d| !d.is_empty()),
                "{name}: no slim-drops"
            );
        }
        assert!(
            !i.slim_same_packages || i.slim.is_some(),
            "{name}: slim-same-packages without a slim variant"
        );
        for s in &i.sizes {
            assert!(
                s.bytes > 0 && !s.source.is_empty(),
                "{name}: size {}",
                s.tag
            );
        }
    }
    for code in b
        .build_tools
        .used_by
        .iter()
        .chain(&b.apt_to_apk.used_by)
        .chain(&b.distroless.used_by)
        .chain(&b.release_in_name.used_by)
    {
        assert!(registered(code), "{code} is not registered");
    }
    assert!(!b.build_tools.commands.is_empty());
    assert_eq!(b.apt_to_apk.packages["build-essential"], "build-base");
    assert!(b.distroless.static_.starts_with("gcr.io/distroless/"));
}

/// DS103 writes its distroless images untagged: each must carry its
/// release in its name, or DS205 would report dslim's own output.
#[test]
fn distroless_targets_carry_their_release_in_the_name() {
    use crate::syntax::ImageRef;
    use crate::transforms::base_images::release_in_name;
    let b = &builtin().base_images;
    assert!(!b.release_in_name.patterns.is_empty());
    for p in b.release_in_name.patterns.values() {
        let r = ImageRef::parse(p, 0..0);
        assert!(r.tag.is_none() && r.digest.is_none(), "pattern `{p}`");
    }
    let d = &b.distroless;
    for image in [&d.static_, &d.cc, &d.java, &d.python, &d.nodejs] {
        let r = ImageRef::parse(image, 0..0);
        assert!(
            r.tag.is_none(),
            "{image}: DS103 images are written untagged"
        );
        assert!(
            release_in_name(&b.release_in_name, &r),
            "{image}: matches no `release-in-name` pattern"
        );
    }
}

#[test]
fn user_release_in_name_patterns_merge() {
    let ext: toml::Table = r#"
        [base-images.release-in-name.patterns]
        mycorp = "registry.example.com/base/*-2024"
        distroless-debian11 = ""
    "#
    .parse()
    .unwrap();
    let d = merged(&ext).unwrap();
    let p = &d.base_images.release_in_name.patterns;
    assert_eq!(p["mycorp"], "registry.example.com/base/*-2024");
    assert_eq!(p["distroless-debian11"], "");
    assert_eq!(p["distroless-debian12"], "gcr.io/distroless/*-debian12");
    assert!(!d.base_images.images.contains_key("release-in-name"));
}

#[test]
fn user_base_images_merge() {
    let ext: toml::Table = r#"
        [base-images.python]
        slim-position = "after-distro"
        [base-images.mycorp-python]
        used-by = ["DS101"]
        slim = "slim"
        [base-images.apt-to-apk.packages]
        libfoo = "foo"
    "#
    .parse()
    .unwrap();
    let d = merged(&ext).unwrap();
    let py = d.base_image("python").unwrap();
    assert_eq!(py.slim_position, SlimPosition::AfterDistro);
    assert_eq!(py.alpine.as_deref(), Some("alpine"));
    assert!(d.base_image("mycorp-python").is_some());
    assert_eq!(d.base_images.apt_to_apk.packages["libfoo"], "foo");
    assert_eq!(d.base_images.apt_to_apk.packages["curl"], "curl");
    let bad: toml::Table = "[base-images.python]\nslimm = \"x\"\n".parse().unwrap();
    assert!(merged(&bad).unwrap_err().contains("slimm"));
}

#[test]
fn user_tables_merge_over_builtin() {
    let ext: toml::Table = r#"
        [package-managers.apt]
        cleanup = "apt-get dist-clean"
        [package-managers.apt.clean]
        paths = ["/var/lib/apt"]
        [package-managers.opkg]
        used-by = ["DS002"]
        commands = ["opkg"]
        install = ["install"]
    "#
    .parse()
    .unwrap();
    let d = merged(&ext).unwrap();
    let apt = d.manager("apt").unwrap();
    assert_eq!(apt.cleanup.as_deref(), Some("apt-get dist-clean"));
    assert_eq!(apt.clean.paths, ["/var/lib/apt"]);
    // Untouched keys of a merged table stay.
    assert!(apt.clean.commands.iter().any(|c| c == "apt-get dist-clean"));
    assert_eq!(apt.commands, ["apt-get", "apt", "aptitude"]);
    assert!(d.manager("opkg").is_some());
    assert!(d.manager("pip").is_some());

    let bad: toml::Table = "[package-managers.apt]\ncomands = [\"x\"]\n"
        .parse()
        .unwrap();
    assert!(merged(&bad).unwrap_err().contains("comands"));
    let bad: toml::Table = "[pkg-managers.apt]\n".parse().unwrap();
    assert!(merged(&bad).unwrap_err().contains("unknown data table"));
}

/// Issue 15: the user-merged data is built once per configuration, not once
/// per pass; a clone whose tables were edited gets its own merge.
#[test]
fn merged_data_is_built_once_per_config() {
    use crate::config::Config;
    use crate::transform::Context;
    let ext: toml::Table = r#"
        [base-images.release-in-name.patterns]
        mycorp = "registry.example.com/base/*-2024"
    "#
    .parse()
    .unwrap();
    let config = Config {
        extensions: ext,
        ..Config::default()
    };
    let doc = crate::syntax::Document::parse("FROM debian\n").unwrap();
    let (a, b) = (Context::new(&doc, &config), Context::new(&doc, &config));
    assert!(
        std::ptr::eq(a.data(), b.data()),
        "two passes merged the tables twice"
    );
    assert!(!std::ptr::eq(a.data(), crate::data::builtin()));
    let p = &a.data().base_images.release_in_name.patterns;
    assert_eq!(p["mycorp"], "registry.example.com/base/*-2024");

    let mut edited = config.clone();
    edited.extensions = r#"
        [base-images.release-in-name.patterns]
        other = "registry.example.com/other/*"
    "#
    .parse()
    .unwrap();
    let c = Context::new(&doc, &edited);
    let p = &c.data().base_images.release_in_name.patterns;
    assert!(
        p.contains_key("other") && !p.contains_key("mycorp"),
        "stale merge"
    );
}
