use super::*;

fn ok(text: &str) -> Script {
    match parse(text) {
        Ok(s) => {
            check_spans(text, &s);
            s
        }
        Err(e) => panic!("{text:?} is opaque: {}", e.reason),
    }
}

fn opaque(text: &str) -> String {
    match parse(text) {
        Ok(s) => panic!("{text:?} parsed: {s:#?}"),
        Err(e) => e.reason,
    }
}

/// Every span must be a valid byte range of the text, and words' raw text
/// must be their span.
fn check_spans(text: &str, s: &Script) {
    let mut all = Vec::new();
    for i in &s.items {
        all.push(i.span.clone());
        all.extend(i.and_or.iter().map(|(_, r)| r.clone()));
        all.extend(i.terminator.iter().map(|(_, r)| r.clone()));
    }
    for c in &s.commands {
        all.push(c.span.clone());
        for w in c.words.iter().chain(&c.assignments) {
            assert_eq!(&text[w.span.clone()], w.raw, "{text:?}");
            assert!(c.span.start <= w.span.start && w.span.end <= c.span.end);
        }
    }
    for i in &s.items {
        let item = &text[i.span.clone()];
        let blank = [' ', '\t', '\n'];
        assert!(!item.starts_with(blank), "item starts blank in {text:?}");
        assert!(
            !item.ends_with(blank) || item[..item.len() - 1].ends_with('\\'),
            "item ends blank in {text:?}"
        );
        for (op, r) in &i.and_or {
            let want = if *op == Op::And { "&&" } else { "||" };
            assert_eq!(&text[r.clone()], want, "{text:?}");
            assert!(i.span.start < r.start && r.end < i.span.end);
        }
        if let Some((op, r)) = &i.terminator {
            let want = match op {
                Op::Semi => ";",
                Op::Amp => "&",
                Op::Newline => "\n",
                _ => panic!("bad terminator {op:?}"),
            };
            assert_eq!(&text[r.clone()], want, "{text:?}");
            assert!(i.span.end <= r.start);
        }
    }
    // Items, terminators and the comment account for all the text.
    let mut covered = vec![false; text.len()];
    let mut mark = |r: &Range<usize>| {
        for c in &mut covered[r.clone()] {
            assert!(!*c, "overlapping spans in {text:?}");
            *c = true;
        }
    };
    for i in &s.items {
        mark(&i.span);
        if let Some((_, r)) = &i.terminator {
            mark(r);
        }
    }
    if let Some(c) = &s.comment {
        mark(c);
    }
    let bytes = text.as_bytes();
    for (k, c) in covered.iter().enumerate() {
        let continuation = (bytes[k] == b'\\' && bytes.get(k + 1) == Some(&b'\n'))
            || (bytes[k] == b'\n' && k > 0 && bytes[k - 1] == b'\\');
        assert!(
            *c || matches!(bytes[k], b' ' | b'\t' | b'\n') || continuation,
            "byte {k} of {text:?} is outside every item"
        );
    }
    for c in &s.commands {
        assert!(
            s.items
                .iter()
                .any(|i| i.span.start <= c.span.start && c.span.end <= i.span.end),
            "command outside items in {text:?}"
        );
    }
    for p in &s.pipes {
        assert_eq!(&text[p.clone()], "|", "{text:?}");
    }
    if let Some(c) = &s.comment {
        assert!(text[c.clone()].starts_with('#') && c.end == text.len());
    }
    all.extend(s.pipes.iter().cloned());
    all.extend(s.comment.iter().cloned());
    for r in all {
        assert!(
            text.get(r.clone()).is_some(),
            "{r:?} not a span of {text:?}"
        );
    }
}

fn at(text: &str, r: &Range<usize>) -> String {
    text[r.clone()].to_owned()
}

fn items(text: &str, s: &Script) -> Vec<String> {
    s.items.iter().map(|i| at(text, &i.span)).collect()
}

fn ops(text: &str, s: &Script) -> Vec<(Op, String)> {
    s.items
        .iter()
        .flat_map(|i| i.and_or.iter().map(|(op, r)| (*op, at(text, r))))
        .collect()
}

fn terms(text: &str, s: &Script) -> Vec<Option<(Op, String)>> {
    s.items
        .iter()
        .map(|i| i.terminator.as_ref().map(|(op, r)| (*op, at(text, r))))
        .collect()
}

fn cmds(text: &str, s: &Script) -> Vec<String> {
    s.commands.iter().map(|c| at(text, &c.span)).collect()
}

fn words(c: &SimpleCommand) -> Vec<&str> {
    c.words.iter().map(|w| w.raw.as_str()).collect()
}

fn literals(c: &SimpleCommand) -> Vec<Option<&str>> {
    c.words.iter().map(|w| w.literal.as_deref()).collect()
}

fn isolated(s: &Script) -> Vec<bool> {
    s.commands.iter().map(|c| c.isolated).collect()
}

