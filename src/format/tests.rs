use super::*;
use crate::config::OperatorPosition;

fn fmt(src: &str) -> String {
    format(src, &FormatOptions::default()).unwrap()
}

fn fmt_with(src: &str, indent: usize, op: OperatorPosition) -> String {
    let o = FormatOptions {
        indent,
        operator_position: op,
    };
    format(src, &o).unwrap()
}

#[test]
fn keywords_and_spacing() {
    assert_eq!(fmt("from  debian as build\n"), "FROM debian AS build\n");
    assert_eq!(
        fmt("  run   --mount=type=cache,target=/x \t --network=none  echo hi  \n"),
        "RUN --mount=type=cache,target=/x --network=none echo hi\n"
    );
    assert_eq!(fmt("onbuild run  x\n"), "ONBUILD RUN  x\n");
}

#[test]
fn continuation_lines() {
    assert_eq!(
        fmt("RUN a \\  \n  && b\\\n\t\t&& c\n"),
        "RUN a \\\n    && b \\\n    && c\n"
    );
    // Glued words stay glued.
    assert_eq!(fmt("RUN echo a\\\nb\n"), "RUN echo a\\\nb\n");
    // A line break inside quotes keeps its spacing.
    let q = "RUN echo \"a   \\\n      b\" \\\n  && c\n";
    assert_eq!(fmt(q), "RUN echo \"a   \\\n      b\" \\\n    && c\n");
}

#[test]
fn and_chains() {
    let src = "RUN a && \\\n  b && c\n";
    assert_eq!(fmt(src), "RUN a \\\n    && b \\\n    && c\n");
    assert_eq!(
        fmt_with(src, 2, OperatorPosition::LineEnd),
        "RUN a && \\\n  b && \\\n  c\n"
    );
    // One line: never split.
    assert_eq!(fmt("RUN a && b\n"), "RUN a && b\n");
    assert_eq!(
        fmt("RUN --mount=x \\\n    a && b\n"),
        "RUN --mount=x \\\n    a && b\n"
    );
}

#[test]
fn json_arrays() {
    assert_eq!(fmt("CMD [ \"a\",\"b\" ]\n"), "CMD [\"a\", \"b\"]\n");
    assert_eq!(fmt("CMD [\"a\", b]\n"), "CMD [\"a\", b]\n");
}

#[test]
fn blank_lines_and_final_newline() {
    assert_eq!(fmt("FROM a\n\n  \n\nRUN b  \n\n\n"), "FROM a\n\nRUN b\n");
    assert_eq!(fmt("FROM a"), "FROM a\n");
    assert_eq!(fmt("FROM a\r\nRUN b"), "FROM a\r\nRUN b\r\n");
    assert_eq!(fmt(""), "");
    assert_eq!(fmt("\n\n"), "");
    // A leading blank line ends the directives: kept.
    assert_eq!(fmt("\n\n# escape=`\nFROM a\n"), "\n# escape=`\nFROM a\n");
}

#[test]
fn idempotent_on_samples() {
    for s in [
        "RUN a && \\\n  b && c\n",
        "from a as b\nrun x&&y \\\n &&z\n",
        "RUN echo \"a   \\\n      b\" \\\n  && c\n",
    ] {
        let once = fmt(s);
        assert_eq!(fmt(&once), once, "{s:?}");
    }
}

#[test]
fn guard_rejects_changes_beyond_formatting() {
    let differ = |a: &str, b: &str| {
        equiv::equivalent(&Document::parse(a).unwrap(), &Document::parse(b).unwrap()).is_err()
    };
    // Whitespace inside a quoted string, in a legacy ENV value, in WORKDIR.
    assert!(differ("RUN echo \"a  b\"\n", "RUN echo \"a b\"\n"));
    assert!(differ("ENV K a  b\n", "ENV K a b\n"));
    assert!(differ("ENV K \\\n  a b\n", "ENV K=\"a b\"\n"));
    assert!(differ("WORKDIR /a  b\n", "WORKDIR /a b\n"));
    assert!(differ("RUN <<EOF\n a\nEOF\n", "RUN <<EOF\na\nEOF\n"));
    assert!(differ("CMD [\"a\"]\n", "CMD a\n"));
    // Formatting only.
    assert!(!differ("run a &&  b\n", "RUN a \\\n    && b\n"));
    assert!(!differ("FROM a as b\n", "FROM a AS b\n"));
    assert!(!differ("CMD [ \"a\",\"b\" ]\n", "CMD [\"a\", \"b\"]\n"));
}

#[test]
fn never_panics_on_odd_inputs() {
    for s in [
        "# escape=`\nRUN a `\n  b\n",
        "RUN \\\n",
        "RUN a \\\n\\\n",
        "RUN a \\\n# c\n",
        "RU\\\nN a\n",
        "\u{feff}",
        "\u{feff}\n\n",
        "RUN \u{a0}a \\\n\u{a0} b\n",
        "FROM a\r",
        "RUN a \\\n   ",
        "HEALTHCHECK CMD [\"a\",\"b\"]\n",
        "ONBUILD RUN [\"a\"]\n",
    ] {
        let once = fmt(s);
        assert_eq!(fmt(&once), once, "{s:?}");
    }
}

/// One parse per distinct RUN text a pass reads: the continuation rule and
/// the equivalence check share the model's memo, so the RUN formatting
/// leaves alone is parsed once, and the one it changes once before and
/// once after (three parses, not the four of parsing each use).
#[test]
fn format_parses_each_run_text_once() {
    let src = "FROM x\nRUN a \\\n    && b\nRUN c \\\n  && d\n";
    let before = crate::shell::parse_count();
    let out = fmt(src);
    let parses = crate::shell::parse_count() - before;
    assert_eq!(out, "FROM x\nRUN a \\\n    && b\nRUN c \\\n    && d\n");
    assert_eq!(parses, 3);
}
