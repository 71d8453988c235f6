//! Inline suppressions, generic for every transform.
//!
//! `# dslim ignore=DS001,merge-runs` on the comment lines directly above an
//! instruction silences those transforms for that instruction;
//! `# dslim global ignore=…` anywhere silences them for the whole file.
//! `# hadolint ignore=DL3059` is honoured for transforms that name that
//! hadolint rule as an alias, and BuildKit's `# check=skip=StageNameCasing`
//! parser directive (or `skip=all`) for transforms that name that BuildKit
//! build check as an alias.
//!
//! Every `# dslim` entry remembers whether it silenced anything, so
//! `dslim check --warn-unused-ignores` can report the ones that did not.

use std::sync::{Arc, Mutex};

use crate::meta::Meta;
use crate::syntax::{Document, NodeKind, Span};

/// BuildKit's build checks (`docker build --check`), the names
/// `# check=skip=` takes. `skip=all` silences the transforms that cover one
/// of these.
pub const BUILDKIT_CHECKS: &[&str] = &[
    "ConsistentInstructionCasing",
    "CopyIgnoredFile",
    "DuplicateStageName",
    "ExposeInvalidFormat",
    "ExposeProtoCasing",
    "FromAsCasing",
    "FromPlatformFlagConstDisallowed",
    "InvalidBaseImagePlatform",
    "InvalidDefaultArgInFrom",
    "InvalidDefinitionDescription",
    "JSONArgsRecommended",
    "LegacyKeyValueFormat",
    "MaintainerDeprecated",
    "MultipleInstructionsDisallowed",
    "NoEmptyContinuation",
    "RedundantTargetPlatform",
    "ReservedStageName",
    "SecretsUsedInArgOrEnv",
    "StageNameCasing",
    "UndefinedArgInFrom",
    "UndefinedVar",
    "WorkdirRelativePath",
];

/// Which comment an entry comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IgnoreComment {
    /// `# dslim ignore=` (the next instruction).
    Dslim,
    /// `# dslim global ignore=` (the whole file).
    DslimGlobal,
    /// `# hadolint ignore=` (the next instruction).
    Hadolint,
}

/// One code or name listed in a suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub code: String,
    /// Where the code is written in the source.
    pub span: Span,
    pub kind: IgnoreComment,
}

/// The suppressions of one document.
#[derive(Debug, Default, Clone)]
pub struct Suppressions {
    /// The instructions with a comment listing codes above them, by
    /// index, sorted: the codes/names listed, and their indexes into
    /// `entries`. Only those few: two empty lists for each of 270k
    /// instructions were 14 MB.
    attached: Vec<(usize, Vec<String>, Vec<usize>)>,
    /// Indexes into `entries` of the file-wide ones.
    global: Vec<usize>,
    entries: Vec<Entry>,
    /// `# check=skip=` names (`all` included as written).
    check_skip: Vec<String>,
    /// Per entry: whether it silenced something.
    used: Arc<Mutex<Vec<bool>>>,
}

impl Suppressions {
    pub fn of(doc: &Document) -> Suppressions {
        let mut s = Suppressions::default();
        let mut pending: Vec<usize> = Vec::new();
        for node in doc.nodes() {
            match node.kind {
                NodeKind::Comment => {
                    let raw = doc.text(node.span.clone());
                    let lead = raw.len() - raw.trim_start().len();
                    let after_hash = raw[lead..].trim_start_matches('#');
                    let body_at = raw.len() - after_hash.trim_start().len();
                    let body = after_hash.trim_start();
                    let base = node.span.start + body_at;
                    let forms = [
                        ("dslim global ignore=", IgnoreComment::DslimGlobal),
                        ("dslim ignore=", IgnoreComment::Dslim),
                        ("hadolint ignore=", IgnoreComment::Hadolint),
                    ];
                    let Some((list, kind)) = forms
                        .iter()
                        .find_map(|(p, k)| directive(body, p).map(|l| (l, *k)))
                    else {
                        continue;
                    };
                    for (code, at) in list {
                        let id = s.entries.len();
                        s.entries.push(Entry {
                            span: base + at..base + at + code.len(),
                            code: code.to_string(),
                            kind,
                        });
                        if kind == IgnoreComment::DslimGlobal {
                            s.global.push(id);
                        } else {
                            pending.push(id);
                        }
                    }
                }
                NodeKind::Instruction(i) => {
                    let ids = std::mem::take(&mut pending);
                    if !ids.is_empty() {
                        let codes = ids.iter().map(|&k| s.entries[k].code.clone()).collect();
                        s.attached.push((i, codes, ids));
                    }
                }
                // A blank line detaches a suppression from the instruction below.
                NodeKind::Blank => pending.clear(),
                NodeKind::Bom | NodeKind::Directive => {}
            }
        }
        if let Some(d) = doc.directive("check") {
            s.check_skip = check_skip(&d.value);
        }
        s.used = Arc::new(Mutex::new(vec![false; s.entries.len()]));
        s
    }

    /// Whether `meta` is silenced for instruction `instr`. Entries that
    /// match are marked used.
    pub fn suppresses(&self, instr: usize, meta: &Meta) -> bool {
        let ids = self.attached_to(instr).map_or(&[][..], |a| &a.2[..]);
        let mut hit = false;
        for &id in self.global.iter().chain(ids) {
            if matches(&self.entries[id].code, meta) {
                hit = true;
                if let Ok(mut u) = self.used.lock() {
                    u[id] = true;
                }
            }
        }
        hit || self.skips(meta)
    }

