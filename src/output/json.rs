//! JSON reports: `check --format json`, `rules --format json` and the
//! `debug parse` records.

use serde::Serialize;

use crate::edit::Applicability;
use crate::finding::Finding;
use crate::syntax::{line_col, Document};
use crate::transform::{FixAvailability, Transform};

/// A 1-based position.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    fn of(src: &str, offset: usize) -> Position {
        let (line, column) = line_col(src, offset);
        Position { line, column }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct JsonEdit {
    pub start: Position,
    pub end: Position,
    pub content: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct JsonFix {
    pub applicability: Applicability,
    /// The fix's title (`merge into one RUN`), or null.
    pub message: Option<String>,
    pub edits: Vec<JsonEdit>,
}

/// One element of `check --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct JsonFinding {
    pub path: String,
    pub code: &'static str,
    pub name: &'static str,
    pub message: String,
    /// `"warning"` (a violation: `dslim check` exits 1) or `"info"` (advice:
    /// no fix, or a display-only one; exit 0 unless `--fail-on-advice`).
    pub severity: &'static str,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub fix: Option<JsonFix>,
    pub saving_bytes: Option<u64>,
}

/// A finding with positions resolved against its source.
pub fn finding(path: &str, src: &str, f: &Finding) -> JsonFinding {
    let start = Position::of(src, f.span.start);
    let end = Position::of(src, f.span.end);
    JsonFinding {
        path: path.to_string(),
        code: f.code,
        name: f.name,
        message: f.message.to_string(),
        severity: f.severity(),
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
        fix: f.fix.as_ref().map(|x| JsonFix {
            applicability: x.applicability,
            message: x.title.as_deref().map(str::to_string),
            edits: x
                .edits
                .iter()
                .map(|e| JsonEdit {
                    start: Position::of(src, e.span.start),
                    end: Position::of(src, e.span.end),
                    content: e.replacement.to_string(),
                })
                .collect(),
        }),
        saving_bytes: f.saving_bytes,
    }
}

/// Pretty JSON array of findings, with a final newline.
pub fn findings(items: &[JsonFinding]) -> String {
    let mut s = serde_json::to_string_pretty(items).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

#[derive(Serialize)]
struct JsonRule {
    code: &'static str,
    name: &'static str,
    summary: &'static str,
    fix: FixAvailability,
    safety: Applicability,
    aliases: &'static [&'static str],
}

/// `dslim rules --format json`.
pub fn rules(ts: &[&dyn Transform]) -> String {
    let v: Vec<JsonRule> = ts
        .iter()
        .map(|t| {
            let m = t.meta();
            JsonRule {
                code: m.code,
                name: m.name,
                summary: m.summary,
                fix: m.fix,
                safety: m.safety,
                aliases: m.aliases,
            }
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

#[derive(Serialize)]
struct HeredocRecord<'a> {
    name: &'a str,
    content: &'a str,
}

#[derive(Serialize)]
struct InstructionRecord<'a> {
    cmd: &'a str,
    sub_cmd: Option<&'a str>,
    json: bool,
    start_line: usize,
    end_line: usize,
    flags: Vec<&'a str>,
    value: &'a [String],
    heredocs: Vec<HeredocRecord<'a>>,
}

#[derive(Serialize)]
struct ParseOk<'a> {
    path: &'a str,
    ok: bool,
    instructions: Vec<InstructionRecord<'a>>,
}

#[derive(Serialize)]
struct ParseErr<'a> {
    path: &'a str,
    ok: bool,
    error: &'a str,
}

/// One `debug parse` line (newline included) for a parsed document, in the
/// schema of `scripts/buildkit_dump.py`.
///
/// For `ONBUILD`, `cmd` is the outer keyword and `sub_cmd`, `json`, `value`
/// and the heredocs come from the wrapped command, while `flags` are the
/// outer instruction's flags, as the oracle reports them (BuildKit's node
/// flags; `ONBUILD RUN --mount=… x` has none there).
pub fn parse_record(path: &str, doc: &Document) -> String {
    let instructions = doc
        .instructions()
        .iter()
        .map(|ins| {
            let text = &ins.logical.text;
            let inner = ins.command.sub.as_deref().unwrap_or(&ins.command);
            InstructionRecord {
                cmd: ins.keyword_text(),
                sub_cmd: ins
                    .command
                    .sub
                    .as_deref()
                    .and_then(|s| text.get(s.keyword.clone())),
                json: inner.json,
                start_line: ins.start_line,
                end_line: ins.end_line,
                flags: ins.command.flags.iter().map(|f| f.text.as_str()).collect(),
                value: &inner.values,
                heredocs: ins
                    .heredocs()
                    .iter()
                    .map(|h| HeredocRecord {
                        name: &h.marker.name,
                        content: doc.source().get(h.body.clone()).unwrap_or(""),
                    })
                    .collect(),
            }
        })
        .collect();
    line(&ParseOk {
        path,
        ok: true,
        instructions,
    })
}

/// A `debug parse` line for a file that could not be read or parsed.
pub fn parse_error(path: &str, error: &str) -> String {
    line(&ParseErr {
        path,
        ok: false,
        error,
    })
}

fn line<T: Serialize>(v: &T) -> String {
    let mut s = serde_json::to_string(v)
        .unwrap_or_else(|e| format!("{{\"ok\":false,\"error\":\"cannot serialize record: {e}\"}}"));
    s.push('\n');
    s
}
