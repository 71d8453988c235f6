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
