//! The plan for one install: which manifests to copy first, and whether that
//! is safe, unsafe or only advice, from the build context and the hints.

use super::*;

/// Where the manifests go, relative to the install's working directory.
pub(super) fn dest_for(doc: &Document, copy: usize, dst: &str) -> Option<String> {
    let d = dst.trim();
    if d == "." || d == "./" {
        return Some("./".into());
    }
    if !d.starts_with('/') || d.contains('$') {
        return None;
    }
    let stage = doc.stage_of(copy)?;
    let wd = doc.instructions()[stage.instructions.start..copy]
        .iter()
        .rev()
        .find(|i| i.keyword == Keyword::Workdir)?;
    let w = wd.args_text().trim();
    (w.starts_with('/') && !w.contains('$') && w.trim_end_matches('/') == d.trim_end_matches('/'))
        .then(|| format!("{}/", d.trim_end_matches('/')))
}

/// What the manifests of an install are, as far as they can be known.
pub(super) struct Plan {
    /// Context-relative paths (globs allowed).
    pub(super) manifests: Vec<String>,
    /// Every manifest is known to exist.
    pub(super) known: bool,
    /// A folder the install creates in the source tree.
    pub(super) creates: Option<String>,
    /// Why the fix cannot be applied (advice only).
    pub(super) blocked: Option<String>,
    /// Why the fix is unsafe although everything else is known.
    pub(super) always_unsafe: Option<String>,
}

pub(super) fn plan(ins: &[Install<'_>], hint: Option<&Info>, ctx: Option<&Info>) -> Plan {
    let mut p = Plan {
        manifests: Vec::new(),
        known: true,
        creates: None,
        blocked: None,
        always_unsafe: None,
    };
    for i in ins {
        if let Some(why) = &i.needs_sources {
            p.blocked = Some(why.clone());
        }
        match i.eco {
            Eco::Project { table, .. } if !table.file_options.is_empty() => {
                named_files(&mut p, &i.named, hint, ctx)
            }
            Eco::Project { table, ecosystem } => {
                p.project(table, ecosystem, i.ignore_scripts, hint, ctx)
            }
            Eco::Go => {
                if hint.and_then(Info::go_mod).is_some_and(|g| g.local_replace) {
                    p.blocked = Some("go.mod replaces a module with a local folder".into());
                }
                p.add(ctx, &["go.mod", "go.sum"], &["go.*"]);
            }
            Eco::Cargo => {
                p.blocked = Some(
                    "`cargo fetch` needs a source tree (copy Cargo.toml, Cargo.lock and a stub \
                     `src/main.rs`, or use cargo-chef)"
                        .into(),
                );
            }
            Eco::Bundle => p.bundle(hint, ctx),
            Eco::Composer => p.composer(hint, ctx),
            Eco::Maven => {
                if hint.and_then(Info::maven_modules) == Some(true) {
                    p.blocked = Some("a multi-module build needs every module's pom.xml".into());
                }
                p.add(ctx, &["pom.xml"], &["pom.xml"]);
            }
        }
    }
    p
}

impl Plan {
    /// Adds the manifests: `present` (`present[0]` is the manifest itself;
    /// the others are copied when the context has them) when the context
    /// has the manifest, else the `fallback` globs (not known).
    fn add(&mut self, ctx: Option<&Info>, present: &[&str], fallback: &[&str]) {
        match ctx {
            Some(c) if c.exists(present[0]) => {
                for m in present {
                    if c.exists(m) && !self.manifests.iter().any(|x| x == m) {
                        self.manifests.push(m.to_string());
                    }
                }
            }
            _ => {
                self.known = false;
                for f in fallback {
                    if !self.manifests.iter().any(|x| x == f) {
                        self.manifests.push(f.to_string());
                    }
                }
            }
        }
    }

    /// A manager with a `[<manager>.project]` table (npm, yarn, pnpm, pip).
    fn project(
        &mut self,
        table: &ProjectInstall,
        ecosystem: Option<&str>,
        ignore_scripts: bool,
        hint: Option<&Info>,
        ctx: Option<&Info>,
    ) {
        if table.creates.is_some() {
            self.creates = table.creates.clone();
        }
        if ecosystem == Some("node") {
            if let Some(why) = package_json_blocks(hint, ignore_scripts) {
                self.blocked = Some(why);
            }
        }
        let present: Vec<&str> = table.manifests.iter().map(String::as_str).collect();
        let fallback: Vec<&str> = table.fallback.iter().map(String::as_str).collect();
        if !present.is_empty() {
            self.add(ctx, &present, &fallback);
        }
        for (path, why) in &table.not_copied {
            if ctx.is_some_and(|c| c.exists(path)) {
                self.always_unsafe = Some(why.clone());
            }
        }
    }

    fn bundle(&mut self, hint: Option<&Info>, ctx: Option<&Info>) {
        if hint
            .and_then(|h| h.text("Gemfile"))
            .is_some_and(|t| t.lines().any(|l| l.trim_start().starts_with("gemspec")))
        {
            self.blocked = Some("the Gemfile reads a gemspec from the sources".into());
        }
        self.add(ctx, &["Gemfile", "Gemfile.lock"], &["Gemfile*"]);
    }

    fn composer(&mut self, hint: Option<&Info>, ctx: Option<&Info>) {
        self.creates = Some("vendor".into());
        self.always_unsafe =
            Some("composer install runs scripts and builds the autoloader from the sources".into());
        if hint
            .and_then(|h| h.text("composer.json"))
            .is_some_and(|t| t.contains("\"scripts\""))
        {
            self.blocked = Some("composer.json has scripts that may need the sources".into());
        }
        self.add(ctx, &["composer.json", "composer.lock"], &["composer.*"]);
    }
}

/// Why package.json keeps the install after the sources: lifecycle scripts
/// the install runs (unless `--ignore-scripts`), or workspaces.
fn package_json_blocks(hint: Option<&Info>, ignore_scripts: bool) -> Option<String> {
    let pj = hint.and_then(Info::package_json)?;
    if pj.workspaces {
        return Some("a workspace install needs every package's manifest".into());
    }
    let scripts = pj.lifecycle_scripts();
    (!scripts.is_empty() && !ignore_scripts).then(|| {
        format!(
            "package.json has lifecycle scripts ({}) that the install runs and that may need \
             the sources",
            scripts.join(", ")
        )
    })
}

/// The requirement files an install names (`pip install -r FILE`): each is
/// a manifest, read from the explicit context to be known.
fn named_files(p: &mut Plan, named: &[String], hint: Option<&Info>, ctx: Option<&Info>) {
    for f in named {
        if f.contains("..") || f.starts_with('/') || f.contains('$') {
            p.blocked = Some(format!("`{f}` is outside the context"));
            continue;
        }
        if !p.manifests.contains(f) {
            p.manifests.push(f.clone());
        }
        // Safe only when read from the explicit context: a file that names
        // other files of the context breaks the build once only the
        // manifest is copied.
        let read = ctx.and_then(|c| c.requirements(f));
        if read.is_none() {
            p.known = false;
        }
        if let Some(text) = read.or_else(|| hint.and_then(|h| h.requirements(f))) {
            if let Some(why) = requirements_reference(f, &text) {
                p.blocked = Some(why);
            }
        }
    }
}
