//! SARIF 2.1.0 reports (`dslim check --format sarif`), for code-scanning
//! services such as GitHub's `upload-sarif`.
//!
//! One run; the driver lists every rule with its documentation as help
//! text; each finding is a result whose fix, if any, is a SARIF `fix` with
//! `artifactChanges`/`replacements`. Columns count Unicode code points
//! (`columnKind: unicodeCodePoints`), like dslim's own messages.

use serde_json::{json, Value};

use crate::edit::Applicability;
use crate::finding::Finding;
use crate::syntax::line_col;
use crate::transform::Transform;

/// The SARIF `$schema` value.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// A file path as a relative URI reference: `/` separators, no `./`, and
/// characters outside RFC 3986's unreserved set (and `/`) percent-encoded.
pub fn uri(path: &str) -> String {
    let p = path.replace('\\', "/");
    let p = p.strip_prefix("./").unwrap_or(&p);
    let mut out = String::with_capacity(p.len());
    for b in p.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn region(src: &str, span: &crate::syntax::Span) -> Value {
    let (sl, sc) = line_col(src, span.start);
    let (el, ec) = line_col(src, span.end);
    json!({"startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec})
}

/// The rule's place in `ts` (for `ruleIndex`).
fn rule_index(ts: &[&dyn Transform], code: &str) -> Option<usize> {
    ts.iter().position(|t| t.meta().code == code)
}

/// One SARIF result for a finding in `path` (as shown in messages).
pub fn result(ts: &[&dyn Transform], path: &str, src: &str, f: &Finding) -> Value {
    let location = json!({"uri": uri(path)});
    let mut r = json!({
        "ruleId": f.code,
        // Advice is a SARIF `note` (it does not fail `dslim check`).
        "level": if f.is_advice() { "note" } else { "warning" },
        "message": {"text": f.message},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": location,
                "region": region(src, &f.span),
            }
        }],
    });
    if let Some(i) = rule_index(ts, f.code) {
        r["ruleIndex"] = json!(i);
    }
    if let Some(x) = f.fix.as_ref().filter(|x| !x.edits.is_empty()) {
        let replacements: Vec<Value> = x
            .edits
            .iter()
            .map(|e| {
                json!({
                    "deletedRegion": region(src, &e.span),
                    "insertedContent": {"text": e.replacement},
                })
            })
            .collect();
        let description = x
            .title
            .as_deref()
            .map_or_else(|| f.message.to_string(), str::to_string);
        r["fixes"] = json!([{
            "description": {"text": description},
            "artifactChanges": [{
                "artifactLocation": location,
                "replacements": replacements,
            }],
            "properties": {"applicability": applicability(x.applicability)},
        }]);
    }
    if let Some(b) = f.saving_bytes {
        r["properties"] = json!({"savingBytes": b});
    }
    r
}

fn applicability(a: Applicability) -> &'static str {
    match a {
        Applicability::Safe => "safe",
        Applicability::Unsafe => "unsafe",
        Applicability::DisplayOnly => "display-only",
    }
}

/// The first paragraph of a rule's documentation.
fn first_paragraph(doc: &str) -> String {
    doc.trim()
        .split("\n\n")
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The whole report: the rules of `ts` and `results`, pretty-printed with a
/// final newline. `errors` (paths that could not be found, read or parsed;
/// an empty path for a problem not tied to one) become tool execution
/// notifications, and any makes `executionSuccessful` false.
pub fn report(ts: &[&dyn Transform], results: Vec<Value>, errors: &[(String, String)]) -> String {
    let rules: Vec<Value> = ts
        .iter()
        .map(|t| {
            let m = t.meta();
            let full = first_paragraph(m.doc);
            json!({
                "id": m.code,
                "name": m.name,
                "shortDescription": {"text": m.summary},
                "fullDescription": {"text": if full.is_empty() { m.summary.to_string() } else { full }},
                "help": {"text": m.doc, "markdown": m.doc},
                "defaultConfiguration": {"level": "warning"},
                "properties": {
                    "fix": super::text::fix_column(*t),
                    "aliases": m.aliases,
                },
            })
        })
        .collect();
    let notifications: Vec<Value> = errors
        .iter()
        .map(|(path, message)| {
            if path.is_empty() {
                return json!({"level": "error", "message": {"text": message}});
            }
            json!({
                "level": "error",
                "message": {"text": message},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(path)}}}],
            })
        })
        .collect();
    let v = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "dslim",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "invocations": [{
                "executionSuccessful": errors.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris() {
        assert_eq!(uri("./a/Dockerfile"), "a/Dockerfile");
        assert_eq!(uri("my dir/Dockerfile#1"), "my%20dir/Dockerfile%231");
        assert_eq!(uri("a\\b"), "a/b");
    }
}
