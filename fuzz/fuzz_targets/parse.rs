//! `cd fuzz && cargo +nightly fuzz run parse corpus/parse seeds/parse`
//! (local only): the parser never panics, anything it accepts prints back
//! exactly, and fixing keeps it parseable.
#![no_main]

use dslim::pipeline::{self, Settings};
use dslim::syntax::Document;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(doc) = Document::parse(src) {
        assert_eq!(doc.print(), src);
        let settings = Settings {
            unsafe_fixes: true,
            ..Settings::default()
        };
        if let Ok(out) = pipeline::fix(src, &settings) {
            assert!(Document::parse(&out.fixed).is_ok());
        }
    }
});
