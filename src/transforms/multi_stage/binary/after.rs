//! What a RUN after the build may do without changing what the runtime gets.

use crate::shell::SimpleCommand;

use super::super::facts::{placed, writes_files};
use super::super::{has_cd, join, words, StageFacts};

/// Why a RUN after the build (instruction `at`, which wrote `bin`) blocks
/// the split, if one does. Such a RUN may only do what changes nothing the
/// runtime gets: remove files other than the binary, `chmod`/`strip` the
/// binary or files in the build folder (`COPY --from` keeps the mode), run
/// tests (`go test|vet`, `cargo test`, `make test|check`, `ctest`), print,
/// or run apt (what it installs the runtime installs too). Files and
/// accounts it makes are [`super::carry_setup_files`]'s.
pub(super) fn after_build(f: &StageFacts, at: usize, bin: &str) -> Option<String> {
    let build_dir = f.cwd_at(at).filter(|d| d != "/");
    for ins in f.runs().filter(|r| f.index(r) > at) {
        let i = f.index(ins);
        let Some(script) = f.model.script(i) else {
            return Some(
                "a RUN after the build, which dslim cannot read, may change what the binary needs"
                    .into(),
            );
        };
        if writes_files(ins.args_text()) {
            return Some(
                "a RUN after the build writes a file (`>`), which the runtime would lack".into(),
            );
        }
        let run = LaterRun {
            f,
            bin,
            build_dir: build_dir.as_deref(),
            cwd: f.cwd_at(i).filter(|_| !has_cd(script)),
        };
        if let Some(why) = script.commands.iter().find_map(|c| run.blocker(c).err()) {
            return Some(why);
        }
    }
    None
}

/// Whether the path `p` is the binary `bin` or a folder holding it (a
/// trailing `/` counts as the same path: `rm -rf /app/server/`).
pub(super) fn is_or_holds(p: &str, bin: &str) -> bool {
    let p = p.trim_end_matches('/');
    p == bin || bin.starts_with(&format!("{p}/"))
}

/// A RUN after the build, as its commands are judged.
struct LaterRun<'a, 'd> {
    f: &'a StageFacts<'d>,
    /// The binary the runtime copies.
    bin: &'a str,
    /// The folder the build ran in (not `/`), which the runtime does not get.
    build_dir: Option<&'a str>,
    /// The folder the RUN works in (`None`: unknown, or changed by a `cd`).
    cwd: Option<String>,
}

impl LaterRun<'_, '_> {
    /// `Err`: why the command `c` may change what the runtime gets.
    fn blocker(&self, c: &SimpleCommand) -> Result<(), String> {
        let w = words(c);
        let Some(&name) = w.first() else {
            return Ok(());
        };
        let args: Vec<&str> = w[1..]
            .iter()
            .copied()
            .filter(|a| !a.starts_with('-'))
            .collect();
        let ok = match name {
            "true" | ":" | "echo" | "printf" | "ls" | "set" | "cd" | "apt-get" | "apt" => true,
            "go" => matches!(w.get(1), Some(&("test" | "vet" | "version" | "env"))),
            "cargo" => matches!(w.get(1), Some(&("test" | "clippy" | "fmt"))),
            "make" | "gmake" => {
                !args.is_empty()
                    && args
                        .iter()
                        .all(|a| matches!(*a, "test" | "check" | "tests"))
            }
            "ctest" => true,
            // Removing anything but the binary (or a folder holding it)
            // leaves the runtime as it is.
            "rm" => {
                self.keeps_binary_on_rm(c)?;
                true
            }
            // Folders, copies, moves and links outside the build
            // folder: the runtime copies what they made from the
            // builder ([`super::carry_setup_files`]), as for a setup
            // RUN; the build folder stays behind, so what they put
            // there would be lost.
            "mkdir" | "cp" | "mv" | "ln" => {
                if name == "mv" {
                    self.keeps_binary_on_mv(&args)?;
                }
                self.makes_nothing_lost(c, name, &args)?;
                true
            }
            "chmod" if self.chmods_only_setup_files(c) => true,
            // The mode travels with `COPY --from`; the build folder
            // stays behind.
            "chmod" | "strip" => self.touches_only_build_output(name, &args),
            _ => false,
        };
        if ok {
            return Ok(());
        }
        let shown = if name.contains('\u{0}') {
            "a command dslim cannot read"
        } else {
            name
        };
        Err(format!(
            "a RUN after the build runs `{shown}`, which may change what the runtime needs \
             (only removals, `chmod`/`strip` of the binary, folders, copies, moves and \
             links, tests and apt are carried)"
        ))
    }

    /// The absolute path of the literal word `a` (`None`: not literal, or
    /// relative to an unknown folder).
    fn resolve(&self, a: &str) -> Option<String> {
        if a.contains('\u{0}') {
            None
        } else if a.starts_with('/') {
            Some(join("/", a))
        } else {
            self.cwd.as_deref().map(|c| join(c, a))
        }
    }

