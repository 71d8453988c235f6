//! DS201 `multi-stage`: split a single-stage build into a builder stage and
//! a runtime stage that gets only what the program needs to run.
//!
//! Applied (unsafe): Go (`go build -o PATH`, on a `golang` image or on
//! Debian/Ubuntu with Debian's `golang-go`), Rust (`cargo build --release`
//! on a `rust` image or with Debian's `cargo`; the binary is the one the
//! CMD/ENTRYPOINT starts from cargo's `release` folder) and C-like builds
//! (`gcc|g++|clang … -o PATH` on Debian, Ubuntu or `gcc`) → the binary on
//! `scratch` when it is static (`CGO_ENABLED=0`, `-static`, a musl target;
//! with the CA bundle when the builder has one), else on the builder's own
//! release without the
//! compiler (`debian:bookworm` → `debian:bookworm-slim`, `golang:…-trixie` →
//! `debian:trixie-slim`, no release → `debian:stable-slim`: a binary needs
//! the glibc it was linked against or a newer one); Node (`npm|yarn|pnpm`
//! install + build scripts → the app folder, pruned of dev dependencies in
//! the builder, on the image's `-slim` variant). Advice only, with the
//! proposed Dockerfile in the message: Python (venv in the builder copied
//! to `-slim`) and Java (Maven/Gradle → the jar on a JRE image) — their
//! runtimes cannot be built and tested here yet.
//!
//! What apt installs stays in the builder, so a binary split is refused
//! (advice) when apt installs anything but build tools (`[builder]` in
//! `transforms/stages.toml`): the program might run it. `lib…-dev` packages
//! are fine for a static binary and refused for a dynamic one (the runtime
//! lacks the library).
//!
//! The runtime stage gets copies of ENV, EXPOSE, USER, WORKDIR, LABEL,
//! HEALTHCHECK, STOPSIGNAL, CMD and ENTRYPOINT in their order; CMD,
//! ENTRYPOINT, EXPOSE, HEALTHCHECK and STOPSIGNAL move (they mean nothing in
//! a builder). Stages are named `build` and `runtime` unless the FROM
//! already has a name. Recipes: `transforms/stages.toml`.
//!
//! Nothing changes (no finding) for files that are already multi-stage,
//! FROM with variables, or builds that are not recognised; a recognised
//! build with something the split would lose (a RUN after the build, a
//! shell-form CMD on `scratch`, a named USER the runtime lacks, a COPY
//! outside the app folder, apt packages the program may use) gets advice
//! instead.

use crate::edit::{self, Applicability, Edit, Fix};
use crate::finding::Finding;
use crate::shell::SimpleCommand;
use crate::syntax::{Document, ImageRef, Instruction, Keyword};
use crate::transform::{Context, FixAvailability, Meta, Transform};

use super::runedit;
use crate::model::Model;

pub struct MultiStage;

static META: Meta = Meta {
    code: "DS201",
    name: "multi-stage",
    summary: "Split a single-stage build into a builder and a small runtime stage",
    doc: include_str!("multi_stage.md"),
    fix: FixAvailability::Sometimes,
    safety: Applicability::Unsafe,
    aliases: &[],
};

/// Instructions the runtime stage gets a copy of.
fn carried(k: Keyword) -> bool {
    matches!(
        k,
        Keyword::Env
            | Keyword::Expose
            | Keyword::User
            | Keyword::Workdir
            | Keyword::Label
            | Keyword::Healthcheck
            | Keyword::Stopsignal
            | Keyword::Cmd
            | Keyword::Entrypoint
    )
}

/// Carried instructions that leave the builder.
fn moved(k: Keyword) -> bool {
    matches!(
        k,
        Keyword::Expose
            | Keyword::Healthcheck
            | Keyword::Stopsignal
            | Keyword::Cmd
            | Keyword::Entrypoint
    )
}

/// How a split is done.
struct Split {
    lang: &'static str,
    runtime_image: String,
    /// Lines right after the builder's FROM.
    builder_head: Vec<String>,
    /// Lines at the end of the builder.
    builder_tail: Vec<String>,
    /// Lines right after the runtime's FROM (before the carried ones).
    runtime_head: Vec<String>,
    /// Lines after the carried ones.
    runtime_tail: Vec<String>,
    applicability: Applicability,
    note: String,
}

/// What every recipe reads.
struct Facts<'d> {
    doc: &'d Document,
    from: usize,
    end: usize,
    model: &'d Model<'d>,
    /// The final WORKDIR when literal and absolute (`None`: none set, or not
    /// literal).
    workdir: Option<String>,
}

