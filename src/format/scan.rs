//! Which bytes of a logical line lie outside every quote, escape and
//! comment, for each way BuildKit (or the shell) reads an argument.
//!
//! The formatter changes the length of a whitespace run only when every byte
//! of it is marked safe here. Every scanner is conservative: on anything it
//! does not fully understand it marks the rest of the text unsafe, and an
//! unbalanced quote at the end marks the whole text unsafe.

/// How the text is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// POSIX shell text (shell-form RUN, CMD, ENTRYPOINT, HEALTHCHECK CMD).
    Shell,
    /// BuildKit's `parseWords` (ARG, `ENV`/`LABEL` in `key=value` form),
    /// with the file's escape character.
    Words(char),
    /// A JSON array.
    Json,
    /// Split on whitespace, quotes mean nothing (COPY, ADD, FROM, EXPOSE).
    Split,
    /// Taken verbatim: whitespace is part of the value.
    Raw,
}

/// `safe[i]` for every byte of `text`.
pub(crate) fn safe_bytes(text: &str, class: Class) -> Vec<bool> {
    match class {
        Class::Shell => shell(text.as_bytes()),
        Class::Words(esc) => words(text.as_bytes(), esc),
        Class::Json => json(text.as_bytes()),
        Class::Split => vec![true; text.len()],
        Class::Raw => vec![false; text.len()],
    }
}

fn is_ws(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Index of the closing `quote` at or after `from`; `escapes` honours a
/// backslash before it.
fn close(b: &[u8], from: usize, quote: u8, escapes: bool) -> Option<usize> {
    let mut i = from;
    while i < b.len() {
        if escapes && b[i] == b'\\' {
            i += 2;
            continue;
        }
        if b[i] == quote {
            return Some(i);
        }
        i += 1;
    }
    None
}

fn words(b: &[u8], esc: char) -> Vec<bool> {
    let mut safe = vec![false; b.len()];
    let esc = if esc.is_ascii() { esc as u8 } else { 0 };
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == esc {
            i += 2;
            continue;
        }
        if c == b'\'' || c == b'"' {
            // Inside double quotes the escape character escapes.
            let mut j = i + 1;
            let end = loop {
                if j >= b.len() {
                    break None;
                }
                if c == b'"' && b[j] == esc {
                    j += 2;
                    continue;
                }
                if b[j] == c {
                    break Some(j);
                }
                j += 1;
            };
            let Some(end) = end else {
                return vec![false; b.len()];
            };
            i = end + 1;
            continue;
        }
        safe[i] = true;
        i += 1;
    }
    safe
}

fn json(b: &[u8]) -> Vec<bool> {
    let mut safe = vec![false; b.len()];
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'"' {
            let Some(end) = close(b, i + 1, b'"', true) else {
                return vec![false; b.len()];
            };
            i = end + 1;
            continue;
        }
        safe[i] = true;
        i += 1;
    }
    safe
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Top,
    /// Inside `"…"`.
    Dq,
    /// Inside `$( … )` with this many open parentheses.
    Sub(u32),
    /// Inside `${ … }` with this many open braces.
    Param(u32),
}

fn word_start(b: &[u8], i: usize) -> bool {
    i == 0
        || matches!(
            b[i - 1],
            b' ' | b'\t' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>'
        )
}

fn shell(b: &[u8]) -> Vec<bool> {
    let n = b.len();
    let mut safe = vec![false; n];
    let mut stack = vec![Ctx::Top];
    let mut i = 0;
    while i < n {
        let ctx = *stack.last().expect("the stack keeps Top");
        let step = match ctx {
            Ctx::Top | Ctx::Sub(_) => in_code(b, i, ctx, &mut stack),
            Ctx::Dq => in_double_quotes(b, i, &mut stack),
            Ctx::Param(d) => in_parameter(b, i, d, &mut stack),
        };
        match step {
            Step::To(j) => i = j,
            Step::Byte => {
                // Whitespace inside $( ) is free for the shell, but it
                // belongs to a word (the substitution): kept, so words
                // compare equal as written.
                safe[i] = ctx == Ctx::Top;
                i += 1;
            }
            Step::GiveUp => break,
            Step::Unclosed => return vec![false; n],
        }
    }
    if i >= n && stack != [Ctx::Top] {
        return vec![false; n];
    }
    safe
}

/// What [`shell`] does after looking at one byte.
enum Step {
    /// Goes on at this byte (what was passed is not safe).
    To(usize),
    /// The byte is an ordinary one: safe when at the top level.
    Byte,
    /// Stops: the rest is not safe.
    GiveUp,
    /// A quote is not closed: nothing is safe.
    Unclosed,
}

/// Past the closing `quote` of what opens at `i` (`Unclosed` when there
/// is none).
fn past_quote(b: &[u8], i: usize, quote: u8, escapes: bool) -> Step {
    match close(b, i + 1, quote, escapes) {
        Some(end) => Step::To(end + 1),
        None => Step::Unclosed,
    }
}

