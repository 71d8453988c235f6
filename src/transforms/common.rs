//! Small helpers several transforms share.

use crate::syntax::{Document, Keyword};

/// Whether any RUN's (or ONBUILD's) text contains `needle`: a cheap first
/// test, so that a file that never mentions a tool costs neither shell
/// parses nor a load of the data tables.
pub fn any_run_mentions(doc: &Document, needle: &str) -> bool {
    doc.instructions().iter().any(|i| {
        matches!(i.keyword, Keyword::Run | Keyword::Onbuild) && i.logical.text.contains(needle)
    })
}
