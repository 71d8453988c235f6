//! Splitting one logical instruction line into keyword, flags and arguments,
//! and BuildKit's per-instruction argument parsers.
//!
//! These mirror `frontend/dockerfile/parser/{split_command,line_parsers}.go`
//! rule for rule (including their quirks) because agreeing with BuildKit on
//! every real Dockerfile is the point: a transform that reads an argument
//! differently from the builder would rewrite the wrong thing. Unlike
//! BuildKit, every piece also records where it sits in the logical line, so
//! it can be mapped back to source bytes.

use std::ops::Range;

use super::lines::{is_arg_ws, is_space};
use super::Keyword;

/// A `--name[=value]` builder flag before the arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    /// Where the flag's word stands in the logical line.
    pub span: Range<usize>,
    /// The flag as BuildKit sees it: quotes removed, escapes processed.
    pub text: String,
}

impl Flag {
    /// `mount` for `--mount=type=cache`.
    pub fn name(&self) -> &str {
        let t = self.text.trim_start_matches('-');
        t.split_once('=').map_or(t, |(n, _)| n)
    }
    /// `type=cache` for `--mount=type=cache`; `None` for a bare `--link`.
    pub fn value(&self) -> Option<&str> {
        self.text.split_once('=').map(|(_, v)| v)
    }
}

/// One parsed command: an instruction, or the instruction inside `ONBUILD`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// The keyword as written (any case).
    pub keyword: Range<usize>,
    pub flags: Vec<Flag>,
    /// The arguments after the flags, trimmed, in the logical line.
    pub args: Range<usize>,
    /// The arguments were a JSON array of strings (exec form).
    pub json: bool,
    /// BuildKit's node values: JSON elements, whitespace-split words,
    /// key/value pairs (flattened) or the whole argument string.
    pub values: Vec<String>,
    /// The instruction wrapped by `ONBUILD`.
    pub sub: Option<Box<Command>>,
}

/// An error in an instruction's arguments, positioned in the logical line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgError {
    pub offset: usize,
    pub message: String,
}

/// Parses `line[range]` as one command. Offsets in the result are relative to
/// `line`, so an `ONBUILD` sub-command shares its parent's coordinates.
pub fn parse_command(line: &str, range: Range<usize>, escape: char) -> Result<Command, ArgError> {
    let (keyword, flags, args) = split_command(line, range, escape);
    let mut buf = [0; super::KEYWORD_MAX];
    // Longer than any keyword: an unknown one (its case does not matter).
    let kw = super::lower_keyword(&line[keyword.clone()], &mut buf).unwrap_or("");
    let rest = &line[args.clone()];
    let err = |message: String| ArgError {
        offset: args.start,
        message,
    };
    let mut cmd = Command {
        keyword,
        flags,
        args: args.clone(),
        json: false,
        values: Vec::new(),
        sub: None,
    };
    // An unknown instruction keeps one empty value node (`parseIgnore`);
    // every other dispatcher yields no values for empty arguments.
    if Keyword::from_lower(kw) == Keyword::Unknown {
        cmd.values.push(String::new());
        return Ok(cmd);
    }
    if rest.is_empty() {
        return Ok(cmd);
    }
    match kw {
        "add" | "copy" | "volume" => match parse_json(rest).map_err(err)? {
            Some(v) => {
                cmd.json = true;
                cmd.values = v;
            }
            None => cmd.values = split_ws(rest),
        },
        "arg" => cmd.values = parse_words(rest, escape),
        "cmd" | "entrypoint" | "run" | "shell" => match parse_json(rest).map_err(err)? {
            Some(v) => {
                cmd.json = true;
                cmd.values = v;
            }
            None => cmd.values = vec![rest.to_string()],
        },
        "env" | "label" => cmd.values = parse_name_val(rest, kw, escape).map_err(err)?,
        "expose" | "from" => cmd.values = split_ws(rest),
        "healthcheck" => healthcheck_values(rest, &mut cmd).map_err(err)?,
        "maintainer" | "stopsignal" | "user" | "workdir" => cmd.values.push(rest.to_string()),
        "onbuild" => {
            let sub = parse_command(line, args.clone(), escape)?;
            cmd.sub = Some(Box::new(sub));
        }
        _ => {}
    }
    Ok(cmd)
}

