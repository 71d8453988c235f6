//! Property: every input that parses prints back byte for byte, parsing
//! never panics, and fixing twice changes nothing the second time.

use dslim::pipeline::{self, Settings};
use dslim::syntax::Document;
use proptest::prelude::*;

/// Lines built from Dockerfile-ish fragments, so the generator reaches
/// continuations, comments, heredocs, directives and odd whitespace often.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("FROM debian".to_string()),
        Just("FROM a AS b".to_string()),
        Just("RUN echo hi".to_string()),
        Just("RUN apt-get update".to_string()),
        Just("RUN cd /x && make".to_string()),
        Just("RUN a; b".to_string()),
        Just("RUN a \\".to_string()),
        Just("  && b \\".to_string()),
        Just("# comment".to_string()),
        Just("# escape=`".to_string()),
        Just("# syntax=docker/dockerfile:1".to_string()),
        Just("RUN <<EOF".to_string()),
        Just("EOF".to_string()),
        Just("COPY <<a <<b /d/".to_string()),
        Just("ENV A=1 B=\"x y\"".to_string()),
        Just("ENV K v w".to_string()),
        Just("CMD [\"a\", \"b\"]".to_string()),
        Just("CMD [\"a\", b]".to_string()),
        Just("ONBUILD RUN x".to_string()),
        Just("RUN --mount=type=cache,target=/c x".to_string()),
        Just("\\".to_string()),
        Just("`".to_string()),
        Just("".to_string()),
        Just("\t ".to_string()),
        "[ -~]{0,30}",
        "\\PC{0,12}",
    ]
}

fn document() -> impl Strategy<Value = String> {
    (
        prop::collection::vec((fragment(), prop_oneof!["\n", "\r\n", "\r"]), 0..14),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(lines, bom, trailing)| {
            let mut s = String::new();
            if bom {
                s.push('\u{feff}');
            }
            for (l, nl) in &lines {
                s.push_str(l);
                s.push_str(nl);
            }
            if !trailing && s.ends_with('\n') {
                s.pop();
            }
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn parse_prints_back_exactly(src in document()) {
        if let Ok(doc) = Document::parse(&src) {
            prop_assert_eq!(doc.print(), src);
        }
    }

    #[test]
    fn fix_is_idempotent_and_reparses(src in document()) {
        let settings = Settings { unsafe_fixes: true, ..Settings::default() };
        if let Ok(out) = pipeline::fix(&src, &settings) {
            prop_assert!(Document::parse(&out.fixed).is_ok());
            let again = pipeline::fix(&out.fixed, &settings).expect("fixed text fixes");
            prop_assert_eq!(again.fixed, out.fixed);
        }
    }

    #[test]
    fn no_transform_means_identical(src in document()) {
        let settings = Settings { ignore: vec!["ALL".into()], ..Settings::default() };
        if let Ok(out) = pipeline::fix(&src, &settings) {
            prop_assert_eq!(out.fixed, src);
        }
    }
}
