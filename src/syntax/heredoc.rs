//! Heredoc detection, as BuildKit does it: the logical line is split into
//! shell words (always with `\` as escape, quotes and escapes kept raw), and
//! every word of the form `[n]<<[-]WORD` opens a heredoc. A lexing error
//! anywhere in the line means "no heredocs" (BuildKit ignores the error).

/// A heredoc marker found on an instruction line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    /// The terminator, with quotes removed.
    pub name: String,
    /// `<<-`: leading tabs are stripped from the terminator line (and the body).
    pub chomp: bool,
    /// Unquoted name: the body is subject to expansion.
    pub expand: bool,
    pub fd: u32,
}

/// Words of `line` as BuildKit's shell lexer produces them with raw quotes,
/// raw escapes and unset variables left alone. `None` on a lexing error.
fn raw_words(line: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut buf = String::new();
    let mut in_word = false;
    let mut it = line.chars().peekable();
    while let Some(&ch) = it.peek() {
        match ch {
            '\'' => {
                it.next();
                single_quoted(&mut it, &mut buf)?;
                in_word = true;
            }
            '"' => {
                it.next();
                double_quoted(&mut it, &mut buf)?;
                in_word = true;
            }
            '$' => {
                it.next();
                let mut tmp = String::new();
                dollar(&mut it, &mut tmp)?;
                for c in tmp.chars() {
                    add_char(c, &mut buf, &mut in_word, &mut words);
                }
            }
            '<' => {
                it.next();
                redirection(&mut it, &mut buf);
                in_word = true;
            }
            '\\' => {
                it.next();
                buf.push('\\');
                in_word = true;
                match it.next() {
                    None => break,
                    Some(c) => buf.push(c),
                }
            }
            _ => {
                it.next();
                add_char(ch, &mut buf, &mut in_word, &mut words);
            }
        }
    }
    if !buf.is_empty() {
        words.push(buf);
    }
    Some(words)
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// A single-quoted string, its opening quote read: kept raw with its
/// quotes. `None` when it is not closed.
fn single_quoted(it: &mut Chars, buf: &mut String) -> Option<()> {
    buf.push('\'');
    loop {
        match it.next() {
            None => return None,
            Some('\'') => break,
            Some(c) => buf.push(c),
        }
    }
    buf.push('\'');
    Some(())
}

/// A double-quoted string, its opening quote read: kept raw with its
/// quotes and escapes, variables read as [`dollar`] does. `None` when it is
/// not closed (or a variable in it does not lex).
fn double_quoted(it: &mut Chars, buf: &mut String) -> Option<()> {
    buf.push('"');
    loop {
        match it.next() {
            None => return None,
            Some('"') => break,
            Some('\\') => {
                buf.push('\\');
                match it.peek() {
                    None => {}
                    Some(&c) if matches!(c, '"' | '$' | '\\') => {
                        it.next();
                        buf.push(c);
                    }
                    Some(_) => {}
                }
            }
            Some('$') => dollar(it, buf)?,
            Some(c) => buf.push(c),
        }
    }
    buf.push('"');
    Some(())
}

/// A `<`, read: `<<` with the blanks after it stays in the word (so
/// `<< EOF` reads as one heredoc word), a lone `<` is a character.
fn redirection(it: &mut Chars, buf: &mut String) {
    if it.peek() == Some(&'<') {
        it.next();
        buf.push_str("<<");
        while let Some(&c) = it.peek() {
            if c == ' ' || c == '\t' || c == '\r' || c == '\n' {
                buf.push(c);
                it.next();
            } else {
                break;
            }
        }
    } else {
        buf.push('<');
    }
}

fn add_char(c: char, buf: &mut String, in_word: &mut bool, words: &mut Vec<String>) {
    if c.is_whitespace() {
        if *in_word && !buf.is_empty() {
            words.push(std::mem::take(buf));
            *in_word = false;
        }
    } else {
        buf.push(c);
        *in_word = true;
    }
}

/// `$name`, `${name}`, `${name:-word}`…: with every variable unset and
/// `SkipUnsetEnv`, BuildKit keeps references literally. We keep the raw text
/// and only detect the errors that make the lexer give up.
fn dollar(it: &mut std::iter::Peekable<std::str::Chars>, buf: &mut String) -> Option<()> {
    buf.push('$');
    if it.peek() != Some(&'{') {
        return Some(());
    }
    it.next();
    buf.push('{');
    match it.peek() {
        None | Some('{') | Some('}') | Some(':') => return None,
        _ => {}
    }
    let mut depth = 1;
    for c in it.by_ref() {
        buf.push(c);
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(());
                }
            }
            _ => {}
        }
    }
    None
}