/// Splits `line[range]` (trimmed) into its keyword, its `--flags` and its
/// arguments (trimmed), as BuildKit does: once on a run of blanks after the
/// keyword.
fn split_command(
    line: &str,
    range: Range<usize>,
    escape: char,
) -> (Range<usize>, Vec<Flag>, Range<usize>) {
    let text = &line[range.clone()];
    // strings.TrimSpace, then split once on a run of [\t\v\f\r ].
    let lead = text.len() - text.trim_start_matches(is_space).len();
    let trimmed_end = text.trim_end_matches(is_space).len();
    let start = range.start + lead;
    let end = range.start + trimmed_end.max(lead);
    let body = &line[start..end];
    let kw_len = body.find(is_arg_ws).unwrap_or(body.len());
    let keyword = start..start + kw_len;
    let mut flags = Vec::new();
    let mut args = end..end;
    if kw_len < body.len() {
        let after_ws = body[kw_len..]
            .find(|c: char| !is_arg_ws(c))
            .map_or(body.len(), |i| kw_len + i);
        let rest_start = start + after_ws;
        let rest_off = extract_flags(&line[rest_start..end], rest_start, escape, &mut flags);
        let rest = &line[rest_off..end];
        let l = rest.len() - rest.trim_start_matches(is_space).len();
        let r = rest.trim_end_matches(is_space).len().max(l);
        args = rest_off + l..rest_off + r;
    }
    (keyword, flags, args)
}

/// HEALTHCHECK's values: its first word (`CMD`, `NONE`), then the rest as
/// a JSON array or one string.
fn healthcheck_values(rest: &str, cmd: &mut Command) -> Result<(), String> {
    let b = rest.as_bytes();
    // BuildKit walks bytes here, treating each as a rune.
    let sep = b
        .iter()
        .position(|&c| is_space(c as char))
        .unwrap_or(b.len());
    if sep > 0 {
        let next = b[sep..]
            .iter()
            .position(|&c| !is_space(c as char))
            .map_or(b.len(), |i| sep + i);
        cmd.values.push(lossy(&b[..sep]));
        let tail = &rest[char_boundary(rest, next)..];
        if !tail.is_empty() {
            match parse_json(tail)? {
                Some(v) => {
                    cmd.json = true;
                    cmd.values.extend(v);
                }
                None => cmd.values.push(tail.to_string()),
            }
        }
    }
    Ok(())
}

fn char_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// `extractBuilderFlags`: leading `--flag` words. Returns the offset (in the
/// logical line) where the arguments begin.
fn extract_flags(s: &str, base: usize, escape: char, out: &mut Vec<Flag>) -> usize {
    let b = s.as_bytes();
    // BuildKit reads bytes and widens each to a rune; only ASCII escapes
    // matter in practice, non-ASCII bytes are widened the same way here.
    let esc = if escape.is_ascii() { escape as u8 } else { 0 };
    let mut pos = 0;
    loop {
        while pos < b.len() && is_space(b[pos] as char) {
            pos += 1;
        }
        if !b[pos..].starts_with(b"--") {
            return base + pos;
        }
        let (text, end, quoted) = flag_word(b, pos, esc);
        // A bare `--` ends the flags and is not one.
        if text == "--" {
            return base + end;
        }
        if quoted || !text.is_empty() {
            out.push(Flag {
                span: base + pos..base + end,
                text,
            });
        }
        if end == b.len() {
            return base + end;
        }
        // Past the space that ended the word.
        pos = end + 1;
    }
}

/// The flag word starting at `pos`, read up to the first unquoted space or
/// the end as BuildKit reads it: quotes removed, the escape character
/// dropped before the byte it escapes (and at the very end). Returns the
/// text, where the word ends, and whether it held quotes (a quoted empty
/// word still counts).
fn flag_word(b: &[u8], mut pos: usize, esc: u8) -> (String, usize, bool) {
    let mut text = String::new();
    let mut quote = None;
    let mut quoted = false;
    while pos < b.len() {
        let mut ch = b[pos];
        match quote {
            None if is_space(ch as char) => break,
            None if ch == b'\'' || ch == b'"' => {
                quote = Some(ch);
                quoted = true;
                pos += 1;
                continue;
            }
            Some(q) if ch == q => {
                quote = None;
                pos += 1;
                continue;
            }
            _ => {}
        }
        if ch == esc {
            pos += 1;
            if pos == b.len() {
                break;
            }
            ch = b[pos];
        }
        text.push(ch as char);
        pos += 1;
    }
    (text, pos, quoted)
}

