//! Java: `javac` + `jar`, Maven or Gradle builds; the jar on a JRE of the
//! builder's Java major.
//!
//! The runtime gets the jar at the path the builder wrote it, and the
//! WORKDIR is carried, so the CMD/ENTRYPOINT (`java -jar …`, relative or
//! absolute) stays valid unchanged. The fix is unsafe only when the jar's
//! path is certain: the `jar` tool's `--file`/`f` argument, or Maven's
//! literal `<finalName>` in the context's pom.xml; Maven without one and
//! Gradle (`build/libs/*.jar` may match several jars, their names come from
//! the build script) get the proposed Dockerfile as advice.

use crate::edit::Applicability;
use crate::syntax::{ImageRef, Keyword};

use super::facts::{named_non_root_user, AptFacts};
use super::{has_cd, join, words, written_path, Split, StageFacts};

/// How the build writes its jar.
enum Jar {
    /// The literal path (`jar --create --file app.jar`, Maven's finalName).
    Certain(String),
    /// A folder the jar lands in, and why its name is not known.
    Folder(String, String),
}

pub(super) fn java(
    f: &StageFacts,
    data: &crate::data::Stages,
    apt: &AptFacts,
) -> Option<Result<Split, String>> {
    let r = &data.java;
    let (at, jar) = match built_jar(f)? {
        Ok(x) => x,
        Err(e) => return Some(Err(e)),
    };
    let img = &f.doc.stages()[0].image;
    let Some(major) = java_major(img) else {
        return Some(Err(format!(
            "the Java version of `{}` is not in its tag, so the JRE of the same major is unknown",
            img.text
        )));
    };
    if let Some(why) = refusal(f, data, apt, at, major) {
        return Some(Err(why));
    }
    let cmd_jar = match java_jar_command(f) {
        Ok(j) => j,
        Err(e) => return Some(Err(e)),
    };
    let Some(cwd) = f.cwd_at(f.end) else {
        return Some(Err("the jar's path is relative to an unknown folder".into()));
    };
    let runs = join(&cwd, &cmd_jar);
    let tag = img.tag.as_deref().unwrap_or("");
    let mut note = format!(" (Java {major}: the builder's major");
    if tag.contains("alpine") {
        note.push_str("; Alpine: not built here");
    }
    let (head, applicability) = match copy_jar(jar, &runs, &cmd_jar, &mut note) {
        Ok(x) => x,
        Err(why) => return Some(Err(why)),
    };
    note.push(')');
    Some(Ok(Split {
        lang: "Java",
        runtime_image: jre_image(r, tag, major),
        builder_head: Vec::new(),
        builder_head_at: None,
        builder_tail: Vec::new(),
        runtime_head: head,
        runtime_tail: Vec::new(),
        applicability,
        note,
    }))
}

/// What the JRE runtime of Java `major` would lack, or the build RUN `at`
/// leaves unaccounted for.
fn refusal(
    f: &StageFacts,
    data: &crate::data::Stages,
    apt: &AptFacts,
    at: usize,
    major: u32,
) -> Option<String> {
    if !data.java.jre_majors.contains(&major) {
        return Some(format!(
            "no JRE image of Java {major} is known (`[java] jre-majors` in transforms/stages.toml)"
        ));
    }
    if f.runs().any(|i| f.index(i) > at) {
        return Some("a RUN after the build changes the image the program may need".into());
    }
    if apt.opaque {
        return Some(
            "an apt install dslim cannot read may add what the program needs at run time".into(),
        );
    }
    if let Some(p) = apt.packages.iter().find(|p| !data.builder.only_builds(p)) {
        return Some(format!(
            "apt installs `{p}` in the builder, which the runtime would lack (only build tools \
             stay behind: `[builder] packages` in transforms/stages.toml)"
        ));
    }
    if f.healthcheck_runs() {
        return Some("the HEALTHCHECK may need programs of the builder the runtime lacks".into());
    }
    if named_non_root_user(f) {
        return Some("a named USER does not exist in the runtime image".into());
    }
    None
}

/// The JRE image of `major`, with the builder tag's distro suffix
/// (`-jammy`, `-alpine`).
fn jre_image(r: &crate::data::JavaRecipe, tag: &str, major: u32) -> String {
    let suffix = tag
        .split('-')
        .find(|p| r.distro_suffixes.iter().any(|s| s == p))
        .map(|s| format!("-{s}"))
        .unwrap_or_default();
    format!(
        "{}{suffix}",
        r.runtime.replace("{major}", &major.to_string())
    )
}