    /// Whether the word `a` is, or may be, the binary or a folder holding it.
    fn may_hold_binary(&self, a: &str) -> bool {
        self.resolve(a).is_none_or(|p| is_or_holds(&p, self.bin))
    }

    /// Whether `p` is the binary or inside the build folder.
    fn in_build_output(&self, p: &str) -> bool {
        p == self.bin
            || self
                .build_dir
                .is_some_and(|d| p.starts_with(&format!("{d}/")))
    }

    /// `Err` when the `rm` `c` removes, or may remove, the binary. Its
    /// words are read as written: a glob is no literal word, and removes
    /// at most what is in the folder before it.
    fn keeps_binary_on_rm(&self, c: &SimpleCommand) -> Result<(), String> {
        let removes_binary = |a: &&str| {
            let a = if a.contains(['$', '`', '"', '\'', '\\', '{']) {
                "\u{0}"
            } else {
                a
            };
            let fixed = match a.find(['*', '?', '[']) {
                Some(g) => a[..g].rsplit_once('/').map_or("", |(d, _)| d),
                None => a,
            };
            let fixed = if fixed.is_empty() && a.starts_with('/') {
                "/"
            } else {
                fixed
            };
            self.may_hold_binary(fixed)
        };
        let removed = c.words[1..]
            .iter()
            .map(|x| x.raw.as_str())
            .filter(|a| !a.starts_with('-'))
            .find(removes_binary);
        match removed {
            Some(shown) => Err(format!(
                "a RUN after the build removes `{shown}`, which is or may hold the binary the \
                 runtime copies"
            )),
            None => Ok(()),
        }
    }

    /// `Err` when the `mv` of the operands `args` moves, or may move, the
    /// binary away.
    fn keeps_binary_on_mv(&self, args: &[&str]) -> Result<(), String> {
        let srcs = &args[..args.len().saturating_sub(1)];
        match srcs.iter().find(|a| self.may_hold_binary(a)) {
            Some(a) => Err(format!(
                "a RUN after the build moves `{a}`, which is or may hold the binary the runtime \
                 copies"
            )),
            None => Ok(()),
        }
    }

    /// `Err` when the `mkdir`, `cp`, `mv` or `ln` `c` puts something where
    /// the runtime does not get it: into the build folder, or into the
    /// final WORKDIR (the runtime makes it empty).
    fn makes_nothing_lost(
        &self,
        c: &SimpleCommand,
        name: &str,
        args: &[&str],
    ) -> Result<(), String> {
        let made: Vec<String> = if name == "mkdir" {
            args.iter().filter_map(|a| self.resolve(a)).collect()
        } else {
            placed(c, self.cwd.as_deref()).unwrap_or_default()
        };
        let inside = |p: &String, d: Option<&str>| {
            *p != self.bin
                && d.is_some_and(|d| d != "/" && (p == d || p.starts_with(&format!("{d}/"))))
        };
        if let Some(p) = made.iter().find(|p| inside(p, self.build_dir)) {
            return Err(format!(
                "a RUN after the build writes `{p}` into the build folder, which the runtime \
                 does not get"
            ));
        }
        if let Some(p) = made.iter().find(|p| inside(p, self.f.workdir.as_deref())) {
            return Err(format!(
                "a RUN after the build writes `{p}` into the final WORKDIR, which the runtime \
                 gets only as an empty folder"
            ));
        }
        Ok(())
    }

    /// Whether the `chmod` `c` changes only files outside the build output
    /// (setup files the runtime copies, mode and all).
    fn chmods_only_setup_files(&self, c: &SimpleCommand) -> bool {
        placed(c, self.cwd.as_deref())
            .is_ok_and(|ps| !ps.is_empty() && ps.iter().all(|p| !self.in_build_output(p)))
    }

    /// Whether the `chmod` or `strip` of the operands `args` touches only
    /// the binary and the build folder.
    fn touches_only_build_output(&self, name: &str, args: &[&str]) -> bool {
        let targets = if name == "chmod" {
            args.get(1..)
        } else {
            Some(args)
        };
        targets.is_some_and(|t| {
            !t.is_empty()
                && t.iter()
                    .all(|a| self.resolve(a).is_some_and(|p| self.in_build_output(&p)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::is_or_holds;

    #[test]
    fn a_path_is_or_holds_the_binary_with_or_without_a_trailing_slash() {
        let bin = "/app/server";
        for p in ["/app/server", "/app/server/", "/app", "/app/", "/", "//"] {
            assert!(is_or_holds(p, bin), "{p}");
        }
        for p in ["/app/serv", "/app/server2", "/ap", "/app/server/x", "/bin"] {
            assert!(!is_or_holds(p, bin), "{p}");
        }
    }
}
