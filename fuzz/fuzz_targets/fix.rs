//! `cd fuzz && cargo +nightly fuzz run fix corpus/fix seeds/fix` (local
//! only): `fix` with every transform and unsafe fixes never panics or
//! aborts (the seeds nest shell constructs hundreds of levels deep), its
//! output parses, and fixing that output again succeeds.
#![no_main]

use dslim::pipeline::{self, Settings};
use dslim::syntax::Document;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let settings = Settings {
        unsafe_fixes: true,
        ..Settings::default()
    };
    if let Ok(out) = pipeline::fix(src, &settings) {
        assert!(Document::parse(&out.fixed).is_ok());
        assert!(pipeline::fix(out.fixed.as_str(), &settings).is_ok());
    }
});