/// The runtime's COPY of the jar the CMD/ENTRYPOINT runs (`runs`, written
/// `cmd_jar`), which must be the one the build wrote: applied for a jar at a
/// known path, display-only for a folder of jars.
fn copy_jar(
    jar: Jar,
    runs: &str,
    cmd_jar: &str,
    note: &mut String,
) -> Result<(Vec<String>, Applicability), String> {
    match jar {
        Jar::Certain(path) => {
            if path != runs {
                return Err(format!(
                    "the CMD/ENTRYPOINT runs `java -jar {cmd_jar}`, not the jar the build wrote \
                     (`{path}`)"
                ));
            }
            note.push_str("; the CMD keeps the jar's path");
            Ok((
                vec![format!("COPY --from={{build}} {path} {path}")],
                Applicability::Unsafe,
            ))
        }
        Jar::Folder(dir, why) => {
            let (d, _) = runs.rsplit_once('/').unwrap_or(("", ""));
            if d != dir {
                return Err(format!(
                    "the CMD/ENTRYPOINT runs `java -jar {cmd_jar}`, not a jar the build writes \
                     into `{dir}/`"
                ));
            }
            note.push_str(&format!("; {why}"));
            Ok((
                vec![format!("COPY --from={{build}} {dir}/*.jar {dir}/")],
                Applicability::DisplayOnly,
            ))
        }
    }
}

/// The RUN that writes the jar, and the jar. `None`: no Java build.
fn built_jar(f: &StageFacts) -> Option<Result<(usize, Jar), String>> {
    last_jar_build(f).transpose()
}

/// The last build of a jar in the stage's RUNs (see [`built_jar`]).
fn last_jar_build(f: &StageFacts) -> Result<Option<(usize, Jar)>, String> {
    let mut found = None;
    let mut javac = false;
    for ins in f.runs() {
        let i = f.index(ins);
        let Some(script) = f.model.script(i) else {
            if ["mvn", "gradle", "javac", "jar "]
                .iter()
                .any(|w| ins.logical.text.contains(w))
            {
                return Err("the RUN that builds the jar cannot be read".into());
            }
            continue;
        };
        let cd = has_cd(script);
        for c in &script.commands {
            let w = words(c);
            let Some(&name) = w.first() else { continue };
            let tool = name.rsplit('/').next().unwrap_or(name);
            javac |= tool == "javac";
            if let Some(jar) = jar_written(f, tool, &w, i, cd)? {
                found = Some((i, jar));
            }
        }
    }
    match found {
        Some(x) => Ok(Some(x)),
        None if javac => Err(
            "`javac` without `jar`: the program runs from class files, which dslim does not \
             follow (package them with `jar --create --file app.jar …`)"
                .into(),
        ),
        None => Ok(None),
    }
}

/// The jar the command `w` (its program `tool`) of RUN `at` writes, if it
/// builds one (`cd`: the RUN changes folder).
fn jar_written(
    f: &StageFacts,
    tool: &str,
    w: &[&str],
    at: usize,
    cd: bool,
) -> Result<Option<Jar>, String> {
    match tool {
        "jar" => {
            let Some(file) = jar_file(&w[1..])? else {
                return Ok(None); // lists or extracts
            };
            let path = written_path(f, at, cd, &file, "the jar's path")?;
            Ok(Some(Jar::Certain(path)))
        }
        "mvn" | "mvnw" => {
            if !w
                .iter()
                .any(|a| matches!(*a, "package" | "install" | "verify"))
            {
                return Ok(None);
            }
            if w.iter()
                .any(|a| matches!(*a, "-f" | "--file" | "-pl" | "--projects"))
            {
                return Err(
                    "`mvn -f`/`-pl` builds another project: the jar's folder is unknown".into(),
                );
            }
            let Some(wd) = f.cwd_at(at).filter(|_| !cd) else {
                return Err("Maven runs in an unknown folder: the jar's path is unknown".into());
            };
            Ok(Some(maven_jar(f, join(&wd, "target"))))
        }
        "gradle" | "gradlew" => {
            if !w
                .iter()
                .any(|a| matches!(*a, "build" | "bootJar" | "jar" | "assemble"))
            {
                return Ok(None);
            }
            let Some(wd) = f.cwd_at(at).filter(|_| !cd) else {
                return Err("Gradle runs in an unknown folder: the jar's path is unknown".into());
            };
            Ok(Some(Jar::Folder(
                join(&wd, "build/libs"),
                "the jar's name comes from the Gradle build script, which dslim \
                 does not evaluate, and `build/libs/` may hold several (`-plain`); \
                 the Gradle recipe is not proven by a real build (dslim's test builds have no Maven Central)"
                    .into(),
            )))
        }
        _ => Ok(None),
    }
}