impl<'d> Facts<'d> {
    fn instrs(&self) -> &'d [Instruction] {
        &self.doc.instructions()[self.from + 1..self.end]
    }
    /// The index of `ins`, an element of the document's instructions: its
    /// offset in the slice, in constant time (a scan per RUN was quadratic).
    fn index(&self, ins: &Instruction) -> usize {
        let all = self.doc.instructions();
        let size = std::mem::size_of::<Instruction>();
        let k = (ins as *const Instruction as usize).wrapping_sub(all.as_ptr() as usize) / size;
        if all.get(k).is_some_and(|i| std::ptr::eq(i, ins)) {
            k
        } else {
            0
        }
    }
    fn runs(&self) -> impl Iterator<Item = &'d Instruction> + '_ {
        self.instrs().iter().filter(|i| i.keyword == Keyword::Run)
    }
    fn last(&self, k: Keyword) -> Option<&'d Instruction> {
        self.instrs().iter().rev().find(|i| i.keyword == k)
    }
    /// The literal absolute WORKDIR in force before instruction `at`.
    fn workdir_at(&self, at: usize) -> Option<String> {
        let mut wd: Option<String> = None;
        for i in &self.doc.instructions()[self.from + 1..at] {
            if i.keyword == Keyword::Workdir {
                let w = i.args_text().trim().to_string();
                if w.starts_with('/') && !w.contains('$') {
                    wd = Some(w.trim_end_matches('/').to_string());
                } else {
                    return None;
                }
            }
        }
        wd
    }
}

fn words(c: &SimpleCommand) -> Vec<&str> {
    c.words
        .iter()
        .map(|w| w.literal.as_deref().unwrap_or("\u{0}"))
        .collect()
}

fn join(dir: &str, p: &str) -> String {
    let p = p.strip_prefix("./").unwrap_or(p);
    if p.starts_with('/') {
        p.to_string()
    } else if dir.is_empty() || dir == "/" {
        format!("/{p}")
    } else {
        format!("{dir}/{p}")
    }
}

impl Transform for MultiStage {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn check(&self, doc: &Document, cx: &Context, out: &mut Vec<Finding>) {
        let [stage] = doc.stages() else {
            return;
        };
        if stage.image.has_variables() || stage.image.is_scratch() {
            return;
        }
        let instrs = doc.instructions();
        if instrs.iter().any(|i| {
            i.keyword == Keyword::Onbuild || i.flag("from").is_some() || i.keyword == Keyword::Shell
        }) {
            return;
        }
        let mut f = Facts {
            doc,
            from: stage.from,
            end: stage.instructions.end,
            model: cx.model(),
            workdir: None,
        };
        f.workdir = f.workdir_at(f.end);
        // Official images only: their variants (`-slim`) are known to exist.
        let official = stage.image.registry.is_none()
            && (!stage.image.name.contains('/') || stage.image.name.starts_with("library/"));
        if !official {
            return;
        }
        let base = stage.image.name.rsplit('/').next().unwrap_or("");
        let data = &cx.data().stages;
        let apt = apt_facts(&f, cx);
        let result = match base {
            "golang" => binary(&f, data, Lang::Go, &apt),
            // Debian's own `golang-go` or `cargo` package, or a C compiler.
            "debian" | "ubuntu" => [Lang::Go, Lang::Rust, Lang::C]
                .into_iter()
                .find_map(|l| binary(&f, data, l, &apt)),
            "gcc" => binary(&f, data, Lang::C, &apt),
            "node" => node(&f, data),
            "python" => python(&f, data),
            "rust" => binary(&f, data, Lang::Rust, &apt),
            "maven" | "gradle" | "openjdk" | "eclipse-temurin" | "amazoncorretto" => java(&f, data),
            _ => None,
        };
        let Some(result) = result else {
            return;
        };
        let from_ins = &instrs[stage.from];
        let span = from_ins.span.start..from_ins.span.start + from_ins.keyword_text().len();
        let split = match result {
            Err(why) => {
                out.push(Finding {
                    code: META.code,
                    name: META.name,
                    message: format!(
                        "a single-stage build ships its compilers and build caches; dslim cannot \
                         split this one: {why}"
                    ),
                    span,
                    fix: Some(Fix::display_only(Vec::new())),
                    saving_bytes: None,
                });
                return;
            }
            Ok(s) => s,
        };
        let edits = edits(&f, stage.name.as_deref(), &split);
        let mut message = format!(
            "a single-stage {} build ships its toolchain; build in a `build` stage and run on \
             `{}`{}",
            split.lang, split.runtime_image, split.note
        );
        if split.applicability == Applicability::DisplayOnly {
            if let Some(text) = edit::apply(doc.source(), &edits.iter().collect::<Vec<_>>()) {
                message.push_str(&format!(
                    " (advice: this runtime cannot be tested here). Proposed Dockerfile:\n{text}"
                ));
            }
        }
        out.push(Finding {
            code: META.code,
            name: META.name,
            message,
            span,
            fix: Some(Fix::new(edits, split.applicability).with_title(format!(
                "split into build and runtime stages ({})",
                split.lang
            ))),
            saving_bytes: None,
        });
    }
}

