//! `dslim fmt`: the formatter.
//!
//! The formatted text is produced as a set of small [`Edit`]s over the
//! source, never by printing the tree again, so every byte no rule touches
//! is provably the byte that was there. Rule families, one module each:
//!
//! - [`keyword`]: instruction keywords and `AS` in upper case;
//! - [`spacing`]: indentation of the first line, one space after the keyword
//!   and between flags, trailing whitespace, comment and empty lines inside
//!   continuations;
//! - [`continuation`]: continuation lines indented, ` \` before the line
//!   break, one command per line in `&&` chains that already span lines;
//! - [`json`]: exec-form arrays as `["a", "b"]`;
//! - [`blank`]: blank lines, comment and directive lines, the final newline.
//!
//! Whitespace whose length changes must lie outside every quote (see
//! [`scan`]); when unsure a rule leaves the text alone. After the edits are
//! applied the result is parsed again and compared with the input
//! ([`equiv`]); a difference is an internal error and the input is kept.

mod blank;
mod continuation;
pub mod equiv;
mod json;
mod keyword;
mod scan;
mod spacing;

use std::ops::Range;

use crate::config::FormatOptions;
use crate::edit::{self, Edit};
use crate::model::{Model, ScriptMemo, ShellKind};
use crate::pipeline::Error;
use crate::syntax::lines::{split_lines, Line};
use crate::syntax::{Document, Instruction, Keyword};

use scan::Class;

/// Formats `src`. A parse error is reported as such; a formatter bug (an
/// output that does not parse the same, overlapping edits, a panic) as an
/// internal error naming `fmt`.
pub fn format(src: &str, opts: &FormatOptions) -> Result<String, Error> {
    let doc = crate::pipeline::parse(src)?;
    // One memo for both documents: a RUN the edits leave alone is parsed
    // once, by the continuation rule, and not again by the check.
    let memo = ScriptMemo::new();
    let model = Model::with_memo(&doc, memo.clone());
    let internal = |message: String| Error::Internal {
        transforms: vec!["fmt"],
        message,
    };
    let edits =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| model_edits(&model, opts)))
            .map_err(|_| internal("panic while formatting".into()))?;
    if edits.is_empty() {
        return Ok(src.to_string());
    }
    let refs: Vec<&Edit> = edits.iter().collect();
    let out = edit::apply(src, &refs).ok_or_else(|| internal("overlapping edits".into()))?;
    let after = Document::parse(&out)
        .map_err(|e| internal(format!("formatted text does not parse ({e})")))?;
    equiv::equivalent_models(&model, &Model::with_memo(&after, memo))
        .map_err(|e| internal(format!("formatted text parses differently: {e}")))?;
    Ok(out)
}

/// The formatter's edits for a document, sorted and disjoint.
pub fn edits(doc: &Document, opts: &FormatOptions) -> Vec<Edit> {
    model_edits(&Model::new(doc), opts)
}

/// [`edits`] with the shell kinds and RUN shell views of `model`.
fn model_edits(model: &Model, opts: &FormatOptions) -> Vec<Edit> {
    let doc = model.doc();
    let cx = Cx::new(model, opts);
    let mut out = Vec::new();
    for (i, ins) in doc.instructions().iter().enumerate() {
        let v = View::new(&cx, i, ins, model.shell(i));
        keyword::edits(&cx, &v, &mut out);
        if v.opaque {
            continue;
        }
        spacing::edits(&cx, &v, &mut out);
        continuation::edits(&cx, &v, &mut out);
        json::edits(&v, &mut out);
    }
    blank::edits(&cx, &mut out);
    out.retain(|e| doc.source().get(e.span.clone()) != Some(e.replacement.as_str()));
    out.sort_by_key(|e| (e.span.start, e.span.end));
    out
}

/// What every rule needs about the document.
pub(crate) struct Cx<'a> {
    pub doc: &'a Document,
    /// Shell kinds and RUN shell views, each worked out once.
    pub model: &'a Model<'a>,
    pub opts: &'a FormatOptions,
    pub lines: Vec<Line>,
    /// The newline inserted text uses: the file's dominant line ending.
    pub nl: &'static str,
    pub indent: compact_str::CompactString,
}