/// The jar Maven writes into `target`: certain when the context's pom.xml
/// names a literal `<finalName>` (and has no modules).
fn maven_jar(f: &StageFacts, target: String) -> Jar {
    let folder = |why: &str| {
        Jar::Folder(
            target.clone(),
            format!("{why}, and `target/*.jar` may match several; the Maven recipe is not proven by a real build (dslim's test builds have no Maven Central)"),
        )
    };
    let Some(pom) = f.build.and_then(|b| b.text("pom.xml")) else {
        return folder("the jar's name comes from pom.xml, which is not in the build context");
    };
    if pom.contains("<modules>") {
        return folder("pom.xml has modules");
    }
    let names: Vec<&str> = pom
        .split("<finalName>")
        .skip(1)
        .filter_map(|s| s.split_once("</finalName>").map(|(n, _)| n.trim()))
        .collect();
    let packaging = pom
        .split_once("<packaging>")
        .and_then(|(_, s)| s.split_once("</packaging>"))
        .map_or("jar", |(p, _)| p.trim());
    match names.as_slice() {
        [name] if !name.contains('$') && !name.is_empty() && packaging == "jar" => {
            if pom.contains("copy-dependencies") || pom.contains("<classpathPrefix>") {
                return folder(
                    "the jar's manifest may name dependencies beside it (`copy-dependencies`)",
                );
            }
            Jar::Certain(format!("{target}/{name}.jar"))
        }
        _ => folder("pom.xml has no one literal `<finalName>` of a jar"),
    }
}

/// The file a `jar` call creates or updates (`Ok(None)`: it lists or
/// extracts). Refuses a manifest, which may name a Class-Path beside the jar.
fn jar_file(args: &[&str]) -> Result<Option<String>, String> {
    let manifest =
        || Err("the `jar` manifest may name a Class-Path of files beside the jar".to_string());
    let Some(first) = args.first() else {
        return Ok(None);
    };
    // GNU-style long options.
    if first.starts_with("--") || first.starts_with("-c") && first.len() == 2 {
        let mut creates = false;
        let mut file = None;
        let mut k = 0;
        while k < args.len() {
            let a = args[k];
            match a {
                "--create" | "-c" | "--update" | "-u" => creates = true,
                "--file" | "-f" => {
                    file = args.get(k + 1).map(|s| s.to_string());
                    k += 1;
                }
                "--manifest" | "-m" => return manifest(),
                _ => {
                    if let Some(v) = a.strip_prefix("--file=") {
                        file = Some(v.to_string());
                    } else if a.starts_with("--manifest=") {
                        return manifest();
                    }
                }
            }
            k += 1;
        }
        return match (creates, file) {
            (false, _) => Ok(None),
            (true, Some(f)) if !f.contains('\u{0}') => Ok(Some(f)),
            (true, _) => Err("the `jar` call names no literal `--file`".into()),
        };
    }
    // Old style: `jar cvfe app.jar Main …` — the arguments of `f`, `m`, `e`
    // follow the letters in their order.
    let letters = first.trim_start_matches('-');
    if !letters.contains(['c', 'u']) {
        return Ok(None);
    }
    if letters.contains('m') {
        return manifest();
    }
    let mut rest = args[1..].iter();
    for l in letters.chars() {
        match l {
            'f' => {
                return match rest.next() {
                    Some(f) if !f.contains('\u{0}') => Ok(Some(f.to_string())),
                    _ => Err("the `jar` call names no literal file".into()),
                }
            }
            'e' => {
                rest.next();
            }
            _ => {}
        }
    }
    Err("the `jar` call writes to standard output (no `f`)".into())
}

/// The jar the CMD/ENTRYPOINT runs with `java [options] -jar JAR`, as
/// written.
fn java_jar_command(f: &StageFacts) -> Result<String, String> {
    let Some(ins) = f.last(Keyword::Entrypoint).or_else(|| f.last(Keyword::Cmd)) else {
        return Err("no CMD or ENTRYPOINT runs the jar".into());
    };
    let owned: Vec<String>;
    let w: Vec<&str> = if ins.is_exec_form() {
        ins.values().iter().map(String::as_str).collect()
    } else {
        let t = ins.args_text().trim();
        if t.contains(|c: char| "$\"'`\\;&|<>*?(){}[]~#".contains(c)) {
            return Err(format!(
                "the shell-form {} is not a plain `java -jar JAR`",
                ins.keyword_text()
            ));
        }
        owned = t.split_whitespace().map(str::to_string).collect();
        owned.iter().map(String::as_str).collect()
    };
    let not_java_jar = || {
        Err(format!(
            "the {} is not `java [options] -jar JAR`, so what the runtime must hold is unknown",
            ins.keyword_text()
        ))
    };
    if w.first() != Some(&"java") {
        return not_java_jar();
    }
    // Options that take a separate value, or change what runs.
    const OTHER: &[&str] = &[
        "-cp",
        "-classpath",
        "--class-path",
        "-p",
        "--module-path",
        "-m",
        "--module",
        "--add-modules",
        "--upgrade-module-path",
        "--patch-module",
        "--limit-modules",
        "--add-opens",
        "--add-exports",
        "--add-reads",
        "-javaagent",
    ];
    for (k, a) in w.iter().enumerate().skip(1) {
        if *a == "-jar" {
            return match w.get(k + 1) {
                Some(j) if !j.is_empty() => Ok(j.to_string()),
                _ => not_java_jar(),
            };
        }
        if !a.starts_with('-') || OTHER.iter().any(|o| a.starts_with(o)) {
            return not_java_jar();
        }
    }
    not_java_jar()
}