/// `parseWords`: words split on whitespace, quotes kept, the escape
/// character and the character after it kept together.
pub fn parse_words(rest: &str, escape: char) -> Vec<String> {
    parse_words_spanned(rest, escape)
        .into_iter()
        .map(|(w, _)| w)
        .collect()
}

/// [`parse_words`] with each word's byte range in `rest`.
pub fn parse_words_spanned(rest: &str, escape: char) -> Vec<(String, Range<usize>)> {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut quote = '\0';
    let mut blank_ok = false;
    let mut buf = String::new();
    let mut start = 0;
    let mut it = rest.char_indices().peekable();
    loop {
        let Some((pos, ch)) = it.next() else {
            if phase != Phase::Spaces && (blank_ok || !buf.is_empty()) {
                words.push((buf, start..rest.len()));
            }
            break;
        };
        if phase == Phase::Spaces {
            if is_space(ch) {
                continue;
            }
            phase = Phase::Word;
            start = pos;
        }
        let at_end = |it: &mut std::iter::Peekable<std::str::CharIndices>| it.peek().is_none();
        match phase {
            Phase::Word => {
                if is_space(ch) {
                    phase = Phase::Spaces;
                    if blank_ok || !buf.is_empty() {
                        words.push((std::mem::take(&mut buf), start..pos));
                    }
                    buf.clear();
                    blank_ok = false;
                    continue;
                }
                let mut ch = ch;
                if ch == '\'' || ch == '"' {
                    quote = ch;
                    blank_ok = true;
                    phase = Phase::Quote;
                }
                if ch == escape {
                    if at_end(&mut it) {
                        continue;
                    }
                    buf.push(ch);
                    ch = it.next().map(|(_, c)| c).unwrap_or(ch);
                }
                buf.push(ch);
            }
            Phase::Quote => {
                let mut ch = ch;
                if ch == quote {
                    phase = Phase::Word;
                }
                if ch == escape && quote != '\'' {
                    if at_end(&mut it) {
                        phase = Phase::Word;
                        continue;
                    }
                    buf.push(ch);
                    ch = it.next().map(|(_, c)| c).unwrap_or(ch);
                }
                buf.push(ch);
            }
            Phase::Spaces => unreachable!(),
        }
    }
    words
}