#[test]
fn and_list() {
    let t = "a && b";
    let s = ok(t);
    assert_eq!(items(t, &s), ["a && b"]);
    assert_eq!(ops(t, &s), [(Op::And, "&&".to_owned())]);
    assert_eq!(s.items[0].and_or[0].1, 2..4);
    assert_eq!(terms(t, &s), [None]);
    assert_eq!(cmds(t, &s), ["a", "b"]);
    assert!(s.pipes.is_empty());
    assert!(s.comment.is_none());
    assert!(!s.has_function_def);
}

#[test]
fn or_list() {
    let t = "a || b";
    let s = ok(t);
    assert_eq!(items(t, &s), ["a || b"]);
    assert_eq!(ops(t, &s), [(Op::Or, "||".to_owned())]);
    assert_eq!(cmds(t, &s), ["a", "b"]);
}

#[test]
fn mixed_and_or_with_odd_spacing() {
    let t = "a&&b ||   c  &&d";
    let s = ok(t);
    assert_eq!(items(t, &s), [t]);
    let o = ops(t, &s);
    assert_eq!(o.len(), 3);
    assert_eq!(
        o.iter().map(|(op, _)| *op).collect::<Vec<_>>(),
        [Op::And, Op::Or, Op::And]
    );
    assert_eq!(
        s.items[0]
            .and_or
            .iter()
            .map(|(_, r)| r.clone())
            .collect::<Vec<_>>(),
        [1..3, 5..7, 13..15]
    );
    assert_eq!(cmds(t, &s), ["a", "b", "c", "d"]);
}

#[test]
fn semicolon_list() {
    let t = "a; b";
    let s = ok(t);
    assert_eq!(items(t, &s), ["a", "b"]);
    assert_eq!(terms(t, &s), [Some((Op::Semi, ";".to_owned())), None]);
    assert_eq!(s.items[0].terminator.as_ref().unwrap().1, 1..2);
}

#[test]
fn background_list() {
    let t = "a & b";
    let s = ok(t);
    assert_eq!(items(t, &s), ["a", "b"]);
    assert_eq!(terms(t, &s), [Some((Op::Amp, "&".to_owned())), None]);
    assert_eq!(s.items[0].terminator.as_ref().unwrap().1, 2..3);
}

#[test]
fn pipeline() {
    let t = "a | b |c";
    let s = ok(t);
    assert_eq!(items(t, &s), [t]);
    assert_eq!(s.pipes[..], [2..3, 6..7]);
    assert!(s.pipes.iter().all(|p| at(t, p) == "|"));
    assert!(ops(t, &s).is_empty());
    assert_eq!(cmds(t, &s), ["a", "b", "c"]);
    assert_eq!(isolated(&s), [false, false, false]);
}

#[test]
fn pipes_only_at_top_level() {
    let t = "{ a | b; } | c && (d | e)";
    let s = ok(t);
    assert_eq!(s.pipes.len(), 1);
    assert_eq!(s.pipes[0], 11..12);
    assert_eq!(at(t, &s.pipes[0]), "|");
}

#[test]
fn trailing_semicolon_is_a_terminator() {
    let t = "apt-get update;";
    let s = ok(t);
    assert_eq!(items(t, &s), ["apt-get update"]);
    assert_eq!(terms(t, &s), [Some((Op::Semi, ";".to_owned()))]);
    assert_eq!(s.items[0].terminator.as_ref().unwrap().1, 14..15);

    let t = "a ;  ";
    let s = ok(t);
    assert_eq!(items(t, &s), ["a"]);
    assert_eq!(terms(t, &s), [Some((Op::Semi, ";".to_owned()))]);
}

#[test]
fn newline_separators() {
    let t = "a\nb && c\n\nd\n";
    let s = ok(t);
    assert_eq!(items(t, &s), ["a", "b && c", "d"]);
    assert_eq!(
        terms(t, &s),
        [
            Some((Op::Newline, "\n".to_owned())),
            Some((Op::Newline, "\n".to_owned())),
            Some((Op::Newline, "\n".to_owned())),
        ]
    );
    assert_eq!(s.items[1].terminator.as_ref().unwrap().1, 8..9);
}

#[test]
fn and_followed_by_newline() {
    let t = "a &&\n  b";
    let s = ok(t);
    assert_eq!(items(t, &s), [t]);
    assert_eq!(ops(t, &s), [(Op::And, "&&".to_owned())]);
}

#[test]
fn set_eux_and_apt() {
    let t = "set -eux; apt-get update; apt-get install -y x";
    let s = ok(t);
    assert_eq!(
        items(t, &s),
        ["set -eux", "apt-get update", "apt-get install -y x"]
    );
    assert_eq!(
        terms(t, &s),
        [
            Some((Op::Semi, ";".to_owned())),
            Some((Op::Semi, ";".to_owned())),
            None
        ]
    );
    assert_eq!(s.commands.len(), 3);
    assert_eq!(words(&s.commands[2]), ["apt-get", "install", "-y", "x"]);
    assert_eq!(s.commands[2].name(), Some("apt-get"));
    assert_eq!(s.commands[0].span, 0..8);
}