/// The edits of a split: name the builder, add its head and tail lines,
/// move the runtime-only instructions and append the runtime stage.
fn edits(f: &Facts, name: Option<&str>, s: &Split) -> Vec<Edit> {
    let doc = f.doc;
    let nl = doc.line_ending();
    let instrs = doc.instructions();
    let from = &instrs[f.from];
    let builder = name.unwrap_or("build").to_string();
    let runtime = if builder == "runtime" {
        "final"
    } else {
        "runtime"
    };
    let mut edits = Vec::new();
    if name.is_none() {
        edits.push(Edit::insert(from.args_span().end, format!(" AS {builder}")));
    }
    if !s.builder_head.is_empty() {
        let mut t = String::new();
        if !doc.text(from.span.clone()).ends_with('\n') {
            t.push_str(nl);
        }
        for l in &s.builder_head {
            t.push_str(&l.replace("{build}", &builder));
            t.push_str(nl);
        }
        edits.push(Edit::insert(from.span.end, t));
    }
    let mut carried_text = String::new();
    for ins in f.instrs() {
        if !carried(ins.keyword) {
            continue;
        }
        let t = doc.text(ins.span.clone());
        carried_text.push_str(t.trim_start());
        if !t.ends_with('\n') {
            carried_text.push_str(nl);
        }
        if moved(ins.keyword) {
            edits.push(Edit::delete(ins.span.clone()));
        }
    }
    // The builder's tail goes after its last RUN (same USER as the build).
    if !s.builder_tail.is_empty() {
        let last_run = f.runs().last().expect("a recipe with a tail has a RUN");
        let mut t = String::new();
        if !doc.text(last_run.span.clone()).ends_with('\n') {
            t.push_str(nl);
        }
        for l in &s.builder_tail {
            t.push_str(l);
            t.push_str(nl);
        }
        edits.push(Edit::insert(last_run.span.end, t));
    }
    let end = doc.source().len();
    let mut t = String::new();
    // A last line without a newline: unless it moves away, end it.
    let last_moves = instrs.last().is_some_and(|i| {
        moved(i.keyword) && i.span.end == end && doc.text(i.span.clone()).lines().count() == 1
    });
    if !doc.source().ends_with('\n') && !last_moves {
        t.push_str(nl);
    }
    t.push_str(nl);
    t.push_str(&format!("FROM {} AS {runtime}{nl}", s.runtime_image));
    for l in &s.runtime_head {
        t.push_str(&l.replace("{build}", &builder));
        t.push_str(nl);
    }
    t.push_str(&carried_text);
    for l in &s.runtime_tail {
        t.push_str(&l.replace("{build}", &builder));
        t.push_str(nl);
    }
    edits.push(Edit::insert(end, t));
    edits
}

/// Exec-form CMD/ENTRYPOINT, all of them; the program they start.
fn program(f: &Facts) -> Result<Option<String>, String> {
    let mut prog = None;
    for k in [Keyword::Cmd, Keyword::Entrypoint] {
        if let Some(i) = f.last(k) {
            if !i.is_exec_form() {
                return Err(format!(
                    "the shell-form {} needs a shell the runtime image lacks",
                    i.keyword_text()
                ));
            }
        }
    }
    if let Some(i) = f.last(Keyword::Entrypoint).or_else(|| f.last(Keyword::Cmd)) {
        prog = i.values().first().cloned();
    }
    Ok(prog)
}

/// A `USER` the runtime can have without `/etc/passwd`: numeric.
fn numeric_user(f: &Facts) -> bool {
    f.instrs()
        .iter()
        .filter(|i| i.keyword == Keyword::User)
        .all(|i| {
            i.args_text()
                .trim()
                .split(':')
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        })
}

/// A USER other than root given by name: the slim runtime has no such
/// account, since the builder's `useradd` does not travel with the binary.
fn named_non_root_user(f: &Facts) -> bool {
    !numeric_user(f)
        && f.instrs()
            .iter()
            .any(|i| i.keyword == Keyword::User && !i.args_text().trim().starts_with("root"))
}

/// What the stage's `apt-get install`s say about the builder.
#[derive(Default)]
struct AptFacts {
    /// Package names as written, without `=version`.
    packages: Vec<String>,
    /// An install without `--no-install-recommends`: more packages than the
    /// listed ones may be there.
    recommends: bool,
    /// An apt call dslim cannot read (`$PKGS`, a RUN it cannot parse).
    opaque: bool,
}

