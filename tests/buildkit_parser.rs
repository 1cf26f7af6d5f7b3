//! Conformance with BuildKit's parser: its own test files (tests/fixtures/buildkit-parser, copied
//! from moby/buildkit's frontend/dockerfile/parser, see the README there) parsed by dterms and
//! dumped in BuildKit's format must equal BuildKit's expected dump, line for line; the files
//! BuildKit refuses must be refused.

use std::fs;
use std::path::Path;

use dterms::explain::dockerfile::parse;

const ROOT: &str = "tests/fixtures/buildkit-parser";

fn dirs(sub: &str) -> Vec<std::path::PathBuf> {
    let mut dirs: Vec<_> = fs::read_dir(Path::new(ROOT).join(sub))
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn every_buildkit_test_file_parses_to_buildkits_result() {
    let mut files = 0;
    let mut instructions = 0;
    let mut failures = Vec::new();
    for dir in dirs("testfiles") {
        let source = fs::read_to_string(dir.join("Dockerfile")).expect("Dockerfile");
        let expected = fs::read_to_string(dir.join("result")).expect("result");
        files += 1;
        instructions += expected.lines().count();
        match parse(&source) {
            Ok(parsed) => {
                let dumped: String = parsed
                    .instructions
                    .iter()
                    .map(|i| format!("({})\n", i.dump()))
                    .collect();
                if dumped != expected {
                    for (got, want) in dumped.lines().zip(expected.lines()) {
                        if got != want {
                            failures
                                .push(format!("{}:\n  got  {got}\n  want {want}", dir.display()));
                        }
                    }
                    if dumped.lines().count() != expected.lines().count() {
                        failures.push(format!(
                            "{}: {} instructions, BuildKit has {}",
                            dir.display(),
                            dumped.lines().count(),
                            expected.lines().count()
                        ));
                    }
                }
            }
            Err(e) => failures.push(format!("{}: refused: {e}", dir.display())),
        }
    }
    assert_eq!(files, 33, "the fixture set changed");
    assert_eq!(instructions, 285, "the fixture set changed");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_file_buildkit_refuses_is_refused() {
    let dirs = dirs("testfiles-negative");
    assert_eq!(dirs.len(), 4);
    for dir in dirs {
        let source = fs::read_to_string(dir.join("Dockerfile")).expect("Dockerfile");
        assert!(parse(&source).is_err(), "{} was accepted", dir.display());
    }
}

#[test]
fn instruction_lines_match_buildkit() {
    let source =
        fs::read_to_string(Path::new(ROOT).join("testfile-line.Dockerfile")).expect("file");
    let parsed = parse(&source).expect("parses");
    let lines: Vec<(usize, usize)> = parsed
        .instructions
        .iter()
        .map(|i| (i.line, i.end_line))
        .collect();
    // BuildKit's TestParseIncludesLineNumbers.
    assert_eq!(lines, [(5, 5), (11, 12), (17, 31)]);
}

// BuildKit's heredoc tests, as data: the inputs and expected heredocs of TestParseExtractsHeredoc,
// TestParseJSONHeredoc, TestHeredocChomp and TestHeredocsFromLine in moby/buildkit's
// frontend/dockerfile/parser/parser_heredoc_test.go (commit 73ed682, the same as the testfiles).

/// TestParseExtractsHeredoc's Dockerfile, byte for byte.
const HEREDOC_FILE: &str = "
FROM alpine:3.6

ENV NAME=me

RUN ls

USER <<INVALID
INVALID

RUN <<EMPTY
EMPTY

RUN 3<<EMPTY2
EMPTY2

RUN \"<<NOHEREDOC\"

RUN <<INDENT
\tfoo
\tbar
INDENT

RUN <<-UNINDENT
\tbaz
\tquux
UNINDENT

RUN <<-UNINDENT2
\tbaz
\tquux
\tUNINDENT2

RUN <<-EXPAND
\texpand $NAME
EXPAND

RUN <<-'NOEXPAND'
\tdon't expand $NAME
NOEXPAND

RUN <<COPY
echo hello world
echo foo bar
COPY

RUN <<COMMENT
# internal comment
echo hello world
echo foo bar # trailing comment
COMMENT

RUN --mount=type=cache,target=/foo <<MOUNT
echo hello
MOUNT

COPY <<FILE1 <<FILE2 /dest
content 1
FILE1
content 2
FILE2

COPY <<EOF /quotes
\"foo\"
'bar'
EOF

COPY <<X <<Y /dest
Y
X
X
Y

RUN <<COMPLEX python3
print('hello world')
COMPLEX

COPY <<file.txt /dest
hello world
file.txt

RUN <<eo'f'
echo foo
eof

RUN <<eo\\'f
echo foo
eo'f

RUN <<'e'o\\'f
echo foo
eo'f

RUN <<'one two'
echo bar
one two

RUN <<$EOF
$EOF

RUN <<  EOF
EOF

RUN <<  EOF  > foo
EOF
\t";

/// One expected heredoc as BuildKit's AST has it: name, content, expand, chomp, file descriptor.
type Expected = (&'static str, &'static str, bool, bool, u32);

/// The heredocs of every instruction after FROM, in order (BuildKit's `tests` table).
const HEREDOCS: [&[Expected]; 27] = [
    &[], // ENV NAME=me
    &[], // RUN ls
    &[], // USER <<INVALID
    &[], // INVALID
    &[("EMPTY", "", true, false, 0)],
    &[("EMPTY2", "", true, false, 3)],
    &[], // RUN "<<NOHEREDOC"
    &[("INDENT", "\tfoo\n\tbar\n", true, false, 0)],
    &[("UNINDENT", "\tbaz\n\tquux\n", true, true, 0)],
    &[("UNINDENT2", "\tbaz\n\tquux\n", true, true, 0)],
    &[("EXPAND", "\texpand $NAME\n", true, true, 0)],
    &[("NOEXPAND", "\tdon't expand $NAME\n", false, true, 0)],
    &[("COPY", "echo hello world\necho foo bar\n", true, false, 0)],
    &[(
        "COMMENT",
        "# internal comment\necho hello world\necho foo bar # trailing comment\n",
        true,
        false,
        0,
    )],
    &[("MOUNT", "echo hello\n", true, false, 0)],
    &[
        ("FILE1", "content 1\n", true, false, 0),
        ("FILE2", "content 2\n", true, false, 0),
    ],
    &[("EOF", "\"foo\"\n'bar'\n", true, false, 0)],
    &[("X", "Y\n", true, false, 0), ("Y", "X\n", true, false, 0)],
    &[("COMPLEX", "print('hello world')\n", true, false, 0)],
    &[("file.txt", "hello world\n", true, false, 0)],
    &[("eof", "echo foo\n", false, false, 0)],
    &[("eo'f", "echo foo\n", true, false, 0)],
    &[("eo'f", "echo foo\n", false, false, 0)],
    &[("one two", "echo bar\n", false, false, 0)],
    &[("$EOF", "", true, false, 0)],
    &[("EOF", "", true, false, 0)],
    &[("EOF", "", true, false, 0)],
];

/// BuildKit's ChompHeredocContent (TestHeredocChomp): leading tabs off every line. BuildKit's
/// AST keeps a `<<-` body as written and chomps it when it builds; dterms stores the body the
/// build uses, so a chomped heredoc is compared with the chomped content.
fn chomp(content: &str) -> String {
    content
        .split_inclusive('\n')
        .map(|line| line.trim_start_matches('\t'))
        .collect()
}

#[test]
fn heredocs_are_extracted_as_buildkit_extracts_them() {
    assert_eq!(chomp("\thello\n\tworld\n"), "hello\nworld\n");
    let parsed = parse(HEREDOC_FILE).expect("BuildKit parses this file");
    let after_from = &parsed.instructions[1..];
    assert_eq!(after_from.len(), HEREDOCS.len(), "instructions after FROM");
    for (instruction, expected) in after_from.iter().zip(HEREDOCS) {
        let got: Vec<(String, String, bool, u32)> = instruction
            .heredocs
            .iter()
            .map(|h| (h.name.clone(), h.body.clone(), h.expand, h.fd))
            .collect();
        let want: Vec<(String, String, bool, u32)> = expected
            .iter()
            .map(|&(name, content, expand, chomped, fd)| {
                let body = if chomped {
                    chomp(content)
                } else {
                    content.to_owned()
                };
                (name.to_owned(), body, expand, fd)
            })
            .collect();
        assert_eq!(got, want, "line {}: {}", instruction.line, instruction.text);
    }
}

#[test]
fn json_form_never_has_heredocs() {
    // TestParseJSONHeredoc.
    let parsed =
        parse("\nFROM alpine:3.6\n\nRUN [\"whoami\"]\nRUN [\"<<EOF\"]\nRUN [\"<<'EOF'\"]\n\t")
            .expect("parses");
    assert_eq!(parsed.instructions.len(), 4);
    for instruction in &parsed.instructions[1..] {
        assert!(instruction.heredocs.is_empty(), "{}", instruction.text);
    }
}

#[test]
fn heredoc_names_on_a_line_are_buildkits() {
    // TestHeredocsFromLine: each line, followed by its heredocs' terminators. One entry differs
    // from the Go table, on purpose: it lists EOF for `RUN <<- EOF`, but its loop only checks the
    // heredocs found, and BuildKit finds none there: its lexer keeps blanks after `<<` in the
    // word, not after `<<-`, so `<<-` and `EOF` are two words, and `<<-` alone names no heredoc
    // (its ParseHeredoc test lists `<<-` among the words that are not heredocs).
    let lines: [(&str, &[&str]); 10] = [
        ("RUN <<EOF", &["EOF"]),
        ("RUN <<-EOF", &["EOF"]),
        ("RUN <<EOF", &["EOF"]),
        ("RUN <<- EOF", &[]),
        ("RUN << -EOF", &["-EOF"]),
        ("RUN <<'EOF'", &["EOF"]),
        ("RUN 4<<EOF", &["EOF"]),
        ("RUN <<EOF <<EOF2", &["EOF", "EOF2"]),
        ("RUN '<<EOF'", &[]),
        ("RUN \"<<EOF\"", &[]),
    ];
    for (line, names) in lines {
        let mut source = format!("FROM alpine\n{line}\n");
        for name in names {
            source.push_str(name);
            source.push('\n');
        }
        let parsed = parse(&source).unwrap_or_else(|e| panic!("{line}: {e}"));
        let got: Vec<&str> = parsed.instructions[1]
            .heredocs
            .iter()
            .map(|h| h.name.as_str())
            .collect();
        assert_eq!(got, names, "{line}");
    }
}