#[test]
fn subshell_is_isolated() {
    let t = "( cd /x && make )";
    let s = ok(t);
    assert_eq!(items(t, &s), [t]);
    // `&&` inside the subshell is not a top-level operator.
    assert!(ops(t, &s).is_empty());
    assert_eq!(cmds(t, &s), ["cd /x", "make"]);
    assert_eq!(isolated(&s), [true, true]);
}

#[test]
fn brace_group_is_not_isolated() {
    let t = "{ cd /x; make; }";
    let s = ok(t);
    assert_eq!(items(t, &s), [t]);
    assert_eq!(terms(t, &s), [None]);
    assert_eq!(cmds(t, &s), ["cd /x", "make"]);
    assert_eq!(isolated(&s), [false, false]);
}

#[test]
fn cd_and_make() {
    let t = "cd /x && make";
    let s = ok(t);
    assert_eq!(cmds(t, &s), ["cd /x", "make"]);
    assert_eq!(words(&s.commands[0]), ["cd", "/x"]);
    assert_eq!(s.commands[0].words[1].span, 3..5);
    assert_eq!(isolated(&s), [false, false]);
}

#[test]
fn bare_assignment() {
    let t = "FOO=1";
    let s = ok(t);
    assert_eq!(items(t, &s), ["FOO=1"]);
    let c = &s.commands[0];
    assert!(c.words.is_empty());
    assert_eq!(c.assignments.len(), 1);
    assert_eq!(c.assignments[0].raw, "FOO=1");
    assert_eq!(c.assignments[0].literal.as_deref(), Some("FOO=1"));
    assert_eq!(at(t, &c.span), "FOO=1");
    assert_eq!(c.name(), None);
}

#[test]
fn assignment_prefix() {
    let t = "FOO=1 BAR=\"a b\" cmd arg";
    let s = ok(t);
    let c = &s.commands[0];
    assert_eq!(at(t, &c.span), t);
    assert_eq!(
        c.assignments
            .iter()
            .map(|w| w.raw.as_str())
            .collect::<Vec<_>>(),
        ["FOO=1", "BAR=\"a b\""]
    );
    assert_eq!(c.assignments[1].literal.as_deref(), Some("BAR=a b"));
    assert_eq!(words(c), ["cmd", "arg"]);
    assert_eq!(at(t, &c.words[0].span), "cmd");
}

#[test]
fn export_assignment_is_an_argument() {
    let t = "export A=1";
    let s = ok(t);
    let c = &s.commands[0];
    assert!(c.assignments.is_empty());
    assert_eq!(words(c), ["export", "A=1"]);
    assert_eq!(at(t, &c.words[1].span), "A=1");
    assert_eq!(c.words[1].literal.as_deref(), Some("A=1"));
}

#[test]
fn if_clause() {
    let t = "if true; then cd /; fi";
    let s = ok(t);
    assert_eq!(items(t, &s), [t]);
    assert_eq!(cmds(t, &s), ["true", "cd /"]);
    assert_eq!(isolated(&s), [false, false]);
}

#[test]
fn if_elif_else_then_more() {
    let t = "if a; then b; elif c; then d & else e\nfi; f";
    let s = ok(t);
    assert_eq!(
        items(t, &s),
        ["if a; then b; elif c; then d & else e\nfi", "f"]
    );
    assert_eq!(cmds(t, &s), ["a", "b", "c", "d", "e", "f"]);
}

#[test]
fn loops_and_case() {
    let t = "for f in a $(ls); do rm $f; done && while read l; do echo $l; done; case $x in a|b) one;; *) two;; esac";
    let s = ok(t);
    assert_eq!(
        items(t, &s),
        [
            "for f in a $(ls); do rm $f; done && while read l; do echo $l; done",
            "case $x in a|b) one;; *) two;; esac"
        ]
    );
    assert_eq!(ops(t, &s), [(Op::And, "&&".to_owned())]);
    assert_eq!(
        cmds(t, &s),
        ["ls", "rm $f", "read l", "echo $l", "one", "two"]
    );
    assert_eq!(isolated(&s), [true, false, false, false, false, false]);
    // Case patterns' `|` are not pipes.
    assert!(s.pipes.is_empty());
}

#[test]
fn command_substitution() {
    let t = "$(cd /tmp && pwd)";
    let s = ok(t);
    assert_eq!(items(t, &s), [t]);
    assert!(ops(t, &s).is_empty());
    assert_eq!(cmds(t, &s), [t, "cd /tmp", "pwd"]);
    assert_eq!(isolated(&s), [false, true, true]);
    assert_eq!(s.commands[0].words[0].literal, None);
    assert_eq!(s.commands[1].span, 2..9);
}

#[test]
fn nested_and_quoted_substitutions() {
    let t = "X=\"$(dirname $(which gcc))\" make -j$(( $(nproc) + 1 )) `uname -m`";
    let s = ok(t);
    assert_eq!(
        cmds(t, &s),
        [t, "dirname $(which gcc)", "which gcc", "nproc", "uname -m"]
    );
    assert_eq!(isolated(&s), [false, true, true, true, true]);
}

