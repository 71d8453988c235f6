//! Rule documentation from each transform's `Meta` (the one source of
//! truth): `dslim explain` and the generated `docs/rules.md`.

use crate::edit::Applicability;
use crate::suppression::BUILDKIT_CHECKS;
use crate::transform::{FixAvailability, Meta, Transform};

/// How sure the fix is, in words.
fn fix_sentence(m: &Meta) -> String {
    let avail = match m.fix {
        FixAvailability::None => return "none (advice only)".to_string(),
        FixAvailability::Always => "always available",
        FixAvailability::Sometimes => "sometimes available",
    };
    let safety = match m.safety {
        Applicability::Safe => "safe, applied by `dslim fix`",
        Applicability::Unsafe => "unsafe, applied by `dslim fix --unsafe` only",
        Applicability::DisplayOnly => "display only, never applied",
    };
    format!("{avail}; {safety}")
}

/// `DL3059 (hadolint), JSONArgsRecommended (BuildKit check)`.
fn aliases(m: &Meta) -> Option<String> {
    if m.aliases.is_empty() {
        return None;
    }
    let v: Vec<String> = m
        .aliases
        .iter()
        .map(|a| {
            let tool = if BUILDKIT_CHECKS.contains(a) {
                "BuildKit check, `# check=skip=`"
            } else if a.starts_with("DL") || a.starts_with("SC") {
                "hadolint, `# hadolint ignore=`"
            } else {
                "other tool"
            };
            format!("{a} ({tool})")
        })
        .collect();
    Some(v.join(", "))
}

/// `dslim explain`: the rule's header, fix safety, aliases and its doc.
pub fn explain(t: &dyn Transform) -> String {
    let m = t.meta();
    let mut s = format!("{} ({}): {}\n\n", m.code, m.name, m.summary);
    s.push_str(&format!("Fix: {}\n", fix_sentence(m)));
    if let Some(a) = aliases(m) {
        s.push_str(&format!("Also silenced by: {a}\n"));
    }
    s.push_str(&format!(
        "Suppress with: # dslim ignore={} (above the instruction)\n\n",
        m.code
    ));
    s.push_str(m.doc.trim_end());
    s.push('\n');
    s
}

/// The whole of `docs/rules.md`.
pub fn rules_markdown(ts: &[&dyn Transform]) -> String {
    let mut s = String::from(
        "# Rules\n\n\
         <!-- Generated from each transform's `Meta` (src/transforms/); do not edit.\n     \
         Regenerate with: DSLIM_BLESS=1 cargo test --test docs -->\n\n\
         Every rule can be silenced for one instruction with `# dslim ignore=CODE`\n\
         on the comment lines right above it, or for a whole file with\n\
         `# dslim global ignore=CODE`. `dslim explain CODE` prints the same text.\n\n\
         | Code | Name | Fix | Summary |\n|---|---|---|---|\n",
    );
    for t in ts {
        let m = t.meta();
        s.push_str(&format!(
            "| [{}](#{}-{}) | {} | {} | {} |\n",
            m.code,
            m.code.to_ascii_lowercase(),
            m.name,
            m.name,
            super::text::fix_column(*t),
            m.summary
        ));
    }
    for t in ts {
        let m = t.meta();
        s.push_str(&format!("\n## {} {}\n\n{}\n\n", m.code, m.name, m.summary));
        s.push_str(&format!("- Fix: {}\n", fix_sentence(m)));
        if let Some(a) = aliases(m) {
            s.push_str(&format!("- Also silenced by: {a}\n"));
        }
        s.push('\n');
        s.push_str(m.doc.trim_end());
        s.push('\n');
    }
    s
}
