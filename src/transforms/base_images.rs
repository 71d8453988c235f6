//! Facts the base-image transforms (DS101–DS103, DS204, DS205) share:
//! which stages are final, what a stage's RUNs do, how an image reference
//! resolves, and turning a simple shell-form CMD into exec form.

use crate::data::{BaseImage, BuildTools, ReleaseInName, SlimPosition};
use crate::syntax::{Document, ImageRef, Instruction, Keyword, Stage};

use crate::model::{global_args, resolve};

/// For each stage: whether another instruction refers to it (`FROM
/// <stage>`, `COPY --from=<stage>`, `RUN --mount=…,from=<stage>`). A
/// reference that cannot be resolved (`--from=$X` without a default) counts
/// as a reference to every earlier stage.
pub fn referenced(doc: &Document) -> Vec<bool> {
    let stages = doc.stages();
    let mut out = vec![false; stages.len()];
    let args = global_args(doc);
    // Stage name → the indices of the stages with that name, ascending: a
    // reference finds the last one before it by binary search instead of
    // a scan of all earlier stages (quadratic on thousands of stages).
    let mut named: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
    for s in stages {
        if let Some(n) = s.name.as_deref() {
            named.entry(n).or_default().push(s.index);
        }
    }
    let mark = |target: &str, before: usize, out: &mut Vec<bool>| {
        let t = resolve(target, &args).to_ascii_lowercase();
        if t.contains('$') {
            for r in out.iter_mut().take(before) {
                *r = true;
            }
            return;
        }
        let last_named = named.get(t.as_str()).and_then(|v| {
            let k = v.partition_point(|&j| j < before);
            k.checked_sub(1).map(|k| v[k])
        });
        if let Some(s) = last_named {
            out[s] = true;
        } else if let Ok(n) = t.parse::<usize>() {
            if n < before {
                out[n] = true;
            }
        }
    };
    for st in stages {
        if let Some(img) = doc.instructions()[st.from].values().first() {
            mark(img, st.index, &mut out);
        }
        for i in st.instructions.clone() {
            let ins = &doc.instructions()[i];
            for f in ins.flags() {
                match (ins.keyword, f.name()) {
                    (Keyword::Copy | Keyword::Add, "from") => {
                        if let Some(v) = f.value() {
                            mark(v, st.index, &mut out);
                        }
                    }
                    (Keyword::Run, "mount") => {
                        let v = f.value().unwrap_or("");
                        for kv in v.split(',') {
                            if let Some(from) = kv.trim().strip_prefix("from=") {
                                mark(from, st.index, &mut out);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    out
}

/// For each stage: whether it is final — nothing builds on it, or the
/// configuration names it in `targets` (a stage built with `--target`).
/// Base-image swaps apply to final stages only: builder stages keep their
/// tools.
pub fn final_stages(doc: &Document, cfg: &crate::config::Config) -> Vec<bool> {
    referenced(doc)
        .into_iter()
        .zip(doc.stages())
        .map(|(r, st)| !r || st.name.as_ref().is_some_and(|n| cfg.targets.contains(n)))
        .collect()
}

/// The stage's image with global ARG defaults substituted.
pub fn resolved_image(doc: &Document, st: &Stage) -> ImageRef {
    let text = resolve(&st.image.text, &global_args(doc));
    ImageRef::parse(&text, st.image.span.clone())
}

/// The image without tag or digest as `release-in-name` patterns spell it:
/// lowercase, registry included, a Docker Hub image by its short name
/// (`docker.io/library/python` → `python`).
fn repository(img: &ImageRef) -> String {
    let hub = img.registry.as_deref().is_none_or(|r| {
        ["docker.io", "index.docker.io", "registry-1.docker.io"]
            .iter()
            .any(|h| r.eq_ignore_ascii_case(h))
    });
    if hub {
        img.short_name().to_ascii_lowercase()
    } else {
        format!("{}/{}", img.registry.as_deref().unwrap_or(""), img.name).to_ascii_lowercase()
    }
}

/// Whether `text` matches `pattern`, where `*` matches any run of
/// characters except `/`.
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => {
            let run = text.iter().position(|&c| c == b'/').unwrap_or(text.len());
            (0..=run).any(|n| glob(rest, &text[n..]))
        }
        Some((c, rest)) => text.first() == Some(c) && glob(rest, &text[1..]),
    }
}

/// Whether `img` carries its release in its name
/// (`gcr.io/distroless/static-debian12`), by the `release-in-name` patterns
/// of `transforms/base-images.toml`: such images publish no version tags.
pub fn release_in_name(table: &ReleaseInName, img: &ImageRef) -> bool {
    if img.has_variables() {
        return false;
    }
    let repo = repository(img);
    table.patterns.values().any(|p| {
        let p = ImageRef::parse(p.trim(), 0..0);
        !p.text.is_empty() && glob(repository(&p).as_bytes(), repo.as_bytes())
    })
}

/// For an image of a family that carries its release in the name but
/// names none (`gcr.io/distroless/static`): the names with a release
/// (`gcr.io/distroless/static-debian12`…), from the patterns with one `*`
/// whose text before it starts the image's, in reverse order (`-debian13`
/// before `-debian12`); empty for other images.
pub fn release_names(table: &ReleaseInName, img: &ImageRef) -> Vec<String> {
    if img.has_variables() || release_in_name(table, img) {
        return Vec::new();
    }
    let repo = repository(img);
    let mut out: Vec<String> = table
        .patterns
        .values()
        .filter_map(|p| {
            let p = repository(&ImageRef::parse(p.trim(), 0..0));
            let (before, after) = p.split_once('*')?;
            let stem = repo.strip_prefix(before)?;
            (!after.contains('*') && !stem.is_empty() && !stem.contains('/'))
                .then(|| format!("{before}{stem}{after}"))
        })
        .collect();
    // Newest first, as the labels of the built-in table sort.
    out.sort_by(|a, b| b.cmp(a));
    out.dedup();
    out
}

/// Whether the stage's FROM names an earlier stage (see
/// [`Model::is_stage_ref`](crate::model::Model::is_stage_ref)).
pub fn is_stage_ref(model: &crate::model::Model, st: &Stage) -> bool {
    model.is_stage_ref(st.index)
}

/// The RUN instructions of a stage.
pub fn runs<'d>(doc: &'d Document, st: &Stage) -> Vec<&'d Instruction> {
    doc.instructions()[st.instructions.clone()]
        .iter()
        .filter(|i| i.keyword == Keyword::Run)
        .collect()
}

/// Words of a text, split on anything that cannot be part of a command or
/// package name; leading `./` is dropped.
pub fn tokens(text: &str) -> Vec<&str> {
    // A byte scan: every byte of a non-ASCII character is a separator, so
    // each token is ASCII and its ends are character boundaries.
    let keep =
        |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'+' | b'/' | b'-' | b'=');
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = None;
    for (k, &b) in bytes.iter().enumerate() {
        match (keep(b), start) {
            (true, None) => start = Some(k),
            (false, Some(s)) => {
                out.push(&text[s..k]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    // As before, a lone `./` stays as an empty token.
    for t in &mut out {
        *t = t.strip_prefix("./").unwrap_or(t);
    }
    out
}

fn base(t: &str) -> &str {
    t.rfind('/').map_or(t, |i| &t[i + 1..])
}

/// `base(t) == b`, without finding the base: `t` ends with `b` after a `/`
/// or nothing (a `b` holding a `/` is never a base).
fn base_is(t: &str, b: &str) -> bool {
    let (t, b) = (t.as_bytes(), b.as_bytes());
    t.ends_with(b) && (t.len() == b.len() || t[t.len() - b.len() - 1] == b'/') && !b.contains(&b'/')
}

/// Whether `phrase` (space-separated words) occurs as consecutive tokens.
pub fn has_phrase(toks: &[&str], phrase: &str) -> bool {
    let mut want = phrase.split_whitespace();
    let Some(head) = want.next() else {
        return false;
    };
    // No allocation: this runs per RUN for every phrase of several tables.
    let n = want.clone().count();
    toks.len() > n
        && toks[..toks.len() - n].iter().enumerate().any(|(k, t)| {
            base_is(t, head)
                && toks[k + 1..]
                    .iter()
                    .zip(want.clone())
                    .all(|(a, b)| base_is(a, b))
        })
}

/// The first thing in `texts` that compiles code (`gcc`, `go build`,
/// `build-essential`), if any.
pub fn compiles(texts: &[&str], tools: &BuildTools) -> Option<String> {
    // One pass over each text's tokens: a command or package wins at once;
    // else the first of `subcommands` (in table order) found anywhere. The
    // phrases are split once, not per text (a `has_phrase` per subcommand
    // per RUN was a fifth of DS201 on large files).
    let phrases: Vec<(&str, Vec<&str>)> = tools
        .subcommands
        .iter()
        .map(|s| {
            let mut w = s.split_whitespace();
            (w.next().unwrap_or(""), w.collect())
        })
        .collect();
    for text in texts {
        let toks = tokens(text);
        let mut sub: Option<usize> = None;
        for (k, t) in toks.iter().enumerate() {
            let b = base(t);
            if tools.commands.iter().any(|c| c == b) || tools.packages.iter().any(|p| p == t) {
                return Some(b.to_string());
            }
            let upto = sub.unwrap_or(phrases.len());
            if let Some(j) = phrases[..upto].iter().position(|(head, rest)| {
                !head.is_empty()
                    && base_is(t, head)
                    && k + rest.len() < toks.len()
                    && toks[k + 1..].iter().zip(rest).all(|(a, b)| base_is(a, b))
            }) {
                sub = Some(j);
            }
        }
        if let Some(j) = sub {
            return Some(tools.subcommands[j].clone());
        }
    }
    None
}

/// The first install that may compile native code (`pip install`).
pub fn native_install(texts: &[&str], tools: &BuildTools) -> Option<String> {
    texts.iter().find_map(|text| {
        let toks = tokens(text);
        tools
            .native_installs
            .iter()
            .find(|p| has_phrase(&toks, p))
            .cloned()
    })
}

/// The source text of each RUN (heredoc bodies included).
pub fn run_texts<'d>(doc: &'d Document, st: &Stage) -> Vec<&'d str> {
    runs(doc, st)
        .into_iter()
        .map(|i| doc.text(i.span.clone()))
        .collect()
}

/// What to do with an image tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagPlan {
    /// The new tag.
    Swap(String),
    /// Already a variant (or a form the table does not know): leave alone.
    Leave,
}

/// Splits a tag into its version part and a trailing distro word.
fn split_distro<'t>(img: &BaseImage, tag: &'t str) -> (&'t str, Option<&'t str>) {
    for d in &img.distros {
        if let Some(v) = tag
            .strip_suffix(d.as_str())
            .and_then(|v| v.strip_suffix('-'))
        {
            if !v.is_empty() {
                return (v, Some(&tag[tag.len() - d.len()..]));
            }
        }
    }
    (tag, None)
}

/// Whether a tag already names a variant (`-slim`, `-alpine3.19`,
/// `windowsservercore-ltsc2022`).
pub fn is_variant(img: &BaseImage, tag: &str) -> bool {
    tag.split('-')
        .any(|w| img.variants.iter().any(|v| w.starts_with(v.as_str())))
}

fn plain_version(v: &str) -> bool {
    !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || "${}:_".contains(c))
}

/// The slim tag for `tag` (which may hold `${VAR}`s).
pub fn slim_tag(img: &BaseImage, tag: &str) -> TagPlan {
    let Some(slim) = img.slim.as_deref() else {
        return TagPlan::Leave;
    };
    if is_variant(img, tag) {
        return TagPlan::Leave;
    }
    let (version, distro) = split_distro(img, tag);
    if !plain_version(version) {
        return TagPlan::Leave;
    }
    TagPlan::Swap(match (distro, img.slim_position) {
        (Some(d), SlimPosition::BeforeDistro) => format!("{version}-{slim}-{d}"),
        (Some(d), SlimPosition::AfterDistro) => format!("{version}-{d}-{slim}"),
        (None, _) => format!("{version}-{slim}"),
    })
}

/// The Alpine tag for `tag`: the version with the Alpine word (a distro
/// word and a slim word are dropped).
pub fn alpine_tag(img: &BaseImage, tag: &str) -> TagPlan {
    let Some(alpine) = img.alpine.as_deref() else {
        return TagPlan::Leave;
    };
    let (version, _) = split_distro(img, tag);
    let version = img
        .slim
        .as_deref()
        .and_then(|s| version.strip_suffix(&format!("-{s}")))
        .unwrap_or(version);
    let (version, _) = split_distro(img, version);
    if is_variant(img, version) || !plain_version(version) {
        return TagPlan::Leave;
    }
    TagPlan::Swap(format!("{version}-{alpine}"))
}

/// The JRE image for a JDK tag (`21-jdk-jammy` → `eclipse-temurin:21-jre-jammy`).
pub fn jre_image(img: &BaseImage, tag: &str) -> Option<String> {
    let template = img.jre.as_deref()?;
    if is_variant(img, tag) {
        return None;
    }
    let major: String = tag.chars().take_while(|c| c.is_ascii_digit()).collect();
    let major_n: u32 = major.parse().ok()?;
    if !img.jre_majors.contains(&major_n) {
        return None;
    }
    let words: Vec<&str> = tag.split('-').collect();
    let jre_tag = if words.contains(&"jdk") {
        words
            .iter()
            .map(|w| if *w == "jdk" { "jre" } else { w })
            .collect::<Vec<_>>()
            .join("-")
    } else {
        let (version, distro) = split_distro(img, tag);
        match distro {
            Some(d) => format!("{version}-jre-{d}"),
            None => format!("{version}-jre"),
        }
    };
    Some(
        template
            .replace("{major}", &major)
            .replace("{tag}", &jre_tag),
    )
}

/// Characters a word of a "simple" shell-form command may hold: nothing
/// the shell would expand, quote, split or redirect.
fn simple_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c)
}