/// The Java major a builder tag names: `eclipse-temurin:17-jdk`,
/// `openjdk:11`, `maven:3.8-openjdk-17`, `maven:3.9-eclipse-temurin-21`,
/// `gradle:8-jdk17`.
pub(super) fn java_major(img: &ImageRef) -> Option<u32> {
    let tag = img.tag.as_deref()?;
    let lead = |s: &str| -> Option<u32> {
        let d: String = s.chars().take_while(char::is_ascii_digit).collect();
        d.parse().ok()
    };
    match img.short_name() {
        "eclipse-temurin" | "openjdk" | "amazoncorretto" | "sapmachine" => lead(tag),
        "maven" | "gradle" => {
            let parts: Vec<&str> = tag.split('-').collect();
            parts.iter().enumerate().find_map(|(k, p)| {
                if let Some(n) = p.strip_prefix("jdk").and_then(lead) {
                    return Some(n);
                }
                const VENDORS: &[&str] = &[
                    "jdk",
                    "openjdk",
                    "temurin",
                    "amazoncorretto",
                    "corretto",
                    "sapmachine",
                    "semeru",
                    "graal",
                    "graalvm",
                    "ibmjava",
                    "zulu",
                    "liberica",
                ];
                if VENDORS.contains(p) {
                    return parts.get(k + 1).and_then(|n| lead(n));
                }
                None
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn major(s: &str) -> Option<u32> {
        java_major(&ImageRef::parse(s, 0..s.len()))
    }

    #[test]
    fn majors_from_tags() {
        for (image, m) in [
            ("maven:3.8-openjdk-17", Some(17)),
            ("maven:3.9-eclipse-temurin-21", Some(21)),
            ("maven:3.9.6-eclipse-temurin-17-alpine", Some(17)),
            ("maven:3.6-jdk-8", Some(8)),
            ("maven:3-amazoncorretto-21", Some(21)),
            ("maven:3.9", None),
            ("maven", None),
            ("gradle:8-jdk17", Some(17)),
            ("gradle:8.5.0-jdk21-jammy", Some(21)),
            ("gradle:jdk11", Some(11)),
            ("gradle:latest", None),
            ("eclipse-temurin:21-jdk", Some(21)),
            ("eclipse-temurin:17.0.10_7-jdk-jammy", Some(17)),
            ("eclipse-temurin:latest", None),
            ("openjdk:11", Some(11)),
            ("openjdk:8u342-jdk", Some(8)),
            ("openjdk", None),
        ] {
            assert_eq!(major(image), m, "{image}");
        }
    }

    #[test]
    fn jar_files() {
        let j = |s: &str| jar_file(&s.split(' ').collect::<Vec<_>>());
        assert_eq!(j("cf app.jar -C out ."), Ok(Some("app.jar".into())));
        assert_eq!(j("cvfe x.jar com.Main -C out ."), Ok(Some("x.jar".into())));
        assert_eq!(j("cvef com.Main y.jar -C out ."), Ok(Some("y.jar".into())));
        assert_eq!(
            j("--create --file app.jar --main-class M -C out ."),
            Ok(Some("app.jar".into()))
        );
        assert_eq!(
            j("--create --file=a.jar -C out ."),
            Ok(Some("a.jar".into()))
        );
        assert_eq!(j("-c -f b.jar -e M -C out ."), Ok(Some("b.jar".into())));
        assert_eq!(j("tf app.jar"), Ok(None));
        assert_eq!(j("xf app.jar"), Ok(None));
        assert!(j("cfm app.jar manifest.txt -C out .").is_err());
        assert!(j("--create --file app.jar --manifest m.txt").is_err());
        assert!(j("cv -C out .").is_err());
    }
}
