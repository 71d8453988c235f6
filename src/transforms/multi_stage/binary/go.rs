//! Go: what a `go build`, `go install` or `go get` call writes, and where.
//!
//! `go build` writes `-o FILE` (relative to `-C dir`, else the folder it
//! runs in) or, without `-o`, a binary named after the package in that
//! folder; `go install` (and `go get` up to Go 1.17) writes it to `$GOBIN`,
//! else `$GOPATH/bin` (`/go/bin` in the `golang` images). The name of a
//! package's binary is the last element of its import path without a major
//! version suffix (`example.com/tool/v2` → `tool`): for the module root
//! that is go.mod's module path, without a go.mod the folder's name (GOPATH
//! mode), for `./cmd/server` `server`.

use crate::shell::SimpleCommand;
use crate::syntax::Keyword;

use super::super::{join, StageFacts};

/// Flags of `go build|install|get` that take a value.
const VALUE_FLAGS: &[&str] = &[
    "o",
    "C",
    "ldflags",
    "gcflags",
    "asmflags",
    "gccgoflags",
    "tags",
    "mod",
    "modfile",
    "overlay",
    "pkgdir",
    "p",
    "buildmode",
    "compiler",
    "installsuffix",
    "pgo",
    "covermode",
    "coverpkg",
    "toolexec",
    "exec",
];

/// One `go build|install|get` command, read from its words (`\u{0}` stands
/// for a word that is not literal).
#[derive(Debug, Default)]
pub(super) struct GoCall<'w> {
    /// `build`, `install` or `get`.
    pub sub: &'w str,
    /// `-o FILE`.
    pub out: Option<&'w str>,
    /// `-C dir`.
    pub dir: Option<&'w str>,
    /// The package arguments.
    pub packages: Vec<&'w str>,
    /// Whether `-ldflags` ask the external linker for a static binary
    /// (`-extldflags "-static"`).
    pub static_ldflags: bool,
}

pub(super) fn go_call<'w>(w: &[&'w str]) -> Option<GoCall<'w>> {
    if w.first() != Some(&"go") {
        return None;
    }
    let sub = *w.get(1)?;
    if !matches!(sub, "build" | "install" | "get") {
        return None;
    }
    let mut c = GoCall {
        sub,
        ..GoCall::default()
    };
    let mut k = 2;
    while k < w.len() {
        let a = w[k];
        match a.strip_prefix("--").or_else(|| a.strip_prefix('-')) {
            Some(flag) if !flag.is_empty() => {
                let (name, inline) = match flag.split_once('=') {
                    Some((n, v)) => (n, Some(v)),
                    None => (flag, None),
                };
                let value = if VALUE_FLAGS.contains(&name) {
                    inline.or_else(|| {
                        k += 1;
                        w.get(k).copied()
                    })
                } else {
                    None
                };
                match name {
                    "o" => c.out = value,
                    "C" => c.dir = value,
                    "ldflags" => c.static_ldflags |= value.is_some_and(|v| v.contains("-static")),
                    // `go get -d`: download only, in every Go version (the
                    // golang:onbuild shape `go get -d -v ./... && go install
                    // -v ./...`): it writes no binary, like `go mod download`.
                    "d" if sub == "get" && matches!(inline, None | Some("true")) => return None,
                    _ => {}
                }
            }
            _ => c.packages.push(a),
        }
        k += 1;
    }
    Some(c)
}

/// The last element of an import path or folder, without a major version
/// suffix (`v2`, `v3`, …).
fn last_element(path: &str) -> Option<&str> {
    let mut parts = path.trim_end_matches('/').rsplit('/');
    let last = parts.next()?;
    let major = last.len() > 1
        && last.starts_with('v')
        && last[1..].bytes().all(|b| b.is_ascii_digit())
        && last != "v0"
        && last != "v1";
    let name = if major { parts.next()? } else { last };
    (!name.is_empty() && name != "." && name != "..").then_some(name)
}