impl<'a> Cx<'a> {
    fn new(model: &'a Model<'a>, opts: &'a FormatOptions) -> Cx<'a> {
        let doc = model.doc();
        Cx {
            doc,
            model,
            opts,
            lines: split_lines(doc.source()),
            nl: doc.line_ending(),
            indent: " ".repeat(opts.indent).into(),
        }
    }
    /// The physical line holding source offset `off`.
    pub fn line_of(&self, off: usize) -> Line {
        let i = self.lines.partition_point(|l| l.start <= off).max(1) - 1;
        self.lines[i]
    }
}

/// One content line of an instruction: a segment of its logical line.
#[derive(Debug, Clone)]
pub(crate) struct Seg {
    /// Range in the logical text.
    pub logical: Range<usize>,
    /// Source offset of the segment's first byte.
    pub source: usize,
    pub line: Line,
    /// The line ends with the escape character (a continuation).
    pub continued: bool,
    /// Leading and trailing spaces/tabs inside the segment.
    pub lead: usize,
    pub tail: usize,
    /// Only spaces and tabs (or nothing).
    pub blank: bool,
}

impl Seg {
    /// The source offset of a logical offset inside (or at the end of) the
    /// segment.
    pub fn src(&self, off: usize) -> usize {
        debug_assert!(self.logical.start <= off && off <= self.logical.end);
        self.source + (off - self.logical.start)
    }
    /// The source span of a logical range inside the segment.
    pub fn span(&self, r: Range<usize>) -> Range<usize> {
        self.src(r.start)..self.src(r.end)
    }
}

pub(crate) fn is_ws(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// An instruction as the rules see it.
pub(crate) struct View<'a> {
    /// The instruction's index in the document.
    pub index: usize,
    pub ins: &'a Instruction,
    pub segs: Vec<Seg>,
    /// Per logical byte: whitespace here may change length (outside quotes,
    /// escapes, comments, verbatim values).
    pub safe: Vec<bool>,
    /// Only the keyword's case may change.
    pub opaque: bool,
    pub shell: &'a ShellKind,
}

impl<'a> View<'a> {
    fn new(cx: &Cx, index: usize, ins: &'a Instruction, shell: &'a ShellKind) -> View<'a> {
        let text = ins.logical.text.as_bytes();
        let segs = ins
            .logical
            .segments
            .iter()
            .map(|s| {
                let line = cx.line_of(s.source);
                let b = &text[s.logical..s.logical + s.len];
                let lead = b.iter().take_while(|&&c| is_ws(c)).count();
                let tail = b.iter().rev().take_while(|&&c| is_ws(c)).count();
                Seg {
                    logical: s.logical..s.logical + s.len,
                    source: s.source,
                    line,
                    continued: s.source + s.len < line.content_end,
                    lead,
                    tail: tail.min(s.len - lead),
                    blank: lead == s.len,
                }
            })
            .collect();
        let opaque = is_opaque(cx.doc, ins, shell);
        let safe = if opaque {
            vec![false; text.len()]
        } else {
            safe_map(cx.doc, ins, shell)
        };
        View {
            index,
            ins,
            segs,
            safe,
            opaque,
            shell,
        }
    }

    /// Index of the segment holding logical offset `off` (at a boundary,
    /// the later segment).
    pub fn seg_of(&self, off: usize) -> usize {
        self.segs.partition_point(|s| s.logical.start <= off).max(1) - 1
    }

    /// The logical range lies inside one segment.
    pub fn within_one(&self, r: &Range<usize>) -> Option<usize> {
        if r.is_empty() {
            return Some(self.seg_of(r.start));
        }
        let a = self.seg_of(r.start);
        (self.segs[a].logical.end >= r.end).then_some(a)
    }

    pub fn all_safe(&self, r: Range<usize>) -> bool {
        self.safe[r].iter().all(|&s| s)
    }
}

/// Instructions whose text is left exactly as written (only the keyword's
/// case may change): shell-form commands for a shell that is not POSIX sh,
/// every command of a file with the backtick escape (Windows), ONBUILD and
/// unknown instructions.
fn is_opaque(doc: &Document, ins: &Instruction, shell: &ShellKind) -> bool {
    let command = matches!(
        ins.keyword,
        Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Shell
    );
    match ins.keyword {
        Keyword::Onbuild | Keyword::Unknown => true,
        _ if command && doc.escape() != '\\' => true,
        Keyword::Run | Keyword::Cmd | Keyword::Entrypoint => {
            !ins.is_exec_form() && !shell.is_posix()
        }
        _ => false,
    }
}

/// Where whitespace may change length in a (non-opaque) instruction.
fn safe_map(doc: &Document, ins: &Instruction, shell: &ShellKind) -> Vec<bool> {
    let text = &ins.logical.text;
    let c = &ins.command;
    let mut safe = vec![false; text.len()];
    // Between the keyword and the arguments: separators around the flags.
    for s in &mut safe[c.keyword.end..c.args.start] {
        *s = true;
    }
    for f in &c.flags {
        for s in &mut safe[f.span.clone()] {
            *s = false;
        }
    }
    // After the arguments: BuildKit trims it.
    for s in &mut safe[c.args.end..] {
        *s = true;
    }
    if !ins.heredocs().is_empty() || c.args.is_empty() {
        return safe;
    }
    let args = &text[c.args.clone()];
    let fill = |safe: &mut Vec<bool>, from: usize, class: Class| {
        let part = &args[from..];
        for (i, s) in scan::safe_bytes(part, class).into_iter().enumerate() {
            safe[c.args.start + from + i] = s;
        }
    };
    let esc = doc.escape();
    match ins.keyword {
        Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Shell => fill(
            &mut safe,
            0,
            if c.json { Class::Json } else { Class::Shell },
        ),
        Keyword::Copy | Keyword::Add | Keyword::Volume => fill(
            &mut safe,
            0,
            if c.json { Class::Json } else { Class::Split },
        ),
        Keyword::Expose | Keyword::From => fill(&mut safe, 0, Class::Split),
        Keyword::Arg => fill(&mut safe, 0, Class::Words(esc)),
        Keyword::Env | Keyword::Label => {
            let words = crate::syntax::command::parse_words(args, esc);
            // The legacy `KEY value` form keeps the value verbatim.
            if words.first().is_some_and(|w| w.contains('=')) {
                fill(&mut safe, 0, Class::Words(esc));
            }
        }
        Keyword::Healthcheck => {
            let b = args.as_bytes();
            let sep = b.iter().position(|&x| is_ws(x)).unwrap_or(b.len());
            let tail = b[sep..]
                .iter()
                .position(|&x| !is_ws(x))
                .map_or(b.len(), |i| sep + i);
            if tail < b.len() {
                for s in &mut safe[c.args.start + sep..c.args.start + tail] {
                    *s = true;
                }
                let class = if c.json {
                    Class::Json
                } else if shell.is_posix() {
                    Class::Shell
                } else {
                    Class::Raw
                };
                fill(&mut safe, tail, class);
            }
        }
        _ => {}
    }
    safe
}

#[cfg(test)]
mod tests;