#[test]
fn gettext_quotes_are_no_literal_and_their_substitutions_are_listed() {
    // `$"…"` is bash's translated string: no literal value, and a command
    // substitution inside it still runs (and sits where the text says).
    let t = "echo $\"at $(pwd)\" $\"\" done";
    let s = ok(t);
    assert_eq!(cmds(t, &s), [t, "pwd"]);
    assert_eq!(
        literals(&s.commands[0]),
        [Some("echo"), None, None, Some("done")]
    );
}

#[test]
fn function_definition() {
    let t = "f() { :; }";
    let s = ok(t);
    assert!(s.has_function_def);
    assert_eq!(items(t, &s), [t]);
    assert_eq!(cmds(t, &s), [":"]);
    assert_eq!(isolated(&s), [false]);

    let t = "f() { :; }; f && g";
    let s = ok(t);
    assert!(s.has_function_def);
    assert_eq!(items(t, &s), ["f() { :; }", "f && g"]);
    assert!(!ok("echo 'f() { :; }'").has_function_def);
}

#[test]
fn quoted_operators_are_not_operators() {
    let t = "echo \"a && b\"";
    let s = ok(t);
    assert!(ops(t, &s).is_empty());
    assert_eq!(items(t, &s), [t]);
    assert_eq!(words(&s.commands[0]), ["echo", "\"a && b\""]);
    assert_eq!(literals(&s.commands[0]), [Some("echo"), Some("a && b")]);

    let t = "echo 'a | b; c' \"x || y\" && z";
    let s = ok(t);
    assert_eq!(ops(t, &s), [(Op::And, "&&".to_owned())]);
    assert_eq!(s.items[0].and_or[0].1, 25..27);
    assert!(s.pipes.is_empty());
}

#[test]
fn comments() {
    let t = "echo 'x # y'";
    let s = ok(t);
    assert!(s.comment.is_none());

    let t = "echo x # y && z";
    let s = ok(t);
    let c = s.comment.clone().unwrap();
    assert_eq!(at(t, &c), "# y && z");
    assert_eq!(c, 7..t.len());
    assert_eq!(items(t, &s), ["echo x"]);
    assert!(ops(t, &s).is_empty());
    assert_eq!(cmds(t, &s), ["echo x"]);

    let t = "a && b;# c";
    let s = ok(t);
    assert_eq!(at(t, &s.comment.clone().unwrap()), "# c");
    assert_eq!(terms(t, &s), [Some((Op::Semi, ";".to_owned()))]);

    // `#` inside a word, quotes, parameter expansion or an escape.
    for t in [
        "echo a#b",
        "echo \"# x\"",
        "echo ${x#y}",
        "echo \\# y",
        "echo $(echo a)#b",
    ] {
        assert!(ok(t).comment.is_none(), "{t:?}");
    }
    let t = "# only a comment";
    let s = ok(t);
    assert_eq!(s.comment, Some(0..t.len()));
    assert!(s.items.is_empty());
}

#[test]
fn comment_before_more_code_is_opaque() {
    opaque("a # c\nb");
    opaque("a # c\n");
}

#[test]
fn escapes() {
    let t = "echo a\\;b && c";
    let s = ok(t);
    assert_eq!(items(t, &s), [t]);
    assert_eq!(terms(t, &s), [None]);
    assert_eq!(words(&s.commands[0]), ["echo", "a\\;b"]);
    assert_eq!(literals(&s.commands[0]), [Some("echo"), Some("a;b")]);
    assert_eq!(cmds(t, &s), ["echo a\\;b", "c"]);
}

#[test]
fn multibyte_spans() {
    let t = "echo héllo && ls";
    let s = ok(t);
    assert_eq!(items(t, &s), [t]);
    assert_eq!(ops(t, &s), [(Op::And, "&&".to_owned())]);
    assert_eq!(s.items[0].and_or[0].1, 12..14);
    assert_eq!(cmds(t, &s), ["echo héllo", "ls"]);
    assert_eq!(s.commands[0].words[1].literal.as_deref(), Some("héllo"));

    let t = "echo '日本語' \"ü\" # ç…";
    let s = ok(t);
    assert_eq!(words(&s.commands[0]), ["echo", "'日本語'", "\"ü\""]);
    assert_eq!(
        literals(&s.commands[0]),
        [Some("echo"), Some("日本語"), Some("ü")]
    );
    assert_eq!(at(t, &s.comment.clone().unwrap()), "# ç…");

    let t = "X=$(echo ö | tr ö o) ; ä || ö";
    let s = ok(t);
    assert_eq!(
        cmds(t, &s),
        [t.split(" ;").next().unwrap(), "echo ö", "tr ö o", "ä", "ö"]
    );
    assert_eq!(ops(t, &s), [(Op::Or, "||".to_owned())]);
    assert_eq!(terms(t, &s)[0], Some((Op::Semi, ";".to_owned())));
    // Pipes inside a substitution are not top-level pipes.
    assert!(s.pipes.is_empty());
}