/// The binary name of the single package `pkg` (`None`: the folder's own
/// package), built in `cwd` of a module whose go.mod says `module`.
pub(super) fn binary_name(pkg: Option<&str>, module: Option<&str>, cwd: &str) -> Option<String> {
    let name = match pkg {
        None | Some(".") | Some("./") => match module {
            Some(m) => last_element(m)?,
            None => last_element(cwd)?,
        },
        Some(p) if p.contains("...") || p.contains('\u{0}') || p.starts_with("../") => return None,
        Some(p) if p.ends_with(".go") => {
            // `go build main.go`: named after the first file.
            let file = p.rsplit('/').next()?;
            file.strip_suffix(".go")?
        }
        Some(p) => last_element(p.split('@').next()?)?,
    };
    Some(name.to_string())
}

/// The `major.minor` of a `golang` tag (`1.9-alpine` → (1, 9)); `None`
/// for `latest`, no tag or a tag without a version.
pub(super) fn tag_version(tag: Option<&str>) -> Option<(u32, u32)> {
    let v = tag?.split('-').next()?;
    let mut parts = v.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((major, minor))
}

/// The binary a `go build|install|get` writes, and whether the command
/// itself says it is static (`CGO_ENABLED=0` on it, `-extldflags -static`;
/// `None`: the ENV decides).
pub(super) fn go_output(
    f: &StageFacts,
    g: &GoCall,
    c: &SimpleCommand,
    at: usize,
    cd: bool,
) -> Result<(String, Option<bool>), String> {
    let static_ = if g.static_ldflags {
        Some(true)
    } else {
        assigned(c, "CGO_ENABLED").map(|v| v.as_deref() == Some("0"))
    };
    let mut cwd = f.cwd_at(at).ok_or_else(unknown_dir)?;
    if let Some(d) = g.dir {
        if d.contains('\u{0}') {
            return Err("`go -C` names a folder that is not literal".into());
        }
        cwd = join(&cwd, d).trim_end_matches('/').to_string();
    }
    if g.sub == "build" {
        return Ok((build_output(f, g, &cwd, cd)?, static_));
    }
    let bindir = install_dir(f, g, c, at)?;
    Ok((join(&bindir, &package_binary(f, g, &cwd)?), static_))
}

fn unknown_dir() -> String {
    "the binary's path is relative to an unknown folder".to_string()
}

/// The value the command `c` assigns to `key` (`VAR=value go build`):
/// `Some(None)` when it is not literal.
fn assigned(c: &SimpleCommand, key: &str) -> Option<Option<String>> {
    c.assignments.iter().rev().find_map(|a| {
        let (k, _) = a.raw.split_once('=')?;
        (k == key).then(|| {
            a.literal
                .as_deref()
                .and_then(|l| l.split_once('='))
                .map(|(_, v)| v.to_string())
        })
    })
}

/// The name of the binary of the package `g` builds in `cwd`.
fn package_binary(f: &StageFacts, g: &GoCall, cwd: &str) -> Result<String, String> {
    if g.packages.len() > 1 {
        return Err(format!(
            "`go {}` of several packages: which binary the program is, is unknown",
            g.sub
        ));
    }
    // go.mod names the module of the context's root, the folder a
    // `COPY . .` fills; `-C` builds another folder.
    let module = if g.dir.is_none() {
        f.go_module.as_deref()
    } else {
        None
    };
    // `go install ./...` writes a binary per main package into GOBIN,
    // each named after its folder: the root package's is the one a
    // CMD running that name starts (the check below compares them).
    let pkg = match g.packages.first().copied() {
        Some("./...") if g.sub != "build" => None,
        p => p,
    };
    binary_name(pkg, module, cwd).ok_or_else(|| {
        format!(
            "the name of the binary `go {}` writes is unknown (give it `-o FILE`)",
            g.sub
        )
    })
}

/// The binary `go build` writes in `cwd`: its `-o FILE` (into `-o DIR/`
/// named after the package), else named after the package.
fn build_output(f: &StageFacts, g: &GoCall, cwd: &str, cd: bool) -> Result<String, String> {
    // After a `cd` only an absolute, literal `-o FILE` is known
    // (`cd /src && go build -o /usr/local/bin/app .`).
    let absolute = g
        .out
        .is_some_and(|o| o.starts_with('/') && !o.contains('\u{0}') && !o.ends_with('/'));
    if cd && !absolute {
        return Err(unknown_dir());
    }
    match g.out {
        Some(o) if o.contains('\u{0}') => Err(
            "`go build -o` names a path that is not literal: the binary's path is unknown".into(),
        ),
        Some(o) if o.ends_with('/') => Ok(join(&join(cwd, o), &package_binary(f, g, cwd)?)),
        Some(o) => Ok(join(cwd, o)),
        None => Ok(join(cwd, &package_binary(f, g, cwd)?)),
    }
}

