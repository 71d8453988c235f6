//! What the text of a stage's RUNs runs: tokens, phrases, compilers and
//! installs that may compile native code.

use crate::data::BuildTools;

/// Words of a text, split on anything that cannot be part of a command or
/// package name; leading `./` is dropped.
pub fn tokens(text: &str) -> Vec<&str> {
    token_iter(text).collect()
}

/// [`tokens`] one at a time, without a list: a RUN of megabytes has
/// millions of tokens, and most callers stop at the first that matters.
/// Cloning the iterator is cheap (a position), which is how phrases look
/// ahead.
pub fn token_iter(text: &str) -> Tokens<'_> {
    Tokens { text, at: 0 }
}

/// The iterator of [`token_iter`].
#[derive(Debug, Clone)]
pub struct Tokens<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        // A byte scan: every byte of a non-ASCII character is a separator,
        // so each token is ASCII and its ends are character boundaries.
        let keep = |b: u8| {
            b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'+' | b'/' | b'-' | b'=')
        };
        let bytes = self.text.as_bytes();
        let start = self.at + bytes[self.at..].iter().position(|&b| keep(b))?;
        let end = bytes[start..]
            .iter()
            .position(|&b| !keep(b))
            .map_or(bytes.len(), |n| start + n);
        self.at = end;
        let t = &self.text[start..end];
        // As before, a lone `./` stays as an empty token.
        Some(t.strip_prefix("./").unwrap_or(t))
    }
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
    phrase_in(toks.iter().copied(), phrase)
}

/// [`has_phrase`] over the tokens of `text`, without listing them.
fn text_has_phrase(text: &str, phrase: &str) -> bool {
    phrase_in(token_iter(text), phrase)
}

/// Whether `phrase` occurs as consecutive tokens of `toks`; no allocation
/// (this runs per RUN for every phrase of several tables).
fn phrase_in<'a>(mut toks: impl Iterator<Item = &'a str> + Clone, phrase: &str) -> bool {
    let mut want = phrase.split_whitespace();
    let Some(head) = want.next() else {
        return false;
    };
    while let Some(t) = toks.next() {
        if base_is(t, head) && follows(&toks, want.clone()) {
            return true;
        }
    }
    false
}

/// Whether the tokens after `it` start with bases `want` (all of them:
/// tokens that end first do not match).
fn follows<'a, 'w>(
    it: &(impl Iterator<Item = &'a str> + Clone),
    want: impl IntoIterator<Item = &'w str>,
) -> bool {
    let mut next = it.clone();
    want.into_iter()
        .all(|b| next.next().is_some_and(|a| base_is(a, b)))
}

/// For the first of `texts` that has one, in one pass over its tokens:
/// the first `-dev` package, else the first of `phrases` (in their order)
/// it holds, the way `tokens` and [`has_phrase`] find them (a RUN of
/// megabytes is read once, not once per phrase into a list of millions of
/// tokens). The phrases are split once for all texts, as [`compiles`]
/// takes its lists from one index.
pub fn dev_package_or_phrase(texts: &[&str], phrases: &[&str]) -> Option<String> {
    // Each phrase: itself, its first word, and the rest.
    let split: Vec<(&str, &str, Vec<&str>)> = phrases
        .iter()
        .filter_map(|p| {
            let mut w = p.split_whitespace();
            Some((*p, w.next()?, w.collect()))
        })
        .collect();
    // A word ends as a phrase's first word does to be one (`base_is`).
    let ends = crate::data::ByteSet::lasts(split.iter().map(|(_, head, _)| *head));
    // A text holding neither `-dev` nor a phrase's first word has neither
    // as a token: it is not read word by word (most RUNs are not).
    let finders: Vec<memchr::memmem::Finder> = std::iter::once("-dev")
        .chain(split.iter().map(|(_, head, _)| *head))
        .map(memchr::memmem::Finder::new)
        .collect();
    texts.iter().find_map(|text| {
        if !finders.iter().any(|f| f.find(text.as_bytes()).is_some()) {
            return None;
        }
        let mut best: Option<usize> = None;
        let mut it = token_iter(text);
        while let Some(t) = it.next() {
            if t.len() > 4 && t.ends_with("-dev") && !t.starts_with('-') {
                return Some(t.to_string());
            }
            if !ends.ends(t) {
                continue;
            }
            let upto = best.unwrap_or(split.len());
            if let Some(k) = split[..upto]
                .iter()
                .position(|(_, head, rest)| base_is(t, head) && follows(&it, rest.iter().copied()))
            {
                best = Some(k);
            }
        }
        best.map(|k| split[k].0.to_string())
    })
}

/// The first thing in `texts` that compiles code (`gcc`, `go build`,
/// `build-essential`), if any.
pub fn compiles(texts: &[&str], tools: &BuildTools) -> Option<String> {
    // One pass over each text's tokens: a command or package wins at once;
    // else the first of `subcommands` (in table order) found anywhere. The
    // lists are looked up in `tools.index()`, not searched per token.
    let ix = tools.index();
    for text in texts.iter().filter(|t| ix.may_hold(t)) {
        let mut sub: Option<usize> = None;
        let mut it = token_iter(text);
        while let Some(t) = it.next() {
            let b = base(t);
            let command = ix.command_starts.starts(b);
            if (command && ix.commands.contains(b))
                || (ix.package_starts.starts(t) && ix.packages.contains(t))
            {
                return Some(b.to_string());
            }
            if !command {
                continue;
            }
            // A phrase's first word is a base (`base_is` never matches a
            // word holding a `/`), so the token's base finds its phrases.
            let upto = sub.unwrap_or(usize::MAX);
            if let Some(&(j, _)) = ix.phrases.get(b).and_then(|ps| {
                ps.iter()
                    .take_while(|(j, _)| *j < upto)
                    .find(|(_, rest)| follows(&it, rest.iter().map(String::as_str)))
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
        tools
            .native_installs
            .iter()
            .find(|p| text_has_phrase(text, p))
            .cloned()
    })
}