/// Shell keywords and builtins that do not exist as programs (or behave
/// differently as one): a command starting with one stays in shell form.
const SHELL_ONLY: &[&str] = &[
    ".", ":", "alias", "bg", "break", "case", "cd", "command", "continue", "do", "done", "elif",
    "else", "esac", "eval", "exit", "export", "fg", "fi", "for", "function", "getopts", "hash",
    "if", "jobs", "read", "readonly", "return", "select", "set", "shift", "source", "then",
    "times", "trap", "type", "ulimit", "umask", "unalias", "unset", "until", "wait", "while",
];

/// The exec-form words of a simple shell-form command (`./app --port 80`),
/// or why it is not simple. A leading `exec` is dropped.
pub fn exec_words(text: &str) -> Result<Vec<String>, String> {
    let mut words: Vec<&str> = text.split([' ', '\t']).filter(|w| !w.is_empty()).collect();
    if words.first() == Some(&"exec") {
        words.remove(0);
    }
    let Some(first) = words.first() else {
        return Err("it is empty".into());
    };
    if let Some(c) = text
        .chars()
        .find(|c| !simple_char(*c) && *c != ' ' && *c != '\t')
    {
        return Err(format!("it uses shell syntax (`{c}`)"));
    }
    if SHELL_ONLY.contains(first) {
        return Err(format!("`{first}` is a shell builtin"));
    }
    if first.contains('=') {
        return Err("it starts with a variable assignment".into());
    }
    Ok(words.into_iter().map(str::to_string).collect())
}

