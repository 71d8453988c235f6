//! Parser tests: one per construct the foundation issue lists. Each checks
//! the byte-exact round trip and that the parsed view is the one BuildKit has.

use super::*;

fn parse(src: &str) -> Document {
    let d = Document::parse(src).unwrap_or_else(|e| panic!("{e} in {src:?}"));
    assert_eq!(d.print(), src, "round trip");
    assert_eq!(d.source(), src);
    // Nodes are contiguous and cover every byte once.
    let mut pos = 0;
    for n in d.nodes() {
        assert_eq!(n.span.start, pos, "gap or overlap before {n:?}");
        pos = n.span.end;
    }
    assert_eq!(pos, src.len());
    d
}

fn kinds(d: &Document) -> Vec<&'static str> {
    d.nodes()
        .iter()
        .map(|n| match n.kind {
            NodeKind::Bom => "bom",
            NodeKind::Directive => "directive",
            NodeKind::Comment => "comment",
            NodeKind::Blank => "blank",
            NodeKind::Instruction(_) => "instr",
        })
        .collect()
}

#[test]
fn directives_at_top() {
    let d = parse(
        "# syntax=docker/dockerfile:1\n# check=skip=JSONArgsRecommended\n# escape=\\\nFROM a\n",
    );
    assert_eq!(kinds(&d), ["directive", "directive", "directive", "instr"]);
    assert_eq!(d.directive("syntax").unwrap().value, "docker/dockerfile:1");
    assert_eq!(
        d.directive("check").unwrap().value,
        "skip=JSONArgsRecommended"
    );
    assert_eq!(d.escape(), '\\');
}

#[test]
fn directive_after_comment_is_a_comment() {
    let d = parse("# hello\n# escape=`\nFROM a\n");
    assert_eq!(kinds(&d), ["comment", "comment", "instr"]);
    assert_eq!(d.escape(), '\\');
    // A blank line also ends the directives.
    let d = parse("\n# escape=`\nFROM a\n");
    assert_eq!(d.escape(), '\\');
}

#[test]
fn duplicate_or_bad_directive_is_an_error() {
    let e = Document::parse("# escape=`\n# escape=\\\nFROM a\n").unwrap_err();
    assert_eq!(e.line, 2);
    assert!(e.message.contains("only one escape"));
    let e = Document::parse("# escape=x\nFROM a\n").unwrap_err();
    assert_eq!((e.line, e.col), (1, 1));
    assert!(e.message.contains("invalid escape token"));
}

#[test]
fn backtick_escape_windows_paths() {
    let src = "# escape=`\nFROM mcr.microsoft.com/windows/servercore\nWORKDIR C:\\app\\\nRUN dir `\n    C:\\Windows\nCOPY a C:\\\n";
    let d = parse(src);
    assert_eq!(d.escape(), '`');
    let i = d.instructions();
    assert_eq!(i.len(), 4);
    assert_eq!(i[1].values(), ["C:\\app\\"]);
    assert_eq!(i[2].args_text(), "dir     C:\\Windows");
    assert_eq!((i[2].start_line, i[2].end_line), (4, 5));
    assert_eq!(i[3].values(), ["a", "C:\\"]);
}

#[test]
fn keywords_any_case_indentation_tabs() {
    let d = parse("from a\n  run echo hi\n\tCoPy\t. /app\n");
    let i = d.instructions();
    assert_eq!(i[0].keyword, Keyword::From);
    assert_eq!(i[1].keyword, Keyword::Run);
    assert_eq!(i[1].keyword_text(), "run");
    assert_eq!(i[1].span, 7..21);
    assert_eq!(i[2].keyword, Keyword::Copy);
    assert_eq!(i[2].values(), [".", "/app"]);
}

#[test]
fn continuations_with_trailing_ws_comments_and_empty_lines() {
    let src = "RUN apt-get update \\  \n  # a comment\n\n    && apt-get install -y x \\\n\t\n    && echo done\nRUN b\n";
    let d = parse(src);
    let i = d.instructions();
    assert_eq!(i.len(), 2);
    assert_eq!(
        i[0].args_text(),
        "apt-get update     && apt-get install -y x     && echo done"
    );
    assert_eq!((i[0].start_line, i[0].end_line), (1, 6));
    assert_eq!(i[0].comment_lines().len(), 1);
    assert_eq!(i[0].empty_continuation_lines().len(), 2);
    // Logical offsets map back to the source.
    let at = i[0].args_text().find("&& apt-get").unwrap() + i[0].command.args.start;
    let src_off = i[0].logical.to_source(at);
    assert!(src[src_off..].starts_with("&& apt-get install"));
    assert_eq!(i[1].start_line, 7);
}

#[test]
fn continuation_at_eof() {
    let d = parse("FROM a\nRUN echo \\");
    let i = d.instructions();
    assert_eq!(i[1].values(), ["echo"]);
    let d = parse("FROM a\nRUN echo \\\n");
    assert_eq!(d.instructions()[1].end_line, 2);
}

