//! What `dslim compare` reads from the two Dockerfiles, each parsed once:
//! the base images, where the original copied its build context, its
//! build folders, whether the fix split a builder stage off.

use crate::syntax::Document;

/// The original and the fixed Dockerfile, parsed (`None`: it does not
/// parse), and the fixes applied.
pub(super) struct Docs<'a> {
    pub original: Option<Document>,
    pub fixed: Option<Document>,
    pub applied: &'a [&'static str],
}

/// The image the last stage of a Dockerfile is built on (through `FROM
/// <stage>` chains, global ARG defaults substituted); `None` for
/// `scratch`.
pub(super) fn root_image(doc: &Document) -> Option<String> {
    let mut st = doc.stages().last()?;
    while let Some(p) = doc.parent_stage(st) {
        st = p;
    }
    let img = crate::transforms::base_images::resolved_image(doc, st).text;
    (!img.eq_ignore_ascii_case("scratch")).then_some(img)
}

/// The WORKDIR after `WORKDIR arg` when it was `cur`: an absolute path,
/// or `arg` under `cur`; `None` (unknown) for a variable or a relative
/// path under an unknown folder.
fn next_workdir(cur: Option<String>, arg: &str) -> Option<String> {
    let w = arg.trim();
    if w.contains('$') {
        None
    } else if w.starts_with('/') {
        Some(w.to_string())
    } else {
        cur.map(|d| format!("{}/{w}", d.trim_end_matches('/')))
    }
}