/// JSON exec form of `words`: `["./app", "--port", "80"]`.
pub fn json_array(words: &[String]) -> String {
    let parts: Vec<String> = words
        .iter()
        .map(|w| serde_json::to_string(w).unwrap_or_default())
        .collect();
    format!("[{}]", parts.join(", "))
}

/// The CMD or ENTRYPOINT words of a shell-form instruction on one line that
/// can be written in exec form; `Err` says why not.
pub fn convertible(ins: &Instruction) -> Result<Vec<String>, String> {
    if !ins.logical.is_contiguous(ins.command.args.clone()) {
        return Err("it spans several lines".into());
    }
    exec_words(ins.args_text())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `tokens` as first written (a `char` split), the spec the byte scan
    /// must match.
    fn tokens_spec(text: &str) -> Vec<&str> {
        text.split(|c: char| !(c.is_ascii_alphanumeric() || "_.+/-=".contains(c)))
            .filter(|t| !t.is_empty())
            .map(|t| t.strip_prefix("./").unwrap_or(t))
            .collect()
    }

    /// `compiles` as first written: commands and packages first, then each
    /// subcommand in table order through `has_phrase`.
    fn compiles_spec(texts: &[&str], tools: &BuildTools) -> Option<String> {
        for text in texts {
            let toks = tokens_spec(text);
            for t in &toks {
                let b = base(t);
                if tools.commands.iter().any(|c| c == b) || tools.packages.iter().any(|p| p == t) {
                    return Some(b.to_string());
                }
            }
            for s in &tools.subcommands {
                if has_phrase(&toks, s) {
                    return Some(s.clone());
                }
            }
        }
        None
    }

    const SAMPLES: &[&str] = &[
        "apt-get install -y build-essential",
        "cd /src && /usr/local/go/bin/go build ./... && go install x",
        "go install ./cmd/x && cargo build --release",
        "cargo install ripgrep; dotnet publish -c Release",
        "dotnet build",
        "go",
        "echo go; build",
        "./configure && make -j4",
        "./././x ./ . .. ./",
        "pip install numpy && npm rebuild",
        "npm  rebuild  ünïcödé  «go» build",
        "é/usr/bin/gcc€x",
        "a\\\n  go\\\n  build",
        "",
        "FOO=bar cargo-build go-build x/go build/x",
    ];

    #[test]
    fn phrases_are_consecutive_tokens_by_base_name() {
        let t = |s| tokens(s);
        assert!(has_phrase(&t("cd x && /usr/bin/go build ."), "go build"));
        assert!(has_phrase(&t("npm run build"), "npm run  build"));
        assert!(!has_phrase(&t("go test && build"), "go build"));
        assert!(
            !has_phrase(&t("x go"), "go build"),
            "the phrase runs off the end"
        );
        assert!(!has_phrase(&t("go build"), ""));
        assert!(
            !has_phrase(&t("go/build x"), "go/build"),
            "a base never holds a slash"
        );
        assert!(has_phrase(&t("go"), "go"));
    }

    #[test]
    fn tokens_match_the_char_split() {
        for s in SAMPLES {
            assert_eq!(tokens(s), tokens_spec(s), "{s:?}");
        }
    }

    #[test]
    fn compiles_matches_the_per_phrase_search() {
        let tools = &crate::data::builtin().base_images.build_tools;
        let mut found = 0;
        for a in SAMPLES {
            assert_eq!(compiles(&[a], tools), compiles_spec(&[a], tools), "{a:?}");
            found += usize::from(compiles(&[a], tools).is_some());
            for b in SAMPLES {
                let t = [*a, *b];
                assert_eq!(compiles(&t, tools), compiles_spec(&t, tools), "{t:?}");
            }
        }
        assert!(found > 5, "the samples exercise matches");
        // The earlier table entry wins over the earlier position.
        assert_eq!(
            compiles(&["go install x && go build y"], tools).as_deref(),
            Some("go build")
        );
    }

    fn img(name: &str) -> BaseImage {
        crate::data::builtin().base_image(name).unwrap().clone()
    }

    #[test]
    fn slim_tags() {
        let py = img("python");
        let swap = |i: &BaseImage, t: &str| match slim_tag(i, t) {
            TagPlan::Swap(s) => s,
            TagPlan::Leave => "-".into(),
        };
        assert_eq!(swap(&py, "3.12"), "3.12-slim");
        assert_eq!(swap(&py, "3.12-bookworm"), "3.12-slim-bookworm");
        assert_eq!(swap(&py, "${PY}"), "${PY}-slim");
        assert_eq!(swap(&py, "3.12-slim"), "-");
        assert_eq!(swap(&py, "3.12-slim-bookworm"), "-");
        assert_eq!(swap(&py, "3.12-alpine3.19"), "-");
        assert_eq!(swap(&py, "3.12-windowsservercore-ltsc2022"), "-");
        let node = img("node");
        assert_eq!(swap(&node, "20-bookworm"), "20-bookworm-slim");
        let deb = img("debian");
        assert_eq!(swap(&deb, "bookworm"), "bookworm-slim");
        assert_eq!(swap(&deb, "bookworm-backports"), "-");
        let a = |i: &BaseImage, t: &str| match alpine_tag(i, t) {
            TagPlan::Swap(s) => s,
            TagPlan::Leave => "-".into(),
        };
        assert_eq!(a(&py, "3.12-slim-bookworm"), "3.12-alpine");
        assert_eq!(a(&node, "20-bookworm-slim"), "20-alpine");
        assert_eq!(a(&py, "3.12-alpine"), "-");
        let t = img("eclipse-temurin");
        assert_eq!(
            jre_image(&t, "21-jdk-jammy").as_deref(),
            Some("eclipse-temurin:21-jre-jammy")
        );
        assert_eq!(
            jre_image(&t, "17").as_deref(),
            Some("eclipse-temurin:17-jre")
        );
        assert_eq!(jre_image(&t, "21-jre"), None);
        let o = img("openjdk");
        assert_eq!(
            jre_image(&o, "17-jdk-slim").as_deref(),
            Some("eclipse-temurin:17-jre")
        );
        assert_eq!(jre_image(&o, "19"), None);
    }

    #[test]
    fn exec_form_words() {
        assert_eq!(
            json_array(&exec_words("./app --port 80").unwrap()),
            r#"["./app", "--port", "80"]"#
        );
        assert_eq!(
            exec_words("exec node server.js").unwrap(),
            ["node", "server.js"]
        );
        assert!(exec_words("node $APP").is_err());
        assert!(exec_words("a && b").is_err());
        assert!(exec_words("echo 'x'").is_err());
        assert!(exec_words("cd /app").is_err());
        assert!(exec_words("A=1 app").is_err());
        assert!(exec_words("app *.txt").is_err());
        assert!(exec_words("app > log").is_err());
        assert!(exec_words("~/app").is_err());
        assert_eq!(json_array(&["é".into()]), r#"["é"]"#);
    }

    #[test]
    fn release_in_name_patterns() {
        let table = &crate::data::builtin().base_images.release_in_name;
        let yes = |t: &str| release_in_name(table, &ImageRef::parse(t, 0..t.len()));
        assert!(yes("gcr.io/distroless/static-debian12"));
        assert!(yes("gcr.io/distroless/base-nossl-debian12:latest"));
        assert!(yes("GCR.IO/distroless/cc-debian11:nonroot"));
        assert!(yes("gcr.io/distroless/java21-debian13@sha256:00"));
        assert!(!yes("gcr.io/distroless/static"));
        assert!(!yes("gcr.io/distroless/static-debian12-extra"));
        assert!(!yes("gcr.io/distroless/x/static-debian12"));
        assert!(!yes("ghcr.io/distroless/static-debian12"));
        assert!(!yes("debian"));
        assert!(!yes("${BASE}-debian12"));
        let mut own = ReleaseInName::default();
        own.patterns.insert("a".into(), "corp/*-2024".into());
        own.patterns.insert("off".into(), String::new());
        let yes = |t: &str| release_in_name(&own, &ImageRef::parse(t, 0..t.len()));
        assert!(yes("corp/base-2024"));
        assert!(yes("docker.io/corp/base-2024"));
        assert!(!yes("corp/base-2025"));
        assert!(!yes("scratch"));
        let names = |t: &str| release_names(table, &ImageRef::parse(t, 0..t.len()));
        assert_eq!(
            names("gcr.io/distroless/static:latest"),
            [
                "gcr.io/distroless/static-debian13",
                "gcr.io/distroless/static-debian12",
                "gcr.io/distroless/static-debian11"
            ]
        );
        assert!(names("gcr.io/distroless/static-debian12").is_empty());
        assert!(names("gcr.io/other/static").is_empty());
        assert!(names("debian").is_empty());
        assert!(glob(b"*", b""));
        assert!(glob(b"a*b*c", b"aXbYbc"));
        assert!(!glob(b"a*", b"a/b"));
    }

    #[test]
    fn references() {
        let d = Document::parse(
            "FROM a AS b\nFROM c AS d\nFROM e AS f\nCOPY --from=b /x /x\nRUN --mount=type=bind,from=d,target=/t true\nFROM f\n",
        )
        .unwrap();
        assert_eq!(referenced(&d), [true, true, true, false]);
        let d = Document::parse("FROM a AS b\nFROM c\nCOPY --from=$X /x /x\nFROM d\n").unwrap();
        assert_eq!(referenced(&d), [true, false, false]);
    }
}