    /// Whether `# check=skip=` silences `meta` for the whole file.
    pub fn skips(&self, meta: &Meta) -> bool {
        self.check_skip.iter().any(|s| {
            meta.aliases.iter().any(|a| {
                a.eq_ignore_ascii_case(s)
                    || (s.eq_ignore_ascii_case("all") && BUILDKIT_CHECKS.contains(a))
            })
        })
    }

    /// The codes listed above instruction `instr` (for the hadolint-comment trap:
    /// a transform moving text must not leave such a comment above another
    /// instruction).
    pub fn listed(&self, instr: usize) -> &[String] {
        self.attached_to(instr).map_or(&[], |a| &a.1[..])
    }

    fn attached_to(&self, instr: usize) -> Option<&(usize, Vec<String>, Vec<usize>)> {
        // Nodes are visited in order: `attached` is sorted by instruction.
        let k = self.attached.binary_search_by_key(&instr, |a| a.0).ok()?;
        Some(&self.attached[k])
    }

    /// Every entry, in source order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// `# dslim ignore=` and `# dslim global ignore=` entries that have not
    /// silenced anything so far.
    pub fn unused(&self) -> Vec<&Entry> {
        let used = self.used.lock().map(|u| u.clone()).unwrap_or_default();
        self.entries
            .iter()
            .enumerate()
            .filter(|(i, e)| {
                e.kind != IgnoreComment::Hadolint && !used.get(*i).copied().unwrap_or(true)
            })
            .map(|(_, e)| e)
            .collect()
    }
}

/// The list after `prefix` (case-insensitive), each item with its byte
/// offset in `body`. The list ends at the first space not after a comma
/// (`ignore=DS001, DS002 because…`).
fn directive<'a>(body: &'a str, prefix: &str) -> Option<Vec<(&'a str, usize)>> {
    let head = body.get(..prefix.len())?;
    if !head.eq_ignore_ascii_case(prefix) {
        return None;
    }
    let mut out = Vec::new();
    let mut pos = prefix.len();
    for token in body[prefix.len()..].split_whitespace() {
        let start = pos + body[pos..].find(token).unwrap_or(0);
        let mut at = start;
        for item in token.split(',') {
            if !item.is_empty() {
                out.push((item, at));
            }
            at += item.len() + 1;
        }
        pos = start + token.len();
        if !token.ends_with(',') {
            break;
        }
    }
    Some(out)
}

/// The names in a `check` directive's `skip=` (`skip=A,B;error=true`).
fn check_skip(value: &str) -> Vec<String> {
    value
        .split(';')
        .filter_map(|part| {
            let (k, v) = part.split_once('=')?;
            k.trim().eq_ignore_ascii_case("skip").then_some(v)
        })
        .flat_map(|v| v.split(','))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Whether a listed code or name covers `meta`.
pub fn matches(item: &str, meta: &Meta) -> bool {
    item.eq_ignore_ascii_case("all")
        || item.eq_ignore_ascii_case(meta.code)
        || item.eq_ignore_ascii_case(meta.name)
        || meta.aliases.iter().any(|a| item.eq_ignore_ascii_case(a))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::Applicability;
    use crate::meta::FixAvailability;

    static META: Meta = Meta {
        code: "DS998",
        name: "fake",
        summary: "",
        doc: "",
        fix: FixAvailability::None,
        safety: Applicability::Safe,
        aliases: &["DL3000", "StageNameCasing"],
    };

    fn of(src: &str) -> Suppressions {
        Suppressions::of(&Document::parse(src).unwrap())
    }

    #[test]
    fn entries_have_spans_and_usage() {
        let src = "FROM a\n# dslim ignore=DS001, fake\nRUN x\n";
        let s = of(src);
        let e = s.entries();
        assert_eq!(e.len(), 2);
        assert_eq!(&src[e[0].span.clone()], "DS001");
        assert_eq!(&src[e[1].span.clone()], "fake");
        assert!(s.suppresses(1, &META));
        assert!(!s.suppresses(0, &META));
        let unused: Vec<&str> = s.unused().iter().map(|e| e.code.as_str()).collect();
        assert_eq!(unused, ["DS001"]);
    }

    #[test]
    fn check_skip_directive() {
        let s = of("# check=skip=JSONArgsRecommended,StageNameCasing\nFROM a\n");
        assert!(s.suppresses(0, &META));
        let s = of("# check=skip=all;error=true\nFROM a\n");
        assert!(s.suppresses(0, &META));
        let s = of("# check=skip=JSONArgsRecommended\nFROM a\n");
        assert!(!s.suppresses(0, &META));
        // Not a directive once an instruction came first.
        let s = of("FROM a\n# check=skip=all\n");
        assert!(!s.suppresses(0, &META));
        // A transform without a BuildKit alias is not covered by `all`.
        let mut m = Meta { ..META };
        m.aliases = &["DL3000"];
        let s = of("# check=skip=all\nFROM a\n");
        assert!(!s.suppresses(0, &m));
    }

    #[test]
    fn hadolint_and_global() {
        let s = of("# dslim global ignore=fake\nFROM a\n# hadolint ignore=DL3000\nRUN x\n");
        assert!(s.suppresses(0, &META));
        assert!(s.unused().is_empty());
        assert_eq!(s.listed(1), ["DL3000"]);
    }
}
