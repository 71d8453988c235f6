//! `docs/rules.md` is generated from each transform's `Meta` (the same text
//! `dslim explain` prints); this test fails when it is stale.
//!
//! Regenerate: `DSLIM_BLESS=1 cargo test --test docs`.

use std::path::PathBuf;

#[test]
fn rules_md_is_fresh() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    let want = dslim::output::docs::rules_markdown(dslim::transforms::ALL);
    if std::env::var_os("DSLIM_BLESS").is_some() {
        std::fs::write(&path, &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/rules.md is stale: regenerate it with `DSLIM_BLESS=1 cargo test --test docs` \
         and commit the result"
    );
}

#[test]
fn every_rule_is_documented() {
    for t in dslim::transforms::ALL {
        let m = t.meta();
        assert!(!m.summary.is_empty(), "{} has no summary", m.code);
        for part in ["Why:", "Safety:", "Before:", "After:"] {
            assert!(m.doc.contains(part), "{}'s doc lacks `{part}`", m.code);
        }
    }
}

/// README's real-world table (written by `scripts/realbuild --readme`)
/// has one row per case of `testdata/real/`, in order: no stale row of a
/// removed case, none missing for a new one.
#[test]
fn readme_realbuild_table_lists_every_case() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let (start, end) = ("<!-- realbuild:start -->", "<!-- realbuild:end -->");
    let i = readme
        .find(start)
        .expect("README.md lacks <!-- realbuild:start -->");
    let j = readme
        .find(end)
        .expect("README.md lacks <!-- realbuild:end -->");
    assert!(i < j, "realbuild markers out of order");
    let mut lines = readme[i + start.len()..j]
        .lines()
        .filter(|l| l.starts_with('|'));
    let head = lines.next().expect("the table has no header");
    assert!(head.contains("unexpected missing"), "{head}");
    assert!(lines.next().is_some_and(|l| l.starts_with("|---")));
    let rows: Vec<String> = lines
        .map(|l| {
            let first = l.trim_matches('|').split('|').next().unwrap_or("");
            first.trim().to_string()
        })
        .collect();
    let mut cases: Vec<String> = std::fs::read_dir(root.join("testdata/real"))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    assert_eq!(
        rows, cases,
        "README's realbuild table must list exactly the testdata/real/ cases, sorted \
         (`scripts/realbuild --readme CASE` writes a case's row)"
    );
}

/// Each transform's documentation is one text, its module doc comment
/// (build.rs writes it out for `Meta::doc`, see `transform_doc!`): no
/// transform file includes a separate `.md`, and none keeps a second
/// description in its doc comment.
#[test]
fn a_transform_doc_is_its_doc_comment() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/transforms");
    let mut stack = vec![dir.clone()];
    let mut seen = 0;
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            if p.extension().is_none_or(|x| x != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            if !text.lines().any(|l| l.starts_with("impl Transform for ")) {
                continue;
            }
            let stem = p.file_stem().unwrap().to_str().unwrap();
            let name = if stem == "mod" {
                d.file_name().unwrap().to_str().unwrap()
            } else {
                stem
            };
            seen += 1;
            assert!(
                text.contains(&format!("doc: crate::transform_doc!(\"{name}\")")),
                "{name}: its Meta::doc must be `crate::transform_doc!(\"{name}\")`"
            );
            assert!(
                text.starts_with("//! ") && !text.contains("include_str!(\""),
                "{name}: the doc comment at the top is the documentation; no included text"
            );
            assert!(
                !dir.join(format!("{name}.md")).exists(),
                "{name}.md: the doc comment is the only text"
            );
            let m = dslim::transforms::ALL
                .iter()
                .map(|t| t.meta())
                .find(|m| {
                    m.doc.lines().next() == text.lines().next().and_then(|l| l.strip_prefix("//! "))
                })
                .unwrap_or_else(|| panic!("{name}: no Meta::doc starts with its doc comment"));
            assert!(
                m.doc.ends_with('\n') && !m.doc.contains("//!"),
                "{}",
                m.code
            );
        }
    }
    assert_eq!(seen, dslim::transforms::ALL.len());
}