/// One byte at the top level or inside `$( … )`.
fn in_code(b: &[u8], i: usize, ctx: Ctx, stack: &mut Vec<Ctx>) -> Step {
    let next = b.get(i + 1).copied();
    match b[i] {
        b'\\' => Step::To(i + 2),
        b'\'' => past_quote(b, i, b'\'', false),
        b'"' => {
            stack.push(Ctx::Dq);
            Step::To(i + 1)
        }
        b'`' => past_quote(b, i, b'`', true),
        b'$' if next == Some(b'(') => {
            stack.push(Ctx::Sub(1));
            Step::To(i + 2)
        }
        b'$' if next == Some(b'{') => {
            stack.push(Ctx::Param(1));
            Step::To(i + 2)
        }
        // bash's $'…' (escapes inside), comments, here-documents and
        // `case` patterns inside $( ) (their `)` would close the
        // substitution early): give up on the rest.
        b'$' if next == Some(b'\'') => Step::GiveUp,
        b'#' if word_start(b, i) => Step::GiveUp,
        b'<' if next == Some(b'<') => Step::GiveUp,
        b'c' if matches!(ctx, Ctx::Sub(_))
            && b[i..].starts_with(b"case")
            && word_start(b, i)
            && b.get(i + 4).is_none_or(|&x| is_ws(x)) =>
        {
            Step::GiveUp
        }
        b'(' => {
            if let Ctx::Sub(d) = ctx {
                *stack.last_mut().unwrap() = Ctx::Sub(d + 1);
            }
            Step::Byte
        }
        b')' => {
            let Ctx::Sub(d) = ctx else {
                return Step::Byte;
            };
            if d == 1 {
                stack.pop();
            } else {
                *stack.last_mut().unwrap() = Ctx::Sub(d - 1);
            }
            Step::To(i + 1)
        }
        _ => Step::Byte,
    }
}

/// One byte inside `"…"`.
fn in_double_quotes(b: &[u8], i: usize, stack: &mut Vec<Ctx>) -> Step {
    let next = b.get(i + 1).copied();
    match b[i] {
        b'\\' => Step::To(i + 2),
        b'"' => {
            stack.pop();
            Step::To(i + 1)
        }
        b'$' if next == Some(b'(') => {
            stack.push(Ctx::Sub(1));
            Step::To(i + 2)
        }
        b'$' if next == Some(b'{') => {
            stack.push(Ctx::Param(1));
            Step::To(i + 2)
        }
        b'`' => past_quote(b, i, b'`', true),
        _ => Step::To(i + 1),
    }
}

/// One byte inside `${ … }` with `d` open braces.
fn in_parameter(b: &[u8], i: usize, d: u32, stack: &mut Vec<Ctx>) -> Step {
    match b[i] {
        b'\\' => Step::To(i + 2),
        b'"' => {
            stack.push(Ctx::Dq);
            Step::To(i + 1)
        }
        b'\'' | b'`' => Step::GiveUp,
        b'{' => {
            *stack.last_mut().unwrap() = Ctx::Param(d + 1);
            Step::To(i + 1)
        }
        b'}' => {
            if d == 1 {
                stack.pop();
            } else {
                *stack.last_mut().unwrap() = Ctx::Param(d - 1);
            }
            Step::To(i + 1)
        }
        _ => Step::To(i + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The safe bytes as a picture: `_` safe, `x` not.
    fn pic(text: &str, class: Class) -> String {
        safe_bytes(text, class)
            .iter()
            .map(|&s| if s { '_' } else { 'x' })
            .collect()
    }

    #[test]
    fn shell_quotes_and_substitutions() {
        assert_eq!(pic(r#"a "b c" d"#, Class::Shell), "__xxxxx__");
        assert_eq!(pic("a 'b c' d", Class::Shell), "__xxxxx__");
        assert_eq!(pic(r"a\ b", Class::Shell), "_xx_");
        // Inside $( ) nothing changes (it is one word).
        assert_eq!(pic(r#"x=$(a "b c") d"#, Class::Shell), "__xxxxxxxxxx__");
        assert_eq!(pic(r#""$(a "b c")" d"#, Class::Shell), "xxxxxxxxxxxx__");
        assert_eq!(pic("a `b c` d", Class::Shell), "__xxxxx__");
        assert_eq!(pic("a ${b:-c d} e", Class::Shell), "__xxxxxxxxx__");
    }

    #[test]
    fn shell_gives_up_conservatively() {
        assert_eq!(pic("a # b c", Class::Shell), "__xxxxx");
        assert_eq!(pic("a#b c", Class::Shell), "_____");
        assert_eq!(pic(r#"a "b"#, Class::Shell), "xxxx");
        assert_eq!(pic("a $'b c'", Class::Shell), "__xxxxxx");
        assert_eq!(pic("a <<x b", Class::Shell), "__xxxxx");
        assert_eq!(
            pic("$(case x in a) b;; esac)", Class::Shell),
            "xxxxxxxxxxxxxxxxxxxxxxxx"
        );
    }

    #[test]
    fn words_json_split_raw() {
        assert_eq!(pic(r#"A="b c" D=e"#, Class::Words('\\')), "__xxxxx____");
        assert_eq!(pic(r#"A="b\" c" D"#, Class::Words('\\')), "__xxxxxxx__");
        assert_eq!(pic("A='b c", Class::Words('\\')), "xxxxxx");
        assert_eq!(pic(r#"["a b", "c"]"#, Class::Json), "_xxxxx__xxx_");
        assert_eq!(pic("a b", Class::Split), "___");
        assert_eq!(pic("a b", Class::Raw), "xxx");
    }
}