/// Where the COPY/ADD instructions of the original's last stage (and the
/// stages it builds on) put files from the build context: absolute
/// destinations, relative ones under a literal WORKDIR; never `/`.
pub(super) fn copy_destinations(doc: &Document) -> Vec<String> {
    use crate::syntax::Keyword;
    let Some(mut st) = doc.stages().last() else {
        return Vec::new();
    };
    let mut chain = vec![st];
    while let Some(p) = doc.parent_stage(st) {
        chain.push(p);
        st = p;
    }
    let mut out = Vec::new();
    let mut workdir: Option<String> = None;
    for st in chain.into_iter().rev() {
        for i in &doc.instructions()[st.instructions.clone()] {
            match i.keyword {
                Keyword::Workdir => workdir = next_workdir(workdir, i.args_text()),
                Keyword::Copy | Keyword::Add if i.flag("from").is_none() => {
                    let Some((srcs, dst)) = i.copy_parts() else {
                        continue;
                    };
                    if dst.contains('$') {
                        continue;
                    }
                    // Into `/` (no WORKDIR yet): the files themselves, by
                    // name (`COPY requirements.txt .` → `/requirements.txt`),
                    // never the whole root.
                    if workdir.is_none() && matches!(dst, "." | "./" | "/") {
                        for s in srcs {
                            let name = s.trim_end_matches('/').rsplit('/').next().unwrap_or("");
                            if !name.is_empty()
                                && name != "."
                                && name != ".."
                                && !s.ends_with('/')
                                && !s.contains(['$', '*', '?', '['])
                                && !out.contains(&format!("/{name}"))
                            {
                                out.push(format!("/{name}"));
                            }
                        }
                        continue;
                    }
                    let abs = if dst.starts_with('/') {
                        Some(dst.to_string())
                    } else {
                        workdir.as_ref().map(|d| {
                            let rel = dst.trim_start_matches("./");
                            format!("{}/{rel}", d.trim_end_matches('/'))
                        })
                    };
                    if let Some(a) = abs {
                        let a = a.trim_end_matches(['/', '.']).to_string();
                        if !a.is_empty() && !out.contains(&a) {
                            out.push(a);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// Whether the fix split a builder stage off (DS201): the fixed Dockerfile
/// has more stages than the original. Only then are packages the fixed
/// image lacks left in a builder; otherwise a transform dropped them.
pub(super) fn split_off_builder(original: &Document, fixed: &Document) -> bool {
    fixed.stages().len() > original.stages().len()
}

/// The build folders of the original (the literal WORKDIRs its RUNs ran
/// in, `/` aside) that the fixed Dockerfile's last stage copies an
/// artifact from (`COPY --from=STAGE /app/app.jar …`, the source under
/// the folder): the rest of what the build made there stays in the builder.
pub(super) fn build_output_folders(orig: &Document, fix: &Document) -> Vec<String> {
    use crate::syntax::Keyword;
    let mut folders: Vec<String> = Vec::new();
    for st in orig.stages() {
        let mut workdir: Option<String> = None;
        for i in &orig.instructions()[st.instructions.clone()] {
            match i.keyword {
                Keyword::Workdir => {
                    workdir =
                        next_workdir(workdir, i.args_text()).map(|w| crate::fsutil::image_path(&w));
                }
                Keyword::Run => {
                    if let Some(w) = workdir.as_ref().filter(|w| *w != "/") {
                        if !folders.contains(w) {
                            folders.push(w.clone());
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let Some(last) = fix.stages().last() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for i in &fix.instructions()[last.instructions.clone()] {
        if i.keyword != Keyword::Copy || i.flag("from").is_none() {
            continue;
        }
        let Some((srcs, _)) = i.copy_parts() else {
            continue;
        };
        for s in srcs {
            if !s.starts_with('/') || s.contains(['$', '*', '?', '[']) {
                continue;
            }
            let s = crate::fsutil::image_path(s);
            for d in &folders {
                if s.starts_with(&format!("{d}/")) && !out.contains(d) {
                    out.push(d.clone());
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(src: &str) -> crate::syntax::Document {
        crate::syntax::Document::parse(src).unwrap()
    }

    #[test]
    fn copy_destinations_of_the_last_stage() {
        let src = "FROM golang AS b\nCOPY x /x\nFROM b\nWORKDIR /src\n\
                   COPY go.mod main.go ./\nCOPY --from=b /x /y\nCOPY . /\n\
                   WORKDIR sub\nCOPY a.txt data/\nCOPY a $D\n";
        assert_eq!(
            copy_destinations(&doc(src)),
            ["/x", "/src", "/src/sub/data"]
        );
        // Into `/` before any WORKDIR: the file, not the root.
        assert_eq!(
            copy_destinations(&doc(
                "FROM a\nCOPY requirements.txt .\nCOPY src/ .\nCOPY . /\n"
            )),
            ["/requirements.txt"]
        );
        assert_eq!(
            copy_destinations(&doc("FROM a\nCOPY . .\n")),
            Vec::<String>::new()
        );
        assert_eq!(
            root_image(&doc("FROM golang:1.21 AS b\nFROM b\n")).as_deref(),
            Some("golang:1.21")
        );
        assert_eq!(root_image(&doc("ARG V=3\nFROM scratch\n")), None);
        assert_eq!(
            root_image(&doc("ARG V=3\nFROM python:$V\n")).as_deref(),
            Some("python:3")
        );
    }

    #[test]
    fn build_output_folders_are_those_the_artifact_comes_from() {
        let orig = "FROM eclipse-temurin:21-jdk\nWORKDIR /app\nCOPY src ./src\n\
                    RUN javac -d out x.java && jar --create --file app.jar -C out .\n\
                    WORKDIR /srv\nENTRYPOINT [\"java\", \"-jar\", \"/app/app.jar\"]\n";
        let fixed = "FROM eclipse-temurin:21-jdk AS build\nWORKDIR /app\nCOPY src ./src\n\
                     RUN javac -d out x.java\n\nFROM eclipse-temurin:21-jre AS runtime\n\
                     COPY --from=build /app/app.jar /app/app.jar\n";
        let (orig, fixed) = (&doc(orig), &doc(fixed));
        assert_eq!(build_output_folders(orig, fixed), ["/app"]);
        // Nothing copied from the build folder: nothing is a build output.
        let other = "FROM a AS build\nFROM b\nCOPY --from=build /opt/x /opt/x\nCOPY y /app/y\n";
        assert!(build_output_folders(orig, &doc(other)).is_empty());
        // A WORKDIR no RUN ran in is no build folder.
        assert!(build_output_folders(&doc("FROM a\nWORKDIR /app\nCOPY x .\n"), fixed).is_empty());
    }

    #[test]
    fn only_a_split_leaves_packages_in_a_builder() {
        let orig = "FROM debian:bookworm\nRUN apt-get install -y gcc\n";
        let split = "FROM debian:bookworm AS build\nRUN apt-get install -y gcc\n\n\
                     FROM debian:bookworm\nCOPY --from=build /a /a\n";
        let orig = &doc(orig);
        assert!(split_off_builder(orig, &doc(split)));
        let same = "FROM debian:bookworm\nRUN apt-get install -y --no-install-recommends gcc\n";
        assert!(!split_off_builder(orig, &doc(same)));
    }
}