#[test]
fn word_literals() {
    let t = "apt-get install \"-y\" '--no-install-recommends' a\\ b x=\"1\"'2' $HOME ${X} ~/x *.txt a? [ab] [ ] {a,b} {} \"$y\" 'a$b' \"\" ''";
    let s = ok(t);
    assert_eq!(
        literals(&s.commands[0]),
        [
            Some("apt-get"),
            Some("install"),
            Some("-y"),
            Some("--no-install-recommends"),
            Some("a b"),
            Some("x=12"),
            None,
            None,
            None,
            None,
            None,
            None,
            Some("["),
            Some("]"),
            None,
            Some("{}"),
            None,
            Some("a$b"),
            Some(""),
            Some(""),
        ]
    );
    assert!(s.commands[0].words[2].is("-y"));
}

#[test]
fn assignment_literals() {
    let s = ok("A=~/x B=a:~/y C='~' D=$x E=");
    let lits: Vec<_> = s.commands[0]
        .assignments
        .iter()
        .map(|w| w.literal.as_deref())
        .collect();
    assert_eq!(lits, [None, None, Some("C=~"), None, Some("E=")]);
}

#[test]
fn redirections_are_not_words() {
    let t = "make >/dev/null 2>&1 && cat < in > out; 2>err cmd";
    let s = ok(t);
    assert_eq!(
        cmds(t, &s),
        ["make >/dev/null 2>&1", "cat < in > out", "2>err cmd"]
    );
    assert_eq!(words(&s.commands[0]), ["make"]);
    assert_eq!(words(&s.commands[1]), ["cat"]);
    assert_eq!(words(&s.commands[2]), ["cmd"]);
    assert_eq!(
        items(t, &s),
        ["make >/dev/null 2>&1 && cat < in > out", "2>err cmd"]
    );

    let t = "{ a; } >log 2>&1 | tee x";
    let s = ok(t);
    assert_eq!(items(t, &s), [t]);
    assert_eq!(at(t, &s.pipes[0]), "|");

    let t = "> $(mktemp)";
    let s = ok(t);
    assert_eq!(cmds(t, &s), [t, "mktemp"]);
    assert!(s.commands[0].words.is_empty());
}

#[test]
fn negation() {
    let t = "! grep x f && ! ! true";
    let s = ok(t);
    assert_eq!(items(t, &s), [t]);
    assert_eq!(ops(t, &s), [(Op::And, "&&".to_owned())]);
    assert_eq!(cmds(t, &s), ["grep x f", "true"]);
}

#[test]
fn whitespace_and_empty_text() {
    let s = ok("");
    assert!(s.items.is_empty() && s.commands.is_empty());
    let t = "  \t a \t&& b  ";
    let s = ok(t);
    assert_eq!(items(t, &s), ["a \t&& b"]);
    assert_eq!(cmds(t, &s), ["a", "b"]);
}

#[test]
fn tab_inside_substitution() {
    let t = "X=$(a\tb) c";
    let s = ok(t);
    assert_eq!(cmds(t, &s), [t, "a\tb"]);
}

#[test]
fn line_continuations_in_gaps() {
    let t = "a && \\\n b";
    let s = ok(t);
    assert_eq!(items(t, &s), [t]);
    assert_eq!(cmds(t, &s), ["a", "b"]);
}

#[test]
fn heredoc_is_opaque() {
    opaque("cat <<EOF\nhi\nEOF");
    opaque("cat <<-EOF > f\n\thi\n\tEOF\n");
    opaque("x=$(cat <<EOF\nhi\nEOF\n)");
    // Any `<<` at all, as brush can loop on odd ones.
    opaque("echo 'a << b'");
    opaque("then $(<<\t f ");
}

#[test]
fn syntax_errors_are_opaque() {
    for t in [
        "a &&",
        "(a",
        "a )",
        "if true; then a",
        "echo 'unterminated",
        "echo \"unterminated",
        "echo $(unterminated",
        "; a",
        "a | | b",
        "{ a }",
    ] {
        opaque(t);
    }
}

#[test]
fn bash_only_syntax_is_opaque() {
    for t in [
        "[[ -f x ]] && y",
        "(( i++ ))",
        "cmd &> /dev/null",
        "diff <(a) <(b)",
        "cat <<< word",
        "function f { :; }",
        "a |& b",
        "x=(a b)",
    ] {
        opaque(t);
    }
}

#[test]
fn backquote_with_backslash_is_opaque() {
    opaque("echo `echo \\`date\\``");
}

