//! Hostile inputs, generated: every reader ends with exit 0, 1 or 2, never a panic, a signal
//! or a hang, and prints output bounded by its input. Times and memory are measured by
//! `bench/hostile.sh`, not asserted here.

use std::ffi::OsStr;
use std::time::Duration;

mod support;
use support::Sandbox;

/// Far above what any case takes even in a debug build: a guard against hangs, not a timing.
const HANG: Duration = Duration::from_secs(300);

/// How a hostile run ended.
struct Ended {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
}

/// Runs dterms in `sb` on `args` (and `stdin`), and checks what every hostile run must do:
/// end by itself with 0, 1 or 2, print no panic, and print at most `64 × input + 1 MiB`.
fn hostile(sb: &Sandbox, args: &[&OsStr], stdin: Option<&[u8]>, input_len: usize) -> Ended {
    let mut cmd = sb.dterms();
    cmd.args(args).timeout(HANG);
    if let Some(bytes) = stdin {
        cmd.write_stdin(bytes.to_vec());
    }
    let output = cmd.output().expect("dterms ends in time");
    let code = output
        .status
        .code()
        .unwrap_or_else(|| panic!("{args:?}: killed by a signal: {:?}", output.status));
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        matches!(code, 0..=2),
        "{args:?}: exit {code}\n{}",
        &stderr[..stderr.len().min(2000)]
    );
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "{args:?}: {}",
        &stderr[..stderr.len().min(2000)]
    );
    let bound = 64 * input_len + 1024 * 1024;
    assert!(
        output.stdout.len() <= bound,
        "{args:?}: {} bytes of stdout for {input_len} bytes of input",
        output.stdout.len()
    );
    // Errors and warnings are a few lines, however big the input.
    assert!(
        stderr.len() <= 64 * 1024,
        "{args:?}: {} bytes of stderr",
        stderr.len()
    );
    Ended {
        code,
        stdout: output.stdout,
        stderr,
    }
}

/// A team glossary file: loaded with `show`, then checked.
fn glossary_case(name: &str, text: &[u8]) -> (Ended, Ended) {
    let sb = Sandbox::new();
    let path = sb.file(name, text);
    let shown = hostile(
        &sb,
        &[
            OsStr::new("--glossary"),
            path.as_os_str(),
            OsStr::new("show"),
            OsStr::new("image"),
        ],
        None,
        text.len(),
    );
    let checked = hostile(
        &sb,
        &[OsStr::new("check"), path.as_os_str()],
        None,
        text.len(),
    );
    (shown, checked)
}

/// Asserts a glossary case is refused (exit 2, by `show` and `check`) with a one-line error
/// that names the file and, for a limit inside the text, its line.
fn refused(name: &str, text: &[u8], needle: &str) {
    let (shown, checked) = glossary_case(name, text);
    for ended in [&shown, &checked] {
        assert_eq!(ended.code, 2, "{name}: {}", ended.stderr);
        assert!(ended.stderr.contains(name), "{name}: {}", ended.stderr);
        assert!(ended.stderr.contains(needle), "{name}: {}", ended.stderr);
    }
    assert_eq!(shown.stderr.lines().count(), 1, "{name}: {}", shown.stderr);
}

fn alias_fan(levels: usize, width: usize) -> String {
    let mut text = format!("a0: &a0 [{}]\n", vec!["x"; width].join(", "));
    for level in 1..levels {
        let refs = vec![format!("*a{}", level - 1); width].join(", ");
        text.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
    }
    text
}

#[test]
fn yaml_alias_fans_are_stopped_at_their_expanded_size() {
    refused(
        "fan.yaml",
        alias_fan(9, 9).as_bytes(),
        "aliases (*name) would expand",
    );
    refused(
        "wide.yaml",
        alias_fan(3, 2000).as_bytes(),
        "aliases (*name) would expand",
    );
    let many = format!("a: &a x\nl: [{}]\n", vec!["*a"; 20_000].join(","));
    refused("many.yaml", many.as_bytes(), "more than 10000 aliases");
}

