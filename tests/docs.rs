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