#[test]
fn escaped_backslash_is_not_a_continuation() {
    let d = parse("FROM a\nCOPY x C:\\\\\nRUN next\n");
    let i = d.instructions();
    assert_eq!(i.len(), 3);
    assert_eq!(i[2].args_text(), "next");
}

#[test]
fn heredocs_all_forms() {
    let src = "FROM a\nRUN <<EOF\necho hi\nEOF\nRUN <<-EOT bash\n\techo $x\n\tEOT\nRUN <<\"Q\" sh\necho $y\nQ\nCOPY <<a <<b /dst/\nx\na\ny\nb\nRUN <<'E'\nE\nRUN next\n";
    let d = parse(src);
    let i = d.instructions();
    assert_eq!(i.len(), 7);
    let h = &i[1].heredocs()[0];
    assert_eq!(h.marker.name, "EOF");
    assert_eq!(d.text(h.body.clone()), "echo hi\n");
    assert_eq!(d.text(h.terminator.clone()), "EOF\n");
    assert_eq!((i[1].start_line, i[1].end_line), (2, 4));
    assert!(i[2].heredocs()[0].marker.chomp);
    assert_eq!(d.text(i[2].heredocs()[0].body.clone()), "\techo $x\n");
    assert!(!i[3].heredocs()[0].marker.expand);
    let names: Vec<_> = i[4]
        .heredocs()
        .iter()
        .map(|h| h.marker.name.as_str())
        .collect();
    assert_eq!(names, ["a", "b"]);
    assert_eq!(d.text(i[4].heredocs()[1].body.clone()), "y\n");
    assert_eq!(i[4].values(), ["<<a", "<<b", "/dst/"]);
    assert_eq!(d.text(i[5].heredocs()[0].body.clone()), "");
    // A heredoc followed directly by an instruction.
    assert_eq!(i[6].args_text(), "next");
    assert_eq!(i[6].start_line, 18);
}

#[test]
fn unterminated_heredoc_is_an_error() {
    let e = Document::parse("FROM a\nRUN <<EOF\necho\n").unwrap_err();
    assert_eq!(e.line, 2);
    assert!(e.message.contains("unterminated heredoc"));
}

#[test]
fn heredoc_not_in_exec_form_or_other_instructions() {
    let d = parse("FROM a\nRUN [\"sh\", \"-c\", \"cat <<EOF\"]\nENV A=<<B\nRUN x\n");
    assert!(d.instructions().iter().all(|i| i.heredocs().is_empty()));
    assert_eq!(d.instructions().len(), 4);
}

#[test]
fn exec_form_and_invalid_json_fallback() {
    let d = parse("FROM a\nCMD [\"a\", \"b\"]\nENTRYPOINT [\"a\", b]\nRUN [ \"x\" ]\n");
    let i = d.instructions();
    assert!(i[1].is_exec_form());
    assert_eq!(i[1].values(), ["a", "b"]);
    assert!(!i[2].is_exec_form());
    assert_eq!(i[2].values(), ["[\"a\", b]"]);
    assert!(i[3].is_exec_form());
    let e = Document::parse("FROM a\nCMD [1, 2]\n").unwrap_err();
    assert_eq!(e.line, 2);
}

