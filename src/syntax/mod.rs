//! Lossless Dockerfile syntax.
//!
//! [`Document::parse`] splits the source into top-level [`Node`]s that cover
//! every byte exactly once, so the untouched document prints back byte for
//! byte. Instructions are read with BuildKit's own rules (directives, escape
//! character, continuations, comment and empty lines inside continuations,
//! heredocs, JSON vs shell form) and keep a [`Logical`] line — the command
//! text BuildKit builds by joining continuation lines — with a map back to
//! source offsets, so that anything found in the joined text (a shell word,
//! a flag) can be edited in place.

pub mod command;
pub mod heredoc;
pub mod image;
pub mod lines;
mod parser;

use std::fmt;
use std::ops::Range;

pub use command::{Command, Flag};
pub use image::ImageRef;

/// Byte offsets into the source.
pub type Span = Range<usize>;

/// A Dockerfile that could not be parsed, with a 1-based position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl ParseError {
    pub(crate) fn at(src: &str, offset: usize, message: String) -> Self {
        let (line, col) = line_col(src, offset);
        ParseError { line, col, message }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.col, self.message)
    }
}

impl std::error::Error for ParseError {}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let before = &src.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let mut start = line_start;
    if line_start == 0 && src.starts_with('\u{feff}') {
        start = 3.min(offset);
    }
    let col = src
        .get(start..offset)
        .map_or(offset - start, |s| s.chars().count())
        + 1;
    (line, col)
}

/// What a top-level node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// The UTF-8 byte-order mark.
    Bom,
    /// A parser directive line (`# syntax=`, `# escape=`, `# check=`).
    Directive,
    /// A comment line outside any instruction.
    Comment,
    /// A line holding only whitespace.
    Blank,
    /// An instruction; the index into [`Document::instructions`].
    Instruction(usize),
}

/// A top-level piece of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub kind: NodeKind,
    pub span: Span,
}

/// A parser directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// Lower-case name: `syntax`, `escape` or `check`.
    pub name: String,
    pub value: String,
    pub span: Span,
}

/// A contiguous run of source text inside a logical line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    /// Offset in the logical text.
    pub logical: usize,
    /// Offset in the source.
    pub source: usize,
    pub len: usize,
}

/// The joined command text of an instruction (continuations and comment
/// lines removed, exactly as BuildKit joins them) with a map to the source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Logical {
    pub text: String,
    pub segments: Vec<Segment>,
}

impl Logical {
    pub(crate) fn push(&mut self, source: usize, s: &str) {
        self.segments.push(Segment {
            logical: self.text.len(),
            source,
            len: s.len(),
        });
        self.text.push_str(s);
    }

    /// Source offset of a logical offset. An offset at a segment boundary
    /// maps to the start of the following segment.
    pub fn to_source(&self, off: usize) -> usize {
        let i = self
            .segments
            .partition_point(|s| s.logical <= off)
            .saturating_sub(1);
        let s = &self.segments[i];
        s.source + (off - s.logical).min(s.len)
    }

    /// Source offset for the *end* of a range: at a boundary, the end of the
    /// preceding segment (so a span never swallows a continuation).
    pub fn to_source_end(&self, off: usize) -> usize {
        let i = self
            .segments
            .partition_point(|s| s.logical < off)
            .saturating_sub(1);
        let s = &self.segments[i];
        s.source + (off - s.logical).min(s.len)
    }

    /// Maps a logical range to a source span.
    pub fn span(&self, r: Range<usize>) -> Span {
        if r.is_empty() {
            let p = self.to_source(r.start);
            return p..p;
        }
        self.to_source(r.start)..self.to_source_end(r.end)
    }

    /// True when the logical range lies on one physical line of the source.
    pub fn is_contiguous(&self, r: Range<usize>) -> bool {
        let a = self
            .segments
            .partition_point(|s| s.logical <= r.start)
            .saturating_sub(1);
        let b = self
            .segments
            .partition_point(|s| s.logical < r.end)
            .saturating_sub(1);
        a == b
    }
}

