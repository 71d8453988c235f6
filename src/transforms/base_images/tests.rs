//! Tests of the base-image facts.

use super::commands::base;
use super::names::glob;
use super::*;
use crate::data::{BaseImage, BuildTools, ReleaseInName};

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
    // Words whose base, not themselves, start or end as a tool does.
    "/opt/tools/cmake --build . && apk add build-base",
    "x/npm run build && /usr/bin/yarn build; libssl-dev",
    "zgcc cgcc gccx /gcc/ mvnw.cmd",
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

/// What `dev_package_or_phrase` replaced: the first `-dev` token, else
/// the first phrase in list order, each searched over a token list.
fn dev_or_phrase_spec(text: &str, phrases: &[&str]) -> Option<String> {
    let toks = tokens(text);
    if let Some(d) = toks
        .iter()
        .find(|t| t.len() > 4 && t.ends_with("-dev") && !t.starts_with('-'))
    {
        return Some(d.to_string());
    }
    phrases
        .iter()
        .find(|p| has_phrase(&toks, p))
        .map(|p| p.to_string())
}

#[test]
fn dev_package_or_phrase_matches_the_per_phrase_search() {
    let phrases = ["go get", "npm run build", "yarn build", "pnpm run build"];
    let extra = [
        "apt-get install -y libssl-dev && go get x",
        "npm run build && go get ./...",
        "cd /w && /usr/bin/npm run build",
        "yarn && build",
        "pnpm run build; apt-get install -y zlib1g-dev",
        "apt-get install -dev -y x-dev",
        "go",
        "",
    ];
    let mut found = 0;
    for s in SAMPLES.iter().chain(&extra) {
        let got = dev_package_or_phrase(&[s], &phrases);
        assert_eq!(got, dev_or_phrase_spec(s, &phrases), "{s:?}");
        found += usize::from(got.is_some());
    }
    assert!(found >= 5, "the samples exercise matches");
    // A -dev package anywhere wins over a phrase before it; an earlier
    // phrase of the list over an earlier position.
    assert_eq!(
        dev_package_or_phrase(&["go get x && apt-get install y-dev"], &phrases).as_deref(),
        Some("y-dev")
    );
    assert_eq!(
        dev_package_or_phrase(&["npm run build && go get x"], &phrases).as_deref(),
        Some("go get")
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

#[test]
fn byte_sets_hold_what_was_put_in_at_both_ends_of_the_range() {
    let set = crate::data::ByteSet::firsts(["gcc", "make", "\u{7f}x", "\u{e9}t"]);
    for b in [b'g', b'm', 0x7f, 0xc3] {
        assert!(set.contains(b), "{b}");
    }
    for b in [0, b'a', 63, 64, 0xff] {
        assert!(!set.contains(b), "{b}");
    }
    assert!(set.starts("go") && !set.starts("") && !set.starts("x"));
    assert!(set.ends("big") && !set.ends("gx"));
}