#[test]
fn long_script_spans() {
    let t = "set -eux; \
             apt-get update && apt-get install -y --no-install-recommends ca-certificates curl && \
             rm -rf /var/lib/apt/lists/*; \
             curl -fsSL https://example.com/x.tar.gz | tar -xz -C /opt; \
             if [ \"$(uname -m)\" = x86_64 ]; then ln -s /opt/x /usr/local/bin/x; fi";
    let s = ok(t);
    assert_eq!(s.items.len(), 4);
    assert_eq!(
        items(t, &s)[1],
        "apt-get update && apt-get install -y --no-install-recommends ca-certificates curl && rm -rf /var/lib/apt/lists/*"
    );
    assert_eq!(ops(t, &s).len(), 2);
    assert_eq!(s.pipes.len(), 1);
    assert_eq!(at(t, &s.pipes[0]), "|");
    let names: Vec<_> = s.commands.iter().map(|c| c.name()).collect();
    assert_eq!(
        names,
        [
            Some("set"),
            Some("apt-get"),
            Some("apt-get"),
            Some("rm"),
            Some("curl"),
            Some("tar"),
            Some("["),
            Some("uname"),
            Some("ln")
        ]
    );
    assert_eq!(s.commands[3].words[2].literal, None);
}

#[test]
fn case_forms() {
    let t = "case \"$1\" in (a|b) x && y;; c) ;; *) z; esac";
    let s = ok(t);
    assert_eq!(items(t, &s), [t]);
    assert_eq!(cmds(t, &s), ["x", "y", "z"]);
    assert!(ops(t, &s).is_empty());
}

#[test]
fn ansi_c_quotes_are_not_literal() {
    let s = ok("printf $'a\\nb' x");
    assert_eq!(literals(&s.commands[0]), [Some("printf"), None, Some("x")]);
}

#[test]
fn parameter_expansions_with_hash_and_braces() {
    let t = "echo ${v#*/} ${v%%.*} \"${a:-b}\" && x";
    let s = ok(t);
    assert!(s.comment.is_none());
    assert_eq!(ops(t, &s), [(Op::And, "&&".to_owned())]);
    assert_eq!(cmds(t, &s), ["echo ${v#*/} ${v%%.*} \"${a:-b}\"", "x"]);
}

#[test]
fn subshell_inside_substitution_and_group_inside_subshell() {
    let t = "x=$( (cd a; pwd) ) && ( { b; } )";
    let s = ok(t);
    assert_eq!(cmds(t, &s), ["x=$( (cd a; pwd) )", "cd a", "pwd", "b"]);
    assert_eq!(isolated(&s), [false, true, true, true]);
}

#[test]
#[ignore = "timing, run by hand"]
fn timing() {
    let t = "set -eux; apt-get update && apt-get install -y --no-install-recommends ca-certificates curl git \"$PKG\" && rm -rf /var/lib/apt/lists/* && curl -fsSL https://x/y.tgz | tar -xz -C /opt && if [ \"$(uname -m)\" = x86_64 ]; then ln -s /opt/x /usr/bin/x; fi";
    for t in [
        t,
        "apt-get update && apt-get install -y curl",
        "pip install -r requirements.txt",
    ] {
        let start = std::time::Instant::now();
        for _ in 0..2000 {
            parse(t).unwrap();
        }
        eprintln!("2000 parses of {} bytes: {:?}", t.len(), start.elapsed());
    }
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "a", "b", " ", " ", "&", "&&", "|", "||", ";", "(", ")", "{ ", " }", "'", "\"", "\\",
            "$", "$(", "`", "#", "\n", "<", ">", "2>&1", "é", "!", "*", "if ", "then ", "fi",
            "do ", "done", "for ", "in ", "case ", "esac", "while ", "x=", "${", "}", "\t", "f()",
            "<<", ";;", "~",
        ])
    }

    fn word() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "a",
            "-y",
            "é",
            "\"x y\"",
            "'a;b'",
            "$HOME",
            "${x:-y}",
            "a\\;b",
            "*.c",
            "x=1",
            "\"$(echo a | b)\"",
            "$(cd /x && pwd)",
            "`date`",
            "2>&1",
            ">/dev/null",
            "<in",
            "~/x",
            "a#b",
            "日本",
        ])
        .prop_map(str::to_owned)
    }

    fn simple() -> impl Strategy<Value = String> {
        (
            prop::option::of(Just("A=1 ")),
            prop::sample::select(vec!["cd", "echo", "apt-get", "make", ":"]),
            prop::collection::vec(word(), 0..3),
        )
            .prop_map(|(a, n, w)| {
                let mut s = a.unwrap_or("").to_owned();
                s.push_str(n);
                for w in w {
                    s.push(' ');
                    s.push_str(&w);
                }
                s
            })
    }

    fn command() -> impl Strategy<Value = String> {
        simple().prop_recursive(3, 12, 3, |inner| {
            let list = prop::collection::vec(inner.clone(), 1..3).prop_map(|v| v.join("; "));
            prop_oneof![
                list.clone().prop_map(|l| format!("( {l} )")),
                list.clone().prop_map(|l| format!("{{ {l}; }}")),
                (list.clone(), list.clone()).prop_map(|(a, b)| format!("if {a}; then {b}; fi")),
                list.clone()
                    .prop_map(|l| format!("for i in a b; do {l}; done")),
                list.clone().prop_map(|l| format!("while {l}; do :; done")),
                list.clone()
                    .prop_map(|l| format!("case $x in a|b) {l};; *) ;; esac")),
                list.clone().prop_map(|l| format!("f() {{ {l}; }}")),
                list.clone().prop_map(|l| format!("echo \"$({l})\"")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} | {b}")),
                inner.clone().prop_map(|a| format!("! {a}")),
            ]
        })
    }

    fn script() -> impl Strategy<Value = String> {
        let sep = prop::sample::select(vec![
            " && ", " || ", "; ", " & ", " | ", "\n", ";", " &&\n ",
        ]);
        (
            command(),
            prop::collection::vec((sep, command()), 0..4),
            prop::option::of(prop::sample::select(vec![";", " # done", "  "])),
        )
            .prop_map(|(first, rest, end)| {
                let mut s = first;
                for (sep, c) in rest {
                    s.push_str(sep);
                    s.push_str(&c);
                }
                s.push_str(end.unwrap_or(""));
                s
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: std::env::var("SHELL_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1000),
            .. ProptestConfig::default()
        })]
        #[test]
        fn never_panics_and_spans_hold(parts in prop::collection::vec(piece(), 0..14)) {
            let text: String = parts.concat();
            if std::env::var_os("SHELL_FUZZ_SHOW").is_some() {
                eprintln!("TRY {text:?}");
            }
            if let Ok(s) = parse(&text) {
                check_spans(&text, &s);
            }
        }

        #[test]
        fn any_ascii_never_panics(text in "[ -~\t\né]{0,40}") {
            if std::env::var_os("SHELL_FUZZ_SHOW").is_some() {
                eprintln!("TRY {text:?}");
            }
            if let Ok(s) = parse(&text) {
                check_spans(&text, &s);
            }
        }

        #[test]
        fn grammar_spans_hold(text in script()) {
            let s = parse(&text);
            if std::env::var_os("SHELL_FUZZ_SHOW").is_some() {
                match &s {
                    Ok(_) => eprintln!("OK {text:?}"),
                    Err(e) => eprintln!("OPAQUE {text:?} {}", e.reason),
                }
            }
            if let Ok(s) = s {
                check_spans(&text, &s);
            }
        }
    }
}