impl AptFacts {
    fn installs(&self, package: &str) -> bool {
        self.packages.iter().any(|p| p == package)
    }
    /// A library's `-dev` package other than libc's: the binary may link the
    /// library, which a runtime image without the package lacks.
    fn dev_library(&self) -> Option<&str> {
        self.packages
            .iter()
            .map(String::as_str)
            .find(|p| p.starts_with("lib") && p.ends_with("-dev") && *p != "libc6-dev")
    }
}

fn apt_facts(f: &Facts, cx: &Context) -> AptFacts {
    let mut facts = AptFacts::default();
    let Some(apt) = cx.data().manager("apt") else {
        return facts;
    };
    let no_recommends = apt.flags.get("no-recommends");
    for ins in f.runs() {
        let text = &ins.logical.text;
        let other_installer = [
            "aptitude",
            "dpkg -i",
            "dpkg --install",
            "build-dep",
            "gdebi",
        ]
        .iter()
        .any(|w| text.contains(w));
        let in_heredoc = ins.heredocs.iter().any(|h| {
            let b = f.doc.text(h.body.clone());
            b.contains("apt") || b.contains("dpkg")
        });
        if other_installer || in_heredoc {
            facts.opaque = true;
            continue;
        }
        if !text.contains("apt") {
            continue;
        }
        let Some(script) = f.model.script(f.index(ins)) else {
            facts.opaque = true;
            continue;
        };
        for call in runedit::find_calls(script, apt) {
            if !call
                .sub
                .as_deref()
                .is_some_and(|s| apt.install.iter().any(|x| x == s))
            {
                continue;
            }
            match runedit::install_packages(script, &call, apt) {
                Some(p) => facts.packages.extend(
                    p.into_iter()
                        .map(|p| p.split('=').next().unwrap_or_default().to_string()),
                ),
                None => facts.opaque = true,
            }
            facts.recommends |= !no_recommends
                .is_some_and(|flag| runedit::has_flag(&script.commands[call.command], &call, flag));
        }
    }
    facts
}

/// Debian releases a `golang:…-<codename>` or `gcc` tag may name.
const DEBIAN_CODENAMES: &[&str] = &["buster", "bullseye", "bookworm", "trixie", "forky"];

/// The glibc runtime for a binary built on `img`: the same distribution
/// release without the compiler, so the binary finds the glibc it was
/// linked against (glibc runs older binaries, not newer ones).
fn glibc_runtime(img: &ImageRef, r: &crate::data::BinaryRecipe) -> Option<String> {
    // A digest pins an image whose release dslim cannot tell.
    if img.digest.is_some() {
        return None;
    }
    let tag = img.tag.as_deref();
    Some(match img.short_name() {
        "debian" => match tag {
            None | Some("latest") => "debian:stable-slim".into(),
            // No slim variants are published for these suites.
            Some("experimental" | "rc-buggy") => return None,
            Some(t) if t.contains("slim") => format!("debian:{t}"),
            Some(t) => format!("debian:{}-slim", t.trim_end_matches("-backports")),
        },
        // Ubuntu publishes no slim variant; its base is already small.
        "ubuntu" => img.text.clone(),
        _ => tag
            .and_then(|t| {
                t.split('-')
                    .find(|part| DEBIAN_CODENAMES.contains(part))
                    .map(|c| format!("debian:{c}-slim"))
            })
            .unwrap_or_else(|| r.dynamic_runtime.clone()),
    })
}

/// Compiled languages whose binary is copied to the runtime.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lang {
    Go,
    /// `gcc|cc|g++|c++|clang|clang++ … -o FILE` on a Debian/Ubuntu/gcc image.
    C,
    /// `cargo build --release`, on a `rust` image or with Debian's `cargo`.
    Rust,
}

impl Lang {
    fn name(self) -> &'static str {
        match self {
            Lang::Go => "Go",
            Lang::C => "C",
            Lang::Rust => "Rust",
        }
    }
}

const C_COMPILERS: &[&str] = &["gcc", "cc", "g++", "c++", "clang", "clang++"];
/// Libraries every glibc runtime has.
const C_BASE_LIBS: &[&str] = &["-lm", "-lc", "-lpthread", "-ldl", "-lrt"];

/// Whether `w` compiles, and whether it links statically.
fn compile_call(lang: Lang, w: &[&str]) -> bool {
    match lang {
        Lang::Go => w.first() == Some(&"go") && w.get(1) == Some(&"build"),
        Lang::C => w.first().is_some_and(|c| C_COMPILERS.contains(c)),
        Lang::Rust => w.first() == Some(&"cargo") && w.get(1) == Some(&"build"),
    }
}