/// Instruction keywords BuildKit knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Keyword {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
    /// Anything else: BuildKit parses it and fails later.
    Unknown,
}

impl Keyword {
    /// The keyword for an instruction word, in any case.
    pub fn from_keyword(s: &str) -> Keyword {
        let mut buf = [0; KEYWORD_MAX];
        lower_keyword(s, &mut buf).map_or(Keyword::Unknown, Keyword::from_lower)
    }

    /// [`Keyword::from_keyword`] of a word already in lower case.
    pub(crate) fn from_lower(lower: &str) -> Keyword {
        use Keyword::*;
        match lower {
            "add" => Add,
            "arg" => Arg,
            "cmd" => Cmd,
            "copy" => Copy,
            "entrypoint" => Entrypoint,
            "env" => Env,
            "expose" => Expose,
            "from" => From,
            "healthcheck" => Healthcheck,
            "label" => Label,
            "maintainer" => Maintainer,
            "onbuild" => Onbuild,
            "run" => Run,
            "shell" => Shell,
            "stopsignal" => Stopsignal,
            "user" => User,
            "volume" => Volume,
            "workdir" => Workdir,
            _ => Unknown,
        }
    }
}

/// The longest keyword (`healthcheck`).
pub(crate) const KEYWORD_MAX: usize = 11;

/// `s` in lower case, in `buf` (no allocation: every instruction asks);
/// `None` when it is longer than any keyword.
pub(crate) fn lower_keyword<'b>(s: &str, buf: &'b mut [u8; KEYWORD_MAX]) -> Option<&'b str> {
    let out = buf.get_mut(..s.len())?;
    out.copy_from_slice(s.as_bytes());
    out.make_ascii_lowercase();
    // ASCII case changes keep UTF-8 valid (only ASCII bytes change).
    std::str::from_utf8(out).ok()
}

/// A heredoc attached to an instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    pub marker: heredoc::Marker,
    /// The body lines (terminators included), up to the terminator line.
    pub body: Span,
    /// The terminator line, its line ending included.
    pub terminator: Span,
}

/// One instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// From the first byte of its first line (indentation included) to the end
    /// of its last line (terminator included), heredoc bodies included.
    pub span: Span,
    /// 1-based physical line numbers, as BuildKit reports them.
    pub start_line: usize,
    pub end_line: usize,
    pub logical: Logical,
    pub command: Command,
    pub keyword: Keyword,
    /// Heredocs and the lines inside a continuation, which few
    /// instructions have: boxed, so the rest do not carry three empty
    /// lists each (see [`Instruction::heredocs`]).
    pub extra: Option<Box<Extra>>,
}

/// The rarer parts of an [`Instruction`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extra {
    pub heredocs: Vec<Heredoc>,
    /// Comment lines inside the continuation (BuildKit drops them).
    pub comment_lines: Vec<Span>,
    /// Whitespace-only lines inside the continuation.
    pub empty_continuation_lines: Vec<Span>,
}

impl Extra {
    /// `None` when all three are empty.
    pub fn boxed(self) -> Option<Box<Extra>> {
        (!(self.heredocs.is_empty()
            && self.comment_lines.is_empty()
            && self.empty_continuation_lines.is_empty()))
        .then(|| Box::new(self))
    }
}

