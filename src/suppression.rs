//! Inline suppressions, generic for every transform.
//!
//! `# dslim ignore=DS001,merge-runs` on the comment lines directly above an
//! instruction silences those transforms for that instruction;
//! `# dslim global ignore=…` anywhere silences them for the whole file.
//! `# hadolint ignore=DL3059` is honoured for transforms that name that
//! hadolint rule as an alias.

use crate::syntax::{Document, NodeKind};
use crate::transform::Meta;

/// The suppressions of one document.
#[derive(Debug, Default, Clone)]
pub struct Suppressions {
    /// Per instruction index: the codes/names listed above it.
    per_instruction: Vec<Vec<String>>,
    global: Vec<String>,
}

impl Suppressions {
    pub fn of(doc: &Document) -> Suppressions {
        let mut s = Suppressions {
            per_instruction: vec![Vec::new(); doc.instructions().len()],
            global: Vec::new(),
        };
        let mut pending: Vec<String> = Vec::new();
        for node in doc.nodes() {
            match node.kind {
                NodeKind::Comment => {
                    let text = doc.text(node.span.clone()).trim();
                    let body = text.trim_start_matches('#').trim();
                    if let Some(list) = directive(body, "dslim global ignore=") {
                        s.global.extend(list);
                    } else if let Some(list) = directive(body, "dslim ignore=")
                        .or_else(|| directive(body, "hadolint ignore="))
                    {
                        pending.extend(list);
                    }
                }
                NodeKind::Instruction(i) => {
                    s.per_instruction[i] = std::mem::take(&mut pending);
                }
                // A blank line detaches a suppression from the instruction below.
                NodeKind::Blank => pending.clear(),
                NodeKind::Bom | NodeKind::Directive => {}
            }
        }
        s
    }

    /// Whether `meta` is silenced for instruction `instr`.
    pub fn suppresses(&self, instr: usize, meta: &Meta) -> bool {
        let hit = |list: &[String]| list.iter().any(|c| matches(c, meta));
        hit(&self.global) || self.per_instruction.get(instr).is_some_and(|l| hit(l))
    }

    /// The codes listed above instruction `instr` (for the hadolint-comment trap:
    /// a transform moving text must not leave such a comment above another
    /// instruction).
    pub fn listed(&self, instr: usize) -> &[String] {
        self.per_instruction
            .get(instr)
            .map_or(&[], |v| v.as_slice())
    }
}

fn directive<'a>(body: &'a str, prefix: &str) -> Option<impl Iterator<Item = String> + 'a> {
    let rest = body.get(..prefix.len())?;
    if !rest.eq_ignore_ascii_case(prefix) {
        return None;
    }
    let list = body[prefix.len()..].split_whitespace().next().unwrap_or("");
    Some(
        list.split(',')
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty()),
    )
}

fn matches(item: &str, meta: &Meta) -> bool {
    item.eq_ignore_ascii_case("all")
        || item.eq_ignore_ascii_case(meta.code)
        || item.eq_ignore_ascii_case(meta.name)
        || meta.aliases.iter().any(|a| item.eq_ignore_ascii_case(a))
}