/// The binary a `cargo build` made, as the CMD/ENTRYPOINT names it: cargo
/// writes to `<target-dir>/[<triple>/]release/`, where the target dir
/// depends on workspaces, `--manifest-path` and `CARGO_TARGET_DIR`, so the
/// path the program is started from is the one to trust (the original image
/// works only if the binary is there). `Ok((path, static))`.
fn cargo_binary(f: &Facts, w: &[&str]) -> Result<(String, bool), String> {
    let release = w.iter().enumerate().any(|(k, a)| {
        matches!(*a, "--release" | "-r" | "--profile=release")
            || *a == "--profile" && w.get(k + 1) == Some(&"release")
    });
    if !release {
        return Err("`cargo build` without `--release`".into());
    }
    let triple = w.iter().enumerate().find_map(|(k, a)| {
        if *a == "--target" {
            w.get(k + 1).copied()
        } else {
            a.strip_prefix("--target=")
        }
    });
    let prog = match program(f)? {
        Some(p) => p,
        None => return Err("no CMD or ENTRYPOINT runs the binary".into()),
    };
    let path = if prog.starts_with('/') {
        prog.clone()
    } else if prog.contains('/') {
        match &f.workdir {
            Some(w) => join(w, &prog),
            None => return Err("the binary's path is relative to an unknown folder".into()),
        }
    } else {
        return Err(format!(
            "the CMD/ENTRYPOINT runs `{prog}` by name, not a binary `cargo build` wrote"
        ));
    };
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    let in_release = match triple {
        Some(t) => dir.ends_with(&format!("/{t}/release")),
        None => dir.ends_with("/release"),
    };
    if !in_release {
        return Err(format!(
            "the CMD/ENTRYPOINT runs `{prog}`, not a binary in cargo's `release` folder"
        ));
    }
    Ok((path, triple.is_some_and(|t| t.contains("musl"))))
}