#[test]
fn yaml_aliases_of_a_large_string_are_stopped() {
    let text = format!(
        "- id: big\n  name: Big\n  category: ml\n  summary: &s {}\n  body: *s\n  analogy: *s\n  docs: https://x\n  aliases: [{}]\n",
        "x".repeat(600_000),
        vec!["*s"; 3000].join(", ")
    );
    refused(
        "string.yaml",
        text.as_bytes(),
        "aliases (*name) would expand",
    );
}

#[test]
fn yaml_nesting_of_every_kind_is_refused_before_the_library() {
    let n = 100_000;
    let cases: Vec<(&str, String)> = vec![
        ("square.yaml", "[".repeat(n)),
        ("curly.yaml", "{a: ".repeat(n)),
        ("mixed.yaml", "[{a: ".repeat(n / 2)),
        (
            "block.yaml",
            (0..2000)
                .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
                .collect(),
        ),
        ("dashes.yaml", format!("{}x\n", "- ".repeat(n))),
    ];
    for (name, text) in cases {
        refused(name, text.as_bytes(), "nesting is deeper than 32 levels");
    }
}

#[test]
fn a_huge_team_file_is_refused_and_a_big_one_is_read() {
    refused(
        "huge.yaml",
        &vec![b'#'; 5 * 1024 * 1024],
        "is larger than the limit of 4 MiB",
    );
    // Many terms, well formed: loaded.
    let mut text = String::new();
    for i in 0..2000 {
        text.push_str(&format!(
            "- id: t-{i}\n  name: T {i}\n  category: ml\n  summary: Term {i}.\n  body: See [[t-{}]] and a [[volume]].\n  docs: https://x\n",
            (i + 1) % 2000
        ));
    }
    let (shown, checked) = glossary_case("many-terms.yaml", text.as_bytes());
    assert_eq!((shown.code, checked.code), (0, 0), "{}", checked.stderr);
}

#[test]
fn a_team_file_of_a_million_short_lines_or_one_long_line_ends_cleanly() {
    // Comments only: nothing to load.
    let (shown, checked) = glossary_case("comments.yaml", "#\n".repeat(1_000_000).as_bytes());
    assert_eq!((shown.code, checked.code), (0, 0));
    // A million items: over the node limit.
    refused(
        "items.yaml",
        "- a\n".repeat(1_000_000).as_bytes(),
        "more than 250000 YAML nodes",
    );
    // One long line.
    let line = format!("- id: {}\n", "x".repeat(1024 * 1024));
    let (shown, checked) = glossary_case("line.yaml", line.as_bytes());
    assert_eq!((shown.code, checked.code), (2, 1), "{}", checked.stderr);
}

#[test]
fn check_of_a_file_with_countless_problems_lists_the_first_ones() {
    // 30,000 items (210,000 nodes, within the limit), each with five problems.
    let text = "- id: a\n  nme: x\n".repeat(30_000);
    let (_, checked) = glossary_case("problems.yaml", text.as_bytes());
    assert_eq!(checked.code, 1);
    let lines = checked.stdout.split(|&b| b == b'\n').count();
    assert!(lines <= 510, "{lines} lines");
    let shown = String::from_utf8_lossy(&checked.stdout);
    assert!(shown.contains("more problem(s) not listed"), "{shown}");
}