#[test]
fn all_flags() {
    let src = "FROM --platform=$BUILDPLATFORM golang AS build\n\
RUN --mount=type=cache,target=/root/.cache --mount=type=secret,id=x --network=none --security=insecure go build\n\
COPY --from=build --chown=1:1 --chmod=755 --link --parents --exclude=*.md a b /out/\n\
ADD --checksum=sha256:abc --keep-git-dir=true https://x/y.git /src\n";
    let d = parse(src);
    let i = d.instructions();
    let names = |k: usize| {
        i[k].flags()
            .iter()
            .map(|f| f.name().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(0), ["platform"]);
    assert_eq!(names(1), ["mount", "mount", "network", "security"]);
    assert_eq!(
        names(2),
        ["from", "chown", "chmod", "link", "parents", "exclude"]
    );
    assert_eq!(names(3), ["checksum", "keep-git-dir"]);
    assert_eq!(i[1].flag("network").unwrap().value(), Some("none"));
    assert_eq!(
        i[2].copy_parts().unwrap(),
        (&["a".to_string(), "b".to_string()][..], "/out/")
    );
    // Flag spans point at the source.
    let f = &i[1].flags()[1];
    assert_eq!(
        d.text(i[1].logical.span(f.span.clone())),
        "--mount=type=secret,id=x"
    );
}

#[test]
fn onbuild_from_as_args_before_from_variables() {
    let src = "ARG BASE=debian\nARG TAG\nFROM ${BASE}:${TAG} AS Builder\nONBUILD RUN echo x\nFROM --platform=linux/amd64 builder\n";
    let d = parse(src);
    let st = d.stages();
    assert_eq!(st.len(), 2);
    assert_eq!(st[0].name.as_deref(), Some("builder"));
    assert_eq!(st[0].image.text, "${BASE}:${TAG}");
    assert_eq!(d.text(st[0].image.span.clone()), "${BASE}:${TAG}");
    assert!(st[0].image.has_variables());
    assert_eq!(st[0].instructions, 2..4);
    assert_eq!(st[1].platform.as_deref(), Some("linux/amd64"));
    assert_eq!(st[1].image.name, "builder");
    assert!(d.stage_of(0).is_none());
    let ob = d.instructions()[3].onbuild().unwrap();
    assert_eq!(ob.values, ["echo x"]);
    assert_eq!(
        d.instructions()[0].pairs(),
        vec![("BASE".to_string(), Some("debian".to_string()))]
    );
}

#[test]
fn env_arg_label_pairs() {
    let d =
        parse("FROM a\nENV A=1 B=\"x y\"\nENV LEGACY some value\nARG X Y=2\nLABEL a=b\nENV E=\n");
    let i = d.instructions();
    assert_eq!(i[1].pairs()[1], ("B".into(), Some("\"x y\"".into())));
    assert_eq!(
        i[2].pairs(),
        vec![("LEGACY".into(), Some("some value".into()))]
    );
    assert_eq!(
        i[3].pairs(),
        vec![("X".into(), None), ("Y".into(), Some("2".into()))]
    );
    assert_eq!(i[5].pairs(), vec![("E".into(), Some(String::new()))]);
}

#[test]
fn workdir_user_shell_cmd_entrypoint() {
    let d = parse("FROM a\nWORKDIR /app\nUSER nobody:nogroup\nSHELL [\"/bin/bash\", \"-eo\", \"pipefail\", \"-c\"]\nCMD echo hi\nENTRYPOINT [\"/x\"]\n");
    let i = d.instructions();
    assert_eq!(i[1].values(), ["/app"]);
    assert_eq!(i[2].values(), ["nobody:nogroup"]);
    assert_eq!(i[3].values(), ["/bin/bash", "-eo", "pipefail", "-c"]);
    assert!(!i[4].is_exec_form());
    assert!(i[5].is_exec_form());
}

#[test]
fn crlf_mixed_bom_no_final_newline_empty() {
    let d = parse("FROM a\r\nRUN x \\\r\n  y\r\n");
    assert_eq!(d.instructions()[1].args_text(), "x   y");
    assert_eq!(d.line_ending(), "\r\n");
    let d = parse("FROM a\r\nRUN b\nRUN c\r\n");
    assert_eq!(d.instructions().len(), 3);
    let d = parse("\u{feff}# escape=`\nFROM a\nRUN b `\n c");
    assert!(d.has_bom());
    assert_eq!(d.escape(), '`');
    assert_eq!(kinds(&d), ["bom", "directive", "instr", "instr"]);
    assert_eq!(d.instructions()[1].args_text(), "b  c");
    let d = parse("");
    assert!(d.nodes().is_empty());
    let d = parse("# only a comment");
    assert_eq!(kinds(&d), ["comment"]);
    let d = parse("FROM a");
    assert_eq!(d.instructions()[0].span, 0..6);
}

#[test]
fn error_positions() {
    let e = Document::parse("FROM a\nENV ONLYKEY\n").unwrap_err();
    assert_eq!((e.line, e.col), (2, 5));
    assert_eq!(e.to_string(), "2:5: ENV must have two arguments");
}

#[test]
fn parent_stage_follows_from_by_name() {
    let d = parse("FROM debian AS Base\nFROM base AS mid\nFROM MID\nFROM other\n");
    let st = d.stages();
    assert!(d.parent_stage(&st[0]).is_none());
    assert_eq!(d.parent_stage(&st[1]).map(|s| s.index), Some(0));
    assert_eq!(d.parent_stage(&st[2]).map(|s| s.index), Some(1));
    assert!(d.parent_stage(&st[3]).is_none());
}

/// Keywords are matched in any case without an allocation; a word longer
/// than any keyword, or one with other letters, is unknown.
#[test]
fn keywords_in_any_case() {
    for (s, k) in [
        ("HEALTHCHECK", Keyword::Healthcheck),
        ("EntryPoint", Keyword::Entrypoint),
        ("run", Keyword::Run),
        ("HEALTHCHECKS", Keyword::Unknown),
        ("RÜN", Keyword::Unknown),
        ("", Keyword::Unknown),
    ] {
        assert_eq!(Keyword::from_keyword(s), k, "{s:?}");
    }
    let doc = Document::parse("FrOm a\nrUn echo hi\nHEALTHCHECKX x\n").unwrap();
    let kinds: Vec<Keyword> = doc.instructions().iter().map(|i| i.keyword).collect();
    assert_eq!(kinds, [Keyword::From, Keyword::Run, Keyword::Unknown]);
    assert_eq!(doc.instructions()[1].values(), ["echo hi"]);
}