/// A compiled program: the binary, not the toolchain, goes to the runtime.
fn binary(
    f: &Facts,
    data: &crate::data::Stages,
    lang: Lang,
    apt: &AptFacts,
) -> Option<Result<Split, String>> {
    let r = &data.binary;
    let mut extra_libs = false;
    // The RUN with `go build -o PATH`.
    let mut found = None;
    for ins in f.runs() {
        let i = f.index(ins);
        let Some(script) = f.model.script(i) else {
            for (l, cmd) in [(Lang::Go, "go build"), (Lang::Rust, "cargo build")] {
                if lang == l && ins.logical.text.contains(cmd) {
                    return Some(Err(format!("the RUN with `{cmd}` cannot be read")));
                }
            }
            continue;
        };
        for c in &script.commands {
            let w = words(c);
            if compile_call(lang, &w) {
                if lang == Lang::C && !w.contains(&"-o") {
                    continue; // an object file, or a.out
                }
                // `-lfoo` (not Go's `-ldflags`).
                extra_libs |= lang == Lang::C
                    && w.iter()
                        .any(|a| a.starts_with("-l") && !C_BASE_LIBS.contains(a));
                if lang == Lang::Rust {
                    match cargo_binary(f, &w) {
                        // An absolute path: `cd` in the RUN does not matter.
                        Ok((path, static_)) => found = Some((i, Some(path), false, Some(static_))),
                        Err(e) => return Some(Err(e)),
                    }
                    continue;
                }
                let out = w.iter().enumerate().find_map(|(k, a)| {
                    if *a == "-o" {
                        w.get(k + 1).map(|s| s.to_string())
                    } else {
                        a.strip_prefix("-o=").map(str::to_string)
                    }
                });
                let cd = script.commands.iter().any(|c| c.name() == Some("cd"));
                // Whether the command itself says the binary is static; for
                // Go `None` (no `CGO_ENABLED=…` on it) falls back to the ENV.
                let static_ = match lang {
                    Lang::Go => c
                        .assignments
                        .iter()
                        .filter_map(|a| a.literal.as_deref())
                        .rev()
                        .find_map(|a| a.strip_prefix("CGO_ENABLED="))
                        .map(|v| v == "0"),
                    Lang::C => Some(w.contains(&"-static")),
                    Lang::Rust => Some(false),
                };
                found = Some((i, out, cd, static_));
            }
        }
    }
    let (at, out, cd, static_here) = found?;
    let Some(out) = out.filter(|o| !o.contains('\u{0}') && !o.ends_with('/')) else {
        return Some(Err(
            "the compiler has no literal `-o FILE`: the binary's path is unknown".into(),
        ));
    };
    let bin = if out.starts_with('/') {
        out.clone()
    } else {
        match f.workdir_at(at) {
            Some(w) if !cd => join(&w, &out),
            _ => {
                return Some(Err(
                    "the binary's path is relative to an unknown folder".into()
                ))
            }
        }
    };
    if f.runs().any(|r| f.index(r) > at) {
        return Some(Err(
            "a RUN after the build changes the image the binary may need".into(),
        ));
    }
    let build_run = &f.doc.instructions()[at];
    let mount_wd = f.workdir_at(at).unwrap_or_else(|| "/".into());
    if runedit::mount_targets(build_run)
        .iter()
        .map(|t| join(&mount_wd, t))
        .any(|t| bin == t || bin.starts_with(&format!("{}/", t.trim_end_matches('/'))))
    {
        return Some(Err(
            "the binary is written into a RUN --mount, which the image does not keep".into(),
        ));
    }
    let prog = match program(f) {
        Ok(Some(p)) => p,
        Ok(None) => return Some(Err("no CMD or ENTRYPOINT runs the binary".into())),
        Err(e) => return Some(Err(e)),
    };
    let runs_bin = if prog.contains('/') {
        join(f.workdir.as_deref().unwrap_or("/"), &prog) == bin
    } else {
        let (dir, name) = bin.rsplit_once('/').unwrap_or(("", &bin));
        name == prog && r.path_dirs.iter().any(|d| d == dir)
    };
    if !runs_bin {
        return Some(Err(format!(
            "the CMD/ENTRYPOINT runs `{prog}`, not the built `{bin}`"
        )));
    }
    // CGO_ENABLED: set on the build command, else the last ENV before it.
    let env_cgo_off = || {
        f.instrs()[..at - f.from - 1]
            .iter()
            .rev()
            .filter(|i| i.keyword == Keyword::Env)
            .find_map(|i| {
                i.pairs()
                    .iter()
                    .rev()
                    .find(|(k, _)| k == "CGO_ENABLED")
                    .map(|(_, v)| v.as_deref().map(str::trim) == Some("0"))
            })
            .unwrap_or(false)
    };
    let cgo_off = static_here.unwrap_or_else(env_cgo_off);
    // What apt installs stays in the builder: only build tools may.
    if apt.opaque {
        return Some(Err(
            "an apt install dslim cannot read may add what the program needs at run time".into(),
        ));
    }
    let builder = &data.builder;
    if let Some(p) = apt
        .packages
        .iter()
        .find(|p| !(builder.only_builds(p) || p.starts_with("lib") && p.ends_with("-dev")))
    {
        return Some(Err(format!(
            "apt installs `{p}` in the builder, which the runtime would lack (only build tools \
             stay behind: `[builder] packages` in transforms/stages.toml)"
        )));
    }
    if f.last(Keyword::Healthcheck)
        .is_some_and(|h| !h.args_text().trim().eq_ignore_ascii_case("none"))
    {
        return Some(Err(
            "the HEALTHCHECK may need programs of the builder the runtime lacks".into(),
        ));
    }
    let img = &f.doc.stages()[0].image;
    if lang == Lang::Rust && !cgo_off && img.short_name() == "rust" {
        return Some(Err(format!(
            "the `{}` image has -dev libraries (OpenSSL, libpq, …) crates may link, which a slim \
             runtime lacks; build for a musl target, or on Debian installing only what is needed",
            img.short_name()
        )));
    }
    let has_certificates = r.certificate_images.iter().any(|i| i == img.short_name());
    let alpine = img.tag.as_deref().is_some_and(|t| t.contains("alpine"));
    let mut head = Vec::new();
    let mut note = String::new();
    // A program's HTTPS calls need the CA bundle, which `scratch` and the
    // slim images lack: copy the builder's. The golang/rust/gcc images have
    // one; a Debian or Ubuntu builder only when apt installs
    // `ca-certificates` (with recommended packages it may come along:
    // `apt-cache depends --recurse` on bookworm shows none of the build
    // tools of `[builder]` depending on it, but most recommending it).
    let mut cert_note = "";
    if has_certificates || apt.installs("ca-certificates") {
        head.push(format!(
            "COPY --from={{build}} {} {}",
            r.certificates, r.certificates
        ));
    } else if apt.recommends && lang != Lang::C {
        // (A C program reaches TLS only through a library it links, which
        // `-l…` and `lib…-dev` already refuse.)
        return Some(Err(
            "the builder may have a CA bundle from packages apt installs as \
             recommendations; install `ca-certificates` explicitly (dslim then copies \
             it) or add `--no-install-recommends`"
                .into(),
        ));
    } else {
        cert_note = "; the builder has no CA bundle, so none is copied";
    }

    let (image, note) = if cgo_off {
        if f.last(Keyword::Healthcheck)
            .is_some_and(|h| !h.args_text().trim().eq_ignore_ascii_case("none"))
        {
            return Some(Err(
                "the HEALTHCHECK needs programs a `scratch` runtime lacks".into(),
            ));
        }
        if !numeric_user(f) {
            return Some(Err(
                "a named USER does not exist in a `scratch` runtime (use a numeric uid)".into(),
            ));
        }
        note.push_str(match lang {
            Lang::Go => " (static binary: CGO_ENABLED=0",
            Lang::C => " (static binary: -static",
            Lang::Rust => " (static binary: musl target",
        });
        note.push_str(cert_note);
        note.push(')');
        (r.static_runtime.clone(), note)
    } else {
        if alpine {
            return Some(Err(match lang {
                Lang::Go => "a cgo binary built on Alpine needs musl; set CGO_ENABLED=0",
                _ => "a binary built on Alpine needs musl, which a Debian runtime lacks",
            }
            .into()));
        }
        if extra_libs {
            return Some(Err(
                "the binary links libraries (`-l…`) the slim runtime may lack".into(),
            ));
        }
        if let Some(dev) = apt.dev_library() {
            return Some(Err(format!(
                "the binary may link a library apt installs in the builder (`{dev}`), which \
                 the runtime lacks"
            )));
        }
        if named_non_root_user(f) {
            return Some(Err(
                "a named USER does not exist in the runtime image".into()
            ));
        }
        let Some(image) = glibc_runtime(img, r) else {
            return Some(Err(format!(
                "no slim image of the builder's release (`{}`) is known",
                img.text
            )));
        };
        note.push_str(match lang {
            Lang::Go => " (cgo may be on: glibc runtime; set CGO_ENABLED=0 for `scratch`",
            Lang::C => " (glibc runtime without the compiler",
            Lang::Rust => " (glibc runtime without the toolchain",
        });
        note.push_str(cert_note);
        note.push(')');
        (image, note)
    };
    head.push(format!("COPY --from={{build}} {bin} {bin}"));
    Some(Ok(Split {
        lang: lang.name(),
        runtime_image: image,
        builder_head: Vec::new(),
        builder_tail: Vec::new(),
        runtime_head: head,
        runtime_tail: Vec::new(),
        applicability: Applicability::Unsafe,
        note,
    }))
}