/// Removes quotes and escapes from a heredoc name (BuildKit's non-raw pass).
fn unquote(raw: &str) -> Option<String> {
    let mut out = String::new();
    let mut it = raw.chars().peekable();
    let mut words = 0;
    let mut in_word = false;
    while let Some(c) = it.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match it.next() {
                        None => return None,
                        Some('\'') => break,
                        Some(c) => out.push(c),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match it.next() {
                        None => return None,
                        Some('"') => break,
                        Some('\\') => match it.peek() {
                            Some(&n) if matches!(n, '"' | '$' | '\\') => {
                                it.next();
                                out.push(n);
                            }
                            _ => out.push('\\'),
                        },
                        Some(c) => out.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(n) = it.next() {
                    out.push(n);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words += 1;
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                out.push(c);
            }
        }
    }
    if in_word {
        words += 1;
    }
    (words == 1).then_some(out)
}

/// Heredoc markers on a logical instruction line, in order.
pub fn markers(line: &str) -> Vec<Marker> {
    if !line.contains("<<") {
        return Vec::new();
    }
    let Some(words) = raw_words(line) else {
        return Vec::new();
    };
    words.iter().filter_map(|w| marker(w)).collect()
}

/// Matches `^(\d*)<<(-?)\s*([^<]*)$` and derives name, chomp and expand.
fn marker(word: &str) -> Option<Marker> {
    let digits = word.len() - word.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let rest = word[digits..].strip_prefix("<<")?;
    let (chomp, rest) = match rest.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let rest = rest.trim_start_matches([' ', '\t', '\n', '\x0c', '\r']);
    if rest.is_empty() || rest.contains('<') {
        return None;
    }
    let name = unquote(rest)?;
    let quotes = |s: &str| s.matches(['\'', '"']).count();
    // Quoted anywhere in the raw word but not in the processed one: no expansion.
    let expand = quotes(&name) == quotes(rest);
    Some(Marker {
        name,
        chomp,
        expand,
        fd: word[..digits].parse().unwrap_or(0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(line: &str) -> Vec<String> {
        markers(line).into_iter().map(|m| m.name).collect()
    }

    #[test]
    fn finds_markers() {
        assert_eq!(names("RUN <<EOF"), vec!["EOF"]);
        assert_eq!(names("COPY <<a <<b /dst/"), vec!["a", "b"]);
        assert_eq!(names("RUN cat << EOF > /x"), vec!["EOF"]);
        assert_eq!(names("RUN <<\"EOF\" bash"), vec!["EOF"]);
        assert!(markers("RUN <<'EOF'")[0].name == "EOF" && !markers("RUN <<'EOF'")[0].expand);
        assert!(markers("RUN <<-EOF")[0].chomp);
        assert_eq!(markers("RUN 3<<EOF")[0].fd, 3);
    }

    #[test]
    fn non_markers() {
        assert!(names("RUN cat<<EOF").is_empty());
        assert!(names("RUN echo \"a <<b\"").is_empty());
        assert!(names("RUN echo 'unterminated <<EOF").is_empty());
        assert!(names("RUN <<- EOF").is_empty());
        assert!(names("RUN echo ${:x} <<EOF").is_empty());
        assert!(names("RUN echo a << b<c").is_empty());
    }
}
