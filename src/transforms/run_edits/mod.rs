//! Shared helpers of the package-manager transforms: finding a manager's
//! commands in a RUN, reading and inserting flags, and adding a command to a
//! RUN in the RUN's own style.
//!
//! Everything works on the shell view ([`Script`]) of the RUN's joined text;
//! logical offsets are mapped to the file with `ins.logical`.
//!
//! Here the re-exports; the parts: [`calls`] (package-manager calls),
//! [`mounts`] (mounts and builders), [`append`] (appending and prepending
//! a command).

mod append;
mod calls;
mod mounts;

pub use append::*;
pub use calls::*;
pub use mounts::*;

use crate::config::{Config, OperatorPosition, Target};
use crate::data::{Builder, Data, FlagSpec, PackageManager};
use crate::edit::Edit;
use crate::shell::{Op, Script, SimpleCommand, Word};
use crate::syntax::{Document, Instruction};

use crate::model::ShellKind;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell;

    fn apt() -> &'static PackageManager {
        crate::data::builtin().manager("apt").unwrap()
    }

    #[test]
    fn finds_calls_through_prefixes() {
        let s = shell::parse("sudo -E env A=1 DEBIAN_FRONTEND=noninteractive /usr/bin/apt-get -qq install -y curl && apt update").unwrap();
        let calls = find_calls(&s, apt());
        assert_eq!(calls.len(), 2);
        assert!(calls[0].sudo);
        assert_eq!(calls[0].tool, "apt-get");
        assert_eq!(calls[0].sub.as_deref(), Some("install"));
        assert_eq!(calls[1].sub.as_deref(), Some("update"));
        let s = shell::parse("apt-get -o Dpkg::Options::=--force-confold install x").unwrap();
        assert_eq!(find_calls(&s, apt())[0].sub.as_deref(), Some("install"));
        let pip = crate::data::builtin().manager("pip").unwrap();
        let s = shell::parse("python3.11 -m pip install x && pip3.12 install y").unwrap();
        let c = find_calls(&s, pip);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].sub.as_deref(), Some("install"));
        let uv = crate::data::builtin().manager("uv").unwrap();
        let s = shell::parse("uv pip install x").unwrap();
        assert_eq!(find_calls(&s, uv)[0].sub.as_deref(), Some("pip install"));
    }

    #[test]
    fn apk_virtual_names_no_package() {
        let apk = crate::data::builtin().manager("apk").unwrap();
        for t in [
            "apk add --no-cache --virtual .build-deps gcc musl-dev",
            "apk add -t .build-deps gcc musl-dev",
        ] {
            let s = shell::parse(t).unwrap();
            let c = &find_calls(&s, apk)[0];
            assert_eq!(
                install_packages(&s, c, apk).unwrap(),
                ["gcc", "musl-dev"],
                "{t}"
            );
        }
    }

    #[test]
    fn flags_and_aliases() {
        let yes = &apt().flags["yes"];
        let nr = &apt().flags["no-recommends"];
        let has = |t: &str, f: &FlagSpec| {
            let s = shell::parse(t).unwrap();
            let c = &find_calls(&s, apt())[0];
            has_flag(&s.commands[c.command], c, f)
        };
        assert!(has("apt-get install -y x", yes));
        assert!(has("apt-get install --yes x", yes));
        assert!(has("apt-get --assume-yes install x", yes));
        assert!(has("apt-get -qq install x", yes));
        assert!(has("apt-get -qqy install x", yes));
        assert!(has("apt-get install -qy x", yes));
        assert!(has("apt-get -o APT::Get::Assume-Yes=true install x", yes));
        assert!(!has("apt-get -q install x", yes));
        assert!(!has("apt-get install x", yes));
        assert!(has("apt-get install --no-install-recommends x", nr));
        assert!(has(
            "apt-get -o APT::Install-Recommends=false install x",
            nr
        ));
        assert!(has("apt-get install -oAPT::Install-Recommends=0 x", nr));
        assert!(!has("apt-get install -y x", nr));
    }

    /// RUN `run` (one line) of a parsed document, with the mount flags the
    /// builder `target` gets for `targets` and where they go.
    fn mounts_for(
        target: Target,
        run: &str,
        targets: &[&str],
        sharing: Option<&str>,
    ) -> Option<(String, Vec<String>)> {
        let doc = Document::parse(&format!("FROM x\n{run}\n")).unwrap();
        let cfg = Config {
            target: Some(target),
            ..Config::default()
        };
        let b = mount_builder(
            &crate::model::Model::new(&doc),
            &cfg,
            crate::data::builtin(),
        )?;
        let ins = &doc.instructions()[1];
        let targets: Vec<String> = targets.iter().map(|t| t.to_string()).collect();
        let flags = cache_mount_flags(b, ins, &targets, "", sharing)?;
        let at = mount_insert_at(b, ins);
        Some((
            doc.source()[at..].lines().next().unwrap().to_string(),
            flags,
        ))
    }

    #[test]
    fn cache_mounts_per_builder() {
        let two = ["/var/cache/apt", "/var/lib/apt"];
        // BuildKit: a lock on each mount, after the RUN's flags.
        let (at, f) = mounts_for(
            Target::Buildkit,
            "RUN --network=host x",
            &two,
            Some("locked"),
        )
        .unwrap();
        assert_eq!(at, "x");
        assert_eq!(
            f,
            [
                "--mount=type=cache,target=/var/cache/apt,sharing=locked",
                "--mount=type=cache,target=/var/lib/apt,sharing=locked"
            ]
        );
        // Classic: none.
        assert!(mounts_for(Target::Classic, "RUN x", &two, None).is_none());
        // Buildah: the lock on the last mount only.
        let (_, f) = mounts_for(Target::Buildah, "RUN x", &two, Some("locked")).unwrap();
        assert_eq!(
            f,
            [
                "--mount=type=cache,target=/var/cache/apt",
                "--mount=type=cache,target=/var/lib/apt,sharing=locked"
            ]
        );
        // Buildah rejects `private`: left out.
        let (_, f) = mounts_for(Target::Buildah, "RUN x", &["/c"], Some("private")).unwrap();
        assert_eq!(f, ["--mount=type=cache,target=/c"]);
        let (_, f) = mounts_for(Target::Buildkit, "RUN x", &["/c"], Some("private")).unwrap();
        assert_eq!(f, ["--mount=type=cache,target=/c,sharing=private"]);
        // Buildah, a RUN with a locked cache mount: unlocked mounts go
        // before its flags; a lock or a nesting target gets nothing.
        let locked = "RUN --mount=type=cache,target=/a,sharing=locked --network=none x";
        let (at, f) = mounts_for(Target::Buildah, locked, &["/c"], None).unwrap();
        assert!(at.starts_with("--mount=type=cache,target=/a,"), "{at}");
        assert_eq!(f, ["--mount=type=cache,target=/c"]);
        assert!(mounts_for(Target::Buildah, locked, &["/c"], Some("locked")).is_none());
        assert!(mounts_for(Target::Buildah, locked, &["/a/b"], None).is_none());
        let deeper = "RUN --mount=type=cache,target=/a/b,sharing=locked x";
        assert!(mounts_for(Target::Buildah, deeper, &["/a"], None).is_none());
        // BuildKit does not care.
        let (at, _) = mounts_for(Target::Buildkit, locked, &["/c"], Some("locked")).unwrap();
        assert_eq!(at, "x");
    }

    #[test]
    fn detected_target() {
        let t = |src: &str, cfg: Option<Target>| {
            let doc = Document::parse(src).unwrap();
            target(
                &doc,
                &Config {
                    target: cfg,
                    ..Config::default()
                },
            )
        };
        assert_eq!(t("FROM x\nRUN a\n", None), Target::Classic);
        assert_eq!(
            t("# syntax=docker/dockerfile:1\nFROM x\n", None),
            Target::Buildkit
        );
        assert_eq!(t("FROM x\nCOPY --link a b\n", None), Target::Buildkit);
        // A configured builder wins over the file's BuildKit signs.
        assert_eq!(
            t(
                "# syntax=docker/dockerfile:1\nFROM x\nRUN --mount=type=cache,target=/c a\n",
                Some(Target::Buildah)
            ),
            Target::Buildah
        );
        assert_eq!(
            t(
                "# syntax=docker/dockerfile:1\nFROM x\n",
                Some(Target::Classic)
            ),
            Target::Classic
        );
    }

    #[test]
    fn cleanups() {
        let clean = &apt().clean;
        let rm = |t: &str| {
            let s = shell::parse(t).unwrap();
            removes_path(&s.commands[0], &clean.paths)
        };
        assert!(rm("rm -rf /var/lib/apt/lists/*"));
        assert!(rm("rm -fr /var/lib/apt/lists"));
        assert!(rm("rm -r -f /var/lib/apt/lists/"));
        assert!(rm("sudo rm -Rf /tmp/* \"/var/lib/apt/lists\"/*"));
        assert!(rm("rm -rf /var/lib/apt"));
        assert!(!rm("rm -f /var/lib/apt/lists/lock"));
        assert!(!rm("rm -rf /var/lib/apt/lists/partial"));
        assert!(!rm("rm -rf /var/cache/apt"));
        let s = shell::parse("apt-get -y dist-clean").unwrap();
        assert!(matches_command(&s.commands[0], "apt-get dist-clean"));
        let s = shell::parse("apt-get clean").unwrap();
        assert!(!matches_command(&s.commands[0], "apt-get dist-clean"));
    }
}