/// Found by `cargo fuzz run parse`: brush-parser panicked on an I/O number
/// that overflows its integer type. Now opaque, quietly.
#[test]
fn oversized_io_number_is_opaque() {
    assert!(crate::shell::parse("echo 99999999999999999999<x").is_err());
    assert!(crate::shell::parse("run\t3333333333334<\0\0").is_err());
    // Also when the text is plain enough for the fast path.
    assert!(crate::shell::parse("echo a1234567890>x").is_err());
    // An ordinary redirection still parses.
    assert!(crate::shell::parse("echo 2>/dev/null").is_ok());
}

#[test]
fn deep_nesting_is_opaque_before_brush_sees_it() {
    // Each of these overflowed the stack inside brush-parser at a few
    // hundred levels; past MAX_NESTING they are opaque, at any depth.
    let n = 2000;
    let cases = [
        format!("{}true{}", "(".repeat(n), ")".repeat(n)),
        format!("echo {}x{}", "$(echo ".repeat(n), ")".repeat(n)),
        format!("{}true{}", "if true; then ".repeat(n), "; fi".repeat(n)),
        format!("{}true; {}", "{ ".repeat(n), "}; ".repeat(n)),
        format!("echo {}x{}", "${a:-".repeat(n), "}".repeat(n)),
        format!("{}true{}", "while true; do ".repeat(n), "; done".repeat(n)),
        format!("{}true{}", "until false; do ".repeat(n), "; done".repeat(n)),
        format!("{}true{}", "for x in y; do ".repeat(n), "; done".repeat(n)),
    ];
    for text in &cases {
        let why = opaque(text);
        assert!(why.contains("levels deep"), "{why}");
    }
    // Just over the bound is opaque, at the bound it is read.
    let at = convert::MAX_NESTING;
    ok(&format!("{}true{}", "( ".repeat(at), " )".repeat(at)));
    let why = opaque(&format!(
        "{}true{}",
        "( ".repeat(at + 1),
        " )".repeat(at + 1)
    ));
    assert!(why.contains(&format!("nested {} levels", at + 1)), "{why}");
}

#[test]
fn nesting_depth_counts_levels_not_length() {
    assert_eq!(convert::nesting_depth("a && b | c; d"), 0);
    assert_eq!(convert::nesting_depth("(a) && (b) && { c; }"), 1);
    assert_eq!(
        convert::nesting_depth("if a; then (b); fi; for x in y; do z; done"),
        2
    );
    assert_eq!(convert::nesting_depth("echo `a` `b`"), 1);
    assert_eq!(convert::nesting_depth("iffy fine done_x"), 0);
    // The quick count is never below the depth: a text it passes nests no
    // deeper than its limit.
    for t in [
        "a && b | c; d",
        "(a) && (b) && { c; }",
        "if a; then (b); fi; for x in y; do z; done",
        "echo `a` `b`",
        "iffy fine done_x",
        "case x in y) if a; then { b; }; fi;; esac",
        "while a; do until b; do for c in d; do e; done; done; done",
        "echo $(echo $(echo ${x:-$(y)}))",
    ] {
        for limit in 0..6 {
            if convert::openers_at_most(t, limit) {
                assert!(convert::nesting_depth(t) <= limit, "{t:?} {limit}");
            }
        }
        assert!(convert::openers_at_most(t, convert::nesting_depth(t) + 8));
    }
    assert!(!convert::openers_at_most("((((", 3) && convert::openers_at_most("((((", 4));
    // `if` inside a word counts too (`verify`), never fewer than there are.
    assert!(!convert::openers_at_most("verify config; if", 1));
    assert!(convert::openers_at_most("verify config; if", 2));
    let long = vec!["true"; 5000].join(" && ");
    ok(&long);
}