/// `parseStringsWhitespaceDelimited`: split on runs of `[\t\v\f\r ]`.
pub fn split_ws(rest: &str) -> Vec<String> {
    if rest.is_empty() {
        return Vec::new();
    }
    rest.split(is_arg_ws)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// `parseJSON`: `Ok(Some(..))` for a JSON array of strings, `Ok(None)` when
/// the text is not a JSON array (BuildKit then falls back to shell form),
/// `Err` for a JSON array holding anything but strings (BuildKit rejects it).
pub fn parse_json(rest: &str) -> Result<Option<Vec<String>>, String> {
    let t = rest.trim_start_matches(is_space);
    if !t.starts_with('[') {
        return Ok(None);
    }
    let Ok(items) = serde_json::from_str::<Vec<serde_json::Value>>(t) else {
        return Ok(None);
    };
    items
        .into_iter()
        .map(|v| match v {
            serde_json::Value::String(s) => Ok(s),
            _ => {
                Err("when using JSON array syntax, arrays must be comprised of strings only".into())
            }
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// `parseNameVal` for ENV and LABEL: `KEY value` (legacy) or `K=v K2=v2`.
/// Returns flattened key/value pairs.
fn parse_name_val(rest: &str, kw: &str, escape: char) -> Result<Vec<String>, String> {
    let words = parse_words(rest, escape);
    if words.is_empty() {
        return Ok(Vec::new());
    }
    if !words[0].contains('=') {
        let Some(i) = rest.find(is_arg_ws) else {
            return Err(format!(
                "{} must have two arguments",
                kw.to_ascii_uppercase()
            ));
        };
        let key = &rest[..i];
        let value = rest[i..].trim_start_matches(is_arg_ws);
        return Ok(vec![key.to_string(), value.to_string()]);
    }
    let mut out = Vec::with_capacity(words.len() * 2);
    for w in words {
        let Some((k, v)) = w.split_once('=') else {
            return Err(format!(
                "Syntax error - can't find = in {w:?}. Must be of the form: name=value"
            ));
        };
        out.push(k.to_string());
        out.push(v.to_string());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(line: &str) -> Command {
        parse_command(line, 0..line.len(), '\\').unwrap()
    }

    #[test]
    fn keyword_flags_args() {
        let l = "RUN --mount=type=cache,target=/x --network=none echo hi";
        let c = cmd(l);
        assert_eq!(&l[c.keyword.clone()], "RUN");
        assert_eq!(c.flags.len(), 2);
        assert_eq!(c.flags[0].name(), "mount");
        assert_eq!(c.flags[0].value(), Some("type=cache,target=/x"));
        assert_eq!(&l[c.flags[1].span.clone()], "--network=none");
        assert_eq!(&l[c.args.clone()], "echo hi");
        assert_eq!(c.values, vec!["echo hi"]);
    }

    #[test]
    fn quoted_flag_values_and_double_dash() {
        let l = r#"COPY --chown="a b" -- --weird /dst"#;
        let c = cmd(l);
        assert_eq!(c.flags[0].text, "--chown=a b");
        assert_eq!(&l[c.args.clone()], "--weird /dst");
    }

    #[test]
    fn exec_form_and_fallback() {
        let c = cmd(r#"CMD ["a", "b"]"#);
        assert!(c.json);
        assert_eq!(c.values, vec!["a", "b"]);
        let c = cmd(r#"CMD ["a", b]"#);
        assert!(!c.json);
        assert_eq!(c.values, vec![r#"["a", b]"#]);
        let l = "CMD [1]";
        assert!(parse_command(l, 0..l.len(), '\\').is_err());
        let c = cmd(r#"COPY ["a", "./"]"#);
        assert!(c.json);
        assert_eq!(c.values, vec!["a", "./"]);
    }

    #[test]
    fn env_forms() {
        assert_eq!(
            cmd("ENV A=1 B=\"2 3\"").values,
            vec!["A", "1", "B", "\"2 3\""]
        );
        assert_eq!(cmd("ENV X  y z").values, vec!["X", "y z"]);
        assert_eq!(cmd("ENV X=").values, vec!["X", ""]);
        assert_eq!(cmd("LABEL k v w").values, vec!["k", "v w"]);
        let l = "ENV A=1 B";
        assert!(parse_command(l, 0..l.len(), '\\').is_err());
        let l = "ENV A";
        assert!(parse_command(l, 0..l.len(), '\\').is_err());
    }

    #[test]
    fn other_dispatchers() {
        assert_eq!(cmd("ARG A B=2").values, vec!["A", "B=2"]);
        assert_eq!(cmd("FROM a:b AS c").values, vec!["a:b", "AS", "c"]);
        assert_eq!(
            cmd("HEALTHCHECK --interval=5s CMD curl x").values,
            vec!["CMD", "curl x"]
        );
        assert_eq!(cmd("HEALTHCHECK NONE").values, vec!["NONE"]);
        assert_eq!(cmd("WORKDIR /a b").values, vec!["/a b"]);
        assert_eq!(cmd("FOO bar").values, vec![""]);
        let l = "ONBUILD RUN --mount=x echo x";
        let c = cmd(l);
        let sub = c.sub.unwrap();
        assert_eq!(&l[sub.keyword.clone()], "RUN");
        assert_eq!(sub.flags[0].text, "--mount=x");
        assert_eq!(sub.values, vec!["echo x"]);
    }

    #[test]
    fn words_keep_escapes_and_quotes() {
        assert_eq!(
            parse_words(r#"a\ b "c d" 'e'"#, '\\'),
            vec![r"a\ b", r#""c d""#, "'e'"]
        );
        assert_eq!(parse_words("a` b", '`'), vec!["a` b"]);
    }
}
