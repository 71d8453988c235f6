//! Exec-form arrays as `["a", "b"]`: one space after each comma, none
//! inside the brackets. Each string is kept exactly as written (escapes
//! included), so the array parses to the same values. Only arrays on one
//! line are rewritten; an array spanning continuation lines keeps its line
//! breaks (the continuation rules still indent it).

use super::View;
use crate::edit::Edit;
use crate::syntax::command::parse_json;
use crate::syntax::Keyword;

pub(super) fn edits(v: &View, out: &mut Vec<Edit>) {
    let ins = v.ins;
    if !ins.is_exec_form() {
        return;
    }
    let args = ins.command.args.clone();
    let text = &ins.logical.text;
    let start = match ins.keyword {
        Keyword::Run
        | Keyword::Cmd
        | Keyword::Entrypoint
        | Keyword::Shell
        | Keyword::Copy
        | Keyword::Add
        | Keyword::Volume => args.start,
        Keyword::Healthcheck => match text[args.clone()].find('[') {
            Some(i) => args.start + i,
            None => return,
        },
        _ => return,
    };
    let r = start..args.end;
    let Some(k) = v.within_one(&r) else { return };
    let array = &text[r.clone()];
    let Some(canonical) = canonical(array) else {
        return;
    };
    // The rewrite must read back as the same strings.
    if canonical != array
        && parse_json(&canonical).ok().flatten() == parse_json(array).ok().flatten()
        && parse_json(array).is_ok_and(|a| a.is_some())
    {
        out.push(Edit::replace(v.segs[k].span(r), canonical));
    }
}

/// The canonical text of a JSON array of strings, each string token kept
/// as written; `None` if the text is not such an array.
pub(crate) fn canonical(array: &str) -> Option<String> {
    let b = array.as_bytes();
    let ws = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r');
    let mut i = 0;
    let skip = |i: &mut usize| {
        while *i < b.len() && ws(b[*i]) {
            *i += 1;
        }
    };
    if b.first() != Some(&b'[') {
        return None;
    }
    i += 1;
    let mut items: Vec<&str> = Vec::new();
    skip(&mut i);
    if b.get(i) == Some(&b']') {
        i += 1;
    } else {
        loop {
            skip(&mut i);
            if b.get(i) != Some(&b'"') {
                return None;
            }
            let s = i;
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            if i >= b.len() {
                return None;
            }
            i += 1;
            items.push(&array[s..i]);
            skip(&mut i);
            match b.get(i) {
                Some(b',') => i += 1,
                Some(b']') => {
                    i += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    skip(&mut i);
    if i != b.len() {
        return None;
    }
    Some(format!("[{}]", items.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::canonical;

    #[test]
    fn canonical_arrays() {
        assert_eq!(canonical(r#"["a","b"]"#).unwrap(), r#"["a", "b"]"#);
        assert_eq!(canonical(r#"[ "a" ,  "b" ]"#).unwrap(), r#"["a", "b"]"#);
        assert_eq!(canonical("[ ]").unwrap(), "[]");
        assert_eq!(
            canonical(r#"["a\"b\u00e9\\"]"#).unwrap(),
            r#"["a\"b\u00e9\\"]"#
        );
        assert!(canonical(r#"["a", 1]"#).is_none());
        assert!(canonical(r#"["a",]"#).is_none());
        assert!(canonical(r#"["a"] x"#).is_none());
    }
}