/// The fast path ([`super::simple`]) against brush-parser: whenever the
/// fast path reads a text, brush must read it too, to the same script.
mod fast_path {
    use super::*;
    use proptest::prelude::*;

    /// The fast path's script of `text`, checked against brush's.
    fn both(text: &str) -> Option<Script> {
        let fast = super::super::simple::parse(text, &super::super::brush::options())?;
        match convert::parse_with_brush(text) {
            Ok(slow) => assert_eq!(fast, slow, "{text:?}"),
            Err(e) => panic!(
                "{text:?}: fast path read it, brush found it opaque: {}",
                e.reason
            ),
        }
        Some(fast)
    }

    #[test]
    fn plain_scripts_take_the_fast_path_and_agree() {
        for text in [
            "apt-get update",
            "apt-get install -y pkg0",
            "echo 2 > /f2",
            "set -eux; apt-get update; apt-get install -y --no-install-recommends ca-certificates curl; rm -rf /var/lib/apt/lists/*",
            "a && b || c | d ; e;",
            "  a   &&\tb  ",
            "make 2>/dev/null >> log 2>&1 < in",
            "cmd 2>&1 | tee /log",
            "A=1 B=\"x y\" make install PREFIX=/usr",
            "A=~/x env B=~/y",
            "echo \"$HOME\" ${PATH} '$(not) a; b' \"(x) {y} #z\"",
            "pip install 'a==1.0' \"b>=2\" c[extra]",
            "ls *.c x? [ab]",
            "echo a2>/f a2 >f",
        ] {
            assert!(both(text).is_some(), "{text:?} left the fast path");
        }
        // A substitution is for brush, which still reads it.
        let text = "cd /src && ./configure --prefix=/usr && make -j\"$(nproc)x\"";
        assert!(both(text).is_none());
        assert!(parse(text).is_ok());
    }

    #[test]
    fn anything_else_is_left_to_brush() {
        for text in [
            "",
            "   ",
            "a\nb",
            "a & b",
            "a |& b",
            "a &> f",
            "(a)",
            "{ a; }",
            "! a",
            "if a; then b; fi",
            "for x in a; do b; done",
            "a # comment",
            "echo $(date)",
            "echo `date`",
            "echo a\\ b",
            "echo $1 $@ ${x:-y}",
            "echo é",
            "cat <<EOF",
            "echo '<<'",
            "a ;; b",
            "; a",
            "a &&",
            "a |",
            "> f a",
            "2>f a",
            "a >",
            "a >| f",
            "a <> f",
            "a >&-",
            "a >&f",
            "a[0]=1 b",
            "x=1",
            "A+=1 b",
            "[[ -f x ]]",
            "time a",
            "echo in",
            "f() { a; }",
        ] {
            assert!(
                super::super::simple::parse(text, &super::super::brush::options()).is_none(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn every_run_in_testdata_agrees() {
        // The Dockerfiles of the golden tests, real-world shapes.
        let mut stack = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata")];
        let (mut fast, mut all) = (0, 0);
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                let Ok(src) = std::fs::read_to_string(&p) else {
                    continue;
                };
                let Ok(doc) = crate::syntax::Document::parse(&src) else {
                    continue;
                };
                for ins in doc.instructions() {
                    if ins.keyword == crate::syntax::Keyword::Run && !ins.is_exec_form() {
                        all += 1;
                        fast += usize::from(both(ins.args_text()).is_some());
                    }
                }
            }
        }
        eprintln!("{fast} of {all} RUNs on the fast path");
        assert!(
            all > 100 && fast > all / 5,
            "{fast} of {all} RUNs on the fast path"
        );
    }

    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "a", "b", "-y", "x=1", "A=", " ", " ", "\t", "&", "&&", "|", "||", ";", ">", ">>", "<",
            "2", "2>", ">&", "1", "'", "\"", "'a b'", "\"a b\"", "$", "$A", "${A}", "${", "}", "*",
            "?", "[", "]", "~", "=", "#", "!", "(", ")", "\\", "\n", "if", "in", "é", ".", "/",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: std::env::var("SHELL_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(3000),
            .. ProptestConfig::default()
        })]
        #[test]
        fn random_texts_agree(parts in prop::collection::vec(piece(), 0..16)) {
            both(&parts.concat());
        }
    }
}