/// The folder `go install|get` writes its binary into: `$GOBIN`, else
/// `$GOPATH/bin` (set on the command `c` or by an ENV before RUN `at`),
/// else the image's GOPATH's.
fn install_dir(f: &StageFacts, g: &GoCall, c: &SimpleCommand, at: usize) -> Result<String, String> {
    let img = &f.doc.stages()[0].image;
    let golang = img.short_name() == "golang";
    if g.sub == "get" && !(golang && tag_version(img.tag.as_deref()).is_some_and(|v| v <= (1, 17)))
    {
        return Err(
            "`go get` installs no binary since Go 1.18 (the image's Go is newer or unknown): use \
             `go install PACKAGE@VERSION`"
                .into(),
        );
    }
    for key in ["GOOS", "GOARCH"] {
        if assigned(c, key).is_some() || f.env_before(at, key).is_some() {
            return Err(format!(
                "`go {}` with {key} set writes into a folder named after the target",
                g.sub
            ));
        }
    }
    let var = |key: &str| assigned(c, key).or_else(|| f.env_before(at, key));
    match (var("GOBIN"), var("GOPATH")) {
        (Some(Some(b)), _) if b.starts_with('/') => Ok(b),
        (Some(_), _) => Err("GOBIN is not a literal absolute path".into()),
        (None, Some(Some(p))) if p.starts_with('/') && !p.contains(':') => {
            Ok(join(p.trim_end_matches('/'), "bin"))
        }
        (None, Some(_)) => Err("GOPATH is not one literal absolute path".into()),
        (None, None) if golang => Ok("/go/bin".into()),
        (None, None) => {
            if f.instrs().iter().any(|i| i.keyword == Keyword::User) {
                return Err("GOPATH is the home folder of a USER dslim does not know".into());
            }
            Ok("/root/go/bin".into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_flags_and_packages_of_a_go_call() {
        let w = [
            "go",
            "build",
            "-C",
            "src",
            "-ldflags",
            "-s -w -extldflags \"-static\"",
            "-trimpath",
            "-o=bin/app",
            "./cmd/app",
        ];
        let c = go_call(&w).unwrap();
        assert_eq!(c.sub, "build");
        assert_eq!(c.dir, Some("src"));
        assert_eq!(c.out, Some("bin/app"));
        assert!(c.static_ldflags);
        assert_eq!(c.packages, ["./cmd/app"]);
        let c = go_call(&["go", "install", "-v", "-tags", "netgo", "."]).unwrap();
        assert_eq!((c.out, c.packages.as_slice()), (None, &["."][..]));
        assert!(!c.static_ldflags);
        assert!(go_call(&["go", "mod", "download"]).is_none());
        assert!(go_call(&["go", "get", "-d", "-v", "./..."]).is_none());
        assert!(go_call(&["go", "get", "-d=true", "./..."]).is_none());
        assert_eq!(go_call(&["go", "get", "-v", "./..."]).unwrap().sub, "get");
        assert_eq!(go_call(&["go", "get", "-d=false", "."]).unwrap().sub, "get");
        assert!(go_call(&["gofmt", "build"]).is_none());
    }

    #[test]
    fn names_the_binary_like_go_does() {
        let m = Some("github.com/acme/tool/v2");
        assert_eq!(binary_name(None, m, "/src").as_deref(), Some("tool"));
        assert_eq!(
            binary_name(Some("."), None, "/go/src/app").as_deref(),
            Some("app")
        );
        assert_eq!(
            binary_name(Some("./cmd/server"), m, "/src").as_deref(),
            Some("server")
        );
        assert_eq!(
            binary_name(Some("golang.org/x/tools/cmd/stringer@latest"), None, "/").as_deref(),
            Some("stringer")
        );
        assert_eq!(
            binary_name(Some("main.go"), m, "/src").as_deref(),
            Some("main")
        );
        assert_eq!(binary_name(Some("./..."), m, "/src"), None);
        assert_eq!(binary_name(None, None, "/"), None);
        assert_eq!(tag_version(Some("1.9-alpine")), Some((1, 9)));
        assert_eq!(tag_version(Some("latest")), None);
    }
}