impl Instruction {
    /// The heredocs, in order.
    pub fn heredocs(&self) -> &[Heredoc] {
        self.extra.as_deref().map_or(&[], |e| &e.heredocs)
    }
    /// Comment lines inside the continuation (BuildKit drops them).
    pub fn comment_lines(&self) -> &[Span] {
        self.extra.as_deref().map_or(&[], |e| &e.comment_lines)
    }
    /// Whitespace-only lines inside the continuation.
    pub fn empty_continuation_lines(&self) -> &[Span] {
        self.extra
            .as_deref()
            .map_or(&[], |e| &e.empty_continuation_lines)
    }
    /// The keyword as written.
    pub fn keyword_text(&self) -> &str {
        &self.logical.text[self.command.keyword.clone()]
    }
    pub fn flags(&self) -> &[Flag] {
        &self.command.flags
    }
    /// The first flag named `name` (without dashes).
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.command.flags.iter().find(|f| f.name() == name)
    }
    /// The arguments after the flags, as one logical string.
    pub fn args_text(&self) -> &str {
        &self.logical.text[self.command.args.clone()]
    }
    /// Exec (JSON) form.
    pub fn is_exec_form(&self) -> bool {
        self.command.json
    }
    /// BuildKit's parsed values (see [`Command::values`]).
    pub fn values(&self) -> &[String] {
        &self.command.values
    }
    /// The source span of the arguments (first to last argument byte).
    pub fn args_span(&self) -> Span {
        self.logical.span(self.command.args.clone())
    }
    /// The instruction wrapped by ONBUILD, if any.
    pub fn onbuild(&self) -> Option<&Command> {
        self.command.sub.as_deref()
    }
    /// Key/value pairs of ENV and LABEL (`value` is raw, quotes kept); the
    /// names of ARG with their optional defaults.
    pub fn pairs(&self) -> Vec<(String, Option<String>)> {
        match self.keyword {
            Keyword::Env | Keyword::Label => self
                .command
                .values
                .chunks(2)
                .map(|c| (c[0].clone(), c.get(1).cloned()))
                .collect(),
            Keyword::Arg => self
                .command
                .values
                .iter()
                .map(|w| match w.split_once('=') {
                    Some((k, v)) => (k.to_string(), Some(v.to_string())),
                    None => (w.clone(), None),
                })
                .collect(),
            _ => Vec::new(),
        }
    }
    /// COPY/ADD sources and destination (the last value).
    pub fn copy_parts(&self) -> Option<(&[String], &str)> {
        match self.keyword {
            Keyword::Copy | Keyword::Add => {
                let (dst, srcs) = self.command.values.split_last()?;
                Some((srcs, dst))
            }
            _ => None,
        }
    }
}

/// A build stage: a FROM and the instructions up to the next FROM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    pub index: usize,
    /// `AS name`, lower-cased as BuildKit compares them.
    pub name: Option<String>,
    /// Index of the FROM in [`Document::instructions`].
    pub from: usize,
    pub image: ImageRef,
    pub platform: Option<String>,
    /// Instruction indices of the stage, the FROM included.
    pub instructions: Range<usize>,
}

/// A parsed Dockerfile. `source()` is always the exact input.
#[derive(Debug, Clone)]
pub struct Document {
    src: String,
    escape: char,
    bom: bool,
    nodes: Vec<Node>,
    instructions: Vec<Instruction>,
    directives: Vec<Directive>,
    stages: Vec<Stage>,
}

impl Document {
    /// Parses `src`. Fails only where BuildKit fails (bad directive, bad
    /// escape token, unterminated heredoc, malformed ENV/LABEL, non-string
    /// JSON array); an empty file or a file of comments is a valid document.
    pub fn parse(src: &str) -> Result<Document, ParseError> {
        parser::parse(src)
    }

    /// [`Document::parse`] of a text the document keeps as its source (no
    /// copy of it is made).
    pub fn parse_owned(src: String) -> Result<Document, ParseError> {
        parser::parse_owned(src)
    }

    pub(crate) fn assemble(
        src: String,
        escape: char,
        bom: bool,
        mut nodes: Vec<Node>,
        mut instructions: Vec<Instruction>,
        directives: Vec<Directive>,
    ) -> Document {
        // The vectors grew by doubling: up to half of each is spare, and a
        // document is kept for a whole pass (a tenth of peak memory on a
        // file of 300k RUNs).
        nodes.shrink_to_fit();
        instructions.shrink_to_fit();
        let stages = build_stages(&instructions);
        Document {
            src,
            escape,
            bom,
            nodes,
            instructions,
            directives,
            stages,
        }
    }