/// The package manager of a Node install or script command.
fn node_cmd(c: &SimpleCommand) -> Option<(&'static str, bool)> {
    let w = words(c);
    let tool = match *w.first()? {
        "npm" => "npm",
        "yarn" => "yarn",
        "pnpm" => "pnpm",
        _ => return None,
    };
    let sub = w.get(1).copied();
    let install = match (tool, sub) {
        ("npm", Some("ci" | "install" | "i")) => {
            w.len() == 2 || w[2..].iter().all(|a| a.starts_with('-'))
        }
        ("yarn", None) => true,
        ("yarn", Some(s)) if s == "install" || s.starts_with('-') => true,
        ("pnpm", Some("install" | "i")) => true,
        _ => false,
    };
    if install {
        return Some((tool, true));
    }
    let script = matches!(
        (tool, sub),
        (_, Some("run" | "run-script" | "cache" | "store")) | ("yarn" | "pnpm", Some("build"))
    );
    script.then_some((tool, false))
}

fn node(f: &Facts, data: &crate::data::Stages) -> Option<Result<Split, String>> {
    let r = &data.node;
    let img = &f.doc.stages()[0].image;
    let mut manager = None;
    let mut other_run = None;
    for ins in f.runs() {
        let i = f.index(ins);
        let Some(script) = f.model.script(i) else {
            other_run = Some("a RUN that cannot be read".to_string());
            continue;
        };
        for c in &script.commands {
            match node_cmd(c) {
                Some((tool, true)) => {
                    manager.get_or_insert(tool);
                }
                Some(_) => {}
                None => {
                    other_run.get_or_insert_with(|| {
                        format!(
                            "`{}` in a RUN may put files outside the app folder",
                            c.name().unwrap_or("a command")
                        )
                    });
                }
            }
        }
    }
    let manager = manager?;
    if let Some(t) = img.tag.as_deref() {
        if t.contains("alpine") || t.contains("slim") {
            return None; // already a small base: DS201 has little to gain
        }
    }
    if let Some(why) = other_run {
        return Some(Err(why));
    }
    let Some(wd) = f.workdir.clone().filter(|w| w != "/") else {
        return Some(Err("no WORKDIR: the app folder is unknown".into()));
    };
    let mut chown: Option<String> = None;
    for ins in f.instrs() {
        if !matches!(ins.keyword, Keyword::Copy | Keyword::Add) {
            continue;
        }
        let (_, dst) = ins.copy_parts()?;
        let at = f.index(ins);
        let target = match f.workdir_at(at) {
            Some(w) => join(&w, dst),
            None if dst.starts_with('/') => dst.to_string(),
            None => return Some(Err("a COPY into an unknown folder".into())),
        };
        if !(target == wd || target.starts_with(&format!("{wd}/"))) {
            return Some(Err(format!(
                "`{}` copies outside the app folder {wd}",
                ins.keyword_text()
            )));
        }
        if let Some(c) = ins.flag("chown") {
            if chown.as_ref().is_some_and(|x| x != &c.text) {
                return Some(Err("COPY instructions with different --chown".into()));
            }
            chown = Some(c.text.clone());
        }
    }
    if let Some(u) = f.last(Keyword::User) {
        if chown.is_none() && !u.args_text().trim().starts_with("root") {
            return Some(Err(
                "a USER other than root may need to own files the runtime copy gives to root"
                    .into(),
            ));
        }
    }
    let prune = r.prune.get(manager)?.clone();
    let tag = match img.tag.as_deref() {
        Some(t) => format!("{t}{}", r.runtime_suffix),
        None => r.runtime_suffix.trim_start_matches('-').to_string(),
    };
    let name = match &img.registry {
        Some(reg) => format!("{reg}/{}", img.name),
        None => img.name.clone(),
    };
    let flag = chown.map(|c| format!(" {c}")).unwrap_or_default();
    Some(Ok(Split {
        lang: "Node",
        runtime_image: format!("{name}:{tag}"),
        builder_head: Vec::new(),
        builder_tail: vec![format!("RUN {prune}")],
        runtime_head: vec![format!("COPY --from={{build}}{flag} {wd} {wd}")],
        runtime_tail: Vec::new(),
        applicability: Applicability::Unsafe,
        note: format!(" with production dependencies only (`{prune}` in the builder)"),
    }))
}

