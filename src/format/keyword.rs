//! Keywords in upper case: the instruction, the instruction ONBUILD wraps,
//! and `AS` in `FROM image AS name`.

use super::{Cx, View};
use crate::edit::Edit;
use crate::syntax::lines::is_arg_ws;
use crate::syntax::Keyword;

pub(super) fn edits(_cx: &Cx, v: &View, out: &mut Vec<Edit>) {
    let ins = v.ins;
    let text = &ins.logical.text;
    let mut upper = |r: std::ops::Range<usize>| {
        if r.is_empty() || Keyword::from_keyword(&text[r.clone()]) == Keyword::Unknown {
            return;
        }
        let Some(k) = v.within_one(&r) else { return };
        let word = &text[r.clone()];
        let up = word.to_ascii_uppercase();
        if up != word {
            out.push(Edit::replace(v.segs[k].span(r), up));
        }
    };
    upper(ins.command.keyword.clone());
    if let Some(sub) = ins.onbuild() {
        upper(sub.keyword.clone());
    }
    if ins.keyword == Keyword::From && !v.opaque {
        let args = ins.command.args.clone();
        let mut words = Vec::new();
        let mut start = None;
        for (i, c) in text[args.clone()].char_indices() {
            match (is_arg_ws(c), start) {
                (true, Some(s)) => {
                    words.push(s..i);
                    start = None;
                }
                (false, None) => start = Some(i),
                _ => {}
            }
        }
        if let Some(s) = start {
            words.push(s..args.len());
        }
        if let Some(w) = words.get(1) {
            let r = args.start + w.start..args.start + w.end;
            if text[r.clone()].eq_ignore_ascii_case("as") && &text[r.clone()] != "AS" {
                if let Some(k) = v.within_one(&r) {
                    out.push(Edit::replace(v.segs[k].span(r), "AS"));
                }
            }
        }
    }
}