    pub fn source(&self) -> &str {
        &self.src
    }
    /// The source text, the rest dropped.
    pub fn into_source(self) -> String {
        self.src
    }
    /// The escape character (`\` or `` ` ``).
    pub fn escape(&self) -> char {
        self.escape
    }
    pub fn has_bom(&self) -> bool {
        self.bom
    }
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }
    pub fn instructions(&self) -> &[Instruction] {
        &self.instructions
    }
    pub fn directives(&self) -> &[Directive] {
        &self.directives
    }
    pub fn directive(&self, name: &str) -> Option<&Directive> {
        self.directives.iter().find(|d| d.name == name)
    }
    pub fn stages(&self) -> &[Stage] {
        &self.stages
    }
    /// The stage an instruction belongs to (`None` before the first FROM).
    pub fn stage_of(&self, instr: usize) -> Option<&Stage> {
        // Stages are sorted and their ranges consecutive: a binary search.
        let k = self
            .stages
            .partition_point(|s| s.instructions.start <= instr)
            .checked_sub(1)?;
        Some(&self.stages[k]).filter(|s| s.instructions.contains(&instr))
    }
    /// The earlier stage that `FROM <name>` of `st` builds on, if its image
    /// names one (stage names compare case-insensitively, as BuildKit's do).
    pub fn parent_stage(&self, st: &Stage) -> Option<&Stage> {
        let image = st.image.text.to_ascii_lowercase();
        self.stages[..st.index]
            .iter()
            .rev()
            .find(|s| s.name.as_deref() == Some(image.as_str()))
    }
    /// The line ending the file mostly uses (`"\r\n"` or `"\n"`).
    pub fn line_ending(&self) -> &'static str {
        let crlf = self.src.matches("\r\n").count();
        let lf = self.src.matches('\n').count();
        if crlf * 2 > lf {
            "\r\n"
        } else {
            "\n"
        }
    }
    /// Concatenation of every node's text: equal to the source by construction,
    /// checked by tests and `dslim debug roundtrip`.
    pub fn print(&self) -> String {
        let mut out = String::with_capacity(self.src.len());
        for n in &self.nodes {
            out.push_str(&self.src[n.span.clone()]);
        }
        out
    }
    /// The physical text of a source span.
    pub fn text(&self, span: Span) -> &str {
        &self.src[span]
    }
}

fn build_stages(instrs: &[Instruction]) -> Vec<Stage> {
    let mut stages: Vec<Stage> = Vec::new();
    for (i, ins) in instrs.iter().enumerate() {
        if ins.keyword != Keyword::From {
            continue;
        }
        if let Some(prev) = stages.last_mut() {
            prev.instructions.end = i;
        }
        let v = &ins.command.values;
        let image_text = v.first().cloned().unwrap_or_default();
        let name = match v.as_slice() {
            [_, as_kw, name, ..] if as_kw.eq_ignore_ascii_case("as") => {
                Some(name.to_ascii_lowercase())
            }
            _ => None,
        };
        let image_span = ins
            .args_text()
            .find(|c: char| lines::is_arg_ws(c))
            .map_or(ins.command.args.clone(), |n| {
                ins.command.args.start..ins.command.args.start + n
            });
        let image = ImageRef::parse(&image_text, ins.logical.span(image_span));
        stages.push(Stage {
            index: stages.len(),
            name,
            from: i,
            image,
            platform: ins
                .flag("platform")
                .and_then(|f| f.value())
                .map(str::to_string),
            instructions: i..instrs.len(),
        });
    }
    stages
}

#[cfg(test)]
mod tests;