fn python(f: &Facts, data: &crate::data::Stages) -> Option<Result<Split, String>> {
    let r = &data.python;
    let img = &f.doc.stages()[0].image;
    let pip = f.runs().any(|i| {
        let t = &i.logical.text;
        t.contains("pip install") || t.contains("pip3 install")
    });
    if !pip
        || img
            .tag
            .as_deref()
            .is_some_and(|t| t.contains("slim") || t.contains("alpine"))
    {
        return None;
    }
    let Some(wd) = f.workdir.clone().filter(|w| w != "/") else {
        return Some(Err("no WORKDIR: the app folder is unknown".into()));
    };
    let tag = match img.tag.as_deref() {
        Some(t) => format!("{t}{}", r.runtime_suffix),
        None => r.runtime_suffix.trim_start_matches('-').to_string(),
    };
    let venv = &r.venv;
    Some(Ok(Split {
        lang: "Python",
        runtime_image: format!("{}:{tag}", img.name),
        builder_head: vec![
            format!("RUN python -m venv {venv}"),
            format!("ENV PATH=\"{venv}/bin:$PATH\""),
        ],
        builder_tail: Vec::new(),
        runtime_head: vec![
            format!("COPY --from={{build}} {venv} {venv}"),
            format!("ENV PATH=\"{venv}/bin:$PATH\""),
            format!("COPY --from={{build}} {wd} {wd}"),
        ],
        runtime_tail: Vec::new(),
        applicability: Applicability::DisplayOnly,
        note: " (dependencies in a venv copied to the slim image)".into(),
    }))
}

fn java(f: &Facts, data: &crate::data::Stages) -> Option<Result<Split, String>> {
    let text = |s: &str| f.runs().any(|i| i.logical.text.contains(s));
    let jar = if text("mvn") && (text("package") || text("install")) {
        "target/*.jar"
    } else if text("gradle") && (text("build") || text("bootJar") || text("jar")) {
        "build/libs/*.jar"
    } else {
        return None;
    };
    let Some(wd) = f.workdir.clone() else {
        return Some(Err("no WORKDIR: the build folder is unknown".into()));
    };
    Some(Ok(Split {
        lang: "Java",
        runtime_image: data.java.runtime.clone(),
        builder_head: Vec::new(),
        builder_tail: Vec::new(),
        runtime_head: vec![format!("COPY --from={{build}} {wd}/{jar} /app/app.jar")],
        runtime_tail: Vec::new(),
        applicability: Applicability::DisplayOnly,
        note: " (adjust CMD to `java -jar /app/app.jar`)".into(),
    }))
}
