//! What the text of a stage's RUNs runs: tokens, phrases, compilers and
//! installs that may compile native code.

use crate::data::BuildTools;

/// Words of a text, split on anything that cannot be part of a command or
/// package name; leading `./` is dropped.
pub fn tokens(text: &str) -> Vec<&str> {
    // A byte scan: every byte of a non-ASCII character is a separator, so
    // each token is ASCII and its ends are character boundaries.
    let keep =
        |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'+' | b'/' | b'-' | b'=');
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = None;
    for (k, &b) in bytes.iter().enumerate() {
        match (keep(b), start) {
            (true, None) => start = Some(k),
            (false, Some(s)) => {
                out.push(&text[s..k]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    // As before, a lone `./` stays as an empty token.
    for t in &mut out {
        *t = t.strip_prefix("./").unwrap_or(t);
    }
    out
}

pub(super) fn base(t: &str) -> &str {
    t.rfind('/').map_or(t, |i| &t[i + 1..])
}

/// `base(t) == b`, without finding the base: `t` ends with `b` after a `/`
/// or nothing (a `b` holding a `/` is never a base).
fn base_is(t: &str, b: &str) -> bool {
    let (t, b) = (t.as_bytes(), b.as_bytes());
    t.ends_with(b) && (t.len() == b.len() || t[t.len() - b.len() - 1] == b'/') && !b.contains(&b'/')
}

/// Whether `phrase` (space-separated words) occurs as consecutive tokens.
pub fn has_phrase(toks: &[&str], phrase: &str) -> bool {
    let mut want = phrase.split_whitespace();
    let Some(head) = want.next() else {
        return false;
    };
    // No allocation: this runs per RUN for every phrase of several tables.
    let n = want.clone().count();
    toks.len() > n
        && toks[..toks.len() - n].iter().enumerate().any(|(k, t)| {
            base_is(t, head)
                && toks[k + 1..]
                    .iter()
                    .zip(want.clone())
                    .all(|(a, b)| base_is(a, b))
        })
}

/// The first thing in `texts` that compiles code (`gcc`, `go build`,
/// `build-essential`), if any.
pub fn compiles(texts: &[&str], tools: &BuildTools) -> Option<String> {
    // One pass over each text's tokens: a command or package wins at once;
    // else the first of `subcommands` (in table order) found anywhere. The
    // lists are looked up in `tools.index()`, not searched per token.
    let ix = tools.index();
    for text in texts {
        let toks = tokens(text);
        let mut sub: Option<usize> = None;
        for (k, t) in toks.iter().enumerate() {
            let b = base(t);
            if ix.commands.contains(b) || ix.packages.contains(*t) {
                return Some(b.to_string());
            }
            // A phrase's first word is a base (`base_is` never matches a
            // word holding a `/`), so the token's base finds its phrases.
            let upto = sub.unwrap_or(usize::MAX);
            if let Some(&(j, _)) = ix.phrases.get(b).and_then(|ps| {
                ps.iter().take_while(|(j, _)| *j < upto).find(|(_, rest)| {
                    k + rest.len() < toks.len()
                        && toks[k + 1..].iter().zip(rest).all(|(a, b)| base_is(a, b))
                })
            }) {
                sub = Some(j);
            }
        }
        if let Some(j) = sub {
            return Some(tools.subcommands[j].clone());
        }
    }
    None
}

/// The first install that may compile native code (`pip install`).
pub fn native_install(texts: &[&str], tools: &BuildTools) -> Option<String> {
    texts.iter().find_map(|text| {
        let toks = tokens(text);
        tools
            .native_installs
            .iter()
            .find(|p| has_phrase(&toks, p))
            .cloned()
    })
}
