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