#[test]
fn special_files_never_hang() {
    let sb = Sandbox::new();
    let fifo = sb.path().join("fifo.yaml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    assert!(made, "mkfifo works here");
    let folder = sb.path().join("folder.yaml");
    std::fs::create_dir(&folder).expect("folder");
    let dangling = sb.path().join("dangling.yaml");
    std::os::unix::fs::symlink(sb.path().join("nowhere"), &dangling).expect("symlink");
    for path in [&fifo, &folder, &dangling] {
        for args in [
            vec![
                OsStr::new("--glossary"),
                path.as_os_str(),
                OsStr::new("list"),
            ],
            vec![OsStr::new("check"), path.as_os_str()],
            vec![
                OsStr::new("explain"),
                OsStr::new("--as"),
                OsStr::new("dockerfile"),
                path.as_os_str(),
            ],
        ] {
            let ended = hostile(&sb, &args, None, 0);
            assert_eq!(ended.code, 2, "{args:?}");
            assert!(ended.stderr.starts_with("error: "), "{}", ended.stderr);
        }
    }
    // In the config folder they are skipped with a warning.
    for path in [&fifo, &folder, &dangling] {
        let name = path.file_name().expect("a name");
        std::fs::rename(path, sb.glossary_dir().join(name)).expect("move");
    }
    let ended = hostile(&sb, &[OsStr::new("list"), OsStr::new("--names")], None, 0);
    assert_eq!(ended.code, 0);
    assert_eq!(ended.stderr.lines().count(), 3, "{}", ended.stderr);
}

#[test]
fn a_100_kb_image_reference_is_not_echoed_back() {
    let sb = Sandbox::new();
    for reference in [
        "A".repeat(100_000),
        format!("a/{}", "B".repeat(100_000)),
        format!("python:{}", "t".repeat(100_000)),
        format!("python@sha256:{}", "f".repeat(100_000)),
        format!("{}\u{202e}:latest", "x".repeat(100_000)),
    ] {
        let ended = hostile(
            &sb,
            &[OsStr::new("explain"), OsStr::new(&reference)],
            None,
            reference.len(),
        );
        assert_eq!(ended.code, 2);
        assert!(
            ended.stderr.len() < 1000,
            "{} bytes: {}",
            ended.stderr.len(),
            ended.stderr
        );
        assert!(!ended.stderr.contains('\u{202e}'));
    }
}

/// A Dockerfile explained from a file, and the same bytes from stdin.
fn dockerfile_case(name: &str, text: &[u8]) -> Ended {
    let sb = Sandbox::new();
    let path = sb.file(name, text);
    let from_file = hostile(
        &sb,
        &[OsStr::new("explain"), path.as_os_str()],
        None,
        text.len(),
    );
    // Standard input may also be pasted error text: only bounds are common to both.
    hostile(
        &sb,
        &[OsStr::new("explain"), OsStr::new("-")],
        Some(text),
        text.len(),
    );
    from_file
}

#[test]
fn dockerfiles_of_a_long_line_or_a_million_lines_end_cleanly() {
    let line = format!("FROM alpine\nRUN echo {}\n", "x".repeat(1024 * 1024 - 30));
    dockerfile_case("line.Dockerfile", line.as_bytes());
    let ended = dockerfile_case("lines.Dockerfile", "#\n".repeat(1_000_000).as_bytes());
    assert_eq!(ended.code, 2, "2 MB is over the 1 MiB limit");
    assert!(ended.stderr.contains("limit"), "{}", ended.stderr);
    dockerfile_case("binary.Dockerfile", b"FROM alpine\n\0\0\0");
    dockerfile_case("latin1.Dockerfile", b"FROM caf\xe9\n");
}

#[test]
fn dockerfile_arg_doubling_is_capped() {
    let mut text = String::from("ARG A0=xxxxxxxxxxxxxxxx\n");
    for i in 1..40 {
        text.push_str(&format!("ARG A{i}=${{A{}}}${{A{}}}\n", i - 1, i - 1));
    }
    text.push_str("FROM alpine:${A39}\nRUN echo ${A39}\n");
    dockerfile_case("doubling.Dockerfile", text.as_bytes());
}

#[test]
fn dockerfiles_with_many_stages_end_cleanly() {
    let many_from = "FROM a\n".repeat(40_000);
    dockerfile_case("from.Dockerfile", many_from.as_bytes());
    let mut chain = String::from("FROM alpine AS s0\n");
    for i in 1..20_000 {
        chain.push_str(&format!(
            "FROM s{} AS s{i}\nCOPY --from=s{} /a /a\n",
            i - 1,
            i - 1
        ));
    }
    dockerfile_case("chain.Dockerfile", chain.as_bytes());
    let copies = format!("FROM python\n{}", "COPY . .\n".repeat(100_000));
    dockerfile_case("copies.Dockerfile", copies.as_bytes());
}

#[test]
fn dockerfiles_over_the_instruction_limit_are_refused_at_the_line() {
    let at_limit = "FROM a\n".repeat(10_000);
    let ended = dockerfile_case("limit.Dockerfile", at_limit.as_bytes());
    assert_eq!(ended.code, 0, "{}", ended.stderr);
    let over = "FROM a\n".repeat(10_001);
    let ended = dockerfile_case("over.Dockerfile", over.as_bytes());
    assert_eq!(ended.code, 2);
    assert!(
        ended.stderr.contains("10001") && ended.stderr.contains("more than 10000 instructions"),
        "{}",
        ended.stderr
    );
}

#[test]
fn long_combined_short_flags_end_cleanly() {
    for n in [8 * 1024, 100 * 1024] {
        let flags = format!("-{}", "i".repeat(n));
        let sb = Sandbox::new();
        hostile(
            &sb,
            &[
                OsStr::new("explain"),
                OsStr::new("docker"),
                OsStr::new("run"),
                OsStr::new(&flags),
                OsStr::new("alpine"),
            ],
            None,
            n,
        );
    }
}

#[test]
fn a_huge_quoted_command_line_ends_cleanly() {
    let sb = Sandbox::new();
    // One argument may be at most 128 KiB (the kernel's MAX_ARG_STRLEN).
    let line = format!("docker run -e X={} alpine", "y".repeat(120 * 1024));
    hostile(
        &sb,
        &[OsStr::new("explain"), OsStr::new(&line)],
        None,
        line.len(),
    );
    let unterminated = format!("docker run 'x{}", "y".repeat(100_000));
    let ended = hostile(
        &sb,
        &[OsStr::new("explain"), OsStr::new(&unterminated)],
        None,
        100_000,
    );
    assert_eq!(ended.code, 2);
    assert!(ended.stderr.len() < 1000, "{}", ended.stderr);
}

/// Pasted command lines built to make the shell splitter or the scanner work hard: nested and
/// unterminated substitutions, long words of unknown letters, thousands of distinct unknown
/// options (one note each), long pipelines and redirections.
#[test]
fn hostile_pasted_command_lines_end_cleanly() {
    let sb = Sandbox::new();
    let cases = [
        format!(
            "docker run -e A={}{} alpine",
            "$(".repeat(20_000),
            ")".repeat(20_000)
        ),
        format!("docker run -e A={} alpine", "$(".repeat(40_000)),
        format!("docker run -e A=\"{}\" alpine", "${".repeat(40_000)),
        format!("docker run -{} alpine", "é".repeat(50_000)),
        format!(
            "docker ps {}",
            (0..6_000)
                .map(|i| format!("--u{i} v{i}"))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        format!("docker ps {}", "| a ".repeat(20_000)),
        format!("docker save img {}", "> f ".repeat(20_000)),
        format!("{} docker ps", "A=1 ".repeat(20_000)),
        format!("{} docker ps", "sudo -u x ".repeat(10_000)),
        format!("docker run {} alpine", "-v C:\\a\\b:/x ".repeat(8_000)),
    ];
    for line in &cases {
        let ended = hostile(
            &sb,
            &[OsStr::new("explain"), OsStr::new(line)],
            None,
            line.len(),
        );
        // Notes are capped whatever the line: one per kind of remark, at most 40 and a count.
        if ended.code == 0 {
            let text = String::from_utf8_lossy(&ended.stdout);
            let notes = text.lines().filter(|l| l.starts_with("| ")).count();
            assert!(notes < 200, "{notes} note lines");
        }
    }
}

#[test]
fn hostile_queries_are_refused_briefly() {
    let sb = Sandbox::new();
    for query in ["x".repeat(100_000), "\u{202e}".repeat(10_000)] {
        for command in ["show", "search", "graph"] {
            let ended = hostile(
                &sb,
                &[OsStr::new(command), OsStr::new(&query)],
                None,
                query.len(),
            );
            assert!(ended.stderr.len() < 1000, "{command}: {}", ended.stderr);
        }
    }
}
